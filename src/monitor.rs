//! Availability monitoring: probe start URLs at an interval for a bounded time, store each
//! answer (status, response time) in the `probes` table, and compute availability over a window.
//!
//! Politeness: robots.txt is read again each round (a fresh [`Fetcher`] per round) and honoured;
//! one request per URL per round; requests to the same host within a round are sequential and
//! spaced by `min_gap`. The fetcher has no rate limiter of its own and no retries (see
//! [`probe_config`]) so that a probe is one request and its time is the response time, not a
//! wait in a queue. A URL that robots.txt excludes is not probed; a robots.txt that answers 5xx
//! or not at all counts as the site being unavailable (RFC 9309 forbids crawling it then).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde::Serialize;
use url::Url;

use crate::crawl::robots::Robots;
use crate::crawl::{origin_of, FetchConfig, Fetcher, Want};
use crate::store::{Probe, Store, StoreError};

/// Default window of [`availability`], in days.
pub const DEFAULT_WINDOW_DAYS: u32 = 90;

/// How long and how often to probe.
#[derive(Debug, Clone)]
pub struct MonitorPlan {
    pub urls: Vec<Url>,
    pub interval: Duration,
    /// Stop after this many rounds.
    pub rounds: Option<u32>,
    /// Stop when the next round would start after this duration.
    pub duration: Option<Duration>,
    /// Gap between two requests to the same host within a round.
    pub min_gap: Duration,
}

/// The fetch settings of probes: one attempt, no limiter (spacing is done by the monitor).
pub fn probe_config(base: &FetchConfig) -> FetchConfig {
    FetchConfig {
        retries: 0,
        requests_per_second: 0.0,
        ..base.clone()
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Probe one URL once; None when robots.txt excludes it.
pub async fn probe(fetcher: &Fetcher, url: &Url) -> Option<Probe> {
    let at_ms = now_ms();
    if fetcher.config.respect_robots {
        match &*fetcher.robots(url).await {
            Robots::DisallowAll { reason } => {
                return Some(Probe {
                    url: url.to_string(),
                    at_ms,
                    status: None,
                    ok: false,
                    total_ms: None,
                    response_ms: None,
                    error: Some(reason.clone()),
                })
            }
            r if !r.allowed(url) => {
                tracing::warn!(%url, "exclu par robots.txt : non sondé");
                return None;
            }
            _ => {}
        }
    }
    let any_http = |u: &Url| matches!(u.scheme(), "http" | "https");
    let f = fetcher.fetch(url, 0, Want::Page, &any_http).await;
    let r = f.record;
    Some(Probe {
        url: url.to_string(),
        at_ms,
        status: r.status,
        ok: r.ok(),
        // Without an answer there is no response time to report.
        total_ms: r.status.map(|_| r.total_ms as i64),
        response_ms: r.ttfb_ms.map(|t| t as i64),
        error: r.error.map(|e| e.message),
    })
}

/// One round: hosts in parallel, URLs of a host one after the other.
async fn round(fetcher: &Fetcher, urls: &[Url], min_gap: Duration) -> Vec<Probe> {
    let mut by_host: BTreeMap<String, Vec<&Url>> = BTreeMap::new();
    for u in urls {
        by_host.entry(origin_of(u)).or_default().push(u);
    }
    let per_host = by_host.into_values().map(|list| async move {
        let mut out = Vec::with_capacity(list.len());
        for (i, u) in list.into_iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(min_gap).await;
            }
            out.extend(probe(fetcher, u).await);
        }
        out
    });
    join_all(per_host).await.into_iter().flatten().collect()
}

#[derive(Debug, thiserror::Error)]
pub enum MonitorError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("client HTTP impossible à créer : {0}")]
    Client(#[from] reqwest::Error),
}

/// Probe the plan's URLs round after round, recording every probe; `on_probe` sees each one.
/// `config` should come from [`probe_config`].
pub async fn run(
    store: &Store,
    config: &FetchConfig,
    plan: &MonitorPlan,
    mut on_probe: impl FnMut(&Probe),
) -> Result<Vec<Probe>, MonitorError> {
    let start = Instant::now();
    let mut all = Vec::new();
    let mut n = 0u32;
    loop {
        if plan.rounds.is_some_and(|r| n >= r) {
            break;
        }
        let due = plan.interval.saturating_mul(n);
        if plan.duration.is_some_and(|d| due > d) {
            break;
        }
        let wait = (start + due).saturating_duration_since(Instant::now());
        tokio::time::sleep(wait).await;
        let fetcher = Fetcher::new(config.clone())?;
        for p in round(&fetcher, &plan.urls, plan.min_gap).await {
            store.record_probe(&p)?;
            on_probe(&p);
            all.push(p);
        }
        n += 1;
        if plan.rounds.is_none() && plan.duration.is_none() {
            // Unbounded plans are refused by the CLI; never loop forever here.
            break;
        }
    }
    Ok(all)
}

/// Availability of a URL over a window.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Availability {
    /// Share of probes answered 2xx without error, 0 to 1.
    pub success_ratio: f64,
    /// Mean load time (whole response) of the successful probes, in milliseconds.
    pub mean_ms: Option<f64>,
    /// Mean time to the response headers of the successful probes, in milliseconds.
    pub mean_response_ms: Option<f64>,
    /// Probes in the window.
    pub n: u64,
}

/// Availability of `url` over the last `window_days` days; None when it was never probed then.
pub fn availability(
    store: &Store,
    url: &str,
    window_days: u32,
) -> Result<Option<Availability>, StoreError> {
    availability_at(store, url, window_days, now_ms())
}

/// [`availability`] with the window ending at `now_ms`.
pub fn availability_at(
    store: &Store,
    url: &str,
    window_days: u32,
    now_ms: i64,
) -> Result<Option<Availability>, StoreError> {
    let since = now_ms - i64::from(window_days) * 86_400_000;
    // Casts keep the types equal on SQLite and PostgreSQL (whose SUM and AVG of integers are
    // numeric).
    let row = store
        .query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(ok), 0) AS BIGINT),
                    CAST(AVG(CASE WHEN ok = 1 THEN total_ms END) AS DOUBLE PRECISION),
                    CAST(AVG(CASE WHEN ok = 1 THEN response_ms END) AS DOUBLE PRECISION)
             FROM probes WHERE url = ?1 AND at_ms >= ?2 AND at_ms <= ?3",
            vec![url.into(), since.into(), now_ms.into()],
        )?
        .into_iter()
        .next()
        .unwrap_or_default();
    let at = |i: usize| row.get(i).cloned().unwrap_or(crate::store::Val::Null);
    let (n, ok, mean, mean_response) = (
        at(0).int().unwrap_or_default(),
        at(1).int().unwrap_or_default(),
        at(2).real(),
        at(3).real(),
    );
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(Availability {
        success_ratio: ok as f64 / n as f64,
        mean_ms: mean,
        mean_response_ms: mean_response,
        n: n as u64,
    }))
}
