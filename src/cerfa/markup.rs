//! Criterion 18: markup conformance errors (the W3C validator's kind, approximated): parser
//! errors, duplicate ids, obsolete elements and attributes, invalid nesting.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::page::{ElementRef, Page, Target};

/// How many examples of each error kind are kept.
const EXAMPLES: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Markup {
    pub parse_errors: usize,
    pub duplicate_ids: usize,
    pub obsolete_elements: usize,
    pub obsolete_attributes: usize,
    pub invalid_nesting: usize,
    pub total: usize,
    /// Examples: "id en double : x", "élément obsolète : <font>", selector…
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
}

const OBSOLETE_ELEMENTS: &[&str] = &[
    "acronym",
    "applet",
    "basefont",
    "bgsound",
    "big",
    "blink",
    "center",
    "dir",
    "font",
    "frame",
    "frameset",
    "isindex",
    "keygen",
    "listing",
    "marquee",
    "menuitem",
    "multicol",
    "nextid",
    "nobr",
    "noembed",
    "noframes",
    "plaintext",
    "rb",
    "rtc",
    "spacer",
    "strike",
    "tt",
    "xmp",
];

/// Attributes obsolete on any element.
const OBSOLETE_ANY: &[&str] = &[
    "bgcolor",
    "align",
    "valign",
    "background",
    "hspace",
    "vspace",
    "nowrap",
    "cellpadding",
    "cellspacing",
    "frameborder",
    "marginheight",
    "marginwidth",
    "scrolling",
    "language",
    "bordercolor",
    "clear",
    "link",
    "vlink",
    "alink",
    "text",
];

fn obsolete_attribute(el: ElementRef<'_>, attr: &str) -> bool {
    let name = el.value().name();
    match attr {
        "text" | "link" | "vlink" | "alink" => name == "body",
        "language" => name == "script",
        "width" | "height" => matches!(name, "table" | "td" | "th" | "tr" | "col" | "hr" | "pre"),
        "border" => {
            (name == "table" && !matches!(el.value().attr("border"), Some("" | "1")))
                || name == "img"
        }
        "name" => name == "a",
        "summary" => name == "table",
        "charset" => matches!(name, "a" | "link"),
        a => OBSOLETE_ANY.contains(&a),
    }
}

fn invalid_nesting(el: ElementRef<'_>) -> Option<&'static str> {
    let name = el.value().name();
    let mut ancestors = el.ancestors().filter_map(ElementRef::wrap);
    let parent = el
        .parent()
        .and_then(ElementRef::wrap)
        .map(|p| p.value().name());
    match name {
        "a" | "button" | "input" | "select" | "textarea"
            if ancestors.any(|a| matches!(a.value().name(), "a" | "button")) =>
        {
            Some("élément interactif dans un lien ou un bouton")
        }
        "div" | "p" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "form"
            if matches!(parent, Some("span" | "em" | "strong" | "label" | "b" | "i")) =>
        {
            Some("bloc dans un élément de texte")
        }
        "li" if !matches!(parent, Some("ul" | "ol" | "menu")) => Some("li hors d'une liste"),
        _ => None,
    }
}

/// Count the markup errors of a page.
pub fn count(page: &Page) -> Markup {
    let mut m = Markup {
        parse_errors: page.parse_errors.len(),
        ..Default::default()
    };
    for e in page.parse_errors.iter().take(3) {
        m.examples.push(format!("erreur d'analyse : {e}"));
    }
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for el in page.root().descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        if let Some(id) = v.attr("id") {
            let n = ids.entry(id).or_default();
            *n += 1;
            if *n == 2 {
                m.duplicate_ids += 1;
                if m.examples.len() < EXAMPLES {
                    m.examples.push(format!("identifiant en double : {id}"));
                }
            } else if *n > 2 {
                m.duplicate_ids += 1;
            }
        }
        if OBSOLETE_ELEMENTS.contains(&v.name()) {
            m.obsolete_elements += 1;
            if m.examples.len() < EXAMPLES {
                m.examples.push(format!(
                    "élément obsolète : <{}> ({})",
                    v.name(),
                    Target::of(page, el).selector
                ));
            }
        }
        for (attr, _) in v.attrs() {
            let known = OBSOLETE_ANY.contains(&attr)
                || matches!(
                    attr,
                    "width" | "height" | "border" | "name" | "summary" | "charset"
                );
            if known && obsolete_attribute(el, attr) {
                m.obsolete_attributes += 1;
                if m.examples.len() < EXAMPLES {
                    m.examples.push(format!(
                        "attribut obsolète : {attr} sur <{}> ({})",
                        v.name(),
                        Target::of(page, el).selector
                    ));
                }
            }
        }
        if let Some(why) = invalid_nesting(el) {
            m.invalid_nesting += 1;
            if m.examples.len() < EXAMPLES {
                m.examples.push(format!(
                    "imbrication interdite : {why} ({})",
                    Target::of(page, el).selector
                ));
            }
        }
    }
    m.total = m.parse_errors
        + m.duplicate_ids
        + m.obsolete_elements
        + m.obsolete_attributes
        + m.invalid_nesting;
    m
}
