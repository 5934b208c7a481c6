//! Slugs, addresses in normal form and output paths: never outside the output folder.
//! The checks are in `wemi::fuzz::paths`, which the corpus replay test runs too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wemi::fuzz::paths(data));
