//! The dev server's request targets: every accepted path is inside the site.
//! The checks are in `wemi::fuzz::serve_target`, which the corpus replay test runs too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wemi::fuzz::serve_target(data));
