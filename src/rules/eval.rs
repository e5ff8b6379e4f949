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

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::ast::{BinOp, CmpOp};
use super::compile::{CExpr, Compiled, Const, Func, Instance};
use super::num;
use crate::document::Document;
use crate::finding::CellRef;
use crate::messages::rules::EvalMsg;
use crate::source::Span;
use crate::value::Value;
use crate::yaml::NodeKind;

/// Where a number came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    Slot(usize),
    /// A cell of last year's report.
    Prior(usize),
    /// Something only this document has (a list item, a sentence of prose).
    Dyn(CellRef),
}

#[derive(Debug, Clone)]
pub struct Term {
    pub origin: Origin,
    /// How the cell counts in the value: +1, −1, a factor, or 0 when not linear.
    pub coef: Decimal,
    pub value: Decimal,
}

#[derive(Debug, Clone)]
pub enum V<'a> {
    Num(Decimal),
    Bool(bool),
    Text(Cow<'a, str>),
    Blank,
    Missing,
    List(Vec<Val<'a>>),
}

#[derive(Debug, Clone)]
pub struct Val<'a> {
    pub v: V<'a>,
    pub terms: Vec<Term>,
}

impl<'a> Val<'a> {
    fn new(v: V<'a>) -> Self {
        Val {
            v,
            terms: Vec::new(),
        }
    }

    fn num(&self) -> Option<Decimal> {
        match self.v {
            V::Num(n) => Some(n),
            _ => None,
        }
    }

    /// Missing wins over blank: either makes the result unknown.
    fn unknown(a: &Val, b: &Val) -> Option<V<'a>> {
        match (&a.v, &b.v) {
            (V::Missing, _) | (_, V::Missing) => Some(V::Missing),
            (V::Blank, _) | (_, V::Blank) => Some(V::Blank),
            _ => None,
        }
    }
}

/// The comparison that failed, with both sides.
#[derive(Debug, Clone)]
pub struct CmpTrace<'a> {
    pub op: CmpOp,
    pub lhs: Val<'a>,
    pub rhs: Val<'a>,
    pub within: Option<Decimal>,
}

/// What an explained evaluation saw.
#[derive(Debug, Clone, Default)]
pub struct Trace<'a> {
    pub cmp: Option<CmpTrace<'a>>,
    pub reads: Vec<Origin>,
    /// The sentence a text pattern matched, and where.
    pub matched: Option<(String, Span)>,
    /// `let` names and the values they took.
    pub lets: Vec<(Arc<str>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    pub message: String,
    /// In the rule file.
    pub span: Span,
    /// The cells of the operand that made the computation impossible (the divisor, the
    /// numbers that overflowed); filled in when the failure is explained.
    pub operands: Vec<Origin>,
}

impl EvalError {
    fn new(message: impl ToString, span: &Span) -> EvalError {
        EvalError {
            message: message.to_string(),
            span: span.clone(),
            operands: Vec::new(),
        }
    }

    fn on(mut self, vals: &[&Val]) -> EvalError {
        for v in vals {
            for t in &v.terms {
                if !self.operands.contains(&t.origin) {
                    self.operands.push(t.origin.clone());
                }
            }
        }
        self
    }
}

/// A check instance that does not hold in a document.
#[derive(Debug, Clone)]
pub struct Failure<'a> {
    pub instance: usize,
    pub bindings: Vec<(Arc<str>, Arc<str>)>,
    pub trace: Trace<'a>,
    pub error: Option<EvalError>,
}

struct Ctx<'a, 'd> {
    doc: &'d Document<'a>,
    prior: Option<&'d Document<'a>>,
    locals: Vec<Val<'d>>,
    /// `let` values not computed yet: a `let` is evaluated where it is first used, so an
    /// `if` guarding that use also guards it.
    pending: Vec<Option<(&'d Arc<str>, &'d CExpr)>>,
    explain: Option<Trace<'d>>,
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
    Failure {
        instance: i,
        bindings,
        trace: ctx.explain.unwrap_or_default(),
        error,
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

    fn truth(&mut self, e: &'d CExpr) -> Result<Option<bool>, EvalError> {
        Ok(match self.eval(e)?.v {
            V::Bool(b) => Some(b),
            _ => None,
        })
    }

    fn read(&mut self, origin: Origin) {
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
            if let V::Num(n) = val.v {
                val.terms.push(Term {
                    origin: origin.clone(),
                    coef: Decimal::ONE,
                    value: n,
                });
            }
            // Prose is labelled by the sentence a pattern read, not as a whole.
            if !matches!(cell.value, Value::Missing | Value::Text(_)) {
                self.read(origin);
            }
        }
        val
    }

    fn eval(&mut self, e: &'d CExpr) -> Result<Val<'d>, EvalError> {
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
                        Some(if *op == CmpOp::Eq { a == b } else { a != b })
                    }
                    (V::Bool(a), V::Bool(b)) => {
                        Some(if *op == CmpOp::Eq { a == b } else { a != b })
                    }
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
            } => self.call(*func, args, regex.as_deref(), span)?,
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

    /// `sum` without terms and without building lists: the first pass runs it for every
    /// instance of every rule, so it reads the cells straight from the document.
    fn quick_sum(&mut self, args: &'d [CExpr], span: &Span) -> Result<Val<'d>, EvalError> {
        // Whole numbers add in an i64 (nearly every cell of a report); anything else, or an
        // overflow, goes through exact decimal arithmetic.
        let mut whole: i64 = 0;
        let mut rest: Option<Decimal> = None;
        let mut any = false;
        let mut add = |v: &Value| -> Result<bool, EvalError> {
            match v {
                Value::Number(n) => {
                    any = true;
                    let small = (n.scale() == 0)
                        .then(|| i64::try_from(n.mantissa()).ok())
                        .flatten();
                    match small.and_then(|k| whole.checked_add(k)) {
                        Some(w) => whole = w,
                        None => {
                            let t = rest.unwrap_or(Decimal::ZERO).checked_add(*n);
                            rest = Some(t.ok_or_else(|| EvalError::new(EvalMsg::Overflow, span))?);
                        }
                    }
                    Ok(true)
                }
                Value::Blank => Ok(true),
                Value::Text(_) | Value::Missing => Ok(false),
            }
        };
        for a in args {
            match a {
                CExpr::List(slots) => {
                    for &s in slots {
                        let known = match self.doc.cells.get(s) {
                            Some(c) => add(&c.value)?,
                            None => false,
                        };
                        if !known {
                            return Ok(Val::new(V::Blank));
                        }
                    }
                }
                CExpr::Slot(s) => {
                    let known = match self.doc.cells.get(*s) {
                        Some(c) => add(&c.value)?,
                        None => false,
                    };
                    if !known {
                        return Ok(Val::new(V::Blank));
                    }
                }
                other => match self.eval(other)?.v {
                    V::Num(n) => {
                        add(&Value::Number(n))?;
                    }
                    V::List(items) => {
                        for item in items {
                            match item.v {
                                V::Num(n) => {
                                    add(&Value::Number(n))?;
                                }
                                V::Blank => {}
                                _ => return Ok(Val::new(V::Blank)),
                            }
                        }
                    }
                    V::Blank => {}
                    _ => return Ok(Val::new(V::Blank)),
                },
            }
        }
        if !any {
            return Ok(Val::new(V::Blank));
        }
        let total = rest
            .unwrap_or(Decimal::ZERO)
            .checked_add(Decimal::from(whole));
        let total = total.ok_or_else(|| EvalError::new(EvalMsg::Overflow, span))?;
        Ok(Val::new(V::Num(total)))
    }

    fn numbers(&mut self, args: &'d [CExpr]) -> Result<Vec<Val<'d>>, EvalError> {
        let mut out = Vec::new();
        for a in args {
            match self.eval(a)? {
                Val {
                    v: V::List(items), ..
                } => out.extend(items),
                v => out.push(v),
            }
        }
        Ok(out)
    }

    fn call(
        &mut self,
        func: Func,
        args: &'d [CExpr],
        regex: Option<&regex::Regex>,
        span: &Span,
    ) -> Result<Val<'d>, EvalError> {
        Ok(match func {
            Func::Sum if self.explain.is_none() => self.quick_sum(args, span)?,
            Func::Sum => {
                let items = self.numbers(args)?;
                // Blanks add nothing; text or a missing cell makes the sum unknown, so a report
                // with `"182"` or a row left out is not accused of a wrong total (the structure
                // check has already said what is wrong there).
                if let Some(unknown) = items
                    .iter()
                    .find(|i| matches!(i.v, V::Text(_) | V::Missing))
                {
                    return Ok(Val::new(if matches!(unknown.v, V::Missing) {
                        V::Missing
                    } else {
                        V::Blank
                    }));
                }
                let mut total: Option<Decimal> = None;
                let mut terms = Vec::new();
                for item in &items {
                    if let V::Num(n) = item.v {
                        let t = num::add(total.unwrap_or(Decimal::ZERO), n).map_err(|e| {
                            let all: Vec<&Val> = items.iter().collect();
                            EvalError::new(EvalMsg::from(e), span).on(&all)
                        })?;
                        total = Some(t);
                        terms.extend(item.terms.iter().cloned());
                    }
                }
                Val {
                    v: total.map_or(V::Blank, V::Num),
                    terms,
                }
            }
            Func::Count => {
                let items = self.numbers(args)?;
                Val::new(V::Num(Decimal::from(
                    items.iter().filter(|i| matches!(i.v, V::Num(_))).count(),
                )))
            }
            Func::Min | Func::Max => {
                let items = self.numbers(args)?;
                let mut best: Option<Val> = None;
                for item in items {
                    let Some(n) = item.num() else { continue };
                    let better = best.as_ref().and_then(|b| b.num()).is_none_or(|b| {
                        if func == Func::Min {
                            n < b
                        } else {
                            n > b
                        }
                    });
                    if better {
                        best = Some(item);
                    }
                }
                best.map(nonlinear).unwrap_or(Val::new(V::Blank))
            }
            Func::Abs => {
                let v = self.eval(&args[0])?;
                match v.num() {
                    Some(n) => nonlinear(Val {
                        v: V::Num(n.abs()),
                        terms: v.terms,
                    }),
                    None => v,
                }
            }
            Func::Round => {
                let v = self.eval(&args[0])?;
                let places = self
                    .eval(&args[1])?
                    .num()
                    .and_then(|p| p.to_u32())
                    .filter(|p| *p <= 28);
                let Some(places) = places else {
                    return Err(EvalError::new(EvalMsg::RoundPlaces, span));
                };
                match v.num() {
                    Some(n) => nonlinear(Val {
                        v: V::Num(n.round_dp(places)),
                        terms: v.terms,
                    }),
                    None => v,
                }
            }
            Func::IsBlank | Func::Exists => {
                let v = self.eval(&args[0])?;
                // The cell asked about is part of the finding, text cells included.
                if let (CExpr::Slot(s), false) = (&args[0], matches!(v.v, V::Missing)) {
                    self.read(Origin::Slot(*s));
                }
                let b = if func == Func::IsBlank {
                    matches!(v.v, V::Blank)
                } else {
                    !matches!(v.v, V::Missing)
                };
                Val::new(V::Bool(b))
            }
            Func::Decimals => {
                let v = self.eval(&args[0])?;
                match v.num() {
                    Some(n) => Val::new(V::Num(Decimal::from(n.scale()))),
                    None => Val::new(V::Blank),
                }
            }
            Func::IsInteger => {
                let v = self.eval(&args[0])?;
                match v.num() {
                    Some(n) => Val::new(V::Bool(n.fract().is_zero())),
                    None => Val::new(V::Blank),
                }
            }
            Func::Matches | Func::Capture | Func::Captures => {
                let Some(re) = regex else {
                    return Ok(Val::new(V::Blank));
                };
                let slot = match &args[0] {
                    CExpr::Slot(s) => Some(*s),
                    _ => None,
                };
                let text = match self.eval(&args[0])?.v {
                    V::Text(t) => t,
                    _ => {
                        return Ok(Val::new(if func == Func::Matches {
                            V::Bool(false)
                        } else {
                            V::Missing
                        }))
                    }
                };
                self.text_match(func, re, &text, slot)
            }
        })
    }

    fn text_match(
        &mut self,
        func: Func,
        re: &regex::Regex,
        text: &str,
        slot: Option<usize>,
    ) -> Val<'d> {
        match func {
            Func::Matches => {
                let m = re.find(text);
                if let Some(m) = &m {
                    self.note_match(text, m.start(), m.end(), slot);
                }
                Val::new(V::Bool(m.is_some()))
            }
            Func::Capture => {
                let Some(caps) = re.captures(text) else {
                    return Val::new(V::Missing);
                };
                let (Some(whole), Some(group)) = (caps.get(0), caps.get(1)) else {
                    return Val::new(V::Missing);
                };
                let origin = self.note_match(text, whole.start(), whole.end(), slot);
                number_val(group.as_str(), origin)
            }
            _ => {
                let mut items = Vec::new();
                for caps in re.captures_iter(text) {
                    let (Some(whole), Some(group)) = (caps.get(0), caps.get(1)) else {
                        continue;
                    };
                    // Every sentence is remembered, so each item can point at its own.
                    let origin = self.sentence(text, whole.start(), whole.end(), slot);
                    let mut val = number_val(group.as_str(), None);
                    if let (Some(origin), V::Num(n)) = (origin, &val.v) {
                        val.terms.push(Term {
                            origin,
                            coef: Decimal::ONE,
                            value: *n,
                        });
                    }
                    items.push(val);
                }
                Val::new(V::List(items))
            }
        }
    }

    /// Record the sentence a pattern matched (explain mode only).
    fn note_match(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        slot: Option<usize>,
    ) -> Option<Origin> {
        let origin = self.sentence(text, start, end, slot)?;
        if let Origin::Dyn(cell) = &origin {
            if let Some(t) = &mut self.explain {
                t.matched = Some((cell.value.clone(), cell.span.clone()));
            }
        }
        self.read(origin.clone());
        Some(origin)
    }

    /// The sentence around a match, with its span in the file when it can be found there.
    fn sentence(
        &self,
        text: &str,
        start: usize,
        end: usize,
        slot: Option<usize>,
    ) -> Option<Origin> {
        self.explain.as_ref()?;
        let stops = ['。', '；', '\n', '！', '？'];
        let s = text[..start]
            .rfind(stops)
            .map(|i| i + text[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let e = text[end..]
            .find(stops)
            .map(|i| end + i + text[end + i..].chars().next().map_or(0, char::len_utf8))
            .unwrap_or(text.len());
        let sentence = text[s..e].trim().to_string();
        let slot = slot?;
        let cell = self.doc.cells.get(slot)?;
        let raw = self.doc.source.slice(&cell.span);
        let span = match raw.find(&sentence) {
            Some(i) => cell.span.start + i..cell.span.start + i + sentence.len(),
            None => cell.span.clone(),
        };
        let node = self.doc.schema.slots[slot];
        Some(Origin::Dyn(CellRef {
            path: self.doc.schema.path(node),
            label: self.doc.schema.label(node),
            value: sentence,
            span,
        }))
    }

    fn list_field(&mut self, list: usize, keys: &[String], label: &str) -> Vec<Val<'d>> {
        let doc = self.doc;
        let tree = &doc.tree;
        let parent = doc
            .schema
            .node(list)
            .parent
            .and_then(|p| doc.nodes.get(p).copied().flatten());
        let Some(seq) = parent else { return vec![] };
        let NodeKind::Seq(items) = &tree.node(seq).kind else {
            return vec![];
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, &item) in items.iter().enumerate() {
            let found = keys
                .iter()
                .try_fold(item, |n, k| tree.get(n, k).map(|e| e.value));
            let Some(node) = found else {
                out.push(Val::new(V::Missing));
                continue;
            };
            let n = tree.node(node);
            let NodeKind::Scalar { text, plain } = &n.kind else {
                out.push(Val::new(V::Missing));
                continue;
            };
            let mut val = Val::new(match Value::from_scalar(text, *plain) {
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
                    ),
                    label: format!("{label} 第{}项", i + 1),
                    value: doc.source.slice(&n.span).to_string(),
                    span: n.span.clone(),
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

fn number_val<'d>(text: &str, origin: Option<Origin>) -> Val<'d> {
    match crate::value::parse_number(text) {
        Some(n) => {
            let mut v = Val::new(V::Num(n));
            if let Some(origin) = origin {
                v.terms.push(Term {
                    origin,
                    coef: Decimal::ONE,
                    value: n,
                });
            }
            v
        }
        None => Val::new(V::Missing),
    }
}

/// Every term multiplied by a constant; a coefficient too large to hold makes the value
/// nonlinear (its cells are still labelled, but not used to explain the arithmetic).
fn scale(terms: Vec<Term>, k: Decimal) -> Vec<Term> {
    match terms
        .iter()
        .map(|t| num::mul(t.coef, k))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(coefs) => terms
            .into_iter()
            .zip(coefs)
            .map(|(t, coef)| Term { coef, ..t })
            .collect(),
        Err(_) => nonlinear_terms(terms),
    }
}

fn nonlinear_terms(mut terms: Vec<Term>) -> Vec<Term> {
    terms.iter_mut().for_each(|t| t.coef = Decimal::ZERO);
    terms
}

/// The cells stay (for labels), but no longer add up linearly.
fn nonlinear(mut v: Val) -> Val {
    v.terms = nonlinear_terms(v.terms);
    v
}

/// A value as a message shows it.
pub fn show(v: &Val) -> String {
    match &v.v {
        V::Num(n) => n.to_string(),
        V::Bool(b) => b.to_string(),
        V::Text(t) => t.to_string(),
        V::Blank => "（空白）".into(),
        V::Missing => "（缺失）".into(),
        V::List(items) => items.iter().map(show).collect::<Vec<_>>().join("、"),
    }
}
