//! The observatory indicators' definitions as data (`criteria/indicateurs.toml`): labels,
//! levels with their thresholds, colours with their text icons. Parsed once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The indicator definitions, embedded.
pub const INDICATORS_TOML: &str = include_str!("../../criteria/indicateurs.toml");

/// Minimum words of main text before the readability estimate is given.
pub const MIN_WORDS_FOR_READABILITY: usize = 100;

/// Colour of a level, with its text icon (a level is never shown by colour alone).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Colour {
    #[serde(rename = "fond")]
    pub background: String,
    #[serde(rename = "texte")]
    pub text: String,
    #[serde(rename = "bord")]
    pub border: String,
    #[serde(rename = "icone")]
    pub icon: String,
    #[serde(rename = "nom")]
    pub name: String,
    /// How good a level of this colour is, for comparisons between runs (higher is better);
    /// None for colours that are not a judgement (bleu, gris).
    #[serde(default, rename = "rang", skip_serializing_if = "Option::is_none")]
    pub rank: Option<u8>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelDef {
    #[serde(rename = "libelle")]
    pub label: String,
    #[serde(default, rename = "seuil")]
    pub threshold: Option<f64>,
    #[serde(rename = "couleur")]
    pub colour: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorDef {
    pub id: String,
    #[serde(rename = "libelle")]
    pub label: String,
    #[serde(rename = "court")]
    pub short: String,
    #[serde(default, rename = "unite")]
    pub unit: String,
    /// Levels of vigie's own, where the observatory has none.
    #[serde(default, rename = "propre")]
    pub own: bool,
    /// Only a declaration can give this indicator.
    #[serde(default, rename = "declaratif")]
    pub declarable: bool,
    pub description: String,
    #[serde(rename = "niveaux")]
    pub levels: Vec<LevelDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorsConfig {
    #[serde(rename = "couleurs")]
    pub colours: BTreeMap<String, Colour>,
    #[serde(rename = "indicateur")]
    pub indicators: Vec<IndicatorDef>,
}

#[derive(Debug, thiserror::Error)]
#[error("criteria/indicateurs.toml invalide : {0}")]
pub struct ConfigError(String);

impl IndicatorsConfig {
    pub fn parse(text: &str) -> Result<IndicatorsConfig, ConfigError> {
        let cfg: IndicatorsConfig = toml::from_str(text).map_err(|e| ConfigError(e.to_string()))?;
        for def in &cfg.indicators {
            for l in &def.levels {
                if !cfg.colours.contains_key(&l.colour) {
                    return Err(ConfigError(format!(
                        "indicateur {} : couleur inconnue « {} »",
                        def.id, l.colour
                    )));
                }
            }
        }
        Ok(cfg)
    }

    /// Rank of a level colour (higher is better); None for colours that are not a judgement.
    pub fn colour_rank(&self, colour: &str) -> Option<u8> {
        self.colours.get(colour).and_then(|c| c.rank)
    }

    pub fn def(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.id == id)
    }

    /// A level definition as shown: label, colour name and the colour's text icon.
    pub fn level(&self, l: &LevelDef) -> Level {
        let icon = self
            .colours
            .get(&l.colour)
            .map(|c| c.icon.clone())
            .unwrap_or_default();
        Level {
            label: l.label.clone(),
            colour: l.colour.clone(),
            icon,
        }
    }

    /// The observatory's rule: the level with the highest threshold ≤ value.
    pub fn level_for_value(&self, id: &str, value: f64) -> Option<Level> {
        let def = self.def(id)?;
        def.levels
            .iter()
            .filter_map(|l| l.threshold.map(|s| (s, l)))
            .filter(|(s, _)| *s <= value)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, l)| self.level(l))
    }

    /// A text value matches a level by its label (case-insensitive).
    pub fn level_for_label(&self, id: &str, label: &str) -> Option<Level> {
        let def = self.def(id)?;
        def.levels
            .iter()
            .find(|l| l.label.eq_ignore_ascii_case(label.trim()))
            .map(|l| self.level(l))
    }
}

/// The embedded configuration (checked by a unit test; an invalid file is a build defect).
pub fn config() -> &'static IndicatorsConfig {
    static CFG: OnceLock<IndicatorsConfig> = OnceLock::new();
    CFG.get_or_init(|| match IndicatorsConfig::parse(INDICATORS_TOML) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    })
}

/// A level as shown: label, colour name (a CSS class), text icon.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Level {
    pub label: String,
    pub colour: String,
    pub icon: String,
}
