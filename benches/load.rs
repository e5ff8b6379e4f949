//! Per-document costs on the seed-shaped report (examples/chaoyang-2020.yaml):
//! YAML parse (spanned tree from granit-parser events), bind to the schema, and the
//! full `Engine::check` with every standard rule. `cargo bench --bench load`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gouji::document::{choose_schema, Document};
use gouji::engine::Engine;
use gouji::load;
use gouji::source::Source;

fn seed() -> Source {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chaoyang-2020.yaml");
    load::read(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{}", e.1))
}

fn bench(c: &mut Criterion) {
    let source = seed();
    let engine = Engine::builtin().expect("built-in rules load");
    let mut g = c.benchmark_group("chaoyang-2020");
    g.throughput(Throughput::Bytes(source.text.len() as u64));
    g.bench_function("parse", |b| {
        b.iter(|| load::parse(black_box(&source)).unwrap())
    });
    g.bench_function("parse+bind", |b| {
        b.iter(|| {
            let tree = load::parse(black_box(&source)).unwrap();
            let schema = choose_schema(&tree, &engine.registry).unwrap();
            Document::bind(&source, tree, schema)
        })
    });
    g.bench_function("check", |b| {
        b.iter(|| engine.check(black_box(&source), None))
    });
    g.bench_function("read+check", |b| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chaoyang-2020.yaml");
        b.iter(|| {
            let source =
                load::read(std::path::Path::new(path)).unwrap_or_else(|e| panic!("{}", e.1));
            engine.check(&source, None)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
