//! Errors in rule files as auditors read them: in Chinese (the default), each naming the
//! file, line and column, what is wrong and what to write instead — and no English left in
//! them beyond the rule language's own words.

#[path = "common/broken_rules.rs"]
mod broken_rules;

use gouji::rules::functions::{FUNCTIONS, SET_FUNCTIONS};

#[test]
fn rule_file_errors_in_chinese() {
    insta::assert_snapshot!(broken_rules::render_all());
}

/// Words of the rule language an error may name without quoting them: its keywords, the
/// placeholders every finding has, and the functions.
const LANGUAGE: &[&str] = &[
    "rule", "title", "severity", "formats", "years", "why", "help", "message", "check", "pass",
    "fail", "for", "each", "in", "except", "if", "then", "else", "let", "and", "or", "not",
    "within", "blank", "true", "false", "error", "warning", "info", "on", "lhs", "rhs", "diff",
    "match", "value",
];

/// The runs of four or more ASCII letters in `text` that are neither quoted in backticks,
/// nor in a file's path, nor a word of the rule language (whole identifiers are compared,
/// so `is_blank` is one word, not `blank`).
fn english_in(text: &str) -> Vec<String> {
    let files = regex::Regex::new(r"[\w./-]+\.(gouji|yaml|yml|toml)\b").unwrap();
    let text = files.replace_all(text, " ");
    let mut unquoted = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 0 {
            unquoted.push_str(part);
            unquoted.push(' ');
        }
    }
    let functions: Vec<&str> = FUNCTIONS
        .iter()
        .map(|f| f.name)
        .chain(SET_FUNCTIONS.iter().copied())
        .collect();
    unquoted
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| {
            let longest = word
                .split(|c: char| !c.is_ascii_alphabetic())
                .map(str::len)
                .max()
                .unwrap_or(0);
            longest >= 4 && !LANGUAGE.contains(word) && !functions.contains(word)
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn no_english_in_chinese_rule_errors() {
    let mut leaks = Vec::new();
    for (name, rules) in broken_rules::cases() {
        for e in broken_rules::errors(name, &rules) {
            let parts = [Some(e.to_string()), Some(e.label.clone()), e.help.clone()];
            for text in parts.into_iter().flatten() {
                let words = english_in(&text);
                if !words.is_empty() {
                    leaks.push(format!("{name}: {text}  ← {words:?}"));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "English in Chinese errors:\n{}",
        leaks.join("\n")
    );
}

/// The detector itself: it finds English, and lets quoted names and keywords through.
#[test]
fn the_english_detector_detects() {
    assert_eq!(
        english_in("expected a number, but this is text"),
        ["expected", "number", "this", "text"]
    );
    assert!(english_in("没有函数 `summ`：是不是 `sum`？").is_empty());
    assert!(english_in("用 is_blank(x) 或 round(x, 2)，例如 check 申请.新收.总计 >= 0").is_empty());
    assert_eq!(english_in("占位符 {value} 与 {whatever}"), ["whatever"]);
    assert!(english_in("另一处在 rules/custom-2.gouji").is_empty());
}

/// What `gouji lint` prints for a broken rule file, in each language: the file, line and
/// column, the problem, the place marked, what to write instead, and the count.
#[test]
fn the_command_line_shows_rule_errors_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mine.gouji"),
        "rule mine/total {\n  title \"总计\"\n  why \"w\"\n  formats 2019\n  check summ(申请.新收.*) == 申请.新收x.总计\n}\nrule mine/other {\n  formats 2020\n  check 机关 == 1\n}\n",
    )
    .unwrap();
    std::fs::copy("rules/formats/2019.sample.yaml", dir.path().join("r.yaml")).unwrap();
    let run = |lang: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"));
        cmd.current_dir(dir.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("GOUJI_LANG")
            .args(["lint", "--rules", "mine.gouji", "r.yaml"]);
        if let Some(lang) = lang {
            cmd.args(["--lang", lang]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    insta::assert_snapshot!("cli_zh", run(None));
    insta::assert_snapshot!("cli_en", run(Some("en")));
}
