//! End-to-end tests of `wemi build`: each copies a fixture site from `tests/fixtures/` (plus the
//! shared test theme) into a temporary folder, runs the real binary, and checks the files it
//! wrote (HTML parsed with `scraper`) or the errors it printed.

use crate::common;

use std::fs;
use std::process::Command;

use common::{Site, assert_success, attrs, build_real_site, texts};
use scraper::Html;

// ---------------------------------------------------------------------------------------------
// What a successful build produces

#[test]
fn pages_get_pretty_urls_and_their_front_matter() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);

    let page = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(attrs(&page, "html", "lang"), ["it"]);
    assert_eq!(texts(&page, "h1"), ["WeMi Piazzetta"]);
    assert_eq!(texts(&page, "title"), ["WeMi Piazzetta – Sito di prova"]);
    assert_eq!(texts(&page, ".description"), ["Lo spazio del Municipio 4"]);
    assert_eq!(
        texts(&page, ".managed-by"),
        ["Cooperativa sociale La Strada"]
    );
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://example.org/spazi/via-piazzetta/"]
    );
    // A datetime without offset is read in Europe/Rome: still summer time on 26 October 2018.
    assert_eq!(
        attrs(&page, "time.date", "datetime"),
        ["2018-10-26T17:00:00+02:00"]
    );
    assert_eq!(texts(&page, "time.date"), ["venerdì 26 ottobre 2018"]);
    let mut terms = texts(&page, ".terms li");
    terms.sort();
    assert_eq!(terms, ["4", "anziani", "inaugurazioni"]);
    assert_eq!(texts(&page, "nav a.menu"), ["Spazi"]);
    assert_eq!(
        texts(&page, ".ancestors li"),
        ["_index.md", "spazi/_index.md"]
    );
    assert!(site.public("css/site.css").is_file());
    assert!(site.public("404.html").is_file());
}

#[test]
fn the_summary_counts_pages_and_sections() {
    let site = Site::fixture("basic");
    let summary = site.build_ok(&[]);
    assert!(summary.starts_with("Built "), "{summary}");
    let (pages, sections) = common::counted(&summary);
    site.write("content/spazi/nuovo.md", "---\ntitle: Nuovo\n---\n");
    site.write("content/eventi/_index.md", "---\ntitle: Eventi\n---\n");
    site.write("content/eventi/festa.md", "---\ntitle: Festa\n---\n");
    let summary = site.build_ok(&[]);
    assert_eq!(
        common::counted(&summary),
        (pages + 2, sections + 1),
        "{summary}"
    );
}

#[test]
fn file_names_are_slugified_the_italian_way() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let page = site.html("spazi/l-apertura-di-via-ornato/index.html");
    assert_eq!(texts(&page, "h1"), ["Via Ornato"]);
    // 1 February gets the ordinal.
    assert_eq!(texts(&page, "time.date"), ["venerdì 1° febbraio 2019"]);
    assert_eq!(
        attrs(&page, "time.date", "datetime"),
        ["2019-02-01T00:00:00+01:00"]
    );
}

#[test]
fn markdown_gets_heading_ids_toc_and_summary() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let page = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(
        attrs(&page, ".content h2", "id"),
        ["dove-si-trova", "dove-si-trova-1"]
    );
    assert_eq!(attrs(&page, ".content h3", "id"), ["come-arrivare"]);
    assert_eq!(
        texts(&page, ".toc li > a:first-child"),
        ["Dove si trova", "Dove si trova"]
    );
    assert_eq!(attrs(&page, ".toc a.child", "href"), ["#come-arrivare"]);

    let list = site.html("spazi/index.html");
    let summaries = texts(&list, ".summary");
    assert!(
        summaries.contains(&"Primo paragrafo dello spazio.".to_string()),
        "{summaries:?}"
    );
}

#[test]
fn sections_list_pages_newest_first_then_by_italian_title() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let list = site.html("spazi/index.html");
    // Dated pages first (newest first), then undated by title with "Àncora" sorted as "Ancora".
    assert_eq!(
        texts(&list, "ol.pages li > a"),
        ["Via Ornato", "WeMi Piazzetta", "Àncora", "b spazio"]
    );
    let home = site.html("index.html");
    assert_eq!(texts(&home, "h1"), ["Benvenuti"]);
    assert_eq!(texts(&home, ".content strong"), ["WeMi"]);
    assert_eq!(texts(&home, "ul.subsections a"), ["Notizie", "Spazi"]);
    let mut listed = texts(&list, "ol.pages li > a");
    let mut on_home = texts(&home, "ul.spazi a");
    listed.sort();
    on_home.sort();
    assert_eq!(on_home, listed, "get_section lists the pages");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    let (pages, sections) = common::counted(&site.build_ok(&[]));
    assert!(!site.public("notizie/bozza").exists());
    let summary = site.build_ok(&["--drafts"]);
    assert_eq!(
        common::counted(&summary),
        (pages + 1, sections),
        "{summary}"
    );
    assert_eq!(
        texts(&site.html("notizie/bozza/index.html"), "h1"),
        ["Una bozza"]
    );
    // Without --drafts again, the draft's page is removed.
    site.build_ok(&[]);
    assert!(!site.public("notizie/bozza/index.html").exists());
}

#[test]
fn base_url_override_changes_permalinks() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://anteprima.example.org/wemi"]);
    let page = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://anteprima.example.org/wemi/spazi/via-piazzetta/"]
    );
    // The stylesheet under its hashed name, below the base URL's path.
    let [href] = &attrs(&page, "link[rel=stylesheet]", "href")[..] else {
        panic!("one stylesheet")
    };
    let published = href.strip_prefix("/wemi/").expect("under /wemi/");
    assert!(
        published.starts_with("css/site.") && site.public(published).is_file(),
        "{href}"
    );
}

#[test]
fn translations_live_under_their_language_prefix() {
    let site = Site::fixture("basic");
    site.add_to_config("languages:\n  en: { title: Test site }\n");
    site.write(
        "content/spazi/via-piazzetta.en.md",
        "---\ntitle: WeMi Piazzetta (English)\n---\nThe space.\n",
    );
    site.build_ok(&[]);
    let en = site.html("en/spazi/via-piazzetta/index.html");
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(
        attrs(&en, ".translations a", "href"),
        ["/spazi/via-piazzetta/"]
    );
    let it = site.html("spazi/via-piazzetta/index.html");
    assert_eq!(attrs(&it, ".translations a", "hreflang"), ["en"]);
    assert_eq!(
        attrs(&it, ".translations a", "href"),
        ["/en/spazi/via-piazzetta/"]
    );
}

#[test]
fn bundles_copy_their_files_next_to_the_page() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/via-statuto/index.md",
        "---\ntitle: Via Statuto\n---\n![foto](foto.jpg)\n",
    );
    site.write("content/spazi/via-statuto/foto.jpg", b"\xff\xd8fake jpeg");
    site.write("content/spazi/mappa.pdf", b"%PDF");
    site.build_ok(&[]);
    assert_eq!(
        fs::read(site.public("spazi/via-statuto/foto.jpg")).unwrap(),
        b"\xff\xd8fake jpeg"
    );
    assert_eq!(fs::read(site.public("spazi/mappa.pdf")).unwrap(), b"%PDF");
    let page = site.html("spazi/via-statuto/index.html");
    assert_eq!(texts(&page, ".assets li"), ["/spazi/via-statuto/foto.jpg"]);
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Site::fixture("basic");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>Persa</h1>{% endblock %}",
    );
    site.write("static/css/site.css", "body { color: black; }");
    site.build_ok(&[]);
    assert_eq!(texts(&site.html("404.html"), "h1"), ["Persa"]);
    assert_eq!(
        fs::read_to_string(site.public("css/site.css")).unwrap(),
        "body { color: black; }"
    );
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/html.md",
        "---\ntitle: \"<b>Titolo</b>\"\n---\n<script>alert(1)</script>\n\n<em>ok</em>\n",
    );
    site.build_ok(&[]);
    let raw = fs::read_to_string(site.public("spazi/html/index.html")).unwrap();
    assert!(!raw.contains("<script>"), "markdown HTML reached the page");
    assert!(raw.contains("&lt;script&gt;"));
    assert_eq!(
        texts(&site.html("spazi/html/index.html"), "h1"),
        ["<b>Titolo</b>"],
        "title is escaped"
    );

    site.add_to_config("markdown:\n  unsafe_html: true\n");
    site.build_ok(&[]);
    assert_eq!(
        texts(&site.html("spazi/html/index.html"), ".content em"),
        ["ok"]
    );
}

// ---------------------------------------------------------------------------------------------
// Writing: only what changed, never half a site

#[test]
fn second_build_writes_nothing_and_stale_files_go() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.snapshot();
    let summary = site.build_ok(&[]);
    assert!(summary.contains(" 0 files written"), "{summary}");
    assert_eq!(site.snapshot(), before);

    fs::remove_file(site.root.join("content/spazi/ancora.md")).unwrap();
    let summary = site.build_ok(&[]);
    assert!(summary.contains("1 removed"), "{summary}");
    assert!(!site.public("spazi/ancora").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_site_as_it_was() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.snapshot();
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Cambiato\nweight: tre\n---\n",
    );
    site.write("content/spazi/nuovo.md", "---\ntitle: Nuovo\n---\n");
    site.build_err(&[], 1);
    assert_eq!(site.snapshot(), before);
}

#[test]
fn a_build_failing_while_rendering_leaves_no_trace() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.snapshot();
    // Pages render (and changed ones are staged) before this one fails.
    site.write("templates/rotto.html", "{{ page.nessun_campo }}");
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Cambiato\ntemplate: rotto.html\n---\nTesto nuovo.\n",
    );
    site.write("content/spazi/nuovo.md", "---\ntitle: Nuovo\n---\n");
    let stderr = site.build_err(&[], 1);
    assert!(stderr.contains("rotto.html"), "{stderr}");
    assert_eq!(site.snapshot(), before, "no file changed, none left behind");

    // A first build that fails creates no output folder at all.
    fs::remove_dir_all(site.root.join("public")).unwrap();
    site.build_err(&[], 1);
    assert!(!site.root.join("public").exists());
}

#[test]
fn an_unchanged_build_stops_early_but_repairs_edited_output() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = site.snapshot();
    let summary = site.build_ok(&[]);
    // Only the inputs were compared: no page was read or rendered.
    assert!(summary.contains("(inputs "), "{summary}");
    assert!(!summary.contains("render "), "{summary}");
    assert!(summary.contains(" 0 files written"), "{summary}");
    assert_eq!(site.snapshot(), before);

    // A file changed by hand in public/ is noticed and rewritten.
    fs::write(site.public("spazi/ancora/index.html"), "guasto").unwrap();
    let summary = site.build_ok(&[]);
    assert!(summary.contains(" 1 file written,"), "{summary}");
    // The same site again (the manifest records the new file times).
    assert!(site.snapshot() == before, "not repaired");

    // A content file saved again (same bytes, new time) means a real build. The new time is
    // set, two seconds on, so that the test does not depend on how finely the file system's
    // clock ticks.
    let page = site.root.join("content/spazi/ancora.md");
    let modified = fs::metadata(&page).unwrap().modified().unwrap();
    site.write("content/spazi/ancora.md", fs::read(&page).unwrap());
    let file = fs::File::options().write(true).open(&page).unwrap();
    file.set_modified(modified + std::time::Duration::from_secs(2))
        .unwrap();
    let summary = site.build_ok(&[]);
    assert!(summary.contains("render "), "{summary}");
    // Other options are another build.
    let summary = site.build_ok(&["--drafts"]);
    assert!(summary.contains("render "), "{summary}");
    assert!(site.public("notizie/bozza/index.html").exists());
}

/// A build whose inputs did not change stops early, so every folder and file the build reads
/// must count as an input (`base::layout::INPUTS`): after a build, a change in any of them is
/// built, not skipped. A new folder the build reads belongs in this list too.
#[test]
fn a_change_in_any_input_is_built() {
    let site = Site::fixture("basic");
    site.write("data/orari.yaml", "apertura: nove\n");
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ data.orari.apertura }}</h1>{% endblock %}",
    );
    site.write("static/img/logo.svg", "<svg/>");
    site.build_ok(&[]);
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let page = fs::read_to_string(site.root.join("content/spazi/ancora.md")).unwrap();
    let base = fs::read_to_string(site.root.join("themes/test/templates/base.html")).unwrap();
    let edits = [
        ("site.yaml", config.replace("Sito di prova", "Sito nuovo")),
        ("content/spazi/ancora.md", format!("{page}\nAltro testo.\n")),
        (
            "themes/test/templates/base.html",
            base.replace("<main>", "<main id=\"m\">"),
        ),
        ("themes/test/static/css/site.css", "p {}".to_string()),
        (
            "templates/404.html",
            "<h1>{{ data.orari.apertura }}</h1>".to_string(),
        ),
        ("static/img/logo.svg", "<svg></svg>".to_string()),
        ("data/orari.yaml", "apertura: dieci\n".to_string()),
    ];
    for (file, text) in edits {
        let before = site.snapshot();
        site.write(file, text);
        let summary = site.build_ok(&[]);
        assert_ne!(
            site.snapshot(),
            before,
            "{file}: a real change was skipped\n{summary}"
        );
    }
}

#[test]
fn parallel_output_is_byte_identical_to_single_threaded() {
    let site = Site::fixture("listings");
    let build_with = |threads: &str| {
        let out_dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
            .args(["build", "--root"])
            .arg(&site.root)
            .arg("--output")
            .arg(out_dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        common::assert_success(&out);
        out_dir
    };
    let (single, parallel) = (build_with("1"), build_with("4"));
    let files = |dir: &std::path::Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        common::walk(dir)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (files(single.path()), files(parallel.path()));
    assert!(a.len() > 20, "{} files", a.len());
    assert_eq!(a, b);
}

#[test]
fn output_folder_that_holds_the_site_is_refused() {
    let site = Site::fixture("basic");
    for bad in [".", "content", "content/x", ".."] {
        let out = site.root.join(bad);
        let stderr = site.build_err(&["--output", out.to_str().unwrap()], 2);
        assert!(
            stderr.starts_with("error[output.protected-folder]: "),
            "{bad}: {stderr}"
        );
    }
    assert!(site.root.join("content/spazi/via-piazzetta.md").is_file());
}

// ---------------------------------------------------------------------------------------------
// Errors: file, line, column, and all of them at once

#[test]
fn type_error_names_file_line_and_column() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: x\nweight: tre\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "error[front-matter.value]: content/spazi/via-piazzetta.md:3:9: `weight`: expected an integer, found string \"tre\""
        ),
        "{stderr}"
    );
}

#[test]
fn every_error_of_the_build_is_reported() {
    let site = Site::fixture("basic");
    site.write("content/spazi/a.md", "---\ntitle: a\nmunicpio: 4\n---\n");
    site.write("content/spazi/b.md", "---\ntitle: b\nslug: ../../x\n---\n");
    site.write("content/spazi/c.md", "Nessun front matter\n");
    site.write(
        "content/spazi/d.md",
        "---\ntitle: d\ndate: 26/10/2018\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[front-matter.unknown-key]: content/spazi/a.md:3:1: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `municipio`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[front-matter.slug]: content/spazi/b.md:3:1: "),
        "{stderr}"
    );
    assert!(stderr.contains("help: write `slug: x`"), "{stderr}");
    assert!(
        stderr.contains("error[front-matter.missing]: content/spazi/c.md:1: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[front-matter.value]: content/spazi/d.md:3:7: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("4 errors found; nothing was written."),
        "{stderr}"
    );
    assert!(!site.public("index.html").exists());
}

/// One error of each phase of a build, each in its own file: reading (YAML syntax, a wrong
/// type, a data file, a template), assembling (two files on one address) and finishing (a
/// broken link, an unknown shortcode). One run reports them all, and a link to a page that
/// exists but did not parse is not one of them.
#[test]
fn errors_of_every_phase_come_in_one_run() {
    let site = Site::fixture("basic");
    site.write("content/spazi/a.md", "---\ntitle: [a\n---\n");
    site.write("content/spazi/b.md", "---\ntitle: b\nweight: tre\n---\n");
    site.write(
        "content/spazi/c.md",
        "---\ntitle: c\n---\nVedi [b](@/spazi/b.md) e [x](@/spazi/nulla.md).\n",
    );
    site.write(
        "content/spazi/d.md",
        "---\ntitle: d\n---\n{{ cartolina(spazio=\"via-piazzetta\") }}\n",
    );
    site.write(
        "content/spazi/e.md",
        "---\ntitle: e\nslug: via-piazzetta\n---\n",
    );
    // A broken relative link and a placeholder of `wemi new` on a page to publish. (A
    // misspelt shortcode argument is checked against the component the theme declares, so it
    // needs the theme's templates to load: `listings.rs` shows it beside content errors.)
    site.write(
        "content/spazi/f.md",
        "---\ntitle: f\n---\n[g](../servizi/nulla.md)\n",
    );
    site.write(
        "content/spazi/g.md",
        "---\ntitle: g\ndescription: \"DA COMPLETARE\" # DA COMPLETARE\n---\n",
    );
    site.write("data/municipi.yaml", "- nome: [\n");
    site.write("themes/test/templates/taxonomy_list.html", "{% if %}\n");

    let out = site.run("check", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let found: Vec<(String, String, Option<u64>, Option<u64>)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let d: serde_json::Value = serde_json::from_str(l).unwrap();
            let text = |key: &str| d[key].as_str().unwrap().to_string();
            (
                text("code"),
                text("file"),
                d["line"].as_u64(),
                d["column"].as_u64(),
            )
        })
        .collect();
    let expected = [
        (
            "yaml.unclosed-bracket",
            "content/spazi/a.md",
            Some(2),
            Some(8),
        ),
        ("front-matter.value", "content/spazi/b.md", Some(3), Some(9)),
        ("link.missing-page", "content/spazi/c.md", Some(4), Some(26)),
        ("shortcode.unknown", "content/spazi/d.md", Some(4), Some(1)),
        ("link.missing-page", "content/spazi/f.md", Some(4), Some(1)),
        (
            "content.placeholder",
            "content/spazi/g.md",
            Some(3),
            Some(14),
        ),
        (
            "output.collision",
            "content/spazi/via-piazzetta.md",
            None,
            None,
        ),
        ("yaml.syntax", "data/municipi.yaml", Some(2), Some(1)),
        (
            "template.syntax",
            "themes/test/templates/taxonomy_list.html",
            Some(1),
            Some(7),
        ),
    ];
    let found: Vec<(&str, &str, Option<u64>, Option<u64>)> = found
        .iter()
        .map(|(code, file, line, column)| (code.as_str(), file.as_str(), *line, *column))
        .collect();
    assert_eq!(found, expected);

    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("9 errors found; nothing was written."),
        "{stderr}"
    );
    assert!(!site.public("index.html").exists());
}

#[test]
fn two_files_on_one_url_are_named() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/altro.md",
        "---\ntitle: Altro\nslug: via-piazzetta\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[output.collision]: content/spazi/via-piazzetta.md: this file and content/spazi/altro.md would both be published at /spazi/via-piazzetta/"),
        "{stderr}"
    );
}

#[test]
fn template_errors_name_template_line_and_page() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.extra.address.street }}</p>\n{% endblock %}\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[template.render]: templates/page.html:3:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("(while rendering content/spazi/via-piazzetta.md)"),
        "{stderr}"
    );

    site.write("templates/page.html", "{% if %}\n");
    site.write("templates/section.html", "ok\n{{ a b }}\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[template.syntax]: templates/page.html:1:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[template.syntax]: templates/section.html:2:"),
        "{stderr}"
    );
}

#[test]
fn config_errors_exit_with_2_and_name_the_key() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "title: x\nbase_url: https://example.org/\ntaxonomys: []\n",
    );
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains("error[config.unknown-key]: site.yaml:3:1: unknown key `taxonomys`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `taxonomies`?"), "{stderr}");
}

#[test]
fn a_line_break_in_the_base_url_is_an_error_in_site_yaml() {
    let site = Site::fixture("basic");
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let broken = config.replace(
        "base_url: https://example.org/",
        "base_url: \"https://example.org/s.xml\\nDisallow: /\"",
    );
    assert_ne!(broken, config);
    site.write("site.yaml", broken);
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.starts_with(
            "error[config.value]: site.yaml:2: `base_url` holds a control character (a line break, a tab…): \
             `https://example.org/s.xml\\nDisallow: /`\n"
        ),
        "{stderr}"
    );
    assert!(!site.root.join("public").exists());
    // Given on the command line, it is refused the same way.
    site.write("site.yaml", config);
    let stderr = site.build_err(&["--base-url", "https://example.org/\nDisallow: /"], 2);
    assert!(
        stderr.contains(
            "holds a control character (a line break, a tab…): `https://example.org/\\nDisallow: /`"
        ),
        "{stderr}"
    );
    assert!(!site.root.join("public").exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .args(["build", "--nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("wemi "));
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .args(["help", "build"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--base-url"));
}

// ---------------------------------------------------------------------------------------------
// Hostile input: no panic, no hang

#[test]
fn odd_files_give_errors_not_panics() {
    let site = Site::fixture("basic");
    site.write("content/spazi/vuoto.md", "");
    site.write("content/spazi/latin1.md", b"---\ntitle: Citt\xe0\n---\n");
    site.write(
        "content/spazi/bom.md",
        "\u{feff}---\r\ntitle: Con BOM\r\n---\r\nTesto\r\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[front-matter.missing]: content/spazi/vuoto.md:1: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[file.encoding]: content/spazi/latin1.md:2:12: "),
        "{stderr}"
    );
    assert!(!stderr.contains("bom.md"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    // BOM and CRLF are accepted: without the two broken files, the page is built.
    fs::remove_file(site.root.join("content/spazi/vuoto.md")).unwrap();
    fs::remove_file(site.root.join("content/spazi/latin1.md")).unwrap();
    site.build_ok(&[]);
    let page = fs::read_to_string(site.public("spazi/bom/index.html")).unwrap();
    assert!(page.contains("<h1>Con BOM</h1>"), "{page}");
    assert!(
        page.contains("<div class=\"content\"><p>Testo</p>\n</div>"),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink("..", site.root.join("content/spazi/giro")).unwrap();
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[symlink.loop]: content/spazi/giro: "),
        "{stderr}"
    );
}

#[test]
fn the_real_wemi_site_builds() {
    let dir = build_real_site();
    let home = Html::parse_document(&fs::read_to_string(dir.path().join("index.html")).unwrap());
    assert_eq!(attrs(&home, "html", "lang"), ["it"]);
    assert_eq!(texts(&home, "h1").len(), 1);
    let space = Html::parse_document(
        &fs::read_to_string(dir.path().join("spazi/via-piazzetta/index.html")).unwrap(),
    );
    let text = space.root_element().text().collect::<String>();
    assert!(
        text.contains("La Strada"),
        "the space page names who runs it"
    );
    assert!(dir.path().join("404.html").is_file());
}

#[test]
fn trans_prints_theme_texts_in_the_page_language_with_site_overrides_and_fallback() {
    let site = Site::fixture("basic");
    site.add_to_config("languages:\n  en: { title: Test site }\n");
    site.write(
        "content/spazi/via-piazzetta.en.md",
        "---\ntitle: WeMi Piazzetta (English)\n---\nThe space.\n",
    );
    site.write(
        "themes/test/i18n/it.yaml",
        "greeting: \"Benvenuti\"\nitems: \"{n} spazi, {n} in tutto\"\nonly_it: \"Solo in italiano\"\n",
    );
    site.write(
        "themes/test/i18n/en.yaml",
        "greeting: \"Welcome\"\nitems: \"{n} spaces\"\n",
    );
    // The site's own i18n/ overrides the theme's key by key.
    site.write("i18n/en.yaml", "greeting: \"Hello\"\n");
    site.write(
        "templates/spazi/page.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"t\">{{ trans(key=\"greeting\", lang=lang) }}</p>\
         <p class=\"t\">{{ trans(key=\"items\", n=3) }}</p><p class=\"t\">{{ trans(key=\"only_it\") }}</p>\
         <p class=\"t\">{{ trans(key=\"greeting\", lang=\"it\") }}</p>{% endblock %}",
    );
    let out = site.build(&[]);
    assert_success(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("i18n.missing") && stderr.contains("only_it"),
        "the missing English text is a warning naming its key: {stderr}"
    );
    assert_eq!(
        texts(&site.html("spazi/via-piazzetta/index.html"), "p.t"),
        [
            "Benvenuti",
            "3 spazi, 3 in tutto",
            "Solo in italiano",
            "Benvenuti"
        ]
    );
    assert_eq!(
        texts(&site.html("en/spazi/via-piazzetta/index.html"), "p.t"),
        ["Hello", "3 spaces", "Solo in italiano", "Benvenuti"]
    );

    // A key no language has stops the build at the template's line.
    site.write(
        "templates/spazi/page.html",
        "{% extends \"base.html\" %}{% block main %}\n{{ trans(key=\"nowhere\") }}{% endblock %}",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("template.render") && stderr.contains("no text `nowhere` in i18n/it.yaml"),
        "{stderr}"
    );

    // A file not named after a language is refused.
    site.write("themes/test/i18n/italiano.txt", "x: y\n");
    let stderr = site.build_err(&[], 1);
    assert!(stderr.contains("i18n.file-name"), "{stderr}");
}

/// `wemi check` writes nothing, so it keeps no page's bytes: each is rendered (its template
/// errors found) and dropped at once, where holding them all made it need more memory than a
/// build. Only the output paths stay, to be checked for collisions.
#[test]
fn check_keeps_no_rendered_page_in_memory() {
    use wemi::base::progress::Progress;
    use wemi::build::{Mode, Run, render_site};
    use wemi::config::Config;
    use wemi::output::OutputFile;

    let site = Site::fixture("basic");
    let config = Config::load(&site.root, None).unwrap();
    let run = Run {
        root: &site.root,
        drafts: false,
        mode: Mode::Check,
        progress: &Progress::default(),
        listing: None,
    };
    let rendered = render_site(config, run).unwrap();
    let pages: Vec<_> = rendered
        .output
        .files()
        .filter(|(path, _)| path.as_str().ends_with("/index.html"))
        .collect();
    assert!(pages.len() > 5, "{pages:?}");
    for (path, file) in pages {
        assert!(matches!(file, OutputFile::Dropped(_)), "{}", path.as_str());
    }
    assert!(!site.root.join("public").exists());
}
