//! The site's inputs besides `site.yaml`: finding the content files ([`source`]), reading their
//! front matter ([`front_matter`]) and parsing each into a [`document::Document`], with the
//! placeholders `wemi new` left in it ([`placeholders`]); the data files ([`data`]) and the
//! theme ([`theme`]).

pub mod cache;
pub mod data;
pub mod document;
pub mod front_matter;
pub mod placeholders;
pub mod source;
pub mod theme;
