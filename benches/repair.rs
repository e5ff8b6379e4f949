//! What the repair plan costs on reports that fail.
//!
//! ```sh
//! python3 benches/gen.py 10000 /tmp/failing --error-share 1   # every report has a wrong cell
//! cargo bench --bench repair -- /tmp/failing
//! ```
//!
//! Checks every report of the folder on one thread, with repair plans off and on, three
//! rounds each (alternating, the best round kept), and prints the time per report both
//! ways, the difference — the plan's cost — and how the plans came out.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use gouji::engine::Engine;
use gouji::source::Source;

fn main() {
    let Some(dir) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench repair -- DIR");
        return;
    };
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("a folder of reports")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    let sources: Vec<Source> = paths
        .iter()
        .map(|p| Source::new(p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let mut engine = Engine::builtin().unwrap_or_else(|_| panic!("built-in rules"));
    let mut best = [Duration::MAX; 2];
    for round in 0..4 {
        for plans in [false, true] {
            engine.repair_plans = plans;
            let start = Instant::now();
            for s in &sources {
                black_box(engine.check_with_plan(s, None));
            }
            // The first round warms up.
            if round > 0 {
                let t = &mut best[plans as usize];
                *t = (*t).min(start.elapsed());
            }
        }
    }
    engine.repair_plans = true;
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut cells: BTreeMap<usize, usize> = BTreeMap::new();
    for s in &sources {
        let status = match engine.check_with_plan(s, None).1 {
            Some(p) => {
                *cells
                    .entry(p.plans.first().map_or(0, Vec::len))
                    .or_default() += 1;
                p.status.as_str()
            }
            None => "no failing relation",
        };
        *outcomes.entry(status).or_default() += 1;
    }
    let n = sources.len().max(1) as f64;
    let per = |d: Duration| d.as_secs_f64() * 1e6 / n;
    println!(
        "{} reports from {dir}, one thread, best of 3 rounds",
        sources.len()
    );
    println!(
        "without plans: {:.3} s ({:.1} µs a report)",
        best[0].as_secs_f64(),
        per(best[0])
    );
    println!(
        "with plans:    {:.3} s ({:.1} µs a report)",
        best[1].as_secs_f64(),
        per(best[1])
    );
    println!(
        "the plan:      {:.3} s ({:.1} µs a report)",
        best[1].as_secs_f64() - best[0].as_secs_f64(),
        per(best[1]) - per(best[0])
    );
    println!("outcomes: {outcomes:?}; cells in the (first) plan: {cells:?}");
}
