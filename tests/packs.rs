//! Issue 4: the standard rule packs — their own examples, and the two example reports.

use std::sync::Arc;

use gouji::engine::Engine;
use gouji::finding::{Finding, Severity};
use gouji::render::human::Human;
use gouji::rules::{examples, RuleSet, OPTIONAL};
use gouji::schema::Registry;
use gouji::source::Source;

const SEED: &str = include_str!("../examples/chaoyang-2020.yaml");
const BALANCED_2021: &str = include_str!("../examples/balanced-2021.yaml");

fn engine() -> Engine {
    Engine::builtin().unwrap_or_else(|e| panic!("built-in rules do not load: {e:?}"))
}

fn check(text: &str) -> (Source, Vec<Finding>) {
    let src = Source::new("examples/chaoyang-2020.yaml", text);
    let findings = engine().check(&src, None);
    (src, findings)
}

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

#[test]
fn every_pack_example_holds_and_every_rule_has_both_kinds() {
    let registry = Registry::builtin();
    let mut sources = RuleSet::builtin_sources();
    sources.extend(
        OPTIONAL
            .iter()
            .map(|(name, text)| Arc::new(Source::new(*name, *text))),
    );
    let rules =
        RuleSet::load(&sources, &registry).unwrap_or_else(|e| panic!("packs do not load: {e:?}"));
    // Every `rule` written in the pack files is loaded.
    let written: usize = sources
        .iter()
        .map(|s| s.text.lines().filter(|l| l.starts_with("rule ")).count())
        .sum();
    assert_eq!(rules.rules.len(), written);
    assert!(written >= 19, "only {written} rules");
    let outcomes = examples::run(&rules, &registry);
    assert_eq!(outcomes.len(), rules.rules.len());
    let mut problems = Vec::new();
    for (rule, outcome) in rules.rules.iter().zip(&outcomes) {
        assert_eq!(rule.id, outcome.rule);
        for f in &outcome.failures {
            problems.push(format!("{}: {}: {}", rule.id, f.location(), f));
        }
        let pass = rule.examples.iter().filter(|e| e.pass).count();
        let fail = rule.examples.iter().filter(|e| !e.pass).count();
        if pass == 0 || fail == 0 {
            problems.push(format!("{}: {pass} pass / {fail} fail examples", rule.id));
        }
        if outcome.passed == 0 {
            problems.push(format!("{}: no example ran", rule.id));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The optional pack is in there.
    assert!(rules
        .rules
        .iter()
        .any(|r| r.source.name.contains("optional/review")));
}

#[test]
fn seed_has_exactly_two_errors_sharing_one_fix() {
    let (src, findings) = check(SEED);
    let errs = errors(&findings);
    let ids: Vec<&str> = errs.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        ids,
        ["table3/row-total", "table3/result-total"],
        "{findings:#?}"
    );

    let row = errs[0];
    assert!(row.message.contains("183"), "{}", row.message);
    assert!(row.message.contains("182"), "{}", row.message);
    let at = src.position(row.span.start);
    let line = SEED.lines().position(|l| l.contains("不掌握")).unwrap() + 1;
    assert_eq!(at.line, line);

    let res = errs[1];
    assert!(res.message.contains("252"), "{}", res.message);
    assert!(res.message.contains("253"), "{}", res.message);

    for f in &errs {
        let fix = f
            .fix
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no fix", f.rule));
        // A one-cell plan: the same single edit on both errors.
        assert_eq!(fix.edits.len(), 1);
        let edit = &fix.edits[0];
        assert_eq!(edit.path, "申请.办理结果.无法提供.不掌握.总计");
        assert_eq!(edit.from, "183");
        assert_eq!(edit.to.as_deref(), Some("182"));
        assert_eq!(src.slice(&edit.span), "183");
        let mut resolves = fix.resolves.clone();
        resolves.sort();
        assert_eq!(resolves, ["table3/result-total", "table3/row-total"]);
    }
}

#[test]
fn seed_warnings() {
    let (_, findings) = check(SEED);
    let mut warnings: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| f.rule.as_str())
        .collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "prose/no-litigation",
            "prose/no-review",
            "prose/none-received",
            "structure/split-row",
        ],
        "{findings:#?}"
    );
    // The only note is the report's repair plan.
    let infos: Vec<&str> = findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .map(|f| f.rule.as_str())
        .collect();
    assert_eq!(infos, ["repair/plan"]);
}

#[test]
fn seed_with_the_fix_applied_has_no_errors() {
    let fixed = SEED.replacen("总计: 183}", "总计: 182}", 1);
    assert_ne!(fixed, SEED);
    let (_, findings) = check(&fixed);
    assert!(errors(&findings).is_empty(), "{findings:#?}");
    // The warnings are about other things and stay.
    assert_eq!(findings.len(), 4, "{findings:#?}");
}

#[test]
fn balanced_2021_has_no_findings() {
    let src = Source::new("examples/balanced-2021.yaml", BALANCED_2021);
    let findings = engine().check(&src, None);
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn seed_human_output() {
    let (src, findings) = check(SEED);
    let human = Human::new(false, 100);
    let mut out = String::new();
    for f in &findings {
        human.finding(&src, f, &mut out);
    }
    insta::assert_snapshot!(out);
}
