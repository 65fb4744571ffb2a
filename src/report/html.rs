//! The static HTML report site: index.html (the observatory table), one page per démarche, a
//! methodology page, CSS/JS beside them, and the CSV exports. Rendered with minijinja
//! templates (auto-escaping on for .html) from view structs built here, so every string from
//! an audited page is escaped; a Content-Security-Policy meta forbids inline script.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;
use serde_json::Value;

use super::{write_atomic, DemarcheReport, Report, ReportError};
use crate::indicators::{self, Indicator};
use crate::rules::{all_rules, Outcome};

const BASE: &str = include_str!("../../templates/base.html");
const INDEX: &str = include_str!("../../templates/index.html");
const DEMARCHE: &str = include_str!("../../templates/demarche.html");
const METHODOLOGY: &str = include_str!("../../templates/methodologie.html");
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

/// Name of a démarche's page: its id reduced to safe characters, unique in the run.
fn page_names(report: &Report) -> Vec<String> {
    let mut used = HashSet::new();
    report
        .demarches
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let slug: String = d
                .demarche
                .id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .take(60)
                .collect();
            let slug = slug.trim_matches('-').to_string();
            let mut name = format!(
                "demarche-{}.html",
                if slug.is_empty() { "sans-id" } else { &slug }
            );
            if !used.insert(name.clone()) {
                name = format!("demarche-{slug}-{i}.html");
                used.insert(name.clone());
            }
            name
        })
        .collect()
}

fn env() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    // The default callback escapes .html templates; kept explicit because safety depends on it.
    env.set_auto_escape_callback(minijinja::default_auto_escape_callback);
    env.add_template("base.html", BASE)?;
    env.add_template("index.html", INDEX)?;
    env.add_template("demarche.html", DEMARCHE)?;
    env.add_template("methodologie.html", METHODOLOGY)?;
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
    }
}

#[derive(Serialize)]
struct Row {
    href: String,
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
fn chart(def: &indicators::IndicatorDef, report: &Report) -> Chart {
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
    for d in &report.demarches {
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
    let total = report.demarches.len().max(1) as u32;
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

fn base_context(report: &Report) -> (String, String, String, String) {
    (
        format!("{} {}", report.tool.name, report.tool.version),
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        report.started_at.clone(),
        report.finished_at.clone(),
    )
}

fn render_index(
    env: &Environment,
    report: &Report,
    names: &[String],
    csv_sizes: (usize, usize),
) -> Result<String, minijinja::Error> {
    let cfg = indicators::config();
    let columns: Vec<Column> = cfg
        .indicators
        .iter()
        .map(|d| Column {
            id: d.id.clone(),
            short: d.court.clone(),
            description: d.description.clone(),
        })
        .collect();
    let rows: Vec<Row> = report
        .demarches
        .iter()
        .zip(names)
        .map(|(d, href)| Row {
            href: href.clone(),
            name: d.demarche.name.clone(),
            operator: d.demarche.operator.clone(),
            ministry: d.demarche.ministry.clone(),
            cells: cfg
                .indicators
                .iter()
                .map(|def| cell(d.indicators.iter().find(|i| i.id == def.id)))
                .collect(),
        })
        .collect();
    let mut by_colour: BTreeMap<String, LevelCount> = BTreeMap::new();
    for d in &report.demarches {
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
    let operators: BTreeSet<String> = report
        .demarches
        .iter()
        .map(|d| d.demarche.operator.clone())
        .filter(|s| !s.is_empty())
        .collect();
    let ministries: BTreeSet<String> = report
        .demarches
        .iter()
        .map(|d| d.demarche.ministry.clone())
        .filter(|s| !s.is_empty())
        .collect();
    let charts: Vec<Chart> = cfg.indicators.iter().map(|d| chart(d, report)).collect();
    let (tool, generated, started_at, finished_at) = base_context(report);
    env.get_template("index.html")?.render(context! {
        nav => "index",
        tool, generated, started_at, finished_at,
        demarches_count => report.demarches.len(),
        pages_count => report.demarches.iter().map(|d| d.summary.pages).sum::<usize>(),
        errors_count => report.demarches.iter().map(|d| d.summary.fetch_errors).sum::<usize>(),
        level_counts => Serde(&level_counts),
        columns => Serde(&columns),
        rows => Serde(&rows),
        charts => Serde(&charts),
        operators => Serde(&operators),
        ministries => Serde(&ministries),
        csv_indicators_size => size_label(csv_sizes.0),
        csv_findings_size => size_label(csv_sizes.1),
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

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(" ; "),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k} : {}", text(v)))
            .collect::<Vec<_>>()
            .join(" ; "),
        other => other.to_string(),
    }
}

fn get_text(v: &Value, keys: &[&str]) -> String {
    keys.iter()
        .find_map(|k| v.get(*k).filter(|x| !x.is_null()))
        .map(text)
        .unwrap_or_default()
}

fn cerfa_rows(cerfa: Option<&Value>) -> Vec<CerfaRow> {
    let Some(list) = cerfa.and_then(|c| c.get("criteria").or_else(|| c.get("criteres"))) else {
        return Vec::new();
    };
    let items: Vec<(String, &Value)> = match list {
        Value::Array(a) => a
            .iter()
            .map(|it| (get_text(it, &["number", "numero", "id", "criterion"]), it))
            .collect(),
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .map(|(number, it)| {
            let mut evidence: Vec<String> = Vec::new();
            let summary = get_text(it, &["summary"]);
            if !summary.is_empty() {
                evidence.push(summary);
            }
            match it.get("evidence").or_else(|| it.get("preuves")) {
                Some(Value::Array(a)) => evidence.extend(a.iter().take(20).map(evidence_text)),
                Some(Value::Null) | None => {}
                Some(other) => evidence.push(evidence_text(other)),
            }
            let disagreement = get_text(it, &["disagreement"]);
            if !disagreement.is_empty() {
                evidence.push(format!("Désaccord avec la déclaration : {disagreement}"));
            }
            CerfaRow {
                number,
                label: get_text(it, &["label", "libelle", "title", "name"]),
                status: status_fr(&get_text(it, &["status", "statut", "outcome"])),
                mode: status_fr(&get_text(it, &["mode", "judgement", "judgment"])),
                source: status_fr(&get_text(it, &["source"])),
                evidence,
            }
        })
        .collect()
}

/// French words for the Cerfa section's status and source codes.
fn status_fr(code: &str) -> String {
    match code {
        "met" => "rempli",
        "not_met" => "non rempli",
        "unknown" => "inconnu",
        "not_applicable" => "non applicable",
        "mesure" => "mesuré",
        "declare" => "déclaré",
        "inconnu" => "inconnu",
        "auto" => "automatique",
        "heuristic" => "heuristique",
        "declared" => "déclaratif",
        other => return other.to_string(),
    }
    .to_string()
}

/// One evidence item: its text, then where (URL, selector).
fn evidence_text(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = ["text", "message", "url", "selector"]
                .iter()
                .filter_map(|k| m.get(*k).map(text))
                .filter(|s| !s.is_empty())
                .collect();
            parts.join(" — ")
        }
        other => text(other),
    }
}

fn rgaa_rows(rgaa: Option<&Value>) -> (Vec<RgaaRow>, String) {
    let Some(list) = rgaa.and_then(|r| r.get("criteria").or_else(|| r.get("criteres"))) else {
        return (Vec::new(), String::new());
    };
    let rows: Vec<RgaaRow> = match list {
        Value::Array(a) => a
            .iter()
            .map(|it| {
                let mut detail = get_text(it, &["label", "reason", "detail", "message", "title"]);
                if let Some(p) = it.get("pages").filter(|p| p.is_object()) {
                    let n = |k: &str| p.get(k).and_then(Value::as_u64).unwrap_or(0);
                    detail.push_str(&format!(
                        " — pages : {} C, {} NC, {} NA, {} NT",
                        n("c"),
                        n("nc"),
                        n("na"),
                        n("nt")
                    ));
                }
                RgaaRow {
                    id: get_text(it, &["id", "criterion", "number"]),
                    status: get_text(it, &["status", "statut"]),
                    detail,
                }
            })
            .collect(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| RgaaRow {
                id: k.clone(),
                status: if v.is_string() {
                    text(v)
                } else {
                    get_text(v, &["status", "statut"])
                },
                detail: if v.is_string() {
                    String::new()
                } else {
                    get_text(v, &["reason", "detail", "message", "title"])
                },
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &rows {
        *counts.entry(r.status.clone()).or_default() += 1;
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

fn declaration_view(cerfa: Option<&Value>, d: &DemarcheReport) -> (Vec<KeyValue>, Vec<String>) {
    let decl = cerfa.and_then(|c| {
        [
            "declaration",
            "accessibility_declaration",
            "declaration_accessibilite",
        ]
        .iter()
        .find_map(|k| c.get(*k))
    });
    let mut kv = Vec::new();
    if let Some(Value::Object(m)) = decl {
        for (k, v) in m {
            if k == "contradictions" || k == "contradiction" {
                continue;
            }
            let key = match k.as_str() {
                "url" => "Page",
                "status" => "État de conformité",
                "rate" => "Taux publié (%)",
                "established" => "Établie le",
                "updated" => "Mise à jour le",
                "contact" => "Moyen de contact",
                "defenseur_des_droits" => "Recours au Défenseur des droits",
                "schema_link" => "Schéma pluriannuel",
                "action_plan_link" => "Plan d'action",
                "rgaa_version" => "Version du RGAA",
                "recevable" => "Recevable",
                "reasons" => "Motifs de non-recevabilité",
                "age_days" => "Âge (jours)",
                "pages_linking" => "Pages qui y mènent",
                "pages_total" => "Pages HTML",
                other => other,
            };
            let value = match v {
                Value::Bool(true) => "oui".to_string(),
                Value::Bool(false) => "non".to_string(),
                other => text(other),
            };
            kv.push(KeyValue {
                key: key.to_string(),
                value,
            });
        }
    }
    let mut contradictions: Vec<String> = Vec::new();
    for src in [decl, cerfa] {
        match src.and_then(|s| s.get("contradictions").or_else(|| s.get("contradiction"))) {
            Some(Value::Array(a)) => contradictions.extend(a.iter().map(text)),
            Some(Value::String(c)) => contradictions.push(c.clone()),
            _ => {}
        }
    }
    if let Some(Value::Array(criteria)) = cerfa.and_then(|c| c.get("criteria")) {
        for c in criteria {
            if let Some(Value::String(dis)) = c.get("disagreement") {
                contradictions.push(format!(
                    "Critère Cerfa {} : {dis}",
                    get_text(c, &["number"])
                ));
            }
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
    report: &Report,
    d: &DemarcheReport,
) -> Result<String, minijinja::Error> {
    let json = serde_json::to_value(d).unwrap_or(Value::Null);
    let cerfa = json.get("cerfa").filter(|v| !v.is_null());
    let rgaa = json.get("rgaa").filter(|v| !v.is_null());
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
    let (tool, generated, started_at, finished_at) = base_context(report);
    env.get_template("demarche.html")?.render(context! {
        nav => "demarche",
        tool, generated, started_at, finished_at,
        d => Serde(&head),
        indicators => Serde(&indicators),
        cerfa_rows => Serde(&cerfa_rows(cerfa)),
        rgaa_rows => Serde(&rgaa_rows),
        rgaa_counts,
        rule_groups => Serde(&rule_groups(d)),
        pages => Serde(&pages),
        probes => Serde(&probes),
        declaration => Serde(&declaration),
        contradictions => Serde(&contradictions),
    })
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
    report: &Report,
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
    let (tool, generated, started_at, finished_at) = base_context(report);
    env.get_template("methodologie.html")?.render(context! {
        nav => "methodologie",
        tool, generated, started_at, finished_at,
        probes,
        min_words => indicators::MIN_WORDS_FOR_READABILITY,
        definitions => Serde(&definitions),
    })
}

/// Every file of the site: (file name, contents).
pub fn render_site(
    report: &Report,
    opts: &SiteOptions,
) -> Result<Vec<(String, Vec<u8>)>, SiteError> {
    let env = env()?;
    let names = page_names(report);
    let csv_ind = super::csv::indicators_csv(report, opts.csv_sep);
    let csv_find = super::csv::findings_csv(report, opts.csv_sep);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let index = render_index(&env, report, &names, (csv_ind.len(), csv_find.len()))?;
    files.push(("index.html".into(), index.into_bytes()));
    for (d, name) in report.demarches.iter().zip(&names) {
        files.push((name.clone(), render_demarche(&env, report, d)?.into_bytes()));
    }
    let probes = report
        .demarches
        .iter()
        .map(|d| d.probes.len())
        .max()
        .unwrap_or(crate::probe::DEFAULT_PROBES);
    files.push((
        "methodologie.html".into(),
        render_methodology(&env, report, probes)?.into_bytes(),
    ));
    files.push(("vigie.css".into(), stylesheet().into_bytes()));
    files.push(("vigie.js".into(), JS.as_bytes().to_vec()));
    files.push(("indicateurs.csv".into(), csv_ind.into_bytes()));
    files.push(("constats.csv".into(), csv_find.into_bytes()));
    Ok(files)
}

/// Write the site into `out` (atomically, file by file); returns the paths written.
pub fn write_site(
    report: &Report,
    out: &Path,
    opts: &SiteOptions,
) -> Result<Vec<PathBuf>, SiteError> {
    let mut written = Vec::new();
    for (name, bytes) in render_site(report, opts)? {
        let path = out.join(&name);
        write_atomic(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}
