//! Cerfa criterion 13.

use super::shared::{contact_union, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Au moins `contact_channels_min` canaux de contact distincts sur l'ensemble des pages, dont un
/// formulaire de contact (téléphone, courriel, formulaire, messagerie, accueil, rendez-vous).
/// ## Pourquoi
/// L'usager doit pouvoir joindre le service par le canal qui lui convient, et par écrit.
/// ## Exemple rempli
/// Une page contact avec un formulaire et un numéro de téléphone.
/// ## Exemple non rempli
/// Seulement une adresse électronique ; ou un téléphone et un courriel sans formulaire.
/// ## Références
/// Cerfa numérique, critère 13 (principe 4) · extraction : `cerfa::contact`
pub(crate) struct ContactChannels;

impl CerfaCriterion for ContactChannels {
    fn number(&self) -> u8 {
        13
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let (channels, evidence) = contact_union(ctx);
        let min = crate::cerfa::data::criteria()
            .thresholds
            .contact_channels_min;
        let has_form = channels.contains(&"formulaire");
        let list = if channels.is_empty() {
            "aucun".to_string()
        } else {
            channels.join(", ")
        };
        if channels.len() >= min && has_form {
            m(
                Status::Met,
                format!(
                    "{} canaux de contact dont un formulaire ({list}).",
                    channels.len()
                ),
                evidence,
            )
        } else if !has_form {
            m(
                Status::NotMet,
                format!("Pas de formulaire de contact (canaux trouvés : {list})."),
                evidence,
            )
        } else {
            m(
                Status::NotMet,
                format!("Moins de {min} canaux de contact ({list})."),
                evidence,
            )
        }
    }
}
