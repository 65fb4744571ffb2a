//! Cerfa criterion 16: keyboard use (from the rules marked for 16). Verdict, messages and tests.

use super::shared::{evidence_of, m, rule_findings, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};
use crate::rules::{rule_by_id, Outcome, NOT_MEASURED};

/// The rule whose finding on a page says it was walked with the keyboard.
const WALK_RULE: &str = "keyboard-trap";

/// ## Ce que le critère vérifie
/// Les résultats des règles RGAA marquées pour le critère 16 (`RuleMeta::cerfa`) : un échec suffit pour
/// « non rempli ». Sans échec, le critère est « rempli » quand chaque page visitée a été parcourue au
/// clavier dans le navigateur (`--render`, règle `keyboard-trap`) sans obstacle ni doute des règles
/// mesurées en navigateur (piège, focus invisible, zone défilante hors clavier), avec le parcours en
/// preuve ; sinon il reste inconnu : l'usage complet au clavier demande un test manuel.
/// ## Pourquoi
/// Les personnes qui ne peuvent pas utiliser une souris doivent pouvoir faire toute la démarche.
/// ## Exemple rempli
/// Une démarche auditée avec `--render always` dont chaque page se parcourt à la touche Tab jusqu'à
/// sa fin, chaque élément changeant à l'écran quand il prend le focus.
/// ## Exemple non rempli
/// Un lien `<a href="#" onclick="…">` sans nom, ou un cadre sans titre : échecs de règles du critère 16.
/// ## Références
/// Cerfa numérique, critère 16 (principe 5) · les règles dont `RuleMeta::cerfa` contient 16
/// (`vigie rules`) · WCAG 2.1.1, 2.4.3
pub(crate) struct Keyboard;

impl CerfaCriterion for Keyboard {
    fn number(&self) -> u8 {
        16
    }
    /// Judged from the rules' findings on the served page: a failure there is real even on a
    /// page built by script.
    fn reads_page_content(&self) -> bool {
        false
    }

    fn reads_rule_findings(&self) -> bool {
        true
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let fs = rule_findings(ctx, self);
        let failed: Vec<Evidence> = evidence_of(&fs, Outcome::Failed, 20);
        if !failed.is_empty() {
            return m(
                Status::NotMet,
                "Des obstacles à la navigation au clavier ont été mesurés.",
                failed,
            );
        }
        // Analysed pages (those with findings), and those the browser walked.
        let analysed: Vec<&str> = ctx
            .pages
            .iter()
            .map(|p| p.url)
            .filter(|u| ctx.findings.iter().any(|f| *f.url == **u))
            .collect();
        let walks: Vec<&crate::findings::Finding> = fs
            .iter()
            .copied()
            .filter(|f| f.rule == WALK_RULE && f.message != NOT_MEASURED)
            .collect();
        let walked = analysed
            .iter()
            .filter(|u| walks.iter().any(|f| *f.url == ***u))
            .count();
        let browser_doubt = fs.iter().any(|f| {
            f.outcome == Outcome::CantTell && rule_by_id(&f.rule).is_some_and(|r| r.needs_browser())
        });
        if !analysed.is_empty() && walked == analysed.len() && !browser_doubt {
            return m(
                Status::Met,
                format!(
                    "Chaque page visitée ({walked}) a été parcourue au clavier dans le navigateur sans obstacle mesuré."
                ),
                evidence_of(&walks, Outcome::Passed, 20)
                    .into_iter()
                    .chain(evidence_of(&walks, Outcome::Inapplicable, 20))
                    .take(20)
                    .collect(),
            );
        }
        if walked > 0 {
            return m(
                Status::Unknown,
                format!(
                    "Parcours au clavier dans le navigateur sur {walked} des {} pages, sans échec : {}.",
                    analysed.len(),
                    if browser_doubt {
                        "des éléments restent à vérifier"
                    } else {
                        "les autres pages n'ont pas été rendues (--render)"
                    }
                ),
                vec![],
            );
        }
        if fs
            .iter()
            .any(|f| matches!(f.outcome, Outcome::Passed | Outcome::CantTell))
        {
            m(
                Status::Unknown,
                "Aucun problème détecté par les règles clavier : à confirmer par un test manuel.",
                vec![],
            )
        } else {
            m(
                Status::Unknown,
                "Aucune règle clavier applicable sur les pages visitées.",
                vec![],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;
    use crate::rules::Outcome;

    fn site() -> Site {
        Site::new().with(START, PageEvidence::default())
    }

    #[test]
    fn not_met_on_a_failure_of_a_rule_for_criterion_16() {
        let s = site()
            .finding("link-name", Outcome::Failed, 16, "Lien sans nom")
            .finding("color-contrast", Outcome::Failed, 17, "Contraste 2,3:1");
        let e = verdict(
            &s.measure(&Keyboard),
            Status::NotMet,
            "Des obstacles à la navigation au clavier ont été mesurés.",
        );
        assert_eq!(
            e,
            ["link-name : Lien sans nom — https://demarche.gouv.fr/ — p:nth-child(2)"]
        );
    }

    fn walk(s: Site, outcome: Outcome, message: &str) -> Site {
        let mut s = s.finding(WALK_RULE, outcome, 16, message);
        if let Some(f) = s.findings.last_mut() {
            f.targets.clear();
        }
        s
    }

    #[test]
    fn met_when_every_page_was_walked_without_obstacle() {
        let s = walk(
            site().finding("link-name", Outcome::Passed, 16, "ok"),
            Outcome::Passed,
            "Parcours au clavier : 4 élément(s) atteints, puis le focus quitte la page ; aucun piège.",
        );
        let e = verdict(
            &s.measure(&Keyboard),
            Status::Met,
            "Chaque page visitée (1) a été parcourue au clavier dans le navigateur sans obstacle mesuré.",
        );
        assert_eq!(
            e,
            ["keyboard-trap : Parcours au clavier : 4 élément(s) atteints, puis le focus quitte la page ; aucun piège. — https://demarche.gouv.fr/"]
        );
        // A trap found by the walk: not met, the walk as evidence.
        let trapped = walk(site(), Outcome::Failed, "Piège au clavier : …");
        verdict(
            &trapped.measure(&Keyboard),
            Status::NotMet,
            "Des obstacles à la navigation au clavier ont été mesurés.",
        );
        // A doubt of a browser rule keeps it unknown.
        let doubt = walk(site(), Outcome::Passed, "Parcours au clavier : …").finding(
            "focus-visible",
            Outcome::CantTell,
            16,
            "non comparé",
        );
        verdict(
            &doubt.measure(&Keyboard),
            Status::Unknown,
            "Parcours au clavier dans le navigateur sur 1 des 1 pages, sans échec : des éléments restent à vérifier.",
        );
    }

    #[test]
    fn a_page_not_walked_keeps_it_unknown() {
        let s = walk(site(), Outcome::Inapplicable, NOT_MEASURED).finding(
            "link-name",
            Outcome::Passed,
            16,
            "ok",
        );
        verdict(
            &s.measure(&Keyboard),
            Status::Unknown,
            "Aucun problème détecté par les règles clavier : à confirmer par un test manuel.",
        );
    }

    #[test]
    fn unknown_without_failure_never_met() {
        verdict(
            &site()
                .finding("link-name", Outcome::Passed, 16, "ok")
                .measure(&Keyboard),
            Status::Unknown,
            "Aucun problème détecté par les règles clavier : à confirmer par un test manuel.",
        );
        verdict(
            &site()
                .finding("color-contrast", Outcome::Failed, 17, "Contraste 2,3:1")
                .measure(&Keyboard),
            Status::Unknown,
            "Aucune règle clavier applicable sur les pages visitées.",
        );
    }
}
