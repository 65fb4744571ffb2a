//! Cerfa criterion 19: the footer links. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::footer::{DSFR_MANDATORY, REQUIRED_19};
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// Le pied de page de l'accueil mène au contact, au plan du site, aux mentions légales et à
/// l'accessibilité ; les liens obligatoires du DSFR absents sont cités en preuve, sans changer le
/// verdict.
/// ## Pourquoi
/// L'usager cherche ces informations en bas de page, au même endroit sur tous les sites de l'État.
/// ## Exemple rempli
/// `<footer>` avec « Contact », « Plan du site », « Mentions légales », « Accessibilité ».
/// ## Exemple non rempli
/// Un pied de page sans « Plan du site », ou pas de pied de page.
/// ## Références
/// Cerfa numérique, critère 19 (principe 3) · DSFR, composant « Pied de page » · extraction : `cerfa::footer`
pub(crate) struct Footer;

impl CerfaCriterion for Footer {
    fn number(&self) -> u8 {
        19
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
        };
        let Some(f) = &home.evidence.footer else {
            return m(
                Status::NotMet,
                "Pied de page introuvable sur l'accueil.",
                vec![],
            );
        };
        let mut evidence = vec![ev(
            Some(home.url),
            Some(&f.selector),
            format!("pied de page trouvé par : {}", f.found_by),
        )];
        for l in &f.links {
            evidence.push(ev(
                Some(home.url),
                Some(&l.link.selector),
                format!("{} : « {} » → {}", l.kind, l.link.text, l.link.href),
            ));
        }
        let missing: Vec<&str> = REQUIRED_19
            .iter()
            .copied()
            .filter(|k| f.link(k).is_none())
            .collect();
        let dsfr_missing: Vec<&str> = DSFR_MANDATORY
            .iter()
            .copied()
            .filter(|k| f.link(k).is_none())
            .collect();
        if !dsfr_missing.is_empty() {
            evidence.push(ev(
                Some(home.url),
                None,
                format!(
                    "liens obligatoires du DSFR absents : {}",
                    dsfr_missing.join(", ")
                ),
            ));
        }
        if missing.is_empty() {
            m(Status::Met, "Le pied de page mène au contact, au plan du site, aux mentions légales et à l'accessibilité.", evidence)
        } else {
            m(
                Status::NotMet,
                format!("Liens absents du pied de page : {}.", missing.join(", ")),
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, link, verdict, Site, START};
    use crate::cerfa::footer::{Footer as FooterFacts, FooterLink};
    use crate::cerfa::PageEvidence;

    fn home(kinds: &[&str]) -> Site {
        let e = PageEvidence {
            footer: Some(FooterFacts {
                found_by: "footer".into(),
                selector: "footer".into(),
                links: kinds
                    .iter()
                    .map(|k| FooterLink {
                        kind: k.to_string(),
                        link: link(k, &format!("/{k}")),
                    })
                    .collect(),
                link_count: kinds.len(),
            }),
            ..PageEvidence::default()
        };
        Site::new().with(START, e)
    }

    #[test]
    fn met_with_the_four_links_dsfr_gaps_noted() {
        let e = verdict(
            &home(&["contact", "plan_du_site", "mentions_legales", "accessibilite"]).measure(&Footer),
            Status::Met,
            "Le pied de page mène au contact, au plan du site, aux mentions légales et à l'accessibilité.",
        );
        assert_eq!(
            e[0],
            "pied de page trouvé par : footer — https://demarche.gouv.fr/ — footer"
        );
        has(&e, "contact : « contact » → /contact");
        has(
            &e,
            "liens obligatoires du DSFR absents : donnees_personnelles, cookies",
        );
    }

    #[test]
    fn met_from_a_real_footer() {
        let site = Site::new().home(
            r#"<html lang=fr><body><main><p>Démarche</p></main><footer><ul><li><a href="/contact">Contact</a></li><li><a href="/plan-du-site">Plan du site</a></li><li><a href="/mentions-legales">Mentions légales</a></li><li><a href="/accessibilite">Accessibilité : non conforme</a></li></ul></footer></body></html>"#,
        );
        let m = site.measure(&Footer);
        assert_eq!(m.status, Status::Met, "{m:#?}");
    }

    #[test]
    fn not_met_with_a_missing_link_or_no_footer() {
        verdict(
            &home(&["contact", "mentions_legales", "accessibilite"]).measure(&Footer),
            Status::NotMet,
            "Liens absents du pied de page : plan_du_site.",
        );
        verdict(
            &Site::new()
                .with(START, PageEvidence::default())
                .measure(&Footer),
            Status::NotMet,
            "Pied de page introuvable sur l'accueil.",
        );
    }
}
