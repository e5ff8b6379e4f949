//! Evaluating compiled checks on a document.
//!
//! Total by construction: no loops, recursion or I/O in the language, and expression depth
//! is bounded when rules load. A blank or missing operand makes a comparison *unknown*,
//! which is never a finding: blanks are judged by rules that test for them.
//!
//! A first pass computes only truth values. A check that fails is evaluated again with
//! `explain` on, which keeps every cell read and, for each number, the linear terms
//! (cell × coefficient) it is made of: that is what messages and repair hints show.

use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::ast::{BinOp, CmpOp};
use super::functions::Applied;
use super::ir::{CExpr, Compiled, Const, Instance};
use super::num;
use super::value::{nonlinear_terms, scale};
pub use super::value::{show, CmpTrace, EvalError, Failure, Origin, Term, Trace, Val, V};
use crate::document::Document;
use crate::finding::CellRef;
use crate::messages::rules::EvalMsg;
use crate::source::Span;
use crate::value::Value;
use crate::yaml::NodeKind;

/// The state of one evaluation (the built-in functions read the document through it).
pub(super) struct Ctx<'a, 'd> {
    pub(super) doc: &'d Document<'a>,
    prior: Option<&'d Document<'a>>,
    locals: Vec<Val<'d>>,
    /// `let` values not computed yet: a `let` is evaluated where it is first used, so an
    /// `if` guarding that use also guards it.
    pending: Vec<Option<(&'d Arc<str>, &'d CExpr)>>,
    pub(super) explain: Option<Trace<'d>>,
    /// Record the comparison even when it holds (the linear form of a passing instance).
    keep_cmp: bool,
    depth: usize,
}

/// Evaluate every instance of a compiled check; return those that fail.
pub fn run<'d>(
    compiled: &'d Compiled,
    doc: &'d Document<'_>,
    prior: Option<&'d Document<'_>>,
) -> Vec<Failure<'d>> {
    let mut failures = Vec::new();
    let mut ctx = Ctx::new(compiled, doc, prior, false, false);
    for (i, inst) in compiled.instances.iter().enumerate() {
        // An evaluation error is a finding of the rule too (division by zero, overflow):
        // evaluated again with explain on, it names the cells it read and the operand.
        let broken = |error: EvalError, item| {
            let mut f = explain(compiled, i, inst, doc, prior, item);
            f.error = Some(f.error.unwrap_or(error));
            f
        };
        match &inst.dynamic {
            None => match ctx.truth(&inst.expr) {
                Ok(Some(false)) => failures.push(explain(compiled, i, inst, doc, prior, None)),
                Ok(_) => {}
                Err(error) => failures.push(broken(error, None)),
            },
            Some((local, _, set)) => {
                let items = match ctx.eval(set) {
                    Ok(Val {
                        v: V::List(items), ..
                    }) => items,
                    Ok(_) => vec![],
                    Err(error) => {
                        failures.push(broken(error, None));
                        continue;
                    }
                };
                for (k, item) in items.into_iter().enumerate() {
                    ctx.locals[*local] = item;
                    match ctx.truth(&inst.expr) {
                        Ok(Some(false)) => {
                            failures.push(explain(compiled, i, inst, doc, prior, Some(k)))
                        }
                        Ok(_) => {}
                        Err(error) => failures.push(broken(error, Some(k))),
                    }
                }
            }
        }
    }
    failures
}

/// The comparison of one instance (without a `for each` over the document) with both
/// sides and their linear terms, whether it holds or not: what the repair search reads.
/// `None` when the instance compares nothing known (a blank, a missing cell) or fails to
/// evaluate.
pub fn comparison<'d>(
    compiled: &'d Compiled,
    i: usize,
    doc: &'d Document<'_>,
    prior: Option<&'d Document<'_>>,
) -> Option<CmpTrace<'d>> {
    let inst = compiled.instances.get(i)?;
    if inst.dynamic.is_some() {
        return None;
    }
    let mut ctx = Ctx::new(compiled, doc, prior, true, true);
    ctx.truth(&inst.expr).ok()?;
    ctx.explain?.cmp
}

/// Whether one instance fails (or cannot be evaluated) in a document: truth values only.
pub fn instance_fails(
    compiled: &Compiled,
    i: usize,
    doc: &Document<'_>,
    prior: Option<&Document<'_>>,
) -> bool {
    let Some(inst) = compiled.instances.get(i) else {
        return false;
    };
    let mut ctx = Ctx::new(compiled, doc, prior, false, false);
    match &inst.dynamic {
        None => !matches!(ctx.truth(&inst.expr), Ok(Some(true) | None)),
        Some((local, _, set)) => {
            let items = match ctx.eval(set) {
                Ok(Val {
                    v: V::List(items), ..
                }) => items,
                Ok(_) => return false,
                Err(_) => return true,
            };
            items.into_iter().any(|item| {
                ctx.locals[*local] = item;
                !matches!(ctx.truth(&inst.expr), Ok(Some(true) | None))
            })
        }
    }
}

/// Evaluate one failing instance again, keeping its cells and terms.
fn explain<'d>(
    compiled: &'d Compiled,
    i: usize,
    inst: &'d Instance,
    doc: &'d Document<'_>,
    prior: Option<&'d Document<'_>>,
    item: Option<usize>,
) -> Failure<'d> {
    let mut ctx = Ctx::new(compiled, doc, prior, true, false);
    let mut bindings = inst.bindings.clone();
    if let (Some(k), Some((local, name, set))) = (item, &inst.dynamic) {
        if let Ok(Val {
            v: V::List(mut items),
            ..
        }) = ctx.eval(set)
        {
            if k < items.len() {
                let value = items.swap_remove(k);
                let shown = match &value.v {
                    V::Num(n) => n.to_string(),
                    _ => String::new(),
                };
                bindings.push((name.clone(), shown.into()));
                // The sentence the item was read from is what the finding quotes.
                if let Some(Term {
                    origin: origin @ Origin::Dyn(cell),
                    ..
                }) = value.terms.first()
                {
                    let (origin, matched) =
                        (origin.clone(), (cell.value.clone(), cell.span.clone()));
                    if let Some(t) = &mut ctx.explain {
                        t.matched = Some(matched);
                        t.reads.push(origin);
                    }
                }
                ctx.locals[*local] = value;
            }
        }
    }
    let error = ctx.truth(&inst.expr).err();
    // What the message shows is computed last, and the cells it reads are not the
    // finding's (the finding points at what the check read).
    let read = ctx.explain.as_ref().map_or(0, |t| t.reads.len());
    let shown = inst
        .shown
        .iter()
        .map(|e| {
            let e = e.as_ref()?;
            Some(match ctx.eval(e) {
                Ok(v) => show(&v),
                Err(_) => show(&Val::new(V::Missing)),
            })
        })
        .collect();
    if let Some(t) = &mut ctx.explain {
        t.reads.truncate(read);
    }
    Failure {
        instance: i,
        bindings,
        trace: ctx.explain.unwrap_or_default(),
        error,
        shown,
    }
}

impl<'a, 'd> Ctx<'a, 'd> {
    fn new(
        compiled: &Compiled,
        doc: &'d Document<'a>,
        prior: Option<&'d Document<'a>>,
        explain: bool,
        keep_cmp: bool,
    ) -> Self {
        Ctx {
            doc,
            prior,
            locals: vec![Val::new(V::Missing); compiled.locals],
            pending: vec![None; compiled.locals],
            explain: explain.then(Trace::default),
            keep_cmp,
            depth: 0,
        }
    }

    /// Whether cells and terms are being kept (a failing instance explained).
    pub(super) fn explaining(&self) -> bool {
        self.explain.is_some()
    }

    fn truth(&mut self, e: &'d CExpr) -> Result<Option<bool>, EvalError> {
        Ok(match self.eval(e)?.v {
            V::Bool(b) => Some(b),
            _ => None,
        })
    }

    pub(super) fn read(&mut self, origin: Origin) {
        if let Some(t) = &mut self.explain {
            if !t.reads.contains(&origin) {
                t.reads.push(origin);
            }
        }
    }

    fn cell(&mut self, doc: &'d Document<'a>, slot: usize, origin: Origin) -> Val<'d> {
        let Some(cell) = doc.cells.get(slot) else {
            return Val::new(V::Missing);
        };
        let v = match &cell.value {
            Value::Number(n) => V::Num(*n),
            Value::Blank => V::Blank,
            Value::Text(t) => V::Text(Cow::Borrowed(t.as_str())),
            Value::Missing => V::Missing,
        };
        let mut val = Val::new(v);
        if self.explain.is_some() {
            match val.v {
                V::Num(n) => val.terms.push(Term {
                    origin: origin.clone(),
                    coef: Decimal::ONE,
                    value: n,
                }),
                // A text remembers its cell (with no weight, as a date does), wherever it
                // goes (a `let`): a pattern's sentence, or a failed comparison, is located
                // there.
                V::Text(_) => val.terms.push(Term {
                    origin: origin.clone(),
                    coef: Decimal::ZERO,
                    value: Decimal::ZERO,
                }),
                _ => {}
            }
            // Prose is labelled by the sentence a pattern read, not as a whole.
            if !matches!(cell.value, Value::Missing | Value::Text(_)) {
                self.read(origin);
            }
        }
        val
    }

    pub(super) fn eval(&mut self, e: &'d CExpr) -> Result<Val<'d>, EvalError> {
        use super::syntax::{RED_ZONE, STACK_CHUNK};
        // Checking the stack costs more than a shallow evaluation: look every few levels.
        self.depth += 1;
        let v = if self.depth % 8 == 0 {
            stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.eval_inner(e))
        } else {
            self.eval_inner(e)
        };
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, e: &'d CExpr) -> Result<Val<'d>, EvalError> {
        Ok(match e {
            CExpr::Const(c) => Val::new(match c {
                Const::Num(n) => V::Num(*n),
                Const::Text(t) => V::Text(Cow::Borrowed(t)),
                Const::Bool(b) => V::Bool(*b),
                Const::Blank => V::Blank,
            }),
            CExpr::Slot(s) => self.cell(self.doc, *s, Origin::Slot(*s)),
            CExpr::Prior(slots) => {
                let Some(prior) = self.prior else {
                    return Ok(Val::new(V::Missing));
                };
                match slots.iter().find(|(name, _)| **name == *prior.schema.name) {
                    Some(&(_, slot)) => self.cell(prior, slot, Origin::Prior(slot)),
                    None => Val::new(V::Missing),
                }
            }
            CExpr::List(slots) => {
                let items = slots
                    .iter()
                    .map(|&s| self.cell(self.doc, s, Origin::Slot(s)))
                    .collect();
                Val::new(V::List(items))
            }
            CExpr::ListField { list, keys, label } => {
                Val::new(V::List(self.list_field(*list, keys, label)))
            }
            CExpr::Local(i) => {
                if let Some((name, value)) = self.pending.get_mut(*i).and_then(Option::take) {
                    let v = self.eval(value)?;
                    if let Some(t) = &mut self.explain {
                        t.lets.push((name.clone(), show(&v)));
                    }
                    self.locals[*i] = v;
                }
                self.locals.get(*i).cloned().unwrap_or(Val::new(V::Missing))
            }
            CExpr::Neg(x) => {
                let mut v = self.eval(x)?;
                if let V::Num(n) = v.v {
                    v.v = V::Num(-n);
                    v.terms.iter_mut().for_each(|t| t.coef = -t.coef);
                }
                v
            }
            CExpr::Not(x) => {
                let v = self.eval(x)?;
                match v.v {
                    V::Bool(b) => Val::new(V::Bool(!b)),
                    other => Val::new(other),
                }
            }
            CExpr::And(a, b) => self.logic(a, b, false)?,
            CExpr::Or(a, b) => self.logic(a, b, true)?,
            CExpr::If {
                cond,
                then,
                otherwise,
            } => match self.eval(cond)?.v {
                V::Bool(true) => self.eval(then)?,
                V::Bool(false) => match otherwise {
                    Some(o) => self.eval(o)?,
                    None => Val::new(V::Bool(true)),
                },
                _ => match otherwise {
                    Some(_) => Val::new(V::Blank),
                    None => Val::new(V::Bool(true)),
                },
            },
            CExpr::Let {
                local,
                name,
                value,
                body,
            } => {
                self.pending[*local] = Some((name, value));
                self.eval(body)?
            }
            CExpr::Arith(op, a, b, span) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                self.arith(*op, a, b, span)?
            }
            CExpr::Cmp {
                op,
                lhs,
                rhs,
                within,
                span,
            } => {
                let (l, r) = (self.eval(lhs)?, self.eval(rhs)?);
                let tol = match within {
                    Some(t) => self.eval(t)?.num(),
                    None => None,
                };
                let holds = match (&l.v, &r.v) {
                    (V::Num(a), V::Num(b)) => Some(
                        num::compare(*op, *a, *b, tol)
                            .map_err(|e| EvalError::new(EvalMsg::from(e), span).on(&[&l, &r]))?,
                    ),
                    (V::Text(a), V::Text(b)) => {
                        let holds = if *op == CmpOp::Eq { a == b } else { a != b };
                        // The text compared is read as a whole: the finding points at it.
                        if !holds && self.explain.is_some() {
                            for t in l.terms.iter().chain(&r.terms) {
                                self.read(t.origin.clone());
                            }
                        }
                        Some(holds)
                    }
                    (V::Bool(a), V::Bool(b)) => {
                        Some(if *op == CmpOp::Eq { a == b } else { a != b })
                    }
                    (V::Date(a), V::Date(b)) => Some(op.holds(a, b)),
                    _ => None,
                };
                if holds == Some(false) || (self.keep_cmp && holds.is_some()) {
                    if let Some(t) = &mut self.explain {
                        if t.cmp.is_none() {
                            t.cmp = Some(CmpTrace {
                                op: *op,
                                lhs: l,
                                rhs: r,
                                within: tol,
                            });
                        }
                    }
                }
                Val::new(holds.map_or(V::Blank, V::Bool))
            }
            CExpr::Call {
                func,
                args,
                regex,
                span,
            } => (func.eval)(
                self,
                &Applied {
                    func,
                    args,
                    regex: regex.as_deref(),
                    span,
                },
            )?,
        })
    }

    /// `and` (decisive = false) and `or` (decisive = true), in three-valued logic: the
    /// decisive value wins, both the other value give it, anything else is unknown.
    fn logic(&mut self, a: &'d CExpr, b: &'d CExpr, decisive: bool) -> Result<Val<'d>, EvalError> {
        let a = self.eval(a)?;
        if matches!(a.v, V::Bool(x) if x == decisive) {
            return Ok(a);
        }
        let b = self.eval(b)?;
        Ok(match (&a.v, &b.v) {
            (_, V::Bool(x)) if *x == decisive => b,
            (V::Bool(_), V::Bool(_)) => b,
            _ => Val::new(V::Blank),
        })
    }

    fn arith(
        &mut self,
        op: BinOp,
        a: Val<'d>,
        b: Val<'d>,
        span: &Span,
    ) -> Result<Val<'d>, EvalError> {
        if let Some(v) = Val::unknown(&a, &b) {
            return Ok(Val::new(v));
        }
        let (Some(x), Some(y)) = (a.num(), b.num()) else {
            return Ok(Val::new(V::Blank));
        };
        let n = match op {
            BinOp::Add => num::add(x, y),
            BinOp::Sub => num::sub(x, y),
            BinOp::Mul => num::mul(x, y),
            _ => num::div(x, y),
        };
        let n = n.map_err(|e| {
            let err = EvalError::new(EvalMsg::from(e), span);
            // Division by zero is the divisor's fault; an overflow is both operands'.
            match e {
                num::NumError::DivByZero { .. } => err.on(&[&b]),
                num::NumError::Overflow => err.on(&[&a, &b]),
            }
        })?;
        let mut out = Val::new(V::Num(n));
        if self.explain.is_some() {
            out.terms = match op {
                BinOp::Add => a.terms.into_iter().chain(b.terms).collect(),
                BinOp::Sub => a
                    .terms
                    .into_iter()
                    .chain(b.terms.into_iter().map(|t| Term { coef: -t.coef, ..t }))
                    .collect(),
                // Scaling by a constant keeps the terms linear; anything else does not.
                BinOp::Mul if b.terms.is_empty() => scale(a.terms, y),
                BinOp::Mul if a.terms.is_empty() => scale(b.terms, x),
                BinOp::Div if b.terms.is_empty() => match num::div(Decimal::ONE, y) {
                    Ok(k) => scale(a.terms, k),
                    Err(_) => nonlinear_terms(a.terms),
                },
                _ => a
                    .terms
                    .into_iter()
                    .chain(b.terms)
                    .map(|t| Term {
                        coef: Decimal::ZERO,
                        ..t
                    })
                    .collect(),
            };
        }
        Ok(out)
    }

    /// The scalar under `keys` in each item of the list `list` (a schema node) in the
    /// document, in order: `None` for an item without one. Nothing when the document has
    /// no such list.
    pub(super) fn list_items<'k>(
        &self,
        list: usize,
        keys: &'k [String],
    ) -> impl Iterator<Item = Option<(&'d crate::yaml::Node<'a>, &'d str, bool)>> + 'k
    where
        'd: 'k,
    {
        let doc = self.doc;
        let tree = &doc.tree;
        let items: &'d [crate::yaml::NodeId] = doc
            .schema
            .node(list)
            .parent
            .and_then(|p| doc.nodes.get(p).copied().flatten())
            .and_then(|seq| match &tree.node(seq).kind {
                NodeKind::Seq(items) => Some(items.as_slice()),
                _ => None,
            })
            .unwrap_or(&[]);
        items.iter().map(move |&item| {
            let node = keys
                .iter()
                .try_fold(item, |n, k| tree.get(n, k).map(|e| e.value))?;
            let n = tree.node(node);
            match &n.kind {
                NodeKind::Scalar { text, plain } => Some((n, &**text, *plain)),
                _ => None,
            }
        })
    }

    fn list_field(&mut self, list: usize, keys: &[String], label: &str) -> Vec<Val<'d>> {
        let doc = self.doc;
        let found: Vec<_> = self.list_items(list, keys).collect();
        let mut out = Vec::with_capacity(found.len());
        for (i, item) in found.into_iter().enumerate() {
            let Some((n, text, plain)) = item else {
                out.push(Val::new(V::Missing));
                continue;
            };
            let mut val = Val::new(match Value::from_scalar(text, plain) {
                Value::Number(x) => V::Num(x),
                Value::Blank => V::Blank,
                _ => V::Missing,
            });
            if self.explain.is_some() {
                let cell = CellRef {
                    path: format!(
                        "{}[{i}].{}",
                        doc.schema.path(list).trim_end_matches(".*"),
                        keys.join(".")
                    )
                    .into(),
                    label: format!("{label} 第{}项", i + 1).into(),
                    value: doc.source.slice(&n.span).to_string(),
                    span: n.span.clone(),
                    file: None,
                };
                if let V::Num(x) = val.v {
                    val.terms.push(Term {
                        origin: Origin::Dyn(cell.clone()),
                        coef: Decimal::ONE,
                        value: x,
                    });
                }
                self.read(Origin::Dyn(cell));
            }
            out.push(val);
        }
        out
    }
}
