//! `wemi serve`: the site built, served on loopback, watched, and rebuilt after every change,
//! with the browser told to reload; with `--open`, opened in the browser ([`open`]) once the
//! first build is ready.
//!
//! Each full build writes the site into a folder of serve's own under `.wemi/serve/`
//! ([`folder`]) as `wemi build` writes an output folder: only changed files are written, and
//! a build that fails leaves it as it was. The server reads a file from there when asked for
//! it, so memory never holds the rendered site; requests wait while a build's files go into
//! place, so none sees half of a new site.
//!
//! A rebuild reuses what did not change: documents whose files are untouched are not parsed
//! again ([`DocumentCache`]), and a change that touches only static files that the site
//! already has needs no build at all (they are read when asked for). When one page's text
//! changed and its front matter did not, that page is rendered alone and served at once;
//! then the whole site is derived again, so what is served always ends up exactly what
//! `wemi build` would write. Open pages reload only when their own page changed. A rebuild
//! that fails leaves the last good site served, with its errors over every page until they
//! are fixed.
//!
//! On a loopback address, serve also has an editor ([`edit`]): each served page links to its
//! form, and each section's list to a new page. The links are made from each site that builds
//! ([`EditLinks`]); on any other address there is no editor at all.

pub mod edit;
pub mod folder;
pub mod http;
pub mod open;
pub mod watch;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::base::error::{Code, Diagnostic, Error};
use crate::base::i18n::msg;
use crate::base::layout::{self, ChangeKind};
use crate::base::progress::Progress;
use crate::build::{Mode, RenderedSite, Run, render_site};
use crate::config::Config;
use crate::content::cache::{self, DocumentCache};
use crate::output::{OutputFile, OutputSet, Stage, assets};
use crate::render::{self, bodies, view};
use crate::serve::http::{EditLinks, Reload, Server, Snapshot};
use crate::site::Site;
use folder::Folder;
use watch::{Change, SiteWatcher};

/// What `wemi serve` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// The first port to try.
    pub port: u16,
    /// Includes drafts.
    pub drafts: bool,
    /// Opens the preview in the browser once the first build is ready.
    pub open: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            drafts: false,
            open: false,
        }
    }
}

/// How many ports after the asked one are tried when it is taken.
const PORTS_TRIED: u16 = 10;

/// A running preview.
pub struct Preview {
    /// The address the site is served at.
    pub url: String,
    /// The port asked for, when it was taken and another one is used.
    pub port_taken: Option<u16>,
    /// The outcome of the first build.
    pub first: Rebuild,
    server: Server,
    _watcher: SiteWatcher,
    changes: Receiver<Change>,
    options: ServeOptions,
    cache: DocumentCache,
    /// The folder the site is built into and served from.
    folder: Folder,
    /// The last site that built, its output shared with the server.
    last_good: Option<(RenderedSite, Arc<OutputSet>)>,
    /// The snapshot served now: the last good output, pages updated since, errors.
    served: Arc<Snapshot>,
    /// True when the editor is on (serving on a loopback address): pages get its links.
    editing: bool,
}

/// What one build of the preview did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// What changed (none for the first build).
    pub change: Option<Change>,
    /// The page rendered alone and served first, and how long after the change it was.
    pub first_page: Option<(String, Duration)>,
    /// How long it took.
    pub elapsed: Duration,
    /// Pages and sections, when it succeeded.
    pub built: Option<(usize, usize)>,
    /// Output files whose bytes changed (or that appeared or went away).
    pub files_changed: usize,
    /// True when only static files changed, already part of the site: nothing was built.
    pub static_only: bool,
    /// Its errors (empty when it succeeded).
    pub errors: Vec<Diagnostic>,
    /// Its warnings: placeholders of `wemi new`, texts missing from a translation; for the
    /// first build, a browser that `--open` could not start.
    pub warnings: Vec<Diagnostic>,
}

/// Builds the site, starts serving it and watching its files.
pub fn start(options: ServeOptions) -> Result<Preview, Error> {
    let (server, addr, port_taken) = bind(&options)?;
    let url = format!("http://{}/", display_addr(addr));
    // Editing writes files: only for this machine, never on an address others can reach.
    let mut editor_problem = None;
    if options.bind.is_loopback() {
        match edit::Editor::new(options.root.clone(), addr, url.clone()) {
            Ok(editor) => server.enable_editor(editor),
            Err(error) => {
                editor_problem = Some(
                    Diagnostic::new(
                        Code::Io(std::io::ErrorKind::Other),
                        "wemi serve",
                        msg!("cannot start the editor: {error}", error = error),
                    )
                    .warning(),
                )
            }
        }
    }
    let editing = editor_problem.is_none() && options.bind.is_loopback();
    if let Some(link) = layout::state_link(&options.root) {
        return Err(Error::usage(vec![crate::build::state_link_error(&link)]));
    }
    let folder = Folder::take(&options.root).map_err(|e| {
        let dir = options.root.join(layout::STATE_DIR).join(layout::SERVE_DIR);
        Error::usage(vec![Diagnostic::new(
            Code::io(&e),
            dir,
            msg!(
                "cannot make the folder the preview is built into: {error}",
                error = e
            ),
        )])
    })?;
    let (watcher, changes) = watch::watch(&options.root, &[layout::default_output(&options.root)])
        .map_err(|e| {
            Error::usage(vec![Diagnostic::new(
                Code::io(&e.error),
                e.path.clone(),
                msg!(
                    "cannot watch this folder for changes: {error}",
                    error = e.error
                ),
            )])
        })?;
    let mut preview = Preview {
        url,
        port_taken,
        first: Rebuild::default(),
        server,
        _watcher: watcher,
        changes,
        options,
        cache: DocumentCache::default(),
        folder,
        last_good: None,
        served: Arc::new(Snapshot::default()),
        editing,
    };
    preview.first = preview.rebuild(None);
    preview.first.warnings.extend(editor_problem);
    if preview.options.open
        && let Err(warning) = open::browser(&preview.url)
    {
        preview.first.warnings.push(warning);
    }
    Ok(preview)
}

impl Preview {
    /// Waits for the next change, rebuilds and publishes; `None` when watching has stopped.
    pub fn rebuild_on_change(&mut self) -> Option<Rebuild> {
        let mut change = self.changes.recv().ok()?;
        // Changes that arrive while this one is being handled are folded into it.
        while let Ok(more) = self.changes.try_recv() {
            change.merge(more);
        }
        Some(self.rebuild(Some(change)))
    }

    fn rebuild(&mut self, change: Option<Change>) -> Rebuild {
        let started = Instant::now();
        let mut rebuild = Rebuild::default();
        if let Some(change) = &change {
            if change.kinds.contains(&ChangeKind::Config) || change.paths.is_empty() {
                self.cache.clear();
            }
            if self.static_files_only(change) {
                // Stylesheets and scripts never get here (their hashed names change the pages).
                self.publish(self.served_with(self.served.errors.clone()), Reload::Full);
                rebuild.static_only = true;
                rebuild.change = Some(change.clone());
                rebuild.elapsed = started.elapsed();
                return rebuild;
            }
            rebuild.first_page = self
                .render_edited_page(change)
                .map(|page| (page, started.elapsed()));
        }

        // The last site's pages, views and theme are needed only by the fast path above: let
        // them go before the new site is built, so that the two are never in memory together
        // (at 100k pages that held 3.0 GB and took a rebuild's peak from 3.0 to 4.9 GB). What
        // is served (the last output) stays until the new one replaces it.
        self.last_good = None;
        match self.build() {
            Ok((mut rendered, stage)) => {
                let mut output = std::mem::take(&mut rendered.output);
                // Copied files are served from their source (one edited in place needs no
                // build); the rest from the folder, once the stage is committed.
                let copies: HashMap<String, OutputFile> = output
                    .files()
                    .filter(|(_, file)| matches!(file, OutputFile::Copied(_)))
                    .map(|(path, file)| (path.to_string(), file.clone()))
                    .collect();
                let edit = self.editing.then(|| Arc::new(edit_links(&rendered.site)));
                // Requests wait while the folder changes: none sees half of the new site.
                let paused = self.server.pause();
                if let Err(errors) = stage.commit(&mut output, None) {
                    drop(paused);
                    self.failed(&mut rebuild, errors);
                } else {
                    let output = Arc::new(output);
                    let site = &rendered.site;
                    rebuild.built = Some((site.pages.len(), site.sections.len()));
                    rebuild.warnings = std::mem::take(&mut rendered.warnings);
                    let changed = changed_paths(&self.served, &output, self.folder.path());
                    rebuild.files_changed = changed.len();
                    // An edited stylesheet has a new hashed name: the pages linking it changed
                    // and reload (fetching the stylesheets again would ask for the old name).
                    let reload = match &change {
                        // Pages showing errors reload to clear them; else only changed ones.
                        Some(_) if self.served.errors.is_empty() => Reload::Pages(changed),
                        _ => Reload::Full,
                    };
                    let snapshot = Arc::new(Snapshot {
                        site: output.clone(),
                        folder: Some(self.folder.path().to_path_buf()),
                        copies: Arc::new(copies),
                        root: self.options.root.canonicalize().ok(),
                        patches: Default::default(),
                        errors: Vec::new(),
                        edit,
                    });
                    self.served = snapshot.clone();
                    paused.publish(snapshot, reload);
                    self.last_good = Some((rendered, output));
                }
            }
            Err(err) => self.failed(&mut rebuild, err.diagnostics),
        }
        rebuild.change = change;
        rebuild.elapsed = started.elapsed();
        rebuild
    }

    /// Renders the whole site, each file staged into serve's folder (to be committed).
    fn build(&mut self) -> Result<(RenderedSite, Stage), Error> {
        let config = Config::load(&self.options.root, Some(&self.url))?;
        let stage = Stage::open(self.folder.path(), self.folder.state()).map_err(Error::site)?;
        let run = Run {
            root: &self.options.root,
            drafts: self.options.drafts,
            mode: Mode::Serve(&mut self.cache, Some(&stage)),
            progress: &Progress::default(),
            listing: None,
        };
        let rendered = render_site(config, run)?;
        Ok((rendered, stage))
    }

    /// A build that failed with `errors`: the last good site stays served, with them.
    fn failed(&mut self, rebuild: &mut Rebuild, errors: Vec<Diagnostic>) {
        rebuild.errors = errors;
        let snapshot = self.served_with(rebuild.errors.clone());
        self.publish(snapshot, Reload::Full);
    }

    /// What is served now (the last good site and its patches), with `errors`.
    fn served_with(&self, errors: Vec<Diagnostic>) -> Snapshot {
        Snapshot {
            site: self.served.site.clone(),
            folder: self.served.folder.clone(),
            copies: self.served.copies.clone(),
            root: self.served.root.clone(),
            patches: self.served.patches.clone(),
            errors,
            edit: self.served.edit.clone(),
        }
    }

    fn publish(&mut self, snapshot: Snapshot, reload: Reload) {
        let snapshot = Arc::new(snapshot);
        self.served = snapshot.clone();
        self.server.publish(snapshot, reload);
    }

    /// True when the change touches only static files that the served site already copies
    /// (edited in place): they are read when asked for, so nothing needs building. A
    /// stylesheet or script is also published under a name holding its hash, which pages
    /// link: editing one takes a build.
    fn static_files_only(&self, change: &Change) -> bool {
        !change.paths.is_empty()
            && change.kinds.iter().all(|k| *k == ChangeKind::Static)
            && self.served.errors.is_empty()
            && change.paths.iter().all(|p| {
                // A file become a link takes a build, which checks where it leads.
                std::fs::symlink_metadata(self.options.root.join(p)).is_ok_and(|m| m.is_file())
                    && self.served.copies(p)
                    && !p.to_str().is_some_and(assets::is_hashed)
            })
    }

    /// When the change is one page whose front matter did not change, renders that page
    /// alone against the last site and serves it at once; returns its output path.
    fn render_edited_page(&mut self, change: &Change) -> Option<String> {
        let [path] = change.paths.as_slice() else {
            return None;
        };
        if change.kinds.len() != 1 || !change.kinds.contains(&ChangeKind::Content) {
            return None;
        }
        let (last, _) = self.last_good.as_ref()?;
        if !self.served.errors.is_empty() {
            return None;
        }
        // The walk names files by their canonical paths (it walks the real folders): so must
        // this one be, whatever form the root has (`.` when wemi runs in the site folder, a
        // link, or on Windows `C:\…`, whose canonical form is `\\?\C:\…`).
        let full = self.options.root.join(path).canonicalize().ok()?;
        let before = self.cache.get(&full)?;
        let site = &last.site;
        let index = site.pages.iter().position(|p| p.doc.source.path == full)?;
        let now = cache::parse(before.doc.source.clone(), &site.config).ok()?;
        if now.front_matter != before.front_matter {
            return None;
        }
        // The site stays as it was built; the full rebuild that follows takes the new text.
        let current_path = site.config.url(&site.pages[index].path);
        let body = bodies::finish(&now.doc, &current_path, &site.links, &last.renderer).ok()?;
        let value = view::page_alone(site, index, &now.doc, &body, &last.values.pages).ok()?;
        let (output, bytes) = render::render_page(site, index, &value, &last.renderer).ok()?;
        self.cache.insert(full, now);
        let mut snapshot = self.served_with(Vec::new());
        snapshot
            .patches
            .insert(output.clone(), OutputFile::Rendered(bytes));
        self.publish(snapshot, Reload::Pages(vec![output.clone()]));
        Some(output)
    }
}

/// Where the editor's links of each page of `site` point: a page to its source, a section's
/// list (not the home page's) to its folder, where a new page goes.
fn edit_links(site: &Site) -> EditLinks {
    let pages = site
        .pages
        .iter()
        .map(|p| {
            (
                format!("{}index.html", p.path),
                p.doc.source.relative.clone(),
            )
        })
        .collect();
    let sections = site
        .sections
        .iter()
        .filter(|s| !s.doc.source.folder().is_empty())
        .map(|s| {
            let folder = s.doc.source.folder().to_string();
            (format!("{}index.html", s.path), folder)
        })
        .collect();
    EditLinks { pages, sections }
}

/// The output paths whose files differ between what is served and `next`, just committed
/// into `folder`. A file the build kept holds the bytes the last build left there, which are
/// those served, unless a page rendered alone is served instead: its bytes are compared with
/// the file's.
fn changed_paths(served: &Snapshot, next: &OutputSet, folder: &Path) -> Vec<String> {
    let mut changed: Vec<String> = next
        .files()
        .filter(|(path, file)| match served.patches.get(path.as_str()) {
            Some(OutputFile::Rendered(bytes)) => {
                std::fs::read(folder.join(path.as_str())).ok().as_ref() != Some(bytes)
            }
            _ => served.get(path.as_str()).is_none() || !matches!(file, OutputFile::Kept(_)),
        })
        .map(|(path, _)| path.as_str())
        .chain(served.site.paths().filter(|p| next.get(p).is_none()))
        .map(str::to_string)
        .collect();
    changed.sort_unstable();
    changed.dedup();
    changed
}

/// Binds the asked port, or the next free one.
fn bind(options: &ServeOptions) -> Result<(Server, SocketAddr, Option<u16>), Error> {
    let mut last_error = None;
    for offset in 0..=PORTS_TRIED {
        let Some(port) = options.port.checked_add(offset) else {
            break;
        };
        match Server::start(SocketAddr::new(options.bind, port), Snapshot::default()) {
            Ok((server, addr)) => {
                let taken = (offset > 0).then_some(options.port);
                return Ok((server, addr, taken));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && options.port != 0 => {
                last_error = Some(e);
            }
            Err(e) => {
                last_error = Some(e);
                break;
            }
        }
    }
    let code = last_error
        .as_ref()
        .map_or(Code::Io(std::io::ErrorKind::Other), Code::io);
    let error = last_error.map_or_else(String::new, |e| e.to_string());
    Err(Error::usage(vec![
        Diagnostic::new(
            code,
            format!("{}:{}", options.bind, options.port),
            msg!("cannot listen on this address: {error}", error = error),
        )
        .hint(msg!("choose another port with --port, e.g. --port 8080")),
    ]))
}

/// The address as a URL host: loopback for "every address".
fn display_addr(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}
