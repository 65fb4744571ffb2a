//! `monitor` probes a local server that goes down for a while, and availability is computed
//! exactly from the stored probes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use url::Url;
use vigie::crawl::FetchConfig;
use vigie::monitor::{availability, availability_at, probe_config, run, MonitorPlan};
use vigie::serve::{start, Source};
use vigie::store::Store;

mod common;

/// Status of the home page for each successive request: up, down for three probes, up again.
const SCRIPT: [u16; 10] = [200, 200, 503, 503, 503, 200, 200, 200, 200, 200];
const HOME_DELAY_MS: u64 = 30;

/// A server whose home page follows SCRIPT; robots.txt excludes /prive.
async fn scripted_server() -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let h = h.clone();
                async move {
                    let n = h.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(HOME_DELAY_MS)).await;
                    let code = SCRIPT.get(n).copied().unwrap_or(200);
                    (
                        StatusCode::from_u16(code).unwrap_or(StatusCode::OK),
                        [("content-type", "text/html; charset=utf-8")],
                        "<!doctype html><html lang=\"fr\"><title>Accueil</title></html>",
                    )
                }
            }),
        )
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /prive\n" }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/"), hits)
}

fn config() -> FetchConfig {
    probe_config(&FetchConfig {
        total_timeout_ms: 5_000,
        connect_timeout_ms: 2_000,
        ..FetchConfig::default()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn availability_of_a_server_that_goes_down_for_a_while() {
    let dir = tempfile::tempdir().expect("tempdir");
    availability_on(&dir.path().join("v.db").to_string_lossy()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn availability_is_the_same_on_postgres() {
    let Some(db) = common::pg::shared_database("monitor") else {
        return;
    };
    availability_on(&db).await;
}

/// `db`: a SQLite path or a PostgreSQL URL.
async fn availability_on(db: &str) {
    let (base, hits) = scripted_server().await;
    // A server that went away: its port no longer answers.
    let gone = {
        let s = start(Source::Disk(std::env::temp_dir()))
            .await
            .expect("server");
        s.url()
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let home = Url::parse(&base).expect("url");
    let private = home.join("prive").expect("url");
    let gone = Url::parse(&gone).expect("url");

    let store = Store::open_db(db).expect("store");
    let plan = MonitorPlan {
        urls: vec![home.clone(), private.clone(), gone.clone()],
        interval: Duration::from_millis(40),
        rounds: Some(SCRIPT.len() as u32),
        duration: None,
        min_gap: Duration::from_millis(5),
    };
    let mut seen = 0;
    let probes = run(&store, &config(), &plan, |_| seen += 1)
        .await
        .expect("monitor");
    assert_eq!(seen, probes.len());
    // The excluded URL is never requested; the two others once per round.
    assert_eq!(probes.len(), 2 * SCRIPT.len());
    assert_eq!(hits.load(Ordering::SeqCst), SCRIPT.len());
    assert!(probes.iter().all(|p| p.url != private.as_str()));

    let statuses: Vec<Option<u16>> = probes
        .iter()
        .filter(|p| p.url == home.as_str())
        .map(|p| p.status)
        .collect();
    let expected: Vec<Option<u16>> = SCRIPT.iter().map(|s| Some(*s)).collect();
    assert_eq!(statuses, expected);

    let a = availability(&store, home.as_str(), 90)
        .expect("availability")
        .expect("probed");
    assert_eq!(a.n, 10);
    assert_eq!(a.success_ratio, 0.7);
    let mean = a.mean_ms.expect("mean of successful probes");
    assert!(mean >= HOME_DELAY_MS as f64, "mean {mean} ms");

    let down = availability(&store, gone.as_str(), 90)
        .expect("availability")
        .expect("probed");
    assert_eq!(down.n, 10);
    assert_eq!(down.success_ratio, 0.0);
    assert_eq!(down.mean_ms, None);

    assert_eq!(
        availability(&store, private.as_str(), 90).expect("availability"),
        None
    );
    // Outside the window, the probes no longer count.
    let later = chrono::Utc::now().timestamp_millis() + 91 * 86_400_000;
    assert_eq!(
        availability_at(&store, home.as_str(), 90, later).expect("availability"),
        None
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_duration_bounds_the_number_of_rounds() {
    let (base, hits) = scripted_server().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("v.db")).expect("store");
    let plan = MonitorPlan {
        urls: vec![Url::parse(&base).expect("url")],
        interval: Duration::from_millis(300),
        rounds: None,
        // Rounds are due at 0, 300 and 600 ms; the one due at 900 ms is past the duration.
        duration: Some(Duration::from_millis(750)),
        min_gap: Duration::from_millis(5),
    };
    let probes = run(&store, &config(), &plan, |_| {})
        .await
        .expect("monitor");
    assert_eq!(probes.len(), 3);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}
