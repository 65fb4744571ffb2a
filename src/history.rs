//! The series of runs per démarche, with summary scores, for `vigie history` and the progress
//! pages of the site.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::model::sections::{view_str, CerfaView, IndicatorView, RgaaView};
use serde::Serialize;

use crate::store::{DemarcheSnapshot, RunSnapshot, Store, StoreError, Val};

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
    /// Cerfa accessibility score (criteria 15–17) in percent, when the run had one.
    pub cerfa_accessibility: Option<f64>,
    /// The observatory indicators of the run, in the run's order (empty for older reports).
    pub indicators: Vec<IndicatorPoint>,
}

/// One indicator of one démarche in one run, as stored in its `indicators` section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IndicatorPoint {
    pub id: String,
    pub value: Option<f64>,
    /// The value as shown in that run (« 99,9 % », « inconnu »).
    pub display: String,
    /// Level label, colour name and text icon; None when the value was unknown.
    pub level: Option<String>,
    pub colour: Option<String>,
    pub icon: Option<String>,
}

/// The indicators of an `indicators` section, in the run's order.
fn indicators_of(items: Vec<IndicatorView>) -> Vec<IndicatorPoint> {
    items
        .into_iter()
        .map(|i| IndicatorPoint {
            id: i.id,
            value: i.value,
            display: i.display.unwrap_or_else(|| "inconnu".into()),
            level: i.level.as_ref().map(|l| l.label.clone()),
            colour: i.level.as_ref().map(|l| l.colour.clone()),
            icon: i.level.map(|l| l.icon),
        })
        .collect()
}

/// The series, oldest run first; for one démarche or all.
pub fn series(store: &Store, demarche: Option<&str>) -> Result<Vec<HistoryPoint>, StoreError> {
    // Portable SQL: the same statement runs on SQLite and PostgreSQL.
    let rows = store.query(
        "SELECT r.id, r.started_at, d.demarche_id, d.name, d.pages, d.failed, d.cant_tell,
                (SELECT json FROM sections s WHERE s.run_id = d.run_id AND s.demarche_id = d.demarche_id AND s.name = 'cerfa'),
                (SELECT json FROM sections s WHERE s.run_id = d.run_id AND s.demarche_id = d.demarche_id AND s.name = 'rgaa'),
                (SELECT json FROM sections s WHERE s.run_id = d.run_id AND s.demarche_id = d.demarche_id AND s.name = 'indicators')
         FROM demarches d JOIN runs r ON r.id = d.run_id
         WHERE CAST(?1 AS TEXT) IS NULL OR d.demarche_id = CAST(?1 AS TEXT)
         ORDER BY d.demarche_id, r.started_at, r.id",
        vec![demarche.into()],
    )?;
    let rows = rows.into_iter().map(|r| {
        let at = |i: usize| r.get(i).cloned().unwrap_or(Val::Null);
        Ok::<_, StoreError>((
            HistoryPoint {
                run_id: at(0).int().unwrap_or_default(),
                started_at: at(1).text().unwrap_or_default(),
                demarche_id: at(2).text().unwrap_or_default(),
                name: at(3).text().unwrap_or_default(),
                pages: at(4).int(),
                failed: at(5).int(),
                cant_tell: at(6).int(),
                cerfa_score: None,
                rgaa_rate: None,
                cerfa_accessibility: None,
                indicators: Vec::new(),
            },
            at(7).text(),
            at(8).text(),
            at(9).text(),
        ))
    });
    let mut out = Vec::new();
    for row in rows {
        let (mut p, cerfa, rgaa, indicators) = row?;
        let scores = view_str::<CerfaView>(cerfa.as_deref()).and_then(|c| c.scores);
        p.cerfa_score = scores.as_ref().map(|s| s.all_pct);
        p.cerfa_accessibility = scores.as_ref().map(|s| s.accessibility_pct);
        p.indicators = view_str::<Vec<IndicatorView>>(indicators.as_deref())
            .map(indicators_of)
            .unwrap_or_default();
        p.rgaa_rate = view_str::<RgaaView>(rgaa.as_deref()).and_then(|r| r.automated_rate);
        out.push(p);
    }
    Ok(out)
}

/// Findings fixed and new in a run of a démarche, against the démarche's previous recorded run,
/// as `vigie diff` counts them.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct FindingChanges {
    pub previous_run: i64,
    pub fixed: usize,
    pub new: usize,
    /// Earlier failures on pages the later run did not analyse (neither fixed nor still there).
    pub not_rechecked: usize,
}

/// Finding changes per (démarche id, run id), for every run that has an earlier run of the same
/// démarche. Reads each run once and keeps only the last snapshot of each démarche.
pub fn finding_changes(
    store: &Store,
    demarche: Option<&str>,
) -> Result<BTreeMap<(String, i64), FindingChanges>, StoreError> {
    // One démarche at a time, run after run: only two of its snapshots are held, whatever
    // the size of the runs and of the history.
    let pairs: Vec<(String, i64)> = {
        store
            .query(
                "SELECT d.demarche_id, r.id FROM demarches d JOIN runs r ON r.id = d.run_id
                 WHERE CAST(?1 AS TEXT) IS NULL OR d.demarche_id = CAST(?1 AS TEXT)
                 ORDER BY d.demarche_id, r.started_at, r.id",
                vec![demarche.into()],
            )?
            .into_iter()
            .map(|r| {
                (
                    r.first().and_then(Val::text).unwrap_or_default(),
                    r.get(1).and_then(Val::int).unwrap_or_default(),
                )
            })
            .collect()
    };
    let one = |run_id: i64, d: DemarcheSnapshot| RunSnapshot {
        label: format!("#{run_id}"),
        run_id: Some(run_id),
        started_at: String::new(),
        demarches: vec![d],
    };
    let mut out = BTreeMap::new();
    let mut last: Option<(String, i64, DemarcheSnapshot)> = None;
    for (id, run_id) in pairs {
        let Some(d) = store.demarche_snapshot(run_id, &id)? else {
            continue;
        };
        let after = one(run_id, d);
        if let Some((prev_demarche, prev_id, prev)) = last.take() {
            if prev_demarche == id {
                let before = one(prev_id, prev);
                if let Some(dd) = crate::diff::diff(&before, &after).demarches.first() {
                    out.insert(
                        (id.clone(), run_id),
                        FindingChanges {
                            previous_run: prev_id,
                            fixed: dd.fixed.len(),
                            new: dd.new.len(),
                            not_rechecked: dd.not_rechecked.len(),
                        },
                    );
                }
            }
        }
        if let Some(d) = after.demarches.into_iter().next() {
            last = Some((id, run_id, d));
        }
    }
    Ok(out)
}

/// What the HTML site needs from the store: every démarche's series and its finding changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteHistory {
    /// Where the history comes from (the database path), shown on the pages.
    pub source: String,
    pub points: Vec<HistoryPoint>,
    pub changes: BTreeMap<(String, i64), FindingChanges>,
}

impl SiteHistory {
    /// The runs of one démarche, oldest first.
    pub fn of(&self, demarche: &str) -> Vec<&HistoryPoint> {
        self.points
            .iter()
            .filter(|p| p.demarche_id == demarche)
            .collect()
    }
}

/// Read the whole history for the site (no crawling: the store only).
pub fn for_site(store: &Store) -> Result<SiteHistory, StoreError> {
    Ok(SiteHistory {
        source: store.path().display().to_string(),
        points: series(store, None)?,
        changes: finding_changes(store, None)?,
    })
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
