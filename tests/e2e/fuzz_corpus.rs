//! The fuzz targets' corpora and every crash they found, replayed on the stable toolchain:
//! each file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` goes through the same
//! entry point the fuzzer calls (`wemi::fuzz`), which panics when an invariant fails. See
//! "Fuzzing" in README.md for running the fuzzers themselves.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// The files of `folder`, sorted.
fn files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// Runs every file of `kind` (`corpus` or `regressions`) through its target, and fails
/// naming each file that fails a check.
fn replay(kind: &str) {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut run = 0;
    let mut failures = Vec::new();
    for (target, entry) in wemi::fuzz::TARGETS {
        let inputs = files(&fuzz.join(kind).join(target));
        assert!(!inputs.is_empty(), "fuzz/{kind}/{target} has no file");
        for input in inputs {
            let bytes = fs::read(&input).unwrap();
            if let Err(panic) = panic::catch_unwind(|| entry(&bytes)) {
                let why = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {why}", input.display()));
            }
            run += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {run}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_crash_the_fuzzers_found_stays_fixed() {
    replay("regressions");
}

#[test]
fn the_fuzz_corpora_pass_every_check() {
    replay("corpus");
}
