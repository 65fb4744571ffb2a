//! Elements that CSS turns differently in portrait and in landscape (ACT b33eff, WCAG 1.3.4).
//!
//! The stylesheets are parsed a second time keeping the rules of both orientations
//! ([`ParsedCss::for_orientations`]); only the properties that turn an element (`transform`,
//! `rotate`, and `scale`, which can mirror it) are cascaded, once per orientation, for the
//! elements they match. An element is reported when, in at least one orientation, its winning
//! `transform` (with `rotate`, `rotate3d`, `rotateZ`, `matrix` or `matrix3d`) or `rotate`
//! declaration comes from a rule that holds in one orientation only. Its turn around the Z axis
//! is then computed in each orientation from the composed matrix; what cannot be computed
//! (`calc()`, `var()`, perspective, skew or non-uniform scale, an `@media` naming
//! `orientation` that cannot be evaluated, a selector that cannot be evaluated) is said, never
//! guessed. Visibility is left to the caller.
//!
//! Pages whose stylesheets never name `orientation` cost one byte scan.

use crate::page::Attribute;
use ego_tree::NodeId;
use scraper::ElementRef;
use selectors::context::SelectorCaches;
use selectors::parser::Selector;

use super::cascade::priority;
use super::media::{self, MediaMatch, Orientation};
use super::select::compile_list;
use super::sheet::{parse_declarations, Declaration, ParsedCss, LANDSCAPE, PORTRAIT, UNDECIDED};
use crate::page::{Page, SheetsMemo};

const BOTH: u8 = LANDSCAPE | PORTRAIT;
/// Properties cascaded here: what turns or mirrors an element.
const PROPS: [&str; 3] = ["transform", "rotate", "scale"];

/// One element whose turn depends on the orientation.
#[derive(Debug, Clone)]
pub struct Turned {
    pub node: NodeId,
    /// The declaration that makes it applicable (`transform: rotate(90deg)`), as written.
    pub declaration: String,
    pub turn: Turn,
}

/// The element's turn in each orientation, or why it cannot be computed.
#[derive(Debug, Clone, PartialEq)]
pub enum Turn {
    /// Clockwise turns around the Z axis, in degrees in (-180, 180], and the turn of the
    /// element from one orientation to the other, in degrees in [0, 180) (a half turn keeps
    /// the orientation, so only the turn modulo 180° matters).
    Angles {
        landscape: f64,
        portrait: f64,
        relative: f64,
    },
    Unknown(String),
}

/// Every element whose `transform` or `rotate` is applied conditionally on the orientation, in
/// document order.
pub fn conditional_turns(page: &Page) -> Vec<Turned> {
    // Whether any sheet names the orientation: known once per set of sheets (a site's pages
    // share theirs, and the scan of a big sheet was a twentieth of a page).
    static NAMED: SheetsMemo<bool> = SheetsMemo::new(8, 8 << 20);
    let named = NAMED.get(&page.stylesheets, || {
        page.stylesheets.iter().any(|s| {
            names_orientation(&s.text) || s.media.as_deref().is_some_and(names_orientation)
        })
    });
    if !*named {
        return Vec::new();
    }
    let mut css = ParsedCss::for_orientations();
    for (i, sheet) in page.stylesheets.iter().enumerate() {
        let mask = match sheet.media.as_deref() {
            None => BOTH,
            Some(m) => match (
                media::evaluate_in(m, Orientation::Landscape),
                media::evaluate_in(m, Orientation::Portrait),
            ) {
                (MediaMatch::Unknown(_), _) | (_, MediaMatch::Unknown(_)) => {
                    if names_orientation(m) {
                        BOTH | UNDECIDED
                    } else {
                        continue;
                    }
                }
                (l, p) => {
                    (if l == MediaMatch::Yes { LANDSCAPE } else { 0 })
                        | (if p == MediaMatch::Yes { PORTRAIT } else { 0 })
                }
            },
        };
        if mask & BOTH != 0 {
            css.add_sheet_in(&sheet.text, i, mask);
        }
    }
    let entries = entries(&css);
    // Only rules that hold in one orientation (or may) can make an element applicable.
    if !entries
        .iter()
        .any(|e| conditional(css.rules[e.rule].orientations))
    {
        return Vec::new();
    }
    let mut caches = SelectorCaches::default();
    let mut out = Vec::new();
    for node in page.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let mut decls: Vec<Candidate<'_>> = Vec::new();
        let mut doubt: Option<String> = None;
        for e in &entries {
            if !matches(&e.selector, el, &mut caches) {
                continue;
            }
            let rule = &css.rules[e.rule];
            if let Some((name, if_false)) = &e.uncertain {
                let certain = if_false
                    .as_ref()
                    .is_some_and(|s| matches(s, el, &mut caches));
                if !certain {
                    doubt.get_or_insert_with(|| {
                        format!(
                            "une règle au sélecteur non évaluable ({name}) peut tourner l'élément"
                        )
                    });
                    continue;
                }
            }
            for (di, d) in rule.declarations.iter().enumerate() {
                if PROPS.contains(&d.name.as_str()) {
                    decls.push(Candidate {
                        decl: d,
                        orientations: rule.orientations,
                        prio: priority(
                            false,
                            false,
                            d.important,
                            rule.layer,
                            e.specificity,
                            e.rule as u32,
                            di as u32,
                        ),
                    });
                }
            }
        }
        if decls.is_empty() {
            continue;
        }
        let inline: Vec<Declaration> = el
            .value()
            .attribute("style")
            .map(parse_declarations)
            .unwrap_or_default();
        for (di, d) in inline.iter().enumerate() {
            if PROPS.contains(&d.name.as_str()) {
                decls.push(Candidate {
                    decl: d,
                    orientations: BOTH,
                    prio: priority(false, true, d.important, u32::MAX, 0, u32::MAX, di as u32),
                });
            }
        }
        if let Some(t) = judge(&decls, doubt) {
            out.push(Turned {
                node: node.id(),
                declaration: t.0,
                turn: t.1,
            });
        }
    }
    out
}

fn names_orientation(text: &str) -> bool {
    crate::format::find_ignore_ascii_case(text, "orientation").is_some()
}

/// Holds in one orientation only, or under a condition naming orientation that we could not
/// evaluate.
fn conditional(orientations: u8) -> bool {
    orientations & UNDECIDED != 0 || orientations & BOTH != BOTH
}

struct Entry {
    rule: usize,
    selector: Selector<scraper::selector::Simple>,
    specificity: u32,
    uncertain: Option<(String, Option<Selector<scraper::selector::Simple>>)>,
}

/// Compiled selectors of the rules that set one of [`PROPS`].
fn entries(css: &ParsedCss) -> Vec<Entry> {
    let mut out = Vec::new();
    for (ri, rule) in css.rules.iter().enumerate() {
        if !rule
            .declarations
            .iter()
            .any(|d| PROPS.contains(&d.name.as_str()))
        {
            continue;
        }
        let Ok(list) = compile_list(&rule.selector_text) else {
            continue;
        };
        for c in list {
            out.push(Entry {
                rule: ri,
                selector: c.selector,
                specificity: c.specificity,
                uncertain: c.uncertain,
            });
        }
    }
    out
}

fn matches(
    selector: &Selector<scraper::selector::Simple>,
    el: ElementRef<'_>,
    caches: &mut SelectorCaches,
) -> bool {
    crate::page::matches(selector, None, el, None, caches)
}

struct Candidate<'a> {
    decl: &'a Declaration,
    orientations: u8,
    prio: (u8, u32, u32, u32, u32),
}

/// The winning value of `property` in one orientation (invalid values are dropped, as browsers
/// do), whether it comes from a rule that holds in one orientation only, and its matrix, or why
/// the winning value cannot be computed.
type Won<'a> = Option<(&'a Declaration, bool, Result<Linear, String>)>;

fn winner<'a>(decls: &[Candidate<'a>], property: &str, orientation: u8) -> Won<'a> {
    let mut live: Vec<&Candidate<'a>> = decls
        .iter()
        .filter(|c| {
            c.decl.name == property
                && c.orientations & orientation != 0
                && c.orientations & UNDECIDED == 0
        })
        .collect();
    live.sort_by_key(|c| std::cmp::Reverse(c.prio));
    live.into_iter().find_map(|c| {
        let m = match parse_property(property, &c.decl.value) {
            Ok(m) => Ok(m),
            Err(Bad::Invalid) => return None,
            Err(Bad::Unknown(why)) => Err(format!("{why} (« {} »)", shown(c.decl))),
        };
        Some((c.decl, conditional(c.orientations), m))
    })
}

/// Whether a declaration is one the ACT rule looks at: `rotate`, or `transform` with a
/// function that can turn the element.
fn turning(d: &Declaration) -> bool {
    if d.name == "rotate" {
        return true;
    }
    if d.name != "transform" {
        return false;
    }
    let v = d.value.to_ascii_lowercase();
    ["rotate(", "rotate3d(", "rotatez(", "matrix(", "matrix3d("]
        .iter()
        .any(|f| v.contains(f))
}

/// The element's declaration that makes it applicable and its turns, or `None` when not
/// applicable.
fn judge(decls: &[Candidate<'_>], doubt: Option<String>) -> Option<(String, Turn)> {
    // A rule under an undecidable orientation query that would turn the element.
    if let Some(c) = decls
        .iter()
        .find(|c| c.orientations & UNDECIDED != 0 && may_turn(c.decl))
    {
        return Some((
            shown(c.decl),
            Turn::Unknown(
                "une requête média qui nomme l'orientation n'a pas pu être évaluée".to_string(),
            ),
        ));
    }
    let mut applicable: Option<String> = None;
    let mut turns: Vec<Result<f64, String>> = Vec::new();
    for o in [LANDSCAPE, PORTRAIT] {
        let mut m: Result<Linear, String> = Ok(Linear::identity());
        // CSS order: `rotate`, then `scale`, then `transform`.
        for p in ["rotate", "scale", "transform"] {
            if let Some((d, cond, lin)) = winner(decls, p, o) {
                if cond && may_turn(d) && applicable.is_none() {
                    applicable = Some(shown(d));
                }
                m = match (m, lin) {
                    (Ok(a), Ok(b)) => Ok(a.then(&b)),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                };
            }
        }
        turns.push(m.and_then(|m| m.z_turn()));
    }
    let declaration = applicable?;
    if let Some(why) = doubt {
        return Some((declaration, Turn::Unknown(why)));
    }
    let turn = match (&turns[0], &turns[1]) {
        (Ok(l), Ok(p)) => Turn::Angles {
            landscape: *l,
            portrait: *p,
            relative: (l - p).rem_euclid(180.0),
        },
        (Err(why), _) | (_, Err(why)) => Turn::Unknown(why.clone()),
    };
    Some((declaration, turn))
}

/// A turning declaration, or one whose value is only known in a browser.
fn may_turn(d: &Declaration) -> bool {
    turning(d) || computed_in_browser(d)
}

/// A value that `var()`, `env()` or `attr()` leaves to the browser.
fn computed_in_browser(d: &Declaration) -> bool {
    ["var(", "env(", "attr("]
        .iter()
        .any(|f| crate::format::find_ignore_ascii_case(&d.value, f).is_some())
}

fn shown(d: &Declaration) -> String {
    format!(
        "{}: {}{}",
        d.name,
        d.value,
        if d.important { " !important" } else { "" }
    )
}

/// The linear part of a 3D transform (translations do not turn anything), `m[row][col]`, in
/// CSS coordinates (y down, so a positive angle turns clockwise on screen).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Linear([[f64; 3]; 3]);

impl Linear {
    fn identity() -> Linear {
        Linear([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    }

    /// `self` then `next` in CSS list order (`a b` means the matrix product A·B).
    fn then(&self, next: &Linear) -> Linear {
        let (a, b) = (&self.0, &next.0);
        let mut m = [[0.0; 3]; 3];
        for (r, row) in m.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                *cell = (0..3).map(|k| a[r][k] * b[k][c]).sum();
            }
        }
        Linear(m)
    }

    fn rotation(axis: [f64; 3], degrees: f64) -> Linear {
        let n = (axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]).sqrt();
        if n == 0.0 || !n.is_finite() {
            return Linear::identity();
        }
        let [x, y, z] = [axis[0] / n, axis[1] / n, axis[2] / n];
        let (s, c) = degrees.to_radians().sin_cos();
        let t = 1.0 - c;
        Linear([
            [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
            [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
            [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
        ])
    }

    fn scale(x: f64, y: f64, z: f64) -> Linear {
        Linear([[x, 0.0, 0.0], [0.0, y, 0.0], [0.0, 0.0, z]])
    }

    fn skew(ax: f64, ay: f64) -> Linear {
        Linear([
            [1.0, ax.to_radians().tan(), 0.0],
            [ay.to_radians().tan(), 1.0, 0.0],
            [0.0, 0.0, 1.0],
        ])
    }

    /// The turn around the Z axis of what the element shows on screen (the plane z = 0
    /// flattened), in degrees in (-180, 180]: defined only when that flat image is turned
    /// and uniformly scaled, not mirrored, skewed or squashed.
    pub fn z_turn(&self) -> Result<f64, String> {
        let m = &self.0;
        let (a, b, c, d) = (m[0][0], m[1][0], m[0][1], m[1][1]);
        let scale = (a * a + b * b).sqrt();
        if !scale.is_finite() || scale < 1e-9 {
            return Err("l'élément est réduit à rien (échelle nulle)".to_string());
        }
        // Hand-written matrices are rounded: a relative tolerance.
        let tol = 1e-3 * scale;
        if (a - d).abs() > tol || (b + c).abs() > tol {
            return Err("la transformation déforme, retourne ou incline l'élément (inclinaison, échelle non uniforme, rotation hors du plan) : angle à vérifier".to_string());
        }
        let mut deg = b.atan2(a).to_degrees();
        if deg <= -180.0 {
            deg += 360.0;
        }
        Ok(deg)
    }
}

/// Why a value gave no matrix.
#[derive(Debug, PartialEq)]
enum Bad {
    /// Invalid CSS: the browser drops the declaration.
    Invalid,
    /// Valid but not computable statically.
    Unknown(String),
}

fn parse_property(property: &str, value: &str) -> Result<Linear, Bad> {
    let v = value.trim().to_ascii_lowercase();
    for f in ["var(", "env(", "attr(", "calc(", "min(", "max(", "clamp("] {
        if v.contains(f) {
            return Err(Bad::Unknown(format!(
                "valeur calculée ({}…) non évaluée sans navigateur",
                f.trim_end_matches('(')
            )));
        }
    }
    if matches!(
        v.as_str(),
        "none" | "initial" | "unset" | "revert" | "revert-layer"
    ) {
        return Ok(Linear::identity());
    }
    if v == "inherit" {
        return Err(Bad::Unknown("valeur héritée (inherit)".to_string()));
    }
    match property {
        "transform" => parse_transform(&v),
        "rotate" => parse_rotate(&v),
        "scale" => parse_scale(&v),
        _ => Err(Bad::Invalid),
    }
}

fn parse_transform(v: &str) -> Result<Linear, Bad> {
    let mut m = Linear::identity();
    let mut rest = v.trim();
    if rest.is_empty() {
        return Err(Bad::Invalid);
    }
    while !rest.is_empty() {
        let open = rest.find('(').ok_or(Bad::Invalid)?;
        let close = rest.find(')').ok_or(Bad::Invalid)?;
        if close < open {
            return Err(Bad::Invalid);
        }
        let name = rest[..open].trim();
        let args = &rest[open + 1..close];
        m = m.then(&function(name, args)?);
        rest = rest[close + 1..].trim_start();
    }
    Ok(m)
}

/// Arguments of a transform function: comma-separated (space-separated tolerated).
fn args(text: &str) -> Vec<&str> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .collect()
}

fn function(name: &str, raw: &str) -> Result<Linear, Bad> {
    let a = args(raw);
    let count = |n: &[usize]| {
        if n.contains(&a.len()) {
            Ok(())
        } else {
            Err(Bad::Invalid)
        }
    };
    let num = |i: usize| number(a[i]).ok_or(Bad::Invalid);
    let ang = |i: usize| angle(a[i]);
    match name {
        "matrix" => {
            count(&[6])?;
            let [ma, mb, mc, md] = [num(0)?, num(1)?, num(2)?, num(3)?];
            Ok(Linear([[ma, mc, 0.0], [mb, md, 0.0], [0.0, 0.0, 1.0]]))
        }
        "matrix3d" => {
            count(&[16])?;
            let v: Vec<f64> = (0..16).map(num).collect::<Result<_, _>>()?;
            // Column-major; a perspective row makes the flat image projective.
            if v[3] != 0.0 || v[7] != 0.0 || v[11] != 0.0 || v[15] <= 0.0 {
                return Err(Bad::Unknown(
                    "matrix3d avec perspective : angle non calculé".to_string(),
                ));
            }
            let k = 1.0 / v[15];
            Ok(Linear([
                [v[0] * k, v[4] * k, v[8] * k],
                [v[1] * k, v[5] * k, v[9] * k],
                [v[2] * k, v[6] * k, v[10] * k],
            ]))
        }
        "rotate" | "rotatez" => {
            count(&[1])?;
            Ok(Linear::rotation([0.0, 0.0, 1.0], ang(0)?))
        }
        "rotatex" => {
            count(&[1])?;
            Ok(Linear::rotation([1.0, 0.0, 0.0], ang(0)?))
        }
        "rotatey" => {
            count(&[1])?;
            Ok(Linear::rotation([0.0, 1.0, 0.0], ang(0)?))
        }
        "rotate3d" => {
            count(&[4])?;
            Ok(Linear::rotation([num(0)?, num(1)?, num(2)?], ang(3)?))
        }
        "translate" | "translatex" | "translatey" | "translatez" | "translate3d" => {
            count(match name {
                "translate" => &[1, 2],
                "translate3d" => &[3],
                _ => &[1],
            })?;
            Ok(Linear::identity())
        }
        "scale" | "scalex" | "scaley" | "scalez" | "scale3d" => {
            count(match name {
                "scale" => &[1, 2],
                "scale3d" => &[3],
                _ => &[1],
            })?;
            let s: Vec<f64> = (0..a.len())
                .map(|i| factor(a[i]).ok_or(Bad::Invalid))
                .collect::<Result<_, _>>()?;
            Ok(match name {
                "scale" => Linear::scale(s[0], *s.get(1).unwrap_or(&s[0]), 1.0),
                "scalex" => Linear::scale(s[0], 1.0, 1.0),
                "scaley" => Linear::scale(1.0, s[0], 1.0),
                "scalez" => Linear::scale(1.0, 1.0, s[0]),
                _ => Linear::scale(s[0], s[1], s[2]),
            })
        }
        "skew" | "skewx" | "skewy" => {
            count(if name == "skew" { &[1, 2] } else { &[1] })?;
            let x = ang(0)?;
            Ok(match name {
                "skew" => Linear::skew(x, if a.len() == 2 { ang(1)? } else { 0.0 }),
                "skewx" => Linear::skew(x, 0.0),
                _ => Linear::skew(0.0, x),
            })
        }
        "perspective" => {
            count(&[1])?;
            Err(Bad::Unknown(
                "perspective : angle apparent non calculé".to_string(),
            ))
        }
        _ => Err(Bad::Invalid),
    }
}

/// `rotate` property: `<angle>`, an axis (`x`, `y`, `z` or three numbers) and an angle.
fn parse_rotate(v: &str) -> Result<Linear, Bad> {
    let words: Vec<&str> = v.split_whitespace().collect();
    let (angles, axis): (Vec<&str>, Vec<&str>) = words
        .iter()
        .partition(|w| angle(w).is_ok() && !(number(w).is_some() && words.len() == 4));
    // Four words: three numbers and an angle (which may itself be written `0`).
    let (axis, deg) = match (words.len(), angles.len()) {
        (1, 1) => ([0.0, 0.0, 1.0], angle(angles[0])?),
        (2, 1) => (
            match axis[0] {
                "x" => [1.0, 0.0, 0.0],
                "y" => [0.0, 1.0, 0.0],
                "z" => [0.0, 0.0, 1.0],
                _ => return Err(Bad::Invalid),
            },
            angle(angles[0])?,
        ),
        (4, 1) if axis.len() == 3 => {
            let n: Vec<f64> = axis
                .iter()
                .map(|w| number(w).ok_or(Bad::Invalid))
                .collect::<Result<_, _>>()?;
            ([n[0], n[1], n[2]], angle(angles[0])?)
        }
        _ => return Err(Bad::Invalid),
    };
    Ok(Linear::rotation(axis, deg))
}

/// `scale` property: one to three factors.
fn parse_scale(v: &str) -> Result<Linear, Bad> {
    let f: Vec<f64> = v
        .split_whitespace()
        .map(|w| factor(w).ok_or(Bad::Invalid))
        .collect::<Result<_, _>>()?;
    match f.as_slice() {
        [s] => Ok(Linear::scale(*s, *s, 1.0)),
        [x, y] => Ok(Linear::scale(*x, *y, 1.0)),
        [x, y, z] => Ok(Linear::scale(*x, *y, *z)),
        _ => Err(Bad::Invalid),
    }
}

/// A CSS number and its unit (`1.22465e-15`, `90deg`, `.5turn`, `50%`).
fn split_number(w: &str) -> Option<(f64, &str)> {
    let b = w.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        i += 1;
    }
    if i == digits_start {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let n: f64 = w[..i].parse().ok()?;
    n.is_finite().then_some((n, &w[i..]))
}

fn number(w: &str) -> Option<f64> {
    match split_number(w)? {
        (n, "") => Some(n),
        _ => None,
    }
}

/// A scale factor: a number or a percentage.
fn factor(w: &str) -> Option<f64> {
    match split_number(w)? {
        (n, "") => Some(n),
        (n, "%") => Some(n / 100.0),
        _ => None,
    }
}

/// An angle in degrees; a bare `0` is allowed, as in transform functions.
fn angle(w: &str) -> Result<f64, Bad> {
    let (n, unit) = split_number(w).ok_or(Bad::Invalid)?;
    match unit {
        "deg" => Ok(n),
        "rad" => Ok(n.to_degrees()),
        "grad" => Ok(n * 0.9),
        "turn" => Ok(n * 360.0),
        "" if n == 0.0 => Ok(0.0),
        _ => Err(Bad::Invalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn_of(v: &str) -> Result<f64, String> {
        parse_transform(v)
            .map_err(|e| format!("{e:?}"))
            .and_then(|m| m.z_turn())
    }

    #[test]
    fn turns_of_transform_functions() {
        let close = |v: &str, want: f64| {
            let got = turn_of(v).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert!((got - want).abs() < 1e-3, "{v}: {got} ≠ {want}");
        };
        close("rotate(90deg)", 90.0);
        close("rotate(1.5708rad)", 90.0002);
        close("rotatez(1turn)", 0.0);
        close("rotate(-100grad)", -90.0);
        close("matrix(1, -1.22465e-15, 1.22465e-15, 1, 0, 0)", 0.0);
        close(
            "matrix3d(0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1)",
            -90.0,
        );
        close("rotate3d(0, 0, -1, 90deg)", -90.0);
        close("translatex(100px) rotate(45deg) scale(2)", 45.0);
        close("rotatex(180deg) rotatey(180deg)", 180.0);
        close("rotate(0)", 0.0);
        assert!(turn_of("skewx(10deg)").is_err());
        assert!(turn_of("scale(-1, 1)").is_err());
        assert!(turn_of("rotatex(45deg)").is_err());
        assert_eq!(
            parse_transform("rotatez(0, 0, 1, 270deg)"),
            Err(Bad::Invalid)
        );
        assert_eq!(parse_transform("spin(90deg)"), Err(Bad::Invalid));
        assert_eq!(parse_transform("rotate(90)"), Err(Bad::Invalid));
        assert!(matches!(
            parse_property("transform", "rotate(calc(45deg * 2))"),
            Err(Bad::Unknown(_))
        ));
    }

    #[test]
    fn rotate_property_forms() {
        let z = |v: &str| parse_rotate(v).map(|m| m.z_turn());
        assert_eq!(z("90deg"), Ok(Ok(90.0)));
        assert!(matches!(z("z .25turn"), Ok(Ok(a)) if (a - 90.0).abs() < 1e-9));
        assert!(matches!(z("0 0 1 -90deg"), Ok(Ok(a)) if (a + 90.0).abs() < 1e-9));
        assert!(matches!(z("x 90deg"), Ok(Err(_))));
        assert_eq!(z("sideways"), Err(Bad::Invalid));
    }

    fn page(html: &str) -> Page {
        Page::parse(url::Url::parse("http://o.test/").expect("url"), html)
    }

    fn turns(html: &str) -> Vec<(String, Turn)> {
        let p = page(html);
        conditional_turns(&p)
            .into_iter()
            .map(|t| {
                let el = p
                    .dom
                    .tree
                    .get(t.node)
                    .and_then(ElementRef::wrap)
                    .map(|e| e.value().name().to_string())
                    .unwrap_or_default();
                (el, t.turn)
            })
            .collect()
    }

    use crate::css::Cascaded;

    #[test]
    fn only_orientation_conditional_turns_apply() {
        assert!(turns("<style>body{transform:rotate(90deg)}</style><p>x").is_empty());
        assert!(turns(
            "<style>@media (orientation: portrait){body{transform:translatex(9px)}}</style>"
        )
        .is_empty());
        assert!(turns(
            "<style>@media (min-width: 30em){body{transform:rotate(90deg)}}</style><p>orientation"
        )
        .is_empty());
        let t = turns(
            "<style>body{transform:rotate(2.5deg)} @media (orientation: landscape){body{transform:rotate(92.5deg)}}</style>",
        );
        assert_eq!(t.len(), 1);
        assert!(
            matches!(&t[0], (n, Turn::Angles { relative, .. }) if n == "body" && (relative - 90.0).abs() < 1e-9)
        );
        // A later unconditional rule wins in both orientations: nothing conditional applies.
        assert!(turns(
            "<style>@media (orientation: portrait){html{rotate:90deg}} html{rotate:0deg}</style>"
        )
        .is_empty());
        // Nested media, and a query naming orientation that cannot be evaluated.
        let t = turns(
            "<style>main{@media (orientation: portrait){rotate:-90deg}}</style><main>x</main>",
        );
        assert!(
            matches!(&t[0], (n, Turn::Angles { relative, .. }) if n == "main" && (relative - 90.0).abs() < 1e-9)
        );
        let t = turns("<style>@media (orientation: portrait) and (min-aspect-ratio: 1/2){main{transform:rotate(90deg)}}</style><main>x</main>");
        assert!(matches!(&t[0], (_, Turn::Unknown(_))));
        // The cascade itself still ignores portrait rules.
        let p = page("<style>@media (orientation: portrait){p{display:none}}</style><p>x</p>");
        assert!(p.styles().author_rules().is_empty());
    }
}
