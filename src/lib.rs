//! `wemi`: a static site generator built for the City of Milan's WeMi network.
//!
//! The build is a pipeline; each stage returns a new type and reports every problem it finds
//! as a [`Diagnostic`](base::error::Diagnostic):
//!
//! ```text
//! site.yaml ─ Config::load ─▶ Config
//! content/  ─ discover ─▶ Vec<SourceFile> ─ read/parse (parallel) ─▶ Vec<Document>
//!           ─ assemble ─▶ Site (pages, sections, URLs, translations; never changed after)
//!           ─ finish (parallel) ─▶ Bodies (each page's HTML, links resolved, shortcodes rendered)
//!           ─ view::build ─▶ SiteValues (one Tera value per page, shared by listings)
//!           ─ render (parallel) ─▶ OutputSet (path → bytes, or changed bytes staged on disk)
//!           ─ Stage::commit ─▶ WriteReport (only changed files; all or nothing)
//! ```
//!
//! A build whose inputs are exactly those of the last one ([`base::fingerprint`]) stops before
//! reading anything. [`base::progress::Progress`] times the phases:
//!
//! ```text
//! inputs → read → assemble → finish → views → render → generate → write
//! ```
//!
//! The library never prints: [`cli::report`] formats what the binary prints.
//!
//! The stages, in pipeline order: `base` → `config` → `markdown` → `content` → `site` →
//! `output` → `render` → `generated` → `tools` → `build` → `serve` → `cli`. Each imports only
//! from those before it (`ARCHITECTURE.md` says what each takes and gives, and where each
//! kind of change goes). Public are the stages that the binary, the end-to-end tests, the
//! benchmarks and the fuzz targets call; `generated`, `tools` and `serve` are reached only through [`build`] and [`cli`].

#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]
// Diagnostics are the errors of every stage: they are made only when something is wrong, and
// carry their text in two languages, so their size does not matter and boxing them would only
// add noise at every call site.
#![allow(clippy::result_large_err)]

pub mod base;
pub mod build;
pub mod cli;
pub mod config;
pub mod content;
#[doc(hidden)]
pub mod fuzz;
mod generated;
pub mod markdown;
pub mod output;
pub mod render;
mod serve;
pub mod site;
mod tools;
