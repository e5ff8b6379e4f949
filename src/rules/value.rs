//! The values a check computes on a document, where each number came from (its linear
//! terms: cell × coefficient), and what an explained evaluation saw.

use std::borrow::Cow;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::ast::CmpOp;
use super::num;
use crate::finding::CellRef;
use crate::source::Span;
pub use crate::value::Date;

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
    Date(Date),
    Blank,
    Missing,
    List(Vec<Val<'a>>),
}

#[derive(Debug, Clone)]
pub struct Val<'a> {
    pub v: V<'a>,
    pub terms: Vec<Term>,
    /// Decimals to show, when the rule chose them (`round(x, 1)`).
    pub places: Option<u32>,
}

impl<'a> Val<'a> {
    pub fn new(v: V<'a>) -> Self {
        Val {
            v,
            terms: Vec::new(),
            places: None,
        }
    }

    pub fn num(&self) -> Option<Decimal> {
        match self.v {
            V::Num(n) => Some(n),
            _ => None,
        }
    }

    /// Missing wins over blank: either makes the result unknown.
    pub fn unknown(a: &Val, b: &Val) -> Option<V<'a>> {
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
    pub fn new(message: impl ToString, span: &Span) -> EvalError {
        EvalError {
            message: message.to_string(),
            span: span.clone(),
            operands: Vec::new(),
        }
    }

    pub fn on(mut self, vals: &[&Val]) -> EvalError {
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
    /// The values of the message's expression placeholders (`None`: a name).
    pub shown: Vec<Option<String>>,
}

pub(super) fn number_val<'d>(text: &str, origin: Option<Origin>) -> Val<'d> {
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
pub(super) fn scale(terms: Vec<Term>, k: Decimal) -> Vec<Term> {
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

pub(super) fn nonlinear_terms(mut terms: Vec<Term>) -> Vec<Term> {
    terms.iter_mut().for_each(|t| t.coef = Decimal::ZERO);
    terms
}

/// The cells stay (for labels), but no longer add up linearly.
pub(super) fn nonlinear(mut v: Val) -> Val {
    v.terms = nonlinear_terms(v.terms);
    v
}

/// A value as a message shows it.
pub fn show(v: &Val) -> String {
    match &v.v {
        V::Num(n) => shown_number(*n, &v.terms, v.places),
        V::Bool(b) => b.to_string(),
        V::Text(t) => t.to_string(),
        V::Date(d) => d.to_string(),
        V::Blank => "（空白）".into(),
        V::Missing => "（缺失）".into(),
        V::List(items) => items.iter().map(show).collect::<Vec<_>>().join("、"),
    }
}

/// A computed number as a message shows it: with the decimals `round` chose, else with the
/// decimals of the cells it was computed from — and at least two when it does not fit them
/// (a quotient of whole numbers), never the 28 of an exact division.
pub fn shown_number(n: Decimal, terms: &[Term], places: Option<u32>) -> String {
    let places = places.unwrap_or_else(|| {
        let cells = terms.iter().map(|t| t.value.scale()).max().unwrap_or(0);
        if n.normalize().scale() > cells {
            cells.max(2)
        } else {
            cells
        }
    });
    if n.scale() > places {
        n.round_dp(places).to_string()
    } else {
        n.to_string()
    }
}
