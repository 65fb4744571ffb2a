//! Time-based media (RGAA 4): captions tracks and sound that starts by itself.

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::is_hidden_from_at;
use crate::page::{ElementRef, Page};

/// ## Ce que la règle vérifie
/// Chaque vidéo `<video>` a une piste `<track kind="captions">` ou `kind="subtitles"`. Sans piste,
/// la règle est « à vérifier » : la vidéo peut être muette, ou ses sous-titres incrustés dans
/// l'image, ce que le balisage ne dit pas. Avec une piste, la présence est acquise (la qualité
/// des sous-titres, RGAA 4.4, reste à vérifier par un humain).
/// ## Pourquoi
/// Sans sous-titres, les personnes sourdes ou malentendantes n'ont pas accès à la bande son.
/// ## Exemple en échec
/// `<video src="presentation.mp4" controls></video>` (avec du son, sans sous-titres incrustés)
/// ## Exemple conforme
/// `<video src="presentation.mp4" controls><track kind="captions" src="fr.vtt" srclang="fr"></video>`
/// ## Références
/// RGAA 4.3.1, 4.3.2 · WCAG 1.2.2
pub struct VideoCaptions;

static VIDEO_CAPTIONS: RuleMeta = RuleMeta {
    id: "video-captions",
    title: "Vidéo avec sous-titres",
    description: "Chaque vidéo a une piste de sous-titres (track captions/subtitles) ; sans piste, à vérifier (vidéo muette ou sous-titres incrustés ?).",
    rgaa: &["4.3.1", "4.3.2"],
    wcag: &["1.2.2"],
    act: &[],
    cerfa: &[16],
};

impl Rule for VideoCaptions {
    fn meta(&self) -> &'static RuleMeta {
        &VIDEO_CAPTIONS
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("video") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let has_track = el
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.value().name() == "track")
                .any(|t| {
                    matches!(
                        t.value()
                            .attr("kind")
                            .map(|k| k.trim().to_ascii_lowercase())
                            .as_deref(),
                        Some("captions" | "subtitles")
                    ) && t
                        .value()
                        .attr("src")
                        .map(|s| !s.trim().is_empty())
                        .unwrap_or(false)
                });
            if has_track {
                r.pass(el, "Piste de sous-titres présente (qualité à vérifier).");
            } else {
                r.cant_tell(el, "Vidéo sans piste de sous-titres : vérifier si elle a du son et, si oui, si des sous-titres sont incrustés.");
            }
        }
        r.finish("Aucune vidéo sur la page.")
    }
}

/// Whether a control (button) sits next to the media, as custom players do.
fn has_nearby_buttons(el: ElementRef<'_>) -> bool {
    el.parent()
        .and_then(ElementRef::wrap)
        .map(|p| {
            p.descendants()
                .filter_map(ElementRef::wrap)
                .any(|d| d.value().name() == "button" || d.value().attr("role") == Some("button"))
        })
        .unwrap_or(false)
}

/// ## Ce que la règle vérifie
/// Un son déclenché automatiquement (`<audio autoplay>` ou `<video autoplay>` sans `muted`)
/// est contrôlable : l'élément a l'attribut `controls`. Un `<audio autoplay>` sans `controls`
/// ni bouton voisin est en échec ; pour une vidéo, le balisage ne dit pas si elle a du son ni
/// combien de temps : « à vérifier ».
/// ## Pourquoi
/// Un son qui démarre seul couvre la voix du lecteur d'écran et ne peut pas être coupé.
/// ## Exemple en échec
/// `<audio src="annonce.mp3" autoplay></audio>`
/// ## Exemple conforme
/// `<audio src="annonce.mp3" autoplay controls></audio>` ou `<video autoplay muted>`
/// ## Références
/// RGAA 4.10.1 · WCAG 1.4.2 · ACT 80f0bf
pub struct MediaAutoplay;

static MEDIA_AUTOPLAY: RuleMeta = RuleMeta {
    id: "media-autoplay",
    title: "Son automatique contrôlable",
    description:
        "Un média qui démarre seul avec du son a des contrôles (controls) ou est coupé (muted).",
    rgaa: &["4.10.1"],
    wcag: &["1.4.2"],
    act: &["80f0bf"],
    cerfa: &[16],
};

impl Rule for MediaAutoplay {
    fn meta(&self) -> &'static RuleMeta {
        &MEDIA_AUTOPLAY
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("audio[autoplay], video[autoplay]") {
            let e = el.value();
            if e.attr("muted").is_some() {
                continue; // no sound: nothing to control
            }
            if e.attr("controls").is_some() {
                r.pass(el, "Lecture automatique avec contrôles natifs.");
            } else if e.name() == "audio" && !has_nearby_buttons(el) {
                r.fail(el, "Son lancé automatiquement sans moyen de l'arrêter : ajouter controls, ou retirer autoplay.");
            } else if e.name() == "audio" {
                r.cant_tell(el, "Son lancé automatiquement sans contrôles natifs ; des boutons voisins existent : vérifier qu'ils arrêtent le son.");
            } else {
                r.cant_tell(el, "Vidéo lancée automatiquement sans muted ni contrôles : vérifier si elle a du son de plus de 3 secondes et un moyen de l'arrêter.");
            }
        }
        r.finish("Aucun média en lecture automatique avec son.")
    }
}
