//! An observatory indicator of one démarche, as report.json holds it.

use serde::{Deserialize, Serialize};

use crate::criteria::indicators::config;
pub use crate::criteria::indicators::Level;

/// Where a value comes from: one enum for Cerfa verdicts and indicators.
pub use crate::cerfa::Source;

/// One indicator of one démarche.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Indicator {
    pub id: String,
    pub label: String,
    /// Numeric value when there is one (%, ms, count, index).
    #[serde(default)]
    pub value: Option<f64>,
    /// The value as shown (« 99,9 % », « FranceConnect », « inconnu »).
    pub display: String,
    /// None when the value is unknown.
    #[serde(default)]
    pub level: Option<Level>,
    pub source: Source,
    /// An estimate (not the observatory's own measure).
    #[serde(default)]
    pub estimate: bool,
    pub evidence: Vec<String>,
    /// The measured counterpart shown beside a declared value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measured: Option<String>,
}

impl Indicator {
    pub(crate) fn new(id: &str) -> Indicator {
        let label = config()
            .def(id)
            .map(|d| d.label.clone())
            .unwrap_or_else(|| id.to_string());
        Indicator {
            id: id.to_string(),
            label,
            value: None,
            display: "inconnu".into(),
            level: None,
            source: Source::Unknown,
            estimate: false,
            evidence: Vec::new(),
            measured: None,
        }
    }

    pub(crate) fn unknown(id: &str, why: impl Into<String>) -> Indicator {
        let mut i = Indicator::new(id);
        i.evidence.push(why.into());
        i
    }

    pub(crate) fn numeric(mut self, value: f64, display: String, source: Source) -> Indicator {
        self.level = config().level_for_value(&self.id, value);
        self.value = Some(value);
        self.display = display;
        self.source = source;
        self
    }

    pub(crate) fn labelled(mut self, label: &str, source: Source) -> Indicator {
        self.level = config().level_for_label(&self.id, label);
        self.display = label.to_string();
        self.source = source;
        self
    }
}
