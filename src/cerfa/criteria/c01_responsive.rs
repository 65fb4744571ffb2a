//! Cerfa criterion 1: the interface adapts to every screen size. Verdict, messages and tests.

use super::shared::{ev, m, Ctx, Measured};
use super::CerfaCriterion;
use crate::cerfa::model::Status;
use crate::page::browser_layout::px;

/// ## Ce que le critère vérifie
/// Quand les pages ont été rendues (`--render`), sur un téléphone émulé (375 px de large,
/// tactile) : la page d'accueil est mise en page à la largeur du téléphone, ne défile pas
/// horizontalement, ne bloque pas le zoom (balise viewport) et ses cibles tactiles font au moins
/// 24 px ou sont assez espacées (mesure de WCAG 2.5.8) ; une autre page rendue qui échoue suffit
/// pour « non rempli ». Sinon, sur le code de la page d'accueil : une balise viewport qui suit
/// la largeur de l'appareil sans bloquer le zoom, aucune largeur fixe au-delà du seuil
/// (`fixed_width_max_px`) et des requêtes média ; sans requête média, le verdict reste inconnu :
/// la page peut s'adapter autrement.
/// ## Pourquoi
/// Une démarche se fait de plus en plus sur téléphone ; une page figée ou sans zoom y est inutilisable.
/// ## Exemple rempli
/// `<meta name="viewport" content="width=device-width, initial-scale=1">` et une feuille de style
/// avec `@media (max-width: 600px) { … }`, des boutons d'au moins 24 px de haut.
/// ## Exemple non rempli
/// `<meta name="viewport" content="width=device-width, user-scalable=no">`, ou `<table width="780">`
/// qui fixe la largeur de la page, ou sur téléphone des liens de 12 px collés les uns aux autres.
/// ## Références
/// Cerfa numérique, critère 1 (principe 5) · WCAG 1.4.4, 1.4.10, 2.5.8 (2.2) · extraction :
/// `cerfa::misc`, mesure : `render::measure::layout`
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
        if r.phone.is_some() {
            return on_phone(ctx, home.url, r);
        }
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

/// The verdict from the phone render: the home page measured, any measured page failing.
fn on_phone(ctx: &Ctx<'_>, home: &str, r: &crate::cerfa::misc::Responsive) -> Measured {
    let mut evidence = Vec::new();
    let mut failing = Vec::new();
    for p in ctx.pages {
        let pr = &p.evidence.misc.responsive;
        let Some(phone) = &pr.phone else { continue };
        let mut problems = Vec::new();
        if !phone.fits_device() {
            problems.push("mise en page en largeur d'ordinateur".to_string());
        } else if phone.scrolls_horizontally() {
            problems.push("défilement horizontal".to_string());
        }
        if pr.zoom_locked {
            problems.push("zoom bloqué par la balise viewport".to_string());
        }
        if phone.small_targets > 0 {
            problems.push(format!(
                "{} cible(s) tactile(s) trop petite(s)",
                phone.small_targets
            ));
        }
        if p.url == home || !problems.is_empty() {
            evidence.push(ev(Some(p.url), None, phone.describe()));
            for s in phone.small.iter().take(3) {
                evidence.push(ev(
                    Some(p.url),
                    Some(s.selector.as_str()),
                    format!("cible tactile de {} × {} px", px(s.width), px(s.height)),
                ));
            }
        }
        if !problems.is_empty() {
            failing.push(format!("{} ({})", p.url, problems.join(", ")));
        }
    }
    if let Some(v) = &r.viewport {
        evidence.push(ev(Some(home), None, format!("viewport : {v}")));
    }
    if !failing.is_empty() {
        return m(
            Status::NotMet,
            format!(
                "Mesuré sur un téléphone émulé (375 px) : {}.",
                failing.join(" ; ")
            ),
            evidence,
        );
    }
    m(
        Status::Met,
        "Mesuré sur un téléphone émulé (375 px) : mise en page à la largeur du téléphone, sans défilement horizontal, zoom permis, cibles tactiles d'au moins 24 px ou espacées.",
        evidence,
    )
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

    fn phone(layout: f64, scroll: f64, small: u32) -> crate::page::browser_layout::PhoneFacts {
        crate::page::browser_layout::PhoneFacts {
            device_width: 375.0,
            layout_width: layout,
            scroll_width: scroll,
            targets: 6,
            small_targets: small,
            small: (0..small)
                .map(|i| crate::page::browser_layout::SmallTarget {
                    mark: None,
                    selector: format!("#outils > a:nth-of-type({})", i + 1),
                    width: 14.0,
                    height: 12.0,
                })
                .collect(),
        }
    }

    #[test]
    fn the_phone_render_decides_when_the_pages_were_rendered() {
        // Measured usable: met, whatever the media queries say.
        let r = Responsive {
            phone: Some(phone(375.0, 375.0, 0)),
            media_queries: false,
            ..adapted()
        };
        let e = verdict(
            &home(r).measure(&Responsive),
            Status::Met,
            "Mesuré sur un téléphone émulé (375 px) : mise en page à la largeur du téléphone, sans défilement horizontal, zoom permis, cibles tactiles d'au moins 24 px ou espacées.",
        );
        has(&e, "téléphone 375 px : mise en page à 375 px, pas de défilement horizontal ; 6 cible(s) tactile(s), 0 de moins de 24 px sans espacement suffisant");
        // A desktop page shrunk to fit, with small targets: not met, each reason said.
        let r = Responsive {
            phone: Some(phone(980.0, 1000.0, 2)),
            ..Responsive::default()
        };
        let e = verdict(
            &home(r).measure(&Responsive),
            Status::NotMet,
            "Mesuré sur un téléphone émulé (375 px) : https://demarche.gouv.fr/ (mise en page en largeur d'ordinateur, 2 cible(s) tactile(s) trop petite(s)).",
        );
        has(&e, "cible tactile de 14 × 12 px");
        // Laid out for the phone but scrolling sideways, zoom locked.
        let r = Responsive {
            phone: Some(phone(375.0, 640.0, 0)),
            zoom_locked: true,
            ..adapted()
        };
        verdict(
            &home(r).measure(&Responsive),
            Status::NotMet,
            "Mesuré sur un téléphone émulé (375 px) : https://demarche.gouv.fr/ (défilement horizontal, zoom bloqué par la balise viewport).",
        );
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
