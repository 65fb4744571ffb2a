//! Cerfa criterion 17: text contrast (from the contrast rule). Verdict, messages and tests.

use super::shared::{evidence_of, m, rule_findings, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};
use crate::rules::Outcome;

/// ## Ce que le critère vérifie
/// Les résultats de la règle de contraste (`color-contrast`, marquée pour le critère 17) : un échec donne
/// « non rempli », un fond non résolu « inconnu », des textes tous mesurés suffisants « rempli ».
/// ## Pourquoi
/// Un texte peu contrasté est illisible pour les personnes malvoyantes, et pour tous au soleil.
/// ## Exemple rempli
/// Tous les textes mesurés à au moins 4,5:1 (3:1 pour les grands textes).
/// ## Exemple non rempli
/// `<p style="color:#aaa; background:#fff">` (2,32:1).
/// ## Références
/// Cerfa numérique, critère 17 (principe 5) · RGAA 3.2 · WCAG 1.4.3
pub(crate) struct Contrast;

impl CerfaCriterion for Contrast {
    fn number(&self) -> u8 {
        17
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
                "Des textes ont un contraste insuffisant.",
                failed,
            );
        }
        let cant: Vec<Evidence> = evidence_of(&fs, Outcome::CantTell, 10);
        if !cant.is_empty() {
            return m(
                Status::Unknown,
                "Contraste indéterminé pour certains textes (fond non résolu).",
                cant,
            );
        }
        if fs.iter().any(|f| f.outcome == Outcome::Passed) {
            m(
                Status::Met,
                "Tous les textes mesurés ont un contraste suffisant.",
                vec![],
            )
        } else {
            m(
                Status::Unknown,
                "Aucun résultat de contraste applicable.",
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
    fn met_when_every_measured_text_passes() {
        let m = site()
            .finding("color-contrast", Outcome::Passed, 17, "Contraste 12,6:1")
            .measure(&Contrast);
        verdict(
            &m,
            Status::Met,
            "Tous les textes mesurés ont un contraste suffisant.",
        );
        assert!(m.evidence.is_empty());
    }

    #[test]
    fn not_met_on_a_failure_unknown_on_cant_tell() {
        let e = verdict(
            &site()
                .finding("color-contrast", Outcome::Passed, 17, "Contraste 12,6:1")
                .finding("color-contrast", Outcome::Failed, 17, "Contraste 2,3:1")
                .measure(&Contrast),
            Status::NotMet,
            "Des textes ont un contraste insuffisant.",
        );
        assert_eq!(
            e,
            ["color-contrast : Contraste 2,3:1 — https://demarche.gouv.fr/ — p:nth-child(2)"]
        );
        let e = verdict(
            &site()
                .finding("color-contrast", Outcome::CantTell, 17, "Fond en image")
                .measure(&Contrast),
            Status::Unknown,
            "Contraste indéterminé pour certains textes (fond non résolu).",
        );
        assert_eq!(
            e,
            ["color-contrast : Fond en image — https://demarche.gouv.fr/ — p:nth-child(2)"]
        );
        verdict(
            &site()
                .finding("link-name", Outcome::Failed, 16, "Lien sans nom")
                .measure(&Contrast),
            Status::Unknown,
            "Aucun résultat de contraste applicable.",
        );
    }
}
