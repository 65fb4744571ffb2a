//! Criterion 26: identification pages and the FranceConnect button in its real forms (DSFR
//! `fr-connect`, legacy classes and official images, links to the identity provider, the text
//! « S'identifier avec FranceConnect » with any apostrophe).

use crate::page::Attribute;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use super::keywords::Keywords;
use super::{doc_index, fold, LinkRef};
use crate::format::find_ignore_ascii_case;
use crate::page::{normalized_text_of, text_of, ElementRef, Page, Target};

/// FranceConnect or FranceConnect+.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FcVariant {
    #[serde(rename = "franceconnect")]
    FranceConnect,
    #[serde(rename = "franceconnect_plus")]
    FranceConnectPlus,
}

/// The FranceConnect button found on a page and how it is integrated.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FcButton {
    pub variant: FcVariant,
    /// How it was recognised: "dsfr", "classe", "image", "lien", "texte".
    pub detected_by: String,
    pub target: Target,
    /// The « Qu'est-ce que FranceConnect ? » link is present.
    pub info_link: bool,
    /// The button comes before the native login (password field), or there is none.
    pub offered_first: bool,
    /// A DSFR button with inline style or custom colours (not to be restyled).
    pub restyled: bool,
}

impl FcButton {
    /// Integration conforming to the official rules we can check.
    pub fn conforming(&self) -> bool {
        self.info_link && self.offered_first && !self.restyled
    }
}

const LOGIN_WORDS: &[&str] = &[
    "se connecter",
    "connexion",
    "s'identifier",
    "identifiez-vous",
    "identification",
    "s'inscrire",
    "inscription",
    "creer un compte",
    "creer mon compte",
    "mon compte",
    "espace personnel",
    "mon espace",
];

/// A page asks for identification: a password field, or a login/sign-up heading or title.
pub fn is_identification_page(page: &Page) -> bool {
    if page.select("input[type=password i]").next().is_some() {
        return true;
    }
    let heading = page
        .select("h1")
        .next()
        .map(|h| fold(&text_of(h)))
        .unwrap_or_default();
    let title = fold(&page.title().unwrap_or_default());
    let strong = [
        "se connecter",
        "connexion",
        "s'identifier",
        "identification",
        "inscription",
        "creer un compte",
    ];
    strong
        .iter()
        .any(|w| heading.starts_with(w) || title.starts_with(w))
}

/// The page is hardly more than a login form (little text outside forms).
pub fn is_login_only(page: &Page) -> bool {
    let body = page.body_text();
    let forms: usize = page
        .select("form")
        .map(|f| normalized_text_of(f).chars().count())
        .sum();
    body.chars().count().saturating_sub(forms) < 200
}

/// Links towards an identification area.
pub fn login_links(page: &Page) -> Vec<LinkRef> {
    static LOGIN: LazyLock<Keywords> = LazyLock::new(|| Keywords::new([LOGIN_WORDS]));
    super::hyperlink_texts(page)
        .filter(|(_, l)| l.folded.len() < 60 && LOGIN.any_in(&l.folded))
        .take(5)
        .map(|(a, _)| LinkRef::of(page, a))
        .collect()
}

fn class_or_id(el: ElementRef<'_>) -> String {
    format!(
        "{} {}",
        el.value().attribute("class").unwrap_or(""),
        el.value().attribute("id").unwrap_or("")
    )
    .to_ascii_lowercase()
}

fn is_info_text(t: &str) -> bool {
    t.contains("qu'est-ce que franceconnect") || t.contains("qu'est ce que franceconnect")
}

fn is_clickable(el: ElementRef<'_>) -> bool {
    matches!(el.value().name(), "a" | "button" | "input")
}

/// A legacy class or id marks a button only if something clickable is there.
fn is_or_holds_clickable(el: ElementRef<'_>) -> bool {
    is_clickable(el)
        || el
            .descendants()
            .filter_map(ElementRef::wrap)
            .any(is_clickable)
        || el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(is_clickable)
}

/// Classes and ids of legacy FranceConnect buttons, and the DSFR group that is not one.
const LEGACY_MARK_GROUPS: [&[&str]; 2] = [
    &[
        "franceconnect",
        "france-connect",
        "france_connect",
        "fc-button",
        "fc-btn",
    ],
    &["fr-connect-group"],
];

static LEGACY_MARKS: LazyLock<Keywords> =
    LazyLock::new(|| Keywords::ignoring_ascii_case(LEGACY_MARK_GROUPS));

/// Every mark of [`LEGACY_MARK_GROUPS`] holds « connect » or « fc-b » (in any case): a class or
/// id with neither holds none, and is not searched (most of a page's classes; the automaton's
/// search costs more per call than a scan on such short values). Both hold a `c`: one scan for
/// it in either case finds them (DSFR classes are full of the `f` a scan for « fc-b » stopped
/// at).
fn may_hold_legacy_mark(value: &str) -> bool {
    let bytes = value.as_bytes();
    let at = |i: usize, word: &[u8]| {
        bytes
            .get(i..i + word.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(word))
    };
    memchr::memchr2_iter(b'c', b'C', bytes)
        .any(|i| at(i, b"connect") || (i > 0 && at(i - 1, b"fc-b")))
}

/// Find the FranceConnect button, in order of reliability.
pub fn find_button(page: &Page) -> Option<FcButton> {
    let mut found: Option<(ElementRef<'_>, &str)> = None;
    // 1. DSFR component.
    if let Some(el) = page.select(".fr-connect").next() {
        found = Some((el, "dsfr"));
    }
    // 2. Legacy classes or ids: none without « connect » or « fc-b » in some class or id
    // (most pages), told without a pass over every element.
    if found.is_none()
        && (page.class_or_id_may_hold("connect") || page.class_or_id_may_hold("fc-b"))
    {
        // Every element in the order `select("[class], [id]")` gives them (the tree's node
        // order, those in the tree), each attribute read once: an element with neither has no
        // mark, and most of a page's classes are searched by a single scan.
        let (class, id) = (
            html5ever::local_name!("class"),
            html5ever::local_name!("id"),
        );
        found = page
            .dom
            .tree
            .nodes()
            .filter(|n| n.parent().is_some())
            .filter_map(ElementRef::wrap)
            .find(|el| {
                // Class and id read as written, in any case (no lower-cased copy of each).
                let mut found = 0;
                for (name, value) in el.value().attrs.iter() {
                    if name.ns == html5ever::ns!()
                        && (name.local == class || name.local == id)
                        && may_hold_legacy_mark(value)
                    {
                        found |= LEGACY_MARKS.groups_in(value);
                    }
                }
                // Group 0: a legacy mark; group 1: the DSFR group around a button.
                found == 0b01 && !is_info_text(&fold(&text_of(*el))) && is_or_holds_clickable(*el)
            })
            .map(|el| (el, "classe"));
    }
    // 3. Official images (alt text) or inline SVG titles.
    if found.is_none() {
        found = page
            .select("img[alt], svg title, input[type=image][alt]")
            .find(|el| {
                let alt = match el.value().name() {
                    "title" => fold(&text_of(*el)),
                    _ => {
                        let alt = el.value().attribute("alt").unwrap_or("");
                        // Both names start with « france »: an ASCII alt without it, in any
                        // case, folds to neither (most images), so it is not folded.
                        if alt.is_ascii() && find_ignore_ascii_case(alt, "france").is_none() {
                            return false;
                        }
                        fold(alt)
                    }
                };
                alt.contains("franceconnect") || alt.contains("france connect")
            })
            .map(|el| (el, "image"));
    }
    // 4. Link to the identity provider (not the info link).
    if found.is_none() {
        found = super::hyperlink_texts(page)
            .find(|(a, l)| {
                let href = a.value().attribute("href").unwrap_or("");
                // Every address below holds « franceconnect » or « france-connect »: without
                // « france » in any case, no lower-cased copy is made (most links).
                if find_ignore_ascii_case(href, "france").is_none() {
                    return false;
                }
                let href = href.to_ascii_lowercase();
                (href.contains("franceconnect.gouv.fr")
                    || href.contains("franceconnect.fr")
                    || href.contains("france-connect")
                    || href.contains("franceconnect"))
                    && !is_info_text(&l.folded)
                    && !href
                        .trim_end_matches('/')
                        .ends_with("franceconnect.gouv.fr")
                    && !href.contains("france-connect-plus")
            })
            .map(|(el, _)| (el, "lien"));
    }
    // 5. The button text.
    if found.is_none() {
        // ASCII folds to its lower case: without « franceconnect » in any case there is
        // nothing to fold (most links and buttons of a page).
        let lacks = |v: &str| v.is_ascii() && find_ignore_ascii_case(v, "franceconnect").is_none();
        let says = |t: &str| {
            (t.contains("avec franceconnect") || t.contains("via franceconnect"))
                && !is_info_text(t)
        };
        let says_it = |el: ElementRef<'_>, value: &str| {
            let text = text_of(el);
            if lacks(&text) && lacks(value) {
                return false;
            }
            says(&fold(&format!("{text} {value}")))
        };
        fn value_of(el: ElementRef<'_>) -> &str {
            el.value().attribute("value").unwrap_or("")
        }
        // The links from their memo, whose text has the same words as their raw text (or
        // stands in for an empty one): most are answered without building it again. The first
        // link and the first button that say it; of the two, the first in node order (the
        // order of `select("a, button, input[type=submit], input[type=button]")`).
        let link = super::link_texts(page).0.iter().find_map(|l| {
            let el = page.dom.tree.get(l.id).and_then(ElementRef::wrap)?;
            let value = value_of(el);
            if lacks(value) && lacks(&l.text) {
                return None;
            }
            // What `says_it` folds, from the memo: folding collapses white space as normalising
            // does, so a link's own text folds as its raw text (`text_of`) does; a link whose
            // text is blank folds to its value alone.
            let said = match (l.own, value.is_empty()) {
                (true, true) => says(&l.folded),
                (false, _) => says(&fold(value)),
                (true, false) => says_it(el, value),
            };
            said.then_some(el)
        });
        let button = page
            .select("button, input[type=submit], input[type=button]")
            .find(|el| says_it(*el, value_of(*el)));
        found = match (link, button) {
            (Some(a), Some(b)) => Some(if a.id() < b.id() { a } else { b }),
            (a, b) => a.or(b),
        }
        .map(|el| (el, "texte"));
    }
    let (el, how) = found?;
    // The button itself: climb from an image or span to the clickable ancestor.
    let button = std::iter::once(el)
        .chain(el.ancestors().filter_map(ElementRef::wrap))
        .find(|e| is_clickable(*e))
        .or_else(|| {
            el.descendants()
                .filter_map(ElementRef::wrap)
                .find(|e| is_clickable(*e))
        })
        .unwrap_or(el);
    let own = fold(&format!(
        "{} {} {} {}",
        class_or_id(button),
        text_of(button),
        button.value().attribute("href").unwrap_or(""),
        button
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter_map(|e| e.value().attribute("alt"))
            .collect::<Vec<_>>()
            .join(" ")
    ));
    let plus = own.contains("fr-connect--plus")
        || own.contains("franceconnect+")
        || own.contains("franceconnect +")
        || own.contains("france-connect-plus")
        || own.contains("franceconnect plus");
    let info_link = super::hyperlink_texts(page).any(|(_, l)| is_info_text(&l.folded));
    let btn_pos = doc_index(page, button);
    let offered_first = page
        .select("input[type=password i]")
        .next()
        .map(|pw| btn_pos < doc_index(page, pw))
        .unwrap_or(true);
    let restyled = how == "dsfr"
        && button
            .value()
            .attribute("style")
            .map(|s| !s.trim().is_empty())
            .unwrap_or(false);
    Some(FcButton {
        variant: if plus {
            FcVariant::FranceConnectPlus
        } else {
            FcVariant::FranceConnect
        },
        detected_by: how.to_string(),
        target: Target::of(page, button),
        info_link,
        offered_first,
        restyled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The button text's fold read from the links' memo equals the fold of the raw text and
    /// value it stands for: on every link of every fixture page, and on links whose text is
    /// split by blocks, line breaks, no-break spaces, scripts, or is blank with a value.
    #[test]
    fn link_folds_from_the_memo_equal_the_raw_text_s() {
        let mut pages: Vec<Page> = crate::page::fixture_pages()
            .iter()
            .map(|(_, html)| Page::parse(url::Url::parse("http://t.test/").expect("url"), html))
            .collect();
        pages.push(Page::parse(
            url::Url::parse("http://t.test/").expect("url"),
            "<a href=/a><div>S'identifier avec</div><div>France\u{a0}Connect</div></a>\
             <a href=/b>  Connexion\t<br>via <b>FranceConnect</b> <script>x()</script> </a>\
             <a href=/c value='avec FranceConnect'> \u{a0} </a><a href=/d value=v>texte</a>\
             <a href=/e><img alt='avec franceconnect'></a>",
        ));
        let mut compared = 0;
        for page in &pages {
            for l in &super::super::link_texts(page).0 {
                let Some(el) = page.dom.tree.get(l.id).and_then(ElementRef::wrap) else {
                    continue;
                };
                let value = el.value().attribute("value").unwrap_or("");
                let raw = fold(&format!("{} {value}", text_of(el)));
                match (l.own, value.is_empty()) {
                    (true, true) => assert_eq!(l.folded, raw),
                    (false, _) => assert_eq!(fold(value), raw),
                    (true, false) => continue,
                }
                compared += 1;
            }
        }
        assert!(compared > 400, "{compared}");
    }

    /// One scan for `c` answers as the two searches it replaces, on every string of these
    /// pieces up to four long (overlaps, cases, a `c` at the start and the end).
    #[test]
    fn legacy_mark_scan_answers_as_two_searches() {
        let texts = crate::format::strings_of(
            &[
                "c", "C", "f", "F", "fc-", "FC-B", "b", "onnect", "conneCT", "-", " ", "é",
            ],
            4,
        );
        let mut held = 0;
        for t in &texts {
            let expected = find_ignore_ascii_case(t, "connect").is_some()
                || find_ignore_ascii_case(t, "fc-b").is_some();
            assert_eq!(may_hold_legacy_mark(t), expected, "{t:?}");
            held += usize::from(expected);
        }
        assert!(
            held > 1000 && held < texts.len(),
            "{held} of {}",
            texts.len()
        );
    }

    fn found_by(body: &str) -> Option<String> {
        let html = format!("<!doctype html><html lang=\"fr\"><body>{body}</body></html>");
        let url = url::Url::parse("http://x.test/").unwrap_or_else(|e| panic!("{e}"));
        find_button(&Page::parse(url, &html)).map(|b| b.detected_by)
    }

    fn found_element(body: &str) -> Option<(String, String)> {
        let html = format!("<!doctype html><html lang=\"fr\"><body>{body}</body></html>");
        let url = url::Url::parse("http://x.test/").unwrap_or_else(|e| panic!("{e}"));
        find_button(&Page::parse(url, &html)).map(|b| (b.detected_by, b.target.snippet.to_string()))
    }

    /// By their text, links and buttons are taken in node order, whichever comes first; a link
    /// whose memoised text is its name (no text of its own) or with the words in its `value`
    /// is found too, and SVG links are links.
    #[test]
    fn button_text_takes_links_and_buttons_in_node_order() {
        let link = r#"<a href="/fc">Continuer avec FranceConnect</a>"#;
        let button = r#"<button id="b">Se connecter via FranceConnect</button>"#;
        let input = r#"<input type="submit" value="Connexion avec FranceConnect">"#;
        for (body, first) in [
            (format!("{link}{button}"), "<a "),
            (format!("{button}{link}"), "<button"),
            (format!("<p>{input}</p>{link}"), "<input"),
            (format!("{link}<p>{input}</p>"), "<a "),
            (
                format!(r#"<a href="/x" aria-label="Entrer avec FranceConnect"></a>{button}"#),
                "<button",
            ),
            (
                format!(r#"<a value="avec FranceConnect">Entrer</a>{button}"#),
                "<a value",
            ),
            (
                format!(r#"<svg><a href="/s"><text>via FranceConnect</text></a></svg>{button}"#),
                "<a href=\"/s\"",
            ),
        ] {
            let (how, snippet) = found_element(&body).unwrap_or_default();
            assert_eq!(how, "texte", "{body}");
            assert!(snippet.starts_with(first), "{body}: {snippet}");
        }
        assert_eq!(
            found_element("<a href=\"/x\">Entrer</a><button>Valider</button>"),
            None
        );
    }

    /// A legacy mark in a class or an id, in any case, on the first element in node order that
    /// is, holds or sits in something clickable; a mark in another attribute is none.
    #[test]
    fn legacy_marks_in_class_or_id() {
        for (body, first) in [
            // The target is the clickable element the mark sits on, in or around.
            (
                r#"<div class="x FranceConnect-Button"><a href="/a">Entrer</a></div>"#,
                "<a href=\"/a",
            ),
            (r#"<a id="FC-BTN" href="/b">Entrer</a>"#, "<a href=\"/b"),
            (
                r#"<span class="france_connect"><button>Go</button></span>"#,
                "<button",
            ),
            (
                r#"<a href="/2" class="fc-btn">Un</a><a id="franceconnect">Deux</a>"#,
                "<a class=\"fc-btn",
            ),
        ] {
            let (how, snippet) = found_element(body).unwrap_or_default();
            assert_eq!(how, "classe", "{body}");
            assert!(snippet.starts_with(first), "{body}: {snippet}");
        }
        assert_eq!(
            found_element(r#"<a title="franceconnect-button" href="/c">x</a>"#),
            None
        );
    }

    /// The precheck lets through every legacy mark, in any case and inside longer values.
    #[test]
    fn every_legacy_mark_passes_the_precheck() {
        for mark in LEGACY_MARK_GROUPS.iter().flat_map(|g| g.iter()) {
            for value in [
                mark.to_string(),
                mark.to_ascii_uppercase(),
                format!("btn {mark}--large"),
            ] {
                assert!(may_hold_legacy_mark(&value), "{value}");
            }
        }
        assert!(!may_hold_legacy_mark("ds-footer__link ds-u-3"));
        let found = |class: &str| {
            found_by(&format!(
                "<div class=\"{class}\"><a href=\"/login\">Entrer</a></div>"
            ))
        };
        assert_eq!(found("Btn-FranceConnect").as_deref(), Some("classe"));
        assert_eq!(found("FC-BTN").as_deref(), Some("classe"));
        assert_eq!(found("fr-connect-group").as_deref(), None);
        assert_eq!(found("ds-card").as_deref(), None);
    }

    /// The images and addresses skipped unread are only those that cannot name FranceConnect:
    /// names in capitals, with accents or spaces, and addresses in any case are still found.
    #[test]
    fn images_and_addresses_in_any_case() {
        let image = |alt: &str| {
            found_by(&format!(
                "<a href=\"/connexion\"><img alt=\"{alt}\" src=\"b.svg\"></a>"
            ))
        };
        assert_eq!(
            image("S'IDENTIFIER AVEC FRANCECONNECT").as_deref(),
            Some("image")
        );
        assert_eq!(image("Bouton France  Connect").as_deref(), Some("image"));
        assert_eq!(image("Fráncé Connect").as_deref(), Some("image"));
        assert_eq!(image("Se connecter").as_deref(), None);
        let link = |href: &str| found_by(&format!("<a href=\"{href}\"><span></span></a>"));
        assert_eq!(
            link("HTTPS://App.FranceConnect.gouv.fr/api/v1/authorize").as_deref(),
            Some("lien")
        );
        assert_eq!(link("/auth/France-Connect/start").as_deref(), Some("lien"));
        assert_eq!(link("/auth/connect/start").as_deref(), None);
    }
}
