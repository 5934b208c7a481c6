//! Italian-aware slugs for URLs and heading ids.
//!
//! Accents are stripped (à → a, è/é → e), both apostrophes (' and ’) separate words, anything
//! else that is not a letter or digit becomes a single hyphen. A slug is always `[a-z0-9-]+`,
//! which is also what keeps every output path inside the output folder.

use unicode_normalization::UnicodeNormalization;

/// Turns `text` into a slug: "L'apertura dello spazio" → `l-apertura-dello-spazio`.
/// Returns an empty string when `text` has no Latin letter or digit at all.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.nfd() {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                push(&mut out, &mut pending_hyphen, c);
                continue;
            }
            'A'..='Z' => {
                push(&mut out, &mut pending_hyphen, c.to_ascii_lowercase());
                continue;
            }
            'ß' => "ss",
            'æ' | 'Æ' => "ae",
            'œ' | 'Œ' => "oe",
            'ø' | 'Ø' => "o",
            'ł' | 'Ł' => "l",
            'đ' | 'Đ' => "d",
            // Combining marks left by the decomposition: the accent of à, è, é …
            '\u{0300}'..='\u{036f}' => continue,
            _ => {
                pending_hyphen = !out.is_empty();
                continue;
            }
        };
        for m in mapped.chars() {
            push(&mut out, &mut pending_hyphen, m);
        }
    }
    out
}

fn push(out: &mut String, pending_hyphen: &mut bool, c: char) {
    if *pending_hyphen {
        out.push('-');
        *pending_hyphen = false;
    }
    out.push(c);
}

/// True when `s` is already a slug: lowercase ASCII letters, digits and inner hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_titles() {
        assert_eq!(
            slugify("L'apertura dello spazio di via Piazzetta"),
            "l-apertura-dello-spazio-di-via-piazzetta"
        );
        assert_eq!(slugify("L’apertura"), "l-apertura");
        assert_eq!(slugify("Attività è già perché"), "attivita-e-gia-perche");
        assert_eq!(
            slugify("  WeMi -- Tate/Colf/Badanti!  "),
            "wemi-tate-colf-badanti"
        );
        assert_eq!(slugify("XXV Aprile"), "xxv-aprile");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("../../x"), "x");
        assert_eq!(slugify("مرحبا"), "");
    }

    #[test]
    fn slug_check() {
        assert!(is_slug("via-piazzetta"));
        assert!(is_slug("2018"));
        for bad in ["", "-a", "a-", "a--b", "A", "a/b", "..", "à"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
