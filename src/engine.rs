//! The engine: one report's text in, its findings out. Knows nothing of annual reports:
//! the schemas and rule files say everything.

use std::collections::HashMap;

use crate::document::{choose_schema, stops_checking, Document};
use crate::explain;
use crate::finding::{Finding, Plan, Severity};
use crate::load::{self, LoadError};
use crate::messages::load::{LoadMsg, LoadTitle};
use crate::repair::{self, Failed};
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
    /// The report's repair plan, when an `error` relation fails (also in `findings` as
    /// the `repair/plan` record, unless the selection leaves that out).
    pub plan: Option<Plan>,
}

impl<'s> Checked<'s> {
    fn new(findings: Vec<Finding>, document: Option<Document<'s>>) -> Self {
        // Findings that stop a check are never filtered out, so they are all still here.
        let fully_checked = document.is_some() && !findings.iter().any(|f| stops_checking(&f.rule));
        Checked {
            findings,
            document,
            fully_checked,
            plan: None,
        }
    }

    fn bare(findings: Vec<Finding>) -> Self {
        Checked::new(findings, None)
    }
}

pub struct Engine {
    pub registry: Registry,
    /// Fixed once the engine is built: [`Engine::known_rule_ids`] lists them once.
    pub rules: RuleSet,
    pub selection: Selection,
    /// Per format, which rule instances read which cell (for repair plans).
    repair: repair::Cache,
    /// Whether failing reports get a repair plan (on by default; benches/repair.rs turns
    /// it off to measure what the plan costs).
    pub repair_plans: bool,
    /// [`Engine::rule_ids`], listed once (a report with comments is checked against them).
    ids: std::sync::OnceLock<Vec<String>>,
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
        // With a forced schema every report is bound to it: the built-in formats are not
        // named (that would parse them).
        let names = match &registry.forced {
            Some(forced) => vec![forced.name.clone()],
            None => registry.schemas.iter().map(|s| s.name.clone()).collect(),
        };
        Engine {
            registry,
            rules,
            selection: Selection::default(),
            repair: repair::Cache::new(names),
            repair_plans: true,
            ids: std::sync::OnceLock::new(),
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

    /// Check one report, and return its repair plan too (whatever the selection says of the
    /// `repair/plan` record): `None` when no `error` relation fails.
    pub fn check_with_plan(
        &self,
        source: &Source,
        prior: Option<&Source>,
    ) -> (Vec<Finding>, Option<Plan>) {
        let c = self.check_report(source, prior);
        (c.findings, c.plan)
    }

    /// Check one report and keep the document it was bound to (for outputs that show the
    /// report's tables, and its 机关 and 年度) and its repair plan.
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
        let (mut rule_findings, failed) = self.evaluate(&doc, prior_doc.as_ref());
        let plan = self.repair_plan(&mut doc, prior_doc.as_ref(), &mut rule_findings, &failed);
        findings.append(&mut rule_findings);
        if let Some((plan, at)) = &plan {
            findings.push(repair::record(plan.clone(), at.clone()));
        }
        let findings = self.finish(findings, source, &doc.tree.comments);
        let mut checked = Checked::new(findings, Some(doc));
        checked.plan = plan.map(|p| p.0);
        checked
    }

    /// The rule's severity after the selection's overrides.
    fn effective(&self, rule: &crate::rules::Rule) -> Severity {
        self.selection.severity(&rule.id).unwrap_or(rule.severity)
    }

    /// Evaluate every applicable rule; keep the failing instances of `error` rules, with
    /// their linear form when they have one.
    fn evaluate(&self, doc: &Document, prior: Option<&Document>) -> (Vec<Finding>, Vec<Failed>) {
        let year = self.year(doc);
        let mut findings = Vec::new();
        let mut failed = Vec::new();
        if let Some(f) = no_rule_applies(&self.rules, doc) {
            findings.push(f);
        }
        for (r, rule) in self.rules.rules.iter().enumerate() {
            if !self.selection.enabled(&rule.id) || !rule.applies_to_year(year) {
                continue;
            }
            let Some(compiled) = rule.for_schema(&doc.schema.name) else {
                continue;
            };
            let error = self.effective(rule) == Severity::Error;
            for failure in eval::run(compiled, doc, prior) {
                if error {
                    let relation = match (&failure.error, &failure.trace.cmp) {
                        (None, Some(cmp)) => repair::relation(cmp),
                        _ => None,
                    };
                    failed.push(Failed {
                        finding: findings.len(),
                        id: r,
                        instance: failure.instance,
                        relation,
                    });
                }
                findings.push(explain::finding(rule, &failure, doc, prior));
            }
        }
        (findings, failed)
    }

    fn year(&self, doc: &Document) -> Option<i64> {
        doc.schema
            .period
            .as_deref()
            .and_then(|p| doc.field_text(p))
            .and_then(|y| y.parse::<i64>().ok())
    }

    /// The report's repair plan (docs/architecture.md, "Repair plans"): `fix` and `help` on
    /// the findings it explains, and the plan with its message and place for the record.
    fn repair_plan(
        &self,
        doc: &mut Document,
        prior: Option<&Document>,
        findings: &mut [Finding],
        failed: &[Failed],
    ) -> Option<(Plan, crate::source::Span)> {
        if !self.repair_plans || failed.iter().all(|f| f.relation.is_none()) {
            return None;
        }
        let year = self.year(doc);
        let active: Vec<bool> = self
            .rules
            .rules
            .iter()
            .map(|r| {
                self.selection.enabled(&r.id)
                    && r.applies_to_year(year)
                    && self.effective(r) == Severity::Error
            })
            .collect();
        let mut local = None;
        let index = self.repair.get(&self.rules, &doc.schema, &mut local);
        // Rule index → relation id, now that the index is at hand.
        let failed: Vec<Failed> = failed
            .iter()
            .filter_map(|f| {
                let linear = index
                    .id(f.id, f.instance)
                    .is_some_and(|id| index.linear(id));
                Some(Failed {
                    finding: f.finding,
                    id: index.id(f.id, f.instance)?,
                    instance: f.instance,
                    relation: f.relation.clone().filter(|_| linear),
                })
            })
            .collect();
        let mut reader = repair::Reader {
            doc,
            prior,
            rules: &self.rules,
            index,
            active: &active,
        };
        let outcome = repair::find(&mut reader, &failed)?;
        // Every plan is checked with the rules themselves, a tied one as much as a single
        // one: a plan is claimed only when the rules confirm it.
        let verified = match &outcome {
            repair::search::Outcome::Plans(p) => p
                .iter()
                .all(|plan| self.verify(doc, prior, index, &active, &failed, plan)),
            _ => false,
        };
        let at = failed
            .iter()
            .find(|f| f.relation.is_some())
            .map(|f| findings[f.finding].span.clone())?;
        let plan = repair::annotate(doc, findings, &failed, &outcome, verified);
        Some((plan, at))
    }

    /// Apply a plan to the cells and evaluate, with the rules themselves, every instance of
    /// an active rule that reads a changed cell: the failures it explains must be gone and
    /// nothing that held may fail. A value the relations leave open is checked at the point
    /// the search found for it (a witness that such a value exists, never one to write).
    fn verify(
        &self,
        doc: &mut Document,
        prior: Option<&Document>,
        index: &repair::Index,
        active: &[bool],
        failed: &[Failed],
        plan: &repair::search::Found,
    ) -> bool {
        let mut values = Vec::new();
        for (&slot, v) in plan.cells.iter().zip(&plan.point) {
            let Some(n) = v.to_decimal(28.min(scale_of(doc, slot))) else {
                return false;
            };
            values.push((slot, n));
        }
        let saved: Vec<(usize, crate::value::Value)> = values
            .iter()
            .map(|&(slot, n)| {
                let old = std::mem::replace(&mut doc.cells[slot].value, Value::Number(n));
                (slot, old)
            })
            .collect();
        let mut ids: Vec<usize> = plan
            .cells
            .iter()
            .flat_map(|&s| index.readers(s).iter().map(|&i| i as usize))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let ok = ids.into_iter().all(|id| {
            let Some(&(r, i, _)) = index.instances.get(id) else {
                return true;
            };
            if !active.get(r as usize).copied().unwrap_or(false) {
                return true;
            }
            let Some(compiled) = self.rules.rules[r as usize].for_schema(&doc.schema.name) else {
                return true;
            };
            // A failure the plan does not claim to explain may stay.
            let tolerated = failed.iter().any(|f| f.id == id && f.relation.is_none());
            tolerated || !eval::instance_fails(compiled, i as usize, doc, prior)
        });
        for (slot, old) in saved {
            doc.cells[slot].value = old;
        }
        ok
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
            let known = self.known_rule_ids();
            let enabled = |id: &str| self.selection.enabled(id);
            kept.extend(
                ignores
                    .findings(known, enabled)
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

    /// [`Engine::rule_ids`], listed on first use and kept: what every report with a comment,
    /// or a baseline, is checked against (listing them per report was half of `finish`).
    pub fn known_rule_ids(&self) -> &[String] {
        self.ids.get_or_init(|| self.rule_ids())
    }

    /// The rule ids of the structural checks, every loaded rule and the repair plan record.
    pub fn rule_ids(&self) -> Vec<String> {
        crate::document::STRUCTURE_RULES
            .iter()
            .map(|r| r.0.to_string())
            .chain(self.rules.rules.iter().map(|r| r.id.clone()))
            .chain(LOAD_RULES.iter().map(|r| r.to_string()))
            .chain(std::iter::once(repair::PLAN_RULE.to_string()))
            .collect()
    }
}

/// The places a cell's number is written with.
fn scale_of(doc: &Document, slot: usize) -> u32 {
    match doc.cells.get(slot).map(|c| &c.value) {
        Some(Value::Number(x)) => x.scale(),
        _ => 0,
    }
}

/// `gouji: ignore[table3/row-total, prose] reason` → the patterns (none for a bare
/// `gouji: ignore`, which is refused).
pub fn parse_ignore(comment: &str) -> Option<Vec<String>> {
    crate::suppress::parse(comment)
}

/// A report of a format no loaded rule is written for is only checked for its structure:
/// say so, naming the format, instead of passing it silently.
fn no_rule_applies(rules: &RuleSet, doc: &Document) -> Option<Finding> {
    use crate::messages::schema::CoverageMsg;
    let name = &doc.schema.name;
    if rules.rules.is_empty() || rules.rules.iter().any(|r| r.formats.contains(name)) {
        return None;
    }
    let format = doc
        .schema
        .select
        .as_ref()
        .and_then(|(key, _)| doc.tree.get(doc.tree.root, key))
        .map(|e| doc.tree.node(e.value).span.clone())
        .unwrap_or(0..0);
    let mut f = Finding::new(
        "rules/no-rule-applies",
        Severity::Warning,
        &CoverageMsg::NoRuleTitle.to_string(),
        CoverageMsg::NoRule {
            format: name.clone(),
        }
        .to_string(),
        format,
    );
    f.help = Some(CoverageMsg::NoRuleHelp.to_string());
    Some(f)
}
