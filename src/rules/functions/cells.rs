//! Functions of a cell itself: `is_blank`, `exists`.

use super::{Applied, Checked, Function, Role, Site};
use crate::rules::compile::Compiler;
use crate::rules::error::RuleError;
use crate::rules::eval::Ctx;
use crate::rules::ir::{CExpr, Ty};
use crate::rules::value::{EvalError, Origin, Val, V};

pub const IS_BLANK: Function = Function {
    name: "is_blank",
    role: Role::Structural,
    check: one_cell,
    eval: |ctx, call| about(ctx, call, |v| matches!(v, V::Blank)),
};

pub const EXISTS: Function = Function {
    name: "exists",
    role: Role::Structural,
    check: one_cell,
    eval: |ctx, call| about(ctx, call, |v| !matches!(v, V::Missing)),
};

/// The path of one cell (this year's or last year's).
fn one_cell(c: &mut Compiler<'_>, site: &Site<'_>) -> Result<Checked, RuleError> {
    site.arity(c, 1, 1)?;
    let (mut arg, _) = c.compile(&site.args[0])?;
    // A cell of kind `date` is read through `date(…)`: the cell is what is asked about.
    if let CExpr::Call { func, args, .. } = &mut arg {
        if func.name == super::dates::DATE.name && matches!(args.as_slice(), [CExpr::Slot(_)]) {
            arg = args.swap_remove(0);
        }
    }
    if !matches!(arg, CExpr::Slot(_) | CExpr::Prior(_)) {
        return Err(c.err(
            crate::messages::rules::FuncMsg::OneCell {
                func: site.name.node.clone(),
            },
            &site.args[0].span,
        ));
    }
    Ok(Checked::new(vec![arg], Ty::Bool))
}

fn about<'d>(
    ctx: &mut Ctx<'_, 'd>,
    call: &Applied<'d>,
    test: fn(&V) -> bool,
) -> Result<Val<'d>, EvalError> {
    let v = ctx.eval(&call.args[0])?;
    // The cell asked about is part of the finding, text cells included.
    if let (CExpr::Slot(s), false) = (&call.args[0], matches!(v.v, V::Missing)) {
        ctx.read(Origin::Slot(*s));
    }
    Ok(Val::new(V::Bool(test(&v.v))))
}
