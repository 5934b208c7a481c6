//! Discovering `content/`: which files are sections, pages and assets, in which language.
//!
//! `_index.md` makes its folder a section, `name/index.md` makes its folder a page whose other
//! files are its co-located assets, any other `name.md` is a page, and every other file is an
//! asset copied next to the output of its folder. `name.en.md` is the English version of
//! `name.md` when `en` is a language of the site; any other dot is part of the name
//! (`v1.2-note.md` is a page of its own). Hidden files and editors' temporary files are
//! skipped.

use std::path::{Path, PathBuf};

use crate::base::error::{Code, Diagnostic, values_or_errors};
use crate::base::fs;
use crate::base::i18n::msg;
use crate::base::layout::CONTENT_DIR;
use crate::base::markup;
use crate::config::Config;
// `is_ignored` lives with the walk in `crate::base::fs`; code that names it here still works.
pub use crate::base::fs::is_ignored;

/// What a content file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// `_index.md`: the section of its folder.
    Section,
    /// `name.md`, or `name/index.md` (a page bundle).
    Page,
    /// Any other file: copied as is.
    Asset,
}

/// One file found under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to `content/`, with `/` separators.
    pub relative: String,
    /// Section, page or asset.
    pub kind: SourceKind,
    /// The language code (the site's default when the name has no `.xx` suffix).
    pub lang: String,
    /// The path shared by all language versions (`spazi/via-piazzetta.md`).
    pub translation_key: String,
}

impl SourceFile {
    /// The folder the file is in, relative to `content/` (`""` for the root).
    pub fn folder(&self) -> &str {
        self.relative.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The paths other files may use for it: its own, and for a page bundle the short form
    /// `spazi/via-statuto.md` of `spazi/via-statuto/index.md` (so that a space can become a
    /// folder with its photos without breaking the links and references to it).
    pub fn lookup_keys(&self) -> Vec<String> {
        let mut keys = vec![self.relative.clone()];
        if self.is_bundle() {
            let name = self.relative.rsplit('/').next().unwrap_or_default();
            let suffix = name.strip_prefix("index").unwrap_or(".md");
            if !self.folder().is_empty() {
                keys.push(format!("{}{suffix}", self.folder()));
            }
        }
        keys
    }

    /// True for `index.md` / `index.xx.md`: a page that owns its folder.
    pub fn is_bundle(&self) -> bool {
        self.kind == SourceKind::Page
            && (self.translation_key == "index.md" || self.translation_key.ends_with("/index.md"))
    }
}

/// The files of a site's `content/`, classified, and what went wrong listing them.
pub type Listing = (Vec<SourceFile>, Vec<Diagnostic>);

/// Lists the files under the `content/` folder of the site at `root`, classified. Unreadable
/// entries and symlink loops are diagnostics; the walk goes on past them. A site without the
/// folder has one diagnostic and no files.
pub fn discover(root: &Path, config: &Config) -> Listing {
    if !root.join(CONTENT_DIR).is_dir() {
        let missing = Diagnostic::new(
            Code::ContentMissing,
            CONTENT_DIR,
            msg!("the site has no content/ folder"),
        )
        .hint(msg!("create content/_index.md for the home page"));
        return (Vec::new(), vec![missing]);
    }
    let (found, mut errors) = fs::walk(root, Path::new(CONTENT_DIR));
    let classified = found.into_iter().map(|file| {
        classify(&file.relative, config).map(|source| SourceFile {
            path: file.path,
            ..source
        })
    });
    let files = values_or_errors(classified, &mut errors);
    (files, errors)
}

fn classify(relative: &str, config: &Config) -> Result<SourceFile, Diagnostic> {
    let (folder, name) = relative.rsplit_once('/').unwrap_or(("", relative));
    let mut file = SourceFile {
        path: PathBuf::new(),
        relative: relative.to_string(),
        kind: SourceKind::Asset,
        lang: config.language.clone(),
        translation_key: relative.to_string(),
    };
    let Some(stem) = name.strip_suffix(".md") else {
        // Published as it is, such a file would show its text unrendered, a draft's too.
        if let Some((stem, extension)) = name.rsplit_once('.')
            && !stem.is_empty()
            && ["md", "markdown"]
                .iter()
                .any(|e| extension.eq_ignore_ascii_case(e))
        {
            return Err(Diagnostic::new(
                Code::PathName,
                fs::join_slashed(Path::new(CONTENT_DIR), relative),
                msg!("wemi reads markdown only from files whose names end in `.md`, in lower case: this one would be published as it is, its text unrendered"),
            )
            .hint(msg!("rename it to `{name}`", name = format!("{stem}.md"))));
        }
        if !config.unsafe_html && markup::runs_scripts(name) {
            return Err(Diagnostic::new(
                Code::UnsafeActiveFile,
                fs::join_slashed(Path::new(CONTENT_DIR), relative),
                msg!("this file can run scripts in the browser, like raw HTML, which this site does not allow"),
            )
            .hint(msg!(
                "write the page in markdown, use an image format such as .png or .jpg, or allow raw HTML with `unsafe_html: true` under `markdown:` in site.yaml"
            )));
        }
        return Ok(file);
    };
    // Only a language of site.yaml is a suffix: any other dot is part of the name
    // (`Microsoft.Windows.Bcd.md`, `v1.2-note.md`), slugified with the rest of it.
    let (base, lang) = match stem.rsplit_once('.') {
        Some((base, code)) if !base.is_empty() && config.has_language(code) => (base, Some(code)),
        _ => (stem, None),
    };
    if let Some(code) = lang {
        file.lang = code.to_string();
    }
    let key_name = format!("{base}.md");
    file.translation_key = if folder.is_empty() {
        key_name
    } else {
        format!("{folder}/{key_name}")
    };
    file.kind = if base == "_index" {
        SourceKind::Section
    } else {
        SourceKind::Page
    };
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::parse(
            "title: t\nbase_url: https://x.it/\nlanguages:\n  en: {}\n",
            None,
        )
        .unwrap()
    }

    #[test]
    fn classification() {
        let c = config();
        let f = classify("spazi/_index.md", &c).unwrap();
        assert_eq!((f.kind, f.lang.as_str()), (SourceKind::Section, "it"));
        let f = classify("spazi/via-piazzetta.en.md", &c).unwrap();
        assert_eq!(f.kind, SourceKind::Page);
        assert_eq!(f.lang, "en");
        assert_eq!(f.translation_key, "spazi/via-piazzetta.md");
        assert_eq!(f.folder(), "spazi");
        let f = classify("spazi/via-statuto/index.md", &c).unwrap();
        assert!(f.is_bundle());
        assert_eq!(
            f.lookup_keys(),
            ["spazi/via-statuto/index.md", "spazi/via-statuto.md"]
        );
        let f = classify("spazi/via-statuto/index.en.md", &c).unwrap();
        assert_eq!(f.lookup_keys()[1], "spazi/via-statuto.en.md");
        let f = classify("spazi/via-statuto/foto.jpg", &c).unwrap();
        assert_eq!(f.kind, SourceKind::Asset);
    }

    #[test]
    fn only_a_language_of_the_site_is_a_suffix() {
        let c = config();
        for (name, key) in [
            // `fr` is not a language of this site: part of the name, like any other dot.
            ("spazi/x.fr.md", "spazi/x.fr.md"),
            ("Microsoft.Windows.Bcd.md", "Microsoft.Windows.Bcd.md"),
            ("note/v1.2-note.md", "note/v1.2-note.md"),
            ("a..md", "a..md"),
            (".en.md", ".en.md"),
            // A language of the site after other dots is still a language.
            ("note/v1.2.en.md", "note/v1.2.md"),
        ] {
            let f = classify(name, &c).unwrap();
            assert_eq!(f.kind, SourceKind::Page, "{name}");
            assert_eq!(f.translation_key, key, "{name}");
            let lang = if key == name { "it" } else { "en" };
            assert_eq!(f.lang, lang, "{name}");
        }
        assert_eq!(classify("x.en.md", &c).unwrap().lang, "en");
        assert_eq!(classify("x.EN.md", &c).unwrap().lang, "it");
        // Markdown that a name would leave unrendered, published as it is.
        for (name, renamed) in [
            ("spazi/segreta.MD", "segreta.md"),
            ("spazi/nota.Md", "nota.md"),
            ("notizie/a.b.markdown", "a.b.md"),
        ] {
            let e = classify(name, &c).unwrap_err();
            assert_eq!(e.code, Code::PathName, "{name}");
            assert_eq!(
                e.hint.as_deref(),
                Some(format!("rename it to `{renamed}`").as_str()),
                "{name}"
            );
        }
    }

    #[test]
    fn files_that_run_scripts_are_raw_html() {
        let c = config();
        for name in [
            "spazi/x/mappa.svg",
            "a.HTML",
            "b/pagina.htm",
            "c.xhtml",
            "d.js",
        ] {
            let d = classify(name, &c).unwrap_err();
            assert_eq!(d.path, Path::new("content").join(name));
            assert!(d.hint.unwrap().contains("unsafe_html"));
        }
        assert!(classify("spazi/x/foto.jpg", &c).is_ok());
        let allowed = Config::parse(
            "title: t\nbase_url: https://x.it/\nmarkdown: { unsafe_html: true }\n",
            None,
        )
        .unwrap();
        assert_eq!(
            classify("spazi/x/mappa.svg", &allowed).unwrap().kind,
            SourceKind::Asset
        );
    }
}
