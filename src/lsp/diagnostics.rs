//! Findings and load errors → LSP diagnostics, for reports, rule files and `gouji.toml`.

use std::path::Path;
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, Uri,
};

use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::messages::lsp::LspMsg;
use crate::project::{self, RuleOptions, SetupError};
use crate::rules::{RuleError, RuleSet};
use crate::schema::Registry;
use crate::source::Source;

use super::documents::LineIndex;
use super::workspace::{describe, Setup, Workspace};
use super::Encoding;

/// Cells listed with a diagnostic at most (a column total reads dozens).
const MAX_RELATED: usize = 40;

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

fn plain(range: Range, sev: DiagnosticSeverity, code: &str, message: String) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(sev),
        code: Some(NumberOrString::String(code.into())),
        source: Some("gouji".into()),
        message,
        ..Diagnostic::default()
    }
}

/// Checks a report's text as `lint` would check the file at `path`.
pub fn check_report(
    ws: &mut Workspace,
    setup: &Setup,
    path: &Path,
    text: &str,
) -> (Vec<Finding>, Option<String>) {
    let source = Source::new(path.display().to_string(), text);
    let prior = ws.prior(setup, path, &source);
    let findings = setup.engine.check(&source, prior.as_ref());
    (findings, setup.problem.clone())
}

/// One finding as a diagnostic: its place, the message and help, every cell it read as
/// related information, and a link from its rule id to the rule.
pub fn finding(f: &Finding, idx: &LineIndex, uri: &Uri, rule: Option<Location>) -> Diagnostic {
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push('\n');
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .cells
        .iter()
        .take(MAX_RELATED)
        .filter_map(|c| {
            let location = match &c.file {
                None => Location::new(uri.clone(), idx.range(&c.span)),
                // Last year's report: its own URI, at the cell's line and column (counted
                // in characters, as UTF-16 does for every character of these reports'
                // script; the file is not open to measure it).
                Some(other) => {
                    let at = |p: crate::source::Position| {
                        Position::new(
                            p.line.saturating_sub(1) as u32,
                            p.column.saturating_sub(1) as u32,
                        )
                    };
                    Location::new(
                        super::documents::path_to_uri(Path::new(&other.name))?,
                        Range::new(at(other.start), at(other.end)),
                    )
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: format!("{} = {}", c.label, c.value),
            })
        })
        .collect();
    Diagnostic {
        related_information: (!related.is_empty()).then_some(related),
        code_description: rule.map(|l| CodeDescription { href: l.uri }),
        ..plain(idx.range(&f.span), severity(f.severity), &f.rule, message)
    }
}

/// The diagnostic that says the project's configuration could not be used.
pub fn setup_problem(problem: &str) -> Diagnostic {
    plain(
        Range::default(),
        DiagnosticSeverity::WARNING,
        "lsp/setup",
        LspMsg::SetupFailed {
            detail: problem.to_string(),
        }
        .to_string(),
    )
}

fn rule_error(e: &RuleError, idx: &LineIndex) -> Diagnostic {
    let mut message = e.message.clone();
    if let Some(help) = &e.help {
        message.push('\n');
        message.push_str(help);
    }
    plain(
        idx.range(&e.span),
        DiagnosticSeverity::ERROR,
        "rules",
        message,
    )
}

/// A rule file, loaded alone against the formats its documents would use.
pub fn rules_file(registry: &Registry, path: &Path, text: &str, enc: Encoding) -> Vec<Diagnostic> {
    let source = Arc::new(Source::new(path.display().to_string(), text));
    let idx = LineIndex::new(text, enc);
    match RuleSet::load(&[source], registry) {
        Ok(_) => vec![],
        Err(errors) => errors.iter().map(|e| rule_error(e, &idx)).collect(),
    }
}

/// `gouji.toml`: its syntax and fields, then whether the engine it describes builds.
pub fn config_file(path: &Path, text: &str, enc: Encoding) -> Vec<Diagnostic> {
    let idx = LineIndex::new(text, enc);
    let config = match Config::parse(text, path) {
        Ok(c) => c,
        Err(e) => {
            let range = e.span.as_ref().map(|s| idx.range(s)).unwrap_or_default();
            return vec![plain(range, DiagnosticSeverity::ERROR, "config", e.message)];
        }
    };
    match project::engine_from(&RuleOptions::default(), &config) {
        Ok(_) => vec![],
        Err(SetupError::Rules(errors)) => vec![plain(
            Range::new(Position::new(0, 0), Position::new(0, 0)),
            DiagnosticSeverity::ERROR,
            "config",
            LspMsg::ConfigRules {
                count: errors.len(),
            }
            .to_string(),
        )],
        Err(e) => vec![plain(
            Range::default(),
            DiagnosticSeverity::ERROR,
            "config",
            describe(&e),
        )],
    }
}
