//! Heading ids as editors link to them: the GitHub rule, the same on a site in any language,
//! and `@/…#id` links checked against them.

use crate::common::{Site, attrs};

#[test]
fn an_english_site_gets_github_style_ids_and_a_neutral_fallback() {
    let site = Site::fixture("basic");
    site.add_to_config("language: en\n");
    site.write(
        "content/notizie/orari.md",
        "---\ntitle: Hours\n---\n## 1. Opening hours & contacts\n\n## -x\n\n##\n\n##\n\n\
         ## Perché l'orario cambia\n\n## -x\n",
    );
    site.write(
        "content/notizie/link.md",
        "---\ntitle: Links\n---\n[a](@/notizie/orari.md#1-opening-hours--contacts) \
         [b](@/notizie/orari.md#-x-1) [c](@/notizie/orari.md#heading-1) \
         [d](@/notizie/orari.md#perche-l-orario-cambia)\n",
    );
    site.build_ok(&[]);
    let page = site.html("notizie/orari/index.html");
    assert_eq!(
        attrs(&page, "h2", "id"),
        [
            "1-opening-hours--contacts",
            "-x",
            "heading",
            "heading-1",
            "perche-l-orario-cambia",
            "-x-1"
        ]
    );
    // The old ids are links to nothing now: an error at the link.
    site.write(
        "content/notizie/link.md",
        "---\ntitle: Links\n---\n[a](@/notizie/orari.md#1-opening-hours-contacts) [b](@/notizie/orari.md#sezione)\n",
    );
    let stderr = site.build_err(&[], 1);
    assert_eq!(
        stderr.matches("error[link.missing-heading]").count(),
        2,
        "{stderr}"
    );
}
