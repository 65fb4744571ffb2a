//! An element as the `selectors` crate matches it, with its classes read from the `class`
//! attribute instead of interned.
//!
//! scraper's own `selectors::Element` answers `has_class` from `Element::classes`, which turns
//! each class of the element into an atom on first use and keeps them in a boxed list: a hash
//! and, for the names outside html5ever's static set (all of a design system's), a global
//! lock. The cascade asks it of nearly every element: a design-system page paid ~550
//! allocations and ~130 insertions into the process-wide atom set, which the next page made
//! again once this one's atoms were dropped, and threads shared those atoms' counts. Every
//! other answer is scraper's.

use scraper::node::Element;
use scraper::selector::{CssLocalName, CssString, NonTSPseudoClass, PseudoElement, Simple};
use scraper::ElementRef;
use selectors::attr::{AttrSelectorOperation, CaseSensitivity, NamespaceConstraint};
use selectors::bloom::BloomFilter;
use selectors::matching::{
    matches_selector, ElementSelectorFlags, MatchingContext, MatchingForInvalidation, MatchingMode,
    NeedsSelectorFlags, QuirksMode, SelectorCaches,
};
use selectors::parser::{AncestorHashes, Selector};
use selectors::OpaqueElement;
use smallvec::SmallVec;

/// Whether `el` matches `selector` as the audit matches selectors (no quirks mode, no scope
/// element), with the ancestor fast-reject when `hashes` and `bloom` are given.
pub fn matches(
    selector: &Selector<Simple>,
    hashes: Option<&AncestorHashes>,
    el: ElementRef<'_>,
    bloom: Option<&BloomFilter>,
    caches: &mut SelectorCaches,
) -> bool {
    let mut ctx = MatchingContext::new(
        MatchingMode::Normal,
        bloom,
        caches,
        QuirksMode::NoQuirks,
        NeedsSelectorFlags::No,
        MatchingForInvalidation::No,
    );
    matches_selector(selector, 0, hashes, &MatchElement(el), &mut ctx)
}

/// An element to match selectors against (see the module's comment).
#[derive(Debug, Clone, Copy)]
pub struct MatchElement<'a>(pub ElementRef<'a>);

/// The words of the element's `class` attributes, split as `Element::classes` splits them
/// (ASCII white space), each once, in the order of their first appearance.
pub fn classes(e: &Element) -> impl Iterator<Item = &str> {
    let mut seen: SmallVec<[&str; 8]> = SmallVec::new();
    class_words(e).filter(move |c| {
        if seen.contains(c) {
            false
        } else {
            seen.push(c);
            true
        }
    })
}

/// The words of the element's `class` attributes, repeats included.
fn class_words(e: &Element) -> impl Iterator<Item = &str> {
    e.attrs
        .iter()
        // Compared as atoms: read back as text, every attribute name of every element
        // matched against a class selector was looked up in the atom table.
        .filter(|(name, _)| name.local == html5ever::local_name!("class"))
        .flat_map(|(_, value)| value.split_ascii_whitespace())
}

impl selectors::Element for MatchElement<'_> {
    type Impl = Simple;

    fn opaque(&self) -> OpaqueElement {
        OpaqueElement::new(self.0.value())
    }

    fn parent_element(&self) -> Option<Self> {
        self.0.parent().and_then(ElementRef::wrap).map(MatchElement)
    }

    fn parent_node_is_shadow_root(&self) -> bool {
        false
    }

    fn containing_shadow_host(&self) -> Option<Self> {
        None
    }

    fn is_pseudo_element(&self) -> bool {
        false
    }

    fn prev_sibling_element(&self) -> Option<Self> {
        self.0
            .prev_siblings()
            .find_map(ElementRef::wrap)
            .map(MatchElement)
    }

    fn next_sibling_element(&self) -> Option<Self> {
        self.0
            .next_siblings()
            .find_map(ElementRef::wrap)
            .map(MatchElement)
    }

    fn first_element_child(&self) -> Option<Self> {
        self.0
            .children()
            .find_map(ElementRef::wrap)
            .map(MatchElement)
    }

    fn is_html_element_in_html_document(&self) -> bool {
        self.0.value().name.ns == html5ever::ns!(html)
    }

    fn has_local_name(&self, name: &CssLocalName) -> bool {
        self.0.value().name.local == name.0
    }

    fn has_namespace(&self, namespace: &html5ever::Namespace) -> bool {
        &self.0.value().name.ns == namespace
    }

    fn is_same_type(&self, other: &Self) -> bool {
        self.0.value().name == other.0.value().name
    }

    fn attr_matches(
        &self,
        ns: &NamespaceConstraint<&html5ever::Namespace>,
        local_name: &CssLocalName,
        operation: &AttrSelectorOperation<&CssString>,
    ) -> bool {
        self.0.value().attrs.iter().any(|(key, value)| {
            !matches!(*ns, NamespaceConstraint::Specific(url) if *url != key.ns)
                && local_name.0 == key.local
                && operation.eval_str(value)
        })
    }

    fn match_non_ts_pseudo_class(
        &self,
        _pc: &NonTSPseudoClass,
        _context: &mut MatchingContext<'_, Simple>,
    ) -> bool {
        false
    }

    fn match_pseudo_element(
        &self,
        _pe: &PseudoElement,
        _context: &mut MatchingContext<'_, Simple>,
    ) -> bool {
        false
    }

    fn apply_selector_flags(&self, _flags: ElementSelectorFlags) {}

    fn is_link(&self) -> bool {
        // As scraper answers (`:link` and `:any-link` are not evaluated statically).
        self.0.value().name.local == html5ever::local_name!("link")
    }

    fn is_html_slot_element(&self) -> bool {
        true
    }

    fn has_id(&self, id: &CssLocalName, case_sensitivity: CaseSensitivity) -> bool {
        self.0
            .value()
            .id()
            .is_some_and(|val| case_sensitivity.eq(id.0.as_bytes(), val.as_bytes()))
    }

    fn has_class(&self, name: &CssLocalName, case_sensitivity: CaseSensitivity) -> bool {
        class_words(self.0.value()).any(|c| case_sensitivity.eq(c.as_bytes(), name.0.as_bytes()))
    }

    fn has_custom_state(&self, _name: &CssLocalName) -> bool {
        false
    }

    fn imported_part(&self, _: &CssLocalName) -> Option<CssLocalName> {
        None
    }

    fn is_part(&self, _name: &CssLocalName) -> bool {
        false
    }

    fn is_empty(&self) -> bool {
        !self
            .0
            .children()
            .any(|child| child.value().is_element() || child.value().is_text())
    }

    fn is_root(&self) -> bool {
        self.0
            .parent()
            .is_some_and(|parent| parent.value().is_document())
    }

    fn add_element_unique_hashes(&self, _filter: &mut BloomFilter) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    /// Each selector, on each element of a page made to tell them apart, matches as scraper's
    /// own `Element` matches it; and the classes are those `Element::classes` gives.
    #[test]
    fn same_answers_as_scraper() {
        let doc = Html::parse_document(
            r##"<!doctype html><html><body>
            <div id="a" class="x  y x	Z"><p class="y">t</p><p></p><span class=""></span>
            <a href="#" lang="fr-FR" data-v="1 2">l</a><link rel=x></div>
            <svg viewBox="0 0 1 1"><a xlink:href="u" class="x"/></svg>
            <ul><li>1</li><li class="x">2</li><li>3</li></ul></body></html>"##,
        );
        let selectors = [
            "*",
            ".x",
            ".y.x",
            ".Z",
            ".z",
            "#a",
            "#A",
            "div > p",
            "div p:first-child",
            "p:empty",
            "span:empty",
            ":root",
            "li:nth-child(2n+1)",
            "li:last-of-type",
            "p + p",
            "p ~ a",
            "[lang|=fr]",
            "[data-v~='2']",
            "[href^='#']",
            "a:not(.x)",
            "svg a",
            "svg [viewBox]",
            "svg [viewbox]",
            "link",
            "li:is(.x, :first-child)",
            ".x:not(:has(p))",
            "li:nth-last-child(-n+2)",
            "ul :only-child",
        ];
        let all = Selector::parse("*").expect("selector");
        for text in selectors {
            let selector = Selector::parse(text).expect(text);
            let mut parser = cssparser::Parser::new(text);
            let list = selectors::parser::SelectorList::<Simple>::parse(
                &scraper::selector::Parser,
                &mut parser,
                selectors::parser::ParseRelative::No,
            )
            .expect("list");
            for el in doc.select(&all) {
                let mut caches = SelectorCaches::default();
                let ours = list
                    .slice()
                    .iter()
                    .any(|s| matches(s, None, el, None, &mut caches));
                assert_eq!(ours, selector.matches(&el), "{text} on {:?}", el.value());
            }
        }
        for el in doc.select(&all) {
            let e = el.value();
            #[allow(clippy::disallowed_methods)]
            let mut expected: Vec<&str> = e.classes().collect();
            let mut got: Vec<&str> = classes(e).collect();
            expected.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, expected, "{e:?}");
        }
    }
}
