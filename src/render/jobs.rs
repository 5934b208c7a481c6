//! Rendering every page, section (paginated), taxonomy page, the 404 page and the files of
//! `outputs:` in `site.yaml` through the theme's templates, in parallel, into an
//! [`OutputSet`]: one job per output file, its template chosen by the page's `template:`, its
//! section or the kind of page, or named by the output.

use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::base::error::{Code, Diagnostic, values_or_errors};
use crate::base::i18n::Text;
use crate::base::i18n::msg;
use crate::base::markup::is_page_template;
use crate::base::progress::{Phase, Progress};
use crate::content::document::{Document, shown_path};
use crate::output::{self, Keeping, OutputFile, OutputPath, OutputSet};
use crate::render::bodies::{Bodies, Body};
use crate::render::templates::Renderer;
use crate::render::view::{self, SiteValues};
use crate::site::{Page, Site};

/// One thing to render: a template, its variables and where the result goes.
#[derive(Clone)]
struct Job<'a> {
    template: String,
    /// Site path of what is rendered: a folder (`spazi/x/`, whose `index.html` it writes) or,
    /// for an output of `site.yaml`, a file (`spazi/spazi.csv`).
    path: String,
    origin: PathBuf,
    /// Where in `origin` what asks for this file is written (an entry of `outputs:`), when
    /// the file is not the whole of it.
    position: Option<(usize, usize)>,
    lang: &'a str,
    objects: Vec<(&'static str, Value)>,
    /// For a page, its index in the site's pages and its body when its `page` object is the
    /// page as listed, to be completed for its own template when the job runs
    /// ([`view::own_page`]): so only the pages being rendered hold their whole body and what
    /// else only their own template sees.
    own_page: Option<(usize, &'a Body)>,
    /// How many entries the page lists (0 for a page of content): a measure of its cost.
    listed: usize,
}

/// A rendered job.
struct Rendered {
    output: OutputPath,
    file: OutputFile,
    origin: PathBuf,
    position: Option<(usize, usize)>,
}

/// One job per listing page of a listing of `items`, made from `first` (the job of page 1,
/// whose `path` is the listing's); `per_page` `None` puts every item on one page.
fn paginated<'a>(
    site: &Site,
    first: Job<'a>,
    items: &[Value],
    per_page: Option<usize>,
) -> Vec<Job<'a>> {
    let per_page = per_page.unwrap_or(items.len());
    let pagination = view::Pagination::new(&site.config, &first.path, items, per_page);
    (1..=pagination.total_pages)
        .map(|number| {
            let mut job = first.clone();
            job.objects
                .push(("paginator", pagination.paginator(number)));
            job.path = view::page_path(&first.path, number);
            job.listed = items
                .len()
                .saturating_sub((number - 1) * per_page)
                .min(per_page);
            job
        })
        .collect()
}

/// The job of page `index`, with its template; `value` is its `page` object: as listed when
/// its `body` is given (completed when the job runs), else whole.
fn page_job<'a>(
    tera: &Tera,
    (index, page): (usize, &'a Page),
    value: &Value,
    body: Option<&'a Body>,
) -> Result<Job<'a>, Diagnostic> {
    let top = top_folder(&page.doc.source.relative);
    let template = choose(tera, page.doc.meta.template.as_deref(), top, "page.html")
        .map_err(|msg| missing_template(&page.doc, msg))?;
    Ok(Job {
        template,
        path: page.path.clone(),
        origin: shown_path(&page.doc.source),
        position: None,
        lang: &page.doc.source.lang,
        objects: vec![("page", value.clone())],
        own_page: body.map(|body| (index, body)),
        listed: 0,
    })
}

impl Job<'_> {
    /// The output file the job renders: `<site path>index.html`, or the file it names.
    fn output(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }

    /// `d` placed at this job's entry in its origin, when it has one.
    fn located(&self, d: Diagnostic) -> Diagnostic {
        located(d, self.position)
    }
}

/// `d` at `position`, when there is one.
fn located(d: Diagnostic, position: Option<(usize, usize)>) -> Diagnostic {
    match position {
        Some((line, column)) => d.at(line, column),
        None => d,
    }
}

/// Renders `job`: its HTML.
fn run_job(site: &Site, renderer: &Renderer, job: Job) -> Result<Vec<u8>, Diagnostic> {
    let mut context = Context::new();
    context.insert("lang", job.lang);
    context.insert("current_path", &site.config.url(&job.path));
    context.insert("current_url", &site.config.permalink(&job.path));
    for (name, value) in job.objects {
        let value = match job.own_page {
            Some((index, body)) if name == "page" => {
                let doc = &site.pages[index].doc;
                view::own_page(site, index, doc, body, &value)
                    .map_err(|e| view::values_error(doc, &e))?
            }
            _ => value,
        };
        context.insert_value(name, value);
    }
    // Bytes, not a `String`: they go to a file, so checking them as UTF-8 would be wasted.
    let mut html = Vec::with_capacity(8 * 1024);
    let origin = job.origin.display().to_string();
    renderer
        .tera()
        .render_to(&job.template, &context, &mut html)
        .map_err(|e| renderer.diagnostic(&e, Some(&origin)))?;
    Ok(html)
}

/// Renders page `index` of `site` alone, seen as `value` (as its own template sees it,
/// [`view::page_alone`]): its output path and bytes.
pub fn render_page(
    site: &Site,
    index: usize,
    value: &Value,
    renderer: &Renderer,
) -> Result<(String, Vec<u8>), Diagnostic> {
    let job = page_job(renderer.tera(), (index, &site.pages[index]), value, None)?;
    let output = job.output();
    Ok((output, run_job(site, renderer, job)?))
}

/// Renders every page, section (paginated), taxonomy page, the 404 page and the outputs of
/// `site.yaml`, each file kept as `keeping` says (staged on disk as soon as it is rendered,
/// for a build). The outputs come last, so that one that takes the file of a page is the one reported.
pub fn render(
    site: &Site,
    values: &SiteValues,
    bodies: &Bodies,
    renderer: &Renderer,
    keeping: Keeping,
    progress: &Progress,
) -> Result<OutputSet, Vec<Diagnostic>> {
    let tera = renderer.tera();
    let mut errors = Vec::new();
    let mut jobs = page_jobs(site, values, bodies, tera, &mut errors);
    jobs.extend(section_jobs(site, values, tera, &mut errors));
    jobs.extend(taxonomy_jobs(site, values, tera, &mut errors));
    let outputs = output_jobs(site, tera, &mut errors);
    progress.start(Phase::Render, jobs.len() + outputs.len());
    let mut rendered = run_jobs(site, renderer, jobs, keeping, progress, &mut errors)?;
    rendered.extend(not_found_page(site, renderer));
    // The outputs stay in memory until the build commits, as the files made without templates
    // do: one that takes the name of a page's folder is refused by the output set below,
    // before anything is written there.
    rendered.extend(run_jobs(
        site,
        renderer,
        outputs,
        Keeping::Memory,
        progress,
        &mut errors,
    )?);
    let mut set = OutputSet::default();
    for r in rendered {
        match r {
            Ok(r) => {
                let origin = r.origin.display().to_string();
                if let Err(d) = set.insert(r.output, r.file, origin) {
                    errors.push(located(d, r.position));
                }
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(set)
}

/// The job of every page, with `bodies`.
fn page_jobs<'s>(
    site: &'s Site,
    values: &SiteValues,
    bodies: &'s Bodies,
    tera: &Tera,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Job<'s>> {
    let page_jobs: Vec<Result<Job, Diagnostic>> = site
        .pages
        .par_iter()
        .enumerate()
        .zip(&values.pages)
        .zip(&bodies.pages)
        .map(|((page, value), body)| page_job(tera, page, value, Some(body)))
        .collect();
    values_or_errors(page_jobs, errors)
}

/// The values of `pages` (indices in the site's pages), for a listing.
fn listed(values: &SiteValues, pages: &[usize]) -> Vec<Value> {
    pages.iter().map(|&i| values.pages[i].clone()).collect()
}

/// The jobs of every section: one per listing page.
fn section_jobs<'s>(
    site: &'s Site,
    values: &SiteValues,
    tera: &Tera,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Job<'s>> {
    let mut jobs = Vec::new();
    for (section, value) in site.sections.iter().zip(&values.sections) {
        let relative = &section.doc.source.relative;
        let explicit = section.doc.meta.template.as_deref();
        let chosen = if section.doc.source.folder().is_empty() {
            choose(tera, explicit, None, "index.html")
        } else {
            choose(tera, explicit, top_folder(relative), "section.html")
        };
        let template = match chosen {
            Ok(template) => template,
            Err(msg) => {
                errors.push(missing_template(&section.doc, msg));
                continue;
            }
        };
        let items = listed(values, &section.pages);
        let first = Job {
            template,
            path: section.path.clone(),
            origin: shown_path(&section.doc.source),
            position: None,
            lang: &section.doc.source.lang,
            objects: vec![("section", value.clone())],
            own_page: None,
            listed: 0,
        };
        jobs.extend(paginated(
            site,
            first,
            &items,
            section.doc.meta.listing.paginate_by,
        ));
    }
    jobs
}

/// The jobs of every taxonomy that is rendered: its list of terms, and one per listing page
/// of each term.
fn taxonomy_jobs<'s>(
    site: &'s Site,
    values: &SiteValues,
    tera: &Tera,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Job<'s>> {
    let mut jobs = Vec::new();
    for (index, (taxonomy_value, terms)) in site.taxonomies.iter().zip(&values.taxonomies) {
        let taxonomy = &site.config.taxonomies[index.taxonomy];
        if !taxonomy.render {
            continue;
        }
        let origin = PathBuf::from(crate::base::layout::CONFIG_FILE);
        let list = choose_taxonomy(tera, &taxonomy.name, "list.html", "taxonomy_list.html");
        let single = choose_taxonomy(tera, &taxonomy.name, "single.html", "taxonomy_single.html");
        let (list, single) = match (list, single) {
            (Ok(list), Ok(single)) => (list, single),
            (list, single) => {
                for msg in [list.err(), single.err()].into_iter().flatten() {
                    errors.push(
                        Diagnostic::new(Code::TemplateMissing, &origin, msg).hint(msg!(
                            "add the template to the theme, or remove the taxonomy `{name}`",
                            name = taxonomy.name
                        )),
                    );
                }
                continue;
            }
        };
        jobs.push(Job {
            template: list,
            path: index.path.clone(),
            origin: origin.clone(),
            position: None,
            lang: &index.lang,
            objects: vec![("taxonomy", taxonomy_value.clone())],
            own_page: None,
            listed: index.terms.len(),
        });
        for (term, term_value) in index.terms.iter().zip(terms) {
            let items = listed(values, &term.pages);
            let first = Job {
                template: single.clone(),
                path: term.path.clone(),
                origin: origin.clone(),
                position: None,
                lang: &index.lang,
                objects: vec![
                    ("taxonomy", taxonomy_value.clone()),
                    ("term", term_value.clone()),
                ],
                own_page: None,
                listed: 0,
            };
            jobs.extend(paginated(site, first, &items, taxonomy.paginate_by));
        }
    }
    jobs
}

/// The job of each file of `outputs:` in `site.yaml`: its template renders it with the
/// variables of every template (`config`, `data`, `lang` the default language, `current_path`,
/// `current_url`) and finds the site with `get_section` and `get_page`.
fn output_jobs<'s>(site: &'s Site, tera: &Tera, errors: &mut Vec<Diagnostic>) -> Vec<Job<'s>> {
    let origin = PathBuf::from(crate::base::layout::CONFIG_FILE);
    let mut jobs = Vec::new();
    for output in &site.config.outputs {
        let job = Job {
            template: output.template.clone(),
            path: output.path.clone(),
            origin: origin.clone(),
            position: output.position,
            lang: &site.config.language,
            objects: Vec::new(),
            own_page: None,
            listed: 0,
        };
        match named(tera, &output.template, |_| true) {
            Ok(_) => jobs.push(job),
            Err(msg) => {
                errors.push(job.located(Diagnostic::new(Code::TemplateMissing, &origin, msg)))
            }
        }
    }
    jobs
}

/// Runs `jobs` in parallel, each file kept as `keeping` says: the results in the jobs'
/// order. A job whose output path cannot be written is an error in `errors`.
fn run_jobs(
    site: &Site,
    renderer: &Renderer,
    jobs: Vec<Job>,
    keeping: Keeping,
    progress: &Progress,
    errors: &mut Vec<Diagnostic>,
) -> Result<Vec<Result<Rendered, Diagnostic>>, Vec<Diagnostic>> {
    // The longest listings start first, so that no core is left alone with one at the end;
    // the results are put back in the jobs' order.
    let mut jobs: Vec<(usize, OutputPath, Job)> = jobs
        .into_iter()
        .enumerate()
        .filter_map(
            |(order, job)| match output::checked(&job.output(), &job.origin) {
                Ok(output) => Some((order, output, job)),
                Err(d) => {
                    errors.push(job.located(d));
                    None
                }
            },
        )
        .collect();
    jobs.sort_by_key(|(_, _, job)| std::cmp::Reverse(job.listed));
    if let Keeping::Staged(stage) = keeping {
        // The journal learns of every page before the first one is written.
        stage
            .plan(jobs.iter().map(|(_, output, _)| output))
            .map_err(|d| vec![d])?;
    }
    let mut rendered: Vec<(usize, Result<Rendered, Diagnostic>)> = jobs
        .into_par_iter()
        .with_max_len(crate::base::PARALLEL_BATCH)
        .map(|(order, output, job)| {
            let (origin, position) = (job.origin.clone(), job.position);
            let rendered = run_job(site, renderer, job).and_then(|html| {
                let file = output::keep(keeping, &output, html)?;
                Ok(Rendered {
                    output,
                    file,
                    origin,
                    position,
                })
            });
            progress.step();
            (order, rendered)
        })
        .collect();
    rendered.sort_unstable_by_key(|(order, _)| *order);
    Ok(rendered.into_iter().map(|(_, r)| r).collect())
}

/// The 404 page, when the theme has a `404.html`.
fn not_found_page(site: &Site, renderer: &Renderer) -> Option<Result<Rendered, Diagnostic>> {
    let tera = renderer.tera();
    if !tera.contains_template("404.html") {
        return None;
    }
    let mut context = Context::new();
    context.insert("lang", &site.config.language);
    context.insert("current_path", &site.config.url("404.html"));
    context.insert("current_url", &site.config.permalink("404.html"));
    let rendered = tera
        .render("404.html", &context)
        .map(|html| Rendered {
            output: OutputPath::new("404.html").expect("a plain name"),
            file: OutputFile::Rendered(html.into_bytes()),
            origin: PathBuf::from("404.html"),
            position: None,
        })
        .map_err(|e| renderer.diagnostic(&e, Some("404.html")));
    Some(rendered)
}

/// The template of a taxonomy page: `<taxonomy>/<name>`, else `<fallback>`.
fn choose_taxonomy(
    tera: &Tera,
    taxonomy: &str,
    name: &str,
    fallback: &str,
) -> Result<String, Text> {
    let specific = format!("{taxonomy}/{name}");
    if tera.contains_template(&specific) {
        Ok(specific)
    } else if tera.contains_template(fallback) {
        Ok(fallback.to_string())
    } else {
        Err(msg!(
            "the theme has neither `{specific}` nor `{fallback}` to render the taxonomy `{taxonomy}`",
            specific = specific,
            fallback = fallback,
            taxonomy = taxonomy
        ))
    }
}

/// The error of `doc`, whose template is missing: at its `template:` line when it names one.
fn missing_template(doc: &Document, message: Text) -> Diagnostic {
    let error = Diagnostic::new(Code::TemplateMissing, shown_path(&doc.source), message);
    match doc.meta.template_line {
        Some(line) => error.at(line, 1),
        None => error,
    }
}

/// The first folder of a content path (`spazi` for `spazi/a/b.md`), if it has one.
fn top_folder(relative: &str) -> Option<&str> {
    relative.split_once('/').map(|(top, _)| top)
}

/// The template `name`, when the theme has it; else, in an error, the theme's templates that
/// could take its place (those `fits`).
fn named(tera: &Tera, name: &str, fits: fn(&str) -> bool) -> Result<String, Text> {
    if tera.contains_template(name) {
        Ok(name.to_string())
    } else {
        Err(msg!(
            "`template: {name}` names a template that does not exist; the theme has: {names}",
            name = name,
            names = {
                let mut names: Vec<&str> = tera.get_template_names().filter(|n| fits(n)).collect();
                names.sort_unstable();
                names.join(", ")
            }
        ))
    }
}

/// The template for a document: the explicit one, else `<top>/<fallback>`, else `<fallback>`.
fn choose(
    tera: &Tera,
    explicit: Option<&str>,
    top: Option<&str>,
    fallback: &str,
) -> Result<String, Text> {
    if let Some(name) = explicit {
        return named(tera, name, is_page_template);
    }
    if let Some(top) = top {
        let specific = format!("{top}/{fallback}");
        if tera.contains_template(&specific) {
            return Ok(specific);
        }
    }
    if tera.contains_template(fallback) {
        Ok(fallback.to_string())
    } else {
        Err(msg!(
            "the theme has no `{template}` template to render this file with",
            template = fallback
        ))
    }
}
