//! The catalogue of démarches to audit (TOML).

use std::path::Path;

use serde::{Deserialize, Serialize};
use url::Url;

/// What an extra entry URL is, so checks know where to look (login page for FranceConnect…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Login,
    Signup,
    Form,
    Contact,
    Accessibility,
    #[default]
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub url: Url,
    #[serde(default)]
    pub kind: EntryKind,
}

/// One démarche en ligne.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Demarche {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub operator: String,
    #[serde(default)]
    pub ministry: String,
    pub start_url: Url,
    #[serde(default)]
    pub entries: Vec<Entry>,
    /// Only URLs whose path starts with this prefix are crawled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_depth: Option<u32>,
    /// Render its pages in a browser (`true`) or never (`false`), overriding `--render auto`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub render: Option<bool>,
}

/// Longest readable part of an id made from a URL; a longer one is cut and given a hash suffix.
const MAX_SLUG_LEN: usize = 80;

impl Demarche {
    /// A démarche made from a bare URL on the command line; its scope is the URL's origin.
    /// Its id says what identifies it: host, port when not the scheme's default, path and query
    /// (`www-service-public-fr-particuliers-vosdroits-f1234`, `127-0-0-1-8080`).
    pub fn from_url(url: Url) -> Demarche {
        let host = url.host_str().unwrap_or("site").to_string();
        Demarche {
            id: id_for_url(&url),
            name: host,
            operator: String::new(),
            ministry: String::new(),
            start_url: url,
            entries: Vec::new(),
            scope_prefix: None,
            max_pages: None,
            max_depth: None,
            render: None,
        }
    }
}

/// The readable id of a démarche given by its start URL (see [`Demarche::from_url`]).
pub fn id_for_url(url: &Url) -> String {
    let mut text = url.host_str().unwrap_or("site").to_string();
    // `port()` is None for the scheme's default port: real sites keep host-and-path ids.
    if let Some(port) = url.port() {
        text.push('-');
        text.push_str(&port.to_string());
    }
    // Decoded, so `/d%C3%A9marche` reads `demarche`.
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    text.push_str(&decode(url.path()));
    if let Some(q) = url.query() {
        text.push('-');
        text.push_str(&decode(q));
    }
    let slug = slug(&text, MAX_SLUG_LEN);
    if slug.is_empty() {
        return format!("site-{}", short_hash(url.as_str()));
    }
    if slug_was_cut(&text, &slug) {
        return format!("{slug}-{}", short_hash(url.as_str()));
    }
    slug
}

/// Lower-case ASCII letters and digits joined by single hyphens, accents folded
/// (« Démarche n°2 » → `demarche-n-2`), at most `max` characters (cut at a hyphen when possible).
/// The one slug of vigie: démarche ids made from URLs and the site's file names.
pub fn slug(text: &str, max: usize) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut hyphen = false;
    for c in text.nfkd() {
        if c.is_ascii_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if !unicode_normalization::char::is_combining_mark(c) {
            hyphen = true;
        }
    }
    if out.len() > max {
        out.truncate(max);
        if let Some(cut) = out.rfind('-').filter(|i| *i > max / 2) {
            out.truncate(cut);
        }
        let trimmed = out.trim_end_matches('-').len();
        out.truncate(trimmed);
    }
    out
}

/// Whether `slug(text)` lost letters or digits to the length cap.
fn slug_was_cut(text: &str, slug: &str) -> bool {
    let kept = slug.chars().filter(char::is_ascii_alphanumeric).count();
    let all = self::slug(text, usize::MAX);
    kept < all.chars().filter(char::is_ascii_alphanumeric).count()
}

/// Six hex digits of a stable hash (FNV-1a: std's hasher may change between releases, and ids
/// and file names must not).
pub fn short_hash(text: &str) -> String {
    format!("{:06x}", crate::hash::fnv1a64(text.as_bytes()) & 0xff_ffff)
}

/// Give démarches made from bare URLs ids unique within the run, in a way that does not depend
/// on the run: the first of a colliding group keeps the readable id, the next ones take a hash
/// of their start URL as suffix. Ids in `taken` (the catalogue's, which are the user's) are
/// never changed. The same URL given twice is one démarche: the repeats are dropped and returned.
pub fn make_url_ids_unique(
    taken: &std::collections::HashSet<String>,
    from_urls: Vec<Demarche>,
) -> (Vec<Demarche>, Vec<Url>) {
    let mut used = taken.clone();
    let mut seen_urls = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(from_urls.len());
    let mut repeated = Vec::new();
    for mut d in from_urls {
        if !seen_urls.insert(d.start_url.as_str().to_string()) {
            repeated.push(d.start_url);
            continue;
        }
        if used.contains(&d.id) {
            let base = format!("{}-{}", d.id, short_hash(d.start_url.as_str()));
            let mut id = base.clone();
            let mut n = 2;
            while used.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            d.id = id;
        }
        used.insert(d.id.clone());
        kept.push(d);
    }
    (kept, repeated)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalogue {
    #[serde(rename = "demarche", default)]
    pub demarches: Vec<Demarche>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("impossible de lire le catalogue {path} : {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("catalogue {path} invalide : {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("catalogue {path} : identifiant de démarche en double « {id} » : {first} et {second}")]
    DuplicateId {
        path: String,
        id: String,
        first: String,
        second: String,
    },
    #[error("catalogue {path} : {entry} sans identifiant (`id` vide)")]
    EmptyId { path: String, entry: String },
}

impl Catalogue {
    pub fn parse(text: &str, path: &str) -> Result<Catalogue, CatalogueError> {
        let cat: Catalogue = toml::from_str(text).map_err(|e| CatalogueError::Parse {
            path: path.to_string(),
            source: Box::new(e),
        })?;
        let mut ids = std::collections::HashMap::new();
        for (i, d) in cat.demarches.iter().enumerate() {
            if d.id.trim().is_empty() {
                return Err(CatalogueError::EmptyId {
                    path: path.to_string(),
                    entry: describe_entry(i, d),
                });
            }
            if let Some(first) = ids.insert(d.id.as_str(), i) {
                return Err(CatalogueError::DuplicateId {
                    path: path.to_string(),
                    id: d.id.clone(),
                    first: describe_entry(first, &cat.demarches[first]),
                    second: describe_entry(i, d),
                });
            }
        }
        Ok(cat)
    }

    pub fn load(path: &Path) -> Result<Catalogue, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|e| CatalogueError::Read {
            path: path.display().to_string(),
            source: e,
        })?;
        Self::parse(&text, &path.display().to_string())
    }
}

/// « démarche n° 3 (Nom, https://…) », 1-based as a reader counts `[[demarche]]` tables.
fn describe_entry(index: usize, d: &Demarche) -> String {
    format!("démarche n° {} ({}, {})", index + 1, d.name, d.start_url)
}

/// The first id that appears twice, if any: every stage keys a démarche's data by its id.
pub fn duplicate_id(demarches: &[Demarche]) -> Option<&str> {
    let mut ids = std::collections::HashSet::new();
    demarches
        .iter()
        .map(|d| d.id.as_str())
        .find(|id| !ids.insert(*id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(url: &str) -> String {
        id_for_url(&Url::parse(url).expect("url"))
    }

    #[test]
    fn url_ids_name_host_port_path_and_query() {
        assert_eq!(
            id("https://www.service-public.fr/particuliers/vosdroits/F1234"),
            "www-service-public-fr-particuliers-vosdroits-f1234"
        );
        // The default port is not part of the id; another port is.
        assert_eq!(id("https://www.ameli.fr:443/"), "www-ameli-fr");
        assert_eq!(id("http://127.0.0.1:8080/"), "127-0-0-1-8080");
        assert_eq!(id("http://127.0.0.1:8081/"), "127-0-0-1-8081");
        assert_eq!(id("http://127.0.0.1:8080/a/"), "127-0-0-1-8080-a");
        assert_eq!(
            id("https://x.gouv.fr/d%C3%A9marche?id=12"),
            "x-gouv-fr-demarche-id-12"
        );
    }

    #[test]
    fn long_url_ids_are_cut_with_a_stable_hash() {
        let long = format!("https://x.fr/{}", "segment/".repeat(30));
        let a = id(&long);
        assert!(a.len() <= MAX_SLUG_LEN + 7, "{a}");
        assert!(a.starts_with("x-fr-segment-segment"), "{a}");
        assert_eq!(a, id(&long), "ids are stable");
        let other = format!("https://x.fr/{}other", "segment/".repeat(30));
        assert_ne!(a, id(&other), "a cut id keeps what tells two URLs apart");
    }

    #[test]
    fn slugs_fold_accents_and_collapse_separators() {
        assert_eq!(slug("Démarche n°2 -- Île", 100), "demarche-n-2-ile");
        assert_eq!(slug("--a--", 100), "a");
        assert_eq!(slug("àéîõü", 100), "aeiou");
        assert_eq!(slug("", 100), "");
        assert_eq!(slug("abc-def-ghi", 7), "abc-def");
    }

    #[test]
    fn colliding_url_ids_are_told_apart_in_a_run_independent_way() {
        let d = |u: &str| Demarche::from_url(Url::parse(u).expect("url"));
        // `/a-b` and `/a/b` share a slug; the catalogue already holds `x-fr`.
        let taken: std::collections::HashSet<String> = ["x-fr".to_string()].into();
        let (kept, repeated) = make_url_ids_unique(
            &taken,
            vec![
                d("https://x.fr/a-b"),
                d("https://x.fr/a/b"),
                d("https://x.fr/"),
                d("https://x.fr/a-b"),
            ],
        );
        let ids: Vec<&str> = kept.iter().map(|d| d.id.as_str()).collect();
        let hash_ab = short_hash("https://x.fr/a/b");
        let hash_root = short_hash("https://x.fr/");
        assert_eq!(
            ids,
            [
                "x-fr-a-b".to_string(),
                format!("x-fr-a-b-{hash_ab}"),
                format!("x-fr-{hash_root}")
            ]
        );
        assert_eq!(repeated, [Url::parse("https://x.fr/a-b").expect("url")]);
        assert_eq!(duplicate_id(&kept), None);
        // The suffix depends on the URL alone: the same run gives the same ids.
        let (again, _) =
            make_url_ids_unique(&taken, vec![d("https://x.fr/a-b"), d("https://x.fr/a/b")]);
        assert_eq!(again[1].id, kept[1].id);
    }
}
