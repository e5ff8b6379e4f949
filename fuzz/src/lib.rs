//! What the fuzz targets share: one engine, and import followed by lint.

use std::sync::OnceLock;

use gouji::engine::Engine;

/// The built-in formats and rule packs, built once per process.
pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap_or_else(|_| panic!("built-in rules load")))
}

/// Import `data` as the file `name`; whatever YAML comes out must lint without a panic,
/// with every finding inside the text.
pub fn import_and_lint(name: &str, data: &[u8]) {
    let Ok(imported) = gouji::import::import_bytes(name, data) else {
        return;
    };
    let source = gouji::source::Source::new("imported.yaml", imported.yaml);
    for f in engine().check(&source, None) {
        assert!(f.span.start <= f.span.end && f.span.end <= source.text.len());
    }
}
