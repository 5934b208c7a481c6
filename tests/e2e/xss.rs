//! Script injection, tried as an attacker would. The attack site `tests/fixtures/xss` puts
//! payloads everywhere content reaches a page (front matter, markdown, heading attributes,
//! links in many encodings, shortcode arguments, data files, `</script>` in the fields of the
//! JSON-LD); it is built with the real theme by the real binary, every page is opened in
//! headless Chromium, and no payload may run or be left waiting in an attribute. The feeds
//! are read with a feed parser and their HTML checked the same way. Script URLs in values
//! templates receive are refused with an error where they are written.
//!
//! The browser test needs Debian's Chromium, Node.js and the driver in tests/browser: it fails,
//! saying what to install, when one is missing (it never passes by skipping); see
//! `common::tools`.

use crate::common;

use std::path::{Path, PathBuf};

use common::{Site, copy_dir, walk};
use scraper::{Html, Selector};

/// The scripts the WeMi theme itself loads (by `src`, with no text): the only `<script>`
/// elements allowed besides JSON data. Their names hold a hash of their bytes
/// (`/js/spazi.3f9a1c2b.js`): these are the parts before and after it.
const THEME_SCRIPTS: &[(&str, &str)] = &[("/js/spazi.", ".js")];

/// True when `src` is one of [`THEME_SCRIPTS`], its hash being 8 hex digits.
fn theme_script(src: &str) -> bool {
    THEME_SCRIPTS.iter().any(|(start, end)| {
        src.strip_prefix(start)
            .and_then(|rest| rest.strip_suffix(end))
            .is_some_and(|hash| hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
    })
}

/// The attack site, with the theme the real site is published with.
fn attack_site() -> Site {
    let site = Site::fixture("xss");
    let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi");
    copy_dir(&themes, &site.root.join("themes/wemi"));
    site
}

/// Whitespace collapsed as `document.title` does.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a URL, as a browser reads it (leading spaces and controls dropped, tabs and line
/// breaks dropped anywhere, any case), starts with a script scheme. Written here again, not
/// taken from wemi, so that the test does not trust the code it tests.
fn is_script_url(url: &str) -> bool {
    let read: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| read.starts_with(s))
}

#[test]
fn no_script_from_content_runs_in_a_real_browser() {
    let site = attack_site();
    site.build_ok(&[]);
    let public = site.root.join("public");
    let pages: Vec<PathBuf> = walk(&public)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    for expected in [
        "index.html",
        "spazi/attacco/index.html",
        "notizie/attacco/index.html",
        "pagina/index.html",
        "tags/attacco/index.html",
    ] {
        assert!(pages.contains(&public.join(expected)), "{expected} built");
    }

    let profile = tempfile::tempdir().unwrap();
    let args = std::iter::once(profile.path()).chain(pages.iter().map(PathBuf::as_path));
    let results = common::tools::run_in_browser("xss.mjs", args);
    let results = results.as_array().expect("a list, one result per page");
    assert_eq!(results.len(), pages.len());

    let mut problems = Vec::new();
    let mut json_ld = Vec::new();
    for result in results {
        let file = result["file"].as_str().unwrap();
        let shown = file.strip_prefix(public.to_str().unwrap()).unwrap_or(file);
        for key in [
            "calls",
            "dialogs",
            "handlerEvents",
            "errors",
            "handlers",
            "styles",
            "scriptUrls",
            "embeds",
        ] {
            match result[key].as_array() {
                Some(found) if found.is_empty() => {}
                Some(found) => problems.push(format!("{shown}: {key}: {found:?}")),
                None => problems.push(format!("{shown}: no `{key}` reported: {result}")),
            }
        }
        for script in result["scripts"].as_array().into_iter().flatten() {
            let text = script["text"].as_str().unwrap_or_default();
            let data = ["application/ld+json", "application/json"]
                .iter()
                .any(|t| script["type"] == *t);
            if theme_script(script["src"].as_str().unwrap_or_default()) && text.is_empty() {
                // The theme's own file, not content.
            } else if !data {
                problems.push(format!("{shown}: a script ran or waits: {script}"));
            } else {
                // Data the browser never runs: it must still be whole JSON.
                match serde_json::from_str::<serde_json::Value>(text) {
                    Ok(value) if script["type"] == "application/ld+json" => {
                        json_ld.push((shown.to_string(), value))
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{shown}: JSON data broken ({e}): {text}")),
                }
            }
        }
        // A payload that changes the title shows here: the title the browser ends with is
        // the one in the file.
        let html = Html::parse_document(&std::fs::read_to_string(file).unwrap());
        let written = common::texts(&html, "title").concat();
        if collapsed(result["title"].as_str().unwrap_or_default()) != collapsed(&written) {
            problems.push(format!(
                "{shown}: the title changed from {written:?} to {}",
                result["title"]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "scripts from content:\n{}",
        problems.join("\n")
    );

    // `</script>` in the fields of the structured data reached it as data, whole.
    let (_, office) = json_ld
        .iter()
        .find(|(page, value)| {
            page.ends_with("spazi/attacco/index.html") && value["@type"] == "GovernmentOffice"
        })
        .expect("the space page has its GovernmentOffice JSON-LD");
    assert_eq!(office["@type"], "GovernmentOffice");
    assert_eq!(
        office["name"],
        "WeMi </script><script>__xss('ld-title')</script> Attacco"
    );
    assert_eq!(
        office["address"]["streetAddress"],
        "via </script><script>__xss('ld-street')</script> 2\" onmouseover=\"__xss('civic')"
    );
    assert_eq!(
        office["contactPoint"][0]["name"],
        "Famiglie</script><script>__xss('ld-label')</script>"
    );
    assert_eq!(office["containedInPlace"]["name"], "Municipio 4");
}

#[test]
fn markdown_keeps_plain_heading_ids_and_neutral_links() {
    let site = attack_site();
    site.build_ok(&[]);
    let page = site.html("spazi/attacco/index.html");
    let heading = Selector::parse(".prose h2").unwrap();
    let headings: Vec<Vec<(&str, &str)>> = page
        .select(&heading)
        .map(|h| {
            let mut attrs: Vec<(&str, &str)> = h.value().attrs().collect();
            attrs.sort_unstable();
            attrs
        })
        .collect();
    assert_eq!(
        headings,
        [
            vec![("id", "orari")],
            vec![("class", "evidenza"), ("id", "dove")],
            vec![("id", "a-onfocus-xss-heading-id")],
        ]
    );
    let links = common::attrs(&page, ".prose a[href], .prose img[src]", "href")
        .into_iter()
        .chain(common::attrs(&page, ".prose img[src]", "src"));
    let scripted: Vec<String> = links.filter(|u| is_script_url(u)).collect();
    assert!(scripted.is_empty(), "{scripted:?}");
    // "Data: 26 ottobre" is Italian for "date", not a data: URL: it is published as written.
    let offers = common::texts(&page, "#sezione-servizi li");
    assert!(
        offers.contains(&"Data: 26 ottobre 2018, alle 17".to_string()),
        "{offers:?}"
    );
}

#[test]
fn feeds_carry_no_script() {
    let site = attack_site();
    site.build_ok(&[]);
    let feeds: Vec<PathBuf> = walk(&site.root.join("public"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .filter(|p| !p.ends_with("sitemap.xml"))
        .collect();
    assert!(feeds.len() >= 4, "{feeds:?}");
    let any = Selector::parse("*").unwrap();
    let mut problems = Vec::new();
    let mut bodies = 0;
    for feed_path in &feeds {
        let bytes = std::fs::read(feed_path).unwrap();
        let feed = feed_rs::parser::parse(&bytes[..])
            .unwrap_or_else(|e| panic!("{}: {e}", feed_path.display()));
        for entry in &feed.entries {
            let html = entry
                .content
                .iter()
                .filter_map(|c| c.body.clone())
                .chain(entry.summary.iter().map(|s| s.content.clone()));
            for body in html {
                bodies += 1;
                let fragment = Html::parse_fragment(&body);
                for element in fragment.select(&any) {
                    let tag = element.value().name();
                    if matches!(tag, "script" | "iframe" | "object" | "embed" | "style") {
                        problems.push(format!("{}: <{tag}>", feed_path.display()));
                    }
                    for (name, value) in element.value().attrs() {
                        let url_attribute = matches!(name, "href" | "src" | "action" | "srcset");
                        if name.starts_with("on")
                            || name == "style"
                            || (url_attribute && is_script_url(value))
                        {
                            problems.push(format!(
                                "{}: <{tag} {name}=\"{value}\">",
                                feed_path.display()
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(bodies >= 4, "the attack pages are in the feeds");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The heading with the payload is in the news item's summary and body, id kept.
    let atom = std::fs::read_to_string(site.public("notizie/atom.xml")).unwrap();
    assert!(
        atom.contains("&lt;h2 id=&quot;inaugurazione&quot;&gt;"),
        "{atom}"
    );
}

#[test]
fn script_urls_in_values_are_refused_where_written() {
    let site = attack_site();
    site.write(
        "content/spazi/rifiutato.md",
        "---\ntitle: Rifiutato\ndescription: \" JaVa\\tScRiPt:__xss('description')\"\n\
         last_reviewed: 2026-11-26\naddress:\n  street: \"data:text/html,<script>__xss()</script>\"\n\
         offers:\n  - va bene\n  - \"vbscript:msgbox(1)\"\n---\nTesto.\n",
    );
    site.write(
        "content/altra.md",
        "---\ntitle: Altra\nextra:\n  sito: \"javascript:__xss('extra')\"\n---\nTesto.\n",
    );
    site.write(
        "content/figura.md",
        "---\ntitle: Figura\n---\nUna figura:\n\n{{ figura(src=\"javascript:__xss('src')\", alt=\"x\") }}\n",
    );
    site.write(
        "data/collegamenti.yaml",
        "nome: x\nurl: 'javascript:__xss(1)'\n",
    );
    site.write(
        "data/altro.json",
        "{\"u\": \"java\\u0073cript:__xss(2)\"}\n",
    );
    site.write(
        "data/tabella.csv",
        "nome,link\nuno,https://example.org\ndue,\"data:text/html;base64,PGI+\"\n",
    );
    let stderr = site.build_err(&[], 1);
    for expected in [
        "content/spazi/rifiutato.md:3:14: `description` is a javascript: address, which can run a script in the visitor's browser",
        "content/spazi/rifiutato.md:6:11: `address.street` is a data: address",
        "content/spazi/rifiutato.md:9:5: `offers[1]` is a vbscript: address",
        "content/altra.md:4:9: `extra.sito` is a javascript: address",
        "content/figura.md:6:1: the argument `src` of `figura` is a javascript: address",
        "data/collegamenti.yaml:2:7: `collegamenti.url` is a javascript: address",
        "data/altro.json: `altro.u` is a javascript: address",
        "data/tabella.csv:3:6: `tabella[1].link` is a data: address",
        "help: content may not hold javascript:, vbscript: or data: addresses",
        "8 errors found; nothing was written.",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert_eq!(
        stderr.matches("error[unsafe.script-url]: ").count(),
        8,
        "{stderr}"
    );
    assert!(!site.public("index.html").exists());

    // The same in Italian.
    let stderr = site.build_err(&["--lang", "it"], 1);
    assert!(
        stderr.contains(
            "content/altra.md:4:9: `extra.sito` è un indirizzo javascript:, che può eseguire uno script"
        ),
        "{stderr}"
    );
}

/// A page or section may name its template, but only an HTML one: the real theme's CSV
/// template escapes nothing, and a page it rendered would be written as `index.html`, with a
/// space's fields in it as markup.
#[test]
fn a_template_that_escapes_nothing_cannot_render_a_page() {
    let site = attack_site();
    site.write(
        "content/spazi/gestore.md",
        "---\ntitle: Gestore\ndescription: Uno spazio\nlast_reviewed: 2026-11-26\n\
         managed_by: \"<img src=x onerror=__xss('csv')>\"\n---\nTesto.\n",
    );
    site.write(
        "content/tabella.md",
        "---\ntitle: Tabella\ntemplate: opendata/spazi.csv\n---\nTesto.\n",
    );
    let section = std::fs::read_to_string(site.root.join("content/notizie/_index.md")).unwrap();
    site.write(
        "content/notizie/_index.md",
        section.replacen(
            "feed: true\n",
            "feed: true\ntemplate: \"notizie/section.HTML\"\n",
            1,
        ),
    );
    let stderr = site.build_err(&[], 1);
    for expected in [
        "content/tabella.md:3:1: `template` must name an HTML template (ending in `.html`), found `opendata/spazi.csv`",
        "content/notizie/_index.md:5:1: `template` must name an HTML template (ending in `.html`), found `notizie/section.HTML`",
        "help: name one of the theme's page templates, e.g. `template: page.html`, or remove the line",
        "2 errors found; nothing was written.",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    assert!(!site.public("tabella/index.html").exists());

    // A template that is missing is an error at its line, naming the theme's HTML templates
    // only.
    site.write(
        "content/tabella.md",
        "---\ntitle: Tabella\ntemplate: tabella.html\n---\nTesto.\n",
    );
    site.write("content/notizie/_index.md", &section);
    let stderr = site.build_err(&[], 1);
    let listed = stderr
        .lines()
        .find(|l| l.contains("`template: tabella.html` names a template that does not exist"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        listed.starts_with("error[template.missing]: content/tabella.md:3:1: "),
        "{listed}"
    );
    assert!(listed.contains("page.html"), "{listed}");
    assert!(!listed.contains(".csv"), "{listed}");
}
