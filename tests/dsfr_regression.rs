//! Real markup: the DSFR's own example pages (the `@gouvfr/dsfr` package from npm, at the version
//! pinned in `fixtures/dsfr/baseline.toml`, unpacked by `.ci/run`) checked by `vigie check` with
//! their real stylesheets. Every failed target must belong to a triaged class of the baseline:
//! a rule failing on more pages or targets than triaged fails, until someone looks at it and
//! either fixes vigie or explains the failure in the baseline (genuine defect of the example,
//! with its RGAA test).
//!
//! Needs the package, so it is ignored by `cargo test`; `.ci/run` runs it with
//! `VIGIE_DSFR_DIR=<unpacked package> cargo test --test dsfr_regression -- --ignored`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Deserialize)]
struct Baseline {
    version: String,
    #[serde(rename = "class", default)]
    classes: Vec<Class>,
}

/// One triaged failure class: a rule's failures on the example pages.
#[derive(Deserialize)]
struct Class {
    rule: String,
    pages: usize,
    targets: usize,
    rgaa: String,
    why: String,
}

fn baseline() -> Baseline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/dsfr/baseline.toml");
    let text = std::fs::read_to_string(&path).expect("read baseline");
    toml::from_str(&text).expect("valid baseline")
}

/// The example pages the baseline covers: `example/{component,layout,core}/**/*.html`.
fn pages(package: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "html") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for part in ["component", "layout", "core"] {
        walk(&package.join("example").join(part), &mut out);
    }
    out.sort();
    out
}

#[test]
#[ignore = "needs the DSFR package: VIGIE_DSFR_DIR (see .ci/run)"]
fn dsfr_examples_fail_only_where_triaged() {
    let package = PathBuf::from(std::env::var("VIGIE_DSFR_DIR").expect("VIGIE_DSFR_DIR"));
    let base = baseline();
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(package.join("package.json")).expect("package.json"),
    )
    .expect("package.json is JSON");
    assert_eq!(
        manifest["version"], base.version,
        "the unpacked DSFR is not the baseline's version"
    );
    let files = pages(&package);
    assert!(files.len() >= 100, "{} example pages only", files.len());
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("check")
        .arg("--root")
        .arg(&package)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("run vigie check");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "vigie check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checked: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("check JSON");
    assert_eq!(checked.len(), files.len());
    // Per rule: the pages with a failure, and the failed targets.
    let mut seen: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for page in &checked {
        let url = page["final_url"].as_str().unwrap_or_default();
        let name = url.split("/example/").nth(1).unwrap_or(url).to_string();
        for f in page["findings"].as_array().into_iter().flatten() {
            if f["outcome"] != "failed" {
                continue;
            }
            let rule = f["rule"].as_str().unwrap_or_default().to_string();
            let targets = f["targets"].as_array().map_or(1, |t| t.len().max(1));
            let entry = seen.entry(rule).or_default();
            entry.0.insert(name.clone());
            entry.1 += targets;
        }
    }
    let mut problems = Vec::new();
    let mut report = String::new();
    for (rule, (pages, targets)) in &seen {
        report.push_str(&format!(
            "{rule}: {} page(s), {targets} cible(s) — {}\n",
            pages.len(),
            pages.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        ));
        match base.classes.iter().find(|c| &c.rule == rule) {
            None => problems.push(format!(
                "nouvelle classe d'échec non triée : {rule} ({} page(s), {targets} cible(s))",
                pages.len()
            )),
            Some(c) if pages.len() > c.pages || *targets > c.targets => problems.push(format!(
                "{rule} : {} page(s) et {targets} cible(s) en échec, triées {} et {}",
                pages.len(),
                c.pages,
                c.targets
            )),
            Some(_) => {}
        }
    }
    for c in &base.classes {
        assert!(
            !c.why.trim().is_empty() && !c.rgaa.trim().is_empty(),
            "{}: every class says why, with its RGAA test",
            c.rule
        );
        let (pages, targets) = seen.get(&c.rule).map_or((0, 0), |(p, t)| (p.len(), *t));
        if pages < c.pages || targets < c.targets {
            eprintln!(
                "{} : {pages} page(s), {targets} cible(s), moins que le triage ({}, {}) : mettre la base à jour",
                c.rule, c.pages, c.targets
            );
        }
    }
    eprintln!("{report}");
    assert!(problems.is_empty(), "{}\n\n{report}", problems.join("\n"));
}
