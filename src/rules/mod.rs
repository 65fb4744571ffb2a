//! The rule engine: a rule is a small unit with its metadata and one check over a [`Page`].
//!
//! Outcomes follow the W3C ACT model: each applicable target is `passed`, `failed` or
//! `cantTell`; a rule with no target on the page is `inapplicable`. Doubt is never a pass:
//! a check that cannot decide says `cantTell` and why.

use serde::{Deserialize, Serialize};

use crate::page::browser::BrowserFacts;
use crate::page::{ElementRef, Page, Target};

mod language_guess;
pub mod lists;
mod registry;
pub use registry::{all_rules, rule_by_id};

// One module per rule family (RGAA theme); each rule is a unit struct in its family file.
pub mod aria_structure;
pub mod colors;
pub mod colors_info;
pub mod consultation;
pub mod css_presentation;
pub mod focus_order;
pub mod focus_visible;
pub mod forms;
pub mod frames;
pub mod images;
pub mod keyboard_reach;
pub mod keyboard_trap;
pub mod lang;
pub mod links;
pub mod mandatory;
pub mod media;
pub mod navigation;
pub mod orientation;
pub mod presentation;
pub mod reflow;
pub mod scripts;
pub mod scrollable_region;
pub mod structure;
pub mod tables;
pub mod text_spacing;
pub mod title;

/// ACT outcome of one target (or of the whole page for `inapplicable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Failed,
    CantTell,
    Passed,
    Inapplicable,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::CantTell => "cantTell",
            Outcome::Inapplicable => "inapplicable",
        }
    }
    /// French label of a finding's outcome, in every output (site, CSV, terminal). « échec »,
    /// not « non conforme », which is said of an RGAA criterion.
    pub fn label_fr(self) -> &'static str {
        match self {
            Outcome::Passed => "conforme",
            Outcome::Failed => "échec",
            Outcome::CantTell => "à vérifier",
            Outcome::Inapplicable => "non applicable",
        }
    }
}

/// Static metadata of a rule, as data (axe-core style). `vigie rules` prints it.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    /// Stable identifier, kebab-case, never reused.
    pub id: &'static str,
    /// Short French title.
    pub title: &'static str,
    /// What the rule checks and why, in French (shown in `vigie rules` and the report).
    pub description: &'static str,
    /// RGAA 4.1.2 tests (e.g. "1.1.1"); the criterion is the first two numbers.
    pub rgaa: &'static [&'static str],
    /// WCAG 2.1 success criteria (e.g. "1.1.1"), as findings cite them ([`refs!`]).
    pub wcag: &'static [Reference],
    /// W3C ACT rule ids implemented by this rule, where one exists ([`refs!`]).
    pub act: &'static [Reference],
    /// Cerfa numérique criteria this rule feeds.
    pub cerfa: &'static [u8],
}

impl RuleMeta {
    /// Outside RGAA 4.1.2 (see [`beyond_rgaa`]): reported « hors RGAA », left out of the RGAA
    /// figures and of the démarche's counts.
    pub fn beyond_rgaa(&self) -> bool {
        beyond_rgaa(self.rgaa, self.wcag)
    }

    /// An RGAA test as a finding cites it: borrowed from the rule's list when it is there.
    pub fn test_reference(&self, test: &str) -> Reference {
        match self.rgaa.iter().find(|&&t| t == test) {
            Some(&t) => t.into(),
            None => test.to_string().into(),
        }
    }

    /// RGAA criteria ("1.1") derived from the test ids, de-duplicated, in order.
    pub fn rgaa_criteria(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.rgaa {
            let c = criterion_of_test(t);
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

/// A rule id or a criterion reference in a finding: borrowed from the rule's metadata when the
/// finding is made (a page has ~85 findings citing a few each), owned when read back from a
/// report.
pub type Reference = std::borrow::Cow<'static, str>;

/// A rule's reference list (RGAA tests, WCAG criteria, ACT ids) as findings cite it: borrowed.
pub fn references(list: &[&'static str]) -> Vec<Reference> {
    list.iter().map(|&s| Reference::Borrowed(s)).collect()
}

/// Whether results naming these RGAA tests and WCAG success criteria are outside RGAA 4.1.2:
/// no RGAA test, and every success criterion is one the RGAA does not take up (it takes up the
/// A and AA levels of WCAG 2.1, `wcag_levels` of `criteria/rgaa-4.1.2.toml`), such as the AAA
/// enhanced contrast (1.4.6). Rules without RGAA test that check an A or AA criterion (the ACT
/// reading of 3.1.1, `html-has-lang`) stay counted. Read from a finding as well as a rule, so
/// that a stored report is counted the same way.
pub fn beyond_rgaa<S: AsRef<str>, W: AsRef<str>>(rgaa_tests: &[S], wcag: &[W]) -> bool {
    let cited = &crate::criteria::rgaa().wcag_levels;
    rgaa_tests.is_empty()
        && !wcag.is_empty()
        && wcag.iter().all(|sc| !cited.contains_key(sc.as_ref()))
}

/// "1.1.2" -> "1.1"
pub fn criterion_of_test(test: &str) -> String {
    let mut parts = test.split('.');
    match (parts.next(), parts.next()) {
        (Some(a), Some(b)) => format!("{a}.{b}"),
        _ => test.to_string(),
    }
}

/// Measured values a result reports: a JSON object, or the contrast measures, typed because a
/// page has hundreds of them (building a JSON map for each was a tenth of the contrast rules'
/// time). Written as the same JSON object either way; read back as JSON.
#[derive(Debug, Clone)]
pub enum Details {
    Json(serde_json::Value),
    Contrast(ContrastDetails),
}

/// A text's contrast measures. Fields in the order a JSON map writes its keys (sorted), so
/// the object is written as it was when it was one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContrastDetails {
    pub background: crate::css::color::Hex,
    #[serde(rename = "fontSizePx")]
    pub font_size_px: Option<f64>,
    #[serde(rename = "fontWeight")]
    pub font_weight: Option<u16>,
    pub foreground: crate::css::color::Hex,
    pub ratio: f64,
    #[serde(rename = "requiredRatio")]
    pub required_ratio: f64,
}

impl Details {
    /// As a JSON value (what a report read back holds).
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Details::Json(v) => v.clone(),
            Details::Contrast(c) => serde_json::to_value(c).unwrap_or_default(),
        }
    }
}

impl From<serde_json::Value> for Details {
    fn from(v: serde_json::Value) -> Self {
        Details::Json(v)
    }
}

/// Equal when they write the same JSON (a report read back holds JSON, not the typed form).
impl PartialEq for Details {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Details::Json(a), Details::Json(b)) => a == b,
            (Details::Contrast(a), Details::Contrast(b)) => a == b,
            _ => self.to_value() == other.to_value(),
        }
    }
}

impl Serialize for Details {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Details::Json(v) => v.serialize(serializer),
            Details::Contrast(c) => c.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Details {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Details::Json)
    }
}

/// One outcome of a rule on one target of a page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RuleResult {
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The element of a passed result pushed through [`Results`], whose target is made only
    /// if the findings list passed targets (`--all-targets`): otherwise a passed result is
    /// only counted, and its selector and snippet were most of a page's targets.
    #[serde(skip)]
    pub passed_element: Option<ego_tree::NodeId>,
    /// French message saying what was found (and why, for cantTell).
    pub message: String,
    /// Rule-specific measured values (e.g. contrast ratio and colours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// The RGAA tests this result decides, when it decides fewer than the rule's list
    /// (`RuleMeta::rgaa`), e.g. a missing doctype is 8.1.1 only; `None` means all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<Vec<String>>,
    /// How many more passed results this one stands for: passed results with nothing of their
    /// own to report (no target, element, details or tests) are counted, not listed, past the
    /// first (a page has thousands).
    #[serde(skip)]
    pub more_passed: usize,
}

impl RuleResult {
    /// A passed result with nothing of its own, not even a message: only counted.
    fn counted_pass() -> RuleResult {
        RuleResult {
            outcome: Outcome::Passed,
            target: None,
            passed_element: None,
            message: String::new(),
            details: None,
            tests: None,
            more_passed: 0,
        }
    }

    /// A passed result that only counts: nothing of its own but its message.
    fn only_counts(&self) -> bool {
        self.outcome == Outcome::Passed
            && self.target.is_none()
            && self.passed_element.is_none()
            && self.details.is_none()
            && self.tests.is_none()
    }

    /// The result's target on `page`: the one it holds, or the one its passed element gives
    /// (made now, as `--all-targets` findings list it).
    pub fn target_on(&self, page: &Page) -> Option<Target> {
        if let Some(t) = &self.target {
            return Some(t.clone());
        }
        let el = ElementRef::wrap(page.dom.tree.get(self.passed_element?)?)?;
        Some(Target::of(page, el))
    }

    /// The RGAA tests this result speaks to: its own list, else the rule's.
    pub fn rgaa_tests(&self, meta: &RuleMeta) -> Vec<Reference> {
        match &self.tests {
            Some(t) => t.iter().map(|t| meta.test_reference(t)).collect(),
            None => references(meta.rgaa),
        }
    }
}

/// A rule: metadata plus one check. The check must not panic on any input and must
/// answer `cantTell` rather than guess.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, page: &Page) -> Vec<RuleResult>;
    /// Decided only on a page a browser measured (`Page::browser`): elsewhere the rule says
    /// [`NOT_MEASURED`], inapplicable, and the ACT comparison without a browser leaves it out.
    fn needs_browser(&self) -> bool {
        false
    }
}

/// A rule decided only on a page a browser measured (`Page::browser`): on any other page it
/// says [`NOT_MEASURED`] (through the [`Rule`] every such rule is).
pub trait BrowserRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult>;
}

impl<T: BrowserRule> Rule for T {
    fn meta(&self) -> &'static RuleMeta {
        BrowserRule::meta(self)
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        match &page.browser {
            Some(facts) => self.check_measured(page, facts),
            None => Results::new(page).finish(NOT_MEASURED),
        }
    }
    fn needs_browser(&self) -> bool {
        true
    }
}

/// What a browser-only rule says on a page no browser measured: inapplicable, not cantTell, so
/// that a static audit does not ask the same question on every page; its RGAA criteria are
/// never validated by it (they stay « non testé »).
pub const NOT_MEASURED: &str = "Non mesuré : mesure en navigateur nécessaire (--render).";

/// How many passed targets a page-level "passed" finding lists as evidence with
/// `--all-targets`: the first ones with a target, in result order. Past them a passed result is
/// only counted, so [`Results`] keeps no element for it; without `--all-targets` no passed
/// target is made at all (a selector and a snippet per passed element was a tenth of the
/// analysis).
pub const PASSED_TARGETS_KEPT: usize = 10;

/// A result's message: text, or `format_args!(…)` written only if it is kept.
pub trait Message {
    fn into_message(self) -> String;
}

impl Message for &str {
    fn into_message(self) -> String {
        self.to_string()
    }
}

impl Message for String {
    fn into_message(self) -> String {
        self
    }
}

impl Message for std::fmt::Arguments<'_> {
    fn into_message(self) -> String {
        std::fmt::format(self)
    }
}

/// Collects results of one rule on one page; an empty collector means `inapplicable`.
pub struct Results<'p> {
    page: &'p Page,
    items: Vec<RuleResult>,
    /// Results pushed so far (passed results that only count are merged in `items`).
    pushed: usize,
    /// Passed results so far, and those of them with a target.
    passed: usize,
    passed_targets: usize,
    /// A passed result that only counts, with no message, pushed after `items`' last and not
    /// yet written there: most of a page's results are such, and each was written whole only
    /// to be merged into the one before ([`Results::settle_last`]) at the next push. Written
    /// when a `with_*` call gives it something of its own, else counted.
    counted_pass: bool,
}

impl<'p> Results<'p> {
    pub fn new(page: &'p Page) -> Self {
        Self::with_capacity(page, 0)
    }

    /// Results with room for `items` written ones (passed results that only count take none):
    /// for rules that know how many they will fail, as the contrast rules do, which a vector
    /// grown by doubling copied again and again.
    pub fn with_capacity(page: &'p Page, items: usize) -> Self {
        Results {
            page,
            items: Vec::with_capacity(items),
            pushed: 0,
            passed: 0,
            passed_targets: 0,
            counted_pass: false,
        }
    }
    pub fn push(
        &mut self,
        outcome: Outcome,
        el: Option<ElementRef<'_>>,
        message: impl Into<String>,
    ) {
        if outcome == Outcome::Passed {
            self.passed += 1;
        }
        // A passed result keeps only its element (the first ones), made a target if listed.
        let (target, passed_element) = match (outcome, el) {
            (Outcome::Passed, Some(e)) if self.passed_targets < PASSED_TARGETS_KEPT => {
                self.passed_targets += 1;
                (None, Some(e.id()))
            }
            (Outcome::Passed, _) => (None, None),
            (_, el) => (el.map(|e| Target::of(self.page, e)), None),
        };
        self.settle_last();
        self.pushed += 1;
        let message = message.into();
        if outcome == Outcome::Passed && passed_element.is_none() && message.is_empty() {
            self.counted_pass = true;
            return;
        }
        self.items.push(RuleResult {
            outcome,
            target,
            passed_element,
            message,
            details: None,
            tests: None,
            more_passed: 0,
        });
    }
    /// Write the counted pass ([`Results::counted_pass`]) where it belongs: in the last item
    /// when that one only counts too, as [`Results::settle_last`] would merge it, else as an
    /// item of its own.
    fn write_counted_pass(&mut self) {
        if !std::mem::take(&mut self.counted_pass) {
            return;
        }
        match self.items.last_mut() {
            Some(last) if last.only_counts() => last.more_passed += 1,
            _ => self.items.push(RuleResult::counted_pass()),
        }
    }
    /// Merge the last result into the one before when both are passed results that only
    /// count. Done once the last is final: `with_tests` and `with_details` change the last
    /// pushed result until the next is pushed. The earlier message is kept unless it is empty
    /// and the later one is not (the findings report the first message that is not empty).
    fn settle_last(&mut self) {
        self.write_counted_pass();
        if let [.., before, last] = &mut self.items[..] {
            if before.only_counts()
                && last.only_counts()
                && (last.message.is_empty() || !before.message.is_empty())
            {
                before.more_passed += 1 + last.more_passed;
                self.items.pop();
            }
        }
    }
    /// A passed result. Only a rule's first passed message on a page can be reported (a
    /// finding of several passed targets says how many), so a message given as
    /// `format_args!(…)` is written for the first one only.
    pub fn pass(&mut self, el: ElementRef<'_>, message: impl Message) {
        let message = if self.passed == 0 {
            message.into_message()
        } else {
            String::new()
        };
        self.push(Outcome::Passed, Some(el), message);
    }
    pub fn fail(&mut self, el: ElementRef<'_>, message: impl Into<String>) {
        self.push(Outcome::Failed, Some(el), message);
    }
    pub fn cant_tell(&mut self, el: ElementRef<'_>, message: impl Into<String>) {
        self.push(Outcome::CantTell, Some(el), message);
    }
    /// A failed result that decides only the given RGAA tests (a subset of the rule's).
    pub fn fail_tests(&mut self, el: ElementRef<'_>, tests: &[&str], message: impl Into<String>) {
        self.push(Outcome::Failed, Some(el), message);
        self.with_tests(tests);
    }
    /// A cantTell result that questions only the given RGAA tests (a subset of the rule's).
    pub fn cant_tell_tests(
        &mut self,
        el: ElementRef<'_>,
        tests: &[&str],
        message: impl Into<String>,
    ) {
        self.push(Outcome::CantTell, Some(el), message);
        self.with_tests(tests);
    }
    /// Write the counted pass as an item of its own: a `with_*` call is about to give it
    /// something of its own.
    fn write_counted_pass_alone(&mut self) {
        if std::mem::take(&mut self.counted_pass) {
            self.items.push(RuleResult::counted_pass());
        }
    }
    /// Restrict the last pushed result to the given RGAA tests.
    pub fn with_tests(&mut self, tests: &[&str]) {
        self.write_counted_pass_alone();
        if let Some(last) = self.items.last_mut() {
            last.tests = Some(tests.iter().map(|t| t.to_string()).collect());
        }
    }
    /// Attach details to the last pushed result.
    pub fn with_details(&mut self, details: impl Into<Details>) {
        self.write_counted_pass_alone();
        if let Some(last) = self.items.last_mut() {
            last.details = Some(details.into());
        }
    }
    pub fn push_result(&mut self, mut r: RuleResult) {
        if r.outcome == Outcome::Passed {
            self.passed += 1 + r.more_passed;
        }
        if r.outcome == Outcome::Passed && r.target.is_some() {
            if self.passed_targets >= PASSED_TARGETS_KEPT {
                r.target = None;
            } else {
                self.passed_targets += 1;
            }
        }
        self.settle_last();
        self.pushed += 1 + r.more_passed;
        self.items.push(r);
    }
    /// Results pushed so far.
    pub fn len(&self) -> usize {
        self.pushed
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && !self.counted_pass
    }
    /// How many passed results so far: past the first, a passed result's message is never
    /// reported (the finding says how many passed), so a rule may skip building it.
    pub fn passed(&self) -> usize {
        self.passed
    }
    /// Finish: no target means the rule does not apply to this page.
    pub fn finish(mut self, inapplicable_reason: &str) -> Vec<RuleResult> {
        if self.is_empty() {
            vec![RuleResult {
                outcome: Outcome::Inapplicable,
                target: None,
                passed_element: None,
                message: inapplicable_reason.to_string(),
                details: None,
                tests: None,
                more_passed: 0,
            }]
        } else {
            self.settle_last();
            self.items
        }
    }
}

/// Page-level outcome of a rule, ACT style: failed if any target failed, else cantTell if any
/// target could not be decided, else passed if any passed, else inapplicable.
pub fn page_outcome(results: &[RuleResult]) -> Outcome {
    let mut best = Outcome::Inapplicable;
    for r in results {
        if r.outcome < best {
            best = r.outcome;
        }
    }
    best
}
