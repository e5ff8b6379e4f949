//! What the command line says outside rule files, in Chinese (the default) and in English
//! (`--lang en`): schema-file errors, a bad gouji.toml, and `--help`.

use std::path::Path;
use std::process::Command;

/// Runs `gouji` in `dir` (no colour, 100 columns, GOUJI_LANG unset): exit code and the
/// standard output and error, one after the other.
fn gouji(dir: &Path, args: &[&str], lang: Option<&str>) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gouji"));
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("GOUJI_LANG")
        .args(args);
    if let Some(lang) = lang {
        cmd.args(["--lang", lang]);
    }
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap()
    );
    // The folder's name changes with every run.
    let text = text.replace(&dir.display().to_string(), "DIR");
    (out.status.code(), text)
}

/// A folder with the 2019 sample report, to lint.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/formats/2019.sample.yaml"),
        dir.path().join("r.yaml"),
    )
    .unwrap();
    dir
}

/// Schema files with one mistake each.
const SCHEMAS: &[(&str, &str)] = &[
    (
        "unknown_kind",
        "name: 省级\nfields:\n  机关: {label: 机关, kind: words}\n",
    ),
    (
        "sample_not_found",
        "name: 省级\nsample: 样例.yaml\nfields:\n  机关: {label: 机关, kind: text}\n",
    ),
    ("no_name", "fields:\n  机关: {label: 机关, kind: text}\n"),
    ("no_fields", "name: 省级\n"),
    (
        "field_without_kind",
        "name: 省级\nfields:\n  机关: {label: 机关}\n",
    ),
    (
        "table_without_rows",
        "name: 省级\nfields:\n  表:\n    label: 表\n    table:\n      columns: {甲: 甲}\n",
    ),
    ("unknown_base", "extends: 2020\n"),
];

#[test]
fn schema_file_errors_in_either_language() {
    let dir = folder();
    for lang in [None, Some("en")] {
        let mut all = String::new();
        for (name, text) in SCHEMAS {
            std::fs::write(dir.path().join("s.yaml"), text).unwrap();
            let (code, out) = gouji(dir.path(), &["lint", "--schema", "s.yaml", "r.yaml"], lang);
            assert_eq!(code, Some(2), "{name}: {out}");
            all.push_str(&format!("## {name}\n{out}\n"));
        }
        insta::assert_snapshot!(format!("schema_{}", lang.unwrap_or("zh")), all);
    }
}

/// gouji.toml files with one mistake each.
const CONFIGS: &[(&str, &str)] = &[
    ("unknown_key", "rules = []\nselekt = [\"table3\"]\n"),
    ("wrong_type", "ignore = \"prose\"\n"),
    ("not_a_bool", "default-rules = \"no\"\n"),
    ("syntax", "ignore = [\"prose\"\n"),
    ("duplicate", "ignore = []\nignore = []\n"),
    ("bad_severity", "[severity]\n\"table3\" = \"fatal\"\n"),
];

#[test]
fn a_bad_gouji_toml_in_either_language() {
    let dir = folder();
    for lang in [None, Some("en")] {
        let mut all = String::new();
        for (name, text) in CONFIGS {
            std::fs::write(dir.path().join("gouji.toml"), text).unwrap();
            let (code, out) = gouji(dir.path(), &["lint", "r.yaml"], lang);
            assert_eq!(code, Some(2), "{name}: {out}");
            all.push_str(&format!("## {name}\n{out}\n"));
        }
        insta::assert_snapshot!(format!("config_{}", lang.unwrap_or("zh")), all);
    }
}

#[test]
fn help_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    for lang in [None, Some("en")] {
        let tag = lang.unwrap_or("zh");
        let (code, top) = gouji(dir.path(), &["--help"], lang);
        assert_eq!(code, Some(0));
        insta::assert_snapshot!(format!("help_{tag}"), top);
        let (code, lint) = gouji(dir.path(), &["lint", "--help"], lang);
        assert_eq!(code, Some(0));
        insta::assert_snapshot!(format!("help_lint_{tag}"), lint);
        // `gouji help lint` is `gouji lint --help`.
        let (code, via_help) = gouji(dir.path(), &["help", "lint"], lang);
        assert_eq!(code, Some(0));
        assert_eq!(via_help, lint);
    }
    // GOUJI_LANG chooses too, and --lang wins over it.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gouji"));
    let out = cmd
        .env("GOUJI_LANG", "en")
        .env("COLUMNS", "100")
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("Usage:"));
    let out = Command::new(env!("CARGO_BIN_EXE_gouji"))
        .env("GOUJI_LANG", "en")
        .args(["--lang", "zh", "fix", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("用法：") && !text.contains("Usage:"),
        "{text}"
    );
}

/// Every command and option has help from the catalogue, in both languages: none is left
/// with clap's English or without words.
#[test]
fn every_help_line_of_the_chinese_pages_is_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let commands = [
        "lint",
        "fix",
        "rules",
        "test",
        "schema",
        "import",
        "lsp",
        "completions",
        "man",
    ];
    for command in commands {
        let (code, page) = gouji(dir.path(), &[command, "--help"], None);
        assert_eq!(code, Some(0), "{page}");
        for line in page.lines() {
            let words: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
            // An option's own name, value names and values are the command line's words.
            let english = words
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_' && c != '.')
                .filter(|w| w.len() >= 4 && !w.starts_with('-') && !w.contains('.'))
                // Value names (FILE, PATHS) and abbreviations (UTF-8, BOM).
                .filter(|w| !w.chars().all(|c| !c.is_ascii_lowercase()))
                .filter(|w| !KNOWN.contains(w))
                .collect::<Vec<_>>();
            assert!(
                english.is_empty(),
                "gouji {command} --help: {line}  ← {english:?}"
            );
        }
    }
}

/// Words of the command line itself a Chinese help page may show: the program, command
/// names, values of options.
const KNOWN: &[&str] = &[
    "gouji",
    "lint",
    "rules",
    "test",
    "schema",
    "import",
    "completions",
    "human",
    "concise",
    "json",
    "sarif",
    "github",
    "html",
    "xlsx",
    "auto",
    "always",
    "never",
    "warnings",
    "builtin",
    "review",
    "table3",
    "bash",
    "elvish",
    "fish",
    "powershell",
    "zsh",
    "pass",
    "fail",
    "sample",
    "formats",
    "Excel",
    "GitHub",
    "SARIF",
    "Markdown",
    "yaml-language-server",
    "pre-commit",
    "shell",
    "docs",
    "json-output",
    "html-report",
    "rules.md",
    "Schema",
    "HTML",
    "DOCX",
    "YAML",
];

/// A report that is not readable YAML is described in either language.
#[test]
fn yaml_errors_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.yaml"), "机关: 甲\n机关: 乙\n").unwrap();
    for (lang, says) in [
        (None, "键 `机关` 重复（第一次出现在第 1 行第 1 列）"),
        (
            Some("en"),
            "the key `机关` is repeated (first at line 1, column 1)",
        ),
    ] {
        let (_, out) = gouji(dir.path(), &["lint", "r.yaml"], lang);
        assert!(out.contains(says), "{out}");
    }
}

/// Usage errors (an unknown option, a bad value, a missing argument, a misspelt command) in
/// Chinese by default and in clap's own English with `--lang en`: exit 2, on standard error,
/// the tip and the usage line kept.
#[test]
fn usage_errors_in_either_language() {
    let dir = folder();
    let bad: &[&[&str]] = &[
        &["lint", "--bogus", "r.yaml"],
        &["lint", "--formt", "json", "r.yaml"],
        &["lint", "--format", "nope", "r.yaml"],
        &["lint", "--rules"],
        &["lnt", "r.yaml"],
        &["import"],
        &["completions", "zsh2"],
        &["lint", "--lang", "fr", "r.yaml"],
    ];
    for lang in [None, Some("en")] {
        let mut all = String::new();
        for args in bad {
            let (code, text) = gouji(dir.path(), args, lang);
            assert_eq!(code, Some(2), "{args:?}: {text}");
            all.push_str(&format!("$ gouji {}\n{text}\n", args.join(" ")));
        }
        insta::assert_snapshot!(format!("usage_errors_{}", lang.unwrap_or("zh")), all);
    }
}
