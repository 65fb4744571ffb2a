//! Cerfa criterion 16: keyboard use (from the rules marked for 16). Verdict, messages and tests.

use super::shared::{evidence_of, m, rule_findings, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};
use crate::rules::Outcome;

/// ## Ce que le critère vérifie
/// Les résultats des règles RGAA marquées pour le critère 16 (`RuleMeta::cerfa`) : un échec suffit pour
/// « non rempli ». Sans échec, le verdict reste inconnu : l'usage complet au clavier demande un test
/// manuel.
/// ## Pourquoi
/// Les personnes qui ne peuvent pas utiliser une souris doivent pouvoir faire toute la démarche.
/// ## Exemple rempli
/// Jamais rempli par la machine : sans échec des règles clavier, le verdict reste inconnu, à
/// confirmer par un parcours complet au clavier.
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
