//! Loading the theme: its templates and static files, with the site's own `templates/` and
//! `static/` overriding the theme's file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::error::{Code, Diagnostic};
use crate::base::fs::{self, FoundFile};
use crate::base::i18n::msg;
use crate::base::layout::{CONFIG_FILE, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::config::Config;

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
        let dir = Path::new(THEMES_DIR).join(name);
        if !root.join(&dir).is_dir() {
            errors.push(
                Diagnostic::new(
                    Code::ConfigValue,
                    CONFIG_FILE,
                    msg!("the theme `{name}` does not exist", name = name),
                )
                .hint(msg!(
                    "create {folder}/ or change `theme:` in site.yaml",
                    folder = dir.display()
                )),
            );
        }
        layers.push(dir);
    }
    layers.push(PathBuf::new());

    let mut templates: BTreeMap<String, TemplateFile> = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    for layer in &layers {
        for file in files_under(root, &layer.join(TEMPLATES_DIR), &mut errors) {
            match std::fs::read_to_string(&file.path) {
                Ok(text) => {
                    templates.insert(
                        file.relative.clone(),
                        TemplateFile {
                            name: file.relative,
                            shown_path: file.shown,
                            text,
                        },
                    );
                }
                Err(err) => errors.push(
                    Diagnostic::new(
                        Code::io(&err),
                        &file.shown,
                        msg!("cannot read the template: {error}", error = err),
                    )
                    .hint(msg!("templates must be UTF-8 text files")),
                ),
            }
        }
        for file in files_under(root, &layer.join(STATIC_DIR), &mut errors) {
            static_files.insert(file.relative, file.path);
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

/// Files under `root/dir` (`dir` relative to `root`), if that folder exists.
fn files_under(root: &Path, dir: &Path, errors: &mut Vec<Diagnostic>) -> Vec<FoundFile> {
    let full = root.join(dir);
    if !full.is_dir() {
        return Vec::new();
    }
    let (files, mut found_errors) = fs::walk(root, dir);
    errors.append(&mut found_errors);
    files
}
