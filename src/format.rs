//! Text helpers shared by every module, each written once: French numbers and truncation for
//! every output (rule messages, Cerfa evidence, the site, CSV, the terminal), and the search
//! ignoring ASCII case that CSS values, selectors, page text and raw markup all need.

/// French number formatting: decimal comma, at most `decimals` digits, no trailing zeros.
pub fn fr_number(v: f64, decimals: usize) -> String {
    // Every contrast message writes two or three of these, mostly the same few ratios, and
    // exact decimal formatting costs thousands of instructions: the last ones are kept per
    // thread (bounded) and copied.
    thread_local! {
        static WRITTEN: std::cell::RefCell<rustc_hash::FxHashMap<(u64, usize), String>> =
            Default::default();
    }
    const KEPT: usize = 1024;
    WRITTEN.with_borrow_mut(|written| {
        if let Some(s) = written.get(&(v.to_bits(), decimals)) {
            return s.clone();
        }
        let s = fr_number_uncached(v, decimals);
        if written.len() >= KEPT {
            written.clear();
        }
        written.insert((v.to_bits(), decimals), s.clone());
        s
    })
}

fn fr_number_uncached(v: f64, decimals: usize) -> String {
    let mut s = format!("{v:.decimals$}");
    if let Some(dot) = s.find('.') {
        let kept = s.trim_end_matches('0').len();
        s.truncate(kept);
        if s.len() == dot + 1 {
            s.pop();
        } else {
            s.replace_range(dot..=dot, ",");
        }
    }
    s
}

/// Truncate to at most `max` characters, the ellipsis included, marking the cut with it.
pub fn truncate_chars(s: &str, max: usize) -> String {
    // Only the first `max` characters are looked at: a page's text can be megabytes long and
    // this runs once per target.
    if s.char_indices().nth(max).is_none() {
        return s.to_string();
    }
    let end = s
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    format!("{}…", &s[..end])
}

/// Byte offset of the first occurrence of an ASCII `needle` in `haystack`, ignoring ASCII case,
/// without lower-casing a copy (values, selectors, media queries and page text are read for
/// every rule).
pub fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    find_bytes_ignore_ascii_case(haystack.as_bytes(), needle.as_bytes())
}

/// [`find_ignore_ascii_case`] on bytes (raw markup before parsing).
pub fn find_bytes_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_numbers() {
        assert_eq!(fr_number(99.95, 1), "100");
        assert_eq!(fr_number(98.25, 2), "98,25");
        assert_eq!(fr_number(12.0, 1), "12");
        assert_eq!(fr_number(4.5, 2), "4,5");
        assert_eq!(fr_number(12.63, 2), "12,63");
        assert_eq!(fr_number(3.0, 2), "3");
        assert_eq!(fr_number(100.0, 0), "100");
        assert_eq!(fr_number(1000.0, 2), "1000");
        assert_eq!(fr_number(-2.5, 2), "-2,5");
        assert_eq!(fr_number(7.04, 2), "7,04");
    }

    /// The kept strings are those formatting writes, for the same value and precision only,
    /// before and after the memo is emptied.
    #[test]
    fn kept_numbers_are_written_as_formatting_writes_them() {
        for round in 0..3 {
            for i in 0..1500 {
                let v = f64::from(i) / 7.0 - 50.0;
                for decimals in [0, 1, 2] {
                    assert_eq!(
                        fr_number(v, decimals),
                        fr_number_uncached(v, decimals),
                        "{v} {decimals} (tour {round})"
                    );
                }
            }
        }
        assert_eq!(fr_number(2.345, 1), "2,3");
        assert_eq!(fr_number(2.345, 2), "2,35");
        assert_eq!(fr_number(-0.0, 2), fr_number_uncached(-0.0, 2));
    }

    #[test]
    fn truncation_counts_characters_and_the_ellipsis() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("éèàù", 2), "é…");
        assert_eq!(truncate_chars("abc", 0), "…");
    }

    #[test]
    fn finds_ignoring_ascii_case_at_the_same_byte_offset() {
        assert_eq!(find_ignore_ascii_case("1px VAR(--x)", "var("), Some(4));
        assert_eq!(find_ignore_ascii_case("é var(--x)", "var("), Some(3));
        assert_eq!(find_ignore_ascii_case("variable", "var("), None);
        assert_eq!(find_ignore_ascii_case("ab", "abc"), None);
        assert_eq!(find_ignore_ascii_case("ab", ""), Some(0));
        assert_eq!(
            find_bytes_ignore_ascii_case(b"<!-- x --\x3E", b"-->"),
            Some(7)
        );
    }
}
