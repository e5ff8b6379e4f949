//! The compiled form of a check: paths resolved to slots, quantifiers unrolled, functions
//! checked. Evaluated per document without looking anything up by name.

use std::sync::Arc;

use regex::Regex;
use rust_decimal::Decimal;

use super::ast::{BinOp, CmpOp};
use super::functions::Func;
use crate::messages::rules::TypeName;
use crate::schema::{SNodeId, SlotId};
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Num,
    Bool,
    Text,
    Date,
    NumList,
}

impl Ty {
    /// The type's name in messages (数字, 文本, …), in the current language.
    pub fn name(self) -> String {
        match self {
            Ty::Num => TypeName::Num,
            Ty::Bool => TypeName::Bool,
            Ty::Text => TypeName::Text,
            Ty::Date => TypeName::Date,
            Ty::NumList => TypeName::NumList,
        }
        .to_string()
    }
}

#[derive(Debug, Clone)]
pub enum Const {
    Num(Decimal),
    Text(Arc<str>),
    Bool(bool),
    Blank,
}

/// A compiled expression. Spans point into the rule file (for runtime errors).
#[derive(Debug, Clone)]
pub enum CExpr {
    Const(Const),
    Slot(SlotId),
    /// A selection of slots, read as a list.
    List(Vec<SlotId>),
    /// A field of every item of a list in the document (`明细.*.数量`).
    ListField {
        list: SNodeId,
        keys: Arc<[String]>,
        label: Arc<str>,
    },
    /// The same cell in last year's report: one slot per schema it may use.
    Prior(Arc<[(Arc<str>, SlotId)]>),
    Local(usize),
    Neg(Box<CExpr>),
    Not(Box<CExpr>),
    Arith(BinOp, Box<CExpr>, Box<CExpr>, Span),
    And(Box<CExpr>, Box<CExpr>),
    Or(Box<CExpr>, Box<CExpr>),
    Cmp {
        op: CmpOp,
        lhs: Box<CExpr>,
        rhs: Box<CExpr>,
        within: Option<Box<CExpr>>,
        span: Span,
    },
    If {
        cond: Box<CExpr>,
        then: Box<CExpr>,
        otherwise: Option<Box<CExpr>>,
    },
    Let {
        local: usize,
        name: Arc<str>,
        value: Box<CExpr>,
        body: Box<CExpr>,
    },
    Call {
        func: Func,
        args: Vec<CExpr>,
        regex: Option<Arc<Regex>>,
        span: Span,
    },
}

impl CExpr {
    /// Every cell of its own document this expression reads, in order of appearance
    /// (last year's cells and list fields are not slots of this document).
    pub fn slots_read(&self, out: &mut Vec<SlotId>) {
        match self {
            CExpr::Slot(s) => out.push(*s),
            CExpr::List(slots) => out.extend(slots),
            CExpr::Const(_) | CExpr::ListField { .. } | CExpr::Prior(_) | CExpr::Local(_) => {}
            CExpr::Neg(x) | CExpr::Not(x) => x.slots_read(out),
            CExpr::Arith(_, a, b, _) | CExpr::And(a, b) | CExpr::Or(a, b) => {
                a.slots_read(out);
                b.slots_read(out);
            }
            CExpr::Cmp {
                lhs, rhs, within, ..
            } => {
                lhs.slots_read(out);
                rhs.slots_read(out);
                if let Some(w) = within {
                    w.slots_read(out);
                }
            }
            CExpr::If {
                cond,
                then,
                otherwise,
            } => {
                cond.slots_read(out);
                then.slots_read(out);
                if let Some(o) = otherwise {
                    o.slots_read(out);
                }
            }
            CExpr::Let { value, body, .. } => {
                value.slots_read(out);
                body.slots_read(out);
            }
            CExpr::Call { args, .. } => args.iter().for_each(|a| a.slots_read(out)),
        }
    }
}

/// One unrolled instance of a check: the bindings of its quantifiers and the expression.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Quantifier variable → label of what it is bound to (for messages).
    pub bindings: Vec<(Arc<str>, Arc<str>)>,
    pub expr: CExpr,
    /// A last `for each` over something only the document knows (e.g. `captures(…)`).
    pub dynamic: Option<(usize, Arc<str>, CExpr)>,
    /// The message's placeholders that are expressions, computed when the check fails
    /// (`None`: a name the finding fills in).
    pub shown: Vec<Option<CExpr>>,
}

#[derive(Debug, Clone)]
pub struct Compiled {
    pub instances: Vec<Instance>,
    pub locals: usize,
    pub uses_prior: bool,
}
