//! End-to-end tests of the editor's server side in `wemi serve` (`/__wemi/edit/`): the real
//! binary on the `edit` fixture. Every attack of the issue is refused and leaves every file as
//! it was; a save of a file changed on disk since it was opened is a conflict; a save changes
//! only the values changed; new pages and uploaded images are written, never over a file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::Site;
use crate::common::serve::{Reply, Serve, eventually, get, send, serve, start};

const PAGE: &str = "spazi/via-piazzetta.md";

/// A running `wemi serve` with its editor's token, read from the editor's page as a browser
/// would.
struct Editor {
    server: Serve,
    host: String,
    token: String,
}

impl Editor {
    fn start(site: &Site) -> Editor {
        let server = serve(site);
        let host = format!("127.0.0.1:{}", server.port);
        let page = send(
            server.port,
            "GET",
            &format!("/__wemi/edit/?page={PAGE}"),
            &[("Host", &host)],
            b"",
        )
        .unwrap();
        assert_eq!(page.status, 200, "{}", text(&page));
        let html = text(&page);
        // The token is the only run of 64 hex digits in the page.
        let token = html
            .split(|c: char| !c.is_ascii_hexdigit())
            .find(|word| word.len() == 64)
            .unwrap_or_else(|| panic!("no token in {html}"))
            .to_string();
        Editor {
            server,
            host,
            token,
        }
    }

    fn port(&self) -> u16 {
        self.server.port
    }

    /// `GET target` as the editor's page sends it.
    fn get(&self, target: &str) -> Reply {
        let headers = [("Host", self.host.as_str()), ("X-Wemi-Token", &self.token)];
        send(self.port(), "GET", target, &headers, b"").unwrap()
    }

    /// `POST target` of `body` as the editor's page sends it.
    fn post(&self, target: &str, content_type: &str, body: &[u8]) -> Reply {
        let origin = format!("http://{}", self.host);
        let length = body.len().to_string();
        let headers = [
            ("Host", self.host.as_str()),
            ("Origin", &origin),
            ("X-Wemi-Token", &self.token),
            ("Content-Type", content_type),
            ("Content-Length", &length),
        ];
        send(self.port(), "POST", target, &headers, body).unwrap()
    }

    fn post_json(&self, target: &str, body: &Value) -> Reply {
        self.post(target, "application/json", body.to_string().as_bytes())
    }
}

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

fn json_of(reply: &Reply) -> Value {
    serde_json::from_slice(&reply.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(reply)))
}

/// The codes of the `errors` of an answer.
fn codes(reply: &Reply) -> Vec<String> {
    json_of(reply)["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {}", text(reply)))
        .iter()
        .map(|e| e["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn version(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir` with its bytes.
fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    crate::common::walk(dir)
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect()
}

/// A 3×2 PNG image.
fn png() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(3, 2, image::Rgb([0, 70, 110]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

#[test]
fn every_attack_is_refused_and_nothing_on_disk_changes() {
    let site = Site::fixture("edit");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("segreto.md"),
        "---\ntitle: Segreto\n---\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            outside.path().join("segreto.md"),
            site.root.join("content/spazi/segreto.md"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), site.root.join("content/fuori")).unwrap();
    }
    let mut editor = Editor::start(&site);
    let before = files_under(&site.root);
    let outside_before = files_under(outside.path());
    let port = editor.port();
    let host = editor.host.clone();
    let origin = format!("http://{host}");
    let disk = std::fs::read(site.root.join("content").join(PAGE)).unwrap();
    let save = json!({"page": PAGE, "version": version(&disk), "values": {}, "body": "rubato"})
        .to_string();
    let length = save.len().to_string();
    let token = editor.token.clone();
    let wrong_token = "0".repeat(64);
    let evil_host = format!("evil.example:{port}");
    let post = |headers: &[(&str, &str)]| {
        send(
            port,
            "POST",
            "/__wemi/edit/api/save",
            headers,
            save.as_bytes(),
        )
        .unwrap()
    };
    let with = |skip: &str, replace: Option<(&'static str, &str)>| -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Host", host.clone()),
            ("Origin", origin.clone()),
            ("X-Wemi-Token", token.clone()),
            ("Content-Type", "application/json".to_string()),
            ("Content-Length", length.clone()),
        ];
        headers.retain(|(name, _)| *name != skip);
        if let Some((name, value)) = replace {
            headers.retain(|(n, _)| *n != name);
            headers.push((name, value.to_string()));
        }
        headers
    };
    let cases = [
        ("no token", with("X-Wemi-Token", None), 403),
        (
            "wrong token",
            with("", Some(("X-Wemi-Token", &wrong_token))),
            403,
        ),
        (
            "foreign Origin",
            with("", Some(("Origin", "http://evil.example"))),
            403,
        ),
        ("missing Origin", with("Origin", None), 403),
        ("DNS rebinding", with("", Some(("Host", &evil_host))), 403),
        ("no Host", with("Host", None), 403),
        (
            "not JSON",
            with("", Some(("Content-Type", "text/plain"))),
            415,
        ),
        ("no length", with("Content-Length", None), 411),
    ];
    for (what, headers, status) in cases {
        let refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let reply = post(&refs);
        assert_eq!(reply.status, status, "{what}: {}", text(&reply));
        assert_eq!(codes(&reply), ["edit.refused"], "{what}");
    }
    // A body over the limit is refused from its declared length, before it is read.
    let too_long = (1024 * 1024 + 1).to_string();
    let oversize = send(
        port,
        "POST",
        "/__wemi/edit/api/save",
        &[
            ("Host", &host),
            ("Origin", &origin),
            ("X-Wemi-Token", &token),
            ("Content-Type", "application/json"),
            ("Content-Length", &too_long),
        ],
        b"{",
    )
    .unwrap();
    assert_eq!(oversize.status, 413, "{}", text(&oversize));
    assert!(
        json_of(&oversize)["error"]
            .as_str()
            .unwrap()
            .contains("1 MiB")
    );
    let huge_image = (32 * 1024 * 1024 + 1).to_string();
    let oversize = send(
        port,
        "POST",
        &format!("/__wemi/edit/api/upload?page={PAGE}&name=a.png&alt=a"),
        &[
            ("Host", &host),
            ("Origin", &origin),
            ("X-Wemi-Token", &token),
            ("Content-Type", "image/png"),
            ("Content-Length", &huge_image),
        ],
        b"",
    )
    .unwrap();
    assert_eq!(oversize.status, 413, "{}", text(&oversize));

    // The editor's pages and API from another host name, or the API without the token.
    for target in [
        format!("/__wemi/edit/?page={PAGE}"),
        format!("/__wemi/edit/api/page?page={PAGE}"),
        "/__wemi/edit/editor.js".to_string(),
    ] {
        let reply = send(
            port,
            "GET",
            &target,
            &[("Host", &evil_host), ("X-Wemi-Token", &token)],
            b"",
        )
        .unwrap();
        assert_eq!(reply.status, 403, "{target}: {}", text(&reply));
    }
    let no_token = send(
        port,
        "GET",
        &format!("/__wemi/edit/api/page?page={PAGE}"),
        &[("Host", &host)],
        b"",
    )
    .unwrap();
    assert_eq!(no_token.status, 403, "{}", text(&no_token));

    // Paths outside content/, through a link, or not a page: with every right header.
    for (page, status) in [
        ("../site.yaml", 400),
        ("%2e%2e/site.yaml", 400),
        ("spazi/%2e%2e/%2e%2e/site.yaml", 400),
        ("/etc/passwd", 400),
        ("%2Fetc%2Fpasswd.md", 400),
        ("spazi%5C..%5C..%5Csite.yaml", 400),
        ("spazi/.via-piazzetta.md", 400),
        ("spazi/_index.md%00.md", 400),
        ("spazi/segreto.md", 404),
        ("fuori/segreto.md", 404),
        ("spazi/non-esiste.md", 404),
    ] {
        let reply = editor.get(&format!("/__wemi/edit/api/page?page={page}"));
        assert_eq!(reply.status, status, "api/page {page}: {}", text(&reply));
        let decoded = page
            .replace("%2e", ".")
            .replace("%2Fetc%2Fpasswd", "/etc/passwd");
        let body = json!({"page": decoded, "version": "0", "values": {}, "body": "x"});
        let reply = editor.post_json("/__wemi/edit/api/save", &body);
        assert!(
            [400, 404].contains(&reply.status),
            "api/save {decoded}: {} {}",
            reply.status,
            text(&reply)
        );
        assert_eq!(codes(&reply), ["edit.refused"], "{page}");
        let reply = editor.post(
            &format!("/__wemi/edit/api/upload?page={page}&name=x.png&alt=x"),
            "image/png",
            &png(),
        );
        assert_eq!(reply.status, status, "api/upload {page}: {}", text(&reply));
    }
    for section in ["..", "../..", "/tmp", "fuori", "spazi/../..", ".git"] {
        let reply = editor.post_json(
            "/__wemi/edit/api/new",
            &json!({"section": section, "title": "Intruso"}),
        );
        assert!(
            [400, 404].contains(&reply.status),
            "api/new {section}: {} {}",
            reply.status,
            text(&reply)
        );
    }
    // Hostile values with every right header: nesting far deeper than any schema, values of
    // the wrong shape for their fields, a long list, a huge string. Each is refused or
    // reported as errors; none crashes the server or writes a file.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let nested =
        format!(r#"{{"page":"{PAGE}","version":"0","values":{{"municipio":{deep}}},"body":"x"}}"#);
    for call in ["check", "save"] {
        let reply = editor.post(
            &format!("/__wemi/edit/api/{call}"),
            "application/json",
            nested.as_bytes(),
        );
        assert_eq!(reply.status, 400, "{call}: {}", text(&reply));
        assert_eq!(codes(&reply), ["edit.refused"]);
    }
    let opened = json_of(&editor.get(&format!("/__wemi/edit/api/page?page={PAGE}")));
    let mut values = opened["values"].clone();
    values["address"] = json!("via Piazzetta 2");
    values["opening_hours"] = json!([[1, 2], {"mon": {"x": []}}]);
    values["municipio"] = json!({"a": [1, 2, 3]});
    values["offers"] = json!(vec!["voce"; 20_000]);
    values["description"] = json!("x".repeat(500_000));
    let hostile =
        json!({"page": PAGE, "version": opened["version"], "values": values, "body": "x"});
    for call in ["check", "save"] {
        let reply = editor.post_json(&format!("/__wemi/edit/api/{call}"), &hostile);
        let expected = if call == "check" { 200 } else { 422 };
        assert_eq!(reply.status, expected, "{call}: {}", text(&reply));
        assert!(!codes(&reply).is_empty(), "{call}: no errors");
    }
    // Other methods, and POST elsewhere than the API.
    let wrong_method = editor.get("/__wemi/edit/api/save");
    assert_eq!(wrong_method.status, 405);
    assert_eq!(codes(&wrong_method), ["edit.refused"]);
    let elsewhere = send(
        port,
        "POST",
        "/spazi/via-piazzetta/",
        &[("Host", &host), ("Content-Length", "0")],
        b"",
    )
    .unwrap();
    assert_eq!(elsewhere.status, 405);

    editor.server.assert_running();
    assert_eq!(
        files_under(&site.root),
        before,
        "a file of the site changed"
    );
    assert_eq!(files_under(outside.path()), outside_before);
}

#[test]
fn served_pages_link_to_the_editor_only_on_loopback_and_never_in_the_build() {
    let site = Site::fixture("edit");
    let editor = Editor::start(&site);
    let html = eventually(editor.port(), "/spazi/via-piazzetta/", 200, |_| true);
    let doc = scraper::Html::parse_document(&html);
    let links = crate::common::attrs(&doc, "#wemi-edit a", "href");
    assert_eq!(links, [format!("/__wemi/edit/?page={PAGE}")]);
    assert_eq!(
        crate::common::texts(&doc, "#wemi-edit a"),
        ["Modifica questa pagina"]
    );
    let (_, section) = get(editor.port(), "/spazi/");
    let doc = scraper::Html::parse_document(&section);
    assert_eq!(
        crate::common::attrs(&doc, "#wemi-edit a", "href"),
        ["/__wemi/edit/?new=spazi"]
    );
    assert_eq!(crate::common::texts(&doc, "#wemi-edit a"), ["Nuova pagina"]);
    // The editor's own page carries its security headers.
    let page = editor.get(&format!("/__wemi/edit/?page={PAGE}"));
    assert_eq!(page.header("X-Frame-Options"), Some("DENY"));
    assert!(
        page.header("Content-Security-Policy")
            .is_some_and(|p| p.contains("frame-ancestors 'none'")),
        "{:?}",
        page.headers
    );
    assert_eq!(page.header("Referrer-Policy"), Some("no-referrer"));
    drop(editor);

    let everywhere = start(&site, &["--port", "0", "--bind", "0.0.0.0"], &[]);
    let port = everywhere.port;
    let host = format!("127.0.0.1:{port}");
    let (status, html) = get(port, "/spazi/via-piazzetta/");
    assert_eq!(status, 200);
    assert!(!html.contains("__wemi/edit"), "{html}");
    for target in [
        format!("/__wemi/edit/?page={PAGE}"),
        "/__wemi/edit/editor.js".to_string(),
        format!("/__wemi/edit/api/page?page={PAGE}"),
    ] {
        let reply = send(port, "GET", &target, &[("Host", &host)], b"").unwrap();
        assert_eq!(reply.status, 404, "{target}");
    }
    let body = b"{}";
    let reply = send(
        port,
        "POST",
        "/__wemi/edit/api/new",
        &[
            ("Host", &host),
            ("Origin", &format!("http://{host}")),
            ("Content-Type", "application/json"),
            ("Content-Length", "2"),
        ],
        body,
    )
    .unwrap();
    assert_eq!(reply.status, 404);
    drop(everywhere);

    let out = tempfile::tempdir().unwrap();
    site.build_ok(&["--output", out.path().to_str().unwrap()]);
    for (path, bytes) in files_under(out.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__wemi"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn new_pages_are_drafts_of_wemi_new_and_never_replace_a_page() {
    let site = Site::fixture("edit");
    let editor = Editor::start(&site);
    let reply = editor.post_json(
        "/__wemi/edit/api/new",
        &json!({"section": "spazi", "title": "Nuovo spazio"}),
    );
    assert_eq!(reply.status, 201, "{}", text(&reply));
    assert_eq!(json_of(&reply)["page"], "spazi/nuovo-spazio.md");
    let made = std::fs::read_to_string(site.root.join("content/spazi/nuovo-spazio.md")).unwrap();
    assert!(made.contains("title: \"Nuovo spazio\""), "{made}");
    assert!(made.contains("\ndraft: true"), "{made}");
    // The same title again: nothing is overwritten.
    std::fs::write(site.root.join("content/spazi/nuovo-spazio.md"), "mio").unwrap();
    let again = editor.post_json(
        "/__wemi/edit/api/new",
        &json!({"section": "spazi", "title": "Nuovo spazio"}),
    );
    assert_eq!(again.status, 422, "{}", text(&again));
    assert_eq!(codes(&again), ["new.exists"]);
    assert_eq!(
        std::fs::read(site.root.join("content/spazi/nuovo-spazio.md")).unwrap(),
        b"mio"
    );
    let no_title = editor.post_json(
        "/__wemi/edit/api/new",
        &json!({"section": "spazi", "title": "???"}),
    );
    assert_eq!(no_title.status, 422, "{}", text(&no_title));
    assert_eq!(codes(&no_title), ["new.title"]);
    // The answer is in the editor's language: Italian unless English comes first.
    let message = json_of(&no_title)["errors"][0]["message"].clone();
    assert!(message.as_str().unwrap().contains("titolo"), "{message}");
    let missing = editor.post_json(
        "/__wemi/edit/api/new",
        &json!({"section": "notizie", "title": "Una notizia"}),
    );
    assert_eq!(missing.status, 404, "{}", text(&missing));
    assert!(!site.root.join("content/notizie").exists());
}

#[test]
fn uploads_need_alt_text_and_an_image_and_never_overwrite() {
    let site = Site::fixture("edit");
    let editor = Editor::start(&site);
    let folder = site.root.join("content/spazi");
    let before = files_under(&folder);
    let upload = |query: &str, content_type: &str, bytes: &[u8]| {
        editor.post(
            &format!("/__wemi/edit/api/upload?page={PAGE}&{query}"),
            content_type,
            bytes,
        )
    };
    let no_alt = upload("name=cortile.png&alt=", "image/png", &png());
    assert_eq!(no_alt.status, 422, "{}", text(&no_alt));
    assert_eq!(codes(&no_alt), ["upload.alt"]);
    let blank_alt = upload("name=cortile.png&alt=+++", "image/png", &png());
    assert_eq!(codes(&blank_alt), ["upload.alt"]);
    let not_image = upload(
        "name=cortile.png&alt=Il+cortile",
        "image/png",
        b"<svg onload=alert(1)>",
    );
    assert_eq!(not_image.status, 422, "{}", text(&not_image));
    assert_eq!(codes(&not_image), ["upload.not-image"]);
    let wrong_type = upload("name=cortile.png&alt=Il+cortile", "text/html", &png());
    assert_eq!(wrong_type.status, 415);
    assert_eq!(
        files_under(&folder),
        before,
        "a refused upload wrote something"
    );

    // The name is made a slug, with the extension of what the bytes are.
    let added = upload(
        "name=Foto%20del%20Cortile.JPG&alt=Il+cortile+%5Bnuovo%5D",
        "image/png",
        &png(),
    );
    assert_eq!(added.status, 201, "{}", text(&added));
    let answer = json_of(&added);
    assert_eq!(answer["file"], "foto-del-cortile.png");
    assert_eq!(
        answer["markdown"],
        "![Il cortile \\[nuovo\\]](../foto-del-cortile.png)"
    );
    assert_eq!(
        std::fs::read(folder.join("foto-del-cortile.png")).unwrap(),
        png()
    );
    // The same name again: a new name, the first image kept.
    let mut other = png();
    other.extend_from_slice(b"\0");
    let second = upload("name=foto-del-cortile.png&alt=Ancora", "image/png", &other);
    assert_eq!(second.status, 201, "{}", text(&second));
    assert_eq!(json_of(&second)["file"], "foto-del-cortile-2.png");
    assert_eq!(
        std::fs::read(folder.join("foto-del-cortile.png")).unwrap(),
        png()
    );
    assert_eq!(
        std::fs::read(folder.join("foto-del-cortile-2.png")).unwrap(),
        other
    );
    // Nothing else: no temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), before.len() + 2, "{names:?}");
    // The image is served where the markdown points from the page.
    eventually(editor.port(), "/spazi/foto-del-cortile.png", 200, |_| true);
}

#[test]
fn a_file_changed_on_disk_since_it_was_opened_is_a_conflict() {
    let site = Site::fixture("edit");
    let editor = Editor::start(&site);
    let file = site.root.join("content").join(PAGE);
    let opened = editor.get(&format!("/__wemi/edit/api/page?page={PAGE}"));
    assert_eq!(opened.status, 200, "{}", text(&opened));
    let form = json_of(&opened);
    let original = std::fs::read(&file).unwrap();
    assert_eq!(form["version"], version(&original));
    let mut values = form["values"].clone();
    values["municipio"] = json!("5");
    // Another program changes the file meanwhile.
    let theirs = String::from_utf8(original.clone())
        .unwrap()
        .replace("aperto a tutti", "aperto a tutte e tutti");
    std::fs::write(&file, &theirs).unwrap();
    let save =
        json!({"page": PAGE, "version": form["version"], "values": values, "body": form["body"]});
    let refused = editor.post_json("/__wemi/edit/api/save", &save);
    assert_eq!(refused.status, 409, "{}", text(&refused));
    let answer = json_of(&refused);
    assert_eq!(answer["conflict"], true);
    assert_eq!(answer["version"], version(theirs.as_bytes()));
    assert_eq!(codes(&refused), ["edit.conflict"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);

    // Opened again, the change saves, on top of theirs.
    let form = json_of(&editor.get(&format!("/__wemi/edit/api/page?page={PAGE}")));
    let mut values = form["values"].clone();
    values["municipio"] = json!("5");
    let save =
        json!({"page": PAGE, "version": form["version"], "values": values, "body": form["body"]});
    let saved = editor.post_json("/__wemi/edit/api/save", &save);
    assert_eq!(saved.status, 200, "{}", text(&saved));
    let now = std::fs::read_to_string(&file).unwrap();
    assert_eq!(now, theirs.replace("municipio: 4 #", "municipio: 5 #"));
    assert_eq!(json_of(&saved)["version"], version(now.as_bytes()));
}

#[test]
fn a_save_changes_only_the_values_changed_and_the_site_serves_them() {
    let site = Site::fixture("edit");
    let editor = Editor::start(&site);
    let file = site.root.join("content").join(PAGE);
    let original = std::fs::read_to_string(&file).unwrap();
    let form = json_of(&editor.get(&format!("/__wemi/edit/api/page?page={PAGE}")));
    let mut values = form["values"].clone();
    assert_eq!(values["municipio"], "4", "{values}");
    values["municipio"] = json!("5");
    // One slot, as the editor's page sends a day that had one: a string.
    assert_eq!(values["opening_hours"]["mon"], "09:00-13:00", "{values}");
    values["opening_hours"]["mon"] = json!("09:00-12:30");
    // An invalid value is refused with the build's own check, and nothing is written.
    let mut wrong = values.clone();
    wrong["municipio"] = json!("12");
    let save = |values: &Value| {
        editor.post_json(
            "/__wemi/edit/api/save",
            &json!({"page": PAGE, "version": form["version"], "values": values, "body": form["body"]}),
        )
    };
    let refused = save(&wrong);
    assert_eq!(refused.status, 422, "{}", text(&refused));
    assert!(!codes(&refused).is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);

    let saved = save(&values);
    assert_eq!(saved.status, 200, "{}", text(&saved));
    assert_eq!(json_of(&saved)["url"], "/spazi/via-piazzetta/");
    let expected = original
        .replace("municipio: 4 #", "municipio: 5 #")
        .replace("mon: 09:00-13:00", "mon: 09:00-12:30");
    assert_ne!(expected, original);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected);
    // No temporary file is left beside the page, and the rebuild serves the new value.
    let hidden: Vec<_> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.')
        })
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    eventually(editor.port(), "/spazi/via-piazzetta/", 200, |b| {
        b.contains("data-taxonomy=\"municipio\">5<")
    });
}
