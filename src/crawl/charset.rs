//! Character encoding detection and decoding: BOM, then HTTP header, then `<meta>` prescan,
//! then UTF-8 if the bytes are valid UTF-8, else windows-1252 (the usual legacy encoding of
//! French sites; ISO-8859-1 labels map to it as browsers do).

use encoding_rs::Encoding;
use serde::{Deserialize, Serialize};

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CharsetSource {
    Bom,
    Header,
    Meta,
    Default,
}

#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// WHATWG name of the encoding used ("UTF-8", "windows-1252", …).
    pub encoding: &'static str,
    pub source: CharsetSource,
    /// The declared label was unknown, or bytes were invalid for the encoding (replaced by U+FFFD).
    pub had_errors: bool,
    /// A label that was declared but not recognised.
    pub unknown_label: Option<String>,
}

/// The `charset` parameter of a Content-Type header.
pub fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            Some(v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        } else {
            None
        }
    })
}

/// Look for a charset in `<meta charset>` or `<meta http-equiv=content-type>` in the first 1024 bytes.
pub fn meta_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    let lower: String = head
        .iter()
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("<meta") {
        let start = from + pos;
        let end = lower[start..]
            .find('>')
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &lower[start..end];
        if let Some(i) = tag.find("charset") {
            let rest = tag[i + "charset".len()..].trim_start();
            if let Some(rest) = rest.strip_prefix('=') {
                let rest = rest.trim_start().trim_start_matches(['"', '\'']);
                let label: String = rest
                    .chars()
                    .take_while(|c| {
                        !c.is_whitespace() && !matches!(c, '"' | '\'' | ';' | '/' | '>')
                    })
                    .collect();
                if !label.is_empty() {
                    return Some(label);
                }
            }
        }
        from = end.max(start + 5);
        if from >= lower.len() {
            break;
        }
    }
    None
}

/// Decode a body given the Content-Type header (if any).
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            encoding: enc.name(),
            source: CharsetSource::Bom,
            had_errors,
            unknown_label: None,
        };
    }
    let mut unknown_label = None;
    let declared = content_type
        .and_then(charset_param)
        .map(|l| (l, CharsetSource::Header))
        .into_iter()
        .chain(meta_charset(bytes).map(|l| (l, CharsetSource::Meta)));
    for (label, source) in declared {
        match Encoding::for_label(label.as_bytes()) {
            Some(enc) => {
                // A page cannot declare UTF-16 in a meta tag it could not have been read from.
                let enc = if source == CharsetSource::Meta
                    && (enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE)
                {
                    encoding_rs::UTF_8
                } else if enc == encoding_rs::REPLACEMENT {
                    unknown_label.get_or_insert(label.clone());
                    continue;
                } else {
                    enc
                };
                let (text, had_errors) = enc.decode_without_bom_handling(bytes);
                return Decoded {
                    text: text.into_owned(),
                    encoding: enc.name(),
                    source,
                    had_errors,
                    unknown_label,
                };
            }
            None => {
                unknown_label.get_or_insert(label);
            }
        }
    }
    let enc = if std::str::from_utf8(bytes).is_ok() {
        encoding_rs::UTF_8
    } else {
        encoding_rs::WINDOWS_1252
    };
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let had_errors = had_errors || unknown_label.is_some();
    Decoded {
        text: text.into_owned(),
        encoding: enc.name(),
        source: CharsetSource::Default,
        had_errors,
        unknown_label,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_charset_wins_over_meta() {
        let bytes = b"<meta charset=utf-8><p>\xe9t\xe9</p>";
        let d = decode(bytes, Some("text/html; charset=ISO-8859-1"));
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.source, CharsetSource::Header);
        assert!(d.text.contains("été"));
    }

    #[test]
    fn meta_charset_used_without_header() {
        let d = decode(b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><p>d\xe9marche</p>", Some("text/html"));
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.source, CharsetSource::Meta);
        assert!(d.text.contains("démarche"));
    }

    #[test]
    fn bom_wins() {
        let d = decode(
            "\u{feff}<p>é</p>".as_bytes(),
            Some("text/html; charset=windows-1252"),
        );
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.source, CharsetSource::Bom);
        assert_eq!(d.text, "<p>é</p>");
    }

    #[test]
    fn default_sniffs_utf8_then_windows_1252() {
        assert_eq!(decode("<p>é</p>".as_bytes(), None).encoding, "UTF-8");
        let d = decode(b"<p>\xe9</p>", None);
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "<p>é</p>");
    }

    #[test]
    fn lying_header_is_flagged() {
        let d = decode(b"<p>\xe9\xff</p>", Some("text/html; charset=utf-8"));
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_errors);
        let d = decode(b"<p>x</p>", Some("text/html; charset=klingon-8"));
        assert_eq!(d.unknown_label.as_deref(), Some("klingon-8"));
        assert!(d.had_errors);
    }
}
