//! The site's inputs besides `site.yaml`: finding the content files ([`source`]), reading their
//! front matter ([`front_matter`]) and parsing each into a [`document::Document`]; the data
//! files ([`data`]) and the theme ([`theme`]).

pub mod cache;
pub mod data;
pub mod document;
pub mod front_matter;
pub mod source;
pub mod theme;
