//! ARIA structure: roles that only mean something inside a given parent.

use std::collections::HashMap;

use scraper::ElementRef;

use super::{Results, Rule, RuleMeta, RuleResult};
use crate::a11y::{
    global_aria_attrs, implicit_role, is_focusable, is_hidden_from_at, resolved_role,
};
use crate::page::Page;

/// Required context roles of WAI-ARIA 1.2: the roles an element of `role` must be owned by.
fn required_context(role: &str) -> Option<&'static [&'static str]> {
    Some(match role {
        "caption" => &["figure", "grid", "table", "treegrid"],
        "cell" | "columnheader" | "gridcell" | "rowheader" => &["row"],
        "listitem" => &["directory", "list"],
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => &["group", "menu", "menubar"],
        "option" => &["group", "listbox"],
        "row" => &["grid", "rowgroup", "table", "treegrid"],
        "rowgroup" => &["grid", "table", "treegrid"],
        "tab" => &["tablist"],
        "treeitem" => &["group", "tree"],
        _ => return None,
    })
}

/// Not in the accessibility tree as a parent: presentational elements (when the role applies)
/// and generic containers without a global ARIA attribute, which browsers leave out.
fn is_ignored_container(el: ElementRef<'_>) -> bool {
    let role = resolved_role(el);
    match role.as_deref() {
        Some("none") | Some("presentation") => true,
        None | Some("generic") => global_aria_attrs(el).is_empty() && !is_focusable(el),
        Some(_) => false,
    }
}

/// The element's parent in the accessibility tree: its `aria-owns` owner if any, else its DOM
/// parent, skipping ignored containers (their children are owned by the next one up).
fn accessibility_parent<'a>(
    el: ElementRef<'a>,
    owners: &HashMap<&'a str, ElementRef<'a>>,
) -> Option<ElementRef<'a>> {
    let up = |e: ElementRef<'a>| -> Option<ElementRef<'a>> {
        e.value()
            .attr("id")
            .and_then(|id| owners.get(id).copied())
            .filter(|o| o.id() != e.id())
            .or_else(|| e.parent().and_then(ElementRef::wrap))
    };
    let mut cur = up(el)?;
    // Bounded by the tree's depth; a cycle of aria-owns cannot loop forever.
    for _ in 0..10_000 {
        if cur.value().name() == "html" || !is_ignored_container(cur) {
            return Some(cur);
        }
        cur = up(cur)?;
    }
    None
}

/// ## Ce que la règle vérifie
/// Un élément dont le rôle ARIA explicite n'a de sens que dans un contexte (`listitem` dans une
/// liste, `tab` dans une `tablist`, `option` dans une `listbox`, `row` dans une table ou une
/// grille, `cell` dans une ligne…) a pour parent, dans l'arbre d'accessibilité, un élément de
/// l'un de ces rôles. Les conteneurs génériques sans attribut ARIA et les éléments de rôle
/// `presentation` sont traversés ; `aria-owns` désigne le parent. Un rôle explicite égal au rôle
/// natif (`<li role="listitem">`) n'est pas concerné.
/// ## Pourquoi
/// Hors de son contexte, l'élément n'est pas restitué comme prévu : un lecteur d'écran
/// n'annonce ni la liste ni la position de l'élément dans le composant.
/// ## Exemple en échec
/// `<div role="list"><div aria-live="polite"><div role="listitem">Un</div></div></div>`
/// ## Exemple conforme
/// `<div role="list"><div role="listitem">Un</div></div>`
/// ## Références
/// RGAA 7.1.1 (le rôle du composant est correct dans sa structure ; le reste du test, le
/// comportement au clavier et la restitution, revient à un humain) · WCAG 1.3.1 · ACT ff89c9
pub struct AriaRequiredContext;

static ARIA_REQUIRED_CONTEXT: RuleMeta = RuleMeta {
    id: "aria-required-context",
    title: "Contexte requis par le rôle ARIA",
    description: "Un élément dont le rôle ARIA exige un parent (listitem, tab, option, row, cell…) est dans un élément de ce rôle.",
    rgaa: &["7.1.1"],
    wcag: &["1.3.1"],
    act: &["ff89c9"],
    cerfa: &[],
};

impl Rule for AriaRequiredContext {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_REQUIRED_CONTEXT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let mut owners: HashMap<&str, ElementRef<'_>> = HashMap::new();
        for el in page.select("[aria-owns]") {
            for id in el
                .value()
                .attr("aria-owns")
                .unwrap_or("")
                .split_ascii_whitespace()
            {
                // The first owner wins, as in browsers.
                owners.entry(id).or_insert(el);
            }
        }
        for el in page.select("[role]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let Some(role) = resolved_role(el) else {
                continue;
            };
            // The rule is about roles given explicitly: the native one needs no check here.
            if implicit_role(el) == Some(role.as_str()) {
                continue;
            }
            let Some(required) = required_context(&role) else {
                continue;
            };
            let expected = required.join(", ");
            match accessibility_parent(el, &owners) {
                Some(parent) => {
                    let parent_role = resolved_role(parent);
                    match parent_role.as_deref() {
                        Some(p) if required.contains(&p) => r.pass(
                            el,
                            format!("Rôle « {role} » dans un élément de rôle « {p} »."),
                        ),
                        other => r.fail(
                            el,
                            format!(
                                "Rôle « {role} » hors de son contexte : son parent dans l'arbre d'accessibilité ({}) n'a pas l'un des rôles requis ({expected}).",
                                match other {
                                    Some(p) => format!("rôle « {p} »"),
                                    None => format!("<{}> sans rôle", parent.value().name()),
                                }
                            ),
                        ),
                    }
                }
                None => r.fail(
                    el,
                    format!("Rôle « {role} » sans parent de l'un des rôles requis ({expected})."),
                ),
            }
        }
        if page.attaches_shadow_root() {
            r.push(
                crate::rules::Outcome::CantTell,
                None,
                "Un script de la page crée un shadow DOM (attachShadow) : les rôles qu'il contient ne sont pas vus sans navigateur, à vérifier.",
            );
        }
        r.finish("Aucun élément dont le rôle ARIA explicite exige un contexte.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Outcome;

    #[test]
    fn owners_and_transparent_containers_decide_the_context() {
        let html = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/rules/aria-required-context/passed-in-context.html"
        ))
        .expect("fixture");
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
        let results = AriaRequiredContext.check(&page);
        let passed: Vec<&RuleResult> = results
            .iter()
            .filter(|r| r.outcome == Outcome::Passed)
            .collect();
        // The th and tr whose explicit role is their native one are not judged.
        assert_eq!(passed.len(), 6, "{results:?}");
        assert!(results.iter().all(|r| r.outcome == Outcome::Passed));
    }
}
