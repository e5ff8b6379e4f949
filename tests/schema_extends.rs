//! Issue 14: a schema of one's own that extends a national format keeps the built-in rules,
//! and a report no loaded rule applies to is never a silent pass.

use std::path::Path;
use std::sync::Arc;

use assert_cmd::Command;
use gouji::schema::{Registry, SKind, Schema};
use gouji::source::Source;
use serde_json::Value;

const OWN: &str = "tests/fixtures/schema/own-2021.yaml";
const S2021: &str = include_str!("../rules/formats/2021.sample.yaml");

fn parse(text: &str) -> Result<Schema, String> {
    Schema::parse(Arc::new(Source::new("own.yaml", text)), &|_| None).map_err(|e| e.message)
}

fn lint(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    (out.status.code().unwrap(), v)
}

fn rules_of(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_extension_adds_fields_rows_and_columns_and_keeps_the_name() {
    let own = parse(&std::fs::read_to_string(OWN).unwrap()).unwrap();
    let base = Registry::builtin();
    let base = base.by_name("2021").unwrap();
    assert_eq!(own.name, "2021", "keeps the base's name for rule selection");
    assert_eq!(own.select, base.select);
    assert!(own.title.starts_with("某市"));
    let date = own.child(0, "发布日期").unwrap();
    assert!(matches!(own.node(date).kind, SKind::Scalar { .. }));
    // The new column has a cell in every row, the new row one in every column.
    let table = own.child(0, "申请").unwrap();
    let mut rows = Vec::new();
    own.rows_below(table, &mut rows);
    let mut base_rows = Vec::new();
    base.rows_below(base.child(0, "申请").unwrap(), &mut base_rows);
    assert_eq!(rows.len(), base_rows.len(), "the added row is optional");
    for &r in &rows {
        assert!(own.child(r, "港澳台").is_some(), "{}", own.path(r));
    }
    let sent = own.child(0, "申请").and_then(|t| own.child(t, "办理结果"));
    let sent = sent
        .and_then(|g| own.child(g, "其他处理"))
        .and_then(|g| own.child(g, "转送"))
        .unwrap();
    let SKind::Table { columns } = &base.node(base.child(0, "申请").unwrap()).kind else {
        panic!("申请 is a table")
    };
    assert_eq!(own.node(sent).children.len(), columns.len() + 1);
    assert!(own.slots.len() > base.slots.len() + rows.len() + columns.len());
}

#[test]
fn extension_errors_name_the_problem() {
    let e = parse("extends: 2020\nfields: {}\n").unwrap_err();
    assert!(e.contains("2020") && e.contains("2019、2021"), "{e}");
    let e = parse("extends: 2021\nname: mine\n").unwrap_err();
    assert!(e.contains("name: \"2021\""), "{e}");
    let e = parse("extends: 2021\nfields:\n  机关: {label: 机关, kind: text}\n").unwrap_err();
    assert!(e.starts_with("`机关` 已在所扩展的格式中"), "{e}");
    let e =
        parse("extends: 2021\nfields:\n  申请:\n    table:\n      columns:\n        总计: 总计\n")
            .unwrap_err();
    assert!(e.starts_with("`总计` 已在"), "{e}");
}

/// `gouji import` reads published reports by the built-in formats only, so import data in an
/// extension (a top-level `import:`, or `total`, `relations`, `print`, `headers` on a table of
/// the base) would be ignored: it is refused at its key instead, saying why. Import data on a
/// table the extension adds stays allowed (it is the table's own).
#[test]
fn import_data_in_an_extension_is_refused_at_its_key() {
    gouji::messages::set_lang(gouji::messages::Lang::Zh);
    let load = |text: &str| {
        Schema::parse(Arc::new(Source::new("own.yaml", text)), &|_| None).map_err(|e| {
            let at = e.at.offset();
            (
                e.message,
                text[at..].lines().next().unwrap_or("").to_string(),
            )
        })
    };
    let (e, at) =
        load("extends: 2021\nimport:\n  fingerprints: [本市专用栏目]\nfields: {}\n").unwrap_err();
    assert!(
        e.starts_with("扩展格式不能有 `import`：`gouji import` 只按内置格式 2021 读取"),
        "{e}"
    );
    assert_eq!(at, "import:");
    for (key, value) in [
        ("total", "总计"),
        ("relations", "[{left: [新收], right: [结转]}]"),
        ("print", "{across: true}"),
        ("headers", "表头"),
    ] {
        let (e, at) = load(&format!(
            "extends: 2021\nfields:\n  申请:\n    table:\n      {key}: {value}\n"
        ))
        .unwrap_err();
        assert!(e.starts_with(&format!("扩展格式不能有 `{key}`")), "{e}");
        assert!(at.starts_with(&format!("{key}:")), "{at}");
    }
    // a table of its own keeps its sums
    let own = load(
        "extends: 2021\nfields:\n  本市:\n    label: 本市统计\n    table:\n      total: 合计\n      columns: {件数: 件数, 合计: 合计}\n      rows: {一: 一行}\n",
    )
    .unwrap();
    assert!(own
        .import
        .tables
        .iter()
        .any(|t| t.total.as_deref() == Some("合计")));
    // the CLI: a usage error (exit 2), in English with --lang en
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yaml"), S2021).unwrap();
    std::fs::write(
        dir.path().join("own.yaml"),
        "extends: 2021\nimport: {years: {from: 2020}}\nfields: {}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["--lang", "en", "lint", "--schema", "own.yaml", "r.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a schema that extends 2021 cannot have `import`"),
        "{err}"
    );
}

/// The issue's own test: a broken sum in a report checked with an extending schema.
#[test]
fn lint_with_an_extending_schema_runs_the_builtin_rules() {
    let dir = tempfile::tempdir().unwrap();
    let report = S2021.replacen("新收:      {自然人: 235,", "新收:      {自然人: 236,", 1)
        + "发布日期: 2024年1月28日\n";
    std::fs::write(dir.path().join("r.yaml"), report).unwrap();
    let own = std::fs::canonicalize(OWN).unwrap();
    let (code, doc) = lint(dir.path(), &["--schema", own.to_str().unwrap(), "r.yaml"]);
    assert_eq!(code, 1, "{doc:#}");
    let rules = rules_of(&doc);
    assert!(rules.contains(&"table3/row-total".to_string()), "{rules:?}");
    assert!(
        rules.contains(&"table3/column-balance".to_string()),
        "{rules:?}"
    );
    assert!(
        !rules.iter().any(|r| r.starts_with("structure/")),
        "{rules:?}"
    );
    // The balanced report passes with the same schema.
    std::fs::write(dir.path().join("r.yaml"), S2021).unwrap();
    let (code, doc) = lint(dir.path(), &["--schema", own.to_str().unwrap(), "r.yaml"]);
    assert_eq!(code, 0, "{doc:#}");
}

/// A format of one's own that no rule is written for: a warning naming the format.
#[test]
fn a_format_no_rule_applies_to_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.yaml"),
        "name: mine\nselect: {key: 格式, value: mine}\nfields:\n  格式: {label: 格式, kind: text}\n  件数: {label: 件数, kind: count}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("r.yaml"), "格式: mine\n件数: 3\n").unwrap();
    let (code, doc) = lint(dir.path(), &["--schema", "mine.yaml", "r.yaml"]);
    assert_eq!(code, 0);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "rules/no-rule-applies");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["message"].as_str().unwrap().contains("格式为 mine"),
        "{f}"
    );
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(1), Some(5))
    );
}

/// Every schema in docs/writing-a-schema.md loads.
#[test]
fn the_manuals_schemas_load() {
    let text = std::fs::read_to_string("docs/writing-a-schema.md").unwrap();
    let blocks: Vec<&str> = text
        .split("```yaml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2);
    for b in &blocks {
        parse(b).unwrap_or_else(|e| panic!("{e}\n{b}"));
    }
    // The first is the fixture the CLI test uses.
    let fixture = std::fs::read_to_string(OWN).unwrap();
    let body = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("# A city"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(blocks[0]).trim(), body(&fixture).trim());
}
