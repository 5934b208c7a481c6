//! `wemi check --external`: do the `http(s)://` links of the content still answer?
//!
//! Each address is asked once (HEAD, then GET when a server refuses HEAD), with a timeout,
//! a few at a time. An address that answers with an error status is an error at every place
//! it is linked from. When no address at all can be reached, the machine is taken to be
//! offline: one warning says so instead of an error per link.

use std::collections::BTreeMap;
use std::time::Duration;

use rayon::prelude::*;

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;
use crate::base::layout::CONTENT_DIR;
use crate::content::document::{Document, shown_path};

/// How long one request may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// What asking an address gave.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A status below 400.
    Fine,
    /// An HTTP error status.
    Status(u16),
    /// No answer: DNS, connection, TLS or timeout.
    Unreachable(String),
}

/// Checks every external link of `docs`; returns errors for broken links and warnings for
/// unreachable ones.
pub fn check<'a>(docs: impl Iterator<Item = &'a Document>) -> Vec<Diagnostic> {
    // Address → where it is linked from: file, line, column.
    let mut places: BTreeMap<&str, Vec<(std::path::PathBuf, usize, usize)>> = BTreeMap::new();
    for doc in docs {
        for link in &doc.external_links {
            places.entry(link.url.as_str()).or_default().push((
                shown_path(&doc.source),
                link.line,
                link.column,
            ));
        }
    }
    if places.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let urls: Vec<&str> = places.keys().copied().collect();
    let outcomes: Vec<Outcome> = urls.par_iter().map(|url| ask(&agent, url)).collect();

    if outcomes
        .iter()
        .all(|o| matches!(o, Outcome::Unreachable(_)))
    {
        return vec![
            Diagnostic::new(
                Code::LinkExternalOffline,
                CONTENT_DIR,
                if urls.len() == 1 {
                    msg!("no external address could be reached: 1 link not checked")
                } else {
                    msg!(
                        "no external address could be reached: {count} links not checked",
                        count = urls.len()
                    )
                },
            )
            .hint(msg!(
                "the machine seems to be offline; run `wemi check --external` where there is network"
            ))
            .warning(),
        ];
    }
    let mut out = Vec::new();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let (code, message) = match outcome {
            Outcome::Fine => continue,
            Outcome::Status(status) => (
                Code::LinkExternalBroken,
                msg!(
                    "the link {url} is broken: the server answers {code}",
                    url = url,
                    code = status
                ),
            ),
            Outcome::Unreachable(why) => (
                Code::LinkExternalUnreachable,
                msg!(
                    "the link {url} could not be reached: {reason}",
                    url = url,
                    reason = why
                ),
            ),
        };
        for (path, line, column) in &places[url] {
            let d = Diagnostic::new(code, path, message.clone())
                .at(*line, *column)
                .hint(msg!("fix or remove the address"));
            // An address that could not be reached may work later: only a warning.
            out.push(if code == Code::LinkExternalUnreachable {
                d.warning()
            } else {
                d
            });
        }
    }
    out
}

fn ask(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) => Err(e.to_string()),
    };
    match status(agent.head(url).call()) {
        Ok(code) if code == 405 || code == 501 => match status(agent.get(url).call()) {
            Ok(code) => classify(code),
            Err(why) => Outcome::Unreachable(why),
        },
        Ok(code) => classify(code),
        Err(why) => Outcome::Unreachable(why),
    }
}

fn classify(code: u16) -> Outcome {
    if code < 400 {
        Outcome::Fine
    } else {
        Outcome::Status(code)
    }
}
