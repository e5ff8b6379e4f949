//! A YAML tree bound to its schema: every slot's value and span, plus the structural
//! findings (unknown keys, missing rows, text where a number belongs, …).

use std::sync::Arc;

use crate::finding::{CellRef, Finding, Severity};
use crate::keys;
use crate::messages::structure::{Children, Found, LookAlike, StructureMsg};
use crate::schema::{CellKind, Registry, SKind, SNodeId, Schema, SlotId, ROOT};
use crate::source::{Source, Span};
use crate::value::{Date, Value};
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
    ("structure/missing", Severity::Error, "缺少模板规定的表、行或列", "The national template has this table, row or column; the rules that need it cannot check it, so the report cannot be fully checked."),
    ("structure/look-alike-key", Severity::Error, "键与模板的键形似而实不同", "The key is the template's once full-width forms, traditional characters, invisible characters, odd spaces or a glued-on value are taken out (总計, 总计：183, a zero-width space). To a program it is a different key, so the template's key is missing and the rules that need it cannot check it."),
    ("structure/split-row", Severity::Warning, "模板中的一行被拆成了若干子行", "The report splits a template row into sub-rows the template does not have (e.g. 其他对外管理服务事项 into 行政检查 and 行政确认). They are kept but not checked."),
    ("structure/merged-rows", Severity::Warning, "模板中的一组子行被合并为一行", "The template has sub-rows here (e.g. the 2021 format splits （六）其他处理 into three), but the report gives a single row."),
    ("structure/not-a-number", Severity::Error, "数字单元格中填写了文字", "The cell must hold a number (or be blank); text cannot be added up."),
    ("structure/not-a-date", Severity::Error, "日期单元格中填写的不是日期", "The cell must hold one date, written 2024年1月28日 or 2024-01-28 (or be blank); a rule comparing it with a deadline cannot read anything else."),
    ("suppress/bare-ignore", Severity::Warning, "未写明规则的 gouji: ignore 不予采纳", "A bare `# gouji: ignore` would silence every rule on its line, including ones nobody reviewed; name the rules: `# gouji: ignore[table3/row-total] reason`."),
    ("suppress/unknown-rule", Severity::Warning, "gouji: ignore 或基线中的规则不存在", "An ignore comment or a baseline entry names a rule gouji does not have (a typo, or a rule since renamed), so it silences nothing."),
    ("suppress/unused", Severity::Warning, "gouji: ignore 或基线条目没有匹配任何结果", "An ignore comment or a baseline entry silenced nothing: the problem was fixed, its values changed, or it names a finding that stops the report being fully checked, which cannot be silenced."),
    ("structure/negative-count", Severity::Error, "件数为负数", "A count of applications, cases or documents cannot be negative."),
    ("import/inferred", Severity::Info, "导入时据表内关系推断的单元格", "gouji import cut these cells from digits printed run together (\"7000007\") choosing the one cut that keeps a relation of the table; the document lists them under `推断`. That relation holds by construction, so checking it proves nothing about them: they are reported instead of counted as checked."),
    ("structure/fractional-count", Severity::Error, "件数不是整数", "A count of applications, cases or documents is a whole number."),
];

/// The findings that leave a relation of the report unchecked: while one stands, the report
/// is not fully checked. They are errors whatever the configuration says, and neither an
/// inline ignore nor a baseline silences them (every `load/*` finding is one too).
pub const STOPS_CHECKING: &[&str] = &[
    "structure/unknown-format",
    "structure/not-a-mapping",
    "structure/missing",
    "structure/look-alike-key",
    "structure/not-a-number",
    "structure/not-a-date",
    "import/incomplete",
];

/// Whether a finding of this rule leaves the report not fully checked.
pub fn stops_checking(rule: &str) -> bool {
    rule.starts_with("load/") || STOPS_CHECKING.contains(&rule)
}

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
            StructureMsg::NoFormats.to_string(),
            root_span,
        )));
    };
    let known = registry.names().join("、");
    let Some(entry) = tree.get(tree.root, &key) else {
        // A key that only looks like the select key is named, with what is wrong with it.
        let look_alike = tree.entries(tree.root).unwrap_or(&[]).iter().find_map(|e| {
            let (_, n) = keys::resembles(&e.key, &[key.as_str()])?;
            Some((e.key_span.clone(), keys::visible(&e.key), n))
        });
        let mut message = StructureMsg::NoFormatField {
            key: key.clone(),
            known,
        }
        .to_string();
        let mut at = root_span;
        if let Some((span, written, n)) = look_alike {
            message.push_str(
                &StructureMsg::FormatLookAlike {
                    written,
                    key,
                    why: LookAlike::all(&n.causes),
                }
                .to_string(),
            );
            at = span;
        }
        return Err(Box::new(structure_finding(
            "structure/unknown-format",
            message,
            at,
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
                StructureMsg::UnknownFormat {
                    key: key.clone(),
                    hint: format_hint(registry, &key, &written),
                    written: keys::visible(&written),
                    known,
                }
                .to_string(),
                tree.node(entry.value).span.clone(),
            ))
        })
}

/// Why a written format is not a known one, when it only looks unlike one (`２０１９`).
fn format_hint(registry: &Registry, key: &str, written: &str) -> String {
    let values: Vec<&str> = registry
        .schemas
        .iter()
        .filter_map(|s| s.select.as_ref().filter(|(k, _)| k == key))
        .map(|(_, v)| v.as_str())
        .collect();
    match keys::resembles(written, &values) {
        Some((meant, n)) => StructureMsg::FormatValueLookAlike {
            meant: meant.to_string(),
            why: LookAlike::all(&n.causes),
        }
        .to_string(),
        None => String::new(),
    }
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
        doc.inferred();
        doc
    }

    /// `import/inferred`: the cells the schema's inferred field (`推断`) lists, one
    /// finding per row and relation, at the cells.
    fn inferred(&mut self) {
        use crate::messages::import::InferredMsg;
        let Some(key) = self.schema.import.inferred.clone() else {
            return;
        };
        let Some(entries) = self
            .tree
            .get(self.tree.root, &key)
            .and_then(|e| self.tree.entries(e.value))
        else {
            return;
        };
        // (row path, relation) → cells, in the order written
        let mut groups: Vec<(String, String, Vec<SlotId>)> = Vec::new();
        let mut found = Vec::new();
        for e in entries {
            let relation = match &self.tree.node(e.value).kind {
                NodeKind::Scalar { text, .. } => text.trim().to_string(),
                _ => String::new(),
            };
            let slot = e
                .key
                .split('.')
                .try_fold(ROOT, |at, k| self.schema.child(at, k))
                .and_then(|n| match self.schema.node(n).kind {
                    SKind::Scalar { slot, .. } if slot != usize::MAX => Some(slot),
                    _ => None,
                });
            let Some(slot) = slot else {
                let message = InferredMsg::UnknownCell {
                    cell: e.key.to_string(),
                }
                .to_string();
                found.push(structure_finding(
                    "import/inferred",
                    message,
                    e.key_span.clone(),
                ));
                continue;
            };
            let row = e.key.rsplit_once('.').map_or("", |(r, _)| r).to_string();
            match groups.iter_mut().find(|g| g.0 == row && g.1 == relation) {
                Some(g) => g.2.push(slot),
                None => groups.push((row, relation, vec![slot])),
            }
        }
        for (row, relation, slots) in groups {
            let cells: Vec<CellRef> = slots.iter().map(|&s| self.cell_ref(s)).collect();
            let names: Vec<&str> = slots
                .iter()
                .map(|&s| self.schema.slot_node(s).key.as_str())
                .collect();
            let message = InferredMsg::Cells {
                row,
                cells: names.join("、"),
                relation,
            }
            .to_string();
            let span = cells.first().map_or(0..0, |c| c.span.clone());
            let mut f = structure_finding("import/inferred", message, span);
            f.cells = cells;
            found.push(f);
        }
        self.findings.extend(found);
    }

    /// The cell reference (path, label, value, span) of a slot, for findings.
    pub fn cell_ref(&self, slot: SlotId) -> CellRef {
        let node = self.schema.slots[slot];
        let cell = &self.cells[slot];
        CellRef {
            path: self.schema.shared_path(node),
            label: self.schema.shared_label(node),
            value: if cell.written {
                self.source.slice(&cell.span).to_string()
            } else {
                cell.value.to_string()
            },
            span: cell.span.clone(),
            file: None,
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

    /// How a finding names a node: its label; the document itself by its format.
    fn heading(&self, s: SNodeId) -> String {
        if s == ROOT {
            StructureMsg::Root {
                format: self.schema.name.clone(),
            }
            .to_string()
        } else {
            self.schema.nodes[s].label.clone()
        }
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
                        Found::Single
                    } else {
                        Found::Other
                    };
                    let message = StructureMsg::NotAMapping {
                        label: node.label.clone(),
                        children: what_children(&node.kind),
                        found,
                    };
                    self.push(
                        "structure/not-a-mapping",
                        message.to_string(),
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
                let message = StructureMsg::SplitRow {
                    label: node.label.clone(),
                    rows: names.join("、"),
                };
                self.push("structure/split-row", message.to_string(), span);
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
                let message = StructureMsg::MergedRows {
                    label: node.label.clone(),
                    count: names.len(),
                    rows: names.join("、"),
                };
                self.push("structure/merged-rows", message.to_string(), span);
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
                        absent.push(c);
                    }
                    let at = self.doc.tree.node(y).span.clone();
                    self.bind(c, None, at.start..at.start);
                }
            }
        }
        let node = &self.schema.nodes[s];
        let here = self.doc.tree.node(y).span.clone();
        let keys: Vec<&str> = children
            .iter()
            .map(|&c| self.schema.nodes[c].key.as_str())
            .collect();
        let entries = self.doc.tree.entries(y).unwrap_or(&[]);
        let mut found = Vec::new();
        for (e, _) in entries.iter().zip(&matched).filter(|(_, m)| !**m) {
            // A key that only looks like the template's: an error naming what it stands for.
            if let Some((meant, n)) = keys::resembles(&e.key, &keys) {
                absent.retain(|&c| self.schema.nodes[c].key != meant);
                let message = StructureMsg::LookAlikeKey {
                    label: self.heading(s),
                    key: keys::visible(&e.key),
                    meant: meant.to_string(),
                    why: LookAlike::all(&n.causes),
                };
                let help = match &n.glued {
                    Some(value) => StructureMsg::LookAlikeHelp {
                        meant: meant.to_string(),
                        value: value.clone(),
                    },
                    None => StructureMsg::LookAlikeKeyHelp {
                        meant: meant.to_string(),
                    },
                };
                found.push((
                    "structure/look-alike-key",
                    message.to_string(),
                    Some(help.to_string()),
                    e.key_span.clone(),
                ));
                continue;
            }
            let mut message = StructureMsg::UnknownKey {
                label: self.heading(s),
                key: keys::visible(&e.key),
            }
            .to_string();
            if let Some(k) = did_you_mean(&e.key, &keys) {
                message.push_str(&StructureMsg::DidYouMean { key: k.into() }.to_string());
            }
            found.push(("structure/unknown-key", message, None, e.key_span.clone()));
        }
        if !absent.is_empty() {
            let names: Vec<&str> = absent
                .iter()
                .map(|&c| self.schema.nodes[c].label.as_str())
                .collect();
            let message = StructureMsg::Missing {
                label: self.heading(s),
                children: what_children(&node.kind),
                absent: names.join("、"),
            };
            self.push(
                "structure/missing",
                message.to_string(),
                here.start..here.start,
            );
        }
        for (rule, message, help, span) in found {
            let mut f = structure_finding(rule, message, span);
            f.help = help;
            self.doc.findings.push(f);
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
                let value = if kind == CellKind::Date {
                    Value::from_scalar(text, false)
                } else if matches!(kind, CellKind::Text | CellKind::Any) {
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
                        StructureMsg::NotAScalar { label }.to_string(),
                        span.clone(),
                    );
                }
                (Value::Missing, false)
            }
        };
        if kind.is_numeric() {
            self.check_number(s, kind, &value, &span);
        } else if kind == CellKind::Date {
            self.check_date(s, &value, &span);
        }
        self.doc.cells[slot] = Cell {
            value,
            span,
            written,
        };
    }

    /// A date cell holds one date and nothing else (or is blank): a rule comparing it with a
    /// deadline could not check `待定` or `1月28日`, so that stops the report being fully
    /// checked instead of passing unnoticed.
    fn check_date(&mut self, s: SNodeId, value: &Value, span: &Span) {
        let Value::Text(t) = value else { return };
        if Date::find(t).is_some_and(|(_, at)| at.len() == t.trim().len()) {
            return;
        }
        let message = StructureMsg::NotADate {
            label: self.schema.label(s),
            text: keys::visible(t),
        };
        self.push("structure/not-a-date", message.to_string(), span.clone());
    }

    fn check_number(&mut self, s: SNodeId, kind: CellKind, value: &Value, span: &Span) {
        // Labels are built only for a finding: this runs for every number of every report.
        let label = || self.schema.label(s);
        match value {
            Value::Text(t) => {
                let message = StructureMsg::NotANumber {
                    label: label(),
                    text: keys::visible(t),
                    hint: number_hint(t),
                };
                self.push("structure/not-a-number", message.to_string(), span.clone())
            }
            Value::Number(n)
                if matches!(kind, CellKind::Count | CellKind::Signed | CellKind::Integer)
                    && n.scale() != 0
                    && !n.fract().is_zero() =>
            {
                let message = StructureMsg::FractionalCount {
                    label: label(),
                    value: n.to_string(),
                };
                self.push(
                    "structure/fractional-count",
                    message.to_string(),
                    span.clone(),
                )
            }
            Value::Number(n) if kind == CellKind::Count && n.is_sign_negative() && !n.is_zero() => {
                let message = StructureMsg::NegativeCount {
                    label: label(),
                    value: n.to_string(),
                };
                self.push(
                    "structure/negative-count",
                    message.to_string(),
                    span.clone(),
                )
            }
            _ => {}
        }
    }
}

fn what_children(kind: &SKind) -> Children {
    match kind {
        SKind::Row => Children::Columns,
        SKind::Table { .. } | SKind::RowGroup => Children::Rows,
        _ => Children::Fields,
    }
}

/// Why a text is not a number, when we can tell.
fn number_hint(text: &str) -> String {
    let t = text.trim();
    let hint = if t.chars().any(|c| ('０'..='９').contains(&c)) {
        StructureMsg::HintFullWidth
    } else if crate::value::too_precise(t) {
        StructureMsg::HintTooPrecise
    } else if let Some(why) = invisible_in_number(t) {
        StructureMsg::HintInvisible { why }
    } else if t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars().any(|c| !c.is_ascii_digit() && c != '.')
    {
        StructureMsg::HintUnit
    } else if crate::value::parse_number(t).is_some() {
        StructureMsg::HintQuoted
    } else {
        return String::new();
    };
    hint.to_string()
}

/// A number hidden by an invisible character, a BOM or an odd space: what is in the way.
fn invisible_in_number(text: &str) -> Option<String> {
    let n = keys::normalise(text);
    let hidden = !n.causes.is_empty()
        && n.glued.is_none()
        && n.causes.iter().all(|c| {
            matches!(
                c,
                keys::Cause::Invisible(_) | keys::Cause::Bom | keys::Cause::Space(_)
            )
        });
    (hidden && crate::value::parse_number(&n.key).is_some()).then(|| LookAlike::all(&n.causes))
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
