//! Elements in the tab order that a keyboard walk never reached (WCAG 2.1.1), measured in the
//! browser.

use super::{BrowserRule, Outcome, Results, RuleMeta, RuleResult};
use crate::page::browser::BrowserFacts;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`) parcourue à la touche Tab jusqu'à sa fin (le focus a quitté
/// la page), chaque élément qui était dans l'ordre de tabulation au chargement (focalisable par
/// son balisage, affiché, hors `inert`) a reçu le focus. Un élément jamais atteint est « à
/// vérifier » : un script a pu l'écarter à dessein (sentinelle de focus, menu refermé) ou le
/// rendre inatteignable au clavier. Parcours incomplet ou piégé : la règle ne conclut pas
/// (inapplicable, la règle `keyboard-trap` en parle). Sur une page non rendue, la règle ne mesure
/// rien (« non mesuré »).
/// ## Pourquoi
/// Ce qu'on ne peut pas atteindre au clavier n'existe pas pour qui n'utilise pas de souris.
/// ## Exemple en échec
/// Jamais en échec : `<a href="/aide" onfocus="suivant.focus()">Aide</a>` est « à vérifier ».
/// ## Exemple conforme
/// Des liens et des champs que la touche Tab atteint tous, dans l'ordre du document.
/// ## Références
/// WCAG 2.1.1 (pas de test RGAA qui la nomme seule ; RGAA 7.3 et 12.8 restent à un humain)
pub struct KeyboardReach;

static KEYBOARD_REACH: RuleMeta = RuleMeta {
    id: "keyboard-reach",
    title: "Éléments atteints au clavier (mesuré)",
    description: "Chaque élément de l'ordre de tabulation au chargement reçoit le focus lors d'un parcours complet à la touche Tab (mesure en navigateur).",
    rgaa: &[],
    wcag: refs!["2.1.1"],
    act: refs![],
    cerfa: &[16],
};

impl BrowserRule for KeyboardReach {
    fn meta(&self) -> &'static RuleMeta {
        &KEYBOARD_REACH
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        if !facts.left_document || facts.trap.is_some() {
            return r.finish(
                "Parcours au clavier incomplet : pas de conclusion sur les éléments non atteints.",
            );
        }
        for mark in &facts.tabbable {
            let el = page.marked(*mark);
            if facts.stops.iter().any(|s| s.mark == Some(*mark)) {
                r.push(Outcome::Passed, el, "Élément atteint à la touche Tab.");
            } else if el.is_some() {
                r.push(
                    Outcome::CantTell,
                    el,
                    "Élément de l'ordre de tabulation jamais atteint à la touche Tab : vérifier qu'il est utilisable au clavier (un script a pu écarter le focus).",
                );
            }
        }
        r.finish("Aucun élément dans l'ordre de tabulation.")
    }
}
