//! Publishing: the theme's stylesheets and scripts under hashed names with their subresource
//! integrity, the optional minification, and the optional `.gz` and `.br` copies. Every check
//! follows what a browser or a host does: links are followed to the files, hashes and
//! integrity values are computed again here, copies are decompressed and compared with their
//! files.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use base64::Engine;
use common::{Site, walk};
use scraper::{ElementRef, Html, Node, Selector};
use sha2::{Digest, Sha384};

/// The `sha384-…` integrity value of `bytes`, computed here.
fn integrity(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Every HTML page of the output folder `out`, by path relative to it.
fn pages(out: &Path) -> BTreeMap<String, String> {
    walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let relative = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            (relative, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// `(url, integrity)` of every stylesheet and script a page loads.
fn loaded(doc: &Html) -> Vec<(String, Option<String>)> {
    let selector = Selector::parse("link[rel=stylesheet], script[src]").unwrap();
    doc.select(&selector)
        .map(|e| {
            let url = e.attr("href").or_else(|| e.attr("src")).unwrap();
            (url.to_string(), e.attr("integrity").map(str::to_string))
        })
        .collect()
}

/// True when the file name ends in `.<8 hex digits>.<css|js>`.
fn hashed_name(url: &str) -> bool {
    let name = url.rsplit('/').next().unwrap();
    let parts: Vec<&str> = name.rsplitn(3, '.').collect();
    parts.len() == 3
        && ["css", "js"].contains(&parts[0])
        && parts[1].len() == 8
        && parts[1].bytes().all(|b| b.is_ascii_hexdigit())
}

#[test]
fn theme_assets_are_linked_by_hashed_name_with_their_integrity_under_a_subpath() {
    let site = Site::real();
    site.build_ok(&["--base-url", "https://example.org/wemi/"]);
    let out = site.root.join("public");
    let mut seen = BTreeMap::new();
    for (page, html) in pages(&out) {
        for (url, integrity_value) in loaded(&Html::parse_document(&html)) {
            let published = url
                .strip_prefix("/wemi/")
                .unwrap_or_else(|| panic!("{page}: {url} is not under the subpath"));
            assert!(hashed_name(published), "{page}: {url}");
            let bytes = fs::read(out.join(published))
                .unwrap_or_else(|e| panic!("{page}: {url} is not published: {e}"));
            assert_eq!(
                integrity_value.as_deref(),
                Some(integrity(&bytes).as_str()),
                "{page}: {url}"
            );
            // The hash in the name is that of the bytes, and the file is also published
            // under its own name, with the same bytes.
            let (stem, rest) = published
                .rsplit_once('.')
                .unwrap()
                .0
                .rsplit_once('.')
                .unwrap();
            assert!(
                hex(&Sha384::digest(&bytes)).starts_with(rest),
                "{url}: the name's hash is not that of the bytes"
            );
            let plain = format!("{stem}.{}", published.rsplit('.').next().unwrap());
            assert_eq!(fs::read(out.join(&plain)).unwrap(), bytes, "{plain}");
            seen.insert(plain, published.to_string());
        }
    }
    let plain: Vec<&str> = seen.keys().map(String::as_str).collect();
    // No page of the real site shows opening hours, which load js/spazi.js (the xss tests
    // follow that one).
    assert_eq!(plain, ["css/wemi.css", "js/search.js"]);
    // A changed stylesheet gets a new name, and the pages link to it.
    let css = site.root.join("themes/wemi/static/css/wemi.css");
    let mut text = fs::read_to_string(&css).unwrap();
    text.push_str("\n.nuova { color: black; }\n");
    fs::write(&css, text).unwrap();
    site.build_ok(&["--base-url", "https://example.org/wemi/"]);
    let home = site.html("index.html");
    let (url, _) = &loaded(&home)[0];
    assert_ne!(url.strip_prefix("/wemi/").unwrap(), seen["css/wemi.css"]);
    assert!(
        !out.join(&seen["css/wemi.css"]).exists(),
        "the old version is removed"
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn an_unknown_asset_is_an_error_at_the_template_with_the_closest_name() {
    let site = Site::fixture("basic");
    let base = site.root.join("themes/test/templates/base.html");
    let text = fs::read_to_string(&base).unwrap();
    site.write(
        "themes/test/templates/base.html",
        text.replace(
            "asset(path=\"css/site.css\")",
            "asset(path=\"css/sit.css\")",
        ),
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("themes/test/templates/base.html:4:")
            && stderr
                .contains("there is no static file `css/sit.css`; did you mean `css/site.css`?"),
        "{stderr}"
    );
    assert!(!site.root.join("public").exists());
    // asset_integrity of a file that is neither a stylesheet nor a script.
    site.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "themes/test/templates/base.html",
        text.replace(
            "asset_integrity(path=\"css/site.css\")",
            "asset_integrity(path=\"logo.svg\")",
        ),
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "only stylesheets and scripts (.css, .js) have an integrity value, not `logo.svg`"
        ),
        "{stderr}"
    );
}

#[test]
fn publish_settings_of_the_wrong_kind_are_errors_at_their_line() {
    let site = Site::fixture("basic");
    let before = site.add_to_config("publish:\n  minfy: true\n");
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains(&format!("site.yaml:{}:", before + 2)) && stderr.contains("`minify`"),
        "{stderr}"
    );
    let site = Site::fixture("basic");
    let before = site.add_to_config("publish:\n  precompress: sempre\n");
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains(&format!("site.yaml:{}:", before + 2)),
        "{stderr}"
    );
}

/// The bytes `path` (a `.gz` or `.br` file) stands for.
fn decompressed(path: &Path) -> Vec<u8> {
    let compressed = fs::read(path).unwrap();
    let mut out = Vec::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::GzDecoder::new(&compressed[..])
            .read_to_end(&mut out)
            .unwrap();
    } else {
        brotli::Decompressor::new(&compressed[..], 4096)
            .read_to_end(&mut out)
            .unwrap();
    }
    out
}

/// Every `.gz` and `.br` file of `out` with its modification time.
fn copies(out: &Path) -> BTreeMap<PathBuf, SystemTime> {
    walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "gz" || e == "br"))
        .map(|p| {
            let modified = fs::metadata(&p).unwrap().modified().unwrap();
            (p, modified)
        })
        .collect()
}

/// The modification time of the file of each copy in `copies`.
fn sources(copies: &BTreeMap<PathBuf, SystemTime>) -> BTreeMap<PathBuf, SystemTime> {
    copies
        .keys()
        .map(|copy| {
            let source = copy.with_extension("");
            let modified = fs::metadata(&source).unwrap().modified().unwrap();
            (source, modified)
        })
        .collect()
}

#[test]
fn precompressed_copies_hold_their_files_and_are_made_again_only_when_they_change() {
    let site = Site::fixture("basic");
    site.add_to_config("publish:\n  precompress: true\n");
    site.write(
        "static/grande.txt",
        "Spazi WeMi, Comune di Milano.\n".repeat(100),
    );
    site.write("static/piccolo.txt", "Spazi WeMi.\n");
    site.write("static/foto.jpg", vec![0xff_u8; 4000]);
    site.build_ok(&[]);
    let out = site.root.join("public");
    let mut with_copies = 0;
    for file in walk(&out) {
        let name = file.to_string_lossy();
        if name.ends_with(".gz") || name.ends_with(".br") {
            let source = PathBuf::from(&name[..name.len() - 3]);
            assert_eq!(decompressed(&file), fs::read(&source).unwrap(), "{name}");
            continue;
        }
        let text = ["html", "css", "xml", "txt", "json"]
            .iter()
            .any(|e| file.extension().is_some_and(|x| x == *e));
        let big = fs::metadata(&file).unwrap().len() >= 1024;
        for suffix in [".gz", ".br"] {
            let copy = PathBuf::from(format!("{name}{suffix}"));
            assert_eq!(copy.exists(), text && big, "{}", copy.display());
        }
        with_copies += usize::from(text && big);
    }
    assert!(with_copies >= 4, "only {with_copies} files have copies");
    // No time or name in the gzip header: the same bytes every time.
    let gz = fs::read(site.public("grande.txt.gz")).unwrap();
    assert_eq!(&gz[3..8], &[0, 0, 0, 0, 0]);

    // A copy of an unchanged file is not made again: one made another way (gzip's fastest
    // level, another time in its header) that still holds the file stays as it is.
    let other_gzip = {
        let mut encoder = flate2::GzBuilder::new()
            .mtime(1)
            .write(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut encoder, &fs::read(site.public("grande.txt")).unwrap())
            .unwrap();
        encoder.finish().unwrap()
    };
    fs::write(site.public("grande.txt.gz"), &other_gzip).unwrap();
    let first = copies(&out);

    // One page changes: only its copies (and those of the listings that show it) are made
    // again; the copies of unchanged files keep their bytes and modification time.
    let sources_before = sources(&first);
    let page = site.root.join("content/spazi/via-piazzetta.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\nUn paragrafo nuovo.\n")).unwrap();
    site.build_ok(&[]);
    let second = copies(&out);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    let sources_after = sources(&second);
    for (copy, modified) in &first {
        let source = &copy.with_extension("");
        let unchanged = sources_before[source] == sources_after[source];
        assert_eq!(second[copy] == *modified, unchanged, "{}", copy.display());
    }
    assert_ne!(
        sources_before[&site.public("spazi/via-piazzetta/index.html")],
        sources_after[&site.public("spazi/via-piazzetta/index.html")]
    );
    assert_eq!(fs::read(site.public("grande.txt.gz")).unwrap(), other_gzip);
    let page_copy = site.public("spazi/via-piazzetta/index.html.gz");
    assert_eq!(
        decompressed(&page_copy),
        fs::read(site.public("spazi/via-piazzetta/index.html")).unwrap()
    );

    // A copy edited in the output folder is made again, even though its file is unchanged.
    fs::write(site.public("grande.txt.br"), b"not brotli").unwrap();
    site.write(
        "content/spazi/nuovo.md",
        "---\ntitle: \"Nuovo\"\n---\nTesto.\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        decompressed(&site.public("grande.txt.br")),
        fs::read(site.public("grande.txt")).unwrap()
    );

    // A file that goes takes its copies with it; without precompression, every copy goes.
    fs::remove_file(site.root.join("static/grande.txt")).unwrap();
    site.build_ok(&[]);
    assert!(!site.public("grande.txt.gz").exists() && !site.public("grande.txt.br").exists());
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config.replace("precompress: true", "precompress: false"),
    );
    site.build_ok(&[]);
    assert_eq!(copies(&out).len(), 0);
}

/// The text of the element and its descendants as a browser shows it outside preformatted
/// elements: every run of white space as one space.
fn collapsed(text: &str) -> String {
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` of an attribute, with the hash of an asset's name and its integrity value left out:
/// minifying a stylesheet changes them.
fn without_hashes(name: &str, value: &str) -> String {
    if name == "integrity" {
        return "(integrity)".to_string();
    }
    if hashed_name(value) {
        let (rest, ext) = value.rsplit_once('.').unwrap();
        return format!("{}.(hash).{ext}", rest.rsplit_once('.').unwrap().0);
    }
    value.to_string()
}

/// What minification must keep of a page: its elements in order with their attributes, its
/// text with white space collapsed, and the whole text of its preformatted, script and style
/// elements.
fn meaning(html: &str) -> (Vec<String>, String, Vec<String>) {
    let doc = Html::parse_document(html);
    let mut elements = Vec::new();
    let mut verbatim = Vec::new();
    let mut text = String::new();
    for node in doc.tree.root().descendants() {
        match node.value() {
            Node::Element(e) => {
                let mut attrs: Vec<String> = e
                    .attrs()
                    .map(|(k, v)| format!("{k}={:?}", without_hashes(k, v)))
                    .collect();
                attrs.sort();
                elements.push(format!("<{} {}>", e.name(), attrs.join(" ")));
                if ["pre", "textarea", "script", "style", "title"].contains(&e.name()) {
                    let whole: String = ElementRef::wrap(node).unwrap().text().collect();
                    verbatim.push(whole);
                }
            }
            Node::Text(t) => {
                text.push_str(t);
                text.push(' ');
            }
            _ => {}
        }
    }
    (elements, collapsed(&text), verbatim)
}

#[test]
fn minified_pages_keep_their_elements_text_and_data() {
    let plain = Site::real();
    plain.build_ok(&[]);
    let minified = Site::real();
    minified.add_to_config("publish:\n  minify: true\n");
    minified.build_ok(&[]);
    let (before, after) = (
        pages(&plain.root.join("public")),
        pages(&minified.root.join("public")),
    );
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    let (mut plain_bytes, mut minified_bytes) = (0, 0);
    for (page, html) in &before {
        let small = &after[page];
        let (elements, text, verbatim) = meaning(html);
        let (small_elements, small_text, small_verbatim) = meaning(small);
        assert!(elements == small_elements, "{page}: the elements differ");
        assert!(text == small_text, "{page}: the text differs");
        assert!(
            verbatim == small_verbatim,
            "{page}: a verbatim element differs"
        );
        plain_bytes += html.len();
        minified_bytes += small.len();
        // JSON-LD stays whole JSON.
        let doc = Html::parse_document(small);
        let ld = Selector::parse("script[type='application/ld+json']").unwrap();
        for script in doc.select(&ld) {
            let json: String = script.text().collect();
            serde_json::from_str::<serde_json::Value>(&json)
                .unwrap_or_else(|e| panic!("{page}: {e}"));
        }
    }
    assert!(
        minified_bytes < plain_bytes,
        "{minified_bytes} bytes minified, {plain_bytes} before"
    );
    // The search index and other data files are left as they are.
    let index = "search/it/index.json";
    assert_eq!(
        fs::read(plain.public(index)).unwrap(),
        fs::read(minified.public(index)).unwrap()
    );
    // The minified stylesheet is what its hashed name and integrity stand for.
    let home = minified.html("index.html");
    let (url, integrity_value) = &loaded(&home)[0];
    let bytes = fs::read(minified.public(url.trim_start_matches('/'))).unwrap();
    assert_eq!(integrity_value.as_deref(), Some(integrity(&bytes).as_str()));
    let plain_css = fs::read(plain.public("css/wemi.css")).unwrap();
    assert!(bytes.len() < plain_css.len());
}

/// With precompression, a file of the site at the path of a compressed copy (or needing it
/// for a folder) is a collision naming both, reported by `check` as by `build`, and never a
/// failed write.
#[test]
fn a_file_where_precompression_writes_a_copy_is_a_collision() {
    let site = Site::fixture("basic");
    site.add_to_config("publish: { precompress: true }\n");
    site.write("static/spazi/index.html.gz", "non compresso");
    site.write(
        "content/spazi/alias.md",
        "---\ntitle: Alias\naliases: [\"/spazi/index.html.br/\"]\n---\nTesto.\n",
    );
    for command in ["check", "build"] {
        let out = site.run(command, &[]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for (origin, path) in [
            ("static/spazi/index.html.gz", "spazi/index.html.gz"),
            ("content/spazi/alias.md", "spazi/index.html.br/index.html"),
        ] {
            assert!(
                stderr.contains(&format!(
                    "error[output.collision]: {origin}: {origin} would be written to {path}, where precompression writes the compressed copy of spazi/index.html (content/spazi/_index.md)"
                )),
                "{command} {origin}: {stderr}"
            );
        }
        assert_eq!(stderr.matches("error[").count(), 2, "{command}: {stderr}");
    }
    assert!(!site.root.join("public").exists());
}
