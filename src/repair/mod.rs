//! Repair plans (Fellegi–Holt error localisation): per report, the smallest set of cells
//! whose new values make every linear relation hold at once — the failing ones and the
//! passing ones — with every new value inside its cell's domain.
//!
//! * [`Index`]: per format, which rule instances read which cell, and which instances are
//!   linear (a single comparison of sums of cells × constants, possibly under a condition
//!   that does not depend on numbers). Built once per engine and format.
//! * The search ([`search`]) starts from the failing relations the evaluator has already
//!   explained, and asks for the linear form of a passing instance only when a candidate
//!   cell reads it ([`rules::eval::comparison`]): a report that balances pays nothing, and
//!   no message, label or finding is built while searching.
//! * [`exact`] decides each candidate set exactly, in rationals, with the domains.
//! * A unique plan is then checked with the evaluator itself on every instance that reads
//!   a changed cell, and only then shown.
//!
//! The relations are the instances of rules whose severity is `error`; warnings are
//! judgement calls a plan neither has to satisfy nor may be blamed for.

pub mod exact;
pub mod search;

use std::sync::OnceLock;

use rust_decimal::Decimal;

use crate::document::Document;
use crate::finding::{Edit, Finding, Fix, Plan, PlanStatus, Severity};
use crate::messages::repair::RepairMsg;
use crate::rules::eval::{CmpTrace, Origin, V};
use crate::rules::functions::Role;
use crate::rules::ir::{CExpr, Compiled};
use crate::rules::{ast::CmpOp, RuleSet};
use crate::schema::{CellKind, SKind, Schema, SlotId};
use crate::value::Value;
use exact::{Rat, Var};
use search::{Found, Op, Outcome, Relation};

/// The rule id of the report-level record.
pub const PLAN_RULE: &str = "repair/plan";
/// Tied plans listed in a message (all are in the record).
const SHOWN: usize = 4;

/// Which instances read which cells, for one format.
#[derive(Debug, Default)]
pub struct Index {
    /// Relation id → (rule, instance, linear).
    pub instances: Vec<(u32, u32, bool)>,
    /// Rule → id of its first instance (when it compiles for the format).
    first: Vec<Option<u32>>,
    /// Slot → ids of the instances that read it.
    by_slot: Vec<Vec<u32>>,
}

impl Index {
    pub fn build(rules: &RuleSet, schema: &Schema) -> Index {
        let mut ix = Index {
            by_slot: vec![Vec::new(); schema.slots.len()],
            ..Index::default()
        };
        for (r, rule) in rules.rules.iter().enumerate() {
            let Some(compiled) = rule.for_schema(&schema.name) else {
                ix.first.push(None);
                continue;
            };
            ix.first.push(Some(ix.instances.len() as u32));
            for (i, inst) in compiled.instances.iter().enumerate() {
                let id = ix.instances.len() as u32;
                let linear = inst.dynamic.is_none() && shape(&inst.expr);
                ix.instances.push((r as u32, i as u32, linear));
                let mut slots = Vec::new();
                inst.expr.slots_read(&mut slots);
                slots.sort_unstable();
                slots.dedup();
                for s in slots {
                    if let Some(v) = ix.by_slot.get_mut(s) {
                        v.push(id);
                    }
                }
            }
        }
        ix
    }

    pub fn id(&self, rule: usize, instance: usize) -> Option<usize> {
        Some(self.first.get(rule).copied().flatten()? as usize + instance)
    }

    pub fn linear(&self, id: usize) -> bool {
        self.instances.get(id).is_some_and(|x| x.2)
    }

    pub fn readers(&self, slot: SlotId) -> &[u32] {
        self.by_slot.get(slot).map_or(&[], |v| v.as_slice())
    }
}

/// One index per format, built the first time a report of that format fails.
#[derive(Debug, Default)]
pub struct Cache {
    formats: Vec<(String, OnceLock<Index>)>,
}

impl Cache {
    pub fn new(names: impl IntoIterator<Item = String>) -> Cache {
        Cache {
            formats: names.into_iter().map(|n| (n, OnceLock::new())).collect(),
        }
    }

    /// The index of a format (built now if this cache does not know the format).
    pub fn get<'c>(
        &'c self,
        rules: &RuleSet,
        schema: &Schema,
        local: &'c mut Option<Index>,
    ) -> &'c Index {
        match self.formats.iter().find(|(n, _)| *n == schema.name) {
            Some((_, cell)) => cell.get_or_init(|| Index::build(rules, schema)),
            None => local.insert(Index::build(rules, schema)),
        }
    }
}
/// A check whose truth is one comparison of linear sides, whatever numbers the cells hold:
/// `a == b`, under `if <something not numeric> then`, after `let`s.
fn shape(e: &CExpr) -> bool {
    match e {
        CExpr::Cmp {
            op,
            lhs,
            rhs,
            within,
            ..
        } => *op != CmpOp::Ne && side(lhs) && side(rhs) && within.as_deref().is_none_or(constant),
        CExpr::If {
            cond,
            then,
            otherwise: None,
        } => structural(cond) && shape(then),
        CExpr::Let { value, body, .. } => side(value) && shape(body),
        _ => false,
    }
}

/// A number built from cells by sums, differences and constant factors (terms that are
/// not linear — min, max, abs, round — are caught by their zero coefficients later).
fn side(e: &CExpr) -> bool {
    match e {
        CExpr::Const(_)
        | CExpr::Slot(_)
        | CExpr::List(_)
        | CExpr::Prior(_)
        | CExpr::Local(_)
        | CExpr::ListField { .. } => true,
        CExpr::Neg(x) => side(x),
        CExpr::Arith(_, a, b, _) => side(a) && side(b),
        CExpr::Call { func, args, .. } => func.role == Role::Number && args.iter().all(side),
        CExpr::If {
            cond,
            then,
            otherwise: Some(o),
        } => structural(cond) && side(then) && side(o),
        CExpr::Let { value, body, .. } => side(value) && side(body),
        _ => false,
    }
}

/// A condition no change of one number into another can flip.
fn structural(e: &CExpr) -> bool {
    match e {
        CExpr::Const(_) => true,
        CExpr::Call { func, .. } => func.role == Role::Structural,
        CExpr::Not(x) => structural(x),
        CExpr::And(a, b) | CExpr::Or(a, b) => structural(a) && structural(b),
        _ => false,
    }
}

fn constant(e: &CExpr) -> bool {
    match e {
        CExpr::Const(_) => true,
        CExpr::Neg(x) => constant(x),
        CExpr::Arith(_, a, b, _) => constant(a) && constant(b),
        _ => false,
    }
}

/// The relation a comparison states, when it is linear in this document's cells.
pub fn relation(cmp: &CmpTrace) -> Option<Relation> {
    let op = match cmp.op {
        CmpOp::Eq => Op::Eq,
        CmpOp::Le => Op::Le,
        CmpOp::Lt => Op::Lt,
        CmpOp::Ge => Op::Ge,
        CmpOp::Gt => Op::Gt,
        CmpOp::Ne => return None,
    };
    let (V::Num(a), V::Num(b)) = (&cmp.lhs.v, &cmp.rhs.v) else {
        return None;
    };
    let mut terms: Vec<(SlotId, Rat)> = Vec::new();
    let sides = [(&cmp.lhs, Rat::ONE), (&cmp.rhs, Rat::int(-1))];
    for (val, sign) in sides {
        for t in &val.terms {
            if t.coef.is_zero() {
                return None; // min, max, abs, round, a product of cells
            }
            let s = match t.origin {
                Origin::Slot(s) => s,
                // Last year's report is what it is.
                Origin::Prior(_) => continue,
                // A list item or a number in prose has no cell a plan could change, yet
                // could be the wrong one: such a relation is left out of plans.
                Origin::Dyn(_) => return None,
            };
            let k = Rat::from_decimal(t.coef)?.checked_mul(sign)?;
            match terms.iter_mut().find(|(x, _)| *x == s) {
                Some((_, c)) => *c = c.checked_add(k)?,
                None => terms.push((s, k)),
            }
        }
    }
    terms.retain(|(_, k)| !k.is_zero());
    Some(Relation {
        terms,
        f0: Rat::from_decimal(a.checked_sub(*b)?)?,
        op,
        tol: Rat::from_decimal(cmp.within.unwrap_or(Decimal::ZERO).abs())?,
    })
}

/// A cell a plan may change: a number, in a cell of a numeric kind.
pub fn domain(doc: &Document, slot: SlotId) -> Option<Var> {
    let Value::Number(x) = doc.cells.get(slot)?.value else {
        return None;
    };
    let SKind::Scalar { kind, .. } = doc.schema.slot_node(slot).kind else {
        return None;
    };
    let x0 = Rat::from_decimal(x)?;
    Some(match kind {
        CellKind::Count => Var {
            x0,
            step: Rat::ONE,
            lower: Some(Rat::ZERO),
        },
        CellKind::Signed | CellKind::Integer => Var {
            x0,
            step: Rat::ONE,
            lower: None,
        },
        // An amount keeps the places it is written with.
        CellKind::Amount => Var {
            x0,
            step: Rat::step(x.scale())?,
            lower: None,
        },
        CellKind::Text | CellKind::Date | CellKind::Any => return None,
    })
}

/// A failing instance of an `error` rule, as the engine saw it.
pub struct Failed {
    /// Index of its finding.
    pub finding: usize,
    /// Its relation id in the format's [`Index`] (in the engine's first pass, before the
    /// index is looked up: the rule's index).
    pub id: usize,
    /// The instance of the rule.
    pub instance: usize,
    /// Its relation when linear.
    pub relation: Option<Relation>,
}

/// What the search may read of a report: its cells, and the linear form of the instances
/// of active `error` rules that read a cell.
pub struct Reader<'r, 'd> {
    pub doc: &'r Document<'d>,
    pub prior: Option<&'r Document<'d>>,
    pub rules: &'r RuleSet,
    pub index: &'r Index,
    /// Whether the rule with this index takes part (enabled, `error`, applies to the year).
    pub active: &'r [bool],
}

impl Reader<'_, '_> {
    fn compiled(&self, id: usize) -> Option<(&Compiled, usize)> {
        let &(r, i, linear) = self.index.instances.get(id)?;
        if !linear || !self.active.get(r as usize).copied().unwrap_or(false) {
            return None;
        }
        let rule = self.rules.rules.get(r as usize)?;
        Some((rule.for_schema(&self.doc.schema.name)?, i as usize))
    }
}

impl search::Oracle for Reader<'_, '_> {
    fn cell(&mut self, slot: SlotId) -> Option<Var> {
        domain(self.doc, slot)
    }

    fn relations_of(&mut self, slot: SlotId) -> Vec<usize> {
        self.index
            .readers(slot)
            .iter()
            .map(|&id| id as usize)
            .filter(|&id| self.compiled(id).is_some())
            .collect()
    }

    fn sizes(&self) -> (usize, usize) {
        (self.doc.schema.slots.len(), self.index.instances.len())
    }

    fn relation(&mut self, id: usize) -> Option<Relation> {
        let (compiled, i) = self.compiled(id)?;
        relation(&crate::rules::eval::comparison(
            compiled, i, self.doc, self.prior,
        )?)
    }
}

/// Search for the report's plan. `None` when no `error` relation fails.
pub fn find(reader: &mut Reader, failed: &[Failed]) -> Option<Outcome> {
    let failing: Vec<(usize, Relation)> = failed
        .iter()
        .filter_map(|f| Some((f.id, f.relation.clone()?)))
        .collect();
    if failing.is_empty() {
        return None;
    }
    Some(search::search(failing, reader))
}

/// The text of a new value: whole numbers as they are, amounts with the cell's places.
fn show(doc: &Document, slot: SlotId, v: Rat) -> String {
    let places = match doc.cells.get(slot).map(|c| &c.value) {
        Some(Value::Number(x)) => x.scale(),
        _ => 0,
    };
    v.to_decimal(places)
        .map(|d| d.to_string())
        .unwrap_or_else(|| v.to_string())
}

fn edit(doc: &Document, slot: SlotId, to: Option<Rat>) -> Edit {
    let c = doc.cell_ref(slot);
    Edit {
        path: c.path,
        label: c.label,
        span: c.span,
        from: c.value,
        to: to.map(|v| show(doc, slot, v)),
    }
}

/// A condition the open values must satisfy, as the record's `known` says it
/// (`「A」 + 2×「B」 = 37`, `「C」 ≥ 0`) and as the message says it (a bound on one cell in
/// words: 「C」的新值需 ≥ 0). Written with a positive first coefficient, and a bound on one
/// cell with coefficient 1.
fn condition(doc: &Document, cells: &[SlotId], known: &exact::Known) -> (String, String) {
    use exact::Cmp;
    let terms: Vec<(SlotId, Rat)> = cells
        .iter()
        .zip(&known.coefs)
        .filter(|(_, k)| !k.is_zero())
        .map(|(&s, &k)| (s, k))
        .collect();
    // Divide by the first coefficient's magnitude when it is alone, flip when negative.
    let first = terms.first().map_or(Rat::ONE, |t| t.1);
    let by = match (terms.len() == 1, first.signum() < 0) {
        (true, _) => first,
        (false, true) => Rat::int(-1),
        (false, false) => Rat::ONE,
    };
    // All terms and the right side divided, or (should a division overflow) none of them:
    // a condition half divided would state something false.
    let scaled: Option<(Vec<Rat>, Rat)> = terms
        .iter()
        .map(|&(_, k)| k.checked_div(by))
        .collect::<Option<Vec<Rat>>>()
        .zip(known.rhs.checked_div(by));
    let (flip, coefs, rhs) = match scaled {
        Some((coefs, rhs)) => (by.signum() < 0, coefs, rhs),
        None => (false, terms.iter().map(|t| t.1).collect(), known.rhs),
    };
    let op = match (known.cmp, flip) {
        (Cmp::Eq, _) => "=",
        (Cmp::Le, false) => "≤",
        (Cmp::Lt, false) => "<",
        (Cmp::Le, true) => "≥",
        (Cmp::Lt, true) => ">",
    };
    let mut lhs = String::new();
    for (&(slot, _), &k) in terms.iter().zip(&coefs) {
        let label = doc.cell_ref(slot).label;
        // A coefficient whose negation overflows keeps its own sign: `+ −N×「A」`.
        let (neg, mag) = match k.checked_neg().filter(|_| k.signum() < 0) {
            Some(m) => (true, m),
            None => (false, k),
        };
        match (lhs.is_empty(), neg) {
            (true, true) => lhs.push('−'),
            (true, false) => {}
            (false, true) => lhs.push_str(" − "),
            (false, false) => lhs.push_str(" + "),
        }
        if mag != Rat::ONE {
            lhs.push_str(&format!("{}×", number(mag)));
        }
        lhs.push_str(&format!("「{label}」"));
    }
    let rhs = number(rhs);
    let text = format!("{lhs} {op} {rhs}");
    let said = match terms.as_slice() {
        [(slot, _)] => RepairMsg::Bound {
            label: doc.cell_ref(*slot).label.to_string(),
            op: op.to_string(),
            value: rhs,
        }
        .to_string(),
        _ => text.clone(),
    };
    (text, said)
}

/// A rational as a decimal when it has one of up to 12 places, else as `n/d`.
fn number(x: Rat) -> String {
    (0..=12)
        .find_map(|places| x.to_decimal(places))
        .map_or_else(|| x.to_string(), |d| d.to_string())
}

/// The plan as the report's record and as `fix`/`help` on every finding it explains.
/// `verified` says whether every plan found passed the evaluator's own check (at the point
/// the search found, for values the relations leave open). Plans are claimed only then: if
/// the rules reject one of several tied plans, saying "these N plans each explain it" would
/// be false, so nothing is claimed (`Unverified`).
pub fn annotate(
    doc: &Document,
    findings: &mut [Finding],
    failed: &[Failed],
    outcome: &Outcome,
    verified: bool,
) -> Plan {
    let explained: Vec<&Failed> = failed.iter().filter(|f| f.relation.is_some()).collect();
    let n = explained.len();
    let explains: Vec<String> = explained
        .iter()
        .map(|f| findings[f.finding].rule.clone())
        .collect();
    let plans: &[Found] = match outcome {
        Outcome::Plans(p) if verified => p,
        _ => &[],
    };
    let edits: Vec<Vec<Edit>> = plans
        .iter()
        .map(|p| {
            p.cells
                .iter()
                .zip(&p.values)
                .map(|(&s, v)| edit(doc, s, *v))
                .collect()
        })
        .collect();
    let status = match (outcome, plans.len()) {
        (Outcome::Limit, _) => PlanStatus::Limit,
        // A plan the rules did not confirm: neither it nor that there is none is claimed.
        (Outcome::Plans(p), 0) if !p.is_empty() => PlanStatus::Unverified,
        (_, 0) => PlanStatus::NoPlan,
        (_, 1) if edits[0].iter().all(|e| e.to.is_some()) => PlanStatus::Unique,
        (_, 1) => PlanStatus::Undetermined,
        _ => PlanStatus::Ambiguous,
    };
    let (known, said): (Vec<String>, Vec<String>) = match (status, plans.first()) {
        (PlanStatus::Undetermined, Some(p)) => {
            p.known.iter().map(|k| condition(doc, &p.cells, k)).unzip()
        }
        _ => (vec![], vec![]),
    };
    let sep = RepairMsg::And.to_string();
    let line = |es: &[Edit]| -> String {
        es.iter()
            .map(|e| match &e.to {
                Some(to) => RepairMsg::Edit {
                    label: e.label.to_string(),
                    from: e.from.clone(),
                    to: to.clone(),
                }
                .to_string(),
                None => RepairMsg::Open {
                    label: e.label.to_string(),
                    from: e.from.clone(),
                }
                .to_string(),
            })
            .collect::<Vec<_>>()
            .join(&sep)
    };
    let help = match status {
        PlanStatus::Unique if edits[0].len() == 1 => {
            let e = &edits[0][0];
            let (label, from, to) = (
                e.label.to_string(),
                e.from.clone(),
                e.to.clone().unwrap_or_default(),
            );
            if n >= 2 {
                RepairMsg::OneCellMany { n, label, from, to }.to_string()
            } else {
                RepairMsg::OneCellOne { label, from, to }.to_string()
            }
        }
        PlanStatus::Unique => RepairMsg::Cells {
            k: edits[0].len(),
            n,
            edits: line(&edits[0]),
        }
        .to_string(),
        PlanStatus::Undetermined => RepairMsg::Undetermined {
            k: edits[0].len(),
            n,
            cells: line(&edits[0]),
            known: said.join(&sep),
        }
        .to_string(),
        PlanStatus::Ambiguous => {
            // A tied plan whose new values the relations leave open says what they must
            // satisfy, as a single undetermined plan does.
            let mut shown: Vec<String> = edits
                .iter()
                .zip(plans)
                .take(SHOWN)
                .map(|(e, p)| {
                    let cells = line(e);
                    if e.iter().all(|e| e.to.is_some()) || p.known.is_empty() {
                        return cells;
                    }
                    let known: Vec<String> = p
                        .known
                        .iter()
                        .map(|k| condition(doc, &p.cells, k).1)
                        .collect();
                    RepairMsg::OpenPlan {
                        cells,
                        known: known.join(&RepairMsg::Also.to_string()),
                    }
                    .to_string()
                })
                .collect();
            if edits.len() > SHOWN {
                shown.push(
                    RepairMsg::More {
                        rest: edits.len() - SHOWN,
                    }
                    .to_string(),
                );
            }
            RepairMsg::Ambiguous {
                count: edits.len(),
                k: edits[0].len(),
                n,
                plans: shown.join(&RepairMsg::Or.to_string()),
            }
            .to_string()
        }
        PlanStatus::NoPlan => RepairMsg::NoPlan {
            n,
            max: search::MAX_CELLS,
        }
        .to_string(),
        PlanStatus::Limit => RepairMsg::Limit { n }.to_string(),
        PlanStatus::Unverified => RepairMsg::Unverified { n }.to_string(),
    };
    for f in &explained {
        let finding = &mut findings[f.finding];
        if matches!(
            status,
            PlanStatus::NoPlan | PlanStatus::Limit | PlanStatus::Unverified
        ) {
            continue;
        }
        finding.help = Some(match finding.help.take() {
            Some(h) => format!("{help}\n{h}"),
            None => help.clone(),
        });
        if status != PlanStatus::Unique {
            continue;
        }
        let touching: Vec<Edit> = plans[0]
            .cells
            .iter()
            .zip(&edits[0])
            .filter(|(s, _)| {
                f.relation
                    .as_ref()
                    .is_some_and(|r| r.terms.iter().any(|(t, _)| t == *s))
            })
            .map(|(_, e)| e.clone())
            .collect();
        finding.fix = Some(Fix {
            edits: touching,
            resolves: explains.clone(),
        });
    }
    Plan {
        status,
        message: help.clone(),
        explains,
        plans: edits,
        known,
    }
}

/// The `repair/plan` record: the whole plan, pointing at its first cell (or at the first
/// failure it is about), with a label on every cell it names.
pub fn record(plan: Plan, at: crate::source::Span) -> Finding {
    let message = plan.message.clone();
    let span = plan
        .plans
        .first()
        .and_then(|p| p.first())
        .map(|e| e.span.clone())
        .unwrap_or(at);
    let mut f = Finding::new(
        PLAN_RULE,
        Severity::Info,
        &RepairMsg::Title.to_string(),
        message,
        span,
    );
    let mut cells: Vec<crate::finding::CellRef> = Vec::new();
    for e in plan.plans.iter().flatten() {
        if !cells.iter().any(|c| c.span == e.span) {
            cells.push(crate::finding::CellRef {
                path: e.path.clone(),
                label: e.label.clone(),
                value: e.from.clone(),
                span: e.span.clone(),
                file: None,
            });
        }
    }
    cells.sort_by_key(|c| c.span.start);
    f.cells = cells;
    f.plan = Some(Box::new(plan));
    f
}
