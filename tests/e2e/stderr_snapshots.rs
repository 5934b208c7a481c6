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
    assert_snapshot_of(site, case, &[], 1);
}

/// [`assert_snapshot`] of `wemi build <args>`, which must exit with `code`.
fn assert_snapshot_of(site: &Site, case: &str, args: &[&str], code: i32) {
    assert_command_snapshot(site, case, "build", args, code);
}

/// [`assert_snapshot`] of `wemi <command> <args>`, which must exit with `code`.
fn assert_command_snapshot(site: &Site, case: &str, command: &str, args: &[&str], code: i32) {
    let update = std::env::var_os("WEMI_UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty());
    for lang in ["en", "it"] {
        let mut wemi = Command::new(env!("CARGO_BIN_EXE_wemi"));
        wemi.args([command, "--lang", lang, "--root"])
            .arg(&site.root)
            .args(args)
            .env("NO_COLOR", "1");
        for var in ["LANG", "LC_ALL", "LC_MESSAGES"] {
            wemi.env_remove(var);
        }
        let out = wemi.output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{case}.{lang}: {stderr}");
        assert_frames_agree(&stderr);
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

/// Every caret in `stderr` is under the line its diagnostic's header names: the header's
/// `file:line:column` and the numbered frame line above the caret are the same line, and the
/// caret is at the column (a caret after a tab is checked by the unit tests of the frame).
fn assert_frames_agree(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut header_line = None;
    for (i, line) in lines.iter().enumerate() {
        if let Some((_, location)) = line.split_once("]: ") {
            // `content/x.md:11:2: message`: the numbers after the path.
            let mut parts = location.splitn(4, ':').skip(1);
            header_line = parts.next().and_then(|n| n.parse::<usize>().ok());
            continue;
        }
        let caret = line.trim_end().ends_with('^') && line.trim_start().starts_with('|');
        if !caret {
            continue;
        }
        let above = lines[i - 1];
        let (number, _) = above
            .split_once(" |")
            .expect("a numbered line above the caret");
        assert_eq!(
            number.trim().parse::<usize>().ok(),
            header_line,
            "the caret line disagrees with the header:\n{stderr}"
        );
    }
}

#[test]
fn yaml_line_indented_less_than_its_siblings() {
    let site = broken(SPACE, "  sat: closed", " sat: closed");
    assert_snapshot(&site, "yaml-indentation-less");
}

#[test]
fn yaml_line_indented_more_than_the_one_above() {
    let site = broken(SPACE, "\nstatus: open", "\n status: open");
    assert_snapshot(&site, "yaml-indentation-more");
}

#[test]
fn yaml_list_item_indented_less_than_the_others() {
    let site = broken(
        SPACE,
        "servizi: [sportello-lavoro]",
        "servizi:\n  - sportello-lavoro\n - badanti",
    );
    assert_snapshot(&site, "yaml-indentation-item");
}

#[test]
fn yaml_tab() {
    let site = broken(SPACE, "  sat: closed", "\tsat: closed");
    assert_snapshot(&site, "yaml-tab");
}

#[test]
fn yaml_quote_never_closed() {
    // The next value's opening quote closes it: the error is still where it opens.
    let site = broken(SPACE, "\"WeMi Piazzetta\"", "\"WeMi Piazzetta");
    assert_snapshot(&site, "yaml-unclosed-quote");
}

#[test]
fn yaml_quote_never_closed_on_the_last_field() {
    let site = broken(
        SPACE,
        "  mon: 09:00-13:00\n  sat: closed\n",
        "  mon: \"09:00-13:00\n",
    );
    assert_snapshot(&site, "yaml-unclosed-quote-last");
}

#[test]
fn yaml_colon_in_a_value_without_quotes() {
    let site = broken(
        SPACE,
        "\"Lo spazio del Municipio 4\"",
        "Lo spazio: Municipio 4",
    );
    assert_snapshot(&site, "yaml-unquoted-colon");
}

#[test]
fn yaml_typographic_quotes() {
    let site = broken(
        SPACE,
        "\"Lo spazio del Municipio 4\"",
        "“Lo spazio: Municipio 4”",
    );
    assert_snapshot(&site, "yaml-typographic-quotes");
}

/// Without a YAML error, a value wholly in typographic quotes builds, with a warning: the
/// quotes would be shown as part of the title.
#[test]
fn yaml_typographic_quotes_around_a_whole_value() {
    let site = broken(SPACE, "\"WeMi Piazzetta\"", "“WeMi Piazzetta”");
    assert_snapshot_of(&site, "yaml-typographic-quotes-warning", &[], 0);
}

#[test]
fn front_matter_never_closed() {
    let site = broken(SPACE, "  sat: closed\n---\n", "  sat: closed\n\n");
    assert_snapshot(&site, "front-matter-unclosed");
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
fn broken_relative_links() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\nVedi lo [sportello](../servizi/sportello-lavori.md), i suoi [orari](../servizi/sportello-lavoro.md#orari)\ne il [file](../../../etc/passwd.md).",
    );
    assert_snapshot(&site, "relative-link");
}

#[test]
fn unknown_key_kept_with_a_warning() {
    let site = broken(
        "content/servizi/sportello-lavoro.md",
        "title: Sportello lavoro\n",
        "title: Sportello lavoro\nautore: Ufficio stampa\n",
    );
    site.add_to_config("front_matter: { unknown_keys: warn }\n");
    assert_snapshot_of(&site, "unknown-key-warn", &[], 0);
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
fn unknown_asset() {
    let site = broken(
        "themes/test/templates/base.html",
        "asset(path=\"css/site.css\")",
        "asset(path=\"css/sito.css\")",
    );
    assert_snapshot(&site, "unknown-asset");
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

/// The editors' fixture with a page just made by `wemi new spazi "Nuovo spazio"`, its dates
/// (today's, as `wemi new` writes them) set to one day so that the snapshots do not change
/// with the calendar.
fn with_a_new_page() -> Site {
    let site = Site::fixture("editors");
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .args(["new", "spazi", "Nuovo spazio", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    common::assert_success(&out);
    let path = "content/spazi/nuovo-spazio.md";
    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    let today = text
        .lines()
        .find_map(|l| l.strip_prefix("date: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_string();
    site.write(path, text.replace(&today, "2026-01-15"));
    site
}

#[test]
fn placeholders_of_a_new_page_published_too_early() {
    let site = with_a_new_page();
    let path = "content/spazi/nuovo-spazio.md";
    let text = std::fs::read_to_string(site.root.join(path)).unwrap();
    site.write(path, text.replace("\ndraft: true\n", "\ndraft: false\n"));
    assert_snapshot(&site, "placeholder");
}

#[test]
fn placeholders_of_a_new_page_left_a_draft() {
    assert_snapshot_of(&with_a_new_page(), "placeholder-draft", &[], 0);
}

#[test]
fn placeholders_of_a_new_page_with_drafts() {
    assert_snapshot_of(&with_a_new_page(), "placeholder-drafts", &["--drafts"], 0);
}

#[test]
fn many_errors_of_one_kind() {
    // 22 broken links and one unknown key: the first 20 links in full, a count of the other
    // two, then the summary by kind and by file.
    let links: String = (1..=22)
        .map(|n| format!("\n\nVedi lo [spazio {n}](@/spazi/manca-{n}.md)."))
        .collect();
    let site = broken(SPACE, "Testo.", &format!("Testo.{links}"));
    let page = site.root.join(SPACE);
    let text = std::fs::read_to_string(&page).unwrap();
    site.write(
        SPACE,
        text.replacen("municipio: 4", "municipio: 4\ncolore: blu", 1),
    );
    assert_snapshot(&site, "many-errors");
}

#[test]
fn check_page_and_theme_contacting_other_hosts() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\n{{ figura(src=\"https://img.example.net/foto.jpg\", alt=\"Foto\") }}",
    );
    let css = "themes/test/static/css/site.css";
    let before = std::fs::read_to_string(site.root.join(css)).unwrap();
    site.write(
        css,
        format!("@import url(\"https://fonts.googleapis.com/css2?family=Inter\");\n{before}"),
    );
    assert_command_snapshot(&site, "check-other-hosts", "check", &[], 0);
    assert_command_snapshot(&site, "check-other-hosts-strict", "check", &["--strict"], 1);
}

#[test]
fn images_without_alt_text() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\nL'ingresso: ![](ingresso.jpg)\n\n{{ figura(src=\"ingresso.jpg\", alt=\"\") }}",
    );
    assert_snapshot(&site, "image-alt");
}

#[test]
fn damaged_and_oversized_images() {
    let site = broken(
        SPACE,
        "Testo.",
        "Testo.\n\n{{ figura(src=\"/img/rotta.jpg\", alt=\"L'ingresso\") }}\n\n{{ figura(src=\"/img/enorme.png\", alt=\"La sala\") }}",
    );
    // The WeMi theme's figura, which resizes its image.
    let figura =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi/templates/shortcodes/figura.html");
    site.write(
        "templates/shortcodes/figura.html",
        std::fs::read(figura).unwrap(),
    );
    site.write("static/img/rotta.jpg", b"\xff\xd8\xff\xe0 not a JPEG");
    site.write(
        "static/img/enorme.png",
        crate::images::png_declaring(50_000, 40_000),
    );
    assert_snapshot(&site, "image-damaged");
}
