//! Photos of failed elements on rendered pages. The tab a page was rendered in stays open
//! while the crawl analyses the DOM it read ([`HeldTab`], the crawl's `Photographer`); the
//! failed targets the analysis names are then found again in the live page by their
//! selector, outlined, and photographed with a margin as small WebP images, bounded in
//! number (per page by the analysis, per démarche here), pixels and bytes. From the moment
//! the DOM was read the page may fetch nothing: every request it makes is refused.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::fetch::{EventRequestPaused, FailRequestParams};
use chromiumoxide::cdp::browser_protocol::network::ErrorReason;
use chromiumoxide::cdp::browser_protocol::page::{
    EventJavascriptDialogOpening, HandleJavaScriptDialogParams,
};
use chromiumoxide::cdp::browser_protocol::target::{CloseTargetParams, TargetId};
use futures_util::StreamExt;
use tokio::sync::OwnedSemaphorePermit;

use super::measure::shots::{capture_small, Clip};
use crate::crawl::render::{
    PhotoFuture, PhotoWanted, Photographer, Screenshot, MAX_PHOTO_BYTES, MAX_PHOTO_HEIGHT,
    MAX_PHOTO_WIDTH,
};

/// Photos per démarche, at most (the analysis asks for at most 20 per page).
pub const MAX_PHOTOS_PER_DEMARCHE: usize = 20;
/// Space around the element in the photo.
const MARGIN: f64 = 16.0;
/// Region photographed at most (a larger element is cut at its top left), before scaling.
const MAX_REGION: (f64, f64) = (1600.0, 1200.0);
/// Time for the photos of one page.
const BUDGET: Duration = Duration::from_secs(6);

/// Finds the element again by its selector and outlines it: its box in document coordinates.
const LOCATE_JS: &str = r#"((sel) => {
  let el = null;
  try { el = document.querySelector(sel); } catch (e) { return null; }
  if (!el) return null;
  const r = el.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0)) return null;
  let s = document.getElementById('vigie-shot-style');
  if (!s) {
    s = document.createElement('style');
    s.id = 'vigie-shot-style';
    s.textContent = '[data-vigie-shot]{outline:3px solid #c00000 !important;outline-offset:2px !important}';
    (document.head || document.documentElement).appendChild(s);
  }
  for (const o of document.querySelectorAll('[data-vigie-shot]')) o.removeAttribute('data-vigie-shot');
  el.setAttribute('data-vigie-shot', '');
  return [r.left + scrollX, r.top + scrollY, r.width, r.height];
})"#;

/// A rendered page's tab kept open for photos; closed when photographed or dropped.
pub(crate) struct HeldTab {
    page: chromiumoxide::Page,
    browser: Weak<chromiumoxide::Browser>,
    target: TargetId,
    guard: tokio::task::JoinHandle<()>,
    budget: Option<Arc<AtomicUsize>>,
    open: bool,
    _slot: OwnedSemaphorePermit,
}

impl HeldTab {
    /// Hold the tab: from now on its requests are refused and its dialogs dismissed.
    pub(crate) async fn hold(
        page: chromiumoxide::Page,
        browser: Arc<chromiumoxide::Browser>,
        target: TargetId,
        slot: OwnedSemaphorePermit,
    ) -> Option<HeldTab> {
        let paused = page.event_listener::<EventRequestPaused>().await.ok()?;
        let dialogs = page
            .event_listener::<EventJavascriptDialogOpening>()
            .await
            .ok()?;
        let p = page.clone();
        let guard = tokio::spawn(async move {
            let mut paused = paused;
            let mut dialogs = dialogs;
            loop {
                tokio::select! {
                    Some(e) = paused.next() => {
                        let _ = p.execute(FailRequestParams::new(e.request_id.clone(), ErrorReason::BlockedByClient)).await;
                    }
                    Some(_) = dialogs.next() => {
                        let _ = p.execute(HandleJavaScriptDialogParams::new(false)).await;
                    }
                    else => break,
                }
            }
        });
        Some(HeldTab {
            page,
            browser: Arc::downgrade(&browser),
            target,
            guard,
            budget: None,
            open: true,
            _slot: slot,
        })
    }

    /// Take photos from the démarche's `budget` (none once it is spent).
    pub(crate) fn with_budget(mut self, budget: Arc<AtomicUsize>) -> HeldTab {
        self.budget = Some(budget);
        self
    }

    async fn take(&self, wanted: Vec<PhotoWanted>) -> Vec<Screenshot> {
        let start = Instant::now();
        let mut photos = Vec::new();
        for w in wanted {
            if start.elapsed() > BUDGET {
                break;
            }
            let Some(budget) = &self.budget else { break };
            if budget
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_err()
            {
                break;
            }
            match tokio::time::timeout(Duration::from_secs(3), self.one(&w)).await {
                Ok(Some(photo)) => photos.push(photo),
                // Not found again, no box, or too heavy: the unit goes back.
                _ => {
                    budget.fetch_add(1, Ordering::SeqCst);
                }
            }
        }
        photos
    }

    async fn one(&self, w: &PhotoWanted) -> Option<Screenshot> {
        let selector = serde_json::to_string(&w.selector).ok()?;
        let rect: [f64; 4] = self
            .page
            .evaluate(format!("{LOCATE_JS}({selector})"))
            .await
            .ok()?
            .into_value()
            .ok()?;
        let x = (rect[0] - MARGIN).max(0.0).floor();
        let y = (rect[1] - MARGIN).max(0.0).floor();
        let clip = Clip {
            x,
            y,
            width: (rect[2] + 2.0 * MARGIN).min(MAX_REGION.0).ceil(),
            height: (rect[3] + 2.0 * MARGIN).min(MAX_REGION.1).ceil(),
        };
        let (bytes, width, height) = capture_small(
            &self.page,
            clip,
            f64::from(MAX_PHOTO_WIDTH),
            f64::from(MAX_PHOTO_HEIGHT),
            MAX_PHOTO_BYTES,
        )
        .await?;
        Some(Screenshot {
            rule: w.rule.clone(),
            selector: w.selector.clone(),
            media_type: "image/webp".to_string(),
            width,
            height,
            data: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    async fn close(mut self) {
        self.open = false;
        self.guard.abort();
        if let Some(browser) = self.browser.upgrade() {
            let _ = tokio::time::timeout(
                Duration::from_secs(2),
                browser.execute(CloseTargetParams::new(self.target.clone())),
            )
            .await;
        }
    }
}

impl Photographer for HeldTab {
    fn photograph(self: Box<Self>, wanted: Vec<PhotoWanted>) -> PhotoFuture {
        Box::pin(async move {
            let photos = if wanted.is_empty() {
                Vec::new()
            } else {
                self.take(wanted).await
            };
            (*self).close().await;
            photos
        })
    }
}

impl Drop for HeldTab {
    fn drop(&mut self) {
        self.guard.abort();
        if !self.open {
            return;
        }
        // Dropped without photos (the crawl failed on the page): close it all the same.
        if let (Some(browser), Ok(rt)) = (
            self.browser.upgrade(),
            tokio::runtime::Handle::try_current(),
        ) {
            let target = self.target.clone();
            rt.spawn(async move {
                let _ = tokio::time::timeout(
                    Duration::from_secs(2),
                    browser.execute(CloseTargetParams::new(target)),
                )
                .await;
            });
        }
    }
}
