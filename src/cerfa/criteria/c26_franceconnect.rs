//! Cerfa criterion 26.

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
