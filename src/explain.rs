//! A failed check → a finding in the auditor's words: the message with the arithmetic of
//! both sides (`171 + 11 = 182，但总计为 183`) and a label on every cell involved.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use crate::document::Document;
use crate::finding::{CellRef, Finding, OtherFile};
use crate::messages::rules::EvalMsg;
use crate::rules::eval::{show, Failure, Origin, Term, Val, V};
use crate::rules::num;
use crate::rules::value::shown_number;
use crate::rules::Rule;

/// Build the finding for one failure. `prior` is last year's report the check read with
/// `prior(…)`: its cells are listed with that file's name and their place in it.
pub fn finding(
    rule: &Rule,
    failure: &Failure,
    doc: &Document,
    prior: Option<&Document>,
) -> Finding {
    let trace = &failure.trace;
    let mut cells: Vec<CellRef> = trace
        .reads
        .iter()
        .filter_map(|o| cell_ref(o, doc, prior))
        .collect();
    // This report's cells in file order, then last year's.
    cells.sort_by_key(|c| (!c.is_local(), c.span.start));
    let (lhs, rhs, diff) = match &trace.cmp {
        Some(c) => {
            let diff = match (&c.lhs.v, &c.rhs.v) {
                (V::Num(a), V::Num(b)) => num::difference(*a, *b)
                    .map(|d| {
                        let terms: Vec<Term> =
                            c.lhs.terms.iter().chain(&c.rhs.terms).cloned().collect();
                        shown_number(d, &terms, c.lhs.places.max(c.rhs.places))
                    })
                    .unwrap_or_default(),
                _ => String::new(),
            };
            (side(&c.lhs), side(&c.rhs), diff)
        }
        None => (String::new(), String::new(), String::new()),
    };
    let mut message = match (&failure.error, &rule.message, &trace.cmp) {
        (Some(e), _, _) => EvalMsg::CannotCheck {
            reason: e.message.clone(),
        }
        .to_string(),
        (None, Some(template), _) => {
            let value = cells.first().map(|c| c.value.clone()).unwrap_or_default();
            let matched = trace
                .matched
                .as_ref()
                .map(|(m, _)| m.clone())
                .unwrap_or_default();
            let mut vars: Vec<(&str, String)> = vec![
                ("lhs", lhs.clone()),
                ("rhs", rhs.clone()),
                ("diff", diff),
                ("match", matched),
                ("value", value),
            ];
            vars.extend(
                failure
                    .bindings
                    .iter()
                    .map(|(k, v)| (k.as_ref(), v.to_string())),
            );
            vars.extend(trace.lets.iter().map(|(k, v)| (k.as_ref(), v.clone())));
            vars.extend(
                rule.placeholders
                    .iter()
                    .zip(&failure.shown)
                    .filter_map(|(p, v)| Some((p.text.as_str(), v.clone()?))),
            );
            fill(template, &vars)
        }
        (None, None, Some(c)) => format!("{lhs} {} {rhs}", c.op.negated_symbol()),
        (None, None, None) => rule.title.clone(),
    };
    if failure.error.is_some() && !failure.bindings.is_empty() {
        let at: Vec<String> = failure
            .bindings
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        message.push_str(&format!(" ({})", at.join(", ")));
    }
    // An evaluation error points at its operand (the divisor that is 0); else the finding
    // points first at a single cell the comparison is about (e.g. a 总计), else at the
    // sentence a pattern read, else at the first cell read.
    let operand = failure
        .error
        .as_ref()
        .and_then(|e| e.operands.iter().find_map(|o| cell_ref(o, doc, None)))
        .map(|c| c.span);
    let primary = operand
        .or_else(|| {
            trace
                .cmp
                .as_ref()
                .and_then(|c| {
                    // Last year's cell is never where the finding points.
                    [&c.lhs, &c.rhs]
                        .into_iter()
                        .find_map(|v| match v.terms.as_slice() {
                            [t] => cell_ref(&t.origin, doc, None),
                            _ => None,
                        })
                })
                .map(|c| c.span)
        })
        .or_else(|| trace.matched.as_ref().map(|(_, s)| s.clone()))
        .or_else(|| cells.iter().find(|c| c.is_local()).map(|c| c.span.clone()))
        .unwrap_or(0..0);
    let mut f = Finding::new(&rule.id, rule.severity, &rule.title, message, primary);
    f.cells = cells;
    f.help = rule.help.clone();
    f
}

/// A side of a comparison: `171 + 11 = 182` when it is a sum of cells, else its value.
pub fn side(v: &Val) -> String {
    let total = show(v);
    let V::Num(n) = v.v else { return total };
    let linear = v.terms.len() >= 2
        && v.terms.iter().all(|t| t.coef.abs() == Decimal::ONE)
        && num::sum(v.terms.iter().map(|t| {
            if t.coef.is_sign_negative() {
                num::neg(t.value)
            } else {
                t.value
            }
        })) == Ok(n);
    if !linear {
        return total;
    }
    let shown: Vec<&Term> = v.terms.iter().filter(|t| !t.value.is_zero()).collect();
    if shown.len() < 2 {
        return total;
    }
    let mut out = String::new();
    for (i, t) in shown.iter().enumerate() {
        let negative = t.coef.is_sign_negative();
        match (i, negative) {
            (0, false) => {}
            (0, true) => out.push('−'),
            (_, false) => out.push_str(" + "),
            (_, true) => out.push_str(" − "),
        }
        let _ = write!(out, "{}", t.value);
    }
    let _ = write!(out, " = {total}");
    out
}

/// The cell an origin names. A cell of last year's report carries that file and its place
/// there; without `prior` (where the finding points) it is left out.
fn cell_ref(origin: &Origin, doc: &Document, prior: Option<&Document>) -> Option<CellRef> {
    match origin {
        Origin::Slot(s) => Some(doc.cell_ref(*s)),
        Origin::Prior(s) => {
            let prior = prior?;
            let mut c = prior.cell_ref(*s);
            let source = prior.source;
            c.file = Some(Box::new(OtherFile {
                name: source.name.clone(),
                start: source.position(c.span.start),
                end: source.position(c.span.end.max(c.span.start)),
            }));
            Some(c)
        }
        Origin::Dyn(c) => Some(c.clone()),
    }
}

/// Replace `{name}` with its value; unknown names stay as written.
pub fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.iter().find(|(k, _)| *k == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
