//! The HTTP of `wemi serve`, as little of it as a local preview needs: reading a GET or HEAD
//! request (and a POST to the editor's API), splitting and percent-decoding its target and
//! refusing any path that could name something outside the site, the Content-Type of an output
//! path, and writing an answer.
//!
//! A request is read within fixed bounds, so that no client holds more than its own thread for
//! long: its line and headers together are at most [`MAX_HEAD`] bytes (a longer line is 414, too
//! many or too long headers 431), and they must all arrive within [`HEAD_DEADLINE`] however
//! slowly they trickle in (408). Only the headers the editor needs are kept ([`Headers`]), each
//! at most once (a repeated one is 400, so that no two readers of a request could disagree on
//! it). A body is read only when the editor asks for it ([`read_body`]): its length must be
//! given (411), within the limit the editor sets (413), and it must arrive within
//! [`BODY_DEADLINE`] (408).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The most bytes read of a request's line and headers.
const MAX_HEAD: usize = 16 * 1024;

/// How long a client has to send its whole request line and headers. A browser sends them at
/// once; a client sending one byte a second (slowloris) is cut off after this, not after each
/// byte.
const HEAD_DEADLINE: Duration = Duration::from_secs(10);

/// How long a client has to send a whole body once its headers have arrived: far longer than
/// the largest upload takes on loopback.
const BODY_DEADLINE: Duration = Duration::from_secs(30);

/// The only paths a POST may go to: the editor's API (anything else is 405).
pub(crate) const POST_PREFIX: &str = "__wemi/edit/api/";

/// How long, and how many bytes, a refused request may still send before the connection
/// closes: reading them lets the client see the answer instead of a reset.
const LINGER: Duration = Duration::from_secs(2);
const LINGER_BYTES: u64 = 1024 * 1024;

/// The parts of a request that matter here.
#[derive(Debug)]
pub(crate) struct Request {
    /// HEAD (answer without a body) rather than GET.
    pub(crate) head: bool,
    /// POST (to the editor's API) rather than GET or HEAD.
    pub(crate) post: bool,
    /// The request target, as sent.
    pub(crate) target: String,
    /// The headers the editor looks at.
    pub(crate) headers: Headers,
    /// Bytes of the body that arrived with the headers (read past them into the buffer).
    early_body: Vec<u8>,
}

/// The request headers the editor looks at, as sent (without surrounding spaces); each may
/// appear at most once.
#[derive(Debug, Default)]
pub(crate) struct Headers {
    pub(crate) host: Option<String>,
    pub(crate) origin: Option<String>,
    /// `X-Wemi-Token`: the editor's per-run token.
    pub(crate) token: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) content_length: Option<String>,
    pub(crate) accept_language: Option<String>,
    /// `Transfer-Encoding`, whatever its value: a body without a length, which is refused.
    pub(crate) transfer_encoding: bool,
}

impl Headers {
    /// Keeps `line` when it is one of the headers looked at; `Err` when it repeats one, or
    /// one of them is not text.
    fn add(&mut self, line: &[u8]) -> Result<(), ()> {
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            return Ok(());
        };
        let name = &line[..colon];
        let slot = match name.to_ascii_lowercase().as_slice() {
            b"host" => &mut self.host,
            b"origin" => &mut self.origin,
            b"x-wemi-token" => &mut self.token,
            b"content-type" => &mut self.content_type,
            b"content-length" => &mut self.content_length,
            b"accept-language" => &mut self.accept_language,
            b"transfer-encoding" => {
                self.transfer_encoding = true;
                return Ok(());
            }
            _ => return Ok(()),
        };
        let value = std::str::from_utf8(&line[colon + 1..]).map_err(|_| ())?;
        if slot.is_some() {
            return Err(());
        }
        *slot = Some(value.trim_matches([' ', '\t', '\r', '\n']).to_string());
        Ok(())
    }
}

/// Reads the request line and the headers; anything but GET, HEAD, or a POST to the editor's
/// API is refused, and so is a request that is too large or too slow. The body is left unread.
pub(crate) fn read_request(stream: &TcpStream) -> Result<Request, Response<'static>> {
    let timed = DeadlineReader {
        stream,
        deadline: Instant::now() + HEAD_DEADLINE,
    };
    // One byte over the limit tells a request at the limit from one beyond it.
    let mut reader = BufReader::new(timed.take(MAX_HEAD as u64 + 1));
    let mut used = 0;
    let line = read_line(&mut reader, &mut used).map_err(|e| e.response(414))?;
    // Every header is read, the unused ones too, so that closing the connection does not
    // reset it under a client still sending them.
    let mut headers = Headers::default();
    let mut repeated = false;
    loop {
        let header = read_line(&mut reader, &mut used).map_err(|e| e.response(431))?;
        if header.is_empty() || header == b"\r\n" || header == b"\n" {
            break;
        }
        repeated |= headers.add(&header).is_err();
    }
    let early_body = reader.buffer().to_vec();
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
    let (head, post) = match method {
        "GET" => (false, false),
        "HEAD" => (true, false),
        "POST" if parse_target(target).is_ok_and(|t| t.path.starts_with(POST_PREFIX)) => {
            (false, true)
        }
        _ => return Err(Response::text(405).header("Allow", "GET, HEAD")),
    };
    if repeated {
        return Err(Response::text(400));
    }
    Ok(Request {
        head,
        post,
        target: target.to_string(),
        headers,
        early_body,
    })
}

/// The body of `request`, read from `stream` when the editor asks for it: `Content-Length`
/// bytes, at most `limit`, all arriving within [`BODY_DEADLINE`]. Without a length (or with a
/// `Transfer-Encoding`) it is 411, over the limit 413, too slow 408; the connection then
/// closes through [`refuse`], which drains what the client still sends.
pub(crate) fn read_body(
    stream: &TcpStream,
    request: &mut Request,
    limit: u64,
) -> Result<Vec<u8>, Response<'static>> {
    let length = match &request.headers.content_length {
        _ if request.headers.transfer_encoding => return Err(Response::text(411)),
        None => return Err(Response::text(411)),
        Some(text) if text.bytes().all(|b| b.is_ascii_digit()) => {
            text.parse::<u64>().map_err(|_| Response::text(413))?
        }
        Some(_) => return Err(Response::text(400)),
    };
    if length > limit {
        return Err(Response::text(413));
    }
    // `length` is at most the limit the editor set: allocating it is bounded.
    let mut body = std::mem::take(&mut request.early_body);
    body.truncate(length as usize);
    let rest = DeadlineReader {
        stream,
        deadline: Instant::now() + BODY_DEADLINE,
    };
    let wanted = length - body.len() as u64;
    match rest.take(wanted).read_to_end(&mut body) {
        Ok(_) if body.len() as u64 == length => Ok(body),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            Err(Response::text(408))
        }
        // The client closed the connection before sending its whole body.
        _ => Err(Response::text(400)),
    }
}

/// Why a line of the request could not be read.
enum LineError {
    /// The request is over [`MAX_HEAD`].
    TooLarge,
    /// [`HEAD_DEADLINE`] passed.
    TooSlow,
    /// The client closed the connection, or sent something that is not HTTP.
    Broken,
}

impl LineError {
    /// The answer; `too_large` is the status for a request over the limit at this line.
    fn response(self, too_large: u16) -> Response<'static> {
        match self {
            LineError::TooLarge => Response::text(too_large),
            LineError::TooSlow => Response::text(408),
            LineError::Broken => Response::text(400),
        }
    }
}

/// One line, with its `\n`; `used` counts the bytes of the request read so far.
fn read_line(reader: &mut impl BufRead, used: &mut usize) -> Result<Vec<u8>, LineError> {
    let mut line = Vec::new();
    let result = reader.read_until(b'\n', &mut line);
    *used += line.len();
    if *used > MAX_HEAD {
        return Err(LineError::TooLarge);
    }
    match result {
        // An empty line is the end of the input, which ends the headers as a blank line would.
        Ok(_) if line.is_empty() || line.ends_with(b"\n") => Ok(line),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) =>
        {
            Err(LineError::TooSlow)
        }
        _ => Err(LineError::Broken),
    }
}

/// Reads a socket until a deadline for all the reads together, rather than for each.
struct DeadlineReader<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for DeadlineReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buf)
    }
}

/// True when `host` (the `Host` header) names this server by a loopback name: `127.0.0.1`,
/// `localhost`, `[::1]` or the loopback address it is `bound` to, with its port.
pub fn host_allowed(host: Option<&str>, bound: SocketAddr) -> bool {
    let Some(host) = host else {
        return false;
    };
    let Some((name, sent_port)) = host.rsplit_once(':') else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let own = match bound.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    (matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]") || name == own)
        && sent_port == bound.port().to_string()
}

/// Sends the answer to a refused request, then reads (and drops) what the client may still be
/// sending, for a bounded while, before the connection closes: closing a socket with unread
/// bytes resets it, and the client could lose the answer.
pub(crate) fn refuse(stream: &mut TcpStream, response: Response) -> io::Result<()> {
    response.write_to(stream, false)?;
    stream.shutdown(Shutdown::Write)?;
    let rest = DeadlineReader {
        stream,
        deadline: Instant::now() + LINGER,
    };
    // Ends at the client's close, the deadline or the byte limit, whichever comes first.
    let _ = io::copy(&mut rest.take(LINGER_BYTES), &mut io::sink());
    Ok(())
}

/// A request target that is safe to look up in the site.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Target<'a> {
    /// The path as sent (still percent-encoded), for redirects.
    pub(crate) raw: &'a str,
    /// The decoded path, without its leading `/`.
    pub(crate) path: String,
    /// The query, without its `?`.
    pub(crate) query: Option<&'a str>,
}

impl Target<'_> {
    /// The generation a page listening for events was served with (`?since=N`).
    pub(crate) fn since(&self) -> Option<u64> {
        self.query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
    }
}

/// Splits and decodes a request target; a path that could name something outside the site is
/// refused with 400, before and after decoding, and so is a target with anything but visible
/// ASCII (which could end up in the `Location` of a redirect) or a path that decodes to control
/// characters. The absolute form (`http://host/path`, which
/// HTTP/1.1 servers must accept) names the same path as its origin form (`/path`): the host is
/// never looked at, so nothing is ever fetched from elsewhere.
pub(crate) fn parse_target(target: &str) -> Result<Target<'_>, Response<'static>> {
    let bad = || Response::text(400);
    if !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    let target = origin_form(target).ok_or_else(bad)?;
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
    // `//etc/passwd` would be the absolute path `/etc/passwd`.
    if path.starts_with('/')
        || path.contains(|c: char| c == '\\' || c.is_control())
        || path.split('/').any(|s| s == "." || s == "..")
    {
        return Err(bad());
    }
    Ok(Target {
        raw,
        path: path.to_string(),
        query,
    })
}

/// The target without the scheme and host of an absolute form; `None` for another scheme.
fn origin_form(target: &str) -> Option<&str> {
    if target.starts_with('/') {
        return Some(target);
    }
    let (scheme, rest) = target.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    // The host ends at the path; `http://host` alone is `/`. A query right after the host
    // (`http://host?a`) is refused rather than turned into a new string.
    match rest.find(['/', '?', '#']) {
        None => Some("/"),
        Some(at) => rest[at..].starts_with('/').then(|| &rest[at..]),
    }
}

/// Decodes `%XX` escapes; `None` when one is malformed.
pub(crate) fn percent_decode(text: &str) -> Option<Vec<u8>> {
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

/// `text` percent-encoded for a query value: everything but unreserved characters and `/`.
pub(crate) fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The Content-Type of an output path, by its extension.
pub(super) fn content_type(path: &str) -> &'static str {
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
        "geojson" => "application/geo+json",
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

/// An HTTP answer, sent with `Connection: close`. Its body may borrow the served snapshot, or
/// be a file sent from disk as it is read: no answer holds a whole copy of a large file.
#[derive(Debug)]
pub(crate) struct Response<'a> {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body<'a>,
}

#[derive(Debug)]
enum Body<'a> {
    Bytes(Cow<'a, [u8]>),
    /// An open file and its length when opened.
    File(File, u64),
}

impl<'a> Response<'a> {
    pub(crate) fn new(
        status: u16,
        content_type: &str,
        body: impl Into<Cow<'a, [u8]>>,
    ) -> Response<'a> {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: Body::Bytes(body.into()),
        }
    }

    /// An answer whose body is `file` (open), read while it is sent.
    pub(super) fn file(status: u16, content_type: &str, file: File) -> io::Result<Response<'a>> {
        let length = file.metadata()?.len();
        let mut response = Response::new(status, content_type, Vec::new());
        response.body = Body::File(file, length);
        Ok(response)
    }

    /// A plain text answer saying only its status.
    pub(crate) fn text(status: u16) -> Response<'a> {
        let body = format!("{status} {}\n", reason(status));
        Response::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    /// The answer's status.
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Response<'a> {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends the answer; HEAD gets the same headers and no body.
    pub(super) fn write_to(self, stream: &mut TcpStream, head: bool) -> io::Result<()> {
        let length = match &self.body {
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::File(_, length) => *length,
        };
        let mut out = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str(&format!(
            "Content-Length: {length}\r\n\
             Cache-Control: no-store\r\n\
             X-Content-Type-Options: nosniff\r\n\
             Connection: close\r\n\r\n"
        ));
        // A small body goes out with the headers, a large one after them without a copy.
        let mut writer = BufWriter::with_capacity(16 * 1024, &mut *stream);
        writer.write_all(out.as_bytes())?;
        match self.body {
            _ if head => {}
            Body::Bytes(bytes) => writer.write_all(&bytes)?,
            Body::File(file, length) => {
                writer.flush()?;
                // A file that shrank since it was opened ends the answer short: the client
                // sees it incomplete (and reloads), as with any file changing while served.
                io::copy(&mut file.take(length), writer.get_mut())?;
            }
        }
        writer.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let bound: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        for ok in [
            "127.0.0.1:4000",
            "localhost:4000",
            "LOCALHOST:4000",
            "[::1]:4000",
        ] {
            assert!(host_allowed(Some(ok), bound), "{ok}");
        }
        for bad in [
            "evil.example:4000",
            "127.0.0.1:4001",
            "127.0.0.1",
            "127.0.0.1.evil.example:4000",
            "127.0.0.2:4000",
            "",
        ] {
            assert!(!host_allowed(Some(bad), bound), "{bad}");
        }
        assert!(!host_allowed(None, bound));
        assert!(host_allowed(
            Some("127.0.0.2:4000"),
            "127.0.0.2:4000".parse().unwrap()
        ));
    }

    #[test]
    fn decoding_and_content_types() {
        assert_eq!(percent_decode("/a%20b%C3%A8").unwrap(), "/a bè".as_bytes());
        assert_eq!(percent_encode("spazi/è b&c.md"), "spazi/%C3%A8%20b%26c.md");
        for bad in ["%", "%2", "%g0", "%+f"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        assert_eq!(content_type("a.b/FILE.WOFF2"), "font/woff2");
        assert_eq!(content_type("a.b/README"), "application/octet-stream");
        assert_eq!(content_type("spazi/spazi.geojson"), "application/geo+json");
    }
}
