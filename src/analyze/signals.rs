//! Page signals that indicators need beside rule findings: text statistics for the readability
//! estimate, the viewport and media queries for mobile compatibility, and contact channels.

use crate::page::Attribute;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

use crate::format::strip_prefix_ignore_ascii_case;
use crate::page::Page;
use crate::page::{SheetsMemo, Stylesheet};

/// Facts taken from one HTML page for the indicators.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageSignals {
    /// Words, sentences and syllables of the main text (`main`, else `body`).
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
    /// `content` of `<meta name="viewport">`, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewport: Option<String>,
    /// `@media` rules or `media` attributes with a width condition in the page's stylesheets.
    pub width_media_queries: usize,
    /// `tel:` and `mailto:` links, phone numbers written in the text, contact forms.
    pub tel_links: usize,
    pub mailto_links: usize,
    pub phone_numbers: usize,
    pub contact_forms: usize,
    /// The page on an emulated phone (rendered pages only, `--render`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<crate::page::browser_layout::PhoneFacts>,
}

fn phone_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // French numbers: 0X XX XX XX XX (spaces, dots or dashes), +33 X…, and 39 XX short numbers.
        Regex::new(r"(?:\+33\s?\(?0?\)?\s?|\b0)[1-9](?:[\s.\-]?\d{2}){4}\b|\b39\s?\d{2}\b")
            .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|e| panic!("{e}")))
    })
}

fn width_media_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)(?:min|max)-(?:device-)?width|width\s*[<>]")
            .unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|e| panic!("{e}")))
    })
}

/// Compute the signals of a parsed page.
pub fn signals_of(page: &Page) -> PageSignals {
    let stats = TextStats::of(&page.main_text());
    let viewport = page
        .select("meta[name]")
        .find(|m| {
            m.value()
                .attribute("name")
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("viewport"))
        })
        .map(|m| {
            m.value()
                .attribute("content")
                .unwrap_or("")
                .trim()
                .to_string()
        });
    // The same sheets on every page of a site: counted once for them.
    static WIDTH_MEDIA: SheetsMemo<usize> = SheetsMemo::new(8, 8 << 20);
    let width_media_queries = *WIDTH_MEDIA.get(&page.stylesheets, || {
        width_media_queries_in(&page.stylesheets)
    });
    // Schemes compared in any case, without a lower-cased copy of every address.
    let (mut tel_links, mut mailto_links) = (0, 0);
    for href in page
        .select("a[href]")
        .filter_map(|a| a.value().attribute("href"))
    {
        let href = href.trim();
        let is = |scheme: &str| strip_prefix_ignore_ascii_case(href, scheme).is_some();
        tel_links += usize::from(is("tel:"));
        mailto_links += usize::from(is("mailto:"));
    }
    let body_text = page.body_text();
    let is_contact_page = page.url.path().to_lowercase().contains("contact")
        || page
            .title()
            .is_some_and(|t| t.to_lowercase().contains("contact"));
    let contact_forms = if is_contact_page {
        page.select("form")
            .filter(|f| page.holds(*f, "textarea"))
            .count()
    } else {
        0
    };
    PageSignals {
        words: stats.words,
        sentences: stats.sentences,
        syllables: stats.syllables,
        viewport,
        width_media_queries,
        tel_links,
        mailto_links,
        phone_numbers: phone_re().find_iter(body_text).count(),
        contact_forms,
        phone: page
            .browser
            .as_ref()
            .and_then(|b| b.layout.as_ref())
            .and_then(|l| l.phone.as_ref())
            .map(|p| p.summary(PHONE_EXAMPLES)),
    }
}

/// Media queries on the viewport's width in the sheets: each sheet's own `media`, and every
/// `@media` rule's head.
fn width_media_queries_in(sheets: &[Stylesheet]) -> usize {
    let mut width_media_queries = 0;
    for sheet in sheets {
        if sheet
            .media
            .as_deref()
            .is_some_and(|m| width_media_re().is_match(m))
        {
            width_media_queries += 1;
        }
        for (i, _) in sheet.text.match_indices("@media") {
            let head: String = sheet.text[i..].chars().take(200).collect();
            let head = head.split('{').next().unwrap_or("");
            if width_media_re().is_match(head) {
                width_media_queries += 1;
            }
        }
    }
    width_media_queries
}

/// Small tap targets a report keeps per page, as examples.
const PHONE_EXAMPLES: usize = 5;

/// Word, sentence and syllable counts of a French text.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TextStats {
    pub words: usize,
    pub sentences: usize,
    pub syllables: usize,
}

impl TextStats {
    /// One pass over the characters: a word's letters are lower-cased and counted as they are
    /// read, without gathering the word or its parts in strings (a page has thousands). ASCII
    /// bytes, most of a French text, take a path of their own without decoding characters.
    pub fn of(text: &str) -> TextStats {
        let mut reading = Reading::default();
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_alphabetic() {
                // A run of ASCII letters at once (most of a French text): each byte through
                // `Reading::ascii` stored the same state a letter at a time.
                let start = i;
                while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                    i += 1;
                }
                reading.ascii_letters(bytes.get(start..i).unwrap_or_default());
            } else if b.is_ascii() {
                reading.ascii(b);
                i += 1;
            } else {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    break;
                };
                reading.char(c);
                i += c.len_utf8();
            }
        }
        reading.char(' ');
        let mut s = reading.stats;
        if reading.words_in_sentence > 0 {
            s.sentences += 1;
        }
        s
    }

    /// Kandel & Moles (1958), Flesch's reading ease adapted to French:
    /// 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words).
    pub fn kandel_moles(&self) -> Option<f64> {
        if self.words == 0 || self.sentences == 0 {
            return None;
        }
        let w = self.words as f64;
        Some(207.0 - 1.015 * (w / self.sentences as f64) - 73.6 * (self.syllables as f64 / w))
    }
}

/// [`TextStats::of`] under way. The token being read (up to white space): its word's
/// syllables, whether it has a letter, and its last character outside closing quotes and
/// brackets (what says a sentence ends). Between tokens both are unset, so white space runs
/// change nothing.
#[derive(Default)]
struct Reading {
    stats: TextStats,
    words_in_sentence: usize,
    word: Syllables,
    letters: bool,
    last: Option<char>,
}

impl Reading {
    fn char(&mut self, c: char) {
        if c.is_whitespace() || c == '\u{a0}' {
            self.end_token();
            return;
        }
        if !matches!(c, '»' | '"' | ')' | '”') {
            self.last = Some(c);
        }
        if crate::format::is_alphabetic(c) {
            self.letters = true;
            self.word.letter(c);
        } else if matches!(c, '-' | '\'' | '’') {
            self.word.end_part();
        }
    }

    /// [`Reading::char`] for an ASCII byte that is not a letter ([`Reading::ascii_letters`]).
    #[inline]
    fn ascii(&mut self, b: u8) {
        if crate::format::is_ascii_space(b) {
            // `char::is_whitespace` on ASCII.
            self.end_token();
        } else {
            if b != b'"' && b != b')' {
                self.last = Some(b as char);
            }
            if b == b'-' || b == b'\'' {
                self.word.end_part();
            }
        }
    }

    /// [`Reading::ascii`] for each byte of a run of ASCII letters.
    fn ascii_letters(&mut self, run: &[u8]) {
        let Some(&last) = run.last() else {
            return;
        };
        self.last = Some(char::from(last));
        self.letters = true;
        self.word.ascii_letters(run);
    }

    fn end_token(&mut self) {
        let syllables = std::mem::take(&mut self.word);
        if self.letters {
            self.stats.words += 1;
            self.words_in_sentence += 1;
            self.stats.syllables += syllables.total();
        }
        let ends = matches!(self.last, Some('.' | '!' | '?' | '…' | ':' | ';'));
        if ends && self.words_in_sentence > 0 {
            self.stats.sentences += 1;
            self.words_in_sentence = 0;
        }
        (self.letters, self.last) = (false, None);
    }
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'à'
            | 'â'
            | 'ä'
            | 'é'
            | 'è'
            | 'ê'
            | 'ë'
            | 'î'
            | 'ï'
            | 'ô'
            | 'ö'
            | 'ù'
            | 'û'
            | 'ü'
            | 'ÿ'
            | 'œ'
            | 'æ'
    )
}

/// Spoken syllables of a French word, estimated: groups of vowels, minus a final mute « e »
/// (« -e », « -es », « -ent » of verbs is not told apart from nouns: an estimate). A word's
/// parts between hyphens and apostrophes are counted apart; upper case counts as lower case.
pub fn syllables(word: &str) -> usize {
    let mut count = Syllables::default();
    for c in word.chars() {
        if matches!(c, '-' | '\'' | '’') {
            count.end_part();
        } else {
            count.letter(c);
        }
    }
    count.total()
}

/// Syllables of a word being read letter by letter (lower-cased as they come: only
/// `str::to_lowercase`'s final sigma differs from `char::to_lowercase`, and it is neither a
/// vowel nor an « e », so the count is the same).
#[derive(Default)]
struct Syllables {
    total: usize,
    /// The current part: its vowel groups, its length in (lower-case) characters, whether
    /// it has a letter, whether its last character was a vowel, its last three characters
    /// (most recent last).
    groups: usize,
    chars: usize,
    alphabetic: bool,
    in_vowels: bool,
    last: [char; 3],
}

/// 1 for the bytes of ASCII vowels, `y` included, in either case; 0 for every other byte.
static ASCII_VOWEL: [u8; 256] = {
    let mut table = [0; 256];
    let vowels = b"aeiouyAEIOUY";
    let mut k = 0;
    while k < vowels.len() {
        table[vowels[k] as usize] = 1;
        k += 1;
    }
    table
};

impl Syllables {
    fn letter(&mut self, c: char) {
        if c.is_ascii() {
            self.lower(c.to_ascii_lowercase());
        } else if let Some(l) = crate::format::latin1_lower(c) {
            self.lower(l);
        } else {
            for l in c.to_lowercase() {
                self.lower(l);
            }
        }
    }

    /// [`Syllables::lower`] for each letter of a run of ASCII letters, in any case (their
    /// vowels by byte).
    fn ascii_letters(&mut self, run: &[u8]) {
        // Vowels as 0 and 1 from a table, counted without a branch: tested letter by letter,
        // each change between vowel and consonant was a mispredicted jump.
        let (mut groups, mut in_vowels) = (self.groups, u8::from(self.in_vowels));
        for &b in run {
            let vowel = ASCII_VOWEL[usize::from(b)];
            groups += usize::from(vowel & !in_vowels & 1);
            in_vowels = vowel;
        }
        (self.groups, self.in_vowels) = (groups, in_vowels == 1);
        self.chars += run.len();
        self.alphabetic |= !run.is_empty();
        for &b in &run[run.len().saturating_sub(3)..] {
            self.last = [
                self.last[1],
                self.last[2],
                char::from(b.to_ascii_lowercase()),
            ];
        }
    }

    fn lower(&mut self, c: char) {
        self.add(c, is_vowel(c), crate::format::is_alphabetic(c));
    }

    /// A lower-case character of the current part, whether a vowel and whether a letter.
    #[inline]
    fn add(&mut self, c: char, vowel: bool, alphabetic: bool) {
        if vowel && !self.in_vowels {
            self.groups += 1;
        }
        self.in_vowels = vowel;
        self.chars += 1;
        self.alphabetic |= alphabetic;
        self.last = [self.last[1], self.last[2], c];
    }

    fn end_part(&mut self) {
        if self.chars > 0 {
            let [a, b, c] = self.last;
            let mute = (c == 'e' && !(b == 'é' || b == 'i'))
                || (b == 'e' && c == 's' && !(a == 'é' || a == 'i'));
            let mut groups = self.groups;
            if groups > 1 && mute {
                groups -= 1;
            }
            if groups > 0 {
                self.total += groups;
            } else if self.alphabetic && self.chars > 1 {
                // Acronyms and words without vowels (« CNRS ») are read letter by letter.
                self.total += self.chars;
            }
        }
        *self = Syllables {
            total: self.total,
            ..Syllables::default()
        };
    }

    fn total(mut self) -> usize {
        self.end_part();
        self.total.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts as first written: the word gathered, split, each part lower-cased.
    fn reference_stats(text: &str) -> TextStats {
        fn syllables_in(word: &str) -> usize {
            let mut total = 0;
            for part in word.split(['-', '\'', '’']) {
                let s = part.to_lowercase();
                if s.is_empty() {
                    continue;
                }
                let (mut groups, mut prev) = (0, false);
                for c in s.chars() {
                    let v = is_vowel(c);
                    if v && !prev {
                        groups += 1;
                    }
                    prev = v;
                }
                let mute = (s.ends_with('e') && !s.ends_with("ée") && !s.ends_with("ie"))
                    || (s.ends_with("es") && !s.ends_with("ées") && !s.ends_with("ies"));
                if groups > 1 && mute {
                    groups -= 1;
                }
                if groups > 0 {
                    total += groups;
                } else if s.chars().any(|c| c.is_alphabetic()) && s.chars().nth(1).is_some() {
                    total += s.chars().count();
                }
            }
            total.max(1)
        }
        let mut s = TextStats::default();
        let mut in_sentence = 0usize;
        for token in text.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
            if token.is_empty() {
                continue;
            }
            let word: String = token
                .chars()
                .filter(|c| c.is_alphabetic() || *c == '-' || *c == '\'' || *c == '’')
                .collect();
            if word.chars().any(char::is_alphabetic) {
                s.words += 1;
                in_sentence += 1;
                s.syllables += syllables_in(&word);
            }
            let ends = token
                .trim_end_matches(['»', '"', ')', '”', '\u{a0}'])
                .ends_with(['.', '!', '?', '…', ':', ';']);
            if ends && in_sentence > 0 {
                s.sentences += 1;
                in_sentence = 0;
            }
        }
        if in_sentence > 0 {
            s.sentences += 1;
        }
        s
    }

    #[test]
    fn counted_in_one_pass_as_when_words_were_gathered() {
        let samples = [
            "Le chat dort. Il fait beau !",
            "L'usager’s dossier-type : ÉTÉ, « aidée » ; les amies… CNRS, NIR2 et 12 h.",
            "Ἀθῆναι ΣΟΦΟΣ straße İstanbul ﬁn Œuvre cœur œ- -e e-e l' '' -- 3-4 x1y",
            "  \u{a0}mots\u{a0}  séparés\tpar\ndes blancs (fin). « Citation. » Suite",
            "AIDE AUX USAGERS, Yaourt et YOYO : DOSSIER EN LIGNE.",
        ];
        for text in samples {
            assert_eq!(TextStats::of(text), reference_stats(text), "{text}");
        }
        // Every fixture page's text.
        let pages = crate::page::fixture_pages();
        for (path, html) in &pages {
            let text = scraper::Html::parse_document(html)
                .root_element()
                .text()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(
                TextStats::of(&text),
                reference_stats(&text),
                "{}",
                path.display()
            );
        }
        assert!(pages.len() > 100, "{}", pages.len());
    }

    #[test]
    fn syllables_of_french_words() {
        assert_eq!(syllables("démarche"), 2);
        assert_eq!(syllables("administration"), 5);
        assert_eq!(syllables("aide"), 1);
        assert_eq!(syllables("usagers"), 3);
        assert_eq!(syllables("l'usager"), 3);
        assert_eq!(syllables("été"), 2);
        // Upper case, ASCII or not, lower-cased before counting.
        assert_eq!(syllables("ÉTÉ"), 2);
        assert_eq!(syllables("Démarche-Type"), 3);
        assert_eq!(syllables("CNRS"), 4);
    }

    #[test]
    fn text_stats_and_index() {
        let t = TextStats::of("Le chat dort. Il fait beau !");
        assert_eq!(t.words, 6);
        assert_eq!(t.sentences, 2);
        assert_eq!(t.syllables, 6);
        // 207 − 1.015 × 3 − 73.6 × 1 = 130.355
        let i = t.kandel_moles().unwrap_or_default();
        assert!((i - 130.355).abs() < 1e-9, "{i}");
        assert_eq!(TextStats::of("").kandel_moles(), None);
    }

    #[test]
    fn signals_of_a_page() {
        let html = r#"<!doctype html><html lang="fr"><head><title>Contact</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>@media (max-width: 600px) { body { margin: 0 } }</style></head>
            <body><main><p>Appelez le 01 23 45 67 89. Ou écrivez-nous.</p>
            <a href="tel:+33123456789">Téléphone</a> <a href="mailto:a@b.fr">Courriel</a>
            <a href=" TEL:3939 ">Service</a> <a href="MailTo:x@y.fr">Écrire</a>
            <a href="télé:1">Non</a> <a href="tel">Non</a> <a href="/mailto:z">Non</a>
            <form><textarea name="m"></textarea></form></main></body></html>"#;
        let url = url::Url::parse("http://x.test/contact.html").unwrap_or_else(|e| panic!("{e}"));
        let page = Page::parse(url, html);
        let s = signals_of(&page);
        assert_eq!(
            s.viewport.as_deref(),
            Some("width=device-width, initial-scale=1")
        );
        assert_eq!(s.width_media_queries, 1);
        // Schemes in any case, around white space; nothing else counts.
        assert_eq!((s.tel_links, s.mailto_links, s.contact_forms), (2, 2, 1));
        assert_eq!(s.phone_numbers, 1);
        assert_eq!(s.sentences, 3);
    }
}
