//! Bytes → charset decoding → page model → cascade → every rule. Must never panic, overflow or
//! hang. The pipeline lives in `vigie::fuzzing` so `tests/fuzz_regressions.rs` replays the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| vigie::fuzzing::page_pipeline(data));
