//! The search index (`search: { enabled: true }` in `site.yaml`), read as the client reads it:
//! the manifest, the term chunk that holds a term, the document files of its results. The
//! terms asked for are Snowball Italian stems of folded words ("città" and "citta" → "citt";
//! "spazio" and "spazi" → "spaz"). A 10,000-page site gives many small chunks; the browser
//! test opens /cerca/?q=citta on the real theme and reads the results.

use crate::common;

use std::fs;
use std::path::Path;

use common::Site;
use serde_json::Value;

/// A term chunk is cut at this size (`CHUNK_TARGET` in src/generated/search/mod.rs); only a
/// chunk of one term may be larger.
const CHUNK_TARGET: usize = 16 * 1024;

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The URLs of the documents the index lists for `term`, with their titles, as the client
/// finds them: the chunk is the last whose first term is not after `term`.
fn lookup(public: &Path, lang: &str, term: &str) -> Vec<(String, String)> {
    let base = public.join("search").join(lang);
    let manifest = read_json(&base.join("index.json"));
    let firsts: Vec<&str> = manifest["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let Some(n) = firsts.iter().rposition(|first| *first <= term) else {
        return Vec::new();
    };
    let chunk = read_json(&base.join(format!("terms/{n}.json")));
    let Some(postings) = chunk[term].as_array() else {
        return Vec::new();
    };
    let per_file = manifest["docs_per_file"].as_u64().unwrap();
    let mut doc = 0;
    let mut found = Vec::new();
    for pair in postings.chunks(2) {
        doc += pair[0].as_u64().unwrap();
        assert!(pair[1].as_u64().unwrap() >= 1, "a weight is at least 1");
        let group = read_json(&base.join(format!("docs/{}.json", doc / per_file)));
        let shown = &group[(doc % per_file) as usize];
        found.push((
            shown["url"].as_str().unwrap().to_string(),
            shown["title"].as_str().unwrap().to_string(),
        ));
    }
    found
}

fn urls(found: &[(String, String)]) -> Vec<&str> {
    let mut urls: Vec<&str> = found.iter().map(|(url, _)| url.as_str()).collect();
    urls.sort();
    urls
}

#[test]
fn accented_and_plain_words_find_the_same_pages_and_drafts_are_left_out() {
    let site = Site::fixture("search");
    site.build_ok(&[]);
    let public = site.root.join("public");
    // "città" (in a page and a description) and "citta" (in a news item) are one term; the
    // draft that says "città" is not in the index.
    assert_eq!(
        urls(&lookup(&public, "it", "citt")),
        ["/notizie/apertura/", "/spazi/centro/"]
    );
    // "spazio", "spazi": one stem.
    assert_eq!(
        urls(&lookup(&public, "it", "spaz")),
        ["/notizie/apertura/", "/spazi/", "/spazi/centro/"]
    );
    assert!(lookup(&public, "it", "segretissim").is_empty());
    assert!(lookup(&public, "it", "bozz").is_empty());
    // Entities are decoded ("orari &amp; servizi").
    assert_eq!(urls(&lookup(&public, "it", "orar")), ["/notizie/apertura/"]);
    // Stop words are not terms.
    assert!(lookup(&public, "it", "della").is_empty());
    // What a result shows.
    let group = read_json(&public.join("search/it/docs/0.json"));
    let centro = group
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["url"] == "/spazi/centro/")
        .expect("the page is in the first document file");
    assert_eq!(centro["title"], "Spazio Centro");
    assert_eq!(centro["section"], "Spazi");
    assert_eq!(centro["excerpt"], "Lo spazio nel centro della città.");
}

#[test]
fn search_is_off_unless_site_yaml_turns_it_on() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.public("search").exists());
}

#[test]
fn a_bad_search_setting_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    let line = site.add_to_config("search:\n  enable: true\n");
    let stderr = site.build_err(&[], 2);
    assert!(stderr.contains("enable"), "{stderr}");
    assert!(stderr.contains("did you mean `enabled`?"), "{stderr}");
    assert!(
        stderr.contains(&format!("site.yaml:{}", line + 2)),
        "{stderr}"
    );

    let site = Site::fixture("basic");
    let line = site.add_to_config("search:\n  enabled: sì\n");
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains(&format!("site.yaml:{}", line + 2)),
        "{stderr}"
    );
    assert!(stderr.contains("expected true or false"), "{stderr}");
}

/// Nonsense words from a fixed generator: a vocabulary of thousands of terms.
fn pseudo_word(seed: u64) -> String {
    let syllables = [
        "ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "ca",
        "de", "fi", "go", "lu", "ma",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut word = String::new();
    for _ in 0..3 + (x % 3) {
        word.push_str(syllables[(x >> 33) as usize % syllables.len()]);
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
    }
    word
}

#[test]
fn ten_thousand_pages_give_many_small_chunks() {
    let site = Site::fixture("search");
    const PAGES: usize = 10_000;
    for i in 0..PAGES {
        let words: Vec<String> = (0..60)
            .map(|k| pseudo_word((i * 7919 + k * 104_729) as u64 % 20_000))
            .collect();
        site.write(
            &format!("content/notizie/n{i}.md"),
            format!(
                "---\ntitle: Notizia {i}\n---\nUna notizia della città, numero n{i}: {}.\n",
                words.join(" ")
            ),
        );
    }
    // Generous: only catches a hang or a cost that grows with the square of the pages.
    let out = site.build_within(&[], std::time::Duration::from_secs(300));
    common::assert_success(&out.output);
    let base = site.public("search/it");
    let manifest = read_json(&base.join("index.json"));
    let chunks = manifest["chunks"].as_array().unwrap().len();
    let docs = manifest["docs"].as_u64().unwrap() as usize;
    assert!(docs > PAGES, "every page and section: {docs}");
    assert!(chunks >= 50, "{chunks} chunks");
    let mut largest = 0;
    for n in 0..chunks {
        let path = base.join(format!("terms/{n}.json"));
        let size = fs::metadata(&path).unwrap().len() as usize;
        let terms = read_json(&path).as_object().unwrap().len();
        assert!(
            size <= CHUNK_TARGET || terms == 1,
            "chunk {n}: {size} bytes, {terms} terms"
        );
        largest = largest.max(size);
    }
    // The largest chunk holds a term of every page ("citt", "notiz"): about 4 bytes a page.
    assert!(largest <= 64 * 1024, "largest chunk: {largest} bytes");
    let doc_files = fs::read_dir(base.join("docs")).unwrap().count();
    assert_eq!(doc_files, docs.div_ceil(8));
    // The manifest stays small: what every query downloads first.
    assert!(fs::metadata(base.join("index.json")).unwrap().len() < 16 * 1024);
    // A term of one page is found in it.
    let page = 1234;
    assert_eq!(
        urls(&lookup(
            &site.root.join("public"),
            "it",
            &format!("n{page}")
        )),
        [format!("/notizie/n{page}/").as_str()]
    );
}

#[test]
fn browser_search_page_finds_citta_and_spazio_on_the_real_site() {
    let site = Site::real();
    site.build_ok(&[]);
    let profile = tempfile::tempdir().unwrap();
    let public = site.root.join("public");
    let report = common::tools::run_in_browser(
        "search.mjs",
        [
            profile.path().as_os_str(),
            public.as_os_str(),
            "citta".as_ref(),
            "Città".as_ref(),
            "spazio".as_ref(),
        ],
    );
    let answers = report.as_array().unwrap();
    let result_urls = |i: usize| -> Vec<String> {
        answers[i]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect()
    };
    // "citta" without its accent finds the home page, whose text says "della città".
    let citta = &answers[0];
    let found = result_urls(0);
    assert!(found.contains(&"/".to_string()), "{citta}");
    let status = citta["status"].as_str().unwrap();
    assert!(
        status.ends_with("risultati per «citta»") || status == "1 risultato per «citta»",
        "{status}"
    );
    assert_eq!(citta["live"], "status", "the count is announced");
    assert_eq!(citta["input"], "citta", "the box shows the query");
    let count: usize = status.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(
        found.len(),
        count.min(10),
        "the first ten results are listed"
    );
    // With its accent and a capital: the same pages.
    assert_eq!(result_urls(1), found);
    // "spazio" finds the spaces section, whose text speaks of "spazi".
    assert!(
        result_urls(2).contains(&"/spazi/".to_string()),
        "{}",
        answers[2]
    );
    for answer in answers {
        assert_eq!(answer["elsewhere"], serde_json::json!([]), "no other host");
        let fetched = answer["fetched"].as_array().unwrap();
        // The manifest, the chunk of the word, the document files of the results: never
        // the whole index.
        assert!(fetched.iter().any(|f| f["path"] == "/search/it/index.json"));
        let chunks = fetched
            .iter()
            .filter(|f| f["path"].as_str().unwrap().starts_with("/search/it/terms/"))
            .count();
        assert_eq!(chunks, 1, "{answer}");
    }
}
