//! The one place that prints: build summaries on stdout, diagnostics on stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::BuildReport;
use crate::error::Error;

/// Prints every diagnostic of a failed build, then a count.
pub fn errors(err: &Error) {
    eprint!("{}", format_errors(err));
}

/// The text [`errors`] prints.
pub fn format_errors(err: &Error) -> String {
    let mut out = String::new();
    for d in &err.diagnostics {
        out.push_str(&format!("error: {d}\n"));
    }
    let n = err.diagnostics.len();
    out.push_str(&format!(
        "{n} error{} found; nothing was written.\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

/// Prints the one-line summary of a successful build.
pub fn build_summary(r: &BuildReport) {
    println!("{}", format_summary(r));
}

/// The text [`build_summary`] prints.
pub fn format_summary(r: &BuildReport) -> String {
    format!(
        "Built {} pages and {} sections: {} files written, {} unchanged, {} removed in {} ms",
        r.pages,
        r.sections,
        r.write.written,
        r.write.unchanged,
        r.write.removed,
        r.elapsed.as_millis()
    )
}
