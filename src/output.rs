//! The rendered site ([`OutputSet`]) and writing it to the output folder.
//!
//! Nothing in the output folder changes until the whole site has rendered. While it renders,
//! `wemi build` compares each file with what the folder holds and puts only changed bytes in
//! a staging folder ([`Stage`]), so memory never holds the whole site; `wemi serve` keeps
//! everything in memory instead. Then changed files are renamed into place, so an
//! interrupted build never leaves a truncated file. Files that an earlier build
//! wrote (listed in the manifest) and that no longer belong to the site are removed; files
//! wemi never wrote are left alone. Nothing is written through a symbolic link or outside the
//! output folder.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::fingerprint::Stamp;
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
    /// Rendered bytes waiting in the [`Stage`], at this path.
    Staged(PathBuf),
    /// Rendered bytes identical to what the output folder already holds, with the file's
    /// stamp.
    Kept(Stamp),
    /// Rendered bytes already written to their place (the file was new), with the stamp
    /// the file has now.
    Placed(Stamp),
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

    /// True when some output file is a copy of the file at `source` (a path relative to the
    /// site root, such as `static/css/site.css`).
    pub fn copies(&self, source: &Path) -> bool {
        self.files
            .values()
            .any(|(file, _)| matches!(file, OutputFile::Copied(src) if src.ends_with(source)))
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

/// Where a build puts rendered files before it is known to succeed. A file the output folder
/// does not have yet is written straight to its place (with the folders it needs); a changed
/// file goes to a staging folder inside the output folder, to be renamed into place. Unless
/// [`Stage::commit`] is called, dropping the stage removes everything it created, so a failed
/// build leaves the output folder as it was.
pub struct Stage {
    out_dir: PathBuf,
    dir: PathBuf,
    /// Whether the staging folder was made: when a first changed file needs it.
    staging: std::sync::OnceLock<std::io::Result<()>>,
    next: AtomicUsize,
    created_out_dir: bool,
    /// Files and folders created in the output folder, in order.
    created: Mutex<Vec<PathBuf>>,
    /// Folders of the output folder known to be real folders now: `true` for those this
    /// build created (so no file in them was there before).
    folders: Mutex<HashMap<PathBuf, bool>>,
    committed: bool,
}

/// The staging folder's name inside the output folder.
const STAGING: &str = ".wemi-staging";
/// Staged files are spread over this many subfolders: on a disk file system, threads
/// creating many files in one folder wait for each other.
const STAGING_FOLDERS: usize = 64;

impl Stage {
    /// Prepares to stage files in `out_dir` (created if missing, removed again on drop when
    /// the build fails before anything is written).
    pub fn new(out_dir: &Path) -> Result<Stage, Vec<Diagnostic>> {
        let created_out_dir = !out_dir.exists();
        std::fs::create_dir_all(out_dir).map_err(|e| {
            io_error(
                out_dir,
                msg!("cannot create the output folder: {error}", error = e),
            )
        })?;
        let dir = out_dir.join(STAGING);
        if std::fs::symlink_metadata(&dir).is_ok() {
            // Left by a build that was killed.
            let _ = std::fs::remove_dir_all(&dir).or_else(|_| std::fs::remove_file(&dir));
        }
        Ok(Stage {
            out_dir: out_dir.to_path_buf(),
            dir,
            staging: std::sync::OnceLock::new(),
            next: AtomicUsize::new(0),
            created_out_dir,
            created: Mutex::new(Vec::new()),
            folders: Mutex::new(HashMap::new()),
            committed: false,
        })
    }

    /// The build succeeded: what the stage created stays.
    pub fn commit(mut self) {
        self.committed = true;
    }

    fn remember(&self, path: PathBuf) {
        self.created
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(path);
    }

    /// Keeps the rendered `bytes` of output `path`: [`OutputFile::Kept`] when the output
    /// folder already holds them, else written to a staging file.
    pub fn keep(&self, path: &str, bytes: &[u8]) -> Result<OutputFile, Diagnostic> {
        if !is_safe_relative(path) {
            return Ok(OutputFile::Rendered(bytes.to_vec()));
        }
        let target = self.out_dir.join(path);
        let is_new = self.in_new_folder(path)
            || match std::fs::symlink_metadata(&target) {
                Ok(meta) if holds(&meta, &target, bytes) => {
                    return Ok(OutputFile::Kept(Stamp::of(&meta)));
                }
                Ok(_) => false,
                Err(e) => e.kind() == std::io::ErrorKind::NotFound,
            };
        if is_new {
            self.make_folders(path)?;
            return self.place(&target, bytes);
        }
        self.staging
            .get_or_init(|| {
                std::fs::create_dir(&self.dir).and_then(|()| {
                    (0..STAGING_FOLDERS)
                        .try_for_each(|i| std::fs::create_dir(self.dir.join(format!("{i:02x}"))))
                })
            })
            .as_ref()
            .map_err(|e| {
                io_error(
                    &self.dir,
                    msg!("cannot create a folder: {error}", error = e),
                )
                .remove(0)
            })?;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let staged = self
            .dir
            .join(format!("{:02x}", n % STAGING_FOLDERS))
            .join(n.to_string());
        std::fs::write(&staged, bytes).map_err(|e| {
            Diagnostic::new(&staged, msg!("cannot write: {error}", error = e)).hint(msg!(
                "check that the output folder is writable and not in use"
            ))
        })?;
        Ok(OutputFile::Staged(staged))
    }
}

impl Stage {
    fn folders(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, bool>> {
        self.folders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// True when this build made a folder of output `path` (or the output folder itself): then
    /// the file cannot be there yet, and need not be looked for. Asks no system call.
    fn in_new_folder(&self, path: &str) -> bool {
        if self.created_out_dir {
            return true;
        }
        let Some((folders, _file)) = path.rsplit_once('/') else {
            return false;
        };
        let known = self.folders();
        let mut folder = self.out_dir.clone();
        for segment in folders.split('/') {
            folder.push(segment);
            match known.get(&folder) {
                Some(true) => return true,
                Some(false) => {}
                None => return false,
            }
        }
        false
    }

    /// Makes (and remembers) the folders output `path` needs, each checked once per build.
    fn make_folders(&self, path: &str) -> Result<(), Diagnostic> {
        let Some((folders, _file)) = path.rsplit_once('/') else {
            return Ok(());
        };
        let mut folder = self.out_dir.clone();
        for segment in folders.split('/') {
            folder.push(segment);
            let known = self.folders().contains_key(&folder);
            if !known {
                let created = make_folder(&folder)?;
                if created {
                    self.remember(folder.clone());
                }
                self.folders().insert(folder.clone(), created);
            }
        }
        Ok(())
    }

    /// Writes a new file straight to its place (its folders made).
    fn place(&self, target: &Path, bytes: &[u8]) -> Result<OutputFile, Diagnostic> {
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(target)
            .and_then(|mut f| {
                self.remember(target.to_path_buf());
                f.write_all(bytes)?;
                // Asked of the open file: no second walk of the path at the end of the build.
                f.metadata()
            });
        let meta = written.map_err(|e| {
            Diagnostic::new(target, msg!("cannot write: {error}", error = e)).hint(msg!(
                "check that the output folder is writable and not in use"
            ))
        })?;
        Ok(OutputFile::Placed(Stamp::of(&meta)))
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        if !self.committed {
            let created = self
                .created
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // Files before their folders: the reverse of the order they were made in.
            for path in created.iter().rev() {
                let _ = std::fs::remove_file(path).or_else(|_| std::fs::remove_dir(path));
            }
        }
        if self.staging.get().is_some() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        if self.created_out_dir {
            // Only when empty: a successful build has filled it.
            let _ = std::fs::remove_dir(&self.out_dir);
        }
    }
}

/// Keeps rendered bytes in `stage`, or in memory without one.
pub fn keep(stage: Option<&Stage>, path: &str, bytes: Vec<u8>) -> Result<OutputFile, Diagnostic> {
    match stage {
        Some(stage) => stage.keep(path, &bytes),
        None => Ok(OutputFile::Rendered(bytes)),
    }
}

fn io_error(path: &Path, message: Text) -> Vec<Diagnostic> {
    vec![Diagnostic::new(path, message).hint(msg!(
        "check that the output folder is writable and not in use"
    ))]
}

/// True for a relative path with normal segments only: it cannot leave the folder it is joined to.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// What the manifest records about the build that wrote it, besides its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The fingerprint of the build's inputs ([`crate::fingerprint::inputs`]).
    pub inputs: u64,
    /// Pages built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
}

/// When the last build of `out_dir` had exactly these `inputs` and its files are as it left
/// them: what it recorded and how many files it wrote.
pub fn unchanged_since(out_dir: &Path, inputs: u64) -> Option<(Record, usize)> {
    let text = std::fs::read_to_string(out_dir.join(MANIFEST)).ok()?;
    let (header, files) = text.split_once('\n')?;
    let mut fields = header
        .strip_prefix("#wemi ")?
        .split(' ')
        .map(|f| f.split_once('='));
    let mut next = |key: &str| match fields.next()? {
        Some((k, v)) if k == key => Some(v),
        _ => None,
    };
    let recorded = u64::from_str_radix(next("inputs")?, 16).ok()?;
    let outputs = u64::from_str_radix(next("outputs")?, 16).ok()?;
    let pages = next("pages")?.parse().ok()?;
    let sections = next("sections")?.parse().ok()?;
    if recorded != inputs {
        return None;
    }
    let paths: Vec<&str> = files.lines().filter(|l| is_safe_relative(l)).collect();
    (crate::fingerprint::outputs(out_dir, paths.iter().copied())? == outputs).then_some((
        Record {
            inputs,
            pages,
            sections,
        },
        paths.len(),
    ))
}

/// Writes `set` into `out_dir`, creating it if needed; `record` goes into the manifest.
pub fn write(
    set: &OutputSet,
    out_dir: &Path,
    record: Option<Record>,
) -> Result<WriteReport, Vec<Diagnostic>> {
    let io = io_error;
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

    // Each folder is created once, checking that none of them is a link leading elsewhere;
    // parents before children, the folders of one depth in parallel.
    let mut folders: BTreeSet<(usize, &str)> = BTreeSet::new();
    let needing_folders = set
        .files
        .iter()
        .filter(|(_, (file, _))| !matches!(file, OutputFile::Kept(_) | OutputFile::Placed(_)))
        .map(|(path, _)| path.as_str());
    for path in needing_folders {
        let mut rest = path;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !folders.insert((folder.matches('/').count(), folder)) {
                break;
            }
            rest = folder;
        }
    }
    let deepest = folders.last().map_or(0, |(depth, _)| *depth);
    for depth in 0..=deepest {
        let level: Vec<&str> = folders
            .range((depth, "")..(depth + 1, ""))
            .map(|(_, f)| *f)
            .collect();
        let errors: Vec<Diagnostic> = level
            .par_iter()
            .filter_map(|folder| make_folder(&out_dir.join(folder)).err())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
    }

    let results: Vec<Result<bool, Vec<Diagnostic>>> = set
        .files
        .par_iter()
        .map(|(rel, (file, _))| {
            let target = out_dir.join(rel);
            let bytes: std::borrow::Cow<[u8]> = match file {
                OutputFile::Kept(_) => return Ok(false),
                OutputFile::Placed(_) => return Ok(true),
                OutputFile::Staged(staged) => {
                    std::fs::rename(staged, &target)
                        .map_err(|e| io(&target, msg!("cannot write: {error}", error = e)))?;
                    return Ok(true);
                }
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
    let mut manifest = String::new();
    if let Some(r) = record {
        // Files written or kept while rendering were stamped then; the others are now.
        let stamps: Option<Vec<Stamp>> = set
            .files
            .par_iter()
            .map(|(path, (file, _))| match file {
                OutputFile::Kept(stamp) | OutputFile::Placed(stamp) => Some(*stamp),
                _ => Stamp::of_output(out_dir, path),
            })
            .collect();
        let outputs = stamps.map_or(0, |s| crate::fingerprint::of_outputs(set.paths().zip(s)));
        manifest = format!(
            "#wemi inputs={:x} outputs={outputs:x} pages={} sections={}\n",
            r.inputs, r.pages, r.sections
        );
    }
    manifest.extend(set.paths().flat_map(|p| [p, "\n"]));
    let manifest_path = out_dir.join(MANIFEST);
    // Like every output file, the manifest is only rewritten when it changes.
    if !is_same(&manifest_path, manifest.as_bytes()) {
        write_atomically(&manifest_path, manifest.as_bytes())
            .map_err(|e| io(&manifest_path, msg!("cannot write: {error}", error = e)))?;
    }
    Ok(report)
}

/// Creates the folder at `path` unless it is already there as a real folder (not a link);
/// true when it created it.
fn make_folder(path: &Path) -> Result<bool, Diagnostic> {
    let error = match std::fs::create_dir(path) {
        Ok(()) => return Ok(true),
        Err(e) => e,
    };
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => Ok(false),
        Ok(m) if m.file_type().is_symlink() => Err(Diagnostic::new(
            path,
            msg!("the output folder contains a symbolic link where a folder is needed"),
        )
        .hint(msg!("remove the link: wemi never writes through links"))),
        Ok(_) => Err(Diagnostic::new(
            path,
            msg!("a file is in the way of a folder the site needs"),
        )
        .hint(msg!("remove that file from the output folder"))),
        Err(_) => {
            Err(io_error(path, msg!("cannot create a folder: {error}", error = error)).remove(0))
        }
    }
}

fn read_manifest(out_dir: &Path) -> Vec<String> {
    std::fs::read_to_string(out_dir.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && is_safe_relative(l))
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
    std::fs::symlink_metadata(target).is_ok_and(|meta| holds(&meta, target, bytes))
}

/// True when `target`, whose metadata (not following links) is `meta`, is a regular file
/// holding exactly `bytes`.
fn holds(meta: &std::fs::Metadata, target: &Path, bytes: &[u8]) -> bool {
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(target).is_ok_and(|existing| existing == bytes)
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
        assert_eq!(write(&set, &out, None).unwrap().written, 3);
        std::fs::write(out.join("CNAME"), "mine").unwrap();

        let mut next = OutputSet::default();
        for (p, b) in [("index.html", "home"), ("a/index.html", "A")] {
            next.insert(p.into(), OutputFile::Rendered(b.into()), p.into())
                .unwrap();
        }
        let r = write(&next, &out, None).unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 1, 1));
        let manifest_time = std::fs::metadata(out.join(MANIFEST))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let r = write(&next, &out, None).unwrap();
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
        assert!(write(&set, &out, None).is_err());
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
