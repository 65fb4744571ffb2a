//! The criteria data of `criteria/` (embedded at build time so the binary works anywhere).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

const CRITERIA_TOML: &str = include_str!("../../criteria/cerfa-numerique.toml");
const DOMAINS_TOML: &str = include_str!("../../criteria/domaines-publics.toml");
const TRACKERS_TOML: &str = include_str!("../../criteria/traceurs.toml");

/// How a criterion is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Auto,
    Heuristic,
    Declared,
}

/// One criterion of `criteria/cerfa-numerique.toml`. Unknown keys are refused: the rule↔criterion
/// mapping lives in `RuleMeta::cerfa`, not in a `rules` key here.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionDef {
    pub number: u8,
    pub principle: u8,
    pub label: String,
    pub mode: Mode,
    pub evidence: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Thresholds {
    pub markup_errors_max_exclusive: usize,
    pub declaration_max_age_years: u32,
    pub contact_channels_min: usize,
    pub fixed_width_max_px: u32,
    pub viewport_min_maximum_scale: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Acronyms {
    pub allow: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CriteriaData {
    pub thresholds: Thresholds,
    pub acronyms: Acronyms,
    #[serde(rename = "criterion")]
    pub criteria: Vec<CriterionDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PublicDomains {
    pub suffixes: Vec<String>,
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Trackers {
    pub hosts: Vec<String>,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, name: &str) -> T {
    match toml::from_str(text) {
        Ok(v) => v,
        // Embedded data checked by the tests: a broken file is a build defect, not input.
        Err(e) => panic!("criteria/{name} invalide : {e}"),
    }
}

/// The 35 criteria and thresholds.
pub fn criteria() -> &'static CriteriaData {
    static DATA: OnceLock<CriteriaData> = OnceLock::new();
    DATA.get_or_init(|| parse(CRITERIA_TOML, "cerfa-numerique.toml"))
}

pub fn public_domains() -> &'static PublicDomains {
    static DATA: OnceLock<PublicDomains> = OnceLock::new();
    DATA.get_or_init(|| parse(DOMAINS_TOML, "domaines-publics.toml"))
}

pub fn trackers() -> &'static Trackers {
    static DATA: OnceLock<Trackers> = OnceLock::new();
    DATA.get_or_init(|| parse(TRACKERS_TOML, "traceurs.toml"))
}

/// Whether `host` equals `domain` or is one of its subdomains.
pub fn host_matches(host: &str, domain: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = domain.trim_start_matches('.').to_ascii_lowercase();
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Whether a host is an official public domain (criterion 11).
pub fn is_public_host(host: &str) -> Option<String> {
    let d = public_domains();
    d.suffixes
        .iter()
        .chain(d.domains.iter())
        .find(|s| host_matches(host, s))
        .cloned()
}

/// The tracker entry a host matches, if any (criterion 23).
pub fn tracker_of(host: &str) -> Option<String> {
    trackers()
        .hosts
        .iter()
        .find(|t| host_matches(host, t))
        .cloned()
}
