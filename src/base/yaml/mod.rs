//! The one place that talks to `serde_yaml` (deprecated upstream, so it stays contained).
//!
//! It parses YAML text into typed values and turns `serde_yaml`'s errors into positions and
//! plain messages that the rest of the crate can put into diagnostics.

pub mod edit;
pub mod nesting;
pub mod outline;
mod syntax;

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
pub use syntax::TYPOGRAPHIC_QUOTES;

use crate::base::yaml::outline::{Outline, OutlineKind};
use crate::base::yaml::syntax::place;
use serde::{Deserialize, Serialize};

/// A YAML value of any shape, kept as written (for `extra` maps and taxonomy terms).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct YamlValue(serde_yaml::Value);

/// A scalar or a list of scalars, as taxonomy terms are written.
impl YamlValue {
    /// The terms this value holds: a string or number gives one, a list gives one per item.
    /// Returns `None` when the value is of another shape (a map, a nested list, null).
    pub fn terms(&self) -> Option<Vec<String>> {
        fn scalar(v: &serde_yaml::Value) -> Option<String> {
            match v {
                serde_yaml::Value::String(s) => Some(s.clone()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                serde_yaml::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            }
        }
        match &self.0 {
            serde_yaml::Value::Sequence(items) => items.iter().map(scalar).collect(),
            other => scalar(other).map(|s| vec![s]),
        }
    }

    /// A scalar value as a node (`true`, `4`, `Milano`) placed at `line`, `column`; `None`
    /// for lists, maps and null.
    pub fn scalar_node(&self, line: usize, column: usize) -> Option<Node> {
        let (text, is_string) = match &self.0 {
            serde_yaml::Value::String(s) => (s.clone(), true),
            serde_yaml::Value::Number(n) => (n.to_string(), false),
            serde_yaml::Value::Bool(b) => (b.to_string(), false),
            _ => return None,
        };
        Some(Node {
            value: NodeValue::Scalar { text, is_string },
            line,
            column,
        })
    }

    /// This map (or nothing) with `entries` added, each where the map does not have its key
    /// already: what was written in the map wins.
    pub fn with_entries(self, entries: Vec<(String, YamlValue)>) -> YamlValue {
        if entries.is_empty() {
            return self;
        }
        let mut map = match self.0 {
            serde_yaml::Value::Mapping(map) => map,
            serde_yaml::Value::Null => serde_yaml::Mapping::new(),
            other => return YamlValue(other),
        };
        for (key, value) in entries {
            map.entry(serde_yaml::Value::String(key)).or_insert(value.0);
        }
        YamlValue(serde_yaml::Value::Mapping(map))
    }

    /// True when the value is a map (or absent), as `extra` must be.
    pub fn is_map_or_null(&self) -> bool {
        matches!(
            self.0,
            serde_yaml::Value::Mapping(_) | serde_yaml::Value::Null
        )
    }
}

/// A YAML value with the place it is written: what schema checks walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: NodeValue,
    /// 1-based line in the parsed text.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// What a [`Node`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// Nothing (`key:` with no value, `~`, `null`).
    Null,
    /// A scalar: its text as the editor typed it for numbers and booleans (`20121`,
    /// `0288458041`, `1.10`), the decoded string for strings.
    Scalar {
        /// The text.
        text: String,
        /// Whether YAML reads it as a string (rather than a number or boolean).
        is_string: bool,
    },
    /// A list.
    List(Vec<Node>),
    /// A map, in the order written.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The value of `key` in a map node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// YAML text parsed once: both typed values and nodes that know their place are read from it.
pub struct Parsed<'a> {
    text: &'a str,
    value: serde_yaml::Value,
}

impl<'a> Parsed<'a> {
    /// Parses `text` (empty text reads as an empty map, as with [`parse`]).
    pub fn new(text: &'a str) -> Result<Parsed<'a>, YamlError> {
        Ok(Parsed {
            text,
            value: parse(text)?,
        })
    }

    /// The text as a `T`, read from the parsed value. When that fails (a wrong value, or a
    /// number where a string is wanted, which the text itself may still give) the text is
    /// read again as a `T`: the result is always the one [`parse`] gives, with the error's
    /// position.
    pub fn typed<T: DeserializeOwned>(&self) -> Result<T, YamlError> {
        T::deserialize(&self.value).or_else(|_| parse(self.text))
    }

    /// [`Parsed::typed`], with the wrong value of every top-level key when several are: after
    /// each, the text is read again with that key's lines blank (so every position stays),
    /// until it reads or [`MAX_VALUE_ERRORS`] are found. Only when the first reading fails.
    pub fn typed_all<T: DeserializeOwned>(&self) -> Result<T, Vec<YamlError>> {
        let mut errors = match self.typed() {
            Ok(typed) => return Ok(typed),
            Err(first) => vec![first],
        };
        let mut text = self.text.to_string();
        while errors.len() < MAX_VALUE_ERRORS {
            let last = &errors[errors.len() - 1];
            let (YamlProblem::Value, Some(line)) = (last.problem, last.line) else {
                break;
            };
            let Some(lines) = top_level_entry(&text, line) else {
                break;
            };
            text = blank(&text, lines);
            match parse::<T>(&text) {
                Err(next) if next.line > Some(line) => errors.push(next),
                _ => break,
            }
        }
        Err(errors)
    }

    /// Whether any string of the value, key or value, passes `test`: a quick look before
    /// [`Parsed::nodes`] places what it found.
    pub fn any_string(&self, test: &dyn Fn(&str) -> bool) -> bool {
        fn walk(value: &serde_yaml::Value, test: &dyn Fn(&str) -> bool) -> bool {
            match value {
                serde_yaml::Value::String(s) => test(s),
                serde_yaml::Value::Sequence(items) => items.iter().any(|v| walk(v, test)),
                serde_yaml::Value::Mapping(map) => {
                    map.iter().any(|(k, v)| walk(k, test) || walk(v, test))
                }
                serde_yaml::Value::Tagged(tagged) => walk(&tagged.value, test),
                _ => false,
            }
        }
        walk(&self.value, test)
    }

    /// Every string of the value (and, with `keys`, every key) that passes `test`: its
    /// dotted key (`address.street`, `offers[1]`), its text, line and column in the text.
    pub fn strings_where(
        &self,
        keys: bool,
        test: &dyn Fn(&str) -> bool,
    ) -> Vec<(String, String, usize, usize)> {
        type Found = Vec<(String, String, usize, usize)>;
        fn walk(
            node: &Node,
            key: &str,
            keys: bool,
            test: &dyn Fn(&str) -> bool,
            found: &mut Found,
        ) {
            match &node.value {
                NodeValue::Scalar { text, .. } => {
                    if test(text) {
                        found.push((key.to_string(), text.clone(), node.line, node.column));
                    }
                }
                NodeValue::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, &format!("{key}[{i}]"), keys, test, found);
                    }
                }
                NodeValue::Map(entries) => {
                    for (name, value) in entries {
                        let inner = if key.is_empty() {
                            name.clone()
                        } else {
                            format!("{key}.{name}")
                        };
                        if keys && test(name) {
                            found.push((inner.clone(), name.clone(), value.line, value.column));
                        }
                        walk(value, &inner, keys, test, found);
                    }
                }
                NodeValue::Null => {}
            }
        }
        let mut found = Vec::new();
        if self.any_string(test) {
            walk(&self.nodes(), "", keys, test, &mut found);
        }
        found
    }

    /// The value as nodes that know their line and column.
    pub fn nodes(&self) -> Node {
        let outline = crate::base::yaml::outline::outline(self.text);
        to_node(&self.value, Some(&outline), (1, 1))
    }
}

fn to_node(value: &serde_yaml::Value, outline: Option<&Outline>, fallback: (usize, usize)) -> Node {
    let (line, column) = outline.map_or(fallback, |o| (o.line, o.column));
    let here = (line, column);
    let raw = outline.and_then(Outline::raw);
    let value = match value {
        serde_yaml::Value::Null => NodeValue::Null,
        serde_yaml::Value::Bool(b) => NodeValue::Scalar {
            text: raw.map_or_else(|| b.to_string(), str::to_string),
            is_string: false,
        },
        serde_yaml::Value::Number(n) => NodeValue::Scalar {
            text: raw.map_or_else(|| n.to_string(), str::to_string),
            is_string: false,
        },
        serde_yaml::Value::String(s) => NodeValue::Scalar {
            text: s.clone(),
            is_string: true,
        },
        serde_yaml::Value::Sequence(items) => NodeValue::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| to_node(v, outline.and_then(|o| o.item(i)), here))
                .collect(),
        ),
        serde_yaml::Value::Mapping(map) => {
            let outlined = OutlinedKeys::new(outline);
            NodeValue::Map(
                map.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            serde_yaml::Value::String(s) => s.clone(),
                            other => serde_yaml::to_string(other)
                                .unwrap_or_default()
                                .trim()
                                .to_string(),
                        };
                        let (key_at, child) = match outlined.get(&key) {
                            Some((position, child)) => (position, Some(child)),
                            None => (here, None),
                        };
                        let node = to_node(v, child, key_at);
                        (key, node)
                    })
                    .collect(),
            )
        }
        serde_yaml::Value::Tagged(tagged) => return to_node(&tagged.value, outline, fallback),
    };
    Node {
        value,
        line,
        column,
    }
}

/// The outlined entries of a map, by key: the first entry of each key.
enum OutlinedKeys<'o> {
    /// A small map (most are), searched from its start: cheaper than hashing every key.
    Few(&'o [(String, (usize, usize), Outline)]),
    /// A large one, indexed once: a front matter may have thousands of keys.
    Many(HashMap<&'o str, ((usize, usize), &'o Outline)>),
}

impl<'o> OutlinedKeys<'o> {
    /// Up to this many entries a map is searched rather than indexed.
    const FEW: usize = 16;

    /// The entries of `outline` if it is a map (none otherwise).
    fn new(outline: Option<&'o Outline>) -> OutlinedKeys<'o> {
        let entries = match outline.map(|o| &o.kind) {
            Some(OutlineKind::Map(entries)) => entries.as_slice(),
            _ => &[],
        };
        if entries.len() <= Self::FEW {
            return OutlinedKeys::Few(entries);
        }
        let mut index = HashMap::new();
        for (key, position, value) in entries {
            index.entry(key.as_str()).or_insert((*position, value));
        }
        OutlinedKeys::Many(index)
    }

    /// The position of the first entry of `key`, and its value.
    fn get(&self, key: &str) -> Option<((usize, usize), &'o Outline)> {
        match self {
            OutlinedKeys::Few(entries) => entries
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|(_, position, value)| (*position, value)),
            OutlinedKeys::Many(index) => index.get(key).copied(),
        }
    }
}

/// A YAML syntax or type error, with its position in the parsed text (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// Line in the parsed text, when known.
    pub line: Option<usize>,
    /// Column in the parsed text, when known.
    pub column: Option<usize>,
    /// What is wrong, without the position.
    pub message: Text,
    /// How to fix it, when we can tell.
    pub hint: Option<Text>,
    /// What kind of problem it is.
    pub problem: YamlProblem,
}

/// What a [`YamlError`] is about: the text itself, or a key or value of the type it is read
/// into, whose code depends on the kind of file ([`KeyCodes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlProblem {
    /// The text is not valid YAML, or would cost too much to read: the code says how.
    Syntax(Code),
    /// A key that the type does not have.
    UnknownKey,
    /// A key that the type needs.
    MissingKey,
    /// A value of the wrong kind, or not one of those allowed.
    Value,
}

/// The codes of the key and value problems of one kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyCodes {
    /// A key the file may not have.
    pub unknown: Code,
    /// A key the file must have.
    pub missing: Code,
    /// A value of the wrong kind, or not one of those allowed.
    pub value: Code,
}

impl KeyCodes {
    /// The front matter of a content file.
    pub const FRONT_MATTER: KeyCodes = KeyCodes {
        unknown: Code::FrontMatterUnknownKey,
        missing: Code::FrontMatterRequired,
        value: Code::FrontMatterValue,
    };
    /// `site.yaml`.
    pub const CONFIG: KeyCodes = KeyCodes {
        unknown: Code::ConfigUnknownKey,
        missing: Code::ConfigRequired,
        value: Code::ConfigValue,
    };
    /// A data file: it may hold any keys and values, so what is refused is its syntax.
    pub const DATA: KeyCodes = KeyCodes {
        unknown: Code::YamlSyntax,
        missing: Code::YamlSyntax,
        value: Code::YamlSyntax,
    };
}

impl YamlError {
    /// The code of this error in a file whose keys and values have `codes`.
    pub fn code(&self, codes: KeyCodes) -> Code {
        match self.problem {
            YamlProblem::Syntax(code) => code,
            YamlProblem::UnknownKey => codes.unknown,
            YamlProblem::MissingKey => codes.missing,
            YamlProblem::Value => codes.value,
        }
    }

    /// A diagnostic on `path`, whose YAML starts after `line_offset` lines of the file and
    /// whose keys and values have `codes`.
    pub fn into_diagnostic(
        self,
        path: &std::path::Path,
        line_offset: usize,
        codes: KeyCodes,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(self.code(codes), path, self.message);
        d.line = self.line.map(|l| l + line_offset);
        d.column = self.column;
        match self.hint {
            Some(hint) => d.hint(hint),
            None => d,
        }
    }
}

/// Parses `text` as a `T`. Empty text reads as an empty map, so that empty front matter or an
/// empty `site.yaml` gives "missing field" errors rather than a syntax error.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    check_limits(text)?;
    serde_yaml::from_str(text).map_err(|err| match syntax::syntax_error(text, &err) {
        Some(refusal) => YamlError {
            line: Some(refusal.line),
            column: Some(refusal.column),
            message: refusal.message,
            hint: Some(refusal.hint),
            problem: YamlProblem::Syntax(refusal.code),
        },
        None => place_repeated_key(text, &err, translate(text, &err)),
    })
}

/// `error`, moved to the second time the key is written when `err` is about a key written
/// twice in a block map: `serde_yaml` gives the place where the map starts.
fn place_repeated_key(text: &str, err: &serde_yaml::Error, mut error: YamlError) -> YamlError {
    let full = err.to_string();
    let Some(key) = ["duplicate entry with key ", "duplicate field "]
        .iter()
        .find_map(|start| full.split_once(start))
        .and_then(|(_, rest)| rest.split(['`', '"']).nth(1))
    else {
        return error;
    };
    let (Some(line), Some(column)) = (error.line, error.column) else {
        return error;
    };
    let indent = column - 1;
    let mut seen = 0;
    for (i, written) in text.lines().enumerate().skip(line - 1) {
        let content = written.trim_start_matches(' ');
        let written_indent = written.len() - content.len();
        if content.is_empty() || content.starts_with('#') || written_indent > indent {
            continue;
        }
        if written_indent < indent {
            break;
        }
        if top_level_key(content) == Some(key) {
            seen += 1;
            if seen == 2 {
                error.line = Some(i + 1);
                break;
            }
        }
    }
    error
}

/// How deep lists and maps may be nested: `serde_yaml`'s own limit, found before its parser
/// spends time in proportion to the depth on every token (see [`crate::base::yaml::nesting`]).
pub const MAX_NESTING: usize = 128;

/// How many values (scalars, lists and maps) aliases may add to a YAML text: with its own
/// values counted, at most this plus twice its length in bytes.
pub const MAX_ALIAS_VALUES: usize = 100_000;

/// How many bytes of text aliases may add to a YAML text: with its own text, at most this plus
/// its length.
pub const MAX_ALIAS_BYTES: usize = 10 << 20;

/// Refuses, quickly and at its place, a text that would cost far more to parse than its size:
/// brackets nested too deep, or aliases (`*a`) repeating values until a few kilobytes hold
/// gigabytes.
fn check_limits(text: &str) -> Result<(), YamlError> {
    if let Some(offset) = crate::base::yaml::nesting::deepest(text, MAX_NESTING) {
        let (line, column) = crate::base::position::line_column(text, offset);
        let (message, hint) = too_deep();
        return Err(YamlError {
            line: Some(line),
            column: Some(column),
            message,
            hint: Some(hint),
            problem: YamlProblem::Syntax(Code::YamlTooDeep),
        });
    }
    // Without both an anchor and an alias nothing is repeated: most texts stop here.
    if !(text.contains('&') && text.contains('*')) {
        return Ok(());
    }
    // `serde_yaml` replays the values of an anchor at each of its aliases, so a visitor that
    // counts what it is given sees the text as it would be expanded, and stops it early.
    let budget = ExpansionBudget {
        values: Cell::new(MAX_ALIAS_VALUES + 2 * text.len()),
        bytes: Cell::new(MAX_ALIAS_BYTES + text.len()),
        exceeded: Cell::new(false),
    };
    let counted = Count(&budget).deserialize(serde_yaml::Deserializer::from_str(text));
    match counted {
        Err(err) if budget.exceeded.get() || is_repetition_limit(&err) => {
            // The place of the first alias is where to start repeating less; `serde_yaml`
            // only knows the value it was repeating.
            let (line, column) = match first_alias(text) {
                Some(offset) => crate::base::position::line_column(text, offset),
                None => err.location().map_or((1, 1), |l| (l.line(), l.column())),
            };
            Err(YamlError {
                line: Some(line),
                column: Some(column),
                message: msg!("the aliases (`*…`) of this YAML repeat its values too many times"),
                hint: Some(msg!(
                    "with its aliases repeated, a YAML text may hold at most {values} more values and {megabytes} MB more text: use fewer aliases, or write the values out",
                    values = MAX_ALIAS_VALUES,
                    megabytes = MAX_ALIAS_BYTES >> 20
                )),
                problem: YamlProblem::Syntax(Code::YamlTooManyAliases),
            })
        }
        // Other errors are the real parse's to report.
        _ => Ok(()),
    }
}

/// The message and hint for lists and maps nested too deep.
fn too_deep() -> (Text, Text) {
    (
        msg!(
            "lists and maps are nested more than {limit} levels deep",
            limit = MAX_NESTING
        ),
        msg!("close the `[` and `{` that are left open, or nest fewer lists and maps"),
    )
}

/// Whether `serde_yaml` gave up following aliases (it allows a hundred times its events).
fn is_repetition_limit(err: &serde_yaml::Error) -> bool {
    err.to_string().starts_with("repetition limit exceeded")
}

/// The byte offset of the first alias (`*name`) whose anchor (`&name`) the text defines, both
/// where a value may start (at the start of a line, after a blank or one of `[{,:?-`).
fn first_alias(text: &str) -> Option<usize> {
    let names = |sigil: u8| {
        let bytes = text.as_bytes();
        (0..bytes.len()).filter_map(move |i| {
            let starts_value = i == 0 || b" \t\r\n[{,:?-".contains(&bytes[i - 1]);
            if bytes[i] != sigil || !starts_value {
                return None;
            }
            let name_len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b == b'-')
                .count();
            (name_len > 0).then(|| (i, &text[i + 1..i + 1 + name_len]))
        })
    };
    let anchors: HashSet<&str> = names(b'&').map(|(_, name)| name).collect();
    names(b'*')
        .find(|(_, name)| anchors.contains(name))
        .map(|(offset, _)| offset)
}

/// What is left of the values and bytes a text may expand to.
struct ExpansionBudget {
    values: Cell<usize>,
    bytes: Cell<usize>,
    exceeded: Cell<bool>,
}

impl ExpansionBudget {
    /// Takes one value of `bytes` bytes; an error once the budget is spent.
    fn take<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        match (
            self.values.get().checked_sub(1),
            self.bytes.get().checked_sub(bytes),
        ) {
            (Some(values), Some(bytes)) => {
                self.values.set(values);
                self.bytes.set(bytes);
                Ok(())
            }
            _ => {
                self.exceeded.set(true);
                Err(E::custom("the expansion budget is spent"))
            }
        }
    }
}

/// Counts every value it is given against a budget, keeping none.
#[derive(Clone, Copy)]
struct Count<'b>(&'b ExpansionBudget);

impl<'de> DeserializeSeed<'de> for Count<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    // Numbers and booleans count as values; only strings hold text.
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.0.take(0)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.0.take(0)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.0.take(0)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.0.take(0)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<(), E> {
        self.0.take(text.len())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.take(0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        self.0.take(0)?;
        while items.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        self.0.take(0)?;
        while entries.next_key_seed(self)?.is_some() {
            entries.next_value_seed(self)?;
        }
        Ok(())
    }

    /// A tagged value (`!t value`).
    fn visit_enum<A: EnumAccess<'de>>(self, tagged: A) -> Result<(), A::Error> {
        let (_tag, value): (de::IgnoredAny, _) = tagged.variant()?;
        value.newtype_variant_seed(self)
    }
}

/// The 1-based line where the top-level `key:` is written in `text`, if it is.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| top_level_key(line) == Some(key))
        .map(|i| i + 1)
}

/// The most wrong values [`Parsed::typed_all`] reports: each takes one more reading of the
/// text.
const MAX_VALUE_ERRORS: usize = 20;

/// The 1-based lines of the top-level entry of `text` that `line` is in: from its `key:` line
/// to the line before the next one.
fn top_level_entry(text: &str, line: usize) -> Option<std::ops::RangeInclusive<usize>> {
    let starts = text.lines().enumerate().filter(|(_, l)| {
        l.starts_with(|c: char| !c.is_whitespace() && c != '#' && c != '-')
            && top_level_key(l).is_some()
    });
    let mut start = None;
    for (i, _) in starts {
        // Line `i + 1` starts an entry.
        match start {
            Some(first) if i >= line => return Some(first..=i),
            _ if i < line => start = Some(i + 1),
            _ => return None,
        }
    }
    Some(start?..=text.lines().count())
}

/// `text` with `lines` (1-based) emptied, every line break kept.
fn blank(text: &str, lines: std::ops::RangeInclusive<usize>) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, line)| {
            if lines.contains(&(i + 1)) {
                &line[line.trim_end_matches(['\r', '\n']).len()..]
            } else {
                line
            }
        })
        .collect()
}

/// The 1-based line of every top-level `key:` of `text` (the first one, for a key written
/// twice): one pass for a text with many keys to report.
pub fn key_lines(text: &str) -> HashMap<&str, usize> {
    let mut lines = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(key) = top_level_key(line) {
            lines.entry(key).or_insert(i + 1);
        }
    }
    lines
}

/// The key a `key: value` line starts with: what comes before its first `:` that is followed
/// by a blank or the end of the line, as a plain YAML key ends.
fn top_level_key(line: &str) -> Option<&str> {
    let colon = line
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| line[i + 1..].chars().next().is_none_or(char::is_whitespace))?;
    Some(line[..colon].trim_end())
}

/// `err` of `text` in words an editor understands, placed where it is.
fn translate(text: &str, err: &serde_yaml::Error) -> YamlError {
    let (problem, message, hint) = explain(&without_positions(&err.to_string()));
    let (line, column) = err.location().map(|l| place(text, l.index())).unzip();
    YamlError {
        line,
        column,
        message,
        hint,
        problem,
    }
}

/// `message` without the ` at line L column C` that libyaml puts after the problem and its
/// context: the diagnostic has its own position, in the file's lines (those of libyaml count
/// from the start of the YAML, not of the file).
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line = digits(after);
        let position = after[line..]
            .strip_prefix(" column ")
            .filter(|_| line > 0)
            .map(|column| (column, digits(column)))
            .filter(|(_, n)| *n > 0);
        match position {
            Some((column, n)) => rest = &column[n..],
            None => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rewrites serde's messages into words an editor understands, in English and Italian, with
/// a fix when one is likely, and says what kind of problem each is.
fn explain(message: &str) -> (YamlProblem, Text, Option<Text>) {
    let syntax = YamlProblem::Syntax;
    // Type errors start with the path of the value: `weight: invalid type: …`.
    let (field, detail) = match message.split_once(": ") {
        Some((field, detail)) if !field.contains(' ') && !field.is_empty() => (Some(field), detail),
        _ => (None, message),
    };
    let field_name = field.unwrap_or("value");
    if let Some(rest) = detail.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match closest(name, known.iter().copied()) {
            Some(best) => msg!("did you mean `{best}`?", best = best),
            None => msg!("the known keys are: {keys}", keys = known.join(", ")),
        };
        return (
            YamlProblem::UnknownKey,
            msg!("unknown key `{key}`", key = name),
            Some(hint),
        );
    }
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return (
            YamlProblem::MissingKey,
            msg!("the required key `{key}` is missing", key = name),
            Some(msg!("add a line `{key}: …`", key = name)),
        );
    }
    if detail.starts_with("duplicate field") || detail.starts_with("duplicate entry") {
        let name = detail.split(['`', '"']).nth(1).unwrap_or(field_name);
        return (
            syntax(Code::YamlDuplicateKey),
            msg!("the key `{key}` appears twice", key = name),
            Some(msg!(
                "each key may appear only once: remove or merge the repeated one"
            )),
        );
    }
    if let Some(rest) = detail
        .strip_prefix("invalid type: ")
        .or_else(|| detail.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "?"));
        return (
            YamlProblem::Value,
            msg!(
                "`{field}`: expected {expected}, found {found}",
                field = field_name,
                expected = expected_words(expected),
                found = found_words(found)
            ),
            Some(msg!(
                "check the value written after `{field}:`",
                field = field_name
            )),
        );
    }
    if let Some(rest) = detail.strip_prefix("unknown variant `") {
        let (found, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let values: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return (
            YamlProblem::Value,
            msg!(
                "`{field}`: `{found}` is not one of {values}",
                field = field_name,
                found = found,
                values = values.join(", ")
            ),
            Some(match closest(found, values.iter().copied()) {
                Some(best) => msg!("did you mean `{best}`?", best = best),
                None => msg!("write one of: {values}", values = values.join(", ")),
            }),
        );
    }
    if let Some(problem) = detail
        .strip_suffix(DATE_EXPECTED)
        .and_then(|d| d.strip_suffix(": "))
    {
        let value = problem.split('`').nth(1).unwrap_or(problem);
        let message = if problem.ends_with("date and time") {
            msg!(
                "`{field}`: `{value}` is not a valid date and time",
                field = field_name,
                value = value
            )
        } else {
            msg!(
                "`{field}`: `{value}` is not a valid date",
                field = field_name,
                value = value
            )
        };
        return (
            YamlProblem::Value,
            message,
            Some(msg!(
                "write a date like 2018-10-26 or 2018-10-26T17:00:00+02:00"
            )),
        );
    }
    if detail.starts_with("recursion limit exceeded") {
        let (message, hint) = too_deep();
        return (syntax(Code::YamlTooDeep), message, Some(hint));
    }
    (
        syntax(Code::YamlSyntax),
        msg!("the YAML is not valid: {detail}", detail = message),
        Some(msg!("check the indentation and the quotes on this line")),
    )
}

/// The end of the message of a date that does not parse (see `crate::base::date`).
const DATE_EXPECTED: &str = "expected a date like 2018-10-26 or 2018-10-26T17:00:00+02:00";

/// serde's names of expected types, in words.
fn expected_words(expected: &str) -> Text {
    match expected {
        "i64" | "i32" | "u32" | "u64" | "usize" | "an integer" => msg!("an integer"),
        "a boolean" => msg!("true or false"),
        "a string" => msg!("a text"),
        "a sequence" => msg!("a list"),
        "a map" | "front matter: `key: value` lines" => msg!("a group of `key: value` lines"),
        other if other.starts_with("struct ") => msg!("a group of `key: value` lines"),
        other => Text::from(other),
    }
}

/// serde's description of a value found, in words (the English stays serde's own).
fn found_words(found: &str) -> Text {
    let value = |prefix: &str| found.strip_prefix(prefix).map(str::to_string);
    if let Some(text) = value("string ") {
        msg!("string {value}", value = text)
    } else if let Some(number) = value("integer ") {
        msg!("integer {value}", value = number)
    } else if let Some(number) = value("floating point ") {
        msg!("floating point {value}", value = number)
    } else if let Some(b) = value("boolean ") {
        msg!("boolean {value}", value = b)
    } else {
        match found {
            "map" => msg!("map"),
            "sequence" => msg!("sequence"),
            "unit value" => msg!("unit value"),
            other => Text::from(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A repeatable xorshift generator: each call gives a number below its argument. Shared
    /// by the random-text tests of `yaml` and `yaml::syntax`.
    pub(super) fn random_below(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        weight: Option<u32>,
    }

    #[test]
    fn parsed_once_reads_like_the_text() {
        // A number where a string is wanted: the text gives the string.
        let parsed = Parsed::new("title: 2018\nweight: 3\n").unwrap();
        let meta: Meta = parsed.typed().unwrap();
        assert_eq!((meta.title.as_str(), meta.weight), ("2018", Some(3)));
        // A wrong value keeps its position.
        let parsed = Parsed::new("title: x\nweight: tre\n").unwrap();
        let err = parsed.typed::<Meta>().unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(9)));
        // The nodes come from the same parse.
        let node = parsed.nodes();
        let weight = node.get("weight").unwrap();
        assert_eq!((weight.line, weight.column), (2, 9));
        assert!(
            matches!(&weight.value, NodeValue::Scalar { text, is_string: true } if text == "tre")
        );
        // A syntax error is found once, where it is: the bracket never closed.
        let err = Parsed::new("title: [x\n").err().unwrap();
        assert_eq!((err.line, err.column), (Some(1), Some(8)));
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let err = parse::<Meta>("titel: x\n").unwrap_err();
        assert_eq!(err.message.en, "unknown key `titel`");
        assert_eq!(
            err.message.it.as_deref(),
            Some("chiave sconosciuta `titel`")
        );
        assert_eq!(err.hint.unwrap().en, "did you mean `title`?");
        assert_eq!((err.line, err.column), (Some(1), Some(1)));
    }

    #[test]
    fn type_error_has_position_without_suffix() {
        let err = parse::<Meta>("title: x\nweight: tre\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.column, Some(9));
        assert_eq!(
            err.message.en,
            "`weight`: expected an integer, found string \"tre\""
        );
        assert!(!err.message.en.contains("at line"));
    }

    /// Found by the `front_matter` fuzz target on data files: a syntax error at the end of a
    /// text without a final line break was placed on a line after the last one, and libyaml's
    /// line numbers count NEL, LS and PS as line breaks, which editors show within a line.
    #[test]
    fn errors_are_placed_on_the_lines_editors_show() {
        // `---J` is a key without `: `: the error is where that line starts.
        let err = parse::<serde_yaml::Value>("---\ntitle: Home\n---J").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        let err = parse::<serde_yaml::Value>("a: 1\rb: 2\r\nc: [").unwrap_err();
        assert_eq!(
            (err.line, err.column),
            (Some(3), Some(5)),
            "`\\r` ends a line"
        );
        let err = parse::<serde_yaml::Value>("a: 1\u{2028}b: [").unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(10)));
        let err = parse::<serde_yaml::Value>("a: 1\u{85}\u{85}b: \"x\nc: 2\n").unwrap_err();
        assert_eq!(err.message.en, "the quotes opened here are never closed");
        assert_eq!((err.line, err.column), (Some(1), Some(10)));
        // libyaml stops on the empty line after the final line break; the error is the `[`
        // line, a key without `: `.
        let err = parse::<serde_yaml::Value>("a: b\n[\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
    }

    #[test]
    fn nodes_keep_positions_and_typed_text() {
        let text = "cap: 20121\nnote: no\nmunicipio: quattro\ntel: 0288458041\nl: [a, 2]\n";
        let n = Parsed::new(text).unwrap().nodes();
        let scalar = |key: &str| match &n.get(key).unwrap().value {
            NodeValue::Scalar { text, is_string } => (text.clone(), *is_string),
            other => panic!("{other:?}"),
        };
        assert_eq!(scalar("cap"), ("20121".into(), false));
        assert_eq!(
            scalar("note"),
            ("no".into(), true),
            "YAML 1.2: `no` is a string"
        );
        assert_eq!(
            scalar("tel"),
            ("0288458041".into(), true),
            "the leading zero is kept"
        );
        let m = n.get("municipio").unwrap();
        assert_eq!((m.line, m.column), (3, 12));
        let NodeValue::List(items) = &n.get("l").unwrap().value else {
            panic!()
        };
        assert_eq!((items[1].line, items[1].column), (5, 8));
    }

    /// Small maps are searched and large ones indexed: both find the first entry of a key,
    /// where it is written.
    #[test]
    fn keys_are_placed_in_small_and_large_maps() {
        for keys in [3, OutlinedKeys::FEW + 1, 40] {
            let mut text: String = (0..keys).map(|i| format!("k{i}: {i}\n")).collect();
            text.push_str("k1: again\n");
            let outline = outline::outline(&text);
            let outlined = OutlinedKeys::new(Some(&outline));
            let place = |key: &str| outlined.get(key).map(|(at, value)| (at, value.raw()));
            assert_eq!(place("k1"), Some(((2, 1), Some("1"))), "{keys} keys");
            let last = format!("k{}", keys - 1);
            assert_eq!(place(&last).unwrap().0, (keys, 1), "{keys} keys");
            assert_eq!(place("k"), None, "{keys} keys");
            // Through the nodes too, without the repeated key (an error for serde_yaml).
            let text = &text[..text.len() - "k1: again\n".len()];
            let node = Parsed::new(text).unwrap().nodes();
            let value = node.get(&last).unwrap();
            assert_eq!((value.line, value.column), (keys, last.len() + 3));
        }
    }

    #[test]
    fn terms_from_scalars_and_lists() {
        let v: YamlValue = parse("[4, casa, true]").unwrap();
        assert_eq!(v.terms().unwrap(), vec!["4", "casa", "true"]);
        let v: YamlValue = parse("{a: 1}").unwrap();
        assert_eq!(v.terms(), None);
    }

    #[test]
    fn a_key_written_twice_is_reported_the_second_time() {
        let text = "title: a\nextra:\n  x: 1\n  nested:\n    x: 0\n  # x: commento\n  x: 2\n";
        let err = parse::<YamlValue>(text).unwrap_err();
        assert_eq!(err.message.en, "the key `x` appears twice");
        assert_eq!((err.line, err.column), (Some(7), Some(3)));
        let err = parse::<Meta>("title: a\nweight: 1\nweight: 2\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        // In brackets the place stays where serde_yaml puts it.
        let err = parse::<YamlValue>("a: {x: 1, x: 2}\n").unwrap_err();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn brackets_never_closed_are_found_where_they_open() {
        let err = parse::<YamlValue>("a: 1\nservizi: [uno, due\nb: 2\n").unwrap_err();
        assert_eq!(err.problem, YamlProblem::Syntax(Code::YamlUnclosedBracket));
        assert_eq!(err.message.en, "the `[` opened here is never closed");
        assert_eq!((err.line, err.column), (Some(2), Some(10)));
        // The map inside a list is the one left open.
        let err = parse::<YamlValue>("a: [x, {b: 1]\n").unwrap_err();
        assert_eq!(
            err.message.it.as_deref(),
            Some("la `{` aperta qui non viene mai chiusa")
        );
        assert_eq!((err.line, err.column), (Some(1), Some(8)));
    }

    #[test]
    fn libyaml_positions_are_left_out_of_messages() {
        assert_eq!(
            without_positions(
                "did not find expected key at line 3 column 2, while parsing a block mapping at line 1 column 1"
            ),
            "did not find expected key, while parsing a block mapping"
        );
        assert_eq!(
            without_positions("a value at line x and at line 2 column"),
            "a value at line x and at line 2 column"
        );
        let err = parse::<YamlValue>("---\na:\n  - b\n c: 1\n").unwrap_err();
        assert!(!err.message.en.contains(" at line "), "{:?}", err.message);
        assert_eq!(err.line, Some(4));
    }

    #[test]
    fn scanner_errors_are_said_plainly_where_they_start() {
        let err = parse::<YamlValue>("title: x\nextra:\n \t nome: y\n").unwrap_err();
        assert_eq!(err.message.en, "this line is indented with a tab");
        assert_eq!((err.line, err.column), (Some(3), Some(2)));
        let err = parse::<YamlValue>("a: 1\ntitle: \"Orari\ndate: 2020\n").unwrap_err();
        assert_eq!(err.message.en, "the quotes opened here are never closed");
        assert_eq!((err.line, err.column), (Some(2), Some(8)));
        let err = parse::<YamlValue>("a: 1\ntitle: 'L''orario\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(8)));
        let err = parse::<YamlValue>("a: 1\ntitle: città\u{7}\n").unwrap_err();
        assert_eq!(
            err.message.it.as_deref(),
            Some("questa riga contiene un carattere di controllo invisibile")
        );
        assert_eq!((err.line, err.column), (Some(2), Some(13)));
    }

    /// A flat list of `n` values, anchored as `a`, then a list of `n` aliases to it.
    fn flat_bomb(n: usize) -> String {
        format!(
            "title: x\nextra:\n  a: &a [{}]\n  b: [{}]\n",
            vec!["x"; n].join(", "),
            vec!["*a"; n].join(", ")
        )
    }

    #[test]
    fn aliases_may_repeat_a_little() {
        let text = "base: &base {citta: Milano}\nuno: *base\ndue: [*base, *base]\n";
        let value: YamlValue = parse(text).unwrap();
        let written_out = "base: {citta: Milano}\nuno: {citta: Milano}\n\
                           due: [{citta: Milano}, {citta: Milano}]\n";
        assert_eq!(value, parse(written_out).unwrap());
        // Up to the allowance: 300 × 300 values from a text of 2 KB.
        assert!(parse::<YamlValue>(&flat_bomb(300)).is_ok());
        // A large text's own values are not counted against it.
        let numbers: Vec<String> = (0..300_000).map(|n| n.to_string()).collect();
        let large = format!("n: [{}]\na: &a x\nb: *a\n", numbers.join(","));
        assert!(parse::<YamlValue>(&large).is_ok());
    }

    #[test]
    fn aliases_that_expand_too_much_are_refused_at_the_first_alias() {
        // The classic: ten of ten of ten … nine times.
        let mut nested = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let aliases = vec![format!("*l{}", i - 1); 10].join(", ");
            nested.push_str(&format!("l{i}: &l{i} [{aliases}]\n"));
        }
        let long_text = format!(
            "s: &s {}\nl: [{}]\n",
            "x".repeat(16_000),
            vec!["*s"; 1_000].join(",")
        );
        for (text, line, column) in [(flat_bomb(4_000), 4, 7), (nested, 2, 10), (long_text, 2, 5)] {
            let err = parse::<YamlValue>(&text).unwrap_err();
            assert_eq!(
                err.message.en,
                "the aliases (`*…`) of this YAML repeat its values too many times"
            );
            assert_eq!((err.line, err.column), (Some(line), Some(column)));
            assert!(err.hint.unwrap().en.contains("100000 more values"));
        }
    }

    #[test]
    fn brackets_nested_too_deep_are_refused_where_they_pass_the_limit() {
        let text = format!("title: x\nextra:\n  a: {}\n", "[".repeat(80_000));
        let err = parse::<YamlValue>(&text).unwrap_err();
        assert_eq!(
            err.message.en,
            "lists and maps are nested more than 128 levels deep"
        );
        assert_eq!((err.line, err.column), (Some(3), Some(6 + 128)));
        // Nested blocks: serde_yaml's own limit, with the same message.
        let blocks: String = (0..130).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let err = parse::<YamlValue>(&blocks).unwrap_err();
        assert_eq!(err.message, too_deep().0);
        assert!(err.line.is_some());
    }

    /// The depth of lists and maps in `value`, counting `value` itself.
    fn depth(value: &serde_yaml::Value) -> usize {
        match value {
            serde_yaml::Value::Sequence(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            serde_yaml::Value::Mapping(map) => {
                1 + map
                    .iter()
                    .map(|(k, v)| depth(k).max(depth(v)))
                    .max()
                    .unwrap_or(0)
            }
            serde_yaml::Value::Tagged(tagged) => depth(&tagged.value),
            _ => 0,
        }
    }

    #[test]
    fn nesting_is_never_found_shallower_than_serde_yaml_reads_it() {
        // Random flow values built from pieces that matter to the scanner: whenever
        // serde_yaml reads one, the depth found before is at least the value's. With `?` and
        // `:`, a list may hold one-entry maps without brackets (`[a: b]`): a level of value
        // for no level of brackets, so the brackets are at least half the value's depth.
        let mut random = random_below(0x5eed);
        let pieces = [
            "[", "[", "]", "]", "]", "{", "}", "}", ", ", ",", "a", "b c", " ", "\n", "\t", "'",
            "''", "\"", "\\", "'x'", "\"y\"", "# ", "!t ", "!<[x]> ", "&a ", "*a", "- ", "-", "<",
            ">", "|", "\u{85}",
        ];
        for (extra, levels_per_bracket) in [(&[][..], 1), (&[":", ": ", "? ", "?"][..], 2)] {
            let pieces: Vec<&str> = pieces.iter().chain(extra).copied().collect();
            let mut read = 0;
            for _ in 0..20_000 {
                // Mostly closed where they were opened, so that many texts are valid YAML.
                let mut text = String::from("k: [");
                let mut open = vec!["]"];
                for _ in 0..1 + random(16) {
                    let piece = pieces[random(pieces.len())];
                    match piece {
                        "[" => open.push("]"),
                        "{" => open.push("}"),
                        "]" | "}" if random(4) > 0 => {
                            text.push_str(open.pop().unwrap_or("]"));
                            continue;
                        }
                        _ => {}
                    }
                    text.push_str(piece);
                }
                open.reverse();
                text.push_str(&open.concat());
                text.push('\n');
                let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                    continue;
                };
                read += 1;
                // The map holding `k` is not in brackets.
                let brackets = (depth(&value) - 1).div_ceil(levels_per_bracket);
                assert!(
                    crate::base::yaml::nesting::deepest(&text, brackets - 1).is_some(),
                    "{text:?} has {brackets} levels of brackets"
                );
            }
            assert!(read > 500, "only {read} texts were valid YAML");
        }
    }

    #[test]
    fn key_lines_find_each_top_level_key() {
        let text = "title: a\nurl: http://x.it\nextra:\n  nome: b\ntitle: c\na:b: 1\nt:x\n";
        let lines = key_lines(text);
        assert_eq!(lines.get("title"), Some(&1));
        assert_eq!(lines.get("url"), Some(&2));
        assert_eq!(lines.get("extra"), Some(&3));
        assert_eq!(lines.get("a:b"), Some(&6));
        assert_eq!(lines.get("nome"), None);
        assert_eq!(lines.get("t"), None);
        assert_eq!(key_line(text, "extra"), Some(3));
    }

    #[test]
    fn messages_in_italian() {
        let err = parse::<Meta>("title: x\nweight: tre\n").unwrap_err();
        assert_eq!(
            err.message.it.as_deref(),
            Some("`weight`: serve un numero intero, trovato il testo \"tre\"")
        );
        let err = parse::<Meta>("weight: 3\n").unwrap_err();
        assert_eq!(
            err.message.it.as_deref(),
            Some("manca la chiave obbligatoria `title`")
        );
        assert_eq!(
            err.hint.unwrap().it.as_deref(),
            Some("aggiungi una riga `title: …`")
        );
        let err = parse::<Meta>("title: a: b\n").unwrap_err();
        assert_eq!(
            err.message.it.as_deref(),
            Some("un valore contiene `: ` senza virgolette")
        );
    }
}
