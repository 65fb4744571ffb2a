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
    /// What the browser did on the page's behalf (rendered pages and pages whose rendering
    /// failed once the browser had it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<BrowserActivity>,
}

/// Refused requests kept per page with their URL (the count says how many there were).
pub const MAX_REFUSED_KEPT: usize = 5;

/// The browser's own requests for one page, each decided by the crawl's [`RequestGate`], and
/// what the page tried that the browser does not let it do.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct BrowserActivity {
    /// Requests let through (the page itself, its scripts, styles, images, XHR, redirects).
    pub requests_allowed: u32,
    /// Requests refused (address guard, robots.txt, scheme).
    pub requests_refused: u32,
    /// The first refused requests, with the reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedRequest>,
    /// JavaScript dialogs (alert, confirm, prompt, beforeunload) dismissed.
    #[serde(default)]
    pub dialogs: u32,
    /// New windows the page opened, closed at once.
    #[serde(default)]
    pub popups: u32,
}

impl BrowserActivity {
    pub fn refuse(&mut self, url: &str, reason: String) {
        self.requests_refused = self.requests_refused.saturating_add(1);
        if self.refused.len() < MAX_REFUSED_KEPT {
            self.refused.push(RefusedRequest {
                url: url.chars().take(300).collect(),
                reason,
            });
        }
    }

    /// One line for the report site: « requêtes du navigateur : 12 permises, 2 refusées … ».
    pub fn summary(&self) -> String {
        let mut s = format!(
            "requêtes du navigateur : {} permise(s), {} refusée(s)",
            self.requests_allowed, self.requests_refused
        );
        if let Some(first) = self.refused.first() {
            s.push_str(&format!(" (dont {} : {})", first.url, first.reason));
        }
        if self.dialogs > 0 {
            s.push_str(&format!(
                " ; {} dialogue(s) JavaScript fermé(s)",
                self.dialogs
            ));
        }
        if self.popups > 0 {
            s.push_str(&format!(
                " ; {} fenêtre(s) surgissante(s) fermée(s)",
                self.popups
            ));
        }
        s
    }
}

/// A request of the browser that the crawl's rules refused.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RefusedRequest {
    pub url: String,
    pub reason: String,
}

pub type GateFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// What a request of the browser is for: the spacing it waits for depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    /// The page itself again, or a frame's document: spaced as the crawl's own fetches.
    Document,
    /// A style sheet, script, image, font or script request made while the page loads: a
    /// visitor's browser asks for them all at once; they are spaced at a tenth of the crawl's
    /// interval (see `Fetcher::admit_browser_request`).
    Subresource,
}

/// The crawl's rules for the requests the browser makes on its own (scripts, styles, images,
/// XHR, the page itself again): the crawl implements it, the browser asks it before each
/// request, so the browser goes no further than the crawler would.
pub trait RequestGate: Send + Sync {
    /// Wait for the request's turn (rate limit) and allow it, or refuse it with the reason.
    fn decide<'a>(&'a self, url: &'a Url, kind: RequestKind) -> GateFuture<'a>;
    /// The User-Agent the crawl's own fetches send.
    fn user_agent(&self) -> &str;
}

impl Rendering {
    pub fn new(status: RenderStatus, reason: impl Into<String>) -> Rendering {
        Rendering {
            status,
            reason: reason.into(),
            final_url: None,
            browser: None,
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

/// An element to photograph on a rendered page: a failed target, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoWanted {
    pub rule: String,
    pub selector: String,
}

/// A photo of a failed element on a rendered page: a small static image (WebP), cropped
/// around the element with a margin, base64-encoded so the report holds it whole.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Screenshot {
    pub rule: String,
    pub selector: String,
    /// `image/webp`.
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    /// The image, base64 (standard alphabet).
    pub data: String,
}

/// Largest photo, in bytes, and in CSS px once scaled down (what a report may hold).
pub const MAX_PHOTO_BYTES: usize = 60 * 1024;
pub const MAX_PHOTO_WIDTH: u32 = 800;
pub const MAX_PHOTO_HEIGHT: u32 = 600;

pub type PhotoFuture = Pin<Box<dyn Future<Output = Vec<Screenshot>> + Send>>;

/// The tab a page was rendered in, kept open after its DOM was read so that the elements the
/// analysis failed can be photographed as the user saw them. Dropping it closes the tab.
pub trait Photographer: Send {
    /// Photograph the wanted elements (bounded by the renderer), then close the tab.
    fn photograph(self: Box<Self>, wanted: Vec<PhotoWanted>) -> PhotoFuture;
}

/// A page as the browser left it.
pub struct RenderedDom {
    /// `document.documentElement.outerHTML`.
    pub html: String,
    pub final_url: Url,
    /// The browser's requests and the page's dialogs and pop-ups.
    pub activity: BrowserActivity,
    /// What the browser measured on the page (keyboard walk, scrollable regions), when it could.
    pub facts: Option<BrowserFacts>,
    /// The tab, still open, when the renderer photographs failed elements.
    pub photographer: Option<Box<dyn Photographer>>,
}

pub type RenderFuture<'a> =
    Pin<Box<dyn Future<Output = Result<RenderedDom, Rendering>> + Send + 'a>>;

/// Decides which pages to render and renders them (a browser, or a stub in tests).
pub trait Renderer: Send + Sync {
    /// Whether to render this served page (cheap, synchronous: run on the CPU pool).
    fn choose(&self, served: &Page) -> RenderChoice;
    /// Render `url`, every request of the browser going through `gate`; on failure, the
    /// outcome to record (the served HTML is then analysed).
    fn render<'a>(&'a self, url: &'a Url, gate: &'a dyn RequestGate) -> RenderFuture<'a>;
}
