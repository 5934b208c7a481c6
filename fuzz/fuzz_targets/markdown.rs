//! Markdown with shortcodes and internal links, rendered inert with raw HTML off.
//! The checks are in `wemi::fuzz::markdown`, which the corpus replay test runs too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wemi::fuzz::markdown(data));
