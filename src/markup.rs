//! Escaping text for XML and HTML: feeds, the sitemap and what `wemi serve` adds to pages all
//! put text from content files into markup, and all of them escape it here.

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
}
