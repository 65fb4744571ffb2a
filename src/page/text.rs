//! Where text breaks between elements: the one place that decides whether two pieces of text
//! gathered from the DOM are separate words.
//!
//! A `<br>` and the boundaries of block-level boxes (`p`, `div`, `li`, `h1`…) separate words on
//! screen, and accname 1.2 (step 2F) and HTML-AAM give them a space in names from content too:
//! `<p>République<br>Française</p>` reads « République Française », not « RépubliqueFrançaise »
//! (the DSFR logo in the header and footer of every State site). Inline elements (`span`, `b`,
//! `a`…) do not: `<b>Ré</b>publique` is one word. The display comes from the cascade when a
//! style rule sets it, else from the HTML rendering defaults.

use scraper::{ElementRef, Node};

use super::Page;

/// Elements whose HTML default display is not inline (HTML § 15.3 "Rendering": flow content,
/// lists, tables, forms, sections; `display: block`, `list-item`, `table*`).
pub(crate) fn block_by_default(name: &str) -> bool {
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

/// Whether a CSS `display` value lays the element out inline (no word break around it).
/// `None` for values that say nothing by themselves (`inherit`, `revert`…).
fn inline_display(display: &str) -> Option<bool> {
    let d = display
        .trim_end_matches("!important")
        .trim()
        .to_ascii_lowercase();
    let first = d.split_ascii_whitespace().next().unwrap_or("");
    match first {
        "" | "inherit" | "unset" | "revert" | "revert-layer" => None,
        // `initial` is `inline`; `contents` leaves no box of its own.
        "initial" | "contents" => Some(true),
        // inline, inline-block, inline-flex, inline-grid, inline-table, ruby…
        f if f.starts_with("inline") || f.starts_with("ruby") => Some(true),
        // Two-value syntax: `inline flow-root` is inline, `block flex` is not.
        "flow" | "flow-root" | "flex" | "grid" | "table" => Some(d.contains("inline")),
        _ => Some(false),
    }
}

/// Whether `el` separates the text before, inside and after it into different words: a `<br>`,
/// or a box that is not inline (by the cascade when a rule sets `display`, else by HTML
/// defaults). `page`: `None` when no cascade is at hand (HTML defaults only).
pub fn breaks_words(page: Option<&Page>, el: ElementRef<'_>) -> bool {
    let name = el.value().name();
    if name == "br" {
        return true;
    }
    if let Some(display) = page
        .and_then(|p| p.styles().get(el))
        .and_then(|c| c.display.as_deref())
        .and_then(inline_display)
    {
        return !display;
    }
    block_by_default(name)
}

/// Text content of an element with word breaks where the rendering has them (a space for each
/// `<br>` and block boundary), skipping `<script>`, `<style>`, `<template>`, `<noscript>`
/// (iterative, so deep nesting cannot overflow the stack). Not space-normalised.
pub fn text_with_breaks(page: Option<&Page>, el: ElementRef<'_>) -> String {
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
                let breaks = node.id() != el.id()
                    && match page {
                        None => e.name() == "br" || block_by_default(e.name()),
                        Some(_) => ElementRef::wrap(node).is_some_and(|c| breaks_words(page, c)),
                    };
                if breaks {
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

/// The text a sighted user sees in `el` (RGAA « intitulé visible »): its text with word
/// breaks, the `alt` of its images (text in an image counts), without what is not rendered
/// (`hidden`, `aria-hidden`, inline or cascaded `display: none`, `visibility: hidden`, text moved
/// off-screen or clipped as `.sr-only` does). When `el` itself is off-screen (a skip link shown
/// on focus), only markup hiding is looked at below it. Not space-normalised.
pub fn visible_text(page: &Page, el: ElementRef<'_>) -> String {
    let styles = page.styles();
    let css_hidden = |e: ElementRef<'_>| styles.get(e).is_some_and(|c| c.hidden.is_some());
    let root_css_hidden = css_hidden(el);
    let mut out = String::new();
    let mut stack = vec![(*el, true)];
    while let Some((node, entering)) = stack.pop() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                if !entering {
                    out.push(' ');
                    continue;
                }
                let Some(c) = ElementRef::wrap(node) else {
                    continue;
                };
                if node.id() != el.id() {
                    if matches!(e.name(), "script" | "style" | "template" | "noscript")
                        || crate::a11y::roles::hides(node)
                        || (!root_css_hidden && css_hidden(c))
                    {
                        continue;
                    }
                    if e.name() == "img" {
                        out.push(' ');
                        out.push_str(e.attr("alt").unwrap_or(""));
                        out.push(' ');
                        continue;
                    }
                    if breaks_words(Some(page), c) {
                        out.push(' ');
                        stack.push((node, false));
                    }
                }
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, true)));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::page::normalize_space;

    fn page(html: &str) -> Page {
        Page::parse(url::Url::parse("http://t.test/").expect("url"), html)
    }

    #[test]
    fn br_and_blocks_break_words_inline_elements_do_not() {
        let p = page(
            r#"<a id=a href=/><p class="fr-logo">République<br>Française</p></a>
               <div id=b><span>Ré</span>publique<div>Française</div><ul><li>un</li><li>deux</li></ul></div>"#,
        );
        let t = |id: &str| {
            normalize_space(&text_with_breaks(
                Some(&p),
                p.element_by_id(id).expect("element"),
            ))
        };
        assert_eq!(t("a"), "République Française");
        assert_eq!(t("b"), "République Française un deux");
    }

    #[test]
    fn the_cascade_display_wins_over_html_defaults() {
        let p = page(
            r#"<style>.i { display: inline } .b { display: block } .f { display: inline-flex }</style>
               <div id=a><p class=i>Ré</p><p class=i>publique</p></div>
               <div id=b><span class=b>Ré</span><span>publique</span></div>
               <div id=c><span class=f>Ré</span><span>publique</span></div>"#,
        );
        let t = |id: &str| {
            normalize_space(&text_with_breaks(
                Some(&p),
                p.element_by_id(id).expect("element"),
            ))
        };
        assert_eq!(t("a"), "République");
        assert_eq!(t("b"), "Ré publique");
        assert_eq!(t("c"), "République");
        // Without the cascade, HTML defaults.
        let a = p.element_by_id("a").expect("a");
        assert_eq!(normalize_space(&text_with_breaks(None, a)), "Ré publique");
    }

    #[test]
    fn visible_text_leaves_out_what_is_not_rendered() {
        let p = page(
            r#"<style>.sr-only { position: absolute; clip: rect(0 0 0 0) } .n { display: none }</style>
               <a id=a href=/>Télécharger<span class=sr-only> le guide</span><span class=n>x</span>
               <span aria-hidden=true>→</span><img src=p.png alt="(PDF)"></a>
               <a id=s class=sr-only href=#c>Aller <b>au contenu</b><span hidden>!</span></a>"#,
        );
        let t = |id: &str| normalize_space(&visible_text(&p, p.element_by_id(id).expect(id)));
        assert_eq!(t("a"), "Télécharger (PDF)");
        // An off-screen skip link: its own text still counts.
        assert_eq!(t("s"), "Aller au contenu");
    }

    #[test]
    fn display_values() {
        assert_eq!(inline_display("inline-block"), Some(true));
        assert_eq!(inline_display("block !important"), Some(false));
        assert_eq!(inline_display("flex"), Some(false));
        assert_eq!(inline_display("inline flow-root"), Some(true));
        assert_eq!(inline_display("list-item"), Some(false));
        assert_eq!(inline_display("inherit"), None);
    }
}
