//! HTML pages: html5ever (through scraper) builds the tree the way a browser
//! would; tables are laid out with our own span expansion, other text
//! becomes lines.

use scraper::{ElementRef, Html, Node};

use super::grid::{cell_rows, origin_rows, SrcCell, MAX_SLOTS};
use super::tokens::Block;
use super::{Problem, Severity};
use crate::messages::import::ImportMsg;

/// The deepest element nesting a page may have; checked on the raw text before
/// parsing, because html5ever's tree building is quadratic in nesting depth
/// (200,000 nested `div`s never finish). Real report pages stay under 100.
pub const MAX_DEPTH: usize = 512;

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "title",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    "tbody",
    "thead",
    "caption",
    "center",
];

struct Walker {
    blocks: Vec<Block>,
    line: String,
    /// Grid slots this page may still lay out (`grid::MAX_SLOTS` in all).
    budget: usize,
    tables: usize,
    problems: Vec<Problem>,
}

impl Walker {
    fn flush(&mut self) {
        let t = self.line.trim();
        if !t.is_empty() {
            self.blocks.push(Block::Line {
                text: t.to_string(),
                pos: None,
            });
        } else if !matches!(self.blocks.last(), Some(Block::Line { text, .. }) if text.is_empty()) {
            self.blocks.push(Block::Line {
                text: String::new(),
                pos: None,
            });
        }
        self.line.clear();
    }

    fn walk(&mut self, el: ElementRef, depth: usize) {
        if depth > 200 {
            return;
        }
        let name = el.value().name();
        if matches!(name, "script" | "style" | "noscript" | "template" | "head") && name != "title"
        {
            if name == "head" {
                // keep <title>: it often carries 机关 and 年度
                for child in el.children().filter_map(ElementRef::wrap) {
                    if child.value().name() == "title" {
                        self.flush();
                        self.line.push_str(&text_of(child));
                        self.flush();
                    }
                }
            }
            return;
        }
        if name == "table" {
            self.flush();
            self.table(el);
            return;
        }
        let is_block = BLOCK_TAGS.contains(&name);
        if is_block {
            self.flush();
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.line.push_str(t),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(child) {
                        self.walk(e, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if is_block {
            self.flush();
        }
    }

    fn table(&mut self, table: ElementRef) {
        let mut rows: Vec<Vec<SrcCell>> = Vec::new();
        collect_rows(table, &mut rows, 0);
        self.tables += 1;
        match origin_rows(&rows, &mut self.budget) {
            Ok(rows) => self.blocks.extend(cell_rows(self.tables, rows)),
            Err(_) => self.problems.push(Problem {
                message: ImportMsg::GridTooLarge {
                    table: self.tables,
                    limit: MAX_SLOTS,
                }
                .to_string(),
                line: None,
                column: None,
                cell: None,
                severity: Severity::Error,
            }),
        }
    }
}

/// Rows of this table only (not of tables nested in its cells).
fn collect_rows(el: ElementRef, rows: &mut Vec<Vec<SrcCell>>, depth: usize) {
    if depth > 50 {
        return;
    }
    for child in el.children().filter_map(ElementRef::wrap) {
        match child.value().name() {
            "tr" => {
                let cells = child
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .map(|c| SrcCell {
                        text: text_of(c),
                        rowspan: span(c.value().attr("rowspan")),
                        colspan: span(c.value().attr("colspan")),
                    })
                    .collect();
                rows.push(cells);
            }
            "table" => {}
            _ => collect_rows(child, rows, depth + 1),
        }
    }
}

fn span(v: Option<&str>) -> usize {
    v.and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .max(1)
}

/// Text of an element, `<br>` and block children as line breaks removed:
/// a cell's label wrapped by `<br />` is one label.
fn text_of(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The blocks of a page, and the problems met laying out its tables. Call
/// [`nesting_depth`] first: parsing a deeply nested page is quadratic.
pub fn blocks(text: &str) -> (Vec<Block>, Vec<Problem>) {
    let doc = Html::parse_document(text);
    let mut w = Walker {
        blocks: Vec::new(),
        line: String::new(),
        budget: MAX_SLOTS,
        tables: 0,
        problems: Vec::new(),
    };
    w.walk(doc.root_element(), 0);
    w.flush();
    (w.blocks, w.problems)
}

/// Elements that never nest in a parsed tree: void elements, and those a
/// parser closes when the next one starts (`<p>`, `<li>`, `<td>`, …), so that
/// a sloppy page that never closes them is not counted as deep.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "tbody", "thead", "tfoot", "option",
    "optgroup", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body", "frame",
    "basefont", "bgsound", "keygen",
];

/// Elements whose content is raw text: tags inside them are not elements.
const RAW: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "noscript", "iframe",
];

/// How deeply the page's elements nest, read from its tags in one pass without
/// building a tree (an upper bound of what a parser builds: an unclosed element
/// counts as open). Stops counting once `limit` is passed.
pub fn nesting_depth(text: &str, limit: usize) -> usize {
    let b = text.as_bytes();
    let lower = |i: usize| b.get(i).map(u8::to_ascii_lowercase);
    let find = |from: usize, pat: &[u8]| -> Option<usize> {
        b.get(from..)?
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map(|p| from + p)
    };
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    while let Some(off) = b.get(i..).and_then(|r| r.iter().position(|&c| c == b'<')) {
        i += off + 1;
        if b.get(i..).is_some_and(|r| r.starts_with(b"!--")) {
            i = find(i + 3, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        let closing = lower(i) == Some(b'/');
        let start = if closing { i + 1 } else { i };
        let mut end = start;
        while lower(end).is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b':') {
            end += 1;
        }
        if end == start || !lower(start).is_some_and(|c| c.is_ascii_alphabetic()) {
            // `<!doctype`, `<?xml`, or a `<` in text
            continue;
        }
        let name = String::from_utf8_lossy(&b[start..end]).to_ascii_lowercase();
        let close = find(end, b">").unwrap_or(b.len());
        let self_closing = close > end && b.get(close - 1) == Some(&b'/');
        i = close;
        if FLAT.contains(&name.as_str()) || self_closing {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        if RAW.contains(&name.as_str()) {
            let mut pat = b"</".to_vec();
            pat.extend_from_slice(name.as_bytes());
            i = find(close, &pat).unwrap_or(b.len());
            continue;
        }
        depth += 1;
        max = max.max(depth);
        if max > limit {
            break;
        }
    }
    max
}

/// Whether bytes look like an HTML page.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(2000)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<!doctype html")
        || head.contains("<html")
        || head.contains("<table")
        || head.contains("<body")
}
