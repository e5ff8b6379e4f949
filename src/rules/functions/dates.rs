//! Dates: `date(y, m, d)`, `date(text)`, `year(d)`. A date is read from a cell of kind
//! `date`, from prose (`2024年1月28日`, `2024-01-28`), or made from numbers; dates compare
//! with `==`, `<`, `<=`, … A date read from a report points the finding at its sentence.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::text::note_match;
use super::{Applied, Checked, Function, Role, Site};
use crate::messages::rules::{EvalMsg, FuncMsg};
use crate::rules::ast::ExprKind;
use crate::rules::compile::Compiler;
use crate::rules::error::RuleError;
use crate::rules::eval::Ctx;
use crate::rules::ir::Ty;
use crate::rules::value::{Date, EvalError, Term, Val, V};

pub const DATE: Function = Function {
    name: "date",
    role: Role::Other,
    check,
    eval,
};

pub const YEAR: Function = Function {
    name: "year",
    role: Role::Other,
    check: |c, site| {
        site.arity(c, 1, 1)?;
        let d = c.expect(&site.args[0], Ty::Date)?;
        Ok(Checked::new(vec![d], Ty::Num))
    },
    eval: |ctx, call| {
        let v = ctx.eval(&call.args[0])?;
        Ok(match v.v {
            V::Date(d) => Val {
                v: V::Num(Decimal::from(d.year)),
                terms: v.terms,
                places: None,
            },
            V::Missing => Val::new(V::Missing),
            _ => Val::new(V::Blank),
        })
    },
};

/// `date(year, month, day)` of numbers, or `date(text)`: the first date written in it (a
/// "string" written in the rule must be one).
fn check(c: &mut Compiler<'_>, site: &Site<'_>) -> Result<Checked, RuleError> {
    if site.args.len() == 3 {
        let parts = site
            .args
            .iter()
            .map(|a| c.expect(a, Ty::Num))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Checked::new(parts, Ty::Date));
    }
    site.arity(c, 1, 1)?;
    let arg = &site.args[0];
    if let ExprKind::Text(t) = &arg.kind {
        if Date::find(t).is_none_or(|(_, r)| r.len() != t.trim().len()) {
            return Err(c.err(FuncMsg::NotADate { text: t.clone() }, &arg.span));
        }
    }
    let (value, ty) = c.compile(arg)?;
    if !matches!(ty, Ty::Text | Ty::Date) {
        return Err(c.err(FuncMsg::DateArgs { ty: ty.name() }, &arg.span));
    }
    Ok(Checked::new(vec![value], Ty::Date))
}

fn eval<'d>(ctx: &mut Ctx<'_, 'd>, call: &Applied<'d>) -> Result<Val<'d>, EvalError> {
    if let [y, m, d] = call.args {
        let mut parts = [0i64; 3];
        for (part, arg) in parts.iter_mut().zip([y, m, d]) {
            match ctx.eval(arg)?.v {
                V::Num(n) => *part = n.to_i64().filter(|_| n.fract().is_zero()).unwrap_or(0),
                V::Missing => return Ok(Val::new(V::Missing)),
                _ => return Ok(Val::new(V::Blank)),
            }
        }
        let [y, m, d] = parts;
        return match Date::new(y, m, d) {
            Some(date) => Ok(Val::new(V::Date(date))),
            None => Err(EvalError::new(
                EvalMsg::NoSuchDate {
                    date: format!("{y}-{m}-{d}"),
                },
                call.span,
            )),
        };
    }
    let v = ctx.eval(&call.args[0])?;
    let slot = super::text::text_slot(&v);
    let text = match v.v {
        V::Text(t) => t,
        V::Date(_) => return Ok(v),
        V::Missing => return Ok(Val::new(V::Missing)),
        _ => return Ok(Val::new(V::Blank)),
    };
    let Some((date, at)) = Date::find(&text) else {
        return Ok(Val::new(V::Blank));
    };
    let mut out = Val::new(V::Date(date));
    // The sentence the date is in is what the finding points at.
    if let Some(origin) = note_match(ctx, &text, at.start, at.end, slot) {
        out.terms.push(Term {
            origin,
            coef: Decimal::ZERO,
            value: Decimal::ZERO,
        });
    }
    Ok(out)
}
