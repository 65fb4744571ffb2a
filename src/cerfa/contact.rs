//! Criteria 12, 13, 14: contact channels (French phone numbers and `tel:`, `mailto:`, a contact
//! form, chat, desk address, appointment booking) and FAQ / help links.

use crate::page::Attribute;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{fold, LinkRef};
use crate::page::{normalize_space, text_of, Page, Target};

/// Contact and help evidence of one page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Contact {
    /// Phone numbers as written (text or `tel:` links), normalised to digits with "+33"/"0".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Selector of a contact form (a form with a message field, or any form on a contact page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<String>,
    /// FAQ and help links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub help_links: Vec<LinkRef>,
    /// The page itself is a contact page (URL, title or main heading).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub contact_page: bool,
}

impl Contact {
    /// Distinct channels: "telephone", "courriel", "formulaire", "tchat", "accueil", "rendez_vous".
    pub fn channels(&self) -> Vec<&'static str> {
        let mut c = Vec::new();
        if !self.phones.is_empty() {
            c.push("telephone");
        }
        if !self.emails.is_empty() {
            c.push("courriel");
        }
        if self.form.is_some() {
            c.push("formulaire");
        }
        if self.chat.is_some() {
            c.push("tchat");
        }
        if self.desk.is_some() {
            c.push("accueil");
        }
        if self.appointment.is_some() {
            c.push("rendez_vous");
        }
        c
    }
}

fn regex(cell: &'static OnceLock<Regex>, p: &str) -> &'static Regex {
    cell.get_or_init(|| match Regex::new(p) {
        Ok(r) => r,
        Err(e) => panic!("invalid built-in regex {p:?}: {e}"),
    })
}

/// French phone numbers in a text: "09 69 32 10 10", "09.69.32.10.10", "+33 9 69 32 10 10",
/// "+33 (0)9 69 32 10 10", and short numbers "le 3939".
pub fn phones_in(text: &str) -> Vec<String> {
    static SHORT: OnceLock<Regex> = OnceLock::new();
    let short = regex(
        &SHORT,
        r"(?i)\b(?:le|au|composez le|appelez le)\s+(3\d{3})\b",
    );
    let mut out: Vec<String> = Vec::new();
    for n in long_phones_in(text) {
        let n = normalise_phone(n);
        if !out.contains(&n) {
            out.push(n);
        }
    }
    for c in short.captures_iter(text) {
        let n = c[1].to_string();
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

/// A ten-digit number with the characters around it: not part of a longer run of digits.
const LONG_PHONE: &str = r"(?:^|[^\d+])((?:\+33|0033)\s?(?:\(0\)\s?)?[1-9](?:[\s.\-]?\d{2}){4}|0[1-9](?:[\s.\-]?\d{2}){4})(?:$|[^\d])";

/// Bytes a match of [`LONG_PHONE`] spans at most: a character before (4), `0033` (4), a space
/// (3), `(0)` (3), a space (3), a digit (1), four pairs of digits of up to 4 bytes each with a
/// separator of up to 3 (44), a character after (4): 66, rounded up.
const LONG_PHONE_SPAN: usize = 80;

/// The numbers of [`LONG_PHONE`] in `text` (its first group), as `captures_iter` finds them.
/// The pattern opens on « any character but a digit or `+` », which leaves the regex engine
/// nothing to skip ahead to: it read every byte of a page's text in its slowest mode (16 µs a
/// page, a hundredth of the analysis). A match starts on the character before one of the
/// number's first literals (`+33`, `0033`, `0[1-9]`), or at the text's start: those are
/// found by a byte search (no regex call for each: a thread that does not own a regex's
/// cache takes it from a shared pool at every call), and the pattern is tried at each such
/// start that has ten digits after it, in order, on a window its longest match cannot reach
/// the end of (so `$` is only read at the text's real end). The first start where it matches
/// is the leftmost match; the next search begins where that match ends, as the iterator's
/// does.
fn long_phones_in(text: &str) -> Vec<&str> {
    static FULL: OnceLock<Regex> = OnceLock::new();
    let full = regex(&FULL, LONG_PHONE);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // Where the next match may start (the end of the last one), and where to look for the next
    // literal: every position, as literals may overlap (`0033` holds `03`).
    let (mut next_match, mut from) = (0, 0);
    let mut last_tried = None;
    while let Some(offset) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'0', b'+', rest))
    {
        let at = from + offset;
        // The literal begins with an ASCII byte: the next position is a character boundary.
        from = at + 1;
        let rest = &bytes[at..];
        let literal = rest.starts_with(b"+33")
            || rest.starts_with(b"0033")
            || (rest.first() == Some(&b'0')
                && rest.get(1).is_some_and(|d| (b'1'..=b'9').contains(d)));
        if !literal {
            continue;
        }
        let start = at - text[..at].chars().next_back().map_or(0, char::len_utf8);
        if start < next_match || last_tried == Some(start) {
            continue;
        }
        last_tried = Some(start);
        let mut end = (start + LONG_PHONE_SPAN).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        // A number has ten digits at least (`0` and nine, `33` and nine): most literals are
        // dates and amounts, told apart without the pattern. `is_numeric` holds every `\d`.
        let digits = text[start..end].chars().filter(|c| c.is_numeric()).take(10);
        if digits.count() < 10 {
            continue;
        }
        let Some(caps) = full.captures_at(&text[..end], start) else {
            continue;
        };
        let (Some(whole), Some(number)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        if whole.start() == start {
            found.push(number.as_str());
            next_match = whole.end();
            from = from.max(next_match);
        }
    }
    found
}

/// Digits only, "+33" numbers rewritten with a leading 0 so both spellings compare equal.
pub fn normalise_phone(s: &str) -> String {
    let s = s.replace("(0)", "");
    let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
    if let Some(rest) = digits.strip_prefix("0033") {
        format!("0{rest}")
    } else if s.trim_start().starts_with('+') {
        match digits.strip_prefix("33") {
            Some(rest) => format!("0{rest}"),
            None => digits,
        }
    } else {
        digits
    }
}

const CHAT_WORDS: &[&str] = &[
    "tchat",
    "chat en ligne",
    "discuter avec un conseiller",
    "messagerie instantanee",
    "discussion en direct",
];
const APPOINTMENT_WORDS: &[&str] = &[
    "prendre rendez-vous",
    "prise de rendez-vous",
    "rendez-vous en ligne",
    "sur rendez-vous",
    "prendre un rendez-vous",
];
const DESK_WORDS: &[&str] = &[
    "france services",
    "accueil physique",
    "point d'accueil",
    "nos guichets",
    "au guichet",
];

/// Searchers of a list of words, built once for the process.
type Finders = OnceLock<Vec<memchr::memmem::Finder<'static>>>;

/// The first of `words` (in their order) the text holds anywhere, each searched with its own
/// searcher kept in `finders`: `str::contains` built one for each of the fifteen words on every
/// page, and searched a page's text more slowly than `memmem` does.
fn first_word(
    text: &str,
    words: &'static [&'static str],
    finders: &'static Finders,
) -> Option<&'static str> {
    let finders = finders.get_or_init(|| words.iter().map(memchr::memmem::Finder::new).collect());
    words
        .iter()
        .zip(finders)
        .find(|(_, finder)| finder.find(text.as_bytes()).is_some())
        .map(|(w, _)| *w)
}

fn is_help_link(text: &str, href: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    static HELP: std::sync::LazyLock<super::keywords::Keywords> = std::sync::LazyLock::new(|| {
        super::keywords::Keywords::new([&[
            "faq",
            "questions frequentes",
            "foire aux questions",
            "centre d'aide",
            "besoin d'aide",
            "aide en ligne",
            "rubrique d'aide",
        ][..]])
    });
    // Every match of the address pattern holds one of these in any ASCII case (its letters
    // have no other case but `s`, which `questions` has after `/que`): most addresses have
    // none, and are not handed to the regex engine one by one.
    let may_be_help_address = || {
        ["/faq", "/aide", "/help", "/que"]
            .iter()
            .any(|w| crate::format::find_ignore_ascii_case(href, w).is_some())
    };
    text == "aide"
        || (text.starts_with("aide ") && text.len() < 30)
        || HELP.any_in(text)
        || (may_be_help_address()
            && regex(
                &R,
                r"(?i)/(faq|aide|help|questions-frequentes)(\.html?|/|$|\?)",
            )
            .is_match(href))
}

/// Kinds of way a street address names.
const STREET_KINDS: [&str; 11] = [
    "rue",
    "avenue",
    "boulevard",
    "bd",
    "place",
    "allee",
    "chemin",
    "quai",
    "cours",
    "impasse",
    "route",
];

/// The first street address in a folded text: a number, a kind of way, and a postcode within
/// 60 characters. The pattern opens on a word boundary and a digit, which leaves the regex
/// engine nothing to skip ahead to (16 µs a page, a hundredth of the analysis): it only runs
/// when some kind of way follows white space after a digit, `bis`, `ter` or a comma, which
/// every match holds (found by one automaton).
fn street_address(text: &str) -> Option<&str> {
    static STREET: OnceLock<Regex> = OnceLock::new();
    static KINDS: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    // Leftmost-first: its search skips ahead on the words' bytes (the standard semantics'
    // read every byte: 17 µs against 3 on a page's text).
    let kinds = KINDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(STREET_KINDS)
            .ok()
    });
    // Built from constant words it cannot fail; were it to, the pattern reads every text.
    let may_hold = kinds.as_ref().is_none_or(|kinds| {
        // Not overlapping: an occurrence starting inside another follows a letter, never
        // white space, so none that counts is skipped.
        kinds.find_iter(text).any(|kind| {
            let before = &text[..kind.start()];
            let word_end = before.trim_end_matches(char::is_whitespace);
            // `\s` is white space and `\d` a decimal digit, which `is_numeric` includes.
            word_end.len() < before.len()
                && word_end
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_numeric() || matches!(c, 's' | 'r' | ','))
        })
    });
    if !may_hold {
        return None;
    }
    // The pattern names the same kinds, from the same list.
    let street = STREET.get_or_init(|| {
        let pattern = format!(
            r"\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{})\b[^.;]{{0,60}}?\b\d{{5}}\b",
            STREET_KINDS.join("|")
        );
        match Regex::new(&pattern) {
            Ok(r) => r,
            Err(e) => panic!("invalid built-in regex {pattern:?}: {e}"),
        }
    });
    street.find(text).map(|m| m.as_str())
}

/// Is this page a contact page?
fn is_contact_page(page: &Page) -> bool {
    let path = page.url.path().to_ascii_lowercase();
    let title = fold(&page.title().unwrap_or_default());
    let h1 = page
        .select("h1")
        .next()
        .map(|h| fold(&text_of(h)))
        .unwrap_or_default();
    path.contains("contact")
        || path.contains("nous-ecrire")
        || ["contact", "nous ecrire", "nous contacter"]
            .iter()
            .any(|w| title.starts_with(w) || h1.starts_with(w))
}

/// Read the contact evidence of a page.
pub fn extract(page: &Page) -> Contact {
    let raw = page.body_text();
    let text = super::folded_body(page);
    let mut phones = phones_in(raw);
    let mut emails: Vec<String> = Vec::new();
    let mut help_links = Vec::new();
    for (a, l) in super::hyperlink_texts(page) {
        let href = a.value().attribute("href").unwrap_or("").trim();
        // The scheme in any case; the rest lower-cased only for these two (not every link).
        let after = |scheme: &str| {
            crate::format::strip_prefix_ignore_ascii_case(href, scheme).map(str::to_ascii_lowercase)
        };
        if let Some(n) = after("tel:") {
            let n = normalise_phone(&n);
            if !n.is_empty() && !phones.contains(&n) {
                phones.push(n);
            }
        } else if let Some(m) = after("mailto:") {
            let m = m.split('?').next().unwrap_or("").to_string();
            if !m.is_empty() && !emails.contains(&m) {
                emails.push(m);
            }
        } else if help_links.len() < 5 && is_help_link(&l.folded, href) {
            help_links.push(LinkRef::of(page, a));
        }
    }
    let contact_page = is_contact_page(page);
    let form = page
        .select("form")
        .find(|f| {
            let is_search = f.value().attribute("role") == Some("search")
                || page.holds(*f, "input[type=search]");
            !is_search
                && !page.holds(*f, "input[type=password i]")
                && (page.holds(*f, "textarea")
                    || (contact_page
                        && page.holds(
                            *f,
                            "input:not([type=hidden]):not([type=submit]):not([type=button]), textarea",
                        )))
        })
        .map(|f| Target::of(page, f).selector.to_string());
    static CHAT: Finders = OnceLock::new();
    static APPOINTMENT: Finders = OnceLock::new();
    static DESK: Finders = OnceLock::new();
    let chat = first_word(text, CHAT_WORDS, &CHAT).map(str::to_string);
    let appointment = first_word(text, APPOINTMENT_WORDS, &APPOINTMENT).map(str::to_string);
    let desk = street_address(text)
        .map(normalize_space)
        .or_else(|| first_word(text, DESK_WORDS, &DESK).map(str::to_string));
    Contact {
        phones,
        emails,
        form,
        chat,
        desk,
        appointment,
        help_links,
        contact_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each list's first word the text holds, in the list's order, as `str::contains` finds.
    #[test]
    fn first_word_is_the_list_s_first_held() {
        static FINDERS: Finders = OnceLock::new();
        for text in [
            "",
            "prendre un rendez-vous en ligne, ou prendre rendez-vous",
            "rendez-vous en lignesur rendez-vous",
            "sur rendez-vou",
        ] {
            let expected = APPOINTMENT_WORDS.iter().copied().find(|w| text.contains(w));
            assert_eq!(
                first_word(text, APPOINTMENT_WORDS, &FINDERS),
                expected,
                "{text}"
            );
        }
    }

    /// Texts made of the pieces numbers and addresses are built from (digits of two scripts,
    /// the separators, white space of three widths, `+33`, `(0)`, words, accents), drawn by a
    /// fixed pseudo-random sequence: the same each run.
    fn texts(count: usize) -> Vec<String> {
        const PIECES: &[&str] = &[
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "01", "06", "33", "00", "0033",
            "+33", "+", "(0)", " ", "  ", "\u{a0}", "\u{3000}", ".", "-", ",", ";", "x", "é",
            "\u{663}", "le ", "rue", "avenue", "place", " bis", " ter", "75001", "cours", "\n",
            "tel", "bd",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        (0..count)
            .map(|_| {
                let len = 1 + next(60);
                (0..len).map(|_| PIECES[next(PIECES.len())]).collect()
            })
            .collect()
    }

    /// The numbers found from their literals are those the pattern's own iterator finds.
    #[test]
    fn long_phones_are_the_pattern_s_matches() {
        let pattern = Regex::new(LONG_PHONE).unwrap_or_else(|e| panic!("{e}"));
        let mut seen = 0;
        for text in texts(30_000) {
            let expected: Vec<&str> = pattern
                .captures_iter(&text)
                .filter_map(|c| c.get(1))
                .map(|m| m.as_str())
                .collect();
            seen += expected.len();
            assert_eq!(long_phones_in(&text), expected, "{text:?}");
        }
        // The texts hold numbers, so the comparison is not only of empty lists.
        assert!(seen > 300, "{seen}");
    }

    /// The automaton only skips texts where the pattern finds no address.
    #[test]
    fn street_address_is_the_pattern_s_first_match() {
        let pattern = Regex::new(
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|place|allee|chemin|quai|cours|impasse|route)\b[^.;]{0,60}?\b\d{5}\b",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut seen = 0;
        for text in texts(30_000) {
            let expected = pattern.find(&text).map(|m| m.as_str());
            seen += usize::from(expected.is_some());
            assert_eq!(street_address(&text), expected, "{text:?}");
        }
        assert!(seen > 50, "{seen}");
    }

    /// The help links' words and addresses, in any case, `ſ` (which matches `s` in any case)
    /// included.
    #[test]
    fn help_links_by_text_or_address() {
        assert!(is_help_link("besoin d'aide ?", "/x"));
        assert!(is_help_link("aide", "/x"));
        assert!(!is_help_link("aider les familles a", "/x"));
        for href in [
            "/FAQ",
            "/x/Aide/",
            "/help?x",
            "/queſtions-frequentes.html",
            "/AIDE",
        ] {
            assert!(is_help_link("x", href), "{href}");
        }
        for href in ["/faqs", "/aides", "/x/helper/", "/questions", "/", ""] {
            assert!(!is_help_link("x", href), "{href}");
        }
    }

    /// Schemes are read in any case, the address after them lower-cased as before; an
    /// address that only mentions a scheme later on is neither.
    #[test]
    fn phone_and_mail_links_in_any_case() {
        let html = r#"<!doctype html><html lang="fr"><body>
            <a href=" TEL:09 69 32 10 10 ">Appeler</a>
            <a href="MailTo:Contact@Caisse.Example.fr?subject=Question">Écrire</a>
            <a href="/aide?mailto:autre@example.fr">Aide</a>
            <a href="té:0102030405">Rien</a></body></html>"#;
        let url = url::Url::parse("http://x.test/").unwrap_or_else(|e| panic!("{e}"));
        let c = extract(&Page::parse(url, html));
        assert_eq!(c.phones, ["0969321010"]);
        assert_eq!(c.emails, ["contact@caisse.example.fr"]);
    }
}
