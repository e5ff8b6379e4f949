//! CSV: one row per finding, UTF-8 with a byte-order mark so Excel opens Chinese text
//! correctly (RFC 4180 quoting; CRLF row ends).

use std::io::{self, Write};

use super::{cell_name, elsewhere, range, FormatSpec, Renderer, Report, Run, Settings};
use crate::finding::Finding;
use crate::messages::render::ColumnMsg as C;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "csv",
    about: crate::messages::render::RenderMsg::FormatCsv,
    binary: false,
    make: |_: &Settings| Box::new(Csv),
};

pub struct Csv;

/// The columns, in order.
pub fn columns() -> [String; 13] {
    [
        C::File,
        C::Line,
        C::Column,
        C::EndLine,
        C::EndColumn,
        C::Severity,
        C::Rule,
        C::Title,
        C::Message,
        C::Agency,
        C::Year,
        C::Cells,
        C::Fix,
    ]
    .map(|c| c.to_string())
}

/// One finding's fields, in [`columns`]' order.
pub fn fields(report: &Report<'_>, f: &Finding) -> [String; 13] {
    let (start, end) = range(report.source, f);
    let cells: Vec<String> = f
        .cells
        .iter()
        .map(|c| match elsewhere(c) {
            Some(at) => format!("{} = {} ({at})", cell_name(c), c.value),
            None => format!("{} = {}", cell_name(c), c.value),
        })
        .collect();
    let fix = f
        .fix
        .as_ref()
        .map(|x| {
            x.edits
                .iter()
                .map(|e| {
                    format!(
                        "{}: {} → {}",
                        e.path,
                        e.from,
                        e.to.as_deref().unwrap_or_default()
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    [
        report.name.to_string(),
        start.line.to_string(),
        start.column.to_string(),
        end.line.to_string(),
        end.column.to_string(),
        f.severity.as_str().to_string(),
        f.rule.clone(),
        f.title.clone(),
        f.message.clone(),
        report.meta.agency.clone().unwrap_or_default(),
        report.meta.year.clone().unwrap_or_default(),
        cells.join("; "),
        fix,
    ]
}

impl Renderer for Csv {
    fn header(&mut self, _run: &Run, out: &mut dyn Write) -> io::Result<()> {
        let mut row = b"\xEF\xBB\xBF".to_vec();
        write_row(&mut row, &columns());
        out.write_all(&row)
    }

    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        for f in report.findings {
            write_row(out, &fields(report, f));
        }
    }
}

fn write_row(out: &mut Vec<u8>, fields: &[String]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_field(out, field);
    }
    out.extend_from_slice(b"\r\n");
}

/// A field, quoted when it holds a comma, a quote or a line break. Text a spreadsheet would
/// take for a formula (`=`, `+`, `-`, `@` first, and not a number) gets a leading `'`.
fn write_field(out: &mut Vec<u8>, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    let quote = formula || field.contains([',', '"', '\n', '\r']);
    if quote {
        out.push(b'"');
    }
    if formula {
        out.push(b'\'');
    }
    for b in field.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    if quote {
        out.push(b'"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(s: &str) -> String {
        let mut out = Vec::new();
        write_field(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn quoting() {
        assert_eq!(field("plain 中文"), "plain 中文");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\"\nthere"), "\"say \"\"hi\"\"\nthere\"");
        assert_eq!(field("=SUM(A1)"), "\"'=SUM(A1)\"");
        assert_eq!(field("-3"), "-3");
    }
}
