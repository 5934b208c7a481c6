//! Micro-benchmarks of the build's hot paths: front matter, markdown (and pulldown-cmark alone, for
//! comparison), one whole document, template rendering and the views templates see.
//!
//! `cargo bench --bench hot_paths`. The document is a news item of the benchmark corpus
//! (`benches/site/sample/notizia.md`, made by the shared generator); rendering uses the real
//! WeMi site of this repository.

use std::path::Path;

use wemi::content::document;
use wemi::content::front_matter::{self, RawFrontMatter};
use wemi::content::source::{SourceFile, SourceKind};
use wemi::progress::Progress;
use wemi::{Config, markdown, render, theme, view};

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
    wemi::yaml::Parsed::new(split.yaml)
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

#[divan::bench]
fn document(bencher: divan::Bencher) {
    let config = bench_config();
    let source = SourceFile {
        path: "content/notizie/notizia.md".into(),
        relative: "notizie/notizia.md".into(),
        kind: SourceKind::Page,
        lang: "it".into(),
        translation_key: "notizie/notizia.md".into(),
    };
    bencher.bench(|| document::parse(source.clone(), divan::black_box(NOTIZIA), &config).unwrap());
}

/// Everything the real WeMi site needs to render, built once.
struct Prepared {
    site: wemi::site::Site,
    values: view::SiteValues,
    renderer: render::Renderer,
}

fn prepare() -> Prepared {
    let root = Path::new(".");
    let config = Config::load(root, None).unwrap();
    let theme = theme::load(root, &config).unwrap();
    let data = wemi::data::load(root).unwrap();
    let site = wemi::generate(root, config, false, None, &Progress::default(), None)
        .unwrap()
        .site;
    let values = view::build(&site).unwrap();
    let renderer = render::renderer(&theme, &site, &values, &data).unwrap();
    Prepared {
        site,
        values,
        renderer,
    }
}

/// Every template of the real site (its pages, listings, taxonomies and 404), in memory.
#[divan::bench(sample_count = 20)]
fn render_site(bencher: divan::Bencher) {
    let p = prepare();
    bencher.bench(|| {
        render::render(&p.site, &p.values, &p.renderer, None, &Progress::default()).unwrap()
    });
}

/// The values templates see, for every page and section of the real site.
#[divan::bench(sample_count = 20)]
fn views(bencher: divan::Bencher) {
    let p = prepare();
    bencher.bench(|| view::build(&p.site).unwrap());
}
