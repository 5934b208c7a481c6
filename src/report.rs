//! The one place that prints: build summaries on stdout, diagnostics on stderr.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use crate::error::{Diagnostic, Error};
use crate::{BuildReport, CheckReport};

/// Prints every diagnostic of a failed build, then a count.
pub fn errors(err: &Error) {
    eprint!("{}", format_errors(err));
}

/// The text [`errors`] prints.
pub fn format_errors(err: &Error) -> String {
    let mut out = String::new();
    for d in &err.diagnostics {
        out.push_str(&format!("{}: {d}\n", d.severity.as_str()));
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

/// One JSON object per diagnostic and per line, for editors' tools and CI.
pub fn format_json(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let object = serde_json::json!({
                "file": d.path.display().to_string(),
                "line": d.line,
                "column": d.column,
                "severity": d.severity.as_str(),
                "message": d.message,
                "hint": d.hint,
            });
            format!("{object}\n")
        })
        .collect()
}

/// Prints the errors of `wemi check`, as text on stderr or JSON on stdout.
pub fn check_errors(err: &Error, json: bool) {
    if json {
        print!("{}", format_json(&err.diagnostics));
    } else {
        eprint!(
            "{}",
            format_errors(err).replace("nothing was written.", "the site would not build.")
        );
    }
}

/// Prints what a successful `wemi check` found.
pub fn check_summary(found: &CheckReport, json: bool) {
    if json {
        print!("{}", format_json(&found.warnings));
        return;
    }
    for w in &found.warnings {
        eprintln!("warning: {w}");
    }
    println!(
        "Checked {} pages and {} sections: no errors",
        found.pages, found.sections
    );
}
