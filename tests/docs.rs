//! The manuals are executed: every rule in docs/rule-language.md loads and its examples pass,
//! and docs/rules.md is what the rule files generate.

use std::sync::Arc;

use gouji::rules::{examples, reference, RuleSet};
use gouji::schema::{Registry, Schema};
use gouji::source::Source;

fn gouji_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```gouji") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

/// The manual's files (```` ```yaml file=NAME ````): name and text.
fn file_blocks(markdown: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        match &mut current {
            None => {
                if let Some(name) = trimmed.strip_prefix("```yaml file=") {
                    current = Some((name.trim().to_string(), String::new()));
                }
            }
            Some(_) if trimmed == "```" => files.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    files
}

/// The built-in formats and the formats the manual writes (its `file=` schemas, each with
/// its sample).
fn manual_registry(markdown: &str) -> Registry {
    let files = file_blocks(markdown);
    let mut registry = Registry::builtin();
    let sample = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, t)| Arc::new(Source::new(n.clone(), t.clone())))
    };
    for (name, text) in &files {
        if name.ends_with(".sample.yaml") {
            continue;
        }
        let schema = Schema::parse(Arc::new(Source::new(name.clone(), text.clone())), &sample)
            .unwrap_or_else(|e| panic!("{name} in the manual does not load: {}", e.message));
        registry.schemas.push(Arc::new(schema));
    }
    registry
}

#[test]
fn every_rule_in_the_manual_loads_and_its_examples_pass() {
    let text = std::fs::read_to_string("docs/rule-language.md").unwrap();
    let blocks = gouji_blocks(&text);
    assert!(blocks.len() >= 8, "found {} gouji blocks", blocks.len());
    let registry = manual_registry(&text);
    for (i, block) in blocks.iter().enumerate() {
        let source = Arc::new(Source::new(
            format!("docs/rule-language.md#block{i}"),
            block.clone(),
        ));
        let rules = match RuleSet::load(&[source], &registry) {
            Ok(r) => r,
            Err(errs) => panic!(
                "block {i} does not load:\n{block}\n{:?}",
                errs.iter()
                    .map(|e| format!("{}: {e}", e.location()))
                    .collect::<Vec<_>>()
            ),
        };
        for outcome in examples::run(&rules, &registry) {
            let failures: Vec<String> = outcome
                .failures
                .iter()
                .map(|e| format!("{}: {e}", e.location()))
                .collect();
            assert!(
                failures.is_empty(),
                "block {i}, rule {}: {failures:?}",
                outcome.rule
            );
            assert!(
                outcome.passed >= 2,
                "block {i}, rule {} ran {} examples",
                outcome.rule,
                outcome.passed
            );
        }
    }
}

#[test]
fn rules_md_is_generated_from_the_rule_files() {
    let registry = Registry::builtin();
    let rules = RuleSet::load(&RuleSet::builtin_sources(), &registry).unwrap();
    let expected = reference::markdown(&rules);
    let actual = std::fs::read_to_string("docs/rules.md").unwrap();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn the_editor_schemas_are_generated_from_the_formats() {
    let registry = Registry::builtin();
    for name in ["2019", "2021"] {
        let schema = registry.by_name(name).unwrap();
        let expected = serde_json::to_string_pretty(&schema.json_schema()).unwrap() + "\n";
        let actual = std::fs::read_to_string(format!("docs/schema/{name}.json")).unwrap();
        assert!(actual == expected, "docs/schema/{name}.json is stale: run `cargo run -- schema {name} > docs/schema/{name}.json`");
    }
}

#[test]
fn every_key_in_report_format_md_is_in_its_schema() {
    let registry = Registry::builtin();
    let text = std::fs::read_to_string("docs/report-format.md").unwrap();
    let mut format = None;
    let mut checked = 0;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("### Format ") {
            format = rest.split_whitespace().next().map(str::to_string);
            continue;
        }
        let (Some(name), Some(path)) = (
            &format,
            line.strip_prefix("| `").and_then(|l| l.split('`').next()),
        ) else {
            continue;
        };
        let schema = registry.by_name(name).unwrap();
        let found = path
            .split('.')
            .try_fold(gouji::schema::ROOT, |n, k| schema.child(n, k));
        assert!(
            found.is_some(),
            "docs/report-format.md lists `{path}`, which format {name} does not have"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} keys checked");
}

/// A place in a report: the first character after `after` on the first line that starts
/// (indentation aside) with `row`.
struct At {
    row: &'static str,
    after: &'static str,
}

const fn at(row: &'static str, after: &'static str) -> At {
    At { row, after }
}

/// One worked example of the manual, failing on a real report: the report (a format's
/// sample with its text edited, prose appended), last year's report for a `prior` rule,
/// where the finding must point, and where its cells must be (`path`, in last year's file
/// when `prior`).
struct Located {
    rule: &'static str,
    base: &'static str,
    edits: &'static [(&'static str, &'static str)],
    append: &'static str,
    prior: Option<&'static [(&'static str, &'static str)]>,
    at: At,
    cells: &'static [(&'static str, bool, At)],
    /// The finding's message (`""`: not compared).
    message: &'static str,
}

/// The issue's nine worked examples, each failing once, located.
const LOCATED: &[Located] = &[
    Located {
        rule: "my/deadline",
        base: "2021",
        edits: &[],
        append: "正文:\n  总体情况: 本报告于2024年2月6日在门户网站发布。\n",
        prior: None,
        at: at("总体情况:", "总体情况: "),
        cells: &[
            ("年度", false, at("年度:", "年度: ")),
            ("正文.总体情况", false, at("总体情况:", "总体情况: ")),
        ],
        message: "报告写明于 2024年2月6日 发布，晚于 2024年1月31日",
    },
    Located {
        rule: "my/review-bound",
        base: "2021",
        edits: &[("行政复议:         {结果维持: 3, 结果纠正: 1, 其他结果: 0, 尚未审结: 1, 总计: 5}", "行政复议:         {结果维持: 3, 结果纠正: 1, 其他结果: 0, 尚未审结: 1, 总计: 9999}")],
        append: "",
        prior: None,
        at: at("行政复议:", "总计: "),
        cells: &[
            ("申请.新收.总计", false, at("新收:", "总计: ")),
            ("复议诉讼.行政复议.总计", false, at("行政复议:", "总计: ")),
        ],
        message: "行政复议 9999 件，比本年新收申请 268 件还多 9731 件",
    },
    Located {
        rule: "my/prose-completion-rate",
        base: "2021",
        edits: &[],
        append: "正文:\n  总体情况: 全年依申请公开办结率98.5%。\n",
        prior: None,
        at: at("总体情况:", "总体情况: "),
        cells: &[
            ("申请.新收.总计", false, at("新收:", "总计: ")),
            ("申请.上年结转.总计", false, at("上年结转:", "总计: ")),
            ("申请.办理结果.总计.总计", false, at("总计:", "其他: 1, 总计: ")),
            ("正文.总体情况", false, at("总体情况:", "总体情况: ")),
        ],
        message: "正文写“全年依申请公开办结率98.5%。”，按表三算得 94.66%",
    },
    Located {
        rule: "quxian/non-negative",
        base: "quxian",
        edits: &[("转办: {当面: 0, 网络: 2,", "转办: {当面: 0, 网络: -2,")],
        append: "",
        prior: None,
        at: at("转办:", "网络: "),
        cells: &[("办件.转办.网络", false, at("转办:", "网络: "))],
        message: "「转其他机关办理 / 网络申请」为 -2",
    },
    Located {
        rule: "my/group-subtotal",
        base: "2021",
        edits: &[(
            "      确认或重新出具:  {自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 0}\n",
            "      确认或重新出具:  {自然人: 0, 商业企业: 0, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 0}\n      小计:            {自然人: 21, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 21}\n",
        )],
        append: "",
        prior: None,
        at: at("小计:", "自然人: "),
        cells: &[
            ("申请.办理结果.不予处理.信访举报投诉.自然人", false, at("信访举报投诉:", "自然人: ")),
            ("申请.办理结果.不予处理.重复申请.自然人", false, at("重复申请:", "自然人: ")),
            ("申请.办理结果.不予处理.公开出版物.自然人", false, at("公开出版物:", "自然人: ")),
            ("申请.办理结果.不予处理.大量反复申请.自然人", false, at("大量反复申请:", "自然人: ")),
            ("申请.办理结果.不予处理.确认或重新出具.自然人", false, at("确认或重新出具:", "自然人: ")),
            ("申请.办理结果.不予处理.小计.自然人", false, at("小计:", "自然人: ")),
        ],
        message: "三、本年度办理结果 / （五）不予处理「自然人」列：小计为 21，本组各行相加为 11 + 9 = 20",
    },
    Located {
        rule: "my/agency-name",
        base: "2019",
        edits: &[("机关: 样例机关", "机关: 本局")],
        append: "",
        prior: None,
        at: at("机关:", "机关: "),
        cells: &[("机关", false, at("机关:", "机关: "))],
        message: "机关名称“本局”不像机关全称",
    },
    Located {
        rule: "my/carry-over",
        base: "2019",
        edits: &[],
        append: "",
        prior: Some(&[
            ("年度: 2020", "年度: 2019"),
            ("结转:      {自然人: 33, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 34}", "结转:      {自然人: 14, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 16}"),
        ]),
        at: at("上年结转:", "总计: "),
        cells: &[
            ("申请.上年结转.总计", false, at("上年结转:", "总计: ")),
            ("申请.结转.总计", true, at("结转:", "总计: ")),
        ],
        message: "15 ≠ 16",
    },
    Located {
        rule: "my/since-2023",
        base: "2021",
        edits: &[("其他: 1, 总计: 268}", "其他: 1, 总计: —}")],
        append: "",
        prior: None,
        at: at("新收:", "总计: "),
        cells: &[("申请.新收.总计", false, at("新收:", "总计: "))],
        message: "2023 年起：本年新收申请应填写总计",
    },
    Located {
        rule: "my/disclosure-ratio",
        base: "2021",
        edits: &[("其他: 1, 总计: 141}", "其他: 1, 总计: 5000}")],
        append: "",
        prior: None,
        at: at("予以公开:", "总计: "),
        cells: &[
            ("申请.办理结果.予以公开.总计", false, at("予以公开:", "总计: ")),
            ("申请.办理结果.部分公开.总计", false, at("部分公开:", "总计: ")),
            ("申请.办理结果.总计.总计", false, at("总计:", "其他: 1, 总计: ")),
        ],
        message: "公开比例为 1888.0%，超过 100%",
    },
];

/// The 1-based line and column (in characters) of a place.
fn position(text: &str, at: &At) -> (u64, u64) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with(at.row))
        .unwrap_or_else(|| panic!("no line starts with {}", at.row));
    let col = line
        .find(at.after)
        .unwrap_or_else(|| panic!("no `{}` on line {}", at.after, i + 1))
        + at.after.len();
    (i as u64 + 1, line[..col].chars().count() as u64 + 1)
}

fn edited(base: &str, edits: &[(&str, &str)], append: &str) -> String {
    let mut text = base.to_string();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "`{from}` must occur once");
        text = text.replacen(from, to, 1);
    }
    text + append
}

#[test]
fn the_worked_examples_fail_on_real_reports_located_in_the_json_output() {
    let manual = std::fs::read_to_string("docs/rule-language.md").unwrap();
    let registry = manual_registry(&manual);
    let blocks = gouji_blocks(&manual);
    let files = file_blocks(&manual);
    assert_eq!(LOCATED.len(), 9);
    for case in LOCATED {
        let block = blocks
            .iter()
            .find(|b| b.contains(&format!("rule {} {{", case.rule)))
            .unwrap_or_else(|| panic!("{} is not in the manual", case.rule));
        let source = Arc::new(Source::new("manual.gouji", block.clone()));
        let rules = RuleSet::load(&[source], &registry).unwrap();
        let engine = gouji::engine::Engine::new(manual_registry(&manual), rules);
        let base = match case.base {
            "2019" => include_str!("../rules/formats/2019.sample.yaml").to_string(),
            "2021" => include_str!("../rules/formats/2021.sample.yaml").to_string(),
            name => files
                .iter()
                .find(|(n, _)| *n == format!("{name}.sample.yaml"))
                .map(|(_, t)| t.clone())
                .unwrap(),
        };
        let text = edited(&base, case.edits, case.append);
        let prior_text = case.prior.map(|edits| edited(&base, edits, ""));
        let report = Source::new("reports/this.yaml", text.clone());
        let prior = prior_text
            .as_ref()
            .map(|t| Source::new("reports/last.yaml", t.clone()));
        let found: Vec<_> = engine
            .check(&report, prior.as_ref())
            .into_iter()
            .filter(|f| f.rule != "repair/plan")
            .collect();
        assert_eq!(found.len(), 1, "{}: {found:#?}", case.rule);
        assert_eq!(found[0].rule, case.rule);
        let mut json = Vec::new();
        gouji::render::json::write_finding("reports/this.yaml", &report, &found[0], &mut json);
        let f: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let pos =
            |v: &serde_json::Value| (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap());
        assert_eq!(pos(&f), position(&text, &case.at), "{}: {f:#}", case.rule);
        if !case.message.is_empty() {
            assert_eq!(f["message"], case.message, "{}", case.rule);
        }
        let cells = f["cells"].as_array().unwrap();
        assert_eq!(cells.len(), case.cells.len(), "{}: {f:#}", case.rule);
        for (path, last_year, at) in case.cells {
            let cell = cells
                .iter()
                .find(|c| c["path"] == *path)
                .unwrap_or_else(|| panic!("{}: no cell {path}: {f:#}", case.rule));
            let (file, in_text) = match (last_year, &prior_text) {
                (true, Some(t)) => (Some("reports/last.yaml"), t),
                _ => (None, &text),
            };
            assert_eq!(cell["file"].as_str(), file, "{}: {cell:#}", case.rule);
            assert_eq!(pos(cell), position(in_text, at), "{}: {cell:#}", case.rule);
        }
    }
}

/// Whether `word` occurs in `text` as a whole word (not inside a longer name).
fn has_word(text: &str, word: &str) -> bool {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}

/// Every keyword and symbol of the grammar (its quoted literals), every built-in function,
/// and every word the manual's headings and its tables of paths, operators, functions,
/// placeholders and sets name, occurs in a rule the manual runs
/// (`every_rule_in_the_manual_loads_and_its_examples_pass`).
#[test]
fn every_keyword_of_the_language_is_in_a_rule_the_manual_runs() {
    let manual = std::fs::read_to_string("docs/rule-language.md").unwrap();
    let blocks = gouji_blocks(&manual).join("\n");
    let grammar = std::fs::read_to_string("grammar/rules.pest").unwrap();
    // Whitespace and the characters of the string and comment syntax are not constructs.
    let layout = [
        " ",
        "\\t",
        "\\r",
        "\\n",
        "\\u{3000}",
        "\\u{FEFF}",
        "\\\\",
        "\\\"",
    ];
    let mut literals: Vec<String> = Vec::new();
    for line in grammar
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
    {
        let mut rest = line;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            // A literal ends at the first quote that is not escaped.
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            let lit = &after[..end];
            if !layout.contains(&lit) && !literals.iter().any(|l| l == lit) {
                literals.push(lit.to_string());
            }
            rest = &after[end + 1..];
        }
    }
    assert!(literals.len() > 40, "{literals:?}");
    let mut missing = Vec::new();
    for lit in &literals {
        let found = if lit.chars().all(|c| c.is_ascii_alphabetic()) {
            has_word(&blocks, lit)
        } else {
            blocks.contains(lit.as_str())
        };
        if !found {
            missing.push(format!("grammar `{lit}`"));
        }
    }
    let mut calls: Vec<&str> = gouji::rules::functions::FUNCTIONS
        .iter()
        .map(|f| f.name)
        .collect();
    calls.extend(gouji::rules::functions::SET_FUNCTIONS);
    for name in calls {
        if !blocks.contains(&format!("{name}(")) {
            missing.push(format!("function `{name}`"));
        }
    }
    // The manual's headings, and its tables of paths, operators, functions, placeholders and
    // sets: the words in their first column.
    let mut section = "";
    for line in manual.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = h;
            // A heading that names a construct (`for each`).
            for code in h.split('`').skip(1).step_by(2) {
                if !blocks.contains(code) {
                    missing.push(format!("heading `{code}`"));
                }
            }
            continue;
        }
        let tables = [
            "Paths: naming cells",
            "Operators",
            "Functions",
            "Messages",
            "`for each`",
        ];
        if !tables.contains(&section) {
            continue;
        }
        let Some(first) = line.strip_prefix('|').and_then(|l| l.split('|').next()) else {
            continue;
        };
        for code in first.split('`').skip(1).step_by(2) {
            for word in code.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
                // Placeholders the tables use for any name or value.
                let generic = [
                    "x", "A", "B", "E", "X", "Y", "text", "places", "year", "month", "day", "date",
                    "cell", "pattern",
                ];
                if word.len() > 1 && !generic.contains(&word) && !has_word(&blocks, word) {
                    missing.push(format!("{section} table `{word}`"));
                }
            }
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "not in any rule the manual runs: {missing:?}"
    );
}
