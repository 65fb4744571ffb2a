//! Accessible name computation (W3C accname 1.2, the parts decidable from markup).
//! Depth-bounded and iterative over children, so hostile nesting cannot overflow the stack.

use crate::page::Attribute;
use std::sync::{Arc, Mutex};

use scraper::{ElementRef, Node};

use crate::page::{has_text, normalize_space_owned, Derived, DerivedSlot, Page};

use super::roles::role_of;
use super::visible::is_hidden_from_at;

/// Nesting bound for name-from-content recursion.
const MAX_DEPTH: usize = 32;

/// Elements visited for one accessible name at most: a backstop against any other path where
/// the depth bound alone still lets the work branch (each level of 32 may fan out).
const MAX_VISITS: usize = 20_000;

thread_local! {
    static VISITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// The element whose name is being computed: met again inside its own label (`<label>
    /// <input value=Jean></label>`), it contributes nothing to itself.
    static NAMING: std::cell::Cell<Option<ego_tree::NodeId>> = const { std::cell::Cell::new(None) };
}

/// Roles whose name can come from their content.
pub(crate) fn name_from_content(role: &str) -> bool {
    matches!(
        role,
        "button"
            | "cell"
            | "checkbox"
            | "columnheader"
            | "doc-backlink"
            | "doc-biblioref"
            | "doc-glossref"
            | "doc-noteref"
            | "gridcell"
            | "heading"
            | "link"
            | "menuitem"
            | "menuitemcheckbox"
            | "menuitemradio"
            | "option"
            | "radio"
            | "row"
            | "rowheader"
            | "switch"
            | "tab"
            | "tooltip"
            | "treeitem"
    )
}

/// The accessible name of `el`, whitespace-normalised ("" when none).
///
/// A field does not name itself: inside its own `<label>` (or a label it is embedded in) its
/// value contributes nothing, so `<label><input value="Jean"></label>` leaves the field unnamed, as in
/// browsers (their traversal skips the node being named) and as ACT e086e5 and RGAA 11.1 expect:
/// a field's value is what was typed, not a label. accname 1.2 step 2E gives an embedded
/// control's value only to the name of *another* widget.
pub fn accessible_name(page: &Page, el: ElementRef<'_>) -> Arc<str> {
    let names = page.derived(|p| {
        let mut memo = rustc_hash::FxHashMap::default();
        p.give_memo_room(&mut memo);
        Names(Mutex::new(memo))
    });
    if let Some(known) = names.get(el.id()) {
        return known;
    }
    let name: Arc<str> = compute(page, el).into();
    names.keep(el.id(), &name);
    name
}

/// The accessible names computed so far on one page, by element: a field's name is asked by
/// form-field-label, form-field-name, the Cerfa evidence and more, a link's by several link
/// rules, and each computation may walk labels and subtrees again. Kept with the page (and
/// dropped with the cascade when linked stylesheets are added: names read it); a lock, since
/// a page may be shared between threads, never held while a name is computed.
#[derive(Default)]
pub struct Names(Mutex<rustc_hash::FxHashMap<ego_tree::NodeId, Arc<str>>>);

impl Derived for Names {
    const SLOT: DerivedSlot = DerivedSlot::AccessibleNames;
}

impl Names {
    /// Shared, not copied: a link's name is asked by several rules and the Cerfa evidence.
    fn get(&self, id: ego_tree::NodeId) -> Option<Arc<str>> {
        let names = self.0.lock().unwrap_or_else(|p| p.into_inner());
        names.get(&id).cloned()
    }

    fn keep(&self, id: ego_tree::NodeId, name: &Arc<str>) {
        let mut names = self.0.lock().unwrap_or_else(|p| p.into_inner());
        names.entry(id).or_insert_with(|| name.clone());
    }
}

/// [`accessible_name`] computed afresh: the visit budget starts again for each element, so a
/// name does not depend on which were asked before it (what makes keeping it sound).
fn compute(page: &Page, el: ElementRef<'_>) -> String {
    VISITS.with(|v| v.set(0));
    let previous = NAMING.with(|n| n.replace(Some(el.id())));
    let out = normalize_space_owned(name(page, el, 0, false, false, None));
    NAMING.with(|n| n.set(previous));
    out
}

/// `in_traversal`: inside an aria-labelledby traversal (labelledby is not followed again);
/// `recursing`: computing a descendant's part of a name from content (any role contributes);
/// `hidden`: whether `el` is hidden from assistive technologies, when the caller already knows
/// it (`None`: look at `el` and its ancestors). Passing it down keeps a walk through a subtree
/// linear: checking each descendant's whole ancestor chain again cost subtree size × depth.
fn name(
    page: &Page,
    el: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    recursing: bool,
    hidden: Option<bool>,
) -> String {
    if depth > MAX_DEPTH || VISITS.with(|v| v.replace(v.get() + 1)) >= MAX_VISITS {
        return String::new();
    }
    // Inside a name, an element with no name source of its own is named by its content: the
    // decision `subtree_parts` takes before calling here, taken by the same function.
    if recursing && named_by_its_content_only(el) {
        let n = name_from_subtree(page, el, depth + 1, in_traversal, false, hidden);
        return if n.trim().is_empty() {
            String::new()
        } else {
            n
        };
    }
    let e = el.value();
    // 2B: aria-labelledby (not followed when already inside a labelledby traversal).
    if !in_traversal {
        if let Some(ids) = e.attribute("aria-labelledby") {
            let mut parts = Vec::new();
            for id in ids.split_ascii_whitespace() {
                if let Some(target) = page.element_by_id(id) {
                    parts.push(name_from_subtree(page, target, depth + 1, true, true, None));
                }
            }
            let joined = normalize_space_owned(parts.join(" "));
            if !joined.is_empty() {
                return joined;
            }
        }
    }
    // 2C: aria-label.
    if let Some(label) = e.attribute("aria-label") {
        if !label.trim().is_empty() {
            return label.to_string();
        }
    }
    // 2D: native host-language label (not for an element made presentational).
    let presentational = e
        .attribute("role")
        .and_then(|r| r.split_ascii_whitespace().next())
        .is_some_and(|r| r.eq_ignore_ascii_case("none") || r.eq_ignore_ascii_case("presentation"))
        && !super::roles::presentational_conflict(el);
    if presentational {
        return if in_traversal {
            name_from_subtree(page, el, depth + 1, in_traversal, false, hidden)
        } else {
            String::new()
        };
    }
    // 2E: a control embedded in another element's name contributes its value, not its own
    // label: following its labels again looped back into the label being computed, and with
    // both a `for` and a wrapping label the loop branched at every level (exponential time;
    // found by the page_pipeline fuzz target, fixtures/fuzz-regressions/label-wraps-own-control).
    if recursing {
        if let Some(value) = embedded_control_value(el) {
            return value;
        }
    }
    let native = native_name(page, el, depth, in_traversal, recursing, hidden);
    // A name source added to `native_name` must also leave `named_by_its_content_only`.
    debug_assert!(native.is_none() || !named_by_its_content_only(el));
    if let Some(native) = native {
        if !native.trim().is_empty() {
            return native;
        }
    }
    // 2F: name from content.
    let role = role_of(el).unwrap_or_default();
    if name_from_content(&role) || in_traversal || recursing || is_details_summary(el) {
        let n = name_from_subtree(page, el, depth + 1, in_traversal, false, hidden);
        if !n.trim().is_empty() {
            return n;
        }
    }
    // 2I: tooltip attribute.
    if let Some(t) = e.attribute("title") {
        return t.to_string();
    }
    if matches!(e.name(), "input" | "textarea") {
        if let Some(p) = e.attribute("placeholder") {
            return p.to_string();
        }
    }
    String::new()
}

/// `in_traversal` is passed on so that labels, legends and captions inside an aria-labelledby
/// traversal do not follow aria-labelledby again: resetting it let `a → legend → b → a` cycles
/// branch at every level (exponential time; found by the accname fuzz target,
/// fixtures/fuzz-regressions/accname-labelledby-cycle-through-legend).
///
/// `<label>`s name the element whose name is computed, not a button, meter, output or
/// progress met inside another name (`recursing`): those contribute their content. Following
/// them jumped from a button back to the label around it, whose content holds the button
/// again, and with several buttons in nested unclosed labels the walk branched at each of the
/// 32 levels until the visit budget stopped it, for every element (over 10 s under the
/// sanitizer for a 1.4 kB page; found by the accname fuzz target,
/// fixtures/fuzz-regressions/accname-buttons-in-nested-unclosed-labels). It also repeated the
/// label's text once per level in the result.
fn native_name(
    page: &Page,
    el: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    recursing: bool,
    hidden: Option<bool>,
) -> Option<String> {
    let e = el.value();
    let labels = |page: &Page| {
        if recursing {
            None
        } else {
            labels_of(page, el, depth, in_traversal)
        }
    };
    match e.name() {
        "img" | "area" => e.attribute("alt").map(str::to_string),
        "input" => {
            let ty = e.attribute("type").unwrap_or("text").to_ascii_lowercase();
            match ty.as_str() {
                // HTML-AAM (and browsers, WPT html-aam/accname-computation-by-element):
                // labels come before `value` / `alt` for button-type inputs.
                _ if labelled_button_input(page, el, &ty, depth, in_traversal, recursing) => {
                    labels(page)
                }
                "button" | "submit" | "reset" => {
                    Some(e.attribute("value").map(str::to_string).unwrap_or_else(|| {
                        match ty.as_str() {
                            "submit" => "Envoyer".to_string(),
                            "reset" => "Réinitialiser".to_string(),
                            _ => String::new(),
                        }
                    }))
                }
                "image" => e.attribute("alt").map(str::to_string),
                _ => labels(page),
            }
        }
        "select" | "textarea" | "meter" | "progress" | "output" | "button" => labels(page),
        "fieldset" => child_named(page, el, "legend", depth, in_traversal, hidden),
        "figure" => child_named(page, el, "figcaption", depth, in_traversal, hidden),
        "table" => child_named(page, el, "caption", depth, in_traversal, hidden),
        "iframe" | "frame" => e.attribute("title").map(str::to_string),
        "svg" => el
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "title")
            .map(|t| t.text().collect()),
        _ => None,
    }
}

/// Whether `el` is the summary of its `<details>` (its first `summary` child): HTML-AAM names
/// it from its content, like a button.
pub fn is_details_summary(el: ElementRef<'_>) -> bool {
    el.value().name() == "summary"
        && el.parent().and_then(ElementRef::wrap).is_some_and(|p| {
            p.value().name() == "details"
                && p.children()
                    .filter_map(ElementRef::wrap)
                    .find(|c| c.value().name() == "summary")
                    .is_some_and(|first| first.id() == el.id())
        })
}

/// Whether a button-type input (`button`, `submit`, `reset`, `image`) gets its name from its
/// `<label>`s: they are not empty.
fn labelled_button_input(
    page: &Page,
    el: ElementRef<'_>,
    ty: &str,
    depth: usize,
    in_traversal: bool,
    recursing: bool,
) -> bool {
    !recursing
        && matches!(ty, "button" | "submit" | "reset" | "image")
        && labels_of(page, el, depth, in_traversal).is_some_and(|l| !l.trim().is_empty())
}

/// Whether the name of an `<input type=button|image>` comes only from a `<label>`: browsers
/// expose it (HTML-AAM puts labels before `value` and `alt`), but RGAA's glossary (« Bouton »,
/// « Alternative textuelle ») lists aria-labelledby, aria-label, `alt`/`value` and `title`
/// only, and asks what assistive technologies really say: rules answer « à vérifier ».
/// `submit`/`reset` always have a name (their default label) and are never label-only.
pub fn named_only_by_label(page: &Page, el: ElementRef<'_>) -> bool {
    let e = el.value();
    if e.name() != "input" {
        return false;
    }
    let ty = e
        .attribute("type")
        .unwrap_or("text")
        .trim()
        .to_ascii_lowercase();
    let own = match ty.as_str() {
        "button" => "value",
        "image" => "alt",
        _ => return false,
    };
    let filled = |a: &str| e.attribute(a).is_some_and(|v| !v.trim().is_empty());
    let labelledby = e.attribute("aria-labelledby").is_some_and(|ids| {
        ids.split_ascii_whitespace()
            .filter_map(|id| page.element_by_id(id))
            .any(|t| has_text(t))
    });
    !labelledby
        && !filled("aria-label")
        && !filled(own)
        && !filled("title")
        && !accessible_name(page, el).is_empty()
}

/// The value an embedded control contributes to a name (accname 2E): a text field's value, a
/// select's selected option (the first one when none is selected). `None` for other elements.
fn embedded_control_value(el: ElementRef<'_>) -> Option<String> {
    let e = el.value();
    match e.name() {
        "input" => {
            let ty = e.attribute("type").unwrap_or("text").to_ascii_lowercase();
            match ty.as_str() {
                "button" | "submit" | "reset" | "image" | "hidden" => None,
                "checkbox" | "radio" | "file" | "color" => Some(String::new()),
                _ => Some(e.attribute("value").unwrap_or_default().to_string()),
            }
        }
        "textarea" => Some(el.text().collect()),
        "select" => {
            let options: Vec<ElementRef<'_>> = el
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|o| o.value().name() == "option")
                .collect();
            let chosen = options
                .iter()
                .find(|o| o.value().attribute("selected").is_some())
                .or(options.first());
            Some(chosen.map(|o| o.text().collect()).unwrap_or_default())
        }
        _ => None,
    }
}

/// The name from content of the first `tag` child (legend, figcaption, caption); `hidden` is
/// the parent's hidden state when known.
fn child_named(
    page: &Page,
    el: ElementRef<'_>,
    tag: &str,
    depth: usize,
    in_traversal: bool,
    hidden: Option<bool>,
) -> Option<String> {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == tag)
        .map(|c| {
            let child_hidden = hidden.map(|h| h || is_hidden_from_at(page, c));
            name_from_subtree(page, c, depth + 1, in_traversal, false, child_hidden)
        })
}

/// Elements a `<label>` can label (HTML "labelable elements").
fn is_labelable(el: ElementRef<'_>) -> bool {
    let e = el.value();
    match e.name() {
        "button" | "meter" | "output" | "progress" | "select" | "textarea" => true,
        "input" => !e
            .attribute("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
        _ => false,
    }
}

/// Text of the `<label>`s whose labeled control is `el`, as HTML defines it: a `<label for=id>`
/// labels the first element with that id; a `<label>` without `for` labels its first labelable
/// descendant (the nearest such label is taken). Giving every control inside a wrapping label
/// that label's text made each of n controls in one label walk all of it (quadratic: 2 000
/// unclosed labels, flattened at the depth bound, took seconds), and `for` labels named every
/// element sharing the id.
fn labels_of(page: &Page, el: ElementRef<'_>, depth: usize, in_traversal: bool) -> Option<String> {
    let mut parts = Vec::new();
    let id = el.value().id().filter(|i| !i.is_empty());
    if let Some(id) = id {
        // Is `el` the first element with this id, and which labels name it (the page's
        // indexes: a walk of the tree per field made forms quadratic).
        if page.element_by_id(id).map(|first| first.id()) == Some(el.id()) {
            for label in page.labels_for(id) {
                parts.push(name_from_subtree(
                    page,
                    label,
                    depth + 1,
                    in_traversal,
                    false,
                    None,
                ));
            }
        }
    }
    if let Some(wrapping) = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
    {
        // A wrapping label with a `for` labels the element it names (taken above when that
        // is this one: it used to be counted twice, "Courriel Courriel").
        let labels_el = wrapping.value().attribute("for").is_none()
            && wrapping
                .descendants()
                .take(MAX_VISITS)
                .filter_map(ElementRef::wrap)
                .find(|d| is_labelable(*d))
                .is_some_and(|first| first.id() == el.id());
        if labels_el {
            parts.push(name_from_subtree(
                page,
                wrapping,
                depth + 1,
                in_traversal,
                false,
                None,
            ));
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

/// Whether a child's part of a name from content is a separate word: `<br>` and boxes that
/// are not inline (cascade, else HTML defaults: [`crate::css::text::breaks_words`]), and children
/// whose part is not their text (replaced elements, controls, `aria-label`/`aria-labelledby`).
fn separated(page: &Page, c: ElementRef<'_>) -> bool {
    let e = c.value();
    matches!(
        e.name(),
        "img"
            | "area"
            | "input"
            | "select"
            | "textarea"
            | "button"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "meter"
            | "progress"
            | "output"
    ) || e.attribute("aria-label").is_some()
        || e.attribute("aria-labelledby").is_some()
        || crate::css::text::breaks_words(page, c)
}

/// Name from content: text nodes and the names of child elements, skipping hidden ones
/// (unless the traversal started from a hidden aria-labelledby target). `root_hidden`: whether
/// `root` is hidden, when the caller knows (`None`: its ancestors are looked at, once; each
/// child then only adds its own markup).
fn name_from_subtree(
    page: &Page,
    root: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    allow_hidden_root: bool,
    root_hidden: Option<bool>,
) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    let root_hidden = root_hidden.unwrap_or_else(|| is_hidden_from_at(page, root));
    if !allow_hidden_root && root_hidden {
        return String::new();
    }
    // Built in the thread's scratch buffer: most names are a few words from a few nodes.
    crate::format::built_in_scratch(|out| {
        subtree_parts(
            page,
            root,
            depth,
            in_traversal,
            allow_hidden_root,
            root_hidden,
            out,
        )
    })
}

/// Whether an element met inside a name is named by its content alone: no `aria-labelledby`,
/// `aria-label`, `role`, `title` or `placeholder`, and none of the elements with a value or a
/// native name (controls, images, tables, figures, frames…: [`native_name`] and
/// [`embedded_control_value`] answer for exactly those). [`name`] and [`subtree_parts`] both
/// ask it, so a name source added to `name` is added here once.
fn named_by_its_content_only(c: ElementRef<'_>) -> bool {
    let e = c.value();
    !matches!(
        e.name(),
        "input"
            | "textarea"
            | "select"
            | "img"
            | "area"
            | "meter"
            | "progress"
            | "output"
            | "button"
            | "fieldset"
            | "figure"
            | "table"
            | "iframe"
            | "frame"
            | "svg"
    ) && e.attrs().all(|(name, _)| {
        !matches!(
            name,
            "aria-labelledby" | "aria-label" | "role" | "title" | "placeholder"
        )
    })
}

/// The parts of [`name_from_subtree`], written to `out`.
fn subtree_parts(
    page: &Page,
    root: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    allow_hidden_root: bool,
    root_hidden: bool,
    out: &mut String,
) {
    for child in root.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(ce) => {
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                // The field being named, met in its own label: its value is not its label.
                // (A button keeps its content there: it names it, value or not.)
                let own_value =
                    NAMING.with(|n| n.get()) == Some(c.id()) && embedded_control_value(c).is_some();
                if crate::page::text::never_text(ce) || own_value {
                    continue;
                }
                let hidden = root_hidden || is_hidden_from_at(page, c);
                if !allow_hidden_root && hidden {
                    continue;
                }
                // Words break at `<br>`, block boundaries and around what names itself
                // (images, controls, aria-label); not around inline text elements:
                // `<b>Ré</b>publique` is one word (WPT accname comp_text_node).
                let separate = separated(page, c);
                if separate {
                    out.push(' ');
                }
                if ce.name.local == html5ever::local_name!("br") {
                    // A line break only separates.
                } else if named_by_its_content_only(c) {
                    // What `name` would answer, written in place: a string for each element
                    // of a name (a link in a heading, a span in a link) was an allocation and
                    // a copy. `name` counts the visit, then names the content unless hidden;
                    // blank content names nothing (and no title is there to stand in).
                    let within = depth < MAX_DEPTH
                        && VISITS.with(|v| v.replace(v.get() + 1)) < MAX_VISITS
                        && depth + 2 <= MAX_DEPTH
                        && !hidden;
                    if within {
                        let mark = out.len();
                        subtree_parts(page, c, depth + 2, in_traversal, false, hidden, out);
                        if out.get(mark..).is_some_and(|part| part.trim().is_empty()) {
                            out.truncate(mark);
                        }
                    }
                } else {
                    out.push_str(&name(page, c, depth + 1, in_traversal, true, Some(hidden)));
                }
                if separate {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name as text, for comparisons with literals.
    fn accessible_name(page: &Page, el: ElementRef<'_>) -> String {
        super::accessible_name(page, el).to_string()
    }

    #[test]
    fn labelledby_is_followed_inside_name_from_content() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<a id=l href=/w><img src=x aria-labelledby=t></a><div id=t>Accueil WAI</div>"#,
        );
        let a = p.element_by_id("l").expect("link");
        assert_eq!(accessible_name(&p, a), "Accueil WAI");
    }

    #[test]
    fn label_wrapping_its_own_control_names_it_once() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<label for=m>Courriel <input id=m></label>
               <input id=c><label for=c>Pays <select><option>France</option><option selected>Italie</option></select></label>
               <input id=q><label for=q>Quantité <input value=3> unités</label>"#,
        );
        let m = p.element_by_id("m").expect("input");
        assert_eq!(accessible_name(&p, m), "Courriel");
        let c = p.element_by_id("c").expect("select");
        assert_eq!(accessible_name(&p, c), "Pays Italie");
        let q = p.element_by_id("q").expect("input");
        assert_eq!(accessible_name(&p, q), "Quantité 3 unités");
    }

    #[test]
    fn a_label_names_only_its_labeled_control() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<label>Nom <input id=a> <input id=b title="Second champ"></label>
               <label for=d>Date</label><input id=d><p><input id=d class=bis></p>
               <label>Aide <button id=h>Envoyer</button></label>
               <label>Ville <input id=v><label>Pays <button id=p>Choisir</button></label></label>"#,
        );
        let name = |el| accessible_name(&p, el);
        // First labelable descendant only; the second field falls back to its title.
        assert_eq!(name(p.element_by_id("a").expect("a")), "Nom");
        assert_eq!(name(p.element_by_id("b").expect("b")), "Second champ");
        // `for` labels the first element with the id, not a duplicate.
        assert_eq!(name(p.element_by_id("d").expect("d")), "Date");
        let bis = p.select("input.bis").next().expect("bis");
        assert_eq!(name(bis), "");
        // A button inside its label: once, with its content (was the label text repeated).
        assert_eq!(name(p.element_by_id("h").expect("h")), "Aide Envoyer");
        // Nested labels: the inner button's content, not the inner label followed again.
        assert_eq!(name(p.element_by_id("v").expect("v")), "Ville Pays Choisir");
        assert_eq!(name(p.element_by_id("p").expect("p")), "Pays Choisir");
    }

    #[test]
    fn words_break_at_br_and_blocks_not_inline_elements() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<a id=a href=/><p class="fr-logo">République<br>Française</p></a>
               <a id=b href=/><span>Ré</span>publique <b>Fran</b>çaise</a>
               <button id=c><div>Envoyer</div><div>le dossier</div></button>
               <a id=d href=/>Aller<img src=x alt="à l'accueil"></a>
               <style>.l { display: block }</style>
               <a id=e href=/><span class=l>République</span><span class=l>Française</span></a>"#,
        );
        let name = |id: &str| accessible_name(&p, p.element_by_id(id).expect(id));
        assert_eq!(name("a"), "République Française");
        assert_eq!(name("b"), "République Française");
        assert_eq!(name("c"), "Envoyer le dossier");
        assert_eq!(name("d"), "Aller à l'accueil");
        assert_eq!(name("e"), "République Française");
    }

    #[test]
    fn a_control_does_not_name_itself() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<label><input id=a value=Jean></label>
               <label for=b><select id=b><option>France</option></select></label>
               <label>Nom <input id=c value=Dupont></label>
               <input id=d><label for=d>Quantité <input value=3> unités</label>"#,
        );
        let name = |id: &str| accessible_name(&p, p.element_by_id(id).expect(id));
        assert_eq!(name("a"), "");
        assert_eq!(name("b"), "");
        assert_eq!(name("c"), "Nom");
        // Another control embedded in the label still gives its value (accname 2E).
        assert_eq!(name("d"), "Quantité 3 unités");
    }

    #[test]
    fn button_inputs_take_their_label_first() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<label for=a>Ajouter</label><input id=a type=button value=Valeur>
               <label for=b>Chercher</label><input id=b type=image alt=Loupe src=l.png>
               <input id=c type=button value=Envoyer>
               <label><input id=d type=submit></label>
               <label for=e>Joindre</label><input id=e type=button>"#,
        );
        let get = |id: &str| p.element_by_id(id).expect(id);
        let name = |id: &str| accessible_name(&p, get(id));
        assert_eq!(name("a"), "Ajouter");
        assert_eq!(name("b"), "Chercher");
        assert_eq!(name("c"), "Envoyer");
        assert_eq!(name("d"), "Envoyer");
        assert_eq!(name("e"), "Joindre");
        assert!(named_only_by_label(&p, get("e")));
        assert!(!named_only_by_label(&p, get("a")));
        assert!(!named_only_by_label(&p, get("d")));
    }

    #[test]
    fn labelledby_is_not_followed_twice() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<button id=b aria-labelledby=a1>x</button><span id=a1>Un <span aria-labelledby=a2>deux</span></span><span id=a2>trois</span>"#,
        );
        let b = p.element_by_id("b").expect("button");
        assert_eq!(accessible_name(&p, b), "Un deux");
    }
}
