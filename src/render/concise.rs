//! One line per finding, `path:line:col: severity rule message`: for grep and for editors'
//! quickfix lists (Vim's default `errorformat` `%f:%l:%c:%m`, Emacs compilation mode).

use super::{elsewhere_lines, human::escape, range, FormatSpec, Renderer, Report, Settings};

pub const FORMAT: FormatSpec = FormatSpec {
    name: "concise",
    about: crate::messages::render::RenderMsg::FormatConcise,
    binary: false,
    make: |_: &Settings| Box::new(Concise),
};

pub struct Concise;

impl Renderer for Concise {
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        let name = one_line(report.name);
        for f in report.findings {
            let (start, _) = range(report.source, f);
            let mut message = f.message.clone();
            // Last year's cells stay on the finding's line, with their place.
            for at in elsewhere_lines(f) {
                message.push_str(&format!(" [{at}]"));
            }
            let line = format!(
                "{name}:{}:{}: {} {} {}\n",
                start.line,
                start.column,
                f.severity.as_str(),
                one_line(&f.rule),
                one_line(&message)
            );
            out.extend_from_slice(line.as_bytes());
        }
    }
}

/// Text on one line: line breaks become spaces, control characters are made visible.
fn one_line(s: &str) -> String {
    escape(&s.replace("\r\n", " ").replace(['\n', '\r'], " "))
}
