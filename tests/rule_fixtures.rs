//! Every fixture page under fixtures/rules/<rule-id>/ is checked by its rule.
//!
//! The file name says the expected page outcome: `passed-*.html`, `failed-*.html`,
//! `cant-tell-*.html`, `inapplicable-*.html`. A comment `<!-- expect: SELECTOR | SELECTOR -->`
//! lists, exactly and in order, the targets of the failed and cantTell results; an optional
//! `<!-- rgaa: 8.1.1 | 8.1.2 -->` lists the RGAA tests those results cite (each result may
//! decide fewer tests than its rule has), de-duplicated, in order of appearance. Stylesheets a
//! fixture links to are read from its folder, as `vigie check` does.

use std::path::Path;

use url::Url;
use vigie::page::Page;
use vigie::rules::{all_rules, page_outcome, rule_by_id, Outcome, NOT_MEASURED};

fn expected_outcome(file_name: &str) -> Option<Outcome> {
    [
        ("passed-", Outcome::Passed),
        ("failed-", Outcome::Failed),
        ("cant-tell-", Outcome::CantTell),
        ("inapplicable-", Outcome::Inapplicable),
    ]
    .into_iter()
    .find(|(p, _)| file_name.starts_with(p))
    .map(|(_, o)| o)
}

fn expected_targets(html: &str) -> Option<Vec<String>> {
    expected_list(html, "<!-- expect:")
}

fn expected_list(html: &str, marker: &str) -> Option<Vec<String>> {
    let start = html.find(marker)?;
    let rest = &html[start + marker.len()..];
    let end = rest.find("-->")?;
    Some(
        rest[..end]
            .split('|')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

/// The stylesheets a fixture links to, read from the fixture's folder.
fn linked_sheets(
    page: &Page,
    dir: &Path,
) -> Vec<(vigie::page::StylesheetLink, std::sync::Arc<String>)> {
    page.stylesheet_links()
        .into_iter()
        .map(|link| {
            let file = link.url.path().rsplit('/').next().unwrap_or("").to_string();
            let text = std::fs::read_to_string(dir.join(&file))
                .unwrap_or_else(|e| panic!("linked stylesheet {file}: {e}"));
            (link, std::sync::Arc::new(text))
        })
        .collect()
}

#[test]
fn every_rule_fixture_gives_its_expected_outcome() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("fixtures/rules exists")
        .flatten()
        .collect();
    dirs.sort_by_key(|d| d.file_name());
    for dir in dirs {
        let rule_id = dir.file_name().to_string_lossy().to_string();
        let rule = rule_by_id(&rule_id)
            .unwrap_or_else(|| panic!("fixtures/rules/{rule_id}: no such rule"));
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("readable")
            .flatten()
            .collect();
        files.sort_by_key(|f| f.file_name());
        for f in files {
            let name = f.file_name().to_string_lossy().to_string();
            if !name.ends_with(".html") {
                continue;
            }
            let expected = expected_outcome(&name).unwrap_or_else(|| panic!("{rule_id}/{name}: name must start with passed-, failed-, cant-tell- or inapplicable-"));
            let html = std::fs::read_to_string(f.path()).expect("utf-8 fixture");
            let url = Url::parse(&format!("http://fixture.test/{rule_id}/{name}")).expect("url");
            let mut page = Page::parse(url, &html);
            let sheets = linked_sheets(&page, &dir.path());
            page.add_linked_stylesheets(sheets);
            let results = rule.check(&page);
            let got = page_outcome(&results);
            // A rule that needs a browser measures nothing on the page as served: its verdicts
            // are asserted rendered, by tests/render_measure.rs.
            if rule.needs_browser() {
                if got != Outcome::Inapplicable || results[0].message != NOT_MEASURED {
                    failures.push(format!(
                        "{rule_id}/{name}: static page: expected « {NOT_MEASURED} », got {results:#?}"
                    ));
                }
                checked += 1;
                continue;
            }
            if got != expected {
                failures.push(format!(
                    "{rule_id}/{name}: expected {expected:?}, got {got:?}: {results:#?}"
                ));
            }
            if let Some(targets) = expected_targets(&html) {
                let got_targets: Vec<String> = results
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::CantTell))
                    .filter_map(|r| r.target.as_ref().map(|t| t.selector.to_string()))
                    .collect();
                if got_targets != targets {
                    failures.push(format!(
                        "{rule_id}/{name}: expected targets {targets:?}, got {got_targets:?}"
                    ));
                }
            }
            if let Some(tests) = expected_list(&html, "<!-- rgaa:") {
                let mut got_tests: Vec<String> = Vec::new();
                for r in results
                    .iter()
                    .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::CantTell))
                {
                    for t in r.rgaa_tests(rule.meta()) {
                        if !got_tests.contains(&t.to_string()) {
                            got_tests.push(t.to_string());
                        }
                    }
                }
                if got_tests != tests {
                    failures.push(format!(
                        "{rule_id}/{name}: expected RGAA tests {tests:?}, got {got_tests:?}"
                    ));
                }
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0);
}

#[test]
fn every_rule_has_passing_and_failing_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut missing = Vec::new();
    for rule in all_rules() {
        let id = rule.meta().id;
        let names: Vec<String> = std::fs::read_dir(root.join(id))
            .map(|rd| {
                rd.flatten()
                    .map(|f| f.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let has = |p: &str| names.iter().any(|n| n.starts_with(p));
        if !has("passed-") || !(has("failed-") || has("cant-tell-")) {
            missing.push(id);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without both passed- and failed-/cant-tell- fixtures: {missing:?}"
    );
}

#[test]
fn rule_ids_are_unique_and_metadata_complete() {
    let mut ids = std::collections::HashSet::new();
    for rule in all_rules() {
        let m = rule.meta();
        assert!(ids.insert(m.id), "duplicate rule id {}", m.id);
        assert!(
            !m.title.is_empty() && !m.description.is_empty(),
            "{}: title and description",
            m.id
        );
        // A rule that implements an ACT rule where RGAA judges otherwise carries the ACT id
        // alone (e.g. html-has-lang), the RGAA verdict being another rule's.
        assert!(
            !m.rgaa.is_empty() || !m.cerfa.is_empty() || !m.act.is_empty(),
            "{}: no RGAA test, Cerfa criterion nor ACT rule",
            m.id
        );
    }
}
