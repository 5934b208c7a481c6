//! The one place that talks to `serde_yaml` (deprecated upstream, so it stays contained).
//!
//! It parses YAML text into typed values and turns `serde_yaml`'s errors into positions and
//! plain messages that the rest of the crate can put into diagnostics.

use serde::de::DeserializeOwned;
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

    /// True when the value is a map (or absent), as `extra` must be.
    pub fn is_map_or_null(&self) -> bool {
        matches!(
            self.0,
            serde_yaml::Value::Mapping(_) | serde_yaml::Value::Null
        )
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
    pub message: String,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

/// Parses `text` as a `T`. Empty text reads as an empty map, so that empty front matter or an
/// empty `site.yaml` gives "missing field" errors rather than a syntax error.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let text = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(text).map_err(|err| translate(&err))
}

/// The 1-based line where the top-level `key:` is written in `text`, if it is.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

fn translate(err: &serde_yaml::Error) -> YamlError {
    let full = err.to_string();
    // serde_yaml appends " at line L column C" to its messages: the position is kept apart.
    let message = match full.rfind(" at line ") {
        Some(i) if err.location().is_some() => full[..i].to_string(),
        _ => full,
    };
    let (message, hint) = explain(message);
    YamlError {
        line: err.location().map(|l| l.line()),
        column: err.location().map(|l| l.column()),
        message,
        hint,
    }
}

/// Rewrites serde's messages into words an editor understands, with a fix when one is likely.
fn explain(message: String) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match crate::error::closest(field, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the known keys are: {}", known.join(", ")),
        };
        return (format!("unknown key `{field}`"), Some(hint));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return (
            format!("the required key `{field}` is missing"),
            Some(format!("add a line `{field}: …`")),
        );
    }
    if message.starts_with("duplicate field") || message.starts_with("duplicate entry") {
        return (
            message,
            Some("each key may appear only once: remove or merge the repeated one".into()),
        );
    }
    if message.contains("mapping values are not allowed") {
        return (
            message,
            Some("a value containing `: ` must be quoted, e.g. title: \"Orari: dalle 9\"".into()),
        );
    }
    (message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        weight: Option<u32>,
    }

    #[test]
    fn unknown_key_suggests_the_closest() {
        let err = parse::<Meta>("titel: x\n").unwrap_err();
        assert_eq!(err.message, "unknown key `titel`");
        assert_eq!(err.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!((err.line, err.column), (Some(1), Some(1)));
    }

    #[test]
    fn type_error_has_position_without_suffix() {
        let err = parse::<Meta>("title: x\nweight: tre\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(err.column, Some(9));
        assert!(err.message.contains("expected u32"), "{}", err.message);
        assert!(!err.message.contains("at line"), "{}", err.message);
    }

    #[test]
    fn terms_from_scalars_and_lists() {
        let v: YamlValue = parse("[4, casa, true]").unwrap();
        assert_eq!(v.terms().unwrap(), vec!["4", "casa", "true"]);
        let v: YamlValue = parse("{a: 1}").unwrap();
        assert_eq!(v.terms(), None);
    }
}
