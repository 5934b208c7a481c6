//! Why libyaml refused a text, said as an editor understands it and placed where the editor
//! must act.
//!
//! libyaml names the token it could not place (`did not find expected key`, `mapping values
//! are not allowed in this context`), which is rarely what the editor did: the same message
//! comes from a line indented one space too many, a value holding `: `, a title in
//! typographic quotes or a quote closed too early. So each message is told apart by looking at
//! the text around libyaml's position: the line's indentation against its neighbours', the
//! character found, the quotes before it. Every look is at a few lines, or back over one
//! quoted value, so the whole costs time linear in the text.

use crate::base::error::Code;
use crate::base::i18n::{Text, msg};

/// A text libyaml refused: why, where (1-based line and column) and how to fix it.
pub(super) struct Refusal {
    /// The kind of mistake.
    pub code: Code,
    /// The line to fix.
    pub line: usize,
    /// The column on it.
    pub column: usize,
    /// What is wrong.
    pub message: Text,
    /// How to fix it.
    pub hint: Text,
}

/// Quotes that word processors put in place of `"` and `'`: YAML reads them as letters.
pub const TYPOGRAPHIC_QUOTES: &[char] = &['“', '”', '„', '‘', '’', '‚', '«', '»', '‹', '›'];

/// Characters that cannot start a plain YAML value and no other token either, where editors
/// type them as text (`@utente`, `` `codice` ``, `%`).
const RESERVED_STARTS: &[char] = &['@', '`', '%'];

/// How the problems of libyaml (and of serde_yaml reading its events) start: the messages
/// about the text itself, not about a value of the wrong type.
const LIBYAML_PROBLEMS: &[&str] = &[
    "found ",
    "did not find ",
    "could not find ",
    "mapping ",
    "block sequence ",
    "control characters ",
    "invalid leading UTF-8",
    "invalid trailing UTF-8",
    "incomplete UTF-8",
    "unknown anchor",
    "deserializing from YAML containing more than one document",
];

/// The error of a text libyaml refused, or `None` when `err` is not a syntax error of its
/// (a value of the wrong type, a key written twice, a limit: the caller's to say).
pub(super) fn syntax_error(text: &str, err: &serde_yaml::Error) -> Option<Refusal> {
    let full = err.to_string();
    if full.starts_with("control characters are not allowed") {
        let offset = text.find(|c: char| {
            (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
                || matches!(c, '\u{fffe}' | '\u{ffff}')
        })?;
        return Some(error(
            Code::YamlControlCharacter,
            place(text, offset),
            msg!("this line holds an invisible control character"),
            msg!("delete it: it often comes with text pasted from another program"),
        ));
    }
    if !LIBYAML_PROBLEMS.iter().any(|start| full.starts_with(start)) {
        return None;
    }
    if full.contains("more than one document") {
        return Some(more_than_one_document(text));
    }
    let problem = full.split(" at line ").next().unwrap_or(&full);
    // Where libyaml stopped, and where the token it was reading began (`while scanning a
    // quoted scalar at line 2 column 8`), as byte offsets.
    let at = err.location()?.index().min(text.len());
    let context = full
        .split_once(", while ")
        .and_then(|(_, context)| context.split(" at line ").nth(1))
        .and_then(|mark| mark.split_once(" column "))
        .and_then(|(line, column)| Some((line.parse().ok()?, column.parse().ok()?)))
        .map(|(line, column)| libyaml_offset(text, line, column));
    let line = Line::at(text, at);
    if let Some(error) = tab(&line).or_else(|| typographic_quotes(text, &line)) {
        return Some(error);
    }
    if full.contains("while scanning a quoted scalar") && problem.contains("end of stream") {
        return Some(unclosed_quote(text, context?));
    }
    for (kind, open, close) in [("sequence", '[', ']'), ("mapping", '{', '}')] {
        if full.contains(&format!("while parsing a flow {kind}"))
            && problem == format!("did not find expected ',' or '{close}'")
        {
            return Some(error(
                Code::YamlUnclosedBracket,
                place(text, context?),
                msg!("the `{open}` opened here is never closed", open = open),
                msg!(
                    "close it with `{close}` after its last item, and put a `,` between items",
                    close = close
                ),
            ));
        }
    }
    let found = text[at..].chars().next();
    Some(match problem {
        "found unknown escape character"
        | "did not find expected hexadecimal number"
        | "found invalid Unicode character escape code" => escape(text, at, context),
        // `title: > Prova`: a `|` or `>` that starts a block of text must end its line.
        "did not find expected comment or line break"
            if full.contains("while scanning a block scalar") =>
        {
            let start = context.unwrap_or(at);
            let c = text[start..].chars().next().unwrap_or('>');
            needs_quotes(text, start, c)
        }
        "found undefined tag handle" | "mapping keys are not allowed in this context" => {
            match found {
                Some(c @ ('!' | '?')) => needs_quotes(text, at, c),
                _ => not_valid(text, at),
            }
        }
        "found character that cannot start any token" => match found {
            Some(c) if RESERVED_STARTS.contains(&c) => needs_quotes(text, at, c),
            _ => not_valid(text, at),
        },
        "unknown anchor" | "did not find expected alphabetic or numeric character" => {
            let start = context.unwrap_or(at);
            match text[start..].chars().next() {
                Some(c @ ('*' | '&')) => needs_quotes(text, start, c),
                _ => not_valid(text, at),
            }
        }
        "mapping values are not allowed in this context" => match line.first_key_colon() {
            Some(colon) if colon == at && line.above().is_some_and(|a| a.indent < line.indent) => {
                indented_more(&line)
            }
            _ => unquoted_colon(text, at),
        },
        "could not find expected ':'" => missing_colon(text, context.unwrap_or(at)),
        "block sequence entries are not allowed in this context" => item_out_of_place(text, at),
        "did not find expected key" | "did not find expected '-' indicator" => {
            misplaced_token(text, &line, at)
        }
        _ => not_valid(text, at),
    })
}

/// A syntax error of `code` at a line and column.
fn error(code: Code, (line, column): (usize, usize), message: Text, hint: Text) -> Refusal {
    Refusal {
        code,
        line,
        column,
        message,
        hint,
    }
}

/// One line of the text, with where it starts and how far it is indented.
struct Line<'a> {
    text: &'a str,
    /// The whole text, to look at the lines around.
    whole: &'a str,
    /// The byte offset where the line starts.
    start: usize,
    /// How many spaces and tabs start it.
    indent: usize,
}

impl<'a> Line<'a> {
    /// The line holding byte `offset` of `whole`.
    fn at(whole: &'a str, offset: usize) -> Line<'a> {
        let start = whole[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let end = whole[start..]
            .find(['\n', '\r'])
            .map_or(whole.len(), |i| start + i);
        let text = &whole[start..end];
        Line {
            text,
            whole,
            start,
            indent: text.len() - text.trim_start_matches([' ', '\t']).len(),
        }
    }

    /// What the line holds after its indentation.
    fn content(&self) -> &'a str {
        &self.text[self.indent..]
    }

    /// The byte offset where its content starts.
    fn content_start(&self) -> usize {
        self.start + self.indent
    }

    /// Whether it holds nothing but blanks or a comment.
    fn is_blank(&self) -> bool {
        self.content().is_empty() || self.content().starts_with('#')
    }

    /// The line before, if any.
    fn previous(&self) -> Option<Line<'a>> {
        let end = self.start.checked_sub(1)?;
        let end = if self.whole[..end].ends_with('\r') && self.whole[end..].starts_with('\n') {
            end - 1
        } else {
            end
        };
        Some(Line::at(self.whole, end))
    }

    /// The nearest line before that holds something.
    fn above(&self) -> Option<Line<'a>> {
        let mut line = self.previous()?;
        while line.is_blank() {
            line = line.previous()?;
        }
        Some(line)
    }

    /// The offset of the colon of a `key: value` line whose key is a plain word (`title`,
    /// `opening_hours`): what an editor writes as a field, not as text.
    fn first_key_colon(&self) -> Option<usize> {
        let content = self.content().strip_prefix("- ").unwrap_or(self.content());
        let key_length = content
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .filter(|&n| n > 0)?;
        let after = &content[key_length..];
        (after == ":" || after.starts_with(": ") || after.starts_with(":\t"))
            .then(|| self.content_start() + self.content().len() - content.len() + key_length)
    }

    /// The key of a `key: value` line, or the text of a `- item` line, as the editor can find it
    /// on the line: at most a few words.
    fn label(&self) -> String {
        let content = self.content();
        let shown = match self.first_key_colon() {
            Some(colon) => &self.whole[self.content_start()..=colon],
            None => content,
        };
        let mut label: String = shown.chars().take(30).collect();
        if label.len() < shown.len() {
            label.push('…');
        }
        label
    }

    /// The value written after `key: ` or `- ` on this line, and its byte offset.
    fn value(&self) -> Option<(usize, &'a str)> {
        let value_start = match self.first_key_colon() {
            Some(colon) => colon + 1,
            None if self.content().starts_with("- ") => self.content_start() + 1,
            None => return None,
        };
        let raw = &self.whole[value_start..self.start + self.text.len()];
        let trimmed = raw.trim_start_matches([' ', '\t']);
        let value = trimmed.trim_end();
        (!value.is_empty()).then_some((value_start + raw.len() - trimmed.len(), value))
    }

    /// The line as it would be written with `inner` in straight double quotes in place of its
    /// value from byte `offset` on: what a hint can show as the fix.
    fn with_value_quoted(&self, offset: usize, inner: &str) -> String {
        let escaped = inner.replace('\\', "\\\\").replace('"', "\\\"");
        let before = self.whole.get(self.content_start()..offset).unwrap_or("");
        format!("{before}\"{escaped}\"")
    }
}

/// A tab in the indentation of the line libyaml stopped on.
fn tab(line: &Line) -> Option<Refusal> {
    let indent = &line.text[..line.indent];
    let tab = indent.find('\t')?;
    Some(error(
        Code::YamlTab,
        place(line.whole, line.start + tab),
        msg!("this line is indented with a tab"),
        msg!("YAML indents with spaces only: replace the tab with spaces"),
    ))
}

/// A value of the line libyaml stopped on that starts with a typographic quote.
fn typographic_quotes(text: &str, line: &Line) -> Option<Refusal> {
    let (offset, value) = line.value()?;
    let quote = value
        .chars()
        .next()
        .filter(|c| TYPOGRAPHIC_QUOTES.contains(c))?;
    let fixed = line.with_value_quoted(offset, value.trim_matches(TYPOGRAPHIC_QUOTES));
    Some(error(
        Code::YamlTypographicQuotes,
        place(text, offset),
        msg!(
            "the value starts with `{quote}`, a typographic quote, which YAML does not read as a quote",
            quote = quote
        ),
        msg!(
            "write it between straight quotes instead: {fixed}",
            fixed = fixed
        ),
    ))
}

/// A quote that opens at `open` and is never closed.
fn unclosed_quote(text: &str, open: usize) -> Refusal {
    error(
        Code::YamlUnclosedQuote,
        place(text, open),
        msg!("the quotes opened here are never closed"),
        msg!(
            "close them at the end of the text; a quote inside it is written \\\" between \" \" or '' between ' '"
        ),
    )
}

/// A backslash between double quotes that starts no escape (`"C:\Utenti"`).
fn escape(text: &str, at: usize, context: Option<usize>) -> Refusal {
    // libyaml stops after the backslash, or at it.
    let from = context.unwrap_or(0).min(at);
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let backslash = text[from..end].rfind('\\').map_or(at, |i| from + i);
    let escaped: String = text[backslash..].chars().take(2).collect();
    error(
        Code::YamlEscape,
        place(text, backslash),
        msg!(
            "`{escaped}` is not a valid escape between double quotes",
            escaped = escaped
        ),
        msg!("write a backslash as `\\\\`, or put the value between single quotes ' '"),
    )
}

/// A value that starts with `c`, which YAML keeps for itself.
fn needs_quotes(text: &str, at: usize, c: char) -> Refusal {
    let line = Line::at(text, at);
    let value = text[at..line.start + line.text.len()].trim_end();
    let fixed = line.with_value_quoted(at, value);
    // A backtick cannot be shown between backticks.
    let character = match c {
        '`' => msg!("a backtick (`)"),
        c => Text::from(format!("`{c}`")),
    };
    error(
        Code::YamlNeedsQuotes,
        place(text, at),
        msg!(
            "a value cannot start with {character} unless it is in quotes",
            character = character
        ),
        msg!("write it in quotes: {fixed}", fixed = fixed),
    )
}

/// A value holding `: ` without quotes (the colon at `at`).
fn unquoted_colon(text: &str, at: usize) -> Refusal {
    let line = Line::at(text, at);
    let hint = match line.value() {
        Some((offset, value)) if offset < at => msg!(
            "write it in quotes: {fixed}",
            fixed = line.with_value_quoted(offset, value)
        ),
        _ => msg!("a value containing `: ` must be quoted, e.g. title: \"Orari: dalle 9\""),
    };
    error(
        Code::YamlUnquotedColon,
        place(text, at),
        msg!("a value contains `: ` without quotes"),
        hint,
    )
}

/// A `key` line without `: ` where a key is expected, or with `:` not followed by a space.
fn missing_colon(text: &str, key: usize) -> Refusal {
    error(
        Code::YamlMissingColon,
        place(text, key),
        msg!("this line has no `: ` between a key and its value"),
        msg!(
            "write `key: value`, with a space after the `:`; if the line goes on the text of the field above, indent it more than that field"
        ),
    )
}

/// A line that starts further right than the line above it, as if it went on its value.
fn indented_more(line: &Line) -> Refusal {
    let above = line.above();
    error(
        Code::YamlIndentation,
        place(line.whole, line.content_start()),
        msg!("this line is indented more than the line above it"),
        align_with(above.as_ref().unwrap_or(line)),
    )
}

/// "Align it with `label`", with the number of spaces to put before it.
fn align_with(line: &Line) -> Text {
    let label = line.label();
    match line.indent {
        0 => msg!(
            "align it with `{above}`, at the start of the line",
            above = label
        ),
        spaces => msg!(
            "align it with `{above}` ({spaces} spaces from the start of the line)",
            above = label,
            spaces = spaces
        ),
    }
}

/// A `- ` list item where the map around it expects a key.
fn item_out_of_place(text: &str, at: usize) -> Refusal {
    error(
        Code::YamlIndentation,
        place(text, at),
        msg!("a list item cannot start here"),
        msg!(
            "a list goes under a field with nothing after its `:` (`luoghi:`), one `- ` item per line, each indented by the same spaces"
        ),
    )
}

/// What libyaml could not place where it expected a key (or a `- ` item): text after a closing
/// quote, a list item after a field that has a value, or a line whose indentation matches none
/// of the lines around it.
fn misplaced_token(text: &str, line: &Line, at: usize) -> Refusal {
    let before = text[line.start..at].trim_end_matches([' ', '\t']);
    if at > line.content_start() && before.ends_with(['"', '\'']) {
        return text_after_quote(text, line.start + before.len() - 1);
    }
    if at != line.content_start() {
        return not_valid(text, at);
    }
    // The indentation of the lines this one should line up with: going back over lines
    // indented more, the least indented of them.
    let mut sibling: Option<Line> = None;
    let mut above = line.above();
    while let Some(candidate) = above {
        if candidate.indent <= line.indent {
            break;
        }
        above = candidate.above();
        if sibling
            .as_ref()
            .is_none_or(|s| candidate.indent <= s.indent)
        {
            sibling = Some(candidate);
        }
    }
    let is_item = line.content() == "-" || line.content().starts_with("- ");
    match sibling {
        Some(sibling) => {
            let message = if is_item {
                msg!("this list item is indented less than the items above it")
            } else {
                msg!("this line is indented less than the fields above it")
            };
            error(
                Code::YamlIndentation,
                place(text, at),
                message,
                align_with(&sibling),
            )
        }
        None if is_item => item_out_of_place(text, at),
        None => match line.above() {
            Some(above) if above.indent < line.indent => indented_more(line),
            // `luoghi:\n  - a\n  b: 2`: among a list's items, a line that is not one.
            Some(above)
                if line.indent > 0
                    && above.indent == line.indent
                    && above.content().starts_with("- ") =>
            {
                error(
                    Code::YamlIndentation,
                    place(text, at),
                    msg!("this line is among the items of a list but does not start with `- `"),
                    msg!(
                        "start it with `- ` if it is one more item; if it is a field, indent it less than the list"
                    ),
                )
            }
            _ => not_valid(text, at),
        },
    }
}

/// Text after the quote that closes at `close`: the quotes were closed too early, or opened on
/// an earlier line and never closed until a quote of a later value.
fn text_after_quote(text: &str, close: usize) -> Refusal {
    let open = opening_quote(text, close);
    if open.is_some_and(|open| Line::at(text, open).start != Line::at(text, close).start) {
        return unclosed_quote(text, open.unwrap_or(close));
    }
    error(
        Code::YamlTextAfterQuote,
        place(text, close),
        msg!("the quote here closes the value, but the text goes on after it"),
        msg!(
            "put the quotes around the whole value: inside it a quote is written \\\" between \" \", an apostrophe '' between ' '"
        ),
    )
}

/// The offset of the quote that opens the quoted value closed at `close`: going back over
/// escaped quotes (`\"` in `"…"`, `''` in `'…'`).
fn opening_quote(text: &str, close: usize) -> Option<usize> {
    let quote = text[close..].chars().next()?;
    let inside = &text[..close];
    if quote == '"' {
        let mut end = inside.len();
        loop {
            let at = inside[..end].rfind('"')?;
            let backslashes = inside[..at].len() - inside[..at].trim_end_matches('\\').len();
            if backslashes.is_multiple_of(2) {
                return Some(at);
            }
            end = at;
        }
    }
    let mut end = inside.len();
    loop {
        let at = inside[..end].rfind('\'')?;
        let run_start = inside[..at].trim_end_matches('\'').len();
        let run = at + 1 - run_start;
        if !run.is_multiple_of(2) {
            return Some(run_start);
        }
        end = run_start;
    }
}

/// A text that serde_yaml reads as several documents: in front matter, a first line indented
/// more than the ones after it.
fn more_than_one_document(text: &str) -> Refusal {
    let first = text
        .split_inclusive('\n')
        .scan(0, |start, line| {
            let this = *start;
            *start += line.len();
            Some(Line::at(text, this))
        })
        .find(|line| !line.is_blank());
    match first {
        Some(first) if first.indent > 0 => error(
            Code::YamlIndentation,
            place(text, first.content_start()),
            msg!("the first line is indented more than the lines after it"),
            msg!("remove the blanks at the start of the line"),
        ),
        _ => error(
            Code::YamlSyntax,
            (1, 1),
            msg!("this text holds more than one YAML document"),
            msg!("remove the `---` or `...` lines inside it"),
        ),
    }
}

/// A refusal with no cause of its own: said in the editor's language, at the line.
fn not_valid(text: &str, at: usize) -> Refusal {
    error(
        Code::YamlSyntax,
        place(text, at),
        msg!("this line is not valid YAML"),
        msg!("check the indentation and the quotes on this line"),
    )
}

/// The 1-based line and column of byte `index` of `text` as editors show them: `\r\n`, `\n`
/// and `\r` end a line. libyaml's own line numbers also end one at NEL, LS and PS, which
/// editors show within a line, and name a line after the last one at the end of a text
/// without a final line break.
pub(super) fn place(text: &str, index: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    let mut chars = text[..index.min(text.len())].chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' || (c == '\r' && chars.peek() != Some(&'\n')) {
            line += 1;
            column = 1;
        } else if c != '\r' {
            column += 1;
        }
    }
    (line, column)
}

/// The byte offset of the 1-based `line` and `column` that a libyaml message gives, counted
/// its way: `\r\n`, `\n`, `\r`, NEL, LS and PS each end a line.
pub(super) fn libyaml_offset(text: &str, line: usize, column: usize) -> usize {
    let mut line_start = 0;
    let mut lines_before = 0;
    let mut chars = text.char_indices().peekable();
    while lines_before + 1 < line {
        let Some((i, c)) = chars.next() else {
            return text.len();
        };
        let crlf = c == '\r' && chars.next_if(|&(_, next)| next == '\n').is_some();
        if crlf || matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            lines_before += 1;
            line_start = i + c.len_utf8() + usize::from(crlf);
        }
    }
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::yaml::{YamlProblem, YamlValue, parse};

    /// The code, line, column and English message of the error in `text`.
    fn refused(text: &str) -> (Code, usize, usize, String) {
        let err = parse::<YamlValue>(text).unwrap_err();
        let YamlProblem::Syntax(code) = err.problem else {
            panic!("{text:?}: {err:?}");
        };
        (code, err.line.unwrap(), err.column.unwrap(), err.message.en)
    }

    #[track_caller]
    fn assert_refused(text: &str, code: Code, line: usize, column: usize, message: &str) {
        assert_eq!(
            refused(text),
            (code, line, column, message.to_string()),
            "{text:?}"
        );
    }

    #[test]
    fn a_line_indented_more_than_the_one_above_is_not_a_colon_in_a_value() {
        let more = "this line is indented more than the line above it";
        for (text, line, column) in [
            ("title: Prova\n description: x\n", 2, 2),
            ("title: x\n  description: y\n", 2, 3),
            ("extra:\n  a: 1\n   b: 2\n", 3, 4),
            ("title: x #c\n  d: 1\n", 2, 3),
        ] {
            assert_refused(text, Code::YamlIndentation, line, column, more);
        }
        let err = parse::<YamlValue>("extra:\n  a: 1\n   b: 2\n").unwrap_err();
        assert_eq!(
            err.hint.unwrap().it.as_deref(),
            Some("allinea la riga a `a:` (2 spazi dall'inizio della riga)")
        );
        let err = parse::<YamlValue>("title: Prova\n description: x\n").unwrap_err();
        assert_eq!(
            err.hint.unwrap().en,
            "align it with `title:`, at the start of the line"
        );
        // A colon after text, or after a key on its own line, is in a value.
        let colon = "a value contains `: ` without quotes";
        assert_refused(
            "title: Orari: dalle 9\n",
            Code::YamlUnquotedColon,
            1,
            13,
            colon,
        );
        assert_refused(
            "title: Orari\n  dalle ore: 9\n",
            Code::YamlUnquotedColon,
            2,
            12,
            colon,
        );
    }

    #[test]
    fn a_line_indented_less_than_its_siblings_is_aligned_with_them() {
        let less = "this line is indented less than the fields above it";
        assert_refused(
            "title: P\nextra:\n  a: 1\n b: 2\n",
            Code::YamlIndentation,
            4,
            2,
            less,
        );
        // The siblings, not the deeper line just above.
        let text = "extra:\n  a:\n    x: 1\n b: 2\n";
        assert_refused(text, Code::YamlIndentation, 4, 2, less);
        let hint = parse::<YamlValue>(text).unwrap_err().hint.unwrap();
        assert_eq!(
            hint.en,
            "align it with `a:` (2 spaces from the start of the line)"
        );
        assert_refused(
            "title: P\nluoghi:\n  - a\n - b\n",
            Code::YamlIndentation,
            4,
            2,
            "this list item is indented less than the items above it",
        );
        assert_refused(
            "title: P\n- a\n",
            Code::YamlIndentation,
            2,
            1,
            "a list item cannot start here",
        );
        assert_refused(
            "title: - a\n",
            Code::YamlIndentation,
            1,
            8,
            "a list item cannot start here",
        );
        assert_refused(
            "luoghi:\n  - a\n  b: 2\n",
            Code::YamlIndentation,
            3,
            3,
            "this line is among the items of a list but does not start with `- `",
        );
        // serde_yaml reads an indented first line and the lines after it as two documents.
        assert_refused(
            " title: P\ndescription: x\n",
            Code::YamlIndentation,
            1,
            2,
            "the first line is indented more than the lines after it",
        );
    }

    #[test]
    fn quotes_closed_too_early_or_never() {
        let never = "the quotes opened here are never closed";
        // Closed only by the first quote of the next value: found where they open.
        assert_refused(
            "title: \"Orari\ndescription: \"x\"\n",
            Code::YamlUnclosedQuote,
            1,
            8,
            never,
        );
        assert_refused(
            "a: x\ntitle: \"Orari\n",
            Code::YamlUnclosedQuote,
            2,
            8,
            never,
        );
        assert_refused("title: 'Orari\n", Code::YamlUnclosedQuote, 1, 8, never);
        // The only field, as front matter gives it (the `---` lines are not part of it).
        assert_refused("title: \"Orari\n", Code::YamlUnclosedQuote, 1, 8, never);
        let early = "the quote here closes the value, but the text goes on after it";
        assert_refused(
            "title: 'L'orario\nb: x\n",
            Code::YamlTextAfterQuote,
            1,
            10,
            early,
        );
        assert_refused(
            "title: \"Orari\" dalle 9\n",
            Code::YamlTextAfterQuote,
            1,
            14,
            early,
        );
        assert_refused("title: 'a''b' c\n", Code::YamlTextAfterQuote, 1, 13, early);
        assert_refused(
            "title: \"a\\\"b\" c\n",
            Code::YamlTextAfterQuote,
            1,
            13,
            early,
        );
    }

    #[test]
    fn typographic_quotes_are_named() {
        for (text, quote) in [
            ("title: “Orari: dalle 9”\n", '“'),
            ("title: «Orari: dalle 9»\n", '«'),
            ("luoghi:\n  - “Brera”: via: x\n", '“'),
        ] {
            let err = parse::<YamlValue>(text).unwrap_err();
            assert_eq!(
                err.problem,
                YamlProblem::Syntax(Code::YamlTypographicQuotes)
            );
            assert!(err.message.en.contains(&format!("`{quote}`")), "{err:?}");
            assert_eq!(
                err.column,
                Some(text.lines().last().unwrap().find(quote).unwrap() + 1)
            );
        }
        let err = parse::<YamlValue>("title: “Orari: dalle \"9\"”\n").unwrap_err();
        assert_eq!(
            err.hint.unwrap().en,
            "write it between straight quotes instead: title: \"Orari: dalle \\\"9\\\"\""
        );
    }

    #[test]
    fn characters_yaml_keeps_for_itself_ask_for_quotes() {
        for (text, c, column) in [
            ("title: @prova\n", "`@`", 8),
            ("title: `prova`\n", "a backtick (`)", 8),
            ("title: %prova\n", "`%`", 8),
            ("title: *Novità*\n", "`*`", 8),
            ("title: *a\n", "`*`", 8),
            ("title: & Co\n", "`&`", 8),
            ("title: > Prova\n", "`>`", 8),
            ("title: !x!y z\n", "`!`", 8),
            ("title: ? x\n", "`?`", 8),
        ] {
            let message = format!("a value cannot start with {c} unless it is in quotes");
            assert_refused(text, Code::YamlNeedsQuotes, 1, column, &message);
        }
        let err = parse::<YamlValue>("a: 1\nluoghi:\n  - @x\n").unwrap_err();
        assert_eq!(err.hint.unwrap().en, "write it in quotes: - \"@x\"");
    }

    #[test]
    fn other_mistakes_have_their_own_words() {
        let missing = "this line has no `: ` between a key and its value";
        assert_refused(
            "title: P\ndescription\n",
            Code::YamlMissingColon,
            2,
            1,
            missing,
        );
        assert_refused(
            "title: P\ndescription:x\n",
            Code::YamlMissingColon,
            2,
            1,
            missing,
        );
        assert_refused(
            "title: \"C:\\Utenti\"\n",
            Code::YamlEscape,
            1,
            11,
            "`\\U` is not a valid escape between double quotes",
        );
        assert_refused(
            "title: \"a \\q\"\n",
            Code::YamlEscape,
            1,
            11,
            "`\\q` is not a valid escape between double quotes",
        );
        assert_refused(
            "title: P\n\tdescription: x\n",
            Code::YamlTab,
            2,
            1,
            "this line is indented with a tab",
        );
    }

    /// Random texts built from the pieces that matter to the classification (indentation,
    /// quotes of both kinds, colons, dashes, tabs, brackets, backslashes, letters that are not
    /// ASCII): none panics, and every refusal has a place.
    #[test]
    fn any_refusal_is_classified_without_panicking() {
        let mut random = crate::base::yaml::tests::random_below(0x7a61);
        let pieces = [
            "\n", "\n", "\n  ", "\n ", "\n    ", "- ", "-", "a", "title", ": ", ":", "\"", "'",
            "“", "»", "\\", "\t", "[", "]", "{", "}", ",", "#", " ", "@", "*", "&", "!", "?", "|",
            ">", "%", "`", "à", "\r\n", "---", "...",
        ];
        let mut refused = 0;
        for _ in 0..20_000 {
            let text: String = (0..1 + random(14))
                .map(|_| pieces[random(pieces.len())])
                .collect();
            if let Err(err) = parse::<YamlValue>(&text) {
                refused += 1;
                assert!(err.line.is_some(), "{text:?}: {err:?}");
            }
        }
        assert!(refused > 1_000, "only {refused} texts were refused");
    }

    /// Every refusal an editor can reach, said in Italian: none is libyaml's English.
    #[test]
    fn no_refusal_reaches_the_editor_in_english() {
        let texts = [
            "a: [x\n",
            "a: {x: 1\n",
            "a: \"x\n",
            "a:\n  b: 1\n  - c\n",
            "- a\nb: 1\n",
            "a: b\n: c\n",
            "%YAML 1.2\n",
            "a: [a, b]x\n",
            "a: |\n  x\n y\n",
            "a: |0\n",
            "a: \"\\x4\"\n",
            "a: !<x\n",
            "a: x\n...\nb: y\n",
            "? [a\n",
            "a: &\n",
            "a: \u{7}\n",
            "a:\n\t- b\n",
            "a: |\n\tb\n",
            "a: 'x\n---\n",
        ];
        for text in texts {
            let err = parse::<YamlValue>(text).unwrap_err();
            let it = err.message.it.as_deref().unwrap_or("");
            assert!(!it.is_empty(), "{text:?}: {err:?}");
            assert!(
                !["found", "expected", "while", "not allowed"]
                    .iter()
                    .any(|w| it.contains(w)),
                "{text:?}: {it}"
            );
            assert!(
                err.line.is_some() && err.column.is_some(),
                "{text:?}: {err:?}"
            );
        }
    }
}
