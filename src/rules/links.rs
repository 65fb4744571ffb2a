//! Links have an accessible name (RGAA 6.2; WCAG 2.4.4, 4.1.2).

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{accessible_name, is_hidden_from_at};
use crate::page::Page;

/// ## Ce que la règle vérifie
/// Chaque lien (`<a href>`, `<area href>`, `role="link"`) exposé aux technologies d'assistance a
/// un intitulé : texte, alternative d'une image contenue, `aria-label`, `aria-labelledby` ou `title`.
/// ## Pourquoi
/// Un lien sans intitulé est annoncé « lien » sans destination : il est inutilisable.
/// ## Exemple en échec
/// `<a href="/compte"><img src="user.svg"></a>`
/// ## Exemple conforme
/// `<a href="/compte"><img src="user.svg" alt="Mon compte"></a>`
/// ## Références
/// RGAA 6.2.1 · WCAG 2.4.4, 4.1.2 · ACT c487ae
pub struct LinkName;

static LINK_NAME: RuleMeta = RuleMeta {
    id: "link-name",
    title: "Lien avec intitulé",
    description: "Chaque lien exposé aux technologies d'assistance a un intitulé non vide.",
    rgaa: &["6.2.1"],
    wcag: &["2.4.4", "4.1.2"],
    act: &["c487ae"],
    cerfa: &[],
};

impl Rule for LinkName {
    fn meta(&self) -> &'static RuleMeta {
        &LINK_NAME
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        for el in page.select("a[href], area[href], [role~=link]") {
            let e = el.value();
            if let Some(role) = e.attr("role") {
                let first = role
                    .split_ascii_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                if first != "link" && matches!(e.name(), "a" | "area") {
                    continue; // another role was given; other rules judge it
                }
            }
            if is_hidden_from_at(el) {
                continue;
            }
            let name = accessible_name(page, el);
            if name.is_empty() {
                r.fail(el, "Lien sans intitulé : ajouter un texte, une alternative à l'image ou un aria-label.");
            } else {
                r.pass(el, format!("Intitulé : « {name} »."));
            }
        }
        r.finish("")
    }
}
