//! What `wemi serve` adds to the HTML pages it serves (and only there; the built site is never
//! changed): the live reload script, while the last build failed an overlay listing its
//! errors, escaped for HTML, and when the editor is on, a link to edit the page ("Modifica
//! questa pagina") and on a section's list a link to add one ("Nuova pagina").

use crate::base::error::Diagnostic;
use crate::base::i18n::Lang;
use crate::base::markup::escape;

use super::request::{Response, percent_encode};
use super::snapshot::{EditLinks, Snapshot};

/// Where pages listen for reloads (server-sent events).
pub const EVENTS_PATH: &str = "/__wemi/events";

/// The editor's page (`?page=` a source to edit, `?new=` a section to add a page to).
const EDITOR_PATH: &str = "/__wemi/edit/";

/// An HTML page with the reload script, the error overlay when the last build failed, and the
/// editor's links when the page at output path `path` has a source the editor can open.
pub(super) fn html_response(
    status: u16,
    html: &[u8],
    snapshot: &Snapshot,
    generation: u64,
    path: Option<&str>,
) -> Response<'static> {
    let mut addition = String::new();
    if !snapshot.errors.is_empty() {
        addition.push_str(&error_overlay(&snapshot.errors));
    }
    if let (Some(links), Some(path)) = (&snapshot.edit, path) {
        addition.push_str(&edit_links(links, path));
    }
    addition.push_str(&reload_script(generation));
    Response::new(status, "text/html; charset=utf-8", inject(html, &addition))
}

/// The editor's links for the page at output path `path`: a small bar fixed in a corner, each
/// link in the tab order with a focus ring the site's styles cannot hide. Empty when the page
/// has nothing to edit.
fn edit_links(links: &EditLinks, path: &str) -> String {
    let mut anchors = String::new();
    if let Some(source) = links.pages.get(path) {
        anchors.push_str(&format!(
            "<a href=\"{EDITOR_PATH}?page={}\">Modifica questa pagina</a>",
            escape(&percent_encode(source))
        ));
    }
    if let Some(section) = links.sections.get(path) {
        anchors.push_str(&format!(
            "<a href=\"{EDITOR_PATH}?new={}\">Nuova pagina</a>",
            escape(&percent_encode(section))
        ));
    }
    if anchors.is_empty() {
        return anchors;
    }
    format!(
        "<style>#wemi-edit{{position:fixed;right:1rem;bottom:1rem;z-index:2147483646;\
         display:flex;gap:0.5rem;margin:0;padding:0;font:16px/1.4 system-ui,sans-serif}}\
         #wemi-edit a{{display:inline-block;padding:0.5rem 0.875rem;border-radius:0.375rem;\
         background:#00466e;color:#fff;text-decoration:none;font-weight:600;\
         box-shadow:0 2px 8px rgba(0,0,0,0.3)}}\
         #wemi-edit a:hover{{background:#002f4b;text-decoration:underline}}\
         #wemi-edit a:focus-visible{{outline:3px solid #ffbf47!important;outline-offset:2px}}\
         </style>\n<nav id=\"wemi-edit\" lang=\"it\" aria-label=\"Redazione\">{anchors}</nav>\n"
    )
}

/// `addition` inserted before the last `</body>`, or at the end when there is none.
fn inject(html: &[u8], addition: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + addition.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The script that reloads the page when the server says so. `since`
/// makes the server send a reload at once when a build was published after this page was
/// served (or the server restarted), so no change is missed while the page loads.
fn reload_script(generation: u64) -> String {
    const SCRIPT: &str = r#"<script>/* wemi serve: live reload */
(() => {
  const events = new EventSource("EVENTS?since=GENERATION");
  events.addEventListener("reload", (event) => {
    // A second data line lists the pages that changed: reload only when this is one of them.
    const [, list] = event.data.split("\n");
    if (list === undefined) return location.reload();
    let here = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (here === "" || here.endsWith("/")) here += "index.html";
    if (JSON.parse(list).includes(here)) location.reload();
  });
})();
</script>
"#;
    SCRIPT
        .replace("EVENTS", EVENTS_PATH)
        .replace("GENERATION", &generation.to_string())
}

/// A fixed panel over the top of the page listing the errors of the last build.
fn error_overlay(errors: &[Diagnostic]) -> String {
    let mut items = String::new();
    for d in errors {
        items.push_str("<li style=\"margin:0.5rem 0\">");
        items.push_str(&format!(
            "<code style=\"font:inherit;font-weight:700;color:#7a0014\">{}</code> ",
            escape(&d.location())
        ));
        match &d.message_it {
            Some(it) => {
                items.push_str(&escape(it));
                if it != &d.message {
                    items.push_str(&format!(
                        "<br><small lang=\"en\" style=\"color:#444\">{}</small>",
                        escape(&d.message)
                    ));
                }
            }
            None => items.push_str(&format!("<span lang=\"en\">{}</span>", escape(&d.message))),
        }
        if let Some(hint) = d.hint_in(Lang::It) {
            let lang = if d.hint_it.is_some() { "it" } else { "en" };
            items.push_str(&format!(
                "<br><span lang=\"{lang}\">→ {}</span>",
                escape(hint)
            ));
        }
        items.push_str("</li>");
    }
    format!(
        "<div id=\"wemi-errors\" role=\"alert\" lang=\"it\" style=\"position:fixed;top:0;left:0;\
         right:0;z-index:2147483647;box-sizing:border-box;max-height:60vh;overflow:auto;\
         margin:0;padding:1rem 1.25rem;background:#fff5f5;color:#1a1a1a;\
         border-bottom:4px solid #b00020;box-shadow:0 2px 12px rgba(0,0,0,0.35);\
         font:16px/1.5 system-ui,sans-serif;text-align:left\">\
         <p style=\"margin:0;font-size:1.25rem;font-weight:700;color:#7a0014\">\
         Il sito non si aggiorna: ci sono errori</p>\
         <p lang=\"en\" style=\"margin:0 0 0.5rem;font-size:0.875rem;color:#444\">\
         The site is not updating: there are errors (this is the last version that built)</p>\
         <ul style=\"margin:0;padding-left:1.25rem\">{items}</ul></div>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection() {
        assert_eq!(inject(b"<p>x</p>", "S"), b"<p>x</p>S");
        assert_eq!(
            inject(b"<body>a</Body>\n</html>", "S"),
            b"<body>aS</Body>\n</html>"
        );
    }
}
