//! Lines and columns of byte offsets in a text, for diagnostics.
//!
//! A file may hold thousands of located things (links, shortcode calls, rows of a table).
//! Counting the lines from the top of the file for each of them costs the file's length every
//! time. A [`LineIndex`] counts forward from the last offset it located, so that offsets asked
//! in order cost one pass over the text up to the last of them; the first offset asked out of
//! order makes it index the line starts, found then by binary search, so that any order costs
//! one pass plus a search per offset.

use memchr::{memchr_iter, memrchr};

/// A text's lines, located forward from the last offset, then by its line starts once an
/// offset is asked out of order.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset where each line starts (0, then one after each `\n`): made when an offset
    /// comes before the last one located.
    starts: Option<Vec<usize>>,
    /// The last offset located, with its 1-based line and column.
    last: (usize, usize, usize),
}

impl<'a> LineIndex<'a> {
    /// An index of the lines of `text`, which reads nothing yet.
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            starts: None,
            last: (0, 1, 1),
        }
    }

    /// 1-based line and column (in characters) of byte `offset` (the end of the text past it).
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let bytes = self.text.as_bytes();
        let (last, line, column) = self.last;
        if offset < last && self.starts.is_none() {
            let ends = memchr_iter(b'\n', bytes).map(|i| i + 1);
            self.starts = Some(std::iter::once(0).chain(ends).collect());
        }
        let (line, column) = match &self.starts {
            // Forward, counting the lines in between many bytes at a time.
            None => {
                let between = &bytes[last..offset];
                match memrchr(b'\n', between) {
                    None => (line, column + chars_in(between)),
                    Some(end) => (
                        line + memchr_iter(b'\n', between).count(),
                        1 + chars_in(&between[end + 1..]),
                    ),
                }
            }
            // The line whose start is the last one at or before `offset`.
            Some(starts) => {
                let line = starts.partition_point(|&start| start <= offset);
                let line_start = starts[line - 1];
                let (from, column) = match (last, column) {
                    (last, column) if last >= line_start && last <= offset => (last, column),
                    _ => (line_start, 1),
                };
                (line, column + chars_in(&bytes[from..offset]))
            }
        };
        self.last = (offset, line, column);
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
