//! ARIA structure: roles that only mean something inside a given parent, and roles that must
//! own elements of given roles.

use crate::page::Attribute;
use std::borrow::Cow;
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
            .attribute("id")
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
    wcag: refs!["1.3.1"],
    act: refs!["ff89c9"],
    cerfa: &[],
};

impl Rule for AriaRequiredContext {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_REQUIRED_CONTEXT
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let owners = aria_owners(page);
        for el in page.select("[role]") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            let Some(role) = resolved_role(el) else {
                continue;
            };
            // The rule is about roles given explicitly: the native one needs no check here.
            if implicit_role(el) == Some(&*role) {
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
                            format_args!("Rôle « {role} » dans un élément de rôle « {p} »."),
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

/// Required owned elements of WAI-ARIA 1.2: the roles an element of `role` may own, and
/// whether a `group` may stand between them (`group → menuitem`), its children then held to
/// the same roles. A caption belongs to tables and grids; a separator to menus (ARIA 1.3).
pub(crate) fn required_owned(role: &str) -> Option<(&'static [&'static str], bool)> {
    Some(match role {
        "feed" => (&["article"], false),
        "grid" | "table" | "treegrid" => (&["caption", "row", "rowgroup"], false),
        "list" => (&["listitem"], false),
        "listbox" => (&["option"], true),
        "menu" | "menubar" => (
            &["menuitem", "menuitemcheckbox", "menuitemradio", "separator"],
            true,
        ),
        "row" => (&["cell", "columnheader", "gridcell", "rowheader"], false),
        "rowgroup" => (&["row"], false),
        "tablist" => (&["tab"], false),
        "tree" => (&["treeitem"], true),
        _ => return None,
    })
}

/// The elements `aria-owns` moves, by id, to their first owner (as in browsers).
fn aria_owners(page: &Page) -> HashMap<&str, ElementRef<'_>> {
    let mut owners: HashMap<&str, ElementRef<'_>> = HashMap::new();
    for el in page.select("[aria-owns]") {
        for id in el
            .value()
            .attribute("aria-owns")
            .unwrap_or("")
            .split_ascii_whitespace()
        {
            owners.entry(id).or_insert(el);
        }
    }
    owners
}

/// What an element owns in the accessibility tree, by kind.
#[derive(Default)]
struct Owned {
    /// Elements of a required role.
    required: usize,
    /// Elements of another role: `<tag role>` for the message.
    wrong: Vec<String>,
    /// Text or generic elements owning no role (a `span` with text, an empty `div`).
    generic: usize,
}

/// Never rendered, so never owned.
fn is_unrendered_markup(el: ElementRef<'_>) -> bool {
    match el.value().name() {
        "script" | "template" | "style" | "noscript" | "link" | "meta" | "col" | "colgroup" => true,
        "input" => el
            .value()
            .attribute("type")
            .is_some_and(|t| t.eq_ignore_ascii_case("hidden")),
        _ => false,
    }
}

/// Walks what `parent` owns: its DOM children not moved away by `aria-owns`, then the
/// elements its `aria-owns` names; presentational and plain generic containers are traversed.
fn collect_owned<'a>(
    page: &'a Page,
    parent: ElementRef<'a>,
    owners: &HashMap<&'a str, ElementRef<'a>>,
    allowed: &[&str],
    groups: bool,
    out: &mut Owned,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let moved_away = |e: ElementRef<'a>| {
        e.value()
            .attribute("id")
            .and_then(|id| owners.get(id))
            .is_some_and(|o| o.id() != parent.id())
    };
    let mut children: Vec<ElementRef<'a>> = Vec::new();
    for node in parent.children() {
        match ElementRef::wrap(node) {
            Some(e) if !moved_away(e) => children.push(e),
            Some(_) => {}
            None => {
                if node.value().as_text().is_some_and(|t| !t.trim().is_empty()) {
                    out.generic += 1;
                }
            }
        }
    }
    for id in parent
        .value()
        .attribute("aria-owns")
        .unwrap_or("")
        .split_ascii_whitespace()
    {
        if owners.get(id).is_some_and(|o| o.id() == parent.id()) {
            if let Some(e) = page.element_by_id(id) {
                if !e.ancestors().any(|a| a.id() == parent.id()) {
                    children.push(e);
                }
            }
        }
    }
    for child in children {
        if is_unrendered_markup(child) || is_hidden_from_at(page, child) {
            continue;
        }
        // HTML-AAM gives a table's caption the caption role, which the shared table leaves out.
        let role = resolved_role(child)
            .or_else(|| (child.value().name() == "caption").then_some(Cow::Borrowed("caption")));
        match role.as_deref() {
            Some("none") | Some("presentation") => {
                collect_owned(page, child, owners, allowed, groups, out, depth + 1)
            }
            None | Some("generic") => {
                if global_aria_attrs(child).is_empty() && !is_focusable(child) {
                    let before = (out.required, out.wrong.len(), out.generic);
                    collect_owned(page, child, owners, allowed, groups, out, depth + 1);
                    if before == (out.required, out.wrong.len(), out.generic) {
                        // An empty generic element is still an owned element that is no item.
                        out.generic += 1;
                    }
                } else {
                    out.generic += 1;
                }
            }
            Some(r) if allowed.contains(&r) => out.required += 1,
            // A submenu beside its menuitem, in the item's presentational container (the ARIA
            // Authoring Practices' menu and menubar pattern): neither an item nor a stranger.
            Some("menu") if allowed.contains(&"menuitem") && depth > 0 => {}
            Some("group") if groups => {
                collect_owned(page, child, owners, allowed, groups, out, depth + 1)
            }
            Some(r) => out
                .wrong
                .push(format!("<{} role={r}>", child.value().name())),
        }
    }
}

/// ## Ce que la règle vérifie
/// Un élément dont le rôle ARIA exige des éléments possédés (`list`, `listbox`, `menu`,
/// `menubar`, `tablist`, `tree`, `grid`, `table`, `treegrid`, `row`, `rowgroup`, `feed`) ne
/// possède, dans l'arbre d'accessibilité, que des éléments de ces rôles (`listitem` pour une
/// liste, `tab` pour une `tablist`, `option` ou un `group` d'options pour une `listbox`…) et
/// au moins un. Les conteneurs génériques sans attribut ARIA et les éléments de rôle
/// `presentation` sont traversés ; `aria-owns` ajoute des éléments possédés. Concerne les rôles
/// explicites et les listes HTML (`ul`, `ol`, `menu`). Un élément `aria-busy="true"` (en cours
/// de chargement) n'est pas concerné. Un élément de rôle explicite vide est « à vérifier » (un
/// script peut le remplir ; une liste HTML vide n'est pas concernée) ; du texte ou un élément
/// générique à côté des éléments requis est « à vérifier ».
/// ## Pourquoi
/// Un lecteur d'écran annonce une liste, un menu ou des onglets et leur nombre d'éléments
/// d'après ces rôles : un élément d'un autre rôle n'est pas restitué comme élément du
/// composant, et le composant paraît vide.
/// ## Exemple en échec
/// `<div role="tablist"><div role="button">Onglet</div></div>`
/// ## Exemple conforme
/// `<div role="tablist"><div role="tab">Onglet</div></div>`
/// ## Références
/// RGAA 7.1.1 pour les rôles explicites (la structure du composant ; le comportement au clavier
/// et la restitution reviennent à un humain), 9.3.1 / 9.3.2 pour les listes HTML (`ul`, `ol`) ·
/// WCAG 1.3.1 · ACT bc4a75
pub struct AriaRequiredChildren;

static ARIA_REQUIRED_CHILDREN: RuleMeta = RuleMeta {
    id: "aria-required-children",
    title: "Éléments requis par le rôle ARIA",
    description: "Un élément dont le rôle ARIA exige des enfants (list, menu, tablist, listbox, tree, grid, row…) ne possède que des éléments de ces rôles.",
    rgaa: &["7.1.1", "9.3.1", "9.3.2"],
    wcag: refs!["1.3.1"],
    act: refs!["bc4a75"],
    cerfa: &[],
};

impl Rule for AriaRequiredChildren {
    fn meta(&self) -> &'static RuleMeta {
        &ARIA_REQUIRED_CHILDREN
    }
    fn check(&self, page: &Page) -> Vec<RuleResult> {
        let mut r = Results::new(page);
        let owners = aria_owners(page);
        for el in page.select("body [role], body ul, body ol, body menu") {
            if is_hidden_from_at(page, el) {
                continue;
            }
            if el
                .value()
                .attribute("aria-busy")
                .is_some_and(|b| b.trim().eq_ignore_ascii_case("true"))
            {
                continue;
            }
            let Some(role) = resolved_role(el) else {
                continue;
            };
            let Some((allowed, groups)) = required_owned(&role) else {
                continue;
            };
            let native = implicit_role(el) == Some(&*role);
            // RGAA 9.3: lists, ordered (ol) or not (ul, menu); a role=list may be either.
            let tests: &[&str] = match (&*role, el.value().name()) {
                ("list", "ol") if native => &["9.3.2"],
                ("list", _) if native => &["9.3.1"],
                ("list", _) => &["9.3.1", "9.3.2"],
                _ => &["7.1.1"],
            };
            let mut owned = Owned::default();
            collect_owned(page, el, &owners, allowed, groups, &mut owned, 0);
            let empty = owned.required == 0 && owned.wrong.is_empty() && owned.generic == 0;
            if empty && el.value().attribute("role").is_none() {
                // An empty HTML list says nothing wrong to anyone.
                continue;
            }
            let expected = allowed.join(", ");
            if !owned.wrong.is_empty() {
                let mut wrong = owned.wrong.clone();
                wrong.dedup();
                r.fail_tests(
                    el,
                    tests,
                    format!(
                        "Rôle « {role} » : il possède des éléments d'un autre rôle ({}) que ceux qu'il exige ({expected}).",
                        wrong.join(", ")
                    ),
                );
            } else if owned.required == 0 && owned.generic > 0 {
                r.fail_tests(
                    el,
                    tests,
                    format!("Rôle « {role} » : il ne possède que du contenu sans rôle, aucun élément de l'un des rôles requis ({expected})."),
                );
            } else if owned.generic > 0 {
                r.cant_tell_tests(
                    el,
                    tests,
                    format!("Rôle « {role} » : du texte ou un élément sans rôle côtoie les éléments requis ({expected}) ; vérifier qu'il n'est pas un élément du composant."),
                );
            } else if empty {
                // ARIA expects at least one owned element; a script may add them later.
                r.cant_tell_tests(
                    el,
                    tests,
                    format!("Rôle « {role} » vide : vérifier qu'un script y place des éléments de rôle {expected}, et seulement ceux-là."),
                );
            } else {
                r.pass(
                    el,
                    format_args!("Rôle « {role} » : il ne possède que des éléments de rôle requis ({expected})."),
                );
                r.with_tests(tests);
            }
        }
        if page.attaches_shadow_root() {
            r.push(
                crate::rules::Outcome::CantTell,
                None,
                "Un script de la page crée un shadow DOM (attachShadow) : les éléments qu'il contient ne sont pas vus sans navigateur, à vérifier.",
            );
        }
        r.finish("Aucun élément dont le rôle ARIA exige des éléments possédés.")
    }
}

/// Whether elements of `role` must own elements of given roles (list-structure leaves their
/// items to aria-required-children).
pub fn requires_owned(role: &str) -> bool {
    required_owned(role).is_some()
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
