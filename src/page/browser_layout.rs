//! What the browser measured of a page's layout at other sizes (`render::measure::layout`), as
//! plain data: reflow in a 320 CSS px wide window (RGAA 10.11.1), vertical text in a 256 CSS
//! px high one (10.11.2), text spacing increased (RGAA 10.12) and a phone-sized render (375
//! px, touch). Each part is None when it was not measured
//! (time budget, a script error), never a pass.

use serde::{Deserialize, Serialize};

/// The layout measurements of one rendered page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LayoutFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflow: Option<ReflowFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<SpacingFacts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneFacts>,
    /// Text read vertically in a window 256 CSS px high (RGAA 10.11.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical: Option<VerticalFacts>,
}

/// The page in a window 256 CSS px high, for its text whose reading direction is vertical
/// (`writing-mode: vertical-*` or `sideways-*`): each column of such text must be read without
/// scrolling vertically. Horizontal text is [`ReflowFacts`]' business.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VerticalFacts {
    /// Height of the layout viewport (CSS px).
    pub viewport: f64,
    /// Height of the document's content.
    pub scroll_height: f64,
    /// Text nodes read vertically (0: the test does not apply, nothing else was measured).
    pub texts: u32,
    /// Blocks whose vertical text runs below the window (outside regions that scroll or clip by
    /// themselves, and outside the exceptions).
    #[serde(default)]
    pub text_blocks: Vec<TallBlock>,
    /// Other elements below the window: exceptions, or text placed there by positioning.
    #[serde(default)]
    pub elements: Vec<TallElement>,
    #[serde(default)]
    pub truncated: bool,
}

/// A block of vertical text taller than the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TallBlock {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// Bottom edge of its lowest column (CSS px from the top of the page).
    pub bottom: f64,
    /// Tallest column, in CSS px.
    pub line_height: f64,
    /// Every overflowing column is one unbreakable word.
    #[serde(default)]
    pub single_word: bool,
}

/// An element of vertical text below the window that is an exception or placed there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TallElement {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// As [`WideElement::kind`].
    pub kind: String,
    pub bottom: f64,
    pub height: f64,
}

/// The page in a window 320 CSS px wide.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReflowFacts {
    /// Width of the layout viewport (CSS px).
    pub viewport: f64,
    /// Width of the document's content (`scrollWidth`): wider than the viewport, the page
    /// scrolls horizontally (or clips, under `overflow-x: hidden`).
    pub scroll_width: f64,
    /// The page's text runs vertically (`writing-mode`): RGAA 10.11.2's case, not measured.
    #[serde(default)]
    pub vertical: bool,
    /// Blocks whose text lines reach beyond the viewport (outside regions that scroll or clip
    /// by themselves, and outside the exceptions).
    #[serde(default)]
    pub text_blocks: Vec<WideBlock>,
    /// Other elements beyond the viewport: exceptions (data tables, images, preformatted text,
    /// toolbars…) and boxes without text out there.
    #[serde(default)]
    pub elements: Vec<WideElement>,
    /// The measure stopped at its bound (elements or time) before the end of the page.
    #[serde(default)]
    pub truncated: bool,
}

/// A block of text wider than the window, or placed beyond it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WideBlock {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// Right edge of its furthest line (CSS px from the window's left edge).
    pub right: f64,
    /// Widest line, in CSS px.
    pub line_width: f64,
    /// Every overflowing line is one unbreakable word (a long address, an identifier).
    #[serde(default)]
    pub single_word: bool,
}

/// An element beyond the window that is not (only) text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WideElement {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// `data_table`, `media`, `preformatted`, `toolbar`, `math`, `positioned` (text placed
    /// beyond the window by positioning) or `other`.
    pub kind: String,
    pub right: f64,
    pub width: f64,
}

/// Text spacing increased (line height 1.5, paragraphs 2em, letters 0.12em, words 0.16em).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpacingFacts {
    /// Boxes examined (with text, or clipping text).
    pub checked: u32,
    /// Boxes whose text was cut by their own clipping once spaced.
    #[serde(default)]
    pub clipped: Vec<ClippedText>,
    /// Boxes whose text spilled out over another text once spaced.
    #[serde(default)]
    pub overlaps: Vec<OverlappingText>,
    #[serde(default)]
    pub truncated: bool,
}

/// A box that clips its text once the spacing is increased.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClippedText {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// `x` or `y`.
    pub axis: String,
    /// Text beyond the box, in CSS px, unspaced and spaced.
    pub before: f64,
    pub after: f64,
}

/// A box whose spaced text runs out of it over another text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlappingText {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    /// The text it runs over.
    pub over: String,
    /// Text beyond the box, in CSS px.
    pub after: f64,
}

/// The page on a phone: 375 × 667 CSS px, device pixel ratio 2, mobile viewport rules, touch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhoneFacts {
    /// The phone's width (CSS px).
    pub device_width: f64,
    /// Width the page was laid out at: wider than the phone, the page is a desktop page
    /// shrunk to fit (no `width=device-width` viewport).
    pub layout_width: f64,
    /// Width of the content: wider than the layout, the page scrolls horizontally.
    pub scroll_width: f64,
    /// Interactive elements shown.
    pub targets: u32,
    /// Of those, targets under 24 × 24 CSS px too close to another (WCAG 2.5.8's measure; text
    /// links in a sentence and boxes with a label of their own are not counted).
    pub small_targets: u32,
    /// The first of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub small: Vec<SmallTarget>,
}

/// A tap target under 24 CSS px without the spacing that makes up for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmallTarget {
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<u32>,
    pub selector: String,
    pub width: f64,
    pub height: f64,
}

impl PhoneFacts {
    /// Laid out at the phone's width (its viewport follows the device).
    pub fn fits_device(&self) -> bool {
        self.layout_width <= self.device_width + 1.0
    }
    /// The content is wider than the layout: the page scrolls sideways.
    pub fn scrolls_horizontally(&self) -> bool {
        self.scroll_width > self.layout_width + 1.0
    }
    /// No horizontal scroll, laid out for the phone, tap targets large or spaced enough.
    pub fn usable(&self) -> bool {
        self.fits_device() && !self.scrolls_horizontally() && self.small_targets == 0
    }
    /// The same facts with at most `n` examples and without the browser's marks: what a
    /// report keeps.
    pub fn summary(&self, n: usize) -> PhoneFacts {
        PhoneFacts {
            small: self
                .small
                .iter()
                .take(n)
                .map(|s| SmallTarget {
                    mark: None,
                    ..s.clone()
                })
                .collect(),
            ..self.clone()
        }
    }
    /// One French line: what the phone render showed.
    pub fn describe(&self) -> String {
        let layout = if self.fits_device() {
            format!("mise en page à {} px", px(self.layout_width))
        } else {
            format!(
                "mise en page à {} px (largeur d'ordinateur réduite)",
                px(self.layout_width)
            )
        };
        let scroll = if self.scrolls_horizontally() {
            format!(
                "défilement horizontal (contenu de {} px)",
                px(self.scroll_width)
            )
        } else {
            "pas de défilement horizontal".to_string()
        };
        format!(
            "téléphone {} px : {layout}, {scroll} ; {} cible(s) tactile(s), {} de moins de 24 px sans espacement suffisant",
            px(self.device_width),
            self.targets,
            self.small_targets
        )
    }
}

/// A CSS length in whole pixels, for messages.
pub fn px(v: f64) -> String {
    format!("{}", v.round() as i64)
}
