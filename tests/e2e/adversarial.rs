//! Hostile and malformed content, end to end through the real binary: each input is refused
//! with an error that says where it is (file:line:column) and how to fix it, or built right.
//!
//! Some inputs cost the build time that grew with the square of their size, or faster: YAML
//! aliases that repeat values, brackets nested deep, pages with tens of thousands of links,
//! shortcodes, headings or wrong keys. Those tests give the build a time limit that only
//! catches such a cost: the build needs a second or two (a debug build), the quadratic one
//! took minutes on these inputs (the release build of 6bb987c took 26 s for a third of the
//! links, 41 s for two thirds of the headings). Generated inputs are written into the test's
//! temporary folder, never into the repository.

use crate::common;

use std::fmt::Write;
use std::fs;
use std::time::Duration;

use common::{Site, attrs, texts};

/// Far above what any of these builds needs: only a hang, or a quadratic cost, reaches it.
const LIMIT: Duration = Duration::from_secs(60);

/// For the builds of big inputs, whose time goes mostly to the disk: only a hang reaches it.
const BIG_LIMIT: Duration = Duration::from_secs(300);

/// The build's stderr, asserting it failed with exit code `code` within [`LIMIT`]. Every
/// diagnostic is printed in full (`--max-per-kind 0`): these tests check that all are found.
fn build_fails(site: &Site, code: i32) -> String {
    let out = site.build_within(&["--max-per-kind", "0"], LIMIT);
    let stderr = String::from_utf8(out.output.stderr).unwrap();
    assert_eq!(out.output.status.code(), Some(code), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Asserts the build succeeded within `limit`.
fn build_succeeds_within(site: &Site, limit: Duration) -> String {
    let out = site.build_within(&[], limit);
    common::assert_success(&out.output);
    String::from_utf8(out.output.stdout).unwrap()
}

/// Asserts that `stderr` has a line starting with `error[<code>]: <start>`.
fn assert_reported(stderr: &str, code: &str, start: &str) {
    let line = format!("error[{code}]: {start}");
    let found = stderr.lines().any(|l| l.starts_with(&line));
    let tail = &stderr[stderr.len().saturating_sub(3_000)..];
    assert!(found, "no `{line}` in:\n…{tail}");
}

/// Writes `text` to `path`, builds, and asserts that the build fails with
/// `error[<code>]: <start>…`.
fn assert_refused(site: &Site, path: &str, text: &str, code: &str, start: &str) {
    site.write(path, text);
    assert_reported(&build_fails(site, 1), code, start);
}

/// Asserts that `stderr` has the error line `error[<code>]: <location>: <message>`, then its
/// hint.
fn assert_error(stderr: &str, code: &str, location: &str, message: &str, hint: &str) {
    let line = format!("error[{code}]: {location}: {message}\n");
    let at = stderr
        .find(&line)
        .unwrap_or_else(|| panic!("no `{line}` in:\n{stderr}"));
    let help = stderr[at..]
        .lines()
        .find(|l| l.contains("help: "))
        .unwrap_or_default();
    assert!(help.ends_with(&format!("help: {hint}")), "{help}\n{stderr}");
}

/// `n` copies of `item` separated by `, `.
fn repeated(item: &str, n: usize) -> String {
    vec![item; n].join(", ")
}

// ---------------------------------------------------------------------------------------------
// YAML that would cost far more than its size

const ALIASES: &str = "the aliases (`*…`) of this YAML repeat its values too many times";
const ALIASES_HINT: &str = "with its aliases repeated, a YAML text may hold at most 100000 more values and 10 MB more text: use fewer aliases, or write the values out";

#[test]
fn alias_bombs_are_refused_at_their_first_alias() {
    let site = Site::fixture("basic");
    // 32 KB that would expand to 21 million values.
    let flat = format!(
        "---\ntitle: Piatta\nextra:\n  a: &a [{}]\n  b: [{}]\n---\nTesto.\n",
        repeated("x", 4_600),
        repeated("*a", 4_600)
    );
    assert!(flat.len() > 32_000);
    site.write("content/spazi/piatta.md", &flat);
    // 20 KB that would hold 16 MB of text.
    site.write(
        "content/spazi/testo.md",
        format!(
            "---\ntitle: Testo\nextra:\n  s: &s {}\n  l: [{}]\n---\n",
            "x".repeat(16_000),
            repeated("*s", 1_000)
        ),
    );
    // The classic: nine of nine of nine …, nine times.
    let mut nested = String::from("---\ntitle: Annidata\nextra:\n  l0: &l0 [lol");
    nested.push_str(&", lol".repeat(8));
    nested.push_str("]\n");
    for i in 1..10 {
        let aliases = repeated(&format!("*l{}", i - 1), 9);
        writeln!(nested, "  l{i}: &l{i} [{aliases}]").unwrap();
    }
    nested.push_str("---\n");
    site.write("content/spazi/annidata.md", &nested);
    // A data file.
    site.write(
        "data/bomba.yaml",
        format!(
            "a: &a [{}]\nb: [{}]\n",
            repeated("x", 4_600),
            repeated("*a", 4_600)
        ),
    );

    let stderr = build_fails(&site, 1);
    assert_error(
        &stderr,
        "yaml.too-many-aliases",
        "content/spazi/piatta.md:5:7",
        ALIASES,
        ALIASES_HINT,
    );
    assert_error(
        &stderr,
        "yaml.too-many-aliases",
        "content/spazi/testo.md:5:7",
        ALIASES,
        ALIASES_HINT,
    );
    assert_error(
        &stderr,
        "yaml.too-many-aliases",
        "content/spazi/annidata.md:5:12",
        ALIASES,
        ALIASES_HINT,
    );
    assert_error(
        &stderr,
        "yaml.too-many-aliases",
        "data/bomba.yaml:2:5",
        ALIASES,
        ALIASES_HINT,
    );
}

#[test]
fn an_alias_bomb_in_site_yaml_is_refused() {
    let site = Site::fixture("basic");
    let lines = site.add_to_config(&format!(
        "extra:\n  a: &a [{}]\n  b: [{}]\n",
        repeated("x", 4_600),
        repeated("*a", 4_600)
    ));
    let stderr = build_fails(&site, 2);
    let location = format!("site.yaml:{}:7", lines + 3);
    assert_error(
        &stderr,
        "yaml.too-many-aliases",
        &location,
        ALIASES,
        ALIASES_HINT,
    );
}

#[test]
fn a_few_aliases_are_fine() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/alias.md",
        "---\ntitle: Alias\nextra:\n  gestore: &g Cooperativa La Strada\n  managed_by: *g\n---\n",
    );
    build_succeeds_within(&site, LIMIT);
    assert_eq!(
        texts(&site.html("spazi/alias/index.html"), ".managed-by"),
        ["Cooperativa La Strada"]
    );
}

#[test]
fn brackets_nested_too_deep_are_refused_quickly() {
    const DEEP: &str = "lists and maps are nested more than 128 levels deep";
    const DEEP_HINT: &str =
        "close the `[` and `{` that are left open, or nest fewer lists and maps";
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/parentesi.md",
        format!(
            "---\ntitle: Parentesi\nextra:\n  a: {}\n---\n",
            "[".repeat(80_000)
        ),
    );
    site.write(
        "data/graffe.yaml",
        format!("a: {}\n", "{b: ".repeat(20_000)),
    );
    // Deep, but closed: and as deep as YAML allows.
    site.write(
        "data/profonda.yaml",
        format!("a: {}x{}\n", "[".repeat(100), "]".repeat(100)),
    );
    let stderr = build_fails(&site, 1);
    assert_error(
        &stderr,
        "yaml.too-deep",
        "content/spazi/parentesi.md:4:134",
        DEEP,
        DEEP_HINT,
    );
    assert_error(
        &stderr,
        "yaml.too-deep",
        "data/graffe.yaml:1:516",
        DEEP,
        DEEP_HINT,
    );
    assert!(!stderr.contains("profonda"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Malformed files

#[test]
fn malformed_yaml_gets_clear_errors_where_the_mistake_is() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/tab.md",
        "---\ntitle: Tab\nextra:\n\tnome: y\n---\n",
    );
    site.write(
        "content/spazi/virgolette.md",
        "---\ntitle: \"Orari\ndate: 2020-01-01\n---\nTesto\n",
    );
    site.write(
        "content/spazi/doppia.md",
        "---\ntitle: Doppia\nextra:\n  x: 1\n  y: 2\n  x: 3\n---\n",
    );
    site.write(
        "content/spazi/controllo.md",
        "---\ntitle: Orari\u{7}\n---\n",
    );
    site.write(
        "content/spazi/due-punti.md",
        "---\ntitle: Orari: dalle 9\n---\n",
    );
    let stderr = build_fails(&site, 1);
    assert_error(
        &stderr,
        "yaml.tab",
        "content/spazi/tab.md:4:1",
        "this line is indented with a tab",
        "YAML indents with spaces only: replace the tab with spaces",
    );
    assert_error(
        &stderr,
        "yaml.unclosed-quote",
        "content/spazi/virgolette.md:2:8",
        "the quotes opened here are never closed",
        "close them at the end of the text; a quote inside it is written \\\" between \" \" or '' between ' '",
    );
    assert_error(
        &stderr,
        "yaml.duplicate-key",
        "content/spazi/doppia.md:6:3",
        "the key `x` appears twice",
        "each key may appear only once: remove or merge the repeated one",
    );
    assert_error(
        &stderr,
        "yaml.control-character",
        "content/spazi/controllo.md:2:13",
        "this line holds an invisible control character",
        "delete it: it often comes with text pasted from another program",
    );
    assert_error(
        &stderr,
        "yaml.unquoted-colon",
        "content/spazi/due-punti.md:2:13",
        "a value contains `: ` without quotes",
        "write it in quotes: title: \"Orari: dalle 9\"",
    );
}

#[test]
fn errors_are_also_said_in_italian() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/tab.md",
        "---\ntitle: Tab\nextra:\n\tnome: y\n---\n",
    );
    let out = site.build_within(&["--lang", "it"], LIMIT);
    let stderr = String::from_utf8(out.output.stderr).unwrap();
    assert!(
        stderr.contains(
            "errore[yaml.tab]: content/spazi/tab.md:4:1: questa riga è rientrata con un tab\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "aiuto: in YAML i rientri si fanno solo con spazi: sostituisci il tab con degli spazi\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_one_megabyte_string_is_kept_whole() {
    let site = Site::fixture("basic");
    let long: String = (0..100_000).map(|i| format!("{:09} ", i)).collect();
    assert!(long.len() >= 1_000_000);
    site.write(
        "content/spazi/lunga.md",
        format!("---\ntitle: Lunga\ndescription: \"{long}\"\n---\nTesto.\n"),
    );
    build_succeeds_within(&site, LIMIT);
    let page = site.html("spazi/lunga/index.html");
    assert_eq!(texts(&page, ".description"), [long.trim_end()]);
}

#[test]
fn files_that_are_not_front_matter_and_text_are_errors_where_they_go_wrong() {
    let site = Site::fixture("basic");
    site.write("content/spazi/vuoto.md", "");
    site.write("content/spazi/aperta.md", "---\ntitle: Aperta\nTesto.\n");
    site.write(
        "content/spazi/latin1.md",
        b"---\ntitle: a\n---\nPerch\xc3\xa9 cos\xec?\n",
    );
    site.write("content/spazi/nul.md", "---\ntitle: Nul\n---\nTesto\0\n");
    let utf16: Vec<u8> = "---\ntitle: UTF-16\n---\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    site.write("content/spazi/utf16.md", utf16);
    site.write("data/nul.csv", "nome,via\nBrera,Via\0Roma\n");
    let stderr = build_fails(&site, 1);
    assert_error(
        &stderr,
        "front-matter.missing",
        "content/spazi/vuoto.md:1",
        "the file does not start with front matter",
        "begin the file with a line `---`, then `title: \"…\"`, then another `---` line",
    );
    assert_error(
        &stderr,
        "front-matter.unclosed",
        "content/spazi/aperta.md:1:1",
        "the front matter opened here is never closed by a `---` line",
        "add a line `---` after the last field, before line 3 where the text begins",
    );
    // Columns count characters: `Perché cos` is 10 of them, in 11 bytes.
    assert_error(
        &stderr,
        "file.encoding",
        "content/spazi/latin1.md:4:11",
        "the file is not valid UTF-8 text",
        "save the file with the UTF-8 encoding (most editors offer it in \"Save as\")",
    );
    let nul_hint = "save the file as UTF-8 text: a file saved as UTF-16 (\"Unicode\") or a file that is not text has NUL characters";
    let nul = "the file holds a NUL character, which text never has";
    assert_error(
        &stderr,
        "file.encoding",
        "content/spazi/nul.md:4:6",
        nul,
        nul_hint,
    );
    assert_error(
        &stderr,
        "file.encoding",
        "content/spazi/utf16.md:1:2",
        nul,
        nul_hint,
    );
    assert_error(&stderr, "file.encoding", "data/nul.csv:2:10", nul, nul_hint);
}

#[test]
fn bom_and_any_line_endings_build_like_plain_files() {
    let site = Site::fixture("basic");
    let plain = "---\ntitle: Uguale\ntags: [a]\n---\n# Titolo\n\nTesto [qui](@/spazi/ancora.md),\nsu due righe.\n";
    site.write("content/spazi/lf.md", plain);
    site.write("content/spazi/bom.md", format!("\u{feff}{plain}"));
    site.write("content/spazi/crlf.md", plain.replace('\n', "\r\n"));
    site.write("content/spazi/cr.md", plain.replace('\n', "\r"));
    let mixed: String = plain
        .split_inclusive('\n')
        .zip(["\r\n", "\n", "\r"].iter().cycle())
        .map(|(line, end)| line.replace('\n', end))
        .collect();
    site.write("content/spazi/misto.md", &mixed);
    build_succeeds_within(&site, LIMIT);
    let content = |name: &str| {
        let page = site.html(&format!("spazi/{name}/index.html"));
        (
            texts(&page, "article > h1"),
            texts(&page, ".content"),
            attrs(&page, ".content a", "href"),
        )
    };
    assert_eq!(
        content("lf"),
        (
            vec!["Uguale".to_string()],
            vec!["Titolo\nTesto qui,\nsu due righe.".to_string()],
            vec!["/spazi/ancora/".to_string()]
        )
    );
    for name in ["bom", "crlf", "cr", "misto"] {
        assert_eq!(content(name), content("lf"), "{name}");
    }
    // Errors in such files are on the lines an editor shows.
    site.write("content/spazi/misto.md", mixed.replace("[qui]", "[qui"));
    site.write(
        "content/spazi/cr.md",
        plain.replace('\n', "\r").replace("ancora.md", "nessuna.md"),
    );
    let stderr = build_fails(&site, 1);
    assert_reported(
        &stderr,
        "link.missing-page",
        "content/spazi/cr.md:7:7: the link points to content/spazi/nessuna.md",
    );
}

#[test]
fn pathological_markdown_is_built_in_linear_time() {
    // The inputs known to take some markdown parsers quadratic or exponential time (most from
    // cmark's pathological tests), 80 KB each: pulldown-cmark reads them in linear time, and
    // the text after each reaches its page.
    let site = Site::fixture("basic");
    let repeat = |piece: &str| piece.repeat(80_000 / piece.len());
    let bodies = [
        repeat("["),
        repeat("[") + &repeat("]"),
        repeat("[a]("),
        repeat("[ (]("),
        repeat("[a](<b"),
        repeat("[*_a"),
        repeat("*a **"),
        repeat("a***"),
        repeat("``\\"),
        repeat("<"),
        repeat("<>"),
        repeat("![") + &repeat("]"),
        repeat("> ") + "x",
        repeat("1. ") + "x",
        format!("[x]: /{}\n\n{}", "u".repeat(8_000), repeat("[x]")),
        format!("{}\n\n[^a]: nota", repeat("[^a")),
        format!("| a |\n|---|\n{}", repeat("| [ |\n")),
    ];
    for (i, body) in bodies.iter().enumerate() {
        site.write(
            &format!("content/spazi/m{i}.md"),
            format!("---\ntitle: M{i}\n---\n{body}\n\nFine {i}.\n"),
        );
    }
    build_succeeds_within(&site, LIMIT);
    for i in 0..bodies.len() {
        let html = fs::read_to_string(site.public(&format!("spazi/m{i}/index.html"))).unwrap();
        assert!(html.contains(&format!("Fine {i}.")), "m{i}");
    }
}

// ---------------------------------------------------------------------------------------------
// Pages with many things to locate, resolve or replace

#[test]
fn a_page_with_60000_links_is_built_and_located_in_linear_time() {
    let site = Site::fixture("basic");
    let mut page = String::from("---\ntitle: Collegamenti\n---\n");
    for i in 0..30_000 {
        writeln!(
            page,
            "[Ancora {i}](@/spazi/ancora.md) e [fuori](https://example.org/{i})"
        )
        .unwrap();
    }
    site.write("content/spazi/collegamenti.md", &page);
    build_succeeds_within(&site, LIMIT);
    let html = fs::read_to_string(site.public("spazi/collegamenti/index.html")).unwrap();
    assert_eq!(html.matches("href=\"/spazi/ancora/\"").count(), 30_000);
    assert!(html.contains("href=\"https://example.org/29999\""));

    page.push_str("Alla fine, [rotto](@/spazi/nessuno.md).\n");
    assert_refused(
        &site,
        "content/spazi/collegamenti.md",
        &page,
        "link.missing-page",
        "content/spazi/collegamenti.md:30004:12: the link points to content/spazi/nessuno.md",
    );
}

#[test]
fn a_page_with_40000_shortcodes_is_built_in_linear_time() {
    let site = Site::fixture("basic");
    let mut page = String::from("---\ntitle: Foto\n---\n");
    for i in 0..20_000 {
        // Alone on its line (it replaces the paragraph), then inside a sentence.
        writeln!(page, "{{{{ figura(src=\"a{i}.jpg\", alt=\"A {i}\") }}}}\n").unwrap();
        writeln!(
            page,
            "Vedi {{{{ figura(src=\"b{i}.jpg\", alt=\"B\") }}}} qui.\n"
        )
        .unwrap();
    }
    site.write("content/spazi/foto.md", &page);
    build_succeeds_within(&site, LIMIT);
    let html = site.html("spazi/foto/index.html");
    let sources = attrs(&html, ".content figure img", "src");
    assert_eq!(sources.len(), 40_000);
    assert_eq!(sources[39_998..], ["a19999.jpg", "b19999.jpg"]);
    // A call alone in its paragraph takes the paragraph's place; one in a sentence stays in it.
    let raw = fs::read_to_string(site.public("spazi/foto/index.html")).unwrap();
    assert_eq!(raw.matches("<p>Vedi <figure>").count(), 20_000);
    assert!(!raw.contains("<p><figure>"));

    page.push_str("{{ figura(src=foto) }}\n");
    assert_refused(
        &site,
        "content/spazi/foto.md",
        &page,
        "shortcode.syntax",
        "content/spazi/foto.md:80004:15: `foto` is not a value",
    );
}

#[test]
fn thousands_of_equal_headings_get_their_ids_in_linear_time() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/orari.md",
        format!(
            "---\ntitle: Orari\n---\n{}",
            "## Orari\n\nTesto.\n\n".repeat(30_000)
        ),
    );
    build_succeeds_within(&site, LIMIT);
    let ids = attrs(&site.html("spazi/orari/index.html"), "h2", "id");
    let expected: Vec<String> = std::iter::once("orari".to_string())
        .chain((1..30_000).map(|n| format!("orari-{n}")))
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn thousands_of_wrong_keys_are_all_reported_in_linear_time() {
    let site = Site::fixture("basic");
    let keys: String = (0..30_000).map(|i| format!("chiave{i}: v\n")).collect();
    site.write(
        "content/spazi/chiavi.md",
        format!("---\ntitle: Chiavi\n{keys}---\n"),
    );
    let stderr = build_fails(&site, 1);
    assert!(stderr.ends_with("30000 errors found; nothing was written.\n"));
    assert_reported(
        &stderr,
        "front-matter.unknown-key",
        "content/spazi/chiavi.md:30002:1: unknown key `chiave29999`",
    );
}

#[test]
fn thousands_of_wrong_fields_of_a_schema_are_all_reported_in_linear_time() {
    // A typed section's page: its fields are checked where they are written.
    let site = Site::fixture("typed");
    let page = fs::read_to_string(site.root.join("content/spazi/via-piazzetta.md")).unwrap();
    let keys: String = (0..60_000).map(|i| format!("chiave{i}: v\n")).collect();
    site.write(
        "content/spazi/via-piazzetta.md",
        page.replacen("---\n", &format!("---\n{keys}"), 1),
    );
    let stderr = build_fails(&site, 1);
    assert!(stderr.ends_with("60000 errors found; nothing was written.\n"));
    assert!(
        stderr.contains(
            "error[front-matter.unknown-key]: content/spazi/via-piazzetta.md:60001:1: unknown field `chiave59999`\n"
        ),
        "{}",
        &stderr[stderr.len() - 2_000..]
    );
}

// ---------------------------------------------------------------------------------------------
// Big inputs

#[test]
fn a_50_megabyte_page_builds_in_linear_time_and_memory() {
    let site = Site::fixture("basic");
    let paragraph = "Lo spazio WeMi offre servizi *per le famiglie* e \
                     [informazioni](https://example.org/x) utili. "
        .repeat(4)
        + "\n\n";
    let count = 50_000_000 / paragraph.len();
    let mut page = String::with_capacity(50_100_000);
    page.push_str("---\ntitle: Grande\n---\n");
    for _ in 0..count {
        page.push_str(&paragraph);
    }
    page.push_str("Fine del testo.\n");
    site.write("content/grande.md", &page);
    drop(page);
    let out = site.build_within(&[], BIG_LIMIT);
    common::assert_success(&out.output);
    let html = fs::read_to_string(site.public("grande/index.html")).unwrap();
    assert_eq!(
        html.matches("<a href=\"https://example.org/x\">informazioni</a>")
            .count(),
        4 * count
    );
    assert!(html.contains("<p>Fine del testo.</p>"));
    // About twelve times the page (its text, its HTML, the page made from it, its links);
    // a cost that grew faster would pass 2 GB.
    if let Some(peak) = out.peak_kib {
        assert!(peak < 2_000_000, "{peak} KiB");
    }
}

#[test]
#[ignore = "stress test, a minute or more unoptimised: `cargo test -- --include-ignored` runs it, as .ci/run does"]
fn twenty_thousand_files_in_one_folder_build() {
    let site = Site::fixture("basic");
    let (pages, sections) = common::counted(&build_succeeds_within(&site, LIMIT));
    site.write("content/molti/_index.md", "---\ntitle: Molti\n---\n");
    for i in 0..20_000 {
        site.write(
            &format!("content/molti/p{i}.md"),
            format!("---\ntitle: Pagina {i}\n---\nTesto {i}.\n"),
        );
    }
    let summary = build_succeeds_within(&site, BIG_LIMIT);
    assert_eq!(
        common::counted(&summary),
        (pages + 20_000, sections + 1),
        "{summary}"
    );
    assert_eq!(
        texts(&site.html("molti/p19999/index.html"), "h1"),
        ["Pagina 19999"]
    );
    let listing = fs::read_to_string(site.public("molti/index.html")).unwrap();
    assert_eq!(listing.matches("href=\"/molti/p").count(), 20_000);
}

#[test]
fn folders_200_deep_build() {
    let site = Site::fixture("basic");
    let folders: Vec<String> = (0..200).map(|i| format!("d{i}")).collect();
    let deep = folders.join("/");
    site.write(
        &format!("content/{deep}/profonda.md"),
        "---\ntitle: Profonda\n---\nIn fondo.\n",
    );
    site.write(&format!("data/{deep}/x.yaml"), "nome: fondo\n");
    build_succeeds_within(&site, BIG_LIMIT);
    let page = site.html(&format!("{deep}/profonda/index.html"));
    assert_eq!(texts(&page, "h1"), ["Profonda"]);
    assert_eq!(texts(&page, ".content"), ["In fondo."]);
}
