//! Data files: the YAML, JSON and CSV files under `data/` that templates read as `data`.
//!
//! Each file becomes one key, named after its path without the extension:
//! `data/municipi.yaml` is `data.municipi` and `data/spazi/orari.csv` is `data.spazi.orari`.
//! Names are kept as written (`data/my-file.json` is `data["my-file"]` in a template).
//!
//! YAML and JSON keep the order of their keys, so a template loops over them as written. A CSV
//! file becomes a list with one map per row, from the header's names to the row's text.
//!
//! Every file is read and every problem reported, with the file's position, before giving up.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use tera::value::Key;
use tera::{Map, Value};

use crate::base::error::{Code, Diagnostic};
use crate::base::fs;
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::layout::DATA_DIR;
use crate::base::position::{LineIndex, line_column};
use crate::base::script_url;
use crate::base::yaml::KeyCodes;
use crate::content::document::nul_character;

/// Reads every data file under `<root>/data` into one Tera map: `data/municipi.yaml` is
/// `data.municipi`, `data/spazi/orari.csv` is `data.spazi.orari`.
///
/// A site without a `data/` folder gets an empty map. Hidden files and editors' temporary
/// files are skipped; any other file must be `.yaml`/`.yml`, `.json` or `.csv`. On failure the
/// diagnostics cover every file that could not be read, parsed or given a key of its own.
pub fn load(root: &Path) -> Result<Value, Vec<Diagnostic>> {
    let data_dir = root.join(DATA_DIR);
    if !data_dir.exists() {
        return Ok(Value::from(Map::new()));
    }
    if !data_dir.is_dir() {
        return Err(vec![
            Diagnostic::new(
                Code::DataNotAFolder,
                DATA_DIR,
                msg!("`data` is a file, but it must be a folder"),
            )
            .hint(msg!("put the data files in a data/ folder")),
        ]);
    }
    let mut tree = BTreeMap::new();
    let (files, mut errors) = fs::walk(root, Path::new(DATA_DIR));
    for file in files {
        let shown = file.shown;
        let Some(format) = Format::of(&file.path) else {
            let message = match file.path.extension() {
                Some(ext) => msg!(
                    "`.{ext}` is not a data file type",
                    ext = ext.to_string_lossy()
                ),
                None => msg!("this file has no extension, so it is not a data file"),
            };
            errors.push(
                Diagnostic::new(Code::DataFileType, shown, message).hint(msg!(
                    "data files must be .yaml, .json or .csv; move other files out of data/"
                )),
            );
            continue;
        };
        let value = match std::fs::read(&file.path) {
            Ok(bytes) => parse(&shown, format, &bytes),
            Err(err) => Err(vec![Diagnostic::new(
                Code::io(&err),
                &shown,
                msg!("cannot read the file: {error}", error = err),
            )]),
        };
        // A file that failed still takes its key, so that name clashes are reported too.
        let value = value.unwrap_or_else(|mut e| {
            errors.append(&mut e);
            Value::none()
        });
        let relative = Path::new(&file.relative);
        let mut keys: Vec<String> = relative
            .parent()
            .into_iter()
            .flat_map(|p| p.iter())
            .map(|name| name.to_string_lossy().into_owned())
            .collect();
        keys.push(
            relative
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
        );
        if let Err(d) = insert(&mut tree, &keys, shown, value) {
            // Every file of a folder that clashes with a file gives the same diagnostic.
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
    }
    if errors.is_empty() {
        Ok(to_value(tree))
    } else {
        Err(errors)
    }
}

/// The formats a data file can be in, known by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Yaml,
    Json,
    Csv,
}

impl Format {
    /// The format of the file at `path`, by its extension (in any case).
    fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "yaml" | "yml" => Some(Format::Yaml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Parses the bytes of the data file shown as `path`.
pub(crate) fn parse(path: &Path, format: Format, bytes: &[u8]) -> Result<Value, Vec<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        // Everything before the error is valid, so it can be counted in lines and characters.
        let valid = std::str::from_utf8(&bytes[..err.valid_up_to()]).unwrap_or_default();
        let (line, column) = line_column(valid, valid.len());
        vec![
            Diagnostic::new(
                Code::FileEncoding,
                path,
                msg!("the file is not valid UTF-8 text"),
            )
            .at(line, column)
            .hint(msg!(
                "save the file with the UTF-8 encoding (from Excel: “CSV UTF-8”)"
            )),
        ]
    })?;
    // Editors on Windows may start a UTF-8 file with a byte order mark; parsers refuse it.
    let text = fs::without_bom(text);
    if let Some(nul) = nul_character(path, text) {
        return Err(vec![nul]);
    }
    let value = match format {
        Format::Yaml => parse_yaml(path, text).map_err(|d| vec![d]),
        Format::Json => parse_json(path, text).map_err(|d| vec![d]),
        Format::Csv => parse_csv(path, text),
    }?;
    let refused = script_urls(path, text, &value);
    if refused.is_empty() {
        Ok(value)
    } else {
        Err(refused)
    }
}

/// Every string of a data file's value (keys too) that is a script URL: a template may print
/// any of them into an `href` (see [`script_url`]). Each is placed where the text holds it as
/// written, after the one before (a JSON escape hides it: then the error names only the file
/// and the key).
fn script_urls(path: &Path, text: &str, value: &Value) -> Vec<Diagnostic> {
    type Found = Vec<(String, String, &'static str)>;
    fn note(key: &str, s: &str, found: &mut Found) {
        if let Some(scheme) = script_url::in_value(s) {
            found.push((key.to_string(), s.to_string(), scheme));
        }
    }
    fn walk(value: &Value, key: &str, found: &mut Found) {
        if let Some(s) = value.as_str() {
            note(key, s, found);
        } else if let Some(items) = value.as_array() {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{key}[{i}]"), found);
            }
        } else if let Some(map) = value.as_map() {
            for (name, item) in map {
                let name = name.to_string();
                let inner = format!("{key}.{name}");
                note(&inner, &name, found);
                walk(item, &inner, found);
            }
        }
    }
    let mut found = Vec::new();
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    walk(value, &stem, &mut found);
    // The values come in the order they are written: each is looked for after the one before
    // (else once from the top), and all are located in one pass, so that a file of thousands
    // of them is not read again for each.
    let mut lines = LineIndex::new(text);
    let mut from = 0;
    let mut from_top: HashMap<String, Option<usize>> = HashMap::new();
    found
        .into_iter()
        .map(|(key, written, scheme)| {
            let d = script_url::refused_value(path, &key, scheme);
            let at = match text[from..].find(&written) {
                Some(i) => Some(from + i),
                None => *from_top
                    .entry(written.clone())
                    .or_insert_with(|| text.find(&written)),
            };
            match at {
                Some(at) => {
                    from = from.max(at + written.len());
                    let (line, column) = lines.locate(at);
                    d.at(line, column)
                }
                None => d,
            }
        })
        .collect()
}

fn parse_yaml(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    crate::base::yaml::parse::<DataValue>(text)
        .map(|v| v.0)
        .map_err(|err| err.into_diagnostic(path, 0, KeyCodes::DATA))
}

fn parse_json(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str::<DataValue>(text)
        .map(|v| v.0)
        .map_err(|err| {
            let full = err.to_string();
            // serde_json appends " at line L column C": the position goes in its own fields.
            let detail = match full.rfind(" at line ") {
                Some(i) if err.line() > 0 => &full[..i],
                _ => &full,
            };
            // A repeated key is our own error (see `KeySeed`), worded like serde_yaml's.
            let repeated = detail
                .strip_prefix("duplicate entry with key `")
                .and_then(|rest| rest.strip_suffix('`'));
            let (code, message) = match repeated {
                Some(key) => (
                    Code::JsonDuplicateKey,
                    msg!("the key `{key}` appears twice", key = key),
                ),
                None => (
                    Code::JsonSyntax,
                    msg!("the JSON is not valid: {detail}", detail = detail),
                ),
            };
            let hint = if text.trim().is_empty() {
                Some(msg!(
                    "an empty file is not JSON: write {} or [] for no data"
                ))
            } else if detail.contains("trailing comma") {
                Some(msg!(
                    "JSON allows no comma after the last item of a list or map"
                ))
            } else if detail.contains("key must be a string") {
                Some(msg!(
                    "JSON keys must be in double quotes, e.g. {\"nome\": \"Brera\"}"
                ))
            } else if repeated.is_some() {
                Some(msg!(
                    "each key may appear only once: remove or merge the repeated one"
                ))
            } else if err.is_eof() {
                Some(msg!(
                    "the file ends too early: check for a missing `}`, `]` or `\"`"
                ))
            } else {
                None
            };
            let mut d = Diagnostic::new(code, path, message);
            // serde_json gives column 0 for the end of a line and line 0 when it has no position.
            match (err.line(), err.column()) {
                (0, _) => {}
                (line, 0) => d = d.at_line(line),
                (line, column) => d = d.at(line, column),
            }
            match hint {
                Some(hint) => d.hint(hint),
                None => d,
            }
        })
}

/// A CSV file as a list of maps, one per row after the header, from column name to text.
fn parse_csv(path: &Path, text: &str) -> Result<Value, Vec<Diagnostic>> {
    // Italian spreadsheets save CSV with `;` between values (the comma is the decimal mark).
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Rows are located in order: one pass over the text for all their errors.
    let mut lines = LineIndex::new(text);
    let mut at = |pos: Option<&csv::Position>, d: Diagnostic| match pos {
        Some(pos) => {
            let (line, column) = lines.locate(pos.byte() as usize);
            d.at(line, column)
        }
        None => d,
    };
    let mut errors = Vec::new();
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(err) => {
            let d = Diagnostic::new(
                Code::CsvSyntax,
                path,
                msg!("cannot read the header of the table: {error}", error = err),
            );
            return Err(vec![at(err.position(), d)]);
        }
    };
    let mut columns: Vec<Key<'static>> = Vec::with_capacity(header.len());
    let mut seen = HashSet::with_capacity(header.len());
    for name in &header {
        let key = Key::from(name.to_string());
        if !seen.insert(name) {
            errors.push(at(
                header.position(),
                Diagnostic::new(
                    Code::CsvDuplicateColumn,
                    path,
                    msg!(
                        "the column `{name}` appears twice in the header",
                        name = name
                    ),
                )
                .hint(msg!("give each column a name of its own")),
            ));
        }
        columns.push(key);
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let row: Map = columns
                    .iter()
                    .cloned()
                    .zip(record.iter().map(Value::from))
                    .collect();
                rows.push(Value::from(row));
            }
            Err(err) => match err.kind() {
                csv::ErrorKind::UnequalLengths { pos, len, .. } => errors.push(at(
                    pos.as_ref(),
                    Diagnostic::new(
                        Code::CsvRowLength,
                        path,
                        msg!(
                            "this row has {len} values, but the header names {columns} columns",
                            len = len,
                            columns = columns.len()
                        ),
                    )
                    .hint(msg!(
                        "give every row one value per column; \
                         quote values that contain commas, e.g. \"Via Roma, 1\""
                    )),
                )),
                _ => {
                    let d = Diagnostic::new(
                        Code::CsvSyntax,
                        path,
                        msg!("the table is not valid CSV: {detail}", detail = err),
                    );
                    errors.push(at(err.position(), d));
                    break;
                }
            },
        }
    }
    if errors.is_empty() {
        Ok(Value::from(rows))
    } else {
        Err(errors)
    }
}

/// A key of `data` while the tree is built: a file's value, or a folder's keys.
enum Entry {
    /// A data file, shown as `path`.
    File { path: PathBuf, value: Value },
    /// A folder of data files, shown as `path`.
    Folder {
        path: PathBuf,
        entries: BTreeMap<String, Entry>,
    },
}

impl Entry {
    /// How the entry is named in a clash.
    fn describe(&self) -> Text {
        match self {
            Entry::File { path, .. } => Text::from(format!("`{}`", path.display())),
            Entry::Folder { path, .. } => msg!("the folder `{path}/`", path = path.display()),
        }
    }
}

/// Puts the file shown as `path` at `keys` (its folders, then its stem), refusing a key that a
/// file or folder already holds.
fn insert(
    tree: &mut BTreeMap<String, Entry>,
    keys: &[String],
    path: PathBuf,
    value: Value,
) -> Result<(), Diagnostic> {
    let Some((stem, folders)) = keys.split_last() else {
        return Ok(());
    };
    let mut map = tree;
    let mut folder = PathBuf::from(DATA_DIR);
    for (depth, name) in folders.iter().enumerate() {
        folder.push(name);
        let entry = map.entry(name.clone()).or_insert_with(|| Entry::Folder {
            path: folder.clone(),
            entries: BTreeMap::new(),
        });
        match entry {
            Entry::Folder { entries, .. } => map = entries,
            Entry::File { path: file, .. } => {
                let folder = Entry::Folder {
                    path: folder,
                    entries: BTreeMap::new(),
                };
                return Err(clash(file, &folder, &keys[..=depth]));
            }
        }
    }
    match map.get(stem) {
        Some(existing) => Err(clash(&path, existing, keys)),
        None => {
            map.insert(stem.clone(), Entry::File { path, value });
            Ok(())
        }
    }
}

/// The diagnostic for the file shown as `path` and `other` both giving `data.<keys>`.
fn clash(path: &Path, other: &Entry, keys: &[String]) -> Diagnostic {
    Diagnostic::new(
        Code::DataKeyClash,
        path,
        msg!(
            "`{path}` and {other} both give `{key}`",
            path = path.display(),
            other = other.describe(),
            key = template_path(keys)
        ),
    )
    .hint(msg!(
        "rename or remove one of them: each data file needs a name of its own"
    ))
}

/// How a template reaches `keys`: `data.spazi.orari`, or `data["my-file"]` for other names.
fn template_path(keys: &[String]) -> String {
    let mut out = String::from("data");
    for key in keys {
        let mut chars = key.chars();
        let identifier = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if identifier {
            out.push('.');
            out.push_str(key);
        } else {
            out.push_str(&format!("[{key:?}]"));
        }
    }
    out
}

/// The finished tree as Tera values, keys in name order.
fn to_value(tree: BTreeMap<String, Entry>) -> Value {
    let map: Map = tree
        .into_iter()
        .map(|(name, entry)| {
            let value = match entry {
                Entry::File { value, .. } => value,
                Entry::Folder { entries, .. } => to_value(entries),
            };
            (Key::from(name), value)
        })
        .collect();
    Value::from(map)
}

/// A YAML or JSON document read straight into a Tera value.
///
/// Going through `serde_json::Value` would sort JSON keys (its `preserve_order` feature is off);
/// building the Tera value while parsing keeps them as written, and lets a repeated key be an
/// error with its position rather than silently replacing the first.
struct DataValue(Value);

impl<'de> Deserialize<'de> for DataValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = DataValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a text, number, boolean, list or map")
    }

    fn visit_bool<E>(self, v: bool) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_i128<E>(self, v: i128) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_u128<E>(self, v: u128) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_string<E>(self, v: String) -> Result<DataValue, E> {
        Ok(DataValue(Value::from(v)))
    }

    fn visit_unit<E>(self) -> Result<DataValue, E> {
        Ok(DataValue(Value::none()))
    }

    fn visit_none<E>(self) -> Result<DataValue, E> {
        Ok(DataValue(Value::none()))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<DataValue, D::Error> {
        DataValue::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<DataValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(DataValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(DataValue(Value::from(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<DataValue, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key_seed(KeySeed { map: &map })? {
            let DataValue(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(DataValue(Value::from(map)))
    }
}

/// Reads a key of `map`: text, a whole number or a boolean, as Tera keys can be.
///
/// A key already in `map` is refused here, while the parser still stands on it, so that the
/// error points at the repeated key rather than at the start of the map.
struct KeySeed<'a> {
    map: &'a Map,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key<'static>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'static>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl KeySeed<'_> {
    fn new_key<E: de::Error>(&self, key: Key<'static>) -> Result<Key<'static>, E> {
        if self.map.contains_key(&key) {
            // Worded like serde_yaml's own message, which crate::base::yaml explains with a hint.
            return Err(E::custom(format!("duplicate entry with key `{key}`")));
        }
        Ok(key)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key<'static>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key that is text, a whole number or a boolean")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key<'static>, E> {
        self.new_key(Key::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key<'static>, E> {
        self.new_key(Key::I64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key<'static>, E> {
        self.new_key(Key::U64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'static>, E> {
        self.new_key(Key::from(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'static>, E> {
        self.new_key(Key::from(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site folder holding the given files.
    fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, bytes) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        dir
    }

    fn load_ok(files: &[(&str, &[u8])]) -> Value {
        let dir = site(files);
        load(dir.path()).unwrap_or_else(|e| panic!("{e:#?}"))
    }

    fn load_err(files: &[(&str, &[u8])]) -> Vec<Diagnostic> {
        let dir = site(files);
        load(dir.path()).expect_err("the data should not load")
    }

    fn str_at<'a>(value: &'a Value, path: &'a str) -> &'a str {
        value
            .get_from_path(path)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no text at {path} in {value:?}"))
    }

    fn keys(value: &Value) -> Vec<String> {
        value
            .as_map()
            .unwrap()
            .keys()
            .map(|k| k.to_string())
            .collect()
    }

    #[test]
    fn no_data_folder_is_an_empty_map() {
        let dir = site(&[]);
        let data = load(dir.path()).unwrap();
        assert!(data.as_map().unwrap().is_empty());
    }

    #[test]
    fn yaml_keeps_types_and_order() {
        let data = load_ok(&[(
            "data/municipi.yaml",
            b"- nome: Municipio 1\n  numero: 1\n  zone: [Brera, Duomo]\n  attivo: true\n- nome: Municipio 2\n  numero: 2\n",
        )]);
        assert_eq!(keys(&data), ["municipi"]);
        assert_eq!(str_at(&data, "municipi.0.nome"), "Municipio 1");
        assert_eq!(str_at(&data, "municipi.0.zone.1"), "Duomo");
        let first = data.get_from_path("municipi.0").unwrap();
        assert_eq!(keys(first), ["nome", "numero", "zone", "attivo"]);
        assert_eq!(first.get_from_path("numero").unwrap().as_i64(), Some(1));
        assert_eq!(first.get_from_path("attivo").unwrap().as_bool(), Some(true));
        assert_eq!(data.get_from_path("municipi").unwrap().len(), Some(2));
    }

    #[test]
    fn yml_and_upper_case_extensions_are_yaml() {
        let data = load_ok(&[("data/a.yml", b"x: 1\n"), ("data/b.YAML", b"x: 2\n")]);
        assert_eq!(data.get_from_path("b.x").unwrap().as_i64(), Some(2));
        assert_eq!(data.get_from_path("a.x").unwrap().as_i64(), Some(1));
    }

    #[test]
    fn json_keeps_key_order() {
        let data = load_ok(&[(
            "data/orari.json",
            br#"{"lunedi": "9-18", "martedi": "9-13", "giovedi": null, "aperto": 1.5}"#,
        )]);
        let orari = data.get_from_path("orari").unwrap();
        assert_eq!(keys(orari), ["lunedi", "martedi", "giovedi", "aperto"]);
        assert_eq!(str_at(&data, "orari.martedi"), "9-13");
        assert!(orari.get_from_path("giovedi").unwrap().is_none());
        assert_eq!(orari.get_from_path("aperto").unwrap().as_f64(), Some(1.5));
    }

    #[test]
    fn csv_rows_are_maps_of_text() {
        let data = load_ok(&[(
            "data/spazi.csv",
            "\u{feff}nome,indirizzo,posti\nSpazio Brera,\"Via Roma, 1\",20\n\nSpazio Città,Via Po 3,\n"
                .as_bytes(),
        )]);
        let rows = data.get_from_path("spazi").unwrap().as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(keys(&rows[0]), ["nome", "indirizzo", "posti"]);
        assert_eq!(str_at(&data, "spazi.0.indirizzo"), "Via Roma, 1");
        assert_eq!(str_at(&data, "spazi.0.posti"), "20");
        assert_eq!(str_at(&data, "spazi.1.nome"), "Spazio Città");
        assert_eq!(str_at(&data, "spazi.1.posti"), "");
    }

    #[test]
    fn csv_with_semicolons_as_italian_spreadsheets_save_it() {
        let data = load_ok(&[(
            "data/orari.csv",
            "giorno;dalle;alle\nlunedì;9,30;13\n".as_bytes(),
        )]);
        assert_eq!(str_at(&data, "orari.0.giorno"), "lunedì");
        assert_eq!(str_at(&data, "orari.0.dalle"), "9,30");
    }

    #[test]
    fn empty_files() {
        let data = load_ok(&[
            ("data/vuoto.csv", b""),
            ("data/solo_header.csv", b"a,b\n"),
            ("data/niente.yaml", b""),
        ]);
        let rows = |name| data.get_from_path(name).unwrap().as_array().unwrap().len();
        assert_eq!(rows("vuoto"), 0);
        assert_eq!(rows("solo_header"), 0);
        assert!(
            data.get_from_path("niente")
                .unwrap()
                .as_map()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn nested_folders_are_nested_maps() {
        let data = load_ok(&[
            ("data/spazi/orari.csv", b"giorno,ore\nlunedi,9-18\n"),
            ("data/spazi/milano/zone.yaml", b"[Brera]\n"),
            ("data/my-file.json", b"{\"a\": 1}"),
            ("data/.nascosto.yaml", b"{{{ not read"),
            ("data/spazi/orari.csv~", b"not read"),
            ("data/.git/config", b"not read"),
        ]);
        assert_eq!(keys(&data), ["my-file", "spazi"]);
        assert_eq!(
            keys(data.get_from_path("spazi").unwrap()),
            ["milano", "orari"]
        );
        assert_eq!(str_at(&data, "spazi.orari.0.ore"), "9-18");
        assert_eq!(str_at(&data, "spazi.milano.zone.0"), "Brera");
    }

    #[test]
    fn yaml_error_has_position() {
        let errors = load_err(&[("data/municipi.yaml", b"- nome: a\n- nome: b: c\n")]);
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.path, Path::new("data/municipi.yaml"));
        assert_eq!((e.line, e.column), (Some(2), Some(10)));
        assert_eq!(e.code, Code::YamlUnquotedColon);
        assert_eq!(e.message, "a value contains `: ` without quotes");
        assert!(e.hint.as_deref().unwrap().contains("quotes"), "{e}");
        assert_eq!(
            e.message_in(crate::base::i18n::Lang::It),
            "un valore contiene `: ` senza virgolette"
        );
    }

    #[test]
    fn script_urls_are_each_placed_where_they_are_written() {
        let errors = load_err(&[
            (
                "data/link.yaml",
                b"- javascript:x\n- ok\n- javascript:x\n- javascript:x\n",
            ),
            ("data/tabella.csv", b"nome,javascript:y\na,b\nc,d\n"),
        ]);
        let at: Vec<(String, Option<usize>, Option<usize>)> = errors
            .iter()
            .map(|e| (e.path.display().to_string(), e.line, e.column))
            .collect();
        let expected = [
            ("data/link.yaml", 1, 3),
            ("data/link.yaml", 3, 3),
            ("data/link.yaml", 4, 3),
            ("data/tabella.csv", 1, 6),
            ("data/tabella.csv", 1, 6),
        ]
        .map(|(file, line, column)| (file.to_string(), Some(line), Some(column)));
        assert_eq!(at, expected);
    }

    #[test]
    fn yaml_repeated_key_is_an_error() {
        let errors = load_err(&[("data/a.yaml", b"nome: a\nzona: b\nnome: c\n")]);
        let e = &errors[0];
        assert_eq!((e.code, e.line), (Code::YamlDuplicateKey, Some(3)), "{e}");
        assert!(e.message.contains("`nome`"), "{}", e.message);
        assert!(e.hint.as_deref().unwrap().contains("only once"));
    }

    #[test]
    fn json_error_has_position() {
        let errors = load_err(&[("data/orari.json", b"{\n  \"a\": 1,\n    \"b\" 2\n}\n")]);
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.path, Path::new("data/orari.json"));
        assert_eq!((e.line, e.column), (Some(3), Some(9)), "{e}");
        assert_eq!(e.code, Code::JsonSyntax);
        assert_eq!(e.message, "the JSON is not valid: expected `:`");
        assert_eq!(
            e.message_in(crate::base::i18n::Lang::It),
            "il JSON non è valido: expected `:`"
        );
    }

    #[test]
    fn json_errors_have_hints() {
        let errors = load_err(&[
            ("data/a.json", b"{\n  \"a\": 1,\n    }\n"),
            ("data/b.json", b"{\"a\": [1, 2"),
            ("data/c.json", b"{\"a\": 1, \"a\": 2}"),
            ("data/d.json", b""),
        ]);
        assert_eq!(errors.len(), 4, "{errors:#?}");
        assert_eq!((errors[0].line, errors[0].column), (Some(3), Some(5)));
        assert!(errors[0].hint.as_deref().unwrap().contains("no comma"));
        assert!(
            errors[1]
                .hint
                .as_deref()
                .unwrap()
                .contains("ends too early")
        );
        assert_eq!(errors[2].code, Code::JsonDuplicateKey);
        assert!(errors[2].hint.as_deref().unwrap().contains("only once"));
        assert_eq!(errors[2].line, Some(1));
        assert!(errors[3].hint.as_deref().unwrap().contains("empty file"));
    }

    #[test]
    fn csv_rows_of_the_wrong_length_are_all_reported() {
        let errors = load_err(&[(
            "data/spazi.csv",
            b"nome,indirizzo\nBrera,Via Roma, 1\nDuomo,Piazza Duomo\nCitta\n",
        )]);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new("data/spazi.csv"));
        assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(1)));
        assert_eq!(errors[0].code, Code::CsvRowLength);
        assert_eq!(
            errors[0].message,
            "this row has 3 values, but the header names 2 columns"
        );
        assert!(errors[0].hint.as_deref().unwrap().contains("quote"));
        assert_eq!(errors[1].line, Some(4));
    }

    #[test]
    fn csv_repeated_column_is_an_error() {
        let errors = load_err(&[("data/a.csv", b"nome,zona,nome\na,b,c\n")]);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].code, errors[0].line),
            (Code::CsvDuplicateColumn, Some(1))
        );
    }

    #[test]
    fn non_utf8_file_has_position() {
        let errors = load_err(&[("data/spazi.csv", b"nome,zona\nCitt\xe0,Brera\n")]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (Some(2), Some(5)));
        assert!(errors[0].message.contains("UTF-8"));
        assert!(errors[0].hint.as_deref().unwrap().contains("UTF-8"));
    }

    #[test]
    fn same_key_twice_names_both_files() {
        let errors = load_err(&[("data/municipi.yaml", b"[]"), ("data/municipi.json", b"[]")]);
        assert_eq!(errors.len(), 1, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new("data/municipi.yaml"));
        assert_eq!(
            errors[0].message,
            "`data/municipi.yaml` and `data/municipi.json` both give `data.municipi`"
        );
        assert!(errors[0].hint.is_some());
    }

    #[test]
    fn file_and_folder_with_the_same_key() {
        let errors = load_err(&[
            ("data/spazi.yaml", b"[]"),
            ("data/spazi/orari.csv", b"a\n1\n"),
            ("data/spazi/zone.csv", b"a\n1\n"),
            ("data/my-file.json", b"1"),
            ("data/my-file.csv", b""),
        ]);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(
            errors[0].message,
            "`data/my-file.json` and `data/my-file.csv` both give `data[\"my-file\"]`"
        );
        assert_eq!(errors[1].path, Path::new("data/spazi.yaml"));
        assert_eq!(
            errors[1].message,
            "`data/spazi.yaml` and the folder `data/spazi/` both give `data.spazi`"
        );
    }

    #[test]
    fn unknown_extension_is_an_error() {
        let errors = load_err(&[
            ("data/note.txt", b"x"),
            ("data/README", b"x"),
            ("data/ok.yaml", b"a: 1"),
        ]);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert_eq!(errors[0].path, Path::new("data/README"));
        assert_eq!(errors[1].path, Path::new("data/note.txt"));
        assert_eq!(errors[1].message, "`.txt` is not a data file type");
        assert!(
            errors[1]
                .hint
                .as_deref()
                .unwrap()
                .starts_with("data files must be .yaml, .json or .csv")
        );
    }

    #[test]
    fn every_file_error_is_reported() {
        let errors = load_err(&[
            ("data/a.yaml", b"a: [\n"),
            ("data/b.json", b"{,}"),
            ("data/c.csv", b"x,y\n1\n"),
        ]);
        let paths: Vec<_> = errors.iter().map(|e| e.path.clone()).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("data/a.yaml"),
                PathBuf::from("data/b.json"),
                PathBuf::from("data/c.csv")
            ]
        );
        assert!(errors.iter().all(|e| e.line.is_some()), "{errors:#?}");
    }

    #[test]
    fn templates_read_the_data() {
        let data = load_ok(&[
            ("data/municipi.yaml", b"- nome: Municipio <1>\n"),
            ("data/spazi/my-file.csv", b"nome\nBrera\n"),
        ]);
        let mut context = tera::Context::new();
        context.insert_value("data", data);
        let out = tera::Tera::one_off(
            "{{ data.municipi[0].nome }} / {{ data.spazi[\"my-file\"][0].nome }}",
            &context,
            true,
        )
        .unwrap();
        assert_eq!(out, "Municipio &lt;1&gt; / Brera");
    }
}
