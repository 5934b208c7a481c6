//! Files saved on Windows: the real site, with every file an editor writes (content, site.yaml,
//! data, the theme's translations) saved with CRLF line endings, and then also with the byte
//! order mark that Notepad used to add (templates too), builds to the same bytes as with LF
//! line endings and no mark. Templates keep LF: their line endings are copied into the pages
//! as written (`.gitattributes` keeps them LF in every checkout).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{Site, walk};

/// Each file of a build's output (relative to it) with its bytes.
type Output = BTreeMap<PathBuf, Vec<u8>>;

/// The text files under `folder` of `site`.
fn text_files(site: &Site, folder: &str) -> Vec<PathBuf> {
    walk(&site.root.join(folder))
        .into_iter()
        .filter(|f| {
            let extension = f.extension().and_then(|e| e.to_str()).unwrap_or_default();
            [
                "md", "yaml", "yml", "csv", "json", "geojson", "html", "xml", "txt",
            ]
            .contains(&extension)
        })
        .collect()
}

/// The files an editor writes: site.yaml, content, data, the theme's translations.
fn editors_files(site: &Site) -> Vec<PathBuf> {
    let mut files = vec![site.root.join("site.yaml")];
    files.extend(text_files(site, "content"));
    files.extend(text_files(site, "data"));
    files.extend(text_files(site, "themes/wemi/i18n"));
    files
}

/// Rewrites each of `files` with `change`; how many there were.
fn rewrite(files: &[PathBuf], change: impl Fn(&str) -> String) -> usize {
    for file in files {
        let text = fs::read_to_string(file).unwrap();
        assert!(!text.contains('\r'), "{} has CR already", file.display());
        assert!(
            !text.starts_with('\u{feff}'),
            "{} has a BOM",
            file.display()
        );
        fs::write(file, change(&text)).unwrap();
    }
    files.len()
}

/// Builds `site`; its output.
fn build(site: &Site) -> Output {
    site.build_ok(&[]);
    site.snapshot()
        .into_iter()
        .map(|(path, bytes)| {
            let relative = path.strip_prefix(site.root.join("public")).unwrap();
            (relative.to_path_buf(), bytes)
        })
        .collect()
}

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

fn bom(text: &str) -> String {
    format!("\u{feff}{text}")
}

#[test]
fn the_real_site_saved_with_crlf_line_endings_or_a_bom_builds_to_the_same_bytes() {
    let expected = build(&Site::real());
    assert!(expected.contains_key(Path::new("index.html")));

    let windows = Site::real();
    let changed = rewrite(&editors_files(&windows), crlf);
    assert!(changed > 60, "only {changed} files rewritten");
    assert_same_output(&expected, &build(&windows), "CRLF");

    let notepad = Site::real();
    rewrite(&editors_files(&notepad), |text| bom(&crlf(text)));
    let templates = rewrite(&text_files(&notepad, "themes/wemi/templates"), bom);
    assert!(templates > 20, "only {templates} templates");
    assert_same_output(&expected, &build(&notepad), "BOM and CRLF");
}

fn assert_same_output(expected: &Output, built: &Output, how: &str) {
    let names = |output: &Output| output.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(expected), names(built), "{how}: other files");
    let differing: Vec<_> = expected
        .iter()
        .filter(|(path, bytes)| built[*path] != **bytes)
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(differing.is_empty(), "{how}: other bytes in {differing:?}");
}
