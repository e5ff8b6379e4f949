//! Any text as a rule file: parse, check and compile it for every built-in format.
#![no_main]

use std::sync::{Arc, OnceLock};

use gouji::rules::RuleSet;
use gouji::schema::Registry;
use gouji::source::Source;
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::builtin)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Arc::new(Source::new("fuzz.gouji", text));
    if let Err(errors) = RuleSet::load(std::slice::from_ref(&source), registry()) {
        for e in errors {
            let _ = e.to_string();
        }
    }
});
