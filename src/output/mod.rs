//! The rendered site ([`OutputSet`]) and writing it into the output folder.
//!
//! Every output path is an [`OutputPath`], checked in its final form: nothing can be written
//! outside the output folder, whatever a file name, slug, alias or term holds, and two paths
//! that a case-insensitive host would mix up are a collision.
//!
//! Writing is a transaction ([`Stage`]): while the site renders, each file is compared with
//! what the output folder holds; a new file is written under a temporary name and renamed into
//! place (so it is whole or absent), a changed one waits under a temporary name beside its
//! target. Only when the whole site has rendered does [`Stage::commit`] rename the changed
//! files into place and remove the files of earlier builds that are gone, keeping the old
//! versions until the end so that a failure puts everything back. A failed build leaves the
//! output folder exactly as it was. The build's own bookkeeping ([`state`]) lives in `.wemi/`
//! at the site root, never in the published folder: the manifest of what the last build
//! wrote, and a journal of what a running build is about to write, so that the next build
//! can remove the files of a build that was killed. Nothing is written through a symbolic
//! link.
//!
//! Publishing: the theme's stylesheets and scripts under names holding their hash
//! ([`assets`]), and, when `site.yaml` asks for them, the output minified ([`minify`]) and a
//! compressed copy beside each text file ([`compress`]), made by the stage with the file.
//!
//! `wemi check` keeps no bytes, only what [`contacts`] finds in each page: the other hosts
//! it would make a browser contact.

pub mod assets;
pub mod compress;
pub mod contacts;
pub mod minify;
mod path;
mod set;
mod stage;
pub mod state;

pub use path::{OutputPath, UnsafePath};
pub use set::{OutputFile, OutputSet, checked};
pub use stage::{Keeping, Stage, WriteReport, keep};
