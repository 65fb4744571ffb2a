//! progres-<id>.html: one démarche over the stored runs, each figure with its change from the
//! previous run said in words, and the line chart of its scores.

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;

use super::charts::line_chart;
use super::{base_context, indicator_columns, level_rank, pct, run_date, SiteHistory};
use crate::format::fr_number;
use crate::history::{HistoryPoint, IndicatorPoint};
use crate::indicators;
use crate::report::stream::RunHeader;
use crate::report::DemarcheReport;

#[derive(Serialize)]
struct Figure {
    shown: String,
    change: String,
    /// `mieux`, `moins-bien` or empty: a CSS class, the words say the same.
    class: &'static str,
}

/// Percent figures: higher is better.
fn pct_figure(now: Option<f64>, before: Option<f64>) -> Figure {
    let (change, class) = match (now, before) {
        (Some(a), Some(b)) if (a - b).abs() >= 0.05 => {
            let d = fr_number((a - b).abs(), 1);
            if a > b {
                (format!("+{d} points, en progrès"), "mieux")
            } else {
                (format!("−{d} points, en recul"), "moins-bien")
            }
        }
        (Some(_), Some(_)) => ("stable".to_string(), ""),
        _ => (String::new(), ""),
    };
    Figure {
        shown: pct(now),
        change,
        class,
    }
}

/// Counts of problems: fewer is better.
fn count_figure(now: Option<i64>, before: Option<i64>) -> Figure {
    let (change, class) = match (now, before) {
        (Some(a), Some(b)) if a < b => (format!("−{}, en progrès", b - a), "mieux"),
        (Some(a), Some(b)) if a > b => (format!("+{}, en recul", a - b), "moins-bien"),
        (Some(_), Some(_)) => ("stable".to_string(), ""),
        _ => (String::new(), ""),
    };
    Figure {
        shown: now
            .map(|n| n.to_string())
            .unwrap_or_else(|| "inconnu".into()),
        change,
        class,
    }
}

#[derive(Serialize)]
struct LevelFigure {
    level: String,
    colour: String,
    icon: String,
    display: String,
    show_value: bool,
    change: String,
    class: &'static str,
}

fn level_figure(now: Option<&IndicatorPoint>, before: Option<&IndicatorPoint>) -> LevelFigure {
    let level = now
        .and_then(|i| i.level.clone())
        .unwrap_or_else(|| "inconnu".into());
    let (change, class) = match (now, before) {
        (Some(a), Some(b)) if a.level != b.level => match (level_rank(a), level_rank(b)) {
            (Some(x), Some(y)) if x > y => ("niveau en progrès".to_string(), "mieux"),
            (Some(x), Some(y)) if x < y => ("niveau en recul".to_string(), "moins-bien"),
            _ => (
                format!(
                    "niveau changé (avant : {})",
                    b.level.as_deref().unwrap_or("inconnu")
                ),
                "",
            ),
        },
        _ => (String::new(), ""),
    };
    let display = now
        .map(|i| i.display.clone())
        .unwrap_or_else(|| "inconnu".into());
    LevelFigure {
        show_value: display != level && display != "inconnu",
        display,
        colour: now
            .and_then(|i| i.colour.clone())
            .unwrap_or_else(|| "inconnu".into()),
        icon: now
            .and_then(|i| i.icon.clone())
            .unwrap_or_else(|| "?".into()),
        level,
        change,
        class,
    }
}

#[derive(Serialize)]
struct ProgressRow {
    run: String,
    date: String,
    cerfa: Figure,
    accessibility: Figure,
    rgaa: Figure,
    failed: Figure,
    cant_tell: Figure,
    pages: String,
    findings: String,
    indicators: Vec<LevelFigure>,
}

pub(super) fn render(
    env: &Environment,
    run: &RunHeader,
    d: &DemarcheReport,
    demarche_page: &str,
    history: &SiteHistory,
) -> Result<String, minijinja::Error> {
    let cfg = indicators::config();
    let runs = history.of(&d.demarche.id);
    let mut rows = Vec::with_capacity(runs.len());
    let mut prev: Option<&HistoryPoint> = None;
    for r in &runs {
        let findings = match history.changes.get(&(r.demarche_id.clone(), r.run_id)) {
            Some(c) => {
                let mut s = format!(
                    "{} corrigé(s), {} nouveau(x) depuis #{}",
                    c.fixed, c.new, c.previous_run
                );
                if c.not_rechecked > 0 {
                    s.push_str(&format!(", {} sur des pages non revues", c.not_rechecked));
                }
                s
            }
            None => "premier audit enregistré".to_string(),
        };
        rows.push(ProgressRow {
            run: format!("#{}", r.run_id),
            date: run_date(&r.started_at),
            cerfa: pct_figure(r.cerfa_score, prev.and_then(|p| p.cerfa_score)),
            accessibility: pct_figure(
                r.cerfa_accessibility,
                prev.and_then(|p| p.cerfa_accessibility),
            ),
            rgaa: pct_figure(r.rgaa_rate, prev.and_then(|p| p.rgaa_rate)),
            failed: count_figure(r.failed, prev.and_then(|p| p.failed)),
            cant_tell: count_figure(r.cant_tell, prev.and_then(|p| p.cant_tell)),
            pages: r
                .pages
                .map(|n| n.to_string())
                .unwrap_or_else(|| "inconnu".into()),
            findings,
            indicators: cfg
                .indicators
                .iter()
                .map(|def| {
                    let find =
                        |p: &HistoryPoint| p.indicators.iter().find(|i| i.id == def.id).cloned();
                    level_figure(find(r).as_ref(), prev.and_then(find).as_ref())
                })
                .collect(),
        });
        prev = Some(r);
    }
    let columns = indicator_columns();
    let recorded = runs.iter().any(|r| r.started_at == run.started_at);
    let diff_hint = match (runs.len().checked_sub(2).map(|i| runs[i]), runs.last()) {
        (Some(a), Some(b)) => format!("vigie diff {} {}", a.run_id, b.run_id),
        _ => String::new(),
    };
    let (tool, started_at, finished_at) = base_context(run);
    env.get_template("progres.html")?.render(context! {
        nav => "progres",
        tool, started_at, finished_at,
        name => d.demarche.name.clone(),
        demarche_page,
        source => history.source.clone(),
        runs_count => runs.len(),
        recorded,
        diff_hint,
        chart => Serde(&line_chart(&runs)),
        columns => Serde(&columns),
        rows => Serde(&rows),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::ind;
    use super::*;

    #[test]
    fn changes_are_said_in_words() {
        let f = pct_figure(Some(71.0), Some(62.5));
        assert_eq!(
            (f.change.as_str(), f.class),
            ("+8,5 points, en progrès", "mieux")
        );
        let f = count_figure(Some(5), Some(3));
        assert_eq!((f.change.as_str(), f.class), ("+2, en recul", "moins-bien"));
        let f = count_figure(Some(3), Some(3));
        assert_eq!(f.change, "stable");
        let before = ind("uptime", Some(100.0), Some(("Optimal", "vert")));
        let now = ind("uptime", Some(90.0), Some(("Mauvais", "rouge")));
        let l = level_figure(Some(&now), Some(&before));
        assert_eq!(
            (l.change.as_str(), l.class),
            ("niveau en recul", "moins-bien")
        );
    }
}
