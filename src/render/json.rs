//! The JSON output (docs/json-output.md), version 1. Written as a stream: findings as
//! files finish, the summary last, so memory stays flat however many files there are. Each
//! finding is serialised from structs that borrow it, straight into the output buffer (no
//! `serde_json::Value` tree).

use std::io::{self, Write};
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::{range, FormatSpec, Renderer, Report, Run, Settings, Summary};
use crate::finding::{Edit, Finding};
use crate::source::Source;

pub const VERSION: u32 = 1;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "json",
    about: crate::messages::render::RenderMsg::FormatJson,
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
        out.reserve(size_hint(report));
        items(report, out, |f, out| {
            write_finding(report.name, report.source, f, out)
        })
    }

    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
        comma_separated(&self.first, rendered, out)
    }

    fn footer(&mut self, _run: &Run, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        footer(summary, out)
    }
}

/// About how many bytes a report's findings take in JSON (its text, unescaped, plus the
/// keys and numbers around it), so that the buffer is allocated once rather than grown and
/// copied a dozen times on a report that fails.
fn size_hint(report: &Report<'_>) -> usize {
    const FINDING: usize = 160;
    const CELL: usize = 64;
    const EDIT: usize = 80;
    let edits = |es: &[Edit]| -> usize {
        es.iter()
            .map(|e| {
                EDIT + e.path.len()
                    + e.label.len()
                    + e.from.len()
                    + e.to.as_ref().map_or(0, String::len)
            })
            .sum()
    };
    report
        .findings
        .iter()
        .map(|f| {
            let cells: usize = f
                .cells
                .iter()
                .map(|c| CELL + c.path.len() + c.label.len() + c.value.len())
                .sum();
            let fix = f.fix.as_ref().map_or(0, |x| 2 * edits(&x.edits));
            let plan = f.plan.as_ref().map_or(0, |p| {
                p.plans.iter().map(|es| edits(es)).sum::<usize>()
                    + p.known.iter().map(String::len).sum::<usize>()
            });
            FINDING
                + report.name.len()
                + f.rule.len()
                + f.title.len()
                + f.message.len()
                + f.help.as_ref().map_or(0, String::len)
                + cells
                + fix
                + plan
        })
        .sum()
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

/// Writes one finding as a JSON object, straight into `out`: the fields in the documented
/// order, byte for byte what `serde_json` writes for them in its compact form (strings
/// escaped as it escapes them), without going through its serializer — on a run where every
/// report fails, escaping through serde's byte-by-byte table was a tenth of the CPU.
pub fn write_finding(file: &str, source: &Source, f: &Finding, out: &mut Vec<u8>) {
    let (start, end) = range(source, f);
    out.extend_from_slice(b"{\"file\":");
    string(out, file);
    out.extend_from_slice(b",\"rule\":");
    string(out, &f.rule);
    out.extend_from_slice(b",\"severity\":");
    string(out, f.severity.as_str());
    out.extend_from_slice(b",\"title\":");
    string(out, &f.title);
    out.extend_from_slice(b",\"message\":");
    string(out, &f.message);
    out.extend_from_slice(b",\"line\":");
    number(out, start.line);
    out.extend_from_slice(b",\"column\":");
    number(out, start.column);
    out.extend_from_slice(b",\"end_line\":");
    number(out, end.line);
    out.extend_from_slice(b",\"end_column\":");
    number(out, end.column);
    out.extend_from_slice(b",\"cells\":[");
    for (i, c) in f.cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // A cell of another file (last year's report) names that file, and its place there.
        let p = match &c.file {
            Some(other) => {
                out.extend_from_slice(b"{\"file\":");
                string(out, &other.name);
                out.extend_from_slice(b",\"path\":");
                other.start
            }
            None => {
                out.extend_from_slice(b"{\"path\":");
                source.position(c.span.start)
            }
        };
        string(out, &c.path);
        out.extend_from_slice(b",\"label\":");
        string(out, &c.label);
        out.extend_from_slice(b",\"value\":");
        string(out, &c.value);
        out.extend_from_slice(b",\"line\":");
        number(out, p.line);
        out.extend_from_slice(b",\"column\":");
        number(out, p.column);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"fix\":");
    match f.fix.as_ref().and_then(|x| Some((x, x.edits.first()?))) {
        None => out.extend_from_slice(b"null"),
        Some((x, first)) => {
            out.push(b'{');
            edit_fields(out, source, first, false);
            out.extend_from_slice(b",\"resolves\":");
            strings(out, &x.resolves);
            out.extend_from_slice(b",\"edits\":");
            edits(out, source, &x.edits);
            out.push(b'}');
        }
    }
    out.extend_from_slice(b",\"help\":");
    optional(out, f.help.as_deref());
    // Only on the `repair/plan` record.
    if let Some(plan) = &f.plan {
        out.extend_from_slice(b",\"plan\":{\"status\":");
        string(out, plan.status.as_str());
        out.extend_from_slice(b",\"explains\":");
        strings(out, &plan.explains);
        out.extend_from_slice(b",\"plans\":[");
        for (i, p) in plan.plans.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            edits(out, source, p);
        }
        out.extend_from_slice(b"],\"known\":");
        strings(out, &plan.known);
        out.push(b'}');
    }
    out.push(b'}');
}

/// `[{"path", "label", "from", "to", "line", "column"}, …]`
fn edits(out: &mut Vec<u8>, source: &Source, edits: &[Edit]) {
    out.push(b'[');
    for (i, e) in edits.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        edit_fields(out, source, e, true);
        out.push(b'}');
    }
    out.push(b']');
}

/// An edit's fields: `"path", ["label",] "from", "to", "line", "column"` (the fix names
/// its first edit without the label).
fn edit_fields(out: &mut Vec<u8>, source: &Source, e: &Edit, label: bool) {
    let p = source.position(e.span.start);
    out.extend_from_slice(b"\"path\":");
    string(out, &e.path);
    if label {
        out.extend_from_slice(b",\"label\":");
        string(out, &e.label);
    }
    out.extend_from_slice(b",\"from\":");
    string(out, &e.from);
    out.extend_from_slice(b",\"to\":");
    optional(out, e.to.as_deref());
    out.extend_from_slice(b",\"line\":");
    number(out, p.line);
    out.extend_from_slice(b",\"column\":");
    number(out, p.column);
}

fn strings(out: &mut Vec<u8>, items: &[String]) {
    out.push(b'[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, s);
    }
    out.push(b']');
}

fn optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn number(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A JSON string, escaped exactly as `serde_json` escapes it: `"` and `\` with a backslash,
/// the control characters with their short escapes (`\b \t \n \f \r`) or `\u00xx`, and
/// nothing else (not `/`, not DEL, not non-ASCII).
fn string(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any of the 8 bytes is zero / below 0x20 (exact for "any", not for "which").
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    let special = |x: u64| {
        x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0
            || zero(x ^ (ONES * b'"' as u64))
            || zero(x ^ (ONES * b'\\' as u64))
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut run, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            if !special(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x0C => b'f',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0..=0x1F => b'u',
            _ => 0,
        };
        if short != 0 {
            out.extend_from_slice(&bytes[run..i]);
            if short == b'u' {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xF) as usize],
                ]);
            } else {
                out.extend_from_slice(&[b'\\', short]);
            }
            run = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

pub fn header() -> String {
    format!("{{\"version\": {VERSION},\n\"findings\": [")
}

/// Ends the document with the summary, serialized straight into `out`: not built as a
/// string first, so a summary whose tables grow with the reports (one entry per agency and
/// year) is not held in memory twice, or three times, at the end of a run.
pub fn footer<S: Serialize>(summary: &S, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(b"\n],\n\"summary\": ")?;
    // serde_json writes token by token: a buffer of its own spares a call through `dyn
    // Write` for each (a third more instructions for the summary of 1,000 agencies).
    let mut buffered = io::BufWriter::with_capacity(1 << 16, &mut *out);
    serde_json::to_writer(&mut buffered, summary)?;
    buffered.write_all(b"\n}\n")?;
    buffered.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written escaping writes what serde_json writes, for every ASCII byte in
    /// every position of an 8-byte word, next to Chinese text.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut cases: Vec<String> = vec![
            String::new(),
            "总计".into(),
            "「申请」 / （七）总计 / 总计".into(),
            "a/b\u{7f}\u{a0}\u{2028}".into(),
        ];
        for b in 0u8..0x80 {
            let c = char::from(b);
            for at in 0..10 {
                let mut s = "本年新收".repeat(at % 3);
                s.push_str(&"x".repeat(at));
                s.push(c);
                s.push_str("结转下年度");
                cases.push(s);
            }
        }
        for s in &cases {
            let mut ours = Vec::new();
            string(&mut ours, s);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(s).unwrap(),
                "{s:?}"
            );
        }
        for n in [0usize, 7, 10, 99, 1234567, usize::MAX] {
            let mut ours = Vec::new();
            number(&mut ours, n);
            assert_eq!(String::from_utf8(ours).unwrap(), n.to_string());
        }
    }
}
