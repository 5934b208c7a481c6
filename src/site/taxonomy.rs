//! Taxonomies: which pages carry which term, per language, with the URLs of the list page
//! (`/municipio/`) and of each term (`/municipio/4/`).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::base::slug::slugify;
use crate::config::Config;
use crate::site::collate::{compare_pages, compare_text};
use crate::site::model::{Page, TaxonomyIndex, Term};

/// Groups the pages by term. Every taxonomy gets a list page in the default language; in
/// other languages only when a page uses it. Terms that differ only by case or accents are
/// one term. `titles` are the pages' titles folded for sorting (`collate::folded_titles`).
pub fn index(
    config: &Config,
    pages: &[Page],
    titles: &[String],
    lang_prefix: impl Fn(&str) -> String,
) -> Vec<TaxonomyIndex> {
    let mut result = Vec::new();
    for lang in &config.languages {
        for (t, taxonomy) in config.taxonomies.iter().enumerate() {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            // Most pages repeat a few terms: each is slugified once.
            let mut slugs: HashMap<&str, String> = HashMap::new();
            for (i, page) in pages.iter().enumerate() {
                if page.doc.source.lang != lang.code {
                    continue;
                }
                for name in page
                    .doc
                    .meta
                    .taxonomies
                    .get(&taxonomy.name)
                    .into_iter()
                    .flatten()
                {
                    // Terms without a publishable slug are errors of their file already.
                    let slug = slugs.entry(name.as_str()).or_insert_with(|| slugify(name));
                    match terms.get_mut(slug.as_str()) {
                        // Pages come in order: a term written twice on a page is the last one.
                        Some(term) => {
                            if term.pages.last() != Some(&i) {
                                term.pages.push(i);
                            }
                        }
                        None => {
                            let path =
                                format!("{}{}/{slug}/", lang_prefix(&lang.code), taxonomy.name);
                            let term = Term {
                                name: name.clone(),
                                path,
                                slug: slug.clone(),
                                pages: vec![i],
                            };
                            terms.insert(slug.clone(), term);
                        }
                    }
                }
            }
            if terms.is_empty() && lang.code != config.language {
                continue;
            }
            let mut terms: Vec<Term> = terms.into_values().collect();
            terms.sort_by(|a, b| compare_text(&a.name, &b.name));
            terms.par_iter_mut().for_each(|term| {
                term.pages.sort_by(|&a, &b| {
                    compare_pages(
                        (&pages[a].doc.meta, &titles[a]),
                        (&pages[b].doc.meta, &titles[b]),
                        taxonomy.sort_by,
                    )
                    .then_with(|| pages[a].path.cmp(&pages[b].path))
                });
            });
            result.push(TaxonomyIndex {
                taxonomy: t,
                lang: lang.code.clone(),
                path: format!("{}{}/", lang_prefix(&lang.code), taxonomy.name),
                terms,
            });
        }
    }
    result
}
