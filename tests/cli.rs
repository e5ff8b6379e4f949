//! The real binary over a directory of good, bad and broken reports.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A scratch directory holding `reports/` with the fixtures, a GBK file and a hidden one.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join(".hidden")).unwrap();
    for name in ["good.yaml", "bad.yaml", "broken.yaml", "empty.yaml"] {
        std::fs::copy(
            Path::new("tests/fixtures/lint").join(name),
            reports.join(name),
        )
        .unwrap();
    }
    let (gbk, _, _) = encoding_rs::GBK.encode("机关: 某局\n年度: 2021\n格式: 2021\n");
    std::fs::write(reports.join("gbk.yaml"), gbk).unwrap();
    std::fs::write(reports.join(".hidden/skipped.yaml"), "not: [valid").unwrap();
    std::fs::write(reports.join("notes.txt"), "not a report").unwrap();
    dir
}

fn gouji(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("gouji").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// One field of every finding, in order.
fn each<'d>(doc: &'d Value, field: &str) -> Vec<&'d str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[field].as_str().unwrap())
        .collect()
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = gouji(dir)
        .args(["lint", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    (out.status.code().unwrap(), value)
}

#[test]
fn every_file_is_reported_and_errors_exit_1() {
    let dir = workspace();
    let (code, doc) = json(dir.path(), &["reports"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], 1);
    let summary = &doc["summary"];
    assert_eq!(
        summary["files"], 5,
        "hidden and non-YAML files are skipped: {summary}"
    );
    assert_eq!(summary["unreadable"], 3);
    let findings = doc["findings"].as_array().unwrap();
    let rules: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["rule"].as_str().unwrap()))
        .collect();
    // Sorted by path, then by position; every file that has a problem is there.
    assert_eq!(
        rules,
        [
            ("reports/bad.yaml", "structure/split-row"),
            ("reports/bad.yaml", "prose/none-received"),
            // The report's repair plan, at the cell it changes (43:84).
            ("reports/bad.yaml", "repair/plan"),
            ("reports/bad.yaml", "table3/row-total"),
            ("reports/bad.yaml", "table3/result-total"),
            ("reports/bad.yaml", "prose/no-review"),
            ("reports/bad.yaml", "prose/no-litigation"),
            ("reports/broken.yaml", "load/syntax"),
            ("reports/empty.yaml", "load/empty"),
            ("reports/gbk.yaml", "load/encoding"),
        ]
    );
    let plan = &findings[2];
    assert_eq!(plan["severity"], "info");
    assert_eq!(plan["plan"]["status"], "unique");
    assert_eq!(plan["plan"]["plans"][0][0]["to"], "182");
    let row = &findings[3];
    assert_eq!(row["severity"], "error");
    assert_eq!(row["message"], "「三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息」：各类申请人之和为 171 + 11 = 182，但总计为 183");
    assert_eq!(
        (row["line"].as_u64(), row["column"].as_u64()),
        (Some(43), Some(84))
    );
    assert_eq!(row["fix"]["from"], "183");
    assert_eq!(row["fix"]["to"], "182");
    assert_eq!(
        row["fix"]["resolves"],
        serde_json::json!(["table3/row-total", "table3/result-total"])
    );
    let cells: Vec<&str> = row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(cells, ["171", "11", "0", "0", "0", "0", "183"]);
    let gbk = &findings[9];
    assert!(gbk["message"].as_str().unwrap().contains("GBK"), "{gbk}");
    assert_eq!(
        (gbk["line"].as_u64(), gbk["column"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn a_clean_report_exits_0_and_warnings_only_fail_with_deny() {
    let dir = workspace();
    let (code, doc) = json(dir.path(), &["reports/good.yaml"]);
    assert_eq!((code, doc["findings"].as_array().unwrap().len()), (0, 0));
    let (code, _) = json(dir.path(), &["reports/bad.yaml", "--select", "prose"]);
    assert_eq!(code, 0, "only warnings selected");
    let (code, _) = json(
        dir.path(),
        &[
            "reports/bad.yaml",
            "--select",
            "prose",
            "--deny",
            "warnings",
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn sarif_is_valid_2_1_0_with_locations() {
    let dir = workspace();
    let out = gouji(dir.path())
        .args(["lint", "--format", "sarif", "reports/bad.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "gouji");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 7, "six findings and the repair plan");
    let plan = results
        .iter()
        .find(|r| r["ruleId"] == "repair/plan")
        .unwrap();
    assert_eq!(plan["level"], "note");
    assert_eq!(
        plan["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "182"
    );
    let row = results
        .iter()
        .find(|r| r["ruleId"] == "table3/row-total")
        .unwrap();
    assert_eq!(row["level"], "error");
    let region = &row["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(43), Some(84))
    );
    assert_eq!(
        row["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"],
        "182"
    );
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"table3/row-total") && ids.contains(&"structure/split-row"));
    // Every id gouji can emit is listed, load errors included, each with a help text.
    assert!(
        ids.contains(&"load/syntax") && ids.contains(&"load/encoding"),
        "{ids:?}"
    );
    for r in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(
            r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{r}"
        );
    }
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

#[test]
fn github_annotations() {
    let dir = workspace();
    let out = gouji(dir.path())
        .args([
            "lint",
            "--format",
            "github",
            "reports/bad.yaml",
            "--select",
            "table3",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("::error file=reports/bad.yaml,line=43,col=84,endLine=43,endColumn=87,title=table3/row-total "), "{}", lines[0]);
}

#[test]
fn human_output() {
    let dir = workspace();
    let out = gouji(dir.path())
        .args([
            "lint",
            "reports/bad.yaml",
            "reports/broken.yaml",
            "--select",
            "table3,load",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(
        "human_bad_and_broken",
        String::from_utf8(out.stdout).unwrap()
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The statistics first, then the summary line.
    assert!(stderr.starts_with("按规则：\n"), "{stderr}");
    assert!(
        stderr.contains("\n  table3/row-total  表三各行："),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n2 个文件，3 个错误，0 个警告，1 个无法读取，用时 "),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("\n2 个文件：1 个已完整检查，1 个无法完整检查\n"),
        "{stderr}"
    );
    // The same totals in English.
    let out = gouji(dir.path())
        .args(["lint", "reports/bad.yaml", "reports/broken.yaml"])
        .args(["--select", "table3,load", "--lang", "en", "-q"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("\n2 files, 3 errors, 0 warnings, 1 unreadable in "),
        "{stderr}"
    );
}

#[test]
fn inline_suppression_and_baseline() {
    let dir = workspace();
    let bad = dir.path().join("reports/bad.yaml");
    let text = std::fs::read_to_string(&bad).unwrap().replace(
        "总计: 183}",
        "总计: 183}  # gouji: ignore[table3/row-total] 原文如此",
    );
    std::fs::write(&bad, text).unwrap();
    let (_, doc) = json(dir.path(), &["reports/bad.yaml", "--select", "table3"]);
    let rules = each(&doc, "rule");
    assert_eq!(rules, ["table3/result-total"]);

    // A baseline keeps accepted findings quiet, even after lines move.
    let (code, _) = json(
        dir.path(),
        &["reports", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code, 1);
    let moved = format!("# 新增一行注释\n{}", std::fs::read_to_string(&bad).unwrap());
    std::fs::write(&bad, moved).unwrap();
    let (code, doc) = json(dir.path(), &["reports", "--baseline", "baseline.json"]);
    assert!(doc["summary"]["suppressed"].as_u64().unwrap() >= 5, "{doc}");
    // Reports that could not be read are never accepted: they still fail the run.
    assert_eq!(code, 1, "{doc}");
    let rules = each(&doc, "rule");
    assert_eq!(rules, ["load/syntax", "load/empty", "load/encoding"]);
    assert_eq!(doc["summary"]["not_fully_checked"], 3);

    // Entries record the values: a finding whose values changed is new, and the entry
    // that no longer matches is reported.
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(baseline.contains("\"version\": 2"), "{baseline}");
    assert!(baseline.contains("\"183\""), "{baseline}");
    let worse = std::fs::read_to_string(&bad)
        .unwrap()
        .replace("总计: 183}", "总计: 184}");
    std::fs::write(&bad, worse).unwrap();
    let (code, doc) = json(
        dir.path(),
        &["reports/bad.yaml", "--baseline", "baseline.json"],
    );
    assert_eq!(code, 1, "{doc}");
    let messages = each(&doc, "message");
    let rules = each(&doc, "rule");
    assert!(rules.contains(&"table3/result-total"), "{doc}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("matched nothing") && m.contains("= 183")),
        "{doc}"
    );
}

/// Baselines written before values were recorded (version 1) are still read.
#[test]
fn version_1_baselines_are_read() {
    let dir = workspace();
    std::fs::write(
        dir.path().join("old.json"),
        r#"{"version": 1, "findings": [
  {"file": "reports/bad.yaml", "rule": "table3/row-total", "cells": ["申请.办理结果.无法提供.不掌握.其他", "申请.办理结果.无法提供.不掌握.商业企业", "申请.办理结果.无法提供.不掌握.总计", "申请.办理结果.无法提供.不掌握.法律服务机构", "申请.办理结果.无法提供.不掌握.社会公益组织", "申请.办理结果.无法提供.不掌握.科研机构", "申请.办理结果.无法提供.不掌握.自然人"]},
  {"file": "reports/bad.yaml", "rule": "table3/no-such-rule", "cells": ["申请.新收.总计"]}
]}
"#,
    )
    .unwrap();
    let (_, doc) = json(
        dir.path(),
        &[
            "reports/bad.yaml",
            "--select",
            "table3",
            "--baseline",
            "old.json",
        ],
    );
    let rules = each(&doc, "rule");
    assert_eq!(
        rules,
        ["suppress/unknown-rule", "table3/result-total"],
        "{doc}"
    );
    assert_eq!(doc["summary"]["suppressed"], 1);
}

/// A baseline gouji cannot use stops the run (exit 2) with a message naming the file, in
/// Chinese by default and in English with `--lang en`.
#[test]
fn unusable_baselines_are_named_in_the_users_language() {
    let dir = workspace();
    std::fs::write(dir.path().join("other.json"), "{\"rules\": []}").unwrap();
    std::fs::write(
        dir.path().join("newer.json"),
        "{\"version\": 99, \"findings\": []}",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = gouji(dir.path()).arg("lint").args(args).output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, err) = run(&["reports/bad.yaml", "--baseline", "absent.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("无法读取基线文件 absent.json："), "{err}");
    let (code, err) = run(&["reports/bad.yaml", "--baseline", "other.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("other.json 不是 gouji 的基线文件："), "{err}");
    let (code, err) = run(&["reports/bad.yaml", "--baseline", "newer.json"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("基线文件 newer.json 是第 99 版，本版 gouji 只能读取第 2 版及以前的基线"),
        "{err}"
    );
    let (_, err) = run(&[
        "--lang",
        "en",
        "reports/bad.yaml",
        "--baseline",
        "newer.json",
    ]);
    assert!(
        err.contains("baseline newer.json is version 99; this gouji reads versions up to 2"),
        "{err}"
    );
}

/// Issue 9: an ignore cannot over-reach. A bare ignore is refused, naming its line; an
/// ignore naming an unknown rule, or silencing nothing, is reported; one aimed at a finding
/// that stops the check does not silence it.
#[test]
fn ignores_that_over_reach_are_refused_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string("tests/fixtures/suppress/over-reaching-ignores.yaml").unwrap();
    std::fs::write(dir.path().join("r.yaml"), text).unwrap();
    let (code, doc) = json(dir.path(), &["r.yaml"]);
    assert_eq!(code, 1, "{doc}");
    let lines: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let r = f["rule"].as_str().unwrap();
            !r.starts_with("prose/") && r != "structure/split-row"
        })
        .map(|f| {
            format!(
                "{}:{} {} {}: {}",
                f["line"],
                f["column"],
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn stdin_and_config_file() {
    let dir = workspace();
    let bad = std::fs::read(dir.path().join("reports/bad.yaml")).unwrap();
    let out = gouji(dir.path())
        .args(["lint", "--format", "json", "-"])
        .write_stdin(bad)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["file"], "<stdin>");
    assert_eq!(out.status.code(), Some(1));

    std::fs::write(
        dir.path().join("gouji.toml"),
        "ignore = [\"prose\"]\n[severity]\n\"table3\" = \"warning\"\n",
    )
    .unwrap();
    let (code, doc) = json(dir.path(), &["reports/bad.yaml"]);
    assert_eq!(code, 0, "table3 demoted to warnings by gouji.toml");
    let sev = each(&doc, "severity");
    assert_eq!(sev, ["warning", "warning", "warning"]);
}

#[test]
fn usage_and_rule_file_errors_exit_2() {
    let dir = workspace();
    let out = gouji(dir.path())
        .args(["lint", "no-such-dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    std::fs::write(dir.path().join("bad.gouji"), "rule x {\n  title \"t\"\n  severity error\n  formats 2019\n  why \"w\"\n  check 申请.新收x.总计 == 0\n}\n").unwrap();
    let out = gouji(dir.path())
        .args(["lint", "--rules", "bad.gouji", "reports/good.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.gouji:6:"), "{stderr}");
    assert!(stderr.contains("是不是 `新收`？"), "{stderr}");
    let out = gouji(dir.path())
        .args(["lint", "--select", "nosuchrule", "reports"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_test_schema_completions_and_man() {
    let dir = workspace();
    let out = gouji(dir.path()).args(["rules"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("table3/row-total") && l.contains("error")),
        "{text}"
    );
    let out = gouji(dir.path())
        .args(["rules", "table3/row-total"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("fail { 申请.办理结果.无法提供.不掌握.总计 = 183 }"));
    // A misspelt rule id: exit 2, in Chinese, with the rule it probably meant.
    let out = gouji(dir.path())
        .args(["rules", "table3/row-totl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("没有规则 `table3/row-totl`；是否应为 `table3/row-total`？"));
    let out = gouji(dir.path()).args(["test"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .ends_with("0 个未通过"));
    let out = gouji(dir.path()).args(["schema", "2021"]).output().unwrap();
    let schema: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        // A group of rows: the template's rows, or (kept with a warning) one merged row.
        schema["properties"]["申请"]["properties"]["办理结果"]["anyOf"][0]["properties"]
            ["其他处理"]["anyOf"][0]["properties"]["逾期未缴费"]
            .is_object()
    );
    for args in [&["completions", "bash"][..], &["man"][..]] {
        let out = gouji(dir.path()).args(args).output().unwrap();
        assert!(out.status.success() && out.stdout.len() > 500);
    }
}

/// `gouji completions bash | head -1`: a reader that closes the pipe early is not an error and
/// never a panic (clap_complete panicked writing to a closed stdout).
#[test]
fn a_closed_pipe_is_not_a_crash() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = workspace();
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"][..],
        &["man"][..],
        &["schema", "2021"][..],
    ] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"))
            .current_dir(dir.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read nothing and close our end at once, as `| head -0` would.
        drop(child.stdout.take());
        let status = child.wait().unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[test]
fn the_imported_seed_gives_the_same_two_errors_as_the_typed_example() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::canonicalize("tests/fixtures/import/seed-chaoyang-2020.txt").unwrap();
    let out = gouji(dir.path())
        .args(["import"])
        .arg(&seed)
        .args(["-o", "seed.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors = |args: &[&str]| {
        let (_, doc) = json(dir.path(), args);
        let mut v: Vec<(String, String)> = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let example = std::fs::canonicalize("examples/chaoyang-2020.yaml").unwrap();
    let imported = errors(&["seed.yaml"]);
    assert_eq!(imported.len(), 2);
    assert_eq!(imported, errors(&[example.to_str().unwrap()]));
}

/// `reports/2020.yaml` (the seed) and the same body's 2021 report, which does not carry
/// over what the seed left; the 2021 text is returned too.
fn carry_over_pair() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::copy("examples/chaoyang-2020.yaml", reports.join("2020.yaml")).unwrap();
    let this_year = std::fs::read_to_string("examples/balanced-2021.yaml")
        .unwrap()
        .replace(
            "机关: 示例市自然资源和规划局",
            "机关: 北京市朝阳区政务服务管理局",
        )
        .replace("年度: 2023", "年度: 2021");
    std::fs::write(reports.join("2021.yaml"), &this_year).unwrap();
    // Another body's report of 2020 must not be paired with it.
    std::fs::write(
        reports.join("other.yaml"),
        std::fs::read_to_string("examples/chaoyang-2020.yaml")
            .unwrap()
            .replace("北京市朝阳区政务服务管理局", "另一机关"),
    )
    .unwrap();
    (dir, this_year)
}

#[test]
fn carry_over_is_checked_against_last_years_report_of_the_same_body() {
    let (dir, _) = carry_over_pair();
    let (_, doc) = json(dir.path(), &["reports", "--select", "cross-year"]);
    let found: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["file"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "reports/2021.yaml",
                "「自然人」列：本年上年结转为 10，但上年报告结转下年度继续办理为 33"
            ),
            (
                "reports/2021.yaml",
                "「商业企业」列：本年上年结转为 2，但上年报告结转下年度继续办理为 1"
            ),
            (
                "reports/2021.yaml",
                "「法律服务机构」列：本年上年结转为 1，但上年报告结转下年度继续办理为 0"
            ),
            (
                "reports/2021.yaml",
                "「总计」列：本年上年结转为 13，但上年报告结转下年度继续办理为 34"
            ),
        ]
    );
}

#[test]
fn any_tabular_yaml_with_its_own_schema_and_rules() {
    // The peers' benchmark shape: a list of {类别, 数量} under 办理结果.明细.
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(".").unwrap();
    let schema = root.join("benches/peer/schema.yaml");
    let rules = root.join("benches/peer/rules.gouji");
    let out = gouji(dir.path())
        .args(["test", "--schema"])
        .arg(&schema)
        .arg(&rules)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = "单位: 测试单位\n年度: 2023\n申请:\n  新收: 10\n  上年结转: 2\n办理结果:\n  总计: 11\n  明细:\n    - 类别: 予以公开\n      数量: 4\n    - 类别: 部分公开\n      数量: 5\n  合计: 10\n结转下年度: 1\n";
    std::fs::write(dir.path().join("r.yaml"), report).unwrap();
    let out = gouji(dir.path())
        .args(["lint", "--format", "json", "--no-default-rules", "--schema"])
        .arg(&schema)
        .arg("--rules")
        .arg(&rules)
        .arg("r.yaml")
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &doc["findings"].as_array().unwrap()[..];
    assert_eq!(f.len(), 1, "{doc}");
    assert_eq!(f[0]["rule"], "peer/table-total");
    assert_eq!(f[0]["message"], "明细各项数量之和为 4 + 5 = 9，但合计为 10");
}

#[test]
fn messages_in_chinese_by_default_and_english_with_lang_en() {
    let ws = workspace();
    let message = |args: &[&str], env: Option<&str>| {
        let mut cmd = gouji(ws.path());
        cmd.env_remove("GOUJI_LANG");
        if let Some(lang) = env {
            cmd.env("GOUJI_LANG", lang);
        }
        let out = cmd
            .args(["lint", "--format", "json", "reports/empty.yaml"])
            .args(args)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = &v["findings"][0];
        (f["title"].to_string(), f["message"].to_string())
    };
    let zh = (
        "\"文件为空\"".to_string(),
        "\"文件为空：其中没有报告\"".to_string(),
    );
    let en = (
        "\"the file is empty\"".to_string(),
        "\"the file is empty: there is no report in it\"".to_string(),
    );
    assert_eq!(message(&[], None), zh);
    assert_eq!(message(&["--lang", "en"], None), en);
    assert_eq!(message(&[], Some("en_US.UTF-8")), en);
    assert_eq!(message(&["--lang", "zh"], Some("en")), zh, "the flag wins");
}

/// The JSON of a folder, byte for byte (only the elapsed time is masked): the writer may
/// change, the output may not.
#[test]
fn json_output_of_a_folder_is_stable() {
    let dir = workspace();
    let out = gouji(dir.path())
        .args(["lint", "--format", "json", "reports"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    insta::with_settings!({filters => vec![(r#""elapsed_ms":\d+"#, r#""elapsed_ms":[ms]"#)]}, {
        insta::assert_snapshot!(text);
    });
}

/// Human output of a folder where every report fails, byte for byte: the seed with cells
/// jittered, one with its prose sentence and a table row pushed far right on their lines
/// (clipped), and a file that does not parse. The renderer may get faster; its output may
/// not change.
#[test]
fn human_output_of_a_failing_folder_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    let bad = std::fs::read_to_string("tests/fixtures/lint/bad.yaml").unwrap();
    let jittered = bad
        .replacen(
            "内部事务:        {自然人: 5,",
            "内部事务:        {自然人: 7,",
            1,
        )
        .replacen(
            "复议后起诉:       {结果维持: 7,",
            "复议后起诉:       {结果维持: 5,",
            1,
        );
    assert_ne!(jittered, bad);
    let sentence = "受理向区政务服务管理局提出的政府信息公开申请0件";
    let at = bad.find(sentence).unwrap();
    let long = format!(
        "{}{}{}",
        &bad[..at],
        "本年度工作稳步推进，".repeat(3_000),
        &bad[at..]
    )
    .replacen(
        "新收:      {自然人: 255",
        &format!("新收:{}{{自然人: 255", " ".repeat(5_000)),
        1,
    );
    for (name, text) in [
        ("a-seed.yaml", bad.as_str()),
        ("b-jittered.yaml", &jittered),
        ("c-long-lines.yaml", &long),
    ] {
        std::fs::write(reports.join(name), text).unwrap();
    }
    std::fs::copy(
        "tests/fixtures/lint/broken.yaml",
        reports.join("d-broken.yaml"),
    )
    .unwrap();
    let out = gouji(dir.path())
        .args(["lint", "--no-progress", "reports"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn stdin_filename_checks_the_text_as_the_file_at_that_path() {
    let (dir, this_year) = carry_over_pair();
    let reports = dir.path().join("reports");
    std::fs::remove_file(reports.join("2021.yaml")).unwrap();
    // A configuration only the named path reaches (the working directory has none).
    std::fs::write(
        reports.join("gouji.toml"),
        "select = [\"cross-year\"]\n[severity]\n\"cross-year\" = \"warning\"\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let out = gouji(dir.path())
            .args([
                "lint",
                "--format",
                "json",
                "--stdin-filename",
                "reports/2021.yaml",
            ])
            .args(extra)
            .write_stdin(this_year.clone())
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code().unwrap(), doc)
    };
    let (code, doc) = run(&["--write-baseline", "accepted.json"]);
    let findings = doc["findings"].as_array().unwrap();
    // Last year's report was found beside the path; the config there applied.
    assert_eq!(findings.len(), 4, "{doc:#}");
    for f in findings {
        assert_eq!(f["file"], "reports/2021.yaml");
        assert_eq!(f["rule"], "cross-year/carry-over");
        assert_eq!(f["severity"], "warning");
    }
    assert_eq!(code, 0, "warnings only");
    // The baseline names the path, and quiets the same findings next time.
    let baseline = std::fs::read_to_string(dir.path().join("accepted.json")).unwrap();
    assert!(baseline.contains("reports/2021.yaml"), "{baseline}");
    let (_, doc) = run(&["--baseline", "accepted.json"]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    assert_eq!(doc["summary"]["suppressed"], 4);
    // `-` may be given explicitly; without the flag, no prior and no config are found.
    let (_, doc) = run(&["-"]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 4);
    let out = gouji(dir.path())
        .args(["lint", "--format", "json", "-"])
        .write_stdin(this_year.clone())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["file"] == "<stdin>" && f["rule"] != "cross-year/carry-over"));
}

/// Issue 9: a report gouji cannot fully check is an error, never a pass. Each fixture is a
/// report whose sums are broken but that passed silently before; each must exit 1 with a
/// finding that names the cause, and count as not fully checked.
#[test]
fn uncheckable_reports_fail_naming_the_cause() {
    let cases = [
        (
            "full-width-colon.yaml",
            "structure/look-alike-key",
            "`总计：183`",
            "全角冒号",
        ),
        (
            "traditional.yaml",
            "structure/look-alike-key",
            "`總計`",
            "繁体字",
        ),
        (
            "zero-width.yaml",
            "structure/look-alike-key",
            "`总\\u{200B}计`",
            "不可见字符 U+200B",
        ),
        (
            "no-break-space.yaml",
            "structure/look-alike-key",
            "`总计\\u{00A0}`",
            "U+00A0",
        ),
        (
            "kangxi.yaml",
            "structure/look-alike-key",
            "`⾃然人`",
            "康熙部首",
        ),
        ("bom-inside.yaml", "load/encoding", "第 27 行第 1 列", "BOM"),
        (
            "too-many-places.yaml",
            "structure/not-a-number",
            "79.15000000000000000000000000001",
            "无法精确表示",
        ),
        (
            "missing-column.yaml",
            "structure/missing",
            "「1.本机关不掌握相关政府信息」",
            "总计",
        ),
        (
            "only-format.yaml",
            "structure/missing",
            "三、收到和处理政府信息公开申请情况",
            "核对无法进行",
        ),
        (
            "incomplete.yaml",
            "import/incomplete",
            "导入不完整",
            "# 问题:",
        ),
    ];
    let mut lines = Vec::new();
    for (file, rule, names, cause) in cases {
        let path = format!("tests/fixtures/uncheckable/{file}");
        let (code, doc) = json(Path::new("."), &[&path]);
        assert_eq!(code, 1, "{file}: {doc}");
        assert_eq!(doc["summary"]["fully_checked"], 0, "{file}");
        assert_eq!(doc["summary"]["not_fully_checked"], 1, "{file}");
        let findings = doc["findings"].as_array().unwrap();
        let f = findings
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{file}: no {rule} in {doc}"));
        assert_eq!(f["severity"], "error", "{file}");
        let message = f["message"].as_str().unwrap();
        assert!(
            message.contains(names) && message.contains(cause),
            "{file}: {message}"
        );
        for f in findings.iter().filter(|f| f["severity"] == "error") {
            lines.push(format!(
                "{file}:{}:{} {}: {}",
                f["line"],
                f["column"],
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            ));
        }
    }
    insta::assert_snapshot!(lines.join("\n"));
    // A report that balances is fully checked.
    let (code, doc) = json(Path::new("."), &["tests/fixtures/lint/good.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(doc["summary"]["fully_checked"], 1);
    assert_eq!(doc["summary"]["not_fully_checked"], 0);
}

/// Configuration cannot turn an uncheckable report into a pass: the findings that stop a
/// check stay errors through `--ignore`, `[severity]` and `--select`.
#[test]
fn configuration_cannot_hide_what_stops_a_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/fixtures/uncheckable/traditional.yaml",
        dir.path().join("t.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("gouji.toml"),
        "[severity]\n\"structure\" = \"warning\"\n",
    )
    .unwrap();
    for args in [
        &["t.yaml", "--ignore", "structure"][..],
        &["t.yaml", "--select", "table3"][..],
        &["t.yaml"][..],
    ] {
        let (code, doc) = json(dir.path(), args);
        assert_eq!(code, 1, "{args:?}: {doc}");
        let kept = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "structure/look-alike-key" && f["severity"] == "error");
        assert!(kept, "{args:?}: {doc}");
    }
}

/// Issue 9 item 2: a lone CR and mixed line ends are line breaks everywhere positions are
/// computed, so every finding sits on its own line and an ignore silences only its line.
#[test]
fn cr_only_and_mixed_line_ends_keep_every_line() {
    let (_, plain) = json(Path::new("."), &["examples/chaoyang-2020.yaml"]);
    let places = |doc: &Value| -> Vec<(String, u64, u64)> {
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] != "suppress/unused")
            .map(|f| {
                let rule = f["rule"].as_str().unwrap().to_string();
                (
                    rule,
                    f["line"].as_u64().unwrap(),
                    f["column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    for file in ["cr-only.yaml", "mixed.yaml"] {
        let (code, doc) = json(
            Path::new("."),
            &[&format!("tests/fixtures/line-ends/{file}")],
        );
        assert_eq!(
            code, 1,
            "{file}: the ignore on line 4 must not silence line 43"
        );
        assert_eq!(places(&doc), places(&plain), "{file}");
        let unused = &doc["findings"][0];
        assert_eq!(unused["rule"], "suppress/unused", "{file}");
        assert_eq!(
            (unused["line"].as_u64(), unused["column"].as_u64()),
            (Some(4), Some(20))
        );
    }
}
