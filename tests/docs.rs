//! The manuals are executed: every rule in docs/rule-language.md loads and its examples pass,
//! and docs/rules.md is what the rule files generate.

use std::sync::Arc;

use gouji::rules::{examples, reference, RuleSet};
use gouji::schema::Registry;
use gouji::source::Source;

fn gouji_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```gouji") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn every_rule_in_the_manual_loads_and_its_examples_pass() {
    let text = std::fs::read_to_string("docs/rule-language.md").unwrap();
    let blocks = gouji_blocks(&text);
    assert!(blocks.len() >= 8, "found {} gouji blocks", blocks.len());
    let registry = Registry::builtin();
    for (i, block) in blocks.iter().enumerate() {
        let source = Arc::new(Source::new(
            format!("docs/rule-language.md#block{i}"),
            block.clone(),
        ));
        let rules = match RuleSet::load(&[source], &registry) {
            Ok(r) => r,
            Err(errs) => panic!(
                "block {i} does not load:\n{block}\n{:?}",
                errs.iter()
                    .map(|e| format!("{}: {e}", e.location()))
                    .collect::<Vec<_>>()
            ),
        };
        for outcome in examples::run(&rules, &registry) {
            let failures: Vec<String> = outcome
                .failures
                .iter()
                .map(|e| format!("{}: {e}", e.location()))
                .collect();
            assert!(
                failures.is_empty(),
                "block {i}, rule {}: {failures:?}",
                outcome.rule
            );
            assert!(
                outcome.passed >= 2,
                "block {i}, rule {} ran {} examples",
                outcome.rule,
                outcome.passed
            );
        }
    }
}

#[test]
fn rules_md_is_generated_from_the_rule_files() {
    let registry = Registry::builtin();
    let rules = RuleSet::load(&RuleSet::builtin_sources(), &registry).unwrap();
    let expected = reference::markdown(&rules);
    let actual = std::fs::read_to_string("docs/rules.md").unwrap();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn the_editor_schemas_are_generated_from_the_formats() {
    let registry = Registry::builtin();
    for name in ["2019", "2021"] {
        let schema = registry.by_name(name).unwrap();
        let expected = serde_json::to_string_pretty(&schema.json_schema()).unwrap() + "\n";
        let actual = std::fs::read_to_string(format!("docs/schema/{name}.json")).unwrap();
        assert!(actual == expected, "docs/schema/{name}.json is stale: run `cargo run -- schema {name} > docs/schema/{name}.json`");
    }
}

#[test]
fn every_key_in_report_format_md_is_in_its_schema() {
    let registry = Registry::builtin();
    let text = std::fs::read_to_string("docs/report-format.md").unwrap();
    let mut format = None;
    let mut checked = 0;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("### Format ") {
            format = rest.split_whitespace().next().map(str::to_string);
            continue;
        }
        let (Some(name), Some(path)) = (
            &format,
            line.strip_prefix("| `").and_then(|l| l.split('`').next()),
        ) else {
            continue;
        };
        let schema = registry.by_name(name).unwrap();
        let found = path
            .split('.')
            .try_fold(gouji::schema::ROOT, |n, k| schema.child(n, k));
        assert!(
            found.is_some(),
            "docs/report-format.md lists `{path}`, which format {name} does not have"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} keys checked");
}
