//! Availability and response-time probes of a démarche's start URL, spread over the audit
//! (start, during the crawl, end), through the same polite fetcher as the crawl.

use serde::{Deserialize, Serialize};
use url::Url;

use crate::crawl::{FetchRecord, Fetcher, Want};

/// Default number of probes per démarche.
pub const DEFAULT_PROBES: usize = 3;

/// One GET of the start URL.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ProbeRecord {
    /// When the probe was sent (RFC 3339).
    pub at: String,
    pub url: String,
    /// Status of the last response (after redirects).
    pub status: Option<u16>,
    /// A 2xx answer without transport error.
    pub ok: bool,
    /// Time to the response headers of the last attempt, in ms (the « temps de réponse »).
    pub response_ms: Option<u64>,
    /// Whole fetch time, retries and redirects included, in ms.
    pub total_ms: u64,
    /// Attempts made (retries on time-outs and 5xx count).
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ProbeRecord {
    /// A probe made of a fetch record (the crawl's own fetch of the start URL also counts).
    pub fn from_record(r: &FetchRecord) -> ProbeRecord {
        ProbeRecord {
            at: r.fetched_at.clone(),
            url: r.requested_url.clone(),
            status: r.status,
            ok: r.ok(),
            response_ms: r.ttfb_ms,
            total_ms: r.total_ms,
            attempts: r.attempts,
            error: r.error.as_ref().map(|e| e.message.clone()),
        }
    }
}

/// GET the URL once (redirects followed anywhere in http(s), as the user would).
pub async fn probe(fetcher: &Fetcher, url: &Url) -> ProbeRecord {
    let fetched = fetcher
        .fetch(url, 0, Want::Page, &|u: &Url| {
            matches!(u.scheme(), "http" | "https")
        })
        .await;
    ProbeRecord::from_record(&fetched.record)
}

/// Progress points (share of the crawl's page budget) at which the middle probes are sent, for
/// `n` probes in all: the first goes before the crawl and the last after it.
pub fn middle_points(n: usize) -> Vec<f64> {
    if n < 3 {
        return Vec::new();
    }
    let gaps = (n - 1) as f64;
    (1..n - 1).map(|i| i as f64 / gaps).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn middle_points_are_spread() {
        assert!(middle_points(2).is_empty());
        assert_eq!(middle_points(3), vec![0.5]);
        assert_eq!(middle_points(5), vec![0.25, 0.5, 0.75]);
    }
}
