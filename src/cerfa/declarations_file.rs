//! A declared answer to a Cerfa criterion (value, comment, date, author), as read from the
//! declarations file (see [`crate::declarations`]) and written in the report.

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
#[serde(deny_unknown_fields)]
pub struct DeclaredAnswer {
    #[serde(alias = "valeur")]
    pub value: DeclaredValue,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        alias = "commentaire"
    )]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "auteur")]
    pub author: Option<String>,
}

/// The declarations file is read by [`crate::declarations`] (one format for the Cerfa criteria
/// and the indicators).
pub use crate::declarations::{Declarations, DeclarationsError};
