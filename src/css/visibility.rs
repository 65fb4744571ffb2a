//! One visibility answer per element, computed once per page from the cascade and the markup,
//! and read by every rule: is the element rendered, and is it hidden from assistive
//! technologies (ACT glossary « Included in the accessibility tree », HTML-AAM)?
//!
//! Rendered: no `display: none` on it or an ancestor (author sheets, `style` attributes, the
//! `hidden` attribute unless a rule shows it again), `visibility` not `hidden`/`collapse`, not
//! inside `content-visibility: hidden`, not `<input type=hidden>`. Hidden from assistive
//! technologies: not rendered, or `aria-hidden="true"` or `inert` on it or an ancestor.
//!
//! Where a rule we could not evaluate (a pseudo-class like `:has`, an `@media` we cannot
//! decide) may change `display`/`visibility` of the element or an ancestor, the cascade is not
//! trusted and the markup alone decides (`hidden`, inline `display:none` / `visibility:hidden`),
//! so that doubt never hides an element from the rules (no false pass).

use scraper::ElementRef;

use super::Cascaded;
use crate::page::{node_index, Derived, DerivedSlot, Page};

/// Not rendered (by the cascade, or by markup where the cascade is in doubt).
const NOT_RENDERED: u8 = 1;
/// Hidden from assistive technologies.
const HIDDEN_AT: u8 = 1 << 1;
/// `aria-hidden="true"` on the element or an ancestor.
const ARIA_HIDDEN: u8 = 1 << 2;
/// `inert` on the element or an ancestor.
const INERT: u8 = 1 << 3;
/// Not rendered by markup alone (`hidden`, inline `display:none` / `visibility:hidden`,
/// `<input type=hidden>`) on the element or an ancestor: the answer when the cascade is unsure.
const MARKUP_NOT_RENDERED: u8 = 1 << 4;

/// The visibility of every element of a page.
#[derive(Debug, Default)]
pub struct Visibility {
    /// Each node's bits, by [`node_index`] (0 for nodes that are not elements).
    bits: Vec<u8>,
}

impl Visibility {
    /// One pre-order pass over the document after the cascade.
    pub fn compute(page: &Page) -> Visibility {
        let styles = page.styles();
        // Sized once: an entry per element (the node count bounds it).
        let mut bits: Vec<u8> = vec![0; page.dom.tree.nodes().len()];
        // A modal dialog open in the browser makes the rest of the document inert.
        let modal = page
            .browser
            .as_ref()
            .and_then(|b| b.modal)
            .and_then(|m| page.marked(m));
        for node in page.root().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            let inherited = node
                .parent()
                .and_then(|p| bits.get(node_index(p.id())))
                .copied()
                .unwrap_or(0);
            let e = el.value();
            let mut b = inherited & (ARIA_HIDDEN | INERT | MARKUP_NOT_RENDERED);
            // The attributes read here, in one pass comparing names as atoms: four lookups by
            // text on every element were a tenth of this pass.
            let (mut aria_hidden, mut inert, mut hidden, mut style, mut kind) =
                (None, false, false, None, None);
            for (q, v) in e.attrs.iter() {
                if q.ns != html5ever::ns!() {
                    continue;
                }
                let name = &q.local;
                if *name == html5ever::local_name!("aria-hidden") {
                    aria_hidden = aria_hidden.or(Some(&**v));
                } else if *name == html5ever::local_name!("inert") {
                    inert = true;
                } else if *name == html5ever::local_name!("hidden") {
                    hidden = true;
                } else if *name == html5ever::local_name!("style") {
                    style = style.or(Some(&**v));
                } else if *name == html5ever::local_name!("type") {
                    kind = kind.or(Some(&**v));
                }
            }
            if aria_hidden.is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
                b |= ARIA_HIDDEN;
            }
            if let Some(dialog) = modal {
                if node.id() == dialog.id() {
                    // Only the dialog's own `inert` can make it inert, not its blocked ancestors.
                    b &= !INERT;
                } else if !node.ancestors().any(|a| a.id() == dialog.id()) {
                    b |= INERT;
                }
            }
            if inert {
                b |= INERT;
            }
            let hidden_input = e.name.local == html5ever::local_name!("input")
                && kind.is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"));
            if hidden_input || hidden || style.is_some_and(style_hides) {
                b |= MARKUP_NOT_RENDERED;
            }
            let not_rendered = match styles.get(el) {
                Some(c) if !c.display_doubt => {
                    c.not_rendered || c.invisible || c.content_skipped || hidden_input
                }
                _ => b & MARKUP_NOT_RENDERED != 0,
            };
            if not_rendered {
                b |= NOT_RENDERED;
            }
            if b & (NOT_RENDERED | ARIA_HIDDEN | INERT) != 0 {
                b |= HIDDEN_AT;
            }
            if let Some(slot) = bits.get_mut(node_index(node.id())) {
                *slot = b;
            }
        }
        Visibility { bits }
    }

    fn get(&self, el: ElementRef<'_>) -> u8 {
        self.bits.get(node_index(el.id())).copied().unwrap_or(0)
    }

    /// Whether the element is rendered (laid out and visible).
    pub fn is_rendered(&self, el: ElementRef<'_>) -> bool {
        self.get(el) & NOT_RENDERED == 0
    }

    /// Whether the element is hidden from assistive technologies (not in the accessibility
    /// tree): not rendered, `aria-hidden="true"` or `inert` on it or an ancestor.
    pub fn is_hidden_from_at(&self, el: ElementRef<'_>) -> bool {
        self.get(el) & HIDDEN_AT != 0
    }

    /// Whether the element is inert (`inert` on it or an ancestor).
    pub fn is_inert(&self, el: ElementRef<'_>) -> bool {
        self.get(el) & INERT != 0
    }
}

impl Derived for Visibility {
    const SLOT: DerivedSlot = DerivedSlot::Visibility;
}

/// Whether an inline style keeps its element from being rendered: `display:none` or
/// `visibility:hidden`, read as written (as before the cascade knew).
fn style_hides(style: &str) -> bool {
    let s: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modal_dialog_open_in_the_browser_makes_the_rest_inert() {
        let html = r#"<main><iframe id=outside srcdoc="<a href=/>x</a>"></iframe></main>
            <dialog open data-vigie-ref="3"><button id=inside>Fermer</button></dialog>"#;
        let url = url::Url::parse("http://t.test/").expect("url");
        let mut p = Page::parse(url.clone(), html);
        p.browser = Some(crate::page::browser::BrowserFacts {
            modal: Some(3),
            ..Default::default()
        });
        let vis = p.visibility();
        let get = |id: &str| p.element_by_id(id).expect(id);
        assert!(vis.is_inert(get("outside")) && vis.is_hidden_from_at(get("outside")));
        assert!(!vis.is_inert(get("inside")) && !vis.is_hidden_from_at(get("inside")));
        // Served, or a non-modal dialog: nothing is blocked.
        let served = Page::parse(url, html);
        assert!(!served
            .visibility()
            .is_inert(served.element_by_id("outside").expect("outside")));
    }

    #[test]
    fn cascade_and_markup_give_one_answer() {
        let p = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<style>.n { display: none } .v { visibility: hidden } .v .back { visibility: visible }
               .shown[hidden] { display: block } .cv { content-visibility: hidden }
               .m { display: none } @media (min-aspect-ratio: 16/9) { .m { display: block } }</style>
               <div class=n><p id=n>x</p></div><div class=v><p id=v>x</p><p class=back id=back>x</p></div>
               <div hidden><p id=h>x</p></div><div hidden class=shown><p id=shown>x</p></div>
               <div aria-hidden=true><p id=aria>x</p></div><div inert><p id=inert>x</p></div>
               <div class=cv id=cv><p id=skipped>x</p></div><p id=m class=m>x</p>
               <p id=inline style="display:none">x</p><input id=hi type=hidden>
               <dialog><p id=dialog>x</p></dialog><map name=m><area id=area href=/ alt=a></map>"#,
        );
        let vis = p.visibility();
        let get = |id: &str| p.element_by_id(id).expect(id);
        let rendered = |id: &str| vis.is_rendered(get(id));
        let exposed = |id: &str| !vis.is_hidden_from_at(get(id));
        for id in ["n", "v", "h", "skipped", "inline", "hi"] {
            assert!(!rendered(id) && !exposed(id), "{id}");
        }
        for id in ["back", "shown", "cv", "area"] {
            assert!(rendered(id) && exposed(id), "{id}");
        }
        // Rendered but not exposed.
        for id in ["aria", "inert"] {
            assert!(rendered(id) && !exposed(id), "{id}");
        }
        assert!(vis.is_inert(get("inert")));
        // A rule we cannot evaluate may show it: the markup decides (nothing hides it).
        assert!(rendered("m") && exposed("m"));
        // Browser defaults other than `hidden` stay with markup rules, as before.
        assert!(exposed("dialog"));
    }
}
