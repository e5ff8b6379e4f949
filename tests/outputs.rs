//! Every format over one folder of 1,000 generated reports with injected errors: each says
//! the same findings — the statistics and the JSON summary count what the JSON lists,
//! concise has one line per finding, CSV (read with Python's csv module) and xlsx (read with
//! openpyxl) one row per finding, and the SARIF log validates against the SARIF 2.1.0 schema.
//! The 1,000 reports are checked once, in process, and every format renders that run (as
//! `gouji lint` does, through `lint::run_with`); the command line's own part (`-o`, refusals,
//! languages) is tested on the examples.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::process::Command as Std;
use std::sync::Mutex;

use assert_cmd::Command;
use gouji::render::{Format, Renderer, Report, Run, Settings, Summary};
use serde_json::{json, Value};

#[path = "common/generate.rs"]
mod generate;

/// Debian's Python, which has the modules `.ci/setup` installs (python3-openpyxl,
/// python3-jsonschema), when it is there.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Runs a Python script with arguments; its standard output is JSON.
fn py(script: &str, args: &[&Path]) -> Value {
    let out = Std::new(python())
        .args(["-c", script])
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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

/// Renders one run in several formats at once, each into its own output (each format's
/// report buffers are framed with their length inside the run's one buffer).
struct Tee {
    parts: Vec<Part>,
}

/// A format's renderer and its output.
type Part = (Box<dyn Renderer>, Mutex<Vec<u8>>);

impl Renderer for Tee {
    fn header(&mut self, run: &Run, _out: &mut dyn Write) -> io::Result<()> {
        for (r, out) in &mut self.parts {
            r.header(run, out.get_mut().unwrap())?;
        }
        Ok(())
    }

    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        for (r, _) in &self.parts {
            let mut own = Vec::new();
            r.report(report, &mut own);
            out.extend_from_slice(&(own.len() as u64).to_le_bytes());
            out.extend_from_slice(&own);
        }
    }

    fn write(&self, mut rendered: &[u8], _out: &mut dyn Write) -> io::Result<()> {
        for (r, out) in &self.parts {
            let (len, rest) = rendered.split_at(8);
            let len = u64::from_le_bytes(len.try_into().unwrap()) as usize;
            let (own, rest) = rest.split_at(len);
            r.write(own, &mut *out.lock().unwrap())?;
            rendered = rest;
        }
        Ok(())
    }

    fn footer(&mut self, run: &Run, summary: &Summary, _out: &mut dyn Write) -> io::Result<()> {
        for (r, out) in &mut self.parts {
            r.footer(run, summary, out.get_mut().unwrap())?;
        }
        Ok(())
    }
}

/// Checks the reports below `dir` once with the standard rules, rendered in every format
/// named: the run's summary and each format's output.
fn render_all(dir: &Path, formats: &[&str]) -> (Summary, Vec<Vec<u8>>) {
    let engine = gouji::project::build_engine(&Default::default(), dir).unwrap();
    let inputs = gouji::lint::Inputs::new(&[dir.to_path_buf()]).unwrap();
    let settings = Settings::default();
    let mut tee = Tee {
        parts: formats
            .iter()
            .map(|f| {
                let format = Format::by_name(f).unwrap();
                (format.renderer(&settings), Mutex::new(Vec::new()))
            })
            .collect(),
    };
    let opts = gouji::lint::Options {
        format: Format::by_name("json").unwrap(),
        settings,
        baseline: None,
        write_baseline: None,
        progress: false,
        stdin_filename: None,
    };
    let summary =
        gouji::lint::run_with(&engine, &inputs, &opts, &mut tee, &mut io::sink()).unwrap();
    let outputs = tee
        .parts
        .into_iter()
        .map(|(_, out)| out.into_inner().unwrap())
        .collect();
    (summary, outputs)
}

const XLSX: &str = r#"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
findings, summary, reports = book.worksheets
rows = lambda ws: [list(r) for r in ws.iter_rows(values_only=True)]
f, s, r = rows(findings), rows(summary), rows(reports)
by_rule = s[s.index(['By rule', None, None, None, None]) + 2:]
by_rule = by_rule[:by_rule.index([None] * 5)]
at = [i for i, row in enumerate(s) if row[0] == 'Agency × year: errors'][0]
grid = s[at + 1:]
print(json.dumps({
    'names': book.sheetnames,
    'findings_header': f[0],
    'findings': [[x[0], x[6], x[5], x[3], x[4]] for x in f[1:]],
    'totals': {row[0]: row[1] for row in s[1:7]},
    'by_rule': by_rule,
    'grid_years': [y for y in grid[0][1:] if y is not None],
    'grid': [[x for x in row if x is not None] for row in grid[1:]],
    'reports_header': r[0],
    'reports': r[1:],
}, ensure_ascii=False))
"#;

const SARIF: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding='utf-8'))
log = json.load(open(sys.argv[2], encoding='utf-8'))
V = jsonschema.validators.validator_for(schema)
V.check_schema(schema)
errors = [e.message for e in V(schema, format_checker=V.FORMAT_CHECKER).iter_errors(log)]
# Every URI only of the characters RFC 3986 allows, and decoding to the file's path.
import re, urllib.parse
allowed = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")
uris = [r['locations'][0]['physicalLocation']['artifactLocation']['uri'] for r in log['runs'][0]['results']]
print(json.dumps({'validator': V.__name__, 'errors': errors[:5], 'results': len(uris),
                  'not_uris': [u for u in uris if not allowed.match(u)][:5],
                  'decoded': [urllib.parse.unquote(u) for u in uris]}, ensure_ascii=False))
"#;

#[test]
fn a_thousand_reports_every_format_counts_the_same_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    let made = generate::reports(&dir, 1000, 2024_0501, 0.4);
    // This process speaks English (the command-line tests below speak both).
    gouji::messages::set_lang(gouji::messages::Lang::En);
    let formats = ["json", "concise", "csv", "xlsx", "sarif"];
    let (run, outputs) = render_all(&dir, &formats);
    let output = |format: &str| &outputs[formats.iter().position(|f| *f == format).unwrap()];
    let save = |format: &str| {
        let path = tmp.path().join(format!("findings.{format}"));
        std::fs::write(&path, output(format)).unwrap();
        path
    };

    let json: Value = serde_json::from_slice(output("json")).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let summary = &json["summary"];
    let mut by_rule: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for f in findings {
        let c = by_rule
            .entry(f["rule"].as_str().unwrap().into())
            .or_default();
        match f["severity"].as_str().unwrap() {
            "error" => c[0] += 1,
            "warning" => c[1] += 1,
            _ => c[2] += 1,
        }
    }
    let total = |i: usize| by_rule.values().map(|c| c[i]).sum::<usize>();
    assert_eq!(summary["files"], 1000);
    assert_eq!(summary["errors"], total(0));
    assert_eq!(summary["warnings"], total(1));
    assert_eq!(summary["infos"], total(2));
    assert!(total(0) >= made.injected, "{} injected", made.injected);
    assert_eq!(summary["unreadable"], made.broken);
    assert!(summary["not_fully_checked"].as_u64().unwrap() >= (made.broken + made.renamed) as u64);
    assert_eq!(
        summary["fully_checked"].as_u64().unwrap() + summary["not_fully_checked"].as_u64().unwrap(),
        1000
    );
    // The JSON summary's statistics count what the findings say.
    let stats = &summary["statistics"];
    let listed: BTreeMap<String, [usize; 3]> = stats["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap() as usize;
            (
                r["rule"].as_str().unwrap().to_string(),
                [n("errors"), n("warnings"), n("infos")],
            )
        })
        .collect();
    assert_eq!(listed, by_rule);
    let groups = stats["by_agency_year"].as_array().unwrap();
    let sum = |k: &str| groups.iter().map(|g| g[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("files"), 1000);
    assert_eq!(sum("errors"), total(0) as u64);
    let mut per_file: BTreeMap<&str, u64> = BTreeMap::new();
    for f in findings.iter().filter(|f| f["severity"] == "error") {
        *per_file.entry(f["file"].as_str().unwrap()).or_default() += 1;
    }
    assert_eq!(sum("failing"), per_file.len() as u64);
    let most = per_file.values().max().copied().unwrap();
    assert_eq!(stats["most_errors"][0]["errors"], most);

    // Concise: one line per finding, each `path:line:col: severity rule message`.
    let concise = String::from_utf8(output("concise").clone()).unwrap();
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
    let csv_path = save("csv");
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let read = py(
        "import csv,sys,json; r=list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline=''))); \
         print(json.dumps({'header': r[0], 'rows': [[x[0], x[6], x[5]] for x in r[1:]]}))",
        &[&csv_path],
    );
    assert_eq!(read["header"][0], "file");
    let rows = read["rows"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len());
    for (row, f) in rows.iter().zip(findings) {
        assert_eq!(row[0], f["file"]);
        assert_eq!(row[1], f["rule"]);
        assert_eq!(row[2], f["severity"]);
    }

    // xlsx, read by openpyxl: one row per finding, one per report, the summary's totals.
    let xlsx_path = save("xlsx");
    let book = py(XLSX, &[&xlsx_path]);
    assert_eq!(book["names"], json!(["Findings", "Summary", "Reports"]));
    assert_eq!(
        book["findings_header"],
        json!([
            "file", "agency", "year", "line", "column", "severity", "rule", "title", "message",
            "cells", "values", "repair"
        ])
    );
    let rows = book["findings"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len());
    for (row, f) in rows.iter().zip(findings) {
        assert_eq!(
            row,
            &json!([f["file"], f["rule"], f["severity"], f["line"], f["column"]])
        );
    }
    let totals = &book["totals"];
    for (label, key) in [
        ("files", "files"),
        ("fully checked", "fully_checked"),
        ("could not be checked", "not_fully_checked"),
        ("errors", "errors"),
        ("warnings", "warnings"),
        ("infos", "infos"),
    ] {
        assert_eq!(totals[label], summary[key], "{label}");
    }
    let sheet_rules: BTreeMap<String, [usize; 3]> = book["by_rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |i: usize| r[i].as_u64().unwrap() as usize;
            (r[0].as_str().unwrap().to_string(), [n(2), n(3), n(4)])
        })
        .collect();
    assert_eq!(sheet_rules, by_rule);
    // The agency × year grid: one row per agency, the years as generated, every error once.
    let years: Vec<&str> = book["grid_years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    assert_eq!(years, ["(not given)", "2019", "2021", "2023"]);
    let grid = book["grid"].as_array().unwrap();
    assert_eq!(
        grid.len(),
        9,
        "8 agencies and the unreadable files: {grid:?}"
    );
    let in_grid: u64 = grid
        .iter()
        .flat_map(|row| row.as_array().unwrap()[1..].iter())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(in_grid, summary["errors"].as_u64().unwrap());
    assert_eq!(
        book["reports_header"],
        json!(["file", "agency", "year", "format", "status", "errors", "warnings", "infos"])
    );
    let reports = book["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1000);
    let not_checked = reports
        .iter()
        .filter(|r| r[4] == "could not be checked")
        .count();
    assert_eq!(
        not_checked as u64,
        summary["not_fully_checked"].as_u64().unwrap()
    );
    let errors: u64 = reports.iter().map(|r| r[5].as_u64().unwrap()).sum();
    assert_eq!(errors, summary["errors"].as_u64().unwrap());
    for r in reports {
        let errors = r[5].as_u64().unwrap();
        let file = r[0].as_str().unwrap();
        assert_eq!(per_file.get(file).copied().unwrap_or(0), errors, "{file}");
    }

    // SARIF: valid against the official 2.1.0 schema, one result per finding.
    let sarif_path = save("sarif");
    let checked = py(
        SARIF,
        &[
            Path::new("tests/fixtures/sarif/sarif-schema-2.1.0.json"),
            &sarif_path,
        ],
    );
    assert_eq!(checked["validator"], "Draft4Validator");
    assert_eq!(checked["errors"], json!([]), "SARIF 2.1.0 schema");
    assert_eq!(checked["results"], findings.len());
    assert_eq!(checked["not_uris"], json!([]));
    let decoded = checked["decoded"].as_array().unwrap();
    for (uri, f) in decoded.iter().zip(findings) {
        // The folder is an absolute path: file:// and the path, percent-encoded.
        assert_eq!(
            uri.as_str().unwrap(),
            format!("file://{}", f["file"].as_str().unwrap())
        );
    }
    assert!(
        decoded
            .iter()
            .any(|u| u.as_str().unwrap().contains(" 年报 ")),
        "names with CJK and spaces are among them"
    );

    // The statistics and the closing line (what a human run and --statistics print on
    // stderr): by rule, the JSON's counts.
    let err = format!(
        "{}{}",
        run.stats.text(),
        gouji::render::human::summary(&run)
    );
    for (rule, [errors, warnings, _]) in &by_rule {
        let line = err
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{rule} ")))
            .unwrap_or_else(|| panic!("{rule} missing:\n{err}"));
        assert!(
            line.ends_with(&format!(": {errors} errors, {warnings} warnings")),
            "{line}: JSON has {errors} errors, {warnings} warnings"
        );
    }
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
    assert_eq!(files, 1000, "{err}");
    // The closing line: the JSON's totals.
    let closing = format!("1000 files, {} errors, {} warnings", total(0), total(1));
    assert!(err.contains(&closing), "{closing}\n{err}");
}

#[test]
fn the_command_line_writes_xlsx_and_csv_with_o_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let paths = ["examples", "tests/fixtures/lint"];
    let (json, _) = lint(&[&["--format", "json"][..], &paths].concat());
    let json: Value = serde_json::from_str(&json).unwrap();
    let findings = json["findings"].as_array().unwrap().len();
    assert!(findings > 10);
    let xlsx = tmp.path().join("检查 结果.xlsx");
    let csv = tmp.path().join("检查 结果.csv");
    for (format, path) in [("xlsx", &xlsx), ("csv", &csv)] {
        let (out, _) = lint(
            &[
                &["--format", format, "-o", path.to_str().unwrap()][..],
                &paths,
            ]
            .concat(),
        );
        assert_eq!(out, "", "the output goes to the file only");
    }
    let read = py(
        "import csv, json, sys, openpyxl\n\
         book = openpyxl.load_workbook(sys.argv[1], read_only=True)\n\
         sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}\n\
         rows = list(csv.reader(open(sys.argv[2], encoding='utf-8-sig', newline='')))\n\
         print(json.dumps({'names': book.sheetnames, 'findings': sheets['问题'], 'reports': sheets['报告'], 'csv': rows}, ensure_ascii=False))",
        &[&xlsx, &csv],
    );
    assert_eq!(read["names"], json!(["问题", "汇总", "报告"]));
    let rows = read["findings"].as_array().unwrap();
    assert_eq!(rows[0][0], "文件");
    assert_eq!(rows.len(), findings + 1, "a header and one row per finding");
    let severities: Vec<&str> = rows[1..].iter().map(|r| r[5].as_str().unwrap()).collect();
    assert!(
        severities
            .iter()
            .all(|s| ["错误", "警告", "提示"].contains(s)),
        "{severities:?}"
    );
    let reports = read["reports"].as_array().unwrap();
    assert_eq!(
        reports.len(),
        1 + json["summary"]["files"].as_u64().unwrap() as usize
    );
    let statuses: Vec<&str> = reports[1..]
        .iter()
        .map(|r| r[4].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"已完整检查") && statuses.contains(&"未能完整检查"),
        "{statuses:?}"
    );
    assert_eq!(read["csv"].as_array().unwrap().len(), findings + 1);
}

/// Runs `gouji lint ARGS…` expecting a usage error: exit 2, nothing on standard output.
/// Returns standard error.
fn refused(args: &[&str]) -> String {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on standard output");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn xlsx_needs_an_output_file_and_refuses_a_terminal() {
    for (lang, says) in [
        ("zh", "须用 -o/--output-file 指定文件"),
        ("en", "give it one with -o/--output-file"),
    ] {
        let err = refused(&["--lang", lang, "--format", "xlsx", "examples"]);
        assert!(err.contains(says), "{err}");
    }
    // `-o` naming a terminal: a pseudo-terminal Python opens for the run.
    let gouji = assert_cmd::cargo::cargo_bin("gouji");
    let ran = py(
        "import json, os, pty, subprocess, sys\n\
         m, s = pty.openpty()\n\
         r = subprocess.run([sys.argv[1], 'lint', '--lang', 'en', '--format', 'xlsx', '-o', os.ttyname(s), 'examples'], capture_output=True)\n\
         os.set_blocking(m, False)\n\
         try:\n    written = len(os.read(m, 4096))\nexcept BlockingIOError:\n    written = 0\n\
         print(json.dumps({'code': r.returncode, 'err': r.stderr.decode(), 'written': written}))",
        &[&gouji],
    );
    assert_eq!(ran["code"], 2, "{ran}");
    assert_eq!(ran["written"], 0, "nothing written to the terminal: {ran}");
    let err = ran["err"].as_str().unwrap();
    assert!(
        err.contains("writes a binary file, not for a terminal"),
        "{err}"
    );
    // The sheets' working files need a temporary directory: without one, a message.
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .env("TMPDIR", tmp.path().join("gone"))
        .args(["lint", "--format", "xlsx", "-o"])
        .arg(tmp.path().join("a.xlsx"))
        .arg("examples")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("无法在临时目录中创建表格的工作文件"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!tmp.path().join("a.xlsx").exists(), "no half-written file");
}

#[test]
fn a_missing_path_is_named_in_the_users_language() {
    for (lang, says) in [
        ("zh", "no-such-dir：没有这个文件或目录"),
        ("en", "no-such-dir: no such file or directory"),
    ] {
        let err = refused(&["--lang", lang, "no-such-dir"]);
        assert!(err.contains(says), "{err}");
    }
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
