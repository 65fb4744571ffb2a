//! Findings: rule results placed on a page, with the rule's references, ready for reports.

use serde::{Deserialize, Serialize};

use crate::page::{Page, Target};
use crate::rules::{all_rules, page_outcome, Outcome, Rule, RuleResult, PASSED_TARGETS_KEPT};

/// One outcome of one rule on one page. Failed and cantTell results are one finding per target
/// (each is a defect or a question for a human); passed targets are grouped per rule and page,
/// and an inapplicable rule gives one finding without target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub rule: String,
    pub outcome: Outcome,
    pub url: String,
    pub targets: Vec<Target>,
    /// Number of targets this finding stands for (> targets.len() when passed targets were capped).
    pub count: usize,
    pub message: String,
    pub rgaa: Vec<String>,
    pub wcag: Vec<String>,
    pub act: Vec<String>,
    pub cerfa: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<crate::rules::Details>,
}

impl Finding {
    /// A finding of a rule outside RGAA 4.1.2 (AAA contrast): reported, never counted as an
    /// RGAA failure (see [`crate::rules::beyond_rgaa`]).
    pub fn beyond_rgaa(&self) -> bool {
        crate::rules::beyond_rgaa(&self.rgaa, &self.wcag)
    }

    /// A failure that counts: failed, and within RGAA 4.1.2.
    pub fn is_counted_failure(&self) -> bool {
        self.outcome == crate::rules::Outcome::Failed && !self.beyond_rgaa()
    }
}

/// Run every rule on the page.
pub fn run_all(page: &Page) -> Vec<Finding> {
    run_rules(page, all_rules())
}

/// Run the given rules on the page; a panicking rule becomes a cantTell finding, never a crash.
pub fn run_rules(page: &Page, rules: &[&dyn Rule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules {
        let results =
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rule.check(page))) {
                Ok(r) => r,
                Err(_) => vec![RuleResult {
                    outcome: Outcome::CantTell,
                    target: None,
                    message: "Erreur interne de la règle : résultat indéterminé.".to_string(),
                    details: None,
                    tests: None,
                }],
            };
        out.extend(findings_of(*rule, page.url.as_str(), results));
    }
    out
}

/// Turn one rule's results on one page into findings.
pub fn findings_of(rule: &dyn Rule, url: &str, results: Vec<RuleResult>) -> Vec<Finding> {
    let meta = rule.meta();
    let all_tests = || meta.rgaa.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let make = |outcome: Outcome,
                targets: Vec<Target>,
                count: usize,
                message: String,
                details,
                rgaa: Vec<String>| Finding {
        rule: meta.id.to_string(),
        outcome,
        url: url.to_string(),
        targets,
        count,
        message,
        rgaa,
        wcag: meta.wcag.iter().map(|s| s.to_string()).collect(),
        act: meta.act.iter().map(|s| s.to_string()).collect(),
        cerfa: meta.cerfa.to_vec(),
        details,
    };
    let mut out = Vec::new();
    let overall = page_outcome(&results);
    if overall == Outcome::Inapplicable {
        let msg = results
            .into_iter()
            .map(|r| r.message)
            .find(|m| !m.is_empty())
            .unwrap_or_else(|| "Aucun élément concerné sur la page.".to_string());
        out.push(make(
            Outcome::Inapplicable,
            vec![],
            0,
            msg,
            None,
            all_tests(),
        ));
        return out;
    }
    let mut passed: Vec<Target> = Vec::new();
    let mut passed_count = 0usize;
    let mut passed_msg = String::new();
    // The RGAA tests the passed targets speak to, in the rule's order.
    let mut passed_tests: Vec<String> = Vec::new();
    for r in results {
        match r.outcome {
            Outcome::Passed => {
                passed_count += 1;
                // Borrowed: a page has hundreds of passed results naming the same few tests.
                let mut note = |t: &str| {
                    if !passed_tests.iter().any(|p| p == t) {
                        passed_tests.push(t.to_string());
                    }
                };
                match &r.tests {
                    Some(own) => own.iter().for_each(|t| note(t)),
                    None => meta.rgaa.iter().for_each(|t| note(t)),
                }
                if passed.len() < PASSED_TARGETS_KEPT {
                    passed.extend(r.target);
                }
                if passed_msg.is_empty() {
                    passed_msg = r.message;
                }
            }
            Outcome::Inapplicable => {}
            o => {
                let tests = r.rgaa_tests(meta);
                out.push(make(
                    o,
                    r.target.into_iter().collect(),
                    1,
                    r.message,
                    r.details,
                    tests,
                ))
            }
        }
    }
    if passed_count > 0 {
        let msg = if passed_count == 1 {
            passed_msg
        } else {
            format!("{passed_count} éléments conformes.")
        };
        let order = |t: &String| meta.rgaa.iter().position(|m| m == t).unwrap_or(usize::MAX);
        passed_tests.sort_by_key(order);
        out.push(make(
            Outcome::Passed,
            passed,
            passed_count,
            msg,
            None,
            passed_tests,
        ));
    }
    out
}
