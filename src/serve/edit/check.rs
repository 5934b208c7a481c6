//! PLACEHOLDER (server branch): the `form` helper writes the real module; only the contract's
//! signatures are here, so that the server compiles.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::base::error::Diagnostic;
use crate::base::i18n::Lang;

/// One problem, placed: beside a field, in the body, or for the page as a whole.
#[derive(serde::Serialize, Clone)]
pub struct FieldError {
    pub field: Option<Vec<serde_json::Value>>,
    pub body: bool,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub code: String,
    pub message: String,
    pub hint: Option<String>,
}

/// The preview state kept between requests.
pub struct Previewer {
    _root: PathBuf,
    _base_url: String,
}

impl Previewer {
    pub fn new(root: PathBuf, base_url: String) -> Previewer {
        Previewer {
            _root: root,
            _base_url: base_url,
        }
    }

    /// Checks `text` as the content of `file` with the build's own code.
    pub fn check(&mut self, _page: &str, _file: &Path, _text: &[u8], _lang: Lang) -> Checked {
        todo!("form helper")
    }

    /// The last preview HTML of `page`.
    pub fn preview(&self, _page: &str) -> Option<Arc<Vec<u8>>> {
        todo!("form helper")
    }
}

/// What [`Previewer::check`] found.
pub struct Checked {
    pub errors: Vec<FieldError>,
    pub rendered: bool,
}

/// Diagnostics as [`FieldError`]s (`front` = the front matter text when fields can be found).
pub fn placed(diagnostics: &[Diagnostic], _front: Option<&str>, lang: Lang) -> Vec<FieldError> {
    diagnostics
        .iter()
        .map(|d| FieldError {
            field: None,
            body: false,
            line: d.line,
            column: d.column,
            code: d.code.to_string(),
            message: d.message_in(lang).to_string(),
            hint: d.hint_in(lang).map(str::to_string),
        })
        .collect()
}
