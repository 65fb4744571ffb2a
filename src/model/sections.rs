//! The per-démarche sections the store keeps as JSON (`cerfa`, `rgaa`, `indicators`), read back
//! as typed views by `diff` and `history`. A view names only the fields it needs, with the
//! types the audit writes; fields added later are ignored and missing ones are absent, so every
//! report of schema 1.x reads. A section that does not have the audit's shape is absent from
//! the comparison (never guessed at).

use serde::Deserialize;
use serde_json::Value;

use crate::cerfa::Status as CerfaStatus;
use crate::model::indicator::Level;
use crate::scores::rgaa::Status as RgaaStatus;

/// The Cerfa section: criterion statuses and the two scores.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CerfaView {
    #[serde(default)]
    pub criteria: Vec<CerfaCriterionView>,
    #[serde(default)]
    pub scores: Option<CerfaScoresView>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CerfaCriterionView {
    pub number: u8,
    pub status: CerfaStatus,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CerfaScoresView {
    pub all_pct: f64,
    pub accessibility_pct: f64,
}

/// The RGAA section: criterion statuses and the automated rate.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RgaaView {
    #[serde(default)]
    pub criteria: Vec<RgaaCriterionView>,
    #[serde(default)]
    pub automated_rate: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RgaaCriterionView {
    pub id: String,
    pub status: RgaaStatus,
}

/// One indicator as stored.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorView {
    pub id: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub display: Option<String>,
    #[serde(default)]
    pub level: Option<Level>,
}

/// A section as its view; None when absent or not in the audit's shape.
pub fn view<T: serde::de::DeserializeOwned>(section: Option<&Value>) -> Option<T> {
    section.and_then(|v| T::deserialize(v).ok())
}

/// A section stored as JSON text, as its view.
pub fn view_str<T: serde::de::DeserializeOwned>(json: Option<&str>) -> Option<T> {
    json.and_then(|s| serde_json::from_str(s).ok())
}
