//! Contrast read on the rendered pixels, for the texts the static cascade may leave undecided
//! (`pixels.js` picks them before the DOM is read; see [`PixelFacts`]).
//!
//! Each text box is photographed three times: text shown (twice: an area that changes by
//! itself is not judged), then with the element's own text made transparent — its colour,
//! fill and stroke, not its `text-shadow`: a shadow or halo is part of what the glyphs stand
//! out against, as in ACT afw4f7 (a white halo lets dark text on mid-grey pass; grey shadows
//! around grey text make it fail). The pixels that differ are the glyphs; the pixels of the
//! hidden-text photo within [`RING`] px of a glyph, and not glyphs themselves, are the
//! background actually around them (the gradient or image where the letters are, the shadow
//! where it reaches). The text colour is the browser's computed fill with its opacity,
//! composed over each background pixel, checked against the glyphs' own pixels; when the
//! painted colour is another (a filter, a blend mode), the glyphs' dominant colour is used,
//! and with neither the measure is unreliable.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::shots::{capture_png, decode_png, Clip, Image, View};
use crate::css::{contrast_ratio, Rgba};
use crate::page::browser::{PixelFacts, TextPixels};

/// The helpers installed in the tab (`window.__vigiePixels`), after `walk.js`.
pub(super) const PIXELS_JS: &str = include_str!("pixels.js");

/// Time for all the texts of a page; texts left over keep the static answer.
const BUDGET: Duration = Duration::from_secs(5);
/// Distance, in pixels, at which a background pixel counts as around a glyph.
const RING: i64 = 1;
/// Pixels around the text box photographed, so the ring of the outer glyphs is in the photo.
const PAD: f64 = 3.0;
/// A text box larger than this (CSS px²) is not photographed (a page-long text).
const MAX_AREA: f64 = 2_000_000.0;
/// Fewer glyph pixels than this: anti-aliasing only (tiny or nearly invisible text).
const MIN_GLYPHS: usize = 12;
/// Share of the ring ignored at each end of the contrast range (a stray pixel of an image).
const TAIL: f64 = 0.05;

/// A candidate as `pixels.js` describes it.
#[derive(Debug, Deserialize)]
pub(super) struct Candidate {
    #[serde(rename = "ref")]
    mark: u32,
    shadow: bool,
    why: String,
    #[serde(default)]
    font_size: Option<f64>,
    #[serde(default)]
    font_weight: Option<u16>,
    #[serde(default)]
    text: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Init {
    candidates: Vec<Candidate>,
    shadow_texts: u32,
    complete: bool,
}

#[derive(Debug, Deserialize)]
struct Placed {
    rect: [f64; 4],
    off: bool,
    clipped: bool,
    /// The fill colour as computed, `[r, g, b, a]` with the ancestors' opacity in `a`.
    color: Option<[f64; 4]>,
    /// Where the window stood (the text brought into it when it fits).
    #[serde(default)]
    view: Option<View>,
}

async fn eval<T: serde::de::DeserializeOwned>(page: &chromiumoxide::Page, js: &str) -> Option<T> {
    page.evaluate(js).await.ok()?.into_value().ok()
}

/// Install the helpers and mark the candidates (before the DOM is serialised).
pub(super) async fn prepare(page: &chromiumoxide::Page) -> Option<Init> {
    let _: bool = eval(page, PIXELS_JS).await?;
    eval(page, "window.__vigiePixels.init()").await
}

/// Photograph and read each candidate, within the page's pixel budget.
pub(super) async fn measure(page: &chromiumoxide::Page, init: Init) -> PixelFacts {
    let start = Instant::now();
    // No transition between the photos with the text shown and hidden.
    let _: Option<bool> = eval(page, "window.__vigie.quiet()").await;
    let mut facts = PixelFacts {
        texts: Vec::new(),
        shadow_texts: init.shadow_texts,
        complete: init.complete,
    };
    for (i, c) in init.candidates.into_iter().enumerate() {
        if start.elapsed() > BUDGET {
            facts.complete = false;
            break;
        }
        let mut t = TextPixels {
            mark: c.mark,
            shadow: c.shadow,
            why: c.why,
            text: c.text,
            font_size: c.font_size,
            font_weight: c.font_weight,
            ..TextPixels::default()
        };
        match read_one(page, i).await {
            Ok(m) => {
                t.foreground = Some(m.foreground.to_hex());
                t.background_low = Some(m.low.1.to_hex());
                t.background_high = Some(m.high.1.to_hex());
                t.ratio_low = m.low.0;
                t.ratio_high = m.high.0;
                t.glyph_pixels = m.glyphs as u32;
            }
            Err(why) => t.unreliable = Some(why.to_string()),
        }
        facts.texts.push(t);
    }
    let _: Option<bool> = eval(page, "window.__vigiePixels.show()").await;
    facts
}

async fn read_one(page: &chromiumoxide::Page, i: usize) -> Result<Measured, &'static str> {
    let placed: Option<Placed> =
        eval(page, &format!("window.__vigiePixels.rect({i}, {PAD})")).await;
    let placed = placed.ok_or("texte non peint (masqué ou sans boîte)")?;
    if placed.off {
        return Err("texte hors de la page");
    }
    if placed.clipped {
        return Err("texte découpé par un ancêtre (overflow)");
    }
    let [x, y, w, h] = placed.rect;
    let clip = Clip {
        x: (x - PAD).max(0.0).floor(),
        y: (y - PAD).max(0.0).floor(),
        width: (w + 2.0 * PAD).ceil(),
        height: (h + 2.0 * PAD).ceil(),
    };
    if clip.width * clip.height > MAX_AREA {
        return Err("zone de texte trop grande pour être photographiée");
    }
    let shown = capture_png(page, clip, placed.view).await;
    let again = capture_png(page, clip, placed.view).await;
    let hid: Option<bool> = eval(page, &format!("window.__vigiePixels.hide({i})")).await;
    let hidden = if hid == Some(true) {
        capture_png(page, clip, placed.view).await
    } else {
        None
    };
    let _: Option<bool> = eval(page, "window.__vigiePixels.show()").await;
    let (shown, again, hidden) = match (shown, again, hidden) {
        (Some(a), Some(b), Some(c)) => (a, b, c),
        _ => return Err("capture d'écran impossible"),
    };
    if shown != again {
        return Err("zone animée : les pixels changent d'eux-mêmes");
    }
    let (Some(shown), Some(hidden)) = (decode_png(&shown), decode_png(&hidden)) else {
        return Err("capture d'écran illisible");
    };
    analyse(&shown, &hidden, placed.color)
}

/// What the pixels say: the text colour and the (lowest, highest) contrast with the
/// background around the glyphs, each with that background colour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    pub foreground: Rgba,
    pub low: (f64, Rgba),
    pub high: (f64, Rgba),
    pub glyphs: usize,
}

fn rgb(p: [u8; 3]) -> Rgba {
    Rgba {
        r: f64::from(p[0]),
        g: f64::from(p[1]),
        b: f64::from(p[2]),
        a: 1.0,
    }
}

/// `fg` (with its alpha) painted over the opaque `bg`.
fn over(fg: [f64; 4], bg: [u8; 3]) -> [f64; 3] {
    let a = fg[3].clamp(0.0, 1.0);
    [0, 1, 2].map(|i| fg[i] * a + f64::from(bg[i]) * (1.0 - a))
}

/// Compare the photos with the text shown and hidden (same size).
pub(crate) fn analyse(
    shown: &Image,
    hidden: &Image,
    color: Option<[f64; 4]>,
) -> Result<Measured, &'static str> {
    if shown.width != hidden.width || shown.height != hidden.height {
        return Err("captures de tailles différentes");
    }
    let (w, h) = (shown.width as i64, shown.height as i64);
    let at = |x: i64, y: i64| (y * w + x) as usize;
    let glyph: Vec<bool> = shown
        .pixels
        .iter()
        .zip(&hidden.pixels)
        .map(|(a, b)| (0..3).any(|i| a[i].abs_diff(b[i]) > 8))
        .collect();
    let glyphs = glyph.iter().filter(|g| **g).count();
    if glyphs < MIN_GLYPHS {
        return Err("trop peu de pixels de texte (anticrénelage seul)");
    }
    // The colour the text is painted in: the computed one when the glyphs' fully covered
    // pixels show it, else their dominant colour.
    let mut matched = 0usize;
    let mut counts: std::collections::HashMap<[u8; 3], usize> = Default::default();
    for (i, g) in glyph.iter().enumerate() {
        if !*g {
            continue;
        }
        if let Some(c) = color {
            let expected = over(c, hidden.pixels[i]);
            if (0..3).all(|k| (expected[k] - f64::from(shown.pixels[i][k])).abs() <= 3.0) {
                matched += 1;
            }
        }
        *counts.entry(shown.pixels[i]).or_default() += 1;
    }
    let fill: [f64; 4] = match color {
        Some(c) if matched * 20 >= glyphs && matched >= 4 => c,
        _ => {
            let (mode, n) = counts
                .iter()
                .max_by_key(|(c, n)| (**n, **c))
                .map(|(c, n)| (*c, *n))
                .ok_or("aucun pixel de texte")?;
            if n * 7 < glyphs {
                return Err("couleur du texte non uniforme à l'écran (filtre, dégradé ou image dans le texte)");
            }
            [
                f64::from(mode[0]),
                f64::from(mode[1]),
                f64::from(mode[2]),
                1.0,
            ]
        }
    };
    // The background right around the glyphs.
    let mut ring: Vec<(f64, [u8; 3])> = Vec::new();
    for y in 0..h {
        for x in 0..w {
            if glyph[at(x, y)] {
                continue;
            }
            let near = (-RING..=RING).any(|dy| {
                (-RING..=RING).any(|dx| {
                    let (nx, ny) = (x + dx, y + dy);
                    nx >= 0 && ny >= 0 && nx < w && ny < h && glyph[at(nx, ny)]
                })
            });
            if near {
                let bg = hidden.pixels[at(x, y)];
                let fg = over(fill, bg);
                let fg = Rgba {
                    r: fg[0],
                    g: fg[1],
                    b: fg[2],
                    a: 1.0,
                };
                ring.push((contrast_ratio(fg, rgb(bg)), bg));
            }
        }
    }
    if ring.is_empty() {
        return Err("aucun arrière-plan visible autour du texte");
    }
    ring.sort_by(|a, b| a.0.total_cmp(&b.0));
    let tail = ((ring.len() as f64) * TAIL) as usize;
    let low = ring[tail.min(ring.len() - 1)];
    let high = ring[ring.len() - 1 - tail.min(ring.len() - 1)];
    let foreground = {
        let f = over(fill, high.1);
        Rgba {
            r: f[0].round(),
            g: f[1].round(),
            b: f[2].round(),
            a: 1.0,
        }
    };
    Ok(Measured {
        foreground,
        low: (low.0, rgb(low.1)),
        high: (high.0, rgb(high.1)),
        glyphs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(width: usize, height: usize, f: impl Fn(usize, usize) -> [u8; 3]) -> Image {
        let mut pixels = Vec::new();
        for y in 0..height {
            for x in 0..width {
                pixels.push(f(x, y));
            }
        }
        Image {
            width,
            height,
            pixels,
        }
    }

    #[test]
    fn glyphs_on_a_uniform_background_give_its_contrast() {
        let bg = [255, 255, 255];
        let hidden = image(40, 20, |_, _| bg);
        let shown = image(40, 20, |x, y| {
            if (10..30).contains(&x) && (5..15).contains(&y) && x % 3 == 0 {
                [0x77, 0x77, 0x77]
            } else {
                bg
            }
        });
        let m = analyse(&shown, &hidden, Some([119.0, 119.0, 119.0, 1.0])).expect("measured");
        assert!((m.low.0 - 4.48).abs() < 0.01, "{m:?}");
        assert!((m.high.0 - 4.48).abs() < 0.01, "{m:?}");
        assert_eq!(m.foreground.to_hex(), "#777777");
    }

    #[test]
    fn a_lone_changed_pixel_is_not_text() {
        let hidden = image(10, 10, |_, _| [0, 0, 0]);
        let shown = image(
            10,
            10,
            |x, y| if x == 5 && y == 5 { [255; 3] } else { [0; 3] },
        );
        assert!(analyse(&shown, &hidden, None).is_err());
    }
}
