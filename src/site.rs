//! Assembling the parsed documents into a [`Site`]: URLs, sections and their pages,
//! translations, co-located assets, and the checks that need the whole site (two files on one
//! URL). The result is immutable: rendering only reads it.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::collate::{compare_pages, folded_titles};
use crate::config::Config;
use crate::content::document::{Document, FrontMatter, Listing, shown_path};
use crate::content::source::{SourceFile, SourceKind};
use crate::error::{Diagnostic, values_or_errors};
use crate::links::LinkTargets;
use crate::msg;
use crate::slug::slugify;
use crate::taxonomy::{self, TaxonomyIndex};
use crate::yaml::YamlValue;

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

    check_collisions(&pages, &sections, &mut errors);
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

    let (taxonomies, mut taxonomy_errors) =
        taxonomy::index(&config, &pages, &titles, |lang| lang_prefix(&config, lang));
    errors.append(&mut taxonomy_errors);

    let assets = place_assets(asset_files, &mut pages, &mut sections, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Site {
        config,
        pages,
        sections,
        assets,
        taxonomies,
        links: targets,
    })
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
                let hint = match crate::error::closest(&r.target, candidates) {
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

fn check_collisions(pages: &[Page], sections: &[Section], errors: &mut Vec<Diagnostic>) {
    // Every site path with its file, sections first; sorted by path, each path's files stay
    // in that order.
    let mut owners: Vec<(&str, usize, &SourceFile)> = sections
        .iter()
        .map(|s| (s.path.as_str(), &s.doc.source))
        .chain(pages.iter().map(|p| (p.path.as_str(), &p.doc.source)))
        .enumerate()
        .map(|(order, (path, source))| (path, order, source))
        .collect();
    owners.par_sort_unstable_by_key(|&(path, order, _)| (path, order));
    for same_path in owners.chunk_by(|a, b| a.0 == b.0) {
        if let [(path, _, first), rest @ ..] = same_path {
            for (_, _, other) in rest {
                errors.push(
                    Diagnostic::new(
                        shown_path(other),
                        msg!(
                            "this file and {other} would both be published at /{path}",
                            other = shown_path(first).display(),
                            path = path
                        ),
                    )
                    .hint(msg!("rename one of them, or give one a different `slug:`")),
                );
            }
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
