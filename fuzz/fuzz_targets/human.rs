//! Any bytes as a report, every finding rendered for people (miette), at a random width.
#![no_main]

use gouji::render::human::Human;
use gouji_fuzz::engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&width, rest)) = data.split_first() else {
        return;
    };
    let Ok(source) = gouji::load::decode("fuzz.yaml".into(), rest.to_vec()) else {
        return;
    };
    let human = Human::new(width & 1 == 1, 20 + usize::from(width));
    let mut out = String::new();
    for f in engine().check(&source, None) {
        human.finding(&source, &f, &mut out);
    }
});
