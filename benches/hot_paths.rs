//! Micro-benchmarks of the build's hot paths: front matter, markdown (and pulldown-cmark alone, for
//! comparison), one whole document, template rendering and the views templates see.
//!
//! `cargo bench --bench hot_paths`. The document is a news item stored in this repository
//! (`benches/site/sample/notizia.md`: a page of the reference corpus the README's tables were
//! measured on, shaped like those `benches/corpus.py` writes); rendering uses the real WeMi site
//! of this repository. `crowded_document` parses pages with more and more links,
//! shortcodes and headings, and `yaml_aliases` front matter with more and more aliases: the
//! time per item must stay flat as their number grows.

use std::path::Path;

use wemi::base::progress::Progress;
use wemi::build::{self, Mode, RenderedSite, Run};
use wemi::config::Config;
use wemi::content::document;
use wemi::content::front_matter::{self, RawFrontMatter};
use wemi::content::source::{SourceFile, SourceKind};
use wemi::markdown;
use wemi::output::Keeping;
use wemi::render::bodies::Bodies;
use wemi::render::{self, view};
use wemi::site::links::Unparsed;

fn main() {
    divan::main();
}

const NOTIZIA: &str = include_str!("site/sample/notizia.md");

fn bench_config() -> Config {
    Config::load(Path::new("benches/site"), None).expect("benches/site/site.yaml loads")
}

#[divan::bench]
fn front_matter() -> RawFrontMatter {
    let split = front_matter::split(divan::black_box(NOTIZIA)).unwrap();
    wemi::base::yaml::Parsed::new(split.yaml)
        .unwrap()
        .typed()
        .unwrap()
}

#[divan::bench]
fn markdown() -> markdown::RenderedMarkdown {
    let body = front_matter::split(NOTIZIA).unwrap().body;
    markdown::render(divan::black_box(body), false)
}

/// pulldown-cmark alone, with the same extensions, writing the same document's HTML: what
/// `markdown` costs more is wemi's own work (heading ids, summary, links, words).
#[divan::bench]
fn markdown_pulldown_alone() -> String {
    let body = front_matter::split(NOTIZIA).unwrap().body;
    let parser = pulldown_cmark::Parser::new_ext(divan::black_box(body), markdown::options());
    let mut html = String::with_capacity(body.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

/// The news item `notizie/<name>`, as discovery would find it.
fn news_item(name: &str) -> SourceFile {
    let relative = format!("notizie/{name}");
    SourceFile {
        path: format!("content/{relative}").into(),
        relative: relative.clone(),
        kind: SourceKind::Page,
        lang: "it".into(),
        translation_key: relative,
    }
}

#[divan::bench]
fn document(bencher: divan::Bencher) {
    let config = bench_config();
    let source = news_item("notizia.md");
    bencher.bench(|| document::parse(source.clone(), divan::black_box(NOTIZIA), &config).unwrap());
}

/// A page with `n` internal links, `n` external links, `n` shortcode calls and `n` headings of
/// the same text.
#[divan::bench(args = [1_000, 4_000, 16_000])]
fn crowded_document(bencher: divan::Bencher, n: usize) {
    let config = bench_config();
    let source = news_item("affollata.md");
    let mut text = String::from("---\ntitle: Affollata\n---\n");
    for i in 0..n {
        text.push_str(&format!(
            "## Orari\n\n[Uno](@/notizie/a.md) e [due](https://example.org/{i}) \
             {{{{ figura(src=\"{i}.jpg\", alt=\"Foto\") }}}}\n\n"
        ));
    }
    bencher.bench(|| document::parse(source.clone(), divan::black_box(&text), &config).unwrap());
}

/// Front matter whose `extra` repeats an anchored map of ten values with `n` aliases.
#[divan::bench(args = [100, 400, 1_600])]
fn yaml_aliases(bencher: divan::Bencher, n: usize) {
    let aliases = vec!["*orari"; n].join(", ");
    let text = format!(
        "title: Alias\nextra:\n  orari: &orari {{lun: 9, mar: 9, mer: 9, gio: 9, ven: 9, \
         sab: 10, dom: chiuso, note: a, b: c, d: e}}\n  giorni: [{aliases}]\n"
    );
    bencher.bench(|| wemi::base::yaml::parse::<RawFrontMatter>(divan::black_box(&text)).unwrap());
}

/// The real WeMi site, built once in memory: everything it needs to render.
fn prepare() -> RenderedSite {
    let root = Path::new(".");
    let config = Config::load(root, None).unwrap();
    let run = Run {
        root,
        drafts: false,
        mode: Mode::Check,
        progress: &Progress::default(),
        listing: None,
    };
    build::render_site(config, run).unwrap()
}

/// Every template of the real site (its pages, listings, taxonomies and 404), in memory.
#[divan::bench(sample_count = 20)]
fn render_site(bencher: divan::Bencher) {
    let p = prepare();
    let (bodies, _) = Bodies::linked(&p.site, &Unparsed::default());
    let (bodies, _) = bodies.with_shortcodes(&p.site, &p.renderer);
    bencher.bench(|| {
        render::render(
            &p.site,
            &p.values,
            &bodies,
            &p.renderer,
            Keeping::Memory,
            &Progress::default(),
        )
        .unwrap()
    });
}

/// The values templates see, for every page and section of the real site.
#[divan::bench(sample_count = 20)]
fn views(bencher: divan::Bencher) {
    let p = prepare();
    let (bodies, _) = Bodies::linked(&p.site, &Unparsed::default());
    bencher.bench(|| view::build(&p.site, &bodies).unwrap());
}
