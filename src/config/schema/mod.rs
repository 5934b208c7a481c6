//! Typed front matter: the schemas `site.yaml` declares per section, and the check of each
//! file's front matter against its section's schema.
//!
//! A schema lists fields with a type (text, integer from 1 to 9, enum, date, phone, opening
//! hours, reference to another page …), whether they are required, a default and a
//! description. Checking walks the YAML nodes, which know their line and column, so every
//! wrong value is reported where it is written, all of them at once, and the values that
//! pass become [`Typed`] values for templates.
//!
//! The schema itself, resolved once from its raw mirror in `site.yaml`, is in `fields.rs`;
//! [`Checker`] (in `check.rs`) checks values against it, and the values it produces
//! ([`Typed`] and its parts, in `typed.rs`) are what the rest of the site uses.

mod check;
mod fields;
mod typed;

pub use check::Checker;
pub use fields::{
    Field, Kind, Ordered, RawBounds, RawField, Schema, SchemaError, Schemas, TYPE_NAMES,
};
pub use typed::{DAYS, Day, Phone, Reference, Slot, Typed, object_value, to_value};
