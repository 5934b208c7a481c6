//! The human report of a long list of problems: the first diagnostics of each kind in full, a
//! line counting the others of that kind, then a summary by kind and by file, in both
//! languages; `--max-per-kind` changes the cap, and `--format json` always has every one.

use crate::common::Site;

/// The basic fixture with 100 broken links (4 in each of 25 pages) and 3 unknown keys (one in
/// each of 3 other pages): 103 errors in 28 files.
fn broken_site() -> Site {
    let site = Site::fixture("basic");
    for page in 0..25 {
        let links: String = (0..4)
            .map(|i| format!("[x](@/spazi/manca-{page}-{i}.md)\n\n"))
            .collect();
        site.write(
            &format!("content/spazi/rotta-{page:02}.md"),
            format!("---\ntitle: Rotta {page}\n---\n{links}"),
        );
    }
    for page in 0..3 {
        site.write(
            &format!("content/notizie/chiave-{page}.md"),
            format!("---\ntitle: Chiave {page}\nzzz: 1\n---\nTesto.\n"),
        );
    }
    site
}

/// How many diagnostics of `code` are printed in full in `stderr`, in `lang`'s words.
fn shown(stderr: &str, severity: &str, code: &str) -> usize {
    let start = format!("{severity}[{code}]: ");
    stderr.lines().filter(|l| l.starts_with(&start)).count()
}

/// The lines of `stderr` from `heading` to the next line that does not start with a blank.
fn block<'a>(stderr: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = stderr.lines().skip_while(|l| *l != heading);
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no {heading:?} in:\n{stderr}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| l.starts_with("  ")))
        .collect()
}

#[test]
fn twenty_of_each_kind_then_counts_and_a_summary_in_english() {
    let site = broken_site();
    let stderr = site.build_err(&["--lang", "en"], 1);
    assert_eq!(shown(&stderr, "error", "link.missing-page"), 20, "{stderr}");
    assert_eq!(shown(&stderr, "error", "front-matter.unknown-key"), 3);
    // 569,699 lines on the large broken site: here the 23 diagnostics shown (at most 8 lines
    // each: the message, a frame of 5 lines, the hint and a blank), then at most 20 lines of
    // counts and summary.
    assert!(stderr.lines().count() <= 23 * 8 + 20, "{stderr}");
    assert!(
        stderr.contains("\n… and 80 more errors of this kind (link.missing-page)\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("more errors of this kind (front-matter.unknown-key)"));
    assert_eq!(
        block(&stderr, "By kind:"),
        [
            "By kind:",
            "  error[link.missing-page]         100  An `@/` link or a reference field to a page that is not published.",
            "  error[front-matter.unknown-key]    3  A front matter key that is neither a field, a built-in key nor a taxonomy.",
        ]
    );
    let mut by_file = vec!["By file:".to_string()];
    by_file.extend((0..10).map(|n| format!("  4  content/spazi/rotta-{n:02}.md")));
    by_file.push("  … and 18 other files".to_string());
    assert_eq!(block(&stderr, "By file:"), by_file);
    assert!(
        stderr.ends_with(
            "\nOnly the first 20 of each kind are shown in full: `--max-per-kind 0` shows them all.\n\
             103 errors found; nothing was written.\n"
        ),
        "{stderr}"
    );
}

#[test]
fn the_counts_and_the_summary_in_italian() {
    let site = broken_site();
    let stderr = site.build_err(&["--lang", "it"], 1);
    assert_eq!(
        shown(&stderr, "errore", "link.missing-page"),
        20,
        "{stderr}"
    );
    assert!(
        stderr.contains("\n… e altri 80 errori di questo tipo (link.missing-page)\n"),
        "{stderr}"
    );
    // The meaning of each kind is the row of the editors' guide, section 9.
    assert_eq!(
        block(&stderr, "Per tipo:"),
        [
            "Per tipo:",
            "  errore[link.missing-page]         100  Il link o il riferimento punta a una pagina che non esiste o non è pubblicata: correggi il nome del file",
            "  errore[front-matter.unknown-key]    3  Il campo non esiste, spesso perché è scritto male: usa il nome suggerito o toglilo (con `front_matter: { unknown_keys: warn }` in site.yaml è un avviso)",
        ]
    );
    let by_file = block(&stderr, "Per file:");
    assert_eq!(by_file[1], "  4  content/spazi/rotta-00.md");
    assert_eq!(by_file[11], "  … e altri 18 file");
    assert!(
        stderr.ends_with(
            "\nSolo i primi 20 di ogni tipo sono mostrati per intero: `--max-per-kind 0` li mostra tutti.\n\
             103 errori trovati; non è stato scritto niente.\n"
        ),
        "{stderr}"
    );
}

#[test]
fn max_per_kind_changes_the_cap_and_zero_shows_everything() {
    let site = broken_site();
    let all = site.build_err(&["--lang", "en", "--max-per-kind", "0"], 1);
    assert_eq!(shown(&all, "error", "link.missing-page"), 100);
    assert!(!all.contains("more errors of this kind"), "{all}");
    assert!(!all.contains("--max-per-kind 0"), "{all}");
    // A long list still ends with its summary.
    assert!(all.contains("\nBy kind:\n"), "{all}");
    let two = site.build_err(&["--lang", "en", "--max-per-kind", "2"], 1);
    assert_eq!(shown(&two, "error", "link.missing-page"), 2);
    assert_eq!(shown(&two, "error", "front-matter.unknown-key"), 2);
    assert!(two.contains("\n… and 98 more errors of this kind (link.missing-page)\n"));
    assert!(two.contains("\n… and 1 more error of this kind (front-matter.unknown-key)\n"));
}

#[test]
fn check_caps_its_text_but_its_json_has_every_diagnostic() {
    let site = broken_site();
    let human = site.run("check", &["--lang", "en"]);
    let stderr = String::from_utf8(human.stderr).unwrap();
    assert_eq!(shown(&stderr, "error", "link.missing-page"), 20, "{stderr}");
    assert!(stderr.ends_with("103 errors found; the site would not build.\n"));
    let json = site.run("check", &["--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let objects: Vec<serde_json::Value> = String::from_utf8(json.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(objects.len(), 103);
    let links = objects
        .iter()
        .filter(|o| o["code"] == "link.missing-page")
        .count();
    assert_eq!(links, 100);
}

#[test]
fn did_you_mean_only_for_a_close_name() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/stelline.md",
        "---\ntitle: Stelline\n---\nTesto.\n",
    );
    site.write(
        "content/spazi/rotta.md",
        "---\ntitle: Rotta\nexternal help file: x\nextr: 1\n---\n\
         [a](@/spazi/non-esiste.md) [b](@/spazi/stellin.md) [c](@/notizie/stelline.md)\n",
    );
    let stderr = site.build_err(&["--lang", "en"], 1);
    let hint_of = |start: &str| {
        let mut lines = stderr.lines().skip_while(|l| !l.starts_with(start));
        assert!(lines.next().is_some(), "no {start:?} in:\n{stderr}");
        lines
            .find_map(|l| l.split_once("help: ").map(|(_, hint)| hint))
            .unwrap()
    };
    // Far from every key and every page: the general advice, not a wrong page that builds.
    assert_eq!(
        hint_of("error[front-matter.unknown-key]: content/spazi/rotta.md:3:1:"),
        "put free values under `extra:`, or declare `external help file` as a taxonomy in site.yaml"
    );
    assert_eq!(
        hint_of("error[link.missing-page]: content/spazi/rotta.md:6:1:"),
        "write the path of a file under content/, e.g. @/spazi/via-piazzetta.md (drafts are not published)"
    );
    // Typos, and the right name in the wrong folder, get their suggestion.
    assert_eq!(
        hint_of("error[front-matter.unknown-key]: content/spazi/rotta.md:4:1:"),
        "did you mean `extra`?"
    );
    assert_eq!(
        hint_of("error[link.missing-page]: content/spazi/rotta.md:6:28:"),
        "did you mean `@/spazi/stelline.md`?"
    );
    assert_eq!(
        hint_of("error[link.missing-page]: content/spazi/rotta.md:6:52:"),
        "did you mean `@/spazi/stelline.md`?"
    );
}

/// Files are named from the site folder however the site folder is given: run in it without
/// `--root` (and with `--root .`), a collision between copied files names them as
/// `content/…` and `static/…`, never by their absolute paths.
#[test]
fn files_are_named_from_the_site_folder_without_root_too() {
    let site = Site::fixture("basic");
    site.write("static/spazi/x.txt", "a");
    site.write("content/spazi/x.txt", "b");
    for (command, root) in [("build", None), ("check", None), ("build", Some("."))] {
        let mut wemi = std::process::Command::new(env!("CARGO_BIN_EXE_wemi"));
        wemi.arg(command).current_dir(&site.root);
        if let Some(root) = root {
            wemi.args(["--root", root]);
        }
        let out = wemi.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(
                "error[output.collision]: content/spazi/x.txt: content/spazi/x.txt and static/spazi/x.txt would both be written to spazi/x.txt"
            ),
            "{command} {root:?}: {stderr}"
        );
        assert!(
            !stderr.contains(site.root.to_str().unwrap()),
            "{command} {root:?}: {stderr}"
        );
    }
}
