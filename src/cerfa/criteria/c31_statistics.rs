//! Cerfa criterion 31: statistics published. Verdict, messages and tests.

use super::shared::{keyword, Ctx, Measured};
use super::CerfaCriterion;

/// ## Ce que le critère vérifie
/// Une page de statistiques (nombre annuel de dossiers, part traitée en ligne) liée depuis les pages.
/// ## Pourquoi
/// La transparence sur l'usage du service permet de suivre sa dématérialisation.
/// ## Exemple rempli
/// `<a href="/statistiques">Statistiques</a>`
/// ## Exemple non rempli
/// Aucune page de statistiques.
/// ## Références
/// Cerfa numérique, critère 31 (principe 7) · extraction : `cerfa::misc`
pub(crate) struct Statistics;

impl CerfaCriterion for Statistics {
    fn number(&self) -> u8 {
        31
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        keyword(
            ctx,
            "statistiques",
            "Page de statistiques trouvée.",
            "Aucune page de statistiques trouvée.",
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
    fn met_with_a_statistiques_link() {
        let mut e = PageEvidence::default();
        e.misc.keyword_links = vec![KeywordLink {
            kind: "statistiques".into(),
            link: link("Statistiques", "https://demarche.gouv.fr/statistiques"),
        }];
        let site = Site::new()
            .with(START, PageEvidence::default())
            .with("https://demarche.gouv.fr/aide", e);
        let lines = verdict(
            &site.measure(&Statistics),
            Status::Met,
            "Page de statistiques trouvée.",
        );
        assert_eq!(
            lines,
            ["« Statistiques » → https://demarche.gouv.fr/statistiques — https://demarche.gouv.fr/aide — a"]
        );
    }

    #[test]
    fn not_met_without_it() {
        let m = Site::new()
            .with(START, PageEvidence::default())
            .measure(&Statistics);
        verdict(&m, Status::NotMet, "Aucune page de statistiques trouvée.");
        assert!(m.evidence.is_empty());
    }
}
