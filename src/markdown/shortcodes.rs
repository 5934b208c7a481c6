//! Shortcodes: reusable pieces editors put in markdown, rendered by the theme's
//! `templates/shortcodes/<name>.html`.
//!
//! An editor writes `{{ card(spazio="via-piazzetta") }}` or
//! `{{ figura(src="foto.jpg", alt="L'ingresso") }}`. Before the markdown is rendered each call
//! is replaced by a placeholder word that markdown leaves alone; once the site is assembled the
//! theme renders every call, and its HTML takes the placeholder's place (the whole paragraph
//! when the call stood alone on its line). Calls inside code are left as written.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::markup::numbered_placeholders;

/// A value given to a shortcode.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Arg {
    /// `"text"` or `'text'`.
    Text(String),
    /// `3`, `-2`.
    Integer(i64),
    /// `2.5`.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
}

/// One call found in a markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The shortcode's name: its template is `shortcodes/<name>.html`.
    pub name: String,
    /// Its arguments, by name.
    pub args: BTreeMap<String, Arg>,
    /// Byte offset of the call in the original body.
    pub offset: usize,
    /// Length in bytes of the call as written.
    pub len: usize,
}

/// Maps byte offsets of the body with placeholders back to the body as written.
#[derive(Debug, Clone, Default)]
pub struct WrittenOffsets {
    /// For each placeholder, in order: where it starts in the body with placeholders, and
    /// what to add to an offset after that start to find it in the body as written.
    shifts: Vec<(usize, isize)>,
}

impl WrittenOffsets {
    /// The map of a body whose calls, in order, are `calls`.
    pub fn new(calls: &[Call]) -> Self {
        let mut shift: isize = 0;
        let shifts = calls
            .iter()
            .enumerate()
            .map(|(n, call)| {
                let placeholder_start = (call.offset as isize - shift) as usize;
                shift += call.len as isize - placeholder(n).len() as isize;
                (placeholder_start, shift)
            })
            .collect();
        WrittenOffsets { shifts }
    }

    /// The offset in the body as written of `offset` in the body with placeholders.
    pub fn of(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|&(start, _)| start < offset);
        let shift = before.checked_sub(1).map_or(0, |i| self.shifts[i].1);
        (offset as isize + shift) as usize
    }
}

/// A call that could not be read: byte offset in the body and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// Byte offset of the problem in the body.
    pub offset: usize,
    /// What is wrong.
    pub message: Text,
}

/// How every placeholder starts: markdown never puts text starting so into an attribute (see
/// [`crate::markdown`]), since the shortcode's HTML would take its place there.
pub const PLACEHOLDER_PREFIX: &str = "WEMISHORTCODE";

/// How every placeholder ends, after its number.
const PLACEHOLDER_SUFFIX: &str = "END";

/// The placeholder of call `n`: letters and digits only, so markdown keeps it as it is.
pub fn placeholder(n: usize) -> String {
    format!("{PLACEHOLDER_PREFIX}{n}{PLACEHOLDER_SUFFIX}")
}

/// Replaces each call in `body` by its placeholder. Returns the new body and the calls.
pub fn extract(body: &str) -> Result<(Cow<'_, str>, Vec<Call>), Vec<CallError>> {
    if !body.contains("{{") {
        return Ok((Cow::Borrowed(body), Vec::new()));
    }
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if indent <= 3 {
            let marker = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m));
            match (fence, marker) {
                (None, Some(m)) => {
                    fence = Some(m);
                    out.push_str(line);
                    continue;
                }
                (Some(open), Some(m)) if open == m => {
                    fence = None;
                    out.push_str(line);
                    continue;
                }
                _ => {}
            }
        }
        if fence.is_some() || !line.contains("{{") {
            out.push_str(line);
            continue;
        }
        scan_line(line, start, &mut out, &mut calls, &mut errors);
    }
    if errors.is_empty() {
        Ok((Cow::Owned(out), calls))
    } else {
        Err(errors)
    }
}

/// Copies `line` to `out`, replacing calls outside inline code spans.
fn scan_line(
    line: &str,
    start: usize,
    out: &mut String,
    calls: &mut Vec<Call>,
    errors: &mut Vec<CallError>,
) {
    let bytes = line.as_bytes();
    // For each byte, the longest run of backticks from there to the end of the line, made
    // when the line has a backtick: an unclosed code span is known at once, instead of
    // searching the rest of the line for its closing run at every opening one.
    let mut longest_run_after: Vec<usize> = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            if longest_run_after.is_empty() {
                longest_run_after = longest_backtick_runs(bytes);
            }
            // Skip an inline code span: the same number of backticks closes it.
            let ticks = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let fence = &line[i..i + ticks];
            i += ticks;
            if longest_run_after[i] >= ticks
                && let Some(close) = line[i..].find(fence)
            {
                i += close + ticks;
            }
            continue;
        }
        if line[i..].starts_with("{{") {
            match parse_call(&line[i + 2..]) {
                Parsed::NotACall => {}
                Parsed::Call(name, args, len) => {
                    out.push_str(&line[copied..i]);
                    out.push_str(&placeholder(calls.len()));
                    calls.push(Call {
                        name,
                        args,
                        offset: start + i,
                        len: 2 + len,
                    });
                    i += 2 + len;
                    copied = i;
                    continue;
                }
                Parsed::Error(at, message) => {
                    errors.push(CallError {
                        offset: start + i + 2 + at,
                        message,
                    });
                    i += 2;
                    continue;
                }
            }
        }
        i += line[i..].chars().next().map_or(1, char::len_utf8);
    }
    out.push_str(&line[copied..]);
}

/// For each position of `bytes` (and its end), the longest run of backticks at or after it.
fn longest_backtick_runs(bytes: &[u8]) -> Vec<usize> {
    let mut longest = vec![0; bytes.len() + 1];
    let mut run = 0;
    for i in (0..bytes.len()).rev() {
        run = if bytes[i] == b'`' { run + 1 } else { 0 };
        longest[i] = longest[i + 1].max(run);
    }
    longest
}

enum Parsed {
    /// Braces that do not start a call: left as text.
    NotACall,
    /// Name, arguments, length of the text read after `{{`.
    Call(String, BTreeMap<String, Arg>, usize),
    /// Offset after `{{` and message.
    Error(usize, Text),
}

/// Reads `name(args) }}` at the start of `s`.
fn parse_call(s: &str) -> Parsed {
    let mut p = Cursor { s, i: 0 };
    p.spaces();
    let name = p.ident();
    if name.is_empty() {
        return Parsed::NotACall;
    }
    p.spaces();
    if !p.eat("(") {
        return Parsed::NotACall;
    }
    let mut args = BTreeMap::new();
    loop {
        p.spaces();
        if p.eat(")") {
            break;
        }
        let key = p.ident();
        if key.is_empty() {
            return Parsed::Error(
                p.i,
                msg!(
                    "expected an argument name or `)` in the shortcode `{name}`",
                    name = name
                ),
            );
        }
        p.spaces();
        if !p.eat("=") {
            return Parsed::Error(
                p.i,
                msg!("expected `=` after `{key}`, as in {key}=\"…\"", key = key),
            );
        }
        p.spaces();
        let value = match p.value() {
            Ok(v) => v,
            Err(message) => return Parsed::Error(p.i, message),
        };
        if args.insert(key.clone(), value).is_some() {
            return Parsed::Error(p.i, msg!("the argument `{key}` is given twice", key = key));
        }
        p.spaces();
        if p.eat(",") {
            continue;
        }
        if p.eat(")") {
            break;
        }
        return Parsed::Error(p.i, msg!("expected `,` or `)` between arguments"));
    }
    p.spaces();
    if !p.eat("}}") {
        return Parsed::Error(
            p.i,
            msg!("the shortcode `{name}` must end with `}}`", name = name),
        );
    }
    Parsed::Call(name, args, p.i)
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.s[self.i..]
    }

    fn spaces(&mut self) {
        self.i += self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.i += token.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> String {
        let len = self
            .rest()
            .bytes()
            .enumerate()
            .take_while(|&(k, b)| {
                b == b'_' || b.is_ascii_lowercase() || (k > 0 && b.is_ascii_digit())
            })
            .count();
        let ident = self.rest()[..len].to_string();
        self.i += len;
        ident
    }

    fn value(&mut self) -> Result<Arg, Text> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let mut text = String::new();
            let mut chars = rest.char_indices().skip(1);
            while let Some((k, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, next)) = chars.next() {
                            text.push(next);
                        }
                    }
                    c if c == quote => {
                        self.i += k + 1;
                        return Ok(Arg::Text(text));
                    }
                    c => text.push(c),
                }
            }
            return Err(msg!(
                "this text is not closed: add a {quote}",
                quote = quote
            ));
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" => Arg::Bool(true),
            "false" => Arg::Bool(false),
            _ => {
                if let Ok(n) = word.parse::<i64>() {
                    Arg::Integer(n)
                } else if let Ok(x) = word.parse::<f64>() {
                    Arg::Number(x)
                } else {
                    return Err(msg!(
                        "`{word}` is not a value: write text in quotes (\"{word}\"), a number, true or false",
                        word = word
                    ));
                }
            }
        };
        self.i += len;
        Ok(value)
    }
}

/// Puts rendered shortcodes in place of their placeholders in `html`: a placeholder alone in
/// a paragraph replaces the paragraph. One pass over the HTML, however many calls it has.
pub fn substitute(html: &str, rendered: &[String]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (placeholder, n) in numbered_placeholders(html, PLACEHOLDER_PREFIX, PLACEHOLDER_SUFFIX) {
        let Some(piece) = rendered.get(n) else {
            continue;
        };
        let alone = html[..placeholder.start].ends_with("<p>")
            && html[placeholder.end..].starts_with("</p>");
        let replaced = if alone {
            placeholder.start - "<p>".len()..placeholder.end + "</p>".len()
        } else {
            placeholder
        };
        out.push_str(&html[copied..replaced.start]);
        out.push_str(piece.trim_end());
        copied = replaced.end;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_become_placeholders() {
        let body = "Testo.\n\n{{ card(spazio=\"via-piazzetta\") }}\n\nInline {{figura(src='a.jpg', n=3, x=true)}} qui.\n";
        let (out, calls) = extract(body).unwrap();
        assert_eq!(
            out,
            "Testo.\n\nWEMISHORTCODE0END\n\nInline WEMISHORTCODE1END qui.\n"
        );
        assert_eq!(calls[0].name, "card");
        assert_eq!(calls[0].args["spazio"], Arg::Text("via-piazzetta".into()));
        assert_eq!(calls[0].offset, 8);
        assert_eq!(calls[1].args["n"], Arg::Integer(3));
        assert_eq!(calls[1].args["x"], Arg::Bool(true));
    }

    #[test]
    fn offsets_map_back_to_the_written_body() {
        let body = "{{ a(x=1) }} [l](@/a.md) {{ b() }} z";
        let (out, calls) = extract(body).unwrap();
        let link_in_out = out.find("[l]").unwrap();
        let written = WrittenOffsets::new(&calls);
        assert_eq!(written.of(link_in_out), body.find("[l]").unwrap());
        let z = out.find('z').unwrap();
        assert_eq!(written.of(z), body.find('z').unwrap());
        assert_eq!(written.of(0), 0);
        assert_eq!(WrittenOffsets::new(&[]).of(7), 7);
    }

    #[test]
    fn code_and_plain_braces_are_left_alone() {
        let body = "```\n{{ card(a=1) }}\n```\n`{{ card(a=1) }}` e {{ non una chiamata }} e {{}}\n";
        let (out, calls) = extract(body).unwrap();
        assert_eq!(out, body);
        assert!(calls.is_empty());
    }

    #[test]
    fn malformed_calls_are_errors_with_offsets() {
        let errors = extract("Riga.\n{{ card(spazio=via) }}\n").unwrap_err();
        assert_eq!(errors[0].offset, 6 + 15);
        assert!(
            errors[0].message.en.contains("\"via\""),
            "{:?}",
            errors[0].message
        );
        let errors = extract("{{ card(spazio=\"x\") \n").unwrap_err();
        assert!(errors[0].message.en.contains("must end with `}}`"));
    }

    #[test]
    fn substitution_replaces_lone_paragraphs() {
        let html = "<p>WEMISHORTCODE0END</p>\n<p>a WEMISHORTCODE1END b</p>\n";
        let out = substitute(html, &["<div>card</div>\n".into(), "<em>x</em>".into()]);
        assert_eq!(out, "<div>card</div>\n<p>a <em>x</em> b</p>\n");
    }

    #[test]
    fn substitution_handles_each_placeholder_once_in_one_pass() {
        let rendered: Vec<String> = (0..12).map(|n| format!("<b>{n}</b>\n")).collect();
        let html = "<p>WEMISHORTCODE1ENDWEMISHORTCODE10END</p>\n<p>WEMISHORTCODE11END</p>\n\
                    <p>WEMISHORTCODE12END WEMISHORTCODE x WEMISHORTCODE3</p>\n";
        assert_eq!(
            substitute(html, &rendered),
            "<p><b>1</b><b>10</b></p>\n<b>11</b>\n\
             <p>WEMISHORTCODE12END WEMISHORTCODE x WEMISHORTCODE3</p>\n"
        );
        // A rendered shortcode is not searched for placeholders again.
        let rendered = ["WEMISHORTCODE1END".to_string(), "uno".to_string()];
        assert_eq!(
            substitute("<p>WEMISHORTCODE0END</p>", &rendered),
            "WEMISHORTCODE1END"
        );
    }

    #[test]
    fn unclosed_code_spans_leave_the_rest_of_the_line_read() {
        // Runs of 3 and 2 backticks that nothing closes: the call after them is read, the
        // one in the code span after it is not.
        let body = "x ``` `` {{ a(x=1) }} e `{{ b() }}`\n";
        let (out, calls) = extract(body).unwrap();
        assert_eq!(out, "x ``` `` WEMISHORTCODE0END e `{{ b() }}`\n");
        assert_eq!(calls.len(), 1);
        // A run closed by a longer one, as before: `find` matches inside it.
        let (_, calls) = extract("`a``` {{ a() }}\n").unwrap();
        assert_eq!(calls.len(), 1);
    }

    #[test]
    fn errors_in_italian() {
        let errors = extract("{{ card(spazio=\"x\", spazio=\"y\") }}\n").unwrap_err();
        assert_eq!(
            errors[0].message.it.as_deref(),
            Some("l'argomento `spazio` è scritto due volte")
        );
        let errors = extract("{{ card(spazio=\"x) }}\n").unwrap_err();
        assert_eq!(
            errors[0].message.it.as_deref(),
            Some("questo testo non è chiuso: aggiungi un \"")
        );
    }
}
