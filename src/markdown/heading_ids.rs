//! Heading ids: the `id` each heading of a page gets, which `#…` links name.
//!
//! The rule is GitHub's (which Hugo follows too), so that anchors written for those sites keep
//! working: the heading's text is lowercased, letters, digits, `-` and `_` are kept, every other
//! character (punctuation, symbols) is dropped, and each space becomes a `-`. Two differences
//! keep the links Italian editors already write: accents are taken off letters (`Perché` →
//! `perche`), and an apostrophe (`'` or `’`) counts as a space (`L'offerta` → `l-offerta`).
//! A heading whose id would be empty gets `heading`; an id already given in the page gets the
//! first free `-1`, `-2` … after it.

use std::collections::{HashMap, HashSet};

use unicode_normalization::char::decompose_canonical;

/// The id of a heading whose text is `title`, before it is made unique in its page: `## 1.
/// Orari & contatti` → `1-orari--contatti`, `## L'ultima tappa` → `l-ultima-tappa`.
pub fn heading_id(title: &str) -> String {
    let mut id = String::with_capacity(title.len());
    for c in title.trim().chars() {
        match c {
            'a'..='z' | '0'..='9' | '-' | '_' => id.push(c),
            'A'..='Z' => id.push(c.to_ascii_lowercase()),
            '\'' | '’' => id.push('-'),
            c if c.is_whitespace() => id.push('-'),
            c if c.is_ascii() => {}
            // Letters lose their accents: à → a + a grave accent, which is dropped.
            c => decompose_canonical(c, |part| {
                if part.is_alphanumeric() && !('\u{0300}'..='\u{036f}').contains(&part) {
                    id.extend(part.to_lowercase());
                }
            }),
        }
    }
    id
}

/// The heading ids given so far in a page.
#[derive(Default)]
pub struct HeadingIds {
    used: HashSet<String>,
    /// For each wanted id, the number to try next after it: with thousands of headings of the
    /// same text, each one does not try every number the ones before it took.
    next_number: HashMap<String, usize>,
}

impl HeadingIds {
    /// `wanted` (or `heading` when empty), else the first of `wanted-1`, `wanted-2` … not
    /// given yet.
    pub fn unique(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "heading" } else { wanted };
        // Most ids are free: one look-up of the set both tells and takes it.
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next_number.entry(base.to_string()).or_insert(1);
        // Ids are never taken back, so the numbers tried before are still taken.
        let mut candidate = format!("{base}-{n}");
        *n += 1;
        while self.used.contains(&candidate) {
            candidate = format!("{base}-{n}");
            *n += 1;
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_github_but_drop_accents_and_split_at_apostrophes() {
        for (title, id) in [
            ("1. Orari & contatti", "1-orari--contatti"),
            ("-x", "-x"),
            ("Opening hours", "opening-hours"),
            ("What is WeMi?", "what-is-wemi"),
            ("foo.bar", "foobar"),
            ("snake_case e kebab-case", "snake_case-e-kebab-case"),
            ("C++ & Rust", "c--rust"),
            ("Orari — estate", "orari--estate"),
            (
                "Perché alcune notizie sono vecchie?",
                "perche-alcune-notizie-sono-vecchie",
            ),
            ("Più info", "piu-info"),
            (
                "L'ultima tappa di #SostieneMilano",
                "l-ultima-tappa-di-sostienemilano",
            ),
            ("Che cos’è WeMi?", "che-cos-e-wemi"),
            ("ÀÉÎÕÜ ç", "aeiou-c"),
            ("Straße", "straße"),
            ("Привет мир", "привет-мир"),
            ("  spazi intorno  ", "spazi-intorno"),
            ("", ""),
            ("???", ""),
            ("🎉 Festa", "-festa"),
        ] {
            assert_eq!(heading_id(title), id, "{title:?}");
        }
    }

    #[test]
    fn empty_and_repeated_ids_are_numbered() {
        let mut ids = HeadingIds::default();
        let given: Vec<String> = ["", "", "a", "a", "heading-1", "heading"]
            .iter()
            .map(|wanted| ids.unique(wanted))
            .collect();
        assert_eq!(
            given,
            [
                "heading",
                "heading-1",
                "a",
                "a-1",
                "heading-1-1",
                "heading-2"
            ]
        );
    }
}
