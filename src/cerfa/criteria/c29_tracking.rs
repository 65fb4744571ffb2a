//! Cerfa criterion 29: a follow-up link. Verdict, messages and tests.

use super::shared::{keyword, Ctx, Measured};
use super::CerfaCriterion;

/// ## Ce que le critère vérifie
/// Un lien « suivre ma demande / mon dossier » sur les pages publiques.
/// ## Pourquoi
/// Après l'envoi, l'usager doit savoir où en est son dossier sans appeler.
/// ## Exemple rempli
/// `<a href="/suivi">Suivre ma demande</a>`
/// ## Exemple non rempli
/// Aucun lien de suivi (souvent dans l'espace connecté : à confirmer).
/// ## Références
/// Cerfa numérique, critère 29 (principe 9) · extraction : `cerfa::misc`
pub(crate) struct Tracking;

impl CerfaCriterion for Tracking {
    fn number(&self) -> u8 {
        29
    }
    /// Judged from what the served page declares or references, not from its content.
    fn reads_page_content(&self) -> bool {
        false
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        keyword(
            ctx,
            "suivi",
            "Lien de suivi de dossier trouvé.",
            "Aucun lien « suivre ma demande » sur les pages publiques (à confirmer dans l'espace connecté).",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{link, verdict, Site, START};
    use crate::cerfa::misc::KeywordLink;
    use crate::cerfa::model::Status;
    use crate::cerfa::PageEvidence;

    #[test]
    fn met_with_a_suivi_link() {
        let mut e = PageEvidence::default();
        e.misc.keyword_links = vec![KeywordLink {
            kind: "suivi".into(),
            link: link("Suivre ma demande", "https://demarche.gouv.fr/suivi"),
        }];
        let site = Site::new()
            .with(START, PageEvidence::default())
            .with("https://demarche.gouv.fr/aide", e);
        let lines = verdict(
            &site.measure(&Tracking),
            Status::Met,
            "Lien de suivi de dossier trouvé.",
        );
        assert_eq!(
            lines,
            ["« Suivre ma demande » → https://demarche.gouv.fr/suivi — https://demarche.gouv.fr/aide — a"]
        );
    }

    #[test]
    fn not_met_without_it() {
        let m = Site::new()
            .with(START, PageEvidence::default())
            .measure(&Tracking);
        verdict(&m, Status::NotMet, "Aucun lien « suivre ma demande » sur les pages publiques (à confirmer dans l'espace connecté).");
        assert!(m.evidence.is_empty());
    }
}
