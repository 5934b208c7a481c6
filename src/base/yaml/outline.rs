//! Where each value of a YAML text is written: a small reader of the YAML that front matter
//! uses (block maps and lists, flow `[…]` and `{…}`, quoted and plain scalars, comments, `|`
//! and `>` blocks), giving every value its line, column and source text.
//!
//! `serde_yaml` decides what the values are; this outline only says where they are, so that a
//! wrong value is reported at its own line and column, and so that a scalar keeps the text
//! the editor typed (`cap: 20121`, `telefono: 0288458041`). Where the outline cannot follow
//! the YAML (anchors, multi-line flow collections), positions fall back to the enclosing key.
//!
//! Every value also has its byte span in the text, and every map key its own, so that
//! [`crate::base::yaml::edit`] can change one value and leave every other byte as it was.

use std::ops::Range;

/// A value's position and, for scalars, its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// 1-based line of the value in the text.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What it is.
    pub kind: OutlineKind,
    /// Where it is written, in bytes: a scalar as written (quotes included; a `|` block from
    /// its indicator to the end of its last line; an empty value is an empty span after its
    /// `:`), a flow collection from its opening to its closing bracket, a block collection
    /// from its first key or `-` to the end of its last line (line end and comment excluded).
    pub span: Range<usize>,
    /// For a map, the span of each key as written (quotes included), in the order of its
    /// entries; empty for other values.
    pub key_spans: Vec<Range<usize>>,
}

/// The shape of an outlined value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutlineKind {
    /// A scalar: its source text (quotes included when quoted).
    Scalar(String),
    /// A list.
    List(Vec<Outline>),
    /// A map: key, the key's position (line, column), value.
    Map(Vec<(String, (usize, usize), Outline)>),
}

impl Outline {
    /// The value at `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Outline> {
        match &self.kind {
            OutlineKind::Map(entries) => {
                entries.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v)
            }
            _ => None,
        }
    }

    /// The position of `key` itself in a map.
    pub fn key_position(&self, key: &str) -> Option<(usize, usize)> {
        match &self.kind {
            OutlineKind::Map(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, p, _)| *p),
            _ => None,
        }
    }

    /// Item `i` of a list.
    pub fn item(&self, i: usize) -> Option<&Outline> {
        match &self.kind {
            OutlineKind::List(items) => items.get(i),
            _ => None,
        }
    }

    /// The source text of a scalar.
    pub fn raw(&self) -> Option<&str> {
        match &self.kind {
            OutlineKind::Scalar(text) => Some(text),
            _ => None,
        }
    }
}

/// One line of the text, with comments removed.
struct Line<'a> {
    number: usize,
    indent: usize,
    content: &'a str,
    /// The byte offset of `content` in the text.
    start: usize,
}

impl Line<'_> {
    /// The byte offset where the line's content ends.
    fn end(&self) -> usize {
        self.start + self.content.len()
    }
}

/// Outlines `text`; the root is a map (or whatever the first line holds).
pub fn outline(text: &str) -> Outline {
    // The lines as `str::lines` gives them (ending in `\n` or `\r\n`), with their offsets.
    let mut line_start = 0;
    let lines: Vec<Line> = text
        .split_inclusive('\n')
        .enumerate()
        .filter_map(|(i, with_end)| {
            let start = line_start;
            line_start += with_end.len();
            let raw = with_end.strip_suffix('\n').unwrap_or(with_end);
            let raw = if with_end.ends_with('\n') {
                raw.strip_suffix('\r').unwrap_or(raw)
            } else {
                raw
            };
            let content = strip_comment(raw).trim_end();
            let indent = content.len() - content.trim_start_matches(' ').len();
            let content = &content[indent..];
            (!content.is_empty()).then_some(Line {
                number: i + 1,
                indent: raw[..indent].chars().count(),
                content,
                start: start + indent,
            })
        })
        .collect();
    let mut pos = 0;
    match lines.first() {
        Some(first) => block(&lines, &mut pos, first.indent),
        None => Outline {
            line: 1,
            column: 1,
            kind: OutlineKind::Map(Vec::new()),
            span: 0..0,
            key_spans: Vec::new(),
        },
    }
}

/// Removes a `#` comment that is not inside quotes.
fn strip_comment(line: &str) -> &str {
    // Most lines have no `#` at all: one search, not a walk through the quotes.
    if memchr::memchr(b'#', line.as_bytes()).is_none() {
        return line;
    }
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            None => {}
        }
        previous = c;
    }
    line
}

/// The node whose first line is `lines[*pos]`, indented by `indent`.
fn block(lines: &[Line], pos: &mut usize, indent: usize) -> Outline {
    let first = &lines[*pos];
    if is_item(first.content) {
        return list(lines, pos, indent);
    }
    if split_key(first.content).is_some() {
        return map(lines, pos, indent, first.indent, first.start, first.number);
    }
    // A plain scalar, perhaps over several lines.
    let start = *pos;
    *pos += 1;
    while *pos < lines.len() && lines[*pos].indent > indent {
        *pos += 1;
    }
    Outline {
        line: lines[start].number,
        column: lines[start].indent + 1,
        kind: OutlineKind::Scalar(first.content.to_string()),
        span: first.start..lines[*pos - 1].end(),
        key_spans: Vec::new(),
    }
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// A block map whose first key starts at byte `start` of the text (on line `number`, at
/// column `column0 + 1`): the rest of that line of `lines[*pos]`.
fn map(
    lines: &[Line],
    pos: &mut usize,
    indent: usize,
    column0: usize,
    start: usize,
    number: usize,
) -> Outline {
    let mut entries = Vec::new();
    let mut key_spans = Vec::new();
    let map_start = start;
    let (mut start, mut number, mut column0) = (start, number, column0);
    let mut content = &lines[*pos].content[start - lines[*pos].start..];
    while let Some((key, key_len, value_offset)) = split_key(content) {
        *pos += 1;
        let rest = content[value_offset..].trim_start();
        let rest_start = start + content.len() - rest.len();
        let value_column0 = column0 + content[..content.len() - rest.len()].chars().count();
        let key_position = (number, column0 + 1);
        let value = if rest.is_empty() {
            match lines.get(*pos) {
                Some(next)
                    if next.indent > indent || (next.indent == indent && is_item(next.content)) =>
                {
                    block(lines, pos, next.indent)
                }
                _ => {
                    let after_colon = start + value_offset;
                    scalar(
                        String::new(),
                        number,
                        value_column0,
                        after_colon..after_colon,
                    )
                }
            }
        } else if rest.starts_with('|') || rest.starts_with('>') {
            while *pos < lines.len() && lines[*pos].indent > indent {
                *pos += 1;
            }
            let span = rest_start..lines[*pos - 1].end();
            scalar(rest.to_string(), number, value_column0, span)
        } else {
            inline(rest, number, value_column0, rest_start)
        };
        entries.push((key, key_position, value));
        key_spans.push(start..start + key_len);
        match lines.get(*pos) {
            Some(next) if next.indent == indent && !is_item(next.content) => {
                content = next.content;
                start = next.start;
                number = next.number;
                column0 = next.indent;
            }
            _ => break,
        }
    }
    Outline {
        line: entries.first().map_or(number, |(_, (l, _), _)| *l),
        column: indent + 1,
        kind: OutlineKind::Map(entries),
        span: map_start..lines[*pos - 1].end(),
        key_spans,
    }
}

/// A block list: `- item` lines at `indent`.
fn list(lines: &[Line], pos: &mut usize, indent: usize) -> Outline {
    let start = &lines[*pos];
    let mut items = Vec::new();
    while let Some(line) = lines.get(*pos) {
        if line.indent != indent || !is_item(line.content) {
            break;
        }
        let rest = line.content[1..].trim_start();
        let rest_start = line.end() - rest.len();
        let column0 = line.indent + line.content.chars().count() - rest.chars().count();
        if rest.is_empty() {
            *pos += 1;
            match lines.get(*pos) {
                Some(next) if next.indent > indent => items.push(block(lines, pos, next.indent)),
                _ => items.push(scalar(
                    String::new(),
                    line.number,
                    column0,
                    rest_start..rest_start,
                )),
            }
        } else if split_key(rest).is_some() && !rest.starts_with(['{', '[', '"', '\'']) {
            // `- key: value` starts a map whose keys are at column0.
            items.push(map(lines, pos, column0, column0, rest_start, line.number));
        } else {
            *pos += 1;
            items.push(inline(rest, line.number, column0, rest_start));
        }
    }
    Outline {
        line: start.number,
        column: indent + 1,
        kind: OutlineKind::List(items),
        span: start.start..lines[*pos - 1].end(),
        key_spans: Vec::new(),
    }
}

fn scalar(text: String, line: usize, column0: usize, span: Range<usize>) -> Outline {
    Outline {
        line,
        column: column0 + 1,
        kind: OutlineKind::Scalar(text),
        span,
        key_spans: Vec::new(),
    }
}

/// `key: rest` → (key, its length in bytes as written, byte offset after the colon). Keys may
/// be quoted.
fn split_key(content: &str) -> Option<(String, usize, usize)> {
    let (key, key_len, after) =
        if let Some(q) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let close = content[1..].find(q)? + 1;
            (content[1..close].to_string(), close + 1, close + 1)
        } else {
            let colon = find_colon(content)?;
            let key = content[..colon].trim_end();
            (key.to_string(), key.len(), colon)
        };
    let rest = &content[after..];
    let rest_trimmed = rest.trim_start();
    let colon_at = after + (rest.len() - rest_trimmed.len());
    if !content[colon_at..].starts_with(':') {
        return None;
    }
    let next = content[colon_at + 1..].chars().next();
    if next.is_some_and(|c| !c.is_whitespace())
        || key.is_empty()
        || key.starts_with(['[', '{', '-'])
    {
        return None;
    }
    Some((key, key_len, colon_at + 1))
}

/// The first `:` followed by a space or the end, outside flow brackets.
fn find_colon(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' '))
}

/// A value written on one line, at byte `start` of the text: a flow collection or a scalar.
fn inline(text: &str, line: usize, column0: usize, start: usize) -> Outline {
    if !text.starts_with(['[', '{', ' ']) {
        // A scalar, as most values are: read from the text itself, without the tables of
        // characters and offsets that a flow collection needs.
        let token = scalar_token(text);
        return scalar(token.to_string(), line, column0, start..start + token.len());
    }
    let chars: Vec<char> = text.chars().collect();
    // The byte offset in the whole text of each character, and of the end.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| start + b)
        .chain([start + text.len()])
        .collect();
    let at = At {
        line,
        column0,
        bytes: &bytes,
    };
    let mut i = 0;
    flow(&chars, &mut i, &at)
}

/// Where a line of flow values is: its number, the column and byte offsets of its characters.
struct At<'a> {
    line: usize,
    column0: usize,
    bytes: &'a [usize],
}

/// Reads one flow value at `chars[*i]`.
fn flow(chars: &[char], i: &mut usize, at: &At) -> Outline {
    let (line, column0) = (at.line, at.column0);
    while *i < chars.len() && chars[*i] == ' ' {
        *i += 1;
    }
    let start = *i;
    match chars.get(*i) {
        Some('[') => {
            *i += 1;
            let mut items = Vec::new();
            loop {
                skip_spaces(chars, i);
                match chars.get(*i) {
                    None => break,
                    Some(']') => {
                        *i += 1;
                        break;
                    }
                    // A stray `}` ends no item: skipped, or the loop would never move on.
                    Some(',' | '}') => *i += 1,
                    Some(_) => items.push(flow(chars, i, at)),
                }
            }
            Outline {
                line,
                column: column0 + start + 1,
                kind: OutlineKind::List(items),
                span: at.bytes[start]..at.bytes[*i],
                key_spans: Vec::new(),
            }
        }
        Some('{') => {
            *i += 1;
            let mut entries = Vec::new();
            let mut key_spans = Vec::new();
            loop {
                skip_spaces(chars, i);
                match chars.get(*i) {
                    None => break,
                    Some('}') => {
                        *i += 1;
                        break;
                    }
                    // A stray `]` ends no entry: skipped, or the loop would never move on.
                    Some(',' | ']') => *i += 1,
                    Some(_) => {
                        let key_start = *i;
                        let written = flow_token(chars, i, true);
                        let key = unquote(&written);
                        skip_spaces(chars, i);
                        if chars.get(*i) == Some(&':') {
                            *i += 1;
                        }
                        let value = flow(chars, i, at);
                        entries.push((key, (line, column0 + key_start + 1), value));
                        let key_from = at.bytes[key_start];
                        key_spans.push(key_from..key_from + written.len());
                    }
                }
            }
            Outline {
                line,
                column: column0 + start + 1,
                kind: OutlineKind::Map(entries),
                span: at.bytes[start]..at.bytes[*i],
                key_spans,
            }
        }
        _ => {
            let text = flow_token(chars, i, false);
            let from = at.bytes[start];
            Outline {
                line,
                column: column0 + start + 1,
                span: from..from + text.len(),
                kind: OutlineKind::Scalar(text),
                key_spans: Vec::new(),
            }
        }
    }
}

fn skip_spaces(chars: &[char], i: &mut usize) {
    while *i < chars.len() && chars[*i] == ' ' {
        *i += 1;
    }
}

/// A scalar inside a flow collection (up to `,` `]` `}`, or `:` for a key), or a whole
/// top-level scalar when nothing encloses it.
fn flow_token(chars: &[char], i: &mut usize, is_key: bool) -> String {
    let start = *i;
    if let Some(&q) = chars.get(*i).filter(|c| **c == '"' || **c == '\'') {
        *i += 1;
        while *i < chars.len() {
            if chars[*i] == '\\' && q == '"' {
                *i += 2;
                continue;
            }
            if chars[*i] == q {
                *i += 1;
                break;
            }
            *i += 1;
        }
        return chars[start..(*i).min(chars.len())].iter().collect();
    }
    while *i < chars.len() {
        let c = chars[*i];
        let ends_key = is_key && c == ':' && chars.get(*i + 1).is_none_or(|n| *n == ' ');
        if c == ',' || c == ']' || c == '}' || ends_key {
            break;
        }
        *i += 1;
    }
    chars[start..*i]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// The scalar that starts `text`, as [`flow_token`] reads a value (not a key) from its first
/// character: a quoted one up to its closing quote (all of `text` when there is none), a plain
/// one up to the first `,` `]` or `}`, without the blanks after it.
fn scalar_token(text: &str) -> &str {
    let Some(quote) = text.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        let end = text.find([',', ']', '}']).unwrap_or(text.len());
        return text[..end].trim_end();
    };
    let mut chars = text.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        if c == '\\' && quote == '"' {
            // The escaped character, whatever it is, does not close the text.
            chars.next();
        } else if c == quote {
            return &text[..at + 1];
        }
    }
    text
}

fn unquote(text: &str) -> String {
    let t = text.trim();
    if t.len() >= 2
        && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''))
    {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
title: \"WeMi Piazzetta\"   # il nome
municipio: quattro
address:
  street: via Piazzetta
  cap: 20121
servizi: [orientamento, \"sportello, lavoro\"]
contacts:
  phones:
    - { label: Famiglie, number: 0288458041 }
    - label: Lavoratori
      number: 02 8845 8042
opening_hours:
  mon:
    - 09:00-13:00
  sat: chiuso
note: |
  riga uno
  riga due
ultimo: x
";

    fn at(o: &Outline) -> (usize, usize) {
        (o.line, o.column)
    }

    #[test]
    fn block_values_have_their_positions() {
        let o = outline(TEXT);
        assert_eq!(at(o.get("municipio").unwrap()), (2, 12));
        assert_eq!(o.get("municipio").unwrap().raw(), Some("quattro"));
        assert_eq!(o.key_position("municipio"), Some((2, 1)));
        let cap = o.get("address").unwrap().get("cap").unwrap();
        assert_eq!((at(cap), cap.raw()), ((5, 8), Some("20121")));
        assert_eq!(o.get("title").unwrap().raw(), Some("\"WeMi Piazzetta\""));
        assert_eq!(at(o.get("ultimo").unwrap()), (19, 9));
        assert_eq!(at(o.get("note").unwrap()), (16, 7));
    }

    #[test]
    fn flow_and_list_items_have_their_positions() {
        let o = outline(TEXT);
        let servizi = o.get("servizi").unwrap();
        assert_eq!(at(servizi.item(1).unwrap()), (6, 25));
        assert_eq!(
            servizi.item(1).unwrap().raw(),
            Some("\"sportello, lavoro\"")
        );
        let phones = o.get("contacts").unwrap().get("phones").unwrap();
        let first = phones.item(0).unwrap().get("number").unwrap();
        assert_eq!((at(first), first.raw()), ((9, 34), Some("0288458041")));
        let second = phones.item(1).unwrap().get("number").unwrap();
        assert_eq!((at(second), second.raw()), ((11, 15), Some("02 8845 8042")));
        let mon = o.get("opening_hours").unwrap().get("mon").unwrap();
        assert_eq!(at(mon.item(0).unwrap()), (14, 7));
        assert_eq!(
            o.get("opening_hours").unwrap().get("sat").unwrap().raw(),
            Some("chiuso")
        );
    }

    #[test]
    fn lists_at_the_same_indent_as_their_key() {
        let o = outline("tags:\n- a\n- b\nx: 1\n");
        assert_eq!(at(o.get("tags").unwrap().item(1).unwrap()), (3, 3));
        assert_eq!(at(o.get("x").unwrap()), (4, 4));
    }

    #[test]
    fn hash_inside_quotes_and_urls_is_kept() {
        let o = outline("a: \"#SostieneMilano\"\nb: https://x.it/#orari\n");
        assert_eq!(o.get("a").unwrap().raw(), Some("\"#SostieneMilano\""));
        assert_eq!(o.get("b").unwrap().raw(), Some("https://x.it/#orari"));
    }

    /// Found by the `front_matter` fuzz target (out of memory from 206 bytes): the lines of a
    /// quoted text that spans lines are outlined as lines of their own, and a stray `}` in a
    /// flow list (or `]` in a flow map) stopped the reading without moving on, adding empty
    /// items forever.
    #[test]
    fn stray_closing_brackets_in_flow_values_end() {
        let o = outline("title: \"a\nb: [x}, y]\nc: {k: v], z: w}\"\n");
        assert_eq!(o.get("b").unwrap().item(1).unwrap().raw(), Some("y"));
        assert_eq!(o.get("c").unwrap().get("z").unwrap().raw(), Some("w"));
    }

    #[test]
    fn values_and_keys_have_their_byte_spans() {
        let text = "a: \"x\"  # c\r\nb: { k: v, \"q\": [1, è] }\r\nl:\r\n  - m: 1\r\n    n: |\r\n      t\r\nz:\r\n";
        let o = outline(text);
        let span = |v: &Outline| &text[v.span.clone()];
        assert_eq!(span(o.get("a").unwrap()), "\"x\"");
        let b = o.get("b").unwrap();
        assert_eq!(span(b), "{ k: v, \"q\": [1, è] }");
        assert_eq!(span(b.get("q").unwrap().item(1).unwrap()), "è");
        let keys: Vec<&str> = b.key_spans.iter().map(|k| &text[k.clone()]).collect();
        assert_eq!(keys, ["k", "\"q\""]);
        let l = o.get("l").unwrap();
        assert_eq!(span(l), "- m: 1\r\n    n: |\r\n      t");
        assert_eq!(span(l.item(0).unwrap().get("n").unwrap()), "|\r\n      t");
        let z = o.get("z").unwrap();
        assert_eq!((z.span.start, z.span.end), (text.len() - 2, text.len() - 2));
        assert_eq!(&text[o.key_spans[3].clone()], "z");
    }

    /// The shortcut for scalars must read what the flow reader (which it replaces for them)
    /// reads, and place it as it did.
    #[test]
    fn a_scalar_reads_as_the_flow_reader_reads_it() {
        for text in [
            "",
            "Milano",
            "a, b",
            "via Roma 1 ]x",
            "x }",
            "45.46   ",
            "\"Via Ornato 48, Milano\" resto",
            "\"non chiuso, Milano",
            "\"a \\\" b\", c",
            "\"fine \\",
            "\"è \\è\"x",
            "'a '' b', c",
            "'non chiuso",
            "perché: sì, no",
        ] {
            let chars: Vec<char> = text.chars().collect();
            let mut i = 0;
            assert_eq!(
                scalar_token(text),
                flow_token(&chars, &mut i, false),
                "{text:?}"
            );
            if text.is_empty() {
                continue;
            }
            let value = outline(&format!("k: {text}\n"));
            let value = value.get("k").unwrap();
            assert_eq!(value.raw(), Some(scalar_token(text)), "{text:?}");
            assert_eq!((value.column, value.span.start), (4, 3), "{text:?}");
        }
    }
}
