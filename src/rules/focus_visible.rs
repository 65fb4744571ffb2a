//! Focus visible, measured in the browser (RGAA 10.7; WCAG 2.4.7; ACT oj04fd).

use serde_json::json;

use super::{BrowserRule, Outcome, Results, RuleMeta, RuleResult};
use crate::page::browser::BrowserFacts;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), chaque élément atteint par la touche Tab depuis le
/// chargement est photographié avec ses abords (12 px autour), focalisé puis non focalisé : si
/// les pixels ne changent pas, la prise de focus n'est pas visible (échec). Contour, ombre,
/// bordure, fond, soulignement ou indicateur posé à côté par script : tout changement affiché
/// compte. « À vérifier » quand la zone bouge d'elle-même (animation), quand l'élément n'a pas
/// de boîte ou n'a pas été comparé (au-delà de 60 éléments), et quand un gestionnaire de focus
/// en ligne n'a rien changé alors qu'un script de la page n'a pas pu être chargé. Sur une page
/// non rendue, la règle ne mesure rien (« non mesuré ») : la règle statique
/// `focus-visible-outline` y lit les feuilles de style.
/// ## Pourquoi
/// Sans indicateur de focus, une personne qui navigue au clavier ne sait pas où elle se trouve.
/// ## Exemple en échec
/// `a:focus { outline: none }` sans autre style de focus.
/// ## Exemple conforme
/// `a:focus { outline: none; box-shadow: 0 0 0 3px #000091 }`.
/// ## Références
/// RGAA 10.7.1 (la règle décide l'échec ; la visibilité suffisante d'un indicateur qui change
/// reste à un humain, le critère n'est donc jamais validé par elle) · WCAG 2.4.7 · ACT oj04fd
pub struct FocusVisible;

static FOCUS_VISIBLE: RuleMeta = RuleMeta {
    id: "focus-visible",
    title: "Prise de focus visible (mesurée)",
    description: "Chaque élément atteint à la touche Tab change visiblement à l'écran quand il prend le focus (mesure en navigateur).",
    rgaa: &["10.7.1"],
    wcag: refs!["2.4.7"],
    act: refs!["oj04fd"],
    cerfa: &[16],
};

impl BrowserRule for FocusVisible {
    fn meta(&self) -> &'static RuleMeta {
        &FOCUS_VISIBLE
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for stop in &facts.stops {
            let el = stop.mark.and_then(|m| page.marked(m));
            let what = match el {
                Some(_) => "L'élément".to_string(),
                None => format!("L'élément « {} »", stop.selector),
            };
            let (outcome, message) = match stop.visible_change {
                Some(true) => (
                    Outcome::Passed,
                    format!("{what} change à l'écran quand il prend le focus."),
                ),
                Some(false) if stop.focus_handler && facts.scripts_failed => (
                    Outcome::CantTell,
                    format!("{what} ne change pas à l'écran au focus, mais son gestionnaire de focus dépend d'un script de la page qui n'a pas pu être chargé."),
                ),
                Some(false) => (
                    Outcome::Failed,
                    format!("{what} ne change pas à l'écran quand il prend le focus : aucun indicateur de focus visible."),
                ),
                None => (
                    Outcome::CantTell,
                    format!("{what} reçoit le focus mais n'a pas pu être comparé à l'écran (sans boîte, zone animée, ou temps de la page écoulé)."),
                ),
            };
            r.push(outcome, el, message);
            if el.is_none() && outcome != Outcome::Passed {
                r.with_details(json!({ "selector": stop.selector }));
            }
        }
        r.finish("Aucun élément atteint à la touche Tab.")
    }
}
