//! Measurements only a browser can make, on the tab a page was rendered in, after the network
//! went idle: the scrollable regions, then a keyboard walk (Tab from load, each focused element
//! compared on screen focused and unfocused, cycles tried with Shift+Tab and Escape). The
//! result is plain data ([`BrowserFacts`], in the page model) that rules read; the DOM handed to
//! the analysis is serialised after the elements are marked and before the walk moves focus.

pub(crate) mod layout;
pub(crate) mod media;

use std::collections::HashSet;
use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::input::{DispatchKeyEventParams, DispatchKeyEventType};
use serde::Deserialize;

use crate::page::browser::{BrowserFacts, FocusStop, FocusTrap, ScrollRegion};

mod pixels;
pub(crate) mod shots;

use shots::{capture_png, Clip, View};

/// The helpers installed in the tab (`window.__vigie`).
const WALK_JS: &str = include_str!("walk.js");

/// Tab presses at most, whatever the page holds: twice the tabbable elements plus ten, so a
/// page is walked once through and a cycle seen twice, within a page's time budget.
const MAX_PRESSES: usize = 200;
/// Time kept, at the end of the walk, for Tab presses without screenshots: past it, elements
/// are reached but no longer compared on screen, so the walk still sees where focus goes.
const PRESSES_RESERVE: Duration = Duration::from_secs(4);
/// Pixels around an element that count as its surroundings (an indicator drawn beside it).
const MARGIN: f64 = 12.0;
/// Clip side at most, in CSS pixels (a focused region taller than the screen).
const MAX_CLIP: f64 = 1200.0;
/// Time kept for the pixels and the walk: the media and layout measures give way to it. The
/// walk itself runs until the page's deadline (the phone is rendered meanwhile).
const WALK_RESERVE: Duration = Duration::from_secs(12);

#[derive(Debug, Deserialize)]
struct Init {
    tabbable: Vec<u32>,
    scrollables: Vec<ScrollRegion>,
    scripts_failed: bool,
    #[serde(default)]
    modal: Option<u32>,
}

/// A box and where the window stood when it was read.
#[derive(Debug, Deserialize)]
struct Placed {
    rect: [f64; 4],
    view: View,
}

#[derive(Debug, Deserialize)]
struct Active {
    outside: bool,
    #[serde(default, rename = "ref")]
    mark: Option<u32>,
    /// Identity across presses (an element inside a frame is told apart from the frame).
    #[serde(default)]
    key: String,
    #[serde(default)]
    selector: String,
    #[serde(default)]
    rect: Option<[f64; 4]>,
    /// Where the window stood when `rect` was read (the element brought into it).
    #[serde(default)]
    view: Option<View>,
    #[serde(default)]
    frame: bool,
    #[serde(default)]
    focus_handler: bool,
}

impl Active {
    /// Identity of the focused element across presses.
    fn key(&self) -> String {
        self.key.clone()
    }
}

async fn eval<T: serde::de::DeserializeOwned>(page: &chromiumoxide::Page, js: &str) -> Option<T> {
    page.evaluate(js).await.ok()?.into_value().ok()
}

/// Press a key (Shift with `shift`) the way a user does: focus moves as for a user.
async fn press(page: &chromiumoxide::Page, key: &str, code: i64, shift: bool) -> bool {
    let build = |kind| {
        DispatchKeyEventParams::builder()
            .r#type(kind)
            .key(key)
            .code(key)
            .windows_virtual_key_code(code)
            .native_virtual_key_code(code)
            .modifiers(if shift { 8 } else { 0 })
            .build()
    };
    for kind in [
        DispatchKeyEventType::RawKeyDown,
        DispatchKeyEventType::KeyUp,
    ] {
        let Ok(cmd) = build(kind) else { return false };
        if page.execute(cmd).await.is_err() {
            return false;
        }
    }
    true
}

async fn tab(page: &chromiumoxide::Page, shift: bool) -> Option<Active> {
    if !press(page, "Tab", 9, shift).await {
        return None;
    }
    eval(page, &format!("window.__vigie.active({MARGIN})")).await
}

/// The pixels of `rect` (document coordinates) widened by the margin, PNG-encoded: the same
/// pixels give the same bytes, so comparing the encodings compares the pixels.
async fn shot(page: &chromiumoxide::Page, rect: [f64; 4], view: Option<View>) -> Option<Vec<u8>> {
    let x = (rect[0] - MARGIN).max(0.0);
    let y = (rect[1] - MARGIN).max(0.0);
    let clip = Clip {
        x,
        y,
        width: (rect[2] + 2.0 * MARGIN).min(MAX_CLIP),
        height: (rect[3] + 2.0 * MARGIN).min(MAX_CLIP),
    };
    capture_png(page, clip, view).await
}

/// Whether the element and its surroundings look different focused and unfocused. Around the
/// element first; when nothing changes there, around its nearest ancestors too: an indicator
/// drawn around an enclosing block (the DSFR's `fr-enlarge-link`: the link's `::before` covers
/// the block and carries the outline) is an indicator.
async fn visible_change(page: &chromiumoxide::Page, active: &Active) -> Option<bool> {
    let rect = active.rect?;
    if rect[2] <= 0.0 || rect[3] <= 0.0 || active.frame {
        return None;
    }
    match area_change(page, rect, active.view).await {
        Some(false) => {
            let wide: Option<Placed> = eval(page, &format!("window.__vigie.wide({MARGIN})")).await;
            match wide {
                Some(w) if w.rect != rect => area_change(page, w.rect, Some(w.view)).await,
                _ => Some(false),
            }
        }
        other => other,
    }
}

/// Whether the pixels of `rect` (and its margin) differ focused and unfocused: focused now,
/// then blurred; when they differ, blurred once more, to see whether the area changes by
/// itself; then focused again.
async fn area_change(
    page: &chromiumoxide::Page,
    rect: [f64; 4],
    view: Option<View>,
) -> Option<bool> {
    let focused = shot(page, rect, view).await?;
    let _: Option<bool> = eval(page, "window.__vigie.blur()").await;
    let unfocused = shot(page, rect, view).await;
    let again = match &unfocused {
        Some(u) if *u != focused => shot(page, rect, view).await,
        _ => None,
    };
    let _: Option<bool> = eval(page, "window.__vigie.refocus()").await;
    let unfocused = unfocused?;
    if unfocused == focused {
        return Some(false);
    }
    // An area that moves by itself (animation, video) gives no verdict from pixels.
    (again? == unfocused).then_some(true)
}

/// Install the helpers and mark the elements the facts speak of: call before serialising the
/// DOM. None when the page refuses scripts from DevTools (then there are no facts).
pub(crate) async fn prepare(page: &chromiumoxide::Page) -> Option<Prepared> {
    let _: bool = eval(page, WALK_JS).await?;
    let init: Init = eval(page, "window.__vigie.init()").await?;
    // After the walk's marks, which its own numbering does not look beyond.
    let pixels = pixels::prepare(page).await;
    Some(Prepared { init, pixels })
}

/// The page's marked state, between [`prepare`] and [`walk`].
pub(crate) struct Prepared {
    init: Init,
    pixels: Option<pixels::Init>,
}

/// Walk the page with the keyboard (after the DOM was serialised) and return the facts.
pub(crate) async fn walk(
    page: &chromiumoxide::Page,
    prepared: Prepared,
    deadline: tokio::time::Instant,
) -> BrowserFacts {
    let init = prepared.init;
    let mut facts = BrowserFacts {
        tabbable: init.tabbable,
        scrollables: init.scrollables,
        scripts_failed: init.scripts_failed,
        modal: init.modal,
        ..BrowserFacts::default()
    };
    // Pixels first, as loaded: the walk leaves focus styles behind.
    let t = std::time::Instant::now();
    if let Some(p) = prepared.pixels {
        facts.pixels = tokio::time::timeout_at(deadline, pixels::measure(page, p))
            .await
            .ok();
    }
    let pixels_ms = t.elapsed().as_millis() as u64;
    // Not walked to its end until the walk says so (no time left: not walked at all).
    facts.truncated = true;
    let t = std::time::Instant::now();
    let _ = tokio::time::timeout_at(deadline, walk_into(page, &mut facts, deadline)).await;
    tracing::debug!(
        pixels_ms,
        texts = facts.pixels.as_ref().map_or(0, |p| p.texts.len()),
        walk_ms = t.elapsed().as_millis() as u64,
        walked = facts.stops.len(),
        "mesures au navigateur"
    );
    facts
}

async fn walk_into(
    page: &chromiumoxide::Page,
    facts: &mut BrowserFacts,
    deadline: tokio::time::Instant,
) {
    let _: Option<bool> = eval(page, "window.__vigie.quiet()").await;
    let bound = (2 * facts.tabbable.len() + 10).min(MAX_PRESSES);
    let mut seen: Vec<String> = Vec::new();
    facts.truncated = true;
    for _ in 0..bound {
        let Some(active) = tab(page, false).await else {
            return;
        };
        if active.outside {
            if !facts.stops.is_empty() {
                facts.left_document = true;
                facts.truncated = false;
                return;
            }
            continue;
        }
        let key = active.key();
        // Tab inside a frame of another origin: focus moves where the walk cannot see, the
        // frame stays focused. Not a cycle; the bound ends the walk if it never leaves.
        if active.frame && seen.last() == Some(&key) {
            continue;
        }
        if let Some(first) = seen.iter().position(|k| *k == key) {
            // Back to an element already focused without leaving the page: a cycle.
            facts.truncated = false;
            let cycle: Vec<FocusStop> = facts.stops[first..].to_vec();
            let keys: HashSet<String> = seen[first..].iter().cloned().collect();
            let marks: HashSet<u32> = cycle.iter().filter_map(|s| s.mark).collect();
            let all_inside = facts.tabbable.iter().all(|m| marks.contains(m));
            if !all_inside && !escapes(page, &keys).await {
                facts.trap = Some(FocusTrap {
                    marks: cycle.iter().filter_map(|s| s.mark).collect(),
                    selectors: cycle.iter().map(|s| s.selector.clone()).collect(),
                });
            }
            return;
        }
        let compare_until = deadline.checked_sub(PRESSES_RESERVE);
        let change = if compare_until.is_some_and(|t| tokio::time::Instant::now() < t) {
            visible_change(page, &active).await
        } else {
            None
        };
        seen.push(key);
        let rect = active
            .rect
            .filter(|r| !active.frame && r[2] > 0.0 && r[3] > 0.0);
        facts.stops.push(FocusStop {
            rect,
            mark: active.mark,
            selector: active.selector,
            visible_change: change,
            focus_handler: active.focus_handler,
        });
    }
}

/// Whether focus can leave the cycle `keys`: Shift+Tab around it, then Escape and Tab.
async fn escapes(page: &chromiumoxide::Page, keys: &HashSet<String>) -> bool {
    let out = |a: &Active| a.outside || !keys.contains(&a.key());
    for _ in 0..keys.len() + 2 {
        match tab(page, true).await {
            Some(a) if out(&a) => return true,
            Some(_) => {}
            None => return true,
        }
    }
    if !press(page, "Escape", 27, false).await {
        return true;
    }
    for _ in 0..keys.len() + 2 {
        match tab(page, false).await {
            Some(a) if out(&a) => return true,
            Some(_) => {}
            None => return true,
        }
    }
    false
}
