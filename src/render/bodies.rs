//! Finishing the pages: each page's and section's final HTML, made from the assembled site
//! (which stays as it is): `@/…` links resolved to URLs, then shortcode calls rendered with
//! the theme. Views, feeds and `wemi serve`'s one-page preview all take their HTML from here.
//!
//! A shortcode `name` is the theme's template `shortcodes/<name>.html`. When that template
//! defines the component `shortcodes.<name>`, the component is what is rendered, and the
//! arguments it declares are checked against every call before anything is rendered: an
//! argument it does not have, or a required one missing, is an error at the call's line.
//!
//! A body without links or shortcodes is its document's own HTML, shared, not copied.

use rayon::prelude::*;
use tera::{ComponentInfo, Context, Tera};

use crate::base::error::{Code, Diagnostic, closest};
use crate::base::i18n::{Text, msg};
use crate::content::document::{Document, LocatedCall, shown_path};
use crate::content::theme::Theme;
use crate::markdown::{BodyHtml, SharedHtml, shortcodes};
use crate::render::templates::{Renderer, Templates};
use crate::site::Site;
use crate::site::links::{LinkTargets, Unparsed, fill_hrefs};

/// The final HTML of a page or section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The whole body.
    pub html: BodyHtml,
    /// What comes before `<!-- more -->`, else the first paragraph; `None` when empty.
    pub summary: Option<SharedHtml>,
}

impl Body {
    /// The body of `doc` as markdown made it.
    fn of(doc: &Document) -> Body {
        Body {
            html: doc.body.html.clone(),
            summary: doc.body.summary.clone(),
        }
    }

    /// The body with `change` made to its HTML and summary.
    fn map(self, change: impl Fn(&str) -> String) -> Body {
        Body {
            html: self.html.with_text(change(&self.html.text())),
            summary: self.summary.map(|s| SharedHtml::from(change(&s))),
        }
    }
}

/// The bodies of a whole site.
#[derive(Debug)]
pub struct Bodies {
    /// One per page, in the order of [`Site::pages`].
    pub pages: Vec<Body>,
    /// One per section, in the order of [`Site::sections`].
    pub sections: Vec<Body>,
}

impl Bodies {
    /// Every body of `site` with its links resolved, and an error per broken link.
    pub fn linked(site: &Site, unparsed: &Unparsed) -> (Bodies, Vec<Diagnostic>) {
        let link = |doc| linked(doc, &site.links, unparsed);
        let mut errors = Vec::new();
        let pages = site.pages.par_iter().map(|p| link(&p.doc)).collect();
        let sections = site.sections.par_iter().map(|s| link(&s.doc)).collect();
        let bodies = Bodies {
            pages: gathered(pages, &mut errors),
            sections: gathered(sections, &mut errors),
        };
        (bodies, errors)
    }

    /// Whether some page or section calls a shortcode.
    pub fn have_shortcodes(site: &Site) -> bool {
        site.documents().any(|doc| !doc.shortcodes.is_empty())
    }

    /// The summary of each page of `site` that calls a shortcode, with its index: what
    /// [`Bodies::with_shortcodes`] may change of the bodies that values of pages hold.
    pub fn shortcode_summaries(&self, site: &Site) -> Vec<(usize, Option<SharedHtml>)> {
        (site.pages.iter().zip(&self.pages).enumerate())
            .filter(|(_, (page, _))| !page.doc.shortcodes.is_empty())
            .map(|(i, (_, body))| (i, body.summary.clone()))
            .collect()
    }

    /// Whether these bodies' pages have the `summaries` ([`Bodies::shortcode_summaries`]).
    pub fn same_summaries(&self, summaries: &[(usize, Option<SharedHtml>)]) -> bool {
        summaries
            .iter()
            .all(|(i, summary)| self.pages[*i].summary == *summary)
    }

    /// These bodies (of `site`) with their shortcodes rendered by `renderer`, and an error
    /// per call that failed (its body then stays as it was).
    pub fn with_shortcodes(self, site: &Site, renderer: &Renderer) -> (Bodies, Vec<Diagnostic>) {
        let render =
            |doc, path: &str, body| with_shortcodes(doc, &site.config.url(path), body, renderer);
        let mut errors = Vec::new();
        let pages = (site.pages.par_iter().zip(self.pages))
            .map(|(p, body)| render(&p.doc, &p.path, body))
            .collect();
        let sections = (site.sections.par_iter().zip(self.sections))
            .map(|(s, body)| render(&s.doc, &s.path, body))
            .collect();
        let bodies = Bodies {
            pages: gathered(pages, &mut errors),
            sections: gathered(sections, &mut errors),
        };
        (bodies, errors)
    }
}

/// The final body of `doc`, a page at the root-relative URL `current_path` of a site whose
/// link targets are `links`, shortcodes rendered by `renderer`: what `wemi serve` shows of a
/// page whose text was just edited.
pub fn finish(
    doc: &Document,
    current_path: &str,
    links: &LinkTargets,
    renderer: &Renderer,
) -> Result<Body, Vec<Diagnostic>> {
    let (body, mut errors) = linked(doc, links, &Unparsed::default());
    let (body, shortcode_errors) = with_shortcodes(doc, current_path, body, renderer);
    errors.extend(shortcode_errors);
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// The bodies of `done`, their errors moved to `errors`.
fn gathered(done: Vec<(Body, Vec<Diagnostic>)>, errors: &mut Vec<Diagnostic>) -> Vec<Body> {
    done.into_iter()
        .map(|(body, mut e)| {
            errors.append(&mut e);
            body
        })
        .collect()
}

/// The body of `doc` with its `@/…` links resolved; a broken one keeps its placeholder (the
/// build stops on its error anyway).
fn linked(doc: &Document, links: &LinkTargets, unparsed: &Unparsed) -> (Body, Vec<Diagnostic>) {
    let body = Body::of(doc);
    if doc.internal_links.is_empty() {
        return (body, Vec::new());
    }
    let (hrefs, errors) = links.hrefs(&doc.source, &doc.internal_links, unparsed);
    (body.map(|html| fill_hrefs(html, &hrefs)), errors)
}

/// `body` (of `doc`, published at the root-relative URL `current_path`) with the shortcode
/// calls of `doc` rendered with the theme's `shortcodes/<name>.html` in place of their
/// placeholders.
fn with_shortcodes(
    doc: &Document,
    current_path: &str,
    body: Body,
    renderer: &Renderer,
) -> (Body, Vec<Diagnostic>) {
    if doc.shortcodes.is_empty() {
        return (body, Vec::new());
    }
    match render_shortcodes(doc, current_path, renderer) {
        Ok(rendered) => (
            body.map(|html| shortcodes::substitute(html, &rendered)),
            Vec::new(),
        ),
        Err(errors) => (body, errors),
    }
}

/// An error for every shortcode call of `site` whose template `theme` does not have, and,
/// when the templates could be loaded, for every argument a call gives that the shortcode's
/// component does not declare or leaves out that it requires: what is checked of shortcodes
/// when they cannot be rendered.
pub fn check_calls(site: &Site, theme: &Theme, templates: Option<&Templates>) -> Vec<Diagnostic> {
    let names = || theme.templates.iter().map(|t| t.name.as_str());
    site.documents()
        .flat_map(|doc| doc.shortcodes.iter().map(move |located| (doc, located)))
        .flat_map(|(doc, located)| {
            let template = template_of(&located.call);
            if !names().any(|name| name == template) {
                return vec![unknown(doc, located, names())];
            }
            let component = templates.and_then(|t| component_of(t.tera(), &located.call));
            component.map_or_else(Vec::new, |info| argument_errors(doc, located, &info))
        })
        .collect()
}

/// The template of a shortcode call.
fn template_of(call: &shortcodes::Call) -> String {
    format!("shortcodes/{}.html", call.name)
}

/// The name of the component a shortcode's template may define.
fn component_name(call: &shortcodes::Call) -> String {
    format!("shortcodes.{}", call.name)
}

/// The component of a shortcode call, when its template defines one.
fn component_of(tera: &Tera, call: &shortcodes::Call) -> Option<ComponentInfo> {
    tera.get_component_definition(&component_name(call))
}

/// An error for each argument of a call of `doc` that the shortcode's component `info` does
/// not declare, and for each one it requires that the call leaves out.
fn argument_errors(doc: &Document, located: &LocatedCall, info: &ComponentInfo) -> Vec<Diagnostic> {
    let call = &located.call;
    let name = &call.name;
    let at = |message: Text, hint: Text| {
        Diagnostic::new(Code::ShortcodeArgument, shown_path(&doc.source), message)
            .at(located.line, located.column)
            .hint(hint)
    };
    let declared: Vec<&str> = info.args().iter().map(|arg| arg.name()).collect();
    let explicit: Vec<&str> = (info.args().iter())
        .filter(|arg| !arg.is_implicit())
        .map(|arg| arg.name())
        .collect();
    let known = explicit.join(", ");
    let unknown: Vec<(&String, Option<&str>)> = (call.args.keys())
        .filter(|key| info.rest_param().is_none() && !declared.contains(&key.as_str()))
        .map(|key| (key, closest(key, explicit.iter().copied())))
        .collect();
    // A required argument that a misspelt one stands for is not reported missing as well.
    let missing = (info.args().iter())
        .filter(|arg| arg.is_required() && !call.args.contains_key(arg.name()))
        .filter(|arg| !unknown.iter().any(|(_, best)| *best == Some(arg.name())))
        .map(|arg| {
            at(
                msg!(
                    "the shortcode `{name}` needs the argument `{key}`",
                    name = name,
                    key = arg.name()
                ),
                msg!(
                    "add it, as in {name}({key}=\"…\")",
                    name = name,
                    key = arg.name()
                ),
            )
        });
    let unknown = unknown.iter().map(|(key, best)| {
        let hint = match best {
            Some(best) => msg!(
                "did you mean `{best}`? The arguments of `{name}` are: {known}",
                best = best,
                name = name,
                known = known
            ),
            None if explicit.is_empty() => {
                msg!("the shortcode `{name}` takes no arguments", name = name)
            }
            None => msg!(
                "the arguments of `{name}` are: {known}",
                name = name,
                known = known
            ),
        };
        at(
            msg!(
                "the shortcode `{name}` has no argument `{key}`",
                name = name,
                key = key
            ),
            hint,
        )
    });
    unknown.chain(missing).collect()
}

/// The error of a call of `doc` to a shortcode the theme, whose templates are `templates`,
/// does not have.
fn unknown<'t>(
    doc: &Document,
    located: &LocatedCall,
    templates: impl Iterator<Item = &'t str>,
) -> Diagnostic {
    let name = &located.call.name;
    let mut known: Vec<&str> = templates
        .filter_map(|n| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
        .collect();
    known.sort_unstable();
    let hint = match closest(name, known.iter().copied()) {
        Some(best) => msg!("did you mean `{best}`?", best = best),
        None => msg!(
            "the theme's shortcodes are: {names}",
            names = known.join(", ")
        ),
    };
    Diagnostic::new(
        Code::ShortcodeUnknown,
        shown_path(&doc.source),
        msg!("there is no shortcode `{name}`", name = name),
    )
    .at(located.line, located.column)
    .hint(hint)
}

/// The HTML of each shortcode call of `doc`, in order, or an error per call that failed. A
/// shortcode sees `lang` and `current_path` (the page's URL, from which `resize_image` finds
/// the images beside the page); a component declares them as `@lang`, `@current_path`.
fn render_shortcodes(
    doc: &Document,
    current_path: &str,
    renderer: &Renderer,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let tera = renderer.tera();
    let mut errors = Vec::new();
    let mut rendered = Vec::with_capacity(doc.shortcodes.len());
    for located in &doc.shortcodes {
        let call = &located.call;
        let at = |code, message: Text| {
            Diagnostic::new(code, shown_path(&doc.source), message).at(located.line, located.column)
        };
        let template = template_of(call);
        if !tera.contains_template(&template) {
            errors.push(unknown(doc, located, tera.get_template_names()));
            continue;
        }
        let component = component_of(tera, call);
        if let Some(info) = &component {
            let mut wrong = argument_errors(doc, located, info);
            if !wrong.is_empty() {
                errors.append(&mut wrong);
                continue;
            }
        }
        let mut context = Context::new();
        for (name, value) in &call.args {
            context.insert(name.clone(), value);
        }
        let rendering = if component.is_some() {
            let mut implicit = Context::new();
            implicit.insert("lang", &doc.source.lang);
            implicit.insert("current_path", current_path);
            tera.render_component_with_implicits(
                &component_name(call),
                &context,
                &implicit,
                None,
                true,
            )
        } else {
            context.insert("lang", &doc.source.lang);
            context.insert("current_path", current_path);
            tera.render(&template, &context)
        };
        match rendering {
            Ok(html) => rendered.push(html),
            Err(e) => {
                let cause = renderer.diagnostic(&e, None);
                let why = Text {
                    en: cause.message.clone(),
                    it: cause.message_it.clone(),
                };
                errors.push(
                    at(
                        Code::ShortcodeFailed,
                        msg!(
                            "the shortcode `{name}` failed: {cause}",
                            name = call.name,
                            cause = why
                        ),
                    )
                    .hint(msg!(
                        "check its arguments; the template is {template}",
                        template = cause.location()
                    )),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(rendered)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::document;
    use crate::content::source::{SourceFile, SourceKind};

    fn source(relative: &str) -> SourceFile {
        SourceFile {
            path: relative.into(),
            relative: relative.into(),
            kind: SourceKind::Page,
            lang: "it".into(),
            translation_key: relative.into(),
        }
    }

    #[test]
    fn links_are_resolved_and_other_bodies_shared() {
        let config = Config::parse("title: t\nbase_url: https://x.it/\n", None).unwrap();
        let parse = |relative: &str, text: &str| {
            std::sync::Arc::new(document::parse(source(relative), text, &config).unwrap())
        };
        let docs = vec![
            parse("a.md", "---\ntitle: A\n---\n[b](@/b.md) e [c](@/c.md).\n"),
            parse("b.md", "---\ntitle: B\n---\nNessun link in questo testo.\n"),
        ];
        let (site, errors) = crate::site::assemble(config.clone(), docs, Vec::new());
        assert!(errors.is_empty(), "{errors:?}");
        let (bodies, errors) = Bodies::linked(&site, &Unparsed::default());
        assert_eq!(
            bodies.pages[0].html.text(),
            "<p><a href=\"/b/\">b</a> e <a href=\"wemi-internal:1\">c</a>.</p>\n"
        );
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (Some(4), Some(15)));
        assert!(
            (bodies.pages[1].html).is_shared_with(&site.pages[1].doc.body.html),
            "a body without links is not copied"
        );

        // A page as listed has no `content`; its own template sees the body in its place.
        let values = crate::render::view::build(&site, &bodies).unwrap();
        let keys = |page: &tera::Value| -> Vec<String> {
            page.as_map()
                .unwrap()
                .keys()
                .map(|k| k.to_string())
                .collect()
        };
        let listed = &values.pages[0];
        assert_eq!(keys(listed)[7], "summary", "{:?}", keys(listed));
        let doc = &site.pages[0].doc;
        let own = crate::render::view::own_page(&site, 0, doc, &bodies.pages[0], listed).unwrap();
        assert_eq!(keys(&own)[7..9], ["content", "summary"]);
        let content = own
            .as_map()
            .unwrap()
            .get(&tera::value::Key::from("content"));
        assert_eq!(
            content.and_then(|v| v.as_str()),
            Some(bodies.pages[0].html.text().as_ref())
        );

        // A file that exists but did not parse is no broken link.
        let (_, errors) = Bodies::linked(&site, &Unparsed::new([&source("c.md")]));
        assert!(errors.is_empty(), "{errors:?}");
    }
}
