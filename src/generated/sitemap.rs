//! `sitemap.xml` (the sitemaps.org protocol 0.9) and `robots.txt`, written as text.
//!
//! A sitemap file may list at most [`MAX_URLS`] URLs, so a larger site gets a sitemap index
//! at `sitemap.xml` pointing to `sitemap1.xml`, `sitemap2.xml`, …: crawlers and `robots.txt`
//! always find the site's sitemap at the same address. Like the feeds, this is pure: the same
//! entries in the same order give the same bytes.

use std::fmt::Write;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;

use crate::base::markup::escape;

/// The most URLs one sitemap file may list (sitemaps.org protocol).
pub const MAX_URLS: usize = 50_000;

/// The name of the sitemap (or sitemap index) at the root of the output.
pub const SITEMAP_FILE: &str = "sitemap.xml";

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One URL of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapEntry {
    /// The absolute URL.
    pub loc: String,
    /// When the page last changed: RFC 3339 / W3C datetime (`2018-10-26T17:00:00+02:00` or
    /// `2018-10-26`).
    pub lastmod: Option<String>,
}

/// One `sitemap.xml` when there are at most [`MAX_URLS`] URLs; above that `sitemap.xml` is a
/// sitemap index pointing to `sitemap1.xml`, `sitemap2.xml`, … each of at most [`MAX_URLS`]
/// URLs. Returns (file name relative to the output root, XML text), the index first.
///
/// `base_url` is the absolute URL of the output root (ending with `/`), under which the
/// numbered sitemaps are published. An index gives each sitemap the newest `lastmod` of its
/// entries. No entries give an empty `<urlset>`: well-formed, though the schema wants one URL.
pub fn sitemaps(entries: &[SitemapEntry], base_url: &str) -> Vec<(String, String)> {
    split(entries, base_url, MAX_URLS)
}

/// [`sitemaps`] with the per-file limit as a parameter, so splitting is testable.
fn split(entries: &[SitemapEntry], base_url: &str, limit: usize) -> Vec<(String, String)> {
    if entries.len() <= limit {
        return vec![(SITEMAP_FILE.to_string(), urlset(entries))];
    }
    let base = base_url.trim_end_matches('/');
    let parts: Vec<(String, &[SitemapEntry])> = entries
        .chunks(limit)
        .enumerate()
        .map(|(i, chunk)| (format!("sitemap{}.xml", i + 1), chunk))
        .collect();
    let listed: Vec<SitemapEntry> = parts
        .iter()
        .map(|(name, chunk)| SitemapEntry {
            loc: format!("{base}/{name}"),
            lastmod: newest(chunk).map(str::to_string),
        })
        .collect();
    let mut files = vec![(SITEMAP_FILE.to_string(), index(&listed))];
    files.extend(parts.into_iter().map(|(name, chunk)| (name, urlset(chunk))));
    files
}

/// A `<urlset>` document listing `entries`.
fn urlset(entries: &[SitemapEntry]) -> String {
    document("urlset", "url", entries)
}

/// A `<sitemapindex>` document listing the sitemaps in `sitemaps`.
fn index(sitemaps: &[SitemapEntry]) -> String {
    document("sitemapindex", "sitemap", sitemaps)
}

/// The XML of a `root` element holding one `item` (with `loc` and `lastmod`) per entry.
fn document(root: &str, item: &str, entries: &[SitemapEntry]) -> String {
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{NAMESPACE}\">\n");
    for entry in entries {
        let _ = writeln!(out, "  <{item}>\n    <loc>{}</loc>", escape(&entry.loc));
        if let Some(lastmod) = &entry.lastmod {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", escape(lastmod));
        }
        let _ = writeln!(out, "  </{item}>");
    }
    let _ = writeln!(out, "</{root}>");
    out
}

/// The newest `lastmod` of `entries`, as written; ones that do not parse are ignored.
fn newest(entries: &[SitemapEntry]) -> Option<&str> {
    entries
        .iter()
        .filter_map(|e| e.lastmod.as_deref())
        .filter_map(|text| instant(text).map(|at| (at, text)))
        .max_by_key(|(at, _)| *at)
        .map(|(_, text)| text)
}

/// The instant a W3C datetime denotes; a bare date counts as its midnight in UTC.
fn instant(text: &str) -> Option<Timestamp> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    let day: civil::Date = text.parse().ok()?;
    day.to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

/// A `robots.txt` that allows everything and names the sitemap (an absolute URL). Control
/// characters are dropped from the URL, so it cannot add lines of its own.
pub fn robots(sitemap_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n")
}

/// xmllint and the schemas, as the end-to-end tests run them.
#[cfg(test)]
#[path = "../../tests/e2e/common/tools.rs"]
#[allow(dead_code)] // The browser part is for the end-to-end tests.
mod tools;

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://wemi.milano.it/";

    fn entry(loc: &str, lastmod: Option<&str>) -> SitemapEntry {
        SitemapEntry {
            loc: loc.to_string(),
            lastmod: lastmod.map(str::to_string),
        }
    }

    fn sample(n: usize) -> Vec<SitemapEntry> {
        (0..n)
            .map(|i| {
                let lastmod = match i % 3 {
                    0 => Some(format!("2018-10-{:02}T17:00:00+02:00", i % 28 + 1)),
                    1 => Some(format!("2019-02-{:02}", i % 28 + 1)),
                    _ => None,
                };
                SitemapEntry {
                    loc: format!("{BASE}spazi/{i}/?a=1&b='2'"),
                    lastmod,
                }
            })
            .collect()
    }

    /// The `(loc, lastmod)` pairs of a sitemap or index, read back with an XML parser.
    fn read(xml: &str, root: &str) -> Vec<(String, Option<String>)> {
        let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let top = doc.root_element();
        assert_eq!(top.tag_name().name(), root);
        assert_eq!(top.tag_name().namespace(), Some(NAMESPACE));
        top.children()
            .filter(|n| n.is_element())
            .map(|item| {
                let text = |name: &str| {
                    item.children()
                        .find(|c| c.tag_name().name() == name)
                        .and_then(|c| c.text())
                        .map(str::to_string)
                };
                (text("loc").unwrap(), text("lastmod"))
            })
            .collect()
    }

    fn pairs(entries: &[SitemapEntry]) -> Vec<(String, Option<String>)> {
        entries
            .iter()
            .map(|e| (e.loc.clone(), e.lastmod.clone()))
            .collect()
    }

    #[test]
    fn one_file_lists_every_entry_in_order() {
        let entries = vec![
            entry(
                "https://wemi.milano.it/b/",
                Some("2018-10-26T17:00:00+02:00"),
            ),
            entry("https://wemi.milano.it/a/?x=1&y=<2>", None),
            entry("https://wemi.milano.it/c/\"'", Some("2019-02-01")),
        ];
        let files = sitemaps(&entries, BASE);
        assert_eq!(files.len(), 1);
        let (name, xml) = &files[0];
        assert_eq!(name, "sitemap.xml");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        assert!(xml.contains("<loc>https://wemi.milano.it/a/?x=1&amp;y=&lt;2&gt;</loc>"));
        assert!(xml.contains("<loc>https://wemi.milano.it/c/&quot;&apos;</loc>"));
        assert_eq!(read(xml, "urlset"), pairs(&entries));
    }

    #[test]
    fn exactly_the_limit_stays_one_file() {
        let entries = sample(4);
        let files = split(&entries, BASE, 4);
        assert_eq!(files.len(), 1);
        assert_eq!(read(&files[0].1, "urlset"), pairs(&entries));
    }

    #[test]
    fn above_the_limit_an_index_points_to_numbered_sitemaps() {
        let entries = sample(5);
        let files = split(&entries, BASE, 2);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap1.xml",
                "sitemap2.xml",
                "sitemap3.xml"
            ]
        );
        let listed = read(&files[0].1, "sitemapindex");
        let locs: Vec<&str> = listed.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            locs,
            [
                "https://wemi.milano.it/sitemap1.xml",
                "https://wemi.milano.it/sitemap2.xml",
                "https://wemi.milano.it/sitemap3.xml",
            ]
        );
        // Each sitemap's lastmod is the newest of its entries (an instant, not text order).
        assert_eq!(listed[0].1.as_deref(), Some("2019-02-02"));
        assert_eq!(listed[1].1.as_deref(), Some("2018-10-04T17:00:00+02:00"));
        assert_eq!(listed[2].1.as_deref(), Some("2019-02-05"));
        let parts: Vec<_> = files[1..]
            .iter()
            .flat_map(|(_, xml)| read(xml, "urlset"))
            .collect();
        assert_eq!(parts, pairs(&entries), "every entry once, in order");
        assert_eq!(files, split(&entries, BASE, 2), "deterministic");
    }

    #[test]
    fn the_real_limit_is_fifty_thousand() {
        assert_eq!(MAX_URLS, 50_000);
        let entries: Vec<SitemapEntry> = (0..=MAX_URLS)
            .map(|i| entry(&format!("{BASE}{i}/"), None))
            .collect();
        let files = sitemaps(&entries, BASE);
        assert_eq!(files.len(), 3);
        assert_eq!(read(&files[1].1, "urlset").len(), MAX_URLS);
        assert_eq!(read(&files[2].1, "urlset").len(), 1);
        assert_eq!(sitemaps(&entries[..MAX_URLS], BASE).len(), 1);
    }

    #[test]
    fn index_lastmod_compares_instants() {
        let entries = vec![
            entry("https://x.it/1", Some("2018-10-26T23:30:00-02:00")),
            entry("https://x.it/2", Some("2018-10-27T00:30:00+02:00")),
            entry("https://x.it/3", Some("non è una data")),
        ];
        assert_eq!(newest(&entries), Some("2018-10-26T23:30:00-02:00"));
        assert_eq!(newest(&entries[2..]), None);
    }

    #[test]
    fn robots_names_the_sitemap() {
        assert_eq!(
            robots("https://wemi.milano.it/sitemap.xml"),
            "User-agent: *\nAllow: /\n\nSitemap: https://wemi.milano.it/sitemap.xml\n"
        );
    }

    #[test]
    fn xmllint_accepts_sitemaps_and_their_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut written = Vec::new();
        for files in [split(&sample(5), BASE, 2), sitemaps(&sample(7), BASE)] {
            for (name, xml) in files {
                let path = dir.path().join(written.len().to_string()).join(&name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &xml).unwrap();
                let is_index = xml.contains("<sitemapindex");
                written.push((path, is_index));
            }
        }
        assert_eq!(written.iter().filter(|(_, index)| *index).count(), 1);
        for (path, is_index) in &written {
            let xsd = tools::schema(if *is_index {
                "siteindex.xsd"
            } else {
                "sitemap.xsd"
            });
            if let Err(e) = tools::xmllint(path, &xsd) {
                panic!("{} is invalid:\n{e}", path.display());
            }
        }
    }

    #[test]
    fn xmllint_catches_an_invalid_sitemap() {
        // Guards the test above against passing vacuously.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sitemap.xml");
        let xml = sitemaps(&[entry("https://x.it/a/", Some("ieri"))], BASE);
        std::fs::write(&path, &xml[0].1).unwrap();
        assert!(tools::xmllint(&path, &tools::schema("sitemap.xsd")).is_err());
    }
}
