//! HTML pages: html5ever (through scraper) builds the tree the way a browser
//! would; tables are laid out with our own span expansion, other text
//! becomes lines.

use scraper::{ElementRef, Html, Node};

use super::grid::{origin_rows, SrcCell};
use super::tokens::Block;

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
        for cells in origin_rows(&rows) {
            self.blocks
                .push(Block::Row(cells.into_iter().map(|c| (c, None)).collect()));
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

pub fn blocks(text: &str) -> Vec<Block> {
    let doc = Html::parse_document(text);
    let mut w = Walker {
        blocks: Vec::new(),
        line: String::new(),
    };
    w.walk(doc.root_element(), 0);
    w.flush();
    w.blocks
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
