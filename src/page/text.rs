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

use scraper::{ElementRef, Node};

/// Elements whose HTML default display is not inline (HTML § 15.3 "Rendering": flow content,
/// lists, tables, forms, sections; `display: block`, `list-item`, `table*`).
pub fn block_by_default(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "caption"
            | "center"
            | "dd"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "dt"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "li"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "optgroup"
            | "option"
            | "p"
            | "plaintext"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "table"
            | "tbody"
            | "td"
            | "tfoot"
            | "th"
            | "thead"
            | "tr"
            | "ul"
            | "xmp"
    )
}

/// Text content of an element with word breaks where `breaks` says a child element separates
/// words (a space on both sides), skipping `<script>`, `<style>`, `<template>`, `<noscript>`
/// (iterative, so deep nesting cannot overflow the stack). Not space-normalised. The cascade's
/// version (display set by style rules) is `css::text::text_with_breaks`.
pub fn text_with_breaks_by(el: ElementRef<'_>, breaks: &dyn Fn(ElementRef<'_>) -> bool) -> String {
    let mut out = String::new();
    // (node, entering): a block is separated on both sides.
    let mut stack = vec![(*el, true)];
    while let Some((node, entering)) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if !entering {
                    out.push(' ');
                    continue;
                }
                if matches!(e.name(), "script" | "style" | "template" | "noscript")
                    && node.id() != el.id()
                {
                    continue;
                }
                let separates = node.id() != el.id() && ElementRef::wrap(node).is_some_and(breaks);
                if separates {
                    out.push(' ');
                    stack.push((node, false));
                }
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, true)));
            }
            _ => {}
        }
    }
    out
}

/// Word breaks by the HTML rendering defaults alone: a `<br>` or a block-level element.
pub fn html_breaks_words(el: ElementRef<'_>) -> bool {
    let name = el.value().name();
    name == "br" || block_by_default(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::{normalize_space, Page};

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
}
