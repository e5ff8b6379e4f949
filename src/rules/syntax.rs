//! Parsing rule files: pest grammar (`grammar/rules.pest`) → syntax tree.

use pest::iterators::Pair;
use pest::Parser as _;
use pest_derive::Parser;
use rust_decimal::Decimal;

use super::ast::*;
use super::error::RuleError;
use crate::finding::Severity;
use crate::messages::rules::{ParseMsg, PlaceholderMsg};
use crate::messages::Message;
use crate::source::{Source, Span};

#[derive(Parser)]
#[grammar = "grammar/rules.pest"]
pub(super) struct RuleParser;

/// How deeply expressions may nest. Bounds both this builder and the evaluator.
pub const MAX_DEPTH: usize = 64;
/// Stack left before recursion grows it, and how much it grows by.
pub const RED_ZONE: usize = 256 * 1024;
pub const STACK_CHUNK: usize = 1024 * 1024;
/// How many operands one chain of `+`, `and`, … may have (it folds into a tree that deep).
pub const MAX_CHAIN: usize = 256;

/// Parses a whole rule file.
pub fn parse_file(source: &Source) -> Result<Vec<RuleDecl>, RuleError> {
    // Full-width （），：； read as ASCII; offsets are unchanged.
    let text = super::typos::normalise(&source.text);
    check_nesting(source, &text)?;
    let mut pairs = RuleParser::parse(Rule::file, &text)
        .map_err(|e| super::typos::syntax_error(source, &text, e))?;
    let file = pairs
        .next()
        .ok_or_else(|| RuleError::new(source, ParseMsg::EmptyFile.to_string(), 0..0))?;
    let b = Builder { source };
    file.into_inner()
        .filter(|p| p.as_rule() == Rule::rule)
        .map(|p| b.rule(p))
        .collect()
}

/// Refuse absurd bracket nesting before pest recurses into it.
fn check_nesting(source: &Source, text: &str) -> Result<(), RuleError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, ch) in text.char_indices() {
        if in_string {
            match (escaped, ch) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '"' => in_string = true,
            '(' | '[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(RuleError::new(
                        source,
                        ParseMsg::BracketsTooDeep { max: MAX_DEPTH }.to_string(),
                        i..i + 1,
                    )
                    .with_label(ParseMsg::TooDeepLabel.to_string())
                    .with_help(ParseMsg::TooDeepHelp.to_string()));
                }
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

struct Builder<'s> {
    source: &'s Source,
}

/// Moves every span of an expression parsed on its own to where it is in the file.
fn shift(e: &mut Expr, by: usize) {
    fn span(s: &mut Span, by: usize) {
        *s = s.start + by..s.end + by;
    }
    fn path(p: &mut Path, by: usize) {
        span(&mut p.span, by);
        for seg in &mut p.segments {
            match seg {
                Segment::Name(n) => span(&mut n.span, by),
                Segment::Star(s) | Segment::Deep(s) => span(s, by),
                Segment::Index(i) => shift(i, by),
            }
        }
        for x in &mut p.except {
            span(&mut x.span, by);
        }
    }
    span(&mut e.span, by);
    match &mut e.kind {
        ExprKind::Number(_) | ExprKind::Text(_) | ExprKind::Blank | ExprKind::Bool(_) => {}
        ExprKind::Path(p) => path(p, by),
        ExprKind::Call(name, args) => {
            span(&mut name.span, by);
            args.iter_mut().for_each(|a| shift(a, by));
        }
        ExprKind::Neg(x) | ExprKind::Not(x) => shift(x, by),
        ExprKind::Binary(_, a, b) => {
            shift(a, by);
            shift(b, by);
        }
        ExprKind::Compare {
            lhs, rhs, within, ..
        } => {
            shift(lhs, by);
            shift(rhs, by);
            if let Some(w) = within {
                shift(w, by);
            }
        }
        ExprKind::If {
            cond,
            then,
            otherwise,
        } => {
            shift(cond, by);
            shift(then, by);
            if let Some(o) = otherwise {
                shift(o, by);
            }
        }
        ExprKind::Let { name, value, body } => {
            span(&mut name.span, by);
            shift(value, by);
            shift(body, by);
        }
    }
}

fn span_of(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    s.start()..s.end()
}

fn unquote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        // Only quotes, backslashes, \n and \t are escapes: a pattern's `\d` stays as written.
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(q @ ('"' | '\\')) => out.push(q),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Multi-line strings (`why`) lose the indentation of their continuation lines.
fn dedent(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

impl Builder<'_> {
    fn err(&self, message: impl Message, span: Span) -> RuleError {
        RuleError::new(self.source, message.to_string(), span)
    }

    fn string(&self, p: Pair<Rule>) -> Spanned<String> {
        let span = span_of(&p);
        let inner = p.into_inner().next().map(|i| i.as_str()).unwrap_or("");
        Spanned {
            node: dedent(&unquote(inner)),
            span,
        }
    }

    fn first_string(&self, p: Pair<Rule>) -> Spanned<String> {
        match p.into_inner().find(|i| i.as_rule() == Rule::string) {
            Some(s) => self.string(s),
            None => Spanned {
                node: String::new(),
                span: 0..0,
            },
        }
    }

    fn rule(&self, p: Pair<Rule>) -> Result<RuleDecl, RuleError> {
        let span = span_of(&p);
        let mut inner = p.into_inner();
        let id = inner
            .next()
            .map(|i| Spanned {
                node: i.as_str().to_string(),
                span: span_of(&i),
            })
            .unwrap_or(Spanned {
                node: String::new(),
                span: span.clone(),
            });
        let mut decl = RuleDecl {
            id,
            title: None,
            severity: None,
            formats: vec![],
            years: None,
            why: None,
            help: None,
            message: None,
            placeholders: vec![],
            check: None,
            examples: vec![],
            span,
        };
        for item in inner {
            let item_span = span_of(&item);
            let once = |present: bool, what: &str| {
                if present {
                    let what = what.to_string();
                    Err(self
                        .err(
                            ParseMsg::GivenTwice { what: what.clone() },
                            item_span.clone(),
                        )
                        .with_help(ParseMsg::GivenTwiceHelp { what }.to_string()))
                } else {
                    Ok(())
                }
            };
            match item.as_rule() {
                Rule::title => {
                    once(decl.title.is_some(), "title")?;
                    decl.title = Some(self.first_string(item));
                }
                Rule::why => {
                    once(decl.why.is_some(), "why")?;
                    decl.why = Some(self.first_string(item));
                }
                Rule::help => {
                    once(decl.help.is_some(), "help")?;
                    decl.help = Some(self.first_string(item));
                }
                Rule::message => {
                    once(decl.message.is_some(), "message")?;
                    let message = self.first_string(item);
                    decl.placeholders = self.placeholders(&message.span)?;
                    decl.message = Some(message);
                }
                Rule::severity => {
                    once(decl.severity.is_some(), "severity")?;
                    let level = item.into_inner().find(|i| i.as_rule() == Rule::level);
                    let (text, lspan) = level
                        .map(|l| (l.as_str().to_string(), span_of(&l)))
                        .unwrap_or_default();
                    let sev = Severity::parse(&text)
                        .ok_or_else(|| self.err(ParseMsg::BadSeverity, lspan.clone()))?;
                    decl.severity = Some(Spanned {
                        node: sev,
                        span: lspan,
                    });
                }
                Rule::formats => {
                    once(!decl.formats.is_empty(), "formats")?;
                    decl.formats = item
                        .into_inner()
                        .filter(|i| i.as_rule() == Rule::format_name)
                        .map(|i| Spanned {
                            node: i.as_str().to_string(),
                            span: span_of(&i),
                        })
                        .collect();
                }
                Rule::years => {
                    once(decl.years.is_some(), "years")?;
                    let (mut from, mut to) = (None, None);
                    let single = item
                        .as_str()
                        .trim_start_matches("years")
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_digit());
                    for y in item
                        .into_inner()
                        .filter(|y| matches!(y.as_rule(), Rule::year_from | Rule::year_to))
                    {
                        let v = y.as_str().parse::<i64>().map_err(|_| {
                            self.err(ParseMsg::YearOutOfRange, span_of(&y))
                                .with_help(ParseMsg::YearOutOfRangeHelp.to_string())
                        })?;
                        match y.as_rule() {
                            Rule::year_from => from = Some(v),
                            Rule::year_to => to = Some(v),
                            _ => {}
                        }
                    }
                    if single {
                        to = from;
                    }
                    decl.years = Some((from, to));
                }
                Rule::check => {
                    once(decl.check.is_some(), "check")?;
                    let mut quantifiers = vec![];
                    let mut body = None;
                    for part in item.into_inner() {
                        match part.as_rule() {
                            Rule::quantifier => {
                                let mut q = part.into_inner();
                                let var = q.find(|i| i.as_rule() == Rule::ident).map(|v| Spanned {
                                    node: v.as_str().to_string(),
                                    span: span_of(&v),
                                });
                                let set = q.find(|i| i.as_rule() == Rule::expr);
                                let except = q
                                    .find(|i| i.as_rule() == Rule::except)
                                    .map(|e| e.into_inner().map(|n| self.name(n)).collect())
                                    .unwrap_or_default();
                                if let (Some(var), Some(set)) = (var, set) {
                                    quantifiers.push(Quantifier {
                                        var,
                                        set: self.expr(set, 0)?,
                                        except,
                                    });
                                }
                            }
                            Rule::expr => body = Some(self.expr(part, 0)?),
                            _ => {}
                        }
                    }
                    let body =
                        body.ok_or_else(|| self.err(ParseMsg::CheckNeedsExpr, item_span.clone()))?;
                    decl.check = Some(Check { quantifiers, body });
                }
                Rule::example => decl.examples.push(self.example(item)?),
                _ => {}
            }
        }
        Ok(decl)
    }

    fn example(&self, p: Pair<Rule>) -> Result<Example, RuleError> {
        let span = span_of(&p);
        let mut ex = Example {
            pass: false,
            format: None,
            patches: vec![],
            span,
        };
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::example_kind => ex.pass = part.as_str() == "pass",
                Rule::format_name => {
                    ex.format = Some(Spanned {
                        node: part.as_str().to_string(),
                        span: span_of(&part),
                    })
                }
                Rule::patch => {
                    let mut kv = part.into_inner();
                    let (Some(path), Some(lit)) = (kv.next(), kv.next()) else {
                        continue;
                    };
                    let path = self.path(path, 0)?;
                    let lspan = span_of(&lit);
                    let value = match lit.into_inner().next() {
                        Some(v) if v.as_rule() == Rule::string => {
                            Literal::Text(self.string(v).node)
                        }
                        Some(v) if v.as_rule() == Rule::blank_kw => Literal::Blank,
                        Some(v) => Literal::Number(self.number(v.as_str(), span_of(&v))?),
                        None => Literal::Blank,
                    };
                    ex.patches.push((
                        path,
                        Spanned {
                            node: value,
                            span: lspan,
                        },
                    ));
                }
                _ => {}
            }
        }
        Ok(ex)
    }

    fn number(&self, text: &str, span: Span) -> Result<Decimal, RuleError> {
        crate::value::parse_number(text).ok_or_else(|| {
            let text = text.to_string();
            self.err(ParseMsg::NumberTooLarge { text }, span)
        })
    }

    fn too_deep(&self, span: Span) -> RuleError {
        self.err(ParseMsg::ExprTooDeep { max: MAX_DEPTH }, span)
            .with_label(ParseMsg::TooDeepLabel.to_string())
            .with_help(ParseMsg::TooDeepHelp.to_string())
    }

    fn deeper(&self, depth: usize, span: &Span) -> Result<usize, RuleError> {
        if depth >= MAX_DEPTH {
            Err(self.too_deep(span.clone()))
        } else {
            Ok(depth + 1)
        }
    }

    /// The `{…}` of a message (the string at `span`), each parsed as an expression whose
    /// spans are those of the rule file.
    fn placeholders(&self, span: &Span) -> Result<Vec<Placeholder>, RuleError> {
        let raw = self.source.slice(span);
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(open) = raw[at..].find('{').map(|i| at + i) {
            let start = span.start + open + 1;
            let Some(close) = raw[open..].find('}').map(|i| open + i) else {
                return Err(self
                    .err(PlaceholderMsg::Unclosed, start - 1..start)
                    .with_help(PlaceholderMsg::UnclosedHelp.to_string()));
            };
            let text = &raw[open + 1..close];
            let shifted = |mut e: RuleError| {
                e.span = e.span.start + start..e.span.end + start;
                e
            };
            if text.trim().is_empty() {
                return Err(self
                    .err(PlaceholderMsg::Empty, start - 1..start + text.len() + 1)
                    .with_help(PlaceholderMsg::UnclosedHelp.to_string()));
            }
            let inner = super::typos::normalise(text);
            let mut pairs = RuleParser::parse(Rule::placeholder, &inner).map_err(|_| {
                self.err(
                    PlaceholderMsg::NotAnExpression {
                        text: text.to_string(),
                    },
                    start..start + text.len(),
                )
                .with_help(PlaceholderMsg::UnclosedHelp.to_string())
            })?;
            let expr = pairs
                .next()
                .and_then(|p| p.into_inner().find(|i| i.as_rule() == Rule::expr));
            let Some(expr) = expr else {
                return Err(self.err(PlaceholderMsg::Empty, start..start));
            };
            let mut expr = self.expr(expr, 0).map_err(shifted)?;
            shift(&mut expr, start);
            out.push(Placeholder {
                text: text.to_string(),
                expr,
                span: start..start + text.len(),
            });
            at = close + 1;
        }
        Ok(out)
    }

    /// Recursion is bounded by `MAX_DEPTH` and `MAX_CHAIN`; the stack grows on demand for
    /// what that bound allows, whatever thread this runs on.
    fn expr(&self, p: Pair<Rule>, depth: usize) -> Result<Expr, RuleError> {
        stacker::maybe_grow(RED_ZONE, STACK_CHUNK, || self.expr_inner(p, depth))
    }

    fn expr_inner(&self, p: Pair<Rule>, depth: usize) -> Result<Expr, RuleError> {
        let span = span_of(&p);
        let kind = p.as_rule();
        let written = p.as_str();
        // Only what the author nests counts: brackets, calls, if and let (not grammar layers).
        let depth = match kind {
            Rule::paren | Rule::call | Rule::if_expr | Rule::let_expr | Rule::path => {
                self.deeper(depth, &span)?
            }
            _ => depth,
        };
        let mut inner: Vec<Pair<Rule>> = p.into_inner().collect();
        match kind {
            Rule::expr | Rule::paren => {
                let first = inner
                    .pop()
                    .ok_or_else(|| self.err(ParseMsg::EmptyExpr, span.clone()))?;
                self.expr(first, depth)
            }
            Rule::or_expr | Rule::and_expr | Rule::add_expr | Rule::mul_expr => {
                self.fold_binary(inner, depth)
            }
            // Prefix operators (`not not x`, `- - x`) wrap the operand once each.
            Rule::not_expr | Rule::unary => {
                let operand = inner
                    .pop()
                    .ok_or_else(|| self.err(ParseMsg::EmptyExpr, span.clone()))?;
                // Each prefix is a level of nesting too: `not not … x` is bounded like brackets.
                if depth + inner.len() > MAX_DEPTH {
                    return Err(self.too_deep(span));
                }
                let mut e = self.expr(operand, depth)?;
                for _ in inner {
                    let boxed = Box::new(e);
                    let kind = if kind == Rule::not_expr {
                        ExprKind::Not(boxed)
                    } else {
                        ExprKind::Neg(boxed)
                    };
                    e = Expr {
                        kind,
                        span: span.clone(),
                    };
                }
                Ok(e)
            }
            Rule::cmp_expr => {
                let mut it = inner.into_iter();
                let lhs = it
                    .next()
                    .ok_or_else(|| self.err(ParseMsg::EmptyExpr, span.clone()))?;
                let lhs = self.expr(lhs, depth)?;
                let Some(op) = it.next() else { return Ok(lhs) };
                let op = match op.as_str() {
                    "==" => CmpOp::Eq,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let rhs = it
                    .next()
                    .ok_or_else(|| self.err(ParseMsg::MissingRhs, span.clone()))?;
                let rhs = self.expr(rhs, depth)?;
                let within = match it.find(|p| p.as_rule() != Rule::within_kw) {
                    Some(t) => Some(Box::new(self.expr(t, depth)?)),
                    None => None,
                };
                Ok(Expr {
                    kind: ExprKind::Compare {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                        within,
                    },
                    span,
                })
            }
            Rule::number => Ok(Expr {
                kind: ExprKind::Number(self.number(written, span.clone())?),
                span,
            }),
            Rule::string => {
                let text = inner
                    .first()
                    .map(|i| unquote(i.as_str()))
                    .unwrap_or_default();
                Ok(Expr {
                    kind: ExprKind::Text(text),
                    span,
                })
            }
            Rule::blank_kw => Ok(Expr {
                kind: ExprKind::Blank,
                span,
            }),
            Rule::bool => Ok(Expr {
                kind: ExprKind::Bool(written == "true"),
                span,
            }),
            Rule::if_expr => {
                let mut it = inner.into_iter();
                let cond = it
                    .next()
                    .ok_or_else(|| self.err(ParseMsg::IfNeedsCond, span.clone()))?;
                let then = it
                    .next()
                    .ok_or_else(|| self.err(ParseMsg::IfNeedsThen, span.clone()))?;
                let otherwise = match it.next() {
                    Some(e) => Some(Box::new(self.expr(e, depth)?)),
                    None => None,
                };
                Ok(Expr {
                    kind: ExprKind::If {
                        cond: Box::new(self.expr(cond, depth)?),
                        then: Box::new(self.expr(then, depth)?),
                        otherwise,
                    },
                    span,
                })
            }
            Rule::let_expr => {
                let mut it = inner.into_iter();
                let (Some(name), Some(value), Some(body)) = (it.next(), it.next(), it.next())
                else {
                    return Err(self.err(ParseMsg::LetForm, span));
                };
                let name = Spanned {
                    node: name.as_str().to_string(),
                    span: span_of(&name),
                };
                Ok(Expr {
                    kind: ExprKind::Let {
                        name,
                        value: Box::new(self.expr(value, depth)?),
                        body: Box::new(self.expr(body, depth)?),
                    },
                    span,
                })
            }
            Rule::call => {
                let mut it = inner.into_iter();
                let name = it
                    .next()
                    .ok_or_else(|| self.err(ParseMsg::EmptyCall, span.clone()))?;
                let name = Spanned {
                    node: name.as_str().to_string(),
                    span: span_of(&name),
                };
                let args = it.map(|a| self.expr(a, depth)).collect::<Result<_, _>>()?;
                Ok(Expr {
                    kind: ExprKind::Call(name, args),
                    span,
                })
            }
            Rule::path => {
                // Rebuild the pair: we consumed it above; parse again from the collected parts.
                let path = self.path_parts(inner, span.clone(), depth)?;
                Ok(Expr {
                    kind: ExprKind::Path(path),
                    span,
                })
            }
            other => Err(self.err(
                ParseMsg::Unexpected {
                    what: format!("{other:?}"),
                },
                span,
            )),
        }
    }

    /// `a + b + c` folds left, so a chain is as deep as it is long: it is bounded too.
    fn fold_binary(&self, parts: Vec<Pair<Rule>>, depth: usize) -> Result<Expr, RuleError> {
        let operands = parts.len().div_ceil(2);
        if operands > MAX_CHAIN {
            let span = parts.first().map(span_of).unwrap_or(0..0);
            return Err(self
                .err(
                    ParseMsg::ChainTooLong {
                        n: operands,
                        max: MAX_CHAIN,
                    },
                    span,
                )
                .with_label(ParseMsg::ChainTooLongLabel.to_string())
                .with_help(ParseMsg::ChainTooLongHelp.to_string()));
        }
        let mut it = parts.into_iter();
        let first = it
            .next()
            .ok_or_else(|| self.err(ParseMsg::EmptyExpr, 0..0))?;
        let mut acc = self.expr(first, depth)?;
        while let (Some(op), Some(rhs)) = (it.next(), it.next()) {
            let op = match op.as_str() {
                "+" => BinOp::Add,
                "-" => BinOp::Sub,
                "*" => BinOp::Mul,
                "/" => BinOp::Div,
                "and" => BinOp::And,
                _ => BinOp::Or,
            };
            let rhs = self.expr(rhs, depth)?;
            let span = acc.span.start..rhs.span.end;
            acc = Expr {
                kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                span,
            };
        }
        Ok(acc)
    }

    fn path(&self, p: Pair<Rule>, depth: usize) -> Result<Path, RuleError> {
        let span = span_of(&p);
        self.path_parts(p.into_inner().collect(), span, depth)
    }

    fn name(&self, p: Pair<Rule>) -> Spanned<String> {
        let span = span_of(&p);
        let text = match p.as_rule() {
            Rule::quoted => p
                .into_inner()
                .next()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default(),
            _ => p.as_str().to_string(),
        };
        Spanned { node: text, span }
    }

    fn path_parts(
        &self,
        parts: Vec<Pair<Rule>>,
        span: Span,
        depth: usize,
    ) -> Result<Path, RuleError> {
        let mut path = Path {
            segments: vec![],
            except: vec![],
            span,
        };
        for part in parts {
            match part.as_rule() {
                Rule::ident | Rule::quoted => path.segments.push(Segment::Name(self.name(part))),
                Rule::star => path.segments.push(Segment::Star(span_of(&part))),
                Rule::deep => path.segments.push(Segment::Deep(span_of(&part))),
                Rule::index => {
                    let e = part
                        .into_inner()
                        .next()
                        .ok_or_else(|| self.err(ParseMsg::EmptyIndex, path.span.clone()))?;
                    path.segments
                        .push(Segment::Index(Box::new(self.expr(e, depth)?)));
                }
                Rule::except => path.except = part.into_inner().map(|n| self.name(n)).collect(),
                _ => {}
            }
        }
        Ok(path)
    }
}
