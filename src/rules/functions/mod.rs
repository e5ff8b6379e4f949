//! The built-in functions of the rule language. Each one is a [`Function`]: its name, the
//! check of its arguments when a rule loads (arity, types, a pattern compiled once) and its
//! implementation when a report is checked, side by side in the file of its family.
//! Adding a function is one entry in that file, one line in [`FUNCTIONS`], and a line in
//! docs/rule-language.md.
//!
//! The set forms `columns(…)`, `rows(…)`, `groups(…)`, `cells(…)` and `prior(…)` are not
//! functions of values: they name places in the template, and the compiler resolves them.

mod cells;
pub(super) mod dates;
mod numbers;
mod text;

use std::sync::Arc;

use regex::Regex;

use super::ast::{Expr, Spanned};
use super::compile::Compiler;
use super::error::RuleError;
use super::eval::Ctx;
use super::ir::{CExpr, Ty};
use super::value::{EvalError, Val};
use crate::messages::rules::FuncMsg;
use crate::source::Span;

/// Every built-in function, in the order the manual lists them.
pub const FUNCTIONS: &[Function] = &[
    numbers::SUM,
    numbers::COUNT,
    numbers::MIN,
    numbers::MAX,
    numbers::ABS,
    numbers::ROUND,
    cells::IS_BLANK,
    cells::EXISTS,
    numbers::DECIMALS,
    numbers::IS_INTEGER,
    text::MATCHES,
    text::CAPTURE,
    text::CAPTURES,
    dates::DATE,
    dates::YEAR,
];

/// Names that only make sense as the set of a `for each`, or around a path.
pub const SET_FUNCTIONS: &[&str] = &["columns", "rows", "groups", "cells", "prior"];

/// A built-in function, as compiled calls refer to it.
pub type Func = &'static Function;

/// What the repair search may assume about a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A number made of the numbers it is given (a side of a relation to repair).
    Number,
    /// A condition no change of one number into another can flip.
    Structural,
    /// Anything else.
    Other,
}

pub struct Function {
    pub name: &'static str,
    pub role: Role,
    /// Checks the arguments of a call when the rule loads.
    pub(super) check: fn(&mut Compiler<'_>, &Site<'_>) -> Result<Checked, RuleError>,
    /// Computes the call on a report.
    pub(super) eval: for<'a, 'd> fn(&mut Ctx<'a, 'd>, &Applied<'d>) -> Result<Val<'d>, EvalError>,
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        self.name == other.name
    }
}

/// The function of a name.
pub fn lookup(name: &str) -> Option<Func> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// A call as written in the rule file.
pub struct Site<'e> {
    pub name: &'e Spanned<String>,
    pub args: &'e [Expr],
    pub span: &'e Span,
}

impl Site<'_> {
    /// Between `lo` and `hi` arguments (`usize::MAX`: no upper bound).
    fn arity(&self, c: &Compiler<'_>, lo: usize, hi: usize) -> Result<(), RuleError> {
        let n = self.args.len();
        if n >= lo && n <= hi {
            return Ok(());
        }
        let func = self.name.node.clone();
        let message = if lo == hi {
            FuncMsg::Arity { func, want: lo, n }
        } else if hi == usize::MAX {
            FuncMsg::ArityAtLeast { func, lo, n }
        } else {
            FuncMsg::ArityBetween { func, lo, hi, n }
        };
        Err(c.err(message, self.span))
    }
}

/// A checked call: its compiled arguments, the type of its value, a compiled pattern.
pub struct Checked {
    pub args: Vec<CExpr>,
    pub ty: Ty,
    pub regex: Option<Arc<Regex>>,
}

impl Checked {
    fn new(args: Vec<CExpr>, ty: Ty) -> Checked {
        Checked {
            args,
            ty,
            regex: None,
        }
    }
}

/// A call being evaluated.
pub struct Applied<'d> {
    pub func: Func,
    pub args: &'d [CExpr],
    pub regex: Option<&'d Regex>,
    pub span: &'d Span,
}

/// One argument of the given type (the shape of most functions of one value).
fn one(c: &mut Compiler<'_>, site: &Site<'_>, arg: Ty, result: Ty) -> Result<Checked, RuleError> {
    site.arity(c, 1, 1)?;
    Ok(Checked::new(vec![c.expect(&site.args[0], arg)?], result))
}
