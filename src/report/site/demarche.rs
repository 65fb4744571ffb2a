//! demarche-<id>.html: one démarche in full: its indicators, Cerfa and RGAA criteria, the
//! accessibility statement, the findings grouped by rule, the pages, probes and CSS limits.

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::{context, Environment};
use serde::Serialize;

use super::{base_context, cell, SiteHistory};
use crate::cerfa::CerfaReport;
use crate::format::fr_number;
use crate::indicators;
use crate::report::stream::RunHeader;
use crate::report::DemarcheReport;
use crate::rules::{all_rules, Outcome};
use crate::scores::rgaa::RgaaSummary;

/// Elements listed per rule on a démarche page (the CSV has them all).
const MAX_ITEMS_PER_RULE: usize = 200;

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
    photo: Option<Photo>,
}

/// A photo of a failed element, written beside the page (`captures/…`).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub(super) struct Photo {
    src: String,
    alt: String,
    width: u32,
    height: u32,
    #[serde(skip)]
    key: (String, String, String),
}

/// The photos a report holds may come from anywhere: only a WebP image within the bounds the
/// browser step keeps to is written.
fn webp_within_bounds(bytes: &[u8], width: u32, height: u32) -> bool {
    bytes.len() <= crate::crawl::render::MAX_PHOTO_BYTES
        && bytes.len() > 12
        && &bytes[..4] == b"RIFF"
        && &bytes[8..12] == b"WEBP"
        && (1..=crate::crawl::render::MAX_PHOTO_WIDTH).contains(&width)
        && (1..=crate::crawl::render::MAX_PHOTO_HEIGHT).contains(&height)
}

/// Write the démarche's photos as `captures/<page stem>-<n>.webp` under `out`.
pub(super) fn write_photos(
    out: &std::path::Path,
    page_name: &str,
    d: &DemarcheReport,
) -> Result<Vec<Photo>, crate::report::ReportError> {
    use base64::Engine as _;
    let stem = page_name.trim_end_matches(".html");
    let mut photos = Vec::new();
    for p in &d.pages {
        for shot in &p.screenshots {
            let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&shot.data) else {
                continue;
            };
            if shot.media_type != "image/webp"
                || !webp_within_bounds(&bytes, shot.width, shot.height)
            {
                continue;
            }
            let src = format!("captures/{stem}-{}.webp", photos.len() + 1);
            let path = out.join(&src);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|source| crate::report::ReportError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            crate::report::write_atomic(&path, &bytes)?;
            photos.push(Photo {
                alt: format!(
                    "Capture de l'élément en échec : {} — {}",
                    shot.rule, shot.selector
                ),
                src,
                width: shot.width,
                height: shot.height,
                key: (
                    p.record.final_url.clone(),
                    shot.rule.clone(),
                    shot.selector.clone(),
                ),
            });
        }
    }
    Ok(photos)
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
    /// « rendu : … » / « non rendu : … » (absent in reports older than the rendered mode).
    rendering: Option<String>,
    /// The browser's requests, dialogs and pop-ups on a rendered page.
    browser: Option<String>,
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
                status: c.status.label_fr().to_string(),
                mode: match c.mode {
                    crate::cerfa::Mode::Auto => "automatique",
                    crate::cerfa::Mode::Heuristic => "heuristique",
                    crate::cerfa::Mode::Declared => "déclaratif",
                }
                .to_string(),
                source: match c.source {
                    crate::cerfa::Source::Measured => "mesuré",
                    crate::cerfa::Source::Declared => "déclaré",
                    crate::cerfa::Source::Unknown => "inconnu",
                }
                .to_string(),
                evidence,
            }
        })
        .collect()
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

fn rule_groups(d: &DemarcheReport, photos: &[Photo]) -> Vec<RuleGroup> {
    let mut shown_photos = std::collections::HashSet::new();
    let mut groups: Vec<RuleGroup> = Vec::new();
    for f in &d.findings {
        if !matches!(f.outcome, Outcome::Failed | Outcome::CantTell) {
            continue;
        }
        let outcome = f.outcome.label_fr();
        let idx = match groups.iter().position(|g| g.rule == f.rule) {
            Some(i) => i,
            None => {
                let title = all_rules()
                    .iter()
                    .find(|r| r.meta().id == f.rule)
                    .map(|r| r.meta().title.to_string())
                    .unwrap_or_else(|| f.rule.to_string());
                groups.push(RuleGroup {
                    rule: f.rule.to_string(),
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
                .map(|t| (t.selector.to_string(), t.snippet.to_string()))
                .collect()
        };
        for (selector, snippet) in targets {
            if g.items.len() >= MAX_ITEMS_PER_RULE {
                g.truncated = true;
                break;
            }
            let key = (f.url.to_string(), f.rule.to_string(), selector.clone());
            let photo = photos
                .iter()
                .find(|p| f.outcome == Outcome::Failed && p.key == key)
                .filter(|p| shown_photos.insert(p.src.clone()))
                .cloned();
            g.items.push(Item {
                outcome,
                url: f.url.to_string(),
                selector,
                snippet,
                message: f.message.clone(),
                photo,
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
            ("Taux publié (%)", x.rate.map(|r| fr_number(r, 2))),
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
    let failed = d.findings.iter().filter(|f| f.is_counted_failure()).count();
    if declared_full && failed > 0 && contradictions.is_empty() {
        contradictions.push(format!(
            "La déclaration annonce 100 % de critères respectés, mais {failed} échec(s) ont été mesurés automatiquement."
        ));
    }
    (kv, contradictions)
}

pub(super) fn render(
    env: &Environment,
    run: &RunHeader,
    d: &DemarcheReport,
    progress: Option<(&str, usize)>,
    history: Option<&SiteHistory>,
    photos: &[Photo],
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
            rendering: p.rendering.as_ref().map(|r| r.to_string()),
            browser: p
                .rendering
                .as_ref()
                .and_then(|r| r.browser.as_ref())
                .map(|b| b.summary()),
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
    let (tool, started_at, finished_at) = base_context(run);
    env.get_template("demarche.html")?.render(context! {
        nav => "demarche",
        tool, started_at, finished_at,
        d => Serde(&head),
        indicators => Serde(&indicators),
        cerfa_rows => Serde(&cerfa_rows(cerfa)),
        rgaa_rows => Serde(&rgaa_rows),
        rgaa_counts,
        css_limits => Serde(&css_limits),
        rule_groups => Serde(&rule_groups(d, photos)),
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
    let mut by_note: BTreeMap<&str, (usize, &str)> = Default::default();
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
