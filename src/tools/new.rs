//! `wemi new`: a new page of a section, its front matter already listing what the section's
//! schema asks for.
//!
//! Every field of the schema is written with its description as a comment above it. A required
//! field (and the publication date) gets a placeholder that passes the schema, so that the page
//! can be previewed at once, and a `# DA COMPLETARE` comment that says it must be replaced; the
//! text is a placeholder line. Until every placeholder is gone, `wemi build` refuses the page
//! ([`placeholders`]); it is also a draft (`draft: true`) until the editor deletes that line.
//! An optional field is written commented out, ready to be filled in. A section without a
//! schema gets `title`, `description` and `date`. [`render`] makes the text; [`create`] does
//! the I/O and never overwrites a file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil;

use crate::base::error::{Code, Diagnostic, Error, Result, closest};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::layout::CONTENT_DIR;
use crate::base::site_path;
use crate::base::slug::{is_slug, slugify};
use crate::config::Config;
use crate::config::schema::{Field, Kind, Schema};
use crate::content::front_matter::{self, RawFrontMatter};
use crate::content::placeholders;

/// The mark of a placeholder the editor must replace.
pub const TO_COMPLETE: &str = placeholders::MARKER;

/// What `wemi new` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOptions {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// The section's folder under `content/` (`spazi`, or `notizie/2024`).
    pub section: String,
    /// The page's title; its slug is the file name.
    pub title: String,
}

/// The page `wemi new` created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    /// Its path on disk (under the root).
    pub path: PathBuf,
    /// Its path relative to the root: `content/spazi/via-piazzetta.md`.
    pub relative: String,
}

impl NewPage {
    /// What `wemi new` prints.
    pub fn summary(&self) -> Text {
        msg!("Created {path}", path = self.path.display())
    }
}

/// What [`render`] needs to write a page.
#[derive(Debug, Clone, Copy)]
pub struct Scaffold<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The schema of its section, if it has one.
    pub schema: Option<&'a Schema>,
    /// Today, in the site's time zone.
    pub today: civil::Date,
    /// A published page of each section that the schema's references point to (section →
    /// file name without `.md`): the placeholder of a required reference.
    pub examples: &'a BTreeMap<String, String>,
}

/// `wemi new`: writes `content/<section>/<slug>.md`; refuses to overwrite anything.
pub fn create(options: &NewOptions) -> Result<NewPage> {
    let config = Config::load(&options.root, None)?;
    let section = section_folder(&options.section).ok_or_else(|| {
        usage(
            Code::NewSection,
            msg!(
                "`{section}` is not a folder of content/",
                section = options.section
            ),
            msg!("name the section's folder, such as `spazi` or `notizie`"),
        )
    })?;
    let section = section.as_str();
    let content = options.root.join(CONTENT_DIR);
    if !folder_exists_as_written(&content, section) {
        // A new folder is made for a new section, but not for a misspelt one.
        let first = section.split('/').next().unwrap_or(section);
        let folders: Vec<String> = std::fs::read_dir(&content)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        let known = folders
            .iter()
            .map(String::as_str)
            .chain(config.schemas.keys().map(String::as_str))
            .filter(|k| *k != first);
        if let Some(best) = closest(first, known) {
            return Err(usage(
                Code::NewSection,
                msg!("there is no section content/{section}/", section = section),
                msg!(
                    "did you mean `{best}`? To start a new section, create content/{section}/ first",
                    best = best,
                    section = section
                ),
            ));
        }
    }
    let title = options.title.trim();
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(usage(
            Code::NewTitle,
            msg!(
                "the title `{title}` has no letter or digit to name the file after",
                title = title
            ),
            msg!("write a title with Latin letters or digits, such as \"Nuovo spazio\""),
        ));
    }
    if let Some(problem) = site_path::segment_problem(&slug) {
        return Err(usage(
            Code::NewTitle,
            msg!(
                "the title would name the file {slug}.md: {problem}",
                slug = slug,
                problem = problem.describe(&slug)
            ),
            msg!("choose a longer title"),
        ));
    }
    if slug == "index" {
        return Err(usage(
            Code::NewTitle,
            msg!("the title would name the file index.md, which makes its folder a page"),
            msg!("choose a longer title"),
        ));
    }
    let relative = format!("content/{section}/{slug}.md");
    let path = crate::base::fs::join_slashed(&options.root, &relative);
    if !stays_in_content(&options.root, &path) {
        return Err(usage(
            Code::NewSection,
            msg!(
                "content/{section}/ is a symbolic link that leads out of content/",
                section = section
            ),
            msg!("create the page in a section that is a folder of content/"),
        ));
    }
    let bundle = format!("content/{section}/{slug}/index.md");
    if options.root.join(&bundle).exists() {
        return Err(exists(&relative, Some(&bundle)));
    }

    let schema = section
        .split('/')
        .next()
        .and_then(|first| config.schemas.get(first));
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(config.time_zone.clone())
        .date();
    let examples = schema
        .map(|s| example_pages(&options.root, s))
        .unwrap_or_default();
    let text = render(&Scaffold {
        title,
        schema,
        today,
        examples: &examples,
    });

    let io_error = |err: std::io::Error| {
        Error::site(vec![Diagnostic::new(
            Code::io(&err),
            &relative,
            msg!("cannot create the page: {error}", error = err),
        )])
    };
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(io_error)?;
    }
    // `create_new` refuses an existing file in the same call that creates it: no race with
    // an editor saving the same file meanwhile.
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(exists(&relative, None));
        }
        Err(err) => return Err(io_error(err)),
    };
    file.write_all(text.as_bytes()).map_err(io_error)?;
    Ok(NewPage { path, relative })
}

/// Whether the page at `path` would be written inside the site's `content/`, following any
/// link among the folders of its path that already exist (they are not written through).
fn stays_in_content(root: &Path, path: &Path) -> bool {
    let content = root.join(CONTENT_DIR);
    let Ok(content) = content.canonicalize() else {
        // No content/ yet: nothing to follow.
        return true;
    };
    path.ancestors()
        .skip(1)
        .find(|folder| folder.exists())
        .and_then(|folder| folder.canonicalize().ok())
        .is_some_and(|real| real.starts_with(&content))
}

fn usage(code: Code, message: Text, hint: Text) -> Error {
    Error::usage(vec![Diagnostic::new(code, "wemi new", message).hint(hint)])
}

/// The page is there already (as `bundle`, when it is a folder with `index.md`).
fn exists(relative: &str, bundle: Option<&str>) -> Error {
    let message = match bundle {
        Some(bundle) => msg!(
            "the page already exists as {bundle}: nothing was changed",
            bundle = bundle
        ),
        None => msg!("the page already exists: it was left as it is"),
    };
    Error::site(vec![
        Diagnostic::new(Code::NewExists, relative, message)
            .hint(msg!("choose another title, or edit the existing page")),
    ])
}

/// `spazi/` → `spazi`; `None` for anything that is not a plain folder under `content/`. A
/// backslash separates folders too (`notizie\2024\`, as typed or completed on Windows); a
/// folder name no host can hold (a device name Windows reserves, such as `con`) is refused.
fn section_folder(section: &str) -> Option<String> {
    let folder = section.replace('\\', "/");
    let folder = folder.trim_matches('/');
    let plain = !folder.is_empty()
        && folder.split('/').all(|s| {
            !s.is_empty() && !s.starts_with(['.', '_']) && site_path::segment_problem(s).is_none()
        });
    plain.then(|| folder.to_string())
}

/// True when `folder` (`/`-separated, under `content`) is there with the case it is written
/// in. Windows and macOS find `content/Spazi` for `content/spazi`: there the page would be
/// written into the section's folder without its schema, which is looked up by the exact name.
fn folder_exists_as_written(content: &Path, folder: &str) -> bool {
    let mut path = content.to_path_buf();
    folder.split('/').all(|name| {
        let listed = std::fs::read_dir(&path).is_ok_and(|entries| {
            entries
                .filter_map(|e| e.ok())
                .any(|e| e.file_name() == name && e.path().is_dir())
        });
        path.push(name);
        listed
    })
}

/// The first published page (by file name) of every section a reference of `schema` points to.
fn example_pages(root: &Path, schema: &Schema) -> BTreeMap<String, String> {
    let mut sections = Vec::new();
    for field in &schema.fields {
        referenced_sections(&field.kind, &mut sections);
    }
    sections
        .into_iter()
        .filter_map(|section| {
            let page = first_published(&root.join(CONTENT_DIR).join(&section))?;
            Some((section, page))
        })
        .collect()
}

fn referenced_sections(kind: &Kind, out: &mut Vec<String>) {
    match kind {
        Kind::Reference(section) if !out.contains(section) => out.push(section.clone()),
        Kind::List(item) => referenced_sections(item, out),
        Kind::Object(fields) => {
            for f in fields {
                referenced_sections(&f.kind, out);
            }
        }
        _ => {}
    }
}

fn first_published(folder: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .filter(|n| is_slug(n) && n != "index")
        .collect();
    names.sort();
    names.into_iter().find(|name| {
        let Ok(text) = std::fs::read_to_string(folder.join(format!("{name}.md"))) else {
            return false;
        };
        front_matter::split(&text.replace("\r\n", "\n")).is_ok_and(|split| {
            crate::base::yaml::parse::<RawFrontMatter>(split.yaml)
                .is_ok_and(|m| m.draft != Some(true))
        })
    })
}

/// The text of a new page.
pub fn render(page: &Scaffold<'_>) -> String {
    let declares = |name: &str| page.schema.is_some_and(|s| s.field(name).is_some());
    let mut out = String::from("---\n");
    out.push_str(DRAFT);
    if let Some(title) = page.schema.and_then(|s| s.field("title")) {
        out.push_str(&format!("# {}\n", about(title)));
    }
    out.push_str(&format!("title: {}\n", quoted(page.title)));
    if !declares("description") {
        out.push_str("# Una frase che riassume la pagina\ndescription: \"\"\n");
    }
    if !declares("date") {
        out.push_str(&format!(
            "# {DATE_ABOUT}\ndate: {} {}\n",
            page.today,
            placeholders::COMMENT
        ));
    }
    if let Some(schema) = page.schema {
        for field in schema.fields.iter().filter(|f| f.name != "title") {
            let required = is_required(field);
            write_field(&mut out, page, field, 0, required, false);
        }
    }
    out.push_str("---\n");
    out.push_str(placeholders::BODY);
    out.push('\n');
    out
}

/// The first lines of every new page: it stays out of the site until the editor says it is
/// complete.
const DRAFT: &str = "# Bozza: la pagina resta fuori dal sito finché c'è draft: true. \
                     Quando è completa, cancella questa riga e la seguente\ndraft: true\n";

/// The comment above the `date` of a page without a schema that declares one.
const DATE_ABOUT: &str = "Il giorno di pubblicazione della pagina, come 2018-10-26";

fn is_required(field: &Field) -> bool {
    field.required && field.default.is_none()
}

/// Writes one field at `depth`. `commented`: inside an optional group written as comments.
fn write_field(
    out: &mut String,
    page: &Scaffold<'_>,
    field: &Field,
    depth: usize,
    required: bool,
    commented: bool,
) {
    let pad = "  ".repeat(depth);
    let about = about(field);
    let name = &field.name;
    if commented {
        out.push_str(&format!("# {pad}{name}: # {about}\n"));
        if let Kind::Object(fields) = &field.kind {
            for f in fields {
                write_field(out, page, f, depth + 1, false, true);
            }
        }
        return;
    }
    out.push_str(&format!("{pad}# {about}\n"));
    // The publication date is a placeholder too, whatever the schema says of it: the day the
    // page was made is not the day it is published.
    if depth == 0 && name == "date" && matches!(field.kind, Kind::Date | Kind::Datetime) {
        out.push_str(&format!("date: {} # {TO_COMPLETE}\n", page.today));
        return;
    }
    if !required {
        let default = field
            .default
            .as_ref()
            .and_then(|d| d.scalar_node(0, 0))
            .map(|n| match n.value {
                crate::base::yaml::NodeValue::Scalar { text, .. } => format!(" {text}"),
                _ => String::new(),
            })
            .unwrap_or_default();
        out.push_str(&format!("{pad}# {name}:{default}\n"));
        if let Kind::Object(fields) = &field.kind {
            for f in fields {
                write_field(out, page, f, depth + 1, false, true);
            }
        }
        return;
    }
    match placeholder(&field.kind, page) {
        Some(value) => out.push_str(&format!("{pad}{name}: {value} # {TO_COMPLETE}\n")),
        None => {
            out.push_str(&format!("{pad}{name}: # {TO_COMPLETE}\n"));
            match &field.kind {
                Kind::Object(fields) => {
                    // A group with no required field still needs one value, or it is empty.
                    let none_required = !fields.iter().any(is_required);
                    for (i, f) in fields.iter().enumerate() {
                        let required = is_required(f) || (none_required && i == 0);
                        write_field(out, page, f, depth + 1, required, false);
                    }
                }
                Kind::OpeningHours => {
                    for day in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
                        out.push_str(&format!("{pad}  {day}: closed\n"));
                    }
                }
                _ => {}
            }
        }
    }
}

/// A value that passes the checks of `kind`, written inline; `None` for kinds written as an
/// indented block (groups of fields, opening hours).
fn placeholder(kind: &Kind, page: &Scaffold<'_>) -> Option<String> {
    Some(match kind {
        Kind::String | Kind::Text => quoted(TO_COMPLETE),
        Kind::Integer { min, max } => {
            let n = match (min, max) {
                (Some(min), _) => *min,
                (None, Some(max)) if *max < 0 => *max,
                _ => 0,
            };
            n.to_string()
        }
        Kind::Number { min, max } => {
            let n = match (min, max) {
                (Some(min), _) => *min,
                (None, Some(max)) if *max < 0.0 => *max,
                _ => 0.0,
            };
            n.to_string()
        }
        Kind::Bool => "false".into(),
        Kind::Date => page.today.to_string(),
        Kind::Datetime => format!("{}T00:00:00", page.today),
        Kind::Enum(values) => quoted(values.first().map_or("", String::as_str)),
        Kind::List(_) => "[]".into(),
        Kind::Url => quoted(placeholders::URL),
        Kind::Email => quoted(placeholders::EMAIL),
        Kind::Phone => quoted("02 0000 0000"),
        Kind::Geo(bounds) => {
            let middle = |range: Option<[f64; 2]>| {
                range.map_or(0.0, |[lo, hi]| ((lo + hi) / 2.0 * 1e4).round() / 1e4)
            };
            format!(
                "{{ lat: {}, lon: {} }}",
                middle(bounds.map(|b| b.lat())),
                middle(bounds.map(|b| b.lon()))
            )
        }
        // Only an existing page passes; without one the editor must write it anyway.
        Kind::Reference(section) => page
            .examples
            .get(section)
            .cloned()
            .unwrap_or_else(|| "da-completare".into()),
        Kind::Object(_) | Kind::OpeningHours => return None,
    })
}

/// The comment above a field: its description, or else what to write. An enum's values are
/// added when the description does not name them all.
fn about(field: &Field) -> String {
    let Some(description) = &field.description else {
        let hint = hint(&field.kind);
        let mut chars = hint.chars();
        return chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        });
    };
    let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    match &field.kind {
        Kind::Enum(values) if !values.iter().all(|v| description.contains(v.as_str())) => {
            format!("{description} ({})", hint(&field.kind))
        }
        _ => description,
    }
}

/// What to write for a kind, in the editors' language.
fn hint(kind: &Kind) -> String {
    let bounds = |min: Option<String>, max: Option<String>| match (min, max) {
        (Some(a), Some(b)) => format!(" da {a} a {b}"),
        (Some(a), None) => format!(" di almeno {a}"),
        (None, Some(b)) => format!(" di al massimo {b}"),
        (None, None) => String::new(),
    };
    match kind {
        Kind::String => "testo".into(),
        Kind::Text => "testo, anche su più righe".into(),
        Kind::Integer { min, max } => format!(
            "numero intero{}",
            bounds(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
        ),
        Kind::Number { min, max } => format!(
            "numero{}",
            bounds(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
        ),
        Kind::Bool => "vero o falso: true o false".into(),
        Kind::Date => "data, come 2018-10-26".into(),
        Kind::Datetime => "data e ora, come 2018-10-26T17:00:00".into(),
        Kind::Enum(values) => format!("uno tra: {}", values.join(", ")),
        Kind::List(item) => format!("elenco di: {}", hint(item)),
        Kind::Object(_) => "gruppo di campi".into(),
        Kind::Url => "indirizzo web, come https://www.comune.milano.it/".into(),
        Kind::Email => "indirizzo e-mail".into(),
        Kind::Phone => "telefono, come \"02 8845 8041\"".into(),
        Kind::OpeningHours => "orari: un giorno per riga (mon … sun), come 09:00-13:00, \
             [09:00-13:00, 14:00-18:00] o closed"
            .into(),
        Kind::Geo(_) => "posizione, come { lat: 45.4781, lon: 9.2046 }".into(),
        Kind::Reference(section) => format!("il nome di un file di content/{section}/, senza .md"),
    }
}

/// `text` as a YAML double-quoted scalar (a JSON string is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::i18n::Lang;
    use crate::content::document;
    use crate::content::source::{SourceFile, SourceKind};

    fn config(schema: &str) -> Config {
        let text = format!(
            "title: t\nbase_url: https://x.it/\ntaxonomies:\n  - name: municipio\n\
             schemas:\n  spazi:\n{schema}"
        );
        Config::parse(&text, None).unwrap()
    }

    fn today() -> civil::Date {
        civil::date(2026, 3, 1)
    }

    fn page_text(config: &Config, examples: &BTreeMap<String, String>) -> String {
        render(&Scaffold {
            title: "L'apertura di via Larga",
            schema: config.schemas.get("spazi"),
            today: today(),
            examples,
        })
    }

    fn parse(
        config: &Config,
        text: &str,
    ) -> std::result::Result<document::Document, Vec<Diagnostic>> {
        let source = SourceFile {
            path: "spazi/a.md".into(),
            relative: "spazi/a.md".into(),
            kind: SourceKind::Page,
            lang: "it".into(),
            translation_key: "spazi/a.md".into(),
        };
        document::parse(source, text, config).map_err(|rejected| rejected.errors)
    }

    const EVERY_KIND: &str = "    title: { type: string, description: Il nome }
    description: { type: text, required: true }
    municipio: { type: integer, min: 1, max: 9, required: true, description: \"Il municipio,\n      da 1 a 9\" }
    piano: { type: integer, max: -1, required: true }
    quota: { type: number, min: 0.5, required: true }
    status: { type: enum, values: [\"4 stelle\", open], required: true }
    address:
      type: object
      required: true
      fields:
        street: { type: string }
        cap: { type: string }
    contacts:
      type: object
      fields:
        email: { type: email, required: true }
        phone: { type: phone }
    geo: { type: geo, required: true, bounds: { lat: [45.38, 45.54], lon: [9.04, 9.28] } }
    phone: { type: phone, required: true }
    email: { type: email, required: true }
    website: { type: url, required: true }
    orari: { type: opening_hours, required: true }
    servizi: { type: list, required: true, items: { type: reference, section: servizi } }
    principale: { type: reference, section: servizi, required: true }
    accessibile: { type: bool, required: true }
    aperto: { type: date, required: true }
    evento: { type: datetime, required: true }
    verified: { type: bool, default: true, required: true }
    note: { type: text }
";

    #[test]
    fn every_required_kind_gets_a_placeholder_that_passes() {
        let config = config(EVERY_KIND);
        let examples = BTreeMap::from([("servizi".into(), "sportello-lavoro".into())]);
        let text = page_text(&config, &examples);
        let doc = parse(&config, &text).unwrap_or_else(|e| panic!("{e:#?}\n{text}"));
        assert_eq!(doc.meta.title.as_deref(), Some("L'apertura di via Larga"));
        let field = |name: &str| {
            doc.fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| serde_json::to_value(v).unwrap())
                .unwrap_or_else(|| panic!("{name} missing\n{text}"))
        };
        assert_eq!(field("municipio"), 1);
        assert_eq!(field("piano"), -1);
        assert_eq!(field("status"), "4 stelle");
        assert_eq!(field("address"), json!([["street", TO_COMPLETE]]));
        assert_eq!(field("geo"), json!({ "lat": 45.46, "lon": 9.16 }));
        assert_eq!(field("principale")["target"], "servizi/sportello-lavoro.md");
        assert_eq!(field("aperto"), "2026-03-01");
        assert_eq!(field("verified"), true, "the default");
        assert!(doc.meta.draft, "a new page is a draft");
        for optional in ["contacts", "note"] {
            assert!(doc.fields.iter().all(|(n, _)| n != optional), "{optional}");
        }
        // Every required value is marked, and so is the publication date.
        let marked: Vec<&str> = text
            .lines()
            .filter(|l| l.ends_with(&format!(" # {TO_COMPLETE}")))
            .map(|l| l.trim_start().split(':').next().unwrap())
            .collect();
        assert_eq!(
            marked,
            [
                "date",
                "description",
                "municipio",
                "piano",
                "quota",
                "status",
                "address",
                "street",
                "geo",
                "phone",
                "email",
                "website",
                "orari",
                "servizi",
                "principale",
                "accessibile",
                "aperto",
                "evento"
            ],
            "{text}"
        );
        assert!(
            text.contains("\ndate: 2026-03-01 # DA COMPLETARE\n"),
            "{text}"
        );
        // Each marked line is found again as a placeholder, and so is the line of the text.
        let found: Vec<usize> = doc.placeholders.iter().filter_map(|d| d.line).collect();
        let written: Vec<usize> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.ends_with(placeholders::COMMENT) || *l == placeholders::BODY)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(found, written, "{text}");
        let street = doc.placeholders.iter().map(|d| d.message_in(Lang::En));
        assert!(
            street
                .into_iter()
                .any(|m| m.starts_with("`address.street` still holds")),
            "{:#?}",
            doc.placeholders
        );
    }

    use serde_json::json;

    #[test]
    fn fields_are_listed_with_their_descriptions() {
        let config = config(
            "    title: { type: string, description: Il nome dello spazio }
    municipio: { type: integer, min: 1, max: 9, required: true, description: Il municipio }
    status: { type: enum, values: [open, closed], required: true, description: Lo stato }
    tipo: { type: enum, values: [a, b], description: \"Il tipo: a o b\" }
    address:
      type: object
      description: L'indirizzo
      fields:
        street: { type: string, required: true, description: La via }
        city: { type: string, default: Milano }
    verified: { type: bool, default: true }
",
        );
        assert_eq!(
            page_text(&config, &BTreeMap::new()),
            "---
# Bozza: la pagina resta fuori dal sito finché c'è draft: true. Quando è completa, cancella questa riga e la seguente
draft: true
# Il nome dello spazio
title: \"L'apertura di via Larga\"
# Una frase che riassume la pagina
description: \"\"
# Il giorno di pubblicazione della pagina, come 2018-10-26
date: 2026-03-01 # DA COMPLETARE
# Il municipio
municipio: 1 # DA COMPLETARE
# Lo stato (uno tra: open, closed)
status: \"open\" # DA COMPLETARE
# Il tipo: a o b
# tipo:
# L'indirizzo
# address:
#   street: # La via
#   city: # Testo
# Vero o falso: true o false
# verified: true
---
<!-- DA COMPLETARE: scrivi qui il testo della pagina, poi cancella questa riga -->
"
        );
    }

    #[test]
    fn an_optional_group_uncommented_whole_is_valid_yaml() {
        let config = config(
            "    address:
      type: object
      fields:
        street: { type: string, description: La via }
        cap: { type: string }
",
        );
        let text = page_text(&config, &BTreeMap::new());
        let uncommented = text.replace("# address:", "address:").replace("#   ", "  ");
        assert!(
            uncommented.contains("\naddress:\n  street: # La via\n"),
            "{uncommented}"
        );
        parse(&config, &uncommented).unwrap_or_else(|e| panic!("{e:#?}\n{uncommented}"));
    }

    #[test]
    fn without_a_schema_title_description_and_date() {
        let config = config("    x: { type: string }\n");
        let text = render(&Scaffold {
            title: "Festa \"d'estate\"",
            schema: None,
            today: today(),
            examples: &BTreeMap::new(),
        });
        assert_eq!(
            text,
            format!(
                "---\n{DRAFT}title: \"Festa \\\"d'estate\\\"\"\n# Una frase che riassume la pagina\n\
                 description: \"\"\n# {DATE_ABOUT}\ndate: 2026-03-01 # DA COMPLETARE\n---\n{}\n",
                placeholders::BODY
            )
        );
        let source = SourceFile {
            path: "notizie/a.md".into(),
            relative: "notizie/a.md".into(),
            kind: SourceKind::Page,
            lang: "it".into(),
            translation_key: "notizie/a.md".into(),
        };
        let doc = document::parse(source, &text, &config).unwrap();
        assert_eq!(doc.meta.title.as_deref(), Some("Festa \"d'estate\""));
    }

    #[test]
    fn a_section_declaring_date_and_description_gets_them_once() {
        let config = config(
            "    description: { type: text, required: true, description: Il sommario }
    date: { type: datetime, required: true }
",
        );
        let text = page_text(&config, &BTreeMap::new());
        assert_eq!(text.matches("\ndate:").count(), 1, "{text}");
        assert_eq!(text.matches("\ndescription:").count(), 1, "{text}");
        assert!(
            text.contains("# Il sommario\ndescription: \"DA COMPLETARE\" # DA COMPLETARE\n"),
            "{text}"
        );
        parse(&config, &text).unwrap();
    }

    #[test]
    fn section_folders() {
        assert_eq!(section_folder("spazi/").as_deref(), Some("spazi"));
        assert_eq!(
            section_folder("notizie/2024").as_deref(),
            Some("notizie/2024")
        );
        // Windows' separator, as typed or completed there.
        assert_eq!(
            section_folder("notizie\\2024\\").as_deref(),
            Some("notizie/2024")
        );
        for bad in [
            "",
            "/",
            "\\",
            "../x",
            "a/../b",
            "a\\..\\b",
            ".git",
            "_x",
            "c:",
            "C:\\spazi",
            "con",
            "spazi/nul",
            "aux.txt",
            "a?",
            "b.",
        ] {
            assert_eq!(section_folder(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_section_folder_exists_only_with_the_case_it_is_written_in() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("notizie/2024")).unwrap();
        std::fs::write(dir.path().join("pagina"), "").unwrap();
        assert!(folder_exists_as_written(dir.path(), "notizie"));
        assert!(folder_exists_as_written(dir.path(), "notizie/2024"));
        // On Linux the file system tells these apart too; on Windows and macOS only the
        // listing does.
        for absent in ["Notizie", "notizie/2025", "NOTIZIE/2024", "pagina", "spazi"] {
            assert!(!folder_exists_as_written(dir.path(), absent), "{absent}");
        }
    }
}
