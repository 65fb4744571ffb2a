//! The RGAA 4.1.2 criteria as data (`criteria/rgaa-4.1.2.toml`), embedded in the binary and
//! parsed once. `vigie rules` and the RGAA aggregation read it.

pub mod indicators;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The embedded data file.
const RGAA_TOML: &str = include_str!("../../criteria/rgaa-4.1.2.toml");

/// How far the machine can go on a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automation {
    /// The rules can conclude alone: conforming or not.
    Auto,
    /// The rules can find failures but never validate the criterion.
    Partial,
    /// No automated rule: a human decides.
    Manual,
}

impl Automation {
    pub fn as_str(self) -> &'static str {
        match self {
            Automation::Auto => "auto",
            Automation::Partial => "partial",
            Automation::Manual => "manual",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Theme {
    pub number: u8,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Criterion {
    /// "8.5"
    pub id: String,
    pub theme: u8,
    /// "A" or "AA".
    pub level: String,
    /// Short French label, in our own words.
    pub label: String,
    /// Test ids, e.g. "8.1.1".
    pub tests: Vec<String>,
    /// WCAG 2.1 success criteria.
    pub wcag: Vec<String>,
    pub automation: Automation,
    /// Rule ids testing this criterion.
    #[serde(default)]
    pub rules: Vec<String>,
}

/// The RGAA referential.
#[derive(Debug, Clone, Deserialize)]
pub struct Rgaa {
    pub version: String,
    /// Rule ids announced but not yet in the registry (must be emptied as they land).
    #[serde(default)]
    pub planned: Vec<String>,
    pub wcag_levels: BTreeMap<String, String>,
    pub themes: Vec<Theme>,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, thiserror::Error)]
#[error("criteria/rgaa-4.1.2.toml illisible : {0}")]
pub struct CriteriaError(#[from] toml::de::Error);

impl Rgaa {
    /// Parse RGAA data from TOML text.
    pub fn parse(text: &str) -> Result<Rgaa, CriteriaError> {
        Ok(toml::from_str(text)?)
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// Whether a test id ("8.1.2") exists.
    pub fn has_test(&self, test: &str) -> bool {
        self.criteria
            .iter()
            .any(|c| c.tests.iter().any(|t| t == test))
    }

    pub fn theme_name(&self, number: u8) -> Option<&str> {
        self.themes
            .iter()
            .find(|t| t.number == number)
            .map(|t| t.name.as_str())
    }
}

/// The embedded RGAA 4.1.2 data, parsed once. The file is part of the binary and checked by
/// tests, so a parse failure is a build defect; it still degrades to an empty referential
/// rather than a panic.
pub fn rgaa() -> &'static Rgaa {
    static DATA: OnceLock<Rgaa> = OnceLock::new();
    DATA.get_or_init(|| match Rgaa::parse(RGAA_TOML) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("{e}");
            Rgaa {
                version: String::new(),
                planned: Vec::new(),
                wcag_levels: BTreeMap::new(),
                themes: Vec::new(),
                criteria: Vec::new(),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{all_rules, criterion_of_test, rule_by_id};

    #[test]
    fn embedded_data_parses_with_13_themes_and_106_criteria() {
        let r = Rgaa::parse(RGAA_TOML).expect("embedded TOML parses");
        assert_eq!(r.version, "4.1.2");
        assert_eq!(r.themes.len(), 13);
        assert_eq!(r.criteria.len(), 106);
        let tests: usize = r.criteria.iter().map(|c| c.tests.len()).sum();
        assert_eq!(tests, 258, "RGAA 4.1.2 has 258 tests");
        for c in &r.criteria {
            assert!(r.theme_name(c.theme).is_some(), "{}: theme", c.id);
            assert!(c.id.starts_with(&format!("{}.", c.theme)), "{}", c.id);
            assert!(!c.label.is_empty() && !c.wcag.is_empty(), "{}", c.id);
            assert!(c.level == "A" || c.level == "AA", "{}", c.id);
            for t in &c.tests {
                assert_eq!(criterion_of_test(t), c.id, "{t}");
            }
            for sc in &c.wcag {
                assert!(
                    r.wcag_levels.contains_key(sc),
                    "{}: {sc} has no level",
                    c.id
                );
            }
        }
        let per_theme = |n| r.criteria.iter().filter(|c| c.theme == n).count();
        assert_eq!(per_theme(10), 14);
        assert_eq!(per_theme(13), 12);
    }

    #[test]
    fn automation_status_matches_rule_lists() {
        for c in &rgaa().criteria {
            match c.automation {
                Automation::Manual => assert!(c.rules.is_empty(), "{}: manual with rules", c.id),
                _ => assert!(!c.rules.is_empty(), "{}: automated without rules", c.id),
            }
        }
    }

    #[test]
    fn rules_and_criteria_data_agree() {
        let data = rgaa();
        // Every rule id in the data exists, or is explicitly planned (and then does not exist yet).
        for c in &data.criteria {
            for id in &c.rules {
                let exists = rule_by_id(id).is_some();
                let planned = data.planned.contains(id);
                assert!(
                    exists != planned,
                    "{}: rule {id} exists={exists} planned={planned}",
                    c.id
                );
            }
        }
        // Every rule's RGAA tests exist, and each criterion it tests lists it.
        for rule in all_rules() {
            let m = rule.meta();
            for t in m.rgaa {
                assert!(data.has_test(t), "{}: unknown RGAA test {t}", m.id);
            }
            for c in m.rgaa_criteria() {
                let crit = data.criterion(&c).expect("criterion exists");
                assert!(
                    crit.rules.iter().any(|r| r == m.id),
                    "criterion {c} does not list rule {}",
                    m.id
                );
            }
        }
    }
}
