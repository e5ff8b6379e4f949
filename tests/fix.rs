//! `gouji fix`: the plan of each report, `--diff`, `--write` (only the changed scalars'
//! bytes, atomically; ties and plan-less reports untouched), and the exit codes.

use std::path::Path;

use assert_cmd::Command;

const SEED: &str = "tests/fixtures/lint/bad.yaml";
const BALANCED: &str = "tests/fixtures/lint/good.yaml";

fn gouji(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("gouji").unwrap();
    cmd.current_dir(dir).env_remove("GOUJI_LANG");
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = gouji(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn copy(dir: &Path, from: &str, name: &str) -> String {
    let text = std::fs::read_to_string(from).unwrap();
    std::fs::write(dir.join(name), &text).unwrap();
    text
}

#[test]
fn the_seed_plan_shown_as_a_diff_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = copy(dir.path(), SEED, "seed.yaml");
    // Printing the plan changes nothing and exits 1: the report needs fixing.
    let (code, out) = run(dir.path(), &["fix", "seed.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "seed.yaml：同一个单元格可以解释这 2 处不平衡：把「三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息 / 总计」由 183 改为 182，可同时满足\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("seed.yaml")).unwrap(),
        text
    );
    let (code, out) = run(dir.path(), &["fix", "--diff", "seed.yaml"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
    // Writing replaces the three bytes of 183 and nothing else, comments included.
    let (code, out) = run(dir.path(), &["fix", "--write", "seed.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("seed.yaml：已改写 1 个单元格\n"), "{out}");
    let after = std::fs::read_to_string(dir.path().join("seed.yaml")).unwrap();
    assert_eq!(after, text.replacen("总计: 183}", "总计: 182}", 1));
    // Nothing left to fix; no temporary file left behind.
    let (code, out) = run(dir.path(), &["fix", "--write", "."]);
    assert_eq!((code, out.as_str()), (0, ""));
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["seed.yaml"]);
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SEED).unwrap().replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(dir.path().join("seed.yaml"), &bytes).unwrap();
    let (code, _) = run(dir.path(), &["fix", "--write", "seed.yaml"]);
    assert_eq!(code, 0);
    let after = std::fs::read(dir.path().join("seed.yaml")).unwrap();
    let mut expect = b"\xEF\xBB\xBF".to_vec();
    expect.extend_from_slice(text.replacen("总计: 183}", "总计: 182}", 1).as_bytes());
    assert_eq!(after, expect);
}

#[test]
fn ties_and_reports_without_a_plan_are_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    // One cell of a table-四 group moved: any of its five cells explains it.
    let balanced = std::fs::read_to_string(BALANCED).unwrap();
    let tie = balanced.replacen("{结果维持: 3, 结果纠正: 1", "{结果维持: 4, 结果纠正: 1", 1);
    assert_ne!(tie, balanced);
    std::fs::write(dir.path().join("tie.yaml"), &tie).unwrap();
    copy(dir.path(), BALANCED, "clean.yaml");
    let (code, out) = run(
        dir.path(),
        &["fix", "--write", "--diff", "tie.yaml", "clean.yaml"],
    );
    assert_eq!(code, 1, "the tie still needs fixing");
    // 其他结果 0 → −1 would balance too, but a count is never negative.
    assert_eq!(
        out,
        "tie.yaml：4 个方案各改 1 个单元格，都能解释这 1 处不平衡：把「行政复议 / 结果维持」由 4 改为 3 或 把「行政复议 / 结果纠正」由 1 改为 0 或 把「行政复议 / 尚未审结」由 1 改为 0 或 把「行政复议 / 总计」由 5 改为 6。无法判断是哪一种，请核对原始记录\ntie.yaml：未改写（没有唯一、确定的修正方案）\n",
        "no diff for a tie, and the balanced report is not mentioned"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tie.yaml")).unwrap(),
        tie
    );
}

#[test]
fn in_english() {
    let dir = tempfile::tempdir().unwrap();
    copy(dir.path(), SEED, "seed.yaml");
    let (code, out) = run(dir.path(), &["--lang", "en", "fix", "--write", "seed.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "seed.yaml: one cell explains these 2 imbalances: changing 「三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息 / 总计」 from 183 to 182 satisfies them all\nseed.yaml: 1 cell(s) rewritten\n"
    );
}
