//! Internal links: `[testo](@/spazi/via-piazzetta.md#orari)` becomes the URL of that file,
//! checked to exist (and to have that heading). A broken one is an error at the link's line
//! and column in the markdown file.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::markup::numbered_placeholders;
use crate::config::Config;
use crate::content::document::{Document, LocatedLink, shown_path};
use crate::content::source::SourceFile;
use crate::markdown::{Heading, INTERNAL_HREF};

/// A page or section a link can point to.
#[derive(Debug, Clone)]
struct Target {
    url: String,
    anchors: HashSet<String>,
}

/// Every published content file, by its path relative to `content/`.
#[derive(Debug)]
pub struct LinkTargets {
    /// Each lookup key of a document (see `SourceFile::lookup_keys`) → the document's index
    /// in the order they were given.
    keys: Arc<HashMap<String, usize>>,
    targets: Vec<Target>,
}

impl LinkTargets {
    /// Indexes documents with their site paths.
    pub fn new<'a>(
        config: &Config,
        docs: impl IndexedParallelIterator<Item = (&'a Document, &'a str)>,
    ) -> Self {
        let targets: Vec<(Vec<String>, Target)> = docs
            .map(|(doc, path)| {
                let mut anchors = HashSet::new();
                collect_ids(&doc.body.toc, &mut anchors);
                let target = Target {
                    url: config.url(path),
                    anchors,
                };
                (doc.source.lookup_keys(), target)
            })
            .collect();
        let mut keys = HashMap::with_capacity(targets.len());
        let targets = targets
            .into_iter()
            .enumerate()
            .map(|(i, (doc_keys, target))| {
                keys.extend(doc_keys.into_iter().map(|k| (k, i)));
                target
            })
            .collect();
        LinkTargets {
            keys: Arc::new(keys),
            targets,
        }
    }

    /// The index (in the order given to [`LinkTargets::new`]) of the document that `key`, a
    /// path relative to `content/`, names.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }

    /// Every key with its document's index, shared (for template functions).
    pub fn keys(&self) -> Arc<HashMap<String, usize>> {
        Arc::clone(&self.keys)
    }

    /// The URL of each of `links` (the `@/…` links of `source`), escaped for an attribute, in
    /// their order; `None` for a broken one, with its error. A link to an [`Unparsed`] file is
    /// left without a URL and without an error: the file is there, its own errors stop the
    /// build.
    pub fn hrefs(
        &self,
        source: &SourceFile,
        links: &[LocatedLink],
        unparsed: &Unparsed,
    ) -> (Vec<Option<String>>, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let hrefs = links
            .iter()
            .map(|link| match self.url_of(link, source) {
                Ok(url) => Some(url.replace('&', "&amp;").replace('"', "&quot;")),
                Err(_) if unparsed.contains(target_file(&link.url)) => None,
                Err(d) => {
                    errors.push(d);
                    None
                }
            })
            .collect();
        (hrefs, errors)
    }

    /// The URL an internal link of `source` points to, or why it is broken.
    fn url_of(&self, link: &LocatedLink, source: &SourceFile) -> Result<String, Diagnostic> {
        let file = target_file(&link.url);
        let anchor = link.url.split_once('#').map(|(_, anchor)| anchor);
        let at = |code, message: Text| {
            Diagnostic::new(code, shown_path(source), message).at(link.line, link.column)
        };
        let Some(target) = self.index_of(file).map(|i| &self.targets[i]) else {
            let hint = match closest(file, self.keys.keys().map(String::as_str)) {
                Some(best) => msg!("did you mean `{best}`?", best = format!("@/{best}")),
                None => msg!(
                    "write the path of a file under content/, e.g. @/spazi/via-piazzetta.md (drafts are not published)"
                ),
            };
            return Err(at(
                Code::LinkMissingPage,
                msg!(
                    "the link points to content/{file}, which is not a published page",
                    file = file
                ),
            )
            .hint(hint));
        };
        let mut url = target.url.clone();
        if let Some(anchor) = anchor {
            if !target.anchors.contains(anchor) {
                let mut ids: Vec<&str> = target.anchors.iter().map(String::as_str).collect();
                ids.sort_unstable();
                let hint = match closest(anchor, ids.iter().copied()) {
                    Some(best) => msg!("did you mean `{best}`?", best = format!("#{best}")),
                    None if ids.is_empty() => {
                        msg!("that page has no headings: remove the `#…` part")
                    }
                    None => msg!("its headings are: {ids}", ids = ids.join(", ")),
                };
                return Err(at(
                    Code::LinkMissingHeading,
                    msg!(
                        "content/{file} has no heading with the id `{anchor}`",
                        file = file,
                        anchor = anchor
                    ),
                )
                .hint(hint));
            }
            url.push('#');
            url.push_str(anchor);
        }
        Ok(url)
    }
}

/// The content file an `@/…` link points to: `spazi/a.md` for `@/spazi/a.md#orari`.
fn target_file(url: &str) -> &str {
    let written = url.trim_start_matches("@/");
    written.split_once('#').map_or(written, |(file, _)| file)
}

/// Content files that exist but did not parse, by every key a link may name them with.
#[derive(Debug, Default)]
pub struct Unparsed(HashSet<String>);

impl Unparsed {
    /// The files `sources`.
    pub fn new<'a>(sources: impl IntoIterator<Item = &'a SourceFile>) -> Unparsed {
        Unparsed(
            sources
                .into_iter()
                .flat_map(SourceFile::lookup_keys)
                .collect(),
        )
    }

    /// Whether `key` (a path relative to `content/`) names one of them.
    pub fn contains(&self, key: &str) -> bool {
        self.0.contains(key)
    }
}

/// Puts `hrefs[i]` (already escaped for an attribute) in place of the placeholder of internal
/// link `i` in `html`, in one pass however many links there are.
pub fn fill_hrefs(html: &str, hrefs: &[Option<String>]) -> String {
    let opening = format!("href=\"{INTERNAL_HREF}");
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    for (placeholder, i) in numbered_placeholders(html, &opening, "\"") {
        if let Some(Some(href)) = hrefs.get(i) {
            out.push_str(&html[copied..placeholder.start]);
            out.push_str("href=\"");
            out.push_str(href);
            out.push('"');
            copied = placeholder.end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

fn collect_ids(toc: &[Heading], ids: &mut HashSet<String>) {
    for h in toc {
        ids.insert(h.id.clone());
        collect_ids(&h.children, ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_their_own_number() {
        let html: String = (0..12)
            .map(|i| format!("<a href=\"{INTERNAL_HREF}{i}\">{i}</a>"))
            .collect();
        let mut hrefs: Vec<Option<String>> = (0..12).map(|i| Some(format!("/p{i}/"))).collect();
        hrefs[1] = None;
        let filled = fill_hrefs(&html, &hrefs);
        assert!(filled.starts_with("<a href=\"/p0/\">0</a><a href=\"wemi-internal:1\">1</a>"));
        assert!(filled.ends_with("<a href=\"/p10/\">10</a><a href=\"/p11/\">11</a>"));
        // A number past the links, or no number, stays as written.
        let odd = format!("href=\"{INTERNAL_HREF}99\" href=\"{INTERNAL_HREF}\"");
        assert_eq!(fill_hrefs(&odd, &hrefs), odd);
    }
}
