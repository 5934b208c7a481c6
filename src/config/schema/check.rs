//! The check of a file's front matter against its schema: [`Checker`] walks the YAML nodes,
//! records every wrong value where it is written, and turns the rest into [`Typed`] values.
//! The checks of single values (phone numbers, opening hours, URLs, e-mail addresses) and the
//! wording of what was expected and found live here too.

use crate::base::date::{DateInput, rfc3339};
use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::yaml::{Node, NodeValue};

use super::fields::{Field, Kind, RawBounds};
use super::typed::{DAYS, Day, Phone, Reference, Slot, Typed};

/// Checks values against fields; the file's line offset shifts node lines to file lines.
pub struct Checker<'a> {
    /// The file, for diagnostics.
    pub path: &'a std::path::Path,
    /// Lines before the YAML in the file.
    pub line_offset: usize,
    /// The site's time zone, for datetimes.
    pub time_zone: &'a jiff::tz::TimeZone,
    /// Problems found.
    pub errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn error(&mut self, code: Code, node: &Node, message: Text, hint: Text) {
        self.errors.push(
            Diagnostic::new(code, self.path, message)
                .at(node.line + self.line_offset, node.column)
                .hint(hint),
        );
    }

    /// Checks the fields of `map` (a map node) against `fields`. `known` lists other keys that
    /// are allowed (built-in fields, taxonomies); `block` is where to report missing fields.
    pub fn object(
        &mut self,
        fields: &[Field],
        map: &Node,
        known: &[&str],
        block: &Node,
    ) -> Vec<(String, Typed)> {
        let entries: &[(String, Node)] = match &map.value {
            NodeValue::Map(entries) => entries,
            NodeValue::Null => &[],
            _ => {
                self.error(
                    Code::FrontMatterValue,
                    map,
                    msg!("expected a group of `key: value` lines"),
                    msg!("indent the fields under this key"),
                );
                return Vec::new();
            }
        };
        for (key, node) in entries {
            if fields.iter().all(|f| &f.name != key) && !known.contains(&key.as_str()) {
                let names = fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(known.iter().copied());
                let hint = match closest(key, names) {
                    Some(best) => msg!("did you mean `{best}`?", best = best),
                    None => msg!(
                        "the fields are: {fields}",
                        fields = fields
                            .iter()
                            .map(|f| f.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let key_node = Node {
                    value: NodeValue::Null,
                    line: node.line,
                    column: 1.max(node.column.saturating_sub(key.chars().count() + 2)),
                };
                self.error(
                    Code::FrontMatterUnknownKey,
                    &key_node,
                    msg!("unknown field `{key}`", key = key),
                    hint,
                );
            }
        }
        let mut out = Vec::new();
        for field in fields {
            match entries.iter().find(|(k, _)| *k == field.name) {
                Some((_, node)) if node.value != NodeValue::Null => {
                    if let Some(v) = self.value(&field.kind, node, &field.name) {
                        out.push((field.name.clone(), v));
                    }
                }
                _ => {
                    let default = field
                        .default
                        .as_ref()
                        .and_then(|d| d.scalar_node(block.line, block.column));
                    if let Some(node) = default {
                        if let Some(v) = self.value(&field.kind, &node, &field.name) {
                            out.push((field.name.clone(), v));
                        }
                    } else if field.required {
                        let hint = match &field.description {
                            Some(about) => msg!(
                                "add a line `{key}: …` ({description})",
                                key = field.name,
                                description = about
                            ),
                            None => msg!("add a line `{key}: …`", key = field.name),
                        };
                        self.error(
                            Code::FrontMatterRequired,
                            block,
                            msg!("the required field `{key}` is missing", key = field.name),
                            hint,
                        );
                    }
                }
            }
        }
        out
    }

    /// Checks one value; `None` when it is wrong (the error is recorded).
    pub fn value(&mut self, kind: &Kind, node: &Node, name: &str) -> Option<Typed> {
        let (text, is_string) = match &node.value {
            NodeValue::Scalar { text, is_string } => (Some(text.as_str()), *is_string),
            _ => (None, false),
        };
        let wrong = |this: &mut Self, expected: Text, hint: Text| {
            this.error(
                Code::FrontMatterValue,
                node,
                msg!(
                    "`{field}`: expected {expected}, found {found}",
                    field = name,
                    expected = expected,
                    // Described only for the message: most values are right.
                    found = describe(node)
                ),
                hint,
            );
            None
        };
        match kind {
            Kind::String | Kind::Text => match text {
                Some(t) => Some(Typed::Text(t.to_string())),
                None => wrong(
                    self,
                    msg!("a text"),
                    msg!("write the text on the same line, in quotes if it contains `: ` or `#`"),
                ),
            },
            Kind::Integer { min, max } => {
                let n = text.and_then(|t| t.trim().parse::<i64>().ok());
                match n {
                    Some(n) if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) => {
                        Some(Typed::Integer(n))
                    }
                    _ => wrong(
                        self,
                        integer_expectation(*min, *max),
                        msg!("write a whole number in digits, e.g. 4"),
                    ),
                }
            }
            Kind::Number { min, max } => {
                let n = text
                    .and_then(|t| t.trim().parse::<f64>().ok())
                    .filter(|n| n.is_finite());
                match n {
                    Some(n) if min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) => {
                        Some(Typed::Number(n))
                    }
                    _ => wrong(
                        self,
                        number_expectation(*min, *max),
                        msg!("write a number with a dot for decimals, e.g. 45.46"),
                    ),
                }
            }
            Kind::Bool => match (text, is_string) {
                (Some("true"), false) => Some(Typed::Bool(true)),
                (Some("false"), false) => Some(Typed::Bool(false)),
                _ => wrong(
                    self,
                    msg!("true or false"),
                    msg!("write `true` or `false` (not sì/no)"),
                ),
            },
            Kind::Date => match text.map(DateInput::parse) {
                Some(Ok(DateInput::Day(d))) => Some(Typed::Text(d.to_string())),
                _ => wrong(
                    self,
                    msg!("a date like 2018-10-26"),
                    msg!("write year-month-day with hyphens"),
                ),
            },
            Kind::Datetime => match text.map(DateInput::parse) {
                Some(Ok(d)) => Some(Typed::Text(rfc3339(&d.resolve(self.time_zone)))),
                _ => wrong(
                    self,
                    msg!("a date and time like 2018-10-26T17:00:00+02:00"),
                    msg!("write year-month-day, a T, then hours:minutes:seconds"),
                ),
            },
            Kind::Enum(values) => match text {
                Some(t) if values.iter().any(|v| v == t) => Some(Typed::Text(t.to_string())),
                _ => {
                    let hint =
                        match text.and_then(|t| closest(t, values.iter().map(String::as_str))) {
                            Some(best) => msg!("did you mean `{best}`?", best = best),
                            None => msg!("write one of: {values}", values = values.join(", ")),
                        };
                    wrong(
                        self,
                        msg!("one of {values}", values = values.join(", ")),
                        hint,
                    )
                }
            },
            Kind::Url => match text {
                Some(t) if is_url(t) => Some(Typed::Text(t.to_string())),
                _ => wrong(
                    self,
                    msg!("an address starting with https://"),
                    msg!("copy the full address from the browser"),
                ),
            },
            Kind::Email => match text {
                Some(t) if is_email(t) => Some(Typed::Text(t.trim().to_string())),
                _ => wrong(
                    self,
                    msg!("an e-mail address"),
                    msg!("write it like nome@comune.milano.it"),
                ),
            },
            Kind::Phone => match text.and_then(phone) {
                Some(p) => Some(Typed::Phone(p)),
                None => wrong(
                    self,
                    msg!("an Italian phone number"),
                    msg!("write it like 02 8845 8041 (in quotes is safest)"),
                ),
            },
            Kind::Reference(section) => match text {
                Some(t) if crate::base::slug::is_slug(t.trim()) => {
                    Some(Typed::Reference(Reference {
                        target: format!("{section}/{}.md", t.trim()),
                        line: node.line + self.line_offset,
                        column: node.column,
                    }))
                }
                _ => wrong(
                    self,
                    msg!("the file name of a page in {section}/", section = section),
                    msg!("write the file name without .md, e.g. via-piazzetta"),
                ),
            },
            Kind::List(item) => match &node.value {
                NodeValue::List(items) => {
                    let checked: Vec<Option<Typed>> =
                        items.iter().map(|i| self.value(item, i, name)).collect();
                    checked
                        .into_iter()
                        .collect::<Option<Vec<_>>>()
                        .map(Typed::List)
                }
                NodeValue::Scalar { .. } => {
                    self.value(item, node, name).map(|v| Typed::List(vec![v]))
                }
                _ => wrong(
                    self,
                    msg!("a list"),
                    msg!("write `[a, b]` or one `- item` per line"),
                ),
            },
            Kind::Object(fields) => {
                let values = self.object(fields, node, &[], node);
                Some(Typed::Object(values))
            }
            Kind::Geo(bounds) => self.geo(node, name, *bounds),
            Kind::OpeningHours => self.hours(node, name),
        }
    }

    fn geo(&mut self, node: &Node, name: &str, bounds: Option<RawBounds>) -> Option<Typed> {
        let coordinate = |key: &str| {
            node.get(key).and_then(|n| match &n.value {
                NodeValue::Scalar { text, .. } => text.trim().parse::<f64>().ok().map(|v| (v, n)),
                _ => None,
            })
        };
        let (Some((lat, lat_node)), Some((lon, lon_node))) = (coordinate("lat"), coordinate("lon"))
        else {
            self.error(
                Code::FrontMatterValue,
                node,
                msg!(
                    "`{field}`: expected a position with `lat` and `lon`",
                    field = name
                ),
                msg!("write `{ lat: 45.4781, lon: 9.2046 }`"),
            );
            return None;
        };
        let mut ok = true;
        if let Some(b) = bounds {
            for (v, n, [lo, hi], what) in [
                (lat, lat_node, b.lat(), msg!("latitude")),
                (lon, lon_node, b.lon(), msg!("longitude")),
            ] {
                if !(lo..=hi).contains(&v) {
                    self.error(
                        Code::FrontMatterValue,
                        n,
                        msg!(
                            "`{field}`: the {what} {value} is outside the allowed area ({min} to {max})",
                            field = name,
                            what = what,
                            value = v,
                            min = lo,
                            max = hi
                        ),
                        msg!("check the coordinates: they may be swapped or mistyped"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(Typed::Geo { lat, lon })
    }

    fn hours(&mut self, node: &Node, name: &str) -> Option<Typed> {
        let NodeValue::Map(entries) = &node.value else {
            self.error(
                Code::FrontMatterValue,
                node,
                msg!("`{field}`: expected days with their hours", field = name),
                msg!("write one line per day, e.g. `mon: 09:00-13:00`"),
            );
            return None;
        };
        let mut days: Vec<Day> = DAYS
            .iter()
            .map(|(day, name)| Day {
                day,
                name,
                known: false,
                closed: false,
                slots: Vec::new(),
            })
            .collect();
        let mut ok = true;
        for (key, value) in entries {
            let Some(day) = days.iter_mut().find(|d| d.day == key) else {
                let hint = match closest(key, DAYS.iter().map(|(d, _)| *d)) {
                    Some(best) => msg!("did you mean `{best}`?", best = best),
                    None => msg!("the days are mon, tue, wed, thu, fri, sat, sun"),
                };
                let key_node = Node {
                    value: NodeValue::Null,
                    line: value.line,
                    column: 1,
                };
                self.error(
                    Code::FrontMatterValue,
                    &key_node,
                    msg!("`{field}`: `{key}` is not a day", field = name, key = key),
                    hint,
                );
                ok = false;
                continue;
            };
            day.known = true;
            let items: Vec<&Node> = match &value.value {
                NodeValue::List(items) => items.iter().collect(),
                _ => vec![value],
            };
            for item in items {
                let text = match &item.value {
                    NodeValue::Scalar { text, .. } => text.trim(),
                    _ => "",
                };
                if matches!(text, "closed" | "chiuso") {
                    day.closed = true;
                } else if let Some(slot) = slot(text) {
                    day.slots.push(slot);
                } else {
                    self.error(
                        Code::FrontMatterValue,
                        item,
                        msg!(
                            "`{field}`: expected a time range like 09:00-13:00 or `closed`, found {found}",
                            field = name,
                            found = describe(item)
                        ),
                        msg!("write hours and minutes with two digits each: 09:00-13:00"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(Typed::Hours(days))
    }
}

/// How a found value is described in messages: `"quattro"`, `4`, a list, a group of fields.
fn describe(node: &Node) -> Text {
    match &node.value {
        NodeValue::Null => msg!("nothing"),
        NodeValue::Scalar {
            text,
            is_string: true,
        } => Text::from(format!("\"{text}\"")),
        NodeValue::Scalar { text, .. } => Text::from(text.as_str()),
        NodeValue::List(_) => msg!("a list"),
        NodeValue::Map(_) => msg!("a group of fields"),
    }
}

/// "an integer from 1 to 9", as it goes after "expected".
fn integer_expectation(min: Option<i64>, max: Option<i64>) -> Text {
    match (min, max) {
        (Some(a), Some(b)) => msg!("an integer from {min} to {max}", min = a, max = b),
        (Some(a), None) => msg!("an integer of at least {min}", min = a),
        (None, Some(b)) => msg!("an integer of at most {max}", max = b),
        (None, None) => msg!("an integer"),
    }
}

/// "a number from 45.3 to 45.6", as it goes after "expected".
fn number_expectation(min: Option<f64>, max: Option<f64>) -> Text {
    match (min, max) {
        (Some(a), Some(b)) => msg!("a number from {min} to {max}", min = a, max = b),
        (Some(a), None) => msg!("a number of at least {min}", min = a),
        (None, Some(b)) => msg!("a number of at most {max}", max = b),
        (None, None) => msg!("a number"),
    }
}

fn is_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or_default();
        host.contains('.') && !r.contains(char::is_whitespace)
    })
}

/// `nome@dominio.it`. Templates print an address after `mailto:`: characters that mean
/// something else in a URL or in markup (`:`, `<`, quotes, commas …) are refused, so the value
/// is one address and nothing more.
fn is_email(text: &str) -> bool {
    let t = text.trim();
    let plain = |c: char| !(c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"'".contains(c));
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && t.chars().all(plain)
        }
        None => false,
    }
}

/// An Italian number: landline (0…), mobile (3…), or toll-free (80…), 6 to 11 digits after
/// an optional +39 / 0039.
fn phone(text: &str) -> Option<Phone> {
    let trimmed = text.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " +-./()".contains(c)))
    {
        return None;
    }
    let national = if trimmed.starts_with('+') {
        digits.strip_prefix("39")?
    } else {
        digits.strip_prefix("0039").unwrap_or(&digits)
    };
    let valid = (6..=11).contains(&national.len())
        && (national.starts_with('0') || national.starts_with('3'));
    valid.then(|| Phone {
        display: trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
        e164: format!("+39{national}"),
        href: format!("tel:+39{national}"),
    })
}

/// `09:00-13:00` → a slot, opening before closing.
fn slot(text: &str) -> Option<Slot> {
    let (opens, closes) = text.split_once('-')?;
    let valid = |t: &str| {
        let (h, m) = t.trim().split_once(':')?;
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (h < 24 && m < 60 && t.trim().len() == 5).then(|| format!("{h:02}:{m:02}"))
    };
    let (opens, closes) = (valid(opens)?, valid(closes)?);
    (opens < closes).then_some(Slot { opens, closes })
}

#[cfg(test)]
mod tests;
