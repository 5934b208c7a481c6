//! End-to-end tests of the WeMi theme's page anatomy on the real site: one H1 per page,
//! breadcrumbs with their `BreadcrumbList` JSON-LD, the footer's legal pages (each one built),
//! the page-rating form and where it sends, the validator's `data-element` markers, and the
//! language of the English legal pages.

use crate::common;

use std::fs;

use common::{Site, attrs, texts, walk};
use scraper::{Html, Selector};

/// The real site, built.
fn built() -> Site {
    let site = Site::real();
    site.build_ok(&[]);
    site
}

/// The real site with `feedback: {}` in `site.yaml` replaced by `feedback`, built.
fn built_with_feedback(feedback: &str) -> Site {
    let site = Site::real();
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    assert!(
        config.contains("  feedback: {}\n"),
        "site.yaml sets feedback: {{}}"
    );
    site.write(
        "site.yaml",
        config.replace("  feedback: {}\n", &format!("  feedback: {feedback}\n")),
    );
    site.build_ok(&[]);
    site
}

/// The output file a root-relative link leads to (`/privacy/` → `privacy/index.html`), if the
/// build wrote it.
fn target_of(site: &Site, href: &str) -> Option<std::path::PathBuf> {
    let path = href.split('#').next().unwrap().trim_start_matches('/');
    let file = if path.is_empty() || path.ends_with('/') {
        site.public(&format!("{path}index.html"))
    } else {
        site.public(path)
    };
    file.is_file().then_some(file)
}

/// Every HTML page of the output, as its path under `public/` and its parsed document.
fn pages(site: &Site) -> Vec<(String, Html)> {
    let public = site.root.join("public");
    walk(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            let relative = p
                .strip_prefix(&public)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                relative,
                Html::parse_document(&fs::read_to_string(&p).unwrap()),
            )
        })
        .collect()
}

/// The JSON-LD blocks of a page whose `@type` is `kind`, parsed.
fn json_ld(doc: &Html, kind: &str) -> Vec<serde_json::Value> {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    doc.select(&sel)
        .map(|s| {
            let text: String = s.text().collect();
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse ({e}): {text}"))
        })
        .filter(|v| v["@type"] == kind)
        .collect()
}

#[test]
fn every_page_has_one_h1_and_every_inner_page_a_marked_breadcrumb() {
    let site = built();
    let all = pages(&site);
    assert!(all.len() > 40, "only {} pages", all.len());
    for (path, doc) in &all {
        assert_eq!(texts(doc, "h1").len(), 1, "{path}: not exactly one h1");
        let is_home = path == "index.html" || path == "en/index.html";
        let crumbs = texts(doc, r#"nav[data-element="breadcrumb"] li"#);
        if is_home || path == "404.html" {
            continue;
        }
        assert!(crumbs.len() >= 2, "{path}: breadcrumb {crumbs:?}");
        assert_eq!(
            crumbs.last().unwrap(),
            &texts(doc, "h1")[0],
            "{path}: the breadcrumb ends with the page's title"
        );
    }
}

#[test]
fn the_breadcrumb_list_json_ld_names_the_trail_with_absolute_urls() {
    let site = built();
    let doc = site.html("notizie/nuovo-spazio-wemi-via-piazzetta/index.html");
    let lists = json_ld(&doc, "BreadcrumbList");
    assert_eq!(lists.len(), 1);
    let items = lists[0]["itemListElement"].as_array().unwrap();
    let names: Vec<&str> = items.iter().map(|i| i["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Home",
            "Notizie",
            "Apre in via Piazzetta 2 il nuovo spazio WeMi del Municipio 4"
        ]
    );
    let urls: Vec<&str> = items.iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "https://wemi.comune.milano.it/",
            "https://wemi.comune.milano.it/notizie/",
            "https://wemi.comune.milano.it/notizie/nuovo-spazio-wemi-via-piazzetta/"
        ]
    );
    let positions: Vec<u64> = items
        .iter()
        .map(|i| i["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3]);
    // The visible breadcrumb says the same.
    assert_eq!(texts(&doc, r#"nav[data-element="breadcrumb"] li"#), names);
}

#[test]
fn every_page_has_a_canonical_url_and_open_graph_tags() {
    let site = built();
    for (path, doc) in pages(&site) {
        if path == "404.html" {
            continue;
        }
        let canonical = attrs(&doc, r#"link[rel="canonical"]"#, "href");
        assert_eq!(canonical.len(), 1, "{path}");
        assert_eq!(
            attrs(&doc, r#"meta[property="og:url"]"#, "content"),
            canonical,
            "{path}"
        );
        assert_eq!(
            attrs(&doc, r#"meta[property="og:title"]"#, "content").len(),
            1,
            "{path}"
        );
    }
}

#[test]
fn the_footer_links_to_every_legal_page_and_each_one_is_built() {
    let site = built();
    for page in [
        "index.html",
        "spazi/via-piazzetta/index.html",
        "notizie/index.html",
    ] {
        let doc = site.html(page);
        for marker in [
            "accessibility-link",
            "privacy-policy-link",
            "legal-notes",
            "faq",
            "report-inefficiency",
        ] {
            let hrefs = attrs(
                &doc,
                &format!(r#"footer [data-element="{marker}"]"#),
                "href",
            );
            assert_eq!(hrefs.len(), 1, "{page}: {marker}");
            assert!(
                target_of(&site, &hrefs[0]).is_some(),
                "{page}: {marker} -> {}",
                hrefs[0]
            );
        }
        for href in attrs(&doc, "footer a[href^='/']", "href") {
            assert!(
                target_of(&site, &href).is_some(),
                "{page}: footer link {href}"
            );
        }
        assert!(attrs(&doc, "footer a", "href").contains(&"/mappa-del-sito/".to_string()));
    }
    // The validator's wording: the report link says "Segnala disservizio", the FAQ link "FAQ".
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, r#"footer [data-element="report-inefficiency"]"#),
        ["Segnala disservizio"]
    );
    assert_eq!(texts(&home, r#"footer [data-element="faq"]"#), ["FAQ"]);
}

#[test]
fn the_legal_notes_carry_the_licence_section_the_model_prescribes() {
    let site = built();
    let doc = site.html("note-legali/index.html");
    assert_eq!(
        texts(&doc, r#"[data-element="legal-notes-section"]"#),
        ["Licenza dei contenuti"]
    );
    let body = texts(&doc, r#"[data-element="legal-notes-body"]"#).join(" ");
    assert!(
        body.starts_with("In applicazione del principio open by default"),
        "{body}"
    );
    assert!(body.contains("licenza CC-BY 4.0"), "{body}");
}

#[test]
fn the_site_map_links_every_page_of_every_section() {
    let site = built();
    let doc = site.html("mappa-del-sito/index.html");
    let links = attrs(&doc, "main a", "href");
    for section in ["spazi", "servizi", "notizie"] {
        assert!(links.contains(&format!("/{section}/")), "{section}");
        let dir = site.public(section);
        for entry in fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if dir.join(&name).join("index.html").is_file() && name != "page" {
                let href = format!("/{section}/{name}/");
                assert!(links.contains(&href), "the site map lacks {href}");
            }
        }
    }
    assert!(links.contains(&"/privacy/".to_string()));
}

/// The radio buttons and the follow-up answers the validator reads.
fn assert_rating_parts(doc: &Html, page: &str) {
    let feedback = r#"[data-element="feedback"]"#;
    assert_eq!(
        texts(
            doc,
            &format!(r#"{feedback} [data-element="feedback-title"]"#)
        ),
        ["Quanto sono chiare le informazioni su questa pagina?"],
        "{page}"
    );
    for n in 1..=5 {
        let rate = format!(r#"{feedback} input[type="radio"][data-element="feedback-rate-{n}"]"#);
        assert_eq!(attrs(doc, &rate, "value"), [n.to_string()], "{page}");
    }
    for which in ["positive", "negative"] {
        let answers = format!(
            r#"{feedback} [data-element="feedback-rating-{which}"] [data-element="feedback-rating-answer"]"#
        );
        assert_eq!(texts(doc, &answers).len(), 5, "{page}: {which}");
    }
    assert_eq!(
        attrs(
            doc,
            &format!(r#"{feedback} textarea[data-element="feedback-input-text"]"#),
            "name"
        ),
        ["dettagli"]
    );
}

#[test]
fn the_rating_form_posts_to_the_configured_endpoint() {
    let site = built_with_feedback(r#"{ endpoint: "https://moduli.example.org/valutazioni" }"#);
    for page in [
        "index.html",
        "servizi/custodia-sociale/index.html",
        "privacy/index.html",
    ] {
        let doc = site.html(page);
        assert_rating_parts(&doc, page);
        let form = r#"[data-element="feedback"] form"#;
        assert_eq!(
            attrs(&doc, form, "action"),
            ["https://moduli.example.org/valutazioni"]
        );
        assert_eq!(attrs(&doc, form, "method"), ["post"]);
        assert!(attrs(&doc, form, "enctype").is_empty(), "{page}");
        assert_eq!(texts(&doc, &format!("{form} button[type=submit]")).len(), 1);
    }
}

#[test]
fn the_rating_form_opens_a_mail_when_only_an_address_is_configured() {
    let site = built_with_feedback(r#"{ email: "valutazioni@example.org" }"#);
    let doc = site.html("faq/index.html");
    let form = r#"[data-element="feedback"] form"#;
    assert_eq!(
        attrs(&doc, form, "action"),
        ["mailto:valutazioni@example.org"]
    );
    assert_eq!(attrs(&doc, form, "enctype"), ["text/plain"]);
}

#[test]
fn without_a_destination_the_rating_says_where_to_write_instead() {
    let site = built();
    let doc = site.html("servizi/custodia-sociale/index.html");
    assert_rating_parts(&doc, "servizi/custodia-sociale");
    assert!(texts(&doc, r#"[data-element="feedback"] form"#).is_empty());
    let links = attrs(&doc, r#"[data-element="feedback"] a"#, "href");
    assert_eq!(links, ["/segnala-disservizio/"]);
    assert!(target_of(&site, &links[0]).is_some());
}

#[test]
fn an_english_legal_page_is_in_english_and_names_its_italian_version() {
    let site = built();
    let en = site.html("en/privacy/index.html");
    assert_eq!(attrs(&en, "html", "lang"), ["en"]);
    assert_eq!(texts(&en, "h1"), ["Privacy notice"]);
    assert_eq!(
        attrs(&en, r#"link[rel="alternate"][hreflang="it"]"#, "href"),
        ["https://wemi.comune.milano.it/privacy/"]
    );
    assert_eq!(
        attrs(&en, r#"link[rel="alternate"][hreflang="en"]"#, "href"),
        ["https://wemi.comune.milano.it/en/privacy/"]
    );
    // The switcher links to the Italian page; the footer's legal links stay in English.
    assert_eq!(
        attrs(&en, r#".lang-nav a[hreflang="it"]"#, "href"),
        ["/privacy/"]
    );
    let legal = attrs(&en, r#"footer [data-element="legal-notes"]"#, "href");
    assert_eq!(legal, ["/en/note-legali/"]);
    assert!(target_of(&site, &legal[0]).is_some());
    assert_eq!(
        texts(&en, r#"footer [data-element="legal-notes"]"#),
        ["Legal notes"]
    );

    let it = site.html("privacy/index.html");
    assert_eq!(attrs(&it, "html", "lang"), ["it"]);
    assert_eq!(
        attrs(&it, r#"link[rel="alternate"][hreflang="en"]"#, "href"),
        ["https://wemi.comune.milano.it/en/privacy/"]
    );
}

#[test]
fn the_menu_carries_the_validator_markers_and_the_search_box_its_contract() {
    let site = built();
    let home = site.html("index.html");
    for (marker, href) in [
        ("live", "/spazi/"),
        ("all-services", "/servizi/"),
        ("news", "/notizie/"),
        ("management", "/municipio/"),
        ("all-topics", "/argomenti/"),
    ] {
        let hrefs = attrs(
            &home,
            &format!(r#".main-nav [data-element="{marker}"]"#),
            "href",
        );
        assert_eq!(hrefs, [href], "{marker}");
    }
    let form = r#"header form[role="search"]"#;
    assert_eq!(attrs(&home, form, "action"), ["/cerca/"]);
    assert_eq!(attrs(&home, form, "method"), ["get"]);
    assert_eq!(attrs(&home, &format!("{form} input"), "name"), ["q"]);

    // Second level: the catalogue links each service, the services list their contacts.
    let catalogue = site.html("servizi/index.html");
    let services = attrs(&catalogue, r#"[data-element="service-link"]"#, "href");
    assert!(services.len() >= 8, "{services:?}");
    for href in services {
        let file = target_of(&site, &href).unwrap_or_else(|| panic!("{href} not built"));
        let doc = Html::parse_document(&fs::read_to_string(&file).unwrap());
        let index = texts(&doc, r#"[data-element="page-index"] > li > a"#);
        assert!(
            index.contains(&"Contatti".to_string()),
            "{href}: index {index:?}"
        );
        assert_eq!(
            texts(&doc, r#"[data-element="service-area"] h2"#),
            ["Contatti"],
            "{href}"
        );
    }
}

#[test]
fn a_news_item_is_a_dated_news_article_and_its_inauguration_an_event() {
    let site = built();
    let doc = site.html("notizie/nuovo-spazio-wemi-via-piazzetta/index.html");
    let article = &json_ld(&doc, "NewsArticle")[0];
    assert_eq!(article["datePublished"], "2018-10-26T17:00:00+02:00");
    assert_eq!(
        article["headline"],
        "Apre in via Piazzetta 2 il nuovo spazio WeMi del Municipio 4"
    );
    let event = &json_ld(&doc, "Event")[0];
    assert_eq!(event["startDate"], "2018-10-26T17:00:00+02:00");
    assert!(texts(&doc, ".meta-list li").contains(&"Data: 26 ottobre 2018".to_string()));
    assert_eq!(texts(&doc, ".news__dated").len(), 1);
}

/// Every `{{ card(spazio="…") }}` of the real site's news renders the space's card: a link to
/// the space in an inline space list (a shortcode written as a component must still render).
#[test]
fn every_card_shortcode_of_the_news_shows_its_space() {
    let site = built();
    let mut calls = 0;
    for entry in fs::read_dir(site.root.join("content/notizie")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let spaces: Vec<&str> = text
            .split("{{ card(spazio=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        if spaces.is_empty() {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let page = site.html(&format!("notizie/{stem}/index.html"));
        let cards = attrs(&page, "main ul.space-list--inline li a", "href");
        let expected: Vec<String> = spaces.iter().map(|s| format!("/spazi/{s}/")).collect();
        assert_eq!(cards, expected, "{stem}");
        calls += spaces.len();
    }
    assert!(calls > 0, "the real site's news call no card any more");
}

/// A long news listing, 113 items on 12 pages: each page links to the first, the last and the
/// pages beside it, not to every other (the pages would grow with the listing's length), and
/// its topics are the terms of `tags`, as the taxonomy's own page lists them.
#[test]
fn a_long_news_listing_links_a_handful_of_its_pages_and_the_topics_of_tags() {
    let site = Site::real();
    for i in 0..110 {
        site.write(
            &format!("content/notizie/prova-{i}.md"),
            format!(
                "---\ntitle: \"Prova {i}\"\ndescription: \"Una notizia di prova.\"\n\
                 date: 2019-01-{:02}\ntags: [prova-{}]\n---\nTesto.\n",
                i % 28 + 1,
                i % 4
            ),
        );
    }
    site.build_ok(&[]);
    let numbers = |path: &str| {
        let doc = site.html(path);
        let current = texts(&doc, ".pagination__list a[aria-current] ");
        (texts(&doc, ".pagination__list a:not([rel])"), current)
    };
    let shown = |numbers: &[u32]| -> Vec<String> {
        numbers.iter().map(|n| format!("Pagina {n}")).collect()
    };
    assert_eq!(
        numbers("notizie/index.html"),
        (shown(&[1, 2, 12]), shown(&[1]))
    );
    assert_eq!(
        numbers("notizie/page/2/index.html"),
        (shown(&[1, 2, 3, 12]), shown(&[2]))
    );
    assert_eq!(
        numbers("notizie/page/6/index.html"),
        (shown(&[1, 5, 6, 7, 12]), shown(&[6]))
    );
    assert_eq!(
        numbers("notizie/page/11/index.html"),
        (shown(&[1, 10, 11, 12]), shown(&[11]))
    );
    assert_eq!(
        numbers("notizie/page/12/index.html"),
        (shown(&[1, 11, 12]), shown(&[12]))
    );

    let tags = site.html("tags/index.html");
    let listing = site.html("notizie/page/6/index.html");
    let topics = "nav.topic-nav a[data-element=news-category-link]";
    assert_eq!(
        attrs(&listing, topics, "href"),
        attrs(&tags, ".term-list a", "href")
    );
    let names = texts(&listing, topics);
    assert!(names.contains(&"Prova 3".to_string()), "{names:?}");
    assert!(names.contains(&"#SostieneMilano".to_string()), "{names:?}");
}
