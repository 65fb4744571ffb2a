//! Elements filed by tag and by attribute name, so a literal selector is matched only against
//! the elements its rightmost compound can match: rules ask for dozens of selectors per page,
//! and matching each against every element was the largest share of their time.

use std::borrow::Cow;

use cssparser::Parser as CssParser;
use ego_tree::NodeId;
use precomputed_hash::PrecomputedHash;
use scraper::selector::{CssLocalName, CssString, Parser as ScraperParser, Simple};
use scraper::{ElementRef, Html, Selector};
use selectors::attr::{
    AttrSelectorOperation, AttrSelectorOperator, NamespaceConstraint, ParsedCaseSensitivity,
};
use selectors::matching::{to_unconditional_case_sensitivity, SelectorCaches};
use selectors::parser::{Combinator, Component, ParseRelative, SelectorList};
use selectors::Element as _;

use super::PageKeyed;

/// A literal selector, parsed once for the process, with the buckets that hold every element it
/// can match (`None`: some selector of the list has no tag or attribute in its rightmost
/// compound, so every element is a candidate).
pub(super) struct Literal {
    pub(super) selector: Selector,
    /// The same list, matched through [`MatchElement`] (scraper's own matching interns every
    /// class of the elements it looks at).
    list: Option<SelectorList<Simple>>,
    keys: Option<Vec<Buckets>>,
    /// For each selector of `list`, the tag its rightmost compound names, as written and in
    /// lower case: an element of another name cannot match it, and is not matched in full.
    tags: Vec<Option<(html5ever::LocalName, html5ever::LocalName)>>,
    /// When every selector of the list is a lower-case tag and/or one lower-case attribute,
    /// present or with a value (`a`, `[role~=link]`, `input[type=submit i]`, the rules' usual
    /// questions), possibly below a `body`, or `*` alone: the alternatives, checked on a
    /// candidate by name and value instead of a full selector match.
    exact: Option<Vec<Exact>>,
}

/// `tag[attr]`, either part optional, as atoms: compared with an element's names as integers
/// (interned names are equal exactly when their texts are), not read back as text. Possibly
/// below a `body` (`body a`, `body > table`: the rules' way to leave the head out).
struct Exact {
    tag: Option<html5ever::LocalName>,
    attr: Option<html5ever::LocalName>,
    /// What the attribute's value must be (`[type=submit i]`, `[role~=link]`), if anything.
    value: Option<(AttrSelectorOperator, ParsedCaseSensitivity, CssString)>,
    below_body: Option<BelowBody>,
}

/// How an [`Exact`] lies below a `body` element.
#[derive(Clone, Copy, PartialEq)]
enum BelowBody {
    /// `body X`: some ancestor is a `body`.
    Descendant,
    /// `body > X`: the parent is a `body`.
    Child,
}

impl Exact {
    fn matches(&self, el: ElementRef<'_>) -> bool {
        let e = el.value();
        let is_body = |n: ego_tree::NodeRef<'_, scraper::Node>| {
            n.value()
                .as_element()
                .is_some_and(|p| p.name.local == html5ever::local_name!("body"))
        };
        self.tag.as_ref().is_none_or(|t| e.name.local == *t)
            && self.attr.as_ref().is_none_or(|a| match &self.value {
                None => super::attribute::has_attribute_atom(e, a),
                // What `selectors` asks of the element for this component, case rules included.
                Some((operator, case, value)) => {
                    let element = super::MatchElement(el);
                    element.attr_matches(
                        &NamespaceConstraint::Specific(&html5ever::ns!()),
                        &CssLocalName(a.clone()),
                        &AttrSelectorOperation::WithValue {
                            operator: *operator,
                            case_sensitivity: to_unconditional_case_sensitivity(*case, &element),
                            value,
                        },
                    )
                }
            })
            && match self.below_body {
                None => true,
                Some(BelowBody::Child) => el.parent().is_some_and(is_body),
                Some(BelowBody::Descendant) => el.ancestors().any(is_body),
            }
    }
}

/// A tag or attribute name by its atom's hash, or a class by [`class_hash`]: two names sharing
/// a hash share a bucket, which only adds candidates (each is matched in full).
enum Key {
    Tag(u32),
    Attr(u32),
    Class(u64),
}

/// A class name's hash, ignoring ASCII case (quirks-mode documents match classes so): FNV-1a
/// over the lower-cased bytes, computed without interning the name.
fn class_hash(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Literal {
    pub(super) fn new(text: &str, selector: Selector) -> Literal {
        // Parsed again into `selectors`' own list: scraper's `Selector` does not show its parts.
        let mut parser = CssParser::new(text);
        let list = SelectorList::<Simple>::parse(&ScraperParser, &mut parser, ParseRelative::No);
        let (keys, exact) = match &list {
            Ok(list) => (keys_of(list), exact_of(list)),
            Err(_) => (None, None),
        };
        let tags = match &list {
            Ok(list) => list.slice().iter().map(subject_tag).collect(),
            Err(_) => Vec::new(),
        };
        Literal {
            selector,
            list: list.ok(),
            tags,
            keys,
            exact,
        }
    }

    /// Whether `el` matches the list (as `Selector::matches`: no scope, no quirks).
    fn matches(&self, el: ElementRef<'_>, caches: &mut SelectorCaches) -> bool {
        let Some(list) = &self.list else {
            return false;
        };
        let name = &el.value().name.local;
        list.slice().iter().zip(&self.tags).any(|(s, tag)| {
            tag.as_ref()
                .is_none_or(|(written, lower)| name == written || name == lower)
                && super::matches(s, None, el, None, caches)
        })
    }
}

/// The tag a selector's rightmost compound names (as written, in lower case), if any: an
/// element matches the selector only if its name is one of them (HTML elements by the lower
/// case, others as written).
fn subject_tag(
    selector: &selectors::parser::Selector<Simple>,
) -> Option<(html5ever::LocalName, html5ever::LocalName)> {
    selector.iter().find_map(|c| match c {
        Component::LocalName(l) => Some((l.name.0.clone(), l.lower_name.0.clone())),
        _ => None,
    })
}

/// The list as [`Exact`] alternatives, when each selector is one compound of at most a
/// lower-case tag and one lower-case attribute (present, or with a value), possibly after a
/// `body` compound and a descendant or child combinator; or the universal selector `*` alone
/// (every element: no namespace is ever declared to the parser). Lower case only: an element
/// in HTML has lower-case names, and outside it (SVG) names match as written, so comparing the
/// names as they are is what the selector does.
fn exact_of(list: &SelectorList<Simple>) -> Option<Vec<Exact>> {
    let lower = |s: &str| !s.bytes().any(|b| b.is_ascii_uppercase());
    let mut out = Vec::new();
    for selector in list.slice() {
        let mut exact = Exact {
            tag: None,
            attr: None,
            value: None,
            below_body: None,
        };
        let mut universal = false;
        for c in selector.iter_raw_parse_order_from(0) {
            match c {
                Component::ExplicitUniversalType => universal = true,
                // `body` then a descendant or child combinator, once: what follows is the
                // subject's compound.
                Component::Combinator(combinator)
                    if exact.below_body.is_none()
                        && !universal
                        && exact.attr.is_none()
                        && exact.tag.as_ref() == Some(&html5ever::local_name!("body")) =>
                {
                    exact.below_body = Some(match combinator {
                        Combinator::Descendant => BelowBody::Descendant,
                        Combinator::Child => BelowBody::Child,
                        _ => return None,
                    });
                    exact.tag = None;
                }
                Component::LocalName(l)
                    if exact.tag.is_none() && l.name == l.lower_name && lower(&l.name.0) =>
                {
                    exact.tag = Some(l.name.0.clone());
                }
                Component::AttributeInNoNamespaceExists {
                    local_name,
                    local_name_lower,
                } if exact.attr.is_none()
                    && local_name == local_name_lower
                    && lower(&local_name.0) =>
                {
                    exact.attr = Some(local_name.0.clone());
                }
                // A value compared as `selectors` compares it (the name is lower case here).
                Component::AttributeInNoNamespace {
                    local_name,
                    operator,
                    value,
                    case_sensitivity,
                } if exact.attr.is_none() => {
                    exact.attr = Some(local_name.0.clone());
                    exact.value = Some((*operator, *case_sensitivity, value.clone()));
                }
                _ => return None,
            }
        }
        // `*[attr]` or `*|*` would need more care than they are worth: only `*` alone (and
        // `body *` is matched in full).
        let alone = exact.tag.is_none() && exact.attr.is_none() && exact.below_body.is_none();
        if alone != universal {
            return None;
        }
        out.push(exact);
    }
    Some(out)
}

/// The buckets of one selector of a list: every element it matches is in one of `keys`'
/// buckets, and also in one of `or`'s when that is not empty (a tag and an attribute: the
/// selector's elements have both, and the smaller set of buckets is read).
struct Buckets {
    keys: smallvec::SmallVec<[Key; 2]>,
    or: smallvec::SmallVec<[Key; 2]>,
}

/// For each selector of the list, a class, a tag or an attribute name that every element it
/// matches has (a class alone: the fewest elements carry it; a tag and an attribute both, to
/// read the smaller bucket). An element's tag or attribute is matched by the lower-case name in
/// HTML and the name as written elsewhere (SVG's `viewBox`): both are keys, so the candidates
/// are never too few.
fn keys_of(list: &SelectorList<Simple>) -> Option<Vec<Buckets>> {
    let mut keys = Vec::new();
    for selector in list.slice() {
        let mut tag = None;
        let mut attr = None;
        let mut class = None;
        for c in selector.iter() {
            match c {
                Component::Class(name) if class.is_none() => {
                    class = Some(class_hash(&name.0));
                }
                Component::LocalName(l) if tag.is_none() => {
                    tag = Some((l.name.precomputed_hash(), l.lower_name.precomputed_hash()));
                }
                Component::AttributeInNoNamespaceExists {
                    local_name,
                    local_name_lower,
                } if attr.is_none() => {
                    attr = Some((
                        local_name.precomputed_hash(),
                        local_name_lower.precomputed_hash(),
                    ));
                }
                Component::AttributeInNoNamespace { local_name, .. } if attr.is_none() => {
                    let h = local_name.precomputed_hash();
                    attr = Some((h, h));
                }
                Component::AttributeOther(a) if attr.is_none() => {
                    attr = Some((
                        a.local_name.precomputed_hash(),
                        a.local_name_lower.precomputed_hash(),
                    ));
                }
                _ => {}
            }
        }
        // A name as written, and in lower case when that differs.
        let both = |(name, lower): (u32, u32), key: fn(u32) -> Key| {
            let mut out = smallvec::SmallVec::new();
            if lower != name {
                out.push(key(lower));
            }
            out.push(key(name));
            out
        };
        keys.push(match (class, tag, attr) {
            (Some(h), _, _) => Buckets {
                keys: smallvec::smallvec![Key::Class(h)],
                or: smallvec::SmallVec::new(),
            },
            (None, Some(tag), attr) => Buckets {
                keys: both(tag, Key::Tag),
                or: attr.map(|a| both(a, Key::Attr)).unwrap_or_default(),
            },
            (None, None, Some(attr)) => Buckets {
                keys: both(attr, Key::Attr),
                or: smallvec::SmallVec::new(),
            },
            (None, None, None) => return None,
        });
    }
    Some(keys)
}

/// The page's elements in the order `Html::select` visits them (the tree's node order, those
/// with a parent), and their positions in that order by tag and by attribute name.
#[derive(Default)]
pub(super) struct ElementIndex {
    nodes: Vec<NodeId>,
    by_tag: PageKeyed<u32, Positions>,
    by_attr: PageKeyed<u32, Positions>,
    by_class: PageKeyed<u64, Positions>,
    /// The elements with at least one `aria-*` attribute (a prefix no name index answers).
    with_aria: Vec<u32>,
    /// Each id: how many elements carry it, and the first in node order (those the parser
    /// took out of the tree included). Filed in the same pass over the nodes.
    pub(super) ids: PageKeyed<String, (usize, NodeId)>,
    /// The class words (each once) and `id` values (each as often as it is given: ids are few,
    /// and most are distinct) of the elements in the tree, in no namespace, as written, one per
    /// line: whether some class or id may hold a text is one search here (in any ASCII case),
    /// not a pass over every element's attributes.
    pub(super) class_and_id_text: String,
}

/// A class word or an `id` value, on a line of [`ElementIndex::class_and_id_text`] (a function
/// of the text alone: the class word is written while its list in `by_class` is borrowed).
fn note_class_or_id(text: &mut String, value: &str) {
    text.push_str(value);
    text.push('\n');
}

/// Most classes and attribute names are on a few elements of a page: kept inline, the lists
/// need no allocation of their own.
type Positions = smallvec::SmallVec<[u32; 4]>;

impl ElementIndex {
    pub(super) fn of(dom: &Html) -> ElementIndex {
        let mut index = ElementIndex::default();
        // Sized for a page of a design system: no growth of the maps on most pages.
        index.nodes.reserve(dom.tree.nodes().len());
        index.by_tag.reserve(64);
        index.by_attr.reserve(64);
        index.by_class.reserve(256);
        // Whether each distinct attribute name is an ARIA one, by the atom's identity (the
        // elements hold the atoms for the whole pass, so an identity is never reused).
        let mut aria_names: rustc_hash::FxHashMap<u64, bool> = rustc_hash::FxHashMap::default();
        for node in dom.tree.nodes() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            if let Some(id) = el.value().id() {
                match index.ids.get_mut(id) {
                    Some(entry) => entry.0 += 1,
                    None => {
                        index.ids.insert(id.to_string(), (1, node.id()));
                    }
                }
            }
            if node.parent().is_none() {
                continue;
            }
            let at = index.nodes.len() as u32;
            index.nodes.push(node.id());
            let e = el.value();
            // The `class` attribute, found in the pass below (as `attribute` finds it).
            let mut class: Option<&str> = None;
            index
                .by_tag
                .entry(e.name.local.precomputed_hash())
                .or_default()
                .push(at);
            for (name, value) in e.attrs.iter() {
                // Told once per distinct name, by its atom's identity: reading each attribute's
                // name back as text loaded its entry from html5ever's table every time.
                let aria = *aria_names
                    .entry(name.local.unsafe_data())
                    .or_insert_with(|| name.local.starts_with("aria-"));
                if aria && index.with_aria.last() != Some(&at) {
                    index.with_aria.push(at);
                }
                if name.ns == html5ever::ns!() {
                    if name.local == html5ever::local_name!("class") {
                        class = class.or(Some(&**value));
                    } else if name.local == html5ever::local_name!("id") {
                        note_class_or_id(&mut index.class_and_id_text, value);
                    }
                }
                let list = index
                    .by_attr
                    .entry(name.local.precomputed_hash())
                    .or_default();
                // An attribute given twice is kept once by the parser; never file it twice.
                if list.last() != Some(&at) {
                    list.push(at);
                }
            }
            // Split as `Element::classes` splits (ASCII white space).
            for class in class.unwrap_or("").split_ascii_whitespace() {
                let list = index.by_class.entry(class_hash(class)).or_default();
                if list.is_empty() {
                    note_class_or_id(&mut index.class_and_id_text, class);
                }
                if list.last() != Some(&at) {
                    list.push(at);
                }
            }
        }
        index
    }

    /// Whether some element in the tree may have a class word or an `id` holding `needle`
    /// (ASCII, no line break), in any ASCII case: `false` is sure.
    pub(super) fn class_or_id_may_hold(&self, needle: &str) -> bool {
        crate::format::find_ignore_ascii_case(&self.class_and_id_text, needle).is_some()
    }

    /// Positions of the elements that may match `literal`, in order; `None`: all of them.
    fn candidates(&self, literal: &Literal) -> Option<Cow<'_, [u32]>> {
        let selectors = literal.keys.as_ref()?;
        let list_of = |k: &Key| match k {
            Key::Tag(t) => self.by_tag.get(t),
            Key::Attr(a) => self.by_attr.get(a),
            Key::Class(c) => self.by_class.get(c),
        };
        let size = |keys: &[Key]| {
            keys.iter()
                .filter_map(list_of)
                .map(|l| l.len())
                .sum::<usize>()
        };
        let mut lists = selectors
            .iter()
            .flat_map(|b| {
                if !b.or.is_empty() && size(&b.or) < size(&b.keys) {
                    &b.or
                } else {
                    &b.keys
                }
            })
            .filter_map(list_of);
        let Some(first) = lists.next() else {
            return Some(Cow::Borrowed(&[]));
        };
        let Some(second) = lists.next() else {
            return Some(Cow::Borrowed(first));
        };
        // A bit per element: the union comes out in order, without a sort (the rules' lists
        // of a dozen tags and attributes gather hundreds of positions).
        let mut bits = vec![0u64; self.nodes.len().div_ceil(64)];
        let mut most = 0;
        for list in [first, second].into_iter().chain(lists) {
            most += list.len();
            for &at in list {
                if let Some(word) = bits.get_mut(at as usize / 64) {
                    *word |= 1 << (at % 64);
                }
            }
        }
        let mut all = Vec::with_capacity(most);
        for (w, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                all.push((w * 64) as u32 + word.trailing_zeros());
                word &= word - 1;
            }
        }
        Some(Cow::Owned(all))
    }

    /// The elements with an `aria-*` attribute, in the order `Html::select` gives them.
    pub(super) fn with_aria<'a>(
        &'a self,
        dom: &'a Html,
    ) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        self.with_aria.iter().filter_map(move |&at| {
            let id = *self.nodes.get(at as usize)?;
            ElementRef::wrap(dom.tree.get(id)?)
        })
    }

    /// The elements matching `literal`, in the order `Html::select` would give them.
    pub(super) fn select<'a>(
        &'a self,
        dom: &'a Html,
        literal: &'a Literal,
    ) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        let candidates = self.candidates(literal);
        let every = candidates.is_none();
        let positions = candidates.unwrap_or(Cow::Borrowed(&[]));
        let count = if every {
            self.nodes.len()
        } else {
            positions.len()
        };
        let mut caches = SelectorCaches::default();
        (0..count).filter_map(move |k| {
            let at = if every {
                k
            } else {
                *positions.get(k)? as usize
            };
            let id = *self.nodes.get(at)?;
            let el = ElementRef::wrap(dom.tree.get(id)?)?;
            let matched = match &literal.exact {
                Some(exact) => exact.iter().any(|x| x.matches(el)),
                None => literal.matches(el, &mut caches),
            };
            matched.then_some(el)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Page;
    use ego_tree::NodeId;
    use scraper::Selector;

    /// What `Page::select` finds for `s` through the index, and what scraper's walk of the
    /// whole tree finds: the same elements, in the same order, is what the index must give.
    fn indexed_and_walked(page: &Page, s: &'static str) -> (Vec<NodeId>, Vec<NodeId>) {
        let walked = page
            .dom
            .select(&Selector::parse(s).expect("selector"))
            .map(|e| e.id())
            .collect();
        (page.select(s).map(|e| e.id()).collect(), walked)
    }

    /// The rules' usual questions are answered by name and value, without a selector match;
    /// what the shortcut cannot read is matched in full.
    #[test]
    fn usual_questions_skip_the_full_match() {
        for (s, exact) in [
            ("*", true),
            ("body a, body > p, body [role]", true),
            ("a, button, input[type=submit], input[type=button]", true),
            (
                "a[href], [role~=link], img[alt=''], input[type=image i]",
                true,
            ),
            ("body *", false),
            ("html body a", false),
            ("*[lang]", false),
            ("input[type=image][alt]", false),
            ("body ~ p", false),
            (":not([disabled])", false),
        ] {
            assert_eq!(super::super::parsed_once(s).exact.is_some(), exact, "{s}");
        }
    }

    /// Every class word and id of every element in the tree of every fixture page is found
    /// in the index's text, in any case; words only spread over two classes, or an attribute
    /// in another namespace, are not.
    #[test]
    fn class_and_id_text_holds_every_class_word_and_id() {
        let mut checked = 0;
        for (_, html) in crate::page::fixture_pages() {
            let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
            for node in page.dom.tree.nodes().filter(|n| n.parent().is_some()) {
                let Some(e) = node.value().as_element() else {
                    continue;
                };
                for (name, value) in e.attrs.iter() {
                    if name.ns != html5ever::ns!() {
                        continue;
                    }
                    let words: Vec<&str> = match &*name.local {
                        "class" => value.split_ascii_whitespace().collect(),
                        "id" if !value.contains('\n') => vec![&**value],
                        _ => continue,
                    };
                    for w in words {
                        assert!(page.class_or_id_may_hold(&w.to_ascii_uppercase()), "{w}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 900, "{checked}");
        let page = Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r##"<div class="fc -b Connex" id="Bouton-FC"><svg><a xlink:href="#connect"></a></svg></div>"##,
        );
        assert!(page.class_or_id_may_hold("connex"));
        assert!(page.class_or_id_may_hold("bouton-fc"));
        assert!(!page.class_or_id_may_hold("fc-b"));
        assert!(!page.class_or_id_may_hold("connect"));
    }

    /// SVG names keep their case (`clipPath`): a selector's tag, compared before a full
    /// match, lets through the element of the name as written as well as in lower case.
    #[test]
    fn camel_case_svg_names_are_candidates() {
        let html = "<svg><clipPath id=c></clipPath><foreignObject><p id=p>x</p></foreignObject>\
                    <linearGradient id=g></linearGradient><title>t</title></svg><p>y</p>";
        let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), html);
        for (s, want) in [
            ("clipPath, b:not(.x)", 1),
            ("clippath, b:not(.x)", 0),
            ("svg foreignObject p, svg linearGradient:not(.x)", 2),
            ("svg FOREIGNOBJECT p, svg title:not(.x)", 1),
        ] {
            let (indexed, walked) = indexed_and_walked(&page, s);
            assert_eq!(indexed, walked, "{s}");
            assert_eq!(indexed.len(), want, "{s}");
        }
    }

    /// Every fixture page, the selectors the rules ask for and some harder ones: the index
    /// gives exactly what a walk of the whole tree gives, in the same order.
    #[test]
    fn same_elements_as_a_whole_walk() {
        let selectors = [
            "a[href]",
            "body",
            "*",
            "input, select, textarea",
            "input[type=password i]",
            "img, input[type=image i], area[href], [role~=img]",
            "table, [role~=table], [role~=grid], [role~=treegrid]",
            "svg[role], svg [role]",
            "[role], img[alt='']",
            "body [lang], body [xml\\:lang]",
            "script:not([src])",
            "label[for] .fr-hint-text",
            "h1, h2, h3, h4, h5, h6, [role~=heading]",
            "[viewBox], foreignObject, [VIEWBOX]",
            "#main, .fr-btn, :root",
            "[tabindex]",
            "TITLE, Body A[HREF]",
            ".fr-footer, a.fr-link, .FR-BTN, #contenu.fr-container, .fr-hint-text",
            "li > .fr-nav__link[aria-current], .a.b, :not(.fr-btn)",
            // Checked by name, without a selector match (`Exact`); SVG keeps `viewBox`.
            "a, button, [role]",
            "[viewbox], input[type], [aria-hidden], svg[focusable]",
            // The universal selector alone is checked by name too; with more, matched in full.
            "*, a[href]",
            "*[lang], [dir]",
            // Below a `body` by name too (one `body` compound, then a descendant or a child).
            "body a, body > p, body [role], body li",
            "body > table[width], body > center > table[width], body * , html body a",
            "body, body + p, body ~ div, body[lang] a, body.x p",
            // Attribute values, compared as `selectors` compares them.
            "input[type=submit i], [role~=link], a[href^=http], img[alt='']",
            "[TYPE=text], input[type=Text], [lang|=fr], a[href$='.pdf' s], a[href*=dsfr]",
            "input[type=image][alt], [role~=img], svg [viewBox=x], [role=BUTTON]",
            // Matched in full only by the elements of the name their last compound gives.
            "a, button:not([disabled]), input[type=submit i], [role~=button]",
            "body a, body button, svg title, Svg Title, svg foreignObject, FOREIGNOBJECT p",
            "DIV.fr-container, clipPath, clippath, linearGradient, path[d]:not([fill])",
            // A tag and an attribute: the candidates come from the smaller of their buckets.
            "div[id], div[width], span[title], p[lang], a[download], DIV[Class], li[aria-current]",
        ];
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from("fixtures")];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "html") {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 100, "fixtures not found");
        let url = url::Url::parse("http://example.test/").expect("url");
        let (mut compared, mut with_aria) = (0, 0);
        for file in &files {
            let Ok(bytes) = std::fs::read(file) else {
                continue;
            };
            let page = Page::parse(url.clone(), &String::from_utf8_lossy(&bytes));
            for s in selectors {
                let (indexed, walked) = indexed_and_walked(&page, s);
                assert_eq!(indexed, walked, "{s} in {}", file.display());
                compared += walked.len();
            }
            let walked: Vec<_> = page
                .dom
                .select(&Selector::parse("*").expect("selector"))
                .filter(|e| e.value().attrs().any(|(n, _)| n.starts_with("aria-")))
                .map(|e| e.id())
                .collect();
            let indexed: Vec<_> = page.with_aria_attributes().map(|e| e.id()).collect();
            assert_eq!(indexed, walked, "aria-* in {}", file.display());
            with_aria += walked.len();
        }
        assert!(
            with_aria > 100,
            "{with_aria} elements with aria-* attributes"
        );
        assert!(compared > 1000);
        // Where a `body` ancestor is not plain: content of a template in the head, a body the
        // parser detached (a frameset after it), a second body tag, no body tag at all.
        for html in [
            "<head><template><p>t</p><a href=x>t</a></template></head><body><p>b</p><a href=y>b</a>",
            "<html><body><frameset><p>f</p></frameset>",
            "<body><p>one</p><body lang=fr><p>two</p><table><li>x</table>",
            "<title>t</title><p lang=fr>no body tag<br><a href=z>z</a>",
            "<body><svg><body><p>s</p></svg><template><body><p>t</p></template>",
        ] {
            let page = Page::parse(url.clone(), html);
            for s in selectors {
                let (indexed, walked) = indexed_and_walked(&page, s);
                assert_eq!(indexed, walked, "{s} in {html}");
            }
        }
    }
}
