//! Reference fields: every one must name a published page of its section (a schema's
//! `reference` field, `servizi: [sportello-lavoro]`), or it is an error where it is written.

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::msg;
use crate::content::document::shown_path;
use crate::site::links::Unparsed;
use crate::site::model::Site;

/// An error for every reference field of `site` that does not name a published page of its
/// section. A reference to an [`Unparsed`] file is none: the file is there, with errors of
/// its own.
pub fn check(site: &Site, unparsed: &Unparsed) -> Vec<Diagnostic> {
    let pages = &site.pages;
    let keys = site.links.keys();
    let mut errors = Vec::new();
    for page in pages {
        for (name, value) in &page.doc.fields {
            for r in value.references() {
                if site.page_index(&r.target).is_some() || unparsed.contains(&r.target) {
                    continue;
                }
                let section = r.target.split_once('/').map_or("", |(s, _)| s);
                let candidates = keys
                    .iter()
                    .filter(|&(k, &i)| i < pages.len() && k.starts_with(&format!("{section}/")))
                    .map(|(k, _)| k.as_str());
                let hint = match closest(&r.target, candidates) {
                    Some(best) => msg!(
                        "did you mean `{best}`?",
                        best = best
                            .trim_start_matches(&format!("{section}/"))
                            .trim_end_matches(".md")
                    ),
                    None => msg!(
                        "write the file name of a page in content/{section}/, without .md",
                        section = section
                    ),
                };
                errors.push(
                    Diagnostic::new(
                        Code::LinkMissingPage,
                        shown_path(&page.doc.source),
                        msg!(
                            "`{field}`: there is no published page content/{target}",
                            field = name,
                            target = r.target
                        ),
                    )
                    .at(r.line, r.column)
                    .hint(hint),
                );
            }
        }
    }
    errors
}
