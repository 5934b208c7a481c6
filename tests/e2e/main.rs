//! The end-to-end tests, in one test binary: the crate is linked once for all of them, not
//! once per file. Each module runs the real `wemi` binary (or calls the library) on fixture
//! sites; `common` holds the shared harness.

mod common;

mod adversarial;
mod architecture;
mod build;
mod command_line;
mod deploy;
mod edit_browser;
mod edit_server;
mod editors;
mod fuzz_corpus;
mod hardening;
mod headings;
mod images;
mod languages;
mod line_endings;
mod links;
mod listings;
mod migrated;
mod outputs;
mod path_properties;
mod privacy;
mod publishing;
mod release;
mod reporting;
mod schema;
mod search;
mod serve;
mod serve_load;
mod site_paths;
mod stderr_snapshots;
mod theme_anatomy;
mod theme_spaces;
mod xss;
