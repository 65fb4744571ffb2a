//! Campaign integrity: several démarches on one host (one port with different start paths, and
//! different ports) each keep their own id, pages and verdicts, whether pages go through the
//! store's journal, stay in memory (`--no-db`), or come back from the journal after a kill.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use url::Url;
use vigie::serve::{start, FixtureServer, Source};
use vigie::store::journal::Campaign;
use vigie::store::Store;

mod common;

/// Pages of the slow site, each served after a delay so its audit can be killed halfway.
const SLOW_PAGES: usize = 6;
const DELAY_MS: u64 = 250;

fn write(dir: &Path, rel: &str, body: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, body).expect("write page");
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><head><title>{title}</title></head>\
         <body><main><h1>{title}</h1>{body}</main></body></html>"
    )
}

/// One origin, two démarches under `/alpha/` and `/beta/` that link to each other: alpha's
/// pages each have one image without alt, beta's each one field without label.
fn write_shared_origin(dir: &Path) {
    write(
        dir,
        "index.html",
        &page(
            "Portail",
            "<a href=\"/alpha/index.html\">Alpha</a> <a href=\"/beta/index.html\">Beta</a>",
        ),
    );
    for (rel, title, links) in [
        (
            "alpha/index.html",
            "Alpha",
            "<a href=\"a1.html\">A1</a> <a href=\"a2.html\">A2</a> <a href=\"/beta/index.html\">Beta</a> <a href=\"/index.html\">Portail</a>",
        ),
        ("alpha/a1.html", "Alpha 1", "<a href=\"index.html\">Alpha</a>"),
        ("alpha/a2.html", "Alpha 2", "<a href=\"/beta/b1.html\">B1</a>"),
    ] {
        write(dir, rel, &page(title, &format!("<img src=\"x.png\">{links}")));
    }
    for (rel, title, links) in [
        (
            "beta/index.html",
            "Beta",
            "<a href=\"b1.html\">B1</a> <a href=\"/alpha/index.html\">Alpha</a>",
        ),
        (
            "beta/b1.html",
            "Beta 1",
            "<a href=\"/alpha/a1.html\">A1</a>",
        ),
    ] {
        write(
            dir,
            rel,
            &page(
                title,
                &format!("<form><input type=\"text\" name=\"q\"></form>{links}"),
            ),
        );
    }
}

/// A slow site whose pages each have two images without alt.
fn write_slow(dir: &Path) {
    common::write_slow_site(dir, SLOW_PAGES, DELAY_MS, |i| {
        page(
            &format!("Lente {i}"),
            "<img src=\"a.png\"><img src=\"b.png\">",
        )
    });
}

/// A site without defect of these two kinds.
fn write_clean(dir: &Path) {
    write(
        dir,
        "index.html",
        &page(
            "Propre",
            "<img src=\"x.png\" alt=\"Logo\"><a href=\"c1.html\">C1</a>",
        ),
    );
    write(
        dir,
        "c1.html",
        &page(
            "Propre 1",
            "<label for=\"n\">Nom</label><input id=\"n\" type=\"text\">",
        ),
    );
}

struct Sites {
    _dirs: Vec<tempfile::TempDir>,
    shared: FixtureServer,
    slow: FixtureServer,
    clean: FixtureServer,
}

async fn sites() -> Sites {
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().expect("tmp")).collect();
    write_shared_origin(dirs[0].path());
    write_slow(dirs[1].path());
    write_clean(dirs[2].path());
    let serve = |d: &tempfile::TempDir| start(Source::Disk(d.path().to_path_buf()));
    Sites {
        shared: serve(&dirs[0]).await.expect("server"),
        slow: serve(&dirs[1]).await.expect("server"),
        clean: serve(&dirs[2]).await.expect("server"),
        _dirs: dirs,
    }
}

fn vigie(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
    cmd.arg("audit")
        .args([
            "--rate",
            "200",
            "--concurrency",
            "1",
            "--no-sitemaps",
            "--probes",
            "0",
            "--max-pages",
            "30",
        ])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run vigie");
    assert!(
        out.status.success(),
        "vigie failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn path_arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// What each démarche may hold: its origin, and its path prefix when it has one.
struct Expected {
    id: String,
    origin: String,
    prefix: Option<&'static str>,
    /// image-alt failures and form-field-label failures (targets), fixed by the sites.
    image_alt: usize,
    field_label: usize,
}

impl Expected {
    /// A démarche given by a bare URL: its origin is its scope, its id says host, port and path.
    fn bare(server: &FixtureServer, path_id: &str, image_alt: usize, field_label: usize) -> Self {
        Expected {
            id: format!("127-0-0-1-{}{path_id}", port(server)),
            origin: origin(server),
            prefix: None,
            image_alt,
            field_label,
        }
    }

    /// A catalogue démarche on the shared origin, under `prefix`.
    fn scoped(
        id: &str,
        s: &Sites,
        prefix: &'static str,
        image_alt: usize,
        field_label: usize,
    ) -> Self {
        Expected {
            id: id.into(),
            origin: origin(&s.shared),
            prefix: Some(prefix),
            image_alt,
            field_label,
        }
    }
}

fn failed_targets(d: &Value, rule: &str) -> usize {
    d["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule && f["outcome"] == "failed")
        .map(|f| f["targets"].as_array().map_or(0, Vec::len))
        .sum()
}

/// Each démarche of the report holds only pages (and findings) of its own scope, with the
/// verdicts its own site gives.
fn assert_each_keeps_its_own(report: &Path, expected: &[Expected]) {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(report).expect("read")).expect("json");
    let demarches = v["demarches"].as_array().expect("demarches");
    let ids: Vec<&str> = demarches
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    let want: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, want, "one démarche per start, each with its own id");
    for (d, e) in demarches.iter().zip(expected) {
        let in_scope = |u: &str| {
            let u = Url::parse(u).expect("url");
            vigie::crawl::origin_of(&u) == e.origin
                && e.prefix.is_none_or(|p| u.path().starts_with(p))
        };
        let pages = d["pages"].as_array().expect("pages");
        assert!(pages.len() >= 2, "{}: too few pages", e.id);
        for p in pages {
            let url = p["requested_url"].as_str().expect("url");
            assert!(in_scope(url), "{}: holds {url}, outside its scope", e.id);
        }
        for f in d["findings"].as_array().expect("findings") {
            let url = f["url"].as_str().expect("url");
            assert!(
                in_scope(url),
                "{}: finding on {url}, outside its scope",
                e.id
            );
        }
        assert_eq!(failed_targets(d, "image-alt"), e.image_alt, "{}", e.id);
        assert_eq!(
            failed_targets(d, "form-field-label"),
            e.field_label,
            "{}",
            e.id
        );
    }
}

fn store_counts(db: &str) -> (i64, i64) {
    let store = Store::open_db(db).expect("open store");
    let count = |sql: &str| -> i64 {
        store.query(sql, vec![]).expect(sql)[0][0]
            .int()
            .expect("count")
    };
    (
        count("SELECT COUNT(*) FROM runs"),
        count("SELECT COUNT(*) FROM demarches"),
    )
}

fn origin(server: &FixtureServer) -> String {
    vigie::crawl::origin_of(&Url::parse(&server.url()).expect("url"))
}

fn port(server: &FixtureServer) -> u16 {
    Url::parse(&server.url())
        .expect("url")
        .port()
        .expect("a port")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_demarches_on_one_host_keep_their_own_pages_with_and_without_the_journal() {
    let s = sites().await;
    let work = tempfile::tempdir().expect("tmp");
    // The first origin twice: its root, and a second démarche starting at `/alpha/`.
    let alpha = format!("{}alpha/index.html", s.shared.url());
    let urls = [s.shared.url(), s.slow.url(), s.clean.url(), alpha];
    let url_args: Vec<&str> = urls.iter().map(String::as_str).collect();
    let db = work.path().join("vigie.db");
    let with_db = work.path().join("db");
    let no_db = work.path().join("nodb");
    run_ok(vigie(&url_args).args(["--db", path_arg(&db), "--out", path_arg(&with_db)]));
    run_ok(vigie(&url_args).args(["--no-db", "--out", path_arg(&no_db)]));

    let expected = [
        // The whole first origin: alpha's three pages and beta's two.
        Expected::bare(&s.shared, "", 3, 2),
        Expected::bare(&s.slow, "", 2 * SLOW_PAGES, 0),
        Expected::bare(&s.clean, "", 0, 0),
        // Bare URLs are crawled on their whole origin: the same pages as the first démarche,
        // under an id of its own.
        Expected::bare(&s.shared, "-alpha-index-html", 3, 2),
    ];
    assert_each_keeps_its_own(&with_db.join("report.json"), &expected);
    assert_each_keeps_its_own(&no_db.join("report.json"), &expected);
    assert_eq!(
        common::comparable_demarches(&with_db.join("report.json")),
        common::comparable_demarches(&no_db.join("report.json"))
    );
    // The run is recorded, with its four démarches; the site has a page for each.
    assert_eq!(store_counts(path_arg(&db)), (1, 4));
    for e in &expected {
        let page = with_db.join(format!("demarche-{}.html", e.id));
        assert!(page.is_file(), "{} missing", page.display());
    }
}

/// A catalogue with two démarches on one origin (scopes `/alpha/` and `/beta/`), the slow site
/// and the clean one as bare URLs.
fn catalogue(dir: &Path, s: &Sites) -> PathBuf {
    let path = dir.join("demarches.toml");
    let base = s.shared.url();
    let base = base.trim_end_matches('/');
    std::fs::write(
        &path,
        format!(
            "[[demarche]]\nid = \"alpha\"\nname = \"Alpha\"\nstart_url = \"{base}/alpha/index.html\"\nscope_prefix = \"/alpha/\"\n\n\
             [[demarche]]\nid = \"beta\"\nname = \"Beta\"\nstart_url = \"{base}/beta/index.html\"\nscope_prefix = \"/beta/\"\n"
        ),
    )
    .expect("write catalogue");
    path
}

fn catalogue_expected(s: &Sites) -> Vec<Expected> {
    vec![
        Expected::scoped("alpha", s, "/alpha/", 3, 0),
        Expected::scoped("beta", s, "/beta/", 0, 2),
        Expected::bare(&s.slow, "", 2 * SLOW_PAGES, 0),
        Expected::bare(&s.clean, "", 0, 0),
    ]
}

fn journaled_pages(db: &str) -> usize {
    let Ok(store) = Store::open_db(db) else {
        return 0;
    };
    match Campaign::latest_unfinished(&store) {
        Ok(Some(c)) => c.page_count().unwrap_or(0),
        _ => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_demarches_on_one_origin_survive_a_kill_and_equal_the_run_without_journal() {
    let s = sites().await;
    let work = tempfile::tempdir().expect("tmp");
    let cat = catalogue(work.path(), &s);
    let (slow, clean) = (s.slow.url(), s.clean.url());
    let args = ["--catalogue", path_arg(&cat), &slow, &clean];
    let expected = catalogue_expected(&s);

    // Without the journal.
    let no_db = work.path().join("nodb");
    run_ok(vigie(&args).args(["--no-db", "--out", path_arg(&no_db)]));
    assert_each_keeps_its_own(&no_db.join("report.json"), &expected);

    // With the journal (on SQLite, then on PostgreSQL), killed (SIGKILL) once some pages are
    // journaled, then resumed.
    let sqlite = work.path().join("vigie.db");
    for db in common::pg::stores(&sqlite, "two_on_one_origin") {
        killed_and_resumed(&db, &args, work.path(), &no_db, &expected).await;
    }
}

async fn killed_and_resumed(
    db: &str,
    args: &[&str],
    work: &Path,
    no_db: &Path,
    expected: &[Expected],
) {
    let work = tempfile::tempdir_in(work).expect("tmp");
    let work = work.path();
    let killed = work.join("killed");
    let mut child = vigie(args)
        .args(["--db", db, "--out", path_arg(&killed)])
        .spawn()
        .expect("spawn vigie");
    let deadline = Instant::now() + Duration::from_secs(60);
    while journaled_pages(db) < 3 {
        assert!(Instant::now() < deadline, "nothing was journaled");
        assert!(
            child.try_wait().expect("try_wait").is_none(),
            "the audit ended before it could be killed"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(
        !killed.join("report.json").exists(),
        "a killed run published a report"
    );
    let resumed = work.join("resumed");
    let out = run_ok(vigie(&["--resume"]).args(["--db", db, "--out", path_arg(&resumed)]));
    assert!(String::from_utf8_lossy(&out.stderr).contains("reprise de la campagne"));
    assert_each_keeps_its_own(&resumed.join("report.json"), expected);
    assert_eq!(
        common::comparable_demarches(&resumed.join("report.json")),
        common::comparable_demarches(&no_db.join("report.json"))
    );
    assert_eq!(store_counts(db), (1, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_run_publishes_nothing_and_says_so() {
    let s = sites().await;
    let work = tempfile::tempdir().expect("tmp");
    // A store that takes the journal but refuses the run: a trigger stands for any invariant
    // the store checks when recording.
    let db = work.path().join("vigie.db");
    drop(Store::open(&db).expect("create store"));
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'refusé pour le test'); END;",
        )
        .expect("trigger");
    }
    let out_dir = work.path().join("out");
    let url = s.clean.url();
    let out = vigie(&[&url])
        .args(["--db", path_arg(&db), "--out", path_arg(&out_dir)])
        .output()
        .expect("run vigie");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exécution refusée"), "{stderr}");
    assert!(stderr.contains("refusé pour le test"), "{stderr}");
    for f in ["report.json", "index.html", "indicateurs.csv"] {
        assert!(!out_dir.join(f).exists(), "{f} was published");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_postgres_refuses_publishes_nothing_and_stays_resumable() {
    let Some(db) = common::pg::shared_database("refused") else {
        return;
    };
    let s = sites().await;
    let work = tempfile::tempdir().expect("tmp");
    drop(Store::open_db(&db).expect("create store"));
    let name = db.rsplit('/').next().unwrap_or_default();
    let pg = common::pg::shared().expect("cluster");
    pg.psql(
        name,
        "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refusé pour le test'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION refuse();",
    );
    let out_dir = work.path().join("out");
    let url = s.clean.url();
    let out = vigie(&[&url])
        .args(["--db", &db, "--out", path_arg(&out_dir)])
        .output()
        .expect("run vigie");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("exécution refusée"), "{stderr}");
    assert!(stderr.contains("refusé pour le test"), "{stderr}");
    for f in ["report.json", "index.html", "indicateurs.csv"] {
        assert!(!out_dir.join(f).exists(), "{f} was published");
    }
    // The campaign stays in the journal, with its pages, for `--resume`.
    assert_eq!(
        pg.psql(
            name,
            "SELECT state, (SELECT COUNT(*) > 0 FROM campaign_pages) FROM campaigns"
        ),
        "running|t"
    );
}

#[test]
fn a_catalogue_with_a_duplicate_id_fails_before_fetching() {
    let work = tempfile::tempdir().expect("tmp");
    let cat = work.path().join("c.toml");
    // Unreachable URLs: an attempt to fetch would fail differently, and slowly.
    std::fs::write(
        &cat,
        "[[demarche]]\nid = \"x\"\nname = \"Un\"\nstart_url = \"http://127.0.0.1:9/un\"\n\n\
         [[demarche]]\nid = \"x\"\nname = \"Deux\"\nstart_url = \"http://127.0.0.1:9/deux\"\n",
    )
    .expect("write");
    let out = vigie(&["--catalogue", path_arg(&cat), "--no-db"])
        .args(["--out", path_arg(&work.path().join("out"))])
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("c.toml"), "{stderr}");
    assert!(
        stderr.contains("démarche n° 1 (Un, http://127.0.0.1:9/un) et démarche n° 2 (Deux, http://127.0.0.1:9/deux)"),
        "{stderr}"
    );
}
