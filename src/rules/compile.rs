//! Checking a rule against a schema and compiling it: every path is resolved to slots,
//! every `for each` over the template is unrolled, every function call is checked.
//! What comes out is evaluated per document without looking anything up by name.

use std::sync::Arc;

use regex::Regex;
use rust_decimal::Decimal;

use super::ast::*;
use super::error::RuleError;
use crate::document::did_you_mean;
use crate::messages::rules::RuleMsg;
use crate::schema::{SKind, SNodeId, Schema, SlotId, ROOT};
use crate::source::{Source, Span};

/// Built-in functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Sum,
    Count,
    Min,
    Max,
    Abs,
    Round,
    IsBlank,
    Exists,
    Decimals,
    IsInteger,
    Matches,
    Capture,
    Captures,
}

/// Name, function, and what it is for (shown in "unknown function" help).
pub const FUNCTIONS: &[(&str, Func)] = &[
    ("sum", Func::Sum),
    ("count", Func::Count),
    ("min", Func::Min),
    ("max", Func::Max),
    ("abs", Func::Abs),
    ("round", Func::Round),
    ("is_blank", Func::IsBlank),
    ("exists", Func::Exists),
    ("decimals", Func::Decimals),
    ("is_integer", Func::IsInteger),
    ("matches", Func::Matches),
    ("capture", Func::Capture),
    ("captures", Func::Captures),
];

/// How many instances the `for each` of one rule may unroll into, per format. The built-in
/// packs need a few hundred at most; five nested loops over a table's cells would need
/// billions (and gigabytes): such a rule is refused when it loads.
pub const MAX_INSTANCES: usize = 10_000;

/// Names that only make sense as the set of a `for each`, or around a path.
pub const SET_FUNCTIONS: &[&str] = &["columns", "rows", "groups", "cells", "prior"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Num,
    Bool,
    Text,
    NumList,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Num => "a number",
            Ty::Bool => "true/false",
            Ty::Text => "text",
            Ty::NumList => "a list of numbers",
        }
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

/// One unrolled instance of a check: the bindings of its quantifiers and the expression.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Quantifier variable → label of what it is bound to (for messages).
    pub bindings: Vec<(Arc<str>, Arc<str>)>,
    pub expr: CExpr,
    /// A last `for each` over something only the document knows (e.g. `captures(…)`).
    pub dynamic: Option<(usize, Arc<str>, CExpr)>,
}

#[derive(Debug, Clone)]
pub struct Compiled {
    pub instances: Vec<Instance>,
    pub locals: usize,
    pub uses_prior: bool,
}

#[derive(Debug, Clone)]
enum Binding {
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
    pub all: &'s [Arc<Schema>],
    pub source: &'s Source,
    regexes: Option<&'s RegexCache>,
    vars: Vec<(String, Binding)>,
    locals: usize,
    uses_prior: bool,
    /// The rule being compiled, and where its check is (for errors about the whole check).
    rule_id: Option<String>,
    check_span: Option<Span>,
}

/// What a path selects.
struct Selection {
    nodes: Vec<SNodeId>,
    /// For each node, the node its last wildcard produced: `except` tests that one's key,
    /// so `办理结果.**[c] except 总计` leaves out the 总计 row, not the 总计 column.
    tags: Vec<SNodeId>,
    many: bool,
    /// A path through a list: (list node, keys after the item).
    list: Option<(SNodeId, Vec<String>)>,
}

impl<'s> Compiler<'s> {
    pub fn new(schema: &'s Schema, all: &'s [Arc<Schema>], source: &'s Source) -> Self {
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
        }
    }

    /// Names the rule in errors about its check as a whole.
    pub fn for_rule(mut self, id: &str) -> Self {
        self.rule_id = Some(id.to_string());
        self
    }

    pub fn with_regexes(mut self, cache: &'s RegexCache) -> Self {
        self.regexes = Some(cache);
        self
    }

    fn regex(&self, pattern: &str) -> Result<Arc<Regex>, regex::Error> {
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

    fn err(&self, message: impl Into<String>, span: &Span) -> RuleError {
        RuleError::new(self.source, message, span.clone())
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
            });
            return Ok(());
        };
        match self.static_set(&q.set)? {
            Some(members) => {
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
                if !rest.is_empty() {
                    return Err(self.err(
                        "a `for each` over the document's own content must be the last one",
                        &q.set.span,
                    ));
                }
                let (set, ty) = self.compile(&q.set)?;
                if ty != Ty::NumList {
                    return Err(self.err(
                        format!(
                            "`for each` needs a set of rows, columns or values, not {}",
                            ty.name()
                        ),
                        &q.set.span,
                    ));
                }
                let local = self.new_local();
                self.vars
                    .push((q.var.node.clone(), Binding::Local(local, Ty::Num)));
                let expr = self.expect(body, Ty::Bool);
                self.vars.pop();
                if out.len() >= MAX_INSTANCES {
                    return Err(self.too_many_instances());
                }
                out.push(Instance {
                    bindings: bindings.clone(),
                    expr: expr?,
                    dynamic: Some((local, q.var.node.as_str().into(), set)),
                });
                Ok(())
            }
        }
    }

    fn too_many_instances(&self) -> RuleError {
        let span = self.check_span.clone().unwrap_or(0..0);
        self.err(
            RuleMsg::TooManyInstances {
                rule: self.rule_id.clone().unwrap_or_default(),
                format: self.schema.name.clone(),
                limit: MAX_INSTANCES,
            }
            .to_string(),
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
                let [arg] = args.as_slice() else {
                    return Err(self.err(format!("`{}` takes one table", name.node), &set.span));
                };
                let ExprKind::Path(path) = &arg.kind else {
                    return Err(self.err(
                        format!("`{}` takes a path to a table", name.node),
                        &arg.span,
                    ));
                };
                let sel = self.select(path)?;
                let [node] = sel.nodes.as_slice() else {
                    return Err(self.err("expected a single table", &arg.span));
                };
                let node = *node;
                Ok(Some(match name.node.as_str() {
                    "columns" => {
                        let table =
                            schema
                                .table_of(node)
                                .filter(|&t| t == node)
                                .ok_or_else(|| {
                                    self.err(
                                        format!(
                                            "「{}」 is not a table: columns() takes a table",
                                            schema.node(node).label
                                        ),
                                        &arg.span,
                                    )
                                })?;
                        let SKind::Table { columns } = &schema.node(table).kind else {
                            return Ok(Some(vec![]));
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
                                format!("「{}」 has no rows", schema.node(node).label),
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
                            matches!(schema.node(g).kind, SKind::RowGroup)
                                && !schema.node(g).optional
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
                }))
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

    fn expect(&mut self, e: &Expr, want: Ty) -> Result<CExpr, RuleError> {
        let (c, ty) = self.compile(e)?;
        if ty != want {
            return Err(self
                .err(
                    format!("expected {}, but this is {}", want.name(), ty.name()),
                    &e.span,
                )
                .with_label(ty.name()));
        }
        Ok(c)
    }

    fn compile(&mut self, e: &Expr) -> Result<(CExpr, Ty), RuleError> {
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
                let comparable = (lt == Ty::Num && rt == Ty::Num)
                    || (lt == rt && matches!(op, CmpOp::Eq | CmpOp::Ne) && lt != Ty::NumList);
                if !comparable {
                    return Err(self
                        .err(
                            format!("cannot compare {} with {}", lt.name(), rt.name()),
                            &e.span,
                        )
                        .with_help("sum a list with sum(…) before comparing it"));
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
                        return Err(self.err("an `if` that gives a value needs an `else`", &e.span))
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
        let Some(&(_, func)) = FUNCTIONS.iter().find(|(n, _)| *n == name.node) else {
            if SET_FUNCTIONS.contains(&name.node.as_str()) {
                return Err(self.err(
                    format!(
                        "`{}(…)` is a set: use it as `for each x in {}(…):`",
                        name.node, name.node
                    ),
                    &name.span,
                ));
            }
            let names: Vec<&str> = FUNCTIONS
                .iter()
                .map(|(n, _)| *n)
                .chain(SET_FUNCTIONS.iter().copied())
                .collect();
            let hint = did_you_mean(&name.node, &names)
                .map(|n| format!("did you mean `{n}`?"))
                .unwrap_or_else(|| format!("known functions: {}", names.join(", ")));
            return Err(self
                .err(format!("unknown function `{}`", name.node), &name.span)
                .with_label("unknown")
                .with_help(hint));
        };
        let arity = |lo: usize, hi: usize| -> Result<(), RuleError> {
            if args.len() < lo || args.len() > hi {
                let want = if lo == hi {
                    format!("{lo}")
                } else if hi == usize::MAX {
                    format!("at least {lo}")
                } else {
                    format!("{lo} to {hi}")
                };
                Err(self.err(
                    format!(
                        "`{}` takes {want} argument(s), not {}",
                        name.node,
                        args.len()
                    ),
                    span,
                ))
            } else {
                Ok(())
            }
        };
        let mut regex = None;
        let (compiled, ty) = match func {
            Func::Sum | Func::Count | Func::Min | Func::Max => {
                arity(1, usize::MAX)?;
                let mut out = vec![];
                for a in args {
                    let (c, ty) = self.compile(a)?;
                    if !matches!(ty, Ty::Num | Ty::NumList) {
                        return Err(self.err(
                            format!("`{}` adds up numbers, not {}", name.node, ty.name()),
                            &a.span,
                        ));
                    }
                    out.push(c);
                }
                (out, Ty::Num)
            }
            Func::Abs | Func::Decimals | Func::IsInteger => {
                arity(1, 1)?;
                let ty = if func == Func::IsInteger {
                    Ty::Bool
                } else {
                    Ty::Num
                };
                (vec![self.expect(&args[0], Ty::Num)?], ty)
            }
            Func::Round => {
                arity(2, 2)?;
                (
                    vec![
                        self.expect(&args[0], Ty::Num)?,
                        self.expect(&args[1], Ty::Num)?,
                    ],
                    Ty::Num,
                )
            }
            Func::IsBlank | Func::Exists => {
                arity(1, 1)?;
                let (c, _) = self.compile(&args[0])?;
                if !matches!(c, CExpr::Slot(_) | CExpr::Prior(_)) {
                    return Err(self.err(
                        format!("`{}` takes the path of one cell", name.node),
                        &args[0].span,
                    ));
                }
                (vec![c], Ty::Bool)
            }
            Func::Matches | Func::Capture | Func::Captures => {
                arity(2, 2)?;
                let text = self.expect(&args[0], Ty::Text)?;
                let ExprKind::Text(pattern) = &args[1].kind else {
                    return Err(self.err(
                        "the pattern must be a \"string\" written in the rule",
                        &args[1].span,
                    ));
                };
                let re = self.regex(pattern).map_err(|e| {
                    self.err(
                        format!(
                            "invalid pattern: {}",
                            e.to_string()
                                .lines()
                                .last()
                                .unwrap_or("")
                                .trim_start_matches("error: ")
                        ),
                        &args[1].span,
                    )
                })?;
                if func != Func::Matches && re.captures_len() < 2 {
                    return Err(self.err(
                        "the pattern needs a group `(…)` around the number to capture",
                        &args[1].span,
                    ));
                }
                regex = Some(re);
                let ty = match func {
                    Func::Matches => Ty::Bool,
                    Func::Capture => Ty::Num,
                    _ => Ty::NumList,
                };
                (vec![text], ty)
            }
        };
        Ok((
            CExpr::Call {
                func,
                args: compiled,
                regex,
                span: span.clone(),
            },
            ty,
        ))
    }

    /// `prior(path)`: the same cell of last year's report, resolved in every schema.
    fn prior(&mut self, args: &[Expr], span: &Span) -> Result<(CExpr, Ty), RuleError> {
        let [arg] = args else {
            return Err(self.err("`prior` takes the path of one cell", span));
        };
        let (c, _) = self.compile(arg)?;
        let CExpr::Slot(slot) = c else {
            return Err(self.err("`prior` takes the path of one cell", &arg.span));
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

    fn path_value(&mut self, path: &Path) -> Result<(CExpr, Ty), RuleError> {
        // A lone variable name: a column's label, a local value, or a bound cell.
        if let ([Segment::Name(n)], true) = (path.segments.as_slice(), path.except.is_empty()) {
            match self.var(&n.node) {
                Some(Binding::Local(i, ty)) => return Ok((CExpr::Local(i), ty)),
                Some(Binding::Column(c)) => {
                    return Ok((
                        CExpr::Const(Const::Text(self.schema.node(c).label.as_str().into())),
                        Ty::Text,
                    ))
                }
                _ => {}
            }
        }
        let sel = self.select(path)?;
        if let Some((list, keys)) = sel.list {
            let kind = keys
                .iter()
                .try_fold(list, |n, k| self.schema.child(n, k))
                .map(|n| &self.schema.node(n).kind);
            if !matches!(kind, Some(SKind::Scalar { kind, .. }) if kind.is_numeric()) {
                return Err(self.err("a path into a list must end at a number field", &path.span));
            }
            let label = self.schema.label(list);
            return Ok((
                CExpr::ListField {
                    list,
                    keys: keys.into(),
                    label: label.into(),
                },
                Ty::NumList,
            ));
        }
        let mut slots = Vec::with_capacity(sel.nodes.len());
        let mut text = false;
        for &n in &sel.nodes {
            match self.schema.node(n).kind {
                SKind::Scalar { kind, slot } => {
                    text |= !kind.is_numeric();
                    slots.push(slot);
                }
                _ => {
                    let what = match self.schema.node(n).kind {
                        SKind::Row => "a row: index it with a column, e.g. [c] or .总计, or take every cell with .*",
                        SKind::Table { .. } | SKind::RowGroup => "a table or a group of rows: choose its rows and a column",
                        _ => "a group of fields, not a value",
                    };
                    return Err(self.err(
                        format!("「{}」 is {what}", self.schema.label(n)),
                        &path.span,
                    ));
                }
            }
        }
        if sel.many {
            if text {
                return Err(self.err("a list of texts cannot be used in arithmetic", &path.span));
            }
            return Ok((CExpr::List(slots), Ty::NumList));
        }
        let ty = if text { Ty::Text } else { Ty::Num };
        Ok((CExpr::Slot(slots[0]), ty))
    }

    fn var(&self, name: &str) -> Option<Binding> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
    }

    /// Resolve a path against the schema.
    fn select(&mut self, path: &Path) -> Result<Selection, RuleError> {
        let schema = self.schema;
        let mut sel = Selection {
            nodes: vec![ROOT],
            tags: vec![ROOT],
            many: false,
            list: None,
        };
        for (i, seg) in path.segments.iter().enumerate() {
            if let Some((_, keys)) = &mut sel.list {
                match seg {
                    Segment::Name(n) => keys.push(n.node.clone()),
                    Segment::Star(_) if keys.is_empty() => {}
                    _ => {
                        return Err(self.err(
                            "after a list's `*`, name the fields of its items",
                            &path.span,
                        ))
                    }
                }
                continue;
            }
            let mut next = Vec::new();
            let mut tags = Vec::new();
            match seg {
                Segment::Name(n) if i == 0 && self.var(&n.node).is_some() => {
                    match self.var(&n.node) {
                        Some(Binding::Node(node)) => {
                            next.push(node);
                            tags.push(node);
                        }
                        Some(Binding::Column(_)) => {
                            return Err(self.err(
                                format!(
                                    "`{}` is a column: index a row with it, e.g. 申请.新收[{}]",
                                    n.node, n.node
                                ),
                                &n.span,
                            ))
                        }
                        _ => {
                            return Err(self.err(
                                format!("`{}` is a value, not a place in the report", n.node),
                                &n.span,
                            ))
                        }
                    }
                }
                Segment::Name(n) => {
                    for (&node, &tag) in sel.nodes.iter().zip(&sel.tags) {
                        next.push(self.child(node, &n.node, &n.span)?);
                        tags.push(tag);
                    }
                }
                Segment::Index(e) => {
                    let key = match &e.kind {
                        ExprKind::Path(p) if p.segments.len() == 1 => {
                            match (&p.segments[0], p.segments.len()) {
                                (Segment::Name(n), 1) => match self.var(&n.node) {
                                    Some(Binding::Column(c)) | Some(Binding::Node(c)) => {
                                        Some((schema.node(c).key.clone(), n.span.clone()))
                                    }
                                    _ => None,
                                },
                                _ => None,
                            }
                        }
                        ExprKind::Text(t) => Some((t.clone(), e.span.clone())),
                        _ => None,
                    };
                    let Some((key, kspan)) = key else {
                        return Err(self.err(
                            "an index names a column: a `for each` variable or a \"string\"",
                            &e.span,
                        ));
                    };
                    for (&node, &tag) in sel.nodes.iter().zip(&sel.tags) {
                        next.push(self.child(node, &key, &kspan)?);
                        tags.push(tag);
                    }
                }
                Segment::Star(_) | Segment::Deep(_) => {
                    sel.many = true;
                    for &node in &sel.nodes {
                        match (&schema.node(node).kind, seg) {
                            (SKind::List { .. }, _) => {
                                sel.list = Some((node, vec![]));
                                break;
                            }
                            (SKind::Table { .. } | SKind::RowGroup, Segment::Deep(_)) => {
                                schema.rows_below(node, &mut next)
                            }
                            (SKind::Group, Segment::Deep(_)) => {
                                schema.scalars_below(node, &mut next)
                            }
                            _ => next.extend(
                                schema
                                    .node(node)
                                    .children
                                    .iter()
                                    .copied()
                                    .filter(|&c| !schema.node(c).optional),
                            ),
                        }
                    }
                    tags.clone_from(&next);
                    if let Some((list, _)) = &sel.list {
                        sel.list = Some((
                            match &schema.node(*list).kind {
                                SKind::List { item } => *item,
                                _ => *list,
                            },
                            vec![],
                        ));
                        continue;
                    }
                }
            }
            if next.is_empty() && sel.list.is_none() {
                return Err(self.err("this path selects nothing", &path.span));
            }
            sel.nodes = next;
            sel.tags = tags;
        }
        if let Some((item, keys)) = sel.list.take() {
            // Validate the keys against the item's schema.
            let mut at = item;
            for k in &keys {
                at = self.child(at, k, &path.span)?;
            }
            sel.list = Some((item, keys));
            return Ok(sel);
        }
        if !path.except.is_empty() {
            if !sel.many {
                return Err(self.err(
                    "`except` leaves names out of a wildcard (`*` or `**`); this path has none",
                    &path.span,
                ));
            }
            for name in &path.except {
                if !sel.tags.iter().any(|&n| schema.node(n).key == name.node) {
                    return Err(self.err(
                        format!(
                            "nothing named `{}` is selected here, so there is nothing to leave out",
                            name.node
                        ),
                        &name.span,
                    ));
                }
            }
            let keep: Vec<bool> = sel
                .tags
                .iter()
                .map(|&t| !path.except.iter().any(|x| x.node == schema.node(t).key))
                .collect();
            let mut k = keep.iter();
            sel.nodes.retain(|_| *k.next().unwrap_or(&true));
        }
        Ok(sel)
    }

    fn child(&self, node: SNodeId, key: &str, span: &Span) -> Result<SNodeId, RuleError> {
        let schema = self.schema;
        if let Some(c) = schema.child(node, key) {
            return Ok(c);
        }
        let keys = super::child_keys(schema, node);
        let here = if node == ROOT {
            "the report".to_string()
        } else {
            format!("「{}」", schema.label(node))
        };
        let mut err = self
            .err(
                format!(
                    "`{key}` is not in format {}: {here} has no `{key}`",
                    schema.name
                ),
                span,
            )
            .with_label("unknown name");
        err = match did_you_mean(key, &keys) {
            Some(k) => err.with_help(format!("did you mean `{k}`?")),
            None => err.with_help(format!("{here} has: {}", keys.join(", "))),
        };
        Err(err)
    }
}
