//! What the preview server serves: a [`Snapshot`] of the last site that built, and when the
//! editor is on, which source each page comes from ([`EditLinks`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::error::Diagnostic;
use crate::output::{OutputFile, OutputSet};

/// What the server serves: the last site that built, pages updated since, and the errors of
/// the last build when it failed (shown over every page).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the last site that built. A file written by the build
    /// ([`OutputFile::Kept`], [`OutputFile::Placed`], [`OutputFile::Staged`]) is read from
    /// `folder` when asked for.
    pub site: Arc<OutputSet>,
    /// The folder the build wrote the site into (serve's own, under `.wemi/serve/`).
    pub folder: Option<PathBuf>,
    /// The site's files copied as they are (output path → [`OutputFile::Copied`]), served
    /// from their source rather than from `folder`: one edited in place is served at once,
    /// without a build.
    pub copies: Arc<HashMap<String, OutputFile>>,
    /// The site's folder (canonical): a copied file is served only while it is a regular file
    /// inside it ([`crate::serve::folder::open_copied`]); without it, none is.
    pub root: Option<PathBuf>,
    /// Files rendered again since, served instead of the site's (output path → file).
    pub patches: HashMap<String, OutputFile>,
    /// The errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
    /// The sources of the pages, when the editor is on (never in a build's output).
    pub edit: Option<Arc<EditLinks>>,
}

/// What the editor's links on served pages point to, by output path.
#[derive(Debug, Default)]
pub struct EditLinks {
    /// A page's output path (`spazi/via-piazzetta/index.html`) → its source, relative to
    /// `content/` (`spazi/via-piazzetta.md`).
    pub pages: HashMap<String, String>,
    /// A section's list page (`spazi/index.html`) → its folder under `content/` (`spazi`).
    pub sections: HashMap<String, String>,
}

impl EditLinks {
    /// The address a page's source is served at (`/spazi/via-piazzetta/`), when it is.
    pub fn url_of(&self, source: &str) -> Option<String> {
        let output = self
            .pages
            .iter()
            .filter(|(_, page)| *page == source)
            .map(|(output, _)| output)
            .min()?;
        Some(format!(
            "/{}",
            output.strip_suffix("index.html").unwrap_or(output)
        ))
    }
}

impl Snapshot {
    /// The file served at output path `path`.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.patches
            .get(path)
            .or_else(|| self.copies.get(path))
            .or_else(|| self.site.get(path))
    }

    /// True when some file served is a copy of the file at `source` (a path relative to the
    /// site root, such as `static/css/site.css`).
    pub fn copies(&self, source: &Path) -> bool {
        self.copies
            .values()
            .any(|file| matches!(file, OutputFile::Copied(src) if src.ends_with(source)))
    }
}
