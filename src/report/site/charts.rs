//! Chart geometry, as pure functions of the figures: the index's level distributions (bars) and
//! sparklines, the progress page's line chart. The templates only draw what is computed here.

use serde::Serialize;

use super::{level_rank, pct, run_date, with_unit};
use crate::history::{HistoryPoint, IndicatorPoint};
use crate::indicators;
use crate::report::DemarcheOverview;

#[derive(Serialize)]
struct Bar {
    label: String,
    colour: String,
    icon: String,
    count: usize,
    x: u32,
    y: u32,
    w: u32,
    text_y: u32,
    count_x: u32,
}

#[derive(Serialize)]
pub(super) struct Chart {
    id: String,
    label: String,
    summary: String,
    width: u32,
    height: u32,
    bars: Vec<Bar>,
}

/// Distribution of levels for one indicator over the démarches, as horizontal bars: one per
/// level of the indicator in criteria/indicateurs.toml order, then « inconnu ».
pub(super) fn level_chart(def: &indicators::IndicatorDef, demarches: &[DemarcheOverview]) -> Chart {
    let cfg = indicators::config();
    let mut counts: Vec<LevelCount> = def
        .levels
        .iter()
        .map(|l| LevelCount {
            label: l.label.clone(),
            colour: l.colour.clone(),
            icon: cfg.level(l).icon,
            count: 0,
        })
        .collect();
    counts.push(LevelCount {
        label: "inconnu".into(),
        colour: "inconnu".into(),
        icon: "?".into(),
        count: 0,
    });
    for d in demarches {
        let label = d
            .indicators
            .iter()
            .find(|i| i.id == def.id)
            .and_then(|i| i.level.as_ref())
            .map(|l| l.label.as_str())
            .unwrap_or("inconnu");
        if let Some(c) = counts.iter_mut().find(|c| c.label == label) {
            c.count += 1;
        }
    }
    bar_chart(&def.id, &def.label, counts, demarches.len())
}

/// A level and how many démarches (or cells) have it: one bar of a distribution.
#[derive(Serialize)]
pub(super) struct LevelCount {
    pub(super) label: String,
    pub(super) colour: String,
    pub(super) icon: String,
    pub(super) count: usize,
}

/// Width of the label column, of a full bar, and of the count after it (px).
const LABEL_W: u32 = 190;
const BAR_W: u32 = 130;
const COUNT_W: u32 = 40;
/// Height of a bar row and the top margin (px).
const ROW_H: u32 = 24;
const TOP: u32 = 4;

/// Width of a bar of `count` out of `total` on a full width of `full`; a non-zero count is at
/// least 3 px wide so that it stays visible.
fn bar_width(count: usize, total: usize, full: u32) -> u32 {
    let total = total.max(1) as u32;
    (count as u32 * full / total).max(if count > 0 { 3 } else { 0 })
}

/// Geometry of a horizontal bar chart: the label column, then the bar, then the count.
fn bar_chart(id: &str, label: &str, counts: Vec<LevelCount>, total: usize) -> Chart {
    let bars: Vec<Bar> = counts
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            let y = TOP + k as u32 * ROW_H;
            let w = bar_width(c.count, total, BAR_W);
            Bar {
                w,
                label: c.label,
                colour: c.colour,
                icon: c.icon,
                count: c.count,
                x: LABEL_W,
                y,
                text_y: y + 14,
                count_x: LABEL_W + w + 4,
            }
        })
        .collect();
    let summary = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.count))
        .collect::<Vec<_>>()
        .join(", ");
    Chart {
        id: id.to_string(),
        label: label.to_string(),
        summary,
        width: LABEL_W + BAR_W + COUNT_W,
        height: 2 * TOP + bars.len() as u32 * ROW_H,
        bars,
    }
}

#[derive(Serialize)]
pub(super) struct Spark {
    id: String,
    text: String,
    width: u32,
    height: u32,
    points: String,
    last_x: String,
    last_y: String,
    count: usize,
}

const SPARK_W: f64 = 64.0;
const SPARK_H: f64 = 18.0;
const SPARK_PAD: f64 = 2.5;

/// Polyline points of a series in a box, oldest left; a flat series is drawn mid-height.
fn polyline(
    values: &[f64],
    w: f64,
    h: f64,
    pad: f64,
    range: Option<(f64, f64)>,
) -> Vec<(f64, f64)> {
    let (min, max) = range.unwrap_or_else(|| {
        values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(*v), hi.max(*v))
            })
    });
    let n = values.len();
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = if n > 1 {
                pad + i as f64 * (w - 2.0 * pad) / (n - 1) as f64
            } else {
                w / 2.0
            };
            let y = if max > min {
                pad + (max - v) / (max - min) * (h - 2.0 * pad)
            } else {
                h / 2.0
            };
            (x, y)
        })
        .collect()
}

fn points_attr(pts: &[(f64, f64)]) -> String {
    pts.iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sparkline of one indicator over the runs: its numeric values when at least two runs have
/// one, else its level ranks; None when fewer than two runs can be placed.
pub(super) fn sparkline(
    id: String,
    def: &indicators::IndicatorDef,
    runs: &[&HistoryPoint],
) -> Option<Spark> {
    let found: Vec<&IndicatorPoint> = runs
        .iter()
        .filter_map(|r| r.indicators.iter().find(|i| i.id == def.id))
        .collect();
    let numeric: Vec<f64> = found.iter().filter_map(|i| i.value).collect();
    // Percentages on their whole 0–100 scale and levels on theirs, so a small change does not
    // look like a large one; other units span their own range.
    let (values, first, last, range) = if numeric.len() >= 2 {
        let (f, l) = (numeric[0], numeric[numeric.len() - 1]);
        let range = (def.unit == "%").then_some((0.0, 100.0));
        (
            numeric,
            with_unit(f, &def.unit),
            with_unit(l, &def.unit),
            range,
        )
    } else {
        let ranked: Vec<(f64, String)> = found
            .iter()
            .filter_map(|i| Some((f64::from(level_rank(i)?), i.level.clone()?)))
            .collect();
        if ranked.len() < 2 {
            return None;
        }
        let f = ranked[0].1.clone();
        let l = ranked[ranked.len() - 1].1.clone();
        (
            ranked.into_iter().map(|r| r.0).collect(),
            f,
            l,
            Some((0.0, 3.0)),
        )
    };
    let pts = polyline(&values, SPARK_W, SPARK_H, SPARK_PAD, range);
    let (lx, ly) = pts.last().copied().unwrap_or((0.0, 0.0));
    Some(Spark {
        text: format!(
            "{} : {first} → {last} sur {} audits",
            def.label,
            values.len()
        ),
        id,
        width: SPARK_W as u32,
        height: SPARK_H as u32,
        points: points_attr(&pts),
        last_x: format!("{lx:.1}"),
        last_y: format!("{ly:.1}"),
        count: values.len(),
    })
}

/// A figure of a run with its change from the previous run, in words.
#[derive(Serialize)]
struct Serie {
    label: String,
    class: &'static str,
    marker: &'static str,
    points: String,
    markers: Vec<Marker>,
}

/// A point of a series: centre, and the corner of its square or diamond marker.
#[derive(Serialize)]
struct Marker {
    x: String,
    y: String,
    sq_x: String,
    sq_y: String,
    dm_x: String,
    dm_y: String,
}

#[derive(Serialize)]
struct AxisMark {
    at: String,
    text: String,
}

#[derive(Serialize)]
pub(super) struct LineChart {
    summary: String,
    width: u32,
    height: u32,
    left: u32,
    right: u32,
    top: u32,
    bottom: u32,
    label_x: u32,
    tick_y: u32,
    grid: Vec<AxisMark>,
    ticks: Vec<AxisMark>,
    series: Vec<Serie>,
}

/// Which of `n` runs are labelled under the axis: about `max` evenly spaced, the first and the
/// last always; a label too close before the last gives way.
fn tick_indices(n: usize, max: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let step = n.div_ceil(max.max(1)).max(1);
    let mut at: Vec<usize> = (0..n).step_by(step).collect();
    if at.last() != Some(&(n - 1)) {
        if at.len() > 1 && at.last().is_some_and(|l| n - 1 - l < step) {
            at.pop();
        }
        at.push(n - 1);
    }
    at
}

/// The three percentages over the runs, on one 0–100 chart; series with fewer than one value
/// are left out (the table still says « inconnu »).
pub(super) fn line_chart(runs: &[&HistoryPoint]) -> Option<LineChart> {
    if runs.len() < 2 {
        return None;
    }
    let (w, h) = (560.0, 240.0);
    let (left, right, top, bottom) = (44.0, 12.0, 10.0, 36.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let n = runs.len();
    let x_of = |i: usize| left + i as f64 * pw / (n - 1) as f64;
    let y_of = |v: f64| top + (100.0 - v.clamp(0.0, 100.0)) / 100.0 * ph;
    type Get = fn(&HistoryPoint) -> Option<f64>;
    let defs: [(&str, &'static str, &'static str, Get); 3] = [
        ("Score Cerfa", "serie-cerfa", "rond", |p| p.cerfa_score),
        (
            "Accessibilité Cerfa (15–17)",
            "serie-a11y",
            "carre",
            |p| p.cerfa_accessibility,
        ),
        ("Taux RGAA automatisé", "serie-rgaa", "losange", |p| {
            p.rgaa_rate
        }),
    ];
    let mut series = Vec::new();
    let mut summary_parts = Vec::new();
    for (label, class, marker, get) in defs {
        let pts: Vec<(f64, f64)> = runs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| get(r).map(|v| (x_of(i), y_of(v))))
            .collect();
        let values: Vec<f64> = runs.iter().filter_map(|r| get(r)).collect();
        match (values.first(), values.last()) {
            (Some(f), Some(l)) => summary_parts.push(format!(
                "{} {} → {}",
                label.to_lowercase(),
                pct(Some(*f)),
                pct(Some(*l))
            )),
            _ => summary_parts.push(format!("{} inconnu", label.to_lowercase())),
        }
        if pts.is_empty() {
            continue;
        }
        series.push(Serie {
            label: label.to_string(),
            class,
            marker,
            points: points_attr(&pts),
            markers: pts
                .iter()
                .map(|(x, y)| Marker {
                    x: format!("{x:.1}"),
                    y: format!("{y:.1}"),
                    sq_x: format!("{:.1}", x - 4.0),
                    sq_y: format!("{:.1}", y - 4.0),
                    dm_x: format!("{:.1}", x - 3.5),
                    dm_y: format!("{:.1}", y - 3.5),
                })
                .collect(),
        });
    }
    if series.is_empty() {
        return None;
    }
    let ticks = tick_indices(n, 8)
        .into_iter()
        .map(|i| AxisMark {
            at: format!("{:.1}", x_of(i)),
            text: format!("#{}", runs[i].run_id),
        })
        .collect();
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0]
        .iter()
        .map(|v| AxisMark {
            at: format!("{:.1}", y_of(*v)),
            text: format!("{v} %"),
        })
        .collect();
    Some(LineChart {
        summary: format!(
            "Évolution sur {n} audits, du {} au {} : {}.",
            run_date(&runs[0].started_at),
            run_date(&runs[n - 1].started_at),
            summary_parts.join(" ; ")
        ),
        width: w as u32,
        height: h as u32,
        left: left as u32,
        label_x: (left - 4.0) as u32,
        tick_y: (h - bottom + 16.0) as u32,
        right: (w - right) as u32,
        top: top as u32,
        bottom: (h - bottom) as u32,
        grid,
        ticks,
        series,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ind, point};
    use super::*;

    fn level(label: &str, count: usize) -> LevelCount {
        LevelCount {
            label: label.into(),
            colour: "vert".into(),
            icon: String::new(),
            count,
        }
    }

    #[test]
    fn bars_are_proportional_and_a_non_zero_count_stays_visible() {
        assert_eq!(bar_width(0, 10, 130), 0);
        assert_eq!(bar_width(10, 10, 130), 130);
        assert_eq!(bar_width(5, 10, 130), 65);
        // 1 of 100 would be 1 px: at least 3.
        assert_eq!(bar_width(1, 100, 130), 3);
        // No démarche: no division by zero.
        assert_eq!(bar_width(0, 0, 130), 0);
    }

    #[test]
    fn bar_chart_places_rows_and_counts_after_the_bars() {
        let c = bar_chart(
            "uptime",
            "Disponibilité",
            vec![level("Optimal", 3), level("inconnu", 1)],
            4,
        );
        assert_eq!((c.width, c.height), (360, 56));
        assert_eq!(c.summary, "Optimal 3, inconnu 1");
        let geo: Vec<(u32, u32, u32, u32, u32)> = c
            .bars
            .iter()
            .map(|b| (b.x, b.y, b.w, b.text_y, b.count_x))
            .collect();
        assert_eq!(geo, [(190, 4, 97, 18, 291), (190, 28, 32, 42, 226)]);
    }

    #[test]
    fn ticks_label_first_and_last_without_crowding() {
        assert!(tick_indices(0, 8).is_empty());
        assert_eq!(tick_indices(1, 8), [0]);
        assert_eq!(tick_indices(3, 8), [0, 1, 2]);
        assert_eq!(tick_indices(10, 8), [0, 2, 4, 6, 9]);
        assert_eq!(tick_indices(30, 8), [0, 4, 8, 12, 16, 20, 24, 29]);
    }

    #[test]
    fn flat_series_is_drawn_mid_height_and_rising_goes_up() {
        let flat = polyline(&[3.0, 3.0], 64.0, 18.0, 2.5, None);
        assert_eq!(flat, vec![(2.5, 9.0), (61.5, 9.0)]);
        let up = polyline(&[0.0, 10.0], 64.0, 18.0, 2.5, None);
        assert_eq!(up, vec![(2.5, 15.5), (61.5, 2.5)]);
    }

    #[test]
    fn sparkline_uses_values_then_levels_and_needs_two_runs() {
        let cfg = indicators::config();
        let def = cfg.def("uptime").expect("uptime");
        let a = point(1, vec![ind("uptime", Some(99.0), Some(("Moyen", "jaune")))]);
        let b = point(
            2,
            vec![ind("uptime", Some(100.0), Some(("Optimal", "vert")))],
        );
        let s = sparkline("s".into(), def, &[&a, &b]).expect("deux valeurs");
        assert_eq!(s.text, "Disponibilité : 99 % → 100 % sur 2 audits");
        assert_eq!(s.count, 2);
        // A percentage keeps its 0–100 scale: one point up is barely visible.
        assert_eq!(s.points, "2.5,2.6 61.5,2.5");
        assert!(sparkline("s".into(), def, &[&a]).is_none(), "un seul audit");
        // Without numbers, the level ranks; without judgement (gris), nothing.
        let c = point(1, vec![ind("uptime", None, Some(("Moyen", "jaune")))]);
        let d = point(2, vec![ind("uptime", None, Some(("Optimal", "vert")))]);
        let s = sparkline("s".into(), def, &[&c, &d]).expect("niveaux");
        assert_eq!(s.text, "Disponibilité : Moyen → Optimal sur 2 audits");
        let e = point(1, vec![ind("uptime", None, Some(("Sans objet", "gris")))]);
        assert!(sparkline("s".into(), def, &[&e, &e]).is_none());
    }

    #[test]
    fn chart_labels_the_last_run_without_crowding() {
        let runs: Vec<HistoryPoint> = (1..=30).map(|i| point(i, Vec::new())).collect();
        let refs: Vec<&HistoryPoint> = runs.iter().collect();
        let chart = line_chart(&refs).expect("courbe");
        let labels: Vec<&str> = chart.ticks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            labels,
            ["#1", "#5", "#9", "#13", "#17", "#21", "#25", "#30"]
        );
        assert_eq!(chart.series.len(), 1, "seul le score Cerfa est connu");
        assert!(chart
            .summary
            .contains("accessibilité cerfa (15–17) inconnu"));
        // Grid lines at 0, 25 … 100 % from the bottom of the plot to its top.
        let grid: Vec<&str> = chart.grid.iter().map(|g| g.at.as_str()).collect();
        assert_eq!(grid, ["204.0", "155.5", "107.0", "58.5", "10.0"]);
        assert!(line_chart(&refs[..1]).is_none());
    }
}
