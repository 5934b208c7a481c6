//! [`OutputPath`]: the one check every path in the output folder passes, whatever made it
//! (a page's URL, a co-located file, `static/`, the theme, an alias, a taxonomy term).
//!
//! A path is checked in its final form, just before anything is written there: relative,
//! `/`-separated, made of plain names only. No `..`, `.` or empty segment, no root, no
//! backslash (Linux allows it in a file name; Windows and many tools read it as a separator),
//! no control character, none of the characters that a URL or a Windows host reads
//! differently (`% # ? : * " < > |`), no Windows device name (`con`, `nul`, `com1` …), no
//! name ending in a dot or a space, and no name too long to leave room for a temporary
//! sibling. Such a path can only name a file inside the folder it is joined to, and the same
//! file on every static host.

use std::fmt;

/// The longest name of one segment, in bytes: file systems allow 255, and writing uses a
/// temporary sibling with a few more characters.
const MAX_SEGMENT: usize = 200;
/// The longest whole path, in bytes.
const MAX_PATH: usize = 2048;

/// A checked path inside the output folder (`spazi/via-piazzetta/index.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

/// Why a path cannot be an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnsafePath {
    /// The path is empty.
    Empty,
    /// It starts with `/` (or is otherwise rooted).
    Absolute,
    /// It has an empty, `.` or `..` segment.
    Dots,
    /// It holds a backslash.
    Backslash,
    /// It holds a control character (NUL, line ends, tabs …).
    Control,
    /// It holds a character that URLs or Windows read differently.
    Reserved(char),
    /// A segment is a Windows device name.
    DeviceName,
    /// A segment ends with a dot or a space.
    TrailingDot,
    /// A segment or the whole path is too long.
    TooLong,
}

impl OutputPath {
    /// Checks `path`; see the module documentation for the rules.
    pub fn new(path: &str) -> Result<OutputPath, UnsafePath> {
        check(path)?;
        Ok(OutputPath(path.to_string()))
    }

    /// The path, `/`-separated.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its last segment (the file name).
    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// Its folder, without the trailing `/` (`""` at the top of the output).
    pub fn folder(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(folder, _)| folder)
    }

    /// The form two paths are compared in to find a collision on hosts that ignore case or
    /// the composition of accented letters (Windows, macOS): NFC, lower case.
    pub fn folded(&self) -> String {
        use unicode_normalization::UnicodeNormalization;
        if self.0.is_ascii() {
            return self.0.to_ascii_lowercase();
        }
        self.0.nfc().collect::<String>().to_lowercase()
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OutputPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn check(path: &str) -> Result<(), UnsafePath> {
    if path.is_empty() {
        return Err(UnsafePath::Empty);
    }
    if path.len() > MAX_PATH {
        return Err(UnsafePath::TooLong);
    }
    if path.starts_with('/') {
        return Err(UnsafePath::Absolute);
    }
    for segment in path.split('/') {
        check_segment(segment)?;
    }
    Ok(())
}

fn check_segment(segment: &str) -> Result<(), UnsafePath> {
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(UnsafePath::Dots);
    }
    if segment.len() > MAX_SEGMENT {
        return Err(UnsafePath::TooLong);
    }
    for c in segment.chars() {
        match c {
            '\\' => return Err(UnsafePath::Backslash),
            c if c.is_control() => return Err(UnsafePath::Control),
            '%' | '#' | '?' | ':' | '*' | '"' | '<' | '>' | '|' => {
                return Err(UnsafePath::Reserved(c));
            }
            _ => {}
        }
    }
    if segment.ends_with(['.', ' ']) {
        return Err(UnsafePath::TrailingDot);
    }
    if is_device_name(segment) {
        return Err(UnsafePath::DeviceName);
    }
    Ok(())
}

/// True for the names Windows keeps for devices, with any extension: `con`, `NUL.txt`, `com1`.
fn is_device_name(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment);
    if stem.len() > 4 || !stem.is_ascii() {
        return false;
    }
    let stem = stem.to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || (stem.len() == 4
            && (stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_pass() {
        for good in [
            "index.html",
            "spazi/via-piazzetta/index.html",
            "spazi/via-statuto/foto con spazi.jpg",
            "notizie/città/perché.html",
            "emoji/🏠.png",
            ".well-known/security.txt",
            "console/index.html",
            "com0/x",
            "a..b/c",
        ] {
            assert!(OutputPath::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn every_escape_is_refused_with_its_reason() {
        let long = "a".repeat(MAX_SEGMENT + 1);
        for (bad, why) in [
            ("", UnsafePath::Empty),
            ("/etc/passwd", UnsafePath::Absolute),
            ("../x", UnsafePath::Dots),
            ("a/../../x", UnsafePath::Dots),
            ("./a", UnsafePath::Dots),
            ("a//b", UnsafePath::Dots),
            ("a/", UnsafePath::Dots),
            ("a\\..\\..\\x", UnsafePath::Backslash),
            ("a\0b", UnsafePath::Control),
            ("a\nb", UnsafePath::Control),
            ("a%2e%2e/x", UnsafePath::Reserved('%')),
            ("a#b", UnsafePath::Reserved('#')),
            ("a?b", UnsafePath::Reserved('?')),
            ("c:/x", UnsafePath::Reserved(':')),
            ("con", UnsafePath::DeviceName),
            ("spazi/NUL.html", UnsafePath::DeviceName),
            ("lpt9.txt", UnsafePath::DeviceName),
            ("a./b", UnsafePath::TrailingDot),
            ("a /b", UnsafePath::TrailingDot),
            (long.as_str(), UnsafePath::TooLong),
        ] {
            assert_eq!(OutputPath::new(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn folded_paths_meet_when_a_host_would_mix_them_up() {
        let a = OutputPath::new("Spazi/Città.html").unwrap();
        let b = OutputPath::new("spazi/citta\u{300}.html").unwrap();
        assert_eq!(a.folded(), b.folded());
        assert_eq!(a.folder(), "Spazi");
        assert_eq!(a.file_name(), "Città.html");
    }
}
