//! Media after load (`media.js`): every `audio` and `video` as the page left it — playing or
//! not, muted, duration, played range, audio tracks — and, for those playing sound longer than
//! 3 s, the loudest sample of what plays. Run on the tab a page was rendered in, once the
//! network went idle and before the layout measures; every media element is paused afterwards,
//! so the screenshots that follow (pixels, focus) see still pictures as they did before the
//! browser let media play without a gesture.
//!
//! Whether a track is silent is read from the samples: Chromium 156 gives no `audioTracks`
//! without a flag, and a silent track still decodes (`captureStream()` gives it an audio track,
//! `webkitAudioDecodedByteCount` grows), so only the decoded samples tell silence from sound.

use std::time::Duration;

use super::eval;
use crate::page::browser::MediaFacts;

const MEDIA_JS: &str = include_str!("media.js");

/// The media measure, at most (fetching and decoding the files included).
pub(crate) const MEDIA_BUDGET: Duration = Duration::from_secs(4);

/// Time the media measure may take on a page whose load took `elapsed`: what the walk and the
/// DOM leave of the page's limit, at most [`MEDIA_BUDGET`]; zero still reads the media's
/// state (a few milliseconds), only the decoding of files needs time.
pub(crate) fn budget(elapsed: Duration, page_limit: Duration) -> Duration {
    page_limit
        .saturating_sub(elapsed)
        .saturating_sub(super::WALK_RESERVE + super::layout::RESERVE)
        .min(MEDIA_BUDGET)
}

/// Measure the page's media within `budget`, then pause them. None when the scripts could
/// not run.
pub(crate) async fn measure(
    page: &chromiumoxide::Page,
    budget: Duration,
) -> Option<Vec<MediaFacts>> {
    let _: bool = eval(page, super::WALK_JS).await?;
    let _: bool = eval(page, MEDIA_JS).await?;
    let ms = budget.as_millis();
    // The script bounds itself; the timeout is for a page that holds its main thread.
    let facts = tokio::time::timeout(
        budget + Duration::from_millis(500),
        eval::<Vec<MediaFacts>>(page, &format!("window.__vigieMedia.measure({ms})")),
    )
    .await
    .ok()
    .flatten();
    tracing::debug!(?budget, ?facts, "médias mesurés");
    let _ = tokio::time::timeout(
        Duration::from_secs(1),
        eval::<bool>(page, "window.__vigieMedia.pause()"),
    )
    .await;
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_media_measure_takes_what_the_walk_leaves_and_at_least_reads_the_state() {
        let page = Duration::from_secs(30);
        assert_eq!(budget(Duration::from_secs(1), page), MEDIA_BUDGET);
        // 30 − 12 (walk) − 3 (DOM, tab) − 14 = 1 s left.
        assert_eq!(
            budget(Duration::from_secs(14), page),
            Duration::from_secs(1)
        );
        assert_eq!(budget(Duration::from_secs(40), page), Duration::ZERO);
    }
}
