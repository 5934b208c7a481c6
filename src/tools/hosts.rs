//! `wemi check`'s privacy check: every other host the published site would make a visitor's
//! browser contact by itself (scripts, styles, fonts, frames, images, media, forms), so that
//! a site that tells no third party about its visitors stays that way.
//!
//! The rendered pages' contacts come from the output set ([`OutputFile::Dropped`] keeps them);
//! style sheets are read as they are copied. Each contact is reported once per file, host and
//! kind, on the file that writes it: the theme template whose text holds the address, else the
//! page's content file.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;
use crate::config::Config;
use crate::content::theme;
use crate::output::contacts::{self, Contact, ContactKind};
use crate::output::{OutputFile, OutputSet};

/// One contact as reported: the file that writes it and the published file that makes it.
struct Reported {
    contact: Contact,
    line: Option<usize>,
    published: String,
}

/// A warning for each address in `output` on a host other than `config`'s `base_url` host
/// (`root` is the site folder, where copied files and the theme are read).
pub fn check(output: &OutputSet, config: &Config, root: &Path) -> Vec<Diagnostic> {
    let own_host = contacts::host_of(&config.base_url);
    let mut from_pages: Vec<(&str, &str, Contact)> = Vec::new();
    let mut by_source: BTreeMap<(PathBuf, String, ContactKind), Reported> = BTreeMap::new();
    for (path, file, origin) in output.files_with_origins() {
        let path = path.as_str();
        let (is_html, is_css) = (path.ends_with(".html"), path.ends_with(".css"));
        let found = match file {
            OutputFile::Dropped(found) => found.clone(),
            OutputFile::Rendered(bytes) if is_html => {
                contacts::in_html(&String::from_utf8_lossy(bytes))
            }
            OutputFile::Rendered(bytes) if is_css => {
                contacts::in_css(&String::from_utf8_lossy(bytes))
            }
            OutputFile::Copied(source) if is_html || is_css => {
                // A file that cannot be read is reported by the build that copies it.
                let text = std::fs::read(source).unwrap_or_default();
                let text = String::from_utf8_lossy(&text);
                if is_css {
                    contacts::in_css(&text)
                } else {
                    contacts::in_html(&text)
                }
            }
            _ => Vec::new(),
        };
        for contact in found {
            if own_host.as_deref() == Some(contact.host.as_str()) {
                continue;
            }
            if matches!(file, OutputFile::Copied(_)) {
                // A copied file is its own source: its lines are the editor's lines.
                let key = (PathBuf::from(origin), contact.host.clone(), contact.kind);
                let line = Some(contact.line);
                by_source.entry(key).or_insert(Reported {
                    contact,
                    line,
                    published: path.to_string(),
                });
            } else {
                from_pages.push((path, origin, contact));
            }
        }
    }
    if !from_pages.is_empty() {
        // The theme is read again only when a page contacts another host.
        let (theme, _) = theme::load(root, config);
        let templates = theme.templates;
        let mut in_templates: HashMap<&str, (&Path, usize)> = HashMap::new();
        for template in &templates {
            for (url, line) in absolute_urls(&template.text) {
                in_templates
                    .entry(url)
                    .or_insert((&template.shown_path, line));
            }
        }
        let mut content_texts: HashMap<&str, String> = HashMap::new();
        for (_, origin, _) in &from_pages {
            content_texts
                .entry(origin)
                .or_insert_with(|| std::fs::read_to_string(root.join(origin)).unwrap_or_default());
        }
        let in_content: HashMap<&str, HashMap<&str, usize>> = content_texts
            .iter()
            .map(|(origin, text)| (*origin, absolute_urls(text).collect()))
            .collect();
        for (published, origin, contact) in from_pages {
            let (file, line) = match in_templates.get(contact.url.as_str()) {
                Some(&(template, line)) => (template.to_path_buf(), Some(line)),
                None => (
                    PathBuf::from(origin),
                    in_content[origin].get(contact.url.as_str()).copied(),
                ),
            };
            let key = (file, contact.host.clone(), contact.kind);
            by_source.entry(key).or_insert(Reported {
                contact,
                line,
                published: published.to_string(),
            });
        }
    }
    by_source
        .into_iter()
        .map(|((file, host, kind), reported)| warning(&file, &host, kind, &reported))
        .collect()
}

/// Every absolute address written in `text` (from `http:`, `https:` or `//` to a space, quote,
/// bracket or `)`), with its 1-based line: one pass, so that finding where each of a page's
/// contacts is written stays linear however many it has.
fn absolute_urls(text: &str) -> impl Iterator<Item = (&str, usize)> {
    let bytes = text.as_bytes();
    let mut line = 1;
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let rest = &bytes[i..];
            let starts = rest.starts_with(b"http:")
                || rest.starts_with(b"https:")
                || (rest.starts_with(b"//") && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()));
            if !starts {
                line += usize::from(bytes[i] == b'\n');
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len()
                && !bytes[i].is_ascii_whitespace()
                && !matches!(bytes[i], b'"' | b'\'' | b'<' | b'>' | b')' | b'`')
            {
                i += 1;
            }
            return Some((&text[start..i], line));
        }
        None
    })
}

/// The warning for one contact written in `file`.
fn warning(file: &Path, host: &str, kind: ContactKind, reported: &Reported) -> Diagnostic {
    let hint = if kind == ContactKind::Form {
        msg!("send the form to an address of this site, or remove it")
    } else {
        msg!("put the file in static/ and use its address on this site, or remove it")
    };
    let diagnostic = Diagnostic::new(
        Code::PrivacyExternalHost,
        file,
        msg!(
            "{kind} makes the visitor's browser contact another host, {host}: {url} (in {published})",
            kind = kind.describe(),
            host = host,
            url = reported.contact.url,
            published = reported.published
        ),
    )
    .hint(hint)
    .warning();
    match reported.line {
        Some(line) => diagnostic.at_line(line),
        None => diagnostic,
    }
}
