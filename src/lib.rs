//! vigie: audits French public online services ("démarches en ligne") against RGAA 4.1.2 and
//! the Cerfa numérique criteria, and scores them like the State's observatory.
//!
//! Data flows one way: `crawl` (fetch, politeness) → `page` (parse, page model) → `rules`
//! (checks) → `findings` → `scores` → `report`.

/// A rule's list of references, as its findings cite them: borrowed by each finding, where a
/// list of its own was a vector to allocate, copy and free (two a finding, a hundred findings
/// a page).
#[macro_export]
macro_rules! refs {
    ($($s:literal),* $(,)?) => {
        &[$(::std::borrow::Cow::Borrowed($s)),*]
    };
}

pub mod a11y;
pub mod analyze;
pub mod audit;
pub mod bench;
pub mod campaign;
pub mod catalogue;
pub mod cerfa;
pub mod cli;
pub mod conformance;
pub mod crawl;
pub mod criteria;
pub mod css;
pub mod declarations;
pub mod demo;
pub mod diff;
pub mod findings;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod hash;
pub mod history;
pub mod indicators;
pub mod model;
pub mod monitor;
pub mod page;
pub mod probe;
pub mod render;
pub mod report;
pub mod rules;
pub mod scores;
pub mod serve;
pub mod store;
pub mod worker;

/// Tool name and version, as written in reports and the User-Agent.
pub const TOOL_NAME: &str = "vigie";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The User-Agent sent with every request: names the tool, its version and where to learn more.
pub fn user_agent() -> String {
    format!("{TOOL_NAME}/{TOOL_VERSION} (auditeur d'accessibilite RGAA; +https://github.com/vigie-audit/vigie)")
}
