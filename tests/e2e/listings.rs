//! End-to-end tests of listings and links: taxonomies, pagination, sorting, feeds, sitemap,
//! robots.txt, aliases, internal links, shortcodes, data files and `wemi check`.

use crate::common;

use std::fs;

use common::{Site, assert_success, assert_valid_sitemap, attrs, build_real_site, texts};
use scraper::Html;

fn built() -> Site {
    let site = Site::fixture("listings");
    site.build_ok(&[]);
    site
}

#[test]
fn sections_paginate_with_a_redirect_for_page_one() {
    let site = built();
    let first = site.html("notizie/index.html");
    assert_eq!(texts(&first, "ol.pages li > a"), ["Notizia 5", "Notizia 4"]);
    assert_eq!(attrs(&first, ".pagination", "data-total"), ["3"]);
    assert_eq!(attrs(&first, "a[rel=next]", "href"), ["/notizie/page/2/"]);
    assert!(attrs(&first, "a[rel=prev]", "href").is_empty());

    let second = site.html("notizie/page/2/index.html");
    assert_eq!(
        texts(&second, "ol.pages li > a"),
        ["Notizia 3", "Notizia 2"]
    );
    assert_eq!(attrs(&second, "a[rel=prev]", "href"), ["/notizie/"]);
    assert_eq!(attrs(&second, "a[rel=next]", "href"), ["/notizie/page/3/"]);
    assert_eq!(
        texts(&site.html("notizie/page/3/index.html"), "ol.pages li > a"),
        ["Notizia 1"]
    );

    let redirect = site.html("notizie/page/1/index.html");
    assert_eq!(
        attrs(&redirect, "link[rel=canonical]", "href"),
        ["https://example.org/notizie/"]
    );
    assert_eq!(
        attrs(&redirect, "meta[name=robots]", "content"),
        ["noindex"]
    );
    assert_eq!(
        attrs(&redirect, "meta[http-equiv=refresh]", "content"),
        ["0; url=https://example.org/notizie/"]
    );
}

#[test]
fn pages_know_their_neighbours_and_sections_their_sort_order() {
    let site = built();
    let page = site.html("notizie/notizia-3/index.html");
    assert_eq!(texts(&page, "a[rel=prev]"), ["Notizia 4"]);
    assert_eq!(texts(&page, "a[rel=next]"), ["Notizia 2"]);
    // spazi sorts by title: Ornato before Piazzetta.
    assert_eq!(
        texts(&site.html("spazi/index.html"), "ol.pages li > a"),
        ["Ornato", "Piazzetta"]
    );
}

#[test]
fn taxonomies_have_list_and_term_pages() {
    let site = built();
    let list = site.html("municipio/index.html");
    assert_eq!(texts(&list, "h1"), ["Municipi"]);
    assert_eq!(
        texts(&list, "ul.terms a"),
        ["Municipio 4", "Municipio 5", "Municipio 9"],
        "natural order, display names"
    );
    assert_eq!(texts(&list, "ul.terms .count"), ["3", "3", "1"]);

    let term = site.html("municipio/4/index.html");
    assert_eq!(texts(&term, "h1"), ["Municipio 4"]);
    assert_eq!(texts(&term, "ol.items a"), ["Notizia 4", "Notizia 2"]);
    assert_eq!(attrs(&term, ".pagination", "data-total"), ["2"]);
    assert_eq!(
        texts(&site.html("municipio/4/page/2/index.html"), "ol.items a"),
        ["Piazzetta"]
    );
    assert_eq!(attrs(&term, "a.feed", "href"), ["/municipio/4/atom.xml"]);
    assert!(site.public("municipio/4/atom.xml").is_file());
    assert_eq!(
        texts(&site.html("tags/prova/index.html"), "ol.items a").len(),
        5
    );
}

#[test]
fn feeds_parse_with_a_real_parser() {
    let site = built();
    let atom = fs::read(site.public("notizie/atom.xml")).unwrap();
    let feed = feed_rs::parser::parse(&atom[..]).unwrap();
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    let titles: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        ["Notizia 5", "Notizia 4", "Notizia 3"],
        "limited to 3, newest first"
    );
    let first = &feed.entries[0];
    assert_eq!(
        first.links[0].href,
        "https://example.org/notizie/notizia-5/"
    );
    assert_eq!(
        first.published.unwrap().to_rfc3339(),
        "2018-10-25T08:00:00+00:00",
        "10:00 in Rome on 25 October 2018 (+02:00)"
    );
    let content = first.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        content.contains("&lt;b&gt;grassetto&lt;/b&gt;"),
        "raw HTML stays escaped: {content}"
    );
    let xml = String::from_utf8(atom).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("it")
    );

    let rss = fs::read(site.public("rss.xml")).unwrap();
    let feed = feed_rs::parser::parse(&rss[..]).unwrap();
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::RSS2);
    assert_eq!(feed.entries.len(), 3);
    assert!(site.public("atom.xml").is_file(), "the site feed");
}

#[test]
fn sitemap_lists_every_public_page_and_robots_points_to_it() {
    let site = built();
    let xml = fs::read_to_string(site.public("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    locs.sort_unstable();
    // Every page of the output, but the redirects (aliases, page 1 of a listing) and the
    // further pages of listings (`…/page/2/`), which are not pages of their own.
    let public = site.root.join("public");
    let is_redirect = |file: &std::path::Path| {
        let html = Html::parse_document(&fs::read_to_string(file).unwrap());
        !attrs(&html, "meta[http-equiv=refresh]", "content").is_empty()
    };
    let url = |file: &std::path::Path| {
        let folder = file.parent().unwrap().strip_prefix(&public).unwrap();
        match folder.to_str().unwrap() {
            "" => "https://example.org/".to_string(),
            path => format!("https://example.org/{path}/"),
        }
    };
    let mut pages: Vec<String> = common::walk(&public)
        .iter()
        .filter(|file| file.ends_with("index.html") && !is_redirect(file))
        .map(|file| url(file))
        .filter(|url| !url.contains("/page/"))
        .collect();
    pages.sort_unstable();
    assert!(pages.len() >= 15, "{pages:?}");
    // Such pages are in the output, and not in the sitemap.
    for left_out in [
        "spazi/piazzetta-vecchia/index.html",
        "notizie/page/1/index.html",
        "notizie/page/2/index.html",
    ] {
        let url = url(&public.join(left_out));
        assert!(site.public(left_out).is_file(), "{left_out}");
        assert!(!locs.contains(&url.as_str()), "{url}");
    }
    assert_eq!(locs, pages);
    let lastmods: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("lastmod"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        lastmods.contains(&"2018-10-21T10:00:00+02:00"),
        "{lastmods:?}"
    );
    let robots = fs::read_to_string(site.public("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/sitemap.xml"));
}

#[test]
fn xmllint_accepts_the_sitemap() {
    assert_valid_sitemap(&built().public("sitemap.xml"));
}

#[test]
fn aliases_redirect_and_may_not_hide_a_page() {
    let site = built();
    let alias = site.html("spazi/piazzetta-vecchia/index.html");
    assert_eq!(
        attrs(&alias, "link[rel=canonical]", "href"),
        ["https://example.org/spazi/via-piazzetta/"]
    );
    assert_eq!(
        attrs(&site.html("news/index.html"), "link[rel=canonical]", "href"),
        ["https://example.org/notizie/"]
    );

    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\naliases: [/notizie/notizia-1/]\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "content/spazi/ornato.md:3:11: the alias `/notizie/notizia-1/` and content/notizie/notizia-1.md would both be published at /notizie/notizia-1/"
        ),
        "{stderr}"
    );
}

#[test]
fn internal_links_resolve_to_urls() {
    let site = built();
    let page = site.html("spazi/ornato/index.html");
    assert_eq!(
        attrs(&page, ".content a", "href")[..2],
        ["/spazi/via-piazzetta/#orari", "/notizie/"]
    );
}

#[test]
fn broken_internal_links_are_errors_at_their_position() {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\nRiga uno.\n\nVedi [qui](@/spazi/via-piazzeta.md) e [là](@/spazi/via-piazzetta.md#orario).\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[link.missing-page]: content/spazi/ornato.md:6:6: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `@/spazi/via-piazzetta.md`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[link.missing-heading]: content/spazi/ornato.md:6:39: "),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `#orari`?"), "{stderr}");
}

#[test]
fn shortcodes_render_theme_templates() {
    let site = built();
    let page = site.html("spazi/ornato/index.html");
    assert_eq!(texts(&page, ".content div.card a"), ["Piazzetta"]);
    assert_eq!(
        attrs(&page, ".content div.card a", "href"),
        ["/spazi/via-piazzetta/"]
    );
    assert!(
        texts(&page, ".content p")
            .iter()
            .all(|p| !p.contains("WEMISHORTCODE"))
    );
    assert_eq!(attrs(&page, ".content figure img", "alt"), ["L'ingresso"]);
    assert_eq!(texts(&page, ".content figcaption"), ["Ingresso"]);
}

/// Shortcodes see the site's values as they are before shortcodes are rendered; the templates
/// then see the final bodies: the section's own text with its shortcode, and each page's
/// summary as rendered, whether a shortcode is in it or after it.
#[test]
fn templates_see_bodies_with_shortcodes_rendered_in_summaries_and_sections() {
    let site = Site::fixture("listings");
    site.write(
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}\
         <div class=\"intro\">{{ section.content | safe }}</div>\
         <ol>{% for p in section.pages %}<li data-title=\"{{ p.title }}\">{{ p.summary | safe }}</li>{% endfor %}</ol>\
         {% endblock %}",
    );
    site.write(
        "content/spazi/_index.md",
        "---\ntitle: Spazi\nsort_by: title\n---\nIl primo: {{ card(spazio=\"via-piazzetta\") }}\n",
    );
    let cards = |page: &Html, selector: &str| texts(page, &format!("{selector} div.card a"));
    let summary = |page: &Html, title: &str| texts(page, &format!("li[data-title=\"{title}\"]"));

    // No summary holds a shortcode: Ornato's comes before its card.
    site.build_ok(&[]);
    let spazi = site.html("spazi/index.html");
    assert_eq!(cards(&spazi, ".intro"), ["Piazzetta"]);
    assert_eq!(cards(&spazi, "li"), Vec::<String>::new());
    let ornato = summary(&spazi, "Ornato").concat();
    assert!(
        ornato.starts_with("Vedi anche Piazzetta e le notizie"),
        "{ornato}"
    );

    // Brera's summary does.
    site.write(
        "content/spazi/brera.md",
        "---\ntitle: Brera\n---\nVicino a {{ card(spazio=\"ornato\") }} in centro.\n\nAltro.\n",
    );
    site.build_ok(&[]);
    let spazi = site.html("spazi/index.html");
    assert_eq!(cards(&spazi, ".intro"), ["Piazzetta"]);
    assert_eq!(cards(&spazi, "li[data-title=Brera]"), ["Ornato"]);
    assert_eq!(summary(&spazi, "Ornato").concat(), ornato);
    assert!(!spazi.html().contains("WEMISHORTCODE"));
}

/// `get_taxonomy` gives any template a taxonomy as its list page sees it, in the language
/// asked (none in one no page uses); a name the site does not declare is an error naming those
/// it does, or none with `required=false`.
#[test]
fn get_taxonomy_gives_a_taxonomy_with_its_terms_to_any_template() {
    let site = Site::fixture("listings");
    site.write(
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}\
         {% set t = get_taxonomy(kind=\"municipio\") %}<h1>{{ t.title }}</h1>\
         <ul class=\"terms\">{% for term in t.terms %}<li><a href=\"{{ term.path }}\">{{ term.title }}</a> \
         <span class=\"count\">{{ term.count }}</span></li>{% endfor %}</ul>\
         {% if get_taxonomy(kind=\"tags\", lang=\"en\") is none %}<p class=\"none\">en</p>{% endif %}\
         {% if get_taxonomy(kind=\"nessuna\", required=false) is none %}<p class=\"none\">nessuna</p>{% endif %}\
         {% endblock %}",
    );
    site.build_ok(&[]);
    let home = site.html("index.html");
    let list = site.html("municipio/index.html");
    assert_eq!(texts(&home, "h1"), texts(&list, "h1"));
    for selector in [".terms a", ".terms .count"] {
        assert_eq!(texts(&home, selector), texts(&list, selector), "{selector}");
    }
    assert_eq!(
        attrs(&home, ".terms a", "href"),
        attrs(&list, ".terms a", "href")
    );
    assert!(!texts(&home, ".terms a").is_empty());
    assert_eq!(texts(&home, "p.none"), ["en", "nessuna"]);

    site.write(
        "templates/index.html",
        "{% set t = get_taxonomy(kind=\"municipi\") %}{{ t.title }}",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "get_taxonomy: the site has no taxonomy `municipi` (its taxonomies: municipio, tags)"
        ),
        "{stderr}"
    );
}

#[test]
fn shortcode_errors_point_into_the_markdown() {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\nTesto.\n\n{{ card(spazio=\"non-esiste\") }}\n\n{{ carta(spazio=\"x\") }}\n\n{{ card(spazio=via) }}\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[shortcode.syntax]: content/spazi/ornato.md:10:16:"),
        "malformed call: {stderr}"
    );
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\nTesto.\n\n{{ card(spazio=\"non-esiste\") }}\n\n{{ crad(spazio=\"x\") }}\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[shortcode.failed]: content/spazi/ornato.md:6:1: "),
        "{stderr}"
    );
    assert!(stderr.contains("non-esiste"), "{stderr}");
    assert!(
        stderr.contains("error[shortcode.unknown]: content/spazi/ornato.md:8:1: "),
        "{stderr}"
    );
    // Two letters swapped; `carta` (Italian, two edits away) gets no suggestion.
    assert!(stderr.contains("did you mean `card`?"), "{stderr}");
}

#[test]
fn shortcode_arguments_are_checked_against_the_component_in_the_same_run() {
    // The fixture's card is the component `shortcodes.card(spazio: string)`. A misspelt and a
    // missing argument are errors at their calls, in the same run as a broken link (which
    // keeps shortcodes from being rendered); nothing points at the theme's template.
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\nVedi [altro](@/spazi/non-esiste.md).\n\n{{ card(spazi=\"piazzetta\") }}\n\n{{ card() }}\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(stderr.contains("error[link.missing-page]"), "{stderr}");
    assert!(
        stderr.contains(
            "error[shortcode.argument]: content/spazi/ornato.md:6:1: the shortcode `card` has no argument `spazi`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `spazio`? The arguments of `card` are: spazio"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "error[shortcode.argument]: content/spazi/ornato.md:8:1: the shortcode `card` needs the argument `spazio`"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("shortcodes/card.html"), "{stderr}");
    // Alone, the same calls are still errors (checked before rendering), and a right one
    // renders.
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\n{{ card(spazi=\"piazzetta\") }}\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[shortcode.argument]: content/spazi/ornato.md:4:1:"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
}

#[test]
fn templates_read_data_files() {
    let site = Site::fixture("listings");
    site.write(
        "templates/404.html",
        "<ul>{% for m in data.municipi %}<li>{{ m.nome }}</li>{% endfor %}</ul>",
    );
    site.build_ok(&[]);
    assert_eq!(
        texts(&site.html("404.html"), "li"),
        ["Municipio 4", "Municipio 9"]
    );
    site.write("data/municipi.yaml", "- nome: [\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[yaml.syntax]: data/municipi.yaml:"),
        "{stderr}"
    );
}

#[test]
fn check_writes_nothing_and_speaks_json() {
    let site = Site::fixture("listings");
    let out = site.run("check", &[]);
    assert_success(&out);
    let checked = String::from_utf8(out.stdout).unwrap();
    assert!(checked.starts_with("Checked "), "{checked}");
    assert!(!site.root.join("public").exists());
    // It counts what a build makes.
    let built = site.build_ok(&[]);
    assert_eq!(common::counted(&checked), common::counted(&built));
    std::fs::remove_dir_all(site.root.join("public")).unwrap();

    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\nweight: tre\n---\n[x](@/nulla.md)\n",
    );
    let out = site.run("check", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The wrong front matter and the broken link in its text, both in one run.
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, (code, at, message)) in lines.iter().zip([
        (
            "front-matter.value",
            (3, 9),
            "`weight`: expected an integer",
        ),
        (
            "link.missing-page",
            (5, 1),
            "the link points to content/nulla.md, which is not a published page",
        ),
    ]) {
        assert_eq!(line["code"], code);
        assert_eq!(line["file"], "content/spazi/ornato.md");
        assert_eq!(
            (line["line"].as_u64(), line["column"].as_u64()),
            (Some(at.0), Some(at.1))
        );
        assert_eq!(line["severity"], "error");
        assert!(
            line["message"].as_str().unwrap().contains(message),
            "{line}"
        );
    }
    assert!(!site.root.join("public").exists());
}

#[test]
fn check_json_gives_each_problem_its_hint() {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\nmunicpio: [4]\n---\nTesto.\n",
    );
    // One problem: one line of JSON.
    let problem = |lang: &str| {
        let out = site.run("check", &["--format", "json", "--lang", lang]);
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let en = problem("en");
    assert_eq!(en["message"], "unknown key `municpio`");
    assert_eq!(en["hint"], "did you mean `municipio`?");
    let it = problem("it");
    assert_eq!(it["message"], "chiave sconosciuta `municpio`");
    assert_eq!(it["hint"], "forse intendevi `municipio`?");
    // The hint people read after `help:`.
    let human = String::from_utf8(site.run("check", &["--lang", "en"]).stderr).unwrap();
    assert!(
        human.contains("= help: did you mean `municipio`?\n"),
        "{human}"
    );
}

/// Runs `wemi check --external` on a page linking to `/ok` and `/rotto` of a test server on
/// `port`, and asserts that only the second is reported, as answering 404, at its place.
fn check_ok_and_rotto(port: u16) {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        format!("---\ntitle: Ornato\n---\n[ok](http://127.0.0.1:{port}/ok)\n\n[rotto](http://127.0.0.1:{port}/rotto)\n"),
    );
    let out = site.run("check", &["--external"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("error[link.external-broken]: content/spazi/ornato.md:6:1: the link http://127.0.0.1:{port}/rotto is broken: the server answers 404")), "{stderr}");
    assert!(!stderr.contains("/ok"), "{stderr}");
}

#[test]
fn check_external_finds_broken_links() {
    let server = common::http::start(|_, path| if path == "/ok" { 200 } else { 404 });
    check_ok_and_rotto(server.port);
}

#[test]
fn check_external_asks_with_get_where_head_is_refused() {
    // A server that refuses HEAD (405) and answers GET: 200 for one link, 404 for the other.
    let server = common::http::start(|method, path| match (method, path) {
        ("HEAD", _) => 405,
        ("GET", "/ok") => 200,
        _ => 404,
    });
    check_ok_and_rotto(server.port);
    let mut requests = server.requests.lock().unwrap().clone();
    requests.sort();
    assert_eq!(
        requests,
        ["GET /ok", "GET /rotto", "HEAD /ok", "HEAD /rotto"]
    );
}

#[test]
fn check_external_without_network_says_so() {
    let site = Site::fixture("listings");
    // Port 1 on loopback: nothing listens, as when there is no network at all.
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\n---\n[x](http://127.0.0.1:1/)\n",
    );
    let out = site.run("check", &["--external"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "warning[link.external-offline]: content: no external address could be reached: 1 link not checked"
        ),
        "{stderr}"
    );
}

#[test]
fn the_real_sites_feeds_parse() {
    let dir = build_real_site();
    let feeds: Vec<_> = common::walk(dir.path())
        .into_iter()
        .filter(|p| p.ends_with("atom.xml") || p.ends_with("rss.xml"))
        .collect();
    assert!(
        feeds.iter().any(|p| p.ends_with("notizie/atom.xml")),
        "{feeds:?}"
    );
    for path in &feeds {
        let bytes = fs::read(path).unwrap();
        let feed = feed_rs::parser::parse(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for entry in &feed.entries {
            assert!(
                entry.links[0].href.starts_with("https://"),
                "{}: absolute links",
                path.display()
            );
        }
    }
    let news = feed_rs::parser::parse(&fs::read(dir.path().join("notizie/atom.xml")).unwrap()[..])
        .unwrap();
    assert!(
        news.entries
            .iter()
            .any(|e| e.title.as_ref().unwrap().content.contains("Piazzetta"))
    );
}

#[test]
fn xmllint_accepts_the_real_sites_sitemap() {
    assert_valid_sitemap(&build_real_site().path().join("sitemap.xml"));
}

/// A page's own template sees every field of `page`, in the documented order; the same page as
/// listed (in its section, or found by `get_page`) has all of them but the seven only its own
/// template sees, in the same order; a section has its own ones too, in the same places.
#[test]
fn a_listed_page_has_every_field_but_those_only_its_own_template_sees() {
    let site = Site::fixture("listings");
    let keys = |object: &str| {
        format!(
            "<ol class=\"{object}\">{{% for k, v in {object} %}}<li>{{{{ k }}}}</li>{{% endfor %}}</ol>"
        )
    };
    site.write(
        "templates/notizie/page.html",
        format!(
            "{{% set own_section = get_section(path=page.section) %}}\
             {{% set listed = [p for p in own_section.pages if p.relative_path == page.relative_path] | first %}}\
             {{% set found = get_page(path=page.relative_path) %}}{}{}{}",
            keys("page"),
            keys("listed"),
            keys("found"),
        ),
    );
    site.write("templates/notizie/section.html", keys("section"));
    site.build_ok(&[]);
    let page = site.html("notizie/notizia-3/index.html");
    let own = texts(&page, "ol.page li");
    assert_eq!(
        own,
        [
            "title",
            "description",
            "date",
            "updated",
            "path",
            "permalink",
            "lang",
            "content",
            "summary",
            "toc",
            "word_count",
            "reading_time",
            "draft",
            "weight",
            "aliases",
            "taxonomies",
            "extra",
            "relative_path",
            "ancestors",
            "translations",
            "assets",
            "slug",
            "section",
            "previous",
            "next",
            "fields",
        ]
    );
    let only_own = [
        "content",
        "toc",
        "aliases",
        "ancestors",
        "assets",
        "previous",
        "next",
    ];
    let listed: Vec<&String> = own
        .iter()
        .filter(|k| !only_own.contains(&k.as_str()))
        .collect();
    assert_eq!(
        texts(&page, "ol.listed li").iter().collect::<Vec<_>>(),
        listed
    );
    assert_eq!(
        texts(&page, "ol.found li").iter().collect::<Vec<_>>(),
        listed
    );
    let section = texts(&site.html("notizie/index.html"), "ol.section li");
    let shared: Vec<&String> = own.iter().filter(|k| section.contains(k)).collect();
    assert_eq!(
        section
            .iter()
            .filter(|k| own.contains(k))
            .collect::<Vec<_>>(),
        shared,
        "a section's fields are in the order of a page's"
    );
    for key in only_own.iter().take(5) {
        assert!(section.iter().any(|k| k == key), "a section has its {key}");
    }
}
