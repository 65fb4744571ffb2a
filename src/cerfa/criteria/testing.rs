//! Test support: a small démarche built in memory (pages from inline HTML through the real
//! extractors, or evidence set by hand; findings; indexability), measured by one criterion.

use chrono::NaiveDate;
use url::Url;

use super::{CerfaCriterion, Ctx, Measured};
use crate::catalogue::Demarche;
use crate::cerfa::model::{Evidence, EvidencePage, Status};
use crate::cerfa::{extract, LinkRef, PageEvidence};
use crate::crawl::indexability::Indexability;
use crate::findings::Finding;
use crate::page::{Page, Target};
use crate::rules::Outcome;

pub(crate) const START: &str = "https://demarche.gouv.fr/";

/// One crawled page, owned.
pub(crate) struct TestPage {
    pub url: String,
    pub status: Option<u16>,
    pub depth: u32,
    pub charset: Option<String>,
    pub x_robots_tag: Vec<String>,
    pub evidence: PageEvidence,
}

/// A démarche under test.
pub(crate) struct Site {
    pub demarche: Demarche,
    pub pages: Vec<TestPage>,
    pub findings: Vec<Finding>,
    pub indexability: Option<Indexability>,
    pub date: NaiveDate,
}

fn url(s: &str) -> Url {
    Url::parse(s).expect("test URL")
}

impl Site {
    /// A démarche starting at [`START`], audited on 15 June 2026, with no page yet.
    pub fn new() -> Site {
        Site::at(START)
    }

    pub fn at(start: &str) -> Site {
        Site {
            demarche: Demarche::from_url(url(start)),
            pages: Vec::new(),
            findings: Vec::new(),
            indexability: None,
            date: NaiveDate::from_ymd_opt(2026, 6, 15).expect("date"),
        }
    }

    /// Add a page with hand-made evidence; the first page added is the start page (depth 0,
    /// HTTP 200, UTF-8), the others are at depth 1.
    pub fn with(mut self, url: &str, evidence: PageEvidence) -> Site {
        let depth = if self.pages.is_empty() { 0 } else { 1 };
        self.pages.push(TestPage {
            url: url.to_string(),
            status: Some(200),
            depth,
            charset: Some("utf-8".into()),
            x_robots_tag: Vec::new(),
            evidence,
        });
        self
    }

    /// Add a page from inline HTML, read by the real extractors.
    pub fn page(self, page_url: &str, html: &str) -> Site {
        let evidence = extract(&Page::parse(url(page_url), html));
        self.with(page_url, evidence)
    }

    /// Add a start page from inline HTML at [`START`].
    pub fn home(self, html: &str) -> Site {
        self.page(START, html)
    }

    pub fn finding(mut self, rule: &str, outcome: Outcome, cerfa: u8, message: &str) -> Site {
        self.findings.push(Finding {
            rule: rule.to_string().into(),
            outcome,
            url: START.into(),
            targets: vec![Target {
                selector: "p:nth-child(2)".into(),
                snippet: "<p>".into(),
            }],
            count: 1,
            message: message.to_string(),
            rgaa: vec!["3.2.1".into()],
            wcag: Default::default(),
            act: Default::default(),
            cerfa: vec![cerfa].into(),
            details: None,
        });
        self
    }

    /// Measure one criterion as `evaluate` does (same context, same start page).
    pub fn measure(&self, criterion: &dyn CerfaCriterion) -> Measured {
        let pages: Vec<EvidencePage<'_>> = self
            .pages
            .iter()
            .map(|p| EvidencePage {
                url: &p.url,
                status: p.status,
                depth: p.depth,
                charset: p.charset.as_deref(),
                x_robots_tag: &p.x_robots_tag,
                evidence: &p.evidence,
            })
            .collect();
        let ctx = Ctx::new(
            &self.demarche,
            &pages,
            &self.findings,
            self.date,
            self.indexability.as_ref(),
        );
        criterion.measure(&ctx)
    }
}

/// A link as evidence.
pub(crate) fn link(text: &str, href: &str) -> LinkRef {
    LinkRef {
        text: text.into(),
        href: href.into(),
        selector: "a".into(),
    }
}

/// Assert the status and the summary, and return the evidence lines for further checks.
#[track_caller]
pub(crate) fn verdict(m: &Measured, status: Status, summary: &str) -> Vec<String> {
    assert_eq!(m.status, status, "{m:#?}");
    assert_eq!(m.summary, summary, "{m:#?}");
    m.evidence.iter().map(Evidence::line).collect()
}

/// Whether one evidence line contains the text.
#[track_caller]
pub(crate) fn has(lines: &[String], text: &str) {
    assert!(
        lines.iter().any(|l| l.contains(text)),
        "no evidence with {text:?} in {lines:#?}"
    );
}
