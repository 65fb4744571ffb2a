//! The store: migrations, import of report.json files (idempotent, lenient with older and newer
//! reports), generic per-démarche sections, diffs of indicator levels and criteria statuses,
//! and the history series.

use std::path::Path;

use serde_json::{json, Value};
use vigie::diff::diff;
use vigie::store::{schema, Recorded, Store};

mod common;

fn finding(rule: &str, outcome: &str, url: &str, selector: &str) -> Value {
    json!({
        "rule": rule, "outcome": outcome, "url": url,
        "targets": [{"selector": selector, "snippet": "<img>"}],
        "count": 1, "message": "m", "rgaa": [], "wcag": [], "act": [], "cerfa": []
    })
}

fn page(url: &str) -> Value {
    json!({"requested_url": url, "final_url": url, "redirects": [], "status": 200,
           "content_type": "text/html", "size": 10, "total_ms": 5, "attempts": 1, "depth": 0,
           "fetched_at": "2026-01-01T00:00:00Z", "error": null, "facts": {"title": "x"}})
}

/// A report with the sections other modules add (indicators, cerfa, rgaa) and one unknown.
fn report(
    started: &str,
    level: (&str, &str),
    cerfa3: &str,
    rgaa: &str,
    score: f64,
    failing: bool,
) -> Value {
    let url = "https://demarche.example.gouv.fr/depot?b=2&a=1";
    let mut findings = vec![finding("page-title", "passed", url, "title")];
    if failing {
        findings.push(finding("image-alt", "failed", url, "#logo"));
    }
    json!({
        "schema_version": "1.0",
        "tool": {"name": "vigie", "version": "0.1.0"},
        "started_at": started, "finished_at": started,
        "config": {},
        "demarches": [{
            "id": "depot", "name": "Dépôt de dossier", "operator": "Agence",
            "start_url": "https://demarche.example.gouv.fr/",
            "pages": [page(url)],
            "findings": findings,
            "summary": {"pages": 1, "failed": if failing {1} else {0}, "cant_tell": 0},
            // The sections as the audit writes them (only the fields diff and history read,
            // plus extra ones they must ignore).
            "indicators": [
                {"id": "rgaa", "value": 42, "display": "42 %", "source": "mesure",
                 "level": {"label": level.0, "colour": level.1, "icon": "x"}},
                {"id": "disponibilite", "value": null, "display": "inconnu", "level": null}
            ],
            "cerfa": {"scores": {"all_pct": score, "accessibility_pct": 33.3},
                      "criteria": [{"number": 3, "status": cerfa3, "label": "x"},
                                   {"number": 4, "status": "met"}]},
            "rgaa": {"automated_rate": 50.0,
                     "criteria": [{"id": "1.1", "status": rgaa}, {"id": "11.1", "status": "C"}]},
            "futur": {"anything": [1, 2, 3]},
            "probes": [
                {"at": started, "url": "https://demarche.example.gouv.fr/", "status": 200, "ok": true,
                 "response_ms": 80, "total_ms": 120, "attempts": 1},
                {"at": started, "url": "https://demarche.example.gouv.fr/", "status": 503, "ok": false,
                 "response_ms": 10, "total_ms": 15, "attempts": 1, "error": "HTTP 503"},
                {"url": "sans date", "ok": true}
            ]
        }]
    })
}

fn write(dir: &Path, name: &str, v: &Value) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string_pretty(v).expect("json")).expect("write");
    p
}

#[test]
fn import_is_idempotent_and_keeps_sections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("sub/vigie.db");
    import_is_idempotent_and_keeps_sections_on(dir.path(), &db.to_string_lossy());
}

/// The same scenarios on PostgreSQL, each in its own database of one throwaway cluster.
#[test]
fn the_store_behaves_the_same_on_postgres() {
    let Some(pg) = common::pg::PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    import_is_idempotent_and_keeps_sections_on(dir.path(), &pg.database("idempotent"));
    older_reports_without_sections_import_and_bad_ones_are_refused_on(
        dir.path(),
        &pg.database("older"),
    );
    // A newer schema is refused, nothing written.
    let url = pg.database("newer");
    drop(Store::open_db(&url).expect("create"));
    pg.psql(
        "newer",
        &format!(
            "UPDATE vigie_schema SET version = {}",
            schema::current_version() + 1
        ),
    );
    assert!(matches!(
        Store::open_db(&url),
        Err(vigie::store::StoreError::TooNew { .. })
    ));
    assert_eq!(pg.psql("newer", "SELECT COUNT(*) FROM runs"), "0");
}

/// `db`: a SQLite path or a PostgreSQL URL.
fn import_is_idempotent_and_keeps_sections_on(dir: &Path, db: &str) {
    let a = write(
        dir,
        "a.json",
        &report(
            "2026-01-01T00:00:00Z",
            ("Moyen", "jaune"),
            "met",
            "NC",
            60.0,
            false,
        ),
    );
    let b = write(
        dir,
        "b.json",
        &report(
            "2026-02-01T00:00:00Z",
            ("Faible", "rouge"),
            "not_met",
            "C",
            55.5,
            true,
        ),
    );
    let mut store = Store::open_db(db).expect("open");
    if let Some(conn) = store.sqlite() {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .expect("version");
        assert_eq!(version, schema::current_version());
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
    }

    let ra = store.import(&a).expect("import a");
    let rb = store.import(&b).expect("import b");
    assert!(matches!(ra, Recorded::New(_)));
    assert!(matches!(rb, Recorded::New(_)));
    assert_eq!(
        store.import(&a).expect("again"),
        Recorded::AlreadyThere(ra.run_id())
    );
    assert_eq!(store.runs().expect("runs").len(), 2);

    // The stored run reads back exactly as the file does.
    let from_db = store.snapshot(rb.run_id()).expect("snapshot");
    let from_file = vigie::store::snapshot_from_file(&b).expect("file");
    assert_eq!(from_db.demarches, from_file.demarches);
    let d = &from_db.demarches[0];
    let names: Vec<&str> = d.sections.keys().map(String::as_str).collect();
    assert_eq!(names, ["cerfa", "futur", "indicators", "probes", "rgaa"]);
    assert_eq!(d.analysed_pages, ["/depot?a=1&b=2"]);

    // The audits' probes (two valid per report, the undated one skipped) feed availability;
    // the re-import added none.
    let feb = chrono::DateTime::parse_from_rfc3339("2026-02-02T00:00:00Z")
        .expect("date")
        .timestamp_millis();
    let a = vigie::monitor::availability_at(&store, "https://demarche.example.gouv.fr/", 90, feb)
        .expect("availability")
        .expect("probes");
    assert_eq!(a.n, 4);
    assert_eq!(a.success_ratio, 0.5);
    assert_eq!(a.mean_ms, Some(120.0));
    assert_eq!(a.mean_response_ms, Some(80.0));

    // Reopening runs no migration twice and keeps the data.
    drop(store);
    let store = Store::open_db(db).expect("reopen");
    assert_eq!(store.runs().expect("runs").len(), 2);

    let before = store.snapshot(ra.run_id()).expect("a");
    let after = store.snapshot(rb.run_id()).expect("b");
    let m = &diff(&before, &after).demarches[0];
    assert_eq!(m.indicators.len(), 1);
    assert_eq!(m.indicators[0].key, "rgaa");
    assert_eq!(m.indicators[0].before.as_deref(), Some("Moyen"));
    assert_eq!(m.indicators[0].after.as_deref(), Some("Faible"));
    assert!(m.indicators[0].worse);
    assert_eq!(m.cerfa.len(), 1);
    assert_eq!(m.cerfa[0].key, "3");
    assert!(m.cerfa[0].worse);
    assert_eq!(m.rgaa.len(), 1);
    assert_eq!(m.rgaa[0].key, "1.1");
    assert!(m.rgaa[0].better && !m.rgaa[0].worse);
    assert_eq!(m.new.len(), 1);
    assert_eq!(m.new[0].selector.as_deref(), Some("#logo"));

    // Going back: the level improves, the failure is fixed, nothing regresses but RGAA 1.1.
    let back = diff(&after, &before);
    let m = &back.demarches[0];
    assert!(m.indicators[0].better);
    assert_eq!(m.fixed.len(), 1);
    assert!(m.new.is_empty());
    assert!(m.rgaa[0].worse);

    let series = vigie::history::series(&store, Some("depot")).expect("series");
    assert_eq!(series.len(), 2);
    assert_eq!(series[0].failed, Some(0));
    assert_eq!(series[1].failed, Some(1));
    assert_eq!(series[0].cerfa_score, Some(60.0));
    assert_eq!(series[1].cerfa_score, Some(55.5));
    assert_eq!(series[1].rgaa_rate, Some(50.0));
    assert_eq!(series[1].cerfa_accessibility, Some(33.3));
    assert!(vigie::history::series(&store, Some("autre"))
        .expect("series")
        .is_empty());
}

#[test]
fn older_reports_without_sections_import_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("v.db");
    older_reports_without_sections_import_and_bad_ones_are_refused_on(
        dir.path(),
        &db.to_string_lossy(),
    );
}

fn older_reports_without_sections_import_and_bad_ones_are_refused_on(dir: &Path, db: &str) {
    let mut store = Store::open_db(db).expect("open");
    let old = json!({"started_at": "2025-01-01T00:00:00Z",
                     "demarches": [{"id": "x", "name": "X", "start_url": "https://x.gouv.fr/",
                                    "findings": [finding("link-name", "failed", "https://x.gouv.fr/", "a")]}]});
    let id = store
        .import(&write(dir, "old.json", &old))
        .expect("old report")
        .run_id();
    let snap = store.snapshot(id).expect("snapshot");
    assert!(snap.demarches[0].sections.is_empty());
    assert_eq!(snap.demarches[0].findings.len(), 1);
    let points = vigie::history::series(&store, None).expect("series");
    assert_eq!(points[0].cerfa_score, None);
    assert_eq!(points[0].failed, None);

    for bad in [
        json!({"demarches": []}),
        json!({"started_at": "x"}),
        json!({"started_at": "x", "demarches": [{"name": "sans id"}]}),
        json!({"started_at": "x", "demarches": [{"id": "a"}, {"id": "a"}]}),
        json!([1, 2]),
    ] {
        let p = write(dir, "bad.json", &bad);
        assert!(store.import(&p).is_err(), "{bad} should be refused");
    }
    std::fs::write(dir.join("broken.json"), "{ not json").expect("write");
    assert!(store.import(&dir.join("broken.json")).is_err());
    assert!(store.import(&dir.join("absent.json")).is_err());
    // Refused imports left nothing behind.
    assert_eq!(store.runs().expect("runs").len(), 1);
}

#[test]
fn a_database_from_a_newer_vigie_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v.db");
    drop(Store::open(&path).expect("create"));
    {
        let conn = rusqlite::Connection::open(&path).expect("raw");
        conn.pragma_update(None, "user_version", schema::current_version() + 1)
            .expect("bump");
    }
    assert!(matches!(
        Store::open(&path),
        Err(vigie::store::StoreError::TooNew { .. })
    ));
}
