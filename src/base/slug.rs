//! Italian-aware slugs for URLs and heading ids.
//!
//! Accents are stripped (à → a, è/é → e), both apostrophes (' and ’) separate words, anything
//! else that is not a letter or digit becomes a single hyphen. A slug is always `[a-z0-9-]+`,
//! which is also what keeps every output path inside the output folder.

use unicode_normalization::char::decompose_canonical;

/// Turns `text` into a slug: "L'apertura dello spazio" → `l-apertura-dello-spazio`.
/// Returns an empty string when `text` has no Latin letter or digit at all.
///
/// Characters are decomposed one by one (à → a + grave accent). Full NFD would also reorder
/// runs of combining marks, but no mark is kept, so the slug is the same.
pub fn slugify(text: &str) -> String {
    let mut slug = Slug {
        out: String::with_capacity(text.len()),
        pending_hyphen: false,
    };
    for c in text.chars() {
        if c.is_ascii() {
            slug.add(c);
        } else {
            decompose_canonical(c, |part| slug.add(part));
        }
    }
    slug.out
}

/// A slug being written.
struct Slug {
    out: String,
    /// A separator was seen after the last letter or digit.
    pending_hyphen: bool,
}

impl Slug {
    /// Adds one character of the decomposed text.
    fn add(&mut self, c: char) {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => return self.push(c),
            'A'..='Z' => return self.push(c.to_ascii_lowercase()),
            'ß' => "ss",
            'æ' | 'Æ' => "ae",
            'œ' | 'Œ' => "oe",
            'ø' | 'Ø' => "o",
            'ł' | 'Ł' => "l",
            'đ' | 'Đ' => "d",
            // Combining marks left by the decomposition: the accent of à, è, é …
            '\u{0300}'..='\u{036f}' => return,
            _ => {
                self.pending_hyphen = !self.out.is_empty();
                return;
            }
        };
        for m in mapped.chars() {
            self.push(m);
        }
    }

    fn push(&mut self, c: char) {
        if self.pending_hyphen {
            self.out.push('-');
            self.pending_hyphen = false;
        }
        self.out.push(c);
    }
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

    /// The slug of the fully normalised (NFD) text, as slugs were first made.
    fn slugify_nfd(text: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut slug = Slug {
            out: String::new(),
            pending_hyphen: false,
        };
        text.nfd().for_each(|c| slug.add(c));
        slug.out
    }

    #[test]
    fn decomposing_each_character_equals_nfd() {
        let samples = [
            "Attività è già perché",
            "Ça, Öl, Ñandú, Łódź, Đakovo, Æther, Œuvre, Øre",
            // Combining marks out of canonical order, in and outside U+0300–U+036F.
            "e\u{0301}\u{0316}x a\u{0316}\u{0301}b \u{1e0b}\u{0323}c q\u{0591}\u{0301}r",
            "한국어 ǅemal ﬁne ℌ x\u{0345}\u{0301}y",
            "  -- ",
            "",
        ];
        for text in samples {
            assert_eq!(slugify(text), slugify_nfd(text), "{text:?}");
        }
        // Every character of the Latin, Greek and combining blocks, alone and between letters.
        for c in ('\u{00a0}'..='\u{052f}').chain('\u{1e00}'..='\u{1eff}') {
            for text in [c.to_string(), format!("a{c}b"), format!("a{c}\u{0301}b")] {
                assert_eq!(slugify(&text), slugify_nfd(&text), "{text:?}");
            }
        }
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
