//! Ordering as Italian readers expect: accents and case folded ("Àncora" sorts with A) and
//! numbers compared as numbers ("Municipio 9" before "Municipio 10").

use std::cmp::Ordering;

use rayon::prelude::*;

use crate::base::slug::slugify;
use crate::config::SortBy;
use crate::content::document::FrontMatter;

/// Compares two texts: folded, then digit runs by value.
pub fn compare_text(a: &str, b: &str) -> Ordering {
    compare_folded(a, &fold(a), b, &fold(b))
}

/// The form of a text that [`compare_text`] orders by: sorting many texts, fold each once.
pub fn fold(text: &str) -> String {
    slugify(text)
}

fn compare_folded(a: &str, folded_a: &str, b: &str, folded_b: &str) -> Ordering {
    natural(folded_a, folded_b).then_with(|| a.cmp(b))
}

/// The folded titles of `metas`, in order: the keys [`compare_pages`] needs.
pub fn folded_titles<'a>(
    metas: impl IndexedParallelIterator<Item = &'a FrontMatter>,
) -> Vec<String> {
    metas
        .map(|m| fold(m.title.as_deref().unwrap_or_default()))
        .collect()
}

/// Compares two pages' front matter for a listing sorted by `sort_by`; `folded` are their
/// titles as [`fold`] gives them.
pub fn compare_pages(
    (a, folded_a): (&FrontMatter, &str),
    (b, folded_b): (&FrontMatter, &str),
    sort_by: SortBy,
) -> Ordering {
    let title = || {
        compare_folded(
            a.title.as_deref().unwrap_or_default(),
            folded_a,
            b.title.as_deref().unwrap_or_default(),
            folded_b,
        )
    };
    let weight = || present_first(a.weight, b.weight, |x, y| x.cmp(&y));
    let date = || {
        present_first(a.date.as_ref(), b.date.as_ref(), |x, y| {
            y.timestamp().cmp(&x.timestamp())
        })
    };
    match sort_by {
        SortBy::Date => date().then_with(weight).then_with(title),
        SortBy::Weight => weight().then_with(title).then_with(date),
        SortBy::Title => title().then_with(date),
    }
}

/// Orders values that are there before missing ones, and present ones by `cmp`.
fn present_first<T>(a: Option<T>, b: Option<T>, cmp: impl Fn(T, T) -> Ordering) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => cmp(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Compares ASCII strings with runs of digits compared by numeric value.
fn natural(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let by_value = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if by_value != Ordering::Equal {
                    return by_value;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_titles_and_numbers() {
        let mut titles = vec![
            "b spazio",
            "Municipio 10",
            "Àncora",
            "Municipio 9",
            "ancora",
            "Zeta",
        ];
        titles.sort_by(|a, b| compare_text(a, b));
        assert_eq!(
            titles,
            [
                "ancora",
                "Àncora",
                "b spazio",
                "Municipio 9",
                "Municipio 10",
                "Zeta"
            ]
        );
        assert_eq!(compare_text("4", "10"), Ordering::Less);
        assert_eq!(
            compare_text("007", "7"),
            Ordering::Less,
            "ties broken by the raw text"
        );
    }
}
