//! The JSON output (docs/json-output.md), version 1. Written as a stream: findings as
//! files finish, the summary last, so memory stays flat however many files there are. Each
//! finding is serialised from structs that borrow it, straight into the output buffer (no
//! `serde_json::Value` tree).

use std::io::{self, Write};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::{cell_range, range, FormatSpec, Renderer, Report, Run, Settings, Summary};
use crate::finding::{Edit, Finding, Severity};
use crate::source::Source;

pub const VERSION: u32 = 1;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "json",
    about: "for scripts (docs/json-output.md)",
    binary: false,
    make: |_: &Settings| {
        Box::new(Json {
            first: AtomicBool::new(true),
        })
    },
};

/// One JSON document: findings as an array, the summary last.
pub struct Json {
    /// No report has been written yet (the next needs no comma before it).
    first: AtomicBool,
}

impl Renderer for Json {
    fn header(&mut self, _run: &Run, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(header().as_bytes())
    }

    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        items(report, out, |f, out| {
            write_finding(report.name, report.source, f, out)
        })
    }

    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
        comma_separated(&self.first, rendered, out)
    }

    fn footer(&mut self, _run: &Run, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(footer(summary).as_bytes())
    }
}

/// A report's findings as items of a JSON array, each on its own line.
pub fn items(report: &Report<'_>, out: &mut Vec<u8>, mut item: impl FnMut(&Finding, &mut Vec<u8>)) {
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'\n');
        item(f, out);
    }
}

/// Writes a report's part of a JSON array: a comma before every non-empty part but the first.
pub fn comma_separated(first: &AtomicBool, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
    if rendered.is_empty() {
        return Ok(());
    }
    if !first.swap(false, std::sync::atomic::Ordering::Relaxed) {
        out.write_all(b",")?;
    }
    out.write_all(rendered)
}

/// A finding as JSON, borrowed from the finding: fields in the documented order.
#[derive(Serialize)]
struct JsonFinding<'a> {
    file: &'a str,
    rule: &'a str,
    severity: Severity,
    title: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    cells: Vec<JsonCell<'a>>,
    fix: Option<JsonFix<'a>>,
    help: Option<&'a str>,
    /// Only on the `repair/plan` record.
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<JsonPlan<'a>>,
}

#[derive(Serialize)]
struct JsonCell<'a> {
    /// Only for a cell of another file than the finding's (last year's report).
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    path: &'a str,
    label: &'a str,
    value: &'a str,
    line: usize,
    column: usize,
}

/// `path` … `column` name the first edit (as in the first version of this format);
/// `edits` lists every edit of the report's plan that touches this finding.
#[derive(Serialize)]
struct JsonFix<'a> {
    path: &'a str,
    from: &'a str,
    to: Option<&'a str>,
    line: usize,
    column: usize,
    resolves: &'a [String],
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    label: &'a str,
    from: &'a str,
    to: Option<&'a str>,
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonPlan<'a> {
    status: &'a str,
    explains: &'a [String],
    plans: Vec<Vec<JsonEdit<'a>>>,
    known: &'a [String],
}

fn edit<'a>(source: &Source, e: &'a Edit) -> JsonEdit<'a> {
    let p = source.position(e.span.start);
    JsonEdit {
        path: &e.path,
        label: &e.label,
        from: &e.from,
        to: e.to.as_deref(),
        line: p.line,
        column: p.column,
    }
}

/// Writes one finding as a JSON object, straight into `out`.
pub fn write_finding(file: &str, source: &Source, f: &Finding, out: &mut Vec<u8>) {
    let (start, end) = range(source, f);
    let cells = f
        .cells
        .iter()
        .map(|c| {
            let (p, _) = cell_range(source, c);
            JsonCell {
                file: c.file.as_ref().map(|f| f.name.as_str()),
                path: &c.path,
                label: &c.label,
                value: &c.value,
                line: p.line,
                column: p.column,
            }
        })
        .collect();
    let fix = f.fix.as_ref().and_then(|x| {
        let first = x.edits.first()?;
        let p = source.position(first.span.start);
        Some(JsonFix {
            path: &first.path,
            from: &first.from,
            to: first.to.as_deref(),
            line: p.line,
            column: p.column,
            resolves: &x.resolves,
            edits: x.edits.iter().map(|e| edit(source, e)).collect(),
        })
    });
    let plan = f.plan.as_ref().map(|plan| JsonPlan {
        status: plan.status.as_str(),
        explains: &plan.explains,
        plans: plan
            .plans
            .iter()
            .map(|p| p.iter().map(|e| edit(source, e)).collect())
            .collect(),
        known: &plan.known,
    });
    let finding = JsonFinding {
        file,
        rule: &f.rule,
        severity: f.severity,
        title: &f.title,
        message: &f.message,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        cells,
        fix,
        help: f.help.as_deref(),
        plan,
    };
    // Serialising borrowed strings and numbers into a Vec cannot fail.
    let _ = serde_json::to_writer(out, &finding);
}

pub fn header() -> String {
    format!("{{\"version\": {VERSION},\n\"findings\": [")
}

pub fn footer<S: Serialize>(summary: &S) -> String {
    format!(
        "\n],\n\"summary\": {}\n}}\n",
        serde_json::to_string(summary).unwrap_or_else(|_| "{}".into())
    )
}
