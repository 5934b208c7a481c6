//! The Snowball Italian stemmer (snowballstem.org, `algorithms/italian.sbl`, with the 'divan'
//! exception and the verb endings 'ono', 'uta', 'ute', 'uti', 'uto'), written out by hand so
//! that the search index needs no crate; `themes/wemi/static/js/search.js` ports the same
//! steps for the query, and a test runs both on the same words.
//!
//! Every step only removes or replaces an ending, so the regions (RV, R1, R2) found once at
//! the start stay valid as absolute positions.

/// The vowels of the algorithm (with grave accents; acute ones are made grave first).
fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'à' | 'è' | 'ì' | 'ò' | 'ù')
}

const PRONOUNS: &[&str] = &[
    "ci", "gli", "la", "le", "li", "lo", "mi", "ne", "si", "ti", "vi", "sene", "gliela", "gliele",
    "glieli", "glielo", "gliene", "mela", "mele", "meli", "melo", "mene", "tela", "tele", "teli",
    "telo", "tene", "cela", "cele", "celi", "celo", "cene", "vela", "vele", "veli", "velo", "vene",
];

/// What the standard suffixes do, in the groups of the algorithm.
#[derive(Clone, Copy)]
enum Standard {
    /// Deleted in R2.
    Delete,
    /// Deleted in R2, then a preceding `ic` in R2.
    Azione,
    /// Replaced by `log` in R2.
    Logia,
    /// Replaced by `u` in R2.
    Uzione,
    /// Replaced by `ente` in R2.
    Enza,
    /// Deleted in RV.
    Amento,
    /// Deleted in R1, then `iv` (and `at` before it), `os`, `ic` or `abil` in R2.
    Amente,
    /// Deleted in R2, then `abil`, `ic` or `iv` in R2.
    Ita,
    /// Deleted in R2, then `at` in R2 and `ic` before it in R2.
    Ivo,
}

const STANDARD: &[(&str, Standard)] = {
    use Standard::*;
    &[
        ("anza", Delete),
        ("anze", Delete),
        ("ico", Delete),
        ("ici", Delete),
        ("ica", Delete),
        ("ice", Delete),
        ("iche", Delete),
        ("ichi", Delete),
        ("ismo", Delete),
        ("ismi", Delete),
        ("abile", Delete),
        ("abili", Delete),
        ("ibile", Delete),
        ("ibili", Delete),
        ("ista", Delete),
        ("iste", Delete),
        ("isti", Delete),
        ("istà", Delete),
        ("istè", Delete),
        ("istì", Delete),
        ("oso", Delete),
        ("osi", Delete),
        ("osa", Delete),
        ("ose", Delete),
        ("mente", Delete),
        ("atrice", Delete),
        ("atrici", Delete),
        ("ante", Delete),
        ("anti", Delete),
        ("azione", Azione),
        ("azioni", Azione),
        ("atore", Azione),
        ("atori", Azione),
        ("logia", Logia),
        ("logie", Logia),
        ("uzione", Uzione),
        ("uzioni", Uzione),
        ("usione", Uzione),
        ("usioni", Uzione),
        ("enza", Enza),
        ("enze", Enza),
        ("amento", Amento),
        ("amenti", Amento),
        ("imento", Amento),
        ("imenti", Amento),
        ("amente", Amente),
        ("ità", Ita),
        ("ivo", Ivo),
        ("ivi", Ivo),
        ("iva", Ivo),
        ("ive", Ivo),
    ]
};

const VERB: &[&str] = &[
    "ammo", "ando", "ano", "are", "arono", "asse", "assero", "assi", "assimo", "ata", "ate", "ati",
    "ato", "ava", "avamo", "avano", "avate", "avi", "avo", "emmo", "enda", "ende", "endi", "endo",
    "erà", "erai", "eranno", "ere", "erebbe", "erebbero", "erei", "eremmo", "eremo", "ereste",
    "eresti", "erete", "erò", "erono", "essero", "ete", "eva", "evamo", "evano", "evate", "evi",
    "evo", "iamo", "immo", "irà", "irai", "iranno", "ire", "irebbe", "irebbero", "irei", "iremmo",
    "iremo", "ireste", "iresti", "irete", "irò", "irono", "isca", "iscano", "isce", "isci", "isco",
    "iscono", "issero", "ita", "ite", "iti", "ito", "iva", "ivamo", "ivano", "ivate", "ivi", "ivo",
    "ono", "uta", "ute", "uti", "uto", "ar", "ir",
];

/// A word being stemmed, with its regions (indices into `chars`).
struct Word {
    chars: Vec<char>,
    rv: usize,
    r1: usize,
    r2: usize,
}

impl Word {
    /// True when the word ends with `suffix`.
    fn ends_with(&self, suffix: &str) -> bool {
        let n = suffix.chars().count();
        n <= self.chars.len()
            && self.chars[self.chars.len() - n..]
                .iter()
                .copied()
                .eq(suffix.chars())
    }

    /// Where `suffix` starts, when the word ends with it.
    fn start_of(&self, suffix: &str) -> usize {
        self.chars.len() - suffix.chars().count()
    }

    /// The longest of `list` the word ends with, starting at `from` or later.
    fn longest<'a, T: Copy>(
        &self,
        list: &'a [T],
        key: impl Fn(T) -> &'a str,
        from: usize,
    ) -> Option<T> {
        list.iter()
            .copied()
            .filter(|&s| self.ends_with(key(s)) && self.start_of(key(s)) >= from)
            .max_by_key(|&s| key(s).chars().count())
    }

    /// Removes the last `n` characters.
    fn cut(&mut self, n: usize) {
        self.chars.truncate(self.chars.len() - n);
    }

    /// Replaces `suffix` (which the word ends with) by `by`.
    fn replace(&mut self, suffix: &str, by: &str) {
        self.cut(suffix.chars().count());
        self.chars.extend(by.chars());
    }

    /// Deletes `suffix` when the word ends with it and it starts at `region` or later.
    fn delete_in(&mut self, suffix: &str, region: usize) -> bool {
        let found = self.ends_with(suffix) && self.start_of(suffix) >= region;
        if found {
            self.cut(suffix.chars().count());
        }
        found
    }
}

/// The stem of `word`, a lowercase word.
pub fn stem(word: &str) -> String {
    let mut chars = prelude(word);
    let (rv, r1, r2) = regions(&chars);
    chars.shrink_to_fit();
    let mut w = Word { chars, rv, r1, r2 };
    attached_pronoun(&mut w);
    if !standard_suffix(&mut w) {
        verb_suffix(&mut w);
    }
    vowel_suffix(&mut w);
    w.chars
        .iter()
        .map(|&c| match c {
            'I' => 'i',
            'U' => 'u',
            c => c,
        })
        .collect()
}

/// Acute accents made grave, `u` after `q` and `u`, `i` between vowels marked as consonants
/// (upper case).
fn prelude(word: &str) -> Vec<char> {
    let mut chars: Vec<char> = word
        .chars()
        .map(|c| match c {
            'á' => 'à',
            'é' => 'è',
            'í' => 'ì',
            'ó' => 'ò',
            'ú' => 'ù',
            c => c,
        })
        .collect();
    for i in 1..chars.len() {
        if chars[i] == 'u' && chars[i - 1] == 'q' {
            chars[i] = 'U';
        }
    }
    for i in 0..chars.len().saturating_sub(2) {
        if is_vowel(chars[i]) && matches!(chars[i + 1], 'u' | 'i') && is_vowel(chars[i + 2]) {
            chars[i + 1] = chars[i + 1].to_ascii_uppercase();
        }
    }
    chars
}

/// RV, R1 and R2 as the start index of each region (the length when a region is empty).
fn regions(w: &[char]) -> (usize, usize, usize) {
    let len = w.len();
    let v = |i: usize| i < len && is_vowel(w[i]);
    let consonant = |i: usize| i < len && !is_vowel(w[i]);
    // The index after the first character at `from` or later that `test` accepts.
    let past =
        |from: usize, test: &dyn Fn(usize) -> bool| (from..len).find(|&i| test(i)).map(|i| i + 1);
    let rv = if v(0) {
        if consonant(1) {
            past(2, &v)
        } else if v(1) {
            past(2, &consonant)
        } else {
            None
        }
    } else if w.starts_with(&['d', 'i', 'v', 'a', 'n']) {
        Some(5)
    } else if consonant(0) {
        if consonant(1) {
            past(2, &v)
        } else if v(1) && len >= 3 {
            Some(3)
        } else {
            None
        }
    } else {
        None
    };
    let r1 = past(0, &v).and_then(|i| past(i, &consonant));
    let r2 = r1
        .and_then(|i| past(i, &v))
        .and_then(|i| past(i, &consonant));
    (rv.unwrap_or(len), r1.unwrap_or(len), r2.unwrap_or(len))
}

fn attached_pronoun(w: &mut Word) {
    let Some(pronoun) = w.longest(PRONOUNS, |s| s, 0) else {
        return;
    };
    let before = w.start_of(pronoun);
    let stem = Word {
        chars: w.chars[..before].to_vec(),
        ..*w
    };
    let Some(ending) = stem.longest(&["ando", "endo", "ar", "er", "ir"], |s| s, 0) else {
        return;
    };
    if stem.start_of(ending) < w.rv {
        return;
    }
    if ending.ends_with("do") {
        w.cut(pronoun.chars().count());
    } else {
        w.replace(pronoun, "e");
    }
}

/// The standard suffix step; false when no suffix of the list is in its region.
fn standard_suffix(w: &mut Word) -> bool {
    let Some((suffix, kind)) = w.longest(STANDARD, |(s, _)| s, 0) else {
        return false;
    };
    let start = w.start_of(suffix);
    let in_r2 = start >= w.r2;
    match kind {
        Standard::Delete | Standard::Azione | Standard::Ita | Standard::Ivo if in_r2 => {
            w.cut(suffix.chars().count());
            match kind {
                Standard::Azione => {
                    w.delete_in("ic", w.r2);
                }
                Standard::Ita => {
                    if let Some(s) = w.longest(&["abil", "ic", "iv"], |s| s, 0) {
                        w.delete_in(s, w.r2);
                    }
                }
                Standard::Ivo => {
                    // `ic` goes only after `at` went.
                    let _ = w.delete_in("at", w.r2) && w.delete_in("ic", w.r2);
                }
                _ => {}
            }
        }
        Standard::Logia if in_r2 => w.replace(suffix, "log"),
        Standard::Uzione if in_r2 => w.replace(suffix, "u"),
        Standard::Enza if in_r2 => w.replace(suffix, "ente"),
        Standard::Amento if start >= w.rv => w.cut(suffix.chars().count()),
        Standard::Amente if start >= w.r1 => {
            w.cut(suffix.chars().count());
            if let Some(s) = w.longest(&["iv", "os", "ic", "abil"], |s| s, 0)
                && w.delete_in(s, w.r2)
                && s == "iv"
            {
                w.delete_in("at", w.r2);
            }
        }
        _ => return false,
    }
    true
}

fn verb_suffix(w: &mut Word) {
    if let Some(suffix) = w.longest(VERB, |s| s, w.rv) {
        w.cut(suffix.chars().count());
    }
}

fn vowel_suffix(w: &mut Word) {
    if let Some(&last) = w.chars.last()
        && matches!(last, 'a' | 'e' | 'i' | 'o' | 'à' | 'è' | 'ì' | 'ò')
        && w.chars.len() > w.rv
    {
        w.cut(1);
        w.delete_in("i", w.rv);
    }
    let n = w.chars.len();
    if n >= 2 && w.chars[n - 1] == 'h' && matches!(w.chars[n - 2], 'c' | 'g') && n - 2 >= w.rv {
        w.cut(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words and stems from Snowball's own test data for Italian (snowball-data,
    /// `italian/voc.txt` and `output.txt`).
    #[test]
    fn snowball_examples() {
        let examples = [
            ("abbandonata", "abbandon"),
            ("abbandonerà", "abbandon"),
            ("abbandono", "abband"),
            ("abbandonò", "abbandon"),
            ("abbandonarlo", "abbandon"),
            ("abbassamento", "abbass"),
            ("abbattuto", "abbatt"),
            ("abbenché", "abbenc"),
            ("abbondantemente", "abbondant"),
            ("abilità", "abil"),
            ("abilitazione", "abilit"),
            ("abitudine", "abitudin"),
            ("abitualmente", "abitual"),
            ("accademicamente", "accadem"),
            ("accoglienza", "accoglient"),
            ("accomodarcisi", "accomodarcis"),
            ("acciughe", "acciug"),
            ("accessibili", "access"),
            ("acquietandosele", "acquietandosel"),
            ("aiuola", "aiuol"),
            ("quando", "quand"),
            ("divano", "divan"),
        ];
        for (word, expected) in examples {
            assert_eq!(stem(word), expected, "{word}");
        }
    }
}
