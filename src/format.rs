//! Text helpers shared by every module, each written once: French numbers and truncation for
//! every output (rule messages, Cerfa evidence, the site, CSV, the terminal), and the search
//! ignoring ASCII case that CSS values, selectors, page text and raw markup all need.

/// French number formatting: decimal comma, at most `decimals` digits, no trailing zeros.
pub fn fr_number(v: f64, decimals: usize) -> String {
    with_fr_number(v, decimals, str::to_string)
}

/// [`fr_number`] as an argument of `format!`, written into the message without a `String` of
/// its own (a page's contrast messages write hundreds).
#[derive(Debug, Clone, Copy)]
pub struct FrNumber(pub f64, pub usize);

impl std::fmt::Display for FrNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        with_fr_number(self.0, self.1, |s| f.write_str(s))
    }
}

/// `then` on the French writing of `v`. Every contrast message writes two or three, mostly
/// the same few ratios, and exact decimal formatting costs thousands of instructions: the
/// last ones are kept per thread (bounded).
fn with_fr_number<R>(v: f64, decimals: usize, then: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static WRITTEN: std::cell::RefCell<rustc_hash::FxHashMap<(u64, usize), String>> =
            Default::default();
    }
    const KEPT: usize = 1024;
    WRITTEN.with_borrow_mut(|written| {
        let key = (v.to_bits(), decimals);
        if written.len() >= KEPT && !written.contains_key(&key) {
            written.clear();
        }
        then(
            written
                .entry(key)
                .or_insert_with(|| fr_number_uncached(v, decimals)),
        )
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

/// White space among ASCII characters as `char::is_whitespace` says (with the vertical tab,
/// which `u8::is_ascii_whitespace` leaves out).
#[inline]
pub fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// `char::is_alphabetic`, answered without Unicode's tables for the letters of French text:
/// ASCII, and Latin-1 and Latin Extended-A/B, where every character from `À` on is a letter
/// but `×` and `÷`. The tables' lookup costs a hundred instructions a character.
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    match c as u32 {
        0..=0x7f => c.is_ascii_alphabetic(),
        0xc0..=0x24f => c != '×' && c != '÷',
        _ => c.is_alphabetic(),
    }
}

/// The character starting at byte `i` of `s`: whether it is white space (`char::is_whitespace`)
/// and its length in bytes; `None` past the end or off a character boundary. ASCII is read
/// without decoding: text walks call it for every byte of a page (so inlined).
#[inline]
pub fn white_space_at(s: &str, i: usize) -> Option<(bool, usize)> {
    let b = *s.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((is_ascii_space(b), 1));
    }
    let c = s.get(i..)?.chars().next()?;
    Some((c.is_whitespace(), c.len_utf8()))
}

/// How many bytes from `i` on lie, eight at a time, inside a run of words one plain space
/// apart: bytes that are printable ASCII but `stop` (0 for none), and spaces each followed by
/// such a byte. The text walks (folding, normalising, snippets) read most of a page's text in
/// such runs; told byte by byte, each space was a branch mispredicted. The count stops before
/// the first byte of the first chunk that is anything else (white space but a lone space,
/// control characters, bytes beyond ASCII), which the caller reads on its own, so it may stop
/// early but never late. Callers ask only within a run: after a byte that is not white space.
#[inline]
pub fn plain_prefix(bytes: &[u8], i: usize, stop: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` equal to `v`, exactly (no carry crosses a byte).
    let equal = |x: u64, v: u8| {
        let y = x ^ (ONES * u64::from(v));
        !(((y & !HIGH) + !HIGH) | y) & HIGH
    };
    let mut n = 0;
    while let Some(chunk) = bytes.get(i + n..).and_then(|rest| rest.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        // Printable: ASCII from `!` on (seven bits, so adding never carries out of a byte).
        let mut plain = ((x & !HIGH) + ONES * (0x80 - 0x21)) & !x & HIGH;
        if stop != 0 {
            plain &= !equal(x, stop);
        }
        let space = equal(x, b' ');
        // A space is in the run when the next byte is plain (the last byte's next is unknown).
        let bad = (HIGH & !(plain | space)) | (space & !(plain >> 8));
        if bad != 0 {
            return n + (bad.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n
}

/// What `write` writes, built in a buffer kept by the thread and copied out once at its
/// length: a text built word by word in a `String` of its own is reallocated (and copied) at
/// every doubling. A call made from within `write` builds in a `String` of its own.
pub fn built_in_scratch(write: impl FnOnce(&mut String)) -> String {
    in_scratch(write, |s| String::from(s))
}

/// [`built_in_scratch`], handing the text written to `finish` (a shared `Arc<str>` is made
/// from it at once, without a `String` of its own first).
pub fn in_scratch<T>(write: impl FnOnce(&mut String), finish: impl FnOnce(&str) -> T) -> T {
    /// Past this, the buffer is given back after use (one page's main text is far below).
    const KEPT: usize = 1 << 16;
    thread_local! {
        static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            write(&mut buf);
            let out = finish(buf.as_str());
            if buf.capacity() > KEPT {
                buf.clear();
                buf.shrink_to(KEPT);
            }
            out
        }
        Err(_) => {
            let mut out = String::new();
            write(&mut out);
            finish(&out)
        }
    })
}

/// `s` with ASCII letters in lower case, borrowed when it has no capital: names and keywords
/// read for every element are nearly always written in lower case already.
pub fn ascii_lowercase(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(s.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// `s` after `prefix`, the prefix compared ignoring ASCII case (schemes of addresses, CSS
/// functions), without lower-casing a copy.
pub fn strip_prefix_ignore_ascii_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    s.get(..prefix.len())
        .filter(|p| p.eq_ignore_ascii_case(prefix))
        .and(s.get(prefix.len()..))
}

/// Byte offset of the first occurrence of an ASCII `needle` in `haystack`, ignoring ASCII case,
/// without lower-casing a copy (values, selectors, media queries and page text are read for
/// every rule).
pub fn find_ignore_ascii_case(haystack: &str, needle: &str) -> Option<usize> {
    find_bytes_ignore_ascii_case(haystack.as_bytes(), needle.as_bytes())
}

/// [`find_ignore_ascii_case`] on bytes (raw markup before parsing).
pub fn find_bytes_ignore_ascii_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let last_start = haystack.len().checked_sub(needle.len())?;
    // Candidates are found by a vectorised scan for the first byte in either case (a page's
    // scripts and styles are skipped through here), then compared.
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while from <= last_start {
        let at = from + memchr::memchr2(lower, upper, &haystack[from..=last_start])?;
        if haystack[at + 1..at + needle.len()].eq_ignore_ascii_case(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A Latin-1 character lower-cased (most of French text's letters beyond ASCII) without the
/// table search of `char::to_lowercase`, which gives the same: `À`–`Þ` gain 0x20 but `×`, the
/// others are lower case already; `None` outside U+00C0–U+00FF.
pub(crate) fn latin1_lower(c: char) -> Option<char> {
    if !('\u{C0}'..='\u{FF}').contains(&c) {
        return None;
    }
    let capital = c <= '\u{DE}' && c != '\u{D7}';
    char::from_u32(c as u32 + if capital { 0x20 } else { 0 })
}

/// Every string of at most `most` of `pieces` end to end, each once: the texts a scan written
/// for speed is tested on against the search it stands in for (overlaps, cases, scripts).
#[cfg(test)]
pub(crate) fn strings_of(pieces: &[&str], most: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = all.clone();
    for _ in 0..most {
        last = last
            .iter()
            .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
            .collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_lower_is_to_lowercase() {
        for c in (0u32..0x300).filter_map(char::from_u32) {
            let expected = ('\u{C0}'..='\u{FF}')
                .contains(&c)
                .then(|| c.to_lowercase().collect::<String>());
            assert_eq!(
                latin1_lower(c).map(String::from),
                expected,
                "U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn alphabetic_as_unicode_says() {
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    /// The eight-byte count of a run agrees with reading it byte by byte: it never passes a
    /// byte outside the run, and stops before its end only in a last chunk shorter than eight
    /// bytes or at a space ending a chunk (its next byte unread). Every byte value falls at
    /// each position of the first chunks, followed by each of a few telling bytes.
    #[test]
    fn plain_prefix_stops_where_the_byte_reading_stops() {
        let in_run = |b: &[u8], at: usize, stop: u8| {
            let plain = |c: u8| (0x21..0x80).contains(&c) && c != stop;
            match b.get(at) {
                Some(&c) if plain(c) => true,
                Some(b' ') => b.get(at + 1).is_some_and(|&n| plain(n)),
                _ => false,
            }
        };
        let check = |b: &[u8], stop: u8| {
            let n = plain_prefix(b, 0, stop);
            let whole = (0..b.len()).take_while(|&k| in_run(b, k, stop)).count();
            assert!(n <= whole, "{b:?} stop {stop}: {n} past {whole}");
            // Early only at the end of a byte string or at a chunk's last byte being a space.
            assert!(
                n == whole || (n % 8 == 0 && b.len() - n < 8) || (n % 8 == 7 && b[n] == b' '),
                "{b:?} stop {stop}: {n} of {whole}"
            );
        };
        let base = b"Aide au_paiement des droits 2026 ".repeat(2);
        for stop in [0, b'`'] {
            check(&base, stop);
            for pos in 0..17 {
                for v in 0..=255u8 {
                    let mut b = base.clone();
                    b[pos] = v;
                    check(&b, stop);
                    for w in [b' ', b'a', b'\t', 0xC3, b'`', 0x7F, 0x20 - 1] {
                        let mut c = b.clone();
                        c[pos + 1] = w;
                        check(&c, stop);
                    }
                }
            }
        }
        // Inside the run the count covers whole chunks, and it starts where it is asked.
        assert_eq!(plain_prefix(b"paiement des droits", 0, 0), 16);
        assert_eq!(plain_prefix(b"paiemen des droits", 0, 0), 7);
        assert_eq!(plain_prefix(b"xx un  deux trois", 2, 0), 3);
        assert_eq!(plain_prefix(b"a`bcdefghij", 0, b'`'), 1);
    }

    /// What is written comes out whole and alone, a call from within the writer builds its
    /// own text, and a long text does not stay in the thread's buffer.
    #[test]
    fn scratch_texts_are_whole_and_nest() {
        let outer = built_in_scratch(|out| {
            out.push_str("avant ");
            let inner = built_in_scratch(|inner| inner.push_str("dedans"));
            assert_eq!(inner, "dedans");
            out.push_str(&inner);
        });
        assert_eq!(outer, "avant dedans");
        assert_eq!(built_in_scratch(|_| {}), "");
        let long = built_in_scratch(|out| out.push_str(&"x".repeat(1 << 20)));
        assert_eq!(long.len(), 1 << 20);
        assert_eq!(built_in_scratch(|out| out.push('y')), "y");
    }

    #[test]
    fn ascii_lowercase_copies_only_capitals() {
        use std::borrow::Cow;
        assert!(matches!(ascii_lowercase("nav-é"), Cow::Borrowed("nav-é")));
        assert!(matches!(ascii_lowercase(""), Cow::Borrowed("")));
        assert_eq!(ascii_lowercase("NAVigation").as_ref(), "navigation");
        assert!(matches!(ascii_lowercase("Main"), Cow::Owned(_)));
        // Only ASCII letters change, as `str::to_ascii_lowercase` does.
        assert_eq!(ascii_lowercase("ÉTÉ Bold").as_ref(), "ÉtÉ bold");
    }

    #[test]
    fn byte_search_ignores_ascii_case_as_a_window_scan() {
        let window = |h: &[u8], n: &[u8]| -> Option<usize> {
            if n.is_empty() {
                return Some(0);
            }
            h.windows(n.len()).position(|w| w.eq_ignore_ascii_case(n))
        };
        let hay: &[&[u8]] = &[
            b"",
            b"<",
            b"abc</SCRIPT>def</script>",
            b"</scrip</script",
            b"--->-->",
            b"x\xc3\xa9</StYlE>",
            "é</script>".as_bytes(),
        ];
        let needles: &[&[u8]] = &[
            b"",
            b"</script",
            b"</style",
            b"-->",
            b">",
            b"A",
            b"abc</script>def</script>x",
        ];
        for h in hay {
            for n in needles {
                assert_eq!(
                    find_bytes_ignore_ascii_case(h, n),
                    window(h, n),
                    "{h:?} {n:?}"
                );
            }
        }
    }

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
        assert_eq!(
            strip_prefix_ignore_ascii_case("MailTo:a@b", "mailto:"),
            Some("a@b")
        );
        assert_eq!(strip_prefix_ignore_ascii_case("tel", "tel:"), None);
        assert_eq!(strip_prefix_ignore_ascii_case("té:1", "tel:"), None);
        // Written in place, the same digits.
        assert_eq!(
            format!("{}:1 et {} px", FrNumber(4.478, 2), FrNumber(-2.5, 2)),
            "4,48:1 et -2,5 px"
        );
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
