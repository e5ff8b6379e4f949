//! Issue 3: the rule language — every construct evaluated on real documents, every load
//! error rendered, and properties of the standard packs on balanced reports.

use std::sync::Arc;

use gouji::engine::Engine;
use gouji::finding::{Finding, Severity};
use gouji::rules::{RuleError, RuleSet};
use gouji::schema::Registry;
use gouji::source::Source;
use proptest::prelude::*;

const S2019: &str = include_str!("../rules/formats/2019.sample.yaml");
const S2021: &str = include_str!("../rules/formats/2021.sample.yaml");

fn load(rules: &str) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::load(
        &[Arc::new(Source::new("test.gouji", rules))],
        &Registry::builtin(),
    )
}

/// One rule `t/x` on the given formats with the given check.
fn rule(formats: &str, check: &str) -> String {
    format!("rule t/x {{\n  title \"t\"\n  why \"w\"\n  formats {formats}\n  check {check}\n}}\n")
}

fn run_on(rules: &str, doc: &str, prior: Option<&str>) -> Vec<Finding> {
    let set = load(rules).unwrap_or_else(|e| panic!("{}", render_errors(&e)));
    let engine = Engine::new(Registry::builtin(), set);
    let src = Source::new("doc.yaml", doc);
    let prior = prior.map(|p| Source::new("prior.yaml", p));
    // The repair plan record is tested in tests/repair.rs.
    let mut f = engine.check(&src, prior.as_ref());
    f.retain(|f| f.rule != "repair/plan");
    let structural: Vec<_> = f
        .iter()
        .filter(|f| f.rule.starts_with("structure/"))
        .collect();
    assert!(structural.is_empty(), "{structural:#?}");
    f
}

/// The messages of the findings of a check on a document.
fn messages(formats: &str, check: &str, doc: &str) -> Vec<String> {
    run_on(&rule(formats, check), doc, None)
        .into_iter()
        .map(|f| f.message)
        .collect()
}

/// Whether a check holds on a document (no finding).
fn holds(check: &str, doc: &str) -> bool {
    messages("2019", check, doc).is_empty()
}

fn set(doc: &str, from: &str, to: &str) -> String {
    assert_eq!(doc.matches(from).count(), 1, "`{from}` must occur once");
    doc.replacen(from, to, 1)
}

fn render_errors(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| {
            let mut s = format!("{}: {}", e.location(), e);
            if let Some(h) = &e.help {
                s.push_str(&format!("\n  help: {h}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn load_error(rules: &str) -> String {
    match load(rules) {
        Ok(_) => panic!("expected the rules to be refused:\n{rules}"),
        Err(e) => render_errors(&e),
    }
}

const COUNT: &str = "主动公开.第九项.政府集中采购.采购项目数"; // 11
const MONEY: &str = "主动公开.第九项.政府集中采购.采购总金额"; // 79.1500

// ---------------------------------------------------------------- paths

#[test]
fn paths_with_chinese_and_quoted_segments() {
    assert!(holds("申请.新收.自然人 == 255", S2019));
    assert!(holds("申请.「新收」.`自然人` == 255", S2019));
    assert!(holds("「申请」.`新收`.「总计」 == 271", S2019));
    assert!(!holds("申请.新收.自然人 == 254", S2019));
    assert_eq!(
        messages("2019", "申请.新收.自然人 == 254", S2019),
        ["255 ≠ 254"]
    );
}

#[test]
fn star_deep_index_and_except() {
    // `*` over a row's columns, except 总计.
    assert!(holds("sum(申请.新收.* except 总计) == 271", S2019));
    assert!(holds("sum(申请.新收.*) == 542", S2019));
    // `**` over every row below, indexed by a column name.
    assert!(holds(
        "sum(申请.办理结果.**[\"总计\"] except 总计) == 252",
        S2019
    ));
    // `except` with several names.
    assert!(holds("sum(申请.新收.* except (总计, 自然人)) == 16", S2019));
    // `[c]` with a for-each column variable.
    assert!(holds(
        "for each c in columns(申请): 申请.新收[c] >= 0",
        S2019
    ));
    let changed = set(S2019, "上年结转:  {自然人: 14,", "上年结转:  {自然人: 15,");
    assert_eq!(
        messages(
            "2019",
            "for each c in columns(申请): 申请.新收[c] + 申请.上年结转[c] == 申请.办理结果.总计[c] + 申请.结转[c]",
            &changed
        ),
        ["255 + 15 = 270 ≠ 236 + 33 = 269"]
    );
}

// ---------------------------------------------------------------- arithmetic

#[test]
fn exact_decimal_arithmetic() {
    assert!(holds("0.1 + 0.2 == 0.3", S2019));
    assert!(holds(&format!("{MONEY} == 79.15"), S2019));
    assert!(holds(&format!("{MONEY} - 0.0001 == 79.1499"), S2019));
    assert!(holds(&format!("{MONEY} * 3 == 237.45"), S2019));
    assert!(holds(&format!("{MONEY} / 5 == 15.83"), S2019));
    assert!(holds("1 / 3 * 3 != 1 or 1 / 3 * 3 == 1", S2019));
    assert!(holds("10 - 2 - 3 == 5", S2019)); // left-associative
    assert!(holds("2 + 3 * 4 == 14", S2019)); // precedence
    assert!(holds("-3 + 5 == 2", S2019));
    assert!(!holds("0.1 + 0.2 == 0.30001", S2019));
}

#[test]
fn division_by_zero_is_a_finding() {
    let m = messages(
        "2019",
        &format!("{COUNT} / (申请.新收.科研机构) == 1"),
        S2019,
    );
    assert_eq!(m.len(), 1);
    insta::assert_snapshot!(m[0], @"无法完成这项核对：除数为 0（被除数为 11）");
}

// ---------------------------------------------------------------- logic

#[test]
fn comparisons_within_and_logic() {
    assert!(holds(
        "申请.新收.总计 > 270 and 申请.新收.总计 < 272",
        S2019
    ));
    assert!(holds(
        "申请.新收.总计 >= 271 and 申请.新收.总计 <= 271",
        S2019
    ));
    assert!(holds("申请.新收.总计 != 270", S2019));
    assert!(holds("申请.新收.总计 == 275 within 5", S2019));
    assert!(!holds("申请.新收.总计 == 277 within 5", S2019));
    assert!(holds("申请.新收.总计 == 1 or 申请.新收.总计 == 271", S2019));
    assert!(!holds(
        "申请.新收.总计 == 1 and 申请.新收.总计 == 271",
        S2019
    ));
    assert!(holds("not (申请.新收.总计 == 1)", S2019));
    assert!(holds("not not true", S2019));
    assert!(!holds("false", S2019));
    assert!(holds("机关 == \"样例机关\"", S2019));
}

#[test]
fn if_then_else_and_let() {
    assert!(holds("if 申请.新收.总计 > 1000 then false", S2019));
    assert!(!holds("if 申请.新收.总计 > 100 then false", S2019));
    assert!(holds("if 1 > 2 then false else true", S2019));
    assert!(!holds("if 1 > 2 then true else false", S2019));
    assert!(holds("(if 1 < 2 then 3 else 4) == 3", S2019));
    assert!(holds(
        "let a = 申请.新收.自然人 in let b = 申请.新收.商业企业 in a + b == 申请.新收.总计",
        S2019
    ));
    let rules = "rule t/x {\n title \"t\"\n why \"w\"\n formats 2019\n message \"a={a}\"\n check let a = 申请.新收.自然人 * 2 in a == 1\n}\n";
    let f = run_on(rules, S2019, None);
    assert_eq!(f[0].message, "a=510");
}

// ---------------------------------------------------------------- for each

#[test]
fn for_each_over_template_sets() {
    let bad_row = set(
        S2019,
        "确认或重新出具:  {自然人: 0,",
        "确认或重新出具:  {自然人: 1,",
    );
    let rows = "for each r in rows(申请): r.总计 == sum(r.* except 总计)";
    assert!(holds(rows, S2019));
    assert_eq!(messages("2019", rows, &bad_row), ["0 ≠ 1"]);
    // columns(): one instance per column.
    let cols = "for each c in columns(申请): 申请.办理结果.总计[c] == sum(申请.办理结果.**[c] except 总计)";
    assert!(holds(cols, S2019));
    assert_eq!(
        messages("2019", cols, &bad_row),
        ["236 ≠ 31 + 7 + 5 + 2 + 4 + 171 + 9 + 4 + 1 + 3 = 237"]
    ); // only the 自然人 column: the row's 总计 was not changed
       // groups(): the (三)…(五) groups of 2019.
    let groups = "for each g in groups(申请.办理结果): count(g.*[\"总计\"]) >= 3";
    assert!(holds(groups, S2019));
    assert_eq!(
        messages("2019", "for each g in groups(申请.办理结果): false", S2019).len(),
        3
    );
    assert_eq!(
        messages("2021", "for each g in groups(申请.办理结果): false", S2021).len(),
        4
    );
    // cells(): every cell of a table.
    let cells = "for each x in cells(复议诉讼): x >= 0";
    assert!(holds(cells, S2019));
    assert_eq!(
        messages("2019", "for each x in cells(复议诉讼): x < 17", S2019).len(),
        4 // 17, 19, 17, 18
    );
    // A wildcard path as the set.
    assert_eq!(
        messages("2019", "for each x in 复议诉讼.*.总计: x > 12", S2019),
        ["11 ≤ 12"]
    );
    // Nested quantifiers.
    assert_eq!(
        messages(
            "2019",
            "for each r in rows(复议诉讼): for each c in columns(复议诉讼): r[c] < 19",
            S2019
        )
        .len(),
        1
    );
}

#[test]
fn for_each_over_captures() {
    let doc = format!("{S2019}正文:\n  总体情况: \"收到申请271件，另有申请3件。\"\n");
    let check = "for each n in captures(正文.总体情况, \"申请(\\d+)件\"): n == 申请.新收.总计";
    assert_eq!(messages("2019", check, &doc), ["3 ≠ 271"]);
    assert!(holds(
        "for each n in captures(正文.总体情况, \"申请(\\d+)件\"): n > 0",
        &doc
    ));
}

// ---------------------------------------------------------------- functions

#[test]
fn aggregate_and_number_functions() {
    assert!(holds(
        "sum(申请.新收.自然人, 申请.新收.商业企业, 1) == 272",
        S2019
    ));
    assert!(holds("count(申请.新收.*) == 7", S2019));
    assert!(holds("min(复议诉讼.*.总计) == 11", S2019));
    assert!(holds("max(复议诉讼.*.总计) == 19", S2019));
    assert!(holds("max(1, 2, 3) == 3", S2019));
    assert!(holds(
        "abs(-3) == 3 and abs(申请.新收.总计 - 300) == 29",
        S2019
    ));
    assert!(holds(&format!("round({MONEY}, 1) == 79.2"), S2019));
    assert!(holds("round(2.5, 0) == 3 or round(2.5, 0) == 2", S2019));
    assert!(holds(&format!("decimals({MONEY}) == 4"), S2019));
    assert!(holds(&format!("is_integer({COUNT})"), S2019));
    assert!(!holds(&format!("is_integer({MONEY})"), S2019));
}

#[test]
fn blank_and_exists() {
    let blank = set(
        S2019,
        "其他处理:          {自然人: 3,",
        "其他处理:          {自然人: —,",
    );
    assert!(holds("is_blank(申请.办理结果.其他处理.自然人)", &blank));
    assert!(!holds("is_blank(申请.办理结果.其他处理.自然人)", S2019));
    // A blank operand makes a comparison unknown: no finding.
    assert!(holds("申请.办理结果.其他处理.自然人 == 99", &blank));
    assert!(holds("not exists(申请.新收.法人或其他组织小计)", S2019));
    let with = set(
        S2019,
        "新收:      {自然人: 255,",
        "新收:      {自然人: 255, 法人或其他组织小计: 16,",
    );
    assert!(holds("exists(申请.新收.法人或其他组织小计)", &with));
}

#[test]
fn text_patterns() {
    let doc = format!("{S2019}正文:\n  总体情况: \"本年度收到申请271件。未发生行政复议。\"\n");
    assert!(holds("matches(正文.总体情况, \"收到申请\\d+件\")", &doc));
    assert!(!holds("matches(正文.总体情况, \"行政诉讼\")", &doc));
    assert!(holds(
        "capture(正文.总体情况, \"收到申请(\\d+)件\") == 271",
        &doc
    ));
    assert_eq!(
        messages(
            "2019",
            "capture(正文.总体情况, \"收到申请(\\d+)件\") == 270",
            &doc
        ),
        ["271 ≠ 270"]
    );
    assert!(holds(
        "count(captures(正文.总体情况, \"(\\d+)\")) == 1",
        &doc
    ));
}

#[test]
fn prior_reads_last_years_report() {
    let prior = set(S2019, "结转:      {自然人: 33,", "结转:      {自然人: 34,");
    let rules = rule(
        "2019",
        "申请.上年结转.自然人 == prior(申请.结转.自然人) - 19",
    );
    assert!(run_on(&rules, S2019, Some(S2019)).is_empty());
    let f = run_on(&rules, S2019, Some(&prior));
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].message, "14 ≠ 15");
    assert_eq!(f[0].rule, "t/x");
    // Without a prior report the check is unknown.
    assert!(run_on(&rules, S2019, None).is_empty());
    assert!(load(&rules).unwrap().uses_prior());
}

// ---------------------------------------------------------------- load errors

fn rule_with(body: &str) -> String {
    format!("rule t/x {{\n  title \"t\"\n  why \"w\"\n  formats 2019\n{body}\n}}\n")
}

#[test]
fn error_syntax() {
    insta::assert_snapshot!(load_error(&rule_with("  check 申请.新收.总计 == == 1")));
    insta::assert_snapshot!(
        "error_syntax_missing_operand",
        load_error(&rule_with("  check 申请.新收.总计 ==\n"))
    );
}

/// An unclosed rule is told that `}` is expected (pest lists only named rules, so the
/// grammar names the closing brace).
#[test]
fn error_syntax_unclosed_names_the_brace() {
    let e = load_error("rule t/x {\n  title \"t\"\n");
    assert!(e.contains('}'), "{e}");
}

#[test]
fn error_unknown_path() {
    insta::assert_snapshot!(load_error(&rule_with("  check 申请.新收x.总计 == 1")));
    insta::assert_snapshot!(
        "error_unknown_path_no_suggestion",
        load_error(&rule_with("  check 申请.新收.甲乙丙丁戊 == 1"))
    );
}

#[test]
fn error_unknown_function() {
    insta::assert_snapshot!(load_error(&rule_with("  check summ(申请.新收.*) == 1")));
}

#[test]
fn error_wrong_arity() {
    insta::assert_snapshot!(load_error(&rule_with("  check round(申请.新收.总计) == 1")));
}

#[test]
fn error_types() {
    insta::assert_snapshot!(
        "error_compare_text_with_number",
        load_error(&rule_with("  check 机关 == 1"))
    );
    insta::assert_snapshot!(
        "error_arithmetic_on_text",
        load_error(&rule_with("  check 机关 + 1 == 2"))
    );
    insta::assert_snapshot!(
        "error_list_for_number",
        load_error(&rule_with("  check 申请.新收.* == 1"))
    );
    insta::assert_snapshot!(
        "error_number_as_condition",
        load_error(&rule_with("  check 申请.新收.总计 + 1"))
    );
}

#[test]
fn error_bad_regex() {
    insta::assert_snapshot!(load_error(&rule_with(
        "  check matches(机关, \"(unclosed\")"
    )));
}

#[test]
fn error_except_without_wildcard() {
    insta::assert_snapshot!(load_error(&rule_with(
        "  check sum(申请.新收.总计 except 总计) == 1"
    )));
}

#[test]
fn error_unknown_format() {
    insta::assert_snapshot!(load_error(&rule("2020", "true")));
}

#[test]
fn error_missing_items() {
    insta::assert_snapshot!(load_error("rule t/x {\n  formats 2019\n}\n"));
    insta::assert_snapshot!(
        "error_missing_formats",
        load_error("rule t/x {\n  title \"t\"\n  why \"w\"\n  check true\n}\n")
    );
}

#[test]
fn error_duplicate_rule_id() {
    let one = rule("2019", "true");
    insta::assert_snapshot!(load_error(&format!("{one}{one}")));
}

#[test]
fn error_quantifier_after_captures() {
    insta::assert_snapshot!(load_error(&rule(
        "2019",
        "for each n in captures(机关, \"(\\d+)\"): for each c in columns(申请): n == 申请.新收[c]"
    )));
}

#[test]
fn error_deep_parentheses_do_not_overflow() {
    let deep = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    insta::assert_snapshot!(load_error(&rule("2019", &format!("{deep} == 1"))));
}

#[test]
fn long_not_and_minus_chains_do_not_crash() {
    for (name, chain) in [
        ("not", format!("{}true", "not ".repeat(100_000))),
        ("neg", format!("{}1 == 1", "- ".repeat(100_000))),
    ] {
        // Must return (an error or a rule set), not overflow the stack.
        let result = std::thread::Builder::new()
            .stack_size(8 << 20)
            .spawn(move || {
                load(&rule("2019", &chain))
                    .map(|_| ())
                    .map_err(|e| render_errors(&e))
            })
            .unwrap()
            .join();
        assert!(result.is_ok(), "{name}: the loader crashed");
    }
}

// ---------------------------------------------------------------- properties

/// Rows of table 三 (flow-mapping lines under 申请) of a sample, by group.
fn shuffle_table3(doc: &str, seed: u64) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    let start = lines.iter().position(|l| *l == "申请:").unwrap();
    let end = lines[start..]
        .iter()
        .position(|l| l.is_empty())
        .map_or(lines.len(), |e| start + e);
    let mut out: Vec<String> = lines[..=start].iter().map(|s| s.to_string()).collect();
    let mut rng = seed;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // Runs of sibling row lines at the same indent (`key: {…}`) are shuffled together.
    let mut i = start + 1;
    while i < end {
        let indent = lines[i].len() - lines[i].trim_start().len();
        if !lines[i].trim_end().ends_with('}') {
            out.push(lines[i].to_string());
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end
            && lines[j].trim_end().ends_with('}')
            && lines[j].len() - lines[j].trim_start().len() == indent
        {
            j += 1;
        }
        let mut run: Vec<&str> = lines[i..j].to_vec();
        for k in (1..run.len()).rev() {
            run.swap(k, (next() % (k as u64 + 1)) as usize);
        }
        out.extend(run.into_iter().map(String::from));
        i = j;
    }
    out.extend(lines[end..].iter().map(|s| s.to_string()));
    out.join("\n") + "\n"
}

fn builtin_check(doc: &str) -> Vec<Finding> {
    Engine::builtin()
        .unwrap()
        .check(&Source::new("doc.yaml", doc), None)
}

/// Every (line, byte range) of a number in table 三 or 四 of a sample.
fn numbers_of_tables(doc: &str) -> Vec<(usize, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut in_table = false;
    for (n, line) in doc.split_inclusive('\n').enumerate() {
        if !line.starts_with(' ') && !line.starts_with('#') {
            in_table = line.starts_with("申请:") || line.starts_with("复议诉讼:");
        }
        if in_table {
            let bytes = line.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_digit() && i > 0 && bytes[i - 1] == b' ' {
                    let s = i;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                    out.push((n, offset + s..offset + i));
                } else {
                    i += 1;
                }
            }
        }
        offset += line.len();
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn decimals_are_exact(a in 0u32..1_000_000_000, scale in 0u32..5, b in -1_000_000i64..1_000_000, bs in 0u32..5) {
        let a = rust_decimal::Decimal::new(a as i64, scale);
        let b = rust_decimal::Decimal::new(b, bs);
        let doc = set(S2019, "采购总金额: 79.1500", &format!("采购总金额: {a}"));
        let check = format!("{MONEY} + {b} - {b} == {a} and {MONEY} + {b} - {a} == {b} and decimals({MONEY}) == {scale}")
            .replace("+ -", "- ")
            .replace("- -", "+ ");
        prop_assert!(holds(&check, &doc), "a={a} b={b}: {check}");
    }

    #[test]
    fn row_order_does_not_matter(seed in 1u64..u64::MAX, fmt in 0usize..2) {
        let doc = shuffle_table3([S2019, S2021][fmt], seed);
        let f = builtin_check(&doc);
        let errors: Vec<_> = f.iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{doc}");
    }

    #[test]
    fn any_cell_plus_one_is_caught(pick in any::<prop::sample::Index>(), fmt in 0usize..2) {
        let doc = [S2019, S2021][fmt];
        let numbers = numbers_of_tables(doc);
        let (_, r) = numbers[pick.index(numbers.len())].clone();
        let old: u64 = doc[r.clone()].parse().unwrap();
        let changed = format!("{}{}{}", &doc[..r.start], old + 1, &doc[r.end..]);
        let f = builtin_check(&changed);
        prop_assert!(
            f.iter().any(|f| f.severity == Severity::Error),
            "{} at byte {}: {} → {} not caught",
            ["2019", "2021"][fmt], r.start, old, old + 1
        );
    }
}

#[test]
fn every_cell_plus_one_is_caught_exhaustively() {
    for (name, doc) in [("2019", S2019), ("2021", S2021)] {
        let numbers = numbers_of_tables(doc);
        assert!(numbers.len() > 150, "{name}: {}", numbers.len());
        for (line, r) in numbers {
            let old: u64 = doc[r.clone()].parse().unwrap();
            let changed = format!("{}{}{}", &doc[..r.start], old + 1, &doc[r.end..]);
            let f = builtin_check(&changed);
            assert!(
                f.iter().any(|f| f.severity == Severity::Error),
                "{name} line {}: {old} → {} not caught",
                line + 1,
                old + 1
            );
        }
    }
}

#[test]
fn shuffling_really_moves_rows() {
    for doc in [S2019, S2021] {
        let shuffled = shuffle_table3(doc, 0x9E37_79B9_7F4A_7C15);
        assert_ne!(shuffled, doc);
        let mut a: Vec<&str> = doc.lines().collect();
        let mut b: Vec<&str> = shuffled.lines().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }
}

// ---------------------------------------------------------------- issue 14 / 9: years, limits, numbers

/// A rule limited to some years, run on the 2019 sample (年度 2020).
fn years_rule(years: &str) -> String {
    format!("rule t/x {{\n  title \"t\"\n  why \"w\"\n  formats 2019\n  years {years}\n  check false\n}}\n")
}

#[test]
fn years_in_every_documented_form() {
    for (years, applies) in [
        ("2021..", false),
        ("2020..", true),
        ("2019..2020", true),
        ("2021..2023", false),
        ("..2020", true),
        ("..2019", false),
        ("2020", true),
        ("2019", false),
    ] {
        let rules = years_rule(years);
        let rule_set =
            load(&rules).unwrap_or_else(|e| panic!("years {years}: {}", render_errors(&e)));
        assert_eq!(
            rule_set.rules[0].applies_to_year(Some(2020)),
            applies,
            "years {years}"
        );
        let found = run_on(&rules, S2019, None).len();
        assert_eq!(found, usize::from(applies), "years {years}");
    }
}

#[test]
fn years_out_of_range_points_at_the_year() {
    let e = load_error(&years_rule("99999999999999999999.."));
    assert!(e.starts_with("test.gouji:5:9:"), "{e}");
}

/// Five nested `for each` over a table's cells used to unroll into billions of instances.
#[test]
fn unrolling_is_bounded_and_names_the_rule() {
    let check = "for each a in cells(申请):\n for each b in cells(申请):\n for each c in cells(申请):\n for each d in cells(申请):\n for each e in cells(申请):\n a <= b + c + d + e";
    let e = load_error(&rule("2019", check));
    insta::assert_snapshot!(e, @r"
    test.gouji:5:18: 规则 `t/x` 的 `for each` 在格式 2019 上展开后超过 10000 个实例，不予加载
      help: 减少嵌套的 `for each`，或用 rows(…)、columns(…)、groups(…) 只遍历需要的行或列
    ");
    // Two nested loops over the columns are fine.
    assert!(load(&rule(
        "2019",
        "for each a in columns(申请): for each b in columns(申请): 申请.新收[a] >= 0"
    ))
    .is_ok());
}

const MAX: &str = "79228162514264337593543950335";

/// The 2019 sample with the largest decimal in 新收·自然人 and `other` in 上年结转·自然人.
fn extremes(other: &str) -> String {
    let doc = set(
        S2019,
        "新收:      {自然人: 255,",
        &format!("新收:      {{自然人: {MAX},"),
    );
    set(
        &doc,
        "上年结转:  {自然人: 14,",
        &format!("上年结转:  {{自然人: {other},"),
    )
}

/// The extremes of the decimal type in two cells: comparisons, sums and the explanation
/// used to panic; now every rule runs and an overflow is a finding on the cells involved.
#[test]
fn overflow_is_a_finding_on_its_cells_never_a_panic() {
    let doc = extremes(&format!("-{MAX}"));
    let engine = Engine::new(
        Registry::builtin(),
        RuleSet::load(&RuleSet::builtin_sources(), &Registry::builtin()).unwrap(),
    );
    let f = engine.check(&Source::new("doc.yaml", doc.as_str()), None);
    let over: Vec<&Finding> = f
        .iter()
        .filter(|f| f.message.contains("超出了数值范围"))
        .collect();
    assert!(!over.is_empty(), "{f:#?}");
    for o in &over {
        assert!(
            o.cells
                .iter()
                .any(|c| c.value == MAX || c.value == format!("-{MAX}")),
            "{o:#?}"
        );
        let at = doc[o.span.clone()].to_string();
        assert!(at == MAX || at == format!("-{MAX}"), "points at {at}");
    }
    // Checks with a tolerance overflow too, and say so (both cells hold the maximum here).
    let doc = set(
        S2019,
        "新收:      {自然人: 255,",
        &format!("新收:      {{自然人: {MAX},"),
    );
    let doc = set(
        &doc,
        "上年结转:  {自然人: 14,",
        &format!("上年结转:  {{自然人: {MAX},"),
    );
    let m = messages(
        "2019",
        "申请.新收.自然人 == -申请.上年结转.自然人 within 1",
        &doc,
    );
    assert_eq!(m, ["无法完成这项核对：结果超出了数值范围（约 ±7.9×10²⁸）"]);
    // An exact comparison of the two extremes needs no arithmetic.
    assert!(messages("2019", "申请.新收.自然人 > -申请.上年结转.自然人", &doc).is_empty());
    let m = messages("2019", "申请.新收.自然人 == -申请.上年结转.自然人", &doc);
    assert_eq!(m, [format!("{MAX} ≠ -{MAX}")]);
}

/// Division by zero points at the divisor's cell, not at line 1, column 1.
#[test]
fn division_by_zero_points_at_the_divisor() {
    let f = run_on(
        &rule("2019", &format!("{COUNT} / 申请.新收.科研机构 == 1")),
        S2019,
        None,
    );
    assert_eq!(f.len(), 1);
    assert!(
        f[0].cells.iter().any(|c| c.path == "申请.新收.科研机构"),
        "{:#?}",
        f[0].cells
    );
    let src = Source::new("doc.yaml", S2019);
    let pos = src.position(f[0].span.start);
    let cell = f[0]
        .cells
        .iter()
        .find(|c| c.path == "申请.新收.科研机构")
        .unwrap();
    assert_eq!(f[0].span, cell.span);
    assert_eq!(&S2019[f[0].span.clone()], "0");
    assert!(pos.line > 1);
}

/// `let` is computed where it is used: an `if` guarding the use guards the `let`.
#[test]
fn let_is_lazy() {
    assert!(holds(
        "let q = 申请.新收.总计 / 申请.新收.科研机构 in if 申请.新收.科研机构 > 0 then q > 1",
        S2019
    ));
    // Used, it is computed (and the division by zero is a finding).
    assert_eq!(
        messages(
            "2019",
            "let q = 申请.新收.总计 / 申请.新收.科研机构 in q > 1",
            S2019
        )
        .len(),
        1
    );
}

// ---------------------------------------------------------------- beginners' errors (issue 14)

/// What a beginner types, and what gouji says: file, line, column, the problem and the fix.
#[test]
fn beginner_errors_say_what_to_type() {
    let cases = [
        ("single_equals", rule_with("  check 申请.新收.总计 = 271")),
        (
            "and_and",
            rule_with("  check 申请.新收.总计 > 0 && 申请.新收.自然人 > 0"),
        ),
        (
            "or_or",
            rule_with("  check 申请.新收.总计 > 0 || 申请.新收.自然人 > 0"),
        ),
        ("bang", rule_with("  check !is_blank(申请.新收.总计)")),
        (
            "curly_quotes",
            rule_with("  message “总计为 {rhs}”\n  check true"),
        ),
        ("full_width_gt", rule_with("  check 申请.新收.总计 ＞ 0")),
        ("full_width_eq", rule_with("  check 申请.新收.总计 ＝＝ 0")),
        (
            "unterminated_string",
            "rule t/x {\n  title \"表三各行\n  why \"w\"\n  formats 2019\n  check true\n}\n"
                .to_string(),
        ),
        (
            "unclosed_rule_before_next",
            format!(
                "rule t/x {{\n  title \"t\"\n  why \"w\"\n  formats 2019\n  check true\n\n{}",
                rule("2019", "true").replace("t/x", "t/y")
            ),
        ),
        (
            "unclosed_rule_at_end",
            "rule t/x {\n  title \"t\"\n  why \"w\"\n  formats 2019\n  check true\n".to_string(),
        ),
        (
            "patch_path_misspelt",
            rule_with("  check 申请.新收.总计 >= 0\n  pass { 申请.新收.总记 = 1 }"),
        ),
        (
            "patch_path_not_a_cell",
            rule_with("  check 申请.新收.总计 >= 0\n  fail { 申请.新收 = 1 }"),
        ),
        (
            "generic_expected",
            rule_with("  check 申请.新收.总计 == == 1"),
        ),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(format!("beginner_{name}"), load_error(&text), &text);
    }
}

/// Full-width （），：； outside strings are what an input method types: they are accepted.
#[test]
fn full_width_punctuation_is_accepted_where_unambiguous() {
    assert!(holds(
        "sum（申请.新收.自然人，申请.新收.商业企业） == 271",
        S2019
    ));
    assert!(holds(
        "for each c in columns（申请）： 申请.新收[c] >= 0",
        S2019
    ));
    // Inside strings and quoted names it stays as written.
    assert!(holds("matches（正文.总体情况，\"（\"） or true", S2019));
    let rules = "rule t/x {\n title \"t\"\n why \"w\"\n formats 2019\n check true\n pass { 申请.新收.总计 = 1； 申请.新收.自然人 = 1 }\n fail { 申请.新收.总计 = 1 }\n}\n";
    assert!(load(rules).is_ok());
}

/// A passing example that fails shows the findings, not just how many.
#[test]
fn a_failing_example_shows_its_findings() {
    let rules = rule_with("  check 申请.新收.总计 == 271\n  pass { 申请.新收.总计 = 272 }\n  fail { 申请.新收.总计 = 1 }");
    let set = load(&rules).unwrap();
    let outcomes = gouji::rules::examples::run(&set, &Registry::builtin());
    let failures: Vec<String> = outcomes[0]
        .failures
        .iter()
        .map(|e| format!("{}: {e}", e.location()))
        .collect();
    insta::assert_snapshot!("example_failure_shows_findings", failures.join("\n"));
}

// ---------------------------------------------------------------- message placeholders (issue 14)

/// A rule with a message, on format 2019.
fn with_message(message: &str, check: &str) -> String {
    rule_with(&format!("  message \"{message}\"\n  check {check}"))
}

/// A misspelt placeholder is refused when the rule loads, with the name it probably meant;
/// a path that is not in the format is refused like any path.
#[test]
fn placeholders_are_checked_at_load() {
    let cases = [
        ("typo", with_message("总计为 {lhz}", "申请.新收.总计 == 0")),
        (
            "unknown_name",
            with_message("总计为 {合计数}", "申请.新收.总计 == 0"),
        ),
        (
            "path_typo",
            with_message("总计为 {申请.新收.总记}", "申请.新收.总计 == 0"),
        ),
        ("empty", with_message("总计为 {}", "申请.新收.总计 == 0")),
        (
            "unclosed",
            with_message("总计为 {lhs", "申请.新收.总计 == 0"),
        ),
        (
            "not_an_expression",
            with_message("总计为 {lhs +}", "申请.新收.总计 == 0"),
        ),
    ];
    for (name, text) in cases {
        insta::assert_snapshot!(format!("placeholder_{name}"), load_error(&text), &text);
    }
    // `for each` variables and `let` names are placeholders too.
    assert!(load(&with_message(
        "{c}：{q}",
        "for each c in columns(申请): let q = 申请.新收[c] in q >= 0"
    ))
    .is_ok());
}

/// Placeholders may be paths and expressions; numbers show the cells' own decimals unless
/// rounded, and a quotient of whole numbers two decimals, not 28.
#[test]
fn placeholders_may_be_expressions() {
    let rules = with_message(
        "新收 {申请.新收.总计} 件，自然人占 {申请.新收.自然人 / 申请.新收.总计}，约 {round(申请.新收.自然人 / 申请.新收.总计 * 100, 1)}%，比值 {lhs}",
        "申请.新收.自然人 / 申请.新收.总计 < 0.5",
    );
    let f = run_on(&rules, S2019, None);
    assert_eq!(f.len(), 1);
    insta::assert_snapshot!(
        f[0].message,
        @"新收 271 件，自然人占 0.94，约 94.1%，比值 0.94"
    );
    // What a placeholder reads is not what the finding is about: the finding points at the
    // cells of the check only.
    let rules = with_message("上年结转总计为 {申请.上年结转.总计}", "申请.新收.总计 == 0");
    let f = run_on(&rules, S2019, None);
    let paths: Vec<&str> = f[0].cells.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, ["申请.新收.总计"]);
    // Cells with decimals keep theirs.
    let amount = "主动公开.第九项.政府集中采购.采购总金额";
    let rules = with_message(&format!("{{{amount} / 2}}"), &format!("{amount} < 0"));
    assert_eq!(run_on(&rules, S2019, None)[0].message, "39.5750");
    let rules = with_message(&format!("{{{amount} / 3}}"), &format!("{amount} < 0"));
    assert_eq!(run_on(&rules, S2019, None)[0].message, "26.3833");
}

/// The built-in `blank/*` rules say the sum they saw (their messages used to end empty).
#[test]
fn builtin_blank_messages_show_the_sum() {
    let doc = set(
        S2019,
        "予以公开:          {自然人: 31, 商业企业: 2, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 33}",
        "予以公开:          {自然人: 31, 商业企业: 2, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: }",
    );
    let f = builtin_check(&doc);
    let blank: Vec<&str> = f
        .iter()
        .filter(|f| f.rule.starts_with("blank/"))
        .map(|f| f.message.as_str())
        .collect();
    insta::assert_snapshot!(blank.join("\n"));
}

// ---------------------------------------------------------------- dates and sets (issue 14)

/// The 2021 format plus a publication date (tests/fixtures/schema/own-2021.yaml).
fn own_registry() -> Registry {
    let text = std::fs::read_to_string("tests/fixtures/schema/own-2021.yaml").unwrap();
    let own = gouji::schema::Schema::parse(Arc::new(Source::new("own-2021.yaml", text)), &|_| None)
        .unwrap();
    let mut registry = Registry::builtin();
    registry.forced = Some(Arc::new(own));
    registry
}

fn run_with(registry: Registry, rules: &str, doc: &str) -> Vec<Finding> {
    let set = RuleSet::load(&[Arc::new(Source::new("test.gouji", rules))], &registry)
        .unwrap_or_else(|e| panic!("{}", render_errors(&e)));
    let engine = Engine::new(registry, set);
    let mut f = engine.check(&Source::new("doc.yaml", doc), None);
    f.retain(|f| f.rule != "repair/plan");
    f
}

/// 条例第四十九条: the report is published by 31 January of the next year. A `date` cell
/// compares with a date made of numbers; the finding points at the date.
#[test]
fn a_date_cell_compares_with_a_deadline() {
    let rules = "rule t/deadline {\n  title \"t\"\n  why \"w\"\n  formats 2021\n  message \"发布于 {lhs}，晚于 {rhs}\"\n  check 发布日期 <= date(年度 + 1, 1, 31)\n}\n";
    let on_time = format!("{S2021}发布日期: 2024年1月28日\n");
    assert!(run_with(own_registry(), rules, &on_time).is_empty());
    let iso = format!("{S2021}发布日期: 2024-01-31\n");
    assert!(run_with(own_registry(), rules, &iso).is_empty());
    let late = format!("{S2021}发布日期: 2024 年 2 月 5 日\n");
    let f = run_with(own_registry(), rules, &late);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].message, "发布于 2024年2月5日，晚于 2024年1月31日");
    let at = late.find("2024 年 2 月 5 日").unwrap();
    assert_eq!(f[0].span, at..at + "2024 年 2 月 5 日".len());
    // A date cell holding something else cannot be compared with the deadline: that is an
    // error which stops the report being fully checked, never a quiet pass.
    let none = format!("{S2021}发布日期: 待定\n");
    let f = run_with(own_registry(), rules, &none);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].rule, "structure/not-a-date");
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(
        f[0].message,
        "「报告发布日期」应填日期（如 2024年1月28日 或 2024-01-28），却填了“待定”"
    );
    let at = none.find("待定").unwrap();
    assert_eq!(f[0].span, at..at + "待定".len());
    assert!(gouji::document::stops_checking(&f[0].rule));
    // A date with more around it is not one date either; a blank date cell is blank.
    let partial = format!("{S2021}发布日期: 1月28日\n");
    assert_eq!(
        run_with(own_registry(), rules, &partial)[0].rule,
        "structure/not-a-date"
    );
    let blank = format!("{S2021}发布日期: '-'\n");
    assert!(run_with(own_registry(), rules, &blank).is_empty());
    // `exists` and `is_blank` ask about the date cell itself.
    let rules = "rule t/dated {\n  title \"t\"\n  why \"w\"\n  formats 2021\n  check exists(发布日期) and not is_blank(发布日期)\n}\n";
    assert_eq!(run_with(own_registry(), rules, S2021).len(), 1);
    assert!(run_with(own_registry(), rules, &on_time).is_empty());
}

/// Dates from prose, literals, `year()`, and what is refused when the rule loads.
#[test]
fn dates_from_prose_literals_and_year() {
    let doc =
        format!("{S2019}正文:\n  总体情况: \"本报告于2021年3月2日发布。全年收到申请271件。\"\n");
    assert!(holds("year(date(正文.总体情况)) == 年度 + 1", &doc));
    assert!(holds("date(正文.总体情况) == date(\"2021-03-02\")", &doc));
    assert!(holds("date(正文.总体情况) > date(\"2021年1月31日\")", &doc));
    let rules = rule("2019", "date(正文.总体情况) <= date(年度 + 1, 1, 31)");
    let f = run_on(&rules, &doc, None);
    assert_eq!(f.len(), 1);
    // Located at the sentence with the date, not at the whole field.
    let sentence = "本报告于2021年3月2日发布。";
    let at = doc.find(sentence).unwrap();
    assert_eq!(f[0].span, at..at + sentence.len());
    assert!(
        f[0].cells.iter().any(|c| c.value == sentence),
        "{:#?}",
        f[0].cells
    );
    // No such day: an evaluation error located on the check.
    assert_eq!(
        messages("2019", "date(年度, 2, 30) < date(\"2021-01-01\")", S2019),
        ["无法完成这项核对：没有 2020-2-30 这一天（年、月、日须是存在的日期）"]
    );
    insta::assert_snapshot!(
        load_error(&rule("2019", "date(\"2021-02-30\") < date(年度, 1, 1)")),
        @r#"test.gouji:5:14: 「2021-02-30」不是日期：要写 date("2024-01-31") 或 date("2024年1月31日")"#
    );
    insta::assert_snapshot!(
        load_error(&rule("2019", "date(年度) < date(年度, 1, 1)")),
        @"test.gouji:5:14: `date(…)` 的参数须是文本、日期，或年、月、日三个数，这里却是数字"
    );
    insta::assert_snapshot!(
        load_error(&rule("2019", "date(年度, 1, 1) < 2021")),
        @"test.gouji:5:9: 日期不能与数字比较"
    );
}

/// `except` after any set; several tables in one `for each`.
#[test]
fn sets_take_except_and_several_tables() {
    // cells(…) except 总计: neither the 总计 column nor the 总计 rows (the largest other
    // cell of the sample's table 三 is 255, its 新收 总计 271).
    assert!(holds(
        "for each x in cells(申请) except 总计: x <= 255",
        S2019
    ));
    assert!(!holds("for each x in cells(申请): x <= 255", S2019));
    assert!(holds(
        "for each c in columns(申请) except (总计, 自然人): 申请.新收[c] < 100",
        S2019
    ));
    assert!(!holds(
        "for each c in columns(申请) except 总计: 申请.新收[c] < 100",
        S2019
    ));
    // Tables 三 and 四 together: one finding per failing cell, whichever table it is in.
    let doc = set(S2019, "结果维持: 7,", "结果维持: 300,");
    let doc = set(&doc, "自然人: 255,", "自然人: 256,");
    let f = run_on(
        &rule(
            "2019",
            "for each x in cells(申请, 复议诉讼) except 总计: x <= 255",
        ),
        &doc,
        None,
    );
    let cells: Vec<&str> = f.iter().map(|f| f.cells[0].path.as_str()).collect();
    assert_eq!(cells, ["申请.新收.自然人", "复议诉讼.复议后起诉.结果维持"]);
    insta::assert_snapshot!(
        load_error(&rule("2019", "for each x in cells(申请) except 总记: x >= 0")),
        @"test.gouji:5:40: 这里没有选中名为 `总记` 的内容，无从排除"
    );
    insta::assert_snapshot!(
        load_error(&rule("2019", "for each n in captures(正文.总体情况, \"(\\d+)\") except 总计: n >= 0")),
        @"test.gouji:5:57: `except` 只能从模板的行、列或单元格中排除名称；这个集合来自文档本身"
    );
}

/// `gouji test`'s own sentences are in the catalogue: Chinese by default.
#[test]
fn example_outcomes_are_in_chinese() {
    let rules =
        rule_with("  check 申请.新收.总计 == 271\n  pass {}\n  fail { 申请.新收.自然人 = 1 }");
    let set = load(&rules).unwrap();
    let outcomes = gouji::rules::examples::run(&set, &Registry::builtin());
    let failures: Vec<String> = outcomes[0]
        .failures
        .iter()
        .map(|e| format!("{}: {e} [{}]", e.location(), e.label))
        .collect();
    assert_eq!(
        failures,
        ["test.gouji:7:3: 这个示例应当不通过，但规则接受了它 [格式 2019]"]
    );
    let rules = rule_with("  check 申请.新收.总计 == 271\n  pass {}");
    let set = load(&rules).unwrap();
    let outcomes = gouji::rules::examples::run(&set, &Registry::builtin());
    assert_eq!(
        outcomes[0].failures[0].to_string(),
        "规则 `t/x` 没有不通过的示例（`fail { … }`）"
    );
}
