//! Diagnostics: what went wrong, where (file, line, column) and how to fix it.
//!
//! Every stage of the pipeline reports problems as [`Diagnostic`]s, never as prose with the
//! location baked in, so that the reporter can print them all at once, sorted, and later
//! tools (`wemi check --format json`) can use the same data.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::base::i18n::{Lang, Text};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem found in the site, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in (relative to the site root when it is inside it).
    pub path: PathBuf,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// 1-based column in that file, when known.
    pub column: Option<usize>,
    /// What is wrong and what was expected (in English).
    pub message: String,
    /// The same in Italian, when it is one of wemi's own messages.
    pub message_it: Option<String>,
    /// How to fix it, when we can tell (in English).
    pub hint: Option<String>,
    /// The same in Italian.
    pub hint_it: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (no position).
    pub fn new(path: impl Into<PathBuf>, message: impl Into<Text>) -> Self {
        let Text { en, it } = message.into();
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: en,
            message_it: it,
            hint: None,
            hint_it: None,
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_it) {
            (Lang::It, Some(it)) => it,
            _ => &self.message,
        }
    }

    /// The hint in `lang`.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.hint_it) {
            (Lang::It, Some(it)) => Some(it),
            _ => self.hint.as_deref(),
        }
    }

    /// Sets the 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the 1-based line only.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Makes it a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<Text>) -> Self {
        let Text { en, it } = hint.into();
        self.hint = Some(en);
        self.hint_it = it;
        self
    }

    /// `file:line:column`, as far as it is known.
    pub fn location(&self) -> String {
        let mut out = self.path.display().to_string();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                out.push_str(&format!(":{column}"));
            }
        }
        out
    }

    /// Key to sort diagnostics by file, then position.
    fn sort_key(&self) -> (&Path, usize, usize) {
        (&self.path, self.line.unwrap_or(0), self.column.unwrap_or(0))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// Which part of the input a failed build blames, which decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line or `site.yaml` is wrong (exit code 2).
    Usage,
    /// Content, templates or the output folder (exit code 1).
    Site,
}

/// A failed build: every diagnostic found, sorted by file and position.
#[derive(Debug)]
pub struct Error {
    /// What the errors are about.
    pub kind: ErrorKind,
    /// All the problems, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// Errors in content, templates or output.
    pub fn site(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        Error {
            kind: ErrorKind::Site,
            diagnostics,
        }
    }

    /// Errors in the command line or in `site.yaml`.
    pub fn usage(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Error {
            kind: ErrorKind::Usage,
            diagnostics,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => 2,
            ErrorKind::Site => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{}: {d}", d.severity.as_str())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// The values of `results`, in order; each error goes to `errors` (a build reports them all).
pub fn values_or_errors<T>(
    results: impl IntoIterator<Item = std::result::Result<T, Diagnostic>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<T> {
    results
        .into_iter()
        .filter_map(|result| result.map_err(|d| errors.push(d)).ok())
        .collect()
}

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Result of a stage that may fail with many diagnostics.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_errors_are_kept_in_order() {
        let mut errors = vec![Diagnostic::new(
            "a.md",
            crate::base::i18n::msg!("the front matter is not closed"),
        )];
        let results = vec![
            Ok(1),
            Err(Diagnostic::new(
                "b.md",
                crate::base::i18n::msg!("the front matter is not closed"),
            )),
            Ok(2),
            Err(Diagnostic::new(
                "c.md",
                crate::base::i18n::msg!("the front matter is not closed"),
            )),
        ];
        assert_eq!(values_or_errors(results, &mut errors), vec![1, 2]);
        let paths: Vec<_> = errors.iter().map(|d| d.path.clone()).collect();
        assert_eq!(
            paths,
            ["a.md", "b.md", "c.md"].map(std::path::PathBuf::from)
        );
    }
}
