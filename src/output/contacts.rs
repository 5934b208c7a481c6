//! The hosts a published file makes a browser contact on its own: [`in_html`] and [`in_css`]
//! find every absolute address that a page or style sheet loads (scripts, styles, fonts,
//! frames, images, media) or submits to (forms), so that `wemi check` can warn about those
//! on another host. Plain links are not contacts: the visitor chooses to follow them.
//!
//! Both scanners read their text once, left to right (linear time, whatever the input): the
//! HTML is the one the engine wrote (well-formed theme templates, sanitised content), so a
//! tag-and-attribute reader is enough; no regular expressions, no DOM.

/// What a reference makes the browser do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContactKind {
    /// `<script src>`.
    Script,
    /// `<link rel=stylesheet>`.
    Stylesheet,
    /// `<link rel=preload|modulepreload>`.
    Preload,
    /// `<link rel=icon>`.
    Icon,
    /// `<link rel=manifest>`.
    Manifest,
    /// `<img>`, `<input type=image>`.
    Image,
    /// `<video>`, `<audio>`, `<source>`.
    Media,
    /// `<iframe src>`.
    Frame,
    /// `<embed src>`, `<object data>`.
    Embed,
    /// `<form action>`: where the visitor's answers are sent.
    Form,
    /// CSS `@import`.
    CssImport,
    /// CSS `url(…)` (fonts, backgrounds), in a style sheet, a `<style>` or a `style` attribute.
    CssUrl,
}

impl ContactKind {
    /// What the reference is, in words for the editor (English; the Italian is in the catalog).
    pub fn describe(self) -> crate::base::i18n::Text {
        use crate::base::i18n::msg;
        match self {
            ContactKind::Script => msg!("a script"),
            ContactKind::Stylesheet => msg!("a style sheet"),
            ContactKind::Preload => msg!("a preloaded file"),
            ContactKind::Icon => msg!("an icon"),
            ContactKind::Manifest => msg!("a web app manifest"),
            ContactKind::Image => msg!("an image"),
            ContactKind::Media => msg!("a video or audio file"),
            ContactKind::Frame => msg!("a frame (iframe)"),
            ContactKind::Embed => msg!("an embedded object"),
            ContactKind::Form => msg!("a form that sends its answers"),
            ContactKind::CssImport => msg!("a style sheet imported by CSS (@import)"),
            ContactKind::CssUrl => msg!("a file loaded by CSS (url(…), e.g. a font)"),
        }
    }
}

/// One absolute reference found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// What the browser does with it.
    pub kind: ContactKind,
    /// The host it names, in lower case, without user or port.
    pub host: String,
    /// The address as written.
    pub url: String,
    /// The 1-based line of the file where it is written.
    pub line: usize,
}

/// The host of `url` when it is absolute for a browser (`http:`, `https:` or `//host`),
/// lower-cased and without user information or port; `None` for relative addresses and other
/// schemes (`data:`, `mailto:`, …), which contact no host.
pub fn host_of(url: &str) -> Option<String> {
    // Browsers ignore leading spaces and control characters, and read `\` as `/` in web
    // addresses.
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let rest = match url.find(':') {
        Some(colon)
            if url[..colon].eq_ignore_ascii_case("http")
                || url[..colon].eq_ignore_ascii_case("https") =>
        {
            &url[colon + 1..]
        }
        _ => url,
    };
    let after_slashes = rest.trim_start_matches(['/', '\\']);
    let slashes = rest.len() - after_slashes.len();
    if slashes < 2 && rest.len() == url.len() {
        return None;
    }
    if slashes == 0 {
        // `https:page.html`: relative to the page on an `https:` site.
        return None;
    }
    let authority = after_slashes
        .split(['/', '\\', '?', '#'])
        .next()
        .unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Collects contacts, computing line numbers from byte offsets that only grow.
struct Found<'t> {
    text: &'t str,
    line: usize,
    counted: usize,
    contacts: Vec<Contact>,
}

impl<'t> Found<'t> {
    fn new(text: &'t str) -> Self {
        Found {
            text,
            line: 1,
            counted: 0,
            contacts: Vec::new(),
        }
    }

    /// Adds `url` (written at byte `at` of the text) when it names a host.
    fn add(&mut self, kind: ContactKind, url: &str, at: usize) {
        let Some(host) = host_of(url) else { return };
        let at = at.max(self.counted);
        self.line += self.text.as_bytes()[self.counted..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.counted = at;
        self.contacts.push(Contact {
            kind,
            host,
            url: url.trim().to_string(),
            line: self.line,
        });
    }
}

/// Every absolute reference a browser would load from or submit to in the CSS `css`.
pub fn in_css(css: &str) -> Vec<Contact> {
    let mut found = Found::new(css);
    scan_css(css, 0, &mut found);
    found.contacts
}

/// Scans `css`, which starts at byte `offset` of the text `found` reads.
fn scan_css(css: &str, offset: usize, found: &mut Found) {
    let bytes = css.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = css[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |end| i + 2 + end + 2);
            }
            b'@' if starts_with_ignore_case(&bytes[i + 1..], b"import") => {
                let start = skip_spaces(bytes, i + 7);
                if starts_with_ignore_case(&bytes[start..], b"url(") {
                    i = css_url(css, start + 4, offset, ContactKind::CssImport, found);
                } else if let Some((value, end)) = quoted(css, start) {
                    found.add(ContactKind::CssImport, value, offset + start);
                    i = end;
                } else {
                    i = start;
                }
            }
            b'u' | b'U' if starts_with_ignore_case(&bytes[i..], b"url(") => {
                i = css_url(css, i + 4, offset, ContactKind::CssUrl, found);
            }
            _ => i += 1,
        }
    }
}

/// Reads the address of a CSS `url(` whose parenthesis ends before byte `start`: the byte
/// after it.
fn css_url(css: &str, start: usize, offset: usize, kind: ContactKind, found: &mut Found) -> usize {
    let bytes = css.as_bytes();
    let start = skip_spaces(bytes, start);
    let (value, end) = quoted(css, start).unwrap_or_else(|| {
        let end = css[start..].find(')').map_or(css.len(), |e| start + e);
        (&css[start..end], end)
    });
    found.add(kind, value, offset + start);
    end
}

/// The text between the quotes starting at byte `start` of `text` (if one is there) and the
/// byte after the closing quote.
fn quoted(text: &str, start: usize) -> Option<(&str, usize)> {
    let quote = *text
        .as_bytes()
        .get(start)
        .filter(|q| matches!(q, b'"' | b'\''))?;
    let len = text[start + 1..]
        .find(quote as char)
        .unwrap_or(text.len() - start - 1);
    Some((
        &text[start + 1..start + 1 + len],
        (start + 2 + len).min(text.len()),
    ))
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes.len() >= prefix.len() && bytes[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// One attribute of a tag: its name (lower case), value and where the value starts.
struct Attribute<'t> {
    name: String,
    value: &'t str,
    at: usize,
}

/// Every absolute reference a browser would load from or submit to in the page `html`.
pub fn in_html(html: &str) -> Vec<Contact> {
    let bytes = html.as_bytes();
    let mut found = Found::new(html);
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let name_end = i + bytes[i..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(bytes.len() - i);
        if name_end == i {
            // A closing tag, `<!DOCTYPE`, or a lone `<` in text: nothing loads from it.
            continue;
        }
        let tag = html[i..name_end].to_ascii_lowercase();
        let (attributes, end) = attributes(html, name_end);
        i = end;
        tag_contacts(&tag, &attributes, &mut found);
        if tag == "script" || tag == "style" {
            // Raw text up to the closing tag; a `<style>` block is CSS.
            let close = find_ignore_case(&bytes[i..], format!("</{tag}").as_bytes())
                .map_or(html.len(), |c| i + c);
            if tag == "style" {
                scan_css(&html[i..close], i, &mut found);
            }
            i = close;
        }
    }
    found.contacts
}

/// The first position of `needle` in `haystack`, ignoring ASCII case (`needle` is short and
/// starts with `<`, which cannot repeat inside it, so this is linear).
fn find_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(p) = haystack[from..].iter().position(|&b| b == needle[0]) {
        let at = from + p;
        if starts_with_ignore_case(&haystack[at..], needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The attributes of the tag whose name ends at byte `start`, and the byte after its `>`.
fn attributes(html: &str, start: usize) -> (Vec<Attribute<'_>>, usize) {
    let bytes = html.as_bytes();
    let mut list = Vec::new();
    let mut i = start;
    loop {
        while bytes
            .get(i)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            i += 1;
        }
        match bytes.get(i) {
            None => return (list, i),
            Some(b'>') => return (list, i + 1),
            _ => {}
        }
        let name_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        i = skip_spaces(bytes, i.max(name_start + 1).min(bytes.len()));
        let (value, at) = if bytes.get(i) == Some(&b'=') {
            let start = skip_spaces(bytes, i + 1);
            match quoted(html, start) {
                Some((value, end)) => {
                    i = end;
                    (value, start + 1)
                }
                None => {
                    i = start;
                    while bytes
                        .get(i)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                    {
                        i += 1;
                    }
                    (&html[start..i], start)
                }
            }
        } else {
            ("", i)
        };
        list.push(Attribute { name, value, at });
    }
}

/// Adds the contacts of one tag.
fn tag_contacts(tag: &str, attributes: &[Attribute], found: &mut Found) {
    let get = |name: &str| attributes.iter().find(|a| a.name == name);
    let add = |kind: ContactKind, name: &str, found: &mut Found| {
        if let Some(a) = get(name) {
            if name == "srcset" {
                let mut at = a.at;
                for candidate in a.value.split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or("");
                    found.add(kind, url, at);
                    at += candidate.len() + 1;
                }
            } else {
                found.add(kind, a.value, a.at);
            }
        }
    };
    match tag {
        "script" => add(ContactKind::Script, "src", found),
        "link" => {
            let rel = get("rel").map_or(String::new(), |r| r.value.to_ascii_lowercase());
            let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
            let kind = if rels.contains(&"stylesheet") {
                Some(ContactKind::Stylesheet)
            } else if rels.contains(&"preload") || rels.contains(&"modulepreload") {
                Some(ContactKind::Preload)
            } else if rels.contains(&"icon") || rels.contains(&"apple-touch-icon") {
                Some(ContactKind::Icon)
            } else if rels.contains(&"manifest") {
                Some(ContactKind::Manifest)
            } else {
                None
            };
            if let Some(kind) = kind {
                add(kind, "href", found);
            }
        }
        "img" => {
            add(ContactKind::Image, "src", found);
            add(ContactKind::Image, "srcset", found);
        }
        "source" => {
            add(ContactKind::Media, "src", found);
            add(ContactKind::Media, "srcset", found);
        }
        "video" | "audio" => {
            add(ContactKind::Media, "src", found);
            add(ContactKind::Media, "poster", found);
        }
        "iframe" => add(ContactKind::Frame, "src", found),
        "embed" => add(ContactKind::Embed, "src", found),
        "object" => add(ContactKind::Embed, "data", found),
        "form" => add(ContactKind::Form, "action", found),
        "input" if get("type").is_some_and(|t| t.value.eq_ignore_ascii_case("image")) => {
            add(ContactKind::Image, "src", found)
        }
        _ => {}
    }
    if let Some(style) = get("style") {
        scan_css(style.value, style.at, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(contacts: &[Contact]) -> Vec<(ContactKind, &str, usize)> {
        contacts
            .iter()
            .map(|c| (c.kind, c.host.as_str(), c.line))
            .collect()
    }

    #[test]
    fn host_of_reads_absolute_addresses_only() {
        assert_eq!(
            host_of("https://Fonts.Example.org:443/x").as_deref(),
            Some("fonts.example.org")
        );
        assert_eq!(
            host_of("//cdn.example.net/a.js").as_deref(),
            Some("cdn.example.net")
        );
        assert_eq!(
            host_of(" http:\\\\u@evil.test/").as_deref(),
            Some("evil.test")
        );
        assert_eq!(host_of("/css/site.css"), None);
        assert_eq!(host_of("img/a.png"), None);
        assert_eq!(host_of("data:image/png;base64,AAA"), None);
        assert_eq!(host_of("mailto:a@b.it"), None);
    }

    #[test]
    fn html_contacts_are_found_and_links_are_not() {
        let html = "<!doctype html>\n<a href=\"https://other.test/\">x</a>\n\
            <img src='https://img.test/a.png' srcset=\"/a.png 1x, //img2.test/b.png 2x\">\n\
            <LINK REL=\"Stylesheet\" HREF=https://css.test/s.css>\n\
            <script>var s = '<img src=\"https://no.test/\">';</script>\n\
            <!-- <script src=\"https://no.test/\"></script> -->\n\
            <form action=\"https://forms.test/post\"></form>\n\
            <style>@import url(\"https://fonts.test/css\");</style>\n\
            <div style=\"background: url(https://bg.test/x.png)\"></div>\n\
            <input type=image src=\"https://btn.test/b.png\"><input src=\"https://no.test/\">";
        assert_eq!(
            hosts(&in_html(html)),
            vec![
                (ContactKind::Image, "img.test", 3),
                (ContactKind::Image, "img2.test", 3),
                (ContactKind::Stylesheet, "css.test", 4),
                (ContactKind::Form, "forms.test", 7),
                (ContactKind::CssImport, "fonts.test", 8),
                (ContactKind::CssUrl, "bg.test", 9),
                (ContactKind::Image, "btn.test", 10),
            ]
        );
    }

    #[test]
    fn css_contacts_skip_comments() {
        let css = "/* url(https://no.test/) */\n@import 'https://fonts.test/a';\n\
            @font-face { src: URL( \"//font.test/f.woff2\" ) }\nbody { background: url(/x.png) }";
        assert_eq!(
            hosts(&in_css(css)),
            vec![
                (ContactKind::CssImport, "fonts.test", 2),
                (ContactKind::CssUrl, "font.test", 3)
            ]
        );
    }

    #[test]
    fn unclosed_constructs_end_the_scan_without_panicking() {
        for text in [
            "<",
            "<img",
            "<img src=",
            "<img src=\"https://a.test",
            "<style>url(",
            "<!--",
            "@import",
            "url(\"x",
        ] {
            in_html(text);
            in_css(text);
        }
    }
}
