//! Replays every input kept under fixtures/fuzz-regressions/ (crashes, hangs and slow inputs
//! found by the cargo-fuzz targets in fuzz/, plus hand-made hostile seeds) through the same
//! pipeline as the target that found it (`vigie::fuzzing`), chosen by file-name prefix:
//! `css-` → stylesheet, `accname-` → accessible names, anything else → page pipeline.
//! None may panic, and each stays fast: under 5 s in a debug build, and accname inputs under
//! 250 ms (they take a few milliseconds; the nested-label one took 1.2 s before its fix).

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn inputs() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz-regressions");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz-regressions")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    entries.sort();
    entries
}

fn replay(prefix: Option<&str>, pipeline: fn(&[u8]), bound: Duration) -> usize {
    let mut n = 0;
    for path in inputs() {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let matches = match prefix {
            Some(p) => name.starts_with(p),
            None => !name.starts_with("css-") && !name.starts_with("accname-"),
        };
        if !matches {
            continue;
        }
        let data = std::fs::read(&path).expect("read");
        let t = Instant::now();
        pipeline(&data);
        let took = t.elapsed();
        eprintln!("{name}: {took:?}");
        assert!(took < bound, "{path:?} took {took:?} (bound {bound:?})");
        n += 1;
    }
    n
}

#[test]
fn page_regressions_replay_without_panic() {
    let n = replay(None, vigie::fuzzing::page_pipeline, Duration::from_secs(5));
    assert!(n > 0, "no page regression input");
}

#[test]
fn stylesheet_regressions_replay_without_panic() {
    let n = replay(
        Some("css-"),
        vigie::fuzzing::stylesheet_pipeline,
        Duration::from_secs(5),
    );
    assert!(n > 0, "no stylesheet regression input");
}

#[test]
fn accname_regressions_replay_without_panic() {
    let n = replay(
        Some("accname-"),
        vigie::fuzzing::accname_pipeline,
        Duration::from_millis(250),
    );
    assert!(n > 0, "no accname regression input");
}

/// `accname-buttons-in-nested-unclosed-labels`, scaled up: 2 000 unclosed `<label>`s, each
/// around a text, a button and an input. The parser flattens nesting beyond 512 levels, so the
/// deepest label ends up holding some 3 000 controls. Before the fix, naming every element took
/// over 40 s in a debug build (buttons looped back into their label; every control in a label
/// walked all of it; hidden state re-walked the ancestors of each descendant); now about 1 s,
/// most of it the page model and the per-element hidden and focus checks.
#[test]
fn accname_of_thousands_of_nested_unclosed_labels_stays_fast() {
    let mut html = String::from("<!doctype html><html lang=fr><body><form>");
    for i in 0..2000 {
        html.push_str(&format!(
            "<label>Champ {i} <button>Aide {i}</button><input name=c{i}>"
        ));
    }
    let t = Instant::now();
    vigie::fuzzing::accname_pipeline(html.as_bytes());
    let took = t.elapsed();
    eprintln!("2 000 nested unclosed labels: {took:?}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
}
