//! Layout measured in Chromium (`render::measure::layout`) on fixtures served on 127.0.0.1:
//! reflow at 320 px (a page that reflows, a 1 200 px text page, a data table wider than the
//! window), text spacing (a box that clips its text, the same box fixed, a text spilling over
//! the next), and the phone render behind the « Compatible mobile » indicator and Cerfa 1 (a
//! démarche made for phones, one for desktops only). Static verdicts (« non mesuré », the code
//! heuristics) and rendered verdicts are both asserted; the last test checks that the walk and
//! the layout fit in the page's time limit on a page of 1 000 focusable elements; another that a
//! site serving phones another page by User-Agent gets a mobile User-Agent from the phone
//! render (still naming vigie) and is judged on its phone page.
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the tests fail, unless
//! VIGIE_SKIP_BROWSER=1.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::cerfa::Status;
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::page::Page;
use vigie::render::{Browser, BrowserLimits, RenderMode};
use vigie::report::DemarcheReport;
use vigie::rules::{page_outcome, rule_by_id, Outcome, RuleResult, NOT_MEASURED};
use vigie::serve::{start, Source};

use common::browser::{browser, gate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn failed_or_doubt(results: &[RuleResult]) -> Vec<(Outcome, String)> {
    results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::CantTell))
        .map(|r| {
            (
                r.outcome,
                r.target
                    .as_ref()
                    .map(|t| t.selector.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// Rule, fixture, page outcome, failed and cantTell targets.
type Case = (
    &'static str,
    &'static str,
    Outcome,
    &'static [(Outcome, &'static str)],
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflow_and_text_spacing_are_measured_rendered_and_not_measured_served() {
    let Some(exe) = browser() else { return };
    let server = start(Source::Disk(root().join("rules")))
        .await
        .expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let browser = Browser::new(exe, BrowserLimits::default());
    let cases: &[Case] = &[
        ("reflow", "passed-reflows.html", Outcome::Passed, &[]),
        (
            "reflow",
            "failed-fixed-width.html",
            Outcome::Failed,
            &[(Outcome::Failed, "#intro")],
        ),
        (
            "reflow",
            "cant-tell-wide-data-table.html",
            Outcome::CantTell,
            &[(Outcome::CantTell, "#tarifs")],
        ),
        (
            "text-spacing",
            "failed-clipped.html",
            Outcome::Failed,
            &[(Outcome::Failed, "#carte")],
        ),
        (
            "text-spacing",
            "passed-clip-fixed.html",
            Outcome::Passed,
            &[],
        ),
        (
            "text-spacing",
            "failed-overlap.html",
            Outcome::Failed,
            &[(Outcome::Failed, "#bandeau")],
        ),
    ];
    let mut failures = Vec::new();
    for (id, name, outcome, targets) in cases {
        let rule = rule_by_id(id).expect("rule");
        let url = base.join(&format!("{id}/{name}")).expect("url");
        let html = std::fs::read_to_string(root().join("rules").join(id).join(name)).expect("html");
        let served = rule.check(&Page::parse(url.clone(), &html));
        assert_eq!(page_outcome(&served), Outcome::Inapplicable, "{id}/{name}");
        assert_eq!(served[0].message, NOT_MEASURED, "{id}/{name}");
        let page = browser.render(&url, &gate()).await.0.expect("rendu");
        assert!(
            !page.html.contains("vigie-text-spacing"),
            "{id}/{name}: stylesheet left"
        );
        let facts = page.facts.clone().expect("facts");
        let layout = facts.layout.clone().expect("layout measured");
        // The default size is back before the walk: every element was walked at 800 px.
        let mut model = Page::parse(page.final_url, &page.html);
        model.browser = page.facts;
        let results = rule.check(&model);
        let got = page_outcome(&results);
        let want: Vec<(Outcome, String)> =
            targets.iter().map(|(o, s)| (*o, s.to_string())).collect();
        if got != *outcome || failed_or_doubt(&results) != want {
            failures.push(format!("{id}/{name}: {got:?} {results:#?}"));
        }
        match *name {
            "failed-fixed-width.html" => {
                let r = layout.reflow.expect("reflow");
                assert_eq!(r.viewport, 320.0);
                assert!(r.scroll_width >= 1200.0, "{r:?}");
                assert!(r.text_blocks[0].right > 1000.0, "{r:?}");
                assert!(!r.text_blocks[0].single_word);
            }
            "cant-tell-wide-data-table.html" => {
                let r = layout.reflow.expect("reflow");
                assert!(r.text_blocks.is_empty(), "{r:?}");
                assert_eq!(r.elements.len(), 1, "{r:?}");
                assert_eq!(r.elements[0].kind, "data_table");
                let m = &results[0].message;
                assert!(m.contains("tableau de données, exception possible"), "{m}");
            }
            "failed-clipped.html" => {
                let s = layout.spacing.expect("spacing");
                assert_eq!(s.clipped.len(), 1, "{s:?}");
                assert_eq!(s.clipped[0].axis, "y");
                assert!(
                    s.clipped[0].before <= 1.0 && s.clipped[0].after > 5.0,
                    "{s:?}"
                );
            }
            _ => {}
        }
    }
    browser.shutdown().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn options(render: RenderMode) -> AuditOptions {
    AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages: 1,
            use_sitemaps: false,
            probes: 0,
            render,
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    }
}

fn mobile(d: &DemarcheReport) -> (String, String) {
    let i = d
        .indicators
        .iter()
        .find(|i| i.id == "mobile")
        .expect("indicateur mobile");
    (i.display.clone(), i.evidence.join("\n"))
}

fn cerfa1(d: &DemarcheReport) -> (Status, String, String) {
    let c = &d.cerfa.as_ref().expect("cerfa").criteria[0];
    let evidence: Vec<String> = c.evidence.iter().map(|e| e.text.clone()).collect();
    (c.status, c.summary.clone(), evidence.join("\n"))
}

fn finding(d: &DemarcheReport, rule: &str) -> Option<(Outcome, String)> {
    d.findings
        .iter()
        .find(|f| f.rule == rule)
        .map(|f| (f.outcome, f.message.clone()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_render_decides_the_mobile_indicator_and_cerfa_1() {
    if browser().is_none() {
        return;
    }
    let server = start(Source::Disk(root().join("render/layout")))
        .await
        .expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let demarches = [
        Demarche::from_url(base.join("/mobile/").expect("url")),
        Demarche::from_url(base.join("/desktop/").expect("url")),
    ];

    // Served: the code heuristics, unchanged; the browser rules measure nothing.
    let report = audit(&demarches, &options(RenderMode::Never))
        .await
        .expect("audit");
    let (phone, desktop) = (&report.demarches[0], &report.demarches[1]);
    let (label, evidence) = mobile(phone);
    assert_eq!(label, "Oui");
    assert!(evidence.contains("Heuristique sur le code"), "{evidence}");
    assert_eq!(mobile(desktop).0, "Non");
    let (status, summary, _) = cerfa1(phone);
    assert_eq!(status, Status::Met);
    assert_eq!(
        summary,
        "Viewport adaptée et requêtes média présentes (à confirmer sur mobile)."
    );
    assert_eq!(cerfa1(desktop).0, Status::NotMet);
    for d in [phone, desktop] {
        assert_eq!(finding(d, "reflow"), None);
        assert_eq!(finding(d, "text-spacing"), None);
        assert!(d.rules.iter().any(|r| r == "reflow"), "{:?}", d.rules);
        assert!(d.pages[0]
            .outcomes
            .as_ref()
            .is_some_and(|o| !o.passed.contains_key("reflow")));
    }

    // Rendered: measured on the phone, with the evidence.
    let report = audit(&demarches, &options(RenderMode::Always))
        .await
        .expect("audit");
    let (phone, desktop) = (&report.demarches[0], &report.demarches[1]);
    let (label, evidence) = mobile(phone);
    assert_eq!(label, "Oui", "{evidence}");
    assert!(
        evidence.contains("1 page(s) sur 1 rendues sur un téléphone émulé (375 px) utilisables"),
        "{evidence}"
    );
    let (status, summary, evidence) = cerfa1(phone);
    assert_eq!(status, Status::Met, "{summary}\n{evidence}");
    assert!(
        summary.starts_with("Mesuré sur un téléphone émulé (375 px)"),
        "{summary}"
    );
    assert!(
        evidence.contains("téléphone 375 px : mise en page à 375 px, pas de défilement horizontal"),
        "{evidence}"
    );
    assert!(phone.pages[0]
        .outcomes
        .as_ref()
        .is_some_and(|o| o.passed.contains_key("reflow") && o.passed.contains_key("text-spacing")));

    let (label, evidence) = mobile(desktop);
    assert_eq!(label, "Non", "{evidence}");
    assert!(
        evidence.contains("(largeur d'ordinateur réduite)") && evidence.contains("#outils"),
        "{evidence}"
    );
    let (status, summary, evidence) = cerfa1(desktop);
    assert_eq!(status, Status::NotMet, "{summary}");
    assert!(
        summary.contains("mise en page en largeur d'ordinateur")
            && summary.contains("cible(s) tactile(s) trop petite(s)"),
        "{summary}"
    );
    assert!(evidence.contains("cible tactile de"), "{evidence}");
    let (outcome, message) = finding(desktop, "reflow").expect("reflow");
    assert_eq!(outcome, Outcome::Failed, "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_and_layout_fit_the_page_limit_on_a_page_of_a_thousand_focusables() {
    let Some(exe) = browser() else { return };
    let server = start(Source::Disk(root().join("render/layout")))
        .await
        .expect("serveur");
    let url = Url::parse(&server.url())
        .and_then(|u| u.join("/many-focusables.html"))
        .expect("url");
    let limits = BrowserLimits::default();
    let page_limit = limits.page;
    let browser = Browser::new(exe, limits);
    // The browser started first: its start is the audit's cost, not the page's.
    let small = url.join("/desktop/index.html").expect("url");
    browser
        .render(&small, &gate())
        .await
        .0
        .expect("petite page");
    let started = Instant::now();
    let page = browser.render(&url, &gate()).await.0;
    let took = started.elapsed();
    browser.shutdown().await;
    let page = page.expect("rendu dans la limite de la page");
    eprintln!("1 000 éléments focalisables : rendu, parcours et mise en page en {took:?}");
    assert!(took < page_limit, "{took:?}");
    let facts = page.facts.expect("facts");
    assert_eq!(facts.tabbable.len(), 1000);
    assert!(facts.truncated, "the walk stops at its bound");
    let layout = facts.layout.expect("layout");
    let reflow = layout.reflow.expect("reflow");
    assert!(reflow.text_blocks.is_empty(), "{reflow:?}");
    assert!(layout.spacing.expect("spacing").checked >= 1000);
    let phone = layout.phone.expect("phone");
    assert!(phone.fits_device() && phone.targets >= 400, "{phone:?}");
}

const DESKTOP_PAGE: &str = r#"<!DOCTYPE html><html lang="fr"><head><title>Version ordinateur</title></head><body><div style="width: 1200px"><h1>Version ordinateur</h1><p>Une mise en page de 1 200 px, sans viewport.</p></div></body></html>"#;
const PHONE_PAGE: &str = r#"<!DOCTYPE html><html lang="fr"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Version mobile</title></head><body><h1>Version mobile</h1><p>Une page faite pour les téléphones.</p></body></html>"#;

/// A site that serves phones another page, chosen by User-Agent as many sites do (no viewport
/// and 1 200 px to desktops): the phone render asks with a mobile User-Agent that still names
/// vigie and measures the phone page, while the page analysed stays the desktop one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_render_asks_as_a_phone_and_is_served_the_mobile_page() {
    use axum::extract::State;
    use axum::http::{header, HeaderMap};
    use axum::response::Html;
    use std::sync::{Arc, Mutex};

    let Some(exe) = browser() else { return };
    type Seen = Arc<Mutex<Vec<String>>>;
    async fn page(State(seen): State<Seen>, headers: HeaderMap) -> Html<&'static str> {
        let ua = headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let mobile = ua.contains("Mobile");
        seen.lock().expect("lock").push(ua);
        Html(if mobile { PHONE_PAGE } else { DESKTOP_PAGE })
    }
    let seen: Seen = Arc::default();
    let app = axum::Router::new()
        .route("/", axum::routing::get(page))
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url =
        Url::parse(&format!("http://{}/", listener.local_addr().expect("addr"))).expect("url");
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let browser = Browser::new(exe, BrowserLimits::default());
    let page = browser.render(&url, &gate()).await.0;
    browser.shutdown().await;
    server.abort();
    let page = page.expect("rendu");
    assert!(
        page.html.contains("Version ordinateur"),
        "analysed: the desktop page"
    );
    let phone = page
        .facts
        .and_then(|f| f.layout)
        .and_then(|l| l.phone)
        .expect("phone render");
    assert!(
        phone.fits_device() && !phone.scrolls_horizontally(),
        "the phone page was measured: {phone:?}"
    );
    let seen = seen.lock().expect("lock").clone();
    let vigie = vigie::user_agent();
    assert!(
        seen.contains(&vigie),
        "the desktop render names vigie: {seen:?}"
    );
    let mobile: Vec<&String> = seen.iter().filter(|u| u.contains("Mobile")).collect();
    assert_eq!(mobile.len(), 1, "one phone visit: {seen:?}");
    assert!(
        mobile[0].contains("Android")
            && mobile[0].ends_with(&format!("Mobile Safari/537.36 {vigie}")),
        "{}",
        mobile[0]
    );
}
