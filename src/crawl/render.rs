//! The step between fetch and analysis: a page may be handed to a browser, whose rendered DOM
//! is then analysed instead of the served HTML. The crawl only knows this hook and the outcome
//! it records; the browser lives in `crate::render`, which implements [`Renderer`].

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::page::browser::BrowserFacts;
use crate::page::Page;

/// What happened to a page on the way to its analysis.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RenderStatus {
    /// The rendered DOM was analysed.
    Rendered,
    /// The served HTML was analysed: rendering was not asked for.
    NotRendered,
    /// Rendering was asked for but no browser could run: the served HTML was analysed.
    Impossible,
    /// The browser failed on this page: the served HTML was analysed.
    Failed,
}

/// Whether a page was rendered and why, as the report states it for every page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Rendering {
    pub status: RenderStatus,
    /// Why, in French (« page construite par script (…) », « --render never », « délai dépassé »).
    pub reason: String,
    /// Where the browser ended (client-side redirects), when rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
}

impl Rendering {
    pub fn new(status: RenderStatus, reason: impl Into<String>) -> Rendering {
        Rendering {
            status,
            reason: reason.into(),
            final_url: None,
        }
    }
}

impl std::fmt::Display for Rendering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head = match self.status {
            RenderStatus::Rendered => "rendu",
            RenderStatus::NotRendered => "non rendu",
            RenderStatus::Impossible => "rendu impossible",
            RenderStatus::Failed => "rendu échoué",
        };
        write!(f, "{head} : {}", self.reason)
    }
}

/// What a renderer decided for a served page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderChoice {
    /// Render it, for this reason.
    Render(String),
    /// Analyse the served HTML; the outcome to record.
    Keep(Rendering),
}

/// A page as the browser left it.
#[derive(Debug, Clone)]
pub struct RenderedDom {
    /// `document.documentElement.outerHTML`.
    pub html: String,
    pub final_url: Url,
    /// What the browser measured on the page (keyboard walk, scrollable regions), when it could.
    pub facts: Option<BrowserFacts>,
}

pub type RenderFuture<'a> =
    Pin<Box<dyn Future<Output = Result<RenderedDom, Rendering>> + Send + 'a>>;

/// Decides which pages to render and renders them (a browser, or a stub in tests).
pub trait Renderer: Send + Sync {
    /// Whether to render this served page (cheap, synchronous: run on the CPU pool).
    fn choose(&self, served: &Page) -> RenderChoice;
    /// Render `url`; on failure, the outcome to record (the served HTML is then analysed).
    fn render<'a>(&'a self, url: &'a Url) -> RenderFuture<'a>;
}
