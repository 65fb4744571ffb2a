//! Cerfa criterion 29.

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

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        keyword(
            ctx,
            "suivi",
            "Lien de suivi de dossier trouvé.",
            "Aucun lien « suivre ma demande » sur les pages publiques (à confirmer dans l'espace connecté).",
        )
    }
}
