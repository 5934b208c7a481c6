//! End-to-end tests of the WeMi theme's languages: right-to-left pages, `hreflang` alternates,
//! the language switcher, listings that fall back to Italian for pages not translated yet,
//! theme texts that fall back to Italian, and the English pages of the real site.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{Site, attrs, build_real_site, copy_dir, texts, walk};
use scraper::{ElementRef, Html, Selector};

/// The `rtl` fixture (Italian, English and Arabic) with the real WeMi theme, built.
fn built_rtl() -> (Site, String) {
    let site = Site::fixture("rtl");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi");
    copy_dir(&theme, &site.root.join("themes/wemi"));
    let out = site.build(&[]);
    common::assert_success(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    (site, stderr)
}

/// hreflang → href of a page's `<link rel="alternate" hreflang>` elements.
fn alternates(doc: &Html) -> BTreeMap<String, String> {
    let sel = Selector::parse("link[rel=alternate][hreflang]").unwrap();
    doc.select(&sel)
        .map(|e| {
            let attr = |name| e.value().attr(name).unwrap().to_string();
            (attr("hreflang"), attr("href"))
        })
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The links of `doc` whose `href` is `href`.
fn links_to<'a>(doc: &'a Html, href: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse("main a[href]").unwrap();
    doc.select(&sel)
        .filter(|a| a.value().attr("href") == Some(href))
        .collect()
}

/// The text of the element right after element `e` (the "(in Italian)" after a link).
fn text_after(e: ElementRef) -> String {
    e.next_siblings()
        .find_map(ElementRef::wrap)
        .map(|next| next.text().collect::<String>())
        .unwrap_or_default()
}

#[test]
fn arabic_pages_are_written_right_to_left_and_the_others_left_to_right() {
    let (site, _) = built_rtl();
    for page in [
        "ar/index.html",
        "ar/spazi/index.html",
        "ar/spazi/spazio-tradotto/index.html",
    ] {
        let doc = site.html(page);
        assert_eq!(attrs(&doc, "html", "lang"), ["ar"], "{page}");
        assert_eq!(attrs(&doc, "html", "dir"), ["rtl"], "{page}");
    }
    let arabic = site.html("ar/spazi/spazio-tradotto/index.html");
    assert_eq!(texts(&arabic, "h1"), ["مساحة مترجمة"]);
    for (page, lang) in [
        ("spazi/spazio-tradotto/index.html", "it"),
        ("en/spazi/spazio-tradotto/index.html", "en"),
    ] {
        let doc = site.html(page);
        assert_eq!(attrs(&doc, "html", "lang"), [lang], "{page}");
        assert!(attrs(&doc, "html", "dir").is_empty(), "{page}");
    }
}

#[test]
fn each_version_lists_every_version_and_italian_as_x_default() {
    let (site, _) = built_rtl();
    let expected = map(&[
        ("it", "https://example.org/spazi/spazio-tradotto/"),
        ("en", "https://example.org/en/spazi/spazio-tradotto/"),
        ("ar", "https://example.org/ar/spazi/spazio-tradotto/"),
        ("x-default", "https://example.org/spazi/spazio-tradotto/"),
    ]);
    for page in [
        "spazi/spazio-tradotto/index.html",
        "en/spazi/spazio-tradotto/index.html",
        "ar/spazi/spazio-tradotto/index.html",
    ] {
        assert_eq!(alternates(&site.html(page)), expected, "{page}");
    }
    // A page in one language only has no alternates to give.
    assert_eq!(
        alternates(&site.html("spazi/solo-italiano/index.html")),
        BTreeMap::new()
    );
}

#[test]
fn the_switcher_offers_each_translation_or_else_that_languages_home_with_a_notice() {
    let (site, _) = built_rtl();
    let arabic = site.html("ar/spazi/spazio-tradotto/index.html");
    assert_eq!(texts(&arabic, ".lang-nav [aria-current]"), ["العربية"]);
    assert_eq!(
        attrs(&arabic, ".lang-nav a[hreflang=it]", "href"),
        ["/spazi/spazio-tradotto/"]
    );
    assert_eq!(
        attrs(&arabic, ".lang-nav a[hreflang=en]", "href"),
        ["/en/spazi/spazio-tradotto/"]
    );
    assert_eq!(texts(&arabic, ".lang-nav a[hreflang=it]"), ["Italiano"]);
    assert_eq!(texts(&arabic, ".lang-nav a[hreflang=en]"), ["English"]);
    assert!(texts(&arabic, ".lang-nav__missing").is_empty());

    // An Italian page without translations: each other language's home, with a notice in it.
    let italian = site.html("spazi/solo-italiano/index.html");
    assert_eq!(texts(&italian, ".lang-nav [aria-current]"), ["Italiano"]);
    assert_eq!(
        attrs(&italian, ".lang-nav a[hreflang=en]", "href"),
        ["/en/"]
    );
    assert_eq!(
        attrs(&italian, ".lang-nav a[hreflang=ar]", "href"),
        ["/ar/"]
    );
    assert_eq!(
        texts(&italian, ".lang-nav li[lang=en] .lang-nav__missing"),
        ["This page is not available in English"]
    );
    assert_eq!(
        texts(&italian, ".lang-nav li[lang=ar] .lang-nav__missing"),
        ["هذه الصفحة غير متوفرة باللغة العربية"]
    );
}

#[test]
fn listings_in_another_language_show_untranslated_pages_in_italian_marked_as_such() {
    let (site, _) = built_rtl();
    for (listing, translated, marker) in [
        (
            "ar/spazi/index.html",
            "/ar/spazi/spazio-tradotto/",
            "(بالإيطالية)",
        ),
        (
            "en/spazi/index.html",
            "/en/spazi/spazio-tradotto/",
            "(in Italian)",
        ),
    ] {
        let doc = site.html(listing);
        let own = links_to(&doc, translated);
        assert_eq!(own.len(), 1, "{listing}");
        assert_eq!(own[0].value().attr("lang"), None, "{listing}");
        let fallback = links_to(&doc, "/spazi/solo-italiano/");
        assert_eq!(fallback.len(), 1, "{listing}");
        assert_eq!(fallback[0].value().attr("lang"), Some("it"), "{listing}");
        assert_eq!(
            fallback[0].value().attr("hreflang"),
            Some("it"),
            "{listing}"
        );
        assert_eq!(text_after(fallback[0]), marker, "{listing}");
        // The Italian version of a translated page is not listed a second time.
        assert!(
            links_to(&doc, "/spazi/spazio-tradotto/").is_empty(),
            "{listing}"
        );
    }
    // The home leads to the spaces index of its own language.
    for (home, spaces) in [
        ("ar/index.html", "/ar/spazi/"),
        ("en/index.html", "/en/spazi/"),
    ] {
        let doc = site.html(home);
        assert!(!links_to(&doc, spaces).is_empty(), "{home}");
        assert!(links_to(&doc, "/spazi/").is_empty(), "{home}");
    }
    // In Italian, nothing is marked.
    let italian = site.html("spazi/index.html");
    assert_eq!(links_to(&italian, "/spazi/solo-italiano/").len(), 1);
    assert!(texts(&italian, "main .lang-fallback").is_empty());
}

#[test]
fn a_theme_text_missing_in_a_language_is_shown_in_italian_and_the_build_warns() {
    let (site, stderr) = built_rtl();
    // tests/fixtures/rtl/i18n/ar.yaml leaves out `language_menu_label` on purpose.
    let arabic = site.html("ar/spazi/spazio-tradotto/index.html");
    assert_eq!(attrs(&arabic, ".lang-nav", "aria-label"), ["Lingua"]);
    let english = site.html("en/spazi/spazio-tradotto/index.html");
    assert_eq!(attrs(&english, ".lang-nav", "aria-label"), ["Language"]);
    assert!(
        stderr.contains("ar") && stderr.contains("language_menu_label"),
        "no warning about the Arabic texts:\n{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// The real site

/// The content files of `section` (a folder of `content/`) in the default language, as
/// (slug, whether it has an English version).
fn pages_of(section: &str) -> Vec<(String, bool)> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content")
        .join(section);
    let mut pages: Vec<(String, bool)> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let stem = name.strip_suffix(".md")?;
            let is_italian = !stem.contains('.') && stem != "_index";
            is_italian.then(|| {
                let english = folder.join(format!("{stem}.en.md")).exists();
                (stem.to_string(), english)
            })
        })
        .collect();
    pages.sort();
    pages
}

/// The spaces with an English page: those open (or known) in the sources.
const ENGLISH_SPACES: [&str; 10] = [
    "via-piazzetta",
    "tate-colf-badanti",
    "via-ornato",
    "via-valla",
    "via-pacinotti",
    "rizzoli",
    "trivulzio",
    "venini",
    "san-gottardo",
    "capuana",
];

/// The pages about the site itself, linked from every footer.
const LEGAL_PAGES: [&str; 6] = [
    "dichiarazione-accessibilita",
    "privacy",
    "note-legali",
    "faq",
    "segnala-disservizio",
    "mappa-del-sito",
];

#[test]
fn the_key_pages_of_the_real_site_are_in_english_under_en() {
    let dir = build_real_site();
    let mut key_pages: Vec<String> = vec!["".into(), "spazi/".into(), "servizi/".into()];
    key_pages.extend(LEGAL_PAGES.iter().map(|p| format!("{p}/")));
    key_pages.extend(ENGLISH_SPACES.iter().map(|s| format!("spazi/{s}/")));
    key_pages.extend(
        pages_of("servizi")
            .into_iter()
            .map(|(s, _)| format!("servizi/{s}/")),
    );
    for path in key_pages {
        let english = dir.path().join(format!("en/{path}index.html"));
        assert!(english.exists(), "no English page /en/{path}");
        // The menu of English pages (site.yaml `main_en`) leads to the English sections.
        let menu = attrs(
            &Html::parse_document(&fs::read_to_string(&english).unwrap()),
            ".main-nav a",
            "href",
        );
        assert!(
            menu.contains(&"/en/spazi/".to_string()),
            "/en/{path}: {menu:?}"
        );
        assert!(
            !menu.contains(&"/spazi/".to_string()),
            "/en/{path}: {menu:?}"
        );
        let italian = Html::parse_document(
            &fs::read_to_string(dir.path().join(format!("{path}index.html"))).unwrap(),
        );
        assert_eq!(
            alternates(&italian).get("en").map(String::as_str),
            Some(format!("https://wemi.comune.milano.it/en/{path}").as_str()),
            "/{path}"
        );
    }
}

/// The file a URL of the real site is published as.
fn file_of(dir: &Path, url: &str) -> PathBuf {
    let path = url
        .strip_prefix("https://wemi.comune.milano.it/")
        .unwrap_or_else(|| panic!("{url} is not on the site"));
    dir.join(path).join("index.html")
}

#[test]
fn every_page_of_the_real_site_is_in_its_language_and_its_alternates_point_back() {
    let dir = build_real_site();
    let pages: Vec<PathBuf> = walk(dir.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut with_alternates = 0;
    for page in &pages {
        let doc = Html::parse_document(&fs::read_to_string(page).unwrap());
        let relative = page.strip_prefix(dir.path()).unwrap();
        let lang = if relative.starts_with("en") {
            "en"
        } else {
            "it"
        };
        let redirect = !attrs(&doc, "meta[http-equiv=refresh]", "content").is_empty();
        if !redirect {
            assert_eq!(
                attrs(&doc, "html", "lang"),
                [lang],
                "{}",
                relative.display()
            );
        }
        let own = alternates(&doc);
        if own.is_empty() {
            continue;
        }
        with_alternates += 1;
        let canonical = attrs(&doc, "link[rel=canonical]", "href").remove(0);
        assert_eq!(own.get(lang), Some(&canonical), "{}", relative.display());
        assert_eq!(
            own.get("x-default"),
            own.get("it"),
            "{}",
            relative.display()
        );
        for (other_lang, url) in own.iter().filter(|(l, _)| *l != lang && *l != "x-default") {
            let other =
                Html::parse_document(&fs::read_to_string(file_of(dir.path(), url)).unwrap());
            assert_eq!(
                alternates(&other).get(lang),
                Some(&canonical),
                "{url} ({other_lang}) does not point back to {}",
                relative.display()
            );
        }
    }
    assert!(
        with_alternates >= 2 * ENGLISH_SPACES.len(),
        "{with_alternates}"
    );
}

#[test]
fn the_english_spaces_index_of_the_real_site_shows_every_space() {
    let dir = build_real_site();
    let spaces = pages_of("spazi");
    assert!(
        spaces.iter().any(|(_, english)| !english),
        "every space is translated"
    );
    let listing = "en/spazi/index.html";
    let doc = Html::parse_document(&fs::read_to_string(dir.path().join(listing)).unwrap());
    for (slug, english) in &spaces {
        if *english {
            let links = links_to(&doc, &format!("/en/spazi/{slug}/"));
            assert_eq!(links.len(), 1, "{listing}: {slug}");
            assert_eq!(links[0].value().attr("lang"), None, "{listing}: {slug}");
        } else {
            let links = links_to(&doc, &format!("/spazi/{slug}/"));
            assert_eq!(links.len(), 1, "{listing}: {slug}");
            assert_eq!(
                links[0].value().attr("lang"),
                Some("it"),
                "{listing}: {slug}"
            );
            assert_eq!(text_after(links[0]), "(in Italian)", "{listing}: {slug}");
        }
    }
}
