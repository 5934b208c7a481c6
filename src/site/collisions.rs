//! The check that no two things are published at one address, in any spelling a host would
//! serve from one file (see [`crate::base::site_path`]).

use std::borrow::Cow;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::{Text, msg};
use crate::base::layout::CONFIG_FILE;
use crate::base::site_path;
use crate::content::document::{Alias, shown_path};
use crate::content::source::SourceFile;
use crate::site::model::{ListingOf, PagedListing, Site};

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
            Claim::TaxonomyList(_) => (PathBuf::from(CONFIG_FILE), None),
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
pub(super) fn check_collisions(site: &Site, errors: &mut Vec<Diagnostic>) {
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
                Code::OutputCollision,
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
