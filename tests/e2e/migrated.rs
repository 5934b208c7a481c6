//! Content written for other tools builds: relative links between markdown files become the
//! pages' addresses (and are checked like `@/` links), dotted file names are pages unless the
//! last dot names a language of the site, and front matter keys the site does not know can
//! be kept for templates (`front_matter.unknown_keys`). The `migrated` fixture is such a site.

use crate::common;

use std::time::Duration;

use common::{Site, attrs, texts};

/// The `href` of every link in the body of the page published at `page`.
fn body_links(site: &Site, page: &str) -> Vec<String> {
    attrs(&site.html(page), ".content a", "href")
}

#[test]
fn relative_markdown_links_become_page_addresses() {
    let site = Site::fixture("migrated");
    site.build_ok(&[]);
    assert_eq!(
        body_links(&site, "guide/intro/index.html"),
        [
            "/guide/altro/",
            "/guide/altro/#sezione",
            "/guide/sub/",
            "/note/v1-2-note/",
            "/guide/caffe/",
            // Other files, other sites and root-relative paths are left as written.
            "doc.pdf",
            "https://example.org/x.md",
            "/altro.md",
        ]
    );
    assert_eq!(
        attrs(&site.html("guide/intro/index.html"), ".content img", "src"),
        ["foto.png"]
    );
    // Each language version resolves from its own file's folder.
    assert_eq!(
        body_links(&site, "note/v1-2-note/index.html"),
        ["/guide/intro/"]
    );
    assert_eq!(
        body_links(&site, "en/note/v1-2-note/index.html"),
        ["/guide/intro/"]
    );
}

#[test]
fn dotted_file_names_are_pages_and_only_languages_are_suffixes() {
    let site = Site::fixture("migrated");
    site.build_ok(&[]);
    let bcd = site.html("note/microsoft-windows-bcd/index.html");
    assert_eq!(texts(&bcd, "h1"), ["Microsoft.Windows.Bcd"]);
    assert_eq!(
        texts(&site.html("note/v1-2-note/index.html"), "h1"),
        ["Nota 1.2"]
    );
    // `en` is a language of the site: `v1.2-note.en.md` is the English version.
    let english = site.html("en/note/v1-2-note/index.html");
    assert_eq!(texts(&english, "h1"), ["Note 1.2"]);
    assert_eq!(
        attrs(&english, ".translations a[hreflang=it]", "href"),
        ["/note/v1-2-note/"]
    );
    // `fr` is not: the dot is part of the name, and the page is Italian.
    site.write(
        "content/note/pagina.fr.md",
        "---\ntitle: Pagina FR\n---\nTesto.\n",
    );
    site.build_ok(&[]);
    let page = site.html("note/pagina-fr/index.html");
    assert_eq!(texts(&page, "h1"), ["Pagina FR"]);
    assert!(!site.public("fr").exists());
}

#[test]
fn broken_relative_links_are_errors_where_written() {
    let site = Site::fixture("migrated");
    site.write(
        "content/guide/rotto.md",
        "---\ntitle: Rotto\n---\n[a](altri.md)\n[b](../../../../etc/passwd.md)\n\
         [c](altro.md#orari)\n[d](..\\..\\x.md)\n[e](a%00.md)\n[f](%2e%2e/%2e%2e/x.md)\n",
    );
    let stderr = site.build_err(&[], 1);
    let located = |line: usize, code: &str| {
        stderr.contains(&format!("[{code}]: content/guide/rotto.md:{line}:1:"))
    };
    assert!(located(4, "link.missing-page"), "{stderr}");
    assert!(stderr.contains("did you mean `altro.md`?"), "{stderr}");
    assert!(located(5, "link.missing-page"), "{stderr}");
    assert!(stderr.contains("leads outside content/"), "{stderr}");
    assert!(located(6, "link.missing-heading"), "{stderr}");
    assert!(located(7, "link.missing-page"), "{stderr}");
    assert!(located(8, "link.missing-page"), "{stderr}");
    assert!(located(9, "link.missing-page"), "{stderr}");
    assert!(!site.public("").exists(), "a failed build writes nothing");
}

/// A link whose path is a megabyte of folders: resolving it is linear in its length. The
/// bound only catches a hang (the build takes well under a second).
#[test]
fn a_very_long_relative_link_is_resolved_in_linear_time() {
    let site = Site::fixture("migrated");
    let long = format!("{}x.md", "a/".repeat(500_000));
    let escaping = format!("{}x.md", "../".repeat(300_000));
    site.write(
        "content/guide/lungo.md",
        format!("---\ntitle: Lungo\n---\n[a]({long})\n\n[b]({escaping})\n"),
    );
    let out = site.build_within(&[], Duration::from_secs(60)).output;
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/guide/lungo.md:4:1"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
    assert!(stderr.contains("content/guide/lungo.md:6:1"));
}

/// The `migrated` fixture with a page that has keys the site does not know, and `setting`
/// (a `front_matter:` block, or nothing) in its `site.yaml`.
fn with_unknown_keys(setting: &str) -> Site {
    let site = Site::fixture("migrated");
    site.write(
        "content/guide/autori.md",
        "---\ntitle: Autori\nmanaged_by: Cooperativa La Strada\nextra:\n  sidebar: true\n---\nTesto.\n",
    );
    if !setting.is_empty() {
        site.add_to_config(setting);
    }
    site
}

#[test]
fn unknown_front_matter_keys_are_errors_by_default() {
    let site = with_unknown_keys("");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "error[front-matter.unknown-key]: content/guide/autori.md:3:1: unknown key `managed_by`"
        ),
        "{stderr}"
    );
    let site = with_unknown_keys("front_matter: { unknown_keys: error }\n");
    site.build_err(&[], 1);
}

#[test]
fn unknown_front_matter_keys_can_be_kept_for_templates() {
    for setting in ["extra", "warn"] {
        let site = with_unknown_keys(&format!("front_matter:\n  unknown_keys: {setting}\n"));
        let out = site.build(&[]);
        common::assert_success(&out);
        let page = site.html("guide/autori/index.html");
        // The test theme shows `page.extra.managed_by`.
        assert_eq!(
            texts(&page, ".managed-by"),
            ["Cooperativa La Strada"],
            "{setting}"
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        let warned = stderr.contains(
            "warning[front-matter.unknown-key]: content/guide/autori.md:3:1: unknown key `managed_by`, kept for templates as `page.extra.managed_by`",
        );
        assert_eq!(warned, setting == "warn", "{setting}: {stderr}");
    }
}

#[test]
fn a_key_written_under_extra_wins_over_an_unknown_one() {
    let site = with_unknown_keys("front_matter: { unknown_keys: extra }\n");
    site.write(
        "content/guide/autori.md",
        "---\ntitle: Autori\nmanaged_by: In cima\nextra:\n  managed_by: Sotto extra\n---\n",
    );
    site.build_ok(&[]);
    let page = site.html("guide/autori/index.html");
    assert_eq!(texts(&page, ".managed-by"), ["Sotto extra"]);
}

#[test]
fn a_bad_unknown_keys_setting_is_an_error_in_site_yaml() {
    let site = Site::fixture("migrated");
    let lines = site.add_to_config("front_matter:\n  unknown_keys: ignore\n");
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains(&format!("site.yaml:{}:", lines + 2)),
        "{stderr}"
    );
    assert!(
        stderr.contains("`ignore` is not one of error, warn, extra"),
        "{stderr}"
    );
}
