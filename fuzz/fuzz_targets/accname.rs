//! Bytes → HTML → accessible name, role and hidden state of every element (aria-labelledby
//! chains, labels, name from content). See `vigie::fuzzing::accname_pipeline`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| vigie::fuzzing::accname_pipeline(data));
