//! The report's data: what every stage after the analysis reads and what report.json holds.
//! Types only, with their JSON form; the stages that compute them live elsewhere.

pub mod indicator;
pub mod outcomes;
pub mod sections;
pub mod settings;
pub mod stream;

pub use settings::AuditSettings;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analyze::PageFacts;
use crate::catalogue::Demarche;
use crate::crawl::{FetchConfig, FetchRecord};
use crate::findings::Finding;
use crate::rules::Outcome;

/// Version of the report.json format; bump on incompatible change.
/// 2.0: passed and inapplicable outcomes are compact, per page (`pages[].outcomes`), no longer
/// findings (see [`outcomes`]); 1.0 reports are still read.
pub const SCHEMA_VERSION: &str = "2.0";

/// The JSON Schema of report.json, published in the repository.
pub const REPORT_SCHEMA: &str = include_str!("../../schemas/report.schema.json");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

impl Default for ToolInfo {
    fn default() -> Self {
        ToolInfo {
            name: crate::TOOL_NAME.into(),
            version: crate::TOOL_VERSION.into(),
        }
    }
}

/// Settings of the run, recorded so results can be reproduced.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunConfig {
    pub fetch: FetchConfig,
    pub max_pages: usize,
    pub max_depth: u32,
    pub use_sitemaps: bool,
    /// Passed findings kept whole (`--all-targets`); absent when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all_targets: bool,
}

/// One visited URL as reported: the fetch record and, for HTML pages, its facts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageReport {
    #[serde(flatten)]
    pub record: FetchRecord,
    /// Whether the analysed page is the browser's rendered DOM, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering: Option<crate::crawl::Rendering>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<PageFacts>,
    /// Passed and inapplicable rules of an analysed page (absent in 1.0 reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<outcomes::PageOutcomes>,
    /// Photos of failed elements on a rendered page (absent before, and on other pages).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screenshots: Vec<crate::crawl::Screenshot>,
}

/// Everything about one démarche.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DemarcheReport {
    #[serde(flatten)]
    pub demarche: Demarche,
    pub pages: Vec<PageReport>,
    /// Failed and cantTell findings (every outcome in 1.0 reports; passed ones too when the
    /// audit ran with `--all-targets`): see [`DemarcheReport::all_findings`].
    pub findings: Vec<Finding>,
    /// The rules run on each analysed page, in order (2.0): a rule with neither a passed count
    /// nor a finding on a page was inapplicable there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The usual messages of compact outcomes (2.0); pages name the exceptions.
    #[serde(default, skip_serializing_if = "outcomes::UsualMessages::is_empty")]
    pub usual_messages: outcomes::UsualMessages,
    pub summary: DemarcheSummary,
    /// The Cerfa numérique evaluation (absent in reports written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cerfa: Option<crate::cerfa::CerfaReport>,
    /// RGAA criterion statuses (absent in reports written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rgaa: Option<crate::scores::rgaa::RgaaSummary>,
    /// Probes of the start URL spread over the audit (availability, response time).
    #[serde(default)]
    pub probes: Vec<crate::probe::ProbeRecord>,
    /// Observatory indicators (see criteria/indicateurs.toml; described in schemas/report.schema.json).
    #[serde(default)]
    pub indicators: Vec<indicator::Indicator>,
    /// robots.txt and sitemap facts for Cerfa criterion 32 (absent in older reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indexability: Option<crate::crawl::indexability::Indexability>,
}

/// What the index and the terminal summary need of a démarche, without its pages and findings:
/// the site keeps one per démarche while the rest streams.
#[derive(Debug, Clone, PartialEq)]
pub struct DemarcheOverview {
    pub demarche: Demarche,
    pub summary: DemarcheSummary,
    pub indicators: Vec<indicator::Indicator>,
    /// Number of probes of the start URL.
    pub probes: usize,
}

impl DemarcheReport {
    pub fn overview(&self) -> DemarcheOverview {
        DemarcheOverview {
            demarche: self.demarche.clone(),
            summary: self.summary.clone(),
            indicators: self.indicators.clone(),
            probes: self.probes.len(),
        }
    }
}

/// report.json
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    pub started_at: String,
    pub finished_at: String,
    pub config: RunConfig,
    pub demarches: Vec<DemarcheReport>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("impossible d'écrire {path} : {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("impossible de sérialiser le rapport : {0}")]
    Json(#[from] serde_json::Error),
    /// An I/O error inside [`write_atomic_with`], which adds the path.
    #[error("écriture : {0}")]
    Write(#[from] std::io::Error),
    #[error("rapport {path} illisible : {source}")]
    Read {
        path: PathBuf,
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Write bytes atomically: a temporary file in the same folder, synced, then renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_atomic_with(path, |w| Ok(w.write_all(bytes)?))
}

/// Write a file atomically from a writer callback (buffered): a temporary file in the same
/// folder, synced, then renamed; on any error the temporary file is removed and `path` is left
/// as it was.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("report");
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(|e| match e {
        ReportError::Write(source) => io(source),
        other => other,
    })
}

impl Report {
    pub fn to_json(&self) -> Result<String, ReportError> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// Write report.json into `out_dir`.
    pub fn write_json(&self, out_dir: &Path) -> Result<PathBuf, ReportError> {
        stream::write_json(self, out_dir)
    }

    pub fn read(path: &Path) -> Result<Report, ReportError> {
        let text = std::fs::read_to_string(path).map_err(|e| ReportError::Read {
            path: path.to_path_buf(),
            source: Box::new(e),
        })?;
        serde_json::from_str(&text).map_err(|e| ReportError::Read {
            path: path.to_path_buf(),
            source: Box::new(e),
        })
    }
}

/// Counts per démarche: pages and findings by outcome (findings outside RGAA left out).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DemarcheSummary {
    pub pages: usize,
    pub html_pages: usize,
    pub fetch_errors: usize,
    pub failed: usize,
    pub cant_tell: usize,
    pub passed: usize,
    pub inapplicable: usize,
}

impl DemarcheSummary {
    pub fn of(pages: &[PageReport], findings: &[Finding]) -> Self {
        let mut s = DemarcheSummary {
            pages: pages.len(),
            html_pages: pages.iter().filter(|p| p.facts.is_some()).count(),
            fetch_errors: pages.iter().filter(|p| p.record.error.is_some()).count(),
            ..Default::default()
        };
        // Results outside RGAA (AAA enhanced contrast) are not the démarche's RGAA failures.
        for f in findings.iter().filter(|f| !f.beyond_rgaa()) {
            match f.outcome {
                Outcome::Failed => s.failed += 1,
                Outcome::CantTell => s.cant_tell += 1,
                Outcome::Passed => s.passed += f.count,
                Outcome::Inapplicable => s.inapplicable += 1,
            }
        }
        s
    }
}
