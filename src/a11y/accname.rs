//! Accessible name computation (W3C accname 1.2, the parts decidable from markup).
//! Depth-bounded and iterative over children, so hostile nesting cannot overflow the stack.

use scraper::{ElementRef, Node};

use crate::page::{normalize_space, Page};

use super::roles::{is_hidden_from_at, role_of};

/// Nesting bound for name-from-content recursion.
const MAX_DEPTH: usize = 32;

/// Elements visited for one accessible name at most: a backstop against any other path where
/// the depth bound alone still lets the work branch (each level of 32 may fan out).
const MAX_VISITS: usize = 20_000;

thread_local! {
    static VISITS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Roles whose name can come from their content.
fn name_from_content(role: &str) -> bool {
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
pub fn accessible_name(page: &Page, el: ElementRef<'_>) -> String {
    VISITS.with(|v| v.set(0));
    normalize_space(&name(page, el, 0, false, false))
}

/// `in_traversal`: inside an aria-labelledby traversal (labelledby is not followed again);
/// `recursing`: computing a descendant's part of a name from content (any role contributes).
fn name(
    page: &Page,
    el: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    recursing: bool,
) -> String {
    if depth > MAX_DEPTH || VISITS.with(|v| v.replace(v.get() + 1)) >= MAX_VISITS {
        return String::new();
    }
    let e = el.value();
    // 2B: aria-labelledby (not followed when already inside a labelledby traversal).
    if !in_traversal {
        if let Some(ids) = e.attr("aria-labelledby") {
            let mut parts = Vec::new();
            for id in ids.split_ascii_whitespace() {
                if let Some(target) = page.element_by_id(id) {
                    parts.push(name_from_subtree(page, target, depth + 1, true, true));
                }
            }
            let joined = normalize_space(&parts.join(" "));
            if !joined.is_empty() {
                return joined;
            }
        }
    }
    // 2C: aria-label.
    if let Some(label) = e.attr("aria-label") {
        if !label.trim().is_empty() {
            return label.to_string();
        }
    }
    // 2D: native host-language label (not for an element made presentational).
    let presentational = e
        .attr("role")
        .and_then(|r| r.split_ascii_whitespace().next())
        .is_some_and(|r| r.eq_ignore_ascii_case("none") || r.eq_ignore_ascii_case("presentation"))
        && !super::roles::presentational_conflict(el);
    if presentational {
        return if in_traversal {
            name_from_subtree(page, el, depth + 1, in_traversal, false)
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
    if let Some(native) = native_name(page, el, depth, in_traversal) {
        if !native.trim().is_empty() {
            return native;
        }
    }
    // 2F: name from content.
    let role = role_of(el).unwrap_or_default();
    if name_from_content(&role) || in_traversal || recursing {
        let n = name_from_subtree(page, el, depth + 1, in_traversal, false);
        if !n.trim().is_empty() {
            return n;
        }
    }
    // 2I: tooltip attribute.
    if let Some(t) = e.attr("title") {
        return t.to_string();
    }
    if matches!(e.name(), "input" | "textarea") {
        if let Some(p) = e.attr("placeholder") {
            return p.to_string();
        }
    }
    String::new()
}

/// `in_traversal` is passed on so that labels, legends and captions inside an aria-labelledby
/// traversal do not follow aria-labelledby again: resetting it let `a → legend → b → a` cycles
/// branch at every level (exponential time; found by the accname fuzz target,
/// fixtures/fuzz-regressions/accname-labelledby-cycle-through-legend).
fn native_name(
    page: &Page,
    el: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
) -> Option<String> {
    let e = el.value();
    match e.name() {
        "img" | "area" => e.attr("alt").map(str::to_string),
        "input" => {
            let ty = e.attr("type").unwrap_or("text").to_ascii_lowercase();
            match ty.as_str() {
                "button" | "submit" | "reset" => Some(
                    e.attr("value")
                        .map(str::to_string)
                        .unwrap_or_else(|| match ty.as_str() {
                            "submit" => "Envoyer".to_string(),
                            "reset" => "Réinitialiser".to_string(),
                            _ => String::new(),
                        }),
                ),
                "image" => e.attr("alt").map(str::to_string),
                _ => labels_of(page, el, depth, in_traversal),
            }
        }
        "select" | "textarea" | "meter" | "progress" | "output" => {
            labels_of(page, el, depth, in_traversal)
        }
        "button" => labels_of(page, el, depth, in_traversal),
        "fieldset" => child_named(page, el, "legend", depth, in_traversal),
        "figure" => child_named(page, el, "figcaption", depth, in_traversal),
        "table" => child_named(page, el, "caption", depth, in_traversal),
        "iframe" | "frame" => e.attr("title").map(str::to_string),
        "svg" => el
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "title")
            .map(|t| t.text().collect()),
        _ => None,
    }
}

/// The value an embedded control contributes to a name (accname 2E): a text field's value, a
/// select's selected option (the first one when none is selected). `None` for other elements.
fn embedded_control_value(el: ElementRef<'_>) -> Option<String> {
    let e = el.value();
    match e.name() {
        "input" => {
            let ty = e.attr("type").unwrap_or("text").to_ascii_lowercase();
            match ty.as_str() {
                "button" | "submit" | "reset" | "image" | "hidden" => None,
                "checkbox" | "radio" | "file" | "color" => Some(String::new()),
                _ => Some(e.attr("value").unwrap_or_default().to_string()),
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
                .find(|o| o.value().attr("selected").is_some())
                .or(options.first());
            Some(chosen.map(|o| o.text().collect()).unwrap_or_default())
        }
        _ => None,
    }
}

fn child_named(
    page: &Page,
    el: ElementRef<'_>,
    tag: &str,
    depth: usize,
    in_traversal: bool,
) -> Option<String> {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == tag)
        .map(|c| name_from_subtree(page, c, depth + 1, in_traversal, false))
}

/// Text of `<label for=id>` elements and of a wrapping `<label>`.
fn labels_of(page: &Page, el: ElementRef<'_>, depth: usize, in_traversal: bool) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(id) = el.value().attr("id") {
        if !id.is_empty() {
            for label in page.select("label[for]") {
                if label.value().attr("for") == Some(id) {
                    parts.push(name_from_subtree(
                        page,
                        label,
                        depth + 1,
                        in_traversal,
                        false,
                    ));
                }
            }
        }
    }
    if let Some(wrapping) = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
    {
        // A wrapping label whose `for` names this control was already taken above (it used
        // to be counted twice: "Courriel Courriel").
        let for_attr = wrapping.value().attr("for");
        let id = el.value().attr("id");
        let taken_above = id.is_some_and(|i| !i.is_empty()) && for_attr == id;
        if for_attr.is_none() || (for_attr == id && !taken_above) {
            parts.push(name_from_subtree(
                page,
                wrapping,
                depth + 1,
                in_traversal,
                false,
            ));
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join(" "))
    }
}

/// Name from content: text nodes and the names of child elements, skipping hidden ones
/// (unless the traversal started from a hidden aria-labelledby target).
fn name_from_subtree(
    page: &Page,
    root: ElementRef<'_>,
    depth: usize,
    in_traversal: bool,
    allow_hidden_root: bool,
) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    if !allow_hidden_root && is_hidden_from_at(root) {
        return String::new();
    }
    let mut out = String::new();
    for child in root.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(ce) => {
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                if matches!(ce.name(), "script" | "style" | "template" | "noscript") {
                    continue;
                }
                if !allow_hidden_root && is_hidden_from_at(c) {
                    continue;
                }
                let part = if ce.name() == "br" {
                    " ".to_string()
                } else {
                    name(page, c, depth + 1, in_traversal, true)
                };
                // Block-level children are separated by spaces.
                out.push(' ');
                out.push_str(&part);
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn labelledby_is_not_followed_twice() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<button id=b aria-labelledby=a1>x</button><span id=a1>Un <span aria-labelledby=a2>deux</span></span><span id=a2>trois</span>"#,
        );
        let b = p.element_by_id("b").expect("button");
        assert_eq!(accessible_name(&p, b), "Un deux");
    }
}
