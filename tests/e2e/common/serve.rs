//! Shared harness of the `wemi serve` tests: starts the real binary on a free loopback port,
//! reads its log, sends requests (read strictly: anything short of a whole answer is a
//! failure), follows its reload events, compares what it serves with a fresh `wemi build`,
//! and reads the server process's threads, open files and memory from `/proc` (Linux). Every
//! wait is for an event (a log line, an answer, a reload event), bounded by [`HANG`].

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{self, Site};

/// How long a wait for the server may last: only a bound on a hang, far above what any step
/// needs.
pub const HANG: Duration = Duration::from_secs(30);

/// A running `wemi serve`, stopped when dropped.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    /// What it printed on stdout so far.
    pub log: Arc<Mutex<Vec<String>>>,
    /// What it printed on stderr so far.
    pub errors: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    /// Waits until a line printed after the first `skip` lines contains `text`; returns how
    /// many lines there were up to that one.
    pub fn wait_line(&self, skip: usize, text: &str) -> usize {
        let started = Instant::now();
        loop {
            let log = self.log.lock().unwrap().clone();
            if let Some(at) = log.iter().skip(skip).position(|l| l.contains(text)) {
                return skip + at + 1;
            }
            assert!(
                started.elapsed() < HANG,
                "no line with {text:?} in {:?} (stderr: {:?})",
                &log[skip.min(log.len())..],
                self.errors.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn lines(&self) -> usize {
        self.log.lock().unwrap().len()
    }
    /// Panics when the server process has exited.
    pub fn assert_running(&mut self) {
        if let Some(status) = self.child.try_wait().unwrap() {
            panic!("wemi serve exited: {status}");
        }
    }

    /// A field of `/proc/PID/status` (such as `Threads` or `VmRSS`), as its first number.
    pub fn status_field(&self, name: &str) -> u64 {
        let path = format!("/proc/{}/status", self.child.id());
        let status = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (these tests read /proc: Linux only)"));
        status
            .lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .and_then(|value| value.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {path}"))
    }

    /// How many threads the server has.
    pub fn threads(&self) -> u64 {
        self.status_field("Threads")
    }

    /// How many files (sockets included) the server has open.
    pub fn open_files(&self) -> u64 {
        let path = format!("/proc/{}/fd", self.child.id());
        std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("{path}: {e}"))
            .count() as u64
    }

    /// The server's resident memory, in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.status_field("VmRSS")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `wemi serve` on the site, on a free port.
pub fn serve(site: &Site) -> Serve {
    start(site, &["--port", "0"], &[])
}

/// [`serve`] with these environment variables set.
pub fn serve_with_env(site: &Site, env: &[(&str, &str)]) -> Serve {
    start(site, &["--port", "0"], env)
}

/// Starts `wemi serve --root <site> <args>` in English, with `env`, and returns once it has
/// said where it serves and how its first build went: the lines it prints from then on are
/// about changes.
pub fn start(site: &Site, args: &[&str], env: &[(&str, &str)]) -> Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command
        .arg("serve")
        .arg("--root")
        .arg(&site.root)
        .args(args);
    started(command, env)
}

/// Starts `wemi serve <args>` in the site's folder, without `--root`, as editors run it; as
/// [`start`] otherwise.
pub fn start_in_site_folder(site: &Site, args: &[&str]) -> Serve {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command.arg("serve").args(args).current_dir(&site.root);
    started(command, &[])
}

/// Runs `command` (a `wemi serve`) in English, with `env`, and returns once it has said where
/// it serves and how its first build went.
fn started(mut command: Command, env: &[(&str, &str)]) -> Serve {
    let mut child = command
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both streams are drained all along, so that the server never blocks on a full pipe.
    let log = drain(child.stdout.take().unwrap());
    let errors = drain(child.stderr.take().unwrap());
    let mut server = Serve {
        child,
        port: 0,
        log,
        errors,
    };
    let serving = server.wait_line(0, "Serving the site at http://");
    let line = server.log.lock().unwrap()[serving - 1].clone();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap();
    server.port = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"));
    // The first build's outcome: a summary on stdout, or the errors on stderr.
    let started = Instant::now();
    while !server.log.lock().unwrap()[serving..]
        .iter()
        .any(|l| l.starts_with("Built "))
        && !server
            .errors
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.starts_with("Errors: "))
    {
        server.assert_running();
        assert!(started.elapsed() < HANG, "no outcome of the first build");
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

/// The lines read from `stream` by a thread of its own, as they come.
fn drain(stream: impl Read + Send + 'static) -> Arc<Mutex<Vec<String>>> {
    let lines = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&lines);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            kept.lock().unwrap().push(line);
        }
    });
    lines
}

/// `GET path`: status and body. Anything short of a whole answer (no connection, a timeout,
/// a broken answer) fails the test: it is never taken for an empty page.
pub fn get(port: u16, path: &str) -> (u16, String) {
    let reply = fetch(port, path).unwrap_or_else(|e| panic!("{e}"));
    (
        reply.status,
        String::from_utf8_lossy(&reply.body).into_owned(),
    )
}

/// A new connection to the server that has sent `GET target`; each read waits at most
/// `timeout`.
fn request(port: u16, target: &str, timeout: Duration) -> std::io::Result<TcpStream> {
    request_with(port, target, &[], timeout)
}

/// [`request`] with these headers added (`("Accept-Encoding", "gzip")`).
fn request_with(
    port: u16,
    target: &str,
    headers: &[(&str, &str)],
    timeout: Duration,
) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(timeout))?;
    let headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n{headers}Connection: close\r\n\r\n"
    )?;
    Ok(stream)
}

/// Waits until `GET path` answers `status` with a body that satisfies `ok`; returns the body.
pub fn eventually(port: u16, path: &str, status: u16, ok: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    loop {
        let (got, body) = get(port, path);
        if got == status && ok(&body) {
            return body;
        }
        assert!(
            started.elapsed() < HANG,
            "timed out on {path}, waiting for {status}: {got} {body}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A whole answer, read strictly by [`fetch`].
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The headers, as (name, value), in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The value of the header `name` (any case), when sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(sent, _)| sent.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// How long [`fetch`] waits for any one read: only a bound on a hang.
const FETCH_TIMEOUT: Duration = HANG;

/// `GET target` on a new connection, read to its end. Anything short of a whole HTTP answer is
/// an error: failing to connect or write, a read error or timeout, no status line, no
/// `Content-Length`, or a body of another length.
pub fn fetch(port: u16, target: &str) -> Result<Reply, String> {
    fetch_with(port, target, &[])
}

/// [`fetch`] with these request headers added (`("Accept-Encoding", "br, gzip")`).
pub fn fetch_with(port: u16, target: &str, headers: &[(&str, &str)]) -> Result<Reply, String> {
    let stream = request_with(port, target, headers, FETCH_TIMEOUT)
        .map_err(|e| format!("{target}: request: {e}"))?;
    read_reply(stream, target)
}

/// `method target` with exactly these headers (no `Host` unless given; `Connection: close`
/// added) and `body`, on a new connection; the answer read strictly, as by [`fetch`]. The
/// body is sent as it is: a `Content-Length` is the caller's to give (or to leave out).
pub fn send(
    port: u16,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Reply, String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("{target}: connect: {e}"))?;
    stream
        .set_read_timeout(Some(FETCH_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body))
        .map_err(|e| format!("{target}: write: {e}"))?;
    read_reply(stream, target)
}

/// The whole answer on `stream`, strictly: see [`fetch`].
fn read_reply(mut stream: TcpStream, target: &str) -> Result<Reply, String> {
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("{target}: read: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{target}: no end of headers in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let status = head
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3)?.parse().ok())
        .ok_or_else(|| format!("{target}: bad status line in {head:?}"))?;
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.to_string(), value.trim().to_string()))
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse().ok())
        .ok_or_else(|| format!("{target}: no Content-Length in {head:?}"))?;
    if body.len() != length {
        return Err(format!(
            "{target}: body of {} bytes, Content-Length {length}",
            body.len()
        ));
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// `body` without what serve adds to HTML pages (the live reload script, and on loopback the
/// editor's links), so that it can be compared with the built file.
pub fn without_reload_script(body: &[u8]) -> Vec<u8> {
    let body = without_block(
        body,
        b"<script>/* wemi serve: live reload */",
        b"</script>\n",
    );
    without_block(&body, b"<style>#wemi-edit", b"</nav>\n")
}

/// `body` without its first block from `start` to the end of `end`.
fn without_block(body: &[u8], start: &[u8], end: &[u8]) -> Vec<u8> {
    let Some(at) = body.windows(start.len()).position(|w| w == start) else {
        return body.to_vec();
    };
    match body[at..].windows(end.len()).position(|w| w == end) {
        Some(to) => [&body[..at], &body[at + to + end.len()..]].concat(),
        None => body.to_vec(),
    }
}

/// Every file of a fresh `wemi build` of the site, for a server on `port`: (URL path, bytes).
/// The build's own bookkeeping (dot files) is left out: it is never served.
pub fn fresh_build(site: &Site, port: u16) -> Result<Vec<(String, Vec<u8>)>, String> {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().to_str().unwrap();
    let base_url = format!("http://127.0.0.1:{port}/");
    let build = site.build(&["--output", output, "--base-url", &base_url]);
    if !build.status.success() {
        return Err(format!(
            "fresh build failed: {}",
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    Ok(common::walk(out.path())
        .into_iter()
        .filter(|file| !is_dot_file(file))
        .map(|file| {
            let relative = file
                .strip_prefix(out.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (format!("/{relative}"), std::fs::read(&file).unwrap())
        })
        .collect())
}

fn is_dot_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

/// Ok when every file of a fresh `wemi build` of the site is served with the same bytes, and
/// each path of `known` that the fresh build does not have is not served at all (404).
/// `known` gathers the files of every fresh build compared, to which a test adds the paths of
/// the pages it makes: a page deleted or renamed since is then checked to be gone.
pub fn served_equals_fresh_build(
    site: &Site,
    port: u16,
    known: &mut BTreeSet<String>,
) -> Result<(), String> {
    let files = fresh_build(site, port)?;
    for (path, expected) in &files {
        let reply = fetch(port, path)?;
        if reply.status != 200 {
            return Err(format!("{path}: status {}", reply.status));
        }
        if without_reload_script(&reply.body) != *expected {
            return Err(format!("{path} differs"));
        }
    }
    let built: BTreeSet<&String> = files.iter().map(|(path, _)| path).collect();
    for path in known.iter().filter(|path| !built.contains(path)) {
        let reply = fetch(port, path)?;
        if reply.status != 404 {
            return Err(format!(
                "{path}: status {}, though a fresh build has no such file",
                reply.status
            ));
        }
    }
    known.extend(files.into_iter().map(|(path, _)| path));
    Ok(())
}

/// The server-sent events of a running `wemi serve`.
pub struct Events {
    reader: BufReader<TcpStream>,
    /// How long [`Events::next`] waits for an event, pings and all.
    timeout: Duration,
}

impl Events {
    /// Connects and reads the answer's headers: once they have arrived, the stream is
    /// subscribed. Each event is then awaited for at most [`HANG`].
    pub fn open(port: u16) -> Events {
        let stream = request(port, "/__wemi/events", HANG).unwrap();
        let mut reader = BufReader::new(stream);
        let mut header = String::new();
        while reader.read_line(&mut header).unwrap() > 0 && !header.ends_with("\r\n\r\n") {}
        assert!(header.contains("text/event-stream"), "{header}");
        Events {
            reader,
            timeout: HANG,
        }
    }

    /// Each event is awaited for at most `timeout` from now on.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// The next event: its name and its data lines (without the generation). Panics when none
    /// comes within the timeout (the server's pings do not count).
    pub fn next(&mut self) -> (String, Vec<String>) {
        let deadline = Instant::now() + self.timeout;
        let (mut name, mut data) = (String::new(), Vec::new());
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no event within {:?}", self.timeout);
            self.reader.get_ref().set_read_timeout(Some(left)).unwrap();
            let mut line = String::new();
            let read = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("no event within {:?}: {e}", self.timeout));
            assert!(read > 0, "stream ended");
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data.push(d.to_string());
            } else if line.is_empty() && !name.is_empty() {
                data.remove(0);
                return (name, data);
            }
        }
    }
}
