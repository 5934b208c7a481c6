//! The orchestrator: the stage calls that `wemi build`, `wemi check` and `wemi serve` share.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::base::error::{self, Code, Diagnostic, Error, Result};
use crate::base::fingerprint;
use crate::base::i18n::msg;
use crate::base::layout;
use crate::base::progress::{Phase, Progress};
use crate::config::Config;
use crate::content::document;
use crate::content::source::{self, SourceKind};
use crate::content::{data, theme};
use crate::output::{self, OutputFile, OutputSet, WriteReport};
use crate::render::bodies::Bodies;
use crate::render::{Templates, view};
use crate::site::links::Unparsed;
use crate::site::{self, Site};
use crate::tools::external;
use crate::{base, content, generated, render};

/// What `wemi build` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildOptions {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// The output folder; `<root>/public` when not given.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Includes pages marked `draft: true`.
    pub drafts: bool,
}

/// A rendered site.
pub struct Generated {
    /// The assembled site.
    pub site: Site,
    /// What the templates saw.
    pub values: view::SiteValues,
    /// The theme, ready to render more pages.
    pub renderer: render::Renderer,
    /// Every output file.
    pub output: OutputSet,
}

/// What a successful build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildReport {
    /// Pages rendered.
    pub pages: usize,
    /// Sections rendered (the home page included).
    pub sections: usize,
    /// What writing did.
    pub write: WriteReport,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Wall time of each phase.
    pub phases: Vec<(Phase, Duration)>,
}

/// What `wemi check` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Checks drafts too.
    pub drafts: bool,
    /// Also asks every external link's server.
    pub external: bool,
}

/// What a successful check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Pages checked.
    pub pages: usize,
    /// Sections checked.
    pub sections: usize,
    /// Problems that do not stop a build (unreachable external links).
    pub warnings: Vec<Diagnostic>,
}

/// `wemi check`: everything `build` validates, without writing anything.
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let config = Config::load(&options.root, None)?;
    let generated = generate(
        &options.root,
        config,
        options.drafts,
        None,
        &Progress::default(),
        None,
    )?;
    let site = &generated.site;
    let mut warnings = Vec::new();
    if options.external {
        let (errors, found): (Vec<_>, Vec<_>) = external::check(site.documents())
            .into_iter()
            .partition(|d| d.severity == error::Severity::Error);
        if !errors.is_empty() {
            return Err(Error::site(errors));
        }
        warnings = found;
    }
    Ok(CheckReport {
        pages: site.pages.len(),
        sections: site.sections.len(),
        warnings,
    })
}

/// `wemi build`: renders the site and writes it. On any error nothing is written.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    build_with_progress(options, &Progress::default())
}

/// [`build`], telling `progress` how far it has got.
pub fn build_with_progress(options: &BuildOptions, progress: &Progress) -> Result<BuildReport> {
    progress.start(Phase::Inputs, 0);
    let config = Config::load(&options.root, options.base_url.as_deref())?;
    let root = absolute(&options.root);
    let out_dir = output_dir(&root, options.output.as_deref())?;
    let state = output::state::State::for_output(&root, &out_dir);
    let inputs = fingerprint::inputs(&options.root, &(&options.base_url, options.drafts));
    if let Some((record, files)) = inputs.and_then(|i| state.unchanged_since(&out_dir, i)) {
        return Ok(BuildReport {
            pages: record.pages,
            sections: record.sections,
            write: WriteReport {
                unchanged: files,
                ..WriteReport::default()
            },
            elapsed: progress.elapsed(),
            phases: progress.timings(),
        });
    }
    let stage = output::Stage::open(&out_dir, state).map_err(Error::site)?;
    let mut generated = generate(
        &options.root,
        config,
        options.drafts,
        Some(&stage),
        progress,
        None,
    )?;
    progress.start(Phase::Write, generated.output.len());
    let record = inputs.map(|inputs| output::state::Record {
        inputs,
        pages: generated.site.pages.len(),
        sections: generated.site.sections.len(),
    });
    let write = stage
        .commit(&mut generated.output, record)
        .map_err(Error::site)?;
    let report = BuildReport {
        pages: generated.site.pages.len(),
        sections: generated.site.sections.len(),
        write,
        elapsed: progress.elapsed(),
        phases: progress.timings(),
    };
    // Freeing hundreds of thousands of small values takes a noticeable part of a build: it
    // happens on another thread, which a command line run does not wait for at exit.
    std::thread::spawn(move || drop(generated));
    Ok(report)
}

/// The output folder (absolute), refused when writing there could damage the site's own
/// files: it may not be the site root, an input folder or the build's state folder, nor
/// contain or lie inside any of them.
fn output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf> {
    let out = match output {
        Some(out) if out.is_absolute() => absolute(out),
        Some(out) => absolute(&std::env::current_dir().unwrap_or_default().join(out)),
        None => layout::default_output(root),
    };
    if let Some(dir) = layout::protected_folder_at(root, &out) {
        return Err(Error::usage(vec![
            Diagnostic::new(
                Code::OutputProtectedFolder,
                &out,
                msg!(
                    "refusing to write the site into {output}: it is or contains {folder}",
                    output = out.display(),
                    folder = dir.display()
                ),
            )
            .hint(msg!("choose an output folder of its own, such as public/")),
        ]));
    }
    Ok(out)
}

/// An absolute, normalised form of `path` (following links for the part that exists).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(path),
    }
}

/// Loads, assembles and renders the site: in memory, or with changed files in `stage`.
/// With a `cache`, documents whose files did not change since it saw them are not parsed
/// again (and the cache learns this build's files).
pub fn generate(
    root: &Path,
    config: Config,
    drafts: bool,
    stage: Option<&output::Stage>,
    progress: &Progress,
    cache: Option<&mut content::cache::DocumentCache>,
) -> Result<Generated> {
    progress.start(Phase::Read, 0);
    let content_dir = root.join(layout::CONTENT_DIR);
    let (files, mut errors) = if content_dir.is_dir() {
        source::discover(&content_dir, &config)
    } else {
        (
            Vec::new(),
            vec![
                Diagnostic::new(
                    Code::ContentMissing,
                    layout::CONTENT_DIR,
                    msg!("the site has no content/ folder"),
                )
                .hint(msg!("create content/_index.md for the home page")),
            ],
        )
    };
    let theme = theme::load(root, &config).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        theme::Theme::default()
    });
    let data = data::load(root).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        tera::Value::none()
    });
    let (texts, assets): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.kind != SourceKind::Asset);
    progress.set_total(texts.len());
    let known = cache.as_deref();
    let parsed: Vec<_> = texts
        .into_par_iter()
        .with_max_len(base::PARALLEL_BATCH)
        .map(|file| {
            let doc = match known {
                Some(cache) => cache.read(file, &config),
                None => (document::read(file, &config).map(Arc::new), None),
            };
            progress.step();
            doc
        })
        .collect();
    let mut documents = Vec::with_capacity(parsed.len());
    let mut entries = Vec::new();
    for (p, entry) in parsed {
        match p {
            Ok(doc) => documents.push(doc),
            Err(mut rejected) => errors.append(&mut rejected.errors),
        }
        entries.extend(entry);
    }
    if let Some(cache) = cache {
        cache.replace(entries);
    }
    if !errors.is_empty() {
        return Err(Error::site(errors));
    }

    // Drafts, and the files of draft page bundles, stay out unless asked for.
    let draft_bundles: Vec<String> = documents
        .iter()
        .filter(|d| d.meta.draft && d.source.is_bundle())
        .map(|d| format!("{}/", d.source.folder()))
        .collect();
    if !drafts {
        documents.retain(|d| !d.meta.draft);
    }
    let assets = assets
        .into_iter()
        .filter(|a| {
            drafts
                || !draft_bundles
                    .iter()
                    .any(|b| a.relative.starts_with(b.as_str()))
        })
        .collect();

    progress.start(Phase::Assemble, 0);
    let (site, errors) = site::assemble(config, documents, assets);
    if !errors.is_empty() {
        return Err(Error::site(errors));
    }
    let mut errors = site::references::check(&site, &Unparsed::default());
    let (bodies, mut link_errors) = Bodies::linked(&site, &Unparsed::default());
    errors.append(&mut link_errors);
    if !errors.is_empty() {
        return Err(Error::site(errors));
    }
    progress.start(Phase::Views, 0);
    let config_value = view::config_value(&site.config).map_err(|d| Error::site(vec![d]))?;
    let templates =
        Templates::load(&theme, &site.config, &config_value, &data).map_err(Error::site)?;
    let bodies = if Bodies::have_shortcodes(&site) {
        // Shortcodes see the site as it is before they are rendered.
        let values = view::build(&site, &bodies).map_err(Error::site)?;
        let (bodies, errors) = bodies.with_shortcodes(&site, &templates.renderer(&site, &values));
        if !errors.is_empty() {
            return Err(Error::site(errors));
        }
        bodies
    } else {
        bodies
    };
    let values = view::build(&site, &bodies).map_err(Error::site)?;
    let renderer = templates.renderer(&site, &values);
    // Feeds and sitemap are made while the pages render.
    let (output, generated_files) = rayon::join(
        || render::render(&site, &values, &renderer, stage, progress),
        || generated::files(&site, &bodies),
    );
    let mut output = output.map_err(Error::site)?;
    progress.start(Phase::Generate, 0);
    let mut errors = generated::add(generated_files, &mut output);

    let copies = theme
        .static_files
        .iter()
        .map(|(path, src)| (path.clone(), src.clone()))
        .chain(
            site.assets
                .iter()
                .map(|a| (a.path.clone(), a.source.clone())),
        );
    for (path, src) in copies {
        let origin = src.strip_prefix(root).unwrap_or(&src).display().to_string();
        let inserted = output::checked(&path, &origin)
            .and_then(|path| output.insert(path, OutputFile::Copied(src), origin));
        if let Err(d) = inserted {
            errors.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(Error::site(errors));
    }
    Ok(Generated {
        site,
        values,
        renderer,
        output,
    })
}
