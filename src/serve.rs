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

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread;
use std::time::Duration;

use crate::error::Diagnostic;
use crate::i18n::Lang;
use crate::output::{self, OutputFile, OutputSet};

/// Where pages listen for reloads (server-sent events).
pub const EVENTS_PATH: &str = "/__wemi/events";

/// How often an idle event stream gets a comment, so that closed pages are noticed and dropped.
const PING_EVERY: Duration = Duration::from_secs(15);
/// How long a client may take to send its request, and to take each write of the answer.
const IO_TIMEOUT: Duration = Duration::from_secs(10);
/// The most bytes read of a request (line and headers); GET and HEAD have no body.
const MAX_REQUEST: u64 = 16 * 1024;

/// What open pages do when a new snapshot is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Reload the page.
    Full,
    /// Fetch the stylesheets again, without reloading (only CSS changed).
    Css,
}

impl Reload {
    /// The name of the server-sent event.
    fn event(self) -> &'static str {
        match self {
            Reload::Full => "reload",
            Reload::Css => "css",
        }
    }
}

/// What the server serves: the last site that built, and the errors of the last build when it
/// failed (shown over every page).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the last site that built.
    pub site: Arc<OutputSet>,
    /// The errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
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
    pub fn publish(&self, snapshot: Snapshot, reload: Reload) {
        // The snapshot changes before anyone is told, and event streams subscribe before they
        // read the generation: a page connecting meanwhile either gets this event or sees
        // that its generation is old (see `stream_events`).
        let generation = {
            let mut current = self
                .shared
                .current
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            current.snapshot = Arc::new(snapshot);
            current.generation += 1;
            current.generation
        };
        let message = event(reload.event(), generation);
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

/// The parts of a request that matter here.
#[derive(Debug)]
struct Request {
    /// HEAD (answer without a body) rather than GET.
    head: bool,
    /// The request target, as sent.
    target: String,
}

/// Reads the request line and skips the headers; anything but GET or HEAD is refused.
fn read_request(stream: &TcpStream) -> Result<Request, Response> {
    let mut reader = BufReader::new(stream.take(MAX_REQUEST));
    let mut line = Vec::new();
    match reader.read_until(b'\n', &mut line) {
        Ok(_) if line.ends_with(b"\n") => {}
        _ => return Err(Response::text(400)),
    }
    // The headers are read, though unused, so that closing the connection does not reset it
    // under a client still sending them.
    loop {
        let mut header = Vec::new();
        match reader.read_until(b'\n', &mut header) {
            Ok(0) => break,
            Ok(_) if header == b"\r\n" || header == b"\n" => break,
            Ok(_) => {}
            Err(_) => return Err(Response::text(400)),
        }
    }
    let line = String::from_utf8(line).map_err(|_| Response::text(400))?;
    let mut parts = line.trim_end_matches(['\r', '\n']).split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Response::text(400));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(Response::text(400));
    }
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return Err(Response::text(405).header("Allow", "GET, HEAD")),
    };
    Ok(Request {
        head,
        target: target.to_string(),
    })
}

/// A request target that is safe to look up in the site.
#[derive(Debug, PartialEq, Eq)]
struct Target<'a> {
    /// The path as sent (still percent-encoded), for redirects.
    raw: &'a str,
    /// The decoded path, without its leading `/`.
    path: String,
    /// The query, without its `?`.
    query: Option<&'a str>,
}

impl Target<'_> {
    /// The generation a page listening for events was served with (`?since=N`).
    fn since(&self) -> Option<u64> {
        self.query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
    }
}

/// Splits and decodes a request target; a path that could name something outside the site is
/// refused with 400, before and after decoding.
fn parse_target(target: &str) -> Result<Target<'_>, Response> {
    let bad = || Response::text(400);
    let (raw, rest) = target.split_at(target.find(['?', '#']).unwrap_or(target.len()));
    let query = rest
        .strip_prefix('?')
        .map(|q| q.split('#').next().unwrap_or_default());
    let lower = raw.to_ascii_lowercase();
    if !raw.starts_with('/') || raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c")
    {
        return Err(bad());
    }
    let decoded = percent_decode(raw)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(bad)?;
    let path = &decoded[1..];
    if path.contains(['\0', '\\']) || path.split('/').any(|s| s == "." || s == "..") {
        return Err(bad());
    }
    Ok(Target {
        raw,
        path: path.to_string(),
        query,
    })
}

/// Decodes `%XX` escapes; `None` when one is malformed.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let high = hex(*bytes.get(i + 1)?)?;
            let low = hex(*bytes.get(i + 2)?)?;
            out.push((high * 16 + low) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
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
    if !output::is_safe_relative(&key) {
        return Response::text(400);
    }
    if let Some(file) = site.get(&key) {
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
    match snapshot.site.get(PAGE) {
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
        OutputFile::Copied(source) => match std::fs::read(source) {
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

/// An HTML page with the reload script, and the error overlay when the last build failed.
fn html_response(status: u16, html: &[u8], snapshot: &Snapshot, generation: u64) -> Response {
    let mut addition = String::new();
    if !snapshot.errors.is_empty() {
        addition.push_str(&error_overlay(&snapshot.errors));
    }
    addition.push_str(&reload_script(generation));
    Response::new(status, "text/html; charset=utf-8", inject(html, &addition))
}

/// `addition` inserted before the last `</body>`, or at the end when there is none.
fn inject(html: &[u8], addition: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The script that reloads the page, or its stylesheets, when the server says so. `since`
/// makes the server send a reload at once when a build was published after this page was
/// served (or the server restarted), so no change is missed while the page loads.
fn reload_script(generation: u64) -> String {
    const SCRIPT: &str = r#"<script>/* wemi serve: live reload */
(() => {
  const events = new EventSource("EVENTS?since=GENERATION");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel~="stylesheet" i]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("v", Date.now());
      link.href = url.href;
    }
  });
})();
</script>
"#;
    SCRIPT
        .replace("EVENTS", EVENTS_PATH)
        .replace("GENERATION", &generation.to_string())
}

/// A fixed panel over the top of the page listing the errors of the last build.
fn error_overlay(errors: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors {
        items.push_str("<li style=\"margin:0.5rem 0\">");
        items.push_str(&format!(
            "<code style=\"font:inherit;font-weight:700;color:#7a0014\">{}</code> ",
            escape(&d.location())
        ));
        match &d.message_it {
            Some(it) => {
                items.push_str(&escape(it));
                if it != &d.message {
                    items.push_str(&format!(
                        "<br><small lang=\"en\" style=\"color:#444\">{}</small>",
                        escape(&d.message)
                    ));
                }
            }
            None => items.push_str(&format!("<span lang=\"en\">{}</span>", escape(&d.message))),
        }
        if let Some(hint) = d.hint_in(Lang::It) {
            let lang = if d.hint_it.is_some() { "it" } else { "en" };
            items.push_str(&format!(
                "<br><span lang=\"{lang}\">→ {}</span>",
                escape(hint)
            ));
        }
        items.push_str("</li>");
    }
    format!(
        "<div id=\"wemi-errors\" role=\"alert\" lang=\"it\" style=\"position:fixed;top:0;left:0;\
         right:0;z-index:2147483647;box-sizing:border-box;max-height:60vh;overflow:auto;\
         margin:0;padding:1rem 1.25rem;background:#fff5f5;color:#1a1a1a;\
         border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,0.35);\
         font:16px/1.5 system-ui,sans-serif;text-align:left\">\
         <p style=\"margin:0;font-size:1.25rem;font-weight:700;color:#7a0014\">\
         Il sito non si aggiorna: ci sono errori</p>\
         <p lang=\"en\" style=\"margin:0 0 0.5rem;font-size:0.875rem;color:#444\">\
         The site is not updating: there are errors (this is the last version that built)</p>\
         <ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>\n"
    )
}

/// `text` made safe for HTML content and quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The Content-Type of an output path, by its extension.
fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "yaml" | "yml" => "application/yaml; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
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
        stream.write_all(event(Reload::Full.event(), generation).as_bytes())?;
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

/// An HTTP answer, sent with `Connection: close`.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A plain text answer saying only its status.
    fn text(status: u16) -> Response {
        let body = format!("{status} {}\n", reason(status));
        Response::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends the answer; HEAD gets the same headers and no body.
    fn write_to(&self, stream: &mut impl Write, head: bool) -> io::Result<()> {
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {}\r\n\
             Cache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n\r\n",
            self.body.len()
        ));
        let mut bytes = out.into_bytes();
        if !head {
            bytes.extend_from_slice(&self.body);
        }
        stream.write_all(&bytes)?;
        stream.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    fn rendered(text: &str) -> OutputFile {
        OutputFile::Rendered(text.as_bytes().to_vec())
    }

    /// A small site: a home page, a folder, a stylesheet, a 404 page and a copied image.
    fn site(copied: &std::path::Path) -> Arc<OutputSet> {
        let mut set = OutputSet::default();
        let files = [
            (
                "index.html",
                rendered("<html><body><h1>Home</h1></BODY></html>"),
            ),
            ("spazi/index.html", rendered("<p>Spazi</p>")),
            ("css/style.css", rendered("body { color: black }")),
            (
                "404.html",
                rendered("<html><body>Pagina non trovata</body></html>"),
            ),
            ("img/logo.png", OutputFile::Copied(copied.to_path_buf())),
        ];
        for (path, file) in files {
            set.insert(path.into(), file, path.into()).unwrap();
        }
        Arc::new(set)
    }

    struct Fixture {
        server: Server,
        addr: SocketAddr,
        site: Arc<OutputSet>,
        logo: std::path::PathBuf,
        _dir: tempfile::TempDir,
    }

    fn start(errors: Vec<Diagnostic>) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let logo = dir.path().join("logo.png");
        std::fs::write(&logo, b"PNG one").unwrap();
        let site = site(&logo);
        let first = Snapshot {
            site: Arc::clone(&site),
            errors,
        };
        let (server, addr) = Server::start("127.0.0.1:0".parse().unwrap(), first).unwrap();
        Fixture {
            server,
            addr,
            site,
            logo,
            _dir: dir,
        }
    }

    /// An answer: status, header block, body.
    struct Answer {
        status: u16,
        head: String,
        body: String,
    }

    impl Answer {
        fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().find_map(|line| {
                let (n, v) = line.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim())
            })
        }
    }

    fn connect(addr: SocketAddr) -> TcpStream {
        let stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream
    }

    fn send(addr: SocketAddr, request: &str) -> Answer {
        let mut stream = connect(addr);
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        Answer {
            status: head[9..12].parse().unwrap(),
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    fn get(addr: SocketAddr, target: &str) -> Answer {
        send(
            addr,
            &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n"),
        )
    }

    /// Reads from an open stream until `needle` has arrived; false on timeout or close.
    fn read_until(stream: &mut TcpStream, seen: &mut String, needle: &str) -> bool {
        let mut chunk = [0; 1024];
        while !seen.contains(needle) {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return false,
                Ok(n) => seen.push_str(&String::from_utf8_lossy(&chunk[..n])),
            }
        }
        true
    }

    #[test]
    fn serves_index_pages_from_memory_with_the_reload_script() {
        let f = start(vec![]);
        for target in ["/", "/index.html", "/?q=1", "/#top"] {
            let a = get(f.addr, target);
            assert_eq!(a.status, 200, "{target}");
            assert_eq!(a.header("Content-Type"), Some("text/html; charset=utf-8"));
            assert_eq!(a.header("Content-Length"), Some(&*a.body.len().to_string()));
            assert_eq!(a.header("Cache-Control"), Some("no-store"));
            assert_eq!(a.header("X-Content-Type-Options"), Some("nosniff"));
            assert!(a.body.starts_with("<html><body><h1>Home</h1><script>"));
            assert!(a.body.ends_with("</script>\n</BODY></html>"), "{}", a.body);
            assert!(
                a.body
                    .contains("new EventSource(\"/__wemi/events?since=0\")")
            );
            assert!(!a.body.contains("wemi-errors"));
        }
        let a = get(f.addr, "/spazi/");
        assert!(
            a.body.starts_with("<p>Spazi</p><script>"),
            "no </body>: at the end"
        );
    }

    #[test]
    fn stylesheets_have_their_type_and_no_script() {
        let f = start(vec![]);
        let a = get(f.addr, "/css/style.css");
        assert_eq!(a.status, 200);
        assert_eq!(a.header("Content-Type"), Some("text/css; charset=utf-8"));
        assert_eq!(a.body, "body { color: black }");
    }

    #[test]
    fn copied_files_are_read_when_asked_for() {
        let f = start(vec![]);
        assert_eq!(get(f.addr, "/img/logo.png").body, "PNG one");
        std::fs::write(&f.logo, b"PNG two").unwrap();
        let a = get(f.addr, "/img/logo.png");
        assert_eq!(a.header("Content-Type"), Some("image/png"));
        assert_eq!(a.body, "PNG two");
        std::fs::remove_file(&f.logo).unwrap();
        assert_eq!(get(f.addr, "/img/logo.png").status, 404);
    }

    #[test]
    fn a_folder_without_its_slash_redirects() {
        let f = start(vec![]);
        let a = get(f.addr, "/spazi");
        assert_eq!(a.status, 301);
        assert_eq!(a.header("Location"), Some("/spazi/"));
        let a = get(f.addr, "/spazi?vista=mappa");
        assert_eq!(a.header("Location"), Some("/spazi/?vista=mappa"));
        // Folders are never listed: `/img/` has no index.
        assert_eq!(get(f.addr, "/img").status, 301);
        assert_eq!(get(f.addr, "/img/").status, 404);
    }

    #[test]
    fn unknown_paths_get_the_site_404_page() {
        let f = start(vec![]);
        let a = get(f.addr, "/non-esiste");
        assert_eq!(a.status, 404);
        assert!(a.body.starts_with("<html><body>Pagina non trovata<script>"));
    }

    #[test]
    fn a_site_without_404_page_gets_a_bare_one() {
        let errors = vec![Diagnostic::new("content/_index.md", "broken")];
        let (_server, addr) = Server::start(
            "127.0.0.1:0".parse().unwrap(),
            Snapshot {
                site: Arc::default(),
                errors,
            },
        )
        .unwrap();
        let a = get(addr, "/");
        assert_eq!(a.status, 404);
        assert!(a.body.contains("<p>404</p>"));
        // A first build that failed shows its errors, and reloads when fixed.
        assert!(a.body.contains("content/_index.md"));
        assert!(a.body.contains("EventSource"));
    }

    #[test]
    fn traversal_probes_never_leave_the_site() {
        let f = start(vec![]);
        let logo = format!("/{}", f.logo.display());
        let probes = [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/a/..%2f..%2fCargo.toml",
            "/a/%2e%2e%2f%2e%2e%2fCargo.toml",
            "/..%5cCargo.toml",
            "/..\\Cargo.toml",
            "/a\\b",
            "//etc/passwd",
            "/./Cargo.toml",
            "/Cargo.toml",
            "/src/serve.rs",
            "/%00",
            "/index.html%00.css",
            "/%zz",
            "/%2",
            "/%ff",
            "../Cargo.toml",
            "http://localhost/../Cargo.toml",
            &logo,
        ];
        for probe in probes {
            let a = get(f.addr, probe);
            assert!(a.status == 400 || a.status == 404, "{probe}: {}", a.status);
            assert!(!a.body.contains("[package]"), "{probe}");
            assert!(!a.body.contains("PNG one"), "{probe}");
            assert!(!a.body.contains("root:"), "{probe}");
        }
        assert_eq!(get(f.addr, "/../Cargo.toml").status, 400);
        assert_eq!(get(f.addr, "/a/..%2fx").status, 400);
        assert_eq!(get(f.addr, "/a\\b").status, 400);
    }

    #[test]
    fn head_gets_the_headers_without_a_body() {
        let f = start(vec![]);
        let a = send(f.addr, "HEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assert_eq!(a.status, 200);
        assert_eq!(a.body, "");
        let full = get(f.addr, "/");
        assert_eq!(
            a.header("Content-Length"),
            Some(&*full.body.len().to_string())
        );
    }

    #[test]
    fn other_methods_are_refused() {
        let f = start(vec![]);
        let a = send(
            f.addr,
            "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n",
        );
        assert_eq!(a.status, 405);
        assert_eq!(a.header("Allow"), Some("GET, HEAD"));
        assert_eq!(send(f.addr, "garbage\r\n\r\n").status, 400);
    }

    #[test]
    fn errors_show_over_every_page_escaped_until_fixed() {
        let error = Diagnostic::new("content/spazi/a.md", "bad <script>alert(1)</script>")
            .at(3, 7)
            .hint("write \"yes\" & go");
        let f = start(vec![error]);
        for target in ["/", "/non-esiste"] {
            let a = get(f.addr, target);
            assert!(a.body.contains("role=\"alert\""), "{target}");
            assert!(a.body.contains("Il sito non si aggiorna: ci sono errori"));
            assert!(a.body.contains("content/spazi/a.md:3:7"));
            assert!(a.body.contains("bad &lt;script&gt;alert(1)&lt;/script&gt;"));
            assert!(a.body.contains("write &quot;yes&quot; &amp; go"));
            assert!(!a.body.contains("<script>alert"));
        }
        assert!(!get(f.addr, "/css/style.css").body.contains("wemi-errors"));

        let fixed = Snapshot {
            site: Arc::clone(&f.site),
            errors: vec![],
        };
        f.server.publish(fixed, Reload::Full);
        let a = get(f.addr, "/");
        assert!(!a.body.contains("wemi-errors"));
        assert!(a.body.contains("since=1"));
    }

    #[test]
    fn open_pages_hear_of_every_publish() {
        let f = start(vec![]);
        let mut events = connect(f.addr);
        events
            .write_all(b"GET /__wemi/events?since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let mut seen = String::new();
        // The headers are sent once the stream is subscribed.
        assert!(read_until(&mut events, &mut seen, "retry: 1000\n\n"));
        assert!(seen.contains("Content-Type: text/event-stream"));
        assert!(!seen.contains("event:"), "generation 0 is current");

        let snapshot = || Snapshot {
            site: Arc::clone(&f.site),
            errors: vec![],
        };
        f.server.publish(snapshot(), Reload::Full);
        assert!(read_until(
            &mut events,
            &mut seen,
            "event: reload\ndata: 1\n\n"
        ));
        f.server.publish(snapshot(), Reload::Css);
        assert!(read_until(
            &mut events,
            &mut seen,
            "event: css\ndata: 2\n\n"
        ));

        // The server going away ends the stream.
        drop(f.server);
        let mut rest = Vec::new();
        assert!(events.read_to_end(&mut rest).is_ok());
    }

    #[test]
    fn a_page_served_before_a_publish_reloads_when_it_connects() {
        let f = start(vec![]);
        f.server.publish(
            Snapshot {
                site: Arc::clone(&f.site),
                errors: vec![],
            },
            Reload::Css,
        );
        let mut events = connect(f.addr);
        events
            .write_all(b"GET /__wemi/events?since=0 HTTP/1.1\r\n\r\n")
            .unwrap();
        let mut seen = String::new();
        assert!(read_until(
            &mut events,
            &mut seen,
            "event: reload\ndata: 1\n\n"
        ));
    }

    #[test]
    fn a_port_in_use_is_addr_in_use() {
        let f = start(vec![]);
        let e = Server::start(f.addr, Snapshot::default()).err().unwrap();
        assert_eq!(e.kind(), io::ErrorKind::AddrInUse);
    }

    #[test]
    fn stopping_frees_the_port() {
        let f = start(vec![]);
        let addr = f.addr;
        drop(f.server);
        let (_again, bound) = Server::start(addr, Snapshot::default()).unwrap();
        assert_eq!(bound, addr);
    }

    #[test]
    fn decoding_and_injection() {
        assert_eq!(percent_decode("/a%20b%C3%A8").unwrap(), "/a bè".as_bytes());
        for bad in ["%", "%2", "%g0", "%+f"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        assert_eq!(inject(b"<p>x</p>", "S"), b"<p>x</p>S");
        assert_eq!(
            inject(b"<body>a</Body>\n</html>", "S"),
            b"<body>aS</Body>\n</html>"
        );
        assert_eq!(content_type("a.b/FILE.WOFF2"), "font/woff2");
        assert_eq!(content_type("a.b/README"), "application/octet-stream");
    }
}
