//! Files made without templates: feeds, `sitemap.xml`, `robots.txt`, the redirect pages
//! of aliases and of `page/1/`, and the search index.

pub mod feed;
pub mod search;
pub mod sitemap;

use std::borrow::Cow;

use crate::base::date::rfc3339;
use crate::base::error::Diagnostic;
use crate::content::document::{Document, shown_path};
use crate::output::{self, OutputFile, OutputSet};
use crate::render::bodies::Bodies;
use crate::render::view::{ATOM_FILE, RSS_FILE, page_path};
use crate::site::Site;
use feed::{Feed, FeedEntry};
use sitemap::SitemapEntry;

/// A file made without a template.
pub struct GeneratedFile {
    /// Output path.
    pub path: String,
    /// Content.
    pub text: String,
    /// Where it comes from, for a collision message.
    pub origin: String,
}

/// Adds `files` to `set`; the errors are the paths taken twice.
pub fn add(files: Vec<GeneratedFile>, set: &mut OutputSet) -> Vec<Diagnostic> {
    files
        .into_iter()
        .filter_map(|f| {
            output::checked(&f.path, &f.origin)
                .and_then(|path| {
                    set.insert(path, OutputFile::Rendered(f.text.into_bytes()), f.origin)
                })
                .err()
        })
        .collect()
}

/// Feeds, sitemap, robots.txt, redirects and the search index; the pages' HTML comes from `bodies`.
pub fn files(site: &Site, bodies: &Bodies) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    let mut add = |path: String, text: String, origin: String| {
        files.push(GeneratedFile { path, text, origin });
    };
    let config = &site.config;

    for (path, xml, origin) in feeds(site, bodies) {
        add(path, xml, origin);
    }

    // Redirects: aliases, and page/1/ of every listing to the listing itself.
    let docs = site
        .pages
        .iter()
        .map(|p| (&p.doc, p.path.as_str()))
        .chain(site.sections.iter().map(|s| (&s.doc, s.path.as_str())));
    for (doc, path) in docs {
        for alias in &doc.meta.aliases {
            add(
                alias.output(),
                redirect(&doc.source.lang, &config.permalink(path)),
                shown_path(&doc.source).display().to_string(),
            );
        }
    }
    for listing in site.listings().iter().filter(|l| l.total_pages > 1) {
        add(
            format!("{}page/1/index.html", listing.path),
            redirect(listing.lang, &config.permalink(listing.path)),
            "pagination".into(),
        );
    }

    let entries = sitemap_entries(site);
    for (path, xml) in sitemap::sitemaps(&entries, &config.base_url) {
        add(path, xml, "sitemap".into());
    }
    add(
        "robots.txt".into(),
        sitemap::robots(&config.permalink(sitemap::SITEMAP_FILE)),
        "robots.txt".into(),
    );
    for file in search::files(site, bodies) {
        add(file.path, file.text, file.origin);
    }
    files
}

/// A page that sends browsers and search engines to `target` (an absolute URL).
pub fn redirect(lang: &str, target: &str) -> String {
    let t = target
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n\
         <link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n\
         <p><a href=\"{t}\">{t}</a></p>\n</body>\n</html>\n"
    )
}

/// The feeds of the site (per language), of sections that ask for one and of the terms of
/// taxonomies that ask for them: (output path, XML, origin).
fn feeds(site: &Site, bodies: &Bodies) -> Vec<(String, String, String)> {
    let config = &site.config;
    // The feeds' inputs: a listing path, its title, language, and its pages (newest first).
    let mut listings: Vec<(String, String, String, Vec<usize>)> = Vec::new();
    for lang in &config.languages {
        let mut pages: Vec<usize> = (0..site.pages.len())
            .filter(|&i| {
                site.pages[i].doc.source.lang == lang.code && site.pages[i].doc.meta.date.is_some()
            })
            .collect();
        pages.sort_by(|&a, &b| {
            let (da, db) = (&site.pages[a].doc.meta.date, &site.pages[b].doc.meta.date);
            db.as_ref()
                .map(|d| d.timestamp())
                .cmp(&da.as_ref().map(|d| d.timestamp()))
        });
        listings.push((
            site.lang_prefix(&lang.code),
            lang.title.clone(),
            lang.code.clone(),
            pages,
        ));
    }
    for s in site.sections.iter().filter(|s| s.doc.meta.listing.feed) {
        let title = format!(
            "{} – {}",
            s.doc.meta.title.as_deref().unwrap_or_default(),
            config.title
        );
        listings.push((
            s.path.clone(),
            title,
            s.doc.source.lang.clone(),
            s.pages.clone(),
        ));
    }
    for index in &site.taxonomies {
        let taxonomy = &config.taxonomies[index.taxonomy];
        if !taxonomy.feed {
            continue;
        }
        for term in &index.terms {
            let title = format!("{} – {}", taxonomy.term_display(&term.name), config.title);
            listings.push((
                term.path.clone(),
                title,
                index.lang.clone(),
                term.pages.clone(),
            ));
        }
    }

    let mut out = Vec::new();
    for (base, title, lang, pages) in &listings {
        let pages = &pages[..pages.len().min(config.feeds.limit)];
        // Made for the pages a feed shows only: a listing can hold every page of the site.
        let addresses: Vec<(_, _, _, Cow<str>)> = pages
            .iter()
            .map(|&i| {
                let page = &site.pages[i];
                (
                    config.permalink(&page.path),
                    page.doc.meta.date.as_ref().map(rfc3339),
                    page.doc.meta.updated.as_ref().map(rfc3339),
                    bodies.pages[i].html.text(),
                )
            })
            .collect();
        let entries: Vec<FeedEntry> = pages
            .iter()
            .zip(&addresses)
            .map(|(&i, (permalink, date, updated, content))| {
                let doc = &site.pages[i].doc;
                let body = &bodies.pages[i];
                FeedEntry {
                    title: doc.meta.title.as_deref().unwrap_or_default(),
                    permalink,
                    date: date.as_deref(),
                    updated: updated.as_deref(),
                    summary: body.summary.as_deref(),
                    content,
                    categories: doc
                        .meta
                        .taxonomies
                        .values()
                        .flatten()
                        .map(String::as_str)
                        .collect(),
                }
            })
            .collect();
        let site_url = config.permalink(base);
        for (on, file, write) in [
            (
                config.feeds.atom,
                ATOM_FILE,
                feed::atom as fn(&Feed) -> String,
            ),
            (config.feeds.rss, RSS_FILE, feed::rss as fn(&Feed) -> String),
        ] {
            if !on {
                continue;
            }
            let path = format!("{base}{file}");
            let feed_url = config.permalink(&path);
            let feed = Feed {
                title,
                description: config.description.as_deref(),
                lang,
                feed_url: &feed_url,
                site_url: &site_url,
                entries: entries.clone(),
            };
            out.push((path.clone(), write(&feed), format!("feed {path}")));
        }
    }
    out
}

/// Every public page once: pages, sections and taxonomy pages (no pagination pages).
fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    let config = &site.config;
    let lastmod = |doc: &Document| {
        doc.meta
            .updated
            .as_ref()
            .or(doc.meta.date.as_ref())
            .map(rfc3339)
    };
    let mut entries: Vec<SitemapEntry> = site
        .sections
        .iter()
        .map(|s| SitemapEntry {
            loc: config.permalink(&s.path),
            lastmod: lastmod(&s.doc),
        })
        .chain(site.pages.iter().map(|p| SitemapEntry {
            loc: config.permalink(&p.path),
            lastmod: lastmod(&p.doc),
        }))
        .collect();
    for index in site
        .taxonomies
        .iter()
        .filter(|i| site.config.taxonomies[i.taxonomy].render)
    {
        entries.push(SitemapEntry {
            loc: config.permalink(&index.path),
            lastmod: None,
        });
        for term in &index.terms {
            entries.push(SitemapEntry {
                loc: config.permalink(&page_path(&term.path, 1)),
                lastmod: None,
            });
        }
    }
    entries.sort_by(|a, b| a.loc.cmp(&b.loc));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_page_points_to_the_target() {
        let html = redirect("it", "https://x.it/a/?b&c");
        assert!(html.contains(r#"<link rel="canonical" href="https://x.it/a/?b&amp;c">"#));
        assert!(html.contains(r#"content="0; url=https://x.it/a/?b&amp;c""#));
        assert!(html.contains("noindex"));
    }
}
