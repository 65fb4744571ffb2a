//! The 35 Cerfa numérique criteria.
//!
//! Two steps, data flowing one way: per page, [`extract`] reads the facts the criteria need into a
//! compact [`PageEvidence`] (kept in the page analysis; the extractors are grouped by topic:
//! `footer`, `contact`, `franceconnect`, `declaration`, `markup`, `acronyms`, `misc`); per
//! démarche, [`evaluate`] turns the evidence of all pages, the RGAA findings and the operator's
//! declarations into a [`CerfaReport`] (`model`: per criterion status, mode, source, evidence;
//! the two scores of the 2019 study). Each measured criterion's verdict is one file of
//! `criteria/`. Measured results always win over declarations; unknown is reported as such.

pub mod acronyms;
pub mod contact;
pub(crate) mod criteria;
pub mod data;
pub mod declarations_file;
pub mod footer;
pub mod franceconnect;
mod keywords;
pub mod markup;
pub mod misc;
pub mod model;
pub mod score;
pub mod statement;

use crate::page::Attribute;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use crate::page::{normalize_space, normalized_text_of, ElementRef, Page, Target};

pub use data::Mode;
pub use declarations_file::{Declarations, DeclarationsError, DeclaredAnswer, DeclaredValue};
pub use model::{
    CerfaReport, CriterionResult, Evidence, EvidencePage, ScoreFigure, Scores, Source, Status,
};
pub use score::evaluate;
pub use statement::{AccessibilityStatement, ConformityStatus};

/// A link found on a page, as evidence.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct LinkRef {
    pub text: String,
    pub href: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub selector: String,
}

impl LinkRef {
    fn of(page: &Page, el: ElementRef<'_>) -> LinkRef {
        let href = el
            .value()
            .attribute("href")
            .and_then(|h| page.resolve(h))
            .map(|u| u.to_string())
            .unwrap_or_default();
        LinkRef {
            text: link_text(page, el),
            href,
            selector: Target::of(page, el).selector.to_string(),
        }
    }
}

/// What the Cerfa checks learnt from one page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct PageEvidence {
    /// The page asks for identification (password field, login heading or title).
    #[serde(default, skip_serializing_if = "is_false")]
    pub identification: bool,
    /// The page is essentially a login form (criterion 8).
    #[serde(default, skip_serializing_if = "is_false")]
    pub login_only: bool,
    /// Links to an identification area ("Se connecter", "Mon compte", "Espace personnel").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub login_links: Vec<LinkRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub franceconnect: Option<franceconnect::FcButton>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<footer::Footer>,
    /// The home-page mention « Accessibilité : … conforme » found in the page text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_mention: Option<ConformityStatus>,
    /// The accessibility declaration, when the page holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<AccessibilityStatement>,
    pub contact: contact::Contact,
    pub acronyms: Vec<acronyms::Acronym>,
    pub markup: markup::Markup,
    #[serde(flatten)]
    pub misc: misc::Misc,
    /// Why the served page looks built by script (an application shell), when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_built: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Read the Cerfa evidence of one page.
pub fn extract(page: &Page) -> PageEvidence {
    let identification = franceconnect::is_identification_page(page);
    PageEvidence {
        identification,
        login_only: identification && franceconnect::is_login_only(page),
        login_links: franceconnect::login_links(page),
        franceconnect: franceconnect::find_button(page),
        footer: footer::find(page),
        script_built: page.script_built().map(str::to_string),
        accessibility_mention: statement::home_mention(page),
        declaration: statement::parse(page),
        contact: contact::extract(page),
        acronyms: acronyms::unexpanded(page),
        markup: markup::count(page),
        misc: misc::extract(page),
    }
}

/// The page's body text, folded ([`fold`]) once per page: several extractors search it.
pub struct FoldedBody(String);

impl crate::page::Derived for FoldedBody {
    const SLOT: crate::page::DerivedSlot = crate::page::DerivedSlot::FoldedBody;
}

/// The page's body text folded for tolerant matching, computed once per page.
pub fn folded_body(page: &Page) -> &str {
    &page.derived(|p| FoldedBody(fold(p.body_text()))).0
}

/// Fold text for tolerant matching: lower case, no accents, straight apostrophes, single spaces.
pub fn fold(s: &str) -> String {
    // Each character is decomposed on its own: canonical ordering only moves combining marks,
    // which folding drops, so this equals decomposing the whole text. ASCII has nothing to
    // decompose and is read byte by byte; the Latin letters with accents of French text fold
    // through a table. White space is collapsed as it is written (`normalize_space`'s result,
    // without a second string).
    let mut out = Folded(String::with_capacity(s.len()), false);
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if is_plain(b) {
            // A run of plain bytes with single spaces between them (most of a French text up
            // to its next accent), copied at once and lower-cased in place: byte by byte,
            // each pushed with its own checks, was most of the cost. Within such a run the
            // byte path would write the same: each byte lower-cased, each lone space kept.
            if out.1 {
                out.0.push(' ');
                out.1 = false;
            }
            let start = i;
            i += 1;
            loop {
                i += crate::format::plain_prefix(bytes, i, b'`');
                match bytes.get(i) {
                    Some(&b) if is_plain(b) => i += 1,
                    Some(b' ') if bytes.get(i + 1).is_some_and(|&n| is_plain(n)) => i += 2,
                    _ => break,
                }
            }
            let from = out.0.len();
            out.0.push_str(s.get(start..i).unwrap_or(""));
            out.0[from..].make_ascii_lowercase();
            continue;
        }
        if b.is_ascii() {
            // White space and backquotes, byte by byte.
            if crate::format::is_ascii_space(b) {
                out.1 = !out.0.is_empty();
            } else {
                if out.1 {
                    out.0.push(' ');
                    out.1 = false;
                }
                out.0.push(if b == b'`' {
                    '\''
                } else {
                    char::from(b.to_ascii_lowercase())
                });
            }
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        match latin_folded(c) {
            Some(f) => out.push(f),
            None => unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut out)),
        }
    }
    out.0
}

/// An ASCII byte [`fold`] writes lower-cased and nothing else: not white space, not a backquote.
#[inline]
fn is_plain(b: u8) -> bool {
    b.is_ascii() && b != b'`' && !crate::format::is_ascii_space(b)
}

/// First character past the table of [`latin_folded`].
const LATIN_END: u32 = 0x250;

/// What [`fold_char`] makes of a character of Latin-1 or Latin Extended-A/B decomposed, when
/// that is one character that is not white space (`é` → `e`, `Ç` → `c`); `None` otherwise.
/// The table is filled by the general path itself, so the two cannot disagree.
fn latin_folded(c: char) -> Option<char> {
    static TABLE: std::sync::LazyLock<Vec<Option<char>>> = std::sync::LazyLock::new(|| {
        (0x80..LATIN_END)
            .map(|u| {
                let c = char::from_u32(u)?;
                let mut out = Folded(String::new(), false);
                unicode_normalization::char::decompose_canonical(c, |d| fold_char(d, &mut out));
                let mut chars = out.0.chars();
                match (chars.next(), chars.next(), out.1) {
                    (Some(f), None, false) => Some(f),
                    _ => None,
                }
            })
            .collect()
    });
    let u = c as u32;
    if (0x80..LATIN_END).contains(&u) {
        TABLE.get((u - 0x80) as usize).copied().flatten()
    } else {
        None
    }
}

/// Folded text being written: white space collapsed to single spaces between words, none at
/// either end; the flag says a space is due before the next word.
struct Folded(String, bool);

impl Folded {
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.1 = !self.0.is_empty();
        } else {
            if self.1 {
                self.0.push(' ');
                self.1 = false;
            }
            self.0.push(c);
        }
    }
}

/// One decomposed character folded: accents dropped, apostrophes and non-breaking spaces
/// unified, lower case.
fn fold_char(c: char, out: &mut Folded) {
    if unicode_normalization::char::is_combining_mark(c) {
        return;
    }
    match c {
        '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{00A0}' | '\u{202F}' => out.push(' '),
        _ => c.to_lowercase().for_each(|l| out.push(l)),
    }
}

/// The text a link shows: its text, else the alt of its images, else its title/aria-label.
pub fn link_text(page: &Page, el: ElementRef<'_>) -> String {
    match link_texts(page).get(el) {
        Some(l) => l.text.clone(),
        None => link_text_of(page, el),
    }
}

/// [`link_text`], folded ([`fold`]).
pub fn folded_link_text<'p>(page: &'p Page, el: ElementRef<'_>) -> Cow<'p, str> {
    match link_texts(page).get(el) {
        Some(l) => Cow::Borrowed(&l.folded),
        None => Cow::Owned(fold(&link_text_of(page, el))),
    }
}

/// One `<a>` of the page and its texts ([`LinkTexts`]).
pub(crate) struct LinkText {
    id: ego_tree::NodeId,
    /// What the link shows ([`link_text`]).
    pub(crate) text: String,
    /// `text` folded ([`fold`]).
    pub(crate) folded: String,
    /// Whether the text is the link's own ([`crate::page::has_text`]), not its name standing in.
    pub(crate) own: bool,
    /// Whether it has an `href` in no namespace (what `a[href]` asks).
    href: bool,
}

/// Every `<a>`'s texts, computed once per page in the order `page.select("a")` gives the links
/// (the tree's node order, so by increasing node id): the footer, contact, FranceConnect,
/// statement and keyword extractors each read every link, and walk this list rather than
/// select the links again and look each one up.
pub struct LinkTexts(Vec<LinkText>);

impl crate::page::Derived for LinkTexts {
    const SLOT: crate::page::DerivedSlot = crate::page::DerivedSlot::LinkTexts;
}

impl LinkTexts {
    /// A link's texts, by a binary search on its node id (the list is in node order).
    fn get(&self, el: ElementRef<'_>) -> Option<&LinkText> {
        let at = self.0.binary_search_by_key(&el.id(), |l| l.id).ok()?;
        self.0.get(at)
    }
}

fn link_texts(page: &Page) -> &LinkTexts {
    page.derived(|p| {
        // Sized from the index's candidates: no growth by doubling.
        let links = p.select("a");
        let mut texts = Vec::with_capacity(links.size_hint().1.unwrap_or(0));
        let href = html5ever::local_name!("href");
        for a in links {
            let (text, own) = link_text_and_whose(p, a);
            let folded = fold(&text);
            texts.push(LinkText {
                id: a.id(),
                text,
                folded,
                own,
                href: crate::page::has_attribute_atom(a.value(), &href),
            });
        }
        LinkTexts(texts)
    })
}

/// The page's `a[href]` elements with their texts, in the order `page.select("a[href]")` gives
/// them.
pub(crate) fn hyperlink_texts(page: &Page) -> impl Iterator<Item = (ElementRef<'_>, &LinkText)> {
    link_texts(page)
        .0
        .iter()
        .filter(|l| l.href)
        .filter_map(|l| Some((page.dom.tree.get(l.id).and_then(ElementRef::wrap)?, l)))
}

/// Whether a link has text of its own ([`crate::page::has_text`]), answered from the memo.
pub fn link_has_text(page: &Page, el: ElementRef<'_>) -> bool {
    match link_texts(page).get(el) {
        Some(l) => l.own,
        None => crate::page::has_text(el),
    }
}

fn link_text_of(page: &Page, el: ElementRef<'_>) -> String {
    link_text_and_whose(page, el).0
}

/// [`link_text_of`], and whether it is the link's own text (not empty: `has_text`).
fn link_text_and_whose(page: &Page, el: ElementRef<'_>) -> (String, bool) {
    let t = normalized_text_of(el);
    if !t.is_empty() {
        return (t, true);
    }
    (link_name_standing_in(page, el), false)
}

/// What stands in for a link's empty text: its name, else its title.
fn link_name_standing_in(page: &Page, el: ElementRef<'_>) -> String {
    let name = crate::a11y::accessible_name(page, el);
    if !name.is_empty() {
        return normalize_space(&name);
    }
    el.value()
        .attribute("title")
        .map(normalize_space)
        .unwrap_or_default()
}

/// Position of each element in document order, for "comes before" checks.
pub(crate) fn doc_index(page: &Page, el: ElementRef<'_>) -> usize {
    page.root()
        .descendants()
        .position(|n| n.id() == el.id())
        .unwrap_or(usize::MAX)
}

/// Whether an element sits inside an ancestor matching the predicate.
pub(crate) fn has_ancestor(el: ElementRef<'_>, pred: impl Fn(ElementRef<'_>) -> bool) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(pred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// `fold` as it was written first: the whole text decomposed at once, then spaces collapsed.
    fn fold_whole(s: &str) -> String {
        let mut out = String::new();
        for c in s.nfd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            match c {
                '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
                '\u{00A0}' | '\u{202F}' => out.push(' '),
                _ => out.extend(c.to_lowercase()),
            }
        }
        normalize_space(&out)
    }

    /// Every character of the basic plane, alone, between letters, after a space and before
    /// combining marks: folded one character at a time as the whole text decomposed.
    #[test]
    fn fold_by_characters_equals_fold_of_the_whole_text_on_the_basic_plane() {
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            let s = format!("x{c}y {c}\u{301}\u{327} {c}");
            assert_eq!(fold(&s), fold_whole(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn fold_by_characters_equals_fold_of_the_whole_text() {
        for s in [
            "",
            "Démarche ÉTAT",
            "e\u{301}te\u{301} à l`aide’s",
            "A\u{327}\u{301}B\u{301}\u{327}c",
            "\u{1E9E}\u{130}İ ﬁn Ω\u{2126}",
            "prix\u{00A0}:\u{202F}10 €  \t fin",
            "\u{301}début par une marque",
            "  \u{2003}espaces\u{3000}variées\u{85} ",
            "\u{AC00}\u{1100}\u{1161} ǅ ǈ Ǳ",
        ] {
            assert_eq!(fold(s), fold_whole(s), "{s:?}");
        }
        assert_eq!(fold("Étape  Précédente"), "etape precedente");
    }

    /// Runs of plain ASCII copied at once: every way a run can end (double and trailing
    /// spaces, other white space, backquotes, accents, combining marks after a space), and
    /// the body text of every fixture page, fold as the whole text decomposed.
    #[test]
    fn ascii_runs_fold_as_the_whole_text() {
        for s in [
            "A",
            " A ",
            "Un  Deux",
            "un deux ",
            "un \tDeux\n",
            "L`Aide de l`État",
            "``A`` b ` c",
            "fin é",
            "a \u{301}b c\u{301} D",
            "AB CD\u{A0}EF  GH\u{202F} IJ",
            "x y z ",
            "\u{B}A\u{C}B\rC",
        ] {
            assert_eq!(fold(s), fold_whole(s), "{s:?}");
        }
        let mut compared = 0;
        for (path, html) in crate::page::fixture_pages() {
            let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
            let text = page.body_text();
            assert_eq!(fold(text), fold_whole(text), "{}", path.display());
            compared += usize::from(!text.is_empty());
        }
        assert!(compared > 100, "{compared}");
    }
}
