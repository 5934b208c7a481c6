//! How deep the lists and maps in brackets (`[…]`, `{…}`) of a YAML text may go, found in one
//! pass before the text is given to the YAML parser.
//!
//! The scanner under `serde_yaml` (libyaml) spends time in proportion to the depth of brackets
//! for every token it reads, so 80 KB of `[[[[…` take it 16 seconds before `serde_yaml` refuses
//! more than 128 levels. [`deepest`] finds such a text first, in linear time.
//!
//! It cannot simply count brackets: a `[` in a quoted text or a comment opens nothing, and a
//! `]` there closes nothing. Inside brackets YAML is easy to read (there are no indentation
//! rules), so this module reads it there as libyaml does; but whether a `[` outside any
//! bracket starts a list depends on block scalars and indentation, which it does not follow.
//! So every `[` and `{` is taken as a possible start, and a reader is started at each one. The
//! readers that are in the same state are merged, keeping the deepest, which bounds the work
//! by the number of states. The reader started at a real start reads exactly as libyaml does,
//! so the depth found is never less than the real one; a text can only seem deeper than it is
//! when it has brackets that never close, hundreds of them, which no real page has.

/// What a reader inside brackets is reading, as libyaml's scanner would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between tokens.
    Token,
    /// A plain (unquoted) scalar.
    Plain,
    /// Blanks or line breaks after a plain scalar's text: it may go on.
    PlainBlanks,
    /// A `'…'` scalar.
    Single,
    /// Just after `'` in a `'…'` scalar that a second `'` escapes.
    SingleEscaped,
    /// A `"…"` scalar.
    Double,
    /// Just after `\` in a `"…"` scalar.
    DoubleEscaped,
    /// A `#` comment.
    Comment,
    /// The name of an anchor (`&a`) or alias (`*a`).
    Name,
    /// A tag (`!t`, `!!str`).
    Tag,
    /// A verbatim tag (`!<…>`).
    VerbatimTag,
}

/// A line break as libyaml reads them.
fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// A blank, a line break or the end of the text.
fn is_blank_or_end(c: Option<char>) -> bool {
    c.is_none_or(|c| is_blank(c) || is_break(c))
}

/// A character of an anchor's name (libyaml's `IS_ALPHA`).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A character that libyaml keeps in a tag that is not verbatim.
fn is_tag_char(c: char) -> bool {
    is_name_char(c) || ";/?:@&=+$.%!~*'()".contains(c)
}

/// Where a reader at `depth` in `state` goes on reading `c` (followed by `next`; `line_start`
/// when `c` begins a line): its new state and depth, or `None` when its brackets are closed.
fn step(
    state: State,
    depth: usize,
    c: char,
    next: Option<char>,
    line_start: bool,
) -> Option<(State, usize)> {
    use State::*;
    let to = |state| Some((state, depth));
    match state {
        Token => match c {
            c if is_blank(c) || is_break(c) => to(Token),
            // libyaml skips a byte order mark at the start of a line.
            '\u{feff}' if line_start => to(Token),
            '#' => to(Comment),
            '[' | '{' => Some((Token, depth + 1)),
            ']' | '}' => (depth > 1).then_some((Token, depth - 1)),
            ',' | '?' | ':' => to(Token),
            '-' if is_blank_or_end(next) => to(Token),
            '*' | '&' => to(Name),
            '!' if next == Some('<') => to(VerbatimTag),
            '!' => to(Tag),
            '\'' => to(Single),
            '"' => to(Double),
            // These cannot start a token: libyaml stops with an error, so what follows does not
            // matter.
            '|' | '>' | '%' | '@' | '`' => to(Token),
            _ => to(Plain),
        },
        Plain => match c {
            c if is_blank(c) || is_break(c) => to(PlainBlanks),
            ':' if is_blank_or_end(next) || next.is_some_and(|n| ",?[]{}".contains(n)) => {
                step(Token, depth, c, next, line_start)
            }
            ',' | '[' | ']' | '{' | '}' => step(Token, depth, c, next, line_start),
            _ => to(Plain),
        },
        PlainBlanks => match c {
            c if is_blank(c) || is_break(c) => to(PlainBlanks),
            '#' => to(Comment),
            _ => step(Plain, depth, c, next, line_start),
        },
        Single => match c {
            '\'' if next == Some('\'') => to(SingleEscaped),
            '\'' => to(Token),
            _ => to(Single),
        },
        SingleEscaped => to(Single),
        Double => match c {
            '\\' => to(DoubleEscaped),
            '"' => to(Token),
            _ => to(Double),
        },
        DoubleEscaped => to(Double),
        Comment if is_break(c) => to(Token),
        Comment => to(Comment),
        Name if is_name_char(c) => to(Name),
        Tag if is_tag_char(c) => to(Tag),
        Name | Tag => step(Token, depth, c, next, line_start),
        VerbatimTag if c == '>' => to(Token),
        VerbatimTag => to(VerbatimTag),
    }
}

/// The byte offset of the first `[` or `{` of `text` that may open a level deeper than
/// `limit` (see the module's comment); `None` when none can.
pub fn deepest(text: &str, limit: usize) -> Option<usize> {
    // The deepest reader in each state: at most one entry per state.
    let mut readers: Vec<(State, usize)> = Vec::new();
    let mut stepped: Vec<(State, usize)> = Vec::new();
    let mut offset = 0;
    let mut line_start = true;
    while let Some(c) = text[offset..].chars().next() {
        if readers.is_empty() {
            // No bracket open: skip to the next one, many bytes at a time.
            let skip = memchr::memchr2(b'[', b'{', &text.as_bytes()[offset..])?;
            if skip > 0 {
                line_start = text[..offset + skip].ends_with(is_break);
                offset += skip;
                continue;
            }
        }
        let next = text[offset + c.len_utf8()..].chars().next();
        // A new reader at a bracket, in case it starts a list or map.
        let new_reader = (c == '[' || c == '{').then_some((State::Token, 1));
        let steps = readers
            .iter()
            .map(|&(state, depth)| step(state, depth, c, next, line_start));
        stepped.clear();
        for (state, depth) in steps.chain([new_reader]).flatten() {
            if depth > limit {
                return Some(offset);
            }
            match stepped.iter_mut().find(|(s, _)| *s == state) {
                Some((_, deepest)) => *deepest = depth.max(*deepest),
                None => stepped.push((state, depth)),
            }
        }
        std::mem::swap(&mut readers, &mut stepped);
        line_start = is_break(c);
        offset += c.len_utf8();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_brackets_that_open_lists_and_maps() {
        assert_eq!(deepest("a: [[[x]]]\n", 3), None);
        assert_eq!(deepest("a: [[[[x]]]]\n", 3), Some(6));
        assert_eq!(deepest("a: {b: [{c: 1}]}\n", 2), Some(8));
        // Closed brackets do not add up.
        let many = "- [a, [b, {c: d}]]\n".repeat(10_000);
        assert_eq!(deepest(&many, 3), None);
        let deep = format!("a: {}", "[".repeat(200));
        assert_eq!(deepest(&deep, 128), Some(3 + 128));
    }

    #[test]
    fn closing_brackets_in_quotes_and_comments_close_nothing() {
        // Three lists open, then a fourth after a text, comment or tag holding `]`: had the
        // `]` closed anything, the fourth would not be found past the limit of 3.
        for text in [
            "a: [[[\"]]]\", [x]]]]\n",
            "a: [[['it'']]]', [x]]]]\n",
            "a: [[[\"\\\"]]]\", [x]]]]\n",
            "a: [[[ # ]]]\n [x]]]]\n",
            "a: [[[!t' [x]]]]\n",
            "a: [[[!<]]]> [x]]]]\n",
        ] {
            assert_eq!(deepest(text, 3), text.find("[x"), "{text}");
        }
        // In a plain scalar a quote is a letter, not the start of a quoted text that would
        // hide the list after it.
        let text = "a: [[[l'a, [x]]]], b'c]\n";
        assert_eq!(deepest(text, 3), text.find("[x"));
        // Many closing brackets in texts cannot hide the lists around them.
        let text = format!("a: {}\n", "[ \"]]]]]]]]]]\", ".repeat(20));
        assert_eq!(deepest(&text, 10), Some(3 + 10 * 16));
    }

    #[test]
    fn texts_in_any_script_are_read_by_whole_characters() {
        // Letters of two, three and four bytes before, between and inside the brackets, and
        // a line break of three bytes (U+2028): the offsets found are those of the `[`.
        for text in [
            "città: [perché, [[è]]] # ☕\n",
            "😀😀: [€ [é [x]]]\n",
            "a: [\u{2028}ü, [\u{2028}[ß]]]\n",
        ] {
            let third = text.match_indices('[').nth(2).map(|(i, _)| i);
            assert_eq!(deepest(text, 2), third, "{text}");
            assert_eq!(deepest(text, 3), None, "{text}");
        }
    }

    #[test]
    fn brackets_outside_lists_may_only_seem_deeper() {
        // In a block text, brackets are letters; taken as possible starts, they add up only
        // when they are left open.
        let prose = "d: |\n  Vedi [la nota] e [l'altra].\n".repeat(1000);
        assert_eq!(deepest(&prose, 2), None);
        // Left open, they do: here the text seems three levels deep.
        assert_eq!(deepest("t: \"[[[\"\n", 2), Some(6));
    }
}
