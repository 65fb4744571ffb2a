//! Cerfa criterion 30: satisfaction measured and results published. Verdict, messages and tests.

use super::shared::{ev, find_keyword, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};

/// ## Ce que le critère vérifie
/// Un bouton « Je donne mon avis » et une page de résultats de satisfaction publiés.
/// ## Pourquoi
/// Mesurer la satisfaction et publier les résultats engage le service à s'améliorer.
/// ## Exemple rempli
/// « Je donne mon avis » et un lien « Résultats de satisfaction ».
/// ## Exemple non rempli
/// Le bouton « Je donne mon avis » sans résultats publiés.
/// ## Références
/// Cerfa numérique, critère 30 (principe 7) · extraction : `cerfa::misc`
pub(crate) struct Satisfaction;

impl CerfaCriterion for Satisfaction {
    fn number(&self) -> u8 {
        30
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let avis = find_keyword(ctx, "avis");
        let results = find_keyword(ctx, "resultats_satisfaction");
        let evidence: Vec<Evidence> = [avis, results]
            .iter()
            .flatten()
            .map(|(u, l)| {
                ev(
                    Some(u),
                    Some(&l.selector),
                    format!("« {} » → {}", l.text, l.href),
                )
            })
            .collect();
        match (avis, results) {
            (Some(_), Some(_)) => m(
                Status::Met,
                "Avis des usagers recueillis et résultats publiés.",
                evidence,
            ),
            (Some(_), None) => m(
                Status::NotMet,
                "Bouton « Je donne mon avis » présent mais résultats non publiés.",
                evidence,
            ),
            (None, Some(_)) => m(
                Status::NotMet,
                "Résultats publiés mais pas de bouton « Je donne mon avis ».",
                evidence,
            ),
            (None, None) => m(
                Status::NotMet,
                "Ni recueil d'avis ni résultats de satisfaction trouvés.",
                evidence,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{link, verdict, Site, START};
    use crate::cerfa::misc::KeywordLink;
    use crate::cerfa::PageEvidence;

    fn page(kinds: &[&str]) -> PageEvidence {
        let mut e = PageEvidence::default();
        e.misc.keyword_links = kinds
            .iter()
            .map(|k| KeywordLink {
                kind: k.to_string(),
                link: link(k, &format!("/{k}")),
            })
            .collect();
        e
    }

    #[test]
    fn met_with_the_button_and_published_results() {
        let lines = verdict(
            &Site::new()
                .with(START, page(&["avis", "resultats_satisfaction"]))
                .measure(&Satisfaction),
            Status::Met,
            "Avis des usagers recueillis et résultats publiés.",
        );
        assert_eq!(
            lines,
            [
                "« avis » → /avis — https://demarche.gouv.fr/ — a",
                "« resultats_satisfaction » → /resultats_satisfaction — https://demarche.gouv.fr/ — a"
            ]
        );
    }

    #[test]
    fn not_met_with_one_half_or_none() {
        verdict(
            &Site::new()
                .with(START, page(&["avis"]))
                .measure(&Satisfaction),
            Status::NotMet,
            "Bouton « Je donne mon avis » présent mais résultats non publiés.",
        );
        verdict(
            &Site::new()
                .with(START, page(&["resultats_satisfaction"]))
                .measure(&Satisfaction),
            Status::NotMet,
            "Résultats publiés mais pas de bouton « Je donne mon avis ».",
        );
        verdict(
            &Site::new().with(START, page(&[])).measure(&Satisfaction),
            Status::NotMet,
            "Ni recueil d'avis ni résultats de satisfaction trouvés.",
        );
    }
}
