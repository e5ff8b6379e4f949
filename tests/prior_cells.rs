//! A finding of a `prior(…)` rule names last year's cell with that report's file, line and
//! column, in every output format. The fixture is one body's reports of 2022 and 2023
//! (tests/fixtures/two-years): what 2022 carried over differs from what 2023 took over in
//! two columns, so `cross-year/carry-over` fails twice on the 2023 report.

use std::io::Read;

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "tests/fixtures/two-years";
const PRIOR: &str = "tests/fixtures/two-years/ziran-2022.yaml";

/// `gouji lint --no-progress --select cross-year --format FORMAT`, to which a test adds its
/// paths and settings.
fn cross_year(format: &str) -> Command {
    let mut cmd = Command::cargo_bin("gouji").unwrap();
    cmd.args([
        "lint",
        "--no-progress",
        "--select",
        "cross-year",
        "--format",
        format,
    ]);
    cmd
}

/// `gouji lint --select cross-year --format FORMAT DIR`, run from the crate's root; its
/// standard output.
fn lint(format: &str, extra: &[&str]) -> String {
    let out = cross_year(format)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(extra)
        .arg(DIR)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The line and column of the first `key: value` of `text` on the line that starts with
/// `row` (the place of a cell as gouji reports it).
fn place(text: &str, row: &str, key: &str) -> (usize, usize) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(row))
        .unwrap();
    let at = line.find(&format!("{key}: ")).unwrap() + key.len() + 2;
    (i + 1, line[..at].chars().count() + 1)
}

#[test]
fn json_names_last_years_file_line_and_column() {
    let doc: Value = serde_json::from_str(&lint("json", &[])).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let prior_text = std::fs::read_to_string(PRIOR).unwrap();
    let this_text = std::fs::read_to_string(format!("{DIR}/ziran-2023.yaml")).unwrap();
    for (f, column) in findings.iter().zip(["自然人", "商业企业"]) {
        assert_eq!(f["rule"], "cross-year/carry-over");
        let cells = f["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 2, "{cells:#?}");
        // This year's cell first, in the finding's file (no `file`), where the finding points.
        let (line, col) = place(&this_text, "上年结转:", column);
        assert!(cells[0].get("file").is_none());
        assert_eq!(cells[0]["path"], format!("申请.上年结转.{column}"));
        assert_eq!(
            (cells[0]["line"].as_u64(), cells[0]["column"].as_u64()),
            (Some(line as u64), Some(col as u64))
        );
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(line as u64), Some(col as u64))
        );
        // Last year's cell, in last year's file, at its place there.
        let (line, col) = place(&prior_text, "结转:", column);
        assert_eq!(cells[1]["file"], PRIOR);
        assert_eq!(cells[1]["path"], format!("申请.结转.{column}"));
        assert_eq!(
            (cells[1]["line"].as_u64(), cells[1]["column"].as_u64()),
            (Some(line as u64), Some(col as u64))
        );
    }
    insta::with_settings!({filters => vec![(r#""elapsed_ms":\d+"#, r#""elapsed_ms":[ms]"#)]}, {
        insta::assert_snapshot!(lint("json", &[]));
    });
}

#[test]
fn sarif_relates_last_years_cell_to_its_own_file() {
    let doc: Value = serde_json::from_str(&lint("sarif", &[])).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let related = r["relatedLocations"].as_array().unwrap();
        let uris: Vec<&str> = related
            .iter()
            .map(|l| {
                l["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(uris, [&format!("{DIR}/ziran-2023.yaml")[..], PRIOR]);
        assert_eq!(related[1]["physicalLocation"]["region"]["startLine"], 50);
    }
    let rules = |s: String| {
        // The tool section (version, rules) is another test's business.
        s.split("\"columnKind\"")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    insta::assert_snapshot!(rules(lint("sarif", &[])));
}

#[test]
fn human_notes_last_years_cell_under_the_drawing() {
    let out = lint("human", &[]);
    assert!(
        out.contains(&format!("  = 上年报告 {PRIOR}:50:18 结转·自然人 = 9\n")),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn human_in_english() {
    let out = lint("human", &["--lang", "en"]);
    assert!(
        out.contains(&format!(
            "  = last year's report {PRIOR}:50:27 结转·商业企业 = 3\n"
        )),
        "{out}"
    );
}

#[test]
fn concise_csv_and_github_name_last_years_place() {
    let concise = lint("concise", &[]);
    assert_eq!(concise.lines().count(), 2, "one line per finding");
    let csv = lint("csv", &[]);
    let github = lint("github", &[]);
    for out in [&concise, &csv, &github] {
        assert!(out.contains(&format!("上年报告 {PRIOR}:50:18")), "{out}");
        assert!(out.contains(&format!("上年报告 {PRIOR}:50:27")), "{out}");
    }
    insta::assert_snapshot!("concise", concise);
    insta::assert_snapshot!("csv", csv);
    insta::assert_snapshot!("github", github);
}

#[test]
fn html_lists_last_years_cell_with_its_place() {
    let html = lint("html", &[]);
    let cells: Vec<&str> = html
        .match_indices("<details class=\"cells\">")
        .map(|(i, _)| {
            let rest = &html[i..];
            &rest[..rest.find("</details>").unwrap() + "</details>".len()]
        })
        .collect();
    assert_eq!(cells.len(), 2);
    // Last year's cell is listed, not marked in this year's drawn tables.
    assert!(!html.contains("title=\"四、结转下年度继续办理 / 自然人"));
    insta::assert_snapshot!(cells.join("\n"));
}

#[test]
fn xlsx_labels_last_years_cell_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.xlsx");
    lint("xlsx", &["-o", path.to_str().unwrap()]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // Each row's texts, in order.
    let rows: Vec<String> = xml
        .split("<row ")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter_map(|t| {
                    let t = &t[t.find('>')? + 1..];
                    Some(t[..t.find("</t>")?].to_string())
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect();
    assert_eq!(rows.len(), 3, "a header and two findings: {rows:#?}");
    assert!(
        rows[1].contains(&format!(
            "四、结转下年度继续办理 / 自然人（上年报告 {PRIOR}:50:18）"
        )),
        "{}",
        rows[1]
    );
    insta::assert_snapshot!(rows.join("\n"));
}

/// `gouji lint --select cross-year --format json ARGS…` in `dir`: the findings' rule ids and
/// the summary.
fn json_in(dir: &std::path::Path, args: &[&str]) -> (Vec<String>, Value) {
    let out = cross_year("json")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    (rules, doc["summary"].clone())
}

/// Last year's cell is at line 50 of last year's report: an ignore comment on line 50 of this
/// year's report (its own 结转 row, which the finding does not concern) does not silence the
/// finding; and a baseline entry names this year's cells only, so it is the same entry
/// whatever last year's report says.
#[test]
fn suppressions_and_baselines_concern_this_years_cells_only() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    std::fs::copy(PRIOR, reports.join("ziran-2022.yaml")).unwrap();
    let this = std::fs::read_to_string(format!("{DIR}/ziran-2023.yaml")).unwrap();
    let line_50 = this.lines().nth(49).unwrap();
    assert!(line_50.trim_start().starts_with("结转:"), "{line_50}");
    let ignored = this.replacen(
        line_50,
        &format!("{line_50}  # gouji: ignore[cross-year/carry-over] 已核实"),
        1,
    );
    std::fs::write(reports.join("ziran-2023.yaml"), &ignored).unwrap();
    let (rules, _) = json_in(dir.path(), &["reports"]);
    assert_eq!(
        rules
            .iter()
            .filter(|r| *r == "cross-year/carry-over")
            .count(),
        2,
        "{rules:?}"
    );

    std::fs::write(reports.join("ziran-2023.yaml"), &this).unwrap();
    let (_, summary) = json_in(
        dir.path(),
        &["reports", "--write-baseline", "baseline.json"],
    );
    assert_eq!(summary["errors"], 2);
    let baseline = std::fs::read_to_string(dir.path().join("baseline.json")).unwrap();
    assert!(!baseline.contains("申请.结转"), "{baseline}");
    // Last year's report changes what it carried over, in the same two columns: the findings
    // are the baseline's still.
    let prior = std::fs::read_to_string(PRIOR)
        .unwrap()
        .replace(
            "结转:      {自然人: 9, 商业企业: 3,",
            "结转:      {自然人: 8, 商业企业: 4,",
        )
        .replace(
            "上年结转:  {自然人: 5, 商业企业: 4,",
            "上年结转:  {自然人: 4, 商业企业: 5,",
        );
    std::fs::write(reports.join("ziran-2022.yaml"), prior).unwrap();
    let (rules, summary) = json_in(dir.path(), &["reports", "--baseline", "baseline.json"]);
    assert!(rules.is_empty(), "{rules:?}");
    assert_eq!(summary["suppressed"], 2);
}
