//! Findings → output. Every output format is one [`Renderer`] in its own file, listed once
//! in [`FORMATS`]; the lint loop knows nothing of any format. Only this module prints
//! findings.
//!
//! A run calls, in order: [`Renderer::header`] once; [`Renderer::report`] for every report,
//! on worker threads, each into its own buffer; [`Renderer::write`] with those buffers in
//! input order, as soon as each is ready (so output streams and memory stays flat); and
//! [`Renderer::footer`] once, with the run's summary.

pub mod concise;
pub mod csv;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;
pub mod stats;
pub mod xlsx;

use std::io::{self, Write};
use std::path::Path;

use crate::document::Document;
use crate::finding::{CellRef, Finding, Severity};
use crate::source::{Position, Source};

/// The output formats, by name: adding a format is one file and one line here.
pub static FORMATS: &[FormatSpec] = &[
    human::FORMAT,
    json::FORMAT,
    sarif::FORMAT,
    github::FORMAT,
    html::FORMAT,
    concise::FORMAT,
    csv::FORMAT,
    xlsx::FORMAT,
];

/// An output format: its `--format` name, what it is for, and how to make its renderer.
pub struct FormatSpec {
    pub name: &'static str,
    /// One line for `--help`, from the catalogue.
    pub about: crate::messages::render::RenderMsg,
    /// Writes a binary file (xlsx): only to a file named with `-o`, never to a terminal.
    pub binary: bool,
    pub make: fn(&Settings) -> Box<dyn Renderer>,
}

/// A format chosen with `--format`.
#[derive(Clone, Copy)]
pub struct Format(pub &'static FormatSpec);

impl Format {
    pub fn by_name(name: &str) -> Option<Format> {
        FORMATS.iter().find(|f| f.name == name).map(Format)
    }

    pub fn name(self) -> &'static str {
        self.0.name
    }

    pub fn renderer(self, settings: &Settings) -> Box<dyn Renderer> {
        (self.0.make)(settings)
    }
}

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.0.name == other.0.name
    }
}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

/// How the user asked output to look.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub color: bool,
    /// `--statistics`: no findings, only the summary.
    pub statistics: bool,
    /// Terminal width in columns.
    pub width: usize,
    /// Errors only.
    pub quiet: bool,
}

/// What a renderer knows of the run: the rules that can be reported.
pub struct Run<'a> {
    pub rules: &'a [RuleInfo],
}

/// A rule as outputs describe it.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    pub title: String,
    pub why: String,
}

/// Who a report is about and whether gouji could check all of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The report's 机关 (its schema's identity field), when written.
    pub agency: Option<String>,
    /// Its 年度 (the schema's period field), when written.
    pub year: Option<String>,
    /// The format it was bound to (`2019`, `2021`), when any.
    pub format: Option<String>,
    /// Every relation could be checked: the file was read, bound to a format, and no
    /// finding left a relation unchecked (`engine::Checked::fully_checked`).
    pub fully_checked: bool,
}

/// One report as a renderer sees it.
pub struct Report<'a> {
    /// The path as shown (lossy for names that are not UTF-8).
    pub name: &'a str,
    /// The exact path, for files.
    pub path: Option<&'a Path>,
    pub source: &'a Source,
    /// The report bound to its format: every cell's value and span, and the schema with
    /// the official labels. `None` when the file could not be read or bound.
    pub document: Option<&'a Document<'a>>,
    /// Findings to show (baselined ones are already gone), in source order.
    pub findings: &'a [Finding],
    pub meta: &'a Meta,
}

/// An output format.
pub trait Renderer: Send + Sync {
    /// Before the first report.
    fn header(&mut self, _run: &Run, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// One report, into its own buffer. Runs on worker threads, in any order.
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>);

    /// A report's buffer, in input order, as soon as it and every report before it are
    /// done — while later reports are still being checked, hence `&self` (state kept here
    /// needs a `Mutex` or an atomic).
    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
        out.write_all(rendered)
    }

    /// After the last report.
    fn footer(&mut self, _run: &Run, _summary: &Summary, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// A finding's place: start and end, 1-based, columns in characters.
pub fn range(source: &Source, f: &Finding) -> (Position, Position) {
    (
        source.position(f.span.start),
        source.position(f.span.end.max(f.span.start)),
    )
}

/// A cell's place, start and end: in the finding's file, or in the other file it is in
/// (last year's report, for `prior(…)`).
pub fn cell_range(source: &Source, c: &CellRef) -> (Position, Position) {
    match &c.file {
        Some(f) => (f.start, f.end),
        None => (
            source.position(c.span.start),
            source.position(c.span.end.max(c.span.start)),
        ),
    }
}

/// Where a cell of another file is, in words: `上年报告 path:line:col` (`None` for a cell
/// of the finding's own file).
pub fn elsewhere(c: &CellRef) -> Option<String> {
    let f = c.file.as_ref()?;
    Some(
        crate::messages::render::RenderMsg::PriorCell {
            file: f.name.clone(),
            line: f.start.line,
            column: f.start.column,
        }
        .to_string(),
    )
}

/// A finding's cells in other files, one line each: `上年报告 path:line:col 结转·自然人 = 9`
/// (for the outputs that show no cells of their own: concise, github, human's notes).
pub fn elsewhere_lines(f: &Finding) -> Vec<String> {
    f.cells
        .iter()
        .filter_map(|c| Some(format!("{} {} = {}", elsewhere(c)?, cell_name(c), c.value)))
        .collect()
}

/// A short name for a cell in a label: its row key and column key, e.g. `不掌握·总计`.
pub fn cell_name(c: &CellRef) -> String {
    let keys: Vec<&str> = c.path.split('.').collect();
    match keys.as_slice() {
        [.., row, col] if keys.len() >= 3 => format!("{row}·{col}"),
        [.., last] => last.to_string(),
        [] => String::new(),
    }
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read or parsed.
    pub unreadable: usize,
    pub suppressed: usize,
    pub elapsed_ms: u128,
    /// Reports loaded, bound to their format, with no finding that left a relation unchecked.
    pub fully_checked: usize,
    /// Reports that could not be checked in full (each has an error saying why).
    pub not_fully_checked: usize,
    /// The most bytes of rendered output waiting to be written at once (not in the JSON).
    #[serde(skip)]
    pub peak_buffered: usize,
    /// By rule, the files with the most errors, by agency and year.
    #[serde(rename = "statistics")]
    pub stats: stats::Statistics,
}
