//! Entry points of the fuzz targets under `fuzz/`, and of the test that replays their corpus
//! and every crash they found (`tests/e2e/fuzz_corpus.rs`): both call these same functions.
//!
//! Each takes any bytes, runs one part of wemi that reads hostile input (a content file, a
//! data file, markdown, a name or address, a request of the dev server) and panics when an
//! invariant fails, so that a fuzzer counts it as a crash like any panic of wemi itself:
//! - every diagnostic of a file names a line of that file;
//! - markdown rendered with `unsafe_html: false` holds only markdown's own tags and
//!   attributes: no `<script`, no `on…` attribute, no script URL, no shortcode placeholder
//!   in an attribute;
//! - a slug is `[a-z0-9-]`, never empty when the text has a letter or digit, and the same
//!   when slugified again; a normal form of an address is its own normal form;
//! - every accepted output path, and every path the dev server accepts, names a file inside
//!   the folder it is joined to.
//!
//! Not part of wemi's interface: hidden from its documentation, and free to change.

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use crate::base::error::Diagnostic;
use crate::base::layout::CONTENT_DIR;
use crate::base::script_url;
use crate::base::site_path;
use crate::base::slug::{is_slug, slugify};
use crate::config::Config;
use crate::content::data;
use crate::content::document::{self, Document};
use crate::content::front_matter;
use crate::content::source::{SourceFile, SourceKind};
use crate::markdown;
use crate::markdown::shortcodes::{self, PLACEHOLDER_PREFIX};
use crate::output::{self, OutputPath, UnsafePath};
use crate::render::bodies::Bodies;
use crate::serve::http::request;
use crate::site;
use crate::site::links::Unparsed;

/// An entry point: runs its part of wemi on the bytes, panics when an invariant fails.
pub type Entry = fn(&[u8]);

/// Every target by the name of its folder under `fuzz/corpus/` and `fuzz/regressions/`.
pub const TARGETS: [(&str, Entry); 4] = [
    ("front_matter", front_matter),
    ("markdown", markdown),
    ("paths", paths),
    ("serve_target", serve_target),
];

/// The site every target reads content with: a taxonomy that is also a typed field, and a
/// schema for `spazi/` with a field of each kind, all optional but one inside an object, so
/// that most front matter gets through to the schema checks.
const SITE_YAML: &str = "\
title: Fuzz
base_url: https://example.org/sub/
taxonomies:
  - name: municipio
  - name: tags
schemas:
  spazi:
    title: { type: string }
    description: { type: text }
    municipio: { type: integer, min: 1, max: 9 }
    status: { type: enum, values: [open, closed] }
    address:
      type: object
      fields:
        street: { type: string, required: true }
        city: { type: string, default: Milano }
    geo: { type: geo, bounds: { lat: [45.38, 45.54], lon: [9.04, 9.28] } }
    phone: { type: phone }
    email: { type: email }
    website: { type: url }
    opening_hours: { type: opening_hours }
    servizi: { type: list, items: { type: reference, section: servizi } }
    offers: { type: list, items: { type: string } }
    capacity: { type: number, min: 0.5 }
    wheelchair: { type: bool }
    opened: { type: date }
    event: { type: datetime }
";

/// The folder output and served paths are joined to in the checks.
const OUTPUT: &str = "/srv/public";

fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| Config::parse(SITE_YAML, None).expect("the fuzz site.yaml is valid"))
}

fn source(relative: &str, kind: SourceKind) -> SourceFile {
    SourceFile {
        path: PathBuf::from(CONTENT_DIR).join(relative),
        relative: relative.to_string(),
        kind,
        lang: config().language.clone(),
        translation_key: relative.to_string(),
    }
}

/// A content file and data files: the front matter split, its YAML read and checked (as a
/// page with a schema and as a section), and the same bytes as a YAML, JSON and CSV data file.
pub fn front_matter(data: &[u8]) {
    let shown = Path::new("data/fuzz");
    for format in [data::Format::Yaml, data::Format::Json, data::Format::Csv] {
        if let Err(errors) = data::parse(shown, format, data) {
            check_diagnostics(&errors, &[(shown, &String::from_utf8_lossy(data))]);
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(split) = front_matter::split(text) {
        let yaml_at = text.find('\n').map_or(text.len(), |i| i + 1);
        assert!(
            text[yaml_at..].starts_with(split.yaml),
            "the YAML follows the first line"
        );
        assert!(text.ends_with(split.body), "the body ends the file");
        assert!(
            !split.yaml.lines().any(|line| line.trim_end() == "---"),
            "the YAML holds no closing line"
        );
    }
    for (relative, kind) in [
        ("spazi/pagina.md", SourceKind::Page),
        ("notizie/_index.md", SourceKind::Section),
    ] {
        let file = source(relative, kind);
        let shown = document::shown_path(&file);
        match document::parse(file, text, config()) {
            Ok(doc) => check_document(&doc),
            Err(rejected) => check_diagnostics(&rejected.errors, &[(&shown, text)]),
        }
    }
}

/// What holds of every document that parsed.
fn check_document(doc: &Document) {
    if let Some(slug) = &doc.meta.slug {
        assert!(is_slug(slug), "accepted slug {slug:?}");
    }
    for alias in &doc.meta.aliases {
        assert_eq!(
            site_path::normalize(&format!("/{}", alias.path)).as_ref(),
            Ok(&alias.path),
            "an alias's path is in normal form"
        );
    }
    for terms in doc.meta.taxonomies.values() {
        assert!(terms.iter().all(|t| is_slug(&slugify(t))), "{terms:?}");
    }
    check_inert(&doc.body.html.text());
    check_inert(doc.body.summary.as_deref().unwrap_or_default());
}

/// Every diagnostic names one of `files` (shown path and text) and, if any, a line of it.
fn check_diagnostics(errors: &[Diagnostic], files: &[(&Path, &str)]) {
    assert!(!errors.is_empty(), "a failure says why");
    for error in errors {
        let Some((_, text)) = files.iter().find(|(path, _)| *path == error.path) else {
            panic!("{error:?} names none of the files");
        };
        // `\r\n`, `\n` and a lone `\r` each end a line, as in editors.
        let lines = text.matches('\n').count() + text.matches('\r').count()
            - text.matches("\r\n").count()
            + 1;
        assert!(!error.message.is_empty(), "{error:?}");
        assert!(
            error.line.is_none_or(|l| (1..=lines).contains(&l)),
            "{error:?}"
        );
        assert!(error.column.is_none_or(|c| c >= 1), "{error:?}");
    }
}

/// Markdown, shortcodes and internal links: the bytes rendered with raw HTML on and off, their
/// shortcode calls extracted, and a site of two pages built from them (split at the first NUL,
/// or the same body twice) whose `@/…` links are resolved.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let rendered = markdown::render(text, false);
    check_inert(&rendered.html.text());
    check_inert(rendered.summary.as_deref().unwrap_or_default());
    markdown::render(text, true);

    let shortcodes::Extracted {
        text: body, calls, ..
    } = shortcodes::extract(text);
    let offsets = shortcodes::WrittenOffsets::new(&calls);
    // The lengths of the calls before this one, and of their placeholders.
    let (mut calls_before, mut placeholders_before) = (0, 0);
    for (n, call) in calls.iter().enumerate() {
        let written = &text[call.offset..call.offset + call.len];
        assert!(
            written.starts_with("{{") && written.ends_with("}}"),
            "{written:?}"
        );
        let placeholder = shortcodes::placeholder(n);
        let at = call.offset - calls_before + placeholders_before;
        assert!(
            body[at..].starts_with(&placeholder),
            "placeholder {n} in place"
        );
        assert_eq!(offsets.of(at), call.offset);
        calls_before += call.len;
        placeholders_before += placeholder.len();
    }

    let (first, second) = text.split_once('\0').unwrap_or((text, text));
    let files: Vec<(PathBuf, SourceFile, String)> = [("a.md", first), ("notizie/b.md", second)]
        .into_iter()
        .map(|(relative, body)| {
            let file = source(relative, SourceKind::Page);
            (
                document::shown_path(&file),
                file,
                format!("---\ntitle: Pagina\n---\n{body}"),
            )
        })
        .collect();
    let shown: Vec<(&Path, &str)> = files
        .iter()
        .map(|(path, _, text)| (path.as_path(), text.as_str()))
        .collect();
    let mut docs = Vec::new();
    for (_, file, text) in &files {
        match document::parse(file.clone(), text, config()) {
            Ok(doc) => docs.push(std::sync::Arc::new(doc)),
            Err(rejected) => check_diagnostics(&rejected.errors, &shown),
        }
    }
    if docs.len() < files.len() {
        return;
    }
    let (site, errors) = site::assemble(config().clone(), docs, Vec::new());
    if !errors.is_empty() {
        return check_diagnostics(&errors, &shown);
    }
    let (bodies, errors) = Bodies::linked(&site, &Unparsed::default());
    if !errors.is_empty() {
        return check_diagnostics(&errors, &shown);
    }
    let docs = site.pages.iter().map(|p| &p.doc);
    let all_bodies = bodies.pages.iter().chain(&bodies.sections);
    for (doc, body) in docs
        .chain(site.sections.iter().map(|s| &s.doc))
        .zip(all_bodies)
    {
        let html = body.html.text();
        check_inert(&html);
        for i in 0..doc.internal_links.len() {
            let placeholder = format!("href=\"{}{i}\"", markdown::INTERNAL_HREF);
            assert!(!html.contains(&placeholder), "link {i} resolved");
        }
    }
}

/// The tags pulldown-cmark writes for the extensions wemi enables.
const MARKDOWN_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "input",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The attributes pulldown-cmark writes, and wemi keeps of heading attributes.
const MARKDOWN_ATTRIBUTES: &[&str] = &[
    "alt", "checked", "class", "disabled", "href", "id", "src", "start", "style", "title", "type",
];

/// Panics unless `html` (markdown rendered with raw HTML off) is inert: only markdown's own
/// tags and attributes, a `style` only for a table cell's alignment, no script URL where a
/// browser follows one, no shortcode placeholder in an attribute. Text escapes every `<`,
/// so each `<` starts a tag.
fn check_inert(html: &str) {
    assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let (tag, after) = read_tag(&rest[open + 1..]);
        rest = after;
        let name = tag.name.to_ascii_lowercase();
        assert!(
            MARKDOWN_TAGS.contains(&name.as_str()),
            "tag {name:?} in {html}"
        );
        for (attribute, value) in tag.attributes {
            let attribute = attribute.to_ascii_lowercase();
            assert!(
                MARKDOWN_ATTRIBUTES.contains(&attribute.as_str()),
                "attribute {attribute:?} in {html}"
            );
            assert!(!value.contains(PLACEHOLDER_PREFIX), "placeholder in {html}");
            let value = decode_entities(&value);
            match attribute.as_str() {
                "style" => assert!(
                    ["left", "center", "right"]
                        .map(|a| format!("text-align: {a}"))
                        .contains(&value),
                    "style {value:?}"
                ),
                "href" | "src" => assert!(
                    script_url::scheme(&value).is_none(),
                    "script URL {value:?} in {html}"
                ),
                _ => {}
            }
        }
    }
}

/// A start or end tag as a browser reads it.
struct Tag {
    name: String,
    attributes: Vec<(String, String)>,
}

/// Reads the tag that starts after a `<`; returns it and the text after its `>`.
fn read_tag(text: &str) -> (Tag, &str) {
    let body = text.strip_prefix('/').unwrap_or(text);
    let name_len = body
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(body.len());
    let mut tag = Tag {
        name: body[..name_len].to_string(),
        attributes: Vec::new(),
    };
    let mut rest = &body[name_len..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return (tag, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (tag, after);
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_string();
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (text, next) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or_default())
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = text.to_string();
            rest = next;
        }
        tag.attributes.push((name, value));
    }
}

/// An attribute value as a browser reads it: markdown's writer escapes `&`, `<`, `>`, `"` and
/// `'`; any other `&` is kept, which can only make more values look like script URLs.
fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| entity.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Names and addresses: the bytes (as text) slugified, as an address written in content put
/// in normal form, as an output path, and slugified segment by segment into a page's path.
pub fn paths(data: &[u8]) {
    let text = String::from_utf8_lossy(data);

    let slug = slugify(&text);
    assert!(slug.is_empty() || is_slug(&slug), "slug {slug:?}");
    if text.chars().any(|c| c.is_ascii_alphanumeric()) {
        assert!(!slug.is_empty(), "{text:?} has a letter or digit");
    }
    assert_eq!(slugify(&slug), slug, "slugify is idempotent");

    if let Ok(normal) = site_path::normalize(&text) {
        assert!(!normal.starts_with('/'), "{normal:?}");
        let segments = normal.strip_suffix('/').unwrap_or(&normal);
        if !segments.is_empty() {
            assert!(
                segments.split('/').all(|s| !matches!(s, "" | "." | "..")),
                "{normal:?}"
            );
        }
        assert!(site_path::path_problem(&normal).is_none(), "{normal:?}");
        assert_eq!(
            site_path::normalize(&format!("/{normal}")).as_ref(),
            Ok(&normal),
            "a normal form is its own normal form"
        );
        // Its redirect page: only the length can stop it.
        let file = if normal.is_empty() || normal.ends_with('/') {
            format!("{normal}index.html")
        } else {
            normal.clone()
        };
        if let Err(why) = OutputPath::new(&file) {
            assert_eq!(why, UnsafePath::TooLong, "{file:?}");
        }
    }

    let accepted = OutputPath::new(&text);
    assert_eq!(
        output::checked(&text, "fuzz").is_ok(),
        accepted.is_ok(),
        "checked agrees with OutputPath"
    );
    if let Ok(path) = accepted {
        check_inside(path.as_str());
    }

    // A page's path made of slugs: only a name Windows reserves, or the length, can stop it.
    let slugs: Vec<String> = text.split('/').map(slugify).collect();
    if slugs.iter().all(|s| !s.is_empty()) {
        let page = format!("{}/index.html", slugs.join("/"));
        match OutputPath::new(&page) {
            Ok(path) => check_inside(path.as_str()),
            Err(why) => assert!(
                matches!(
                    why,
                    UnsafePath::TooLong
                        | UnsafePath::Segment(_, site_path::SegmentProblem::Reserved)
                ),
                "{page:?}: {why:?}"
            ),
        }
    }
}

/// Panics unless `path`, joined to [`OUTPUT`], names a file or folder inside it on any host.
fn check_inside(path: &str) {
    assert!(!path.starts_with('/'), "{path:?} is absolute");
    assert!(!path.contains(['\\', '\0']), "{path:?}");
    assert!(!path.split('/').any(|s| s == ".."), "{path:?}");
    let joined = Path::new(OUTPUT).join(path);
    assert!(joined.starts_with(OUTPUT), "{path:?}");
    let inside = joined
        .components()
        .skip(Path::new(OUTPUT).components().count());
    assert!(
        inside.clone().all(|c| matches!(c, Component::Normal(_))),
        "{path:?}"
    );
    let named = path.split('/').filter(|s| !s.is_empty()).count();
    assert_eq!(inside.count(), named, "{path:?}: every segment is a name");
}

/// The dev server's request targets: every path it accepts is inside the site.
pub fn serve_target(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(target) = request::parse_target(text) else {
        return;
    };
    assert!(target.raw.starts_with('/'), "{text:?}");
    assert!(!target.path.chars().any(char::is_control), "{text:?}");
    check_inside(&target.path);
    target.since();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(check: impl FnOnce() + std::panic::UnwindSafe) -> bool {
        std::panic::catch_unwind(check).is_err()
    }

    #[test]
    fn markdown_output_passes_the_inert_check() {
        let text = "# T {#t .c}\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] fatto\n\n\
                    [a](https://x.it/?a=1&b=2 \"t\") ![i](a.png) Nota[^1] `c`\n\n[^1]: n\n";
        check_inert(&markdown::render(text, false).html.text());
    }

    #[test]
    fn the_inert_check_catches_what_could_run() {
        for html in [
            "<script>alert(1)</script>",
            "<p><SCRIPT src=x></SCRIPT></p>",
            "<h2 id=\"a\" onfocus=\"alert(1)\" autofocus=\"\">T</h2>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"jav&#x61;script:alert(1)\">x</a>",
            "<a href=' java&#9;script:x'>x</a>",
            "<img src=data:text/html,x alt=\"\" />",
            "<td style=\"background: url(x)\">1</td>",
            "<iframe src=\"https://x.it/\"></iframe>",
            "<!-- x -->",
            "<a href=\"#\" title=\"WEMISHORTCODE0END\">x</a>",
        ] {
            assert!(fails(|| check_inert(html)), "{html}");
        }
    }

    #[test]
    fn the_inside_check_catches_every_escape() {
        for path in [
            "/etc/passwd",
            "a/../../x",
            "..",
            "a\\..\\x",
            "a\0b",
            "a/./b",
        ] {
            assert!(fails(|| check_inside(path)), "{path:?}");
        }
        for path in ["", "a/", "a/b/index.html", "a//b"] {
            check_inside(path);
        }
    }
}
