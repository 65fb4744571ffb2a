//! Attribute lookup by name without interning the name.
//!
//! scraper's `attr` turns the name into an atom (a hash and a table lookup, or a global lock
//! for names outside html5ever's static set) and binary-searches the element's attributes; the
//! rules ask for attributes millions of times in a campaign, on elements that carry two or
//! three. A scan comparing bytes costs a fraction of that. `clippy.toml` forbids the slow one.

use scraper::node::Element;
use scraper::ElementRef;

/// The value of an attribute in no namespace (as `Element::attr`), by a scan of the element's
/// attributes.
pub trait Attribute<'a> {
    fn attribute(&self, name: &str) -> Option<&'a str>;
}

impl<'a> Attribute<'a> for &'a Element {
    #[inline]
    fn attribute(&self, name: &str) -> Option<&'a str> {
        self.attrs
            .iter()
            .find(|(q, _)| is_default(&q.ns) && &*q.local == name)
            .map(|(_, v)| &**v)
    }
}

/// Whether the element has this attribute in no namespace, the name given as an atom (a name
/// known in advance, such as a selector's): compared as integers, not read back as text.
#[inline]
pub fn has_attribute_atom(e: &Element, name: &html5ever::LocalName) -> bool {
    attribute_atom(e, name).is_some()
}

/// The value of an attribute in no namespace, the name given as an atom (`local_name!`): for
/// the lookups made on every element (the cascade, visibility), where reading each attribute's
/// name back as text to compare it was most of the lookup.
#[inline]
pub fn attribute_atom<'a>(e: &'a Element, name: &html5ever::LocalName) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(q, _)| is_default(&q.ns) && q.local == *name)
        .map(|(_, v)| &**v)
}

/// The element's language code as written: `lang`, else `xml:lang` (the name HTML's parser
/// keeps, in no namespace, on HTML elements; on SVG it becomes `lang` in the XML namespace,
/// which is not HTML's and is not read). Names compared as atoms: the language guess asks it
/// of every element of the page.
pub fn lang_attribute(e: &Element) -> Option<&str> {
    static XML_LANG: std::sync::LazyLock<html5ever::LocalName> =
        std::sync::LazyLock::new(|| html5ever::LocalName::from("xml:lang"));
    attribute_atom(e, &html5ever::local_name!("lang")).or_else(|| attribute_atom(e, &XML_LANG))
}

/// A fixed set of names, asked of every element: searched by each atom's identity (the integer
/// interning gives it), with no hashing and no read of the names' text. The atoms are kept, so
/// that a name outside html5ever's static set keeps the one identity every later use shares.
pub struct AtomSet {
    /// The atoms' identities, sorted: searched as plain integers.
    keys: Vec<u64>,
    /// The atoms themselves, held so that each identity stays theirs.
    _atoms: Vec<html5ever::LocalName>,
}

impl AtomSet {
    pub fn new(names: &[&str]) -> AtomSet {
        let atoms: Vec<html5ever::LocalName> = names.iter().map(|&n| n.into()).collect();
        let mut keys: Vec<u64> = atoms.iter().map(|a| a.unsafe_data()).collect();
        keys.sort_unstable();
        keys.dedup();
        AtomSet {
            keys,
            _atoms: atoms,
        }
    }

    #[inline]
    pub fn contains(&self, name: &html5ever::LocalName) -> bool {
        self.keys.binary_search(&name.unsafe_data()).is_ok()
    }
}

/// Whether an atom is the empty one (no namespace), compared as atoms (one integer) rather than
/// read back as text.
#[inline]
fn is_default<T: Default + PartialEq>(atom: &T) -> bool {
    *atom == T::default()
}

impl<'a> Attribute<'a> for ElementRef<'a> {
    #[inline]
    fn attribute(&self, name: &str) -> Option<&'a str> {
        self.value().attribute(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::{Html, Selector};

    #[test]
    fn same_answers_as_scraper_attr() {
        let doc = Html::parse_document(
            r#"<svg><a xlink:href="x" href="y" xml:lang="fr"></a></svg><p ALT="a" data-x="" lang="en">t</p><a xml:lang="de">u</a><p xml:lang="it" lang=" es">v</p>"#,
        );
        let sel = Selector::parse("a, p").unwrap();
        for el in doc.select(&sel) {
            assert_eq!(
                lang_attribute(el.value()),
                el.attribute("lang").or_else(|| el.attribute("xml:lang"))
            );
            for name in ["href", "xlink:href", "lang", "alt", "ALT", "data-x", "none"] {
                #[allow(clippy::disallowed_methods)]
                let expected = el.value().attr(name);
                assert_eq!(el.attribute(name), expected, "{name}");
                assert_eq!(el.value().attribute(name), expected, "{name}");
                let atom = html5ever::LocalName::from(name);
                assert_eq!(
                    has_attribute_atom(el.value(), &atom),
                    expected.is_some(),
                    "{name}"
                );
                assert_eq!(attribute_atom(el.value(), &atom), expected, "{name}");
            }
        }
    }

    /// An atom set holds exactly its names, static (`div`) or not (`x-bloc`), however the
    /// asked atom was made.
    #[test]
    fn atom_sets_hold_their_names() {
        let set = AtomSet::new(&["div", "x-bloc", "search", "p", "div"]);
        for n in ["div", "x-bloc", "search", "p"] {
            assert!(set.contains(&html5ever::LocalName::from(n)), "{n}");
            assert!(
                set.contains(&html5ever::LocalName::from(n.to_string())),
                "{n}"
            );
        }
        for n in ["span", "x-blo", "DIV", "", "searches"] {
            assert!(!set.contains(&html5ever::LocalName::from(n)), "{n}");
        }
    }
}
