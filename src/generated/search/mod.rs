//! The search index, made at build time for `themes/wemi/static/js/search.js`, split so that
//! a query downloads only what it needs, whatever the size of the site:
//!
//! - `search/<lang>/index.json`: the manifest: the first term of every term chunk, how many
//!   documents there are and how they are grouped, the stop words, whether terms are stemmed;
//! - `search/<lang>/terms/<n>.json`: the terms in order, cut into chunks of about
//!   [`CHUNK_TARGET`] bytes; each term maps to its documents and weights;
//! - `search/<lang>/docs/<n>.json`: what a result shows (URL, title, section, excerpt), for
//!   [`DOCS_PER_FILE`] documents at a time.
//!
//! A one-word query reads the manifest, one term chunk and the document files of the results
//! it shows. Terms are folded and, in Italian, stemmed ([`words`], [`stem`]); drafts are left
//! out. The work is linear in the size of the site (and sorting the distinct terms).

pub mod stem;
pub mod words;

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::document::Document;
use crate::render::bodies::{Bodies, Body};
use crate::site::Site;

/// The folder of the index in the output.
pub const SEARCH_DIR: &str = "search";
/// A term chunk is cut once it reaches this many bytes; only a chunk holding a single term
/// (one found in very many documents) is larger.
pub const CHUNK_TARGET: usize = 16 * 1024;
/// Documents per document file.
pub const DOCS_PER_FILE: usize = 8;
/// How much more a word of the title counts than one of the text.
const TITLE_WEIGHT: u32 = 10;
/// How much more a word of the description counts than one of the text.
const DESCRIPTION_WEIGHT: u32 = 3;
/// The highest weight of a term in a document (keeps the numbers short).
const MAX_WEIGHT: u32 = 999;
/// Characters of text shown under a result when the page has no description.
const EXCERPT_CHARS: usize = 180;

/// A file of the index.
pub struct IndexFile {
    /// Output path.
    pub path: String,
    /// Content (JSON).
    pub text: String,
    /// Where it comes from, for a collision message.
    pub origin: String,
}

/// One searchable page or section.
struct Entry<'a> {
    doc: &'a Document,
    body: &'a Body,
    url: String,
    section: &'a str,
}

/// What a result shows, as written in the document files.
#[derive(Serialize)]
struct Shown<'a> {
    url: &'a str,
    title: &'a str,
    section: &'a str,
    excerpt: String,
}

/// The manifest of a language's index.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    /// Changes whenever the index does: the client adds it to the address of every file it
    /// fetches, so that a browser's cache never mixes two builds.
    id: String,
    /// `"it"` when terms are stemmed with the Italian stemmer, `"none"` when only folded.
    stemmer: &'a str,
    stop_words: &'a [&'a str],
    docs: usize,
    docs_per_file: usize,
    /// The first term of each term chunk, in order.
    chunks: Vec<String>,
}

/// The index files of every language, when `site.yaml` turns search on.
pub fn files(site: &Site, bodies: &Bodies) -> Vec<IndexFile> {
    let config = &site.config;
    if !config.search.enabled {
        return Vec::new();
    }
    let section_title = |i: Option<usize>| {
        i.map(|i| &site.sections[i])
            .filter(|s| s.parent.is_some())
            .and_then(|s| s.doc.meta.title.as_deref())
            .unwrap_or_default()
    };
    config
        .languages
        .par_iter()
        .flat_map_iter(|lang| {
            let pages = site
                .pages
                .iter()
                .zip(&bodies.pages)
                .map(|(p, body)| (&*p.doc, body, &p.path, section_title(p.section)));
            let sections = site
                .sections
                .iter()
                .zip(&bodies.sections)
                .map(|(s, body)| (&*s.doc, body, &s.path, section_title(s.parent)));
            let entries: Vec<Entry> = pages
                .chain(sections)
                .filter(|(doc, ..)| doc.source.lang == lang.code && !doc.meta.draft)
                .map(|(doc, body, path, section)| Entry {
                    doc,
                    body,
                    url: config.url(path),
                    section,
                })
                .collect();
            index(&lang.code, &entries)
        })
        .collect()
}

/// The files of one language's index.
fn index(lang: &str, entries: &[Entry]) -> Vec<IndexFile> {
    let italian = lang == "it";
    // Each document's folded words and their weights, in parallel; then each distinct word
    // is turned into a term once.
    let (counted, excerpts): (Vec<HashMap<String, u32>>, Vec<String>) =
        entries.par_iter().map(weighted_words).unzip();
    // Terms by number, in the order they are met; each word's term number.
    let mut terms: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, u32> = HashMap::new();
    let mut term_of_word: HashMap<&str, Option<u32>> = HashMap::new();
    let mut postings: Vec<Vec<(u32, u32)>> = Vec::new();
    for (doc, counts) in counted.iter().enumerate() {
        // A word and its stem can share a term: add their weights before posting.
        let mut weights: HashMap<u32, u32> = HashMap::new();
        for (word, &weight) in counts {
            let number = *term_of_word.entry(word).or_insert_with(|| {
                let term = words::term(word, italian)?;
                Some(*numbers.entry(term).or_insert_with_key(|term| {
                    terms.push(term.clone());
                    postings.push(Vec::new());
                    (terms.len() - 1) as u32
                }))
            });
            if let Some(number) = number {
                *weights.entry(number).or_default() += weight;
            }
        }
        for (number, weight) in weights {
            postings[number as usize].push((doc as u32, weight.min(MAX_WEIGHT)));
        }
    }
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.sort_unstable_by(|&a, &b| terms[a].cmp(&terms[b]));

    let base = format!("{SEARCH_DIR}/{lang}");
    let origin = format!("search index ({lang})");
    let mut files = Vec::new();
    let mut firsts = Vec::new();
    let mut chunk = String::new();
    for i in order {
        // Each term's documents are in order: they were met in order, once each.
        let (term, docs) = (std::mem::take(&mut terms[i]), &postings[i]);
        let entry = term_entry(&term, docs);
        if !chunk.is_empty() && chunk.len() + entry.len() + 2 > CHUNK_TARGET {
            files.push(close_chunk(&base, firsts.len() - 1, &mut chunk, &origin));
        }
        if chunk.is_empty() {
            firsts.push(term);
            chunk.push('{');
        } else {
            chunk.push(',');
        }
        chunk.push_str(&entry);
    }
    if !chunk.is_empty() {
        files.push(close_chunk(&base, firsts.len() - 1, &mut chunk, &origin));
    }
    let mut excerpts = excerpts.into_iter();
    for (n, group) in entries.chunks(DOCS_PER_FILE).enumerate() {
        let shown: Vec<Shown> = group
            .iter()
            .zip(excerpts.by_ref())
            .map(|(e, excerpt)| Shown {
                url: &e.url,
                title: e.doc.meta.title.as_deref().unwrap_or(&e.url),
                section: e.section,
                excerpt,
            })
            .collect();
        files.push(IndexFile {
            path: format!("{base}/docs/{n}.json"),
            text: to_json(&shown),
            origin: origin.clone(),
        });
    }

    let mut hasher = DefaultHasher::new();
    for f in &files {
        f.text.hash(&mut hasher);
    }
    let manifest = Manifest {
        version: 1,
        id: format!("{:016x}", hasher.finish()),
        stemmer: if italian { "it" } else { "none" },
        stop_words: if italian { words::STOP_WORDS } else { &[] },
        docs: entries.len(),
        docs_per_file: DOCS_PER_FILE,
        chunks: firsts,
    };
    files.push(IndexFile {
        path: format!("{base}/index.json"),
        text: to_json(&manifest),
        origin,
    });
    files
}

/// `"term":[d, w, d, w…]`: the documents as differences from the one before (small numbers),
/// each followed by the term's weight in it.
fn term_entry(term: &str, docs: &[(u32, u32)]) -> String {
    let mut out = to_json(&term);
    out.push_str(":[");
    let mut previous = 0;
    for (i, &(doc, weight)) in docs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("{},{weight}", doc - previous));
        previous = doc;
    }
    out.push(']');
    out
}

/// Ends `chunk` (the text of term chunk `n`) and makes it a file.
fn close_chunk(base: &str, n: usize, chunk: &mut String, origin: &str) -> IndexFile {
    chunk.push('}');
    IndexFile {
        path: format!("{base}/terms/{n}.json"),
        text: std::mem::take(chunk),
        origin: origin.to_string(),
    }
}

fn to_json(value: &impl Serialize) -> String {
    // Strings, numbers and lists of them always serialise.
    serde_json::to_string(value).unwrap_or_default()
}

/// The folded words of a document with their weights (each time in the text counts 1, in the
/// description [`DESCRIPTION_WEIGHT`], in the title [`TITLE_WEIGHT`]), and what its result
/// shows under the title: the description, or the start of the text cut at a word.
fn weighted_words(entry: &Entry) -> (HashMap<String, u32>, String) {
    let meta = &entry.doc.meta;
    let text = plain_text(&entry.body.html.text());
    let parts = [
        (meta.title.as_deref().unwrap_or_default(), TITLE_WEIGHT),
        (
            meta.description.as_deref().unwrap_or_default(),
            DESCRIPTION_WEIGHT,
        ),
        (&text, 1),
    ];
    // Counted as written first: each distinct spelling is folded once.
    let mut written: HashMap<&str, u32> = HashMap::new();
    for (part, weight) in parts {
        for word in words::raw_words(part) {
            let count = written.entry(word).or_default();
            *count = count.saturating_add(weight);
        }
    }
    let mut counts: HashMap<String, u32> = HashMap::with_capacity(written.len());
    for (word, weight) in written {
        let count = counts.entry(words::folded_word(word)).or_default();
        *count = count.saturating_add(weight);
    }
    let excerpt = match meta.description.as_deref() {
        Some(description) => description.to_string(),
        None => start_of(&text),
    };
    (counts, excerpt)
}

/// The first [`EXCERPT_CHARS`] characters of `text`, cut at a word.
fn start_of(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= EXCERPT_CHARS {
        return text;
    }
    let cut: String = text.chars().take(EXCERPT_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{at_word}…")
}

/// The text of an HTML fragment: tags become spaces, the entities markdown writes are
/// decoded, the content of `<script>` and `<style>` is left out.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let lower = rest.get(..7).unwrap_or(rest).to_ascii_lowercase();
            let skip_to = if lower.starts_with("<script") {
                "</script"
            } else if lower.starts_with("<style") {
                "</style"
            } else {
                ">"
            };
            let end = find_ignoring_case(rest, skip_to).map_or(rest.len(), |i| i + skip_to.len());
            rest = &rest[end..];
            if skip_to != ">" {
                rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
            }
            out.push(' ');
        } else {
            let end = rest[1..].find([';', '&', '<', ' ']).map(|i| i + 1);
            match end.filter(|&e| rest.as_bytes()[e] == b';') {
                Some(e) => {
                    out.push(entity(&rest[1..e]).unwrap_or(' '));
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where `needle` (ASCII) starts in `haystack`, in any case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The character of an entity's name (`amp`, `#39`, `#x27`).
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_tags_scripts_and_decodes_entities() {
        let html = "<p>Caff&egrave; &amp; t&#232; <b>a</b>&#x2014;b</p><script>var x = '<p>';</script>\
                    <STYLE>p{}</STYLE>fine &unknown";
        let text = plain_text(html);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Caff", "&", "tè", "a", "—b", "fine", "&unknown"]);
    }

    #[test]
    fn term_entries_hold_differences_and_weights() {
        assert_eq!(
            term_entry("citt", &[(3, 1), (4, 10), (10, 2)]),
            r#""citt":[3,1,1,10,6,2]"#
        );
    }
}
