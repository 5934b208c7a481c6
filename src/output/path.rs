//! [`OutputPath`]: the one check every path in the output folder passes, whatever made it
//! (a page's URL, a co-located file, `static/`, the theme, an alias, a taxonomy term).
//!
//! A path is checked in its final form, just before anything is written there: relative,
//! `/`-separated, made of plain names only. No `..`, `.` or empty segment, no root; no
//! segment that some host cannot hold ([`site_path::segment_problem`]: a backslash, which
//! Linux allows in a name and Windows reads as a separator, control characters, Windows device
//! names …); no `%` or `#`, which a URL would read as an escape or a fragment; and no name too
//! long to leave room for a temporary sibling. Such a path can only name a file inside the
//! folder it is joined to, and the same file on every static host.

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::base::site_path::{self, MAX_SEGMENT, SegmentProblem};

/// The longest whole path, in bytes.
const MAX_PATH: usize = 2048;

/// What a temporary file beside its target is called: `.<name>.wemi-tmp`.
pub(super) const TEMPORARY: &str = "wemi-tmp";
/// What the old version of a replaced or removed file is called until the build commits.
pub(super) const OLD: &str = "wemi-old";
/// What a new output folder is called while its first build writes it: `.<name>.wemi-new`.
pub(super) const NEW: &str = "wemi-new";

/// A checked path inside the output folder (`spazi/via-piazzetta/index.html`). Its text is
/// shared: a clone (the build's journal, the output set's folders) costs no copy of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(Arc<str>);

/// Why a path cannot be an output path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnsafePath {
    /// The path is empty.
    Empty,
    /// It starts with `/` (or is otherwise rooted).
    Absolute,
    /// It has an empty, `.` or `..` segment.
    Dots,
    /// A segment some host cannot hold as a file or folder name.
    Segment(String, SegmentProblem),
    /// A segment holds `%` or `#`, which URLs read as an escape or a fragment.
    UrlCharacter(char),
    /// A segment or the whole path is too long.
    TooLong,
    /// A segment has a name the build gives its own files while it writes ([`TEMPORARY`],
    /// [`OLD`], [`NEW`]): a folder there would stop every later build.
    Reserved,
}

impl OutputPath {
    /// Checks `path`; see the module documentation for the rules.
    pub fn new(path: &str) -> Result<OutputPath, UnsafePath> {
        check(path)?;
        Ok(OutputPath(Arc::from(path)))
    }

    /// Its text, shared with this path (no copy).
    pub(super) fn shared(&self) -> Arc<str> {
        Arc::clone(&self.0)
    }

    /// The path, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its last segment (the file name).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// Its folder, without the trailing `/` (`""` at the top of the output).
    pub fn folder(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// The form two paths are compared in to find a collision on hosts that ignore case or
    /// the composition of accented letters (Windows, macOS): NFC, lower case. Borrowed when
    /// the path is already in that form.
    pub fn folded(&self) -> Cow<'_, str> {
        site_path::fold(&self.0)
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for OutputPath {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for OutputPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A folder of an output path (or of its folded form), `/`-separated: the start of that
/// path's text, which it shares (no copy). Compared and hashed as its text, and found by it.
#[derive(Debug, Clone)]
pub(super) struct Folder {
    path: Arc<str>,
    len: usize,
}

impl Folder {
    /// The first `len` bytes of `path`, which end where a segment does.
    pub(super) fn new(path: Arc<str>, len: usize) -> Folder {
        debug_assert_eq!(path.as_bytes().get(len), Some(&b'/'));
        Folder { path, len }
    }

    /// The folder, `/`-separated, without a trailing `/`.
    pub(super) fn as_str(&self) -> &str {
        &self.path[..self.len]
    }

    /// The whole path it is the start of.
    pub(super) fn path(&self) -> &str {
        &self.path
    }
}

impl PartialEq for Folder {
    fn eq(&self, other: &Folder) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Folder {}

impl Hash for Folder {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Borrow<str> for Folder {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

fn check(path: &str) -> Result<(), UnsafePath> {
    if path.is_empty() {
        return Err(UnsafePath::Empty);
    }
    if path.len() > MAX_PATH {
        return Err(UnsafePath::TooLong);
    }
    if path.starts_with('/') {
        return Err(UnsafePath::Absolute);
    }
    for segment in path.split('/') {
        check_segment(segment)?;
    }
    Ok(())
}

fn check_segment(segment: &str) -> Result<(), UnsafePath> {
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(UnsafePath::Dots);
    }
    if segment.len() > MAX_SEGMENT {
        return Err(UnsafePath::TooLong);
    }
    if let Some(problem) = site_path::segment_problem(segment) {
        return Err(UnsafePath::Segment(segment.to_string(), problem));
    }
    let reserved = |kind: &str| {
        segment
            .strip_suffix(kind)
            .is_some_and(|name| name.len() > 2 && name.starts_with('.') && name.ends_with('.'))
    };
    if [TEMPORARY, OLD, NEW].into_iter().any(reserved) {
        return Err(UnsafePath::Reserved);
    }
    match segment.chars().find(|c| matches!(c, '%' | '#')) {
        Some(c) => Err(UnsafePath::UrlCharacter(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass() {
        for good in [
            "index.html",
            "spazi/via-piazzetta/index.html",
            "spazi/via-statuto/foto con spazi.jpg",
            "notizie/città/perché.html",
            "emoji/🏠.png",
            ".well-known/security.txt",
            "console/index.html",
            "com0/x",
            "a..b/c",
            "wemi-tmp/x.wemi-old",
            ".wemi-tmp",
        ] {
            assert!(OutputPath::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn every_escape_is_refused_with_its_reason() {
        use SegmentProblem::{Character, Reserved, TrailingDotOrSpace};
        let long = "a".repeat(MAX_SEGMENT + 1);
        let segment = |s: &str, p| UnsafePath::Segment(s.to_string(), p);
        for (bad, why) in [
            ("", UnsafePath::Empty),
            ("/etc/passwd", UnsafePath::Absolute),
            ("../x", UnsafePath::Dots),
            ("a/../../x", UnsafePath::Dots),
            ("./a", UnsafePath::Dots),
            ("a//b", UnsafePath::Dots),
            ("a/", UnsafePath::Dots),
            ("a\\..\\..\\x", segment("a\\..\\..\\x", Character('\\'))),
            ("a\0b", segment("a\0b", Character('\0'))),
            ("a\nb", segment("a\nb", Character('\n'))),
            ("a?b", segment("a?b", Character('?'))),
            ("c:/x", segment("c:", Character(':'))),
            ("con", segment("con", Reserved)),
            ("spazi/NUL.html", segment("NUL.html", Reserved)),
            ("lpt9.txt", segment("lpt9.txt", Reserved)),
            ("a./b", segment("a.", TrailingDotOrSpace)),
            ("a /b", segment("a ", TrailingDotOrSpace)),
            ("a%2e%2e/x", UnsafePath::UrlCharacter('%')),
            ("a#b", UnsafePath::UrlCharacter('#')),
            (".index.html.wemi-tmp/a.html", UnsafePath::Reserved),
            (
                "spazi/.index.html.wemi-old/index.html",
                UnsafePath::Reserved,
            ),
            (".public.wemi-new", UnsafePath::Reserved),
            (long.as_str(), UnsafePath::TooLong),
        ] {
            assert_eq!(OutputPath::new(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn folded_paths_meet_when_a_host_would_mix_them_up() {
        let a = OutputPath::new("Spazi/Città.html").unwrap();
        let b = OutputPath::new("spazi/citta\u{300}.html").unwrap();
        assert_eq!(a.folded(), b.folded());
        assert_eq!(a.folder(), "Spazi");
        assert_eq!(a.file_name(), "Città.html");
    }
}
