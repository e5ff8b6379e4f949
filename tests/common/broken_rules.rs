//! Broken rule files, one mistake each, and how their errors read: shared by the Chinese
//! (tests/rule_errors.rs) and English (tests/rule_errors_en.rs) renderings, which run in
//! separate processes because the language is chosen once per process.

use std::sync::Arc;

use gouji::rules::{RuleError, RuleSet};
use gouji::schema::Registry;
use gouji::source::Source;

/// A whole rule `t/x` on format 2019 with the given lines after its header items.
fn rule_with(body: &str) -> String {
    format!("rule t/x {{\n  title \"t\"\n  why \"w\"\n  formats 2019\n{body}\n}}\n")
}

/// A rule `t/x` on format 2019 whose check is `check`.
fn check(check: &str) -> String {
    rule_with(&format!("  check {check}"))
}

/// (name, rule file) for every kind of load error a rule author meets.
pub fn cases() -> Vec<(&'static str, String)> {
    vec![
        // Syntax.
        ("syntax_generic", check("申请.新收.总计 == == 1")),
        ("syntax_single_equals", check("申请.新收.总计 = 0")),
        ("syntax_and_and", check("申请.新收.总计 > 0 && 申请.新收.自然人 > 0")),
        ("syntax_unterminated_string", rule_with("  message \"总计不对\n  check true")),
        ("syntax_unclosed_rule", "rule t/x {\n  title \"t\"\n".to_string()),
        ("syntax_given_twice", rule_with("  title \"again\"\n  check true")),
        ("syntax_number_too_large", check("申请.新收.总计 == 99999999999999999999999999999999")),
        ("syntax_brackets_too_deep", check(&format!("{}1{} == 1", "(".repeat(70), ")".repeat(70)))),
        ("syntax_chain_too_long", check(&format!("{} == 1", vec!["1"; 300].join(" + ")))),
        ("syntax_year_out_of_range", rule_with("  years 99999999999999999999..\n  check true")),
        // Declarations.
        ("decl_missing_items", "rule t/x {\n  formats 2019\n}\n".to_string()),
        ("decl_missing_formats", "rule t/x {\n  title \"t\"\n  why \"w\"\n  check true\n}\n".to_string()),
        ("decl_unknown_format", rule_with("  check true").replace("formats 2019", "formats 2020")),
        ("decl_unknown_format_no_suggestion", rule_with("  check true").replace("formats 2019", "formats provincial")),
        ("decl_defined_twice", format!("{0}{0}", check("true"))),
        ("decl_example_other_format", rule_with("  check true\n  pass on 2021 {}")),
        // Paths.
        ("path_did_you_mean", check("申请.新收x.总计 == 1")),
        ("path_selects_nothing", check("sum(主动公开.第九项.表头.*) == 1")),
        ("path_has", check("申请.新收.甲乙丙丁戊 == 1")),
        ("path_row_as_value", check("申请.新收 == 1")),
        ("path_table_as_value", check("申请 == 1")),
        ("path_except_without_wildcard", check("sum(申请.新收.总计 except 总计) == 1")),
        ("path_except_nothing", check("sum(申请.新收.* except 总记) == 1")),
        ("path_index_not_a_column", check("申请.新收[1 + 1] == 1")),
        ("path_column_as_path", check("for each c in columns(申请): c.总计 == 1")),
        ("path_text_list_arithmetic", check("sum(**) == 1")),
        // Types.
        ("type_compare_text_number", check("机关 == 1")),
        ("type_arithmetic_on_text", check("机关 + 1 == 2")),
        ("type_list_for_number", check("申请.新收.* == 1")),
        ("type_number_as_condition", check("申请.新收.总计 + 1")),
        ("type_if_without_else", check("(if true then 1) == 1")),
        // Sets and for each.
        ("set_as_value", check("columns(申请) == 1")),
        ("set_columns_of_a_row", check("for each c in columns(申请.新收): true")),
        ("set_no_table", check("for each c in columns(): true")),
        ("set_for_each_of_a_number", check("for each n in 1 + 1: n > 0")),
        ("set_dynamic_not_last", check("for each n in captures(机关, \"(\\d+)\"): for each c in columns(申请): n == 申请.新收[c]")),
        ("set_dynamic_except", check("for each n in captures(机关, \"(\\d+)\") except 总计: n >= 0")),
        // Functions.
        ("func_unknown_did_you_mean", check("summ(申请.新收.*) == 1")),
        ("func_unknown_known", check("frobnicate(申请.新收.*) == 1")),
        ("func_arity", check("round(申请.新收.总计) == 1")),
        ("func_arity_at_least", check("sum() == 1")),
        ("func_sum_of_text", check("sum(机关) == 1")),
        ("func_is_blank_of_a_list", check("is_blank(申请.新收.*)")),
        ("func_prior_of_a_list", check("prior(申请.新收.*) == 1")),
        ("func_pattern_unclosed", check("matches(机关, \"(unclosed\")")),
        ("func_pattern_other", check("matches(机关, \"a{99999999}\")")),
        ("func_pattern_not_literal", check("matches(机关, 机关)")),
        ("func_pattern_needs_group", check("capture(机关, \"局\") > 0")),
        ("func_date_literal", check("date(\"2021-02-30\") < date(年度, 1, 1)")),
        ("func_date_of_a_number", check("date(年度) < date(年度, 1, 1)")),
        // Placeholders.
        ("placeholder_unknown", rule_with("  message \"差 {dif}\"\n  check true")),
        ("placeholder_unclosed", rule_with("  message \"差 {diff\"\n  check true")),
    ]
}

/// Loads a rule file named `test.gouji` against the built-in formats.
pub fn load(rules: &str) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::load(
        &[Arc::new(Source::new("test.gouji", rules))],
        &Registry::builtin(),
    )
}

/// The errors of a rule file that must be refused.
pub fn errors(name: &str, rules: &str) -> Vec<RuleError> {
    match load(rules) {
        Ok(_) => panic!("{name}: expected the rules to be refused:\n{rules}"),
        Err(e) => e,
    }
}

/// `file:line:column: message [label]` and the help under it, one error after another.
pub fn render(errors: &[RuleError]) -> String {
    errors
        .iter()
        .map(|e| {
            let mut s = format!("{}: {}", e.location(), e);
            if !e.label.is_empty() {
                s.push_str(&format!(" [{}]", e.label));
            }
            if let Some(h) = &e.help {
                s.push_str(&format!("\n  help: {h}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every case rendered, under its name.
pub fn render_all() -> String {
    cases()
        .iter()
        .map(|(name, rules)| format!("## {name}\n{}\n", render(&errors(name, rules))))
        .collect::<Vec<_>>()
        .join("\n")
}
