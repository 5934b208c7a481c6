//! Loading the theme: its templates and static files, with the site's own `templates/` and
//! `static/` overriding the theme's file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::content::source::is_ignored;
use crate::error::Diagnostic;

/// A template file, by the name templates use for it (`spazi/page.html`).
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// Name relative to its `templates/` folder, with `/` separators.
    pub name: String,
    /// Where it is, for messages (relative to the site root).
    pub shown_path: PathBuf,
    /// Its text.
    pub text: String,
}

/// The theme as the build uses it.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates, site overrides applied.
    pub templates: Vec<TemplateFile>,
    /// Static files: site path → file on disk, site overrides applied.
    pub static_files: BTreeMap<String, PathBuf>,
}

/// Reads the theme named in `config` and the site's overrides.
pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut layers: Vec<PathBuf> = Vec::new();
    if let Some(name) = &config.theme {
        let dir = Path::new("themes").join(name);
        if !root.join(&dir).is_dir() {
            errors.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("the theme `{name}` does not exist"),
                )
                .hint(format!(
                    "create {}/ or change `theme:` in site.yaml",
                    dir.display()
                )),
            );
        }
        layers.push(dir);
    }
    layers.push(PathBuf::new());

    let mut templates: BTreeMap<String, TemplateFile> = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    for layer in &layers {
        for (name, shown) in files_under(root, &layer.join("templates"), &mut errors) {
            match std::fs::read_to_string(root.join(&shown)) {
                Ok(text) => {
                    templates.insert(
                        name.clone(),
                        TemplateFile {
                            name,
                            shown_path: shown,
                            text,
                        },
                    );
                }
                Err(err) => errors.push(
                    Diagnostic::new(&shown, format!("cannot read the template: {err}"))
                        .hint("templates must be UTF-8 text files"),
                ),
            }
        }
        for (name, shown) in files_under(root, &layer.join("static"), &mut errors) {
            static_files.insert(name, root.join(shown));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Theme {
        templates: templates.into_values().collect(),
        static_files,
    })
}

/// Files under `root/dir`: (name relative to `dir`, path relative to `root`).
fn files_under(root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = WalkDir::new(&full)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let Ok(rel) = e.path().strip_prefix(&full) else {
                    continue;
                };
                match rel.to_str() {
                    Some(name) => out.push((name.replace('\\', "/"), dir.join(rel))),
                    None => errors.push(Diagnostic::new(
                        dir.join(rel),
                        "the file name is not valid UTF-8",
                    )),
                }
            }
            Ok(_) => {}
            Err(err) => errors.push(Diagnostic::new(
                err.path().map_or_else(
                    || dir.to_path_buf(),
                    |p| p.strip_prefix(root).unwrap_or(p).to_path_buf(),
                ),
                format!("cannot read: {err}"),
            )),
        }
    }
    out
}
