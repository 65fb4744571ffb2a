//! Cerfa criterion 16.

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
/// Aucun échec des règles clavier (verdict inconnu, à confirmer à la main).
/// ## Exemple non rempli
/// Un lien `<a href="#" onclick="…">` sans nom, ou un cadre sans titre : échecs de règles du critère 16.
/// ## Références
/// Cerfa numérique, critère 16 (principe 5) · RGAA thèmes 7, 10, 12 · WCAG 2.1.1, 2.4.3
pub(crate) struct Keyboard;

impl CerfaCriterion for Keyboard {
    fn number(&self) -> u8 {
        16
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
