//! From text to index terms: words split at every character that is not a letter or a digit,
//! folded (lower case, accents removed: "Città" → "citta"), Italian stop words left out, and
//! Italian words stemmed. `themes/wemi/static/js/search.js` does the same to the query.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::stem::stem;

/// Longer words are cut to this many characters (a long run of letters is not a word a
/// reader types, and the cut keeps one hostile "word" from making a huge term).
pub const MAX_WORD: usize = 40;

/// Italian words too common to find anything, folded; the query leaves them out too.
pub const STOP_WORDS: &[&str] = &[
    "a", "ad", "al", "alla", "alle", "agli", "ai", "all", "anche", "c", "che", "chi", "ci", "con",
    "cui", "d", "da", "dal", "dalla", "dai", "dei", "del", "della", "delle", "degli", "dell", "di",
    "e", "ed", "gli", "i", "il", "in", "l", "la", "le", "lo", "ma", "ne", "nel", "nella", "nei",
    "nell", "non", "o", "per", "piu", "se", "si", "su", "sul", "sulla", "tra", "fra", "un", "una",
    "uno",
];

/// `text` in lower case without accents or other combining marks.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text` as written.
pub fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A word of [`raw_words`] folded and cut to [`MAX_WORD`] characters.
pub fn folded_word(word: &str) -> String {
    let folded = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        fold(word)
    };
    folded.chars().take(MAX_WORD).collect()
}

/// The index term of a folded word, or `None` for an Italian stop word; `italian` says
/// whether to stem (words of other languages are only folded).
pub fn term(word: &str, italian: bool) -> Option<String> {
    if !italian {
        return Some(word.to_string());
    }
    if STOP_WORDS.contains(&word) {
        return None;
    }
    // Numbers and codes such as "20149" are kept as they are.
    if word.chars().any(|c| c.is_ascii_digit()) {
        return Some(word.to_string());
    }
    Some(stem(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Città"), "citta");
        assert_eq!(fold("PERCHÉ così"), "perche cosi");
        // Already decomposed input: "e" followed by a combining acute accent.
        assert_eq!(fold("caffe\u{301}"), "caffe");
    }

    #[test]
    fn words_split_at_apostrophes_and_punctuation() {
        let words = |text| raw_words(text).map(folded_word).collect::<Vec<_>>();
        let found = words("L'Assistenza, dell'anziano: 3 ore/giorno!");
        assert_eq!(
            found,
            ["l", "assistenza", "dell", "anziano", "3", "ore", "giorno"]
        );
        let long = "a".repeat(500);
        assert_eq!(words(&long)[0].len(), MAX_WORD);
    }

    #[test]
    fn accented_and_plain_words_give_one_term() {
        let term_of = |w: &str| term(&fold(w), true);
        assert_eq!(term_of("città"), term_of("citta"));
        assert_eq!(term_of("città").as_deref(), Some("citt"));
        assert_eq!(term_of("spazio"), term_of("spazi"));
        assert_eq!(term_of("della"), None);
        assert_eq!(term_of("20149").as_deref(), Some("20149"));
        assert_eq!(term("spazi", false).as_deref(), Some("spazi"));
    }
}
