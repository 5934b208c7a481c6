//! Script URLs: addresses that make a browser run script (`javascript:`, `vbscript:`) or show
//! a document of their own making (`data:`), seen the way a browser reads them.
//!
//! Markdown links and images with such an address are rendered inert ([`crate::markdown`]).
//! Values that templates receive (front matter, data files, shortcode arguments) are refused
//! instead, wherever they are written: wemi cannot know whether a template prints a value as
//! text or into an `href`, and Tera's escaping does not change a URL's scheme.

use std::path::Path;

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::Text;
use crate::base::i18n::msg;

/// The schemes whose URLs are never let through.
const SCRIPT_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The longest of [`SCRIPT_SCHEMES`]: reading a scheme stops after this many characters.
const LONGEST: usize = "javascript".len();

/// The script scheme `url` has when a browser follows it (`javascript`, `vbscript` or
/// `data`), in any case and whatever the spacing.
///
/// Browsers drop leading spaces and control characters, and tabs and line breaks anywhere
/// (`java\tscript:` is `javascript:`). Every whitespace and control character is dropped
/// here, which can only make more addresses count as script, never fewer. Entities are not
/// decoded: markdown has decoded them already, and templates escape `&`, so `&#106;` stays
/// text there.
pub fn scheme(url: &str) -> Option<&'static str> {
    let mut name = [0u8; LONGEST];
    let chars = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control());
    for (len, c) in chars.enumerate() {
        if c == ':' {
            let name = &name[..len];
            return SCRIPT_SCHEMES.into_iter().find(|s| s.as_bytes() == name);
        }
        if len == LONGEST || !c.is_ascii_alphabetic() {
            return None;
        }
        name[len] = c.to_ascii_lowercase() as u8;
    }
    None
}

/// Like [`scheme`], for a value that may be plain text rather than an address: `data:` counts
/// only when a media type follows (`data:text/html,…`), as it does in every data URL that
/// shows a document. "Data: 26 ottobre" is Italian for "date", and stays text.
pub fn in_value(text: &str) -> Option<&'static str> {
    let found = scheme(text)?;
    if found != "data" {
        return Some(found);
    }
    let (_, after) = text.split_once(':')?;
    let media_type = after.trim_start();
    let token_end = media_type
        .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
        .unwrap_or(media_type.len());
    let starts_with_letter = media_type.starts_with(|c: char| c.is_ascii_alphabetic());
    (starts_with_letter && media_type[token_end..].starts_with('/')).then_some(found)
}

/// The error for a value, named `key` (`extra.sito`, `voci[2].link`), that holds a script URL.
pub fn refused_value(file: &Path, key: &str, scheme: &str) -> Diagnostic {
    refused(
        file,
        msg!(
            "`{key}` is a {scheme}: address, which can run a script in the visitor's browser",
            key = key,
            scheme = scheme
        ),
    )
}

/// The error for the argument `key` of a call of the shortcode `name` that holds a script URL.
pub fn refused_argument(file: &Path, name: &str, key: &str, scheme: &str) -> Diagnostic {
    refused(
        file,
        msg!(
            "the argument `{key}` of `{name}` is a {scheme}: address, which can run a script in the visitor's browser",
            key = key,
            name = name,
            scheme = scheme
        ),
    )
}

fn refused(file: &Path, message: Text) -> Diagnostic {
    Diagnostic::new(Code::UnsafeScriptUrl, file, message).hint(msg!(
        "content may not hold javascript:, vbscript: or data: addresses; link to an https:// page instead, or, if this is text, begin it another way"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_schemes_are_found_in_every_spelling() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "  javascript:alert(1)",
            "\u{1}\u{1f}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscr\ript:alert(1)",
            // Browsers read these as relative paths; counting them too is on the safe side.
            "\u{a0}javascript:alert(1)",
            "java script:alert(1)",
            "\u{85}javascript:alert(1)",
            "vbscript:msgbox(1)",
            "VBScript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "DATA:,x",
        ] {
            assert!(scheme(url).is_some(), "{url:?}");
        }
    }

    #[test]
    fn other_addresses_are_not_script() {
        for url in [
            "https://comune.milano.it/",
            "mailto:wemi@comune.milano.it",
            "tel:+390288458041",
            "/spazi/via-piazzetta/",
            "#orari",
            "javascript",
            "javascript%3Aalert(1)",
            "\u{200b}javascript:alert(1)",
            "./javascript:alert(1)",
            "xjavascript:alert(1)",
            "",
        ] {
            assert_eq!(scheme(url), None, "{url:?}");
        }
    }

    #[test]
    fn text_that_only_looks_like_a_data_url_is_text() {
        assert_eq!(in_value("Data: 26 ottobre 2018"), None);
        assert_eq!(in_value("data: da definire"), None);
        assert_eq!(in_value("Data: 26/10/2018, ore 17"), None);
        assert_eq!(in_value("data:,testo"), None);
        assert_eq!(in_value("data: text/html,<b>"), Some("data"));
        assert_eq!(in_value("data:image/svg+xml;base64,PHN2Zz4="), Some("data"));
        assert_eq!(in_value(" JavaScript: alert(1)"), Some("javascript"));
        assert_eq!(in_value("vbscript:x"), Some("vbscript"));
        assert_eq!(in_value("Orari: 9-13"), None);
    }
}
