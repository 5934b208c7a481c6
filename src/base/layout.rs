//! The folders of a site: the one list of what a build reads ([`INPUTS`]), with how `wemi
//! serve` handles a change to each; the folders an output folder may not touch; the build's
//! state folder and the default output folder.
//!
//! Every stage asks this module: the fingerprint that lets an unchanged build stop early
//! hashes exactly [`INPUTS`], `serve` watches exactly [`INPUTS`] and classifies a changed path
//! with [`change_kind`], and the readers of content, theme and data take their folder's name
//! from here. A folder the build read but this list missed would let a "nothing changed"
//! build skip a real change.

use std::path::{Component, Path, PathBuf};

/// The site's configuration file, at the root.
pub const CONFIG_FILE: &str = "site.yaml";
/// The pages, sections and their files.
pub const CONTENT_DIR: &str = "content";
/// The themes, each in a folder of its own holding [`TEMPLATES_DIR`] and [`STATIC_DIR`].
pub const THEMES_DIR: &str = "themes";
/// Templates: the site's own (overriding the theme's file by file) or a theme's.
pub const TEMPLATES_DIR: &str = "templates";
/// Files copied as they are: the site's own (overriding the theme's) or a theme's.
pub const STATIC_DIR: &str = "static";
/// Data files for templates (`data/municipi.yaml` is `data.municipi`).
pub const DATA_DIR: &str = "data";
/// The translations templates print with `trans`: `i18n/<language>.yaml`, in a theme and at
/// the site root (whose keys override the theme's).
pub const I18N_DIR: &str = "i18n";
/// The build's own bookkeeping (manifests and journals of the output folders), at the root.
pub const STATE_DIR: &str = ".wemi";
/// Inside [`STATE_DIR`], the folders `wemi serve` builds the site into (one for each serve
/// running on the site at once), never published.
pub const SERVE_DIR: &str = "serve";
/// The output folder when none is given, at the root.
pub const DEFAULT_OUTPUT: &str = "public";

/// Which part of the site a changed file belongs to: it decides how much `wemi serve` redoes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// Pages, sections and their files: only the changed documents are read again, and a
    /// page whose text alone changed is rendered first, by itself.
    Content,
    /// Templates of the site or of a theme (and a theme appearing or going away): the site
    /// is rendered again.
    Templates,
    /// Static files of the site or of a theme: one edited in place is served as it is
    /// without a build (a stylesheet only swaps the pages' stylesheets).
    Static,
    /// Data files: the site is rendered again.
    Data,
    /// The configuration: nothing read before is kept, everything is built again.
    Config,
}

impl ChangeKind {
    /// Every kind: what changed when the watcher lost track.
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Content,
        ChangeKind::Templates,
        ChangeKind::Static,
        ChangeKind::Data,
        ChangeKind::Config,
    ];
}

/// A file or folder at the site root that a build reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input {
    /// Its name at the root.
    pub name: &'static str,
    /// A folder (read and watched with everything under it), or a single file.
    pub folder: bool,
    /// How a change under it is handled; inside [`THEMES_DIR`], a theme's [`STATIC_DIR`] is
    /// [`ChangeKind::Static`] (see [`change_kind`]).
    pub change: ChangeKind,
}

/// Everything a build reads, at the site root.
pub const INPUTS: [Input; 7] = [
    input(CONFIG_FILE, false, ChangeKind::Config),
    input(CONTENT_DIR, true, ChangeKind::Content),
    input(THEMES_DIR, true, ChangeKind::Templates),
    input(TEMPLATES_DIR, true, ChangeKind::Templates),
    input(STATIC_DIR, true, ChangeKind::Static),
    input(DATA_DIR, true, ChangeKind::Data),
    input(I18N_DIR, true, ChangeKind::Templates),
];

const fn input(name: &'static str, folder: bool, change: ChangeKind) -> Input {
    Input {
        name,
        folder,
        change,
    }
}

/// The input folders (not files) of [`INPUTS`], by name.
pub fn input_folders() -> impl Iterator<Item = &'static str> {
    INPUTS.iter().filter(|i| i.folder).map(|i| i.name)
}

/// The kind of change to the file or folder at `relative` (a path relative to the site root),
/// or `None` when the build does not read it.
pub fn change_kind(relative: &Path) -> Option<ChangeKind> {
    let mut parts = relative.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return None;
    };
    let input = INPUTS.iter().find(|i| first == i.name)?;
    if !input.folder {
        return parts.next().is_none().then_some(input.change);
    }
    // themes/<name>/static/… is static; the rest of a theme (its templates, the theme folder
    // itself) changes the templates.
    if input.name == THEMES_DIR
        && parts
            .nth(1)
            .is_some_and(|dir| dir.as_os_str() == STATIC_DIR)
    {
        return Some(ChangeKind::Static);
    }
    Some(input.change)
}

/// The default output folder of the site at `root`.
pub fn default_output(root: &Path) -> PathBuf {
    root.join(DEFAULT_OUTPUT)
}

/// The folder of the site at `root` that output folder `out` would damage, if any: `out` may
/// not be the root nor contain it, and may not be, contain or lie inside an input or the state
/// folder, wherever a link makes one of them lead. Both paths are absolute and normalised.
pub fn protected_folder_at(root: &Path, out: &Path) -> Option<PathBuf> {
    let inputs = INPUTS.iter().map(|i| i.name).chain([STATE_DIR]);
    std::iter::once(root.to_path_buf())
        .chain(inputs.map(|name| {
            let dir = root.join(name);
            dir.canonicalize().unwrap_or(dir)
        }))
        .find(|dir| dir.starts_with(out) || (dir != root && out.starts_with(dir)))
}

/// The first symbolic link where wemi keeps its state, if any: the state folder itself or
/// one of its entries (manifests, journals, serve's and the images' folders). wemi writes
/// there, and never through a link, which could lead anywhere (a site's repository could
/// hold one).
pub fn state_link(root: &Path) -> Option<PathBuf> {
    let is_link =
        |path: &Path| std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let state = root.join(STATE_DIR);
    if is_link(&state) {
        return Some(state);
    }
    std::fs::read_dir(&state)
        .ok()?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.path())
        .find(|path| is_link(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_the_input_they_are_in() {
        let cases = [
            ("site.yaml", Some(ChangeKind::Config)),
            ("content/spazi/index.md", Some(ChangeKind::Content)),
            ("templates/page.html", Some(ChangeKind::Templates)),
            ("static/img/logo.png", Some(ChangeKind::Static)),
            ("data/orari.csv", Some(ChangeKind::Data)),
            (
                "themes/wemi/templates/base.html",
                Some(ChangeKind::Templates),
            ),
            ("themes/wemi/static/tema.css", Some(ChangeKind::Static)),
            ("themes/wemi", Some(ChangeKind::Templates)),
            ("content/site.yaml", Some(ChangeKind::Content)),
            ("site.yaml/x", None),
            ("public/index.html", None),
            ("target/debug/wemi", None),
            ("README.md", None),
            (".wemi/public.manifest", None),
            ("", None),
        ];
        for (path, kind) in cases {
            assert_eq!(change_kind(Path::new(path)), kind, "{path}");
        }
    }

    #[test]
    fn every_input_is_classified() {
        for input in INPUTS {
            let inside = Path::new(input.name).join("x");
            let path = if input.folder {
                inside.as_path()
            } else {
                Path::new(input.name)
            };
            assert_eq!(change_kind(path), Some(input.change), "{}", input.name);
        }
    }

    #[test]
    fn the_output_may_not_touch_the_root_the_inputs_or_the_state() {
        let root = Path::new("/site");
        let refused = |out: &str| protected_folder_at(root, Path::new(out));
        assert_eq!(refused("/site/public"), None);
        assert_eq!(refused("/tmp/out"), None);
        assert_eq!(refused("/site"), Some(root.to_path_buf()));
        assert_eq!(refused("/"), Some(root.to_path_buf()), "contains the root");
        for name in input_folders().chain([STATE_DIR, CONFIG_FILE]) {
            let dir = root.join(name);
            let out = dir.to_string_lossy().into_owned();
            assert_eq!(refused(&out), Some(dir.clone()), "{name}");
            assert_eq!(
                refused(&format!("{out}/public")),
                Some(dir),
                "inside {name}"
            );
        }
    }
}
