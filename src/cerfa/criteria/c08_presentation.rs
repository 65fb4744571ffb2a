//! Cerfa criterion 8.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// La page de départ répond (HTTP 2xx) sans connexion et présente la démarche au lieu de n'être qu'un
/// formulaire de connexion.
/// ## Pourquoi
/// L'usager doit comprendre la démarche (à quoi elle sert, ce qu'il faut préparer) avant de créer un compte.
/// ## Exemple rempli
/// Une page d'accueil qui décrit la démarche, avec un bouton « Commencer ».
/// ## Exemple non rempli
/// Une page de départ qui répond 404, ou qui n'affiche qu'un identifiant et un mot de passe.
/// ## Références
/// Cerfa numérique, critère 8 (principe 1) · extraction : `cerfa::franceconnect` (page de connexion seule)
pub(crate) struct Presentation;

impl CerfaCriterion for Presentation {
    fn number(&self) -> u8 {
        8
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page de départ non analysée.", vec![]);
        };
        let e = vec![ev(
            Some(home.url),
            None,
            format!(
                "statut HTTP {}",
                home.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "inconnu".into())
            ),
        )];
        match home.status {
            Some(s) if (200..300).contains(&s) => {
                if home.evidence.login_only {
                    m(
                        Status::NotMet,
                        "La page de départ n'est qu'un formulaire de connexion.",
                        e,
                    )
                } else {
                    m(
                        Status::Met,
                        "La page de départ présente la démarche sans connexion.",
                        e,
                    )
                }
            }
            Some(_) => m(
                Status::NotMet,
                "La page de départ ne répond pas correctement.",
                e,
            ),
            None => m(Status::Unknown, "Statut de la page de départ inconnu.", e),
        }
    }
}
