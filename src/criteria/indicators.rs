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
    pub fond: String,
    pub texte: String,
    pub bord: String,
    pub icone: String,
    pub nom: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LevelDef {
    pub libelle: String,
    #[serde(default)]
    pub seuil: Option<f64>,
    pub couleur: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorDef {
    pub id: String,
    pub libelle: String,
    pub court: String,
    #[serde(default)]
    pub unite: String,
    /// Levels of vigie's own, where the observatory has none.
    #[serde(default)]
    pub propre: bool,
    /// Only a declaration can give this indicator.
    #[serde(default)]
    pub declaratif: bool,
    pub description: String,
    pub niveaux: Vec<LevelDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndicatorsConfig {
    pub couleurs: BTreeMap<String, Colour>,
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
            for l in &def.niveaux {
                if !cfg.couleurs.contains_key(&l.couleur) {
                    return Err(ConfigError(format!(
                        "indicateur {} : couleur inconnue « {} »",
                        def.id, l.couleur
                    )));
                }
            }
        }
        Ok(cfg)
    }

    pub fn def(&self, id: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|d| d.id == id)
    }

    fn level(&self, l: &LevelDef) -> Level {
        let icon = self
            .couleurs
            .get(&l.couleur)
            .map(|c| c.icone.clone())
            .unwrap_or_default();
        Level {
            label: l.libelle.clone(),
            colour: l.couleur.clone(),
            icon,
        }
    }

    /// The observatory's rule: the level with the highest threshold ≤ value.
    pub fn level_for_value(&self, id: &str, value: f64) -> Option<Level> {
        let def = self.def(id)?;
        def.niveaux
            .iter()
            .filter_map(|l| l.seuil.map(|s| (s, l)))
            .filter(|(s, _)| *s <= value)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, l)| self.level(l))
    }

    /// A text value matches a level by its label (case-insensitive).
    pub fn level_for_label(&self, id: &str, label: &str) -> Option<Level> {
        let def = self.def(id)?;
        def.niveaux
            .iter()
            .find(|l| l.libelle.eq_ignore_ascii_case(label.trim()))
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
