//! Media queries evaluated for a desktop screen (1280×800, light scheme, mouse).

/// Viewport the audit assumes.
pub const VIEWPORT_WIDTH: f64 = 1280.0;
pub const VIEWPORT_HEIGHT: f64 = 800.0;

/// Orientation of the audited viewport: the desktop is landscape; portrait is the same
/// viewport turned a quarter turn only for the `orientation` feature, so that a rule's
/// dependence on orientation alone can be seen (ACT b33eff).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    Landscape,
    Portrait,
}

/// Result of evaluating a media query list.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaMatch {
    Yes,
    No,
    /// A feature we do not evaluate; the rules are skipped and this is noted.
    Unknown(String),
}

/// Evaluate a media query list (`screen and (min-width: 40em), print`).
pub fn evaluate(list: &str) -> MediaMatch {
    evaluate_in(list, Orientation::Landscape)
}

/// Evaluate a media query list with the given `orientation` (every other feature as for the
/// desktop viewport).
pub fn evaluate_in(list: &str, orientation: Orientation) -> MediaMatch {
    let list = list.trim();
    if list.is_empty() {
        return MediaMatch::Yes;
    }
    let mut unknown = None;
    for q in split_top_level(list, ',') {
        match evaluate_query(&q.trim().to_ascii_lowercase(), orientation) {
            MediaMatch::Yes => return MediaMatch::Yes,
            MediaMatch::No => {}
            MediaMatch::Unknown(u) => unknown = Some(u),
        }
    }
    match unknown {
        Some(u) => MediaMatch::Unknown(u),
        None => MediaMatch::No,
    }
}

fn split_top_level(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if c == sep && depth == 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn evaluate_query(q: &str, orientation: Orientation) -> MediaMatch {
    let mut q = q.trim();
    let mut negate = false;
    if let Some(rest) = q.strip_prefix("only ") {
        q = rest.trim();
    } else if let Some(rest) = q.strip_prefix("not ") {
        negate = true;
        q = rest.trim();
    }
    // Split on the word "and" outside parentheses.
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let words: Vec<&str> = q.split_inclusive(char::is_whitespace).collect();
    for w in words {
        for c in w.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
        }
        if depth == 0 && w.trim() == "and" {
            parts.push(std::mem::take(&mut cur));
        } else {
            cur.push_str(w);
        }
    }
    parts.push(cur);
    let mut result = MediaMatch::Yes;
    for p in parts {
        let p = p.trim();
        if p.is_empty() {
            return MediaMatch::Unknown(format!("requête média illisible « {q} »"));
        }
        let r = if let Some(inner) = p.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
            feature(inner.trim(), orientation)
        } else {
            media_type(p)
        };
        match r {
            MediaMatch::No => result = MediaMatch::No,
            MediaMatch::Unknown(u) => {
                if result == MediaMatch::Yes {
                    result = MediaMatch::Unknown(u)
                }
            }
            MediaMatch::Yes => {}
        }
    }
    match (negate, result) {
        (true, MediaMatch::Yes) => MediaMatch::No,
        (true, MediaMatch::No) => MediaMatch::Yes,
        (_, r) => r,
    }
}

fn media_type(t: &str) -> MediaMatch {
    match t {
        "all" | "screen" => MediaMatch::Yes,
        "print" | "speech" | "tty" | "tv" | "projection" | "handheld" | "braille" | "embossed"
        | "aural" => MediaMatch::No,
        other => MediaMatch::Unknown(format!("type de média inconnu « {other} »")),
    }
}

fn length_px(v: &str) -> Option<f64> {
    let v = v.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(v.len());
    let n: f64 = v[..split].parse().ok()?;
    match v[split..].trim() {
        "px" => Some(n),
        "" if n == 0.0 => Some(0.0),
        "em" | "rem" => Some(n * 16.0),
        "pt" => Some(n * 96.0 / 72.0),
        "cm" => Some(n * 96.0 / 2.54),
        "mm" => Some(n * 96.0 / 25.4),
        "in" => Some(n * 96.0),
        _ => None,
    }
}

fn compare(value: f64, op: &str, limit: f64) -> Option<bool> {
    Some(match op {
        "<" => value < limit,
        "<=" => value <= limit,
        ">" => value > limit,
        ">=" => value >= limit,
        "=" => (value - limit).abs() < 1e-9,
        _ => return None,
    })
}

fn yes(b: bool) -> MediaMatch {
    if b {
        MediaMatch::Yes
    } else {
        MediaMatch::No
    }
}

fn feature(f: &str, orientation: Orientation) -> MediaMatch {
    let unknown = || MediaMatch::Unknown(format!("caractéristique média non évaluée « ({f}) »"));
    // Range syntax: (width >= 600px), (400px <= width <= 700px).
    if f.contains('<') || f.contains('>') || (f.contains('=') && !f.contains(':')) {
        return range_feature(f).unwrap_or_else(unknown);
    }
    let (name, value) = match f.split_once(':') {
        Some((n, v)) => (n.trim(), Some(v.trim())),
        None => (f.trim(), None),
    };
    let dim = |n: &str| match n {
        "width" | "device-width" => Some(VIEWPORT_WIDTH),
        "height" | "device-height" => Some(VIEWPORT_HEIGHT),
        _ => None,
    };
    if let Some(v) = value {
        for (prefix, op) in [("min-", ">="), ("max-", "<="), ("", "=")] {
            if let Some(base) = name.strip_prefix(prefix) {
                if let Some(actual) = dim(base) {
                    return match length_px(v).and_then(|l| compare(actual, op, l)) {
                        Some(b) => yes(b),
                        None => unknown(),
                    };
                }
            }
        }
    }
    match (name, value) {
        ("orientation", Some(v)) => yes(match orientation {
            Orientation::Landscape => v == "landscape",
            Orientation::Portrait => v == "portrait",
        }),
        ("prefers-color-scheme", Some(v)) => yes(v == "light"),
        ("prefers-reduced-motion", Some(v)) => yes(v == "no-preference"),
        ("prefers-contrast", Some(v)) => yes(v == "no-preference"),
        ("forced-colors", Some(v)) => yes(v == "none"),
        ("prefers-reduced-transparency", Some(v)) => yes(v == "no-preference"),
        ("inverted-colors", Some(v)) => yes(v == "none"),
        ("hover" | "any-hover", Some(v)) => yes(v == "hover"),
        ("pointer" | "any-pointer", Some(v)) => yes(v == "fine"),
        ("scripting", Some(v)) => yes(v == "enabled"),
        ("display-mode", Some(v)) => yes(v == "browser"),
        (
            "color" | "hover" | "pointer" | "any-hover" | "any-pointer" | "width" | "height",
            None,
        ) => MediaMatch::Yes,
        ("grid", Some(v)) => yes(v == "0"),
        ("monochrome", None) | ("forced-colors" | "inverted-colors", None) => MediaMatch::No,
        ("min-resolution", Some(v)) => match resolution_dppx(v) {
            Some(r) => yes(1.0 >= r),
            None => unknown(),
        },
        ("max-resolution", Some(v)) => match resolution_dppx(v) {
            Some(r) => yes(1.0 <= r),
            None => unknown(),
        },
        ("-webkit-min-device-pixel-ratio" | "min-device-pixel-ratio", Some(v)) => {
            match v.parse::<f64>() {
                Ok(r) => yes(1.0 >= r),
                Err(_) => unknown(),
            }
        }
        ("-webkit-max-device-pixel-ratio" | "max-device-pixel-ratio", Some(v)) => {
            match v.parse::<f64>() {
                Ok(r) => yes(1.0 <= r),
                Err(_) => unknown(),
            }
        }
        _ => unknown(),
    }
}

fn resolution_dppx(v: &str) -> Option<f64> {
    if let Some(n) = v.strip_suffix("dppx").or_else(|| v.strip_suffix('x')) {
        return n.trim().parse().ok();
    }
    if let Some(n) = v.strip_suffix("dpi") {
        return n.trim().parse::<f64>().ok().map(|d| d / 96.0);
    }
    None
}

fn range_feature(f: &str) -> Option<MediaMatch> {
    // Tokenise into operands and operators.
    let mut items: Vec<String> = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = f.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '<' || c == '>' || c == '=' {
            if !cur.trim().is_empty() {
                items.push(cur.trim().to_string());
            }
            cur.clear();
            let mut op = c.to_string();
            if c != '=' && chars.get(i + 1) == Some(&'=') {
                op.push('=');
                i += 1;
            }
            items.push(op);
        } else {
            cur.push(c);
        }
        i += 1;
    }
    if !cur.trim().is_empty() {
        items.push(cur.trim().to_string());
    }
    let value_of = |s: &str| -> Option<f64> {
        match s {
            "width" => Some(VIEWPORT_WIDTH),
            "height" => Some(VIEWPORT_HEIGHT),
            _ => length_px(s),
        }
    };
    if items.len() != 3 && items.len() != 5 {
        return None;
    }
    let mut ok = true;
    let mut k = 0;
    while k + 2 < items.len() {
        let a = value_of(&items[k])?;
        let b = value_of(&items[k + 2])?;
        ok &= compare(a, &items[k + 1], b)?;
        k += 2;
    }
    Some(yes(ok))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_viewport_queries() {
        for q in [
            "",
            "all",
            "screen",
            "only screen and (min-width: 768px)",
            "(max-width: 1400px)",
            "(min-width: 62em)",
            "screen and (orientation: landscape)",
            "print, screen",
            "(width >= 1024px)",
            "(600px <= width <= 1300px)",
            "not print",
            "(prefers-color-scheme: light)",
        ] {
            assert_eq!(evaluate(q), MediaMatch::Yes, "{q}");
        }
        for q in [
            "print",
            "(max-width: 767px)",
            "screen and (max-width: 40em)",
            "(orientation: portrait)",
            "(prefers-color-scheme: dark)",
            "(width < 600px)",
            "not screen",
        ] {
            assert_eq!(evaluate(q), MediaMatch::No, "{q}");
        }
        assert!(matches!(
            evaluate("(min-aspect-ratio: 16/9)"),
            MediaMatch::Unknown(_)
        ));
        assert!(matches!(evaluate("((("), MediaMatch::Unknown(_)));
    }

    #[test]
    fn portrait_flips_only_the_orientation_feature() {
        let p = |q| evaluate_in(q, Orientation::Portrait);
        assert_eq!(p("(orientation: portrait)"), MediaMatch::Yes);
        assert_eq!(p("screen and (orientation: landscape)"), MediaMatch::No);
        assert_eq!(p("(orientation: lanscape)"), MediaMatch::No);
        assert_eq!(p("(min-width: 62em)"), MediaMatch::Yes);
        assert_eq!(p("not all and (orientation: portrait)"), MediaMatch::No);
        assert_eq!(evaluate("(orientation: lanscape)"), MediaMatch::No);
    }
}
