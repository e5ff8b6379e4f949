//! GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`.

use super::{elsewhere_lines, range, FormatSpec, Renderer, Report, Settings};
use crate::finding::{Finding, Severity};
use crate::source::Source;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "github",
    about: crate::messages::render::RenderMsg::FormatGithub,
    binary: false,
    make: |_: &Settings| Box::new(Github),
};

pub struct Github;

impl Renderer for Github {
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        for f in report.findings {
            out.extend_from_slice(finding(report.name, report.source, f).as_bytes());
        }
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn finding(file: &str, source: &Source, f: &Finding) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (start, end) = range(source, f);
    let mut message = f.message.clone();
    if let Some(h) = &f.help {
        message.push_str(&format!("\n{h}"));
    }
    // An annotation has one file: last year's cells are named in its text.
    for at in elsewhere_lines(f) {
        message.push_str(&format!("\n{at}"));
    }
    format!(
        "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        escape_property(file),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&format!("{} {}", f.rule, f.title)),
        escape_data(&message)
    )
}
