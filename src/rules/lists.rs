//! Known values the RGAA rules compare against (doctypes, language codes, default page titles),
//! as data in `criteria/listes-rgaa.toml`, embedded and parsed once.

use std::collections::HashSet;
use std::sync::OnceLock;

use scraper::Node;
use serde::Deserialize;

use crate::page::Page;

const LISTS_TOML: &str = include_str!("../../criteria/listes-rgaa.toml");

/// A doctype published by the W3C (or the WAP Forum) other than HTML5's.
#[derive(Debug, Clone, Deserialize)]
pub struct KnownDoctype {
    pub name: String,
    /// The root element the DTD declares (`html`, or `math`, `svg`… for W3C DTDs of other
    /// document types).
    #[serde(default = "html_root")]
    pub root: String,
    #[serde(default)]
    pub public: String,
    #[serde(default)]
    pub system: Vec<String>,
    #[serde(default)]
    pub system_optional: bool,
}

fn html_root() -> String {
    "html".to_string()
}

#[derive(Debug, Default, Deserialize)]
struct RawLists {
    #[serde(default)]
    doctypes: Vec<KnownDoctype>,
    #[serde(default)]
    default_titles: Vec<String>,
    #[serde(default)]
    iso639_1: String,
    #[serde(default)]
    iso639_3: String,
}

/// The parsed lists.
#[derive(Debug, Default)]
pub struct Lists {
    pub doctypes: Vec<KnownDoctype>,
    /// Normalised with [`normalize_title`].
    default_titles: HashSet<String>,
    iso639_1: HashSet<String>,
    iso639_3: HashSet<String>,
}

fn parse(text: &str) -> Result<Lists, toml::de::Error> {
    let raw: RawLists = toml::from_str(text)?;
    let words = |s: &str| s.split_ascii_whitespace().map(str::to_string).collect();
    Ok(Lists {
        default_titles: raw
            .default_titles
            .iter()
            .map(|t| normalize_title(t))
            .collect(),
        iso639_1: words(&raw.iso639_1),
        iso639_3: words(&raw.iso639_3),
        doctypes: raw.doctypes,
    })
}

/// The embedded lists (empty, and logged, if the embedded file did not parse: a unit test
/// guards against that).
pub fn lists() -> &'static Lists {
    static DATA: OnceLock<Lists> = OnceLock::new();
    DATA.get_or_init(|| match parse(LISTS_TOML) {
        Ok(l) => l,
        Err(e) => {
            tracing::error!("listes-rgaa.toml: {e}");
            Lists::default()
        }
    })
}

/// Lower case, spaces collapsed, typographic apostrophe folded, a final number dropped
/// (« Sans titre 1 », « Untitled-1 », « Document1 »).
pub fn normalize_title(t: &str) -> String {
    let t = crate::page::normalize_space(t)
        .to_lowercase()
        .replace('\u{2019}', "'");
    let stripped = t.trim_end_matches(|c: char| c.is_ascii_digit());
    if stripped.len() < t.len() && !stripped.is_empty() {
        return stripped
            .trim_end_matches(|c: char| c == '-' || c == '_' || c.is_whitespace())
            .to_string();
    }
    t
}

impl Lists {
    /// Whether the title is an authoring tool's default title.
    pub fn is_default_title(&self, title: &str) -> bool {
        let n = normalize_title(title);
        !n.is_empty() && self.default_titles.contains(&n)
    }

    /// RGAA glossary « Code de langue »: the part before the first hyphen is an ISO 639-1 code
    /// (2 letters) or an ISO 639-2 / 639-3 code (3 letters, `qaa`–`qtz` for local use); what
    /// follows the hyphen is left to the author.
    pub fn is_rgaa_language_code(&self, tag: &str) -> bool {
        let primary = tag.trim().split('-').next().unwrap_or("");
        if !primary.chars().all(|c| c.is_ascii_alphabetic()) {
            return false;
        }
        let p = primary.to_ascii_lowercase();
        match p.len() {
            2 => self.iso639_1.contains(&p),
            3 => self.iso639_3.contains(&p) || ("qaa"..="qtz").contains(&p.as_str()),
            _ => false,
        }
    }
}

/// The document's doctype declaration (the parser keeps only one placed before `<html>`).
#[derive(Debug, Clone, PartialEq)]
pub struct DoctypeDecl {
    pub name: String,
    pub public_id: String,
    pub system_id: String,
}

pub fn doctype_of(page: &Page) -> Option<DoctypeDecl> {
    page.dom
        .tree
        .root()
        .children()
        .find_map(|n| match n.value() {
            Node::Doctype(d) => Some(DoctypeDecl {
                name: d.name().to_string(),
                public_id: d.public_id().to_string(),
                system_id: d.system_id().to_string(),
            }),
            _ => None,
        })
}

/// What a doctype declaration is, against the known valid ones.
#[derive(Debug, Clone, PartialEq)]
pub enum DoctypeKind {
    /// `<!DOCTYPE html>`, optionally with the system id `about:legacy-compat`.
    Html5,
    /// One of the known W3C doctypes (HTML 4.01, XHTML 1.x…), by its name in the list.
    Known(String),
    /// Not valid: the reason, in French.
    Invalid(String),
    /// A public identifier from outside the W3C that vigie does not know: to be checked.
    Unknown(String),
}

pub fn classify_doctype(d: &DoctypeDecl) -> DoctypeKind {
    let public = d.public_id.trim();
    let system = d.system_id.trim();
    if !d.name.eq_ignore_ascii_case("html") {
        // A W3C DTD of another document type (MathML, SVG) is valid in itself, but not for a
        // page whose root is html, which browsers then render in quirks mode: a human judges.
        let listed = lists().doctypes.iter().find(|k| {
            k.root.eq_ignore_ascii_case(&d.name)
                && k.public.eq_ignore_ascii_case(public)
                && k.system.iter().any(|s| same_address(s, system))
        });
        return match listed {
            Some(k) => DoctypeKind::Unknown(format!(
                "type de document {} (racine « {} »), publié par le W3C, déclaré sur une page HTML : valide pour un document {}, la page est affichée en mode de compatibilité",
                k.name, k.root, k.root
            )),
            None => DoctypeKind::Invalid(format!("nom « {} » au lieu de « html »", d.name)),
        };
    }
    if public.is_empty() {
        return if system.is_empty() || system == "about:legacy-compat" {
            DoctypeKind::Html5
        } else {
            DoctypeKind::Invalid(format!(
                "identifiant système « {system} » sans identifiant public (HTML5 n'admet que « about:legacy-compat »)"
            ))
        };
    }
    let Some(known) = lists()
        .doctypes
        .iter()
        .find(|k| k.root == "html" && k.public.eq_ignore_ascii_case(public))
    else {
        let upper = public.to_ascii_uppercase();
        return if upper.starts_with("-//W3C//") || upper.starts_with("-//WAPFORUM//") {
            DoctypeKind::Invalid(format!(
                "identifiant public « {public} » inconnu (faute de frappe ?)"
            ))
        } else {
            DoctypeKind::Unknown(format!(
                "identifiant public « {public} » hors des types de document du W3C"
            ))
        };
    };
    if system.is_empty() {
        return if known.system_optional {
            DoctypeKind::Known(known.name.clone())
        } else {
            DoctypeKind::Invalid(format!(
                "{} sans identifiant système (obligatoire en XHTML)",
                known.name
            ))
        };
    }
    if known.system.is_empty() || known.system.iter().any(|k| same_address(k, system)) {
        return DoctypeKind::Known(known.name.clone());
    }
    let expected = known.system.first().map(String::as_str).unwrap_or("");
    DoctypeKind::Invalid(format!(
        "identifiant système « {system} » au lieu de « {expected} » pour {}",
        known.name
    ))
}

/// Whether two system identifiers are the same address (http and https forms of a published
/// address are the same resource; case is not significant in these addresses).
fn same_address(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        let s = s.trim().to_ascii_lowercase();
        s.strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .map(str::to_string)
            .unwrap_or(s)
    };
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lists_parse_and_are_full() {
        let l = parse(LISTS_TOML).expect("criteria/listes-rgaa.toml parses");
        assert!(l.doctypes.len() >= 10);
        assert!(l.default_titles.len() >= 10);
        assert!(l.iso639_1.len() >= 180);
        assert!(l.iso639_3.len() >= 7000);
    }

    #[test]
    fn rgaa_language_codes_judge_the_primary_code_only() {
        let l = lists();
        for ok in [
            "fr",
            "FR",
            "fr-FR",
            "eng",
            "fra",
            "fre",
            "en-US-GB",
            "gsw",
            "br",
            "oc",
            "fr-x-quelconque",
            "qaa",
        ] {
            assert!(l.is_rgaa_language_code(ok), "{ok}");
        }
        for bad in [
            "",
            "français",
            "f",
            "fr_FR",
            "xx",
            "12",
            "em-US",
            "#1",
            "i-lux",
            "x-klingon",
            "zzzz",
            "xxx",
            "qzz",
        ] {
            assert!(!l.is_rgaa_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn default_titles() {
        let l = lists();
        for t in [
            "Document sans nom",
            "Sans titre 1",
            "Untitled-1",
            "untitled document",
            "New Page 1",
            "Document",
            "Page title",
            "Bienvenue dans Adobe GoLive 6",
        ] {
            assert!(l.is_default_title(t), "{t}");
        }
        for t in ["Demander une aide - Caf", "Documents à fournir", "Accueil"] {
            assert!(!l.is_default_title(t), "{t}");
        }
    }

    fn decl(name: &str, public: &str, system: &str) -> DoctypeDecl {
        DoctypeDecl {
            name: name.into(),
            public_id: public.into(),
            system_id: system.into(),
        }
    }

    #[test]
    fn doctypes() {
        use DoctypeKind::*;
        assert_eq!(classify_doctype(&decl("html", "", "")), Html5);
        assert_eq!(
            classify_doctype(&decl("HTML", "", "about:legacy-compat")),
            Html5
        );
        assert!(matches!(
            classify_doctype(&decl(
                "html",
                "-//W3C//DTD XHTML 1.0 Strict//EN",
                "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"
            )),
            Known(_)
        ));
        assert!(matches!(
            classify_doctype(&decl("HTML", "-//W3C//DTD HTML 4.01//EN", "")),
            Known(_)
        ));
        for (p, s) in [
            (
                "-//W3C//DTD XHTML 1.0 Strict//EN",
                "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strct.dtd",
            ),
            ("-//W3C//DTD XHTML 1.0 Strict//EN", ""),
            ("-//W3C//DTD HTML 4.01 Transitionnal//EN", ""),
            ("", "http://www.w3.org/TR/html4/strict.dtd"),
        ] {
            assert!(
                matches!(classify_doctype(&decl("html", p, s)), Invalid(_)),
                "{p} {s}"
            );
        }
        assert!(matches!(
            classify_doctype(&decl("html", "-//IETF//DTD HTML 2.0//EN", "")),
            Unknown(_)
        ));
        assert!(matches!(classify_doctype(&decl("foo", "", "")), Invalid(_)));
    }
}
