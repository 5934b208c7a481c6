//! Publishing, tried for real. The real WeMi site built for a subpath
//! (`--base-url http://127.0.0.1:PORT/wemi/`) is served by Debian's nginx with
//! `docs/deploy/nginx.conf`, the file README.md gives administrators, and crawled over HTTP
//! from its home: every link, asset, feed, sitemap entry, canonical and alternate URL, search
//! index file, open data file and redirect must answer 200 under `/wemi/`, with the type and
//! cache lifetime the configuration promises, compressed (`Content-Encoding` br or gzip)
//! exactly where the build wrote a `.br`/`.gz` copy (`publish: { precompress: true }`) and
//! decoding to the file's bytes, and nothing may point outside `/wemi/` or at the production
//! host. And a site deployed to an S3-compatible bucket (moto's server,
//! `aws s3 sync`) uploads nothing the second time, and only the files a change touched the
//! third, because wemi keeps the bytes and modification times of unchanged files; after a
//! clean build only a sync by checksum (rclone) still sends nothing.
//!
//! nginx runs as a process of the test (no root needed, no user switch) on a free loopback
//! port; so does the S3 server. Their names are in the tests' names (`nginx`, `s3`), for
//! `cargo test -- --skip nginx --skip s3` where they are not installed.

use crate::common::serve::{HANG, Reply, fetch, fetch_with};
use crate::common::{self, Site, tools};
use crate::links;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use scraper::{Html, Selector};

/// The subpath the site is published under in these tests, as in `docs/deploy/nginx.conf`.
const PREFIX: &str = "/wemi/";

/// The configuration README.md gives administrators, relative to the repository.
const NGINX_CONF: &str = "docs/deploy/nginx.conf";

/// Debian's nginx (not always on a user's `PATH`).
const NGINX: &str = "/usr/sbin/nginx";

/// Debian's `brotli_static` module (libnginx-mod-http-brotli-static).
const BROTLI_MODULE: &str = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";

/// A loopback port nothing listens on now, for a server the test starts next.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A server the test started, stopped when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` with its output in the file `log`, and returns once it accepts
/// connections on `port`; fails, showing the log, if it ends first.
fn start_server(command: &mut Command, port: u16, log: &Path) -> Server {
    let file = fs::File::create(log).unwrap();
    let child = command
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let mut server = Server { child };
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!(
                "{command:?} ended ({status}) before listening on port {port}:\n{}",
                fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(started.elapsed() < HANG, "{command:?} never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
    server
}

/// `docs/deploy/nginx.conf` made to serve the folder `root` (which holds the site as `wemi/`)
/// on `port` of loopback: only its `listen` and `root` lines are replaced, and each must be
/// there as the administrators' copy has it.
fn server_block(root: &Path, port: u16) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(NGINX_CONF);
    let mut text = fs::read_to_string(&path).unwrap();
    let replacements = [
        (
            "    listen 80;\n",
            format!("    listen 127.0.0.1:{port};\n"),
        ),
        // IPv6 may be off where the tests run.
        ("    listen [::]:80;\n", String::new()),
        (
            "    root /srv/www;\n",
            format!("    root {};\n", root.display()),
        ),
    ];
    for (line, replacement) in replacements {
        assert_eq!(
            text.matches(line).count(),
            1,
            "{NGINX_CONF} should have the line {line:?} once: this test replaces it to serve \
             the site on loopback (change the test with the file)"
        );
        text = text.replace(line, &replacement);
    }
    text
}

/// nginx serving the folder `root` on `port`, with the server block of [`NGINX_CONF`], as an
/// unprivileged process of the test: no daemon, no master process (so no switch to another
/// user, whatever user runs the tests), its files in `dir`.
fn start_nginx(dir: &Path, root: &Path, port: u16) -> Server {
    let mut missing = Vec::new();
    if !tools::runs(&[NGINX, "-v"]) {
        missing.push(format!(
            "Debian's nginx at {NGINX} (`apt-get install nginx`)"
        ));
    }
    if !Path::new(BROTLI_MODULE).is_file() {
        missing.push(format!(
            "its brotli_static module at {BROTLI_MODULE} (`apt-get install \
             libnginx-mod-http-brotli-static`)"
        ));
    }
    tools::require("nginx", "serves the site with nginx", &missing);
    let server = dir.join("wemi.conf");
    fs::write(&server, server_block(root, port)).unwrap();
    let d = dir.display();
    let main = format!(
        "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log stderr warn;\n\
         load_module {BROTLI_MODULE};\nevents {{ worker_connections 64; }}\nhttp {{\n\
         include /etc/nginx/mime.types;\ndefault_type application/octet-stream;\n\
         access_log off;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         fastcgi_temp_path {d}/fastcgi;\nuwsgi_temp_path {d}/uwsgi;\nscgi_temp_path {d}/scgi;\n\
         include {};\n}}\n",
        server.display()
    );
    fs::write(dir.join("nginx.conf"), main).unwrap();
    start_server(
        Command::new(NGINX)
            .arg("-e")
            .arg("stderr")
            .arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf")),
        port,
        &dir.join("nginx.log"),
    )
}

/// The `Content-Type` the configuration gives a file of the site, by its URL path.
fn expected_type(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or_default();
    if name.is_empty() {
        return Some("text/html; charset=utf-8");
    }
    Some(match name {
        "atom.xml" => "application/atom+xml; charset=utf-8",
        "rss.xml" => "application/rss+xml; charset=utf-8",
        _ => match name.rsplit('.').next()? {
            "html" => "text/html; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "js" => "application/javascript; charset=utf-8",
            "json" => "application/json; charset=utf-8",
            "geojson" => "application/geo+json; charset=utf-8",
            "csv" => "text/csv; charset=utf-8",
            "xml" => "text/xml; charset=utf-8",
            "txt" => "text/plain; charset=utf-8",
            "svg" => "image/svg+xml; charset=utf-8",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            "avif" => "image/avif",
            "woff2" => "font/woff2",
            _ => return None,
        },
    })
}

/// Whether a file name carries a content hash the way the configuration recognises it: a
/// dot, at least 8 lowercase hexadecimal digits, a dot and the extension.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3 && {
        let hash = parts[parts.len() - 2];
        hash.len() >= 8 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

/// The `Cache-Control` the configuration gives a file of the site: a year for hashed names,
/// else asking each time.
fn expected_cache(path: &str) -> &'static str {
    if is_hashed(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// What is wrong with the headers of `reply` to `GET {PREFIX}{path}` (a 200).
fn header_problems(path: &str, reply: &Reply) -> Vec<String> {
    let Some(content_type) = expected_type(path) else {
        return vec![format!(
            "{PREFIX}{path}: no type expected for this kind of file: add it to \
             `expected_type` (and to {NGINX_CONF} when nginx's is wrong)"
        )];
    };
    [
        ("Content-Type", content_type),
        ("Cache-Control", expected_cache(path)),
    ]
    .into_iter()
    .filter(|(name, expected)| reply.header(name) != Some(expected))
    .map(|(name, expected)| {
        let sent = reply.header(name);
        format!("{PREFIX}{path}: {name} {sent:?}, expected {expected:?}")
    })
    .collect()
}

/// `path` (decoded, below the prefix) percent-encoded for a request line.
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A crawl of the site served under [`PREFIX`]: every resource reached from where it started,
/// each fetched once, and what was wrong.
struct Crawl {
    port: u16,
    /// `http://127.0.0.1:PORT/wemi/`, what the site was built for.
    base_url: String,
    /// `http://127.0.0.1:PORT`: absolute URLs of the site start with it.
    origin: String,
    /// The host of the `base_url` in `site.yaml`: a URL naming it escaped `--base-url`.
    production_host: String,
    /// Each path reached (below the prefix, decoded), with where it was first found.
    reached: BTreeMap<String, String>,
    queue: VecDeque<String>,
    /// Each `#fragment` to find on a page: (path, fragment, where).
    fragments: Vec<(String, String, String)>,
    /// The ids of each HTML page fetched.
    ids: BTreeMap<String, BTreeSet<String>>,
    /// The search index folders named by pages (`data-search-index`), below the prefix.
    search_indexes: BTreeSet<String>,
    /// What is wrong, one line each.
    problems: Vec<String>,
    /// The folder nginx serves the site from: whether a `.gz`/`.br` copy was written.
    output: PathBuf,
    /// How many responses came compressed with each encoding.
    encoded: BTreeMap<&'static str, usize>,
}

impl Crawl {
    fn new(port: u16, production_host: String, output: PathBuf) -> Crawl {
        let origin = format!("http://127.0.0.1:{port}");
        Crawl {
            port,
            base_url: format!("{origin}{PREFIX}"),
            origin,
            production_host,
            reached: BTreeMap::new(),
            queue: VecDeque::new(),
            fragments: Vec::new(),
            ids: BTreeMap::new(),
            search_indexes: BTreeSet::new(),
            problems: Vec::new(),
            output,
            encoded: BTreeMap::new(),
        }
    }

    /// Follows `url`, found in the resource at `page` (a path below the prefix): queued
    /// when inside the site and not reached yet, a problem when it leaves the prefix.
    fn follow(&mut self, url: &str, page: &str) -> Option<String> {
        // Another host or scheme (`mailto:`, `https://www.comune.milano.it/`) is not followed.
        let links::Target { path, fragment } = links::resolve(url, page, &self.base_url)?;
        if path.starts_with("..") {
            self.problems
                .push(format!("{PREFIX}{page}: {url} points outside {PREFIX}"));
            return None;
        }
        if let Some(fragment) = fragment {
            let target = path.clone();
            let place = format!("{PREFIX}{page}: {url}");
            self.fragments.push((target, fragment, place));
        }
        if !self.reached.contains_key(&path) {
            self.reached
                .insert(path.clone(), format!("{PREFIX}{page}: {url}"));
            self.queue.push_back(path.clone());
        }
        Some(path)
    }

    /// Fetches what is queued, and what it leads to, until nothing is left. Requests ask in
    /// turn for brotli and for gzip: where the build wrote that copy, nginx must send it.
    fn run(&mut self) {
        while let Some(path) = self.queue.pop_front() {
            let fetched: usize = self.encoded.values().sum();
            let accepted = ["br", "gzip"][fetched % 2];
            let target = format!("{PREFIX}{}", encode_path(&path));
            let mut reply = fetch_with(self.port, &target, &[("Accept-Encoding", accepted)])
                .unwrap_or_else(|e| panic!("{e}"));
            if reply.status != 200 {
                let place = &self.reached[&path];
                self.problems
                    .push(format!("{place}: {PREFIX}{path} answered {}", reply.status));
                continue;
            }
            let problems = header_problems(&path, &reply);
            self.problems.extend(problems);
            self.decode(&path, accepted, &mut reply);
            self.read(&path, &reply);
        }
    }

    /// Checks that `reply` came compressed exactly when the build wrote the copy `accepted`
    /// asks for, and replaces its body with the decoded bytes, which must be the file's.
    fn decode(&mut self, path: &str, accepted: &'static str, reply: &mut Reply) {
        let file = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_string()
        };
        let extension = if accepted == "br" { "br" } else { "gz" };
        let copy_written = self.output.join(format!("{file}.{extension}")).is_file();
        let encoding = reply.header("Content-Encoding").map(str::to_string);
        if encoding.as_deref() != copy_written.then_some(accepted) {
            self.problems.push(format!(
                "{PREFIX}{path}: Content-Encoding {encoding:?} for Accept-Encoding {accepted}, \
                 but {file}.{extension} {} written",
                if copy_written { "was" } else { "was not" }
            ));
            return;
        }
        *self
            .encoded
            .entry(if copy_written { accepted } else { "identity" })
            .or_default() += 1;
        if copy_written {
            let mut decoded = Vec::new();
            let compressed = reply.body.as_slice();
            let read = if accepted == "br" {
                brotli::Decompressor::new(compressed, 4096).read_to_end(&mut decoded)
            } else {
                flate2::read::GzDecoder::new(compressed).read_to_end(&mut decoded)
            };
            read.unwrap_or_else(|e| panic!("{PREFIX}{path} ({accepted}): {e}"));
            reply.body = decoded;
        }
        if fs::read(self.output.join(&file)).ok().as_ref() != Some(&reply.body) {
            self.problems.push(format!(
                "{PREFIX}{path} ({accepted}): the body is not the bytes of {file}"
            ));
        }
    }

    /// Follows every URL in `reply`, the resource at `page`.
    fn read(&mut self, page: &str, reply: &Reply) {
        let Ok(text) = std::str::from_utf8(&reply.body) else {
            return;
        };
        if text.contains(&self.production_host) {
            self.problems.push(format!(
                "{PREFIX}{page} names {}, the host of site.yaml's base_url, not the \
                 --base-url it was built for",
                self.production_host
            ));
        }
        // Absolute URLs of the site anywhere: canonical and alternate links, the sitemap's
        // <loc>s, feeds' links, robots.txt, redirects, JSON-LD, the open data files.
        let mut absolute = Vec::new();
        for (at, _) in text.match_indices(&self.origin) {
            let rest = &text[at..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'<>,)\\&".contains(c))
                .unwrap_or(rest.len());
            absolute.push(rest[..end].to_string());
        }
        for url in absolute {
            self.follow(&url, page);
        }
        let media_type = reply.header("Content-Type").unwrap_or_default();
        let media_type = media_type.split(';').next().unwrap_or_default();
        match media_type {
            "text/html" => self.read_page(page, text),
            "text/css" => {
                for url in links::css_urls(text) {
                    self.follow(&url, page);
                }
            }
            "application/atom+xml" | "application/rss+xml" => self.read_feed(page, text),
            "application/json" => self.read_json(page, text),
            _ => {}
        }
    }

    /// A page's URL attributes, inline styles, meta refresh and search index; its ids.
    fn read_page(&mut self, page: &str, text: &str) {
        let doc = Html::parse_document(text);
        let with_id = Selector::parse("[id]").unwrap();
        let ids = doc
            .select(&with_id)
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        self.ids.insert(page.to_string(), ids);
        for url in links::urls_of_page(text) {
            self.follow(&url, page);
        }
        for refresh in common::attrs(&doc, r#"meta[http-equiv="refresh"]"#, "content") {
            if let Some((_, url)) = refresh.split_once("url=") {
                self.follow(url, page);
            }
        }
        // js/search.js fetches `index.json` from this folder, then the files it lists.
        for folder in common::attrs(&doc, "[data-search-index]", "data-search-index") {
            let manifest = self.follow(&format!("{folder}index.json"), page);
            if let Some(folder) = manifest
                .as_deref()
                .and_then(|m| m.strip_suffix("index.json"))
            {
                self.search_indexes.insert(folder.to_string());
            }
        }
    }

    /// The HTML of a feed's entries (their links may be relative).
    fn read_feed(&mut self, page: &str, text: &str) {
        let Ok(feed) = roxmltree::Document::parse(text) else {
            self.problems
                .push(format!("{PREFIX}{page}: not well-formed XML"));
            return;
        };
        let mut urls = Vec::new();
        for node in feed.descendants().filter(|n| n.is_element()) {
            urls.extend(node.attribute("href").map(str::to_string));
            if matches!(
                node.tag_name().name(),
                "content" | "summary" | "description"
            ) {
                urls.extend(links::urls_of_page(node.text().unwrap_or_default()));
            }
        }
        for url in urls {
            self.follow(&url, page);
        }
    }

    /// A JSON file: a search index's manifest leads to the files js/search.js fetches; any
    /// string starting with one `/` is an address of the site (the search results' pages).
    fn read_json(&mut self, page: &str, text: &str) {
        let Ok(json) = serde_json::from_str::<serde_json::Value>(text) else {
            self.problems.push(format!("{PREFIX}{page}: not JSON"));
            return;
        };
        let folder = page.strip_suffix("index.json").unwrap_or_default();
        if self.search_indexes.contains(folder) && page.ends_with("index.json") {
            let count = |key: &str| json[key].as_u64().unwrap_or_default();
            let chunks = json["chunks"].as_array().map_or(0, Vec::len);
            let doc_files = count("docs").div_ceil(count("docs_per_file").max(1));
            for n in 0..chunks as u64 {
                self.follow(&format!("{PREFIX}{folder}terms/{n}.json"), page);
            }
            for n in 0..doc_files {
                self.follow(&format!("{PREFIX}{folder}docs/{n}.json"), page);
            }
        }
        let mut strings = vec![&json];
        let mut urls = Vec::new();
        while let Some(value) = strings.pop() {
            match value {
                serde_json::Value::String(s) if s.starts_with('/') && !s.starts_with("//") => {
                    urls.push(s.clone())
                }
                serde_json::Value::Array(items) => strings.extend(items),
                serde_json::Value::Object(map) => strings.extend(map.values()),
                _ => {}
            }
        }
        for url in urls {
            self.follow(&url, page);
        }
    }

    /// Each `#fragment` followed names an element of its HTML page.
    fn check_fragments(&mut self) {
        for (path, fragment, place) in &self.fragments {
            let Some(ids) = self.ids.get(path) else {
                continue;
            };
            // An empty fragment and `#top` scroll to the top; `:~:` starts a text fragment.
            let to_top = fragment.is_empty() || fragment.eq_ignore_ascii_case("top");
            if !to_top && !fragment.starts_with(":~:") && !ids.contains(fragment) {
                self.problems.push(format!(
                    "{place}: no element with id {fragment:?} on {PREFIX}{path}"
                ));
            }
        }
    }
}

/// The real site, with what it does not have yet but a site may: news paginated (so
/// `page/2/` and the redirect at `page/1/`), an alias (a redirect from an old address), and
/// its output minified and precompressed (`publish:`), as a host with nginx would want it.
fn real_site_with_redirects() -> Site {
    let site = Site::real();
    let config = site.root.join("site.yaml");
    let text = fs::read_to_string(&config).unwrap();
    fs::write(
        &config,
        format!("{text}\npublish:\n  minify: true\n  precompress: true\n"),
    )
    .unwrap();
    let edit = |relative: &str, from: &str, to: &str| {
        let path = site.root.join(relative);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} has no {from:?} any more");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/notizie/_index.md",
        "paginate_by: 10",
        "paginate_by: 2",
    );
    edit(
        "content/notizie/sostienemilano-ultima-tappa.md",
        "date: 2018-10-26\n",
        "date: 2018-10-26\naliases: [/vecchie-notizie/sostienemilano/]\n",
    );
    site
}

#[test]
fn every_link_asset_feed_and_sitemap_entry_resolves_under_a_subpath_on_nginx() {
    let site = real_site_with_redirects();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    let output = root.join(PREFIX.trim_matches('/'));
    let port = free_port();
    let base_url = format!("http://127.0.0.1:{port}{PREFIX}");
    site.build_ok(&[
        "--output",
        output.to_str().unwrap(),
        "--base-url",
        &base_url,
    ]);
    let _nginx = start_nginx(dir.path(), &root, port);

    let production = links::base_url_of(Path::new(env!("CARGO_MANIFEST_DIR")));
    let production_host = production.split('/').nth(2).unwrap().to_string();
    let mut crawl = Crawl::new(port, production_host, output.clone());
    // The home; robots.txt, which names the sitemap; and the redirects, which no page links
    // to: their old addresses are what visitors and search engines still have.
    for start in [
        "",
        "robots.txt",
        "vecchie-notizie/sostienemilano/",
        "notizie/page/1/",
    ] {
        crawl.follow(start, "");
    }
    crawl.run();

    // The page wemi writes for unknown addresses, at any depth: its links must work there.
    let missing = "questa/pagina/non-esiste/";
    let reply = fetch(port, &format!("{PREFIX}{missing}")).unwrap();
    assert_eq!(reply.status, 404, "{PREFIX}{missing}");
    assert_eq!(
        reply.body,
        fs::read(output.join("404.html")).unwrap(),
        "{PREFIX}{missing} is answered with the site's 404.html"
    );
    crawl
        .reached
        .insert(missing.to_string(), "an unknown address".to_string());
    crawl.read(missing, &reply);
    crawl.run();
    crawl.check_fragments();

    // Every page of the output is reached.
    for file in common::walk(&output) {
        let relative = file.strip_prefix(&output).unwrap().to_string_lossy();
        if let Some(folder) = relative.strip_suffix("index.html")
            && !crawl.reached.contains_key(folder)
        {
            crawl
                .problems
                .push(format!("{PREFIX}{folder}: no link leads to this page"));
        }
    }
    assert!(
        crawl.problems.is_empty(),
        "{} problems under {PREFIX} on nginx:\n{}",
        crawl.problems.len(),
        crawl.problems.join("\n")
    );
    // Each kind of resource was reached (so a reader of it that stopped finding URLs fails).
    for path in [
        "sitemap.xml",
        "atom.xml",
        "en/",
        "notizie/page/2/",
        "search/it/index.json",
        "search/it/terms/0.json",
        "search/it/docs/0.json",
        "spazi/spazi.csv",
        "spazi/spazi.geojson",
        "spazi/spazi.json",
    ] {
        assert!(
            crawl.reached.contains_key(path),
            "{PREFIX}{path} was not reached"
        );
    }
    let pages = crawl.ids.len();
    let reached = crawl.reached.len();
    assert!(pages > 50, "only {pages} pages crawled");
    // Most files are big enough to have copies, each encoding was sent many times; small
    // files and images were sent as they are.
    for (encoding, least) in [("br", 40), ("gzip", 40), ("identity", 1)] {
        let sent = crawl.encoded.get(encoding).copied().unwrap_or(0);
        assert!(sent >= least, "{encoding}: {sent} responses of {reached}");
    }
    println!(
        "{reached} URLs answered 200 under {PREFIX}, {pages} of them HTML pages; {:?}",
        crawl.encoded
    );

    // Folders without their slash, the subpath's own included, are redirected to it.
    for (asked, location) in [("/wemi", "/wemi/"), ("/wemi/spazi", "/wemi/spazi/")] {
        let reply = fetch(port, asked).unwrap();
        assert_eq!(reply.status, 301, "{asked}");
        assert_eq!(reply.header("Location"), Some(location), "{asked}");
    }
}

#[test]
fn nginx_serves_precompressed_files_and_caches_hashed_names_for_a_year() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("www");
    let site = root.join(PREFIX.trim_matches('/'));
    let files: [(&str, &[u8]); 4] = [
        ("css/sito.css", b"body { color: black }"),
        ("css/sito.css.gz", b"the gzip copy"),
        ("css/sito.css.br", b"the brotli copy"),
        ("css/sito.3f9a1c2b.css", b"body { color: navy }"),
    ];
    for (name, bytes) in files {
        fs::create_dir_all(site.join(name).parent().unwrap()).unwrap();
        fs::write(site.join(name), bytes).unwrap();
    }
    let port = free_port();
    let _nginx = start_nginx(dir.path(), &root, port);

    // What each Accept-Encoding gets: the copy of the encoding nginx chose, or the file.
    for accepted in ["gzip", "br", "gzip, deflate, br", ""] {
        let reply =
            fetch_with(port, "/wemi/css/sito.css", &[("Accept-Encoding", accepted)]).unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("Vary"),
            Some("Accept-Encoding"),
            "{accepted:?}"
        );
        let (encoding, file) = match reply.header("Content-Encoding") {
            Some("gzip") => ("gzip", "css/sito.css.gz"),
            Some("br") => ("br", "css/sito.css.br"),
            None => ("", "css/sito.css"),
            Some(other) => panic!("Content-Encoding {other} for {accepted:?}"),
        };
        assert!(
            accepted.split(", ").any(|a| a == encoding),
            "{encoding:?} sent to a client accepting {accepted:?}"
        );
        assert_eq!(
            reply.body,
            fs::read(site.join(file)).unwrap(),
            "{accepted:?}"
        );
        assert_eq!(reply.header("Cache-Control"), Some("no-cache"));
    }
    let reply = fetch_with(port, "/wemi/css/sito.css", &[("Accept-Encoding", "br")]).unwrap();
    assert_eq!(reply.header("Content-Encoding"), Some("br"));

    let hashed = fetch(port, "/wemi/css/sito.3f9a1c2b.css").unwrap();
    assert_eq!(hashed.status, 200);
    assert_eq!(
        header_problems("css/sito.3f9a1c2b.css", &hashed),
        [] as [String; 0]
    );
    assert_eq!(
        hashed.header("Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
}

/// A bucket on moto's S3 server, started by the test, and the `aws` command line set up for it
/// alone (no profile or credentials of the user's are read).
struct Bucket {
    _server: Server,
    _dir: tempfile::TempDir,
    endpoint: String,
    config: PathBuf,
}

/// The bucket's name.
const BUCKET: &str = "wemi";

impl Bucket {
    fn start() -> Bucket {
        let mut missing = Vec::new();
        if !tools::runs(&["rclone", "version"]) {
            missing.push("rclone (`apt-get install rclone`)".to_string());
        }
        if !tools::runs(&["moto_server", "--help"]) || !tools::runs(&["aws", "--version"]) {
            missing.push(
                "moto's S3 server and the AWS command line, `moto_server` and `aws` on PATH \
                 (`pip install --require-hashes --no-deps -r .ci/s3-tools.txt` in a virtual \
                 environment)"
                    .to_string(),
            );
        }
        tools::require("s3", "deploys to an S3 bucket", &missing);
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let server = start_server(
            Command::new("moto_server")
                .args(["-H", "127.0.0.1", "-p"])
                .arg(port.to_string()),
            port,
            &dir.path().join("moto.log"),
        );
        let bucket = Bucket {
            _server: server,
            config: dir.path().join("aws"),
            _dir: dir,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        bucket.aws(&["s3", "mb", &format!("s3://{BUCKET}")]);
        bucket
    }

    /// Runs `aws --endpoint-url <server> <args>`, asserting it succeeds.
    fn aws(&self, args: &[&str]) -> Output {
        let out = Command::new("aws")
            .arg("--endpoint-url")
            .arg(&self.endpoint)
            .args(args)
            .env_remove("AWS_PROFILE")
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &self.config)
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .unwrap();
        common::assert_success(&out);
        out
    }

    /// `aws s3 sync --delete folder s3://wemi/`: the keys it uploaded.
    fn sync(&self, folder: &Path) -> BTreeSet<String> {
        let out = self.aws(&[
            "s3",
            "sync",
            "--no-progress",
            "--delete",
            folder.to_str().unwrap(),
            &format!("s3://{BUCKET}/"),
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let target = format!(" to s3://{BUCKET}/");
        stdout
            .lines()
            .map(|line| {
                let upload = line
                    .strip_prefix("upload: ")
                    .and_then(|l| l.split_once(&target));
                upload
                    .unwrap_or_else(|| panic!("not an upload: {line:?}"))
                    .1
                    .to_string()
            })
            .collect()
    }

    /// `rclone sync --checksum folder` to the bucket: the files it copied.
    fn sync_by_checksum(&self, folder: &Path) -> BTreeSet<String> {
        let out = Command::new("rclone")
            .args(["sync", "--checksum", "--verbose"])
            .arg(folder)
            .arg(format!("bucket:{BUCKET}"))
            .env("RCLONE_CONFIG", &self.config)
            .env("RCLONE_CONFIG_BUCKET_TYPE", "s3")
            .env("RCLONE_CONFIG_BUCKET_PROVIDER", "Other")
            .env("RCLONE_CONFIG_BUCKET_ENDPOINT", &self.endpoint)
            .env("RCLONE_CONFIG_BUCKET_ACCESS_KEY_ID", "test")
            .env("RCLONE_CONFIG_BUCKET_SECRET_ACCESS_KEY", "test")
            // rclone's S3 client fails on a CA bundle named there (the server is plain HTTP).
            .env_remove("AWS_CA_BUNDLE")
            .output()
            .unwrap();
        common::assert_success(&out);
        // Its log, on stderr: `… INFO  : index.html: Copied (replaced existing)`.
        String::from_utf8(out.stderr)
            .unwrap()
            .lines()
            .filter_map(|line| line.split_once(": Copied ")?.0.rsplit_once(" : "))
            .map(|(_, name)| name.to_string())
            .collect()
    }

    /// Each object of the bucket with the time it was last written.
    fn objects(&self) -> BTreeMap<String, String> {
        let out = self.aws(&["s3api", "list-objects-v2", "--bucket", BUCKET]);
        let listing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        listing["Contents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|object| {
                let key = object["Key"].as_str().unwrap().to_string();
                (key, object["LastModified"].as_str().unwrap().to_string())
            })
            .collect()
    }
}

/// Every file of `folder` by its path there (`/`-separated): its modification time and bytes.
fn files_of(folder: &Path) -> BTreeMap<String, (SystemTime, Vec<u8>)> {
    common::walk(folder)
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(folder).unwrap().to_string_lossy();
            let modified = fs::metadata(&file).unwrap().modified().unwrap();
            (
                relative.replace('\\', "/"),
                (modified, fs::read(&file).unwrap()),
            )
        })
        .collect()
}

/// Waits until the clock is in a later second than every file of `files` was written in.
/// S3 keeps an object's time in whole seconds, and `aws s3 sync` uploads a file whose
/// modification time is after its object's: a file written in the second of its own upload
/// would be sent once more by the next deploy. (A deploy script starts after the build; this
/// keeps the test from depending on how fast it does.)
fn wait_for_the_next_second(files: &BTreeMap<String, (SystemTime, Vec<u8>)>) {
    let second = |time: SystemTime| time.duration_since(UNIX_EPOCH).unwrap().as_secs();
    let last = files.values().map(|(time, _)| second(*time)).max().unwrap();
    while second(SystemTime::now()) <= last {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The files whose bytes differ between two states of the output, or that only `after` has.
fn changed(
    before: &BTreeMap<String, (SystemTime, Vec<u8>)>,
    after: &BTreeMap<String, (SystemTime, Vec<u8>)>,
) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(name, (_, bytes))| before.get(*name).is_none_or(|(_, old)| old != bytes))
        .map(|(name, _)| name.clone())
        .collect()
}

#[test]
fn a_second_s3_deploy_of_an_unchanged_site_uploads_nothing_and_a_change_only_its_files() {
    let site = Site::real();
    let output = site.public("");
    site.build_ok(&[]);
    let bucket = Bucket::start();

    // First deploy: everything.
    let first_build = files_of(&output);
    wait_for_the_next_second(&first_build);
    let first = bucket.sync(&output);
    let all: BTreeSet<String> = first_build.keys().cloned().collect();
    assert_eq!(first, all, "the first deploy uploads every file");
    let objects = bucket.objects();

    // The same site built again, and again after a page was saved without a change (a build
    // that renders everything): every file keeps its bytes and modification time, and the
    // second deploy uploads nothing.
    site.build_ok(&[]);
    let page = "content/notizie/sostienemilano-ultima-tappa.md";
    let text = fs::read_to_string(site.root.join(page)).unwrap();
    fs::write(site.root.join(page), &text).unwrap();
    let summary = site.build_ok(&[]);
    assert!(summary.contains(" 0 files written"), "{summary}");
    assert!(
        files_of(&output) == first_build,
        "an unchanged build changed the bytes or modification times of files"
    );
    let second = bucket.sync(&output);
    assert_eq!(second, BTreeSet::new(), "the second deploy uploads nothing");
    assert_eq!(
        bucket.objects(),
        objects,
        "the bucket is as the first deploy left it"
    );

    // A page changed: its files are uploaded, and only they.
    let edited = text.replacen("chiude il tour **", "conclude il tour **", 1);
    assert_ne!(edited, text, "{page} says \"chiude il tour **\" no more");
    fs::write(site.root.join(page), edited).unwrap();
    site.build_ok(&[]);
    let third_build = files_of(&output);
    let touched = changed(&first_build, &third_build);
    for (name, (modified, bytes)) in &third_build {
        if first_build[name].1 == *bytes {
            assert_eq!(
                *modified, first_build[name].0,
                "{name} kept its bytes but not its modification time"
            );
        }
    }
    for name in [
        "notizie/sostienemilano-ultima-tappa/index.html",
        "atom.xml",
        "notizie/rss.xml",
        "search/it/index.json",
    ] {
        assert!(touched.contains(name), "{name} changed: {touched:?}");
    }
    wait_for_the_next_second(&third_build);
    let third = bucket.sync(&output);
    assert_eq!(
        third, touched,
        "the third deploy uploads the files that changed"
    );
    println!(
        "deploys: {} files uploaded, then {}, then {}: {}",
        first.len(),
        second.len(),
        third.len(),
        third.iter().cloned().collect::<Vec<_>>().join(", ")
    );

    // A clean build (a fresh clone, as on a CI service) writes every file anew: the same bytes,
    // new times. A sync by checksum sends nothing; a sync by size and time sends every file
    // again (README.md: keep the output folder between deploys, or sync by checksum).
    let objects = bucket.objects();
    fs::remove_dir_all(&output).unwrap();
    fs::remove_dir_all(site.root.join(".wemi")).unwrap();
    site.build_ok(&[]);
    let clean_build = files_of(&output);
    assert_eq!(changed(&third_build, &clean_build), BTreeSet::new());
    wait_for_the_next_second(&clean_build);
    assert_eq!(bucket.sync_by_checksum(&output), BTreeSet::new());
    assert_eq!(bucket.objects(), objects, "rclone --checksum wrote nothing");
    let fourth = bucket.sync(&output);
    let rebuilt: BTreeSet<String> = clean_build.keys().cloned().collect();
    assert_eq!(
        fourth, rebuilt,
        "after a clean build, every file goes again"
    );
}
