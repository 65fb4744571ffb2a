//! The page model: one parsed document with what rules need around it (URL, parser errors,
//! stylesheets). It is built from HTML text, so a DOM serialised by a real browser can feed
//! the same rules later.

use std::any::Any;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

pub use scraper::ElementRef;
use scraper::{Html, Node, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

mod attribute;
pub mod browser;
pub mod browser_layout;
pub mod depth;
mod index;
mod matching;
mod memo;
pub mod shell;
mod target;
pub mod text;
pub use attribute::{attribute_atom, has_attribute_atom, lang_attribute, AtomSet, Attribute};
pub use matching::{classes, matches, MatchElement};
pub use memo::SheetsMemo;
pub use target::{snippet_of, unique_selector, Target};

/// A node's position in its tree's node list (`0..tree.nodes().len()`): what dense per-node
/// tables are indexed by, where a hash map keyed by node paid a hash and a probe for every
/// lookup, in a table 4 (styles) to 17 (visibility) times the size. `ego_tree` keeps the
/// position private; its `Hash` writes it (plus one) as a `usize`, which is read back here
/// (`node_index_is_the_position_in_the_tree`).
pub fn node_index(id: ego_tree::NodeId) -> usize {
    struct Position(usize);
    impl std::hash::Hasher for Position {
        fn finish(&self) -> u64 {
            self.0 as u64
        }
        fn write(&mut self, _: &[u8]) {}
        fn write_usize(&mut self, n: usize) {
            self.0 = n;
        }
    }
    let mut position = Position(0);
    std::hash::Hash::hash(&id, &mut position);
    position.0.wrapping_sub(1)
}

/// Where a stylesheet came from; the cascade orders author sheets by document order.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "kind", content = "url")]
pub enum StylesheetSource {
    /// A `<style>` element.
    StyleElement,
    /// A `<link rel=stylesheet>` fetched over HTTP.
    Linked(String),
}

/// A stylesheet's text with its origin and media query, in document order.
#[derive(Debug, Clone)]
pub struct Stylesheet {
    pub source: StylesheetSource,
    pub media: Option<String>,
    /// Shared: every page of a site links the same sheets, and the crawler's cache hands each
    /// page the same text (the per-sheet memos then know it by address).
    pub text: Arc<String>,
}

/// A stylesheet link that the page declares (to be fetched before analysis).
#[derive(Debug, Clone, PartialEq)]
pub struct StylesheetLink {
    pub url: Url,
    pub media: Option<String>,
    /// Position among the page's `<style>` and `<link rel=stylesheet>` elements.
    pub order: usize,
}

/// Siblings [`Page::nth_of_type_after`] counts by walking them, before it counts the whole family once.
const SIBLINGS_WALKED: usize = 64;

/// A map keyed by what an audited page wrote (ids, names, classes): seeded per process, so
/// no page can be written to make its keys collide, and quicker than SipHash on short keys.
pub(crate) type PageKeyed<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A parsed page.
pub struct Page {
    pub url: Url,
    pub dom: Html,
    /// Parse errors reported by html5ever (Cerfa 18, RGAA 8.2).
    pub parse_errors: Vec<String>,
    /// Author stylesheets in cascade order (`<style>` and fetched `<link>`), not inline `style`.
    pub stylesheets: Vec<Stylesheet>,
    /// Per `for` value: the `<label>`s naming it, in the tree's node order.
    labels_for: OnceLock<PageKeyed<String, Vec<ego_tree::NodeId>>>,
    /// What higher layers derive from the page once and keep with it (see [`Derived`]).
    derived: [OnceLock<Box<dyn Any + Send + Sync>>; DERIVED_SLOTS],
    /// Element node → (position among same-name siblings, count of them), filled for all the
    /// children of a parent with many at once, the first time one of them is asked about.
    nth_of_type: Mutex<rustc_hash::FxHashMap<ego_tree::NodeId, (usize, usize)>>,
    /// Selectors of the ancestors of targets, so that targets below them continue them.
    pub(crate) selectors: Mutex<target::SelectorMemo>,
    /// Elements by tag and attribute name, built on the first `select`.
    elements: OnceLock<index::ElementIndex>,
    /// Each element's target (selector and snippet), built on first use.
    targets: Mutex<rustc_hash::FxHashMap<ego_tree::NodeId, Target>>,
    base: OnceLock<Url>,
    /// The body's text, and where the main element's lies in it, computed once: several rules,
    /// Cerfa probes and the reading statistics read them, and on a 10 MB page each walk of the
    /// DOM costs seconds in debug builds.
    body_text: OnceLock<BodyText>,
    /// `a[href]` and `area[href]` elements and their resolved URLs without fragment, in
    /// document order: several readers (links to follow, documents, Cerfa) want them, and the
    /// analysis hands the same list to the crawler (`Page::links`) without copying it.
    hyperlinks: OnceLock<(Vec<ego_tree::NodeId>, Arc<[Url]>)>,
    /// Whether an inline script attaches a shadow root, scanned once: several rules ask.
    shadow_root: OnceLock<bool>,
    /// Why the served page looks built by script, judged once: `--render auto` and the Cerfa
    /// evidence both ask, and each answer walks the body's text.
    script_built: OnceLock<Option<String>>,
    /// What the browser measured, when the page was rendered (`None` for a served page).
    pub browser: Option<browser::BrowserFacts>,
}

/// Slots of data derived from a page by higher layers, one per type.
#[derive(Debug, Clone, Copy)]
pub enum DerivedSlot {
    /// The computed styles (`css::PageStyles`).
    Styles,
    /// Rendered / hidden from assistive technologies, per element (`css::Visibility`).
    Visibility,
    /// The body text folded for tolerant matching (`cerfa::FoldedBody`).
    FoldedBody,
    /// Accessible names computed so far, per element (`a11y::accname::Names`).
    AccessibleNames,
    /// Each link's text and its folded form (`cerfa::LinkTexts`).
    LinkTexts,
    /// The form fields exposed to assistive technologies and their names (`rules::forms`).
    FormFields,
    /// The texts both contrast levels judge, with their colours (`rules::colors`).
    TextContrasts,
}

const DERIVED_SLOTS: usize = 7;

/// A type a higher layer derives from a page and keeps with it ([`Page::derived`]).
pub trait Derived: Any + Send + Sync {
    const SLOT: DerivedSlot;
}

/// A selector known at compile time (parsed once for the process and cloned: cheap).
pub fn sel(s: &'static str) -> Selector {
    parsed_once(s).selector.clone()
}

/// A selector known at compile time, parsed once for the whole process: rules ask for the
/// same few dozen selectors on every page, and parsing them was a tenth of the analysis.
fn parsed_once(s: &'static str) -> &'static index::Literal {
    // Each thread keeps the selectors it met: a page asks for a hundred, and each lookup in
    // the process's map took its lock (a counter both cores write) and a SipHash of the text.
    // Known by the literal's address and length, which a `'static` text keeps for the whole
    // process: hashing and comparing the text (up to a few hundred bytes) at every call cost
    // more than the lookup.
    thread_local! {
        static SEEN: std::cell::RefCell<rustc_hash::FxHashMap<(usize, usize), &'static index::Literal>> =
            std::cell::RefCell::default();
    }
    let key = (s.as_ptr() as usize, s.len());
    if let Some(found) = SEEN.with(|seen| seen.borrow().get(&key).copied()) {
        return found;
    }
    let found = parsed_in_process(s);
    SEEN.with(|seen| seen.borrow_mut().insert(key, found));
    found
}

/// [`parsed_once`] for the whole process: each selector is parsed once, whichever thread asks.
fn parsed_in_process(s: &str) -> &'static index::Literal {
    static PARSED: OnceLock<RwLock<HashMap<String, &'static index::Literal>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    if let Some(found) = parsed.read().unwrap_or_else(|p| p.into_inner()).get(s) {
        return found;
    }
    let selector = match Selector::parse(s) {
        Ok(sel) => sel,
        // Only called with literal selectors; a typo is a programming error caught by tests.
        Err(e) => panic!("invalid built-in selector {s:?}: {e:?}"),
    };
    let mut parsed = parsed.write().unwrap_or_else(|p| p.into_inner());
    // Kept for the process (literal selectors only, so a bounded set).
    parsed
        .entry(s.to_string())
        .or_insert_with(|| Box::leak(Box::new(index::Literal::new(s, selector))))
}

/// The most room [`Page::give_memo_room`] gives a memo at first (a large page grows it past).
const MEMO_ROOM_MOST: usize = 1024;

/// Bytes of markup a node takes, about, as pages are written (the bench's design-system pages
/// take 33; denser markup grows the list once more): what it is sized from before the parse.
const BYTES_A_NODE: usize = 24;
/// Nodes the list is sized for at most before the parse (a huge body grows it as it goes).
const NODES_RESERVED_MAX: usize = 1 << 18;

/// [`Html::parse_document`] with the node list sized from the markup's length: grown by
/// doubling from nothing, it was copied nine times a page (a tenth of a megabyte) into memory
/// the cache did not hold, past the analysis of the page before.
fn parse_document(html: &str) -> Html {
    use html5ever::tendril::TendrilSink;
    let nodes = (html.len() / BYTES_A_NODE).clamp(16, NODES_RESERVED_MAX);
    let mut document = Html::new_document();
    document.tree = ego_tree::Tree::with_capacity(Node::Document, nodes);
    html5ever::driver::parse_document(scraper::HtmlTreeSink::new(document), Default::default())
        .one(html)
}

impl Page {
    /// Parse HTML text. Never fails: html5ever recovers from anything and counts errors.
    pub fn parse(url: Url, html: &str) -> Page {
        // Hostile nesting makes tree building quadratic: flatten beyond a browser-like bound.
        let (html, flattened) = depth::cap_depth(html);
        let mut dom = parse_document(&html);
        let mut parse_errors: Vec<String> = std::mem::take(&mut dom.errors)
            .into_iter()
            .map(|e| e.into_owned())
            .collect();
        if flattened > 0 {
            parse_errors.push(format!(
                "Imbrication au-delà de {} niveaux : {flattened} balises ouvrantes ignorées (contenu aplati)",
                depth::MAX_DEPTH
            ));
        }
        let mut page = Page {
            url,
            dom,
            parse_errors,
            stylesheets: Vec::new(),
            labels_for: OnceLock::new(),
            derived: Default::default(),
            nth_of_type: Mutex::default(),
            selectors: Mutex::default(),
            elements: OnceLock::new(),
            targets: Mutex::default(),
            base: OnceLock::new(),
            body_text: OnceLock::new(),
            hyperlinks: OnceLock::new(),
            shadow_root: OnceLock::new(),
            script_built: OnceLock::new(),
            browser: None,
        };
        page.stylesheets = page.style_elements();
        page
    }

    /// Add fetched linked stylesheets, keeping document order with `<style>` elements.
    pub fn add_linked_stylesheets(&mut self, fetched: Vec<(StylesheetLink, Arc<String>)>) {
        if fetched.is_empty() {
            return;
        }
        let mut ordered: Vec<(usize, Stylesheet)> = Vec::new();
        let mut order = 0usize;
        for el in self.styles_and_links() {
            let name = el.value().name();
            if name == "style" {
                ordered.push((order, self.stylesheet_from_style(el)));
                order += 1;
            } else if name == "link" && is_stylesheet_link(el) {
                order += 1;
            }
        }
        for (link, text) in fetched {
            ordered.push((
                link.order,
                Stylesheet {
                    source: StylesheetSource::Linked(link.url.to_string()),
                    media: link.media,
                    text,
                },
            ));
        }
        ordered.sort_by_key(|(o, _)| *o);
        self.stylesheets = ordered.into_iter().map(|(_, s)| s).collect();
        // The cascade and what follows from it are for the old sheets.
        self.derived = Default::default();
    }

    /// A value a higher layer derives from the page (the cascade, the visibility answer),
    /// computed on first use and kept with the page. The page model does not know its type: the
    /// layers above own it, so the model imports none of them.
    pub fn derived<T: Derived>(&self, init: impl FnOnce(&Page) -> T) -> &T {
        let value = self.derived[T::SLOT as usize].get_or_init(|| Box::new(init(self)));
        match value.downcast_ref::<T>() {
            Some(v) => v,
            // Two types given one slot: a programming error, caught by any test of either.
            None => panic!("derived slot {:?} holds another type", T::SLOT),
        }
    }

    /// The `style` and `link` elements in the document, in tree order: what a walk of the
    /// document would meet, taken from the element index (a page has a few; the walks that
    /// looked for them read every node, twice a page).
    fn styles_and_links(&self) -> Vec<ElementRef<'_>> {
        self.select_in_tree_order(self.dom.tree.root(), "style, link")
    }

    /// The elements matching `selector` that are `scope` or below it, in tree order (as a walk
    /// of `scope` meets them), from the element index: for the few elements a rule needs,
    /// without reading every node of the subtree.
    pub fn select_in_tree_order<'a>(
        &'a self,
        scope: ego_tree::NodeRef<'a, Node>,
        selector: &'static str,
    ) -> Vec<ElementRef<'a>> {
        let mut found: Vec<ElementRef<'a>> = self
            .select(selector)
            .filter(|el| el.id() == scope.id() || el.ancestors().any(|a| a.id() == scope.id()))
            .collect();
        // The index gives the parser's order, which is the tree's unless it moved a node.
        found.sort_by(|a, b| tree_order(**a, **b));
        found
    }

    fn stylesheet_from_style(&self, el: ElementRef<'_>) -> Stylesheet {
        Stylesheet {
            source: StylesheetSource::StyleElement,
            media: el.value().attribute("media").map(str::to_string),
            text: Arc::new(el.text().collect()),
        }
    }

    fn style_elements(&self) -> Vec<Stylesheet> {
        self.select("style")
            .map(|el| self.stylesheet_from_style(el))
            .collect()
    }

    /// `<link rel=stylesheet href>` declared by the page, resolved against the base URL.
    pub fn stylesheet_links(&self) -> Vec<StylesheetLink> {
        let mut out = Vec::new();
        let mut order = 0usize;
        for el in self.styles_and_links() {
            match el.value().name() {
                "style" => order += 1,
                "link" if is_stylesheet_link(el) => {
                    if let Some(url) = el.value().attribute("href").and_then(|h| self.resolve(h)) {
                        out.push(StylesheetLink {
                            url,
                            media: el.value().attribute("media").map(str::to_string),
                            order,
                        });
                    }
                    order += 1;
                }
                _ => {}
            }
        }
        out
    }

    /// The document base URL (`<base href>` if valid, else the page URL).
    pub fn base_url(&self) -> Url {
        self.base().clone()
    }

    fn base(&self) -> &Url {
        // Cached: resolve() is called once per link, and a DOM scan each time is quadratic.
        self.base.get_or_init(|| {
            self.dom
                .select(&parsed_once("base[href]").selector)
                .next()
                .and_then(|b| b.value().attribute("href"))
                .and_then(|h| self.url.join(h.trim()).ok())
                .unwrap_or_else(|| self.url.clone())
        })
    }

    /// Resolve an attribute URL against the base; `None` for unparsable values.
    pub fn resolve(&self, href: &str) -> Option<Url> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        self.base().join(href).ok()
    }

    /// The host an attribute URL resolves to, without resolving it when it is a reference
    /// within the base's host (a path, query or fragment: no scheme, no authority), which the
    /// base's host answers: the tracker scan reads every image's and script's address, and
    /// resolving each was a parse and a string for a host the page's own.
    pub fn resolved_host(&self, href: &str) -> Option<Cow<'_, str>> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        // No `:` (no scheme), no `//` at the start nor backslash anywhere (no authority, as
        // special schemes read a backslash as a slash), no control character (the parser
        // drops them, at the start or, for tabs and line breaks, anywhere: `\x01//host`):
        // relative to the base, host included.
        let within_host = !href.starts_with("//")
            && !href
                .bytes()
                .any(|b| b == b':' || b == b'\\' || b.is_ascii_control());
        if within_host {
            let base = self.base();
            // A base that cannot hold a relative reference (`data:`) resolves nothing.
            return (!base.cannot_be_a_base())
                .then(|| base.host_str().map(Cow::Borrowed))
                .flatten();
        }
        self.resolve(href)
            .and_then(|u| u.host_str().map(|h| Cow::Owned(h.to_string())))
    }

    /// Whether an inline script attaches a shadow root: content built by script that the page
    /// as served does not show (rules that would look there say cantTell).
    pub fn attaches_shadow_root(&self) -> bool {
        *self.shadow_root.get_or_init(|| {
            self.select("script:not([src])")
                .any(|s| s.text().any(|t| t.contains("attachShadow")))
        })
    }

    /// Why the page looks built by script ([`shell::script_built`]), or None; judged once.
    pub fn script_built(&self) -> Option<&str> {
        self.script_built
            .get_or_init(|| shell::script_built(self))
            .as_deref()
    }

    /// The element the browser marked `mark` (see [`browser::REF_ATTR`]), if the rendered DOM
    /// holds it.
    pub fn marked(&self, mark: u32) -> Option<ElementRef<'_>> {
        let want = mark.to_string();
        self.dom
            .root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().attribute(browser::REF_ATTR) == Some(want.as_str()))
    }

    /// Elements matching a literal CSS selector, in the order `Html::select` gives them.
    pub fn select<'a>(
        &'a self,
        selector: &'static str,
    ) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        self.element_index()
            .select(&self.dom, parsed_once(selector))
    }

    /// Whether an element below `scope` matches a literal CSS selector, as
    /// `scope.select(selector).next().is_some()` answers (the scope itself aside), from the
    /// page's index: the page's candidates with `scope` among their ancestors, a few elements
    /// where scraper's search matches the selector on every one of the scope's descendants.
    pub fn holds(&self, scope: ElementRef<'_>, selector: &'static str) -> bool {
        /// Candidates climbed to their ancestors at most: with more (a page of a thousand
        /// forms of one field each, asked form by form), the search of the scope's subtree is
        /// the smaller bound.
        const CLIMBED_AT_MOST: usize = 64;
        let mut candidates = self.select(selector);
        if candidates.size_hint().1.is_none_or(|n| n > CLIMBED_AT_MOST) {
            return scope.select(&sel(selector)).next().is_some();
        }
        candidates.any(|el| el.ancestors().any(|a| a.id() == scope.id()))
    }

    /// The element index, built on first use.
    fn element_index(&self) -> &index::ElementIndex {
        self.elements
            .get_or_init(|| index::ElementIndex::of(&self.dom))
    }

    /// Whether some element of the tree may have a class word or an `id` (no namespace)
    /// holding `needle` (ASCII, no line break), in any ASCII case: `false` is sure, and costs one
    /// search of the page's class words and ids instead of a pass over every element.
    pub fn class_or_id_may_hold(&self, needle: &str) -> bool {
        self.element_index().class_or_id_may_hold(needle)
    }

    /// The elements with at least one `aria-*` attribute, in document order (as `select`).
    pub fn with_aria_attributes(&self) -> impl Iterator<Item = ElementRef<'_>> + '_ {
        self.element_index().with_aria(&self.dom)
    }

    /// The root `<html>` element.
    pub fn root(&self) -> ElementRef<'_> {
        self.dom.root_element()
    }

    /// Whether the document starts with a doctype.
    pub fn has_doctype(&self) -> bool {
        self.dom
            .tree
            .root()
            .children()
            .any(|n| matches!(n.value(), Node::Doctype(_)))
    }

    /// How many elements carry this id (for duplicate-id checks and selector uniqueness).
    pub fn id_count(&self, id: &str) -> usize {
        self.ids().get(id).map_or(0, |(n, _)| *n)
    }

    /// Per id: how many elements carry it, and the first of them (in the tree's node order),
    /// filed by the element index's pass over the nodes: ids are looked up for every
    /// aria-labelledby, aria-describedby and label, and a walk per lookup made pages quadratic.
    fn ids(&self) -> &PageKeyed<String, (usize, ego_tree::NodeId)> {
        &self.element_index().ids
    }

    /// The `<label for=…>` elements whose `for` is exactly `id`, in the tree's node order.
    pub fn labels_for(&self, id: &str) -> impl Iterator<Item = ElementRef<'_>> + '_ {
        let map = self.labels_for.get_or_init(|| {
            let mut map: PageKeyed<String, Vec<ego_tree::NodeId>> = PageKeyed::default();
            // From the element index: a pass over every node read them all for a few labels.
            for label in self.select("label[for]") {
                if let Some(target) = label.value().attribute("for") {
                    map.entry(target.to_string()).or_default().push(label.id());
                }
            }
            map
        });
        map.get(id)
            .into_iter()
            .flatten()
            .filter_map(|n| self.dom.tree.get(*n).and_then(ElementRef::wrap))
    }

    /// The target of element `id`, made by `make` on first use and kept with the page.
    fn target(&self, id: ego_tree::NodeId, make: impl FnOnce() -> Target) -> Target {
        let lock = || self.targets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = lock().get(&id) {
            return t.clone();
        }
        // Made outside the lock: `make` asks the page for its id and sibling indexes.
        let t = make();
        let mut targets = lock();
        self.give_memo_room(&mut targets);
        targets.insert(id, t.clone());
        t
    }

    /// Gives a memo kept by element (targets, selectors, accessible names) its room before its
    /// first entry: a node in four, at most [`MEMO_ROOM_MOST`]. Grown from nothing, each was
    /// rehashed half a dozen times a page; room left unused is never touched.
    pub(crate) fn give_memo_room<V>(&self, memo: &mut rustc_hash::FxHashMap<ego_tree::NodeId, V>) {
        if memo.capacity() == 0 {
            memo.reserve((self.dom.tree.nodes().len() / 4).min(MEMO_ROOM_MOST));
        }
    }

    /// 1-based position of an element among its same-name siblings, and whether it has any
    /// (what a selector step needs: `:nth-of-type(n)` only then). Counted on its siblings when
    /// they are few (most parents): those before it, then those after it only up to the first
    /// of its name; past [`SIBLINGS_WALKED`], counted for all of the parent's children at once
    /// and kept, so that targets on 100 000 siblings stay linear.
    ///
    /// Told the elements it answered for last and their positions (`recent`, updated): one of
    /// them met among the siblings walked back ends the walk, so that the targets of one
    /// parent's children, asked in order, are counted once, not again from the first child
    /// for each (a footer's 80 links walked 2 000 siblings).
    pub(crate) fn nth_of_type_after(
        &self,
        el: ElementRef<'_>,
        recent: &mut RecentPositions,
    ) -> (usize, bool) {
        let found = self.nth_of_type_walked(el, recent);
        recent.keep(el.id(), found.0);
        found
    }

    fn nth_of_type_walked(&self, el: ElementRef<'_>, recent: &RecentPositions) -> (usize, bool) {
        let name = &el.value().name.local;
        let same = |n: &Node| matches!(n, Node::Element(e) if e.name.local == *name);
        /// Visit `siblings` until `stop` says so (`Some(true)`) or they end (`Some(false)`);
        /// `None` past `budget` of them.
        fn walk_within<'a>(
            siblings: impl Iterator<Item = ego_tree::NodeRef<'a, Node>>,
            budget: &mut usize,
            mut stop: impl FnMut(ego_tree::NodeRef<'a, Node>) -> bool,
        ) -> Option<bool> {
            for s in siblings {
                *budget = budget.checked_sub(1)?;
                if stop(s) {
                    return Some(true);
                }
            }
            Some(false)
        }
        let mut budget = SIBLINGS_WALKED;
        let mut before = 0;
        // The last element answered for, when it is a sibling of the same name: its position
        // counts those before it.
        let counted = walk_within(el.prev_siblings(), &mut budget, |n| {
            let is_same = same(n.value());
            if let Some(index) = recent.position_of(n.id()).filter(|_| is_same) {
                before += index;
                return true;
            }
            before += usize::from(is_same);
            false
        });
        if counted.is_some() {
            if before > 0 {
                return (before + 1, true);
            }
            // First of its name: shared if one comes after, found without counting the rest.
            if let Some(shared) = walk_within(el.next_siblings(), &mut budget, |n| same(n.value()))
            {
                return (1, shared);
            }
        }
        let mut map = self.nth_of_type.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(&(index, total)) = map.get(&el.id()) {
            return (index, total > 1);
        }
        let Some(parent) = el.parent() else {
            return (1, false);
        };
        let mut counts: rustc_hash::FxHashMap<&str, usize> = Default::default();
        let mut kids = Vec::new();
        for child in parent.children() {
            if let Node::Element(e) = child.value() {
                let n = counts.entry(e.name()).or_default();
                *n += 1;
                kids.push((child.id(), e.name(), *n));
            }
        }
        for &(id, name, index) in &kids {
            map.insert(id, (index, counts.get(name).copied().unwrap_or(index)));
        }
        map.get(&el.id())
            .map_or((1, false), |&(index, total)| (index, total > 1))
    }

    /// Element by id (first in document order).
    pub fn element_by_id(&self, id: &str) -> Option<ElementRef<'_>> {
        let (_, first) = self.ids().get(id)?;
        self.dom.tree.get(*first).and_then(ElementRef::wrap)
    }

    /// The `<title>` text, trimmed, if present.
    pub fn title(&self) -> Option<String> {
        // The document's title, not an SVG <title> nor one inside an inert <template>.
        self.select("head title, title")
            .find(|t| {
                !t.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .map(|e| matches!(e.name(), "svg" | "template"))
                        .unwrap_or(false)
                })
            })
            .map(|t| normalize_space(&t.text().collect::<String>()))
    }

    /// The `lang` attribute of the root element.
    pub fn lang(&self) -> Option<String> {
        self.root()
            .value()
            .attribute("lang")
            .map(|s| s.trim().to_string())
    }

    /// Outgoing hyperlinks (`a[href]`, `area[href]`), resolved, fragments stripped: the list
    /// [`Page::hyperlinks`] reads, shared.
    pub fn links(&self) -> Arc<[Url]> {
        self.resolved_hyperlinks().1.clone()
    }

    /// `a[href]` and `area[href]` elements whose `href` resolves, with their URL (fragment
    /// stripped), in document order; resolved once per page.
    pub fn hyperlinks(&self) -> impl Iterator<Item = (ElementRef<'_>, &Url)> + '_ {
        let (ids, urls) = self.resolved_hyperlinks();
        ids.iter()
            .zip(urls.iter())
            .filter_map(|(id, u)| Some((self.dom.tree.get(*id).and_then(ElementRef::wrap)?, u)))
    }

    fn resolved_hyperlinks(&self) -> &(Vec<ego_tree::NodeId>, Arc<[Url]>) {
        self.hyperlinks.get_or_init(|| {
            // Sized from the index's candidates (pages have dozens to hundreds of links), not
            // grown by doubling: no second pass over the links to count them.
            let links = self.select("a[href], area[href]");
            let room = links.size_hint().1.unwrap_or(0);
            let mut ids = Vec::with_capacity(room);
            let mut urls = Vec::with_capacity(room);
            for el in links {
                let Some(mut url) = el.value().attribute("href").and_then(|h| self.resolve(h))
                else {
                    continue;
                };
                url.set_fragment(None);
                ids.push(el.id());
                urls.push(url);
            }
            (ids, urls.into())
        })
    }

    /// Visible text of the whole body, space-normalised (for text heuristics).
    pub fn body_text(&self) -> &str {
        &self.body_and_main().text
    }

    /// Visible text of the main content (the first `main` or `[role=main]`, else the body),
    /// space-normalised: the part of the body's text that the main element wrote, when the
    /// body's walk went through it (else its own walk).
    pub fn main_text(&self) -> Cow<'_, str> {
        let body = self.body_and_main();
        match (body.main, &body.main_range) {
            (None, _) => Cow::Borrowed(&body.text),
            (Some(_), Some(range)) => Cow::Borrowed(body.text.get(range.clone()).unwrap_or("")),
            (Some(main), None) => Cow::Owned(
                self.dom
                    .tree
                    .get(main)
                    .and_then(ElementRef::wrap)
                    .map(normalized_text_of)
                    .unwrap_or_default(),
            ),
        }
    }

    fn body_and_main(&self) -> &BodyText {
        self.body_text.get_or_init(|| {
            let main = self.select("main, [role=main]").next().map(|m| m.id());
            match self.select("body").next() {
                Some(b) => {
                    let (text, main_range) =
                        text::normalized_text_and_part(b, &text::html_breaks_words, main);
                    BodyText {
                        text,
                        main,
                        main_range,
                    }
                }
                None => BodyText {
                    text: String::new(),
                    main,
                    main_range: None,
                },
            }
        })
    }
}

/// The same-name positions [`Page::nth_of_type_after`] counted last, by element: a target's
/// climb counts its element and ancestors, and the next target's climb meets their siblings.
#[derive(Default)]
pub(crate) struct RecentPositions {
    kept: [Option<(ego_tree::NodeId, usize)>; RECENT_POSITIONS],
    next: usize,
}

/// Positions [`RecentPositions`] keeps: more than a target's climb counts on most pages.
const RECENT_POSITIONS: usize = 16;

impl RecentPositions {
    fn position_of(&self, id: ego_tree::NodeId) -> Option<usize> {
        self.kept
            .iter()
            .flatten()
            .find(|(kept, _)| *kept == id)
            .map(|&(_, index)| index)
    }

    fn keep(&mut self, id: ego_tree::NodeId, index: usize) {
        if let Some(slot) = self.kept.get_mut(self.next) {
            *slot = Some((id, index));
        }
        self.next = (self.next + 1) % RECENT_POSITIONS;
    }
}

/// Every fixture page's path and markup (for tests that compare two ways of reading real
/// markup); unreadable files are left out.
#[cfg(test)]
pub(crate) fn fixture_pages() -> Vec<(std::path::PathBuf, String)> {
    let mut dirs = vec![std::path::PathBuf::from("fixtures")];
    let mut pages = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                if let Ok(html) = std::fs::read_to_string(&path) {
                    pages.push((path, html));
                }
            }
        }
    }
    pages
}

/// The body's normalised text, and where the main element's lies in it.
struct BodyText {
    text: String,
    main: Option<ego_tree::NodeId>,
    main_range: Option<std::ops::Range<usize>>,
}

/// The order of two nodes of one tree in a walk of it (tree order): an ancestor before its
/// descendants, otherwise as the children of their closest common ancestor are ordered.
fn tree_order<'a>(
    a: ego_tree::NodeRef<'a, Node>,
    b: ego_tree::NodeRef<'a, Node>,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    if a.id() == b.id() {
        return Ordering::Equal;
    }
    // Root first, down to the node.
    let path = |n: ego_tree::NodeRef<'a, Node>| {
        let mut p: smallvec::SmallVec<[ego_tree::NodeRef<'a, Node>; 32]> =
            std::iter::once(n).chain(n.ancestors()).collect();
        p.reverse();
        p
    };
    let (pa, pb) = (path(a), path(b));
    let common = pa
        .iter()
        .zip(&pb)
        .take_while(|(x, y)| x.id() == y.id())
        .count();
    if common == 0 {
        // Under different roots (one detached by the parser): no order between them.
        return Ordering::Equal;
    }
    match (pa.get(common), pb.get(common)) {
        // One is an ancestor of the other.
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(x), Some(y)) if x.next_siblings().any(|s| s.id() == y.id()) => Ordering::Less,
        (Some(_), Some(_)) => Ordering::Greater,
    }
}

fn is_stylesheet_link(el: ElementRef<'_>) -> bool {
    el.value()
        .attribute("rel")
        .map(|r| {
            let mut tokens = r.split_ascii_whitespace().map(|t| t.to_ascii_lowercase());
            let toks: Vec<String> = tokens.by_ref().collect();
            toks.iter().any(|t| t == "stylesheet") && !toks.iter().any(|t| t == "alternate")
        })
        .unwrap_or(false)
}

/// Text content of an element, skipping `<script>`, `<style>` and `<template>` (iterative),
/// with a space for each `<br>` and block boundary (HTML default display; see [`text`]).
pub fn text_of(el: ElementRef<'_>) -> String {
    text::text_with_breaks_by(el, &text::html_breaks_words)
}

/// `normalize_space(&text_of(el))`, written in one pass.
pub fn normalized_text_of(el: ElementRef<'_>) -> String {
    text::normalized_text_with_breaks_by(el, &text::html_breaks_words)
}

/// Whether `text_of(el)` holds anything but white space, without building it.
pub fn has_text(el: ElementRef<'_>) -> bool {
    text::has_text_by(el, &text::html_breaks_words)
}

/// Collapse runs of white space to one space and trim.
pub fn normalize_space(s: &str) -> String {
    normalize_space_cow(s).into_owned()
}

/// [`normalize_space`], borrowed when `s` is normalised already (most texts are).
pub fn normalize_space_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_space_normalized(s) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(collapse_space(s))
}

/// [`normalize_space`] of a string the caller owns: kept as it is when already normalised
/// (most names and labels are).
pub fn normalize_space_owned(s: String) -> String {
    if is_space_normalized(&s) {
        return s;
    }
    collapse_space(&s)
}

/// Whether `s` has no white space (`char::is_whitespace`) but single spaces between words:
/// what [`normalize_space`] would return unchanged. ASCII is read byte by byte; only other
/// characters are decoded.
fn is_space_normalized(s: &str) -> bool {
    // A space is not allowed first, nor after another one, nor last; no other white space.
    let mut after_space = true;
    let mut i = 0;
    while let Some((white, len)) = crate::format::white_space_at(s, i) {
        if white {
            if after_space || s.as_bytes().get(i) != Some(&b' ') {
                return false;
            }
            after_space = true;
        } else {
            after_space = false;
            // Past an ASCII character, its run at once: it ends on a plain byte, as it begins.
            if len == 1 {
                i += crate::format::plain_prefix(s.as_bytes(), i + len, 0);
            }
        }
        i += len;
    }
    !after_space || s.is_empty()
}

fn collapse_space(s: &str) -> String {
    // One allocation, no intermediate vector: called on every text rules and probes read.
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Told the elements it answered for last, `nth_of_type_after` answers as a count from the
    /// first sibling, whichever elements came before (siblings of the same name or not, before
    /// or after, or in another parent), past the walked bound too.
    #[test]
    fn positions_resumed_from_the_last_answer_are_counted_ones() {
        let kids: String = (0..150)
            .map(|k| match k % 5 {
                0 | 3 => format!("<li>{k}</li>"),
                1 => "<p>p</p> ".to_string(),
                _ => format!("<span>{k}</span>"),
            })
            .collect();
        let page = Page::parse(
            Url::parse("http://t.test/").expect("url"),
            &format!("<body><div>{kids}</div><div>{kids}</div></body>"),
        );
        let all: Vec<ElementRef<'_>> = page.dom.select(&sel("div > *")).collect::<Vec<_>>();
        assert_eq!(all.len(), 300);
        // Each element asked after every other kind of predecessor: in order, backwards, by
        // strides, and across the two parents.
        let orders: Vec<Vec<usize>> = vec![
            (0..300).collect(),
            (0..300).rev().collect(),
            (0..300).step_by(7).chain((0..300).step_by(3)).collect(),
            (0..150).flat_map(|k| [k, k + 150]).collect(),
        ];
        let fresh = |el: ElementRef<'_>| {
            let same = |c: &ElementRef<'_>| c.value().name() == el.value().name();
            let siblings: Vec<ElementRef<'_>> = el
                .parent()
                .map(|p| p.children().filter_map(ElementRef::wrap).collect())
                .unwrap_or_default();
            let index = siblings
                .iter()
                .take_while(|c| c.id() != el.id())
                .filter(|c| same(c))
                .count()
                + 1;
            (index, siblings.iter().filter(|c| same(c)).count() > 1)
        };
        for order in orders {
            let mut recent = RecentPositions::default();
            for k in order {
                let el = all[k];
                assert_eq!(page.nth_of_type_after(el, &mut recent), fresh(el), "{k}");
            }
        }
    }

    /// `holds` answers as scraper's search below the scope, for every element of every fixture
    /// page as the scope, with selectors of tags, attributes, case rules, classes and lists.
    #[test]
    fn holds_answers_as_a_search_below_the_scope() {
        let selectors = [
            "input[type=search]",
            "input[type=password i]",
            "textarea",
            "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea",
            ".fr-hint-text",
            "a[href], button",
            "form",
        ];
        let (mut held, mut asked) = (0, 0);
        for (path, html) in fixture_pages() {
            let page = Page::parse(Url::parse("http://t.test/").expect("url"), &html);
            for scope in page
                .dom
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
            {
                for s in selectors {
                    let expected = scope.select(&sel(s)).next().is_some();
                    assert_eq!(page.holds(scope, s), expected, "{} {s}", path.display());
                    held += usize::from(expected);
                    asked += 1;
                }
            }
        }
        assert!(held > 1000 && held < asked, "{held} of {asked}");
        // More candidates than are climbed: the subtree is searched, with the same answers.
        let fields = "<input type=search>".repeat(100);
        let html = format!("<form id=f>{fields}</form><form id=g><textarea></textarea></form>");
        let page = Page::parse(Url::parse("http://t.test/").expect("url"), &html);
        let form = |id: &str| {
            page.select("form")
                .find(|f| f.value().attribute("id") == Some(id))
                .unwrap_or_else(|| panic!("form {id}"))
        };
        assert!(page.holds(form("f"), "input[type=search]"));
        assert!(!page.holds(form("g"), "input[type=search]"));
        assert!(page.holds(form("g"), "textarea"));
    }

    /// The host read without resolving is the one resolving gives, for references within
    /// the base's host and for those that leave it (or may: anything with a scheme, an
    /// authority, a backslash or characters the parser removes).
    #[test]
    fn resolved_host_is_the_resolved_url_s_host() {
        let hrefs = [
            "/a.png",
            "a.png",
            "../a.png",
            "?q=1",
            "#f",
            "  /a.png ",
            "//cdn.example.org/a.js",
            " //cdn.example.org/a.js",
            "/\\cdn.example.org/a.js",
            "\\\\cdn.example.org/x",
            "/\t/cdn.example.org/a.js",
            "https://tag.example.com/t.js",
            "HTTP:x.png",
            "mailto:a@b.fr",
            "data:image/png;base64,AA",
            "",
            "   ",
            "%2F%2Fx.org",
            "\u{1}//x.org/a",
            "/a\u{7f}b",
        ];
        let pages = [
            "<p>x</p>",
            "<head><base href='https://other.example.net/dir/'></head><p>x</p>",
            "<head><base href='data:text/html,x'></head><p>x</p>",
        ];
        for html in pages {
            let page = Page::parse(Url::parse("http://t.test/p/1.html").expect("url"), html);
            for href in hrefs {
                let resolved = page
                    .resolve(href)
                    .and_then(|u| u.host_str().map(String::from));
                assert_eq!(
                    page.resolved_host(href).map(|h| h.into_owned()),
                    resolved,
                    "{href:?} in {html}"
                );
            }
        }
    }

    #[test]
    fn node_index_is_the_position_in_the_tree() {
        let page = Page::parse(
            Url::parse("http://t.test/").expect("url"),
            "<!doctype html><p>a<b>b</b></p><!-- c --><ul><li>d</li></ul>",
        );
        let positions: Vec<usize> = page.dom.tree.nodes().map(|n| node_index(n.id())).collect();
        let expected: Vec<usize> = (0..page.dom.tree.nodes().len()).collect();
        assert_eq!(positions, expected);
    }

    /// The parse into a node list sized beforehand builds the document scraper's builds: the
    /// same nodes, in the same places, with the same errors and mode, whether the markup is
    /// sparser or denser than the size assumes (a list grown past its room, or one too large).
    #[test]
    fn parse_into_a_sized_list_builds_the_same_document() {
        let dense = "<p>".repeat(2_000);
        let sparse = format!("<p>{}</p>", "texte ".repeat(5_000));
        for html in [
            "",
            "<!doctype html><html lang=fr><title>t</title><p>a<b>b</p>c</b>",
            "<table><tr><td>x<p>y</table><frameset>",
            "<html><body><svg><title>s</title></svg><math><mi>x</mi></math>",
            "text only, quirks mode",
            dense.as_str(),
            sparse.as_str(),
        ] {
            assert_eq!(
                parse_document(html),
                Html::parse_document(html),
                "{html:.60}"
            );
        }
    }

    /// The `style` and `link` elements from the index, in the order a walk of the document
    /// meets them, also where the parser moved a node ahead of one it made before (a `link`
    /// in a table goes before the table, after the table's `style` was made), and never those
    /// it took out of the document.
    #[test]
    fn styles_and_links_in_the_order_of_a_walk() {
        let url = Url::parse("http://example.test/").expect("url");
        for html in [
            "<head><style>a{}</style><link rel=stylesheet href=a.css></head><body><style>b{}</style>",
            "<table><style>a{}</style><link rel=stylesheet href=b.css><tr><td><style>c{}</style></table>",
            "<table><tr><td><link rel=stylesheet href=c.css></td></tr><link rel=stylesheet href=d.css></table>",
            "<p><b><style>x{}</style><p>y<link rel=stylesheet href=e.css></b>z",
            "<body><style>s{}</style><frameset><link rel=stylesheet href=f.css></frameset>",
        ] {
            let page = Page::parse(url.clone(), html);
            let walked: Vec<_> = page
                .root()
                .descendants()
                .filter_map(ElementRef::wrap)
                .filter(|e| matches!(e.value().name(), "style" | "link"))
                .map(|e| e.id())
                .collect();
            let indexed: Vec<_> = page.styles_and_links().iter().map(|e| e.id()).collect();
            assert_eq!(indexed, walked, "{html}");
        }
        // The table's link is first: the fetched sheet comes before the table's style.
        let mut page = Page::parse(
            url,
            "<table><style>a{}</style><link rel=stylesheet href=b.css></table>",
        );
        let links = page.stylesheet_links();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].order, 0);
        let fetched = links
            .into_iter()
            .map(|l| (l, Arc::new("b{}".to_string())))
            .collect();
        page.add_linked_stylesheets(fetched);
        let texts: Vec<&str> = page.stylesheets.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts, ["b{}", "a{}"]);
    }

    /// The main text as first computed: the main element's own walk (else the body's).
    fn own_main_text(page: &Page) -> String {
        page.select("main, [role=main]")
            .next()
            .or_else(|| page.select("body").next())
            .map(normalized_text_of)
            .unwrap_or_default()
    }

    #[test]
    fn normalised_strings_are_recognised_as_split_whitespace_would() {
        let reference = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let samples = [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{b}b",
            "a\u{c}b\r",
            "a\u{1c}b",
            "Démarche en ligne",
            "Démarche\u{a0}en ligne",
            "l'État\u{202f}:",
            "x\u{85}y",
            "x\u{2003}y",
            "x\u{3000}y",
            "x\u{200b}y",
            "中文 字符",
            "é",
            "é ",
        ];
        let pages = fixture_pages()
            .into_iter()
            .flat_map(|(_, html)| {
                let page = Page::parse(Url::parse("http://t.test/").expect("url"), &html);
                page.select("*")
                    .flat_map(|el| el.text().map(str::to_string).collect::<Vec<_>>())
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>();
        let mut unchanged = 0;
        for s in samples.iter().map(|s| s.to_string()).chain(pages) {
            let expected = reference(&s);
            assert_eq!(is_space_normalized(&s), expected == s, "{s:?}");
            assert_eq!(normalize_space(&s), expected, "{s:?}");
            assert_eq!(normalize_space_owned(s.clone()), expected, "{s:?}");
            unchanged += usize::from(expected == s);
        }
        assert!(unchanged > 100, "{unchanged}");
    }

    #[test]
    fn main_text_is_the_part_of_the_body_text_the_main_wrote() {
        let samples = [
            "<p>avant</p><main><p>un</p> deux <b>tr</b>ois </main><p>après</p>",
            "<main>seul</main>",
            "<main>  </main><p>après</p>",
            "<p>avant</p><main></main>",
            "colle<span role=main>ment</span>fin",
            "colle <span role=main> espacé </span> fin",
            "<div role=main>premier</div><main>second</main>",
            "<noscript><main>caché</main></noscript><p>texte</p>",
            "<template role=main>gabarit</template><p>texte</p>",
            "<p>avant<main>dans un p</main>après</p>",
            "<main><script>x()</script>a<br>b<main>c</main></main>",
            "<p>sans main</p>",
            "",
        ];
        let of = |html: &str| {
            Page::parse(
                Url::parse("http://t.test/").expect("url"),
                &format!("<!doctype html><html><body>{html}</body></html>"),
            )
        };
        for html in samples {
            let page = of(html);
            assert_eq!(page.main_text(), own_main_text(&page), "{html}");
        }
        assert_eq!(of(samples[0]).main_text(), "un deux trois");
        let pages = fixture_pages();
        for (path, html) in &pages {
            let page = Page::parse(Url::parse("http://t.test/").expect("url"), html);
            assert_eq!(page.main_text(), own_main_text(&page), "{}", path.display());
        }
        assert!(pages.len() > 100, "{}", pages.len());
    }

    #[test]
    fn hyperlinks_are_resolved_once_without_fragments() {
        let html = r##"<base href="/d/"><a href=" x.html#s ">x</a><a href="">vide</a><a>sans</a>
            <map name="m"><area href="/z.pdf" alt="z"></map><svg><a href="y.svg">y</a></svg>
            <a href="http://[bad">mauvais</a>"##;
        let page = Page::parse(Url::parse("http://t.test/p/").expect("url"), html);
        let found: Vec<(&str, String)> = page
            .hyperlinks()
            .map(|(el, u)| (el.value().name(), u.to_string()))
            .collect();
        assert_eq!(
            found,
            [
                ("a", "http://t.test/d/x.html".to_string()),
                ("area", "http://t.test/z.pdf".to_string()),
                ("a", "http://t.test/d/y.svg".to_string()),
            ]
        );
        let links: Vec<String> = page.links().iter().map(Url::to_string).collect();
        assert_eq!(
            links,
            [
                "http://t.test/d/x.html",
                "http://t.test/z.pdf",
                "http://t.test/d/y.svg"
            ]
        );
    }
}
