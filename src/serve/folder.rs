//! Where `wemi serve` keeps the site it serves: a folder of the site's state
//! (`.wemi/serve/<n>/`, never `public/`), which each full build of serve writes as
//! `wemi build` writes an output folder ([`Stage`](crate::output::Stage): incremental, with a
//! journal, a failed build leaving it as it was), and from which the server reads the files
//! the last build lists.
//!
//! Each serve running on the site holds a folder of its own for as long as it runs (a lock on
//! `.wemi/serve/<n>.lock`): the pages of two serves differ (their addresses are in them). The
//! first free folder is taken, so a serve started again finds the files of the last one and
//! writes only what changed.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use crate::base::layout;
use crate::output::state::State;

/// The most serves running on one site at once.
const MAX_FOLDERS: usize = 64;

/// The folder a running serve builds the site into, held (locked) while it lives.
#[derive(Debug)]
pub struct Folder {
    /// The site folder, canonical.
    root: PathBuf,
    /// The folder, canonical.
    dir: PathBuf,
    /// Locked while serve runs; released when dropped.
    _lock: File,
}

impl Folder {
    /// Takes the first folder of `.wemi/serve/` of the site at `root` that no other serve
    /// holds (creating the state folder, ignored by git, when missing). A folder not there yet
    /// is made by the first build that commits into it, written whole beside it and renamed
    /// into place as `wemi build` makes a new output folder.
    pub fn take(root: &Path) -> io::Result<Folder> {
        let state = root.join(layout::STATE_DIR);
        if !state.is_dir() {
            std::fs::create_dir_all(&state)?;
            std::fs::write(
                state.join(".gitignore"),
                "# wemi's build state: never committed\n*\n",
            )?;
        }
        let base = state.join(layout::SERVE_DIR);
        std::fs::create_dir_all(&base)?;
        for n in 1..=MAX_FOLDERS {
            let lock = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(base.join(format!("{n}.lock")))?;
            if lock.try_lock().is_err() {
                continue;
            }
            return Ok(Folder {
                root: root.canonicalize()?,
                dir: base.canonicalize()?.join(n.to_string()),
                _lock: lock,
            });
        }
        // As many serves are running on this site.
        Err(io::ErrorKind::ResourceBusy.into())
    }

    /// The folder's path (canonical).
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// The bookkeeping of the builds written into the folder (its manifest and journal).
    pub fn state(&self) -> State {
        State::for_output(&self.root, &self.dir)
    }
}

/// Opens the file at output path `path` (already checked to be one: relative, without `..`)
/// inside `dir`, only if it is a regular file there and no part of its path is a link:
/// nothing outside `dir` can be reached through it.
pub fn open_inside(dir: &Path, path: &str) -> io::Result<File> {
    let mut current = dir.to_path_buf();
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        current.push(part);
        let meta = std::fs::symlink_metadata(&current)?;
        let last = parts.peek().is_none();
        if (last && !meta.is_file()) || (!last && !meta.is_dir()) {
            return Err(outside());
        }
        if last {
            let file = File::open(&current)?;
            // The file opened is the one looked at (not a link put there since).
            if !same_file(&meta, &file.metadata()?) {
                return Err(outside());
            }
            return Ok(file);
        }
    }
    Err(outside())
}

/// Opens `source`, a file the last build copied from the site in `root` (canonical), only
/// while it is still a regular file inside the site. A link put in its place since (or in
/// place of one of its folders) opens nothing when it leads out of the site, and nor does a
/// pipe: it is opened without waiting for a writer, then refused.
pub fn open_copied(root: &Path, source: &Path) -> io::Result<File> {
    let real = source.canonicalize()?;
    let meta = std::fs::metadata(&real)?;
    if !real.starts_with(root) || !meta.is_file() {
        return Err(outside());
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(&real)?;
    // The file opened is the one looked at (not one put there since).
    if !same_file(&meta, &file.metadata()?) {
        return Err(outside());
    }
    Ok(file)
}

fn outside() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "not a file of the site")
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    b.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_serve_takes_a_folder_of_its_own_and_the_next_one_takes_it_again() {
        let dir = tempfile::tempdir().unwrap();
        let first = Folder::take(dir.path()).unwrap();
        let second = Folder::take(dir.path()).unwrap();
        assert_ne!(first.path(), second.path());
        assert!(first.path().ends_with(".wemi/serve/1"), "{first:?}");
        // Made whole by the first build that commits, as a new output folder is.
        assert!(!first.path().exists());
        assert!(dir.path().join(".wemi/.gitignore").is_file());
        let first_path = first.path().to_path_buf();
        drop(first);
        assert_eq!(Folder::take(dir.path()).unwrap().path(), first_path);
    }

    #[test]
    fn only_regular_files_inside_the_folder_open() {
        let dir = tempfile::tempdir().unwrap();
        let served = dir.path().join("serve");
        std::fs::create_dir_all(served.join("a")).unwrap();
        std::fs::write(served.join("a/index.html"), "A").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "S").unwrap();
        assert!(open_inside(&served, "a/index.html").is_ok());
        assert!(open_inside(&served, "a").is_err(), "a folder");
        assert!(open_inside(&served, "b/index.html").is_err(), "missing");
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(dir.path().join("secret.txt"), served.join("link.txt")).unwrap();
            symlink(dir.path(), served.join("out")).unwrap();
            symlink(served.join("a"), served.join("inside")).unwrap();
            assert!(open_inside(&served, "link.txt").is_err());
            assert!(open_inside(&served, "out/secret.txt").is_err());
            assert!(open_inside(&served, "inside/index.html").is_err());
        }
    }
}
