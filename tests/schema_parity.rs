//! `gouji schema` and the linter agree. Every example, fixture, sample and imported report —
//! and thousands of mutations of them (misspelt keys, text, quoted, negative and fractional
//! numbers, blanks, split rows, rows merged into one) — get the same verdict from a JSON
//! Schema validator (the `jsonschema` crate, draft 2020-12, as yaml-language-server uses the
//! schema) and from the document binder's structural checks.
//!
//! Verdicts: the schema accepts a document exactly when binding it finds nothing, or only
//! the shapes the linter keeps with a warning (`structure/split-row`,
//! `structure/merged-rows`). YAML is turned into JSON by the YAML 1.2 core schema, as an
//! editor reads it.

use std::sync::LazyLock;

use gouji::document::{choose_schema, Document};
use gouji::schema::Registry;
use gouji::source::Source;
use gouji::yaml::{self, NodeId, NodeKind, Tree};
use serde_json::{json, Value};

/// What the structural checks keep with only a warning: the schema accepts these shapes.
const ACCEPTED: &[&str] = &["structure/split-row", "structure/merged-rows"];

/// A plain YAML scalar typed by the YAML 1.2 core schema.
fn core_scalar(text: &str) -> Value {
    let t = text.trim();
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return json!(true),
        "false" | "False" | "FALSE" => return json!(false),
        _ => {}
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<i64>() {
            return json!(n);
        }
    }
    static FLOAT: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$").unwrap()
    });
    if FLOAT.is_match(t) {
        if let Ok(f) = t.parse::<f64>() {
            return json!(f);
        }
    }
    json!(text)
}

fn to_json(tree: &Tree, id: NodeId) -> Value {
    match &tree.node(id).kind {
        NodeKind::Scalar { text, plain: true } => core_scalar(text),
        NodeKind::Scalar { text, plain: false } => json!(text.as_ref()),
        NodeKind::Seq(items) => items.iter().map(|&i| to_json(tree, i)).collect(),
        NodeKind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(tree, e.value)))
                .collect(),
        ),
    }
}

struct Checker {
    registry: Registry,
    validators: Vec<(String, jsonschema::Validator)>,
    compared: usize,
    accepted: usize,
}

impl Checker {
    fn new() -> Checker {
        let registry = Registry::builtin();
        let validators = registry
            .schemas
            .iter()
            .map(|s| {
                let v = jsonschema::validator_for(&s.json_schema()).expect("a valid JSON Schema");
                (s.name.clone(), v)
            })
            .collect();
        Checker {
            registry,
            validators,
            compared: 0,
            accepted: 0,
        }
    }

    /// Both verdicts on one text; texts that are not YAML or name no format are skipped.
    fn compare(&mut self, name: &str, text: &str) {
        let source = Source::new(name, text);
        let Ok(tree) = yaml::parse(&source.text, yaml::Limits::default()) else {
            return;
        };
        let instance = to_json(&tree, tree.root);
        let Ok(schema) = choose_schema(&tree, &self.registry) else {
            return;
        };
        let doc = Document::bind(&source, tree, schema.clone());
        let refused: Vec<String> = doc
            .findings
            .iter()
            .filter(|f| !ACCEPTED.contains(&f.rule.as_str()))
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect();
        let validator = &self
            .validators
            .iter()
            .find(|(n, _)| *n == schema.name)
            .expect("a validator per format")
            .1;
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert_eq!(
            errors.is_empty(),
            refused.is_empty(),
            "{name}: the schema says {errors:#?}\nthe linter says {refused:#?}\n{text}"
        );
        self.compared += 1;
        self.accepted += usize::from(errors.is_empty());
    }
}

/// The reports of the repository, and the importer's output for its fixtures.
fn corpus() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push_dir = |dir: &str, suffix: &str| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(suffix))
            .collect();
        files.sort();
        for f in files {
            out.push((
                f.display().to_string(),
                std::fs::read_to_string(&f).unwrap(),
            ));
        }
    };
    push_dir("examples", ".yaml");
    push_dir("tests/fixtures/lint", ".yaml");
    push_dir("rules/formats", ".sample.yaml");
    let mut imports: Vec<_> = std::fs::read_dir("tests/fixtures/import")
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    imports.sort();
    for f in imports {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        if let Ok(imported) = gouji::import::import_bytes(&name, &std::fs::read(&f).unwrap()) {
            out.push((format!("import of {name}"), imported.yaml));
        }
    }
    out
}

#[test]
fn every_example_fixture_and_import_gets_the_same_verdict() {
    let mut c = Checker::new();
    let corpus = corpus();
    for (name, text) in &corpus {
        c.compare(name, text);
    }
    // The seed's split row is accepted; imported reports carry 来源 and may carry 不完整.
    assert!(c.compared >= 8, "compared {}", c.compared);
    assert!(c.accepted >= 4, "accepted {}", c.accepted);
}

/// The text with `span` replaced.
fn splice(text: &str, span: &std::ops::Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..span.start], &text[span.end..])
}

/// Every mutation of a report: each scalar value replaced (a few replacements each,
/// rotating), each key misspelt, each one-line mapping split into sub-rows, each block
/// mapping written as one flow row.
fn mutations(text: &str) -> Vec<String> {
    const VALUES: &[&str] = &[
        "abc",
        "-3",
        "1.5",
        "\"12\"",
        "-",
        "~",
        "{a: 1}",
        "７",
        "\" — \"",
        "3.0",
        "[1, 2]",
        "''",
        "true",
        "5 件",
    ];
    let tree = yaml::parse(text, yaml::Limits::default()).unwrap();
    let mut out = Vec::new();
    let mut n = 0usize;
    for node in &tree.nodes {
        let NodeKind::Map(entries) = &node.kind else {
            continue;
        };
        for e in entries {
            out.push(splice(text, &e.key_span, &format!("{}x", e.key)));
            let value = tree.node(e.value);
            let span = &value.span;
            match &value.kind {
                NodeKind::Scalar { .. } if !text[span.clone()].contains('\n') => {
                    for k in [n, n + 5] {
                        out.push(splice(text, span, VALUES[k % VALUES.len()]));
                    }
                    n += 1;
                }
                NodeKind::Map(inner) if !text[span.clone()].contains('\n') && !inner.is_empty() => {
                    // `{a: 1, b: 2}` → `{甲: {a: 1}, 乙: {b: 2}}`
                    let half = inner.len().div_ceil(2);
                    let part = |es: &[yaml::Entry]| {
                        es.iter()
                            .map(|e| {
                                format!("{}: {}", e.key, &text[tree.node(e.value).span.clone()])
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let split = format!(
                        "{{甲: {{{}}}, 乙: {{{}}}}}",
                        part(&inner[..half]),
                        part(&inner[half..])
                    );
                    out.push(splice(text, span, &split));
                }
                NodeKind::Map(inner) if !inner.is_empty() => {
                    // A block of rows written as one row of numbers.
                    let keys: Vec<String> = inner.iter().map(|e| format!("{}: 1", e.key)).collect();
                    let end = text[..span.end].trim_end().len();
                    out.push(splice(
                        text,
                        &(span.start..end),
                        &format!("{{{}}}", keys.join(", ")),
                    ));
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn mutations_of_every_example_get_the_same_verdict() {
    let mut c = Checker::new();
    let bases = [
        "examples/chaoyang-2020.yaml",
        "examples/balanced-2021.yaml",
        "rules/formats/2019.sample.yaml",
        "rules/formats/2021.sample.yaml",
    ];
    for base in bases {
        let text = std::fs::read_to_string(base).unwrap();
        for (i, m) in mutations(&text).iter().enumerate() {
            c.compare(&format!("{base} mutation {i}"), m);
        }
    }
    assert!(c.compared > 2000, "compared {}", c.compared);
    assert!(c.accepted > 100, "accepted {}", c.accepted);
    assert!(
        c.compared - c.accepted > 1000,
        "refused {}",
        c.compared - c.accepted
    );
}

#[test]
fn the_exported_schemas_close_every_fixed_mapping() {
    let registry = Registry::builtin();
    for schema in &registry.schemas {
        let json = schema.json_schema();
        let mut open = Vec::new();
        fn walk(v: &Value, path: &str, open: &mut Vec<String>) {
            if let Some(obj) = v.as_object() {
                if obj.get("properties").is_some()
                    && obj.get("additionalProperties") != Some(&json!(false))
                {
                    open.push(path.to_string());
                }
                for (k, child) in obj {
                    walk(child, &format!("{path}/{k}"), open);
                }
            } else if let Some(arr) = v.as_array() {
                for (i, child) in arr.iter().enumerate() {
                    walk(child, &format!("{path}/{i}"), open);
                }
            }
        }
        walk(&json, "", &mut open);
        assert!(
            open.is_empty(),
            "{}: open mappings at {open:?}",
            schema.name
        );
    }
}
