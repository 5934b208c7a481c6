//! [`Stage`]: writing a build into the output folder as one transaction.
//!
//! While the site renders, [`Stage::keep`] compares each file with what the folder holds:
//! identical bytes are left alone; a new file is written under a temporary name beside its
//! target and renamed into place at once (a file is whole or absent, even if the process is
//! killed); a changed file waits under its temporary name. When the output folder does not
//! exist yet, the build writes its files straight into a hidden folder beside it, which
//! [`Stage::commit`] renames to the output folder: until then there is no output folder, and
//! a killed build leaves only that hidden folder, which the next build removes. Otherwise,
//! before anything is created or changed, its path is appended to the journal
//! ([`super::state`]). [`Stage::commit`] then
//! renames the changed files into place and moves the files of earlier builds that are gone
//! aside, keeping every old version until the new manifest is written: if any step fails,
//! everything is put back. Dropping a stage that was not committed removes what it created.
//!
//! When the site asks for it ([`Stage::publishing`]), a file is minified before it is
//! compared, and its compressed copies are kept with it as files of the build: an unchanged
//! file's copies are reused when they still decompress to its bytes, so a build that changes
//! nothing compresses nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};

use rayon::prelude::*;

use super::compress::{self, Encoding};
use super::path::{Folder, NEW, OLD, OutputPath, TEMPORARY};
use super::set::{OutputFile, OutputSet, checked};
use super::state::{Record, State};
use super::{assets, minify};
use crate::base::error::{Code, Diagnostic};
use crate::base::fingerprint::Stamp;
use crate::base::i18n::{Text, msg};
use crate::config::Publish;

/// A build's writes into one output folder; see the module documentation.
pub struct Stage {
    /// Where this build writes: the output folder, or the hidden folder beside it that becomes
    /// the output folder (`new_out_dir`).
    out_dir: PathBuf,
    /// The output folder, when it did not exist: `out_dir` is renamed to it on commit.
    new_out_dir: Option<PathBuf>,
    state: State,
    /// Open for appending, and locked: one build at a time writes an output folder.
    journal: File,
    /// Whether the journal held the paths of a killed build when this one started.
    inherited_journal: bool,
    /// The output paths an earlier build may have written.
    earlier: Vec<OutputPath>,
    /// Files (new ones, and temporary ones) and folders this build created, in order.
    created: Mutex<Vec<Created>>,
    /// Folders of the output folder known to be real folders now: `true` when this build
    /// created it or a folder above it (so no file in it was there).
    folders: Mutex<HashMap<Folder, bool>>,
    /// The output paths already in the journal ([`Stage::plan`]).
    planned: RwLock<HashSet<OutputPath>>,
    /// Minification and precompression of what the build writes.
    publish: Publish,
    /// The compressed copies kept so far, each with the path of its file: added to the
    /// build's files on commit.
    companions: Mutex<Vec<(OutputPath, OutputFile, String)>>,
}

/// A file or folder a build created in the output folder, removed again if the build fails.
enum Created {
    /// The new file at this path.
    File(OutputPath),
    /// The temporary file beside this path.
    Temporary(OutputPath),
    /// A folder.
    Folder(Folder),
}

impl Created {
    /// Where it is, relative to the output folder.
    fn path(&self) -> &str {
        match self {
            Created::File(path) | Created::Temporary(path) => path.as_str(),
            Created::Folder(folder) => folder.as_str(),
        }
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

/// Where a run puts the bytes it renders.
#[derive(Clone, Copy)]
pub enum Keeping<'a> {
    /// In memory (`wemi serve` serves them from there).
    Memory,
    /// Nowhere: only the output paths and the addresses pages contact are kept, to be checked
    /// (`wemi check`).
    Nowhere,
    /// Staged on disk as soon as they are rendered (`wemi build`).
    Staged(&'a Stage),
}

/// Keeps rendered bytes as `keeping` says.
pub fn keep(keeping: Keeping, path: &OutputPath, bytes: Vec<u8>) -> Result<OutputFile, Diagnostic> {
    match keeping {
        Keeping::Staged(stage) => stage.keep(path, &bytes),
        Keeping::Memory => Ok(OutputFile::Rendered(bytes)),
        Keeping::Nowhere => Ok(OutputFile::Dropped(if path.as_str().ends_with(".html") {
            super::contacts::in_html(&String::from_utf8_lossy(&bytes))
        } else {
            Vec::new()
        })),
    }
}

/// A failed read or write in the output folder (or the state folder), at `path`: `error`,
/// said by `message`.
fn io_error(path: &Path, error: &std::io::Error, message: Text) -> Diagnostic {
    Diagnostic::new(Code::io(error), path, message).hint(msg!(
        "check that the output folder is writable and not in use"
    ))
}

/// A step of [`Stage::commit`] that can be undone.
enum Done {
    /// `target` got new bytes; its old version is at `old` (when it had one).
    Replaced {
        target: PathBuf,
        old: Option<PathBuf>,
    },
    /// `target`, a file of an earlier build, was moved to `old`.
    Removed { target: PathBuf, old: PathBuf },
    /// The new output folder was moved from where it was written (`from`) into place (`to`).
    Moved { from: PathBuf, to: PathBuf },
}

impl Stage {
    /// Prepares to write into `out_dir`; when it is missing, into a new hidden folder beside
    /// it, which becomes `out_dir` on commit (and is removed if the build fails). When the
    /// last build was killed, its temporary files (or its hidden folder) are removed first.
    pub fn open(out_dir: &Path, state: State) -> Result<Stage, Vec<Diagnostic>> {
        let inherited_journal = state.interrupted();
        let earlier = state.earlier_outputs();
        let journal = state.open_journal().map_err(|e| {
            vec![io_error(
                state.journal_path(),
                &e,
                msg!("cannot write the build's journal: {error}", error = e),
            )]
        })?;
        if journal.try_lock().is_err() {
            return Err(vec![
                Diagnostic::new(
                    Code::OutputLocked,
                    out_dir,
                    msg!("another wemi build is writing this output folder"),
                )
                .hint(msg!("wait for it to finish, then build again")),
            ]);
        }
        if inherited_journal {
            for path in &earlier {
                let target = out_dir.join(path.as_str());
                let _ = std::fs::remove_file(sibling(&target, TEMPORARY));
                let _ = std::fs::remove_file(sibling(&target, OLD));
            }
        }
        // The staging folder of older versions of wemi.
        let _ = std::fs::remove_dir_all(out_dir.join(".wemi-staging"));
        // Looked at once this build holds the lock: no other build can make it meanwhile.
        let created_out_dir = !out_dir.exists();
        let writing = if created_out_dir {
            sibling(out_dir, NEW)
        } else {
            out_dir.to_path_buf()
        };
        let create = || {
            if created_out_dir {
                // What a killed first build left; a link there is removed, not followed.
                let _ = std::fs::remove_dir_all(&writing);
                if let Some(parent) = writing.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::create_dir(&writing)
            } else {
                Ok(())
            }
        };
        create().map_err(|e| {
            vec![io_error(
                out_dir,
                &e,
                msg!("cannot create the output folder: {error}", error = e),
            )]
        })?;
        Ok(Stage {
            out_dir: writing,
            new_out_dir: created_out_dir.then(|| out_dir.to_path_buf()),
            state,
            journal,
            inherited_journal,
            earlier,
            created: Mutex::new(Vec::new()),
            folders: Mutex::new(HashMap::new()),
            planned: RwLock::new(HashSet::new()),
            publish: Publish::default(),
            companions: Mutex::new(Vec::new()),
        })
    }

    /// This stage, minifying and precompressing what it keeps as `publish` says.
    pub fn publishing(mut self, publish: Publish) -> Stage {
        self.publish = publish;
        self
    }

    /// Tells the journal, in one write, of output paths about to be kept: the paths of all
    /// the files a phase of the build writes, known before it starts.
    pub fn plan<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p OutputPath>,
    ) -> Result<(), Diagnostic> {
        if self.new_out_dir.is_some() {
            // What a first build writes goes (or is removed) with its hidden folder.
            return Ok(());
        }
        let mut planned = self.planned.write().unwrap_or_else(PoisonError::into_inner);
        let new: Vec<&OutputPath> = paths
            .into_iter()
            .filter(|p| !planned.contains(*p))
            .collect();
        self.journal(&new)?;
        planned.extend(new.into_iter().cloned());
        Ok(())
    }

    /// Keeps the rendered `bytes` of output `path`: [`OutputFile::Kept`] when the output
    /// folder already holds them, [`OutputFile::Placed`] when the file is new (written now),
    /// [`OutputFile::Staged`] when it changes (written beside it, renamed on commit). A path
    /// not [planned](Stage::plan) goes into the journal first. The bytes are minified first,
    /// and their compressed copies kept too, when the stage is [publishing](Stage::publishing)
    /// so.
    pub fn keep(&self, path: &OutputPath, bytes: &[u8]) -> Result<OutputFile, Diagnostic> {
        // Hashed assets were minified before they were hashed (their integrity is that of
        // their published bytes).
        let minified = (self.publish.minify && !assets::looks_hashed(path))
            .then(|| minify::minified(path.as_str(), bytes))
            .flatten();
        let bytes = minified.as_deref().unwrap_or(bytes);
        let kept = self.keep_bytes(path, bytes)?;
        if self.publish.precompress && compress::wanted(path.as_str(), bytes.len()) {
            self.keep_companions(path, bytes, matches!(kept, OutputFile::Kept(_)))?;
        }
        Ok(kept)
    }

    /// Keeps the compressed copies of the file at `path` holding `bytes`. When the file is
    /// `unchanged`, a copy that the output folder holds and that decompresses to `bytes` is
    /// kept as it is: no compression.
    fn keep_companions(
        &self,
        path: &OutputPath,
        bytes: &[u8],
        unchanged: bool,
    ) -> Result<(), Diagnostic> {
        for encoding in Encoding::ALL {
            let companion = checked(&format!("{path}{}", encoding.suffix()), path.as_str())?;
            let target = self.out_dir.join(companion.as_str());
            let reused = unchanged
                .then(|| copy_of(&target, encoding, bytes))
                .flatten();
            let file = match reused {
                Some(stamp) => OutputFile::Kept(stamp),
                None => match encoding.compress(bytes) {
                    Some(compressed) => self.keep_bytes(&companion, &compressed)?,
                    None => continue,
                },
            };
            self.companions
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((companion, file, path.to_string()));
        }
        Ok(())
    }

    /// [`Stage::keep`] of bytes as they are.
    fn keep_bytes(&self, path: &OutputPath, bytes: &[u8]) -> Result<OutputFile, Diagnostic> {
        let target = self.out_dir.join(path.as_str());
        if self.new_out_dir.is_some() {
            // Nobody sees this folder before the commit: the file goes straight to its name.
            self.make_folders(path)?;
            let file = self.write_new(&target, bytes)?;
            return Ok(OutputFile::Placed(stamp_of(&file, &target)?));
        }
        let planned = self
            .planned
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(path);
        if !planned {
            self.journal(&[path])?;
        }
        let is_new = self.make_folders(path)?
            || match std::fs::symlink_metadata(&target) {
                Ok(meta) if holds(&meta, &target, bytes) => {
                    return Ok(OutputFile::Kept(Stamp::of(&meta)));
                }
                Ok(meta) if meta.is_dir() => {
                    return Err(Diagnostic::new(
                        Code::OutputInTheWay,
                        &target,
                        msg!("a folder is in the way of a file the site needs"),
                    )
                    .hint(msg!("remove that folder from the output folder")));
                }
                Ok(_) => false,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(e) => {
                    return Err(io_error(
                        &target,
                        &e,
                        msg!("cannot read: {error}", error = e),
                    ));
                }
            };
        let temporary = sibling(&target, TEMPORARY);
        let file = self.write_temporary(path, &temporary, bytes)?;
        if !is_new {
            return Ok(OutputFile::Staged);
        }
        std::fs::rename(&temporary, &target)
            .map_err(|e| io_error(&target, &e, msg!("cannot write: {error}", error = e)))?;
        self.remember(Created::File(path.clone()));
        // Asked after the rename, which changes its change time.
        Ok(OutputFile::Placed(stamp_of(&file, &target)?))
    }

    /// Keeps every file of `set` still in memory or to be copied, as [`Stage::keep`] does.
    fn keep_all(&self, set: &mut OutputSet) -> Result<(), Vec<Diagnostic>> {
        let mut pending: Vec<(&OutputPath, &mut OutputFile)> = set
            .files_mut()
            .filter(|(_, f)| matches!(f, OutputFile::Rendered(_) | OutputFile::Copied(_)))
            .collect();
        self.plan(pending.iter().map(|(path, _)| *path))
            .map_err(|d| vec![d])?;
        let errors: Vec<Diagnostic> = pending
            .par_iter_mut()
            .with_max_len(crate::base::PARALLEL_BATCH)
            .filter_map(|(path, file)| {
                let kept = match &**file {
                    OutputFile::Rendered(bytes) => self.keep(path, bytes),
                    OutputFile::Copied(source) => std::fs::read(source)
                        .map_err(|e| {
                            io_error(
                                source,
                                &e,
                                msg!("cannot read a file to copy: {error}", error = e),
                            )
                        })
                        .and_then(|bytes| self.keep(path, &bytes)),
                    _ => return None,
                };
                match kept {
                    Ok(kept) => {
                        **file = kept;
                        None
                    }
                    Err(d) => Some(d),
                }
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Finishes the build: every file of `set` goes into place, the files of earlier builds
    /// that are not in `set` are removed, and the manifest (with `record`) is written. On any
    /// error, the output folder is put back as it was.
    pub fn commit(
        self,
        set: &mut OutputSet,
        record: Option<Record>,
    ) -> Result<WriteReport, Vec<Diagnostic>> {
        self.keep_all(set)?;
        let companions = std::mem::take(
            &mut *self
                .companions
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        );
        let collisions: Vec<Diagnostic> = companions
            .into_iter()
            .filter_map(|(path, file, origin)| set.insert(path, file, origin).err())
            .collect();
        if !collisions.is_empty() {
            return Err(collisions);
        }
        let mut done = Vec::new();
        match self.swap(set, record, &mut done) {
            Ok(report) => {
                for step in &done {
                    match step {
                        Done::Replaced { old: Some(old), .. } => {
                            let _ = std::fs::remove_file(old);
                        }
                        Done::Removed { old, .. } => {
                            let _ = std::fs::remove_file(old);
                        }
                        Done::Replaced { old: None, .. } | Done::Moved { .. } => {}
                    }
                }
                // The folders of the files that are gone, emptied now (or by a killed build).
                for path in self
                    .earlier
                    .iter()
                    .filter(|p| set.get(p.as_str()).is_none())
                {
                    remove_empty_parents(&self.out_dir, &self.out_dir.join(path.as_str()));
                }
                self.state.finish();
                // Everything the stage made now belongs to the site.
                self.created_mut().clear();
                Ok(report)
            }
            Err(mut errors) => {
                errors.extend(undo(done));
                Err(errors)
            }
        }
    }

    /// The steps of [`Stage::commit`] that change what the output folder shows, each noted in
    /// `done` so that it can be undone.
    fn swap(
        &self,
        set: &OutputSet,
        record: Option<Record>,
        done: &mut Vec<Done>,
    ) -> Result<WriteReport, Vec<Diagnostic>> {
        let mut report = WriteReport::default();
        for (path, file) in set.files() {
            let target = self.out_dir.join(path.as_str());
            match file {
                OutputFile::Kept(_) => report.unchanged += 1,
                OutputFile::Placed(_) => report.written += 1,
                OutputFile::Staged => {
                    let old = set_aside(&target)?;
                    std::fs::rename(sibling(&target, TEMPORARY), &target).map_err(|e| {
                        vec![io_error(
                            &target,
                            &e,
                            msg!("cannot write: {error}", error = e),
                        )]
                    })?;
                    done.push(Done::Replaced { target, old });
                    report.written += 1;
                }
                OutputFile::Rendered(_) | OutputFile::Copied(_) | OutputFile::Dropped(_) => {
                    unreachable!("keep_all keeps every file, and a build drops none")
                }
            }
        }
        let gone: Vec<(&OutputPath, PathBuf)> = self
            .earlier
            .iter()
            .filter(|p| set.get(p.as_str()).is_none())
            .map(|p| (p, self.out_dir.join(p.as_str())))
            .filter(|(_, target)| {
                std::fs::symlink_metadata(target)
                    .is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
            })
            .collect();
        // An old file is removed only inside the output folder: never through a folder that a
        // link has taken the place of, which could lead anywhere.
        let through_links: Vec<Diagnostic> = gone
            .iter()
            .filter_map(|(_, target)| link_above(&self.out_dir, target))
            .collect::<BTreeSet<PathBuf>>()
            .into_iter()
            .map(|link| {
                Diagnostic::new(
                    Code::OutputSymlink,
                    link,
                    msg!("the output folder contains a symbolic link where a folder is needed"),
                )
                .hint(msg!("remove the link: wemi never writes through links"))
            })
            .collect();
        if !through_links.is_empty() {
            return Err(through_links);
        }
        // Once the new manifest is written only the journal knows these paths: where their
        // old versions wait if the build is killed before removing them.
        self.plan(gone.iter().map(|(path, _)| *path))
            .map_err(|d| vec![d])?;
        for (_, target) in gone {
            let old = sibling(&target, OLD);
            std::fs::rename(&target, &old).map_err(|e| {
                vec![io_error(
                    &target,
                    &e,
                    msg!("cannot remove an old file: {error}", error = e),
                )]
            })?;
            done.push(Done::Removed { target, old });
            report.removed += 1;
        }
        let stamps: Option<Vec<Stamp>> = set
            .files()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|(path, file)| match file {
                OutputFile::Kept(stamp) | OutputFile::Placed(stamp) => Some(*stamp),
                _ => Stamp::of_output(&self.out_dir, path.as_str()),
            })
            .collect();
        if let Some(new_out_dir) = &self.new_out_dir {
            std::fs::rename(&self.out_dir, new_out_dir).map_err(|e| {
                vec![io_error(
                    new_out_dir,
                    &e,
                    msg!("cannot create the output folder: {error}", error = e),
                )]
            })?;
            done.push(Done::Moved {
                from: self.out_dir.clone(),
                to: new_out_dir.clone(),
            });
        }
        let paths: Vec<&str> = set.paths().collect();
        let outputs = stamps.map_or(0, |s| {
            crate::base::fingerprint::of_outputs(paths.iter().copied().zip(s))
        });
        self.state
            .write_manifest(record, outputs, &paths)
            .map_err(|e| {
                vec![io_error(
                    self.state.manifest_path(),
                    &e,
                    msg!("cannot write: {error}", error = e),
                )]
            })?;
        Ok(report)
    }

    fn journal(&self, paths: &[&OutputPath]) -> Result<(), Diagnostic> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut lines = String::with_capacity(paths.iter().map(|p| p.as_str().len() + 1).sum());
        for path in paths {
            lines.push_str(path.as_str());
            lines.push('\n');
        }
        // One `write` on a file opened for appending: the lines of parallel threads never mix.
        (&self.journal).write_all(lines.as_bytes()).map_err(|e| {
            io_error(
                self.state.journal_path(),
                &e,
                msg!("cannot write the build's journal: {error}", error = e),
            )
        })
    }

    /// Writes `bytes` to `temporary`, the temporary file beside output `path`.
    fn write_temporary(
        &self,
        path: &OutputPath,
        temporary: &Path,
        bytes: &[u8],
    ) -> Result<File, Diagnostic> {
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(temporary)
        };
        let file = create().or_else(|e| {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                return Err(e);
            }
            std::fs::remove_file(temporary)?;
            create()
        });
        let mut file =
            file.map_err(|e| io_error(temporary, &e, msg!("cannot write: {error}", error = e)))?;
        self.remember(Created::Temporary(path.clone()));
        file.write_all(bytes)
            .map_err(|e| io_error(temporary, &e, msg!("cannot write: {error}", error = e)))?;
        Ok(file)
    }

    /// Writes `bytes` to `target`, a new file in the new output folder.
    fn write_new(&self, target: &Path, bytes: &[u8]) -> Result<File, Diagnostic> {
        let error =
            |e: std::io::Error| io_error(target, &e, msg!("cannot write: {error}", error = e));
        let mut file = File::create_new(target).map_err(error)?;
        file.write_all(bytes).map_err(error)?;
        Ok(file)
    }

    fn created_mut(&self) -> MutexGuard<'_, Vec<Created>> {
        self.created.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remember(&self, created: Created) {
        self.created_mut().push(created);
    }

    fn folders(&self) -> MutexGuard<'_, HashMap<Folder, bool>> {
        self.folders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Makes (and remembers) the folders output `path` needs, each checked once per build to
    /// be a real folder (not a link leading elsewhere). True when this build made one of them
    /// (or the output folder itself): then the file cannot be there yet.
    fn make_folders(&self, path: &OutputPath) -> Result<bool, Diagnostic> {
        let folder = path.folder();
        if folder.is_empty() {
            return Ok(self.new_out_dir.is_some());
        }
        if let Some(&new) = self.folders().get(folder) {
            return Ok(new);
        }
        let mut new = self.new_out_dir.is_some();
        let mut end = 0;
        while end < folder.len() {
            end = folder[end..].find('/').map_or(folder.len(), |i| end + i);
            let current = &folder[..end];
            let known = self.folders().get(current).copied();
            new = match known {
                Some(known) => known,
                None => {
                    let full = self.out_dir.join(current);
                    let created = make_folder(&full)?;
                    let current = Folder::new(path.shared(), end);
                    // A new output folder goes as a whole if the build fails.
                    if created && self.new_out_dir.is_none() {
                        self.remember(Created::Folder(current.clone()));
                    }
                    self.folders().insert(current, new || created);
                    new || created
                }
            };
            end += 1;
        }
        Ok(new)
    }
}

impl Drop for Stage {
    /// A stage dropped without a commit removes everything it created. Its journal goes too
    /// when nothing is left behind and no killed build's paths were in it.
    fn drop(&mut self) {
        let mut created = std::mem::take(&mut *self.created_mut());
        if self.new_out_dir.is_some() {
            // Renamed to the output folder on commit; else nobody saw it.
            created.clear();
            let _ = std::fs::remove_dir_all(&self.out_dir);
        }
        // What is inside a folder before the folder. Not simply the reverse of the order they
        // were remembered in: a thread may put a file in a folder that another thread has
        // just made but not yet remembered.
        created.sort_by_key(|c| std::cmp::Reverse(c.path().matches('/').count()));
        let mut clean = true;
        for c in &created {
            let target = self.out_dir.join(c.path());
            let path = match c {
                Created::Temporary(_) => sibling(&target, TEMPORARY),
                Created::File(_) | Created::Folder(_) => target,
            };
            let removed = std::fs::remove_file(&path).or_else(|_| std::fs::remove_dir(&path));
            clean &= removed.is_ok() || !path.exists();
        }
        if clean && !self.inherited_journal {
            self.state.drop_journal();
        }
    }
}

/// Puts back what [`Stage::commit`] changed, last step first; errors for what could not be.
fn undo(done: Vec<Done>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for step in done.into_iter().rev() {
        let result = match &step {
            Done::Replaced {
                target,
                old: Some(old),
            }
            | Done::Removed { target, old } => std::fs::rename(old, target),
            Done::Replaced { target, old: None } => std::fs::remove_file(target),
            Done::Moved { from, to } => std::fs::rename(to, from),
        };
        if let (
            Err(e),
            Done::Replaced { target, .. }
            | Done::Removed { target, .. }
            | Done::Moved { to: target, .. },
        ) = (result, &step)
        {
            errors.push(io_error(
                target,
                &e,
                msg!("could not put this file back as it was: {error}", error = e),
            ));
        }
    }
    errors
}

/// Keeps the old version of `target`, about to be replaced, beside it until the build
/// commits; `None` when there is no old version.
fn set_aside(target: &Path) -> Result<Option<PathBuf>, Vec<Diagnostic>> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_dir() => Err(vec![
            Diagnostic::new(
                Code::OutputInTheWay,
                target,
                msg!("a folder is in the way of a file the site needs"),
            )
            .hint(msg!("remove that folder from the output folder")),
        ]),
        Ok(_) => {
            let old = sibling(target, OLD);
            // A hard link keeps the old version while the target never goes missing; where
            // links are not possible, the old version is moved aside.
            std::fs::hard_link(target, &old)
                .or_else(|_| std::fs::rename(target, &old))
                .map_err(|e| {
                    vec![io_error(
                        target,
                        &e,
                        msg!("cannot write: {error}", error = e),
                    )]
                })?;
            Ok(Some(old))
        }
        Err(_) => Ok(None),
    }
}

/// The stamp of `file`, just written at `target`.
fn stamp_of(file: &File, target: &Path) -> Result<Stamp, Diagnostic> {
    file.metadata()
        .map(|meta| Stamp::of(&meta))
        .map_err(|e| io_error(target, &e, msg!("cannot write: {error}", error = e)))
}

/// The hidden file beside `target` that holds its temporary or old version (or, beside a new
/// output folder, the folder its first build writes).
fn sibling(target: &Path, kind: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{kind}"))
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
            Code::OutputSymlink,
            path,
            msg!("the output folder contains a symbolic link where a folder is needed"),
        )
        .hint(msg!("remove the link: wemi never writes through links"))),
        Ok(_) => Err(Diagnostic::new(
            Code::OutputInTheWay,
            path,
            msg!("a file is in the way of a folder the site needs"),
        )
        .hint(msg!("remove that file from the output folder"))),
        Err(_) => Err(io_error(
            path,
            &error,
            msg!("cannot create a folder: {error}", error = error),
        )),
    }
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    // Not a folder reached through a link (which `remove_dir` would follow).
    if link_above(out_dir, file).is_some() {
        return;
    }
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// The first folder between `out_dir` and `file` (a path inside it) that is a symbolic link,
/// if any: what is under it may be anywhere.
fn link_above(out_dir: &Path, file: &Path) -> Option<PathBuf> {
    let relative = file.strip_prefix(out_dir).ok()?;
    let mut folder = out_dir.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        folder.push(part);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(folder);
        }
    }
    None
}

/// The stamp of `target` when it is a regular file holding `bytes` compressed by `encoding`.
fn copy_of(target: &Path, encoding: Encoding, bytes: &[u8]) -> Option<Stamp> {
    let meta = std::fs::symlink_metadata(target).ok()?;
    let compressed = std::fs::read(target).ok().filter(|_| meta.is_file())?;
    (encoding.decompress(&compressed, bytes.len())? == bytes).then(|| Stamp::of(&meta))
}

/// True when `target`, whose metadata (not following links) is `meta`, is a regular file
/// holding exactly `bytes`.
fn holds(meta: &std::fs::Metadata, target: &Path, bytes: &[u8]) -> bool {
    meta.is_file()
        && meta.len() == bytes.len() as u64
        && std::fs::read(target).is_ok_and(|existing| existing == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root with an output folder, and a stage over it.
    struct Folder {
        _dir: tempfile::TempDir,
        root: PathBuf,
        out: PathBuf,
    }

    impl Folder {
        fn new() -> Folder {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().to_path_buf();
            let out = root.join("public");
            Folder {
                _dir: dir,
                root,
                out,
            }
        }

        fn state(&self) -> State {
            State::for_output(&self.root, &self.out)
        }

        fn stage(&self) -> Stage {
            Stage::open(&self.out, self.state()).unwrap()
        }

        /// Builds `files` (path, text) in one transaction.
        fn build(&self, files: &[(&str, &str)]) -> Result<WriteReport, Vec<Diagnostic>> {
            let stage = self.stage();
            let mut set = set(files);
            stage.commit(&mut set, None)
        }

        fn read(&self, path: &str) -> Option<String> {
            std::fs::read_to_string(self.out.join(path)).ok()
        }

        /// Every entry under the output folder, relative, sorted (folders end with `/`).
        fn listing(&self) -> Vec<String> {
            let mut all: Vec<String> = walkdir::WalkDir::new(&self.out)
                .min_depth(1)
                .into_iter()
                .map(|e| {
                    let e = e.unwrap();
                    let rel = e.path().strip_prefix(&self.out).unwrap().to_str().unwrap();
                    if e.file_type().is_dir() {
                        format!("{rel}/")
                    } else {
                        rel.to_string()
                    }
                })
                .collect();
            all.sort();
            all
        }
    }

    fn set(files: &[(&str, &str)]) -> OutputSet {
        let mut set = OutputSet::default();
        for (path, text) in files {
            set.insert(
                OutputPath::new(path).unwrap(),
                OutputFile::Rendered(text.as_bytes().to_vec()),
                (*path).to_string(),
            )
            .unwrap();
        }
        set
    }

    #[test]
    fn writes_only_changes_and_removes_stale_files() {
        let f = Folder::new();
        let r = f
            .build(&[
                ("index.html", "home"),
                ("a/index.html", "a"),
                ("b/index.html", "b"),
            ])
            .unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (3, 0, 0));
        std::fs::write(f.out.join("CNAME"), "mine").unwrap();
        let r = f
            .build(&[("index.html", "home"), ("a/index.html", "A")])
            .unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (1, 1, 1));
        let manifest = f.state().manifest_path().to_path_buf();
        let stamp = |p: &Path| crate::base::fingerprint::stamp(p).unwrap();
        let (index, manifest_before) = (stamp(&f.out.join("index.html")), stamp(&manifest));
        let r = f
            .build(&[("index.html", "home"), ("a/index.html", "A")])
            .unwrap();
        assert_eq!((r.written, r.unchanged, r.removed), (0, 2, 0));
        assert_eq!(
            stamp(&f.out.join("index.html")),
            index,
            "an unchanged file is not written"
        );
        assert_ne!(
            stamp(&manifest),
            manifest_before,
            "the manifest is rewritten"
        );
        assert_eq!(f.read("a/index.html").as_deref(), Some("A"));
        assert_eq!(
            f.read("CNAME").as_deref(),
            Some("mine"),
            "not wemi's: left alone"
        );
        assert_eq!(f.listing(), ["CNAME", "a/", "a/index.html", "index.html"]);
        assert!(!f.state().interrupted(), "no journal after a commit");
        assert!(
            !f.out.join(".wemi-manifest").exists(),
            "the state is not published"
        );
    }

    #[cfg(unix)]
    #[test]
    fn never_writes_through_a_symlinked_folder() {
        let f = Folder::new();
        let outside = f.root.join("outside");
        std::fs::create_dir_all(&f.out).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "theirs").unwrap();
        std::os::unix::fs::symlink(&outside, f.out.join("spazi")).unwrap();
        let stage = f.stage();
        let path = OutputPath::new("spazi/index.html").unwrap();
        let d = stage.keep(&path, b"x").unwrap_err();
        assert!(d.message.contains("symbolic link"), "{}", d.message);
        drop(stage);
        assert_eq!(
            std::fs::read_to_string(outside.join("index.html")).unwrap(),
            "theirs"
        );
    }

    #[test]
    fn a_failed_build_leaves_the_folder_as_it_was() {
        let f = Folder::new();
        f.build(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("old/index.html", "old"),
        ])
        .unwrap();
        let before = f.listing();
        // The next build changes a page, adds one, drops one … and then fails.
        let stage = f.stage();
        let mut next = set(&[
            ("index.html", "HOME"),
            ("a/index.html", "a"),
            ("new/deep/index.html", "new"),
        ]);
        stage.keep_all(&mut next).unwrap();
        assert_eq!(
            f.read("new/deep/index.html").as_deref(),
            Some("new"),
            "new files go in place"
        );
        drop(stage);
        assert_eq!(f.listing(), before);
        assert_eq!(f.read("index.html").as_deref(), Some("home"));
        assert_eq!(f.read("old/index.html").as_deref(), Some("old"));
        assert!(!f.state().interrupted());
    }

    #[test]
    fn a_failed_build_removes_its_folders_whatever_the_order_of_its_threads() {
        let f = Folder::new();
        f.build(&[("index.html", "home")]).unwrap();
        let stage = f.stage();
        // One thread makes `a/` and, before it remembers it, another puts a file in it.
        std::fs::create_dir(f.out.join("a")).unwrap();
        std::fs::write(f.out.join("a/index.html"), "a").unwrap();
        let path = OutputPath::new("a/index.html").unwrap();
        stage.remember(Created::File(path.clone()));
        stage.remember(Created::Folder(super::Folder::new(path.shared(), 1)));
        drop(stage);
        assert_eq!(f.listing(), ["index.html"]);
    }

    #[test]
    fn a_first_build_shows_its_output_folder_only_once_complete() {
        let f = Folder::new();
        let hidden = f.root.join(".public.wemi-new");
        let page = |path: &str| OutputPath::new(path).unwrap();

        // Failed: no output folder, and nothing beside it.
        let stage = f.stage();
        stage.keep(&page("a/index.html"), b"a").unwrap();
        assert!(!f.out.exists() && hidden.join("a/index.html").is_file());
        drop(stage);
        assert!(!f.out.exists() && !hidden.exists());

        // Killed: only the hidden folder is left, and the next build removes it.
        let stage = f.stage();
        stage.keep(&page("a/index.html"), b"a").unwrap();
        stage.journal.unlock().unwrap();
        std::mem::forget(stage);
        assert!(!f.out.exists() && hidden.is_dir());
        let stage = f.stage();
        assert!(
            !hidden.join("a").exists(),
            "the killed build's files are gone"
        );
        let mut files = set(&[("a/index.html", "A"), ("b.html", "b")]);
        let report = stage.commit(&mut files, None).unwrap();
        assert_eq!(report.written, 2);
        assert!(!hidden.exists());
        assert_eq!(f.listing(), ["a/", "a/index.html", "b.html"]);
        assert_eq!(f.read("a/index.html").as_deref(), Some("A"));

        // The next build writes into the output folder, as it is.
        let report = f.build(&[("a/index.html", "A"), ("c.html", "c")]).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (1, 1, 1)
        );
        assert_eq!(f.listing(), ["a/", "a/index.html", "c.html"]);
        assert!(!hidden.exists());
    }

    #[test]
    fn a_commit_that_fails_midway_puts_everything_back() {
        let f = Folder::new();
        f.build(&[("a.html", "a"), ("b.html", "b"), ("z/old.html", "old")])
            .unwrap();
        let before = f.listing();
        let stage = f.stage();
        let mut next = set(&[("a.html", "A"), ("b.html", "B"), ("c.html", "c")]);
        stage.keep_all(&mut next).unwrap();
        // Something else takes `b.html` from under the build: renaming onto it fails.
        std::fs::remove_file(f.out.join("b.html")).unwrap();
        std::fs::create_dir_all(f.out.join("b.html/x")).unwrap();
        let errors = stage.commit(&mut next, None).unwrap_err();
        assert!(errors[0].path.ends_with("b.html"), "{errors:#?}");
        std::fs::remove_dir_all(f.out.join("b.html")).unwrap();
        let mut after = f.listing();
        after.push("b.html".into());
        after.sort();
        assert_eq!(after, before, "c.html gone again, z/old.html back");
        assert_eq!(
            f.read("a.html").as_deref(),
            Some("a"),
            "the old version is back"
        );
        assert_eq!(f.read("z/old.html").as_deref(), Some("old"));
    }

    #[test]
    fn the_build_after_a_killed_one_removes_what_it_left() {
        let f = Folder::new();
        f.build(&[("a.html", "a"), ("keep/b.html", "b")]).unwrap();
        // A build killed halfway: its journal names what it was writing, one page is in
        // place, one was half written under its temporary name.
        {
            let stage = f.stage();
            stage
                .keep(&OutputPath::new("orphan/x.html").unwrap(), b"x")
                .unwrap();
            stage
                .keep(&OutputPath::new("a.html").unwrap(), b"A")
                .unwrap();
            // Killed: nothing of the stage runs any more, and the lock goes with the process.
            stage.journal.unlock().unwrap();
            std::mem::forget(stage);
        }
        assert!(f.out.join(".a.html.wemi-tmp").exists());
        assert!(f.state().interrupted());
        let inputs = 1;
        assert!(
            f.state().unchanged_since(&f.out, inputs).is_none(),
            "never trusted after a kill"
        );
        let r = f.build(&[("a.html", "a"), ("keep/b.html", "b")]).unwrap();
        assert_eq!(r.removed, 1);
        assert_eq!(f.listing(), ["a.html", "keep/", "keep/b.html"]);
    }

    #[test]
    fn one_build_at_a_time() {
        let f = Folder::new();
        let first = f.stage();
        let Err(errors) = Stage::open(&f.out, f.state()) else {
            panic!("a second stage on the same folder");
        };
        assert!(
            errors[0].message.contains("another wemi build"),
            "{errors:#?}"
        );
        drop(first);
        assert!(Stage::open(&f.out, f.state()).is_ok());
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_before_anything_changes() {
        let f = Folder::new();
        std::fs::create_dir_all(f.out.join("x.html")).unwrap();
        let errors = f.build(&[("a.html", "a"), ("x.html", "x")]).unwrap_err();
        assert!(
            errors[0].message.contains("folder is in the way"),
            "{errors:#?}"
        );
        assert_eq!(f.listing(), ["x.html/"]);
    }
}
