//! `wemi serve`: the site built in memory, served on loopback, watched, and rebuilt after
//! every change, with the browser told to reload.
//!
//! Every rebuild derives the whole site again from the files on disk, so what is served is
//! always what `wemi build` would write (no cache can go stale). A rebuild that fails leaves
//! the last good site served, with its errors shown over every page until they are fixed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Error};
use crate::msg;
use crate::output::OutputSet;
use crate::progress::Progress;
use crate::serve::{Reload, Server, Snapshot};
use crate::watch::{self, Change, SiteWatcher};
use crate::{Config, generate};

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
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            root: PathBuf::from("."),
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            drafts: false,
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
    last_good: Arc<OutputSet>,
}

/// What one build of the preview did.
#[derive(Debug)]
pub struct Rebuild {
    /// What changed (none for the first build).
    pub change: Option<Change>,
    /// How long it took.
    pub elapsed: Duration,
    /// Pages and sections, when it succeeded.
    pub built: Option<(usize, usize)>,
    /// Its errors (empty when it succeeded).
    pub errors: Vec<Diagnostic>,
}

/// Builds the site, starts serving it and watching its files.
pub fn start(options: ServeOptions) -> Result<Preview, Error> {
    let (server, addr, port_taken) = bind(&options)?;
    let url = format!("http://{}/", display_addr(addr));
    let (watcher, changes) =
        watch::watch(&options.root, &[options.root.join("public")]).map_err(|e| {
            Error::usage(vec![Diagnostic::new(
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
        first: Rebuild {
            change: None,
            elapsed: Duration::ZERO,
            built: None,
            errors: Vec::new(),
        },
        server,
        _watcher: watcher,
        changes,
        options,
        last_good: Arc::new(OutputSet::default()),
    };
    preview.first = preview.rebuild(None);
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
        let base_url = self.url.clone();
        let result = Config::load(&self.options.root, Some(&base_url)).and_then(|config| {
            generate(
                &self.options.root,
                config,
                self.options.drafts,
                None,
                &Progress::default(),
            )
        });
        let reload = match &change {
            Some(c) if c.css_only() => Reload::Css,
            _ => Reload::Full,
        };
        let (built, errors) = match result {
            Ok(generated) => {
                self.last_good = Arc::new(generated.output);
                let counts = (generated.site.pages.len(), generated.site.sections.len());
                (Some(counts), Vec::new())
            }
            Err(err) => (None, err.diagnostics),
        };
        self.server.publish(
            Snapshot {
                site: self.last_good.clone(),
                errors: errors.clone(),
            },
            reload,
        );
        Rebuild {
            change,
            elapsed: started.elapsed(),
            built,
            errors,
        }
    }
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
    let error = last_error.map_or_else(String::new, |e| e.to_string());
    Err(Error::usage(vec![
        Diagnostic::new(
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
