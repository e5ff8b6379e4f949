//! A YAML tree bound to its schema: every slot's value and span, plus the structural
//! findings (unknown keys, missing rows, text where a number belongs, …).

use std::sync::Arc;

use crate::finding::{CellRef, Finding, Severity};
use crate::schema::{CellKind, Registry, SKind, SNodeId, Schema, SlotId, ROOT};
use crate::source::{Source, Span};
use crate::value::Value;
use crate::yaml::{NodeId, NodeKind, Tree};

/// A cell's value and where it is written.
#[derive(Debug, Clone)]
pub struct Cell {
    pub value: Value,
    /// The value's span; for a missing cell, the span of the nearest key that exists.
    pub span: Span,
    /// Whether the value is written in the file (its text is the span's).
    pub written: bool,
}

/// A report, bound to its format.
#[derive(Debug)]
pub struct Document<'a> {
    pub source: &'a Source,
    pub tree: Tree<'a>,
    pub schema: Arc<Schema>,
    pub cells: Vec<Cell>,
    /// Schema node → the YAML node written for it.
    pub nodes: Vec<Option<NodeId>>,
    /// Findings about the document's shape.
    pub findings: Vec<Finding>,
}

/// The structural checks, as rules: id, severity, title.
pub const STRUCTURE_RULES: &[(&str, Severity, &str, &str)] = &[
    ("structure/unknown-format", Severity::Error, "格式不明：无法确定报告所用的年度报告格式", "Without a known format no table can be checked; the document names its format in the field the schema selects on (格式: 2019 or 2021)."),
    ("structure/not-a-mapping", Severity::Error, "结构不符：此处应为表格或行", "A table, row or group must be written as a mapping of its keys."),
    ("structure/unknown-key", Severity::Warning, "表中有模板之外的行、列或字段", "The national template has no such row, column or field. It is kept and shown, but no rule checks it; a misspelt key also lands here."),
    ("structure/missing", Severity::Warning, "缺少模板规定的表、行或列", "The national template has this table, row or column; rules that need it cannot check it."),
    ("structure/split-row", Severity::Warning, "模板中的一行被拆成了若干子行", "The report splits a template row into sub-rows the template does not have (e.g. 其他对外管理服务事项 into 行政检查 and 行政确认). They are kept but not checked."),
    ("structure/merged-rows", Severity::Warning, "模板中的一组子行被合并为一行", "The template has sub-rows here (e.g. the 2021 format splits （六）其他处理 into three), but the report gives a single row."),
    ("structure/not-a-number", Severity::Error, "数字单元格中填写了文字", "The cell must hold a number (or be blank); text cannot be added up."),
    ("structure/negative-count", Severity::Error, "件数为负数", "A count of applications, cases or documents cannot be negative."),
    ("structure/fractional-count", Severity::Error, "件数不是整数", "A count of applications, cases or documents is a whole number."),
];

fn structure_finding(rule: &str, message: String, span: Span) -> Finding {
    let (id, severity, title, _) = STRUCTURE_RULES
        .iter()
        .find(|r| r.0 == rule)
        .copied()
        .unwrap_or((rule, Severity::Error, rule, ""));
    Finding::new(id, severity, title, message, span)
}

/// Which schema a document uses: the forced one, or the one its select field names.
pub fn choose_schema(tree: &Tree, registry: &Registry) -> Result<Arc<Schema>, Box<Finding>> {
    if let Some(forced) = &registry.forced {
        return Ok(forced.clone());
    }
    let root_span = tree.node(tree.root).span.start..tree.node(tree.root).span.start;
    let Some((key, _)) = registry.schemas.iter().find_map(|s| s.select.clone()) else {
        return Err(Box::new(structure_finding(
            "structure/unknown-format",
            "没有载入任何报告格式".into(),
            root_span,
        )));
    };
    let known = registry.names().join("、");
    let Some(entry) = tree.get(tree.root, &key) else {
        return Err(Box::new(structure_finding(
            "structure/unknown-format",
            format!("报告缺少 `{key}` 字段，无法确定格式；已知格式：{known}"),
            root_span,
        )));
    };
    let written = match &tree.node(entry.value).kind {
        NodeKind::Scalar { text, .. } => text.trim().to_string(),
        _ => String::new(),
    };
    registry
        .schemas
        .iter()
        .find(|s| {
            s.select
                .as_ref()
                .is_some_and(|(k, v)| *k == key && *v == written)
        })
        .cloned()
        .ok_or_else(|| {
            Box::new(structure_finding(
                "structure/unknown-format",
                format!("`{key}: {written}` 不是已知的格式；已知格式：{known}"),
                tree.node(entry.value).span.clone(),
            ))
        })
}

impl<'a> Document<'a> {
    /// Binds a tree to a schema, collecting structural findings.
    pub fn bind(source: &'a Source, tree: Tree<'a>, schema: Arc<Schema>) -> Document<'a> {
        let missing = Cell {
            value: Value::Missing,
            span: 0..0,
            written: false,
        };
        let mut doc = Document {
            source,
            cells: vec![missing; schema.slots.len()],
            nodes: vec![None; schema.nodes.len()],
            findings: Vec::new(),
            tree,
            schema,
        };
        let root = doc.tree.root;
        let schema = doc.schema.clone();
        let mut b = Binder {
            doc: &mut doc,
            schema: &schema,
        };
        let at = b.doc.tree.node(root).span.start..b.doc.tree.node(root).span.start;
        b.bind(ROOT, Some(root), at);
        doc
    }

    /// The cell reference (path, label, value, span) of a slot, for findings.
    pub fn cell_ref(&self, slot: SlotId) -> CellRef {
        let node = self.schema.slots[slot];
        let cell = &self.cells[slot];
        CellRef {
            path: self.schema.path(node),
            label: self.schema.label(node),
            value: if cell.written {
                self.source.slice(&cell.span).to_string()
            } else {
                cell.value.to_string()
            },
            span: cell.span.clone(),
        }
    }

    /// The value of the field at a top-level key, as text (for 机关, 年度).
    pub fn field_text(&self, key: &str) -> Option<String> {
        let e = self.tree.get(self.tree.root, key)?;
        match &self.tree.node(e.value).kind {
            NodeKind::Scalar { text, .. } => Some(text.trim().to_string()),
            _ => None,
        }
    }
}

struct Binder<'d, 'a> {
    doc: &'d mut Document<'a>,
    schema: &'d Schema,
}

impl Binder<'_, '_> {
    /// A node's span without the line breaks and indentation that follow it (a block
    /// mapping ends where the next key begins).
    fn node_span(&self, y: NodeId) -> Span {
        let span = self.doc.tree.node(y).span.clone();
        let text = self.doc.source.slice(&span);
        span.start..span.start + text.trim_end().len()
    }

    fn push(&mut self, rule: &str, message: String, span: Span) {
        self.doc
            .findings
            .push(structure_finding(rule, message, span));
    }

    /// Bind schema node `s` to YAML node `y` (absent: `None`); `at` is the nearest key span.
    fn bind(&mut self, s: SNodeId, y: Option<NodeId>, at: Span) {
        self.doc.nodes[s] = y;
        let node = &self.schema.nodes[s];
        match node.kind {
            SKind::Scalar { kind, slot } => self.scalar(s, kind, slot, y, at),
            SKind::List { .. } => {}
            SKind::Group | SKind::Table { .. } | SKind::RowGroup | SKind::Row => {
                let Some(y) = y else {
                    for &c in &node.children {
                        self.bind(c, None, at.clone());
                    }
                    return;
                };
                if self.doc.tree.entries(y).is_none() {
                    let found = if matches!(node.kind, SKind::Row) {
                        "单个值"
                    } else {
                        "其他内容"
                    };
                    self.push(
                        "structure/not-a-mapping",
                        format!(
                            "「{}」应按{}逐项填写，这里却是{found}",
                            node.label,
                            what_children(&node.kind)
                        ),
                        self.node_span(y),
                    );
                    for &c in &node.children {
                        self.bind(c, None, at.clone());
                    }
                    return;
                }
                if self.shape_mismatch(s, y) {
                    for &c in &self.schema.nodes[s].children {
                        self.bind(c, None, at.clone());
                    }
                    return;
                }
                self.children(s, y);
            }
        }
    }

    /// A template row written as sub-rows, or a template group written as one row.
    fn shape_mismatch(&mut self, s: SNodeId, y: NodeId) -> bool {
        let node = &self.schema.nodes[s];
        let entries = self.doc.tree.entries(y).unwrap_or(&[]);
        let nested = |e: &crate::yaml::Entry| self.doc.tree.entries(e.value).is_some();
        match node.kind {
            SKind::Row if !entries.is_empty() && entries.iter().all(nested) => {
                let names: Vec<&str> = entries.iter().map(|e| e.key.as_ref()).collect();
                let span = self.node_span(y);
                self.push(
                    "structure/split-row",
                    format!(
                        "「{}」被拆成了子行 {}，模板中没有这些子行；已保留，但不参与核对",
                        node.label,
                        names.join("、")
                    ),
                    span,
                );
                true
            }
            SKind::RowGroup if !entries.is_empty() && !entries.iter().any(nested) => {
                let mut rows = Vec::new();
                self.schema.rows_below(s, &mut rows);
                let names: Vec<&str> = rows
                    .iter()
                    .map(|&r| self.schema.nodes[r].key.as_str())
                    .collect();
                let span = self.node_span(y);
                self.push(
                    "structure/merged-rows",
                    format!(
                        "「{}」在这里是一行，但本格式把它分为 {} 个子行：{}",
                        node.label,
                        names.len(),
                        names.join("、")
                    ),
                    span,
                );
                true
            }
            _ => false,
        }
    }

    fn children(&mut self, s: SNodeId, y: NodeId) {
        let schema = self.schema;
        let children = &schema.nodes[s].children;
        let count = self.doc.tree.entries(y).map_or(0, <[_]>::len);
        let mut matched = vec![false; count];
        let mut absent = Vec::new();
        // Reports list keys in the template's order, so the next entry is tried first.
        let mut cursor = 0;
        for &c in children {
            let key = self.schema.nodes[c].key.as_str();
            let entries = self.doc.tree.entries(y).unwrap_or(&[]);
            let found = match entries.get(cursor) {
                Some(e) if e.key == key => Some(cursor),
                _ => entries.iter().position(|e| e.key == key),
            };
            match found {
                Some(i) => {
                    matched[i] = true;
                    cursor = i + 1;
                    let (value, key_span) = (entries[i].value, entries[i].key_span.clone());
                    self.bind(c, Some(value), key_span);
                }
                None => {
                    if !self.schema.nodes[c].optional {
                        absent.push(self.schema.nodes[c].label.clone());
                    }
                    let at = self.doc.tree.node(y).span.clone();
                    self.bind(c, None, at.start..at.start);
                }
            }
        }
        let node = &self.schema.nodes[s];
        let here = self.doc.tree.node(y).span.clone();
        if !absent.is_empty() {
            self.push(
                "structure/missing",
                format!(
                    "「{}」缺少模板规定的{}：{}",
                    node.label,
                    what_children(&node.kind),
                    absent.join("、")
                ),
                here.start..here.start,
            );
        }
        let entries = self.doc.tree.entries(y).unwrap_or(&[]);
        let mut unknown = Vec::new();
        for (e, _) in entries.iter().zip(&matched).filter(|(_, m)| !**m) {
            let keys: Vec<&str> = children
                .iter()
                .map(|&c| self.schema.nodes[c].key.as_str())
                .collect();
            let hint = did_you_mean(&e.key, &keys)
                .map(|k| format!("；是否应为 `{k}`？"))
                .unwrap_or_default();
            unknown.push((
                format!("「{}」的模板中没有 `{}`{hint}", node.label, e.key),
                e.key_span.clone(),
            ));
        }
        for (message, span) in unknown {
            self.push("structure/unknown-key", message, span);
        }
    }

    fn scalar(&mut self, s: SNodeId, kind: CellKind, slot: SlotId, y: Option<NodeId>, at: Span) {
        let Some(y) = y else {
            self.doc.cells[slot].span = at;
            return;
        };
        let node = self.doc.tree.node(y);
        let span = node.span.clone();
        let (value, written) = match &node.kind {
            NodeKind::Scalar { text, plain } => {
                let value = if kind == CellKind::Text || kind == CellKind::Any {
                    Value::Text(text.to_string())
                } else {
                    Value::from_scalar(text, *plain)
                };
                (value, true)
            }
            _ => {
                if kind != CellKind::Any {
                    let label = self.schema.label(s);
                    self.push(
                        "structure/not-a-mapping",
                        format!("「{label}」应是单个值"),
                        span.clone(),
                    );
                }
                (Value::Missing, false)
            }
        };
        if kind.is_numeric() {
            self.check_number(s, kind, &value, &span);
        }
        self.doc.cells[slot] = Cell {
            value,
            span,
            written,
        };
    }

    fn check_number(&mut self, s: SNodeId, kind: CellKind, value: &Value, span: &Span) {
        // Labels are built only for a finding: this runs for every number of every report.
        let label = || self.schema.label(s);
        match value {
            Value::Text(t) => {
                let hint = number_hint(t);
                self.push(
                    "structure/not-a-number",
                    format!("「{}」应填数字，却填了“{t}”{hint}", label()),
                    span.clone(),
                )
            }
            Value::Number(n)
                if matches!(kind, CellKind::Count | CellKind::Signed | CellKind::Integer)
                    && n.scale() != 0
                    && !n.fract().is_zero() =>
            {
                self.push(
                    "structure/fractional-count",
                    format!("「{}」是件数，应为整数，却填了 {n}", label()),
                    span.clone(),
                )
            }
            Value::Number(n) if kind == CellKind::Count && n.is_sign_negative() && !n.is_zero() => {
                self.push(
                    "structure/negative-count",
                    format!("「{}」是件数，不能为负数，却填了 {n}", label()),
                    span.clone(),
                )
            }
            _ => {}
        }
    }
}

fn what_children(kind: &SKind) -> &'static str {
    match kind {
        SKind::Row => "列",
        SKind::Table { .. } | SKind::RowGroup => "行",
        _ => "字段",
    }
}

/// Why a text is not a number, when we can tell.
fn number_hint(text: &str) -> String {
    let t = text.trim();
    if t.chars().any(|c| ('０'..='９').contains(&c)) {
        return "（全角数字：请改为半角数字）".into();
    }
    if t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars().any(|c| !c.is_ascii_digit() && c != '.')
    {
        return "（单元格内有单位或注释：只保留数字）".into();
    }
    if crate::value::parse_number(t).is_some() {
        return "（数字加了引号：请去掉引号）".into();
    }
    String::new()
}

/// The closest name, if one is close enough to be a likely typo.
pub fn did_you_mean<'k>(name: &str, candidates: &[&'k str]) -> Option<&'k str> {
    candidates
        .iter()
        .map(|c| (strsim::normalized_levenshtein(name, c), *c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
