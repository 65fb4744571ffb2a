//! Time-based media (RGAA 4): captions tracks and sound that starts by itself.

use crate::page::Attribute;
use serde_json::json;

use super::{Outcome, Results, Rule, RuleMeta, RuleResult};
use crate::a11y::is_hidden_from_at;
use crate::page::browser::{MediaFacts, REF_ATTR};
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
    wcag: refs!["1.2.2"],
    act: refs![],
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
                            .attribute("kind")
                            .map(|k| k.trim().to_ascii_lowercase())
                            .as_deref(),
                        Some("captions" | "subtitles")
                    ) && t
                        .value()
                        .attribute("src")
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
            p.descendants().filter_map(ElementRef::wrap).any(|d| {
                d.value().name() == "button" || d.value().attribute("role") == Some("button")
            })
        })
        .unwrap_or(false)
}

/// ## Ce que la règle vérifie
/// Un son déclenché automatiquement (`<audio autoplay>` ou `<video autoplay>` sans `muted`)
/// est contrôlable : l'élément a l'attribut `controls`. Sur une page servie, un
/// `<audio autoplay>` sans `controls` ni bouton voisin est en échec ; pour une vidéo, le
/// balisage ne dit pas si elle a du son ni combien de temps : « à vérifier ».
/// Sur une page rendue (`--render`), le navigateur laisse les médias démarrer seuls et dit,
/// pour chaque `audio` et `video` : s'il joue, s'il est coupé (`muted`, volume nul), sa durée
/// (bornée par un fragment `#t=8,10`, sans fin s'il boucle) et le niveau de sa piste son
/// (le fichier décodé) ; il les met ensuite en pause. Un média qui ne joue pas seul, coupé,
/// sans piste son ou à la piste muette n'est pas concerné ; un son de 3 s au plus est
/// conforme ; au-delà, `controls` est conforme, des boutons voisins restent « à vérifier »
/// (leur script peut manquer), sinon échec. Ce que le navigateur n'a pas pu mesurer (fichier
/// refusé, trop lourd, d'une autre origine, non décodé) garde le verdict de la page servie.
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
    wcag: refs!["1.4.2"],
    act: refs!["80f0bf"],
    cerfa: &[16],
};

/// Sound that plays by itself longer than this needs a way to stop it (WCAG 1.4.2).
const SOUND_LIMIT_S: f64 = 3.0;

/// What the browser's media facts decide for one element; None: not measured, the served
/// page's verdict stands.
enum Measured {
    /// No sound plays by itself: not a target.
    Quiet,
    Verdict(Outcome, String),
}

fn seconds(s: f64) -> String {
    if s.is_infinite() {
        "sans fin".to_string()
    } else {
        format!("{} s", (s * 10.0).round() / 10.0)
    }
}

fn measured(el: ElementRef<'_>, f: &MediaFacts) -> Option<Measured> {
    // Not loaded (refused, failed, not yet known): nothing measured.
    if f.ready_state == 0 || f.error.is_some() {
        return None;
    }
    // Asked to play by itself, but not yet loaded enough to start: nothing known.
    if f.autoplay && !f.started() && f.ready_state < 4 {
        return None;
    }
    // Autoplay is allowed in the measure: a media at rest was not asked to play, or a script
    // stopped it before any sound.
    if !f.started() || f.silent() {
        return Some(Measured::Quiet);
    }
    let plays = f.plays_for()?;
    if plays <= SOUND_LIMIT_S {
        return Some(Measured::Verdict(
            Outcome::Passed,
            format!(
                "Son lancé automatiquement pendant {} (3 s au plus).",
                seconds(plays)
            ),
        ));
    }
    // Longer: its loudness must be known (a silent track is not sound).
    f.peak?;
    let e = el.value();
    Some(if e.attribute("controls").is_some() {
        Measured::Verdict(
            Outcome::Passed,
            format!(
                "Son lancé automatiquement pendant {}, avec contrôles natifs.",
                seconds(plays)
            ),
        )
    } else if has_nearby_buttons(el) {
        Measured::Verdict(
            Outcome::CantTell,
            format!("Son lancé automatiquement pendant {} sans contrôles natifs ; des boutons voisins existent : vérifier qu'ils arrêtent le son (leur script peut ne pas avoir été chargé).", seconds(plays)),
        )
    } else {
        Measured::Verdict(
            Outcome::Failed,
            format!("Son lancé automatiquement pendant {} sans moyen de l'arrêter : ajouter controls, couper le son (muted) ou retirer autoplay.", seconds(plays)),
        )
    })
}

impl Rule for MediaAutoplay {
    fn meta(&self) -> &'static RuleMeta {
        &MEDIA_AUTOPLAY
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let facts = page.browser.as_ref().filter(|b| b.media.is_some());
        for el in page.select("audio, video") {
            let e = el.value();
            let fact = facts.and_then(|b| {
                let mark = e.attribute(REF_ATTR)?.parse().ok()?;
                b.media_of(mark)
            });
            match fact.and_then(|f| measured(el, f).map(|m| (f, m))) {
                Some((_, Measured::Quiet)) => {}
                Some((f, Measured::Verdict(outcome, message))) => {
                    r.push(outcome, Some(el), message);
                    r.with_details(json!({
                        "measuredOn": "browser",
                        "duration": f.duration,
                        "start": f.start,
                        "end": f.end,
                        "loop": f.looping,
                        "played": f.played,
                        "peak": f.peak,
                    }));
                }
                None => static_verdict(&mut r, el),
            }
        }
        r.finish("Aucun média en lecture automatique avec son.")
    }
}

/// The verdict from the markup alone (served page, or a media the browser could not measure).
fn static_verdict(r: &mut Results<'_>, el: ElementRef<'_>) {
    let e = el.value();
    if e.attribute("autoplay").is_none() || e.attribute("muted").is_some() {
        return; // not started by itself, or no sound: nothing to control
    }
    if e.attribute("controls").is_some() {
        r.pass(el, "Lecture automatique avec contrôles natifs.");
    } else if e.name() == "audio" && !has_nearby_buttons(el) {
        r.fail(el, "Son lancé automatiquement sans moyen de l'arrêter : ajouter controls, ou retirer autoplay.");
    } else if e.name() == "audio" {
        r.cant_tell(el, "Son lancé automatiquement sans contrôles natifs ; des boutons voisins existent : vérifier qu'ils arrêtent le son.");
    } else {
        r.cant_tell(el, "Vidéo lancée automatiquement sans muted ni contrôles : vérifier si elle a du son de plus de 3 secondes et un moyen de l'arrêter.");
    }
}
