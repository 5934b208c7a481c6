//! `wemi`: a static site generator built for the City of Milan's WeMi network.
//!
//! The build is a pipeline; each stage returns a new type and reports every problem it finds
//! as a [`Diagnostic`]:
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
//! A build whose inputs are exactly those of the last one ([`fingerprint`]) stops before
//! reading anything. [`base::progress::Progress`] times the phases:
//!
//! ```text
//! inputs → read → assemble → finish → views → render → generate → write
//! ```
//!
//! The library never prints: [`report`] formats what the binary prints.

#![warn(clippy::print_stdout, clippy::print_stderr)]
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
pub mod generated;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod tools;
