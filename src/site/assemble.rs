//! Assembling the parsed documents into a [`Site`]: URLs, sections and their pages,
//! translations, co-located assets, and the checks that need the whole site.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic, values_or_errors};
use crate::base::i18n::msg;
use crate::base::site_path;
use crate::base::slug::slugify;
use crate::base::yaml::YamlValue;
use crate::config::Config;
use crate::content::document::{Document, FrontMatter, Listing, shown_path};
use crate::content::source::{SourceFile, SourceKind};
use crate::site::collate::{compare_pages, folded_titles};
use crate::site::collisions::check_collisions;
use crate::site::links::LinkTargets;
use crate::site::model::{Asset, Page, Section, Site, lang_prefix};
use crate::site::taxonomy;

/// Builds the site from parsed documents and asset files. Drafts must already be filtered.
/// A site is always made, so that the later checks still run; with errors it lacks the pages
/// and sections that could not be placed, and is never rendered.
pub fn assemble(
    config: Config,
    documents: Vec<Arc<Document>>,
    asset_files: Vec<SourceFile>,
) -> (Site, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let (section_docs, page_docs) = sorted_documents(&config, documents);
    let mut sections = make_sections(&config, section_docs, &mut errors);
    let section_at = sections_by_folder(&sections);
    let placed: Vec<Result<Page, Diagnostic>> = page_docs
        .into_par_iter()
        .map(|doc| place_page(&config, &section_at, doc))
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
    nest(&pages, &mut sections, &section_at);
    let titles = folded_titles(pages.par_iter().map(|p| &p.doc.meta));
    order_listings(&mut pages, &mut sections, &titles);

    // Pages first: `Site::page_index` relies on it.
    let targets = LinkTargets::new(
        &config,
        pages
            .par_iter()
            .map(|p| (&p.doc, p.path.as_str()))
            .chain(sections.par_iter().map(|s| (&s.doc, s.path.as_str()))),
    );

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
    (site, errors)
}

/// Parsed documents, shared with `wemi serve`'s cache.
type Documents = Vec<Arc<Document>>;

/// The section documents (with the implicit home page when there is no `_index.md`) and the
/// page documents, each sorted by content path.
fn sorted_documents(config: &Config, documents: Vec<Arc<Document>>) -> (Documents, Documents) {
    let (mut section_docs, mut page_docs): (Documents, Documents) = documents
        .into_iter()
        .partition(|d| d.source.kind == SourceKind::Section);
    if !section_docs
        .iter()
        .any(|d| d.source.relative == "_index.md")
    {
        section_docs.push(Arc::new(implicit_home(config)));
    }
    section_docs.sort_by(|a, b| a.source.relative.cmp(&b.source.relative));
    // Content paths are unique: an unstable sort gives the one order.
    page_docs.par_sort_unstable_by(|a, b| a.source.relative.cmp(&b.source.relative));
    (section_docs, page_docs)
}

/// Each section document with its site path; a folder that cannot be published is an error.
fn make_sections(
    config: &Config,
    section_docs: Documents,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Section> {
    let mut sections = Vec::new();
    for doc in section_docs {
        match folder_path(doc.source.folder()) {
            Ok(folder) => sections.push(Section {
                path: format!("{}{folder}", lang_prefix(config, &doc.source.lang)),
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
    sections
}

/// Folder (relative to `content/`) and language → index of the section there.
type SectionsByFolder = HashMap<(String, String), usize>;

fn sections_by_folder(sections: &[Section]) -> SectionsByFolder {
    sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                (s.doc.source.folder().to_string(), s.doc.source.lang.clone()),
                i,
            )
        })
        .collect()
}

/// A page document with its slug, site path and section; a name that cannot be published
/// is an error.
fn place_page(
    config: &Config,
    section_at: &SectionsByFolder,
    doc: Arc<Document>,
) -> Result<Page, Diagnostic> {
    let (parent, own_name) = page_location(&doc.source);
    let slug = match &doc.meta.slug {
        Some(slug) => slug.clone(),
        None => slugify(own_name),
    };
    // An explicit slug is checked where it is written.
    if let Some(problem) = site_path::segment_problem(&slug).filter(|_| doc.meta.slug.is_none()) {
        return Err(Diagnostic::new(
            Code::PathName,
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
            Code::PathName,
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
    let path = format!("{}{folder}{slug}/", lang_prefix(config, &doc.source.lang));
    let section = nearest_section(section_at, parent, &doc.source.lang);
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
}

/// Puts each page in its section, and each section in the one around it.
fn nest(pages: &[Page], sections: &mut [Section], section_at: &SectionsByFolder) {
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
        if let Some(p) = nearest_section(section_at, parent, &source.lang) {
            sections[p].subsections.push(i);
            sections[i].parent = Some(p);
        }
    }
}

/// Sorts each section's pages in its order (`titles` are the pages' folded titles) and links
/// each page to the ones before and after it.
fn order_listings(pages: &mut [Page], sections: &mut [Section], titles: &[String]) {
    for section in sections {
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
            template_line: None,
            taxonomies: Default::default(),
            extra: YamlValue::default(),
            listing: Listing::default(),
        },
        fields: Vec::new(),
        body: crate::markdown::render("", false),
        internal_links: Vec::new(),
        external_links: Vec::new(),
        shortcodes: Vec::new(),
        placeholders: Vec::new(),
        warnings: Vec::new(),
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
                Code::PathName,
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
                Code::PathName,
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

/// The section of `folder` in `lang`, or of the nearest folder around it.
fn nearest_section(section_at: &SectionsByFolder, folder: &str, lang: &str) -> Option<usize> {
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

/// Bundle folder → its pages (one per language).
fn bundle_pages(pages: &[Page]) -> HashMap<String, Vec<usize>> {
    let mut bundles: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if p.doc.source.is_bundle() {
            bundles.entry(p.doc.source.folder()).or_default().push(i);
        }
    }
    bundles
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// The closest bundle around `folder` (or `folder` itself), with its pages.
fn enclosing_bundle(
    bundles: &HashMap<String, Vec<usize>>,
    mut folder: &str,
) -> Option<(String, Vec<usize>)> {
    loop {
        if let Some(owners) = bundles.get(folder) {
            return Some((folder.to_string(), owners.clone()));
        }
        if folder.is_empty() {
            return None;
        }
        folder = folder.rsplit_once('/').map_or("", |(p, _)| p);
    }
}

/// Puts every asset file in the output: next to its page for a bundle, else in its folder.
fn place_assets(
    files: Vec<SourceFile>,
    pages: &mut [Page],
    sections: &mut [Section],
    errors: &mut Vec<Diagnostic>,
) -> Vec<Asset> {
    let bundles = bundle_pages(pages);
    let mut assets = Vec::new();
    for file in files {
        let name = file
            .relative
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let bundle = enclosing_bundle(&bundles, file.folder());
        // Names in a bundle, and the names of files, are published as they are.
        let kept = match &bundle {
            Some((bundle_folder, _)) => &file.relative[bundle_folder.len() + 1..],
            None => name.as_str(),
        };
        if let Some((segment, problem)) = site_path::path_problem(kept) {
            errors.push(
                Diagnostic::new(
                    Code::PathName,
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
