//! `wemi check` warns about every other host the published site makes a browser contact by
//! itself (scripts, fonts, images, forms), once per file, host and kind, on the file that
//! writes the address; `--strict` makes those errors. Links are not contacts.

use crate::common;

use common::Site;

/// The editors' fixture with `markdown` added after a blank line at the end of a space page.
fn with_markdown(markdown: &str) -> Site {
    let site = Site::fixture("editors");
    let page = "content/spazi/via-piazzetta.md";
    let text = std::fs::read_to_string(site.root.join(page)).unwrap();
    site.write(page, format!("{text}\n{markdown}"));
    site
}

/// The editors' fixture where a page shows an image of another host through a shortcode,
/// links elsewhere and shows an image at the site's own absolute address; the theme loads a
/// script and posts a form elsewhere, and its style sheet imports Google Fonts.
fn contacting_site() -> Site {
    let site = with_markdown(
        "{{ figura(src=\"https://img.example.net/foto.jpg\", alt=\"Foto\") }}\n\n\
         [Altro sito](https://other.example.com/) e ![Qui](https://example.org/qui.png)\n",
    );
    let base = "themes/test/templates/base.html";
    let html = std::fs::read_to_string(site.root.join(base)).unwrap();
    let html = html
        .replace(
            "</head>",
            "<script src=\"https://cdn.example.com/x.js\"></script></head>",
        )
        .replace(
            "</main>",
            "</main><form action=\"https://forms.example.com/send\"></form>",
        );
    site.write(base, html);
    let css = "themes/test/static/css/site.css";
    let before = std::fs::read_to_string(site.root.join(css)).unwrap();
    site.write(
        css,
        format!("@import url(\"https://fonts.googleapis.com/css2?family=Inter\");\n{before}"),
    );
    site
}

/// One privacy diagnostic: its file, line, and "<host named in the message> <severity>".
type Found = (String, Option<u64>, String);

/// The privacy diagnostics of `wemi check --format json <args>`: (file, line, host named in
/// the message and severity), sorted; and the exit code.
fn contacts(site: &Site, args: &[&str]) -> (Vec<Found>, Option<i32>) {
    let out = site.run("check", &[&["--format", "json"], args].concat());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut found: Vec<_> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|d| d["code"] == "privacy.external-host")
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            let host = message
                .split(", ")
                .nth(1)
                .unwrap()
                .split(':')
                .next()
                .unwrap();
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
                format!("{host} {}", d["severity"].as_str().unwrap()),
            )
        })
        .collect();
    found.sort();
    (found, out.status.code())
}

#[test]
fn each_other_host_is_warned_once_on_the_file_that_writes_it() {
    let site = contacting_site();
    let (found, code) = contacts(&site, &[]);
    assert_eq!(code, Some(0));
    let expected = [
        (
            "content/spazi/via-piazzetta.md",
            Some(15),
            "img.example.net warning",
        ),
        (
            "themes/test/static/css/site.css",
            Some(1),
            "fonts.googleapis.com warning",
        ),
        (
            "themes/test/templates/base.html",
            Some(4),
            "cdn.example.com warning",
        ),
        (
            "themes/test/templates/base.html",
            Some(7),
            "forms.example.com warning",
        ),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(f, l, h)| (f.to_string(), l.map(|l| l as u64), h.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn strict_makes_them_errors() {
    let site = contacting_site();
    let (found, code) = contacts(&site, &["--strict"]);
    assert_eq!(code, Some(1));
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(
        found.iter().all(|(_, _, h)| h.ends_with(" error")),
        "{found:?}"
    );
}

#[test]
fn links_and_the_sites_own_host_are_not_contacts() {
    let site =
        with_markdown("[Altro](https://other.example.com/) ![Qui](https://example.org/qui.png)\n");
    assert_eq!(contacts(&site, &["--strict"]), (Vec::new(), Some(0)));
}

#[test]
fn the_real_site_contacts_no_other_host() {
    assert_eq!(
        contacts(&Site::real(), &["--strict"]),
        (Vec::new(), Some(0))
    );
}
