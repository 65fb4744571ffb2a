//! Criterion 19 (and the footer side of 15 and 23): find the footer — `<footer>`,
//! `role=contentinfo`, DSFR `fr-footer`, or else the last block of links — and match its links,
//! tolerant of case, accents, apostrophes and synonyms.

use crate::page::Attribute;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

use super::keywords::Keywords;
use super::{folded_link_text, has_ancestor, LinkRef};
use crate::page::{ElementRef, Page, Target};

/// How the footer was found.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Footer {
    /// "footer", "contentinfo", "fr-footer" or "dernier-bloc-de-liens".
    pub found_by: String,
    pub selector: String,
    /// Matched links by kind ("contact", "plan_du_site", "mentions_legales", "accessibilite",
    /// "horaires_acces", "demarches_en_ligne", "donnees_personnelles", "cookies").
    pub links: Vec<FooterLink>,
    pub link_count: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FooterLink {
    pub kind: String,
    #[serde(flatten)]
    pub link: LinkRef,
}

impl Footer {
    pub fn link(&self, kind: &str) -> Option<&LinkRef> {
        self.links.iter().find(|l| l.kind == kind).map(|l| &l.link)
    }
}

/// Link kinds required by criterion 19.
pub const REQUIRED_19: &[&str] = &[
    "contact",
    "plan_du_site",
    "mentions_legales",
    "accessibilite",
];
/// Links the DSFR makes mandatory in `fr-footer__bottom`.
pub const DSFR_MANDATORY: &[&str] = &[
    "accessibilite",
    "mentions_legales",
    "donnees_personnelles",
    "cookies",
];

/// (kind, text patterns, URL patterns), matched on folded text.
const KINDS: &[(&str, &[&str], &[&str])] = &[
    (
        "accessibilite",
        &["accessibilite", "declaration d'accessibilite"],
        &["accessibilite", "accessibility"],
    ),
    (
        "mentions_legales",
        &["mentions legales", "informations legales", "mention legale"],
        &[
            "mentions-legales",
            "mentions_legales",
            "mentionslegales",
            "legal",
        ],
    ),
    (
        "plan_du_site",
        &["plan du site", "plan de site", "sitemap"],
        &["plan-du-site", "plan_du_site", "plandusite", "plan-site"],
    ),
    (
        "donnees_personnelles",
        &[
            "donnees personnelles",
            "donnees a caractere personnel",
            "vie privee",
            "confidentialite",
            "protection des donnees",
            "rgpd",
        ],
        &[
            "donnees-personnelles",
            "vie-privee",
            "confidentialite",
            "rgpd",
        ],
    ),
    (
        "cookies",
        &["cookies", "cookie", "traceurs"],
        &["cookies", "cookie"],
    ),
    (
        "contact",
        &[
            "contact",
            "nous contacter",
            "nous ecrire",
            "contactez-nous",
            "joindre",
        ],
        &["contact"],
    ),
    (
        "horaires_acces",
        &[
            "horaires",
            "nous trouver",
            "points d'accueil",
            "nos accueils",
            "nos agences",
            "adresses utiles",
            "plan d'acces",
        ],
        &["horaires", "nous-trouver", "points-accueil", "agences"],
    ),
    (
        "demarches_en_ligne",
        &[
            "demarches en ligne",
            "services en ligne",
            "teleservices",
            "vos demarches",
            "mes demarches",
        ],
        &["demarches", "teleservices", "services-en-ligne"],
    ),
];

/// The kinds a link matches (a link "Données personnelles et cookies" matches two), from its
/// folded text ([`super::fold`]).
pub fn kinds_of(folded_text: &str, href: &str) -> Vec<&'static str> {
    let t = folded_text;
    static BY_TEXT: LazyLock<Keywords> =
        LazyLock::new(|| Keywords::new(KINDS.iter().map(|(_, texts, _)| *texts)));
    static BY_URL: LazyLock<Keywords> =
        LazyLock::new(|| Keywords::new(KINDS.iter().map(|(_, _, urls)| *urls)));
    let by_text = BY_TEXT.groups_in(t);
    // The address is read only for a link without text (a lower-cased copy of each was made).
    let by_url = if t.is_empty() {
        let h = href.to_ascii_lowercase();
        let path = h.split_once("://").map(|(_, r)| r).unwrap_or(&h);
        let path = path.split_once('/').map(|(_, p)| p).unwrap_or("");
        BY_URL.groups_in(path)
    } else {
        0
    };
    KINDS
        .iter()
        .enumerate()
        .filter(|(k, _)| (by_text | by_url) & (1 << k) != 0)
        .map(|(_, (kind, _, _))| *kind)
        .collect()
}

fn links_in<'a>(el: ElementRef<'a>) -> Vec<ElementRef<'a>> {
    el.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| e.value().name() == "a" && e.value().attribute("href").is_some())
        .collect()
}

/// The footer element and how it was found.
fn footer_element(page: &Page) -> Option<(ElementRef<'_>, &'static str)> {
    if let Some(f) = page.select(".fr-footer").last() {
        return Some((f, "fr-footer"));
    }
    if let Some(f) = page
        .select("footer")
        .filter(|f| {
            !has_ancestor(*f, |a| {
                matches!(
                    a.value().name(),
                    "article" | "section" | "aside" | "main" | "nav"
                )
            })
        })
        .last()
    {
        return Some((f, "footer"));
    }
    if let Some(f) = page.select("[role=contentinfo]").last() {
        return Some((f, "contentinfo"));
    }
    // The last block of links outside main/header: climb from the last link until the
    // ancestor holds at least three links.
    let last = page
        .select("body a[href]")
        .filter(|a| {
            !has_ancestor(*a, |p| {
                matches!(p.value().name(), "main" | "header")
                    || p.value().attribute("role") == Some("main")
            })
        })
        .last()?;
    let block = last
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take_while(|p| p.value().name() != "body")
        .find(|p| links_in(*p).len() >= 3)?;
    Some((block, "dernier-bloc-de-liens"))
}

/// Find the footer and classify its links.
pub fn find(page: &Page) -> Option<Footer> {
    let (el, how) = footer_element(page)?;
    let anchors = links_in(el);
    let mut links = Vec::new();
    for a in &anchors {
        let text = folded_link_text(page, *a);
        // Most footer links are of no kind: their reference is built only when one is found.
        let mut lr = None;
        for kind in kinds_of(&text, a.value().attribute("href").unwrap_or("")) {
            if !links.iter().any(|l: &FooterLink| l.kind == kind) {
                let link = lr.get_or_insert_with(|| LinkRef::of(page, *a)).clone();
                links.push(FooterLink {
                    kind: kind.to_string(),
                    link,
                });
            }
        }
    }
    Some(Footer {
        found_by: how.to_string(),
        selector: Target::of(page, el).selector.to_string(),
        links,
        link_count: anchors.len(),
    })
}
