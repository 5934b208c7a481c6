//! What templates see: view structs borrowing from the [`Site`], turned into Tera values once.
//!
//! Each page becomes one `tera::Value` up front, as listings see it; a listing holds clones of
//! those values, which share their data (Tera values are reference-counted), so no template
//! context copies the site. What only a page's own template sees (its `toc`, `previous`,
//! `next`, `aliases`, `assets`, `ancestors`) is added when its page is rendered and let go
//! with it ([`own_page`]), so that the views of a big site stay small. Sections are whole from
//! the start. The README's "Templates" section documents every field here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::base::date::rfc3339;
use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;
use crate::base::layout::CONFIG_FILE;
use crate::base::yaml::YamlValue;
use crate::config::{Config, MenuItem};
use crate::content::document::{Document, Taxonomies, shown_path};
use crate::markdown::{Heading, SharedHtml};
use crate::render::bodies::{Bodies, Body};
use crate::render::templates::SiteViews;
use crate::site::{Site, lang_prefix};

#[derive(Serialize)]
struct ConfigView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    language: &'a str,
    languages: Vec<LanguageView<'a>>,
    time_zone: &'a str,
    taxonomies: Vec<&'a str>,
    menus: &'a BTreeMap<String, Vec<MenuItem>>,
    feeds: FeedsView,
    /// Root-relative URLs of the files `outputs:` publishes, so a theme links only those.
    outputs: Vec<String>,
    extra: &'a YamlValue,
}

#[derive(Serialize)]
struct LanguageView<'a> {
    code: &'a str,
    title: &'a str,
    path: String,
}

#[derive(Serialize)]
struct LinkView<'a> {
    lang: &'a str,
    title: &'a str,
    path: String,
    permalink: String,
}

/// Fields shared by pages and sections. The `Option`s are left out of a page as listed and
/// given to its own template only ([`own_page`]); a section has them all.
#[derive(Serialize)]
struct DocumentView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    date: Option<String>,
    updated: Option<String>,
    path: String,
    permalink: String,
    lang: &'a str,
    /// `()` holding the key's place: the body replaces it ([`with_body`]). Left out of a page
    /// as listed, as the `Option`s below are.
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<()>,
    /// A page's shared summary; none in a section's until the body's replaces it
    /// ([`with_body`]).
    summary: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    toc: Option<&'a [Heading]>,
    word_count: usize,
    reading_time: usize,
    draft: bool,
    weight: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aliases: Option<Vec<String>>,
    taxonomies: &'a Taxonomies,
    extra: &'a YamlValue,
    relative_path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    ancestors: Option<Vec<&'a str>>,
    /// A page's links to its translations; none in a section's until they replace it
    /// ([`with_fields`]).
    translations: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    assets: Option<Vec<String>>,
    /// A page's slug (a section has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    slug: Option<&'a str>,
    /// A page's section (its `relative_path`, none for a page outside any); a section has no
    /// such key.
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<Option<&'a str>>,
}

/// The keys of a page's object for its own template, in order: those of the page as listed,
/// with the ones only its template sees ([`OWN_KEYS`]) in their places.
const PAGE_KEYS: [&str; 26] = [
    "title",
    "description",
    "date",
    "updated",
    "path",
    "permalink",
    "lang",
    "content",
    "summary",
    "toc",
    "word_count",
    "reading_time",
    "draft",
    "weight",
    "aliases",
    "taxonomies",
    "extra",
    "relative_path",
    "ancestors",
    "translations",
    "assets",
    "slug",
    "section",
    "previous",
    "next",
    "fields",
];

/// The keys of a page only its own template sees.
const OWN_KEYS: [&str; 7] = [
    "content",
    "toc",
    "aliases",
    "ancestors",
    "assets",
    "previous",
    "next",
];

/// Root-relative URLs of the feeds of a listing.
#[derive(Serialize)]
struct FeedsView {
    atom: Option<String>,
    rss: Option<String>,
}

impl FeedsView {
    fn new(config: &Config, listing_path: &str, has_feed: bool) -> FeedsView {
        let url = |on: bool, file: &str| {
            (has_feed && on).then(|| config.url(&format!("{listing_path}{file}")))
        };
        FeedsView {
            atom: url(config.feeds.atom, ATOM_FILE),
            rss: url(config.feeds.rss, RSS_FILE),
        }
    }
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    title: String,
    slug: &'a str,
    path: String,
    permalink: String,
    count: usize,
    feeds: FeedsView,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    title: &'a str,
    lang: &'a str,
    path: String,
    permalink: String,
}

#[derive(Serialize)]
struct SubsectionView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    path: String,
    permalink: String,
    relative_path: &'a str,
}

/// The file name of Atom feeds, in the folder of their listing.
pub const ATOM_FILE: &str = "atom.xml";
/// The file name of RSS feeds, in the folder of their listing.
pub const RSS_FILE: &str = "rss.xml";

/// The Tera values of a whole site.
pub struct SiteValues {
    /// One per page, in the order of [`Site::pages`].
    pub pages: Vec<Value>,
    /// One per section, in the order of [`Site::sections`].
    pub sections: Vec<Value>,
    /// One per taxonomy index, in the order of [`Site::taxonomies`]: `(taxonomy, terms)`,
    /// each term carrying all its pages.
    pub taxonomies: Vec<(Value, Vec<Value>)>,
}

impl SiteValues {
    /// These values, as a renderer takes them.
    pub fn views(&self) -> SiteViews<'_> {
        SiteViews {
            pages: &self.pages,
            sections: &self.sections,
            taxonomies: &self.taxonomies,
        }
    }
}

/// The view of `doc`, published at `path`, without the fields only its own template sees:
/// [`DocumentView::own`] adds them.
fn document_view<'a>(site: &'a Site, doc: &'a Document, path: &str) -> DocumentView<'a> {
    let config = &site.config;
    let meta = &doc.meta;
    DocumentView {
        title: meta.title.as_deref().unwrap_or_default(),
        description: meta.description.as_deref(),
        date: meta.date.as_ref().map(rfc3339),
        updated: meta.updated.as_ref().map(rfc3339),
        path: config.url(path),
        permalink: config.permalink(path),
        lang: &doc.source.lang,
        content: None,
        summary: Value::none(),
        toc: None,
        word_count: doc.body.word_count,
        reading_time: doc.body.word_count.div_ceil(200).max(1),
        draft: meta.draft,
        weight: meta.weight,
        aliases: None,
        taxonomies: &meta.taxonomies,
        extra: &meta.extra,
        relative_path: &doc.source.relative,
        ancestors: None,
        translations: Value::none(),
        assets: None,
        slug: None,
        section: None,
    }
}

impl<'a> DocumentView<'a> {
    /// The view with the fields only its own template sees: the table of contents, aliases,
    /// the sections it is in (`ancestors`, indices from the outermost) and its `assets`.
    fn own(
        mut self,
        site: &'a Site,
        doc: &'a Document,
        ancestors: Vec<usize>,
        assets: &[String],
    ) -> Self {
        let own = own_fields(site, doc, ancestors, assets);
        self.content = Some(());
        self.toc = Some(own.toc);
        self.aliases = Some(own.aliases);
        self.ancestors = Some(own.ancestors);
        self.assets = Some(own.assets);
        self
    }
}

/// What only a document's own template sees, besides a page's neighbours.
struct OwnFields<'a> {
    toc: &'a [Heading],
    aliases: Vec<String>,
    ancestors: Vec<&'a str>,
    assets: Vec<String>,
}

fn own_fields<'a>(
    site: &'a Site,
    doc: &'a Document,
    ancestors: Vec<usize>,
    assets: &[String],
) -> OwnFields<'a> {
    let config = &site.config;
    OwnFields {
        toc: &doc.body.toc,
        aliases: doc
            .meta
            .aliases
            .iter()
            .map(|a| format!("/{}", a.path))
            .collect(),
        ancestors: ancestors
            .into_iter()
            .map(|i| site.sections[i].doc.source.relative.as_str())
            .collect(),
        assets: assets.iter().map(|a| config.url(a)).collect(),
    }
}

/// The link to a document published at `path`: what `previous`, `next` and `translations`
/// hold.
fn link(config: &Config, doc: &Document, path: &str) -> Result<Value, String> {
    to_value(&LinkView {
        lang: &doc.source.lang,
        title: doc.meta.title.as_deref().unwrap_or_default(),
        path: config.url(path),
        permalink: config.permalink(path),
    })
}

fn to_value(view: &impl Serialize) -> Result<Value, String> {
    Value::try_from_serializable(view).map_err(|e| e.to_string())
}

/// `config` as every template sees it.
pub fn config_value(config: &Config) -> Result<Value, Diagnostic> {
    to_value(&ConfigView {
        title: &config.title,
        description: config.description.as_deref(),
        base_url: &config.base_url,
        language: &config.language,
        languages: config
            .languages
            .iter()
            .map(|l| LanguageView {
                code: &l.code,
                title: &l.title,
                path: config.url(&lang_prefix(config, &l.code)),
            })
            .collect(),
        time_zone: &config.time_zone_name,
        taxonomies: config.taxonomies.iter().map(|t| t.name.as_str()).collect(),
        menus: &config.menus,
        feeds: FeedsView::new(config, "", true),
        outputs: config.outputs.iter().map(|o| config.url(&o.path)).collect(),
        extra: &config.extra,
    })
    .map_err(|e| {
        Diagnostic::new(
            Code::TemplateValues,
            CONFIG_FILE,
            msg!(
                "cannot pass the configuration to the templates: {error}",
                error = e
            ),
        )
    })
}

/// Builds every view of `site`, whose pages and sections have `bodies`. Fails only on values
/// Tera cannot hold (reported per file).
pub fn build(site: &Site, bodies: &Bodies) -> Result<SiteValues, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    // The link to a page (in another's `translations`) is made once, shared by the pages that
    // show it.
    let links: Vec<OnceLock<Result<Value, String>>> =
        site.pages.iter().map(|_| OnceLock::new()).collect();
    let link_to = |i: usize| {
        let page = &site.pages[i];
        links[i]
            .get_or_init(|| link(&site.config, &page.doc, &page.path))
            .clone()
    };
    let pages: Vec<Value> = (0..site.pages.len())
        .into_par_iter()
        .with_max_len(crate::base::PARALLEL_BATCH)
        .map(|i| page_value(site, i, &site.pages[i].doc, &bodies.pages[i], &link_to))
        .collect::<Vec<_>>()
        .into_iter()
        .zip(&site.pages)
        .map(|(view, page)| value_or_error(&page.doc, view, &mut errors))
        .collect();
    // Schema fields come second: a reference field holds the page it points to, with that
    // page's own fields (whose references, one level further, hold pages without fields).
    let pages = add_fields(site, pages);
    let sections = section_values(site, &bodies.sections, &pages, &mut errors);
    let taxonomies = taxonomy_values(site, &pages, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SiteValues {
        pages,
        sections,
        taxonomies,
    })
}

/// `values`, made by [`build`] from other bodies of `site` whose pages had the same
/// summaries as `bodies` (the one part of a body a page's value holds), with the sections'
/// values made again from `bodies`: what [`build`] would make from `bodies`.
pub fn with_sections(
    values: SiteValues,
    site: &Site,
    bodies: &Bodies,
) -> Result<SiteValues, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let sections = section_values(site, &bodies.sections, &values.pages, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SiteValues { sections, ..values })
}

/// `view`, or `none` with an error on `doc` when Tera cannot hold it.
fn value_or_error(
    doc: &Document,
    view: Result<Value, String>,
    errors: &mut Vec<Diagnostic>,
) -> Value {
    view.unwrap_or_else(|e| {
        errors.push(values_error(doc, &e));
        Value::none()
    })
}

/// The value of every section, listing the values of its `pages`.
fn section_values(
    site: &Site,
    bodies: &[Body],
    pages: &[Value],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Value> {
    let config = &site.config;
    site.sections
        .iter()
        .zip(bodies)
        .map(|(section, body)| {
            let translations = section
                .translations
                .iter()
                .map(|&t| link(config, &site.sections[t].doc, &site.sections[t].path))
                .collect::<Result<Vec<Value>, String>>();
            let doc = document_view(site, &section.doc, &section.path).own(
                site,
                &section.doc,
                site.ancestors(section.parent),
                &section.assets,
            );
            let subsections: Vec<SubsectionView> = section
                .subsections
                .iter()
                .map(|&i| {
                    let s = &site.sections[i];
                    SubsectionView {
                        title: s.doc.meta.title.as_deref().unwrap_or_default(),
                        description: s.doc.meta.description.as_deref(),
                        path: config.url(&s.path),
                        permalink: config.permalink(&s.path),
                        relative_path: &s.doc.source.relative,
                    }
                })
                .collect();
            let listed: Vec<Value> = section.pages.iter().map(|&i| pages[i].clone()).collect();
            let value = to_value(&doc).and_then(|v| {
                Ok(with_fields(
                    with_body(v, body),
                    [
                        ("translations", Value::from(translations?)),
                        ("pages", Value::from(listed)),
                        ("subsections", to_value(&subsections)?),
                        (
                            "feeds",
                            to_value(&FeedsView::new(
                                config,
                                &section.path,
                                section.doc.meta.listing.feed,
                            ))?,
                        ),
                    ],
                ))
            });
            value_or_error(&section.doc, value, errors)
        })
        .collect()
}

/// The value of every taxonomy index, with its terms, each listing the values of its
/// `pages`.
fn taxonomy_values(
    site: &Site,
    pages: &[Value],
    errors: &mut Vec<Diagnostic>,
) -> Vec<(Value, Vec<Value>)> {
    let config = &site.config;
    site.taxonomies
        .iter()
        .map(|index| {
            let taxonomy = &config.taxonomies[index.taxonomy];
            let terms: Vec<Value> = index
                .terms
                .iter()
                .map(|term| {
                    let view = TermView {
                        name: &term.name,
                        title: taxonomy.term_display(&term.name),
                        slug: &term.slug,
                        path: config.url(&term.path),
                        permalink: config.permalink(&term.path),
                        count: term.pages.len(),
                        feeds: FeedsView::new(config, &term.path, taxonomy.feed),
                    };
                    let listed: Vec<Value> = term.pages.iter().map(|&i| pages[i].clone()).collect();
                    to_value(&view)
                        .map(|v| with_fields(v, [("pages", Value::from(listed))]))
                        .unwrap_or_else(|e| {
                            errors.push(Diagnostic::new(
                                Code::TemplateValues,
                                CONFIG_FILE,
                                msg!(
                                    "cannot pass the term `{term}` of the taxonomy `{taxonomy}` to the templates: {error}",
                                    term = term.name,
                                    taxonomy = taxonomy.name,
                                    error = e
                                ),
                            ));
                            Value::none()
                        })
                })
                .collect();
            let view = TaxonomyView {
                name: &taxonomy.name,
                title: &taxonomy.title,
                lang: &index.lang,
                path: config.url(&index.path),
                permalink: config.permalink(&index.path),
            };
            let value = to_value(&view)
                .map(|v| with_fields(v, [("terms", Value::from(terms.clone()))]))
                .unwrap_or_else(|e| {
                    errors.push(Diagnostic::new(
                        Code::TemplateValues,
                        CONFIG_FILE,
                        msg!(
                            "cannot pass the taxonomy `{taxonomy}` to the templates: {error}",
                            taxonomy = taxonomy.name,
                            error = e
                        ),
                    ));
                    Value::none()
                });
            (value, terms)
        })
        .collect()
}

/// The value of page `index` as listed, seen as `doc` with `body`, without its `fields`;
/// `link_to` gives the link to another page (by index).
fn page_value(
    site: &Site,
    index: usize,
    doc: &Document,
    body: &Body,
    link_to: &dyn Fn(usize) -> Result<Value, String>,
) -> Result<Value, String> {
    let page = &site.pages[index];
    let translations = page
        .translations
        .iter()
        .map(|&t| link_to(t))
        .collect::<Result<Vec<Value>, String>>()?;
    let section = page
        .section
        .map(|s| site.sections[s].doc.source.relative.as_str());
    // One map, made once: the summary and the links are Tera values already, passed through
    // as they are (the summary shared, not copied).
    to_value(&DocumentView {
        summary: body.summary.as_ref().map(SharedHtml::to_value).into(),
        translations: Value::from(translations),
        slug: Some(&page.slug),
        section: Some(section),
        ..document_view(site, doc, &page.path)
    })
}

/// Page `index`, seen as `doc` with `body`, as its own template sees it: `listed`, its value
/// as listings see it, with what only its template sees ([`OWN_KEYS`]) in their places.
pub fn own_page(
    site: &Site,
    index: usize,
    doc: &Document,
    body: &Body,
    listed: &Value,
) -> Result<Value, String> {
    let config = &site.config;
    let page = &site.pages[index];
    let own = own_fields(site, doc, site.ancestors(page.section), &page.assets);
    let neighbour = |i: Option<usize>| {
        i.map(|i| link(config, &site.pages[i].doc, &site.pages[i].path))
            .transpose()
            .map(Value::from)
    };
    let own = [
        body.html.to_value(),
        to_value(&own.toc)?,
        Value::from(own.aliases),
        to_value(&own.ancestors)?,
        Value::from(own.assets),
        neighbour(page.previous)?,
        neighbour(page.next)?,
    ];
    let listed = listed.as_map().ok_or("the page has no values")?;
    to_value(&OwnPage { listed, own })
}

/// A page as its own template sees it ([`own_page`]): made by serde into one map, the
/// values passed through as they are.
struct OwnPage<'a> {
    /// The page as listed.
    listed: &'a tera::Map,
    /// The values of [`OWN_KEYS`], in order.
    own: [Value; OWN_KEYS.len()],
}

impl Serialize for OwnPage<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut page = serializer.serialize_struct("page", PAGE_KEYS.len())?;
        // Both in the order of PAGE_KEYS: merged, a key looked up only if it is out of place.
        let mut own = OWN_KEYS.iter().zip(&self.own).peekable();
        let mut in_order = self.listed.iter().peekable();
        for key in PAGE_KEYS {
            let value = match own.next_if(|(k, _)| **k == key) {
                Some((_, value)) => Some(value),
                None => match in_order.next_if(|(k, _)| k.as_str() == Some(key)) {
                    Some((_, value)) => Some(value),
                    None => self.listed.get(&tera::value::Key::from(key)),
                },
            };
            if let Some(value) = value {
                page.serialize_field(key, value)?;
            }
        }
        page.end()
    }
}

/// A diagnostic on `doc`: its values could not be passed to the templates (`error`).
pub fn values_error(doc: &Document, error: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TemplateValues,
        shown_path(&doc.source),
        msg!(
            "cannot pass this file's values to the templates: {error}",
            error = error
        ),
    )
}

/// Page `index` alone as its own template sees it, with `doc` (the page's document parsed
/// again, its front matter unchanged) and `body` in place of the site's, and its `fields` with
/// references resolved to `pages` (the values of the last full build): what `wemi serve` shows
/// at once after a page's text changed, before the whole site is built again.
pub fn page_alone(
    site: &Site,
    index: usize,
    doc: &Document,
    body: &Body,
    pages: &[Value],
) -> Result<Value, String> {
    let link_to = |i: usize| {
        let page = &site.pages[i];
        link(&site.config, &page.doc, &page.path)
    };
    let base = page_value(site, index, doc, body, &link_to)?;
    let resolve = |target: &str| site.page_index(target).and_then(|i| pages.get(i).cloned());
    let fields = crate::config::schema::object_value(&doc.fields, &resolve);
    own_page(
        site,
        index,
        doc,
        body,
        &with_fields(base, [("fields", fields)]),
    )
}

/// `pages` with their `fields`. A reference holds the page it points to with that page's own
/// fields, whose references hold pages without fields; that middle level is made only for
/// pages something refers to, once each. Each page's map takes its `fields` in place (it is
/// not copied unless a middle level shares it).
fn add_fields(site: &Site, pages: Vec<Value>) -> Vec<Value> {
    let fields_of = |i: usize, resolve: &dyn Fn(&str) -> Option<Value>| {
        crate::config::schema::object_value(&site.pages[i].doc.fields, resolve)
    };
    let without_fields = |target: &str| site.page_index(target).map(|i| pages[i].clone());
    let referred: Vec<OnceLock<Value>> = (0..pages.len()).map(|_| OnceLock::new()).collect();
    let resolve = |target: &str| {
        site.page_index(target).map(|i| {
            referred[i]
                .get_or_init(|| {
                    with_fields(
                        pages[i].clone(),
                        [("fields", fields_of(i, &without_fields))],
                    )
                })
                .clone()
        })
    };
    let fields: Vec<Value> = (0..pages.len())
        .into_par_iter()
        .map(|i| fields_of(i, &resolve))
        .collect();
    drop(referred);
    pages
        .into_par_iter()
        .zip(fields)
        .map(|(page, fields)| {
            let mut map = page.into_map().unwrap_or_default();
            map.insert("fields".into(), fields);
            Value::from(map)
        })
        .collect()
}

/// The listing pages of one listing of `items`, `per_page` items each: gives each page its
/// `paginator`. The list of all listing pages is built once and shared by every paginator.
pub struct Pagination<'a> {
    config: &'a Config,
    base: &'a str,
    items: &'a [Value],
    per_page: usize,
    /// How many listing pages there are (at least one, even when empty).
    pub total_pages: usize,
    pages: Value,
}

impl<'a> Pagination<'a> {
    /// The pagination of the listing at `base`.
    pub fn new(config: &'a Config, base: &'a str, items: &'a [Value], per_page: usize) -> Self {
        let per_page = per_page.max(1);
        let total_pages = items.len().div_ceil(per_page).max(1);
        let pages: Vec<Value> = (1..=total_pages)
            .map(|n| {
                let mut m = tera::Map::new();
                m.insert("number".into(), Value::from(n));
                m.insert("path".into(), Value::from(config.url(&page_path(base, n))));
                Value::from(m)
            })
            .collect();
        Pagination {
            config,
            base,
            items,
            per_page,
            total_pages,
            pages: Value::from(pages),
        }
    }

    /// The `paginator` of listing page `number` (1-based): its `items`, its number and the
    /// URLs around it.
    pub fn paginator(&self, number: usize) -> Value {
        let url = |n: usize| self.config.url(&page_path(self.base, n));
        let start = (number - 1) * self.per_page;
        let slice: Vec<Value> = self
            .items
            .iter()
            .skip(start)
            .take(self.per_page)
            .cloned()
            .collect();
        let total_pages = self.total_pages;
        let mut m = tera::Map::new();
        m.insert("items".into(), Value::from(slice));
        m.insert("number".into(), Value::from(number));
        m.insert("total_pages".into(), Value::from(total_pages));
        m.insert("total_items".into(), Value::from(self.items.len()));
        m.insert("per_page".into(), Value::from(self.per_page));
        m.insert("first".into(), Value::from(url(1)));
        m.insert("last".into(), Value::from(url(total_pages)));
        m.insert(
            "previous".into(),
            Value::from((number > 1).then(|| url(number - 1))),
        );
        m.insert(
            "next".into(),
            Value::from((number < total_pages).then(|| url(number + 1))),
        );
        m.insert("pages".into(), self.pages.clone());
        Value::from(m)
    }
}

/// The site path of listing page `number` of the listing at `base` (page 1 is `base`).
pub fn page_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// `view`, the value of a section, with `body`'s text as its `content` and `summary`, in the
/// places the view kept for them (the summary shared, not copied).
fn with_body(view: Value, body: &Body) -> Value {
    let summary = body.summary.as_ref().map(SharedHtml::to_value);
    with_fields(
        view,
        [
            ("content", body.html.to_value()),
            ("summary", summary.into()),
        ],
    )
}

/// The map `base` with more fields (copied first only when something else shares it); a
/// field it has already keeps its place.
fn with_fields<const N: usize>(base: Value, fields: [(&'static str, Value); N]) -> Value {
    let mut map = base.into_map().unwrap_or_default();
    map.reserve(N);
    for (k, v) in fields {
        map.insert(k.into(), v);
    }
    Value::from(map)
}
