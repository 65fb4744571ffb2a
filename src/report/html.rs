//! The static HTML report site: index.html (the observatory table), one page per démarche, a
//! methodology page, CSS/JS beside them, and the CSV exports. Rendered with minijinja
//! templates (auto-escaping on for .html) from view structs built here, so every string from
//! an audited page is escaped; a Content-Security-Policy meta forbids inline script.

use crate::cerfa::CerfaReport;
use crate::scores::rgaa::RgaaSummary;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;

use super::stream::{ReportSource, RunHeader};
use super::{write_atomic, DemarcheOverview, DemarcheReport, Report, ReportError};
pub use crate::history::SiteHistory;
use crate::history::{HistoryPoint, IndicatorPoint};
use crate::indicators::{self, Indicator};
use crate::rules::{all_rules, Outcome};

const BASE: &str = include_str!("../../templates/base.html");
const INDEX: &str = include_str!("../../templates/index.html");
const DEMARCHE: &str = include_str!("../../templates/demarche.html");
const METHODOLOGY: &str = include_str!("../../templates/methodologie.html");
const PROGRESS: &str = include_str!("../../templates/progres.html");
const CSS: &str = include_str!("../../templates/vigie.css");
const JS: &str = include_str!("../../templates/vigie.js");

/// Elements listed per rule on a démarche page (the CSV has them all).
const MAX_ITEMS_PER_RULE: usize = 200;

/// Options of the site.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// CSV separator (`;` for French spreadsheets, `,` otherwise).
    pub csv_sep: char,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions { csv_sep: ';' }
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
    Ok(env)
}

/// The stylesheet: the static part and the level colours from criteria/indicateurs.toml.
pub fn stylesheet() -> String {
    let mut css = String::from(CSS);
    for (name, c) in &indicators::config().couleurs {
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
            hex(&c.fond),
            hex(&c.texte),
            hex(&c.bord),
            hex(&c.fond),
            hex(&c.bord)
        ));
    }
    css
}

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
    spark: Option<Spark>,
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
            indicators::Source::Mesure => "m",
            indicators::Source::Declare => "d",
            indicators::Source::Inconnu => "?",
        },
        spark: None,
    }
}

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

#[derive(Serialize)]
struct Column {
    id: String,
    short: String,
    description: String,
}

#[derive(Serialize)]
struct LevelCount {
    label: String,
    colour: String,
    icon: String,
    count: usize,
}

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
struct Chart {
    id: String,
    label: String,
    summary: String,
    width: u32,
    height: u32,
    bars: Vec<Bar>,
}

/// Distribution of levels for one indicator, as horizontal bars with their labels inside.
fn chart(def: &indicators::IndicatorDef, demarches: &[DemarcheOverview]) -> Chart {
    let cfg = indicators::config();
    let mut counts: Vec<(String, String, String, usize)> = def
        .niveaux
        .iter()
        .map(|l| {
            let icon = cfg
                .couleurs
                .get(&l.couleur)
                .map(|c| c.icone.clone())
                .unwrap_or_default();
            (l.libelle.clone(), l.couleur.clone(), icon, 0)
        })
        .collect();
    counts.push(("inconnu".into(), "inconnu".into(), "?".into(), 0));
    for d in demarches {
        let label = d
            .indicators
            .iter()
            .find(|i| i.id == def.id)
            .and_then(|i| i.level.as_ref())
            .map(|l| l.label.clone())
            .unwrap_or_else(|| "inconnu".into());
        if let Some(c) = counts.iter_mut().find(|c| c.0 == label) {
            c.3 += 1;
        }
    }
    let total = demarches.len().max(1) as u32;
    // Label column, then the bar, then the count.
    let (label_w, bar_w) = (190u32, 130u32);
    let width = label_w + bar_w + 40;
    let bars: Vec<Bar> = counts
        .into_iter()
        .enumerate()
        .map(|(k, (label, colour, icon, count))| {
            let y = 4 + k as u32 * 24;
            let w = (count as u32 * bar_w / total).max(if count > 0 { 3 } else { 0 });
            Bar {
                w,
                label,
                colour,
                icon,
                count,
                x: label_w,
                y,
                text_y: y + 14,
                count_x: label_w + w + 4,
            }
        })
        .collect();
    let summary = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.count))
        .collect::<Vec<_>>()
        .join(", ");
    Chart {
        id: def.id.clone(),
        label: def.libelle.clone(),
        summary,
        width,
        height: 8 + bars.len() as u32 * 24,
        bars,
    }
}

fn size_label(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} octets")
    } else {
        format!("{} ko", indicators::fr_number(bytes as f64 / 1024.0, 1))
    }
}

fn base_context(run: &RunHeader) -> (String, String, String, String) {
    (
        format!("{} {}", run.tool.name, run.tool.version),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
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
            short: d.court.clone(),
            description: d.description.clone(),
        })
        .collect()
}

fn render_index(
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
                        cell.spark = sparkline(format!("t-{k}-{c}"), def, &runs);
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
    let charts: Vec<Chart> = cfg.indicators.iter().map(|d| chart(d, demarches)).collect();
    let (tool, generated, started_at, finished_at) = base_context(run);
    env.get_template("index.html")?.render(context! {
        nav => "index",
        tool, generated, started_at, finished_at,
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

#[derive(Serialize)]
struct IndicatorView {
    label: String,
    level: String,
    colour: String,
    icon: String,
    display: String,
    measured: Option<String>,
    source_label: &'static str,
    estimate: bool,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct CerfaRow {
    number: String,
    label: String,
    status: String,
    mode: String,
    source: String,
    evidence: Vec<String>,
}

#[derive(Serialize)]
struct RgaaRow {
    id: String,
    status: String,
    detail: String,
}

#[derive(Serialize)]
struct Item {
    outcome: &'static str,
    url: String,
    selector: String,
    snippet: String,
    message: String,
}

#[derive(Serialize)]
struct RuleGroup {
    rule: String,
    title: String,
    rgaa: String,
    wcag: String,
    failed: usize,
    cant_tell: usize,
    shown: usize,
    truncated: bool,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct PageRow {
    url: String,
    title: Option<String>,
    status: String,
    content_type: String,
    ttfb: String,
    total: String,
    error: String,
}

#[derive(Serialize)]
struct ProbeRow {
    at: String,
    status: String,
    response: String,
    error: String,
}

#[derive(Serialize)]
struct KeyValue {
    key: String,
    value: String,
}

fn cerfa_rows(cerfa: Option<&CerfaReport>) -> Vec<CerfaRow> {
    let Some(cerfa) = cerfa else {
        return Vec::new();
    };
    cerfa
        .criteria
        .iter()
        .map(|c| {
            let mut evidence: Vec<String> = Vec::new();
            if !c.summary.is_empty() {
                evidence.push(c.summary.clone());
            }
            evidence.extend(
                c.evidence
                    .iter()
                    .take(20)
                    .map(crate::cerfa::score::Evidence::line),
            );
            if let Some(dis) = c.disagreement.as_deref().filter(|d| !d.is_empty()) {
                evidence.push(format!("Désaccord avec la déclaration : {dis}"));
            }
            CerfaRow {
                number: c.number.to_string(),
                label: c.label.clone(),
                status: cerfa_status_fr(c.status).to_string(),
                mode: match c.mode {
                    crate::cerfa::Mode::Auto => "automatique",
                    crate::cerfa::Mode::Heuristic => "heuristique",
                    crate::cerfa::Mode::Declared => "déclaratif",
                }
                .to_string(),
                source: match c.source {
                    crate::cerfa::Source::Mesure => "mesuré",
                    crate::cerfa::Source::Declare => "déclaré",
                    crate::cerfa::Source::Inconnu => "inconnu",
                }
                .to_string(),
                evidence,
            }
        })
        .collect()
}

/// French words for a Cerfa status.
fn cerfa_status_fr(s: crate::cerfa::Status) -> &'static str {
    match s {
        crate::cerfa::Status::Met => "rempli",
        crate::cerfa::Status::NotMet => "non rempli",
        crate::cerfa::Status::Unknown => "inconnu",
        crate::cerfa::Status::NotApplicable => "non applicable",
    }
}

fn rgaa_rows(rgaa: Option<&RgaaSummary>) -> (Vec<RgaaRow>, String) {
    let Some(rgaa) = rgaa else {
        return (Vec::new(), String::new());
    };
    let rows: Vec<RgaaRow> = rgaa
        .criteria
        .iter()
        .map(|c| {
            let p = &c.pages;
            RgaaRow {
                id: c.id.clone(),
                status: c.status.code().to_string(),
                detail: format!(
                    "{} — pages : {} C, {} NC, {} NA, {} NT",
                    c.label, p.c, p.nc, p.na, p.nt
                ),
            }
        })
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *counts.entry(r.status.as_str()).or_default() += 1;
    }
    let summary = counts
        .iter()
        .map(|(k, v)| format!("{k} : {v}"))
        .collect::<Vec<_>>()
        .join(" · ");
    (rows, summary)
}

fn rule_groups(d: &DemarcheReport) -> Vec<RuleGroup> {
    let mut groups: Vec<RuleGroup> = Vec::new();
    for f in &d.findings {
        let outcome = match f.outcome {
            Outcome::Failed => "échec",
            Outcome::CantTell => "à vérifier",
            _ => continue,
        };
        let idx = match groups.iter().position(|g| g.rule == f.rule) {
            Some(i) => i,
            None => {
                let title = all_rules()
                    .iter()
                    .find(|r| r.meta().id == f.rule)
                    .map(|r| r.meta().title.to_string())
                    .unwrap_or_else(|| f.rule.clone());
                groups.push(RuleGroup {
                    rule: f.rule.clone(),
                    title,
                    rgaa: f.rgaa.join(", "),
                    wcag: f.wcag.join(", "),
                    failed: 0,
                    cant_tell: 0,
                    shown: 0,
                    truncated: false,
                    items: Vec::new(),
                });
                groups.len() - 1
            }
        };
        let g = &mut groups[idx];
        if f.outcome == Outcome::Failed {
            g.failed += 1;
        } else {
            g.cant_tell += 1;
        }
        let targets: Vec<(String, String)> = if f.targets.is_empty() {
            vec![(String::new(), String::new())]
        } else {
            f.targets
                .iter()
                .map(|t| (t.selector.clone(), t.snippet.clone()))
                .collect()
        };
        for (selector, snippet) in targets {
            if g.items.len() >= MAX_ITEMS_PER_RULE {
                g.truncated = true;
                break;
            }
            g.items.push(Item {
                outcome,
                url: f.url.clone(),
                selector,
                snippet,
                message: f.message.clone(),
            });
        }
        g.shown = g.items.len();
    }
    // Failures first, then the largest groups.
    groups.sort_by(|a, b| {
        (b.failed > 0, b.failed + b.cant_tell).cmp(&(a.failed > 0, a.failed + a.cant_tell))
    });
    groups
}

fn declaration_view(
    cerfa: Option<&CerfaReport>,
    d: &DemarcheReport,
) -> (Vec<KeyValue>, Vec<String>) {
    let decl = cerfa.and_then(|c| c.accessibility_declaration.as_ref());
    let mut kv = Vec::new();
    let mut contradictions: Vec<String> = Vec::new();
    if let Some(v) = decl {
        let yes_no = |b: bool| if b { "oui" } else { "non" }.to_string();
        let link = |l: &crate::cerfa::LinkRef| {
            let mut parts = vec![format!("href : {}", l.href)];
            if !l.selector.is_empty() {
                parts.push(format!("selector : {}", l.selector));
            }
            parts.push(format!("text : {}", l.text));
            parts.join(" ; ")
        };
        let x = &v.declaration;
        // In the order of the declaration's template, then our own judgement.
        let rows: [(&str, Option<String>); 18] = [
            ("Page", Some(v.url.clone())),
            ("État de conformité", x.status.map(|s| s.code().to_string())),
            (
                "Taux publié (%)",
                x.rate.map(|r| indicators::fr_number(r, 2)),
            ),
            ("Audit du", x.audit_date.map(|d| d.to_string())),
            ("Auditeur", x.auditor.clone()),
            ("Version du RGAA", x.rgaa_version.clone()),
            ("Établie le", x.established.map(|d| d.to_string())),
            ("Mise à jour le", x.updated.map(|d| d.to_string())),
            ("Moyen de contact", Some(yes_no(x.contact))),
            (
                "Recours au Défenseur des droits",
                Some(yes_no(x.defenseur_des_droits)),
            ),
            ("Schéma pluriannuel", x.schema_link.as_ref().map(link)),
            (
                "Période du schéma pluriannuel",
                x.schema_end
                    .map(|e| format!("{}–{e}", x.schema_start.unwrap_or(e))),
            ),
            ("Plan d'action", x.action_plan_link.as_ref().map(link)),
            (
                "Année du plan d'action",
                x.action_plan_year.map(|y| y.to_string()),
            ),
            ("Âge (jours)", v.age_days.map(|a| a.to_string())),
            ("Recevable", Some(yes_no(v.recevable))),
            (
                "Motifs de non-recevabilité",
                (!v.reasons.is_empty()).then(|| v.reasons.join(" ; ")),
            ),
            (
                "Pages qui y mènent",
                Some(format!(
                    "{} sur {} pages HTML",
                    v.pages_linking, v.pages_total
                )),
            ),
        ];
        kv.extend(rows.into_iter().filter_map(|(key, value)| {
            value.map(|value| KeyValue {
                key: key.to_string(),
                value,
            })
        }));
        contradictions.extend(v.contradiction.clone());
    }
    for c in cerfa.map(|c| c.criteria.as_slice()).unwrap_or_default() {
        if let Some(dis) = &c.disagreement {
            contradictions.push(format!("Critère Cerfa {} : {dis}", c.number));
        }
    }
    // Our own cross-check: a 100 % declared rate against measured failures.
    let declared_full = d
        .indicators
        .iter()
        .find(|i| i.id == "handicap")
        .and_then(|i| i.value)
        .is_some_and(|v| v >= 100.0);
    let failed = d
        .findings
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .count();
    if declared_full && failed > 0 && contradictions.is_empty() {
        contradictions.push(format!(
            "La déclaration annonce 100 % de critères respectés, mais {failed} échec(s) ont été mesurés automatiquement."
        ));
    }
    (kv, contradictions)
}

fn render_demarche(
    env: &Environment,
    run: &RunHeader,
    d: &DemarcheReport,
    progress: Option<(&str, usize)>,
    history: Option<&SiteHistory>,
) -> Result<String, minijinja::Error> {
    let (cerfa, rgaa) = (d.cerfa.as_ref(), d.rgaa.as_ref());
    let cfg = indicators::config();
    let indicators: Vec<IndicatorView> = cfg
        .indicators
        .iter()
        .filter_map(|def| d.indicators.iter().find(|i| i.id == def.id))
        .map(|i| {
            let c = cell(Some(i));
            IndicatorView {
                label: i.label.clone(),
                level: c.level,
                colour: c.colour,
                icon: c.icon,
                display: i.display.clone(),
                measured: i.measured.clone(),
                source_label: i.source.label(),
                estimate: i.estimate,
                evidence: i.evidence.clone(),
            }
        })
        .collect();
    let pages: Vec<PageRow> = d
        .pages
        .iter()
        .map(|p| PageRow {
            url: p.record.final_url.clone(),
            title: p.facts.as_ref().and_then(|f| f.title.clone()),
            status: p
                .record
                .status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into()),
            content_type: p.record.content_type.clone().unwrap_or_default(),
            ttfb: p
                .record
                .ttfb_ms
                .map(|t| t.to_string())
                .unwrap_or_else(|| "—".into()),
            total: p.record.total_ms.to_string(),
            error: p
                .record
                .error
                .as_ref()
                .map(|e| e.message.clone())
                .unwrap_or_default(),
        })
        .collect();
    let probes: Vec<ProbeRow> = d
        .probes
        .iter()
        .map(|p| ProbeRow {
            at: p.at.clone(),
            status: p
                .status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "—".into()),
            response: p
                .response_ms
                .map(|t| t.to_string())
                .unwrap_or_else(|| "—".into()),
            error: p.error.clone().unwrap_or_default(),
        })
        .collect();
    let (rgaa_rows, rgaa_counts) = rgaa_rows(rgaa);
    let css_limits = css_limits(d);
    let (declaration, contradictions) = declaration_view(cerfa, d);
    #[derive(Serialize)]
    struct Head<'a> {
        name: &'a str,
        operator: &'a str,
        ministry: &'a str,
        start_url: &'a str,
        pages_count: usize,
        errors_count: usize,
    }
    let head = Head {
        name: &d.demarche.name,
        operator: &d.demarche.operator,
        ministry: &d.demarche.ministry,
        start_url: d.demarche.start_url.as_str(),
        pages_count: d.summary.pages,
        errors_count: d.summary.fetch_errors,
    };
    let (tool, generated, started_at, finished_at) = base_context(run);
    env.get_template("demarche.html")?.render(context! {
        nav => "demarche",
        tool, generated, started_at, finished_at,
        d => Serde(&head),
        indicators => Serde(&indicators),
        cerfa_rows => Serde(&cerfa_rows(cerfa)),
        rgaa_rows => Serde(&rgaa_rows),
        rgaa_counts,
        css_limits => Serde(&css_limits),
        rule_groups => Serde(&rule_groups(d)),
        pages => Serde(&pages),
        probes => Serde(&probes),
        declaration => Serde(&declaration),
        contradictions => Serde(&contradictions),
        history => history.is_some(),
        history_source => history.map(|h| h.source.clone()).unwrap_or_default(),
        progress_href => progress.map(|p| p.0.to_string()),
        progress_runs => progress.map(|p| p.1).unwrap_or(0),
    })
}

/// One CSS limit of the measure and how many pages it concerns.
#[derive(Serialize, Debug, PartialEq)]
struct CssLimit {
    note: String,
    pages: usize,
    example: String,
}

/// What the cascade could not evaluate, over the démarche's pages: each note once, with the number
/// of pages and one page as example, most frequent first.
fn css_limits(d: &DemarcheReport) -> Vec<CssLimit> {
    let mut by_note: std::collections::BTreeMap<&str, (usize, &str)> = Default::default();
    for p in &d.pages {
        let Some(facts) = &p.facts else { continue };
        for n in &facts.css_notes {
            by_note.entry(n).or_insert((0, &p.record.final_url)).0 += 1;
        }
    }
    let mut out: Vec<CssLimit> = by_note
        .into_iter()
        .map(|(note, (pages, example))| CssLimit {
            note: note.to_string(),
            pages,
            example: example.to_string(),
        })
        .collect();
    out.sort_by(|a, b| b.pages.cmp(&a.pages).then_with(|| a.note.cmp(&b.note)));
    out
}

#[derive(Serialize)]
struct LevelRule {
    label: String,
    colour: String,
    icon: String,
    rule: String,
}

#[derive(Serialize)]
struct Definition {
    label: String,
    description: String,
    own: bool,
    levels: Vec<LevelRule>,
}

fn render_methodology(
    env: &Environment,
    run: &RunHeader,
    probes: usize,
) -> Result<String, minijinja::Error> {
    let cfg = indicators::config();
    let definitions: Vec<Definition> = cfg
        .indicators
        .iter()
        .map(|def| Definition {
            label: def.libelle.clone(),
            description: def.description.clone(),
            own: def.propre,
            levels: def
                .niveaux
                .iter()
                .map(|l| LevelRule {
                    label: l.libelle.clone(),
                    colour: l.couleur.clone(),
                    icon: cfg
                        .couleurs
                        .get(&l.couleur)
                        .map(|c| c.icone.clone())
                        .unwrap_or_default(),
                    rule: match l.seuil {
                        Some(s) if s > -1000.0 => {
                            format!("à partir de {} {}", indicators::fr_number(s, 1), def.unite)
                        }
                        Some(_) => "en dessous".to_string(),
                        None => "valeur textuelle".to_string(),
                    },
                })
                .collect(),
        })
        .collect();
    let (tool, generated, started_at, finished_at) = base_context(run);
    env.get_template("methodologie.html")?.render(context! {
        nav => "methodologie",
        tool, generated, started_at, finished_at,
        probes,
        min_words => indicators::MIN_WORDS_FOR_READABILITY,
        definitions => Serde(&definitions),
    })
}

/// Every file of the site: (file name, contents), without history.
pub fn render_site(
    report: &Report,
    opts: &SiteOptions,
) -> Result<Vec<(String, Vec<u8>)>, SiteError> {
    render_site_with_history(report, opts, None)
}

/// Every file of the site in memory (for tests and previews: the site is written to a
/// temporary folder by [`write_site_from`], then read back, index first).
pub fn render_site_with_history(
    report: &Report,
    opts: &SiteOptions,
    history: Option<&SiteHistory>,
) -> Result<Vec<(String, Vec<u8>)>, SiteError> {
    let dir = tempfile::tempdir().map_err(|e| ReportError::Io {
        path: std::env::temp_dir(),
        source: e,
    })?;
    let mut files = Vec::new();
    for path in write_site_from(report, dir.path(), opts, history)? {
        let bytes = std::fs::read(&path).map_err(|e| ReportError::Io {
            path: path.clone(),
            source: e,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, bytes));
    }
    Ok(files)
}

/// Write the site into `out` (atomically, file by file); returns the paths written.
pub fn write_site(
    report: &Report,
    out: &Path,
    opts: &SiteOptions,
) -> Result<Vec<PathBuf>, SiteError> {
    write_site_from(report, out, opts, None)
}

/// Write the site with the runs' history (see [`write_site_from`]).
pub fn write_site_with_history(
    report: &Report,
    out: &Path,
    opts: &SiteOptions,
    history: Option<&SiteHistory>,
) -> Result<Vec<PathBuf>, SiteError> {
    write_site_from(report, out, opts, history)
}

/// A CSV export being written: a temporary file in the site's folder, renamed at the end.
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
pub fn write_site_from<S: ReportSource>(
    src: &S,
    out: &Path,
    opts: &SiteOptions,
    history: Option<&SiteHistory>,
) -> Result<Vec<PathBuf>, SiteError> {
    let env = env()?;
    let run = src.header();
    std::fs::create_dir_all(out).map_err(|source| ReportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let sep = opts.csv_sep;
    let mut csv_ind = CsvOut::create(
        out.join("indicateurs.csv"),
        &super::csv::indicators_csv_head(sep),
    )?;
    let mut csv_find = CsvOut::create(
        out.join("constats.csv"),
        &super::csv::findings_csv_head(sep),
    )?;
    let mut namer = PageNamer::default();
    let mut names = Vec::new();
    let mut overviews = Vec::new();
    let mut pages = Vec::new();
    src.each_demarche(|d| {
        let name = namer.next(&d.demarche.id);
        let runs = history.map(|h| h.of(&d.demarche.id).len()).unwrap_or(0);
        let progress = progress_name(&name);
        let link = (runs > 0).then_some((progress.as_str(), runs));
        let path = out.join(&name);
        write_atomic(
            &path,
            render_demarche(&env, &run, &d, link, history)?.as_bytes(),
        )?;
        pages.push(path);
        if let (Some(h), true) = (history, runs > 0) {
            let path = out.join(&progress);
            write_atomic(&path, render_progress(&env, &run, &d, &name, h)?.as_bytes())?;
            pages.push(path);
        }
        csv_ind.push(&super::csv::indicators_csv_rows(&d, sep))?;
        csv_find.push(&super::csv::findings_csv_rows(&d, sep))?;
        overviews.push(d.overview());
        names.push(name);
        Ok::<(), SiteError>(())
    })?;
    let index = render_index(
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
            render_methodology(&env, &run, probes)?.into_bytes(),
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

// ---------------------------------------------------------------------------------------------
// History: sparklines in the index and one progress page per démarche (when a store is given).

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
    let n = indicators::fr_number(v, 1);
    if unit.is_empty() {
        n
    } else if unit.starts_with('/') {
        format!("{n}{unit}")
    } else {
        format!("{n} {unit}")
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{} %", indicators::fr_number(x, 1)))
        .unwrap_or_else(|| "inconnu".into())
}

/// Rank of an indicator level in a run (higher is better); bleu and gris are not judgements.
fn level_rank(i: &IndicatorPoint) -> Option<u8> {
    i.colour
        .as_deref()
        .and_then(crate::diff::rank)
        .or_else(|| i.level.as_deref().and_then(crate::diff::rank))
}

#[derive(Serialize)]
struct Spark {
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
fn sparkline(id: String, def: &indicators::IndicatorDef, runs: &[&HistoryPoint]) -> Option<Spark> {
    let found: Vec<&IndicatorPoint> = runs
        .iter()
        .filter_map(|r| r.indicators.iter().find(|i| i.id == def.id))
        .collect();
    let numeric: Vec<f64> = found.iter().filter_map(|i| i.value).collect();
    // Percentages on their whole 0–100 scale and levels on theirs, so a small change does not
    // look like a large one; other units span their own range.
    let (values, first, last, range) = if numeric.len() >= 2 {
        let (f, l) = (numeric[0], numeric[numeric.len() - 1]);
        let range = (def.unite == "%").then_some((0.0, 100.0));
        (
            numeric,
            with_unit(f, &def.unite),
            with_unit(l, &def.unite),
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
            def.libelle,
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
            let d = indicators::fr_number((a - b).abs(), 1);
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
struct LineChart {
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

/// The three percentages over the runs, on one 0–100 chart; series with fewer than one value
/// are left out (the table still says « inconnu »).
fn line_chart(runs: &[&HistoryPoint]) -> Option<LineChart> {
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
    // At most about eight labels under the axis.
    let step = n.div_ceil(8).max(1);
    let mut at: Vec<usize> = (0..n).step_by(step).collect();
    // The last run is always labelled; a label too close before it gives way.
    if at.last() != Some(&(n - 1)) {
        if at.len() > 1 && at.last().is_some_and(|l| n - 1 - l < step) {
            at.pop();
        }
        at.push(n - 1);
    }
    let ticks = at
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

fn render_progress(
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
    let (tool, generated, started_at, finished_at) = base_context(run);
    env.get_template("progres.html")?.render(context! {
        nav => "progres",
        tool, generated, started_at, finished_at,
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
    use super::*;

    fn point(run_id: i64, indicators: Vec<IndicatorPoint>) -> HistoryPoint {
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

    fn ind(id: &str, value: Option<f64>, level: Option<(&str, &str)>) -> IndicatorPoint {
        IndicatorPoint {
            id: id.into(),
            value,
            display: "x".into(),
            level: level.map(|l| l.0.to_string()),
            colour: level.map(|l| l.1.to_string()),
            icon: None,
        }
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
        assert!(line_chart(&refs[..1]).is_none());
    }

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
