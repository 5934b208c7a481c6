//! Lines and columns of byte offsets in a text, for diagnostics.
//!
//! A file may hold thousands of located things (links, shortcode calls, rows of a table).
//! Counting the lines from the top of the file for each of them costs the file's length every
//! time; a [`LineIndex`] finds the line of an offset by binary search among the line starts,
//! and counts the characters of the column from the last offset it was asked for when that one
//! is earlier on the same line, so that offsets asked in order cost one pass over the text
//! however long its lines are.

/// The line starts of a text, and the last offset located in it.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts: 0, then one after each `\n`.
    starts: Vec<usize>,
    /// The last offset located, with its 1-based column.
    last: (usize, usize),
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text` (one pass). The line ends are found with the standard
    /// library's `memchr` search, many bytes at a time, not byte by byte: every page's body
    /// is indexed, and this pass showed in the read stage's profile.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: (0, 1),
        }
    }

    /// 1-based line and column (in characters) of byte `offset` (the end of the text past it).
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        // The line whose start is the last one at or before `offset`.
        let line = self.starts.partition_point(|&start| start <= offset);
        let line_start = self.starts[line - 1];
        let (from, column) = match self.last {
            (last, column) if last >= line_start && last <= offset => (last, column),
            _ => (line_start, 1),
        };
        let column = column + chars_in(&self.text.as_bytes()[from..offset]);
        self.last = (offset, column);
        (line, column)
    }
}

/// 1-based line and column of one `offset` of `text`. To locate many offsets of the same text,
/// make one [`LineIndex`].
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).locate(offset)
}

/// The characters in `bytes`: every byte that does not continue a UTF-8 sequence starts one.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the index must agree with: the lines and characters before the offset.
    fn counted(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn agrees_with_counting_in_any_order() {
        let text = "primo\nperché è così\n\n🙂 ultimo";
        let offsets: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        let mut index = LineIndex::new(text);
        for &offset in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(index.locate(offset), counted(text, offset), "{offset}");
        }
        // A few jumps back and forth on one line, and past the end.
        for i in [10, 7, 12, 6, 15] {
            assert_eq!(index.locate(offsets[i]), counted(text, offsets[i]), "{i}");
        }
        assert_eq!(index.locate(text.len() + 5), counted(text, text.len()));
        assert_eq!(line_column("", 0), (1, 1));
    }
}
