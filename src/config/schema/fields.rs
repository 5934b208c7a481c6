//! The schema as `site.yaml` declares it: fields, their types ([`Kind`]), and their
//! resolution from the raw mirror serde reads ([`RawField`]), once, with every mistake named
//! by the field's path.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize as DeriveDeserialize;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

use crate::base::error::closest;
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::yaml::YamlValue;

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
    label: Option<String>,
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
    /// Its name in the browser editor's form (`Orari di apertura`), when not its key.
    pub label: Option<String>,
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
            let label = f.label.clone();
            let required = f.required;
            let default = f.default.clone();
            kind_from_raw(&here, f, errors).map(|kind| Field {
                name,
                kind,
                required,
                default,
                description,
                label,
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

/// Schemas by section, read from `site.yaml`'s `schemas:`.
pub type Schemas = BTreeMap<String, Schema>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::yaml;

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
    fn schema_errors_in_italian() {
        let raw: Ordered<RawField> = yaml::parse("a: { type: list }\n").unwrap();
        let errors = Schema::from_raw("spazi", raw).unwrap_err();
        assert_eq!(
            errors[0].1.get(crate::base::i18n::Lang::It),
            "un campo di tipo `list` ha bisogno di `items`"
        );
    }
}
