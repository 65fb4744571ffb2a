//! Whether a text plainly contradicts its language code, from its function words (RGAA 8.4.1
//! and 8.8.1 ask that the code be « pertinent »). Only a text that is clearly in another language
//! is reported: at least [`MIN_WORDS`] words, of which [`MIN_SHARE`] are function words proper to
//! one language of [`LANGUAGES`], and almost none of the declared language's. Anything less —
//! short texts, mixed texts, languages outside the list — is no evidence either way.

use crate::page::Attribute;
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

/// Function words that belong to exactly one language of the list, by language.
fn distinctive(word: &[u8]) -> Option<usize> {
    // Looked up for every short word of a page: the lists are filed once, by word (`None`:
    // the word belongs to several languages).
    static BY_WORD: std::sync::LazyLock<rustc_hash::FxHashMap<&[u8], Option<usize>>> =
        std::sync::LazyLock::new(|| {
            let mut map = rustc_hash::FxHashMap::default();
            for (i, (_, _, words)) in LANGUAGES.iter().enumerate() {
                for w in *words {
                    map.entry(w.as_bytes())
                        .and_modify(|found: &mut Option<usize>| {
                            if *found != Some(i) {
                                *found = None;
                            }
                        })
                        .or_insert(Some(i));
                }
            }
            map
        });
    BY_WORD.get(word).copied().flatten()
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
    // One pass, lowercasing only words short enough to be function words (a whole page's
    // text goes through here). Words are the runs of alphabetic characters; ASCII is read
    // byte by byte, and only other characters are decoded.
    // ASCII words are lower-cased in place, without a string each.
    let mut ascii = [0u8; 8];
    let bytes = text.as_bytes();
    // The alphabetic character at `i`, with its length; `None` at a separator.
    let letter_at = |i: usize| -> Option<usize> {
        let b = *bytes.get(i)?;
        if b.is_ascii() {
            return b.is_ascii_alphabetic().then_some(1);
        }
        let c = text.get(i..)?.chars().next()?;
        crate::format::is_alphabetic(c).then(|| c.len_utf8())
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // ASCII separators (white space, most of a page's raw text) skipped in a tight loop.
        if b.is_ascii() && !b.is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let Some(len) = letter_at(i) else {
            // A separator: skip it whole (a character of several bytes included).
            i += if bytes[i].is_ascii() {
                1
            } else {
                text.get(i..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8)
            };
            continue;
        };
        let start = i;
        let mut is_ascii = len == 1;
        i += len;
        while let Some(len) = letter_at(i) {
            is_ascii &= len == 1;
            i += len;
        }
        let w = &bytes[start..i];
        *words += 1;
        if w.len() <= 8 {
            let found = if is_ascii {
                let lower = &mut ascii[..w.len()];
                lower.copy_from_slice(w);
                lower.make_ascii_lowercase();
                distinctive(lower)
            } else {
                text.get(start..i).and_then(lower_distinctive)
            };
            if let Some(i) = found {
                counts[i] += 1;
            }
        }
    }
}

/// [`distinctive`] of a short word with other than ASCII letters, lower-cased on the stack
/// (as `str::to_lowercase` does; a final sigma, which it treats apart, goes through it).
fn lower_distinctive(word: &str) -> Option<usize> {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let len = c.len_utf8();
        if c == 'σ' || n + len > buf.len() {
            return distinctive(word.to_lowercase().as_bytes());
        }
        c.encode_utf8(&mut buf[n..]);
        n += len;
    }
    distinctive(&buf[..n])
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
                let own_lang = e.attribute("lang").is_some() || e.attribute("xml:lang").is_some();
                if own_lang || matches!(e.name(), "script" | "style" | "template" | "noscript") {
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
                if let Some(i) = distinctive(w.to_lowercase().as_bytes()) {
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
        assert_eq!(distinctive(b"the"), Some(1));
        assert_eq!(distinctive(b"con"), None); // Spanish and Italian
        assert_eq!(distinctive(b"que"), None); // Spanish and Portuguese
    }
}
