//! Browser-only measurements (keyboard walk, focus visible, scrollable regions) on the fixtures
//! of the rules that need a browser, served on 127.0.0.1: each fixture's file name says its
//! rendered outcome and its `<!-- expect: … -->` comment the failed and cantTell targets, as in
//! tests/rule_fixtures.rs; served as is (no browser), every such rule says « non mesuré ».
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the test fails, unless
//! VIGIE_SKIP_BROWSER=1. One browser for all the fixtures.

mod common;

use std::path::{Path, PathBuf};

use url::Url;
use vigie::page::Page;
use vigie::render::{Browser, BrowserLimits};
use vigie::rules::{all_rules, page_outcome, Outcome, NOT_MEASURED};
use vigie::serve::{start, Source};

use common::browser::{browser, gate};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules")
}

fn expected(name: &str) -> Outcome {
    [
        ("passed-", Outcome::Passed),
        ("failed-", Outcome::Failed),
        ("cant-tell-", Outcome::CantTell),
        ("inapplicable-", Outcome::Inapplicable),
    ]
    .into_iter()
    .find(|(p, _)| name.starts_with(p))
    .map(|(_, o)| o)
    .unwrap_or_else(|| panic!("{name}: outcome prefix"))
}

fn expected_targets(html: &str) -> Vec<String> {
    let Some(start) = html.find("<!-- expect:") else {
        return Vec::new();
    };
    let rest = &html[start + "<!-- expect:".len()..];
    rest[..rest.find("-->").expect("-->")]
        .split('|')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_rules_decide_on_rendered_fixtures_and_say_not_measured_on_served_ones() {
    let Some(exe) = browser() else { return };
    let server = start(Source::Disk(fixtures())).await.expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let browser = Browser::new(
        exe,
        BrowserLimits {
            tabs: 2,
            ..BrowserLimits::default()
        },
    );
    let mut failures = Vec::new();
    let mut rendered = 0;
    for rule in all_rules().iter().filter(|r| r.needs_browser()) {
        let id = rule.meta().id;
        let mut files: Vec<String> = std::fs::read_dir(fixtures().join(id))
            .unwrap_or_else(|e| panic!("fixtures/rules/{id}: {e}"))
            .flatten()
            .map(|f| f.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".html"))
            .collect();
        files.sort();
        for name in files {
            let html = std::fs::read_to_string(fixtures().join(id).join(&name)).expect("fixture");
            let url = base.join(&format!("{id}/{name}")).expect("url");
            // Served as is: nothing measured.
            let served = rule.check(&Page::parse(url.clone(), &html));
            if page_outcome(&served) != Outcome::Inapplicable || served[0].message != NOT_MEASURED {
                failures.push(format!("{id}/{name} servi : {served:#?}"));
            }
            // Rendered: the browser's facts decide.
            let page = match browser.render(&url, &gate()).await.0 {
                Ok(p) => p,
                Err(e) => {
                    failures.push(format!("{id}/{name} : rendu échoué : {e}"));
                    continue;
                }
            };
            assert!(page.facts.is_some(), "{id}/{name}: no browser facts");
            assert!(
                !page.html.contains("__vigie"),
                "{id}/{name}: helpers leaked into the DOM"
            );
            let mut model = Page::parse(page.final_url, &page.html);
            model.browser = page.facts;
            let results = rule.check(&model);
            rendered += 1;
            let got = page_outcome(&results);
            if got != expected(&name) {
                failures.push(format!(
                    "{id}/{name} rendu : attendu {:?}, obtenu {got:?} : {results:#?}",
                    expected(&name)
                ));
            }
            let targets: Vec<String> = results
                .iter()
                .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::CantTell))
                .filter_map(|r| r.target.as_ref().map(|t| t.selector.to_string()))
                .collect();
            if targets != expected_targets(&html) {
                failures.push(format!(
                    "{id}/{name} rendu : cibles {targets:?}, attendues {:?}",
                    expected_targets(&html)
                ));
            }
            // The browser's marks never reach a snippet.
            for r in &results {
                if let Some(t) = r.target_on(&model) {
                    assert!(!t.snippet.contains("data-vigie-ref"), "{}", t.snippet);
                }
            }
        }
    }
    browser.shutdown().await;
    assert!(rendered >= 12, "fixtures rendered: {rendered}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A positioned focus sentinel inside `aria-hidden` content (ACT 6cfa84). As served, the
/// listener written as one exact call (`getElementById('premier').focus()`) passes and any
/// other code is cantTell; rendered, the keyboard walk decides — focus sent back by its script
/// passes, focus that stays there fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_walk_decides_focus_sentinels_in_hidden_content() {
    let Some(exe) = browser() else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render/measure");
    let server = start(Source::Disk(dir.clone())).await.expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let browser = Browser::new(exe, BrowserLimits::default());
    let rule = vigie::rules::rule_by_id("aria-hidden-focusable").expect("rule");
    for (name, served_outcome, rendered) in [
        ("sentinel-redirected.html", Outcome::Passed, Outcome::Passed),
        ("sentinel-kept.html", Outcome::CantTell, Outcome::Failed),
    ] {
        let url = base.join(name).expect("url");
        let html = std::fs::read_to_string(dir.join(name)).expect("fixture");
        let served = rule.check(&Page::parse(url.clone(), &html));
        assert_eq!(page_outcome(&served), served_outcome, "{name} servi");
        let page = browser.render(&url, &gate()).await.0.expect("rendu");
        let mut model = Page::parse(page.final_url, &page.html);
        model.browser = page.facts;
        let results = rule.check(&model);
        assert_eq!(
            page_outcome(&results),
            rendered,
            "{name} rendu : {results:#?}"
        );
    }
    browser.shutdown().await;
}

/// `media-autoplay` on pages with media that play by themselves (WAV files the browser decodes):
/// rendered, the media facts decide (sound longer than 3 s without a way to stop it fails; a
/// silent track, muted by script, or 3 s at most do not; nearby buttons stay cantTell; a file
/// that does not load keeps the served verdict). Each fixture's file name says its rendered
/// outcome, `<!-- served: … -->` its outcome as served and `<!-- expect: … -->` the rendered
/// failed and cantTell targets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_facts_decide_autoplay_on_rendered_pages() {
    let Some(exe) = browser() else { return };
    let dir = fixtures().join("media-autoplay/rendered");
    let server = start(Source::Disk(dir.clone())).await.expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let browser = Browser::new(exe, BrowserLimits::default());
    let rule = vigie::rules::rule_by_id("media-autoplay").expect("rule");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|f| f.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".html"))
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    let mut failures = Vec::new();
    for name in names {
        let html = std::fs::read_to_string(dir.join(&name)).expect("fixture");
        let url = base.join(&name).expect("url");
        let served_expected = html
            .split("<!-- served:")
            .nth(1)
            .and_then(|s| s.split("-->").next())
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| panic!("{name}: <!-- served: … -->"));
        let served = page_outcome(&rule.check(&Page::parse(url.clone(), &html)));
        if served.as_str() != served_expected {
            failures.push(format!(
                "{name} servi : {served:?}, attendu {served_expected}"
            ));
        }
        let page = match browser.render(&url, &gate()).await.0 {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name} : rendu échoué : {e}"));
                continue;
            }
        };
        let facts = page.facts.as_ref().and_then(|f| f.media.clone());
        let mut model = Page::parse(page.final_url, &page.html);
        model.browser = page.facts;
        let results = rule.check(&model);
        let got = page_outcome(&results);
        if got != expected(&name) {
            failures.push(format!(
                "{name} rendu : attendu {:?}, obtenu {got:?} : {results:#?} {facts:#?}",
                expected(&name)
            ));
        }
        let targets: Vec<String> = results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Failed | Outcome::CantTell))
            .filter_map(|r| r.target.as_ref().map(|t| t.selector.to_string()))
            .collect();
        if targets != expected_targets(&html) {
            failures.push(format!(
                "{name} rendu : cibles {targets:?}, attendues {:?}",
                expected_targets(&html)
            ));
        }
    }
    browser.shutdown().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
