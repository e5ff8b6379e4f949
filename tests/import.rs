//! Tests of `gouji import` through its library API.

use gouji::import::import_bytes;

/// `IMPORT_DUMP=path cargo test --test import dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(p) = std::env::var("IMPORT_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&p).unwrap();
    let name = std::path::Path::new(&p)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let imp = import_bytes(&name, &bytes).unwrap();
    println!("{}", imp.yaml);
    for pr in &imp.problems {
        println!("{:?} {}", pr.severity, pr);
    }
}
