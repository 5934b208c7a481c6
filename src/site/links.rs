//! Internal links: `[testo](@/spazi/via-piazzetta.md#orari)` becomes the URL of that file,
//! checked to exist (and to have that heading). A relative link to a markdown file
//! (`[testo](../spazi/via-piazzetta.md#orari)`, as content written for other tools has them)
//! is the same, resolved from the folder of the file it is in; one that leaves `content/` is
//! broken. A broken one is an error at the link's line and column in the markdown file.
//!
//! Resolving never reads the disk: a link's path, percent-decoded and with its `.` and `..`
//! resolved (`site_path::normalize`), is only looked up among the site's files.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::markup::numbered_placeholders;
use crate::base::site_path::{self, UrlProblem};
use crate::config::Config;
use crate::content::document::{Document, LocatedLink, shown_path};
use crate::content::source::SourceFile;
use crate::markdown::{Heading, INTERNAL_HREF};

/// A page or section a link can point to.
#[derive(Debug, Clone)]
struct Target {
    url: String,
    doc: Arc<Document>,
    /// The ids of its headings, gathered the first time a link names one: most pages are
    /// never the target of such a link, and a set for each took ~0.4 KB a page.
    anchors: OnceLock<HashSet<String>>,
}

impl Target {
    fn anchors(&self) -> &HashSet<String> {
        self.anchors.get_or_init(|| {
            let mut anchors = HashSet::new();
            collect_ids(&self.doc.body.toc, &mut anchors);
            anchors
        })
    }
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
        docs: impl IndexedParallelIterator<Item = (&'a Arc<Document>, &'a str)>,
    ) -> Self {
        let targets: Vec<(Vec<String>, Target)> = docs
            .map(|(doc, path)| {
                let target = Target {
                    url: config.url(path),
                    doc: Arc::clone(doc),
                    anchors: OnceLock::new(),
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

    /// The URL of each of `links` (the internal links of `source`), escaped for an attribute,
    /// in their order; `None` for a broken one, with its error. A link to an [`Unparsed`] file is
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
            .map(|link| match self.url_of(link, source, unparsed) {
                Ok(url) => Some(url.replace('&', "&amp;").replace('"', "&quot;")),
                Err(None) => None,
                Err(Some(d)) => {
                    errors.push(d);
                    None
                }
            })
            .collect();
        (hrefs, errors)
    }

    /// The URL an internal link of `source` points to, or why it is broken: `None` for a
    /// link to an [`Unparsed`] file.
    fn url_of(
        &self,
        link: &LocatedLink,
        source: &SourceFile,
        unparsed: &Unparsed,
    ) -> Result<String, Option<Diagnostic>> {
        let at = |code, message: Text| {
            Diagnostic::new(code, shown_path(source), message).at(link.line, link.column)
        };
        let destination = Destination::of(&link.url, source.folder()).map_err(|problem| {
            let (message, hint) = unreachable_file(&link.url, &problem);
            Some(at(Code::LinkMissingPage, message).hint(hint))
        })?;
        let Destination {
            file,
            anchor,
            relative,
        } = destination;
        let file = file.as_ref();
        let Some(target) = self.index_of(file).map(|i| &self.targets[i]) else {
            if unparsed.contains(file) {
                return Err(None);
            }
            let best = closest(file, self.keys.keys().map(String::as_str));
            let hint = match best {
                Some(best) if relative => msg!(
                    "did you mean `{best}`?",
                    best = relative_path(source.folder(), best)
                ),
                Some(best) => msg!("did you mean `{best}`?", best = format!("@/{best}")),
                None if relative => msg!(
                    "write the path of a markdown file from this file's folder, e.g. ../spazi/via-piazzetta.md (drafts are not published)"
                ),
                None => msg!(
                    "write the path of a file under content/, e.g. @/spazi/via-piazzetta.md (drafts are not published)"
                ),
            };
            return Err(Some(
                at(
                    Code::LinkMissingPage,
                    msg!(
                        "the link points to content/{file}, which is not a published page",
                        file = file
                    ),
                )
                .hint(hint),
            ));
        };
        let mut url = target.url.clone();
        if let Some(anchor) = anchor {
            let anchors = target.anchors();
            if !anchors.contains(anchor) {
                let mut ids: Vec<&str> = anchors.iter().map(String::as_str).collect();
                ids.sort_unstable();
                let hint = match closest(anchor, ids.iter().copied()) {
                    Some(best) => msg!("did you mean `{best}`?", best = format!("#{best}")),
                    None if ids.is_empty() => {
                        msg!("that page has no headings: remove the `#…` part")
                    }
                    None => msg!("its headings are: {ids}", ids = ids.join(", ")),
                };
                return Err(Some(
                    at(
                        Code::LinkMissingHeading,
                        msg!(
                            "content/{file} has no heading with the id `{anchor}`",
                            file = file,
                            anchor = anchor
                        ),
                    )
                    .hint(hint),
                ));
            }
            url.push('#');
            url.push_str(anchor);
        }
        Ok(url)
    }
}

/// Where an internal link points: a content file (its path relative to `content/`) and the
/// `#fragment` as written.
struct Destination<'u> {
    file: Cow<'u, str>,
    anchor: Option<&'u str>,
    /// Written relative to the linking file's folder (not `@/…`).
    relative: bool,
}

impl<'u> Destination<'u> {
    /// The destination of `url`, an `@/…` link or a relative link to a markdown file written
    /// in a file of `folder` (relative to `content/`); a relative path that leaves
    /// `content/` or cannot name a file is a problem.
    fn of(url: &'u str, folder: &str) -> Result<Destination<'u>, UrlProblem> {
        let (path, anchor) = match url.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (url, None),
        };
        if let Some(file) = path.strip_prefix("@/") {
            return Ok(Destination {
                file: Cow::Borrowed(file),
                anchor,
                relative: false,
            });
        }
        let from_root = if folder.is_empty() {
            format!("/{path}")
        } else {
            format!("/{folder}/{path}")
        };
        let file = site_path::normalize(&from_root)?;
        Ok(Destination {
            file: Cow::Owned(file),
            anchor,
            relative: true,
        })
    }
}

/// What is wrong with the relative link `url`, whose path names no file of `content/`, and
/// how to fix it.
fn unreachable_file(url: &str, problem: &UrlProblem) -> (Text, Text) {
    match problem {
        UrlProblem::AboveRoot => (
            msg!(
                "the link `{url}` leads outside content/ with `..`",
                url = url
            ),
            msg!(
                "write the path from this file's folder to a markdown file under content/, or the path from content/ after `@/`"
            ),
        ),
        UrlProblem::Segment(segment, problem) => (
            msg!(
                "the link `{url}` names no content file: {problem}",
                url = url,
                problem = problem.describe(segment)
            ),
            msg!("write the path of a markdown file with `/` between its folders"),
        ),
        _ => (
            msg!(
                "the link `{url}` names no content file: its `%` escapes do not decode to a file name",
                url = url
            ),
            msg!("write letters as they are, or escape UTF-8 bytes as %XX (a space is %20)"),
        ),
    }
}

/// The path from folder `from` to the file `to` (both relative to `content/`), as a relative
/// link writes it: `../notizie/a.md` from `spazi` to `notizie/a.md`.
fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to.split('/').collect();
    let (to_folders, _) = to.split_at(to.len() - 1);
    let shared = from
        .iter()
        .zip(to_folders)
        .take_while(|(a, b)| a == b)
        .count();
    let mut path = "../".repeat(from.len() - shared);
    path.push_str(&to[shared..].join("/"));
    path
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
    fn relative_links_resolve_from_their_folder() {
        let file = |url, folder| Destination::of(url, folder).map(|d| d.file.into_owned());
        assert_eq!(file("altro.md", "spazi").unwrap(), "spazi/altro.md");
        assert_eq!(file("../altro.md", "spazi/a").unwrap(), "spazi/altro.md");
        assert_eq!(file("./sub/_index.md", "").unwrap(), "sub/_index.md");
        assert_eq!(file("caff%C3%A8.md", "").unwrap(), "caffè.md");
        assert_eq!(file("%2e%2e/altro.md", "spazi").unwrap(), "altro.md");
        assert_eq!(file("@/spazi/a.md", "x/y").unwrap(), "spazi/a.md");
        let escapes = [
            "../../../../etc/passwd.md",
            "%2e%2e/%2E%2E/x.md",
            "../../x.md",
        ];
        for url in escapes {
            assert_eq!(
                file(url, "spazi").unwrap_err(),
                UrlProblem::AboveRoot,
                "{url}"
            );
        }
        assert!(matches!(
            file("..\\..\\x.md", "spazi"),
            Err(UrlProblem::Segment(_, _))
        ));
        assert!(file("a%00.md", "").is_err());
        assert!(file("a%2Fb.md", "").is_err());
        assert!(file("a%zz.md", "").is_err());
        let d = Destination::of("a.md#orari", "spazi").unwrap();
        assert_eq!((d.anchor, d.relative), (Some("orari"), true));
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(relative_path("spazi", "notizie/a.md"), "../notizie/a.md");
        assert_eq!(relative_path("spazi", "spazi/a.md"), "a.md");
        assert_eq!(relative_path("", "spazi/a.md"), "spazi/a.md");
        assert_eq!(relative_path("spazi/x", "a.md"), "../../a.md");
        assert_eq!(relative_path("spazi/x", "spazi/y/a.md"), "../y/a.md");
    }

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
