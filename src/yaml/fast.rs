//! The fast path: a line scanner for the canonical subset reports are written in.
//!
//! Block mappings indented with spaces, keys and values as plain scalars, one-line flow
//! mappings of plain scalars (`{自然人: 255, 总计: 271}`), `|` literal blocks for prose, block
//! sequences of mappings (`- 类别: …`), and comments. Anything else — quotes, sequences of
//! scalars, anchors, tabs, CR, multi-line plain scalars,
//! empty values, duplicate keys, a limit reached — returns `None`, and the caller uses the
//! full parser, which also produces the errors. Spans follow granit-parser's conventions
//! exactly (a block mapping ends where the next token begins, a literal where the first
//! less-indented line begins); `tests` hold the two builders to the same tree.

use std::borrow::Cow;

use super::{Entry, Limits, Node, NodeId, NodeKind, Tree};

/// Mappings in reports have a few dozen keys at most; wider ones go to the full parser.
const MAX_WIDTH: usize = 256;

/// An open block mapping.
struct Frame<'a> {
    indent: usize,
    start: usize,
    entries: Vec<Entry<'a>>,
    kind: Kind,
}

/// What an open frame becomes when it closes.
enum Kind {
    /// A block mapping.
    Map,
    /// A block mapping that is an item of a sequence (`- 类别: …`).
    Item,
    /// A block sequence of mappings; `indent` is the column of its dashes.
    Seq(Vec<NodeId>),
}

impl<'a> Frame<'a> {
    fn new(indent: usize, start: usize, kind: Kind) -> Self {
        Frame {
            indent,
            start,
            entries: Vec::new(),
            kind,
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    /// Byte offsets of every `\n`.
    breaks: Vec<usize>,
    /// Byte offset of the current line's start.
    pos: usize,
    nodes: Vec<Node<'a>>,
    comments: Vec<(Cow<'a, str>, super::Span)>,
    limits: Limits,
}

/// One line: where it starts, its content without the line break, and its indentation.
#[derive(Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
    indent: usize,
}

impl<'a> Line<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.indent..]
    }

    fn is_blank(&self) -> bool {
        self.rest().is_empty()
    }
}

pub fn parse(text: &str, limits: Limits) -> Option<Tree<'_>> {
    // CR line ends, a byte-order mark inside the text and characters YAML does not allow
    // are the reference builder's to read (and refuse).
    if !plain_text(text.as_bytes()) {
        return None;
    }
    let mut s = Scanner {
        text,
        breaks: text.match_indices('\n').map(|(i, _)| i).collect(),
        pos: 0,
        // About one node for every two dozen bytes of a report: grown rarely, not copied
        // a dozen times over.
        nodes: Vec::with_capacity((text.len() / 24).min(limits.max_nodes)),
        comments: Vec::new(),
        limits,
    };
    let root = s.document()?;
    Some(Tree {
        nodes: s.nodes,
        root,
        comments: s.comments,
    })
}

/// [`super::root_scalars`] for a report that opens with its wanted fields: the root's
/// `key: value` lines from the top (blank and comment lines between them), plain scalars
/// each on one line, until every wanted key is among them. `None` as soon as a line before
/// that is anything else, or a wanted key comes twice: the caller then reads with granit.
/// Spans and texts are the fast builder's, which are granit's.
pub fn root_scalars<'a>(text: &'a str, wanted: &[&str]) -> Option<Tree<'a>> {
    if wanted.is_empty() {
        return None;
    }
    // Each line with its start, without its line break.
    let mut lines = text.split('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len() + 1;
        Some((start, line))
    });
    let mut nodes = Vec::new();
    let mut entries: Vec<Entry<'a>> = Vec::new();
    let mut root_start = None;
    let mut next = lines.next();
    while let Some((start, line)) = next {
        next = lines.next();
        if !plain_text(line.as_bytes()) {
            return None;
        }
        if line.trim_start_matches(' ').is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with(' ') {
            return None;
        }
        let colon = colon_space(line)?;
        let (key, value) = (&line[..colon], line[colon + 1..].trim_start_matches(' '));
        let comment = value.as_bytes().windows(2).position(|w| w == b" #");
        let scalar = value[..comment.unwrap_or(value.len())].trim_end_matches(' ');
        if key.ends_with(' ') || !plain_block(key) || !plain_block(scalar) {
            return None;
        }
        // A value continued (or a mapping opened) on the lines below is not one line's.
        while let Some((_, below)) = next.filter(|(_, l)| l.trim_start_matches(' ').is_empty()) {
            if !plain_text(below.as_bytes()) {
                return None;
            }
            next = lines.next();
        }
        // Nor is one followed by a line that starts with a tab (granit's error to report).
        if next.is_some_and(|(_, l)| l.starts_with([' ', '\t'])) {
            return None;
        }
        root_start.get_or_insert(start);
        if !wanted.contains(&key) {
            continue;
        }
        if entries.iter().any(|e| e.key == key) {
            return None;
        }
        let value_at = start + line.len() - value.len();
        nodes.push(Node {
            span: value_at..value_at + scalar.len(),
            kind: NodeKind::Scalar {
                text: Cow::Borrowed(scalar),
                plain: true,
            },
        });
        entries.push(Entry {
            key: Cow::Borrowed(key),
            key_span: start..start + key.len(),
            value: nodes.len() - 1,
        });
        if wanted.iter().all(|w| entries.iter().any(|e| e.key == *w)) {
            let start = root_start?;
            nodes.push(Node {
                span: start..start,
                kind: NodeKind::Map(entries),
            });
            return Some(Tree {
                root: nodes.len() - 1,
                nodes,
                comments: Vec::new(),
            });
        }
    }
    None
}

/// No CR, no byte-order mark, and only characters YAML calls printable: no C0 control but
/// tab and LF, no DEL, no C1 control but NEL, no U+FFFE or U+FFFF. Eight bytes at a time:
/// only a word holding a byte below 0x20, DEL, C2 or EF is looked at byte by byte.
fn plain_text(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any of the 8 bytes is zero / below 0x20 (exact for "any", not for "which").
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let suspect = |x: u64| {
        x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0
            || zero(x ^ (ONES * 0x7F))
            || zero(x ^ (ONES * 0xC2))
            || zero(x ^ (ONES * 0xEF))
    };
    let allowed = |i: usize, c: u8| match c {
        b'\t' | b'\n' => true,
        0..=0x1F | 0x7F => false,
        // U+0080–U+009F are C2 80–C2 9F; U+0085 (NEL) is allowed.
        0xC2 => !matches!(b.get(i + 1), Some(&n) if (0x80..=0x9F).contains(&n) && n != 0x85),
        // U+FEFF is EF BB BF; U+FFFE and U+FFFF are EF BF BE and EF BF BF.
        0xEF => !matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0xBB), Some(0xBF)) | (Some(0xBF), Some(0xBE | 0xBF))
        ),
        _ => true,
    };
    let mut words = b.chunks_exact(8);
    for (n, word) in words.by_ref().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        if suspect(u64::from_le_bytes(w))
            && !word.iter().enumerate().all(|(j, &c)| allowed(n * 8 + j, c))
        {
            return false;
        }
    }
    let tail = b.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .enumerate()
        .all(|(j, &c)| allowed(tail + j, c))
}

/// Characters that may not begin a plain scalar here (YAML indicators).
fn starts_plain(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        None => false,
        Some('-') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => !matches!(
            c,
            '?' | ':'
                | ','
                | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
                | ' '
        ),
    }
}

/// A plain scalar in block context: no `: `, no ` #`, no tab, no trailing colon.
fn plain_block(s: &str) -> bool {
    starts_plain(s) && plain_bytes(s.as_bytes(), false)
}

/// A plain scalar inside a flow mapping: also no flow indicators.
fn plain_flow(s: &str) -> bool {
    starts_plain(s) && plain_bytes(s.as_bytes(), true)
}

/// The bytes `plain_bytes` looks at: 1 in both contexts, 2 in a flow mapping only.
static INDICATORS: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\t' as usize] = 1;
    t[b':' as usize] = 1;
    t[b' ' as usize] = 1;
    let mut i = 0;
    let flow = b",[]{}#";
    while i < flow.len() {
        t[flow[i] as usize] = 2;
        i += 1;
    }
    t
};

/// One pass over the bytes (the indicators are ASCII, so never inside a UTF-8 sequence);
/// any other byte is passed over with one look-up.
fn plain_bytes(b: &[u8], flow: bool) -> bool {
    if b.last() == Some(&b':') {
        return false;
    }
    let mask = if flow { 3 } else { 1 };
    for (i, &c) in b.iter().enumerate() {
        if INDICATORS[usize::from(c)] & mask == 0 {
            continue;
        }
        let next = b.get(i + 1).copied();
        let bad = match c {
            b'\t' => true,
            b':' => next == Some(b' '),
            b' ' => next == Some(b'#'),
            b',' | b'[' | b']' | b'{' | b'}' | b'#' => flow,
            _ => false,
        };
        if bad {
            return false;
        }
    }
    true
}

/// The byte offset of the first `: `.
fn colon_space(s: &str) -> Option<usize> {
    s.as_bytes().windows(2).position(|w| w == b": ")
}

impl<'a> Scanner<'a> {
    fn line_at(&self, start: usize) -> Option<Line<'a>> {
        if start >= self.text.len() {
            return None;
        }
        // Lines are looked at more than once (to see whether a value continues): the line
        // breaks are found in one pass up front.
        let i = self.breaks.partition_point(|&b| b < start);
        let end = self.breaks.get(i).copied().unwrap_or(self.text.len());
        let text = &self.text[start..end];
        let indent = text.len() - text.trim_start_matches(' ').len();
        Some(Line {
            start,
            text,
            indent,
        })
    }

    fn next_line_start(&self, line: &Line) -> usize {
        (line.start + line.text.len() + 1).min(self.text.len())
    }

    fn push(&mut self, span: super::Span, kind: NodeKind<'a>) -> Option<NodeId> {
        if self.nodes.len() >= self.limits.max_nodes {
            return None;
        }
        self.nodes.push(Node { span, kind });
        Some(self.nodes.len() - 1)
    }

    fn scalar(&mut self, start: usize, text: &'a str) -> Option<NodeId> {
        self.push(
            start..start + text.len(),
            NodeKind::Scalar {
                text: Cow::Borrowed(text),
                plain: true,
            },
        )
    }

    /// The next line that is neither blank nor a comment (comments are recorded).
    fn next_token_line(&mut self, record: bool) -> Option<Line<'a>> {
        while let Some(line) = self.line_at(self.pos) {
            if line.rest().starts_with('#') {
                if record {
                    let at = line.start + line.indent;
                    self.comments.push((
                        Cow::Borrowed(&line.rest()[1..]),
                        at..line.start + line.text.len(),
                    ));
                }
            } else if !line.is_blank() {
                return Some(line);
            }
            self.pos = self.next_line_start(&line);
        }
        None
    }

    /// Whether the next token line (not consuming anything) is indented deeper than `indent`.
    fn continues_deeper(&self, mut at: usize, indent: usize) -> bool {
        while let Some(line) = self.line_at(at) {
            if !line.is_blank() {
                return line.indent > indent;
            }
            at = self.next_line_start(&line);
        }
        false
    }

    fn document(&mut self) -> Option<NodeId> {
        let first = self.next_token_line(true)?;
        if first.indent != 0 {
            return None;
        }
        let mut stack: Vec<Frame<'a>> = vec![Frame::new(0, first.start, Kind::Map)];
        // A key waiting for a nested mapping or sequence: (key, key span).
        let mut pending: Option<(Cow<'a, str>, super::Span)> = None;
        while let Some(line) = self.next_token_line(true) {
            let at = line.start + line.indent;
            let dash = line.rest().strip_prefix("- ");
            if let Some((key, key_span)) = pending.take() {
                if stack.len() >= self.limits.max_depth {
                    return None; // too deep: the full parser decides
                }
                let parent = stack.last_mut()?;
                let parent_indent = parent.indent;
                // The key is remembered in the parent; its value is attached when it closes.
                parent.entries.push(Entry {
                    key,
                    key_span,
                    value: usize::MAX,
                });
                match dash {
                    Some(item) if line.indent >= parent_indent => {
                        // An indented sequence starts at its first dash; one written at the
                        // key's own column, at its first item's content (granit's spans).
                        let lead = item.len() - item.trim_start_matches(' ').len();
                        let start = if line.indent == parent_indent {
                            at + 2 + lead
                        } else {
                            at
                        };
                        stack.push(Frame::new(line.indent, start, Kind::Seq(Vec::new())));
                    }
                    None if line.indent > parent_indent => {
                        stack.push(Frame::new(line.indent, at, Kind::Map))
                    }
                    _ => return None, // an empty value: the full parser decides
                }
            } else {
                // Close what this line ends: deeper mappings, and a sequence it does not continue.
                loop {
                    let top = stack.last()?;
                    let closes = match top.kind {
                        Kind::Seq(_) => {
                            line.indent < top.indent
                                || (line.indent == top.indent && dash.is_none())
                        }
                        Kind::Map | Kind::Item => line.indent < top.indent,
                    };
                    if !closes || stack.len() == 1 {
                        break;
                    }
                    self.close(&mut stack, at)?;
                }
            }
            let top = stack.last()?;
            pending = match (&top.kind, dash) {
                (Kind::Seq(_), Some(item)) if line.indent == top.indent => {
                    // An item: a mapping whose keys stand at its content's column.
                    let lead = item.len() - item.trim_start_matches(' ').len();
                    let indent = line.indent + 2 + lead;
                    let inner = Line {
                        start: line.start,
                        text: line.text,
                        indent,
                    };
                    if inner.rest().is_empty()
                        || inner.rest().starts_with('-')
                        || stack.len() >= self.limits.max_depth
                    {
                        return None;
                    }
                    stack.push(Frame::new(indent, line.start + indent, Kind::Item));
                    self.entry(inner, stack.last_mut()?)?
                }
                (Kind::Map | Kind::Item, None) if line.indent == top.indent => {
                    self.entry(line, stack.last_mut()?)?
                }
                _ => return None,
            };
        }
        if pending.is_some() {
            return None;
        }
        let end = self.text.len();
        while stack.len() > 1 {
            self.close(&mut stack, end)?;
        }
        let root = stack.pop()?;
        self.map(root, end)
    }

    /// Close the innermost frame at `end` and hand it to its parent: a sequence's next
    /// item, or a mapping's last key.
    fn close(&mut self, stack: &mut Vec<Frame<'a>>, end: usize) -> Option<()> {
        let frame = stack.pop()?;
        let id = match frame.kind {
            Kind::Seq(items) => self.push(frame.start..end, NodeKind::Seq(items))?,
            Kind::Map | Kind::Item => self.map(frame, end)?,
        };
        match &mut stack.last_mut()?.kind {
            Kind::Seq(items) => items.push(id),
            Kind::Map | Kind::Item => stack.last_mut()?.entries.last_mut()?.value = id,
        }
        Some(())
    }

    fn map(&mut self, frame: Frame<'a>, end: usize) -> Option<NodeId> {
        self.push(frame.start..end, NodeKind::Map(frame.entries))
    }

    fn add(
        &mut self,
        frame: &mut Frame<'a>,
        key: Cow<'a, str>,
        key_span: super::Span,
        value: NodeId,
    ) -> Option<()> {
        // Duplicate keys are the full parser's error to report; so are mappings wide enough
        // that a linear duplicate check would cost more than the full parser's set.
        if frame.entries.len() >= MAX_WIDTH || frame.entries.iter().any(|e| e.key == key) {
            return None;
        }
        frame.entries.push(Entry {
            key,
            key_span,
            value,
        });
        Some(())
    }

    /// One `key: value` line. Returns the key when the value is a nested mapping to come.
    #[allow(clippy::type_complexity)]
    fn entry(
        &mut self,
        line: Line<'a>,
        frame: &mut Frame<'a>,
    ) -> Option<Option<(Cow<'a, str>, super::Span)>> {
        let rest = line.rest();
        let at = line.start + line.indent;
        let colon = colon_space(rest).or_else(|| rest.strip_suffix(':').map(|k| k.len()))?;
        let key = &rest[..colon];
        if key.is_empty() || key.ends_with(' ') || !plain_block(key) {
            return None;
        }
        if frame.entries.iter().any(|e| e.key == key) {
            return None;
        }
        let key_span = at..at + key.len();
        let after = &rest[colon + 1..];
        let value = after.trim_start_matches(' ');
        let value_at = line.start + line.text.len() - value.len();
        self.pos = self.next_line_start(&line);
        if value.is_empty() || value.starts_with('#') {
            if let Some(c) = value.strip_prefix('#') {
                self.comments
                    .push((Cow::Borrowed(c), value_at..value_at + value.len()));
            }
            return Some(Some((Cow::Borrowed(key), key_span)));
        }
        let id = if value == "|" {
            self.literal(line.indent)?
        } else if value.starts_with('{') {
            let id = self.flow(value, value_at)?;
            if self.continues_deeper(self.pos, line.indent) {
                return None;
            }
            id
        } else {
            let comment_at = value.as_bytes().windows(2).position(|w| w == b" #");
            let (scalar, comment) = match comment_at {
                Some(i) => (value[..i].trim_end_matches(' '), Some(i)),
                None => (value.trim_end_matches(' '), None),
            };
            if !plain_block(scalar) || self.continues_deeper(self.pos, line.indent) {
                return None; // a multi-line plain scalar, or something that is not plain
            }
            if let Some(i) = comment {
                let c = &value[i + 1..];
                self.comments.push((
                    Cow::Borrowed(&c[1..]),
                    value_at + i + 1..value_at + value.len(),
                ));
            }
            self.scalar(value_at, scalar)?
        };
        self.add(frame, Cow::Borrowed(key), key_span, id)?;
        Some(None)
    }

    /// `{k: v, k: v}` on one line, optionally followed by a comment.
    fn flow(&mut self, value: &'a str, value_at: usize) -> Option<NodeId> {
        let close = value.find('}')?;
        let inner = &value[1..close];
        let tail = value[close + 1..].trim_start_matches(' ');
        if !tail.is_empty() {
            let c = tail.strip_prefix('#')?;
            if value[close + 1..].len() == tail.len() {
                return None; // `}#` is not a comment
            }
            let at = value_at + value.len() - tail.len();
            self.comments.push((Cow::Borrowed(c), at..at + tail.len()));
        }
        if inner.trim().is_empty() {
            return None;
        }
        let mut frame = Frame {
            kind: Kind::Map,
            indent: 0,
            start: value_at,
            // A row of a report's table has up to seven columns.
            entries: Vec::with_capacity(8),
        };
        let mut offset = value_at + 1;
        for part in inner.split(',') {
            let lead = part.len() - part.trim_start_matches(' ').len();
            let item = &part[lead..];
            let colon = colon_space(item)?;
            let key = &item[..colon];
            let raw = &item[colon + 2..];
            let v_lead = raw.len() - raw.trim_start_matches(' ').len();
            let v = raw[v_lead..].trim_end_matches(' ');
            if key.is_empty()
                || key.ends_with(' ')
                || !plain_flow(key)
                || v.is_empty()
                || !plain_flow(v)
            {
                return None;
            }
            let key_at = offset + lead;
            let v_at = key_at + colon + 2 + v_lead;
            let id = self.scalar(v_at, v)?;
            self.add(
                &mut frame,
                Cow::Borrowed(key),
                key_at..key_at + key.len(),
                id,
            )?;
            offset += part.len() + 1;
        }
        self.push(value_at..value_at + close + 1, NodeKind::Map(frame.entries))
    }

    /// A `|` block: lines indented deeper than the key's line, clip chomping.
    fn literal(&mut self, parent: usize) -> Option<NodeId> {
        let first = self.line_at(self.pos)?;
        if first.is_blank() || first.indent <= parent {
            return None;
        }
        let indent = first.indent;
        let start = first.start + indent;
        let mut content = String::new();
        let mut pending_breaks = 0usize;
        let mut end = self.text.len();
        while let Some(line) = self.line_at(self.pos) {
            if line.is_blank() {
                // Only spaces: past the block's indentation they are content.
                if line.text.len() > indent {
                    content.extend(std::iter::repeat_n('\n', pending_breaks));
                    pending_breaks = 0;
                    content.push_str(&line.text[indent..]);
                }
                pending_breaks += 1;
            } else if line.indent >= indent {
                content.extend(std::iter::repeat_n('\n', pending_breaks));
                pending_breaks = 1;
                content.push_str(&line.text[indent..]);
            } else {
                end = line.start + line.indent;
                break;
            }
            self.pos = self.next_line_start(&line);
        }
        if self.pos >= self.text.len() && !self.text.ends_with('\n') {
            return None; // a last line without a line break: leave it to the full parser
        }
        content.push('\n');
        self.push(
            start..end,
            NodeKind::Scalar {
                text: Cow::Owned(content),
                plain: false,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_fast, parse_with_granit, Limits, NodeKind, Tree};

    /// A tree as text: kinds, keys, values and every span, from the root down.
    pub fn dump(tree: &Tree) -> String {
        fn node(tree: &Tree, id: usize, out: &mut String, depth: usize) {
            let n = tree.node(id);
            let pad = "  ".repeat(depth);
            match &n.kind {
                NodeKind::Scalar { text, plain } => {
                    out.push_str(&format!("{pad}{:?} {text:?} plain={plain}\n", n.span))
                }
                NodeKind::Map(entries) => {
                    out.push_str(&format!("{pad}map {:?}\n", n.span));
                    for e in entries {
                        out.push_str(&format!("{pad}key {:?} {:?}\n", e.key, e.key_span));
                        node(tree, e.value, out, depth + 1);
                    }
                }
                NodeKind::Seq(items) => {
                    out.push_str(&format!("{pad}seq {:?}\n", n.span));
                    for &i in items {
                        node(tree, i, out, depth + 1);
                    }
                }
            }
        }
        let mut out = String::new();
        node(tree, tree.root, &mut out, 0);
        for (c, s) in &tree.comments {
            out.push_str(&format!("comment {c:?} {s:?}\n"));
        }
        out
    }

    fn agree(text: &str) -> bool {
        let Some(fast) = parse_fast(text, Limits::default()) else {
            return false;
        };
        let slow = parse_with_granit(text, Limits::default())
            .expect("the fast path accepted what granit refuses");
        assert_eq!(dump(&fast), dump(&slow), "for {text:?}");
        true
    }

    #[test]
    fn the_subset_matches_granit_exactly() {
        for text in [
            "a: 1\n",
            "# head\na: 1\nb:\n  c: {x: 1, y: 2}  # tail\n  d: |\n    line1\n\n      line2\n\n  e: zz\nf: -3\n",
            "a:\n  b: 1\n  # mid\n\n  c: |\n    x\n  # after block\nd:\n  e: 2\n\n# trailing\n",
            "a:\n  b: |\n    x\n    y\n",
            "a: x y  \nb: 3 # c\nc:   spaced\n",
            "a: |\n  one\n    \n  two  \n\n\nb: 1\n",
            "机关: 北京市朝阳区政务服务管理局\n申请:\n  新收:     {自然人: 255, 商业企业: 16, 总计: 271}\n",
            "a: {b: 79.1500,c: ~  ,  d: — }\n",
            "a: {x: 1}  # after\nb: 2 # two #3\nc:  # nested\n  d: e\n",
            "a:\n  l:\n    - k: 1\n      m: 2\n    - k: 3\n  z: 4\nb: 5\n",
            "l:\n- k: 1\n- k: 2\nb: 5\n",
            "l:\n  -   k: 1\n      m:\n        n: 2\n  - k: {x: 1}\n# end\n",
            "r:\n  明细:\n    - 类别: 予以公开\n      数量: 31\n    # note\n    - 类别: 部分公开\n      数量: 28\n  合计: 59\n",
            "l:\n  - k: |\n      text\n    m: 1\n",
        ] {
            assert!(agree(text), "the fast path gave up on {text:?}");
        }
    }

    /// Read eight bytes at a time, the check still sees a refused character at every
    /// position of a word, and across the boundary between two words.
    #[test]
    fn refused_characters_are_found_at_every_position() {
        let refused = [
            "\r", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{9f}", "\u{feff}", "\u{fffe}",
            "\u{ffff}",
        ];
        let allowed = [
            "\t", "\n", "\u{85}", "\u{a0}", "\u{ff0c}", "\u{efbf}", "总计",
        ];
        for at in 0..20 {
            for (chars, ok) in [(&refused[..], false), (&allowed[..], true)] {
                for c in chars {
                    let text = format!("{}{c}本年新收x", "a".repeat(at));
                    assert_eq!(super::plain_text(text.as_bytes()), ok, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn outside_the_subset_it_gives_up() {
        for text in [
            "a: 'q'\n",
            "a: \"q\"\n",
            "a:\n- 1\n",
            "a: &x 1\nb: *x\n",
            "a: 1\r\nb: 2\r\n",
            "a: |\n  x\u{1}y\n",
            "a: x\u{7F}\n",
            "a: x\u{9B}\n",
            "a: \u{FEFF}x\n",
            "a:\n  b: 1\na: 2\n",
            "a:\nb: 1\n",
            "a: x\n  y\n",
            "a: {b: }\n",
            "a: [1, 2]\n",
            "a: |-\n  x\n",
            "  a: 1\n",
            "a: b: c\n",
            "",
            "# only\n",
            "a: |\n  x",
        ] {
            assert!(
                parse_fast(text, Limits::default()).is_none(),
                "accepted {text:?}"
            );
        }
    }

    #[test]
    fn every_report_in_the_repository_takes_the_fast_path_and_agrees() {
        for path in [
            "examples/chaoyang-2020.yaml",
            "examples/balanced-2021.yaml",
            "rules/formats/2019.sample.yaml",
            "rules/formats/2021.sample.yaml",
            "benches/peer/sample.yaml",
        ] {
            let text = std::fs::read_to_string(path).expect("repository file");
            assert!(agree(&text), "{path} left the fast path");
        }
    }

    const SEED: &str = include_str!("../../examples/chaoyang-2020.yaml");
    const PEER: &str = include_str!("../../benches/peer/sample.yaml");

    fn boundary(s: &str, mut i: usize) -> usize {
        i = i.min(s.len());
        while !s.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// `base` with `len` bytes at `at` replaced by `insert`: if the fast path reads it,
    /// granit reads it the same way.
    fn splice_agrees(
        base: &str,
        at: usize,
        len: usize,
        insert: &str,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let start = boundary(base, at);
        let end = boundary(base, start + len);
        let text = format!("{}{}{}", &base[..start], insert, &base[end..]);
        if let Some(fast) = parse_fast(&text, Limits::default()) {
            match parse_with_granit(&text, Limits::default()) {
                Ok(slow) => proptest::prop_assert_eq!(dump(&fast), dump(&slow)),
                Err(e) => proptest::prop_assert!(
                    false,
                    "fast accepted what granit refuses ({:?}): {:?}",
                    e,
                    text
                ),
            }
        }
        Ok(())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Whatever the fast path accepts, granit reads the same way.
        #[test]
        fn mutated_lists_agree_or_take_the_full_parser(
            at in 0usize..PEER.len(),
            len in 0usize..60,
            insert in proptest::sample::select(vec!["", " ", "  ", "\n", "\n  ", "- ", "  - ", "-", ":", ": ", "#", "{", "|\n", "a: 1\n", "    - k: 2\n", "\n- x: 1\n"]),
        ) {
            splice_agrees(PEER, at, len, insert)?;
        }

        /// Whatever the fast path accepts, granit reads the same way.
        #[test]
        fn mutated_reports_agree_or_take_the_full_parser(
            at in 0usize..SEED.len(),
            len in 0usize..120,
            insert in proptest::sample::select(vec!["", " ", "  ", "\n", "\n  ", ":", ": ", "#", " #", "{", "}", ",", "|", "|\n", "-", "- ", "'", "~", "\t", "a: 1\n", "  b: 2\n", "x:\n  y: |\n    z\n"]),
        ) {
            splice_agrees(SEED, at, len, insert)?;
        }
    }
}
