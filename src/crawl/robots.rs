//! robots.txt (RFC 9309) through `texting_robots`.

use std::time::Duration;

use url::Url;

/// What the fetch of a robots.txt returned, as the fetcher hands it over (this module does not
/// fetch).
#[derive(Debug, Clone, Copy)]
pub struct RobotsResponse<'a> {
    pub status: Option<u16>,
    /// The fetch error's message, if the fetch failed.
    pub error: Option<&'a str>,
    /// The fetch failed because the body exceeded the size limit.
    pub too_large: bool,
    pub text: Option<&'a str>,
}

/// Largest robots.txt read (RFC 9309 asks parsers to read at least 500 KiB).
const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// Longest Crawl-delay honoured, so a hostile value cannot stall a campaign.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// The parsed rules for one host, or a blanket decision.
pub enum Robots {
    AllowAll,
    DisallowAll { reason: String },
    Parsed(Box<texting_robots::Robot>),
}

impl Robots {
    pub fn allow_all() -> Robots {
        Robots::AllowAll
    }

    /// Product token matched against User-agent lines ("vigie").
    fn agent_token(user_agent: &str) -> &str {
        user_agent.split('/').next().unwrap_or(user_agent)
    }

    /// Decide from the fetch of /robots.txt: 2xx parsed; 4xx allow all; 5xx or unreachable
    /// disallow all (RFC 9309 §2.3.1).
    pub fn from_response(f: RobotsResponse<'_>, user_agent: &str) -> Robots {
        match f.status {
            Some(200..=299) => {
                let Some(text) = f.text else {
                    return Robots::AllowAll;
                };
                let bytes = &text.as_bytes()[..text.len().min(MAX_ROBOTS_BYTES)];
                match texting_robots::Robot::new(Self::agent_token(user_agent), bytes) {
                    Ok(r) => Robots::Parsed(Box::new(r)),
                    Err(_) => Robots::AllowAll,
                }
            }
            Some(400..=499) => Robots::AllowAll,
            Some(s) => Robots::DisallowAll {
                reason: format!("robots.txt a répondu {s}"),
            },
            // A redirect loop or an oversized file is unreachable in RFC 9309 terms.
            None if f.too_large => Robots::AllowAll,
            None => Robots::DisallowAll {
                reason: format!("robots.txt inaccessible ({})", f.error.unwrap_or("erreur")),
            },
        }
    }

    pub fn allowed(&self, url: &Url) -> bool {
        match self {
            Robots::AllowAll => true,
            Robots::DisallowAll { .. } => url.path() == "/robots.txt",
            Robots::Parsed(r) => r.allowed(url.as_str()),
        }
    }

    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Robots::Parsed(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY)),
            _ => None,
        }
    }

    pub fn sitemaps(&self) -> Vec<String> {
        match self {
            Robots::Parsed(r) => r.sitemaps.clone(),
            _ => Vec::new(),
        }
    }
}

/// How the fetch of a robots.txt ended, as reported (not as the crawler decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RobotsStatus {
    /// 2xx with a body: the rules apply.
    Fetched,
    /// 4xx: no robots.txt, everything is allowed (RFC 9309 §2.3.1.3).
    Absent,
    /// 5xx: the site is to be treated as fully disallowed (RFC 9309 §2.3.1.4).
    ServerError,
    /// No usable answer (network error, redirect failure, unreadable body).
    Unreachable,
}

/// The robots.txt of a host as fetched, kept so that other user agents (search engines) can
/// be evaluated with the same crate; the text is capped like the parser's input.
#[derive(Debug, Clone)]
pub struct RobotsFile {
    pub url: String,
    pub status: RobotsStatus,
    pub http_status: Option<u16>,
    pub error: Option<String>,
    pub text: Option<String>,
}

impl RobotsFile {
    pub fn from_response(url: &Url, f: RobotsResponse<'_>) -> RobotsFile {
        let error = f.error.map(str::to_string);
        let status = match (f.status, f.text) {
            (Some(200..=299), Some(_)) if f.error.is_none() => RobotsStatus::Fetched,
            (Some(400..=499), _) => RobotsStatus::Absent,
            (Some(500..=599), _) => RobotsStatus::ServerError,
            _ => RobotsStatus::Unreachable,
        };
        let text = f.text.filter(|_| status == RobotsStatus::Fetched).map(|t| {
            let mut end = t.len().min(MAX_ROBOTS_BYTES);
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            t[..end].to_string()
        });
        RobotsFile {
            url: url.to_string(),
            status,
            http_status: f.status,
            error,
            text,
        }
    }
}
