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
}

impl Demarche {
    /// A démarche made from a bare URL on the command line.
    pub fn from_url(url: Url) -> Demarche {
        let host = url.host_str().unwrap_or("site").to_string();
        let id: String = format!("{}{}", host, url.path())
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        Demarche {
            id,
            name: host,
            operator: String::new(),
            ministry: String::new(),
            start_url: url,
            entries: Vec::new(),
            scope_prefix: None,
            max_pages: None,
            max_depth: None,
        }
    }
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
    #[error("catalogue {path} : identifiant de démarche en double « {id} »")]
    DuplicateId { path: String, id: String },
}

impl Catalogue {
    pub fn parse(text: &str, path: &str) -> Result<Catalogue, CatalogueError> {
        let cat: Catalogue = toml::from_str(text).map_err(|e| CatalogueError::Parse {
            path: path.to_string(),
            source: Box::new(e),
        })?;
        let mut ids = std::collections::HashSet::new();
        for d in &cat.demarches {
            if !ids.insert(d.id.as_str()) {
                return Err(CatalogueError::DuplicateId {
                    path: path.to_string(),
                    id: d.id.clone(),
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
