//! What gouji reports: a finding, the cells it concerns, and a suggested fix.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::Serialize;

use crate::source::{Position, Span};

/// Text shared rather than copied: a cell's path and label, built once per schema node
/// and handed to every finding that names the cell (a clone is a reference count, not a
/// string). Reads as a `&str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> String {
        s.0.as_ref().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem in one report.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule id, e.g. `table3/row-total` or `load/syntax`.
    pub rule: String,
    pub severity: Severity,
    /// The rule's title, in the auditor's words.
    pub title: String,
    /// What is wrong here, with the values on both sides.
    pub message: String,
    /// Where the finding points first.
    pub span: Span,
    /// Every cell involved, each labelled in the output.
    pub cells: Vec<CellRef>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The report's whole repair plan (only on the `repair/plan` record).
    pub plan: Option<Box<Plan>>,
}

/// A cell that fed a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// Key path in the document, e.g. `申请.办理结果.总计.总计` (the schema's, shared).
    pub path: SharedStr,
    /// Official labels, e.g. `三、本年度办理结果 / （七）总计 / 总计` (the schema's, shared).
    pub label: SharedStr,
    /// The value as written.
    pub value: String,
    /// Where the cell is: in the finding's file, or — when `file` is set — in that file.
    pub span: Span,
    /// The cell is in another file than the finding's: last year's report, read by
    /// `prior(…)`. Its name and the cell's place in it (`span` is then that file's).
    pub file: Option<Box<OtherFile>>,
}

/// A file other than the finding's that one of its cells is in, and where in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherFile {
    /// The file as the run names it (as given or found by walking).
    pub name: String,
    /// The cell's first and last position in it: 1-based, columns in characters.
    pub start: Position,
    pub end: Position,
}

impl CellRef {
    /// Whether the cell is in the finding's own file.
    pub fn is_local(&self) -> bool {
        self.file.is_none()
    }
}

/// The repair a finding carries: the edits of the report's unique plan that touch this
/// finding's cells. Applying the whole plan satisfies every finding in `resolves`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub resolves: Vec<String>,
}

/// One cell of a repair plan: its value as written, and the value the plan gives it
/// (`None` when the relations leave it open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub path: SharedStr,
    pub label: SharedStr,
    pub span: Span,
    pub from: String,
    pub to: Option<String>,
}

/// A report's repair plan (the `repair/plan` record): the smallest sets of cells whose new
/// values make every relation hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub status: PlanStatus,
    /// What the plan says, in the reader's language (the record's message).
    pub message: String,
    /// The rule ids of the failures the plan is about, in the order of the findings.
    pub explains: Vec<String>,
    /// One plan (`Unique`, `Undetermined`), several (`Ambiguous`), or none.
    pub plans: Vec<Vec<Edit>>,
    /// For an `Undetermined` plan: the conditions its new values must satisfy (equations,
    /// then the inequalities that bound an open value), e.g. `「A」 + 「B」 = 37`, `「C」 ≥ 0`.
    pub known: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanStatus {
    /// One smallest plan, every new value fixed by the relations.
    Unique,
    /// One smallest set of cells, but the relations leave some new values open (the rules
    /// were checked at one value that satisfies them).
    Undetermined,
    /// Several smallest plans: none is chosen.
    Ambiguous,
    /// No plan within the bound on its size.
    NoPlan,
    /// The search gave up at its budget.
    Limit,
    /// The relations allow one smallest plan, but the rules themselves, evaluated on it,
    /// did not confirm it: nothing is claimed, neither a plan nor that there is none.
    Unverified,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Unique => "unique",
            PlanStatus::Undetermined => "undetermined",
            PlanStatus::Ambiguous => "ambiguous",
            PlanStatus::NoPlan => "none",
            PlanStatus::Limit => "limit",
            PlanStatus::Unverified => "unverified",
        }
    }
}

impl Finding {
    pub fn new(
        rule: &str,
        severity: Severity,
        title: &str,
        message: String,
        span: Span,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            severity,
            title: title.into(),
            message,
            span,
            cells: vec![],
            help: None,
            fix: None,
            plan: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}
