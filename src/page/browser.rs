//! What only a browser can measure on a page (keyboard walk, scrollable regions), as plain data
//! the rules read. The browser (`crate::render`) fills it; the page model only holds it, so the
//! rules need no browser and a static page simply has none.
//!
//! Elements are named by a mark the browser writes before it serialises the DOM
//! (`data-vigie-ref="N"`, see [`REF_ATTR`]): the re-parsed DOM carries the same marks, so a
//! fact finds its element again whatever the serialisation changed around it (an index in
//! document order would not survive `<noscript>` or table fix-ups). Snippets leave the mark out.

use serde::{Deserialize, Serialize};

/// The attribute the browser writes on the elements its facts speak of.
pub const REF_ATTR: &str = "data-vigie-ref";

/// Browser measurements of one rendered page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BrowserFacts {
    /// Elements in sequential focus navigation when the page was loaded, in document order.
    pub tabbable: Vec<u32>,
    /// Each Tab press that landed on an element, in order.
    pub stops: Vec<FocusStop>,
    /// Tab took focus out of the page (to the browser) after the last element: the walk ended
    /// normally.
    pub left_document: bool,
    /// Focus cycled inside a set of elements that Tab, Shift+Tab and Escape could not leave.
    pub trap: Option<FocusTrap>,
    /// The walk stopped at its bound before focus left the page or cycled.
    pub truncated: bool,
    /// Scrollable regions with content (ACT 0ssw9k's applicability).
    pub scrollables: Vec<ScrollRegion>,
    /// A script of the page answered an error: what scripts do on focus may be missing.
    pub scripts_failed: bool,
    /// The modal dialog open when the DOM was read (`dialog:modal`): everything outside it is
    /// inert, which the serialised markup does not say (`open` is the same for a non-modal one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modal: Option<u32>,
    /// Contrast read on the pixels (None: not measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pixels: Option<PixelFacts>,
    /// Reflow at 320 px, text spacing and the phone render (`page::browser_layout`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<super::browser_layout::LayoutFacts>,
    /// Every `audio` and `video` as the page left them after load (None: not measured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Vec<MediaFacts>>,
}

impl BrowserFacts {
    /// The media facts of the element marked `mark`.
    pub fn media_of(&self, mark: u32) -> Option<&MediaFacts> {
        self.media.as_ref()?.iter().find(|m| m.mark == mark)
    }
}

/// Below this loudest sample (−60 dBFS), a track counts as silent.
pub const SILENCE: f64 = 0.001;

/// One `audio` or `video` element after load, autoplay allowed without a gesture
/// (`render::measure::media`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MediaFacts {
    #[serde(rename = "ref")]
    pub mark: u32,
    pub selector: String,
    pub autoplay: bool,
    pub paused: bool,
    pub ended: bool,
    pub muted: bool,
    pub volume: f64,
    #[serde(rename = "loop")]
    pub looping: bool,
    /// Seconds; None when unknown (no metadata) or endless.
    pub duration: Option<f64>,
    /// A live stream: it never ends.
    #[serde(default)]
    pub endless: bool,
    pub current_time: f64,
    /// Seconds played since load.
    pub played: f64,
    /// A media fragment `#t=start,end` of its source bounds what plays (0 and None without).
    pub start: f64,
    pub end: Option<f64>,
    /// `HTMLMediaElement.readyState`: 0, nothing known yet (not loaded, refused, or failed).
    pub ready_state: u8,
    /// `MediaError.code` when loading failed.
    pub error: Option<u16>,
    /// Audio tracks the browser found (`captureStream()`), None when it could not tell.
    pub audio_tracks: Option<u32>,
    pub decoded_audio_bytes: Option<f64>,
    /// The loudest sample (0 to 1) of what plays, from the file decoded; None when not
    /// decoded (`peak_error` says why, or it did not need to be).
    pub peak: Option<f64>,
    pub peak_error: Option<String>,
}

impl MediaFacts {
    /// It played (or plays) by itself after load.
    pub fn started(&self) -> bool {
        !self.paused || self.played > 0.0
    }
    /// Its sound cannot be heard: muted, volume 0, no audio track, or a silent track.
    pub fn silent(&self) -> bool {
        self.muted
            || self.volume <= 0.0
            || self.audio_tracks == Some(0)
            || self.peak.is_some_and(|p| p < SILENCE)
    }
    /// How long it plays, in seconds: the fragment or the whole file, without end when it
    /// loops or is live; None when unknown.
    pub fn plays_for(&self) -> Option<f64> {
        if self.looping || self.endless {
            return Some(f64::INFINITY);
        }
        let stop = match (self.end, self.duration) {
            (Some(e), Some(d)) => e.min(d),
            (e, d) => e.or(d)?,
        };
        Some((stop - self.start).max(0.0))
    }
}

/// One element focused by Tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusStop {
    /// Its mark (None when focus is in a frame or on an element the walk could not mark).
    #[serde(rename = "ref")]
    pub mark: Option<u32>,
    /// A CSS path computed by the browser, for elements the re-parsed DOM may not hold.
    pub selector: String,
    /// Whether the pixels around the element differ focused and unfocused (None: not compared,
    /// e.g. an element without a box, or past the bound of compared elements).
    pub visible_change: Option<bool>,
    /// The element or an ancestor has an inline focus or blur handler.
    pub focus_handler: bool,
    /// Its box when focused, in document coordinates (x, y, width, height); None inside a
    /// frame (the frame's own coordinates) or without a box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rect: Option<[f64; 4]>,
}

/// Elements focus cycled through without escape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FocusTrap {
    #[serde(rename = "refs")]
    pub marks: Vec<u32>,
    pub selectors: Vec<String>,
}

/// A region that scrolls and has visible content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScrollRegion {
    #[serde(rename = "ref")]
    pub mark: u32,
    pub selector: String,
    /// The region itself is in sequential focus navigation (by its markup: `tabindex` ≥ 0 or a
    /// focusable element; Chromium's own focusable scrollers do not count, other browsers differ).
    pub focusable: bool,
    /// It contains an element in sequential focus navigation.
    pub focusable_inside: bool,
}

/// Texts whose contrast was read on the rendered pixels (`render::measure::pixels`): the texts
/// the static cascade may leave undecided (background image or gradient, text shadow, filter,
/// positioned box, shadow tree), photographed with the text shown and hidden.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PixelFacts {
    pub texts: Vec<TextPixels>,
    /// Texts found in open shadow trees (each is among `texts` when `complete`).
    pub shadow_texts: u32,
    /// Every candidate text was measured (none left out by the count or time bound).
    pub complete: bool,
}

/// One text's pixels: its colour, the background colours right around its glyphs, and the
/// contrast between them (lowest and highest, ignoring the extreme 5 % of each end).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TextPixels {
    /// The element holding the text, or the shadow host when `shadow`.
    #[serde(rename = "ref")]
    pub mark: u32,
    /// The text is in a shadow tree of the marked host.
    pub shadow: bool,
    /// Why it was measured: `background-image`, `text-shadow`, `filter`, `positioned`, `shadow`.
    pub why: String,
    /// The start of the text (for shadow-tree texts, which the DOM read does not hold).
    pub text: String,
    /// Computed by the browser, in CSS px and as a numeric weight.
    pub font_size: Option<f64>,
    pub font_weight: Option<u16>,
    /// The text colour as painted (`#rrggbb`), None when not measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreground: Option<String>,
    /// Background around the glyphs giving the lowest and the highest contrast.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_low: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_high: Option<String>,
    #[serde(default)]
    pub ratio_low: f64,
    #[serde(default)]
    pub ratio_high: f64,
    /// Pixels that changed when the text was hidden.
    #[serde(default)]
    pub glyph_pixels: u32,
    /// Why the pixels do not tell (animated area, clipped text, anti-aliasing only…), in French.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreliable: Option<String>,
}
