//! The HTTP of `wemi serve`, as little of it as a local preview needs: reading a GET or HEAD
//! request, splitting and percent-decoding its target and refusing any path that could name
//! something outside the site, the Content-Type of an output path, and writing an answer.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// The most bytes read of a request (line and headers); GET and HEAD have no body.
const MAX_REQUEST: u64 = 16 * 1024;

/// The parts of a request that matter here.
#[derive(Debug)]
pub(super) struct Request {
    /// HEAD (answer without a body) rather than GET.
    pub(super) head: bool,
    /// The request target, as sent.
    pub(super) target: String,
}

/// Reads the request line and skips the headers; anything but GET or HEAD is refused.
pub(super) fn read_request(stream: &TcpStream) -> Result<Request, Response> {
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
pub(super) struct Target<'a> {
    /// The path as sent (still percent-encoded), for redirects.
    pub(super) raw: &'a str,
    /// The decoded path, without its leading `/`.
    pub(super) path: String,
    /// The query, without its `?`.
    pub(super) query: Option<&'a str>,
}

impl Target<'_> {
    /// The generation a page listening for events was served with (`?since=N`).
    pub(super) fn since(&self) -> Option<u64> {
        self.query?
            .split('&')
            .find_map(|pair| pair.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
    }
}

/// Splits and decodes a request target; a path that could name something outside the site is
/// refused with 400, before and after decoding.
pub(super) fn parse_target(target: &str) -> Result<Target<'_>, Response> {
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

/// An HTTP answer, sent with `Connection: close`.
#[derive(Debug)]
pub(super) struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    pub(super) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A plain text answer saying only its status.
    pub(super) fn text(status: u16) -> Response {
        let body = format!("{status} {}\n", reason(status));
        Response::new(status, "text/plain; charset=utf-8", body.into_bytes())
    }

    pub(super) fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Sends the answer; HEAD gets the same headers and no body.
    pub(super) fn write_to(&self, stream: &mut impl Write, head: bool) -> io::Result<()> {
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

    #[test]
    fn decoding_and_content_types() {
        assert_eq!(percent_decode("/a%20b%C3%A8").unwrap(), "/a bè".as_bytes());
        for bad in ["%", "%2", "%g0", "%+f"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        assert_eq!(content_type("a.b/FILE.WOFF2"), "font/woff2");
        assert_eq!(content_type("a.b/README"), "application/octet-stream");
    }
}
