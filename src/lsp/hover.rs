//! Hovers: a report cell (its official labels, value, and every rule that reads it with
//! that rule's result now), and a rule id (title, why, examples).

use crate::document::{choose_schema, Document};
use crate::engine::Engine;
use crate::finding::Finding;
use crate::load;
use crate::messages::lsp::LspMsg;
use crate::rules::Rule;
use crate::source::Source;

/// The rule id under `offset`, if the word there is one the engine knows.
pub fn rule_id_at<'e>(engine: &'e Engine, text: &str, offset: usize) -> Option<&'e Rule> {
    let is_id = |c: char| c.is_ascii_alphanumeric() || "-_/.".contains(c);
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_id(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_id(c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text.get(start..end)?.trim_matches('.');
    engine.rules.get(word)
}

/// Markdown for a rule: id and severity, title, why, and its examples as written.
pub fn rule(rule: &Rule) -> String {
    let mut out = format!(
        "**{}** ({})\n\n{}\n\n{}",
        rule.id,
        rule.severity.as_str(),
        rule.title,
        rule.why
    );
    if !rule.examples.is_empty() {
        out.push_str(&format!("\n\n{}:\n```\n", LspMsg::Examples));
        for ex in &rule.examples {
            out.push_str(rule.source.slice(&ex.span));
            out.push('\n');
        }
        out.push_str("```");
    }
    out
}
/// Markdown for the cell under `offset`, or `None` when no cell is there.
pub fn cell(
    engine: &Engine,
    source: &Source,
    findings: &[Finding],
    offset: usize,
) -> Option<String> {
    let tree = load::parse(source).ok()?;
    let schema = choose_schema(&tree, &engine.registry).ok()?;
    let doc = Document::bind(source, tree, schema);
    let slot = doc
        .cells
        .iter()
        .position(|c| c.written && c.span.start <= offset && offset <= c.span.end)?;
    let cell = doc.cell_ref(slot);
    let value = if cell.value.trim().is_empty() {
        LspMsg::Blank.to_string()
    } else {
        cell.value.clone()
    };
    let mut out = format!(
        "**{}**\n\n{}: `{}`\n\n{}: {}\n\n{}:\n",
        cell.label,
        LspMsg::Path,
        cell.path,
        LspMsg::Value,
        value,
        LspMsg::RulesReading
    );
    let mut any = false;
    for rule in &engine.rules.rules {
        let Some(compiled) = rule.for_schema(&doc.schema.name) else {
            continue;
        };
        let mut slots = Vec::new();
        for inst in &compiled.instances {
            inst.expr.slots_read(&mut slots);
            if let Some((_, _, set)) = &inst.dynamic {
                set.slots_read(&mut slots);
            }
        }
        if !slots.contains(&slot) {
            continue;
        }
        any = true;
        let failing = findings.iter().find(|f| {
            f.rule == rule.id && f.cells.iter().any(|c| c.is_local() && c.path == cell.path)
        });
        let result = match failing {
            Some(f) => LspMsg::Fails {
                message: f.message.clone(),
            },
            None => LspMsg::Holds,
        };
        let enabled = if engine.selection.enabled(&rule.id) {
            String::new()
        } else {
            format!(" {}", LspMsg::Off)
        };
        out.push_str(&format!(
            "- `{}`{enabled} {} — {result}\n",
            rule.id, rule.title
        ));
    }
    if !any {
        out.push_str(&format!("- {}\n", LspMsg::NoRuleReads));
    }
    Some(out)
}
