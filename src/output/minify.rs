//! A small, conservative minifier of HTML and CSS (`publish: { minify: true }`): it only
//! removes what a browser ignores, never anything whose removal could change a page.
//!
//! - HTML: every run of spaces, tabs and line breaks in text becomes one character (a line
//!   break when the run held one, else a space), as a browser shows it anyway; comments go.
//!   Tags (their attributes and values) are copied as they are, and so is everything inside
//!   `pre`, `textarea`, `script` (JSON-LD included), `style`, `title` and the other elements
//!   whose text is not markup. A space is never removed, only shortened, so the spaces
//!   between inline elements stay. A theme whose CSS sets `white-space: pre` (or `pre-wrap`,
//!   `pre-line`, `break-spaces`) on other elements must not minify.
//! - CSS: comments go (except `/*! … */`), runs of white space become one space, and the
//!   space around `{`, `}`, `;`, `,` and after `:` goes, as does the `;` before a `}`.
//!   Strings and escapes are copied as they are.
//! - JavaScript is not minified: doing that safely takes a full parser, and compression takes
//!   most of what a minifier would.

/// `bytes` of the output file at `path` minified, when it is HTML or CSS in UTF-8.
pub fn minified(path: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    let ext = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let minify: fn(&str) -> String = match ext.as_deref() {
        Some("html" | "htm") => html,
        Some("css") => css,
        _ => return None,
    };
    std::str::from_utf8(bytes)
        .ok()
        .map(|text| minify(text).into_bytes())
}

/// True for the white space of HTML and CSS (ASCII space, tab, line feed, form feed, carriage
/// return).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Elements whose content is copied as it is: text that is not markup, or where every space
/// shows.
const VERBATIM: &[&str] = &[
    "pre",
    "textarea",
    "script",
    "style",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// HTML with its text's white space shortened and its comments removed; see the module
/// documentation.
pub fn html(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Where the text not yet copied starts.
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            c if is_space(c) => {
                let start = i;
                let mut newline = false;
                while i < bytes.len() && is_space(bytes[i]) {
                    newline |= matches!(bytes[i], b'\n' | b'\r');
                    i += 1;
                }
                out.push_str(&text[copied..start]);
                // A comment removed between two runs leaves them one run.
                let run_before = out.ends_with(['\n', ' ']) && copied == start;
                if !run_before {
                    out.push(if newline { '\n' } else { ' ' });
                } else if newline && out.ends_with(' ') {
                    out.pop();
                    out.push('\n');
                }
                copied = i;
            }
            b'<' => {
                let end = markup_end(bytes, i);
                if text[i..].starts_with("<!--") {
                    out.push_str(&text[copied..i]);
                    copied = end;
                } else if let Some(name) = verbatim_start(bytes, i, end) {
                    i = verbatim_end(bytes, end, name);
                    continue;
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Where the markup starting with the `<` at `start` ends (just after it): a comment at its
/// `-->`, a CDATA section at its `]]>`, a tag at the `>` outside its quoted attribute values,
/// a doctype or other `<!`/`<?` at its `>`. A `<` that starts no markup is text: its end is the
/// next byte.
fn markup_end(bytes: &[u8], start: usize) -> usize {
    let rest = &bytes[start..];
    let after = |pattern: &[u8], from: usize| {
        rest[from..]
            .windows(pattern.len())
            .position(|w| w == pattern)
            .map_or(bytes.len(), |p| start + from + p + pattern.len())
    };
    if rest.starts_with(b"<!--") {
        // `<!-->` and `<!--->` are (empty) comments too.
        return after(b"-->", 2);
    }
    if rest.starts_with(b"<![CDATA[") {
        return after(b"]]>", 9);
    }
    match rest.get(1) {
        Some(b'!' | b'?') => after(b">", 1),
        Some(c) if c.is_ascii_alphabetic() => tag_end(bytes, start + 1),
        Some(b'/') if rest.get(2).is_some_and(u8::is_ascii_alphabetic) => tag_end(bytes, start + 2),
        _ => start + 1,
    }
}

/// Just after the `>` ending a tag whose name starts at `from`, skipping quoted attribute
/// values (a quote opens one only right after `=` and any spaces).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') if after_equals => {
                i = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == q)
                    .map_or(bytes.len(), |p| i + 1 + p);
                after_equals = false;
            }
            b'=' => after_equals = true,
            c if is_space(c) => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// The name of the verbatim element whose start tag is `bytes[start..end]`, if it is one.
fn verbatim_start(bytes: &[u8], start: usize, end: usize) -> Option<&'static str> {
    let tag = &bytes[start + 1..end];
    let name_len = tag
        .iter()
        .position(|&b| is_space(b) || b == b'>' || b == b'/')
        .unwrap_or(tag.len());
    let name = &tag[..name_len];
    let self_closing = tag.ends_with(b"/>");
    VERBATIM
        .iter()
        .find(|v| v.as_bytes().eq_ignore_ascii_case(name))
        .copied()
        .filter(|_| !self_closing)
}

/// Where the text of the verbatim element `name` whose content starts at `from` ends: at its
/// end tag (`</name` in any case), or the end of the text.
fn verbatim_end(bytes: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(p) = bytes[i..].windows(2).position(|w| w == b"</") {
        let at = i + p;
        let candidate = &bytes[at + 2..];
        let after = candidate.get(name.len());
        if candidate.len() >= name.len()
            && candidate[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && after.is_none_or(|&c| is_space(c) || c == b'>' || c == b'/')
        {
            return at;
        }
        i = at + 2;
    }
    bytes.len()
}

/// CSS without comments and the white space it does not need; see the module documentation.
pub fn css(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // A run of white space (or a comment) waits here until the next character shows whether
    // it is needed.
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if is_space(c) {
            pending_space = true;
            i += 1;
            continue;
        }
        if text[i..].starts_with("/*") && !text[i..].starts_with("/*!") {
            let end = text[i + 2..]
                .find("*/")
                .map_or(text.len(), |p| i + 2 + p + 2);
            pending_space = true;
            i = end;
            continue;
        }
        // The text of one token copied as it is: a string, an escape, a kept comment.
        let verbatim_end = match c {
            b'"' | b'\'' => Some(string_end(bytes, i)),
            b'\\' => Some(
                (i + 1 + text[i + 1..].chars().next().map_or(0, char::len_utf8)).min(text.len()),
            ),
            b'/' if text[i..].starts_with("/*!") => Some(
                text[i + 3..]
                    .find("*/")
                    .map_or(text.len(), |p| i + 3 + p + 2),
            ),
            _ => None,
        };
        if pending_space {
            let before_needs_it = !out.is_empty() && !out.ends_with(['{', '}', ';', ',', ':']);
            let after_needs_it = !matches!(c, b'{' | b'}' | b';' | b',');
            if before_needs_it && after_needs_it {
                out.push(' ');
            }
            pending_space = false;
        }
        match verbatim_end {
            Some(end) => {
                out.push_str(&text[i..end]);
                i = end;
            }
            None => {
                if c == b'}' && out.ends_with(';') {
                    out.pop();
                }
                let len = text[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&text[i..i + len]);
                i += len;
            }
        }
    }
    out
}

/// Just after the quote ending the CSS string that starts at `start` (escapes skipped), or at
/// the line break that ends an unclosed one.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_runs_become_one_space_or_line_break() {
        assert_eq!(
            html("<ul>\n    <li><a href=\"/x\">A</a>  <b>B</b></li>\n\n  </ul>\n"),
            "<ul>\n<li><a href=\"/x\">A</a> <b>B</b></li>\n</ul>\n"
        );
        assert_eq!(html("a \t b"), "a b");
        assert_eq!(html("   "), " ");
    }

    #[test]
    fn html_comments_go_and_their_spaces_merge() {
        assert_eq!(html("a <!-- x --> b"), "a b");
        assert_eq!(html("a<!-- x -->b"), "ab");
        assert_eq!(html("a <!-- x -->\n b"), "a\nb");
        assert_eq!(
            html("<p>x</p>\n<!-- \n -->\n<p>y</p>"),
            "<p>x</p>\n<p>y</p>"
        );
        assert_eq!(html("a<!-->b"), "ab");
        assert_eq!(html("a <!-- unclosed"), "a ");
    }

    #[test]
    fn html_tags_and_attribute_values_are_copied_as_they_are() {
        let tag = "<a  href=\"/a  b\"\n   title='x > <!-- y -->   z'   data-x = \"1\">";
        assert_eq!(html(tag), tag);
        // A quote that does not follow `=` opens no value.
        assert_eq!(html("<p a\"b>x  y</p>"), "<p a\"b>x y</p>");
        assert_eq!(html("<!DOCTYPE html>\n\n<html>"), "<!DOCTYPE html>\n<html>");
        assert_eq!(html("1 <  2"), "1 < 2");
    }

    #[test]
    fn html_verbatim_elements_keep_every_space() {
        for text in [
            "<pre>  a\n\n    b  </pre>",
            "<PRE class=\"x\"><code>  a\n   <b>b</b>  </code></PRE>",
            "<textarea name=\"t\">\n  keep  <!-- this -->\n</textarea>",
            "<script>\n  if (a  <  b) { x = \"</scrip\"; }  // <!-- \n</script>",
            "<script type=\"application/ld+json\">{\"name\":  \"a  b\"}</script>",
            "<style>\n  a  >  b { color : red }\n</style>",
            "<title>  Spazi   WeMi </title>",
        ] {
            assert_eq!(html(text), text);
        }
        assert_eq!(
            html("<pre> a  </pre>  <p>  b </p>"),
            "<pre> a  </pre> <p> b </p>"
        );
        // The end tag must name the element: `</pretty>` does not end a `pre`.
        assert_eq!(
            html("<pre>a  </pretty>  b</pre>  c"),
            "<pre>a  </pretty>  b</pre> c"
        );
        // An unclosed verbatim element runs to the end.
        assert_eq!(html("<pre>a  \n  b"), "<pre>a  \n  b");
    }

    #[test]
    fn html_minifying_twice_changes_nothing_more() {
        let page = "<!doctype html>\n<html>\n  <head>\n    <title>x</title>\n  </head>\n  <body>\n    <p>a  <em>b</em>\n  c</p><!-- x -->\n    <pre>  y  </pre>\n  </body>\n</html>\n";
        let once = html(page);
        assert_eq!(html(&once), once);
        assert!(once.len() < page.len());
    }

    #[test]
    fn css_loses_comments_and_needless_spaces() {
        assert_eq!(
            css(
                "/* head */\na  >  b ,\n.c:hover {\n  color : red ;\n  margin: 0 auto;\n}\n\n@media (min-width: 600px) and (max-width: 900px) {\n  .d { width: calc(100% - 2rem); }\n}\n"
            ),
            "a > b,.c:hover{color :red;margin:0 auto}@media (min-width:600px) and (max-width:900px){.d{width:calc(100% - 2rem)}}"
        );
    }

    #[test]
    fn css_strings_escapes_and_kept_comments_are_copied() {
        let text = ".a::before { content: \"  a ; } /* b */  \"; }\n.b\\ c { font-family: 'x  y' }\n/*! licence  text */";
        assert_eq!(
            css(text),
            ".a::before{content:\"  a ; } /* b */  \"}.b\\ c{font-family:'x  y'}/*! licence  text */"
        );
        // A space that separates two words stays, even where a comment was.
        assert_eq!(css("a/* x */b{}"), "a b{}");
        assert_eq!(css("a :hover{}"), "a :hover{}");
        // Unclosed strings and comments do not run past the end.
        assert_eq!(css("a{content:\"x"), "a{content:\"x");
        assert_eq!(css("a{}/* x"), "a{}");
        assert_eq!(css("a\\"), "a\\");
    }

    #[test]
    fn css_minifying_twice_changes_nothing_more() {
        let sheet = "a { b : c ; }\n/* x */\n.d , .e { f: g h }";
        let once = css(sheet);
        assert_eq!(css(&once), once);
    }

    #[test]
    fn only_html_and_css_in_utf8_are_minified() {
        assert_eq!(minified("a/index.html", b"a   b"), Some(b"a b".to_vec()));
        assert_eq!(minified("css/x.CSS", b"a { }"), Some(b"a{}".to_vec()));
        assert_eq!(minified("js/x.js", b"a   b"), None);
        assert_eq!(minified("feed.xml", b"a   b"), None);
        assert_eq!(minified("x.html", b"a  \xff  b"), None);
    }
}
