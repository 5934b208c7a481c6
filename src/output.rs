//! The rendered site in memory ([`OutputSet`]) and writing it to the output folder.
//!
//! Nothing is written until the whole site has rendered. Then each file is compared with what
//! is already there and only changed bytes are written, through a temporary file renamed into
//! place, so an interrupted build never leaves a truncated file. Files that an earlier build
//! wrote (listed in the manifest) and that no longer belong to the site are removed; files
//! wemi never wrote are left alone. Nothing is written through a symbolic link or outside the
//! output folder.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::i18n::Text;
use crate::msg;

/// The manifest of the files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".wemi-manifest";

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    /// Bytes rendered by the build.
    Rendered(Vec<u8>),
    /// A file copied as is.
    Copied(PathBuf),
}

/// Every file of the site: output path (relative, `/` separated) → content.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: BTreeMap<String, (OutputFile, String)>,
}

impl OutputSet {
    /// Adds a file; `origin` says where it comes from, for the collision message. Two origins
    /// for one path is an error naming both.
    pub fn insert(
        &mut self,
        path: String,
        file: OutputFile,
        origin: String,
    ) -> Result<(), Diagnostic> {
        debug_assert!(is_safe_relative(&path), "unsafe output path {path}");
        if let Some((_, first)) = self.files.get(&path) {
            return Err(Diagnostic::new(
                origin.clone(),
                msg!(
                    "{origin} and {first} would both be written to {path}",
                    origin = origin,
                    first = first,
                    path = path
                ),
            )
            .hint(msg!("rename or remove one of them")));
        }
        self.files.insert(path, (file, origin));
        Ok(())
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

    /// Every output path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// What writing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: usize,
    /// Files whose bytes were already right.
    pub unchanged: usize,
    /// Files of an earlier build removed.
    pub removed: usize,
}

/// True for a relative path with normal segments only: it cannot leave the folder it is joined to.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes `set` into `out_dir`, creating it if needed.
pub fn write(set: &OutputSet, out_dir: &Path) -> Result<WriteReport, Vec<Diagnostic>> {
    let io = |path: &Path, message: Text| {
        vec![Diagnostic::new(path, message).hint(msg!(
            "check that the output folder is writable and not in use"
        ))]
    };
    std::fs::create_dir_all(out_dir).map_err(|e| {
        io(
            out_dir,
            msg!("cannot create the output folder: {error}", error = e),
        )
    })?;
    let previous = read_manifest(out_dir);
    let mut report = WriteReport::default();

    // Files of the previous build that are gone from this one.
    for stale in previous.iter().filter(|p| set.get(p).is_none()) {
        let path = out_dir.join(stale);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
        {
            std::fs::remove_file(&path)
                .map_err(|e| io(&path, msg!("cannot remove an old file: {error}", error = e)))?;
            report.removed += 1;
            remove_empty_parents(out_dir, &path);
        }
    }

    // Each folder is created once, checking that none of them is a link leading elsewhere.
    let folders: BTreeSet<&str> = set
        .paths()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    let mut checked: BTreeSet<String> = BTreeSet::new();
    for folder in folders {
        let mut current = String::new();
        for segment in folder.split('/') {
            if !current.is_empty() {
                current.push('/');
            }
            current.push_str(segment);
            if !checked.insert(current.clone()) {
                continue;
            }
            let path = out_dir.join(&current);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(vec![
                        Diagnostic::new(
                            &path,
                            msg!(
                                "the output folder contains a symbolic link where a folder is needed"
                            ),
                        )
                        .hint(msg!("remove the link: wemi never writes through links")),
                    ]);
                }
                Ok(_) => {
                    return Err(vec![
                        Diagnostic::new(
                            &path,
                            msg!("a file is in the way of a folder the site needs"),
                        )
                        .hint(msg!("remove that file from the output folder")),
                    ]);
                }
                Err(_) => std::fs::create_dir(&path)
                    .map_err(|e| io(&path, msg!("cannot create a folder: {error}", error = e)))?,
            }
        }
    }

    let results: Vec<Result<bool, Vec<Diagnostic>>> = set
        .files
        .par_iter()
        .map(|(rel, (file, _))| {
            let target = out_dir.join(rel);
            let bytes: std::borrow::Cow<[u8]> = match file {
                OutputFile::Rendered(b) => b.into(),
                OutputFile::Copied(src) => std::fs::read(src)
                    .map_err(|e| io(src, msg!("cannot read a file to copy: {error}", error = e)))?
                    .into(),
            };
            if is_same(&target, &bytes) {
                return Ok(false);
            }
            write_atomically(&target, &bytes)
                .map_err(|e| io(&target, msg!("cannot write: {error}", error = e)))?;
            Ok(true)
        })
        .collect();
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(true) => report.written += 1,
            Ok(false) => report.unchanged += 1,
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let manifest: String = set.paths().flat_map(|p| [p, "\n"]).collect();
    let manifest_path = out_dir.join(MANIFEST);
    // Like every output file, the manifest is only rewritten when it changes.
    if !is_same(&manifest_path, manifest.as_bytes()) {
        write_atomically(&manifest_path, manifest.as_bytes())
            .map_err(|e| io(&manifest_path, msg!("cannot write: {error}", error = e)))?;
    }
    Ok(report)
}

fn read_manifest(out_dir: &Path) -> Vec<String> {
    std::fs::read_to_string(out_dir.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| is_safe_relative(l))
        .map(str::to_string)
        .collect()
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// True when `target` is a regular file holding exactly `bytes`.
fn is_same(target: &Path, bytes: &[u8]) -> bool {
    match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(target).is_ok_and(|existing| existing == bytes)
        }
        _ => false,
    }
}

/// Writes a temporary file next to `target`, then renames it over `target`.
fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.wemi-tmp"));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        assert!(is_safe_relative("spazi/via-piazzetta/index.html"));
        for bad in ["", "../x", "a/../../x", "/etc/passwd", "a\\..\\b", "./a"] {
            assert!(!is_safe_relative(bad), "{bad}");
        }
    }

    #[test]
    fn collisions_name_both_origins() {
        let mut set = OutputSet::default();
        set.insert(
            "a/index.html".into(),
            OutputFile::Rendered(vec![]),
            "content/a.md".into(),
        )
        .unwrap();
        let d = set
            .insert(
                "a/index.html".into(),
                OutputFile::Rendered(vec![]),
                "static/a/index.html".into(),
            )
            .unwrap_err();
        assert!(d.message.contains("content/a.md"));
        assert!(d.message.contains("static/a/index.html"));
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut set = OutputSet::default();
        for (p, b) in [
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("b/index.html", "b"),
        ] {
            set.insert(p.into(), OutputFile::Rendered(b.into()), p.into())
                .unwrap();
        }
        assert_eq!(write(&set, &out).unwrap().written, 3);
        std::fs::write(out.join("CNAME"), "mine").unwrap();

        let mut next = OutputSet::default();
        for (p, b) in [("index.html", "home"), ("a/index.html", "A")] {
            next.insert(p.into(), OutputFile::Rendered(b.into()), p.into())
                .unwrap();
        }
        let r = write(&next, &out).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 1, 1));
        let manifest_time = std::fs::metadata(out.join(MANIFEST))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = write(&next, &out).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (0, 2, 0));
        assert_eq!(
            std::fs::metadata(out.join(MANIFEST))
                .unwrap()
                .modified()
                .unwrap(),
            manifest_time,
            "an unchanged build does not touch the manifest either"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert!(
            !out.join("b").exists(),
            "empty folder of a removed file stays"
        );
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "mine");
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlinked_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("spazi")).unwrap();
        let mut set = OutputSet::default();
        set.insert(
            "spazi/index.html".into(),
            OutputFile::Rendered(b"x".to_vec()),
            "x".into(),
        )
        .unwrap();
        assert!(write(&set, &out).is_err());
        assert!(!outside.join("index.html").exists());
    }

    #[test]
    fn collision_in_italian() {
        let mut set = OutputSet::default();
        let file = || OutputFile::Rendered(vec![]);
        set.insert("a/index.html".into(), file(), "content/a.md".into())
            .unwrap();
        let d = set
            .insert("a/index.html".into(), file(), "static/a/index.html".into())
            .unwrap_err();
        assert_eq!(
            d.message_it.as_deref(),
            Some("static/a/index.html e content/a.md verrebbero scritti entrambi in a/index.html")
        );
        assert_eq!(d.hint_it.as_deref(), Some("rinomina o togli uno dei due"));
    }
}
