//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists and smart
//! punctuation, plus heading ids, a table of contents, a summary and a word count.
//!
//! Raw HTML is escaped unless the site allows it (`markdown.unsafe_html`): many editors write
//! here, and a stray `<script>` must not reach the public site. For the same reason links with
//! a `javascript:`, `vbscript:` or `data:` URL are neutralised.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use crate::slug::slugify;

/// A heading of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The `id` attribute of the heading.
    pub id: String,
    /// The heading's text, without markup.
    pub title: String,
    /// The headings below it.
    pub children: Vec<Heading>,
}

/// A link of the body: its URL as written and its byte offset in the markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (`@/spazi/via-piazzetta.md#orari`, `https://…`).
    pub url: String,
    /// Byte offset of the link in the markdown text.
    pub offset: usize,
}

/// What an internal link's `href` holds until [`crate::links`] resolves it: this prefix and
/// the link's index in [`RenderedMarkdown::internal_links`].
pub const INTERNAL_HREF: &str = "wemi-internal:";

/// A markdown body turned into HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMarkdown {
    /// The whole body.
    pub html: String,
    /// What comes before `<!-- more -->`, else the first paragraph; `None` when empty.
    pub summary: Option<String>,
    /// The headings, nested by level.
    pub toc: Vec<Heading>,
    /// Words in the text (for reading time).
    pub word_count: usize,
    /// Links to other content files (`@/…`), in order; their `href` is a placeholder.
    pub internal_links: Vec<Link>,
    /// Links to `http(s)://` addresses, in order.
    pub external_links: Vec<Link>,
}

/// The marker that ends a page's summary.
const MORE: &str = "<!-- more -->";

fn options() -> Options {
    // Listed one by one: `Options::all()` would also enable the old footnote syntax and
    // extensions editors do not expect (math, wikilinks …).
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    o.insert(Options::ENABLE_FOOTNOTES);
    o.insert(Options::ENABLE_STRIKETHROUGH);
    o.insert(Options::ENABLE_TASKLISTS);
    o.insert(Options::ENABLE_SMART_PUNCTUATION);
    o.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    o
}

/// Renders `text`; raw HTML passes only when `unsafe_html` is true.
pub fn render(text: &str, unsafe_html: bool) -> RenderedMarkdown {
    let mut events: Vec<Event> = Vec::new();
    let mut flat_toc: Vec<(u8, String, String)> = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut more_at: Option<usize> = None;
    let mut word_count = 0;
    let mut heading_start: Option<usize> = None;

    let mut internal_links = Vec::new();
    let mut external_links = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some(start) = heading_start.take() {
                    let title = plain_text(&events[start + 1..]);
                    if let Event::Start(Tag::Heading { id, .. }) = &mut events[start] {
                        let wanted = match id.take() {
                            Some(explicit) => explicit.to_string(),
                            None => slugify(&title),
                        };
                        let unique = unique_id(&wanted, &mut used_ids);
                        *id = Some(CowStr::from(unique.clone()));
                        flat_toc.push((heading_number(level), unique, title));
                    }
                }
                events.push(event);
            }
            Event::Html(ref raw) | Event::InlineHtml(ref raw) if raw.trim() == MORE => {
                more_at.get_or_insert(events.len());
            }
            Event::Html(raw) | Event::InlineHtml(raw) if !unsafe_html => {
                events.push(Event::Text(raw));
            }
            Event::Text(ref t) => {
                word_count += t.split_whitespace().count();
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if dest_url.starts_with("@/") {
                    let href = format!("{INTERNAL_HREF}{}", internal_links.len());
                    internal_links.push(Link {
                        url: dest_url.to_string(),
                        offset: range.start,
                    });
                    CowStr::from(href)
                } else {
                    if dest_url.starts_with("http://") || dest_url.starts_with("https://") {
                        external_links.push(Link {
                            url: dest_url.to_string(),
                            offset: range.start,
                        });
                    }
                    if unsafe_html {
                        dest_url
                    } else {
                        neutralise(dest_url)
                    }
                };
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if !unsafe_html => events.push(Event::Start(Tag::Image {
                link_type,
                dest_url: neutralise(dest_url),
                title,
                id,
            })),
            other => events.push(other),
        }
    }

    let summary = match more_at {
        Some(end) => Some(to_html(&events[..end])),
        None => first_paragraph(&events).map(to_html),
    }
    .filter(|s| !s.trim().is_empty());

    RenderedMarkdown {
        html: to_html(&events),
        summary,
        toc: nest(&flat_toc),
        word_count,
        internal_links,
        external_links,
    }
}

fn to_html(events: &[Event]) -> String {
    let mut out = String::with_capacity(events.len() * 16);
    html::push_html(&mut out, events.iter().cloned());
    // Kept for the whole build: without the slack of a growing buffer.
    out.shrink_to_fit();
    out
}

fn first_paragraph<'a, 'b>(events: &'a [Event<'b>]) -> Option<&'a [Event<'b>]> {
    let start = events
        .iter()
        .position(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    // Only a top-level paragraph counts: not one inside a list or a quote.
    let depth_before = events[..start].iter().fold(0i32, |d, e| match e {
        Event::Start(_) => d + 1,
        Event::End(_) => d - 1,
        _ => d,
    });
    if depth_before != 0 {
        return None;
    }
    let len = events[start..]
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))?;
    Some(&events[start..=start + len])
}

fn plain_text(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            out.push_str(t);
        }
    }
    out
}

fn unique_id(wanted: &str, used: &mut HashSet<String>) -> String {
    let base = if wanted.is_empty() { "sezione" } else { wanted };
    let mut candidate = base.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

fn neutralise(url: CowStr<'_>) -> CowStr<'_> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
    {
        CowStr::Borrowed("#")
    } else {
        url
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Nests a flat list of headings: each one goes under the closest previous higher heading.
fn nest(flat: &[(u8, String, String)]) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for (level, id, title) in flat {
        let heading = Heading {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < *level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(heading);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_are_slugged_and_unique() {
        let r = render(
            "# Orari d'apertura\n\n## Dove\n\n## Dove\n\n### Più info {#info}\n",
            false,
        );
        assert!(
            r.html.contains(r#"<h1 id="orari-d-apertura">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"<h2 id="dove">"#));
        assert!(r.html.contains(r#"<h2 id="dove-1">"#));
        assert!(r.html.contains(r#"<h3 id="info">"#));
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].children[0].title, "Più info");
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let r = render("Ciao <script>alert(1)</script>\n\n<div>x</div>\n", false);
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(!r.html.contains("<div>"));
        let r = render("<div>x</div>\n", true);
        assert!(r.html.contains("<div>x</div>"));
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        let r = render(
            "[x](javascript:alert(1)) [y](https://comune.milano.it)",
            false,
        );
        assert!(r.html.contains(r##"href="#""##), "{}", r.html);
        assert!(r.html.contains(r#"href="https://comune.milano.it""#));
    }

    #[test]
    fn summary_from_marker_or_first_paragraph() {
        let r = render("Primo.\n\nSecondo.\n\n<!-- more -->\n\nTerzo.\n", false);
        assert_eq!(
            r.summary.as_deref(),
            Some("<p>Primo.</p>\n<p>Secondo.</p>\n")
        );
        assert!(!r.html.contains("more"));
        let r = render("## Titolo\n\nPrimo paragrafo.\n\nAltro.\n", false);
        assert_eq!(r.summary.as_deref(), Some("<p>Primo paragrafo.</p>\n"));
        assert_eq!(render("", false).summary, None);
    }

    #[test]
    fn links_are_collected_with_offsets() {
        let text = "Vedi [lo spazio](@/spazi/a.md#orari) e [il Comune](https://comune.milano.it).";
        let r = render(text, false);
        assert_eq!(r.internal_links[0].url, "@/spazi/a.md#orari");
        assert_eq!(r.internal_links[0].offset, 5);
        assert!(r.html.contains(r#"href="wemi-internal:0""#), "{}", r.html);
        assert_eq!(r.external_links[0].url, "https://comune.milano.it");
        assert_eq!(&text[r.external_links[0].offset..][..3], "[il");
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~ - [x] fatto\n\nNota[^1]\n\n[^1]: testo\n\n\"ciao\"",
            false,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>no</del>"));
        assert!(r.html.contains("footnote"));
        assert!(r.html.contains("“ciao”"));
        assert_eq!(render("uno due  tre", false).word_count, 3);
    }
}
