//! `vigie check FILE` applies the stylesheets a saved page links to, from disk, as a browser
//! would, without reading outside the page's folder unless `--root` names a wider one.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn check(args: &[&str]) -> Value {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check-local");
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .current_dir(&dir)
        .arg("check")
        .args(args)
        .args(["--format", "json", "page/index.html"])
        .output()
        .expect("run vigie check");
    assert!(
        out.status.code() == Some(1),
        "a contrast failure is expected: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The selectors of the failed contrast targets, and the CSS notes.
fn contrast_failures_and_notes(v: &Value) -> (Vec<String>, Vec<String>) {
    let page = &v[0];
    let failed = page["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "color-contrast" && f["outcome"] == "failed")
        .flat_map(|f| f["targets"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t["selector"].as_str().map(str::to_string))
        .collect();
    // Absent when empty.
    let notes = page["facts"]["css_notes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    (failed, notes)
}

#[test]
fn linked_stylesheets_apply_within_the_page_folder() {
    let (failed, notes) = contrast_failures_and_notes(&check(&[]));
    assert_eq!(failed, ["html > body > main > p:nth-of-type(1)"]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("theme.css") && notes[0].contains("hors du dossier autorisé"),
        "{notes:?}"
    );
}

#[test]
fn a_wider_root_lets_the_shared_theme_in() {
    let (failed, notes) = contrast_failures_and_notes(&check(&["--root", "."]));
    assert_eq!(
        failed,
        [
            "html > body > main > p:nth-of-type(1)",
            "html > body > main > p:nth-of-type(2)"
        ]
    );
    assert!(notes.is_empty(), "{notes:?}");
}

/// Passed findings give their count; their first targets (ten at most) only with
/// `--all-targets`, as report.json keeps them compact unless `audit --all-targets`.
#[test]
fn passed_targets_are_listed_only_with_all_targets() {
    let passed = |v: &Value| -> Vec<(String, u64, usize)> {
        v[0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["outcome"] == "passed")
            .map(|f| {
                (
                    f["rule"].as_str().unwrap_or_default().to_string(),
                    f["count"].as_u64().unwrap_or_default(),
                    f["targets"].as_array().map_or(0, Vec::len),
                )
            })
            .collect()
    };
    let counted = passed(&check(&[]));
    let listed = passed(&check(&["--all-targets"]));
    assert!(!counted.is_empty());
    // The same rules with the same counts either way.
    let without_targets = |p: &[(String, u64, usize)]| -> Vec<(String, u64)> {
        p.iter().map(|(r, c, _)| (r.clone(), *c)).collect()
    };
    assert_eq!(without_targets(&counted), without_targets(&listed));
    assert!(counted.iter().all(|(_, _, t)| *t == 0), "{counted:?}");
    assert!(listed.iter().any(|(_, _, t)| *t > 0), "{listed:?}");
    assert!(
        listed.iter().all(|(_, c, t)| *t as u64 <= (*c).min(10)),
        "{listed:?}"
    );
}
