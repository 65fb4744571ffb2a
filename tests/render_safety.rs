//! The browser runs hostile code (issue 14, « Robustness and safety »): its own requests obey
//! the crawl's address guard, robots.txt and rate limit, and are recorded; dialogs are
//! dismissed, pop-ups refused; a page that never loads, an endless script or a dead browser
//! cost the page, never the audit. Fixtures in `fixtures/render/hostile/`, served
//! on 127.0.0.1.
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the tests fail, unless
//! VIGIE_SKIP_BROWSER=1. Time limits are shortened so the whole file stays fast.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::crawl::{FetchConfig, Fetcher, RenderStatus, Rendering};
use vigie::model::AuditSettings;
use vigie::render::{Browser, BrowserError, BrowserLimits, RenderMode};
use vigie::report::DemarcheReport;
use vigie::serve::{start, FixtureServer, Source};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render/hostile")
}

/// Two browsers at most at once in this file: more, on a small shared machine, turn every
/// time limit into a coin toss.
async fn turn() -> tokio::sync::SemaphorePermit<'static> {
    static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
    TURNS.acquire().await.expect("sémaphore")
}

/// Chromium is needed; without it, skip only when VIGIE_SKIP_BROWSER=1.
fn browser_present() -> bool {
    if vigie::render::find_browser(None).is_ok() {
        return true;
    }
    if std::env::var("VIGIE_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("chromium absent : test de rendu sauté (VIGIE_SKIP_BROWSER=1)");
        return false;
    }
    panic!(
        "chromium introuvable : installer Debian chromium (apt-get install -y chromium), \
         ou définir VIGIE_CHROMIUM=/chemin, ou VIGIE_SKIP_BROWSER=1 pour sauter ce test"
    );
}

/// The crawl's gate without a rate limit (the tests time the browser, not the spacing).
fn unlimited() -> Fetcher {
    Fetcher::new(FetchConfig {
        requests_per_second: 0.0,
        ..FetchConfig::default()
    })
    .expect("client")
}

async fn server() -> FixtureServer {
    start(Source::Disk(fixture_dir())).await.expect("serveur")
}

/// A short idle wait; the default navigation and page limits, which a loaded machine needs.
fn limits() -> BrowserLimits {
    BrowserLimits {
        idle: Duration::from_secs(1),
        quiet: Duration::from_millis(300),
        ..BrowserLimits::default()
    }
}

/// For pages that never load: a hostile page costs seconds, not the default 20.
fn short_limits() -> BrowserLimits {
    BrowserLimits {
        navigation: Duration::from_secs(4),
        page: Duration::from_secs(8),
        ..limits()
    }
}

fn options(max_pages: usize, requests_per_second: f64) -> AuditOptions {
    AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages,
            use_sitemaps: false,
            probes: 0,
            render: RenderMode::Always,
            ..AuditSettings::default()
        },
        progress: false,
        browser_limits: limits(),
        ..AuditOptions::default()
    }
}

async fn run(srv: &FixtureServer, path: &str, opts: &AuditOptions) -> DemarcheReport {
    let url = Url::parse(&srv.url())
        .and_then(|u| u.join(path))
        .expect("url");
    audit(&[Demarche::from_url(url)], opts)
        .await
        .expect("audit")
        .demarches
        .remove(0)
}

fn rendering(d: &DemarcheReport, path: &str) -> Rendering {
    d.pages
        .iter()
        .find(|p| p.record.requested_url.ends_with(path))
        .unwrap_or_else(|| panic!("page {path}: {:?}", d.pages))
        .rendering
        .clone()
        .unwrap_or_else(|| panic!("rendu non indiqué : {path}"))
}

fn paths(srv: &FixtureServer) -> Vec<String> {
    srv.requests().into_iter().map(|r| r.path).collect()
}

#[tokio::test]
async fn the_browser_requests_obey_the_guard_and_robots_and_are_recorded() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let d = run(&srv, "/index.html", &options(1, 0.0)).await;
    let r = rendering(&d, "/index.html");
    assert_eq!(r.status, RenderStatus::Rendered, "{r:?}");
    let b = r.browser.expect("activité du navigateur");
    // The page itself again, and its same-site fetch.
    assert_eq!(b.requests_allowed, 2, "{b:?} {:?}", paths(&srv));
    assert_eq!(b.requests_refused, 2, "{b:?}");
    let refused: Vec<(&str, &str)> = b
        .refused
        .iter()
        .map(|x| (x.url.as_str(), x.reason.as_str()))
        .collect();
    assert!(
        refused.contains(&(
            &format!("{}prive/secret.json", srv.url()),
            "exclu par robots.txt"
        )),
        "{refused:?}"
    );
    assert!(
        refused.contains(&(
            "http://169.254.169.254/latest/meta-data/",
            "adresse non publique refusée : 169.254.169.254"
        )),
        "{refused:?}"
    );
    let seen = srv.requests();
    assert!(
        !seen.iter().any(|q| q.path.starts_with("/prive/")),
        "{:?}",
        paths(&srv)
    );
    // The browser sends vigie's honest User-Agent.
    let data = seen
        .iter()
        .find(|q| q.path == "/donnees.json")
        .expect("donnees.json demandé");
    assert_eq!(data.user_agent, vigie::user_agent());
}

#[tokio::test]
async fn with_the_guard_on_the_browser_cannot_reach_a_loopback_page() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    // As when auditing a public site: the crawler's guard refuses loopback, and so does the
    // browser, even for a URL handed to it directly (a DNS answer that changed since).
    let srv = server().await;
    let fetcher = Fetcher::new(FetchConfig {
        block_private_addresses: true,
        ..FetchConfig::default()
    })
    .expect("client");
    let browser = Browser::new(
        vigie::render::find_browser(None).expect("chromium"),
        limits(),
    );
    let url = Url::parse(&format!("{}index.html", srv.url())).expect("url");
    let (result, activity) = browser.render(&url, &fetcher).await;
    browser.shutdown().await;
    assert!(
        matches!(result, Err(BrowserError::Navigation(_))),
        "{result:?}"
    );
    assert_eq!(activity.requests_allowed, 0, "{activity:?}");
    assert_eq!(activity.requests_refused, 1, "{activity:?}");
    assert_eq!(
        activity.refused[0].reason,
        "adresse non publique refusée : 127.0.0.1"
    );
    assert!(srv.requests().is_empty(), "{:?}", paths(&srv));
}

#[tokio::test]
async fn the_rate_limit_spaces_the_browser_requests() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    // Half a request per second: two seconds between two documents of the host, the crawler's
    // and the browser's alike; the page's own subresources (its four fetches) go ten times as
    // often, 200 ms apart (the page waits longer than that for quiet).
    let mut opts = options(1, 0.5);
    opts.browser_limits.quiet = Duration::from_millis(700);
    opts.browser_limits.idle = Duration::from_secs(3);
    let d = run(&srv, "/rafale.html", &opts).await;
    let r = rendering(&d, "/rafale.html");
    assert_eq!(r.status, RenderStatus::Rendered, "{r:?}");
    assert_eq!(
        r.browser.as_ref().map(|b| b.requests_allowed),
        Some(5),
        "{r:?}"
    );
    let seen = srv.requests();
    // The crawler's fetch of the page, then the browser's: two documents, a turn apart (less
    // the jitter of a loaded machine; without the limit, a few milliseconds).
    let pages: Vec<_> = seen.iter().filter(|q| q.path == "/rafale.html").collect();
    // The crawler's, the browser's and the phone render's.
    assert_eq!(pages.len(), 3, "{:?}", paths(&srv));
    let gap = pages[1].at.duration_since(pages[0].at);
    assert!(
        gap >= Duration::from_millis(1600),
        "documents {gap:?} apart"
    );
    // The fetches: spaced by their own turns (200 ms); spaced as documents, 4 s.
    let burst: Vec<_> = seen.iter().filter(|q| q.path.starts_with("/r/")).collect();
    // The page's four, then the phone render's own load of the page asks for them again.
    assert_eq!(burst.len(), 8, "{:?}", paths(&srv));
    for load in burst.chunks(4) {
        // Within one load, far less than two documents' turns (4 s), even on a loaded machine.
        for three in load.windows(3) {
            let span = three[2].at.duration_since(three[0].at);
            assert!(
                span < Duration::from_millis(3900),
                "{span:?}: spaced as documents"
            );
        }
        // Released three turns (600 ms) apart at least. The server times arrivals, and a
        // busy browser can hold one released request and send it with the next: a whole
        // load still spans half of that (without the limit, a few milliseconds).
        let span = load[3].at.duration_since(load[0].at);
        assert!(
            span >= Duration::from_millis(300),
            "{} … {} in {span:?}: {:?}",
            load[0].path,
            load[3].path,
            paths(&srv)
        );
    }
}

#[tokio::test]
async fn dialogs_are_dismissed_and_popups_closed_and_counted() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let d = run(&srv, "/dialogues.html", &options(1, 0.0)).await;
    let r = rendering(&d, "/dialogues.html");
    assert_eq!(r.status, RenderStatus::Rendered, "{r:?}");
    let b = r.browser.expect("activité du navigateur");
    // 20 alerts, a confirm and a prompt, each dismissed; the beforeunload trap never holds
    // the tab, which the browser closes.
    assert_eq!(b.dialogs, 22, "{b:?}");
    assert_eq!(b.popups, 2, "{b:?}");
    // Refused, not opened: the windows never loaded (nothing outside the tab's interception).
    assert!(
        !paths(&srv).iter().any(|p| p.starts_with("/fenetre")),
        "{:?}",
        paths(&srv)
    );
    // The script went on past its dialogs: confirm and prompt were refused.
    let facts = d.pages[0].facts.as_ref().expect("facts");
    assert_eq!(facts.title.as_deref(), Some("Dialogues et fenêtres"));
}

#[tokio::test]
async fn a_page_that_never_loads_keeps_its_static_analysis() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let started = std::time::Instant::now();
    let mut opts = options(1, 0.0);
    opts.browser_limits = short_limits();
    let d = run(&srv, "/lent.html", &opts).await;
    let r = rendering(&d, "/lent.html");
    assert_eq!(r.to_string(), "rendu échoué : délai dépassé", "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    // The served page was analysed.
    let facts = d.pages[0].facts.as_ref().expect("facts");
    assert_eq!(facts.title.as_deref(), Some("Page qui ne finit jamais"));
    let b = r.browser.expect("activité du navigateur");
    assert_eq!(b.requests_allowed, 2, "{b:?}");
}

#[tokio::test]
async fn an_endless_script_costs_its_page_not_the_audit() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let mut opts = options(2, 0.0);
    opts.browser_limits = short_limits();
    let d = run(&srv, "/boucle.html", &opts).await;
    let r = rendering(&d, "/boucle.html");
    assert_eq!(r.to_string(), "rendu échoué : délai dépassé", "{r:?}");
    // Its served links were followed, and the next page rendered in the same browser.
    let next = rendering(&d, "/index.html");
    assert_eq!(next.status, RenderStatus::Rendered, "{next:?}");
}

#[tokio::test]
async fn a_browser_killed_mid_page_is_started_again_for_the_next() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let fetcher = Arc::new(unlimited());
    let browser = Arc::new(Browser::new(
        vigie::render::find_browser(None).expect("chromium"),
        // The slow page is killed long before its limit; the next one gets a fresh browser.
        BrowserLimits {
            restarts: 1,
            ..limits()
        },
    ));
    let base = Url::parse(&srv.url()).expect("url");
    let slow = base.join("lent.html").expect("url");
    let (b, f) = (browser.clone(), fetcher.clone());
    let pending = tokio::spawn(async move { b.render(&slow, &*f).await.0 });
    // Once the page waits for its endless script, kill the browser (only the process this
    // test started, by its id).
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    while !paths(&srv).iter().any(|p| p == "/jamais.js") {
        assert!(std::time::Instant::now() < deadline, "{:?}", paths(&srv));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = browser.process_id().await.expect("pid");
    kill(pid);
    let result = pending.await.expect("tâche");
    assert_eq!(
        result.map(|p| p.final_url.to_string()),
        Err(BrowserError::Crashed(
            "le navigateur s'est arrêté pendant la page"
        ))
    );
    let index = base.join("index.html").expect("url");
    let (again, activity) = browser.render(&index, &*fetcher).await;
    assert!(again.is_ok(), "{again:?}");
    assert_eq!(activity.requests_refused, 2, "{activity:?}");
    assert_eq!(browser.restarts(), 1);
    // Restarts are bounded: killed once more, the browser is given up on.
    kill(browser.process_id().await.expect("pid"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (gave_up, _) = browser.render(&index, &*fetcher).await;
    assert_eq!(
        gave_up.map(|p| p.final_url.to_string()),
        Err(BrowserError::GaveUp(2))
    );
    browser.shutdown().await;
}

/// The renderer processes started under `root` (the browser's process), by their command line.
fn renderers_of(root: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        let Ok(out) = std::process::Command::new("pgrep")
            .args(["-P", &parent.to_string()])
            .output()
        else {
            return found;
        };
        for child in String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
        {
            let cmdline = std::fs::read(format!("/proc/{child}/cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains("--type=renderer") {
                found.push(child);
            }
            parents.push(child);
        }
    }
    found
}

#[tokio::test]
async fn a_crashed_renderer_costs_its_page_and_the_browser_goes_on() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let fetcher = unlimited();
    let browser = Arc::new(Browser::new(
        vigie::render::find_browser(None).expect("chromium"),
        limits(),
    ));
    let base = Url::parse(&srv.url()).expect("url");
    let slow = base.join("lent.html").expect("url");
    let b = browser.clone();
    let pending = tokio::spawn(async move {
        let f = unlimited();
        b.render(&slow, &f).await.0
    });
    // Once the page waits for its endless script, kill its renderer (as a memory hog or a
    // renderer bug would): the browser itself stays up.
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    while !paths(&srv).iter().any(|p| p == "/jamais.js") {
        assert!(std::time::Instant::now() < deadline, "{:?}", paths(&srv));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = browser.process_id().await.expect("pid");
    let renderers = renderers_of(pid);
    assert!(!renderers.is_empty(), "aucun moteur de rendu sous {pid}");
    for r in renderers {
        // A renderer may already be gone (a spare one ending by itself): not an error.
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &r.to_string()])
            .status();
    }
    let result = pending.await.expect("tâche");
    assert_eq!(
        result.map(|p| p.final_url.to_string()),
        Err(BrowserError::Crashed(
            "le moteur de rendu de la page s'est arrêté"
        ))
    );
    // The same browser renders the next page: no restart was needed.
    let index = base.join("index.html").expect("url");
    let (again, _) = browser.render(&index, &fetcher).await;
    assert!(again.is_ok(), "{again:?}");
    assert_eq!(browser.restarts(), 0);
    assert_eq!(browser.process_id().await, Some(pid));
    browser.shutdown().await;
}

fn kill(pid: u32) {
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[tokio::test]
async fn a_frame_from_another_site_obeys_the_same_rules() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    let srv = server().await;
    let d = run(&srv, "/cadre.html", &options(1, 0.0)).await;
    let r = rendering(&d, "/cadre.html");
    assert_eq!(r.status, RenderStatus::Rendered, "{r:?}");
    let b = r.browser.expect("activité du navigateur");
    assert!(
        !paths(&srv).iter().any(|p| p.starts_with("/prive/")),
        "{:?} {b:?}",
        paths(&srv)
    );
    // The page, the frame's document; the frame's excluded fetch refused.
    assert_eq!((b.requests_allowed, b.requests_refused), (2, 1), "{b:?}");
}

#[tokio::test]
async fn one_host_gets_its_share_of_the_tabs_and_another_host_is_not_held() {
    if !browser_present() {
        return;
    }
    let _turn = turn().await;
    // One tab per host: the two pages of 127.0.0.1 load one after the other (each holds its
    // tab 1.5 s), while the page of `localhost` (the same server, another host) loads at once.
    let srv = server().await;
    let fetcher = unlimited();
    let browser = Browser::new(
        vigie::render::find_browser(None).expect("chromium"),
        BrowserLimits {
            tabs: 4,
            tabs_per_host: 1,
            ..limits()
        },
    );
    let ip = Url::parse(&srv.url()).expect("url");
    let mut named = ip.clone();
    named.set_host(Some("localhost")).expect("host");
    let urls = [
        ip.join("hote-1.html").expect("url"),
        ip.join("hote-2.html").expect("url"),
        named.join("hote-3.html").expect("url"),
    ];
    let (a, b, c) = tokio::join!(
        browser.render(&urls[0], &fetcher),
        browser.render(&urls[1], &fetcher),
        browser.render(&urls[2], &fetcher),
    );
    browser.shutdown().await;
    for (r, _) in [&a, &b, &c] {
        assert!(r.is_ok(), "{r:?}");
    }
    let log = srv.requests();
    let at = |path: &str| {
        log.iter()
            .find(|r| r.path == path)
            .map(|r| r.at)
            .unwrap_or_else(|| panic!("{path} jamais demandé : {:?}", paths(&srv)))
    };
    let (one, two, three) = (at("/hote-1.html"), at("/hote-2.html"), at("/hote-3.html"));
    let (first, second) = if one <= two { (one, two) } else { (two, one) };
    assert!(
        second.duration_since(first) >= Duration::from_millis(1400),
        "the second page of 127.0.0.1 began {:?} after the first",
        second.duration_since(first)
    );
    let apart = if three > first {
        three.duration_since(first)
    } else {
        first.duration_since(three)
    };
    // Held, it would begin only once the first page's 1.5 s hold ends; a loaded machine may
    // be slow to open its tab, so the bound is the hold itself, not a guess at tab start-up.
    assert!(
        apart < Duration::from_millis(1400) && three < second,
        "localhost waited {apart:?} for 127.0.0.1"
    );
}
