//! The smallest sets of cells whose new values satisfy every relation (Fellegi–Holt error
//! localisation), found by an exact search bounded by the structure of the relations.
//!
//! A set is grown one cell at a time, and only where a smallest plan must have a cell:
//!
//! * a failing relation that has no cell of the set yet must get one (it stays broken
//!   otherwise); with one cell left, that cell must be in every such relation (a full set
//!   leaving one without a cell is not even visited);
//! * a relation that holds exactly (an equality without tolerance) and has exactly one cell
//!   of the set must get a second one: alone, that cell could only keep its value, and a
//!   plan with an unchanged cell is not a smallest plan;
//! * otherwise, once the set is known not to work, any cell of a relation the set touches.
//!
//! Every smallest plan can be reached this way (each of its components touches a failing
//! relation, so some cell of it is always in a relation the set touches), so the search is
//! exact: all the smallest plans up to [`MAX_CELLS`] cells are found, and ties are seen.

use foldhash::{HashSet, HashSetExt};

use super::exact::{solve, Cmp, Constraint, Rat, Var, Verdict};
use crate::schema::SlotId;

/// The largest plan looked for.
pub const MAX_CELLS: usize = 4;
const _: () = assert!(MAX_CELLS * 32 <= 128, "a set is a u128 key");
/// Sets examined per report before the search gives up and says so.
const MAX_NODES: usize = 20_000;
/// Lattice points tried per report, for sets whose values the equalities leave free.
const MAX_POINTS: usize = 20_000;

/// How a relation compares `f = lhs − rhs` with 0 (the evaluator's comparison, `within`
/// tolerance included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Le,
    Lt,
    Ge,
    Gt,
}

/// A linear relation between cells: `f(x) = f0 + Σ coef·(x − x0)`, compared with 0.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The cells read, with nonzero coefficients.
    pub terms: Vec<(SlotId, Rat)>,
    /// `lhs − rhs` as the report stands.
    pub f0: Rat,
    pub op: Op,
    /// `within` tolerance (≥ 0).
    pub tol: Rat,
}

impl Relation {
    fn tight(&self) -> bool {
        self.op == Op::Eq && self.tol.is_zero() && self.f0.is_zero()
    }

    fn coef(&self, slot: SlotId) -> Option<Rat> {
        self.terms.iter().find(|(s, _)| *s == slot).map(|(_, k)| *k)
    }
}

/// What the search asks of the report: cells and the relations that read them.
pub trait Oracle {
    /// A cell that may be changed (a number of a numeric kind), or `None`.
    fn cell(&mut self, slot: SlotId) -> Option<Var>;
    /// Ids of every relation that reads the cell (failing ones included).
    fn relations_of(&mut self, slot: SlotId) -> Vec<usize>;
    /// The relation with this id, or `None` when it is not linear or its value is unknown.
    fn relation(&mut self, id: usize) -> Option<Relation>;
    /// How many slots and relation ids there are (what the search's tables are sized by;
    /// they grow if it is short).
    fn sizes(&self) -> (usize, usize) {
        (0, 0)
    }
}

/// One plan: the cells to change, and their new values where the relations fix them.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub cells: Vec<SlotId>,
    pub values: Vec<Option<Rat>>,
    /// Conditions over `cells` that the new values must satisfy when not all are fixed.
    pub known: Vec<super::exact::Known>,
    /// New values that satisfy every relation: `values` where fixed, a point found by the
    /// search elsewhere (a witness for the rules' own check, never a value to write).
    pub point: Vec<Rat>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// All smallest plans (one: unique; several: a tie), in document order of their cells.
    Plans(Vec<Found>),
    /// No set of up to [`MAX_CELLS`] cells satisfies every relation.
    NoPlan,
    /// The search hit its budget, or arithmetic overflowed: nothing is claimed.
    Limit,
}

struct Search<'o, O: Oracle> {
    oracle: &'o mut O,
    failing: Vec<usize>,
    /// By relation id: its relation once asked (`None` inside: not linear or unknown).
    relations: Vec<Option<Option<Relation>>>,
    /// By slot: the cell once asked.
    cells: Vec<Option<Option<Var>>>,
    /// By slot: the linear relations reading it, as a range of `pool`.
    by_cell: Vec<Option<(u32, u32)>>,
    /// By relation id: its cells that may change, as a range of `pool`.
    changeable: Vec<Option<(u32, u32)>>,
    /// By slot: which failing relations (by position in `failing`) read it, as a range of
    /// `pool` (all listed at the start).
    failing_of: Vec<(u32, u32)>,
    /// The most failing relations one cell reads: no cell added gives more of them a cell.
    most: usize,
    /// The lists above, end to end (only ever appended to, so a range stays valid).
    pool: Vec<usize>,
    /// Per-node scratch lists, as a stack: a node's lists sit above its parent's.
    scratch: Vec<usize>,
    /// Marks for deduplicating relation ids and slots in one node, by generation.
    seen_rel: Vec<u32>,
    seen_slot: Vec<u32>,
    /// By relation id: how many cells of the set list it (valid where `seen_rel` is marked).
    hits: Vec<u32>,
    generation: u32,
    /// The sets already grown, as [`key`]s.
    visited: HashSet<u128>,
    nodes: usize,
    points: usize,
    found: Vec<Found>,
    undecided: bool,
}

struct Stop;

/// Search for the smallest plans that repair every relation of `failing` (ids with their
/// relations) without breaking any other relation the oracle knows.
pub fn search<O: Oracle>(failing: Vec<(usize, Relation)>, oracle: &mut O) -> Outcome {
    let (slots, ids) = oracle.sizes();
    let mut s = Search {
        oracle,
        failing: failing.iter().map(|(id, _)| *id).collect(),
        relations: vec![None; ids],
        cells: vec![None; slots],
        by_cell: vec![None; slots],
        changeable: vec![None; ids],
        failing_of: vec![(0, 0); slots],
        most: 0,
        pool: Vec::new(),
        scratch: Vec::new(),
        seen_rel: vec![0; ids.max(failing.len())],
        seen_slot: vec![0; slots],
        hits: vec![0; ids],
        generation: 0,
        visited: HashSet::with_capacity(256),
        nodes: 0,
        points: MAX_POINTS,
        found: Vec::new(),
        undecided: false,
    };
    if s.failing.is_empty() {
        return Outcome::Plans(vec![]);
    }
    for (id, r) in failing {
        *at(&mut s.relations, id) = Some(Some(r));
    }
    s.list_failing();
    for k in 1..=MAX_CELLS {
        s.visited.clear();
        let mut set = Vec::with_capacity(k);
        if s.grow(&mut set, k).is_err() || s.undecided {
            return Outcome::Limit;
        }
        if !s.found.is_empty() {
            let mut found = std::mem::take(&mut s.found);
            found.sort_by(|a, b| a.cells.cmp(&b.cells));
            return Outcome::Plans(found);
        }
    }
    Outcome::NoPlan
}

/// A set of up to [`MAX_CELLS`] sorted cells as one number: 32 bits a cell, each cell's
/// slot plus one (0: no cell). Hashed in a few instructions, where the cells as an array
/// of `usize` took a hash of 32 bytes.
fn key(set: &[SlotId]) -> Option<u128> {
    set.iter().try_fold(0u128, |k, &c| {
        let lane = u32::try_from(c.checked_add(1)?).ok()?;
        Some(k << 32 | u128::from(lane))
    })
}

/// The entry of a table indexed by relation id or slot, grown on demand.
fn at<T: Default>(table: &mut Vec<T>, i: usize) -> &mut T {
    if table.len() <= i {
        table.resize_with(i + 1, T::default);
    }
    &mut table[i]
}

fn range((from, to): (u32, u32)) -> std::ops::Range<usize> {
    from as usize..to as usize
}

impl<O: Oracle> Search<'_, O> {
    fn cell(&mut self, slot: SlotId) -> Option<Var> {
        if let Some(Some(v)) = self.cells.get(slot) {
            return *v;
        }
        let v = self.oracle.cell(slot);
        *at(&mut self.cells, slot) = Some(v);
        v
    }

    fn rel(&mut self, id: usize) -> Option<&Relation> {
        if !matches!(self.relations.get(id), Some(Some(_))) {
            let r = self.oracle.relation(id);
            *at(&mut self.relations, id) = Some(r);
        }
        self.known(id)
    }

    /// A relation already asked for.
    fn known(&self, id: usize) -> Option<&Relation> {
        self.relations.get(id)?.as_ref()?.as_ref()
    }

    /// Appends a list to the pool and returns its range.
    fn keep(&mut self, items: impl IntoIterator<Item = usize>) -> (u32, u32) {
        let from = self.pool.len() as u32;
        self.pool.extend(items);
        (from, self.pool.len() as u32)
    }

    /// The linear relations reading a cell (computed once per cell).
    fn rels_of(&mut self, slot: SlotId) -> (u32, u32) {
        if let Some(Some(r)) = self.by_cell.get(slot) {
            return *r;
        }
        let mut ids = self.oracle.relations_of(slot);
        ids.retain(|&id| self.rel(id).is_some_and(|r| r.coef(slot).is_some()));
        // The failing relations are known even if the oracle's index left them out.
        for i in 0..self.failing.len() {
            let id = self.failing[i];
            if !ids.contains(&id) && self.rel(id).is_some_and(|r| r.coef(slot).is_some()) {
                ids.push(id);
            }
        }
        let r = self.keep(ids);
        *at(&mut self.by_cell, slot) = Some(r);
        r
    }

    /// The cells of a relation that may change (computed once per relation).
    fn changeable(&mut self, id: usize) -> (u32, u32) {
        if let Some(Some(r)) = self.changeable.get(id) {
            return *r;
        }
        let slots: Vec<SlotId> = match self.rel(id) {
            Some(r) => r.terms.iter().map(|(s, _)| *s).collect(),
            None => vec![],
        };
        let cells: Vec<SlotId> = slots
            .into_iter()
            .filter(|&s| self.cell(s).is_some())
            .collect();
        let r = self.keep(cells);
        *at(&mut self.changeable, id) = Some(r);
        r
    }

    /// Lists, for every cell a failing relation reads, which failing relations read it (by
    /// position in `failing`, in order), and the most any cell reads.
    fn list_failing(&mut self) {
        let mut pairs: Vec<(SlotId, usize)> = Vec::new();
        for (i, &id) in self.failing.iter().enumerate() {
            if let Some(r) = self.known(id) {
                pairs.extend(r.terms.iter().map(|&(slot, _)| (slot, i)));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            let r = self.keep(run.iter().map(|&(_, i)| i));
            *at(&mut self.failing_of, run[0].0) = r;
            self.most = self.most.max(run.len());
        }
    }

    /// Which failing relations read a cell, as positions in `failing`.
    fn failing_of(&self, slot: SlotId) -> (u32, u32) {
        self.failing_of.get(slot).copied().unwrap_or((0, 0))
    }

    /// A fresh generation of marks for `seen_rel` and `seen_slot`.
    fn next_generation(&mut self) -> u32 {
        if self.generation == u32::MAX {
            self.seen_rel.fill(0);
            self.seen_slot.fill(0);
            self.generation = 0;
        }
        self.generation += 1;
        self.generation
    }

    /// Grows the set by each cell of `scratch[from..to]` in turn.
    fn branch(
        &mut self,
        set: &mut Vec<SlotId>,
        k: usize,
        from: usize,
        to: usize,
    ) -> Result<(), Stop> {
        for i in from..to {
            let c = self.scratch[i];
            if set.contains(&c) {
                continue;
            }
            let at = set.partition_point(|&x| x < c);
            set.insert(at, c);
            let r = self.grow(set, k);
            set.remove(at);
            r?;
        }
        Ok(())
    }

    /// Branches on the changeable cells of one relation.
    fn branch_on(&mut self, set: &mut Vec<SlotId>, k: usize, id: usize) -> Result<(), Stop> {
        let cells = self.changeable(id);
        let from = self.scratch.len();
        self.scratch.extend_from_slice(&self.pool[range(cells)]);
        let to = self.scratch.len();
        let r = self.branch(set, k, from, to);
        self.scratch.truncate(from);
        r
    }

    fn grow(&mut self, set: &mut Vec<SlotId>, k: usize) -> Result<(), Stop> {
        // A slot too large for a key (never: the tables are as long as the slots) stops
        // the search rather than being mistaken for another.
        if !self.visited.insert(key(set).ok_or(Stop)?) {
            return Ok(());
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Stop);
        }
        let base = self.scratch.len();
        let r = self.node(set, k, base);
        self.scratch.truncate(base);
        r
    }

    /// One set: its lists live in `scratch[base..]`.
    fn node(&mut self, set: &mut Vec<SlotId>, k: usize, base: usize) -> Result<(), Stop> {
        // The failing relations without a cell of the set, in the order of `failing`.
        let g = self.next_generation();
        for &c in set.iter() {
            for i in range(self.failing_of(c)) {
                let f = self.pool[i];
                *at(&mut self.seen_rel, f) = g;
            }
        }
        for i in 0..self.failing.len() {
            if self.seen_rel.get(i) != Some(&g) {
                self.scratch.push(self.failing[i]);
            }
        }
        if self.scratch.len() > base {
            let first = self.scratch[base];
            // Each cell added gives at most `most` of them a cell, and cells of relations
            // sharing none are needed one each.
            let left = k - set.len();
            if left == 0
                || self.scratch.len() - base > left.saturating_mul(self.most)
                || self.disjoint(base) > left
            {
                return Ok(());
            }
            if set.len() + 1 == k {
                // One cell left: it must be in every failing relation still open.
                return self.branch_last(set, k, base);
            }
            self.scratch.truncate(base);
            return self.branch_on(set, k, first);
        }
        let (g, touched) = self.touch(set);
        // A relation holding exactly with one cell of the set: it needs a second. A cell
        // lists only relations it is a term of, so such a relation is listed once.
        let dangling = self.scratch[touched.clone()].iter().copied().find(|&id| {
            self.hits.get(id) == Some(&1)
                && self
                    .known(id)
                    .is_some_and(|r| r.tight() && reads(r, set) == 1)
        });
        if let Some(id) = dangling {
            if set.len() == k {
                return Ok(());
            }
            if set.len() + 1 == k {
                let (cells, from) = (self.changeable(id), self.scratch.len());
                self.scratch.extend_from_slice(&self.pool[range(cells)]);
                let to = self.scratch.len();
                return self.branch_completing(set, k, g, touched, from..to);
            }
            self.scratch.truncate(base);
            return self.branch_on(set, k, id);
        }
        if set.len() == k {
            self.test(set, touched);
            return Ok(());
        }
        // The set itself was tried at its own size and does not work: widen it.
        let touched_at = g;
        let g = self.next_generation();
        let from = self.scratch.len();
        for t in touched.clone() {
            let id = self.scratch[t];
            for i in range(self.changeable(id)) {
                let c = self.pool[i];
                let mark = at(&mut self.seen_slot, c);
                if *mark != g {
                    *mark = g;
                    self.scratch.push(c);
                }
            }
        }
        if set.len() + 1 == k {
            let to = self.scratch.len();
            return self.branch_completing(set, k, touched_at, touched, from..to);
        }
        let to = self.scratch.len();
        self.branch(set, k, from, to)
    }

    /// With one cell left, a set (covering every failing relation, or every candidate
    /// covering the rest), the relations it touches
    /// in `scratch[touched]` (marked with generation `g` in `seen_rel`, with their `hits`)
    /// and candidate cells in `scratch[candidates]`: branches only on those that leave
    /// no tight relation with a single cell of the full set, which [`Self::node`] would
    /// turn away untested. Such a relation is either one the set already leaves alone (the
    /// last cell must be in all of them) or one the new cell reads that has no other cell
    /// of the set. The sets tested are the same; only the doomed ones are not visited.
    fn branch_completing(
        &mut self,
        set: &mut Vec<SlotId>,
        k: usize,
        g: u32,
        touched: std::ops::Range<usize>,
        candidates: std::ops::Range<usize>,
    ) -> Result<(), Stop> {
        // The set's own lonely relations, on top.
        let alone = self.scratch.len();
        for t in touched {
            let id = self.scratch[t];
            if self.hits.get(id) == Some(&1)
                && self
                    .known(id)
                    .is_some_and(|r| r.tight() && reads(r, set) == 1)
            {
                self.scratch.push(id);
            }
        }
        let mut keep = candidates.start;
        for i in candidates.clone() {
            let c = self.scratch[i];
            if !set.contains(&c) && self.completes(set, c, g, alone) {
                self.scratch[keep] = c;
                keep += 1;
            }
        }
        self.branch(set, k, candidates.start, keep)
    }

    /// Pushes the relations the set touches, each once, in the order of its cells, with how
    /// many of its cells list them in `hits`; returns the generation marking them in
    /// `seen_rel` and their range in `scratch`.
    fn touch(&mut self, set: &[SlotId]) -> (u32, std::ops::Range<usize>) {
        let g = self.next_generation();
        let from = self.scratch.len();
        for &c in set {
            for i in range(self.rels_of(c)) {
                let id = self.pool[i];
                let mark = at(&mut self.seen_rel, id);
                if *mark != g {
                    *mark = g;
                    *at(&mut self.hits, id) = 1;
                    self.scratch.push(id);
                } else {
                    *at(&mut self.hits, id) += 1;
                }
            }
        }
        (g, from..self.scratch.len())
    }

    /// Whether adding `c` to `set` leaves no tight relation with a single cell (see
    /// [`Self::branch_completing`]; the set's lonely relations are `scratch[alone..]`).
    fn completes(&mut self, set: &[SlotId], c: SlotId, g: u32, alone: usize) -> bool {
        for t in alone..self.scratch.len() {
            if self
                .known(self.scratch[t])
                .is_none_or(|r| r.coef(c).is_none())
            {
                return false;
            }
        }
        for i in range(self.rels_of(c)) {
            let id = self.pool[i];
            // Listed by a cell of the set: it has one.
            if self.seen_rel.get(id) == Some(&g) {
                continue;
            }
            if self
                .known(id)
                .is_some_and(|r| r.tight() && reads(r, set) == 0)
            {
                return false;
            }
        }
        true
    }

    /// With one cell left and the failing relations `scratch[base..]` still open, branches
    /// only on the cells of the first that are in all of them: any other cell would make a
    /// full set leaving a failing relation without a cell, which [`Self::node`] turns away
    /// untested (and, through [`Self::branch_completing`], only on those leaving no tight
    /// relation with a single cell). The sets tested are the same; only those doomed ones
    /// are not visited.
    fn branch_last(&mut self, set: &mut Vec<SlotId>, k: usize, base: usize) -> Result<(), Stop> {
        let open = self.scratch.len() - base;
        let first = self.scratch[base];
        // Mark the open relations by their position in `failing`.
        let g = self.next_generation();
        for t in base..self.scratch.len() {
            let id = self.scratch[t];
            for i in 0..self.failing.len() {
                if self.failing[i] == id {
                    *at(&mut self.seen_rel, i) = g;
                }
            }
        }
        let cells = self.changeable(first);
        let from = self.scratch.len();
        for i in range(cells) {
            let c = self.pool[i];
            let hits = range(self.failing_of(c))
                .filter(|&j| self.seen_rel.get(self.pool[j]) == Some(&g))
                .count();
            if hits == open {
                self.scratch.push(c);
            }
        }
        let to = self.scratch.len();
        if from == to {
            return Ok(());
        }
        // Nor may the full set leave a tight relation with a single cell.
        let (g, touched) = self.touch(set);
        self.branch_completing(set, k, g, touched, from..to)
    }

    /// How many of the relations in `scratch[base..]` share no cell: a lower bound on the
    /// cells still needed.
    fn disjoint(&mut self, base: usize) -> usize {
        let g = self.next_generation();
        let mut n = 0;
        for t in base..self.scratch.len() {
            let id = self.scratch[t];
            let cells = range(self.changeable(id));
            if cells.is_empty() {
                return usize::MAX;
            }
            if cells
                .clone()
                .all(|i| self.seen_slot.get(self.pool[i]) != Some(&g))
            {
                n += 1;
                for i in cells {
                    *at(&mut self.seen_slot, self.pool[i]) = g;
                }
            }
        }
        n
    }

    /// Whether two equalities (without tolerance) that each read one cell of the set, the
    /// same, ask it for different changes: then the set cannot work, and solving would
    /// find the same contradiction among its equations (before trying any point). Most
    /// sets a report's failing rows and columns cover are such: a cell where the row of
    /// one wrong cell crosses the column of another.
    fn contradicts(&self, set: &[SlotId], touched: std::ops::Range<usize>) -> bool {
        let mut asked: [Option<Rat>; MAX_CELLS] = [None; MAX_CELLS];
        for t in touched {
            let id = self.scratch[t];
            // A relation listed by two cells of the set reads two of them.
            if self.hits.get(id) != Some(&1) {
                continue;
            }
            let Some(r) = self.known(id) else {
                continue;
            };
            if r.op != Op::Eq || !r.tol.is_zero() {
                continue;
            }
            let mut read = set
                .iter()
                .enumerate()
                .filter_map(|(j, &c)| Some((j, r.coef(c)?)));
            let (Some((j, k)), None) = (read.next(), read.next()) else {
                continue;
            };
            // f0 + k·Δ = 0 (an overflow claims nothing).
            let Some(delta) = r.f0.checked_neg().and_then(|x| x.checked_div(k)) else {
                continue;
            };
            match asked.get_mut(j) {
                Some(Some(before)) if *before != delta => return true,
                Some(slot @ None) => *slot = Some(delta),
                _ => {}
            }
        }
        false
    }

    fn test(&mut self, set: &[SlotId], touched: std::ops::Range<usize>) {
        let mut vars = Vec::with_capacity(set.len());
        for &c in set {
            match self.cell(c) {
                Some(v) => vars.push(v),
                None => return,
            }
        }
        if self.contradicts(set, touched.clone()) {
            return;
        }
        let mut cons = Vec::new();
        for t in touched {
            let Some(r) = self.known(self.scratch[t]) else {
                continue;
            };
            if constraints(r, set, &mut cons).is_none() {
                self.undecided = true;
                return;
            }
        }
        match solve(&vars, &cons, &mut self.points) {
            Verdict::Infeasible => {}
            Verdict::Undecided => self.undecided = true,
            Verdict::Feasible {
                values,
                known,
                point,
            } => self.found.push(Found {
                cells: set.to_vec(),
                values,
                known,
                point,
            }),
        }
    }
}

/// How many cells of the set a relation reads.
fn reads(r: &Relation, set: &[SlotId]) -> usize {
    r.terms.iter().filter(|(s, _)| set.contains(s)).count()
}

/// A relation as constraints on the changes Δ of the set's cells.
fn constraints(r: &Relation, set: &[SlotId], out: &mut Vec<Constraint>) -> Option<()> {
    let a: Vec<Rat> = set
        .iter()
        .map(|&c| r.coef(c).unwrap_or(Rat::ZERO))
        .collect();
    let neg = |a: &[Rat]| {
        a.iter()
            .map(|x| x.checked_neg())
            .collect::<Option<Vec<Rat>>>()
    };
    let (f0, tol) = (r.f0, r.tol);
    // f0 + a·Δ compared with 0.
    match r.op {
        Op::Eq if tol.is_zero() => out.push(Constraint {
            a,
            cmp: Cmp::Eq,
            b: f0.checked_neg()?,
        }),
        Op::Eq => {
            out.push(Constraint {
                a: a.clone(),
                cmp: Cmp::Le,
                b: tol.checked_sub(f0)?,
            });
            out.push(Constraint {
                a: neg(&a)?,
                cmp: Cmp::Le,
                b: tol.checked_add(f0)?,
            });
        }
        Op::Le | Op::Lt => out.push(Constraint {
            a,
            cmp: if r.op == Op::Le { Cmp::Le } else { Cmp::Lt },
            b: tol.checked_sub(f0)?,
        }),
        Op::Ge | Op::Gt => out.push(Constraint {
            a: neg(&a)?,
            cmp: if r.op == Op::Ge { Cmp::Le } else { Cmp::Lt },
            b: tol.checked_add(f0)?,
        }),
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy report: cells by slot with values, relations as (slots with coefficients, op).
    struct Toy {
        values: Vec<i128>,
        rels: Vec<Vec<(SlotId, i128)>>,
        /// Relation id → its comparison when not `Eq`.
        ge: Vec<usize>,
    }

    /// Whether a relation holds as the report stands.
    fn holds(r: &Relation) -> bool {
        match r.op {
            Op::Eq => r.f0.is_zero(),
            _ => r.f0.signum() >= 0,
        }
    }

    impl Toy {
        fn rel(&self, id: usize) -> Relation {
            let terms: Vec<(SlotId, Rat)> = self.rels[id]
                .iter()
                .map(|&(s, k)| (s, Rat::int(k)))
                .collect();
            let f0 = self.rels[id]
                .iter()
                .map(|&(s, k)| k * self.values[s])
                .sum::<i128>();
            Relation {
                terms,
                f0: Rat::int(f0),
                op: if self.ge.contains(&id) {
                    Op::Ge
                } else {
                    Op::Eq
                },
                tol: Rat::ZERO,
            }
        }

        fn run(&mut self) -> Outcome {
            let failing = (0..self.rels.len())
                .map(|id| (id, self.rel(id)))
                .filter(|(_, r)| !holds(r))
                .collect();
            search(failing, self)
        }
    }

    impl Oracle for Toy {
        fn cell(&mut self, slot: SlotId) -> Option<Var> {
            Some(Var {
                x0: Rat::int(self.values[slot]),
                step: Rat::ONE,
                lower: Some(Rat::ZERO),
            })
        }
        fn relations_of(&mut self, slot: SlotId) -> Vec<usize> {
            (0..self.rels.len())
                .filter(|&i| self.rels[i].iter().any(|(s, _)| *s == slot))
                .collect()
        }
        fn relation(&mut self, id: usize) -> Option<Relation> {
            Some(self.rel(id))
        }
    }

    /// A 2×2 table with row totals, column totals and the grand total:
    /// cells 0 1 | 2 / 3 4 | 5 / 6 7 | 8.
    fn table(v: [i128; 9]) -> Toy {
        Toy {
            ge: vec![],
            values: v.to_vec(),
            rels: vec![
                vec![(2, 1), (0, -1), (1, -1)],
                vec![(5, 1), (3, -1), (4, -1)],
                vec![(8, 1), (6, -1), (7, -1)],
                vec![(6, 1), (0, -1), (3, -1)],
                vec![(7, 1), (1, -1), (4, -1)],
                vec![(8, 1), (2, -1), (5, -1)],
            ],
        }
    }

    fn cells(o: &Outcome) -> Vec<Vec<SlotId>> {
        match o {
            Outcome::Plans(p) => p.iter().map(|f| f.cells.clone()).collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn one_wrong_cell_is_the_unique_plan() {
        let mut t = table([1, 2, 3, 4, 5, 9, 5, 7, 12]); // 9 should be 9: balanced
        assert_eq!(cells(&t.run()), Vec::<Vec<SlotId>>::new());
        t.values[4] = 6; // 5 → 6
        let o = t.run();
        assert_eq!(cells(&o), vec![vec![4]]);
        let Outcome::Plans(p) = o else { unreachable!() };
        assert_eq!(p[0].values, vec![Some(Rat::int(5))]);
    }

    #[test]
    fn opposite_changes_in_a_row_tie_with_the_other_row_and_the_column_totals() {
        let mut t = table([1, 2, 3, 4, 5, 9, 5, 7, 12]);
        t.values[0] = 2; // +1
        t.values[1] = 1; // −1: the row still adds up
                         // Undoing it, the opposite change in the other row, or moving the column totals.
        assert_eq!(cells(&t.run()), vec![vec![0, 1], vec![3, 4], vec![6, 7]]);
    }

    /// A grid of `rows × cols` parts with its row totals, column totals and grand total:
    /// cell `r·(cols+1) + c`, the totals in the last row and column.
    fn grid(rows: usize, cols: usize, parts: &[i128]) -> Toy {
        let w = cols + 1;
        let mut values = vec![0; (rows + 1) * w];
        let mut rels = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                let v = parts[r * cols + c];
                values[r * w + c] = v;
                values[r * w + cols] += v;
                values[rows * w + c] += v;
                values[rows * w + cols] += v;
            }
        }
        for r in 0..=rows {
            let mut rel = vec![(r * w + cols, 1)];
            rel.extend((0..cols).map(|c| (r * w + c, -1)));
            rels.push(rel);
        }
        for c in 0..=cols {
            let mut rel = vec![(rows * w + c, 1)];
            rel.extend((0..rows).map(|r| (r * w + c, -1)));
            rels.push(rel);
        }
        Toy {
            values,
            rels,
            ge: vec![],
        }
    }

    /// The unpruned reference: every set of cells, smallest first, tested with the
    /// relations it touches in the order the search lists them (its cells in order, each
    /// cell's relations by id), no set skipped.
    fn every_set(t: &mut Toy) -> Outcome {
        let n = t.values.len();
        let failing: Vec<usize> = (0..t.rels.len()).filter(|&id| !holds(&t.rel(id))).collect();
        if failing.is_empty() {
            return Outcome::Plans(vec![]);
        }
        for k in 1..=MAX_CELLS {
            let mut found = Vec::new();
            let mut set: Vec<SlotId> = (0..k).collect();
            loop {
                let mut touched: Vec<usize> = Vec::new();
                for &c in &set {
                    for id in t.relations_of(c) {
                        if !touched.contains(&id) {
                            touched.push(id);
                        }
                    }
                }
                if failing.iter().all(|f| touched.contains(f)) {
                    let vars: Vec<Var> = set.iter().map(|&c| t.cell(c).unwrap()).collect();
                    let mut cons = Vec::new();
                    for &id in &touched {
                        constraints(&t.rel(id), &set, &mut cons).unwrap();
                    }
                    match solve(&vars, &cons, &mut MAX_POINTS.clone()) {
                        Verdict::Infeasible => {}
                        Verdict::Undecided => return Outcome::Limit,
                        Verdict::Feasible {
                            values,
                            known,
                            point,
                        } => found.push(Found {
                            cells: set.clone(),
                            values,
                            known,
                            point,
                        }),
                    }
                }
                // The next k-subset of 0..n in lexicographic order.
                let Some(i) = (0..k).rev().find(|&i| set[i] < n - k + i) else {
                    break;
                };
                set[i] += 1;
                for j in i + 1..k {
                    set[j] = set[j - 1] + 1;
                }
            }
            if !found.is_empty() {
                return Outcome::Plans(found);
            }
        }
        Outcome::NoPlan
    }

    /// The search (with its pruning: the last cell taken only from every failing relation
    /// still open, a tight relation's second listing counted) finds exactly what testing
    /// every set finds: the same plans, values, conditions and witnesses, in the same order.
    #[test]
    fn the_pruned_search_finds_what_testing_every_set_finds() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let mut shapes = std::collections::BTreeMap::new();
        for _ in 0..400 {
            let (rows, cols) = (2 + next(2) as usize, 2 + next(2) as usize);
            let parts: Vec<i128> = (0..rows * cols).map(|_| next(6) as i128).collect();
            let mut t = grid(rows, cols, &parts);
            // Now and then a cell outside the grid that adds up some of its cells (a cell
            // in three relations), or bounds them from above (a relation that is not tight).
            for _ in 0..next(3) {
                let n = t.values.len();
                let mut rel = vec![(n, 1)];
                for _ in 0..2 + next(2) {
                    let c = next(n as u64) as usize;
                    if !rel.iter().any(|&(s, _)| s == c) {
                        rel.push((c, -1));
                    }
                }
                let sum: i128 = rel[1..].iter().map(|&(s, _)| t.values[s]).sum();
                if next(2) == 0 {
                    t.ge.push(t.rels.len());
                    t.values.push(sum + next(3) as i128);
                } else {
                    t.values.push(sum);
                }
                t.rels.push(rel);
            }
            for _ in 0..1 + next(3) {
                let c = next(t.values.len() as u64) as usize;
                let d = 1 + next(4) as i128;
                t.values[c] = if next(2) == 0 {
                    t.values[c] + d
                } else {
                    (t.values[c] - d).max(0)
                };
            }
            let want = every_set(&mut t);
            let got = t.run();
            assert_eq!(got, want, "{rows}×{cols} {:?}", t.values);
            let shape = match &got {
                Outcome::Plans(p) => (p.len().min(2), p.first().map_or(0, |f| f.cells.len())),
                _ => (9, 9),
            };
            *shapes.entry(shape).or_insert(0) += 1;
        }
        // The batch covers balanced reports, unique and tied plans of one to three cells.
        for shape in [(0, 0), (1, 1), (1, 2), (2, 2), (1, 3), (2, 3)] {
            assert!(
                shapes.contains_key(&shape),
                "{shape:?} not generated: {shapes:?}"
            );
        }
    }

    #[test]
    fn a_change_that_cannot_stay_non_negative_is_not_a_plan() {
        // The grand total 0 is too small by 1; lowering a part to −1 is not allowed.
        let mut t = table([0, 0, 0, 0, 0, 0, 0, 0, 0]);
        t.values[8] = 1;
        // Either 8 goes back to 0, or a part and its row and column totals go up (3 cells).
        assert_eq!(cells(&t.run()), vec![vec![8]]);
    }
}
