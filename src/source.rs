//! A source file's text, and positions in it.

use std::ops::Range;
use std::sync::OnceLock;

/// Byte range into a [`Source`]'s text.
pub type Span = Range<usize>;

/// The text of one file, with its name and a lazily built line index.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
    line_starts: OnceLock<Vec<usize>>,
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            // CRLF, LF and a lone CR each end a line.
            let bytes = self.text.as_bytes();
            let mut starts = vec![0];
            if !bytes.contains(&b'\r') {
                // The usual case, found with memchr instead of a test per byte.
                starts.extend(self.text.match_indices('\n').map(|(i, _)| i + 1));
                return starts;
            }
            starts.extend(bytes.iter().enumerate().filter_map(|(i, &b)| {
                let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
                ends.then_some(i + 1)
            }));
            starts
        })
    }

    /// The line and column of a byte offset (clamped to the text, and to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let column = self.text[start..offset]
            .trim_end_matches('\r')
            .chars()
            .count()
            + 1;
        Position { line, column }
    }

    /// The source text of a span, or "" for a span outside the text.
    pub fn slice(&self, span: &Span) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_cr_and_mixed_line_ends_break_lines() {
        let src = Source::new("a.yaml", "a: 1\rb: 2\r\nc: 3\nd: 4\r");
        for (key, line) in [("a", 1), ("b", 2), ("c", 3), ("d", 4)] {
            let at = src.text.find(key).unwrap();
            assert_eq!(src.position(at), Position { line, column: 1 }, "{key}");
        }
        let at = src.text.find('2').unwrap();
        assert_eq!(src.position(at), Position { line: 2, column: 4 });
    }

    #[test]
    fn positions_count_characters_and_ignore_crlf() {
        let src = Source::new("a.yaml", "机关: 某局\r\n年度: 2020\r\n");
        let off = src.text.find("2020").unwrap();
        assert_eq!(src.position(off), Position { line: 2, column: 5 });
        assert_eq!(src.position(0), Position { line: 1, column: 1 });
    }
}
