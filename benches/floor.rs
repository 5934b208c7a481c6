//! The I/O floor of a clean build (`benches/compare.py`, see benches/README.md): the work any
//! generator must do for a site, timed on its own, so that wemi's clean build can be given as a
//! multiple of it.
//!
//! `cargo build --release --example floor`, then
//! `target/release/examples/floor [--kept-crates] CONTENT REFERENCE OUT`
//!
//! First, untimed, it loads every file of REFERENCE (the output of a wemi build of the same site)
//! into memory. Then, timed, on rayon's global pool as wemi (one thread per core, or
//! `RAYON_NUM_THREADS`), with wemi's allocator and, as wemi, without transparent huge pages:
//! 1. walks CONTENT;
//! 2. reads every file, checks it is UTF-8 and, for a markdown file, runs pulldown-cmark (the
//!    version and extensions of wemi: [`wemi::markdown::options`]) on its body, the text after
//!    the front matter, into an HTML string;
//! 3. creates OUT (which must not exist) and writes into it every file of REFERENCE, at the same
//!    path with the same bytes.
//!
//! It leaves out what is wemi's own choice: front matter, templates, listings, feeds, the
//! sitemap, the state folder. It prints one line: what it did and how long it took (wall and
//! CPU time of the timed part only, and the wall time of steps 1–2 and of step 3).
//!
//! With `--kept-crates`, step 2 also does, for each markdown file, the least that the other two
//! crates this project keeps (serde_yaml and Tera) must do for a page: it parses the front matter
//! into a `serde_yaml::Value`, and renders a page with Tera ([`PAGE_TEMPLATES`]: the bench
//! theme's `page.html` on its `base.html`, with a `url` function that only joins paths) from
//! that value and the body's HTML. The rendered bytes are counted, not written: step 3 writes
//! the reference.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Kwargs, State, Tera};
use walkdir::WalkDir;

// As the `wemi` binary: its allocator is part of what the floor's work costs.
#[path = "../src/allocator.rs"]
mod allocator;
#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

/// What `--kept-crates` renders for each page: the bench theme's `page.html` on its
/// `base.html`.
const PAGE_TEMPLATES: [(&str, &str); 2] = [
    (
        "base.html",
        include_str!("site/themes/bench/templates/base.html"),
    ),
    (
        "page.html",
        include_str!("site/themes/bench/templates/page.html"),
    ),
];

/// The `page` a template of [`PAGE_TEMPLATES`] sees.
#[derive(Serialize)]
struct PageValue<'a> {
    title: &'a str,
    content: &'a str,
    fields: &'a serde_yaml::Value,
}

/// A file to write: its path under the output folder and its bytes.
struct OutputFile {
    path: PathBuf,
    bytes: Vec<u8>,
}

/// What the timed part did.
#[derive(Default)]
struct Work {
    files_read: usize,
    bytes_read: usize,
    bodies: usize,
    html_bytes: usize,
    rendered_bytes: usize,
}

impl Work {
    fn add(self, other: Work) -> Work {
        Work {
            files_read: self.files_read + other.files_read,
            bytes_read: self.bytes_read + other.bytes_read,
            bodies: self.bodies + other.bodies,
            html_bytes: self.html_bytes + other.html_bytes,
            rendered_bytes: self.rendered_bytes + other.rendered_bytes,
        }
    }
}

fn main() -> ExitCode {
    // As the `wemi` binary (src/main.rs): without transparent huge pages, so that the floor's
    // page faults are those wemi's own memory would take.
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; no memory is touched.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let kept_crates = args.first().is_some_and(|a| a == "--kept-crates");
    if kept_crates {
        args.remove(0);
    }
    let [content, reference, out] = args.as_slice() else {
        eprintln!("usage: floor [--kept-crates] CONTENT REFERENCE OUT");
        return ExitCode::from(2);
    };
    let tera = match kept_crates.then(page_tera).transpose() {
        Ok(tera) => tera,
        Err(e) => {
            eprintln!("floor: {e}");
            return ExitCode::FAILURE;
        }
    };
    match run(
        Path::new(content),
        Path::new(reference),
        Path::new(out),
        tera.as_ref(),
    ) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("floor: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Tera with [`PAGE_TEMPLATES`], their `url` function and the bench site's `site.yaml` as
/// `config` (untimed).
fn page_tera() -> Result<Tera, String> {
    let mut tera = Tera::new();
    tera.register_function("url", |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        Ok::<_, tera::Error>(format!("/{}", path.trim_start_matches('/')))
    });
    tera.add_raw_templates(PAGE_TEMPLATES)
        .map_err(|e| format!("templates: {e}"))?;
    let config: serde_yaml::Value = serde_yaml::from_str(include_str!("site/site.yaml"))
        .map_err(|e| format!("site.yaml: {e}"))?;
    tera.global_context().insert("config", &config);
    Ok(tera)
}

/// Loads the reference, then times the floor's work (with `tera`, the kept crates' too); the
/// line to print.
fn run(
    content: &Path,
    reference: &Path,
    out: &Path,
    tera: Option<&Tera>,
) -> Result<String, String> {
    if out.exists() {
        return Err(format!(
            "{} exists: the floor writes into a new folder",
            out.display()
        ));
    }
    let output = load(reference)?;
    let written_bytes: usize = output.iter().map(|f| f.bytes.len()).sum();

    let cpu_start = cpu_seconds();
    let start = Instant::now();
    let work = read_and_parse(content, tera)?;
    let read_and_parse_wall = start.elapsed().as_secs_f64();
    write(out, &output)?;
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);

    Ok(format!(
        "floor: read {} files ({} bytes), {} markdown bodies to {} bytes of HTML{}, wrote {} files \
         ({} bytes) in {:.1} ms wall, {} CPU (walk, read and markdown {:.1} ms, write {:.1} ms)",
        work.files_read,
        work.bytes_read,
        work.bodies,
        work.html_bytes,
        match tera {
            Some(_) => format!(
                ", front matters and Tera pages of {} bytes",
                work.rendered_bytes
            ),
            None => String::new(),
        },
        output.len(),
        written_bytes,
        wall * 1000.0,
        cpu.map_or("? ms".to_string(), |s| format!("{:.1} ms", s * 1000.0)),
        read_and_parse_wall * 1000.0,
        (wall - read_and_parse_wall) * 1000.0,
    ))
}

/// Every file under `reference` with its bytes (untimed).
fn load(reference: &Path) -> Result<Vec<OutputFile>, String> {
    files_under(reference)?
        .into_par_iter()
        .map(|path| {
            let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let path = path.strip_prefix(reference).unwrap_or(&path).to_path_buf();
            Ok(OutputFile { path, bytes })
        })
        .collect()
}

/// Steps 1 and 2: walks `content`, reads every file, renders every markdown body (with `tera`,
/// also parses its front matter and renders its page).
fn read_and_parse(content: &Path, tera: Option<&Tera>) -> Result<Work, String> {
    files_under(content)?
        .into_par_iter()
        .map(|path| {
            let bytes = fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let files_read = 1;
            let bytes_read = bytes.len();
            let text = String::from_utf8(bytes)
                .map_err(|e| format!("{}: not UTF-8: {e}", path.display()))?;
            if path.extension().is_none_or(|ext| ext != "md") {
                return Ok(Work {
                    files_read,
                    bytes_read,
                    ..Work::default()
                });
            }
            let (front_matter, body) = split(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            pulldown_cmark::html::push_html(
                &mut html,
                pulldown_cmark::Parser::new_ext(body, wemi::markdown::options()),
            );
            let rendered_bytes = match tera {
                Some(tera) => render_page(tera, front_matter, &html)
                    .map_err(|e| format!("{}: {e}", path.display()))?,
                None => 0,
            };
            Ok(Work {
                files_read,
                bytes_read,
                bodies: 1,
                html_bytes: html.len(),
                rendered_bytes,
            })
        })
        .try_reduce(Work::default, |a, b| Ok(a.add(b)))
}

/// The front matter fenced by `---` lines and the markdown after it (an empty front matter and
/// the whole text without one).
fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end + 1], &rest[end + "\n---\n".len()..]),
        None => ("", text),
    }
}

/// The kept crates' least work for a page: `front_matter` parsed by serde_yaml, the page
/// rendered by Tera with it and the body's `html`; the length of what it rendered.
fn render_page(tera: &Tera, front_matter: &str, html: &str) -> Result<usize, String> {
    let fields: serde_yaml::Value =
        serde_yaml::from_str(front_matter).map_err(|e| format!("front matter: {e}"))?;
    let title = fields.get("title").and_then(|t| t.as_str()).unwrap_or("");
    let mut context = Context::new();
    context.insert(
        "page",
        &PageValue {
            title,
            content: html,
            fields: &fields,
        },
    );
    let mut page = Vec::with_capacity(8 * 1024);
    tera.render_to("page.html", &context, &mut page)
        .map_err(|e| format!("page.html: {e}"))?;
    Ok(page.len())
}

/// Step 3: every file of `output` written under `out`, with the folders it needs.
fn write(out: &Path, output: &[OutputFile]) -> Result<(), String> {
    output.par_iter().try_for_each(|file| {
        let path = out.join(&file.path);
        let folder = path.parent().unwrap_or(out);
        fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        fs::write(&path, &file.bytes).map_err(|e| format!("{}: {e}", path.display()))
    })
}

/// The files under `folder` (step 1 for the content).
fn files_under(folder: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for entry in WalkDir::new(folder) {
        let entry = entry.map_err(|e| format!("{}: {e}", folder.display()))?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// User and system CPU seconds of this process so far, all threads.
#[cfg(target_os = "linux")]
fn cpu_seconds() -> Option<f64> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage fills the struct it is given and touches nothing else.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } != 0 {
        return None;
    }
    // SAFETY: getrusage returned 0, so it filled the struct.
    let usage = unsafe { usage.assume_init() };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Some(seconds(usage.ru_utime) + seconds(usage.ru_stime))
}

/// Not measured off Linux.
#[cfg(not(target_os = "linux"))]
fn cpu_seconds() -> Option<f64> {
    None
}
