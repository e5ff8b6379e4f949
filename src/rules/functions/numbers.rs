//! Functions of numbers: `sum`, `count`, `min`, `max`, `abs`, `round`, `decimals`,
//! `is_integer`.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::{one, Applied, Checked, Function, Role, Site};
use crate::messages::rules::EvalMsg;
use crate::rules::compile::Compiler;
use crate::rules::error::RuleError;
use crate::rules::eval::Ctx;
use crate::rules::ir::{CExpr, Ty};
use crate::rules::num;
use crate::rules::value::{nonlinear, EvalError, Val, V};
use crate::value::Value;

pub const SUM: Function = Function {
    name: "sum",
    role: Role::Number,
    check: numbers,
    eval: sum,
};

pub const COUNT: Function = Function {
    name: "count",
    role: Role::Number,
    check: numbers,
    eval: |ctx, call| {
        let items = flatten(ctx, call.args)?;
        let n = items.iter().filter(|i| matches!(i.v, V::Num(_))).count();
        Ok(Val::new(V::Num(Decimal::from(n))))
    },
};

pub const MIN: Function = Function {
    name: "min",
    role: Role::Number,
    check: numbers,
    eval: |ctx, call| best(ctx, call, |n, b| n < b),
};

pub const MAX: Function = Function {
    name: "max",
    role: Role::Number,
    check: numbers,
    eval: |ctx, call| best(ctx, call, |n, b| n > b),
};

pub const ABS: Function = Function {
    name: "abs",
    role: Role::Number,
    check: |c, site| one(c, site, Ty::Num, Ty::Num),
    eval: |ctx, call| {
        let v = ctx.eval(&call.args[0])?;
        Ok(match v.num() {
            Some(n) => nonlinear(Val {
                v: V::Num(n.abs()),
                ..v
            }),
            None => v,
        })
    },
};

pub const ROUND: Function = Function {
    name: "round",
    role: Role::Number,
    check: |c, site| {
        site.arity(c, 2, 2)?;
        let x = c.expect(&site.args[0], Ty::Num)?;
        let places = c.expect(&site.args[1], Ty::Num)?;
        Ok(Checked::new(vec![x, places], Ty::Num))
    },
    eval: |ctx, call| {
        let v = ctx.eval(&call.args[0])?;
        let places = ctx
            .eval(&call.args[1])?
            .num()
            .and_then(|p| p.to_u32())
            .filter(|p| *p <= 28);
        let Some(places) = places else {
            return Err(EvalError::new(EvalMsg::RoundPlaces, call.span));
        };
        Ok(match v.num() {
            Some(n) => nonlinear(Val {
                v: V::Num(n.round_dp(places)),
                terms: v.terms,
                places: Some(places),
            }),
            None => v,
        })
    },
};

pub const DECIMALS: Function = Function {
    name: "decimals",
    role: Role::Other,
    check: |c, site| one(c, site, Ty::Num, Ty::Num),
    eval: |ctx, call| {
        let v = ctx.eval(&call.args[0])?;
        Ok(match v.num() {
            Some(n) => Val::new(V::Num(Decimal::from(n.scale()))),
            None => Val::new(V::Blank),
        })
    },
};

pub const IS_INTEGER: Function = Function {
    name: "is_integer",
    role: Role::Other,
    check: |c, site| one(c, site, Ty::Num, Ty::Bool),
    eval: |ctx, call| {
        let v = ctx.eval(&call.args[0])?;
        Ok(match v.num() {
            Some(n) => Val::new(V::Bool(n.fract().is_zero())),
            None => Val::new(V::Blank),
        })
    },
};

/// One or more numbers or lists of numbers.
fn numbers(c: &mut Compiler<'_>, site: &Site<'_>) -> Result<Checked, RuleError> {
    site.arity(c, 1, usize::MAX)?;
    let mut out = vec![];
    for a in site.args {
        let (arg, ty) = c.compile(a)?;
        if !matches!(ty, Ty::Num | Ty::NumList) {
            return Err(c.err(
                crate::messages::rules::FuncMsg::AddsNumbers {
                    func: site.name.node.clone(),
                    ty: ty.name(),
                },
                &a.span,
            ));
        }
        out.push(arg);
    }
    Ok(Checked::new(out, Ty::Num))
}

/// The arguments' values, lists spread out.
fn flatten<'d>(ctx: &mut Ctx<'_, 'd>, args: &'d [CExpr]) -> Result<Vec<Val<'d>>, EvalError> {
    let mut out = Vec::new();
    for a in args {
        match ctx.eval(a)? {
            Val {
                v: V::List(items), ..
            } => out.extend(items),
            v => out.push(v),
        }
    }
    Ok(out)
}

/// The smallest or largest number (`better(n, best)`); blanks are left out.
fn best<'d>(
    ctx: &mut Ctx<'_, 'd>,
    call: &Applied<'d>,
    better: fn(Decimal, Decimal) -> bool,
) -> Result<Val<'d>, EvalError> {
    let mut best: Option<Val> = None;
    for item in flatten(ctx, call.args)? {
        let Some(n) = item.num() else { continue };
        if best
            .as_ref()
            .and_then(|b| b.num())
            .is_none_or(|b| better(n, b))
        {
            best = Some(item);
        }
    }
    Ok(best.map(nonlinear).unwrap_or(Val::new(V::Blank)))
}

fn sum<'d>(ctx: &mut Ctx<'_, 'd>, call: &Applied<'d>) -> Result<Val<'d>, EvalError> {
    if !ctx.explaining() {
        return quick_sum(ctx, call);
    }
    let items = flatten(ctx, call.args)?;
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
    for item in &items {
        if let V::Num(n) = item.v {
            let t = num::add(total.unwrap_or(Decimal::ZERO), n).map_err(|e| {
                let all: Vec<&Val> = items.iter().collect();
                EvalError::new(EvalMsg::from(e), call.span).on(&all)
            })?;
            total = Some(t);
        }
    }
    // The numbers' terms, moved (a list item's names its cell in three strings).
    let numbers = || items.iter().filter(|i| matches!(i.v, V::Num(_)));
    let mut terms = Vec::with_capacity(numbers().map(|i| i.terms.len()).sum());
    for item in items {
        if matches!(item.v, V::Num(_)) {
            terms.extend(item.terms);
        }
    }
    Ok(Val {
        v: total.map_or(V::Blank, V::Num),
        terms,
        places: None,
    })
}

/// `sum` without terms and without building lists: the first pass runs it for every
/// instance of every rule, so it reads the cells straight from the document.
fn quick_sum<'d>(ctx: &mut Ctx<'_, 'd>, call: &Applied<'d>) -> Result<Val<'d>, EvalError> {
    let span = call.span;
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
                        let t = num::add(rest.unwrap_or(Decimal::ZERO), *n);
                        rest = Some(t.map_err(|e| EvalError::new(EvalMsg::from(e), span))?);
                    }
                }
                Ok(true)
            }
            Value::Blank => Ok(true),
            Value::Text(_) | Value::Missing => Ok(false),
        }
    };
    let doc = ctx.doc;
    for a in call.args {
        match a {
            CExpr::List(slots) => {
                for &s in slots {
                    let known = match doc.cells.get(s) {
                        Some(c) => add(&c.value)?,
                        None => false,
                    };
                    if !known {
                        return Ok(Val::new(V::Blank));
                    }
                }
            }
            CExpr::Slot(s) => {
                let known = match doc.cells.get(*s) {
                    Some(c) => add(&c.value)?,
                    None => false,
                };
                if !known {
                    return Ok(Val::new(V::Blank));
                }
            }
            // A column of a list: its cells read in place, not built into a list of values.
            CExpr::ListField { list, keys, .. } => {
                for item in ctx.list_items(*list, keys) {
                    let value = item.map(|(_, text, plain)| Value::from_scalar(text, plain));
                    match value {
                        Some(n @ Value::Number(_)) => {
                            add(&n)?;
                        }
                        Some(Value::Blank) => {}
                        _ => return Ok(Val::new(V::Blank)),
                    }
                }
            }
            other => match ctx.eval(other)?.v {
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
    let total = num::add(rest.unwrap_or(Decimal::ZERO), Decimal::from(whole));
    let total = total.map_err(|e| EvalError::new(EvalMsg::from(e), span))?;
    Ok(Val::new(V::Num(total)))
}
