//! What gouji reports: a finding, the cells it concerns, and a suggested fix.

use serde::Serialize;

use crate::source::Span;

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
}

/// A cell that fed a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRef {
    /// Key path in the document, e.g. `申请.办理结果.总计.总计`.
    pub path: String,
    /// Official labels, e.g. `三、本年度办理结果 / （七）总计 / 总计`.
    pub label: String,
    /// The value as written.
    pub value: String,
    pub span: Span,
}

/// Replace one cell's value: the repair that satisfies every finding in `resolves`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub path: String,
    pub span: Span,
    pub from: String,
    pub to: String,
    pub resolves: Vec<String>,
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
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}
