//! Contrast read on the rendered pixels (`render::measure::pixels`), on local pages served on
//! 127.0.0.1 (`fixtures/render/pixels/`): text over a gradient that passes and one that fails,
//! over a background image that fails, and a white halo that makes dark text on mid-grey
//! pass. The static verdict (cantTell: the cascade cannot know these backgrounds) and the
//! rendered one are both asserted, with the measured ratio within a tolerance.
//!
//! Needs Debian's `chromium` (.ci/run installs it). Without it the test fails, unless
//! VIGIE_SKIP_BROWSER=1.

mod common;

use std::path::{Path, PathBuf};

use url::Url;
use vigie::crawl::FetchConfig;
use vigie::page::Page;
use vigie::render::{Browser, BrowserLimits};
use vigie::rules::{page_outcome, rule_by_id, Outcome};
use vigie::serve::{start, Source};

use common::browser::{browser, gate};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/render/pixels")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pixels_decide_what_the_cascade_leaves_undecided() {
    let Some(exe) = browser() else { return };
    let server = start(Source::Disk(dir())).await.expect("serveur");
    let base = Url::parse(&server.url()).expect("url");
    let browser = Browser::new(exe, BrowserLimits::default());
    let rule = rule_by_id("color-contrast").expect("rule");
    // (page, rendered outcome, the ratio reported in details: highest contrast around the
    // letters, and the lowest, each ± tolerance)
    let cases = [
        ("gradient-passed.html", Outcome::Passed, (15.8, 13.7), 1.0),
        ("gradient-failed.html", Outcome::Failed, (2.85, 2.85), 0.05),
        ("image-failed.html", Outcome::Failed, (2.33, 1.85), 0.1),
        ("halo-passed.html", Outcome::Passed, (10.0, 4.9), 1.0),
    ];
    let mut failures = Vec::new();
    for (name, rendered, (high, low), tolerance) in cases {
        let url = base.join(name).expect("url");
        let html = std::fs::read_to_string(dir().join(name)).expect("fixture");
        let served = rule.check(&Page::parse(url.clone(), &html));
        if page_outcome(&served) != Outcome::CantTell {
            failures.push(format!("{name} servi : {served:#?}"));
        }
        let page = browser.render(&url, &gate()).await.0.expect("rendu");
        let facts = page.facts.clone().expect("facts");
        let mut model = Page::parse(page.final_url, &page.html);
        model.browser = page.facts;
        let results = rule.check(&model);
        let verdict = results.iter().find(|r| {
            r.target_on(&model)
                .is_some_and(|t| &*t.selector == "#cible")
        });
        let Some(verdict) = verdict else {
            failures.push(format!(
                "{name} rendu : pas de résultat pour #cible : {results:#?} ; {facts:#?}"
            ));
            continue;
        };
        if verdict.outcome != rendered {
            failures.push(format!(
                "{name} rendu : attendu {rendered:?}, obtenu {verdict:#?} ; {:#?}",
                facts.pixels
            ));
            continue;
        }
        let d = verdict.details.as_ref().expect("details").to_value();
        let got = (
            d["ratio"].as_f64().unwrap_or(0.0),
            d["ratioLow"].as_f64().unwrap_or(0.0),
        );
        eprintln!("{name}: {:?} {}", verdict.outcome, verdict.message);
        if (got.0 - high).abs() > tolerance || (got.1 - low).abs() > tolerance {
            failures.push(format!(
                "{name} rendu : contraste {got:?}, attendu {:?} ± {tolerance} ; {d}",
                (high, low)
            ));
        }
        assert_eq!(d["measuredOn"], "pixels", "{name}");
    }
    browser.shutdown().await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An audit of a rendered page with failures photographs them; its démarche page shows each
/// photo with its text alternative, the file written beside it within the bounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_elements_of_a_rendered_page_are_photographed_and_shown() {
    use vigie::audit::{audit, AuditOptions};
    use vigie::model::AuditSettings;
    let Some(exe) = browser() else { return };
    let server = start(Source::Disk(dir())).await.expect("serveur");
    let url = Url::parse(&server.url())
        .and_then(|u| u.join("image-failed.html"))
        .expect("url");
    let opts = AuditOptions {
        settings: AuditSettings {
            fetch: FetchConfig {
                requests_per_second: 0.0,
                retries: 0,
                ..FetchConfig::default()
            },
            max_pages: 1,
            use_sitemaps: false,
            probes: 0,
            render: vigie::render::RenderMode::Always,
            ..AuditSettings::default()
        },
        progress: false,
        chromium: Some(exe),
        ..AuditOptions::default()
    };
    let d = vigie::catalogue::Demarche::from_url(url);
    let report = audit(&[d], &opts).await.expect("audit");
    let page = &report.demarches[0].pages[0];
    let shots = &page.screenshots;
    assert!(
        shots
            .iter()
            .any(|s| s.rule == "color-contrast" && s.selector == "#cible"),
        "{:?}",
        shots
            .iter()
            .map(|s| (&s.rule, &s.selector))
            .collect::<Vec<_>>()
    );
    assert!(shots.len() <= 20);
    let out = tempfile::tempdir().expect("tmp");
    let json = out.path().join("report.json");
    std::fs::write(&json, serde_json::to_vec(&report).expect("json")).expect("write");
    let site = out.path().join("site");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["report", json.to_str().expect("utf-8"), "--out"])
        .arg(&site)
        .status()
        .expect("vigie report");
    assert!(status.success());
    let html = std::fs::read_dir(&site)
        .expect("site")
        .flatten()
        .find(|f| f.file_name().to_string_lossy().starts_with("demarche-"))
        .map(|f| std::fs::read_to_string(f.path()).expect("page"))
        .expect("démarche page");
    let img = html
        .split("<img ")
        .skip(1)
        .map(|s| &s[..s.find('>').expect(">")])
        .find(|tag| tag.contains("color-contrast — #cible"))
        .unwrap_or_else(|| panic!("no photo of #cible in the démarche page"));
    assert!(img.contains("alt=\"Capture de l"), "{img}");
    let src = img
        .split("src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("src")
        .replace("&#x2f;", "/");
    assert!(
        src.starts_with("captures/") && src.ends_with(".webp"),
        "{src}"
    );
    let bytes = std::fs::read(site.join(&src)).expect("photo written");
    assert!(bytes.len() <= 60 * 1024, "{} bytes", bytes.len());
    assert!(&bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP");
    for s in shots {
        assert!(
            s.width <= 800 && s.height <= 600,
            "{}x{}",
            s.width,
            s.height
        );
    }
}
