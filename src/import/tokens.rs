//! Every input kind is first turned into [`Block`]s (lines of free text,
//! single cells, table rows); this module turns blocks into one stream of
//! [`Tok`]s: label text, cell values, section headings and row ends.

use std::sync::LazyLock;

use regex::Regex;

use super::labels::{fold_char, Section};

/// A position in the source file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

/// What a front end hands over.
#[derive(Debug, Clone)]
pub enum Block {
    /// A line (or paragraph) of free text: labels and numbers are found by scanning it.
    Line { text: String, pos: Option<Pos> },
    /// One table cell on its own (layouts A, B, D): a number, a blank, or label text.
    Cell { text: String, pos: Option<Pos> },
    /// One table row with its cells in column order (pipe rows, HTML, DOCX).
    Row(Vec<(String, Option<Pos>)>),
}

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// Digits as written (sign and unit removed); may hold several numbers run together.
    Num(String),
    /// Empty, `-`, `—`, `/`, `无`: blank, never 0.
    Blank,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokKind {
    Text(String),
    Value(Val),
    Heading(Section),
    /// The start of a table row whose boundaries the source marks.
    RowStart,
    /// The end of such a row.
    RowEnd,
}

#[derive(Debug, Clone)]
pub struct Tok {
    pub kind: TokKind,
    pub pos: Option<Pos>,
}

static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:[一二三四五六]\s*[、.．，]|表[一二三四五六]\s*[：:]?)\s*",
        r"(?P<k>总体情况|主动公开政府信息|收到和处理政府信息公开申请|因?政府信息公开工作被申请行政复议|政府信息公开行政法?复议|",
        r"政府信息公开工作存在|存在的?主要问题|存在问题|其他需要报告)",
        r"(?:[\p{Han}、，]{0,16}?(?:情况|事项))?"
    ))
    .expect("static regex")
});

fn section_of(keyword: &str) -> Section {
    if keyword.starts_with("总体") {
        Section::Overview
    } else if keyword.starts_with("主动") {
        Section::Active
    } else if keyword.starts_with("收到") {
        Section::Requests
    } else if keyword.contains("复议") {
        Section::Appeals
    } else if keyword.starts_with("其他") {
        Section::Other
    } else {
        Section::Problems
    }
}

/// Section headings in a line of text: (byte range, section).
pub fn headings(text: &str) -> Vec<(std::ops::Range<usize>, Section)> {
    HEADING
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.range(), section_of(c.name("k")?.as_str()))))
        .collect()
}

static PAGE_FURNITURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-—–－]+\s*\d+\s*[-—–－]+|(?:Page|P\.)\s*\d+.*|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
        .expect("static regex")
});

/// Page numbers and similar lines a PDF puts in the middle of tables.
pub fn is_page_furniture(line: &str) -> bool {
    PAGE_FURNITURE.is_match(line)
}

/// Read a whole cell as one value, if it is one.
pub fn cell_value(text: &str) -> Option<Val> {
    let t: String = text.chars().map(fold_char).collect();
    let t = t.trim();
    if is_blank_marker(t) {
        return Some(Val::Blank);
    }
    let t = t
        .strip_suffix("万元")
        .or_else(|| t.strip_suffix('元'))
        .or_else(|| t.strip_suffix('件'))
        .unwrap_or(t)
        .trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    let (neg, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t),
    };
    // thousands separators only in their proper places
    let body = if body.contains(',') && is_grouped(body) {
        body.replace(',', "")
    } else {
        body.to_string()
    };
    if !is_number(&body) {
        return None;
    }
    Some(Val::Num(if neg { format!("-{body}") } else { body }))
}

fn is_grouped(s: &str) -> bool {
    let int = s.split('.').next().unwrap_or("");
    let parts: Vec<&str> = int.split(',').collect();
    parts.len() > 1
        && (1..=3).contains(&parts[0].len())
        && parts[1..].iter().all(|p| p.len() == 3)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_number(s: &str) -> bool {
    let mut parts = s.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next();
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

pub fn is_blank_marker(t: &str) -> bool {
    matches!(
        t,
        "" | "-" | "--" | "—" | "——" | "–" | "/" | "／" | "无" | "\\" | "－"
    )
}

/// Characters after digits that make them part of words, not cell values
/// (`2024年`, `3类`); units such as 元/件 keep them values.
fn is_counter_word(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '类'
            | '季'
            | '届'
            | '期'
            | '时'
            | '页'
            | '条'
            | '款'
            | '位'
            | '名'
            | '人'
            | '次'
            | '家'
            | '余'
            | '多'
            | '天'
            | '小'
            | '周'
            | '批'
            | '轮'
            | '场'
            | '份'
            | '篇'
            | '%'
            | '％'
    )
}

struct Builder {
    toks: Vec<Tok>,
}

impl Builder {
    fn text(&mut self, s: &str, pos: Option<Pos>) {
        if s.trim().is_empty() {
            return;
        }
        // consecutive label pieces stay separate tokens; the matcher joins them
        self.toks.push(Tok {
            kind: TokKind::Text(s.trim().to_string()),
            pos,
        });
    }
    fn value(&mut self, v: Val, pos: Option<Pos>) {
        self.toks.push(Tok {
            kind: TokKind::Value(v),
            pos,
        });
    }
    fn mark(&mut self, kind: TokKind) {
        self.toks.push(Tok { kind, pos: None });
    }
}

fn shift(pos: Option<Pos>, chars: usize) -> Option<Pos> {
    pos.map(|p| Pos {
        line: p.line,
        column: p.column + chars,
    })
}

static NUMBER_WITH_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*([（(].*)$").expect("static regex")
});

/// Text of a cell (not a value): label text, possibly holding a heading; or a
/// number with a note after it (`22（其中修订 16 件）`).
fn cell_text(b: &mut Builder, text: &str, pos: Option<Pos>) {
    if let Some(c) = NUMBER_WITH_NOTE.captures(text) {
        if let (Some(n), Some(note)) = (c.get(1).and_then(|m| cell_value(m.as_str())), c.get(2)) {
            b.value(n, pos);
            b.text(note.as_str(), pos);
            return;
        }
    }
    let hs = headings(text);
    let mut last = 0;
    for (r, sec) in hs {
        b.text(
            &text[last..r.start],
            shift(pos, text[..last].chars().count()),
        );
        b.toks.push(Tok {
            kind: TokKind::Heading(sec),
            pos: shift(pos, text[..r.start].chars().count()),
        });
        last = r.end;
    }
    b.text(&text[last..], shift(pos, text[..last].chars().count()));
}

/// Scan a line of free text into label text and values.
fn scan_line(b: &mut Builder, line: &str, pos: Option<Pos>) {
    let hs = headings(line);
    let mut last = 0;
    for (r, sec) in hs {
        scan_segment(
            b,
            &line[last..r.start],
            shift(pos, line[..last].chars().count()),
        );
        b.toks.push(Tok {
            kind: TokKind::Heading(sec),
            pos: shift(pos, line[..r.start].chars().count()),
        });
        last = r.end;
    }
    scan_segment(b, &line[last..], shift(pos, line[..last].chars().count()));
}

fn scan_segment(b: &mut Builder, seg: &str, pos: Option<Pos>) {
    // Decisions are made on folded characters; label text keeps the characters
    // as written (`fold_char` maps one character to one, so indices agree and
    // `norm` folds them again for matching; printed headers stay as printed).
    let orig: Vec<char> = seg.chars().collect();
    let chars: Vec<char> = orig.iter().copied().map(fold_char).collect();
    let mut text = String::new();
    let mut text_at = 0usize;
    let mut i = 0;
    let flush = |b: &mut Builder, text: &mut String, at: usize| {
        b.text(text, shift(pos, at));
        text.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        // a parenthesised note: its digits are not cell values ("（其中修订 16 件）")
        if c == '（' || c == '(' {
            let close = chars[i + 1..].iter().position(|&d| d == '）' || d == ')');
            if let Some(off) = close {
                let end = i + 1 + off;
                if text.is_empty() {
                    text_at = i;
                }
                text.extend(&orig[i..=end]);
                i = end + 1;
                continue;
            }
        }
        let signed = (c == '+' || c == '-')
            && at_word_start
            && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_digit() || signed {
            let start = i;
            let mut j = if signed { i + 1 } else { i };
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            let int_end = j;
            // a decimal part
            if j + 1 < chars.len() && chars[j] == '.' && chars[j + 1].is_ascii_digit() {
                j += 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
            }
            let next = chars.get(j).copied();
            let after = chars.get(j + 1).copied();
            // numbering of the next label: "…00000002.其他法律…" → values "0000000", label "2.其他…"
            if j == int_end
                && matches!(next, Some('.' | '、'))
                && after.is_none_or(|a| !a.is_ascii_digit())
                && !signed
            {
                let num_start = int_end - 1;
                if num_start > start {
                    flush(b, &mut text, text_at);
                    let digits: String = chars[start..num_start].iter().collect();
                    b.value(Val::Num(digits), shift(pos, start));
                }
                text_at = num_start;
                text.extend(&orig[num_start..=j]);
                i = j + 1;
                continue;
            }
            if next.is_some_and(is_counter_word)
                || (start > 0
                    && (chars[start - 1] == '第' || chars[start - 1].is_ascii_alphabetic()))
            {
                if text.is_empty() {
                    text_at = start;
                }
                text.extend(&orig[start..j]);
                i = j;
                continue;
            }
            flush(b, &mut text, text_at);
            let raw: String = chars[start..j].iter().collect();
            let num = raw.strip_prefix('+').unwrap_or(&raw).to_string();
            b.value(Val::Num(num), shift(pos, start));
            i = j;
            // a unit right after the number belongs to the cell
            if chars.get(i) == Some(&'万') && chars.get(i + 1) == Some(&'元') {
                i += 2;
            } else if matches!(chars.get(i), Some('元' | '件')) {
                i += 1;
            }
            continue;
        }
        if !c.is_whitespace() && at_word_start {
            // a lone blank marker between spaces
            let end = chars[i..]
                .iter()
                .position(|d| d.is_whitespace())
                .map_or(chars.len(), |p| p + i);
            let word: String = chars[i..end].iter().collect();
            if is_blank_marker(&word) {
                flush(b, &mut text, text_at);
                b.value(Val::Blank, shift(pos, i));
                i = end;
                continue;
            }
        }
        if text.is_empty() {
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            text_at = i;
        }
        text.push(orig[i]);
        i += 1;
    }
    flush(b, &mut text, text_at);
}

/// Turn blocks into the token stream.
pub fn tokenize(blocks: &[Block]) -> Vec<Tok> {
    let mut b = Builder { toks: Vec::new() };
    for block in blocks {
        match block {
            Block::Line { text, pos } => {
                if is_page_furniture(text) {
                    continue;
                }
                scan_line(&mut b, text, *pos);
            }
            Block::Cell { text, pos } => match cell_value(text) {
                Some(v) => b.value(v, *pos),
                None => cell_text(&mut b, text, *pos),
            },
            Block::Row(cells) => {
                b.mark(TokKind::RowStart);
                for (text, pos) in cells {
                    match cell_value(text) {
                        Some(v) => b.value(v, *pos),
                        None => cell_text(&mut b, text, *pos),
                    }
                }
                b.mark(TokKind::RowEnd);
            }
        }
    }
    b.toks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<TokKind> {
        tokenize(&[Block::Line {
            text: line.into(),
            pos: None,
        }])
        .into_iter()
        .map(|t| t.kind)
        .collect()
    }

    #[test]
    fn run_together_row_keeps_next_numbering() {
        let k = kinds("1.属于国家秘密00000002.其他法律");
        assert_eq!(
            k,
            vec![
                TokKind::Text("1.属于国家秘密".into()),
                TokKind::Value(Val::Num("0000000".into())),
                TokKind::Text("2.其他法律".into())
            ]
        );
    }

    #[test]
    fn units_signs_blanks_and_notes() {
        let k = kinds("政府集中采购 13 251000元 +8 - 22（其中修订 16 件）");
        assert_eq!(
            k,
            vec![
                TokKind::Text("政府集中采购".into()),
                TokKind::Value(Val::Num("13".into())),
                TokKind::Value(Val::Num("251000".into())),
                TokKind::Value(Val::Num("8".into())),
                TokKind::Value(Val::Blank),
                TokKind::Value(Val::Num("22".into())),
                TokKind::Text("（其中修订 16 件）".into()),
            ]
        );
        assert_eq!(
            kinds("2024年政府信息"),
            vec![TokKind::Text("2024年政府信息".into())]
        );
    }

    #[test]
    fn headings_mid_line() {
        let k = kinds("0000000 四、政府信息公开行政法复议、行政诉讼情况行政复议");
        assert_eq!(k[1], TokKind::Heading(Section::Appeals));
        assert_eq!(k[2], TokKind::Text("行政复议".into()));
        assert!(is_page_furniture("— 5 —"));
        assert!(is_page_furniture("-4-"));
    }

    #[test]
    fn cells() {
        assert_eq!(cell_value("79.1500"), Some(Val::Num("79.1500".into())));
        assert_eq!(cell_value("+8"), Some(Val::Num("8".into())));
        assert_eq!(cell_value("-3"), Some(Val::Num("-3".into())));
        assert_eq!(cell_value(" 251000元"), Some(Val::Num("251000".into())));
        assert_eq!(cell_value("１２"), Some(Val::Num("12".into())));
        assert_eq!(cell_value("—"), Some(Val::Blank));
        assert_eq!(cell_value("数据1"), None);
        assert_eq!(cell_value("1,234"), Some(Val::Num("1234".into())));
    }
}
