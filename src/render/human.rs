//! miette's graphical reports: one per finding, every cell labelled.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, Severity as MSeverity, SourceCode, SourceSpan, SpanContents,
};

use super::{cell_name, Summary};
use crate::finding::{Finding, Severity};
use crate::source::Source;

pub struct Human {
    handler: GraphicalReportHandler,
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
        let named = NamedSource::new(&source.name, source.text.clone());
        let report = miette::Report::new(diag).with_source_code(CharColumns(named));
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
    format!(
        "{} in {:.2}s",
        parts.join(", "),
        s.elapsed_ms as f64 / 1000.0
    )
}

/// miette's header (`file:line:column`) counts the column in bytes; ours count characters,
/// as the JSON output and editors do, so the header is corrected to characters.
struct CharColumns(NamedSource<String>);

impl SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.0.read_span(span, before, after)?;
        if before != 0 || after != 0 {
            return Ok(contents);
        }
        let text = self.0.inner();
        let start = span.offset().min(text.len());
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = text
            .get(line_start..start)
            .map_or(contents.column(), |t| t.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name().to_string(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}
