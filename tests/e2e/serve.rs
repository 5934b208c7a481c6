//! End-to-end tests of `wemi serve`: the real binary on a free loopback port, serving a fixture
//! site copied to a temporary folder; files are edited, created, deleted and renamed, and the
//! tests wait for the new content, the reload event and the error overlay. Every wait is for
//! the event itself (an answer, a log line, a reload event), bounded only against a hang.

use crate::common;

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::common::serve::{
    Events, HANG, eventually, get, serve, served_equals_fresh_build, start, start_in_site_folder,
};
use common::{Site, attrs, texts};
use scraper::Html;

#[test]
fn edits_creations_deletions_and_renames_are_served() {
    let site = Site::fixture("basic");
    let server = serve(&site);
    let (status, body) = get(server.port, "/spazi/via-piazzetta/");
    assert_eq!(status, 200);
    assert!(body.contains("WeMi Piazzetta"));
    assert!(
        body.contains("EventSource"),
        "the live reload script is injected"
    );
    assert!(
        !site.root.join("public").exists(),
        "serve never writes public/"
    );

    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Piazzetta nuova\n---\nNuovo testo.\n",
    );
    eventually(server.port, "/spazi/via-piazzetta/", 200, |b| {
        b.contains("Piazzetta nuova")
    });

    site.write("content/spazi/nuovo.md", "---\ntitle: Spazio nuovo\n---\n");
    eventually(server.port, "/spazi/nuovo/", 200, |b| {
        b.contains("Spazio nuovo")
    });
    eventually(server.port, "/spazi/", 200, |b| b.contains("Spazio nuovo"));

    std::fs::rename(
        site.root.join("content/spazi/nuovo.md"),
        site.root.join("content/spazi/rinominato.md"),
    )
    .unwrap();
    eventually(server.port, "/spazi/rinominato/", 200, |b| {
        b.contains("Spazio nuovo")
    });
    eventually(server.port, "/spazi/nuovo/", 404, |_| true);

    std::fs::remove_file(site.root.join("content/spazi/rinominato.md")).unwrap();
    eventually(server.port, "/spazi/", 200, |b| !b.contains("Spazio nuovo"));
    eventually(server.port, "/spazi/rinominato/", 404, |_| true);
    assert!(
        !site.root.join("public").exists(),
        "serve never writes public/, after edits either"
    );
}

#[test]
fn errors_show_an_overlay_until_fixed_and_the_last_good_site_stays() {
    let site = Site::fixture("basic");
    let server = serve(&site);
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: x\nweight: tre\n---\n",
    );
    let body = eventually(server.port, "/spazi/via-piazzetta/", 200, |b| {
        b.contains("role=\"alert\"")
    });
    assert!(
        body.contains("content/spazi/via-piazzetta.md:3:9"),
        "{body}"
    );
    assert!(
        body.contains("WeMi Piazzetta"),
        "the last good page is still served"
    );
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Corretto\n---\n",
    );
    let body = eventually(server.port, "/spazi/via-piazzetta/", 200, |b| {
        b.contains("Corretto")
    });
    assert!(
        !body.contains("role=\"alert\""),
        "the overlay clears by itself"
    );
}

/// The rendered site is kept on disk in serve's own folder, `.wemi/serve/<n>/` (as a build
/// writes it: without the reload script, the first time into a hidden folder renamed into
/// place), not in memory; a second serve on the site takes a folder of its own; a failed build
/// leaves the folder as it was.
#[test]
fn the_served_site_is_kept_in_a_folder_of_serves_own() {
    let site = Site::fixture("basic");
    let server = serve(&site);
    let page = site
        .root
        .join(".wemi/serve/1/spazi/via-piazzetta/index.html");
    let on_disk = std::fs::read_to_string(&page).unwrap();
    assert!(on_disk.contains("WeMi Piazzetta"), "{on_disk}");
    assert!(!on_disk.contains("EventSource"), "added when serving only");
    assert!(
        !site.root.join(".wemi/serve/.1.wemi-new").exists(),
        "the folder was written whole beside its place, then renamed"
    );
    let second = serve(&site);
    let (status, body) = get(second.port, "/spazi/via-piazzetta/");
    assert!(status == 200 && body.contains("WeMi Piazzetta"), "{body}");
    assert!(
        site.root
            .join(".wemi/serve/2/spazi/via-piazzetta/index.html")
            .is_file()
    );
    drop(second);
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: x\nweight: tre\n---\n",
    );
    eventually(server.port, "/spazi/via-piazzetta/", 200, |b| {
        b.contains("role=\"alert\"") && b.contains("WeMi Piazzetta")
    });
    assert_eq!(std::fs::read_to_string(&page).unwrap(), on_disk);
    assert!(
        !site.root.join("public").exists(),
        "serve never writes public/"
    );
}

#[test]
fn a_change_sends_the_reload_event() {
    let site = Site::fixture("basic");
    let server = serve(&site);
    let mut events = Events::open(server.port);
    site.write("themes/test/static/css/site.css", "body { color: red; }");
    let (name, _) = events.next();
    assert_eq!(
        name, "reload",
        "an edited stylesheet has a new hashed name: the pages linking it reload"
    );
    site.write(
        "content/spazi/via-piazzetta.md",
        "---\ntitle: Ricarica\n---\n",
    );
    let (name, _) = events.next();
    assert_eq!(name, "reload");
}

/// Pages added to the fixture so that rebuilding the whole site takes far longer than a few
/// requests (about a second, unoptimised), while the edited page alone takes milliseconds.
const MORE_PAGES: usize = 5_000;

#[test]
fn an_edited_page_is_served_first_then_the_rest_of_the_site() {
    let site = Site::fixture("basic");
    for i in 0..MORE_PAGES {
        site.write(
            &format!("content/altri/p{i}.md"),
            format!("---\ntitle: Pagina {i}\n---\nTesto {i}.\n"),
        );
    }
    let server = serve(&site);
    let mut events = Events::open(server.port);
    let seen = server.lines();

    // Only the text changes: that page alone first, then the whole site.
    let page = site.root.join("content/spazi/via-piazzetta.md");
    let text = std::fs::read_to_string(&page).unwrap();
    site.write(
        "content/spazi/via-piazzetta.md",
        text.replace("Primo paragrafo", "Paragrafo riscritto"),
    );
    // The page is served with its new text while the section listing, which shows the
    // page's summary, is still the old one: the rest of the site was not ready yet.
    let started = Instant::now();
    loop {
        let (status, body) = get(server.port, "/spazi/via-piazzetta/");
        assert_eq!(status, 200);
        if body.contains("Paragrafo riscritto") {
            let (status, listing) = get(server.port, "/spazi/");
            assert_eq!(status, 200);
            assert!(
                listing.contains("Primo paragrafo") && !listing.contains("Paragrafo riscritto"),
                "the listing was rebuilt as soon as the page: {listing}"
            );
            break;
        }
        assert!(started.elapsed() < HANG, "the edit was never served");
        std::thread::sleep(Duration::from_millis(5));
    }
    let (name, data) = events.next();
    assert_eq!(name, "reload");
    assert_eq!(data, [r#"["spazi/via-piazzetta/index.html"]"#]);
    let seen = server.wait_line(seen, "Updated spazi/via-piazzetta/index.html in ");
    // Then the listings that show its summary.
    let (name, data) = events.next();
    assert_eq!(name, "reload");
    assert!(data[0].contains("\"spazi/index.html\""), "{data:?}");
    assert!(
        !data[0].contains("via-piazzetta/index.html"),
        "already served: {data:?}"
    );
    let seen = server.wait_line(seen, "changed)");
    let (_, listing) = get(server.port, "/spazi/");
    assert!(listing.contains("Paragrafo riscritto"), "{listing}");

    // A change of front matter rebuilds the site at once, with no page served first.
    site.write(
        "content/spazi/via-piazzetta.md",
        text.replace("WeMi Piazzetta", "WeMi Piazzetta 2"),
    );
    let (name, data) = events.next();
    assert_eq!(name, "reload");
    assert!(data[0].contains("\"spazi/index.html\""), "{data:?}");
    server.wait_line(seen, "changed)");
    let log = server.log.lock().unwrap().clone();
    assert!(
        !log[seen..].iter().any(|l| l.starts_with("Updated ")),
        "{log:?}"
    );
}

#[test]
fn run_in_the_site_folder_without_root_an_edited_page_is_served_first_too() {
    // As editors run it: `wemi serve` in the site's folder, whose root is then `.`, not the
    // canonical path the files were found by (nor, on Windows, their `\\?\C:\…` form).
    let site = Site::fixture("basic");
    let server = start_in_site_folder(&site, &["--port", "0"]);
    let seen = server.lines();
    let text = std::fs::read_to_string(site.root.join("content/spazi/via-piazzetta.md")).unwrap();
    site.write(
        "content/spazi/via-piazzetta.md",
        text.replace("Primo paragrafo", "Paragrafo riscritto"),
    );
    let seen = server.wait_line(seen, "changed)");
    let log = server.log.lock().unwrap().clone();
    assert!(
        log[..seen]
            .iter()
            .any(|l| l.starts_with("Updated spazi/via-piazzetta/index.html in ")),
        "{log:?}"
    );
}

#[test]
fn a_static_file_edit_needs_no_build() {
    let site = Site::fixture("basic");
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let server = serve(&site);
    let seen = server.lines();
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>teal</title></svg>",
    );
    let seen = server.wait_line(seen, "Static files changed, nothing to build");
    eventually(server.port, "/img/logo.svg", 200, |b| b.contains("teal"));
    // A stylesheet is linked by a name holding its hash: editing it takes a build, and the
    // pages then link its new version.
    site.write("themes/test/static/css/site.css", "body { color: teal; }");
    let seen = server.wait_line(seen, "changed)");
    let (_, home) = get(server.port, "/");
    let [href] = &attrs(&Html::parse_document(&home), "link[rel=stylesheet]", "href")[..] else {
        panic!("one stylesheet: {home}")
    };
    eventually(server.port, href, 200, |b| b.contains("teal"));
    // A new file is a new part of the site: that takes a build.
    site.write(
        "static/img/nuova.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    server.wait_line(seen, "changed)");
    eventually(server.port, "/img/nuova.svg", 200, |b| b.contains("svg"));
}

/// A static file that a link out of the site replaces while serve runs (a `git pull` can do
/// that) is never read through it: the change takes a build, which refuses the link, and the
/// file the last good site copied is no longer served.
#[cfg(unix)]
#[test]
fn a_static_file_replaced_by_a_link_out_of_the_site_is_not_served() {
    let site = Site::fixture("basic");
    site.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("segreto.txt");
    std::fs::write(&secret, "non pubblicare").unwrap();
    let server = serve(&site);
    eventually(server.port, "/img/logo.svg", 200, |b| b.contains("svg"));
    let logo = site.root.join("static/img/logo.svg");
    std::fs::remove_file(&logo).unwrap();
    std::os::unix::fs::symlink(&secret, &logo).unwrap();
    eventually(server.port, "/", 200, |b| b.contains("outside the site"));
    let (status, body) = get(server.port, "/img/logo.svg");
    assert_eq!(status, 404);
    assert!(!body.contains("non pubblicare"), "{body}");
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = Site::fixture("basic");
    site.write("segreto.txt", "non pubblicare");
    let server = serve(&site);
    for probe in [
        "/../segreto.txt",
        "/%2e%2e/segreto.txt",
        "/spazi/..%2f..%2fsegreto.txt",
        "/..%5csegreto.txt",
        "//segreto.txt",
        "/site.yaml",
        "/content/spazi/via-piazzetta.md",
    ] {
        let (status, body) = get(server.port, probe);
        assert!(status == 400 || status == 404, "{probe}: {status}");
        assert!(
            !body.contains("non pubblicare") && !body.contains("base_url"),
            "{probe}"
        );
    }
    let (status, body) = get(server.port, "/non-esiste/");
    assert_eq!(status, 404);
    assert!(body.contains("Pagina non trovata"), "the site's 404 page");
}

#[test]
fn aliases_are_served_as_built_and_one_onto_a_page_is_an_error_in_both() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\naliases: [\"/Vecchio//Indirizzo/index.html\"]\n---\n",
    );
    let server = serve(&site);
    let (status, body) = get(server.port, "/Vecchio/Indirizzo/");
    assert_eq!(status, 200);
    assert!(
        body.contains("<link rel=\"canonical\" href=\"http://127.0.0.1"),
        "{body}"
    );
    assert!(body.contains("/spazi/ancora/\">"), "{body}");
    served_equals_fresh_build(&site, server.port, &mut BTreeSet::new()).unwrap();

    // Another spelling of a page's address: refused by serve as by build, and the page is
    // still the page, not a redirect.
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\naliases: [\"/spazi//via-piazzetta/\"]\n---\n",
    );
    let body = eventually(server.port, "/spazi/via-piazzetta/", 200, |b| {
        b.contains("role=\"alert\"")
    });
    assert!(body.contains("content/spazi/ancora.md:3:11"), "{body}");
    assert!(body.contains("WeMi Piazzetta"), "{body}");
    assert!(
        served_equals_fresh_build(&site, server.port, &mut BTreeSet::new())
            .unwrap_err()
            .starts_with("fresh build failed")
    );
}

#[test]
fn the_next_free_port_is_used_when_1111_is_taken() {
    let site = Site::fixture("basic");
    // Taken by this test, or already by another program: either way taken.
    let _holder = TcpListener::bind(("127.0.0.1", 1111));
    let server = start(&site, &[], &[]);
    let log = server.log.lock().unwrap().clone();
    assert_eq!(
        log[0], "The port 1111 is taken: using another one.",
        "{log:?}"
    );
    assert!((1112..=1121).contains(&server.port), "{log:?}");
    assert_eq!(
        log[1],
        format!(
            "Serving the site at http://127.0.0.1:{}/ (Ctrl+C to stop)",
            server.port
        )
    );
    let (status, body) = get(server.port, "/spazi/via-piazzetta/");
    assert_eq!(status, 200);
    assert!(body.contains("WeMi Piazzetta"), "{body}");
}

#[test]
fn drafts_are_served_with_a_bozza_note_only_with_drafts() {
    let site = Site::real();
    site.write(
        "content/notizie/in-preparazione.md",
        "---\ntitle: Notizia in preparazione\ndescription: Una notizia non ancora pubblicata\ndate: 2026-01-10\ndraft: true\n---\nTesto.\n",
    );
    let note = |body: &str| texts(&Html::parse_document(body), ".draft-note strong");

    let drafts = start(&site, &["--port", "0", "--drafts"], &[]);
    let (status, body) = get(drafts.port, "/notizie/in-preparazione/");
    assert_eq!(status, 200);
    assert_eq!(note(&body), ["Bozza"]);
    assert_eq!(
        attrs(&Html::parse_document(&body), ".draft-note", "role"),
        ["note"]
    );
    let (status, body) = get(drafts.port, "/spazi/via-piazzetta/");
    assert_eq!(status, 200);
    assert!(note(&body).is_empty(), "a published page has no note");

    let published = serve(&site);
    let (status, _) = get(published.port, "/notizie/in-preparazione/");
    assert_eq!(status, 404, "without --drafts, a draft is not served");
}

/// A tiny deterministic generator, so a failing sequence can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn after_random_edit_sequences_serve_equals_a_fresh_build() {
    for seed in [7_u64, 1_234, 99_991] {
        let site = Site::fixture("basic");
        let server = serve(&site);
        // Every page path the site had, so that those deleted or renamed are checked gone.
        let mut known = BTreeSet::new();
        served_equals_fresh_build(&site, server.port, &mut known).unwrap();
        let mut rng = Rng(seed);
        let mut pages: Vec<String> =
            vec!["via-piazzetta".into(), "ancora".into(), "b-spazio".into()];
        for step in 0..8 {
            match rng.next(5) {
                0 if !pages.is_empty() => {
                    let name = &pages[rng.next(pages.len())];
                    site.write(
                        &format!("content/spazi/{name}.md"),
                        format!("---\ntitle: \"Pagina {seed} {step}\"\ndate: 2019-0{}-01\n---\n## Parte {step}\n\nTesto {step}.\n", 1 + rng.next(9)),
                    );
                }
                1 => {
                    let name = format!("nuova-{step}");
                    site.write(&format!("content/spazi/{name}.md"), format!("---\ntitle: Nuova {step}\n---\nCiao.\n"));
                    known.insert(format!("/spazi/{name}/index.html"));
                    pages.push(name);
                }
                2 if pages.len() > 1 => {
                    let name = pages.remove(rng.next(pages.len()));
                    std::fs::remove_file(site.root.join(format!("content/spazi/{name}.md"))).unwrap();
                }
                3 if !pages.is_empty() => {
                    let i = rng.next(pages.len());
                    let renamed = format!("rinominata-{step}");
                    std::fs::rename(
                        site.root.join(format!("content/spazi/{}.md", pages[i])),
                        site.root.join(format!("content/spazi/{renamed}.md")),
                    )
                    .unwrap();
                    known.insert(format!("/spazi/{renamed}/index.html"));
                    pages[i] = renamed;
                }
                _ => site.write(
                    "templates/404.html",
                    format!("{{% extends \"base.html\" %}}{{% block main %}}<h1>Persa {step}</h1>{{% endblock %}}"),
                ),
            }
            // Sometimes edit again before the rebuild is done.
            if rng.next(2) == 0 {
                std::thread::sleep(Duration::from_millis(20 + rng.next(200) as u64));
            }
        }
        let started = Instant::now();
        loop {
            match served_equals_fresh_build(&site, server.port, &mut known) {
                Ok(()) => break,
                Err(e) if started.elapsed() > HANG => panic!("seed {seed}: {e}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
        assert!(
            !site.root.join("public").exists(),
            "seed {seed}: serve wrote public/"
        );
    }
}

#[test]
fn a_real_browser_sees_an_edit_without_a_manual_reload() {
    let site = Site::fixture("basic");
    let server = serve(&site);
    let url = format!("http://127.0.0.1:{}/spazi/via-piazzetta/", server.port);
    let page = site.root.join("content/spazi/via-piazzetta.md");
    let result = common::tools::run_in_browser(
        "live-reload.mjs",
        [
            url.as_ref(),
            page.as_os_str(),
            "Titolo dal browser".as_ref(),
        ],
    );
    assert_eq!(result["before"], "WeMi Piazzetta");
    assert_eq!(result["after"], "Titolo dal browser");
    assert!(
        result["navigations"].as_u64().unwrap() >= 2,
        "the page was reloaded by the server's event"
    );
}
