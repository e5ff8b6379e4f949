//! An Excel workbook (`--format xlsx -o FILE`), for colleagues who work in spreadsheets: a
//! sheet of findings (one row each), a summary sheet (totals, counts by rule, by agency and
//! year) and a sheet of reports (one row each, with whether it was checked in full).
//!
//! Each report's rows are made on the worker that checked it (as JSON, into its buffer);
//! [`Renderer::write`] adds them to the workbook in input order, and [`Renderer::footer`]
//! writes the summary sheet and the file. The sheets are in rust_xlsxwriter's constant-memory
//! mode: a row goes to a temporary file as soon as the next one starts, so memory stays flat
//! however many findings there are. Excel's row limit is kept: rows past it are counted and
//! named in a last row instead of failing the run.

use std::io::{self, Write};
use std::sync::Mutex;

use rust_xlsxwriter::{Format as Style, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::{cell_name, elsewhere, range, FormatSpec, Renderer, Report, Run, Settings, Summary};
use crate::finding::Severity;
use crate::messages::render::{ColumnMsg as C, RenderMsg, XlsxMsg as X};

pub const FORMAT: FormatSpec = FormatSpec {
    name: "xlsx",
    about: crate::messages::render::RenderMsg::FormatXlsx,
    binary: true,
    make: |_: &Settings| Box::new(Xlsx::new(ROW_LIMIT)),
};

/// Rows in an Excel sheet.
const ROW_LIMIT: u32 = 1_048_576;

/// The most years the summary's agency × year grid has columns for (more: the list only).
const GRID_YEARS: usize = 200;

/// Characters in an Excel cell.
const TEXT_LIMIT: usize = 32_767;

/// The sheets, in the workbook's order.
const FINDINGS: usize = 0;
const SUMMARY: usize = 1;
const REPORTS: usize = 2;

pub struct Xlsx {
    /// Rows per sheet (Excel's limit; smaller in tests).
    limit: u32,
    /// Made by the header (it can fail: the sheets need a temporary directory).
    book: Option<Mutex<Book>>,
}

struct Book {
    workbook: Workbook,
    /// Next free row and rows left out, per sheet.
    sheets: [Sheet; 3],
    bold: Style,
    wrap: Style,
}

#[derive(Default, Clone, Copy)]
struct Sheet {
    next: u32,
    left_out: u64,
}

/// One report's rows, made on a worker thread.
#[derive(Serialize, Deserialize)]
struct Rows {
    report: Vec<Cell>,
    findings: Vec<Vec<Cell>>,
}

#[derive(Serialize, Deserialize)]
enum Cell {
    Text(String),
    Number(f64),
}

impl Xlsx {
    fn new(limit: u32) -> Xlsx {
        Xlsx { limit, book: None }
    }
}

fn columns(cs: &[C]) -> Vec<Cell> {
    cs.iter().map(|c| Cell::Text(c.to_string())).collect()
}

fn findings_header() -> Vec<Cell> {
    columns(&[
        C::File,
        C::Agency,
        C::Year,
        C::Line,
        C::Column,
        C::Severity,
        C::Rule,
        C::Title,
        C::Message,
        C::Cells,
        C::Values,
        C::Repair,
    ])
}

fn reports_header() -> Vec<Cell> {
    columns(&[
        C::File,
        C::Agency,
        C::Year,
        C::Format,
        C::Status,
        C::Errors,
        C::Warnings,
        C::Infos,
    ])
}

/// A year as a number when it is one (so a spreadsheet sorts and filters it as one).
fn year(y: &Option<String>) -> Cell {
    match y.as_deref().map(|y| (y, y.trim().parse::<u32>())) {
        Some((_, Ok(n))) => Cell::Number(n.into()),
        Some((y, Err(_))) => Cell::Text(y.to_string()),
        None => Cell::Text(String::new()),
    }
}

fn severity(s: Severity) -> String {
    match s {
        Severity::Error => X::Error,
        Severity::Warning => X::Warning,
        Severity::Info => X::Info,
    }
    .to_string()
}

fn count(n: usize) -> Cell {
    Cell::Number(n as f64)
}

fn rows(report: &Report<'_>) -> Rows {
    let name = || Cell::Text(report.name.to_string());
    let agency = || Cell::Text(report.meta.agency.clone().unwrap_or_default());
    let findings = report
        .findings
        .iter()
        .map(|f| {
            let (start, _) = range(report.source, f);
            let labels: Vec<String> = f
                .cells
                .iter()
                .map(|c| {
                    let label = if c.label.is_empty() {
                        cell_name(c)
                    } else {
                        c.label.to_string()
                    };
                    match elsewhere(c) {
                        Some(at) => format!("{label}（{at}）"),
                        None => label,
                    }
                })
                .collect();
            let values: Vec<&str> = f.cells.iter().map(|c| c.value.as_str()).collect();
            let repair: Vec<String> = f
                .fix
                .iter()
                .flat_map(|x| &x.edits)
                .map(|e| {
                    X::Edit {
                        label: e.label.to_string(),
                        from: e.from.clone(),
                        to: e.to.clone().unwrap_or_else(|| X::Open.to_string()),
                    }
                    .to_string()
                })
                .collect();
            vec![
                name(),
                agency(),
                year(&report.meta.year),
                count(start.line),
                count(start.column),
                Cell::Text(severity(f.severity)),
                Cell::Text(f.rule.clone()),
                Cell::Text(f.title.clone()),
                Cell::Text(f.message.clone()),
                Cell::Text(labels.join("\n")),
                Cell::Text(values.join("\n")),
                Cell::Text(repair.join("\n")),
            ]
        })
        .collect();
    let of = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let status = if report.meta.fully_checked {
        X::FullyChecked
    } else {
        X::NotChecked
    };
    Rows {
        report: vec![
            name(),
            agency(),
            year(&report.meta.year),
            Cell::Text(report.meta.format.clone().unwrap_or_default()),
            Cell::Text(status.to_string()),
            count(of(Severity::Error)),
            count(of(Severity::Warning)),
            count(of(Severity::Info)),
        ],
        findings,
    }
}

fn failed(e: XlsxError) -> io::Error {
    io::Error::other(
        X::Failed {
            detail: e.to_string(),
        }
        .to_string(),
    )
}

/// Text as a cell can hold it.
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(TEXT_LIMIT - 1) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

impl Book {
    /// A workbook with its three sheets, their headers written. The sheets keep their rows
    /// in temporary files, which rust_xlsxwriter creates without reporting failure: the
    /// temporary directory is tried first, so a failure is an error message, not a panic.
    fn new() -> io::Result<Book> {
        let dir = std::env::temp_dir();
        let probe = dir.join(format!(".gouji-xlsx-{}", std::process::id()));
        let tried = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&probe);
        let _ = std::fs::remove_file(&probe);
        let temp_dir = |detail: String| io::Error::other(X::TempDir { detail }.to_string());
        tried.map_err(|e| temp_dir(format!("{}: {e}", dir.display())))?;
        let made = std::panic::catch_unwind(|| {
            let mut workbook = Workbook::new();
            for _ in [FINDINGS, SUMMARY, REPORTS] {
                workbook.add_worksheet_with_constant_memory();
            }
            workbook
        });
        let workbook = made.map_err(|_| temp_dir(dir.display().to_string()))?;
        let mut book = Book {
            workbook,
            sheets: [Sheet::default(); 3],
            bold: Style::new().set_bold(),
            wrap: Style::new().set_text_wrap(),
        };
        let names = [X::FindingsSheet, X::SummarySheet, X::ReportsSheet];
        for (i, name) in names.iter().enumerate() {
            book.sheet(i)?.set_name(name.to_string()).map_err(failed)?;
        }
        let widths: [(usize, &[f64]); 3] = [
            (
                FINDINGS,
                &[
                    28.0, 24.0, 8.0, 6.0, 6.0, 8.0, 22.0, 30.0, 60.0, 40.0, 10.0, 40.0,
                ],
            ),
            (SUMMARY, &[24.0, 40.0, 12.0, 12.0, 12.0]),
            (REPORTS, &[28.0, 24.0, 8.0, 8.0, 14.0, 8.0, 8.0, 8.0]),
        ];
        for (i, widths) in widths {
            let sheet = book.sheet(i)?;
            for (col, w) in widths.iter().enumerate() {
                sheet.set_column_width(col as u16, *w).map_err(failed)?;
            }
        }
        for (i, header) in [(FINDINGS, findings_header()), (REPORTS, reports_header())] {
            book.sheet(i)?.set_freeze_panes(1, 0).map_err(failed)?;
            book.put(i, u32::MAX, &header, true)?;
        }
        Ok(book)
    }

    fn sheet(&mut self, i: usize) -> io::Result<&mut Worksheet> {
        self.workbook.worksheet_from_index(i).map_err(failed)
    }

    /// Writes a row at the end of sheet `i`, or counts it as left out when only the last
    /// row is free (it is kept for saying so). `limit` is the sheet's row count.
    fn put(&mut self, i: usize, limit: u32, cells: &[Cell], bold: bool) -> io::Result<()> {
        let at = self.sheets[i].next;
        if at.saturating_add(1) >= limit {
            self.sheets[i].left_out += 1;
            return Ok(());
        }
        self.sheets[i].next = at + 1;
        let (bold_style, wrap) = (self.bold.clone(), self.wrap.clone());
        let sheet = self.sheet(i)?;
        for (col, cell) in cells.iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Number(n) => sheet.write_number(at, col, *n),
                Cell::Text(t) if bold => {
                    sheet.write_string_with_format(at, col, clip(t), &bold_style)
                }
                Cell::Text(t) if t.contains('\n') => {
                    sheet.write_string_with_format(at, col, clip(t), &wrap)
                }
                Cell::Text(t) => sheet.write_string(at, col, clip(t)),
            }
            .map_err(failed)?;
        }
        Ok(())
    }

    /// The last row of a sheet that had to leave rows out says how many.
    fn close(&mut self, i: usize) -> io::Result<()> {
        let left_out = self.sheets[i].left_out;
        if left_out > 0 {
            let note = [Cell::Text(X::RowsLeftOut { n: left_out }.to_string())];
            self.put(i, u32::MAX, &note, true)?;
        }
        Ok(())
    }

    fn summary(&mut self, limit: u32, summary: &Summary) -> io::Result<()> {
        let put =
            |book: &mut Book, cells: Vec<Cell>, bold: bool| book.put(SUMMARY, limit, &cells, bold);
        put(self, vec![Cell::Text(X::Totals.to_string())], true)?;
        let totals = [
            (X::Files.to_string(), summary.files),
            (X::FullyChecked.to_string(), summary.fully_checked),
            (X::NotChecked.to_string(), summary.not_fully_checked),
            (C::Errors.to_string(), summary.errors),
            (C::Warnings.to_string(), summary.warnings),
            (C::Infos.to_string(), summary.infos),
        ];
        for (label, n) in totals {
            put(self, vec![Cell::Text(label), count(n)], false)?;
        }
        let stats = &summary.stats;
        put(self, vec![], false)?;
        put(self, vec![Cell::Text(X::ByRule.to_string())], true)?;
        let header = columns(&[C::Rule, C::Title, C::Errors, C::Warnings, C::Infos]);
        put(self, header, true)?;
        for (id, c) in stats.rules_by_errors() {
            let row = vec![
                Cell::Text(id.clone()),
                Cell::Text(c.title.clone()),
                count(c.errors),
                count(c.warnings),
                count(c.infos),
            ];
            put(self, row, false)?;
        }
        put(self, vec![], false)?;
        put(self, vec![Cell::Text(X::ByAgency.to_string())], true)?;
        let header = columns(&[C::Agency, C::Year, C::Reports, C::Failing, C::Errors]);
        put(self, header, true)?;
        for ((agency, y), g) in &stats.by_agency_year {
            let y = (!y.is_empty()).then(|| y.clone());
            let row = vec![
                Cell::Text(agency.clone()),
                year(&y),
                count(g.files),
                count(g.failing),
                count(g.errors),
            ];
            put(self, row, false)?;
        }
        // The same as a grid: agencies down, years across, each cell the errors of that
        // agency's report(s) of that year (empty: no report).
        let years: std::collections::BTreeSet<&String> =
            stats.by_agency_year.keys().map(|(_, y)| y).collect();
        if years.len() > GRID_YEARS {
            return self.close(SUMMARY);
        }
        let unknown = |s: &String| {
            Cell::Text(if s.is_empty() {
                RenderMsg::Unknown.to_string()
            } else {
                s.clone()
            })
        };
        put(self, vec![], false)?;
        put(self, vec![Cell::Text(X::Grid.to_string())], true)?;
        let mut header = vec![Cell::Text(C::Agency.to_string())];
        header.extend(years.iter().map(|y| unknown(y)));
        put(self, header, true)?;
        let agencies: std::collections::BTreeSet<&String> =
            stats.by_agency_year.keys().map(|(a, _)| a).collect();
        for agency in agencies {
            let mut row = vec![unknown(agency)];
            row.extend(years.iter().map(|y| {
                let key = (agency.clone(), (*y).clone());
                match stats.by_agency_year.get(&key) {
                    Some(g) => count(g.errors),
                    None => Cell::Text(String::new()),
                }
            }));
            put(self, row, false)?;
        }
        self.close(SUMMARY)
    }
}

impl Renderer for Xlsx {
    fn header(&mut self, _run: &Run, _out: &mut dyn Write) -> io::Result<()> {
        self.book = Some(Mutex::new(Book::new()?));
        Ok(())
    }

    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        // Serialising strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(out, &rows(report));
    }

    fn write(&self, rendered: &[u8], _out: &mut dyn Write) -> io::Result<()> {
        let Some(book) = &self.book else {
            return Ok(());
        };
        let rows: Rows = serde_json::from_slice(rendered).map_err(io::Error::other)?;
        let mut book = book.lock().unwrap_or_else(|e| e.into_inner());
        for finding in &rows.findings {
            book.put(FINDINGS, self.limit, finding, false)?;
        }
        book.put(REPORTS, self.limit, &rows.report, false)
    }

    fn footer(&mut self, _run: &Run, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let Some(book) = self.book.take() else {
            return Ok(());
        };
        let mut book = book.into_inner().unwrap_or_else(|e| e.into_inner());
        for (i, last_col) in [(FINDINGS, 11), (REPORTS, 7)] {
            let last_row = book.sheets[i].next.saturating_sub(1);
            if last_row > 0 {
                book.sheet(i)?
                    .autofilter(0, 0, last_row, last_col)
                    .map_err(failed)?;
            }
            book.close(i)?;
        }
        book.summary(self.limit, summary)?;
        let bytes = book.workbook.save_to_buffer().map_err(failed)?;
        out.write_all(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::render::Meta;
    use crate::source::Source;

    /// The rows of a sheet of a saved workbook, as the XML's `<row` elements.
    fn sheet_xml(bytes: &[u8], n: usize) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        xml
    }

    #[test]
    fn rows_past_the_limit_are_counted_in_the_last_row() {
        let mut xlsx = Xlsx::new(4);
        let run = Run { rules: &[] };
        let mut out = Vec::new();
        xlsx.header(&run, &mut out).unwrap();
        let source = Source::new("a.yaml", "机关: 甲\n");
        let long = "长".repeat(TEXT_LIMIT + 10);
        let findings = [
            Finding::new("r/one", Severity::Error, "一", long, 0..1),
            Finding::new("r/two", Severity::Warning, "二", "=1+1\u{1}".into(), 0..1),
        ];
        let meta = Meta::default();
        for name in ["a.yaml", "b.yaml", "c.yaml"] {
            let report = Report {
                name,
                path: None,
                source: &source,
                document: None,
                findings: &findings,
                meta: &meta,
            };
            let mut buffer = Vec::new();
            xlsx.report(&report, &mut buffer);
            xlsx.write(&buffer, &mut out).unwrap();
        }
        xlsx.footer(&run, &Summary::default(), &mut out).unwrap();
        assert!(out.starts_with(b"PK"), "a zip file");
        let findings = sheet_xml(&out, 1);
        // Header, two findings, and the note: 6 − 2 = 4 rows left out.
        assert_eq!(findings.matches("<row ").count(), 4, "{findings}");
        let note = X::RowsLeftOut { n: 4 }.to_string();
        assert!(findings.contains(&note), "{findings}");
        // A text too long for a cell is clipped, not an error; formulas stay text.
        assert!(findings.contains(&format!("{}…", "长".repeat(TEXT_LIMIT - 1))));
        assert!(
            findings.contains("=1+1_x0001_"),
            "control characters escaped"
        );
        assert!(!findings.contains("<f>"), "no formula cells");
        let reports = sheet_xml(&out, 3);
        assert_eq!(reports.matches("<row ").count(), 4, "{reports}");
        assert!(reports.contains(&X::RowsLeftOut { n: 1 }.to_string()));
    }
}
