//! miette's graphical reports: one per finding, every cell labelled.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Severity as MSeverity, SourceCode, SourceSpan, SpanContents,
};

use super::{cell_name, FormatSpec, Renderer, Report, Settings, Summary};
use crate::finding::{Finding, Severity};
use crate::source::Source;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "human",
    about: "for people: each finding with its cells labelled in the report's text",
    make: |s: &Settings| Box::new(Human::new(s.color, s.width)),
};

pub struct Human {
    handler: GraphicalReportHandler,
}

impl Renderer for Human {
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        let mut text = String::new();
        for f in report.findings {
            self.finding(report.source, f, &mut text);
        }
        out.extend_from_slice(text.as_bytes());
    }
}

impl Human {
    pub fn new(color: bool, width: usize) -> Human {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        Human {
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false),
        }
    }

    pub fn finding(&self, source: &Source, f: &Finding, out: &mut String) {
        let mut diag = MietteDiagnostic::new(format!("{}\n{}", f.title, f.message))
            .with_code(&f.rule)
            .with_severity(match f.severity {
                Severity::Error => MSeverity::Error,
                Severity::Warning => MSeverity::Warning,
                Severity::Info => MSeverity::Advice,
            });
        let mut labels = Vec::new();
        let primary_is_cell = f.cells.iter().any(|c| c.span == f.span);
        if !primary_is_cell && !source.text.is_empty() {
            labels.push(LabeledSpan::new_primary_with_span(
                None,
                (f.span.start, f.span.len()),
            ));
        }
        for c in &f.cells {
            // Zeros in a long sum add nothing to read; they stay in the JSON output.
            if f.cells.len() > 6 && c.value.trim() == "0" && c.span != f.span {
                continue;
            }
            let text = if c.path.starts_with("正文") {
                "这句".to_string()
            } else {
                format!("{} {}", cell_name(c), c.value)
            };
            let span = (c.span.start, c.span.len());
            labels.push(if c.span == f.span {
                LabeledSpan::new_primary_with_span(Some(text), span)
            } else {
                LabeledSpan::new_with_span(Some(text), span)
            });
        }
        diag = diag.with_labels(labels);
        if let Some(h) = &f.help {
            diag = diag.with_help(h);
        }
        let spans = std::iter::once(&f.span).chain(f.cells.iter().map(|c| &c.span));
        let window = Window::around(source, spans);
        let report = miette::Report::new(diag).with_source_code(window);
        let _ = self.handler.render_report(out, report.as_ref());
        out.push('\n');
    }
}

pub fn summary(s: &Summary) -> String {
    let mut parts = vec![format!(
        "{} file{}",
        s.files,
        if s.files == 1 { "" } else { "s" }
    )];
    parts.push(format!(
        "{} error{}",
        s.errors,
        if s.errors == 1 { "" } else { "s" }
    ));
    parts.push(format!(
        "{} warning{}",
        s.warnings,
        if s.warnings == 1 { "" } else { "s" }
    ));
    if s.infos > 0 {
        parts.push(format!("{} info", s.infos));
    }
    if s.unreadable > 0 {
        parts.push(format!("{} unreadable", s.unreadable));
    }
    if s.suppressed > 0 {
        parts.push(format!("{} baselined", s.suppressed));
    }
    let checked = crate::messages::structure::CheckedMsg::Summary {
        files: s.files,
        checked: s.fully_checked,
        unchecked: s.not_fully_checked,
    };
    format!(
        "{} in {:.2}s\n{checked}",
        parts.join(", "),
        s.elapsed_ms as f64 / 1000.0
    )
}

/// The lines of a file around a finding's spans, for miette to render.
///
/// miette finds a span by scanning its source from the start, once per label; a finding with
/// twenty cells in a long report made that the slowest step of a one-file run. So miette gets
/// only the lines that hold the spans (with room for context), and this wrapper shifts offsets
/// and line numbers back to the file's. It also counts the header's column in characters
/// (miette counts bytes; everywhere else gouji counts characters).
struct Window {
    name: String,
    text: String,
    /// Byte offset and 0-based line of the window's first character in the file.
    start: usize,
    first_line: usize,
}

/// Lines of context miette may ask for on each side (its default is one).
const CONTEXT: usize = 3;

impl Window {
    fn around<'s>(source: &Source, spans: impl Iterator<Item = &'s crate::source::Span>) -> Window {
        let text = &source.text;
        let (mut lo, mut hi) = (text.len(), 0);
        for s in spans {
            lo = lo.min(s.start.min(text.len()));
            hi = hi.max(s.end.min(text.len()));
        }
        if lo > hi {
            (lo, hi) = (0, 0);
        }
        let first_line = source.position(lo).line.saturating_sub(1 + CONTEXT);
        let last_line = source.position(hi).line + CONTEXT;
        let start = line_start(text, first_line);
        let end = line_start(text, last_line).max(start);
        Window {
            name: source.name.clone(),
            text: text[start..end].to_string(),
            start,
            first_line,
        }
    }
}

/// Byte offset where 0-based line `n` starts (the text's end when it has fewer lines).
fn line_start(text: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    text.match_indices('\n')
        .nth(n - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.start).into(), span.len());
        let contents = self.text.read_span(&local, before, after)?;
        let column = if before == 0 && after == 0 {
            let at = local.offset().min(self.text.len());
            let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
            self.text
                .get(line_start..at)
                .map_or(contents.column(), |t| t.chars().count())
        } else {
            contents.column()
        };
        let shifted = SourceSpan::new(
            (contents.span().offset() + self.start).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            shifted,
            contents.line() + self.first_line,
            column,
            contents.line_count(),
        )))
    }
}
