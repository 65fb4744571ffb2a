//! Scrollable regions reachable with the keyboard, measured in the browser (WCAG 2.1.1; ACT
//! 0ssw9k).

use super::{BrowserRule, Results, RuleMeta, RuleResult};
use crate::page::browser::BrowserFacts;
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Sur une page rendue (`--render`), chaque zone qui défile (`overflow` `auto` ou `scroll`
/// sur un axe où son contenu dépasse de plus que sa marge intérieure) et dont le contenu est
/// visible est atteignable à la touche Tab : elle-même dans l'ordre de tabulation
/// (`tabindex="0"` ou élément focalisable) ou contenant un élément qui l'est. Sinon, échec.
/// Chromium rend depuis sa version 130 les zones défilantes focalisables d'office ; les autres
/// navigateurs non : seul le balisage compte. Les cadres (`iframe`) ne sont pas concernés. Sur
/// une page non rendue, la règle ne mesure rien (« non mesuré ») : le défilement dépend de la
/// mise en page.
/// ## Pourquoi
/// Une zone qu'on ne peut pas faire défiler au clavier cache son contenu aux personnes qui
/// n'utilisent pas de souris.
/// ## Exemple en échec
/// `<section style="height: 100px; overflow-y: scroll"><p>Long texte…</p></section>`
/// ## Exemple conforme
/// La même zone avec `tabindex="0"` (et un nom), ou contenant un lien.
/// ## Références
/// WCAG 2.1.1 (pas de test RGAA qui la nomme ; le critère 7.3 ne vise que les scripts) ·
/// ACT 0ssw9k
pub struct ScrollableRegionFocusable;

static SCROLLABLE_REGION_FOCUSABLE: RuleMeta = RuleMeta {
    id: "scrollable-region-focusable",
    title: "Zone défilante atteignable au clavier (mesurée)",
    description: "Chaque zone qui défile est atteignable à la touche Tab, elle-même ou par un élément qu'elle contient (mesure en navigateur).",
    rgaa: &[],
    wcag: refs!["2.1.1"],
    act: refs!["0ssw9k"],
    cerfa: &[16],
};

impl BrowserRule for ScrollableRegionFocusable {
    fn meta(&self) -> &'static RuleMeta {
        &SCROLLABLE_REGION_FOCUSABLE
    }
    fn check_measured(&self, page: &Page, facts: &BrowserFacts) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for region in &facts.scrollables {
            let el = page.marked(region.mark);
            let outcome = if region.focusable || region.focusable_inside {
                super::Outcome::Passed
            } else {
                super::Outcome::Failed
            };
            let message = match (region.focusable, region.focusable_inside) {
                (true, _) => "La zone défilante est elle-même dans l'ordre de tabulation.".to_string(),
                (false, true) => "La zone défilante contient un élément atteignable à la touche Tab.".to_string(),
                (false, false) => format!(
                    "La zone défilante « {} » ne peut pas être atteinte à la touche Tab : ni elle ni son contenu ne sont focalisables.",
                    region.selector
                ),
            };
            r.push(outcome, el, message);
        }
        r.finish("Aucune zone défilante avec du contenu.")
    }
}
