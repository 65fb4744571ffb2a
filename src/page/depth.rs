//! A bound on element nesting before parsing. The HTML tree builder checks "has an element in
//! scope" by walking its stack of open elements on many start tags, so a document nested
//! 100 000 levels deep costs quadratic time (minutes). Like browsers (Blink caps the DOM depth
//! at 512), elements opened beyond [`MAX_DEPTH`] are flattened: their tags are removed and
//! their content stays in the deepest allowed element. A document within the bound is parsed
//! byte for byte unchanged.

use std::borrow::Cow;
use std::collections::HashMap;

/// Deepest nesting kept (Blink's `kMaximumHTMLParserDOMTreeDepth`).
pub const MAX_DEPTH: usize = 512;

/// Elements that never stay open (void) or that the tree builder closes implicitly when a
/// sibling starts, so counting them would overestimate depth on ordinary sloppy markup. Eight
/// bytes at most each: a name is looked up as one integer.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame", "basefont", "bgsound", "image", "html", "head", "body", "p",
    "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "a", "nobr", "button", "form", "h1", "h2",
    "h3", "h4", "h5", "h6",
];

/// A name of at most eight bytes as one integer (its bytes, little end first).
fn name_key(name: &[u8]) -> Option<u64> {
    (name.len() <= 8).then(|| {
        name.iter()
            .enumerate()
            .fold(0, |k, (i, &b)| k | u64::from(b) << (8 * i))
    })
}

/// [`NOT_NESTING`]'s names as integers, sorted: a page has a thousand tags, each looked up.
static NOT_NESTING_KEYS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut keys: Vec<u64> = NOT_NESTING
        .iter()
        .filter_map(|n| name_key(n.as_bytes()))
        .collect();
    keys.sort_unstable();
    keys
});

/// Whether a lower-case tag name is one of [`NOT_NESTING`].
fn not_nesting(name: &str) -> bool {
    name_key(name.as_bytes()).is_some_and(|k| NOT_NESTING_KEYS.binary_search(&k).is_ok())
}

/// Elements whose content is raw text up to their end tag.
fn raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
    )
}

/// Position of the first occurrence of `needle`, ignoring ASCII case, at or after `from`.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let rest = bytes.get(from..).filter(|r| !r.is_empty())?;
    crate::format::find_bytes_ignore_ascii_case(rest, needle).map(|p| from + p)
}

/// End of a tag starting at `lt` (index after its `>`), skipping quoted attribute values, and
/// whether it ends with `/>`.
fn tag_end(bytes: &[u8], lt: usize) -> (usize, bool) {
    // Only quotes and `>` change anything: the bytes between are skipped by vectorised scans
    // (a design system's class lists make tags long).
    let mut i = lt + 1;
    while i < bytes.len() {
        let Some(off) = memchr::memchr3(b'>', b'"', b'\'', &bytes[i..]) else {
            break;
        };
        i += off;
        let b = bytes[i];
        if b == b'>' {
            return (i + 1, bytes[i - 1] == b'/');
        }
        if bytes[i - 1] == b'=' || bytes[i - 1].is_ascii_whitespace() {
            // A quoted value: up to its closing quote.
            match memchr::memchr(b, &bytes[i + 1..]) {
                Some(close) => i += close + 1,
                None => break,
            }
        }
        i += 1;
    }
    (bytes.len(), false)
}

/// The lower-cased tag name starting at `start`: borrowed from the document when it is written
/// in lower-case ASCII (nearly always), so most tags cost no allocation.
fn tag_name(html: &str, start: usize) -> Cow<'_, str> {
    let name = tag_name_bytes(html.as_bytes(), start);
    let len = name.len();
    if name.iter().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        // All ASCII: `start..start + len` lies on character boundaries.
        if let Some(borrowed) = html.get(start..start + len) {
            return Cow::Borrowed(borrowed);
        }
    }
    Cow::Owned(
        name.iter()
            .map(|b| b.to_ascii_lowercase() as char)
            .collect(),
    )
}

/// The bytes of the tag name at `start`, as written: up to white space, `/` or `>`, 64 at most.
fn tag_name_bytes(bytes: &[u8], start: usize) -> &[u8] {
    let rest = bytes.get(start..).unwrap_or_default();
    let len = rest
        .iter()
        .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'>'))
        .take(64)
        .count();
    &rest[..len]
}

/// Whether the document has at most `bound` start tags that may nest: then no element is
/// deeper, and the walk of [`cap_depth`] (end tags, the open elements) is not needed. Every
/// `<` and a letter counts, in comments, raw text and attribute values too, and self-closing
/// tags as well: an over-count only sends the document to the full walk.
fn nesting_tags_at_most(html: &str, bound: usize) -> bool {
    let bytes = html.as_bytes();
    let mut count = 0usize;
    for lt in memchr::memchr_iter(b'<', bytes) {
        if bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic)
            && !short_name_not_nesting(bytes, lt + 1)
        {
            count += 1;
            if count > bound {
                return false;
            }
        }
    }
    true
}

/// `not_nesting(&tag_name(bytes, start))`, read from the bytes without a string per tag (a page
/// has a thousand). The list's names are eight bytes at most: a longer name is not among them.
/// Lower-casing leaves bytes past ASCII as they are, so a name with any is not either.
fn short_name_not_nesting(bytes: &[u8], start: usize) -> bool {
    let name = tag_name_bytes(bytes, start);
    let mut lower = [0u8; 8];
    if name.len() > lower.len() {
        return false;
    }
    for (l, b) in lower.iter_mut().zip(name) {
        *l = b.to_ascii_lowercase();
    }
    // The list's names are ASCII: a name with other bytes is none of them.
    name_key(&lower[..name.len()]).is_some_and(|k| NOT_NESTING_KEYS.binary_search(&k).is_ok())
}

/// The document with elements nested deeper than [`MAX_DEPTH`] flattened, and how many start
/// tags were removed (0: the input is returned as is).
pub fn cap_depth(html: &str) -> (Cow<'_, str>, usize) {
    if nesting_tags_at_most(html, MAX_DEPTH) {
        return (Cow::Borrowed(html), 0);
    }
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes [copied_to..] are not yet in `out`.
    let mut copied_to = 0usize;
    let mut stack: Vec<Cow<'_, str>> = Vec::new();
    let mut suppressed: HashMap<Cow<'_, str>, usize> = HashMap::new();
    let mut removed = 0usize;
    let mut i = 0usize;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let next = bytes.get(lt + 1).copied().unwrap_or(b' ');
        if bytes[lt..].starts_with(b"<!--") {
            i = find_ci(bytes, lt + 4, b"-->").map_or(bytes.len(), |p| p + 3);
            continue;
        }
        if next == b'!' || next == b'?' {
            i = find_ci(bytes, lt + 1, b">").map_or(bytes.len(), |p| p + 1);
            continue;
        }
        let (is_end, name_at) = if next == b'/' {
            (true, lt + 2)
        } else {
            (false, lt + 1)
        };
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name = tag_name(html, name_at);
        let (end, self_closing) = tag_end(bytes, lt);
        let mut drop = false;
        if is_end {
            // Nothing suppressed (every document within the bound): no lookup per end tag.
            let suppressed_here = if suppressed.is_empty() {
                None
            } else {
                suppressed.get_mut(&name)
            };
            match suppressed_here {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    drop = true;
                }
                _ => {
                    if let Some(pos) = stack.iter().rposition(|s| *s == name) {
                        stack.truncate(pos);
                    }
                }
            }
        } else if name == "plaintext" {
            break;
        } else if !self_closing && !not_nesting(&name) {
            if stack.len() >= MAX_DEPTH {
                *suppressed.entry(name.clone()).or_default() += 1;
                removed += 1;
                drop = true;
            } else {
                stack.push(name.clone());
            }
        }
        if drop {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied_to..lt]);
            copied_to = end;
        }
        i = end;
        if !is_end && !drop && raw_text(&name) {
            let mut closing = b"</".to_vec();
            closing.extend_from_slice(name.as_bytes());
            match find_ci(bytes, end, &closing) {
                Some(p) => i = p,
                None => break,
            }
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&html[copied_to..]);
            (Cow::Owned(o), removed)
        }
        None => (Cow::Borrowed(html), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_documents_are_untouched() {
        let html = "<!doctype html><html><body><div title=\"a>b\"><p>un<p>deux<ul><li>x<li>y</ul>\
                    <script>if (a<b) { document.write('<div><div>') }</script></div></body></html>";
        let (out, removed) = cap_depth(html);
        assert_eq!(removed, 0);
        assert!(matches!(out, Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_flattened_at_the_bound() {
        let n = MAX_DEPTH + 100;
        let html = format!("{}<b>fond</b>{}", "<div>".repeat(n), "</div>".repeat(n));
        let (out, removed) = cap_depth(&html);
        // <b> itself is at depth n + 1 and goes too.
        assert_eq!(removed, 101);
        assert_eq!(out.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH);
        assert!(out.contains("fond"));
    }

    /// The bound's count only ever says "maybe deeper": at the limit and one past it.
    #[test]
    fn nesting_at_the_bound_is_kept_and_one_past_is_flattened() {
        for (n, removed) in [(MAX_DEPTH, 0), (MAX_DEPTH + 1, 1)] {
            let html = format!("{}x{}", "<div>".repeat(n), "</div>".repeat(n));
            assert_eq!(cap_depth(&html).1, removed, "{n}");
        }
        // Many elements, none deep: past the bound's count, the full walk finds nothing.
        let html = "<div>x</div>".repeat(MAX_DEPTH * 2);
        assert!(!nesting_tags_at_most(&html, MAX_DEPTH));
        assert_eq!(cap_depth(&html), (Cow::Borrowed(html.as_str()), 0));
    }

    /// Every name of the list is found as an integer, and names that only begin or end like
    /// one, or are longer than eight bytes, are not.
    #[test]
    fn names_of_the_list_are_found_by_their_integer() {
        for name in NOT_NESTING {
            assert!(not_nesting(name), "{name}");
        }
        for name in [
            "",
            "div",
            "span",
            "svg",
            "math",
            "p2",
            "pp",
            "h7",
            "colgroupx",
            "basefonts",
            "ta",
            "abbr",
            "b",
            "i",
            "h",
            "tablebody",
        ] {
            assert!(!not_nesting(name), "{name}");
        }
    }

    /// The byte reading of a name answers as the string one, on names that are, look like or
    /// begin like the list's.
    #[test]
    fn names_read_from_bytes_answer_as_names_read_as_strings() {
        let html = "<p><P><li\n><Li/><br/><a href=x><a.b><a-b><h1><h7><tbody><TBODY \
                    ><colgroup><colgroupx><basefont><optgroup2><é><pé><p\u{b}><div><span>\
                    <svg><math><img><imgs><td\t><th>";
        let bytes = html.as_bytes();
        let mut seen = 0;
        for lt in memchr::memchr_iter(b'<', bytes) {
            if bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
                let name = tag_name(html, lt + 1);
                assert_eq!(
                    short_name_not_nesting(bytes, lt + 1),
                    not_nesting(&name),
                    "{name}"
                );
                seen += 1;
            }
        }
        assert_eq!(seen, 26);
    }

    #[test]
    fn unclosed_paragraphs_and_list_items_do_not_count() {
        let html = "<p>x".repeat(2000) + &"<li>y".repeat(2000);
        assert_eq!(cap_depth(&html).1, 0);
    }

    #[test]
    fn raw_text_and_comments_are_skipped() {
        let html = format!(
            "<style>{}</style><!-- {} --><textarea>{}</textarea>",
            "<div>".repeat(1000),
            "<div>".repeat(1000),
            "<div>".repeat(1000)
        );
        assert_eq!(cap_depth(&html).1, 0);
    }
}
