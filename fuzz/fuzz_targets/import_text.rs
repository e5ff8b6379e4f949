//! Any bytes as a published report (text): import it, then lint the YAML it wrote.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gouji_fuzz::import_and_lint("report.text", data);
});
