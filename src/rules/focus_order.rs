//! Tab order against the reading order, measured by the keyboard walk (RGAA 12.8.1; WCAG 2.4.3).

use crate::page::Attribute;
use std::collections::HashMap;

use serde_json::json;

use super::{BrowserRule, Results, RuleMeta, RuleResult};
use crate::page::browser::BrowserFacts;
use crate::page::browser::FocusStop;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), chaque élément atteint à la touche Tab est comparé au
/// précédent :
/// - **ordre du code** : le focus revient-il sur un élément placé plus haut dans le code (un
///   `tabindex` positif, un script qui déplace le focus) ?
/// - **ordre de lecture** : l'élément est-il affiché au-dessus du précédent (plus de 40 px
///   au-dessus de son haut) sans être dans une colonne à sa droite, ou à sa gauche sur la même
///   ligne (page de gauche à droite) ?
///   C'est ce que produisent `order`, `flex-direction: *-reverse`, les placements de grille ou
///   les positions absolues.
///
/// Un saut de l'une ou l'autre sorte est « à vérifier », avec les deux éléments : la cohérence
/// de l'ordre reste un jugement humain (une mise en page peut justifier un retour en arrière).
/// Un pas qui suit à la fois le code et la lecture passe. Les éléments dans un cadre, ou sans
/// boîte, ne sont comparés que sur ce qui est connu. Sur une page non rendue, la règle ne mesure
/// rien (« non mesuré »).
/// ## Pourquoi
/// Un focus qui saute d'un bout à l'autre de la page perd la personne qui navigue au clavier et
/// celle qui agrandit l'écran.
/// ## Exemple à vérifier
/// `<div style="display:flex;flex-direction:row-reverse"><a href="/1">Un</a><a href="/2">Deux</a></div>`
/// (« Deux » reçoit le focus après « Un » mais s'affiche à sa gauche)
/// ## Exemple conforme
/// Des liens et des champs atteints dans l'ordre du code, chacun plus bas ou plus à droite.
/// ## Références
/// RGAA 12.8.1 (jamais en échec : la règle signale les sauts, un humain juge leur cohérence ;
/// 12.8.2, contenus mis à jour, reste à un humain) · WCAG 2.4.3
pub struct FocusOrder;

static FOCUS_ORDER: RuleMeta = RuleMeta {
    id: "focus-order",
    title: "Ordre de tabulation suivant l'ordre de lecture (mesuré)",
    description: "Lors d'un parcours à la touche Tab, chaque élément atteint suit le précédent dans l'ordre du code et de lecture ; les sauts sont signalés (mesure en navigateur).",
    rgaa: &["12.8.1"],
    wcag: refs!["2.4.3"],
    act: refs![],
    cerfa: &[],
};

/// Tolerance for boxes that touch, in CSS px.
const SLACK: f64 = 1.0;
/// How far above the previous element a jump starts, in CSS px: a control set just above its
/// field (a « show password » toggle beside the label) is not a jump back up the page.
const UP: f64 = 40.0;

/// Why the move from `prev` to `next` goes against the reading order, if it does.
fn visual_jump(prev: [f64; 4], next: [f64; 4], rtl: bool) -> Option<&'static str> {
    let (px, py, pw, ph) = (prev[0], prev[1], prev[2], prev[3]);
    let (nx, ny, nw, nh) = (next[0], next[1], next[2], next[3]);
    let overlap = (py + ph).min(ny + nh) - py.max(ny);
    let same_line = overlap >= 0.5 * ph.min(nh);
    if same_line {
        let backward = if rtl {
            nx >= px + pw - SLACK
        } else {
            nx + nw <= px + SLACK
        };
        return backward.then_some("affiché avant lui sur la même ligne");
    }
    let above = ny + nh <= py - UP;
    // Entirely above and not in a column further on (to the right, or left in rtl): back up.
    let further_column = if rtl {
        nx + nw <= px + SLACK
    } else {
        nx >= px + pw - SLACK
    };
    (above && !further_column).then_some("affiché plus haut dans la page")
}

impl BrowserRule for FocusOrder {
    fn meta(&self) -> &'static RuleMeta {
        &FOCUS_ORDER
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let rtl = page
            .root()
            .value()
            .attribute("dir")
            .is_some_and(|d| d.trim().eq_ignore_ascii_case("rtl"));
        // Place of each element in the document order of the tab order at load.
        let place: HashMap<u32, usize> = facts
            .tabbable
            .iter()
            .enumerate()
            .map(|(i, m)| (*m, i))
            .collect();
        let place_of = |s: &FocusStop| s.mark.and_then(|m| place.get(&m).copied());
        // The first element reached: the earliest in the code of all those reached.
        let earliest = facts.stops.iter().filter_map(place_of).min();
        for (i, stop) in facts.stops.iter().enumerate() {
            let Some(el) = stop.mark.and_then(|m| page.marked(m)) else {
                continue;
            };
            let Some(prev) = i.checked_sub(1).map(|j| &facts.stops[j]) else {
                match (place_of(stop), earliest) {
                    (Some(p), Some(e)) if p > e => r.cant_tell(
                        el,
                        "Le parcours au clavier commence par cet élément alors que d'autres, plus haut dans le code, sont atteints ensuite : vérifier que l'ordre de tabulation est cohérent.",
                    ),
                    _ => r.pass(el, "Premier élément atteint à la touche Tab."),
                }
                continue;
            };
            let mut why = Vec::new();
            if let (Some(p), Some(n)) = (place_of(prev), place_of(stop)) {
                if n < p {
                    why.push("placé avant lui dans le code");
                }
            }
            if let (Some(p), Some(n)) = (prev.rect, stop.rect) {
                why.extend(visual_jump(p, n, rtl));
            }
            if why.is_empty() {
                r.pass(
                    el,
                    "Atteint après l'élément précédent, qu'il suit dans le code et à la lecture.",
                );
            } else {
                r.cant_tell(
                    el,
                    format!(
                        "Le focus arrive ici depuis {} alors que cet élément est {} : vérifier que l'ordre de tabulation reste cohérent.",
                        prev.selector,
                        why.join(" et ")
                    ),
                );
                r.with_details(json!({
                    "previous": prev.selector,
                    "previousBox": prev.rect,
                    "box": stop.rect,
                }));
            }
        }
        r.finish("Aucun élément atteint à la touche Tab.")
    }
}

#[cfg(test)]
mod tests {
    use super::visual_jump;

    #[test]
    fn moves_down_or_to_a_further_column_follow_the_reading_order() {
        // Below.
        assert_eq!(
            visual_jump([0., 0., 100., 20.], [0., 40., 100., 20.], false),
            None
        );
        // Right on the same line.
        assert_eq!(
            visual_jump([0., 0., 50., 20.], [60., 2., 50., 20.], false),
            None
        );
        // Top of the next column.
        assert_eq!(
            visual_jump([0., 500., 300., 20.], [320., 0., 300., 20.], false),
            None
        );
        // A toggle just above its field, by its label (the DSFR's password field).
        assert_eq!(
            visual_jump([144., 356., 512., 40.], [568., 328., 16., 16.], false),
            None
        );
    }

    #[test]
    fn moves_back_up_or_left_on_a_line_are_jumps() {
        assert!(visual_jump([0., 0., 50., 20.], [-80., 0., 50., 20.], false).is_some());
        assert!(visual_jump([0., 300., 100., 20.], [0., 0., 100., 20.], false).is_some());
        // Up and to the left: back to an earlier column.
        assert!(visual_jump([320., 300., 100., 20.], [0., 0., 100., 20.], false).is_some());
        // Right to left: leftwards is forwards.
        assert_eq!(
            visual_jump([100., 0., 50., 20.], [0., 0., 50., 20.], true),
            None
        );
        assert!(visual_jump([0., 0., 50., 20.], [100., 0., 50., 20.], true).is_some());
    }
}
