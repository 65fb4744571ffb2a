//! Cerfa criterion 14: human support offered. Verdict, messages and tests.

use super::shared::{contact_union, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};

/// ## Ce que le critère vérifie
/// Un accompagnement humain proposé sur les pages : téléphone, messagerie avec un conseiller, accueil
/// physique ou prise de rendez-vous (un courriel ou un formulaire ne suffisent pas).
/// ## Pourquoi
/// Les personnes éloignées du numérique ont besoin d'être aidées par quelqu'un.
/// ## Exemple rempli
/// « Appelez le 01 23 45 67 89 » ou « Prendre rendez-vous ».
/// ## Exemple non rempli
/// Seulement un formulaire de contact.
/// ## Références
/// Cerfa numérique, critère 14 (principe 4) · extraction : `cerfa::contact`
pub(crate) struct HumanSupport;

impl CerfaCriterion for HumanSupport {
    fn number(&self) -> u8 {
        14
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let (channels, evidence) = contact_union(ctx);
        let human: Vec<Evidence> = channels
            .iter()
            .zip(evidence)
            .filter(|(c, _)| matches!(**c, "telephone" | "tchat" | "accueil" | "rendez_vous"))
            .map(|(_, e)| e)
            .collect();
        if human.is_empty() {
            m(
                Status::NotMet,
                "Aucun accompagnement humain trouvé (téléphone, rendez-vous, accueil).",
                vec![],
            )
        } else {
            m(
                Status::Met,
                "Accompagnement humain proposé (à confirmer).",
                human,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    #[test]
    fn met_with_a_phone_or_an_appointment() {
        let mut e = PageEvidence::default();
        e.contact.emails = vec!["contact@demarche.gouv.fr".into()];
        e.contact.appointment = Some("prendre rendez-vous".into());
        let lines = verdict(
            &Site::new().with(START, e).measure(&HumanSupport),
            Status::Met,
            "Accompagnement humain proposé (à confirmer).",
        );
        assert_eq!(
            lines,
            ["rendez-vous : « prendre rendez-vous » — https://demarche.gouv.fr/"]
        );
    }

    #[test]
    fn not_met_with_written_channels_only() {
        let mut e = PageEvidence::default();
        e.contact.emails = vec!["contact@demarche.gouv.fr".into()];
        e.contact.form = Some("#contact".into());
        let m = Site::new().with(START, e).measure(&HumanSupport);
        verdict(
            &m,
            Status::NotMet,
            "Aucun accompagnement humain trouvé (téléphone, rendez-vous, accueil).",
        );
        assert!(m.evidence.is_empty());
    }
}
