//! Cerfa criterion 26: FranceConnect offered where identification is asked. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::{Evidence, Status};

/// ## Ce que le critère vérifie
/// Sur les pages qui demandent une identification, un bouton FranceConnect (ou FranceConnect+) ; son
/// intégration (lien « Qu'est-ce que FranceConnect ? », placé avant le mot de passe, non restylé) est
/// décrite en preuve. Sans identification visitée : non applicable, ou inconnu si un lien de
/// connexion existe.
/// ## Pourquoi
/// FranceConnect évite à l'usager un compte de plus et les données déjà connues de l'administration.
/// ## Exemple rempli
/// Une page de connexion avec `<button class="fr-connect">` avant le formulaire de mot de passe.
/// ## Exemple non rempli
/// Une page de connexion avec seulement un identifiant et un mot de passe.
/// ## Références
/// Cerfa numérique, critère 26 (principe 6) · documentation FranceConnect (bouton) · extraction : `cerfa::franceconnect`
pub(crate) struct FranceConnect;

impl CerfaCriterion for FranceConnect {
    fn number(&self) -> u8 {
        26
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let ident: Vec<_> = ctx
            .pages
            .iter()
            .filter(|p| p.evidence.identification || p.evidence.franceconnect.is_some())
            .collect();
        if ident.is_empty() {
            let links: Vec<Evidence> = ctx
                .pages
                .iter()
                .flat_map(|p| {
                    p.evidence.login_links.iter().map(move |l| {
                        ev(
                            Some(p.url),
                            Some(&l.selector),
                            format!("lien « {} » → {}", l.text, l.href),
                        )
                    })
                })
                .take(5)
                .collect();
            return if links.is_empty() {
                m(
                    Status::NotApplicable,
                    "Aucune identification demandée sur les pages visitées.",
                    vec![],
                )
            } else {
                m(
                    Status::Unknown,
                    "Un lien de connexion existe mais aucune page d'identification n'a été analysée.",
                    links,
                )
            };
        }
        let mut evidence = Vec::new();
        let mut found = false;
        for p in &ident {
            match &p.evidence.franceconnect {
                Some(b) => {
                    found = true;
                    let variant = match b.variant {
                        crate::cerfa::franceconnect::FcVariant::FranceConnect => "FranceConnect",
                        crate::cerfa::franceconnect::FcVariant::FranceConnectPlus => {
                            "FranceConnect+"
                        }
                    };
                    let mut notes = Vec::new();
                    if !b.info_link {
                        notes.push("lien « Qu'est-ce que FranceConnect ? » absent");
                    }
                    if !b.offered_first {
                        notes.push("bouton placé après la connexion par mot de passe");
                    }
                    if b.restyled {
                        notes.push("bouton restylé");
                    }
                    let conf = if notes.is_empty() {
                        "intégration conforme".to_string()
                    } else {
                        format!("intégration non conforme : {}", notes.join(", "))
                    };
                    evidence.push(ev(
                        Some(p.url),
                        Some(&b.target.selector),
                        format!("bouton {variant} (détecté par {}) ; {conf}", b.detected_by),
                    ));
                }
                None => evidence.push(ev(
                    Some(p.url),
                    None,
                    "page d'identification sans bouton FranceConnect",
                )),
            }
        }
        if found {
            m(
                Status::Met,
                "FranceConnect est proposé sur les pages d'identification.",
                evidence,
            )
        } else {
            m(
                Status::NotMet,
                "Identification demandée sans FranceConnect.",
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{link, verdict, Site, START};
    use crate::cerfa::franceconnect::{FcButton, FcVariant};
    use crate::cerfa::PageEvidence;
    use crate::page::Target;

    const LOGIN: &str = "https://demarche.gouv.fr/connexion";

    fn login_page(button: Option<FcButton>) -> PageEvidence {
        PageEvidence {
            identification: true,
            franceconnect: button,
            ..PageEvidence::default()
        }
    }

    fn button(variant: FcVariant, conforming: bool) -> FcButton {
        FcButton {
            variant,
            detected_by: "dsfr".into(),
            target: Target {
                selector: ".fr-connect".into(),
                snippet: "<button class=\"fr-connect\">".into(),
            },
            info_link: conforming,
            offered_first: conforming,
            restyled: !conforming,
        }
    }

    #[test]
    fn met_when_login_pages_offer_franceconnect() {
        let site = Site::new().with(START, PageEvidence::default()).with(
            LOGIN,
            login_page(Some(button(FcVariant::FranceConnect, true))),
        );
        let e = verdict(
            &site.measure(&FranceConnect),
            Status::Met,
            "FranceConnect est proposé sur les pages d'identification.",
        );
        assert_eq!(
            e,
            ["bouton FranceConnect (détecté par dsfr) ; intégration conforme — https://demarche.gouv.fr/connexion — .fr-connect"]
        );
        let site = Site::new().with(
            LOGIN,
            login_page(Some(button(FcVariant::FranceConnectPlus, false))),
        );
        let e = verdict(
            &site.measure(&FranceConnect),
            Status::Met,
            "FranceConnect est proposé sur les pages d'identification.",
        );
        assert!(e[0].starts_with("bouton FranceConnect+ (détecté par dsfr) ; intégration non conforme : lien « Qu'est-ce que FranceConnect ? » absent, bouton placé après la connexion par mot de passe, bouton restylé"), "{e:?}");
    }

    #[test]
    fn not_met_when_a_login_page_has_no_button() {
        let site = Site::new().home(
            r#"<html lang=fr><head><title>Connexion</title></head><body><h1>Se connecter</h1><form><label for=i>Identifiant</label><input id=i><label for=p>Mot de passe</label><input id=p type=password></form></body></html>"#,
        );
        let e = verdict(
            &site.measure(&FranceConnect),
            Status::NotMet,
            "Identification demandée sans FranceConnect.",
        );
        assert_eq!(
            e,
            ["page d'identification sans bouton FranceConnect — https://demarche.gouv.fr/"]
        );
    }

    #[test]
    fn not_applicable_without_identification_unknown_with_a_login_link() {
        verdict(
            &Site::new()
                .with(START, PageEvidence::default())
                .measure(&FranceConnect),
            Status::NotApplicable,
            "Aucune identification demandée sur les pages visitées.",
        );
        let home = PageEvidence {
            login_links: vec![link("Se connecter", LOGIN)],
            ..PageEvidence::default()
        };
        let e = verdict(
            &Site::new().with(START, home).measure(&FranceConnect),
            Status::Unknown,
            "Un lien de connexion existe mais aucune page d'identification n'a été analysée.",
        );
        assert_eq!(
            e,
            ["lien « Se connecter » → https://demarche.gouv.fr/connexion — https://demarche.gouv.fr/ — a"]
        );
    }
}
