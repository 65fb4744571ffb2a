//! report.json 2.0 keeps passed and inapplicable outcomes compact, per page; 1.0 reports (here
//! two démarches of the demo as the 1.0 code wrote them, fixtures/reports/demo-1.0.json) are
//! still read, and every reader gives the same answers from either form: the findings export,
//! the site, the store, the diff and the history.

mod common;

use std::path::Path;

use url::Url;
use vigie::analyze::{analyze_html, CrawledPage};
use vigie::audit::{demarche_report, DemarcheContext};
use vigie::catalogue::Demarche;
use vigie::crawl::charset::CharsetSource;
use vigie::crawl::FetchRecord;
use vigie::report::{Report, REPORT_SCHEMA, SCHEMA_VERSION};
use vigie::rules::Outcome;
use vigie::store::{self, Store};

const FIXTURE: &str = "fixtures/reports/demo-1.0.json";

/// A reference list as a report of that version held it: strings of its own.
fn owned<S: AsRef<str>>(list: &[S]) -> Vec<vigie::rules::Reference> {
    list.iter().map(|s| s.as_ref().to_string().into()).collect()
}

/// The 1.0 fixture, its passed and inapplicable findings carrying today's rule references: the
/// compact form keeps rule ids and takes the references from the rule registry (a passed
/// finding's RGAA tests are kept when they differ), so rules whose references changed since
/// the fixture was written (form-field-label lost ACT e086e5 to form-field-name) read back
/// with today's.
fn fixture() -> Report {
    let mut r = Report::read(Path::new(FIXTURE)).expect("1.0 report");
    for d in &mut r.demarches {
        for f in &mut d.findings {
            let Some(meta) = vigie::rules::rule_by_id(&f.rule).map(|r| r.meta()) else {
                continue;
            };
            match f.outcome {
                Outcome::Inapplicable => f.rgaa = owned(meta.rgaa),
                Outcome::Passed => {}
                _ => continue,
            }
            f.wcag = owned(meta.wcag).into();
            f.act = owned(meta.act).into();
            f.cerfa = meta.cerfa.to_vec().into();
        }
    }
    r
}

/// The fixture made compact, as a 2.0 audit writes it.
fn compacted(keep_passed: bool) -> Report {
    let mut r = fixture();
    for d in &mut r.demarches {
        d.compact(keep_passed);
    }
    r.schema_version = SCHEMA_VERSION.to_string();
    r
}

/// The 1.0 findings, passed ones without their targets (what 2.0 does not keep).
fn without_passed_targets(r: &Report) -> Vec<Vec<vigie::findings::Finding>> {
    r.demarches
        .iter()
        .map(|d| {
            d.findings
                .iter()
                .cloned()
                .map(|mut f| {
                    if f.outcome == Outcome::Passed {
                        f.targets.clear();
                    }
                    f
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_1_0_report_reads_as_it_was() {
    let r = fixture();
    assert_eq!(r.schema_version, "1.0");
    for d in &r.demarches {
        assert!(d.pages.iter().all(|p| p.outcomes.is_none()));
        assert_eq!(d.all_findings(), d.findings);
    }
}

#[test]
fn compact_outcomes_give_back_every_finding_in_order() {
    let old = fixture();
    let new = compacted(false);
    let expected = without_passed_targets(&old);
    for (i, d) in new.demarches.iter().enumerate() {
        assert!(d
            .findings
            .iter()
            .all(|f| matches!(f.outcome, Outcome::Failed | Outcome::CantTell)));
        assert!(d
            .pages
            .iter()
            .all(|p| p.outcomes.is_some() == p.facts.is_some()));
        assert_eq!(d.all_findings(), expected[i], "démarche {}", d.demarche.id);
    }
    // --all-targets: passed findings stay whole, targets included.
    let kept = compacted(true);
    for (d, o) in kept.demarches.iter().zip(&old.demarches) {
        assert!(d.findings.iter().any(|f| f.outcome == Outcome::Passed));
        assert!(d
            .pages
            .iter()
            .filter_map(|p| p.outcomes.as_ref())
            .all(|o| o.passed.is_empty()));
        assert_eq!(d.all_findings(), o.findings);
    }
    // The 2.0 form is much smaller and valid against the published schema.
    let (old_len, new_len) = (
        old.to_json().expect("json").len(),
        new.to_json().expect("json").len(),
    );
    // (These two démarches are mostly failures: the demo's third, all passed, shrinks more.)
    assert!(new_len * 3 < old_len * 2, "{new_len} vs {old_len}");
    let schema: serde_json::Value = serde_json::from_str(REPORT_SCHEMA).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("validator");
    let value = serde_json::to_value(&new).expect("value");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn exports_and_site_are_the_same_from_either_form() {
    let (old, new) = (fixture(), compacted(false));
    for sep in [';', ','] {
        assert_eq!(
            vigie::report::csv::findings_csv(&old, sep),
            vigie::report::csv::findings_csv(&new, sep)
        );
    }
    let opts = vigie::report::site::SiteOptions::default();
    assert_eq!(
        common::render_site(&old, &opts),
        common::render_site(&new, &opts)
    );
}

#[test]
fn store_diff_and_history_are_the_same_from_either_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut db = Store::open(&dir.path().join("vigie.db")).expect("store");
    // `vigie import` of the 1.0 file, then the same run in 2.0 form.
    let old_run = db.import(Path::new(FIXTURE)).expect("import").run_id();
    let mut new = compacted(false);
    new.started_at = "2030-01-01T00:00:00Z".into();
    let new_run = db.record(&new, "audit").expect("record").run_id();
    let old_snap = db.snapshot(old_run).expect("snapshot");
    let new_snap = db.snapshot(new_run).expect("snapshot");
    // Nothing failed appears, disappears or goes unchecked; no status moves.
    let d = vigie::diff::diff(&old_snap, &new_snap);
    assert_eq!(d.demarches.len(), 2);
    for dd in &d.demarches {
        let text = vigie::diff::to_text(&d);
        assert!(
            dd.indicators.is_empty() && dd.cerfa.is_empty() && dd.rgaa.is_empty(),
            "{text}"
        );
        assert!(dd.fixed.is_empty() && dd.new.is_empty(), "{text}");
        assert!(
            dd.not_rechecked.is_empty() && !dd.still.is_empty(),
            "{text}"
        );
    }
    // The same diff from the files (`vigie diff a.json b.json`).
    let file_snap = store::snapshot_from_file(Path::new(FIXTURE)).expect("file");
    let new_file_snap = store::snapshot_from_report("b", &new).expect("report");
    let failed = |s: &store::RunSnapshot| -> Vec<Vec<String>> {
        s.demarches
            .iter()
            .map(|d| {
                d.findings
                    .iter()
                    .filter(|f| f.outcome != "passed" && f.outcome != "inapplicable")
                    .map(|f| f.fingerprint.clone())
                    .collect()
            })
            .collect()
    };
    assert_eq!(failed(&file_snap), failed(&new_file_snap));
    assert_eq!(failed(&old_snap), failed(&new_snap));
    // History: the same points for both runs.
    let series = vigie::history::series(&db, None).expect("series");
    for id in ["ancien-portail", "espace-connecte"] {
        let points: Vec<_> = series.iter().filter(|p| p.demarche_id == id).collect();
        assert_eq!(points.len(), 2);
        let strip = |p: &vigie::history::HistoryPoint| {
            let mut v = serde_json::to_value(p).expect("point");
            v["run_id"] = serde_json::Value::Null;
            v["started_at"] = serde_json::Value::Null;
            v
        };
        assert_eq!(strip(points[0]), strip(points[1]));
    }
    // The compact outcomes are in the store, beside the page.
    let stored: i64 = db
        .sqlite()
        .expect("base SQLite")
        .query_row(
            "SELECT COUNT(*) FROM pages WHERE run_id = ?1 AND outcomes_json IS NOT NULL",
            [new_run],
            |r| r.get(0),
        )
        .expect("count");
    let analysed: usize = new
        .demarches
        .iter()
        .map(|d| d.pages.iter().filter(|p| p.facts.is_some()).count())
        .sum();
    assert_eq!(stored as usize, analysed);
    let rows: i64 = db
        .sqlite().expect("base SQLite")
        .query_row(
            "SELECT COUNT(*) FROM findings WHERE run_id = ?1 AND outcome IN ('passed', 'inapplicable')",
            [new_run],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(rows, 0);
}

fn page(url: &str, html: &str) -> CrawledPage {
    let url = Url::parse(url).expect("url");
    let analysis = analyze_html(url.clone(), html);
    CrawledPage {
        record: FetchRecord::local(&url, html.len() as u64, "UTF-8", CharsetSource::Default),
        analysis: Some(analysis),
        rendering: None,
    }
}

/// The audit scores from every finding whatever it keeps: `--all-targets` changes what is kept,
/// never a count, a status or a score.
#[test]
fn all_targets_changes_what_is_kept_not_the_results() {
    let html = std::fs::read_to_string("fixtures/sites/exemplaire/index.html").expect("page");
    let other = r#"<!DOCTYPE html><html lang="fr"><head><title>Aide</title></head>
<body><a href="/">Accueil</a><main><h1>Aide</h1><img src="a.png"></main></body></html>"#;
    let d = Demarche::from_url(Url::parse("http://site.test/").expect("url"));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    let run = |all_targets| {
        demarche_report(
            &d,
            vec![
                page("http://site.test/", &html),
                page("http://site.test/aide", other),
            ],
            DemarcheContext {
                audit_date: date,
                all_targets,
                ..Default::default()
            },
        )
    };
    let (compact, whole) = (run(false), run(true));
    assert_eq!(compact.summary, whole.summary);
    assert_eq!(compact.rgaa, whole.rgaa);
    assert_eq!(compact.cerfa, whole.cerfa);
    // Indicators (the availability one names the time of its failed request).
    let levels = |r: &vigie::report::DemarcheReport| -> Vec<_> {
        r.indicators
            .iter()
            .map(|i| (i.id.clone(), i.value, i.display.clone(), i.level.clone()))
            .collect()
    };
    assert_eq!(levels(&compact), levels(&whole));
    assert!(compact.summary.passed > 0 && compact.summary.inapplicable > 0);
    let mut expected = whole.all_findings();
    for f in &mut expected {
        if f.outcome == Outcome::Passed {
            f.targets.clear();
        }
    }
    assert_eq!(compact.all_findings(), expected);
    assert!(compact.findings.len() < whole.findings.len());
}

/// A store made by the previous schema (migrations 1 and 2) holding a 1.0 run, as the code of
/// that schema recorded it (every outcome a findings row), is migrated on open: its run reads as
/// before, and a 2.0 run of the same results compares with it without a change.
#[test]
fn a_store_of_the_previous_schema_is_migrated_and_its_runs_still_work() {
    use rusqlite::params;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let old = fixture();
    {
        let conn = rusqlite::Connection::open(&path).expect("db");
        for sql in &store::schema::MIGRATIONS[..2] {
            conn.execute_batch(sql).expect("old migration");
        }
        conn.pragma_update(None, "user_version", 2)
            .expect("version");
        conn.execute(
            "INSERT INTO runs (id, started_at, finished_at, recorded_at, tool_name, tool_version, schema_version, origin, config_json, report_hash)
             VALUES (1, ?1, ?2, ?1, 'vigie', '0.1.0', '1.0', 'audit', '{}', 'x')",
            params![old.started_at, old.finished_at],
        )
        .expect("run");
        for d in &old.demarches {
            let id = d.demarche.id.as_str();
            let summary = serde_json::to_string(&d.summary).expect("summary");
            conn.execute(
                "INSERT INTO demarches (run_id, demarche_id, name, operator, ministry, start_url, definition_json, summary_json, pages, failed, cant_tell)
                 VALUES (1, ?1, ?2, '', '', '', '{}', ?3, ?4, ?5, ?6)",
                params![id, d.demarche.name, summary, d.summary.pages as i64, d.summary.failed as i64, d.summary.cant_tell as i64],
            )
            .expect("démarche");
            for (name, v) in [
                ("cerfa", serde_json::to_string(&d.cerfa).expect("cerfa")),
                ("rgaa", serde_json::to_string(&d.rgaa).expect("rgaa")),
                (
                    "indicators",
                    serde_json::to_string(&d.indicators).expect("indicators"),
                ),
            ] {
                conn.execute(
                    "INSERT INTO sections (run_id, demarche_id, name, json) VALUES (1, ?1, ?2, ?3)",
                    params![id, name, v],
                )
                .expect("section");
            }
            for p in &d.pages {
                let url = &p.record.final_url;
                conn.execute(
                    "INSERT INTO pages (run_id, demarche_id, requested_url, final_url, page_key, analysed, page_json)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, p.record.requested_url, url, store::page_key(url), p.facts.is_some(),
                            serde_json::to_string(p).expect("page")],
                )
                .expect("page");
            }
            for f in &d.findings {
                let t = f.targets.first();
                let (sel, snip) = (t.map(|t| &*t.selector), t.map(|t| &*t.snippet));
                let outcome = serde_json::to_value(f.outcome).expect("outcome");
                conn.execute(
                    "INSERT INTO findings (run_id, demarche_id, fingerprint, rule, outcome, url, page_key, selector, snippet, message, count, finding_json)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![id, store::fingerprint(&f.rule, id, &f.url, sel, snip), f.rule,
                            outcome.as_str(), f.url, store::page_key(&f.url), sel, snip, f.message,
                            f.count as i64, serde_json::to_string(f).expect("finding")],
                )
                .expect("finding");
            }
        }
    }
    let mut db = Store::open(&path).expect("migrated");
    let version: i64 = db
        .sqlite()
        .expect("base SQLite")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, store::schema::current_version());
    assert_eq!(version, 5);
    // The old run reads as it was: every outcome, no compact outcomes.
    let old_snap = db.snapshot(1).expect("old run");
    let rows: usize = old.demarches.iter().map(|d| d.findings.len()).sum();
    assert_eq!(
        old_snap
            .demarches
            .iter()
            .map(|d| d.findings.len())
            .sum::<usize>(),
        rows
    );
    let with_outcomes: i64 = db
        .sqlite()
        .expect("base SQLite")
        .query_row(
            "SELECT COUNT(*) FROM pages WHERE run_id = 1 AND outcomes_json IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(with_outcomes, 0);
    // A 2.0 run of the same results beside it: nothing fixed, new or moved.
    let mut new = compacted(false);
    new.started_at = "2030-01-01T00:00:00Z".into();
    let new_run = db.record(&new, "audit").expect("record").run_id();
    let d = vigie::diff::diff(&old_snap, &db.snapshot(new_run).expect("new run"));
    for dd in &d.demarches {
        let text = vigie::diff::to_text(&d);
        assert!(
            dd.indicators.is_empty() && dd.cerfa.is_empty() && dd.rgaa.is_empty(),
            "{text}"
        );
        assert!(
            dd.fixed.is_empty() && dd.new.is_empty() && dd.not_rechecked.is_empty(),
            "{text}"
        );
    }
    let changes = vigie::history::finding_changes(&db, None).expect("history");
    assert!(
        changes.values().all(|c| c.fixed == 0 && c.new == 0),
        "{changes:?}"
    );
}
