//! The engine: one report's text in, its findings out. Knows nothing of annual reports:
//! the schemas and rule files say everything.

use std::collections::HashMap;

use crate::cause;
use crate::document::{choose_schema, stops_checking, Document};
use crate::explain::{self, Linear};
use crate::finding::{Finding, Fix, Severity};
use crate::load::{self, LoadError};
use crate::messages::load::{LoadMsg, LoadTitle};
use crate::rules::{eval, RuleSet};
use crate::schema::Registry;
use crate::source::Source;
use crate::value::Value;

/// Which rules run, and at what severity.
#[derive(Debug, Default, Clone)]
pub struct Selection {
    /// Rule ids or prefixes to run (empty: all).
    pub select: Vec<String>,
    /// Rule ids or prefixes to skip.
    pub ignore: Vec<String>,
    /// Rule id or prefix → severity.
    pub severity: HashMap<String, Severity>,
}

/// `table3` matches `table3/row-total`; `table3/row-total` matches itself.
pub fn matches_rule(pattern: &str, id: &str) -> bool {
    pattern == "*"
        || pattern == id
        || id
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('/') || pattern.ends_with('/'))
}

impl Selection {
    pub fn enabled(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|p| matches_rule(p, id)))
            && !self.ignore.iter().any(|p| matches_rule(p, id))
    }

    fn severity(&self, id: &str) -> Option<Severity> {
        // The longest matching pattern wins.
        self.severity
            .iter()
            .filter(|(p, _)| matches_rule(p, id))
            .max_by_key(|(p, _)| p.len())
            .map(|(_, s)| *s)
    }
}

/// One report checked: its findings, the document when the file could be bound to a
/// format, and whether it was fully checked.
pub struct Checked<'s> {
    pub findings: Vec<Finding>,
    pub document: Option<Document<'s>>,
    /// Loaded, bound to its format, and no finding left a relation unchecked
    /// ([`crate::document::stops_checking`]): every rule could check what it checks.
    pub fully_checked: bool,
}

impl<'s> Checked<'s> {
    fn new(findings: Vec<Finding>, document: Option<Document<'s>>) -> Self {
        // Findings that stop a check are never filtered out, so they are all still here.
        let fully_checked = document.is_some() && !findings.iter().any(|f| stops_checking(&f.rule));
        Checked {
            findings,
            document,
            fully_checked,
        }
    }

    fn bare(findings: Vec<Finding>) -> Self {
        Checked::new(findings, None)
    }
}

pub struct Engine {
    pub registry: Registry,
    pub rules: RuleSet,
    pub selection: Selection,
}

/// The rule ids of load errors.
pub const LOAD_RULES: &[&str] = &[
    "load/io",
    "load/too-large",
    "load/encoding",
    "load/syntax",
    "load/empty",
];

/// The rule id a load error is reported under.
pub fn load_rule_id(e: &LoadError) -> &'static str {
    match e {
        LoadError::Io(_) => "load/io",
        LoadError::TooLarge { .. } => "load/too-large",
        LoadError::Encoding { .. } => "load/encoding",
        LoadError::Syntax { .. } => "load/syntax",
        LoadError::Empty => "load/empty",
    }
}

pub fn load_finding(e: &LoadError) -> Finding {
    let title = match e {
        LoadError::Io(_) => LoadTitle::Io,
        LoadError::TooLarge { .. } => LoadTitle::TooLarge,
        LoadError::Encoding { .. } => LoadTitle::Encoding,
        LoadError::Syntax { .. } => LoadTitle::Syntax,
        LoadError::Empty => LoadTitle::Empty,
    };
    let mut f = Finding::new(
        load_rule_id(e),
        Severity::Error,
        &title.to_string(),
        e.to_string(),
        e.span(),
    );
    if let LoadError::Encoding {
        message: LoadMsg::NotUtf8 { .. },
        ..
    } = e
    {
        f.help = Some(LoadMsg::NotUtf8Help.to_string());
    }
    f
}

impl Engine {
    pub fn new(registry: Registry, rules: RuleSet) -> Engine {
        Engine {
            registry,
            rules,
            selection: Selection::default(),
        }
    }

    /// Built-in formats and rule packs.
    pub fn builtin() -> Result<Engine, Vec<crate::rules::RuleError>> {
        let registry = Registry::builtin();
        let rules = RuleSet::load(&RuleSet::builtin_sources(), &registry)?;
        Ok(Engine::new(registry, rules))
    }

    /// Check one report. `prior` is last year's report of the same body, when the run has it.
    pub fn check(&self, source: &Source, prior: Option<&Source>) -> Vec<Finding> {
        self.check_report(source, prior).findings
    }

    /// Check one report and keep the document it was bound to (for outputs that show the
    /// report's tables, and its 机关 and 年度).
    pub fn check_report<'s>(&self, source: &'s Source, prior: Option<&Source>) -> Checked<'s> {
        let tree = match load::parse(source) {
            Ok(t) => t,
            Err(e) => return Checked::bare(self.finish(vec![load_finding(&e)], source, &[])),
        };
        let schema = match choose_schema(&tree, &self.registry) {
            Ok(s) => s,
            Err(f) => return Checked::bare(self.finish(vec![*f], source, &tree.comments)),
        };
        let mut doc = Document::bind(source, tree, schema);
        let prior_doc = prior.and_then(|p| {
            let tree = load::parse(p).ok()?;
            let schema = choose_schema(&tree, &self.registry).ok()?;
            Some(Document::bind(p, tree, schema))
        });
        let mut findings = std::mem::take(&mut doc.findings);
        let (mut rule_findings, linear) = self.evaluate(&doc, prior_doc.as_ref());
        self.shared_causes(&mut doc, prior_doc.as_ref(), &mut rule_findings, &linear);
        findings.append(&mut rule_findings);
        let findings = self.finish(findings, source, &doc.tree.comments);
        Checked::new(findings, Some(doc))
    }

    /// Evaluate every applicable rule; keep the linear form of failed equalities.
    fn evaluate(
        &self,
        doc: &Document,
        prior: Option<&Document>,
    ) -> (Vec<Finding>, Vec<(usize, Linear)>) {
        let year = doc
            .schema
            .period
            .as_deref()
            .and_then(|p| doc.field_text(p))
            .and_then(|y| y.parse::<i64>().ok());
        let mut findings = Vec::new();
        let mut linear = Vec::new();
        for rule in &self.rules.rules {
            if !self.selection.enabled(&rule.id) || !rule.applies_to_year(year) {
                continue;
            }
            let Some(compiled) = rule.for_schema(&doc.schema.name) else {
                continue;
            };
            for failure in eval::run(compiled, doc, prior) {
                let (finding, lin) = explain::finding(rule, &failure, doc);
                if let Some(lin) = lin {
                    linear.push((findings.len(), lin));
                }
                findings.push(finding);
            }
        }
        (findings, linear)
    }

    /// Attach a repair hint where one cell explains several failures.
    fn shared_causes(
        &self,
        doc: &mut Document,
        prior: Option<&Document>,
        findings: &mut [Finding],
        linear: &[(usize, Linear)],
    ) {
        let mut explained = vec![false; findings.len()];
        for cand in cause::candidates(linear) {
            if cand.findings.iter().any(|&i| explained[i]) {
                continue;
            }
            let Some(old) = doc.cells[cand.slot].value.as_number() else {
                continue;
            };
            let new = old + cand.delta;
            // Re-check with the cell changed: the failures must vanish and nothing break anew.
            let saved = std::mem::replace(&mut doc.cells[cand.slot].value, Value::Number(new));
            let (after, _) = self.evaluate(doc, prior);
            doc.cells[cand.slot].value = saved;
            let before_errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let after_errors = after
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let repaired = after_errors + cand.findings.len() == before_errors;
            let still_there = after.iter().any(|a| {
                cand.findings
                    .iter()
                    .any(|&i| findings[i].rule == a.rule && findings[i].message == a.message)
            });
            if !repaired || still_there {
                continue;
            }
            let cell = doc.cell_ref(cand.slot);
            let ids: Vec<String> = cand
                .findings
                .iter()
                .map(|&i| findings[i].rule.clone())
                .collect();
            let help = format!(
                "同一个单元格可以解释这 {} 处不平衡：把「{}」由 {} 改为 {}，可同时满足",
                cand.findings.len(),
                cell.label,
                cell.value,
                new
            );
            for &i in &cand.findings {
                explained[i] = true;
                let f = &mut findings[i];
                f.help = Some(match f.help.take() {
                    Some(h) => format!("{help}\n{h}"),
                    None => help.clone(),
                });
                f.fix = Some(Fix {
                    path: cell.path.clone(),
                    span: cell.span.clone(),
                    from: cell.value.clone(),
                    to: new.to_string(),
                    resolves: ids.clone(),
                });
            }
        }
    }

    /// Selection, severity overrides, inline suppressions, and source order. A finding that
    /// leaves the report not fully checked is kept as an error whatever they say.
    fn finish(
        &self,
        findings: Vec<Finding>,
        source: &Source,
        comments: &[(std::borrow::Cow<str>, crate::source::Span)],
    ) -> Vec<Finding> {
        let mut ignores = crate::suppress::Ignores::new(source, comments);
        let mut kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| self.selection.enabled(&f.rule) || stops_checking(&f.rule))
            .filter(|f| !ignores.suppresses(source, f))
            .collect();
        if !comments.is_empty() {
            let known = self.rule_ids();
            let enabled = |id: &str| self.selection.enabled(id);
            kept.extend(
                ignores
                    .findings(&known, enabled)
                    .into_iter()
                    .filter(|f| self.selection.enabled(&f.rule)),
            );
        }
        let mut out: Vec<Finding> = kept
            .into_iter()
            .map(|mut f| {
                if stops_checking(&f.rule) {
                    f.severity = Severity::Error;
                } else if let Some(s) = self.selection.severity(&f.rule) {
                    f.severity = s;
                }
                f
            })
            .collect();
        out.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then_with(|| a.rule.cmp(&b.rule))
        });
        out
    }

    /// The rule ids and titles of the structural checks and every loaded rule.
    pub fn rule_ids(&self) -> Vec<String> {
        crate::document::STRUCTURE_RULES
            .iter()
            .map(|r| r.0.to_string())
            .chain(self.rules.rules.iter().map(|r| r.id.clone()))
            .chain(LOAD_RULES.iter().map(|r| r.to_string()))
            .collect()
    }
}

/// `gouji: ignore[table3/row-total, prose] reason` → the patterns (none for a bare
/// `gouji: ignore`, which is refused).
pub fn parse_ignore(comment: &str) -> Option<Vec<String>> {
    crate::suppress::parse(comment)
}
