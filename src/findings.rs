//! Findings: rule results placed on a page, with the rule's references, ready for reports.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::page::{Page, Target};
use crate::rules::{
    all_rules, page_outcome, references, Outcome, Rule, RuleResult, PASSED_TARGETS_KEPT,
};

pub use crate::rules::Reference;

/// One outcome of one rule on one page. Failed and cantTell results are one finding per target
/// (each is a defect or a question for a human); passed targets are grouped per rule and page,
/// and an inapplicable rule gives one finding without target.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Finding {
    pub rule: Reference,
    pub outcome: Outcome,
    /// The page's address, shared by the page's findings (one string, not one each).
    pub url: std::sync::Arc<str>,
    pub targets: Vec<Target>,
    /// Number of targets this finding stands for (> targets.len() when passed targets were capped).
    pub count: usize,
    pub message: String,
    pub rgaa: Vec<Reference>,
    /// Borrowed from the rule's metadata, owned when read from a report.
    pub wcag: Cow<'static, [Reference]>,
    pub act: Cow<'static, [Reference]>,
    pub cerfa: Cow<'static, [u8]>,
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

/// Run every rule on the page. Passed findings list their first targets only with
/// `all_targets` (`--all-targets`); otherwise they count them, as report.json keeps them.
pub fn run_all(page: &Page, all_targets: bool) -> Vec<Finding> {
    run_rules(page, all_rules(), all_targets)
}

/// Run the given rules on the page; a panicking rule becomes a cantTell finding, never a crash.
pub fn run_rules(page: &Page, rules: &[&dyn Rule], all_targets: bool) -> Vec<Finding> {
    // Room for a page's usual findings: one or two a rule, and one for each text that fails
    // the enhanced contrast level, which on a grey design can be most of a page's texts (a
    // node in four is room for them). Each finding is a few hundred bytes: a vector grown by
    // doubling copied them all again at each step, and room left unused is never touched.
    let mut out = Vec::with_capacity(rules.len() * 2 + page.dom.tree.nodes().len() / 4);
    let url: std::sync::Arc<str> = page.url.as_str().into();
    for rule in rules {
        let results =
            match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rule.check(page))) {
                Ok(r) => r,
                Err(_) => vec![RuleResult {
                    outcome: Outcome::CantTell,
                    target: None,
                    passed_element: None,
                    message: "Erreur interne de la règle : résultat indéterminé.".to_string(),
                    details: None,
                    tests: None,
                    more_passed: 0,
                }],
            };
        findings_into(&mut out, *rule, page, &url, results, all_targets);
    }
    out
}

/// Turn one rule's results on one page into findings; passed targets are made (from the
/// results' elements) and listed only with `all_targets`.
pub fn findings_of(
    rule: &dyn Rule,
    page: &Page,
    results: Vec<RuleResult>,
    all_targets: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    findings_into(
        &mut out,
        rule,
        page,
        &page.url.as_str().into(),
        results,
        all_targets,
    );
    out
}

/// [`findings_of`] with the page's address made once for all its rules, written where the
/// page's other findings are (not into a vector of their own, then moved).
fn findings_into(
    out: &mut Vec<Finding>,
    rule: &dyn Rule,
    page: &Page,
    url: &std::sync::Arc<str>,
    results: Vec<RuleResult>,
    all_targets: bool,
) {
    let meta = rule.meta();
    let all_tests = || references(meta.rgaa);
    let make = |outcome: Outcome,
                targets: Vec<Target>,
                count: usize,
                message: String,
                details,
                rgaa: Vec<Reference>| Finding {
        rule: Cow::Borrowed(meta.id),
        outcome,
        url: url.clone(),
        targets,
        count,
        message,
        rgaa,
        wcag: Cow::Borrowed(meta.wcag),
        act: Cow::Borrowed(meta.act),
        cerfa: Cow::Borrowed(meta.cerfa),
        details,
    };
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
        return;
    }
    let mut passed: Vec<Target> = Vec::new();
    let mut passed_count = 0usize;
    let mut passed_msg = String::new();
    // The RGAA tests the passed targets speak to, in the rule's order.
    let mut passed_tests: Vec<Reference> = Vec::new();
    // Whether the rule's whole list is noted already: most passed results cite it, and
    // noting it again for each of a page's thousands of them compared the same strings.
    let mut all_tests_noted = false;
    for mut r in results {
        match r.outcome {
            Outcome::Passed => {
                passed_count += 1 + r.more_passed;
                // Borrowed: a page has hundreds of passed results naming the same few tests.
                let mut note = |t: &str| {
                    if !passed_tests.iter().any(|p| p == t) {
                        passed_tests.push(meta.test_reference(t));
                    }
                };
                match &r.tests {
                    Some(own) => own.iter().for_each(|t| note(t)),
                    None if all_tests_noted => {}
                    None => {
                        meta.rgaa.iter().for_each(|t| note(t));
                        all_tests_noted = true;
                    }
                }
                if all_targets && passed.len() < PASSED_TARGETS_KEPT {
                    // A target the result holds is moved, not copied; else made from its element.
                    let held = r.target.take();
                    passed.extend(held.or_else(|| r.target_on(page)));
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
        let order = |t: &Reference| meta.rgaa.iter().position(|m| m == t).unwrap_or(usize::MAX);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passed_targets_are_made_only_when_listed() {
        let links: String = (1..=12)
            .map(|k| format!("<li><a href=\"/p{k}\">Page {k}</a></li>"))
            .collect();
        let html = format!(
            "<!doctype html><html lang=fr><title>T</title><main><ul>{links}</ul><a href=/x></a></main></html>"
        );
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
        let rule = crate::rules::rule_by_id("link-name").expect("rule");
        let of = |all_targets| {
            let mut f = findings_of(rule, &page, rule.check(&page), all_targets);
            f.sort_by_key(|f| f.outcome);
            f
        };
        let (counted, listed) = (of(false), of(true));
        // The failure is whole either way; the passed finding counts its 12 links, and lists
        // the first 10 only when asked.
        for f in [&counted, &listed] {
            assert_eq!(f.len(), 2);
            assert_eq!(f[0].outcome, Outcome::Failed);
            assert_eq!(f[0].targets.len(), 1);
            assert_eq!(f[1].outcome, Outcome::Passed);
            assert_eq!(f[1].count, 12);
            assert_eq!(f[1].message, "12 éléments conformes.");
        }
        assert!(counted[1].targets.is_empty());
        let selectors: Vec<&str> = listed[1].targets.iter().map(|t| &*t.selector).collect();
        let expected: Vec<String> = (1..=PASSED_TARGETS_KEPT)
            .map(|k| format!("html > body > main > ul > li:nth-of-type({k}) > a"))
            .collect();
        assert_eq!(selectors, expected);
        assert_eq!(&*listed[1].targets[0].snippet, "<a href=\"/p1\">Page 1</a>");
        assert_eq!(counted[0], listed[0]);
    }

    /// A rule that passes every paragraph, the 14th deciding one test only, the 16th with a
    /// message of its own, and fails none.
    struct Paragraphs;
    static PARAGRAPHS: crate::rules::RuleMeta = crate::rules::RuleMeta {
        id: "test-paragraphs",
        title: "Paragraphes",
        description: "",
        rgaa: &["8.5.1", "8.6.1"],
        wcag: refs![],
        act: refs![],
        cerfa: &[],
    };
    impl Rule for Paragraphs {
        fn meta(&self) -> &'static crate::rules::RuleMeta {
            &PARAGRAPHS
        }
        fn check(&self, page: &Page) -> Vec<RuleResult> {
            let mut r = crate::rules::Results::new(page);
            for (k, p) in page.select("p").enumerate() {
                match k {
                    13 => {
                        r.pass(p, "");
                        r.with_tests(&["8.6.1"]);
                    }
                    15 => r.push(Outcome::Passed, None, "seizième"),
                    _ => r.pass(p, format_args!("paragraphe {k}")),
                }
            }
            assert_eq!(r.len(), 30);
            r.finish("")
        }
    }

    #[test]
    fn passed_results_that_only_count_are_merged_and_still_counted() {
        let html = format!("<!doctype html><main>{}</main>", "<p>p</p>".repeat(30));
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
        let results = Paragraphs.check(&page);
        // 10 with their element, then one standing for the 11th to 13th, the 14th with its
        // test, the 15th alone (the 16th's message is not empty, its own is), and the 16th
        // standing for itself and the 17th to 30th.
        assert_eq!(results.len(), 14, "{results:#?}");
        let counts: usize = results.iter().map(|r| 1 + r.more_passed).sum();
        assert_eq!(counts, 30);
        assert_eq!(results[10].more_passed, 2);
        assert_eq!(
            results[11].tests.as_deref(),
            Some(&["8.6.1".to_string()][..])
        );
        assert_eq!(results[12].more_passed, 0);
        assert_eq!(
            (results[13].more_passed, results[13].message.as_str()),
            (14, "seizième")
        );
        let f = findings_of(&Paragraphs, &page, results, false);
        assert_eq!(f.len(), 1);
        assert_eq!(
            (f[0].count, f[0].message.as_str()),
            (30, "30 éléments conformes.")
        );
        assert_eq!(f[0].rgaa, ["8.5.1", "8.6.1"]);
    }
}
