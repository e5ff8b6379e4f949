//! Errors in rule files with `--lang en`: the same broken files as tests/rule_errors.rs,
//! in English (this test binary sets the language for its whole process).

#[path = "common/broken_rules.rs"]
mod broken_rules;

#[test]
fn rule_file_errors_in_english() {
    gouji::messages::set_lang(gouji::messages::Lang::En);
    insta::assert_snapshot!(broken_rules::render_all());
}
