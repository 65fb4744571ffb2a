//! Cerfa criterion 31.

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
