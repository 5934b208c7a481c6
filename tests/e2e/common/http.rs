//! A small HTTP server on loopback, for the tests of `wemi check --external`: it answers each
//! request with the status the test chooses from its method and path, with an empty body, and
//! keeps the request lines it was sent.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running server; it serves until the test binary ends.
pub struct Server {
    pub port: u16,
    /// The request lines received so far, as `METHOD /path`.
    pub requests: Arc<Mutex<Vec<String>>>,
}

/// Starts a server that answers `status(method, path)` to each request.
pub fn start(status: impl Fn(&str, &str) -> u16 + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            // The whole head, which is all a HEAD or GET sends.
            let mut head = Vec::new();
            let mut buffer = [0; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let head = String::from_utf8_lossy(&head);
            let mut words = head.split_whitespace();
            let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            seen.lock().unwrap().push(format!("{method} {path}"));
            let _ = write!(
                stream,
                "HTTP/1.1 {} Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                status(method, path)
            );
        }
    });
    Server { port, requests }
}
