//! Front matter: splitting a file into its YAML block and its markdown body, and the raw
//! fields as written.
//!
//! The raw struct is read by a hand-written map visitor rather than `#[derive]`: taxonomy keys
//! are declared in `site.yaml`, so unknown keys must be collected, and serde's `flatten` would
//! buffer the values and lose the line and column of every type error.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

use crate::base::date::DateInput;
use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;
use crate::base::yaml::YamlValue;
use crate::config::SortBy;

/// A content file cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Lines before the YAML (the opening `---`): add it to a YAML line to get the file line.
    pub yaml_line_offset: usize,
    /// The markdown after the closing `---`.
    pub body: &'a str,
}

/// Why a file could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    NoFrontMatter,
    /// No closing `---` line.
    Unclosed(Option<CloseAt>),
}

/// Where the closing `---` of front matter that has none probably belongs (1-based lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseAt {
    /// A line of dashes that is not exactly `---` (`--`, `----`, ` ---`): meant as the close.
    Dashes(usize),
    /// The first line that cannot be front matter: text, or a markdown heading after a blank
    /// line. The closing line goes before it.
    Before(usize),
}

impl SplitError {
    /// The diagnostic for a content file at `path` that could not be split.
    pub fn diagnostic(self, path: &Path) -> Diagnostic {
        match self {
            SplitError::NoFrontMatter => Diagnostic::new(
                Code::FrontMatterMissing,
                path,
                msg!("the file does not start with front matter"),
            )
            .at_line(1)
            .hint(msg!(
                "begin the file with a line `---`, then `title: \"…\"`, then another `---` line"
            )),
            SplitError::Unclosed(close) => {
                let d = Diagnostic::new(
                    Code::FrontMatterUnclosed,
                    path,
                    msg!("the front matter opened here is never closed by a `---` line"),
                )
                .at(1, 1);
                d.hint(match close {
                    Some(CloseAt::Dashes(line)) => msg!(
                        "line {line} looks like the closing line but is not exactly `---`: write it as three dashes alone on their line",
                        line = line
                    ),
                    Some(CloseAt::Before(line)) => msg!(
                        "add a line `---` after the last field, before line {line} where the text begins",
                        line = line
                    ),
                    None => msg!("add a line `---` after the last field, before the text"),
                })
            }
        }
    }
}

/// Where the closing `---` of front matter that has none probably belongs, looking at the
/// lines after the opening one.
fn close_at(text: &str) -> Option<CloseAt> {
    let mut after_blank = false;
    for (i, line) in text.lines().enumerate().skip(1) {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed.len() >= 2 && trimmed.chars().all(|c| c == '-') {
            return Some(CloseAt::Dashes(number));
        }
        let content = line.trim_end();
        let is_field = || {
            let key_end = content
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(content.len());
            let after = &content[key_end..];
            key_end > 0 && (after == ":" || after.starts_with(": "))
        };
        let belongs = content.is_empty()
            || content.starts_with([' ', '\t', '-', '[', '{', '"', '\''])
            || (content.starts_with('#') && !after_blank)
            || is_field();
        if !belongs {
            return Some(CloseAt::Before(number));
        }
        after_blank = content.is_empty();
    }
    None
}

/// Splits `text` (BOM already removed, `\n` line ends) into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoFrontMatter)?;
    if first.trim_end() != "---" {
        return Err(SplitError::NoFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for line in lines {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed(close_at(text)))
}

/// The front matter fields as written, before any checks.
#[derive(Debug, Default)]
pub struct RawFrontMatter {
    /// `title`: the page's title.
    pub title: Option<String>,
    /// `description`: one sentence for listings, feeds and search engines.
    pub description: Option<String>,
    /// `date`: when the page was published.
    pub date: Option<DateInput>,
    /// `updated`: when it last changed.
    pub updated: Option<DateInput>,
    /// `draft`: left out of the build unless drafts are asked for.
    pub draft: Option<bool>,
    /// `slug`: the last part of the page's address, instead of its file name.
    pub slug: Option<String>,
    /// `weight`: the order in sections sorted by weight.
    pub weight: Option<i64>,
    /// `aliases`: old addresses that redirect to the page.
    pub aliases: Option<Vec<String>>,
    /// `template`: the template that renders the page, instead of the section's.
    pub template: Option<String>,
    /// `extra`: free values for the theme.
    pub extra: Option<YamlValue>,
    /// `paginate_by` (sections): pages per listing page.
    pub paginate_by: Option<usize>,
    /// `sort_by` (sections): how the section orders its pages.
    pub sort_by: Option<SortBy>,
    /// `feed` (sections): whether the section has feeds.
    pub feed: Option<bool>,
    /// Every other key: taxonomy terms, or mistakes.
    pub other: BTreeMap<String, YamlValue>,
}

impl<'de> Deserialize<'de> for RawFrontMatter {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(FrontMatterVisitor)
    }
}

struct FrontMatterVisitor;

fn once<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> Visitor<'de> for FrontMatterVisitor {
    type Value = RawFrontMatter;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("front matter: `key: value` lines")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawFrontMatter, A::Error> {
        let mut m = RawFrontMatter::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "title" => once(&mut m.title, &mut map, "title")?,
                "description" => once(&mut m.description, &mut map, "description")?,
                "date" => once(&mut m.date, &mut map, "date")?,
                "updated" => once(&mut m.updated, &mut map, "updated")?,
                "draft" => once(&mut m.draft, &mut map, "draft")?,
                "slug" => once(&mut m.slug, &mut map, "slug")?,
                "weight" => once(&mut m.weight, &mut map, "weight")?,
                "aliases" => once(&mut m.aliases, &mut map, "aliases")?,
                "template" => once(&mut m.template, &mut map, "template")?,
                "extra" => once(&mut m.extra, &mut map, "extra")?,
                "paginate_by" => once(&mut m.paginate_by, &mut map, "paginate_by")?,
                "sort_by" => once(&mut m.sort_by, &mut map, "sort_by")?,
                "feed" => once(&mut m.feed, &mut map, "feed")?,
                _ => {
                    let value = map.next_value()?;
                    if m.other.insert(key.clone(), value).is_some() {
                        return Err(de::Error::custom(format!("duplicate field `{key}`")));
                    }
                }
            }
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::yaml;

    #[test]
    fn split_finds_both_parts() {
        let s = split("---\ntitle: x\n---\ncorpo\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "corpo\n");
        let s = split("---\n---\n").unwrap();
        assert_eq!((s.yaml, s.body), ("", ""));
        assert_eq!(split("titolo\n"), Err(SplitError::NoFrontMatter));
        assert_eq!(split(""), Err(SplitError::NoFrontMatter));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed(None)));
    }

    #[test]
    fn raw_fields_and_other_keys() {
        let m: RawFrontMatter =
            yaml::parse("title: Ciao\nweight: 3\nmunicipio: 4\ntags: [a, b]\n").unwrap();
        assert_eq!(m.title.as_deref(), Some("Ciao"));
        assert_eq!(m.weight, Some(3));
        assert_eq!(m.other.len(), 2);
    }

    /// Every wrong value is reported at once, each where it is written, with nothing else.
    #[test]
    fn every_wrong_value_is_reported_at_once() {
        let text = "title: Ciao\nupdated: 2026-13-02\nweight: abc\nextra:\n  a: 1\n\
                    draft: forse\naliases:\n  a: b\nslug: ok\n";
        let errors = yaml::Parsed::new(text)
            .unwrap()
            .typed_all::<RawFrontMatter>()
            .unwrap_err();
        let found: Vec<(Option<usize>, Option<usize>, &str)> = errors
            .iter()
            .map(|e| (e.line, e.column, e.message.en.as_str()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        let lines: Vec<Option<usize>> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(6), Some(8)], "{found:?}");
        assert_eq!(found[1].1, Some(9));
        assert!(found[0].2.starts_with("`updated`"), "{found:?}");
        assert!(found[1].2.starts_with("`weight`"), "{found:?}");
        // One wrong value alone, as `parse` gives it; a good text reads.
        let one = yaml::Parsed::new("weight: tre\n").unwrap();
        let errors = one.typed_all::<RawFrontMatter>().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (Some(1), Some(9)));
        let good = yaml::Parsed::new("title: a\nweight: 2\n").unwrap();
        assert_eq!(good.typed_all::<RawFrontMatter>().unwrap().weight, Some(2));
    }

    #[test]
    fn type_errors_keep_their_position() {
        let e = yaml::parse::<RawFrontMatter>("title: Ciao\nweight: tre\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(9)));
        let e = yaml::parse::<RawFrontMatter>("title: a\ndate: 26/10/2018\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.message.en, "`date`: `26/10/2018` is not a valid date");
        let e = yaml::parse::<RawFrontMatter>("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(e.message.en, "the key `title` appears twice");
    }
}
