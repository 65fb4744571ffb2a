//! Cerfa criterion 35: a demonstration version. Verdict, messages and tests.

use super::shared::{keyword, Ctx, Measured};
use super::CerfaCriterion;

/// ## Ce que le critère vérifie
/// Un lien vers une version de démonstration, un bac à sable ou une version de test.
/// ## Pourquoi
/// Les partenaires et les aidants doivent pouvoir essayer la démarche sans déposer de vrai dossier.
/// ## Exemple rempli
/// `<a href="/demo">Essayer la démonstration</a>`
/// ## Exemple non rempli
/// Aucun lien de démonstration.
/// ## Références
/// Cerfa numérique, critère 35 (principe 4) · extraction : `cerfa::misc`
pub(crate) struct Demonstration;

impl CerfaCriterion for Demonstration {
    fn number(&self) -> u8 {
        35
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        keyword(
            ctx,
            "demonstration",
            "Lien vers une démonstration trouvé.",
            "Aucune version de démonstration trouvée.",
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
    fn met_with_a_demonstration_link() {
        let mut e = PageEvidence::default();
        e.misc.keyword_links = vec![KeywordLink {
            kind: "demonstration".into(),
            link: link(
                "Essayer la démonstration",
                "https://demarche.gouv.fr/demonstration",
            ),
        }];
        let site = Site::new()
            .with(START, PageEvidence::default())
            .with("https://demarche.gouv.fr/aide", e);
        let lines = verdict(
            &site.measure(&Demonstration),
            Status::Met,
            "Lien vers une démonstration trouvé.",
        );
        assert_eq!(
            lines,
            ["« Essayer la démonstration » → https://demarche.gouv.fr/demonstration — https://demarche.gouv.fr/aide — a"]
        );
    }

    #[test]
    fn not_met_without_it() {
        let m = Site::new()
            .with(START, PageEvidence::default())
            .measure(&Demonstration);
        verdict(
            &m,
            Status::NotMet,
            "Aucune version de démonstration trouvée.",
        );
        assert!(m.evidence.is_empty());
    }
}
