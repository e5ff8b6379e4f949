//! The HTML report (`gouji lint --format html`), made by the real binary and opened in a
//! real browser: headless Chromium (Debian's `chromium`, installed by `.ci/setup`).
//!
//! Without Chromium these tests fail in CI (`CI` set) and say why elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

/// Runs `gouji lint ARGS… --format html` and returns the page.
fn page(args: &[&str], lang: &str) -> String {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .args(["lint", "--format", "html", "--lang", lang])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "gouji failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The Chromium binary, or `None` outside CI when it is not installed.
fn chromium() -> Option<PathBuf> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromium is not installed: run .ci/setup (apt-get install -y chromium)"
        );
        eprintln!("chromium is not installed; not opening the report (CI would fail here)");
    }
    found
}

/// Runs headless Chromium on a file (with a query string, if any) and the given extra
/// arguments; returns (stdout, stderr).
fn browse(chromium: &Path, file: &Path, query: &str, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let out = Process::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            // Without it the screenshot's last lines are left blank.
            "--screen-info={0,0 1280x1600}",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}{query}", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Console messages the page printed (Chromium logs them as `CONSOLE(line)`), and uncaught
/// errors. The page's script logs nothing, so any is a failure.
fn console_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// Nothing the page uses comes from the network: no external scripts, styles, fonts or images.
fn assert_self_contained(html: &str) {
    for bad in [
        "<link",
        "@import",
        "url(",
        "src=\"http",
        "src='http",
        "<iframe",
        "@font-face",
    ] {
        assert!(!html.contains(bad), "the page must not load `{bad}`");
    }
    assert_eq!(
        count(html, "<script"),
        2,
        "one JSON block and one inline script"
    );
    assert!(!html.contains("<script src"));
}

#[test]
fn the_report_renders_in_chromium_with_tables_highlights_and_filters() {
    let html = page(&["examples", "tests/fixtures/html"], "zh");
    assert_self_contained(&html);
    // Report text is shown, never run: the fixture puts markup in 机关 and in the prose.
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains(
        "示例市&lt;script&gt;alert(1)&lt;/script&gt;局 &lt;/script&gt;&lt;b&gt;粗&lt;/b&gt;"
    ));
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    // Time enough for the script to run before the DOM is written out.
    let (dom, stderr) = browse(
        &chromium,
        &file,
        "",
        &["--virtual-time-budget=5000", "--dump-dom"],
    );
    assert!(
        console_lines(&stderr).is_empty(),
        "the page logged to the console:\n{}",
        console_lines(&stderr).join("\n")
    );
    assert!(
        dom.contains("data-ready=\"1\""),
        "the page's script did not finish:\n{}",
        &dom[..dom.len().min(2000)]
    );
    assert!(
        !dom.contains("data-errors=\""),
        "the page's script raised an error"
    );
    assert!(
        dom.contains("<title>勾稽检查报告</title>"),
        "the hostile prose changed the title"
    );
    assert!(
        !dom.contains("<b>粗</b>"),
        "markup in a report was turned into elements"
    );
    // The overview and the filters were moved before the reports.
    let at = |needle: &str| {
        dom.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in the DOM"))
    };
    assert!(at("id=\"overview\"") < at("id=\"reports\""));
    assert!(at("id=\"filters\"") < at("id=\"reports\""));
    for filter in [
        "id=\"f-rule\"",
        "id=\"f-sev\"",
        "id=\"f-agency\"",
        "id=\"f-q\"",
    ] {
        assert!(dom.contains(filter), "filter {filter} missing");
    }
    assert!(dom.contains("<option value=\"table3/row-total\">table3/row-total (1)</option>"));
    // Every report with findings has a section; the clean example has none.
    assert_eq!(count(&dom, "<section class=\"report"), 5);
    assert!(!dom.contains("examples/balanced-2021.yaml</span>"));
    // The official tables: table 三 with its column groups (and the optional subtotal
    // column where a report has it), table 四 as one row under 行政复议 and 行政诉讼.
    assert!(count(&dom, "<table class=\"official") >= 10);
    assert!(dom.contains("<th scope=\"colgroup\" colspan=\"5\">法人或其他组织</th>"));
    assert!(dom.contains("<th scope=\"colgroup\" colspan=\"6\">法人或其他组织</th>"));
    assert!(dom.contains("<th scope=\"colgroup\" colspan=\"7\">申请人情况</th>"));
    assert!(dom.contains("<th scope=\"colgroup\" colspan=\"10\">行政诉讼</th>"));
    assert!(dom.contains("<th scope=\"colgroup\" colspan=\"5\">未经复议直接起诉</th>"));
    assert!(dom.contains("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"));
    // The cells of the findings are marked; the seed's 183 is the one to change, to 182.
    assert!(count(&dom, "<td class=\"mk e") >= 20);
    assert!(dom.contains("<span class=\"v\">183</span><span class=\"to\">→182</span>"));
    assert!(dom.contains("<td class=\"mk e\" data-f=\""));
    assert!(dom.contains("class=\"repair\""));
    // The agency × year grid: the seed's agency has errors in 2020, the balanced example is clean.
    assert!(dom.contains("<th scope=\"row\">北京市朝阳区政务服务管理局</th><td class=\"s-error\">"));
    assert!(dom.contains("<td class=\"s-clean\" title="));
}

#[test]
fn the_examples_report_is_the_screenshot_in_the_readme() {
    let html = page(&["examples"], "zh");
    assert_self_contained(&html);
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    // The screenshot goes to a scratch file; with UPDATE_SCREENSHOTS=1 it replaces the one the
    // README shows, so an ordinary test run leaves the work tree as it was.
    let shot = if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/html-report.png")
    } else {
        dir.path().join("html-report.png")
    };
    let (_, stderr) = browse(
        &chromium,
        &file,
        "",
        &[
            "--virtual-time-budget=5000",
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
    );
    assert!(console_lines(&stderr).is_empty(), "{stderr}");
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    // 1280 × 1600, from the IHDR chunk.
    assert_eq!(&png[16..24], &[0, 0, 5, 0, 0, 0, 6, 64]);
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains("docs/html-report.png"),
        "README shows the screenshot"
    );
}

#[test]
fn the_page_speaks_english_with_lang_en() {
    let html = page(&["examples"], "en");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for text in [
        "<h2 id=\"overview-h\">Overview</h2>",
        ">files checked<",
        ">Findings by rule<",
        ">Agency × year<",
    ] {
        assert!(html.contains(text), "{text}");
    }
    // The reports' own labels stay as printed.
    assert!(html.contains("三、收到和处理政府信息公开申请情况"));
    let zh = page(&["examples"], "zh");
    assert!(zh.contains("<html lang=\"zh-CN\">") && zh.contains(">总览</h2>"));
}

#[test]
fn a_clean_run_says_so_and_draws_no_report() {
    let html = page(&["examples/balanced-2021.yaml"], "zh");
    assert!(html.contains("所有报告都已核对，没有发现问题。"));
    assert_eq!(count(&html, "<section class=\"report"), 0);
    assert!(html.contains("<dt>检查文件</dt><dd>1</dd>"));
    assert!(html.contains("<dt>完整核对</dt><dd>1</dd>"));
    assert!(!html.contains("id=\"filters\""), "nothing to filter");
}

#[test]
fn overview_counts_match_the_json_output() {
    let html = page(
        &["examples", "tests/fixtures/html", "tests/fixtures/lint"],
        "zh",
    );
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .args([
            "lint",
            "--format",
            "json",
            "examples",
            "tests/fixtures/html",
            "tests/fixtures/lint",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &json["summary"];
    let stat = |label: &str| -> String {
        let start = html.find(&format!("<dt>{label}</dt><dd>")).unwrap() + label.len() + 13;
        html[start..].split('<').next().unwrap().to_string()
    };
    assert_eq!(stat("检查文件"), s["files"].to_string());
    assert_eq!(stat("错误"), s["errors"].to_string());
    assert_eq!(stat("警告"), s["warnings"].to_string());
    assert_eq!(stat("无法读取"), s["unreadable"].to_string());
    // Not fully checked: the two unreadable files and the one with text in a number cell.
    assert_eq!(
        stat("完整核对"),
        (s["files"].as_u64().unwrap() - 3).to_string()
    );
    // One finding item per finding.
    let findings = json["findings"].as_array().unwrap().len();
    assert_eq!(count(&html, "<li class=\"f "), findings);
}

#[test]
fn a_report_section_draws_the_official_tables() {
    let html = page(&["tests/fixtures/html/hostile-2021.yaml"], "zh");
    let start = html.find("<section class=\"report").unwrap();
    let end = html.find("</section>").unwrap() + "</section>".len();
    insta::assert_snapshot!(&html[start..end]);
}

/// The page's own filters, given in the address, run in the browser: the sections and
/// findings they leave out are hidden, and so is the marking of those findings' cells.
#[test]
fn filters_hide_what_does_not_match() {
    let html = page(&["examples", "tests/fixtures/html"], "zh");
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    let dump = |query: &str| {
        let (dom, stderr) = browse(
            &chromium,
            &file,
            query,
            &["--virtual-time-budget=5000", "--dump-dom"],
        );
        assert!(console_lines(&stderr).is_empty(), "{stderr}");
        assert!(dom.contains("data-ready=\"1\""));
        dom
    };
    let all = dump("");
    assert_eq!(count(&all, "<section class=\"report"), 5);
    assert!(
        !all.contains(" hidden=\"\" aria-labelledby"),
        "nothing hidden unfiltered"
    );
    assert!(all.contains("显示 5 / 5 份报告"));

    // By rule: only the hostile report has table4/group-total.
    let dom = dump("?rule=table4/group-total");
    assert!(
        dom.contains("显示 1 / 5 份报告"),
        "{}",
        &dom[dom.find("f-shown").unwrap()..][..200]
    );
    let hostile = dom.find("hostile-2021.yaml</span>").unwrap();
    let section_start = dom[..hostile].rfind("<section").unwrap();
    assert!(
        !dom[section_start..hostile].contains("hidden"),
        "the matching report is shown"
    );
    // Its other finding (prose/review-count) is hidden, and the seed's 183 is no longer marked.
    assert!(dom.contains("data-rule=\"prose/review-count\" data-sev=\"warning\" hidden=\"\""));
    assert!(dom.contains("<td class=\"mk e fix off\""));

    // By severity, agency and search text.
    assert!(dump("?sev=error").contains("显示 5 / 5 份报告"));
    let warnings = dump("?sev=warning");
    assert!(warnings.contains("显示 3 / 5 份报告"));
    assert!(
        !warnings.contains("data-sev=\"error\">"),
        "error findings are hidden"
    );
    assert!(dump("?agency=朝阳区").contains("显示 1 / 5 份报告"));
    assert!(dump("?q=183").contains("显示 1 / 5 份报告"));
    let none = dump("?q=nothing-matches-this");
    assert!(none.contains("显示 0 / 5 份报告"));
    assert!(
        none.contains("<p class=\"nomatch\" id=\"nomatch\">"),
        "says nothing matches"
    );
}

/// Printing: every report on its own page after the overview, folded tables opened.
#[test]
fn the_report_prints_to_pdf() {
    let html = page(&["examples", "tests/fixtures/html"], "zh");
    let Some(chromium) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.html");
    std::fs::write(&file, &html).unwrap();
    let pdf = dir.path().join("report.pdf");
    let (_, stderr) = browse(
        &chromium,
        &file,
        "",
        &[
            "--virtual-time-budget=5000",
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(console_lines(&stderr).is_empty(), "{stderr}");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    // Page objects: `/Type /Page` not followed by `s` (which would be the page tree).
    let text = String::from_utf8_lossy(&bytes);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + 10..].starts_with('s'))
        .count();
    assert!(
        pages >= 6,
        "the overview and five reports, each on its own page: {pages} pages"
    );
}
