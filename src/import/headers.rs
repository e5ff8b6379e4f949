//! Column headers as printed: for a table whose schema declares `headers:`,
//! the header text of each column whose printed form differs from the
//! template's label (`采购总金额（万元，保留四位小数）` for `采购总金额`).
//!
//! A header is recognised by the template's label (without a trailing
//! parenthetical of its own, so `本年收费金额（单位：万元）` is found as
//! `本年收费金额`), compared with characters folded and whitespace ignored;
//! the printed header is that label as written plus the parenthetical notes
//! that follow it directly. Nothing is guessed: a note cut off (a PDF line
//! wrap), a label found twice with different text, or a header that does not
//! contain the label gives nothing for that column.

use std::collections::BTreeMap;

use super::normalise::{fold_char, is_invisible};
use super::template::ColumnSpec;

/// The header of a column found in one text: complete, or cut off.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    Text(String),
    CutOff,
}

/// Folded characters for matching, without whitespace and invisible marks,
/// each with its index among the original characters.
fn folded(orig: &[char]) -> Vec<(char, usize)> {
    orig.iter()
        .enumerate()
        .filter(|(_, c)| !c.is_whitespace() && !is_invisible(**c))
        .map(|(i, &c)| {
            let f = match fold_char(c) {
                '(' => '（',
                ')' => '）',
                f => f,
            };
            (f, i)
        })
        .collect()
}

/// The label a header is recognised by: the template label without a trailing
/// parenthetical note (`本年收费金额（单位：万元）` → `本年收费金额`).
fn base(label: &str) -> Vec<char> {
    let chars: Vec<char> = folded(&label.chars().collect::<Vec<_>>())
        .into_iter()
        .map(|(c, _)| c)
        .collect();
    if chars.last() == Some(&'）') {
        if let Some(open) = chars.iter().rposition(|&c| c == '（') {
            if open > 0 {
                return chars[..open].to_vec();
            }
        }
    }
    chars
}

/// Whitespace normalised: a run of whitespace between two non-ASCII
/// characters disappears (Chinese text has no spaces; a PDF's letter-spacing
/// or a `<br>` in a header is layout, not text), any other run becomes one
/// space, and the ends are trimmed; invisible marks are dropped.
pub fn tidy(chars: &[char]) -> String {
    let mut out = String::new();
    let mut space = false;
    for &c in chars {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if space && (c.is_ascii() || out.chars().last().is_some_and(|p| p.is_ascii())) {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Where the header that starts with a label ending at `end` (exclusive, in
/// `f`) ends: after each parenthetical note that follows directly. `None` when
/// a note is not closed within the text.
fn header_end(f: &[(char, usize)], mut end: usize) -> Option<usize> {
    while f.get(end).is_some_and(|(c, _)| *c == '（') {
        let close = f[end + 1..]
            .iter()
            .position(|(c, _)| *c == '）' || *c == '（')
            .map(|p| p + end + 1)?;
        if f[close].0 != '）' {
            return None;
        }
        end = close + 1;
    }
    Some(end)
}

/// The printed headers of `columns` in `texts` (the label text read before a
/// table's first row, one entry per token): `(column index, printed text)` for
/// each column whose printed header differs from its template label.
pub fn printed(texts: &[&str], columns: &[ColumnSpec]) -> Vec<(usize, String)> {
    let bases: Vec<Vec<char>> = columns.iter().map(|c| base(c.label)).collect();
    let mut found: BTreeMap<usize, Vec<Found>> = BTreeMap::new();
    for text in texts {
        let orig: Vec<char> = text.chars().collect();
        let f = folded(&orig);
        let chars: Vec<char> = f.iter().map(|(c, _)| *c).collect();
        // every occurrence of every column's label
        let mut hits: Vec<(usize, usize, usize)> = Vec::new(); // column, start, end
        for (col, b) in bases.iter().enumerate() {
            if b.is_empty() || b.len() > chars.len() {
                continue;
            }
            for start in 0..=chars.len() - b.len() {
                if chars[start..start + b.len()] == b[..] {
                    hits.push((col, start, start + b.len()));
                }
            }
        }
        for &(col, start, end) in &hits {
            // part of a longer column label (`数量` inside `采购项目数量`)
            let inside_longer = hits
                .iter()
                .any(|&(o, s, e)| o != col && s <= start && end <= e && e - s > end - start);
            if inside_longer {
                continue;
            }
            let entry = match header_end(&f, end) {
                Some(stop) => {
                    let (from, to) = (f[start].1, f[stop - 1].1);
                    Found::Text(tidy(&orig[from..=to]))
                }
                None => Found::CutOff,
            };
            found.entry(col).or_default().push(entry);
        }
    }
    let mut out = Vec::new();
    for (col, seen) in found {
        let Some(first) = seen.first() else {
            continue;
        };
        if seen.iter().any(|s| s != first) {
            continue;
        }
        let Found::Text(t) = first else {
            continue;
        };
        if let Some(c) = columns.get(col) {
            if *t != c.label {
                out.push((col, t.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PURCHASES: [ColumnSpec; 2] = [
        ColumnSpec {
            key: "采购项目数",
            label: "采购项目数量",
        },
        ColumnSpec {
            key: "采购总金额",
            label: "采购总金额",
        },
    ];

    fn p(texts: &[&str]) -> Vec<(usize, String)> {
        printed(texts, &PURCHASES)
    }

    #[test]
    fn printed_header_as_written() {
        let want = vec![(1, "采购总金额（万元，保留四位小数）".to_string())];
        // one cell per token
        assert_eq!(
            p(&[
                "第二十条第（九）项",
                "信息内容",
                "采购项目数量",
                "采购总金额（万元，保留四位小数）",
                "政府集中采购"
            ]),
            want
        );
        // one PDF line, letter-spaced; a line break inside the note
        assert_eq!(
            p(&["信息内容   采购项目数量   采 购 总 金 额（万元，\n保留四位小数）"]),
            want
        );
        // half-width, kept as written
        assert_eq!(
            p(&["采购总金额  (万元)"]),
            vec![(1, "采购总金额 (万元)".to_string())]
        );
        // labels and digits run together
        assert_eq!(
            p(&["采购项目数量采购总金额（万元）政府集中采购"]),
            vec![(1, "采购总金额（万元）".to_string())]
        );
    }

    #[test]
    fn nothing_when_same_lost_or_unclear() {
        assert_eq!(p(&["信息内容", "采购项目数量", "采购总金额"]), vec![]);
        assert_eq!(p(&["采购项目数量采购总金额政府集中采购"]), vec![]);
        // cut off by a wrap
        assert_eq!(p(&["采购总金额（万元，保留四"]), vec![]);
        // two different texts for one column
        assert_eq!(p(&["采购总金额（万元）", "采购总金额（元）"]), vec![]);
        // the label itself lost
        assert_eq!(p(&["金额（万元）"]), vec![]);
    }

    #[test]
    fn a_label_with_its_own_note() {
        let fee = [ColumnSpec {
            key: "收费金额",
            label: "本年收费金额（单位：万元）",
        }];
        assert_eq!(printed(&["本年收费金额（单位：万元）"], &fee), vec![]);
        assert_eq!(
            printed(&["本年收费金额（万元）"], &fee),
            vec![(0, "本年收费金额（万元）".to_string())]
        );
        let t = |s: &str| tidy(&s.chars().collect::<Vec<_>>());
        assert_eq!(t(" a  b 采 购\u{200B} "), "a b 采购");
        assert_eq!(t("金额（万元，\n 保留)"), "金额（万元，保留)");
        assert_eq!(t("金额(万元, 保留)"), "金额(万元, 保留)");
    }
}
