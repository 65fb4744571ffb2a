//! Cerfa criterion 20: the State design system (DSFR). Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// L'accueil porte les marqueurs du système de design de l'État : bloc-marque (`fr-header__brand`, ou
/// `rf-header__brand` de l'ancienne version), ou logo `fr-logo` avec pied de page `fr-footer`.
/// ## Pourquoi
/// Une apparence commune fait reconnaître un site de l'État et rassure l'usager.
/// ## Exemple rempli
/// `<div class="fr-header__brand">…</div>`
/// ## Exemple non rempli
/// Une charte propre sans aucun élément du DSFR.
/// ## Références
/// Cerfa numérique, critère 20 (principe 5) · DSFR · extraction : `cerfa::misc`
pub(crate) struct Dsfr;

impl CerfaCriterion for Dsfr {
    fn number(&self) -> u8 {
        20
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
        };
        let mk = &home.evidence.misc.dsfr_markers;
        let e = vec![ev(
            Some(home.url),
            None,
            format!(
                "marqueurs DSFR : {}",
                if mk.is_empty() {
                    "aucun".into()
                } else {
                    mk.join(", ")
                }
            ),
        )];
        let has = |s: &str| mk.iter().any(|x| x == s);
        if has("fr-header__brand")
            || has("rf-header__brand")
            || (has("fr-logo") && has("fr-footer"))
        {
            m(
                Status::Met,
                "Le site utilise le système de design de l'État (à confirmer).",
                e,
            )
        } else {
            m(
                Status::NotMet,
                "Pas de bloc-marque ni d'en-tête du DSFR.",
                e,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    fn home(markers: &[&str]) -> Site {
        let mut e = PageEvidence::default();
        e.misc.dsfr_markers = markers.iter().map(|s| s.to_string()).collect();
        Site::new().with(START, e)
    }

    #[test]
    fn met_with_the_dsfr_brand_block() {
        let e = verdict(
            &home(&["fr-header__brand", "fr-footer"]).measure(&Dsfr),
            Status::Met,
            "Le site utilise le système de design de l'État (à confirmer).",
        );
        assert_eq!(
            e,
            ["marqueurs DSFR : fr-header__brand, fr-footer — https://demarche.gouv.fr/"]
        );
        verdict(
            &home(&["fr-logo", "fr-footer"]).measure(&Dsfr),
            Status::Met,
            "Le site utilise le système de design de l'État (à confirmer).",
        );
    }

    #[test]
    fn not_met_without_brand_block() {
        let e = verdict(
            &home(&["fr-logo"]).measure(&Dsfr),
            Status::NotMet,
            "Pas de bloc-marque ni d'en-tête du DSFR.",
        );
        assert_eq!(e, ["marqueurs DSFR : fr-logo — https://demarche.gouv.fr/"]);
        let e = verdict(
            &home(&[]).measure(&Dsfr),
            Status::NotMet,
            "Pas de bloc-marque ni d'en-tête du DSFR.",
        );
        assert_eq!(e, ["marqueurs DSFR : aucun — https://demarche.gouv.fr/"]);
    }
}
