//! Text spacing (WCAG 1.4.12): the computed `letter-spacing`, `word-spacing` and `line-height`
//! of each element with where their value comes from, and bounds on the width its lines can
//! take (to tell whether a text wraps), as far as a static auditor can know them.

use std::borrow::Cow;
use std::sync::Arc;

use super::media::VIEWPORT_WIDTH;
use super::values::length_px;

/// The computed value of a text-spacing property.
#[derive(Debug, Clone, PartialEq)]
pub enum SpacingValue {
    /// `normal` (0 for letter and word spacing, about 1.2 for line height).
    Normal,
    /// An absolute length in px.
    Px(f64),
    /// `line-height` only: a factor of the font size.
    Factor(f64),
    /// A value we cannot compute (calc(), percentage spacing, unknown unit…): its text.
    Unknown(String),
}

/// One text-spacing property of an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Spacing {
    pub value: SpacingValue,
    /// The declared text (`0.1em`), when some element declares it.
    pub declared: Option<String>,
    /// The element whose `style` attribute declared the value `!important` (this element or,
    /// by inheritance, an ancestor), when it did.
    pub inline_important: Option<ego_tree::NodeId>,
    /// A rule whose selector we cannot evaluate may set another value on this element.
    pub uncertain: bool,
}

impl Spacing {
    fn initial() -> Spacing {
        Spacing {
            value: SpacingValue::Normal,
            declared: None,
            inline_important: None,
            uncertain: false,
        }
    }
}

/// The three text-spacing properties (all inherited).
#[derive(Debug, Clone, PartialEq)]
pub struct TextSpacing {
    pub letter: Spacing,
    pub word: Spacing,
    pub line: Spacing,
}

impl TextSpacing {
    pub(super) fn initial() -> Arc<TextSpacing> {
        Arc::new(TextSpacing {
            letter: Spacing::initial(),
            word: Spacing::initial(),
            line: Spacing::initial(),
        })
    }
}

/// Which property a value is parsed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Property {
    Letter,
    Word,
    Line,
}

/// The winning declaration of one property on one element.
pub(super) struct Declared {
    /// The value with `var()` resolved; `None` for `inherit`, `unset`, `revert` (the parent's).
    pub value: Option<String>,
    /// The declared text, for messages.
    pub raw: String,
    /// Whether it is an `!important` declaration of the element's `style` attribute.
    pub inline_important: bool,
}

fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if !t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-')) {
        return None;
    }
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// The computed value of a declared text (already free of CSS-wide keywords but `initial`).
pub(super) fn parse_value(
    prop: Property,
    text: &str,
    font_size: Option<f64>,
    root_font: Option<f64>,
) -> SpacingValue {
    let t = text.trim().to_ascii_lowercase();
    if t == "normal" || t == "initial" {
        return SpacingValue::Normal;
    }
    if prop == Property::Line {
        if let Some(n) = number(&t) {
            return if n >= 0.0 {
                SpacingValue::Factor(n)
            } else {
                SpacingValue::Unknown(text.trim().to_string())
            };
        }
        if let Some(p) = t.strip_suffix('%').and_then(number) {
            return match font_size {
                Some(fs) if p >= 0.0 => SpacingValue::Px(p / 100.0 * fs),
                _ => SpacingValue::Unknown(text.trim().to_string()),
            };
        }
    }
    match length_px(&t, font_size, root_font) {
        Some(px) if prop != Property::Line || px >= 0.0 => SpacingValue::Px(px),
        _ => SpacingValue::Unknown(text.trim().to_string()),
    }
}

/// One property of an element from its winning declaration and its parent's value.
pub(super) fn compute_one(
    prop: Property,
    parent: &Spacing,
    declared: Option<Declared>,
    uncertain: bool,
    el: ego_tree::NodeId,
    font_size: Option<f64>,
    root_font: Option<f64>,
) -> Spacing {
    let mut s = match declared {
        // Inherited (also for `inherit !important`: the value, and its importance, are the
        // parent's).
        None | Some(Declared { value: None, .. }) => parent.clone(),
        Some(Declared {
            value: Some(v),
            raw,
            inline_important,
        }) => Spacing {
            value: parse_value(prop, &v, font_size, root_font),
            declared: Some(raw.trim().to_string()),
            inline_important: inline_important.then_some(el),
            uncertain: false,
        },
    };
    if uncertain {
        s.uncertain = true;
    }
    s
}

/// The line-height part of a `font` shorthand: `Some("normal")` when it gives none, `None`
/// when the shorthand cannot be read (system fonts).
pub fn font_shorthand_line_height(value: &str) -> Option<String> {
    let v = value.trim();
    if !v.contains(char::is_whitespace) {
        return None;
    }
    // `16px / 1.5` and `16px/1.5` alike.
    let compact = v.replace(" /", "/").replace("/ ", "/");
    for word in compact.split_whitespace() {
        if let Some((size, lh)) = word.split_once('/') {
            if !size.is_empty() && !lh.is_empty() {
                return Some(lh.to_string());
            }
            return None;
        }
    }
    Some("normal".to_string())
}

/// How text wraps in an element (`white-space`, `text-wrap`; inherited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// Wraps at spaces, collapses newlines.
    Normal,
    /// Keeps newlines (`pre-wrap`, `pre-line`, `break-spaces`), still wraps.
    KeepsNewlines,
    /// Never wraps (`nowrap`; `pre` keeps newlines too).
    NoWrap { keeps_newlines: bool },
    /// Something we do not read.
    Unknown,
}

/// Bounds on the width of an element's line boxes, in px.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// The widest its lines can be (infinite when unknown).
    pub max_width: f64,
    /// The width its lines surely have (a block with a fixed width), when known.
    pub min_width: Option<f64>,
    pub wrap: Wrap,
    /// The element lays out inline (its lines are its block ancestor's).
    pub inline: bool,
    /// The element lays out its children as flex or grid items.
    pub sizes_children: bool,
}

impl LineBox {
    pub(super) fn initial() -> LineBox {
        LineBox {
            max_width: VIEWPORT_WIDTH,
            min_width: None,
            wrap: Wrap::Normal,
            inline: false,
            sizes_children: false,
        }
    }
}

/// What the cascade gives to compute an element's line box.
pub(super) struct BoxInput<'a> {
    pub tag: &'a str,
    pub display: Option<&'a str>,
    pub block_by_default: bool,
    pub out_of_flow: bool,
    pub width: Option<Cow<'a, str>>,
    pub max_width: Option<Cow<'a, str>>,
    pub min_width: Option<Cow<'a, str>>,
    pub box_sizing: Option<Cow<'a, str>>,
    pub white_space: Option<Cow<'a, str>>,
    pub text_wrap: Option<Cow<'a, str>>,
    pub font_size: Option<f64>,
    pub root_font: Option<f64>,
}

#[derive(PartialEq)]
enum Kind {
    Inline,
    Block,
    Table,
    Other,
}

fn kind_of(display: Option<&str>, tag: &str, block_by_default: bool) -> Kind {
    match display.map(|d| d.trim().to_ascii_lowercase()) {
        Some(d) => {
            let first = d.split_whitespace().next().unwrap_or("").to_string();
            match first.as_str() {
                "inline" | "contents" | "initial" | "ruby" if !d.contains("flow-root") => {
                    Kind::Inline
                }
                "inline-table" => Kind::Table,
                f if f.starts_with("inline-") || f == "inline" => Kind::Block,
                "block" | "flow-root" | "list-item" | "flex" | "grid" | "flow" => Kind::Block,
                f if f.starts_with("table") => Kind::Table,
                _ => Kind::Other,
            }
        }
        None => {
            if matches!(
                tag,
                "table" | "tr" | "td" | "th" | "thead" | "tbody" | "tfoot" | "caption"
            ) {
                Kind::Table
            } else if block_by_default {
                Kind::Block
            } else if matches!(
                tag,
                "img"
                    | "input"
                    | "button"
                    | "select"
                    | "textarea"
                    | "video"
                    | "iframe"
                    | "object"
                    | "embed"
                    | "canvas"
                    | "svg"
            ) {
                Kind::Other
            } else {
                Kind::Inline
            }
        }
    }
}

/// A width value in px: a length, or a percentage of `base` (when finite).
fn width_px(text: &str, base: f64, fs: Option<f64>, rfs: Option<f64>) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    if let Some(p) = t.strip_suffix('%').and_then(number) {
        return base.is_finite().then_some(base * p / 100.0);
    }
    length_px(&t, fs, rfs)
}

pub(super) fn line_box(parent: &LineBox, input: &BoxInput<'_>) -> LineBox {
    let lower = |v: &Option<Cow<'_, str>>| v.as_deref().map(|s| s.trim().to_ascii_lowercase());
    let wrap = {
        let mut w = match lower(&input.white_space).as_deref() {
            None => parent.wrap,
            Some("normal") | Some("initial") => Wrap::Normal,
            Some("nowrap") => Wrap::NoWrap {
                keeps_newlines: false,
            },
            Some("pre") => Wrap::NoWrap {
                keeps_newlines: true,
            },
            Some("pre-wrap") | Some("pre-line") | Some("break-spaces") => Wrap::KeepsNewlines,
            Some(_) => Wrap::Unknown,
        };
        if input.text_wrap.is_some() {
            w = Wrap::Unknown;
        }
        w
    };
    let kind = kind_of(input.display, input.tag, input.block_by_default);
    let display = lower(&input.display.map(Cow::Borrowed));
    let sizes_children = display
        .as_deref()
        .is_some_and(|d| d.contains("flex") || d.contains("grid"));
    if kind == Kind::Inline {
        return LineBox {
            max_width: parent.max_width,
            min_width: None,
            wrap,
            inline: true,
            sizes_children,
        };
    }
    let (fs, rfs) = (input.font_size, input.root_font);
    // Flex and grid items, out-of-flow boxes and unknown displays may be wider than the parent.
    let base = if input.out_of_flow || parent.sizes_children || kind == Kind::Other {
        f64::INFINITY
    } else {
        parent.max_width
    };
    let mut max = base;
    let mut exact: Option<f64> = None;
    if kind == Kind::Block {
        match lower(&input.width).as_deref() {
            None | Some("auto") | Some("initial") => {}
            Some(w) => match width_px(w, base, fs, rfs) {
                Some(px) => {
                    max = px;
                    let fixed = !parent.sizes_children
                        && !w.ends_with('%')
                        && lower(&input.box_sizing).as_deref() != Some("border-box");
                    if fixed {
                        exact = Some(px);
                    }
                }
                None => max = f64::INFINITY,
            },
        }
        match lower(&input.max_width).as_deref() {
            None | Some("none") | Some("initial") => {}
            Some(m) => match width_px(m, base, fs, rfs) {
                Some(px) => {
                    max = max.min(px);
                    exact = exact.map(|e| e.min(px));
                }
                None => exact = None,
            },
        }
    }
    match lower(&input.min_width).as_deref() {
        None | Some("auto") | Some("initial") | Some("0") => {}
        Some(m) => match width_px(m, base, fs, rfs) {
            Some(px) => {
                max = max.max(px);
                exact = exact.map(|e| e.max(px));
            }
            None => max = f64::INFINITY,
        },
    }
    LineBox {
        max_width: max,
        min_width: exact,
        wrap,
        inline: false,
        sizes_children,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_compute_like_browsers() {
        let l = |p, t| parse_value(p, t, Some(20.0), Some(16.0));
        assert_eq!(l(Property::Letter, "0.5em"), SpacingValue::Px(10.0));
        assert_eq!(l(Property::Letter, "normal"), SpacingValue::Normal);
        assert_eq!(l(Property::Word, "initial"), SpacingValue::Normal);
        assert_eq!(l(Property::Word, "0"), SpacingValue::Px(0.0));
        assert_eq!(l(Property::Line, "1.5"), SpacingValue::Factor(1.5));
        assert_eq!(l(Property::Line, "150%"), SpacingValue::Px(30.0));
        assert_eq!(l(Property::Line, "2rem"), SpacingValue::Px(32.0));
        assert!(matches!(
            l(Property::Letter, "10%"),
            SpacingValue::Unknown(_)
        ));
        assert!(matches!(
            l(Property::Line, "calc(1em + 2px)"),
            SpacingValue::Unknown(_)
        ));
        assert!(matches!(l(Property::Line, "inf"), SpacingValue::Unknown(_)));
        assert!(matches!(l(Property::Line, "-1"), SpacingValue::Unknown(_)));
    }

    #[test]
    fn font_shorthand_gives_line_height() {
        assert_eq!(
            font_shorthand_line_height("12px/1.2 Arial").as_deref(),
            Some("1.2")
        );
        assert_eq!(
            font_shorthand_line_height("bold 12px / 30px serif").as_deref(),
            Some("30px")
        );
        assert_eq!(
            font_shorthand_line_height("12px serif").as_deref(),
            Some("normal")
        );
        assert_eq!(font_shorthand_line_height("caption"), None);
    }
}
