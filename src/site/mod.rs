//! Assembling the parsed documents into a [`Site`]: URLs, sections and their pages,
//! translations, co-located assets, and the checks that need the whole site (two things on
//! one address, in any spelling a host would serve from one file: see [`crate::base::site_path`]).
//! The result is immutable: rendering only reads it.
//!
//! `model` holds the site's types and [`assemble()`] makes a site of them, with [`taxonomy`]
//! grouping pages by term, [`collate`] ordering pages and `collisions` refusing two things at
//! one address. [`links`] resolves `@/…` links and [`references`] checks reference fields, for
//! the finishing stage.

mod assemble;
pub mod collate;
mod collisions;
pub mod links;
mod model;
pub mod references;
pub mod taxonomy;

pub use assemble::assemble;
pub use model::{
    Asset, ListingOf, Page, PagedListing, Section, Site, TaxonomyIndex, Term, lang_prefix,
};
