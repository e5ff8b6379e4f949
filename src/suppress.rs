//! Inline suppressions (`# gouji: ignore[RULE] reason`) that cannot over-reach: a bare
//! `# gouji: ignore` is refused, an ignore never silences a finding that stops a check,
//! and an ignore naming an unknown rule, or that silenced nothing, is reported.

use std::borrow::Cow;

use crate::document::{did_you_mean, stops_checking};
use crate::engine::matches_rule;
use crate::finding::{Finding, Severity};
use crate::messages::suppress::SuppressMsg;
use crate::source::{Source, Span};

/// One `# gouji: ignore…` comment.
struct Ignore {
    line: usize,
    span: Span,
    /// The rule ids or prefixes, as written; empty for a bare ignore.
    patterns: Vec<String>,
    /// Per pattern: it silenced a finding.
    used: Vec<bool>,
    /// Per pattern: it named a finding that stops a check, which it may not silence.
    blocked: Vec<bool>,
}

/// The ignore comments of one report.
pub struct Ignores(Vec<Ignore>);

/// `gouji: ignore[a, b] reason` → `Some(["a", "b"])`; a bare `gouji: ignore` → `Some([])`;
/// any other comment → `None`.
pub fn parse(comment: &str) -> Option<Vec<String>> {
    let rest = comment
        .trim()
        .strip_prefix("gouji:")?
        .trim_start()
        .strip_prefix("ignore")?;
    let Some(list) = rest.strip_prefix('[') else {
        return Some(Vec::new());
    };
    let end = list.find(']')?;
    Some(
        list[..end]
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

impl Ignores {
    pub fn new(source: &Source, comments: &[(Cow<str>, Span)]) -> Ignores {
        Ignores(
            comments
                .iter()
                .filter_map(|(text, span)| {
                    let patterns = parse(text)?;
                    Some(Ignore {
                        line: source.position(span.start).line,
                        span: span.clone(),
                        used: vec![false; patterns.len()],
                        blocked: vec![false; patterns.len()],
                        patterns,
                    })
                })
                .collect(),
        )
    }

    /// Whether an ignore on one of the finding's lines silences it (and remember which did).
    pub fn suppresses(&mut self, source: &Source, f: &Finding) -> bool {
        if self.0.is_empty() {
            return false;
        }
        let lines: Vec<usize> = std::iter::once(&f.span)
            .chain(f.cells.iter().filter(|c| c.is_local()).map(|c| &c.span))
            .map(|s| source.position(s.start).line)
            .collect();
        let blocking = stops_checking(&f.rule);
        let mut suppressed = false;
        for ig in self.0.iter_mut().filter(|ig| lines.contains(&ig.line)) {
            for (i, p) in ig.patterns.iter().enumerate() {
                if matches_rule(p, &f.rule) {
                    if blocking {
                        ig.blocked[i] = true;
                    } else {
                        ig.used[i] = true;
                        suppressed = true;
                    }
                }
            }
        }
        suppressed
    }

    /// What is wrong with the ignores themselves. `known` is every rule id; `enabled` says
    /// whether a rule ran (an ignore for a rule that did not run is not judged unused).
    pub fn findings(self, known: &[String], enabled: impl Fn(&str) -> bool) -> Vec<Finding> {
        let mut out = Vec::new();
        let refs: Vec<&str> = known.iter().map(String::as_str).collect();
        for ig in self.0 {
            if ig.patterns.is_empty() {
                out.push(finding(
                    "suppress/bare-ignore",
                    SuppressMsg::Bare { line: ig.line },
                    ig.span.clone(),
                ));
                continue;
            }
            for (i, p) in ig.patterns.iter().enumerate() {
                let matching: Vec<&str> = refs
                    .iter()
                    .copied()
                    .filter(|id| matches_rule(p, id))
                    .collect();
                let message = if matching.is_empty() {
                    let hint = did_you_mean(p, &refs)
                        .map(|k| SuppressMsg::DidYouMean { rule: k.into() }.to_string())
                        .unwrap_or_default();
                    SuppressMsg::UnknownRule {
                        line: ig.line,
                        rule: p.clone(),
                        hint,
                    }
                } else if ig.blocked[i] && !ig.used[i] {
                    SuppressMsg::CannotSilence {
                        line: ig.line,
                        rule: p.clone(),
                    }
                } else if !ig.used[i] && matching.iter().any(|id| enabled(id)) {
                    SuppressMsg::Unused {
                        line: ig.line,
                        rule: p.clone(),
                    }
                } else {
                    continue;
                };
                let rule = match message {
                    SuppressMsg::UnknownRule { .. } => "suppress/unknown-rule",
                    _ => "suppress/unused",
                };
                out.push(finding(rule, message, ig.span.clone()));
            }
        }
        out
    }
}

fn finding(rule: &str, message: SuppressMsg, span: Span) -> Finding {
    let title = crate::document::STRUCTURE_RULES
        .iter()
        .find(|r| r.0 == rule)
        .map_or(rule, |r| r.2);
    Finding::new(rule, Severity::Warning, title, message.to_string(), span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_bare_ignores() {
        assert_eq!(
            parse(" gouji: ignore[table3/row-total, prose] 原文如此"),
            Some(vec!["table3/row-total".to_string(), "prose".to_string()])
        );
        assert_eq!(parse("gouji: ignore 原文如此"), Some(vec![]));
        assert_eq!(parse("gouji: ignore[]"), Some(vec![]));
        assert_eq!(parse("a note"), None);
    }
}
