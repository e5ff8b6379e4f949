//! What the command line says outside rule files, in Chinese (the default) and in English
//! (`--lang en`): schema-file errors and a bad gouji.toml.

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
