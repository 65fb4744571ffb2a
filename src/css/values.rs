//! Property values the cascade needs: lengths, font sizes and weights, var() substitution,
//! the `background` and `font` shorthands.

use std::borrow::Cow;
use std::collections::HashMap;

use cssparser::{Parser, Token};

use super::color::{parse_color_in, ColorValue};
use super::media::{VIEWPORT_HEIGHT, VIEWPORT_WIDTH};
use crate::format::{ascii_lowercase, find_ignore_ascii_case};

const MAX_VAR_DEPTH: usize = 16;
const MAX_SUBSTITUTED_LEN: usize = 16 * 1024;

/// Where `var(--name)` finds its value.
pub trait VarSource {
    fn var(&self, name: &str) -> Option<&str>;
}

impl VarSource for HashMap<String, String> {
    fn var(&self, name: &str) -> Option<&str> {
        self.get(name).map(String::as_str)
    }
}

/// Whether a value calls `var()`.
pub fn has_var(value: &str) -> bool {
    // Most values hold no parenthesis (`#666`, `1rem`, `block`): told by one look at their
    // few bytes, before the search.
    value.as_bytes().contains(&b'(') && find_ignore_ascii_case(value, "var(").is_some()
}

/// The reference whose `var(` starts at `start`: the index of its closing parenthesis, the name
/// it looks up (the text before its first top-level comma, trimmed) and its fallback; `None`
/// when it is never closed (the value is then invalid, and nothing is looked up).
fn var_reference_at(value: &str, start: usize) -> Option<(usize, &str, Option<&str>)> {
    let mut d = 0i32;
    let mut end = None;
    for (i, &b) in value.as_bytes().iter().enumerate().skip(start + 3) {
        match b {
            b'(' => d += 1,
            b')' => {
                d -= 1;
                if d == 0 {
                    end = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let end = end?;
    let inner = &value[start + 4..end];
    Some(match top_level_comma(inner) {
        Some(i) => (end, inner[..i].trim(), Some(&inner[i + 1..])),
        None => (end, inner.trim(), None),
    })
}

/// Every name the `var()`s of `value` look up when it is substituted, nested references and
/// those of fallbacks included (a superset: a fallback not taken is not read).
pub fn var_names(value: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || loop {
        let start = from + find_ignore_ascii_case(value.get(from..)?, "var(")?;
        // Past this `var(`, so that references nested in it are found next.
        from = start + 4;
        if let Some((_, name, _)) = var_reference_at(value, start) {
            return Some(name);
        }
    })
}

/// Replace `var(--x, fallback)` references. `None` when a reference cannot be resolved
/// (the declaration is then "invalid at computed-value time").
pub fn substitute<V: VarSource + ?Sized>(value: &str, vars: &V) -> Option<String> {
    substitute_depth(value, vars, 0)
}

/// As [`substitute`], borrowing the referenced value when `value` is one reference and nothing
/// else (`color: var(--text)`, a design system's usual form) whose value has none of its own.
pub fn substitute_cow<'a, V: VarSource + ?Sized>(
    value: &'a str,
    vars: &'a V,
) -> Option<Cow<'a, str>> {
    if let Some(source) = lone_reference(value).and_then(|name| vars.var(name)) {
        if !has_var(source) && source.len() <= MAX_SUBSTITUTED_LEN {
            return Some(Cow::Borrowed(source));
        }
    }
    substitute(value, vars).map(Cow::Owned)
}

/// The name in `var(--name)` when that is the whole value (no fallback, nothing around it).
fn lone_reference(value: &str) -> Option<&str> {
    let inner = crate::format::strip_prefix_ignore_ascii_case(value, "var(")?.strip_suffix(')')?;
    (!inner.bytes().any(|b| matches!(b, b'(' | b')' | b','))).then(|| inner.trim())
}

/// One pass over `value`, each reference replaced by its value substituted in turn. Every
/// reference counts one level towards [`MAX_VAR_DEPTH`], as when each was replaced by a pass
/// of its own, so long chains and many references alike are cut off.
fn substitute_depth<V: VarSource + ?Sized>(value: &str, vars: &V, depth: usize) -> Option<String> {
    if depth > MAX_VAR_DEPTH || value.len() > MAX_SUBSTITUTED_LEN {
        return None;
    }
    let Some(mut start) = find_ignore_ascii_case(value, "var(") else {
        return Some(value.to_string());
    };
    let mut out = String::with_capacity(value.len() + 16);
    let mut level = depth;
    let mut done = 0;
    loop {
        let (end, name, fallback) = var_reference_at(value, start)?;
        let source = match vars.var(name) {
            Some(v) => v,
            None => fallback?.trim(),
        };
        out.push_str(&value[done..start]);
        if has_var(source) {
            out.push_str(&substitute_depth(source, vars, level + 1)?);
        } else if level < MAX_VAR_DEPTH && source.len() <= MAX_SUBSTITUTED_LEN {
            out.push_str(source);
        } else {
            return None;
        }
        done = end + 1;
        level += 1;
        if level > MAX_VAR_DEPTH || out.len() + (value.len() - done) > MAX_SUBSTITUTED_LEN {
            return None;
        }
        match find_ignore_ascii_case(&value[done..], "var(") {
            Some(i) => start = done + i,
            None => break,
        }
    }
    out.push_str(&value[done..]);
    Some(out)
}

fn top_level_comma(s: &str) -> Option<usize> {
    let mut d = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '(' => d += 1,
            ')' => d -= 1,
            ',' if d == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// A length in px; `font_size` resolves `em`, `root_font_size` resolves `rem`.
pub fn length_px(value: &str, font_size: Option<f64>, root_font_size: Option<f64>) -> Option<f64> {
    let mut p = Parser::new(value);
    let tok = p.next().ok()?.clone();
    if !p.is_exhausted() {
        return None;
    }
    match tok {
        Token::Number { value: 0.0, .. } => Some(0.0),
        Token::Dimension {
            value, ref unit, ..
        } => unit_to_px(
            value as f64,
            &unit.to_ascii_lowercase(),
            font_size,
            root_font_size,
        ),
        _ => None,
    }
}

fn unit_to_px(v: f64, unit: &str, fs: Option<f64>, rfs: Option<f64>) -> Option<f64> {
    Some(match unit {
        "px" => v,
        "pt" => v * 96.0 / 72.0,
        "pc" => v * 16.0,
        "in" => v * 96.0,
        "cm" => v * 96.0 / 2.54,
        "mm" => v * 96.0 / 25.4,
        "q" => v * 96.0 / 101.6,
        "em" => v * fs?,
        "rem" => v * rfs?,
        "ex" => v * fs? * 0.5,
        "ch" => v * fs? * 0.5,
        "vw" => v * VIEWPORT_WIDTH / 100.0,
        "vh" => v * VIEWPORT_HEIGHT / 100.0,
        "vmin" => v * VIEWPORT_HEIGHT.min(VIEWPORT_WIDTH) / 100.0,
        "vmax" => v * VIEWPORT_HEIGHT.max(VIEWPORT_WIDTH) / 100.0,
        _ => return None,
    })
}

/// A length in px like [`length_px`], or the value of a `calc()`, `min()`, `max()` or
/// `clamp()` of lengths (`calc(-0.25rem + 1px)`); `None` when a percentage or anything unknown
/// takes part (what a percentage refers to is the caller's to know).
pub fn length_or_math_px(
    value: &str,
    font_size: Option<f64>,
    root_font_size: Option<f64>,
) -> Option<f64> {
    if let Some(px) = length_px(value, font_size, root_font_size) {
        return Some(px);
    }
    let mut p = Parser::new(value);
    let Ok(Token::Function(name)) = p.next().cloned() else {
        return None;
    };
    let name = name.to_ascii_lowercase();
    let ctx = MathContext {
        em: font_size,
        root: root_font_size,
        percent_of: None,
    };
    match whole_math_function(&mut p, &name, &ctx)? {
        Quantity::Length(px) if px.is_finite() => Some(px),
        Quantity::Number(0.0) => Some(0.0),
        _ => None,
    }
}

/// The value of the math function `name` whose block `p` is at, when nothing follows it.
fn whole_math_function(p: &mut Parser<'_>, name: &str, ctx: &MathContext) -> Option<Quantity> {
    let value = p
        .parse_nested_block(|p| -> Result<_, cssparser::ParseError<()>> {
            Ok(math_function(name, p, ctx, 0))
        })
        .ok()
        .flatten()?;
    p.is_exhausted().then_some(value)
}

/// Computed font size in px, from the parent's; `None` when it cannot be computed
/// (calc(), unknown units, or an unknown parent size for relative values).
pub fn font_size_px(value: &str, parent: Option<f64>, root: Option<f64>) -> Option<f64> {
    // Read for every element a font-size rule wins on: copied only when written in capitals.
    let v = ascii_lowercase(value.trim());
    let kw = match &*v {
        "xx-small" => Some(9.0),
        "x-small" => Some(10.0),
        "small" => Some(13.0),
        "medium" => Some(16.0),
        "large" => Some(18.0),
        "x-large" => Some(24.0),
        "xx-large" => Some(32.0),
        "xxx-large" => Some(48.0),
        _ => None,
    };
    if kw.is_some() {
        return kw;
    }
    match &*v {
        "larger" => return parent.map(|p| p * 1.2),
        "smaller" => return parent.map(|p| p / 1.2),
        _ => {}
    }
    let mut p = Parser::new(&v);
    let tok = p.next().ok()?.clone();
    if let Token::Function(name) = &tok {
        let name = name.to_ascii_lowercase();
        let ctx = MathContext {
            em: parent,
            root,
            percent_of: parent,
        };
        return match whole_math_function(&mut p, &name, &ctx)? {
            Quantity::Length(px) if px.is_finite() => Some(px.max(0.0)),
            _ => None,
        };
    }
    if !p.is_exhausted() {
        return None;
    }
    match tok {
        Token::Percentage { unit_value, .. } => parent.map(|p| p * unit_value as f64),
        Token::Number { value: 0.0, .. } => Some(0.0),
        // For font-size, `em` refers to the parent's size.
        Token::Dimension {
            value, ref unit, ..
        } => unit_to_px(value as f64, unit, parent, root),
        _ => None,
    }
}

/// What `em`, `rem` and `%` refer to inside a math function (`None`: unknown).
struct MathContext {
    em: Option<f64>,
    root: Option<f64>,
    percent_of: Option<f64>,
}

/// A value inside `calc()`: a length in px or a plain number.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Quantity {
    Length(f64),
    Number(f64),
}

/// Nesting of math functions and parentheses evaluated at most (hostile stylesheets).
const MAX_MATH_DEPTH: usize = 16;

/// `calc()`, `min()`, `max()`, `clamp()` for font sizes; `None` for anything else or anything
/// that cannot be computed (the caller then answers "cannot tell").
fn math_function(
    name: &str,
    p: &mut Parser<'_>,
    ctx: &MathContext,
    depth: usize,
) -> Option<Quantity> {
    if depth > MAX_MATH_DEPTH {
        return None;
    }
    match name {
        "calc" => {
            let v = math_sum(p, ctx, depth)?;
            p.is_exhausted().then_some(v)
        }
        "min" | "max" | "clamp" => {
            let args = p
                .parse_comma_separated(|p| -> Result<_, cssparser::ParseError<()>> {
                    math_sum(p, ctx, depth).ok_or_else(cssparser::ParseError::unexpected_token)
                })
                .ok()?;
            let lengths: Vec<f64> = args
                .iter()
                .map(|q| match q {
                    Quantity::Length(v) => Some(*v),
                    Quantity::Number(n) if *n == 0.0 => Some(0.0),
                    Quantity::Number(_) => None,
                })
                .collect::<Option<_>>()?;
            let v = match (name, lengths.as_slice()) {
                ("min", [first, rest @ ..]) => rest.iter().fold(*first, |a, b| a.min(*b)),
                ("max", [first, rest @ ..]) => rest.iter().fold(*first, |a, b| a.max(*b)),
                // clamp(MIN, VAL, MAX) = max(MIN, min(VAL, MAX))
                ("clamp", [lo, val, hi]) => lo.max(val.min(*hi)),
                _ => return None,
            };
            Some(Quantity::Length(v))
        }
        _ => None,
    }
}

/// sum := product (('+' | '-') product)*
fn math_sum(p: &mut Parser<'_>, ctx: &MathContext, depth: usize) -> Option<Quantity> {
    let mut acc = math_product(p, ctx, depth)?;
    loop {
        let state = p.state();
        let op = match p.next() {
            Ok(Token::Delim('+')) => 1.0,
            Ok(Token::Delim('-')) => -1.0,
            _ => {
                p.reset(&state);
                return Some(acc);
            }
        };
        let rhs = math_product(p, ctx, depth)?;
        acc = match (acc, rhs) {
            (Quantity::Length(a), Quantity::Length(b)) => Quantity::Length(a + op * b),
            (Quantity::Number(a), Quantity::Number(b)) => Quantity::Number(a + op * b),
            _ => return None,
        };
    }
}

/// product := value (('*' | '/') value)*
fn math_product(p: &mut Parser<'_>, ctx: &MathContext, depth: usize) -> Option<Quantity> {
    let mut acc = math_value(p, ctx, depth)?;
    loop {
        let state = p.state();
        let divide = match p.next() {
            Ok(Token::Delim('*')) => false,
            Ok(Token::Delim('/')) => true,
            _ => {
                p.reset(&state);
                return Some(acc);
            }
        };
        let rhs = math_value(p, ctx, depth)?;
        acc = match (acc, rhs, divide) {
            (Quantity::Length(a), Quantity::Number(b), false)
            | (Quantity::Number(b), Quantity::Length(a), false) => Quantity::Length(a * b),
            (Quantity::Number(a), Quantity::Number(b), false) => Quantity::Number(a * b),
            (Quantity::Length(a), Quantity::Number(b), true) if b != 0.0 => Quantity::Length(a / b),
            (Quantity::Number(a), Quantity::Number(b), true) if b != 0.0 => Quantity::Number(a / b),
            _ => return None,
        };
    }
}

fn math_value(p: &mut Parser<'_>, ctx: &MathContext, depth: usize) -> Option<Quantity> {
    let tok = p.next().ok()?.clone();
    match tok {
        Token::Number { value, .. } => Some(Quantity::Number(value as f64)),
        Token::Percentage { unit_value, .. } => ctx
            .percent_of
            .map(|v| Quantity::Length(v * unit_value as f64)),
        Token::Dimension {
            value, ref unit, ..
        } => unit_to_px(value as f64, &unit.to_ascii_lowercase(), ctx.em, ctx.root)
            .map(Quantity::Length),
        Token::ParenthesisBlock => p
            .parse_nested_block(|p| -> Result<_, cssparser::ParseError<()>> {
                Ok(math_sum(p, ctx, depth + 1).filter(|_| p.is_exhausted()))
            })
            .ok()
            .flatten(),
        Token::Function(name) => {
            let name = name.to_ascii_lowercase();
            p.parse_nested_block(|p| -> Result<_, cssparser::ParseError<()>> {
                Ok(math_function(&name, p, ctx, depth + 1))
            })
            .ok()
            .flatten()
        }
        _ => None,
    }
}

/// Computed font weight from the parent's (CSS Fonts 4 relative weights table).
pub fn font_weight(value: &str, parent: Option<u16>) -> Option<u16> {
    let v = ascii_lowercase(value.trim());
    match &*v {
        "normal" => Some(400),
        "bold" => Some(700),
        "bolder" => parent.map(|p| match p {
            0..=349 => 400,
            350..=549 => 700,
            _ => 900,
        }),
        "lighter" => parent.map(|p| match p {
            0..=549 => 100,
            550..=749 => 400,
            _ => 700,
        }),
        n => n
            .parse::<f64>()
            .ok()
            .filter(|w| (1.0..=1000.0).contains(w))
            .map(|w| w as u16),
    }
}

/// What the `font` shorthand sets: (size, weight).
pub fn split_font_shorthand(value: &str) -> (Option<String>, Option<String>) {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    // System fonts (caption, menu…) are not resolvable.
    if !lower.contains(' ') {
        return (None, None);
    }
    let mut weight = "normal".to_string();
    for word in lower.split_whitespace() {
        if matches!(word, "bold" | "bolder" | "lighter")
            || (word.len() == 3 && word.parse::<u16>().is_ok())
        {
            weight = word.to_string();
            continue;
        }
        let size_part = word.split('/').next().unwrap_or(word);
        let looks_like_size = size_part.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || matches!(
                size_part,
                "xx-small"
                    | "x-small"
                    | "small"
                    | "medium"
                    | "large"
                    | "x-large"
                    | "xx-large"
                    | "xxx-large"
                    | "larger"
                    | "smaller"
            );
        if looks_like_size {
            return (Some(size_part.to_string()), Some(weight));
        }
    }
    (None, None)
}

/// The colour and image layers a `background` shorthand sets.
pub struct BackgroundParts {
    /// `Ok(None)`: no colour given (transparent); `Err`: a colour we cannot read.
    pub color: Result<Option<ColorValue>, String>,
    /// "image" or "dégradé" when an image layer is present.
    pub image: Option<&'static str>,
}

/// Whether a `background-image` value paints an image, and of which kind.
pub fn image_kind(value: &str) -> Option<&'static str> {
    let l = value.to_ascii_lowercase();
    if l.contains("gradient(") {
        Some("dégradé")
    } else if l.contains("url(")
        || l.contains("image(")
        || l.contains("image-set(")
        || l.contains("element(")
        || l.contains("cross-fade(")
    {
        Some("image")
    } else {
        None
    }
}

pub fn parse_background(value: &str) -> BackgroundParts {
    let image = image_kind(value);
    let mut p = Parser::new(value);
    let mut color: Result<Option<ColorValue>, String> = Ok(None);
    loop {
        let state = p.state();
        let Ok(tok) = p.next() else { break };
        let tok = tok.clone();
        let maybe_color = match &tok {
            Token::Hash(_) | Token::IDHash(_) => true,
            Token::Ident(_) => true,
            Token::Function(name) => {
                let n = name.to_ascii_lowercase();
                if matches!(n.as_str(), "rgb" | "rgba" | "hsl" | "hsla" | "hwb") {
                    true
                } else if n.contains("gradient")
                    || n == "url"
                    || n.contains("image")
                    || n == "element"
                    || n == "cross-fade"
                {
                    false
                } else {
                    color = Err(format!("valeur de fond non prise en charge ({n}())"));
                    false
                }
            }
            _ => false,
        };
        if maybe_color {
            p.reset(&state);
            if let Some(c) = parse_color_in(&mut p) {
                if color.is_ok() {
                    color = Ok(Some(c));
                }
            }
        }
    }
    BackgroundParts { color, image }
}

/// `rect(0 0 0 0)`, `inset(50%)`… : clipping that hides the element entirely.
pub fn clip_hides(clip: Option<&str>, clip_path: Option<&str>) -> bool {
    if let Some(c) = clip {
        let l = c.to_ascii_lowercase();
        if let Some(inner) = l.strip_prefix("rect(").and_then(|x| x.strip_suffix(')')) {
            let nums: Vec<f64> = inner
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .filter_map(|s| s.trim_end_matches("px").parse().ok())
                .collect();
            if nums.len() == 4
                && (nums[2] - nums[0]).abs() <= 1.0
                && (nums[1] - nums[3]).abs() <= 1.0
            {
                return true;
            }
        }
    }
    if let Some(cp) = clip_path {
        let l: String = cp.to_ascii_lowercase().split_whitespace().collect();
        if l.starts_with("inset(50%")
            || l.starts_with("inset(100%")
            || l == "circle(0)"
            || l == "circle(0px)"
            || l == "polygon(00,00,00)"
        {
            return true;
        }
    }
    false
}

/// Colour stops of a single `*-gradient()` layer; `None` when the value has several layers,
/// or an argument we cannot read as a colour, direction, angle or position.
pub fn gradient_stops(value: &str) -> Option<Vec<ColorValue>> {
    let l = value.to_ascii_lowercase();
    if l.matches("gradient(").count() != 1 || l.contains("url(") {
        return None;
    }
    let mut p = Parser::new(value);
    while let Ok(tok) = p.next() {
        let Token::Function(name) = tok else { continue };
        if !name.to_ascii_lowercase().contains("gradient") {
            continue;
        }
        return p
            .parse_nested_block(
                |p| -> Result<Option<Vec<ColorValue>>, cssparser::ParseError<()>> {
                    Ok(stops_in(p))
                },
            )
            .ok()
            .flatten();
    }
    None
}

fn stops_in(p: &mut Parser<'_>) -> Option<Vec<ColorValue>> {
    let mut stops = Vec::new();
    loop {
        let arg = p.parse_until_before(
            cssparser::Delimiter::Comma,
            |p| -> Result<Option<Option<ColorValue>>, cssparser::ParseError<()>> {
                let state = p.state();
                let first = p.next().cloned();
                let out = match first {
                    Ok(Token::Ident(ref i))
                        if matches!(
                            i.to_ascii_lowercase().as_str(),
                            "to" | "left"
                                | "right"
                                | "top"
                                | "bottom"
                                | "circle"
                                | "ellipse"
                                | "closest-side"
                                | "closest-corner"
                                | "farthest-side"
                                | "farthest-corner"
                                | "at"
                                | "center"
                                | "in"
                                | "from"
                        ) =>
                    {
                        Some(None)
                    }
                    Ok(Token::Dimension { .. })
                    | Ok(Token::Number { .. })
                    | Ok(Token::Percentage { .. }) => Some(None),
                    Ok(_) => {
                        p.reset(&state);
                        parse_color_in(p).map(Some)
                    }
                    Err(_) => None,
                };
                while p.next().is_ok() {}
                Ok(out)
            },
        );
        match arg {
            Ok(Some(Some(c))) => stops.push(c),
            Ok(Some(None)) => {}
            _ => return None,
        }
        if p.next().is_err() {
            break;
        }
    }
    if stops.len() >= 2 {
        Some(stops)
    } else {
        None
    }
}

/// Split at the commas (or whitespace, with `comma = false`) that are not inside parentheses.
pub(crate) fn split_top_level(value: &str, comma: bool) -> TopLevelParts<'_> {
    fn keep<'a>(part: &'a str, out: &mut TopLevelParts<'a>) {
        let part = part.trim();
        if !part.is_empty() {
            out.push(part);
        }
    }
    // Kept inline: most values have a few parts, and each element's background, spacing and
    // shadow values are split again.
    let mut out = TopLevelParts::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in value.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if comma && depth == 0 => {
                keep(&value[start..i], &mut out);
                start = i + 1;
            }
            c if !comma && depth == 0 && c.is_whitespace() => {
                keep(&value[start..i], &mut out);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    keep(&value[start..], &mut out);
    out
}

/// The parts [`split_top_level`] finds, inline up to four.
pub(crate) type TopLevelParts<'a> = smallvec::SmallVec<[&'a str; 4]>;

/// A `text-shadow` (or `drop-shadow()` arguments) that cannot change what text looks like:
/// every layer transparent, or with no offset and no blur (hidden under the glyphs).
pub fn shadow_is_neutral(value: &str) -> bool {
    let zero = |t: &str| {
        let number = t.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%');
        number.parse::<f64>().is_ok_and(|n| n == 0.0)
    };
    split_top_level(value, true).iter().all(|layer| {
        let words = split_top_level(layer, false);
        let transparent = words.iter().any(
            |w| matches!(super::color::parse_color(w), Some(ColorValue::Rgba(c)) if c.a <= 0.0),
        );
        let lengths: Vec<&&str> = words
            .iter()
            .filter(|w| {
                w.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
            })
            .collect();
        transparent || (!lengths.is_empty() && lengths.iter().all(|w| zero(w)))
    })
}

/// The colours of the layers of a `text-shadow` that can show (neither transparent nor hidden
/// under the glyphs), `currentColor` when a layer names none; `None` when a layer holds a word
/// that is neither a length nor a colour (so nothing is assumed about it).
pub fn shadow_colors(value: &str) -> Option<Vec<ColorValue>> {
    let mut colors = Vec::new();
    for layer in split_top_level(value, true) {
        if shadow_is_neutral(layer) {
            continue;
        }
        let mut color = None;
        for word in split_top_level(layer, false) {
            let length =
                word.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
            if length {
                continue;
            }
            match super::color::parse_color(word) {
                Some(c) if color.is_none() => color = Some(c),
                _ => return None,
            }
        }
        colors.push(color.unwrap_or(ColorValue::Current));
    }
    Some(colors)
}

/// A `filter` made only of `drop-shadow()` functions.
pub fn filter_is_drop_shadow(value: &str) -> bool {
    let functions = split_top_level(value, false);
    !functions.is_empty()
        && functions.iter().all(|f| {
            let lower = f.to_ascii_lowercase();
            lower.starts_with("drop-shadow(") && lower.ends_with(')')
        })
}

/// A `filter` made only of `drop-shadow()` functions that are all neutral (see
/// [`shadow_is_neutral`]).
pub fn filter_is_neutral_shadow(value: &str) -> bool {
    let functions = split_top_level(value, false);
    !functions.is_empty()
        && functions.iter().all(|f| {
            let lower = f.to_ascii_lowercase();
            lower.starts_with("drop-shadow(")
                && lower.ends_with(')')
                && shadow_is_neutral(&f["drop-shadow(".len()..f.len() - 1])
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::css::color::Rgba;

    /// Parts at the top level, by commas or white space, each trimmed, empty ones left out,
    /// nested ones left whole (a parenthesis closed before any opens goes below the top level,
    /// until one opens again).
    #[test]
    fn top_level_parts() {
        let cases: [(&str, &[&str], &[&str]); 9] = [
            ("", &[], &[]),
            ("  ", &[], &[]),
            ("a", &["a"], &["a"]),
            ("a, b ,c,,", &["a", "b", "c"], &["a,", "b", ",c,,"]),
            (
                "linear-gradient(0deg, red, blue), url(x) , none",
                &["linear-gradient(0deg, red, blue)", "url(x)", "none"],
                &["linear-gradient(0deg, red, blue),", "url(x)", ",", "none"],
            ),
            (
                "1px\u{a0}2px\t3px  4px 5px 6px",
                &["1px\u{a0}2px\t3px  4px 5px 6px"],
                &["1px", "2px", "3px", "4px", "5px", "6px"],
            ),
            (
                "calc(1px + (2px, 3px)) 0 0",
                &["calc(1px + (2px, 3px)) 0 0"],
                &["calc(1px + (2px, 3px))", "0", "0"],
            ),
            (
                "rgba(0,0,0,.5) 0 0 2px, 1px 1px #000",
                &["rgba(0,0,0,.5) 0 0 2px", "1px 1px #000"],
                &["rgba(0,0,0,.5)", "0", "0", "2px,", "1px", "1px", "#000"],
            ),
            ("a) b (c, d", &["a) b (c", "d"], &["a) b (c,", "d"]),
        ];
        for (value, by_comma, by_space) in cases {
            assert_eq!(
                split_top_level(value, true).as_slice(),
                by_comma,
                "{value:?}"
            );
            assert_eq!(
                split_top_level(value, false).as_slice(),
                by_space,
                "{value:?}"
            );
        }
    }

    #[test]
    fn var_calls_are_found_in_any_case() {
        assert!(has_var("Var(--a)") && has_var("1px VAR(--x)") && !has_var("--var"));
    }

    #[test]
    fn shadow_colours_of_visible_layers() {
        let black = ColorValue::Rgba(Rgba::BLACK);
        assert_eq!(shadow_colors("1px 1px 2px #000"), Some(vec![black.clone()]));
        // Neutral layers drop out; a layer without a colour is in the text's colour.
        assert_eq!(
            shadow_colors("0 0 0 red, 2px 2px transparent, 1px 1px 1px"),
            Some(vec![ColorValue::Current])
        );
        assert_eq!(shadow_colors("black 1px 1px"), Some(vec![black]));
        // Unread words: nothing is assumed.
        assert_eq!(shadow_colors("1px 1px var(--x)"), None);
        assert_eq!(shadow_colors("1px 1px #000 #fff"), None);
    }

    #[test]
    fn font_sizes_to_px() {
        let r = Some(16.0);
        assert_eq!(font_size_px("24px", r, r), Some(24.0));
        assert_eq!(font_size_px("18pt", r, r), Some(24.0));
        assert!((font_size_px("14pt", r, r).unwrap_or(0.0) - 18.6667).abs() < 0.001);
        assert_eq!(font_size_px("1.5em", Some(20.0), r), Some(30.0));
        assert_eq!(font_size_px("2rem", Some(20.0), r), Some(32.0));
        assert_eq!(font_size_px("150%", Some(20.0), r), Some(30.0));
        assert_eq!(font_size_px("x-large", None, r), Some(24.0));
        assert_eq!(font_size_px("larger", Some(20.0), r), Some(24.0));
        assert_eq!(font_size_px("calc(1rem + 2px)", r, r), Some(18.0));
        assert_eq!(font_size_px("calc(100% - 2px)", Some(20.0), r), Some(18.0));
        assert_eq!(
            font_size_px("calc((1em + 2px) * 2)", Some(10.0), r),
            Some(24.0)
        );
        assert_eq!(font_size_px("CALC(2rem / 4)", r, r), Some(8.0));
        assert_eq!(
            font_size_px("clamp(1rem, 1vw + 0.5rem, 2rem)", r, r),
            Some(20.8)
        );
        assert_eq!(font_size_px("min(2rem, 20px)", r, r), Some(20.0));
        assert_eq!(
            font_size_px("max(2rem, 20px, calc(1px*3))", r, r),
            Some(32.0)
        );
        // Not computable: mixed types, division by zero or by a length, unknown functions,
        // an unknown parent for em, trailing garbage.
        assert_eq!(font_size_px("calc(1rem + 2)", r, r), None);
        assert_eq!(length_or_math_px("calc(-0.25rem + 1px)", r, r), Some(-3.0));
        assert_eq!(
            length_or_math_px("calc(2em - 1px)", Some(10.0), r),
            Some(19.0)
        );
        assert_eq!(length_or_math_px("max(1rem, 2px)", r, r), Some(16.0));
        assert_eq!(length_or_math_px("1.5rem", r, r), Some(24.0));
        assert_eq!(length_or_math_px("calc(50% - 1px)", r, r), None);
        assert_eq!(length_or_math_px("calc(1em + 1px)", None, r), None);
        assert_eq!(length_or_math_px("calc(1px) 2px", r, r), None);
        assert_eq!(font_size_px("calc(1rem / 0)", r, r), None);
        assert_eq!(font_size_px("calc(1rem / 2px)", r, r), None);
        assert_eq!(font_size_px("calc(1em + 1px)", None, r), None);
        assert_eq!(font_size_px("calc(1rem + 1px) 3px", r, r), None);
        assert_eq!(font_size_px("attr(size px)", r, r), None);
        let deep = format!("{}1px{}", "calc(".repeat(100), ")".repeat(100));
        assert_eq!(font_size_px(&deep, r, r), None);
        assert_eq!(font_size_px("2vw", r, r), Some(25.6));
        assert_eq!(font_size_px("1em", None, r), None);
    }

    #[test]
    fn weights_and_shorthands() {
        assert_eq!(font_weight("bold", Some(400)), Some(700));
        assert_eq!(font_weight("bolder", Some(400)), Some(700));
        assert_eq!(font_weight("bolder", Some(700)), Some(900));
        assert_eq!(font_weight("lighter", Some(700)), Some(400));
        assert_eq!(font_weight("650", None), Some(650));
        assert_eq!(font_weight("heavy", None), None);
        assert_eq!(
            split_font_shorthand("italic bold 1.5rem/1.2 Marianne, sans-serif"),
            (Some("1.5rem".into()), Some("bold".into()))
        );
        assert_eq!(
            split_font_shorthand("12px serif"),
            (Some("12px".into()), Some("normal".into()))
        );
    }

    #[test]
    fn var_substitution() {
        let mut vars = HashMap::new();
        vars.insert("--a".to_string(), "#fff".to_string());
        vars.insert("--b".to_string(), "var(--a)".to_string());
        vars.insert("--loop".to_string(), "var(--loop)".to_string());
        assert_eq!(substitute("var(--b)", &vars).as_deref(), Some("#fff"));
        assert_eq!(
            substitute("1px solid var(--x, var(--a))", &vars).as_deref(),
            Some("1px solid #fff")
        );
        assert_eq!(substitute("var(--missing)", &vars), None);
        assert_eq!(substitute("var(--loop)", &vars), None);
        assert_eq!(substitute("var(--a", &vars), None);
        // Exponential expansion is bounded.
        let mut bomb = HashMap::new();
        bomb.insert("--l0".to_string(), "xxxxxxxxxx".to_string());
        for i in 1..40 {
            bomb.insert(
                format!("--l{i}"),
                format!("var(--l{}) var(--l{})", i - 1, i - 1),
            );
        }
        assert_eq!(substitute("var(--l39)", &bomb), None);
        // References are replaced in one pass, text between them kept; each counts one level.
        assert_eq!(
            substitute("a var(--a) b VAR(--b) c var(--x,  1px ) d", &vars).as_deref(),
            Some("a #fff b #fff c 1px d")
        );
        let refs = |n: usize| vec!["var(--a)"; n].join(" ");
        assert_eq!(
            substitute(&refs(16), &vars).as_deref(),
            Some(vec!["#fff"; 16].join(" ").as_str())
        );
        assert_eq!(substitute(&refs(17), &vars), None);
        assert_eq!(substitute("var(--a) var(--missing)", &vars), None);
    }

    #[test]
    fn lone_references_are_borrowed_and_agree_with_substitution() {
        let mut vars = HashMap::new();
        vars.insert("--a".to_string(), "#fff".to_string());
        vars.insert("--b".to_string(), "var(--a)".to_string());
        vars.insert("--big".to_string(), "x".repeat(MAX_SUBSTITUTED_LEN + 1));
        for value in [
            "var(--a)",
            "VAR( --a )",
            "var(--b)",
            "var(--missing)",
            "var(--missing, #000)",
            "var(--a, #000)",
            " var(--a)",
            "var(--a) ",
            "var(--a) 1px",
            "1px var(--a)",
            "var(--a",
            "var(--big)",
            "var()",
        ] {
            let cow = substitute_cow(value, &vars);
            assert_eq!(
                cow.as_deref(),
                substitute(value, &vars).as_deref(),
                "{value}"
            );
            let borrowed = matches!(cow, Some(Cow::Borrowed(_)));
            assert_eq!(
                borrowed,
                matches!(value, "var(--a)" | "VAR( --a )"),
                "{value}"
            );
        }
    }

    #[test]
    fn background_shorthand() {
        let b = parse_background("#000 no-repeat -20px -20px url('x.jpeg')");
        assert_eq!(b.image, Some("image"));
        assert!(matches!(b.color, Ok(Some(ColorValue::Rgba(c))) if c == Rgba::BLACK));
        let b = parse_background("linear-gradient(to right, #FFF, #00F)");
        assert_eq!(b.image, Some("dégradé"));
        let b = parse_background("white");
        assert!(b.image.is_none() && matches!(b.color, Ok(Some(_))));
        let b = parse_background("color-mix(in srgb, red, blue)");
        assert!(b.color.is_err());
        assert!(clip_hides(Some("rect(0 0 0 0)"), None));
        assert!(clip_hides(Some("rect(1px, 1px, 1px, 1px)"), None));
        assert!(clip_hides(None, Some("inset(50%)")));
        assert!(!clip_hides(Some("auto"), Some("none")));
    }

    #[test]
    fn gradient_colour_stops() {
        let s = gradient_stops("linear-gradient(to right, #FFF, #00F 80%)").expect("stops");
        assert_eq!(s.len(), 2);
        let s =
            gradient_stops("radial-gradient(circle at center, red 0, rgba(0,0,0,.5) 50%, blue)");
        assert_eq!(s.map(|v| v.len()), Some(3));
        assert!(gradient_stops("linear-gradient(red, blue), url(x.png)").is_none());
        assert!(
            gradient_stops("linear-gradient(90deg, color-mix(in srgb, red, blue), red)").is_none()
        );
        assert!(gradient_stops("linear-gradient(red)").is_none());
    }

    #[test]
    fn neutral_shadows() {
        assert!(shadow_is_neutral("0 0 0 #000"));
        assert!(shadow_is_neutral("0px 0px black"));
        assert!(shadow_is_neutral("2px 2px 4px transparent"));
        assert!(shadow_is_neutral("1px 1px rgba(0, 0, 0, 0), 0 0 0 red"));
        assert!(!shadow_is_neutral("1px 1px 2px #000"));
        assert!(!shadow_is_neutral("0 0 3px rgb(0 0 0 / 50%)"));
        assert!(!shadow_is_neutral("0 0 0 red, 1px 0 white"));
        assert!(filter_is_neutral_shadow("drop-shadow(0 0 0 #000)"));
        assert!(!filter_is_neutral_shadow("drop-shadow(2px 2px 2px #000)"));
        assert!(!filter_is_neutral_shadow("grayscale(1)"));
        assert!(filter_is_drop_shadow(
            "drop-shadow(0 1px 3px rgba(0, 0, 18, .16))"
        ));
        assert!(!filter_is_drop_shadow(
            "drop-shadow(0 1px 3px #000) blur(2px)"
        ));
    }
}
