//! Tests of the preview server through real connections on a loopback port: what pages,
//! files, redirects and 404s it answers, the reload events, the error overlay, and that no
//! request reaches a file outside the site.

use super::*;
use std::io::Read;

use crate::base::error::{Code, Diagnostic};
use crate::output::{OutputFile, OutputSet};
use crate::serve::http::request;

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
        set.insert(
            crate::output::OutputPath::new(path).unwrap(),
            file,
            path.into(),
        )
        .unwrap();
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
        root: Some(dir.path().canonicalize().unwrap()),
        patches: Default::default(),
        errors,
        edit: None,
        ..Default::default()
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

/// The `Host` header line of a request to the server at `addr`.
fn host(addr: SocketAddr) -> String {
    format!("Host: localhost:{}\r\n", addr.port())
}

fn get(addr: SocketAddr, target: &str) -> Answer {
    send(
        addr,
        &format!("GET {target} HTTP/1.1\r\n{}\r\n", host(addr)),
    )
}

/// A connection that has asked for the event stream at `target`.
fn open_events(addr: SocketAddr, target: &str) -> TcpStream {
    let mut stream = connect(addr);
    write!(stream, "GET {target} HTTP/1.1\r\n{}\r\n", host(addr)).unwrap();
    stream
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

/// A copied file is read only while it is a regular file inside the site: not once a link
/// out of the site or a pipe has taken its place (as a `git pull` could put one there).
#[cfg(unix)]
#[test]
fn a_copied_file_is_not_read_through_what_replaced_it() {
    let f = start(vec![]);
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.txt");
    std::fs::write(&secret, b"secret outside").unwrap();
    std::fs::remove_file(&f.logo).unwrap();
    std::os::unix::fs::symlink(&secret, &f.logo).unwrap();
    let a = get(f.addr, "/img/logo.png");
    assert_eq!(a.status, 404);
    assert!(!a.body.contains("secret"), "{}", a.body);

    // A link that stays inside the site is the site's file.
    let inside = f.logo.with_file_name("logo-2.png");
    std::fs::write(&inside, b"PNG inside").unwrap();
    std::fs::remove_file(&f.logo).unwrap();
    std::os::unix::fs::symlink(&inside, &f.logo).unwrap();
    assert_eq!(get(f.addr, "/img/logo.png").body, "PNG inside");

    // A pipe is refused at once: nobody will ever write to it.
    std::fs::remove_file(&f.logo).unwrap();
    let path = std::ffi::CString::new(f.logo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    assert_eq!(get(f.addr, "/img/logo.png").status, 404);
}

/// On loopback, a request sent to any other name (a rebound DNS name) gets nothing: no page,
/// no file, no event stream.
#[test]
fn requests_sent_to_another_name_are_refused() {
    let f = start(vec![]);
    let port = f.addr.port();
    for target in ["/", "/img/logo.png", "/__wemi/events", "/non-esiste"] {
        for host in [
            format!("Host: evil.example:{port}\r\n"),
            format!("Host: 127.0.0.1.evil.example:{port}\r\n"),
            "Host: localhost\r\n".to_string(),
            String::new(),
        ] {
            let a = send(f.addr, &format!("GET {target} HTTP/1.1\r\n{host}\r\n"));
            assert_eq!(a.status, 403, "{target} {host:?}");
            assert!(!a.body.contains("PNG") && !a.body.contains("Home"));
        }
    }
    let a = send(
        f.addr,
        &format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    );
    assert_eq!(a.status, 200);
}

/// Event streams stay open, so they have a cap of their own below the connections': pages
/// are still answered when every stream is taken.
#[test]
fn event_streams_beyond_their_cap_are_refused_and_pages_still_answered() {
    let f = start(vec![]);
    let streams: Vec<TcpStream> = (0..MAX_EVENT_STREAMS)
        .map(|_| {
            let mut stream = open_events(f.addr, "/__wemi/events");
            assert!(read_until(&mut stream, &mut String::new(), "retry: 1000"));
            stream
        })
        .collect();
    let a = get(f.addr, "/__wemi/events");
    assert_eq!(a.status, 503);
    assert_eq!(get(f.addr, "/").status, 200);
    drop(streams);
    let mut stream = open_events(f.addr, "/__wemi/events");
    let started = std::time::Instant::now();
    // The closed streams are noticed within a check or two; then a new one is taken.
    while !read_until(&mut stream, &mut String::new(), "retry: 1000") {
        assert!(started.elapsed() < CLOSED_CHECK_EVERY * 5, "never taken");
        thread::sleep(Duration::from_millis(100));
        stream = open_events(f.addr, "/__wemi/events");
    }
}

/// Files the build wrote into serve's folder are read from it, only through the paths the
/// site lists, and never through a link: not even one pointing inside the folder.
#[test]
fn written_files_are_read_from_the_folder_and_never_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("serve");
    let outside = dir.path().join("outside");
    for (path, text) in [
        ("serve/notizie/a/index.html", "<html><body>A</body></html>"),
        ("serve/css/site.css", "p {}"),
        ("serve/extra.html", "not listed"),
        ("outside/index.html", "<p>secret</p>"),
        ("outside/secret.txt", "secret"),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut listed = vec!["notizie/a/index.html", "css/site.css"];
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(&outside, folder.join("fuori")).unwrap();
        symlink(outside.join("secret.txt"), folder.join("segreto.txt")).unwrap();
        symlink(folder.join("notizie"), folder.join("dentro")).unwrap();
        listed.extend(["fuori/index.html", "segreto.txt", "dentro/a/index.html"]);
    }
    let mut set = OutputSet::default();
    for path in listed {
        let stamp = crate::base::fingerprint::stamp(&folder.join(path)).unwrap();
        let file = OutputFile::Kept(stamp);
        let path = crate::output::OutputPath::new(path).unwrap();
        set.insert(path, file, "x".into()).unwrap();
    }
    let snapshot = Snapshot {
        site: Arc::new(set),
        folder: Some(folder.canonicalize().unwrap()),
        ..Default::default()
    };
    let (_server, addr) = Server::start("127.0.0.1:0".parse().unwrap(), snapshot).unwrap();
    let a = get(addr, "/notizie/a/");
    assert_eq!(a.status, 200);
    assert!(a.body.starts_with("<html><body>A<script>"), "{}", a.body);
    let a = get(addr, "/css/site.css");
    assert_eq!((a.status, a.body.as_str()), (200, "p {}"));
    for target in [
        "/extra.html",
        "/fuori/",
        "/segreto.txt",
        "/dentro/a/",
        "/../outside/secret.txt",
    ] {
        let a = get(addr, target);
        assert!(a.status >= 400, "{target}: {}", a.status);
        assert!(!a.body.contains("secret"), "{target}");
    }
}

/// While the server is paused, requests wait: they are answered from what is published.
#[test]
fn requests_wait_while_the_server_is_paused() {
    let f = start(vec![]);
    let paused = f.server.pause();
    let addr = f.addr;
    let asking = thread::spawn(move || get(addr, "/spazi/"));
    thread::sleep(Duration::from_millis(100));
    assert!(!asking.is_finished(), "answered while paused");
    let mut set = OutputSet::default();
    let path = crate::output::OutputPath::new("spazi/index.html").unwrap();
    set.insert(path, rendered("<p>Nuovi</p>"), "x".into())
        .unwrap();
    let snapshot = Snapshot {
        site: Arc::new(set),
        ..Default::default()
    };
    paused.publish(snapshot, Reload::Full);
    assert!(asking.join().unwrap().body.starts_with("<p>Nuovi</p>"));
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
    let errors = vec![Diagnostic::new(
        Code::FrontMatterValue,
        "content/_index.md",
        "broken",
    )];
    let (_server, addr) = Server::start(
        "127.0.0.1:0".parse().unwrap(),
        Snapshot {
            site: Arc::default(),
            patches: Default::default(),
            errors,
            edit: None,
            ..Default::default()
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
        "/src/serve/mod.rs",
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
    let a = send(f.addr, &format!("HEAD / HTTP/1.1\r\n{}\r\n", host(f.addr)));
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
        &format!(
            "POST / HTTP/1.1\r\n{}Content-Length: 0\r\n\r\n",
            host(f.addr)
        ),
    );
    assert_eq!(a.status, 405);
    assert_eq!(a.header("Allow"), Some("GET, HEAD"));
    assert_eq!(send(f.addr, "garbage\r\n\r\n").status, 400);
}

#[test]
fn errors_show_over_every_page_escaped_until_fixed() {
    let error = Diagnostic::new(
        Code::FrontMatterValue,
        "content/spazi/a.md",
        "bad <script>alert(1)</script>",
    )
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
        patches: Default::default(),
        errors: vec![],
        edit: None,
        ..Default::default()
    };
    f.server.publish(fixed, Reload::Full);
    let a = get(f.addr, "/");
    assert!(!a.body.contains("wemi-errors"));
    assert!(a.body.contains("since=1"));
}

#[test]
fn open_pages_hear_of_every_publish() {
    let f = start(vec![]);
    let mut events = open_events(f.addr, "/__wemi/events?since=0");
    let mut seen = String::new();
    // The headers are sent once the stream is subscribed.
    assert!(read_until(&mut events, &mut seen, "retry: 1000\n\n"));
    assert!(seen.contains("Content-Type: text/event-stream"));
    assert!(!seen.contains("event:"), "generation 0 is current");

    let snapshot = || Snapshot {
        site: Arc::clone(&f.site),
        patches: Default::default(),
        errors: vec![],
        edit: None,
        ..Default::default()
    };
    f.server.publish(snapshot(), Reload::Full);
    assert!(read_until(
        &mut events,
        &mut seen,
        "event: reload\ndata: 1\n\n"
    ));
    f.server
        .publish(snapshot(), Reload::Pages(vec!["a/index.html".into()]));
    assert!(read_until(
        &mut events,
        &mut seen,
        "event: reload\ndata: 2\ndata: [\"a/index.html\"]\n\n"
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
            patches: Default::default(),
            errors: vec![],
            edit: None,
            ..Default::default()
        },
        Reload::Pages(vec!["a/index.html".into()]),
    );
    let mut events = open_events(f.addr, "/__wemi/events?since=0");
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
fn hostile_targets_are_refused_or_name_nothing() {
    let f = start(vec![]);
    let refused = [
        // NUL and other control characters, encoded or not.
        "/index.html%00",
        "/spazi%0d%0aSet-Cookie:%20a=b",
        "/spazi%09",
        "/spazi\r",
        // Overlong UTF-8 for `.`, `/` and `\`: not UTF-8, so not a path.
        "/%C0%AE%C0%AE/Cargo.toml",
        "/%E0%80%AE%E0%80%AE/Cargo.toml",
        "/a%C0%AFb",
        "/a%C1%9Cb",
        // Absolute paths and traversal through the absolute form.
        "//etc/passwd",
        "http://localhost/../Cargo.toml",
        "http://localhost//etc/passwd",
        "http://localhost?since=1",
        "ftp://localhost/",
        "*",
        "localhost:80",
        "spazi/",
    ];
    for target in refused {
        let a = get(f.addr, target);
        assert_eq!(a.status, 400, "{target:?}");
    }
    // An empty segment names no file the build writes: no page, no redirect, no listing.
    for target in [
        "/spazi//",
        "/spazi//index.html",
        "/css//style.css",
        "/img//",
    ] {
        assert_eq!(get(f.addr, target).status, 404, "{target}");
    }
    // A long path within the limit is looked up like any other.
    let long = format!("/{}", "a/".repeat(6_000));
    assert_eq!(get(f.addr, &long).status, 404);
}

/// Found by the `serve_target` fuzz target: `//etc/passwd` was accepted with the path
/// `/etc/passwd`, which only `respond` then refused.
#[test]
fn a_target_that_decodes_to_an_absolute_path_is_refused_when_parsed() {
    for target in ["//etc/passwd", "http://localhost//etc/passwd", "//", "///a"] {
        assert!(
            request::parse_target(target).is_err(),
            "{target}: {:?}",
            request::parse_target(target).map(|t| t.path)
        );
    }
    assert_eq!(
        request::parse_target("/a//b").map(|t| t.path).ok(),
        Some("a//b".into())
    );
}

#[test]
fn the_absolute_form_names_the_same_file_as_the_path() {
    let f = start(vec![]);
    for (absolute, path) in [
        ("http://localhost/css/style.css", "/css/style.css"),
        ("HTTP://example.org:8080/spazi/", "/spazi/"),
        ("https://x/", "/"),
        ("http://x", "/"),
    ] {
        let (a, b) = (get(f.addr, absolute), get(f.addr, path));
        assert_eq!((a.status, &a.body), (200, &b.body), "{absolute}");
    }
    let a = get(f.addr, "http://x/spazi?vista=mappa");
    assert_eq!(a.header("Location"), Some("/spazi/?vista=mappa"));
}

#[test]
fn requests_over_the_limit_get_their_status_not_a_reset() {
    let f = start(vec![]);
    let line = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(20 * 1024));
    assert_eq!(send(f.addr, &line).status, 414);

    let headers = "X-Riempitivo: 0123456789\r\n".repeat(4_000);
    let request = format!("GET / HTTP/1.1\r\n{headers}\r\n");
    assert_eq!(send(f.addr, &request).status, 431);

    // Many headers that fit are fine.
    let request = format!(
        "GET / HTTP/1.1\r\n{}{}\r\n",
        host(f.addr),
        "A: b\r\n".repeat(999)
    );
    assert_eq!(send(f.addr, &request).status, 200);
}

#[test]
fn an_event_stream_is_forgotten_when_its_page_closes() {
    let f = start(vec![]);
    let mut events = open_events(f.addr, "/__wemi/events");
    assert!(read_until(
        &mut events,
        &mut String::new(),
        "retry: 1000\n\n"
    ));
    assert_eq!(f.server.shared.subscribers().len(), 1);
    assert_eq!(*f.server.shared.open(), 1);

    // No publish and no ping comes: the stream notices the close by itself.
    drop(events);
    let closed = std::time::Instant::now();
    while !f.server.shared.subscribers().is_empty() || *f.server.shared.open() > 0 {
        assert!(
            closed.elapsed() < CLOSED_CHECK_EVERY * 5,
            "still subscribed {:?} after the page closed",
            closed.elapsed()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn connections_beyond_the_cap_wait_for_room() {
    let f = start(vec![]);
    // Connections that send nothing yet: each holds its place until it closes.
    let mut idle: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| connect(f.addr)).collect();
    let started = std::time::Instant::now();
    while *f.server.shared.open() < MAX_CONNECTIONS {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "not all accepted"
        );
        thread::sleep(Duration::from_millis(10));
    }

    let mut waiting = connect(f.addr);
    waiting
        .write_all(format!("GET /css/style.css HTTP/1.1\r\n{}\r\n", host(f.addr)).as_bytes())
        .unwrap();
    // Not answered while every place is taken (an answer would come in microseconds)...
    waiting
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let early = waiting.read(&mut [0; 1]);
    assert!(
        early
            .as_ref()
            .is_err_and(|e| e.kind() == io::ErrorKind::WouldBlock),
        "answered beyond the cap: {early:?}"
    );
    // ...and answered as soon as one closes.
    drop(idle.pop());
    waiting
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut answer = String::new();
    waiting.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(answer.ends_with("body { color: black }"), "{answer}");
}
