//! Screenshots of a region of the page: lossless PNG for the pixel measures (decoded here, so
//! the audited page's scripts never see or touch the pixels read), and small compressed
//! images of failed elements for the report.

use std::io::Read;

use base64::Engine as _;
use chromiumoxide::cdp::browser_protocol::page::{
    CaptureScreenshotFormat, CaptureScreenshotParams, Viewport,
};

/// A region of the document, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Clip {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The part of the document the window shows, in CSS pixels: `[left, top, width, height]`
/// (`visualViewport`'s page offsets and size, scrollbars excluded).
pub(crate) type View = [f64; 4];

impl Clip {
    /// Whether the whole clip lies in the window: then the screenshot reads the frame as
    /// painted; a clip beyond it needs the page laid out whole (ten times slower).
    pub(crate) fn inside(&self, view: &View) -> bool {
        self.x >= view[0]
            && self.y >= view[1]
            && self.x + self.width <= view[0] + view[2]
            && self.y + self.height <= view[1] + view[3]
    }
}

/// Decoded pixels, row by row (alpha dropped: a screenshot is opaque).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Image {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<[u8; 3]>,
}

/// Largest image decoded, in pixels (a clip is bounded before; this bounds a lying encoder).
const MAX_PIXELS: usize = 4_000_000;

async fn capture(
    page: &chromiumoxide::Page,
    clip: Clip,
    scale: f64,
    format: CaptureScreenshotFormat,
    quality: Option<i64>,
    view: Option<View>,
) -> Option<Vec<u8>> {
    let png = format == CaptureScreenshotFormat::Png;
    let params = CaptureScreenshotParams {
        format: Some(format),
        quality,
        clip: Some(Viewport {
            x: clip.x,
            y: clip.y,
            width: clip.width,
            height: clip.height,
            scale,
        }),
        capture_beyond_viewport: Some(!view.is_some_and(|v| clip.inside(&v))),
        // Lossless all the same; the same pixels still give the same bytes.
        optimize_for_speed: Some(png),
        ..Default::default()
    };
    let data = page.execute(params).await.ok()?.result.data;
    base64::engine::general_purpose::STANDARD
        .decode(AsRef::<str>::as_ref(&data))
        .ok()
}

/// The region's pixels, PNG-encoded (lossless): the same pixels give the same bytes. `view`
/// is where the window stands, when known.
pub(crate) async fn capture_png(
    page: &chromiumoxide::Page,
    clip: Clip,
    view: Option<View>,
) -> Option<Vec<u8>> {
    capture(page, clip, 1.0, CaptureScreenshotFormat::Png, None, view).await
}

/// The region as a WebP image of at most `max_bytes`, scaled down to fit `max_w` × `max_h`
/// CSS px and compressed harder until it fits; None when it cannot.
pub(crate) async fn capture_small(
    page: &chromiumoxide::Page,
    clip: Clip,
    max_w: f64,
    max_h: f64,
    max_bytes: usize,
) -> Option<(Vec<u8>, u32, u32)> {
    let scale = (max_w / clip.width).min(max_h / clip.height).min(1.0);
    for quality in [70, 45, 20] {
        let bytes = capture(
            page,
            clip,
            scale,
            CaptureScreenshotFormat::Webp,
            Some(quality),
            None,
        )
        .await?;
        if bytes.len() <= max_bytes {
            let w = (clip.width * scale).round().max(1.0) as u32;
            let h = (clip.height * scale).round().max(1.0) as u32;
            return Some((bytes, w, h));
        }
    }
    None
}

/// Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are).
pub(crate) fn decode_png(data: &[u8]) -> Option<Image> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let mut rest = data.strip_prefix(SIGNATURE)?;
    let (mut width, mut height, mut channels) = (0usize, 0usize, 0usize);
    let mut compressed = Vec::new();
    while rest.len() >= 12 {
        let len = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let kind = &rest[4..8];
        let body = rest.get(8..8 + len)?;
        match kind {
            b"IHDR" => {
                if body.len() < 13 {
                    return None;
                }
                width = u32::from_be_bytes(body[..4].try_into().ok()?) as usize;
                height = u32::from_be_bytes(body[4..8].try_into().ok()?) as usize;
                let (depth, colour, interlace) = (body[8], body[9], body[12]);
                channels = match (depth, colour, interlace) {
                    (8, 2, 0) => 3,
                    (8, 6, 0) => 4,
                    _ => return None,
                };
            }
            b"IDAT" => compressed.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        rest = rest.get(12 + len..)?;
    }
    if width == 0 || height == 0 || width.checked_mul(height)? > MAX_PIXELS {
        return None;
    }
    let stride = width * channels;
    let size = (stride + 1) * height;
    let mut raw = Vec::with_capacity(size);
    flate2::read::ZlibDecoder::new(&compressed[..])
        .take(size as u64)
        .read_to_end(&mut raw)
        .ok()?;
    if raw.len() != size {
        return None;
    }
    let mut pixels = Vec::with_capacity(width * height);
    let mut prev = vec![0u8; stride];
    let mut row = vec![0u8; stride];
    for line in raw.chunks_exact(stride + 1) {
        let filter = line[0];
        for i in 0..stride {
            let a = if i >= channels { row[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let x = line[1 + i];
            row[i] = match filter {
                0 => x,
                1 => x.wrapping_add(a),
                2 => x.wrapping_add(b),
                3 => x.wrapping_add(((u16::from(a) + u16::from(b)) / 2) as u8),
                4 => x.wrapping_add(paeth(a, b, c)),
                _ => return None,
            };
        }
        for p in row.chunks_exact(channels) {
            pixels.push([p[0], p[1], p[2]]);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    Some(Image {
        width,
        height,
        pixels,
    })
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A PNG of `w` × `h` RGB pixels, each row with filter `filter` (0 or 1).
    fn png(w: u32, h: u32, filter: u8, px: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let mut raw = Vec::new();
        for y in 0..h {
            raw.push(filter);
            let mut last = [0u8; 3];
            for x in 0..w {
                let p = px(x, y);
                for k in 0..3 {
                    raw.push(if filter == 1 {
                        p[k].wrapping_sub(last[k])
                    } else {
                        p[k]
                    });
                }
                last = p;
            }
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&raw).expect("in memory");
        let idat = z.finish().expect("in memory");
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], body: &[u8]| {
            out.extend_from_slice(&(body.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            out.extend_from_slice(&[0, 0, 0, 0]);
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&w.to_be_bytes());
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &idat);
        chunk(b"IEND", &[]);
        out
    }

    #[test]
    fn decodes_filtered_rows() {
        for filter in [0, 1] {
            let data = png(5, 3, filter, |x, y| [x as u8 * 40, y as u8 * 90, 7]);
            let img = decode_png(&data).expect("decoded");
            assert_eq!((img.width, img.height), (5, 3));
            assert_eq!(img.pixels[2 * 5 + 4], [160, 180, 7]);
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(decode_png(b"not a png").is_none());
        let mut data = png(2, 2, 0, |_, _| [1, 2, 3]);
        data.truncate(data.len() - 20);
        assert!(decode_png(&data).is_none());
    }
}
