//! Cerfa criterion 13: at least two contact channels, one a form. Verdict, messages and tests.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    fn page(phone: bool, email: bool, form: bool) -> PageEvidence {
        let mut e = PageEvidence::default();
        if phone {
            e.contact.phones = vec!["0123456789".into()];
        }
        if email {
            e.contact.emails = vec!["contact@demarche.gouv.fr".into()];
        }
        if form {
            e.contact.form = Some("#contact".into());
        }
        e
    }

    #[test]
    fn met_with_two_channels_across_pages_including_a_form() {
        let site = Site::new()
            .with(START, page(true, false, false))
            .with("https://demarche.gouv.fr/contact", page(true, false, true));
        let e = verdict(
            &site.measure(&ContactChannels),
            Status::Met,
            "2 canaux de contact dont un formulaire (telephone, formulaire).",
        );
        assert_eq!(
            e,
            [
                "téléphone : 0123456789 — https://demarche.gouv.fr/",
                "formulaire de contact — https://demarche.gouv.fr/contact — #contact"
            ]
        );
    }

    #[test]
    fn not_met_without_a_form_or_with_a_form_only() {
        verdict(
            &Site::new()
                .with(START, page(true, true, false))
                .measure(&ContactChannels),
            Status::NotMet,
            "Pas de formulaire de contact (canaux trouvés : telephone, courriel).",
        );
        verdict(
            &Site::new()
                .with(START, page(false, false, true))
                .measure(&ContactChannels),
            Status::NotMet,
            "Moins de 2 canaux de contact (formulaire).",
        );
        verdict(
            &Site::new()
                .with(START, page(false, false, false))
                .measure(&ContactChannels),
            Status::NotMet,
            "Pas de formulaire de contact (canaux trouvés : aucun).",
        );
    }
}
