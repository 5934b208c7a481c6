//! PLACEHOLDER (server branch): the `form` helper writes the real module; only the contract's
//! signatures are here, so that the server compiles.

use std::collections::BTreeMap;
use std::path::Path;

use crate::base::error::Diagnostic;
use crate::config::Config;

use super::check::FieldError;

/// What the editor page needs to show one page's form (serialized as the `api/page` JSON).
#[derive(serde::Serialize)]
pub struct PageForm {
    pub page: String,
    pub section: String,
    pub version: String,
    pub fields: Vec<FieldSpec>,
    pub values: serde_json::Value,
    pub body: String,
    pub references: BTreeMap<String, Vec<Choice>>,
}

/// A page a reference may name.
#[derive(serde::Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// One field of the form.
#[derive(serde::Serialize)]
pub struct FieldSpec {
    pub name: String,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    pub kind: &'static str,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub values: Vec<String>,
    pub items: Option<Box<FieldSpec>>,
    pub fields: Vec<FieldSpec>,
    pub section: Option<String>,
}

/// Reads `page` (already checked by guard).
pub fn open(
    _root: &Path,
    _config: &Config,
    _page: &str,
    _file: &Path,
) -> Result<PageForm, Vec<Diagnostic>> {
    todo!("form helper")
}

/// The file's new bytes, with only the changed values edited in place.
pub fn apply(
    _original: &[u8],
    _config: &Config,
    _section: &str,
    _values: &serde_json::Value,
    _body: &str,
) -> Result<Vec<u8>, Vec<FieldError>> {
    todo!("form helper")
}
