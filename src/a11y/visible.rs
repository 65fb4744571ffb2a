//! What assistive technologies and sighted users get of an element, read from the page's one
//! visibility answer (`css::Visibility`, computed once from the cascade and the markup).

use crate::page::Attribute;
use scraper::{ElementRef, Node};

use crate::css::text::breaks_words;
use crate::css::Cascaded;
use crate::page::Page;

/// Hidden from assistive technologies (not rendered, `aria-hidden="true"` or `inert` on it or
/// an ancestor): rules about the accessibility tree leave it out (ACT: inapplicable).
pub fn is_hidden_from_at(page: &Page, el: ElementRef<'_>) -> bool {
    page.visibility().is_hidden_from_at(el)
}

/// Rendered: no `display: none` up the tree, `visibility` not hidden, not skipped content.
pub fn is_rendered(page: &Page, el: ElementRef<'_>) -> bool {
    page.visibility().is_rendered(el)
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
    let vis = page.visibility();
    let root_at_hidden = vis.is_hidden_from_at(el);
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
                        || (!root_at_hidden && vis.is_hidden_from_at(c))
                        || (!root_css_hidden && css_hidden(c))
                    {
                        continue;
                    }
                    if e.name() == "img" {
                        out.push(' ');
                        out.push_str(e.attribute("alt").unwrap_or(""));
                        out.push(' ');
                        continue;
                    }
                    if breaks_words(page, c) {
                        out.push(' ');
                        stack.push((node, false));
                    }
                }
                stack.extend(node.children().rev().map(|c| (c, true)));
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
}
