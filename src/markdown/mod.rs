//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists and smart
//! punctuation, plus heading ids ([`heading_ids`]), a table of contents, a summary and a word
//! count.
//!
//! Many editors write here, and no script may reach the public site through their text unless
//! the site allows raw HTML (`markdown.unsafe_html`). Until it does, markdown is rendered inert:
//! - raw HTML is escaped, so it shows as text;
//! - links and images whose address is a script URL ([`crate::base::script_url`]: `javascript:`,
//!   `vbscript:`, `data:`, in any spelling) point to `#` instead;
//! - heading attributes (`## Orari {#orari .evidenza}`) keep only the id and the classes, and
//!   only when they are made of letters, digits, `-` and `_`: an id otherwise becomes a slug, a
//!   class is dropped, and every other attribute (`onfocus=…`, `style=…`) is dropped.
//!
//! Every other value the writer puts in an attribute (titles, footnote labels, a code block's
//! language, alt text) is escaped by pulldown-cmark. Whatever the setting, a shortcode
//! placeholder is never left in one of them: its HTML would land inside the attribute.

pub mod heading_ids;
pub mod shortcodes;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

use crate::base::script_url;
use crate::base::slug::slugify;
use crate::markdown::heading_ids::{HeadingIds, heading_id};
use crate::markdown::shortcodes::{Call, CallError, PLACEHOLDER_PREFIX, WrittenOffsets};

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

/// True for a relative link to a markdown file, as files written for other tools link to each
/// other (`altro.md`, `../altro.md#sezione`, `./sub/_index.md`): its path (before any `#`)
/// ends in `.md` and has no scheme, query or leading `/`. It is resolved from the folder of
/// the file it is in, as `@/` links are from `content/`; links to other files are left alone.
pub fn is_relative_markdown_link(url: &str) -> bool {
    let path = url.split_once('#').map_or(url, |(path, _)| path);
    path.ends_with(".md") && !path.starts_with('/') && !path.contains([':', '?'])
}

/// What an internal link's `href` holds until [`crate::site::links`] resolves it: this prefix and
/// the link's index in [`RenderedMarkdown::internal_links`].
pub const INTERNAL_HREF: &str = "wemi-internal:";

/// HTML text made once and then shared, never copied, by all that shows it (a page's summary,
/// in every listing of it): it is held as a Tera string (reference-counted), so that the
/// values templates see hold this very text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedHtml(tera::Value);

impl SharedHtml {
    /// The text as a Tera value: the same text, not a copy.
    pub fn to_value(&self) -> tera::Value {
        self.0.clone()
    }
}

impl From<String> for SharedHtml {
    fn from(html: String) -> SharedHtml {
        SharedHtml(tera::Value::from(html))
    }
}

impl From<&str> for SharedHtml {
    /// Copied once, straight into the Tera string.
    fn from(html: &str) -> SharedHtml {
        SharedHtml(tera::Value::from(html))
    }
}

impl std::ops::Deref for SharedHtml {
    type Target = str;

    fn deref(&self) -> &str {
        // Made from a string only, so always one.
        self.0.as_str().unwrap_or_default()
    }
}

impl std::fmt::Display for SharedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl PartialEq<&str> for SharedHtml {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

/// A page's whole body as HTML. Every page's body is alive at once while a site renders (a
/// listing needs every page first), and bodies are the largest part of a big site in memory:
/// there, each is held compressed (LZ4, about 2.7 times smaller) from the time it is read until
/// its page is rendered ([`BodyHtml::packed`], [`packs_bodies`]). A smaller site keeps them as
/// they are, shared as [`SharedHtml`]: compressing and unpacking would cost it time for memory
/// it does not need.
#[derive(Clone)]
pub enum BodyHtml {
    /// The text, shared.
    Plain(SharedHtml),
    /// The text, compressed; only [`BodyHtml::packed`] makes these bytes, from a `str`.
    Packed(Arc<[u8]>),
}

/// From how many pages on a site holds its bodies compressed ([`BodyHtml::packed`]): at
/// 20,000 pages of a few kilobytes, plain bodies take about 90 MiB.
const PACKED_FROM_PAGES: usize = 20_000;

/// Whether a site of `pages` pages holds its bodies compressed.
pub fn packs_bodies(pages: usize) -> bool {
    pages >= PACKED_FROM_PAGES
}

impl BodyHtml {
    /// This text, compressed.
    pub fn packed(self) -> BodyHtml {
        match self {
            BodyHtml::Plain(html) => {
                BodyHtml::Packed(lz4_flex::compress_prepend_size(html.as_bytes()).into())
            }
            packed => packed,
        }
    }

    /// The HTML.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            BodyHtml::Plain(html) => Cow::Borrowed(html),
            BodyHtml::Packed(bytes) => {
                // Only `packed` makes these bytes, from a `str`: they always unpack, to UTF-8.
                let bytes = lz4_flex::decompress_size_prepended(bytes).unwrap_or_default();
                Cow::Owned(String::from_utf8(bytes).unwrap_or_default())
            }
        }
    }

    /// `html` in this form: compressed if this body is.
    pub fn with_text(&self, html: String) -> BodyHtml {
        let plain = BodyHtml::from(html);
        match self {
            BodyHtml::Plain(_) => plain,
            BodyHtml::Packed(_) => plain.packed(),
        }
    }

    /// The HTML as a Tera value: the very text when it is plain.
    pub fn to_value(&self) -> tera::Value {
        match self {
            BodyHtml::Plain(html) => html.to_value(),
            BodyHtml::Packed(_) => tera::Value::from(self.text().into_owned()),
        }
    }

    /// Whether `other` is this very text, not a copy.
    #[cfg(test)]
    pub fn is_shared_with(&self, other: &BodyHtml) -> bool {
        match (self, other) {
            (BodyHtml::Plain(a), BodyHtml::Plain(b)) => std::ptr::eq(a.as_ptr(), b.as_ptr()),
            (BodyHtml::Packed(a), BodyHtml::Packed(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// The same text, in either form.
impl PartialEq for BodyHtml {
    fn eq(&self, other: &BodyHtml) -> bool {
        self.text() == other.text()
    }
}

impl Eq for BodyHtml {}

impl From<String> for BodyHtml {
    fn from(html: String) -> BodyHtml {
        BodyHtml::Plain(SharedHtml::from(html))
    }
}

impl std::fmt::Debug for BodyHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text().fmt(f)
    }
}

/// A markdown body turned into HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedMarkdown {
    /// The whole body.
    pub html: BodyHtml,
    /// What comes before `<!-- more -->` (up to the end of the top-level element it is in),
    /// else the first paragraph; `None` when empty.
    pub summary: Option<SharedHtml>,
    /// The headings, nested by level.
    pub toc: Vec<Heading>,
    /// Words in the text (for reading time).
    pub word_count: usize,
    /// Links to other content files (`@/…`, and relative ones such as `../altro.md`; see
    /// [`is_relative_markdown_link`]), in order; their `href` is a placeholder.
    pub internal_links: Vec<Link>,
    /// Links to `http(s)://` addresses, in order.
    pub external_links: Vec<Link>,
    /// Where each image without a text alternative starts, in order: `![](foto.jpg)`, and,
    /// where raw HTML is allowed, an `<img>` with no `alt` attribute (`alt=""` is a choice).
    pub images_without_alt: Vec<usize>,
}

/// The marker that ends a page's summary.
const MORE: &str = "<!-- more -->";

/// The pulldown-cmark extensions pages are read with.
pub fn options() -> Options {
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
///
/// The events stream from the parser into the HTML writer: only a heading's events wait, until
/// its end gives its id. The summary is a slice of the HTML, found by noting how much HTML was
/// written when the marker or the first paragraph went by.
pub fn render(text: &str, unsafe_html: bool) -> RenderedMarkdown {
    render_with(text, unsafe_html, None)
}

/// A body as its editor wrote it, rendered by [`render_body`].
#[derive(Debug)]
pub struct RenderedBody {
    /// The body rendered, each shortcode call outside code a placeholder.
    pub markdown: RenderedMarkdown,
    /// The calls outside code, in order: placeholder `n` is call `n`.
    pub calls: Vec<Call>,
    /// Where the offsets of the markdown's links are in the body as written.
    pub written: WrittenOffsets,
}

/// Renders `body`, a page's text as written, with its shortcode calls: those outside code
/// become placeholders ([`shortcodes`]); those in code (a code span or block by CommonMark's
/// rules, as the renderer reads them) are left as written, and so are the `{{` there that do
/// not read as a call. Errors: every call outside code written wrong.
///
/// The calls are replaced first, wherever they are, and the markdown is read once: the
/// renderer puts back as written each call it meets in code.
pub fn render_body(body: &str, unsafe_html: bool) -> Result<RenderedBody, Vec<CallError>> {
    let extracted = shortcodes::extract(body);
    let written = WrittenOffsets::new(&extracted.calls);
    if extracted.calls.is_empty() && extracted.errors.is_empty() {
        return Ok(RenderedBody {
            markdown: render(body, unsafe_html),
            calls: Vec::new(),
            written,
        });
    }
    let mut code = CodeCalls {
        body,
        calls: &extracted.calls,
        starts: written.placeholder_starts().collect(),
        in_code: vec![false; extracted.calls.len()],
        in_block: 0..0,
        noting: !extracted.errors.is_empty(),
        ranges: Vec::new(),
    };
    let mut markdown = render_with(&extracted.text, unsafe_html, Some(&mut code));
    let CodeCalls {
        in_code, ranges, ..
    } = code;
    // In written offsets, in order: calls (and their placeholders) never span code.
    let code_ranges: Vec<Range<usize>> = (ranges.iter())
        .map(|r| written.of(r.start)..written.of(r.end))
        .collect();
    let errors: Vec<CallError> = (extracted.errors.into_iter())
        .filter(|e| {
            let before = code_ranges.partition_point(|r| r.start <= e.offset);
            before == 0 || code_ranges[before - 1].end <= e.offset
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut calls = extracted.calls;
    if in_code.contains(&true) {
        let mut next = 0;
        let numbers: Vec<Option<usize>> = (in_code.iter())
            .map(|&in_code| {
                (!in_code).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        let renumbered = |html: &str| shortcodes::renumber(html, &numbers);
        markdown.summary =
            (markdown.summary.as_deref()).map(|summary| SharedHtml::from(renumbered(summary)));
        markdown.html = BodyHtml::from(renumbered(&markdown.html.text()));
        let mut in_code = in_code.iter();
        calls.retain(|_| in_code.next() == Some(&false));
    }
    Ok(RenderedBody {
        markdown,
        calls,
        written,
    })
}

/// The shortcode calls of a body being rendered, followed into code: [`render_body`].
struct CodeCalls<'b> {
    /// The body as written.
    body: &'b str,
    /// Its calls, each replaced by its placeholder in the text rendered.
    calls: &'b [Call],
    /// Where each call's placeholder starts in the text rendered, in order.
    starts: Vec<usize>,
    /// For each call, whether it is in code (its placeholder then put back as written).
    in_code: Vec<bool>,
    /// The calls in the code block being rendered.
    in_block: Range<usize>,
    /// Whether to note `ranges` (when some `{{` did not read as a call).
    noting: bool,
    /// The byte ranges of code in the text rendered, in order.
    ranges: Vec<Range<usize>>,
}

impl CodeCalls<'_> {
    /// Notes the code at `range` of the text rendered; returns the calls in it.
    fn code_at(&mut self, range: Range<usize>) -> Range<usize> {
        let first = self.starts.partition_point(|&s| s < range.start);
        let end = self.starts.partition_point(|&s| s < range.end);
        self.in_code[first..end].fill(true);
        if self.noting {
            self.ranges.push(range);
        }
        first..end
    }

    /// `text`, code, with the placeholders of `calls` put back as the calls were written.
    fn restore<'a>(&self, text: CowStr<'a>, calls: Range<usize>) -> CowStr<'a> {
        if calls.is_empty() || !text.contains(PLACEHOLDER_PREFIX) {
            return text;
        }
        CowStr::from(shortcodes::put_back(&text, self.body, self.calls, calls))
    }
}

/// Renders `text`; with `code`, the shortcode placeholders found in code are put back.
fn render_with(
    text: &str,
    unsafe_html: bool,
    code: Option<&mut CodeCalls<'_>>,
) -> RenderedMarkdown {
    let written = Cell::new(0);
    let mut out = CountedHtml {
        html: String::with_capacity(text.len() + text.len() / 4),
        written: &written,
    };
    let mut events = Events {
        parser: Parser::new_ext(text, options()).into_offset_iter(),
        unsafe_html,
        written: &written,
        held: VecDeque::new(),
        holding: false,
        images: 0,
        depth: 0,
        first_paragraph: FirstParagraph::NotSeen,
        more_at: None,
        more_pending: false,
        used_ids: HeadingIds::default(),
        flat_toc: Vec::new(),
        word_count: 0,
        internal_links: Vec::new(),
        external_links: Vec::new(),
        alt_texts: Vec::new(),
        images_without_alt: Vec::new(),
        code,
    };
    html::write_html_fmt(&mut out, &mut events).expect("writing to a String cannot fail");
    let html = out.html;
    let summary = match (events.more_at, events.first_paragraph) {
        (Some(end), _) => Some(&html[..end]),
        (None, FirstParagraph::Written(range)) => Some(&html[range]),
        (None, FirstParagraph::Ending(start)) => Some(&html[start..]),
        (None, _) => None,
    }
    .map(|s| s.trim_start_matches('\n'))
    .filter(|s| !s.trim().is_empty())
    .map(SharedHtml::from);
    RenderedMarkdown {
        html: BodyHtml::from(html),
        summary,
        toc: nest(events.flat_toc),
        word_count: events.word_count,
        internal_links: events.internal_links,
        external_links: events.external_links,
        images_without_alt: events.images_without_alt,
    }
}

/// The HTML being written, with its length shared with [`Events`].
struct CountedHtml<'c> {
    html: String,
    written: &'c Cell<usize>,
}

impl std::fmt::Write for CountedHtml<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.html.push_str(s);
        self.written.set(self.html.len());
        Ok(())
    }
}

/// Where the first paragraph is in the HTML, if it is a top-level one.
enum FirstParagraph {
    NotSeen,
    /// Started at this length of the HTML.
    Open(usize),
    /// Its end was handed to the writer: written once the next event is asked for.
    Ending(usize),
    Written(std::ops::Range<usize>),
    /// The first paragraph is inside a list or a quote: no summary from it.
    Nested,
}

/// The parser's events as the writer gets them: heading ids set, raw HTML escaped, links
/// collected and made safe, words counted, the summary's bounds noted, shortcode calls in code
/// put back as written.
struct Events<'a, 'c, 'b> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    unsafe_html: bool,
    written: &'c Cell<usize>,
    /// A heading's events, held until its end; then handed out one by one.
    held: VecDeque<Event<'a>>,
    /// Whether a heading's events are being gathered.
    holding: bool,
    /// How many images are open: their text is written into the `alt` attribute.
    images: usize,
    /// How many tags are open in what the writer got.
    depth: usize,
    first_paragraph: FirstParagraph,
    /// The length of the HTML where `<!-- more -->` was.
    more_at: Option<usize>,
    /// The marker was inside an element (a heading, a paragraph, a list, an image's text):
    /// the summary ends where the top-level element around it does, so that it is whole HTML.
    more_pending: bool,
    used_ids: HeadingIds,
    flat_toc: Vec<(u8, String, String)>,
    word_count: usize,
    internal_links: Vec<Link>,
    external_links: Vec<Link>,
    /// For each image open: where it starts and whether its text alternative has a letter yet.
    alt_texts: Vec<(usize, bool)>,
    images_without_alt: Vec<usize>,
    /// The shortcode calls of the text, when it has some.
    code: Option<&'c mut CodeCalls<'b>>,
}

impl<'a> Iterator for Events<'a, '_, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        // Everything handed out before has been written now.
        if let FirstParagraph::Ending(start) = self.first_paragraph {
            self.first_paragraph = FirstParagraph::Written(start..self.written.get());
        }
        if self.more_pending && self.held.is_empty() && self.depth == 0 {
            self.more_pending = false;
            self.more_at.get_or_insert(self.written.get());
        }
        let event = match self.held.pop_front() {
            Some(event) => event,
            None => {
                let event = self.next_event()?;
                if matches!(event, Event::Start(Tag::Heading { .. })) {
                    self.hold_heading(event)
                } else {
                    event
                }
            }
        };
        match &event {
            Event::Start(tag) => {
                if matches!(tag, Tag::Paragraph)
                    && matches!(self.first_paragraph, FirstParagraph::NotSeen)
                {
                    self.first_paragraph = match self.depth {
                        0 => FirstParagraph::Open(self.written.get()),
                        _ => FirstParagraph::Nested,
                    };
                }
                self.depth += 1;
            }
            Event::End(end) => {
                self.depth = self.depth.saturating_sub(1);
                if let (TagEnd::Paragraph, FirstParagraph::Open(start)) =
                    (end, &self.first_paragraph)
                {
                    self.first_paragraph = FirstParagraph::Ending(*start);
                }
            }
            _ => {}
        }
        Some(event)
    }
}

impl<'a> Events<'a, '_, '_> {
    /// The parser's next event, made safe; the `<!-- more -->` marker is noted and dropped.
    fn next_event(&mut self) -> Option<Event<'a>> {
        loop {
            let (event, range) = self.parser.next()?;
            return Some(match event {
                Event::Html(ref raw) | Event::InlineHtml(ref raw) if raw.trim() == MORE => {
                    // A held heading's start is not counted in `depth` yet.
                    if self.holding || self.depth > 0 {
                        self.more_pending = true;
                    } else {
                        self.more_at.get_or_insert(self.written.get());
                    }
                    continue;
                }
                Event::Html(raw) | Event::InlineHtml(raw) if !self.unsafe_html => {
                    Event::Text(self.for_alt(raw))
                }
                Event::Html(raw) | Event::InlineHtml(raw) => {
                    let without_alt = img_tags_without_alt(&raw).map(|at| range.start + at);
                    self.images_without_alt.extend(without_alt);
                    Event::Html(self.for_alt(raw))
                }
                Event::Text(t) => {
                    if let Some((_, seen)) = self.alt_texts.last_mut() {
                        *seen |= !t.trim().is_empty();
                    }
                    let in_block = self.code.as_ref().map(|code| code.in_block.clone());
                    let t = self.restore(t, in_block);
                    self.word_count += count_words(&t);
                    Event::Text(self.for_alt(t))
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: self.link(dest_url, range.start),
                    title: defuse(title),
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    self.images += 1;
                    self.alt_texts.push((range.start, false));
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: self.inert(dest_url),
                        title: defuse(title),
                        id,
                    })
                }
                Event::End(TagEnd::Image) => {
                    self.images -= 1;
                    if let Some((start, false)) = self.alt_texts.pop() {
                        self.images_without_alt.push(start);
                    }
                    event
                }

                Event::Start(Tag::CodeBlock(kind)) => {
                    let calls = self.code.as_mut().map(|code| {
                        code.in_block = code.code_at(range);
                        code.in_block.clone()
                    });
                    Event::Start(Tag::CodeBlock(match kind {
                        CodeBlockKind::Fenced(info) => {
                            CodeBlockKind::Fenced(defuse(self.restore(info, calls)))
                        }
                        indented => indented,
                    }))
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(code) = self.code.as_mut() {
                        code.in_block = 0..0;
                    }
                    event
                }
                Event::Code(text) => {
                    if let Some((_, seen)) = self.alt_texts.last_mut() {
                        *seen |= !text.trim().is_empty();
                    }
                    let calls = self.code.as_mut().map(|code| code.code_at(range));
                    Event::Code(self.for_alt(self.restore(text, calls)))
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    Event::Start(Tag::FootnoteDefinition(defuse(label)))
                }
                Event::FootnoteReference(label) => Event::FootnoteReference(defuse(label)),
                other => other,
            });
        }
    }

    /// `text` defused when it goes into an image's `alt` attribute, where the writer puts all
    /// the text of an image, code and raw HTML included.
    fn for_alt(&self, text: CowStr<'a>) -> CowStr<'a> {
        if self.images > 0 { defuse(text) } else { text }
    }

    /// `text`, code holding the shortcode calls `calls` (if any): with them as written.
    fn restore(&self, text: CowStr<'a>, calls: Option<Range<usize>>) -> CowStr<'a> {
        match (&self.code, calls) {
            (Some(code), Some(calls)) => code.restore(text, calls),
            _ => text,
        }
    }

    /// Collects an internal or external link; returns the `href` to write.
    fn link(&mut self, dest_url: CowStr<'a>, offset: usize) -> CowStr<'a> {
        if dest_url.starts_with("@/") || is_relative_markdown_link(&dest_url) {
            let href = format!("{INTERNAL_HREF}{}", self.internal_links.len());
            self.internal_links.push(Link {
                url: dest_url.to_string(),
                offset,
            });
            return CowStr::from(href);
        }
        if dest_url.starts_with("http://") || dest_url.starts_with("https://") {
            self.external_links.push(Link {
                url: dest_url.to_string(),
                offset,
            });
        }
        self.inert(dest_url)
    }

    /// A link's or image's address as written, or `#` when it is a script URL and raw HTML is
    /// not allowed (or it holds a shortcode placeholder).
    fn inert(&self, url: CowStr<'a>) -> CowStr<'a> {
        let script = !self.unsafe_html && script_url::scheme(&url).is_some();
        if script || url.contains(PLACEHOLDER_PREFIX) {
            CowStr::Borrowed("#")
        } else {
            url
        }
    }

    /// Holds the events of the heading that `start` opens, gives it its id and adds it to
    /// the table of contents; returns `start` with the id set.
    fn hold_heading(&mut self, mut start: Event<'a>) -> Event<'a> {
        let mut level = None;
        self.holding = true;
        while let Some(event) = self.next_event() {
            if let Event::End(TagEnd::Heading(l)) = event {
                level = Some(l);
            }
            self.held.push_back(event);
            if level.is_some() {
                break;
            }
        }
        self.holding = false;
        let title = plain_text(self.held.iter());
        if let (
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }),
            Some(level),
        ) = (&mut start, level)
        {
            let explicit = id.take().map(defuse);
            let wanted = match explicit {
                Some(explicit) if self.unsafe_html || is_plain_name(&explicit) => {
                    explicit.to_string()
                }
                Some(unsafe_id) => slugify(&unsafe_id),
                None => heading_id(&title),
            };
            if self.unsafe_html {
                for class in classes.iter_mut() {
                    *class = defuse(std::mem::replace(class, CowStr::Borrowed("")));
                }
                for (_, value) in attrs.iter_mut() {
                    *value = value.take().map(defuse);
                }
            } else {
                classes.retain(|class| is_plain_name(class) && !class.contains(PLACEHOLDER_PREFIX));
                attrs.clear();
            }
            let unique = self.used_ids.unique(&wanted);
            *id = Some(CowStr::from(unique.clone()));
            self.flat_toc.push((heading_number(level), unique, title));
        }
        start
    }
}

/// Where each `<img>` tag of the raw HTML `raw` that has no `alt` attribute starts.
fn img_tags_without_alt(raw: &str) -> impl Iterator<Item = usize> + '_ {
    let lower = raw.to_ascii_lowercase();
    let starts: Vec<usize> = lower.match_indices("<img").map(|(at, _)| at).collect();
    starts.into_iter().filter(move |&at| {
        let tag = &lower[at + 4..];
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let is_img =
            tag.is_empty() || tag.starts_with(|c: char| c.is_ascii_whitespace() || c == '/');
        let has_alt = tag.match_indices("alt").any(|(i, _)| {
            let before = tag[..i].chars().next_back();
            let after = tag[i + 3..].trim_start().chars().next();
            before.is_some_and(|c| c.is_ascii_whitespace())
                && matches!(after, Some('=' | '/') | None)
        });
        is_img && !has_alt
    })
}

/// How many words `text` has, as `split_whitespace` counts them.
///
/// Whitespace outside ASCII always starts with one of the bytes C2, E1, E2, E3 (NBSP, U+2000
/// to U+200A, U+3000 …). A text without them has only ASCII whitespace, and its words can be
/// counted byte by byte (the bytes of other characters are all inside words): a word starts
/// at each byte that is not a space and follows one. The bytes are looked at in blocks of 255
/// with one-byte counters, which the compiler turns into vector instructions. Texts that may
/// hold other whitespace are decoded.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let is_space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') < 5);
    let is_lead_of_space = |b: u8| (b == 0xc2) | (b.wrapping_sub(0xe1) < 3);
    let mut words = usize::from(!is_space(first));
    let mut leads = u8::from(is_lead_of_space(first));
    for (before, after) in bytes.chunks(255).zip(bytes[1..].chunks(255)) {
        let (starts, lead) = before
            .iter()
            .zip(after)
            .fold((0u8, 0u8), |(n, l), (&a, &b)| {
                (
                    n + u8::from(is_space(a) & !is_space(b)),
                    l | u8::from(is_lead_of_space(b)),
                )
            });
        words += usize::from(starts);
        leads |= lead;
    }
    if leads != 0 {
        return text.split_whitespace().count();
    }
    words
}

fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut out = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            out.push_str(t);
        }
    }
    out
}

/// Whether a heading's id or class from markdown is only letters, digits, `-` and `_`.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// `text` bound for an attribute, with any shortcode placeholder made unrecognisable: the
/// shortcode's HTML would otherwise be put inside the attribute, where its quotes could open
/// new attributes. Placeholders belong in text only; one here was typed by hand or written
/// where a shortcode cannot go.
fn defuse(text: CowStr<'_>) -> CowStr<'_> {
    if text.contains(PLACEHOLDER_PREFIX) {
        CowStr::from(text.replace(PLACEHOLDER_PREFIX, &PLACEHOLDER_PREFIX.to_ascii_lowercase()))
    } else {
        text
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
/// Their ids and titles are moved, not copied.
fn nest(flat: Vec<(u8, String, String)>) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for (level, id, title) in flat {
        let heading = Heading {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
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
            r.html.text().contains(r#"<h1 id="orari-d-apertura">"#),
            "{}",
            r.html.text()
        );
        assert!(r.html.text().contains(r#"<h2 id="dove">"#));
        assert!(r.html.text().contains(r#"<h2 id="dove-1">"#));
        assert!(r.html.text().contains(r#"<h3 id="info">"#));
        assert_eq!(r.toc.len(), 1);
        assert_eq!(r.toc[0].children.len(), 2);
        assert_eq!(r.toc[0].children[1].children[0].title, "Più info");
    }

    #[test]
    fn heading_ids_follow_the_github_rule_with_a_neutral_fallback() {
        let text = "## 1. Orari & contatti\n\n## -x\n\n##\n\n## ?\n\n## Dove\n\n## Dove\n\n\
                    ## Perché `sì`\n\n## L'offerta\n\nOpening hours\n---\n";
        let r = render(text, false);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "1-orari--contatti",
                "-x",
                "heading",
                "heading-1",
                "dove",
                "dove-1",
                "perche-si",
                "l-offerta",
                "opening-hours"
            ]
        );
        assert!(
            r.html.text().contains(r#"<h2 id="-x">-x</h2>"#),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn repeated_heading_ids_take_the_first_free_number() {
        let r = render("# A\n\n# A\n\n## B {#a-2}\n\n# A\n\n# A-1\n\n# A\n", false);
        let ids: Vec<&str> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-3", "a-1-1", "a-4"]);
        assert_eq!(r.toc[1].children[0].id, "a-2");
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let r = render("Ciao <script>alert(1)</script>\n\n<div>x</div>\n", false);
        assert!(!r.html.text().contains("<script>"), "{}", r.html.text());
        assert!(r.html.text().contains("&lt;script&gt;"));
        assert!(!r.html.text().contains("<div>"));
        let r = render("<div>x</div>\n", true);
        assert!(r.html.text().contains("<div>x</div>"));
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        let r = render(
            "[x](javascript:alert(1)) [y](https://comune.milano.it)",
            false,
        );
        assert!(r.html.text().contains(r##"href="#""##), "{}", r.html.text());
        assert!(r.html.text().contains(r#"href="https://comune.milano.it""#));
    }

    #[test]
    fn script_urls_are_neutralised_in_every_encoding() {
        let text = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:x) \
            [d](&#x6A;avascript&colon;x) [e](<java\tscript:x>) [f](java&#9;script:x) \
            [g](<\u{1}javascript:x>) [h](&#1;javascript:x) [i](vbscript:x) \
            [j](data:text/html,%3Cb%3E) [k](DATA:text/html;base64,PGI+) <javascript:alert(1)> \
            [l][ref] ![m](javascript:x) ![n](data:image/svg+xml,x)\n\n[ref]: javascript:alert(2)\n";
        let r = render(text, false);
        let doc = scraper::Html::parse_fragment(&r.html.text());
        let hrefs: Vec<&str> = doc
            .select(&scraper::Selector::parse("a[href], img[src]").unwrap())
            .map(|e| e.attr("href").or(e.attr("src")).unwrap())
            .collect();
        assert_eq!(hrefs.len(), 15, "{}", r.html.text());
        assert!(
            hrefs.iter().all(|h| *h == "#"),
            "{hrefs:?}\n{}",
            r.html.text()
        );
        // With raw HTML allowed, the editor is trusted with addresses too.
        let r = render("[a](javascript:alert(1))", true);
        assert!(
            r.html.text().contains("javascript:alert(1)"),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn heading_attributes_keep_only_plain_ids_and_classes() {
        let r = render(
            "## Orari {#orari .evidenza onfocus=alert(1) autofocus tabindex=0 style=x}\n\n\
             ## Dove {#a/b:c .a%b .ok id=x class=y}\n",
            false,
        );
        assert!(
            r.html
                .text()
                .contains(r#"<h2 id="orari" class="evidenza">Orari</h2>"#),
            "{}",
            r.html.text()
        );
        assert!(
            r.html
                .text()
                .contains(r#"<h2 id="a-b-c" class="ok">Dove</h2>"#),
            "{}",
            r.html.text()
        );
        assert_eq!(r.toc[1].id, "a-b-c");
        let r = render("## Orari {#orari onfocus=alert(1)}\n", true);
        assert!(
            r.html.text().contains(r#"onfocus="alert(1)""#),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn placeholders_never_land_in_attributes() {
        let p = crate::markdown::shortcodes::placeholder(0);
        let text = format!(
            "{p}\n\n[a]({p} \"{p}\") ![{p}]({p}) [^{p}] ![a <i>{p}</i> `{p}`](/b.png)\n\n\
             ## T {{#{p} .{p}}}\n\n```{p}\nx\n```\n\n[^{p}]: nota\n"
        );
        for unsafe_html in [false, true] {
            let r = render(&text, unsafe_html);
            // Only the paragraph that is the placeholder keeps it.
            assert_eq!(r.html.text().matches(&p).count(), 1, "{}", r.html.text());
            assert!(
                r.html.text().starts_with(&format!("<p>{p}</p>")),
                "{}",
                r.html.text()
            );
        }
    }

    #[test]
    fn summary_from_marker_or_first_paragraph() {
        let r = render("Primo.\n\nSecondo.\n\n<!-- more -->\n\nTerzo.\n", false);
        assert_eq!(
            r.summary.as_deref(),
            Some("<p>Primo.</p>\n<p>Secondo.</p>\n")
        );
        assert!(!r.html.text().contains("more"));
        let r = render("## Titolo\n\nPrimo paragrafo.\n\nAltro.\n", false);
        assert_eq!(r.summary.as_deref(), Some("<p>Primo paragrafo.</p>\n"));
        assert_eq!(render("", false).summary, None);
        // The first paragraph counts only at the top level.
        let r = render("- uno\n\n- due\n\nDopo.\n", false);
        assert_eq!(r.summary, None);
        // A marker inside an element ends the summary where the top-level element around it
        // ends: a paragraph, an image's text, a list, a heading.
        for (text, summary) in [
            (
                "Testo <!-- more --> altro.\n\nDopo.\n",
                "<p>Testo  altro.</p>\n",
            ),
            (
                "Testo ![foto <!-- more --> altro](/a.png) fine.\n\nDopo.\n",
                "<p>Testo <img src=\"/a.png\" alt=\"foto  altro\" /> fine.</p>\n",
            ),
            (
                "- uno [a <!-- more -->](/b/)\n- due\n\nDopo.\n",
                "<ul>\n<li>uno <a href=\"/b/\">a </a></li>\n<li>due</li>\n</ul>\n",
            ),
        ] {
            assert_eq!(
                render(text, false).summary.as_deref(),
                Some(summary),
                "{text:?}"
            );
        }
        let r = render("Prima.\n\n## Orari <!-- more -->\n\nDopo.\n", false);
        assert_eq!(
            r.summary.as_deref(),
            Some("<p>Prima.</p>\n<h2 id=\"orari\">Orari </h2>\n")
        );
        assert_eq!(r.toc[0].id, "orari");
    }

    #[test]
    fn words_are_counted_like_split_whitespace() {
        for text in [
            "",
            "  ",
            "uno",
            "uno due  tre",
            " città\tperché\n\nnaïve ",
            "a\u{a0}b\u{3000}c\u{2009}d\u{85}e",
            "già\u{a0}\u{a0}",
            "\u{1f600} emoji\u{1f600}x",
            "\x0bvert\x0cfeed\r",
            "l\u{2019}offerta \u{201c}WeMi\u{201d} \u{2014} tate",
            "\u{1680}x\u{2028}y\u{2029}z\u{202f}w\u{205f}v",
            "\u{e9}t\u{e9} \u{c0}ncora",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_are_counted_in_texts_of_every_length() {
        // Longer than a block of 255 bytes, cut at every byte.
        let text =
            "Lo spazio WeMi\tdi via Piazzetta 2 apre  il sabato;\norari e servizi\r\n".repeat(4);
        for end in 0..=text.len() {
            for part in [&text[..end], &text[end..]] {
                assert_eq!(
                    count_words(part),
                    part.split_whitespace().count(),
                    "{part:?}"
                );
            }
        }
    }

    #[test]
    fn unicode_whitespace_starts_with_the_bytes_count_words_looks_for() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            if c.is_whitespace() && !c.is_ascii() {
                let mut utf8 = [0; 4];
                let first = c.encode_utf8(&mut utf8).as_bytes()[0];
                assert!(matches!(first, 0xc2 | 0xe1..=0xe3), "{c:?}");
            }
        }
    }

    #[test]
    fn links_are_collected_with_offsets() {
        let text = "Vedi [lo spazio](@/spazi/a.md#orari) e [il Comune](https://comune.milano.it).";
        let r = render(text, false);
        assert_eq!(r.internal_links[0].url, "@/spazi/a.md#orari");
        assert_eq!(r.internal_links[0].offset, 5);
        assert!(
            r.html.text().contains(r#"href="wemi-internal:0""#),
            "{}",
            r.html.text()
        );
        assert_eq!(r.external_links[0].url, "https://comune.milano.it");
        assert_eq!(&text[r.external_links[0].offset..][..3], "[il");
    }

    /// The calls `render_body` runs in `body` (with raw HTML off), by name, and its HTML.
    fn calls_run(body: &str) -> (Vec<String>, String) {
        let r = render_body(body, false).unwrap();
        let names = r.calls.iter().map(|c| c.name.clone()).collect();
        (names, r.markdown.html.text().into_owned())
    }

    #[test]
    fn shortcodes_in_code_are_left_as_written() {
        for body in [
            // A four-backtick fence holding a three-backtick line.
            "````\n```\n{{ card(spazio=\"a\") }}\n```\n````\n",
            // A fence indented within a list item of a list item.
            "- uno\n  - due\n\n    ```\n    {{ card(spazio=\"a\") }}\n    ```\n",
            // An indented code block, and one in a quote.
            "Testo.\n\n    {{ card(spazio=\"a\") }}\n\n>     {{ card(spazio=\"a\") }}\n",
            // Code spans: of two backticks, holding a backtick; over two lines.
            "``{{ card(spazio=\"a\") }} ` `` e `inizio\n{{ card(spazio=\"a\") }}`\n",
            // The info string of a fence, and what it holds.
            "~~~ {{ card(spazio=\"a\") }}\n{{ card(spazio=\"a\") }}\n~~~\n",
        ] {
            let (calls, html) = calls_run(body);
            assert!(calls.is_empty(), "{body:?}: {calls:?}");
            assert!(!html.contains(PLACEHOLDER_PREFIX), "{body:?}: {html}");
            let doc = scraper::Html::parse_fragment(&html);
            let code: String = doc
                .select(&scraper::Selector::parse("code").unwrap())
                .flat_map(|e| e.text())
                .collect();
            assert!(
                code.contains("{{ card(spazio=\"a\") }}"),
                "{body:?}: {html}"
            );
        }
    }

    #[test]
    fn shortcodes_outside_code_run_and_are_numbered_from_zero() {
        // Just after a closing fence; after a code span on its line; in an HTML block.
        let body = "```\n{{ a() }}\n```\n{{ card(spazio=\"a\") }}\n\n`{{ b() }}` {{ figura(src=\"x.jpg\") }}\n\n<div>\n{{ card(spazio=\"b\") }}\n</div>\n";
        let r = render_body(body, true).unwrap();
        let names: Vec<&str> = r.calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["card", "figura", "card"]);
        assert_eq!(&body[r.calls[0].offset..][..7], "{{ card");
        let html = r.markdown.html.text();
        for n in 0..3 {
            assert_eq!(
                html.matches(&shortcodes::placeholder(n)).count(),
                1,
                "{html}"
            );
        }
        assert!(!html.contains(&shortcodes::placeholder(3)), "{html}");
        assert!(html.contains("<code>{{ b() }}</code>"), "{html}");
        // The summary, the first paragraph, is numbered the same way.
        let summary = r.markdown.summary.as_deref().unwrap_or_default();
        assert_eq!(summary, format!("<p>{}</p>\n", shortcodes::placeholder(0)));
    }

    #[test]
    fn links_after_calls_in_code_keep_their_offsets() {
        let body = "`{{ a(x=1) }}` {{ b() }} [l](@/a.md)";
        let r = render_body(body, false).unwrap();
        let offset = r.written.of(r.markdown.internal_links[0].offset);
        assert_eq!(offset, body.find("[l]").unwrap());
    }

    #[test]
    fn calls_written_wrong_are_errors_outside_code_only() {
        let wrong = "{{ card(spazio=via) }}";
        let in_code = format!("```\n{wrong}\n```\n\n`{wrong}`\n\n    {wrong}\n");
        assert!(render_body(&in_code, false).is_ok());
        let errors = render_body(&format!("{in_code}\n{wrong}\n"), false).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].offset,
            in_code.len() + 1 + "{{ card(spazio=".len()
        );
    }

    #[test]
    fn relative_links_to_markdown_files_are_internal() {
        let text = "[a](altro.md) [b](../altro.md#orari) [c][r] ![i](foto.md) \
                    [d](doc.pdf) [e](/altro.md) [f](https://x.it/a.md) [g](a.md?x=1) [h](a.mdx)\n\n\
                    [r]: ./sub/_index.md\n";
        let r = render(text, false);
        let urls: Vec<&str> = r.internal_links.iter().map(|l| l.url.as_str()).collect();
        // An image is never a page: only links are resolved.
        assert_eq!(urls, ["altro.md", "../altro.md#orari", "./sub/_index.md"]);
        assert!(
            r.html.text().contains(r#"href="wemi-internal:2""#),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains(r#"href="doc.pdf""#),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn extensions_are_on() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~no~~ - [x] fatto\n\nNota[^1]\n\n[^1]: testo\n\n\"ciao\"",
            false,
        );
        assert!(r.html.text().contains("<table>"));
        assert!(r.html.text().contains("<del>no</del>"));
        assert!(r.html.text().contains("footnote"));
        assert!(r.html.text().contains("“ciao”"));
        assert_eq!(render("uno due  tre", false).word_count, 3);
    }

    #[test]
    fn packed_bodies_unpack_to_the_same_text_and_take_less_room() {
        for text in ["", "<p>è “così” 𝄞</p>\n", "x"] {
            let packed = BodyHtml::from(text.to_string()).packed();
            assert!(matches!(packed, BodyHtml::Packed(_)));
            assert_eq!(packed.text(), text);
            assert_eq!(packed, BodyHtml::from(text.to_string()), "the same text");
            assert_eq!(
                packed.with_text(format!("{text}!")).text(),
                format!("{text}!")
            );
        }
        let body = render(
            &"Un paragrafo *di prova* sugli spazi WeMi.\n\n".repeat(50),
            false,
        );
        assert!(matches!(body.html, BodyHtml::Plain(_)));
        let html = body.html.text().into_owned();
        assert!(
            html.starts_with("<p>Un paragrafo <em>di prova</em>"),
            "{html}"
        );
        let packed = body.html.clone().packed();
        let BodyHtml::Packed(bytes) = &packed else {
            panic!("not packed: {packed:?}");
        };
        assert!(
            bytes.len() * 4 < html.len(),
            "{} of {}",
            bytes.len(),
            html.len()
        );
        assert_eq!(packed.to_value().as_str(), Some(html.as_str()));
        assert_eq!(packed.packed().text(), html);
    }

    #[test]
    fn plain_bodies_are_shared_not_copied() {
        let body = render(&"Un paragrafo. ".repeat(20), false).html;
        assert!(matches!(
            body.with_text("<p>altro</p>".into()),
            BodyHtml::Plain(_)
        ));
        let value = body.to_value();
        assert_eq!(value.as_str(), Some(body.text().as_ref()));
        assert!(value.as_str().unwrap().starts_with("<p>Un paragrafo. Un"));
        assert!(std::ptr::eq(
            value.as_str().unwrap().as_ptr(),
            body.text().as_ptr()
        ));
    }

    #[test]
    fn only_big_sites_pack_their_bodies() {
        assert!(!packs_bodies(0));
        assert!(!packs_bodies(PACKED_FROM_PAGES - 1));
        assert!(packs_bodies(PACKED_FROM_PAGES));
    }
}
