//! Every format over one folder of generated reports with injected errors: each says the
//! same findings — the statistics' counts equal the JSON's, concise has one line per
//! finding, CSV (read with Python's csv module) one row per finding.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Std;

use assert_cmd::Command;
use serde_json::Value;

fn generate(dir: &Path, n: usize) {
    let out = Std::new("python3")
        .args(["benches/gen.py", &n.to_string()])
        .arg(dir)
        .args(["--error-share", "0.5"])
        .output()
        .expect("python3 runs benches/gen.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn lint(args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["lint", "--no-progress"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_format_counts_the_same_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    generate(&dir, 40);
    let dir = dir.to_str().unwrap();

    let (json, _) = lint(&["--format", "json", dir]);
    let json: Value = serde_json::from_str(&json).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(
        findings.len() >= 20,
        "injected errors are found: {}",
        findings.len()
    );
    let mut by_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for f in findings {
        let c = by_rule
            .entry(f["rule"].as_str().unwrap().into())
            .or_default();
        match f["severity"].as_str().unwrap() {
            "error" => c.0 += 1,
            "warning" => c.1 += 1,
            _ => {}
        }
    }

    // Concise: one line per finding, each `path:line:col: severity rule message`.
    let (concise, _) = lint(&["--format", "concise", dir]);
    let lines: Vec<&str> = concise.lines().collect();
    assert_eq!(lines.len(), findings.len());
    for (line, f) in lines.iter().zip(findings) {
        let head = format!(
            "{}:{}:{}: {} {} ",
            f["file"].as_str().unwrap(),
            f["line"],
            f["column"],
            f["severity"].as_str().unwrap(),
            f["rule"].as_str().unwrap()
        );
        assert!(line.starts_with(&head), "{line}\n{head}");
    }

    // CSV, read by Python's csv module: a BOM, a header, one row per finding.
    let csv_path = tmp.path().join("findings.csv");
    lint(&["--format", "csv", "-o", csv_path.to_str().unwrap(), dir]);
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let py = Std::new("python3")
        .args([
            "-c",
            "import csv,sys,json; r=list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''))); \
             print(json.dumps({'header': r[0], 'rows': [[x[0], x[6], x[5]] for x in r[1:]]}))",
        ])
        .arg(&csv_path)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let read: Value = serde_json::from_slice(&py.stdout).unwrap();
    assert_eq!(read["header"][0], "文件");
    let rows = read["rows"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len());
    for (row, f) in rows.iter().zip(findings) {
        assert_eq!(row[0], f["file"]);
        assert_eq!(row[1], f["rule"]);
        assert_eq!(row[2], f["severity"]);
    }

    // --statistics: nothing on stdout; on stderr, by rule, the JSON's counts.
    let (out, err) = lint(&["--statistics", "--lang", "en", dir]);
    assert_eq!(out, "");
    for (rule, (errors, warnings)) in &by_rule {
        let line = err
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{rule} ")))
            .unwrap_or_else(|| panic!("{rule} missing:\n{err}"));
        assert!(
            line.ends_with(&format!(": {errors} errors, {warnings} warnings")),
            "{line}: JSON has {errors} errors, {warnings} warnings"
        );
    }
    let total: usize = by_rule.values().map(|c| c.0).sum();
    assert_eq!(json["summary"]["errors"], total);
    // By agency and year: every generated report is counted once.
    let files: usize = err
        .lines()
        .skip_while(|l| !l.starts_with("By agency and year:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let at = l.rfind(": ").unwrap();
            l[at + 2..]
                .split(' ')
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(files, 40, "{err}");
}

#[test]
fn no_report_in_the_given_paths_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "not a report").unwrap();
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .args(["lint", "--lang", "en"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no report (*.yaml, *.yml) in"));
}

#[test]
fn the_configuration_used_is_named_on_stderr() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("gouji.toml"), "ignore = [\"prose\"]\n").unwrap();
    let sub = tmp.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy("tests/fixtures/lint/good.yaml", sub.join("good.yaml")).unwrap();
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .current_dir(&sub)
        .args(["lint", "--lang", "en", "--format", "json", "."])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let named = tmp.path().join("gouji.toml");
    assert!(
        err.contains(&format!("using configuration {}", named.display())),
        "{err}"
    );
}
