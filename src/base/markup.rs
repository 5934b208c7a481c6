//! Escaping text for XML and HTML: feeds, the sitemap and what `wemi serve` adds to pages all
//! put text from content files into markup, and all of them escape it here; which files a
//! browser runs scripts from, and which templates escape. Also finding the
//! numbered placeholders that stand in a page's HTML until what goes there is known.

use std::ops::Range;

/// True for a file a browser may run scripts from when it is opened from the site: web pages,
/// SVG images, XML with style sheets, scripts. Such a file co-located with content is raw HTML
/// in all but name, and one a template writes must escape what it prints.
pub fn runs_scripts(name: &str) -> bool {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    matches!(
        extension.as_str(),
        "html" | "htm" | "xhtml" | "shtml" | "svg" | "svgz" | "xml" | "xsl" | "xslt" | "js" | "mjs"
    )
}

/// True for a template whose name Tera escapes what it prints in (its default suffixes,
/// letter case included).
pub fn escaping_template(name: &str) -> bool {
    [".html", ".htm", ".xml"].iter().any(|s| name.ends_with(s))
}

/// Whether `name` may be a page's or section's `template`: an HTML template, one of those
/// [`escaping_template`] names (a page is written as HTML).
pub fn is_page_template(name: &str) -> bool {
    name.ends_with(".html")
}

/// `text` made safe for XML content or a quoted attribute: `& < > " '` become entities, a
/// carriage return becomes `&#13;` (parsers would turn a literal one into a line feed), and
/// characters XML 1.0 does not allow (control characters other than tab, line feed and
/// carriage return; U+FFFE and U+FFFF) are dropped.
pub fn escape(text: &str) -> String {
    escape_with(text, false)
}

/// Like [`escape`], also keeping tabs and line feeds intact inside an attribute value, where
/// parsers would otherwise turn them into spaces.
pub fn escape_attr(text: &str) -> String {
    escape_with(text, true)
}

fn escape_with(text: &str, attribute: bool) -> String {
    // Most texts (URLs, titles) have nothing to escape or drop: one look at their bytes. `\t`
    // and `\n` are below a space, and U+FFFE and U+FFFF start with 0xEF.
    let plain = |b: &u8| !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0..=0x1f | 0xef);
    if text.as_bytes().iter().all(plain) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Every `{prefix}{n}{suffix}` in `text`, in order: its byte range and `n`. One pass, however
/// many there are.
pub fn numbered_placeholders<'t>(
    text: &'t str,
    prefix: &'t str,
    suffix: &'t str,
) -> impl Iterator<Item = (Range<usize>, usize)> + 't {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[from..].find(prefix) {
            let start = from + found;
            let digits_start = start + prefix.len();
            let digits = text[digits_start..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            from = digits_start;
            let number = text[digits_start..digits_start + digits].parse().ok();
            let end = digits_start + digits + suffix.len();
            if let Some(n) = number.filter(|_| text[digits_start + digits..].starts_with(suffix)) {
                from = end;
                return Some((start..end, n));
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&apos;");
        assert_eq!(escape("a\tb\nc\rd\u{0}e\u{1f}f\u{FFFE}"), "a\tb\nc&#13;def");
        assert_eq!(escape_attr("a\tb\nc"), "a&#9;b&#10;c");
        assert_eq!(escape("città – ☕"), "città – ☕");
    }

    #[test]
    fn texts_with_nothing_to_escape_come_back_as_they_are_and_others_do_not() {
        let url = "https://wemi.example.org/spazi/via-piazzetta/?p=2";
        assert_eq!(escape(url), url);
        assert_eq!(
            escape("\u{F000}\u{FFFD}\u{7f}\u{85}"),
            "\u{F000}\u{FFFD}\u{7f}\u{85}"
        );
        for (c, escaped) in [
            ('&', "&amp;"),
            ('<', "&lt;"),
            ('>', "&gt;"),
            ('"', "&quot;"),
        ] {
            assert_eq!(escape(&format!("{url}{c}")), format!("{url}{escaped}"));
        }
        assert_eq!(escape(&format!("{url}\u{1}\u{FFFF}")), url);
    }

    #[test]
    fn placeholders_are_found_with_their_numbers() {
        let text = "P1ENDP12END P END P3 PP4END P99999999999999999999999END";
        let found: Vec<_> = numbered_placeholders(text, "P", "END").collect();
        assert_eq!(found, [(0..5, 1), (5..11, 12), (22..27, 4)]);
    }
}
