//! The placeholders `wemi new` leaves in a page for the editor to replace, found again so that
//! a page is not published half-finished.
//!
//! The rule is exact, so that an honest text that merely mentions the words is never taken
//! for a placeholder. A placeholder is:
//!
//! - in the front matter, a YAML comment that is exactly `# DA COMPLETARE` (what `wemi new`
//!   writes after every value the editor must give). Only a real comment counts: the same
//!   characters inside a quoted string or a block of text are text;
//! - in the front matter, a value that is exactly one that `wemi new` writes in place of the
//!   real one: `DA COMPLETARE` ([`MARKER`]), [`URL`] or [`EMAIL`] (for when the comment was
//!   deleted and the value left);
//! - in the text, an HTML comment that begins `<!-- DA COMPLETARE` ([`BODY`]), outside code.
//!
//! [`find`] gives each one as an error at its line and column; the build makes them warnings
//! when drafts are shown (`--drafts`, `wemi serve`).

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{Event, Parser};

use crate::base::error::{Code, Diagnostic};
use crate::base::holds;
use crate::base::i18n::msg;
use crate::base::position::LineIndex;
use crate::base::yaml::{self, Node, NodeValue, YamlValue};

/// The words of every placeholder.
pub const MARKER: &str = "DA COMPLETARE";

/// The comment `wemi new` writes at the end of a line the editor must complete.
pub const COMMENT: &str = "# DA COMPLETARE";

/// The placeholder of a required web address.
pub const URL: &str = "https://example.org/da-completare";

/// The placeholder of a required e-mail address.
pub const EMAIL: &str = "da-completare@example.org";

/// The line `wemi new` writes where the page's text goes.
pub const BODY: &str =
    "<!-- DA COMPLETARE: scrivi qui il testo della pagina, poi cancella questa riga -->";

/// The start of [`BODY`] that is looked for in the text.
const BODY_START: &str = "<!-- DA COMPLETARE";

/// Every placeholder of a content file, as errors: `path` is the file as shown, `yaml` its
/// front matter, starting after `yaml_line_offset` lines of the file, and `body` its text,
/// starting at byte `body_start` of `text`, the whole file.
pub fn find(
    path: &Path,
    text: &str,
    yaml: &str,
    yaml_line_offset: usize,
    body_start: usize,
) -> Vec<Diagnostic> {
    let mut found = in_front_matter(path, yaml, yaml_line_offset);
    found.extend(in_body(path, text, body_start));
    found
}

/// The placeholders of the front matter, one per line at most.
fn in_front_matter(path: &Path, yaml: &str, line_offset: usize) -> Vec<Diagnostic> {
    // Most pages have none: the look costs one search of the text.
    if !yaml.contains(MARKER) && !yaml.contains("da-completare") {
        return Vec::new();
    }
    let lines: Vec<&str> = yaml.lines().collect();
    let comments = marker_comments(yaml, &lines);
    let nodes = yaml::Parsed::new(yaml).ok().map(|parsed| parsed.nodes());
    let mut values = Vec::new();
    if let Some(nodes) = &nodes {
        placeholder_values(nodes, &mut values);
    }
    // By line, so that each line is looked up once (a hostile file may hold thousands).
    let mut value_at: HashMap<usize, &Node> = HashMap::new();
    for node in values {
        value_at.entry(node.line).or_insert(node);
    }
    let comment_at: HashMap<usize, usize> = comments.into_iter().collect();
    if value_at.is_empty() && comment_at.is_empty() {
        return Vec::new();
    }
    let fields = field_paths(&lines, |index| {
        value_at.contains_key(&(index + 1)) || comment_at.contains_key(&index)
    });
    let mut found = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let comment = comment_at.get(&index);
        let column = match (value_at.get(&number), comment) {
            (Some(node), _) => node.column,
            (None, Some(at)) => value_column(line).unwrap_or(char_column(line, *at)),
            (None, None) => continue,
        };
        let field = &fields[index];
        let message = match &field {
            Some(field) => msg!(
                "`{field}` still holds the placeholder that `wemi new` wrote ({marker})",
                field = field,
                marker = MARKER
            ),
            None => msg!(
                "this line still holds the placeholder that `wemi new` wrote ({marker})",
                marker = MARKER
            ),
        };
        let hint = if comment.is_some() {
            msg!(
                "write the real value and delete `{comment}` at the end of the line; to preview the page meanwhile: `wemi serve --drafts`",
                comment = COMMENT
            )
        } else {
            msg!("replace the placeholder with the real value")
        };
        found.push(
            Diagnostic::new(Code::ContentPlaceholder, path, message)
                .at(number + line_offset, column)
                .hint(hint),
        );
    }
    found
}

/// The lines (0-based) that end with the comment `# DA COMPLETARE`, with the byte offset of
/// its `#` in the line. A candidate inside a quoted string or a block of text is left out: it
/// is a comment exactly when deleting it leaves the YAML's value as it was.
fn marker_comments(yaml: &str, lines: &[&str]) -> Vec<(usize, usize)> {
    let candidates: Vec<(usize, usize)> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            let trimmed = line.trim_end();
            let at = trimmed.strip_suffix(COMMENT)?.len();
            // A comment starts a line or follows a space.
            let starts_comment = at == 0 || trimmed[..at].ends_with([' ', '\t']);
            starts_comment.then_some((index, at))
        })
        .collect();
    if candidates.is_empty() {
        return candidates;
    }
    let Ok(value) = yaml::parse::<YamlValue>(yaml) else {
        // The YAML's own error is reported; the candidates are shown with it.
        return candidates;
    };
    let without = |removed: &[(usize, usize)]| -> String {
        let removed: HashMap<usize, usize> = removed.iter().copied().collect();
        let mut out = String::with_capacity(yaml.len());
        for (index, line) in yaml.split_inclusive('\n').enumerate() {
            match removed.get(&index) {
                Some(at) => {
                    out.push_str(&line[..*at]);
                    out.push_str(&line[at + COMMENT.len()..]);
                }
                None => out.push_str(line),
            }
        }
        out
    };
    let unchanged = |removed: &[(usize, usize)]| {
        yaml::parse::<YamlValue>(&without(removed)).is_ok_and(|v| v == value)
    };
    // Usually every candidate is a comment: one parse tells. Otherwise halves are tested
    // (deleting a set of comments leaves the value as it was; deleting any text of a string
    // does not), at most PARSES times, so that the work stays linear in the text; what is
    // left undecided then counts as a placeholder (a text that ends that many lines with the
    // marker is no honest text).
    let mut budget = PARSES;
    comments_among(&candidates, &mut budget, &unchanged)
}

/// A `# DA COMPLETARE` candidate: its line (0-based) and the byte offset of its `#`.
type Candidate = (usize, usize);

/// How many times [`marker_comments`] may parse the front matter again.
const PARSES: usize = 16;

/// The candidates of `candidates` that are comments, by halves (see [`marker_comments`]).
fn comments_among(
    candidates: &[Candidate],
    budget: &mut usize,
    unchanged: &dyn Fn(&[Candidate]) -> bool,
) -> Vec<Candidate> {
    if candidates.is_empty() || *budget == 0 {
        return candidates.to_vec();
    }
    *budget -= 1;
    if unchanged(candidates) {
        return candidates.to_vec();
    }
    if candidates.len() == 1 {
        return Vec::new();
    }
    let (first, second) = candidates.split_at(candidates.len() / 2);
    let mut found = comments_among(first, budget, unchanged);
    found.extend(comments_among(second, budget, unchanged));
    found
}

/// The scalar nodes under `node` whose value is a placeholder.
fn placeholder_values<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match &node.value {
        NodeValue::Scalar { text, .. } if [MARKER, URL, EMAIL].contains(&text.trim()) => {
            out.push(node);
        }
        NodeValue::List(items) => items.iter().for_each(|n| placeholder_values(n, out)),
        NodeValue::Map(entries) => entries.iter().for_each(|(_, n)| placeholder_values(n, out)),
        _ => {}
    }
}

/// The 1-based column (in characters) of byte `at` of `line`.
fn char_column(line: &str, at: usize) -> usize {
    line[..at].chars().count() + 1
}

/// The column of the value of `key: value # …`, when the line has one before its comment.
fn value_column(line: &str) -> Option<usize> {
    let (key, rest) = line.split_once(": ")?;
    let value = rest.trim_start();
    if value.is_empty() || value.starts_with('#') {
        return None;
    }
    Some(char_column(
        line,
        key.len() + 2 + (rest.len() - value.len()),
    ))
}

/// The key of a block-style line (`  street: …`, `- label: …`), if it has one.
fn key_of(line: &str) -> Option<&str> {
    let item = line.trim_start().trim_start_matches("- ");
    if item.starts_with('#') {
        return None;
    }
    let (key, _) = item
        .split_once(": ")
        .or_else(|| item.trim_end().strip_suffix(':').map(|k| (k, "")))?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with(['"', '\'', '{', '['])).then_some(key)
}

/// The dotted path of the field written on each `wanted` line (`address.street`; `None` for
/// the others), found by the keys of the less indented lines above it: one pass, keeping
/// the chain of those lines.
fn field_paths(lines: &[&str], wanted: impl Fn(usize) -> bool) -> Vec<Option<String>> {
    let indent = |line: &str| line.len() - line.trim_start_matches([' ', '-']).len();
    // The lines that can be a parent, by strictly growing indentation.
    let mut chain: Vec<(usize, Option<&str>)> = Vec::new();
    let mut paths = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        let depth = indent(line);
        let parents = chain.partition_point(|(d, _)| *d < depth);
        if wanted(index) {
            let mut path: Vec<&str> = chain[..parents].iter().filter_map(|(_, k)| *k).collect();
            path.extend(key_of(line));
            paths.push((!path.is_empty()).then(|| path.join(".")));
        } else {
            paths.push(None);
        }
        if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            chain.truncate(parents);
            chain.push((depth, key_of(line)));
        }
    }
    paths
}

/// The HTML comments `<!-- DA COMPLETARE …` of the body (`text[body_start..]`), outside code.
fn in_body(path: &Path, text: &str, body_start: usize) -> Vec<Diagnostic> {
    let body = &text[body_start..];
    if !holds(body, BODY_START) {
        return Vec::new();
    }
    let mut lines = LineIndex::new(text);
    Parser::new(body)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Html(html) | Event::InlineHtml(html) => html
                .find(BODY_START)
                .map(|at| range.start + (html.len() - html.trim_start().len()).max(at)),
            _ => None,
        })
        .map(|offset| {
            let (line, column) = lines.locate(body_start + offset);
            Diagnostic::new(
                Code::ContentPlaceholder,
                path,
                msg!(
                    "the text still holds the placeholder that `wemi new` wrote ({marker})",
                    marker = MARKER
                ),
            )
            .at(line, column)
            .hint(msg!(
                "write the page's text in place of this line, or delete the line if the page needs no text"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::i18n::Lang;
    use crate::content::front_matter;

    /// (line, column, message) of every placeholder of the file `text`.
    fn found(text: &str) -> Vec<(usize, usize, String)> {
        let split = front_matter::split(text).unwrap();
        let body_start = text.len() - split.body.len();
        find(
            Path::new("content/spazi/a.md"),
            text,
            split.yaml,
            split.yaml_line_offset,
            body_start,
        )
        .into_iter()
        .map(|d| {
            assert_eq!(d.code, Code::ContentPlaceholder);
            let message = d.message_in(Lang::En).to_string();
            (d.line.unwrap(), d.column.unwrap(), message)
        })
        .collect()
    }

    /// Thousands of markers, as fields and inside a block text, cost linear time: each line
    /// is looked up once, field paths come from one pass, and the front matter is parsed
    /// again at most PARSES times. The quadratic version took, with the release build,
    /// 4.2 s for the 20,000 fields alone and 3.2 s for 3,000 block lines alone (and grew as
    /// the square); the bound only catches a hang.
    #[test]
    fn thousands_of_markers_take_linear_time() {
        let fields: String = (0..20_000)
            .map(|i| format!("  k{i}: v # DA COMPLETARE\n"))
            .collect();
        let block: String = (0..5_000)
            .map(|i| format!("    riga {i} # DA COMPLETARE\n"))
            .collect();
        let text = format!("---\ntitle: x\nextra:\n{fields}  t: |\n{block}---\ntesto\n");
        let started = std::time::Instant::now();
        let found = found(&text);
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
        assert!(found.len() >= 20_000, "{}", found.len());
        assert_eq!(
            found[0],
            (
                4,
                7,
                "`extra.k0` still holds the placeholder that `wemi new` wrote (DA COMPLETARE)"
                    .to_string()
            )
        );
    }

    #[test]
    fn what_wemi_new_writes_is_found_at_its_line_and_column() {
        let text = "---\ntitle: \"Città\"\nmunicipio: 1 # DA COMPLETARE\naddress: # DA COMPLETARE\n  \
                    street: \"DA COMPLETARE\" # DA COMPLETARE\nphone: \"02 0000 0000\"   # DA COMPLETARE  \n\
                    ---\nTesto.\n\n<!-- DA COMPLETARE: scrivi qui -->\n";
        let found = found(text);
        let at: Vec<(usize, usize)> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(
            at,
            [(3, 12), (4, 10), (5, 11), (6, 8), (10, 1)],
            "{found:#?}"
        );
        assert_eq!(
            found[2].2,
            "`address.street` still holds the placeholder that `wemi new` wrote (DA COMPLETARE)"
        );
        assert!(found[4].2.starts_with("the text still holds"), "{found:#?}");
    }

    #[test]
    fn a_value_left_without_its_comment_is_still_a_placeholder() {
        let text = "---\ndescription: \"DA COMPLETARE\"\nsite: https://example.org/da-completare\n\
                    contacts:\n  email: da-completare@example.org\n---\n";
        let at: Vec<(usize, usize)> = found(text).iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(2, 14), (3, 7), (5, 10)]);
    }

    #[test]
    fn honest_text_that_mentions_the_words_is_not_a_placeholder() {
        let text = "---\ntitle: \"Lavori DA COMPLETARE\"\n\
                    description: \"Il cantiere # DA COMPLETARE\"\n\
                    note: |\n  Una riga di testo # DA COMPLETARE\n\
                    other: 'a # DA COMPLETARE'\n\
                    quoted: \"prima riga # DA COMPLETARE\n  seconda riga\"\n\
                    lower: 1 # da completare\n\
                    joined: 1 #DA COMPLETARE\n\
                    ---\n\
                    I lavori sono DA COMPLETARE entro marzo.\n\n\
                    ```html\n<!-- DA COMPLETARE: un esempio -->\n```\n\n    \
                    <!-- DA COMPLETARE: codice rientrato -->\n\n\
                    `<!-- DA COMPLETARE -->` nel testo.\n";
        assert_eq!(found(text), []);
    }

    #[test]
    fn a_yaml_error_does_not_hide_the_comments() {
        let text = "---\nmunicipio: 1 # DA COMPLETARE\nstatus: [open\n---\n";
        let at: Vec<(usize, usize)> = found(text).iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(2, 12)]);
    }
}
