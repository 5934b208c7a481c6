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
use std::ops::Range;

use serde::Serialize;

use crate::base::holds;
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

    /// Where each placeholder starts in the body with placeholders, in order.
    pub fn placeholder_starts(&self) -> impl Iterator<Item = usize> + '_ {
        self.shifts.iter().map(|&(start, _)| start)
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

/// What [`extract`] found in a body.
#[derive(Debug)]
pub struct Extracted<'b> {
    /// The body with each call replaced by its placeholder.
    pub text: Cow<'b, str>,
    /// The calls, in order: placeholder `n` is call `n`.
    pub calls: Vec<Call>,
    /// The calls that could not be read.
    pub errors: Vec<CallError>,
}

/// Replaces each call in `body` by its placeholder, wherever it is written: whether it is in
/// code is for markdown to say (see [`crate::markdown::render_body`]), which puts the calls it
/// finds in code back as written. A call is on one line.
pub fn extract(body: &str) -> Extracted<'_> {
    if !holds(body, "{{") {
        return Extracted {
            text: Cow::Borrowed(body),
            calls: Vec::new(),
            errors: Vec::new(),
        };
    }
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut copied = 0;
    let mut from = 0;
    // The end of the line being read: found again only once a call starts past it, so each
    // line is searched for its end once, however many calls it has.
    let mut line_end = 0;
    while let Some(found) = body[from..].find("{{") {
        let at = from + found;
        if at >= line_end {
            line_end = body[at..].find('\n').map_or(body.len(), |n| at + n);
        }
        let after = at + 2;
        match parse_call(&body[after..line_end]) {
            Parsed::Call(name, args, len) => {
                out.push_str(&body[copied..at]);
                out.push_str(&placeholder(calls.len()));
                calls.push(Call {
                    name,
                    args,
                    offset: at,
                    len: 2 + len,
                });
                copied = after + len;
                from = copied;
            }
            Parsed::NotACall => from = after,
            Parsed::Error {
                at: wrong,
                read,
                message,
            } => {
                errors.push(CallError {
                    offset: after + wrong,
                    message,
                });
                // What the call read (an unclosed text: the rest of the line) is not searched
                // for calls again.
                from = after + read;
            }
        }
    }
    out.push_str(&body[copied..]);
    Extracted {
        text: Cow::Owned(out),
        calls,
        errors,
    }
}

/// `text` with the placeholders of `which` of `calls` (the calls of `body`) put back as the
/// calls are written in `body`.
pub fn put_back(text: &str, body: &str, calls: &[Call], which: Range<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (found, n) in numbered_placeholders(text, PLACEHOLDER_PREFIX, PLACEHOLDER_SUFFIX) {
        if which.contains(&n) {
            let call = &calls[n];
            out.push_str(&text[copied..found.start]);
            out.push_str(&body[call.offset..call.offset + call.len]);
            copied = found.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// `html` with the placeholder of each call `n` numbered `numbers[n]` instead (left as it is
/// when `None`): once the calls markdown found in code are put back as written, the others
/// are numbered again from 0.
pub fn renumber(html: &str, numbers: &[Option<usize>]) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (found, n) in numbered_placeholders(html, PLACEHOLDER_PREFIX, PLACEHOLDER_SUFFIX) {
        if let Some(Some(new)) = numbers.get(n) {
            out.push_str(&html[copied..found.start]);
            out.push_str(&placeholder(*new));
            copied = found.end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

enum Parsed {
    /// Braces that do not start a call: left as text.
    NotACall,
    /// Name, arguments, length of the text read after `{{`.
    Call(String, BTreeMap<String, Arg>, usize),
    /// A call written wrong: where (after `{{`), how far the call was read, and what is wrong.
    Error {
        at: usize,
        read: usize,
        message: Text,
    },
}

/// Reads `name(args) }}` at the start of `s`.
fn parse_call(s: &str) -> Parsed {
    let mut p = Cursor { s, i: 0, read: 0 };
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
            return p.error(msg!(
                "expected an argument name or `)` in the shortcode `{name}`",
                name = name
            ));
        }
        p.spaces();
        if !p.eat("=") {
            return p.error(msg!(
                "expected `=` after `{key}`, as in {key}=\"…\"",
                key = key
            ));
        }
        p.spaces();
        let value = match p.value() {
            Ok(v) => v,
            Err(message) => return p.error(message),
        };
        if args.insert(key.clone(), value).is_some() {
            return p.error(msg!("the argument `{key}` is given twice", key = key));
        }
        p.spaces();
        if p.eat(",") {
            continue;
        }
        if p.eat(")") {
            break;
        }
        return p.error(msg!("expected `,` or `)` between arguments"));
    }
    p.spaces();
    if !p.eat("}}") {
        return p.error(msg!(
            "the shortcode `{name}` must end with `}}`",
            name = name
        ));
    }
    Parsed::Call(name, args, p.i)
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
    /// How far the text was read: past `i` after an unclosed text.
    read: usize,
}

impl Cursor<'_> {
    /// The error `message` at the cursor.
    fn error(&self, message: Text) -> Parsed {
        Parsed::Error {
            at: self.i,
            read: self.read.max(self.i),
            message,
        }
    }

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
            self.read = self.s.len();
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
        let Extracted {
            text,
            calls,
            errors,
        } = extract(body);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            text,
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
        let Extracted {
            text: out, calls, ..
        } = extract(body);
        let link_in_out = out.find("[l]").unwrap();
        let written = WrittenOffsets::new(&calls);
        assert_eq!(written.of(link_in_out), body.find("[l]").unwrap());
        let z = out.find('z').unwrap();
        assert_eq!(written.of(z), body.find('z').unwrap());
        assert_eq!(written.of(0), 0);
        assert_eq!(WrittenOffsets::new(&[]).of(7), 7);
    }

    #[test]
    fn plain_braces_are_left_alone() {
        let body = "{{ non una chiamata }} e {{}} e {{{{ e `{{ page.title }}`\n";
        let Extracted {
            text,
            calls,
            errors,
        } = extract(body);
        assert_eq!(text, body);
        assert!(calls.is_empty() && errors.is_empty());
    }

    #[test]
    fn malformed_calls_are_errors_with_offsets() {
        let errors = extract("Riga.\n{{ card(spazio=via) }}\n").errors;
        assert_eq!(errors[0].offset, 6 + 15);
        assert!(
            errors[0].message.en.contains("\"via\""),
            "{:?}",
            errors[0].message
        );
        let errors = extract("{{ card(spazio=\"x\") \n").errors;
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
    fn a_call_is_read_on_its_line_and_what_an_error_read_is_not_read_again() {
        // The first call's text is never closed: the calls inside it are not read.
        let Extracted { calls, errors, .. } =
            extract("{{ a(x=\"{{ b() }} {{ c() }}\n{{ d() }} {{ e(x=\"y\"\n) }}\n");
        let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["d"]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[1].message.en.contains("expected `,` or `)`"));
    }

    #[test]
    fn errors_in_italian() {
        let errors = extract("{{ card(spazio=\"x\", spazio=\"y\") }}\n").errors;
        assert_eq!(
            errors[0].message.it.as_deref(),
            Some("l'argomento `spazio` è scritto due volte")
        );
        let errors = extract("{{ card(spazio=\"x) }}\n").errors;
        assert_eq!(
            errors[0].message.it.as_deref(),
            Some("questo testo non è chiuso: aggiungi un \"")
        );
    }
}
