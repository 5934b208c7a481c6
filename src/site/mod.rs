//! Assembling the parsed documents into a [`Site`]: URLs, sections and their pages,
//! translations, co-located assets, and the checks that need the whole site (two things on
//! one address, in any spelling a host would serve from one file: see [`crate::base::site_path`]).
//! The result is immutable: rendering only reads it.

pub mod collate;
pub mod links;
pub mod taxonomy;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::base::error::{Diagnostic, values_or_errors};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::site_path;
use crate::base::slug::slugify;
use crate::base::yaml::YamlValue;
use crate::config::Config;
use crate::content::document::{Alias, Document, FrontMatter, Listing, shown_path};
use crate::content::source::{SourceFile, SourceKind};
use crate::site::collate::{compare_pages, folded_titles};
use crate::site::links::LinkTargets;
use taxonomy::TaxonomyIndex;

/// A page of the site, with its place in it.
#[derive(Debug)]
pub struct Page {
    /// The parsed file.
    pub doc: Document,
    /// The last URL segment.
    pub slug: String,
    /// Site path without the base path: `spazi/via-piazzetta/`, `en/spazi/via-piazzetta/`.
    pub path: String,
    /// Index in [`Site::sections`] of the section it belongs to, if any.
    pub section: Option<usize>,
    /// Indices in [`Site::pages`] of its other language versions.
    pub translations: Vec<usize>,
    /// Site paths of its co-located files.
    pub assets: Vec<String>,
    /// The page before it in its section's listing.
    pub previous: Option<usize>,
    /// The page after it in its section's listing.
    pub next: Option<usize>,
}

/// A section: a folder with `_index.md` (the home page is the root section).
#[derive(Debug)]
pub struct Section {
    /// The parsed `_index.md` (an empty one for a home page without it).
    pub doc: Document,
    /// Site path: `""` for the home page, `spazi/`, `en/spazi/`.
    pub path: String,
    /// Its pages (indices in [`Site::pages`]), newest first, then by weight and title.
    pub pages: Vec<usize>,
    /// Its direct sub-sections (indices in [`Site::sections`]).
    pub subsections: Vec<usize>,
    /// The section it is in (index in [`Site::sections`]); `None` for a home page.
    pub parent: Option<usize>,
    /// Its other language versions (indices in [`Site::sections`]).
    pub translations: Vec<usize>,
    /// Site paths of the files in its folder.
    pub assets: Vec<String>,
}

/// A file copied as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is on disk.
    pub source: PathBuf,
    /// Its site path (where it goes in the output).
    pub path: String,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The resolved configuration.
    pub config: Config,
    /// Every published page, by content path.
    pub pages: Vec<Page>,
    /// Every section, by content path; the default language's home page is always there.
    pub sections: Vec<Section>,
    /// Co-located and section files to copy.
    pub assets: Vec<Asset>,
    /// The taxonomies, per language.
    pub taxonomies: Vec<TaxonomyIndex>,
    /// What `@/…` links may point to.
    pub links: LinkTargets,
}

impl Site {
    /// The sections that contain section `start` and `start` itself, outermost first.
    pub fn ancestors(&self, start: Option<usize>) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = start;
        while let Some(i) = current {
            chain.push(i);
            current = self.sections[i].parent;
        }
        chain.reverse();
        chain
    }

    /// The index in [`Site::pages`] of the page that `key` names: its path relative to
    /// `content/` (`spazi/a.md`; a bundle `spazi/a/index.md` is also `spazi/a.md`).
    pub fn page_index(&self, key: &str) -> Option<usize> {
        // The link targets list the pages first.
        self.links.index_of(key).filter(|&i| i < self.pages.len())
    }

    /// The `lang/` prefix of a language's URLs (`""` for the default language).
    pub fn lang_prefix(&self, lang: &str) -> String {
        lang_prefix(&self.config, lang)
    }

    /// Every listing that has pages: each section, and each term of a taxonomy that has
    /// pages (`render`).
    pub fn listings(&self) -> Vec<PagedListing<'_>> {
        let total_pages = |items: usize, per_page: Option<usize>| {
            per_page.map_or(1, |n| items.div_ceil(n.max(1)).max(1))
        };
        let mut listings: Vec<PagedListing> = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| PagedListing {
                path: &s.path,
                lang: &s.doc.source.lang,
                total_pages: total_pages(s.pages.len(), s.doc.meta.listing.paginate_by),
                of: ListingOf::Section(i),
            })
            .collect();
        for (i, index) in self.taxonomies.iter().enumerate() {
            let taxonomy = &self.config.taxonomies[index.taxonomy];
            if !taxonomy.render {
                continue;
            }
            for (j, term) in index.terms.iter().enumerate() {
                listings.push(PagedListing {
                    path: &term.path,
                    lang: &index.lang,
                    total_pages: total_pages(term.pages.len(), taxonomy.paginate_by),
                    of: ListingOf::Term(i, j),
                });
            }
        }
        listings
    }
}

/// A listing of pages, published on one listing page or more (`spazi/`, `spazi/page/2/` …).
#[derive(Debug, Clone, Copy)]
pub struct PagedListing<'a> {
    /// Site path of its first page.
    pub path: &'a str,
    /// Its language.
    pub lang: &'a str,
    /// How many listing pages it has (at least one).
    pub total_pages: usize,
    /// What it lists.
    pub of: ListingOf,
}

/// What a [`PagedListing`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingOf {
    /// The pages of a section (index in [`Site::sections`]).
    Section(usize),
    /// The pages of a term: indices in [`Site::taxonomies`] and in its terms.
    Term(usize, usize),
}

impl ListingOf {
    /// The file it comes from: the section's `_index.md`, or the first page of the term.
    fn source<'a>(&self, site: &'a Site) -> &'a SourceFile {
        match *self {
            ListingOf::Section(i) => &site.sections[i].doc.source,
            ListingOf::Term(index, term) => {
                let first = site.taxonomies[index].terms[term].pages[0];
                &site.pages[first].doc.source
            }
        }
    }
}

fn lang_prefix(config: &Config, lang: &str) -> String {
    if lang == config.language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// Builds the site from parsed documents and asset files. Drafts must already be filtered.
pub fn assemble(
    config: Config,
    documents: Vec<Document>,
    asset_files: Vec<SourceFile>,
) -> Result<Site, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let (mut section_docs, mut page_docs): (Vec<Document>, Vec<Document>) = documents
        .into_iter()
        .partition(|d| d.source.kind == SourceKind::Section);
    if !section_docs
        .iter()
        .any(|d| d.source.relative == "_index.md")
    {
        section_docs.push(implicit_home(&config));
    }
    section_docs.sort_by(|a, b| a.source.relative.cmp(&b.source.relative));
    // Content paths are unique: an unstable sort gives the one order.
    page_docs.par_sort_unstable_by(|a, b| a.source.relative.cmp(&b.source.relative));

    let mut sections: Vec<Section> = Vec::new();
    for doc in section_docs {
        match folder_path(doc.source.folder()) {
            Ok(folder) => sections.push(Section {
                path: format!("{}{folder}", lang_prefix(&config, &doc.source.lang)),
                doc,
                pages: Vec::new(),
                subsections: Vec::new(),
                parent: None,
                translations: Vec::new(),
                assets: Vec::new(),
            }),
            Err(d) => errors.push(d.with_file(shown_path(&doc.source))),
        }
    }
    // Folder (relative to content/) and language → section index.
    let section_at: HashMap<(String, String), usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                (s.doc.source.folder().to_string(), s.doc.source.lang.clone()),
                i,
            )
        })
        .collect();

    let placed: Vec<Result<Page, Diagnostic>> = page_docs
        .into_par_iter()
        .map(|doc| {
            let (parent, own_name) = page_location(&doc.source);
            let slug = match &doc.meta.slug {
                Some(slug) => slug.clone(),
                None => slugify(own_name),
            };
            // An explicit slug is checked where it is written.
            if let Some(problem) =
                site_path::segment_problem(&slug).filter(|_| doc.meta.slug.is_none())
            {
                return Err(Diagnostic::new(
                    shown_path(&doc.source),
                    msg!(
                        "the file name `{name}` cannot be published: {problem}",
                        name = own_name,
                        problem = problem.describe(&slug)
                    ),
                )
                .hint(msg!("rename the file, or add `slug: …` with another name")));
            }
            if slug.is_empty() {
                return Err(Diagnostic::new(
                    shown_path(&doc.source),
                    msg!(
                        "cannot make a web address from the name `{name}`",
                        name = own_name
                    ),
                )
                .hint(msg!(
                    "add `slug: …` with lowercase letters, digits and hyphens"
                )));
            }
            let folder = folder_path(parent).map_err(|d| d.with_file(shown_path(&doc.source)))?;
            let path = format!("{}{folder}{slug}/", lang_prefix(&config, &doc.source.lang));
            let section = nearest_section(&section_at, parent, &doc.source.lang);
            Ok(Page {
                doc,
                slug,
                path,
                section,
                translations: Vec::new(),
                assets: Vec::new(),
                previous: None,
                next: None,
            })
        })
        .collect();
    let mut pages = values_or_errors(placed, &mut errors);

    link_translations(
        &mut pages,
        |p| &p.doc.source.translation_key,
        |p| &mut p.translations,
    );
    link_translations(
        &mut sections,
        |s| &s.doc.source.translation_key,
        |s| &mut s.translations,
    );

    for (i, page) in pages.iter().enumerate() {
        if let Some(s) = page.section {
            sections[s].pages.push(i);
        }
    }
    for i in 0..sections.len() {
        let source = &sections[i].doc.source;
        if source.folder().is_empty() {
            continue;
        }
        let parent = source.folder().rsplit_once('/').map_or("", |(p, _)| p);
        if let Some(p) = nearest_section(&section_at, parent, &source.lang) {
            sections[p].subsections.push(i);
            sections[i].parent = Some(p);
        }
    }
    let titles = folded_titles(pages.par_iter().map(|p| &p.doc.meta));
    for section in &mut sections {
        let sort_by = section.doc.meta.listing.sort_by;
        section.pages.par_sort_by(|&a, &b| {
            compare_pages(
                (&pages[a].doc.meta, &titles[a]),
                (&pages[b].doc.meta, &titles[b]),
                sort_by,
            )
            .then_with(|| pages[a].path.cmp(&pages[b].path))
        });
        for pair in section.pages.windows(2) {
            pages[pair[0]].next = Some(pair[1]);
            pages[pair[1]].previous = Some(pair[0]);
        }
    }

    // Pages first: `Site::page_index` relies on it.
    let targets = LinkTargets::new(
        &config,
        pages
            .par_iter()
            .map(|p| (&p.doc, p.path.as_str()))
            .chain(sections.par_iter().map(|s| (&s.doc, s.path.as_str()))),
    );
    let link_errors: Vec<Vec<Diagnostic>> = pages
        .par_iter_mut()
        .map(|p| &mut p.doc)
        .chain(sections.par_iter_mut().map(|s| &mut s.doc))
        .filter(|doc| !doc.internal_links.is_empty())
        .map(|doc| targets.resolve(doc))
        .collect();
    errors.extend(link_errors.into_iter().flatten());

    check_references(&pages, &targets, &mut errors);

    let taxonomies = taxonomy::index(&config, &pages, &titles, |lang| lang_prefix(&config, lang));

    let assets = place_assets(asset_files, &mut pages, &mut sections, &mut errors);

    let site = Site {
        config,
        pages,
        sections,
        assets,
        taxonomies,
        links: targets,
    };
    check_collisions(&site, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(site)
}

/// Every reference field must name a published page of its section.
fn check_references(pages: &[Page], targets: &LinkTargets, errors: &mut Vec<Diagnostic>) {
    let keys = targets.keys();
    let is_page = |key: &str| targets.index_of(key).is_some_and(|i| i < pages.len());
    for page in pages {
        for (name, value) in &page.doc.fields {
            for r in value.references() {
                if is_page(&r.target) {
                    continue;
                }
                let section = r.target.split_once('/').map_or("", |(s, _)| s);
                let candidates = keys
                    .iter()
                    .filter(|&(k, &i)| i < pages.len() && k.starts_with(&format!("{section}/")))
                    .map(|(k, _)| k.as_str());
                let hint = match crate::base::error::closest(&r.target, candidates) {
                    Some(best) => msg!(
                        "did you mean `{best}`?",
                        best = best
                            .trim_start_matches(&format!("{section}/"))
                            .trim_end_matches(".md")
                    ),
                    None => msg!(
                        "write the file name of a page in content/{section}/, without .md",
                        section = section
                    ),
                };
                errors.push(
                    Diagnostic::new(
                        shown_path(&page.doc.source),
                        msg!(
                            "`{field}`: there is no published page content/{target}",
                            field = name,
                            target = r.target
                        ),
                    )
                    .at(r.line, r.column)
                    .hint(hint),
                );
            }
        }
    }
}

trait WithFile {
    fn with_file(self, path: PathBuf) -> Diagnostic;
}

impl WithFile for Diagnostic {
    fn with_file(mut self, path: PathBuf) -> Diagnostic {
        self.path = path;
        self
    }
}

/// The home page when `content/_index.md` does not exist.
fn implicit_home(config: &Config) -> Document {
    Document {
        source: SourceFile {
            path: PathBuf::new(),
            relative: "_index.md".into(),
            kind: SourceKind::Section,
            lang: config.language.clone(),
            translation_key: "_index.md".into(),
        },
        meta: FrontMatter {
            title: Some(config.title.clone()),
            description: config.description.clone(),
            date: None,
            updated: None,
            draft: false,
            slug: None,
            weight: None,
            aliases: Vec::new(),
            template: None,
            taxonomies: BTreeMap::new(),
            extra: YamlValue::default(),
            listing: Listing::default(),
        },
        fields: Vec::new(),
        body: crate::markdown::render("", false),
        internal_links: Vec::new(),
        external_links: Vec::new(),
        shortcodes: Vec::new(),
    }
}

/// The folder a page's URL hangs from, and the name its slug is made from.
fn page_location(source: &SourceFile) -> (&str, &str) {
    let folder = source.folder();
    if source.is_bundle() {
        folder.rsplit_once('/').unwrap_or(("", folder))
    } else {
        let name = source
            .translation_key
            .rsplit('/')
            .next()
            .unwrap_or_default();
        (folder, name.strip_suffix(".md").unwrap_or(name))
    }
}

/// The URL path of a content folder: every segment slugified (`Spazi WeMi` → `spazi-wemi/`).
fn folder_path(folder: &str) -> Result<String, Diagnostic> {
    let mut out = String::new();
    for segment in folder.split('/').filter(|s| !s.is_empty()) {
        let slug = slugify(segment);
        if slug.is_empty() {
            return Err(Diagnostic::new(
                PathBuf::new(),
                msg!(
                    "cannot make a web address from the folder name `{name}`",
                    name = segment
                ),
            )
            .hint(msg!("rename the folder with letters, digits and hyphens")));
        }
        if let Some(problem) = site_path::segment_problem(&slug) {
            return Err(Diagnostic::new(
                PathBuf::new(),
                msg!(
                    "the folder name `{name}` cannot be published: {problem}",
                    name = segment,
                    problem = problem.describe(&slug)
                ),
            )
            .hint(msg!("rename the folder")));
        }
        out.push_str(&slug);
        out.push('/');
    }
    Ok(out)
}

fn nearest_section(
    section_at: &HashMap<(String, String), usize>,
    folder: &str,
    lang: &str,
) -> Option<usize> {
    let mut folder = folder;
    loop {
        if let Some(&i) = section_at.get(&(folder.to_string(), lang.to_string())) {
            return Some(i);
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rsplit_once('/').map_or("", |(p, _)| p);
    }
}

/// Something published at a site path, for the collision check.
#[derive(Clone, Copy)]
enum Claim<'a> {
    /// The list page of a taxonomy (by its name).
    TaxonomyList(&'a str),
    /// The page of a term: indices in [`Site::taxonomies`] and in its terms.
    Term(usize, usize),
    /// A listing page after the first (`page/2/` …), or the redirect `page/1/` of a paginated
    /// listing.
    ListingPage(&'a PagedListing<'a>, usize),
    /// A page or section.
    Document(&'a SourceFile),
    /// An alias of a page or section.
    Alias(&'a SourceFile, &'a Alias),
}

impl Claim<'_> {
    /// The file a collision with this claim is reported in, and the position in it.
    fn place(&self, site: &Site) -> (PathBuf, Option<(usize, usize)>) {
        match *self {
            Claim::TaxonomyList(_) => (PathBuf::from(crate::base::layout::CONFIG_FILE), None),
            Claim::Term(index, term) => {
                (shown_path(ListingOf::Term(index, term).source(site)), None)
            }
            Claim::ListingPage(listing, _) => (shown_path(listing.of.source(site)), None),
            Claim::Document(source) => (shown_path(source), None),
            Claim::Alias(source, alias) => (shown_path(source), Some((alias.line, alias.column))),
        }
    }

    /// What this is, said in its own file.
    fn here(&self, site: &Site) -> Text {
        match *self {
            Claim::Document(_) => msg!("this file"),
            Claim::Alias(_, alias) => msg!("the alias `{alias}`", alias = alias.written),
            _ => self.there(site),
        }
    }

    /// What this is, said anywhere.
    fn there(&self, site: &Site) -> Text {
        match *self {
            Claim::TaxonomyList(name) => {
                msg!("the list page of the taxonomy `{name}`", name = name)
            }
            Claim::Term(index, term) => msg!(
                "the page of {term}",
                term = describe_term(site, index, term)
            ),
            Claim::ListingPage(listing, number) => match listing.of {
                ListingOf::Section(_) => msg!(
                    "page {number} of the listing of {file}",
                    number = number,
                    file = shown_path(listing.of.source(site)).display()
                ),
                ListingOf::Term(index, term) => msg!(
                    "page {number} of {term}",
                    number = number,
                    term = describe_term(site, index, term)
                ),
            },
            Claim::Document(source) => Text::from(shown_path(source).display().to_string()),
            Claim::Alias(source, alias) => msg!(
                "the alias `{alias}` of {file}:{line}",
                alias = alias.written,
                file = shown_path(source).display(),
                line = alias.line
            ),
        }
    }
}

/// "the term `4` of the taxonomy `municipio`".
fn describe_term(site: &Site, index: usize, term: usize) -> Text {
    let index = &site.taxonomies[index];
    msg!(
        "the term `{term}` of the taxonomy `{taxonomy}`",
        term = index.terms[term].name,
        taxonomy = site.config.taxonomies[index.taxonomy].name
    )
}

/// Two things published at one address are an error, reported at the second, naming the
/// first. Addresses are compared as a static host would serve them
/// ([`site_path::collision_key`]): an alias `/Spazi//via-piazzetta/index.html` is the page
/// `spazi/via-piazzetta/`.
fn check_collisions(site: &Site, errors: &mut Vec<Diagnostic>) {
    let listings = site.listings();
    // Claims made by the configuration first, then by files (sections before pages), then by
    // aliases: an error is reported at the later claim, the one an editor can change.
    let mut claims: Vec<(Cow<str>, Claim)> = Vec::new();
    for (i, index) in site.taxonomies.iter().enumerate() {
        let taxonomy = &site.config.taxonomies[index.taxonomy];
        if taxonomy.render {
            claims.push((
                index.path.as_str().into(),
                Claim::TaxonomyList(&taxonomy.name),
            ));
            for (j, term) in index.terms.iter().enumerate() {
                claims.push((term.path.as_str().into(), Claim::Term(i, j)));
            }
        }
    }
    // Page 1 of a paginated listing is the redirect `page/1/`; the listing itself has the
    // path of its section or term.
    for listing in listings.iter().filter(|l| l.total_pages > 1) {
        for number in 1..=listing.total_pages {
            claims.push((
                format!("{}page/{number}/", listing.path).into(),
                Claim::ListingPage(listing, number),
            ));
        }
    }
    let documents = site
        .sections
        .iter()
        .map(|s| (&s.doc, s.path.as_str()))
        .chain(site.pages.iter().map(|p| (&p.doc, p.path.as_str())));
    for (doc, path) in documents.clone() {
        claims.push((path.into(), Claim::Document(&doc.source)));
    }
    for (doc, _) in documents {
        for alias in &doc.meta.aliases {
            claims.push((alias.path.as_str().into(), Claim::Alias(&doc.source, alias)));
        }
    }
    let keys: Vec<Cow<str>> = claims
        .par_iter()
        .map(|(path, _)| site_path::collision_key(path))
        .collect();
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.par_sort_unstable_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    for same in order.chunk_by(|&a, &b| keys[a] == keys[b]) {
        let (first_path, first) = &claims[same[0]];
        for &i in &same[1..] {
            let claim = claims[i].1;
            let (file, position) = claim.place(site);
            let mut error = Diagnostic::new(
                file,
                msg!(
                    "{this} and {other} would both be published at /{path}",
                    this = claim.here(site),
                    other = first.there(site),
                    path = first_path
                ),
            )
            .hint(match claim {
                Claim::Alias(..) => msg!("remove the alias: that address is not free"),
                _ => msg!("rename one of them, or give one a different `slug:`"),
            });
            if let Some((line, column)) = position {
                error = error.at(line, column);
            }
            errors.push(error);
        }
    }
}

fn link_translations<T>(
    items: &mut [T],
    key: impl Fn(&T) -> &str,
    translations: impl Fn(&mut T) -> &mut Vec<usize>,
) {
    // Indices grouped by key (the stable sort keeps each group in index order).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| key(&items[i]));
    let groups: Vec<&[usize]> = order
        .chunk_by(|&a, &b| key(&items[a]) == key(&items[b]))
        .filter(|members| members.len() > 1)
        .collect();
    for members in groups {
        for &i in members {
            *translations(&mut items[i]) = members.iter().copied().filter(|&j| j != i).collect();
        }
    }
}

/// Puts every asset file in the output: next to its page for a bundle, else in its folder.
fn place_assets(
    files: Vec<SourceFile>,
    pages: &mut [Page],
    sections: &mut [Section],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    // Bundle folder → its pages (one per language).
    let mut bundles: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.doc.source.is_bundle() {
            bundles.entry(p.doc.source.folder()).or_default().push(i);
        }
    }
    let bundles: HashMap<String, Vec<usize>> = bundles
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let mut assets = Vec::new();
    for file in files {
        let name = file
            .relative
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        // The closest enclosing bundle, if any.
        let mut folder = file.folder();
        let bundle = loop {
            if let Some(owners) = bundles.get(folder) {
                break Some((folder.to_string(), owners.clone()));
            }
            if folder.is_empty() {
                break None;
            }
            folder = folder.rsplit_once('/').map_or("", |(p, _)| p);
        };
        // Names in a bundle, and the names of files, are published as they are.
        let kept = match &bundle {
            Some((bundle_folder, _)) => &file.relative[bundle_folder.len() + 1..],
            None => name.as_str(),
        };
        if let Some((segment, problem)) = site_path::path_problem(kept) {
            errors.push(
                Diagnostic::new(
                    shown_path(&file),
                    msg!(
                        "this file cannot be published: {problem}",
                        problem = problem.describe(segment)
                    ),
                )
                .hint(msg!("rename the file, or the folder it is in")),
            );
            continue;
        }
        match bundle {
            Some((bundle_folder, owners)) => {
                let inner = &file.relative[bundle_folder.len() + 1..];
                for i in owners {
                    let path = format!("{}{inner}", pages[i].path);
                    pages[i].assets.push(path.clone());
                    assets.push(Asset {
                        source: file.path.clone(),
                        path,
                    });
                }
            }
            None => match folder_path(file.folder()) {
                Ok(folder) => {
                    let path = format!("{folder}{name}");
                    if let Some(s) = sections.iter_mut().find(|s| {
                        s.doc.source.folder() == file.folder() && s.doc.source.lang == file.lang
                    }) {
                        s.assets.push(path.clone());
                    }
                    assets.push(Asset {
                        source: file.path.clone(),
                        path,
                    });
                }
                Err(d) => errors.push(d.with_file(shown_path(&file))),
            },
        }
    }
    assets
}
