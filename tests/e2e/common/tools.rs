//! The programs some tests need besides Rust: xmllint (sitemaps validated against the
//! sitemaps.org XSDs), Debian's Chromium driven by Node.js and playwright-core (pages
//! opened in a real browser), Debian's nginx (the site served under a subpath) and an S3
//! server with a sync tool (deploys to a bucket). `.ci/run` installs them.
//!
//! A test that needs one never passes without it: it fails saying what is missing and how to
//! install it. The only way to run without one is to leave its tests out, by name:
//! `cargo test -- --skip xmllint --skip browser`, and the test harness then counts them as
//! "filtered out". So that this leaves out every such test, each one's name must contain the
//! word (checked here, whatever is installed).
//!
//! Shared by the end-to-end tests and the unit tests of `generated::sitemap` (which include
//! this file with `#[path]`).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where to read how to install these programs or leave their tests out.
const SEE: &str = "see \"For developers\" in README.md";

/// Fails unless the running test's name contains `word`, the name `--skip` matches.
fn assert_test_named(word: &str) {
    let thread = std::thread::current();
    let name = thread.name().unwrap_or_default();
    assert!(
        name.contains(word),
        "the test `{name}` needs what its name must then say: add `{word}` to it, so that \
         `cargo test -- --skip {word}` leaves it out"
    );
}

/// Whether `command` (a program and its arguments) runs and succeeds.
pub fn runs(command: &[&str]) -> bool {
    Command::new(command[0])
        .args(&command[1..])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Fails unless the running test's name contains `word`, and unless `missing` (each thing this
/// test needs and lacks, with how to install it) is empty, saying what it was for.
pub fn require(word: &str, purpose: &str, missing: &[String]) {
    assert_test_named(word);
    assert!(
        missing.is_empty(),
        "this test {purpose}, and these are missing: {}; or leave the tests that need them \
         out: `cargo test -- --skip {word}` ({SEE})",
        missing.join(", ")
    );
}

/// A schema of `tests/schemas/` (`sitemap.xsd`, `siteindex.xsd`).
pub fn schema(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name)
}

/// Validates the XML file `file` against the XSD `schema` with xmllint: Ok, or xmllint's
/// complaint. For a test whose name contains `xmllint`; fails when xmllint cannot run.
pub fn xmllint(file: &Path, schema: &Path) -> Result<(), String> {
    assert_test_named("xmllint");
    let out = Command::new("xmllint")
        .arg("--noout")
        .arg("--nonet")
        .arg("--schema")
        .arg(schema)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "this test validates XML with xmllint, which cannot run ({e}): install it \
                 (`apt-get install libxml2-utils`), or leave the tests that need it out: \
                 `cargo test -- --skip xmllint` ({SEE})"
            )
        });
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// The Chromium the browser tests drive: Debian's.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Runs the browser script `script` of `tests/browser/` with `args`, and returns the JSON it
/// prints; fails when it fails. For a test whose name contains `browser`; fails naming each
/// thing missing and how to install it when Chromium, Node.js or playwright-core is.
pub fn run_in_browser(
    script: &str,
    args: impl IntoIterator<Item = impl AsRef<OsStr>>,
) -> serde_json::Value {
    assert_test_named("browser");
    let browser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!(
            "Chromium at {CHROMIUM} (`apt-get install chromium`)"
        ));
    }
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        missing.push("Node.js (`apt-get install nodejs npm`)".to_string());
    }
    if !browser.join("node_modules/playwright-core").is_dir() {
        missing.push("playwright-core (`npm ci --prefix tests/browser`)".to_string());
    }
    assert!(
        missing.is_empty(),
        "this test opens pages in a real browser, and these are missing: {}; or leave the \
         tests that need them out: `cargo test -- --skip browser` ({SEE})",
        missing.join(", ")
    );
    let out = Command::new("node")
        .arg(browser.join(script))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{script}: {e}: {stdout}"))
}
