//! The rendered site: [`OutputSet`], every output file by its [`OutputPath`], refusing two
//! files that a case-insensitive host would mix up or that need each other's name for a
//! folder.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::compress;
use super::path::{Folder, OutputPath, UnsafePath};
use crate::base::error::{Code, Diagnostic};
use crate::base::fingerprint::Stamp;
use crate::base::i18n::Text;
use crate::base::i18n::msg;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Bytes rendered by the build, in memory.
    Rendered(Vec<u8>),
    /// A file copied as is, from this path.
    Copied(PathBuf),
    /// Changed bytes waiting beside their target under its temporary name
    /// (`.<name>.wemi-tmp`, derived from the target's: nothing stored per file), to be renamed
    /// into place when the build commits.
    Staged,
    /// Bytes identical to what the output folder already holds, with the file's stamp.
    Kept(Stamp),
    /// A new file, already in its place (removed again if the build fails), with its stamp.
    Placed(Stamp),
    /// Bytes rendered by `wemi check` and dropped at once: it writes nothing, and holding
    /// every page in memory made it need more than a build. An HTML page keeps the absolute
    /// addresses a browser would load from or submit to ([`super::contacts::in_html`]).
    Dropped(Vec<super::contacts::Contact>),
}

/// Every file of the site: output path → content, and where it comes from.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: BTreeMap<OutputPath, (OutputFile, Box<str>)>,
    /// The paths that a case-insensitive host sees in another form ([`OutputPath::folded`]),
    /// by that form. A path already in that form (every slug is) is found among `files`.
    unfolded: HashMap<Arc<str>, OutputPath>,
    /// Each folder the paths need, in that form: the start of the folded form of the first
    /// path that needs it, which it shares.
    folders: HashSet<Folder>,
}

impl OutputSet {
    /// Adds a file; `origin` says where it comes from, for the collision message. Two origins
    /// for one path (or for two paths that differ only in case or accents) is an error naming
    /// both.
    pub fn insert(
        &mut self,
        path: OutputPath,
        file: OutputFile,
        origin: String,
    ) -> Result<(), Diagnostic> {
        let folded = path.folded();
        if let Some(first) = self.holder(&folded) {
            let (_, first_origin) = &self.files[first];
            let message = if *first == path {
                msg!(
                    "{origin} and {first} would both be written to {path}",
                    origin = origin,
                    first = first_origin,
                    path = path
                )
            } else {
                msg!(
                    "{origin} would be written to {path} and {first} to {other}: hosts that ignore case or accents would mix them up",
                    origin = origin,
                    path = path,
                    first = first_origin,
                    other = first
                )
            };
            return Err(Diagnostic::new(Code::OutputCollision, origin, message)
                .hint(msg!("rename or remove one of them")));
        }
        // A file where another file needs a folder, or inside a folder that is another file.
        let clash = self
            .folders
            .get(&*folded)
            .and_then(|folder| self.holder(folder.path()))
            .or_else(|| folders_of(&folded).find_map(|folder| self.holder(folder)));
        if let Some(other) = clash {
            let (_, first) = &self.files[other];
            return Err(Diagnostic::new(
                Code::OutputCollision,
                origin.clone(),
                msg!(
                    "{origin} would be written to {path} and {first} to {other}: one of them needs the other's name for a folder",
                    origin = origin,
                    path = path,
                    first = first,
                    other = other
                ),
            )
            .hint(msg!("rename or remove one of them")));
        }
        let folded = if folded == path.as_str() {
            path.shared()
        } else {
            let folded = Arc::<str>::from(folded);
            self.unfolded.insert(Arc::clone(&folded), path.clone());
            folded
        };
        for folder in folders_of(&folded) {
            if self.folders.contains(folder) {
                break;
            }
            let folder = Folder::new(Arc::clone(&folded), folder.len());
            self.folders.insert(folder);
        }
        self.files.insert(path, (file, origin.into_boxed_str()));
        Ok(())
    }

    /// The path of the set whose folded form is `folded`.
    fn holder(&self, folded: &str) -> Option<&OutputPath> {
        self.unfolded.get(folded).or_else(|| {
            let (path, _) = self.files.get_key_value(folded)?;
            // A path is its own folded form unless it is among the unfolded ones.
            (path.folded() == folded).then_some(path)
        })
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there is no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The content of one output path.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path).map(|(f, _)| f)
    }

    /// True when some output file is a copy of the file at `source` (a path relative to the
    /// site root, such as `static/css/site.css`).
    pub fn copies(&self, source: &Path) -> bool {
        self.files
            .values()
            .any(|(file, _)| matches!(file, OutputFile::Copied(src) if src.ends_with(source)))
    }

    /// Every output path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(OutputPath::as_str)
    }

    /// Every file with its path, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&OutputPath, &OutputFile)> {
        self.files.iter().map(|(path, (file, _))| (path, file))
    }

    /// Every file with its path and where it comes from (as given to [`OutputSet::insert`]),
    /// sorted by path.
    pub fn files_with_origins(&self) -> impl Iterator<Item = (&OutputPath, &OutputFile, &str)> {
        self.files
            .iter()
            .map(|(path, (file, origin))| (path, file, &**origin))
    }

    /// With precompression, the files of the set at the paths of another's compressed copies
    /// (`spazi/index.html.gz`), or that need those paths for a folder: each an error naming
    /// both files. Any file of a compressed kind counts, whatever its size, so that what is
    /// an error does not depend on how long a page is.
    pub fn compressed_copy_collisions(&self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (path, (_, origin)) in &self.files {
            if !compress::compressible(path.as_str()) {
                continue;
            }
            for encoding in compress::Encoding::ALL {
                let copy = format!("{}{}", path.folded(), encoding.suffix());
                let taker = self.holder(&copy).or_else(|| {
                    let folder = self.folders.get(copy.as_str())?;
                    self.holder(folder.path())
                });
                if let Some(taker) = taker {
                    let (_, taker_origin) = &self.files[taker];
                    errors.push(
                        Diagnostic::new(
                            Code::OutputCollision,
                            &**taker_origin,
                            msg!(
                                "{origin} would be written to {path}, where precompression writes the compressed copy of {first} ({first_origin})",
                                origin = taker_origin,
                                path = taker,
                                first = path,
                                first_origin = origin
                            ),
                        )
                        .hint(msg!("rename or remove one of them")),
                    );
                }
            }
        }
        errors
    }

    pub(super) fn files_mut(&mut self) -> impl Iterator<Item = (&OutputPath, &mut OutputFile)> {
        self.files.iter_mut().map(|(path, (file, _))| (path, file))
    }
}

/// The folders of a `/`-separated path, deepest first: `a/b/c.html` → `a/b`, `a`.
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(path.rsplit_once('/').map(|(f, _)| f), |f| {
        f.rsplit_once('/').map(|(parent, _)| parent)
    })
}

/// `path` as an output path, or an error on `origin` (the file it comes from) saying why it
/// cannot be published there.
pub fn checked(path: &str, origin: impl Into<PathBuf>) -> Result<OutputPath, Diagnostic> {
    OutputPath::new(path).map_err(|why| {
        Diagnostic::new(
            Code::PathUnsafe,
            origin,
            msg!(
                "cannot publish a file at `{path}`: {reason}",
                path = path.escape_debug(),
                reason = reason(why)
            ),
        )
        .hint(msg!(
            "rename the file (or change its `slug`, alias or term) using letters, digits, hyphens and dots"
        ))
    })
}

fn reason(why: UnsafePath) -> Text {
    match why {
        UnsafePath::Empty => msg!("the path is empty"),
        UnsafePath::Absolute => msg!("it starts at the root of the disk"),
        UnsafePath::Dots => msg!("it has an empty, `.` or `..` part"),
        UnsafePath::Segment(segment, problem) => problem.describe(&segment),
        UnsafePath::UrlCharacter(c) => msg!(
            "it contains `{char}`, which web addresses read as an escape or a fragment",
            char = c
        ),
        UnsafePath::TooLong => msg!("it is too long"),
        UnsafePath::Reserved => msg!(
            "a name ending in `.wemi-tmp`, `.wemi-old` or `.wemi-new` is kept for the files wemi writes"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> OutputPath {
        OutputPath::new(p).unwrap()
    }

    #[test]
    fn collisions_name_both_origins() {
        let mut set = OutputSet::default();
        set.insert(
            path("a/index.html"),
            OutputFile::Rendered(vec![]),
            "content/a.md".into(),
        )
        .unwrap();
        let d = set
            .insert(
                path("a/index.html"),
                OutputFile::Rendered(vec![]),
                "static/a/index.html".into(),
            )
            .unwrap_err();
        assert!(d.message.contains("content/a.md"));
        assert!(d.message.contains("static/a/index.html"));
    }

    #[test]
    fn paths_that_differ_only_in_case_or_accents_collide() {
        let mut set = OutputSet::default();
        let file = || OutputFile::Rendered(vec![]);
        set.insert(path("Foto.JPG"), file(), "content/Foto.JPG".into())
            .unwrap();
        let d = set
            .insert(path("foto.jpg"), file(), "content/foto.jpg".into())
            .unwrap_err();
        assert!(d.message.contains("content/Foto.JPG"), "{}", d.message);
        assert!(d.message.contains("ignore case"), "{}", d.message);
        set.insert(path("città.html"), file(), "a".into()).unwrap();
        assert!(
            set.insert(path("citta\u{300}.html"), file(), "b".into())
                .is_err()
        );
        assert_eq!(set.len(), 2);
    }

    #[test]
    fn a_file_where_another_needs_a_folder_collides() {
        let mut set = OutputSet::default();
        let file = || OutputFile::Rendered(vec![]);
        set.insert(path("robots.txt"), file(), "robots".into())
            .unwrap();
        let d = set
            .insert(path("Robots.txt/index.html"), file(), "content/a.md".into())
            .unwrap_err();
        assert!(d.message.contains("robots"), "{}", d.message);
        set.insert(path("a/b/index.html"), file(), "x".into())
            .unwrap();
        let d = set.insert(path("a/b"), file(), "y".into()).unwrap_err();
        assert!(
            d.message.contains("needs the other's name for a folder"),
            "{}",
            d.message
        );
        assert!(set.insert(path("a/c.html"), file(), "z".into()).is_ok());
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn a_folder_of_a_path_not_in_folded_form_collides_with_a_file_in_any_case() {
        let mut set = OutputSet::default();
        let file = || OutputFile::Rendered(vec![]);
        set.insert(path("Città/x.html"), file(), "a".into())
            .unwrap();
        for (clash, origin) in [
            ("città", "b"),
            ("CITTA\u{300}", "c"),
            ("città/x.html/y", "d"),
        ] {
            let d = set.insert(path(clash), file(), origin.into()).unwrap_err();
            let expected = format!("{origin} would be written to {clash} and a to Città/x.html");
            assert!(d.message.starts_with(&expected), "{}", d.message);
            assert!(d.message.contains("for a folder"), "{}", d.message);
        }
        set.insert(path("città/y.html"), file(), "e".into())
            .unwrap();
        set.insert(path("città.html"), file(), "f".into()).unwrap();
        assert_eq!(
            set.files_with_origins()
                .map(|(p, _, o)| format!("{p} {o}"))
                .collect::<Vec<_>>(),
            ["Città/x.html a", "città.html f", "città/y.html e"]
        );
    }

    #[test]
    fn collision_in_italian() {
        let mut set = OutputSet::default();
        let file = || OutputFile::Rendered(vec![]);
        set.insert(path("a/index.html"), file(), "content/a.md".into())
            .unwrap();
        let d = set
            .insert(path("a/index.html"), file(), "static/a/index.html".into())
            .unwrap_err();
        assert_eq!(
            d.message_it.as_deref(),
            Some("static/a/index.html e content/a.md verrebbero scritti entrambi in a/index.html")
        );
        assert_eq!(d.hint_it.as_deref(), Some("rinomina o togli uno dei due"));
    }

    #[test]
    fn an_unsafe_path_is_an_error_on_its_origin() {
        let d = checked("a\\..\\..\\x", "static/a\\..\\..\\x").unwrap_err();
        assert_eq!(d.path, Path::new("static/a\\..\\..\\x"));
        assert!(d.message.contains("contains `\\\\`"), "{}", d.message);
        assert!(d.message_it.is_some());
    }
}
