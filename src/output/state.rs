//! The build's own bookkeeping, kept in `.wemi/` at the site root so that the published folder
//! holds only the site (a deploy that copies `public/` copies nothing of wemi's).
//!
//! For each output folder there are two files, named after it (`public.manifest`, or
//! `output-<hash>.manifest` for another `--output`):
//! - the **manifest**: the files the last successful build wrote, with the fingerprints that let
//!   an unchanged build stop early ([`crate::base::fingerprint`]);
//! - the **journal**: while a build runs, every output path it is about to create or change,
//!   appended before the file is touched. It is removed when the build commits or rolls back
//!   cleanly; if it is still there when the next build starts, the last build was killed, and
//!   everything it may have written (journal and manifest together) is known: leftover
//!   temporary files are removed, and files that no longer belong to the site go too.
//!
//! The folder ignores itself in git (`.wemi/.gitignore` holds `*`).

use std::fs::File;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use super::path::OutputPath;
use crate::base::layout::{self, STATE_DIR};

/// The manifest's second line: the output folder it is about.
const OUTPUT_LINE: &str = "#output ";

/// Where the manifest of older versions of wemi was kept: inside the output folder. Read once
/// (so the files it lists are still known) and then removed.
const LEGACY_MANIFEST: &str = ".wemi-manifest";

/// The bookkeeping files of one output folder.
#[derive(Debug, Clone)]
pub struct State {
    dir: PathBuf,
    out_dir: PathBuf,
    manifest: PathBuf,
    journal: PathBuf,
    legacy_manifest: PathBuf,
}

/// What the manifest records about the build that wrote it, besides its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The fingerprint of the build's inputs ([`crate::base::fingerprint::inputs`]).
    pub inputs: u64,
    /// Pages built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
}

impl State {
    /// The bookkeeping of output folder `out_dir` of the site at `root` (both absolute).
    pub fn for_output(root: &Path, out_dir: &Path) -> State {
        let dir = root.join(STATE_DIR);
        let name = if out_dir == layout::default_output(root) {
            layout::DEFAULT_OUTPUT.to_string()
        } else {
            format!(
                "output-{:016x}",
                stable_hash(out_dir.as_os_str().as_encoded_bytes())
            )
        };
        State {
            manifest: dir.join(format!("{name}.manifest")),
            journal: dir.join(format!("{name}.journal")),
            legacy_manifest: out_dir.join(LEGACY_MANIFEST),
            out_dir: out_dir.to_path_buf(),
            dir,
        }
    }

    /// The manifest's path.
    pub fn manifest_path(&self) -> &Path {
        &self.manifest
    }

    /// The journal's path.
    pub fn journal_path(&self) -> &Path {
        &self.journal
    }

    /// When the last build had exactly these `inputs`, no build was killed since, and the
    /// files it wrote into `out_dir` are as it left them: what it recorded and how many files
    /// it wrote.
    pub fn unchanged_since(&self, out_dir: &Path, inputs: u64) -> Option<(Record, usize)> {
        if self.interrupted() {
            return None;
        }
        let text = std::fs::read_to_string(&self.manifest).ok()?;
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
        let paths: Vec<&str> = files
            .lines()
            .filter(|l| OutputPath::new(l).is_ok())
            .collect();
        (crate::base::fingerprint::outputs(out_dir, paths.iter().copied())? == outputs).then_some((
            Record {
                inputs,
                pages,
                sections,
            },
            paths.len(),
        ))
    }

    /// True when the last build left its record and finished: a build may then find that
    /// nothing changed since ([`State::unchanged_since`]).
    pub fn has_record(&self) -> bool {
        self.manifest.exists() && !self.interrupted()
    }

    /// True when a journal is there: the last build was killed before it finished.
    pub fn interrupted(&self) -> bool {
        self.journal.exists()
    }

    /// Every output path an earlier build may have written: those of the manifest (and of an
    /// older wemi's manifest in the output folder), and those of the journal of a build that
    /// was killed. Lines that are not safe output paths (a hand-edited file) are ignored.
    pub fn earlier_outputs(&self) -> Vec<OutputPath> {
        let mut paths: Vec<OutputPath> = [&self.manifest, &self.legacy_manifest, &self.journal]
            .iter()
            .filter_map(|file| std::fs::read_to_string(file).ok())
            .flat_map(|text| {
                text.lines()
                    .filter(|l| !l.starts_with('#'))
                    .filter_map(|l| OutputPath::new(l).ok())
                    .collect::<Vec<_>>()
            })
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    /// Opens the journal for appending (made with the state folder when missing).
    pub fn open_journal(&self) -> std::io::Result<File> {
        self.make_dir()?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.journal)
    }

    /// Writes the manifest (under a temporary name, then renamed).
    pub fn write_manifest(
        &self,
        record: Option<Record>,
        outputs: u64,
        paths: &[&str],
    ) -> std::io::Result<()> {
        let mut text = match record {
            Some(r) => format!(
                "#wemi inputs={:x} outputs={outputs:x} pages={} sections={}\n",
                r.inputs, r.pages, r.sections
            ),
            None => "#wemi\n".to_string(),
        };
        text.push_str(OUTPUT_LINE);
        text.push_str(&self.out_dir.to_string_lossy());
        text.push('\n');
        text.extend(paths.iter().flat_map(|p| [*p, "\n"]));
        self.make_dir()?;
        self.forget_gone_outputs();
        let tmp = self.manifest.with_extension("manifest.tmp");
        let mut file = File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        drop(file);
        std::fs::rename(&tmp, &self.manifest)
    }

    /// The build committed: the journal and an older wemi's manifest go.
    pub fn finish(&self) {
        self.drop_journal();
        let _ = std::fs::remove_file(&self.legacy_manifest);
    }

    /// The build rolled back with nothing left behind: its journal goes.
    pub fn drop_journal(&self) {
        let _ = std::fs::remove_file(&self.journal);
    }

    /// Removes the bookkeeping of other output folders that no longer exist (builds into
    /// temporary folders would otherwise leave theirs behind for ever).
    fn forget_gone_outputs(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let manifest = entry.path();
            if manifest == self.manifest || manifest.extension().is_none_or(|e| e != "manifest") {
                continue;
            }
            let Ok(file) = File::open(&manifest) else {
                continue;
            };
            let output = std::io::BufReader::new(file)
                .lines()
                .nth(1)
                .and_then(Result::ok)
                .and_then(|line| line.strip_prefix(OUTPUT_LINE).map(PathBuf::from));
            if output.is_some_and(|out| !out.exists()) {
                let _ = std::fs::remove_file(manifest.with_extension("journal"));
                let _ = std::fs::remove_file(&manifest);
            }
        }
    }

    fn make_dir(&self) -> std::io::Result<()> {
        if !self.dir.is_dir() {
            std::fs::create_dir_all(&self.dir)?;
            std::fs::write(
                self.dir.join(".gitignore"),
                "# wemi's build state: never committed\n*\n",
            )?;
        }
        Ok(())
    }
}

/// FNV-1a: a hash that stays the same across versions of Rust, for file names.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_output_folder_has_its_own_files_outside_it() {
        let root = Path::new("/site");
        let public = State::for_output(root, &root.join("public"));
        assert_eq!(
            public.manifest_path(),
            Path::new("/site/.wemi/public.manifest")
        );
        assert_eq!(
            public.journal_path(),
            Path::new("/site/.wemi/public.journal")
        );
        let other = State::for_output(root, Path::new("/tmp/out"));
        let again = State::for_output(root, Path::new("/tmp/out"));
        assert_eq!(other.manifest_path(), again.manifest_path());
        assert_ne!(other.manifest_path(), public.manifest_path());
        assert!(other.manifest_path().starts_with("/site/.wemi"));
    }

    #[test]
    fn the_bookkeeping_of_output_folders_that_are_gone_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let (kept, gone) = (root.join("tmp/kept"), root.join("tmp/gone"));
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::create_dir_all(&gone).unwrap();
        let (kept, gone) = (
            State::for_output(root, &kept),
            State::for_output(root, &gone),
        );
        kept.write_manifest(None, 0, &["a.html"]).unwrap();
        gone.write_manifest(None, 0, &["a.html"]).unwrap();
        std::fs::remove_dir(root.join("tmp/gone")).unwrap();
        let public = State::for_output(root, &root.join("public"));
        public.write_manifest(None, 0, &["index.html"]).unwrap();
        assert!(kept.manifest_path().exists());
        assert!(!gone.manifest_path().exists());
        assert_eq!(
            public.earlier_outputs(),
            [OutputPath::new("index.html").unwrap()],
            "the output line is not a path"
        );
    }

    #[test]
    fn earlier_outputs_join_manifest_journal_and_legacy_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = root.join("public");
        std::fs::create_dir_all(&out).unwrap();
        let state = State::for_output(root, &out);
        state
            .write_manifest(None, 0, &["a/index.html", "b.css"])
            .unwrap();
        writeln!(
            state.open_journal().unwrap(),
            "c/index.html\n../x\na/index.html"
        )
        .unwrap();
        std::fs::write(out.join(LEGACY_MANIFEST), "#wemi\nold.html\n").unwrap();
        let found: Vec<String> = state
            .earlier_outputs()
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(found, ["a/index.html", "b.css", "c/index.html", "old.html"]);
        assert!(state.interrupted());
        assert_eq!(
            std::fs::read_to_string(root.join(".wemi/.gitignore"))
                .unwrap()
                .lines()
                .last(),
            Some("*")
        );
        state.finish();
        assert!(!state.interrupted());
        assert!(!out.join(LEGACY_MANIFEST).exists());
    }

    #[test]
    fn only_a_finished_build_leaves_a_record_to_compare_with() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        let state = State::for_output(dir.path(), &out);
        assert!(!state.has_record(), "no build yet");
        state.write_manifest(None, 0, &["a.html"]).unwrap();
        assert!(state.has_record());
        drop(state.open_journal().unwrap());
        assert!(!state.has_record(), "a build was killed after the manifest");
        state.finish();
        assert!(state.has_record());
    }
}
