//! Edits of a YAML text in place: one value replaced, a key removed or inserted, every other
//! byte (comments, blank lines, key order, quoting, line ends) left as it was.
//!
//! The places come from the outline reader ([`crate::base::yaml::outline`]): each value's and
//! key's byte span. Edits are collected against the original text and applied together at the
//! end, so a text is outlined once and written once however many values change (linear time).
//! Every string written is encoded so that it reads back as exactly that string: plain or
//! single-quoted only when the YAML reader agrees, else double-quoted with escapes.

use std::collections::HashMap;
use std::ops::Range;

use crate::base::yaml::outline::{Outline, OutlineKind, outline};

/// One step of a path into a YAML value: a map's key or a list's item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of a key of a map.
    Key(String),
    /// An item of a list (0-based).
    Index(usize),
}

/// How a string scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `Milano`.
    Plain,
    /// `'Milano'`.
    Single,
    /// `"Milano"`.
    Double,
    /// A `|` block, its lines below the key.
    Literal,
}

/// A value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Emit {
    /// Written exactly as given: a number, a boolean, a date the caller knows is plain.
    Raw(String),
    /// A string, written in `style` when it reads back the same there (else double-quoted);
    /// with no style, in the style of the value it replaces (double-quoted for a new one).
    Str(String, Option<Style>),
    /// A list.
    List(Vec<Emit>),
    /// A map, keys in order.
    Map(Vec<(String, Emit)>),
}

/// Why an edit could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The path leads nowhere the outline found (or to a value it cannot follow).
    NotFound(Vec<Step>),
}

/// The edits of one text, applied by [`YamlEdit::finish`].
pub struct YamlEdit<'a> {
    text: &'a str,
    root: Outline,
    /// For each map (by where it starts), the entry of each key: the last one when a key is
    /// repeated, as the YAML reader takes. Finding a path costs its length, not the size of
    /// the maps it goes through, so many edits of a big text stay linear.
    keys: HashMap<(usize, String), usize>,
    edits: Vec<(Range<usize>, String)>,
    eol: &'static str,
}

/// A value found by a path, with what encloses it.
struct Found<'o> {
    value: &'o Outline,
    /// The map or list it is in, and its key's span when in a map.
    parent: Option<(&'o Outline, Option<Range<usize>>)>,
}

impl<'a> YamlEdit<'a> {
    /// Prepares edits of `text` (outlined now).
    pub fn new(text: &'a str) -> YamlEdit<'a> {
        let root = outline(text);
        let mut keys = HashMap::new();
        index_keys(&root, &mut keys);
        YamlEdit {
            text,
            root,
            keys,
            edits: Vec::new(),
            eol: if text.contains("\r\n") { "\r\n" } else { "\n" },
        }
    }

    /// The outline of the text as it was.
    pub fn outline(&self) -> &Outline {
        &self.root
    }

    /// The style a string scalar at `path` is written in, if it is a scalar.
    pub fn style(&self, path: &[Step]) -> Option<Style> {
        let found = self.find(path).ok()?;
        found.value.raw().map(style_of)
    }

    fn find(&self, path: &[Step]) -> Result<Found<'_>, EditError> {
        let mut found = Found {
            value: &self.root,
            parent: None,
        };
        for step in path {
            let here = found.value;
            found = match (step, &here.kind) {
                (Step::Key(key), OutlineKind::Map(entries)) => {
                    let i = *self
                        .keys
                        .get(&(here.span.start, key.clone()))
                        .ok_or_else(|| EditError::NotFound(path.to_vec()))?;
                    Found {
                        value: &entries[i].2,
                        parent: Some((here, here.key_spans.get(i).cloned())),
                    }
                }
                (Step::Index(i), OutlineKind::List(items)) => Found {
                    value: items
                        .get(*i)
                        .ok_or_else(|| EditError::NotFound(path.to_vec()))?,
                    parent: Some((here, None)),
                },
                _ => return Err(EditError::NotFound(path.to_vec())),
            };
        }
        Ok(found)
    }

    /// Whether `value` is written in flow style (`[…]`, `{…}`).
    fn is_flow(&self, value: &Outline) -> bool {
        self.text[value.span.start..].starts_with(['[', '{'])
    }

    /// Replaces the value at `path` (a scalar, a list or a map) with `value`, written in the
    /// old value's style: a collection written in block style is written again in block style.
    pub fn replace(&mut self, path: &[Step], value: &Emit) -> Result<(), EditError> {
        let found = self.find(path)?;
        let old = found.value;
        let in_flow = found.parent.as_ref().is_some_and(|(p, _)| self.is_flow(p));
        let old_style = old.raw().map(style_of).or_else(|| first_style(old));
        let indent = self.child_indent(&found);
        let scalar_new = matches!(value, Emit::Raw(_) | Emit::Str(..))
            || matches!(value, Emit::List(v) if v.is_empty())
            || matches!(value, Emit::Map(v) if v.is_empty());
        let (range, text) = if in_flow || (old.raw().is_none() && self.is_flow(old)) {
            (old.span.clone(), self.flow(value, old_style))
        } else if scalar_new {
            let text = self.block_scalar(value, old_style, indent);
            match (&found.parent, old.raw()) {
                // A block collection after `key:` becomes a scalar on the key's line.
                (Some((_, Some(key))), None) => {
                    (self.after_colon(key)..old.span.end, format!(" {text}"))
                }
                _ if old.span.is_empty() => (old.span.clone(), format!(" {text}")),
                _ => (old.span.clone(), text),
            }
        } else if old.raw().is_none() {
            // A block collection: its first key or `-` is already indented.
            let text = self.block(value, old_style, column_of(self.text, old.span.start));
            let text = text.trim_start_matches(['\r', '\n', ' ']).to_string();
            (old.span.clone(), text)
        } else if let Some((_, Some(key))) = &found.parent {
            // A scalar after `key:` becomes a block collection below the key.
            let start = self.after_colon(key);
            (start..old.span.end, self.block(value, old_style, indent))
        } else {
            // A scalar list item becomes a flow collection on the item's line.
            (old.span.clone(), self.flow(value, old_style))
        };
        self.edits.push((range, text));
        Ok(())
    }

    /// Removes the key at `path` (whose last step is a key) with its value: in block style
    /// its lines, with the comments indented inside it; in flow style the entry and one comma.
    pub fn remove(&mut self, path: &[Step]) -> Result<(), EditError> {
        let found = self.find(path)?;
        let Some((map, Some(key))) = found.parent else {
            return Err(EditError::NotFound(path.to_vec()));
        };
        let OutlineKind::Map(entries) = &map.kind else {
            return Err(EditError::NotFound(path.to_vec()));
        };
        let i = map.key_spans.iter().position(|k| *k == key).unwrap_or(0);
        let next_key = map.key_spans.get(i + 1);
        let range = if self.is_flow(map) {
            match (next_key, i.checked_sub(1)) {
                (Some(next), _) => key.start..next.start,
                (None, Some(previous)) => entries[previous].2.span.end..found.value.span.end,
                (None, None) => key.start..found.value.span.end,
            }
        } else if !self.text[line_start(self.text, key.start)..key.start]
            .trim_start()
            .is_empty()
        {
            // The first key of a list item (`- key: …`): the next key takes its place.
            match next_key {
                Some(next) => key.start..next.start,
                None => {
                    self.edits
                        .push((key.start..found.value.span.end, "{}".to_string()));
                    return Ok(());
                }
            }
        } else {
            line_start(self.text, key.start)..self.entry_end(key.start, &found.value.span)
        };
        self.edits.push((range, String::new()));
        Ok(())
    }

    /// Inserts `key: value` into the map at `map_path`, after the entry `after` (or first),
    /// at the map's indentation and in its style.
    pub fn insert(
        &mut self,
        map_path: &[Step],
        after: Option<&str>,
        key: &str,
        value: &Emit,
    ) -> Result<(), EditError> {
        let map = self.find(map_path)?.value;
        let OutlineKind::Map(entries) = &map.kind else {
            return Err(EditError::NotFound(map_path.to_vec()));
        };
        let key_text = encode(key, Style::Plain, Context::FlowKey);
        let after = after.and_then(|a| entries.iter().rposition(|(k, _, _)| k == a));
        let edit = if self.is_flow(map) {
            let entry = format!("{key_text}: {}", self.flow(value, None));
            match (after, map.key_spans.first()) {
                (Some(i), _) => (entries[i].2.span.end, format!(", {entry}")),
                (None, Some(first)) => (first.start, format!("{entry}, ")),
                (None, None) => (map.span.start + 1, entry),
            }
        } else if entries.is_empty() {
            // Only a text with no keys at all has an empty block map: add at its end.
            let lead = if self.text.is_empty() || self.text.ends_with('\n') {
                ""
            } else {
                self.eol
            };
            let value = self.entry_value(value, 2);
            (
                self.text.len(),
                format!("{lead}{key_text}:{value}{}", self.eol),
            )
        } else {
            let indent = column_of(self.text, map.key_spans[0].start);
            let value = self.entry_value(value, indent + 2);
            match after {
                Some(i) => {
                    let end = self.entry_end(map.key_spans[i].start, &entries[i].2.span);
                    let lead = if self.text[..end].ends_with('\n') {
                        ""
                    } else {
                        self.eol
                    };
                    (
                        end,
                        format!("{lead}{}{key_text}:{value}{}", " ".repeat(indent), self.eol),
                    )
                }
                None => (
                    map.key_spans[0].start,
                    format!("{key_text}:{value}{}{}", self.eol, " ".repeat(indent)),
                ),
            }
        };
        self.edits.push((edit.0..edit.0, edit.1));
        Ok(())
    }

    /// The text with every edit made.
    pub fn finish(mut self) -> String {
        // Insertions at one place stay in the order they were asked for.
        self.edits
            .sort_by_key(|(range, _)| (range.start, range.end));
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for (range, text) in &self.edits {
            if range.start < at {
                continue; // overlapping edits are never asked for; the first one wins
            }
            out.push_str(&self.text[at..range.start]);
            out.push_str(text);
            at = range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// The byte after the `:` that follows the block key at `key`.
    fn after_colon(&self, key: &Range<usize>) -> usize {
        key.end + self.text[key.end..].find(':').map_or(0, |i| i + 1)
    }

    /// The byte after a block entry whose key starts at `key_start`: the end of its value's
    /// last line, with its line end and the comment lines indented inside it that follow.
    fn entry_end(&self, key_start: usize, value: &Range<usize>) -> usize {
        let indent = column_of(self.text, key_start);
        let mut end = line_end(self.text, value.end.max(key_start));
        while end < self.text.len() {
            let next = line_end(self.text, end);
            let line = &self.text[end..next];
            let content = line.trim_start_matches(' ');
            let deeper = line.len() - content.len() > indent;
            if !(deeper && content.starts_with('#')) {
                break;
            }
            end = next;
        }
        end
    }

    /// The indentation of the lines of a value below the key or item of `found`.
    fn child_indent(&self, found: &Found) -> usize {
        match &found.parent {
            Some((_, Some(key))) => column_of(self.text, key.start) + 2,
            Some((list, None)) => column_of(self.text, list.span.start) + 2,
            None => 2,
        }
    }

    /// What follows `key:` for a new entry whose nested lines are indented by `indent`.
    fn entry_value(&self, value: &Emit, indent: usize) -> String {
        match value {
            Emit::List(items) if !items.is_empty() => self.block(value, None, indent),
            Emit::Map(entries) if !entries.is_empty() => self.block(value, None, indent),
            _ => format!(" {}", self.block_scalar(value, None, indent)),
        }
    }

    /// A scalar (or an empty collection) written after `key: ` or `- `, its block lines (if
    /// any) indented by `indent`.
    fn block_scalar(&self, value: &Emit, style: Option<Style>, indent: usize) -> String {
        match value {
            Emit::Raw(text) => text.clone(),
            Emit::Str(text, own) => {
                let style = own.or(style).unwrap_or(Style::Double);
                let written = encode(text, style, Context::Block(indent));
                written.replace('\n', self.eol)
            }
            Emit::List(_) => "[]".to_string(),
            Emit::Map(_) => "{}".to_string(),
        }
    }

    /// A list or map in block style: each item or entry on a line of its own, starting with a
    /// line end, indented by `indent`.
    fn block(&self, value: &Emit, style: Option<Style>, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let mut out = String::new();
        match value {
            Emit::List(items) if !items.is_empty() => {
                for item in items {
                    out.push_str(self.eol);
                    out.push_str(&pad);
                    out.push('-');
                    match item {
                        Emit::Map(entries) if !entries.is_empty() => {
                            // `- key: …`, the other keys under the first.
                            let inner = self.block(item, style, indent + 2);
                            let inner = inner.strip_prefix(self.eol).unwrap_or(&inner);
                            out.push(' ');
                            out.push_str(inner.trim_start_matches(' '));
                        }
                        Emit::List(inner) if !inner.is_empty() => {
                            out.push(' ');
                            out.push_str(&self.flow(item, style));
                        }
                        _ => {
                            out.push(' ');
                            out.push_str(&self.block_scalar(item, style, indent + 2));
                        }
                    }
                }
            }
            Emit::Map(entries) if !entries.is_empty() => {
                for (key, item) in entries {
                    out.push_str(self.eol);
                    out.push_str(&pad);
                    out.push_str(&encode(key, Style::Plain, Context::FlowKey));
                    out.push(':');
                    match item {
                        Emit::List(v) if !v.is_empty() => {
                            out.push_str(&self.block(item, style, indent + 2))
                        }
                        Emit::Map(v) if !v.is_empty() => {
                            out.push_str(&self.block(item, style, indent + 2))
                        }
                        _ => {
                            out.push(' ');
                            out.push_str(&self.block_scalar(item, style, indent + 2));
                        }
                    }
                }
            }
            _ => {
                out.push(' ');
                out.push_str(&self.block_scalar(value, style, indent));
            }
        }
        out
    }

    /// A value in flow style, on one line.
    fn flow(&self, value: &Emit, style: Option<Style>) -> String {
        match value {
            Emit::Raw(text) => text.clone(),
            Emit::Str(text, own) => {
                let style = own.or(style).unwrap_or(Style::Double);
                encode(text, style, Context::Flow)
            }
            Emit::List(items) => {
                let items: Vec<String> = items.iter().map(|i| self.flow(i, style)).collect();
                format!("[{}]", items.join(", "))
            }
            Emit::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        let key = encode(k, Style::Plain, Context::FlowKey);
                        format!("{key}: {}", self.flow(v, style))
                    })
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }
}

/// The style a scalar is written in.
/// Fills `keys` with the entries of every map in `value`.
fn index_keys(value: &Outline, keys: &mut HashMap<(usize, String), usize>) {
    match &value.kind {
        OutlineKind::Map(entries) => {
            for (i, (key, _, inner)) in entries.iter().enumerate() {
                keys.insert((value.span.start, key.clone()), i);
                index_keys(inner, keys);
            }
        }
        OutlineKind::List(items) => items.iter().for_each(|item| index_keys(item, keys)),
        OutlineKind::Scalar(_) => {}
    }
}

fn style_of(raw: &str) -> Style {
    match raw.chars().next() {
        Some('"') => Style::Double,
        Some('\'') => Style::Single,
        Some('|' | '>') => Style::Literal,
        _ => Style::Plain,
    }
}

/// The style of the first scalar of a collection, to write new items as the old ones are.
fn first_style(value: &Outline) -> Option<Style> {
    match &value.kind {
        OutlineKind::Scalar(raw) => Some(style_of(raw)),
        OutlineKind::List(items) => items.iter().find_map(first_style),
        OutlineKind::Map(entries) => entries.iter().find_map(|(_, _, v)| first_style(v)),
    }
}

/// The byte offset where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte offset after the line end of the line holding `at` (the text's end on its last
/// line).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The column (0-based, in bytes: what precedes a key or `-` is spaces and `- `) of `at`.
fn column_of(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Where a scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// After `key: ` or `- ` in block style; block lines indented by this many spaces.
    Block(usize),
    /// Inside `[…]` or `{…}`.
    Flow,
    /// A key (of either style).
    FlowKey,
}

/// `text` written in `style` where that reads back as exactly `text` in `context`, else
/// double-quoted (which always does).
fn encode(text: &str, style: Style, context: Context) -> String {
    let candidate = match (style, context) {
        (Style::Plain, _) => Some(text.to_string()),
        (Style::Single, _) if !text.contains(['\n', '\r']) => {
            Some(format!("'{}'", text.replace('\'', "''")))
        }
        (Style::Literal, Context::Block(indent)) => literal(text, indent),
        _ => None,
    };
    match candidate {
        Some(written) if reads_back(&written, text, context) => written,
        _ => double_quoted(text),
    }
}

/// `text` as a `|` block whose lines are indented by `indent`, when it can be one.
fn literal(text: &str, indent: usize) -> Option<String> {
    let body = text.trim_end_matches('\n');
    let trailing = text.len() - body.len();
    // More than one line end at the end would need `|+`, which also keeps the blank lines
    // that follow the block in the file: such a text is double-quoted.
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => return None,
    };
    if body.is_empty() || body.starts_with([' ', '\t']) || body.contains('\r') {
        return None;
    }
    let pad = " ".repeat(indent);
    let mut out = format!("|{chomp}");
    for line in text[..text.len() - trailing.min(1)].split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

/// Whether `written` reads as the string `text` where `context` puts it.
fn reads_back(written: &str, text: &str, context: Context) -> bool {
    if written.is_empty() {
        return false;
    }
    let document = match context {
        Context::Block(_) => format!("k: {written}\n"),
        Context::Flow => format!("k: [{written}]\n"),
        Context::FlowKey => format!("{{{written}: 0}}\n"),
    };
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&document) else {
        return false;
    };
    let read = match (context, &value) {
        (Context::Block(_), serde_yaml::Value::Mapping(m)) => m.get("k"),
        (Context::Flow, serde_yaml::Value::Mapping(m)) => match m.get("k") {
            Some(serde_yaml::Value::Sequence(items)) if items.len() == 1 => items.first(),
            _ => None,
        },
        (Context::FlowKey, serde_yaml::Value::Mapping(m)) if m.len() == 1 => m.keys().next(),
        _ => None,
    };
    matches!(read, Some(serde_yaml::Value::String(s)) if s == text)
}

/// `text` in double quotes, every character YAML would not keep as it is escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::yaml::{NodeValue, Parsed};

    fn key(k: &str) -> Step {
        Step::Key(k.to_string())
    }

    fn s(text: &str) -> Emit {
        Emit::Str(text.to_string(), None)
    }

    /// The string at `path` as the crate's YAML reader reads `text`.
    fn read(text: &str, path: &[Step]) -> NodeValue {
        let parsed = Parsed::new(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
        let mut node = parsed.nodes();
        for step in path {
            node = match (step, node.value) {
                (Step::Key(k), NodeValue::Map(entries)) => {
                    entries.into_iter().find(|(key, _)| key == k).unwrap().1
                }
                (Step::Index(i), NodeValue::List(items)) => items.into_iter().nth(*i).unwrap(),
                (_, other) => panic!("no {step:?} in {other:?}"),
            };
        }
        node.value
    }

    fn string(text: &str) -> NodeValue {
        NodeValue::Scalar {
            text: text.to_string(),
            is_string: true,
        }
    }

    fn edited(text: &str, edit: impl FnOnce(&mut YamlEdit)) -> String {
        let mut e = YamlEdit::new(text);
        edit(&mut e);
        e.finish()
    }

    const SPACE: &str = "\
# Lo spazio
title: \"WeMi Piazzetta\"   # il nome

municipio: 4
address: { street: via Piazzetta, cap: \"20121\" }
contacts:
  email: a@b.it
  phones:
    - label: Famiglie   # linea
      number: \"02 8845 8041\"
    - { label: Lavoro, number: '02 8845 8042' }
note: |
  riga uno
  riga due
servizi: [orientamento, 'sportello']
ultimo: x
";

    #[test]
    fn a_scalar_is_replaced_in_its_style_and_nothing_else_changes() {
        let out = edited(SPACE, |e| {
            e.replace(&[key("title")], &s("WeMi Tre Castelli")).unwrap();
            e.replace(&[key("municipio")], &Emit::Raw("5".into()))
                .unwrap();
        });
        assert_eq!(
            out,
            SPACE
                .replace("\"WeMi Piazzetta\"", "\"WeMi Tre Castelli\"")
                .replace("municipio: 4", "municipio: 5")
        );
    }

    #[test]
    fn scalars_in_flow_maps_list_items_and_blocks_are_replaced() {
        let out = edited(SPACE, |e| {
            e.replace(&[key("address"), key("street")], &s("via Ripamonti, 1"))
                .unwrap();
            let phones = [key("contacts"), key("phones")];
            let first = [&phones[..], &[Step::Index(0), key("number")]].concat();
            e.replace(&first, &s("02 1234 5678")).unwrap();
            let second = [&phones[..], &[Step::Index(1), key("number")]].concat();
            e.replace(&second, &s("02 it's")).unwrap();
            e.replace(&[key("note")], &s("prima\n\nterza\n")).unwrap();
            e.replace(&[key("servizi"), Step::Index(1)], &s("lavoro"))
                .unwrap();
        });
        let expected = SPACE
            .replace("via Piazzetta", "\"via Ripamonti, 1\"")
            .replace("\"02 8845 8041\"", "\"02 1234 5678\"")
            .replace("'02 8845 8042'", "'02 it''s'")
            .replace("  riga uno\n  riga due", "  prima\n\n  terza")
            .replace("'sportello'", "'lavoro'");
        assert_eq!(out, expected);
        assert_eq!(read(&out, &[key("note")]), string("prima\n\nterza\n"));
    }

    #[test]
    fn removing_a_block_key_takes_its_lines_and_inner_comments_only() {
        let text = "a: 1\nb:\n  c: 2\n  # dentro b\n\n# fuori\nd: 3\n";
        let out = edited(text, |e| e.remove(&[key("b")]).unwrap());
        assert_eq!(out, "a: 1\n\n# fuori\nd: 3\n");
        let out = edited(text, |e| e.remove(&[key("d")]).unwrap());
        assert_eq!(out, "a: 1\nb:\n  c: 2\n  # dentro b\n\n# fuori\n");
    }

    #[test]
    fn removing_a_flow_entry_takes_one_comma() {
        let text = "a: { x: 1, y: 2, z: 3 }\n";
        assert_eq!(
            edited(text, |e| e.remove(&[key("a"), key("y")]).unwrap()),
            "a: { x: 1, z: 3 }\n"
        );
        assert_eq!(
            edited(text, |e| e.remove(&[key("a"), key("z")]).unwrap()),
            "a: { x: 1, y: 2 }\n"
        );
        assert_eq!(
            edited("a: {x: 1}\n", |e| e.remove(&[key("a"), key("x")]).unwrap()),
            "a: {}\n"
        );
    }

    #[test]
    fn the_first_key_of_a_list_item_is_removed_and_the_next_takes_its_place() {
        let text = "l:\n  - a: 1\n    b: 2\n";
        let out = edited(text, |e| {
            e.remove(&[key("l"), Step::Index(0), key("a")]).unwrap()
        });
        assert_eq!(out, "l:\n  - b: 2\n");
    }

    #[test]
    fn keys_are_inserted_after_their_sibling_in_the_map_style() {
        let out = edited(SPACE, |e| {
            e.insert(&[], Some("municipio"), "status", &s("open"))
                .unwrap();
            e.insert(&[key("address")], Some("cap"), "city", &s("Milano"))
                .unwrap();
            e.insert(&[key("contacts")], None, "web", &s("https://x.it"))
                .unwrap();
            e.insert(&[key("address")], None, "civic", &s("2")).unwrap();
        });
        let expected = SPACE
            .replace("municipio: 4\n", "municipio: 4\nstatus: \"open\"\n")
            .replace(
                "{ street: via Piazzetta, cap: \"20121\" }",
                "{ civic: \"2\", street: via Piazzetta, cap: \"20121\", city: \"Milano\" }",
            )
            .replace("  email:", "  web: \"https://x.it\"\n  email:");
        assert_eq!(out, expected);
    }

    #[test]
    fn a_key_inserted_after_a_nested_block_goes_after_its_inner_comments() {
        let text = "a:\n  b: 1\n  # su b\nc: 2";
        let out = edited(text, |e| {
            e.insert(&[], Some("a"), "x", &Emit::List(vec![s("p"), s("q")]))
                .unwrap();
            e.insert(&[], Some("c"), "y", &Emit::Raw("true".into()))
                .unwrap();
        });
        assert_eq!(
            out,
            "a:\n  b: 1\n  # su b\nx:\n  - \"p\"\n  - \"q\"\nc: 2\ny: true\n"
        );
    }

    #[test]
    fn an_empty_text_gets_its_first_key() {
        let out = edited("", |e| e.insert(&[], None, "title", &s("Ciao")).unwrap());
        assert_eq!(out, "title: \"Ciao\"\n");
    }

    #[test]
    fn whole_values_are_written_again_in_their_style() {
        let text = "servizi: [a, b]\nphones:\n  - label: x\n    number: \"1\"\nmon: closed\ntue:\n  - 09:00-13:00\n  - 14:00-18:00\nz: 1\n";
        let out = edited(text, |e| {
            e.replace(&[key("servizi")], &Emit::List(vec![s("b"), s("c, d")]))
                .unwrap();
            let phone = |l: &str| {
                Emit::Map(vec![
                    ("label".into(), s(l)),
                    ("number".into(), Emit::Str("2".into(), Some(Style::Double))),
                ])
            };
            e.replace(&[key("phones")], &Emit::List(vec![phone("y"), phone("z")]))
                .unwrap();
            e.replace(
                &[key("mon")],
                &Emit::List(vec![s("09:00-12:00"), s("13:00-15:00")]),
            )
            .unwrap();
            e.replace(&[key("tue")], &s("closed")).unwrap();
        });
        assert_eq!(
            out,
            "servizi: [b, \"c, d\"]\nphones:\n  - label: y\n    number: \"2\"\n  - label: z\n    number: \"2\"\nmon:\n  - 09:00-12:00\n  - 13:00-15:00\ntue: closed\nz: 1\n"
        );
    }

    #[test]
    fn crlf_line_ends_are_kept_and_used_for_new_lines() {
        let text = "a: 1\r\nb:\r\n  c: x\r\n";
        let out = edited(text, |e| {
            e.replace(&[key("b"), key("c")], &s("y")).unwrap();
            e.insert(&[], Some("a"), "n", &s("uno\ndue\n")).unwrap();
            e.insert(&[key("b")], Some("c"), "d", &Emit::List(vec![s("p")]))
                .unwrap();
        });
        assert_eq!(
            out,
            "a: 1\r\nn: \"uno\\ndue\\n\"\r\nb:\r\n  c: y\r\n  d:\r\n    - \"p\"\r\n"
        );
    }

    const HOSTILE: &[&str] = &[
        "",
        " ",
        "a: b",
        "a #b",
        "#x",
        "'",
        "\"",
        "''\"\"\\",
        "\\n",
        "riga\nriga",
        "fine\n",
        "\n",
        "\t tab",
        "{x: 1}",
        "[1, 2]",
        "- x",
        "-",
        "? x",
        "*alias",
        "&anchor x",
        "!tag x",
        "%x",
        "@x",
        "`x",
        "|",
        ">",
        "true",
        "null",
        "~",
        "4",
        "0x1F",
        "1e3",
        "2024-05-01",
        "---",
        "...",
        "a,b",
        "a]b",
        "caffè ☕ città",
        "\u{2028}\u{85}\u{feff}x\u{7f}\u{1}",
        "  spazi  ",
        "x: y\n---\ntitle: z",
        " leading",
        "trailing ",
        "\r\n",
    ];

    #[test]
    fn hostile_strings_read_back_exactly_in_every_place_and_style() {
        let long = "lungo ".repeat(5000) + "# : '\" {";
        let mut values: Vec<&str> = HOSTILE.to_vec();
        values.push(&long);
        let places: &[(&str, &[Step])] = &[
            ("a: x\nb: 1\n", &[Step::Key(String::new())]),
            ("a: 'x'\nb: 1\n", &[]),
            ("a: \"x\"\nb: 1\n", &[]),
            ("a: |\n  x\nb: 1\n", &[]),
            ("a:\nb: 1\n", &[]),
            ("a: [x, y]\nb: 1\n", &[Step::Index(0)]),
            ("a: {k: x, j: y}\nb: 1\n", &[Step::Key(String::new())]),
            ("a:\n  - x\n  - y\nb: 1\n", &[Step::Index(1)]),
        ];
        for value in &values {
            for (text, rest) in places {
                let path: Vec<Step> = std::iter::once(key("a"))
                    .chain(rest.iter().map(|step| match step {
                        Step::Key(k) if k.is_empty() && text.contains('{') => key("k"),
                        other => other.clone(),
                    }))
                    .filter(|step| *step != key(""))
                    .collect();
                let out = edited(text, |e| e.replace(&path, &s(value)).unwrap());
                assert_eq!(
                    read(&out, &path),
                    string(value),
                    "{value:?} in {text:?}: {out}"
                );
                assert_eq!(read(&out, &[key("b")]), read(text, &[key("b")]), "{out}");
                for style in [Style::Plain, Style::Single, Style::Literal] {
                    let emit = Emit::Str(value.to_string(), Some(style));
                    let out = edited(text, |e| e.replace(&path, &emit).unwrap());
                    assert_eq!(read(&out, &path), string(value), "{style:?} {out}");
                }
                let out = edited(text, |e| e.insert(&[], Some("a"), "n", &s(value)).unwrap());
                assert_eq!(read(&out, &[key("n")]), string(value), "{out}");
            }
        }
    }

    /// Random strings of the characters YAML treats specially, in random styles and places:
    /// each must read back as itself (a small deterministic generator, no new crate).
    #[test]
    fn random_strings_read_back_exactly() {
        let alphabet: Vec<char> = "ab :#-'\"\\{}[],&*!|>%@`?\n\t è☕\u{2028}"
            .chars()
            .collect();
        let mut random = crate::base::TestRandom::new(0x5eed);
        let mut next = |n: usize| random.below(n);
        let texts = [
            "a: x\n",
            "a: [x]\n",
            "a: {k: x}\n",
            "a:\n  - x\n",
            "a: |\n  x\n",
        ];
        for _ in 0..1500 {
            let len = next(12);
            let value: String = (0..len).map(|_| alphabet[next(alphabet.len())]).collect();
            let text = texts[next(texts.len())];
            let path = match text {
                "a: [x]\n" | "a:\n  - x\n" => vec![key("a"), Step::Index(0)],
                "a: {k: x}\n" => vec![key("a"), key("k")],
                _ => vec![key("a")],
            };
            let style = [Style::Plain, Style::Single, Style::Double, Style::Literal][next(4)];
            let emit = Emit::Str(value.clone(), Some(style));
            let out = edited(text, |e| e.replace(&path, &emit).unwrap());
            assert_eq!(
                read(&out, &path),
                string(&value),
                "{value:?} {style:?}: {out}"
            );
        }
    }

    #[test]
    fn a_path_the_text_does_not_have_is_an_error() {
        let mut e = YamlEdit::new("a: 1\n");
        assert!(e.replace(&[key("b")], &s("x")).is_err());
        assert!(e.remove(&[key("a"), key("c")]).is_err());
        assert!(e.insert(&[key("a")], None, "c", &s("x")).is_err());
        assert_eq!(e.finish(), "a: 1\n");
    }

    /// Many edits of a big text are made in one pass: 20 000 keys, every tenth replaced.
    #[test]
    fn many_edits_of_a_big_text() {
        let text: String = (0..20_000).map(|i| format!("k{i}: v{i}\n")).collect();
        let out = edited(&text, |e| {
            for i in (0..20_000).step_by(10) {
                e.replace(&[key(&format!("k{i}"))], &s(&format!("w{i}")))
                    .unwrap();
            }
        });
        assert!(out.starts_with("k0: w0\nk1: v1\n"));
        assert_eq!(out.len(), text.len());
    }

    /// Each edit finds its map's key directly: editing every item of a long list followed by
    /// many other keys is linear. Scanning the keys for each edit took 25 s unoptimised at
    /// 40,000 of each (quadratic: about a minute at 60,000); this takes under a second. The
    /// bound only catches a return to that.
    #[test]
    fn edits_deep_in_a_big_map_do_not_scan_its_keys() {
        let started = std::time::Instant::now();
        let n = 60_000;
        let mut text = String::from("list:\n");
        text.extend((0..n).map(|_| "  - a\n".to_string()));
        text.extend((0..n).map(|i| format!("k{i}: v\n")));
        let out = edited(&text, |e| {
            for i in 0..n {
                e.replace(&[key("list"), Step::Index(i)], &s("b")).unwrap();
            }
        });
        assert_eq!(out.matches("  - b\n").count(), n);
        assert_eq!(out.len(), text.len());
        assert!(started.elapsed() < std::time::Duration::from_secs(15));
    }
}
