//! index.html: the observatory table (one row per démarche, one cell per indicator), the level
//! counts and one distribution chart per indicator.

use std::collections::{BTreeMap, BTreeSet};

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;

use super::charts::{self, Chart, LevelCount};
use super::{base_context, cell, indicator_columns, progress_name, Cell, SiteHistory};
use crate::format::fr_number;
use crate::indicators;
use crate::report::stream::RunHeader;
use crate::report::DemarcheOverview;

#[derive(Serialize)]
struct Row {
    href: String,
    /// The progress page, when the history has this démarche.
    progress: Option<String>,
    name: String,
    operator: String,
    ministry: String,
    cells: Vec<Cell>,
}

fn size_label(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} octets")
    } else {
        format!("{} ko", fr_number(bytes as f64 / 1024.0, 1))
    }
}

pub(super) fn render(
    env: &Environment,
    run: &RunHeader,
    demarches: &[DemarcheOverview],
    names: &[String],
    csv_sizes: (usize, usize),
    history: Option<&SiteHistory>,
) -> Result<String, minijinja::Error> {
    let cfg = indicators::config();
    let columns = indicator_columns();
    let rows: Vec<Row> = demarches
        .iter()
        .zip(names)
        .enumerate()
        .map(|(k, (d, href))| {
            let runs = history.map(|h| h.of(&d.demarche.id)).unwrap_or_default();
            Row {
                href: href.clone(),
                progress: (!runs.is_empty()).then(|| progress_name(href)),
                name: d.demarche.name.clone(),
                operator: d.demarche.operator.clone(),
                ministry: d.demarche.ministry.clone(),
                cells: cfg
                    .indicators
                    .iter()
                    .enumerate()
                    .map(|(c, def)| {
                        let mut cell = cell(d.indicators.iter().find(|i| i.id == def.id));
                        cell.spark = charts::sparkline(format!("t-{k}-{c}"), def, &runs);
                        cell
                    })
                    .collect(),
            }
        })
        .collect();
    let mut by_colour: BTreeMap<String, LevelCount> = BTreeMap::new();
    for d in demarches {
        for i in &d.indicators {
            let (label, colour, icon) = match &i.level {
                Some(l) => (l.colour.clone(), l.colour.clone(), l.icon.clone()),
                None => ("inconnu".into(), "inconnu".into(), "?".into()),
            };
            by_colour
                .entry(colour.clone())
                .or_insert(LevelCount {
                    label: colour_label(&label),
                    colour,
                    icon,
                    count: 0,
                })
                .count += 1;
        }
    }
    let order = ["vert", "bleu", "jaune", "rouge", "gris", "inconnu"];
    let mut level_counts: Vec<LevelCount> = by_colour.into_values().collect();
    level_counts.sort_by_key(|c| order.iter().position(|o| *o == c.colour).unwrap_or(99));
    let operators: BTreeSet<String> = demarches
        .iter()
        .map(|d| d.demarche.operator.clone())
        .filter(|s| !s.is_empty())
        .collect();
    let ministries: BTreeSet<String> = demarches
        .iter()
        .map(|d| d.demarche.ministry.clone())
        .filter(|s| !s.is_empty())
        .collect();
    let charts: Vec<Chart> = cfg
        .indicators
        .iter()
        .map(|d| charts::level_chart(d, demarches))
        .collect();
    let (tool, started_at, finished_at) = base_context(run);
    env.get_template("index.html")?.render(context! {
        nav => "index",
        tool, started_at, finished_at,
        demarches_count => demarches.len(),
        pages_count => demarches.iter().map(|d| d.summary.pages).sum::<usize>(),
        errors_count => demarches.iter().map(|d| d.summary.fetch_errors).sum::<usize>(),
        level_counts => Serde(&level_counts),
        columns => Serde(&columns),
        rows => Serde(&rows),
        charts => Serde(&charts),
        operators => Serde(&operators),
        ministries => Serde(&ministries),
        csv_indicators_size => size_label(csv_sizes.0),
        csv_findings_size => size_label(csv_sizes.1),
        history => history.is_some(),
        history_source => history.map(|h| h.source.clone()).unwrap_or_default(),
    })
}

fn colour_label(colour: &str) -> String {
    match colour {
        "vert" => "Niveaux verts (objectif atteint)",
        "bleu" => "Niveaux bleus (FranceConnect)",
        "jaune" => "Niveaux jaunes (partiel)",
        "rouge" => "Niveaux rouges (insuffisant)",
        "gris" => "Niveaux gris (sans échelle ou non applicable)",
        _ => "Inconnus",
    }
    .to_string()
}
