//! Scores computed from findings and fetch records.

pub mod rgaa;

use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::report::PageReport;
use crate::rules::Outcome;

/// Counts per démarche: pages and findings by outcome.
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
        for f in findings {
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
