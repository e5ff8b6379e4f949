//! The open documents, their versions and kinds, and positions in the encoding the
//! client negotiated (LSP counts columns in UTF-16 code units unless told otherwise).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use crate::finding::Finding;
use crate::source::Span;

/// How columns are counted in positions exchanged with the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding to use given the client's preferences: UTF-8 when offered (no
    /// conversion), else UTF-32, else UTF-16 (the protocol's default, always supported).
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&lsp_types::PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&lsp_types::PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf32 => lsp_types::PositionEncodingKind::UTF32,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Byte offsets ↔ LSP positions in one text.
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
    enc: Encoding,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str, enc: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts, enc }
    }

    /// The position of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character: usize = self.text[start..offset]
            .chars()
            .map(|c| self.enc.width(c))
            .sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    /// The byte offset of a position; past the end of a line is its end, a position in
    /// the middle of a character is that character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |&e| e - 1);
        let mut units = 0usize;
        for (i, c) in self.text[start..end].char_indices() {
            let w = self.enc.width(c);
            if units + w > pos.character as usize {
                return start + i;
            }
            units += w;
        }
        end
    }

    pub fn range(&self, span: &Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    pub fn span(&self, range: Range) -> Span {
        let start = self.offset(range.start);
        start..self.offset(range.end).max(start)
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_span(&self, offset: usize) -> Span {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&e| e - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }
}

/// What a document is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Report,
    Rules,
    Config,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        let name = path.file_name()?.to_str()?;
        if name == "gouji.toml" {
            Some(Kind::Config)
        } else if name.ends_with(".gouji") {
            Some(Kind::Rules)
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            Some(Kind::Report)
        } else {
            None
        }
    }
}

/// One open document.
pub struct Doc {
    pub text: String,
    pub version: i32,
    pub kind: Kind,
    pub path: PathBuf,
    /// The findings of the last check and the version they are for (reports only).
    pub findings: Option<(i32, Vec<Finding>)>,
}

impl Doc {
    /// Applies edits in order; a change without a range replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let span = LineIndex::new(&self.text, enc).span(range);
                    self.text.replace_range(span, &change.text);
                }
                None => self.text = change.text,
            }
        }
    }
}

#[derive(Default)]
pub struct Store {
    pub docs: HashMap<String, Doc>,
}

impl Store {
    pub fn get(&self, uri: &Uri) -> Option<&Doc> {
        self.docs.get(uri.as_str())
    }

    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Doc> {
        self.docs.get_mut(uri.as_str())
    }
}

/// `file:///a/b%20c.yaml` → `/a/b c.yaml`. Other schemes have no path.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///C:/x` on Windows; `file://host/x` is not a local file.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(rest)?;
    let text = String::from_utf8(bytes).ok()?;
    #[cfg(windows)]
    let text = text.trim_start_matches('/').to_string();
    Some(PathBuf::from(text))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = (bytes.next()? as char).to_digit(16)?;
            let lo = (bytes.next()? as char).to_digit(16)?;
            out.push((hi * 16 + lo) as u8);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

/// `/a/b c.yaml` → `file:///a/b%20c.yaml` (bytes outside the unreserved set escaped).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let text = abs.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_each_encoding() {
        // 𠀀 is outside the BMP: two UTF-16 units, four UTF-8 bytes, one character.
        let text = "a: 𠀀中 183\nb: 1\n";
        let at = text.find("183").unwrap();
        for (enc, col) in [
            (Encoding::Utf16, 7),
            (Encoding::Utf8, 11),
            (Encoding::Utf32, 6),
        ] {
            let idx = LineIndex::new(text, enc);
            assert_eq!(idx.position(at), Position::new(0, col), "{enc:?}");
            assert_eq!(idx.offset(Position::new(0, col)), at, "{enc:?}");
        }
        let idx = LineIndex::new(text, Encoding::Utf16);
        // Inside the surrogate pair: the character's start.
        assert_eq!(idx.offset(Position::new(0, 4)), 3);
        // Past the end of a line: its end; past the last line: the end of the text.
        assert_eq!(idx.offset(Position::new(1, 99)), text.len() - 1);
        assert_eq!(idx.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut doc = Doc {
            text: "总计: 183\n".into(),
            version: 1,
            kind: Kind::Report,
            path: "a.yaml".into(),
            findings: None,
        };
        let edit = |l, a, b, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l, a), Position::new(l, b))),
            range_length: None,
            text: t.into(),
        };
        doc.apply(
            vec![edit(0, 6, 7, "2"), edit(0, 0, 0, "# x\n")],
            Encoding::Utf16,
        );
        assert_eq!(doc.text, "# x\n总计: 182\n");
    }

    #[test]
    fn file_uris_round_trip_with_chinese_names() {
        let path = Path::new("/tmp/年报 2020.yaml");
        let uri = path_to_uri(path).unwrap();
        assert!(uri.as_str().starts_with("file:///tmp/%E5%B9%B4"));
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert_eq!(uri_to_path(&"untitled:x".parse().unwrap()), None);
    }
}
