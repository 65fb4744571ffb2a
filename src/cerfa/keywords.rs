//! Word lists matched in one pass: the extractors ask, for every link of a page, which of a
//! dozen lists of expressions its folded text contains; one automaton per list of lists
//! answers that in a single scan instead of one substring search per expression.

use aho_corasick::{AhoCorasick, MatchKind};

/// Groups of expressions (at most 64 groups), matched as substrings.
pub(crate) struct Keywords {
    /// Whether any expression is there: leftmost-first, whose search skips ahead on the
    /// expressions' bytes (the standard semantics read every byte, twice as slow on a link's
    /// text, five times on a page's).
    any: Option<AhoCorasick>,
    /// Which are there: overlapping search needs the standard semantics.
    all: Option<AhoCorasick>,
    /// The group of each expression, by pattern index.
    group_of: Vec<u8>,
    /// Expressions in lower case, matched against texts lower-cased (ASCII only): what an
    /// automaton matching ASCII in any case finds, without its search that reads every byte.
    any_case: bool,
}

impl Keywords {
    pub(crate) fn new<'a>(groups: impl IntoIterator<Item = &'a [&'a str]>) -> Keywords {
        Keywords::build(groups, false)
    }

    /// The same, matching ASCII letters in any case (class names and ids as written).
    pub(crate) fn ignoring_ascii_case<'a>(
        groups: impl IntoIterator<Item = &'a [&'a str]>,
    ) -> Keywords {
        Keywords::build(groups, true)
    }

    fn build<'a>(groups: impl IntoIterator<Item = &'a [&'a str]>, any_case: bool) -> Keywords {
        let mut patterns: Vec<String> = Vec::new();
        let mut group_of = Vec::new();
        for (g, words) in groups.into_iter().enumerate() {
            debug_assert!(g < 64, "at most 64 groups of expressions");
            for w in words {
                patterns.push(if any_case {
                    w.to_ascii_lowercase()
                } else {
                    w.to_string()
                });
                group_of.push(g as u8);
            }
        }
        // Built from constant lists, the automata cannot fail; were they to, `groups_in`
        // would find nothing rather than panic.
        let built = |kind| {
            AhoCorasick::builder()
                .match_kind(kind)
                .build(&patterns)
                .ok()
        };
        Keywords {
            any: built(MatchKind::LeftmostFirst),
            all: built(MatchKind::Standard),
            group_of,
            any_case,
        }
    }

    /// `text` as the automata read it: lower-cased when matching in any case (a copy only
    /// when it has an upper-case ASCII letter).
    fn as_read<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.any_case && text.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(text.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(text)
        }
    }

    /// The groups with an expression that `text` contains, as bits (group `g` is `1 << g`).
    pub(crate) fn groups_in(&self, text: &str) -> u64 {
        let (Some(any), Some(all)) = (&self.any, &self.all) else {
            return 0;
        };
        let text = self.as_read(text);
        // Most texts hold none: the prefiltered search says so faster than the overlapping
        // walk, which reads every byte.
        if !any.is_match(text.as_ref()) {
            return 0;
        }
        let mut bits = 0u64;
        for m in all.find_overlapping_iter(text.as_ref()) {
            if let Some(g) = self.group_of.get(m.pattern().as_usize()) {
                bits |= 1 << g;
            }
        }
        bits
    }

    /// Whether `text` contains any expression of any group.
    pub(crate) fn any_in(&self, text: &str) -> bool {
        self.any
            .as_ref()
            .is_some_and(|any| any.is_match(self.as_read(text).as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_those_a_text_contains_as_substring_search_says() {
        let groups: [&[&str]; 3] = [
            &["plan du site", "sitemap"],
            &["cookie", "cookies"],
            &["site"],
        ];
        let k = Keywords::new(groups);
        for text in [
            "",
            "plan du site",
            "nos cookies et le plan du site",
            "sitemaps",
            "cook",
        ] {
            let expected = groups
                .iter()
                .enumerate()
                .filter(|(_, ws)| ws.iter().any(|w| text.contains(w)))
                .fold(0u64, |b, (g, _)| b | 1 << g);
            assert_eq!(k.groups_in(text), expected, "{text}");
            assert_eq!(k.any_in(text), expected != 0, "{text}");
        }
        let any_case = Keywords::ignoring_ascii_case(groups);
        assert_eq!(any_case.groups_in("Plan du SITE"), 0b101);
        assert_eq!(any_case.groups_in("CoOkIeS"), 0b010);
        assert!(any_case.any_in("SiteMap"));
        // Only ASCII letters change case: « É » is not « é ».
        let accented: [&[&str]; 1] = [&["écrire"]];
        assert_eq!(
            Keywords::ignoring_ascii_case(accented).groups_in("ÉCRIRE"),
            0
        );
        assert_eq!(
            Keywords::ignoring_ascii_case(accented).groups_in("éCRIRE"),
            1
        );
        assert_eq!(k.groups_in("Plan du SITE"), 0);
    }
}
