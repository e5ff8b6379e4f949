//! Human output: never panics, stays within the terminal, escapes what the report holds,
//! and streams (what waits in memory does not grow with the report's text).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use unicode_width::UnicodeWidthStr;

const BAD: &str = include_str!("fixtures/lint/bad.yaml");
/// The sentence of bad.yaml that the prose rules read.
const SENTENCE: &str = "受理向区政务服务管理局提出的政府信息公开申请0件";

fn gouji(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("gouji")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .args(["lint", "--no-progress"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.width()).max().unwrap_or(0)
}

#[test]
fn findings_past_column_65535_render_clipped_instead_of_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let at = BAD.find(SENTENCE).unwrap();
    // The prose sentence behind 70,000 characters on its line.
    let prose = format!("{}{}{}", &BAD[..at], "x".repeat(70_000), &BAD[at..]);
    // Table cells behind 70,000 spaces on their line.
    let row = "新收:      {自然人: 255";
    let cells = BAD.replacen(row, &format!("新收:{}{{自然人: 255", " ".repeat(70_000)), 1);
    assert_ne!(cells, BAD);
    for (name, text) in [("prose.yaml", prose), ("cells.yaml", cells)] {
        let path = write(dir.path(), name, &text);
        let (code, out, err) = gouji(&[&path]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(out.contains("prose/none-received") && out.contains("table3/row-total"));
        assert!(out.contains('…'), "{name}: long lines are clipped");
        // Labels hang off the underline, so a label line may pass the width a little.
        assert!(
            widest(&out) <= 130,
            "{name}: a line of {} columns",
            widest(&out)
        );
        assert!(
            out.lines().count() < 200,
            "{name}: {} lines",
            out.lines().count()
        );
    }
}

#[test]
fn the_file_position_in_the_header_survives_clipping() {
    let dir = tempfile::tempdir().unwrap();
    let at = BAD.find(SENTENCE).unwrap();
    let text = format!("{}{}。{}", &BAD[..at], "x".repeat(70_000), &BAD[at..]);
    let path = write(dir.path(), "prose.yaml", &text);
    let (_, out, _) = gouji(&[&path]);
    // bad.yaml's sentence is at 67:202; the padding moves it 70,001 characters right.
    assert!(out.contains("prose.yaml:67:70203]"), "{out}");
}

/// Issue 9's resource case, one file of it: a prose line of a million characters, the
/// finding either far along it (a million sentences before it) or spanning it (one
/// sentence of a million characters). The output is the same few clipped lines as for a
/// short line, with the file's true position in the header. (Time and memory for eight such
/// files are measured by benches/failing.sh, not here.)
#[test]
fn a_million_character_prose_line_is_clipped_around_its_finding() {
    let dir = tempfile::tempdir().unwrap();
    let at = BAD.find(SENTENCE).unwrap();
    let far = format!(
        "{}{}{}",
        &BAD[..at],
        "本年度工作稳步推进。".repeat(100_000),
        &BAD[at..]
    );
    let long = format!(
        "{}{}{}",
        &BAD[..at],
        "本年度工作稳步推进，".repeat(100_000),
        &BAD[at..]
    );
    // (file, text, column of the sentence, its line as shown: ten characters before the
    // sentence, its head, its tail)
    let cases = [
        (
            "far.yaml",
            far,
            1_000_202,
            " 67 │ …本年度工作稳步推进。受理向区政务服务管理局提出的政府…提起行政诉讼的情况。\n",
        ),
        (
            "long.yaml",
            long,
            202,
            " 67 │ …件、行政诉讼29件；本年度工作稳步推进，本年度工作稳…提起行政诉讼的情况。\n",
        ),
    ];
    for (name, text, column, shown) in cases {
        let path = write(dir.path(), name, &text);
        let (code, out, err) = gouji(&[&path]);
        assert_eq!(code, 1, "{name}: {err}");
        let block = out
            .split("\n\n")
            .skip_while(|b| !b.starts_with("prose/none-received"))
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: no prose finding:\n{out}"));
        assert!(
            block.contains(&format!("{name}:67:{column}]")),
            "{name}:\n{block}"
        );
        assert!(block.contains(shown), "{name}:\n{block}");
        assert!(block.contains("╰── 这句"), "{name}:\n{block}");
        assert!(
            widest(&out) <= 130,
            "{name}: a line of {} columns",
            widest(&out)
        );
        assert!(out.len() < 40_000, "{name}: {} bytes of output", out.len());
    }
}

#[test]
fn control_characters_in_report_text_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let text = BAD
        .replacen(
            "规章:       {本年新制作: 0,",
            r#"规章:       {本年新制作: "\e[2J\e[31m三\u202e\a","#,
            1,
        )
        // Written raw in the prose line the excerpt shows (YAML allows it).
        .replacen(SENTENCE, &format!("\u{202e}{SENTENCE}"), 1);
    let path = write(dir.path(), "ctl.yaml", &text);
    let (code, out, _) = gouji(&["--color", "never", &path]);
    assert_eq!(code, 1);
    assert!(out.contains("structure/not-a-number"), "{out}");
    for c in ['\x1b', '\u{202e}', '\x07'] {
        assert!(!out.contains(c), "{c:?} written raw:\n{out}");
    }
    assert!(out.contains("\\u{202E}受理向区"), "{out}");
    // Shown, made visible (the finding may arrive escaped already; the renderer escapes
    // whatever is left).
    assert!(
        out.contains("␛[2J") || out.contains("\\u{001B}[2J"),
        "{out}"
    );
}

#[test]
fn a_prose_finding_shows_its_sentence_shortened_not_the_paragraph() {
    let (_, out, _) = gouji(&["tests/fixtures/lint/bad.yaml"]);
    let block = out
        .split("\n\n")
        .skip_while(|b| !b.starts_with("prose/none-received"))
        .nth(1)
        .unwrap();
    // The message quotes the sentence whole; the source line shows its head and tail.
    assert_eq!(block.matches(SENTENCE).count(), 1, "{block}");
    assert!(block.contains("这句"));
    // Lines around it are cut to the width: the next paragraph's later text is not shown.
    assert!(!block.contains("将信息公开属性确定程序"), "{block}");
}

#[test]
fn messages_wrap_between_words_never_inside_arithmetic() {
    for columns in ["60", "72", "80", "100"] {
        let out = Command::cargo_bin("gouji")
            .unwrap()
            .env("NO_COLOR", "1")
            .env("COLUMNS", columns)
            .args(["lint", "tests/fixtures/lint/bad.yaml"])
            .output()
            .unwrap();
        let out = String::from_utf8(out.stdout).unwrap();
        for sum in [
            "171 + 11 = 182",
            "33 + 10 + 5 + 2 + 4 + 183 + 9 + 4 + 3 = 253",
        ] {
            assert!(
                out.contains(sum),
                "COLUMNS={columns}: `{sum}` broken:\n{out}"
            );
        }
    }
}

#[test]
fn quiet_shows_errors_only() {
    let (code, out, err) = gouji(&["--quiet", "tests/fixtures/lint/bad.yaml"]);
    assert_eq!(code, 1);
    assert!(out.contains("table3/row-total"));
    assert!(
        !out.contains("structure/split-row") && !out.contains("prose/"),
        "{out}"
    );
    assert!(
        err.contains("个警告") && !err.contains("，0 个警告"),
        "warnings are still counted: {err}"
    );
}

/// Runs a directory in-process and returns what waited in memory at most, in bytes.
fn peak_buffered(dir: &Path) -> usize {
    use gouji::lint::{self, Inputs, Options};
    use gouji::render::{Format, Settings};
    let engine = gouji::engine::Engine::builtin().unwrap();
    let inputs = Inputs::new(&[PathBuf::from(dir)]).unwrap();
    let opts = Options {
        format: Format::by_name("human").unwrap(),
        settings: Settings {
            width: 100,
            ..Settings::default()
        },
        baseline: None,
        write_baseline: None,
        progress: false,
        stdin_filename: None,
    };
    let mut sink = std::io::sink();
    lint::run(&engine, &inputs, &opts, &mut sink)
        .unwrap()
        .peak_buffered
}

#[test]
fn what_waits_to_be_written_does_not_grow_with_the_prose() {
    let at = BAD.find(SENTENCE).unwrap();
    let folder = |files: usize, pad: usize| {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..files {
            let filler = "本年度工作稳步推进，".repeat(pad);
            let text = format!("{}{filler}{}", &BAD[..at], &BAD[at..]);
            write(dir.path(), &format!("{i}.yaml"), &text);
        }
        dir
    };
    // One report: what waits is that report's output.
    let one_short = peak_buffered(folder(1, 10).path());
    let one_long = peak_buffered(folder(1, 20_000).path());
    assert!(one_short > 0);
    // 20,000 times the prose (200,000 characters a file), the same output: clipped lines
    // cost what short ones do.
    assert!(
        one_long <= one_short + one_short / 10,
        "short prose: {one_short} bytes; long prose: {one_long}"
    );
    // Eight such reports: at most the reports checked ahead wait, each with its clipped
    // output — never a copy of the prose (600,000 bytes a file).
    let eight = peak_buffered(folder(8, 20_000).path());
    assert!(
        eight <= 8 * one_long,
        "{eight} bytes waited; one report: {one_long}"
    );
}
