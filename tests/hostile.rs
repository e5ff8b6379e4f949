//! Hostile input never panics the engine, and every finding points inside its file.

use std::sync::{Arc, OnceLock};

use gouji::engine::Engine;
use gouji::rules::RuleSet;
use gouji::schema::Registry;
use gouji::source::Source;
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap_or_else(|_| panic!("built-in rules load")))
}

const SEED: &str = include_str!("../examples/chaoyang-2020.yaml");

fn check_text(text: String) {
    let source = Source::new("h.yaml", text);
    for f in engine().check(&source, None) {
        assert!(
            f.span.start <= f.span.end && f.span.end <= source.text.len(),
            "{f:?}"
        );
        assert!(source.text.is_char_boundary(f.span.start), "{f:?}");
        for c in &f.cells {
            assert!(c.span.end <= source.text.len(), "{c:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_is_checked_without_panic(text in "\\PC{0,400}") {
        check_text(text);
    }

    #[test]
    fn the_seed_with_a_slice_cut_out_or_repeated(start in 0usize..SEED.len(), len in 0usize..200, repeat in any::<bool>()) {
        let mut start = start;
        while !SEED.is_char_boundary(start) { start -= 1; }
        let mut end = (start + len).min(SEED.len());
        while !SEED.is_char_boundary(end) { end -= 1; }
        let text = if repeat {
            format!("{}{}{}", &SEED[..end], &SEED[start..end], &SEED[end..])
        } else {
            format!("{}{}", &SEED[..start], &SEED[end..])
        };
        check_text(text);
    }

    #[test]
    fn the_seed_with_one_character_replaced(at in 0usize..SEED.len(), ch in prop::sample::select(vec!['{', '}', '[', ']', ':', ',', '-', '"', '\'', '&', '*', '!', '|', '>', '#', '\n', ' ', '\t', '０', 'x'])) {
        let mut at = at;
        while !SEED.is_char_boundary(at) { at -= 1; }
        let mut text = SEED.to_string();
        let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
        text.replace_range(at..end, &ch.to_string());
        check_text(text);
    }

    #[test]
    fn rule_files_of_grammar_words_never_panic(words in prop::collection::vec(prop::sample::select(vec![
        "rule", "r/x", "{", "}", "title", "\"t\"", "severity", "error", "formats", "2019", ",", "2021", "why", "check",
        "for", "each", "c", "in", "columns(申请)", "rows(申请)", ":", "申请.新收[c]", "r.总计", "sum(r.* except 总计)",
        "+", "-", "*", "/", "==", "<=", "within", "0.5", "and", "or", "not", "if", "then", "else", "let", "x", "=",
        "(", ")", "[", "]", "pass", "fail", "on", "{}", ";", "blank", "prior(申请.结转[c])", "captures(正文.总体情况, \"(\\\\d+)件\")",
    ]), 0..60)) {
        let text = words.join(" ");
        let source = Arc::new(Source::new("fuzz.gouji", text));
        if let Ok(rules) = RuleSet::load(&[source], &Registry::builtin()) {
            let _ = gouji::rules::examples::run(&rules, &Registry::builtin());
            let seed = Source::new("seed.yaml", SEED);
            let engine = Engine::new(Registry::builtin(), rules);
            let _ = engine.check(&seed, Some(&seed));
        }
    }
}

#[test]
fn an_enormous_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(gouji::load::MAX_FILE_BYTES + 1).unwrap();
    let err = gouji::load::read(&path).unwrap_err();
    assert!(
        matches!(err.1, gouji::load::LoadError::TooLarge { .. }),
        "{:?}",
        err.1
    );
}

#[test]
fn a_wide_mapping_with_many_unknown_keys_is_reported_not_crashed_on() {
    // 50,000 distinct keys in one mapping (duplicate detection switches to a set past 32 keys).
    let mut text = String::from("机关: x\n年度: 2020\n格式: 2019\n");
    for i in 0..50_000 {
        text.push_str(&format!("k{i}: {i}\n"));
    }
    let source = Source::new("wide.yaml", text);
    let unknown = engine()
        .check(&source, None)
        .iter()
        .filter(|f| f.rule == "structure/unknown-key")
        .count();
    assert_eq!(unknown, 50_000);
}

/// Inputs the fuzz targets (fuzz/, docs/fuzzing.md) once crashed on, kept as regressions:
/// each is checked the way its target checks it.
#[test]
fn fuzz_crash_inputs_stay_fixed() {
    let mut seen = 0;
    for entry in std::fs::read_dir("tests/fixtures/fuzz/yaml_loader").unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(source) = gouji::load::decode(path.display().to_string(), bytes) else {
            continue;
        };
        let limits = gouji::yaml::Limits::default();
        if gouji::yaml::parse_fast(&source.text, limits).is_some() {
            assert!(
                gouji::yaml::parse_with_granit(&source.text, limits).is_ok(),
                "{}: the fast path accepted what granit refuses",
                path.display()
            );
        }
        check_text(source.text.clone());
        seen += 1;
    }
    assert!(seen > 0);
}
