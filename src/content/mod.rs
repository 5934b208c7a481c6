//! The content tree: finding the files ([`source`]), reading their front matter
//! ([`front_matter`]) and parsing each into a [`document::Document`].

pub mod cache;
pub mod document;
pub mod front_matter;
pub mod source;
