//! Crawler behaviour against local fixture servers (127.0.0.1, random ports): politeness,
//! budgets, redirects, errors, charsets, sitemaps. No test touches the internet.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use indicatif::ProgressBar;
use url::Url;
use vigie::analyze::{CrawledPage, StaticAnalyser};
use vigie::crawl::{self, CrawlPlan, CssCache, ErrorKind, FetchConfig, Fetcher};
use vigie::model::AuditSettings;
use vigie::serve::{self, FixtureServer, Source};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/crawl")
        .join(name)
}

async fn server(name: &str) -> FixtureServer {
    serve::start(Source::Disk(fixture(name)))
        .await
        .expect("fixture server")
}

fn fast_config() -> FetchConfig {
    FetchConfig {
        requests_per_second: 0.0,
        retries: 0,
        backoff_base_ms: 50,
        total_timeout_ms: 1_000,
        read_timeout_ms: 1_000,
        ..FetchConfig::default()
    }
}

async fn crawl_with(
    server: &FixtureServer,
    config: FetchConfig,
    tweak: impl FnOnce(&mut CrawlPlan),
) -> Vec<CrawledPage> {
    let fetcher = Arc::new(Fetcher::new(config).expect("client"));
    let mut plan = CrawlPlan::new(Url::parse(&server.url()).expect("url"));
    plan.max_pages = 100;
    plan.max_depth = 10;
    tweak(&mut plan);
    crawl::crawl(
        std::sync::Arc::new(StaticAnalyser),
        fetcher,
        Arc::new(CssCache::default()),
        &plan,
        &ProgressBar::hidden(),
    )
    .await
}

fn page<'a>(pages: &'a [CrawledPage], path: &str) -> &'a CrawledPage {
    pages
        .iter()
        .find(|p| {
            Url::parse(&p.record.requested_url)
                .map(|u| u.path() == path)
                .unwrap_or(false)
        })
        .unwrap_or_else(|| {
            panic!(
                "{path} not crawled; crawled: {:?}",
                pages
                    .iter()
                    .map(|p| &p.record.requested_url)
                    .collect::<Vec<_>>()
            )
        })
}

fn error_kind(p: &CrawledPage) -> Option<ErrorKind> {
    p.record.error.as_ref().map(|e| e.kind)
}

#[tokio::test]
async fn failures_are_recorded_and_every_other_page_is_audited() {
    let s = server("site").await;
    let pages = crawl_with(&s, fast_config(), |_| {}).await;

    // robots.txt: the disallowed page is recorded, never requested.
    assert_eq!(
        error_kind(page(&pages, "/prive/secret.html")),
        Some(ErrorKind::RobotsDisallowed)
    );
    assert!(s.requests().iter().all(|r| !r.path.starts_with("/prive/")));

    // A recorded redirect chain.
    let r = page(&pages, "/redir1");
    assert_eq!(
        r.record
            .redirects
            .iter()
            .map(|h| h.status)
            .collect::<Vec<_>>(),
        vec![301, 302]
    );
    assert!(r.record.final_url.ends_with("/c.html"));
    assert_eq!(r.record.status, Some(200));
    assert!(r.analysis.is_some());

    assert_eq!(
        error_kind(page(&pages, "/boucle1")),
        Some(ErrorKind::RedirectLoop)
    );
    // 6 hops is within the default limit of 10.
    assert!(page(&pages, "/loin")
        .record
        .final_url
        .ends_with("/c.html?fin"));
    assert_eq!(
        error_kind(page(&pages, "/ailleurs")),
        Some(ErrorKind::RedirectOutOfScope)
    );

    let e = page(&pages, "/erreur");
    assert_eq!(
        (e.record.status, error_kind(e)),
        (Some(500), Some(ErrorKind::HttpStatus))
    );
    let a = page(&pages, "/absent.html");
    assert_eq!(a.record.status, Some(404));

    assert_eq!(error_kind(page(&pages, "/lent")), Some(ErrorKind::Timeout));
    assert_eq!(
        error_kind(page(&pages, "/binaire")),
        Some(ErrorKind::BinaryBody)
    );

    // Documents are not crawled as pages; mailto is ignored; fragments are stripped.
    assert!(pages
        .iter()
        .all(|p| !p.record.requested_url.ends_with(".pdf")));
    assert!(pages.iter().all(|p| !p.record.requested_url.contains('#')));
    assert_eq!(
        pages
            .iter()
            .filter(|p| p.record.requested_url.ends_with("/a.html"))
            .count(),
        1
    );

    // The good pages were all analysed despite the failures.
    for path in [
        "/",
        "/a.html",
        "/a1.html",
        "/a2.html",
        "/a3.html",
        "/b.html",
        "/gros.html",
    ] {
        assert!(page(&pages, path).analysis.is_some(), "{path} analysed");
    }
    // Honest User-Agent on every request.
    assert!(s
        .requests()
        .iter()
        .all(|r| r.user_agent.starts_with("vigie/")));
}

#[tokio::test]
async fn too_long_redirect_chains_are_stopped() {
    let s = server("site").await;
    let config = FetchConfig {
        max_redirects: 3,
        ..fast_config()
    };
    let pages = crawl_with(&s, config, |p| {
        p.entries = vec![Url::parse(&format!("{}loin", s.url())).expect("url")]
    })
    .await;
    let l = page(&pages, "/loin");
    assert_eq!(error_kind(l), Some(ErrorKind::TooManyRedirects));
    assert_eq!(l.record.redirects.len(), 3);
}

#[tokio::test]
async fn oversized_bodies_are_recorded_not_fatal() {
    let s = server("site").await;
    let config = FetchConfig {
        max_body_bytes: 20_000,
        ..fast_config()
    };
    let pages = crawl_with(&s, config, |_| {}).await;
    let g = page(&pages, "/gros.html");
    assert_eq!(error_kind(g), Some(ErrorKind::BodyTooLarge));
    assert!(g.analysis.is_none());
    assert!(page(&pages, "/b.html").analysis.is_some());
}

#[tokio::test]
async fn page_and_depth_budgets_hold() {
    let s = server("site").await;
    let pages = crawl_with(&s, fast_config(), |p| p.max_pages = 4).await;
    assert_eq!(pages.len(), 4);

    let pages = crawl_with(&s, fast_config(), |p| p.max_depth = 1).await;
    assert!(pages.iter().all(|p| p.record.depth <= 1));
    assert!(pages
        .iter()
        .any(|p| p.record.requested_url.ends_with("/a.html")));
    assert!(!pages
        .iter()
        .any(|p| p.record.requested_url.ends_with("/a1.html")));

    let pages = crawl_with(&s, fast_config(), |p| p.max_depth = 2).await;
    assert!(pages
        .iter()
        .any(|p| p.record.requested_url.ends_with("/a1.html")));
    assert!(!pages
        .iter()
        .any(|p| p.record.requested_url.ends_with("/a2.html")));
}

#[tokio::test]
async fn per_host_rate_is_never_exceeded() {
    let s = server("site").await;
    let config = FetchConfig {
        requests_per_second: 10.0,
        concurrency: 8,
        ..fast_config()
    };
    let pages = crawl_with(&s, config, |p| p.max_pages = 8).await;
    assert_eq!(pages.len(), 8);
    let mut times: Vec<_> = s.requests().iter().map(|r| r.at).collect();
    times.sort();
    assert!(times.len() >= 8);
    for w in times.windows(2) {
        let gap = w[1] - w[0];
        // 10 requests/s: 100 ms apart; allow 10 % for timer jitter.
        assert!(gap >= Duration::from_millis(90), "requests {gap:?} apart");
    }
}

#[tokio::test]
async fn retry_after_is_honoured_and_capped() {
    let s = server("site").await;
    let fetcher = Fetcher::new(FetchConfig {
        retries: 1,
        max_retry_after_ms: 300,
        ..fast_config()
    })
    .expect("client");
    let any = |_: &Url| true;

    // 429 with Retry-After: 1 s, capped to 300 ms: two attempts at least 300 ms apart.
    let f = fetcher
        .fetch(
            &Url::parse(&format!("{}trop", s.url())).expect("url"),
            0,
            crawl::Want::Page,
            &any,
        )
        .await;
    assert_eq!(f.record.status, Some(429));
    assert_eq!(f.record.attempts, 2);
    let times: Vec<_> = s
        .requests()
        .iter()
        .filter(|r| r.path == "/trop")
        .map(|r| r.at)
        .collect();
    assert_eq!(times.len(), 2);
    assert!(times[1] - times[0] >= Duration::from_millis(290));

    // An absurd Retry-After does not stall the audit.
    let started = std::time::Instant::now();
    let f = fetcher
        .fetch(
            &Url::parse(&format!("{}absurde", s.url())).expect("url"),
            0,
            crawl::Want::Page,
            &any,
        )
        .await;
    assert_eq!(f.record.status, Some(503));
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn charsets_decode_from_header_meta_bom_and_default() {
    let s = server("charsets").await;
    let pages = crawl_with(&s, fast_config(), |_| {}).await;
    let title = |path: &str| {
        page(&pages, path)
            .analysis
            .as_ref()
            .and_then(|a| a.facts.title.clone())
    };
    let charset = |path: &str| {
        (
            page(&pages, path).record.charset.clone(),
            page(&pages, path).record.charset_source,
        )
    };
    use vigie::crawl::charset::CharsetSource::*;
    assert_eq!(
        title("/header-1252.html").as_deref(),
        Some("Déclaration en ligne")
    );
    assert_eq!(
        charset("/header-1252.html"),
        (Some("windows-1252".into()), Some(Header))
    );
    assert_eq!(
        title("/meta-latin1.html").as_deref(),
        Some("Élément à côté")
    );
    assert_eq!(
        charset("/meta-latin1.html"),
        (Some("windows-1252".into()), Some(Meta))
    );
    assert_eq!(title("/bom-utf8.html").as_deref(), Some("Fenêtre ouverte"));
    assert_eq!(charset("/bom-utf8.html"), (Some("UTF-8".into()), Some(Bom)));
    assert_eq!(
        title("/sans-charset.html").as_deref(),
        Some("Réclamation sans déclaration")
    );
    assert_eq!(
        charset("/sans-charset.html"),
        (Some("windows-1252".into()), Some(Default))
    );
}

#[tokio::test]
async fn sitemaps_and_indexes_seed_the_crawl() {
    let s = server("sitemap").await;
    let pages = crawl_with(&s, fast_config(), |_| {}).await;
    assert!(page(&pages, "/cachee.html").analysis.is_some());
    assert!(page(&pages, "/profonde.html").analysis.is_some());
    assert!(pages
        .iter()
        .all(|p| !p.record.requested_url.contains("autre-site")));

    let pages = crawl_with(&s, fast_config(), |p| p.use_sitemaps = false).await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn crawl_delay_slows_the_host() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("robots.txt"),
        "User-agent: *\nCrawl-delay: 0.4\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("index.html"),
        "<a href=/1.html>1</a><a href=/2.html>2</a>",
    )
    .expect("write");
    std::fs::write(dir.path().join("1.html"), "<p>1</p>").expect("write");
    std::fs::write(dir.path().join("2.html"), "<p>2</p>").expect("write");
    let s = serve::start(Source::Disk(dir.path().to_path_buf()))
        .await
        .expect("server");
    let config = FetchConfig {
        requests_per_second: 50.0,
        ..fast_config()
    };
    let pages = crawl_with(&s, config, |p| p.use_sitemaps = false).await;
    assert_eq!(pages.len(), 3);
    let mut times: Vec<_> = s.requests().iter().map(|r| r.at).collect();
    times.sort();
    for w in times.windows(2).skip(1) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(360),
            "crawl-delay not honoured: {:?}",
            w[1] - w[0]
        );
    }
}

#[tokio::test]
async fn robots_5xx_disallows_all_and_4xx_allows_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("index.html"), "<a href=/1.html>1</a>").expect("write");
    std::fs::write(dir.path().join("1.html"), "<p>1</p>").expect("write");
    std::fs::write(
        dir.path().join("_server.toml"),
        "[[route]]\npath = \"/robots.txt\"\nstatus = 503\n",
    )
    .expect("write");
    let s = serve::start(Source::Disk(dir.path().to_path_buf()))
        .await
        .expect("server");
    let pages = crawl_with(&s, fast_config(), |_| {}).await;
    assert_eq!(pages.len(), 1);
    assert_eq!(error_kind(&pages[0]), Some(ErrorKind::RobotsDisallowed));
    assert!(s.requests().iter().all(|r| r.path == "/robots.txt"));

    std::fs::remove_file(dir.path().join("_server.toml")).expect("rm");
    let s = serve::start(Source::Disk(dir.path().to_path_buf()))
        .await
        .expect("server");
    let pages = crawl_with(&s, fast_config(), |_| {}).await;
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn private_addresses_are_refused_when_blocking() {
    let s = server("site").await;
    let fetcher = Fetcher::new(FetchConfig {
        block_private_addresses: true,
        ..fast_config()
    })
    .expect("client");
    let any = |_: &Url| true;
    let f = fetcher
        .fetch(
            &Url::parse(&s.url()).expect("url"),
            0,
            crawl::Want::Page,
            &any,
        )
        .await;
    assert_eq!(error_kind_of(&f.record), Some(ErrorKind::BlockedAddress));
    let f = fetcher
        .fetch(
            &Url::parse(&format!("http://localhost:{}/", s.addr.port())).expect("url"),
            0,
            crawl::Want::Page,
            &any,
        )
        .await;
    assert_eq!(error_kind_of(&f.record), Some(ErrorKind::BlockedAddress));
    assert!(s.requests().is_empty(), "a blocked address was contacted");
}

#[tokio::test]
async fn audit_blocks_private_addresses_only_for_public_starts() {
    use vigie::audit::{audit, AuditOptions};
    use vigie::catalogue::Demarche;
    let s = server("site").await;
    let local = Demarche::from_url(Url::parse(&s.url()).expect("url"));
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: fast_config(),
            max_pages: 3,
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    };
    let r = audit(std::slice::from_ref(&local), &opts)
        .await
        .expect("audit");
    assert!(!r.config.fetch.block_private_addresses);
    assert!(r.demarches[0].pages[0].record.error.is_none());

    // A public start turns the guard on (decided without contacting it), unless allowed.
    let public = Demarche::from_url(Url::parse("https://www.caf.fr/").expect("url"));
    let both = [public, local.clone()];
    assert!(vigie::audit::blocks_private_addresses(&both, &opts));
    assert!(!vigie::audit::blocks_private_addresses(
        &both,
        &AuditOptions {
            settings: AuditSettings {
                allow_private_addresses: true,
                ..opts.settings.clone()
            },
            ..opts.clone()
        }
    ));
    assert!(!vigie::audit::blocks_private_addresses(
        std::slice::from_ref(&local),
        &opts
    ));
    let r = audit(
        &[local],
        &AuditOptions {
            settings: AuditSettings {
                allow_private_addresses: true,
                ..opts.settings
            },
            ..opts
        },
    )
    .await
    .expect("audit");
    assert!(!r.config.fetch.block_private_addresses);
}

fn error_kind_of(r: &vigie::crawl::FetchRecord) -> Option<ErrorKind> {
    r.error.as_ref().map(|e| e.kind)
}

/// The gate the browser's own requests go through (no browser needed to test its decisions).
#[tokio::test]
async fn the_browser_gate_applies_the_crawl_rules() {
    use vigie::crawl::{RequestGate, RequestKind};
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("robots.txt"),
        "User-agent: *\nDisallow: /prive/\n",
    )
    .expect("write");
    let s = serve::start(Source::Disk(dir.path().to_path_buf()))
        .await
        .expect("server");
    let base = Url::parse(&s.url()).expect("url");
    let open = Fetcher::new(fast_config()).expect("client");
    async fn decide(f: &Fetcher, u: &str) -> Result<(), String> {
        let u = Url::parse(u).expect("url");
        let gate: &dyn RequestGate = f;
        gate.decide(&u, RequestKind::Subresource).await
    }
    assert_eq!(
        decide(&open, base.join("/a.js").expect("url").as_str()).await,
        Ok(())
    );
    assert_eq!(
        decide(&open, base.join("/prive/x").expect("url").as_str()).await,
        Err("exclu par robots.txt".to_string())
    );
    assert_eq!(decide(&open, "data:text/plain,x").await, Ok(()));
    assert_eq!(
        decide(&open, "file:///etc/passwd").await,
        Err("schéma refusé : file".to_string())
    );
    // Link-local is refused even with the guard lifted (an audit of a local site).
    assert_eq!(
        decide(&open, "http://[fe80::1]/").await,
        Err("adresse non publique refusée : [fe80::1]".to_string())
    );
    // With the guard on (a public audit), a local name is refused.
    let guarded = Fetcher::new(FetchConfig {
        block_private_addresses: true,
        ..fast_config()
    })
    .expect("client");
    assert_eq!(
        decide(&guarded, &format!("http://localhost:{}/", s.addr.port())).await,
        Err("adresse non publique refusée : localhost".to_string())
    );
    assert_eq!(open.user_agent(), vigie::user_agent());
    // Only the robots.txt was fetched: a decision is not a fetch.
    let paths: Vec<String> = s.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/robots.txt"]);
}
