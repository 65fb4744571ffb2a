//! ACT conformance: run vigie on a W3C ACT test-case corpus and compare, rule by rule, with the
//! expected outcomes, the way W3C implementation reports do.
//!
//! The corpus folder is served over HTTP as a web root (examples load `/WAI/…` assets) and each
//! example page goes through the normal crawl path (`crawl::visit`), so what is measured is what
//! an audit would report. For every ACT rule that some vigie rule claims (`RuleMeta::act`):
//! a `failed` example must be reported failed; a `passed` or `inapplicable` example must not be
//! reported failed (a false positive). `cantTell` is neither right nor wrong and is counted apart.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::crawl::{self, CssCache, FetchConfig, Fetcher, InScope};
use crate::findings::Finding;
use crate::rules::{all_rules, Outcome};
use crate::serve::{self, Source};

/// Why a conformance run could not start.
#[derive(Debug, thiserror::Error)]
pub enum ConformanceError {
    #[error("lecture du manifeste {path} : {source}")]
    ReadManifest {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("manifeste {path} invalide : {source}")]
    ParseManifest {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Serve(#[from] serve::ServeError),
    #[error("client HTTP : {0}")]
    Client(String),
    #[error("URL du serveur local invalide : {0}")]
    Url(String),
    #[error(transparent)]
    Browser(#[from] crate::render::BrowserError),
}

/// The expected outcome of an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expected {
    Passed,
    Failed,
    Inapplicable,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    #[serde(default)]
    rules: Vec<ManifestRule>,
    #[serde(default)]
    cases: Vec<ManifestCase>,
}

#[derive(Debug, Clone, Deserialize)]
struct ManifestRule {
    rule_id: String,
    #[serde(default)]
    rule_name: String,
    #[serde(default)]
    rule_status: Option<String>,
    #[serde(default)]
    key_rule: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct ManifestCase {
    rule_id: String,
    #[serde(default)]
    rule_name: String,
    file: String,
    expected: Expected,
    /// The example's address on the W3C site (what implementation reports name).
    #[serde(default)]
    url: Option<String>,
}

/// How one example compares with its expected outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Failed example reported failed, or passed/inapplicable example not reported failed.
    Correct,
    /// A passed or inapplicable example reported failed.
    FalsePositive,
    /// A failed example reported passed or inapplicable.
    FalseNegative,
    /// The implementation said cantTell.
    CantTell,
    /// The page could not be fetched or analysed.
    Untested,
}

/// Consistency of an implementation with one ACT rule (W3C implementation report terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    /// Every example correct, no cantTell, nothing untested.
    Consistent,
    /// No false positive nor false negative, at least one failed example caught, but some
    /// cantTell or untested examples.
    PartiallyConsistent,
    /// No error, but no failed example was caught (only cantTell or untested).
    Undecided,
    /// At least one false positive or false negative.
    Inconsistent,
}

impl Consistency {
    pub fn label(self) -> &'static str {
        match self {
            Consistency::Consistent => "consistent",
            Consistency::PartiallyConsistent => "partially consistent",
            Consistency::Undecided => "undecided",
            Consistency::Inconsistent => "inconsistent",
        }
    }
}

/// One example of one implemented ACT rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseResult {
    pub file: String,
    /// The example's address on the W3C site, when the manifest gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub expected: Expected,
    /// Combined page outcome of the vigie rules implementing the ACT rule (None if untested).
    pub outcome: Option<Outcome>,
    pub verdict: Verdict,
    /// Outcome of each implementing vigie rule.
    pub rules: BTreeMap<String, Outcome>,
    /// Selectors of failed and cantTell targets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Figures for one implemented ACT rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActRuleReport {
    pub act_id: String,
    pub name: String,
    pub key_rule: bool,
    pub vigie_rules: Vec<String>,
    pub consistency: Consistency,
    pub examples: usize,
    pub correct: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub cant_tell: usize,
    pub untested: usize,
    pub cases: Vec<CaseResult>,
}

/// An ACT rule of the corpus that no vigie rule implements.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnimplementedRule {
    pub act_id: String,
    pub name: String,
    pub key_rule: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub examples: usize,
}

/// The whole comparison.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConformanceReport {
    pub tool: String,
    pub version: String,
    pub corpus: String,
    /// Every example was rendered in a browser before the rules ran (`--render always`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rendered: bool,
    pub implemented: Vec<ActRuleReport>,
    pub unimplemented: Vec<UnimplementedRule>,
}

impl ConformanceReport {
    /// Total false positives over implemented rules (CI fails on any).
    pub fn false_positives(&self) -> usize {
        self.implemented.iter().map(|r| r.false_positives).sum()
    }
    pub fn rule(&self, act_id: &str) -> Option<&ActRuleReport> {
        self.implemented.iter().find(|r| r.act_id == act_id)
    }
}

/// Run options.
#[derive(Debug, Clone)]
pub struct ConformanceOptions {
    /// Requests per second to the local server.
    pub requests_per_second: f64,
    /// Pages analysed at once.
    pub concurrency: usize,
    /// Render every example in a browser first (anything but `never`); without it, rules that
    /// need a browser are counted as not implemented.
    pub render: crate::render::RenderMode,
    /// The browser executable (else `VIGIE_CHROMIUM` or the PATH).
    pub chromium: Option<PathBuf>,
}

impl Default for ConformanceOptions {
    fn default() -> Self {
        ConformanceOptions {
            requests_per_second: 200.0,
            concurrency: 8,
            render: crate::render::RenderMode::Never,
            chromium: None,
        }
    }
}

/// ACT rule id → vigie rule ids claiming it, from the registry; rules that need a browser
/// only when the examples are `rendered`.
pub fn implemented_act_rules(rendered: bool) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rule in all_rules()
        .iter()
        .filter(|r| rendered || !r.needs_browser())
    {
        for act in rule.meta().act {
            map.entry(act.to_string())
                .or_default()
                .push(rule.meta().id.to_string());
        }
    }
    map
}

/// Combine page outcomes of several rules: failed wins, then cantTell, passed, inapplicable.
fn combine(outcomes: impl Iterator<Item = Outcome>) -> Outcome {
    outcomes.min().unwrap_or(Outcome::Inapplicable)
}

/// The verdict of one example.
pub fn verdict(expected: Expected, outcome: Option<Outcome>) -> Verdict {
    match (expected, outcome) {
        (_, None) => Verdict::Untested,
        (_, Some(Outcome::CantTell)) => Verdict::CantTell,
        (Expected::Failed, Some(Outcome::Failed)) => Verdict::Correct,
        (Expected::Failed, Some(_)) => Verdict::FalseNegative,
        (_, Some(Outcome::Failed)) => Verdict::FalsePositive,
        (_, Some(_)) => Verdict::Correct,
    }
}

fn consistency(cases: &[CaseResult]) -> Consistency {
    let count = |v: Verdict| cases.iter().filter(|c| c.verdict == v).count();
    if count(Verdict::FalsePositive) + count(Verdict::FalseNegative) > 0 {
        return Consistency::Inconsistent;
    }
    if count(Verdict::CantTell) + count(Verdict::Untested) == 0 {
        return Consistency::Consistent;
    }
    let caught = cases
        .iter()
        .any(|c| c.expected == Expected::Failed && c.verdict == Verdict::Correct);
    if caught {
        Consistency::PartiallyConsistent
    } else {
        Consistency::Undecided
    }
}

/// Outcome of each vigie rule on a page, from its findings.
fn outcomes_by_rule(findings: &[Finding]) -> HashMap<&str, Outcome> {
    let mut map: HashMap<&str, Outcome> = HashMap::new();
    for f in findings {
        let e = map.entry(&*f.rule).or_insert(f.outcome);
        if f.outcome < *e {
            *e = f.outcome;
        }
    }
    map
}

/// Read the corpus manifest.
fn read_manifest(dir: &Path) -> Result<Manifest, ConformanceError> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|source| ConformanceError::ReadManifest {
        path: path.clone(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| ConformanceError::ParseManifest { path, source })
}

/// What one fetched example page gave.
struct PageRun {
    findings: Option<Vec<Finding>>,
    error: Option<String>,
    /// Why the browser did not render the example (rendered runs only).
    unrendered: Option<String>,
}

/// Run the comparison over the corpus in `dir`.
pub async fn run(
    dir: &Path,
    opts: &ConformanceOptions,
) -> Result<ConformanceReport, ConformanceError> {
    let manifest = read_manifest(dir)?;
    let rendered = opts.render != crate::render::RenderMode::Never;
    let implemented = implemented_act_rules(rendered);
    // The browser is looked for before anything is served: `--render` without one is an error.
    let session = if rendered {
        Some(crate::render::RenderSession::new(
            crate::render::RenderMode::Always,
            opts.chromium.as_deref(),
            crate::render::BrowserLimits {
                tabs: opts.concurrency.clamp(1, 4),
                // Every example on one local server that answers at once (no rate to share).
                tabs_per_host: 4,
                // Local examples load at once; one that never fires `load` (an <object> playing
                // audio) should not hold the run for the audit's 20 s.
                navigation: std::time::Duration::from_secs(8),
                page: std::time::Duration::from_secs(20),
                ..crate::render::BrowserLimits::default()
            },
        )?)
    } else {
        None
    };
    let renderer = session.as_ref().map(|s| s.renderer_with_photos(None, 0));

    // Rule list: from the manifest's `rules`, completed from the cases.
    let mut rule_info: BTreeMap<String, ManifestRule> = BTreeMap::new();
    for r in &manifest.rules {
        rule_info.insert(r.rule_id.clone(), r.clone());
    }
    for c in &manifest.cases {
        rule_info
            .entry(c.rule_id.clone())
            .or_insert_with(|| ManifestRule {
                rule_id: c.rule_id.clone(),
                rule_name: c.rule_name.clone(),
                rule_status: None,
                key_rule: false,
            });
    }

    // Fetch only the examples of implemented rules.
    let wanted: Vec<ManifestCase> = manifest
        .cases
        .iter()
        .filter(|c| implemented.contains_key(&c.rule_id))
        .cloned()
        .collect();
    let server = serve::start(Source::Disk(dir.to_path_buf())).await?;
    let base = Url::parse(&server.url()).map_err(|e| ConformanceError::Url(e.to_string()))?;
    let fetcher = Arc::new(
        Fetcher::new(FetchConfig {
            requests_per_second: opts.requests_per_second,
            concurrency: opts.concurrency.max(1),
            retries: 0,
            ..FetchConfig::default()
        })
        .map_err(|e| ConformanceError::Client(e.to_string()))?,
    );
    let css = Arc::new(CssCache::default());
    let origin = crawl::origin_of(&base);
    let in_scope: InScope = Arc::new(move |u: &Url| crawl::origin_of(u) == origin);

    let runs: Vec<(String, PageRun)> = stream::iter(wanted.iter().map(|c| c.file.clone()))
        .map(|file| {
            let fetcher = fetcher.clone();
            let css = css.clone();
            let in_scope = in_scope.clone();
            let base = base.clone();
            let renderer = renderer.clone();
            async move {
                let Ok(url) = base.join(&file) else {
                    return (
                        file.clone(),
                        PageRun {
                            findings: None,
                            error: Some(format!("chemin d'exemple invalide : {file}")),
                            unrendered: None,
                        },
                    );
                };
                let c = match renderer {
                    Some(renderer) => {
                        let analyser = crate::analyze::RenderingAnalyser {
                            renderer,
                            all_targets: false,
                        };
                        crawl::visit(Arc::new(analyser), fetcher, css, url, 0, in_scope).await
                    }
                    None => {
                        let analyser = crate::analyze::StaticAnalyser;
                        crawl::visit(Arc::new(analyser), fetcher, css, url, 0, in_scope).await
                    }
                };
                let error = c
                    .record
                    .error
                    .as_ref()
                    .map(|e| e.message.clone())
                    .or_else(|| {
                        (!c.record.ok()).then(|| format!("statut HTTP {:?}", c.record.status))
                    });
                // Rendered run: on an example the browser failed on, the served page was
                // analysed, as in an audit; rules needing the browser are then not tested.
                let unrendered = c
                    .rendering
                    .as_ref()
                    .filter(|r| r.status != crawl::RenderStatus::Rendered)
                    .map(|r| r.to_string());
                // A document fetched fine but not HTML (SVG, XML) is not audited: vigie reports
                // nothing on it, so every rule is inapplicable there, as in a real audit.
                let findings = match c.analysis {
                    Some(a) => Some(a.findings),
                    None if error.is_none() && !c.record.is_html() => Some(Vec::new()),
                    None => None,
                };
                (
                    file,
                    PageRun {
                        findings,
                        error,
                        unrendered,
                    },
                )
            }
        })
        .buffer_unordered(opts.concurrency.max(1))
        .collect()
        .await;
    if let Some(session) = &session {
        session.shutdown().await;
    }
    drop(server);
    let runs: HashMap<String, PageRun> = runs.into_iter().collect();

    let mut reports = Vec::new();
    for (act_id, vigie_rules) in &implemented {
        let Some(info) = rule_info.get(act_id) else {
            continue; // not in this corpus
        };
        let needs_browser = vigie_rules
            .iter()
            .any(|id| crate::rules::rule_by_id(id).is_some_and(|r| r.needs_browser()));
        let mut cases = Vec::new();
        for c in wanted.iter().filter(|c| &c.rule_id == act_id) {
            let run = runs.get(&c.file);
            let (outcome, rules, targets, error) = match run {
                Some(PageRun {
                    unrendered: Some(why),
                    ..
                }) if needs_browser => (None, BTreeMap::new(), Vec::new(), Some(why.clone())),
                Some(PageRun {
                    findings: Some(findings),
                    error,
                    ..
                }) if error.is_none() => {
                    let by_rule = outcomes_by_rule(findings);
                    let rules: BTreeMap<String, Outcome> = vigie_rules
                        .iter()
                        .map(|r| {
                            (
                                r.clone(),
                                by_rule
                                    .get(r.as_str())
                                    .copied()
                                    .unwrap_or(Outcome::Inapplicable),
                            )
                        })
                        .collect();
                    let targets = findings
                        .iter()
                        .filter(|f| vigie_rules.iter().any(|r| *r == *f.rule))
                        .filter(|f| matches!(f.outcome, Outcome::Failed | Outcome::CantTell))
                        .flat_map(|f| f.targets.iter().map(|t| t.selector.to_string()))
                        .collect();
                    (Some(combine(rules.values().copied())), rules, targets, None)
                }
                Some(r) => (
                    None,
                    BTreeMap::new(),
                    Vec::new(),
                    Some(
                        r.error
                            .clone()
                            .unwrap_or_else(|| "page non analysée (pas du HTML)".to_string()),
                    ),
                ),
                None => (
                    None,
                    BTreeMap::new(),
                    Vec::new(),
                    Some("exemple non exécuté".to_string()),
                ),
            };
            cases.push(CaseResult {
                file: c.file.clone(),
                url: c.url.clone(),
                expected: c.expected,
                outcome,
                verdict: verdict(c.expected, outcome),
                rules,
                targets,
                error,
            });
        }
        let count = |v: Verdict| cases.iter().filter(|c| c.verdict == v).count();
        reports.push(ActRuleReport {
            act_id: act_id.clone(),
            name: info.rule_name.clone(),
            key_rule: info.key_rule,
            vigie_rules: vigie_rules.clone(),
            consistency: consistency(&cases),
            examples: cases.len(),
            correct: count(Verdict::Correct),
            false_positives: count(Verdict::FalsePositive),
            false_negatives: count(Verdict::FalseNegative),
            cant_tell: count(Verdict::CantTell),
            untested: count(Verdict::Untested),
            cases,
        });
    }
    let unimplemented = rule_info
        .values()
        .filter(|r| !implemented.contains_key(&r.rule_id))
        .map(|r| UnimplementedRule {
            act_id: r.rule_id.clone(),
            name: r.rule_name.clone(),
            key_rule: r.key_rule,
            status: r.rule_status.clone(),
            examples: manifest
                .cases
                .iter()
                .filter(|c| c.rule_id == r.rule_id)
                .count(),
        })
        .collect();
    Ok(ConformanceReport {
        tool: crate::TOOL_NAME.to_string(),
        version: crate::TOOL_VERSION.to_string(),
        corpus: dir.display().to_string(),
        rendered,
        implemented: reports,
        unimplemented,
    })
}

/// The text report: one line per implemented ACT rule, then the errors, then what is not
/// implemented.
/// The run as a W3C ACT implementation report: EARL in JSON-LD, one test subject per example
/// (named by its W3C address), one assertion per vigie rule that implements the example's ACT
/// rule, with vigie's outcome (`earl:untested` when the page could not be audited).
pub fn earl(report: &ConformanceReport) -> serde_json::Value {
    use serde_json::json;
    let assertor = json!({
        "@type": "Software",
        "title": report.tool,
        "hasVersion": report.version,
        "description": "Auditeur statique RGAA 4.1.2 / WCAG 2.1 des démarches en ligne",
    });
    let mut graph = Vec::new();
    for rule in &report.implemented {
        for case in &rule.cases {
            let outcome = |o: Option<Outcome>| match o {
                Some(Outcome::Passed) => "earl:passed",
                Some(Outcome::Failed) => "earl:failed",
                Some(Outcome::CantTell) => "earl:cantTell",
                Some(Outcome::Inapplicable) => "earl:inapplicable",
                None => "earl:untested",
            };
            let assertions: Vec<serde_json::Value> = rule
                .vigie_rules
                .iter()
                .map(|id| {
                    let o = if case.verdict == Verdict::Untested {
                        None
                    } else {
                        case.rules.get(id).copied()
                    };
                    json!({
                        "@type": "Assertion",
                        "mode": "earl:automatic",
                        "assertedBy": assertor,
                        "test": { "@type": "TestCase", "title": id },
                        "result": { "@type": "TestResult", "outcome": outcome(o) },
                    })
                })
                .collect();
            graph.push(json!({
                "@type": "TestSubject",
                "source": case.url.clone().unwrap_or_else(|| case.file.clone()),
                "assertions": assertions,
            }));
        }
    }
    json!({
        "@context": "https://www.w3.org/WAI/content-assets/wcag-act-rules/earl-context.json",
        "@graph": graph,
    })
}

pub fn text_report(report: &ConformanceReport) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let rendered = if report.rendered {
        " (exemples rendus dans Chromium)"
    } else {
        ""
    };
    let _ = writeln!(s, "Conformité ACT — corpus {}{rendered}", report.corpus);
    let _ = writeln!(
        s,
        "{:<7} {:<21} {:>4} {:>4} {:>3} {:>3} {:>4} {:>4}  règles vigie",
        "ACT", "cohérence", "ex.", "ok", "FP", "FN", "?", "n.t."
    );
    for r in &report.implemented {
        let _ = writeln!(
            s,
            "{:<7} {:<21} {:>4} {:>4} {:>3} {:>3} {:>4} {:>4}  {}{}",
            r.act_id,
            r.consistency.label(),
            r.examples,
            r.correct,
            r.false_positives,
            r.false_negatives,
            r.cant_tell,
            r.untested,
            r.vigie_rules.join(", "),
            if r.key_rule { "  [clé]" } else { "" }
        );
    }
    let errors: Vec<(&ActRuleReport, &CaseResult)> = report
        .implemented
        .iter()
        .flat_map(|r| r.cases.iter().map(move |c| (r, c)))
        .filter(|(_, c)| {
            matches!(
                c.verdict,
                Verdict::FalsePositive | Verdict::FalseNegative | Verdict::Untested
            )
        })
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(s, "\nÉcarts :");
        for (r, c) in errors {
            let _ = writeln!(
                s,
                "  {:<7} {:<15} {:<28} attendu {:?}, obtenu {}{}",
                r.act_id,
                format!("{:?}", c.verdict),
                c.file,
                c.expected,
                c.outcome.map(|o| o.as_str()).unwrap_or("-"),
                c.error
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            );
        }
    }
    let _ = writeln!(
        s,
        "\nRègles ACT non implémentées ({}) :",
        report.unimplemented.len()
    );
    for u in &report.unimplemented {
        let _ = writeln!(
            s,
            "  {:<7} {}{}",
            u.act_id,
            u.name,
            if u.key_rule { "  [clé]" } else { "" }
        );
    }
    let fp = report.false_positives();
    let fneg: usize = report.implemented.iter().map(|r| r.false_negatives).sum();
    let ct: usize = report.implemented.iter().map(|r| r.cant_tell).sum();
    let consistent = report
        .implemented
        .iter()
        .filter(|r| r.consistency == Consistency::Consistent)
        .count();
    let _ = writeln!(
        s,
        "\n{} règles ACT implémentées ({} cohérentes) ; faux positifs {fp}, faux négatifs {fneg}, « à vérifier » {ct}.",
        report.implemented.len(),
        consistent
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_w3c_semantics() {
        assert_eq!(
            verdict(Expected::Failed, Some(Outcome::Failed)),
            Verdict::Correct
        );
        assert_eq!(
            verdict(Expected::Failed, Some(Outcome::Passed)),
            Verdict::FalseNegative
        );
        assert_eq!(
            verdict(Expected::Failed, Some(Outcome::Inapplicable)),
            Verdict::FalseNegative
        );
        assert_eq!(
            verdict(Expected::Passed, Some(Outcome::Failed)),
            Verdict::FalsePositive
        );
        assert_eq!(
            verdict(Expected::Inapplicable, Some(Outcome::Failed)),
            Verdict::FalsePositive
        );
        // Passed where inapplicable was expected is not an error (W3C reports accept it).
        assert_eq!(
            verdict(Expected::Inapplicable, Some(Outcome::Passed)),
            Verdict::Correct
        );
        assert_eq!(
            verdict(Expected::Passed, Some(Outcome::CantTell)),
            Verdict::CantTell
        );
        assert_eq!(verdict(Expected::Passed, None), Verdict::Untested);
    }

    #[test]
    fn combine_takes_the_worst_outcome() {
        assert_eq!(
            combine([Outcome::Passed, Outcome::CantTell].into_iter()),
            Outcome::CantTell
        );
        assert_eq!(combine(std::iter::empty()), Outcome::Inapplicable);
    }
}
