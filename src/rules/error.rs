//! Errors in rule files: each names the file, and labels the exact place.

use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};
use thiserror::Error;

use crate::source::{Source, Span};

/// A rule file that cannot be loaded. Refusing it stops the run (exit code 2).
#[derive(Debug, Error, Clone)]
#[error("{message}")]
pub struct RuleError {
    pub message: String,
    pub span: Span,
    pub label: String,
    pub help: Option<String>,
    named: Arc<NamedSource<String>>,
}

impl RuleError {
    pub fn new(source: &Source, message: impl Into<String>, span: Span) -> RuleError {
        RuleError {
            message: message.into(),
            span,
            label: String::new(),
            help: None,
            named: Arc::new(NamedSource::new(&source.name, source.text.clone())),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> RuleError {
        self.label = label.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> RuleError {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column`, 1-based, columns in characters.
    pub fn location(&self) -> String {
        let src = Source::new(self.named.name(), self.named.inner().as_str());
        let pos = src.position(self.span.start);
        format!("{}:{}:{}", self.named.name(), pos.line, pos.column)
    }
}

impl Diagnostic for RuleError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("gouji::rules"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&*self.named)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span: SourceSpan = (self.span.start, self.span.len()).into();
        let label = if self.label.is_empty() {
            None
        } else {
            Some(self.label.clone())
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            label, span,
        ))))
    }
}
