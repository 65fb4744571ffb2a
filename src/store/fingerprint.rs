//! Stable identity of a finding across runs.
//!
//! A fingerprint hashes the rule, the démarche, the page path (path and sorted query, without
//! scheme, host or port, so a local server on another port or a move to https still matches) and
//! the target (its selector, or a hash of its snippet when there is no selector). The hash is
//! FNV-1a 64 bits (`crate::hash`): fingerprints are stored.

use url::Url;

pub use crate::hash::{fnv1a64, Fnv1a64};

/// The page part of a fingerprint: the path and the query pairs sorted, no host or port.
/// A string that does not parse as a URL is kept as it is.
pub fn page_key(url: &str) -> String {
    let Ok(u) = Url::parse(url) else {
        return url.to_string();
    };
    let mut key = u.path().to_string();
    let mut pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if !pairs.is_empty() {
        pairs.sort();
        let q: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| if v.is_empty() { k } else { format!("{k}={v}") })
            .collect();
        key.push('?');
        key.push_str(&q.join("&"));
    }
    key
}

/// The target part: the selector, else `snippet:` and the hash of the snippet, else empty
/// (a page-level result).
pub fn target_key(selector: Option<&str>, snippet: Option<&str>) -> String {
    match (
        selector.filter(|s| !s.is_empty()),
        snippet.filter(|s| !s.is_empty()),
    ) {
        (Some(sel), _) => sel.to_string(),
        (None, Some(snip)) => format!("snippet:{:016x}", fnv1a64(snip.as_bytes())),
        (None, None) => String::new(),
    }
}

/// The fingerprint of a finding, 16 hex digits.
pub fn fingerprint(
    rule: &str,
    demarche: &str,
    url: &str,
    selector: Option<&str>,
    snippet: Option<&str>,
) -> String {
    // Unit separators keep ("ab","c") and ("a","bc") apart.
    let material = [
        rule,
        demarche,
        &page_key(url),
        &target_key(selector, snippet),
    ]
    .join("\u{1f}");
    format!("{:016x}", fnv1a64(material.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_reference_values() {
        // Reference values of FNV-1a 64.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn page_key_ignores_host_port_and_query_order() {
        assert_eq!(
            page_key("http://127.0.0.1:4321/a/b.html?z=1&a=2#frag"),
            "/a/b.html?a=2&z=1"
        );
        assert_eq!(
            page_key("https://example.gouv.fr/a/b.html?a=2&z=1"),
            "/a/b.html?a=2&z=1"
        );
        assert_eq!(page_key("http://h/"), "/");
        assert_eq!(page_key("not a url"), "not a url");
    }

    #[test]
    fn fingerprint_is_stable_across_ports_and_distinguishes_targets() {
        let a = fingerprint(
            "image-alt",
            "d",
            "http://127.0.0.1:1/x",
            Some("#logo"),
            None,
        );
        let b = fingerprint(
            "image-alt",
            "d",
            "http://127.0.0.1:2/x",
            Some("#logo"),
            None,
        );
        assert_eq!(a, b);
        let c = fingerprint(
            "image-alt",
            "d",
            "http://127.0.0.1:1/x",
            Some("#other"),
            None,
        );
        assert_ne!(a, c);
        let d = fingerprint(
            "image-alt",
            "e",
            "http://127.0.0.1:1/x",
            Some("#logo"),
            None,
        );
        assert_ne!(a, d);
        let s1 = fingerprint("r", "d", "http://h/x", None, Some("<img src=a>"));
        let s2 = fingerprint("r", "d", "http://h/x", Some(""), Some("<img src=a>"));
        let s3 = fingerprint("r", "d", "http://h/x", None, Some("<img src=b>"));
        assert_eq!(s1, s2);
        assert_ne!(s1, s3);
        assert_eq!(a.len(), 16);
    }
}
