//! Whether a text plainly contradicts its language code, from its function words (RGAA 8.4.1
//! and 8.8.1 ask that the code be « pertinent »). Only a text that is clearly in another language
//! is reported: at least [`MIN_WORDS`] words, of which [`MIN_SHARE`] are function words proper to
//! one language of [`LANGUAGES`], and almost none of the declared language's. Anything less —
//! short texts, mixed texts, languages outside the list — is no evidence either way.

use scraper::Node;

use crate::page::ElementRef;

/// Function words of each language; a word two of them share (`con`, `que`, `para`) counts for
/// none, and words common to other languages (`de`, `la`, `en`, `il`, `es`) are left out.
const LANGUAGES: &[(&str, &str, &[&str])] = &[
    (
        "fr",
        "français",
        &[
            "les", "des", "est", "une", "et", "dans", "pour", "qui", "avec", "pas", "vous", "nous",
            "aux", "du", "cette", "sont", "être", "leur", "sur", "au", "ces", "mais", "ou", "où",
        ],
    ),
    (
        "en",
        "anglais",
        &[
            "the", "and", "is", "are", "of", "to", "with", "for", "that", "this", "it", "be",
            "was", "have", "has", "you", "not", "by", "which", "than", "from", "or", "here", "its",
            "but",
        ],
    ),
    (
        "de",
        "allemand",
        &[
            "der", "und", "ist", "nicht", "mit", "sich", "auf", "für", "eine", "dem", "den",
            "auch", "wird", "sind", "oder", "wir", "ihr", "werden", "zum", "zur",
        ],
    ),
    (
        "es",
        "espagnol",
        &[
            "el", "los", "las", "y", "por", "para", "con", "una", "del", "que", "pero", "sus",
            "está", "como", "más", "sin", "también",
        ],
    ),
    (
        "it",
        "italien",
        &[
            "gli", "della", "delle", "di", "che", "è", "sono", "per", "una", "nel", "con", "anche",
            "questo", "alla", "dei",
        ],
    ),
    (
        "pt",
        "portugais",
        &[
            "os", "das", "dos", "não", "uma", "com", "para", "que", "é", "em", "mais", "pela",
            "pelo", "também", "são", "ao",
        ],
    ),
    (
        "nl",
        "néerlandais",
        &[
            "het", "een", "van", "niet", "zijn", "met", "voor", "dat", "op", "ook", "aan", "wordt",
            "naar", "bij", "deze",
        ],
    ),
];

/// Fewer words are no evidence.
pub const MIN_WORDS: usize = 15;
/// Share of the words that are function words proper to the language found.
pub const MIN_SHARE: f64 = 0.2;

/// The ISO 639-1 code of a language code's primary part, for the languages above.
fn primary(code: &str) -> String {
    let p = code
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match p.as_str() {
        "fra" | "fre" => "fr",
        "eng" => "en",
        "deu" | "ger" => "de",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "nld" | "dut" => "nl",
        other => other,
    }
    .to_string()
}

/// A word of at most 8 bytes as an integer (its bytes, little-endian, zero-padded: no word
/// holds a zero byte, so two words share a key only if they are the same). Every function
/// word fits (`each_function_word_fits_a_key`).
fn key_of(word: &[u8]) -> Option<u64> {
    if word.len() > 8 {
        return None;
    }
    // Shifted in, not copied into a buffer then read back as one integer: that read waited
    // for the copy's byte-sized writes (a store-forwarding stall on every word of a page).
    Some(
        word.iter()
            .enumerate()
            .fold(0, |k, (i, &b)| k | u64::from(b) << (8 * i)),
    )
}

/// Function words that belong to exactly one language of the list, by language, from a word's
/// [`key_of`].
fn distinctive(key: u64) -> Option<usize> {
    // Looked up for every short word of a page: the lists are filed once, by key (`None`: the
    // word belongs to several languages), behind a bit per hashed key, which turns away most
    // words without a probe of the map.
    struct Filed {
        by_key: rustc_hash::FxHashMap<u64, Option<usize>>,
        bits: [u64; FILTER_WORDS],
    }
    const FILTER_WORDS: usize = 64;
    fn bit(key: u64) -> usize {
        // The product's top 12 bits: 4 096 bits for ~140 words.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize
    }
    static FILED: std::sync::LazyLock<Filed> = std::sync::LazyLock::new(|| {
        let mut by_key = rustc_hash::FxHashMap::default();
        for (i, (_, _, words)) in LANGUAGES.iter().enumerate() {
            for w in words.iter().filter_map(|w| key_of(w.as_bytes())) {
                by_key
                    .entry(w)
                    .and_modify(|found: &mut Option<usize>| {
                        if *found != Some(i) {
                            *found = None;
                        }
                    })
                    .or_insert(Some(i));
            }
        }
        let mut bits = [0; FILTER_WORDS];
        for &k in by_key.keys() {
            bits[bit(k) / 64] |= 1 << (bit(k) % 64);
        }
        Filed { by_key, bits }
    });
    let filed = &*FILED;
    if filed.bits[bit(key) / 64] & (1 << (bit(key) % 64)) == 0 {
        return None;
    }
    filed.by_key.get(&key).copied().flatten()
}

/// The language a text is plainly written in, when it is not the declared one: its name in
/// French and how many of the text's words are its function words (the rules ask it of an
/// element's text through [`contradicts_governed`]).
#[cfg(test)]
pub fn contradicts(declared: &str, text: &str) -> Option<(&'static str, usize, usize)> {
    judge(declared, scan(text))
}

/// The language the text an element's language governs ([`governed_pieces`]) is plainly
/// written in, when it is not the declared one: its name in French and how many of the
/// text's words are its function words. Read text node by text node: words are runs of
/// letters and never span two nodes (the text joins them with a space), so the nodes'
/// counts add up to the whole text's, which is never copied (a page's text, white space and
/// all).
pub fn contradicts_governed(
    declared: &str,
    el: ElementRef<'_>,
) -> Option<(&'static str, usize, usize)> {
    let mut tally = (0, [0; LANGUAGES.len()]);
    governed_pieces(el, |piece| scan_into(piece, &mut tally));
    judge(declared, tally)
}

fn judge(
    declared: &str,
    (words, counts): (usize, [usize; LANGUAGES.len()]),
) -> Option<(&'static str, usize, usize)> {
    let declared = primary(declared);
    if words < MIN_WORDS {
        return None;
    }
    let (best, &hits) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let (code, name, _) = LANGUAGES[best];
    if code == declared || (hits as f64) < MIN_SHARE * words as f64 {
        return None;
    }
    // The declared language's own words, if it is in the list, must be nearly absent.
    if let Some(d) = LANGUAGES.iter().position(|(c, _, _)| *c == declared) {
        if counts[d] * 5 > hits {
            return None;
        }
    }
    Some((name, hits, words))
}

/// How many words `text` has, and how many of them are function words of each language.
#[cfg(test)]
fn scan(text: &str) -> (usize, [usize; LANGUAGES.len()]) {
    let mut tally = (0, [0; LANGUAGES.len()]);
    scan_into(text, &mut tally);
    tally
}

/// [`scan`], adding to the counts so far.
fn scan_into(text: &str, (words, counts): &mut (usize, [usize; LANGUAGES.len()])) {
    // One pass over a whole page's text: words are the runs of alphabetic characters. ASCII is
    // read byte by byte, only other characters are decoded, and only words short enough to be
    // function words are lower-cased (ASCII ones in an integer, without a copy).
    let bytes = text.as_bytes();
    // The character at `i` (not ASCII): whether it is a letter, and its length.
    let other_at = |i: usize| -> (bool, usize) {
        match text.get(i..).and_then(|r| r.chars().next()) {
            Some(c) => (crate::format::is_alphabetic(c), c.len_utf8()),
            None => (false, 1),
        }
    };
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        // Most of a page's text: ASCII letters and separators, told apart by a table.
        while i < n && BYTE_CLASS[usize::from(bytes[i])] == Class::Separator {
            i += 1;
        }
        if i >= n {
            break;
        }
        // A word: ASCII letters, and other characters that are letters (each decoded once).
        let start = i;
        let mut is_ascii = true;
        // Past a character beyond ASCII that is not a letter: its length.
        let mut not_letter = 0;
        loop {
            while i < n && BYTE_CLASS[usize::from(bytes[i])] == Class::Letter {
                i += 1;
            }
            if i < n && BYTE_CLASS[usize::from(bytes[i])] == Class::Other {
                let (letter, len) = other_at(i);
                if letter {
                    is_ascii = false;
                    i += len;
                    continue;
                }
                not_letter = len;
            }
            break;
        }
        if i == start {
            // Not a word: a character beyond ASCII that is no letter.
            i += not_letter;
            continue;
        }
        *words += 1;
        let w = &bytes[start..i];
        if w.len() <= 8 {
            let found = if is_ascii {
                // ASCII letters only: setting bit 5 lower-cases each of them.
                // The word's bytes read at once from the text when eight are there (masked
                // to its length: `key_of`'s key), else shifted in.
                let key = match bytes.get(start..start + 8).map(<[u8; 8]>::try_from) {
                    Some(Ok(eight)) => Some(u64::from_le_bytes(eight) & mask(w.len())),
                    _ => key_of(w),
                };
                key.and_then(|k| distinctive(k | (0x2020_2020_2020_2020 & mask(w.len()))))
            } else {
                match latin1_lower_key(w) {
                    Some(key) => distinctive(key),
                    None => text.get(start..i).and_then(lower_distinctive),
                }
            };
            if let Some(i) = found {
                counts[i] += 1;
            }
        }
    }
}

/// What a byte of text is to the word scan.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// ASCII, not a letter.
    Separator,
    /// An ASCII letter.
    Letter,
    /// Part of a character beyond ASCII (decoded to be told).
    Other,
}

/// Each byte's [`Class`].
static BYTE_CLASS: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if (b as u8).is_ascii_alphabetic() {
            Class::Letter
        } else {
            Class::Separator
        };
        b += 1;
    }
    table
};

/// The bits of a key's first `len` bytes (a word has 1 to 8).
fn mask(len: usize) -> u64 {
    u64::MAX >> (64 - 8 * len.clamp(1, 8))
}

/// The [`key_of`] of a word of at most 8 bytes lower-cased, when its letters are ASCII or
/// Latin-1 (`é`, `Ü`: the byte C3 and one after it), lower-cased on the bytes
/// (`crate::format::latin1_lower`); `None` for other words, which are decoded. Most accented
/// words of French text are these: decoding and lower-casing them was a tenth of the guess.
fn latin1_lower_key(word: &[u8]) -> Option<u64> {
    let mut key = 0u64;
    let mut after_c3 = false;
    for (i, &b) in word.iter().enumerate() {
        let lower = if after_c3 {
            // U+00C0–U+00FF is C3 then 0x80 + its offset from U+00C0, lower case too.
            after_c3 = false;
            let c = char::from_u32(0xC0 + u32::from(b & 0x3F)).unwrap_or(' ');
            match crate::format::latin1_lower(c) {
                Some(l) => 0x80 | (l as u32 - 0xC0) as u8,
                None => b,
            }
        } else if b == 0xC3 {
            after_c3 = true;
            b
        } else if b.is_ascii() {
            b.to_ascii_lowercase()
        } else {
            return None;
        };
        key |= u64::from(lower) << (8 * i);
    }
    (!after_c3 && word.len() <= 8).then_some(key)
}

/// [`distinctive`] of a short word with other than ASCII letters, lower-cased on the stack
/// (as `str::to_lowercase` does; a final sigma, which it treats apart, goes through it).
fn lower_distinctive(word: &str) -> Option<usize> {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let len = c.len_utf8();
        if c == 'σ' || n + len > buf.len() {
            return distinctive(key_of(word.to_lowercase().as_bytes())?);
        }
        c.encode_utf8(&mut buf[n..]);
        n += len;
    }
    distinctive(key_of(&buf[..n])?)
}

/// The rendered text an element's language code governs, text node by text node in order:
/// its text, without the subtrees that declare their own language, scripts, styles and
/// templates.
fn governed_pieces(el: ElementRef<'_>, mut piece: impl FnMut(&str)) {
    let mut stack: Vec<_> = el.children().rev().collect();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => piece(t),
            Node::Element(e) => {
                // Names compared as atoms: on every element of the page, two lookups by text
                // and four name comparisons were a fifth of the guess.
                if crate::page::lang_attribute(e).is_some() || crate::page::text::never_text(e) {
                    continue;
                }
                stack.extend(node.children().rev());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The governed text as one string, as it was built before ([`contradicts_governed`]).
    fn governed_text(el: ElementRef<'_>) -> String {
        let mut out = String::new();
        governed_pieces(el, |t| {
            out.push_str(t);
            out.push(' ');
        });
        out
    }

    #[test]
    fn governed_nodes_count_as_the_governed_text() {
        let mut compared = 0;
        for (_, html) in crate::page::fixture_pages() {
            let page =
                crate::page::Page::parse(url::Url::parse("http://t.test/").expect("url"), &html);
            for el in page.select("html, [lang], body, main, p") {
                for declared in ["fr", "en", "de"] {
                    assert_eq!(
                        contradicts_governed(declared, el),
                        contradicts(declared, &governed_text(el))
                    );
                }
                compared += usize::from(contradicts("zz", &governed_text(el)).is_some());
            }
        }
        assert!(compared > 10, "{compared}");
    }

    /// Subtrees with a language of their own (`lang`, or `xml:lang` as written on an HTML
    /// element) and scripts, styles, templates and noscript are left out; an SVG element's
    /// `xml:lang`, which the parser puts in the XML namespace, is not HTML's and is read through.
    #[test]
    fn governed_text_leaves_out_own_languages_and_scripts() {
        let page = crate::page::Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            r#"<html lang=fr><body><p>un</p><p lang=en>two</p><p xml:lang=de>drei</p>
               <script>x</script><style>y</style><template>z</template><noscript>n</noscript>
               <svg><text xml:lang="en">svgtext</text></svg><p>fin</p></body></html>"#,
        );
        let html = page.select("html").next().expect("html");
        let text = governed_text(html);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["un", "svgtext", "fin"]);
    }

    /// The former scan (words split by `str::split`), kept to check the byte scan against.
    fn counts_reference(text: &str) -> (usize, [usize; LANGUAGES.len()]) {
        let mut words = 0usize;
        let mut counts = [0usize; LANGUAGES.len()];
        for w in text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if w.len() <= 8 {
                if let Some(i) = key_of(w.to_lowercase().as_bytes()).and_then(distinctive) {
                    counts[i] += 1;
                }
            }
        }
        (words, counts)
    }

    #[test]
    fn the_byte_scan_finds_the_words_str_split_finds() {
        let samples = [
            "Les demandes de logement social sont instruites par les services de la préfecture",
            "Some text is written HERE in English, and THE end.",
            "DER Antrag wird geprüft; ÜBER die Straße — und nicht für Sie",
            "l'État, aujourd'hui : « Où ÇA ? » 12h30\u{a0}et\u{202f}ou…",
            "Ελληνικά και русский текст и 中文字符 mixed with a the",
            "  \t\n  ",
            "",
            "éééééééé ÉTÉ été ÅNGSTRÖM ǅemal İstanbul ß ſ ﬁn",
            "a\u{300}b c\u{301} n\u{303}o 1a2b3c",
            "FÜR ÜBER für über DÉJÀ Déjà ÇA ÊTRE ΤΗΣ ΟΔΟΣ ΣΑΣ İİİİ ẞ Ǆ ǅ",
        ];
        let page = crate::page::fixture_pages()
            .into_iter()
            .map(|(_, html)| html)
            .collect::<Vec<_>>();
        for text in samples.iter().map(|s| s.to_string()).chain(page) {
            let (words, counts) = counts_reference(&text);
            assert_eq!(scan(&text), (words, counts), "{text}");
        }
    }

    #[test]
    fn only_a_plain_contradiction_counts() {
        let english = "Some text is written here in english and is long enough to enable the language determination, more than twenty words of it";
        assert_eq!(contradicts("fr", english).map(|c| c.0), Some("anglais"));
        assert_eq!(contradicts("ro", english).map(|c| c.0), Some("anglais"));
        assert_eq!(contradicts("en-GB", english), None);
        assert_eq!(contradicts("eng", english), None);
        let french = "Les demandes de logement social sont instruites par les services de la préfecture et vous recevez une réponse dans un délai de trois mois";
        assert_eq!(contradicts("fr", french), None);
        assert_eq!(contradicts("en", french).map(|c| c.0), Some("français"));
        // Short texts, and a French text quoting English, are no evidence.
        assert_eq!(contradicts("fr", "The quick brown fox and the dog"), None);
        let mixed = "Le formulaire est disponible en ligne et vous pouvez le remplir avec FranceConnect : the form is available online for all";
        assert_eq!(contradicts("fr", mixed), None);
    }

    #[test]
    fn each_function_word_belongs_to_one_language_or_none() {
        let of = |w: &str| key_of(w.as_bytes()).and_then(distinctive);
        assert_eq!(of("the"), Some(1));
        assert_eq!(of("con"), None); // Spanish and Italian
        assert_eq!(of("que"), None); // Spanish and Portuguese
        assert_eq!(of("también"), Some(3)); // 8 bytes (Portuguese writes « também »)
        assert_eq!(of("être"), Some(0));
    }

    /// Only words of at most 8 bytes are looked up: a longer function word would never count.
    #[test]
    fn each_function_word_fits_a_key() {
        for (_, _, words) in LANGUAGES {
            for w in *words {
                assert!(key_of(w.as_bytes()).is_some(), "{w}");
            }
        }
    }

    /// The Latin-1 key is the one decoding and lower-casing give, for every pair of letters of
    /// ASCII and of the two-byte block (C3 80–BF) and the words of the lists in capitals;
    /// words with other characters are left to the decoding.
    #[test]
    fn latin1_keys_are_the_lower_cased_keys() {
        let letters: Vec<char> = ('A'..='Z')
            .chain('a'..='z')
            .chain('\u{C0}'..='\u{FF}')
            .filter(|c| c.is_alphabetic())
            .collect();
        let lowered = |w: &str| key_of(w.to_lowercase().as_bytes());
        let mut words: Vec<String> = LANGUAGES
            .iter()
            .flat_map(|(_, _, ws)| ws.iter().map(|w| w.to_uppercase()))
            .collect();
        for a in &letters {
            for b in &letters {
                words.push(format!("{a}{b}"));
            }
        }
        for w in &words {
            assert_eq!(latin1_lower_key(w.as_bytes()), lowered(w), "{w}");
        }
        for w in ["ŒUF", "\u{212A}OOK", "ǅA", "ΣΑΣ", "İST"] {
            assert_eq!(latin1_lower_key(w.as_bytes()), None, "{w}");
        }
    }

    /// Each function word is found as its language's, or as none when two languages share it;
    /// other words of one to eight letters are not, and a key is the word's bytes in order.
    #[test]
    fn function_words_through_the_filter() {
        for (i, (_, _, words)) in LANGUAGES.iter().enumerate() {
            for w in *words {
                let shared = LANGUAGES
                    .iter()
                    .enumerate()
                    .any(|(j, (_, _, other))| j != i && other.contains(w));
                let expected = (!shared).then_some(i);
                assert_eq!(
                    distinctive(key_of(w.as_bytes()).unwrap_or(0)),
                    expected,
                    "{w}"
                );
            }
        }
        for w in ["a", "bonjour", "démarche", "xyz", "lesx", "thee", "zz"] {
            assert_eq!(distinctive(key_of(w.as_bytes()).unwrap_or(0)), None, "{w}");
        }
        assert_eq!(key_of(b"ab"), Some(u64::from_le_bytes(*b"ab\0\0\0\0\0\0")));
        assert_eq!(key_of(b"123456789"), None);
    }
}
