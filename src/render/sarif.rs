//! SARIF 2.1.0, as GitHub code scanning accepts it. Results stream; rules come last.

use std::io::{self, Write};
use std::sync::atomic::AtomicBool;

use serde_json::{json, Value};

use super::{cell_range, range, FormatSpec, Renderer, Report, Run, Settings, Summary};
use crate::finding::{Finding, PlanStatus, Severity};
use crate::source::Source;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "sarif",
    about: crate::messages::render::RenderMsg::FormatSarif,
    binary: false,
    make: |_: &Settings| {
        Box::new(Sarif {
            first: AtomicBool::new(true),
        })
    },
};

/// One SARIF log with one run: results stream, the rules come last.
pub struct Sarif {
    first: AtomicBool,
}

impl Renderer for Sarif {
    fn header(&mut self, _run: &Run, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(header().as_bytes())
    }

    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        super::json::items(report, out, |f, out| {
            out.extend_from_slice(result(report.name, report.source, f).to_string().as_bytes())
        })
    }

    fn write(&self, rendered: &[u8], out: &mut dyn Write) -> io::Result<()> {
        super::json::comma_separated(&self.first, rendered, out)
    }

    fn footer(&mut self, run: &Run, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let rules: Vec<(String, String, String)> = run
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.title.clone(), r.why.clone()))
            .collect();
        out.write_all(footer(&rules).as_bytes())
    }
}

pub fn result(file: &str, source: &Source, f: &Finding) -> Value {
    let (start, end) = range(source, f);
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let related: Vec<Value> = f
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (p, e) = cell_range(source, c);
            // A cell of last year's report is located in that file.
            let at = c.file.as_ref().map_or(file, |f| f.name.as_str());
            json!({
                "id": i,
                "message": {"text": format!("{} = {}", c.label, c.value)},
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(at)},
                    "region": {"startLine": p.line, "startColumn": p.column, "endLine": e.line, "endColumn": e.column}
                }
            })
        })
        .collect();
    let mut text = f.message.clone();
    if let Some(h) = &f.help {
        text.push_str(&format!("\n{h}"));
    }
    let mut r = json!({
        "ruleId": f.rule,
        "level": level,
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(file)},
                "region": {"startLine": start.line, "startColumn": start.column, "endLine": end.line, "endColumn": end.column}
            }
        }],
        "relatedLocations": related,
    });
    let edits = match (&f.fix, &f.plan) {
        (Some(fix), _) => Some(&fix.edits),
        (None, Some(plan)) if plan.status == PlanStatus::Unique => plan.plans.first(),
        _ => None,
    };
    if let Some(edits) = edits.filter(|e| !e.is_empty()) {
        let replacements: Vec<Value> = edits
            .iter()
            .map(|x| {
                let p = source.position(x.span.start);
                let e = source.position(x.span.end);
                json!({
                    "deletedRegion": {"startLine": p.line, "startColumn": p.column, "endLine": e.line, "endColumn": e.column},
                    "insertedContent": {"text": x.to.clone().unwrap_or_default()}
                })
            })
            .collect();
        let text: Vec<String> = edits
            .iter()
            .map(|x| format!("{} → {}", x.from, x.to.as_deref().unwrap_or_default()))
            .collect();
        r["fixes"] = json!([{
            "description": {"text": text.join("; ")},
            "artifactChanges": [{
                "artifactLocation": {"uri": uri(file)},
                "replacements": replacements
            }]
        }]);
    }
    r
}

pub fn header() -> String {
    "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n\"version\": \"2.1.0\",\n\"runs\": [{\n\"results\": [".to_string()
}

/// The run's tool section, with every rule's id, title and explanation.
pub fn footer(rules: &[(String, String, String)]) -> String {
    let rules: Vec<Value> = rules
        .iter()
        .map(|(id, title, why)| {
            let why = if why.is_empty() { title } else { why };
            json!({"id": id, "shortDescription": {"text": title}, "fullDescription": {"text": why}, "help": {"text": why}})
        })
        .collect();
    let tool = json!({"driver": {"name": "gouji", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://crates.io/crates/gouji", "rules": rules}});
    // gouji's columns count characters (Unicode code points), as SARIF's default does not.
    format!("\n],\n\"columnKind\": \"unicodeCodePoints\",\n\"tool\": {tool}\n}}]\n}}\n")
}

/// A path as a SARIF artifact URI: percent-encoded (CJK and spaces included), `/` between
/// segments; an absolute path as a `file://` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len() * 3);
    if path.starts_with('/') {
        out.push_str("file://");
    } else if path.as_bytes().get(1) == Some(&b':') {
        // A Windows drive letter.
        out.push_str("file:///");
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else if b == b':' && out.ends_with(|c: char| c.is_ascii_alphabetic()) && out.len() == 9 {
            out.push(':');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_percent_encoded_and_absolute_paths_are_file_uris() {
        assert_eq!(uri("reports/bad.yaml"), "reports/bad.yaml");
        assert_eq!(
            uri("报告 2021/北京.yaml"),
            "%E6%8A%A5%E5%91%8A%202021/%E5%8C%97%E4%BA%AC.yaml"
        );
        assert_eq!(uri("/tmp/a b#1.yaml"), "file:///tmp/a%20b%231.yaml");
        assert_eq!(uri("C:\\r\\a.yaml"), "file:///C:/r/a.yaml");
    }
}
