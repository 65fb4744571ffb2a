//! Accessible name computation (W3C accname 1.2, the parts decidable from markup).
//! Depth-bounded and iterative over children, so hostile nesting cannot overflow the stack.

use scraper::{ElementRef, Node};

use crate::page::{normalize_space, Page};

use super::roles::{is_hidden_from_at, role_of};

/// Nesting bound for name-from-content recursion.
const MAX_DEPTH: usize = 32;

/// Roles whose name can come from their content.
fn name_from_content(role: &str) -> bool {
    matches!(
        role,
        "button"
            | "cell"
            | "checkbox"
            | "columnheader"
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
    normalize_space(&name(page, el, 0, false))
}

fn name(page: &Page, el: ElementRef<'_>, depth: usize, in_traversal: bool) -> String {
    if depth > MAX_DEPTH {
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
    if let Some(native) = native_name(page, el, depth) {
        if !native.trim().is_empty() {
            return native;
        }
    }
    // 2F: name from content.
    let role = role_of(el).unwrap_or_default();
    if name_from_content(&role) || in_traversal {
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

fn native_name(page: &Page, el: ElementRef<'_>, depth: usize) -> Option<String> {
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
                _ => labels_of(page, el, depth),
            }
        }
        "select" | "textarea" | "meter" | "progress" | "output" => labels_of(page, el, depth),
        "button" => labels_of(page, el, depth),
        "fieldset" => child_named(page, el, "legend", depth),
        "figure" => child_named(page, el, "figcaption", depth),
        "table" => child_named(page, el, "caption", depth),
        "iframe" | "frame" => e.attr("title").map(str::to_string),
        "svg" => el
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "title")
            .map(|t| t.text().collect()),
        _ => None,
    }
}

fn child_named(page: &Page, el: ElementRef<'_>, tag: &str, depth: usize) -> Option<String> {
    el.children()
        .filter_map(ElementRef::wrap)
        .find(|c| c.value().name() == tag)
        .map(|c| name_from_subtree(page, c, depth + 1, true, false))
}

/// Text of `<label for=id>` elements and of a wrapping `<label>`.
fn labels_of(page: &Page, el: ElementRef<'_>, depth: usize) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(id) = el.value().attr("id") {
        if !id.is_empty() {
            for label in page.select("label[for]") {
                if label.value().attr("for") == Some(id) {
                    parts.push(name_from_subtree(page, label, depth + 1, true, false));
                }
            }
        }
    }
    if let Some(wrapping) = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "label")
    {
        if wrapping.value().attr("for").is_none()
            || wrapping.value().attr("for") == el.value().attr("id")
        {
            parts.push(name_from_subtree(page, wrapping, depth + 1, true, false));
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
    _in_traversal: bool,
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
                    name(page, c, depth + 1, true)
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
