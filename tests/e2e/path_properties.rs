//! Property tests of the names and paths made from content: slugs, the normal form of
//! addresses, and output paths, on generated hostile text (`..`, `/`, `\`, `%2e`, NUL,
//! accents and other Unicode, names Windows reserves …). An accepted output path is written
//! for real, into a folder inside a temporary one, and nothing may appear beside that folder.

use std::fs;
use std::path::{Component, Path};

use proptest::prelude::*;
use wemi::base::site_path::{self, SegmentProblem};
use wemi::base::slug::{is_slug, slugify};
use wemi::output::{self, OutputPath, UnsafePath};

/// Hostile pieces, space-separated, by kind: traversal and separators, escapes and URL
/// characters, names hosts treat specially, Unicode that slugs and file systems change.
const PIECES: [&str; 4] = [
    ".. . / // \\ \0 ~ - _ ' ’",
    "%2e %2E%2e %2f %5C %00 %25 %23 % # ? :",
    "index.html INDEX.HTML con NUL aux.html com1 LPT9.txt conin$ com¹",
    "à È e\u{301} ß Œ ø ł ǅ ﬁ ℌ \u{200b} \u{feff} \u{2028} 🏠",
];

/// One piece of hostile text.
fn piece() -> impl Strategy<Value = String> {
    let pieces: Vec<String> = PIECES
        .iter()
        .flat_map(|kind| kind.split(' '))
        .chain([" ", "\t", "\n", "\r"])
        .map(String::from)
        .collect();
    prop_oneof![
        3 => proptest::sample::select(pieces),
        2 => "[a-zA-Z0-9]{1,6}",
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{1,3}",
    ]
}

/// Hostile text: up to a dozen pieces.
fn hostile() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..12).prop_map(|pieces| pieces.concat())
}

/// Text with at least one Latin letter or digit among hostile pieces.
fn with_a_letter() -> impl Strategy<Value = String> {
    (hostile(), "[a-zA-Z0-9àèéìòùÀÉ]", hostile()).prop_map(|(a, letter, b)| a + &letter + &b)
}

/// Writes `path` (accepted as an output path) into `<tmp>/public` and checks that the file
/// is there and that nothing else appeared in `<tmp>`.
fn write_inside(path: &OutputPath) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    fs::create_dir(&out).unwrap();
    let file = out.join(path.as_str());
    assert!(
        file.strip_prefix(&out)
            .unwrap()
            .components()
            .all(|c| matches!(c, Component::Normal(_))),
        "{path}"
    );
    fs::create_dir_all(file.parent().unwrap()).unwrap();
    fs::write(&file, path.as_str()).unwrap();
    let written = file.canonicalize().unwrap();
    assert!(written.starts_with(out.canonicalize().unwrap()), "{path}");
    let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(
        beside.len(),
        1,
        "{path}: only public/ in the temporary folder"
    );
}

/// What every accepted output path is, whatever it came from.
fn assert_plain(path: &str) {
    assert!(!path.is_empty() && !path.starts_with('/'), "{path:?}");
    assert!(!path.contains(['\\', '\0']), "{path:?}");
    assert!(
        path.split('/').all(|s| !matches!(s, "" | "." | "..")),
        "{path:?}"
    );
    assert!(!Path::new(path).is_absolute(), "{path:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_slug_is_plain_and_idempotent(text in hostile()) {
        let slug = slugify(&text);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{slug:?}");
        prop_assert!(!slug.contains("..") && !slug.contains(['/', '\\', '\0', '%']));
        prop_assert_eq!(slugify(&slug), slug.clone());
        if is_slug(&text) {
            prop_assert_eq!(slug, text, "a slug is its own slug");
        }
    }

    #[test]
    fn a_slug_is_never_empty_when_the_text_has_a_latin_letter_or_digit(text in with_a_letter()) {
        let slug = slugify(&text);
        prop_assert!(is_slug(&slug), "{text:?} → {slug:?}");
    }

    /// A page's path is made of slugs: nothing but a name Windows reserves, or the length,
    /// keeps it from being an output path, and it is written inside the output folder.
    #[test]
    fn paths_made_of_slugs_stay_inside(names in proptest::collection::vec(with_a_letter(), 1..5)) {
        let slugs: Vec<String> = names.iter().map(|n| slugify(n)).collect();
        let page = format!("{}/index.html", slugs.join("/"));
        match OutputPath::new(&page) {
            Ok(path) => {
                assert_plain(path.as_str());
                write_inside(&path);
            }
            Err(why) => prop_assert!(
                matches!(
                    why,
                    UnsafePath::TooLong | UnsafePath::Segment(_, SegmentProblem::Reserved)
                ),
                "{page:?}: {why:?}"
            ),
        }
    }

    /// Any text: if it is accepted as an output path, it is written inside the output folder;
    /// `output::checked` gives the same answer, and names the file it came from when it refuses.
    #[test]
    fn accepted_output_paths_stay_inside(segments in proptest::collection::vec(hostile(), 1..5)) {
        let text = segments.join("/");
        let checked = output::checked(&text, "content/x.md");
        match OutputPath::new(&text) {
            Ok(path) => {
                prop_assert_eq!(checked.as_ref().ok(), Some(&path));
                assert_plain(path.as_str());
                write_inside(&path);
            }
            Err(_) => {
                let error = checked.unwrap_err();
                prop_assert_eq!(error.path, Path::new("content/x.md"));
                prop_assert!(error.message_it.is_some(), "the message has its Italian");
            }
        }
    }

    /// The normal form of an address is its own normal form, has no `.` or `..` segment, and
    /// its redirect page is an output path unless it is too long.
    #[test]
    fn normal_forms_are_stable_and_publishable(text in hostile()) {
        let Ok(normal) = site_path::normalize(&format!("/{text}")) else {
            return Ok(());
        };
        prop_assert_eq!(site_path::normalize(&format!("/{normal}")), Ok(normal.clone()));
        let file = if normal.is_empty() || normal.ends_with('/') {
            format!("{normal}index.html")
        } else {
            normal.clone()
        };
        match OutputPath::new(&file) {
            Ok(path) => {
                assert_plain(path.as_str());
                write_inside(&path);
            }
            Err(why) => prop_assert_eq!(why, UnsafePath::TooLong, "{:?}", file),
        }
    }
}
