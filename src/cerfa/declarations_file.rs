//! The operator's declarations (TOML), for the criteria only the operator can answer:
//!
//! ```toml
//! [exemplaire-aide.2]          # démarche id, then criterion number
//! value = "met"                # or "not_met"
//! comment = "Tests avec 12 usagers en mars 2025"
//! date = "2025-03-10"
//! author = "Équipe produit"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclaredValue {
    #[serde(alias = "oui", alias = "rempli")]
    Met,
    #[serde(alias = "non", alias = "non_rempli")]
    NotMet,
}

/// One declared answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclaredAnswer {
    pub value: DeclaredValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// Declarations of all démarches: démarche id → criterion number → answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declarations {
    pub demarches: BTreeMap<String, BTreeMap<u8, DeclaredAnswer>>,
}

#[derive(Debug, thiserror::Error)]
pub enum DeclarationsError {
    #[error("fichier de déclarations {path} illisible : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("fichier de déclarations {name} invalide : {message}")]
    Invalid { name: String, message: String },
}

impl Declarations {
    pub fn load(path: &Path) -> Result<Declarations, DeclarationsError> {
        let text = std::fs::read_to_string(path).map_err(|source| DeclarationsError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    pub fn parse(text: &str, name: &str) -> Result<Declarations, DeclarationsError> {
        let invalid = |message: String| DeclarationsError::Invalid {
            name: name.to_string(),
            message,
        };
        let raw: BTreeMap<String, BTreeMap<String, DeclaredAnswer>> =
            toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut demarches = BTreeMap::new();
        for (id, answers) in raw {
            let mut by_number = BTreeMap::new();
            for (k, answer) in answers {
                let n: u8 = k
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=35).contains(n))
                    .ok_or_else(|| {
                        invalid(format!(
                            "{id} : « {k} » n'est pas un numéro de critère (1 à 35)"
                        ))
                    })?;
                by_number.insert(n, answer);
            }
            demarches.insert(id, by_number);
        }
        Ok(Declarations { demarches })
    }

    /// Answers for one démarche.
    pub fn for_demarche(&self, id: &str) -> Option<&BTreeMap<u8, DeclaredAnswer>> {
        self.demarches.get(id)
    }
}
