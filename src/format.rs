//! Text formatting shared by every output (rule messages, Cerfa evidence, the site, CSV, the
//! terminal): French numbers and truncation, each written once.

/// French number formatting: decimal comma, at most `decimals` digits, no trailing zeros.
pub fn fr_number(v: f64, decimals: usize) -> String {
    // One allocation: every contrast message writes two or three of these.
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

    #[test]
    fn truncation_counts_characters_and_the_ellipsis() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("éèàù", 2), "é…");
        assert_eq!(truncate_chars("abc", 0), "…");
    }
}
