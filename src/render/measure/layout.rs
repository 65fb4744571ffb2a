//! Layout measured at other sizes, on the tab a page was rendered in, after the network went
//! idle and before the elements are marked for the walk and the DOM is read: text spacing
//! increased at the default size, then the page in a window 320 CSS px wide (reflow), then,
//! when it has text read vertically, 256 CSS px high (RGAA 10.11.2). The stylesheet is removed
//! and the default size restored afterwards, so the DOM read and the keyboard walk see the page
//! as loaded. The phone render is not a resize: a site may serve phones another page (by
//! User-Agent), so it loads the page again in a tab of its own, emulating a phone from the
//! start ([`emulate_phone`], [`phone`]; `render::browser`). Each part is bounded in time;
//! what was not measured stays None (« non mesuré »), never a pass.

use std::time::Duration;

use chromiumoxide::cdp::browser_protocol::emulation::{
    ScreenOrientation, ScreenOrientationType, SetDeviceMetricsOverrideParams,
};
use serde::Deserialize;

use super::eval;
use crate::page::browser_layout::{LayoutFacts, PhoneFacts, VerticalFacts};

/// The helpers (`window.__vigieLayout`), installed after `walk.js` (its marks and paths).
const LAYOUT_JS: &str = include_str!("layout.js");

/// The narrow window of RGAA 10.11 / WCAG 1.4.10, in CSS px.
pub const REFLOW_WIDTH: i64 = 320;
/// The low window of RGAA 10.11.2 / WCAG 1.4.10 for text read vertically, in CSS px.
pub const REFLOW_HEIGHT: i64 = 256;
/// The phone: a common small smartphone, in CSS px, at device pixel ratio 2.
pub const PHONE: (i64, i64, f64) = (375, 667, 2.0);
/// Time the page's resize handlers get after a size change (debounced handlers wait ~100 ms).
const SETTLE_MS: u32 = 150;
/// All the layout measurements of a page, at most.
const LAYOUT_BUDGET: Duration = Duration::from_secs(5);
/// Below this, the layout is not measured at all.
const MIN_BUDGET: Duration = Duration::from_millis(1500);
/// Kept for reading the DOM and closing the tab after the walk.
pub(crate) const RESERVE: Duration = Duration::from_secs(3);

#[derive(Debug, Deserialize)]
struct Screen {
    width: f64,
    height: f64,
    ratio: f64,
}

/// Time the layout may take on a page whose load took `elapsed`, so that it, the walk
/// (at least `WALK_RESERVE`) and the DOM still fit in the page's limit; None when too little is left.
pub(crate) fn budget(elapsed: Duration, page_limit: Duration) -> Option<Duration> {
    let left = page_limit
        .checked_sub(elapsed)?
        .checked_sub(super::WALK_RESERVE + RESERVE)?;
    let b = left.min(LAYOUT_BUDGET);
    (b >= MIN_BUDGET).then_some(b)
}

async fn set_size(
    page: &chromiumoxide::Page,
    width: i64,
    height: i64,
    ratio: f64,
    mobile: bool,
) -> bool {
    let mut params = SetDeviceMetricsOverrideParams::new(width, height, ratio, mobile);
    params.screen_orientation = Some(ScreenOrientation::new(
        ScreenOrientationType::PortraitPrimary,
        0,
    ));
    page.execute(params).await.is_ok()
}

async fn settle(page: &chromiumoxide::Page) {
    let _: Option<bool> = eval(page, &format!("window.__vigieLayout.settle({SETTLE_MS})")).await;
}

/// Put the tab in the phone's shoes before it loads the page: 375 × 667 CSS px, ratio 2,
/// mobile viewport rules.
pub(crate) async fn emulate_phone(page: &chromiumoxide::Page) -> bool {
    let (w, h, ratio) = PHONE;
    set_size(page, w, h, ratio, true).await
}

/// The phone render's facts, on a tab that loaded the page as a phone ([`emulate_phone`], a
/// mobile User-Agent). Its marks name elements of that tab, not of the page analysed: dropped.
pub(crate) async fn phone(page: &chromiumoxide::Page) -> Option<PhoneFacts> {
    let _: bool = eval(page, super::WALK_JS).await?;
    let _: bool = eval(page, LAYOUT_JS).await?;
    let (w, _, _) = PHONE;
    let mut facts: PhoneFacts = eval(page, &format!("window.__vigieLayout.phone({w})")).await?;
    for s in &mut facts.small {
        s.mark = None;
    }
    Some(facts)
}

/// Measure text spacing and reflow (and vertical text) within `budget`, then put the page back
/// (stylesheet out, size restored). None when the helpers could not run.
pub(crate) async fn measure(
    page: &chromiumoxide::Page,
    budget: Option<Duration>,
) -> Option<LayoutFacts> {
    let budget = budget?;
    let _: bool = eval(page, super::WALK_JS).await?;
    let _: bool = eval(page, LAYOUT_JS).await?;
    let screen: Screen = eval(page, "window.__vigieLayout.screen()").await?;
    let mut facts = LayoutFacts::default();
    let _ = tokio::time::timeout(budget, async {
        facts.spacing = eval(page, "window.__vigieLayout.spacing()").await;
        if set_size(page, REFLOW_WIDTH, screen.height as i64, 1.0, false).await {
            settle(page).await;
            facts.reflow = eval(page, "window.__vigieLayout.reflow()").await;
        }
        // Only a page with text read vertically is measured 256 px high.
        let texts: Option<u32> = eval(page, "window.__vigieLayout.verticalTexts()").await;
        if texts == Some(0) {
            facts.vertical = Some(VerticalFacts::default());
        } else if texts.is_some()
            && set_size(page, screen.width as i64, REFLOW_HEIGHT, 1.0, false).await
        {
            settle(page).await;
            facts.vertical = eval(page, "window.__vigieLayout.vertical()").await;
        }
    })
    .await;
    // Whatever happened above: the page as it was for the DOM read and the walk.
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        let _: Option<bool> = eval(page, "window.__vigieLayout.cleanup()").await;
        set_size(
            page,
            screen.width as i64,
            screen.height as i64,
            screen.ratio,
            false,
        )
        .await;
        settle(page).await;
    })
    .await;
    Some(facts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_gives_way_to_the_walk_within_the_page_limit() {
        let page = Duration::from_secs(30);
        assert_eq!(budget(Duration::from_secs(1), page), Some(LAYOUT_BUDGET));
        // 30 − 12 (walk) − 3 (DOM, tab) − 13 = 2 s left.
        assert_eq!(
            budget(Duration::from_secs(13), page),
            Some(Duration::from_secs(2))
        );
        assert_eq!(budget(Duration::from_secs(14), page), None);
        assert_eq!(budget(Duration::from_secs(40), page), None);
    }
}
