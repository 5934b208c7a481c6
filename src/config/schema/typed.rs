//! The values a checked front matter holds: [`Typed`] and its parts (phone numbers, opening
//! hours, references to other pages), and their conversion to the Tera values templates see.

use serde::Serialize;

use super::fields::Ordered;

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
