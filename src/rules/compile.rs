//! Checking a rule against a schema and compiling it: every path is resolved to slots,
//! every `for each` over the template is unrolled, every function call is checked.
//! What comes out is evaluated per document without looking anything up by name.

use std::sync::Arc;

use regex::Regex;

use super::ast::*;
use super::error::RuleError;
use super::functions::{self, FUNCTIONS, SET_FUNCTIONS};
use super::ir::*;
use crate::document::did_you_mean;
use crate::messages::rules::{CompileMsg, RuleMsg};
use crate::messages::Message;
use crate::schema::{AllSchemas, SKind, SNodeId, Schema, SlotId, ROOT};
use crate::source::{Source, Span};

/// How many instances the `for each` of one rule may unroll into, per format. The built-in
/// packs need a few hundred at most; five nested loops over a table's cells would need
/// billions (and gigabytes): such a rule is refused when it loads.
pub const MAX_INSTANCES: usize = 10_000;

#[derive(Debug, Clone)]
pub(super) enum Binding {
    /// A node of the template: a row, a row group, a scalar.
    Node(SNodeId),
    /// A column of a table (its descriptor node).
    Column(SNodeId),
    /// A value computed while evaluating.
    Local(usize, Ty),
}

/// Everything the compiler needs: the schema, the rule file, the other schemas (for prior).
/// Compiled patterns, shared by every rule of a set and every format (compiling a
/// Unicode regex costs far more than using it).
pub type RegexCache = std::sync::Mutex<std::collections::HashMap<String, Arc<Regex>>>;

pub struct Compiler<'s> {
    pub schema: &'s Schema,
    pub all: &'s AllSchemas,
    pub source: &'s Source,
    regexes: Option<&'s RegexCache>,
    pub(super) vars: Vec<(String, Binding)>,
    locals: usize,
    uses_prior: bool,
    /// The rule being compiled, and where its check is (for errors about the whole check).
    rule_id: Option<String>,
    check_span: Option<Span>,
    /// The message's placeholders, and the names they may use without a path.
    placeholders: &'s [Placeholder],
    named: &'s [String],
}

impl<'s> Compiler<'s> {
    pub fn new(schema: &'s Schema, all: &'s AllSchemas, source: &'s Source) -> Self {
        Compiler {
            schema,
            all,
            source,
            regexes: None,
            vars: vec![],
            locals: 0,
            uses_prior: false,
            rule_id: None,
            check_span: None,
            placeholders: &[],
            named: &[],
        }
    }

    /// Names the rule in errors about its check as a whole.
    pub fn for_rule(mut self, id: &str) -> Self {
        self.rule_id = Some(id.to_string());
        self
    }

    /// The placeholders of the rule's message: each one not in `named` (the values every
    /// finding has, the `for each` variables, the `let` names) is compiled as an expression
    /// with every instance, so a misspelt one is refused when the rule loads.
    pub fn with_placeholders(
        mut self,
        placeholders: &'s [Placeholder],
        named: &'s [String],
    ) -> Self {
        self.placeholders = placeholders;
        self.named = named;
        self
    }

    pub fn with_regexes(mut self, cache: &'s RegexCache) -> Self {
        self.regexes = Some(cache);
        self
    }

    pub(super) fn regex(&self, pattern: &str) -> Result<Arc<Regex>, regex::Error> {
        let Some(cache) = self.regexes else {
            return Regex::new(pattern).map(Arc::new);
        };
        if let Some(re) = cache.lock().ok().and_then(|c| c.get(pattern).cloned()) {
            return Ok(re);
        }
        let re = Arc::new(Regex::new(pattern)?);
        if let Ok(mut c) = cache.lock() {
            c.insert(pattern.to_string(), re.clone());
        }
        Ok(re)
    }

    pub(super) fn err(&self, message: impl Message, span: &Span) -> RuleError {
        RuleError::new(self.source, message.to_string(), span.clone())
    }

    /// Compile a check: unroll its quantifiers over the template, compile each instance.
    pub fn check(mut self, check: &Check) -> Result<Compiled, RuleError> {
        let first = check.quantifiers.first().map(|q| &q.var.span);
        self.check_span = Some(match first {
            Some(s) => s.start..check.body.span.end,
            None => check.body.span.clone(),
        });
        let mut instances = Vec::new();
        self.unroll(
            &check.quantifiers,
            &check.body,
            &mut Vec::new(),
            &mut instances,
        )?;
        Ok(Compiled {
            instances,
            locals: self.locals,
            uses_prior: self.uses_prior,
        })
    }

    fn unroll(
        &mut self,
        quants: &[Quantifier],
        body: &Expr,
        bindings: &mut Vec<(Arc<str>, Arc<str>)>,
        out: &mut Vec<Instance>,
    ) -> Result<(), RuleError> {
        let Some((q, rest)) = quants.split_first() else {
            if out.len() >= MAX_INSTANCES {
                return Err(self.too_many_instances());
            }
            let expr = self.expect(body, Ty::Bool)?;
            out.push(Instance {
                bindings: bindings.clone(),
                expr,
                dynamic: None,
                shown: self.shown()?,
            });
            return Ok(());
        };
        match self.static_set(&q.set)? {
            Some(mut members) => {
                self.leave_out(&mut members, &q.except)?;
                for (binding, label) in members {
                    self.vars.push((q.var.node.clone(), binding));
                    bindings.push((q.var.node.as_str().into(), label.into()));
                    let result = self.unroll(rest, body, bindings, out);
                    bindings.pop();
                    self.vars.pop();
                    result?;
                }
                Ok(())
            }
            None => {
                if let Some(x) = q.except.first() {
                    return Err(self.err(CompileMsg::ExceptOnDynamic, &x.span));
                }
                if !rest.is_empty() {
                    return Err(self.err(CompileMsg::DynamicLast, &q.set.span));
                }
                let (set, ty) = self.compile(&q.set)?;
                if ty != Ty::NumList {
                    return Err(
                        self.err(CompileMsg::ForEachNeedsSet { ty: ty.name() }, &q.set.span)
                    );
                }
                let local = self.new_local();
                self.vars
                    .push((q.var.node.clone(), Binding::Local(local, Ty::Num)));
                let expr = self.expect(body, Ty::Bool);
                let shown = self.shown();
                self.vars.pop();
                if out.len() >= MAX_INSTANCES {
                    return Err(self.too_many_instances());
                }
                out.push(Instance {
                    bindings: bindings.clone(),
                    expr: expr?,
                    dynamic: Some((local, q.var.node.as_str().into(), set)),
                    shown: shown?,
                });
                Ok(())
            }
        }
    }

    /// The message's placeholders compiled for one instance (`None`: a name the finding
    /// fills in itself).
    fn shown(&mut self) -> Result<Vec<Option<CExpr>>, RuleError> {
        let placeholders = self.placeholders;
        let mut out = Vec::with_capacity(placeholders.len());
        for p in placeholders {
            let single = match &p.expr.kind {
                ExprKind::Path(path) if path.except.is_empty() => match path.segments.as_slice() {
                    [Segment::Name(n)] => Some(n),
                    _ => None,
                },
                _ => None,
            };
            if let Some(n) = single {
                if self.named.contains(&n.node) {
                    out.push(None);
                    continue;
                }
                if self.var(&n.node).is_none() && self.schema.child(ROOT, &n.node).is_none() {
                    return Err(self.unknown_placeholder(n));
                }
            }
            out.push(Some(self.compile(&p.expr)?.0));
        }
        Ok(out)
    }

    fn unknown_placeholder(&self, n: &Spanned<String>) -> RuleError {
        use crate::messages::rules::PlaceholderMsg;
        let names: Vec<&str> = self.named.iter().map(String::as_str).collect();
        let help = match did_you_mean(&n.node, &names) {
            Some(k) => PlaceholderMsg::DidYouMean {
                name: k.to_string(),
            },
            None => PlaceholderMsg::Known {
                names: names
                    .iter()
                    .map(|k| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join("、"),
            },
        };
        self.err(
            PlaceholderMsg::Unknown {
                name: n.node.clone(),
            },
            &n.span,
        )
        .with_label(PlaceholderMsg::UnknownLabel.to_string())
        .with_help(help.to_string())
    }

    fn too_many_instances(&self) -> RuleError {
        let span = self.check_span.clone().unwrap_or(0..0);
        self.err(
            RuleMsg::TooManyInstances {
                rule: self.rule_id.clone().unwrap_or_default(),
                format: self.schema.name.clone(),
                limit: MAX_INSTANCES,
            },
            &span,
        )
        .with_help(RuleMsg::TooManyInstancesHelp.to_string())
    }

    fn new_local(&mut self) -> usize {
        self.locals += 1;
        self.locals - 1
    }

    /// A set the template fixes: `columns(T)`, `rows(T)`, `cells(T)`, or a path with wildcards.
    fn static_set(&mut self, set: &Expr) -> Result<Option<Vec<(Binding, String)>>, RuleError> {
        let schema = self.schema;
        match &set.kind {
            ExprKind::Call(name, args)
                if SET_FUNCTIONS.contains(&name.node.as_str()) && name.node != "prior" =>
            {
                if args.is_empty() {
                    let func = name.node.clone();
                    return Err(self.err(CompileMsg::TakesOneTable { func }, &set.span));
                }
                // Several tables: their members one after the other (`cells(申请, 复议诉讼)`).
                let mut all = Vec::new();
                for arg in args {
                    all.extend(self.members(&name.node, arg)?);
                }
                Ok(Some(all))
            }
            ExprKind::Path(path) => {
                let sel = self.select(path)?;
                if sel.list.is_some() {
                    return Ok(None);
                }
                Ok(Some(
                    sel.nodes
                        .into_iter()
                        .map(|n| (Binding::Node(n), schema.label(n)))
                        .collect(),
                ))
            }
            _ => Ok(None),
        }
    }

    /// `except NAME, …` after a set: leaves out each member named so, or inside something
    /// named so (`cells(申请) except 总计`: the 总计 column and the 总计 rows).
    fn leave_out(
        &self,
        members: &mut Vec<(Binding, String)>,
        except: &[Spanned<String>],
    ) -> Result<(), RuleError> {
        let schema = self.schema;
        let named = |b: &Binding, name: &str| {
            let (Binding::Node(n) | Binding::Column(n)) = b else {
                return false;
            };
            let mut at = Some(*n);
            while let Some(node) = at {
                if schema.node(node).key == name {
                    return true;
                }
                at = schema.node(node).parent;
            }
            false
        };
        for x in except {
            if !members.iter().any(|(b, _)| named(b, &x.node)) {
                return Err(self.err(
                    CompileMsg::ExceptNothing {
                        name: x.node.clone(),
                    },
                    &x.span,
                ));
            }
        }
        members.retain(|(b, _)| !except.iter().any(|x| named(b, &x.node)));
        Ok(())
    }

    /// The members of `columns`, `rows`, `groups` or `cells` of one table.
    fn members(&mut self, func: &str, arg: &Expr) -> Result<Vec<(Binding, String)>, RuleError> {
        let schema = self.schema;
        let ExprKind::Path(path) = &arg.kind else {
            let func = func.to_string();
            return Err(self.err(CompileMsg::TakesTablePath { func }, &arg.span));
        };
        let sel = self.select(path)?;
        let [node] = sel.nodes.as_slice() else {
            return Err(self.err(CompileMsg::SingleTable, &arg.span));
        };
        let node = *node;
        Ok(match func {
            "columns" => {
                let table = schema
                    .table_of(node)
                    .filter(|&t| t == node)
                    .ok_or_else(|| {
                        self.err(
                            CompileMsg::NotATable {
                                label: schema.node(node).label.clone(),
                            },
                            &arg.span,
                        )
                    })?;
                let SKind::Table { columns } = &schema.node(table).kind else {
                    return Ok(vec![]);
                };
                columns
                    .iter()
                    .filter(|&&c| !schema.node(c).optional)
                    .map(|&c| (Binding::Column(c), schema.node(c).label.clone()))
                    .collect()
            }
            "rows" => {
                let mut rows = vec![];
                schema.rows_below(node, &mut rows);
                if rows.is_empty() {
                    return Err(self.err(
                        CompileMsg::NoRows {
                            label: schema.node(node).label.clone(),
                        },
                        &arg.span,
                    ));
                }
                rows.into_iter()
                    .map(|r| (Binding::Node(r), schema.label(r)))
                    .collect()
            }
            "groups" => schema
                .node(node)
                .children
                .iter()
                .filter(|&&g| {
                    matches!(schema.node(g).kind, SKind::RowGroup) && !schema.node(g).optional
                })
                .map(|&g| (Binding::Node(g), schema.label(g)))
                .collect(),
            _ => {
                let mut cells = vec![];
                schema.scalars_below(node, &mut cells);
                cells
                    .into_iter()
                    .map(|c| (Binding::Node(c), schema.label(c)))
                    .collect()
            }
        })
    }

    pub(super) fn expect(&mut self, e: &Expr, want: Ty) -> Result<CExpr, RuleError> {
        let (c, ty) = self.compile(e)?;
        if ty != want {
            return Err(self
                .err(
                    CompileMsg::Expected {
                        want: want.name(),
                        ty: ty.name(),
                    },
                    &e.span,
                )
                .with_label(ty.name()));
        }
        Ok(c)
    }

    pub(super) fn compile(&mut self, e: &Expr) -> Result<(CExpr, Ty), RuleError> {
        use super::syntax::{RED_ZONE, STACK_CHUNK};
        stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.compile_inner(e))
    }

    fn compile_inner(&mut self, e: &Expr) -> Result<(CExpr, Ty), RuleError> {
        Ok(match &e.kind {
            ExprKind::Number(n) => (CExpr::Const(Const::Num(*n)), Ty::Num),
            ExprKind::Text(t) => (CExpr::Const(Const::Text(t.as_str().into())), Ty::Text),
            ExprKind::Blank => (CExpr::Const(Const::Blank), Ty::Num),
            ExprKind::Bool(b) => (CExpr::Const(Const::Bool(*b)), Ty::Bool),
            ExprKind::Path(p) => self.path_value(p)?,
            ExprKind::Neg(x) => (CExpr::Neg(Box::new(self.expect(x, Ty::Num)?)), Ty::Num),
            ExprKind::Not(x) => (CExpr::Not(Box::new(self.expect(x, Ty::Bool)?)), Ty::Bool),
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), a, b) => {
                let (a, b) = (
                    Box::new(self.expect(a, Ty::Bool)?),
                    Box::new(self.expect(b, Ty::Bool)?),
                );
                (
                    if *op == BinOp::And {
                        CExpr::And(a, b)
                    } else {
                        CExpr::Or(a, b)
                    },
                    Ty::Bool,
                )
            }
            ExprKind::Binary(op, a, b) => {
                let (a, b) = (self.expect(a, Ty::Num)?, self.expect(b, Ty::Num)?);
                (
                    CExpr::Arith(*op, Box::new(a), Box::new(b), e.span.clone()),
                    Ty::Num,
                )
            }
            ExprKind::Compare {
                op,
                lhs,
                rhs,
                within,
            } => {
                let (l, lt) = self.compile(lhs)?;
                let (r, rt) = self.compile(rhs)?;
                let comparable = (lt == rt && matches!(lt, Ty::Num | Ty::Date))
                    || (lt == rt && matches!(op, CmpOp::Eq | CmpOp::Ne) && lt != Ty::NumList);
                if !comparable {
                    let err = self.err(
                        CompileMsg::CannotCompare {
                            lhs: lt.name(),
                            rhs: rt.name(),
                        },
                        &e.span,
                    );
                    return Err(if lt == Ty::NumList || rt == Ty::NumList {
                        err.with_help(CompileMsg::SumBeforeComparing.to_string())
                    } else {
                        err
                    });
                }
                let within = match within {
                    Some(t) => Some(Box::new(self.expect(t, Ty::Num)?)),
                    None => None,
                };
                (
                    CExpr::Cmp {
                        op: *op,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                        within,
                        span: e.span.clone(),
                    },
                    Ty::Bool,
                )
            }
            ExprKind::If {
                cond,
                then,
                otherwise,
            } => {
                let cond = self.expect(cond, Ty::Bool)?;
                let (then, ty) = self.compile(then)?;
                let otherwise = match otherwise {
                    Some(o) => Some(Box::new(self.expect(o, ty)?)),
                    None if ty == Ty::Bool => None,
                    None => {
                        return Err(self
                            .err(CompileMsg::IfNeedsElse, &e.span)
                            .with_help(CompileMsg::IfNeedsElseHelp.to_string()))
                    }
                };
                (
                    CExpr::If {
                        cond: Box::new(cond),
                        then: Box::new(then),
                        otherwise,
                    },
                    ty,
                )
            }
            ExprKind::Let { name, value, body } => {
                let (value, ty) = self.compile(value)?;
                let local = self.new_local();
                self.vars
                    .push((name.node.clone(), Binding::Local(local, ty)));
                let body = self.compile(body);
                self.vars.pop();
                let (body, bty) = body?;
                (
                    CExpr::Let {
                        local,
                        name: name.node.as_str().into(),
                        value: Box::new(value),
                        body: Box::new(body),
                    },
                    bty,
                )
            }
            ExprKind::Call(name, args) => self.call(name, args, &e.span)?,
        })
    }

    fn call(
        &mut self,
        name: &Spanned<String>,
        args: &[Expr],
        span: &Span,
    ) -> Result<(CExpr, Ty), RuleError> {
        if name.node == "prior" {
            return self.prior(args, span);
        }
        let Some(func) = functions::lookup(&name.node) else {
            if SET_FUNCTIONS.contains(&name.node.as_str()) {
                return Err(self.err(
                    CompileMsg::SetNotValue {
                        func: name.node.clone(),
                    },
                    &name.span,
                ));
            }
            let names: Vec<&str> = FUNCTIONS
                .iter()
                .map(|f| f.name)
                .chain(SET_FUNCTIONS.iter().copied())
                .collect();
            let hint = match did_you_mean(&name.node, &names) {
                Some(n) => CompileMsg::DidYouMean {
                    name: n.to_string(),
                },
                None => CompileMsg::KnownFunctions {
                    names: names.join(crate::messages::list_sep()),
                },
            };
            return Err(self
                .err(
                    CompileMsg::UnknownFunction {
                        name: name.node.clone(),
                    },
                    &name.span,
                )
                .with_label(CompileMsg::UnknownFunctionLabel.to_string())
                .with_help(hint.to_string()));
        };
        let site = functions::Site { name, args, span };
        let checked = (func.check)(self, &site)?;
        Ok((
            CExpr::Call {
                func,
                args: checked.args,
                regex: checked.regex,
                span: span.clone(),
            },
            checked.ty,
        ))
    }

    /// `prior(path)`: the same cell of last year's report, resolved in every schema.
    fn prior(&mut self, args: &[Expr], span: &Span) -> Result<(CExpr, Ty), RuleError> {
        let [arg] = args else {
            return Err(self.err(CompileMsg::PriorOneCell, span));
        };
        let (c, _) = self.compile(arg)?;
        let CExpr::Slot(slot) = c else {
            return Err(self.err(CompileMsg::PriorOneCell, &arg.span));
        };
        let path = self.schema.path(self.schema.slots[slot]);
        let slots: Vec<(Arc<str>, SlotId)> = self
            .all
            .iter()
            .filter_map(|s| {
                let node = path.split('.').try_fold(ROOT, |n, k| s.child(n, k))?;
                match s.node(node).kind {
                    SKind::Scalar { slot, .. } => Some((Arc::from(s.name.as_str()), slot)),
                    _ => None,
                }
            })
            .collect();
        self.uses_prior = true;
        Ok((CExpr::Prior(slots.into()), Ty::Num))
    }
}
