//! Resized images for templates: `resize_image(path="foto.jpg", width=800, format="webp")`
//! gives `{url, width, height}` of a version of an image co-located with content or in
//! `static/`, at most `width` pixels wide (never wider than the original), in its aspect ratio.
//!
//! While pages render, a call only reads the image's header (size, format, EXIF orientation)
//! and notes what is wanted ([`Images`]); once every page has rendered, [`Images::produce`]
//! makes the missing versions in parallel and adds every one to the output, so that they are
//! written like any other file (staged, committed, in the manifest).
//!
//! Each version is named after its original, its width and a hash of the original's bytes and
//! of the parameters (`foto.800w.1f3a9c0d2b4e6a78.webp`, beside the original): a new photo
//! under the same name gets a new address, so hosts may cache them for ever. The versions are
//! kept between builds in `.wemi/images/` (named by the same hash), which `wemi serve` shares:
//! a build that finds a version there decodes and encodes nothing.

mod codec;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::{Text, msg};
use crate::base::layout::STATE_DIR;
use crate::config::Config;
use crate::content::theme::Theme;
use crate::output::state::stable_hash;
use crate::output::{self, OutputFile, OutputSet};
use crate::site::Site;

use codec::Refusal;
pub use codec::{Format, Header, header};

/// The folder of `.wemi/` holding the versions made by earlier builds.
pub const CACHE_DIR: &str = "images";

/// The lossy formats' quality when a template does not say.
pub const DEFAULT_QUALITY: u8 = 80;

/// Changes when the way versions are made changes, so that older ones are made again.
const RECIPE: u64 = 1;

/// The images of one run of the pipeline: where each can be found, and the versions the
/// templates asked for.
#[derive(Default)]
pub struct Images {
    /// Site path of each image a template may resize (`spazi/x/foto.jpg`, `img/logo.png`) →
    /// the file, and the path shown in messages.
    sources: HashMap<String, (PathBuf, PathBuf)>,
    /// `.wemi/images/` of the site.
    cache_dir: PathBuf,
    /// What is known of each source read so far, by site path.
    read: Mutex<HashMap<String, Option<Arc<Source>>>>,
    /// The versions asked for, by output path.
    wanted: Mutex<BTreeMap<String, Version>>,
    /// The sources that cannot be used, one error each.
    errors: Mutex<Vec<Diagnostic>>,
    /// The site's root-relative URLs start with this (`/` or `/sub/`).
    base_path: String,
}

/// One image file, as its header describes it.
struct Source {
    file: PathBuf,
    shown: PathBuf,
    /// Hash of the file's bytes.
    hash: u64,
    header: codec::Header,
}

/// One resized version.
#[derive(Clone)]
struct Version {
    file: PathBuf,
    shown: PathBuf,
    width: u32,
    height: u32,
    format: Format,
    quality: u8,
    /// Its file in `.wemi/images/`.
    cached: PathBuf,
}

/// What a template gets from `resize_image`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Resized {
    /// Root-relative URL of the version.
    pub url: String,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
}

/// What [`Images::produce`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImageReport {
    /// Versions decoded, resized and encoded by this run.
    pub made: usize,
    /// Versions taken as they were from `.wemi/images/`.
    pub reused: usize,
}

impl Images {
    /// The images of `site` (its co-located files) and of `theme` (the static files, the
    /// site's own included), with the versions of the site at `root`.
    pub fn new(site: &Site, theme: &Theme, root: &Path) -> Images {
        let shown = |file: &Path| file.strip_prefix(root).unwrap_or(file).to_path_buf();
        let statics = theme.static_files.iter();
        let assets = site.assets.iter().map(|a| (&a.path, &a.source));
        let sources = statics
            .chain(assets)
            .filter(|(path, _)| looks_like_image(path))
            .map(|(path, file)| (path.clone(), (file.clone(), shown(file))))
            .collect();
        Images {
            sources,
            cache_dir: root.join(STATE_DIR).join(CACHE_DIR),
            base_path: site.config.base_path.clone(),
            ..Images::default()
        }
    }

    /// `resize_image`: the version of the image at `path` (relative to `current_path`, the
    /// root-relative URL of the page being rendered, or itself root-relative) at most `width`
    /// pixels wide, in `format` (see [`Format::named`]). An image that cannot be used gets
    /// an error on its file, once, and gives its own address at width 0 here.
    pub fn resize(
        &self,
        config: &Config,
        path: &str,
        current_path: &str,
        width: u32,
        format: &str,
        quality: u8,
    ) -> Result<Resized, Text> {
        let site_path = self.site_path(path, current_path).ok_or_else(|| {
            msg!(
                "resize_image: there is no image `{path}` beside this page or in static/",
                path = path
            )
        })?;
        let Some(source) = self.source(&site_path) else {
            return Ok(Resized {
                url: config.url(&site_path),
                width: 0,
                height: 0,
            });
        };
        let format = Format::named(format, source.header.format).ok_or_else(|| {
            msg!(
                "resize_image: unknown format `{format}` (use webp, jpeg, png or original)",
                format = format
            )
        })?;
        if width == 0 || !(1..=100).contains(&quality) {
            return Err(msg!(
                "resize_image: `width` must be more than 0 and `quality` from 1 to 100"
            ));
        }
        let header = source.header;
        let width = width.min(header.width);
        let height = (u64::from(header.height) * u64::from(width) + u64::from(header.width) / 2)
            / u64::from(header.width);
        let height = u32::try_from(height.max(1)).unwrap_or(u32::MAX);
        let quality = if format == Format::Png { 0 } else { quality };
        let key = stable_hash(
            &[
                source.hash,
                RECIPE,
                u64::from(width),
                u64::from(quality),
                format as u64,
            ]
            .map(u64::to_le_bytes)
            .concat(),
        );
        let (folder, name) = site_path.rsplit_once('/').unwrap_or(("", &site_path));
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let ext = format.extension();
        let file_name = format!("{stem}.{width}w.{key:016x}.{ext}");
        let output = if folder.is_empty() {
            file_name
        } else {
            format!("{folder}/{file_name}")
        };
        let version = Version {
            file: source.file.clone(),
            shown: source.shown.clone(),
            width,
            height,
            format,
            quality,
            cached: self.cache_dir.join(format!("{key:016x}.{ext}")),
        };
        if let Ok(mut wanted) = self.wanted.lock() {
            wanted.entry(output.clone()).or_insert(version);
        }
        Ok(Resized {
            url: srcset_safe(config.url(&output)),
            width,
            height,
        })
    }

    /// The site path `path` names, seen from the page at `current_path`, if it is an image
    /// this run knows.
    fn site_path(&self, path: &str, current_path: &str) -> Option<String> {
        let from_root = |url: &str| {
            url.strip_prefix(self.base_path.as_str())
                .or_else(|| url.strip_prefix('/'))
                .map(str::to_string)
        };
        let joined = match path.strip_prefix('/') {
            Some(_) => from_root(path)?,
            None => {
                let page = from_root(current_path).unwrap_or_default();
                let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
                format!("{folder}/{path}")
            }
        };
        let mut segments: Vec<&str> = Vec::new();
        for segment in joined.split('/') {
            match segment {
                "" | "." => {}
                ".." => {
                    segments.pop()?;
                }
                s => segments.push(s),
            }
        }
        let site_path = segments.join("/");
        self.sources.contains_key(&site_path).then_some(site_path)
    }

    /// What the header of the image at `site_path` says, read once; `None` (and an error
    /// kept for the end of the run) when it cannot be used.
    fn source(&self, site_path: &str) -> Option<Arc<Source>> {
        if let Some(known) = self.read.lock().ok()?.get(site_path) {
            return known.clone();
        }
        let (file, shown) = self.sources.get(site_path)?;
        let read = read_source(file).map_err(|r| refused(shown, r));
        let source = match read {
            Ok((hash, header)) => Some(Arc::new(Source {
                file: file.clone(),
                shown: shown.clone(),
                hash,
                header,
            })),
            Err(error) => {
                if let Ok(mut errors) = self.errors.lock() {
                    errors.push(error);
                }
                None
            }
        };
        let mut read = self.read.lock().ok()?;
        // Two pages may read one image at once: the first answer kept is the one given.
        read.entry(site_path.to_string()).or_insert(source).clone()
    }

    /// Makes every version asked for that `.wemi/images/` lacks (in parallel), and adds every
    /// version to `output`, copied from there. With `make` false (`wemi check`), nothing is
    /// made or added: only the errors of the images are given.
    pub fn produce(&self, output: &mut OutputSet, make: bool) -> (ImageReport, Vec<Diagnostic>) {
        let mut errors = self
            .errors
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        let wanted = self
            .wanted
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        if !make {
            return (ImageReport::default(), errors);
        }
        let made: Vec<Result<bool, Diagnostic>> = wanted
            .par_iter()
            .map(|(_, version)| self.make(version))
            .collect();
        let mut report = ImageReport::default();
        for ((path, version), made) in wanted.iter().zip(made) {
            match made {
                Ok(true) => report.made += 1,
                Ok(false) => report.reused += 1,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            }
            let origin = version.shown.display().to_string();
            let inserted = output::checked(path, &origin).and_then(|path| {
                output.insert(path, OutputFile::Copied(version.cached.clone()), origin)
            });
            if let Err(error) = inserted {
                errors.push(error);
            }
        }
        (report, errors)
    }

    /// Makes `version` into `.wemi/images/` unless it is there: whether it was made.
    fn make(&self, version: &Version) -> Result<bool, Diagnostic> {
        if version.cached.is_file() {
            return Ok(false);
        }
        let bytes = read_bounded(&version.file).map_err(|r| refused(&version.shown, r))?;
        let made = codec::resized(
            &bytes,
            version.width,
            version.height,
            version.format,
            version.quality,
        )
        .map_err(|r| refused(&version.shown, r))?;
        write_cached(&self.cache_dir, &version.cached, &made).map_err(|e| {
            Diagnostic::new(
                Code::io(&e),
                &version.cached,
                msg!("cannot keep the resized image: {error}", error = e),
            )
            .hint(msg!("check that the site folder can be written"))
        })?;
        Ok(true)
    }
}

/// `url` with the characters that would end an entry of `srcset` (a space, a comma)
/// percent-encoded: an editor's file may be called `sala grande, 2.jpg`.
fn srcset_safe(url: String) -> String {
    if url.contains([' ', ',']) {
        url.replace(' ', "%20").replace(',', "%2C")
    } else {
        url
    }
}

/// Whether the file at site path `path` is named like an image a template may resize.
fn looks_like_image(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    ["jpg", "jpeg", "png", "webp"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// The error on the image `shown` that `refusal` describes.
fn refused(shown: &Path, (code, message): Refusal) -> Diagnostic {
    let hint = match code {
        Code::ImageTooLarge => msg!(
            "make the image smaller (a few thousand pixels per side are plenty for the web) and add it again"
        ),
        Code::ImageInvalid => {
            msg!("open the image in an image editor and save it again as JPEG or PNG")
        }
        _ => msg!("check that the file can be read"),
    };
    Diagnostic::new(code, shown, message).hint(hint)
}

/// The hash of the image `file`'s bytes and its header.
fn read_source(file: &Path) -> Result<(u64, codec::Header), Refusal> {
    let bytes = read_bounded(file)?;
    let header = codec::header(&bytes)?;
    Ok((stable_hash(&bytes), header))
}

/// The bytes of `file`, refused when it is larger than any photo.
fn read_bounded(file: &Path) -> Result<Vec<u8>, Refusal> {
    let cannot_read = |e: std::io::Error| {
        (
            Code::io(&e),
            msg!("cannot read the image: {error}", error = e),
        )
    };
    let size = std::fs::metadata(file).map_err(cannot_read)?.len();
    if size > codec::MAX_FILE_BYTES {
        return Err((
            Code::ImageTooLarge,
            msg!(
                "the image file is {mb} MB, more than the {max} MB the build reads",
                mb = size / (1024 * 1024),
                max = codec::MAX_FILE_BYTES / (1024 * 1024)
            ),
        ));
    }
    std::fs::read(file).map_err(cannot_read)
}

/// Writes `bytes` as `cached`, whole or not at all (through a temporary file renamed into
/// place: a build and `wemi serve` may make the same version at once).
fn write_cached(dir: &Path, cached: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let gitignore = dir.parent().map(|state| state.join(".gitignore"));
    if let Some(gitignore) = gitignore.filter(|g| !g.exists()) {
        std::fs::write(gitignore, "# wemi's build state: never committed\n*\n")?;
    }
    static WRITTEN: AtomicUsize = AtomicUsize::new(0);
    let temporary = cached.with_extension(format!(
        "{}-{}.tmp",
        std::process::id(),
        WRITTEN.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, cached).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}
