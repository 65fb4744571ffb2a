//! Replays every input kept under fixtures/fuzz-regressions/ (crashes, hangs and slow inputs
//! found by the cargo-fuzz targets in fuzz/, plus hand-made hostile seeds) through the same
//! pipeline as `fuzz/fuzz_targets/page_pipeline.rs`: none may panic, and each stays fast.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use url::Url;

fn pipeline(data: &[u8]) {
    let (ct, body) = match data.split_first() {
        Some((b, rest)) => (
            match b % 4 {
                0 => None,
                1 => Some("text/html; charset=utf-8"),
                2 => Some("text/html; charset=windows-1252"),
                _ => Some("text/html; charset=x-inconnu"),
            },
            rest,
        ),
        None => (None, data),
    };
    let decoded = vigie::crawl::charset::decode(body, ct);
    let url = Url::parse("https://demarche.exemple.fr/formulaire").expect("url");
    let page = vigie::page::Page::parse(url, &decoded.text);
    let _ = vigie::findings::run_all(&page);
    let _ = page.links();
    let _ = page.stylesheet_links();
}

#[test]
fn fuzz_regressions_replay_without_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz-regressions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no regression input in {dir:?}");
    for path in entries {
        let data = std::fs::read(&path).expect("read");
        let t = Instant::now();
        pipeline(&data);
        let took = t.elapsed();
        assert!(took < Duration::from_secs(10), "{path:?} took {took:?}");
    }
}
