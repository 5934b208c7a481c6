//! Walking the site's folders: `content/`, the theme's and the site's `templates/` and
//! `static/`, and `data/` are all listed the same way, by [`walk`].
//! Files that wemi writes into the site itself (the editor's saves and uploads, `wemi schema`)
//! are written whole, beside their place and renamed into it ([`write_whole`]).
//!
//! Files come in the order of their paths, so that a build does not depend on the file
//! system's order. Hidden files and editors' temporary files are skipped, with everything
//! under them. A problem with one entry (it cannot be read, its name is not UTF-8, it is a
//! link wemi does not follow) becomes a [`Diagnostic`] naming it as the author knows it,
//! relative to the site root, and the walk goes on past it.
//!
//! Symbolic links follow one rule, so that nothing outside the site is ever published and no
//! walk can grow beyond the files that are there: a link is followed only when what it leads
//! to is inside the site folder, and is not part of the walk already (each real file and
//! folder is read at most once). A link that leads outside the site, nowhere, back to a
//! folder that contains it, or to something the walk reaches anyway, is an error naming the
//! link; so is one that leads into a hidden folder (`.git`), the output folder `public/` or
//! another folder the build reads. The same holds for the walked folder itself (a `content/`
//! or theme that is a link to elsewhere).

use std::io::{self, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use walkdir::WalkDir;

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::{Text, msg};
use crate::base::layout::{DEFAULT_OUTPUT, INPUTS};

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// Where it is on disk (for a file reached through a link, where the link leads).
    pub path: PathBuf,
    /// Its path relative to the walked folder, with `/` separators (`spazi/orari.csv`).
    pub relative: String,
    /// How messages name it: relative to the site root (`data/spazi/orari.csv`).
    pub shown: PathBuf,
}

/// Lists the files under `folder` (relative to the site `root`: `content`, `data`,
/// `themes/wemi/templates`). Folders are walked into, not listed.
pub fn walk(root: &Path, folder: &Path) -> (Vec<FoundFile>, Vec<Diagnostic>) {
    let mut walk = Walk {
        shown: folder.to_path_buf(),
        files: Vec::new(),
        errors: Vec::new(),
        visited: Vec::new(),
        root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
    };
    if let Some(real) = walk.follow(&root.join(folder), folder) {
        walk.folder(&real, "");
    }
    let Walk {
        mut files,
        mut errors,
        ..
    } = walk;
    // Sorted once by their relative paths as text: sorting each folder's entries during the
    // walk compares names taken apart from whole paths, which costs more than the walk.
    files.sort_unstable_by(|a, b| a.relative.cmp(&b.relative));
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    (files, errors)
}

/// One walk in progress.
struct Walk {
    /// The walked folder, relative to the site root.
    shown: PathBuf,
    files: Vec<FoundFile>,
    errors: Vec<Diagnostic>,
    /// The real (canonical) folders walked so far, and files reached through links.
    visited: Vec<PathBuf>,
    /// The site root, canonical.
    root: PathBuf,
}

impl Walk {
    /// Walks the real folder `dir`, whose files are named `prefix` + their path under it.
    fn folder(&mut self, dir: &Path, prefix: &str) {
        self.visited.push(dir.to_path_buf());
        let mut links = Vec::new();
        let walker = WalkDir::new(dir)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().map_or_else(
                        || self.shown.clone(),
                        |p| self.shown_of(prefix, p.strip_prefix(dir).unwrap_or(p)),
                    );
                    let kind = err
                        .io_error()
                        .map_or(ErrorKind::Other, std::io::Error::kind);
                    self.errors.push(Diagnostic::new(
                        Code::Io(kind),
                        path,
                        msg!("cannot read: {error}", error = err),
                    ));
                    continue;
                }
            };
            let Some(relative) =
                relative_name(entry.path().strip_prefix(dir).unwrap_or(entry.path()))
            else {
                self.errors.push(
                    Diagnostic::new(
                        Code::PathName,
                        self.shown_of(
                            prefix,
                            entry.path().strip_prefix(dir).unwrap_or(entry.path()),
                        ),
                        msg!("the file name is not valid UTF-8"),
                    )
                    .hint(msg!("rename the file using letters, digits and hyphens")),
                );
                continue;
            };
            let relative = format!("{prefix}{relative}");
            let shown = join_slashed(&self.shown, &relative);
            if entry.file_type().is_symlink() {
                links.push((relative, shown, entry.into_path()));
            } else if entry.file_type().is_file() {
                self.files.push(FoundFile {
                    path: entry.into_path(),
                    relative,
                    shown,
                });
            }
        }
        // Links are followed in the order of their names, so that when two lead to the same
        // place, the same one is followed on every build.
        links.sort_unstable();
        for (relative, shown, link) in links {
            let Some(real) = self.follow(&link, &shown) else {
                continue;
            };
            if real.is_dir() {
                self.folder(&real, &format!("{relative}/"));
            } else {
                self.visited.push(real.clone());
                self.files.push(FoundFile {
                    path: real,
                    relative,
                    shown,
                });
            }
        }
    }

    /// Where the link (or folder) at `path` leads, when the rule lets the walk follow it;
    /// otherwise an error naming it as `shown`.
    fn follow(&mut self, path: &Path, shown: &Path) -> Option<PathBuf> {
        let error = |code, message| Diagnostic::new(code, shown, message);
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(e) => {
                self.errors.push(
                    error(
                        Code::SymlinkBroken,
                        msg!("this symbolic link leads nowhere: {error}", error = e),
                    )
                    .hint(msg!("remove the link, or point it at a file of the site")),
                );
                return None;
            }
        };
        if !real.starts_with(&self.root) {
            self.errors.push(
                error(
                    Code::SymlinkOutsideSite,
                    msg!(
                        "this symbolic link leads outside the site folder, to {target}",
                        target = real.display()
                    ),
                )
                .hint(msg!(
                    "wemi publishes only files inside the site folder: copy the file in instead of linking it"
                )),
            );
            return None;
        }
        if let Some(place) = self.forbidden(&real) {
            self.errors.push(
                error(
                    Code::SymlinkForbidden,
                    msg!("this symbolic link leads into {place}", place = place),
                )
                .hint(msg!(
                    "remove the link: a link may lead only to files of the site that no other folder publishes"
                )),
            );
            return None;
        }
        let link_folder = path.parent().and_then(|p| p.canonicalize().ok());
        if link_folder.is_some_and(|folder| folder.starts_with(&real)) {
            self.errors.push(
                error(
                    Code::SymlinkLoop,
                    msg!("this symbolic link points back to a folder that contains it"),
                )
                .hint(msg!("remove the link, or point it elsewhere")),
            );
            return None;
        }
        if self
            .visited
            .iter()
            .any(|v| v.starts_with(&real) || real.starts_with(v))
        {
            self.errors.push(
                error(
                    Code::SymlinkLoop,
                    msg!("this symbolic link leads to files the site already has"),
                )
                .hint(msg!("remove the link, or point it elsewhere")),
            );
            return None;
        }
        Some(real)
    }

    /// What `real` (inside the site) lies in that no link may lead into, described: a hidden
    /// folder (`.git`, the state in `.wemi`), the default output folder (a build would read
    /// its own output, again and again), or another folder the build reads (`static/` linking
    /// to `content/` would publish the pages' sources, drafts included).
    fn forbidden(&self, real: &Path) -> Option<Text> {
        let mut names = real
            .strip_prefix(&self.root)
            .ok()?
            .components()
            .map(|c| c.as_os_str().to_string_lossy());
        let top = names.next()?;
        let own_top = self
            .shown
            .components()
            .next()?
            .as_os_str()
            .to_string_lossy();
        if let Some(hidden) = std::iter::once(top.clone())
            .chain(names)
            .find(|name| is_ignored(name))
        {
            Some(msg!("a hidden file or folder, {name}", name = hidden))
        } else if top == DEFAULT_OUTPUT {
            Some(msg!("the output folder, {name}/", name = top))
        } else if top != own_top && INPUTS.iter().any(|input| input.name == top) {
            Some(msg!("{name}, which the build reads on its own", name = top))
        } else {
            None
        }
    }

    fn shown_of(&self, prefix: &str, relative: &Path) -> PathBuf {
        join_slashed(&self.shown, prefix).join(relative)
    }
}

/// A path relative to a walked folder as text with `/` separators; `None` when a name is not
/// UTF-8. A backslash stays part of the name (it is not a separator here).
fn relative_name(relative: &Path) -> Option<String> {
    let mut name = String::new();
    for part in relative.components() {
        if !name.is_empty() {
            name.push('/');
        }
        name.push_str(part.as_os_str().to_str()?);
    }
    Some(name)
}

/// `relative` (`/`-separated, as the walk's and site paths are) under `base`, one name at a
/// time: on Windows the path then shows `\` throughout (`content\spazi\orari.md`), where
/// joining the text whole would show `content\spazi/orari.md` in messages.
pub fn join_slashed(base: &Path, relative: &str) -> PathBuf {
    let mut path = base.to_path_buf();
    path.extend(relative.split('/').filter(|name| !name.is_empty()));
    path
}

/// `text` without the byte order mark that some Windows editors (Notepad until 2019, Excel's
/// "CSV UTF-8") put at the start of a UTF-8 file: parsers take it for part of the first line
/// (a `site.yaml` starting with it lost its first key), and no output should carry it.
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The number of the next temporary file of this process.
static NEXT_TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// `bytes` written and synced into a new hidden file beside `target`; returns its path.
pub fn write_temporary(target: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = folder.join(format!(
        ".{name}.wemi-{}-{}.tmp",
        std::process::id(),
        NEXT_TEMPORARY.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    match written {
        Ok(()) => Ok(temporary),
        Err(e) => {
            let _ = std::fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// Syncs the folder of `file`, so that a rename or a new name in it survives a crash too
/// (Unix; elsewhere folders cannot be opened to sync, and the rename is as durable as the
/// system makes it).
pub fn sync_folder(file: &Path) {
    #[cfg(unix)]
    if let Some(folder) = file.parent() {
        let _ = std::fs::File::open(folder).and_then(|f| f.sync_all());
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Writes `bytes` as `target`, whole or not at all: into a new file beside it (never through
/// a link, which `create_new` does not follow), then renamed over it (a link there is
/// replaced, not followed).
pub fn write_whole(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let temporary = write_temporary(target, bytes)?;
    let renamed = std::fs::rename(&temporary, target);
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed?;
    sync_folder(target);
    Ok(())
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
    fn slashed_paths_are_joined_one_name_at_a_time() {
        let joined = join_slashed(Path::new("content"), "spazi//orari.md");
        // The system's separator throughout (on Windows a whole join would keep the `/`), and
        // no empty name.
        let expected = ["content", "spazi", "orari.md"].join(std::path::MAIN_SEPARATOR_STR);
        assert_eq!(joined.to_str(), Some(expected.as_str()));
        assert_eq!(join_slashed(Path::new("data"), ""), Path::new("data"));
    }

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
        let (files, errors) = walk(site.path(), Path::new("data"));
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
        assert_eq!(files[0].path, dir.canonicalize().unwrap().join("a/z.csv"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_is_named_from_the_site_root() {
        let site = tempfile::tempdir().unwrap();
        let dir = site.path().join("themes/wemi/static");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(".", dir.join("giro")).unwrap();
        let (_, errors) = walk(site.path(), Path::new("themes/wemi/static"));
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new("themes/wemi/static/giro"));
        assert!(errors[0].message.contains("points back"), "{errors:#?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_or_nowhere_are_errors_naming_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let content = root.join("content");
        std::fs::create_dir_all(&content).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", content.join("passwd.txt")).unwrap();
        std::os::unix::fs::symlink("../../secret.txt", content.join("segreto.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), content.join("su")).unwrap();
        std::os::unix::fs::symlink("manca.txt", content.join("rotto.txt")).unwrap();
        let (files, errors) = walk(&root, Path::new("content"));
        assert!(files.is_empty(), "{files:#?}");
        let named: Vec<_> = errors.iter().map(|e| e.path.to_str().unwrap()).collect();
        assert_eq!(
            named,
            [
                "content/passwd.txt",
                "content/rotto.txt",
                "content/segreto.txt",
                "content/su"
            ]
        );
        assert!(
            errors[0].message.contains("outside the site folder"),
            "{errors:#?}"
        );
        assert!(errors[1].message.contains("leads nowhere"), "{errors:#?}");
        assert!(errors.iter().all(|e| e.message_it.is_some()));
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_the_site_are_followed_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let shared = root.join("condivisi");
        std::fs::create_dir_all(shared.join("foto")).unwrap();
        std::fs::write(shared.join("foto/a.jpg"), "a").unwrap();
        std::fs::write(shared.join("logo.png"), "l").unwrap();
        let content = root.join("content");
        std::fs::create_dir_all(content.join("spazi")).unwrap();
        std::fs::write(content.join("spazi/x.md"), "").unwrap();
        std::os::unix::fs::symlink(shared.join("foto"), content.join("foto")).unwrap();
        std::os::unix::fs::symlink(shared.join("logo.png"), content.join("logo.png")).unwrap();
        // A second way to the same folder, and a link to a file the walk finds anyway.
        std::os::unix::fs::symlink(shared.join("foto"), content.join("ancora")).unwrap();
        std::os::unix::fs::symlink(content.join("spazi/x.md"), content.join("y.md")).unwrap();
        let (files, errors) = walk(root, Path::new("content"));
        let relative: Vec<_> = files.iter().map(|f| f.relative.as_str()).collect();
        assert_eq!(relative, ["ancora/a.jpg", "logo.png", "spazi/x.md"]);
        assert_eq!(
            files[0].path,
            shared.canonicalize().unwrap().join("foto/a.jpg"),
            "read where the link leads"
        );
        let named: Vec<_> = errors.iter().map(|e| e.path.to_str().unwrap()).collect();
        // The first link by name is followed, the second is named.
        assert_eq!(named, ["content/foto", "content/y.md"], "{errors:#?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_to_the_next_folder_are_walked_once_each() {
        // d0 holds two links to d1, d1 two links to d2 …: followed blindly, 2^N walks.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let n = 20;
        for i in 0..=n {
            let d = root.join(format!("d{i}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("f.txt"), "x").unwrap();
            if i < n {
                for name in ["a", "b"] {
                    std::os::unix::fs::symlink(root.join(format!("d{}", i + 1)), d.join(name))
                        .unwrap();
                }
            }
        }
        let (files, errors) = walk(root, Path::new("d0"));
        assert_eq!(files.len(), n + 1, "each real file once");
        assert_eq!(errors.len(), n, "each second link named: {errors:#?}");
    }
}
