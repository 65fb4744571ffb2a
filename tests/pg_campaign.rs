//! Campaigns on PostgreSQL with several workers (issue 15): three `vigie worker` processes on a
//! dozen démarches served locally (four per host), one killed with SIGKILL mid-démarche. The
//! campaign completes; no journaled page is fetched twice; no démarche is lost or duplicated;
//! the fleet keeps each host's rate (counted per second at the server); the report equals a
//! single-machine `vigie audit`'s, with the declarations stored at submit (the file is gone when
//! the workers run). A worker whose lease was taken over stops writing; a campaign whose stored
//! settings cannot be read fails its jobs, not the worker. And bad input (unreachable database,
//! wrong password, newer schema, unknown campaign) gets a clear error with nothing written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use vigie::serve::{start, FixtureServer, Source};

mod common;

const HOSTS: usize = 3;
const PER_HOST: usize = 4;
const PAGES: usize = 6;
const DELAY_MS: u64 = 120;
/// Requests per second and per host (100 ms apart at least).
const RATE: &str = "10";
const AUDIT_DATE: &str = "2026-01-15";

/// Host k serves démarches d0…d3, each an index linking to p1…p6 (slow), in its own folder.
fn write_host(dir: &Path, k: usize) {
    let mut routes = String::new();
    for j in 0..PER_HOST {
        let d = dir.join(format!("d{j}"));
        std::fs::create_dir_all(&d).expect("dir");
        let mut links = String::new();
        for i in 1..=PAGES {
            links.push_str(&format!("<li><a href=\"p{i}.html\">Page {i}</a></li>"));
            routes.push_str(&format!(
                "[[route]]\npath = \"/d{j}/p{i}.html\"\nfile = \"d{j}/p{i}.html\"\ndelay_ms = {DELAY_MS}\n\n"
            ));
            // Varied pages: an image without alt on some, a field without label on others.
            let body = match (i + j + k) % 3 {
                0 => format!("<img src=\"i{i}.png\"><p>Texte {i}</p>"),
                1 => format!("<label for=\"f\">Nom</label><input id=\"f\" name=\"f{i}\">"),
                _ => format!("<input type=\"text\" name=\"g{i}\">"),
            };
            std::fs::write(
                d.join(format!("p{i}.html")),
                format!(
                    "<!doctype html><html lang=\"fr\"><title>Page {i} de d{j}</title><main><h1>Page {i}</h1>{body}</main></html>"
                ),
            )
            .expect("page");
        }
        std::fs::write(
            d.join("index.html"),
            format!(
                "<!doctype html><html lang=\"fr\"><title>Démarche {k}-{j}</title><main><h1>Démarche {k}-{j}</h1><ul>{links}</ul></main></html>"
            ),
        )
        .expect("index");
    }
    std::fs::write(dir.join("_server.toml"), routes).expect("routes");
}

fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("run vigie")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "vigie a échoué : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

const CRAWL: &[&str] = &[
    "--rate",
    RATE,
    "--concurrency",
    "2",
    "--no-sitemaps",
    "--probes",
    "0",
    "--render",
    "never",
    "--audit-date",
    AUDIT_DATE,
];

/// Declared answers for one démarche (the campaign's report must carry them as the audit's).
const DECLARATIONS: &str = "[demarches.h0-d1.cerfa.2]
value = \"met\"
comment = \"Parcours testé avec des usagers.\"
date = \"2026-01-10\"
author = \"Équipe produit\"
";

fn worker(url: &str, name: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args([
            "worker",
            "--db",
            url,
            "--until-empty",
            "--concurrency",
            "2",
            "--lease-ms",
            "2000",
            "--poll-ms",
            "100",
            "--name",
            name,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker")
}

fn path_of(url: &str) -> String {
    url::Url::parse(url).expect("url").path().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_one_killed_give_the_single_machine_report() {
    let Some(pg) = common::pg::shared() else {
        return;
    };
    let url = pg.database("fleet");
    let sites = tempfile::tempdir().expect("tempdir");
    let mut servers: Vec<FixtureServer> = Vec::new();
    let mut catalogue = String::new();
    for k in 0..HOSTS {
        let dir = sites.path().join(format!("h{k}"));
        write_host(&dir, k);
        let server = start(Source::Disk(dir)).await.expect("server");
        for j in 0..PER_HOST {
            catalogue.push_str(&format!(
                "[[demarche]]\nid = \"h{k}-d{j}\"\nname = \"Démarche {k}-{j}\"\noperator = \"Opérateur {k}\"\nministry = \"Essais\"\nstart_url = \"{}d{j}/\"\nscope_prefix = \"/d{j}/\"\n\n",
                server.url()
            ));
        }
        servers.push(server);
    }
    let work = tempfile::tempdir().expect("tempdir");
    let cat = work.path().join("catalogue.toml");
    std::fs::write(&cat, catalogue).expect("catalogue");
    let cat = cat.to_string_lossy().to_string();
    let decl = work.path().join("declarations.toml");
    std::fs::write(&decl, DECLARATIONS).expect("declarations");
    let decl = decl.to_string_lossy().to_string();

    // The single-machine reference.
    let reference = work.path().join("reference");
    let mut args = vec![
        "audit",
        "--catalogue",
        &cat,
        "--declarations",
        &decl,
        "--no-db",
        "--out",
        reference.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(CRAWL);
    ok(&vigie(&args));
    let from: Vec<usize> = servers.iter().map(|s| s.requests().len()).collect();

    // The campaign, three workers, one killed once it journaled pages of a démarche.
    let mut args = vec![
        "campaign",
        "submit",
        "--catalogue",
        &cat,
        "--declarations",
        &decl,
        "--db",
        &url,
    ];
    args.extend_from_slice(CRAWL);
    let id = ok(&vigie(&args)).trim().to_string();
    assert_eq!(id, "1");
    // Stored with the campaign: workers on other machines need no copy of the file.
    std::fs::remove_file(&decl).expect("remove declarations");
    let mut workers: Vec<Child> = ["w0", "w1", "w2"].iter().map(|n| worker(&url, n)).collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let victim = loop {
        let row = pg.psql(
            "fleet",
            "SELECT j.demarche_id FROM campaign_jobs j JOIN campaign_pages p
               ON p.campaign_id = j.campaign_id AND p.demarche_id = j.demarche_id
             WHERE j.worker = 'w0' AND j.state = 'running'
             GROUP BY j.demarche_id HAVING COUNT(*) >= 2 LIMIT 1",
        );
        if !row.is_empty() {
            break row;
        }
        assert!(Instant::now() < deadline, "w0 n'a rien journalisé");
        assert!(
            workers[0].try_wait().expect("try_wait").is_none(),
            "w0 s'est arrêté avant d'être tué"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    workers[0].kill().expect("SIGKILL");
    workers[0].wait().expect("wait");
    let journaled: BTreeSet<String> = pg
        .psql(
            "fleet",
            &format!("SELECT url FROM campaign_pages WHERE demarche_id = '{victim}'"),
        )
        .lines()
        .map(path_of)
        .collect();
    assert!(journaled.len() >= 2);
    // Followed while the fleet works: it returns by itself once nothing is queued or running.
    let watch = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args([
            "campaign",
            "status",
            "--db",
            &url,
            "--watch",
            "--every-ms",
            "100",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn status --watch");
    for (i, w) in workers.iter_mut().enumerate().skip(1) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = w.try_wait().expect("try_wait") {
                let mut err = String::new();
                if let Some(mut e) = w.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut e, &mut err);
                }
                assert!(status.success(), "w{i} : {err}");
                break;
            }
            assert!(Instant::now() < deadline, "w{i} ne s'arrête pas");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    // Completed, each démarche once; the killed one taken over after its lease.
    assert_eq!(
        pg.psql(
            "fleet",
            "SELECT state, COUNT(*) FROM campaign_jobs GROUP BY state"
        ),
        format!("done|{}", HOSTS * PER_HOST)
    );
    assert_eq!(
        pg.psql(
            "fleet",
            &format!(
                "SELECT attempts, worker <> 'w0' FROM campaign_jobs WHERE demarche_id = '{victim}'"
            )
        ),
        "2|t"
    );
    assert_eq!(pg.psql("fleet", "SELECT COUNT(*) FROM campaign_pages"), "0");
    let status = ok(&vigie(&["campaign", "status", "--db", &url]));
    assert!(
        status.contains("0 en attente, 0 en cours, 12 terminée(s), 0 en échec"),
        "{status}"
    );
    let watched = watch.wait_with_output().expect("status --watch");
    let text = ok(&watched);
    assert_eq!(text, status, "--watch ends on the final listing");
    // Not a terminal: no bar, no control characters.
    let err = String::from_utf8_lossy(&watched.stderr);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\r') && !text.contains('\u{1b}'),
        "{err}"
    );

    // Per server: journaled pages fetched once; requests at least 1/RATE apart (10 % jitter).
    let (k, j) = victim
        .trim_start_matches('h')
        .split_once("-d")
        .expect("victim id");
    let (k, j): (usize, usize) = (k.parse().expect("k"), j.parse().expect("j"));
    for (s, server) in servers.iter().enumerate() {
        let requests = &server.requests()[from[s]..];
        let mut fetched: BTreeMap<String, usize> = BTreeMap::new();
        for r in requests {
            *fetched.entry(r.path.clone()).or_default() += 1;
        }
        if s == k {
            for p in &journaled {
                assert_eq!(
                    fetched.get(p),
                    Some(&1),
                    "{p} (journalisée) chargée {:?} fois",
                    fetched.get(p)
                );
            }
            assert!(journaled.iter().all(|p| p.starts_with(&format!("/d{j}/"))));
        }
        // Counted over one-second windows (timer and scheduling jitter on a loaded machine
        // moves single gaps; two workers on one host would double the count).
        let mut times: Vec<Instant> = requests.iter().map(|r| r.at).collect();
        times.sort();
        for (i, t) in times.iter().enumerate() {
            let within = times[i..]
                .iter()
                .take_while(|u| **u - *t < Duration::from_secs(1))
                .count();
            assert!(
                within <= 11,
                "hôte {s} : {within} requêtes en une seconde (au plus {RATE} par seconde)"
            );
        }
    }

    // The report from the database equals the single-machine one, timings aside.
    let out = work.path().join("fleet");
    ok(&vigie(&[
        "campaign",
        "report",
        "--db",
        &url,
        "--id",
        &id,
        "--out",
        out.to_str().expect("utf-8"),
    ]));
    let fleet = common::comparable_demarches(&out.join("report.json"));
    let single = common::comparable_demarches(&reference.join("report.json"));
    assert_eq!(fleet.len(), HOSTS * PER_HOST);
    let ids: BTreeSet<String> = fleet
        .iter()
        .map(|d| d["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(ids.len(), HOSTS * PER_HOST);
    assert_eq!(fleet, single);
    // The declared answer is there, from the content stored at submit.
    let criterion2 = |id: &str| {
        fleet
            .iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["cerfa"]["criteria"].as_array())
            .and_then(|c| c.iter().find(|c| c["number"] == 2))
            .map(|c| c["status"].clone())
            .unwrap_or_default()
    };
    assert_eq!(criterion2("h0-d1"), "met");
    assert_ne!(criterion2("h0-d0"), "met");
    assert!(out.join("index.html").is_file());
    assert!(std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .any(|e| e.path().extension().is_some_and(|x| x == "csv")));
    // The run is recorded in the same database: history reads it.
    let history = ok(&vigie(&["history", "--db", &url, "--format", "json"]));
    let points: serde_json::Value = serde_json::from_str(&history).expect("json");
    assert_eq!(points.as_array().map(Vec::len), Some(HOSTS * PER_HOST));
}

fn refused(args: &[&str], expected: &str) {
    let out = vigie(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?} : {err}");
    assert!(err.contains(expected), "{args:?} : « {err} »");
}

#[test]
fn bad_databases_and_unknown_campaigns_are_refused_with_nothing_written() {
    let Some(pg) = common::pg::shared() else {
        return;
    };
    let work = tempfile::tempdir().expect("tempdir");
    let cat = work.path().join("catalogue.toml");
    std::fs::write(
        &cat,
        "[[demarche]]\nid = \"a\"\nname = \"A\"\noperator = \"O\"\nministry = \"M\"\nstart_url = \"http://127.0.0.1:9/\"\n",
    )
    .expect("catalogue");
    let cat = cat.to_string_lossy().to_string();

    // Unreachable: nobody listens on the port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let nowhere = format!("postgres://postgres@127.0.0.1:{closed}/x");
    refused(
        &["history", "--db", &nowhere],
        "base PostgreSQL injoignable",
    );
    refused(
        &["campaign", "submit", "--catalogue", &cat, "--db", &nowhere],
        "injoignable",
    );

    // Wrong password: refused, and the password is not printed.
    let url = pg.database("secure");
    let wrong = url.replace(common::pg::PASSWORD, "mauvais");
    let out = vigie(&["campaign", "status", "--db", &wrong]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("mauvais"), "{err}");
    assert_eq!(
        pg.psql("secure", "SELECT to_regclass('runs') IS NULL"),
        "t",
        "nothing written"
    );

    // Reading commands do not create a database vigie never wrote to.
    refused(&["history", "--db", &url], "base introuvable");
    refused(
        &["diff", "previous", "latest", "--db", &url],
        "base introuvable",
    );
    assert_eq!(
        pg.psql("secure", "SELECT to_regclass('vigie_schema') IS NULL"),
        "t",
        "nothing written"
    );

    // A database of a newer vigie: refused before anything is written.
    ok(&vigie(&["campaign", "status", "--db", &url]));
    pg.psql("secure", "UPDATE vigie_schema SET version = version + 1");
    refused(
        &["campaign", "submit", "--catalogue", &cat, "--db", &url],
        "base de données trop récente",
    );
    refused(&["worker", "--db", &url, "--until-empty"], "trop récente");
    assert_eq!(pg.psql("secure", "SELECT COUNT(*) FROM campaigns"), "0");
    pg.psql("secure", "UPDATE vigie_schema SET version = version - 1");

    // A campaign that does not exist: no output folder.
    let out = work.path().join("absent");
    refused(
        &[
            "campaign",
            "report",
            "--db",
            &url,
            "--id",
            "42",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        "campagne introuvable : #42",
    );
    assert!(!out.exists());
    refused(
        &["campaign", "status", "--db", &url, "--id", "42"],
        "campagne introuvable : #42",
    );
    // The queue needs PostgreSQL.
    refused(
        &[
            "worker",
            "--db",
            &work.path().join("v.db").to_string_lossy(),
        ],
        "base PostgreSQL",
    );
}

/// A site whose pages come slowly, for a worker to be caught mid-démarche.
fn write_slow(dir: &Path) {
    common::write_slow_site(dir, 30, 150, |i| {
        format!("<!doctype html><html lang=\"fr\"><title>Page {i}</title><main><h1>Page {i}</h1></main></html>")
    });
}

fn one_demarche_catalogue(dir: &Path, start_url: &str) -> String {
    let cat = dir.join("catalogue.toml");
    std::fs::write(
        &cat,
        format!("[[demarche]]\nid = \"lente\"\nname = \"Lente\"\noperator = \"O\"\nministry = \"M\"\nstart_url = \"{start_url}\"\nmax_pages = 40\n"),
    )
    .expect("catalogue");
    cat.to_string_lossy().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_whose_lease_was_taken_over_stops_writing() {
    let Some(pg) = common::pg::shared() else {
        return;
    };
    let url = pg.database("takeover");
    let site = tempfile::tempdir().expect("tempdir");
    write_slow(site.path());
    let server = start(Source::Disk(site.path().to_path_buf()))
        .await
        .expect("server");
    let work = tempfile::tempdir().expect("tempdir");
    let cat = one_demarche_catalogue(work.path(), &server.url());
    let mut args = vec!["campaign", "submit", "--catalogue", &cat, "--db", &url];
    args.extend_from_slice(&[
        "--rate",
        "100",
        "--concurrency",
        "1",
        "--no-sitemaps",
        "--probes",
        "0",
        "--render",
        "never",
    ]);
    ok(&vigie(&args));
    let mut w0 = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args([
            "worker",
            "--db",
            &url,
            "--concurrency",
            "1",
            "--lease-ms",
            "1500",
            "--poll-ms",
            "100",
            "--name",
            "w0",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker");
    let pages = || -> usize {
        pg.psql("takeover", "SELECT COUNT(*) FROM campaign_pages")
            .parse()
            .expect("count")
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while pages() < 3 {
        assert!(Instant::now() < deadline, "w0 n'a rien journalisé");
        assert!(
            w0.try_wait().expect("try_wait").is_none(),
            "w0 s'est arrêté"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Another worker takes the job over (as after an expired lease), holding it for long.
    pg.psql(
        "takeover",
        "UPDATE campaign_jobs SET worker = 'usurpateur', attempts = attempts + 1,
           lease_until_ms = 9000000000000, claimed_at_ms = 0",
    );
    // Writes already on their way land (or are refused); then nothing more.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (journaled, fetched) = (pages(), server.requests().len());
    // More than the lease's renewal period: w0 has noticed, and stopped crawling too.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let stopped_fetching = server.requests().len();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(pages(), journaled, "w0 a écrit après la reprise");
    assert!(journaled < 31, "la démarche était finie avant la reprise");
    assert_eq!(
        server.requests().len(),
        stopped_fetching,
        "w0 crawle encore"
    );
    assert!(stopped_fetching < fetched + 31);
    assert_eq!(
        pg.psql(
            "takeover",
            "SELECT state, worker, report_json IS NULL FROM campaign_jobs"
        ),
        "running|usurpateur|t",
        "w0 n'a pas terminé la démarche d'un autre"
    );
    assert!(
        w0.try_wait().expect("try_wait").is_none(),
        "w0 attend du travail"
    );
    w0.kill().expect("kill");
    let out = w0.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lente reprise par un autre worker"), "{err}");
}

#[test]
fn unreadable_campaign_settings_fail_the_job_not_the_worker() {
    let Some(pg) = common::pg::shared() else {
        return;
    };
    let url = pg.database("unreadable");
    let work = tempfile::tempdir().expect("tempdir");
    // Never fetched: the jobs fail before any crawl.
    let cat = one_demarche_catalogue(work.path(), "http://127.0.0.1:9/");
    for _ in 0..2 {
        ok(&vigie(&[
            "campaign",
            "submit",
            "--catalogue",
            &cat,
            "--db",
            &url,
        ]));
    }
    // Campaign 1: settings that are not JSON; campaign 2: its démarche is not in its catalogue.
    pg.psql(
        "unreadable",
        "UPDATE campaigns SET settings_json = '{pas du json' WHERE id = 1;
         UPDATE campaigns SET demarches_json = '[]' WHERE id = 2;",
    );
    let out = vigie(&[
        "worker",
        "--db",
        &url,
        "--until-empty",
        "--max-attempts",
        "2",
        "--poll-ms",
        "50",
        "--name",
        "w",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "le worker s'est arrêté : {err}");
    assert!(
        err.contains("0 démarche(s) terminée(s), 4 échec(s)"),
        "{err}"
    );
    let rows = pg.psql(
        "unreadable",
        "SELECT campaign_id, state, attempts, error FROM campaign_jobs ORDER BY campaign_id",
    );
    let rows: Vec<&str> = rows.lines().collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].starts_with("1|failed|2|réglages de la campagne illisibles"),
        "{rows:?}"
    );
    assert!(
        rows[1].starts_with("2|failed|2|") && rows[1].contains("absente de la campagne #2"),
        "{rows:?}"
    );
    let status = ok(&vigie(&["campaign", "status", "--db", &url]));
    assert!(status.contains("0 terminée(s), 1 en échec"), "{status}");
}

/// A rendered campaign keeps its photos: the worker renders a page whose text fails contrast
/// over an image, photographs the failed element, and `campaign report` from the database
/// writes the photo in report.json and on the démarche page, as `vigie audit` does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rendered_campaign_report_keeps_the_photos_of_failed_elements() {
    let Some(pg) = common::pg::shared() else {
        return;
    };
    let Some(chromium) = common::browser::browser() else {
        return;
    };
    let url = pg.database("photos");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render/pixels");
    let server = start(Source::Disk(fixtures)).await.expect("server");
    let work = tempfile::tempdir().expect("tempdir");
    let cat = work.path().join("catalogue.toml");
    std::fs::write(
        &cat,
        format!(
            "[[demarche]]\nid = \"photo\"\nname = \"Photo\"\noperator = \"O\"\nministry = \"M\"\nstart_url = \"{}image-failed.html\"\nmax_pages = 1\n",
            server.url()
        ),
    )
    .expect("catalogue");
    let cat = cat.to_string_lossy().to_string();
    ok(&vigie(&[
        "campaign",
        "submit",
        "--catalogue",
        &cat,
        "--db",
        &url,
        "--rate",
        "100",
        "--no-sitemaps",
        "--probes",
        "0",
        "--render",
        "always",
    ]));
    let chromium = chromium.to_string_lossy().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args([
            "worker",
            "--db",
            &url,
            "--until-empty",
            "--chromium",
            &chromium,
        ])
        .output()
        .expect("worker");
    ok(&out);
    let site = work.path().join("site");
    ok(&vigie(&[
        "campaign",
        "report",
        "--db",
        &url,
        "--id",
        "1",
        "--out",
        site.to_str().expect("utf-8"),
    ]));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("report.json")).expect("report.json"))
            .expect("json");
    let page = &report["demarches"][0]["pages"][0];
    assert_eq!(page["rendering"]["status"], "rendered", "{page}");
    let shots = page["screenshots"].as_array().expect("screenshots");
    assert!(
        shots
            .iter()
            .any(|s| s["rule"] == "color-contrast" && s["selector"] == "#cible"),
        "{shots:?}"
    );
    let captures: Vec<_> = std::fs::read_dir(site.join("captures"))
        .expect("captures/")
        .flatten()
        .collect();
    assert!(!captures.is_empty());
    let html = std::fs::read_dir(&site)
        .expect("site")
        .flatten()
        .find(|f| f.file_name().to_string_lossy().starts_with("demarche-"))
        .map(|f| std::fs::read_to_string(f.path()).expect("page"))
        .expect("démarche page");
    assert!(
        html.contains("color-contrast — #cible"),
        "no photo on the page"
    );
}
