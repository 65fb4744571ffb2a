//! `vigie conformance` on a tiny synthetic ACT-style corpus (fixtures/act-mini), served on
//! 127.0.0.1 like the real one; no network and no read of ../shared.

use std::path::{Path, PathBuf};
use std::process::Command;

use vigie::conformance::{self, ConformanceOptions, Consistency, Verdict};
use vigie::rules::Outcome;

fn mini() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/act-mini")
}

/// A copy of act-mini whose manifest wrongly expects the untitled page to pass.
fn mislabelled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&mini(), dir.path());
    let path = dir.path().join("manifest.json");
    let text = std::fs::read_to_string(&path).expect("manifest");
    let mut m: serde_json::Value = serde_json::from_str(&text).expect("json");
    for c in m["cases"].as_array_mut().expect("cases") {
        if c["file"] == "2779a5/failed_01.html" {
            c["expected"] = "passed".into();
        }
    }
    std::fs::write(&path, serde_json::to_string(&m).expect("json")).expect("write");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[tokio::test]
async fn mini_corpus_is_consistent_for_implemented_rules() {
    let report = conformance::run(&mini(), &ConformanceOptions::default())
        .await
        .expect("run");
    assert_eq!(report.false_positives(), 0);

    let title = report.rule("2779a5").expect("2779a5 implemented");
    assert_eq!(title.vigie_rules, vec!["page-title".to_string()]);
    assert_eq!(title.examples, 2);
    assert_eq!(title.consistency, Consistency::Consistent);
    let failed = title
        .cases
        .iter()
        .find(|c| c.file == "2779a5/failed_01.html")
        .expect("case");
    assert_eq!(failed.outcome, Some(Outcome::Failed));
    assert_eq!(failed.verdict, Verdict::Correct);

    let frame = report.rule("cae760").expect("cae760 implemented");
    assert_eq!(frame.examples, 3);
    assert_eq!(frame.consistency, Consistency::Consistent);
    let inapplicable = frame
        .cases
        .iter()
        .find(|c| c.file == "cae760/inapplicable_01.html")
        .expect("case");
    assert_eq!(inapplicable.outcome, Some(Outcome::Inapplicable));
    assert_eq!(
        frame.cases.iter().filter(|c| !c.targets.is_empty()).count(),
        1
    );

    // Rules of vigie that this corpus has no example for are simply absent.
    assert!(report.rule("c487ae").is_none());
    assert_eq!(report.unimplemented.len(), 1);
    assert_eq!(report.unimplemented[0].act_id, "x0mini");
    assert_eq!(report.unimplemented[0].examples, 1);

    let text = conformance::text_report(&report);
    assert!(text.contains("2779a5  consistent"), "{text}");
    assert!(text.contains("x0mini"), "{text}");
}

#[tokio::test]
async fn a_failure_on_a_passed_example_is_a_false_positive() {
    let dir = mislabelled_copy();
    let report = conformance::run(dir.path(), &ConformanceOptions::default())
        .await
        .expect("run");
    let title = report.rule("2779a5").expect("2779a5");
    assert_eq!(title.false_positives, 1);
    assert_eq!(title.consistency, Consistency::Inconsistent);
    assert_eq!(report.false_positives(), 1);
}

#[test]
fn cli_exit_code_and_json_output() {
    let bin = env!("CARGO_BIN_EXE_vigie");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("act.json");
    let ok = Command::new(bin)
        .arg("conformance")
        .arg(mini())
        .args(["--format", "json", "--out"])
        .arg(&out)
        .status()
        .expect("run vigie");
    assert_eq!(ok.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    let implemented = json["implemented"].as_array().expect("implemented");
    assert!(implemented
        .iter()
        .any(|r| r["act_id"] == "cae760" && r["cases"].as_array().map(|c| c.len()) == Some(3)));

    let bad = mislabelled_copy();
    let status = Command::new(bin)
        .arg("conformance")
        .arg(bad.path())
        .output()
        .expect("run vigie");
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stdout).contains("FalsePositive"));
}

#[tokio::test]
async fn a_missing_manifest_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = conformance::run(dir.path(), &ConformanceOptions::default())
        .await
        .expect_err("no manifest");
    assert!(err.to_string().contains("manifest.json"), "{err}");
}

#[tokio::test]
async fn earl_report_names_each_example_and_vigie_outcome() {
    let report = conformance::run(&mini(), &ConformanceOptions::default())
        .await
        .expect("run");
    let earl = conformance::earl(&report);
    assert_eq!(
        earl["@context"],
        "https://www.w3.org/WAI/content-assets/wcag-act-rules/earl-context.json"
    );
    let graph = earl["@graph"].as_array().expect("graph");
    let cases: usize = report.implemented.iter().map(|r| r.cases.len()).sum();
    assert_eq!(graph.len(), cases);
    // The example with a W3C address is named by it; the others by their file.
    let subject = graph
        .iter()
        .find(|s| s["source"] == "https://example.test/testcases/2779a5/failed-01.html")
        .expect("subject named by its url");
    assert_eq!(subject["@type"], "TestSubject");
    let a = &subject["assertions"][0];
    assert_eq!(a["@type"], "Assertion");
    assert_eq!(a["mode"], "earl:automatic");
    assert_eq!(a["test"]["title"], "page-title");
    assert_eq!(a["result"]["outcome"], "earl:failed");
    let passed = graph
        .iter()
        .find(|s| s["source"] == "2779a5/passed_01.html")
        .expect("subject named by its file");
    assert_eq!(passed["assertions"][0]["result"]["outcome"], "earl:passed");
}
