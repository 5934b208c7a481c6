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

/// Declares [`Code`]: each variant with its stable string, and the list of them all.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $text:literal,)+) => {
        /// What kind of problem a diagnostic is: one code per thing to do about it, whatever
        /// the wording of the message. Its string (`link.missing-page`) is stable: tools,
        /// tests and the editors' guide (`docs/guida-redattori.md`) match on it, never on
        /// the message.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
            /// A file or folder could not be read or written: the operating system's error,
            /// as it was given.
            Io(std::io::ErrorKind),
        }

        impl Code {
            /// Every code, each once (the errors of the operating system by the kinds that
            /// have a code of their own, then `io.other`).
            pub const ALL: &[Code] = &[
                $(Code::$variant,)+
                Code::Io(std::io::ErrorKind::NotFound),
                Code::Io(std::io::ErrorKind::PermissionDenied),
                Code::Io(std::io::ErrorKind::AlreadyExists),
                Code::Io(std::io::ErrorKind::InvalidData),
                Code::Io(std::io::ErrorKind::StorageFull),
                Code::Io(std::io::ErrorKind::ReadOnlyFilesystem),
                Code::Io(std::io::ErrorKind::AddrInUse),
                Code::Io(std::io::ErrorKind::Other),
            ];

            /// What the code means, in one English sentence (its documentation above).
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($doc),+).trim_ascii(),)+
                    Code::Io(_) => "A file or folder could not be read or written.",
                }
            }

            /// The code as printed: `stage.kind`, in lowercase words joined by hyphens.
            pub fn as_str(self) -> &'static str {
                use std::io::ErrorKind;
                match self {
                    $(Code::$variant => $text,)+
                    Code::Io(kind) => match kind {
                        ErrorKind::NotFound => "io.not-found",
                        ErrorKind::PermissionDenied => "io.permission-denied",
                        ErrorKind::AlreadyExists => "io.already-exists",
                        ErrorKind::InvalidData => "io.invalid-data",
                        ErrorKind::StorageFull => "io.storage-full",
                        ErrorKind::ReadOnlyFilesystem => "io.read-only",
                        ErrorKind::AddrInUse => "io.address-in-use",
                        _ => "io.other",
                    },
                }
            }
        }
    };
}

codes! {
    /// A YAML text that is not valid YAML, for a reason without a code of its own.
    YamlSyntax = "yaml.syntax",
    /// A YAML line indented with a tab.
    YamlTab = "yaml.tab",
    /// Quotes opened in YAML and never closed.
    YamlUnclosedQuote = "yaml.unclosed-quote",
    /// A `[` or `{` opened in YAML and never closed.
    YamlUnclosedBracket = "yaml.unclosed-bracket",
    /// An invisible control character in YAML.
    YamlControlCharacter = "yaml.control-character",
    /// A YAML value holding `: ` without quotes.
    YamlUnquotedColon = "yaml.unquoted-colon",
    /// A key written twice in one YAML map.
    YamlDuplicateKey = "yaml.duplicate-key",
    /// YAML lists and maps nested too deep.
    YamlTooDeep = "yaml.too-deep",
    /// YAML aliases that repeat their values too many times.
    YamlTooManyAliases = "yaml.too-many-aliases",
    /// A YAML line indented more or less than the lines it belongs with.
    YamlIndentation = "yaml.indentation",
    /// A YAML value in typographic quotes (`“…”`), which YAML reads as letters.
    YamlTypographicQuotes = "yaml.typographic-quotes",
    /// A YAML value starting with a character YAML keeps for itself (`@`, `*`, `%`, …).
    YamlNeedsQuotes = "yaml.needs-quotes",
    /// A YAML line with a key but no `: ` after it.
    YamlMissingColon = "yaml.missing-colon",
    /// A backslash between YAML double quotes that starts no escape.
    YamlEscape = "yaml.escape",
    /// Text after the quotes that close a YAML value.
    YamlTextAfterQuote = "yaml.text-after-quote",
    /// A text file that is not UTF-8 text (or holds a NUL character).
    FileEncoding = "file.encoding",
    /// A content file that does not start with front matter.
    FrontMatterMissing = "front-matter.missing",
    /// Front matter without its closing `---`.
    FrontMatterUnclosed = "front-matter.unclosed",
    /// A front matter key that is neither a field, a built-in key nor a taxonomy.
    FrontMatterUnknownKey = "front-matter.unknown-key",
    /// A required front matter field that is missing or empty.
    FrontMatterRequired = "front-matter.required",
    /// A front matter value of the wrong kind, out of range or not one of those allowed.
    FrontMatterValue = "front-matter.value",
    /// A listing key (`paginate_by`, `sort_by`, `feed`) in a page rather than a section.
    FrontMatterSectionOnly = "front-matter.section-only",
    /// A `slug` that is not one, or cannot be published.
    FrontMatterSlug = "front-matter.slug",
    /// An alias that is not a site address, or cannot be published.
    FrontMatterAlias = "front-matter.alias",
    /// A taxonomy term that cannot become a web address.
    FrontMatterTerm = "front-matter.term",
    /// A shortcode call written wrong.
    ShortcodeSyntax = "shortcode.syntax",
    /// A call of a shortcode the theme does not have.
    ShortcodeUnknown = "shortcode.unknown",
    /// A shortcode whose template failed with the call's arguments.
    ShortcodeFailed = "shortcode.failed",
    /// A shortcode call with an argument its component does not declare, or without one it
    /// requires.
    ShortcodeArgument = "shortcode.argument",
    /// An `@/` link or a reference field to a page that is not published.
    LinkMissingPage = "link.missing-page",
    /// An `@/…#id` link to a heading the page does not have.
    LinkMissingHeading = "link.missing-heading",
    /// An external link whose server answers with an error.
    LinkExternalBroken = "link.external-broken",
    /// An external link whose server could not be reached (a warning).
    LinkExternalUnreachable = "link.external-unreachable",
    /// No external link could be reached at all: the machine seems offline (a warning).
    LinkExternalOffline = "link.external-offline",
    /// A content value or shortcode argument holding a script address (`javascript:`).
    UnsafeScriptUrl = "unsafe.script-url",
    /// A content file that can run scripts (HTML, SVG) on a site without raw HTML.
    UnsafeActiveFile = "unsafe.active-file",
    /// A file or folder name that cannot become a web address.
    PathName = "path.name",
    /// An output path that is not safe to write (`..`, an absolute path, an escape).
    PathUnsafe = "path.unsafe",
    /// A symbolic link that leads nowhere.
    SymlinkBroken = "symlink.broken",
    /// A symbolic link that leads outside the site folder.
    SymlinkOutsideSite = "symlink.outside-site",
    /// A symbolic link back to files the site already has.
    SymlinkLoop = "symlink.loop",
    /// A symbolic link into a hidden folder (`.git`, `.wemi`), the output folder or another
    /// folder the build reads.
    SymlinkForbidden = "symlink.forbidden",
    /// The site has no `content/` folder.
    ContentMissing = "content.missing",
    /// `data` is a file, not a folder.
    DataNotAFolder = "data.not-a-folder",
    /// A file under `data/` that is not YAML, JSON or CSV.
    DataFileType = "data.file-type",
    /// Two data files (or a file and a folder) that give the same key.
    DataKeyClash = "data.key-clash",
    /// A JSON data file that is not valid JSON.
    JsonSyntax = "json.syntax",
    /// A key written twice in one JSON object.
    JsonDuplicateKey = "json.duplicate-key",
    /// A CSV data file that is not valid CSV.
    CsvSyntax = "csv.syntax",
    /// A column name written twice in a CSV header.
    CsvDuplicateColumn = "csv.duplicate-column",
    /// A CSV row with more or fewer values than the header has columns.
    CsvRowLength = "csv.row-length",
    /// A template that is not valid Tera.
    TemplateSyntax = "template.syntax",
    /// A template that failed while rendering a page.
    TemplateRender = "template.render",
    /// A template that is needed but does not exist.
    TemplateMissing = "template.missing",
    /// Values that could not be passed to the templates.
    TemplateValues = "template.values",
    /// A file in `i18n/` that is not named after a language (`it.yaml`).
    TranslationFile = "i18n.file-name",
    /// Texts of the default language that another language's translations lack.
    TranslationMissing = "i18n.missing",
    /// A key that `site.yaml` does not have.
    ConfigUnknownKey = "config.unknown-key",
    /// A required key missing from `site.yaml`.
    ConfigRequired = "config.required",
    /// A value of `site.yaml` that is wrong.
    ConfigValue = "config.value",
    /// A schema of `site.yaml` that is wrong.
    ConfigSchema = "config.schema",
    /// Two files that would be published at the same address.
    OutputCollision = "output.collision",
    /// An output folder that would overwrite the site's own files.
    OutputProtectedFolder = "output.protected-folder",
    /// Another build is writing the same output folder.
    OutputLocked = "output.locked",
    /// A file or folder in the output folder where the site needs the other.
    OutputInTheWay = "output.in-the-way",
    /// A symbolic link in the output folder where the site needs a folder.
    OutputSymlink = "output.symlink",
    /// `wemi new` given a section that is not a folder of `content/`.
    NewSection = "new.section",
    /// `wemi new` given a title that cannot name a file.
    NewTitle = "new.title",
    /// `wemi new` for a page that exists already.
    NewExists = "new.exists",
    /// A placeholder that `wemi new` wrote (`# DA COMPLETARE`) still in a page.
    ContentPlaceholder = "content.placeholder",
    /// A page or style sheet that makes the browser contact another host (a warning; an
    /// error with `wemi check --strict`).
    PrivacyExternalHost = "privacy.external-host",
    /// An image in a page, or a `figura`, without a text alternative (`alt`).
    ContentImageAlt = "content.image-alt",
    /// An image that is damaged or not in a format the build reads (JPEG, PNG, WebP).
    ImageInvalid = "image.invalid",
    /// An image larger than the build decodes (file size, width, height or pixels).
    ImageTooLarge = "image.too-large",
    /// The editor of `wemi serve` refused a request (not from its page, or a path it may not
    /// touch).
    EditRefused = "edit.refused",
    /// The editor's save of a page changed on disk since it was opened.
    EditConflict = "edit.conflict",
    /// An image uploaded in the editor without a text alternative.
    UploadAlt = "upload.alt",
    /// A file uploaded in the editor that is not a JPEG, PNG or WebP image the build reads.
    UploadNotImage = "upload.not-image",
}

impl Code {
    /// The code of an error of the operating system, keeping its kind.
    pub fn io(error: &std::io::Error) -> Code {
        Code::Io(error.kind())
    }

    /// Whether only `wemi check` reports this code, as an error when asked (`--external`,
    /// `--strict`): a build does not look for it, so it never stops one.
    pub fn only_checked(self) -> bool {
        matches!(
            self,
            Code::LinkExternalBroken
                | Code::LinkExternalUnreachable
                | Code::LinkExternalOffline
                | Code::PrivacyExternalHost
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the site, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What kind of problem it is.
    pub code: Code,
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
    /// A problem of kind `code` with a whole file (no position).
    pub fn new(code: Code, path: impl Into<PathBuf>, message: impl Into<Text>) -> Self {
        let Text { en, it } = message.into();
        Diagnostic {
            code,
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
        write!(
            f,
            "{}[{}]: {}: {}",
            self.severity.as_str(),
            self.code,
            self.location(),
            self.message
        )?;
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
            writeln!(f, "{d}")?;
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

/// The closest of `candidates` to `word`, if one is close enough to be a likely typo: the
/// one rule behind every "did you mean" of wemi (keys, values, links, headings, shortcodes,
/// sections…), strict because a wrong suggestion that builds is worse than none.
///
/// - Both are first *folded*: lowercase, accents dropped, and `_`, spaces and `-` made one
///   separator. A candidate that folds as `word` does (`Municipio`, `data_apertura` for
///   `municipio`, `data-apertura`) is always suggested.
/// - Otherwise the folded texts may differ by at most a few edits (a letter added, dropped or
///   changed, or two neighbours swapped: the optimal string alignment distance): none when
///   the longer has 1–2 characters, 1 up to 7, 2 up to 15, 3 beyond. So `municpio` gets
///   `municipio`, but `non-esiste` never gets `stelline`, nor `external help file` `extra`.
/// - Paths (`spazi/stelline.md`) are compared by their file name within the same folder
///   (the folder they share says nothing about how close the names are), without an
///   extension they share. A file of exactly the same name in another folder is suggested
///   too, when no name in the folder is close and that name is in one folder only, or its
///   folder is close to the one written.
///
/// Of candidates equally close, the first in alphabetical order: the same whatever order they
/// come in (often a hash map's, which changes from run to run).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let (folder, name) = split_folder(word);
    let (folder, name) = (fold(folder), fold(name));
    // The best candidate in the same folder, and those of the same name elsewhere, each
    // with its distance (of names, of folders).
    let mut same_folder: Option<(usize, &str)> = None;
    let mut elsewhere: Vec<(Option<usize>, &str)> = Vec::new();
    for candidate in candidates {
        let (other_folder, other_name) = split_folder(candidate);
        let (other_folder, other_name) = (fold(other_folder), fold(other_name));
        if other_folder == folder {
            let (a, b) = without_shared_extension(&name, &other_name);
            if let Some(d) = typo_distance(a, b) {
                same_folder = better(same_folder, (d, candidate));
            }
        } else if other_name == name && !name.is_empty() {
            elsewhere.push((typo_distance(&folder, &other_folder), candidate));
        }
    }
    if let Some((_, best)) = same_folder {
        return Some(best);
    }
    if let [(_, only)] = elsewhere[..] {
        return Some(only);
    }
    elsewhere
        .into_iter()
        .filter_map(|(d, candidate)| Some((d?, candidate)))
        .fold(None, better)
        .map(|(_, best)| best)
}

/// The closer of `best` so far and `next`; of equals, the first alphabetically.
fn better<'a>(best: Option<(usize, &'a str)>, next: (usize, &'a str)) -> Option<(usize, &'a str)> {
    match best {
        Some(best) if best <= next => Some(best),
        _ => Some(next),
    }
}

/// `path` cut at its last `/`: (folder, file name); the folder is empty for a plain word.
fn split_folder(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `a` and `b` without the extension (`.md`) they both end with, if any.
fn without_shared_extension<'s>(a: &'s str, b: &'s str) -> (&'s str, &'s str) {
    match (a.rsplit_once('.'), b.rsplit_once('.')) {
        (Some((a_stem, a_ext)), Some((b_stem, b_ext))) if a_ext == b_ext => (a_stem, b_stem),
        _ => (a, b),
    }
}

/// `text` lowercased, without accents, with `_`, spaces and `-` all made `-`.
fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect()
}

/// The number of edits from `a` to `b` (both folded), when it is small enough for a typo
/// (see [`closest`]).
fn typo_distance(a: &str, b: &str) -> Option<usize> {
    /// Longer texts are not typos of each other unless they fold the same: this also keeps
    /// the quadratic distance cheap whatever the content holds.
    const LONGEST: usize = 200;
    let (a_len, b_len) = (a.chars().count(), b.chars().count());
    let allowed = match a_len.max(b_len) {
        0..=2 => 0,
        3..=7 => 1,
        8..=15 => 2,
        _ => 3,
    };
    if a_len.abs_diff(b_len) > allowed || a_len.max(b_len) > LONGEST {
        return (a == b).then_some(0);
    }
    let distance = strsim::osa_distance(a, b);
    (distance <= allowed).then_some(distance)
}

/// Result of a stage that may fail with many diagnostics.
pub type Result<T> = std::result::Result<T, Error>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} is given twice");
            // `stage.kind`: two words of lowercase letters and digits, joined by hyphens.
            let parts: Vec<&str> = text.split('.').collect();
            let well_formed = parts.len() == 2
                && parts.iter().all(|part| {
                    part.split('-').all(|word| {
                        !word.is_empty()
                            && word
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                    })
                });
            assert!(well_formed, "{text} is not `stage.kind`");
        }
        // An error of the operating system keeps its kind; one without a code of its own
        // reads as `io.other`.
        let io = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            Code::io(&io),
            Code::Io(std::io::ErrorKind::PermissionDenied)
        );
        assert_eq!(Code::io(&io).as_str(), "io.permission-denied");
        let interrupted = Code::Io(std::io::ErrorKind::Interrupted);
        assert_eq!(interrupted.as_str(), "io.other");
    }

    #[test]
    fn the_editors_guide_explains_every_code_and_no_other() {
        let guide = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guida-redattori.md"),
        )
        .unwrap();
        let (_, section) = guide
            .split_once("\n## 9. I codici degli errori\n")
            .expect("the guide has its section on codes");
        let section = section.split("\n## ").next().unwrap_or_default();
        // The first cell of each row of its tables, `| `code` | what to do |`.
        let mut documented: Vec<&str> = section
            .lines()
            .filter_map(|line| line.strip_prefix("| `")?.split_once('`'))
            .map(|(code, rest)| {
                let explained = rest.trim_start_matches(" |").trim_end_matches('|').trim();
                assert!(!explained.is_empty(), "{code} has no explanation");
                code
            })
            .collect();
        documented.sort_unstable();
        let mut codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(documented, codes);
    }

    #[test]
    fn the_closest_of_equals_does_not_depend_on_their_order() {
        let (a, b) = ("spazi/casa-a.md", "spazi/casa-c.md");
        assert_eq!(closest("spazi/casa-b.md", [b, a]), Some(a));
        assert_eq!(closest("spazi/casa-b.md", [a, b]), Some(a));
        assert_eq!(
            closest("spazi/via-piazeta.md", [a, "spazi/via-piazzetta.md"]),
            Some("spazi/via-piazzetta.md")
        );
    }

    /// Typos editors really make: each still gets its suggestion.
    #[test]
    fn real_typos_get_their_suggestion() {
        let keys = [
            "municipio",
            "telefono",
            "title",
            "description",
            "extra",
            "status",
        ];
        for (typo, meant) in [
            ("municpio", "municipio"),
            ("telefno", "telefono"),
            ("telefonno", "telefono"),
            ("titel", "title"),
            ("descripton", "description"),
            ("stauts", "status"),
            // Case, accents and separators only.
            ("Municipio", "municipio"),
            ("Títle", "title"),
        ] {
            assert_eq!(closest(typo, keys), Some(meant), "{typo}");
        }
        assert_eq!(
            closest("data_apertura", ["data-apertura", "data-chiusura"]),
            Some("data-apertura")
        );
        assert_eq!(
            closest("orari di apertura", ["orari-di-apertura"]),
            Some("orari-di-apertura")
        );
        let pages = [
            "spazi/stelline.md",
            "spazi/via-piazzetta.md",
            "servizi/sportello-lavoro.md",
        ];
        assert_eq!(
            closest("spazi/stellin.md", pages),
            Some("spazi/stelline.md")
        );
        assert_eq!(
            closest("spazi/Stelline.md", pages),
            Some("spazi/stelline.md")
        );
        assert_eq!(
            closest("servizi/sportello-lavori.md", pages),
            Some("servizi/sportello-lavoro.md")
        );
        // The same file name in another folder: a page put in, or linked from, the wrong
        // section.
        assert_eq!(
            closest("servizi/stelline.md", pages),
            Some("spazi/stelline.md")
        );
        assert_eq!(
            closest("spazzi/stelline.md", pages),
            Some("spazi/stelline.md")
        );
    }

    /// Words that only look alike to a similarity score: a suggestion would send the editor
    /// somewhere wrong that builds.
    #[test]
    fn far_words_get_no_suggestion() {
        let pages = [
            "spazi/stelline.md",
            "spazi/via-piazzetta.md",
            "servizi/sportello-lavoro.md",
        ];
        assert_eq!(closest("spazi/non-esiste.md", pages), None);
        assert_eq!(closest("spazi/sportello-lavoro-2.md", pages), None);
        let keys = [
            "title",
            "description",
            "extra",
            "weight",
            "draft",
            "municipio",
        ];
        assert_eq!(closest("external help file", keys), None);
        assert_eq!(closest("external", keys), None);
        // A translation is not a typo: `descrizione` is three edits from `description`.
        assert_eq!(closest("descrizione", keys), None);
        // One edit turns any short word into another.
        assert_eq!(closest("id", ["if", "is"]), None);
        assert_eq!(closest("sat", ["sun", "tue"]), None);
        // A name that is in several other folders, none close to the one written.
        let indexes = ["spazi/_index.md", "servizi/_index.md"];
        assert_eq!(closest("notizie/_index.md", indexes), None);
        assert_eq!(
            closest("spazzi/_index.md", indexes),
            Some("spazi/_index.md")
        );
    }

    #[test]
    fn long_words_are_compared_only_when_they_fold_alike() {
        let long = "a".repeat(10_000);
        let longer = format!("{long}b");
        assert_eq!(closest(&long, [longer.as_str()]), None);
        let shouted = long.to_uppercase();
        assert_eq!(closest(&long, [shouted.as_str()]), Some(shouted.as_str()));
    }

    #[test]
    fn values_and_errors_are_kept_in_order() {
        let mut errors = vec![Diagnostic::new(
            Code::FrontMatterUnclosed,
            "a.md",
            crate::base::i18n::msg!("the front matter is not closed"),
        )];
        let results = vec![
            Ok(1),
            Err(Diagnostic::new(
                Code::FrontMatterUnclosed,
                "b.md",
                crate::base::i18n::msg!("the front matter is not closed"),
            )),
            Ok(2),
            Err(Diagnostic::new(
                Code::FrontMatterUnclosed,
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
