//! The assembled site's types: [`Site`] and its pages, sections, files, listings and
//! taxonomies, with the questions templates and later stages ask of them. Only types and
//! their accessors live here; [`super::assemble()`] makes a site.

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::content::document::Document;
use crate::content::source::SourceFile;
use crate::site::links::LinkTargets;

/// A page of the site, with its place in it.
#[derive(Debug)]
pub struct Page {
    /// The parsed file (shared with `wemi serve`'s cache of parsed files).
    pub doc: Arc<Document>,
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
    pub doc: Arc<Document>,
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
    /// Every page's document, then every section's.
    pub fn documents(&self) -> impl Iterator<Item = &Document> {
        let pages = self.pages.iter().map(|p| &*p.doc);
        pages.chain(self.sections.iter().map(|s| &*s.doc))
    }

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
    pub(super) fn source<'a>(&self, site: &'a Site) -> &'a SourceFile {
        match *self {
            ListingOf::Section(i) => &site.sections[i].doc.source,
            ListingOf::Term(index, term) => {
                let first = site.taxonomies[index].terms[term].pages[0];
                &site.pages[first].doc.source
            }
        }
    }
}

/// The `lang/` prefix of a language's URLs (`""` for the default language).
pub fn lang_prefix(config: &Config, lang: &str) -> String {
    if lang == config.language {
        String::new()
    } else {
        format!("{lang}/")
    }
}

/// One term of a taxonomy and its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as first written (`4`, `anziani`).
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Its site path (`municipio/4/`).
    pub path: String,
    /// Its pages (indices in `Site::pages`), in the taxonomy's order.
    pub pages: Vec<usize>,
}

/// A taxonomy in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxonomyIndex {
    /// Index of its declaration in `Config::taxonomies`.
    pub taxonomy: usize,
    /// Language code.
    pub lang: String,
    /// Site path of its list page (`municipio/`, `en/municipio/`).
    pub path: String,
    /// Its terms, in natural order ("Municipio 9" before "Municipio 10").
    pub terms: Vec<Term>,
}
