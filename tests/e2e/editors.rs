//! End-to-end tests of what editors see when front matter is wrong: one small case per kind of
//! error, each checked for its exact message, line, column and code frame, in English and in
//! Italian (by `--lang it` and by the locale), plus the YAML pitfalls a schema must not fall
//! into. The fixture `tests/fixtures/editors` declares a schema for `spazi`.

use crate::common;

use std::process::Command;

use common::{Site, texts};

/// The space file with `line` put in place of the line that starts like it (same key).
fn space_with(site: &Site, key: &str, line: &str) {
    let path = site.root.join("content/spazi/via-piazzetta.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let replaced: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with(&format!("{key}:")) {
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    site.write("content/spazi/via-piazzetta.md", replaced.join("\n") + "\n");
}

/// Builds with the environment cleared of locale variables, plus `env`.
fn build_stderr(site: &Site, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .args(args);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR"] {
        command.env_remove(var);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_fixture_builds_and_keeps_yaml_pitfalls_as_text() {
    let site = Site::fixture("editors");
    site.build_ok(&[]);
    // `cap: 20121` written without quotes stays the text "20121" (the test theme prints
    // nothing of it, so look at what templates get through a page that prints fields).
    site.write(
        "templates/spazi/page.html",
        "<p class=\"cap\">{{ page.fields.address.cap }}</p><p class=\"tel\">{{ page.fields.phone.href }}</p>\
         <p class=\"servizio\">{{ page.fields.servizi[0].title }}</p>\
         <p class=\"lunedi\">{{ page.fields.opening_hours[0].name }} {{ page.fields.opening_hours[0].slots[0].opens }}</p>",
    );
    site.build_ok(&[]);
    let page = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(texts(&page, ".cap"), ["20121"]);
    assert_eq!(texts(&page, ".tel"), ["tel:+390288458041"]);
    assert_eq!(
        texts(&page, ".servizio"),
        ["Sportello lavoro"],
        "a reference gives the page"
    );
    assert_eq!(texts(&page, ".lunedi"), ["lunedì 09:00"]);
}

#[test]
fn integer_out_of_range_in_both_languages() {
    let site = Site::fixture("editors");
    space_with(&site, "municipio", "municipio: quattro");
    let en = build_stderr(&site, &[], &[]);
    assert!(
        en.starts_with(
            "error[front-matter.value]: content/spazi/via-piazzetta.md:5:12: `municipio`: expected an integer from 1 to 9, found \"quattro\"\n\
             \x20  |\n\
             \x204 | status: open\n\
             \x205 | municipio: quattro\n\
             \x20  |            ^\n\
             \x206 | address: { street: \"via Piazzetta\", cap: 20121 }\n\
             \x20  = help: write a whole number in digits, e.g. 4\n"
        ),
        "{en}"
    );
    assert!(
        !en.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
    let it = build_stderr(&site, &["--lang", "it"], &[]);
    assert!(
        it.starts_with(
            "errore[front-matter.value]: content/spazi/via-piazzetta.md:5:12: `municipio`: serve un numero intero da 1 a 9, trovato \"quattro\"\n"
        ),
        "{it}"
    );
    assert!(it.contains("\x20  |            ^\n"), "{it}");
    assert!(
        it.ends_with("1 errore trovato; non è stato scritto niente.\n"),
        "{it}"
    );
    let by_locale = build_stderr(&site, &[], &[("LANG", "it_IT.UTF-8")]);
    assert_eq!(by_locale, it, "the Italian locale gives Italian messages");
}

#[test]
fn unknown_field_suggests_the_closest() {
    let site = Site::fixture("editors");
    space_with(&site, "municipio", "municpio: 4");
    let en = build_stderr(&site, &[], &[]);
    assert!(
        en.starts_with(
            "error[front-matter.unknown-key]: content/spazi/via-piazzetta.md:5:1: unknown field `municpio`\n"
        ),
        "{en}"
    );
    assert!(
        en.contains("\x20 = help: did you mean `municipio`?\n"),
        "{en}"
    );
    let it = build_stderr(&site, &["--lang", "it"], &[]);
    assert!(
        it.starts_with(
            "errore[front-matter.unknown-key]: content/spazi/via-piazzetta.md:5:1: campo sconosciuto `municpio`\n"
        ),
        "{it}"
    );
    assert!(it.contains("aiuto: forse intendevi `municipio`?"), "{it}");
}

#[test]
fn missing_required_field_points_at_the_front_matter() {
    let site = Site::fixture("editors");
    space_with(&site, "status", "");
    let en = build_stderr(&site, &[], &[]);
    assert!(
        en.starts_with(
            "error[front-matter.required]: content/spazi/via-piazzetta.md:1:1: the required field `status` is missing\n"
        ),
        "{en}"
    );
    assert!(en.contains("\x201 | ---\n"), "{en}");
    assert!(
        en.contains("help: add a line `status: …` (Lo stato dello spazio)"),
        "{en}"
    );
    let it = build_stderr(&site, &["--lang", "it"], &[]);
    assert!(
        it.starts_with(
            "errore[front-matter.required]: content/spazi/via-piazzetta.md:1:1: manca il campo obbligatorio `status`\n"
        ),
        "{it}"
    );
    assert!(
        it.contains("aggiungi una riga `status: …` (Lo stato dello spazio)"),
        "{it}"
    );
}

#[test]
fn wrong_enum_value_lists_the_values() {
    let site = Site::fixture("editors");
    space_with(&site, "status", "status: aperto");
    let en = build_stderr(&site, &[], &[]);
    assert!(
        en.starts_with("error[front-matter.value]: content/spazi/via-piazzetta.md:4:9: `status`: expected one of announced, open, closed, found \"aperto\"\n"),
        "{en}"
    );
    let it = build_stderr(&site, &["--lang", "it"], &[]);
    assert!(
        it.contains("`status`: serve uno tra announced, open, closed, trovato \"aperto\""),
        "{it}"
    );
}

#[test]
fn reference_to_a_missing_page() {
    let site = Site::fixture("editors");
    space_with(&site, "servizi", "servizi: [sportello-lavori]");
    let en = build_stderr(&site, &[], &[]);
    assert!(
        en.starts_with("error[link.missing-page]: content/spazi/via-piazzetta.md:8:11: `servizi`: there is no published page content/servizi/sportello-lavori.md\n"),
        "{en}"
    );
    assert!(en.contains("did you mean `sportello-lavoro`?"), "{en}");
    let it = build_stderr(&site, &["--lang", "it"], &[]);
    assert!(
        it.contains(
            "`servizi`: la pagina content/servizi/sportello-lavori.md non esiste o non è pubblicata"
        ),
        "{it}"
    );
}

#[test]
fn phone_and_opening_hours_are_checked() {
    let site = Site::fixture("editors");
    space_with(&site, "phone", "phone: \"12345\"");
    space_with(&site, "  mon", "  lun: 9-13");
    let en = build_stderr(&site, &[], &[]);
    assert!(en.contains("content/spazi/via-piazzetta.md:7:8: `phone`: expected an Italian phone number, found \"12345\""), "{en}");
    assert!(
        en.contains("content/spazi/via-piazzetta.md:10:1: `opening_hours`: `lun` is not a day"),
        "{en}"
    );
    assert!(en.contains("2 errors found; nothing was written."), "{en}");
}

#[test]
fn duplicate_keys_are_errors() {
    let site = Site::fixture("editors");
    space_with(&site, "municipio", "municipio: 4\nmunicipio: 5");
    let en = build_stderr(&site, &[], &[]);
    // The second one, where the editor must look: line 6, column 1.
    assert!(
        en.starts_with(
            "error[yaml.duplicate-key]: content/spazi/via-piazzetta.md:6:1: the key `municipio` appears twice\n"
        ),
        "{en}"
    );
    assert!(en.contains("\x206 | municipio: 5\n\x20  | ^\n"), "{en}");
}

#[test]
fn check_json_carries_the_same_diagnostics_in_the_chosen_language() {
    let site = Site::fixture("editors");
    space_with(&site, "municipio", "municipio: 12");
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .args(["check", "--format", "json", "--lang", "it", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line: serde_json::Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["code"], "front-matter.value");
    assert_eq!(line["file"], "content/spazi/via-piazzetta.md");
    assert_eq!(
        (line["line"].as_u64(), line["column"].as_u64()),
        (Some(5), Some(12))
    );
    assert_eq!(
        line["message"],
        "`municipio`: serve un numero intero da 1 a 9, trovato 12"
    );
}

#[test]
fn a_page_that_becomes_a_folder_keeps_its_references() {
    let site = Site::fixture("editors");
    let old = site.root.join("content/servizi/sportello-lavoro.md");
    let text = std::fs::read_to_string(&old).unwrap();
    std::fs::remove_file(&old).unwrap();
    site.write("content/servizi/sportello-lavoro/index.md", text);
    site.write("content/servizi/sportello-lavoro/foto.jpg", b"jpeg");
    site.write(
        "templates/spazi/page.html",
        "<p class=\"servizio\">{{ page.fields.servizi[0].title }}</p>",
    );
    site.build_ok(&[]);
    let page = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(texts(&page, ".servizio"), ["Sportello lavoro"]);
}

/// What `wemi build` writes on stderr when that is a terminal (a pseudo-terminal made for it),
/// with the environment cleared of locale and colour variables, plus `env`.
#[cfg(target_os = "linux")]
fn build_stderr_on_a_terminal(site: &Site, env: &[(&str, &str)]) -> String {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};

    let (mut controller, terminal) = {
        let (mut controller, mut terminal) = (0, 0);
        // SAFETY: openpty stores two new file descriptors in the two integers; the null
        // pointers ask for no name and the default settings.
        let opened = unsafe {
            libc::openpty(
                &mut controller,
                &mut terminal,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both descriptors are open, and nothing else owns them.
        unsafe {
            (
                std::fs::File::from_raw_fd(controller),
                OwnedFd::from_raw_fd(terminal),
            )
        }
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command
        .arg("build")
        .arg("--root")
        .arg(&site.root)
        .stdout(std::process::Stdio::null())
        .stderr(terminal);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    let mut child = command.spawn().unwrap();
    // The terminal is now the child's alone: reading ends (with an error) when it exits.
    drop(command);
    let mut written = Vec::new();
    let _ = controller.read_to_end(&mut written);
    assert_eq!(child.wait().unwrap().code(), Some(1));
    String::from_utf8(written).unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn errors_are_coloured_on_a_terminal_unless_no_color_is_set() {
    let site = Site::fixture("editors");
    space_with(&site, "municipio", "municipio: quattro");
    let location = "content/spazi/via-piazzetta.md:5:12";
    let coloured = build_stderr_on_a_terminal(&site, &[]);
    assert!(
        coloured.contains(&format!(
            "\x1b[1;31merror[front-matter.value]\x1b[0m: {location}"
        )),
        "{coloured:?}"
    );
    // An empty NO_COLOR counts as unset (no-color.org).
    let empty = build_stderr_on_a_terminal(&site, &[("NO_COLOR", "")]);
    assert_eq!(empty, coloured);
    let plain = build_stderr_on_a_terminal(&site, &[("NO_COLOR", "1")]);
    assert!(!plain.contains('\x1b'), "{plain:?}");
    assert!(
        plain.contains(&format!("error[front-matter.value]: {location}")),
        "{plain:?}"
    );
}
