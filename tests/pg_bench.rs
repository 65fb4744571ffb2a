//! Figures for the README (issue 15), not a check: `cargo test --test pg_bench -- --ignored
//! --nocapture` audits a campaign of generated sites on 127.0.0.1 (rate limit lifted) once with
//! `vigie audit` on SQLite, then through the PostgreSQL queue with 1, 2 and 4 workers, and prints
//! pages per second and database bytes per 1 000 pages. `VIGIE_PG_BENCH=demarches,pages` sizes it.

use std::process::{Command, Stdio};
use std::time::Instant;

use vigie::serve::{start, Source};

mod common;
use common::pg::PgCluster;

fn vigie(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .stdout(Stdio::null())
        .output()
        .expect("vigie");
    assert!(
        out.status.success(),
        "{args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const CRAWL: &[&str] = &[
    "--rate",
    "0",
    "--concurrency",
    "16",
    "--no-sitemaps",
    "--probes",
    "0",
    "--render",
    "never",
    "--max-depth",
    "64",
    "--allow-private",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand for the README's figures"]
async fn pages_per_second_on_sqlite_and_postgres() {
    let Some(pg) = PgCluster::start() else {
        return;
    };
    let (demarches, pages) = std::env::var("VIGIE_PG_BENCH")
        .ok()
        .and_then(|v| {
            let (d, p) = v.split_once(',')?;
            Some((d.parse().ok()?, p.parse().ok()?))
        })
        .unwrap_or((8usize, 250usize));
    let mut servers = Vec::new();
    let mut catalogue = String::new();
    for k in 0..demarches {
        let s = start(Source::Generated(pages)).await.expect("server");
        catalogue.push_str(&format!(
            "[[demarche]]\nid = \"d{k}\"\nname = \"D{k}\"\noperator = \"O\"\nministry = \"M\"\nstart_url = \"{}\"\nmax_pages = {pages}\n\n",
            s.url()
        ));
        servers.push(s);
    }
    let work = tempfile::tempdir().expect("tempdir");
    let cat = work.path().join("c.toml");
    std::fs::write(&cat, catalogue).expect("catalogue");
    let cat = cat.to_string_lossy().to_string();
    let total = (demarches * pages) as f64;
    let max_pages = pages.to_string();

    let db = work.path().join("v.db");
    let out = work.path().join("sqlite");
    let t = Instant::now();
    let mut args = vec![
        "audit",
        "--catalogue",
        &cat,
        "--db",
        db.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "--max-pages",
        &max_pages,
    ];
    args.extend_from_slice(CRAWL);
    vigie(&args);
    let s = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64;
    println!(
        "sqlite audit : {:.1} pages/s ({s:.1} s) ; base {:.0} octets / 1 000 pages",
        total / s,
        size / total * 1000.0
    );

    for workers in [1usize, 2, 4] {
        let name = format!("b{workers}");
        let url = pg.database(&name);
        let mut args = vec![
            "campaign",
            "submit",
            "--catalogue",
            &cat,
            "--db",
            &url,
            "--max-pages",
            &max_pages,
        ];
        args.extend_from_slice(CRAWL);
        vigie(&args);
        let t = Instant::now();
        let children: Vec<_> = (0..workers)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_vigie"))
                    .args(["worker", "--db", &url, "--until-empty", "--poll-ms", "50"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("worker")
            })
            .collect();
        for mut c in children {
            assert!(c.wait().expect("wait").success());
        }
        let crawl_s = t.elapsed().as_secs_f64();
        let out = work.path().join(&name);
        vigie(&[
            "campaign",
            "report",
            "--db",
            &url,
            "--id",
            "1",
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        let s = t.elapsed().as_secs_f64();
        let size: f64 = pg
            .psql(&name, "SELECT pg_database_size(current_database())")
            .parse()
            .unwrap_or(0.0);
        let empty: f64 = pg
            .psql("postgres", "SELECT pg_database_size('template1')")
            .parse()
            .unwrap_or(0.0);
        println!(
            "postgres, {workers} worker(s) : {:.1} pages/s avec le rapport ({s:.1} s ; workers seuls {:.1} pages/s) ; base {:.0} octets / 1 000 pages",
            total / s,
            total / crawl_s,
            (size - empty) / total * 1000.0
        );
    }
}
