//! The page pipeline: HTML text → page model → all rules → findings and page facts.
//! Synchronous and CPU-bound: the crawler runs it on its CPU pool, `check` on rayon's.

pub mod signals;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::css::Cascaded;
use crate::findings::{run_all, Finding};
use crate::page::{Page, StylesheetLink};

/// How many parser error messages are kept as evidence.
const PARSE_ERRORS_KEPT: usize = 20;

/// Facts about a page that scores and reports use beside findings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageFacts {
    pub title: Option<String>,
    pub lang: Option<String>,
    pub has_doctype: bool,
    pub parse_error_count: usize,
    pub parse_errors: Vec<String>,
    pub stylesheet_count: usize,
    pub link_count: usize,
    /// What the CSS cascade could not evaluate on this page (media queries it cannot decide,
    /// `@import` not loaded, unsupported at-rules or selectors): the limits of the contrast and
    /// visibility measures here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub css_notes: Vec<String>,
    /// Text, viewport and contact signals for the observatory indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signals: Option<signals::PageSignals>,
}

/// Everything learnt from one page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PageAnalysis {
    pub facts: PageFacts,
    pub findings: Vec<Finding>,
    /// Evidence for the Cerfa numérique criteria.
    #[serde(default)]
    pub cerfa: crate::cerfa::PageEvidence,
    /// Outgoing links, resolved and without fragment (not serialised in reports).
    #[serde(skip)]
    pub links: std::sync::Arc<[Url]>,
    /// Photos of failed elements, on a rendered page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screenshots: Vec<crate::crawl::Screenshot>,
}

/// Failed targets photographed per page, at most (the renderer also bounds each démarche).
pub const MAX_PHOTOS_PER_PAGE: usize = 20;

/// The failed targets of a page, RGAA failures first, then those beyond RGAA (AAA).
fn photos_wanted(analysis: &PageAnalysis) -> Vec<crate::crawl::PhotoWanted> {
    let failed = analysis
        .findings
        .iter()
        .filter(|f| f.outcome == crate::rules::Outcome::Failed);
    let (counted, beyond): (Vec<&Finding>, Vec<&Finding>) =
        failed.partition(|f| f.is_counted_failure());
    let mut wanted: Vec<crate::crawl::PhotoWanted> = Vec::new();
    for f in counted.into_iter().chain(beyond) {
        for t in &f.targets {
            let w = crate::crawl::PhotoWanted {
                rule: f.rule.to_string(),
                selector: t.selector.to_string(),
            };
            if wanted.len() < MAX_PHOTOS_PER_PAGE && !wanted.contains(&w) {
                wanted.push(w);
            }
        }
    }
    wanted
}

/// A visited URL with, for HTML pages, vigie's analysis.
pub type CrawledPage = crate::crawl::Crawled<PageAnalysis>;

/// vigie's static analysis, handed to the crawler: every rule, the Cerfa page evidence and the
/// indicator signals, on the page as served; passed findings counted, not listed.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaticAnalyser;

impl crate::crawl::Analyser for StaticAnalyser {
    type Analysis = PageAnalysis;
    fn analyse(&self, page: &Page) -> PageAnalysis {
        analyze(page, false)
    }
    fn links(analysis: &PageAnalysis) -> &[Url] {
        &analysis.links
    }
}

/// vigie's analysis with a rendering step: the crawl hands each served page to `renderer`
/// first, and analyses the rendered DOM when it renders one.
#[derive(Clone)]
pub struct RenderingAnalyser {
    pub renderer: std::sync::Arc<dyn crate::crawl::Renderer>,
    /// Passed findings list their first targets (`--all-targets`), else only count them.
    pub all_targets: bool,
}

impl crate::crawl::Analyser for RenderingAnalyser {
    type Analysis = PageAnalysis;
    fn analyse(&self, page: &Page) -> PageAnalysis {
        analyze(page, self.all_targets)
    }
    fn links(analysis: &PageAnalysis) -> &[Url] {
        &analysis.links
    }
    fn renderer(&self) -> Option<&dyn crate::crawl::Renderer> {
        Some(&*self.renderer)
    }
    fn photos_wanted(analysis: &PageAnalysis) -> Vec<crate::crawl::PhotoWanted> {
        photos_wanted(analysis)
    }
    fn add_photos(analysis: &mut PageAnalysis, photos: Vec<crate::crawl::Screenshot>) {
        analysis.screenshots = photos;
    }
}

/// Parse a page (first step, to learn its stylesheet links before fetching them).
pub fn parse(url: Url, html: &str) -> Page {
    Page::parse(url, html)
}

/// Stylesheets the page links to.
pub fn stylesheet_links(page: &Page) -> Vec<StylesheetLink> {
    page.stylesheet_links()
}

/// Run every rule on a parsed page whose linked stylesheets were added. Passed findings list
/// their first targets only with `all_targets` (`--all-targets`).
pub fn analyze(page: &Page, all_targets: bool) -> PageAnalysis {
    let findings = run_all(page, all_targets);
    let links = page.links();
    let facts = PageFacts {
        title: page.title(),
        lang: page.lang(),
        has_doctype: page.has_doctype(),
        parse_error_count: page.parse_errors.len(),
        parse_errors: page
            .parse_errors
            .iter()
            .take(PARSE_ERRORS_KEPT)
            .cloned()
            .collect(),
        stylesheet_count: page.stylesheets.len(),
        link_count: links.len(),
        css_notes: page.styles().notes.clone(),
        signals: Some(signals::signals_of(page)),
    };
    PageAnalysis {
        facts,
        findings,
        cerfa: crate::cerfa::extract(page),
        links,
        screenshots: Vec::new(),
    }
}

/// The whole pipeline on one HTML string, without linked stylesheets (for `check` on files
/// and benchmarks).
pub fn analyze_html(url: Url, html: &str) -> PageAnalysis {
    analyze(&parse(url, html), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_limits_are_kept_in_the_facts() {
        let html = r#"<!doctype html><html lang="fr"><head><title>t</title><style>
            @import url(autre.css);
            @media (min-resolution: 2dppx) { p { color: #777 } }
            p { color: #000 }
        </style></head><body><p>Texte</p></body></html>"#;
        let a = analyze_html(Url::parse("http://t.test/").expect("url"), html);
        let notes = &a.facts.css_notes;
        assert!(
            notes.iter().any(|n| n.starts_with("@import non chargé")),
            "{notes:?}"
        );
        let plain = analyze_html(
            Url::parse("http://t.test/").expect("url"),
            "<!doctype html><html lang=fr><title>t</title><style>p{color:#000}</style><p>x</p>",
        );
        assert!(
            plain.facts.css_notes.is_empty(),
            "{:?}",
            plain.facts.css_notes
        );
    }
}
