//! Site paths that come from content, in one normal form.
//!
//! A static host serves many spellings of an address from one file: `/spazi//via-piazzetta/`,
//! `/spazi/./via-piazzetta/index.html`, `/spazi/via%2Dpiazzetta/` and, on a case-insensitive
//! host (Windows, macOS, some S3 set-ups), `/Spazi/Via-Piazzetta/` all reach
//! `spazi/via-piazzetta/index.html`. [`normalize`] turns an address written in content (an
//! alias) into the one spelling wemi uses for site paths, and [`collision_key`] is what two
//! site paths are compared by, so that no spelling slips past the collision checks.
//!
//! [`segment_problem`] keeps every segment of a site path publishable on any host: no name
//! that Windows reserves for a device (`con`, `nul`, `com1` …, with or without an extension)
//! and no character that a common file system refuses.

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::base::i18n::Text;
use crate::base::i18n::msg;

/// Why an address written in content cannot be a site path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlProblem {
    /// It does not start with `/`.
    NotRootRelative,
    /// A full URL (`https://…`) or a protocol-relative one (`//host/…`).
    Absolute,
    /// It has a `?query` or a `#fragment`.
    QueryOrFragment,
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// Its percent-escapes decode to bytes that are not UTF-8 text.
    NotUtf8,
    /// A percent-escape decodes to `/`, which would change where the segments split.
    EncodedSlash,
    /// A percent-escape decodes to `%` or `#`, which no site path holds: its normal form
    /// would read as an escape or a fragment.
    EncodedUrlCharacter(char),
    /// More `..` segments than folders above them.
    AboveRoot,
    /// A segment that cannot be a file or folder name everywhere.
    Segment(String, SegmentProblem),
}

/// Why a path segment cannot be published everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentProblem {
    /// A device name Windows reserves (`con`, `con.html`, `lpt1` …).
    Reserved,
    /// A control character or one of `\ < > : " | ? *`.
    Character(char),
    /// A name ending in `.` or a space, which Windows silently drops.
    TrailingDotOrSpace,
    /// A name longer than [`MAX_SEGMENT`] bytes.
    TooLong,
}

/// The longest name of one segment, in bytes: file systems allow 255, and writing uses a
/// temporary sibling with a few more characters.
pub const MAX_SEGMENT: usize = 200;

/// The normal form of a root-relative address written in content: relative to the site's
/// root (no leading `/`), repeated slashes collapsed, `.` and `..` segments resolved,
/// percent-escapes decoded, a last `index.html` segment turned into its folder. A folder keeps
/// its trailing `/` (the root is `""`); the case is kept, as hosts that tell case apart need
/// it: compare with [`collision_key`].
///
/// `/spazi//a/./b/../index.html` → `spazi/a/`; `/caff%C3%A8` → `caffè`.
pub fn normalize(url: &str) -> Result<String, UrlProblem> {
    if has_scheme(url) || url.starts_with("//") {
        return Err(UrlProblem::Absolute);
    }
    if url.contains(['?', '#']) {
        return Err(UrlProblem::QueryOrFragment);
    }
    let Some(rest) = url.strip_prefix('/') else {
        return Err(UrlProblem::NotRootRelative);
    };
    let mut segments: Vec<String> = Vec::new();
    let mut folder = true;
    for raw in rest.split('/') {
        let segment = percent_decode(raw)?;
        if segment.contains('/') {
            return Err(UrlProblem::EncodedSlash);
        }
        if let Some(c) = segment.chars().find(|c| matches!(c, '%' | '#')) {
            return Err(UrlProblem::EncodedUrlCharacter(c));
        }
        // Decoded, as hosts resolve them: `%2e%2e` is `..` too.
        match segment.as_str() {
            "" | "." => folder = true,
            ".." => {
                segments.pop().ok_or(UrlProblem::AboveRoot)?;
                folder = true;
            }
            _ => {
                folder = false;
                segments.push(segment);
            }
        }
    }
    // `/a/index.html/` too: a host cannot have a folder where the file of `a/` is; and so
    // `/a/index.html/index.html/` is `a/` as well.
    while segments.last().is_some_and(|s| is_index_file(s)) {
        segments.pop();
        folder = true;
    }
    let mut path = segments.join("/");
    if folder && !path.is_empty() {
        path.push('/');
    }
    match path_problem(&path) {
        Some((segment, problem)) => Err(UrlProblem::Segment(segment.to_string(), problem)),
        None => Ok(path),
    }
}

/// The first segment of `path` (`/`-separated) that cannot be published everywhere, with
/// its problem ([`segment_problem`]).
pub fn path_problem(path: &str) -> Option<(&str, SegmentProblem)> {
    path.split('/')
        .find_map(|segment| segment_problem(segment).map(|problem| (segment, problem)))
}

/// What site paths are compared by to find two that one host would serve from the same file:
/// a last `index.html` is its folder, and case and Unicode composition do not count.
/// Borrows when `path` is already in that form (every slug is).
pub fn collision_key(path: &str) -> Cow<'_, str> {
    let name_start = path.rfind('/').map_or(0, |slash| slash + 1);
    let path = if is_index_file(&path[name_start..]) {
        &path[..name_start]
    } else {
        path
    };
    fold(path)
}

/// `path` with case and Unicode composition taken out (lower case, NFC): what a host that
/// ignores both sees. Borrows when `path` is already in that form (every slug is).
pub fn fold(path: &str) -> Cow<'_, str> {
    if path
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return Cow::Borrowed(path);
    }
    let lower = path.to_lowercase();
    if is_nfc(&lower) {
        Cow::Owned(lower)
    } else {
        Cow::Owned(lower.nfc().collect())
    }
}

/// What keeps `segment` (one file or folder name of a site path) from being published on
/// every host; `None` when nothing does.
pub fn segment_problem(segment: &str) -> Option<SegmentProblem> {
    if segment.len() > MAX_SEGMENT {
        return Some(SegmentProblem::TooLong);
    }
    if let Some(c) = segment
        .chars()
        .find(|&c| c.is_control() || matches!(c, '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*'))
    {
        return Some(SegmentProblem::Character(c));
    }
    if segment.ends_with(['.', ' ']) {
        return Some(SegmentProblem::TrailingDotOrSpace);
    }
    // Windows ignores the extension and trailing spaces: `con.html` and `con .txt` are `con`.
    let stem = segment.split('.').next().unwrap_or_default().trim_end();
    let reserved = match stem.to_ascii_lowercase().as_str() {
        "con" | "prn" | "aux" | "nul" | "conin$" | "conout$" => true,
        device => {
            let number = device
                .strip_prefix("com")
                .or_else(|| device.strip_prefix("lpt"));
            number.is_some_and(|n| {
                matches!(
                    n,
                    "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
                )
            })
        }
    };
    reserved.then_some(SegmentProblem::Reserved)
}

impl SegmentProblem {
    /// What is wrong with `segment`, in both languages.
    pub fn describe(self, segment: &str) -> Text {
        match self {
            SegmentProblem::Reserved => msg!(
                "`{segment}` is a name Windows reserves for a device (con, prn, aux, nul, com1 to com9, lpt1 to lpt9, with any extension), so a site holding it cannot be published on every host",
                segment = segment
            ),
            SegmentProblem::Character(c) => msg!(
                "`{segment}` contains {character}, which file names cannot hold on every host",
                segment = segment.escape_debug(),
                character = format!("`{}`", c.escape_debug())
            ),
            SegmentProblem::TrailingDotOrSpace => msg!(
                "`{segment}` ends with a dot or a space, which Windows drops from file names",
                segment = segment
            ),
            SegmentProblem::TooLong => msg!(
                "`{segment}` is longer than {max} bytes, which not every host can hold as a file name",
                segment = segment,
                max = MAX_SEGMENT
            ),
        }
    }
}

impl UrlProblem {
    /// What is wrong with the alias `alias`, in both languages.
    pub fn describe_alias(&self, alias: &str) -> Text {
        match self {
            UrlProblem::NotRootRelative => msg!(
                "the alias `{alias}` is not a root-relative address",
                alias = alias
            ),
            UrlProblem::Absolute => msg!(
                "the alias `{alias}` is a full web address, not an old address of this site",
                alias = alias
            ),
            UrlProblem::QueryOrFragment => msg!(
                "the alias `{alias}` has a query (`?…`) or a fragment (`#…`), which a redirect page cannot have",
                alias = alias
            ),
            UrlProblem::BadEscape => msg!(
                "the alias `{alias}` has a `%` that is not followed by two hexadecimal digits",
                alias = alias
            ),
            UrlProblem::NotUtf8 => msg!(
                "the alias `{alias}` has percent-escapes that do not decode to UTF-8 text",
                alias = alias
            ),
            UrlProblem::EncodedSlash => msg!(
                "the alias `{alias}` has an encoded `/` (`%2F`)",
                alias = alias
            ),
            UrlProblem::EncodedUrlCharacter(c) => msg!(
                "the alias `{alias}` has an encoded `{character}`, which no address of this site can hold",
                alias = alias,
                character = c
            ),
            UrlProblem::AboveRoot => msg!(
                "the alias `{alias}` goes above the site's root with `..`",
                alias = alias
            ),
            UrlProblem::Segment(segment, problem) => msg!(
                "the alias `{alias}`: {problem}",
                alias = alias,
                problem = problem.describe(segment)
            ),
        }
    }

    /// How to fix the alias, in both languages.
    pub fn alias_hint(&self) -> Text {
        match self {
            UrlProblem::NotRootRelative | UrlProblem::AboveRoot => msg!(
                "write old addresses like /vecchio/indirizzo/, starting with / and without `..`"
            ),
            UrlProblem::Absolute | UrlProblem::QueryOrFragment => msg!(
                "write only the path of the old address on this site, e.g. /vecchio/indirizzo/"
            ),
            UrlProblem::BadEscape | UrlProblem::NotUtf8 => {
                msg!("write letters as they are, or escape UTF-8 bytes as %XX (a space is %20)")
            }
            UrlProblem::EncodedSlash => msg!("write `/` itself between the parts of the address"),
            UrlProblem::EncodedUrlCharacter(_) => {
                msg!("remove this alias: no file with `%` or `#` in its name is published")
            }
            UrlProblem::Segment(..) => {
                msg!("remove this alias: its redirect page could not be published on every host")
            }
        }
    }
}

/// True for `index.html` in any case: the file a host serves for its folder.
fn is_index_file(name: &str) -> bool {
    name.eq_ignore_ascii_case("index.html")
}

/// True when `url` starts with a URL scheme (`https:`, `mailto:`, `javascript:` …).
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Decodes the `%XX` escapes of one segment.
fn percent_decode(segment: &str) -> Result<String, UrlProblem> {
    if !segment.contains('%') {
        return Ok(segment.to_string());
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or(UrlProblem::BadEscape)?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| UrlProblem::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_address_have_one_normal_form() {
        for written in [
            "/spazi/via-piazzetta/",
            "/spazi//via-piazzetta/",
            "/spazi/./via-piazzetta/",
            "/spazi/via-piazzetta/.",
            "/notizie/../spazi/via-piazzetta/",
            "/spazi/via-piazzetta/index.html",
            "/spazi/via-piazzetta/INDEX.HTML",
            "/spazi/via-piazzetta//index.html",
            "/spazi/via-piazzetta/index.html/",
            // Found by the `paths` fuzz target: one `index.html` taken off left the normal
            // form `spazi/via-piazzetta/index.html/`, whose own normal form is shorter.
            "/spazi/via-piazzetta/index.html/index.html",
            "/spazi/via-piazzetta/index.html/INDEX.html/",
            "/spazi/via%2Dpiazzetta/",
            "/spazi/via-piazzetta/%2e/",
            "/spazi/x/%2E%2E/via-piazzetta///",
        ] {
            assert_eq!(
                normalize(written).unwrap(),
                "spazi/via-piazzetta/",
                "{written}"
            );
        }
        assert_eq!(normalize("/").unwrap(), "");
        assert_eq!(normalize("/index.html").unwrap(), "");
        assert_eq!(normalize("/a/..").unwrap(), "");
        assert_eq!(normalize("/vecchio").unwrap(), "vecchio");
        assert_eq!(normalize("/pagina.html").unwrap(), "pagina.html");
        assert_eq!(normalize("/caff%C3%A8/").unwrap(), "caffè/");
        assert_eq!(normalize("/a%20b/").unwrap(), "a b/");
        assert_eq!(normalize("/Spazi/").unwrap(), "Spazi/", "the case is kept");
    }

    #[test]
    fn normal_forms_are_stable() {
        for written in [
            "/a//b/./c/../",
            "/caff%C3%A8",
            "/x/index.html",
            "/",
            "/a.html",
        ] {
            let once = normalize(written).unwrap();
            assert_eq!(normalize(&format!("/{once}")).unwrap(), once, "{written}");
        }
    }

    #[test]
    fn addresses_that_are_not_site_paths() {
        use UrlProblem::*;
        for (written, problem) in [
            ("spazi/x/", NotRootRelative),
            ("", NotRootRelative),
            ("https://example.org/spazi/", Absolute),
            ("HTTP://example.org/", Absolute),
            ("javascript:alert(1)", Absolute),
            ("//example.org/spazi/", Absolute),
            ("/spazi/?id=4", QueryOrFragment),
            ("/spazi/#orari", QueryOrFragment),
            ("/spazi/%zz/", BadEscape),
            ("/spazi/%4", BadEscape),
            ("/spazi/%", BadEscape),
            ("/spazi/%ff/", NotUtf8),
            ("/spazi/..%2f..%2fetc/", EncodedSlash),
            ("/spazi%2Fx/", EncodedSlash),
            // Found by the `paths` fuzz target: `/%23/` had the normal form `#/`, which is not
            // its own normal form (it reads as a fragment), and `/%25` the form `%`.
            ("/%23/c", EncodedUrlCharacter('#')),
            ("/a%25", EncodedUrlCharacter('%')),
            ("/a%252e%252e/", EncodedUrlCharacter('%')),
            ("/..", AboveRoot),
            ("/spazi/../../x/", AboveRoot),
            ("/%2e%2e/x/", AboveRoot),
        ] {
            assert_eq!(normalize(written), Err(problem), "{written}");
        }
        for (written, segment, problem) in [
            ("/a%5Cb/", "a\\b", SegmentProblem::Character('\\')),
            ("/a\\b/", "a\\b", SegmentProblem::Character('\\')),
            ("/a%00/", "a\0", SegmentProblem::Character('\0')),
            ("/a%0A/", "a\n", SegmentProblem::Character('\n')),
            ("/a:b/", "a:b", SegmentProblem::Character(':')),
            ("/con/", "con", SegmentProblem::Reserved),
            ("/x/NUL.html", "NUL.html", SegmentProblem::Reserved),
            ("/a%20/", "a ", SegmentProblem::TrailingDotOrSpace),
        ] {
            assert_eq!(
                normalize(written),
                Err(UrlProblem::Segment(segment.into(), problem)),
                "{written}"
            );
        }
    }

    #[test]
    fn keys_ignore_case_composition_and_index_files() {
        assert_eq!(collision_key("spazi/x/"), "spazi/x/");
        assert!(matches!(collision_key("spazi/x/"), Cow::Borrowed(_)));
        assert_eq!(collision_key("spazi/x/index.html"), "spazi/x/");
        assert_eq!(collision_key("index.html"), "");
        assert_eq!(collision_key("Spazi/X/"), "spazi/x/");
        assert_eq!(collision_key("Spazi/X/Index.HTML"), "spazi/x/");
        // `È` composed and decomposed.
        assert_eq!(collision_key("\u{c8}/"), collision_key("E\u{300}/"));
        assert_ne!(collision_key("a.html"), collision_key("a/"));
    }

    #[test]
    fn reserved_and_unportable_segments() {
        for reserved in [
            "con",
            "CON",
            "Nul",
            "aux",
            "prn",
            "com1",
            "COM9",
            "lpt1",
            "lpt9",
            "con.html",
            "nul.tar.gz",
            "con .txt",
            "conin$",
            "com¹",
        ] {
            assert_eq!(
                segment_problem(reserved),
                Some(SegmentProblem::Reserved),
                "{reserved}"
            );
        }
        for fine in [
            "contatti",
            "con-te",
            "com0",
            "com10",
            "lpt",
            "nulla",
            "x.con",
            "via-piazzetta",
            "foto.jpg",
            "caffè",
            "a b",
        ] {
            assert_eq!(segment_problem(fine), None, "{fine}");
        }
        assert_eq!(segment_problem("a*b"), Some(SegmentProblem::Character('*')));
        assert_eq!(
            segment_problem("foto."),
            Some(SegmentProblem::TrailingDotOrSpace)
        );
    }

    #[test]
    fn problems_read_in_both_languages() {
        let text =
            UrlProblem::Segment("con".into(), SegmentProblem::Reserved).describe_alias("/con/");
        assert!(
            text.en
                .starts_with("the alias `/con/`: `con` is a name Windows reserves")
        );
        assert!(
            text.it
                .unwrap()
                .starts_with("l'alias `/con/`: `con` è un nome")
        );
    }
}
