//! The preview server: its state, accepting connections, and routing each request to an
//! answer from the current [`Snapshot`] or to an event stream.
//!
//! `std::net` and a thread per connection are enough for one person previewing a site. What a
//! client can hold is bounded: at most [`MAX_CONNECTIONS`] connections are answered at once
//! (more wait in the listen queue until one ends), at most [`MAX_EVENT_STREAMS`] of them event
//! streams, a request must arrive whole within a fixed time (see `request.rs`), and an event
//! stream whose page has gone ends within [`CLOSED_CHECK_EVERY`], taking its thread, socket
//! and subscription with it. On loopback, a request sent to any name but a loopback one is
//! refused.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError, RwLock, RwLockWriteGuard};
use std::thread;
use std::time::{Duration, Instant};

use super::page::{EVENTS_PATH, html_response};
use super::request::{
    Response, Target, content_type, host_allowed, parse_target, read_request, refuse,
};
use super::snapshot::Snapshot;
use crate::output::{self, OutputFile};
use crate::serve::edit::{self, Editor};
use crate::serve::folder::{open_copied, open_inside};

/// How often an idle event stream gets a comment: a page that vanished without closing its
/// connection (a machine asleep) is noticed when the write fails.
const PING_EVERY: Duration = Duration::from_secs(15);
/// How often an event stream checks whether its page closed the connection.
const CLOSED_CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long a client may take to take each write of the answer.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// The most connections answered at once, event streams included: far more than a person's
/// browser opens (six at a time per site, and one event stream per open tab), few enough that
/// their threads cost little. Connections beyond wait in the listen queue.
const MAX_CONNECTIONS: usize = 256;

/// The most event streams open at once, half the connections: streams stay open, and however
/// many are held, pages are still answered. One more is refused with 503.
const MAX_EVENT_STREAMS: usize = MAX_CONNECTIONS / 2;

/// What open pages do when a new snapshot is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// Reload the page.
    Full,
    /// Reload the page if it is one of these output paths (`notizie/x/index.html`).
    Pages(Vec<String>),
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
        }
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
    /// One sender per open event stream, by its number; each stream removes its own when it
    /// ends.
    subscribers: Mutex<HashMap<u64, mpsc::Sender<String>>>,
    /// The number of the next event stream.
    next_subscriber: AtomicU64,
    /// How many connections are being answered.
    open: Mutex<usize>,
    /// Signalled when a connection ends (or the server stops).
    closed: Condvar,
    stopping: AtomicBool,
    /// The editor, once [`Server::enable_editor`] has set it (serve on loopback only).
    editor: OnceLock<Editor>,
    /// The address the server listens on.
    bound: SocketAddr,
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

    fn subscribers(&self) -> MutexGuard<'_, HashMap<u64, mpsc::Sender<String>>> {
        self.subscribers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn open(&self) -> MutexGuard<'_, usize> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for room for one more connection; false when the server is stopping. Only the
    /// accepting thread adds connections, so the room is still there when it accepts one.
    fn wait_for_room(&self) -> bool {
        let mut open = self.open();
        while *open >= MAX_CONNECTIONS && !self.stopping.load(Ordering::SeqCst) {
            open = self
                .closed
                .wait(open)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !self.stopping.load(Ordering::SeqCst)
    }
}

/// One connection being answered: counted while it lives.
struct Connection(Arc<Shared>);

impl Connection {
    fn new(shared: &Arc<Shared>) -> Connection {
        *shared.open() += 1;
        Connection(Arc::clone(shared))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        *self.0.open() -= 1;
        self.0.closed.notify_one();
    }
}

/// An open event stream's sender, removed from the subscribers when the stream ends.
struct Subscription<'a> {
    shared: &'a Shared,
    id: u64,
}

impl Drop for Subscription<'_> {
    fn drop(&mut self) {
        self.shared.subscribers().remove(&self.id);
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
            subscribers: Mutex::new(HashMap::new()),
            next_subscriber: AtomicU64::new(0),
            open: Mutex::new(0),
            closed: Condvar::new(),
            stopping: AtomicBool::new(false),
            editor: OnceLock::new(),
            bound,
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

    /// Answers the editor's paths (`/__wemi/edit/…`) with `editor` from now on; until then,
    /// and when never called, they are unknown paths. Only the first call counts.
    pub fn enable_editor(&self, editor: Editor) {
        let _ = self.shared.editor.set(editor);
    }

    /// Serves `snapshot` from now on, and tells the open pages that `reload` names to reload.
    pub fn publish(&self, snapshot: impl Into<Arc<Snapshot>>, reload: Reload) {
        self.pause().publish(snapshot, reload);
    }

    /// Holds every request (they wait) until the [`Paused`] returned is dropped or publishes:
    /// meanwhile the files of the site being served can be changed on disk, and no request
    /// sees some of them changed and others not.
    pub fn pause(&self) -> Paused<'_> {
        Paused {
            current: self
                .shared
                .current
                .write()
                .unwrap_or_else(PoisonError::into_inner),
            shared: &self.shared,
        }
    }
}

/// The server with its requests held: see [`Server::pause`].
pub struct Paused<'a> {
    current: RwLockWriteGuard<'a, Current>,
    shared: &'a Shared,
}

impl Paused<'_> {
    /// Serves `snapshot` from now on (answering the requests held), and tells the open pages
    /// that `reload` names to reload.
    pub fn publish(mut self, snapshot: impl Into<Arc<Snapshot>>, reload: Reload) {
        // The snapshot changes before anyone is told, and event streams subscribe before they
        // read the generation: a page connecting meanwhile either gets this event or sees
        // that its generation is old (see `stream_events`).
        self.current.snapshot = snapshot.into();
        self.current.generation += 1;
        let generation = self.current.generation;
        let shared = self.shared;
        drop(self);
        let message = reload.event(generation);
        shared
            .subscribers()
            .retain(|_, page| page.send(message.clone()).is_ok());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stopping.store(true, Ordering::SeqCst);
        // Dropping the senders ends every event stream.
        self.shared.subscribers().clear();
        // The accept loop may be waiting for room rather than in `accept`.
        {
            let _open = self.shared.open();
            self.shared.closed.notify_all();
        }
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

/// Answers each connection on a thread of its own until the server is dropped, at most
/// [`MAX_CONNECTIONS`] at once.
fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    while shared.wait_for_room() {
        let stream = listener.accept();
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let Ok((stream, _)) = stream else {
            // Most likely out of file descriptors: give open connections time to close.
            thread::sleep(Duration::from_millis(50));
            continue;
        };
        let connection = Connection::new(shared);
        // A thread that cannot start drops its connection, which the browser retries.
        let _ = thread::Builder::new()
            .name("wemi-serve-connection".into())
            .spawn(move || {
                // A client that went away is nobody's error.
                let _ = handle(stream, &connection.0);
            });
    }
}

/// One request, one answer, then the connection closes (event streams stay open).
fn handle(mut stream: TcpStream, shared: &Shared) -> io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut request = match read_request(&stream) {
        Ok(request) => request,
        Err(response) => return refuse(&mut stream, response),
    };
    let target_text = std::mem::take(&mut request.target);
    let target = match parse_target(&target_text) {
        Ok(target) => target,
        Err(response) => return response.write_to(&mut stream, request.head),
    };
    let editor = shared
        .editor
        .get()
        .filter(|_| target.path.starts_with(edit::PREFIX));
    // On loopback, only requests sent to a loopback name are answered: a page of another
    // site whose name was made to point to 127.0.0.1 (DNS rebinding) still sends its own.
    // (The editor refuses them itself, in its own words.) Listening on another address is a
    // choice to be reached under other names.
    if editor.is_none()
        && shared.bound.ip().is_loopback()
        && !host_allowed(request.headers.host.as_deref(), shared.bound)
    {
        return refuse(&mut stream, Response::text(403));
    }
    if target.path == EVENTS_PATH[1..] {
        return stream_events(stream, shared, target.since(), request.head);
    }
    let (snapshot, generation) = shared.current();
    if target.path.starts_with(edit::PREFIX) {
        let links = snapshot.edit.clone().unwrap_or_default();
        let answer = match editor {
            Some(editor) => editor.respond(&stream, &mut request, &target, &links),
            // Without an editor these are unknown paths; a POST's body is drained.
            None => Err(not_found(&snapshot, generation)),
        };
        return match answer {
            Ok(response) => response.write_to(&mut stream, request.head),
            Err(response) => refuse(&mut stream, response),
        };
    }
    respond(&target, &snapshot, generation).write_to(&mut stream, request.head)
}

/// The answer to a page or file request.
fn respond<'s>(target: &Target, snapshot: &'s Snapshot, generation: u64) -> Response<'s> {
    let key = if target.path.is_empty() || target.path.ends_with('/') {
        format!("{}index.html", target.path)
    } else {
        target.path.clone()
    };
    // A path that is not an output path (`/spazi//`, a name Windows reserves) names no file
    // the build writes.
    if output::OutputPath::new(&key).is_err() {
        return not_found(snapshot, generation);
    }
    if let Some(file) = snapshot.get(&key) {
        return serve_file(&key, file, 200, snapshot, generation);
    }
    let folder = format!("{}/", target.path);
    if !target.path.is_empty() && snapshot.site.paths().any(|p| p.starts_with(&folder)) {
        let mut location = format!("{}/", target.raw);
        if let Some(query) = target.query {
            location.push('?');
            location.push_str(query);
        }
        return Response::text(301).header("Location", location);
    }
    not_found(snapshot, generation)
}

/// The site's `404.html` with status 404, or a bare page saying 404 (which still carries the
/// reload script and the error overlay: a first build that failed shows its errors on it).
fn not_found(snapshot: &Snapshot, generation: u64) -> Response<'_> {
    const PAGE: &str = "404.html";
    match snapshot.get(PAGE) {
        Some(file) => serve_file(PAGE, file, 404, snapshot, generation),
        None => {
            let page = "<!DOCTYPE html>\n<html lang=\"it\">\n<meta charset=\"utf-8\">\n\
                        <title>404</title>\n<body>\n<p>404</p>\n</body>\n</html>\n";
            html_response(404, page.as_bytes(), snapshot, generation, None)
        }
    }
}

/// One file of the site; HTML gets the reload script (and the error overlay). Other files are
/// sent as they are: from memory, or read from disk while they are sent.
fn serve_file<'s>(
    path: &str,
    file: &'s OutputFile,
    status: u16,
    snapshot: &'s Snapshot,
    generation: u64,
) -> Response<'s> {
    let content_type = content_type(path);
    let html = content_type.starts_with("text/html");
    let opened = match (file, &snapshot.folder) {
        (OutputFile::Rendered(bytes), _) if html => {
            return html_response(status, bytes, snapshot, generation, Some(path));
        }
        (OutputFile::Rendered(bytes), _) => return Response::new(status, content_type, bytes),
        // The path comes from the site's own files, never from the URL; the file is opened
        // only while it is still one of them.
        (OutputFile::Copied(source), _) => match &snapshot.root {
            Some(root) => open_copied(root, source),
            None => return not_found(snapshot, generation),
        },
        // Written by the build into serve's folder: `path` is an output path the build
        // listed, opened only inside that folder.
        (OutputFile::Kept(_) | OutputFile::Placed(_) | OutputFile::Staged, Some(folder)) => {
            open_inside(folder, path)
        }
        (OutputFile::Kept(_) | OutputFile::Placed(_) | OutputFile::Staged, None)
        | (OutputFile::Dropped(_), _) => return not_found(snapshot, generation),
    };
    let answer = opened.and_then(|mut opened| {
        if html {
            let mut bytes = Vec::new();
            opened.read_to_end(&mut bytes)?;
            Ok(html_response(
                status,
                &bytes,
                snapshot,
                generation,
                Some(path),
            ))
        } else {
            Response::file(status, content_type, opened)
        }
    });
    match answer {
        Ok(answer) => answer,
        // Removed since the build: the next build drops it from the site too.
        Err(e) if e.kind() == io::ErrorKind::NotFound && path != "404.html" => {
            not_found(snapshot, generation)
        }
        Err(_) => Response::text(500),
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
    let id = shared.next_subscriber.fetch_add(1, Ordering::Relaxed);
    {
        let mut subscribers = shared.subscribers();
        if subscribers.len() >= MAX_EVENT_STREAMS {
            drop(subscribers);
            return refuse(&mut stream, Response::text(503));
        }
        subscribers.insert(id, sender);
    }
    let _subscription = Subscription { shared, id };
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
    let mut last_write = Instant::now();
    loop {
        match receiver.recv_timeout(CLOSED_CHECK_EVERY) {
            Ok(message) => {
                stream.write_all(message.as_bytes())?;
                last_write = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) if closed_by_peer(&stream)? => return Ok(()),
            // Writing to a page that is gone fails, which ends this thread.
            Err(RecvTimeoutError::Timeout) if last_write.elapsed() >= PING_EVERY => {
                stream.write_all(b": ping\n\n")?;
                last_write = Instant::now();
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

/// True when the client has closed its side of the connection: a page listening for events
/// sends nothing after its request, so the end of its input means it has gone (anything it
/// does send is dropped). Looks without waiting.
fn closed_by_peer(mut stream: &TcpStream) -> io::Result<bool> {
    stream.set_nonblocking(true)?;
    let read = stream.read(&mut [0; 512]);
    stream.set_nonblocking(false)?;
    match read {
        Ok(0) => Ok(true),
        Ok(_) => Ok(false),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
        Err(e) => Err(e),
    }
}

/// One server-sent event carrying the generation it announces.
fn event(name: &str, generation: u64) -> String {
    format!("event: {name}\ndata: {generation}\n\n")
}

#[cfg(test)]
mod tests;
