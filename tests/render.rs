//! Rendered mode (`--render`) end to end on a fixture démarche served on 127.0.0.1: its home page
//! is an application shell whose inline script builds the content, the DSFR footer (with the
//! accessibility mention) and the FranceConnect button; /aide.html is a page served complete,
//! linked only from the built content.
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the tests fail, unless
//! VIGIE_SKIP_BROWSER=1. One browser per test, one or two pages each.

use std::path::{Path, PathBuf};
use std::process::Command;

use url::Url;
use vigie::audit::{audit, AuditError, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::cerfa::Status;
use vigie::crawl::{FetchConfig, RenderStatus, Rendering};
use vigie::model::AuditSettings;
use vigie::render::RenderMode;
use vigie::report::DemarcheReport;
use vigie::serve::{start, FixtureServer, Source};

const NO_BROWSER: &str = "/nonexistent/chromium";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render/spa")
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

async fn server() -> FixtureServer {
    start(Source::Disk(fixture_dir())).await.expect("serveur")
}

fn options(render: RenderMode, max_pages: usize, chromium: Option<&str>) -> AuditOptions {
    AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages,
            use_sitemaps: false,
            probes: 0,
            render,
            ..AuditSettings::default()
        },
        progress: false,
        chromium: chromium.map(PathBuf::from),
        ..AuditOptions::default()
    }
}

async fn run(
    srv: &FixtureServer,
    path: &str,
    opts: &AuditOptions,
) -> Result<DemarcheReport, AuditError> {
    let url = Url::parse(&srv.url())
        .and_then(|u| u.join(path))
        .expect("url");
    let d = Demarche::from_url(url);
    Ok(audit(&[d], opts).await?.demarches.remove(0))
}

fn criterion(d: &DemarcheReport, n: u8) -> (Status, String) {
    let c = &d.cerfa.as_ref().expect("cerfa").criteria[usize::from(n) - 1];
    (c.status, c.summary.clone())
}

fn rendering(d: &DemarcheReport, path: &str) -> Rendering {
    d.pages
        .iter()
        .find(|p| p.record.requested_url.ends_with(path))
        .unwrap_or_else(|| panic!("page {path}"))
        .rendering
        .clone()
        .unwrap_or_else(|| panic!("rendu non indiqué : {path}"))
}

#[tokio::test]
async fn the_static_audit_leaves_script_built_criteria_unknown_and_says_it_did_not_render() {
    let srv = server().await;
    let d = run(&srv, "/", &options(RenderMode::Never, 2, None))
        .await
        .expect("audit");
    // The links are in the script: nothing else is found.
    assert_eq!(d.pages.len(), 1);
    assert_eq!(rendering(&d, "/").to_string(), "non rendu : --render never");
    for n in [12, 13, 19] {
        let (status, summary) = criterion(&d, n);
        assert_eq!(status, Status::Unknown, "{n}: {summary}");
        assert!(
            summary.starts_with("Page d'accueil construite par script (")
                && summary.contains("racine d'application vide (#root)")
                && summary.contains("<noscript> demandant JavaScript"),
            "{n}: {summary}"
        );
    }
    // No identification page is seen in the served shell.
    assert_eq!(criterion(&d, 26).0, Status::NotApplicable);
}

#[tokio::test]
async fn auto_renders_the_shell_measures_the_built_page_and_leaves_a_served_page_alone() {
    if !browser_present() {
        return;
    }
    let srv = server().await;
    let d = run(&srv, "/", &options(RenderMode::Auto, 2, None))
        .await
        .expect("audit");
    let home = rendering(&d, "/");
    assert_eq!(home.status, RenderStatus::Rendered);
    assert_eq!(
        home.to_string(),
        "rendu : page construite par script (0 mot(s) de texte servi, racine d'application vide (#root), <noscript> demandant JavaScript)"
    );
    // The link to the help page exists only in the rendered DOM: the crawl followed it, and
    // that page, served complete, was not rendered.
    assert_eq!(d.pages.len(), 2, "{:?}", d.pages);
    assert_eq!(
        rendering(&d, "/aide.html").to_string(),
        "non rendu : page servie non construite par script"
    );
    // Footer with the accessibility mention and FranceConnect, measured from the rendered DOM.
    let (s19, summary19) = criterion(&d, 19);
    assert_eq!(s19, Status::Met, "{summary19}");
    let c19 = &d.cerfa.as_ref().expect("cerfa").criteria[18];
    assert!(
        c19.evidence.iter().any(|e| e
            .text
            .contains("« Accessibilité : partiellement conforme »")),
        "{:?}",
        c19.evidence
    );
    let (s26, summary26) = criterion(&d, 26);
    assert_eq!(s26, Status::Met, "{summary26}");
    for n in [12, 13, 19, 26] {
        let (_, summary) = criterion(&d, n);
        assert!(!summary.contains("construite par script"), "{n}: {summary}");
    }
    let facts = d.pages[0].facts.as_ref().expect("facts");
    assert!(facts.has_doctype, "the serialised DOM keeps its doctype");
    // The served shell has no link at all.
    assert!(facts.link_count > 0, "{}", facts.link_count);
}

#[tokio::test]
async fn always_renders_a_page_served_complete() {
    if !browser_present() {
        return;
    }
    let srv = server().await;
    let d = run(&srv, "/aide.html", &options(RenderMode::Always, 1, None))
        .await
        .expect("audit");
    let r = rendering(&d, "/aide.html");
    assert_eq!(r.to_string(), "rendu : --render always");
    assert!(
        r.final_url
            .as_deref()
            .is_some_and(|u| u.ends_with("/aide.html")),
        "{r:?}"
    );
    // The same text as served: rendering changes nothing here.
    let facts = d.pages[0].facts.as_ref().expect("facts");
    assert_eq!(facts.title.as_deref(), Some("Aide - Caisse exemplaire"));
}

#[tokio::test]
async fn without_a_browser_auto_falls_back_and_always_is_an_error_before_crawling() {
    let srv = server().await;
    let d = run(&srv, "/", &options(RenderMode::Auto, 2, Some(NO_BROWSER)))
        .await
        .expect("audit");
    assert_eq!(
        rendering(&d, "/").to_string(),
        "rendu impossible : navigateur absent"
    );
    // The static verdicts, with the shell reason.
    assert_eq!(criterion(&d, 19).0, Status::Unknown);
    let before = srv.requests().len();
    let err = run(&srv, "/", &options(RenderMode::Always, 2, Some(NO_BROWSER)))
        .await
        .expect_err("always sans navigateur");
    assert!(matches!(err, AuditError::Render(_)), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("--render always : navigateur absent (/nonexistent/chromium introuvable)"),
        "{err}"
    );
    assert_eq!(srv.requests().len(), before, "nothing crawled");
}

/// The command line: VIGIE_CHROMIUM names an absent browser.
#[tokio::test(flavor = "multi_thread")]
async fn the_commands_say_the_browser_is_absent() {
    let srv = server().await;
    let url = srv.url();
    let out = tokio::task::spawn_blocking(move || {
        let vigie = env!("CARGO_BIN_EXE_vigie");
        let check = Command::new(vigie)
            .args([
                "check",
                "--format",
                "json",
                &url,
                &format!("{url}aide.html"),
            ])
            .env("VIGIE_CHROMIUM", NO_BROWSER)
            .output()
            .expect("vigie check");
        let tmp = tempfile::tempdir().expect("tmp");
        let audit = Command::new(vigie)
            .args(["audit", "--render", "always", "--no-db", "--out"])
            .arg(tmp.path())
            .arg(&url)
            .env("VIGIE_CHROMIUM", NO_BROWSER)
            .output()
            .expect("vigie audit");
        let file = Command::new(vigie)
            .args(["check", "--render", "always"])
            .arg(fixture_dir().join("aide.html"))
            .output()
            .expect("vigie check fichier");
        (check, audit, file)
    })
    .await
    .expect("commands");
    let (check, audit, file) = out;
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(
        json[0]["rendering"],
        serde_json::json!({"status": "impossible", "reason": "navigateur absent"})
    );
    // A page `auto` would not render reads the same with or without a browser.
    assert_eq!(
        json[1]["rendering"],
        serde_json::json!({"status": "not_rendered", "reason": "page servie non construite par script"})
    );
    assert_eq!(audit.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&audit.stderr);
    assert!(
        stderr.contains("--render always : navigateur absent"),
        "{stderr}"
    );
    assert_eq!(file.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&file.stderr);
    assert!(
        stderr.contains("le rendu des fichiers locaux n'est pas pris en charge"),
        "{stderr}"
    );
}
