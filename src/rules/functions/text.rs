//! Functions of text: `matches`, `capture`, `captures`. A pattern is a "string" written in
//! the rule, compiled once when the rule loads; what it matched is quoted by the finding,
//! located at its sentence.

use std::sync::Arc;

use regex::Regex;
use rust_decimal::Decimal;

use super::{Applied, Checked, Function, Role, Site};
use crate::finding::CellRef;
use crate::messages::rules::{FuncMsg, RegexMsg};
use crate::rules::ast::ExprKind;
use crate::rules::compile::Compiler;
use crate::rules::error::RuleError;
use crate::rules::eval::Ctx;
use crate::rules::ir::Ty;
use crate::rules::value::{number_val, EvalError, Origin, Term, Val, V};

pub const MATCHES: Function = Function {
    name: "matches",
    role: Role::Structural,
    check: |c, site| pattern(c, site, false, Ty::Bool),
    eval: |ctx, call| {
        let Some((re, text, slot)) = subject(ctx, call)? else {
            return Ok(Val::new(V::Bool(false)));
        };
        let m = re.find(&text);
        match (&m, slot) {
            (Some(m), _) => {
                note_match(ctx, &text, m.start(), m.end(), slot);
            }
            // No sentence matched: the field the pattern read is where to look.
            (None, Some(s)) => ctx.read(Origin::Slot(s)),
            (None, None) => {}
        }
        Ok(Val::new(V::Bool(m.is_some())))
    },
};

pub const CAPTURE: Function = Function {
    name: "capture",
    role: Role::Other,
    check: |c, site| pattern(c, site, true, Ty::Num),
    eval: |ctx, call| {
        let Some((re, text, slot)) = subject(ctx, call)? else {
            return Ok(Val::new(V::Missing));
        };
        let Some(caps) = re.captures(&text) else {
            return Ok(Val::new(V::Missing));
        };
        let (Some(whole), Some(group)) = (caps.get(0), caps.get(1)) else {
            return Ok(Val::new(V::Missing));
        };
        let origin = note_match(ctx, &text, whole.start(), whole.end(), slot);
        Ok(number_val(group.as_str(), origin))
    },
};

pub const CAPTURES: Function = Function {
    name: "captures",
    role: Role::Other,
    check: |c, site| pattern(c, site, true, Ty::NumList),
    eval: |ctx, call| {
        let Some((re, text, slot)) = subject(ctx, call)? else {
            return Ok(Val::new(V::Missing));
        };
        let mut items = Vec::new();
        for caps in re.captures_iter(&text) {
            let (Some(whole), Some(group)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            // Every sentence is remembered, so each item can point at its own.
            let origin = sentence(ctx, &text, whole.start(), whole.end(), slot);
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
        Ok(Val::new(V::List(items)))
    },
};

/// `f(text, "pattern")`, the pattern compiled now; `group`: it must capture a number.
fn pattern(
    c: &mut Compiler<'_>,
    site: &Site<'_>,
    group: bool,
    ty: Ty,
) -> Result<Checked, RuleError> {
    site.arity(c, 2, 2)?;
    let text = c.expect(&site.args[0], Ty::Text)?;
    let re = compile_pattern(c, &site.args[1])?;
    if group && re.captures_len() < 2 {
        return Err(c.err(FuncMsg::PatternNeedsGroup, &site.args[1].span));
    }
    Ok(Checked {
        args: vec![text],
        ty,
        regex: Some(re),
    })
}

/// A pattern argument: a "string" written in the rule, compiled (once per rule set).
pub(super) fn compile_pattern(
    c: &Compiler<'_>,
    arg: &crate::rules::ast::Expr,
) -> Result<Arc<Regex>, RuleError> {
    let ExprKind::Text(pattern) = &arg.kind else {
        return Err(c.err(FuncMsg::PatternLiteral, &arg.span));
    };
    c.regex(pattern).map_err(|e| {
        let text = e.to_string();
        let detail = text
            .lines()
            .last()
            .unwrap_or("")
            .trim_start_matches("error: ")
            .to_string();
        let known = RegexMsg::of(&detail);
        let err = c.err(
            FuncMsg::BadPattern {
                detail: known.to_string(),
            },
            &arg.span,
        );
        // The library's own words (English) when gouji has none of its own for them.
        match known {
            RegexMsg::Other => err.with_help(FuncMsg::BadPatternNote { detail }.to_string()),
            _ => err,
        }
    })
}

/// The pattern and the text it reads (with the cell it is in), or `None` when there is no
/// text to read.
#[allow(clippy::type_complexity)]
pub(super) fn subject<'d>(
    ctx: &mut Ctx<'_, 'd>,
    call: &Applied<'d>,
) -> Result<Option<(&'d Regex, std::borrow::Cow<'d, str>, Option<usize>)>, EvalError> {
    let Some(re) = call.regex else {
        return Ok(None);
    };
    let v = ctx.eval(&call.args[0])?;
    let slot = text_slot(&v);
    Ok(match v.v {
        V::Text(t) => Some((re, t, slot)),
        _ => None,
    })
}

/// The cell of this report a text was read from (explain mode: a text remembers it, through a
/// `let` too); `None` for a text written in the rule or read from last year's report.
pub(super) fn text_slot(v: &Val<'_>) -> Option<usize> {
    v.terms.iter().find_map(|t| match t.origin {
        Origin::Slot(s) => Some(s),
        _ => None,
    })
}

/// Record the sentence a pattern matched (explain mode only).
pub(super) fn note_match(
    ctx: &mut Ctx<'_, '_>,
    text: &str,
    start: usize,
    end: usize,
    slot: Option<usize>,
) -> Option<Origin> {
    let origin = sentence(ctx, text, start, end, slot)?;
    if let Origin::Dyn(cell) = &origin {
        if let Some(t) = &mut ctx.explain {
            t.matched = Some((cell.value.clone(), cell.span.clone()));
        }
    }
    ctx.read(origin.clone());
    Some(origin)
}

/// The sentence around a match, with its span in the file when it can be found there.
fn sentence(
    ctx: &Ctx<'_, '_>,
    text: &str,
    start: usize,
    end: usize,
    slot: Option<usize>,
) -> Option<Origin> {
    ctx.explain.as_ref()?;
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
    let doc = ctx.doc;
    let cell = doc.cells.get(slot)?;
    let raw = doc.source.slice(&cell.span);
    let span = match raw.find(&sentence) {
        Some(i) => cell.span.start + i..cell.span.start + i + sentence.len(),
        None => cell.span.clone(),
    };
    let node = doc.schema.slots[slot];
    Some(Origin::Dyn(CellRef {
        path: doc.schema.shared_path(node),
        label: doc.schema.shared_label(node),
        value: sentence,
        span,
        file: None,
    }))
}
