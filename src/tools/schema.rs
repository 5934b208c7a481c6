//! `wemi schema`: the front matter schemas of `site.yaml` as JSON Schema (draft 2020-12), one
//! file per section, so that editors' YAML tools can check and complete front matter as it is
//! typed.
//!
//! A generated schema says what `wemi build` accepts, as closely as JSON Schema can: the
//! built-in keys of a page, the site's taxonomies and the section's own fields, nothing else.
//! Where wemi is lenient the schema is too: a text field takes an unquoted number (`cap: 20121`,
//! see `yaml_pitfalls_stay_text` in [`crate::config::schema`]), a list field takes a single value, and
//! an optional field may be left empty (`phone:`). It is stricter in one place: a number in
//! quotes (`municipio: "4"`), which wemi reads too, is flagged, as numbers are best written
//! without. What JSON Schema cannot say (that a reference names a page that exists, that a date
//! is in the calendar, that opening hours open before they close) is left to `wemi check`.
//! Only keywords that draft-07 also knows are used, so tools that still speak draft-07 (the
//! YAML language server, ajv) read the files the same way.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::base::error::{Code, Diagnostic, Error, Result};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::config::Config;
use crate::config::schema::{DAYS, Field, Kind, Schema};

/// The meta-schema the generated schemas declare.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// What `wemi schema` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaOptions {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Where to write the schemas; `<root>/schemas` when not given.
    pub output: Option<PathBuf>,
}

/// What `wemi schema` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaReport {
    /// The folder written to.
    pub output: PathBuf,
    /// The files written, one per section with a schema, in section order.
    pub written: Vec<PathBuf>,
}

impl SchemaReport {
    /// What `wemi schema` prints.
    pub fn summary(&self) -> Text {
        if self.written.is_empty() {
            return msg!("site.yaml declares no `schemas:`: no schema was written");
        }
        let files: Vec<String> = self
            .written
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        msg!("Wrote {files}", files = files.join(", "))
    }
}

/// A slug: lowercase letters and digits, single inner hyphens (as [`crate::base::slug::is_slug`]).
pub const SLUG_PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

/// A date, or a date and time with or without offset, as [`crate::base::date::DateInput`] reads.
pub const DATE_OR_DATETIME_PATTERN: &str = r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}(:?\d{2}(:?\d{2}([.,]\d+)?)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?(\[[^\]]+\])*)?$";

/// A day of opening hours: `closed`/`chiuso`, or a range of two-digit times.
pub const OPENING_PATTERN: &str =
    r"^\s*(closed|chiuso|([01][0-9]|2[0-3]):[0-5][0-9]\s*-\s*([01][0-9]|2[0-3]):[0-5][0-9])\s*$";

/// An Italian phone number (0… or 3…, 6 to 11 digits) with an optional +39 or 0039, digits
/// grouped by spaces, dots, slashes, hyphens or parentheses.
pub const PHONE_PATTERN: &str = r"^(\+[ ./()-]*3[ ./()-]*9|0[ ./()-]*0[ ./()-]*3[ ./()-]*9)?[ ./()-]*[03]([ ./()-]*[0-9]){5,10}[ ./()-]*$";

/// An `http(s)://` address whose host has a dot.
pub const URL_PATTERN: &str = r"^https?://[^/?#\s]*\.[^/?#\s]*([/?#]\S*)?$";

/// `name@domain.tld`.
pub const EMAIL_PATTERN: &str = r"^[^@\s]+@[^@\s.][^@\s]*\.[^@\s]*[^@\s.]$";

/// `wemi schema`: writes `<output>/<section>.schema.json` for every section with a schema.
pub fn write(options: &SchemaOptions) -> Result<SchemaReport> {
    let config = Config::load(&options.root, None)?;
    let output = match &options.output {
        Some(out) => out.clone(),
        None => options.root.join("schemas"),
    };
    let mut files = Vec::new();
    for (section, schema) in &config.schemas {
        let name = file_name(section).ok_or_else(|| {
            Error::usage(vec![
                Diagnostic::new(
                    Code::ConfigSchema,
                    crate::base::layout::CONFIG_FILE,
                    msg!(
                        "the schema `{section}` is not named after a folder of content/",
                        section = section
                    ),
                )
                .hint(msg!(
                    "name each schema after its section's folder, such as `spazi`"
                )),
            ])
        })?;
        let text = serde_json::to_string_pretty(&render(section, schema, &config))
            .unwrap_or_default()
            + "\n";
        files.push((output.join(name), text));
    }
    let io_error = |path: &Path, err: std::io::Error| {
        Error::site(vec![Diagnostic::new(
            Code::io(&err),
            path,
            msg!("cannot write the schema: {error}", error = err),
        )])
    };
    if !files.is_empty() {
        std::fs::create_dir_all(&output).map_err(|e| io_error(&output, e))?;
    }
    // Never written through a link: not the folder, nor a file (a link there is replaced).
    if std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::site(vec![
            Diagnostic::new(
                Code::OutputSymlink,
                &output,
                msg!("the schemas' folder is a symbolic link"),
            )
            .hint(msg!("remove the link: wemi never writes through links")),
        ]));
    }
    let mut written = Vec::new();
    for (path, text) in files {
        crate::base::fs::write_whole(&path, text.as_bytes()).map_err(|e| io_error(&path, e))?;
        written.push(path);
    }
    Ok(SchemaReport { output, written })
}

/// `spazi.schema.json`; `None` when the section's name could not be a file name of its own.
pub fn file_name(section: &str) -> Option<String> {
    let plain = !section.is_empty()
        && !section.starts_with('.')
        && !section.contains(['/', '\\', ':'])
        && !section.chars().any(char::is_control);
    plain.then(|| format!("{section}.schema.json"))
}

/// The JSON Schema of the front matter of the pages of `section`.
pub fn render(section: &str, schema: &Schema, config: &Config) -> Value {
    let mut properties = Map::new();
    for (name, builtin) in builtin_properties() {
        properties.insert(name.into(), builtin);
    }
    for taxonomy in &config.taxonomies {
        properties.insert(
            taxonomy.name.clone(),
            nullable(json!({
                "description": format!("{}: un valore o un elenco di valori", taxonomy.title),
                "type": ["string", "number", "boolean", "array"],
                "items": { "type": ["string", "number", "boolean"] },
            })),
        );
    }
    for field in &schema.fields {
        let own = field_schema(field);
        // Built-in keys and taxonomies named in a schema are checked twice by wemi (as a
        // built-in or a taxonomy, then against the field): the value must pass both.
        let merged = match properties.remove(&field.name) {
            Some(other) => {
                let mut both = json!({ "allOf": [other, own] });
                if let Some(d) = &field.description {
                    both["description"] = d.clone().into();
                }
                both
            }
            None => own,
        };
        properties.insert(field.name.clone(), merged);
    }
    let mut required = vec![Value::from("title")];
    required.extend(
        schema
            .fields
            .iter()
            .filter(|f| is_required(f) && f.name != "title")
            .map(|f| Value::from(f.name.clone())),
    );
    json!({
        "$schema": DRAFT,
        "title": format!("Pagine di content/{section}/"),
        "description": format!(
            "Il front matter delle pagine di content/{section}/, come lo vuole site.yaml. \
             Generato da `wemi schema`: non modificarlo a mano, rigeneralo."
        ),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// Required, and without a default to stand in for it.
fn is_required(field: &Field) -> bool {
    field.required && field.default.is_none()
}

/// The keys every page may have ([`crate::config::BUILT_IN_FIELDS`] less the section-only
/// `paginate_by`, `sort_by` and `feed`).
fn builtin_properties() -> Vec<(&'static str, Value)> {
    let date = |what: &str| {
        nullable(json!({
            "description": format!("{what}: 2018-10-26 o 2018-10-26T17:00:00"),
            "type": "string",
            "pattern": DATE_OR_DATETIME_PATTERN,
        }))
    };
    vec![
        (
            "title",
            json!({ "description": "Il titolo della pagina", "type": "string", "pattern": r"\S" }),
        ),
        (
            "description",
            nullable(json!({
                "description": "Una frase che riassume la pagina",
                "type": "string",
            })),
        ),
        ("date", date("La data di pubblicazione")),
        ("updated", date("La data dell'ultimo aggiornamento")),
        (
            "draft",
            nullable(json!({
                "description": "true: la pagina resta fuori dal sito (bozza)",
                "type": "boolean",
            })),
        ),
        (
            "slug",
            nullable(json!({
                "description": "L'ultima parte dell'indirizzo, al posto del nome del file",
                "type": "string",
                "pattern": SLUG_PATTERN,
            })),
        ),
        (
            "weight",
            nullable(json!({
                "description": "Il peso nell'ordinamento: prima le pagine più leggere",
                "type": "integer",
            })),
        ),
        (
            "aliases",
            nullable(json!({
                "description": "Vecchi indirizzi della pagina, come /vecchio/indirizzo/",
                "type": "array",
                "items": { "type": "string", "pattern": r"^/[^\\]*$" },
            })),
        ),
        (
            "template",
            nullable(json!({
                "description": "Il template da usare al posto di quello della sezione",
                "type": "string",
            })),
        ),
        (
            "extra",
            nullable(json!({
                "description": "Valori liberi per il tema",
                "type": "object",
            })),
        ),
    ]
}

/// The schema of a field: its kind, its description and default, and empty allowed unless it
/// is required.
fn field_schema(field: &Field) -> Value {
    let mut s = kind_schema(&field.kind);
    if let Some(d) = &field.description {
        let text = match s.get("description").and_then(Value::as_str) {
            Some(about) => format!("{d} ({about})"),
            None => d.clone(),
        };
        s["description"] = text.into();
    }
    if let Some(default) = field
        .default
        .as_ref()
        .and_then(|d| serde_json::to_value(d).ok())
    {
        s["default"] = default;
    }
    if is_required(field) { s } else { nullable(s) }
}

fn kind_schema(kind: &Kind) -> Value {
    match kind {
        // wemi reads any scalar as text: `cap: 20121` and `versione: 1.10` are fine.
        Kind::String | Kind::Text => json!({ "type": ["string", "number", "boolean"] }),
        Kind::Integer { min, max } => {
            let mut s = json!({ "type": "integer" });
            if let Some(min) = min {
                s["minimum"] = (*min).into();
            }
            if let Some(max) = max {
                s["maximum"] = (*max).into();
            }
            s
        }
        Kind::Number { min, max } => {
            let mut s = json!({ "type": "number" });
            if let Some(min) = min {
                s["minimum"] = (*min).into();
            }
            if let Some(max) = max {
                s["maximum"] = (*max).into();
            }
            s
        }
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Date => json!({
            "type": "string",
            "format": "date",
            "pattern": r"^\d{4}-\d{2}-\d{2}$",
        }),
        Kind::Datetime => json!({ "type": "string", "pattern": DATE_OR_DATETIME_PATTERN }),
        Kind::Enum(values) => json!({ "enum": enum_values(values) }),
        Kind::List(item) => {
            let item_schema = kind_schema(item);
            let list = json!({ "type": "array", "items": item_schema });
            match **item {
                // A single value stands for a list of one.
                Kind::List(_) | Kind::Object(_) | Kind::Geo(_) | Kind::OpeningHours => list,
                _ => json!({ "anyOf": [list, item_schema] }),
            }
        }
        Kind::Object(fields) => object(fields),
        Kind::Url => json!({ "type": "string", "format": "uri", "pattern": URL_PATTERN }),
        Kind::Email => json!({ "type": "string", "format": "email", "pattern": EMAIL_PATTERN }),
        Kind::Phone => json!({
            "description": "un numero italiano, come \"02 8845 8041\" (tra virgolette)",
            "type": "string",
            "pattern": PHONE_PATTERN,
        }),
        Kind::OpeningHours => {
            let hours = json!({ "type": "string", "pattern": OPENING_PATTERN });
            let days: Map<String, Value> = DAYS
                .iter()
                .map(|(day, name)| {
                    let schema = json!({
                        "description": format!(
                            "{name}: 09:00-13:00, [09:00-13:00, 14:00-18:00] o closed"
                        ),
                        "anyOf": [hours, { "type": "array", "items": hours }],
                    });
                    ((*day).to_string(), schema)
                })
                .collect();
            json!({ "type": "object", "properties": days, "additionalProperties": false })
        }
        Kind::Geo(bounds) => {
            let coordinate = |range: Option<[f64; 2]>, what: &str| {
                let mut s = json!({ "description": what, "type": "number" });
                if let Some([lo, hi]) = range {
                    s["minimum"] = lo.into();
                    s["maximum"] = hi.into();
                }
                s
            };
            json!({
                "type": "object",
                "properties": {
                    "lat": coordinate(bounds.map(|b| b.lat()), "latitudine"),
                    "lon": coordinate(bounds.map(|b| b.lon()), "longitudine"),
                },
                "required": ["lat", "lon"],
                "additionalProperties": false,
            })
        }
        Kind::Reference(section) => json!({
            "description": format!("il nome di un file di content/{section}/, senza .md"),
            "type": "string",
            "pattern": SLUG_PATTERN,
        }),
    }
}

/// A nested object: its fields, the required ones, nothing else.
fn object(fields: &[Field]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|f| (f.name.clone(), field_schema(f)))
        .collect();
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| is_required(f))
        .map(|f| f.name.as_str())
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The values of an enum, plus the number or boolean YAML reads an unquoted one as (`1`,
/// `true`): wemi compares the text as written, so both are fine.
fn enum_values(values: &[String]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut push = |v: Value| {
        if !out.contains(&v) {
            out.push(v);
        }
    };
    for v in values {
        push(v.clone().into());
        if let Ok(n) = v.parse::<i64>() {
            push(n.into());
        } else if let Some(n) = v.parse::<f64>().ok().filter(|n| n.is_finite()) {
            push(n.into());
        } else if let Ok(b) = v.parse::<bool>() {
            push(b.into());
        }
    }
    out
}

/// Also accepts an empty value (`phone:`), which wemi reads as "not given".
fn nullable(mut s: Value) -> Value {
    if let Some(alternatives) = s.get_mut("anyOf").and_then(Value::as_array_mut) {
        alternatives.push(json!({ "type": "null" }));
        return s;
    }
    if let Some(values) = s.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
    }
    match s.get_mut("type") {
        Some(Value::String(t)) => {
            let t = std::mem::take(t);
            s["type"] = json!([t, "null"]);
        }
        Some(Value::Array(types)) => types.push("null".into()),
        _ => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::document;
    use crate::content::source::{SourceFile, SourceKind};

    fn config(fields: &str) -> Config {
        let text = format!(
            "title: t\nbase_url: https://x.it/\ntaxonomies:\n  - name: municipio\n\
             schemas:\n  spazi:\n{fields}"
        );
        Config::parse(&text, None).unwrap()
    }

    fn validator(config: &Config) -> jsonschema::Validator {
        let schema = render("spazi", &config.schemas["spazi"], config);
        jsonschema::meta::validate(&schema).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    /// Whether wemi accepts the front matter `yaml` for a page of `spazi`.
    fn wemi_accepts(config: &Config, yaml: &str) -> bool {
        let source = SourceFile {
            path: "spazi/a.md".into(),
            relative: "spazi/a.md".into(),
            kind: SourceKind::Page,
            lang: "it".into(),
            translation_key: "spazi/a.md".into(),
        };
        document::parse(source, &format!("---\n{yaml}---\n"), config).is_ok()
    }

    /// Asserts that wemi and the JSON Schema agree on every value of `f` (given as YAML).
    fn agree(field: &str, values: &[&str]) {
        let config = config(&format!("    f: {field}\n"));
        let validator = validator(&config);
        for value in values {
            let yaml = format!("title: t\nf: {value}\n");
            let json: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(
                wemi_accepts(&config, &yaml),
                validator.is_valid(&json),
                "{field} with `{value}`: {:?}",
                validator
                    .iter_errors(&json)
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn schemas_are_valid_2020_12() {
        let config = config(
            "    a: { type: list, items: { type: object, fields: { n: { type: phone, required: true } } } }\n\
             \x20   b: { type: opening_hours }\n\
             \x20   c: { type: geo, bounds: { lat: [45.3, 45.6], lon: [9.0, 9.3] } }\n",
        );
        let schema = render("spazi", &config.schemas["spazi"], &config);
        assert_eq!(schema["$schema"], DRAFT);
        assert_eq!(schema["additionalProperties"], false);
        assert_eq!(schema["required"], json!(["title"]));
        jsonschema::meta::validate(&schema).unwrap();
    }

    #[test]
    fn texts_take_any_scalar_as_wemi_does() {
        agree(
            "{ type: string, required: true }",
            &[
                "x", "20121", "1.10", "no", "true", "\"\"", "", "[a]", "{ a: 1 }",
            ],
        );
        agree("{ type: text }", &["x", "", "~", "[a]"]);
    }

    #[test]
    fn numbers_and_booleans() {
        agree(
            "{ type: integer, min: 1, max: 9 }",
            &["4", "0", "10", "quattro", "-1", "1", "9", "", "[4]"],
        );
        agree(
            "{ type: number, min: 0.5, max: 2 }",
            &["1", "0.5", "0.4", "2.5", "x", ""],
        );
        agree(
            "{ type: bool, required: true }",
            &["true", "false", "sì", "\"true\"", "1", ""],
        );
    }

    #[test]
    fn dates_and_datetimes() {
        agree(
            "{ type: date }",
            &["2018-10-26", "2018-10-26T17:00:00", "26/10/2018", "x", ""],
        );
        agree(
            "{ type: datetime }",
            &[
                "2018-10-26",
                "2018-10-26T17:00:00",
                "2018-10-26T17:00:00+02:00",
                "2018-10-26T17:00:00Z",
                "2018-10-26 17:00:00",
                "\"2018-10-26T17:00:00.5+02:00\"",
                "2018-10-26T17",
                "2018-10-26T17:00",
                "2018-10-26T1700",
                "2018-10-26T17:00:00+02",
                "2018-10-26T17:00:00+0200",
                "2018-10-26T17:00:00+02:00[Europe/Rome]",
                "2018-10-26T",
                "2018-10-26X17:00",
                "26 ottobre 2018",
            ],
        );
    }

    #[test]
    fn enums_urls_emails_phones() {
        agree(
            "{ type: enum, values: [announced, open, \"4\"], required: true }",
            &["open", "\"open\"", "aperto", "4", "\"4\"", "5", ""],
        );
        agree(
            "{ type: url }",
            &[
                "https://www.comune.milano.it/",
                "http://x.it/a?b#c",
                "www.comune.milano.it",
                "https://localhost/",
                "https://x.it/a b",
                "ftp://x.it/",
            ],
        );
        agree(
            "{ type: email }",
            &[
                "wemi@comune.milano.it",
                "wemi@comune",
                "\"@comune.it\"",
                "wemi@.it",
                "wemi@it.",
                "a b@x.it",
            ],
        );
        agree(
            "{ type: phone }",
            &[
                "\"02 8845 8041\"",
                "\"+39 02 8845 8041\"",
                "\"0039 02 88458041\"",
                "\"333 123 4567\"",
                "\"(02) 8845-8041\"",
                "\"12345\"",
                "\"02 8845 abc\"",
                "\"02 88\"",
                "\"+41 22 123 45 67\"",
            ],
        );
    }

    #[test]
    fn lists_objects_and_references() {
        agree(
            "{ type: list, items: { type: reference, section: servizi } }",
            &[
                "[sportello-lavoro, spazio-bambini]",
                "sportello-lavoro",
                "[Sportello Lavoro]",
                "[]",
                "",
                "{ a: b }",
            ],
        );
        agree(
            "{ type: object, required: true, fields: { street: { type: string, required: true }, cap: { type: string } } }",
            &[
                "{ street: via Piazzetta }",
                "{ street: via Piazzetta, cap: 20121 }",
                "{ cap: 20121 }",
                "{ street: x, strada: y }",
                "via Piazzetta",
                "",
            ],
        );
    }

    #[test]
    fn opening_hours_and_positions() {
        agree(
            "{ type: opening_hours }",
            &[
                "{ mon: 09:00-13:00, sat: closed, sun: chiuso }",
                "{ tue: [09:00-13:00, 14:00-18:00] }",
                "{ mon: 9-13 }",
                "{ mon: 24:00-25:00 }",
                "{ lun: closed }",
                "{ mon: }",
                "aperto",
            ],
        );
        agree(
            "{ type: geo, bounds: { lat: [45.3, 45.6], lon: [9.0, 9.3] } }",
            &[
                "{ lat: 45.47, lon: 9.2 }",
                "{ lat: 9.2, lon: 45.47 }",
                "{ lat: 45.47 }",
                "[45.47, 9.2]",
            ],
        );
    }

    #[test]
    fn built_ins_and_taxonomies_stay_allowed_and_unknown_keys_do_not() {
        let config = config("    verified: { type: bool, default: true }\n");
        let validator = validator(&config);
        for (yaml, ok) in [
            (
                "title: t\ndate: 2018-10-26\ndraft: true\nslug: via-x\nweight: 2\naliases: [/x/]\nextra: { a: 1 }\nmunicipio: [4, 5]\n",
                true,
            ),
            ("title: t\nverified:\n", true),
            ("title: t\nmunicpio: 4\n", false),
            ("title: t\nslug: Via X\n", false),
            ("title: t\npaginate_by: 3\n", false),
            ("description: d\n", false),
        ] {
            let json: serde_json::Value = serde_yaml::from_str(yaml).unwrap();
            assert_eq!(wemi_accepts(&config, yaml), ok, "wemi: {yaml}");
            assert_eq!(validator.is_valid(&json), ok, "schema: {yaml}");
        }
    }

    #[test]
    fn a_field_that_is_also_a_taxonomy_must_pass_both() {
        agree(
            "{ type: integer, min: 1, max: 9 }",
            &["4", "[4]", "12", "[4, 12]"],
        );
    }

    #[test]
    fn file_names_stay_in_the_output_folder() {
        assert_eq!(file_name("spazi").as_deref(), Some("spazi.schema.json"));
        for bad in ["", "../x", "a/b", ".x", "a\\b"] {
            assert_eq!(file_name(bad), None, "{bad}");
        }
    }
}
