//! What a repair plan claims is true. "No plan" says that no change of up to 4 cells makes
//! every relation hold; it must never be said when one cell would do. A single plan whose
//! new value the relations leave open (a count written −2 that must be ≥ 0) is named with
//! the conditions on its new value, and `gouji fix --write` never writes such a value.
//!
//! The reports: the manual's worked example `quxian/non-negative` (docs/rule-language.md,
//! a district's own format whose cells are `integer`, the sign left to a rule), and the 2021
//! sample with a negative fee (an `amount`) and a negative count, under the built-in packs
//! and the manual's `my/non-negative` plus a fee rule (the built-in packs have no `>= 0`
//! rule: counts are kept ≥ 0 by the format, `structure/negative-count`).

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use assert_cmd::Command;
use gouji::engine::Engine;
use gouji::finding::{PlanStatus, Severity};
use gouji::rules::RuleSet;
use gouji::schema::{Registry, Schema};
use gouji::source::Source;
use gouji::value::Value;
use proptest::prelude::*;

fn manual() -> &'static str {
    static M: OnceLock<String> = OnceLock::new();
    M.get_or_init(|| std::fs::read_to_string("docs/rule-language.md").unwrap())
}

/// A fenced block of the manual: the one whose info string is `info`, or the `gouji` block
/// of a rule.
fn block(info: &str) -> String {
    let open = format!("```{info}\n");
    let at = manual()
        .find(&open)
        .unwrap_or_else(|| panic!("no {info} block"));
    let body = &manual()[at + open.len()..];
    body[..body.find("```").unwrap()].to_string()
}

fn rule_block(id: &str) -> String {
    let head = format!("rule {id} {{");
    let at = manual().find(&head).unwrap();
    let body = &manual()[at..];
    body[..body.find("```").unwrap()].to_string()
}

/// The manual's example, with a count of 转其他机关办理 / 网络申请 written −2.
fn quxian_report() -> String {
    let text = block("yaml file=quxian.sample.yaml");
    let bad = text.replacen("转办: {当面: 0, 网络: 2,", "转办: {当面: 0, 网络: -2,", 1);
    assert_ne!(bad, text);
    bad
}

/// The manual's `my/non-negative`, and a fee that is not negative.
fn national_rules() -> String {
    rule_block("my/non-negative")
        + "
rule my/fee-non-negative {
  title    \"收费金额不为负\"
  severity error
  formats  2021
  why      \"收费金额不能为负。\"
  message  \"收费金额为 {lhs}\"
  check 主动公开.第八项.行政事业性收费.收费金额 >= 0
}
"
}

fn sample_2021() -> String {
    std::fs::read_to_string("rules/formats/2021.sample.yaml").unwrap()
}

/// The 2021 sample with its fee written negative, and with a 行政复议 count written −1
/// (its row total lowered to match, so only the sign is wrong).
fn national_reports() -> [(&'static str, String); 2] {
    let s = sample_2021();
    let fee = s.replacen("{收费金额: 333.45}", "{收费金额: -333.45}", 1);
    let count = s.replacen(
        "行政复议:         {结果维持: 3, 结果纠正: 1, 其他结果: 0, 尚未审结: 1, 总计: 5}",
        "行政复议:         {结果维持: 3, 结果纠正: -1, 其他结果: 0, 尚未审结: 1, 总计: 3}",
        1,
    );
    assert!(fee != s && count != s);
    [("fee.yaml", fee), ("count.yaml", count)]
}

fn gouji(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("gouji").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GOUJI_LANG");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn json_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r#""elapsed_ms":\d+"#, r#""elapsed_ms":[ms]"#);
    s
}

/// A scratch directory with the manual's quxian format and rule, `extra.gouji`, and the
/// report.
fn quxian_dir(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("quxian.yaml"), block("yaml file=quxian.yaml")).unwrap();
    std::fs::write(
        p.join("quxian.sample.yaml"),
        block("yaml file=quxian.sample.yaml"),
    )
    .unwrap();
    std::fs::write(
        p.join("quxian.gouji"),
        rule_block("quxian/non-negative") + extra,
    )
    .unwrap();
    std::fs::create_dir_all(p.join("reports")).unwrap();
    std::fs::write(p.join("reports/r.yaml"), quxian_report()).unwrap();
    dir
}

/// Row totals of the quxian table.
const ROW: &str = "
rule quxian/row {
  title    \"合计 = 各渠道之和\"
  severity error
  formats  quxian
  why      \"示例。\"
  check for each r in rows(办件): r.合计 == r.当面 + r.网络 + r.信函
}
";

const QUXIAN: [&str; 4] = ["--schema", "quxian.yaml", "--rules", "quxian.gouji"];

/// Before: 「改动不超过 4 个单元格，无法同时解释这 1 处不平衡」, false, since 0 (or 2) fixes it.
/// Now the cell is named, with what its new value must be, and no value is suggested.
#[test]
fn a_negative_count_is_one_cell_whose_new_value_must_be_at_least_zero() {
    let dir = quxian_dir("");
    let human = stdout(gouji(dir.path()).arg("lint").args(QUXIAN).arg("reports"));
    insta::assert_snapshot!("quxian_human", human);
    let english = stdout(
        gouji(dir.path())
            .args(["lint", "--lang", "en"])
            .args(QUXIAN)
            .arg("reports"),
    );
    insta::assert_snapshot!("quxian_human_en", english);
    let json = stdout(
        gouji(dir.path())
            .args(["lint", "--format", "json"])
            .args(QUXIAN)
            .arg("reports"),
    );
    json_settings().bind(|| insta::assert_snapshot!("quxian_json", json));
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let plan = &plan["findings"][1]["plan"];
    assert_eq!(plan["status"], "undetermined");
    assert_eq!(plan["plans"][0][0]["to"], serde_json::Value::Null);
    assert_eq!(plan["known"][0], "「转其他机关办理 / 网络申请」 ≥ 0");
}

/// `gouji fix --write` leaves a value the relations leave open alone.
#[test]
fn fix_never_writes_an_open_value() {
    let dir = quxian_dir("");
    let out = gouji(dir.path())
        .args(["fix", "--write"])
        .args(QUXIAN)
        .arg("reports")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.ends_with("reports/r.yaml：未改写（没有唯一、确定的修正方案）\n"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("reports/r.yaml")).unwrap(),
        quxian_report()
    );
}

/// The findings of `gouji lint --format json` over the quxian directory's reports.
fn quxian_findings(dir: &Path) -> Vec<serde_json::Value> {
    let json = stdout(
        gouji(dir)
            .args(["lint", "--format", "json"])
            .args(QUXIAN)
            .arg("reports"),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

/// A rule the search cannot see (`!=` is not linear) rejects the plan the relations allow:
/// nothing is claimed — neither a plan nor that there is none. Once for a value the
/// relations leave open (≥ 0: checked at 0), once for a value they fix (the row total: 2).
#[test]
fn a_plan_the_rules_reject_claims_nothing() {
    let not = |v: &str| {
        format!(
            "
rule quxian/not-{v} {{
  title    \"转办的网络申请不为 {v}\"
  severity error
  formats  quxian
  why      \"示例：一条搜索看不到的（非线性的）规则。\"
  check 办件.转办.网络 != {v}
}}
"
        )
    };
    for extra in [not("0"), not("2") + ROW] {
        let dir = quxian_dir(&extra);
        let findings = quxian_findings(dir.path());
        let record = findings
            .iter()
            .find(|f| f["rule"] == "repair/plan")
            .unwrap();
        assert_eq!(record["plan"]["status"], "unverified", "{extra}");
        assert_eq!(record["plan"]["plans"], serde_json::json!([]));
        assert_eq!(
            record["message"].as_str().unwrap(),
            format!(
                "按核对关系可以找到解释这 {} 处不平衡的修改，但用规则本身复核时未能确认，因此不提出修正方案，也不断言不存在；请人工核对",
                record["plan"]["explains"].as_array().unwrap().len()
            )
        );
        // The failures get no help that would claim either way.
        for f in findings.iter().filter(|f| f["severity"] == "error") {
            assert_eq!(f["help"], serde_json::Value::Null, "{f}");
        }
    }
}

/// A 2021 report: a negative fee (an amount, in no sum: one cell, new value ≥ 0), and a
/// negative count whose row total was lowered with it (several two-cell plans tie).
#[test]
fn a_negative_amount_and_count_in_a_2021_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("reports")).unwrap();
    for (name, text) in national_reports() {
        std::fs::write(dir.path().join("reports").join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("extra.gouji"), national_rules()).unwrap();
    let args = ["--rules", "extra.gouji", "reports"];
    let human = stdout(gouji(dir.path()).arg("lint").args(args));
    insta::assert_snapshot!("national_human", human);
    let json = stdout(
        gouji(dir.path())
            .args(["lint", "--format", "json"])
            .args(args),
    );
    json_settings().bind(|| insta::assert_snapshot!("national_json", json));
}

// ---- The law: "no plan" ⇒ no single cell, changed to any of a few values, repairs it.

struct Checker {
    engine: Engine,
    /// Ids of the rules (not the format's own checks, not the plan record).
    rules: HashSet<String>,
}

fn checker(registry: Registry, rules: &[Arc<Source>]) -> Checker {
    let rules = RuleSet::load(rules, &registry).unwrap_or_else(|e| panic!("{e:?}"));
    Checker {
        rules: rules.rules.iter().map(|r| r.id.clone()).collect(),
        engine: Engine::new(registry, rules),
    }
}

/// The builtin formats and the manual's quxian format.
fn quxian_registry() -> Registry {
    let mut registry = Registry::builtin();
    let sample = block("yaml file=quxian.sample.yaml");
    let find = |name: &str| {
        (name == "quxian.sample.yaml")
            .then(|| Arc::new(Source::new("quxian.sample.yaml", sample.as_str())))
    };
    let schema = Schema::parse(
        Arc::new(Source::new("quxian.yaml", block("yaml file=quxian.yaml"))),
        &find,
    )
    .unwrap_or_else(|e| panic!("{}", e.message));
    registry.schemas.push(Arc::new(schema));
    registry
}

fn quxian_checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| {
        // The manual's rule, row totals, and what a channel's outcomes add up to at most.
        let more = "
rule quxian/outcomes {
  title    \"办结与转办不多于收到\"
  severity error
  formats  quxian
  why      \"示例。\"
  check for each c in columns(办件): 办件.办结[c] + 办件.转办[c] <= 办件.收到[c]
}
";
        let text = rule_block("quxian/non-negative") + ROW + more;
        checker(
            quxian_registry(),
            &[Arc::new(Source::new("quxian.gouji", text))],
        )
    })
}

fn national_checker() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| {
        let mut sources = RuleSet::builtin_sources();
        sources.push(Arc::new(Source::new("extra.gouji", national_rules())));
        checker(Registry::builtin(), &sources)
    })
}

/// The numbers a plan may change in a report: (span, value, whether a count).
fn cells(c: &Checker, text: &str) -> Vec<(std::ops::Range<usize>, String, bool)> {
    let source = Source::new("r.yaml", text);
    let checked = c.engine.check_report(&source, None);
    let doc = checked.document.unwrap();
    // The cells of the tables (not 年度).
    (0..doc.cells.len())
        .filter(|&s| doc.cells[s].written && doc.cell_ref(s).path.contains('.'))
        .filter_map(|s| {
            let var = gouji::repair::domain(&doc, s)?;
            let Value::Number(x) = doc.cells[s].value else {
                return None;
            };
            Some((
                doc.cells[s].span.clone(),
                x.to_string(),
                var.lower.is_some(),
            ))
        })
        .collect()
}

/// The error findings of rules in a report.
fn failing(c: &Checker, text: &str) -> Vec<gouji::finding::Finding> {
    c.engine
        .check(&Source::new("r.yaml", text), None)
        .into_iter()
        .filter(|f| f.severity == Severity::Error && c.rules.contains(&f.rule))
        .collect()
}

/// A change of one cell, to one of a few values inside its domain (a count: whole, ≥ 0),
/// after which no rule fails: its place and new value.
fn one_cell_repair(c: &Checker, text: &str) -> Option<(usize, String)> {
    let failures = failing(c, text);
    // The cell must be read by every failure.
    let mut common: Option<Vec<std::ops::Range<usize>>> = None;
    for f in &failures {
        let spans: Vec<_> = f.cells.iter().map(|r| r.span.clone()).collect();
        common = Some(match common {
            None => spans,
            Some(c) => c.into_iter().filter(|s| spans.contains(s)).collect(),
        });
    }
    let common = common?;
    for (span, value, count) in cells(c, text) {
        if !common.contains(&span) {
            continue;
        }
        let x: rust_decimal::Decimal = value.parse().unwrap();
        let places = x.scale();
        let mut candidates: Vec<rust_decimal::Decimal> = vec![x.abs(), -x];
        for d in 0..=9 {
            let d = rust_decimal::Decimal::from(d);
            candidates.extend([d, x + d, x - d]);
        }
        for v in candidates {
            if v == x || (count && v.is_sign_negative() && !v.is_zero()) {
                continue;
            }
            let mut v = v;
            v.rescale(places);
            let patched = format!("{}{}{}", &text[..span.start], v, &text[span.end..]);
            if failing(c, &patched).is_empty() {
                return Some((span.start, v.to_string()));
            }
        }
    }
    None
}

/// Writes new values into cells picked by index.
fn mutate(c: &Checker, text: &str, picks: &[(usize, i64)]) -> String {
    let all = cells(c, text);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for &(i, v) in picks {
        let (span, _, _) = &all[i % all.len()];
        if !edits.iter().any(|(s, _)| s == span) {
            edits.push((span.clone(), v.to_string()));
        }
    }
    edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    let mut out = text.to_string();
    for (span, v) in edits {
        out.replace_range(span, &v);
    }
    out
}

fn law(c: &Checker, text: &str) {
    let (_, plan) = c.engine.check_with_plan(&Source::new("m.yaml", text), None);
    if plan.is_some_and(|p| p.status == PlanStatus::NoPlan) {
        let repair = one_cell_repair(c, text);
        assert_eq!(repair, None, "\"no plan\", yet one cell repairs:\n{text}");
    }
}

/// The law is not vacuous: on the manual's report it finds the one-cell repair that the old
/// "no plan" denied, and the plan now names that cell.
#[test]
fn the_law_finds_the_repair_that_no_plan_denied() {
    let c = quxian_checker();
    let text = quxian_report();
    let at = text.find("网络: -2").unwrap() + "网络: ".len();
    // −2 → 2 keeps the row total and the outcomes within what was received.
    assert_eq!(one_cell_repair(c, &text), Some((at, "2".to_string())));
    let (_, plan) = c
        .engine
        .check_with_plan(&Source::new("m.yaml", text.as_str()), None);
    let plan = plan.unwrap();
    assert_eq!(plan.status, PlanStatus::Unique, "{plan:?}");
    assert_eq!(plan.plans[0][0].to.as_deref(), Some("2"));
    law(c, &text);
    // Under the manual's rule alone the value is open, and the law holds.
    let alone = quxian_alone();
    assert_eq!(one_cell_repair(alone, &text), Some((at, "2".to_string())));
    law(alone, &text);
    let (_, plan) = alone
        .engine
        .check_with_plan(&Source::new("m.yaml", text.as_str()), None);
    assert_eq!(plan.unwrap().status, PlanStatus::Undetermined);
}

/// The manual's format under the manual's rule alone.
fn quxian_alone() -> &'static Checker {
    static C: OnceLock<Checker> = OnceLock::new();
    C.get_or_init(|| {
        checker(
            quxian_registry(),
            &[Arc::new(Source::new(
                "quxian.gouji",
                rule_block("quxian/non-negative"),
            ))],
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// The manual's format, under its rule alone and with row totals: up to 3 cells given
    /// any value, negative ones too.
    #[test]
    fn no_plan_means_no_one_cell_repair_quxian(
        totals in any::<bool>(),
        picks in prop::collection::vec((0usize..1000, -9i64..=120), 1..=3),
    ) {
        let c = if totals { quxian_checker() } else { quxian_alone() };
        let text = mutate(c, &block("yaml file=quxian.sample.yaml"), &picks);
        law(c, &text);
    }

    /// The 2021 sample: up to 6 cells moved (counts may go negative), so that "no plan"
    /// is said, and must be true.
    #[test]
    fn no_plan_means_no_one_cell_repair_2021(
        picks in prop::collection::vec((0usize..1000, -9i64..=60), 1..=6),
    ) {
        let c = national_checker();
        let text = mutate(c, &sample_2021(), &picks);
        law(c, &text);
    }
}

/// Tied plans are claimed only when the rules confirm every one of them. 收到 with its
/// 合计 written 101: four one-cell plans tie (合计 → 100, or 当面, 网络 or 信函 one more).
/// A rule the search cannot see (`!=`) rejects one of them (网络 → 86): "these 4 plans each
/// explain it" would then be false, so nothing is claimed. Without that rule, the four tie.
#[test]
fn tied_plans_the_rules_reject_are_not_claimed() {
    let report = block("yaml file=quxian.sample.yaml").replacen(
        "收到: {当面: 12, 网络: 85, 信函: 3, 合计: 100}",
        "收到: {当面: 12, 网络: 85, 信函: 3, 合计: 101}",
        1,
    );
    let not_86 = "
rule quxian/not-86 {
  title    \"收到的网络申请不为 86\"
  severity error
  formats  quxian
  why      \"示例：一条搜索看不到的（非线性的）规则。\"
  check 办件.收到.网络 != 86
}
";
    for (extra, status, plans) in [("", "ambiguous", 4), (not_86, "unverified", 0)] {
        let dir = quxian_dir(&(ROW.to_string() + extra));
        std::fs::write(dir.path().join("reports/r.yaml"), &report).unwrap();
        let findings = quxian_findings(dir.path());
        let record = findings
            .iter()
            .find(|f| f["rule"] == "repair/plan")
            .unwrap();
        assert_eq!(record["plan"]["status"], status, "{extra}");
        assert_eq!(
            record["plan"]["plans"].as_array().unwrap().len(),
            plans,
            "{record}"
        );
        let row = findings.iter().find(|f| f["rule"] == "quxian/row").unwrap();
        if plans == 0 {
            assert_eq!(row["help"], serde_json::Value::Null, "{row}");
        } else {
            let help = row["help"].as_str().unwrap();
            assert!(help.starts_with("4 个方案各改 1 个单元格"), "{help}");
        }
    }
}
