//! The one place that prints: build summaries on stdout, diagnostics on stderr.
//!
//! A diagnostic is printed for people as one `error[code]: file:line:column: message` line
//! (what editors, CI logs and our tests look for; the code, such as `link.missing-page`, is
//! where rustc puts its own and is explained in the editors' guide), then, when it has a line,
//! a code frame in the style of rustc: the line with its neighbours and a caret under the
//! column, read back from the site's file. The frame is a courtesy: when the file cannot be read or no longer has that
//! line, the diagnostic is printed without it.
//!
//! Colour only goes to a terminal, and never when `NO_COLOR` is set (<https://no-color.org>);
//! the decision is made once, in `stderr_colour`, and passed down so the text is testable.

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use unicode_normalization::char::is_combining_mark;

use crate::base::error::{Code, Diagnostic, Error, Severity};
use crate::base::fs::without_bom;
use crate::base::i18n::msg;
use crate::base::i18n::{Lang, Text};
use crate::base::progress::{Phase, Progress};
use crate::build::{BuildReport, CheckReport};
use crate::render::images::ImageReport;

/// How many diagnostics of one kind are printed in full unless `--max-per-kind` says
/// otherwise: enough to see the pattern, few enough that the other kinds are not lost.
pub const DEFAULT_MAX_PER_KIND: usize = 20;

/// From this many diagnostics on, the report ends with a summary by kind and by file.
const SUMMARY_FROM: usize = 20;

/// How many files the summary by file names; the others are counted.
const FILES_IN_SUMMARY: usize = 10;

/// How diagnostics are shown to people: in which language, and how many of each kind in full
/// (`0`: all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The language of the messages.
    pub lang: Lang,
    /// How many diagnostics of each code and severity are printed in full; 0 for all.
    pub max_per_kind: usize,
}

/// Prints every diagnostic of a failed build, then a count.
///
/// `root` is the site folder: diagnostic paths are relative to it.
pub fn errors(err: &Error, root: &Path, shown: Shown) {
    eprint!("{}", format_errors(err, root, stderr_colour(), shown));
}

/// The text [`errors`] prints, coloured or not.
pub fn format_errors(err: &Error, root: &Path, colour: bool, shown: Shown) -> String {
    let mut out = format_diagnostics(&err.diagnostics, root, colour, shown);
    let n = err.diagnostics.len();
    let count = if n == 1 {
        msg!("1 error found; nothing was written.")
    } else {
        msg!("{n} errors found; nothing was written.", n = n)
    };
    out.push_str(count.get(shown.lang));
    out.push('\n');
    out
}

/// The diagnostics, each with its code frame when it has one: the first
/// [`Shown::max_per_kind`] of each kind (code and severity), then a line counting the others
/// of that kind; a long list ends with a summary by kind and by file.
pub fn format_diagnostics(
    diagnostics: &[Diagnostic],
    root: &Path,
    colour: bool,
    shown: Shown,
) -> String {
    let lang = shown.lang;
    let mut sources = Sources::new(root);
    let mut out = String::new();
    // Each kind with its count so far, in a list: there are few kinds.
    let mut kinds: Vec<((Code, Severity), usize)> = Vec::new();
    for d in diagnostics {
        let kind = (d.code, d.severity);
        let i = kinds
            .iter()
            .position(|(k, _)| *k == kind)
            .unwrap_or_else(|| {
                kinds.push((kind, 0));
                kinds.len() - 1
            });
        kinds[i].1 += 1;
        if shown.max_per_kind != 0 && kinds[i].1 > shown.max_per_kind {
            continue;
        }
        let frame = d.line.and_then(|line| {
            let source = sources.get(&d.path)?;
            Frame::new(source, line, d.column)
        });
        out.push_str(&format_diagnostic(d, frame.as_ref(), colour, lang));
    }
    kinds.sort_by(|((a, a_severity), a_n), ((b, b_severity), b_n)| {
        (b_n, a.as_str(), a_severity).cmp(&(a_n, b.as_str(), b_severity))
    });
    let mut capped = false;
    for &((code, severity), n) in &kinds {
        let more = n.saturating_sub(shown.max_per_kind);
        if shown.max_per_kind == 0 || more == 0 {
            continue;
        }
        capped = true;
        let line = match (severity, more) {
            (Severity::Error, 1) => msg!("… and 1 more error of this kind ({code})", code = code),
            (Severity::Error, _) => msg!(
                "… and {n} more errors of this kind ({code})",
                n = more,
                code = code
            ),
            (Severity::Warning, 1) => {
                msg!("… and 1 more warning of this kind ({code})", code = code)
            }
            (Severity::Warning, _) => msg!(
                "… and {n} more warnings of this kind ({code})",
                n = more,
                code = code
            ),
        };
        out.push_str(line.get(lang));
        out.push('\n');
    }
    if capped || diagnostics.len() > SUMMARY_FROM {
        if capped {
            out.push('\n');
        }
        out.push_str(&format_overview(diagnostics, &kinds, shown));
    }
    out
}

/// The summary of a long list: each kind with its count and what it means, then the files
/// with the most diagnostics.
fn format_overview(
    diagnostics: &[Diagnostic],
    kinds: &[((Code, Severity), usize)],
    shown: Shown,
) -> String {
    let lang = shown.lang;
    let mut out = format!("{}\n", msg!("By kind:").get(lang));
    let code_width = kinds
        .iter()
        .map(|((code, severity), _)| severity_word(*severity, lang).len() + code.as_str().len() + 2)
        .max()
        .unwrap_or(0);
    let count_width = kinds.first().map_or(1, |(_, n)| n.to_string().len());
    for &((code, severity), n) in kinds {
        let kind = format!("{}[{code}]", severity_word(severity, lang));
        out.push_str(&format!(
            "  {kind:<code_width$}  {n:>count_width$}  {}\n",
            meaning(code, lang)
        ));
    }
    let mut per_file: HashMap<&Path, usize> = HashMap::new();
    for d in diagnostics {
        *per_file.entry(&d.path).or_default() += 1;
    }
    let files = by_count(per_file);
    out.push_str(&format!("{}\n", msg!("By file:").get(lang)));
    let count_width = files.first().map_or(1, |(_, n)| n.to_string().len());
    for (path, n) in files.iter().take(FILES_IN_SUMMARY) {
        let path = path.display().to_string();
        out.push_str(&format!("  {n:>count_width$}  {}\n", printable(&path)));
    }
    let others = files.len().saturating_sub(FILES_IN_SUMMARY);
    if others > 0 {
        let line = if others == 1 {
            msg!("… and 1 other file")
        } else {
            msg!("… and {n} other files", n = others)
        };
        out.push_str(&format!("  {}\n", line.get(lang)));
    }
    if shown.max_per_kind != 0 && kinds.iter().any(|(_, n)| *n > shown.max_per_kind) {
        let all = msg!(
            "Only the first {max} of each kind are shown in full: `--max-per-kind 0` shows them all.",
            max = shown.max_per_kind
        );
        out.push_str(all.get(lang));
        out.push('\n');
    }
    out
}

/// The files of `counts`, the one with most diagnostics first; of equals, in path order.
fn by_count(counts: HashMap<&Path, usize>) -> Vec<(&Path, usize)> {
    let mut files: Vec<(&Path, usize)> = counts.into_iter().collect();
    files.sort_by(|(a, a_n), (b, b_n)| (b_n, a).cmp(&(a_n, b)));
    files
}

/// `error` or `warning` in `lang`, as a diagnostic starts.
fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match (lang, severity) {
        (Lang::It, Severity::Error) => "errore",
        (Lang::It, Severity::Warning) => "avviso",
        (Lang::En, s) => s.as_str(),
    }
}

/// The editors' guide: its section 9 explains every code in Italian, one table row each (a
/// test of `base::error` keeps the rows and the codes in step).
const GUIDE: &str = include_str!("../../docs/guida-redattori.md");

/// What `code` means, in one line: the guide's row in Italian, the code's documentation in
/// English.
fn meaning(code: Code, lang: Lang) -> &'static str {
    let italian = || {
        GUIDE.lines().find_map(|row| {
            row.strip_prefix("| `")?
                .strip_prefix(code.as_str())?
                .strip_prefix("` | ")?
                .strip_suffix(" |")
        })
    };
    match lang {
        Lang::It => italian().unwrap_or_else(|| code.meaning()),
        Lang::En => code.meaning(),
    }
}

/// Whether what goes to stderr may be coloured.
fn stderr_colour() -> bool {
    colour_wanted(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// Colour only on a terminal and without `NO_COLOR`. An empty `NO_COLOR` counts as unset, as
/// no-color.org asks ("when present and not an empty string"), so `NO_COLOR= wemi` can undo
/// an exported one.
fn colour_wanted(terminal: bool, no_color: Option<&OsStr>) -> bool {
    terminal && no_color.is_none_or(OsStr::is_empty)
}

/// The few ANSI styles we use, written out rather than pulled in with a dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Bold red: `error` and its caret.
    Error,
    /// Bold yellow: `warning` and its caret.
    Warning,
    /// Bold blue: line numbers, `|` and `=`.
    Gutter,
}

impl Style {
    /// The style of a severity.
    fn of(severity: Severity) -> Self {
        match severity {
            Severity::Error => Style::Error,
            Severity::Warning => Style::Warning,
        }
    }

    /// `text` in this style, or as it is when `colour` is off.
    fn paint(self, text: &str, colour: bool) -> String {
        if !colour {
            return text.to_string();
        }
        let code = match self {
            Style::Error => "1;31",
            Style::Warning => "1;33",
            Style::Gutter => "1;34",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// The site's files, each read and cut into lines at most once however many diagnostics it
/// has.
struct Sources<'a> {
    root: &'a Path,
    texts: HashMap<PathBuf, Option<Source>>,
}

/// A file's text, without a byte order mark, and the byte ranges of its lines.
struct Source {
    text: String,
    /// Each line as `str::lines` gives it.
    lines: Vec<std::ops::Range<usize>>,
}

impl<'a> Sources<'a> {
    fn new(root: &'a Path) -> Self {
        Sources {
            root,
            texts: HashMap::new(),
        }
    }

    /// The file at `path` (relative to the root, or absolute), without a byte order mark,
    /// which the parsers drop too before they count columns.
    fn get(&mut self, path: &Path) -> Option<&Source> {
        let root = self.root;
        self.texts
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let bytes = std::fs::read(root.join(path)).ok()?;
                let text = String::from_utf8_lossy(&bytes);
                let text = without_bom(&text);
                // A lone `\r` ends a line too, for the parsers as for editors.
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                let base = text.as_ptr() as usize;
                let lines = text
                    .lines()
                    .map(|line| {
                        let start = line.as_ptr() as usize - base;
                        start..start + line.len()
                    })
                    .collect();
                Some(Source { text, lines })
            })
            .as_ref()
    }
}

/// The lines shown under a diagnostic: the one it points at and one either side.
#[derive(Debug, PartialEq, Eq)]
struct Frame {
    /// `(line number, text as shown)` in order, the diagnostic's line among them.
    lines: Vec<(usize, String)>,
    /// The diagnostic's line.
    line: usize,
    /// What goes before the caret on the caret line, when there is a column.
    caret_indent: Option<String>,
}

/// How many characters of a line a frame shows: a longer line is cut around the column.
const SHOWN_CHARACTERS: usize = 160;

/// How wide a frame shows a tab: to the next multiple of this many columns.
const TAB_WIDTH: usize = 4;

/// What a frame shows for a tab: an arrow, then blanks to the next tab stop.
const TAB_MARKER: char = '→';

impl Frame {
    /// The frame for 1-based `line` and `column` of `source`, if it has that line (one of
    /// `str::lines`, or the empty line after the final line end).
    fn new(source: &Source, line: usize, column: Option<usize>) -> Option<Self> {
        let index = line.checked_sub(1)?;
        let text = &source.text;
        // The end of a file that ends a line (where an unclosed bracket is found) is on an
        // empty last line, as editors show it; it is only shown when pointed at.
        let end_line = index == source.lines.len() && (text.is_empty() || text.ends_with('\n'));
        let count = source.lines.len() + usize::from(end_line);
        if index >= count {
            return None;
        }
        // Lines as long as a whole page are shown from a little before the column.
        let before = column.and_then(|c| c.checked_sub(1)).unwrap_or(0);
        let skip = before.saturating_sub(SHOWN_CHARACTERS / 2);
        let shown = |i: usize| match source.lines.get(i) {
            Some(range) => cut(&text[range.clone()], skip),
            None => "",
        };
        let lines = (index.saturating_sub(1)..count.min(index + 2))
            .map(|i| (i + 1, visible(shown(i))))
            .collect();
        let caret_indent = column.map(|_| caret_indent(shown(index), before - skip));
        Some(Frame {
            lines,
            line,
            caret_indent,
        })
    }
}

/// At most [`SHOWN_CHARACTERS`] characters of `line`, from character `skip` on.
fn cut(line: &str, skip: usize) -> &str {
    let mut starts = line.char_indices().map(|(i, _)| i).skip(skip);
    let Some(start) = starts.next() else {
        return "";
    };
    let end = starts.nth(SHOWN_CHARACTERS - 1).unwrap_or(line.len());
    &line[start..end]
}

/// How many columns character `c` takes in a frame when it starts at column `at` (0-based):
/// a tab reaches the next tab stop, a combining accent (of a decomposed `è`) takes none.
fn shown_width(c: char, at: usize) -> usize {
    match c {
        '\t' => TAB_WIDTH - at % TAB_WIDTH,
        c if is_combining_mark(c) => 0,
        _ => 1,
    }
}

/// `line` as a frame shows it: a tab as [`TAB_MARKER`] padded to its width, so that an editor
/// sees the tab a message talks about; any other control character as a visible symbol (␛ for
/// escape), so that no text of a file can move the cursor or recolour the terminal.
fn visible(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for c in line.chars() {
        let width = shown_width(c, at);
        match c {
            '\t' => {
                out.push(TAB_MARKER);
                out.extend(std::iter::repeat_n(' ', width - 1));
            }
            // C0 controls and DEL have their own symbols (U+2400…U+2421); C1 controls do not.
            '\0'..='\u{1f}' => out.extend(char::from_u32(0x2400 + c as u32)),
            '\u{7f}' => out.push('␡'),
            c if c.is_control() => out.push(char::REPLACEMENT_CHARACTER),
            c => out.push(c),
        }
        at += width;
    }
    out
}

/// `text` (a message, a hint, a path: any of them may quote a file's name or text) with its
/// control characters shown as [`visible`] shows them, line by line, so that no file can
/// move the cursor or recolour the terminal through a message either.
fn printable(text: &str) -> String {
    text.split('\n').map(visible).collect::<Vec<_>>().join("\n")
}

/// Blanks as wide as the first `before` characters of `line` as [`visible`] shows them, so
/// that the caret is under its character. Past the end of the line the caret stops just
/// after it.
fn caret_indent(line: &str, before: usize) -> String {
    let width = line
        .chars()
        .take(before)
        .fold(0, |at, c| at + shown_width(c, at));
    " ".repeat(width)
}

/// One diagnostic: its `severity[code]: location: message` line, its frame, its hint.
fn format_diagnostic(d: &Diagnostic, frame: Option<&Frame>, colour: bool, lang: Lang) -> String {
    let style = Style::of(d.severity);
    let severity = severity_word(d.severity, lang);
    let mut out = format!(
        "{}: {}: {}\n",
        style.paint(&format!("{severity}[{}]", d.code), colour),
        printable(&d.location()),
        printable(d.message_in(lang))
    );
    let help = match lang {
        Lang::It => "aiuto",
        Lang::En => "help",
    };
    let Some(frame) = frame else {
        if let Some(hint) = d.hint_in(lang) {
            out.push_str(&format!("  {help}: {}\n", printable(hint)));
        }
        return out;
    };
    let width = frame.lines.last().map_or(1, |(n, _)| n.to_string().len());
    let gutter = |number: Option<usize>| {
        let number = number.map_or_else(String::new, |n| n.to_string());
        Style::Gutter.paint(&format!(" {number:>width$} |"), colour)
    };
    out.push_str(&gutter(None));
    out.push('\n');
    for (number, text) in &frame.lines {
        let number = *number;
        out.push_str(&gutter(Some(number)));
        if !text.is_empty() {
            out.push(' ');
            out.push_str(text);
        }
        out.push('\n');
        if let Some(indent) = frame
            .caret_indent
            .as_deref()
            .filter(|_| number == frame.line)
        {
            out.push_str(&gutter(None));
            out.push(' ');
            out.push_str(indent);
            out.push_str(&style.paint("^", colour));
            out.push('\n');
        }
    }
    if let Some(hint) = d.hint_in(lang) {
        let equals = Style::Gutter.paint("=", colour);
        out.push_str(&format!(
            " {:width$} {equals} {help}: {}\n",
            "",
            printable(hint)
        ));
    }
    // A blank line keeps a framed diagnostic apart from the next one.
    out.push('\n');
    out
}

/// Prints the warnings of a successful build, then its one-line summary.
pub fn build_summary(r: &BuildReport, root: &Path, shown: Shown) {
    eprint!(
        "{}",
        format_diagnostics(&r.warnings, root, stderr_colour(), shown)
    );
    println!("{}", format_summary(r).get(shown.lang));
    if r.images.made + r.images.reused > 0 {
        println!("{}", images_summary(r.images).get(shown.lang));
    }
}

/// The line about resized images: how many this build made, how many it found already made.
fn images_summary(images: ImageReport) -> Text {
    msg!(
        "Resized images: {made} made, {reused} taken from .wemi/images/",
        made = images.made,
        reused = images.reused
    )
}

/// The text [`build_summary`] prints: counts, then the time of each phase.
pub fn format_summary(r: &BuildReport) -> Text {
    let phases = r
        .phases
        .iter()
        .map(|(phase, time)| format!("{} {}", phase.name(), time.as_millis()))
        .collect::<Vec<_>>()
        .join(", ");
    msg!(
        "Built {pages} and {sections}: {written}, {unchanged}, {removed} in {ms} ms ({phases} ms)",
        pages = pages(r.pages),
        sections = sections(r.sections),
        written = files_written(r.write.written),
        unchanged = unchanged(r.write.unchanged),
        removed = removed(r.write.removed),
        ms = r.elapsed.as_millis(),
        phases = phases
    )
}

/// `one` when `n` is 1, else `many`: the counts of the summaries below are in the singular for
/// one and in the plural otherwise (Italian participles agree with them too).
fn one_or_many(n: usize, one: Text, many: Text) -> Text {
    if n == 1 { one } else { many }
}

/// "1 page", "4 pages".
fn pages(n: usize) -> Text {
    one_or_many(n, msg!("1 page"), msg!("{n} pages", n = n))
}

/// "1 section", "3 sections".
fn sections(n: usize) -> Text {
    one_or_many(n, msg!("1 section"), msg!("{n} sections", n = n))
}

/// "1 file written", "0 files written".
fn files_written(n: usize) -> Text {
    one_or_many(n, msg!("1 file written"), msg!("{n} files written", n = n))
}

/// "1 unchanged", "2 unchanged" (files).
fn unchanged(n: usize) -> Text {
    one_or_many(n, msg!("1 unchanged"), msg!("{n} unchanged", n = n))
}

/// "1 removed", "2 removed" (files).
fn removed(n: usize) -> Text {
    one_or_many(n, msg!("1 removed"), msg!("{n} removed", n = n))
}

/// "1 file changed", "3 files changed".
fn files_changed(n: usize) -> Text {
    one_or_many(n, msg!("1 file changed"), msg!("{n} files changed", n = n))
}

/// Runs `work`; when it takes more than a second and stderr is a terminal, draws a progress
/// bar of `progress` there meanwhile, and clears it at the end.
pub fn with_progress_bar<T>(progress: &Progress, work: impl FnOnce() -> T) -> T {
    if !std::io::stderr().is_terminal() {
        return work();
    }
    with_bar(progress, Duration::from_millis(100), work)
}

/// Runs `work` while another thread redraws the bar every `tick`; returns as soon as `work`
/// has, without waiting for the tick (a build with nothing to do takes ~50 ms).
fn with_bar<T>(progress: &Progress, tick: Duration, work: impl FnOnce() -> T) -> T {
    let (finished, waiting) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let bar = scope.spawn(move || {
            let mut drawn = false;
            // Dropping `finished` ends the wait at once.
            while let Err(RecvTimeoutError::Timeout) = waiting.recv_timeout(tick) {
                if progress.elapsed() < Duration::from_secs(1) {
                    continue;
                }
                if let Some(current) = progress.current() {
                    eprint!("\r{}\x1b[K", progress_line(current, progress.elapsed()));
                    drawn = true;
                }
            }
            if drawn {
                eprint!("\r\x1b[K");
            }
        });
        let result = work();
        drop(finished);
        let _ = bar.join();
        result
    })
}

/// One line of the progress bar: `render [#######-------]  5400/10931  2.1 s`.
fn progress_line((phase, done, total): (Phase, usize, usize), elapsed: Duration) -> String {
    const WIDTH: usize = 30;
    let time = format!("{:.1} s", elapsed.as_secs_f64());
    if total == 0 {
        return format!("{:<9} {time}", phase.name());
    }
    let filled = (done.min(total) * WIDTH) / total;
    format!(
        "{:<9} [{}{}] {done:>6}/{total}  {time}",
        phase.name(),
        "#".repeat(filled),
        "-".repeat(WIDTH - filled)
    )
}

/// One JSON object per diagnostic and per line, for editors' tools and CI.
pub fn format_json(diagnostics: &[Diagnostic], lang: Lang) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let object = serde_json::json!({
                "code": d.code.as_str(),
                "file": d.path.display().to_string(),
                "line": d.line,
                "column": d.column,
                "severity": d.severity.as_str(),
                "message": d.message_in(lang),
                "hint": d.hint_in(lang),
            });
            format!("{object}\n")
        })
        .collect()
}

/// Prints the errors of `wemi check`, as text on stderr or JSON on stdout.
pub fn check_errors(err: &Error, root: &Path, json: bool, shown: Shown) {
    if json {
        print!("{}", format_json(&err.diagnostics, shown.lang));
    } else {
        eprint!("{}", format_check_errors(err, root, stderr_colour(), shown));
    }
}

/// The text [`check_errors`] prints for people.
pub fn format_check_errors(err: &Error, root: &Path, colour: bool, shown: Shown) -> String {
    let mut out = format_diagnostics(&err.diagnostics, root, colour, shown);
    let n = err.diagnostics.len();
    // Errors only `check` reports (`--external`, `--strict`) do not stop a build.
    let builds = err.diagnostics.iter().all(|d| d.code.only_checked());
    let count = match (n, builds) {
        (1, false) => msg!("1 error found; the site would not build."),
        (_, false) => msg!("{n} errors found; the site would not build.", n = n),
        (1, true) => msg!("1 error found; the site would still build, but check fails."),
        (_, true) => msg!(
            "{n} errors found; the site would still build, but check fails.",
            n = n
        ),
    };
    out.push_str(count.get(shown.lang));
    out.push('\n');
    out
}

/// Prints what a successful `wemi check` found.
pub fn check_summary(found: &CheckReport, root: &Path, json: bool, shown: Shown) {
    let lang = shown.lang;
    if json {
        print!("{}", format_json(&found.warnings, lang));
        return;
    }
    eprint!(
        "{}",
        format_diagnostics(&found.warnings, root, stderr_colour(), shown)
    );
    let summary = msg!(
        "Checked {pages} and {sections}: no errors",
        pages = pages(found.pages),
        sections = sections(found.sections)
    );
    println!("{}", summary.get(lang));
}

/// Prints where the preview is served, and the outcome of its first build.
pub fn serving(preview: &crate::serve::Preview, root: &Path, shown: Shown) {
    let lang = shown.lang;
    if let Some(port) = preview.port_taken {
        println!(
            "{}",
            msg!("The port {port} is taken: using another one.", port = port).get(lang)
        );
    }
    println!(
        "{}",
        msg!(
            "Serving the site at {url} (Ctrl+C to stop)",
            url = preview.url
        )
        .get(lang)
    );
    rebuilt(&preview.first, root, shown);
}

/// Prints what one rebuild of the preview did, and its errors.
pub fn rebuilt(r: &crate::serve::Rebuild, root: &Path, shown: Shown) {
    let lang = shown.lang;
    let ms = r.elapsed.as_millis();
    let changed = r.change.as_ref().map_or_else(String::new, |c| {
        c.paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    });
    if let Some((page, after)) = &r.first_page {
        println!(
            "{}",
            msg!(
                "Updated {page} in {ms} ms; now the rest of the site",
                page = page,
                ms = after.as_millis()
            )
            .get(lang)
        );
    }
    if r.static_only {
        println!(
            "{}",
            msg!(
                "Static files changed, nothing to build: {changed}",
                changed = changed
            )
            .get(lang)
        );
        return;
    }
    match r.built {
        Some((built_pages, built_sections)) => println!(
            "{}",
            msg!(
                "Built {pages} and {sections} in {ms} ms ({files}) {changed}",
                pages = pages(built_pages),
                sections = sections(built_sections),
                ms = ms,
                files = files_changed(r.files_changed),
                changed = changed
            )
            .get(lang)
            .trim_end()
        ),
        None => {
            eprint!(
                "{}",
                format_diagnostics(&r.errors, root, stderr_colour(), shown)
            );
            eprintln!(
                "{}",
                msg!(
                    "Errors: {n}, in {ms} ms: the last good site is still served, with the errors over every page",
                    n = r.errors.len(),
                    ms = ms
                )
                .get(lang)
            );
        }
    }
    eprint!("{}", format_brief(&r.warnings, stderr_colour(), lang));
}

/// How many warnings a rebuild of the preview shows.
const BRIEF_WARNINGS: usize = 10;

/// The warnings of a rebuild of the preview, briefly, as they come after every save: each
/// without its code frame, the first [`BRIEF_WARNINGS`] of them, then how many more.
pub fn format_brief(warnings: &[Diagnostic], colour: bool, lang: Lang) -> String {
    let mut out: String = warnings
        .iter()
        .take(BRIEF_WARNINGS)
        .map(|d| format_diagnostic(d, None, colour, lang))
        .collect();
    let more = warnings.len().saturating_sub(BRIEF_WARNINGS);
    if more > 0 {
        let text = msg!(
            "… and {n} more warnings: `wemi check --drafts` lists them all",
            n = more
        );
        out.push_str(text.get(lang));
        out.push('\n');
    }
    out
}

/// Prints the one-line result of a command that has no report of its own (`wemi new`,
/// `wemi schema`): the command's module words it, this prints it.
pub fn outcome(text: &Text, lang: Lang) {
    println!("{}", text.get(lang));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// English, with the default cap.
    const ENGLISH: Shown = Shown {
        lang: Lang::En,
        max_per_kind: DEFAULT_MAX_PER_KIND,
    };

    #[test]
    fn the_progress_bar_lets_the_command_end_as_soon_as_its_work_has() {
        // A tick far longer than the test may take: the bar's thread must not be waited for
        // until its next tick.
        let started = std::time::Instant::now();
        let result = with_bar(&Progress::default(), Duration::from_secs(600), || 42);
        assert_eq!(result, 42);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn progress_line_shows_phase_bar_count_and_time() {
        let line = progress_line((Phase::Render, 2500, 10000), Duration::from_millis(1500));
        assert_eq!(
            line,
            format!(
                "render    [{}{}]   2500/10000  1.5 s",
                "#".repeat(7),
                "-".repeat(23)
            )
        );
        assert_eq!(
            progress_line((Phase::Assemble, 0, 0), Duration::from_millis(1200)),
            "assemble  1.2 s"
        );
    }

    #[test]
    fn summary_lists_the_time_of_each_phase() {
        let report = BuildReport {
            pages: 2,
            sections: 1,
            write: crate::output::WriteReport {
                written: 3,
                unchanged: 1,
                removed: 0,
            },
            elapsed: Duration::from_millis(42),
            phases: vec![
                (Phase::Read, Duration::from_millis(30)),
                (Phase::Render, Duration::from_millis(12)),
            ],
            warnings: Vec::new(),
            images: ImageReport::default(),
        };
        assert_eq!(
            format_summary(&report).en,
            "Built 2 pages and 1 section: 3 files written, 1 unchanged, 0 removed in 42 ms (read 30, render 12 ms)"
        );
    }

    #[test]
    fn summary_counts_are_singular_for_one_in_both_languages() {
        let counts = |n: usize| BuildReport {
            pages: n,
            sections: n,
            write: crate::output::WriteReport {
                written: n,
                unchanged: n,
                removed: n,
            },
            elapsed: Duration::from_millis(5),
            phases: vec![(Phase::Read, Duration::from_millis(5))],
            warnings: Vec::new(),
            images: ImageReport::default(),
        };
        let one = format_summary(&counts(1));
        assert_eq!(
            one.en,
            "Built 1 page and 1 section: 1 file written, 1 unchanged, 1 removed in 5 ms (read 5 ms)"
        );
        assert_eq!(
            one.get(Lang::It),
            "Generate 1 pagina e 1 sezione: 1 file scritto, 1 invariato, 1 tolto in 5 ms (read 5 ms)"
        );
        let none = format_summary(&counts(0));
        assert_eq!(
            none.en,
            "Built 0 pages and 0 sections: 0 files written, 0 unchanged, 0 removed in 5 ms (read 5 ms)"
        );
        assert_eq!(
            none.get(Lang::It),
            "Generate 0 pagine e 0 sezioni: 0 file scritti, 0 invariati, 0 tolti in 5 ms (read 5 ms)"
        );
        assert_eq!(files_changed(1).get(Lang::It), "1 file cambiato");
        assert_eq!(files_changed(2).en, "2 files changed");
    }

    /// A site folder holding `path` with `text`.
    fn site_with(path: &str, text: &str) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
        root
    }

    /// The plain text of one diagnostic under `root`.
    fn plain(d: Diagnostic, root: &Path) -> String {
        format_diagnostics(&[d], root, false, ENGLISH)
    }

    const PIAZZETTA: &str = "---\nslug: via-piazzetta\ntitle: \"WeMi Piazzetta\"\n\
                             municipio: quattro\n---\nTesto.\n";

    #[test]
    fn frame_shows_the_line_its_neighbours_and_a_caret_under_the_column() {
        let site = site_with("content/spazi/via-piazzetta.md", PIAZZETTA);
        let d = Diagnostic::new(
            Code::FrontMatterValue,
            "content/spazi/via-piazzetta.md",
            "expected an integer from 1 to 9, found \"quattro\"",
        )
        .at(4, 12)
        .hint("write a number from 1 to 9");
        assert_eq!(
            plain(d, site.path()),
            "error[front-matter.value]: content/spazi/via-piazzetta.md:4:12: expected an integer from 1 to 9, \
             found \"quattro\"\n   |\n 3 | title: \"WeMi Piazzetta\"\n 4 | municipio: quattro\n   \
             |            ^\n 5 | ---\n   = help: write a number from 1 to 9\n\n"
        );
    }

    #[test]
    fn a_very_long_line_is_shown_around_the_column() {
        let long = format!("a: [{}]\n", "x, ".repeat(10_000));
        let site = site_with("data/x.yaml", &format!("inizio: 1\n{long}fine: 2\n"));
        let out = plain(
            Diagnostic::new(Code::YamlSyntax, "data/x.yaml", "bad").at(2, 20_001),
            site.path(),
        );
        let shown: Vec<&str> = out.lines().collect();
        // The line and its caret, cut to the same window: the caret is under the column's
        // character, 80 characters into the window.
        assert_eq!(
            shown[3].chars().count(),
            " 2 | ".len() + SHOWN_CHARACTERS,
            "{out}"
        );
        assert_eq!(shown[4], format!("   | {}^", " ".repeat(80)));
        let window: String = long
            .chars()
            .skip(20_000 - 80)
            .take(SHOWN_CHARACTERS)
            .collect();
        assert_eq!(shown[3], format!(" 2 | {window}"));
        // Short neighbours scrolled out of the window show empty.
        assert_eq!(shown[2], " 1 |");
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let site = site_with("data/x.yaml", "nome: Brera\ncittà: x\n");
        // `x` is the 8th character of `città: x` but its 9th byte.
        let out = plain(
            Diagnostic::new(Code::YamlSyntax, "data/x.yaml", "bad").at(2, 8),
            site.path(),
        );
        assert!(out.contains(" 2 | città: x\n   |        ^\n"), "{out}");
    }

    #[test]
    fn tabs_are_shown_as_arrows_and_the_caret_lines_up_after_them() {
        let site = site_with("templates/page.html", "<p>\n\t{{ e\u{301}x }}\n</p>\n");
        // `x` is the 7th character, after a tab, `{{ `, `e` and a combining acute accent:
        // the tab is shown four columns wide, the accent takes none.
        let out = plain(
            Diagnostic::new(Code::TemplateSyntax, "templates/page.html", "bad").at(2, 7),
            site.path(),
        );
        assert!(
            out.contains(" 2 | →   {{ e\u{301}x }}\n   |         ^\n"),
            "{out:?}"
        );
        // A tab after text reaches the next tab stop; a caret on the tab is under its arrow.
        let site = site_with("data/x.yaml", "ab\tc: 1\n\tx: 2\n");
        let out = plain(
            Diagnostic::new(Code::YamlTab, "data/x.yaml", "tab").at(1, 4),
            site.path(),
        );
        assert!(
            out.contains(" 1 | ab→ c: 1\n   |     ^\n 2 | →   x: 2\n"),
            "{out:?}"
        );
        let out = plain(
            Diagnostic::new(Code::YamlTab, "data/x.yaml", "tab").at(2, 1),
            site.path(),
        );
        assert!(out.contains(" 2 | →   x: 2\n   | ^\n"), "{out:?}");
    }

    #[test]
    fn control_characters_are_shown_not_sent_to_the_terminal() {
        let site = site_with("data/x.yaml", "a: \u{1b}[2Jx\u{7f}\u{85}y\n");
        let out = plain(
            Diagnostic::new(Code::YamlControlCharacter, "data/x.yaml", "bad").at(1, 9),
            site.path(),
        );
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(
            out.contains(" 1 | a: ␛[2Jx␡\u{fffd}y\n   |         ^\n"),
            "{out:?}"
        );
    }

    #[test]
    fn control_characters_of_a_path_message_or_hint_are_shown_too() {
        // A key, a value or a file name quoted in a message comes from the file.
        let site = site_with("content/a.md", "x\n");
        let d = |line: Option<usize>| {
            let d = Diagnostic::new(
                Code::FrontMatterUnknownKey,
                "content/\u{1b}]0;x\u{7}.md",
                "unknown field `\u{1b}[2Jk`",
            )
            .hint("write: \u{9b}31m\ntwo lines");
            match line {
                Some(line) => d.at(line, 1),
                None => d,
            }
        };
        for line in [None, Some(1)] {
            let out = plain(d(line), site.path());
            assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
            assert!(out.contains("content/␛]0;x␇.md"), "{out:?}");
            assert!(out.contains("unknown field `␛[2Jk`"), "{out:?}");
            assert!(out.contains("write: \u{fffd}31m\ntwo lines"), "{out:?}");
        }
    }

    #[test]
    fn no_frame_without_a_line() {
        let site = site_with("content/spazi/via-piazzetta.md", PIAZZETTA);
        let d = Diagnostic::new(
            Code::OutputCollision,
            "content/spazi/via-piazzetta.md",
            "this file and content/spazi/altro.md would both be published at /spazi/x/",
        )
        .hint("change one slug");
        assert_eq!(
            plain(d, site.path()),
            "error[output.collision]: content/spazi/via-piazzetta.md: this file and content/spazi/altro.md \
             would both be published at /spazi/x/\n  help: change one slug\n"
        );
    }

    #[test]
    fn no_frame_when_the_file_or_the_line_is_missing() {
        let site = site_with("site.yaml", "title: WeMi\n");
        let beyond = Diagnostic::new(Code::ConfigValue, "site.yaml", "bad").at(3, 1);
        assert_eq!(
            plain(beyond, site.path()),
            "error[config.value]: site.yaml:3:1: bad\n"
        );
        let zero = Diagnostic::new(Code::ConfigValue, "site.yaml", "bad").at(0, 1);
        assert_eq!(
            plain(zero, site.path()),
            "error[config.value]: site.yaml:0:1: bad\n"
        );
        let missing = Diagnostic::new(Code::LinkMissingPage, "content/gone.md", "bad").at(1, 1);
        assert_eq!(
            plain(missing, site.path()),
            "error[link.missing-page]: content/gone.md:1:1: bad\n"
        );
    }

    #[test]
    fn frame_at_the_first_line_has_no_line_before() {
        let site = site_with("content/a.md", "# Ciao\n\nTesto.\n");
        let d = Diagnostic::new(
            Code::FrontMatterMissing,
            "content/a.md",
            "the file does not start with front matter",
        )
        .at_line(1);
        // No column: the line is shown without a caret; an empty line has no trailing space.
        assert_eq!(
            plain(d, site.path()),
            "error[front-matter.missing]: content/a.md:1: the file does not start with front matter\n   |\n \
             1 | # Ciao\n 2 |\n\n"
        );
    }

    #[test]
    fn frame_at_the_last_line_has_no_line_after() {
        // No final newline, Windows line ends and a byte order mark: none of them show.
        let site = site_with(
            "site.yaml",
            "\u{feff}title: WeMi\r\nlanguage: it\r\nbase_url: x",
        );
        let d = Diagnostic::new(Code::ConfigValue, "site.yaml", "bad")
            .at(3, 11)
            .warning();
        assert_eq!(
            plain(d, site.path()),
            "warning[config.value]: site.yaml:3:11: bad\n   |\n 2 | language: it\n 3 | base_url: x\n   \
             |           ^\n\n"
        );
        let first = Diagnostic::new(Code::ConfigValue, "site.yaml", "bad").at(1, 1);
        assert!(plain(first, site.path()).contains("\n 1 | title: WeMi\n   | ^\n"));
    }

    #[test]
    fn frame_at_the_end_of_the_file_shows_the_empty_last_line() {
        let site = site_with("data/x.yaml", "nome: Brera\ncittà: [x\n");
        let d = Diagnostic::new(
            Code::YamlSyntax,
            "data/x.yaml",
            "did not find expected ',' or ']'",
        )
        .at(3, 1);
        assert_eq!(
            plain(d, site.path()),
            "error[yaml.syntax]: data/x.yaml:3:1: did not find expected ',' or ']'\n   |\n 2 | città: [x\n \
             3 |\n   | ^\n\n"
        );
        // Without a final line end there is no line after the last.
        let site = site_with("data/x.yaml", "nome: Brera\ncittà: [x");
        let d = Diagnostic::new(Code::YamlSyntax, "data/x.yaml", "bad").at(3, 1);
        assert_eq!(
            plain(d, site.path()),
            "error[yaml.syntax]: data/x.yaml:3:1: bad\n"
        );
    }

    #[test]
    fn gutter_is_as_wide_as_the_largest_line_number() {
        let text: String = (1..=10).map(|n| format!("riga {n}\n")).collect();
        let site = site_with("content/a.md", &text);
        let out = plain(
            Diagnostic::new(Code::FrontMatterValue, "content/a.md", "bad").at(9, 6),
            site.path(),
        );
        assert!(
            out.ends_with("    |\n  8 | riga 8\n  9 | riga 9\n    |      ^\n 10 | riga 10\n\n"),
            "{out}"
        );
    }

    #[test]
    fn a_rebuild_shows_ten_warnings_without_frames_then_how_many_more() {
        let warnings: Vec<Diagnostic> = (1..=12)
            .map(|n| {
                Diagnostic::new(Code::ContentPlaceholder, "content/a.md", format!("w{n}"))
                    .at(n, 1)
                    .hint("fix it")
                    .warning()
            })
            .collect();
        let text = format_brief(&warnings, false, Lang::It);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 21, "{text}");
        assert_eq!(
            lines[0],
            "avviso[content.placeholder]: content/a.md:1:1: w1"
        );
        assert_eq!(lines[1], "  aiuto: fix it");
        assert_eq!(
            lines[18],
            "avviso[content.placeholder]: content/a.md:10:1: w10"
        );
        assert_eq!(
            lines[20],
            "… e altri 2 avvisi: `wemi check --drafts` li elenca tutti"
        );
        assert_eq!(
            format_brief(&warnings[..3], false, Lang::En)
                .lines()
                .count(),
            6
        );
    }

    #[test]
    fn count_line_ends_the_report() {
        let site = site_with("content/a.md", "---\ntitle: A\n---\n");
        let err = Error::site(vec![
            Diagnostic::new(Code::FrontMatterValue, "content/a.md", "one").at(2, 1),
            Diagnostic::new(Code::FrontMatterValue, "content/b.md", "two"),
        ]);
        let build = format_errors(&err, site.path(), false, ENGLISH);
        assert!(build.ends_with(
            "\nerror[front-matter.value]: content/b.md: two\n2 errors found; nothing was written.\n"
        ));
        let check = format_check_errors(&err, site.path(), false, ENGLISH);
        assert!(check.ends_with("2 errors found; the site would not build.\n"));
        let one = Error::site(vec![Diagnostic::new(
            Code::FrontMatterValue,
            "content/b.md",
            "two",
        )]);
        assert!(
            format_errors(&one, site.path(), false, ENGLISH)
                .ends_with("\n1 error found; nothing was written.\n")
        );
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_wanted(true, None));
        assert!(!colour_wanted(false, None));
        assert!(!colour_wanted(true, Some(OsStr::new("1"))));
        assert!(!colour_wanted(true, Some(OsStr::new("0"))));
        assert!(!colour_wanted(false, Some(OsStr::new("1"))));
        // no-color.org: an empty NO_COLOR does not count.
        assert!(colour_wanted(true, Some(OsStr::new(""))));
    }

    /// An error on the `municipio` line of [`PIAZZETTA`], with a hint.
    fn bad_municipio() -> Diagnostic {
        Diagnostic::new(
            Code::FrontMatterValue,
            "content/spazi/via-piazzetta.md",
            "bad",
        )
        .at(4, 12)
        .hint("fix it")
    }

    #[test]
    fn plain_text_has_no_escape_codes() {
        let site = site_with("content/spazi/via-piazzetta.md", PIAZZETTA);
        let d = bad_municipio();
        let err = Error::site(vec![d.clone(), d.warning()]);
        assert!(!format_errors(&err, site.path(), false, ENGLISH).contains('\x1b'));
    }

    #[test]
    fn colour_paints_severity_gutter_and_caret() {
        let site = site_with("content/spazi/via-piazzetta.md", PIAZZETTA);
        let d = bad_municipio();
        let (red, yellow, blue, reset) = ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;34m", "\x1b[0m");
        let error = format_diagnostics(std::slice::from_ref(&d), site.path(), true, ENGLISH);
        assert!(
            error.starts_with(&format!(
                "{red}error[front-matter.value]{reset}: content/spazi/"
            )),
            "{error:?}"
        );
        assert!(
            error.contains(&format!("{blue} 4 |{reset} municipio: quattro\n")),
            "{error:?}"
        );
        assert!(
            error.contains(&format!("{blue}   |{reset}            {red}^{reset}\n")),
            "{error:?}"
        );
        assert!(
            error.contains(&format!("   {blue}={reset} help: fix it\n")),
            "{error:?}"
        );
        let warning = format_diagnostics(&[d.warning()], site.path(), true, ENGLISH);
        assert!(
            warning.starts_with(&format!("{yellow}warning[front-matter.value]{reset}: ")),
            "{warning:?}"
        );
        assert!(
            warning.contains(&format!("{yellow}^{reset}")),
            "{warning:?}"
        );
    }
}
