//! `site.yaml`: the raw file as serde reads it, and the resolved [`Config`] the build uses.
//!
//! The raw structs mirror the file exactly (unknown keys are errors with a "did you mean");
//! [`Config::parse`] converts them once, checking values that serde cannot (URL, time zone,
//! language codes), so that later stages never see an unchecked setting.

pub mod schema;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::base::error::{Code, Diagnostic, Error, Result};
use crate::base::fs::without_bom;
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::layout::CONFIG_FILE;
use crate::base::script_url;
use crate::base::site_path::{self, UrlProblem};
use crate::base::yaml::{self, KeyCodes, YamlValue};
use crate::config::schema::{Ordered, RawField, Schema, Schemas};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: Option<String>,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
    #[serde(default = "default_time_zone")]
    time_zone: String,
    theme: Option<String>,
    #[serde(default)]
    taxonomies: Vec<RawTaxonomy>,
    #[serde(default)]
    menus: BTreeMap<String, Vec<MenuItem>>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    front_matter: RawFrontMatterSettings,
    #[serde(default)]
    feeds: RawFeeds,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    publish: RawPublish,
    #[serde(default)]
    schemas: Ordered<Ordered<RawField>>,
    #[serde(default)]
    outputs: Vec<RawOutput>,
    #[serde(default)]
    extra: YamlValue,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    path: String,
    template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    name: String,
    title: Option<String>,
    term_title: Option<String>,
    paginate_by: Option<usize>,
    #[serde(default)]
    feed: bool,
    #[serde(default)]
    sort_by: SortBy,
    #[serde(default = "yes")]
    render: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    #[serde(default = "yes")]
    atom: bool,
    #[serde(default)]
    rss: bool,
    #[serde(default = "default_feed_limit")]
    limit: usize,
}

impl Default for RawFeeds {
    fn default() -> Self {
        RawFeeds {
            atom: true,
            rss: false,
            limit: default_feed_limit(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    #[serde(default)]
    enabled: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPublish {
    #[serde(default)]
    minify: bool,
    #[serde(default)]
    precompress: bool,
}

fn yes() -> bool {
    true
}

fn default_feed_limit() -> usize {
    20
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    unsafe_html: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFrontMatterSettings {
    #[serde(default)]
    unknown_keys: UnknownKeys,
}

fn default_language() -> String {
    "it".into()
}

fn default_time_zone() -> String {
    "Europe/Rome".into()
}

/// One entry of a menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    /// The text of the link.
    pub name: String,
    /// Where it points (root-relative or absolute).
    pub url: String,
}

/// A language the site is published in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// Its code, as in file names (`en` in `name.en.md`).
    pub code: String,
    /// The site's title in that language.
    pub title: String,
}

/// A taxonomy declared in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    /// The front matter key holding its terms (also its URL segment).
    pub name: String,
    /// The title of its list page (default: the name, capitalised).
    pub title: String,
    /// How a term is shown: `{term}` is replaced by the term (`Municipio {term}`).
    pub term_title: String,
    /// Pages per term page; `None` lists all on one page.
    pub paginate_by: Option<usize>,
    /// Whether each term has an Atom (and RSS, if enabled) feed.
    pub feed: bool,
    /// Order of the pages of a term.
    pub sort_by: SortBy,
    /// Whether it has pages of its own (`false`: its terms only group pages for templates).
    pub render: bool,
}

impl Taxonomy {
    /// The display name of a term: "4" → "Municipio 4".
    pub fn term_display(&self, term: &str) -> String {
        self.term_title.replace("{term}", term)
    }
}

/// Which feeds the site publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feeds {
    /// Atom 1.0 feeds (`atom.xml`).
    pub atom: bool,
    /// RSS 2.0 feeds (`rss.xml`).
    pub rss: bool,
    /// Entries per feed, newest first.
    pub limit: usize,
}

/// A file that a template of the theme renders at a path of its own (`outputs:` in
/// `site.yaml`): open data such as `spazi/spazi.csv`, a calendar, a `humans.txt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateOutput {
    /// Where it is published: a file's path from the site's root, in its normal form
    /// (`spazi/spazi.csv`, never a folder).
    pub path: String,
    /// The theme's template that renders it (`opendata/spazi.csv`).
    pub template: String,
    /// Where the entry is written in `site.yaml`: line and column.
    pub position: Option<(usize, usize)>,
}

/// The site's search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Search {
    /// Whether the build writes the search index (`search/<lang>/`).
    pub enabled: bool,
}

/// How the output is published (`publish:` in `site.yaml`): both off unless asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Publish {
    /// Whether HTML and CSS are written without the spaces and comments that browsers
    /// ignore (`crate::output::minify`).
    pub minify: bool,
    /// Whether each text file gets a `.gz` and a `.br` copy beside it, for hosts that serve
    /// them as they are (`crate::output::compress`).
    pub precompress: bool,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// One-sentence description of the site.
    pub description: Option<String>,
    /// Absolute URL of the published site, ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/sub/`), prefixed to every root-relative URL.
    pub base_path: String,
    /// The default language's code: published without a URL prefix.
    pub language: String,
    /// Every language, the default one first.
    pub languages: Vec<Language>,
    /// The IANA name of the time zone.
    pub time_zone_name: String,
    /// The time zone dates without offset are read in.
    pub time_zone: TimeZone,
    /// The theme folder under `themes/`, if any.
    pub theme: Option<String>,
    /// The declared taxonomies.
    pub taxonomies: Vec<Taxonomy>,
    /// Named menus for the theme.
    pub menus: BTreeMap<String, Vec<MenuItem>>,
    /// Whether raw HTML in markdown is let through.
    pub unsafe_html: bool,
    /// What a front matter key that is neither built in nor a taxonomy is, in a section
    /// without a schema (`front_matter.unknown_keys`).
    pub unknown_keys: UnknownKeys,
    /// Feed formats and size.
    pub feeds: Feeds,
    /// The search index.
    pub search: Search,
    /// Minification and precompression of the output.
    pub publish: Publish,
    /// Typed front matter: the schema of each section that has one.
    pub schemas: Schemas,
    /// Files rendered by templates at paths of their own, in the order written.
    pub outputs: Vec<TemplateOutput>,
    /// Free values for the theme.
    pub extra: YamlValue,
}

/// Front matter keys that a taxonomy may not take.
pub const BUILT_IN_FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "weight",
    "aliases",
    "template",
    "extra",
    "paginate_by",
    "sort_by",
    "feed",
];

impl Config {
    /// Reads and resolves `<root>/site.yaml`; `base_url` overrides the file's.
    pub fn load(root: &Path, base_url: Option<&str>) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|err| {
            let mut d = Diagnostic::new(
                Code::io(&err),
                CONFIG_FILE,
                msg!("cannot read the configuration: {error}", error = err),
            );
            if err.kind() == std::io::ErrorKind::NotFound {
                d = d.hint(msg!(
                    "run wemi in the site's folder, or name it with --root (looked in {folder})",
                    folder = root.display()
                ));
            }
            Error::usage(vec![d])
        })?;
        Config::parse(&text, base_url)
    }

    /// Resolves the text of a `site.yaml`.
    pub fn parse(text: &str, base_url: Option<&str>) -> Result<Config> {
        let text = without_bom(text);
        let yaml_error = |e: yaml::YamlError| {
            let d = e.into_diagnostic(Path::new(CONFIG_FILE), 0, KeyCodes::CONFIG);
            Error::usage(vec![d])
        };
        // Parsed once: read as the settings, and searched for script URLs.
        let parsed = yaml::Parsed::new(text).map_err(yaml_error)?;
        let raw: RawConfig = parsed.typed().map_err(yaml_error)?;
        let RawConfig {
            title,
            description,
            base_url: file_base_url,
            language,
            languages,
            time_zone,
            theme,
            taxonomies,
            menus,
            markdown,
            front_matter,
            feeds,
            search,
            publish,
            schemas,
            outputs,
            extra,
        } = raw;
        let mut errors = Problems {
            text,
            found: script_urls(&parsed),
        };
        let (base_url, base_path) =
            resolve_base_url(base_url.unwrap_or(&file_base_url), &mut errors);
        let tz = resolve_time_zone(&time_zone, &mut errors);
        let languages = resolve_languages(&title, &language, languages, &mut errors);
        check_taxonomies(&taxonomies, &mut errors);
        if feeds.limit == 0 {
            errors.at(
                "feeds",
                msg!("`feeds.limit` must be at least 1"),
                msg!("write the number of entries per feed, e.g. `limit: 20`"),
            );
        }
        if !extra.is_map_or_null() {
            errors.at(
                "extra",
                msg!("`extra` must be a map of keys and values"),
                msg!("write `extra:` followed by indented `key: value` lines"),
            );
        }
        let schemas = resolve_schemas(schemas, &mut errors);
        let outputs = resolve_outputs(outputs, &mut errors);
        if !errors.found.is_empty() {
            return Err(Error::usage(errors.found));
        }
        Ok(Config {
            title,
            description,
            base_url,
            base_path,
            language,
            languages,
            time_zone_name: time_zone,
            time_zone: tz,
            theme,
            taxonomies: taxonomies.into_iter().map(Taxonomy::from).collect(),
            menus,
            unsafe_html: markdown.unsafe_html,
            unknown_keys: front_matter.unknown_keys,
            schemas,
            outputs,
            feeds: Feeds {
                atom: feeds.atom,
                rss: feeds.rss,
                limit: feeds.limit,
            },
            search: Search {
                enabled: search.enabled,
            },
            publish: Publish {
                minify: publish.minify,
                precompress: publish.precompress,
            },
            extra,
        })
    }

    /// True when `code` is one of the site's languages.
    pub fn has_language(&self, code: &str) -> bool {
        self.languages.iter().any(|l| l.code == code)
    }

    /// The root-relative URL (with the base path) of a site path such as `spazi/x/`.
    pub fn url(&self, path: &str) -> String {
        [self.base_path.as_str(), path.trim_start_matches('/')].concat()
    }

    /// The absolute URL of a site path such as `spazi/x/`.
    pub fn permalink(&self, path: &str) -> String {
        [self.base_url.as_str(), path.trim_start_matches('/')].concat()
    }
}

/// The problems found in a `site.yaml`, each at the line of its key.
struct Problems<'a> {
    /// The file's text.
    text: &'a str,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    /// A problem with the value of the top-level `key`.
    fn at(&mut self, key: &str, message: Text, hint: Text) {
        let d = Diagnostic::new(Code::ConfigValue, CONFIG_FILE, message).hint(hint);
        self.found.push(match yaml::key_line(self.text, key) {
            Some(line) => d.at_line(line),
            None => d,
        });
    }
}

/// The base URL, ending in `/`, and its path; an URL that is not absolute, or holds a
/// control character, is a problem.
fn resolve_base_url(base_url: &str, errors: &mut Problems) -> (String, String) {
    let base_path = match split_base_url(base_url) {
        Ok(path) => path,
        Err((message, hint)) => {
            errors.at("base_url", message, hint);
            "/".into()
        }
    };
    (format!("{}/", base_url.trim_end_matches('/')), base_path)
}

/// The time zone named `name`; an unknown name is a problem (and UTC stands in).
fn resolve_time_zone(name: &str, errors: &mut Problems) -> TimeZone {
    match jiff::tz::db().get(name) {
        Ok(tz) => tz,
        Err(_) => {
            errors.at(
                "time_zone",
                msg!("unknown time zone `{zone}`", zone = name),
                msg!("use an IANA name such as Europe/Rome"),
            );
            TimeZone::UTC
        }
    }
}

/// Every language, the default one (`language`, titled `title`) first; a code that is not a
/// language code or names the default language again is a problem.
fn resolve_languages(
    title: &str,
    language: &str,
    languages: BTreeMap<String, RawLanguage>,
    errors: &mut Problems,
) -> Vec<Language> {
    let mut all_languages = vec![Language {
        code: language.to_string(),
        title: title.to_string(),
    }];
    for (code, lang) in languages {
        all_languages.push(Language {
            title: lang.title.unwrap_or_else(|| title.to_string()),
            code,
        });
    }
    for lang in &all_languages {
        // A language is a folder of the site: `nul/` could not be published everywhere.
        if !is_language_code(&lang.code)
            || crate::base::site_path::segment_problem(&lang.code).is_some()
        {
            errors.at(
                if lang.code == language {
                    "language"
                } else {
                    "languages"
                },
                msg!("`{code}` is not a language code", code = lang.code),
                msg!("use a lowercase ISO 639-1 code such as it, en or ar"),
            );
        }
    }
    if all_languages[1..].iter().any(|l| l.code == language) {
        errors.at(
            "languages",
            msg!(
                "`{code}` is the default language and cannot be listed again",
                code = language
            ),
            msg!("remove it from `languages`"),
        );
    }
    all_languages
}

/// Each taxonomy needs a name of its own that can be a folder of the site, and at least one
/// page per term page.
fn check_taxonomies(taxonomies: &[RawTaxonomy], errors: &mut Problems) {
    let mut seen = std::collections::HashSet::new();
    for t in taxonomies {
        if BUILT_IN_FIELDS.contains(&t.name.as_str()) {
            errors.at(
                "taxonomies",
                msg!(
                    "the taxonomy `{name}` has the name of a built-in field",
                    name = t.name
                ),
                msg!("choose another name"),
            );
        } else if !crate::base::slug::is_slug(&t.name.replace('_', "-")) {
            errors.at(
                "taxonomies",
                msg!(
                    "the taxonomy name `{name}` is not a simple lowercase word",
                    name = t.name
                ),
                msg!("use lowercase letters, digits, hyphens and underscores only"),
            );
        } else if let Some(problem) = crate::base::site_path::segment_problem(&t.name) {
            errors.at(
                "taxonomies",
                msg!(
                    "the taxonomy `{name}` cannot be published: {problem}",
                    name = t.name,
                    problem = problem.describe(&t.name)
                ),
                msg!("choose another name"),
            );
        } else if !seen.insert(t.name.as_str()) {
            errors.at(
                "taxonomies",
                msg!("the taxonomy `{name}` is declared twice", name = t.name),
                msg!("remove one of them"),
            );
        }
        if t.paginate_by == Some(0) {
            errors.at(
                "paginate_by",
                msg!(
                    "`paginate_by` of the taxonomy `{name}` must be at least 1",
                    name = t.name
                ),
                msg!("write the number of pages per term page, e.g. `paginate_by: 10`"),
            );
        }
    }
}

impl From<RawTaxonomy> for Taxonomy {
    fn from(raw: RawTaxonomy) -> Taxonomy {
        let RawTaxonomy {
            name,
            title,
            term_title,
            paginate_by,
            feed,
            sort_by,
            render,
        } = raw;
        Taxonomy {
            title: title.unwrap_or_else(|| capitalise(&name)),
            term_title: term_title.unwrap_or_else(|| "{term}".into()),
            name,
            paginate_by,
            feed: feed && render,
            sort_by,
            render,
        }
    }
}

/// The schema of each section; a mistake in one is a problem at the field it names.
fn resolve_schemas(raw: Ordered<Ordered<RawField>>, errors: &mut Problems) -> Schemas {
    let outline = crate::base::yaml::outline::outline(errors.text);
    let mut schemas = Schemas::new();
    for (section, fields) in raw.0 {
        match Schema::from_raw(&section, fields) {
            Ok(schema) => {
                schemas.insert(section, schema);
            }
            Err(problems) => {
                for (path, message, hint) in problems {
                    let mut segments = path.split('.');
                    let located = outline
                        .get("schemas")
                        .and_then(|o| o.get(segments.next()?))
                        .and_then(|o| o.get(segments.next()?).or(Some(o)));
                    let mut d = Diagnostic::new(
                        Code::ConfigSchema,
                        CONFIG_FILE,
                        msg!("schema `{path}`: {problem}", path = path, problem = message),
                    )
                    .hint(hint);
                    if let Some(o) = located {
                        d = d.at(o.line, o.column);
                    }
                    errors.found.push(d);
                }
            }
        }
    }
    schemas
}

/// The script URLs among the values of `site.yaml` (`parsed`), each an error where it is
/// written, as in front matter and data files: a menu's `url`, a schema field's `default`
/// (which pages receive) and `extra` reach templates like any value of theirs.
fn script_urls(parsed: &yaml::Parsed) -> Vec<Diagnostic> {
    let path = Path::new(CONFIG_FILE);
    parsed
        .strings_where(true, &|s| script_url::in_value(s).is_some())
        .into_iter()
        .filter_map(|(key, text, line, column)| {
            let scheme = script_url::in_value(&text)?;
            Some(script_url::refused_value(path, &key, scheme).at(line, column))
        })
        .collect()
}

/// Each output with its path in normal form and its place in `site.yaml`; a path that is not
/// one of a file of the site, or that names the file of an earlier output in any spelling a
/// host would serve from one file ([`site_path::collision_key`]), is a problem at its entry.
/// A collision with a page or a static file is found later, with every other one, when the
/// site's files are put together.
fn resolve_outputs(raw: Vec<RawOutput>, errors: &mut Problems) -> Vec<TemplateOutput> {
    let outline = crate::base::yaml::outline::outline(errors.text);
    let entries = outline.get("outputs");
    let mut outputs: Vec<TemplateOutput> = Vec::with_capacity(raw.len());
    // The collision key of each output's path → its index in `outputs`.
    let mut taken: HashMap<String, usize> = HashMap::new();
    for (i, RawOutput { path, template }) in raw.into_iter().enumerate() {
        let position = entries.and_then(|list| list.item(i)).map(|entry| {
            let at = entry.get("path").unwrap_or(entry);
            (at.line, at.column)
        });
        let rooted = if path.starts_with('/') {
            path.clone()
        } else {
            format!("/{path}")
        };
        let (code, message, hint) = match site_path::normalize(&rooted) {
            Ok(normal) if normal.is_empty() || normal.ends_with('/') => (
                Code::ConfigValue,
                msg!(
                    "the output `{path}` names a folder, not a file",
                    path = path
                ),
                msg!("end the path with the file's name, such as spazi/spazi.csv"),
            ),
            Ok(normal) => {
                let key = site_path::collision_key(&normal).into_owned();
                if let Some(&first) = taken.get(&key) {
                    let first: &TemplateOutput = &outputs[first];
                    (
                        Code::OutputCollision,
                        msg!(
                            "the outputs `{path}` and `{first}` (line {line}) would be written to the same file",
                            path = path,
                            first = first.path,
                            line = first.position.map_or(0, |(line, _)| line)
                        ),
                        msg!("remove one of them, or give it another path"),
                    )
                } else if crate::base::markup::runs_scripts(&normal)
                    && !crate::base::markup::escaping_template(&template)
                {
                    (
                        Code::ConfigValue,
                        msg!(
                            "the output `{path}` is a file a browser runs scripts from, and its template `{template}` escapes nothing it prints",
                            path = path,
                            template = template
                        ),
                        msg!(
                            "give it a template whose name ends in .html or .xml, or a path of the template's own type, such as spazi/spazi.csv"
                        ),
                    )
                } else {
                    taken.insert(key, outputs.len());
                    outputs.push(TemplateOutput {
                        path: normal,
                        template,
                        position,
                    });
                    continue;
                }
            }
            Err(UrlProblem::Segment(segment, problem)) => (
                Code::ConfigValue,
                msg!(
                    "the output `{path}` cannot be published: {problem}",
                    path = path.escape_debug(),
                    problem = problem.describe(&segment)
                ),
                msg!("rename the file using letters, digits, hyphens and dots"),
            ),
            Err(_) => (
                Code::ConfigValue,
                msg!(
                    "the output `{path}` is not the path of a file of this site",
                    path = path.escape_debug()
                ),
                msg!(
                    "write a path from the site's root such as spazi/spazi.csv: names between `/`, without `..`, `?`, `#` or `%`"
                ),
            ),
        };
        let mut d = Diagnostic::new(code, CONFIG_FILE, message).hint(hint);
        if let Some((line, column)) = position {
            d = d.at(line, column);
        }
        errors.found.push(d);
    }
    outputs
}

/// The path of an absolute http(s) URL, ending in `/`; when `url` is not one, the error's
/// message and hint.
fn split_base_url(url: &str) -> std::result::Result<String, (Text, Text)> {
    // A line break would end the line of robots.txt that names the sitemap, and let the
    // rest of the address write a line of its own.
    if url.contains(char::is_control) {
        return Err((
            msg!(
                "`base_url` holds a control character (a line break, a tab…): `{url}`",
                url = url.escape_debug()
            ),
            msg!("write the address on one line, without invisible characters"),
        ));
    }
    let not_absolute = || {
        (
            msg!(
                "`base_url` must be an absolute http(s) URL, found `{url}`",
                url = url
            ),
            msg!("write it like https://wemi.comune.milano.it/"),
        )
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(not_absolute)?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.contains('@') {
        return Err((
            msg!(
                "`base_url` holds a user name or password (before `@`): every page, feed and sitemap would publish it, found `{url}`",
                url = url
            ),
            msg!("write it like https://wemi.comune.milano.it/"),
        ));
    }
    if !is_host(host) || !is_url_path(path) {
        return Err(not_absolute());
    }
    let path = path.trim_end_matches('/');
    Ok(if path.is_empty() {
        "/".into()
    } else {
        format!("/{path}/")
    })
}

/// A host of an http(s) URL with its port, if any: a name of letters, digits, dots, hyphens
/// and underscores (in any script) or an IPv6 address in brackets, and a port from 1 to
/// 65535.
fn is_host(host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !port.contains(']') => (name, Some(port)),
        _ => (host, None),
    };
    let port_ok = port.is_none_or(|p| {
        p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n))
    });
    let name_ok = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(ip) => ip.parse::<std::net::Ipv6Addr>().is_ok(),
        None => {
            !name.is_empty()
                && !name.starts_with(['.', '-'])
                && name
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
        }
    };
    port_ok && name_ok
}

/// A path of an http(s) URL (after the host's `/`) that means what it says in every page and
/// the sitemap: no query or fragment, no `.` or `..` part, no space, backslash, quote, angle
/// bracket or invisible character (right-to-left marks) anywhere.
fn is_url_path(path: &str) -> bool {
    let plain = |c: char| {
        !c.is_whitespace()
            && !matches!(
                c,
                '?' | '#' | '\\' | '"' | '<' | '>' | '`' | '^' | '{' | '|' | '}'
            )
            && !matches!(u32::from(c), 0x200B..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF)
    };
    path.chars().all(plain) && path.split('/').all(|part| part != "." && part != "..")
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// What a front matter key that is neither built in, a taxonomy nor a field of the section's
/// schema is, in a section without a schema (a section with one always refuses it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownKeys {
    /// An error at its line (most likely a typo).
    #[default]
    Error,
    /// Kept under `page.extra`, with a warning at its line.
    Warn,
    /// Kept under `page.extra` for templates, silently (a site migrated from elsewhere).
    Extra,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first (undated pages last).
    #[default]
    Date,
    /// Lightest `weight` first.
    Weight,
    /// By title, as Italian readers sort.
    Title,
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: WeMi\nbase_url: https://example.org/wemi\n";

    #[test]
    fn a_config_saved_with_a_byte_order_mark_and_crlf_reads_as_without() {
        let windows = format!("\u{feff}{}", MINIMAL.replace('\n', "\r\n"));
        let c = Config::parse(&windows, None).unwrap();
        assert_eq!(c.title, "WeMi");
        assert_eq!(c.base_url, "https://example.org/wemi/");
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = Config::parse(MINIMAL, None).unwrap();
        assert_eq!(c.base_url, "https://example.org/wemi/");
        assert_eq!(c.base_path, "/wemi/");
        assert_eq!(c.language, "it");
        assert_eq!(c.time_zone_name, "Europe/Rome");
        assert_eq!(c.url("/spazi/"), "/wemi/spazi/");
        assert_eq!(c.permalink("spazi/"), "https://example.org/wemi/spazi/");
        assert_eq!(
            c.feeds,
            Feeds {
                atom: true,
                rss: false,
                limit: 20
            }
        );
    }

    #[test]
    fn taxonomy_options() {
        let c = Config::parse(
            "title: t\nbase_url: https://x.it/\ntaxonomies:\n  - { name: municipio, term_title: \"Municipio {term}\", paginate_by: 5, feed: true, sort_by: title }\n  - name: tags\n",
            None,
        )
        .unwrap();
        let m = &c.taxonomies[0];
        assert_eq!(m.term_display("4"), "Municipio 4");
        assert_eq!(
            (m.paginate_by, m.feed, m.sort_by),
            (Some(5), true, SortBy::Title)
        );
        assert_eq!(m.title, "Municipio");
        assert_eq!(c.taxonomies[1].term_display("anziani"), "anziani");
    }

    #[test]
    fn taxonomies_and_languages_windows_reserves_are_refused() {
        let err = Config::parse(
            "title: t\nbase_url: https://x.it/\nlanguages:\n  nul: {}\ntaxonomies:\n  - name: con\n",
            None,
        )
        .unwrap_err();
        let messages: Vec<&str> = err.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[0], "`nul` is not a language code");
        assert!(
            messages[1].starts_with("the taxonomy `con` cannot be published: `con` is a name"),
            "{messages:?}"
        );
    }

    /// A taxonomy's name is lowercase letters, digits, hyphens and underscores; checking a
    /// long list of them takes linear time (a name is looked up among those seen in a set).
    #[test]
    fn taxonomy_names_are_plain_words_and_checked_in_linear_time() {
        let config = |names: &[&str]| {
            let list: String = names
                .iter()
                .map(|n| format!("  - name: \"{n}\"\n"))
                .collect();
            Config::parse(
                &format!("title: t\nbase_url: https://x.it/\ntaxonomies:\n{list}"),
                None,
            )
        };
        assert!(config(&["municipio", "tipo_di_servizio", "fascia-eta"]).is_ok());
        for bad in ["a_ b", "UP_PER", "a_b/c", "é_"] {
            let err = config(&[bad]).unwrap_err();
            assert!(
                err.diagnostics[0]
                    .message
                    .contains("is not a simple lowercase word"),
                "{bad}: {:?}",
                err.diagnostics[0].message
            );
        }
        let many: Vec<String> = (0..50_000).map(|i| format!("t{i}")).collect();
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        let started = std::time::Instant::now();
        assert!(config(&names).is_ok());
        // Quadratic, this took seconds (40,000 names: 1.4 s in a release build).
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    /// A script URL anywhere in site.yaml is an error where it is written: a menu's `url`, a
    /// schema field's `default` (pages receive it in `page.fields`), `extra`.
    #[test]
    fn script_urls_in_site_yaml_are_refused_where_written() {
        let text = "title: t\nbase_url: https://x.it/\nmenus:\n  main:\n    - { name: M, url: \" JaVa\\tScRiPt:alert(1)\" }\n\
                    schemas:\n  prova:\n    m: { type: string, default: \"javascript:alert(2)\" }\n\
                    extra:\n  owner_url: \"data:text/html,<script>x</script>\"\n  data: \"Data: 26 ottobre\"\n";
        let err = Config::parse(text, None).unwrap_err();
        let found: Vec<(Option<usize>, Option<usize>, &str)> = err
            .diagnostics
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (Some(5), Some(23)), "{found:?}");
        assert!(
            found[0]
                .2
                .starts_with("`menus.main[0].url` is a javascript: address")
        );
        assert_eq!(found[1].0, Some(8), "{found:?}");
        assert!(
            found[1]
                .2
                .starts_with("`schemas.prova.m.default` is a javascript: address")
        );
        assert_eq!(found[2].0, Some(10), "{found:?}");
        assert!(
            found[2]
                .2
                .starts_with("`extra.owner_url` is a data: address")
        );
    }

    /// A base URL is refused when its pages and sitemap would carry what it should not: a user
    /// name or password, a query or fragment anywhere, a port out of range, an empty host, a
    /// `..`, a space, a backslash, a quote or an invisible right-to-left mark.
    #[test]
    fn base_urls_that_would_publish_the_wrong_address_are_refused() {
        let config = |url: &str| Config::parse(&format!("title: t\nbase_url: '{url}'\n"), None);
        for good in [
            "https://wemi.comune.milano.it/",
            "http://127.0.0.1:1111",
            "http://[::1]:4000/wemi/",
            "http://anteprima_wemi.intranet:8080/",
            "https://città.example/a%20b/",
        ] {
            assert!(config(good).is_ok(), "{good}");
        }
        for bad in [
            "https://x.it#frag/",
            "https://x.it?q=1/",
            "https://user:secret@x.it/",
            "https://@/",
            "https://x.it:99999/",
            "https://x.it:0/",
            "https://x.it/a b/",
            "https://x.it/../../",
            "https://x.it\\/p/",
            "https://x.it/a\u{202e}b/",
            "https://x\"y.it/",
            "https://x.it/<b>/",
        ] {
            let err = config(bad).unwrap_err();
            assert!(
                err.diagnostics[0].message.starts_with("`base_url`"),
                "{bad}: {:?}",
                err.diagnostics[0].message
            );
        }
    }

    #[test]
    fn base_url_override_wins() {
        let c = Config::parse(MINIMAL, Some("http://127.0.0.1:1111")).unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:1111/");
        assert_eq!(c.base_path, "/");
    }

    #[test]
    fn a_control_character_in_the_base_url_is_an_error_at_its_line() {
        let text = "title: WeMi\nbase_url: \"https://x.it/s.xml\\nDisallow: /\"\n";
        let err = Config::parse(text, None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let d = &err.diagnostics[0];
        assert_eq!(
            (d.path.as_path(), d.line),
            (Path::new("site.yaml"), Some(2))
        );
        assert_eq!(
            d.message,
            "`base_url` holds a control character (a line break, a tab…): `https://x.it/s.xml\\nDisallow: /`"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write the address on one line, without invisible characters")
        );
        // Given with --base-url, it is refused the same way.
        let err = Config::parse(MINIMAL, Some("https://x.it/\tsub")).unwrap_err();
        assert!(err.diagnostics[0].message.contains("`https://x.it/\\tsub`"));
    }

    #[test]
    fn bad_values_are_all_reported_with_lines() {
        let text = "title: WeMi\nbase_url: wemi.it\ntime_zone: Europe/Milano\n";
        let err = Config::parse(text, None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let lines: Vec<_> = err.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)]);
    }

    #[test]
    fn unknown_key_names_the_closest() {
        let err =
            Config::parse("title: WeMi\nbase_url: https://x.it/\nthme: wemi\n", None).unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(d.line, Some(3));
        assert_eq!(d.hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn messages_in_italian() {
        let err =
            Config::parse("title: WeMi\nbase_url: https://x.it/\nthme: wemi\n", None).unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(d.message_it.as_deref(), Some("chiave sconosciuta `thme`"));
        assert_eq!(d.hint_it.as_deref(), Some("forse intendevi `theme`?"));

        let err = Config::parse("title: WeMi\nbase_url: wemi.it\n", None).unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(
            d.message_it.as_deref(),
            Some(
                "`base_url` deve essere un indirizzo completo che inizia con http:// o https://, trovato `wemi.it`"
            )
        );
        assert_eq!(
            d.hint_it.as_deref(),
            Some("scrivilo così: https://wemi.comune.milano.it/")
        );

        let err = Config::parse(
            "title: WeMi\nbase_url: https://x.it/\nschemas:\n  spazi:\n    a: { type: integr }\n",
            None,
        )
        .unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!(d.message, "schema `spazi.a`: unknown type `integr`");
        assert_eq!(
            d.message_it.as_deref(),
            Some("nello schema `spazi.a`: tipo sconosciuto `integr`")
        );
        assert_eq!(d.hint_it.as_deref(), Some("forse intendevi `integer`?"));
    }
}
