//! Passed and inapplicable outcomes kept compact (report.json 2.0). A 1.0 report held one whole
//! finding per passed rule and per inapplicable rule of each page (about 57 a page, most of them
//! alike), which made report.json and the store about 100 KB a page. In 2.0:
//! - failed and cantTell findings stay whole in `findings` (passed ones too with `--all-targets`);
//! - each analysed page lists its passed rules with their target counts (`pages[].outcomes`);
//! - the démarche lists the rules run on every page (`rules`): a rule with neither a passed
//!   count nor a finding on a page was inapplicable there;
//! - messages are kept when they are not the usual one (`usual_messages`, per démarche).
//!
//! [`DemarcheReport::all_findings`] gives back the whole list, as a 1.0 report held it (passed
//! findings without their targets), for the findings export.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::DemarcheReport;
use crate::findings::{Finding, Reference};
use crate::rules::{all_rules, references, Outcome, Rule};

/// What an inapplicable rule says when it has nothing to say (as `findings::findings_of`).
const INAPPLICABLE_MESSAGE: &str = "Aucun élément concerné sur la page.";

/// A page's passed rules, and what its compact outcomes do not say as usual. Absent for pages
/// not analysed, and in 1.0 reports (their findings hold every outcome).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageOutcomes {
    /// Rules passed on the page, with the number of passed targets (empty when the audit kept
    /// passed findings whole: `--all-targets`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub passed: BTreeMap<String, usize>,
    /// The message of a passed or inapplicable rule when it is not the usual one: « N éléments
    /// conformes. » for several passed targets, else the démarche's `usual_messages`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub messages: BTreeMap<String, String>,
    /// The RGAA tests the passed targets of a rule cite, when not all of the rule's tests.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rgaa: BTreeMap<String, Vec<String>>,
    /// The URL the findings name, when it is not the page's `final_url`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The usual message of each rule over a démarche's pages, for a rule passed with one target
/// and for an inapplicable rule: pages only name the exceptions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UsualMessages {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub passed: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inapplicable: BTreeMap<String, String>,
}

impl UsualMessages {
    pub fn is_empty(&self) -> bool {
        self.passed.is_empty() && self.inapplicable.is_empty()
    }

    /// The most frequent message of each rule (the smallest on a tie) among a démarche's
    /// inapplicable findings and its passed findings of one target.
    pub fn of<'a>(findings: impl Iterator<Item = &'a Finding>) -> UsualMessages {
        type Counts<'a> = BTreeMap<&'a str, BTreeMap<&'a str, usize>>;
        let (mut passed, mut inapplicable): (Counts, Counts) = Default::default();
        for f in findings {
            let counts = match f.outcome {
                Outcome::Passed if f.count == 1 => &mut passed,
                Outcome::Inapplicable => &mut inapplicable,
                _ => continue,
            };
            *counts
                .entry(&*f.rule)
                .or_default()
                .entry(f.message.as_str())
                .or_default() += 1;
        }
        let most = |counts: Counts| -> BTreeMap<String, String> {
            counts
                .into_iter()
                .filter_map(|(rule, msgs)| {
                    // max_by_key keeps the last maximum: in reverse, the smallest wins a tie.
                    let (msg, _) = msgs.into_iter().rev().max_by_key(|(_, n)| *n)?;
                    Some((rule.to_string(), msg.to_string()))
                })
                .collect()
        };
        UsualMessages {
            passed: most(passed),
            inapplicable: most(inapplicable),
        }
    }

    /// The message a compact outcome has unless its page says otherwise.
    fn usual(&self, rule: &str, outcome: Outcome, count: usize) -> String {
        match outcome {
            Outcome::Passed if count > 1 => format!("{count} éléments conformes."),
            Outcome::Passed => self.passed.get(rule).cloned().unwrap_or_default(),
            _ => self
                .inapplicable
                .get(rule)
                .map_or(INAPPLICABLE_MESSAGE, String::as_str)
                .to_string(),
        }
    }
}

/// A rule of this build by id.
fn rule_of(id: &str) -> Option<&'static dyn Rule> {
    static POSITIONS: std::sync::OnceLock<HashMap<&'static str, usize>> =
        std::sync::OnceLock::new();
    let positions = POSITIONS.get_or_init(|| {
        all_rules()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta().id, i))
            .collect()
    });
    all_rules().get(*positions.get(id)?).copied()
}

fn all_tests(rule: &str) -> Vec<Reference> {
    rule_of(rule)
        .map(|r| references(r.meta().rgaa))
        .unwrap_or_default()
}

/// Split one page's findings: failed and cantTell (and passed, with `keep_passed`) stay whole,
/// the rest becomes the page's compact outcomes.
fn split(
    findings: Vec<Finding>,
    page_url: &str,
    keep_passed: bool,
    usual: &UsualMessages,
) -> (Vec<Finding>, PageOutcomes) {
    let mut whole = Vec::new();
    let mut o = PageOutcomes::default();
    for f in findings {
        if *f.url != *page_url && o.url.is_none() {
            o.url = Some(f.url.to_string());
        }
        let compact = match f.outcome {
            Outcome::Passed => !keep_passed,
            Outcome::Inapplicable => true,
            Outcome::Failed | Outcome::CantTell => false,
        };
        if !compact {
            whole.push(f);
            continue;
        }
        if f.message != usual.usual(&f.rule, f.outcome, f.count) {
            o.messages.insert(f.rule.to_string(), f.message);
        }
        if f.rgaa != all_tests(&f.rule) {
            o.rgaa.insert(
                f.rule.to_string(),
                f.rgaa.into_iter().map(Cow::into_owned).collect(),
            );
        }
        if f.outcome == Outcome::Passed {
            o.passed.insert(f.rule.into_owned(), f.count);
        }
    }
    (whole, o)
}

impl PageOutcomes {
    /// A compact outcome as the finding the audit made (a passed one without its targets).
    fn finding(
        &self,
        rule: &str,
        outcome: Outcome,
        count: usize,
        url: &str,
        usual: &UsualMessages,
    ) -> Finding {
        let meta = rule_of(rule).map(|r| r.meta());
        Finding {
            rule: meta.map_or_else(|| rule.to_string().into(), |m| m.id.into()),
            outcome,
            url: url.into(),
            targets: Vec::new(),
            count,
            message: self
                .messages
                .get(rule)
                .cloned()
                .unwrap_or_else(|| usual.usual(rule, outcome, count)),
            rgaa: self
                .rgaa
                .get(rule)
                .map(|tests| tests.iter().map(|t| t.clone().into()).collect())
                .unwrap_or_else(|| all_tests(rule)),
            wcag: Cow::Borrowed(meta.map_or(&[][..], |m| m.wcag)),
            act: Cow::Borrowed(meta.map_or(&[][..], |m| m.act)),
            cerfa: Cow::Borrowed(meta.map_or(&[][..], |m| m.cerfa)),
            details: None,
        }
    }
}

impl DemarcheReport {
    /// Every finding, passed and inapplicable ones included, in the order a 1.0 report listed
    /// them (page by page, rule by rule; a rule's failed and cantTell targets before its passed
    /// ones). A 1.0 report's findings as they are.
    pub fn all_findings(&self) -> Vec<Finding> {
        if self.pages.iter().all(|p| p.outcomes.is_none()) {
            return self.findings.clone();
        }
        let positions: HashMap<&str, usize> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        let position = |rule: &str| positions.get(rule).copied().unwrap_or(usize::MAX);
        let mut out = Vec::with_capacity(self.findings.len());
        let mut rest = self.findings.iter().peekable();
        for page in &self.pages {
            let Some(o) = page.outcomes.as_ref() else {
                continue;
            };
            let url = o.url.as_deref().unwrap_or(&page.record.final_url);
            // The page's whole findings: the run naming its URL, in rule order.
            let mut chunk: Vec<(usize, u8, Finding)> = Vec::new();
            let mut last = 0;
            while let Some(f) = rest.next_if(|f| {
                let p = position(&f.rule);
                let next = *f.url == *url && p >= last;
                if next {
                    last = p;
                }
                next
            }) {
                chunk.push((position(&f.rule), 0, f.clone()));
            }
            let judged: HashSet<&str> = chunk
                .iter()
                .map(|(_, _, f)| &*f.rule)
                .chain(o.passed.keys().map(String::as_str))
                .collect();
            let mut compact: Vec<(usize, u8, Finding)> = o
                .passed
                .iter()
                .map(|(rule, n)| {
                    let f = o.finding(rule, Outcome::Passed, *n, url, &self.usual_messages);
                    (position(rule), 1, f)
                })
                .collect();
            compact.extend(
                self.rules
                    .iter()
                    .filter(|r| !judged.contains(r.as_str()))
                    .map(|rule| {
                        let f =
                            o.finding(rule, Outcome::Inapplicable, 0, url, &self.usual_messages);
                        (position(rule), 1, f)
                    }),
            );
            chunk.extend(compact);
            // Stable: whole findings keep their order, a rule's passed group comes after them.
            chunk.sort_by_key(|(p, compact, _)| (*p, *compact));
            out.extend(chunk.into_iter().map(|(_, _, f)| f));
        }
        out.extend(rest.cloned());
        out
    }

    /// Make the démarche report compact as a 2.0 audit writes it; `page_findings` gives, for
    /// each analysed page (by index in `pages`), its findings (every outcome). Findings of no
    /// page stay in `findings`, whole.
    pub fn compact_from(&mut self, page_findings: Vec<(usize, Vec<Finding>)>, keep_passed: bool) {
        let usual = UsualMessages::of(page_findings.iter().flat_map(|(_, fs)| fs));
        // Every rule gives each page at least one finding: the rules run, in their order.
        let mut rules: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        for f in page_findings.iter().flat_map(|(_, fs)| fs) {
            if seen.insert(&*f.rule) {
                rules.push(&*f.rule);
            }
        }
        let registry: HashMap<&str, usize> = all_rules()
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta().id, i))
            .collect();
        // In registry order (stable: rules this build does not know keep theirs, last).
        rules.sort_by_key(|r| registry.get(r).copied().unwrap_or(usize::MAX));
        self.rules = rules.into_iter().map(str::to_string).collect();
        let mut whole = Vec::new();
        for (i, findings) in page_findings {
            let Some(page) = self.pages.get_mut(i) else {
                whole.extend(findings);
                continue;
            };
            let (w, o) = split(findings, &page.record.final_url, keep_passed, &usual);
            whole.extend(w);
            page.outcomes = Some(o);
        }
        whole.append(&mut self.findings);
        self.findings = whole;
        self.usual_messages = usual;
    }

    /// Make a 1.0 démarche report compact, as a 2.0 audit writes it (a report already compact is
    /// left alone): each analysed page takes the run of findings naming its URL.
    pub fn compact(&mut self, keep_passed: bool) {
        if self.pages.iter().any(|p| p.outcomes.is_some()) {
            return;
        }
        let mut rest = std::mem::take(&mut self.findings).into_iter().peekable();
        let mut page_findings = Vec::new();
        for (i, p) in self.pages.iter().enumerate() {
            if p.facts.is_none() {
                continue;
            }
            let mut fs = Vec::new();
            while let Some(f) = rest.next_if(|f| *f.url == *p.record.final_url) {
                fs.push(f);
            }
            page_findings.push((i, fs));
        }
        self.findings = rest.collect();
        self.compact_from(page_findings, keep_passed);
    }
}
