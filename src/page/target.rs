//! How a finding points at an element: a unique CSS selector and a short HTML snippet.

use scraper::{ElementRef, Node};
use serde::{Deserialize, Serialize};

use crate::format::{in_scratch, truncate_chars};
use std::sync::Arc;

/// Maximum snippet length in characters.
pub const SNIPPET_MAX: usize = 200;

/// An element a result is about.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub struct Target {
    /// A CSS selector matching exactly this element in the document.
    pub selector: Arc<str>,
    /// The element's opening tag and the start of its content, at most ~200 characters.
    pub snippet: Arc<str>,
}

impl Target {
    /// The element's target, built once per page: several rules point at the same link, image
    /// or field, and each built its selector and snippet again.
    pub fn of(page: &crate::page::Page, el: ElementRef<'_>) -> Target {
        // Written in the thread's buffer and shared from there: the page's memo and the
        // result each hold the target (a copy of both texts each, before).
        page.target(el.id(), || Target {
            selector: in_scratch(|out| write_unique_selector(page, el, out), |s| Arc::from(s)),
            snippet: in_scratch(|out| write_snippet(el, out), |s| Arc::from(s)),
        })
    }
}

fn is_simple_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Selectors already written for ancestors of targets, within a byte budget: the failed texts
/// of a page share most of their ancestors, and each climbed them all again. The budget bounds
/// what a hostile page (thousands of deep, distinct branches) could make it hold. An
/// ancestor's selector is a prefix of its descendant's: the ancestors newly climbed for one
/// target are kept as spans of one copy of the longest of them, in one text for the page.
#[derive(Default)]
pub(crate) struct SelectorMemo {
    spans: rustc_hash::FxHashMap<ego_tree::NodeId, (u32, u32)>,
    text: String,
    bytes: usize,
    /// The same-name positions counted last.
    recent_positions: super::RecentPositions,
}

/// Bytes of selectors (and their entries) a page's memo keeps at most.
const SELECTOR_MEMO_BYTES: usize = 1 << 20;

/// A selector unique in the document: the nearest ancestor-or-self with a unique, simple id,
/// then `tag:nth-of-type(n)` steps down to the element. Iterative, so deep trees are safe.
pub fn unique_selector(page: &crate::page::Page, el: ElementRef<'_>) -> String {
    let mut out = String::new();
    write_unique_selector(page, el, &mut out);
    out
}

/// [`unique_selector`], written in `out` (empty).
fn write_unique_selector(page: &crate::page::Page, el: ElementRef<'_>, out: &mut String) {
    /// One step from the element up, written out once the top is found (no string per step:
    /// this runs for every failed target).
    enum Step<'a> {
        Id(&'a str),
        Tag(&'a str),
        Nth(&'a str, usize),
    }
    let mut memo = page.selectors.lock().unwrap_or_else(|p| p.into_inner());
    let memo = &mut *memo;
    page.give_memo_room(&mut memo.spans);
    // Inline: most elements are fewer than 24 steps below an id or the root.
    let mut steps: smallvec::SmallVec<[(ego_tree::NodeId, Step<'_>); 24]> =
        smallvec::SmallVec::new();
    // The selector of the nearest ancestor written already, which the steps continue.
    let mut above: &str = "";
    let mut current = Some(*el);
    while let Some(node) = current {
        let Node::Element(e) = node.value() else {
            break;
        };
        if node.id() != el.id() {
            if let Some(&(start, len)) = memo.spans.get(&node.id()) {
                above = memo
                    .text
                    .get(start as usize..(start + len) as usize)
                    .unwrap_or("");
                break;
            }
        }
        let name = e.name();
        if let Some(id) = e.id() {
            if is_simple_ident(id) && page.id_count(id) == 1 {
                steps.push((node.id(), Step::Id(id)));
                break;
            }
        }
        if name == "html" {
            steps.push((node.id(), Step::Tag("html")));
            break;
        }
        let (index, shared) = match ElementRef::wrap(node) {
            Some(e) => page.nth_of_type_after(e, &mut memo.recent_positions),
            None => (1, false),
        };
        steps.push((
            node.id(),
            if shared {
                Step::Nth(name, index)
            } else {
                Step::Tag(name)
            },
        ));
        current = node.parent();
    }
    out.reserve(above.len() + steps.len() * 16);
    out.push_str(above);
    // The ancestors written here, each with the length of its selector (a prefix of `out`).
    let mut written: smallvec::SmallVec<[(ego_tree::NodeId, usize); 8]> = smallvec::SmallVec::new();
    for (node, step) in steps.iter().rev() {
        if !out.is_empty() {
            out.push_str(" > ");
        }
        match step {
            Step::Id(id) => {
                out.push('#');
                out.push_str(id);
            }
            Step::Tag(name) => out.push_str(name),
            Step::Nth(name, index) => {
                out.push_str(name);
                out.push_str(":nth-of-type(");
                out.push_str(itoa::Buffer::new().format(*index));
                out.push(')');
            }
        }
        // The ancestors' selectors are kept (the element's own is its target's).
        if *node != el.id() {
            written.push((*node, out.len()));
        }
    }
    // Kept within the budget, counted with the entries' own size, so that many short
    // selectors stay bounded too.
    let Some(&(_, longest)) = written.last() else {
        return;
    };
    let entry = std::mem::size_of::<(ego_tree::NodeId, (u32, u32))>();
    let cost = longest + written.len() * entry;
    let start = memo.text.len();
    if memo.bytes + cost > SELECTOR_MEMO_BYTES || start + longest > u32::MAX as usize {
        return;
    }
    memo.bytes += cost;
    memo.text.push_str(&out[..longest]);
    for (node, len) in written {
        memo.spans.insert(node, (start as u32, len as u32));
    }
}

/// Opening tag with attributes, then the start of the text content, bounded.
pub fn snippet_of(el: ElementRef<'_>) -> String {
    // Room for most snippets at once (at most 200 characters, a closing tag, a few wide ones).
    let mut s = String::with_capacity(256);
    write_snippet(el, &mut s);
    s
}

/// [`snippet_of`], written in `s` (empty).
fn write_snippet(el: ElementRef<'_>, s: &mut String) {
    let e = el.value();
    s.push('<');
    s.push_str(e.name());
    for (k, v) in e.attrs() {
        // The browser's own mark is not the page's markup.
        if k == super::browser::REF_ATTR {
            continue;
        }
        s.push(' ');
        s.push_str(k);
        s.push_str("=\"");
        let mut rest: &str = v;
        while let Some(i) = memchr::memchr2(b'"', b'&', rest.as_bytes()) {
            s.push_str(&rest[..i]);
            s.push_str(if rest.as_bytes()[i] == b'"' {
                "&quot;"
            } else {
                "&amp;"
            });
            rest = &rest[i + 1..];
        }
        s.push_str(rest);
        s.push('"');
        if s.len() > SNIPPET_MAX * 4 {
            break;
        }
    }
    s.push('>');
    // Whole-document containers: the opening tag says enough.
    if matches!(e.name(), "html" | "head" | "body") {
        let cut = truncate_chars(s, SNIPPET_MAX);
        *s = cut;
        return;
    }
    // Characters so far, counted as they are added rather than by a new count per text.
    let mut chars = s.chars().count();
    // Words of every text node, one space between each and the next, up to one character past
    // the bound (a long paragraph stops there); whether any was written, so a space is due.
    let mut wrote_text = false;
    'texts: for t in el.text() {
        let bytes = t.as_bytes();
        let mut i = 0;
        loop {
            while let Some((true, len)) = crate::format::white_space_at(t, i) {
                i += len;
            }
            if i >= bytes.len() {
                break;
            }
            // A run of words with one plain space between each (most of a text), written at
            // once; never more than one character past the bound, where the snippet is cut.
            let room = SNIPPET_MAX.saturating_sub(chars + usize::from(wrote_text));
            let start = i;
            let mut run_chars = 0;
            while run_chars <= room {
                let plain = crate::format::plain_prefix(bytes, i, 0).min(room + 1 - run_chars);
                i += plain;
                run_chars += plain;
                if run_chars > room {
                    break;
                }
                match crate::format::white_space_at(t, i) {
                    Some((false, len)) => i += len,
                    Some((true, 1))
                        if bytes.get(i) == Some(&b' ')
                            && matches!(
                                crate::format::white_space_at(t, i + 1),
                                Some((false, _))
                            ) =>
                    {
                        i += 1
                    }
                    _ => break,
                }
                run_chars += 1;
            }
            if wrote_text {
                s.push(' ');
                chars += 1;
            }
            s.push_str(t.get(start..i).unwrap_or_default());
            chars += run_chars;
            wrote_text = true;
            if chars > SNIPPET_MAX {
                break 'texts;
            }
        }
    }
    if !is_void(e.name()) {
        s.push_str("</");
        s.push_str(e.name());
        s.push('>');
        chars += e.name().chars().count() + 3;
    }
    // `truncate_chars` on the string in place: its characters are counted already.
    if chars > SNIPPET_MAX {
        let end = s
            .char_indices()
            .nth(SNIPPET_MAX - 1)
            .map_or(s.len(), |(i, _)| i);
        s.truncate(end);
        s.push('…');
    }
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::sel;

    /// The snippet as first written: the whole text gathered, then `truncate_chars`.
    fn reference_snippet(el: ElementRef<'_>) -> String {
        let e = el.value();
        let mut s = format!("<{}", e.name());
        for (k, v) in e.attrs() {
            s.push_str(&format!(
                " {k}=\"{}\"",
                v.replace('&', "&amp;").replace('"', "&quot;")
            ));
        }
        s.push('>');
        let words: Vec<&str> = el.text().flat_map(str::split_whitespace).collect();
        s.push_str(&words.join(" "));
        if !is_void(e.name()) {
            s.push_str(&format!("</{}>", e.name()));
        }
        truncate_chars(&s, SNIPPET_MAX)
    }

    /// Asserts that every element `selector` finds in `html` has the reference snippet; how many.
    fn snippets_as_the_reference(html: &str, selector: &'static str) -> usize {
        let doc = scraper::Html::parse_document(html);
        let mut seen = 0;
        for el in doc.select(&sel(selector)) {
            assert_eq!(snippet_of(el), reference_snippet(el), "{}", el.html());
            seen += 1;
        }
        seen
    }

    /// The selector as first written: a climb from the element to the top, memo-less.
    fn reference_selector(page: &crate::page::Page, el: ElementRef<'_>) -> String {
        let mut steps = Vec::new();
        let mut current = Some(*el);
        while let Some(node) = current {
            let Node::Element(e) = node.value() else {
                break;
            };
            if let Some(id) = e
                .id()
                .filter(|id| is_simple_ident(id) && page.id_count(id) == 1)
            {
                steps.push(format!("#{id}"));
                break;
            }
            if e.name() == "html" {
                steps.push("html".to_string());
                break;
            }
            let same: Vec<_> = node
                .parent()
                .into_iter()
                .flat_map(|p| p.children())
                .filter(|c| c.value().as_element().is_some_and(|c| c.name() == e.name()))
                .collect();
            let index = same
                .iter()
                .position(|c| c.id() == node.id())
                .map_or(1, |i| i + 1);
            steps.push(if same.len() > 1 {
                format!("{}:nth-of-type({index})", e.name())
            } else {
                e.name().to_string()
            });
            current = node.parent();
        }
        steps.reverse();
        steps.join(" > ")
    }

    fn page_of(html: &str) -> crate::page::Page {
        crate::page::Page::parse(url::Url::parse("http://t.test/").expect("url"), html)
    }

    #[test]
    fn selectors_continue_their_ancestors_as_a_climb_would_write_them() {
        let html = r#"<!doctype html><html><body><div id="top"><ul><li><a>1</a></li><li><a>2</a><b>x</b><a>3</a></li></ul><p>t <span>u</span></p><p id="dup">v</p><p id="dup"><i>w</i></p><p id="not simple"><em>z</em></p></div><section><div><div><span>deep</span></div><div><span>cousin</span></div></div></section></body></html>"#;
        // In document order, then bottom-up: either way ancestors are written first or last.
        for reverse in [false, true] {
            let page = page_of(html);
            let mut all: Vec<_> = page
                .dom
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
                .collect();
            if reverse {
                all.reverse();
            }
            for el in &all {
                assert_eq!(unique_selector(&page, *el), reference_selector(&page, *el));
            }
            assert_eq!(all.len(), 24);
        }
    }

    /// Every element of every fixture page, and families past the walked siblings (the
    /// counted-once path) with text between them and the element first, last or alone of
    /// its name: selectors as the memo-less climb writes them.
    #[test]
    fn selectors_equal_the_climb_on_every_page() {
        let family = |n: usize| {
            format!(
                "<ol>{}<p>seul</p><li>fin</li></ol><div><em>a</em>{}<b>b</b></div>",
                "<li>x</li> texte ".repeat(n),
                "<span>s</span> ".repeat(n)
            )
        };
        let mut pages: Vec<String> = crate::page::fixture_pages()
            .into_iter()
            .map(|(_, html)| html)
            .collect();
        pages.extend([1, 40, 70, 200].map(family));
        let mut compared = 0;
        for html in &pages {
            let page = page_of(html);
            for el in page
                .dom
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
            {
                assert_eq!(unique_selector(&page, el), reference_selector(&page, el));
                compared += 1;
            }
        }
        assert!(compared > 5_000, "{compared}");
    }

    #[test]
    fn the_selector_memo_stays_within_its_budget() {
        // 300 nested divs, then 3 000 branches below: each branch's selector is ~1.8 KB, so
        // keeping every ancestor's would take 5 MB.
        let html = format!(
            "<html><body>{}{}{}</body></html>",
            "<div>".repeat(300),
            "<p><span>x</span></p>".repeat(3000),
            "</div>".repeat(300)
        );
        let page = page_of(&html);
        let spans: Vec<_> = page.dom.select(&crate::page::sel("span")).collect();
        assert_eq!(spans.len(), 3000);
        for (k, span) in spans.iter().enumerate() {
            let selector = unique_selector(&page, *span);
            if k % 97 == 0 || k == 2999 {
                assert_eq!(selector, reference_selector(&page, *span));
            }
        }
        let memo = page.selectors.lock().expect("memo");
        assert!(memo.bytes <= SELECTOR_MEMO_BYTES, "{}", memo.bytes);
        assert!(memo.bytes > SELECTOR_MEMO_BYTES / 2, "{}", memo.bytes);
    }

    #[test]
    fn snippets_cut_in_place_as_truncate_chars_did() {
        let long = "mot ".repeat(120);
        let accents = "éàü ".repeat(70);
        let html = format!(
            r#"<p id="a" title='x "y" &amp; z'>court</p><p id="b">{long}</p><div id="c"><span>{accents}</span> <b>fin</b></div><img id="d" alt="{long}"><p id="e">{}</p><p id="f"></p><p id="g">  plusieurs   <i>nœuds</i>  de texte </p><p id="h">{vt}</p>"#,
            "x".repeat(187),
            vt = "tab\u{0B}vertical\tet\u{0C}saut  fin"
        );
        assert_eq!(
            snippets_as_the_reference(&html, "p, div, span, img, b, i"),
            11
        );
    }

    /// Runs of words written at once give the snippet of the words one by one, wherever the
    /// bound falls: in a word, on a space or between two text nodes.
    #[test]
    fn runs_of_words_give_the_snippet_of_words_one_by_one() {
        let mut html = String::new();
        for k in 0..40 {
            let words: Vec<String> = (0..60).map(|w| "m".repeat(1 + (w * 7 + k) % 9)).collect();
            let text = words.join(" ");
            html.push_str(&format!(
                "<p class=\"{}\">{text}</p><p>{}<b>{}</b> {}</p>",
                "c".repeat(k),
                &text[..k * 4],
                &text[k..k * 3],
                &text[k * 2..]
            ));
        }
        // French text: accents, non-breaking spaces, a thin one, runs cut inside a word.
        let french = "Déclarer un changement de situation\u{a0}: délai de réponse\u{202f}? \
            Les pièces à fournir (état civil, justificatif) sont listées ci-dessous. ";
        let mut more = String::new();
        for k in 0..40 {
            let text = french.repeat(1 + k % 3);
            let cut = text.char_indices().nth(k * 3).map_or(0, |(i, _)| i);
            more.push_str(&format!(
                "<p class=\"{}\">{text}</p><p>{}<b>{}</b>  {}</p>",
                "é".repeat(k),
                &text[..cut],
                &text[cut..],
                "mot".repeat(k)
            ));
        }
        html.push_str(&more);
        assert_eq!(snippets_as_the_reference(&html, "p"), 160);
    }
}
