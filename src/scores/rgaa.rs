//! RGAA criterion statuses from rule outcomes, per page and per démarche.
//!
//! Per page, for each criterion of `criteria/rgaa-4.1.2.toml`:
//! - **NC** if any rule of the criterion failed on the page;
//! - **C** only if the criterion is `auto`, every one of its rules ran, at least one applied,
//!   and none failed or answered cantTell;
//! - **NA** if the criterion is `auto` and every one of its rules was inapplicable;
//! - **NT** (not tested) otherwise: manual criterion, partial criterion without failure,
//!   doubt (cantTell), or a rule that did not run.
//!
//! Per démarche (RGAA sampling, see the methodology): NC if NC on any page; otherwise NT if NT on
//! any page; otherwise C if C on at least one page (so C on every page where it applies);
//! otherwise NA (applicable nowhere).
//!
//! Rules are mapped to criteria through the RGAA tests of each finding: a finding names the
//! tests it decides (by default all of its rule's), so a rule that tests two criteria fails
//! only the criterion whose test failed.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::criteria::{rgaa, Automation, Rgaa};
use crate::findings::Finding;
use crate::rules::{criterion_of_test, rule_by_id, Outcome};

/// Status of one RGAA criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Conforme.
    C,
    /// Non conforme.
    NC,
    /// Non applicable.
    NA,
    /// Non testé automatiquement : laissé à un humain.
    NT,
}

impl Status {
    /// The word report.json uses.
    pub fn code(self) -> &'static str {
        match self {
            Status::C => "C",
            Status::NC => "NC",
            Status::NA => "NA",
            Status::NT => "NT",
        }
    }
    pub fn label_fr(self) -> &'static str {
        match self {
            Status::C => "conforme",
            Status::NC => "non conforme",
            Status::NA => "non applicable",
            Status::NT => "non testé (à vérifier par un humain)",
        }
    }
}

/// One criterion on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageCriterion {
    pub status: Status,
    /// Whether at least one of its rules applied on the page.
    pub applicable: bool,
    pub failed: usize,
    pub cant_tell: usize,
}

/// Key of findings that name no RGAA test: they count for every criterion of their rule.
const ANY: &str = "*";

/// Statuses of every criterion on one page, from that page's findings.
pub fn page_statuses(data: &Rgaa, findings: &[&Finding]) -> BTreeMap<String, PageCriterion> {
    // Page-level outcome and finding counts per rule and criterion: a finding counts for the
    // criteria of the RGAA tests it names (a result may decide fewer tests than its rule has).
    let mut ran: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut by_rule: HashMap<(&str, String), (Outcome, usize, usize)> = HashMap::new();
    for f in findings {
        ran.insert(&*f.rule);
        let mut criteria: Vec<String> = f.rgaa.iter().map(|t| criterion_of_test(t)).collect();
        criteria.sort();
        criteria.dedup();
        if criteria.is_empty() {
            // A finding without test list (older data) speaks to every criterion of its rule.
            criteria.push(ANY.to_string());
        }
        for c in criteria {
            let e = by_rule
                .entry((&*f.rule, c))
                .or_insert((Outcome::Inapplicable, 0, 0));
            if f.outcome < e.0 {
                e.0 = f.outcome;
            }
            match f.outcome {
                Outcome::Failed => e.1 += 1,
                Outcome::CantTell => e.2 += 1,
                _ => {}
            }
        }
    }
    // A rule that ran but said nothing about this criterion did not apply to it.
    let of = |rule: &str, c: &str| -> Option<(Outcome, usize, usize)> {
        if !ran.contains(rule) {
            return None;
        }
        let mut e = (Outcome::Inapplicable, 0, 0);
        for key in [c, ANY] {
            if let Some(x) = by_rule.get(&(rule, key.to_string())) {
                e = (e.0.min(x.0), e.1 + x.1, e.2 + x.2);
            }
        }
        Some(e)
    };
    let mut out = BTreeMap::new();
    for c in &data.criteria {
        let outcomes: Vec<Option<Outcome>> =
            c.rules.iter().map(|r| of(r, &c.id).map(|e| e.0)).collect();
        let (failed, cant_tell) = c
            .rules
            .iter()
            .filter_map(|r| of(r, &c.id))
            .fold((0, 0), |(f, t), e| (f + e.1, t + e.2));
        let all_ran = !outcomes.is_empty() && outcomes.iter().all(Option::is_some);
        let applicable = outcomes
            .iter()
            .any(|o| matches!(o, Some(o) if *o != Outcome::Inapplicable));
        let status = if outcomes.contains(&Some(Outcome::Failed)) {
            Status::NC
        } else if c.automation == Automation::Auto && all_ran {
            if outcomes.contains(&Some(Outcome::CantTell)) {
                Status::NT
            } else if applicable {
                Status::C
            } else {
                Status::NA
            }
        } else {
            Status::NT
        };
        out.insert(
            c.id.clone(),
            PageCriterion {
                status,
                applicable,
                failed,
                cant_tell,
            },
        );
    }
    out
}

/// Pages per status for one criterion.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct StatusCounts {
    pub c: usize,
    pub nc: usize,
    pub na: usize,
    pub nt: usize,
}

/// One criterion over a démarche.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CriterionResult {
    pub id: String,
    pub label: String,
    pub level: String,
    pub automation: String,
    pub status: Status,
    /// How many analysed pages gave each status.
    pub pages: StatusCounts,
    /// Failed and cantTell findings of the criterion's rules, all pages together.
    pub failed_findings: usize,
    pub cant_tell_findings: usize,
    pub rules: Vec<String>,
}

/// The RGAA section of a démarche report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RgaaSummary {
    pub version: String,
    /// Analysed HTML pages.
    pub pages: usize,
    pub criteria: Vec<CriterionResult>,
    /// Criteria left to a human (status NT).
    pub left_to_human: Vec<String>,
    /// Démarche-level statuses counted over the 106 criteria.
    pub counts: StatusCounts,
    /// Automated criteria (auto or partial) that applied on at least one page.
    pub applicable_automated: usize,
    /// Of those, the ones without any detected failure.
    pub automated_without_failure: usize,
    /// `automated_without_failure / applicable_automated` in percent (None when nothing applied).
    /// An upper bound of the real conformity rate, never the legal rate.
    pub automated_rate: Option<f64>,
    pub automated_rate_note: String,
}

const RATE_NOTE: &str = "Taux automatisé : critères automatisables applicables sans non-conformité détectée, \
divisés par les critères automatisables applicables. C'est une borne haute du taux de conformité RGAA réel, \
pas le taux légal : les critères non testés et les vérifications humaines ne sont pas comptés.";

/// Combine one criterion's per-page statuses (RGAA sampling rule).
pub fn demarche_status(statuses: &[Status]) -> Status {
    if statuses.is_empty() {
        return Status::NT;
    }
    if statuses.contains(&Status::NC) {
        Status::NC
    } else if statuses.contains(&Status::NT) {
        Status::NT
    } else if statuses.contains(&Status::C) {
        Status::C
    } else {
        Status::NA
    }
}

/// The RGAA section for a démarche, from the findings of each analysed HTML page (one slice
/// per page; a page without finding still counts).
pub fn summarize(pages: &[&[Finding]]) -> RgaaSummary {
    summarize_with(rgaa(), pages)
}

pub fn summarize_with(data: &Rgaa, pages: &[&[Finding]]) -> RgaaSummary {
    let per_page: Vec<BTreeMap<String, PageCriterion>> = pages
        .iter()
        .map(|fs| page_statuses(data, &fs.iter().collect::<Vec<_>>()))
        .collect();
    let mut criteria = Vec::with_capacity(data.criteria.len());
    let mut counts = StatusCounts::default();
    let mut left_to_human = Vec::new();
    let (mut applicable_automated, mut without_failure) = (0usize, 0usize);
    for c in &data.criteria {
        let mut pages = StatusCounts::default();
        let mut statuses = Vec::new();
        let (mut failed, mut cant_tell, mut applicable) = (0, 0, false);
        for p in &per_page {
            let Some(pc) = p.get(&c.id) else { continue };
            statuses.push(pc.status);
            bump(&mut pages, pc.status);
            failed += pc.failed;
            cant_tell += pc.cant_tell;
            applicable |= pc.applicable;
        }
        let status = demarche_status(&statuses);
        bump(&mut counts, status);
        if status == Status::NT {
            left_to_human.push(c.id.clone());
        }
        if c.automation != Automation::Manual && applicable {
            applicable_automated += 1;
            if status != Status::NC {
                without_failure += 1;
            }
        }
        criteria.push(CriterionResult {
            id: c.id.clone(),
            label: c.label.clone(),
            level: c.level.clone(),
            automation: c.automation.as_str().to_string(),
            status,
            pages,
            failed_findings: failed,
            cant_tell_findings: cant_tell,
            rules: c
                .rules
                .iter()
                .filter(|r| rule_by_id(r).is_some())
                .cloned()
                .collect(),
        });
    }
    let automated_rate = (applicable_automated > 0).then(|| {
        let r = 100.0 * without_failure as f64 / applicable_automated as f64;
        (r * 10.0).round() / 10.0
    });
    RgaaSummary {
        version: data.version.clone(),
        pages: pages.len(),
        criteria,
        left_to_human,
        counts,
        applicable_automated,
        automated_without_failure: without_failure,
        automated_rate,
        automated_rate_note: RATE_NOTE.to_string(),
    }
}

fn bump(c: &mut StatusCounts, s: Status) {
    match s {
        Status::C => c.c += 1,
        Status::NC => c.nc += 1,
        Status::NA => c.na += 1,
        Status::NT => c.nt += 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA: &str = r#"
version = "4.1.2"
[wcag_levels]
"1.1.1" = "A"
[[themes]]
number = 1
name = "T"
[[criteria]]
id = "1.1"
theme = 1
level = "A"
label = "auto à deux règles"
tests = ["1.1.1"]
wcag = ["1.1.1"]
automation = "auto"
rules = ["ra", "rb"]
[[criteria]]
id = "1.2"
theme = 1
level = "A"
label = "partiel"
tests = ["1.2.1"]
wcag = ["1.1.1"]
automation = "partial"
rules = ["ra"]
[[criteria]]
id = "1.3"
theme = 1
level = "A"
label = "manuel"
tests = ["1.3.1"]
wcag = ["1.1.1"]
automation = "manual"
rules = []
"#;

    fn data() -> Rgaa {
        Rgaa::parse(DATA).expect("test data")
    }

    fn f(url: &str, rule: &str, outcome: Outcome) -> Finding {
        Finding {
            rule: rule.to_string().into(),
            outcome,
            url: url.into(),
            targets: vec![],
            count: 1,
            message: String::new(),
            rgaa: vec![],
            wcag: Default::default(),
            act: Default::default(),
            cerfa: Default::default(),
            details: None,
        }
    }

    fn statuses(fs: &[Finding]) -> Vec<Status> {
        let refs: Vec<&Finding> = fs.iter().collect();
        let m = page_statuses(&data(), &refs);
        ["1.1", "1.2", "1.3"].iter().map(|c| m[*c].status).collect()
    }

    use Outcome::*;
    use Status::*;

    #[test]
    fn page_status_from_outcomes() {
        assert_eq!(
            statuses(&[f("u", "ra", Passed), f("u", "rb", Passed)]),
            [C, NT, NT]
        );
        assert_eq!(
            statuses(&[f("u", "ra", Passed), f("u", "rb", Inapplicable)]),
            [C, NT, NT]
        );
        assert_eq!(
            statuses(&[f("u", "ra", Inapplicable), f("u", "rb", Inapplicable)]),
            [NA, NT, NT]
        );
        assert_eq!(
            statuses(&[f("u", "ra", Failed), f("u", "rb", Passed)]),
            [NC, NC, NT]
        );
        // A failure wins over passes of the same rule on other targets.
        assert_eq!(
            statuses(&[
                f("u", "ra", Passed),
                f("u", "ra", Failed),
                f("u", "rb", Passed)
            ]),
            [NC, NC, NT]
        );
        // Doubt is never a pass.
        assert_eq!(
            statuses(&[f("u", "ra", Passed), f("u", "rb", CantTell)]),
            [NT, NT, NT]
        );
        // A rule that did not run: not tested.
        assert_eq!(statuses(&[f("u", "ra", Passed)]), [NT, NT, NT]);
        assert_eq!(statuses(&[]), [NT, NT, NT]);
    }

    #[test]
    fn a_finding_counts_only_for_the_criteria_of_its_tests() {
        // Rule "ra" tests 1.1 and 1.2; a failure naming only 1.2.1 leaves 1.1 to the others.
        let mut only_12 = f("u", "ra", Failed);
        only_12.rgaa = vec!["1.2.1".into()];
        let mut pass_11 = f("u", "ra", Passed);
        pass_11.rgaa = vec!["1.1.1".into()];
        assert_eq!(
            statuses(&[only_12.clone(), pass_11, f("u", "rb", Passed)]),
            [C, NC, NT]
        );
        // Said nothing about 1.1: inapplicable there.
        assert_eq!(
            statuses(&[only_12, f("u", "rb", Inapplicable)]),
            [NA, NC, NT]
        );
        let mut doubt_12 = f("u", "ra", CantTell);
        doubt_12.rgaa = vec!["1.2.1".into()];
        let mut fail_11 = f("u", "ra", Failed);
        fail_11.rgaa = vec!["1.1.1".into()];
        assert_eq!(
            statuses(&[doubt_12, fail_11, f("u", "rb", Passed)]),
            [NC, NT, NT]
        );
    }

    #[test]
    fn demarche_sampling_rule() {
        assert_eq!(demarche_status(&[C, NA, C]), C);
        assert_eq!(demarche_status(&[C, NC, NA]), NC);
        assert_eq!(demarche_status(&[NA, NA]), NA);
        assert_eq!(demarche_status(&[C, NT]), NT);
        assert_eq!(demarche_status(&[NT, NC]), NC);
        assert_eq!(demarche_status(&[]), NT);
    }

    #[test]
    fn demarche_summary_counts_and_rate() {
        let p1 = vec![f("p1", "ra", Passed), f("p1", "rb", Passed)];
        let p2 = vec![
            f("p2", "ra", Failed),
            f("p2", "ra", Failed),
            f("p2", "rb", Inapplicable),
        ];
        let s = summarize_with(&data(), &[&p1, &p2]);
        let c11 = &s.criteria[0];
        assert_eq!(c11.status, NC);
        assert_eq!(
            c11.pages,
            StatusCounts {
                c: 1,
                nc: 1,
                na: 0,
                nt: 0
            }
        );
        assert_eq!(c11.failed_findings, 2);
        assert_eq!(s.criteria[1].status, NC);
        assert_eq!(s.criteria[2].status, NT);
        assert_eq!(s.left_to_human, vec!["1.3".to_string()]);
        assert_eq!(
            s.counts,
            StatusCounts {
                c: 0,
                nc: 2,
                na: 0,
                nt: 1
            }
        );
        assert_eq!(s.applicable_automated, 2);
        assert_eq!(s.automated_without_failure, 0);
        assert_eq!(s.automated_rate, Some(0.0));

        let p2 = vec![f("p2", "ra", Inapplicable), f("p2", "rb", Inapplicable)];
        let s = summarize_with(&data(), &[&p1, &p2]);
        assert_eq!(s.criteria[0].status, C);
        assert_eq!(
            s.criteria[0].pages,
            StatusCounts {
                c: 1,
                nc: 0,
                na: 1,
                nt: 0
            }
        );
        assert_eq!(s.criteria[1].status, NT);
        assert_eq!(s.left_to_human, vec!["1.2".to_string(), "1.3".to_string()]);
        assert_eq!(s.automated_rate, Some(100.0));

        let s = summarize_with(&data(), &[]);
        assert_eq!(s.automated_rate, None);
        assert_eq!(s.counts.nt, 3);
    }
}
