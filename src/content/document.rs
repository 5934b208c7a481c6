//! One content file parsed: checked front matter plus its markdown rendered to HTML.
//!
//! [`read`] does the I/O, [`parse`] works on the text, so tests and `wemi serve` can parse
//! from memory. Every problem becomes a diagnostic with the file's own line numbers (YAML
//! positions shifted by the opening `---`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use jiff::ZonedDateTime;

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::fs::{join_slashed, without_bom};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::layout::CONTENT_DIR;
use crate::base::markup;
use crate::base::position::{LineIndex, line_column};
use crate::base::script_url;
use crate::base::site_path;
use crate::base::slug::{is_slug, slugify};
use crate::base::yaml::outline::{Outline, OutlineKind};
use crate::base::yaml::{self, YamlValue};
use crate::config::SortBy;
use crate::config::schema::{self, Checker, Schema, Typed};
use crate::config::{BUILT_IN_FIELDS, Config, UnknownKeys};
use crate::content::front_matter::{self, RawFrontMatter};
use crate::content::placeholders;
use crate::content::source::{SourceFile, SourceKind};
use crate::markdown::shortcodes;
use crate::markdown::{self, RenderedMarkdown};

/// A document's terms: taxonomy name → its terms as written, by name. A short list, not a
/// `BTreeMap`, whose first node alone takes about half a kilobyte for every page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Taxonomies(Vec<(String, Vec<String>)>);

impl Taxonomies {
    /// The terms of `taxonomy`, when the document names any.
    pub fn get(&self, taxonomy: &str) -> Option<&Vec<String>> {
        self.position(taxonomy).ok().map(|i| &self.0[i].1)
    }

    /// Every taxonomy's terms, by taxonomy name.
    pub fn values(&self) -> impl Iterator<Item = &Vec<String>> {
        self.0.iter().map(|(_, terms)| terms)
    }

    /// Sets the terms of `taxonomy`.
    fn insert(&mut self, taxonomy: String, terms: Vec<String>) {
        match self.position(&taxonomy) {
            Ok(i) => self.0[i].1 = terms,
            Err(i) => self.0.insert(i, (taxonomy, terms)),
        }
    }

    fn position(&self, taxonomy: &str) -> Result<usize, usize> {
        self.0
            .binary_search_by(|(name, _)| name.as_str().cmp(taxonomy))
    }
}

impl serde::Serialize for Taxonomies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(name, terms)| (name, terms)))
    }
}

/// The checked front matter of a page or section.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    /// Title (always present for pages).
    pub title: Option<String>,
    /// One-sentence summary.
    pub description: Option<String>,
    /// Publication date, in the site's time zone.
    pub date: Option<ZonedDateTime>,
    /// Last update, in the site's time zone.
    pub updated: Option<ZonedDateTime>,
    /// Left out of the site unless drafts are asked for.
    pub draft: bool,
    /// An explicit slug (already checked to be one).
    pub slug: Option<String>,
    /// Ordering weight.
    pub weight: Option<i64>,
    /// Old addresses of this page, in normal form.
    pub aliases: Vec<Alias>,
    /// Template to render with, instead of the default.
    pub template: Option<String>,
    /// The line of the file where `template` is written, for an error about it.
    pub template_line: Option<usize>,
    /// Taxonomy name → terms.
    pub taxonomies: Taxonomies,
    /// Free values for templates.
    pub extra: YamlValue,
    /// How a section lists its pages (defaults for a page).
    pub listing: Listing,
}

/// An old address of a page or section, where a redirect page is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As written in the front matter (`/spazi//piazzetta`).
    pub written: String,
    /// Its site path in normal form ([`site_path::normalize`]): a folder (`spazi/piazzetta/`,
    /// `""` for the root) or an `.html`/`.htm` file (`pagina.html`).
    pub path: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

impl Alias {
    /// The output file of its redirect page: `spazi/piazzetta/index.html`, `pagina.html`.
    pub fn output(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// Listing options of a section's `_index.md`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Listing {
    /// Pages per listing page; `None` lists all on one page.
    pub paginate_by: Option<usize>,
    /// Order of the pages.
    pub sort_by: SortBy,
    /// Whether the section has its own feed.
    pub feed: bool,
}

/// A link of a document, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocatedLink {
    /// The destination as written.
    pub url: String,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column (in characters) in the file.
    pub column: usize,
}

/// A parsed content file.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from.
    pub source: SourceFile,
    /// Its checked front matter.
    pub meta: FrontMatter,
    /// The typed values of its section's schema fields, in schema order.
    pub fields: Vec<(String, Typed)>,
    /// Its body as HTML, with summary and table of contents; its links and shortcode calls are
    /// placeholders until the finishing stage (`render::bodies`) fills them in. Its lists of
    /// links are empty: they are moved, located, to `internal_links` and `external_links`.
    pub body: RenderedMarkdown,
    /// Its `@/…` links, in the order of `body.internal_links`.
    pub internal_links: Vec<LocatedLink>,
    /// Its `http(s)://` links.
    pub external_links: Vec<LocatedLink>,
    /// Its shortcode calls, in order (placeholder `n` is call `n`).
    pub shortcodes: Vec<LocatedCall>,
    /// The placeholders `wemi new` wrote that are still there, as errors ([`placeholders`]):
    /// the build decides whether they stop it.
    pub placeholders: Vec<Diagnostic>,
    /// Problems of the file that do not stop a build (unknown front matter keys under
    /// `front_matter.unknown_keys: warn`).
    pub warnings: Vec<Diagnostic>,
}

impl Document {
    /// This document, its body compressed when `pack` says so (on a big site:
    /// [`crate::markdown::packs_bodies`]).
    pub fn packed_if(mut self, pack: bool) -> Document {
        if pack {
            self.body.html = self.body.html.packed();
        }
        self
    }
}

/// A shortcode call, located in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedCall {
    /// The call.
    pub call: shortcodes::Call,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

/// The path shown in messages for a content file.
pub fn shown_path(source: &SourceFile) -> PathBuf {
    join_slashed(Path::new(CONTENT_DIR), &source.relative)
}

/// A content file that did not parse: why, and the links of its body when that could be read,
/// so that they are checked in the same build as its other errors.
#[derive(Debug)]
pub struct Rejected {
    /// The file.
    pub source: SourceFile,
    /// Why it did not parse.
    pub errors: Vec<Diagnostic>,
    /// Its `@/…` links, when its body could be read (its front matter may be what is wrong).
    pub internal_links: Vec<LocatedLink>,
    /// The placeholders `wemi new` wrote that are still there, as in [`Document`].
    pub placeholders: Vec<Diagnostic>,
}

impl Rejected {
    /// `source` rejected for `errors`, before its body was read.
    pub fn without_body(source: SourceFile, errors: Vec<Diagnostic>) -> Rejected {
        Rejected {
            source,
            errors,
            internal_links: Vec::new(),
            placeholders: Vec::new(),
        }
    }
}

/// Reads and parses a page or section file.
pub fn read(source: SourceFile, config: &Config) -> Result<Document, Rejected> {
    match read_text(&source) {
        Ok(text) => parse(source, &text, config),
        Err(errors) => Err(Rejected::without_body(source, errors)),
    }
}

/// The text of a page or section file; an error when it cannot be read or is not UTF-8.
pub fn read_text(source: &SourceFile) -> Result<String, Vec<Diagnostic>> {
    // Read into a buffer that holds most pages whole, rather than asking the file's size and
    // position first as `File::read_to_end` does: two system calls less per file. Through
    // `take`, the plain reading loop runs; longer files grow the buffer as they are read.
    const MOST_PAGES: usize = 16 * 1024;
    let mut bytes = Vec::with_capacity(MOST_PAGES);
    let read = std::fs::File::open(&source.path)
        .and_then(|file| file.take(u64::MAX).read_to_end(&mut bytes));
    read.map_err(|err| {
        vec![Diagnostic::new(
            Code::io(&err),
            shown_path(source),
            msg!("cannot read the file: {error}", error = err),
        )]
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            // Everything before the error is valid, so it can be counted in characters.
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = line_column(valid, valid.len());
            Err(vec![
                Diagnostic::new(
                    Code::FileEncoding,
                    shown_path(source),
                    msg!("the file is not valid UTF-8 text"),
                )
                .at(line, column)
                .hint(msg!(
                    "save the file with the UTF-8 encoding (most editors offer it in \"Save as\")"
                )),
            ])
        }
    }
}

/// An error at the first NUL character of the text file shown as `path`, if it has one: a
/// file that has them is not text in UTF-8 (most often text saved as UTF-16, or not text at
/// all), and its characters would reach the site as they are.
pub fn nul_character(path: &Path, text: &str) -> Option<Diagnostic> {
    let offset = memchr::memchr(0, text.as_bytes())?;
    let (line, column) = line_column(text, offset);
    Some(
        Diagnostic::new(
            Code::FileEncoding,
            path,
            msg!("the file holds a NUL character, which text never has"),
        )
        .at(line, column)
        .hint(msg!(
            "save the file as UTF-8 text: a file saved as UTF-16 (\"Unicode\") or a file that is not text has NUL characters"
        )),
    )
}

/// Parses the text of a page or section file. Its front matter and its body are both read
/// when they can be, so that the errors of both come together.
pub fn parse(source: SourceFile, text: &str, config: &Config) -> Result<Document, Rejected> {
    let path = shown_path(&source);
    let text = without_bom(text);
    // Lines may end in `\r\n`, `\n` or (old Mac files) `\r`, even mixed in one file: all of
    // them end a line for YAML, markdown and editors, so all of them count in line numbers.
    let normalized;
    let text = if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    if let Some(nul) = nul_character(&path, text) {
        return Err(Rejected::without_body(source, vec![nul]));
    }
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(err) => return Err(Rejected::without_body(source, vec![err.diagnostic(&path)])),
    };
    let body_start = text.len() - split.body.len();
    let placeholders =
        placeholders::find(&path, text, split.yaml, split.yaml_line_offset, body_start);
    let front = parse_front_matter(&source, &path, &split, config);
    let body = parse_body(&path, text, split.body, config);
    match (front, body) {
        (Ok((meta, fields, warnings)), Ok(body)) => Ok(Document {
            source,
            meta,
            fields,
            body: body.markdown,
            internal_links: body.internal_links,
            external_links: body.external_links,
            shortcodes: body.shortcodes,
            placeholders,
            warnings,
        }),
        (front, body) => {
            let mut errors = front.err().unwrap_or_default();
            let internal_links = match body {
                Ok(body) => body.internal_links,
                Err(body_errors) => {
                    errors.extend(body_errors);
                    Vec::new()
                }
            };
            Err(Rejected {
                source,
                errors,
                internal_links,
                placeholders,
            })
        }
    }
}

/// The typed values of the schema's fields of a page, in schema order.
type SchemaFields = Vec<(String, Typed)>;

/// The checked front matter of a file, the typed values of its section's schema and the
/// warnings about it.
fn parse_front_matter(
    source: &SourceFile,
    path: &Path,
    split: &front_matter::Split,
    config: &Config,
) -> Result<(FrontMatter, SchemaFields, Vec<Diagnostic>), Vec<Diagnostic>> {
    let offset = split.yaml_line_offset;
    let yaml_error =
        |e: yaml::YamlError| vec![e.into_diagnostic(path, offset, yaml::KeyCodes::FRONT_MATTER)];
    let front_matter = yaml::Parsed::new(split.yaml).map_err(yaml_error)?;
    let raw: RawFrontMatter = front_matter
        .typed_all()
        .map_err(|errors| errors.into_iter().flat_map(yaml_error).collect::<Vec<_>>())?;
    let schema = (source.kind == SourceKind::Page)
        .then(|| source.relative.split_once('/'))
        .flatten()
        .and_then(|(section, _)| config.schemas.get(section));
    let checked = check(raw, source, split.yaml, offset, config, schema.is_some());
    let fields = match schema {
        Some(schema) => check_schema(schema, path, &front_matter, offset, config),
        None => Ok(Vec::new()),
    };
    let mut errors = script_urls(&front_matter, path, offset);
    match (checked, fields) {
        (Ok((meta, mut warnings)), Ok(fields)) if errors.is_empty() => {
            warnings.extend(typographic_quotes(&front_matter, path, offset));
            Ok((meta, fields, warnings))
        }
        (meta, fields) => {
            errors.extend(meta.err().unwrap_or_default());
            errors.extend(fields.err().unwrap_or_default());
            Err(errors)
        }
    }
}

/// A body parsed: its HTML and where its links and shortcode calls are written.
struct ParsedBody {
    markdown: RenderedMarkdown,
    internal_links: Vec<LocatedLink>,
    external_links: Vec<LocatedLink>,
    shortcodes: Vec<LocatedCall>,
}

/// Parses `body`, the part of the file `text` after its front matter.
fn parse_body(
    path: &Path,
    text: &str,
    body: &str,
    config: &Config,
) -> Result<ParsedBody, Vec<Diagnostic>> {
    let body_start = text.len() - body.len();
    // Shortcode calls, then each kind of link, are located in the order they are written.
    let mut lines = LineIndex::new(text);
    let rendered = markdown::render_body(body, config.unsafe_html).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| {
                let (line, column) = lines.locate(body_start + e.offset);
                Diagnostic::new(Code::ShortcodeSyntax, path, e.message)
                    .at(line, column)
                    .hint(msg!("write shortcodes as {{ name(key=\"value\") }}"))
            })
            .collect::<Vec<_>>()
    })?;
    let mut markdown = rendered.markdown;
    let shortcodes: Vec<LocatedCall> = rendered
        .calls
        .into_iter()
        .map(|call| {
            let (line, column) = lines.locate(body_start + call.offset);
            LocatedCall { call, line, column }
        })
        .collect();
    let refused: Vec<Diagnostic> = shortcodes
        .iter()
        .flat_map(|located| {
            let call = &located.call;
            call.args.iter().filter_map(|(key, arg)| match arg {
                shortcodes::Arg::Text(value) => script_url::in_value(value).map(|scheme| {
                    script_url::refused_argument(path, &call.name, key, scheme)
                        .at(located.line, located.column)
                }),
                _ => None,
            })
        })
        .collect();
    if !refused.is_empty() {
        return Err(refused);
    }
    let written = rendered.written;
    let mut without_alt: Vec<Diagnostic> = (markdown.images_without_alt.iter())
        .map(|&offset| {
            let (line, column) = lines.locate(body_start + written.of(offset));
            Diagnostic::new(
                Code::ContentImageAlt,
                path,
                msg!("this image has no text alternative for those who cannot see it"),
            )
            .at(line, column)
            .hint(msg!(
                "describe what the image shows between the brackets: ![L'ingresso dello spazio](foto.jpg)"
            ))
        })
        .collect();
    without_alt.extend(shortcodes.iter().filter_map(|located| {
        let call = &located.call;
        let empty = matches!(call.args.get("alt"), Some(shortcodes::Arg::Text(alt)) if alt.trim().is_empty());
        let decorative = call.args.get("decorativa") == Some(&shortcodes::Arg::Bool(true));
        (empty && !decorative).then(|| {
            Diagnostic::new(
                Code::ContentImageAlt,
                path,
                msg!(
                    "`alt` of {name} is empty: the image has no text alternative for those who cannot see it",
                    name = call.name
                ),
            )
            .at(located.line, located.column)
            .hint(msg!(
                "describe what the image shows in alt=\"…\"; for an image that adds nothing to the text, write decorativa=true"
            ))
        })
    }));
    if !without_alt.is_empty() {
        return Err(without_alt);
    }
    // The links are moved out of the markdown, not copied: the document keeps each URL once.
    let mut locate = |links: Vec<markdown::Link>| -> Vec<LocatedLink> {
        links
            .into_iter()
            .map(|l| {
                let (line, column) = lines.locate(body_start + written.of(l.offset));
                LocatedLink {
                    url: l.url,
                    line,
                    column,
                }
            })
            .collect()
    };
    let internal_links = locate(std::mem::take(&mut markdown.internal_links));
    let external_links = locate(std::mem::take(&mut markdown.external_links));
    Ok(ParsedBody {
        markdown,
        internal_links,
        external_links,
        shortcodes,
    })
}

/// Every string of the front matter (keys too) that is a script URL, where it is written: a
/// template may print any of them into an `href` (see [`script_url`]).
fn script_urls(
    front_matter: &yaml::Parsed,
    path: &std::path::Path,
    offset: usize,
) -> Vec<Diagnostic> {
    let test = |s: &str| script_url::in_value(s).is_some();
    front_matter
        .strings_where(true, &test)
        .into_iter()
        .filter_map(|(key, text, line, column)| {
            let scheme = script_url::in_value(&text)?;
            Some(script_url::refused_value(path, &key, scheme).at(line + offset, column))
        })
        .collect()
}

/// The warnings for values wholly between typographic quotes (`title: “Orari”`): YAML reads
/// them as letters, so the page would show them; a word processor's quotes, most often.
fn typographic_quotes(
    front_matter: &yaml::Parsed,
    path: &std::path::Path,
    offset: usize,
) -> Vec<Diagnostic> {
    let wrapped = |s: &str| {
        let mut chars = s.chars();
        let first = chars.next();
        let last = chars.next_back();
        first.zip(last).is_some_and(|(first, last)| {
            yaml::TYPOGRAPHIC_QUOTES.contains(&first) && yaml::TYPOGRAPHIC_QUOTES.contains(&last)
        })
    };
    front_matter
        .strings_where(false, &wrapped)
        .into_iter()
        .map(|(key, text, line, column)| {
            let inner = text.trim_matches(yaml::TYPOGRAPHIC_QUOTES);
            Diagnostic::new(
                Code::YamlTypographicQuotes,
                path,
                msg!(
                    "`{key}` is between typographic quotes, which YAML keeps as part of the text",
                    key = key
                ),
            )
            .at(line + offset, column)
            .hint(msg!(
                "use straight quotes or none: {key}: \"{inner}\"",
                key = key,
                inner = inner
            ))
            .warning()
        })
        .collect()
}

/// Checks the front matter against the section's schema: every wrong, missing or unknown
/// field, where it is written. Returns the typed values of the schema's own fields.
fn check_schema(
    schema: &Schema,
    path: &std::path::Path,
    front_matter: &yaml::Parsed,
    offset: usize,
    config: &Config,
) -> Result<Vec<(String, Typed)>, Vec<Diagnostic>> {
    let root = front_matter.nodes();
    let known: Vec<&str> = BUILT_IN_FIELDS
        .iter()
        .copied()
        .chain(config.taxonomies.iter().map(|t| t.name.as_str()))
        .collect();
    // Missing fields are reported at the opening `---` line: line 0 of the YAML.
    let block = yaml::Node {
        value: yaml::NodeValue::Null,
        line: 0,
        column: 1,
    };
    let mut checker = Checker {
        path,
        line_offset: offset,
        time_zone: &config.time_zone,
        errors: Vec::new(),
    };
    // `title` is required of every page already: the schema may describe it without a
    // second error when it is missing.
    let fields: std::borrow::Cow<[schema::Field]> = if schema
        .fields
        .iter()
        .any(|f| f.required && f.name == "title")
    {
        schema
            .fields
            .iter()
            .map(|f| schema::Field {
                required: f.required && f.name != "title",
                ..f.clone()
            })
            .collect()
    } else {
        std::borrow::Cow::Borrowed(&schema.fields)
    };
    let values = checker.object(&fields, &root, &known, &block);
    if !checker.errors.is_empty() {
        return Err(checker.errors);
    }
    Ok(values
        .into_iter()
        .filter(|(name, _)| !BUILT_IN_FIELDS.contains(&name.as_str()))
        .collect())
}

/// Checks what serde could not: required title, slug, taxonomies, unknown keys, aliases.
/// With a schema, unknown keys are the schema's to report; without one, what they are is
/// the site's `front_matter.unknown_keys`. Returns the front matter and its warnings.
fn check(
    raw: RawFrontMatter,
    source: &SourceFile,
    yaml_text: &str,
    offset: usize,
    config: &Config,
    has_schema: bool,
) -> Result<(FrontMatter, Vec<Diagnostic>), Vec<Diagnostic>> {
    let RawFrontMatter {
        title,
        description,
        date,
        updated,
        draft,
        slug,
        weight,
        aliases,
        template,
        extra,
        paginate_by,
        sort_by,
        feed,
        other,
    } = raw;
    let is_page = source.kind == SourceKind::Page;
    let mut check = FrontMatterCheck::new(shown_path(source), yaml_text, offset);
    if is_page {
        check.title(title.as_deref());
    }
    if let Some(slug) = &slug {
        check.slug(slug);
    }
    if let Some(template) = &template {
        check.template(template);
    }
    let template_line = template.as_ref().and_then(|_| check.key_line("template"));
    let aliases = check.aliases(aliases.unwrap_or_default());
    let extra = extra.unwrap_or_default();
    if !extra.is_map_or_null() {
        let error = check.at_key(
            Code::FrontMatterValue,
            "extra",
            msg!("`extra` must be a map of keys and values"),
        );
        check.errors.push(error.hint(msg!(
            "write `extra:` followed by indented `key: value` lines"
        )));
    }
    if is_page {
        check.section_only_keys(&[
            ("paginate_by", paginate_by.is_some()),
            ("sort_by", sort_by.is_some()),
            ("feed", feed.is_some()),
        ]);
    }
    if paginate_by == Some(0) {
        let error = check.at_key(
            Code::FrontMatterValue,
            "paginate_by",
            msg!("`paginate_by` must be at least 1"),
        );
        check.errors.push(error.hint(msg!(
            "write the number of pages per listing page, e.g. `paginate_by: 10`"
        )));
    }
    let (taxonomies, kept) = check.other_keys(other, config, has_schema);
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    let extra = extra.with_entries(kept);
    let front_matter = FrontMatter {
        title: title.map(|t| t.trim().to_string()),
        description,
        date: date.map(|d| d.resolve(&config.time_zone)),
        updated: updated.map(|d| d.resolve(&config.time_zone)),
        draft: draft.unwrap_or(false),
        slug,
        weight,
        aliases,
        template,
        template_line,
        taxonomies,
        extra,
        listing: Listing {
            paginate_by,
            sort_by: sort_by.unwrap_or_default(),
            feed: feed.unwrap_or(false),
        },
    };
    Ok((front_matter, check.warnings))
}

/// Front matter keys the site does not know, kept for templates under `extra`, as written.
type KeptKeys = Vec<(String, YamlValue)>;

/// The check of one file's front matter: where its keys and values are written, and the
/// problems found so far.
struct FrontMatterCheck<'a> {
    /// The file, as shown in messages.
    path: PathBuf,
    yaml_text: &'a str,
    /// Lines of the file before the YAML.
    offset: usize,
    /// The line of each top-level key, found once, when the first error needs them: a front
    /// matter may have thousands of keys.
    key_lines: std::cell::OnceCell<std::collections::HashMap<&'a str, usize>>,
    positions: ValuePositions<'a>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl<'a> FrontMatterCheck<'a> {
    fn new(path: PathBuf, yaml_text: &'a str, offset: usize) -> FrontMatterCheck<'a> {
        FrontMatterCheck {
            path,
            yaml_text,
            offset,
            key_lines: std::cell::OnceCell::new(),
            positions: ValuePositions::new(yaml_text, offset),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// A problem of kind `code` with the value of the top-level `key`, at the key's line.
    fn at_key(&self, code: Code, key: &str, message: Text) -> Diagnostic {
        let d = Diagnostic::new(code, &self.path, message);
        match self.key_line(key) {
            Some(line) => d.at(line, 1),
            None => d.at_line(1),
        }
    }

    /// The line of the file where the top-level `key` is written.
    fn key_line(&self, key: &str) -> Option<usize> {
        self.key_lines
            .get_or_init(|| yaml::key_lines(self.yaml_text))
            .get(key)
            .map(|line| line + self.offset)
    }

    /// A page needs a title.
    fn title(&mut self, title: Option<&str>) {
        if title.is_none_or(|t| t.trim().is_empty()) {
            self.errors.push(
                Diagnostic::new(
                    Code::FrontMatterRequired,
                    &self.path,
                    msg!("the required key `title` is missing or empty"),
                )
                .at_line(1)
                .hint(msg!("add a line `title: \"…\"` to the front matter")),
            );
        }
    }

    /// A slug is written as a slug, and can be published.
    fn slug(&mut self, slug: &str) {
        if !is_slug(slug) {
            let suggestion = slugify(slug);
            let hint = if suggestion.is_empty() {
                msg!("use lowercase letters, digits and hyphens, e.g. `slug: via-piazzetta`")
            } else {
                msg!("write `slug: {slug}`", slug = suggestion)
            };
            let error = self.at_key(
                Code::FrontMatterSlug,
                "slug",
                msg!(
                    "`slug` may contain only lowercase letters, digits and hyphens, found `{slug}`",
                    slug = slug
                ),
            );
            self.errors.push(error.hint(hint));
        } else if let Some(problem) = site_path::segment_problem(slug) {
            let error = self.at_key(
                Code::FrontMatterSlug,
                "slug",
                msg!(
                    "the `slug` cannot be published: {problem}",
                    problem = problem.describe(slug)
                ),
            );
            self.errors.push(error.hint(msg!(
                "write a longer slug, e.g. `slug: {slug}-1`",
                slug = slug
            )));
        }
    }

    /// The aliases that are site paths, each where it is written; the others are problems.
    fn aliases(&mut self, aliases: Vec<String>) -> Vec<Alias> {
        let mut checked = Vec::new();
        for (i, written) in aliases.into_iter().enumerate() {
            let (line, column) = self.positions.item("aliases", i);
            match alias_path(&written) {
                Ok(normal) => checked.push(Alias {
                    written,
                    path: normal,
                    line,
                    column,
                }),
                Err(problem) => self.errors.push(
                    Diagnostic::new(
                        Code::FrontMatterAlias,
                        &self.path,
                        problem.describe_alias(&written),
                    )
                    .at(line, column)
                    .hint(problem.alias_hint()),
                ),
            }
        }
        checked
    }

    /// A `template` names an HTML template: a page is written as HTML, and only those
    /// templates escape what they print (a CSV or text template would put an editor's markup
    /// into the page as it is).
    fn template(&mut self, template: &str) {
        if !markup::is_page_template(template) {
            let error = self.at_key(
                Code::FrontMatterValue,
                "template",
                msg!(
                    "`template` must name an HTML template (ending in `.html`), found `{template}`",
                    template = template
                ),
            );
            self.errors.push(error.hint(msg!(
                "name one of the theme's page templates, e.g. `template: page.html`, or remove the line"
            )));
        }
    }

    /// Keys a page may not have, with whether it has each.
    fn section_only_keys(&mut self, keys: &[(&str, bool)]) {
        for &(key, set) in keys {
            if set {
                let error = self.at_key(
                    Code::FrontMatterSectionOnly,
                    key,
                    msg!("`{key}` applies only to sections", key = key),
                );
                self.errors
                    .push(error.hint(msg!("move it to the section's _index.md, or remove it")));
            }
        }
    }

    /// The terms of each taxonomy among the keys serde did not know, and the other such keys
    /// that the site keeps for templates (`front_matter.unknown_keys`); without that setting
    /// such a key is a problem, unless a schema checks them.
    fn other_keys(
        &mut self,
        other: BTreeMap<String, YamlValue>,
        config: &Config,
        has_schema: bool,
    ) -> (Taxonomies, KeptKeys) {
        let mut taxonomies = Taxonomies::default();
        let mut kept = Vec::new();
        for (key, value) in other {
            if config.taxonomies.iter().any(|t| t.name == key) {
                if let Some(terms) = self.terms(&key, &value) {
                    taxonomies.insert(key, terms);
                }
            } else if !has_schema {
                match config.unknown_keys {
                    UnknownKeys::Error => self.unknown_key(&key, config),
                    UnknownKeys::Warn => {
                        self.kept_key_warning(&key, config);
                        kept.push((key, value));
                    }
                    UnknownKeys::Extra => kept.push((key, value)),
                }
            }
        }
        (taxonomies, kept)
    }

    /// The terms of taxonomy `key`, `None` when there is none; a value that is not a term
    /// or a list of terms, or a term that cannot have an address, is a problem.
    fn terms(&mut self, key: &str, value: &YamlValue) -> Option<Vec<String>> {
        match value.terms() {
            Some(terms) if terms.iter().all(|t| !t.trim().is_empty()) => {
                for (i, term) in terms.iter().enumerate() {
                    if let Some((message, hint)) = term_problem(key, term) {
                        let (line, column) = self.positions.item(key, i);
                        self.errors.push(
                            Diagnostic::new(Code::FrontMatterTerm, &self.path, message)
                                .at(line, column)
                                .hint(hint),
                        );
                    }
                }
                (!terms.is_empty()).then_some(terms)
            }
            _ => {
                let error = self.at_key(
                    Code::FrontMatterValue,
                    key,
                    msg!("`{key}` must be a value or a list of values", key = key),
                );
                self.errors
                    .push(error.hint(msg!("write `{key}: 4` or `{key}: [4, 5]`", key = key)));
                None
            }
        }
    }

    /// `key` is neither a field nor a taxonomy: the closest of them, or where free values go.
    fn unknown_key(&mut self, key: &str, config: &Config) {
        let hint = match closest_known(key, config) {
            Some(best) => msg!("did you mean `{best}`?", best = best),
            None => msg!(
                "put free values under `extra:`, or declare `{key}` as a taxonomy in site.yaml",
                key = key
            ),
        };
        let error = self.at_key(
            Code::FrontMatterUnknownKey,
            key,
            msg!("unknown key `{key}`", key = key),
        );
        self.errors.push(error.hint(hint));
    }

    /// `key` is neither a field nor a taxonomy, and the site keeps it for templates with a
    /// warning: the closest known key, or how to silence the warning.
    fn kept_key_warning(&mut self, key: &str, config: &Config) {
        let hint = match closest_known(key, config) {
            Some(best) => msg!("did you mean `{best}`?", best = best),
            None => msg!(
                "move it under `extra:`, or write `unknown_keys: extra` under `front_matter:` in site.yaml to keep such keys without a warning"
            ),
        };
        let warning = self.at_key(
            Code::FrontMatterUnknownKey,
            key,
            msg!(
                "unknown key `{key}`, kept for templates as `page.extra.{key}`",
                key = key
            ),
        );
        self.warnings.push(warning.hint(hint).warning());
    }
}

/// The built-in key or taxonomy closest to `key`, if one is close enough to be a likely typo.
fn closest_known<'c>(key: &str, config: &'c Config) -> Option<&'c str> {
    let known = BUILT_IN_FIELDS
        .iter()
        .copied()
        .chain(config.taxonomies.iter().map(|t| t.name.as_str()));
    closest(key, known)
}

/// The site path of an alias: its normal form, in which a last name without `.html` or
/// `.htm` is a folder (`/vecchio` is `vecchio/`: its redirect page is `vecchio/index.html`).
fn alias_path(written: &str) -> Result<String, site_path::UrlProblem> {
    let mut path = site_path::normalize(written)?;
    let name = path
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !name.is_empty() && !name.ends_with(".html") && !name.ends_with(".htm") {
        path.push('/');
    }
    Ok(path)
}

/// What keeps the taxonomy term `term` of `taxonomy` from having an address: its message and
/// hint.
fn term_problem(taxonomy: &str, term: &str) -> Option<(Text, Text)> {
    let slug = slugify(term);
    if slug.is_empty() {
        return Some((
            msg!(
                "cannot make a web address from the {taxonomy} `{term}`",
                taxonomy = taxonomy,
                term = term
            ),
            msg!("write the term with Latin letters or digits"),
        ));
    }
    let problem = site_path::segment_problem(&slug)?;
    Some((
        msg!(
            "the {taxonomy} `{term}` cannot be published: {problem}",
            taxonomy = taxonomy,
            term = term,
            problem = problem.describe(&slug)
        ),
        msg!("write the term in other words"),
    ))
}

/// Where the values of a front matter are written. The YAML is outlined only when a check
/// needs the position of a value (most front matter has no alias and no wrong term).
struct ValuePositions<'a> {
    yaml: &'a str,
    /// Lines of the file before the YAML.
    offset: usize,
    outline: std::cell::OnceCell<Outline>,
}

impl<'a> ValuePositions<'a> {
    fn new(yaml: &'a str, offset: usize) -> ValuePositions<'a> {
        ValuePositions {
            yaml,
            offset,
            outline: std::cell::OnceCell::new(),
        }
    }

    /// The file line and column of item `index` of the value of the top-level `key` (a
    /// scalar is its own item 0); the key's position when the outline cannot follow the
    /// value, line 1 when it cannot find the key.
    fn item(&self, key: &str, index: usize) -> (usize, usize) {
        let outline = self
            .outline
            .get_or_init(|| crate::base::yaml::outline::outline(self.yaml));
        let value = outline.get(key);
        let item = match value.map(|v| &v.kind) {
            Some(OutlineKind::List(_)) => value.and_then(|v| v.item(index)),
            Some(OutlineKind::Scalar(_)) if index == 0 => value,
            _ => None,
        };
        match item {
            Some(at) => (at.line + self.offset, at.column),
            None => outline
                .key_position(key)
                .map_or((1, 1), |(line, column)| (line + self.offset, column)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: t\nbase_url: https://x.it/\ntaxonomies:\n  - name: municipio\n",
            None,
        )
        .unwrap()
    }

    fn page(relative: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(relative),
            relative: relative.into(),
            kind: SourceKind::Page,
            lang: "it".into(),
            translation_key: relative.into(),
        }
    }

    #[test]
    fn parses_bom_crlf_and_dates() {
        let text = "\u{feff}---\r\ntitle: Ciao\r\ndate: 2018-10-26T17:00:00\r\nmunicipio: 4\r\n---\r\n# Testo\r\n";
        let doc = parse(page("a.md"), text, &config()).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Ciao"));
        assert_eq!(
            crate::base::date::rfc3339(doc.meta.date.as_ref().unwrap()),
            "2018-10-26T17:00:00+02:00"
        );
        assert_eq!(
            doc.meta.taxonomies.get("municipio"),
            Some(&vec!["4".to_string()])
        );
        assert!(doc.body.html.text().contains("<h1 id=\"testo\">Testo</h1>"));
    }

    #[test]
    fn errors_carry_file_lines() {
        let err = parse(page("a.md"), "---\ntitle: a\nweight: tre\n---\n", &config())
            .unwrap_err()
            .errors;
        assert_eq!(
            (err[0].code, err[0].line, err[0].column),
            (Code::FrontMatterValue, Some(3), Some(9))
        );

        let err = parse(
            page("a.md"),
            "---\ntitle: a\nmunicpio: 4\nslug: ../../x\n---\n",
            &config(),
        )
        .unwrap_err()
        .errors;
        assert_eq!(err.len(), 2);
        let unknown = err
            .iter()
            .find(|d| d.code == Code::FrontMatterUnknownKey)
            .unwrap();
        assert_eq!(unknown.line, Some(3));
        assert_eq!(unknown.hint.as_deref(), Some("did you mean `municipio`?"));
        let slug = err
            .iter()
            .find(|d| d.code == Code::FrontMatterSlug)
            .unwrap();
        assert_eq!(slug.line, Some(4));
        assert_eq!(slug.hint.as_deref(), Some("write `slug: x`"));
    }

    #[test]
    fn a_wrong_front_matter_does_not_hide_the_body() {
        // Its links are kept to be checked, and the body's own errors come with the front
        // matter's.
        let rejected = parse(
            page("a.md"),
            "---\ntitle: a\nweight: tre\n---\nVedi [b](@/b.md#orari).\n",
            &config(),
        )
        .unwrap_err();
        assert_eq!(rejected.source.relative, "a.md");
        assert_eq!(rejected.errors.len(), 1);
        assert_eq!(rejected.errors[0].code, Code::FrontMatterValue);
        let link = &rejected.internal_links[0];
        assert_eq!(
            (link.url.as_str(), link.line, link.column),
            ("@/b.md#orari", 5, 6)
        );

        let rejected = parse(
            page("a.md"),
            "---\ntitle: [a\n---\n{{ card(x=via) }}\n",
            &config(),
        )
        .unwrap_err();
        let at: Vec<_> = (rejected.errors.iter())
            .map(|d| (d.code, d.line, d.column))
            .collect();
        // The YAML error where the list opens, the shortcode's at its argument.
        assert_eq!(
            at,
            [
                (Code::YamlUnclosedBracket, Some(2), Some(8)),
                (Code::ShortcodeSyntax, Some(4), Some(11))
            ],
            "{rejected:?}"
        );
    }

    #[test]
    fn aliases_are_kept_in_normal_form_where_they_are_written() {
        let doc = parse(
            page("a.md"),
            "---\ntitle: a\naliases:\n  - /Vecchio//a/./index.html\n  - /b\n  - /c.HTML\n  - /\n---\n",
            &config(),
        )
        .unwrap();
        let aliases: Vec<(&str, String, usize, usize)> = doc
            .meta
            .aliases
            .iter()
            .map(|a| (a.path.as_str(), a.output(), a.line, a.column))
            .collect();
        assert_eq!(
            aliases,
            [
                ("Vecchio/a/", "Vecchio/a/index.html".into(), 4, 5),
                ("b/", "b/index.html".into(), 5, 5),
                ("c.HTML", "c.HTML".into(), 6, 5),
                ("", "index.html".into(), 7, 5),
            ]
        );
        let err = parse(
            page("a.md"),
            "---\ntitle: a\naliases: [/a/, \"https://x.it/\"]\nmunicipio: con\n---\n",
            &config(),
        )
        .unwrap_err()
        .errors;
        let at: Vec<(Code, Option<usize>, Option<usize>)> =
            err.iter().map(|d| (d.code, d.line, d.column)).collect();
        assert_eq!(
            at,
            [
                (Code::FrontMatterAlias, Some(3), Some(16)),
                (Code::FrontMatterTerm, Some(4), Some(12))
            ]
        );
    }

    #[test]
    fn any_line_ending_counts_a_line() {
        // `\r\n`, `\n` and a lone `\r` (old Mac files), mixed.
        let text = "---\r\ntitle: a\rslug: Via Roma\n---\r[x](@/b.md)\r\n";
        let err = parse(page("a.md"), text, &config()).unwrap_err().errors;
        assert_eq!(err[0].line, Some(3));
        let doc = parse(
            page("a.md"),
            &text.replace("Via Roma", "via-roma"),
            &config(),
        )
        .unwrap();
        assert_eq!(
            (doc.internal_links[0].line, doc.internal_links[0].column),
            (5, 1)
        );
    }

    #[test]
    fn nul_characters_and_bad_bytes_are_errors_where_they_are() {
        let err = parse(page("a.md"), "---\ntitle: a\n---\nperché \0\n", &config())
            .unwrap_err()
            .errors;
        assert_eq!(
            (err[0].code, err[0].line, err[0].column),
            (Code::FileEncoding, Some(4), Some(8))
        );
        assert_eq!(
            err[0].message_it.as_deref(),
            Some("il file contiene un carattere NUL, che un testo non ha mai")
        );
        // A byte that is not UTF-8, after accented letters: the column counts characters.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, b"---\ntitle: a\n---\n\xc3\xa8\xc3\xa8 \xff\n").unwrap();
        let err = read_text(&SourceFile {
            path: file,
            ..page("a.md")
        })
        .unwrap_err();
        assert_eq!((err[0].line, err[0].column), (Some(4), Some(4)));
    }

    #[test]
    fn missing_title_and_front_matter() {
        let err = parse(page("a.md"), "---\ndraft: true\n---\n", &config())
            .unwrap_err()
            .errors;
        assert_eq!(err[0].code, Code::FrontMatterRequired);
        let err = parse(page("a.md"), "Solo testo\n", &config())
            .unwrap_err()
            .errors;
        assert_eq!(err[0].code, Code::FrontMatterMissing);
        let err = parse(page("a.md"), "", &config()).unwrap_err().errors;
        assert_eq!(err[0].line, Some(1));
    }

    #[test]
    fn messages_in_italian() {
        let err = parse(
            page("a.md"),
            "---\ntitle: a\nmunicpio: 4\nslug: Via Roma\n---\n",
            &config(),
        )
        .unwrap_err()
        .errors;
        let unknown = err.iter().find(|d| d.message.contains("municpio")).unwrap();
        assert_eq!(
            unknown.message_it.as_deref(),
            Some("chiave sconosciuta `municpio`")
        );
        assert_eq!(
            unknown.hint_it.as_deref(),
            Some("forse intendevi `municipio`?")
        );
        let slug = err.iter().find(|d| d.message.contains("slug")).unwrap();
        assert_eq!(
            slug.message_it.as_deref(),
            Some(
                "`slug` può contenere solo lettere minuscole, cifre e trattini, trovato `Via Roma`"
            )
        );
        assert_eq!(slug.hint_it.as_deref(), Some("scrivi `slug: via-roma`"));

        let err = parse(page("a.md"), "Solo testo\n", &config())
            .unwrap_err()
            .errors;
        assert_eq!(
            err[0].message_it.as_deref(),
            Some("il file non inizia con l'intestazione (front matter)")
        );
        let err = parse(
            page("a.md"),
            "---\ntitle: a\n---\n{{ card(x=via) }}\n",
            &config(),
        )
        .unwrap_err()
        .errors;
        assert_eq!(
            err[0].message_it.as_deref(),
            Some(
                "`via` non è un valore: scrivi il testo tra virgolette (\"via\"), un numero, true o false"
            )
        );
    }

    #[test]
    fn taxonomies_are_kept_by_name_and_serialise_as_a_map() {
        let mut terms = Taxonomies::default();
        terms.insert("servizi".into(), vec!["a".into()]);
        terms.insert("municipio".into(), vec!["4".into()]);
        terms.insert("servizi".into(), vec!["b".into()]);
        assert_eq!(terms.get("servizi"), Some(&vec!["b".to_string()]));
        assert_eq!(terms.get("tags"), None);
        assert_eq!(
            serde_json::to_string(&terms).unwrap(),
            r#"{"municipio":["4"],"servizi":["b"]}"#
        );
    }
}
