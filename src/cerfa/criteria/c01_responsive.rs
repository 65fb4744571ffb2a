//! Cerfa criterion 1: the interface adapts to every screen size. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;

/// ## Ce que le critère vérifie
/// La page d'accueil a une balise viewport qui suit la largeur de l'appareil sans bloquer le zoom,
/// aucune largeur fixe au-delà du seuil (`fixed_width_max_px`) et des requêtes média. Sans requête
/// média, le verdict reste inconnu : la page peut s'adapter autrement.
/// ## Pourquoi
/// Une démarche se fait de plus en plus sur téléphone ; une page figée ou sans zoom y est inutilisable.
/// ## Exemple rempli
/// `<meta name="viewport" content="width=device-width, initial-scale=1">` et une feuille de style
/// avec `@media (max-width: 600px) { … }`.
/// ## Exemple non rempli
/// `<meta name="viewport" content="width=device-width, user-scalable=no">`, ou `<table width="780">`
/// qui fixe la largeur de la page.
/// ## Références
/// Cerfa numérique, critère 1 (principe 5) · WCAG 1.4.4, 1.4.10 · extraction : `cerfa::misc`
pub(crate) struct Responsive;

impl CerfaCriterion for Responsive {
    fn number(&self) -> u8 {
        1
    }

    fn measure(&self, ctx: &Ctx<'_>) -> Measured {
        let Some(home) = ctx.home else {
            return m(Status::Unknown, "Page d'accueil non analysée.", vec![]);
        };
        let r = &home.evidence.misc.responsive;
        let url = Some(home.url);
        let mut evidence = vec![ev(
            url,
            None,
            format!(
                "viewport : {} ; requêtes média : {}",
                r.viewport.as_deref().unwrap_or("absente"),
                if r.media_queries { "oui" } else { "non" }
            ),
        )];
        if let Some(w) = &r.fixed_width {
            evidence.push(ev(url, None, format!("largeur fixe : {w}")));
            return m(Status::NotMet, "La page a une largeur fixe.", evidence);
        }
        if r.viewport.is_none() || !r.device_width {
            return m(
                Status::NotMet,
                "Pas de balise viewport adaptée à la largeur de l'appareil.",
                evidence,
            );
        }
        if r.zoom_locked {
            return m(
                Status::NotMet,
                "La balise viewport bloque le zoom.",
                evidence,
            );
        }
        if r.media_queries {
            m(
                Status::Met,
                "Viewport adaptée et requêtes média présentes (à confirmer sur mobile).",
                evidence,
            )
        } else {
            m(
                Status::Unknown,
                "Viewport adaptée mais aucune requête média : à vérifier sur petit écran.",
                evidence,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cerfa::criteria::testing::{has, verdict, Site, START};
    use crate::cerfa::misc::Responsive;
    use crate::cerfa::PageEvidence;

    fn home(r: Responsive) -> Site {
        let mut e = PageEvidence::default();
        e.misc.responsive = r;
        Site::new().with(START, e)
    }

    fn adapted() -> Responsive {
        Responsive {
            viewport: Some("width=device-width, initial-scale=1".into()),
            device_width: true,
            media_queries: true,
            ..Responsive::default()
        }
    }

    #[test]
    fn met_with_device_width_viewport_and_media_queries() {
        let m = home(adapted()).measure(&Responsive);
        let e = verdict(
            &m,
            Status::Met,
            "Viewport adaptée et requêtes média présentes (à confirmer sur mobile).",
        );
        assert_eq!(
            e,
            ["viewport : width=device-width, initial-scale=1 ; requêtes média : oui — https://demarche.gouv.fr/"]
        );
    }

    #[test]
    fn not_met_when_zoom_is_locked_in_the_page() {
        let site = Site::new().home(
            r#"<!doctype html><html lang="fr"><head><meta name="viewport" content="width=device-width, user-scalable=no"><title>x</title></head><body><p>Démarche</p></body></html>"#,
        );
        let e = verdict(
            &site.measure(&Responsive),
            Status::NotMet,
            "La balise viewport bloque le zoom.",
        );
        has(
            &e,
            "viewport : width=device-width, user-scalable=no ; requêtes média : non",
        );
    }

    #[test]
    fn not_met_with_a_fixed_width() {
        let r = Responsive {
            fixed_width: Some("table width=780".into()),
            ..adapted()
        };
        let e = verdict(
            &home(r).measure(&Responsive),
            Status::NotMet,
            "La page a une largeur fixe.",
        );
        has(&e, "largeur fixe : table width=780");
    }

    #[test]
    fn not_met_without_viewport_and_unknown_without_media_queries() {
        verdict(
            &home(Responsive::default()).measure(&Responsive),
            Status::NotMet,
            "Pas de balise viewport adaptée à la largeur de l'appareil.",
        );
        let r = Responsive {
            media_queries: false,
            ..adapted()
        };
        verdict(
            &home(r).measure(&Responsive),
            Status::Unknown,
            "Viewport adaptée mais aucune requête média : à vérifier sur petit écran.",
        );
        verdict(
            &Site::new().measure(&Responsive),
            Status::Unknown,
            "Page d'accueil non analysée.",
        );
    }
}
