//! Fingerprints that let a build with nothing to do stop before reading anything.
//!
//! The inputs' fingerprint covers the binary, the build's options and the name, size,
//! modification and change times of every file under the inputs a build reads
//! ([`crate::base::layout::INPUTS`]). The outputs' fingerprint covers the same facts of every file the last build wrote. Both go
//! into the output folder's manifest: when both still match, the output folder already holds
//! exactly what a build would write. Any difference (a touched file, a file edited in
//! `public/`, a new wemi) means a real build, which then writes only what changed.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::base::layout::INPUTS;

/// The fingerprint of everything a build of `root` would read, with `options` (anything that
/// changes the output: base URL, drafts …); `None` when some entry cannot be read, so that
/// the build runs and reports it.
pub fn inputs(root: &Path, options: &impl Hash) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    // A rebuilt binary may render differently under the same version.
    if let Ok(exe) = std::env::current_exe() {
        stamp(&exe)?.hash(&mut hasher);
    }
    options.hash(&mut hasher);
    for input in INPUTS.map(|i| i.name) {
        let base = root.join(input);
        input.hash(&mut hasher);
        if !base.exists() {
            continue;
        }
        // Entries are listed without following links (no `stat` per entry) and stamped once
        // each below. A symbolic link inside a folder ends the fingerprint: changes behind it
        // would go unseen, so such sites always build.
        let walker = WalkDir::new(&base).into_iter();
        let mut paths: Vec<std::path::PathBuf> = walker
            .map(|entry| {
                entry
                    .ok()
                    .filter(|e| e.depth() == 0 || !e.path_is_symlink())
                    .map(walkdir::DirEntry::into_path)
            })
            .collect::<Option<_>>()?;
        // Any fixed order will do: sorted once here as plain text, not folder by folder
        // during the walk (which compares names taken apart from whole paths, and costs
        // more than the walk itself).
        paths.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        let facts: Vec<Stamp> = paths.par_iter().map(|p| stamp(p)).collect::<Option<_>>()?;
        for (path, facts) in paths.iter().zip(facts) {
            path.strip_prefix(&base).ok()?.hash(&mut hasher);
            facts.hash(&mut hasher);
        }
    }
    Some(hasher.finish())
}

/// The fingerprint of the files `paths` (relative to `out_dir`) as they are now; `None` when
/// one is missing or not a regular file.
pub fn outputs<'a>(out_dir: &Path, paths: impl IntoIterator<Item = &'a str>) -> Option<u64> {
    let paths: Vec<&str> = paths.into_iter().collect();
    let stamps: Vec<Stamp> = paths
        .par_iter()
        .map(|path| Stamp::of_output(out_dir, path))
        .collect::<Option<_>>()?;
    Some(of_outputs(paths.into_iter().zip(stamps)))
}

/// The fingerprint of output files with these stamps, in this order: what [`outputs`] gives
/// when the files have them.
pub fn of_outputs<'a>(stamps: impl IntoIterator<Item = (&'a str, Stamp)>) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (path, stamp) in stamps {
        path.hash(&mut hasher);
        stamp.hash(&mut hasher);
    }
    hasher.finish()
}

/// What the fingerprints know of a file: kind, size, modification and change times, inode.
/// Two equal stamps of one path mean the file was not written in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    dir: bool,
    len: u64,
    modified: Option<u128>,
    changed: (i64, i64, u64),
}

/// The stamp of the file at `path` (following links); `None` when it cannot be read.
pub fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::metadata(path).ok().map(|meta| Stamp::of(&meta))
}

impl Stamp {
    /// The stamp of output `path` (relative to `out_dir`, not following links); `None` when
    /// it is missing or not a regular file.
    pub fn of_output(out_dir: &Path, path: &str) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(out_dir.join(path)).ok()?;
        meta.is_file().then(|| Stamp::of(&meta))
    }

    /// The stamp of a file with this metadata.
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (meta.ctime(), meta.ctime_nsec(), meta.ino())
        };
        #[cfg(not(unix))]
        let changed = (0, 0, 0);
        Stamp {
            dir: meta.is_dir(),
            len: meta.len(),
            modified: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos()),
            changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_change_with_any_file_and_with_the_options() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/_index.md"), "---\n---\n").unwrap();
        let first = inputs(root, &false).unwrap();
        assert_eq!(inputs(root, &false), Some(first), "nothing changed");
        assert_ne!(inputs(root, &true), Some(first), "other options");
        std::fs::write(root.join("content/a.md"), "---\n---\n").unwrap();
        let second = inputs(root, &false).unwrap();
        assert_ne!(second, first, "a new file");
        std::fs::write(root.join("content/a.md"), "---\n---\nx").unwrap();
        let third = inputs(root, &false).unwrap();
        assert_ne!(third, second, "an edited file");
        save_later(&root.join("content/a.md"), "---\n---\nx", 2);
        assert_ne!(
            inputs(root, &false),
            Some(third),
            "a file saved again as it was"
        );
    }

    /// A build with the same fingerprint stops early: a file written or edited in any input
    /// must change it, or that build would skip a real change.
    #[test]
    fn inputs_change_with_a_file_in_each_input() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut last = inputs(root, &false).unwrap();
        for input in INPUTS {
            let file = match input.folder {
                true => root.join(input.name).join("sub/file.txt"),
                false => root.join(input.name),
            };
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            for text in ["a", "bb"] {
                std::fs::write(&file, text).unwrap();
                let now = inputs(root, &false).unwrap();
                assert_ne!(now, last, "{} written with {text:?}", input.name);
                last = now;
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_the_inputs_means_no_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("elsewhere")).unwrap();
        assert!(inputs(root, &false).is_some());
        std::os::unix::fs::symlink(root.join("elsewhere"), root.join("content/spazi")).unwrap();
        assert_eq!(
            inputs(root, &false),
            None,
            "changes behind the link would go unseen"
        );
    }

    /// Rewrites `path` with `text` and dates it `seconds` after its last modification: a
    /// save whose new time does not depend on how finely the file system's clock ticks
    /// (kernels before 6.13 may give two writes in a row the same time).
    fn save_later(path: &Path, text: &str, seconds: u64) {
        let modified = std::fs::metadata(path).unwrap().modified().unwrap();
        std::fs::write(path, text).unwrap();
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(modified + std::time::Duration::from_secs(seconds))
            .unwrap();
    }

    #[test]
    fn outputs_change_when_a_written_file_is_touched_or_gone() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("index.html");
        std::fs::write(&page, "a").unwrap();
        let first = outputs(dir.path(), ["index.html"]).unwrap();
        assert_eq!(outputs(dir.path(), ["index.html"]), Some(first));
        // The same size: only the time tells.
        save_later(&page, "b", 2);
        assert_ne!(outputs(dir.path(), ["index.html"]), Some(first));
        assert_eq!(outputs(dir.path(), ["gone.html"]), None);
    }
}
