//! Bytes → CSS text → stylesheet parser and cascade over a fixed page (selectors, values,
//! colours, media queries, contrast). See `vigie::fuzzing::stylesheet_pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| vigie::fuzzing::stylesheet_pipeline(data));
