//! Parsed documents kept between the rebuilds of `wemi serve`: a file whose [`Stamp`] has not
//! changed since it was parsed is neither read nor parsed again.
//!
//! Parsing depends on the configuration too (schemas, languages, `unsafe_html`): the cache is
//! emptied whenever `site.yaml` changes.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::base::fingerprint::{Stamp, stamp};
use crate::config::Config;
use crate::content::document::{self, Document, Rejected};
use crate::content::front_matter;
use crate::content::source::SourceFile;

/// One parsed file.
#[derive(Debug, Clone)]
pub struct Cached {
    stamp: Option<Stamp>,
    /// The front matter exactly as written: when only the text after it changes, the site's
    /// structure (URLs, listings, taxonomies) stays the same.
    pub front_matter: String,
    /// The document, as parsing left it: shared with the sites built from it.
    pub doc: Arc<Document>,
}

/// A document as [`DocumentCache::read`] gives it, and the entry to keep for its file.
pub type Read = (Result<Arc<Document>, Rejected>, Option<(PathBuf, Cached)>);

/// Parsed documents by file path.
#[derive(Debug, Default)]
pub struct DocumentCache {
    entries: HashMap<PathBuf, Cached>,
    /// A file (by its path under `content/`) read as if it held another text, until
    /// [`DocumentCache::end_substitute`].
    substitute: Option<(String, String)>,
}

impl DocumentCache {
    /// The document of `source`, parsed again only when its file changed, and the entry to
    /// keep for it (none when it failed to parse); its body is compressed when `pack` says so.
    pub fn read(&self, source: SourceFile, config: &Config, pack: bool) -> Read {
        if let Some((relative, text)) = &self.substitute
            && *relative == source.relative
        {
            // Not kept: the next run without the substitute reads the file again.
            return (document::parse(source, text, config).map(Arc::new), None);
        }
        let stamp = stamp(&source.path);
        if let Some(cached) = self.entries.get(&source.path)
            && stamp.is_some()
            && stamp == cached.stamp
        {
            return (
                Ok(Arc::clone(&cached.doc)),
                Some((source.path.clone(), cached.clone())),
            );
        }
        match parse_stamped(source, config, stamp, pack) {
            Ok(cached) => (
                Ok(Arc::clone(&cached.doc)),
                Some((cached.doc.source.path.clone(), cached)),
            ),
            Err(e) => (Err(e), None),
        }
    }

    /// Keeps exactly `entries` (the files of the last build).
    pub fn replace(&mut self, entries: impl IntoIterator<Item = (PathBuf, Cached)>) {
        self.entries = entries.into_iter().collect();
    }

    /// The entry of the file at `path`.
    pub fn get(&self, path: &std::path::Path) -> Option<&Cached> {
        self.entries.get(path)
    }

    /// Keeps `cached` as the entry of the file at `path`.
    pub fn insert(&mut self, path: PathBuf, cached: Cached) {
        self.entries.insert(path, cached);
    }

    /// Reads the file at `relative` under `content/` as if it held `text` (the browser
    /// editor's check of a text not yet saved), parsed in the run like any file, whether it
    /// parses or not, until [`DocumentCache::end_substitute`]: a run given the cache builds the
    /// site around it and reports all its errors, as a build would with that text on disk.
    pub fn substitute(&mut self, relative: &str, text: &str) {
        self.substitute = Some((relative.to_string(), text.to_string()));
    }

    /// Reads every file as it is on disk again.
    pub fn end_substitute(&mut self) {
        self.substitute = None;
    }

    /// Forgets every document.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Reads and parses `source` now, for the cache. Its stamp is taken before reading, so a
/// write during the read makes the next comparison fail rather than keep old text. One
/// document alone: its body is not compressed.
pub fn parse(source: SourceFile, config: &Config) -> Result<Cached, Rejected> {
    let stamp = stamp(&source.path);
    parse_stamped(source, config, stamp, false)
}

/// [`parse`] with the stamp the caller took before reading.
fn parse_stamped(
    source: SourceFile,
    config: &Config,
    stamp: Option<Stamp>,
    pack: bool,
) -> Result<Cached, Rejected> {
    let text = match document::read_text(&source) {
        Ok(text) => text,
        Err(errors) => return Err(Rejected::without_body(source, errors)),
    };
    let front_matter = front_matter::split(&text)
        .map(|s| s.yaml.to_string())
        .unwrap_or_default();
    let doc = document::parse(source, &text, config)?;
    Ok(Cached {
        stamp,
        front_matter,
        doc: Arc::new(doc.packed_if(pack)),
    })
}
