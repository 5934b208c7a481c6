//! Messages in English and Italian.
//!
//! Messages are written in English in the code with [`msg!`](crate::base::i18n::msg), as templates with
//! named `{placeholders}`; the Italian catalog ([`CATALOG`], in `catalog.rs`) translates each
//! template. Both texts are made when the message is made, and the reporter prints the
//! reader's language: Italian when `--lang it` is given or the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`) is Italian, English otherwise. A test checks that every template in
//! the code has its translation.

mod catalog;

pub use catalog::CATALOG;

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The English text.
    pub en: String,
    /// The Italian text; `None` for text that comes from elsewhere (a library's own error).
    pub it: Option<String>,
}

impl Text {
    /// Fills `template` and its Italian translation with `args`.
    pub fn new(template: &'static str, args: &[(&str, String)]) -> Text {
        let args: Vec<(&str, Text)> = args
            .iter()
            .map(|(name, value)| (*name, Text::from(value.as_str())))
            .collect();
        Text::compose(template, &args)
    }

    /// Fills `template` with `args` that are themselves in both languages: the English text
    /// gets the English of each argument, the Italian translation the Italian of each (or its
    /// English, when it has none). This is how a message is built from translated pieces.
    pub fn compose(template: &'static str, args: &[(&str, Text)]) -> Text {
        let english: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.en.as_str())).collect();
        let italian_args: Vec<(&str, &str)> =
            args.iter().map(|(n, v)| (*n, v.get(Lang::It))).collect();
        Text {
            en: fill(template, &english),
            it: italian(template).map(|t| fill(t, &italian_args)),
        }
    }

    /// The text in `lang` (English when there is no translation).
    pub fn get(&self, lang: Lang) -> &str {
        match (lang, &self.it) {
            (Lang::It, Some(it)) => it,
            _ => &self.en,
        }
    }
}

impl From<String> for Text {
    fn from(en: String) -> Text {
        Text { en, it: None }
    }
}

impl From<&str> for Text {
    fn from(en: &str) -> Text {
        Text {
            en: en.to_string(),
            it: None,
        }
    }
}

/// A value put into a message by [`msg!`](crate::base::i18n::msg): anything printable (the same in both
/// languages), or a [`Text`] (each language gets its own).
pub trait Arg {
    /// The value in both languages.
    fn to_text(&self) -> Text;
}

impl<T: std::fmt::Display + ?Sized> Arg for T {
    fn to_text(&self) -> Text {
        Text::from(self.to_string())
    }
}

impl Arg for Text {
    fn to_text(&self) -> Text {
        self.clone()
    }
}

impl Arg for &Text {
    fn to_text(&self) -> Text {
        (*self).clone()
    }
}

/// A translatable message: a string literal template with `{name}` placeholders, then
/// `name = value` arguments (printable values, or [`Text`]s for translated pieces).
macro_rules! msg {
    ($template:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::base::i18n::Text::compose(
            $template,
            &[$((stringify!($name), $crate::base::i18n::Arg::to_text(&($value)))),*],
        )
    };
}
pub(crate) use msg;

/// The language messages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English (the default).
    En,
    /// Italian.
    It,
}

impl Lang {
    /// From `--lang`, else the locale variables.
    pub fn detect(flag: Option<&str>) -> Lang {
        let from_env = || {
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        };
        match flag.map(str::to_string).or_else(from_env) {
            Some(l) if l.starts_with("it") => Lang::It,
            _ => Lang::En,
        }
    }
}

/// Replaces each `{name}` of `template` by its value, in one pass (a value that contains
/// `{…}` is left as it is).
fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let value = rest[1..].find('}').and_then(|end| {
            let name = &rest[1..=end];
            args.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, end + 2))
        });
        match value {
            Some((value, len)) => {
                out.push_str(value);
                rest = &rest[len..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The Italian translation of an English template.
fn italian(template: &str) -> Option<&'static str> {
    CATALOG
        .iter()
        .find(|(en, _)| *en == template)
        .map(|(_, it)| *it)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every `msg!("…")` template written in `src/` (also when rustfmt puts the template on
    /// the line after `msg!(`).
    fn templates_in_source() -> Vec<(String, String)> {
        let mut found = Vec::new();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in walkdir::WalkDir::new(src) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            // Written with an escape so that this line is not a call itself.
            let call = "msg!\u{28}";
            let mut rest = text.as_str();
            while let Some(i) = rest.find(call) {
                let line_start = rest[..i].rfind('\n').map_or(0, |n| n + 1);
                let in_comment = rest[line_start..i].contains("//");
                rest = rest[i + call.len()..].trim_start();
                if in_comment {
                    continue;
                }
                if let Some(literal) = rest.strip_prefix('"') {
                    found.push((entry.path().display().to_string(), unescape(literal)));
                }
            }
        }
        found
    }

    /// The value of the string literal that `rest` starts (after its opening quote).
    fn unescape(rest: &str) -> String {
        let mut literal = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some('n') => literal.push('\n'),
                    Some('t') => literal.push('\t'),
                    Some('\n') => while chars.next_if(|c| c.is_whitespace()).is_some() {},
                    Some(other) => literal.push(other),
                    None => break,
                },
                '"' => break,
                c => literal.push(c),
            }
        }
        literal
    }

    fn placeholders(text: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(i) = rest.find('{') {
            rest = &rest[i + 1..];
            let Some(end) = rest.find('}') else { break };
            let name = &rest[..end];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                out.insert(name.to_string());
            }
            rest = &rest[end..];
        }
        out
    }

    #[test]
    fn every_message_has_its_italian_translation() {
        let templates = templates_in_source();
        assert!(templates.len() > 20, "the scan found the messages");
        let missing: Vec<_> = templates
            .iter()
            .filter(|(_, t)| italian(t).is_none())
            .collect();
        assert!(missing.is_empty(), "messages without Italian: {missing:#?}");
        for (en, it) in CATALOG {
            assert_eq!(
                placeholders(en),
                placeholders(it),
                "placeholders of {en:?} / {it:?}"
            );
            assert_ne!(en, it, "not translated: {en:?}");
        }
        let used: BTreeSet<&str> = templates.iter().map(|(_, t)| t.as_str()).collect();
        let unused: Vec<_> = CATALOG
            .iter()
            .filter(|(en, _)| !used.contains(en))
            .collect();
        assert!(
            unused.is_empty(),
            "translations no message uses: {unused:#?}"
        );
    }

    #[test]
    fn text_in_both_languages() {
        let t = Text {
            en: "a".into(),
            it: Some("b".into()),
        };
        assert_eq!((t.get(Lang::En), t.get(Lang::It)), ("a", "b"));
        let raw = Text::from("io error");
        assert_eq!(raw.get(Lang::It), "io error");
        assert_eq!(Lang::detect(Some("it")), Lang::It);
        assert_eq!(Lang::detect(Some("en")), Lang::En);
    }

    #[test]
    fn pieces_in_both_languages_compose() {
        let expected = Text {
            en: "an integer from 1 to 9".into(),
            it: Some("un numero intero da 1 a 9".into()),
        };
        let t = Text::compose(
            "`{field}`: expected {expected}, found {found}",
            &[
                ("field", Text::from("municipio")),
                ("expected", expected.clone()),
                ("found", Text::from("\"quattro\"")),
            ],
        );
        assert_eq!(
            t.en,
            "`municipio`: expected an integer from 1 to 9, found \"quattro\""
        );
        assert_eq!(
            t.get(Lang::It),
            "`municipio`: serve un numero intero da 1 a 9, trovato \"quattro\""
        );
        // `msg!` takes the same pieces, by value or by reference.
        let by_macro = crate::base::i18n::msg!(
            "`{field}`: expected {expected}, found {found}",
            field = "municipio",
            expected = &expected,
            found = "\"quattro\""
        );
        assert_eq!(by_macro, t);
    }

    #[test]
    fn values_are_put_in_once() {
        let t = Text::new("unknown key `{key}`", &[("key", "{key}".to_string())]);
        assert_eq!(t.en, "unknown key `{key}`");
        assert_eq!(t.get(Lang::It), "chiave sconosciuta `{key}`");
        assert_eq!(
            fill("{{ a }} {b} {c}", &[("b", "{c}"), ("c", "3")]),
            "{{ a }} {c} 3"
        );
    }
}
