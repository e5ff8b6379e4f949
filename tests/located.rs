//! Every finding is located where the check read: a rule that read prose points at the
//! sentence (or, when no sentence matched, at the field) it read, a rule on a text field at that
//! field, an evaluation error at its operand — never at line 1, column 1. Asserted on the JSON
//! output of `gouji lint`, line and column included.

use assert_cmd::Command;
use serde_json::Value;

const REPORT: &str = include_str!("../examples/balanced-2021.yaml");

/// `gouji lint --format json` with only the given rules on the report text; the findings.
fn findings(rules: &str, report: &str) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.gouji"), rules).unwrap();
    std::fs::write(dir.path().join("report.yaml"), report).unwrap();
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "lint",
            "--no-progress",
            "--no-default-rules",
            "--rules",
            "r.gouji",
            "--ignore",
            "repair/plan",
            "--format",
            "json",
            "report.yaml",
        ])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    doc["findings"].as_array().unwrap().clone()
}

/// A warning rule with a check.
fn rule(check: &str) -> String {
    format!(
        "rule t/x {{\n  title \"t\"\n  severity warning\n  formats 2021\n  why \"w\"\n  check {check}\n}}\n"
    )
}

/// The 1-based line and column (in characters) of the first occurrence of `needle`.
fn at(text: &str, needle: &str) -> (u64, u64) {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in the text"));
    let line = text[..i].matches('\n').count() + 1;
    let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    (line as u64, text[start..i].chars().count() as u64 + 1)
}

fn pos(v: &Value) -> (u64, u64) {
    (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap())
}

/// The 1-based line and column of `needle` on the first line that starts with `row`.
fn at_in(text: &str, row: &str, needle: &str) -> (u64, u64) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(row))
        .unwrap();
    let col = line[..line.find(needle).unwrap()].chars().count() + 1;
    (i as u64 + 1, col as u64)
}

/// The one finding of a check on the report, which must point at `needle`.
fn one_at(check: &str, report: &str, needle: &str) -> Value {
    let f = findings(&rule(check), report);
    assert_eq!(f.len(), 1, "{check}: {f:#?}");
    assert_eq!(pos(&f[0]), at(report, needle), "{check}: {:#}", f[0]);
    f[0].clone()
}

const SENTENCE: &str = "全年发生政府信息公开行政复议5件、行政诉讼6件。";

#[test]
fn a_pattern_that_matched_points_at_its_sentence() {
    let f = one_at(
        "not matches(正文.总体情况, \"行政诉讼\\d+件\")",
        REPORT,
        SENTENCE,
    );
    assert_eq!(f["cells"][0]["value"], SENTENCE);
    assert_eq!(pos(&f["cells"][0]), at(REPORT, SENTENCE));
}

#[test]
fn a_pattern_that_did_not_match_points_at_the_field_it_read() {
    let f = one_at(
        "matches(正文.问题改进, \"改进措施\")",
        REPORT,
        "一是主动公开",
    );
    assert_eq!(f["cells"][0]["path"], "正文.问题改进");
    assert_eq!(pos(&f["cells"][0]), at(REPORT, "一是主动公开"));
}

#[test]
fn text_bound_by_let_is_located_like_the_field() {
    one_at(
        "let t = 正文.总体情况 in not matches(t, \"行政诉讼\\d+件\")",
        REPORT,
        SENTENCE,
    );
    one_at(
        "let t = 正文.问题改进 in matches(t, \"改进措施\")",
        REPORT,
        "一是主动公开",
    );
}

#[test]
fn a_number_captured_from_prose_points_at_its_sentence() {
    let f = one_at(
        "capture(正文.总体情况, \"行政诉讼(\\d+)件\") == 复议诉讼.未经复议直接起诉.总计 + 复议诉讼.复议后起诉.总计 + 1",
        REPORT,
        SENTENCE,
    );
    let paths: Vec<&str> = f["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"正文.总体情况"), "{paths:?}");
    // Bound by `let` first, the same.
    one_at(
        "let n = capture(正文.总体情况, \"行政诉讼(\\d+)件\") in n > 6",
        REPORT,
        SENTENCE,
    );
}

#[test]
fn a_text_field_compared_points_at_the_field() {
    let f = one_at(
        "机关 == \"示例市自然资源局\"",
        REPORT,
        "示例市自然资源和规划局",
    );
    assert_eq!(f["cells"][0]["path"], "机关");
    one_at(
        "let name = 机关 in name != \"示例市自然资源和规划局\"",
        REPORT,
        "示例市自然资源和规划局",
    );
    one_at(
        "matches(机关, \"(人民政府|办公室)$\")",
        REPORT,
        "示例市自然资源和规划局",
    );
}

#[test]
fn division_by_zero_points_at_the_divisor() {
    let report = REPORT.replace(
        "行政复议:         {结果维持: 3, 结果纠正: 1, 其他结果: 0, 尚未审结: 1, 总计: 5}",
        "行政复议:         {结果维持: 0, 结果纠正: 0, 其他结果: 0, 尚未审结: 0, 总计: 0}",
    );
    let check = |check: &str, needle: &str| {
        let f = findings(&rule(check), &report);
        assert_eq!(f.len(), 1, "{check}: {f:#?}");
        let want = at_in(&report, "行政复议:", needle);
        assert_eq!(
            pos(&f[0]),
            (want.0, want.1 + needle.chars().count() as u64),
            "{check}: {:#}",
            f[0]
        );
    };
    check(
        "复议诉讼.行政复议.结果纠正 / 复议诉讼.行政复议.总计 <= 0.2",
        "总计: ",
    );
    // Through a `let`, and when the divisor is a sum (its first cell).
    check(
        "let rate = 申请.新收.总计 / (复议诉讼.行政复议.结果维持 + 复议诉讼.行政复议.结果纠正) in rate > 1",
        "结果维持: ",
    );
}

#[test]
fn overflow_points_at_the_numbers_that_overflowed() {
    let max = "79228162514264337593543950335";
    let report = REPORT.replace(
        "新收:      {自然人: 235,",
        &format!("新收:      {{自然人: {max},"),
    );
    one_at("申请.新收.自然人 * 2 > 0", &report, max);
}
