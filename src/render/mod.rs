//! Rendered mode: which pages a browser renders before analysis, and the browser itself.
//! The crawl calls this through its [`Renderer`] hook (fetch → render → analysis), so the
//! crawl knows no browser and the browser knows no analysis. Later browser measurements
//! (keyboard walk, reflow, pixel contrast, screenshots) are further steps on the same tab.

pub mod browser;
mod measure;
pub mod photos;

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use url::Url;

pub use browser::{find_browser, Browser, BrowserError, BrowserLimits};

use crate::crawl::render::{
    RenderChoice, RenderFuture, RenderStatus, RenderedDom, Rendering, RequestGate,
};
use crate::crawl::Renderer;
use crate::page::Page;

/// When pages are rendered in a browser before analysis.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum RenderMode {
    /// Never: the page as served.
    Never,
    /// Pages whose served HTML looks built by script.
    #[default]
    Auto,
    /// Every HTML page.
    Always,
}

impl RenderMode {
    pub fn flag(self) -> &'static str {
        match self {
            RenderMode::Never => "--render never",
            RenderMode::Auto => "--render auto",
            RenderMode::Always => "--render always",
        }
    }
}

/// The rendering of one audit: its mode and, unless `never`, its browser (or why there is none).
pub struct RenderSession {
    mode: RenderMode,
    browser: Result<Arc<Browser>, BrowserError>,
}

impl RenderSession {
    /// Find the browser (not started yet: it starts on the first page to render). `always`
    /// without a browser is an error, before anything is crawled; `auto` falls back to the
    /// served pages.
    pub fn new(
        mode: RenderMode,
        chromium: Option<&Path>,
        limits: BrowserLimits,
    ) -> Result<RenderSession, BrowserError> {
        let browser = match mode {
            RenderMode::Never => Err(BrowserError::Closed),
            _ => find_browser(chromium).map(|exe| Arc::new(Browser::new(exe, limits))),
        };
        if mode == RenderMode::Always {
            if let Err(e) = &browser {
                return Err(e.clone());
            }
        }
        Ok(RenderSession { mode, browser })
    }

    /// The renderer of one démarche: the catalogue's `render = true|false` overrides `auto`.
    /// Failed elements of its rendered pages are photographed (20 at most).
    pub fn renderer(&self, demarche_render: Option<bool>) -> Arc<PageRenderer> {
        self.renderer_with_photos(demarche_render, photos::MAX_PHOTOS_PER_DEMARCHE)
    }

    /// A renderer taking at most `photos` photos of failed elements (0: none, the tab closes
    /// as soon as the DOM is read; `check` and `conformance` write no report to hold them).
    pub fn renderer_with_photos(
        &self,
        demarche_render: Option<bool>,
        photos: usize,
    ) -> Arc<PageRenderer> {
        let policy = match (self.mode, demarche_render) {
            (RenderMode::Auto, Some(true)) => Policy::Render("render = true dans le catalogue"),
            (RenderMode::Auto, Some(false)) => Policy::Keep("render = false dans le catalogue"),
            (RenderMode::Auto, None) => Policy::Auto,
            (RenderMode::Always, _) => Policy::Render("--render always"),
            (RenderMode::Never, _) => Policy::Keep("--render never"),
        };
        Arc::new(PageRenderer {
            policy,
            browser: self.browser.clone(),
            photos: Arc::new(std::sync::atomic::AtomicUsize::new(photos)),
        })
    }

    /// Stop the browser, if it was started.
    pub async fn shutdown(&self) {
        if let Ok(b) = &self.browser {
            b.shutdown().await;
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Render(&'static str),
    Keep(&'static str),
    Auto,
}

/// Decides, per served page, whether to render it, and renders it with the audit's browser.
pub struct PageRenderer {
    policy: Policy,
    browser: Result<Arc<Browser>, BrowserError>,
    /// Photos of failed elements still to take for this démarche.
    photos: Arc<std::sync::atomic::AtomicUsize>,
}

impl PageRenderer {
    /// The decision on a served page, without a browser.
    pub fn decide(&self, served: &Page) -> RenderChoice {
        let why = match self.policy {
            Policy::Keep(why) => {
                return RenderChoice::Keep(Rendering::new(RenderStatus::NotRendered, why))
            }
            Policy::Render(why) => why.to_string(),
            Policy::Auto => match served.script_built() {
                Some(shell) => format!("page construite par script ({shell})"),
                None => {
                    return RenderChoice::Keep(Rendering::new(
                        RenderStatus::NotRendered,
                        "page servie non construite par script",
                    ))
                }
            },
        };
        RenderChoice::Render(why)
    }
}

impl Renderer for PageRenderer {
    fn choose(&self, served: &Page) -> RenderChoice {
        match (&self.browser, self.policy) {
            // No browser: a page that would have been rendered says so; a page `auto` would
            // not render reads the same with or without a browser.
            (Err(e), Policy::Render(_) | Policy::Auto) => match self.decide(served) {
                RenderChoice::Render(_) => {
                    RenderChoice::Keep(Rendering::new(RenderStatus::Impossible, short(e)))
                }
                keep => keep,
            },
            _ => self.decide(served),
        }
    }

    fn render<'a>(&'a self, url: &'a Url, gate: &'a dyn RequestGate) -> RenderFuture<'a> {
        Box::pin(async move {
            let browser = self
                .browser
                .as_ref()
                .map_err(|e| Rendering::new(RenderStatus::Impossible, short(e)))?;
            let keep = self.photos.load(std::sync::atomic::Ordering::SeqCst) > 0;
            match browser.render_keeping(url, gate, keep).await {
                (Ok((page, held)), activity) => Ok(RenderedDom {
                    html: page.html,
                    final_url: page.final_url,
                    activity,
                    facts: page.facts,
                    photographer: held.map(|h| {
                        Box::new(h.with_budget(self.photos.clone()))
                            as Box<dyn crate::crawl::render::Photographer>
                    }),
                }),
                (Err(e), _) if e.is_unavailable() => {
                    Err(Rendering::new(RenderStatus::Impossible, e.to_string()))
                }
                (Err(e), activity) => Err(Rendering {
                    browser: Some(activity),
                    ..Rendering::new(RenderStatus::Failed, e.to_string())
                }),
            }
        })
    }
}

/// « navigateur absent » without the detail of where it was looked for (said once, by the
/// command, not on every page).
fn short(e: &BrowserError) -> String {
    match e {
        BrowserError::Absent(_) => "navigateur absent".to_string(),
        other => other.to_string(),
    }
}
