//! `vigie audit --resume`: an audit killed with SIGKILL mid-crawl is resumed from the store's
//! journal without fetching finished pages again, and its report equals an uninterrupted one;
//! on SQLite and on PostgreSQL (`--db postgres://…`).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use vigie::serve::{start, FixtureServer, Source};
use vigie::store::journal::{journal_file, Campaign};
use vigie::store::Store;

mod common;

const SLOW_PAGES: usize = 10;
const DELAY_MS: u64 = 300;

/// index → p1…p10 (slow) → q1…q10 (fast, only linked from their p page), so pages discovered
/// through journaled pages must still be visited after the resume.
fn write_site(dir: &Path) {
    common::write_slow_site(dir, SLOW_PAGES, DELAY_MS, |i| {
        let alt = if i % 2 == 0 { " alt=\"\"" } else { "" };
        format!(
            "<!doctype html><html lang=\"fr\"><title>Page {i}</title><main><h1>Page {i}</h1>\
             <img src=\"i{i}.png\"{alt}><a href=\"q{i}.html\">Suite {i}</a></main></html>"
        )
    });
    for i in 1..=SLOW_PAGES {
        std::fs::write(
            dir.join(format!("q{i}.html")),
            format!(
                "<!doctype html><html lang=\"fr\"><title>Suite {i}</title><main><h1>Suite {i}</h1>\
                 <input type=\"text\" name=\"f{i}\"></main></html>"
            ),
        )
        .expect("write page");
    }
}

fn audit_cmd(db: &str, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.arg("audit")
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn spawn_fresh(url: &str, db: &str, out: &Path) -> Child {
    audit_cmd(db, out)
        .args([
            url,
            "--rate",
            "100",
            "--concurrency",
            "1",
            "--no-sitemaps",
            "--probes",
            "0",
            "--max-pages",
            "100",
        ])
        .spawn()
        .expect("spawn vigie")
}

fn journaled(db: &str) -> Vec<String> {
    let Ok(store) = Store::open_db(db) else {
        return Vec::new();
    };
    match Campaign::latest_unfinished(&store) {
        Ok(Some(c)) => c.journaled_urls().unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn page_paths(server: &FixtureServer, from: usize) -> Vec<String> {
    server.requests()[from..]
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p == "/" || p.ends_with(".html"))
        .collect()
}

fn path_of(url: &str) -> String {
    url::Url::parse(url).expect("url").path().to_string()
}

/// The démarche of report.json without what depends on timing or run order.
fn comparable(report: &Path) -> Value {
    common::comparable_demarches(report).remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_audit_resumes_without_refetching_and_equals_an_uninterrupted_one() {
    let work = tempfile::tempdir().expect("tempdir");
    let db = work.path().join("vigie.db");
    killed_and_resumed_on(&db.to_string_lossy()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_audit_resumes_the_same_on_postgres() {
    let Some(db) = common::pg::shared_database("resume") else {
        return;
    };
    killed_and_resumed_on(&db).await;
}

/// `db`: a SQLite path or a PostgreSQL URL.
async fn killed_and_resumed_on(db: &str) {
    let site = tempfile::tempdir().expect("tempdir");
    write_site(site.path());
    let server = start(Source::Disk(site.path().to_path_buf()))
        .await
        .expect("server");
    let url = server.url();
    let work = tempfile::tempdir().expect("tempdir");

    // 1. Killed (SIGKILL) once a few pages are journaled, long before the end.
    let mut child = spawn_fresh(&url, db, &work.path().join("killed"));
    let deadline = Instant::now() + Duration::from_secs(90);
    while journaled(db).len() < 4 {
        assert!(Instant::now() < deadline, "nothing was journaled");
        if child.try_wait().expect("try_wait").is_some() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut e, &mut err);
            }
            panic!("the audit ended before it could be killed: {err}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let done_before: BTreeSet<String> = journaled(db).iter().map(|u| path_of(u)).collect();
    let total = 1 + 2 * SLOW_PAGES;
    assert!(done_before.len() < total, "the crawl ended before the kill");
    let requests_at_kill = server.requests().len();
    // On SQLite, the killed campaign's pages are in its journal file beside the store.
    let sqlite = !db.starts_with("postgres");
    let killed = Store::open_db(db)
        .expect("open")
        .query("SELECT id FROM campaigns", vec![])
        .expect("campaigns")[0][0]
        .int()
        .expect("id");
    assert_eq!(journal_file(Path::new(db), killed).exists(), sqlite);

    // 2. Resumed: no URL nor catalogue needed, the campaign's settings are used.
    let resumed_out = work.path().join("resumed");
    let output = audit_cmd(db, &resumed_out)
        .arg("--resume")
        .output()
        .expect("resume");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "resume failed: {stderr}");
    assert!(stderr.contains("reprise de la campagne"), "{stderr}");

    // Finished pages were not fetched again; every other page was fetched exactly once.
    let fetched_after: Vec<String> = page_paths(&server, requests_at_kill);
    let fetched_set: BTreeSet<String> = fetched_after.iter().cloned().collect();
    assert_eq!(
        fetched_after.len(),
        fetched_set.len(),
        "a page was fetched twice: {fetched_after:?}"
    );
    assert!(
        fetched_set.is_disjoint(&done_before),
        "journaled pages fetched again: {:?}",
        fetched_set.intersection(&done_before).collect::<Vec<_>>()
    );
    assert_eq!(fetched_set.len() + done_before.len(), total);

    // The store holds one run, no duplicate finding, and a closed campaign without journal.
    let store = Store::open_db(db).expect("open");
    let count = |sql: &str| -> i64 {
        store.query(sql, vec![]).expect(sql)[0][0]
            .int()
            .expect("count")
    };
    assert_eq!(count("SELECT COUNT(*) FROM runs"), 1);
    assert_eq!(count("SELECT COUNT(*) FROM pages"), total as i64);
    // The campaign's journal, a file beside a SQLite store, is gone with its pages.
    assert!(!journal_file(Path::new(db), killed).exists());
    assert_eq!(
        count("SELECT COUNT(*) FROM campaigns WHERE state = 'done' AND run_id IS NOT NULL"),
        1
    );
    let resumed_report = resumed_out.join("report.json");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&resumed_report).expect("read"))
            .expect("json");
    let findings_in_report = report["demarches"][0]["findings"]
        .as_array()
        .expect("findings")
        .len() as i64;
    assert_eq!(count("SELECT COUNT(*) FROM findings"), findings_in_report);
    drop(store);

    // Nothing left to resume.
    let again = audit_cmd(db, &work.path().join("again"))
        .arg("--resume")
        .output()
        .expect("resume again");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("aucune campagne interrompue"));

    // 3. The same audit, uninterrupted, in another store: the same report.
    let straight_out = work.path().join("straight");
    let other = work.path().join("other.db");
    let status = spawn_fresh(&url, &other.to_string_lossy(), &straight_out)
        .wait()
        .expect("uninterrupted run");
    assert!(status.success());
    let a = comparable(&resumed_report);
    let b = comparable(&straight_out.join("report.json"));
    assert_eq!(a["pages"].as_array().map(Vec::len), Some(total));
    // Odd pages have an image without alt: 5 image-alt failures, found once each.
    let image_alt_failures = a["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "image-alt" && f["outcome"] == "failed")
        .count();
    assert_eq!(image_alt_failures, SLOW_PAGES / 2);
    assert_eq!(a, b);
}
