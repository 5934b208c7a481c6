//! What an editor sees on stderr, whole, for the main kinds of error: each case breaks the
//! `tests/fixtures/editors` site in one way, builds it with `NO_COLOR=1` in English and in
//! Italian, and compares stderr byte for byte with `tests/snapshots/<case>.<lang>.txt`.
//!
//! `WEMI_UPDATE_SNAPSHOTS=1 cargo test --test e2e stderr_snapshots` writes the files from the
//! real binary instead; read each one through before committing it (a wrong line or column,
//! English left in the Italian text, "1 errors") and fix the code, not the snapshot.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::Site;

/// The page every case but the template's edits.
const SPACE: &str = "content/spazi/via-piazzetta.md";

/// The editors' fixture with `text` in place of `old` in the file at `path`.
fn broken(path: &str, old: &str, text: &str) -> Site {
    let site = Site::fixture("editors");
    let file = site.root.join(path);
    let before = std::fs::read_to_string(&file).unwrap();
    assert!(before.contains(old), "{path} has no {old:?}");
    site.write(path, before.replacen(old, text, 1));
    site
}

/// Builds `site` in `lang` without colour and compares its stderr with the snapshot of
/// `case` (or writes the snapshot when `WEMI_UPDATE_SNAPSHOTS` is set).
fn assert_snapshot(site: &Site, case: &str) {
    let update = std::env::var_os("WEMI_UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty());
    for lang in ["en", "it"] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
        command
            .args(["build", "--lang", lang, "--root"])
            .arg(&site.root)
            .env("NO_COLOR", "1");
        for var in ["LANG", "LC_ALL", "LC_MESSAGES"] {
            command.env_remove(var);
        }
        let out = command.output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{case}.{lang}: {stderr}");
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/snapshots")
            .join(format!("{case}.{lang}.txt"));
        if update {
            std::fs::write(&file, &stderr).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (WEMI_UPDATE_SNAPSHOTS=1 writes it)",
                file.display()
            )
        });
        assert!(
            stderr == expected,
            "stderr differs from {}:\n--- expected\n{expected}--- found\n{stderr}",
            file.display()
        );
    }
}

#[test]
fn yaml_syntax() {
    let site = broken(SPACE, "  sat: closed", " sat: closed");
    assert_snapshot(&site, "yaml-syntax");
}

#[test]
fn yaml_bracket_never_closed() {
    let site = broken(
        SPACE,
        "servizi: [sportello-lavoro]",
        "servizi: [sportello-lavoro",
    );
    assert_snapshot(&site, "yaml-unclosed-bracket");
}

#[test]
fn unknown_key_with_a_suggestion() {
    let site = broken(SPACE, "municipio: 4", "municpio: 4");
    assert_snapshot(&site, "unknown-key");
}

#[test]
fn value_of_the_wrong_type() {
    let site = broken(SPACE, "municipio: 4", "municipio: quattro");
    assert_snapshot(&site, "wrong-type");
}

#[test]
fn missing_required_field() {
    let site = broken(SPACE, "status: open\n", "");
    assert_snapshot(&site, "missing-field");
}

#[test]
fn broken_link() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\nVedi lo [sportello](@/servizi/sportello-lavori.md).",
    );
    assert_snapshot(&site, "broken-link");
}

#[test]
fn unknown_shortcode() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\n{{ mappa(spazio=\"via-piazzetta\") }}",
    );
    assert_snapshot(&site, "unknown-shortcode");
}

#[test]
fn shortcode_argument() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\n{{ card(spazi=\"via-piazzetta\") }}\n\n{{ card() }}",
    );
    assert_snapshot(&site, "shortcode-argument");
}

#[test]
fn template_error() {
    let site = broken(
        "themes/test/templates/page.html",
        "<h1>{{ page.title }}</h1>",
        "<h1>{{ page.title | upper_case }}</h1>",
    );
    assert_snapshot(&site, "template-error");
}

#[test]
fn output_collision() {
    let site = Site::fixture("editors");
    site.write(
        "content/spazi/piazzetta.md",
        "---\ntitle: \"Piazzetta\"\nslug: via-piazzetta\ndescription: \"Un doppione\"\nstatus: open\n---\n",
    );
    assert_snapshot(&site, "output-collision");
}
