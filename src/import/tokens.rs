//! Every input kind is first turned into [`Block`]s (lines of free text,
//! single cells, table rows); this module turns blocks into one stream of
//! [`Tok`]s: label text, cell values, section headings and row ends.

use std::sync::LazyLock;

use regex::Regex;

use super::normalise::fold_char;
use super::template::Section;

/// A place in the source file, counted from 1 as a person counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// A line and column (in characters) of text, or of the text a PDF gives.
    Text { line: usize, column: usize },
    /// A cell of an HTML or DOCX table: the table's place in the document, the
    /// row's in the table, and the cell's among the cells one sees in that row
    /// (a cell merged across several rows or columns is one cell).
    Cell {
        table: usize,
        row: usize,
        cell: usize,
    },
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

/// A currency unit printed after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// 元
    Yuan,
    /// 万元
    WanYuan,
}

impl Unit {
    pub fn text(self) -> &'static str {
        match self {
            Unit::Yuan => "元",
            Unit::WanYuan => "万元",
        }
    }

    /// The currency unit a column header or label names (`（单位：万元）`), if any.
    pub fn of_header(header: &str) -> Option<Unit> {
        if header.contains("万元") {
            Some(Unit::WanYuan)
        } else if header.contains('元') {
            Some(Unit::Yuan)
        } else {
            None
        }
    }
}

/// A cell value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// Digits as written (`+` and `件` removed, `-` kept); may hold several numbers run together.
    Num(String),
    /// A number printed with a currency unit (`251000元`): placed only once converted
    /// exactly into its column's unit.
    Amount(String, Unit),
    /// Empty, `-`, `—`, `/`, `无`: blank, never 0.
    Blank,
    /// A cell the printed text cannot determine: left out of the document.
    Omitted,
}

impl Val {
    /// As printed (with its unit), for messages.
    pub fn printed(&self) -> String {
        match self {
            Val::Num(s) => s.clone(),
            Val::Amount(s, u) => format!("{s}{}", u.text()),
            Val::Blank => "(blank)".into(),
            Val::Omitted => "?".into(),
        }
    }
}

/// `num` (digits, maybe a sign and a decimal part) in `from` expressed in `to`, exactly:
/// the decimal point moves four places; every printed digit is kept.
pub fn convert(num: &str, from: Unit, to: Unit) -> String {
    let (neg, body) = match num.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, num),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let (int, frac) = match (from, to) {
        (Unit::Yuan, Unit::WanYuan) => {
            let padded = format!("{int:0>5}");
            let cut = padded.len() - 4;
            (
                padded[..cut].to_string(),
                format!("{}{frac}", &padded[cut..]),
            )
        }
        (Unit::WanYuan, Unit::Yuan) => {
            let padded = format!("{frac:0<4}");
            (format!("{int}{}", &padded[..4]), padded[4..].to_string())
        }
        _ => (int.to_string(), frac.to_string()),
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let sign = if neg { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokKind {
    Text(String),
    /// Text of a sentence (prose): matched like text, but never evidence of a table.
    Prose(String),
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

/// Section headings in a line of text: (byte range, section). A heading starts a
/// section: it begins the line (or cell), or follows what ends a table cell or a
/// sentence (a digit, a space, a unit, `。`) — text run together from a page
/// ("…0 0 0 四、政府信息公开行政复议…"). A heading's words inside a sentence
/// ("本报告由概述、一、总体情况，二、主动公开政府信息情况…组成") are not one.
pub fn headings(text: &str) -> Vec<(std::ops::Range<usize>, Section)> {
    HEADING
        .captures_iter(text)
        .filter_map(|c| Some((c.get(0)?.range(), section_of(c.name("k")?.as_str()))))
        .filter(|(r, _)| {
            text[..r.start].chars().next_back().is_none_or(|p| {
                p.is_whitespace()
                    || p.is_ascii_digit()
                    || matches!(
                        p,
                        '元' | '件' | '。' | '；' | ';' | '|' | '｜' | '>' | '）' | ')'
                    )
            })
        })
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

/// [`fold_char`], and the minus signs of typesetting (`−` U+2212, `﹣`) as `-`.
fn fold_sign(c: char) -> char {
    match c {
        '\u{2212}' | '\u{FE63}' => '-',
        _ => fold_char(c),
    }
}

/// Read a whole cell as one value, if it is one.
pub fn cell_value(text: &str) -> Option<Val> {
    let t: String = text.chars().map(fold_sign).collect();
    let t = t.trim();
    if is_blank_marker(t) {
        return Some(Val::Blank);
    }
    let (t, unit) = if let Some(b) = t.strip_suffix("万元") {
        (b, Some(Unit::WanYuan))
    } else if let Some(b) = t.strip_suffix('元') {
        (b, Some(Unit::Yuan))
    } else {
        (t.strip_suffix('件').unwrap_or(t), None)
    };
    let t = t.trim();
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
    let num = if neg { format!("-{body}") } else { body };
    Some(match unit {
        Some(u) => Val::Amount(num, u),
        None => Val::Num(num),
    })
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
    /// The tokens from `at` on are prose: their text is kept as prose, their
    /// values dropped.
    fn drop_values_from(&mut self, at: usize) {
        let tail = self.toks.split_off(at.min(self.toks.len()));
        self.toks
            .extend(tail.into_iter().filter_map(|t| match t.kind {
                TokKind::Value(_) => None,
                TokKind::Text(s) => Some(Tok {
                    kind: TokKind::Prose(s),
                    pos: t.pos,
                }),
                _ => Some(t),
            }));
    }
    fn mark(&mut self, kind: TokKind) {
        self.toks.push(Tok { kind, pos: None });
    }
}

/// `chars` characters further along a line of text; a table cell is one place.
fn shift(pos: Option<Pos>, chars: usize) -> Option<Pos> {
    pos.map(|p| match p {
        Pos::Text { line, column } => Pos::Text {
            line,
            column: column + chars,
        },
        cell @ Pos::Cell { .. } => cell,
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

/// Scan a line of free text into label text and values. A bar is a cell border
/// (a pipe row too short to be taken as a table), never label text.
fn scan_line(b: &mut Builder, line: &str, pos: Option<Pos>) {
    let line = &line.replace(['|', '｜'], " ");
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

/// Scan free text between headings. A sentence is prose: the numbers of a piece of
/// text that a sentence mark (`，` `。` `；` `！` `？`, outside parentheses) ends are
/// not cells ("本年制发规章 9 件，…"); table text has no sentence marks but inside
/// its notes ("（区分处理的，只计这一情形，…）").
fn scan_segment(b: &mut Builder, seg: &str, pos: Option<Pos>) {
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut start_chars = 0usize;
    for (n, (i, c)) in seg.char_indices().enumerate() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            '，' | '。' | '；' | '！' | '？' if depth == 0 => {
                let end = i + c.len_utf8();
                let at = b.toks.len();
                scan_cells(b, &seg[start..end], shift(pos, start_chars));
                b.drop_values_from(at);
                start = end;
                start_chars = n + 1;
            }
            _ => {}
        }
    }
    scan_cells(b, &seg[start..], shift(pos, start_chars));
}

fn scan_cells(b: &mut Builder, seg: &str, pos: Option<Pos>) {
    // Decisions are made on folded characters; label text keeps the characters
    // as written (`fold_char` maps one character to one, so indices agree and
    // `norm` folds them again for matching; printed headers stay as printed).
    let orig: Vec<char> = seg.chars().collect();
    let chars: Vec<char> = orig.iter().copied().map(fold_sign).collect();
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
        // a sign starts a value at a word start, and also right after digits: a
        // signed cell run together with the one before it ("35-15": 35 and −15)
        let signed = (c == '+' || c == '-')
            && (at_word_start || (i > 0 && chars[i - 1].is_ascii_digit()))
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
            i = j;
            // a unit right after the number belongs to the cell
            let val = if chars.get(i) == Some(&'万') && chars.get(i + 1) == Some(&'元') {
                i += 2;
                Val::Amount(num, Unit::WanYuan)
            } else if chars.get(i) == Some(&'元') {
                i += 1;
                Val::Amount(num, Unit::Yuan)
            } else {
                if chars.get(i) == Some(&'件') {
                    i += 1;
                }
                Val::Num(num)
            };
            b.value(val, shift(pos, start));
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
///
/// With `cells_only` (HTML and DOCX, whose tables are real tables), numbers are taken
/// from table cells only: a line of prose between tables keeps its headings and text,
/// but its numbers ("本年制发规章 2 件") are not cells. Text layouts print table rows
/// as lines, so there a line's numbers are read.
pub fn tokenize(blocks: &[Block], cells_only: bool) -> Vec<Tok> {
    let mut b = Builder { toks: Vec::new() };
    let has_rows = cells_only && blocks.iter().any(|x| matches!(x, Block::Row(_)));
    for block in blocks {
        match block {
            Block::Line { text, pos } => {
                if is_page_furniture(text) {
                    continue;
                }
                let at = b.toks.len();
                scan_line(&mut b, text, *pos);
                if has_rows {
                    b.drop_values_from(at);
                }
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
        tokenize(
            &[Block::Line {
                text: line.into(),
                pos: None,
            }],
            false,
        )
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
                TokKind::Value(Val::Amount("251000".into(), Unit::Yuan)),
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
    fn signs_run_together_and_exact_unit_conversion() {
        assert_eq!(
            kinds("行政事业性收费35-15"),
            vec![
                TokKind::Text("行政事业性收费".into()),
                TokKind::Value(Val::Num("35".into())),
                TokKind::Value(Val::Num("-15".into())),
            ]
        );
        assert_eq!(kinds("3+8")[1], TokKind::Value(Val::Num("8".into())));
        assert_eq!(convert("251000", Unit::Yuan, Unit::WanYuan), "25.1000");
        assert_eq!(convert("2895.90", Unit::Yuan, Unit::WanYuan), "0.289590");
        assert_eq!(convert("7", Unit::Yuan, Unit::WanYuan), "0.0007");
        assert_eq!(convert("-12", Unit::Yuan, Unit::WanYuan), "-0.0012");
        assert_eq!(convert("25.1", Unit::WanYuan, Unit::Yuan), "251000");
        assert_eq!(convert("0.289590", Unit::WanYuan, Unit::Yuan), "2895.90");
        assert_eq!(
            Unit::of_header("本年收费金额（单位：万元）"),
            Some(Unit::WanYuan)
        );
        assert_eq!(Unit::of_header("采购总金额"), None);
    }

    #[test]
    fn a_heading_starts_a_section_never_inside_a_sentence() {
        let k = kinds("本报告由概述、一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况等组成");
        assert!(k.iter().all(|t| !matches!(t, TokKind::Heading(_))), "{k:?}");
        assert_eq!(
            kinds("二、主动公开政府信息情况")[0],
            TokKind::Heading(Section::Active)
        );
        assert!(kinds("2895.90元三、收到和处理政府信息公开申请情况")
            .contains(&TokKind::Heading(Section::Requests)));
    }

    #[test]
    fn cells() {
        assert_eq!(cell_value("79.1500"), Some(Val::Num("79.1500".into())));
        assert_eq!(cell_value("+8"), Some(Val::Num("8".into())));
        assert_eq!(cell_value("-3"), Some(Val::Num("-3".into())));
        assert_eq!(
            cell_value(" 251000元"),
            Some(Val::Amount("251000".into(), Unit::Yuan))
        );
        assert_eq!(
            cell_value("−15"),
            Some(Val::Num("-15".into())),
            "a typeset minus"
        );
        assert_eq!(cell_value("12件"), Some(Val::Num("12".into())));
        assert_eq!(cell_value("１２"), Some(Val::Num("12".into())));
        assert_eq!(cell_value("—"), Some(Val::Blank));
        assert_eq!(cell_value("数据1"), None);
        assert_eq!(cell_value("1,234"), Some(Val::Num("1234".into())));
    }
}
