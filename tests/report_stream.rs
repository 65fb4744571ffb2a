//! The streamed outputs: an audit spools each démarche's report, and report.json, the store and
//! the site are written from the spool one démarche at a time. They must equal what the whole
//! in-memory report gives, and bad input must fail cleanly without a partial run.

use std::path::Path;

use vigie::audit::{self, AuditOptions};
use vigie::crawl::FetchConfig;
use vigie::model::AuditSettings;
use vigie::report::site::{write_site, SiteOptions};
use vigie::report::stream::{self, ReportFile, ReportSource};
use vigie::report::{Report, ReportError};
use vigie::store::{Recorded, Store};

fn demo_options() -> AuditOptions {
    AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            audit_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 26),
            ..AuditSettings::default()
        },
        progress: false,
        ..AuditOptions::default()
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file of a folder with its bytes, by name.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_in(dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).expect("read");
            (n, bytes)
        })
        .collect()
}

/// The site's pages say when they were generated (to the minute): masked before comparing.
fn without_generation_time(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let re = regex::Regex::new(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC").expect("regex");
    re.replace_all(&text, "<généré>").into_owned()
}

/// Equal texts, or the first differing line (reports are too long to print whole).
fn assert_same_text(a: &str, b: &str) {
    if a != b {
        let (n, (x, y)) = a
            .lines()
            .zip(b.lines())
            .enumerate()
            .find(|(_, (x, y))| x != y)
            .unwrap_or((0, ("(longueurs différentes)", "")));
        panic!("texts differ at line {}: {x:?} vs {y:?}", n + 1);
    }
}

#[tokio::test]
async fn spooled_outputs_equal_the_in_memory_ones() {
    let sites = vigie::demo::start().await.expect("demo sites");
    let spool_dir = tempfile::tempdir().expect("tempdir");
    let spooled = audit::audit_spooled(
        &sites.catalogue.demarches,
        &demo_options(),
        None,
        spool_dir.path(),
    )
    .await
    .expect("audit");
    // The spool is an unnamed file: nothing is left in its folder, even before it is dropped.
    assert_eq!(files_in(spool_dir.path()), Vec::<String>::new());
    let report = Report::collect(&spooled).expect("collect");
    assert_eq!(report.demarches.len(), sites.catalogue.demarches.len());
    let ids: Vec<&str> = spooled
        .overviews()
        .iter()
        .map(|o| o.demarche.id.as_str())
        .collect();
    let expected: Vec<&str> = report
        .demarches
        .iter()
        .map(|d| d.demarche.id.as_str())
        .collect();
    assert_eq!(ids, expected);

    // report.json, written one démarche at a time, is byte for byte the pretty whole report.
    let out = tempfile::tempdir().expect("tempdir");
    let path = stream::write_json(&spooled, out.path()).expect("write");
    let written = std::fs::read_to_string(&path).expect("read");
    assert_same_text(&written, &report.to_json().expect("json"));
    // Read back one démarche at a time, it is the same report again.
    let file = ReportFile::open(&path).expect("open");
    assert_eq!(Report::collect(&file).expect("collect file"), report);

    // The site from the spool equals the site from the whole report.
    let from_spool = tempfile::tempdir().expect("tempdir");
    let from_memory = tempfile::tempdir().expect("tempdir");
    let opts = SiteOptions::default();
    let a = write_site(&spooled, from_spool.path(), &opts).expect("site");
    let b = write_site(&report, from_memory.path(), &opts).expect("site");
    assert_eq!(a.len(), b.len());
    assert!(a[0].ends_with("index.html"));
    let names = files_in(from_spool.path());
    assert_eq!(names, files_in(from_memory.path()));
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    assert!(names.contains(&"constats.csv".to_string()));
    for n in &names {
        let x = std::fs::read(from_spool.path().join(n)).expect("read");
        let y = std::fs::read(from_memory.path().join(n)).expect("read");
        assert_same_text(&without_generation_time(&x), &without_generation_time(&y));
    }

    // The store records the spooled run; the same report, in memory or as a report.json
    // imported later, is recognised as the same run (the streamed hash equals the whole one).
    let db = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&db.path().join("vigie.db")).expect("store");
    let id = match store.record_source(&spooled, "audit").expect("record") {
        Recorded::New(id) => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        store.record(&report, "audit").expect("record"),
        Recorded::AlreadyThere(id)
    );
    assert_eq!(
        store.import(&path).expect("import"),
        Recorded::AlreadyThere(id)
    );
    assert_eq!(store.runs().expect("runs").len(), 1);
    let stored = store.snapshot(id).expect("snapshot");
    let whole = vigie::store::snapshot_from_report("mémoire", &report).expect("snapshot");
    assert_eq!(stored.demarches.len(), report.demarches.len());
    for (s, w) in stored.demarches.iter().zip(&whole.demarches) {
        assert_eq!(s.id, w.id);
        assert!(!w.findings.is_empty());
        assert_eq!(s.findings, w.findings, "{}", s.id);
        assert_eq!(s.analysed_pages, w.analysed_pages, "{}", s.id);
    }
}

/// A small report written as the tool writes it, for the error cases.
async fn small_report_file(dir: &Path) -> (Report, std::path::PathBuf) {
    let sites = vigie::demo::start().await.expect("demo sites");
    let mut opts = demo_options();
    opts.settings.max_pages = 2;
    opts.settings.probes = 0;
    let report = audit::audit(&sites.catalogue.demarches[..2], &opts)
        .await
        .expect("audit");
    let path = report.write_json(dir).expect("write");
    (report, path)
}

#[tokio::test]
async fn a_broken_report_file_fails_with_its_path_and_records_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (report, path) = small_report_file(dir.path()).await;
    let text = std::fs::read_to_string(&path).expect("read");

    // Cut in the middle of the second démarche: the header cannot be read past it either.
    let cut = text.rfind("\"findings\"").expect("findings");
    let truncated = dir.path().join("tronque.json");
    std::fs::write(&truncated, &text[..cut]).expect("write");
    let err = ReportFile::open(&truncated).err().expect("refused");
    assert!(err.to_string().contains("tronque.json"), "{err}");

    // A démarche that is not one: the first is handed over, then the reading stops with the
    // path, and the store keeps no partial run.
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["demarches"][1]["pages"] = serde_json::json!("pas une liste");
    let bad = dir.path().join("mauvaise-demarche.json");
    std::fs::write(&bad, serde_json::to_string(&v).expect("json")).expect("write");
    let file = ReportFile::open(&bad).expect("the header is fine");
    let mut seen = Vec::new();
    let err = file
        .each_demarche(|d| {
            seen.push(d.demarche.id.clone());
            Ok::<(), ReportError>(())
        })
        .expect_err("refused");
    assert_eq!(seen, vec![report.demarches[0].demarche.id.clone()]);
    assert!(err.to_string().contains("mauvaise-demarche.json"), "{err}");

    let db = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&db.path().join("vigie.db")).expect("store");
    assert!(store.record_source(&file, "audit").is_err());
    // The import reads leniently (any object is a démarche) but refuses a duplicated one,
    // after the first démarche's rows went in: they are rolled back.
    v["demarches"][1] = v["demarches"][0].clone();
    let dup = dir.path().join("doublon.json");
    std::fs::write(&dup, serde_json::to_string(&v).expect("json")).expect("write");
    let err = store.import(&dup).expect_err("refused");
    assert!(err.to_string().contains("double"), "{err}");
    assert!(store.runs().expect("runs").is_empty());
    // The good file still goes in afterwards.
    assert!(matches!(
        store.import(&path).expect("import"),
        Recorded::New(_)
    ));

    // A sink's error stops the reading at once and comes back as it is.
    let file = ReportFile::open(&path).expect("open");
    let mut calls = 0;
    let err = file
        .each_demarche(|_| {
            calls += 1;
            Err::<(), ReportError>(ReportError::Write(std::io::Error::other("disque plein")))
        })
        .expect_err("stopped");
    assert_eq!(calls, 1);
    assert!(err.to_string().contains("disque plein"), "{err}");
}

#[tokio::test]
async fn a_report_without_demarches_is_not_a_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (report, path) = small_report_file(dir.path()).await;
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v.as_object_mut().expect("object").remove("demarches");
    let none = dir.path().join("sans-demarches.json");
    std::fs::write(&none, serde_json::to_string(&v).expect("json")).expect("write");
    let err = ReportFile::open(&none).err().expect("refused");
    assert!(err.to_string().contains("demarches"), "{err}");

    // An empty run round-trips through the streamed writer.
    let empty = Report::from_parts(report.header(), Vec::new());
    let out = tempfile::tempdir().expect("tempdir");
    let p = stream::write_json(&empty, out.path()).expect("write");
    assert_same_text(
        &std::fs::read_to_string(&p).expect("read"),
        &empty.to_json().expect("json"),
    );
    assert_eq!(
        Report::collect(&ReportFile::open(&p).expect("open")).expect("collect"),
        empty
    );
}

#[tokio::test]
async fn vigie_report_on_a_file_broken_halfway_leaves_the_site_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (_, path) = small_report_file(dir.path()).await;
    let out = dir.path().join("site");
    let run = |report: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
            .arg("report")
            .arg(report)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("vigie report")
    };
    let first = run(&path);
    assert!(first.status.success(), "{first:?}");
    let before = contents(&out);
    assert!(before.iter().any(|(n, _)| n == "index.html"));

    // Same run, second démarche broken: nothing of the site may change.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["demarches"][1]["findings"] = serde_json::json!(42);
    let broken = dir.path().join("casse.json");
    std::fs::write(&broken, serde_json::to_string(&v).expect("json")).expect("write");
    let second = run(&broken);
    assert_eq!(second.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("casse.json"),
        "{second:?}"
    );
    let after = contents(&out);
    assert_eq!(after, before);
}
