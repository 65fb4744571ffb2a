//! Criterion 18: markup conformance errors (the W3C validator's kind, approximated). Counted:
//! - parser errors (html5ever, tokenizer and tree builder; a missing doctype is one), except those
//!   that name an invalid nesting, counted as nesting;
//! - duplicate ids (each extra occurrence);
//! - obsolete elements and attributes (the HTML standard's "obsolete features" list);
//! - invalid nesting: from the parser (`</p>` left over after a block closed the paragraph,
//!   nested forms, buttons, headings, options, `<nobr>`) and from the tree (interactive element in
//!   a link or button, block in a text-level element, `<li>` outside a list). An `<a>` inside an
//!   `<a>` is repaired by the parser with a generic "Unexpected token" error: counted as a parser
//!   error, not named (html5ever's exact errors would name it, but tripled the parse time of a
//!   hostile page of 100 000 nested links).
//!
//! Not checked (a validator would): unknown elements and attributes, attribute values, full
//! content models.

use crate::page::Attribute;
use html5ever::LocalName;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

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
    "param",
    "plaintext",
    "rb",
    "rtc",
    "spacer",
    "strike",
    "tt",
    "xmp",
];

/// Obsolete attributes (HTML standard, "Non-conforming features"): attribute, elements it is
/// obsolete on (`*` for every element).
const OBSOLETE_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("align", &["*"]),
    ("bgcolor", &["*"]),
    ("background", &["*"]),
    ("valign", &["*"]),
    ("hspace", &["*"]),
    ("vspace", &["*"]),
    ("nowrap", &["*"]),
    ("bordercolor", &["*"]),
    ("compact", &["*"]),
    ("char", &["*"]),
    ("charoff", &["*"]),
    ("datasrc", &["*"]),
    ("datafld", &["*"]),
    ("dataformatas", &["*"]),
    ("datapagesize", &["*"]),
    ("cellpadding", &["table"]),
    ("cellspacing", &["table"]),
    ("frame", &["table"]),
    ("rules", &["table"]),
    ("summary", &["table"]),
    ("axis", &["td", "th"]),
    ("abbr", &["td"]),
    ("scope", &["td"]),
    ("width", &["table", "td", "th", "col", "hr", "pre"]),
    ("height", &["table", "td", "th", "tr"]),
    ("frameborder", &["iframe"]),
    ("framespacing", &["iframe"]),
    ("marginheight", &["iframe", "body"]),
    ("marginwidth", &["iframe", "body"]),
    ("scrolling", &["iframe"]),
    ("allowtransparency", &["iframe"]),
    ("longdesc", &["img", "iframe"]),
    ("lowsrc", &["img"]),
    ("name", &["a", "img", "embed", "option"]),
    ("charset", &["a", "link"]),
    ("coords", &["a"]),
    ("shape", &["a"]),
    ("rev", &["a", "link"]),
    ("urn", &["a", "link"]),
    ("methods", &["a", "link"]),
    ("target", &["link"]),
    ("nohref", &["area"]),
    ("text", &["body"]),
    ("link", &["body"]),
    ("vlink", &["body"]),
    ("alink", &["body"]),
    ("topmargin", &["body"]),
    ("bottommargin", &["body"]),
    ("leftmargin", &["body"]),
    ("rightmargin", &["body"]),
    ("clear", &["br"]),
    ("noshade", &["hr"]),
    ("size", &["hr"]),
    ("color", &["hr"]),
    ("type", &["ul"]),
    ("language", &["script"]),
    ("event", &["script"]),
    ("for", &["script"]),
    ("profile", &["head"]),
    ("version", &["html"]),
    ("manifest", &["html"]),
    ("scheme", &["meta"]),
    ("archive", &["object"]),
    ("classid", &["object"]),
    ("code", &["object"]),
    ("codebase", &["object"]),
    ("codetype", &["object"]),
    ("declare", &["object"]),
    ("standby", &["object"]),
    ("border", &["object", "img"]),
];

/// The lists above by name, as atoms: every element and every attribute of a page is looked
/// up, by the names' precomputed hashes rather than by hashing their text.
static OBSOLETE_ELEMENT_SET: LazyLock<FxHashSet<LocalName>> = LazyLock::new(|| {
    OBSOLETE_ELEMENTS
        .iter()
        .map(|&e| LocalName::from(e))
        .collect()
});
static OBSOLETE_ATTRIBUTE_MAP: LazyLock<FxHashMap<LocalName, &'static [&'static str]>> =
    LazyLock::new(|| {
        OBSOLETE_ATTRIBUTES
            .iter()
            .map(|&(a, on)| (LocalName::from(a), on))
            .collect()
    });

fn obsolete_attribute(el: ElementRef<'_>, attr: &LocalName) -> bool {
    let Some(on) = OBSOLETE_ATTRIBUTE_MAP.get(attr) else {
        return false;
    };
    let name = el.value().name();
    if &**attr == "border" && name == "table" {
        // Only border="" and border="1" remain conforming on tables.
        return !matches!(el.value().attribute("border"), Some("" | "1"));
    }
    on.iter().any(|e| *e == "*" || *e == name)
}

/// Parser errors that reveal an invalid nesting (the tree has already been repaired, so the
/// DOM alone no longer shows it).
fn parser_nesting(error: &str) -> Option<&'static str> {
    match error {
        "No <p> tag to close" => {
            Some("</p> orphelin : un bloc (div, liste, titre…) a fermé le paragraphe")
        }
        "nested forms" => Some("formulaire dans un formulaire"),
        "nested buttons" => Some("bouton dans un bouton"),
        "nested heading tags" => Some("titre dans un titre"),
        "Nested <nobr>" => Some("<nobr> dans <nobr>"),
        "nested options" => Some("option dans une option"),
        _ => None,
    }
}

fn invalid_nesting(el: ElementRef<'_>) -> Option<&'static str> {
    use html5ever::local_name as n;
    // Names compared as atoms (integers): this runs on every element of a page, and reading
    // each name back as text to match it cost more than the rest of the test.
    let name = &el.value().name.local;
    let parent = el
        .parent()
        .and_then(ElementRef::wrap)
        .map(|p| &p.value().name.local);
    if [
        n!("a"),
        n!("button"),
        n!("input"),
        n!("select"),
        n!("textarea"),
    ]
    .contains(name)
        && el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| [n!("a"), n!("button")].contains(&a.value().name.local))
    {
        return Some("élément interactif dans un lien ou un bouton");
    }
    let blocks = [
        n!("div"),
        n!("p"),
        n!("ul"),
        n!("ol"),
        n!("table"),
        n!("h1"),
        n!("h2"),
        n!("h3"),
        n!("h4"),
        n!("h5"),
        n!("h6"),
        n!("form"),
    ];
    let text_level = [
        n!("span"),
        n!("em"),
        n!("strong"),
        n!("label"),
        n!("b"),
        n!("i"),
    ];
    if blocks.contains(name) && parent.is_some_and(|p| text_level.contains(p)) {
        return Some("bloc dans un élément de texte");
    }
    if *name == n!("li") && !parent.is_some_and(|p| [n!("ul"), n!("ol"), n!("menu")].contains(p)) {
        return Some("li hors d'une liste");
    }
    None
}

/// Count the markup errors of a page.
pub fn count(page: &Page) -> Markup {
    let mut m = Markup::default();
    let mut shown = 0;
    for e in &page.parse_errors {
        if let Some(why) = parser_nesting(e) {
            m.invalid_nesting += 1;
            if m.examples.len() < EXAMPLES {
                m.examples
                    .push(format!("imbrication interdite (analyseur) : {why}"));
            }
        } else {
            m.parse_errors += 1;
            if shown < 3 {
                shown += 1;
                m.examples.push(format!("erreur d'analyse : {e}"));
            }
        }
    }
    let mut ids: FxHashMap<&str, usize> = FxHashMap::default();
    for el in page.root().descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        if let Some(id) = crate::page::attribute_atom(v, &html5ever::local_name!("id")) {
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
        if OBSOLETE_ELEMENT_SET.contains(&v.name.local) {
            m.obsolete_elements += 1;
            if m.examples.len() < EXAMPLES {
                m.examples.push(format!(
                    "élément obsolète : <{}> ({})",
                    v.name(),
                    Target::of(page, el).selector
                ));
            }
        }
        for (q, _) in v.attrs.iter() {
            let attr = &*q.local;
            if obsolete_attribute(el, &q.local) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each nesting the DOM still shows, told by the element's and its parent's names (as
    /// atoms), and the look-alikes that are not one.
    #[test]
    fn invalid_nestings_by_name() {
        let page = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<a href=/><span><button id=b1>x</button></span></a><button><a id=a1 href=/>y</a></button>
               <span><div id=d1>z</div></span><label><p id=p1>t</p></label><div><p id=p2>u</p></div>
               <section><li id=l1>v</li></section><ul><li id=l2>w</li></ul><menu><li id=l3>m</li></menu>
               <ol><li><input id=i1></li></ol><svg><a id=s1><text>s</text></a></svg>"#,
        );
        let why = |id: &str| invalid_nesting(page.element_by_id(id).expect(id));
        assert_eq!(
            why("b1"),
            Some("élément interactif dans un lien ou un bouton")
        );
        assert_eq!(
            why("a1"),
            Some("élément interactif dans un lien ou un bouton")
        );
        assert_eq!(why("d1"), Some("bloc dans un élément de texte"));
        assert_eq!(why("p1"), Some("bloc dans un élément de texte"));
        assert_eq!(why("l1"), Some("li hors d'une liste"));
        for fine in ["p2", "l2", "l3", "i1", "s1"] {
            assert_eq!(why(fine), None, "{fine}");
        }
    }
}
