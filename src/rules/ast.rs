//! The syntax tree of rule files. Every node keeps its byte span in the rule file.

use rust_decimal::Decimal;

use crate::finding::Severity;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct RuleDecl {
    pub id: Spanned<String>,
    pub title: Option<Spanned<String>>,
    pub severity: Option<Spanned<Severity>>,
    pub formats: Vec<Spanned<String>>,
    /// Inclusive range of report years the rule applies to.
    pub years: Option<(Option<i64>, Option<i64>)>,
    pub why: Option<Spanned<String>>,
    pub help: Option<Spanned<String>>,
    pub message: Option<Spanned<String>>,
    /// The `{…}` of the message, in order.
    pub placeholders: Vec<Placeholder>,
    pub check: Option<Check>,
    pub examples: Vec<Example>,
    pub span: Span,
}

/// A `{…}` in a message: its text as written (what it is replaced by) and the expression
/// it is, its spans in the rule file.
#[derive(Debug, Clone)]
pub struct Placeholder {
    pub text: String,
    pub expr: Expr,
    pub span: Span,
}

/// `for each x in SET: …` quantifiers, then the expression that must hold.
#[derive(Debug, Clone)]
pub struct Check {
    pub quantifiers: Vec<Quantifier>,
    pub body: Expr,
}

#[derive(Debug, Clone)]
pub struct Quantifier {
    pub var: Spanned<String>,
    pub set: Expr,
    /// `except NAME` after a set made by a function (`cells(申请) except 总计`).
    pub except: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Example {
    pub pass: bool,
    pub format: Option<Spanned<String>>,
    pub patches: Vec<(Path, Spanned<Literal>)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Number(Decimal),
    Text(String),
    Blank,
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// Whether `a op b` holds, for anything ordered (numbers, dates).
    pub fn holds<T: Ord>(self, a: &T, b: &T) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
        }
    }

    /// The symbol of the relation that holds when this one fails.
    pub fn negated_symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "≠",
            CmpOp::Ne => "=",
            CmpOp::Lt => "≥",
            CmpOp::Le => ">",
            CmpOp::Gt => "≤",
            CmpOp::Ge => "<",
        }
    }
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Number(Decimal),
    Text(String),
    Blank,
    Bool(bool),
    Path(Path),
    Call(Spanned<String>, Vec<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Compare {
        op: CmpOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        within: Option<Box<Expr>>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Option<Box<Expr>>,
    },
    Let {
        name: Spanned<String>,
        value: Box<Expr>,
        body: Box<Expr>,
    },
}

#[derive(Debug, Clone)]
pub struct Path {
    pub segments: Vec<Segment>,
    pub except: Vec<Spanned<String>>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Segment {
    Name(Spanned<String>),
    /// `*`: every child.
    Star(Span),
    /// `**`: every row (or scalar) below.
    Deep(Span),
    /// `[expr]`: the child named by a column or row variable, or a string.
    Index(Box<Expr>),
}
