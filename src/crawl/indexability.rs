//! Indexability facts of a démarche (Cerfa criterion 32): what its robots.txt says to the major
//! search engines about the start page, and what its sitemaps list. The rules are matched by
//! `texting_robots` (the crate the crawler obeys), never by hand.

use std::collections::{HashSet, VecDeque};

use serde::{Deserialize, Serialize};
use url::Url;

use super::robots::{RobotsFile, RobotsStatus};
use super::{normalize, origin_of, sitemap, Fetcher, Scope, Want};

/// Sitemap files read per démarche (indexes followed).
const MAX_SITEMAP_FILES: usize = 10;
/// Disallow lines tried when looking for the rule that blocks a URL.
const MAX_RULE_CANDIDATES: usize = 100;
/// A path no site links to: disallowed together with `/`, the whole site is closed.
const PROBE_PATH: &str = "/vigie-sonde-indexation.html";

/// The user agents judged: every robot, then the two major search engines. The first item is
/// the token matched against `User-agent` lines, the second the name shown in the report.
pub const AGENTS: &[(&str, &str)] = &[
    ("*", "*"),
    ("googlebot", "Googlebot"),
    ("bingbot", "Bingbot"),
];

/// Indexability facts of one démarche, gathered before its crawl.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Indexability {
    /// The URL judged: the démarche's start URL.
    pub start_url: String,
    pub robots: RobotsFacts,
    pub sitemap: SitemapFacts,
}

/// What robots.txt says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RobotsFacts {
    pub url: String,
    pub status: RobotsStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `Sitemap:` lines, as written.
    #[serde(default)]
    pub sitemaps: Vec<String>,
    /// Access of each agent of [`AGENTS`]; empty when robots.txt could not be read.
    #[serde(default)]
    pub agents: Vec<AgentAccess>,
}

/// Access of one user agent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AgentAccess {
    pub agent: String,
    /// The start page may be crawled.
    pub start_allowed: bool,
    /// The root and an arbitrary page are both disallowed: the whole site is closed.
    pub site_blocked: bool,
    /// The rule that disallows the start page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<RobotsRule>,
}

/// One line of robots.txt.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RobotsRule {
    /// Line number, from 1.
    pub line: usize,
    pub text: String,
}

/// What the sitemaps list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SitemapFacts {
    /// The sitemaps came from robots.txt `Sitemap:` lines (else /sitemap.xml was tried).
    pub declared: bool,
    /// Files fetched, indexes included.
    pub files: Vec<SitemapFile>,
    /// At least one file was a sitemap (urlset or sitemap index).
    pub found: bool,
    /// Page URLs listed across the files read.
    pub page_urls: usize,
    /// The start URL is listed (scheme ignored).
    pub start_listed: bool,
    /// More files were listed than were read.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// One sitemap file fetched.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SitemapFile {
    pub url: String,
    pub status: Option<u16>,
    /// The body is a sitemap or a sitemap index.
    pub sitemap: bool,
    pub pages: usize,
    pub sitemaps: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Indexability {
    /// The access of one agent of [`AGENTS`] (by its shown name).
    pub fn agent(&self, name: &str) -> Option<&AgentAccess> {
        self.robots.agents.iter().find(|a| a.agent == name)
    }
}

/// Judge robots.txt for the start URL, for every agent of [`AGENTS`].
pub fn robots_facts(file: &RobotsFile, sitemaps: Vec<String>, start: &Url) -> RobotsFacts {
    let agents = match (file.status, file.text.as_deref()) {
        (RobotsStatus::Fetched, Some(text)) => AGENTS
            .iter()
            .map(|(token, name)| agent_access(text, token, name, start))
            .collect(),
        // No robots.txt: everything is allowed.
        (RobotsStatus::Absent, _) => AGENTS
            .iter()
            .map(|(_, name)| AgentAccess {
                agent: name.to_string(),
                start_allowed: true,
                site_blocked: false,
                rule: None,
            })
            .collect(),
        _ => Vec::new(),
    };
    RobotsFacts {
        url: file.url.clone(),
        status: file.status,
        http_status: file.http_status,
        error: file.error.clone(),
        sitemaps,
        agents,
    }
}

fn allowed(text: &str, token: &str, url: &str) -> bool {
    // A file the crate cannot parse is ignored by the crawler too (allow all).
    texting_robots::Robot::new(token, text.as_bytes())
        .map(|r| r.allowed(url))
        .unwrap_or(true)
}

fn agent_access(text: &str, token: &str, name: &str, start: &Url) -> AgentAccess {
    let start_allowed = allowed(text, token, start.as_str());
    let site_blocked = !allowed(text, token, "/") && !allowed(text, token, PROBE_PATH);
    AgentAccess {
        agent: name.to_string(),
        start_allowed,
        site_blocked,
        rule: if start_allowed {
            None
        } else {
            blocking_rule(text, token, start.as_str())
        },
    }
}

/// A path used to probe which group a line belongs to; no site has it.
const GROUP_PROBE: &str = "/vigie-sonde-groupe-7f3a9c";

/// The Disallow line that blocks `url` for `token`, found with the crate itself: among the lines
/// of the agent's group (a line is in the group when a rule written in its place applies to
/// the agent), the one whose removal lets the URL through; with redundant rules, the longest
/// line of the group that blocks it on its own. None when the URL is allowed.
/// The first `X-Robots-Tag` value that forbids indexing to every search engine, Googlebot or
/// Bingbot (`noindex` or `none`), if any. A value may start with the engine it addresses
/// (`googlebot: noindex`); one addressed to another engine does not count.
pub fn x_robots_noindex(values: &[String]) -> Option<&str> {
    const DIRECTIVES: &[&str] = &[
        "all",
        "index",
        "follow",
        "noindex",
        "nofollow",
        "none",
        "noarchive",
        "nosnippet",
        "notranslate",
        "noimageindex",
        "indexifembedded",
        "unavailable_after",
        "max-snippet",
        "max-image-preview",
        "max-video-preview",
    ];
    values.iter().map(String::as_str).find(|value| {
        let lower = value.to_ascii_lowercase();
        let directives = match lower.split_once(':') {
            Some((agent, rest)) if !DIRECTIVES.contains(&agent.trim()) => {
                if !matches!(agent.trim(), "googlebot" | "bingbot" | "*") {
                    return false;
                }
                rest.to_string()
            }
            _ => lower,
        };
        directives
            .split(',')
            .any(|d| matches!(d.trim(), "noindex" | "none"))
    })
}

pub fn blocking_rule(text: &str, token: &str, url: &str) -> Option<RobotsRule> {
    if allowed(text, token, url) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    // Rewrite one line, keeping the others (a removed line would merge groups).
    let with = |i: usize, replacement: &str| -> String {
        let mut out = String::with_capacity(text.len() + replacement.len());
        for (j, l) in lines.iter().enumerate() {
            out.push_str(if j == i { replacement } else { l });
            out.push('\n');
        }
        out
    };
    let probe_allowed = allowed(text, token, GROUP_PROBE);
    let in_group = |i: usize| {
        let rule = if probe_allowed {
            format!("Disallow: {GROUP_PROBE}")
        } else {
            format!("Allow: {GROUP_PROBE}")
        };
        allowed(&with(i, &rule), token, GROUP_PROBE) != probe_allowed
    };
    let candidates: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.trim_start()
                .get(..8)
                .is_some_and(|p| p.eq_ignore_ascii_case("disallow"))
        })
        .map(|(i, _)| i)
        .take(MAX_RULE_CANDIDATES)
        .filter(|&i| in_group(i))
        .collect();
    let rule = |i: usize| RobotsRule {
        line: i + 1,
        text: lines[i].trim().to_string(),
    };
    let neutral = format!("Allow: {GROUP_PROBE}");
    if let Some(&i) = candidates
        .iter()
        .find(|&&i| allowed(&with(i, &neutral), token, url))
    {
        return Some(rule(i));
    }
    candidates
        .iter()
        .copied()
        .filter(|&i| !allowed(&format!("User-agent: *\n{}", lines[i]), "*", url))
        .max_by_key(|&i| lines[i].trim().len())
        .map(rule)
}

/// Same page, scheme ignored (sitemaps often list the https form of an http start URL).
fn same_page(a: &Url, b: &Url) -> bool {
    let (a, b) = (normalize(a), normalize(b));
    a.host_str() == b.host_str() && a.path() == b.path() && a.query() == b.query()
}

/// Within the scope, or on one of its hosts under another scheme (the start URL's redirect to
/// https adds that origin to the crawl's scope only later).
fn plausibly_in_scope(scope: &Scope, u: &Url) -> bool {
    if scope.contains(u) {
        return true;
    }
    let host_ok = scope.origins.iter().any(|o| {
        Url::parse(o)
            .ok()
            .is_some_and(|ou| ou.host_str() == u.host_str())
    });
    host_ok
        && matches!(u.scheme(), "http" | "https")
        && scope
            .path_prefix
            .as_deref()
            .map(|p| u.path().starts_with(p))
            .unwrap_or(true)
}

/// Gather the indexability facts of a démarche, and the sitemap's page URLs that may seed its
/// crawl (at most `seed_limit`, plausibly in scope).
pub async fn scan(
    fetcher: &Fetcher,
    start: &Url,
    scope: &Scope,
    seed_limit: usize,
) -> (Indexability, Vec<Url>) {
    let robots = fetcher.robots(start).await;
    let declared = robots.sitemaps();
    let robots_facts = match fetcher.robots_file(start).await {
        Some(file) => {
            let (start_c, declared_c) = (start.clone(), declared.clone());
            tokio::task::spawn_blocking(move || robots_facts(&file, declared_c, &start_c))
                .await
                .ok()
        }
        None => None,
    }
    .unwrap_or_else(|| RobotsFacts {
        url: start
            .join("/robots.txt")
            .map(|u| u.to_string())
            .unwrap_or_default(),
        status: RobotsStatus::Unreachable,
        http_status: None,
        error: Some("URL de robots.txt impossible à construire".into()),
        sitemaps: declared.clone(),
        agents: Vec::new(),
    });

    // Relative locations are invalid per the protocol but common: resolve them leniently.
    let mut queue: VecDeque<Url> = declared.iter().filter_map(|s| start.join(s).ok()).collect();
    let mut facts = SitemapFacts {
        declared: !queue.is_empty(),
        ..SitemapFacts::default()
    };
    if queue.is_empty() {
        if let Ok(u) = start.join("/sitemap.xml") {
            queue.push_back(u);
        }
    }
    let mut seen = HashSet::new();
    let mut seeds = Vec::new();
    while let Some(sm) = queue.pop_front() {
        if !seen.insert(sm.to_string()) {
            continue;
        }
        if facts.files.len() >= MAX_SITEMAP_FILES {
            facts.truncated = true;
            break;
        }
        let f = fetcher
            .fetch(&sm, 0, Want::Resource, &|u| {
                u.host_str() == start.host_str() || scope.origins.contains(&origin_of(u))
            })
            .await;
        let mut file = SitemapFile {
            url: sm.to_string(),
            status: f.record.status,
            sitemap: false,
            pages: 0,
            sitemaps: 0,
            error: f.record.error.as_ref().map(|e| e.message.clone()),
        };
        let entries = f
            .text
            .as_deref()
            .filter(|_| f.record.ok())
            .and_then(sitemap::read);
        if let Some(entries) = entries {
            file.sitemap = true;
            file.pages = entries.pages.len();
            file.sitemaps = entries.sitemaps.len();
            facts.found = true;
            facts.page_urls += entries.pages.len();
            queue.extend(entries.sitemaps.iter().filter_map(|s| sm.join(s).ok()));
            for u in entries.pages.iter().filter_map(|p| sm.join(p).ok()) {
                if same_page(&u, start) {
                    facts.start_listed = true;
                }
                if seeds.len() < seed_limit && plausibly_in_scope(scope, &u) {
                    seeds.push(u);
                }
            }
        }
        facts.files.push(file);
    }
    let idx = Indexability {
        start_url: start.to_string(),
        robots: robots_facts,
        sitemap: facts,
    };
    (idx, seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x_robots_tag_noindex_for_all_or_the_major_engines_only() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(x_robots_noindex(&v(&["noindex"])), Some("noindex"));
        assert_eq!(
            x_robots_noindex(&v(&["nofollow", "NoArchive, None"])),
            Some("NoArchive, None")
        );
        assert_eq!(
            x_robots_noindex(&v(&["googlebot: noindex, nofollow"])),
            Some("googlebot: noindex, nofollow")
        );
        assert_eq!(
            x_robots_noindex(&v(&["unavailable_after: 25 Jun 2010 15:00:00 PST"])),
            None
        );
        assert_eq!(x_robots_noindex(&v(&["otherbot: noindex"])), None);
        assert_eq!(
            x_robots_noindex(&v(&["nosnippet", "max-snippet: 20"])),
            None
        );
        assert_eq!(x_robots_noindex(&v(&["noindexfoo"])), None);
        assert_eq!(x_robots_noindex(&[]), None);
    }

    fn file(text: &str) -> RobotsFile {
        RobotsFile {
            url: "https://a.fr/robots.txt".into(),
            status: RobotsStatus::Fetched,
            http_status: Some(200),
            error: None,
            text: Some(text.into()),
        }
    }

    fn start() -> Url {
        Url::parse("https://a.fr/demarche/").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn agents_are_matched_by_the_crate_with_the_blocking_line() {
        let text = "# robots\nUser-agent: *\nDisallow: /\n\nUser-agent: Googlebot\nAllow: /\nDisallow: /demarche/\n";
        let f = robots_facts(&file(text), vec![], &start());
        let by = |n: &str| f.agents.iter().find(|a| a.agent == n).cloned();
        let star = by("*").unwrap_or_else(|| panic!("*"));
        assert!(!star.start_allowed && star.site_blocked);
        assert_eq!(
            star.rule,
            Some(RobotsRule {
                line: 3,
                text: "Disallow: /".into()
            })
        );
        let g = by("Googlebot").unwrap_or_else(|| panic!("g"));
        assert!(!g.start_allowed && !g.site_blocked);
        assert_eq!(g.rule.map(|r| r.line), Some(7));
        // Bingbot has no group of its own: the `*` group applies.
        let b = by("Bingbot").unwrap_or_else(|| panic!("b"));
        assert!(!b.start_allowed && b.site_blocked);
    }

    #[test]
    fn redundant_rules_still_name_a_line() {
        let text = "User-agent: *\nDisallow: /demarche\nDisallow: /demarche/\n";
        let r = blocking_rule(text, "*", "https://a.fr/demarche/");
        assert_eq!(r.map(|r| r.line), Some(3));
        assert_eq!(blocking_rule(text, "*", "https://a.fr/autre"), None);
    }

    #[test]
    fn absent_robots_allows_everything_and_errors_decide_nothing() {
        let mut f = file("");
        f.status = RobotsStatus::Absent;
        f.text = None;
        let facts = robots_facts(&f, vec![], &start());
        assert_eq!(facts.agents.len(), 3);
        assert!(facts.agents.iter().all(|a| a.start_allowed));
        f.status = RobotsStatus::ServerError;
        assert!(robots_facts(&f, vec![], &start()).agents.is_empty());
    }

    #[test]
    fn start_listed_ignores_the_scheme() {
        let a = Url::parse("http://a.fr/").unwrap_or_else(|e| panic!("{e}"));
        let b = Url::parse("https://a.fr").unwrap_or_else(|e| panic!("{e}"));
        assert!(same_page(&a, &b));
        let c = Url::parse("https://a.fr/x").unwrap_or_else(|e| panic!("{e}"));
        assert!(!same_page(&a, &c));
    }
}
