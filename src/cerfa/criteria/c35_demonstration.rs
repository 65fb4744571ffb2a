//! Cerfa criterion 35.

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
