//! Findings → text: for people (`human`), editors and scripts (`json`), code scanning
//! (`sarif`) and GitHub workflow annotations (`github`). Only this module prints findings.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::finding::{CellRef, Finding};
use crate::source::{Position, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
}

/// A finding's place: start and end, 1-based, columns in characters.
pub fn range(source: &Source, f: &Finding) -> (Position, Position) {
    (
        source.position(f.span.start),
        source.position(f.span.end.max(f.span.start)),
    )
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
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read or parsed.
    pub unreadable: usize,
    pub suppressed: usize,
    pub elapsed_ms: u128,
}
