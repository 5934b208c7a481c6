//! Walking the site's folders: `content/`, the theme's and the site's `templates/` and
//! `static/`, and `data/` are all listed the same way, by [`walk`].
//!
//! Links are followed and files come in the order of their paths, so that a build does not
//! depend on the file system's order. Hidden files and editors' temporary files are skipped, with everything
//! under them. A problem with one entry (it cannot be read, it is a symbolic link back to a
//! folder above it, its name is not UTF-8) becomes a [`Diagnostic`] naming it as the author
//! knows it, relative to the site root, and the walk goes on past it.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::Diagnostic;
use crate::msg;

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to the walked folder, with `/` separators (`spazi/orari.csv`).
    pub relative: String,
    /// How messages name it: relative to the site root (`data/spazi/orari.csv`).
    pub shown: PathBuf,
}

/// Lists the files under `dir`, which messages name as `shown` (its path relative to the site
/// root: `content`, `data`, `themes/wemi/templates`). Folders are walked into, not listed.
pub fn walk(dir: &Path, shown: &Path) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let show = |path: &Path| match path.strip_prefix(dir) {
        Ok(rel) if rel.as_os_str().is_empty() => shown.to_path_buf(),
        Ok(rel) => shown.join(rel),
        Err(_) => path.to_path_buf(),
    };
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or_else(|| shown.to_path_buf(), show);
                errors.push(if err.loop_ancestor().is_some() {
                    Diagnostic::new(
                        path,
                        msg!("this symbolic link points back to a folder that contains it"),
                    )
                    .hint(msg!("remove the link, or point it elsewhere"))
                } else {
                    Diagnostic::new(path, msg!("cannot read: {error}", error = err))
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let Some(relative) = relative.to_str().map(|s| s.replace('\\', "/")) else {
            errors.push(
                Diagnostic::new(show(entry.path()), msg!("the file name is not valid UTF-8"))
                    .hint(msg!("rename the file using letters, digits and hyphens")),
            );
            continue;
        };
        files.push(FoundFile {
            shown: show(entry.path()),
            path: entry.into_path(),
            relative,
        });
    }
    // Sorted once by their relative paths as text: sorting each folder's entries during the
    // walk compares names taken apart from whole paths, which costs more than the walk.
    files.sort_unstable_by(|a, b| a.relative.cmp(&b.relative));
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    (files, errors)
}

/// Dotfiles and editors' temporary files: never part of the site.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_ignored() {
        for name in [
            ".git",
            "pagina.md~",
            ".pagina.md.swp",
            "4913",
            ".#pagina.md",
        ] {
            assert!(is_ignored(name), "{name}");
        }
        assert!(!is_ignored("pagina.md"));
    }

    #[test]
    fn files_come_sorted_with_their_relative_and_shown_paths() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("data");
        for file in ["b.yaml", "a/z.csv", "a/.nascosto", ".git/config", "c.yaml~"] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let (files, errors) = walk(&dir, Path::new("data"));
        assert!(errors.is_empty(), "{errors:#?}");
        let found: Vec<_> = files
            .iter()
            .map(|f| (f.relative.as_str(), f.shown.clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("a/z.csv", PathBuf::from("data/a/z.csv")),
                ("b.yaml", PathBuf::from("data/b.yaml")),
            ]
        );
        assert_eq!(files[0].path, dir.join("a/z.csv"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_named_from_the_site_root() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("themes/wemi/static");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(".", dir.join("giro")).unwrap();
        let (_, errors) = walk(&dir, Path::new("themes/wemi/static"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new("themes/wemi/static/giro"));
        assert!(errors[0].message.contains("points back"), "{errors:#?}");
    }
}
