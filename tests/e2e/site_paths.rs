//! End-to-end tests of the addresses content makes: aliases in any spelling, hostile slugs,
//! taxonomy terms and file names, and dates before standard time, through the real binary.

use crate::common;

use std::fs;

use common::{Site, assert_valid_sitemap, attrs};

/// The page `spazi/via-piazzetta/` of the `listings` fixture, with `alias` added to
/// `spazi/ornato.md` (on line 3 of the file, column 11).
fn with_alias_on_ornato(alias: &str) -> Site {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        format!("---\ntitle: Ornato\naliases: [\"{alias}\"]\n---\nTesto.\n"),
    );
    site
}

#[test]
fn an_alias_in_any_spelling_of_a_page_address_is_an_error_naming_both_files() {
    for alias in [
        "/spazi//via-piazzetta/",
        "/./spazi/via-piazzetta/",
        "/spazi/via-piazzetta/index.html",
        "/spazi/via%2Dpiazzetta",
        "/notizie/../spazi/via-piazzetta///",
        "/Spazi/Via-Piazzetta/",
        "/SPAZI/VIA-PIAZZETTA/INDEX.HTML",
    ] {
        let site = with_alias_on_ornato(alias);
        let stderr = site.build_err(&[], 1);
        assert!(
            stderr.contains(&format!(
                "error[output.collision]: content/spazi/ornato.md:3:11: the alias `{alias}` and content/spazi/via-piazzetta.md would both be published at /spazi/via-piazzetta/"
            )),
            "{alias}: {stderr}"
        );
        assert!(!site.public("").exists(), "{alias}: nothing is written");
    }
}

#[test]
fn an_alias_on_a_section_term_listing_page_or_other_alias_is_an_error() {
    for (alias, other, path) in [
        ("/Notizie/", "content/notizie/_index.md", "notizie/"),
        ("/", "content/_index.md", ""),
        (
            "/municipio",
            "the list page of the taxonomy `municipio`",
            "municipio/",
        ),
        (
            "/municipio//4/",
            "the page of the term `4` of the taxonomy `municipio`",
            "municipio/4/",
        ),
        (
            "/notizie/page/2",
            "page 2 of the listing of content/notizie/_index.md",
            "notizie/page/2/",
        ),
        (
            "/notizie/page/1/index.html",
            "page 1 of the listing of content/notizie/_index.md",
            "notizie/page/1/",
        ),
        (
            "/municipio/5/page/2/",
            "page 2 of the term `5` of the taxonomy `municipio`",
            "municipio/5/page/2/",
        ),
        (
            "/news//",
            "the alias `/news/` of content/notizie/_index.md:5",
            "news/",
        ),
    ] {
        let site = with_alias_on_ornato(alias);
        let stderr = site.build_err(&[], 1);
        assert!(
            stderr.contains(&format!(
                "error[output.collision]: content/spazi/ornato.md:3:11: the alias `{alias}` and {other} would both be published at /{path}\n"
            )),
            "{alias}: {stderr}"
        );
    }
}

#[test]
fn two_aliases_in_two_spellings_are_an_error_at_the_later_file() {
    let site = with_alias_on_ornato("/spazi/Piazzetta-Vecchia");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "error[output.collision]: content/spazi/via-piazzetta.md:4:11: the alias `/spazi/piazzetta-vecchia/` and the alias `/spazi/Piazzetta-Vecchia` of content/spazi/ornato.md:3 would both be published at /spazi/Piazzetta-Vecchia/\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_colliding_alias_added_later_leaves_the_page_as_it_was() {
    let site = Site::fixture("listings");
    site.build_ok(&[]);
    let before = site.snapshot();
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\naliases: [/spazi//via-piazzetta/]\n---\n",
    );
    for _ in 0..2 {
        site.build_err(&[], 1);
        assert_eq!(site.snapshot(), before);
    }
}

#[test]
fn an_alias_in_another_spelling_redirects_from_its_normal_form_on_every_build() {
    let site = with_alias_on_ornato("/Vecchio//Indirizzo/./altro/../index.html");
    site.build_ok(&[]);
    let redirect = site.html("Vecchio/Indirizzo/index.html");
    assert_eq!(
        attrs(&redirect, "link[rel=canonical]", "href"),
        ["https://example.org/spazi/ornato/"]
    );
    assert_eq!(
        attrs(
            &site.html("spazi/ornato/index.html"),
            "link[rel=canonical]",
            "href"
        ),
        ["https://example.org/spazi/ornato/"],
        "the page itself is untouched"
    );
    // The build's own bookkeeping records when its inputs changed: only the site counts.
    let published = || {
        let mut files = site.snapshot();
        files.retain(|path, _| !path.ends_with(".wemi-manifest"));
        files
    };
    let first = published();
    for _ in 0..2 {
        // A change of input forces a real build.
        site.write(
            "content/spazi/ornato.md",
            "---\ntitle: Ornato\naliases: [\"/Vecchio//Indirizzo/./altro/../index.html\"]\n---\nTesto.\n\n",
        );
        site.build_ok(&[]);
        site.write(
            "content/spazi/ornato.md",
            "---\ntitle: Ornato\naliases: [\"/Vecchio//Indirizzo/./altro/../index.html\"]\n---\nTesto.\n",
        );
        site.build_ok(&[]);
        assert_eq!(published(), first, "every build gives the same output");
    }
}

#[test]
fn aliases_that_are_not_addresses_of_the_site_are_errors_at_their_line() {
    let site = Site::fixture("listings");
    site.write(
        "content/spazi/ornato.md",
        "---\ntitle: Ornato\naliases:\n  - https://example.org/vecchio/\n  - //example.org/vecchio/\n  - /vecchio/?id=4\n  - /vecchio/#orari\n  - /vecchio/../../etc/\n  - /vecchio/%2e%2e/%2E%2E/etc/\n  - /a%2Fb/\n  - /a%5Cb/\n  - /a%00b/\n  - /a%0Ab/\n  - /a%zz/\n  - /a%ff/\n  - /con/\n  - /x/nul.html\n  - vecchio/\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    for (line, message) in [
        (
            4,
            "the alias `https://example.org/vecchio/` is a full web address",
        ),
        (
            5,
            "the alias `//example.org/vecchio/` is a full web address",
        ),
        (6, "the alias `/vecchio/?id=4` has a query"),
        (7, "the alias `/vecchio/#orari` has a query"),
        (
            8,
            "the alias `/vecchio/../../etc/` goes above the site's root",
        ),
        (
            9,
            "the alias `/vecchio/%2e%2e/%2E%2E/etc/` goes above the site's root",
        ),
        (10, "the alias `/a%2Fb/` has an encoded `/`"),
        (11, "the alias `/a%5Cb/`: `a\\\\b` contains `\\\\`"),
        (12, "the alias `/a%00b/`: `a\\0b` contains `\\0`"),
        (13, "the alias `/a%0Ab/`: `a\\nb` contains `\\n`"),
        (
            14,
            "the alias `/a%zz/` has a `%` that is not followed by two",
        ),
        (
            15,
            "the alias `/a%ff/` has percent-escapes that do not decode",
        ),
        (16, "the alias `/con/`: `con` is a name Windows reserves"),
        (
            17,
            "the alias `/x/nul.html`: `nul.html` is a name Windows reserves",
        ),
        (18, "the alias `vecchio/` is not a root-relative address"),
    ] {
        assert!(
            stderr.contains(&format!(
                "error[front-matter.alias]: content/spazi/ornato.md:{line}:5: {message}"
            )),
            "line {line}: {stderr}"
        );
    }
    assert!(stderr.contains("15 errors found"), "{stderr}");
}

#[test]
fn hostile_taxonomy_terms_are_errors_at_their_position() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\nmunicipio: [\"..\", \"/\", \"%2e%2e\", \"con\"]\ntags:\n  - NUL\n  - prova\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    for expected in [
        "error[front-matter.term]: content/spazi/ancora.md:3:13: cannot make a web address from the municipio `..`",
        "error[front-matter.term]: content/spazi/ancora.md:3:19: cannot make a web address from the municipio `/`",
        "error[front-matter.term]: content/spazi/ancora.md:3:34: the municipio `con` cannot be published: `con` is a name Windows reserves",
        "error[front-matter.term]: content/spazi/ancora.md:5:5: the tags `NUL` cannot be published: `nul` is a name Windows reserves",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(stderr.contains("4 errors found"), "{stderr}");

    // `%2e%2e` is only text: its slug stays inside the taxonomy's folder.
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\nmunicipio: [\"%2e%2e\"]\n---\n",
    );
    site.build_ok(&[]);
    assert!(site.public("municipio/2e-2e/index.html").is_file());
}

#[test]
fn slugs_file_and_folder_names_windows_reserves_are_refused() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Piazzetta\nslug: aux\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(
            "error[front-matter.slug]: content/spazi/via-piazzetta.md:3:1: the `slug` cannot be published: `aux` is a name Windows reserves"
        ),
        "{stderr}"
    );
    for bad in ["..", "a/b", "%2e%2e", "a\\b", "COM1"] {
        site.write(
            "content/spazi/via-piazzetta.md",
            format!(
                "---\ntitle: Piazzetta\nslug: \"{}\"\n---\n",
                bad.replace('\\', "\\\\")
            ),
        );
        let stderr = site.build_err(&[], 1);
        assert!(
            stderr.contains("error[front-matter.slug]: content/spazi/via-piazzetta.md:3:1: "),
            "{bad}: {stderr}"
        );
    }

    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Piazzetta\n---\n",
    );
    site.write("content/spazi/nul.md", "---\ntitle: Nul\n---\n");
    site.write("content/lpt1/_index.md", "---\ntitle: Stampanti\n---\n");
    site.write("content/spazi/foto/index.md", "---\ntitle: Foto\n---\n");
    site.write("content/spazi/foto/con.pdf", "x");
    site.write("content/spazi/foto/prn/a.jpg", "x");
    site.write("content/spazi/aux.txt", "x");
    let stderr = site.build_err(&[], 1);
    for expected in [
        "error[path.name]: content/spazi/nul.md: the file name `nul` cannot be published",
        "error[path.name]: content/lpt1/_index.md: the folder name `lpt1` cannot be published",
        "error[path.name]: content/spazi/foto/con.pdf: this file cannot be published: `con.pdf` is a name Windows reserves",
        "error[path.name]: content/spazi/foto/prn/a.jpg: this file cannot be published: `prn` is a name Windows reserves",
        "error[path.name]: content/spazi/aux.txt: this file cannot be published: `aux.txt` is a name Windows reserves",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(!site.public("").exists(), "nothing is written");
}

#[test]
fn wemi_new_refuses_a_title_that_names_a_reserved_file() {
    let site = Site::fixture("basic");
    let out = site.run("new", &["spazi", "Con"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "error[new.title]: wemi new: the title would name the file con.md: `con` is a name Windows reserves"
        ),
        "{stderr}"
    );
    assert!(!site.root.join("content/spazi/con.md").exists());
}

/// The `basic` fixture with feeds and a page dated 1850 in Rome, which kept local mean time,
/// +00:49:56, until 1893; built.
fn built_with_a_date_before_standard_time() -> Site {
    let site = Site::fixture("basic");
    site.add_to_config("time_zone: Europe/Rome\nfeeds: { atom: true, rss: true }\n");
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\ndate: 1850-01-01\nupdated: 1850-01-01T10:00:00\n---\n",
    );
    site.build_ok(&[]);
    site
}

#[test]
fn dates_before_standard_time_have_offsets_in_whole_minutes() {
    let site = built_with_a_date_before_standard_time();
    let page = site.html("spazi/ancora/index.html");
    assert_eq!(
        attrs(&page, "time.date", "datetime"),
        ["1850-01-01T00:00:00+00:50"]
    );

    let sitemap = fs::read_to_string(site.public("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/spazi/ancora/</loc>\n    <lastmod>1850-01-01T10:00:00+00:50</lastmod>"),
        "{sitemap}"
    );

    let atom = fs::read_to_string(site.public("atom.xml")).unwrap();
    assert!(
        atom.contains("<published>1850-01-01T00:00:00+00:50</published>"),
        "{atom}"
    );
    assert!(
        atom.contains("<updated>1850-01-01T10:00:00+00:50</updated>"),
        "{atom}"
    );
    let feed = feed_rs::parser::parse(atom.as_bytes()).unwrap();
    let entry = feed
        .entries
        .iter()
        .find(|e| e.links.iter().any(|l| l.href.ends_with("/spazi/ancora/")))
        .unwrap();
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "1849-12-31T23:10:00+00:00"
    );
    let rss = fs::read_to_string(site.public("rss.xml")).unwrap();
    assert!(
        rss.contains("<pubDate>Tue, 1 Jan 1850 00:00:00 +0050</pubDate>"),
        "{rss}"
    );
    for file in [
        "spazi/ancora/index.html",
        "sitemap.xml",
        "atom.xml",
        "rss.xml",
    ] {
        let text = fs::read_to_string(site.public(file)).unwrap();
        assert!(!text.contains(":56"), "{file} has a seconds offset: {text}");
    }
}

#[test]
fn xmllint_accepts_a_lastmod_before_standard_time() {
    let site = built_with_a_date_before_standard_time();
    assert_valid_sitemap(&site.public("sitemap.xml"));
}

/// A term or slug too long for a file name is refused where it is written, not later as a
/// path of `site.yaml`'s taxonomy.
#[test]
fn a_name_too_long_to_publish_is_refused_where_it_is_written() {
    let site = Site::fixture("basic");
    let long = "x".repeat(300);
    site.write(
        "content/spazi/lungo.md",
        format!("---\ntitle: Lungo\ntags: [ok, {long}]\nslug: {long}\n---\nTesto.\n"),
    );
    let stderr = site.build_err(&[], 1);
    for (at, what) in [
        ("3:12", "the tags"),
        ("4:1", "the `slug` cannot be published"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&format!("content/spazi/lungo.md:{at}: {what}")))
            .unwrap_or_else(|| panic!("{at}: {stderr}"));
        assert!(
            line.ends_with(
                "is longer than 200 bytes, which not every host can hold as a file name"
            ),
            "{line}"
        );
    }
    assert!(!stderr.contains("site.yaml"), "{stderr}");
}
