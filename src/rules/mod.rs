//! The rule language: parse (`syntax`) → check and compile against a schema (`compile`)
//! → evaluate per document (`eval`).

pub mod ast;
pub mod compile;
pub mod error;
pub mod eval;
pub mod examples;
pub mod functions;
pub mod ir;
pub mod num;
pub mod reference;
mod resolve;
pub mod syntax;
mod typos;
pub mod value;

pub use error::RuleError;

use std::sync::{Arc, OnceLock};

use crate::document::did_you_mean;
use crate::finding::Severity;
use crate::messages::rules::{CompileMsg, DeclMsg};
use crate::schema::{AllSchemas, Registry, Schema};
use crate::source::{Source, Span};
use ast::Example;
use compile::Compiler;
use ir::Compiled;

/// The standard rule packs, embedded in the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/table2.gouji",
        include_str!("../../rules/table2.gouji"),
    ),
    (
        "rules/table3.gouji",
        include_str!("../../rules/table3.gouji"),
    ),
    (
        "rules/table4.gouji",
        include_str!("../../rules/table4.gouji"),
    ),
    (
        "rules/template.gouji",
        include_str!("../../rules/template.gouji"),
    ),
    ("rules/prose.gouji", include_str!("../../rules/prose.gouji")),
    (
        "rules/cross-year.gouji",
        include_str!("../../rules/cross-year.gouji"),
    ),
];

/// Packs shipped but off by default (turn on with `--rules builtin:NAME`).
pub const OPTIONAL: &[(&str, &str)] = &[(
    "rules/optional/review.gouji",
    include_str!("../../rules/optional/review.gouji"),
)];

/// A loaded, checked rule, compiled for each format it applies to.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub why: String,
    pub help: Option<String>,
    pub message: Option<String>,
    /// The `{…}` of the message, and the names among them the finding fills in.
    pub placeholders: Vec<ast::Placeholder>,
    named: Vec<String>,
    pub formats: Vec<String>,
    pub years: Option<(Option<i64>, Option<i64>)>,
    /// One target per format: compiled when the rule loads, or — for the built-in packs,
    /// which the test suite compiles for every format — the first time a report needs it.
    targets: Vec<Target>,
    check: ast::Check,
    uses_prior: bool,
    regexes: Arc<compile::RegexCache>,
    all_schemas: Arc<AllSchemas>,
    pub examples: Vec<Example>,
    pub source: Arc<Source>,
    pub span: Span,
}

impl Rule {
    pub fn for_schema(&self, name: &str) -> Option<&Compiled> {
        self.compiled(name)?.as_ref().ok()
    }

    /// The compiled check for a format, or why it does not compile (shipped packs only:
    /// other rule files are refused when they load).
    pub fn compiled(&self, name: &str) -> Option<&Result<Compiled, RuleError>> {
        let target = self.targets.iter().find(|t| t.schema.name == name)?;
        Some(target.compiled.get_or_init(|| {
            Compiler::new(&target.schema, &self.all_schemas, &self.source)
                .for_rule(&self.id)
                .with_regexes(&self.regexes)
                .with_placeholders(&self.placeholders, &self.named)
                .check(&self.check)
        }))
    }

    pub fn applies_to_year(&self, year: Option<i64>) -> bool {
        match (self.years, year) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some((from, to)), Some(y)) => from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t),
        }
    }

    pub fn uses_prior(&self) -> bool {
        self.uses_prior
    }

    /// The rule's source text, for `gouji rules ID`.
    pub fn text(&self) -> &str {
        self.source.slice(&self.span)
    }
}

#[derive(Debug)]
struct Target {
    schema: Arc<Schema>,
    compiled: OnceLock<Result<Compiled, RuleError>>,
}

#[derive(Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Load and check rule files against the registry's schemas. Every problem is returned.
    pub fn load(sources: &[Arc<Source>], registry: &Registry) -> Result<RuleSet, Vec<RuleError>> {
        let mut rules: Vec<Rule> = Vec::new();
        let mut errors = Vec::new();
        let regexes = Arc::new(compile::RegexCache::default());
        // Listed (and the built-in formats parsed) only when a rule reads last year's report.
        let all = Arc::new(registry.all());
        for source in sources {
            let shipped = BUILTIN
                .iter()
                .chain(OPTIONAL)
                .any(|(n, t)| *n == source.name && *t == source.text);
            let decls = match syntax::parse_file(source) {
                Ok(d) => d,
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            for decl in decls {
                if let Some(prev) = rules.iter().find(|r| r.id == decl.id.node) {
                    let file = prev.source.name.clone();
                    errors.push(
                        RuleError::new(
                            source,
                            DeclMsg::DefinedTwice {
                                id: decl.id.node.clone(),
                            }
                            .to_string(),
                            decl.id.span.clone(),
                        )
                        .with_help(DeclMsg::OtherOneIn { file }.to_string()),
                    );
                    continue;
                }
                match compile_rule(source, decl, registry, !shipped, &regexes, &all) {
                    Ok(rule) => rules.push(rule),
                    Err(mut e) => errors.append(&mut e),
                }
            }
        }
        if errors.is_empty() {
            Ok(RuleSet { rules })
        } else {
            Err(errors)
        }
    }

    /// The built-in packs.
    pub fn builtin_sources() -> Vec<Arc<Source>> {
        BUILTIN
            .iter()
            .map(|(name, text)| Arc::new(Source::new(*name, *text)))
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn uses_prior(&self) -> bool {
        self.rules.iter().any(Rule::uses_prior)
    }
}

/// Check a rule's declaration. With `eager`, compile it for every format now, so every
/// error in a rule file is reported when it loads.
fn compile_rule(
    source: &Arc<Source>,
    decl: ast::RuleDecl,
    registry: &Registry,
    eager: bool,
    regexes: &Arc<compile::RegexCache>,
    all: &Arc<AllSchemas>,
) -> Result<Rule, Vec<RuleError>> {
    let header = decl.id.span.clone();
    let id = decl.id.node.clone();
    let need = |what: &str, help: DeclMsg| {
        let missing = DeclMsg::Missing {
            id: id.clone(),
            what: what.into(),
        };
        RuleError::new(source, missing.to_string(), header.clone())
            .with_label(DeclMsg::ThisRule.to_string())
            .with_help(help.to_string())
    };
    let known_formats = || DeclMsg::KnownFormats {
        names: registry.names().join(crate::messages::list_sep()),
    };
    let mut errors = Vec::new();
    let title = decl
        .title
        .as_ref()
        .map(|t| t.node.clone())
        .unwrap_or_default();
    if decl.title.is_none() {
        errors.push(need("title", DeclMsg::TitleHelp));
    }
    if decl.why.is_none() {
        errors.push(need("why", DeclMsg::WhyHelp));
    }
    let Some(check) = decl.check.clone() else {
        errors.push(need("check", DeclMsg::CheckHelp));
        return Err(errors);
    };
    if decl.formats.is_empty() {
        errors.push(need("formats", known_formats()));
    }
    let named = placeholder_names(&check);
    let mut targets = Vec::new();
    for f in &decl.formats {
        let Some(schema) = registry.by_name(&f.node) else {
            let names = registry.names();
            let help = match did_you_mean(&f.node, &names) {
                Some(n) => CompileMsg::DidYouMean {
                    name: n.to_string(),
                }
                .to_string(),
                None => known_formats().to_string(),
            };
            let unknown = DeclMsg::UnknownFormat {
                name: f.node.clone(),
            };
            errors.push(
                RuleError::new(source, unknown.to_string(), f.span.clone())
                    .with_label(DeclMsg::UnknownFormatLabel.to_string())
                    .with_help(help),
            );
            continue;
        };
        let compiled = OnceLock::new();
        if eager {
            match Compiler::new(schema, all, source)
                .for_rule(&id)
                .with_regexes(regexes)
                .with_placeholders(&decl.placeholders, &named)
                .check(&check)
            {
                Ok(c) => {
                    let _ = compiled.set(Ok(c));
                }
                Err(e) => errors.push(e),
            }
        }
        targets.push(Target {
            schema: schema.clone(),
            compiled,
        });
    }
    for ex in &decl.examples {
        errors.extend(check_patches(source, ex, &decl.formats, registry));
        if let Some(f) = &ex.format {
            if !decl.formats.iter().any(|x| x.node == f.node) {
                let formats: Vec<&str> = decl.formats.iter().map(|x| x.node.as_str()).collect();
                let not_for = DeclMsg::NotForFormat {
                    format: f.node.clone(),
                };
                let help = DeclMsg::NotForFormatHelp {
                    formats: formats.join(crate::messages::list_sep()),
                };
                errors.push(
                    RuleError::new(source, not_for.to_string(), f.span.clone())
                        .with_help(help.to_string()),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id,
        title,
        severity: decl.severity.map(|s| s.node).unwrap_or(Severity::Error),
        why: decl.why.map(|w| w.node).unwrap_or_default(),
        help: decl.help.map(|h| h.node),
        message: decl.message.map(|m| m.node),
        placeholders: decl.placeholders,
        named,
        formats: decl.formats.into_iter().map(|f| f.node).collect(),
        years: decl.years,
        targets,
        uses_prior: calls(&check, "prior"),
        check,
        regexes: regexes.clone(),
        all_schemas: all.clone(),
        examples: decl.examples,
        source: source.clone(),
        span: decl.span,
    })
}

/// Every path a `pass`/`fail` example patches must be a cell of each format the example
/// runs on: a misspelt path is a load error with a suggestion, not a failed test.
fn check_patches(
    source: &Source,
    ex: &Example,
    formats: &[ast::Spanned<String>],
    registry: &Registry,
) -> Vec<RuleError> {
    use crate::messages::rules::ExampleMsg;
    use crate::schema::{SKind, ROOT};
    let names: Vec<&str> = match &ex.format {
        Some(f) => vec![f.node.as_str()],
        None => formats.iter().map(|f| f.node.as_str()).collect(),
    };
    let mut errors = Vec::new();
    for name in names {
        let Some(schema) = registry.by_name(name) else {
            continue;
        };
        for (path, _) in &ex.patches {
            let mut segments = path.segments.iter().peekable();
            // `prior.申请.…` patches last year's report.
            if let (Some(ast::Segment::Name(n)), true) = (segments.peek(), path.segments.len() > 1)
            {
                if n.node == "prior" {
                    segments.next();
                }
            }
            let mut node = ROOT;
            for seg in segments {
                let ast::Segment::Name(n) = seg else {
                    errors.push(RuleError::new(
                        source,
                        ExampleMsg::PatchNotAName.to_string(),
                        path.span.clone(),
                    ));
                    break;
                };
                match schema.child(node, &n.node) {
                    Some(c) => node = c,
                    None => {
                        let keys = child_keys(schema, node);
                        let help = match did_you_mean(&n.node, &keys) {
                            Some(k) => ExampleMsg::DidYouMean { key: k.to_string() },
                            None => ExampleMsg::Has {
                                keys: keys.join("、"),
                            },
                        };
                        errors.push(
                            RuleError::new(
                                source,
                                ExampleMsg::UnknownPatch {
                                    key: n.node.clone(),
                                    format: schema.name.clone(),
                                }
                                .to_string(),
                                n.span.clone(),
                            )
                            .with_label(ExampleMsg::UnknownLabel.to_string())
                            .with_help(help.to_string()),
                        );
                        node = usize::MAX;
                        break;
                    }
                }
            }
            if node != usize::MAX && !matches!(schema.node(node).kind, SKind::Scalar { .. }) {
                errors.push(RuleError::new(
                    source,
                    ExampleMsg::NotACell {
                        label: schema.label(node),
                    }
                    .to_string(),
                    path.span.clone(),
                ));
            }
        }
    }
    errors
}

/// The keys of a schema node's children (for "did you mean").
pub(crate) fn child_keys(schema: &Schema, node: crate::schema::SNodeId) -> Vec<&str> {
    schema
        .node(node)
        .children
        .iter()
        .map(|&c| schema.node(c).key.as_str())
        .collect()
}

/// What every finding can show in its message, whatever the check.
pub const PLACEHOLDERS: &[&str] = &["lhs", "rhs", "diff", "match", "value"];

/// The names a message may use without a path: [`PLACEHOLDERS`], the `for each`
/// variables and the `let` names of the check.
fn placeholder_names(check: &ast::Check) -> Vec<String> {
    fn lets(e: &ast::Expr, out: &mut Vec<String>) {
        use ast::ExprKind::*;
        match &e.kind {
            Let { name, value, body } => {
                out.push(name.node.clone());
                lets(value, out);
                lets(body, out);
            }
            Call(_, args) => args.iter().for_each(|a| lets(a, out)),
            Neg(x) | Not(x) => lets(x, out),
            Binary(_, a, b) => {
                lets(a, out);
                lets(b, out);
            }
            Compare {
                lhs, rhs, within, ..
            } => {
                lets(lhs, out);
                lets(rhs, out);
                within.iter().for_each(|w| lets(w, out));
            }
            If {
                cond,
                then,
                otherwise,
            } => {
                lets(cond, out);
                lets(then, out);
                otherwise.iter().for_each(|o| lets(o, out));
            }
            Path(_) | Number(_) | Text(_) | Blank | Bool(_) => {}
        }
    }
    let mut out: Vec<String> = PLACEHOLDERS.iter().map(|p| p.to_string()).collect();
    out.extend(check.quantifiers.iter().map(|q| q.var.node.clone()));
    lets(&check.body, &mut out);
    out
}

/// Whether a check calls the function `name` anywhere.
fn calls(check: &ast::Check, name: &str) -> bool {
    fn expr(e: &ast::Expr, name: &str) -> bool {
        use ast::ExprKind::*;
        match &e.kind {
            Call(f, args) => f.node == name || args.iter().any(|a| expr(a, name)),
            Neg(x) | Not(x) => expr(x, name),
            Binary(_, a, b) => expr(a, name) || expr(b, name),
            Compare {
                lhs, rhs, within, ..
            } => {
                expr(lhs, name)
                    || expr(rhs, name)
                    || within.as_deref().is_some_and(|w| expr(w, name))
            }
            If {
                cond,
                then,
                otherwise,
            } => {
                expr(cond, name)
                    || expr(then, name)
                    || otherwise.as_deref().is_some_and(|o| expr(o, name))
            }
            Let { value, body, .. } => expr(value, name) || expr(body, name),
            Path(p) => p
                .segments
                .iter()
                .any(|s| matches!(s, ast::Segment::Index(i) if expr(i, name))),
            Number(_) | Text(_) | Blank | Bool(_) => false,
        }
    }
    check.quantifiers.iter().any(|q| expr(&q.set, name)) || expr(&check.body, name)
}
