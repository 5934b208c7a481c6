//! Cache-busting: the theme's stylesheets and scripts (and the site's own in `static/`)
//! published a second time under a name holding a hash of their bytes
//! (`css/wemi.css` → `css/wemi.3f9a1c2b.css`), with their subresource integrity, for the
//! template functions `asset` and `asset_integrity`.
//!
//! A new version of a file gets a new name, so a host may let browsers keep these files for a
//! year while pages stay fresh. The file is still published under its own name too, for what
//! names it from outside the templates (another site, an `@import` of a stylesheet). Other
//! static files (the favicon, fonts and images a stylesheet names with `url()`) keep their
//! names only: a stylesheet's relative `url()` finds them from the hashed name as from the
//! plain one, since both are in the same folder.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

use super::minify;
use super::path::OutputPath;
use super::set::{OutputFile, OutputSet, checked};
use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;
use crate::config::Publish;
use crate::content::theme::Theme;

/// The extensions of the static files published under a hashed name.
pub const HASHED_EXTENSIONS: &[&str] = &["css", "js"];

/// Hex digits of the hash in a hashed name: 32 bits, plenty to tell the versions of one file
/// apart.
const HASH_DIGITS: usize = 8;

/// One static file as the templates' `asset` function knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it is published under its hashed name (`css/wemi.3f9a1c2b.css`), or its own
    /// path when it is not hashed.
    pub published: String,
    /// `sha384-…` of its published bytes, for hashed files only.
    pub integrity: Option<String>,
    /// The published bytes of a hashed file (minified when the site asks for it).
    bytes: Option<Vec<u8>>,
}

/// Every static file by its site path (`css/wemi.css`), site overrides applied.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    by_path: BTreeMap<String, Asset>,
}

impl Assets {
    /// Reads the theme's stylesheets and scripts (minified when `publish` asks for it) and
    /// names each by its hash; the errors are the files that cannot be read.
    pub fn load(theme: &Theme, root: &Path, publish: Publish) -> (Assets, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut by_path = BTreeMap::new();
        for (path, source) in &theme.static_files {
            let asset = if is_hashed(path) {
                match std::fs::read(source) {
                    Ok(bytes) => hashed(path, bytes, publish.minify),
                    Err(e) => {
                        let shown = source.strip_prefix(root).unwrap_or(source);
                        errors.push(Diagnostic::new(
                            Code::io(&e),
                            shown,
                            msg!("cannot read a file to copy: {error}", error = e),
                        ));
                        continue;
                    }
                }
            } else {
                Asset {
                    published: path.clone(),
                    integrity: None,
                    bytes: None,
                }
            };
            by_path.insert(path.clone(), asset);
        }
        (Assets { by_path }, errors)
    }

    /// The static file at site path `path` (`css/wemi.css`, a leading `/` allowed).
    pub fn get(&self, path: &str) -> Option<&Asset> {
        self.by_path.get(path.trim_start_matches('/'))
    }

    /// Every static file's site path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.by_path.keys().map(String::as_str)
    }

    /// Adds each hashed file to `output` under its hashed name; the errors are the names
    /// taken twice or that cannot be published.
    pub fn add_to(&self, output: &mut OutputSet, theme: &Theme, root: &Path) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (path, asset) in &self.by_path {
            let Some(bytes) = &asset.bytes else { continue };
            let origin = theme.static_files.get(path).map_or_else(
                || path.clone(),
                |src| src.strip_prefix(root).unwrap_or(src).display().to_string(),
            );
            let inserted = checked(&asset.published, &origin).and_then(|published| {
                output.insert(published, OutputFile::Rendered(bytes.clone()), origin)
            });
            errors.extend(inserted.err());
        }
        errors
    }
}

/// True when the static file at site path `path` is published under a hashed name too.
pub fn is_hashed(path: &str) -> bool {
    extension(path).is_some_and(|ext| HASHED_EXTENSIONS.contains(&ext.as_str()))
}

/// The lower-case extension of the file name ending `path`, if it has one.
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The asset of the static file at `path` with these bytes, minified first when `minify`.
fn hashed(path: &str, bytes: Vec<u8>, minify: bool) -> Asset {
    let bytes = match minify.then(|| minify::minified(path, &bytes)).flatten() {
        Some(minified) => minified,
        None => bytes,
    };
    let digest = Sha384::digest(&bytes);
    let hex: String = digest
        .iter()
        .take(HASH_DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    Asset {
        published: hashed_name(path, &hex),
        integrity: Some(format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )),
        bytes: Some(bytes),
    }
}

/// `css/wemi.css` with hash `3f9a1c2b` → `css/wemi.3f9a1c2b.css`.
fn hashed_name(path: &str, hash: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("{stem}.{hash}.{ext}"),
        _ => format!("{path}.{hash}"),
    }
}

/// True when the output path `path` is a hashed name this module makes: `<stem>.<8 hex
/// digits>.<css|js>`. Hosts match such names to cache them for long.
pub fn looks_hashed(path: &OutputPath) -> bool {
    let name = path.as_str().rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && HASHED_EXTENSIONS.contains(&ext)
        && hash.len() == HASH_DIGITS
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_folder_stem_and_extension() {
        assert_eq!(
            hashed_name("css/wemi.css", "3f9a1c2b"),
            "css/wemi.3f9a1c2b.css"
        );
        assert_eq!(
            hashed_name("js/lib.min.js", "00aa11bb"),
            "js/lib.min.00aa11bb.js"
        );
        assert!(is_hashed("css/wemi.css"));
        assert!(is_hashed("js/x.JS"));
        assert!(!is_hashed("favicon.svg"));
        assert!(!is_hashed("css/.css"));
        assert!(!is_hashed("css.d/readme"));
    }

    #[test]
    fn the_hash_and_integrity_are_those_of_the_bytes() {
        let a = hashed("css/a.css", b"body{color:red}".to_vec(), false);
        let b = hashed("css/a.css", b"body{color:blue}".to_vec(), false);
        assert_ne!(a.published, b.published);
        assert!(looks_hashed(&OutputPath::new(&a.published).unwrap()));
        assert!(!looks_hashed(&OutputPath::new("css/a.css").unwrap()));
        // The SHA-384 of "abc", from FIPS 180-2, in base64.
        let abc = hashed("a.js", b"abc".to_vec(), false);
        assert_eq!(
            abc.integrity.as_deref(),
            Some("sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn")
        );
        assert_eq!(abc.published, "a.cb00753f.js");
    }
}
