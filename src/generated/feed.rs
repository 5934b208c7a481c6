//! Atom 1.0 and RSS 2.0 feeds, written as XML text from plain values.
//!
//! The writers are pure: no I/O and no clock, so the same [`Feed`] always gives the same bytes
//! and an unchanged site rewrites no feed. Dates come in as RFC 3339 text with an offset (what
//! [`crate::base::date::rfc3339`] makes) and keep that offset in both formats. Every piece of text is
//! escaped, HTML bodies included (Atom `type="html"`, RSS `description`), and characters that
//! XML 1.0 forbids are dropped, so a stray control character in a page cannot break a feed.
//! [`escape`] is shared with the sitemap writer.

use std::fmt::Write;

use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;
use jiff::{Timestamp, ZonedDateTime};

use crate::base::markup::{escape, escape_attr};

/// The `updated` date of an Atom feed none of whose entries has a date: Atom requires one, and
/// a fixed value keeps the output deterministic.
pub const NO_DATE: &str = "1970-01-01T00:00:00+00:00";

/// What feeds call themselves in `<generator>`.
const GENERATOR: &str = "wemi";

/// One page in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry<'a> {
    /// The page title, as text.
    pub title: &'a str,
    /// The absolute URL of the page, also its id.
    pub permalink: &'a str,
    /// When the page was published: RFC 3339 with offset, e.g. `2018-10-26T17:00:00+02:00`.
    /// A date that does not parse counts as missing.
    pub date: Option<&'a str>,
    /// When the page was last changed, in the same format as `date`.
    pub updated: Option<&'a str>,
    /// A short HTML summary, if the page has one.
    pub summary: Option<&'a str>,
    /// The HTML body of the page.
    pub content: &'a str,
    /// Category terms (taxonomy terms) of the page.
    pub categories: Vec<&'a str>,
}

/// A feed: a listing of pages, newest first as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed<'a> {
    /// The feed title.
    pub title: &'a str,
    /// A one-line description; RSS falls back to the title, which it requires.
    pub description: Option<&'a str>,
    /// The language code, e.g. `it` (`xml:lang` in Atom, `<language>` in RSS).
    pub lang: &'a str,
    /// The absolute URL of the feed itself (`rel="self"`).
    pub feed_url: &'a str,
    /// The absolute URL of the HTML page the feed mirrors (`rel="alternate"`).
    pub site_url: &'a str,
    /// The entries, in the order they appear.
    pub entries: Vec<FeedEntry<'a>>,
}

/// An Atom 1.0 document for `feed`.
///
/// The feed's `updated` is the newest `updated` or `date` of its entries, or [`NO_DATE`] when
/// no entry has one. An entry's `updated` is its own, else its `date`, else the feed's.
/// Atom requires an author: the feed title stands in, as the site has no author of its own.
pub fn atom(feed: &Feed) -> String {
    let updated = newest(&feed.entries).map_or_else(|| NO_DATE.to_string(), Stamp::rfc3339);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape_attr(feed.lang)
    );
    element(&mut out, 1, "title", feed.title);
    if let Some(description) = feed.description {
        element(&mut out, 1, "subtitle", description);
    }
    link(&mut out, 1, "self", "application/atom+xml", feed.feed_url);
    link(&mut out, 1, "alternate", "text/html", feed.site_url);
    element(&mut out, 1, "id", feed.site_url);
    element(&mut out, 1, "updated", &updated);
    out.push_str("  <author>\n");
    element(&mut out, 2, "name", feed.title);
    out.push_str("  </author>\n");
    element(&mut out, 1, "generator", GENERATOR);
    for entry in &feed.entries {
        atom_entry(&mut out, entry, &updated);
    }
    out.push_str("</feed>\n");
    out
}

/// One `<entry>`; `feed_updated` stands in for an undated entry's required `updated`.
fn atom_entry(out: &mut String, entry: &FeedEntry, feed_updated: &str) {
    let published = entry.date.and_then(Stamp::parse);
    let updated = entry
        .updated
        .and_then(Stamp::parse)
        .or(published)
        .map_or_else(|| feed_updated.to_string(), Stamp::rfc3339);
    out.push_str("  <entry>\n");
    element(out, 2, "title", entry.title);
    link(out, 2, "alternate", "text/html", entry.permalink);
    element(out, 2, "id", entry.permalink);
    if let Some(published) = published {
        element(out, 2, "published", &published.rfc3339());
    }
    element(out, 2, "updated", &updated);
    if let Some(summary) = entry.summary {
        let _ = writeln!(
            out,
            "    <summary type=\"html\">{}</summary>",
            escape(summary)
        );
    }
    let _ = writeln!(
        out,
        "    <content type=\"html\">{}</content>",
        escape(entry.content)
    );
    for term in &entry.categories {
        let _ = writeln!(out, "    <category term=\"{}\"/>", escape_attr(term));
    }
    out.push_str("  </entry>\n");
}

/// An RSS 2.0 document for `feed`.
///
/// `lastBuildDate` is the newest `updated` or `date` of the entries, left out when none has
/// one; an item's `description` is its summary, else its whole content.
pub fn rss(feed: &Feed) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("  <channel>\n");
    element(&mut out, 2, "title", feed.title);
    element(&mut out, 2, "link", feed.site_url);
    element(
        &mut out,
        2,
        "description",
        feed.description.unwrap_or(feed.title),
    );
    element(&mut out, 2, "language", feed.lang);
    let _ = writeln!(
        out,
        "    <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        escape_attr(feed.feed_url)
    );
    if let Some(built) = newest(&feed.entries).and_then(Stamp::rfc2822) {
        element(&mut out, 2, "lastBuildDate", &built);
    }
    element(&mut out, 2, "generator", GENERATOR);
    for entry in &feed.entries {
        rss_item(&mut out, entry);
    }
    out.push_str("  </channel>\n</rss>\n");
    out
}

/// One `<item>`.
fn rss_item(out: &mut String, entry: &FeedEntry) {
    out.push_str("    <item>\n");
    element(out, 3, "title", entry.title);
    element(out, 3, "link", entry.permalink);
    let _ = writeln!(
        out,
        "      <guid isPermaLink=\"true\">{}</guid>",
        escape(entry.permalink)
    );
    if let Some(date) = entry.date.and_then(Stamp::parse).and_then(Stamp::rfc2822) {
        element(out, 3, "pubDate", &date);
    }
    element(
        out,
        3,
        "description",
        entry.summary.unwrap_or(entry.content),
    );
    for term in &entry.categories {
        element(out, 3, "category", term);
    }
    out.push_str("    </item>\n");
}

/// The newest `updated` or `date` among `entries`.
fn newest(entries: &[FeedEntry]) -> Option<Stamp> {
    entries
        .iter()
        .flat_map(|e| [e.updated, e.date])
        .flatten()
        .filter_map(Stamp::parse)
        .max_by_key(|s| s.at)
}

/// Writes `<name>text</name>` on its own line, indented by `depth` steps of two spaces.
fn element(out: &mut String, depth: usize, name: &str, text: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<{name}>{}</{name}>",
        "",
        escape(text),
        indent = depth * 2
    );
}

/// Writes an Atom `<link>` (also the RSS channel's `atom:link` shape, without the prefix).
fn link(out: &mut String, depth: usize, rel: &str, media_type: &str, href: &str) {
    let _ = writeln!(
        out,
        "{:indent$}<link rel=\"{rel}\" type=\"{media_type}\" href=\"{}\"/>",
        "",
        escape_attr(href),
        indent = depth * 2
    );
}

/// A feed date: the instant, and the offset it was written with.
#[derive(Debug, Clone, Copy)]
struct Stamp {
    at: Timestamp,
    offset: Offset,
}

impl Stamp {
    /// Reads RFC 3339 text with an offset (`Z` and `-00:00` count as `+00:00`).
    fn parse(text: &str) -> Option<Stamp> {
        let at: Timestamp = text.parse().ok()?;
        let offset = Pieces::parse(text).ok()?.offset()?.to_numeric_offset();
        Some(Stamp { at, offset })
    }

    fn zoned(self) -> ZonedDateTime {
        self.at.to_zoned_datetime(self.offset.to_time_zone())
    }

    /// `2018-10-26T17:00:00+02:00`, as Atom wants it.
    fn rfc3339(self) -> String {
        crate::base::date::rfc3339(&self.zoned())
    }

    /// `Fri, 26 Oct 2018 17:00:00 +0200`, as RSS wants it; `None` for years RFC 2822 cannot
    /// write.
    fn rfc2822(self) -> Option<String> {
        jiff::fmt::rfc2822::to_string(&self.zoned()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "<script>&\"'";

    fn entries() -> Vec<FeedEntry<'static>> {
        vec![
            FeedEntry {
                title: "Apertura straordinaria",
                permalink: "https://wemi.milano.it/notizie/apertura/",
                date: Some("2018-10-26T17:00:00+02:00"),
                updated: Some("2018-11-02T09:30:00+01:00"),
                summary: Some("<p>Sabato <b>aperti</b></p>"),
                content: "<p>Sabato <b>aperti</b> &amp; domenica</p>",
                categories: vec!["eventi", "spazi & servizi"],
            },
            FeedEntry {
                title: NASTY,
                permalink: "https://wemi.milano.it/notizie/a?b=1&c=2",
                date: Some("2018-10-20T08:00:00Z"),
                updated: None,
                summary: None,
                content: "<p>x < y</p>\u{1}\u{b}",
                categories: vec![],
            },
            FeedEntry {
                title: "Senza data",
                permalink: "https://wemi.milano.it/chi-siamo/",
                date: None,
                updated: None,
                summary: None,
                content: "<p>Chi siamo</p>",
                categories: vec![],
            },
        ]
    }

    fn feed(entries: Vec<FeedEntry<'static>>) -> Feed<'static> {
        Feed {
            title: "WeMi – Notizie",
            description: Some("Le notizie di WeMi"),
            lang: "it",
            feed_url: "https://wemi.milano.it/notizie/atom.xml",
            site_url: "https://wemi.milano.it/notizie/",
            entries,
        }
    }

    fn parse(xml: &str) -> feed_rs::model::Feed {
        feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"))
    }

    fn seconds(rfc3339: &str) -> i64 {
        rfc3339.parse::<Timestamp>().unwrap().as_second()
    }

    fn hrefs(links: &[feed_rs::model::Link]) -> Vec<(Option<&str>, &str)> {
        links
            .iter()
            .map(|l| (l.rel.as_deref(), l.href.as_str()))
            .collect()
    }

    #[test]
    fn atom_round_trips_through_a_feed_parser() {
        let xml = atom(&feed(entries()));
        let parsed = parse(&xml);
        assert_eq!(parsed.title.unwrap().content, "WeMi – Notizie");
        assert_eq!(parsed.description.unwrap().content, "Le notizie di WeMi");
        assert_eq!(parsed.id, "https://wemi.milano.it/notizie/");
        let links = hrefs(&parsed.links);
        assert!(links.contains(&(Some("self"), "https://wemi.milano.it/notizie/atom.xml")));
        assert!(links.contains(&(Some("alternate"), "https://wemi.milano.it/notizie/")));
        assert_eq!(
            parsed.updated.unwrap().timestamp(),
            seconds("2018-11-02T09:30:00+01:00")
        );
        assert_eq!(parsed.generator.unwrap().content, "wemi");

        let [first, second, third] = &parsed.entries[..] else {
            panic!("three entries expected: {:?}", parsed.entries.len());
        };
        assert_eq!(
            first.title.as_ref().unwrap().content,
            "Apertura straordinaria"
        );
        assert_eq!(first.id, "https://wemi.milano.it/notizie/apertura/");
        assert_eq!(
            first.links[0].href,
            "https://wemi.milano.it/notizie/apertura/"
        );
        assert_eq!(
            first.published.unwrap().timestamp(),
            seconds("2018-10-26T17:00:00+02:00")
        );
        assert_eq!(
            first.updated.unwrap().timestamp(),
            seconds("2018-11-02T09:30:00+01:00")
        );
        assert_eq!(
            first.summary.as_ref().unwrap().content,
            "<p>Sabato <b>aperti</b></p>"
        );
        assert_eq!(
            first.content.as_ref().unwrap().body.as_deref(),
            Some("<p>Sabato <b>aperti</b> &amp; domenica</p>")
        );
        let terms: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["eventi", "spazi & servizi"]);

        assert_eq!(second.title.as_ref().unwrap().content, NASTY);
        assert_eq!(second.id, "https://wemi.milano.it/notizie/a?b=1&c=2");
        assert_eq!(
            second.content.as_ref().unwrap().body.as_deref(),
            Some("<p>x < y</p>"),
            "control characters are dropped"
        );
        // Updated falls back to the date, and an undated entry to the feed's updated.
        assert_eq!(second.updated, second.published);
        assert_eq!(third.published, None);
        assert_eq!(third.updated, parsed.updated);
    }

    #[test]
    fn atom_keeps_offsets_as_written() {
        let xml = atom(&feed(entries()));
        assert!(xml.contains("<published>2018-10-26T17:00:00+02:00</published>"));
        assert!(xml.contains("<updated>2018-11-02T09:30:00+01:00</updated>"));
        assert!(xml.contains("<published>2018-10-20T08:00:00+00:00</published>"));
        assert!(xml.contains("<title>&lt;script&gt;&amp;&quot;&apos;</title>"));
    }

    #[test]
    fn rss_round_trips_through_a_feed_parser() {
        let xml = rss(&feed(entries()));
        assert!(xml.contains("<lastBuildDate>Fri, 2 Nov 2018 09:30:00 +0100</lastBuildDate>"));
        assert!(xml.contains("<pubDate>Fri, 26 Oct 2018 17:00:00 +0200</pubDate>"));
        let parsed = parse(&xml);
        assert_eq!(parsed.title.unwrap().content, "WeMi – Notizie");
        assert_eq!(parsed.description.unwrap().content, "Le notizie di WeMi");
        assert_eq!(parsed.language.as_deref(), Some("it"));
        let links = hrefs(&parsed.links);
        assert!(links.contains(&(None, "https://wemi.milano.it/notizie/")));
        assert_eq!(
            parsed.updated.unwrap().timestamp(),
            seconds("2018-11-02T09:30:00+01:00")
        );

        let [first, second, third] = &parsed.entries[..] else {
            panic!("three items expected: {:?}", parsed.entries.len());
        };
        assert_eq!(
            first.title.as_ref().unwrap().content,
            "Apertura straordinaria"
        );
        assert_eq!(first.id, "https://wemi.milano.it/notizie/apertura/");
        assert_eq!(
            first.links[0].href,
            "https://wemi.milano.it/notizie/apertura/"
        );
        assert_eq!(
            first.published.unwrap().timestamp(),
            seconds("2018-10-26T17:00:00+02:00")
        );
        assert_eq!(
            first.summary.as_ref().unwrap().content,
            "<p>Sabato <b>aperti</b></p>",
            "the summary is the description"
        );
        let terms: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["eventi", "spazi & servizi"]);

        assert_eq!(second.title.as_ref().unwrap().content, NASTY);
        assert_eq!(
            second.links[0].href,
            "https://wemi.milano.it/notizie/a?b=1&c=2"
        );
        assert_eq!(
            second.summary.as_ref().unwrap().content,
            "<p>x < y</p>",
            "without a summary the content is the description"
        );
        assert_eq!(third.published, None);
        assert_eq!(
            xml.matches("<pubDate>").count(),
            2,
            "the undated item has none"
        );
    }

    #[test]
    fn rss_description_falls_back_to_the_title() {
        let mut f = feed(entries());
        f.description = None;
        let parsed = parse(&rss(&f));
        assert_eq!(parsed.description.unwrap().content, "WeMi – Notizie");
    }

    #[test]
    fn empty_feeds_are_valid() {
        let f = feed(vec![]);
        let xml = atom(&f);
        assert!(xml.contains(&format!("<updated>{NO_DATE}</updated>")));
        let parsed = parse(&xml);
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.updated.unwrap().timestamp(), 0);

        let xml = rss(&f);
        assert!(!xml.contains("lastBuildDate"));
        let parsed = parse(&xml);
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.title.unwrap().content, "WeMi – Notizie");
    }

    #[test]
    fn both_formats_are_well_formed_xml() {
        let f = feed(entries());
        for (xml, root) in [(atom(&f), "feed"), (rss(&f), "rss")] {
            let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
            assert_eq!(doc.root_element().tag_name().name(), root);
            if root == "feed" {
                assert_eq!(
                    doc.root_element()
                        .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                    Some("it")
                );
            }
        }
    }

    #[test]
    fn output_is_deterministic() {
        let f = feed(entries());
        assert_eq!(atom(&f), atom(&f.clone()));
        assert_eq!(rss(&f), rss(&f.clone()));
    }

    #[test]
    fn unparseable_dates_count_as_missing() {
        let mut e = entries();
        e.truncate(1);
        e[0].date = Some("ieri");
        e[0].updated = None;
        let f = feed(e);
        assert!(!atom(&f).contains("<published>"));
        assert!(atom(&f).contains(&format!("<updated>{NO_DATE}</updated>")));
        assert!(!rss(&f).contains("pubDate"));
    }
}
