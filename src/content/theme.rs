//! Loading the theme: its templates, static files and translations, with the site's own
//! `templates/` and `static/` overriding the theme's file by file, and its `i18n/` key by key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::base::error::{Code, Diagnostic};
use crate::base::fs::{self, FoundFile};
use crate::base::i18n::msg;
use crate::base::layout::{CONFIG_FILE, I18N_DIR, STATIC_DIR, TEMPLATES_DIR, THEMES_DIR};
use crate::base::yaml::{self, KeyCodes};
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
    /// The texts templates print with `trans`: language code → key → text, from
    /// `i18n/<language>.yaml`, site overrides applied.
    pub translations: Translations,
    /// What does not stop a build: a language lacking texts that the default language has.
    pub warnings: Vec<Diagnostic>,
}

/// Language code → key → text.
pub type Translations = BTreeMap<String, BTreeMap<String, String>>;

/// Reads the theme named in `config` and the site's overrides: the theme with every file that
/// could be read, and the problems with the others (a build with any fails, but the files
/// that did load still say what the theme has: its shortcodes, say).
pub fn load(root: &Path, config: &Config) -> (Theme, Vec<Diagnostic>) {
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
    let mut translations = Translations::new();
    let mut translation_files: BTreeMap<String, PathBuf> = BTreeMap::new();
    for layer in &layers {
        for file in files_under(root, &layer.join(TEMPLATES_DIR), &mut errors) {
            match std::fs::read_to_string(&file.path) {
                Ok(text) => {
                    templates.insert(
                        file.relative.clone(),
                        TemplateFile {
                            name: file.relative,
                            shown_path: file.shown,
                            // A BOM would be copied into every page, and would come before `extends`.
                            text: fs::without_bom(&text).to_string(),
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
        for file in files_under(root, &layer.join(I18N_DIR), &mut errors) {
            let Some(lang) = translation_language(&file.relative) else {
                errors.push(
                    Diagnostic::new(
                        Code::TranslationFile,
                        &file.shown,
                        msg!(
                            "a translation file must be named after its language and end in .yaml"
                        ),
                    )
                    .hint(msg!("name it like i18n/it.yaml or i18n/en.yaml")),
                );
                continue;
            };
            match read_translations(&file) {
                Ok(texts) => {
                    translations.entry(lang.clone()).or_default().extend(texts);
                    translation_files.insert(lang, file.shown);
                }
                Err(error) => errors.push(error),
            }
        }
    }
    let theme = Theme {
        templates: templates.into_values().collect(),
        static_files,
        warnings: missing_translations(config, &translations, &translation_files),
        translations,
    };
    (theme, errors)
}

/// The language of a translation file named `<language>.yaml` (or `.yml`), directly in `i18n/`.
fn translation_language(relative: &str) -> Option<String> {
    let stem = relative
        .strip_suffix(".yaml")
        .or_else(|| relative.strip_suffix(".yml"))?;
    let valid = !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then(|| stem.to_string())
}

/// The texts of one translation file: a map of keys to texts.
fn read_translations(file: &FoundFile) -> Result<BTreeMap<String, String>, Diagnostic> {
    let text = std::fs::read_to_string(&file.path).map_err(|err| {
        Diagnostic::new(
            Code::io(&err),
            &file.shown,
            msg!("cannot read the translation file: {error}", error = err),
        )
    })?;
    yaml::parse(fs::without_bom(&text)).map_err(|err| {
        err.into_diagnostic(&file.shown, 0, KeyCodes::DATA)
            .hint(msg!(
                "write one `key: \"text\"` per line; every text is a string in quotes"
            ))
    })
}

/// One warning per language of the site whose translations lack keys that the default
/// language has: templates print the default language's text for them.
fn missing_translations(
    config: &Config,
    translations: &Translations,
    files: &BTreeMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    let Some(default) = translations.get(&config.language) else {
        return Vec::new();
    };
    let mut warnings = Vec::new();
    for language in config
        .languages
        .iter()
        .filter(|l| l.code != config.language)
    {
        let own = translations.get(&language.code);
        let missing: Vec<&str> = default
            .keys()
            .filter(|key| own.is_none_or(|texts| !texts.contains_key(*key)))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            continue;
        }
        let path = files
            .get(&language.code)
            .cloned()
            .unwrap_or_else(|| Path::new(I18N_DIR).join(format!("{}.yaml", language.code)));
        warnings.push(
            Diagnostic::new(
                Code::TranslationMissing,
                path,
                msg!(
                    "{count} texts have no {lang} translation, so pages in {lang} show them in {default}: {keys}",
                    count = missing.len(),
                    lang = &language.code,
                    default = &config.language,
                    keys = missing.join(", ")
                ),
            )
            .hint(msg!("add the missing keys to the translation file"))
            .warning(),
        );
    }
    warnings
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
