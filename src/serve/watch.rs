//! Watching the site for `wemi serve`: which of the site's files changed, in the site's terms.
//!
//! [`watch`] watches the folders the build reads ([`layout::INPUTS`]: `content/`, `themes/`,
//! `templates/`, `static/`, `data/`) recursively, and the site folder itself without
//! recursion, for `site.yaml`; [`layout::change_kind`] says which part of the site a path is. Only folders are watched, never single files: a watch on a file follows its
//! inode, which an editor's rename-save replaces, and then goes silent
//! (<https://github.com/notify-rs/notify/issues/531>).
//!
//! Events are debounced by `notify-debouncer-full` for a short while ([`DEBOUNCE`]), which
//! pairs the two halves of a rename and folds an editor's save (a temporary file renamed over
//! the page, or vim's backup-and-write) into events naming the real file. Each batch becomes
//! at most one [`Change`]; notify's types do not leave this module.
//!
//! What the build ignores, the watcher ignores too ([`fs::is_ignored`]: dotfiles, editors'
//! backup, swap and lock files, vim's `4913` probe), as well as reads (`Access` events: the
//! build reading a page must not trigger another build), the folders the caller names (the
//! output folder) and everything outside the watched set (`target/`, `public/`).

use std::collections::BTreeSet;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use notify::event::{MetadataKind, ModifyKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, RecommendedCache};

use crate::base::fs;
use crate::base::layout::{self, ChangeKind};

/// How long the debouncer waits for a file to be quiet before reporting it: long enough to
/// see an editor's save as one change, short enough that the preview feels immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// What changed in one debounced batch of events.
///
/// When the watcher lost track of the file system (its event queue overflowed, or it reported
/// an error), the change names every kind and no path: everything must be rebuilt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The parts of the site that changed.
    pub kinds: BTreeSet<ChangeKind>,
    /// The files and folders that changed (for a rename, both names), relative to the site
    /// root, sorted.
    pub paths: Vec<PathBuf>,
}

impl Change {
    /// Adds `other` to this change: what serve does with the changes that arrive while it
    /// rebuilds.
    pub fn merge(&mut self, other: Change) {
        self.kinds.extend(other.kinds);
        let paths: BTreeSet<PathBuf> = self.paths.drain(..).chain(other.paths).collect();
        self.paths = paths.into_iter().collect();
    }

    /// Everything may have changed.
    fn everything() -> Change {
        Change {
            kinds: ChangeKind::ALL.into_iter().collect(),
            paths: Vec::new(),
        }
    }
}

/// Watching could not start.
#[derive(Debug)]
pub struct WatchError {
    /// The folder that could not be watched, relative to the site root when inside it.
    pub path: PathBuf,
    /// Why.
    pub error: io::Error,
}

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.error)
    }
}

impl std::error::Error for WatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

type Debouncer = notify_debouncer_full::Debouncer<RecommendedWatcher, RecommendedCache>;

/// The running watcher: changes arrive on the receiver given by [`watch`] until it is dropped.
pub struct SiteWatcher {
    /// The debouncer, shared (weakly) with its own event handler, which adds a watch when one
    /// of the watched folders is created after the start.
    _debouncer: Arc<OnceLock<Mutex<Debouncer>>>,
}

impl fmt::Debug for SiteWatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SiteWatcher").finish_non_exhaustive()
    }
}

/// Starts watching the site at `root`, ignoring everything under the folders in `ignore`
/// (absolute, or relative to the current folder, like `--output`). Each debounced batch of
/// events that touches the site sends one [`Change`]; batches of ignored paths send nothing.
pub fn watch(
    root: &Path,
    ignore: &[PathBuf],
) -> Result<(SiteWatcher, Receiver<Change>), WatchError> {
    // Events name paths as watched; a canonical root makes them comparable on every platform
    // (macOS reports /private/var for /var).
    let root = root.canonicalize().map_err(|error| WatchError {
        path: root.to_path_buf(),
        error,
    })?;
    let scope = Scope {
        ignore: ignore.iter().map(|p| resolve(p)).collect(),
        root: root.clone(),
    };
    let (tx, rx) = mpsc::channel();
    let shared: Arc<OnceLock<Mutex<Debouncer>>> = Arc::new(OnceLock::new());
    let handler = Handler {
        scope,
        tx,
        debouncer: Arc::downgrade(&shared),
    };
    let failed = |path: &Path, error: notify::Error| WatchError {
        path: path.strip_prefix(&root).unwrap_or(path).to_path_buf(),
        error: io_error(error),
    };
    let mut debouncer =
        notify_debouncer_full::new_debouncer(DEBOUNCE, None, move |r| handler.handle(r))
            .map_err(|e| failed(&root, e))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| failed(&root, e))?;
    for folder in layout::input_folders() {
        let dir = root.join(folder);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| failed(&dir, e))?;
        }
    }
    // Set exactly once, here, so this cannot fail.
    let _ = shared.set(Mutex::new(debouncer));
    Ok((SiteWatcher { _debouncer: shared }, rx))
}

/// What the debouncer calls with each batch.
struct Handler {
    scope: Scope,
    tx: Sender<Change>,
    debouncer: Weak<OnceLock<Mutex<Debouncer>>>,
}

impl Handler {
    fn handle(&self, result: DebounceEventResult) {
        let change = match result {
            Ok(events) => {
                self.follow_new_folders(&events);
                self.scope.change(&events)
            }
            // Events may have been lost: rebuild everything rather than show a stale site.
            Err(_) => Some(Change::everything()),
        };
        if let Some(change) = change {
            // The receiver is gone when serve is stopping: nothing to do.
            let _ = self.tx.send(change);
        }
    }

    /// Watches an input folder ([`layout::INPUTS`]) created (or renamed into place) after the start: the
    /// root is watched without recursion, so nothing else would. The change is sent after the
    /// watch is added, so that what serve then reads is watched.
    fn follow_new_folders(&self, events: &[DebouncedEvent]) {
        let created = events.iter().filter(|e| {
            matches!(
                e.kind,
                EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
            )
        });
        let new: Vec<&PathBuf> = created
            .flat_map(|e| &e.paths)
            .filter(|p| p.parent() == Some(self.scope.root.as_path()))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| layout::input_folders().any(|f| n == f))
            })
            .filter(|p| p.is_dir())
            .collect();
        if new.is_empty() {
            return;
        }
        let Some(shared) = self.debouncer.upgrade() else {
            return;
        };
        let Some(Ok(mut debouncer)) = shared.get().map(|m| m.lock()) else {
            return;
        };
        for dir in new {
            // A failure cannot be reported from here; the change that follows makes serve
            // rebuild from disk anyway.
            let _ = debouncer.watch(dir, RecursiveMode::Recursive);
        }
    }
}

/// Which paths belong to the site.
struct Scope {
    /// The site root, canonical.
    root: PathBuf,
    /// Folders whose contents never count (the output folder), absolute.
    ignore: Vec<PathBuf>,
}

impl Scope {
    /// The change a batch of events makes to the site, if any.
    fn change(&self, events: &[DebouncedEvent]) -> Option<Change> {
        let mut kinds = BTreeSet::new();
        let mut paths = BTreeSet::new();
        for event in events {
            if event.need_rescan() {
                return Some(Change::everything());
            }
            if !counts(&event.kind) {
                continue;
            }
            for path in &event.paths {
                if let Some((kind, relative)) = self.classify(path) {
                    kinds.insert(kind);
                    paths.insert(relative);
                }
            }
        }
        (!kinds.is_empty()).then(|| Change {
            kinds,
            paths: paths.into_iter().collect(),
        })
    }

    /// The part of the site `path` belongs to and its path relative to the root, or `None`
    /// when it is ignored or outside the watched set.
    fn classify(&self, path: &Path) -> Option<(ChangeKind, PathBuf)> {
        if self.ignore.iter().any(|dir| path.starts_with(dir)) {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        // Only the components under the root: the site may itself live in a dot-folder.
        let ignored = relative.components().any(|c| match c {
            Component::Normal(name) => fs::is_ignored(&name.to_string_lossy()),
            _ => true,
        });
        if ignored {
            return None;
        }
        layout::change_kind(relative).map(|kind| (kind, relative.to_path_buf()))
    }
}

/// Whether an event can change what the build reads. Reads (`Access`: opening, reading,
/// closing) cannot, and neither can a new access time.
fn counts(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// An absolute, canonical form of `path`, as far as it exists: the ignored folder may not
/// exist yet, while the root's own path may go through a link.
fn resolve(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    for ancestor in path.ancestors() {
        if let Ok(canonical) = ancestor.canonicalize() {
            let rest = path.strip_prefix(ancestor).unwrap_or(Path::new(""));
            return canonical.join(rest);
        }
    }
    path
}

/// notify's error as an I/O error, which is what it nearly always is.
fn io_error(error: notify::Error) -> io::Error {
    match error.kind {
        notify::ErrorKind::Io(error) => error,
        notify::ErrorKind::PathNotFound => io::Error::from(io::ErrorKind::NotFound),
        notify::ErrorKind::MaxFilesWatch => io::Error::other(
            "too many folders to watch (on Linux, raise fs.inotify.max_user_watches)",
        ),
        other => io::Error::other(notify::Error::new(other).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::{create_dir, create_dir_all, read_to_string, remove_file, rename, write};
    use std::io::Write;
    use std::time::Instant;

    /// How long an expected change may take: only a bound on a hang.
    const HANG: Duration = Duration::from_secs(30);

    /// A small site, with `public/` as the output folder, being watched.
    fn site() -> (tempfile::TempDir, PathBuf, SiteWatcher, Receiver<Change>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        for (file, text) in [
            ("site.yaml", "title: Prova\n"),
            ("content/_index.md", "---\ntitle: Home\n---\n"),
            ("content/pagina.md", "---\ntitle: Pagina\n---\nTesto.\n"),
            ("templates/page.html", "{{ page.title }}"),
            ("static/style.css", "body {}"),
            ("themes/wemi/static/tema.css", "p {}"),
            ("themes/wemi/templates/base.html", "<html></html>"),
            ("public/index.html", "<html></html>"),
            ("target/debug/wemi", ""),
        ] {
            let path = root.join(file);
            create_dir_all(path.parent().unwrap()).unwrap();
            write(path, text).unwrap();
        }
        let (watcher, rx) = watch(&root, &[root.join("public")]).unwrap();
        (dir, root, watcher, rx)
    }

    /// The changes that arrive until they name every path of `expected`, merged into one.
    /// Changes come in the order of the file events, so whatever an earlier operation caused
    /// is in it too: a caller that asserts its paths are exactly `expected` checks that.
    fn until(rx: &Receiver<Change>, expected: &[&str]) -> Change {
        let expected = paths(expected);
        let deadline = Instant::now() + HANG;
        let mut change = Change::default();
        while !expected.iter().all(|path| change.paths.contains(path)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(more) => change.merge(more),
                Err(_) => panic!("no change naming {expected:?} within {HANG:?}: {change:#?}"),
            }
        }
        change
    }

    /// Nothing came of what was done before: an edit of a page then comes alone (which also
    /// shows the watcher still alive).
    fn quiet(root: &Path, rx: &Receiver<Change>) {
        write(root.join("content/pagina.md"), "---\ntitle: Viva\n---\n").unwrap();
        let change = until(rx, &["content/pagina.md"]);
        assert_eq!(change.paths, paths(&["content/pagina.md"]), "{change:#?}");
    }

    fn paths(list: &[&str]) -> Vec<PathBuf> {
        list.iter().map(PathBuf::from).collect()
    }

    fn kinds(list: &[ChangeKind]) -> BTreeSet<ChangeKind> {
        list.iter().copied().collect()
    }

    #[test]
    fn editing_a_page_is_a_content_change() {
        let (_dir, root, _w, rx) = site();
        write(root.join("content/pagina.md"), "---\ntitle: Nuova\n---\n").unwrap();
        let change = until(&rx, &["content/pagina.md"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Content]));
        assert_eq!(change.paths, paths(&["content/pagina.md"]));
    }

    #[test]
    fn creating_and_deleting_a_page() {
        let (_dir, root, _w, rx) = site();
        write(root.join("content/nuova.md"), "---\ntitle: Nuova\n---\n").unwrap();
        let change = until(&rx, &["content/nuova.md"]);
        assert_eq!(change.paths, paths(&["content/nuova.md"]));
        remove_file(root.join("content/nuova.md")).unwrap();
        let change = until(&rx, &["content/nuova.md"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Content]));
        assert_eq!(change.paths, paths(&["content/nuova.md"]));
    }

    #[test]
    fn renaming_names_both_paths() {
        let (_dir, root, _w, rx) = site();
        rename(
            root.join("content/pagina.md"),
            root.join("content/altra.md"),
        )
        .unwrap();
        let change = until(&rx, &["content/altra.md", "content/pagina.md"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Content]));
        assert_eq!(
            change.paths,
            paths(&["content/altra.md", "content/pagina.md"])
        );
    }

    #[test]
    fn a_new_folder_is_watched() {
        let (_dir, root, _w, rx) = site();
        create_dir(root.join("content/nuova")).unwrap();
        assert_eq!(
            until(&rx, &["content/nuova"]).paths,
            paths(&["content/nuova"])
        );
        write(root.join("content/nuova/index.md"), "---\ntitle: N\n---\n").unwrap();
        assert_eq!(
            until(&rx, &["content/nuova/index.md"]).paths,
            paths(&["content/nuova/index.md"])
        );
    }

    #[test]
    fn renaming_a_folder_keeps_it_watched_under_its_new_name() {
        let (_dir, root, _w, rx) = site();
        create_dir(root.join("content/vecchia")).unwrap();
        until(&rx, &["content/vecchia"]);
        rename(root.join("content/vecchia"), root.join("content/nuova")).unwrap();
        assert_eq!(
            until(&rx, &["content/nuova", "content/vecchia"]).paths,
            paths(&["content/nuova", "content/vecchia"])
        );
        write(root.join("content/nuova/index.md"), "").unwrap();
        assert_eq!(
            until(&rx, &["content/nuova/index.md"]).paths,
            paths(&["content/nuova/index.md"])
        );
        std::fs::remove_dir_all(root.join("content/nuova")).unwrap();
        until(&rx, &["content/nuova"]);
    }

    #[test]
    fn a_site_folder_created_later_is_watched() {
        let (_dir, root, _w, rx) = site();
        create_dir(root.join("data")).unwrap();
        let change = until(&rx, &["data"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Data]));
        assert_eq!(change.paths, paths(&["data"]));
        write(root.join("data/orari.yaml"), "lunedì: 9-18\n").unwrap();
        assert_eq!(
            until(&rx, &["data/orari.yaml"]).paths,
            paths(&["data/orari.yaml"])
        );
    }

    /// VS Code, JetBrains and most libraries: write a temporary file, rename it over the page.
    #[test]
    fn an_atomic_save_names_the_page() {
        let (_dir, root, _w, rx) = site();
        let content = root.join("content");
        let mut temp = tempfile::NamedTempFile::new_in(&content).unwrap();
        temp.write_all(b"---\ntitle: Salvata\n---\n").unwrap();
        temp.persist(content.join("pagina.md")).unwrap();
        let change = until(&rx, &["content/pagina.md"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Content]));
        assert_eq!(change.paths, paths(&["content/pagina.md"]));
    }

    /// vim (`backupcopy=no`): rename the page to a backup, write it anew, delete the backup.
    #[test]
    fn a_vim_save_names_the_page() {
        let (_dir, root, _w, rx) = site();
        let page = root.join("content/pagina.md");
        let backup = root.join("content/pagina.md~");
        rename(&page, &backup).unwrap();
        write(&page, "---\ntitle: Da vim\n---\n").unwrap();
        remove_file(&backup).unwrap();
        let change = until(&rx, &["content/pagina.md"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Content]));
        assert_eq!(change.paths, paths(&["content/pagina.md"]));
    }

    #[test]
    fn editors_scratch_files_are_ignored() {
        let (_dir, root, _w, rx) = site();
        let content = root.join("content");
        write(content.join(".pagina.md.swp"), "swap").unwrap();
        write(content.join(".pagina.md.swx"), "swap").unwrap();
        write(content.join(".#pagina.md"), "lock").unwrap();
        write(content.join("4913"), "").unwrap();
        remove_file(content.join("4913")).unwrap();
        create_dir(content.join(".git")).unwrap();
        write(content.join(".git/HEAD"), "ref").unwrap();
        quiet(&root, &rx);
    }

    #[test]
    fn the_output_folder_and_files_outside_the_site_are_ignored() {
        let (_dir, root, _w, rx) = site();
        write(root.join("public/index.html"), "<p>nuova</p>").unwrap();
        write(root.join("public/nuova.html"), "").unwrap();
        write(root.join("target/debug/wemi"), "bin").unwrap();
        write(root.join("README.md"), "").unwrap();
        quiet(&root, &rx);
    }

    #[test]
    fn reading_is_not_a_change() {
        let (_dir, root, _w, rx) = site();
        for file in ["content/pagina.md", "static/style.css", "site.yaml"] {
            read_to_string(root.join(file)).unwrap();
        }
        std::fs::read_dir(root.join("content")).unwrap().count();
        quiet(&root, &rx);
    }

    #[test]
    fn static_files_of_the_site_and_the_theme_are_static_changes() {
        let (_dir, root, _w, rx) = site();
        write(root.join("static/style.css"), "body { color: red }").unwrap();
        let change = until(&rx, &["static/style.css"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Static]));

        write(root.join("themes/wemi/static/tema.css"), "p { margin: 0 }").unwrap();
        let change = until(&rx, &["themes/wemi/static/tema.css"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Static]));

        write(root.join("static/style.css"), "body {}").unwrap();
        write(root.join("static/app.js"), "").unwrap();
        let change = until(&rx, &["static/app.js", "static/style.css"]);
        assert_eq!(change.paths, paths(&["static/app.js", "static/style.css"]));
        assert_eq!(change.kinds, kinds(&[ChangeKind::Static]));
    }

    #[test]
    fn site_yaml_is_config_after_every_rename_save() {
        let (_dir, root, _w, rx) = site();
        // Twice: a watch on the file itself would miss the second save.
        for title in ["Uno", "Due"] {
            let mut temp = tempfile::NamedTempFile::new_in(&root).unwrap();
            temp.write_all(format!("title: {title}\n").as_bytes())
                .unwrap();
            temp.persist(root.join("site.yaml")).unwrap();
            let change = until(&rx, &["site.yaml"]);
            assert_eq!(change.kinds, kinds(&[ChangeKind::Config]));
            assert_eq!(change.paths, paths(&["site.yaml"]));
        }
    }

    #[test]
    fn a_template_edit_is_a_templates_change() {
        let (_dir, root, _w, rx) = site();
        write(root.join("templates/page.html"), "{{ page.title }}!").unwrap();
        let change = until(&rx, &["templates/page.html"]);
        assert_eq!(change.kinds, kinds(&[ChangeKind::Templates]));
    }

    /// Every input of the build is watched: a file written in each input folder, and the
    /// configuration file, is a change of the input's kind.
    #[test]
    fn every_input_is_watched() {
        let (_dir, root, _w, rx) = site();
        for input in layout::INPUTS {
            let written = match input.folder {
                true => Path::new(input.name).join("nuovo.txt"),
                false => PathBuf::from(input.name),
            };
            if input.folder && !root.join(input.name).is_dir() {
                // A folder the site did not have yet (`data/`): it is watched from now on.
                create_dir(root.join(input.name)).unwrap();
                until(&rx, &[input.name]);
            }
            write(root.join(&written), "x").unwrap();
            let change = until(&rx, &[written.to_str().unwrap()]);
            assert_eq!(change.kinds, kinds(&[input.change]), "{}", input.name);
            assert_eq!(change.paths, [written]);
        }
    }

    #[test]
    fn ignored_folders_and_scratch_files_are_out_of_scope() {
        let root = PathBuf::from("/sito");
        let scope = Scope {
            ignore: vec![root.join("content/out")],
            root: root.clone(),
        };
        let classify = |p: &str| scope.classify(&root.join(p)).map(|(k, _)| k);
        assert_eq!(classify("content/a.md"), Some(ChangeKind::Content));
        for p in [
            "content/out/a.html",
            "content/.a.md.swp",
            "content/a.md~",
            "content/.#a.md",
            "content/4913",
            "content/.bozze/a.md",
            "static/.DS_Store",
        ] {
            assert_eq!(classify(p), None, "{p}");
        }
        assert_eq!(scope.classify(Path::new("/altrove/content/a.md")), None);
    }
}
