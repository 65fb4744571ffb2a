//! The static HTML report site: index.html (the observatory table), one page per démarche, a
//! progress page per démarche with a history, a methodology page, CSS/JS beside them, and the
//! CSV exports; also the page comparing two runs (`vigie diff --format html`). Rendered with
//! minijinja templates (auto-escaping on for .html) from view structs built in one module per
//! page, so every string from an audited page is escaped by the templates' one escaper; a
//! Content-Security-Policy meta forbids inline script.
//!
//! [`write_site`] is the one way to write a site; this module also holds the view helpers the
//! pages share (indicator cells, columns, run dates, percentages).

mod charts;
mod demarche;
mod diff;
mod index;
mod methodology;
mod progress;

pub use diff::render_diff;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use minijinja::Environment;
use rayon::prelude::*;
use serde::Serialize;

use crate::format::fr_number;
use crate::history::IndicatorPoint;
pub use crate::history::SiteHistory;
use crate::indicators::{self, Indicator};
use crate::report::stream::{ReportSource, RunHeader};
use crate::report::{write_atomic, DemarcheReport, ReportError};

const BASE: &str = include_str!("../../../templates/base.html");
const INDEX: &str = include_str!("../../../templates/index.html");
const DEMARCHE: &str = include_str!("../../../templates/demarche.html");
const METHODOLOGY: &str = include_str!("../../../templates/methodologie.html");
const PROGRESS: &str = include_str!("../../../templates/progres.html");
const DIFF: &str = include_str!("../../../templates/diff.html");
const CSS: &str = include_str!("../../../templates/vigie.css");
const JS: &str = include_str!("../../../templates/vigie.js");

/// Options of the site.
#[derive(Debug, Clone)]
pub struct SiteOptions<'a> {
    /// CSV separator (`;` for French spreadsheets, `,` otherwise).
    pub csv_sep: char,
    /// The runs' history: with it, the index gains trend sparklines and each démarche of the
    /// history a progress page.
    pub history: Option<&'a SiteHistory>,
    /// When the site says it was produced; the time of writing by default. Every page of one
    /// site shows the same moment.
    pub generated_at: Option<String>,
}

impl Default for SiteOptions<'_> {
    fn default() -> Self {
        SiteOptions {
            csv_sep: ';',
            history: None,
            generated_at: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("modèle de page : {0}")]
    Template(#[from] minijinja::Error),
    #[error(transparent)]
    Write(#[from] ReportError),
}

/// Names of the démarche pages: `demarche-<id>.html` when the id is already a clean slug, else
/// its slug plus a hash of the id, so a name depends on the id alone (stable across runs, and
/// ids that differ only in case or punctuation do not share a page).
#[derive(Default)]
struct PageNamer {
    used: HashSet<String>,
}

impl PageNamer {
    fn next(&mut self, id: &str) -> String {
        let slug = crate::catalogue::slug(id, 100);
        let base = if slug == id {
            slug
        } else if slug.is_empty() {
            format!("sans-id-{}", crate::catalogue::short_hash(id))
        } else {
            format!("{slug}-{}", crate::catalogue::short_hash(id))
        };
        let mut name = format!("demarche-{base}.html");
        // Ids are unique in a run; only a clean id equal to another's slug-and-hash lands here.
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("demarche-{base}-{n}.html");
            n += 1;
        }
        name
    }
}

fn env() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    // The default callback escapes .html templates; kept explicit because safety depends on it.
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    env.add_template("base.html", BASE)?;
    env.add_template("index.html", INDEX)?;
    env.add_template("demarche.html", DEMARCHE)?;
    env.add_template("methodologie.html", METHODOLOGY)?;
    env.add_template("progres.html", PROGRESS)?;
    env.add_template("diff.html", DIFF)?;
    Ok(env)
}

/// The stylesheet: the static part and the level colours from criteria/indicateurs.toml.
pub fn stylesheet() -> String {
    let mut css = String::from(CSS);
    for (name, c) in &indicators::config().colours {
        let class: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let hex = |s: &str| -> String {
            if s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit()) {
                s.to_string()
            } else {
                "#666666".to_string()
            }
        };
        css.push_str(&format!(
            ".niveau-{class} {{ background: {}; color: {}; border-color: {}; }}\n.barre-{class} {{ fill: {}; stroke: {}; }}\n",
            hex(&c.background),
            hex(&c.text),
            hex(&c.border),
            hex(&c.background),
            hex(&c.border)
        ));
    }
    css
}

/// An indicator as a table cell (index and démarche pages).
#[derive(Serialize)]
struct Cell {
    display: String,
    show_value: bool,
    level: String,
    colour: String,
    icon: String,
    sort: String,
    source_label: &'static str,
    source_short: &'static str,
    /// Trend over the stored runs (index only, with a history of two runs or more).
    spark: Option<charts::Spark>,
}

fn cell(i: Option<&Indicator>) -> Cell {
    let Some(i) = i else {
        return Cell {
            display: "inconnu".into(),
            show_value: false,
            level: "inconnu".into(),
            colour: "inconnu".into(),
            icon: "?".into(),
            sort: String::new(),
            source_label: "inconnu",
            source_short: "?",
            spark: None,
        };
    };
    let (level, colour, icon) = match &i.level {
        Some(l) => (l.label.clone(), l.colour.clone(), l.icon.clone()),
        None => ("inconnu".into(), "inconnu".into(), "?".into()),
    };
    Cell {
        show_value: i.display != level && i.display != "inconnu",
        display: i.display.clone(),
        level,
        colour,
        icon,
        sort: i
            .value
            .map(|v| format!("{v:.3}"))
            .unwrap_or_else(|| i.display.clone()),
        source_label: i.source.label(),
        source_short: match i.source {
            indicators::Source::Measured => "m",
            indicators::Source::Declared => "d",
            indicators::Source::Unknown => "?",
        },
        spark: None,
    }
}

/// An indicator column of a table.
#[derive(Serialize)]
struct Column {
    id: String,
    short: String,
    description: String,
}

fn base_context(run: &RunHeader) -> (String, String, String) {
    (
        format!("{} {}", run.tool.name, run.tool.version),
        run.started_at.clone(),
        run.finished_at.clone(),
    )
}

/// The table's indicator columns, in criteria/indicateurs.toml order (index and progress pages).
fn indicator_columns() -> Vec<Column> {
    indicators::config()
        .indicators
        .iter()
        .map(|d| Column {
            id: d.id.clone(),
            short: d.short.clone(),
            description: d.description.clone(),
        })
        .collect()
}

struct CsvOut {
    path: PathBuf,
    file: std::io::BufWriter<tempfile::NamedTempFile>,
    bytes: usize,
}

impl CsvOut {
    fn create(path: PathBuf, head: &str) -> Result<CsvOut, ReportError> {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let tmp = tempfile::Builder::new()
            .prefix(".vigie-csv-")
            .tempfile_in(&dir)
            .map_err(|source| ReportError::Io {
                path: path.clone(),
                source,
            })?;
        let mut out = CsvOut {
            path,
            file: std::io::BufWriter::new(tmp),
            bytes: 0,
        };
        out.push(head)?;
        Ok(out)
    }

    fn push(&mut self, text: &str) -> Result<(), ReportError> {
        use std::io::Write;
        self.bytes += text.len();
        self.file
            .write_all(text.as_bytes())
            .map_err(|source| ReportError::Io {
                path: self.path.clone(),
                source,
            })
    }

    fn persist(self) -> Result<PathBuf, ReportError> {
        let path = self.path;
        let io = |source| ReportError::Io {
            path: path.clone(),
            source,
        };
        let tmp = self.file.into_inner().map_err(|e| io(e.into_error()))?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(path)
    }
}

/// Write every file of the site into `out`, reading the report one démarche at a time: each
/// démarche's page (and progress page, with a history) is written as soon as it is rendered and
/// its CSV rows appended; only a short overview of each démarche is kept for the index. With a
/// history, the index gains trend sparklines and each démarche of the history a progress page
/// (`progres-<id>.html`). Every file is written atomically. Returns the paths, index first.
pub fn write_site<S: ReportSource>(
    src: &S,
    out: &Path,
    opts: &SiteOptions,
) -> Result<Vec<PathBuf>, SiteError> {
    let history = opts.history;
    let mut env = env()?;
    let generated = opts
        .generated_at
        .clone()
        .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string());
    env.add_global("generated", generated);
    let run = src.header();
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let sep = opts.csv_sep;
    let mut csv_ind = CsvOut::create(
        out.join("indicateurs.csv"),
        &crate::report::csv::indicators_csv_head(sep),
    )?;
    let mut csv_find = CsvOut::create(
        out.join("constats.csv"),
        &crate::report::csv::findings_csv_head(sep),
    )?;
    let mut namer = PageNamer::default();
    let mut names = Vec::new();
    let mut overviews = Vec::new();
    let mut pages = Vec::new();
    // Démarches are rendered a few at a time on every core, then their CSV rows appended in
    // report order: a handful of démarches in memory at once, not the run.
    let window = rayon::current_num_threads().max(1);
    let mut batch: Vec<(String, DemarcheReport)> = Vec::with_capacity(window);
    let mut flush = |batch: &mut Vec<(String, DemarcheReport)>| -> Result<(), SiteError> {
        let rendered = batch
            .par_iter()
            .map(|(name, d)| render_demarche(&env, &run, out, name, d, history, sep))
            .collect::<Vec<_>>();
        for ((name, d), r) in batch.drain(..).zip(rendered) {
            let r = r?;
            pages.extend(r.pages);
            csv_ind.push(&r.indicators_csv)?;
            csv_find.push(&r.findings_csv)?;
            overviews.push(d.overview());
            names.push(name);
        }
        Ok(())
    };
    src.each_demarche(|d| {
        batch.push((namer.next(&d.demarche.id), d));
        if batch.len() == window {
            flush(&mut batch)?;
        }
        Ok::<(), SiteError>(())
    })?;
    flush(&mut batch)?;
    let index = index::render(
        &env,
        &run,
        &overviews,
        &names,
        (csv_ind.bytes, csv_find.bytes),
        history,
    )?;
    let mut written = vec![out.join("index.html")];
    write_atomic(&written[0], index.as_bytes())?;
    written.extend(pages);
    let probes = overviews
        .iter()
        .map(|d| d.probes)
        .max()
        .unwrap_or(crate::probe::DEFAULT_PROBES);
    for (name, bytes) in [
        (
            "methodologie.html",
            methodology::render(&env, &run, probes)?.into_bytes(),
        ),
        ("vigie.css", stylesheet().into_bytes()),
        ("vigie.js", JS.as_bytes().to_vec()),
    ] {
        let path = out.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    written.push(csv_ind.persist()?);
    written.push(csv_find.persist()?);
    Ok(written)
}

/// A démarche's pages, written, and its CSV rows, to append in report order.
struct RenderedDemarche {
    pages: Vec<PathBuf>,
    indicators_csv: String,
    findings_csv: String,
}

/// Write a démarche's page (and its progress page when it has history) under `name`.
fn render_demarche(
    env: &Environment<'_>,
    run: &RunHeader,
    out: &Path,
    name: &str,
    d: &DemarcheReport,
    history: Option<&SiteHistory>,
    sep: char,
) -> Result<RenderedDemarche, SiteError> {
    let runs = history.map(|h| h.of(&d.demarche.id).len()).unwrap_or(0);
    let progress = progress_name(name);
    let link = (runs > 0).then_some((progress.as_str(), runs));
    let path = out.join(name);
    let photos = demarche::write_photos(out, name, d)?;
    write_atomic(
        &path,
        demarche::render(env, run, d, link, history, &photos)?.as_bytes(),
    )?;
    let mut pages = vec![path];
    if let (Some(h), true) = (history, runs > 0) {
        let path = out.join(&progress);
        write_atomic(&path, progress::render(env, run, d, name, h)?.as_bytes())?;
        pages.push(path);
    }
    Ok(RenderedDemarche {
        pages,
        indicators_csv: crate::report::csv::indicators_csv_rows(d, sep),
        findings_csv: crate::report::csv::findings_csv_rows(d, sep),
    })
}

// Shared by the history views: the index's sparklines and the progress pages.

/// Name of a démarche's progress page, beside its démarche page.
fn progress_name(demarche_page: &str) -> String {
    format!(
        "progres-{}",
        demarche_page
            .strip_prefix("demarche-")
            .unwrap_or(demarche_page)
    )
}

/// A run date as shown: `2026-11-26 01:03 UTC`, or the stored text when it is not RFC 3339.
fn run_date(started_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(started_at)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| started_at.to_string())
}

fn with_unit(v: f64, unit: &str) -> String {
    let n = fr_number(v, 1);
    if unit.is_empty() {
        n
    } else if unit.starts_with('/') {
        format!("{n}{unit}")
    } else {
        format!("{n} {unit}")
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{} %", fr_number(x, 1)))
        .unwrap_or_else(|| "inconnu".into())
}

/// Rank of an indicator level in a run (higher is better); bleu and gris are not judgements.
fn level_rank(i: &IndicatorPoint) -> Option<u8> {
    i.colour
        .as_deref()
        .and_then(|c| indicators::config().colour_rank(c))
}

#[cfg(test)]
mod test_support {
    use crate::history::{HistoryPoint, IndicatorPoint};

    pub(super) fn point(run_id: i64, indicators: Vec<IndicatorPoint>) -> HistoryPoint {
        HistoryPoint {
            run_id,
            started_at: format!("2026-01-{run_id:02}T00:00:00Z"),
            demarche_id: "d".into(),
            name: "D".into(),
            pages: Some(1),
            failed: Some(0),
            cant_tell: Some(0),
            cerfa_score: Some(50.0),
            rgaa_rate: None,
            cerfa_accessibility: None,
            indicators,
        }
    }

    pub(super) fn ind(id: &str, value: Option<f64>, level: Option<(&str, &str)>) -> IndicatorPoint {
        IndicatorPoint {
            id: id.into(),
            value,
            display: "x".into(),
            level: level.map(|l| l.0.to_string()),
            colour: level.map(|l| l.1.to_string()),
            icon: None,
        }
    }
}
