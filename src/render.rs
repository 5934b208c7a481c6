//! Rendering the site through Tera 2: one shared `Tera` with the theme's templates and wemi's
//! functions and filters, every page and section rendered in parallel into an [`OutputSet`].
//!
//! A template error becomes a diagnostic naming the template file, its line and column, and
//! the content file being rendered.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::content::document::shown_path;
use crate::date::{self, DateFormat};
use crate::error::Diagnostic;
use crate::output::{OutputFile, OutputSet};
use crate::site::Site;
use crate::theme::Theme;
use crate::view::SiteValues;

/// Tera with the theme loaded, and where each template came from.
pub struct Renderer {
    tera: Tera,
    template_paths: HashMap<String, PathBuf>,
}

/// Sets Tera up: functions and filters first (Tera checks templates against them), then the
/// templates.
pub fn renderer(
    theme: &Theme,
    site: &Site,
    values: &SiteValues,
) -> Result<Renderer, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    register(&mut tera, site, values);
    tera.global_context()
        .insert_value("config", values.config.clone());
    let template_paths: HashMap<String, PathBuf> = theme
        .templates
        .iter()
        .map(|t| (t.name.clone(), t.shown_path.clone()))
        .collect();
    let sources = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.text.as_str()));
    if let Err(err) = tera.add_raw_templates(sources) {
        return Err(template_errors(theme, &template_paths, err));
    }
    Ok(Renderer {
        tera,
        template_paths,
    })
}

/// Every syntax error of the templates (Tera stops at the first: each template is then
/// checked alone to find them all).
fn template_errors(
    theme: &Theme,
    paths: &HashMap<String, PathBuf>,
    first: tera::Error,
) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = theme
        .templates
        .iter()
        .filter_map(|t| {
            let mut alone = Tera::new();
            match alone.add_raw_template(&t.name, &t.text) {
                Err(e) if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) => {
                    Some(to_diagnostic(&e, paths, None))
                }
                _ => None,
            }
        })
        .collect();
    if errors.is_empty() {
        errors.push(to_diagnostic(&first, paths, None));
    }
    errors
}

/// Turns a Tera error into a diagnostic on the template file.
fn to_diagnostic(
    err: &tera::Error,
    paths: &HashMap<String, PathBuf>,
    rendering: Option<&str>,
) -> Diagnostic {
    let suffix = rendering
        .map(|r| format!(" (while rendering {r})"))
        .unwrap_or_default();
    let path_of = |name: &str| {
        paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(name))
    };
    match err.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let mut message = report.message().to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            Diagnostic::new(path_of(report.filename()), format!("{message}{suffix}"))
                .at(span.start_line, span.start_col + 1)
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::new(
            path_of(current),
            format!("this template extends `{parent}`, which does not exist{suffix}"),
        )
        .hint("check the name in {% extends %}"),
        tera::ErrorKind::TemplateNotFound(name) => Diagnostic::new(
            rendering.map_or_else(|| PathBuf::from("templates"), PathBuf::from),
            format!("the template `{name}` does not exist"),
        )
        .hint("add it to the theme's templates/ folder, or fix the name"),
        other => Diagnostic::new(
            rendering.map_or_else(|| PathBuf::from("templates"), PathBuf::from),
            format!("template error: {other}"),
        ),
    }
}

fn register(tera: &mut Tera, site: &Site, values: &SiteValues) {
    let pages: Arc<HashMap<String, Value>> = Arc::new(
        site.pages
            .iter()
            .zip(&values.pages)
            .map(|(p, v)| (p.doc.source.relative.clone(), v.clone()))
            .collect(),
    );
    let sections: Arc<HashMap<String, Value>> = Arc::new(
        site.sections
            .iter()
            .zip(&values.sections)
            .map(|(s, v)| (s.doc.source.relative.clone(), v.clone()))
            .collect(),
    );
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        pages.get(path).cloned().ok_or_else(|| {
            tera::Error::message(format!(
                "get_page: there is no published page content/{path}"
            ))
        })
    });
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let key = if path.ends_with(".md") {
            path.to_string()
        } else if path.trim_matches('/').is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", path.trim_matches('/'))
        };
        sections.get(&key).cloned().ok_or_else(|| {
            tera::Error::message(format!("get_section: there is no section content/{key}"))
        })
    });
    let config = site.config.clone();
    tera.register_function("url", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        Ok::<_, tera::Error>(config.url(path))
    });
    tera.register_filter("date", |value: &str, kwargs: Kwargs, state: &State| {
        let format_name: &str = kwargs.get("format")?.unwrap_or("long");
        let format = DateFormat::from_name(format_name).ok_or_else(|| {
            tera::Error::message(format!(
                "date: unknown format `{format_name}` (use long, full, short, time or iso)"
            ))
        })?;
        let lang: String = match kwargs.get::<&str>("lang")? {
            Some(l) => l.to_string(),
            None => state.get::<String>("lang")?.unwrap_or_else(|| "it".into()),
        };
        date::format(value, format, &lang).map_err(tera::Error::message)
    });
    tera.register_filter("tel", |value: &str, _: Kwargs, _: &State| tel_url(value));
}

/// "02 8845 8041" → `tel:+390288458041`; an Italian number gets the +39 prefix.
pub fn tel_url(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if number.trim_start().starts_with('+') {
        format!("tel:+{digits}")
    } else if let Some(rest) = digits.strip_prefix("0039") {
        format!("tel:+39{rest}")
    } else {
        format!("tel:+39{digits}")
    }
}

/// One thing to render: a template, its variables and where the result goes.
struct Job<'a> {
    template: String,
    output: String,
    origin: PathBuf,
    lang: &'a str,
    path: &'a str,
    object: Option<(&'static str, Value)>,
}

/// A rendered job.
struct Rendered {
    output: String,
    bytes: Vec<u8>,
    origin: PathBuf,
}

/// Renders every page, section and the 404 page.
pub fn render(
    site: &Site,
    values: &SiteValues,
    renderer: &Renderer,
) -> Result<OutputSet, Vec<Diagnostic>> {
    let tera = &renderer.tera;
    let mut errors = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    for (page, value) in site.pages.iter().zip(&values.pages) {
        let top = top_folder(&page.doc.source.relative);
        match choose(tera, page.doc.meta.template.as_deref(), top, "page.html") {
            Ok(template) => jobs.push(Job {
                template,
                output: format!("{}index.html", page.path),
                origin: shown_path(&page.doc.source),
                lang: &page.doc.source.lang,
                path: &page.path,
                object: Some(("page", value.clone())),
            }),
            Err(msg) => errors.push(Diagnostic::new(shown_path(&page.doc.source), msg)),
        }
    }
    for (section, value) in site.sections.iter().zip(&values.sections) {
        let relative = &section.doc.source.relative;
        let chosen = if section.doc.source.folder().is_empty() {
            choose(
                tera,
                section.doc.meta.template.as_deref(),
                None,
                "index.html",
            )
        } else {
            choose(
                tera,
                section.doc.meta.template.as_deref(),
                top_folder(relative),
                "section.html",
            )
        };
        match chosen {
            Ok(template) => jobs.push(Job {
                template,
                output: format!("{}index.html", section.path),
                origin: shown_path(&section.doc.source),
                lang: &section.doc.source.lang,
                path: &section.path,
                object: Some(("section", value.clone())),
            }),
            Err(msg) => errors.push(Diagnostic::new(shown_path(&section.doc.source), msg)),
        }
    }
    if tera.contains_template("404.html") {
        jobs.push(Job {
            template: "404.html".into(),
            output: "404.html".into(),
            origin: PathBuf::from("404.html"),
            lang: &site.config.language,
            path: "404.html",
            object: None,
        });
    }

    let rendered: Vec<Result<Rendered, Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| {
            let mut context = Context::new();
            context.insert("lang", job.lang);
            context.insert("current_path", &site.config.url(job.path));
            context.insert("current_url", &site.config.permalink(job.path));
            if let Some((name, value)) = job.object {
                context.insert_value(name, value);
            }
            let origin = job.origin.display().to_string();
            tera.render(&job.template, &context)
                .map(|html| Rendered {
                    output: job.output,
                    bytes: html.into_bytes(),
                    origin: job.origin,
                })
                .map_err(|e| to_diagnostic(&e, &renderer.template_paths, Some(&origin)))
        })
        .collect();

    let mut set = OutputSet::default();
    for r in rendered {
        match r {
            Ok(r) => {
                let origin = r.origin.display().to_string();
                if let Err(d) = set.insert(r.output, OutputFile::Rendered(r.bytes), origin) {
                    errors.push(d);
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

/// The first folder of a content path (`spazi` for `spazi/a/b.md`), if it has one.
fn top_folder(relative: &str) -> Option<&str> {
    relative.split_once('/').map(|(top, _)| top)
}

/// The template for a document: the explicit one, else `<top>/<fallback>`, else `<fallback>`.
fn choose(
    tera: &Tera,
    explicit: Option<&str>,
    top: Option<&str>,
    fallback: &str,
) -> Result<String, String> {
    if let Some(name) = explicit {
        return if tera.contains_template(name) {
            Ok(name.to_string())
        } else {
            Err(format!(
                "`template: {name}` names a template that does not exist; the theme has: {}",
                tera.get_template_names().collect::<Vec<_>>().join(", ")
            ))
        };
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
        Err(format!(
            "the theme has no `{fallback}` template to render this file with"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_urls() {
        assert_eq!(tel_url("02 8845 8041"), "tel:+390288458041");
        assert_eq!(tel_url("+39 02 8845 8041"), "tel:+390288458041");
        assert_eq!(tel_url("0039 02 8845 8041"), "tel:+390288458041");
    }
}
