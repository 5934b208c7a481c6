//! Typed front matter: the schemas `site.yaml` declares per section, and the check of each
//! file's front matter against its section's schema.
//!
//! A schema lists fields with a type (text, integer from 1 to 9, enum, date, phone, opening
//! hours, reference to another page …), whether they are required, a default and a
//! description. Checking walks the YAML nodes, which know their line and column, so every
//! wrong value is reported where it is written, all of them at once, and the values that
//! pass become [`Typed`] values for templates.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Deserialize as DeriveDeserialize, Serialize};

use crate::date::{DateInput, rfc3339};
use crate::error::{Diagnostic, closest};
use crate::i18n::Text;
use crate::msg;
use crate::yaml::{Node, NodeValue, YamlValue};

/// A map that keeps the order keys are written in (fields are listed in schema order).
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<T>(pub Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, T>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(std::marker::PhantomData))
    }
}

/// A field as `site.yaml` writes it.
#[derive(Debug, Clone, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    required: bool,
    default: Option<YamlValue>,
    description: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    values: Option<Vec<String>>,
    items: Option<Box<RawField>>,
    fields: Option<Ordered<RawField>>,
    section: Option<String>,
    bounds: Option<RawBounds>,
}

/// Bounds of a `geo` field: `{ lat: [min, max], lon: [min, max] }`.
#[derive(Debug, Clone, Copy, PartialEq, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBounds {
    lat: [f64; 2],
    lon: [f64; 2],
}

impl RawBounds {
    /// Smallest and largest latitude.
    pub fn lat(&self) -> [f64; 2] {
        self.lat
    }

    /// Smallest and largest longitude.
    pub fn lon(&self) -> [f64; 2] {
        self.lon
    }
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// One line of text.
    String,
    /// Longer text (may span lines).
    Text,
    /// A whole number, optionally bounded.
    Integer {
        /// Smallest allowed.
        min: Option<i64>,
        /// Largest allowed.
        max: Option<i64>,
    },
    /// A number, optionally bounded.
    Number {
        /// Smallest allowed.
        min: Option<f64>,
        /// Largest allowed.
        max: Option<f64>,
    },
    /// `true` or `false`.
    Bool,
    /// `2018-10-26`.
    Date,
    /// `2018-10-26T17:00:00+02:00` (or without offset, in the site's time zone).
    Datetime,
    /// One of the listed values.
    Enum(Vec<String>),
    /// A list of values of one type.
    List(Box<Kind>),
    /// A map with its own fields.
    Object(Vec<Field>),
    /// An `http(s)://` address.
    Url,
    /// An e-mail address.
    Email,
    /// An Italian phone number, stored normalised.
    Phone,
    /// Opening hours: days `mon` … `sun` with ranges like `09:00-13:00`.
    OpeningHours,
    /// `{ lat, lon }`, optionally inside bounds.
    Geo(Option<RawBounds>),
    /// The file name of a page of a section (`via-piazzetta` in `spazi`).
    Reference(String),
}

/// A field of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Its front matter key.
    pub name: String,
    /// Its type.
    pub kind: Kind,
    /// Whether a file must have it.
    pub required: bool,
    /// The value used when the file leaves it out.
    pub default: Option<YamlValue>,
    /// What it means, for editors (errors, `wemi new`, JSON Schema).
    pub description: Option<String>,
}

/// The schema of a section's pages.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schema {
    /// Its fields, in the order declared.
    pub fields: Vec<Field>,
}

/// The names `type:` accepts.
pub const TYPE_NAMES: &[&str] = &[
    "string",
    "text",
    "integer",
    "number",
    "bool",
    "date",
    "datetime",
    "enum",
    "list",
    "object",
    "url",
    "email",
    "phone",
    "opening_hours",
    "geo",
    "reference",
];

/// A mistake in a schema: the field's path (`spazi.address.cap`), what is wrong, and how to
/// fix it.
pub type SchemaError = (String, Text, Text);

impl Schema {
    /// Resolves raw fields; errors name the field's path (`spazi.address.cap`).
    pub fn from_raw(section: &str, raw: Ordered<RawField>) -> Result<Schema, Vec<SchemaError>> {
        let mut errors = Vec::new();
        let fields = fields_from_raw(section, raw, &mut errors);
        if errors.is_empty() {
            Ok(Schema { fields })
        } else {
            Err(errors)
        }
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

fn fields_from_raw(
    path: &str,
    raw: Ordered<RawField>,
    errors: &mut Vec<SchemaError>,
) -> Vec<Field> {
    raw.0
        .into_iter()
        .filter_map(|(name, f)| {
            let here = format!("{path}.{name}");
            let description = f.description.clone();
            let required = f.required;
            let default = f.default.clone();
            kind_from_raw(&here, f, errors).map(|kind| Field {
                name,
                kind,
                required,
                default,
                description,
            })
        })
        .collect()
}

fn kind_from_raw(path: &str, f: RawField, errors: &mut Vec<SchemaError>) -> Option<Kind> {
    let mut missing = |what: &str, example: &str| {
        errors.push((
            path.to_string(),
            msg!(
                "a field of type `{kind}` needs `{key}`",
                kind = f.kind,
                key = what
            ),
            msg!("add `{key}: {example}`", key = what, example = example),
        ));
        None
    };
    let int = |x: Option<f64>| x.map(|v| v as i64);
    Some(match f.kind.as_str() {
        "string" => Kind::String,
        "text" => Kind::Text,
        "integer" => Kind::Integer {
            min: int(f.min),
            max: int(f.max),
        },
        "number" => Kind::Number {
            min: f.min,
            max: f.max,
        },
        "bool" => Kind::Bool,
        "date" => Kind::Date,
        "datetime" => Kind::Datetime,
        "url" => Kind::Url,
        "email" => Kind::Email,
        "phone" => Kind::Phone,
        "opening_hours" => Kind::OpeningHours,
        "geo" => Kind::Geo(f.bounds),
        "enum" => match f.values {
            Some(values) if !values.is_empty() => Kind::Enum(values),
            _ => return missing("values", "[uno, due]"),
        },
        "reference" => match f.section {
            Some(section) => Kind::Reference(section),
            None => return missing("section", "servizi"),
        },
        "list" => match f.items {
            Some(items) => Kind::List(Box::new(kind_from_raw(
                &format!("{path}[]"),
                *items,
                errors,
            )?)),
            None => return missing("items", "{ type: string }"),
        },
        "object" => match f.fields {
            Some(fields) => Kind::Object(fields_from_raw(path, fields, errors)),
            None => return missing("fields", "{ nome: { type: string } }"),
        },
        other => {
            let hint = match closest(other, TYPE_NAMES.iter().copied()) {
                Some(best) => msg!("did you mean `{best}`?", best = best),
                None => msg!("the types are: {types}", types = TYPE_NAMES.join(", ")),
            };
            errors.push((
                path.to_string(),
                msg!("unknown type `{kind}`", kind = other),
                hint,
            ));
            return None;
        }
    })
}

/// A checked value, as templates receive it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Typed {
    /// Text, an enum value, a URL, an e-mail address, a date (`2018-10-26`) or a datetime
    /// (RFC 3339).
    Text(String),
    /// A whole number.
    Integer(i64),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<Typed>),
    /// An object, in schema order.
    Object(Vec<(String, Typed)>),
    /// A phone number.
    Phone(Phone),
    /// Opening hours, Monday to Sunday.
    Hours(Vec<Day>),
    /// A position.
    Geo {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
    /// Another page: its path under `content/`, and where the reference is written.
    Reference(Reference),
}

/// A reference to a page, to be resolved when the site is assembled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// The page's path under `content/` (`servizi/sportello-lavoro.md`).
    pub target: String,
    /// Line of the reference in its file.
    #[serde(skip)]
    pub line: usize,
    /// Column of the reference in its file.
    #[serde(skip)]
    pub column: usize,
}

/// A phone number: as shown, and as dialled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phone {
    /// As the editor wrote it, spaces tidied: `02 8845 8041`.
    pub display: String,
    /// International form: `+390288458041`.
    pub e164: String,
    /// `tel:+390288458041`.
    pub href: String,
}

/// One day of opening hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// `mon` … `sun`.
    pub day: &'static str,
    /// `lunedì` … `domenica`.
    pub name: &'static str,
    /// Whether the file says anything about this day.
    pub known: bool,
    /// Closed all day.
    pub closed: bool,
    /// Opening ranges.
    pub slots: Vec<Slot>,
}

/// An opening range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    /// `09:00`.
    pub opens: String,
    /// `13:00`.
    pub closes: String,
}

impl Serialize for Ordered<Typed> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl Typed {
    /// Every reference inside this value.
    pub fn references(&self) -> Vec<&Reference> {
        match self {
            Typed::Reference(r) => vec![r],
            Typed::List(items) => items.iter().flat_map(Typed::references).collect(),
            Typed::Object(fields) => fields.iter().flat_map(|(_, v)| v.references()).collect(),
            _ => Vec::new(),
        }
    }
}

/// The days of opening hours: the key editors write, and the Italian name.
pub const DAYS: [(&str, &str); 7] = [
    ("mon", "lunedì"),
    ("tue", "martedì"),
    ("wed", "mercoledì"),
    ("thu", "giovedì"),
    ("fri", "venerdì"),
    ("sat", "sabato"),
    ("sun", "domenica"),
];

/// Checks values against fields; the file's line offset shifts node lines to file lines.
pub struct Checker<'a> {
    /// The file, for diagnostics.
    pub path: &'a std::path::Path,
    /// Lines before the YAML in the file.
    pub line_offset: usize,
    /// The site's time zone, for datetimes.
    pub time_zone: &'a jiff::tz::TimeZone,
    /// Problems found.
    pub errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, node: &Node, message: Text, hint: Text) {
        self.errors.push(
            Diagnostic::new(self.path, message)
                .at(node.line + self.line_offset, node.column)
                .hint(hint),
        );
    }

    /// Checks the fields of `map` (a map node) against `fields`. `known` lists other keys that
    /// are allowed (built-in fields, taxonomies); `block` is where to report missing fields.
    pub fn object(
        &mut self,
        fields: &[Field],
        map: &Node,
        known: &[&str],
        block: &Node,
    ) -> Vec<(String, Typed)> {
        let entries: &[(String, Node)] = match &map.value {
            NodeValue::Map(entries) => entries,
            NodeValue::Null => &[],
            _ => {
                self.error(
                    map,
                    msg!("expected a group of `key: value` lines"),
                    msg!("indent the fields under this key"),
                );
                return Vec::new();
            }
        };
        for (key, node) in entries {
            if fields.iter().all(|f| &f.name != key) && !known.contains(&key.as_str()) {
                let names = fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(known.iter().copied());
                let hint = match closest(key, names) {
                    Some(best) => msg!("did you mean `{best}`?", best = best),
                    None => msg!(
                        "the fields are: {fields}",
                        fields = fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let key_node = Node {
                    value: NodeValue::Null,
                    line: node.line,
                    column: 1.max(node.column.saturating_sub(key.chars().count() + 2)),
                };
                self.error(&key_node, msg!("unknown field `{key}`", key = key), hint);
            }
        }
        let mut out = Vec::new();
        for field in fields {
            match entries.iter().find(|(k, _)| *k == field.name) {
                Some((_, node)) if node.value != NodeValue::Null => {
                    if let Some(v) = self.value(&field.kind, node, &field.name) {
                        out.push((field.name.clone(), v));
                    }
                }
                _ => {
                    let default = field
                        .default
                        .as_ref()
                        .and_then(|d| d.scalar_node(block.line, block.column));
                    if let Some(node) = default {
                        if let Some(v) = self.value(&field.kind, &node, &field.name) {
                            out.push((field.name.clone(), v));
                        }
                    } else if field.required {
                        let hint = match &field.description {
                            Some(about) => msg!(
                                "add a line `{key}: …` ({description})",
                                key = field.name,
                                description = about
                            ),
                            None => msg!("add a line `{key}: …`", key = field.name),
                        };
                        self.error(
                            block,
                            msg!("the required field `{key}` is missing", key = field.name),
                            hint,
                        );
                    }
                }
            }
        }
        out
    }

    /// Checks one value; `None` when it is wrong (the error is recorded).
    pub fn value(&mut self, kind: &Kind, node: &Node, name: &str) -> Option<Typed> {
        let found = describe(node);
        let (text, is_string) = match &node.value {
            NodeValue::Scalar { text, is_string } => (Some(text.as_str()), *is_string),
            _ => (None, false),
        };
        let wrong = |this: &mut Self, expected: Text, hint: Text| {
            this.error(
                node,
                msg!(
                    "`{field}`: expected {expected}, found {found}",
                    field = name,
                    expected = expected,
                    found = &found
                ),
                hint,
            );
            None
        };
        match kind {
            Kind::String | Kind::Text => match text {
                Some(t) => Some(Typed::Text(t.to_string())),
                None => wrong(
                    self,
                    msg!("a text"),
                    msg!("write the text on the same line, in quotes if it contains `: ` or `#`"),
                ),
            },
            Kind::Integer { min, max } => {
                let n = text.and_then(|t| t.trim().parse::<i64>().ok());
                match n {
                    Some(n) if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) => {
                        Some(Typed::Integer(n))
                    }
                    _ => wrong(
                        self,
                        integer_expectation(*min, *max),
                        msg!("write a whole number in digits, e.g. 4"),
                    ),
                }
            }
            Kind::Number { min, max } => {
                let n = text
                    .and_then(|t| t.trim().parse::<f64>().ok())
                    .filter(|n| n.is_finite());
                match n {
                    Some(n) if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) => {
                        Some(Typed::Number(n))
                    }
                    _ => wrong(
                        self,
                        number_expectation(*min, *max),
                        msg!("write a number with a dot for decimals, e.g. 45.46"),
                    ),
                }
            }
            Kind::Bool => match (text, is_string) {
                (Some("true"), false) => Some(Typed::Bool(true)),
                (Some("false"), false) => Some(Typed::Bool(false)),
                _ => wrong(
                    self,
                    msg!("true or false"),
                    msg!("write `true` or `false` (not sì/no)"),
                ),
            },
            Kind::Date => match text.map(DateInput::parse) {
                Some(Ok(DateInput::Day(d))) => Some(Typed::Text(d.to_string())),
                _ => wrong(
                    self,
                    msg!("a date like 2018-10-26"),
                    msg!("write year-month-day with hyphens"),
                ),
            },
            Kind::Datetime => match text.map(DateInput::parse) {
                Some(Ok(d)) => Some(Typed::Text(rfc3339(&d.resolve(self.time_zone)))),
                _ => wrong(
                    self,
                    msg!("a date and time like 2018-10-26T17:00:00+02:00"),
                    msg!("write year-month-day, a T, then hours:minutes:seconds"),
                ),
            },
            Kind::Enum(values) => match text {
                Some(t) if values.iter().any(|v| v == t) => Some(Typed::Text(t.to_string())),
                _ => {
                    let hint =
                        match text.and_then(|t| closest(t, values.iter().map(String::as_str))) {
                            Some(best) => msg!("did you mean `{best}`?", best = best),
                            None => msg!("write one of: {values}", values = values.join(", ")),
                        };
                    wrong(
                        self,
                        msg!("one of {values}", values = values.join(", ")),
                        hint,
                    )
                }
            },
            Kind::Url => match text {
                Some(t) if is_url(t) => Some(Typed::Text(t.to_string())),
                _ => wrong(
                    self,
                    msg!("an address starting with https://"),
                    msg!("copy the full address from the browser"),
                ),
            },
            Kind::Email => match text {
                Some(t) if is_email(t) => Some(Typed::Text(t.trim().to_string())),
                _ => wrong(
                    self,
                    msg!("an e-mail address"),
                    msg!("write it like nome@comune.milano.it"),
                ),
            },
            Kind::Phone => match text.and_then(phone) {
                Some(p) => Some(Typed::Phone(p)),
                None => wrong(
                    self,
                    msg!("an Italian phone number"),
                    msg!("write it like 02 8845 8041 (in quotes is safest)"),
                ),
            },
            Kind::Reference(section) => match text {
                Some(t) if crate::slug::is_slug(t.trim()) => Some(Typed::Reference(Reference {
                    target: format!("{section}/{}.md", t.trim()),
                    line: node.line + self.line_offset,
                    column: node.column,
                })),
                _ => wrong(
                    self,
                    msg!("the file name of a page in {section}/", section = section),
                    msg!("write the file name without .md, e.g. via-piazzetta"),
                ),
            },
            Kind::List(item) => match &node.value {
                NodeValue::List(items) => {
                    let checked: Vec<Option<Typed>> =
                        items.iter().map(|i| self.value(item, i, name)).collect();
                    checked
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Typed::List)
                }
                NodeValue::Scalar { .. } => {
                    self.value(item, node, name).map(|v| Typed::List(vec![v]))
                }
                _ => wrong(
                    self,
                    msg!("a list"),
                    msg!("write `[a, b]` or one `- item` per line"),
                ),
            },
            Kind::Object(fields) => {
                let values = self.object(fields, node, &[], node);
                Some(Typed::Object(values))
            }
            Kind::Geo(bounds) => self.geo(node, name, *bounds),
            Kind::OpeningHours => self.hours(node, name),
        }
    }

    fn geo(&mut self, node: &Node, name: &str, bounds: Option<RawBounds>) -> Option<Typed> {
        let coordinate = |key: &str| {
            node.get(key).and_then(|n| match &n.value {
                NodeValue::Scalar { text, .. } => text.trim().parse::<f64>().ok().map(|v| (v, n)),
                _ => None,
            })
        };
        let (Some((lat, lat_node)), Some((lon, lon_node))) = (coordinate("lat"), coordinate("lon"))
        else {
            self.error(
                node,
                msg!(
                    "`{field}`: expected a position with `lat` and `lon`",
                    field = name
                ),
                msg!("write `{ lat: 45.4781, lon: 9.2046 }`"),
            );
            return None;
        };
        let mut ok = true;
        if let Some(b) = bounds {
            for (v, n, [lo, hi], what) in [
                (lat, lat_node, b.lat, msg!("latitude")),
                (lon, lon_node, b.lon, msg!("longitude")),
            ] {
                if !(lo..=hi).contains(&v) {
                    self.error(
                        n,
                        msg!(
                            "`{field}`: the {what} {value} is outside the allowed area ({min} to {max})",
                            field = name,
                            what = what,
                            value = v,
                            min = lo,
                            max = hi
                        ),
                        msg!("check the coordinates: they may be swapped or mistyped"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(Typed::Geo { lat, lon })
    }

    fn hours(&mut self, node: &Node, name: &str) -> Option<Typed> {
        let NodeValue::Map(entries) = &node.value else {
            self.error(
                node,
                msg!("`{field}`: expected days with their hours", field = name),
                msg!("write one line per day, e.g. `mon: 09:00-13:00`"),
            );
            return None;
        };
        let mut days: Vec<Day> = DAYS
            .iter()
            .map(|(day, name)| Day {
                day,
                name,
                known: false,
                closed: false,
                slots: Vec::new(),
            })
            .collect();
        let mut ok = true;
        for (key, value) in entries {
            let Some(day) = days.iter_mut().find(|d| d.day == key) else {
                let hint = match closest(key, DAYS.iter().map(|(d, _)| *d)) {
                    Some(best) => msg!("did you mean `{best}`?", best = best),
                    None => msg!("the days are mon, tue, wed, thu, fri, sat, sun"),
                };
                let key_node = Node {
                    value: NodeValue::Null,
                    line: value.line,
                    column: 1,
                };
                self.error(
                    &key_node,
                    msg!("`{field}`: `{key}` is not a day", field = name, key = key),
                    hint,
                );
                ok = false;
                continue;
            };
            day.known = true;
            let items: Vec<&Node> = match &value.value {
                NodeValue::List(items) => items.iter().collect(),
                _ => vec![value],
            };
            for item in items {
                let text = match &item.value {
                    NodeValue::Scalar { text, .. } => text.trim(),
                    _ => "",
                };
                if matches!(text, "closed" | "chiuso") {
                    day.closed = true;
                } else if let Some(slot) = slot(text) {
                    day.slots.push(slot);
                } else {
                    self.error(
                        item,
                        msg!(
                            "`{field}`: expected a time range like 09:00-13:00 or `closed`, found {found}",
                            field = name,
                            found = describe(item)
                        ),
                        msg!("write hours and minutes with two digits each: 09:00-13:00"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(Typed::Hours(days))
    }
}

/// How a found value is described in messages: `"quattro"`, `4`, a list, a group of fields.
fn describe(node: &Node) -> Text {
    match &node.value {
        NodeValue::Null => msg!("nothing"),
        NodeValue::Scalar {
            text,
            is_string: true,
        } => Text::from(format!("\"{text}\"")),
        NodeValue::Scalar { text, .. } => Text::from(text.as_str()),
        NodeValue::List(_) => msg!("a list"),
        NodeValue::Map(_) => msg!("a group of fields"),
    }
}

/// "an integer from 1 to 9", as it goes after "expected".
fn integer_expectation(min: Option<i64>, max: Option<i64>) -> Text {
    match (min, max) {
        (Some(a), Some(b)) => msg!("an integer from {min} to {max}", min = a, max = b),
        (Some(a), None) => msg!("an integer of at least {min}", min = a),
        (None, Some(b)) => msg!("an integer of at most {max}", max = b),
        (None, None) => msg!("an integer"),
    }
}

/// "a number from 45.3 to 45.6", as it goes after "expected".
fn number_expectation(min: Option<f64>, max: Option<f64>) -> Text {
    match (min, max) {
        (Some(a), Some(b)) => msg!("a number from {min} to {max}", min = a, max = b),
        (Some(a), None) => msg!("a number of at least {min}", min = a),
        (None, Some(b)) => msg!("a number of at most {max}", max = b),
        (None, None) => msg!("a number"),
    }
}

fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.') && !r.contains(char::is_whitespace)
    })
}

fn is_email(text: &str) -> bool {
    let t = text.trim();
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !t.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// An Italian number: landline (0…), mobile (3…), or toll-free (80…), 6 to 11 digits after
/// an optional +39 / 0039.
fn phone(text: &str) -> Option<Phone> {
    let trimmed = text.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-./()".contains(c)))
    {
        return None;
    }
    let national = if trimmed.starts_with('+') {
        digits.strip_prefix("39")?
    } else {
        digits.strip_prefix("0039").unwrap_or(&digits)
    };
    let valid = (6..=11).contains(&national.len())
        && (national.starts_with('0') || national.starts_with('3'));
    valid.then(|| Phone {
        display: trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
        e164: format!("+39{national}"),
        href: format!("tel:+39{national}"),
    })
}

/// `09:00-13:00` → a slot, opening before closing.
fn slot(text: &str) -> Option<Slot> {
    let (opens, closes) = text.split_once('-')?;
    let valid = |t: &str| {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && t.trim().len() == 5).then(|| format!("{h:02}:{m:02}"))
    };
    let (opens, closes) = (valid(opens)?, valid(closes)?);
    (opens < closes).then_some(Slot { opens, closes })
}

/// Turns typed values into Tera values, replacing each reference by the page it points to.
pub fn to_value(typed: &Typed, resolve: &dyn Fn(&str) -> Option<tera::Value>) -> tera::Value {
    match typed {
        Typed::Reference(r) => resolve(&r.target).unwrap_or_else(tera::Value::none),
        Typed::List(items) => tera::Value::from(
            items
                .iter()
                .map(|i| to_value(i, resolve))
                .collect::<Vec<_>>(),
        ),
        Typed::Object(fields) => object_value(fields, resolve),
        other => tera::Value::try_from_serializable(other).unwrap_or_else(|_| tera::Value::none()),
    }
}

/// A map value of typed fields, in order.
pub fn object_value(
    fields: &[(String, Typed)],
    resolve: &dyn Fn(&str) -> Option<tera::Value>,
) -> tera::Value {
    let mut map = tera::Map::new();
    for (k, v) in fields {
        map.insert(k.clone().into(), to_value(v, resolve));
    }
    tera::Value::from(map)
}

/// Schemas by section, read from `site.yaml`'s `schemas:`.
pub type Schemas = BTreeMap<String, Schema>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{self, parse_nodes};

    fn schema(text: &str) -> Schema {
        let raw: Ordered<RawField> = yaml::parse(text).unwrap();
        Schema::from_raw("spazi", raw).unwrap()
    }

    fn check(schema: &Schema, text: &str) -> (Vec<(String, Typed)>, Vec<Diagnostic>) {
        let node = parse_nodes(text).unwrap();
        let tz = jiff::tz::TimeZone::UTC;
        let mut c = Checker {
            path: std::path::Path::new("content/spazi/a.md"),
            line_offset: 1,
            time_zone: &tz,
            errors: Vec::new(),
        };
        let out = c.object(
            &schema.fields,
            &node,
            &["title"],
            &Node {
                value: NodeValue::Null,
                line: 0,
                column: 1,
            },
        );
        (out, c.errors)
    }

    const SPAZI: &str = "
municipio: { type: integer, min: 1, max: 9, required: true, description: Il municipio }
status: { type: enum, values: [announced, open, closed], required: true }
cap: { type: string }
verified: { type: bool, default: true }
phone: { type: phone }
servizi: { type: list, items: { type: reference, section: servizi } }
orari: { type: opening_hours }
geo: { type: geo, bounds: { lat: [45.3, 45.6], lon: [9.0, 9.3] } }
";

    #[test]
    fn good_values_become_typed() {
        let s = schema(SPAZI);
        let (values, errors) = check(
            &s,
            "title: x\nmunicipio: 4\nstatus: open\ncap: 20121\nphone: 02 8845 8041\nservizi: [sportello-lavoro]\norari:\n  mon: 09:00-13:00\n  sat: closed\ngeo: { lat: 45.47, lon: 9.2 }\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let get = |k: &str| {
            values
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        assert_eq!(get("municipio"), Typed::Integer(4));
        assert_eq!(get("cap"), Typed::Text("20121".into()));
        assert_eq!(get("verified"), Typed::Bool(true), "the default");
        let Typed::Phone(p) = get("phone") else {
            panic!()
        };
        assert_eq!(
            (p.display.as_str(), p.href.as_str()),
            ("02 8845 8041", "tel:+390288458041")
        );
        let Typed::List(refs) = get("servizi") else {
            panic!()
        };
        let Typed::Reference(r) = &refs[0] else {
            panic!()
        };
        assert_eq!(
            (r.target.as_str(), r.line),
            ("servizi/sportello-lavoro.md", 7)
        );
        let Typed::Hours(days) = get("orari") else {
            panic!()
        };
        assert_eq!(
            days[0].slots,
            vec![Slot {
                opens: "09:00".into(),
                closes: "13:00".into()
            }]
        );
        assert!(days[5].closed && days[5].known);
        assert!(!days[6].known);
    }

    #[test]
    fn every_wrong_value_is_reported_where_it_is() {
        let s = schema(SPAZI);
        let (_, errors) = check(
            &s,
            "title: x\nmunicipio: quattro\nstatus: aperto\nphone: 12345\nmunicpio: 4\norari:\n  lun: 9-13\ngeo: { lat: 9.2, lon: 45.47 }\n",
        );
        let find = |needle: &str| {
            errors
                .iter()
                .find(|d| d.message.contains(needle))
                .unwrap_or_else(|| panic!("{needle}: {errors:#?}"))
        };
        let m = find("`municipio`: expected an integer from 1 to 9, found \"quattro\"");
        assert_eq!((m.line, m.column), (Some(3), Some(12)));
        assert_eq!(
            find("`status`").hint.as_deref(),
            Some("write one of: announced, open, closed")
        );
        assert_eq!(find("Italian phone").line, Some(5));
        let u = find("unknown field `municpio`");
        assert_eq!(
            (u.line, u.hint.as_deref()),
            (Some(6), Some("did you mean `municipio`?"))
        );
        assert_eq!(find("`lun` is not a day").line, Some(8));
        assert!(
            errors
                .iter()
                .filter(|d| d.message.contains("outside the allowed area"))
                .count()
                == 2
        );
    }

    #[test]
    fn missing_required_fields_point_at_the_block() {
        let s = schema(SPAZI);
        let (_, errors) = check(&s, "title: x\n");
        let missing: Vec<_> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            missing,
            [
                "the required field `municipio` is missing",
                "the required field `status` is missing"
            ]
        );
        assert_eq!(errors[0].line, Some(1));
        assert_eq!(
            errors[0].hint.as_deref(),
            Some("add a line `municipio: …` (Il municipio)")
        );
    }

    #[test]
    fn yaml_pitfalls_stay_text() {
        let s = schema(
            "risposta: { type: string }\ncap: { type: string }\nversione: { type: string }\n",
        );
        let (values, errors) = check(&s, "risposta: no\ncap: 20121\nversione: 1.10\n");
        assert!(errors.is_empty());
        assert_eq!(
            values.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
            [
                Typed::Text("no".into()),
                Typed::Text("20121".into()),
                Typed::Text("1.10".into())
            ]
        );
    }

    #[test]
    fn schema_errors_name_the_field() {
        let raw: Ordered<RawField> =
            yaml::parse("a: { type: integr }\nb: { type: enum }\n").unwrap();
        let errors = Schema::from_raw("spazi", raw).unwrap_err();
        assert_eq!(errors[0].0, "spazi.a");
        assert_eq!(errors[0].2.en, "did you mean `integer`?");
        assert_eq!(errors[1].1.en, "a field of type `enum` needs `values`");
    }

    #[test]
    fn phones_and_slots() {
        assert_eq!(phone("+39 02 8845 8041").unwrap().e164, "+390288458041");
        assert_eq!(phone("333 123 4567").unwrap().e164, "+393331234567");
        assert!(phone("12345").is_none());
        assert!(phone("02 8845 abc").is_none());
        assert!(slot("13:00-09:00").is_none());
        assert!(slot("9:00-13:00").is_none());
    }

    #[test]
    fn messages_in_italian() {
        let s = schema(SPAZI);
        let (_, errors) = check(
            &s,
            "title: x\nmunicipio: quattro\nstatus: open\nmunicpio: 4\n",
        );
        let it = |needle: &str| {
            errors
                .iter()
                .find(|d| d.message.contains(needle))
                .map(|d| (d.message_it.clone(), d.hint_it.clone()))
                .unwrap_or_else(|| panic!("{needle}: {errors:#?}"))
        };
        assert_eq!(
            it("`municipio`: expected"),
            (
                Some("`municipio`: serve un numero intero da 1 a 9, trovato \"quattro\"".into()),
                Some("scrivi un numero intero in cifre, per esempio 4".into())
            )
        );
        assert_eq!(
            it("unknown field"),
            (
                Some("campo sconosciuto `municpio`".into()),
                Some("forse intendevi `municipio`?".into())
            )
        );

        let (_, errors) = check(&s, "title: x\n");
        assert_eq!(
            errors[0].message_it.as_deref(),
            Some("manca il campo obbligatorio `municipio`")
        );
        assert_eq!(
            errors[0].hint_it.as_deref(),
            Some("aggiungi una riga `municipio: …` (Il municipio)")
        );

        let raw: Ordered<RawField> = yaml::parse("a: { type: list }\n").unwrap();
        let errors = Schema::from_raw("spazi", raw).unwrap_err();
        assert_eq!(
            errors[0].1.get(crate::i18n::Lang::It),
            "un campo di tipo `list` ha bisogno di `items`"
        );
    }
}
