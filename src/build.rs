//! The orchestrator: `wemi build`, `wemi check` and `wemi serve` run the one pipeline,
//! [`render_site`], whose stages are called here in order:
//!
//! ```text
//! read ─▶ assemble ─▶ finish ─▶ views ─▶ render (+ generated files, copies) ─▶ commit (build)
//! ```

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
use crate::content::cache::DocumentCache;
use crate::content::data;
use crate::content::document::{self, Document, Rejected};
use crate::content::source::{self, Listing, SourceFile, SourceKind};
use crate::content::theme::{self, Theme};
use crate::output::assets::Assets;
use crate::output::{self, Keeping, OutputFile, OutputSet, WriteReport};
use crate::render::bodies::{self, Bodies};
use crate::render::images::{ImageReport, Images};
use crate::render::view::{self, SiteValues};
use crate::render::{Renderer, Templates};
use crate::site::links::Unparsed;
use crate::site::{self, Site};
use crate::tools::{external, hosts};
use crate::{base, generated, render};

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
    /// Problems that do not stop a build (texts missing from a translation).
    pub warnings: Vec<Diagnostic>,
    /// The resized images made, and those taken from `.wemi/images/`.
    pub images: ImageReport,
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
    /// Makes a page that contacts another host an error rather than a warning.
    pub strict: bool,
}

/// What a successful check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// Pages checked.
    pub pages: usize,
    /// Sections checked.
    pub sections: usize,
    /// Problems that do not stop a build (texts missing from a translation, unreachable
    /// external links).
    pub warnings: Vec<Diagnostic>,
}

/// `wemi check`: everything `build` validates, without writing anything, and the other hosts
/// the site would make a browser contact (warnings, errors when `strict`).
pub fn check(options: &CheckOptions) -> Result<CheckReport> {
    let config = Config::load(&options.root, None)?;
    // Absolute and real, as the walks give files: messages then name them from the root.
    let root = absolute(&options.root);
    let run = Run {
        root: &root,
        drafts: options.drafts,
        mode: Mode::Check,
        progress: &Progress::default(),
        listing: None,
    };
    let rendered = render_site(config, run)?;
    let site = &rendered.site;
    let mut warnings = rendered.warnings.clone();
    let mut errors = Vec::new();
    let contacts = hosts::check(&rendered.output, &site.config, &options.root);
    if options.strict {
        errors.extend(contacts.into_iter().map(|mut d| {
            d.severity = error::Severity::Error;
            d
        }));
    } else {
        warnings.extend(contacts);
    }
    if options.external {
        let (mut unreachable, mut found): (Vec<_>, Vec<_>) = external::check(site.documents())
            .into_iter()
            .partition(|d| d.severity == error::Severity::Error);
        errors.append(&mut unreachable);
        warnings.append(&mut found);
    }
    if !errors.is_empty() {
        return Err(Error::site(errors));
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
    let fingerprint = || fingerprint::inputs(&options.root, &(&options.base_url, options.drafts));
    // With a record of the last build, the inputs' fingerprint may show that there is nothing
    // to do. Without one it is only kept for the next build, so it is taken while content/ is
    // listed: both end before any file is read.
    let (inputs, listing) = if state.has_record() {
        let inputs = fingerprint();
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
                warnings: Vec::new(),
                images: ImageReport::default(),
            });
        }
        (inputs, None)
    } else {
        let list = || source::discover(&options.root, &config);
        let (inputs, listing) = rayon::join(fingerprint, list);
        (inputs, Some(listing))
    };
    let stage = output::Stage::open(&out_dir, state)
        .map_err(Error::site)?
        .publishing(config.publish);
    let run = Run {
        // Absolute and real, as the walks give files: messages then name them from the root.
        root: &root,
        drafts: options.drafts,
        mode: Mode::Build(&stage),
        progress,
        listing,
    };
    let mut rendered = render_site(config, run)?;
    progress.start(Phase::Write, rendered.output.len());
    // A build with warnings is not recorded as up to date: the next one, not skipped, shows
    // them again (the placeholders of a draft built with --drafts, for one).
    let inputs = inputs.filter(|_| rendered.warnings.is_empty());
    let record = inputs.map(|inputs| output::state::Record {
        inputs,
        pages: rendered.site.pages.len(),
        sections: rendered.site.sections.len(),
    });
    let write = stage
        .commit(&mut rendered.output, record)
        .map_err(Error::site)?;
    let report = BuildReport {
        pages: rendered.site.pages.len(),
        sections: rendered.site.sections.len(),
        write,
        elapsed: progress.elapsed(),
        phases: progress.timings(),
        warnings: std::mem::take(&mut rendered.warnings),
        images: rendered.images,
    };
    // Freeing hundreds of thousands of small values takes a noticeable part of a build: it
    // happens on another thread, which a command line run does not wait for at exit.
    std::thread::spawn(move || drop(rendered));
    Ok(report)
}

/// The output folder (absolute), refused when writing there could damage the site's own
/// files: it may not be the site root, an input folder or the build's state folder, nor
/// contain or lie inside any of them.
fn output_dir(root: &Path, output: Option<&Path>) -> Result<PathBuf> {
    let out = match output {
        Some(out) if out.is_absolute() => absolute(out),
        Some(out) => absolute(&std::env::current_dir().unwrap_or_default().join(out)),
        // `public` too may be a link, which leads where the site's files are.
        None => absolute(&layout::default_output(root)),
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
    if let Some(link) = layout::state_link(root) {
        return Err(Error::usage(vec![state_link_error(&link)]));
    }
    Ok(out)
}

/// The error of a symbolic link where wemi keeps its state ([`layout::state_link`]).
pub fn state_link_error(link: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::OutputSymlink,
        link,
        msg!("wemi keeps its state here, and this is a symbolic link"),
    )
    .hint(msg!(
        "remove the link (wemi makes what it needs again): wemi never writes through links"
    ))
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

/// What a run of the pipeline is for: where rendered files go, and what it may reuse.
pub enum Mode<'a> {
    /// `wemi check`: every page is rendered and its bytes dropped at once; only the output
    /// paths are kept, to be checked.
    Check,
    /// `wemi build`: each changed file is staged on disk as soon as it is rendered.
    Build(&'a output::Stage),
    /// `wemi serve`: staged on disk in serve's own folder as `wemi build` does (committed by
    /// serve), or in memory without a stage (the editor's check of a page); the documents of
    /// files unchanged since the cache saw them are not parsed again, and the cache learns
    /// this run's files.
    Serve(&'a mut DocumentCache, Option<&'a output::Stage>),
}

/// One run of the pipeline over a site.
pub struct Run<'a> {
    /// The site folder.
    pub root: &'a Path,
    /// Includes pages marked `draft: true`.
    pub drafts: bool,
    /// What the run is for.
    pub mode: Mode<'a>,
    /// Told how far the run has got.
    pub progress: &'a Progress,
    /// The files of content/, when they were listed before the run (see [`build`]); `None`:
    /// the run lists them.
    pub listing: Option<Listing>,
}

/// What a run of the pipeline made.
pub struct RenderedSite {
    /// The assembled site.
    pub site: Site,
    /// What the templates saw.
    pub values: SiteValues,
    /// The theme, ready to render more pages of this site.
    pub renderer: Renderer,
    /// Every output file.
    pub output: OutputSet,
    /// Problems that do not stop the run (placeholders of `wemi new` in a preview, texts missing
    /// from a translation).
    pub warnings: Vec<Diagnostic>,
    /// The resized images made, and those taken from `.wemi/images/`.
    pub images: ImageReport,
}

/// The pipeline shared by `wemi build`, `check` and `serve`: reads the site's files,
/// assembles the site, finishes its pages (links, shortcodes), builds the views templates
/// see, renders every page and adds the files made without templates and those copied.
///
/// Every stage reports all it finds and the next ones run on what is sound, so that one run
/// shows every error: a file that does not parse is left out (links to it are not reported
/// as broken), the rest is still assembled and checked. Only rendering needs a site without
/// errors.
pub fn render_site(config: Config, mut run: Run) -> Result<RenderedSite> {
    let progress = run.progress;
    let mut errors = Vec::new();
    let listing = run.listing.take();
    let inputs = read(
        &config,
        run.root,
        listing,
        &mut run.mode,
        progress,
        &mut errors,
    );
    let mut warnings = Vec::new();
    // A page with placeholders of `wemi new` is never published: they are errors on a page
    // this run would publish, and warnings on a draft it leaves out (still to be completed)
    // and in a preview. A file that did not parse is never published: on it they are errors,
    // beside the others, unless previewing.
    let preview = run.drafts || matches!(run.mode, Mode::Serve(..));
    for doc in &inputs.documents {
        let placeholders = doc.placeholders.iter().cloned();
        if preview || doc.meta.draft {
            warnings.extend(placeholders.map(Diagnostic::warning));
        } else {
            errors.extend(placeholders);
        }
    }
    let unparsed_placeholders = inputs.unparsed.iter().flat_map(|r| &r.placeholders);
    if preview {
        warnings.extend(unparsed_placeholders.cloned().map(Diagnostic::warning));
    } else {
        errors.extend(unparsed_placeholders.cloned());
    }
    let Inputs {
        documents,
        unparsed,
        assets,
        theme,
        theme_assets,
        templates,
    } = without_drafts(inputs, run.drafts);

    warnings.extend(documents.iter().flat_map(|d| d.warnings.iter().cloned()));

    progress.start(Phase::Assemble, 0);
    let (site, mut assembly_errors) = site::assemble(config, documents, assets);
    errors.append(&mut assembly_errors);

    progress.start(Phase::Finish, 0);
    let images = Arc::new(Images::new(&site, &theme, run.root));
    let (bodies, shortcode_values) = finish(
        &site,
        &unparsed,
        &theme,
        templates.as_ref(),
        &images,
        &mut errors,
    );
    let Some(templates) = templates.filter(|_| errors.is_empty()) else {
        return Err(Error::site(errors));
    };

    progress.start(Phase::Views, 0);
    let values = match shortcode_values {
        Some(values) => view::with_sections(values, &site, &bodies),
        None => view::build(&site, &bodies),
    }
    .map_err(Error::site)?;
    let renderer = templates.renderer(&site, values.views(), &images);
    let copies = Copies {
        theme: &theme,
        theme_assets: &theme_assets,
    };
    let (output, images) =
        render(&site, &bodies, &values, &renderer, copies, &images, &run).map_err(Error::site)?;
    Ok(RenderedSite {
        site,
        values,
        renderer,
        output,
        warnings: [warnings, theme.warnings].concat(),
        images,
    })
}

/// What the read stage found.
struct Inputs {
    /// The content files that parsed.
    documents: Vec<Arc<Document>>,
    /// Those that did not.
    unparsed: Vec<Rejected>,
    /// The files copied as they are.
    assets: Vec<SourceFile>,
    theme: Theme,
    /// The theme's static files as the templates' `asset` function finds them.
    theme_assets: Assets,
    /// The theme's templates, when they loaded.
    templates: Option<Templates>,
}

/// Finds and parses the content files (in parallel), loads the theme and the data files.
/// Their errors go to `errors`; what failed is left out.
fn read(
    config: &Config,
    root: &Path,
    listing: Option<Listing>,
    mode: &mut Mode,
    progress: &Progress,
    errors: &mut Vec<Diagnostic>,
) -> Inputs {
    progress.start(Phase::Read, 0);
    let (files, mut found) = listing.unwrap_or_else(|| source::discover(root, config));
    errors.append(&mut found);
    let (theme, mut theme_errors) = theme::load(root, config);
    errors.append(&mut theme_errors);
    let (theme_assets, mut asset_errors) = Assets::load(&theme, root, config.publish);
    errors.append(&mut asset_errors);
    let data = data::load(root).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        tera::Value::none()
    });
    let (texts, assets): (Vec<_>, Vec<_>) =
        files.into_iter().partition(|f| f.kind != SourceKind::Asset);
    progress.set_total(texts.len());
    let (documents, mut unparsed) = parse_all(texts, config, mode, progress);
    for rejected in &mut unparsed {
        errors.append(&mut rejected.errors);
    }
    let templates = view::config_value(config)
        .map_err(|e| vec![e])
        .and_then(|config_value| {
            Templates::load(&theme, &theme_assets, config, &config_value, &data)
        })
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    Inputs {
        documents,
        unparsed,
        assets,
        theme,
        theme_assets,
        templates,
    }
}

/// Parses every file of `texts` (in parallel): the documents, and the files that did not
/// parse. With a cache ([`Mode::Serve`]), unchanged files are taken from it, and it learns
/// this run's files.
fn parse_all(
    texts: Vec<SourceFile>,
    config: &Config,
    mode: &mut Mode,
    progress: &Progress,
) -> (Vec<Arc<Document>>, Vec<Rejected>) {
    let cache = match mode {
        Mode::Serve(cache, _) => Some(&mut **cache),
        Mode::Check | Mode::Build(_) => None,
    };
    let known = cache.as_deref();
    let pack = crate::markdown::packs_bodies(texts.len());
    let parsed: Vec<_> = texts
        .into_par_iter()
        .with_max_len(base::PARALLEL_BATCH)
        .map(|file| {
            let doc = match known {
                Some(cache) => cache.read(file, config, pack),
                None => (
                    document::read(file, config).map(|doc| Arc::new(doc.packed_if(pack))),
                    None,
                ),
            };
            progress.step();
            doc
        })
        .collect();
    let mut documents = Vec::with_capacity(parsed.len());
    let mut unparsed = Vec::new();
    let mut entries = Vec::new();
    for (p, entry) in parsed {
        match p {
            Ok(doc) => documents.push(doc),
            Err(rejected) => unparsed.push(rejected),
        }
        entries.extend(entry);
    }
    if let Some(cache) = cache {
        cache.replace(entries);
    }
    (documents, unparsed)
}

/// `inputs` without drafts and the files of draft page bundles, unless `drafts` asks for them.
fn without_drafts(mut inputs: Inputs, drafts: bool) -> Inputs {
    if drafts {
        return inputs;
    }
    let draft_bundles: Vec<String> = inputs
        .documents
        .iter()
        .filter(|d| d.meta.draft && d.source.is_bundle())
        .map(|d| format!("{}/", d.source.folder()))
        .collect();
    inputs.documents.retain(|d| !d.meta.draft);
    inputs.assets.retain(|a| {
        !draft_bundles
            .iter()
            .any(|b| a.relative.starts_with(b.as_str()))
    });
    inputs
}

/// The finishing stage: checks the site's references and links, and makes each page's final
/// body. Shortcodes are rendered only on a site without errors so far (a call may look up
/// any page) whose templates loaded; otherwise their names (and, when the templates loaded,
/// their arguments) alone are checked.
///
/// With the bodies come the values made for the shortcodes to see, when they are still
/// right for the final bodies but for the sections' ([`view::with_sections`]): when no
/// page's summary changed, the one part of a body a page's value holds.
fn finish(
    site: &Site,
    unparsed: &[Rejected],
    theme: &Theme,
    templates: Option<&Templates>,
    images: &Arc<Images>,
    errors: &mut Vec<Diagnostic>,
) -> (Bodies, Option<SiteValues>) {
    let unparsed_files = Unparsed::new(unparsed.iter().map(|r| &r.source));
    for rejected in unparsed {
        let (_, mut link_errors) =
            site.links
                .hrefs(&rejected.source, &rejected.internal_links, &unparsed_files);
        errors.append(&mut link_errors);
    }
    errors.append(&mut site::references::check(site, &unparsed_files));
    let whole = errors.is_empty();
    let (bodies, mut link_errors) = Bodies::linked(site, &unparsed_files);
    errors.append(&mut link_errors);
    let Some(templates) = templates.filter(|_| whole) else {
        errors.append(&mut bodies::check_calls(site, theme, templates));
        return (bodies, None);
    };
    if !Bodies::have_shortcodes(site) {
        return (bodies, None);
    }
    // Shortcodes see the pages as they are before shortcodes are rendered.
    match view::build(site, &bodies) {
        Ok(values) => {
            let summaries = bodies.shortcode_summaries(site);
            let (bodies, mut shortcode_errors) =
                bodies.with_shortcodes(site, &templates.renderer(site, values.views(), images));
            errors.append(&mut shortcode_errors);
            let kept = bodies.same_summaries(&summaries).then_some(values);
            (bodies, kept)
        }
        Err(mut e) => {
            errors.append(&mut e);
            (bodies, None)
        }
    }
}

/// The files a build copies: the theme's static files, and its stylesheets and scripts under
/// their hashed names.
#[derive(Clone, Copy)]
struct Copies<'a> {
    theme: &'a Theme,
    theme_assets: &'a Assets,
}

/// Every output file: each page rendered (staged on disk as soon as it is, with a stage)
/// while the files made without templates (feeds, sitemap, redirects) are made, then the
/// resized images the templates asked for (made unless checking) and the files copied as
/// they are.
fn render(
    site: &Site,
    bodies: &Bodies,
    values: &SiteValues,
    renderer: &Renderer,
    copies: Copies,
    images: &Images,
    run: &Run,
) -> std::result::Result<(OutputSet, ImageReport), Vec<Diagnostic>> {
    let keeping = match &run.mode {
        Mode::Build(stage) | Mode::Serve(_, Some(stage)) => Keeping::Staged(stage),
        Mode::Check => Keeping::Nowhere,
        Mode::Serve(_, None) => Keeping::Memory,
    };
    let (output, generated_files) = rayon::join(
        || render::render(site, values, bodies, renderer, keeping, run.progress),
        || generated::files(site, bodies),
    );
    let mut output = output?;
    run.progress.start(Phase::Generate, 0);
    let mut errors = generated::add(generated_files, &mut output);
    let (report, mut image_errors) = images.produce(&mut output, !matches!(run.mode, Mode::Check));
    errors.append(&mut image_errors);
    errors.append(&mut add_copies(&mut output, copies.theme, site, run.root));
    errors.append(
        &mut copies
            .theme_assets
            .add_to(&mut output, copies.theme, run.root),
    );
    if site.config.publish.precompress {
        errors.append(&mut output.compressed_copy_collisions());
    }
    if errors.is_empty() {
        Ok((output, report))
    } else {
        Err(errors)
    }
}

/// Adds the theme's static files and the site's assets to `output`, copied as they are; the
/// errors are the paths that cannot be written or are taken twice.
fn add_copies(output: &mut OutputSet, theme: &Theme, site: &Site, root: &Path) -> Vec<Diagnostic> {
    let copies = theme
        .static_files
        .iter()
        .map(|(path, src)| (path.clone(), src.clone()))
        .chain(
            site.assets
                .iter()
                .map(|a| (a.path.clone(), a.source.clone())),
        );
    let mut errors = Vec::new();
    for (path, src) in copies {
        let origin = src.strip_prefix(root).unwrap_or(&src).display().to_string();
        let inserted = output::checked(&path, &origin)
            .and_then(|path| output.insert(path, OutputFile::Copied(src), origin));
        if let Err(d) = inserted {
            errors.push(d);
        }
    }
    errors
}
