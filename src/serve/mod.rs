//! The HTTP server of `wemi serve`: the local preview of the site.
//!
//! The server owns what it serves: a [`Snapshot`] of the last site that built, kept in memory
//! as an [`OutputSet`]. A URL is only ever looked up as a key of that set, never turned into a
//! filesystem path, so no URL can reach a file outside the site, whatever links there are on
//! disk. Files the build copies ([`OutputFile::Copied`]) are read when asked for, from the path
//! the build recorded. Paths with `..`, backslashes, NUL or encoded slashes are refused
//! outright, and folders are never listed.
//!
//! Every HTML response gets a small script that listens on [`EVENTS_PATH`] (server-sent
//! events): [`Server::publish`] swaps in a new snapshot and tells every open page to reload, or
//! only to fetch its stylesheets again. While the last build failed, pages (those of the last
//! site that built) also get an overlay listing its errors; the next good build reloads them
//! without it, so pages keep no state of their own. The built site itself is never changed.
//!
//! `std::net` and a thread per connection are enough for one person previewing a site.
//!
//! This module owns the server, its state and the routing of a request to an answer; reading
//! requests and writing answers is in `http.rs`, and what pages get added (the reload script
//! and the error overlay) in `page.rs`.

mod http;
mod page;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread;
use std::time::Duration;

use crate::error::Diagnostic;
use crate::output::{self, OutputFile, OutputSet};

use http::{Response, Target, content_type, parse_target, read_request};
use page::html_response;

/// Where pages listen for reloads (server-sent events).
pub const EVENTS_PATH: &str = "/__wemi/events";

/// How often an idle event stream gets a comment, so that closed pages are noticed and dropped.
const PING_EVERY: Duration = Duration::from_secs(15);
/// How long a client may take to send its request, and to take each write of the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What open pages do when a new snapshot is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// Reload the page.
    Full,
    /// Reload the page if it is one of these output paths (`notizie/x/index.html`).
    Pages(Vec<String>),
    /// Fetch the stylesheets again, without reloading (only CSS changed).
    Css,
}

/// Above this many changed pages, every page reloads (rather than send a long list to each).
const MAX_LISTED: usize = 2000;

impl Reload {
    /// The server-sent event: its name, and its data after the generation.
    fn event(&self, generation: u64) -> String {
        match self {
            Reload::Pages(paths) if paths.len() <= MAX_LISTED => {
                let list = serde_json::to_string(paths).unwrap_or_default();
                format!("event: reload\ndata: {generation}\ndata: {list}\n\n")
            }
            Reload::Full | Reload::Pages(_) => event("reload", generation),
            Reload::Css => event("css", generation),
        }
    }
}

/// What the server serves: the last site that built, pages updated since, and the errors of
/// the last build when it failed (shown over every page).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the last site that built.
    pub site: Arc<OutputSet>,
    /// Files rendered again since, served instead of the site's (output path → file).
    pub patches: HashMap<String, OutputFile>,
    /// The errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

impl Snapshot {
    /// The file served at output path `path`.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.patches.get(path).or_else(|| self.site.get(path))
    }
}

/// The running preview server. Dropping it stops accepting connections and ends every event
/// stream.
pub struct Server {
    shared: Arc<Shared>,
    addr: SocketAddr,
    accepting: Option<thread::JoinHandle<()>>,
}

/// The state every connection thread shares.
struct Shared {
    current: RwLock<Current>,
    /// One sender per open event stream; those whose page has gone are dropped on publish.
    subscribers: Mutex<Vec<mpsc::Sender<String>>>,
    stopping: AtomicBool,
}

/// The snapshot being served, and how many have been published before it.
struct Current {
    snapshot: Arc<Snapshot>,
    generation: u64,
}

impl Shared {
    /// The snapshot and its generation, without holding the lock while answering.
    fn current(&self) -> (Arc<Snapshot>, u64) {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        (Arc::clone(&current.snapshot), current.generation)
    }

    fn subscribers(&self) -> std::sync::MutexGuard<'_, Vec<mpsc::Sender<String>>> {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Server {
    /// Binds `addr` and starts accepting connections on a thread of its own. Port 0 takes any
    /// free port; a port already taken is an [`io::ErrorKind::AddrInUse`] error. Returns the
    /// server and the address it is bound to.
    pub fn start(addr: SocketAddr, first: Snapshot) -> io::Result<(Server, SocketAddr)> {
        let listener = TcpListener::bind(addr)?;
        let bound = listener.local_addr()?;
        let shared = Arc::new(Shared {
            current: RwLock::new(Current {
                snapshot: Arc::new(first),
                generation: 0,
            }),
            subscribers: Mutex::new(Vec::new()),
            stopping: AtomicBool::new(false),
        });
        let accepting = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("wemi-serve".into())
                .spawn(move || accept(&listener, &shared))?
        };
        let server = Server {
            shared,
            addr: bound,
            accepting: Some(accepting),
        };
        Ok((server, bound))
    }

    /// Serves `snapshot` from now on, and tells every open page to reload (or, for
    /// [`Reload::Css`], to fetch its stylesheets again).
    pub fn publish(&self, snapshot: impl Into<Arc<Snapshot>>, reload: Reload) {
        // The snapshot changes before anyone is told, and event streams subscribe before they
        // read the generation: a page connecting meanwhile either gets this event or sees
        // that its generation is old (see `stream_events`).
        let generation = {
            let mut current = self
                .shared
                .current
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            current.snapshot = snapshot.into();
            current.generation += 1;
            current.generation
        };
        let message = reload.event(generation);
        self.shared
            .subscribers()
            .retain(|page| page.send(message.clone()).is_ok());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Dropping the senders ends every event stream.
        self.shared.subscribers().clear();
        // The accept loop is blocked in `accept`: a connection wakes it to see `stopping`.
        let mut wake = self.addr;
        match wake.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => wake.set_ip(Ipv4Addr::LOCALHOST.into()),
            IpAddr::V6(ip) if ip.is_unspecified() => wake.set_ip(Ipv6Addr::LOCALHOST.into()),
            _ => {}
        }
        if TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok() {
            // Once it has returned the port is free again.
            if let Some(accepting) = self.accepting.take() {
                let _ = accepting.join();
            }
        }
    }
}

/// Answers each connection on a thread of its own until the server is dropped.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok(stream) = stream else {
            // Most likely out of file descriptors: give open connections time to close.
            thread::sleep(Duration::from_millis(50));
            continue;
        };
        let shared = Arc::clone(shared);
        // A thread that cannot start drops its connection, which the browser retries.
        let _ = thread::Builder::new()
            .name("wemi-serve-connection".into())
            .spawn(move || {
                // A client that went away is nobody's error.
                let _ = handle(stream, &shared);
            });
    }
}

/// One request, one answer, then the connection closes (event streams stay open).
fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    let request = match read_request(&stream) {
        Ok(request) => request,
        Err(response) => return response.write_to(&mut stream, false),
    };
    let target = match parse_target(&request.target) {
        Ok(target) => target,
        Err(response) => return response.write_to(&mut stream, request.head),
    };
    if target.path == EVENTS_PATH[1..] {
        return stream_events(stream, shared, target.since(), request.head);
    }
    respond(&target, shared).write_to(&mut stream, request.head)
}

/// The answer to a page or file request.
fn respond(target: &Target, shared: &Shared) -> Response {
    let (snapshot, generation) = shared.current();
    let site = &snapshot.site;
    let key = if target.path.is_empty() || target.path.ends_with('/') {
        format!("{}index.html", target.path)
    } else {
        target.path.clone()
    };
    // `//etc/passwd` decodes to `/etc/passwd`: not a relative path, so never a key.
    if output::OutputPath::new(&key).is_err() {
        return Response::text(400);
    }
    if let Some(file) = snapshot.get(&key) {
        return serve_file(&key, file, 200, &snapshot, generation);
    }
    let folder = format!("{}/", target.path);
    if !target.path.is_empty() && site.paths().any(|p| p.starts_with(&folder)) {
        let mut location = format!("{}/", target.raw);
        if let Some(query) = target.query {
            location.push('?');
            location.push_str(query);
        }
        return Response::text(301).header("Location", location);
    }
    not_found(&snapshot, generation)
}

/// The site's `404.html` with status 404, or a bare page saying 404 (which still carries the
/// reload script and the error overlay: a first build that failed shows its errors on it).
fn not_found(snapshot: &Snapshot, generation: u64) -> Response {
    const PAGE: &str = "404.html";
    match snapshot.get(PAGE) {
        Some(file) => serve_file(PAGE, file, 404, snapshot, generation),
        None => {
            let page = "<!DOCTYPE html>\n<html lang=\"it\">\n<meta charset=\"utf-8\">\n\
                        <title>404</title>\n<body>\n<p>404</p>\n</body>\n</html>\n";
            html_response(404, page.as_bytes(), snapshot, generation)
        }
    }
}

/// One file of the site; HTML gets the reload script (and the error overlay).
fn serve_file(
    path: &str,
    file: &OutputFile,
    status: u16,
    snapshot: &Snapshot,
    generation: u64,
) -> Response {
    let bytes: Cow<[u8]> = match file {
        OutputFile::Rendered(bytes) => bytes.into(),
        // The path comes from the site's own files, never from the URL.
        // Builds for serve keep rendered files in memory: never `Kept` or `Placed`.
        OutputFile::Kept(_) | OutputFile::Placed(_) => return not_found(snapshot, generation),
        OutputFile::Copied(source) | OutputFile::Staged(source) => match std::fs::read(source) {
            Ok(bytes) => bytes.into(),
            // Removed since the build: the next build drops it from the site too.
            Err(e) if e.kind() == io::ErrorKind::NotFound && path != "404.html" => {
                return not_found(snapshot, generation);
            }
            Err(_) => return Response::text(500),
        },
    };
    let content_type = content_type(path);
    if content_type.starts_with("text/html") {
        html_response(status, &bytes, snapshot, generation)
    } else {
        Response::new(status, content_type, bytes.into_owned())
    }
}

/// Streams server-sent events until the page goes away or the server stops.
fn stream_events(
    mut stream: TcpStream,
    shared: &Shared,
    since: Option<u64>,
    head: bool,
) -> io::Result<()> {
    let (sender, receiver) = mpsc::channel();
    shared.subscribers().push(sender);
    let (_, generation) = shared.current();
    stream.write_all(
        b"HTTP/1.1 200 OK\r\n\
          Content-Type: text/event-stream; charset=utf-8\r\n\
          Cache-Control: no-store\r\n\
          X-Content-Type-Options: nosniff\r\n\
          Connection: close\r\n\r\n",
    )?;
    if head {
        return Ok(());
    }
    // Reconnect quickly when `wemi serve` restarts.
    stream.write_all(b"retry: 1000\n\n")?;
    if since.is_some_and(|since| since != generation) {
        stream.write_all(Reload::Full.event(generation).as_bytes())?;
    }
    loop {
        match receiver.recv_timeout(PING_EVERY) {
            Ok(message) => stream.write_all(message.as_bytes())?,
            // Writing to a page that is gone fails, which ends this thread.
            Err(RecvTimeoutError::Timeout) => stream.write_all(b": ping\n\n")?,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// One server-sent event carrying the generation it announces.
fn event(name: &str, generation: u64) -> String {
    format!("event: {name}\ndata: {generation}\n\n")
}

#[cfg(test)]
mod tests;
