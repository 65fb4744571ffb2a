//! An audit killed with SIGKILL, mid-crawl or inside the store's transaction, leaves a database
//! that passes `PRAGMA integrity_check` (SQLite), holds no partial run, and records the next run
//! fully; on SQLite and on PostgreSQL.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use vigie::serve::{start, FixtureServer, Source};
use vigie::store::{Param, Store};

mod common;

const SLOW_PAGES: usize = 5;
const DELAY_MS: u64 = 500;

fn write_slow_site(dir: &Path) {
    common::write_slow_site(dir, SLOW_PAGES, DELAY_MS, |i| {
        format!("<!doctype html><html lang=\"fr\"><title>Page {i}</title><main><img src=\"i{i}.png\"></main></html>")
    });
}

fn spawn_audit(url: &str, db: &str, out: &Path, pause_ms: Option<u64>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.args([
        "audit",
        url,
        "--rate",
        "100",
        "--concurrency",
        "1",
        "--no-sitemaps",
    ])
    .arg("--db")
    .arg(db)
    .arg("--out")
    .arg(out)
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    if let Some(ms) = pause_ms {
        cmd.env("VIGIE_TEST_PAUSE_BEFORE_COMMIT_MS", ms.to_string());
    }
    cmd.spawn().expect("spawn vigie")
}

fn slow_requests(server: &FixtureServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/p"))
        .count()
}

fn count(store: &Store, sql: &str, params: Vec<Param>) -> i64 {
    store.query(sql, params).expect(sql)[0][0]
        .int()
        .expect("count")
}

/// Integrity, and no row that belongs to no complete run.
fn check_consistent(db: &str) -> usize {
    let store = Store::open_db(db).expect("open after kill");
    if let Some(c) = store.sqlite() {
        let ok: String = c
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .expect("integrity_check");
        assert_eq!(ok, "ok");
    }
    for table in ["demarches", "pages", "findings", "sections"] {
        let orphans = count(
            &store,
            &format!("SELECT COUNT(*) FROM {table} WHERE run_id NOT IN (SELECT id FROM runs)"),
            vec![],
        );
        assert_eq!(orphans, 0, "orphan rows in {table}");
    }
    // Every run has its démarche and every page of it.
    let incomplete = count(
        &store,
        "SELECT COUNT(*) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM demarches d WHERE d.run_id = r.id)
           OR (SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id) <> ?1",
        vec![((SLOW_PAGES + 1) as i64).into()],
    );
    assert_eq!(incomplete, 0, "a run is partial");
    store.runs().expect("runs").len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_audit_leaves_the_store_usable() {
    let work = tempfile::tempdir().expect("tempdir");
    killed_on(&work.path().join("vigie.db").to_string_lossy()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_audit_leaves_a_postgres_store_usable() {
    let Some(db) = common::pg::shared_database("killed") else {
        return;
    };
    killed_on(&db).await;
}

/// `db`: a SQLite path or a PostgreSQL URL.
async fn killed_on(db: &str) {
    let site = tempfile::tempdir().expect("tempdir");
    write_slow_site(site.path());
    let server = start(Source::Disk(site.path().to_path_buf()))
        .await
        .expect("server");
    let url = server.url();
    let work = tempfile::tempdir().expect("tempdir");
    let out = work.path().join("out");

    // 1. Killed mid-crawl: some slow pages fetched, not all.
    let mut child = spawn_audit(&url, db, &out, None);
    let deadline = Instant::now() + Duration::from_secs(60);
    while slow_requests(&server) < 2 {
        assert!(
            Instant::now() < deadline,
            "the audit never reached the slow pages"
        );
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the audit ended before it could be killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        slow_requests(&server) < SLOW_PAGES,
        "killed after the crawl ended"
    );
    assert_eq!(check_consistent(db), 0);

    // 2. Killed inside the transaction that records the run.
    let mut child = spawn_audit(&url, db, &out, Some(30_000));
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("pause de") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the audit never reached the store's transaction");
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert_eq!(check_consistent(db), 0);

    // 3. The next run completes and is recorded whole.
    let status = spawn_audit(&url, db, &out, None).wait().expect("third run");
    assert!(status.success());
    assert_eq!(check_consistent(db), 1);
    let store = Store::open_db(db).expect("open");
    let failed = count(
        &store,
        "SELECT COUNT(*) FROM findings WHERE outcome = 'failed' AND rule = 'image-alt'",
        vec![],
    );
    assert_eq!(failed, SLOW_PAGES as i64);
}
