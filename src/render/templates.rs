//! The theme's templates in Tera 2: loaded and checked once ([`Templates`]), then made into a
//! [`Renderer`] for the values of a site, with wemi's functions (`get_page`, `get_section`,
//! `get_taxonomy`, `url`, `asset`, `asset_integrity`, `trans`, `resize_image`) and filters (`date`, `tel`, `json_ld`, and `json` and `csv` for the
//! files that Tera does not escape).
//!
//! A template error becomes a diagnostic naming the template file, its line and column, and
//! the content file being rendered.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tera::{Kwargs, State, Tera, Value};

use crate::base::date::{self, DateFormat};
use crate::base::error::{self, Code, Diagnostic};
use crate::base::i18n::msg;
use crate::base::i18n::{Lang, Text};
use crate::base::slug;
use crate::config::Config;
use crate::content::theme::{Theme, Translations};
use crate::output::assets::{Asset, Assets};
use crate::render::images::{DEFAULT_QUALITY, Images};
use crate::site::Site;

/// The theme's templates loaded into Tera and checked, with wemi's functions and filters and
/// the site's `config` and `data`: loaded once, then made into a [`Renderer`] for the values
/// of a site.
pub struct Templates {
    tera: Tera,
    template_paths: Arc<HashMap<String, PathBuf>>,
    own_errors: OwnErrors,
}

/// [`Templates`] whose `get_page` and `get_section` find the pages and sections of a site.
pub struct Renderer {
    tera: Tera,
    /// Where each template came from.
    template_paths: Arc<HashMap<String, PathBuf>>,
    own_errors: OwnErrors,
}

impl Renderer {
    /// Tera, with the theme's templates.
    pub(super) fn tera(&self) -> &Tera {
        &self.tera
    }

    /// `err`, met rendering a template for the file `rendering` (if any), as a diagnostic
    /// on the template.
    pub(super) fn diagnostic(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        to_diagnostic(err, &self.template_paths, &self.own_errors, rendering)
    }
}

/// wemi's own errors raised inside templates (by `get_page`, `get_section`, the `date` filter).
/// Tera keeps an error as English text only, so each one is also kept here in both languages,
/// to be found again by its English text when the error is reported.
#[derive(Clone, Default)]
struct OwnErrors(Arc<Mutex<HashMap<String, Text>>>);

impl OwnErrors {
    /// A Tera error saying `text`, remembered in both languages.
    fn raise(&self, text: Text) -> tera::Error {
        let error = tera::Error::message(text.en.clone());
        if let Ok(mut known) = self.0.lock() {
            known.insert(text.en.clone(), text);
        }
        error
    }

    /// `en` in both languages when it is one of wemi's errors; else as it is (Tera's words).
    fn text(&self, en: &str) -> Text {
        self.0
            .lock()
            .ok()
            .and_then(|known| known.get(en).cloned())
            .unwrap_or_else(|| Text::from(en))
    }
}

impl Templates {
    /// Sets Tera up: functions and filters first (Tera checks templates against them), then
    /// the templates. `config` is the configuration as templates see it.
    pub fn load(
        theme: &Theme,
        assets: &Assets,
        config: &Config,
        config_value: &Value,
        data: &Value,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let own_errors = OwnErrors::default();
        register_filters(&mut tera, config, &own_errors);
        register_trans(&mut tera, config, &theme.translations, &own_errors);
        register_assets(&mut tera, config, assets, &own_errors);
        // Until a site's values take their place (`renderer`), these find nothing.
        register_lookups(&mut tera, Lookups::default(), &own_errors);
        register_resize_image(&mut tera, config, Arc::default(), &own_errors);
        tera.global_context()
            .insert_value("config", config_value.clone());
        tera.global_context().insert_value("data", data.clone());
        let template_paths: HashMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.shown_path.clone()))
            .collect();
        let sources = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(err) = tera.add_raw_templates(sources) {
            return Err(template_errors(theme, &template_paths, &own_errors, err));
        }
        Ok(Templates {
            tera,
            template_paths: Arc::new(template_paths),
            own_errors,
        })
    }

    /// Tera, with the theme's templates.
    pub(super) fn tera(&self) -> &Tera {
        &self.tera
    }

    /// A renderer of these templates for `site`, whose pages, sections and taxonomies
    /// templates see as `values`, and whose `resize_image` notes in `images` the versions it
    /// gives.
    pub fn renderer(&self, site: &Site, values: SiteViews, images: &Arc<Images>) -> Renderer {
        let mut tera = self.tera.clone();
        let lookups = Lookups::new(site, values);
        register_lookups(&mut tera, lookups, &self.own_errors);
        register_resize_image(
            &mut tera,
            &site.config,
            Arc::clone(images),
            &self.own_errors,
        );
        Renderer {
            tera,
            template_paths: Arc::clone(&self.template_paths),
            own_errors: self.own_errors.clone(),
        }
    }
}

/// Every syntax error of the templates (Tera stops at the first: each template is then
/// checked alone to find them all), or else every problem Tera found checking them together.
fn template_errors(
    theme: &Theme,
    paths: &HashMap<String, PathBuf>,
    own: &OwnErrors,
    first: tera::Error,
) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = theme
        .templates
        .iter()
        .filter_map(|t| {
            let mut alone = Tera::new();
            match alone.add_raw_template(&t.name, &t.text) {
                Err(e) if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) => {
                    Some(to_diagnostic(&e, paths, own, None))
                }
                _ => None,
            }
        })
        .collect();
    if errors.is_empty() {
        errors = checked_together(&first, paths);
    }
    if errors.is_empty() {
        errors.push(to_diagnostic(&first, paths, own, None));
    }
    errors
}

/// The problems Tera finds when it checks the templates together (a filter, test or function
/// that does not exist, a block that no parent has), one diagnostic each on its template:
/// Tera gives them as one message holding a report of each, which starts with the lines
/// `error: <message>` and ` --> <template>:<line>:<column>`.
fn checked_together(err: &tera::Error, paths: &HashMap<String, PathBuf>) -> Vec<Diagnostic> {
    let tera::ErrorKind::Msg(reports) = err.kind() else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    let mut lines = reports.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (
            parts.next().and_then(|c| c.parse().ok()),
            parts.next().and_then(|l| l.parse().ok()),
            parts.next(),
        ) else {
            continue;
        };
        let path = paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name));
        errors.push(
            Diagnostic::new(Code::TemplateSyntax, path, checked_message(message)).at(line, column),
        );
    }
    errors
}

/// A problem of Tera's check of the templates together, in both languages when it is one of
/// those wemi knows (Tera says `Unknown filter `upper_case``).
fn checked_message(message: &str) -> Text {
    let mut parts = message.split('`');
    let (Some(kind), Some(name)) = (parts.next(), parts.next()) else {
        return not_valid(Text::from(message));
    };
    match kind {
        "Unknown filter " => msg!("there is no filter `{name}`", name = name),
        "Unknown test " => msg!("there is no test `{name}`", name = name),
        "Unknown function " => msg!("there is no function `{name}`", name = name),
        "Unknown component " => msg!("there is no component `{name}`", name = name),
        "Unknown template " => msg!("there is no template `{name}` to include", name = name),
        "Block " if message.ends_with(" is not defined in any parent template") => {
            msg!("no parent template has a block `{name}`", name = name)
        }
        _ => not_valid(Text::from(message)),
    }
}

/// A syntax error of a template, in Tera's words, said to be one.
fn not_valid(detail: Text) -> Text {
    msg!("the template is not valid: {detail}", detail = detail)
}

/// Turns a Tera error into a diagnostic on the template file.
fn to_diagnostic(
    err: &tera::Error,
    paths: &HashMap<String, PathBuf>,
    own: &OwnErrors,
    rendering: Option<&str>,
) -> Diagnostic {
    let while_rendering = |message: Text| match rendering {
        Some(file) => msg!(
            "{message} (while rendering {file})",
            message = message,
            file = file
        ),
        None => message,
    };
    let path_of = |name: &str| {
        paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut parts = vec![own.text(report.message())];
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                parts.push(own.text(&cause.to_string()));
                source = cause.source();
            }
            let (code, message) = match err.kind() {
                tera::ErrorKind::SyntaxError(_) => {
                    (Code::TemplateSyntax, not_valid(joined(&parts)))
                }
                _ => (Code::TemplateRender, joined(&parts)),
            };
            Diagnostic::new(code, path_of(report.filename()), while_rendering(message))
                .at(span.start_line, span.start_col + 1)
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            Code::TemplateMissing,
            path_of(current),
            while_rendering(msg!(
                "this template extends `{parent}`, which does not exist",
                parent = parent
            )),
        )
        .hint(msg!("check the name in {% extends %}")),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            Code::TemplateMissing,
            rendering.map_or_else(|| PathBuf::from("templates"), PathBuf::from),
            msg!("the template `{name}` does not exist", name = name),
        )
        .hint(msg!(
            "add it to the theme's templates/ folder, or fix the name"
        )),
        other => Diagnostic::new(
            if rendering.is_some() {
                Code::TemplateRender
            } else {
                Code::TemplateSyntax
            },
            rendering.map_or_else(|| PathBuf::from("templates"), PathBuf::from),
            msg!("template error: {error}", error = other),
        ),
    }
}

/// An error and its causes, `: ` between them, in each language.
fn joined(parts: &[Text]) -> Text {
    let join = |lang: Lang| {
        parts
            .iter()
            .map(|p| p.get(lang))
            .collect::<Vec<_>>()
            .join(": ")
    };
    Text {
        en: join(Lang::En),
        it: parts.iter().any(|p| p.it.is_some()).then(|| join(Lang::It)),
    }
}

/// The values the view stage made of a site's pages, sections and taxonomies, each in the
/// order of the site's, borrowed for a renderer.
#[derive(Clone, Copy)]
pub struct SiteViews<'a> {
    /// One per page.
    pub pages: &'a [Value],
    /// One per section.
    pub sections: &'a [Value],
    /// One per taxonomy index: the taxonomy and its terms.
    pub taxonomies: &'a [(Value, Vec<Value>)],
}

/// What `get_page`, `get_section` and `get_taxonomy` find.
#[derive(Default)]
struct Lookups {
    /// Every lookup key of a page or section → its index in the site's pages, then sections.
    keys: Arc<HashMap<String, usize>>,
    /// The pages' values.
    pages: Arc<[Value]>,
    /// The sections' values, by path relative to `content/`.
    sections: Arc<HashMap<String, Value>>,
    /// Every taxonomy of the site by name: its values by language (those it has pages in,
    /// and the site's language).
    taxonomies: Arc<HashMap<String, HashMap<String, Value>>>,
    /// The site's language, for `get_taxonomy` called outside a page.
    language: String,
}

impl Lookups {
    fn new(site: &Site, values: SiteViews) -> Lookups {
        let mut taxonomies: HashMap<String, HashMap<String, Value>> = (site.config.taxonomies)
            .iter()
            .map(|t| (t.name.clone(), HashMap::new()))
            .collect();
        for (index, (value, _)) in site.taxonomies.iter().zip(values.taxonomies) {
            let name = &site.config.taxonomies[index.taxonomy].name;
            if let Some(by_lang) = taxonomies.get_mut(name) {
                by_lang.insert(index.lang.clone(), value.clone());
            }
        }
        Lookups {
            keys: site.links.keys(),
            pages: values.pages.into(),
            sections: Arc::new(
                site.sections
                    .iter()
                    .zip(values.sections)
                    .map(|(s, v)| (s.doc.source.relative.clone(), v.clone()))
                    .collect(),
            ),
            taxonomies: Arc::new(taxonomies),
            language: site.config.language.clone(),
        }
    }
}

/// Registers `get_page` and `get_section`, finding what `lookups` holds.
fn register_lookups(tera: &mut Tera, lookups: Lookups, own: &OwnErrors) {
    let Lookups {
        keys,
        pages,
        sections,
        taxonomies,
        language,
    } = lookups;
    let errors = own.clone();
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let page = keys.get(path).and_then(|&i| pages.get(i));
        page.cloned().ok_or_else(|| {
            errors.raise(msg!(
                "get_page: there is no published page content/{path}",
                path = path
            ))
        })
    });
    let errors = own.clone();
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let key = if path.ends_with(".md") {
            path.to_string()
        } else if path.trim_matches('/').is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", path.trim_matches('/'))
        };
        sections.get(&key).cloned().ok_or_else(|| {
            errors.raise(msg!(
                "get_section: there is no section content/{path}",
                path = key
            ))
        })
    });
    let errors = own.clone();
    tera.register_function("get_taxonomy", move |kwargs: Kwargs, state: &State| {
        let kind: &str = kwargs.must_get("kind")?;
        let lang = lang_argument(&kwargs, state, &language)?;
        let required = kwargs.get::<bool>("required")?.unwrap_or(true);
        let Some(by_lang) = taxonomies.get(kind) else {
            if !required {
                return Ok(Value::none());
            }
            let mut names: Vec<&str> = taxonomies.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err(errors.raise(msg!(
                "get_taxonomy: the site has no taxonomy `{kind}` (its taxonomies: {names})",
                kind = kind,
                names = names.join(", ")
            )));
        };
        // A taxonomy no page of the language uses has no terms there.
        Ok(by_lang.get(&lang).cloned().unwrap_or_else(Value::none))
    });
}

/// Registers `resize_image(path="foto.jpg", width=800, format="webp", quality=80)`: the
/// version of an image beside the page being rendered (its `current_path`) or in `static/`,
/// as `{url, width, height}` ([`Images::resize`]); `format` is `webp` unless given.
fn register_resize_image(tera: &mut Tera, config: &Config, images: Arc<Images>, own: &OwnErrors) {
    let config = config.clone();
    let errors = own.clone();
    tera.register_function("resize_image", move |kwargs: Kwargs, state: &State| {
        let path: &str = kwargs.must_get("path")?;
        let width: i64 = kwargs.must_get("width")?;
        let format: &str = kwargs.get("format")?.unwrap_or("webp");
        let quality: i64 = kwargs.get("quality")?.unwrap_or(i64::from(DEFAULT_QUALITY));
        let current_path = state.get::<String>("current_path")?.unwrap_or_default();
        let resized = images
            .resize(
                &config,
                path,
                &current_path,
                u32::try_from(width).unwrap_or(0),
                format,
                u8::try_from(quality).unwrap_or(0),
            )
            .map_err(|e| errors.raise(e))?;
        Ok::<_, tera::Error>(Value::from_serializable(&resized))
    });
}

/// Registers wemi's other functions and filters.
fn register_filters(tera: &mut Tera, config: &Config, own: &OwnErrors) {
    let config = config.clone();
    tera.register_function("url", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        Ok::<_, tera::Error>(config.url(path))
    });
    let errors = own.clone();
    tera.register_filter("date", move |value: &str, kwargs: Kwargs, state: &State| {
        let format_name: &str = kwargs.get("format")?.unwrap_or("long");
        let format = DateFormat::from_name(format_name).ok_or_else(|| {
            errors.raise(msg!(
                "date: unknown format `{format}` (use long, full, short, time or iso)",
                format = format_name
            ))
        })?;
        let lang = lang_argument(&kwargs, state, "it")?;
        date::format(value, format, &lang).map_err(|e| errors.raise(e))
    });
    tera.register_filter("tel", |value: &str, _: Kwargs, _: &State| tel_url(value));
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slug::slugify(value)
    });
    tera.register_filter("json_ld", json_ld);
    tera.register_filter("json", json);
    let errors = own.clone();
    tera.register_filter("csv", move |value: &Value, _: Kwargs, _: &State| {
        csv(value).map_err(|_| {
            errors.raise(msg!(
                "csv: a field must be text, a number, true or false, or none, not a list or a map"
            ))
        })
    });
}

/// Registers `asset(path="css/wemi.css")`, the URL (with the base path) of a static file,
/// under its hashed name for a stylesheet or script, and `asset_integrity(path=…)`, the
/// subresource integrity (`sha384-…`) of such a file. A path that is no static file is an
/// error, with the closest one that is.
fn register_assets(tera: &mut Tera, config: &Config, assets: &Assets, own: &OwnErrors) {
    let assets = Arc::new(assets.clone());
    let find = {
        let (assets, errors) = (Arc::clone(&assets), own.clone());
        move |function: &str, kwargs: &Kwargs| -> Result<Asset, tera::Error> {
            let path: &str = kwargs.must_get("path")?;
            assets.get(path).cloned().ok_or_else(|| {
                let text = match error::closest(path, assets.paths()) {
                    Some(best) => msg!(
                        "{function}: there is no static file `{path}`; did you mean `{best}`?",
                        function = function,
                        path = path,
                        best = best
                    ),
                    None => msg!(
                        "{function}: there is no static file `{path}` in the theme's or the site's static/",
                        function = function,
                        path = path
                    ),
                };
                errors.raise(text)
            })
        }
    };
    let config = config.clone();
    let find_url = find.clone();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| {
        let asset = find_url("asset", &kwargs)?;
        Ok::<_, tera::Error>(config.url(&asset.published))
    });
    let errors = own.clone();
    tera.register_function("asset_integrity", move |kwargs: Kwargs, _: &State| {
        let asset = find("asset_integrity", &kwargs)?;
        asset.integrity.ok_or_else(|| {
            errors.raise(msg!(
                "asset_integrity: only stylesheets and scripts (.css, .js) have an integrity value, not `{path}`",
                path = &asset.published
            ))
        })
    });
}

/// The `json` filter: `{{ value | json }}` prints the value as JSON text, leaving out the map
/// entries that are `none` ([`WithoutNone`]). The text is that of [`json_ld`] (`<`, `>` and
/// `&` escaped, so it stays inert if a browser sniffs the file as HTML), but not marked safe:
/// in an HTML template Tera escapes it, as an attribute needs.
fn json(value: &Value, _: Kwargs, _: &State) -> Result<String, tera::Error> {
    serde_json::to_string(&WithoutNone(value))
        .map(|json| script_safe(&json))
        .map_err(|e| tera::Error::message(format!("json: {e}")))
}

/// The `csv` filter: a text, number, boolean or `none` as one field of RFC 4180 CSV, a list of
/// them as one record ending in CRLF (`{{ [page.title, page.permalink] | csv }}`). A field is
/// quoted when it holds a quote, a comma or a line break, its quotes doubled; a text that a
/// spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a leading `'`, so that opening the file runs nothing. `none` is an empty field.
/// The error is the kind of value that cannot be a field.
fn csv(value: &Value) -> Result<String, &'static str> {
    match value.as_array() {
        Some(fields) => {
            let mut record = fields
                .iter()
                .map(csv_field)
                .collect::<Result<Vec<_>, _>>()?
                .join(",");
            record.push_str("\r\n");
            Ok(record)
        }
        None => csv_field(value),
    }
}

/// One CSV field; see [`csv`].
fn csv_field(value: &Value) -> Result<String, &'static str> {
    if value.is_none() || value.is_undefined() {
        return Ok(String::new());
    }
    if value.is_array() || value.is_map() || value.is_bytes() {
        return Err(value.name());
    }
    let text = value.to_string();
    // Numbers and booleans are written as they are: `-3` is a number, not a formula.
    let formula = value.is_string() && text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let field = if formula { format!("'{text}") } else { text };
    Ok(if field.contains(['"', ',', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    })
}

/// Registers `trans(key="…", lang=lang)`: the text of `key` in the language `lang` (by
/// default the language being rendered), else in the site's default language; any other
/// argument fills the placeholder of its name (`trans(key="page_n", n=2)` for "pagina {n}").
/// A key the default language does not have is an error.
fn register_trans(tera: &mut Tera, config: &Config, translations: &Translations, own: &OwnErrors) {
    let translations = Arc::new(translations.clone());
    let default_lang = config.language.clone();
    let errors = own.clone();
    tera.register_function("trans", move |kwargs: Kwargs, state: &State| {
        let key: &str = kwargs.must_get("key")?;
        let lang = lang_argument(&kwargs, state, &default_lang)?;
        let text = [lang.as_str(), default_lang.as_str()]
            .iter()
            .find_map(|l| translations.get(*l).and_then(|texts| texts.get(key)))
            .ok_or_else(|| {
                errors.raise(msg!(
                    "trans: there is no text `{key}` in i18n/{lang}.yaml",
                    key = key,
                    lang = &default_lang
                ))
            })?;
        Ok::<_, tera::Error>(fill_placeholders(text, &kwargs))
    });
}

/// The language a filter or function works in: its `lang` argument, else the language being
/// rendered, else `default`.
fn lang_argument(kwargs: &Kwargs, state: &State, default: &str) -> Result<String, tera::Error> {
    Ok(match kwargs.get::<&str>("lang")? {
        Some(l) => l.to_string(),
        None => state
            .get::<String>("lang")?
            .unwrap_or_else(|| default.to_string()),
    })
}

/// `text` with each `{name}` replaced by the argument `name` of `kwargs` (other than `key` and
/// `lang`), printed as a template prints it; a placeholder without an argument stays.
fn fill_placeholders(text: &str, kwargs: &Kwargs) -> String {
    let mut out = text.to_string();
    for (name, value) in kwargs.iter() {
        let Some(name) = name.as_str() else { continue };
        if name == "key" || name == "lang" {
            continue;
        }
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        out = out.replace(&format!("{{{name}}}"), &shown);
    }
    out
}

/// The `json_ld` filter: `{{ value | json_ld }}` inside `<script type="application/ld+json">`
/// prints the value as JSON that cannot end the element ([`script_safe`]), leaving out the
/// map entries that are `none` ([`WithoutNone`]).
fn json_ld(value: &Value, _: Kwargs, _: &State) -> Result<Value, tera::Error> {
    serde_json::to_string(&WithoutNone(value))
        .map(|json| Value::safe_string(&script_safe(&json)))
        .map_err(|e| tera::Error::message(format!("json_ld: {e}")))
}

/// A Tera value serialised without the entries of its maps that are `none` (or undefined): a
/// JSON-LD template can then list every property, and only the known ones are written.
struct WithoutNone<'v>(&'v Value);

impl serde::Serialize for WithoutNone<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        if let Some(map) = self.0.as_map() {
            let mut out = serializer.serialize_map(None)?;
            for (key, value) in map {
                if !(value.is_none() || value.is_undefined()) {
                    out.serialize_entry(key, &WithoutNone(value))?;
                }
            }
            out.end()
        } else if let Some(items) = self.0.as_array() {
            let mut out = serializer.serialize_seq(Some(items.len()))?;
            for item in items {
                out.serialize_element(&WithoutNone(item))?;
            }
            out.end()
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// JSON text made safe to print inside a `<script>` element: `<`, `>` and `&` become `\u003c`,
/// `\u003e` and `\u0026`, so no `</script>` or `<!--` can end or change the element, and the
/// line separators U+2028 and U+2029 are escaped as older JavaScript parsers require. These
/// characters only ever occur inside JSON strings, where the escapes mean the same text.
pub fn script_safe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// "02 8845 8041" → `tel:+390288458041`; an Italian number gets the +39 prefix.
pub fn tel_url(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if number.trim_start().starts_with('+') {
        format!("tel:+{digits}")
    } else if let Some(rest) = digits.strip_prefix("0039") {
        format!("tel:+39{rest}")
    } else {
        format!("tel:+39{digits}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    #[test]
    fn phone_numbers_become_tel_urls() {
        assert_eq!(tel_url("02 8845 8041"), "tel:+390288458041");
        assert_eq!(tel_url("+39 02 8845 8041"), "tel:+390288458041");
        assert_eq!(tel_url("0039 02 8845 8041"), "tel:+390288458041");
    }

    #[test]
    fn json_ld_cannot_end_its_script_element() {
        let mut tera = Tera::new();
        tera.register_filter("json_ld", json_ld);
        tera.add_raw_template(
            "ld.html",
            r#"<script type="application/ld+json">{{ {"@type": "Place", "name": name, "none": none, "list": [1, {"a": none}]} | json_ld }}</script>"#,
        )
        .unwrap();
        let mut context = Context::new();
        let name = "</script><script>alert('x')</script> & <!-- \u{2028}\u{2029}";
        context.insert("name", name);
        let html = tera.render("ld.html", &context).unwrap();
        let json = html
            .strip_prefix(r#"<script type="application/ld+json">"#)
            .and_then(|rest| rest.strip_suffix("</script>"))
            .unwrap();
        assert!(
            !json.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
            "{json}"
        );
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"@type": "Place", "name": name, "list": [1, {}]})
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        let field = |v: Value| csv(&v).unwrap();
        assert_eq!(field(Value::from("WeMi Piazzetta")), "WeMi Piazzetta");
        assert_eq!(field(Value::from("a, \"b\"\nc")), "\"a, \"\"b\"\"\nc\"");
        assert_eq!(
            field(Value::from("=HYPERLINK(\"http://x\",\"y\")")),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        for formula in ["+39 02", "-1+2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(
                field(Value::from(formula))
                    .trim_start_matches('"')
                    .starts_with('\'')
            );
        }
        assert_eq!(field(Value::from(-3)), "-3");
        assert_eq!(field(Value::from(45.47)), "45.47");
        assert_eq!(field(Value::none()), "");
        assert_eq!(
            field(Value::from(vec![
                Value::from("a"),
                Value::none(),
                Value::from(true)
            ])),
            "a,,true\r\n"
        );
        let nested = Value::from(vec![Value::from(vec![Value::from("a")])]);
        assert_eq!(csv(&nested), Err("array"));
    }

    #[test]
    fn own_errors_keep_their_italian_through_tera() {
        let own = OwnErrors::default();
        let error = own.raise(msg!(
            "get_page: there is no published page content/{path}",
            path = "spazi/x.md"
        ));
        let parts = [Text::from("Failed"), own.text(&error.to_string())];
        let message = joined(&parts);
        assert_eq!(
            message.en,
            "Failed: get_page: there is no published page content/spazi/x.md"
        );
        assert_eq!(
            message.it.as_deref(),
            Some("Failed: get_page: la pagina content/spazi/x.md non esiste o non è pubblicata")
        );
        assert_eq!(joined(&[Text::from("a"), Text::from("b")]).it, None);
    }

    #[test]
    fn what_tera_finds_checking_templates_together_is_placed_in_each_template() {
        let mut tera = Tera::new();
        let err = tera
            .add_raw_templates([
                ("base.html", "{% block main %}{% endblock %}"),
                (
                    "page.html",
                    "{% extends \"base.html\" %}{% block main %}\n{{ x | maiuscolo }}{% endblock %}\n{% block altro %}{% endblock %}",
                ),
            ])
            .unwrap_err();
        let paths = HashMap::from([(
            "page.html".to_string(),
            PathBuf::from("themes/t/templates/page.html"),
        )]);
        let found: Vec<(Code, String, String)> = checked_together(&err, &paths)
            .into_iter()
            .map(|d| {
                let it = d.message_in(Lang::It).to_string();
                (d.code, d.location(), it)
            })
            .collect();
        assert_eq!(
            found,
            [
                (
                    Code::TemplateSyntax,
                    "themes/t/templates/page.html:2:8".to_string(),
                    "non esiste il filtro `maiuscolo`".to_string()
                ),
                (
                    Code::TemplateSyntax,
                    "themes/t/templates/page.html:3:10".to_string(),
                    "nessun template genitore ha un blocco `altro`".to_string()
                ),
            ]
        );
    }
}
