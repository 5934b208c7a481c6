//! What the preview server serves: a [`Snapshot`] of the last site that built.

use std::collections::HashMap;
use std::sync::Arc;

use crate::base::error::Diagnostic;
use crate::output::{OutputFile, OutputSet};

/// What the server serves: the last site that built, pages updated since, and the errors of
/// the last build when it failed (shown over every page).
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the last site that built.
    pub site: Arc<OutputSet>,
    /// Files rendered again since, served instead of the site's (output path → file).
    pub patches: HashMap<String, OutputFile>,
    /// The errors of the last build; empty when it succeeded.
    pub errors: Vec<Diagnostic>,
}

impl Snapshot {
    /// The file served at output path `path`.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.patches.get(path).or_else(|| self.site.get(path))
    }
}
