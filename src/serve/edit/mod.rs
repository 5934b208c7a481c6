//! The editor of `wemi serve`: the pages under `/__wemi/edit/` where a page's front matter is a
//! form built from its section's schema, checked by the build's own code, previewed, and
//! saved in place; new pages and uploaded images too. It exists only when serve listens on a
//! loopback address.
//!
//! [`Editor::respond`] routes a request and speaks JSON (serde_json) with the editor's page.
//! Before anything else, every request passes [`guard`]: the `Host` must be this server by a
//! loopback name; every API call carries the per-run token, and every POST also this server's
//! `Origin`, a JSON (or image) `Content-Type` and a bounded body. The editor's language comes
//! from `Accept-Language` (Italian unless English comes first). `form` makes the form and
//! edits a file's values, `check` runs the build's checks and keeps previews, `files` writes.

mod check;
mod files;
mod form;
mod guard;

use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::Deserialize;
use serde_json::{Value, json};

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::{Lang, Text, msg};
use crate::base::markup::escape;
use crate::base::slug::slugify;
use crate::config::Config;
use crate::render::images;
use crate::serve::http::request::{
    Request, Response, Target, host_allowed, percent_decode, percent_encode, read_body,
};
use crate::serve::http::snapshot::EditLinks;
use crate::tools::new::{NewOptions, create};
use check::{FieldError, Previewer, placed};

/// Where the editor's pages are, without the leading `/`.
pub const PREFIX: &str = "__wemi/edit/";

/// The largest JSON body accepted.
const MAX_JSON: u64 = 1024 * 1024;
/// The largest image accepted (far below what the build decodes, far above a photo).
const MAX_UPLOAD: u64 = 32 * 1024 * 1024;
/// The image types an upload may declare; what it is, is read from its bytes.
const IMAGE_TYPES: [&str; 3] = ["image/jpeg", "image/png", "image/webp"];

const EDITOR_HTML: &str = include_str!("assets/editor.html");
const EDITOR_JS: &str = include_str!("assets/editor.js");
const EDITOR_CSS: &str = include_str!("assets/editor.css");

/// The policy of the editor's own page: nothing but its own script and styles, never framed.
const EDITOR_POLICY: &str = "default-src 'self'; frame-ancestors 'none'; img-src 'self' data:; \
                             object-src 'none'; base-uri 'none'; form-action 'none'";

/// The editor of one run of `wemi serve`.
pub struct Editor {
    root: PathBuf,
    /// 32 random bytes as hex, new for every run.
    token: String,
    /// The address serve listens on: its port is the only one `Host` and `Origin` may name.
    bound: SocketAddr,
    /// The served site's address, which pages are checked and previewed with.
    base_url: String,
    previewer: Mutex<Previewer>,
    /// Numbers previews, so that the browser never shows an older one from its cache.
    previews: AtomicU64,
}

/// A request refused before its body was read: the server answers and drains what the client
/// still sends.
pub type Refused = Response<'static>;

impl Editor {
    /// The editor of the site at `root`, served on the loopback address `bound` at `base_url`,
    /// with a new token.
    pub fn new(
        root: PathBuf,
        bound: SocketAddr,
        base_url: String,
    ) -> Result<Editor, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Editor {
            previewer: Mutex::new(Previewer::new(root.clone(), base_url.clone())),
            root,
            token,
            bound,
            base_url,
            previews: AtomicU64::new(0),
        })
    }

    /// The answer to a request under [`PREFIX`]; reads its body from `stream` when it is a
    /// call that has one. `Err` when it is refused before its body was read.
    pub(crate) fn respond(
        &self,
        stream: &TcpStream,
        request: &mut Request,
        target: &Target,
        links: &EditLinks,
    ) -> Result<Response<'static>, Refused> {
        let lang = language(request.headers.accept_language.as_deref());
        let host = request.headers.host.as_deref();
        if !host_allowed(host, self.bound) {
            return Err(refusal(403, msg!("this address is not the editor's"), lang));
        }
        let route = target.path.strip_prefix(PREFIX).unwrap_or_default();
        let query = |key: &str| query_value(target.query, key);
        if !route.starts_with("api/") {
            return match (route, request.post) {
                ("", false) => Ok(self.editor_page(query("page"), query("new"), lang)),
                ("editor.js", false) => Ok(asset("text/javascript; charset=utf-8", EDITOR_JS)),
                ("editor.css", false) => Ok(asset("text/css; charset=utf-8", EDITOR_CSS)),
                ("preview", false) => Ok(self.preview(query("page").unwrap_or_default())),
                _ => Err(refusal(
                    404,
                    msg!("there is no such page of the editor"),
                    lang,
                )),
            };
        }
        if !guard::token_matches(request.headers.token.as_deref(), &self.token) {
            return Err(refusal(
                403,
                msg!("the editor's token is missing or wrong: reload the editor's page"),
                lang,
            ));
        }
        let post = match (route, request.post) {
            ("api/page", false) => {
                return Ok(self.page(&query("page").unwrap_or_default(), links, lang));
            }
            ("api/check" | "api/save" | "api/new" | "api/upload", true) => route,
            ("api/page" | "api/check" | "api/save" | "api/new" | "api/upload", _) => {
                let text = msg!("the editor does not take this method here");
                return Err(refusal(405, text, lang).header("Allow", "GET, HEAD, POST"));
            }
            _ => {
                return Err(refusal(
                    404,
                    msg!("there is no such page of the editor"),
                    lang,
                ));
            }
        };
        let body = post_body(stream, request, post == "api/upload", lang)?;
        if post == "api/upload" {
            return Ok(self.upload(
                &query("page").unwrap_or_default(),
                &query("name").unwrap_or_default(),
                &query("alt").unwrap_or_default(),
                &body,
                links,
                lang,
            ));
        }
        Ok(match post {
            "api/new" => match serde_json::from_slice::<NewRequest>(&body) {
                Ok(new) => self.new_page(&new, lang),
                Err(e) => malformed(&e, lang),
            },
            _ => match serde_json::from_slice::<PageRequest>(&body) {
                Ok(edit) if post == "api/save" => self.save(&edit, links, lang),
                Ok(edit) => self.check(&edit, lang),
                Err(e) => malformed(&e, lang),
            },
        })
    }

    /// `editor.html` for `page` (or a new page of the section `new`), with the token.
    fn editor_page(
        &self,
        page: Option<String>,
        new: Option<String>,
        lang: Lang,
    ) -> Response<'static> {
        let (mode, subject, found) = match (page, new) {
            (Some(page), _) => {
                let found = guard::page(&self.root, &page).map(|_| ());
                ("edit", page, found)
            }
            (None, Some(section)) => {
                let found = guard::section(&self.root, &section).map(|_| ());
                ("new", section, found)
            }
            (None, None) => return Response::text(404),
        };
        if found.is_err() {
            return Response::text(404);
        }
        // The page's name goes in last, so that nothing in it is taken for a placeholder.
        let html = EDITOR_HTML
            .replace("{{TOKEN}}", &self.token)
            .replace("{{LANG}}", lang_code(lang))
            .replace("{{MODE}}", mode)
            .replace("{{PAGE}}", &escape(&subject));
        Response::new(200, "text/html; charset=utf-8", html.into_bytes())
            .header("Content-Security-Policy", EDITOR_POLICY)
            .header("X-Frame-Options", "DENY")
            .header("Referrer-Policy", "no-referrer")
    }

    /// The last preview of `page`: the site's own page, which the editor's page frames.
    fn preview(&self, page: String) -> Response<'static> {
        match self.previewer().preview(&page) {
            Some(html) => Response::new(200, "text/html; charset=utf-8", html.to_vec())
                .header("Content-Security-Policy", "frame-ancestors 'self'")
                .header("X-Frame-Options", "SAMEORIGIN")
                .header("Referrer-Policy", "no-referrer"),
            None => Response::text(404),
        }
    }

    /// `api/page`: the form of `page`, its address and its problems now.
    fn page(&self, page: &str, links: &EditLinks, lang: Lang) -> Response<'static> {
        let file = match guard::page(&self.root, page) {
            Ok(file) => file,
            Err((status, text)) => return refusal(status, text, lang),
        };
        let config = match self.config() {
            Ok(config) => config,
            Err(diagnostics) => return errors(422, placed(&diagnostics, None, lang)),
        };
        let form = match form::open(&self.root, &config, page, &file) {
            Ok(form) => form,
            Err(diagnostics) => return errors(422, placed(&diagnostics, None, lang)),
        };
        let problems = match std::fs::read(&file) {
            Ok(text) => self.previewer().check(page, &text, lang).errors,
            Err(e) => return io_failure(page, &e, lang),
        };
        let mut answer = serde_json::to_value(&form).unwrap_or_else(|_| json!({}));
        answer["lang"] = json!(lang_code(lang));
        answer["url"] = json!(links.url_of(page));
        answer["errors"] = json!(problems);
        json_response(200, &answer)
    }

    /// `api/check`: the problems of the form's values, and a preview when the page renders.
    fn check(&self, edit: &PageRequest, lang: Lang) -> Response<'static> {
        let (_, original, config) = match self.open(&edit.page, lang) {
            Ok(opened) => opened,
            Err(answer) => return answer,
        };
        let conflict = form::version(&original) != edit.version;
        let text = match edit.applied_to(&original, &config) {
            Ok(text) => text,
            Err(problems) => {
                return json_response(
                    200,
                    &json!({"errors": problems, "preview": null, "conflict": conflict}),
                );
            }
        };
        let checked = self.previewer().check(&edit.page, &text, lang);
        let preview = checked.rendered.then(|| {
            let n = self.previews.fetch_add(1, Ordering::Relaxed);
            format!("/{PREFIX}preview?page={}&n={n}", percent_encode(&edit.page))
        });
        json_response(
            200,
            &json!({"errors": checked.errors, "preview": preview, "conflict": conflict}),
        )
    }

    /// `api/save`: the page written with the form's values, when it is still the version
    /// opened and the build finds nothing wrong with it.
    fn save(&self, edit: &PageRequest, links: &EditLinks, lang: Lang) -> Response<'static> {
        let (file, original, config) = match self.open(&edit.page, lang) {
            Ok(opened) => opened,
            Err(answer) => return answer,
        };
        let on_disk = form::version(&original);
        if on_disk != edit.version {
            return conflict(&edit.page, &on_disk, lang);
        }
        let text = match edit.applied_to(&original, &config) {
            Ok(text) => text,
            Err(problems) => return errors(422, problems),
        };
        // The previewer stays locked until the file is written: two saves of this editor
        // never interleave their conflict checks and writes.
        let mut previewer = self.previewer();
        let checked = previewer.check(&edit.page, &text, lang);
        if !checked.errors.is_empty() {
            return errors(422, checked.errors);
        }
        match files::replace(&file, &edit.version, &text) {
            Ok(files::Replaced::Written) => json_response(
                200,
                &json!({"version": form::version(&text), "url": links.url_of(&edit.page)}),
            ),
            Ok(files::Replaced::Conflict(on_disk)) => conflict(&edit.page, &on_disk, lang),
            Err(e) => io_failure(&edit.page, &e, lang),
        }
    }

    /// `api/new`: what `wemi new` makes (a draft with the schema's fields) in `section`.
    fn new_page(&self, new: &NewRequest, lang: Lang) -> Response<'static> {
        if let Err((status, text)) = guard::section(&self.root, &new.section) {
            return refusal(status, text, lang);
        }
        let options = NewOptions {
            root: self.root.clone(),
            section: new.section.clone(),
            title: new.title.clone(),
        };
        match create(&options) {
            Ok(page) => {
                let page = page
                    .relative
                    .strip_prefix("content/")
                    .unwrap_or(&page.relative);
                json_response(201, &json!({"page": page}))
            }
            Err(error) => errors(422, placed(&error.diagnostics, None, lang)),
        }
    }

    /// `api/upload`: the image in `bytes` added beside `page` under (a free variant of) `name`.
    fn upload(
        &self,
        page: &str,
        name: &str,
        alt: &str,
        bytes: &[u8],
        links: &EditLinks,
        lang: Lang,
    ) -> Response<'static> {
        let file = match guard::page(&self.root, page) {
            Ok(file) => file,
            Err((status, text)) => return refusal(status, text, lang),
        };
        if alt.trim().is_empty() {
            let problem = Diagnostic::new(
                Code::UploadAlt,
                name,
                msg!("the image has no text alternative: it was not added"),
            )
            .hint(msg!(
                "describe what the image shows, for people who cannot see it"
            ));
            return errors(422, placed(&[problem], None, lang));
        }
        let header = match images::header(bytes) {
            Ok(header) => header,
            Err((_, reason)) => {
                let problem = Diagnostic::new(
                    Code::UploadNotImage,
                    name,
                    msg!(
                        "this file cannot be added as an image: {reason}",
                        reason = reason
                    ),
                )
                .hint(msg!("add a photo saved as JPEG, PNG or WebP"));
                return errors(422, placed(&[problem], None, lang));
            }
        };
        let folder = file.parent().unwrap_or(&self.root);
        let stem = files::image_stem(name);
        match files::add_new(folder, &stem, header.format.extension(), bytes) {
            Ok(added) => {
                let path = image_link(page, links.url_of(page).as_deref(), &added);
                json_response(
                    201,
                    &json!({"file": added, "markdown": files::image_markdown(alt, &path)}),
                )
            }
            Err(e) => io_failure(page, &e, lang),
        }
    }

    /// The checked file of `page`, its bytes and the site's settings.
    fn open(
        &self,
        page: &str,
        lang: Lang,
    ) -> Result<(PathBuf, Vec<u8>, Config), Response<'static>> {
        let file =
            guard::page(&self.root, page).map_err(|(status, text)| refusal(status, text, lang))?;
        let original = std::fs::read(&file).map_err(|e| io_failure(page, &e, lang))?;
        let config = self
            .config()
            .map_err(|diagnostics| errors(422, placed(&diagnostics, None, lang)))?;
        Ok((file, original, config))
    }

    fn config(&self) -> Result<Config, Vec<Diagnostic>> {
        Config::load(&self.root, Some(&self.base_url)).map_err(|e| e.diagnostics)
    }

    fn previewer(&self) -> std::sync::MutexGuard<'_, Previewer> {
        self.previewer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The body of `api/check` and `api/save`.
#[derive(Deserialize)]
struct PageRequest {
    page: String,
    version: String,
    values: Value,
    body: String,
}

impl PageRequest {
    /// The page's file with this request's values and body in place of `original`'s.
    fn applied_to(&self, original: &[u8], config: &Config) -> Result<Vec<u8>, Vec<FieldError>> {
        form::apply(original, config, &self.page, &self.values, &self.body)
    }
}

/// The body of `api/new`.
#[derive(Deserialize)]
struct NewRequest {
    section: String,
    title: String,
}

/// The editor's language: the first of Italian and English that `Accept-Language` names
/// (whatever their weights: browsers list the user's languages in order), else Italian.
fn language(accept: Option<&str>) -> Lang {
    accept
        .unwrap_or_default()
        .split(',')
        .filter_map(|range| {
            let tag = range.split(';').next()?.trim().to_ascii_lowercase();
            match tag.split('-').next()? {
                "it" => Some(Lang::It),
                "en" => Some(Lang::En),
                _ => None,
            }
        })
        .next()
        .unwrap_or(Lang::It)
}

fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "it",
        Lang::En => "en",
    }
}

/// The decoded value of `key` in a query (`+` is a space); `None` when absent or not text.
fn query_value(query: Option<&str>, key: &str) -> Option<String> {
    query?.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (name == key)
            .then(|| percent_decode(&value.replace('+', " ")))
            .flatten()
            .and_then(|bytes| String::from_utf8(bytes).ok())
    })
}

/// An answer of the API: JSON, never cached, never framed.
fn json_response(status: u16, value: &Value) -> Response<'static> {
    Response::new(status, "application/json", value.to_string().into_bytes())
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
}

fn errors(status: u16, problems: Vec<FieldError>) -> Response<'static> {
    json_response(status, &json!({ "errors": problems }))
}

fn asset(content_type: &str, text: &'static str) -> Response<'static> {
    Response::new(200, content_type, text.as_bytes())
}

/// A refused request: `{error, errors}` in the editor's language, code `edit.refused`.
fn refusal(status: u16, text: Text, lang: Lang) -> Response<'static> {
    let problem = Diagnostic::new(Code::EditRefused, "", text.clone());
    json_response(
        status,
        &json!({"error": text.get(lang), "errors": placed(&[problem], None, lang)}),
    )
}

/// A body that is not the JSON the call takes.
fn malformed(error: &serde_json::Error, lang: Lang) -> Response<'static> {
    refusal(
        400,
        msg!(
            "the request is not what the editor sends: {error}",
            error = error
        ),
        lang,
    )
}

/// 409: the page changed on disk since the editor opened it.
fn conflict(page: &str, on_disk: &str, lang: Lang) -> Response<'static> {
    let problem = Diagnostic::new(
        Code::EditConflict,
        Path::new("content").join(page),
        msg!("the page was changed on disk after you opened it: your changes were not saved"),
    )
    .hint(msg!(
        "copy your changes, open the page again to see its text now, and make them again"
    ));
    json_response(
        409,
        &json!({"conflict": true, "version": on_disk, "errors": placed(&[problem], None, lang)}),
    )
}

/// 500: the disk refused a read or a write.
fn io_failure(page: &str, error: &std::io::Error, lang: Lang) -> Response<'static> {
    let problem = Diagnostic::new(
        Code::io(error),
        Path::new("content").join(page),
        msg!("cannot read or write the page: {error}", error = error),
    );
    errors(500, placed(&[problem], None, lang))
}

/// The link from `page` to the image `added` beside it: relative to the address the page is
/// served at (`/en/spazi/capuana/` → `../../../spazi/foto.jpg`), since an image is published
/// next to its folder's output in every language. A page not served (a draft) is taken to be
/// at its folder's address when it is `index.md` or `_index.md`, else one folder deeper.
fn image_link(page: &str, served_at: Option<&str>, added: &str) -> String {
    let parts: Vec<&str> = page.split('/').collect();
    let (file_name, folder) = parts.split_last().unwrap_or((&"", &[]));
    // The folder as the build publishes it: each name a slug (`Sede_Nuova` → `sede-nuova`).
    let folder: Vec<String> = folder.iter().map(|name| slugify(name)).collect();
    let address: Vec<String> = match served_at {
        Some(url) => url
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        None if *file_name == "index.md" || *file_name == "_index.md" => folder.clone(),
        None => folder
            .iter()
            .cloned()
            .chain([slugify(file_name.trim_end_matches(".md"))])
            .collect(),
    };
    let shared = address
        .iter()
        .zip(&folder)
        .take_while(|(a, b)| a == b)
        .count();
    let mut link = "../".repeat(address.len() - shared);
    for name in &folder[shared..] {
        link.push_str(name);
        link.push('/');
    }
    link.push_str(added);
    link
}

/// The body of a POST to the editor's API, once it is shown to come from the editor's page
/// (`Origin`) with the type the call takes (an image for an `upload`, else JSON), a length, at
/// most the call's limit, in time.
fn post_body(
    stream: &TcpStream,
    request: &mut Request,
    upload: bool,
    lang: Lang,
) -> Result<Vec<u8>, Refused> {
    if !guard::origin_allowed(
        request.headers.origin.as_deref(),
        request.headers.host.as_deref(),
    ) {
        return Err(refusal(
            403,
            msg!("the request does not come from the editor's page"),
            lang,
        ));
    }
    let media_type = request
        .headers
        .content_type
        .as_deref()
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let (wanted, limit) = if upload {
        (IMAGE_TYPES.contains(&media_type.as_str()), MAX_UPLOAD)
    } else {
        (media_type == "application/json", MAX_JSON)
    };
    if !wanted {
        return Err(refusal(
            415,
            msg!("the editor does not accept this type of data"),
            lang,
        ));
    }
    read_body(stream, request, limit).map_err(|refused| {
        let text = match refused.status() {
            411 => msg!("the request does not say how long its body is"),
            413 => msg!(
                "the request is larger than the editor takes (at most {mib} MiB)",
                mib = limit / (1024 * 1024)
            ),
            408 => msg!("the request took too long to arrive: try again"),
            _ => msg!("the request ended before its whole body arrived: try again"),
        };
        refusal(refused.status(), text, lang)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uploaded_image_is_linked_from_the_address_its_page_is_served_at() {
        let cases = [
            ("spazi/x.md", Some("/spazi/x/"), "../foto.jpg"),
            (
                "spazi/x.en.md",
                Some("/en/spazi/x/"),
                "../../../spazi/foto.jpg",
            ),
            ("spazi/_index.md", Some("/spazi/"), "foto.jpg"),
            (
                "spazi/_index.en.md",
                Some("/en/spazi/"),
                "../../spazi/foto.jpg",
            ),
            ("spazi/y/index.md", Some("/spazi/y/"), "foto.jpg"),
            ("_index.md", Some("/"), "foto.jpg"),
            ("note.md", Some("/altro-nome/"), "../foto.jpg"),
            ("spazi/bozza.md", None, "../foto.jpg"),
            ("spazi/z/index.md", None, "foto.jpg"),
            // Folders are published under their slugs.
            (
                "spazi/Sede_Nuova/prova2.md",
                Some("/spazi/sede-nuova/prova2/"),
                "../foto.jpg",
            ),
            (
                "spazi/sede (nuova)/index.md",
                Some("/spazi/sede-nuova/"),
                "foto.jpg",
            ),
            ("Spazi/Bozza.md", None, "../foto.jpg"),
            (
                "Spazi/x.en.md",
                Some("/en/spazi/x/"),
                "../../../spazi/foto.jpg",
            ),
        ];
        for (page, served_at, link) in cases {
            assert_eq!(image_link(page, served_at, "foto.jpg"), link, "{page}");
        }
    }

    #[test]
    fn language_queries_and_encoding() {
        assert_eq!(language(None), Lang::It);
        assert_eq!(language(Some("en-US,en;q=0.9,it;q=0.8")), Lang::En);
        assert_eq!(language(Some("fr-FR, it-IT;q=0.5, en")), Lang::It);
        assert_eq!(language(Some("de")), Lang::It);
        assert_eq!(
            query_value(Some("a=1&page=spazi%2Fvia+x.md&alt="), "page").as_deref(),
            Some("spazi/via x.md")
        );
        assert_eq!(query_value(Some("alt"), "alt").as_deref(), Some(""));
        assert_eq!(query_value(Some("page=%ff"), "page"), None);
    }
}
