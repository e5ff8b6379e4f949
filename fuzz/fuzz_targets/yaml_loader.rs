//! Any bytes as a report file: decode, parse (both YAML builders), bind, check.
#![no_main]

use gouji_fuzz::engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = gouji::load::decode("fuzz.yaml".into(), data.to_vec()) else {
        return;
    };
    // The fast path and the reference builder must agree wherever the fast path answers.
    let limits = gouji::yaml::Limits::default();
    if gouji::yaml::parse_fast(&source.text, limits).is_some() {
        assert!(
            gouji::yaml::parse_with_granit(&source.text, limits).is_ok(),
            "the fast path accepted what granit refuses"
        );
    }
    for f in engine().check(&source, None) {
        assert!(f.span.start <= f.span.end && f.span.end <= source.text.len());
    }
});
