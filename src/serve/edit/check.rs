//! The build's own checks of a text the editor has not saved yet, and its preview.
//!
//! [`placed`] puts a diagnostic beside the field it is about (found by its line and column in
//! the front matter, through the outline), in the body, or on the page as a whole.
//! [`Previewer`] renders the whole site with a submitted text in place of the file's (its own
//! [`DocumentCache`] reads that file as the text, parsed or not, for one run), so that every
//! check of `wemi build` runs and all its errors are found at once, and keeps the page's HTML:
//! what the build writes for that page once the text is saved.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::base::error::{Diagnostic, Severity};
use crate::base::i18n::Lang;
use crate::base::layout::CONTENT_DIR;
use crate::base::progress::Progress;
use crate::base::yaml::outline::{Outline, OutlineKind, outline};
use crate::build::{Mode, Run, render_site};
use crate::config::Config;
use crate::content::cache::DocumentCache;
use crate::content::front_matter;
use crate::output::OutputFile;

/// One problem, placed: beside a field, in the body, or for the page as a whole.
#[derive(Debug, serde::Serialize, Clone, PartialEq)]
pub struct FieldError {
    /// Path into values: `["address","street"]`, `["servizi",2]`.
    pub field: Option<Vec<Value>>,
    /// True when it is in the body.
    pub body: bool,
    /// Line in the body (`body: true`) or in the file.
    pub line: Option<usize>,
    /// Column of that line.
    pub column: Option<usize>,
    /// The code as the CLI prints it: `schema.type`.
    pub code: String,
    /// In the editor's language, the CLI's own wording.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// `diagnostics` of one page placed: `front` is its front matter text (between the `---`
/// lines) when fields can be found, and then a diagnostic after it is in the body.
pub fn placed(diagnostics: &[Diagnostic], front: Option<&str>, lang: Lang) -> Vec<FieldError> {
    let tree = front.map(|yaml| (yaml, outline(yaml), line_starts(yaml)));
    diagnostics
        .iter()
        .map(|d| {
            let mut error = FieldError {
                field: None,
                body: false,
                line: d.line,
                column: d.column,
                code: d.code.as_str().to_string(),
                message: d.message_in(lang).to_string(),
                hint: d.hint_in(lang).map(str::to_string),
            };
            if let (Some((yaml, tree, starts)), Some(line)) = (&tree, d.line) {
                // The file's line 1 is the opening `---`, then the front matter's lines, then
                // the closing `---`.
                let yaml_lines = starts.len() - 1;
                if line > yaml_lines + 2 {
                    error.body = true;
                    error.line = Some(line - yaml_lines - 2);
                } else if line >= 2 {
                    let column = d.column.unwrap_or(1);
                    error.field = offset_of(yaml, starts, line - 1, column)
                        .map(|offset| path_at(tree, offset))
                        .filter(|path| !path.is_empty());
                }
            }
            error
        })
        .collect()
}

/// Where each line of `text` starts, and its end: one more entry than it has `\n`s.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// The byte offset of 1-based `line`, `column` (in characters) of `text`, whose lines start
/// at `starts`.
fn offset_of(text: &str, starts: &[usize], line: usize, column: usize) -> Option<usize> {
    let start = *starts.get(line - 1)?;
    let end = starts.get(line).copied().unwrap_or(text.len());
    let rest = text.get(start..end)?;
    let within = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The path of the deepest key or value of `tree` written at `offset` (a key counts as its
/// value: an error at `municipio:` is about the municipio).
fn path_at(tree: &Outline, offset: usize) -> Vec<Value> {
    let mut path = Vec::new();
    let mut here = tree;
    loop {
        let next = match &here.kind {
            // Entries and items are in the order they are written: the one at `offset` is
            // the last that starts before it (found by bisection, so that placing many errors
            // in a long list stays linear).
            OutlineKind::Map(entries) => here
                .key_spans
                .partition_point(|key| key.start <= offset)
                .checked_sub(1)
                .and_then(|i| {
                    let ((key, _, value), key_span) = (entries.get(i)?, &here.key_spans[i]);
                    let at_key = key_span.contains(&offset);
                    let in_value = value.span.contains(&offset) || value.span.start == offset;
                    (at_key || in_value).then_some((Value::String(key.clone()), value, at_key))
                }),
            OutlineKind::List(items) => items
                .partition_point(|item| item.span.start <= offset)
                .checked_sub(1)
                .map(|i| (i, &items[i]))
                .filter(|(_, item)| item.span.contains(&offset) || item.span.start == offset)
                .map(|(i, item)| (Value::from(i), item, false)),
            OutlineKind::Scalar(_) => None,
        };
        match next {
            Some((step, value, at_key)) => {
                path.push(step);
                if at_key {
                    return path;
                }
                here = value;
            }
            None => return path,
        }
    }
}

/// The outcome of a check.
pub struct Checked {
    /// Every problem the build finds with the text in place.
    pub errors: Vec<FieldError>,
    /// Whether the site rendered (and the page has a new preview).
    pub rendered: bool,
}

/// The preview state kept between requests: its own DocumentCache, the last previews.
pub struct Previewer {
    root: PathBuf,
    base_url: String,
    cache: DocumentCache,
    previews: HashMap<String, Arc<Vec<u8>>>,
}

impl Previewer {
    /// A previewer of the site at `root`, served at `base_url`.
    pub fn new(root: PathBuf, base_url: String) -> Previewer {
        Previewer {
            root,
            base_url,
            cache: DocumentCache::default(),
            previews: HashMap::new(),
        }
    }

    /// Checks `text` as the content of `file` with the build's own code (the document's
    /// checks, then the whole site rendered with this file's text in place of the disk's, drafts
    /// included) and, when it renders, keeps the page's HTML as the preview of `page`.
    pub fn check(&mut self, page: &str, text: &[u8], lang: Lang) -> Checked {
        let shown = Path::new(CONTENT_DIR).join(page);
        let outcome = self.render(page, text);
        let front = std::str::from_utf8(text)
            .ok()
            .and_then(|t| front_matter::split(crate::base::fs::without_bom(t)).ok())
            .map(|split| split.yaml.replace("\r\n", "\n"));
        let (diagnostics, rendered) = match outcome {
            Ok(html) => {
                self.previews.insert(page.to_string(), Arc::new(html));
                (Vec::new(), true)
            }
            Err(diagnostics) => (diagnostics, false),
        };
        let (own, others): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .partition(|d| d.path == shown);
        let mut errors = placed(&own, front.as_deref(), lang);
        // A problem in another file (a link to this page removed, a template) is shown for
        // the page as a whole, naming its file.
        errors.extend(placed(&others, None, lang).into_iter().zip(&others).map(
            |(mut error, d)| {
                let place = match (d.line, d.column) {
                    (Some(line), Some(column)) => format!(":{line}:{column}"),
                    (Some(line), None) => format!(":{line}"),
                    _ => String::new(),
                };
                error.message = format!("{}{place}: {}", d.path.display(), error.message);
                error.line = None;
                error.column = None;
                error
            },
        ));
        Checked { errors, rendered }
    }

    /// The page's HTML rendered with `text` as its file's, or every error found.
    fn render(&mut self, page: &str, text: &[u8]) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let config = Config::load(&self.root, Some(&self.base_url)).map_err(|e| e.diagnostics)?;
        let Ok(text) = std::str::from_utf8(text) else {
            let shown = Path::new(CONTENT_DIR).join(page);
            return Err(vec![crate::base::error::Diagnostic::new(
                crate::base::error::Code::FileEncoding,
                shown,
                crate::base::i18n::msg!("the file is not valid UTF-8 text"),
            )]);
        };
        // The site is built around this text, parsed or not, so that every error a build
        // would report with it on disk is found at once (a wrong field and a broken link).
        self.cache.substitute(page, text);
        let run = Run {
            root: &self.root,
            drafts: true,
            mode: Mode::Serve(&mut self.cache, None),
            progress: &Progress::default(),
            listing: None,
        };
        let rendered = render_site(config, run);
        // The next run reads the file as it is on disk.
        self.cache.end_substitute();
        let rendered = rendered.map_err(|e| e.diagnostics)?;
        let site = &rendered.site;
        let target = site
            .pages
            .iter()
            .map(|p| (&p.doc, &p.path))
            .chain(site.sections.iter().map(|s| (&s.doc, &s.path)))
            .find(|(doc, _)| doc.source.relative == page)
            .map(|(_, path)| path.clone());
        let Some(site_path) = target else {
            return Err(Vec::new());
        };
        let output = if site_path.is_empty() || site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path
        };
        match rendered.output.get(&output) {
            Some(OutputFile::Rendered(bytes)) => Ok(bytes.clone()),
            _ => Err(Vec::new()),
        }
    }

    /// The last preview HTML of `page`.
    pub fn preview(&self, page: &str) -> Option<Arc<Vec<u8>>> {
        self.previews.get(page).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::edit::form;
    use serde_json::json;

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }

    /// The `typed` fixture site with the test theme, in a temporary folder.
    fn typed_site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        copy_dir(&fixtures.join("typed"), &root);
        copy_dir(&fixtures.join("_theme"), &root.join("themes/test"));
        (dir, root)
    }

    const PAGE: &str = "spazi/via-piazzetta.md";

    /// The page's text with `values` changed as the form would send them, and a new body.
    fn edited(root: &Path, change: impl FnOnce(&mut Value), body: &str) -> Vec<u8> {
        let config = Config::load(root, None).unwrap();
        let file = root.join("content").join(PAGE);
        let page = form::open(root, &config, PAGE, &file).unwrap();
        let mut values = page.values.clone();
        change(&mut values);
        let original = std::fs::read(&file).unwrap();
        form::apply(&original, &config, "spazi/via-piazzetta.md", &values, body).unwrap()
    }

    #[test]
    fn the_preview_is_what_the_build_writes_once_the_text_is_saved() {
        let (_dir, root) = typed_site();
        let file = root.join("content").join(PAGE);
        let on_disk = std::fs::read(&file).unwrap();
        let text = edited(
            &root,
            |v| v["municipio"] = json!("5"),
            "Lo spazio di via **Piazzetta**, rinnovato.\n",
        );
        let mut previewer = Previewer::new(root.clone(), "https://example.org/".to_string());
        let checked = previewer.check(PAGE, &text, Lang::It);
        assert!(checked.errors.is_empty(), "{:?}", checked.errors);
        assert!(checked.rendered);
        let preview = previewer.preview(PAGE).unwrap();
        let html = String::from_utf8_lossy(&preview);
        assert!(
            html.contains("<strong>Piazzetta</strong>, rinnovato."),
            "{html}"
        );
        // Checking wrote nothing.
        assert_eq!(std::fs::read(&file).unwrap(), on_disk);

        std::fs::write(&file, &text).unwrap();
        let output = root.join("public");
        crate::build::build(&crate::build::BuildOptions {
            root: root.clone(),
            output: Some(output.clone()),
            base_url: None,
            drafts: false,
        })
        .unwrap();
        let built = std::fs::read(output.join("spazi/via-piazzetta/index.html")).unwrap();
        assert_eq!(String::from_utf8_lossy(&built), html);
    }

    #[test]
    fn errors_are_placed_beside_their_field_and_in_the_body_in_the_editors_language() {
        let (_dir, root) = typed_site();
        let mut previewer = Previewer::new(root.clone(), "http://127.0.0.1:1111/".to_string());
        let good = edited(&root, |_| {}, "Testo.\n");
        assert!(previewer.check(PAGE, &good, Lang::It).rendered);
        let text = edited(
            &root,
            |v| {
                v["municipio"] = json!("12");
                v["address"]["street"] = json!("");
            },
            "Prima riga.\n\n![](foto.jpg)\n",
        );
        let checked = previewer.check(PAGE, &text, Lang::It);
        assert!(!checked.rendered);
        let fields: Vec<Option<Vec<Value>>> =
            checked.errors.iter().map(|e| e.field.clone()).collect();
        assert!(
            fields.contains(&Some(vec![json!("municipio")])),
            "{:?}",
            checked.errors
        );
        let body = checked.errors.iter().find(|e| e.body).unwrap();
        assert_eq!(
            (body.line, body.column, body.code.as_str()),
            (Some(3), Some(1), "content.image-alt")
        );
        assert!(body.message.contains("immagine"), "{}", body.message);
        // The last good preview stays.
        let preview = previewer.preview(PAGE).unwrap();
        assert!(String::from_utf8_lossy(&preview).contains("Testo."));
        let english = previewer.check(PAGE, &text, Lang::En);
        assert!(english.errors.iter().any(|e| e.message.contains("image")));
    }

    /// A text whose front matter is wrong is still checked with the site around it: every
    /// error `wemi check` reports with that text on disk is there, a broken link too.
    #[test]
    fn a_wrong_field_and_a_broken_link_are_both_reported_as_by_wemi_check() {
        let (_dir, root) = typed_site();
        let file = root.join("content").join(PAGE);
        let text = edited(
            &root,
            |v| v["municipio"] = json!("0"),
            "Vedi [un altro spazio](@/spazi/nessuno.md).\n",
        );
        let mut previewer = Previewer::new(root.clone(), "http://127.0.0.1:1111/".to_string());
        let checked = previewer.check(PAGE, &text, Lang::En);
        let mut found: Vec<(String, Option<usize>)> = checked
            .errors
            .iter()
            .map(|e| (e.code.clone(), e.line))
            .collect();
        found.sort();

        std::fs::write(&file, &text).unwrap();
        let options = crate::build::CheckOptions {
            root: root.clone(),
            drafts: true,
            external: false,
            strict: false,
        };
        let reported = crate::build::check(&options).unwrap_err().diagnostics;
        let front_lines = text
            .split(|b| *b == b'\n')
            .skip(1)
            .position(|l| l == b"---");
        let mut expected: Vec<(String, Option<usize>)> = reported
            .iter()
            .map(|d| {
                // The editor gives a body's lines from the body's start.
                let body = d.line.zip(front_lines).filter(|(l, f)| *l > f + 2);
                let line = body.map_or(d.line, |(l, f)| Some(l - f - 2));
                (d.code.as_str().to_string(), line)
            })
            .collect();
        expected.sort();
        assert_eq!(found, expected);
        assert!(expected.len() >= 2, "{expected:?}");
    }

    #[test]
    fn placed_finds_the_value_at_a_diagnostics_position() {
        let front = "title: x\naddress: { street: \"\", civic: 2 }\nlist:\n  - a\n  - b\n";
        let at = |line: usize, column: usize| {
            let d = Diagnostic::new(
                crate::base::error::Code::FrontMatterValue,
                "content/spazi/x.md",
                "wrong",
            )
            .at(line, column);
            placed(&[d], Some(front), Lang::En).remove(0)
        };
        assert_eq!(
            at(3, 20).field,
            Some(vec![json!("address"), json!("street")])
        );
        assert_eq!(at(3, 1).field, Some(vec![json!("address")]));
        assert_eq!(at(6, 5).field, Some(vec![json!("list"), json!(1)]));
        let body = at(8, 4);
        assert_eq!(
            (body.body, body.line, body.column, body.field),
            (true, Some(1), Some(4), None)
        );
        let whole = placed(
            &[Diagnostic::new(
                crate::base::error::Code::FrontMatterValue,
                "x",
                "wrong",
            )],
            Some(front),
            Lang::En,
        );
        assert_eq!((whole[0].field.clone(), whole[0].body), (None, false));
    }
}
