//! Two audits of a fixture site, between which the site changes (one fix, one regression, one
//! page removed), give exactly the expected diff, although each audit serves the site on a
//! different port.

use std::path::Path;

use url::Url;
use vigie::audit::{audit, AuditOptions};
use vigie::catalogue::Demarche;
use vigie::crawl::FetchConfig;
use vigie::diff::{diff, FindingRef, Presence};
use vigie::model::AuditSettings;
use vigie::report::Report;
use vigie::serve::{start, Source};
use vigie::store::Store;

mod common;

const INDEX_V1: &str = r#"<!doctype html><html lang="fr"><head><title>Accueil du service</title></head>
<body><main><h1>Accueil</h1>
<img id="logo" src="logo.png">
<p><a href="formulaire.html">Remplir le formulaire</a> <a href="ancienne.html">Ancienne page</a></p>
<img id="photo" src="photo.png">
</main></body></html>"#;

// The logo gets its alternative; the link to the old page goes away.
const INDEX_V2: &str = r#"<!doctype html><html lang="fr"><head><title>Accueil du service</title></head>
<body><main><h1>Accueil</h1>
<p>Nouvelle annonce insérée avant le logo.</p>
<img id="logo" src="logo.png" alt="Service exemplaire">
<p><a href="formulaire.html">Remplir le formulaire</a></p>
<img id="photo" src="photo.png">
</main></body></html>"#;

const FORM_V1: &str = r#"<!doctype html><html lang="fr"><head><title>Formulaire</title></head>
<body><main><form><label for="nom">Nom</label><input id="nom" type="text"></form></main></body></html>"#;

// The label is lost: a regression.
const FORM_V2: &str = r#"<!doctype html><html lang="fr"><head><title>Formulaire</title></head>
<body><main><form><p>Nom</p><input id="nom" type="text"></form></main></body></html>"#;

const OLD: &str = r#"<!doctype html><html lang="fr"><head><title>Ancienne page</title></head>
<body><main><img id="vieux" src="vieux.png"></main></body></html>"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

async fn audit_site(dir: &Path) -> (Report, String) {
    let server = start(Source::Disk(dir.to_path_buf()))
        .await
        .expect("fixture server");
    let base = server.url();
    let mut d = Demarche::from_url(Url::parse(&base).expect("url"));
    d.id = "service-test".into();
    d.name = "Service de test".into();
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 100.0,
                ..FetchConfig::default()
            },
            use_sitemaps: false,
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    };
    let report = audit(&[d], &opts).await.expect("audit");
    (report, base)
}

fn keys(list: &[FindingRef]) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = list
        .iter()
        .map(|f| {
            (
                f.rule.clone(),
                vigie::store::page_key(&f.url),
                f.selector.clone().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v
}

fn k(rule: &str, page: &str, sel: &str) -> (String, String, String) {
    (rule.into(), page.into(), sel.into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fix_and_a_regression_give_the_exact_diff() {
    let site = tempfile::tempdir().expect("tempdir");
    let dbdir = tempfile::tempdir().expect("tempdir");
    write(site.path(), "index.html", INDEX_V1);
    write(site.path(), "formulaire.html", FORM_V1);
    write(site.path(), "ancienne.html", OLD);
    let (first, base1) = audit_site(site.path()).await;

    write(site.path(), "index.html", INDEX_V2);
    write(site.path(), "formulaire.html", FORM_V2);
    std::fs::remove_file(site.path().join("ancienne.html")).expect("rm");
    let (second, base2) = audit_site(site.path()).await;
    assert_ne!(base1, base2, "each audit runs on its own server and port");

    let sqlite = dbdir.path().join("vigie.db");
    let mut diffs = Vec::new();
    for db in common::pg::stores(&sqlite, "diff_runs") {
        diffs.push(stored_diff(&db, &first, &second, &base1, &base2));
    }
    // The same diff from either backend.
    let (d, before, after) = diffs.remove(0);
    for (other, _, _) in &diffs {
        assert_eq!(other.demarches, d.demarches);
    }

    // The same diff from the report files, and from the reverse direction.
    let files = tempfile::tempdir().expect("tempdir");
    let p1 = first.write_json(&files.path().join("a")).expect("write a");
    let p2 = second.write_json(&files.path().join("b")).expect("write b");
    let fa = vigie::store::snapshot_from_file(&p1).expect("read a");
    let fb = vigie::store::snapshot_from_file(&p2).expect("read b");
    let from_files = diff(&fa, &fb);
    assert_eq!(from_files.demarches, d.demarches);

    let reverse = diff(&after, &before);
    let r = &reverse.demarches[0];
    assert_eq!(
        keys(&r.fixed),
        vec![
            k("form-field-label", "/formulaire.html", "#nom"),
            k("form-field-name", "/formulaire.html", "#nom")
        ]
    );
    // #logo and #vieux fail in the first run only: new in the reverse direction.
    assert_eq!(
        keys(&r.new),
        vec![
            k("image-alt", "/", "#logo"),
            k("image-alt", "/ancienne.html", "#vieux")
        ]
    );
    assert_eq!(keys(&r.still), vec![k("image-alt", "/", "#photo")]);

    // Text and HTML renderings carry the same facts; HTML escapes what sites put in.
    let text = vigie::diff::to_text(&d);
    assert!(
        text.contains("1 corrigées, 2 nouvelles, 1 toujours présentes, 1 non revérifiées"),
        "{text}"
    );
    assert!(text.contains("Régression détectée."));
    let html = vigie::report::site::render_diff(&d).expect("page");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("#nom"));
    assert!(!html.contains("<script"));
}

/// Record both audits in the store `db` names (a SQLite path or a PostgreSQL URL) and diff the
/// stored runs, checking the exact result; the diff and both snapshots.
fn stored_diff(
    db: &str,
    first: &Report,
    second: &Report,
    base1: &str,
    base2: &str,
) -> (
    vigie::diff::RunDiff,
    vigie::store::RunSnapshot,
    vigie::store::RunSnapshot,
) {
    let mut store = Store::open_db(db).expect("open store");
    let id1 = store.record(first, "audit").expect("record 1").run_id();
    let id2 = store.record(second, "audit").expect("record 2").run_id();
    assert_ne!(id1, id2);
    assert_eq!(store.resolve("latest").expect("latest"), id2);
    assert_eq!(store.resolve("previous").expect("previous"), id1);

    let before = store.snapshot(id1).expect("snapshot 1");
    let after = store.snapshot(id2).expect("snapshot 2");
    let d = diff(&before, &after);
    assert_eq!(d.demarches.len(), 1);
    let m = &d.demarches[0];
    assert_eq!(m.id, "service-test");
    assert_eq!(m.presence, Presence::Both);
    assert_eq!(keys(&m.fixed), vec![k("image-alt", "/", "#logo")]);
    // The unlabelled field fails the RGAA reading (11.1.1) and the ACT one (e086e5).
    assert_eq!(
        keys(&m.new),
        vec![
            k("form-field-label", "/formulaire.html", "#nom"),
            k("form-field-name", "/formulaire.html", "#nom")
        ]
    );
    assert_eq!(keys(&m.still), vec![k("image-alt", "/", "#photo")]);
    assert_eq!(
        keys(&m.not_rechecked),
        vec![k("image-alt", "/ancienne.html", "#vieux")]
    );
    // Fixed findings point at the page as it was audited then, new ones at the later page.
    assert!(m.fixed[0].url.starts_with(base1));
    assert!(m.new[0].url.starts_with(base2));
    assert!(m.still[0].url.starts_with(base2));
    // The lost label makes RGAA 11.1 non conforme; 1.1 (images) stays NC through #photo.
    let rgaa: Vec<(&str, Option<&str>, Option<&str>, bool)> = m
        .rgaa
        .iter()
        .map(|c| {
            (
                c.key.as_str(),
                c.before.as_deref(),
                c.after.as_deref(),
                c.worse,
            )
        })
        .collect();
    assert_eq!(rgaa, vec![("11.1", Some("NT"), Some("NC"), true)]);
    assert!(m.indicators.is_empty() && m.cerfa.is_empty());
    assert!(d.is_regression());
    (d, before, after)
}

fn vigie(args: &[&std::ffi::OsStr]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .output()
        .expect("run vigie")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_diff_gates_on_regressions_and_reads_files_and_runs() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "index.html", INDEX_V1);
    write(site.path(), "formulaire.html", FORM_V1);
    write(site.path(), "ancienne.html", OLD);
    let (first, _) = audit_site(site.path()).await;
    write(site.path(), "formulaire.html", FORM_V2);
    let (second, _) = audit_site(site.path()).await;
    let files = tempfile::tempdir().expect("tempdir");
    let a = first.write_json(&files.path().join("a")).expect("a");
    let b = second.write_json(&files.path().join("b")).expect("b");
    let sqlite = files.path().join("v.db");
    for db in common::pg::stores(&sqlite, "diff") {
        cli_diff_on(&db, &a, &b);
    }
}

/// `db`: a SQLite path or a PostgreSQL URL (of an empty database).
fn cli_diff_on(db: &str, a: &Path, b: &Path) {
    let db = std::ffi::OsString::from(db);
    let os = |s: &str| std::ffi::OsString::from(s);

    // Files: the lost label is a regression; the reverse is progress only.
    let out = vigie(&[
        os("diff").as_os_str(),
        a.as_os_str(),
        b.as_os_str(),
        os("--fail-on-regression").as_os_str(),
        os("--format").as_os_str(),
        os("json").as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json output");
    assert_eq!(json["demarches"][0]["new"][0]["selector"], "#nom");
    assert!(
        common::pg::is_empty(&db.to_string_lossy()),
        "reading files must not create a database"
    );
    let back = vigie(&[
        os("diff").as_os_str(),
        b.as_os_str(),
        a.as_os_str(),
        os("--fail-on-regression").as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    assert_eq!(back.status.code(), Some(0));
    let text = String::from_utf8_lossy(&back.stdout);
    assert!(text.contains("2 corrigées, 0 nouvelles"), "{text}");

    // Import both, then diff the runs by reference and show the history.
    let imp = vigie(&[
        os("import").as_os_str(),
        a.as_os_str(),
        b.as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    assert!(imp.status.success());
    let html = vigie(&[
        os("diff").as_os_str(),
        os("previous").as_os_str(),
        os("latest").as_os_str(),
        os("--format").as_os_str(),
        os("html").as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    assert_eq!(html.status.code(), Some(0), "without --fail-on-regression");
    let page = String::from_utf8_lossy(&html.stdout);
    assert!(page.contains("Nouvelles non-conformités (2)"), "{page}");
    let hist = vigie(&[
        os("history").as_os_str(),
        os("--format").as_os_str(),
        os("json").as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    let points: serde_json::Value = serde_json::from_slice(&hist.stdout).expect("history json");
    let failed: Vec<i64> = points
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["failed"].as_i64())
        .collect();
    // #logo, #photo and #vieux, then the same three and #nom (form-field-label and
    // form-field-name).
    assert_eq!(failed, vec![3, 5]);
    // An unknown run is a clear error, exit code 2.
    let bad = vigie(&[
        os("diff").as_os_str(),
        os("41").as_os_str(),
        os("latest").as_os_str(),
        os("--db").as_os_str(),
        db.as_os_str(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
