//! The settings of an audit: what decides its results, recorded in the journal so that
//! `--resume` continues with exactly the same budgets, and in report.json (`config`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::crawl::FetchConfig;
use crate::render::RenderMode;

/// Everything that decides an audit's results (display and parallelism excluded).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuditSettings {
    pub fetch: FetchConfig,
    /// Pages at most per démarche (a catalogue entry may lower or raise it).
    pub max_pages: usize,
    /// Link depth at most from the start URL.
    pub max_depth: u32,
    pub use_sitemaps: bool,
    /// Probes of each start URL spread over its crawl (availability and response time).
    pub probes: usize,
    /// Allow non-public addresses even when a démarche starts on a public host.
    pub allow_private_addresses: bool,
    /// The operators' declarations file given to the audit, read again on resume.
    #[serde(default, rename = "declarations")]
    pub declarations_file: Option<PathBuf>,
    /// Reference date of the Cerfa evaluation (age of the accessibility declaration); today
    /// when None. Kept across a resume so the resumed report equals an uninterrupted one.
    #[serde(default)]
    pub audit_date: Option<chrono::NaiveDate>,
    /// Keep passed findings whole (`--all-targets`: their targets, as in 1.0 reports) instead of
    /// a count per rule and page.
    #[serde(default)]
    pub all_targets: bool,
    /// Which pages a browser renders before analysis (the commands default to `auto`; here
    /// `never`, and a campaign journaled before the rendered mode resumes as it ran).
    #[serde(default = "static_only")]
    pub render: RenderMode,
}

fn static_only() -> RenderMode {
    RenderMode::Never
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            fetch: FetchConfig::default(),
            max_pages: 50,
            max_depth: 3,
            use_sitemaps: true,
            probes: crate::probe::DEFAULT_PROBES,
            allow_private_addresses: false,
            declarations_file: None,
            audit_date: None,
            all_targets: false,
            render: RenderMode::Never,
        }
    }
}

impl AuditSettings {
    /// What report.json records of the settings.
    pub fn run_config(&self) -> super::RunConfig {
        super::RunConfig {
            fetch: self.fetch.clone(),
            max_pages: self.max_pages,
            max_depth: self.max_depth,
            use_sitemaps: self.use_sitemaps,
            all_targets: self.all_targets,
        }
    }
}
