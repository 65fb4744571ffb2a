//! The AAA enhanced contrast (WCAG 1.4.6) is reported, but outside RGAA: a page whose only
//! defect is a contrast between 4,5:1 and 7:1 has no RGAA failure, no failure in the
//! démarche's counts and a met Cerfa-17 rule (`color-contrast` passes).

use url::Url;
use vigie::criteria::rgaa;
use vigie::findings::run_all;
use vigie::model::DemarcheSummary;
use vigie::page::Page;
use vigie::rules::{rule_by_id, Outcome};
use vigie::scores::rgaa::{page_statuses, Status};

const PAGE: &str = r##"<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demander une carte de stationnement - Mairie de Lyon</title></head>
<body>
<a href="#contenu">Aller au contenu</a>
<main id="contenu">
<h1>Demander une carte de stationnement</h1>
<p style="color: #666; background: #fff">La demande se fait en ligne en dix minutes.</p>
</main>
</body></html>"##;

#[test]
fn aaa_contrast_failure_is_not_an_rgaa_failure() {
    let page = Page::parse(
        Url::parse("https://demarche.example.fr/").expect("url"),
        PAGE,
    );
    let findings = run_all(&page, false);
    let failed: Vec<&str> = findings
        .iter()
        .filter(|f| f.outcome == Outcome::Failed)
        .map(|f| &*f.rule)
        .collect();
    // The only defect: #666 on white is 5,74:1, enough for AA, not for AAA.
    assert_eq!(failed, ["color-contrast-enhanced"], "{findings:#?}");
    let enhanced = rule_by_id("color-contrast-enhanced").expect("rule");
    assert!(enhanced.meta().beyond_rgaa());
    assert!(enhanced.meta().rgaa.is_empty() && enhanced.meta().cerfa.is_empty());
    assert!(findings
        .iter()
        .filter(|f| f.rule == "color-contrast")
        .all(|f| f.outcome == Outcome::Passed));

    let refs: Vec<_> = findings.iter().collect();
    let statuses = page_statuses(rgaa(), &refs);
    let nc: Vec<&String> = statuses
        .iter()
        .filter(|(_, c)| c.status == Status::NC)
        .map(|(id, _)| id)
        .collect();
    assert!(nc.is_empty(), "RGAA criteria failed: {nc:?}");
    assert_eq!(statuses["3.2"].failed, 0);

    let summary = DemarcheSummary::of(&[], &findings);
    assert_eq!(summary.failed, 0, "{summary:?}");
}

#[test]
fn only_the_aaa_rule_is_outside_rgaa() {
    let beyond: Vec<&str> = vigie::rules::all_rules()
        .iter()
        .map(|r| r.meta())
        .filter(|m| m.beyond_rgaa())
        .map(|m| m.id)
        .collect();
    assert_eq!(beyond, ["color-contrast-enhanced"]);
}

#[test]
fn check_exits_zero_when_the_only_failure_is_beyond_rgaa() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("page.html");
    std::fs::write(&file, PAGE).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["check", "--format", "json"])
        .arg(&file)
        .output()
        .expect("run vigie check");
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(json.contains("color-contrast-enhanced"), "{json}");
    assert_eq!(out.status.code(), Some(0), "{json}");
    // An RGAA failure still gives 1.
    std::fs::write(&file, PAGE.replace(r#" lang="fr""#, "")).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .arg("check")
        .arg(&file)
        .output()
        .expect("run vigie check");
    assert_eq!(out.status.code(), Some(1));
}
