//! Démarche-level evaluation of the 35 criteria and the two scores of the 2019 study
//! (k/35 and k/3 for the accessibility criteria 15–17): each measured criterion (see
//! [`super::criteria`]) is measured, then combined with the operator's declaration.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::criteria::{self, m, Ctx, Measured};
use super::data::{self, CriterionDef, Mode};
use super::declarations_file::DeclaredAnswer;
use crate::catalogue::Demarche;
use crate::crawl::indexability::Indexability;
use crate::findings::Finding;

// The report model moved to `model`; these paths stay for the modules that name them.
pub use super::model::{
    CerfaReport, CriterionResult, Evidence, EvidencePage, ScoreFigure, Scores, Source,
    StatementVerdict, Status,
};

/// Evaluate the 35 criteria for one démarche.
pub fn evaluate(
    demarche: &Demarche,
    pages: &[EvidencePage<'_>],
    findings: &[Finding],
    declarations: Option<&BTreeMap<u8, DeclaredAnswer>>,
    audit_date: NaiveDate,
    indexability: Option<&Indexability>,
) -> CerfaReport {
    let ctx = Ctx::new(demarche, pages, findings, audit_date, indexability);
    let mut criteria = Vec::with_capacity(35);
    for def in &data::criteria().criteria {
        let measured = measure(def, &ctx);
        criteria.push(combine(
            def,
            measured,
            declarations.and_then(|d| d.get(&def.number)),
        ));
    }
    CerfaReport {
        audit_date,
        scores: scores_of(&criteria),
        criteria,
        accessibility_declaration: ctx.declaration,
    }
}

fn scores_of(criteria: &[CriterionResult]) -> Scores {
    let all = figure(criteria.iter());
    let accessibility = figure(criteria.iter().filter(|c| (15..=17).contains(&c.number)));
    Scores {
        all_pct: all.percent,
        accessibility_pct: accessibility.percent,
        all,
        accessibility,
    }
}

/// Replace the declarations of an evaluated démarche (`vigie report --declarations`): each
/// criterion is decided again from its measured verdict and the new answer, and the scores
/// recomputed.
pub fn redeclare(report: &mut CerfaReport, declarations: Option<&BTreeMap<u8, DeclaredAnswer>>) {
    for c in &mut report.criteria {
        let declared = declarations.and_then(|d| d.get(&c.number));
        let (status, source, disagreement) = decide(c.measured, declared);
        c.status = status;
        c.source = source;
        c.disagreement = disagreement;
        c.declaration = declared.cloned();
    }
    report.scores = scores_of(&report.criteria);
}

/// The verdict from the measure and the declaration: the measure wins; a declaration fills an
/// unknown; a disagreement is reported.
fn decide(measured: Status, declared: Option<&DeclaredAnswer>) -> (Status, Source, Option<String>) {
    match (measured, declared) {
        (Status::Unknown, Some(d)) => (d.value.into(), Source::Declared, None),
        (Status::Unknown, None) => (Status::Unknown, Source::Unknown, None),
        (s, Some(d)) if Status::from(d.value) != s => (
            s,
            Source::Measured,
            Some(format!(
                "La déclaration ({}) contredit la mesure ({}) : la mesure l'emporte.",
                Status::from(d.value).label_fr(),
                s.label_fr()
            )),
        ),
        (s, _) => (s, Source::Measured, None),
    }
}

fn combine(
    def: &CriterionDef,
    measured: Measured,
    declared: Option<&DeclaredAnswer>,
) -> CriterionResult {
    let (status, source, disagreement) = decide(measured.status, declared);
    CriterionResult {
        number: def.number,
        principle: def.principle,
        label: def.label.clone(),
        mode: def.mode,
        status,
        source,
        measured: measured.status,
        summary: measured.summary,
        evidence: measured.evidence,
        declaration: declared.cloned(),
        disagreement,
    }
}

fn figure<'a>(it: impl Iterator<Item = &'a CriterionResult>) -> ScoreFigure {
    let mut f = ScoreFigure::default();
    let mut total = 0;
    for c in it {
        total += 1;
        match (c.status, c.source) {
            (Status::Met, Source::Declared) => {
                f.met += 1;
                f.declared_met += 1
            }
            (Status::Met, _) => {
                f.met += 1;
                f.measured_met += 1
            }
            (Status::NotMet, _) => f.not_met += 1,
            (Status::Unknown, _) => f.unknown += 1,
            (Status::NotApplicable, _) => f.not_applicable += 1,
        }
    }
    f.out_of = total - f.not_applicable;
    f.percent = if f.out_of == 0 {
        0.0
    } else {
        (f.met as f64 * 1000.0 / f.out_of as f64).round() / 10.0
    };
    f
}

fn measure(def: &CriterionDef, ctx: &Ctx<'_>) -> Measured {
    if def.mode == Mode::Declared {
        return m(
            Status::Unknown,
            "Critère déclaratif : seul l'opérateur peut y répondre.",
            vec![],
        );
    }
    let Some(criterion) = criteria::measured_criterion(def.number) else {
        return m(Status::Unknown, "Critère non mesuré.", vec![]);
    };
    if ctx.pages.is_empty() && criterion.needs_pages() {
        return m(Status::Unknown, "Aucune page HTML analysée.", vec![]);
    }
    let measured = criterion.measure(ctx);
    // An application shell lacks what its scripts would add: not met becomes unknown.
    let shell = ctx.home.and_then(|h| h.evidence.script_built.as_deref());
    match shell {
        Some(why) if measured.status == Status::NotMet && criterion.reads_page_content() => m(
            Status::Unknown,
            format!(
                "Page d'accueil construite par script ({why}) : le contenu servi ne permet pas de conclure, un rendu de la page est nécessaire. Constat sur le contenu servi : {}",
                measured.summary
            ),
            measured.evidence,
        ),
        _ => measured,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::declarations_file::DeclaredValue;

    fn answer(value: DeclaredValue) -> DeclaredAnswer {
        DeclaredAnswer {
            value,
            comment: None,
            date: None,
            author: None,
        }
    }

    #[test]
    fn the_measure_wins_and_a_declaration_fills_an_unknown() {
        let met = answer(DeclaredValue::Met);
        assert_eq!(
            decide(Status::Unknown, Some(&met)),
            (Status::Met, Source::Declared, None)
        );
        assert_eq!(
            decide(Status::Unknown, None),
            (Status::Unknown, Source::Unknown, None)
        );
        assert_eq!(
            decide(Status::Met, Some(&met)),
            (Status::Met, Source::Measured, None)
        );
        assert_eq!(
            decide(Status::NotMet, Some(&met)),
            (
                Status::NotMet,
                Source::Measured,
                Some(
                    "La déclaration (rempli) contredit la mesure (non rempli) : la mesure l'emporte."
                        .into()
                )
            )
        );
    }

    #[test]
    fn declared_criteria_and_empty_crawls_are_unknown_except_32() {
        let demarche = Demarche::from_url(url::Url::parse("https://a.gouv.fr/").expect("url"));
        let date = NaiveDate::from_ymd_opt(2026, 6, 15).expect("date");
        let report = evaluate(&demarche, &[], &[], None, date, None);
        assert_eq!(report.criteria.len(), 35);
        let summary = |n: u8| report.criteria[usize::from(n) - 1].summary.as_str();
        assert_eq!(
            summary(2),
            "Critère déclaratif : seul l'opérateur peut y répondre."
        );
        assert_eq!(summary(1), "Aucune page HTML analysée.");
        assert_eq!(summary(32), "Page de départ non analysée.");
        assert!(report.criteria.iter().all(|c| c.status == Status::Unknown));
        assert_eq!(report.scores.all.unknown, 35);
        assert_eq!(report.scores.all.out_of, 35);
        assert_eq!(report.scores.all_pct, 0.0);
    }

    #[test]
    fn scores_count_unknown_as_not_met_and_leave_out_not_applicable() {
        let c = |number: u8, status: Status, source: Source| CriterionResult {
            number,
            principle: 1,
            label: String::new(),
            mode: Mode::Auto,
            status,
            source,
            measured: status,
            summary: String::new(),
            evidence: Vec::new(),
            declaration: None,
            disagreement: None,
        };
        let criteria = [
            c(15, Status::Met, Source::Measured),
            c(16, Status::Unknown, Source::Unknown),
            c(17, Status::Met, Source::Declared),
            c(26, Status::NotApplicable, Source::Measured),
            c(1, Status::NotMet, Source::Measured),
        ];
        let s = scores_of(&criteria);
        assert_eq!((s.all.met, s.all.out_of, s.all_pct), (2, 4, 50.0));
        assert_eq!((s.all.measured_met, s.all.declared_met), (1, 1));
        assert_eq!(
            (s.all.not_met, s.all.unknown, s.all.not_applicable),
            (1, 1, 1)
        );
        assert_eq!((s.accessibility.met, s.accessibility.out_of), (2, 3));
        assert_eq!(s.accessibility_pct, 66.7);
    }
}
