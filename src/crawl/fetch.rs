//! The polite fetcher: one HTTP client for a run, a rate limiter and robots.txt per host, a
//! global concurrency bound, retries with backoff, Retry-After, manual redirects (recorded and
//! scope-checked), a body size cap, and a record of every fetch.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, Semaphore};
use url::Url;

use super::charset::{self, CharsetSource};
use super::robots::{Robots, RobotsFile, RobotsResponse};

/// Fetcher settings; defaults are polite for public sites.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchConfig {
    pub user_agent: String,
    pub connect_timeout_ms: u64,
    pub read_timeout_ms: u64,
    pub total_timeout_ms: u64,
    pub max_body_bytes: usize,
    pub max_redirects: usize,
    pub retries: u32,
    pub backoff_base_ms: u64,
    /// Longest Retry-After honoured; longer values are capped to this.
    pub max_retry_after_ms: u64,
    /// Requests per second per host (0 = unlimited, for benchmarks only).
    pub requests_per_second: f64,
    /// Requests in flight across the whole run.
    pub concurrency: usize,
    pub respect_robots: bool,
    /// Refuse loopback, private, link-local and other non-public addresses (after DNS
    /// resolution). `audit` turns it on when a crawl starts on a public host.
    #[serde(default)]
    pub block_private_addresses: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: crate::user_agent(),
            connect_timeout_ms: 10_000,
            read_timeout_ms: 20_000,
            total_timeout_ms: 30_000,
            max_body_bytes: 10 * 1024 * 1024,
            max_redirects: 10,
            retries: 2,
            backoff_base_ms: 500,
            max_retry_after_ms: 60_000,
            requests_per_second: 2.0,
            concurrency: 8,
            respect_robots: true,
            block_private_addresses: false,
        }
    }
}

/// Why a fetch did not give a usable response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Timeout,
    Connect,
    /// The connection was reset or closed before a complete response.
    ConnectionReset,
    /// The server's answer is not valid HTTP (malformed or oversized head, too many headers).
    InvalidResponse,
    TooManyRedirects,
    RedirectLoop,
    RedirectOutOfScope,
    BodyTooLarge,
    BodyTruncated,
    BinaryBody,
    RobotsDisallowed,
    UnsupportedScheme,
    InvalidUrl,
    HttpStatus,
    BlockedAddress,
    Other,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FetchError {
    pub kind: ErrorKind,
    pub message: String,
}

/// One hop of a redirect chain.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Redirect {
    pub url: String,
    pub status: u16,
}

/// The record of one fetch, kept for every URL the crawler asked for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FetchRecord {
    pub requested_url: String,
    pub final_url: String,
    pub redirects: Vec<Redirect>,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub charset: Option<String>,
    pub charset_source: Option<CharsetSource>,
    pub size: u64,
    pub ttfb_ms: Option<u64>,
    pub total_ms: u64,
    pub attempts: u32,
    pub depth: u32,
    pub fetched_at: String,
    pub error: Option<FetchError>,
    /// Set when this URL ended on a page already analysed under another URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// The `X-Robots-Tag` header values (indexing directives sent outside the page; Cerfa 32).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub x_robots_tag: Vec<String>,
}

impl FetchRecord {
    fn new(url: &Url, depth: u32) -> Self {
        FetchRecord {
            requested_url: url.to_string(),
            final_url: url.to_string(),
            redirects: Vec::new(),
            status: None,
            content_type: None,
            charset: None,
            charset_source: None,
            size: 0,
            ttfb_ms: None,
            total_ms: 0,
            attempts: 0,
            depth,
            fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            error: None,
            duplicate_of: None,
            x_robots_tag: Vec::new(),
        }
    }
    /// The record of a local file read by `vigie check`.
    pub fn local(url: &Url, size: u64, charset: &str, source: CharsetSource) -> Self {
        let mut r = FetchRecord::new(url, 0);
        r.content_type = Some("text/html".into());
        r.charset = Some(charset.to_string());
        r.charset_source = Some(source);
        r.size = size;
        r
    }
    pub fn is_html(&self) -> bool {
        self.content_type
            .as_deref()
            .map(is_html_type)
            .unwrap_or(false)
    }
    pub fn ok(&self) -> bool {
        self.error.is_none() && matches!(self.status, Some(200..=299))
    }
}

pub fn is_html_type(ct: &str) -> bool {
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "text/html" || mime == "application/xhtml+xml"
}

/// What the caller wants the body for; decides which bodies are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A page: read HTML bodies, record the others without reading them.
    Page,
    /// A resource whose body is needed whatever its type (CSS, sitemap, robots).
    Resource,
}

/// A fetched response: its record and, when read, its decoded text.
#[derive(Debug)]
pub struct Fetched {
    pub record: FetchRecord,
    pub text: Option<String>,
}

struct HostState {
    limiter: Mutex<Option<Arc<DefaultDirectRateLimiter>>>,
    /// The turns of the browser's subresource requests (a tenth of the crawl's interval).
    subresources: Option<Arc<DefaultDirectRateLimiter>>,
    robots: OnceCell<Arc<Robots>>,
    /// The robots.txt as fetched, for the indexability facts (set with `robots`).
    robots_file: std::sync::OnceLock<Arc<RobotsFile>>,
}

/// Shared by every crawl of a run.
pub struct Fetcher {
    client: reqwest::Client,
    pub config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    global: Semaphore,
}

fn host_key(url: &Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// How many of a rendered page's subresources may go in one turn of the crawl.
const SUBRESOURCE_SPEEDUP: u32 = 10;

fn limiter_for(interval: Duration) -> Option<Arc<DefaultDirectRateLimiter>> {
    if interval.is_zero() {
        return None;
    }
    let quota = Quota::with_period(interval)?.allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct(quota)))
}

impl Fetcher {
    pub fn new(config: FetchConfig) -> Result<Fetcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_millis(config.connect_timeout_ms))
            .read_timeout(Duration::from_millis(config.read_timeout_ms))
            .timeout(Duration::from_millis(config.total_timeout_ms))
            .pool_max_idle_per_host(4)
            .dns_resolver(Arc::new(super::address::GuardedResolver {
                block_private: config.block_private_addresses,
            }))
            .build()?;
        let permits = config.concurrency.max(1);
        Ok(Fetcher {
            client,
            config,
            hosts: Mutex::new(HashMap::new()),
            global: Semaphore::new(permits),
        })
    }

    fn base_interval(&self) -> Duration {
        if self.config.requests_per_second <= 0.0 {
            Duration::ZERO
        } else {
            Duration::from_secs_f64(1.0 / self.config.requests_per_second)
        }
    }

    fn host(&self, url: &Url) -> Arc<HostState> {
        let key = host_key(url);
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(HostState {
                    limiter: Mutex::new(limiter_for(self.base_interval())),
                    subresources: limiter_for(self.base_interval() / SUBRESOURCE_SPEEDUP),
                    robots: OnceCell::new(),
                    robots_file: std::sync::OnceLock::new(),
                })
            })
            .clone()
    }

    /// Wait for this host's next request slot.
    async fn wait_turn(&self, host: &HostState) {
        let limiter = host
            .limiter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(l) = limiter {
            l.until_ready().await;
        }
    }

    /// robots.txt of the URL's host, fetched once per run (RFC 9309: 4xx = allow all,
    /// 5xx or unreachable = disallow all). Honours Crawl-delay by slowing the host's limiter.
    pub async fn robots(&self, url: &Url) -> Arc<Robots> {
        let host = self.host(url);
        host.robots
            .get_or_init(|| async {
                let Ok(robots_url) = url.join("/robots.txt") else {
                    return Arc::new(Robots::allow_all());
                };
                let fetched = self
                    .fetch_raw(&robots_url, 0, Want::Resource, &|_| true, &host, false)
                    .await;
                let response = RobotsResponse {
                    status: fetched.record.status,
                    error: fetched.record.error.as_ref().map(|e| e.message.as_str()),
                    too_large: fetched
                        .record
                        .error
                        .as_ref()
                        .is_some_and(|e| e.kind == ErrorKind::BodyTooLarge),
                    text: fetched.text.as_deref(),
                };
                let robots = Robots::from_response(response, &self.config.user_agent);
                let _ = host
                    .robots_file
                    .set(Arc::new(RobotsFile::from_response(&robots_url, response)));
                if let Some(delay) = robots.crawl_delay() {
                    let interval = delay.max(self.base_interval());
                    if interval > self.base_interval() {
                        if let Some(l) = limiter_for(interval) {
                            // The robots request just used this host's slot.
                            let _ = l.check();
                            *host.limiter.lock().unwrap_or_else(|p| p.into_inner()) = Some(l);
                        }
                    }
                }
                Arc::new(robots)
            })
            .await
            .clone()
    }

    /// The robots.txt of the URL's host as fetched (fetching it if not done yet); None when
    /// no robots.txt URL can be built for it.
    pub async fn robots_file(&self, url: &Url) -> Option<Arc<RobotsFile>> {
        self.robots(url).await;
        self.host(url).robots_file.get().cloned()
    }

    /// The decisions the crawler applies to its own fetches, for a request the browser is about
    /// to make: scheme, address guard (the host resolved as the guard resolves it), robots.txt
    /// of that host, then the host's rate limit (waited for). Link-local targets (cloud metadata
    /// services) are refused even when the guard is lifted: a page's scripts, unlike its links,
    /// can aim anywhere.
    ///
    /// A document (the page, a frame) waits for the host's turn like the crawler's fetches. A
    /// subresource waits for a turn of its own, ten times as frequent: a page of 60 style sheets
    /// and 20 scripts (the DSFR's example pages) would otherwise take 40 s to load at 2 requests
    /// per second, past any page limit, where a visitor's browser asks for all at once.
    pub async fn admit_browser_request(
        &self,
        url: &Url,
        kind: super::render::RequestKind,
    ) -> Result<(), String> {
        match url.scheme() {
            "http" | "https" => {}
            // Served by the browser itself, nothing leaves the machine.
            "data" | "blob" | "about" => return Ok(()),
            other => return Err(format!("schéma refusé : {other}")),
        }
        let block = self.config.block_private_addresses;
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        let host = url.host_str().unwrap_or("");
        if block && super::address::host_is_non_public(url) {
            return Err(format!("{} : {host}", super::address::BLOCKED_MARKER));
        }
        let addresses: Vec<std::net::IpAddr> = match literal {
            Some(ip) => vec![ip],
            None => {
                let port = url.port_or_known_default().unwrap_or(80);
                match tokio::net::lookup_host((host, port)).await {
                    Ok(found) => found.map(|a| a.ip()).collect(),
                    Err(e) => return Err(format!("nom introuvable : {host} ({e})")),
                }
            }
        };
        let refused = |ip: &&std::net::IpAddr| {
            super::address::is_link_local(**ip) || (block && super::address::is_non_public(**ip))
        };
        if let Some(ip) = addresses.iter().find(refused) {
            let marker = super::address::BLOCKED_MARKER;
            return Err(match literal {
                Some(_) => format!("{marker} : {host}"),
                None => format!("{marker} : {host} → {ip}"),
            });
        }
        if self.config.respect_robots && !self.robots(url).await.allowed(url) {
            return Err("exclu par robots.txt".into());
        }
        let host = self.host(url);
        match kind {
            super::render::RequestKind::Document => self.wait_turn(&host).await,
            super::render::RequestKind::Subresource => {
                if let Some(l) = host.subresources.clone() {
                    l.until_ready().await;
                }
            }
        }
        Ok(())
    }

    /// Fetch a URL politely: robots.txt, rate limit, retries, redirects within `in_scope`.
    pub async fn fetch(
        &self,
        url: &Url,
        depth: u32,
        want: Want,
        in_scope: &(dyn Fn(&Url) -> bool + Sync),
    ) -> Fetched {
        let host = self.host(url);
        if !matches!(url.scheme(), "http" | "https") {
            let mut record = FetchRecord::new(url, depth);
            record.error = Some(FetchError {
                kind: ErrorKind::UnsupportedScheme,
                message: format!("schéma non pris en charge : {}", url.scheme()),
            });
            return Fetched { record, text: None };
        }
        if self.config.block_private_addresses {
            if let Some(message) = super::address::literal_is_blocked(url) {
                let mut record = FetchRecord::new(url, depth);
                record.error = Some(FetchError {
                    kind: ErrorKind::BlockedAddress,
                    message,
                });
                return Fetched { record, text: None };
            }
        }
        if self.config.respect_robots {
            let robots = self.robots(url).await;
            if !robots.allowed(url) {
                let mut record = FetchRecord::new(url, depth);
                record.error = Some(FetchError {
                    kind: ErrorKind::RobotsDisallowed,
                    message: "exclu par robots.txt".into(),
                });
                return Fetched { record, text: None };
            }
        }
        self.fetch_raw(
            url,
            depth,
            want,
            in_scope,
            &host,
            self.config.respect_robots,
        )
        .await
    }

    async fn fetch_raw(
        &self,
        url: &Url,
        depth: u32,
        want: Want,
        in_scope: &(dyn Fn(&Url) -> bool + Sync),
        first_host: &HostState,
        check_robots: bool,
    ) -> Fetched {
        let started = Instant::now();
        let mut record = FetchRecord::new(url, depth);
        let mut current = url.clone();
        let mut seen = vec![url.to_string()];
        let mut attempts = 0u32;
        let mut hop_host: Option<Arc<HostState>> = None;
        loop {
            let host_ref: &HostState = hop_host.as_deref().unwrap_or(first_host);
            let outcome = self
                .attempt_with_retries(&current, want, host_ref, &mut attempts)
                .await;
            record.attempts = attempts;
            match outcome {
                Attempt::Redirect { status, location } => {
                    record.redirects.push(Redirect {
                        url: current.to_string(),
                        status,
                    });
                    let next = match current.join(&location) {
                        Ok(mut u) => {
                            u.set_fragment(None);
                            u
                        }
                        Err(_) => {
                            record.status = Some(status);
                            record.error = Some(FetchError {
                                kind: ErrorKind::InvalidUrl,
                                message: format!("redirection vers une URL invalide : {location}"),
                            });
                            break;
                        }
                    };
                    record.final_url = next.to_string();
                    if !matches!(next.scheme(), "http" | "https") {
                        record.status = Some(status);
                        record.error = Some(FetchError {
                            kind: ErrorKind::UnsupportedScheme,
                            message: format!("redirection vers {next}"),
                        });
                        break;
                    }
                    if seen.iter().any(|s| s == next.as_str()) {
                        record.status = Some(status);
                        record.error = Some(FetchError {
                            kind: ErrorKind::RedirectLoop,
                            message: format!("boucle de redirections revenant à {next}"),
                        });
                        break;
                    }
                    if record.redirects.len() >= self.config.max_redirects {
                        record.status = Some(status);
                        record.error = Some(FetchError {
                            kind: ErrorKind::TooManyRedirects,
                            message: format!("plus de {} redirections", self.config.max_redirects),
                        });
                        break;
                    }
                    if !in_scope(&next) {
                        record.status = Some(status);
                        record.error = Some(FetchError {
                            kind: ErrorKind::RedirectOutOfScope,
                            message: format!("redirection hors du périmètre : {next}"),
                        });
                        break;
                    }
                    if check_robots && host_key(&next) != host_key(&current) {
                        // Boxed: robots() itself fetches through fetch_raw.
                        let robots = Box::pin(self.robots(&next)).await;
                        if !robots.allowed(&next) {
                            record.error = Some(FetchError {
                                kind: ErrorKind::RobotsDisallowed,
                                message: format!("redirection vers {next}, exclu par robots.txt"),
                            });
                            break;
                        }
                    }
                    if host_key(&next) != host_key(&current) {
                        hop_host = Some(self.host(&next));
                    }
                    seen.push(next.to_string());
                    current = next;
                }
                Attempt::Done(done) => {
                    record.status = done.status;
                    record.content_type = done.content_type;
                    record.size = done.size;
                    record.ttfb_ms = done.ttfb_ms;
                    record.error = done.error;
                    record.x_robots_tag = done.x_robots_tag;
                    let text = done.body.map(|bytes| {
                        let d = charset::decode(&bytes, record.content_type.as_deref());
                        record.charset = Some(d.encoding.to_string());
                        record.charset_source = Some(d.source);
                        d.text
                    });
                    record.total_ms = started.elapsed().as_millis() as u64;
                    return Fetched { record, text };
                }
            }
        }
        record.total_ms = started.elapsed().as_millis() as u64;
        Fetched { record, text: None }
    }

    async fn attempt_with_retries(
        &self,
        url: &Url,
        want: Want,
        host: &HostState,
        attempts: &mut u32,
    ) -> Attempt {
        let mut retry = 0u32;
        loop {
            self.wait_turn(host).await;
            *attempts += 1;
            let result = {
                let _permit = self.global.acquire().await;
                self.attempt(url, want).await
            };
            let wait = match &result {
                Attempt::Done(d) => {
                    let retryable_status = matches!(
                        d.status,
                        Some(429) | Some(500) | Some(502) | Some(503) | Some(504)
                    );
                    let retryable_error = matches!(
                        d.error.as_ref().map(|e| e.kind),
                        Some(ErrorKind::Timeout)
                            | Some(ErrorKind::Connect)
                            | Some(ErrorKind::ConnectionReset)
                    );
                    if retry >= self.config.retries || !(retryable_status || retryable_error) {
                        return result;
                    }
                    let backoff = Duration::from_millis(
                        self.config
                            .backoff_base_ms
                            .saturating_mul(1 << retry.min(10)),
                    );
                    match d.retry_after {
                        Some(ra) => ra
                            .min(Duration::from_millis(self.config.max_retry_after_ms))
                            .max(backoff),
                        None => backoff,
                    }
                }
                Attempt::Redirect { .. } => return result,
            };
            tracing::debug!(%url, retry, ?wait, "nouvel essai");
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }

    async fn attempt(&self, url: &Url, want: Want) -> Attempt {
        let started = Instant::now();
        if self.config.block_private_addresses {
            if let Some(reason) = super::address::literal_is_blocked(url) {
                return Attempt::Done(Done::blocked(reason));
            }
        }
        let resp = match self.client.get(url.clone()).send().await {
            Ok(r) => r,
            Err(e) => return Attempt::Done(Done::error(classify(&e), e)),
        };
        let ttfb_ms = Some(started.elapsed().as_millis() as u64);
        let status = resp.status().as_u16();
        let headers = resp.headers();
        if (300..400).contains(&status) {
            if let Some(loc) = headers
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
            {
                return Attempt::Redirect {
                    status,
                    location: loc.to_string(),
                };
            }
        }
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let declared_len = resp.content_length();
        let mut done = Done {
            status: Some(status),
            content_type: content_type.clone(),
            size: declared_len.unwrap_or(0),
            ttfb_ms,
            error: None,
            body: None,
            retry_after,
            x_robots_tag: x_robots_tag(headers),
        };
        if status >= 400 {
            done.error = Some(FetchError {
                kind: ErrorKind::HttpStatus,
                message: format!("statut HTTP {status}"),
            });
        }
        let read_body = match want {
            Want::Resource => true,
            Want::Page => content_type.as_deref().map(is_html_type).unwrap_or(true),
        };
        if !read_body || status >= 400 {
            return Attempt::Done(done);
        }
        if let Some(len) = declared_len {
            if len as usize > self.config.max_body_bytes {
                done.error = Some(FetchError {
                    kind: ErrorKind::BodyTooLarge,
                    message: format!(
                        "corps de {len} octets, limite {}",
                        self.config.max_body_bytes
                    ),
                });
                return Attempt::Done(done);
            }
        }
        let mut body: Vec<u8> = Vec::new();
        let mut resp = resp;
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.config.max_body_bytes {
                        done.size = (body.len() + chunk.len()) as u64;
                        done.error = Some(FetchError {
                            kind: ErrorKind::BodyTooLarge,
                            message: format!(
                                "corps au-delà de la limite de {} octets",
                                self.config.max_body_bytes
                            ),
                        });
                        return Attempt::Done(done);
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    done.size = body.len() as u64;
                    let kind = if e.is_timeout() {
                        ErrorKind::Timeout
                    } else {
                        ErrorKind::BodyTruncated
                    };
                    done.error = Some(FetchError {
                        kind,
                        message: format!(
                            "corps interrompu après {} octets : {}",
                            body.len(),
                            error_chain(&e)
                        ),
                    });
                    return Attempt::Done(done);
                }
            }
        }
        done.size = body.len() as u64;
        if want == Want::Page && looks_binary(&body) {
            done.error = Some(FetchError {
                kind: ErrorKind::BinaryBody,
                message: "contenu binaire annoncé comme HTML".into(),
            });
            return Attempt::Done(done);
        }
        if content_type.is_none() && want == Want::Page {
            done.content_type = Some("text/html".into());
        }
        done.body = Some(body);
        Attempt::Done(done)
    }
}

enum Attempt {
    Redirect { status: u16, location: String },
    Done(Done),
}

struct Done {
    status: Option<u16>,
    content_type: Option<String>,
    size: u64,
    ttfb_ms: Option<u64>,
    error: Option<FetchError>,
    body: Option<Vec<u8>>,
    retry_after: Option<Duration>,
    x_robots_tag: Vec<String>,
}

impl Done {
    fn blocked(message: String) -> Done {
        Done {
            status: None,
            content_type: None,
            size: 0,
            ttfb_ms: None,
            error: Some(FetchError {
                kind: ErrorKind::BlockedAddress,
                message,
            }),
            body: None,
            retry_after: None,
            x_robots_tag: Vec::new(),
        }
    }

    fn error(kind: ErrorKind, e: reqwest::Error) -> Done {
        Done {
            status: None,
            content_type: None,
            size: 0,
            ttfb_ms: None,
            error: Some(FetchError {
                kind,
                message: error_chain(&e),
            }),
            body: None,
            retry_after: None,
            x_robots_tag: Vec::new(),
        }
    }
}

/// The `X-Robots-Tag` values of a response, bounded (a hostile server may send thousands).
fn x_robots_tag(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("x-robots-tag")
        .iter()
        .take(8)
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.trim().chars().take(300).collect::<String>())
        .filter(|v| !v.is_empty())
        .collect()
}

fn classify(e: &reqwest::Error) -> ErrorKind {
    if error_chain(e).contains(super::address::BLOCKED_MARKER) {
        ErrorKind::BlockedAddress
    } else if e.is_timeout() {
        ErrorKind::Timeout
    } else if e.is_connect() {
        ErrorKind::Connect
    } else if e.is_body() || e.is_decode() {
        ErrorKind::BodyTruncated
    } else {
        classify_cause(e)
    }
}

/// A failure before the body, from its cause: a reset connection or a response that is not HTTP.
fn classify_cause(e: &(dyn std::error::Error + 'static)) -> ErrorKind {
    let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(inner) = src {
        if let Some(h) = inner.downcast_ref::<hyper::Error>() {
            if h.is_parse() || h.is_parse_too_large() || h.is_parse_status() {
                return ErrorKind::InvalidResponse;
            }
            if h.is_incomplete_message() || h.is_closed() {
                return ErrorKind::ConnectionReset;
            }
        }
        if let Some(io) = inner.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as Io;
            if matches!(
                io.kind(),
                Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof
            ) {
                return ErrorKind::ConnectionReset;
            }
        }
        src = inner.source();
    }
    ErrorKind::Other
}

/// The error and its sources, so the message names the cause.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(" : ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

/// Retry-After as delay seconds or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let delta = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

/// NUL bytes in the first kilobyte: not text.
fn looks_binary(body: &[u8]) -> bool {
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    body.iter().take(1024).any(|&b| b == 0)
}

/// The fetcher is the browser's gate: the browser's requests wait for the same per-host turns
/// as the crawler's, and obey the same guard and robots.txt.
impl super::render::RequestGate for Fetcher {
    fn decide<'a>(
        &'a self,
        url: &'a Url,
        kind: super::render::RequestKind,
    ) -> super::render::GateFuture<'a> {
        Box::pin(self.admit_browser_request(url, kind))
    }
    fn user_agent(&self) -> &str {
        &self.config.user_agent
    }
}
