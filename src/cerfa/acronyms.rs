//! Criterion 7: upper-case acronyms not expanded at their first use on the page. An acronym is
//! expanded by `<abbr title>` (or `<acronym title>`), or by parentheses: « Caisse d'allocations
//! (CAF) » or « CAF (Caisse d'allocations) ». Universal ones come from an allow-list in
//! `criteria/cerfa-numerique.toml`.

use crate::page::Attribute;
use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;
use scraper::Node;
use serde::{Deserialize, Serialize};

use super::data;
use crate::format::truncate_chars;
use crate::page::{normalize_space, ElementRef, Page};

/// How many unexpanded acronyms a page reports at most.
const KEPT: usize = 20;

/// An acronym used without expansion at its first use.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Acronym {
    pub acronym: String,
    pub context: String,
    pub selector: String,
}

fn token_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| match Regex::new(r"\b\p{Lu}[\p{Lu}\d]{1,5}\b") {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in regex: {e}"),
    })
}

fn is_roman(s: &str) -> bool {
    s.chars().all(|c| "IVXLCDM".contains(c))
}

/// Text mostly in capitals (a shouted heading), where capitals say nothing about acronyms.
fn is_shouting(text: &str) -> bool {
    let (mut letters, mut upper) = (0usize, 0usize);
    for c in text.chars().filter(|&c| crate::format::is_alphabetic(c)) {
        letters += 1;
        upper += usize::from(c.is_uppercase());
    }
    (letters > 12 && upper * 10 > letters * 6)
        || (upper == letters && text.split_whitespace().count() >= 2)
}

/// Whether `token_re` can match in the text: it needs an upper-case letter followed by another
/// or a digit (`\p{Lu}` is upper case, `\d` numeric). Most text has none, and the regex's
/// Unicode word boundaries are slow on non-ASCII text, so this is checked first.
fn may_hold_acronym(text: &str) -> bool {
    // ASCII byte by byte (most of a page's text), runs of it that hold no capital skipped at
    // once; other characters decoded. For ASCII, `char::is_uppercase` is `A`–`Z` and
    // `char::is_numeric` is `0`–`9`.
    let bytes = text.as_bytes();
    let mut prev_upper = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if !prev_upper && !b.is_ascii_uppercase() {
                i += 1;
                while bytes
                    .get(i)
                    .is_some_and(|&b| b.is_ascii() && !b.is_ascii_uppercase())
                {
                    i += 1;
                }
                continue;
            }
            let upper = b.is_ascii_uppercase();
            if prev_upper && (upper || b.is_ascii_digit()) {
                return true;
            }
            prev_upper = upper;
            i += 1;
        } else {
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                return false;
            };
            let upper = c.is_uppercase();
            if prev_upper && (upper || c.is_numeric()) {
                return true;
            }
            prev_upper = upper;
            i += c.len_utf8();
        }
    }
    false
}

const SKIP: &[&str] = &[
    "script", "style", "template", "noscript", "code", "pre", "abbr", "acronym", "kbd", "samp",
];

/// Whether the occurrence at `start..end` of `text` has a parenthesised expansion beside it.
fn expanded_beside(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end();
    let after = text[end..].trim_start();
    // « Nom long (SIGLE) »: the acronym alone in parentheses after some words.
    if before.ends_with('(') && after.starts_with(')') {
        let words = before.trim_end_matches('(').split_whitespace().count();
        return words >= 1;
    }
    // « SIGLE (nom long) »: at least two words inside the parentheses.
    if let Some(rest) = after.strip_prefix('(') {
        if let Some(inner) = rest.split(')').next() {
            return inner.split_whitespace().count() >= 2;
        }
    }
    false
}

/// Acronyms whose first use on the page is not expanded.
pub fn unexpanded(page: &Page) -> Vec<Acronym> {
    static ALLOW: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let allow = ALLOW.get_or_init(|| {
        data::criteria()
            .acronyms
            .allow
            .iter()
            .map(String::as_str)
            .collect()
    });
    let mut seen: HashSet<String> = HashSet::new();
    for a in page.select("abbr[title], acronym[title]") {
        if !a.value().attribute("title").unwrap_or("").trim().is_empty() {
            seen.insert(normalize_space(&a.text().collect::<String>()));
        }
    }
    let Some(body) = page.select("body").next() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for node in body.descendants() {
        let Node::Text(t) = node.value() else {
            continue;
        };
        let text: &str = t;
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        // Nothing below has effects unless the regex matches: skip text where it cannot, and
        // first the text of scripts and styles (of the skipped elements, the usual parents of
        // long texts), without reading it.
        if SKIP.contains(&parent.value().name()) || !may_hold_acronym(text) {
            continue;
        }
        // Text nobody reads (hidden by markup or stylesheet, aria-hidden, inert) is not judged:
        // the shared visibility answer, as for the rules.
        if crate::a11y::is_hidden_from_at(page, parent)
            || std::iter::once(parent)
                .chain(parent.ancestors().filter_map(ElementRef::wrap))
                .any(|e| SKIP.contains(&e.value().name()))
        {
            continue;
        }
        if is_shouting(text) {
            continue;
        }
        // A match is a whole run of word characters (`\b` on both sides), never across white
        // space: the regex reads only the words that may hold one, not the whole text, where
        // its Unicode word boundaries are slow (a backtracker on non-ASCII text).
        let matches = text
            .split_whitespace()
            .filter(|w| may_hold_acronym(w))
            .flat_map(|w| {
                let offset = w.as_ptr() as usize - text.as_ptr() as usize;
                token_re()
                    .find_iter(w)
                    .map(move |m| (offset + m.start(), offset + m.end()))
            });
        for (start, end) in matches {
            let tok = &text[start..end];
            if tok.chars().filter(|c| c.is_alphabetic()).count() < 2
                || is_roman(tok)
                || allow.contains(tok)
                || seen.contains(tok)
            {
                continue;
            }
            seen.insert(tok.to_string());
            if expanded_beside(text, start, end) {
                continue;
            }
            if out.len() < KEPT {
                out.push(Acronym {
                    acronym: tok.to_string(),
                    context: truncate_chars(&normalize_space(text), 81),
                    selector: crate::page::unique_selector(page, parent),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte path answers as the character loop it replaces: an upper-case letter followed
    /// by another or by a digit, of any script.
    #[test]
    fn may_hold_acronym_answers_as_the_character_loop() {
        fn by_chars(text: &str) -> bool {
            let mut prev_upper = false;
            for c in text.chars() {
                if prev_upper && (c.is_uppercase() || c.is_numeric()) {
                    return true;
                }
                prev_upper = c.is_uppercase();
            }
            false
        }
        let mut texts =
            crate::format::strings_of(&["a", "A", "1", "é", "É", "Σ", "٣", "ǅ", " ", "-", "ß"], 3);
        for (_, html) in crate::page::fixture_pages() {
            let page = Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
            texts.push(page.body_text().to_string());
        }
        let mut held = 0;
        for t in &texts {
            assert_eq!(may_hold_acronym(t), by_chars(t), "{t:?}");
            held += usize::from(by_chars(t));
        }
        assert!(
            held > 100 && held < texts.len(),
            "{held} of {}",
            texts.len()
        );
    }
}
