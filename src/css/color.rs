//! CSS colours: parsing every common syntax, alpha compositing and WCAG contrast maths.

use cssparser::{Parser, Token};

/// An sRGB colour with straight (non-premultiplied) alpha; channels 0–255, alpha 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    pub r: f64,
    pub g: f64,
    pub b: f64,
    pub a: f64,
}

/// What a colour value resolves to.
#[derive(Debug, Clone, PartialEq)]
pub enum ColorValue {
    Rgba(Rgba),
    /// `currentColor`: the element's `color`.
    Current,
}

impl Rgba {
    pub const WHITE: Rgba = Rgba::rgb(255.0, 255.0, 255.0);
    pub const BLACK: Rgba = Rgba::rgb(0.0, 0.0, 0.0);
    pub const TRANSPARENT: Rgba = Rgba {
        r: 0.0,
        g: 0.0,
        b: 0.0,
        a: 0.0,
    };

    pub const fn rgb(r: f64, g: f64, b: f64) -> Rgba {
        Rgba { r, g, b, a: 1.0 }
    }

    pub fn is_opaque(&self) -> bool {
        self.a >= 0.999
    }

    /// Source-over compositing of `self` on an opaque `below`.
    pub fn over(&self, below: Rgba) -> Rgba {
        let a = self.a.clamp(0.0, 1.0);
        Rgba::rgb(
            self.r * a + below.r * (1.0 - a),
            self.g * a + below.g * (1.0 - a),
            self.b * a + below.b * (1.0 - a),
        )
    }

    /// Linear interpolation `from + t·(self − from)` (group opacity over a backdrop).
    pub fn fade_over(&self, backdrop: Rgba, t: f64) -> Rgba {
        let t = t.clamp(0.0, 1.0);
        Rgba::rgb(
            backdrop.r + t * (self.r - backdrop.r),
            backdrop.g + t * (self.g - backdrop.g),
            backdrop.b + t * (self.b - backdrop.b),
        )
    }

    /// WCAG 2.1 relative luminance (of the opaque colour).
    pub fn luminance(&self) -> f64 {
        fn lin_of(c: f64) -> f64 {
            let c = (c / 255.0).clamp(0.0, 1.0);
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        // Whole channels (most colours) read the same values from a table: a `powf` per
        // channel was most of a contrast ratio's cost, computed for every text twice.
        static WHOLE: std::sync::LazyLock<[f64; 256]> =
            std::sync::LazyLock::new(|| std::array::from_fn(|i| lin_of(i as f64)));
        let lin = |c: f64| {
            if c.fract() == 0.0 && (0.0..=255.0).contains(&c) {
                WHOLE[c as usize]
            } else {
                lin_of(c)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }

    /// `#rrggbb` (or `#rrggbbaa` when not opaque), for reports.
    pub fn to_hex(&self) -> String {
        self.hex().as_str().to_string()
    }

    /// [`Rgba::to_hex`] without a `String`: a page's contrast findings write hundreds, into
    /// their messages and measures.
    pub fn hex(&self) -> Hex {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let c = |v: f64| v.round().clamp(0.0, 255.0) as u8;
        let mut out = Hex {
            bytes: [b'#'; 9],
            len: 1,
        };
        let mut put = |b: u8| {
            let at = usize::from(out.len);
            out.bytes[at] = DIGITS[usize::from(b >> 4)];
            out.bytes[at + 1] = DIGITS[usize::from(b & 0x0f)];
            out.len += 2;
        };
        put(c(self.r));
        put(c(self.g));
        put(c(self.b));
        if !self.is_opaque() {
            put(c(self.a * 255.0));
        }
        out
    }
}

/// A colour written `#rrggbb` or `#rrggbbaa`, held inline.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Hex {
    bytes: [u8; 9],
    len: u8,
}

impl Hex {
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '#' are ever written.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or("#")
    }
}

impl std::fmt::Display for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Hex {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// WCAG contrast ratio between two opaque colours (1–21).
pub fn contrast_ratio(a: Rgba, b: Rgba) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// Ratio truncated (not rounded) to 2 decimals, so 4.499 is never shown as 4.50.
pub fn floor2(x: f64) -> f64 {
    (x * 100.0 + 1e-9).floor() / 100.0
}

/// Parse a whole CSS colour value; `None` if it is not a colour we understand.
pub fn parse_color(text: &str) -> Option<ColorValue> {
    // A bare hexadecimal colour, what a design system's properties hold, read without the
    // tokenizer (the same digits it would hand to `parse_hash_color`).
    if let Some(digits) = text.strip_prefix('#') {
        if matches!(digits.len(), 3 | 4 | 6 | 8) && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            let (r, g, b, a) = cssparser::color::parse_hash_color(digits.as_bytes()).ok()?;
            return Some(ColorValue::Rgba(Rgba {
                r: r as f64,
                g: g as f64,
                b: b as f64,
                a: a as f64,
            }));
        }
    }
    parse_color_tokens(text)
}

/// [`parse_color`] through the CSS tokenizer.
fn parse_color_tokens(text: &str) -> Option<ColorValue> {
    let mut parser = Parser::new(text);
    let v = parse_color_in(&mut parser)?;
    if parser.is_exhausted() {
        Some(v)
    } else {
        None
    }
}

/// Parse one colour at the parser's position (used for shorthands such as `background`).
pub fn parse_color_in(p: &mut Parser<'_>) -> Option<ColorValue> {
    let tok = p.next().ok()?.clone();
    match tok {
        Token::Hash(ref h) | Token::IDHash(ref h) => {
            let (r, g, b, a) = cssparser::color::parse_hash_color(h.as_bytes()).ok()?;
            Some(ColorValue::Rgba(Rgba {
                r: r as f64,
                g: g as f64,
                b: b as f64,
                a: a as f64,
            }))
        }
        Token::Ident(ref name) => {
            let lower = name.to_ascii_lowercase();
            match lower.as_str() {
                "transparent" => Some(ColorValue::Rgba(Rgba::TRANSPARENT)),
                "currentcolor" => Some(ColorValue::Current),
                _ => {
                    if let Ok((r, g, b)) = cssparser::color::parse_named_color(&lower) {
                        return Some(ColorValue::Rgba(Rgba::rgb(r as f64, g as f64, b as f64)));
                    }
                    system_color(&lower).map(ColorValue::Rgba)
                }
            }
        }
        Token::Function(ref name) => {
            let lower = name.to_ascii_lowercase();
            p.parse_nested_block(
                |p| -> Result<Option<ColorValue>, cssparser::ParseError<()>> {
                    Ok(parse_function(&lower, p))
                },
            )
            .ok()
            .flatten()
        }
        _ => None,
    }
}

/// CSS system colours, with Chrome's light-scheme values.
fn system_color(name: &str) -> Option<Rgba> {
    let c = match name {
        "canvas" | "field" | "window" => Rgba::WHITE,
        "canvastext" | "fieldtext" | "buttontext" | "windowtext" | "menutext" | "captiontext"
        | "infotext" => Rgba::BLACK,
        "buttonface" | "buttonborder" | "threedface" => Rgba::rgb(239.0, 239.0, 239.0),
        "linktext" => Rgba::rgb(0.0, 0.0, 238.0),
        "visitedtext" => Rgba::rgb(85.0, 26.0, 139.0),
        "graytext" => Rgba::rgb(109.0, 109.0, 109.0),
        "highlight" => Rgba::rgb(181.0, 213.0, 255.0),
        "highlighttext" => Rgba::BLACK,
        "mark" => Rgba::rgb(255.0, 255.0, 0.0),
        "marktext" => Rgba::BLACK,
        _ => return None,
    };
    Some(c)
}

/// One numeric argument: a number, a percentage (as a fraction), or `none` (0).
#[derive(Clone, Copy)]
enum Arg {
    Num(f64),
    Pct(f64),
    Angle(f64),
}

fn parse_args(p: &mut Parser<'_>) -> Option<(Vec<Arg>, Option<Arg>)> {
    // Accept both legacy comma syntax and modern space syntax with `/ alpha`.
    let mut args = Vec::new();
    let mut alpha = None;
    let mut after_slash = false;
    while !p.is_exhausted() {
        let tok = p.next().ok()?.clone();
        let arg = match tok {
            Token::Number { value, .. } => Arg::Num(value as f64),
            Token::Percentage { unit_value, .. } => Arg::Pct(unit_value as f64),
            Token::Dimension {
                value, ref unit, ..
            } => {
                let v = value as f64;
                let deg = match unit.to_ascii_lowercase().as_str() {
                    "deg" => v,
                    "rad" => v.to_degrees(),
                    "grad" => v * 0.9,
                    "turn" => v * 360.0,
                    _ => return None,
                };
                Arg::Angle(deg)
            }
            Token::Ident(ref i) if i.eq_ignore_ascii_case("none") => Arg::Num(0.0),
            Token::Comma => continue,
            Token::Delim('/') => {
                after_slash = true;
                continue;
            }
            // calc(), var() leftovers, `from` relative syntax: not understood.
            _ => return None,
        };
        if after_slash {
            if alpha.is_some() {
                return None;
            }
            alpha = Some(arg);
        } else {
            args.push(arg);
        }
    }
    Some((args, alpha))
}

fn alpha_of(a: Option<Arg>) -> Option<f64> {
    match a {
        None => Some(1.0),
        Some(Arg::Num(n)) => Some(n.clamp(0.0, 1.0)),
        Some(Arg::Pct(p)) => Some(p.clamp(0.0, 1.0)),
        Some(Arg::Angle(_)) => None,
    }
}

fn parse_function(name: &str, p: &mut Parser<'_>) -> Option<ColorValue> {
    let (mut args, mut alpha) = parse_args(p)?;
    if args.len() == 4 && alpha.is_none() {
        alpha = args.pop();
    }
    if args.len() != 3 {
        return None;
    }
    let a = alpha_of(alpha)?;
    match name {
        "rgb" | "rgba" => {
            let ch = |x: Arg| match x {
                Arg::Num(n) => Some(n.clamp(0.0, 255.0)),
                Arg::Pct(p) => Some((p * 255.0).clamp(0.0, 255.0)),
                Arg::Angle(_) => None,
            };
            Some(ColorValue::Rgba(Rgba {
                r: ch(args[0])?,
                g: ch(args[1])?,
                b: ch(args[2])?,
                a,
            }))
        }
        "hsl" | "hsla" | "hwb" => {
            let h = match args[0] {
                Arg::Num(n) | Arg::Angle(n) => n,
                Arg::Pct(_) => return None,
            };
            let pc = |x: Arg| match x {
                Arg::Pct(p) => Some(p.clamp(0.0, 1.0)),
                Arg::Num(n) => Some((n / 100.0).clamp(0.0, 1.0)),
                Arg::Angle(_) => None,
            };
            let (x, y) = (pc(args[1])?, pc(args[2])?);
            let (r, g, b) = if name == "hwb" {
                hwb_to_rgb(h, x, y)
            } else {
                hsl_to_rgb(h, x, y)
            };
            Some(ColorValue::Rgba(Rgba {
                r: r * 255.0,
                g: g * 255.0,
                b: b * 255.0,
                a,
            }))
        }
        _ => None,
    }
}

/// CSS Color 4 hsl→rgb, channels 0–1.
fn hsl_to_rgb(h: f64, s: f64, l: f64) -> (f64, f64, f64) {
    let h = h.rem_euclid(360.0);
    let f = |n: f64| {
        let k = (n + h / 30.0) % 12.0;
        let a = s * l.min(1.0 - l);
        l - a * (k - 3.0).min(9.0 - k).clamp(-1.0, 1.0)
    };
    (f(0.0), f(8.0), f(4.0))
}

fn hwb_to_rgb(h: f64, w: f64, b: f64) -> (f64, f64, f64) {
    if w + b >= 1.0 {
        let g = w / (w + b);
        return (g, g, g);
    }
    let (r, g, bl) = hsl_to_rgb(h, 1.0, 0.5);
    let t = |c: f64| c * (1.0 - w - b) + w;
    (t(r), t(g), t(bl))
}

#[cfg(test)]
mod tests {

    #[test]
    fn hexadecimal_colours_read_as_the_tokenizer_reads_them() {
        for text in [
            "#fff",
            "#FFF",
            "#000000",
            "#6a6af4",
            "#6A6AF4cc",
            "#1234",
            "#12",
            "#12345",
            "#1234567",
            "#ggg",
            "#fff ",
            " #fff",
            "#",
            "#123456789",
            "#e1000f",
            "#0063CB80",
        ] {
            assert_eq!(parse_color(text), parse_color_tokens(text), "{text}");
        }
    }

    use super::*;

    fn rgba(s: &str) -> Rgba {
        match parse_color(s) {
            Some(ColorValue::Rgba(c)) => c,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn every_syntax_parses_to_the_same_colour() {
        let red = Rgba::rgb(255.0, 0.0, 0.0);
        for s in [
            "red",
            "RED",
            "#f00",
            "#F00F",
            "#ff0000",
            "#ff0000ff",
            "rgb(255, 0, 0)",
            "rgba(255,0,0,1)",
            "rgb(255 0 0)",
            "rgb(255 0 0 / 100%)",
            "rgb(100%, 0%, 0%)",
            "hsl(0, 100%, 50%)",
            "hsla(360 100% 50% / 1)",
            "hsl(0deg 100% 50%)",
            "hsl(1turn 100% 50%)",
            "hwb(0 0% 0%)",
        ] {
            let c = rgba(s);
            assert!(
                (c.r - red.r).abs() < 0.01
                    && (c.g - red.g).abs() < 0.01
                    && (c.b - red.b).abs() < 0.01
                    && (c.a - 1.0).abs() < 0.01,
                "{s}: {c:?}"
            );
        }
        assert_eq!(rgba("transparent").a, 0.0);
        assert!((rgba("rgba(0,0,0,.5)").a - 0.5).abs() < 1e-6);
        assert!((rgba("#0000007f").a - 127.0 / 255.0).abs() < 0.01);
        assert!((rgba("rgb(0 0 0 / 25%)").a - 0.25).abs() < 1e-6);
        assert_eq!(parse_color("currentColor"), Some(ColorValue::Current));
        let g = rgba("hsl(120, 100%, 25%)");
        assert!((g.g - 127.5).abs() < 0.01 && g.r.abs() < 0.01);
    }

    #[test]
    fn garbage_is_not_a_colour() {
        for s in [
            "",
            "#12",
            "#12345",
            "bleu",
            "rgb(1,2)",
            "rgb(a,b,c)",
            "var(--x)",
            "rgb(calc(1+2) 0 0)",
            "red blue",
            "color-mix(in srgb, red, blue)",
            "rgb(",
        ] {
            assert!(parse_color(s).is_none(), "{s}");
        }
    }

    #[test]
    fn contrast_ratios_match_wcag_reference_values() {
        let w = Rgba::WHITE;
        assert_eq!(floor2(contrast_ratio(Rgba::BLACK, w)), 21.0);
        assert_eq!(floor2(contrast_ratio(rgba("#777"), w)), 4.47);
        assert_eq!(
            (contrast_ratio(rgba("#777"), w) * 100.0).round() / 100.0,
            4.48
        );
        assert_eq!(floor2(contrast_ratio(rgba("#767676"), w)), 4.54);
        assert_eq!(floor2(contrast_ratio(w, w)), 1.0);
        assert_eq!(floor2(contrast_ratio(rgba("#333"), w)), 12.63);
        // Symmetric.
        assert_eq!(
            contrast_ratio(rgba("#aaa"), w),
            contrast_ratio(w, rgba("#aaa"))
        );
    }

    #[test]
    fn alpha_compositing() {
        let half_black = rgba("rgba(0,0,0,.5)");
        let c = half_black.over(Rgba::WHITE);
        assert!((c.r - 127.5).abs() < 1e-9);
        // 30% black over white, as in ACT afw4f7 failed example 4: fails 4.5.
        let c = rgba("rgba(0,0,0,.3)").over(Rgba::WHITE);
        assert!(contrast_ratio(c, Rgba::WHITE) < 4.5);
        // Opacity .3 of black text over white backdrop = same result.
        let faded = Rgba::BLACK.fade_over(Rgba::WHITE, 0.3);
        assert!((faded.r - c.r).abs() < 1e-3);
        assert_eq!(rgba("#ABCDEF").to_hex(), "#abcdef");
        assert_eq!(rgba("rgba(0, 15, 255, .5)").to_hex(), "#000fff80");
        assert_eq!(rgba("#01020300").to_hex(), "#01020300");
        // Held inline, written and serialised as the same string.
        let half = rgba("rgba(0, 15, 255, .5)").hex();
        assert_eq!(format!("{half} {half:?}"), "#000fff80 \"#000fff80\"");
        assert_eq!(
            serde_json::to_string(&rgba("#ABCDEF").hex())
                .ok()
                .as_deref(),
            Some("\"#abcdef\"")
        );
    }
}
