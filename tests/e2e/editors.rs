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

/// The lines of `text` that end with `wemi new`'s comment `# DA COMPLETARE`, 1-based, with
/// their key.
fn marked_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.ends_with(" # DA COMPLETARE"))
        .map(|(i, l)| (i + 1, l.split(':').next().unwrap().trim().to_string()))
        .collect()
}

/// `text` with the line that starts with `start` replaced by `line` (deleted when `line` is
/// empty); the line must be there.
fn edit_line(text: &str, start: &str, line: &str) -> String {
    assert!(
        text.lines().any(|l| l.starts_with(start)),
        "no line starts with {start:?} in\n{text}"
    );
    text.lines()
        .filter(|l| !(line.is_empty() && l.starts_with(start)))
        .map(|l| if l.starts_with(start) { line } else { l })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A fake browser for `wemi serve --open`: a script that writes the address it is given to
/// `opened` (in the folder `dir`), so that no real browser is ever started by the tests.
#[cfg(unix)]
fn fake_browser(dir: &std::path::Path, name: &str, opened: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join(name);
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

/// Waits (bounded by the serve harness's hang limit) until `path` holds text; returns it.
fn wait_for_file(path: &std::path::Path) -> String {
    let started = std::time::Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
        {
            return text;
        }
        assert!(
            started.elapsed() < common::serve::HANG,
            "{} was never written",
            path.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// How many of `lines` (what `wemi serve` printed on stderr) are placeholder warnings of `page`.
fn placeholder_lines(lines: &[String], page: &str) -> usize {
    let start = format!("warning[content.placeholder]: {page}:");
    lines.iter().filter(|l| l.starts_with(&start)).count()
}

/// Runs `wemi <args>` on `site` in Italian (the guide's language), with no locale set.
fn run_it(site: &Site, args: &[&str]) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command
        .args(args)
        .arg("--root")
        .arg(&site.root)
        .args(["--lang", "it"]);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES"] {
        command.env_remove(var);
    }
    command.env("NO_COLOR", "1").output().unwrap()
}

/// The walk-through of `docs/guida-redattori.md` §2, step by step, on a copy of the real site:
/// `wemi new` → the build refuses the placeholders, each at its line → the preview serves the
/// draft with warnings and opens the browser → the fields filled in → the page, still a
/// draft, stays out → `draft: true` deleted → the page is built, listed, in the sitemap, and
/// served.
#[cfg(unix)]
#[test]
fn the_guide_walk_through_from_wemi_new_to_the_published_page() {
    let site = Site::real();
    let page = "content/spazi/wemi-esempio.md";

    // 1. Create the page.
    let out = run_it(&site, &["new", "spazi", "WeMi Esempio"]);
    common::assert_success(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("Pagina creata: "), "{stdout}");
    assert!(stdout.trim_end().ends_with(page), "{stdout}");
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    assert!(text.contains("\ndraft: true\n"), "{text}");
    let marked = marked_lines(&text);
    let keys: Vec<&str> = marked.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(keys, ["date", "description", "last_reviewed"], "{text}");
    let body_line = text.lines().count();
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("<!-- DA COMPLETARE"),
        "{text}"
    );

    // The draft stays out of the site; the build says what is left to complete.
    let out = run_it(&site, &["build"]);
    common::assert_success(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let warned = format!("avviso[content.placeholder]: {page}:");
    assert_eq!(stderr.matches(&warned).count(), 4, "{stderr}");
    assert!(!site.public("spazi/wemi-esempio/index.html").exists());

    // Published before it is complete (`draft: false`), it is refused: every placeholder
    // is an error at its line, and nothing is written.
    site.write(page, text.replace("\ndraft: true\n", "\ndraft: false\n"));
    let out = run_it(&site, &["build"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let reported: Vec<usize> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("errore[content.placeholder]: {page}:")))
        .map(|rest| rest.split(':').next().unwrap().parse().unwrap())
        .collect();
    let mut expected: Vec<usize> = marked.iter().map(|(line, _)| *line).collect();
    expected.push(body_line);
    assert_eq!(reported, expected, "{stderr}");
    let (description_line, _) = marked[1];
    assert!(
        stderr.contains(&format!(
            "errore[content.placeholder]: {page}:{description_line}:14: `description` contiene \
             ancora il segnaposto scritto da `wemi new` (DA COMPLETARE)\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("4 errori trovati; non è stato scritto niente.\n"),
        "{stderr}"
    );
    assert!(!site.public("spazi/wemi-esempio/index.html").exists());
    // So does `check`.
    let out = run_it(&site, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    site.write(page, &text);

    // 2. The preview, with drafts, opens the browser and serves the page; the placeholders
    // are warnings on its terminal.
    let browser_dir = tempfile::tempdir().unwrap();
    let opened = browser_dir.path().join("opened");
    let browser = fake_browser(browser_dir.path(), "browser", &opened);
    let preview = common::serve::start(
        &site,
        &["--port", "0", "--drafts", "--open"],
        &[("BROWSER", browser.to_str().unwrap())],
    );
    assert_eq!(
        wait_for_file(&opened),
        format!("http://127.0.0.1:{}/", preview.port)
    );
    let (status, body) = common::serve::get(preview.port, "/spazi/wemi-esempio/");
    assert_eq!(status, 200);
    assert!(body.contains("WeMi Esempio"), "{body}");
    let warnings = preview.errors.lock().unwrap().clone();
    assert_eq!(placeholder_lines(&warnings, page), 4, "{warnings:#?}");

    // 3. Fill in the fields and delete each `# DA COMPLETARE`; write the text. The preview
    // rebuilds after each save and shows the placeholders left.
    let text = edit_line(
        &text,
        "description:",
        "description: \"Uno spazio WeMi inventato, per provare la guida.\"",
    );
    site.write(page, &text);
    let started = std::time::Instant::now();
    while placeholder_lines(&preview.errors.lock().unwrap(), page) < 4 + 3 {
        assert!(
            started.elapsed() < common::serve::HANG,
            "no warnings after the save"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(preview);
    let text = edit_line(&text, "date:", "date: 2026-12-01");
    let text = edit_line(&text, "last_reviewed:", "last_reviewed: 2026-11-26");
    let text = edit_line(
        &text,
        "<!-- DA COMPLETARE",
        "Lo spazio WeMi Esempio è inventato.",
    );
    site.write(page, &text);
    // Complete but still a draft: the site builds without it.
    let out = run_it(&site, &["build"]);
    common::assert_success(&out);
    assert!(!site.public("spazi/wemi-esempio/index.html").exists());

    // 4. Delete the two lines of the draft, check, build: the page is published.
    let text = edit_line(&text, "# Bozza:", "");
    let text = edit_line(&text, "draft: true", "");
    site.write(page, &text);
    common::assert_success(&run_it(&site, &["check"]));
    let out = run_it(&site, &["build"]);
    common::assert_success(&out);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let doc = site.html("spazi/wemi-esempio/index.html");
    assert_eq!(texts(&doc, "h1"), ["WeMi Esempio"]);
    // No `verified: true`: the page says its facts are to be checked.
    assert_eq!(
        texts(&doc, "p.notice strong"),
        ["Informazioni da verificare."]
    );
    let listing = site.html("spazi/index.html");
    assert!(
        common::attrs(&listing, "a", "href")
            .iter()
            .any(|href| href.ends_with("/spazi/wemi-esempio/")),
        "not listed"
    );
    let sitemap = std::fs::read_to_string(site.public("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/spazi/wemi-esempio/</loc>"), "{sitemap}");

    // The preview, without drafts, serves it too.
    let preview = common::serve::serve(&site);
    let (status, body) = common::serve::get(preview.port, "/spazi/wemi-esempio/");
    assert_eq!(status, 200);
    assert!(
        body.contains("Lo spazio WeMi Esempio è inventato."),
        "{body}"
    );
}

#[test]
fn placeholders_are_warnings_with_drafts_and_errors_for_check() {
    let site = Site::fixture("editors");
    common::assert_success(&run_it(&site, &["new", "spazi", "Nuovo spazio"]));
    let page = "content/spazi/nuovo-spazio.md";
    // A draft: the placeholders are warnings.
    let out = site.run("check", &["--lang", "en", "--format", "json"]);
    common::assert_success(&out);
    let as_draft: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!as_draft.is_empty());
    assert!(as_draft.iter().all(|d| d["severity"] == "warning"));
    // No longer a draft: they are errors.
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    site.write(page, text.replace("\ndraft: true\n", "\n"));
    let out = site.run("check", &["--lang", "en", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!found.is_empty());
    for d in &found {
        assert_eq!(d["code"], "content.placeholder", "{d}");
        assert_eq!(d["severity"], "error", "{d}");
        assert_eq!(d["file"], page, "{d}");
    }
    let out = site.run("check", &["--drafts", "--format", "json"]);
    common::assert_success(&out);
    let warned: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(warned.len(), found.len());
    assert!(warned.iter().all(|d| d["severity"] == "warning"));
    // Built with drafts, the page is there and the warnings are on stderr.
    let out = site.build(&["--drafts", "--lang", "en"]);
    common::assert_success(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr.matches("warning[content.placeholder]").count(),
        found.len(),
        "{stderr}"
    );
    assert!(site.public("spazi/nuovo-spazio/index.html").exists());
    // Built again with nothing changed, it shows them again.
    let out = site.build(&["--drafts", "--lang", "en"]);
    common::assert_success(&out);
    assert_eq!(String::from_utf8(out.stderr).unwrap(), stderr);
}

#[cfg(unix)]
#[test]
fn serve_open_that_fails_is_a_warning_and_the_preview_runs() {
    let site = Site::fixture("editors");
    let missing = site.root.join("no-such-browser");
    let preview = common::serve::start(
        &site,
        &["--port", "0", "--open"],
        &[("BROWSER", missing.to_str().unwrap())],
    );
    let (status, _) = common::serve::get(preview.port, "/spazi/via-piazzetta/");
    assert_eq!(status, 200);
    let started = std::time::Instant::now();
    let expected = format!(
        "warning[io.not-found]: wemi serve --open: cannot open the browser with `{}`",
        missing.display()
    );
    while !preview
        .errors
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.starts_with(&expected))
    {
        assert!(
            started.elapsed() < common::serve::HANG,
            "{:?}",
            preview.errors.lock().unwrap()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// With `BROWSER` empty (as if unset), `--open` asks the system's opener: `xdg-open` on Linux,
/// here a fake one put first on `PATH`.
#[cfg(target_os = "linux")]
#[test]
fn serve_open_uses_xdg_open_when_no_opener_is_named() {
    let site = Site::fixture("editors");
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened");
    fake_browser(bin.path(), "xdg-open", &opened);
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command_env = vec![("PATH", path.as_str())];
    command_env.push(("BROWSER", ""));
    let preview = common::serve::start(&site, &["--port", "0", "--open"], &command_env);
    assert_eq!(
        wait_for_file(&opened),
        format!("http://127.0.0.1:{}/", preview.port)
    );
}

#[cfg(unix)]
#[test]
fn serve_without_open_starts_no_opener() {
    let site = Site::fixture("editors");
    let dir = tempfile::tempdir().unwrap();
    let opened = dir.path().join("opened");
    let browser = fake_browser(dir.path(), "browser", &opened);
    let preview = common::serve::start(
        &site,
        &["--port", "0"],
        &[("BROWSER", browser.to_str().unwrap())],
    );
    // The first build is done and reported: an opener would have been started by now.
    let (status, _) = common::serve::get(preview.port, "/");
    assert_eq!(status, 200);
    assert!(!opened.exists());
}

#[test]
fn a_space_without_verified_shows_the_notice() {
    // The fictional site with the real theme and the real site's schema of spaces.
    let site = Site::fixture("completo");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi");
    common::copy_dir(&theme, &site.root.join("themes/wemi"));
    let space = std::fs::read_to_string(site.root.join("content/spazi/esempio-due.md")).unwrap();
    assert!(space.contains("\nverified: true\n"));
    site.write(
        "content/spazi/esempio-due.md",
        space.replace("\nverified: true\n", "\n"),
    );
    site.build_ok(&[]);
    let doc = site.html("spazi/esempio-due/index.html");
    assert_eq!(
        texts(&doc, "p.notice strong"),
        ["Informazioni da verificare."]
    );
    let verified = site.html("spazi/esempio-tre/index.html");
    assert!(texts(&verified, "p.notice strong").is_empty());
}
