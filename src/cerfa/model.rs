//! The Cerfa report model: per-criterion results, evidence, scores and the declaration verdict, as
//! report.json holds them; and [`EvidencePage`], the per-page input of the evaluation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::data::Mode;
use super::declarations_file::{DeclaredAnswer, DeclaredValue};
use super::statement::AccessibilityStatement;
use super::PageEvidence;

/// A crawled HTML page with its Cerfa evidence.
#[derive(Debug, Clone, Copy)]
pub struct EvidencePage<'a> {
    pub url: &'a str,
    pub status: Option<u16>,
    pub depth: u32,
    /// Charset from the HTTP response, if known.
    pub charset: Option<&'a str>,
    /// `X-Robots-Tag` header values of the response.
    pub x_robots_tag: &'a [String],
    pub evidence: &'a PageEvidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    NotMet,
    Unknown,
    NotApplicable,
}

impl Status {
    /// The French words the report shows.
    pub fn label_fr(self) -> &'static str {
        match self {
            Status::Met => "rempli",
            Status::NotMet => "non rempli",
            Status::Unknown => "inconnu",
            Status::NotApplicable => "non applicable",
        }
    }

    /// The word report.json uses.
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::NotMet => "not_met",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
        }
    }
}

impl From<DeclaredValue> for Status {
    fn from(v: DeclaredValue) -> Status {
        match v {
            DeclaredValue::Met => Status::Met,
            DeclaredValue::NotMet => Status::NotMet,
        }
    }
}

/// Where a verdict or a value comes from (Cerfa criteria and observatory indicators alike).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Source {
    /// Measured by vigie.
    #[serde(rename = "mesure")]
    Measured,
    /// Declared by the operator (declarations file).
    #[serde(rename = "declare")]
    Declared,
    /// Neither: unknown.
    #[serde(rename = "inconnu")]
    Unknown,
}

impl Source {
    /// The word the report shows.
    pub fn label(self) -> &'static str {
        match self {
            Source::Measured => "mesuré",
            Source::Declared => "déclaré",
            Source::Unknown => "inconnu",
        }
    }
}

/// One piece of evidence: where, what.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
    pub text: String,
}

impl Evidence {
    /// One line: the text, then where (URL, selector), the empty parts left out.
    pub fn line(&self) -> String {
        [
            Some(self.text.as_str()),
            self.url.as_deref(),
            self.selector.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" — ")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CriterionResult {
    pub number: u8,
    pub principle: u8,
    pub label: String,
    pub mode: Mode,
    pub status: Status,
    pub source: Source,
    /// The measured verdict (unknown when nothing could be measured).
    pub measured: Status,
    /// One French sentence explaining the verdict.
    pub summary: String,
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<DeclaredAnswer>,
    /// Set when the declaration and the measure disagree (the measure wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
}

/// One of the two figures.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ScoreFigure {
    /// Criteria met (measured or declared).
    pub met: usize,
    /// Criteria counted: all of them minus the non-applicable ones.
    pub out_of: usize,
    /// met / out_of × 100, unknown counted as not met (as the 2019 study did).
    pub percent: f64,
    pub measured_met: usize,
    pub declared_met: usize,
    pub not_met: usize,
    pub unknown: usize,
    pub not_applicable: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    /// Share of the 35 criteria met.
    pub all: ScoreFigure,
    /// Share of the accessibility criteria 15, 16 and 17 met.
    pub accessibility: ScoreFigure,
    /// The two headline percentages, flat, for tables and indicators.
    pub all_pct: f64,
    pub accessibility_pct: f64,
}

/// The accessibility declaration as judged.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StatementVerdict {
    pub url: String,
    #[serde(flatten)]
    pub declaration: AccessibilityStatement,
    pub recevable: bool,
    /// Why it is not recevable (empty when it is).
    pub reasons: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_days: Option<i64>,
    /// HTML pages linking to the accessibility page from their footer, out of all HTML pages.
    pub pages_linking: usize,
    pub pages_total: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contradiction: Option<String>,
}

/// The Cerfa numérique evaluation of one démarche.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CerfaReport {
    pub audit_date: NaiveDate,
    pub criteria: Vec<CriterionResult>,
    pub scores: Scores,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility_declaration: Option<StatementVerdict>,
}
