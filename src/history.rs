//! The series of runs per démarche, with summary scores, for `vigie history` and the progress
//! pages of the site.

use std::fmt::Write;

use rusqlite::params;
use serde::Serialize;
use serde_json::Value;

use crate::store::{Store, StoreError};

/// One démarche in one run.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct HistoryPoint {
    pub run_id: i64,
    pub started_at: String,
    pub demarche_id: String,
    pub name: String,
    pub pages: Option<i64>,
    pub failed: Option<i64>,
    pub cant_tell: Option<i64>,
    /// Cerfa score, when the run had a `cerfa` section with a score.
    pub cerfa_score: Option<f64>,
    /// RGAA automated rate in percent (`rgaa.automated_rate`, an upper bound of the real rate),
    /// when the run had one.
    pub rgaa_rate: Option<f64>,
}

/// The first number found at one of the paths (each a list of keys).
fn number_at(v: &Value, paths: &[&[&str]]) -> Option<f64> {
    paths.iter().find_map(|path| {
        let mut cur = v;
        for k in *path {
            cur = cur.get(*k)?;
        }
        cur.as_f64()
    })
}

/// Where the Cerfa and RGAA sections put their headline figure (the first present wins).
const CERFA_SCORE_PATHS: &[&[&str]] = &[&["score"], &["scores", "total"], &["total"]];
const RGAA_RATE_PATHS: &[&[&str]] = &[&["automated_rate"], &["rate"], &["compliance_rate"]];

/// The series, oldest run first; for one démarche or all.
pub fn series(store: &Store, demarche: Option<&str>) -> Result<Vec<HistoryPoint>, StoreError> {
    let conn = store.conn();
    let mut st = conn.prepare(
        "SELECT r.id, r.started_at, d.demarche_id, d.name, d.pages, d.failed, d.cant_tell,
                (SELECT json FROM sections s WHERE s.run_id = d.run_id AND s.demarche_id = d.demarche_id AND s.name = 'cerfa'),
                (SELECT json FROM sections s WHERE s.run_id = d.run_id AND s.demarche_id = d.demarche_id AND s.name = 'rgaa')
         FROM demarches d JOIN runs r ON r.id = d.run_id
         WHERE ?1 IS NULL OR d.demarche_id = ?1
         ORDER BY d.demarche_id, r.started_at, r.id",
    )?;
    let rows = st.query_map(params![demarche], |r| {
        Ok((
            HistoryPoint {
                run_id: r.get(0)?,
                started_at: r.get(1)?,
                demarche_id: r.get(2)?,
                name: r.get(3)?,
                pages: r.get(4)?,
                failed: r.get(5)?,
                cant_tell: r.get(6)?,
                cerfa_score: None,
                rgaa_rate: None,
            },
            r.get::<_, Option<String>>(7)?,
            r.get::<_, Option<String>>(8)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut p, cerfa, rgaa) = row?;
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str::<Value>(&s).ok());
        p.cerfa_score = parse(cerfa).and_then(|v| number_at(&v, CERFA_SCORE_PATHS));
        p.rgaa_rate = parse(rgaa).and_then(|v| number_at(&v, RGAA_RATE_PATHS));
        out.push(p);
    }
    Ok(out)
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
}

fn int(v: Option<i64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_else(|| "—".into())
}

/// The series as a French text table.
pub fn to_text(points: &[HistoryPoint]) -> String {
    let mut s = String::new();
    let mut current = "";
    for p in points {
        if p.demarche_id != current {
            current = &p.demarche_id;
            let _ = writeln!(s, "\n== {} ({})", p.name, p.demarche_id);
            let _ = writeln!(
                s,
                "{:>6}  {:<22} {:>6} {:>8} {:>10} {:>7} {:>7}",
                "exéc.", "début", "pages", "échecs", "à vérifier", "Cerfa", "RGAA"
            );
        }
        let _ = writeln!(
            s,
            "{:>6}  {:<22} {:>6} {:>8} {:>10} {:>7} {:>7}",
            format!("#{}", p.run_id),
            p.started_at,
            int(p.pages),
            int(p.failed),
            int(p.cant_tell),
            num(p.cerfa_score),
            num(p.rgaa_rate)
        );
    }
    if points.is_empty() {
        s.push_str("Aucune exécution enregistrée.\n");
    }
    s
}
