//! Repair plans against an independent reference.
//!
//! The reference below knows nothing of gouji's rules, search or arithmetic: it reads tables
//! 三 and 四 of a balanced sample straight from the YAML text, writes their relations down
//! by hand (row totals, the column identity, the result totals, the table-四 totals), and
//! finds the smallest plans by brute force over every set of cells that touches each broken
//! relation, solving each set's equations with its own fraction-free integer elimination.
//! Mutants of the samples (1, 2 or 3 cells moved by ±1..±9, kept ≥ 0) are then given to
//! `gouji fix --write`, and what it writes is judged against the reference.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

use gouji::engine::Engine;
use gouji::finding::{PlanStatus, Severity};
use gouji::source::Source;
use proptest::prelude::*;

const SAMPLES: [&str; 2] = [
    "rules/formats/2019.sample.yaml",
    "rules/formats/2021.sample.yaml",
];

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::builtin().unwrap_or_else(|_| panic!("built-in rules")))
}

/// A sample without its prose (正文 is last in both samples).
fn sample(i: usize) -> String {
    let text = std::fs::read_to_string(SAMPLES[i]).unwrap();
    match text.find("\n正文:") {
        Some(at) => text[..at + 1].to_string(),
        None => text,
    }
}

/// One number cell of tables 三 and 四.
#[derive(Debug, Clone)]
struct CellAt {
    row: String,
    col: String,
    range: Range<usize>,
    value: i64,
}

/// The tables of a sample and their relations, each a list of (cell, coefficient) = 0.
#[derive(Debug)]
struct Tables {
    text: String,
    cells: Vec<CellAt>,
    relations: Vec<Vec<(usize, i64)>>,
}

fn tables(text: &str) -> Tables {
    let mut cells = Vec::new();
    let mut section: Option<&str> = None;
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let indent = line.len() - line.trim_start().len();
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let Some(colon) = body.find(':') else {
            continue;
        };
        let key = &body[..colon];
        if indent == 0 {
            section = ["申请", "复议诉讼"].into_iter().find(|s| *s == key);
            stack.clear();
            stack.push((0, key.to_string()));
            continue;
        }
        if section.is_none() {
            continue;
        }
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
        let row = format!("{}.{key}", path.join("."));
        let Some(open) = line.find('{') else {
            stack.push((indent, key.to_string()));
            continue;
        };
        let close = line.rfind('}').unwrap();
        let mut at = open + 1;
        for entry in line[open + 1..close].split(',') {
            let (col, value) = entry.split_once(':').unwrap();
            let lead = value.len() - value.trim_start().len();
            let vstart = at + col.len() + 1 + lead;
            let value = value.trim();
            cells.push(CellAt {
                row: row.clone(),
                col: col.trim().to_string(),
                range: start + vstart..start + vstart + value.len(),
                value: value.parse().unwrap(),
            });
            at += entry.len() + 1;
        }
    }
    let find = |row: &str, col: &str| {
        cells
            .iter()
            .position(|c| c.row == row && c.col == col)
            .unwrap_or_else(|| panic!("{row}.{col}"))
    };
    let mut relations = Vec::new();
    let mut rows: Vec<String> = cells.iter().map(|c| c.row.clone()).collect();
    rows.dedup();
    for row in &rows {
        // 总计 = the other columns of its row.
        let mut rel = vec![(find(row, "总计"), 1)];
        for (i, c) in cells.iter().enumerate() {
            if &c.row == row && c.col != "总计" {
                rel.push((i, -1));
            }
        }
        relations.push(rel);
    }
    let columns: Vec<String> = cells
        .iter()
        .filter(|c| c.row == "申请.新收")
        .map(|c| c.col.clone())
        .collect();
    for col in &columns {
        relations.push(vec![
            (find("申请.新收", col), 1),
            (find("申请.上年结转", col), 1),
            (find("申请.办理结果.总计", col), -1),
            (find("申请.结转", col), -1),
        ]);
        let mut rel = vec![(find("申请.办理结果.总计", col), 1)];
        for (i, c) in cells.iter().enumerate() {
            if c.row.starts_with("申请.办理结果.") && c.row != "申请.办理结果.总计" && &c.col == col
            {
                rel.push((i, -1));
            }
        }
        relations.push(rel);
    }
    Tables {
        text: text.to_string(),
        cells,
        relations,
    }
}

/// What the reference finds: the smallest plans (cells and their new values), or a
/// smallest set whose values its equations leave open.
#[derive(Debug, Clone, PartialEq)]
enum Reference {
    Plans(Vec<Vec<(usize, i64)>>),
    Open,
    Balanced,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// Solve `Σ_j m[r][j]·Δ_j = rhs[r]` over the integers by row reduction with integer rows
/// (each row divided by its gcd). `Some(Some(Δ))` when unique and whole, `Some(None)` when
/// consistent but not unique, `None` when impossible or not whole.
fn solve(mut m: Vec<Vec<i128>>) -> Option<Option<Vec<i128>>> {
    let n = m.first().map_or(0, |r| r.len() - 1);
    let mut rank = 0;
    let mut pivot_col = Vec::new();
    for col in 0..n {
        let Some(p) = (rank..m.len()).find(|&r| m[r][col] != 0) else {
            continue;
        };
        m.swap(rank, p);
        for r in 0..m.len() {
            if r != rank && m[r][col] != 0 {
                let (a, b) = (m[rank][col], m[r][col]);
                let pivot = m[rank].clone();
                for (x, p) in m[r].iter_mut().zip(&pivot) {
                    *x = *x * a - p * b;
                }
                let g = m[r].iter().fold(0, |g, &x| gcd(g, x));
                if g > 1 {
                    m[r].iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        pivot_col.push(col);
        rank += 1;
    }
    if m[rank..].iter().any(|r| r[n] != 0) {
        return None;
    }
    if rank < n {
        return Some(None);
    }
    let mut x = vec![0; n];
    for (r, &col) in pivot_col.iter().enumerate() {
        if m[r][n] % m[r][col] != 0 {
            return None;
        }
        x[col] = m[r][n] / m[r][col];
    }
    Some(Some(x))
}

fn reference(t: &Tables, values: &[i64], max: usize) -> Reference {
    let residual: Vec<i128> = t
        .relations
        .iter()
        .map(|rel| rel.iter().map(|&(c, k)| (k * values[c]) as i128).sum())
        .collect();
    let failing: u64 = (0..t.relations.len())
        .filter(|&r| residual[r] != 0)
        .fold(0, |m, r| m | 1 << r);
    if failing == 0 {
        return Reference::Balanced;
    }
    let mask: Vec<u64> = (0..t.cells.len())
        .map(|c| {
            (0..t.relations.len())
                .filter(|&r| t.relations[r].iter().any(|&(x, _)| x == c))
                .fold(0, |m, r| m | 1 << r)
        })
        .collect();
    let first = failing.trailing_zeros() as usize;
    let in_first: Vec<usize> = t.relations[first].iter().map(|&(c, _)| c).collect();
    for size in 1..=max {
        let mut plans = Vec::new();
        let mut open = false;
        // Every set has a cell of the first broken relation; the smallest such is `c1`.
        for &c1 in &in_first {
            let others: Vec<usize> = (0..t.cells.len())
                .filter(|&c| c != c1 && !(in_first.contains(&c) && c < c1))
                .collect();
            let mut pick = vec![0usize; size - 1];
            combos(&others, size - 1, 0, &mut pick, 0, &mut |rest| {
                let mut set = vec![c1];
                set.extend_from_slice(rest);
                let hit = set.iter().fold(0, |m, &c| m | mask[c]);
                if hit & failing != failing {
                    return;
                }
                set.sort_unstable();
                let rows: Vec<Vec<i128>> = t
                    .relations
                    .iter()
                    .enumerate()
                    .filter(|&(r, _)| hit >> r & 1 == 1)
                    .map(|(r, rel)| {
                        let mut row: Vec<i128> = set
                            .iter()
                            .map(|&c| {
                                rel.iter()
                                    .find(|&&(x, _)| x == c)
                                    .map_or(0, |&(_, k)| k as i128)
                            })
                            .collect();
                        row.push(-residual[r]);
                        row
                    })
                    .collect();
                match solve(rows) {
                    Some(Some(delta)) => {
                        let new: Vec<(usize, i64)> = set
                            .iter()
                            .zip(&delta)
                            .map(|(&c, &d)| (c, values[c] + d as i64))
                            .collect();
                        if new.iter().all(|&(_, v)| v >= 0) {
                            plans.push(new);
                        }
                    }
                    Some(None) => open = true,
                    None => {}
                }
            });
        }
        if open {
            return Reference::Open;
        }
        if !plans.is_empty() {
            // In document order of their cells, as gouji lists them (not by their values:
            // two plans that share a first cell are ordered by their second cell).
            plans.sort_by(|a: &Vec<(usize, i64)>, b| {
                a.iter().map(|x| x.0).cmp(b.iter().map(|x| x.0))
            });
            plans.dedup();
            return Reference::Plans(plans);
        }
    }
    Reference::Plans(vec![])
}

fn combos(
    from: &[usize],
    k: usize,
    start: usize,
    pick: &mut Vec<usize>,
    depth: usize,
    f: &mut dyn FnMut(&[usize]),
) {
    if depth == k {
        f(&pick[..k]);
        return;
    }
    for i in start..from.len() {
        pick[depth] = from[i];
        combos(from, k, i + 1, pick, depth + 1, f);
    }
}

/// The sample with some cells set to new values.
fn with_values(t: &Tables, values: &[i64]) -> String {
    let mut out = String::new();
    let mut at = 0;
    for (c, cell) in t.cells.iter().enumerate() {
        out.push_str(&t.text[at..cell.range.start]);
        out.push_str(&values[c].to_string());
        at = cell.range.end;
    }
    out.push_str(&t.text[at..]);
    out
}

fn samples() -> &'static [Tables; 2] {
    static T: OnceLock<[Tables; 2]> = OnceLock::new();
    T.get_or_init(|| [tables(&sample(0)), tables(&sample(1))])
}

/// Move `k` distinct cells by ±1..±9, keeping them ≥ 0.
fn mutate(t: &Tables, picks: &[(usize, i64)]) -> (Vec<i64>, Vec<usize>) {
    let mut values: Vec<i64> = t.cells.iter().map(|c| c.value).collect();
    let mut changed = Vec::new();
    for &(c, delta) in picks {
        let c = c % t.cells.len();
        if changed.contains(&c) {
            continue;
        }
        let d = if values[c] + delta < 0 { -delta } else { delta };
        values[c] += d;
        changed.push(c);
    }
    changed.sort_unstable();
    (values, changed)
}

#[test]
fn the_reference_reads_the_samples_balanced() {
    for t in samples() {
        assert!(t.cells.len() > 170, "{} cells", t.cells.len());
        let values: Vec<i64> = t.cells.iter().map(|c| c.value).collect();
        assert_eq!(reference(t, &values, 3), Reference::Balanced);
        let findings = engine().check(&Source::new("s.yaml", t.text.as_str()), None);
        assert!(findings.is_empty(), "{findings:?}");
    }
}

#[test]
fn the_seed_is_one_cell_183_to_182_on_both_errors() {
    let text = std::fs::read_to_string("examples/chaoyang-2020.yaml").unwrap();
    let (findings, plan) = engine().check_with_plan(&Source::new("seed", text.as_str()), None);
    let plan = plan.unwrap();
    assert_eq!(plan.status, PlanStatus::Unique);
    assert_eq!(plan.plans.len(), 1);
    let edits = &plan.plans[0];
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0].path, "申请.办理结果.无法提供.不掌握.总计");
    assert_eq!(
        (edits[0].from.as_str(), edits[0].to.as_deref()),
        ("183", Some("182"))
    );
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 2);
    for f in errors {
        let fix = f.fix.as_ref().unwrap();
        assert_eq!(&fix.edits, edits, "{}", f.rule);
        assert_eq!(fix.resolves, ["table3/row-total", "table3/result-total"]);
    }
}

/// How gouji handled one mutant.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    mutants: usize,
    unique_truth: usize,
    unique_other: usize,
    tied: usize,
    open: usize,
    restored: usize,
}

/// Judge gouji's plan for one mutant against the reference; returns what the reference said
/// and what gouji would write.
fn judge(t: &Tables, values: &[i64], changed: &[usize], tally: &mut Tally) -> Option<String> {
    let text = with_values(t, values);
    let (findings, plan) = engine().check_with_plan(&Source::new("m.yaml", text.as_str()), None);
    let reference = reference(t, values, 3);
    tally.mutants += 1;
    let plan = plan.unwrap_or_else(|| panic!("no plan for a mutant: {findings:?}"));
    // No suggestion anywhere is negative or fractional (every cell here is a count).
    for e in plan.plans.iter().flatten() {
        if let Some(to) = &e.to {
            let n: i64 = to.parse().unwrap_or_else(|_| panic!("{to} is not a count"));
            assert!(n >= 0, "{to}");
        }
    }
    for f in &findings {
        for e in f.fix.iter().flat_map(|x| &x.edits) {
            let n: i64 = e.to.as_deref().unwrap().parse().unwrap();
            assert!(n >= 0);
        }
    }
    match &reference {
        Reference::Plans(plans) if plans.len() == 1 => {
            let cells: Vec<usize> = plans[0].iter().map(|&(c, _)| c).collect();
            if cells == changed {
                tally.unique_truth += 1;
            } else {
                tally.unique_other += 1;
            }
            assert_eq!(plan.status, PlanStatus::Unique, "{:?} vs {plan:?}", plans);
            let mut expect = values.to_vec();
            for &(c, v) in &plans[0] {
                expect[c] = v;
            }
            Some(with_values(t, &expect))
        }
        Reference::Plans(plans) if plans.len() > 1 => {
            tally.tied += 1;
            assert_eq!(plan.status, PlanStatus::Ambiguous);
            assert_eq!(plan.plans.len(), plans.len(), "{plans:?} vs {plan:?}");
            for (ours, theirs) in plan.plans.iter().zip(plans) {
                let ours: Vec<(&str, Option<&str>)> = ours
                    .iter()
                    .map(|e| (e.path.as_str(), e.to.as_deref()))
                    .collect();
                let theirs: Vec<(String, String)> = theirs
                    .iter()
                    .map(|&(c, v)| {
                        (
                            format!("{}.{}", t.cells[c].row, t.cells[c].col),
                            v.to_string(),
                        )
                    })
                    .collect();
                let theirs: Vec<(&str, Option<&str>)> = theirs
                    .iter()
                    .map(|(p, v)| (p.as_str(), Some(v.as_str())))
                    .collect();
                assert_eq!(ours, theirs);
            }
            None
        }
        Reference::Open => {
            tally.open += 1;
            assert_ne!(plan.status, PlanStatus::Unique);
            None
        }
        other => panic!("the true change is a plan of at most 3 cells: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Through the library: what gouji would write is the reference's unique plan, and
    /// nothing when the smallest plans tie.
    #[test]
    fn plans_agree_with_the_reference(
        format in 0usize..2,
        picks in prop::collection::vec((0usize..1000, prop_oneof![-9i64..=-1, 1i64..=9]), 1..=3),
    ) {
        let t = &samples()[format];
        let (values, changed) = mutate(t, &picks);
        let mut tally = Tally::default();
        let expect = judge(t, &values, &changed, &mut tally);
        let text = with_values(t, &values);
        let (_, plan) = engine().check_with_plan(&Source::new("m.yaml", text.as_str()), None);
        let plan = plan.unwrap();
        let written = (plan.status == PlanStatus::Unique)
            .then(|| gouji::fix::apply(&text, &plan.plans[0]).unwrap());
        prop_assert_eq!(written, expect);
    }
}

/// A deterministic generator (the batch must be the same on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// Through the binary, on a folder of mutants: `gouji fix --write` restores every mutant
/// whose true change is the unique smallest plan, leaves every tie untouched and says so,
/// and writes nothing else. Prints the rates (docs/architecture.md quotes them).
#[test]
fn fix_write_restores_the_uniquely_explainable_mutants() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Lcg(20261201);
    let per = 200;
    let mut cases = Vec::new();
    let mut tallies: BTreeMap<usize, Tally> = BTreeMap::new();
    for k in 1..=3usize {
        for n in 0..per {
            let format = n % 2;
            let t = &samples()[format];
            let picks: Vec<(usize, i64)> = loop {
                let picks: Vec<(usize, i64)> = (0..k)
                    .map(|_| {
                        let d = rng.next(9) as i64 + 1;
                        (
                            rng.next(t.cells.len() as u64) as usize,
                            if rng.next(2) == 0 { d } else { -d },
                        )
                    })
                    .collect();
                let mut cells: Vec<usize> = picks.iter().map(|p| p.0).collect();
                cells.sort_unstable();
                cells.dedup();
                if cells.len() == k {
                    break picks;
                }
            };
            let (values, changed) = mutate(t, &picks);
            let tally = tallies.entry(k).or_default();
            let expect = judge(t, &values, &changed, tally);
            let name = format!("m{k}-{n:03}.yaml");
            let text = with_values(t, &values);
            std::fs::write(dir.path().join(&name), &text).unwrap();
            cases.push((k, name, format, text, expect, changed));
        }
    }
    let out = assert_cmd::Command::cargo_bin("gouji")
        .unwrap()
        .args(["fix", "--write"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "ties remain to be fixed");
    let stdout = String::from_utf8(out.stdout).unwrap();
    for (k, name, format, text, expect, changed) in &cases {
        let after = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let said: Vec<&str> = stdout
            .lines()
            .filter(|l| l.contains(name.as_str()))
            .collect();
        match expect {
            Some(fixed) => {
                assert_eq!(&after, fixed, "{name}: {said:?}");
                let original = &samples()[*format].text;
                if &after == original {
                    tallies.get_mut(k).unwrap().restored += 1;
                } else {
                    // The unique smallest plan is not the true change: written all the same,
                    // as Fellegi–Holt asks, and counted apart.
                    assert!(!changed.is_empty());
                }
            }
            None => {
                assert_eq!(&after, text, "{name} was written: {said:?}");
                assert!(
                    said.iter().any(|l| l.contains("未改写")),
                    "{name}: {said:?}"
                );
            }
        }
    }
    for (k, t) in &tallies {
        let pct = |n: usize| 100.0 * n as f64 / t.mutants as f64;
        println!(
            "{k} wrong cell(s): {} mutants; true change is the unique smallest plan {:.1}% (restored {}/{}), tied {:.1}%, another unique plan {:.1}%, open {:.1}%",
            t.mutants,
            pct(t.unique_truth),
            t.restored,
            t.unique_truth,
            pct(t.tied),
            pct(t.unique_other),
            pct(t.open)
        );
        assert_eq!(
            t.restored, t.unique_truth,
            "{k}: every uniquely explainable mutant is restored"
        );
    }
}

/// Three-cell plans that tie, two of them sharing their first cell: listed by their cells,
/// not by the value of the first (a case the property test above once drew).
#[test]
fn tied_plans_sharing_a_first_cell_are_listed_by_their_cells() {
    let t = &samples()[1];
    let (values, changed) = mutate(t, &[(683, -2), (49, -1), (872, -1)]);
    let mut tally = Tally::default();
    judge(t, &values, &changed, &mut tally);
    assert_eq!(tally.tied, 1);
}
