//! Word files (DOCX): `word/document.xml` read with quick-xml. Paragraphs
//! become lines; tables (`w:tbl`/`w:tr`/`w:tc`) become rows, with
//! `w:gridSpan` as colspan and `w:vMerge` turned into rowspan for the grid.

use std::io::Read;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::grid::{cell_rows, origin_rows, SrcCell, MAX_SLOTS};
use super::tokens::Block;
use super::{Problem, Severity};
use crate::messages::import::ImportMsg;

/// The largest document.xml we read (a bomb guard).
const MAX_XML: u64 = 64 * 1024 * 1024;

#[derive(Debug, Default, Clone)]
struct Tc {
    text: String,
    span: usize,
    /// None: not merged; Some(true): starts a vertical merge; Some(false): continues one.
    vmerge: Option<bool>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Read the blocks of a DOCX, and the problems met laying out its tables;
/// errors are messages for the user.
pub fn blocks(bytes: &[u8]) -> Result<(Vec<Block>, Vec<Problem>), String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a DOCX (zip) file: {e}"))?;
    let mut xml = String::new();
    {
        let f = zip
            .by_name("word/document.xml")
            .map_err(|e| format!("no word/document.xml: {e}"))?;
        f.take(MAX_XML)
            .read_to_string(&mut xml)
            .map_err(|e| format!("word/document.xml unreadable: {e}"))?;
    }
    parse(&xml)
}

fn parse(xml: &str) -> Result<(Vec<Block>, Vec<Problem>), String> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // grid slots the whole document may still lay out, and tables seen
    let mut budget = MAX_SLOTS;
    let mut tables = 0usize;
    let mut para = String::new();
    let mut in_text = false;
    // nesting of tables; only the outermost one's rows are kept as rows
    let mut tbl_depth = 0usize;
    let mut rows: Vec<Vec<Tc>> = Vec::new();
    let mut cur_row: Option<Vec<Tc>> = None;
    let mut cur_cell: Option<Tc> = None;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("word/document.xml is not well-formed: {e}"))?;
        match ev {
            Event::Start(e) | Event::Empty(e)
                if tbl_depth <= 1 || e.local_name().as_ref() == b"tbl" =>
            {
                match e.local_name().as_ref() {
                    b"tbl" => {
                        tbl_depth += 1;
                        if tbl_depth == 1 {
                            rows.clear();
                        }
                    }
                    b"tr" if tbl_depth == 1 => cur_row = Some(Vec::new()),
                    b"tc" if tbl_depth == 1 => {
                        cur_cell = Some(Tc {
                            span: 1,
                            ..Tc::default()
                        })
                    }
                    b"gridSpan" => {
                        if let Some(c) = cur_cell.as_mut() {
                            c.span = attr(&e, b"val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .max(1);
                        }
                    }
                    b"vMerge" => {
                        if let Some(c) = cur_cell.as_mut() {
                            c.vmerge = Some(attr(&e, b"val").is_some_and(|v| v == "restart"));
                        }
                    }
                    b"t" => in_text = true,
                    b"tab" => para.push('\t'),
                    b"br" | b"cr" => para.push(' '),
                    _ => {}
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"t" => in_text = true,
            Event::Empty(_) => {}
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let text = std::mem::take(&mut para);
                    if let Some(c) = cur_cell.as_mut() {
                        // paragraphs of one cell: a wrapped label stays one label
                        c.text.push_str(text.trim());
                    } else if tbl_depth == 0 {
                        out.push(Block::Line {
                            text: text.trim().to_string(),
                            pos: None,
                        });
                    }
                }
                b"tc" if tbl_depth == 1 => {
                    if let (Some(c), Some(r)) = (cur_cell.take(), cur_row.as_mut()) {
                        r.push(c);
                    }
                }
                b"tr" if tbl_depth == 1 => {
                    if let Some(r) = cur_row.take() {
                        rows.push(r);
                    }
                }
                b"tbl" => {
                    tbl_depth = tbl_depth.saturating_sub(1);
                    if tbl_depth == 0 {
                        tables += 1;
                        match origin_rows(&to_grid(&rows), &mut budget) {
                            Ok(grid) => out.extend(cell_rows(tables, grid)),
                            Err(_) => problems.push(Problem {
                                message: ImportMsg::GridTooLarge {
                                    table: tables,
                                    limit: MAX_SLOTS,
                                }
                                .to_string(),
                                line: None,
                                column: None,
                                cell: None,
                                severity: Severity::Error,
                            }),
                        }
                        rows.clear();
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                if let Ok(s) = t.decode() {
                    para.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    para.push(c);
                } else if let Ok(name) = r.decode() {
                    para.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((out, problems))
}

/// Word lists every grid cell of a vertical merge; the grid wants one cell
/// with a rowspan, so continuation cells are counted and dropped.
fn to_grid(rows: &[Vec<Tc>]) -> Vec<Vec<SrcCell>> {
    let starts: Vec<Vec<usize>> = rows
        .iter()
        .map(|r| {
            let mut col = 0;
            r.iter()
                .map(|c| {
                    let s = col;
                    col += c.span.clamp(1, super::grid::MAX_SPAN);
                    s
                })
                .collect()
        })
        .collect();
    // (row, start column) of every continuation cell, looked up per merged cell
    let continuations: std::collections::HashSet<(usize, usize)> = rows
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter()
                .zip(&starts[r])
                .filter(|(c, _)| c.vmerge == Some(false))
                .map(move |(_, &s)| (r, s))
        })
        .collect();
    let continues_at = |r: usize, col: usize| continuations.contains(&(r, col));
    rows.iter()
        .enumerate()
        .map(|(r, row)| {
            row.iter()
                .zip(&starts[r])
                .filter(|(c, _)| c.vmerge != Some(false))
                .map(|(c, &s)| {
                    let mut rowspan = 1;
                    if c.vmerge == Some(true) {
                        while continues_at(r + rowspan, s) && rowspan < super::grid::MAX_SPAN {
                            rowspan += 1;
                        }
                    }
                    SrcCell {
                        text: c.text.clone(),
                        rowspan,
                        colspan: c.span,
                    }
                })
                .collect()
        })
        .collect()
}
