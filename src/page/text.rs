//! Where text breaks between elements: the one place that decides whether two pieces of text
//! gathered from the DOM are separate words, by the HTML rendering defaults (the
//! cascade's `display` is applied above, in `css::text`).
//!
//! A `<br>` and the boundaries of block-level boxes (`p`, `div`, `li`, `h1`…) separate words on
//! screen, and accname 1.2 (step 2F) and HTML-AAM give them a space in names from content too:
//! `<p>République<br>Française</p>` reads « République Française », not « RépubliqueFrançaise »
//! (the DSFR logo in the header and footer of every State site). Inline elements (`span`, `b`,
//! `a`…) do not: `<b>Ré</b>publique` is one word. The display comes from the cascade when a
//! style rule sets it, else from the HTML rendering defaults.

use std::ops::Range;

use ego_tree::NodeId;
use scraper::{ElementRef, Node};

/// Elements whose HTML default display is not inline (HTML § 15.3 "Rendering": flow content,
/// lists, tables, forms, sections; `display: block`, `list-item`, `table*`).
const BLOCK_BY_DEFAULT: [&str; 53] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "optgroup",
    "option",
    "p",
    "plaintext",
    "pre",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "xmp",
];

/// [`BLOCK_BY_DEFAULT`] as atoms: asked of every element of every text walk, its name is
/// compared as an integer instead of being read back as text and matched.
static BLOCK_ATOMS: std::sync::LazyLock<crate::page::AtomSet> =
    std::sync::LazyLock::new(|| crate::page::AtomSet::new(&BLOCK_BY_DEFAULT));

/// Whether an element's HTML default display is not inline ([`BLOCK_BY_DEFAULT`]).
#[inline]
pub fn block_by_default(e: &scraper::node::Element) -> bool {
    BLOCK_ATOMS.contains(&e.name.local)
}

/// Whether an element's content is never text on screen (`script`, `style`, `template`,
/// `noscript`): every text walk skips it. Names compared as atoms, on every element walked.
pub fn never_text(e: &scraper::node::Element) -> bool {
    use html5ever::local_name as n;
    let name = &e.name.local;
    *name == n!("script")
        || *name == n!("style")
        || *name == n!("template")
        || *name == n!("noscript")
}

/// Text content of an element with word breaks where `breaks` says a child element separates
/// words (a space on both sides), skipping `<script>`, `<style>`, `<template>`, `<noscript>`
/// (iterative, so deep nesting cannot overflow the stack). Not space-normalised. The cascade's
/// version (display set by style rules) is `css::text::text_with_breaks`.
pub fn text_with_breaks_by(el: ElementRef<'_>, breaks: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    crate::format::built_in_scratch(|out| {
        pieces(el, breaks, |piece| {
            out.push_str(piece);
            true
        })
    })
}

/// The same text space-normalised (as `normalize_space` of it), written in one pass: the
/// words, one space between them, no copy of the raw text first.
pub fn normalized_text_with_breaks_by(
    el: ElementRef<'_>,
    breaks: &dyn Fn(ElementRef<'_>) -> bool,
) -> String {
    normalized_text_and_part(el, breaks, None).0
}

/// [`normalized_text_with_breaks_by`] of `el`, and where in it the normalised text of `part`,
/// an element below `el`, lies (`None` when the walk does not enter it: it is not below `el`,
/// or it is below or is a skipped `<script>`…). That text is the slice without its leading
/// space: `part`'s words are written in the same order with the same spaces between them.
pub fn normalized_text_and_part(
    el: ElementRef<'_>,
    breaks: &dyn Fn(ElementRef<'_>) -> bool,
    part: Option<NodeId>,
) -> (String, Option<Range<usize>>) {
    let mut space = false;
    let (mut start, mut range) = (None, None);
    let out = crate::format::built_in_scratch(|out| {
        walk(el, breaks, part, |event| {
            match event {
                Event::Piece(piece) => {
                    // Words are split at `char::is_whitespace`; ASCII is read byte by byte and only
                    // other characters are decoded. A piece's first word continues the previous
                    // piece's last one (`<b>Ré</b>publique`) unless white space comes first.
                    // Words one plain space apart are written as one run, as they stand.
                    let mut push = |run: &str, space: &mut bool| {
                        if *space && !out.is_empty() {
                            out.push(' ');
                        }
                        *space = false;
                        out.push_str(run);
                    };
                    let (mut i, mut run_start) = (0, None);
                    while let Some((white, len)) = crate::format::white_space_at(piece, i) {
                        if white {
                            let inside_run = run_start.is_some()
                                && piece.as_bytes().get(i) == Some(&b' ')
                                && matches!(
                                    crate::format::white_space_at(piece, i + 1),
                                    Some((false, _))
                                );
                            if !inside_run {
                                if let Some(from) = run_start.take() {
                                    push(piece.get(from..i).unwrap_or_default(), &mut space);
                                }
                                space = true;
                            }
                        } else if run_start.is_none() {
                            run_start = Some(i);
                        }
                        i += len;
                        if !white && len == 1 {
                            // Within the run: its plain words and lone spaces, at once. Past
                            // ASCII only: text in other scripts would ask at every character.
                            i += crate::format::plain_prefix(piece.as_bytes(), i, 0);
                        }
                    }
                    if let Some(from) = run_start {
                        push(piece.get(from..).unwrap_or_default(), &mut space);
                    }
                }
                Event::EnterPart => start = Some(out.len()),
                Event::LeavePart => {
                    if let Some(from) = start {
                        // Past the space written before the part's first word, if any.
                        let from = if out[from..].starts_with(' ') {
                            from + 1
                        } else {
                            from
                        };
                        range = Some(from..out.len().max(from));
                    }
                }
            }
            true
        })
    });
    (out, range)
}

/// Whether that text has anything but white space (the normalised text is not empty), found
/// without building it.
pub fn has_text_by(el: ElementRef<'_>, breaks: &dyn Fn(ElementRef<'_>) -> bool) -> bool {
    let mut found = false;
    pieces(el, breaks, |piece| {
        found = !piece.chars().all(char::is_whitespace);
        !found
    });
    found
}

/// The pieces of an element's text in order (text nodes, and " " at word breaks), handed to
/// `piece` until it returns false.
fn pieces(
    el: ElementRef<'_>,
    breaks: &dyn Fn(ElementRef<'_>) -> bool,
    mut piece: impl FnMut(&str) -> bool,
) {
    walk(el, breaks, None, |event| match event {
        Event::Piece(p) => piece(p),
        Event::EnterPart | Event::LeavePart => true,
    });
}

/// What [`walk`] hands on.
enum Event<'a> {
    /// A text node, or " " at a word break.
    Piece(&'a str),
    /// The walk enters the part it was asked to mark.
    EnterPart,
    /// The walk leaves that part (after the word break that ends it, if any).
    LeavePart,
}

/// [`pieces`], with the entry into and exit from `part` marked.
fn walk(
    el: ElementRef<'_>,
    breaks: &dyn Fn(ElementRef<'_>) -> bool,
    part: Option<NodeId>,
    mut event: impl FnMut(Event<'_>) -> bool,
) {
    enum Step {
        Enter,
        /// Leaving a block: a word break.
        Break,
        /// Leaving `part`, after its break if it has one.
        LeavePart,
    }
    // Most walks are of a link, a label or a heading: their stack stays on the call's own.
    let mut stack: smallvec::SmallVec<[_; 16]> = smallvec::smallvec![(*el, Step::Enter)];
    while let Some((node, step)) = stack.pop() {
        let go_on = match (node.value(), step) {
            (Node::Text(t), _) => event(Event::Piece(t)),
            (_, Step::LeavePart) => event(Event::LeavePart),
            (Node::Element(_), Step::Break) => event(Event::Piece(" ")),
            (Node::Element(e), Step::Enter) => {
                if never_text(e) && node.id() != el.id() {
                    continue;
                }
                if part == Some(node.id()) {
                    if !event(Event::EnterPart) {
                        return;
                    }
                    stack.push((node, Step::LeavePart));
                }
                let separates = node.id() != el.id() && ElementRef::wrap(node).is_some_and(breaks);
                if separates {
                    if !event(Event::Piece(" ")) {
                        return;
                    }
                    stack.push((node, Step::Break));
                }
                // Children pushed last first, so they come out in document order.
                stack.extend(node.children().rev().map(|c| (c, Step::Enter)));
                true
            }
            _ => true,
        };
        if !go_on {
            return;
        }
    }
}

/// Word breaks by the HTML rendering defaults alone: a `<br>` or a block-level element.
pub fn html_breaks_words(el: ElementRef<'_>) -> bool {
    let e = el.value();
    e.name.local == html5ever::local_name!("br") || block_by_default(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{normalize_space, Page};

    /// Every listed name is a block by default, compared as an atom; inline, unknown and
    /// upper-case names (which the parser never writes for HTML) are not.
    #[test]
    fn block_names_by_atom() {
        let element = |n: &str| {
            scraper::node::Element::new(
                html5ever::QualName::new(None, html5ever::ns!(html), n.into()),
                Vec::new(),
            )
        };
        for n in BLOCK_BY_DEFAULT {
            assert!(block_by_default(&element(n)), "{n}");
        }
        for n in [
            "span", "a", "b", "br", "img", "input", "svg", "x-bloc", "DIV", "Div",
        ] {
            assert!(!block_by_default(&element(n)), "{n}");
        }
    }

    #[test]
    fn br_and_blocks_break_words_inline_elements_do_not() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<a id=a href=/><p class="fr-logo">République<br>Française</p></a>
               <div id=b><span>Ré</span>publique<div>Française</div><ul><li>un</li><li>deux</li></ul></div>"#,
        );
        let t = |id: &str| {
            normalize_space(&text_with_breaks_by(
                p.element_by_id(id).expect("element"),
                &html_breaks_words,
            ))
        };
        assert_eq!(t("a"), "République Française");
        assert_eq!(t("b"), "République Française un deux");
    }

    /// The one-pass normalised text and the emptiness test answer as `normalize_space` of the
    /// raw text does, words split across elements and white space of every kind included.
    #[test]
    fn normalised_in_one_pass_as_normalize_space_of_the_text() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            "<div id=a>  <b>Ré</b>publique\u{a0}<i> fran</i>çaise <p>x</p>y<br>z\u{2003}</div>\
             <div id=b> <script>code</script> \n <span> </span><p></p></div>\
             <div id=c><template>t</template><span>\u{3000}</span>.</div><div id=d></div>\
             <p id=e>un<style>s</style>deux<noscript>n</noscript> trois </p>",
        );
        for id in ["a", "b", "c", "d", "e"] {
            let el = p.element_by_id(id).expect("element");
            let raw = text_with_breaks_by(el, &html_breaks_words);
            let expected = normalize_space(&raw);
            assert_eq!(
                normalized_text_with_breaks_by(el, &html_breaks_words),
                expected,
                "{id}"
            );
            assert_eq!(
                has_text_by(el, &html_breaks_words),
                !expected.is_empty(),
                "{id}"
            );
        }
        let a = p.element_by_id("a").expect("a");
        assert_eq!(
            normalized_text_with_breaks_by(a, &html_breaks_words),
            "République française x y z"
        );
        // And every fixture page's body, links, paragraphs, items, labels and headings.
        let mut compared = 0;
        for (_, html) in crate::page::fixture_pages() {
            let p = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
            for el in p.select("body, a, p, li, label, h1, h2, h3, button, td") {
                let expected = normalize_space(&text_with_breaks_by(el, &html_breaks_words));
                assert_eq!(
                    normalized_text_with_breaks_by(el, &html_breaks_words),
                    expected
                );
                compared += usize::from(!expected.is_empty());
            }
        }
        assert!(compared > 1000, "{compared}");
    }
}
