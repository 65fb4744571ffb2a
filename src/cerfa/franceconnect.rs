//! Criterion 26: identification pages and the FranceConnect button in its real forms (DSFR
//! `fr-connect`, legacy classes and official images, links to the identity provider, the text
//! « S'identifier avec FranceConnect » with any apostrophe).

use crate::page::Attribute;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use super::keywords::Keywords;
use super::{doc_index, fold, folded_link_text, LinkRef};
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
    page.select("a[href]")
        .filter(|a| {
            let t = folded_link_text(page, *a);
            t.len() < 60 && LOGIN.any_in(&t)
        })
        .take(5)
        .map(|a| LinkRef::of(page, a))
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
/// search costs more per call than these two scans on such short values).
fn may_hold_legacy_mark(value: &str) -> bool {
    find_ignore_ascii_case(value, "connect").is_some()
        || find_ignore_ascii_case(value, "fc-b").is_some()
}

/// Find the FranceConnect button, in order of reliability.
pub fn find_button(page: &Page) -> Option<FcButton> {
    let mut found: Option<(ElementRef<'_>, &str)> = None;
    // 1. DSFR component.
    if let Some(el) = page.select(".fr-connect").next() {
        found = Some((el, "dsfr"));
    }
    // 2. Legacy classes or ids.
    if found.is_none() {
        found = page
            .select("[class], [id]")
            .find(|el| {
                // Class and id read as written, in any case (no lower-cased copy of each).
                let marks = |v: Option<&str>| match v {
                    Some(v) if may_hold_legacy_mark(v) => LEGACY_MARKS.groups_in(v),
                    _ => 0,
                };
                let found =
                    marks(el.value().attribute("class")) | marks(el.value().attribute("id"));
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
        found = page
            .select("a[href]")
            .find(|a| {
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
                    && !is_info_text(&folded_link_text(page, *a))
                    && !href
                        .trim_end_matches('/')
                        .ends_with("franceconnect.gouv.fr")
                    && !href.contains("france-connect-plus")
            })
            .map(|el| (el, "lien"));
    }
    // 5. The button text.
    if found.is_none() {
        found = page
            .select("a, button, input[type=submit], input[type=button]")
            .find(|el| {
                let value = el.value().attribute("value").unwrap_or("");
                // ASCII folds to its lower case: without « franceconnect » in any case there
                // is nothing to fold (most links and buttons of a page).
                let lacks =
                    |v: &str| v.is_ascii() && find_ignore_ascii_case(v, "franceconnect").is_none();
                // A link's memoised text has the same words as its raw text (or stands in for
                // an empty one): it answers without building the text again.
                let memo = (el.value().name() == "a")
                    .then(|| super::link_texts(page).0.get(&el.id()))
                    .flatten();
                if lacks(value) && memo.is_some_and(|(shown, _, _)| lacks(shown)) {
                    return false;
                }
                let text = text_of(*el);
                if lacks(&text) && lacks(value) {
                    return false;
                }
                let t = fold(&format!("{text} {value}"));
                (t.contains("avec franceconnect") || t.contains("via franceconnect"))
                    && !is_info_text(&t)
            })
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
    let info_link = page
        .select("a[href]")
        .any(|a| is_info_text(&folded_link_text(page, a)));
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

    fn found_by(body: &str) -> Option<String> {
        let html = format!("<!doctype html><html lang=\"fr\"><body>{body}</body></html>");
        let url = url::Url::parse("http://x.test/").unwrap_or_else(|e| panic!("{e}"));
        find_button(&Page::parse(url, &html)).map(|b| b.detected_by)
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
