//! Cerfa criterion 8: a start page presenting the démarche without login. Verdict, messages and tests.

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{verdict, Site, START};
    use crate::cerfa::PageEvidence;

    #[test]
    fn met_when_the_start_page_answers_and_presents_the_demarche() {
        let site = Site::new().with(START, PageEvidence::default());
        let e = verdict(
            &site.measure(&Presentation),
            Status::Met,
            "La page de départ présente la démarche sans connexion.",
        );
        assert_eq!(e, ["statut HTTP 200 — https://demarche.gouv.fr/"]);
    }

    #[test]
    fn not_met_for_a_login_form_only_or_an_error() {
        let login = Site::new().home(
            r#"<html lang=fr><head><title>Connexion</title></head><body><h1>Se connecter</h1><form><label for=i>Identifiant</label><input id=i><label for=p>Mot de passe</label><input id=p type=password><button>Se connecter</button></form></body></html>"#,
        );
        verdict(
            &login.measure(&Presentation),
            Status::NotMet,
            "La page de départ n'est qu'un formulaire de connexion.",
        );
        let mut missing = Site::new().with(START, PageEvidence::default());
        missing.pages[0].status = Some(404);
        let e = verdict(
            &missing.measure(&Presentation),
            Status::NotMet,
            "La page de départ ne répond pas correctement.",
        );
        assert_eq!(e, ["statut HTTP 404 — https://demarche.gouv.fr/"]);
    }

    #[test]
    fn unknown_without_a_status() {
        let mut site = Site::new().with(START, PageEvidence::default());
        site.pages[0].status = None;
        let e = verdict(
            &site.measure(&Presentation),
            Status::Unknown,
            "Statut de la page de départ inconnu.",
        );
        assert_eq!(e, ["statut HTTP inconnu — https://demarche.gouv.fr/"]);
    }
}
