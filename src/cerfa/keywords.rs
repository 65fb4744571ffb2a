//! Word lists matched in one pass: the extractors ask, for every link of a page, which of a
//! dozen lists of expressions its folded text contains; one automaton per list of lists
//! answers that in a single scan instead of one substring search per expression.

use aho_corasick::{AhoCorasick, MatchKind};

/// Groups of expressions (at most 64 groups), matched as substrings.
pub(crate) struct Keywords {
    automaton: Option<AhoCorasick>,
    /// The group of each expression, by pattern index.
    group_of: Vec<u8>,
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
        let mut patterns: Vec<&str> = Vec::new();
        let mut group_of = Vec::new();
        for (g, words) in groups.into_iter().enumerate() {
            debug_assert!(g < 64, "at most 64 groups of expressions");
            for w in words {
                patterns.push(w);
                group_of.push(g as u8);
            }
        }
        // Overlapping search needs the standard match semantics. Built from constant lists,
        // the automaton cannot fail; were it to, `groups_in` would find nothing rather than
        // panic.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(any_case)
            .build(&patterns)
            .ok();
        Keywords {
            automaton,
            group_of,
        }
    }

    /// The groups with an expression that `text` contains, as bits (group `g` is `1 << g`).
    pub(crate) fn groups_in(&self, text: &str) -> u64 {
        let Some(ac) = &self.automaton else {
            return 0;
        };
        // Most texts hold none: the automaton's prefiltered search says so faster than the
        // overlapping walk, which reads every byte.
        if !ac.is_match(text) {
            return 0;
        }
        let mut bits = 0u64;
        for m in ac.find_overlapping_iter(text) {
            if let Some(g) = self.group_of.get(m.pattern().as_usize()) {
                bits |= 1 << g;
            }
        }
        bits
    }

    /// Whether `text` contains any expression of any group.
    pub(crate) fn any_in(&self, text: &str) -> bool {
        self.automaton.as_ref().is_some_and(|ac| ac.is_match(text))
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
        assert_eq!(k.groups_in("Plan du SITE"), 0);
    }
}
