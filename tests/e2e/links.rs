//! The link checker of the published sites: every internal link, asset and `#fragment` of
//! every page of the real WeMi site and of every public fixture site resolves in the output
//! folder (a fragment names an element with that id on the target page). It reads the built
//! files only, as a crawler would, with its own URL resolution (not wemi's), so that it does
//! not trust the code it checks; links to other hosts are not followed (no network).
//!
//! The public fixture sites are those published with the real theme (`theme: wemi` in their
//! `site.yaml`), except `xss`, whose pages are attacks; `.ci/site-checks` runs the Nu HTML
//! Checker, axe and Lighthouse on the same list.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{Site, copy_dir, walk};
use scraper::{Html, Selector};

/// Fixtures published with the real theme that are attacks, not sites a reader sees.
const NOT_PUBLIC: &[&str] = &["xss"];

/// The attributes that point at another resource, by the elements that carry them.
const URL_ATTRIBUTES: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("area[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("img[srcset]", "srcset"),
    ("source[src]", "src"),
    ("source[srcset]", "srcset"),
    ("script[src]", "src"),
    ("iframe[src]", "src"),
    ("video[src]", "src"),
    ("video[poster]", "poster"),
    ("audio[src]", "src"),
    ("track[src]", "src"),
    ("object[data]", "data"),
    ("form[action]", "action"),
    ("use[href]", "href"),
    ("image[href]", "href"),
    (r#"meta[property="og:image"]"#, "content"),
    (r#"meta[property="og:url"]"#, "content"),
    (r#"meta[name="twitter:image"]"#, "content"),
];

/// One published site: its output folder and the URL it is published at.
struct Output {
    folder: PathBuf,
    base_url: String,
}

/// A resource a page points at, inside the site: the path below the site's base path (no
/// leading slash, percent-decoded) and the fragment (percent-decoded, `None` without `#`).
#[derive(Debug, PartialEq)]
pub(crate) struct Target {
    pub(crate) path: String,
    pub(crate) fragment: Option<String>,
}

/// Where `url`, found on the page at site path `page` (e.g. `spazi/x/index.html`), points
/// inside the site; `None` for another host or scheme (`mailto:`, `tel:`, `https://other/`).
pub(crate) fn resolve(url: &str, page: &str, base_url: &str) -> Option<Target> {
    let url = url.trim();
    let (origin, base_path) = split_origin(base_url).expect("the base URL is absolute");
    let (without_fragment, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(percent_decode(fragment))),
        None => (url, None),
    };
    let without_query = without_fragment.split('?').next().unwrap_or_default();
    let absolute_path = if let Some((url_origin, path)) = split_origin(without_query) {
        if !url_origin.eq_ignore_ascii_case(origin) {
            return None;
        }
        path.to_string()
    } else if without_query.starts_with("//") {
        return None;
    } else if without_query.starts_with('/') {
        without_query.to_string()
    } else if has_scheme(without_query) {
        return None;
    } else if without_query.is_empty() {
        format!("{base_path}{page}")
    } else {
        let page_folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
        format!("{base_path}{page_folder}/{without_query}")
    };
    let path = normalize(&absolute_path);
    // A path outside the site's base path keeps a `..` that no file matches.
    let below_base = match path.strip_prefix(base_path) {
        Some(below) => below.to_string(),
        None => format!("..{path}"),
    };
    Some(Target {
        path: percent_decode(&below_base),
        fragment,
    })
}

/// `("https://host:port", "/path…")` of an absolute http(s) URL.
fn split_origin(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")?;
    if !matches!(
        url[..scheme_end].to_ascii_lowercase().as_str(),
        "http" | "https"
    ) {
        return None;
    }
    let after = scheme_end + 3;
    let path_start = url[after..].find('/').map_or(url.len(), |i| after + i);
    Some((&url[..path_start], &url[path_start..]))
}

/// Whether a relative-looking URL starts with a scheme (`mailto:`, `tel:`, `data:` …).
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && !scheme.contains('/')
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `/a/./b/../c/` → `/a/c/`, keeping a trailing slash.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !parts.is_empty() {
        out.push('/');
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The file a site path names in the output, as a static host serves it (a folder by its
/// `index.html`), or `None`.
fn file_for(folder: &Path, path: &str) -> Option<PathBuf> {
    if path.split('/').any(|part| part == "..") {
        return None;
    }
    let file = folder.join(path);
    if file.is_dir() {
        let index = file.join("index.html");
        return index.is_file().then_some(index);
    }
    (file.is_file() && !path.ends_with('/')).then_some(file)
}

/// The ids of a page (HTML or SVG), each page parsed once.
fn ids_of<'a>(
    file: &Path,
    cache: &'a mut BTreeMap<PathBuf, BTreeSet<String>>,
) -> &'a BTreeSet<String> {
    cache.entry(file.to_path_buf()).or_insert_with(|| {
        let doc = Html::parse_document(&fs::read_to_string(file).unwrap_or_default());
        let with_id = Selector::parse("[id]").unwrap();
        doc.select(&with_id)
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect()
    })
}

/// The URLs a page points at: its URL attributes and the `url(…)` of its inline styles.
pub(crate) fn urls_of_page(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut urls = Vec::new();
    for (selector, attribute) in URL_ATTRIBUTES {
        let selector = Selector::parse(selector).unwrap();
        for element in doc.select(&selector) {
            let Some(value) = element.value().attr(attribute) else {
                continue;
            };
            if *attribute == "srcset" {
                urls.extend(srcset_urls(value));
            } else {
                urls.push(value.to_string());
            }
        }
    }
    let style = Selector::parse("style").unwrap();
    for element in doc.select(&style) {
        urls.extend(css_urls(&element.text().collect::<String>()));
    }
    urls
}

fn srcset_urls(srcset: &str) -> Vec<String> {
    srcset
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// The `url(…)` references of a stylesheet (quoted or not).
pub(crate) fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(start) = rest.find("url(") {
        rest = &rest[start + 4..];
        let Some(end) = rest.find(')') else { break };
        let url = rest[..end].trim().trim_matches(|c| c == '"' || c == '\'');
        urls.push(url.to_string());
        rest = &rest[end..];
    }
    urls
}

/// Every broken internal reference of the site, as "page: url (reason)".
fn broken_links(site: &Output) -> Vec<String> {
    let mut broken = Vec::new();
    let mut ids = BTreeMap::new();
    for file in walk(&site.folder) {
        let page = file.strip_prefix(&site.folder).unwrap();
        let page = page.to_string_lossy().replace('\\', "/");
        let urls = match file.extension().and_then(|e| e.to_str()) {
            Some("html") => urls_of_page(&fs::read_to_string(&file).unwrap()),
            Some("css") => css_urls(&fs::read_to_string(&file).unwrap()),
            _ => continue,
        };
        for url in urls {
            // A data: URL inside CSS or a text fragment (`#:~:text=`) points at nothing.
            let Some(target) = resolve(&url, &page, &site.base_url) else {
                continue;
            };
            let Some(target_file) = file_for(&site.folder, &target.path) else {
                broken.push(format!("{page}: {url} (no file at /{})", target.path));
                continue;
            };
            let Some(fragment) = target.fragment else {
                continue;
            };
            let is_document = target_file
                .extension()
                .is_some_and(|e| e == "html" || e == "svg");
            // An empty fragment and `#top` scroll to the top (HTML, "find a potential
            // indicated element"); `:~:` starts a text fragment, not an id.
            if fragment.is_empty()
                || fragment.eq_ignore_ascii_case("top")
                || fragment.starts_with(":~:")
                || !is_document
            {
                continue;
            }
            if !ids_of(&target_file, &mut ids).contains(&fragment) {
                broken.push(format!(
                    "{page}: {url} (no element with id \"{fragment}\" on /{})",
                    target.path
                ));
            }
        }
    }
    broken
}

/// The `base_url` of a site's `site.yaml` (a top-level `base_url:` line).
pub(crate) fn base_url_of(site_root: &Path) -> String {
    let config = fs::read_to_string(site_root.join("site.yaml")).unwrap();
    let line = config
        .lines()
        .find_map(|line| line.strip_prefix("base_url:"))
        .expect("site.yaml sets base_url");
    let url = line.trim().trim_matches(|c| c == '"' || c == '\'');
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// The fixtures published with the real theme, except the attack sites.
fn public_fixtures() -> Vec<String> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut names: Vec<String> = fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let config = fs::read_to_string(entry.path().join("site.yaml")).ok()?;
            let real_theme = config.lines().any(|line| line.trim_end() == "theme: wemi");
            (real_theme && !NOT_PUBLIC.contains(&name.as_str())).then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// Broken links ("page: url (reason)") grouped by link, each with the pages it is on: a link
/// in the theme's header is broken on every page.
fn grouped(broken: &[String]) -> String {
    let mut pages_by_link: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for line in broken {
        let (page, link) = line.split_once(": ").unwrap();
        pages_by_link.entry(link).or_default().insert(page);
    }
    pages_by_link
        .iter()
        .map(|(link, pages)| {
            let pages: Vec<&str> = pages.iter().copied().collect();
            format!("  {link}, on {} pages: {}", pages.len(), pages.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_internal_link_and_fragment_of_the_real_site_and_the_public_fixtures_resolves() {
    let real = common::build_real_site();
    let mut sites = vec![(
        "the real site".to_string(),
        Output {
            folder: real.path().to_path_buf(),
            base_url: base_url_of(Path::new(env!("CARGO_MANIFEST_DIR"))),
        },
    )];
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi");
    let mut fixtures = Vec::new();
    for name in public_fixtures() {
        let site = Site::fixture(&name);
        copy_dir(&themes, &site.root.join("themes/wemi"));
        site.build_ok(&[]);
        let output = Output {
            folder: site.public(""),
            base_url: base_url_of(&site.root),
        };
        sites.push((format!("tests/fixtures/{name}"), output));
        fixtures.push(site);
    }
    let mut report = Vec::new();
    for (name, site) in &sites {
        assert!(
            site.folder.join("index.html").is_file(),
            "{name} has a home"
        );
        let broken = broken_links(site);
        if !broken.is_empty() {
            let links = grouped(&broken);
            report.push(format!("{name}: {} broken links:\n{links}", broken.len()));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn the_checker_finds_each_kind_of_broken_link_and_accepts_the_good_ones() {
    let site = Site::fixture("basic");
    site.write(
        "public/index.html",
        r##"<!DOCTYPE html><html><head><link rel="stylesheet" href="/css/x.css">
        <link rel="icon" href="https://example.org/css/missing.ico"></head><body>
        <h2 id="sopra">x</h2>
        <a href="#sopra">ok</a> <a href="#sotto">no fragment</a> <a href="#">top</a>
        <a href="spazi/">ok</a> <a href="spazi/uno/#orari">ok</a> <a href="spazi/uno/#chiuso">bad</a>
        <a href="/spazi/due/">missing page</a> <a href="../../etc/passwd">above the site</a>
        <a href="https://other.example/x">other host</a> <a href="mailto:a@example.org">mail</a>
        <img src="img/a%20b.png" srcset="img/a%20b.png 1x, /img/c.png 2x" alt="">
        <svg><use href="/icons.svg#casa"></use><use href="/icons.svg#auto"></use></svg>
        </body></html>"##,
    );
    site.write("public/spazi/index.html", "<p>spazi</p>");
    site.write(
        "public/spazi/uno/index.html",
        r#"<table id="orari"></table>"#,
    );
    site.write("public/img/a b.png", "png");
    site.write(
        "public/icons.svg",
        r#"<svg><symbol id="casa"></symbol></svg>"#,
    );
    site.write(
        "public/css/x.css",
        "a{background:url(\"/img/a%20b.png\")} b{background:url(/img/d.png)} i{background:url(data:image/png;base64,AA==)}",
    );
    let broken = broken_links(&Output {
        folder: site.public(""),
        base_url: "https://example.org/".to_string(),
    });
    assert_eq!(
        broken,
        [
            "css/x.css: /img/d.png (no file at /img/d.png)",
            "index.html: #sotto (no element with id \"sotto\" on /index.html)",
            "index.html: spazi/uno/#chiuso (no element with id \"chiuso\" on /spazi/uno/)",
            "index.html: /spazi/due/ (no file at /spazi/due/)",
            "index.html: ../../etc/passwd (no file at /etc/passwd)",
            "index.html: https://example.org/css/missing.ico (no file at /css/missing.ico)",
            "index.html: /img/c.png (no file at /img/c.png)",
            "index.html: /icons.svg#auto (no element with id \"auto\" on /icons.svg)",
        ]
    );
}

#[test]
fn urls_resolve_against_the_page_and_the_base_path() {
    let base = "https://example.org/wemi/";
    let at = |url: &str| resolve(url, "notizie/uno/index.html", base);
    let target = |path: &str, fragment: Option<&str>| {
        Some(Target {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        })
    };
    assert_eq!(at("../due/"), target("notizie/due/", None));
    assert_eq!(at("/wemi/spazi/?q=1#x%20y"), target("spazi/", Some("x y")));
    assert_eq!(at("HTTPS://EXAMPLE.ORG/wemi/"), target("", None));
    assert_eq!(
        at("#orari"),
        target("notizie/uno/index.html", Some("orari"))
    );
    assert_eq!(at("//example.org/wemi/"), None);
    assert_eq!(at("tel:+390200000000"), None);
    assert_eq!(at("https://example.com/wemi/"), None);
    assert_eq!(at("/altro/"), target("../altro/", None));
}
