//! Orientation of the screen not locked by CSS transforms (RGAA 13.9; WCAG 1.3.4; ACT b33eff).

use serde_json::json;

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::css::orientation::{conditional_turns, Turn};
use crate::css::Cascaded;
use crate::format::fr_number;
use crate::page::{ElementRef, Page};

/// ## Ce que la règle vérifie
/// Un élément affiché dont la propriété `transform` (avec `rotate`, `rotate3d`, `rotateZ`,
/// `matrix` ou `matrix3d`) ou `rotate` est posée par une règle CSS qui ne vaut que dans une
/// orientation (`@media (orientation: portrait)` ou `(orientation: landscape)`, dans une
/// feuille, un bloc imbriqué ou l'attribut `media` d'une feuille) n'est pas tourné d'un quart
/// de tour d'une orientation à l'autre. La rotation autour de l'axe Z est calculée dans chaque
/// orientation depuis la cascade (`rotate`, `scale` puis `transform`, matrices composées) ;
/// l'écart entre les deux, modulo 180°, ne doit pas valoir 90° (à 1° près : échec). Un écart
/// à moins de 5° d'un quart de tour est « à vérifier », tout comme ce qui ne se calcule pas
/// sans navigateur : `calc()`, `var()`, perspective, inclinaison ou échelle non uniforme,
/// requête média nommant l'orientation non évaluable, sélecteur non évaluable. Les styles
/// posés par script ne sont pas vus. Les éléments non rendus (`display: none`, `visibility:
/// hidden`…, réponse de visibilité partagée) ne sont pas concernés.
/// ## Pourquoi
/// Quand l'appareil tourne, le navigateur tourne la page pour qu'elle reste droite ; une
/// rotation d'un quart de tour réservée à une orientation annule ce mouvement et bloque la
/// page dans l'autre orientation, ce qui gêne les personnes dont la tablette ou le téléphone
/// est fixé (fauteuil, support).
/// ## Exemple en échec
/// `@media (orientation: portrait) { html { transform: rotate(90deg) } }`
/// ## Exemple conforme
/// `@media (orientation: portrait) { html { transform: rotateZ(1turn) } }`
/// ## Références
/// RGAA 13.9.1 : la règle ne décide que l'échec par rotation CSS ; le reste du test (contenu
/// identique et consultable dans les deux orientations, verrouillage par script) reste à un
/// humain, le critère n'est donc jamais validé par elle · WCAG 1.3.4 · ACT b33eff
pub struct OrientationNotLocked;

static ORIENTATION_NOT_LOCKED: RuleMeta = RuleMeta {
    id: "orientation-not-locked",
    title: "Orientation non bloquée par une rotation CSS",
    description: "Aucun élément affiché n'est tourné d'un quart de tour dans une seule orientation de l'écran (portrait ou paysage) par une transformation CSS.",
    rgaa: &["13.9.1"],
    wcag: refs!["1.3.4"],
    act: refs!["b33eff"],
    cerfa: &[],
};

const NONE: &str = "Aucun élément affiché tourné par une règle CSS propre à une orientation.";

/// An element turned this close to a quarter turn (degrees) is locked.
const LOCKED_WITHIN: f64 = 1.0;
/// Closer than this to a quarter turn but not within [`LOCKED_WITHIN`]: left to a human.
const DOUBT_WITHIN: f64 = 5.0;

/// Rounded to 0.01°, without a negative zero.
fn round2(d: f64) -> f64 {
    (d * 100.0).round() / 100.0 + 0.0
}

fn degrees(d: f64) -> String {
    format!("{}°", fr_number(round2(d), 2))
}

impl Rule for OrientationNotLocked {
    fn meta(&self) -> &'static RuleMeta {
        &ORIENTATION_NOT_LOCKED
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let turns = conditional_turns(page);
        if turns.is_empty() {
            return r.finish(NONE);
        }
        let visibility = page.visibility();
        for t in turns {
            let Some(el) = page.dom.tree.get(t.node).and_then(ElementRef::wrap) else {
                continue;
            };
            if !visibility.is_rendered(el) {
                continue;
            }
            let decl = &t.declaration;
            match t.turn {
                Turn::Unknown(why) => {
                    let shown = if why.contains(decl.as_str()) {
                        why.clone()
                    } else {
                        format!("{why} (« {decl} »)")
                    };
                    r.cant_tell(
                        el,
                        format!("Rotation propre à une orientation non calculable sans navigateur : {shown}."),
                    );
                    r.with_details(json!({ "declaration": decl, "reason": why }));
                }
                Turn::Angles {
                    landscape,
                    portrait,
                    relative,
                } => {
                    let off = (relative - 90.0).abs();
                    let angles = format!(
                        "{} en paysage, {} en portrait",
                        degrees(landscape),
                        degrees(portrait)
                    );
                    if off <= LOCKED_WITHIN {
                        r.fail(el, format!("Élément tourné d'un quart de tour dans une seule orientation (« {decl} » : {angles}) : la page reste bloquée dans l'autre orientation."));
                    } else if off < DOUBT_WITHIN {
                        r.cant_tell(el, format!("Élément tourné de presque un quart de tour selon l'orientation (« {decl} » : {angles}) : vérifier que la page se consulte dans les deux orientations."));
                    } else {
                        r.pass(el, format_args!("Rotation selon l'orientation sans quart de tour (« {decl} » : {angles})."));
                    }
                    r.with_details(json!({
                        "declaration": decl,
                        "landscapeDeg": round2(landscape),
                        "portraitDeg": round2(portrait),
                        "relativeDeg": round2(relative),
                    }));
                }
            }
        }
        r.finish(NONE)
    }
}
