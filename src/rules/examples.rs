//! Rule tests: every rule carries `pass { … }` and `fail { … }` examples, each a few cell
//! values patched into its format's balanced reference report (`sample:` in the schema).
//! `gouji test` and `cargo test` run them; a rule without both kinds fails the run.

use crate::messages::rules::ExampleMsg;
use std::sync::Arc;

use super::ast::{Literal, Segment};
use super::{eval, Rule, RuleError, RuleSet};
use crate::document::Document;
use crate::load;
use crate::schema::{Registry, SKind, Schema, ROOT};
use crate::source::Source;
use crate::value::Value;

/// Outcome of one rule's examples.
pub struct Outcome {
    pub rule: String,
    pub passed: usize,
    pub failures: Vec<RuleError>,
}

pub fn run(rules: &RuleSet, registry: &Registry) -> Vec<Outcome> {
    rules.rules.iter().map(|r| run_rule(r, registry)).collect()
}

fn run_rule(rule: &Rule, registry: &Registry) -> Outcome {
    let mut out = Outcome {
        rule: rule.id.clone(),
        passed: 0,
        failures: vec![],
    };
    let has = |pass: bool| rule.examples.iter().any(|e| e.pass == pass);
    if !has(true) || !has(false) {
        let missing = if !has(true) && !has(false) {
            ExampleMsg::NoExamples
        } else if has(true) {
            ExampleMsg::NoFailing
        } else {
            ExampleMsg::NoPassing
        };
        out.failures.push(
            RuleError::new(
                &rule.source,
                ExampleMsg::NoExample {
                    id: rule.id.clone(),
                    missing: missing.to_string(),
                }
                .to_string(),
                rule.span.start..rule.span.start + 4,
            )
            .with_help(ExampleMsg::NoExampleHelp.to_string()),
        );
    }
    for ex in &rule.examples {
        let formats: Vec<&str> = match &ex.format {
            Some(f) => vec![f.node.as_str()],
            None => rule.formats.iter().map(String::as_str).collect(),
        };
        for name in formats {
            match check_example(rule, ex, name, registry) {
                Ok(()) => out.passed += 1,
                Err(message) => out.failures.push(
                    RuleError::new(&rule.source, message, ex.span.clone()).with_label(
                        ExampleMsg::OnFormat {
                            format: name.to_string(),
                        }
                        .to_string(),
                    ),
                ),
            }
        }
    }
    out
}

fn check_example(
    rule: &Rule,
    ex: &super::ast::Example,
    format: &str,
    registry: &Registry,
) -> Result<(), String> {
    let schema = registry.by_name(format).ok_or_else(|| {
        ExampleMsg::FormatNotLoaded {
            format: format.to_string(),
        }
        .to_string()
    })?;
    let compiled = match rule.compiled(format) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            return Err(ExampleMsg::DoesNotCompile {
                format: format.to_string(),
                error: e.to_string(),
                at: e.location(),
            }
            .to_string())
        }
        None => {
            return Err(ExampleMsg::NotForFormat {
                format: format.to_string(),
            }
            .to_string())
        }
    };
    let sample = schema.sample.as_ref().ok_or_else(|| {
        ExampleMsg::NoSample {
            format: format.to_string(),
        }
        .to_string()
    })?;
    let mut doc = bind(sample, schema)?;
    let needs_prior = ex.patches.iter().any(|(p, _)| is_prior(p));
    let mut prior = if needs_prior {
        Some(bind(sample, schema)?)
    } else {
        None
    };
    for (path, lit) in &ex.patches {
        let value = match &lit.node {
            Literal::Number(n) => Value::Number(*n),
            Literal::Text(t) => Value::Text(t.clone()),
            Literal::Blank => Value::Blank,
        };
        let mut keys: Vec<&str> = path
            .segments
            .iter()
            .filter_map(|s| {
                if let Segment::Name(n) = s {
                    Some(n.node.as_str())
                } else {
                    None
                }
            })
            .collect();
        let target = if is_prior(path) {
            keys.remove(0);
            prior.as_mut()
        } else {
            Some(&mut doc)
        };
        let Some(target) = target else { continue };
        let slot = slot_of(schema, &keys).ok_or_else(|| {
            ExampleMsg::NotACellOf {
                path: keys.join("."),
                format: format.to_string(),
            }
            .to_string()
        })?;
        target.cells[slot].value = value;
    }
    let year = schema
        .period
        .as_deref()
        .and_then(|p| doc.field_text(p))
        .and_then(|y| y.parse().ok());
    let year = patched_year(&doc, schema).or(year);
    let failures = if rule.applies_to_year(year) {
        eval::run(compiled, &doc, prior.as_ref())
    } else {
        vec![]
    };
    match (ex.pass, failures.len()) {
        (true, 0) | (false, 1..) => Ok(()),
        (true, n) => {
            // Show what the rule found, as `gouji lint` would say it.
            let found: Vec<String> = failures
                .iter()
                .take(3)
                .map(|f| {
                    let finding = crate::explain::finding(rule, f, &doc, prior.as_ref());
                    let pos = doc.source.position(finding.span.start);
                    format!("{}:{}: {}", pos.line, pos.column, finding.message)
                })
                .collect();
            Err(ExampleMsg::PassFound {
                n,
                found: found.join(" | "),
            }
            .to_string())
        }
        (false, _) => Err(ExampleMsg::FailAccepted.to_string()),
    }
}

fn is_prior(path: &super::ast::Path) -> bool {
    matches!(path.segments.first(), Some(Segment::Name(n)) if n.node == "prior")
        && path.segments.len() > 1
}

/// A patched year counts for the rule's `years`.
fn patched_year(doc: &Document, schema: &Schema) -> Option<i64> {
    let slot = slot_of(schema, &[schema.period.as_deref()?])?;
    doc.cells[slot]
        .value
        .as_number()
        .and_then(|n| n.to_string().parse().ok())
}

fn slot_of(schema: &Schema, keys: &[&str]) -> Option<usize> {
    let node = keys.iter().try_fold(ROOT, |n, k| schema.child(n, k))?;
    match schema.node(node).kind {
        SKind::Scalar { slot, .. } => Some(slot),
        _ => None,
    }
}

fn bind<'a>(sample: &'a Arc<Source>, schema: &Arc<Schema>) -> Result<Document<'a>, String> {
    let tree = load::parse(sample).map_err(|e| {
        ExampleMsg::SampleDoesNotLoad {
            error: e.to_string(),
        }
        .to_string()
    })?;
    Ok(Document::bind(sample, tree, schema.clone()))
}
