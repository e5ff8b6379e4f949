//! Plain text: decoding (UTF-8 with or without BOM, UTF-16 with BOM, GBK /
//! GB18030) and splitting into blocks according to the layout (§5 A–J).

use super::tokens::{Block, Pos};

/// The encoding a text was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Gb18030,
    /// Not valid in any of the above: decoded as UTF-8 with replacement characters.
    Lossy,
}

/// Decode a text file. Never fails: undecodable bytes become U+FFFD and the
/// caller reports it.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            String::from_utf8_lossy(rest).into_owned(),
            Encoding::Utf8Bom,
        );
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let enc = if bytes[0] == 0xFF {
            encoding_rs::UTF_16LE
        } else {
            encoding_rs::UTF_16BE
        };
        let (text, _, _) = enc.decode(bytes);
        return (text.into_owned(), Encoding::Utf16);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Encoding::Utf8);
    }
    // Not UTF-8: ask chardetng, but only accept the Chinese legacy encodings
    // the reports are published in; GB18030 is a superset of GBK.
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(Some(b"cn"), true);
    if guess == encoding_rs::GBK || guess == encoding_rs::GB18030 || guess == encoding_rs::BIG5 {
        let enc = if guess == encoding_rs::BIG5 {
            encoding_rs::BIG5
        } else {
            encoding_rs::GB18030
        };
        let (text, _, had_errors) = enc.decode(bytes);
        if !had_errors {
            return (text.into_owned(), Encoding::Gb18030);
        }
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if !had_errors {
        return (text.into_owned(), Encoding::Gb18030);
    }
    (String::from_utf8_lossy(bytes).into_owned(), Encoding::Lossy)
}

/// How the table cells of a text file are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Cells on lines of their own starting with a TAB (the seed; layout A).
    Tabbed,
    /// One cell per line ending in ` |`, rows separated by lines of bare pipes (D).
    PipeCells,
    /// Pipe-separated rows, markdown tables included (C, G).
    PipeRows,
    /// TAB-separated rows (a spreadsheet or a table copied as text): the label, then
    /// one cell per TAB, an empty field a blank cell.
    TabRows,
    /// Free text: paragraphs per cell (B), PDF rows on one line (F), run-together digits.
    Free,
}

fn pipe_cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(str::trim).collect()
}

fn is_md_separator(line: &str) -> bool {
    let t = line.trim();
    t.contains('-') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// A line with a TAB between its first text and the rest.
fn is_tab_row(line: &str) -> bool {
    !line.starts_with('\t') && line.trim_end().contains('\t')
}

fn detect(lines: &[&str]) -> Layout {
    let tabbed = lines.iter().filter(|l| l.starts_with('\t')).count();
    let piped: Vec<&&str> = lines.iter().filter(|l| l.contains('|')).collect();
    if tabbed >= 20 && tabbed * 4 >= lines.len() {
        return Layout::Tabbed;
    }
    let tab_rows = lines.iter().filter(|l| is_tab_row(l)).count();
    if tab_rows >= 3 && !lines.iter().any(|l| l.contains('|')) {
        return Layout::TabRows;
    }
    if piped.len() >= 3 {
        let single = piped
            .iter()
            .filter(|l| pipe_cells(l).iter().filter(|c| !c.is_empty()).count() <= 1)
            .count();
        let ends_bar = piped
            .iter()
            .filter(|l| l.trim_end().ends_with(" |") || l.trim().chars().all(|c| c == '|'))
            .count();
        if single * 10 >= piped.len() * 8 && ends_bar * 10 >= piped.len() * 8 {
            return Layout::PipeCells;
        }
        return Layout::PipeRows;
    }
    Layout::Free
}

/// Free text whose table cells stand one per line, next to each other (no blank
/// line between them): there an empty line is an empty cell. Paragraph layouts
/// separate every cell by a blank line, and PDF text puts a row on one line.
fn one_cell_per_line(lines: &[&str]) -> bool {
    let value = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || ".,-+".contains(c))
    };
    let adjacent = lines
        .windows(2)
        .filter(|w| value(w[0]) && value(w[1]))
        .count();
    let spaced = lines
        .windows(3)
        .filter(|w| value(w[0]) && w[1].trim().is_empty() && value(w[2]))
        .count();
    adjacent >= 20 && adjacent > spaced * 4
}

/// Split decoded text into blocks. Positions are 1-based lines and columns.
pub fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let layout = detect(&lines);
    let cell_per_line = layout == Layout::Free && one_cell_per_line(&lines);
    let mut out = Vec::with_capacity(lines.len());
    for (i, raw) in lines.iter().enumerate() {
        let line_no = i + 1;
        let line = raw.replace('\u{c}', "");
        let lead = line.chars().take_while(|c| c.is_whitespace()).count();
        let pos = Some(Pos::Text {
            line: line_no,
            column: lead + 1,
        });
        match layout {
            Layout::Tabbed if line.starts_with('\t') => {
                out.push(Block::Cell {
                    text: line.trim().to_string(),
                    pos,
                });
            }
            Layout::PipeCells if line.contains('|') => {
                let cells = pipe_cells(&line);
                if cells.iter().all(|c| c.is_empty()) {
                    out.push(Block::Row(Vec::new()));
                } else {
                    for c in cells.into_iter().filter(|c| !c.is_empty()) {
                        let col = line.find(c).map_or(1, |b| line[..b].chars().count() + 1);
                        out.push(Block::Cell {
                            text: c.to_string(),
                            pos: Some(Pos::Text {
                                line: line_no,
                                column: col,
                            }),
                        });
                    }
                }
            }
            Layout::TabRows if line.contains('\t') => {
                let mut cells = Vec::new();
                let mut from = 0;
                // not trimmed: a trailing TAB ends a blank last cell
                for c in line.trim_end_matches([' ', '\r']).split('\t') {
                    let at = Pos::Text {
                        line: line_no,
                        column: line[..from].chars().count() + 1,
                    };
                    from += c.len() + 1;
                    cells.push((c.trim().to_string(), Some(at)));
                }
                out.push(Block::Row(cells));
            }
            Layout::PipeRows if line.contains('|') && !line.trim_start().starts_with('#') => {
                if is_md_separator(&line) {
                    continue;
                }
                let mut cells = Vec::new();
                let mut from = 0;
                for c in pipe_cells(&line) {
                    let col = if c.is_empty() {
                        None
                    } else {
                        line[from..].find(c).map(|b| {
                            from += b + c.len();
                            Pos::Text {
                                line: line_no,
                                column: line[..from - c.len()].chars().count() + 1,
                            }
                        })
                    };
                    cells.push((c.to_string(), col.or(pos)));
                }
                out.push(Block::Row(cells));
            }
            // an empty paragraph (a no-break or ideographic space, as pages print an
            // empty cell), or an empty line where every cell has its own line: a blank cell
            _ if line.trim().is_empty()
                && (line.contains(['\u{a0}', '\u{3000}'])
                    || (cell_per_line && line.is_empty())) =>
            {
                out.push(Block::Cell {
                    text: String::new(),
                    pos,
                });
            }
            _ => {
                let t = line.trim_start_matches('#').trim();
                out.push(Block::Line {
                    text: t.to_string(),
                    pos,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("一、本年新收政府信息公开申请数量");
        assert_eq!(
            decode(&gbk),
            (
                "一、本年新收政府信息公开申请数量".to_string(),
                Encoding::Gb18030
            )
        );
        let bom = [b"\xEF\xBB\xBF".as_slice(), "规章".as_bytes()].concat();
        assert_eq!(decode(&bom), ("规章".to_string(), Encoding::Utf8Bom));
    }
}
