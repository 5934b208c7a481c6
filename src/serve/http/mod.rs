//! The HTTP server of `wemi serve`: the local preview of the site.
//!
//! The server owns what it serves: a [`Snapshot`] of the last site that built, its
//! [`OutputSet`](crate::output::OutputSet). A URL is only ever looked up as a key of that set:
//! a file the build wrote is then read from serve's folder at that output path, opened only if
//! no part of it is a link ([`crate::serve::folder::open_inside`]), so no URL can reach a file
//! outside the site. Files the build copies
//! ([`OutputFile::Copied`](crate::output::OutputFile::Copied)) are read when asked for, from
//! the path the build recorded, while it is still a regular file inside the site
//! ([`crate::serve::folder::open_copied`]), and pages rendered alone since the last build from
//! memory. On loopback, only requests sent to a loopback name are answered (no DNS rebinding).
//! Paths with `..`, backslashes, NUL or encoded slashes are refused outright, and folders are
//! never listed.
//!
//! Every HTML response gets a small script that listens on [`page::EVENTS_PATH`] (server-sent
//! events): [`Server::publish`] swaps in a new snapshot and tells every open page to reload, or
//! only to fetch its stylesheets again. While the last build failed, pages (those of the last
//! site that built) also get an overlay listing its errors; the next good build reloads them
//! without it, so pages keep no state of their own. The built site itself is never changed.
//!
//! `server.rs` owns the server, its state and the routing of a request to an answer (and
//! bounds what a client can hold); `snapshot.rs` holds what it serves; reading requests and
//! writing answers is in `request.rs`, and what pages get added (the reload script, the
//! error overlay, the editor's links) in `page.rs`. Requests under `/__wemi/edit/` go to the
//! [`Editor`](crate::serve::edit::Editor) when there is one (serve on loopback), and are
//! unknown paths (404) otherwise.

mod page;
// Its request target parser is a fuzz target (`crate::fuzz`); the editor reads requests too.
pub(crate) mod request;
mod server;
pub(crate) mod snapshot;

pub use server::{Reload, Server};
pub use snapshot::{EditLinks, Snapshot};
