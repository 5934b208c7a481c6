//! A content file and data files: front matter split, YAML read, schema checks.
//! The checks are in `wemi::fuzz::front_matter`, which the corpus replay test runs too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wemi::fuzz::front_matter(data));
