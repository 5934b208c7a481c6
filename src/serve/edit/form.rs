//! The form of one page: its section's schema as field descriptions ([`FieldSpec`]), its front
//! matter as values ([`open`]), and the values the editor sends back written into the file by
//! minimal edits ([`apply`]): only the values that changed are touched, every other byte
//! (comments, key order, quoting, line ends, BOM, the body when unchanged) stays as it was.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::{Lang, msg};
use crate::base::yaml::edit::{Emit, Step, Style, YamlEdit};
use crate::base::yaml::{self, KeyCodes, NodeValue, Parsed};
use crate::config::Config;
use crate::config::schema::{DAYS, Field, Kind};
use crate::content::front_matter;
use crate::serve::edit::check::{FieldError, placed};

/// What the editor page needs to show one page's form (serialized as the `api/page` JSON).
#[derive(Debug, serde::Serialize)]
pub struct PageForm {
    /// Content-relative path, `/`-separated: `spazi/via-piazzetta.md`.
    pub page: String,
    /// The section: `spazi`.
    pub section: String,
    /// Hex SHA-256 of the file's bytes as read.
    pub version: String,
    /// The title, whether it is a draft, the schema's other fields in its order, then the
    /// page's other keys.
    pub fields: Vec<FieldSpec>,
    /// The front matter's values: a JSON object (see the contract's "Values").
    pub values: Value,
    /// The markdown after the front matter, line ends as LF.
    pub body: String,
    /// Section → its pages, for the references of the form.
    pub references: BTreeMap<String, Vec<Choice>>,
}

/// A page a reference may name.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Choice {
    /// The file stem.
    pub value: String,
    /// The page's title.
    pub label: String,
}

/// One field of the form.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldSpec {
    /// Its front matter key.
    pub name: String,
    /// Its schema `label`, else its name with spaces for `_`, capitalised.
    pub label: String,
    /// Its schema `description`.
    pub help: Option<String>,
    /// Whether the page must have it.
    pub required: bool,
    /// string text integer number bool date datetime enum list object url email phone
    /// opening_hours reference geo.
    pub kind: &'static str,
    /// Smallest value (integer, number, geo's `lat` and `lon`).
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
    /// The choices of an enum.
    pub values: Vec<String>,
    /// A list's items.
    pub items: Option<Box<FieldSpec>>,
    /// An object's fields; geo has `lat` and `lon`.
    pub fields: Vec<FieldSpec>,
    /// The section a reference names a page of.
    pub section: Option<String>,
    /// A key of the page that neither the engine nor the schema knows: shown, never edited
    /// (an addition to the contract, so that the form can show it as read-only).
    pub read_only: bool,
}

impl FieldSpec {
    fn new(name: &str, label: Option<&str>, kind: &'static str) -> FieldSpec {
        FieldSpec {
            name: name.to_string(),
            label: label.map_or_else(|| label_of(name), str::to_string),
            help: None,
            required: false,
            kind,
            min: None,
            max: None,
            values: Vec::new(),
            items: None,
            fields: Vec::new(),
            section: None,
            read_only: false,
        }
    }

    /// The spec of a schema field.
    fn of(field: &Field) -> FieldSpec {
        let mut spec = FieldSpec::of_kind(&field.name, field.label.as_deref(), &field.kind);
        spec.help = field.description.clone();
        spec.required = field.required;
        spec
    }

    fn of_kind(name: &str, label: Option<&str>, kind: &Kind) -> FieldSpec {
        let mut spec = FieldSpec::new(name, label, kind_name(kind));
        match kind {
            Kind::Integer { min, max } => {
                spec.min = min.map(|v| v as f64);
                spec.max = max.map(|v| v as f64);
            }
            Kind::Number { min, max } => (spec.min, spec.max) = (*min, *max),
            Kind::Enum(values) => spec.values = values.clone(),
            Kind::List(items) => {
                spec.items = Some(Box::new(FieldSpec::of_kind(name, label, items)))
            }
            Kind::Object(fields) => spec.fields = fields.iter().map(FieldSpec::of).collect(),
            Kind::Geo(bounds) => {
                spec.fields = [
                    ("lat", bounds.map(|b| b.lat())),
                    ("lon", bounds.map(|b| b.lon())),
                ]
                .into_iter()
                .map(|(axis, range)| {
                    let mut coordinate = FieldSpec::new(axis, None, "number");
                    coordinate.required = true;
                    coordinate.min = range.map(|r| r[0]);
                    coordinate.max = range.map(|r| r[1]);
                    coordinate
                })
                .collect();
            }
            Kind::Reference(section) => spec.section = Some(section.clone()),
            _ => {}
        }
        spec
    }
}

/// `opening_hours` → `Opening hours`.
fn label_of(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::String => "string",
        Kind::Text => "text",
        Kind::Integer { .. } => "integer",
        Kind::Number { .. } => "number",
        Kind::Bool => "bool",
        Kind::Date => "date",
        Kind::Datetime => "datetime",
        Kind::Enum(_) => "enum",
        Kind::List(_) => "list",
        Kind::Object(_) => "object",
        Kind::Url => "url",
        Kind::Email => "email",
        Kind::Phone => "phone",
        Kind::OpeningHours => "opening_hours",
        Kind::Geo(_) => "geo",
        Kind::Reference(_) => "reference",
    }
}

/// The section of a content-relative page path, and whether the page has its schema (a page,
/// not the section's own `_index`).
fn section_of(page: &str) -> (&str, bool) {
    match page.split_once('/') {
        Some((section, rest)) => {
            let stem = rest.rsplit('/').next().unwrap_or(rest);
            (section, !stem.starts_with("_index"))
        }
        None => ("", false),
    }
}

/// The fields of a page of `section` (with `schema` when the page has one): the title (the
/// schema's, or the engine's), `draft` unless the schema declares it, then the schema's.
fn specs(config: &Config, section: &str, with_schema: bool) -> Vec<FieldSpec> {
    let schema = with_schema.then(|| config.schemas.get(section)).flatten();
    let mut fields: Vec<FieldSpec> = schema
        .iter()
        .flat_map(|s| &s.fields)
        .map(FieldSpec::of)
        .collect();
    // Every page needs a title, whatever its schema says; it comes first, then whether the
    // page is a draft, then the schema's other fields in its order.
    let mut title = match fields.iter().position(|f| f.name == "title") {
        Some(i) => fields.remove(i),
        None => FieldSpec::new("title", Some("Titolo"), "string"),
    };
    title.required = true;
    let mut specs = vec![title];
    if !fields.iter().any(|f| f.name == "draft") {
        specs.push(FieldSpec::new("draft", Some("Bozza"), "bool"));
    }
    specs.extend(fields);
    specs
}

/// A front matter split out of a file's text, with what surrounds it.
struct Parts<'a> {
    bom: bool,
    /// The file's text without BOM.
    text: &'a str,
    yaml_start: usize,
    yaml: &'a str,
    body_start: usize,
}

fn parts<'a>(text: &'a str, shown: &Path) -> Result<Parts<'a>, Diagnostic> {
    let bom = text.starts_with('\u{feff}');
    let text = crate::base::fs::without_bom(text);
    let split = front_matter::split(text).map_err(|e| e.diagnostic(shown))?;
    let yaml_start = text.find('\n').map_or(text.len(), |i| i + 1);
    Ok(Parts {
        bom,
        text,
        yaml_start,
        yaml: split.yaml,
        body_start: text.len() - split.body.len(),
    })
}

/// The front matter's values as the form shows them: scalars as written (unquoted), lists as
/// arrays, maps as objects; a `bool` field's `true`/`false` as JSON booleans; a key the spec
/// does not know as the text of its value.
fn values_of(
    yaml: &str,
    specs: &[FieldSpec],
    shown: &Path,
) -> Result<Map<String, Value>, Diagnostic> {
    let parsed =
        Parsed::new(yaml).map_err(|e| e.into_diagnostic(shown, 1, KeyCodes::FRONT_MATTER))?;
    let root = parsed.nodes();
    let outline = yaml::outline::outline(yaml);
    let mut values = Map::new();
    if let NodeValue::Map(entries) = &root.value {
        for (key, node) in entries {
            let value = match specs.iter().find(|s| s.name == *key) {
                Some(spec) => json_of(&node.value, Some(spec)),
                None => match &node.value {
                    NodeValue::List(_) | NodeValue::Map(_) => outline
                        .get(key)
                        .map(|o| Value::String(yaml[o.span.clone()].to_string()))
                        .unwrap_or(Value::Null),
                    other => json_of(other, None),
                },
            };
            if !value.is_null() {
                values.insert(key.clone(), value);
            }
        }
    }
    Ok(values)
}

fn json_of(value: &NodeValue, spec: Option<&FieldSpec>) -> Value {
    match value {
        NodeValue::Null => Value::Null,
        NodeValue::Scalar { text, is_string } => match (spec.map(|s| s.kind), text.as_str()) {
            (Some("bool"), "true" | "false") if !is_string => Value::Bool(text == "true"),
            _ => Value::String(text.clone()),
        },
        NodeValue::List(items) => {
            let items_spec = spec.and_then(|s| s.items.as_deref());
            Value::Array(
                items
                    .iter()
                    .map(|i| json_of(&i.value, items_spec))
                    .collect(),
            )
        }
        NodeValue::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let inner = spec.and_then(|s| s.fields.iter().find(|f| f.name == *k));
                    (k.clone(), json_of(&v.value, inner))
                })
                .collect(),
        ),
    }
}

/// The hex SHA-256 of `bytes`: the version of a file the editor opened.
pub fn version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Reads `page` (already checked by guard: a regular file under content/, no symlink).
pub fn open(
    root: &Path,
    config: &Config,
    page: &str,
    file: &Path,
) -> Result<PageForm, Vec<Diagnostic>> {
    let shown = Path::new(crate::base::layout::CONTENT_DIR).join(page);
    let bytes = std::fs::read(file).map_err(|err| {
        vec![Diagnostic::new(
            Code::io(&err),
            &shown,
            msg!("cannot read the file: {error}", error = err),
        )]
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| vec![not_utf8(&shown)])?;
    let parts = parts(text, &shown).map_err(|d| vec![d])?;
    let (section, with_schema) = section_of(page);
    let mut fields = specs(config, section, with_schema);
    let values = values_of(parts.yaml, &fields, &shown).map_err(|d| vec![d])?;
    for key in values.keys() {
        if !fields.iter().any(|f| f.name == *key) {
            let mut other = FieldSpec::new(key, Some(key), "string");
            other.read_only = true;
            fields.push(other);
        }
    }
    let mut references = BTreeMap::new();
    collect_references(root, &fields, &mut references);
    Ok(PageForm {
        page: page.to_string(),
        section: section.to_string(),
        version: version(&bytes),
        fields,
        values: Value::Object(values),
        body: parts.text[parts.body_start..].replace("\r\n", "\n"),
        references,
    })
}

fn not_utf8(shown: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::FileEncoding,
        shown,
        msg!("the file is not valid UTF-8 text"),
    )
    .hint(msg!(
        "save the file with the UTF-8 encoding (most editors offer it in \"Save as\")"
    ))
}

/// The pages of every section a reference of `specs` names, by file stem, with their titles.
fn collect_references(
    root: &Path,
    specs: &[FieldSpec],
    references: &mut BTreeMap<String, Vec<Choice>>,
) {
    for spec in specs {
        if let Some(section) = &spec.section
            && !references.contains_key(section)
        {
            references.insert(section.clone(), choices(root, section));
        }
        collect_references(root, &spec.fields, references);
        if let Some(items) = &spec.items {
            collect_references(root, std::slice::from_ref(items), references);
        }
    }
}

/// The pages of `section` (translations and the section's own page left out), by file stem.
fn choices(root: &Path, section: &str) -> Vec<Choice> {
    let dir = root.join(crate::base::layout::CONTENT_DIR).join(section);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut choices: Vec<Choice> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".md")?;
            if stem.contains('.')
                || stem.starts_with(['_', '.'])
                || !entry.file_type().ok()?.is_file()
            {
                return None;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let title = front_matter::split(crate::base::fs::without_bom(&text))
                .ok()
                .and_then(|split| Parsed::new(split.yaml).ok().map(|p| p.nodes()))
                .and_then(|root| match root.get("title").map(|t| &t.value) {
                    Some(NodeValue::Scalar { text, .. }) => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| stem.to_string());
            Some(Choice {
                value: stem.to_string(),
                label: title,
            })
        })
        .collect();
    choices.sort_by(|a, b| a.value.cmp(&b.value));
    choices
}

/// The file's new bytes: `original`, the file of `page` (content-relative), with only the
/// changed values edited in place (comments, key order, quoting, line endings, BOM and
/// unchanged body bytes kept). Its fields are those its form showed: a section's `_index`
/// has no schema, so its lists stay lists.
pub fn apply(
    original: &[u8],
    config: &Config,
    page: &str,
    values: &Value,
    body: &str,
) -> Result<Vec<u8>, Vec<FieldError>> {
    let shown = Path::new(crate::base::layout::CONTENT_DIR).join(page);
    let fail = |d: Diagnostic| placed(&[d], None, Lang::It);
    let text = std::str::from_utf8(original).map_err(|_| fail(not_utf8(&shown)))?;
    let parts = parts(text, &shown).map_err(fail)?;
    let (section, with_schema) = section_of(page);
    let specs = specs(config, section, with_schema);
    let old = values_of(parts.yaml, &specs, &shown).map_err(|d| placed(&[d], None, Lang::It))?;
    let new: Map<String, Value> = specs
        .iter()
        .filter_map(|spec| {
            let value = values.get(&spec.name)?;
            Some((spec.name.clone(), normalized(spec, value)))
        })
        .collect();
    let mut edit = YamlEdit::new(parts.yaml);
    let present: Vec<String> = match &edit.outline().kind {
        yaml::outline::OutlineKind::Map(entries) => {
            entries.iter().map(|(k, _, _)| k.clone()).collect()
        }
        _ => Vec::new(),
    };
    let mut failed = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let path = [Step::Key(spec.name.clone())];
        let after = specs[..i]
            .iter()
            .rev()
            .find(|s| present.contains(&s.name))
            .map(|s| s.name.as_str());
        let result = change(
            &mut edit,
            &path,
            spec,
            old.get(&spec.name),
            new.get(&spec.name),
            present.contains(&spec.name),
            after,
        );
        if result.is_err() {
            failed.push(spec.name.clone());
        }
    }
    if !failed.is_empty() {
        return Err(failed.into_iter().map(|name| not_in_place(&name)).collect());
    }
    let yaml = edit.finish();
    // What the edited text reads as must be what was sent, and the rest as it was: else the
    // outline did not follow the text (a flow collection over several lines), and nothing is
    // written.
    let reread = values_of(&yaml, &specs, &shown).unwrap_or_default();
    let unlike: Vec<String> = specs
        .iter()
        .filter(|spec| {
            let sent = new.get(&spec.name);
            let unticked = sent == Some(&Value::Bool(false)) && !old.contains_key(&spec.name);
            let expected = if unticked {
                None
            } else {
                sent.and_then(comparable)
            };
            expected != reread.get(&spec.name).and_then(comparable)
        })
        .map(|spec| spec.name.clone())
        .chain(
            old.iter()
                .filter(|(key, value)| {
                    !specs.iter().any(|s| s.name == **key) && reread.get(*key) != Some(value)
                })
                .map(|(key, _)| key.clone()),
        )
        .collect();
    if !unlike.is_empty() {
        return Err(unlike.iter().map(|name| not_in_place(name)).collect());
    }
    let original_body = &parts.text[parts.body_start..];
    let crlf = parts.text.contains("\r\n");
    let body = if original_body.replace("\r\n", "\n") == body.replace("\r\n", "\n") {
        original_body.to_string()
    } else if crlf {
        body.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        body.replace("\r\n", "\n")
    };
    let mut out = String::with_capacity(text.len() + body.len());
    if parts.bom {
        out.push('\u{feff}');
    }
    out.push_str(&parts.text[..parts.yaml_start]);
    out.push_str(&yaml);
    out.push_str(&parts.text[parts.yaml_start + parts.yaml.len()..parts.body_start]);
    out.push_str(&body);
    Ok(out.into_bytes())
}

/// The error of a field whose value the outline cannot place, so it cannot be edited here.
fn not_in_place(name: &str) -> FieldError {
    let text = msg!(
        "`{field}` is written in a way the editor cannot change in place",
        field = name
    );
    let hint = msg!("change it in the file with a text editor");
    FieldError {
        field: Some(vec![Value::String(name.to_string())]),
        body: false,
        line: None,
        column: None,
        code: Code::FrontMatterValue.as_str().to_string(),
        message: text.get(Lang::It).to_string(),
        hint: Some(hint.get(Lang::It).to_string()),
    }
}

/// `value` as the field `spec` writes it: a day of opening hours with one slot is that slot.
fn normalized(spec: &FieldSpec, value: &Value) -> Value {
    match value {
        Value::Object(map) if spec.kind == "opening_hours" => Value::Object(
            map.iter()
                .map(|(day, slots)| match slots {
                    Value::Array(one) if one.len() == 1 => (day.clone(), one[0].clone()),
                    other => (day.clone(), other.clone()),
                })
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(
                    |(key, v)| match spec.fields.iter().find(|f| f.name == *key) {
                        Some(field) => (key.clone(), normalized(field, v)),
                        None => (key.clone(), v.clone()),
                    },
                )
                .collect(),
        ),
        Value::Array(items) => match spec.items.as_deref() {
            Some(item) => Value::Array(items.iter().map(|i| normalized(item, i)).collect()),
            None => value.clone(),
        },
        other => other.clone(),
    }
}

/// A value as written text, for comparing what was sent with what the file reads as: scalars
/// as strings, no empty values, `None` for no value at all.
fn comparable(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::String(_) => Some(value.clone()),
        Value::Bool(b) => Some(Value::String(b.to_string())),
        Value::Number(n) => Some(Value::String(n.to_string())),
        Value::Array(items) if items.is_empty() => None,
        Value::Array(items) => Some(Value::Array(
            items
                .iter()
                .map(|i| comparable(i).unwrap_or(Value::String(String::new())))
                .collect(),
        )),
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), comparable(v)?)))
                .collect();
            (!kept.is_empty()).then_some(Value::Object(kept))
        }
    }
}

/// A submitted value as what it means: an empty string, `null`, an empty list or object is
/// no value.
fn given(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    })
}

/// Edits the value at `path` from `old` to `new` (a key of its map, `present` in the text when
/// written there, perhaps as null), inserted after the key `after` gives when new.
fn change(
    edit: &mut YamlEdit,
    path: &[Step],
    spec: &FieldSpec,
    old: Option<&Value>,
    new: Option<&Value>,
    present: bool,
    after: Option<&str>,
) -> Result<(), yaml::edit::EditError> {
    if spec.read_only {
        return Ok(());
    }
    let (old, new) = (given(old), given(new));
    if old == new {
        return Ok(());
    }
    let Some(new) = new else {
        return edit.remove(path);
    };
    let Some(old) = old else {
        // An unticked box for a yes/no the page does not state says nothing new.
        if spec.kind == "bool" && *new == Value::Bool(false) {
            return Ok(());
        }
        let emit = emit(spec, new, true);
        if present {
            return edit.replace(path, &emit);
        }
        let Some((Step::Key(key), map)) = path.split_last() else {
            return edit.replace(path, &emit);
        };
        return edit.insert(map, after, key, &emit);
    };
    match (old, new) {
        (Value::Object(old), Value::Object(new))
            if !spec.fields.is_empty() || spec.kind == "opening_hours" =>
        {
            let subs: Vec<FieldSpec> = if spec.kind == "opening_hours" {
                DAYS.iter()
                    .map(|(day, _)| {
                        let mut slot = FieldSpec::new(day, None, "string");
                        slot.items = Some(Box::new(FieldSpec::new(day, None, "string")));
                        slot
                    })
                    .collect()
            } else {
                spec.fields.clone()
            };
            for (i, sub) in subs.iter().enumerate() {
                let mut inner = path.to_vec();
                inner.push(Step::Key(sub.name.clone()));
                let after = subs[..i]
                    .iter()
                    .rev()
                    .find(|s| old.contains_key(&s.name))
                    .map(|s| s.name.as_str());
                let present = old.contains_key(&sub.name) || edit.style(&inner).is_some();
                change(
                    edit,
                    &inner,
                    sub,
                    old.get(&sub.name),
                    new.get(&sub.name),
                    present,
                    after,
                )?;
            }
            Ok(())
        }
        (Value::Array(old_items), Value::Array(new_items))
            if old_items.len() == new_items.len() && spec.items.is_some() =>
        {
            let items = spec.items.as_deref().unwrap_or(spec);
            for (i, (o, n)) in old_items.iter().zip(new_items).enumerate() {
                let mut inner = path.to_vec();
                inner.push(Step::Index(i));
                change(edit, &inner, items, Some(o), Some(n), true, None)?;
            }
            Ok(())
        }
        _ => edit.replace(path, &emit(spec, new, false)),
    }
}

/// `value` as the field `spec` writes it; `new` when it replaces no value of its own.
fn emit(spec: &FieldSpec, value: &Value, new: bool) -> Emit {
    match value {
        Value::Bool(b) => Emit::Raw(b.to_string()),
        Value::Number(n) => Emit::Raw(n.to_string()),
        Value::Null => Emit::Raw("null".to_string()),
        Value::Array(items) => {
            let items_spec = spec.items.as_deref().unwrap_or(spec);
            Emit::List(items.iter().map(|i| emit(items_spec, i, true)).collect())
        }
        Value::Object(entries) => Emit::Map(
            entries
                .iter()
                .filter(|(_, v)| given(Some(v)).is_some())
                .map(|(k, v)| {
                    let sub = spec.fields.iter().find(|f| f.name == *k);
                    let day;
                    let sub = match sub {
                        Some(sub) => sub,
                        None => {
                            day = FieldSpec::new(k, None, "string");
                            &day
                        }
                    };
                    (k.clone(), emit(sub, v, true))
                })
                .collect(),
        ),
        Value::String(text) => scalar(spec.kind, text, new),
    }
}

/// A string of a field of `kind`: numbers, booleans and dates plain when they are valid,
/// phones double-quoted, enum and reference values plain when new and safe, the rest in the
/// style of the value replaced (double-quoted when new). Invalid text is quoted, so that the
/// YAML stays valid and the build's check reports it at its place.
fn scalar(kind: &str, text: &str, new: bool) -> Emit {
    let number = |allow_fraction: bool| {
        !text.is_empty()
            && text.trim() == text
            && text.chars().all(|c| {
                c.is_ascii_digit() || "+-".contains(c) || (allow_fraction && ".eE".contains(c))
            })
            && text.parse::<f64>().is_ok()
    };
    let date_like = || {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || "-:T+Z. ".contains(c))
    };
    match kind {
        "integer" if number(false) => Emit::Raw(text.to_string()),
        "number" if number(true) => Emit::Raw(text.to_string()),
        "integer" | "number" | "phone" => Emit::Str(text.to_string(), Some(Style::Double)),
        "bool" if text == "true" || text == "false" => Emit::Raw(text.to_string()),
        "date" | "datetime" if date_like() => Emit::Str(text.to_string(), Some(Style::Plain)),
        "date" | "datetime" | "bool" => Emit::Str(text.to_string(), Some(Style::Double)),
        "enum" | "reference" if new => Emit::Str(text.to_string(), Some(Style::Plain)),
        _ => Emit::Str(text.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SITE: &str = "\
title: Prova
base_url: https://example.org/
schemas:
  spazi:
    description: { type: text, required: true, label: Descrizione }
    municipio: { type: integer, min: 1, max: 9, label: Municipio }
    status: { type: enum, values: [open, closed] }
    address:
      type: object
      fields:
        street: { type: string, required: true, label: Via o piazza }
        civic: { type: string }
        cap: { type: string }
    phone: { type: phone }
    opening_hours: { type: opening_hours }
    servizi: { type: list, items: { type: reference, section: servizi } }
    offers: { type: list, items: { type: string } }
    geo: { type: geo, bounds: { lat: [45.38, 45.54], lon: [9.04, 9.28] } }
    wheelchair: { type: bool }
";

    const PAGE: &str = "\
---
# La scheda dello spazio: questo commento resta.
title: \"WeMi Piazzetta\"
description: \"Lo spazio del Municipio 4\"
municipio: 4 # il municipio della sede
status: open
address: { street: \"via Piazzetta\", civic: \"2\" }
phone: \"02 8845 8041\"
# Gli orari, giorno per giorno
opening_hours:
  mon: 09:00-13:00
  tue: [09:00-13:00, 14:00-18:00]
  sun: closed
servizi: [sportello-lavoro]
offers:
  - \"Sportello lavoro\"
  - 'Aiuto compiti'
wheelchair: true
legacy: { a: 1 }
---
Lo spazio di via **Piazzetta**, aperto a tutti.
";

    /// A site with `SITE`, the page `PAGE` and two services, in a temporary folder.
    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), SITE).unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("spazi")).unwrap();
        std::fs::create_dir_all(content.join("servizi")).unwrap();
        std::fs::write(content.join("spazi/via-piazzetta.md"), PAGE).unwrap();
        for (stem, title) in [
            ("sportello-lavoro", "Sportello lavoro"),
            ("compiti", "Compiti"),
        ] {
            let text = format!("---\ntitle: \"{title}\"\n---\n");
            std::fs::write(content.join(format!("servizi/{stem}.md")), text).unwrap();
        }
        std::fs::write(content.join("servizi/_index.md"), "---\ntitle: S\n---\n").unwrap();
        let config = Config::load(dir.path(), None).unwrap();
        (dir, config)
    }

    fn opened() -> (tempfile::TempDir, Config, PageForm) {
        let (dir, config) = site();
        let file = dir.path().join("content/spazi/via-piazzetta.md");
        let form = open(dir.path(), &config, "spazi/via-piazzetta.md", &file).unwrap();
        (dir, config, form)
    }

    #[test]
    fn the_form_has_engine_fields_then_the_schema_then_other_keys() {
        let (_dir, _config, form) = opened();
        let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "title",
                "draft",
                "description",
                "municipio",
                "status",
                "address",
                "phone",
                "opening_hours",
                "servizi",
                "offers",
                "geo",
                "wheelchair",
                "legacy"
            ]
        );
        let field = |n: &str| form.fields.iter().find(|f| f.name == n).unwrap();
        assert_eq!(field("draft").label, "Bozza");
        assert_eq!(field("municipio").label, "Municipio");
        assert_eq!(
            (field("municipio").min, field("municipio").max),
            (Some(1.0), Some(9.0))
        );
        assert_eq!(field("opening_hours").label, "Opening hours");
        assert_eq!(field("address").fields[0].label, "Via o piazza");
        assert_eq!(
            field("servizi").items.as_ref().unwrap().section.as_deref(),
            Some("servizi")
        );
        assert_eq!(field("geo").fields[1].max, Some(9.28));
        assert!(field("legacy").read_only && !field("phone").read_only);
        assert_eq!(form.section, "spazi");
        assert_eq!(form.version, version(PAGE.as_bytes()));
        let choices: Vec<(&str, &str)> = form.references["servizi"]
            .iter()
            .map(|c| (c.value.as_str(), c.label.as_str()))
            .collect();
        assert_eq!(
            choices,
            [
                ("compiti", "Compiti"),
                ("sportello-lavoro", "Sportello lavoro")
            ]
        );
    }

    #[test]
    fn values_are_the_scalars_as_written() {
        let (_dir, _config, form) = opened();
        assert_eq!(
            form.values,
            json!({
                "title": "WeMi Piazzetta",
                "description": "Lo spazio del Municipio 4",
                "municipio": "4",
                "status": "open",
                "address": { "street": "via Piazzetta", "civic": "2" },
                "phone": "02 8845 8041",
                "opening_hours": {
                    "mon": "09:00-13:00",
                    "tue": ["09:00-13:00", "14:00-18:00"],
                    "sun": "closed"
                },
                "servizi": ["sportello-lavoro"],
                "offers": ["Sportello lavoro", "Aiuto compiti"],
                "wheelchair": true,
                "legacy": "{ a: 1 }"
            })
        );
        assert_eq!(
            form.body,
            "Lo spazio di via **Piazzetta**, aperto a tutti.\n"
        );
    }

    fn applied(original: &str, config: &Config, edit: impl FnOnce(&mut Value)) -> String {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/spazi/x.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, original).unwrap();
        let form = open(dir.path(), config, "spazi/x.md", &file).unwrap();
        let mut values = form.values.clone();
        edit(&mut values);
        let bytes = apply(
            original.as_bytes(),
            config,
            "spazi/via-piazzetta.md",
            &values,
            &form.body,
        )
        .unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn unchanged_values_give_the_same_bytes() {
        let (_dir, config) = site();
        assert_eq!(applied(PAGE, &config, |_| {}), PAGE);
        assert_eq!(applied(PAGE, &config, |v| v["draft"] = json!(false)), PAGE);
        let crlf = format!("\u{feff}{}", PAGE.replace('\n', "\r\n"));
        assert_eq!(applied(&crlf, &config, |_| {}), crlf);
    }

    #[test]
    fn only_the_changed_values_are_edited() {
        let (_dir, config) = site();
        let out = applied(PAGE, &config, |v| {
            v["municipio"] = json!("5");
            v["opening_hours"]["tue"][1] = json!("15:00-18:00");
            v["address"]["cap"] = json!("20121");
            v["address"]["civic"] = json!("");
            v["status"] = json!("closed");
            v["wheelchair"] = json!(false);
            v["draft"] = json!(true);
            v["legacy"] = json!("changed, but read-only");
        });
        let expected = PAGE
            .replace("municipio: 4 #", "municipio: 5 #")
            .replace("14:00-18:00]", "15:00-18:00]")
            .replace(
                "{ street: \"via Piazzetta\", civic: \"2\" }",
                "{ street: \"via Piazzetta\", cap: \"20121\" }",
            )
            .replace("status: open", "status: closed")
            .replace("wheelchair: true", "wheelchair: false")
            .replace(
                "title: \"WeMi Piazzetta\"\n",
                "title: \"WeMi Piazzetta\"\ndraft: true\n",
            );
        assert_eq!(out, expected);
    }

    #[test]
    fn invalid_text_for_a_typed_field_is_quoted_and_hostile_text_reads_back() {
        let (_dir, config) = site();
        let hostile = "a: b # c \"d\" 'e' {f} - g\nriga";
        let out = applied(PAGE, &config, |v| {
            v["municipio"] = json!("quattro");
            v["title"] = json!(hostile);
            v["offers"] = json!(["Sportello lavoro", "Aiuto compiti", "- terzo"]);
            v["geo"] = json!({ "lat": "45.47", "lon": "9.2" });
        });
        assert!(out.contains("municipio: \"quattro\" #"), "{out}");
        assert!(
            out.contains("\ngeo: { lat: 45.47, lon: 9.2 }\n")
                || out.contains("\ngeo:\n  lat: 45.47\n  lon: 9.2\n"),
            "{out}"
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/spazi/x.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &out).unwrap();
        let form = open(dir.path(), &config, "spazi/x.md", &file).unwrap();
        assert_eq!(form.values["title"], json!(hostile));
        assert_eq!(form.values["offers"][2], json!("- terzo"));
        assert_eq!(form.values["geo"], json!({ "lat": "45.47", "lon": "9.2" }));
    }

    #[test]
    fn a_day_with_one_slot_is_written_as_that_slot() {
        let (_dir, config) = site();
        let out = applied(PAGE, &config, |v| {
            v["opening_hours"]["mon"] = json!(["09:00-13:00"]);
            v["opening_hours"]["tue"] = json!(["10:00-12:00"]);
            v["opening_hours"]["wed"] = json!(["10:00-12:00", "14:00-16:00"]);
        });
        let expected = PAGE.replace(
            "  tue: [09:00-13:00, 14:00-18:00]\n",
            "  tue: 10:00-12:00\n  wed:\n    - \"10:00-12:00\"\n    - \"14:00-16:00\"\n",
        );
        assert_eq!(out, expected);
    }

    /// A flow list written over several lines is not followed by the outline: changing it
    /// is refused rather than written wrong, and the file is not touched.
    #[test]
    fn a_value_the_outline_cannot_follow_is_refused() {
        let (_dir, config) = site();
        let page = PAGE.replace(
            "servizi: [sportello-lavoro]",
            "servizi: [sportello-lavoro,\n  compiti]",
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/spazi/x.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &page).unwrap();
        let form = open(dir.path(), &config, "spazi/x.md", &file).unwrap();
        let mut values = form.values.clone();
        values["servizi"] = json!(["compiti"]);
        let errors = apply(
            page.as_bytes(),
            &config,
            "spazi/via-piazzetta.md",
            &values,
            &form.body,
        )
        .unwrap_err();
        let servizi = errors
            .iter()
            .find(|e| e.field == Some(vec![json!("servizi")]));
        assert!(servizi.unwrap().message.contains("`servizi`"), "{errors:?}");
    }

    /// Random hostile strings in string fields of every style (double- and single-quoted,
    /// plain, in a flow map, in a block list) read back as sent, and the other values stay.
    #[test]
    fn random_values_read_back_as_sent() {
        let (_dir, config) = site();
        let alphabet: Vec<char> = "ab :#-'\"\\{}[],&*!|>%@`?\n\t è☕".chars().collect();
        let mut random = crate::base::TestRandom::new(17);
        let mut next = |n: usize| random.below(n);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/spazi/x.md");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        for _ in 0..200 {
            let mut random = || -> String {
                let len = 1 + next(10);
                (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
            };
            let mut values = opened().2.values;
            for path in [
                &["title"][..],
                &["description"],
                &["address", "civic"],
                &["status"],
            ] {
                let slot = path.iter().fold(&mut values, |v, k| &mut v[*k]);
                *slot = json!(random());
            }
            values["offers"][1] = json!(random());
            let out = apply(
                PAGE.as_bytes(),
                &config,
                "spazi/via-piazzetta.md",
                &values,
                "x\n",
            )
            .unwrap();
            std::fs::write(&file, &out).unwrap();
            let reread = open(dir.path(), &config, "spazi/x.md", &file).unwrap();
            let expected: Map<String, Value> = values
                .as_object()
                .unwrap()
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), comparable(v)?)))
                .collect();
            let got: Map<String, Value> = reread
                .values
                .as_object()
                .unwrap()
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), comparable(v)?)))
                .collect();
            assert_eq!(got, expected, "{}", String::from_utf8_lossy(&out));
        }
    }

    /// A section's `_index` has no schema: its form shows its values as they are, and they
    /// come back as they were (a list the schema's `offers` would read as a field stays a list).
    #[test]
    fn a_sections_index_keeps_its_values() {
        let (dir, config) = site();
        let text = "---\ntitle: Spazi\noffers: [uno, due]\nmunicipio:\n  - 4\n  - 5\n---\nTesto.\n";
        let file = dir.path().join("content/spazi/_index.md");
        std::fs::write(&file, text).unwrap();
        let form = open(dir.path(), &config, "spazi/_index.md", &file).unwrap();
        let body = format!("{} Aggiunta.\n", form.body.trim_end());
        let out = apply(
            text.as_bytes(),
            &config,
            "spazi/_index.md",
            &form.values,
            &body,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "---\ntitle: Spazi\noffers: [uno, due]\nmunicipio:\n  - 4\n  - 5\n---\nTesto. Aggiunta.\n"
        );
    }

    #[test]
    fn the_body_keeps_its_bytes_and_line_ends() {
        let (_dir, config) = site();
        let crlf = PAGE.replace('\n', "\r\n");
        let form_body = "Nuovo testo.\n\nSeconda riga.\n";
        let bytes = apply(
            crlf.as_bytes(),
            &config,
            "spazi/via-piazzetta.md",
            &json!({}),
            form_body,
        );
        // Every value absent: all are removed, the body is the new one with CRLF.
        let out = String::from_utf8(bytes.unwrap()).unwrap();
        assert!(
            out.ends_with("---\r\nNuovo testo.\r\n\r\nSeconda riga.\r\n"),
            "{out}"
        );
        assert!(out.contains("legacy: { a: 1 }\r\n"), "{out}");
        assert!(!out.contains("municipio"), "{out}");
    }
}

#[cfg(test)]
mod real_site {
    use super::*;
    use serde_json::json;

    /// Every space of the real site: the form gives back the file's own bytes when nothing
    /// changed, and a changed street (in the flow-style address) changes that value alone
    /// (or adds the address where the page has none).
    #[test]
    fn the_real_spaces_are_edited_in_place() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::load(root, None).unwrap();
        let dir = root.join("content/spazi");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let name = entry.file_name().into_string().unwrap();
            if !name.ends_with(".md") || name.starts_with('_') {
                continue;
            }
            let page = format!("spazi/{name}");
            let form = open(root, &config, &page, &entry.path()).unwrap();
            let original = std::fs::read(entry.path()).unwrap();
            let same = apply(&original, &config, &page, &form.values, &form.body).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&same),
                String::from_utf8_lossy(&original)
            );
            let had_address = form.values.get("address").is_some();
            let mut values = form.values.clone();
            values["address"]["street"] = json!("via Nuova: 1 # \"bis\"");
            let changed = apply(&original, &config, &page, &values, &form.body).unwrap();
            let changed = String::from_utf8(changed).unwrap();
            let before = String::from_utf8(original).unwrap();
            let differing: Vec<(&str, &str)> = before
                .lines()
                .zip(changed.lines())
                .filter(|(a, b)| a != b)
                .collect();
            if had_address {
                assert_eq!(differing.len(), 1, "{page}: {differing:?}");
                assert!(
                    differing[0].0.starts_with("address:"),
                    "{page}: {differing:?}"
                );
            } else {
                // A new block map, two lines, at its place in schema order.
                assert_eq!(
                    changed.lines().count(),
                    before.lines().count() + 2,
                    "{page}"
                );
            }
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("content").join(&page);
            std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
            std::fs::write(&copy, &changed).unwrap();
            let reread = open(dir.path(), &config, &page, &copy).unwrap();
            assert_eq!(
                reread.values["address"]["street"],
                json!("via Nuova: 1 # \"bis\"")
            );
            seen += 1;
        }
        assert!(seen >= 5, "only {seen} spaces");
    }
}
