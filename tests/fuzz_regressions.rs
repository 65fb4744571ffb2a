//! Replays every input kept under fixtures/fuzz-regressions/ (crashes, hangs and slow inputs
//! found by the cargo-fuzz targets in fuzz/, plus hand-made hostile seeds) through the same
//! pipeline as the target that found it (`vigie::fuzzing`), chosen by file-name prefix:
//! `css-` → stylesheet, `accname-` → accessible names, anything else → page pipeline.
//! None may panic, and each stays fast.

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

fn replay(prefix: Option<&str>, pipeline: fn(&[u8])) -> usize {
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
        assert!(took < Duration::from_secs(5), "{path:?} took {took:?}");
        n += 1;
    }
    n
}

#[test]
fn page_regressions_replay_without_panic() {
    let n = replay(None, vigie::fuzzing::page_pipeline);
    assert!(n > 0, "no page regression input");
}

#[test]
fn stylesheet_regressions_replay_without_panic() {
    let n = replay(Some("css-"), vigie::fuzzing::stylesheet_pipeline);
    assert!(n > 0, "no stylesheet regression input");
}

#[test]
fn accname_regressions_replay_without_panic() {
    let n = replay(Some("accname-"), vigie::fuzzing::accname_pipeline);
    assert!(n > 0, "no accname regression input");
}
