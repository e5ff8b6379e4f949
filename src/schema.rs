//! Report schemas: the tables, rows and columns of a format, with their official labels.
//!
//! A schema is data (`rules/formats/*.yaml`); the engine knows nothing about annual
//! reports beyond what a schema file says. Every scalar a rule can read gets a *slot*,
//! so rules resolve paths to slots once, when they load.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::finding::SharedStr;
use crate::messages::schema::SchemaMsg;
use crate::source::{Source, Span};
use crate::yaml::{self, NodeId, NodeKind, Tree};

pub type SNodeId = usize;
pub type SlotId = usize;

/// What a scalar must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A whole number ≥ 0.
    Count,
    /// A whole number, may be negative (本年增/减).
    Signed,
    /// A decimal amount.
    Amount,
    /// A whole number (a year).
    Integer,
    /// Prose or a name.
    Text,
    /// A date, written `2024年1月28日` or `2024-01-28` (read as text; rules read the date).
    Date,
    /// Anything; not checked.
    Any,
}

impl CellKind {
    fn parse(s: &str) -> Option<CellKind> {
        Some(match s {
            "count" => CellKind::Count,
            "signed" => CellKind::Signed,
            "amount" => CellKind::Amount,
            "integer" => CellKind::Integer,
            "text" => CellKind::Text,
            "date" => CellKind::Date,
            "any" => CellKind::Any,
            _ => return None,
        })
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            CellKind::Count | CellKind::Signed | CellKind::Amount | CellKind::Integer
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SKind {
    /// A mapping of named fields.
    Group,
    /// A table: its rows (and row groups) are children; `columns` are its column keys.
    Table { columns: Vec<SNodeId> },
    /// A heading over several rows.
    RowGroup,
    /// A table row: children are its cells, one per column.
    Row,
    /// A scalar: a cell of a row, or a field.
    Scalar { kind: CellKind, slot: SlotId },
    /// A sequence of records (each item shaped like the child group).
    List { item: SNodeId },
}

#[derive(Debug, Clone)]
pub struct SNode {
    pub key: String,
    pub label: String,
    pub parent: Option<SNodeId>,
    pub children: Vec<SNodeId>,
    pub kind: SKind,
    pub optional: bool,
    /// Other labels a published report prints for this row (`also:`), for importers.
    pub also: Vec<String>,
}

/// What an importer needs to read published reports of a format beyond its
/// shape (schema keys `import:`, and `total:` / `relations:` of a table; see
/// docs/report-format.md). Rules never read it.
#[derive(Debug, Clone, Default)]
pub struct ImportHints {
    /// Words only this format's tables print: they tell the formats apart.
    pub fingerprints: Vec<String>,
    /// The report years the format is for: first, and last when it has one.
    pub years: Option<(i64, Option<i64>)>,
    /// The field where an importer lists the cells it inferred through a relation
    /// (`推断`: cell path → relation); lint reports those relations as unverifiable.
    pub inferred: Option<String>,
    /// Per table, the sums its cells keep.
    pub tables: Vec<TableHints>,
}

/// The sums a table's cells keep, as its schema states them.
#[derive(Debug, Clone, Default)]
pub struct TableHints {
    pub table: SNodeId,
    /// The column that is the sum of the table's other columns, row by row.
    pub total: Option<String>,
    /// The table prints across (`print: {across: true}`): each row a group of columns.
    pub across: bool,
    /// Relations between rows, column by column: the rows (or groups of rows,
    /// meaning their template rows) on the left add up to those on the right.
    pub relations: Vec<Relation>,
}

/// `left` and `right`: row paths below the table, dotted (`办理结果.总计`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub left: Vec<String>,
    pub right: Vec<String>,
}

/// One report format.
#[derive(Debug)]
pub struct Schema {
    pub name: String,
    pub title: String,
    /// A document belongs to this schema when `key` holds `value`.
    pub select: Option<(String, String)>,
    /// The field naming the reporting body (pairs a report with last year's).
    pub identity: Option<String>,
    /// The field naming the period (年度).
    pub period: Option<String>,
    /// A balanced reference document, the base that rule examples patch.
    pub sample: Option<Arc<Source>>,
    pub nodes: Vec<SNode>,
    /// Slot → the scalar node that owns it.
    pub slots: Vec<SNodeId>,
    pub source: Arc<Source>,
    /// For importers: how published reports of this format are told apart and read.
    pub import: ImportHints,
    /// Per node, its dotted path and its labels (`path`, `label`), built once: findings
    /// name their cells with these, shared.
    names: Vec<(SharedStr, SharedStr)>,
}

pub const ROOT: SNodeId = 0;

#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(gouji::schema))]
pub struct SchemaError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{}", SchemaMsg::Here)]
    pub at: SourceSpan,
}

impl Schema {
    pub fn node(&self, id: SNodeId) -> &SNode {
        &self.nodes[id]
    }

    /// The child of `id` with key `key`.
    pub fn child(&self, id: SNodeId, key: &str) -> Option<SNodeId> {
        self.nodes[id]
            .children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].key == key)
    }

    pub fn slot_node(&self, slot: SlotId) -> &SNode {
        &self.nodes[self.slots[slot]]
    }

    /// Dotted key path, e.g. `申请.办理结果.无法提供.不掌握.总计`.
    pub fn path(&self, id: SNodeId) -> String {
        self.names[id].0.to_string()
    }

    /// Official labels from the table (exclusive) down, e.g.
    /// `三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息 / 总计`.
    pub fn label(&self, id: SNodeId) -> String {
        self.names[id].1.to_string()
    }

    /// A node's path, shared (a finding's cell holds it without copying).
    pub fn shared_path(&self, id: SNodeId) -> SharedStr {
        self.names[id].0.clone()
    }

    /// A node's labels, shared.
    pub fn shared_label(&self, id: SNodeId) -> SharedStr {
        self.names[id].1.clone()
    }

    /// Leaf rows below `id` (rows of the template only, in order).
    pub fn rows_below(&self, id: SNodeId, out: &mut Vec<SNodeId>) {
        for &c in &self.nodes[id].children {
            let child = &self.nodes[c];
            if child.optional {
                continue;
            }
            match child.kind {
                SKind::Row => out.push(c),
                SKind::RowGroup => self.rows_below(c, out),
                _ => {}
            }
        }
    }

    /// Scalars below `id` (template only, in order).
    pub fn scalars_below(&self, id: SNodeId, out: &mut Vec<SNodeId>) {
        if let SKind::Scalar { .. } = self.nodes[id].kind {
            out.push(id);
            return;
        }
        for &c in &self.nodes[id].children {
            if !self.nodes[c].optional {
                self.scalars_below(c, out);
            }
        }
    }

    /// The table a node belongs to.
    pub fn table_of(&self, id: SNodeId) -> Option<SNodeId> {
        let mut at = Some(id);
        while let Some(n) = at {
            if matches!(self.nodes[n].kind, SKind::Table { .. }) {
                return Some(n);
            }
            at = self.nodes[n].parent;
        }
        None
    }

    /// Load a schema from its YAML text. `sample` resolves the `sample:` file name.
    pub fn parse(
        source: Arc<Source>,
        sample: &dyn Fn(&str) -> Option<Arc<Source>>,
    ) -> Result<Schema, SchemaError> {
        let tree = yaml::parse(&source.text, yaml::Limits::default()).map_err(|e| {
            let (message, at) = crate::load::describe_yaml_error(&e, &source);
            SchemaError {
                message,
                src: named(&source),
                at: at.into(),
            }
        })?;
        let mut b = Builder {
            tree: &tree,
            source: &source,
            nodes: Vec::new(),
            slots: Vec::new(),
            tables: Vec::new(),
        };
        let err = |b: &Builder, message: SchemaMsg, at: Span| SchemaError {
            message: message.to_string(),
            src: named(b.source),
            at: at.into(),
        };
        let root = tree.root;
        let text = |key: &str| -> Option<String> {
            b.scalar(b.tree.get(root, key)?.value).map(str::to_string)
        };
        if let Some(base) = b.tree.get(root, "extends") {
            let at = b.tree.node(base.value).span.clone();
            let (base, title) = (text("extends").unwrap_or_default(), text("title"));
            return b.extend(base, at, title);
        }
        let Some(name) = text("name") else {
            return Err(err(&b, SchemaMsg::NeedsName, 0..0));
        };
        let title = text("title").unwrap_or_else(|| name.clone());
        let select = b.tree.get(root, "select").and_then(|e| {
            let key = b.scalar(b.tree.get(e.value, "key")?.value)?.to_string();
            let value = b.scalar(b.tree.get(e.value, "value")?.value)?.to_string();
            Some((key, value))
        });
        let identity = text("identity");
        let period = text("period");
        let sample = match text("sample") {
            Some(file) => Some(sample(&file).ok_or_else(|| {
                let at = b
                    .tree
                    .get(root, "sample")
                    .map(|e| b.tree.node(e.value).span.clone())
                    .unwrap_or(0..0);
                err(&b, SchemaMsg::SampleNotFound { file }, at)
            })?),
            None => None,
        };
        b.nodes.push(SNode {
            key: String::new(),
            label: title.clone(),
            parent: None,
            children: vec![],
            kind: SKind::Group,
            optional: false,
            also: vec![],
        });
        let Some(fields) = b.tree.get(root, "fields") else {
            return Err(err(&b, SchemaMsg::NeedsFields, 0..0));
        };
        b.fields(ROOT, fields.value)?;
        let mut import = b.import_hints(root)?;
        import.tables = std::mem::take(&mut b.tables);
        let (nodes, slots) = (b.nodes, b.slots);
        Ok(Schema {
            name,
            title,
            select,
            identity,
            period,
            sample,
            names: names(&nodes),
            nodes,
            slots,
            source,
            import,
        })
    }
}

/// Every node's dotted key path and its labels from the table (exclusive) down.
fn names(nodes: &[SNode]) -> Vec<(SharedStr, SharedStr)> {
    (0..nodes.len())
        .map(|id| {
            let (mut keys, mut labels) = (Vec::new(), Vec::new());
            let mut in_table = true;
            let mut at = Some(id);
            while let Some(n) = at.filter(|&n| n != ROOT) {
                let node = &nodes[n];
                keys.push(node.key.as_str());
                if matches!(node.kind, SKind::Table { .. }) && n != id {
                    in_table = false;
                }
                if in_table {
                    labels.push(node.label.as_str());
                }
                at = node.parent;
            }
            keys.reverse();
            labels.reverse();
            (keys.join(".").into(), labels.join(" / ").into())
        })
        .collect()
}

fn named(source: &Source) -> NamedSource<String> {
    NamedSource::new(&source.name, source.text.clone())
}

struct Builder<'t, 'a> {
    tree: &'t Tree<'a>,
    source: &'t Arc<Source>,
    nodes: Vec<SNode>,
    slots: Vec<SNodeId>,
    tables: Vec<TableHints>,
}

impl Builder<'_, '_> {
    /// `extends: 2021`: the built-in format `base` with this file's fields, rows and columns
    /// added. It keeps the base's name (so the rules written for the base apply), its
    /// `select`, identity, period and sample.
    fn extend(
        mut self,
        base: String,
        at: Span,
        title: Option<String>,
    ) -> Result<Schema, SchemaError> {
        let registry = Registry::builtin();
        let Some(b) = registry.schemas.iter().find(|s| s.name == base) else {
            let names = registry.names().join(crate::messages::list_sep());
            return Err(SchemaError {
                message: SchemaMsg::UnknownBase { base, names }.to_string(),
                src: named(self.source),
                at: at.into(),
            });
        };
        let root = self.tree.root;
        if let Some(n) = self.tree.get(root, "name") {
            if self.scalar(n.value) != Some(b.name.as_str()) {
                return Err(self.error(
                    SchemaMsg::ExtendsKeepsName {
                        base: b.name.clone(),
                    },
                    n.value,
                ));
            }
        }
        // the importer reads the built-in formats only: import data here would be ignored
        if let Some(e) = self.tree.get(root, "import") {
            return Err(self.extends_import(&b.name, e));
        }
        self.nodes = b.nodes.clone();
        self.slots = b.slots.clone();
        if let Some(fields) = self.tree.get(root, "fields") {
            self.extend_fields(ROOT, fields.value)?;
        }
        let title = title.unwrap_or_else(|| b.title.clone());
        self.nodes[ROOT].label = title.clone();
        let mut import = b.import.clone();
        import.tables.extend(std::mem::take(&mut self.tables));
        Ok(Schema {
            name: b.name.clone(),
            title,
            select: b.select.clone(),
            identity: b.identity.clone(),
            period: b.period.clone(),
            sample: b.sample.clone(),
            names: names(&self.nodes),
            nodes: self.nodes,
            slots: self.slots,
            source: self.source.clone(),
            import,
        })
    }

    /// Fields added to a group of the base: new keys are built as usual; a key the base
    /// has is opened (a group's `fields`, a table's `table`) to add to it.
    fn extend_fields(&mut self, parent: SNodeId, map: NodeId) -> Result<(), SchemaError> {
        let entries = self
            .tree
            .entries(map)
            .ok_or_else(|| self.error(SchemaMsg::ExpectedFields, map))?;
        for e in entries {
            let Some(existing) = self.child_of(parent, &e.key) else {
                self.field(parent, e)?;
                continue;
            };
            let sub = |k: &str| self.tree.get(e.value, k).map(|x| x.value);
            match (&self.nodes[existing].kind, sub("fields"), sub("table")) {
                (SKind::Group, Some(fields), _) => self.extend_fields(existing, fields)?,
                (SKind::Table { .. }, _, Some(table)) => self.extend_table(existing, table)?,
                _ => return Err(self.already_in_base(e)),
            }
        }
        Ok(())
    }

    /// Import data (`import:`, a base table's `total:` …) in an extension, at its key.
    fn extends_import(&self, base: &str, e: &yaml::Entry) -> SchemaError {
        SchemaError {
            message: SchemaMsg::ExtendsImport {
                base: base.to_string(),
                key: e.key.to_string(),
            }
            .to_string(),
            src: named(self.source),
            at: e.key_span.clone().into(),
        }
    }

    fn already_in_base(&self, e: &yaml::Entry) -> SchemaError {
        let key = e.key.to_string();
        self.error(SchemaMsg::AlreadyInBase { key }, e.value)
    }

    fn child_of(&self, parent: SNodeId, key: &str) -> Option<SNodeId> {
        self.nodes[parent]
            .children
            .iter()
            .copied()
            .find(|&c| self.nodes[c].key == key)
    }

    /// Columns added to a table get a cell in every row; rows added get every column.
    /// The base table's import data (`total`, `relations`, `print`, `headers`) stays as it is.
    fn extend_table(&mut self, table: SNodeId, spec: NodeId) -> Result<(), SchemaError> {
        for key in ["total", "relations", "print", "headers"] {
            if let Some(e) = self.tree.get(spec, key) {
                let base = self
                    .tree
                    .get(self.tree.root, "extends")
                    .and_then(|b| self.scalar(b.value))
                    .unwrap_or_default();
                return Err(self.extends_import(base, e));
            }
        }
        let mut template = Vec::new();
        if let SKind::Table { columns } = &self.nodes[table].kind {
            for &c in columns {
                let n = &self.nodes[c];
                if let SKind::Scalar { kind, .. } = n.kind {
                    template.push((n.key.clone(), n.label.clone(), kind, n.optional));
                }
            }
        }
        if let Some(columns) = self.tree.get(spec, "columns").map(|e| e.value) {
            let entries = self
                .tree
                .entries(columns)
                .ok_or_else(|| self.error(SchemaMsg::ExpectedColumns, columns))?;
            let mut rows = Vec::new();
            self.all_rows(table, &mut rows);
            for e in entries {
                if template.iter().any(|(k, ..)| *k == e.key) {
                    return Err(self.already_in_base(e));
                }
                let (label, optional, kind) = self.head(&e.key, e.value)?;
                let kind = kind.unwrap_or(CellKind::Count);
                let col = self.push_detached(&e.key, &label, kind, optional);
                if let SKind::Table { columns } = &mut self.nodes[table].kind {
                    columns.push(col);
                }
                for &r in &rows {
                    self.scalar_node(r, &e.key, label.clone(), kind, optional);
                }
                template.push((e.key.to_string(), label, kind, optional));
            }
        }
        if let Some(rows) = self.tree.get(spec, "rows").map(|e| e.value) {
            self.extend_rows(table, rows, &template)?;
        }
        Ok(())
    }

    /// Every row below a table or row group, optional ones included.
    fn all_rows(&self, id: SNodeId, out: &mut Vec<SNodeId>) {
        for &c in &self.nodes[id].children {
            match self.nodes[c].kind {
                SKind::Row => out.push(c),
                SKind::RowGroup => self.all_rows(c, out),
                _ => {}
            }
        }
    }

    fn extend_rows(
        &mut self,
        parent: SNodeId,
        map: NodeId,
        columns: &[(String, String, CellKind, bool)],
    ) -> Result<(), SchemaError> {
        let entries = self
            .tree
            .entries(map)
            .ok_or_else(|| self.error(SchemaMsg::ExpectedRows, map))?;
        for e in entries {
            match self.child_of(parent, &e.key) {
                None => self.row(parent, e, columns)?,
                Some(g) if matches!(self.nodes[g].kind, SKind::RowGroup) => {
                    let Some(sub) = self.tree.get(e.value, "rows").map(|x| x.value) else {
                        return Err(self.already_in_base(e));
                    };
                    self.extend_rows(g, sub, columns)?;
                }
                Some(_) => return Err(self.already_in_base(e)),
            }
        }
        Ok(())
    }

    fn scalar(&self, id: NodeId) -> Option<&str> {
        match &self.tree.node(id).kind {
            NodeKind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn error(&self, message: SchemaMsg, at: NodeId) -> SchemaError {
        SchemaError {
            message: message.to_string(),
            src: named(self.source),
            at: self.tree.node(at).span.clone().into(),
        }
    }

    fn push(
        &mut self,
        parent: SNodeId,
        key: &str,
        label: String,
        kind: SKind,
        optional: bool,
    ) -> SNodeId {
        let id = self.nodes.len();
        self.nodes.push(SNode {
            key: key.to_string(),
            label,
            parent: Some(parent),
            children: vec![],
            kind,
            optional,
            also: vec![],
        });
        self.nodes[parent].children.push(id);
        id
    }

    fn scalar_node(
        &mut self,
        parent: SNodeId,
        key: &str,
        label: String,
        kind: CellKind,
        optional: bool,
    ) -> SNodeId {
        let slot = self.slots.len();
        let id = self.push(parent, key, label, SKind::Scalar { kind, slot }, optional);
        self.slots.push(id);
        id
    }

    /// `label`, `optional` and `kind` of a node written as a mapping, or the label of `key: label`.
    fn head(
        &self,
        key: &str,
        value: NodeId,
    ) -> Result<(String, bool, Option<CellKind>), SchemaError> {
        if let Some(label) = self.scalar(value) {
            return Ok((label.to_string(), false, None));
        }
        let label = self
            .tree
            .get(value, "label")
            .and_then(|e| self.scalar(e.value))
            .unwrap_or(key)
            .to_string();
        let optional = self
            .tree
            .get(value, "optional")
            .and_then(|e| self.scalar(e.value))
            == Some("true");
        let kind = match self.tree.get(value, "kind") {
            Some(e) => {
                let k = self.scalar(e.value).unwrap_or("");
                Some(CellKind::parse(k).ok_or_else(|| {
                    self.error(
                        SchemaMsg::UnknownKind {
                            kind: k.to_string(),
                        },
                        e.value,
                    )
                })?)
            }
            None => None,
        };
        Ok((label, optional, kind))
    }

    fn fields(&mut self, parent: SNodeId, map: NodeId) -> Result<(), SchemaError> {
        let entries = self
            .tree
            .entries(map)
            .ok_or_else(|| self.error(SchemaMsg::ExpectedFields, map))?;
        for e in entries {
            self.field(parent, e)?;
        }
        Ok(())
    }

    /// One field of a group.
    fn field(&mut self, parent: SNodeId, e: &yaml::Entry) -> Result<(), SchemaError> {
        let (label, optional, kind) = self.head(&e.key, e.value)?;
        let sub = |k: &str| self.tree.get(e.value, k).map(|x| x.value);
        if let Some(kind) = kind {
            self.scalar_node(parent, &e.key, label, kind, optional);
        } else if let Some(fields) = sub("fields") {
            let id = self.push(parent, &e.key, label, SKind::Group, optional);
            self.fields(id, fields)?;
        } else if let Some(table) = sub("table") {
            let id = self.push(
                parent,
                &e.key,
                label,
                SKind::Table { columns: vec![] },
                optional,
            );
            self.table(id, table)?;
        } else if let Some(item) = sub("list") {
            let id = self.push(parent, &e.key, label, SKind::List { item: 0 }, optional);
            let item_id = self.push(id, "*", "每一项".into(), SKind::Group, false);
            self.nodes[id].kind = SKind::List { item: item_id };
            self.fields(item_id, item)?;
        } else {
            return Err(self.error(SchemaMsg::FieldNeedsKind, e.value));
        }
        Ok(())
    }

    fn table(&mut self, table: SNodeId, spec: NodeId) -> Result<(), SchemaError> {
        let columns = self
            .tree
            .get(spec, "columns")
            .ok_or_else(|| self.error(SchemaMsg::TableNeedsColumns, spec))?
            .value;
        let rows = self
            .tree
            .get(spec, "rows")
            .ok_or_else(|| self.error(SchemaMsg::TableNeedsRows, spec))?
            .value;
        // Columns are kept as a template: each row gets its own scalar per column.
        let mut template = Vec::new();
        for e in self
            .tree
            .entries(columns)
            .ok_or_else(|| self.error(SchemaMsg::ExpectedColumns, columns))?
        {
            let (label, optional, kind) = self.head(&e.key, e.value)?;
            template.push((
                e.key.to_string(),
                label,
                kind.unwrap_or(CellKind::Count),
                optional,
            ));
        }
        let cols = template
            .iter()
            .map(|(k, l, kind, o)| self.push_detached(k, l, *kind, *o))
            .collect();
        self.nodes[table].kind = SKind::Table { columns: cols };
        // `headers: KEY` lets a document record the column headers as printed, when they
        // differ from the template (e.g. 采购总金额（万元，保留四位小数）), so rules can read them.
        if let Some(key) = self
            .tree
            .get(spec, "headers")
            .and_then(|e| self.scalar(e.value))
            .map(str::to_string)
        {
            let group = self.push(table, &key, "表头（原文）".into(), SKind::Group, true);
            for (col, label, _, _) in &template {
                self.scalar_node(
                    group,
                    col,
                    format!("{label}（表头原文）"),
                    CellKind::Text,
                    true,
                );
            }
        }
        self.rows(table, rows, &template)?;
        self.table_hints(table, spec)
    }

    /// A scalar or a sequence of scalars, as texts.
    fn texts(&self, id: NodeId) -> Result<Vec<String>, SchemaError> {
        if let Some(s) = self.scalar(id) {
            return Ok(vec![s.to_string()]);
        }
        let NodeKind::Seq(items) = &self.tree.node(id).kind else {
            return Err(self.error(SchemaMsg::ExpectedTexts, id));
        };
        items
            .iter()
            .map(|&i| {
                self.scalar(i)
                    .map(str::to_string)
                    .ok_or_else(|| self.error(SchemaMsg::ExpectedTexts, i))
            })
            .collect()
    }

    /// The schema's `import:` (fingerprints, years).
    fn import_hints(&self, root: NodeId) -> Result<ImportHints, SchemaError> {
        let mut out = ImportHints::default();
        let Some(spec) = self.tree.get(root, "import").map(|e| e.value) else {
            return Ok(out);
        };
        if let Some(f) = self.tree.get(spec, "fingerprints") {
            out.fingerprints = self.texts(f.value)?;
        }
        out.inferred = self
            .tree
            .get(spec, "inferred")
            .and_then(|e| self.scalar(e.value))
            .map(str::to_string);
        if let Some(y) = self.tree.get(spec, "years").map(|e| e.value) {
            let year = |key: &str| -> Result<Option<i64>, SchemaError> {
                let Some(e) = self.tree.get(y, key) else {
                    return Ok(None);
                };
                let text = self.scalar(e.value).unwrap_or("");
                text.trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| self.error(SchemaMsg::BadYear { text: text.into() }, e.value))
            };
            let from = year("from")?.ok_or_else(|| {
                self.error(
                    SchemaMsg::BadYear {
                        text: String::new(),
                    },
                    y,
                )
            })?;
            out.years = Some((from, year("to")?));
        }
        Ok(out)
    }

    /// A table's `total:` column and `relations:` between its rows, checked
    /// against its columns and rows.
    fn table_hints(&mut self, table: SNodeId, spec: NodeId) -> Result<(), SchemaError> {
        let mut hints = TableHints {
            table,
            across: self
                .tree
                .get(spec, "print")
                .and_then(|p| self.tree.get(p.value, "across"))
                .and_then(|a| self.scalar(a.value))
                == Some("true"),
            ..TableHints::default()
        };
        if let Some(e) = self.tree.get(spec, "total") {
            let key = self.scalar(e.value).unwrap_or("").to_string();
            let known = match &self.nodes[table].kind {
                SKind::Table { columns } => columns.iter().any(|&c| self.nodes[c].key == key),
                _ => false,
            };
            if !known {
                return Err(self.error(SchemaMsg::UnknownColumn { key }, e.value));
            }
            hints.total = Some(key);
        }
        if let Some(e) = self.tree.get(spec, "relations") {
            let NodeKind::Seq(items) = &self.tree.node(e.value).kind else {
                return Err(self.error(SchemaMsg::ExpectedRelation, e.value));
            };
            for &item in items {
                let side = |key: &str| -> Result<Vec<String>, SchemaError> {
                    let Some(s) = self.tree.get(item, key) else {
                        return Err(self.error(SchemaMsg::ExpectedRelation, item));
                    };
                    let paths = self.texts(s.value)?;
                    for p in &paths {
                        let found = p.split('.').try_fold(table, |at, k| self.child_of(at, k));
                        if !found.is_some_and(|n| {
                            matches!(self.nodes[n].kind, SKind::Row | SKind::RowGroup)
                        }) {
                            let row = p.clone();
                            return Err(self.error(SchemaMsg::UnknownRow { row }, s.value));
                        }
                    }
                    Ok(paths)
                };
                let (left, right) = (side("left")?, side("right")?);
                hints.relations.push(Relation { left, right });
            }
        }
        self.tables.push(hints);
        Ok(())
    }

    /// Column descriptors live outside the tree (no parent link into rows) so rules can name them.
    fn push_detached(&mut self, key: &str, label: &str, kind: CellKind, optional: bool) -> SNodeId {
        let id = self.nodes.len();
        self.nodes.push(SNode {
            key: key.to_string(),
            label: label.to_string(),
            parent: None,
            children: vec![],
            kind: SKind::Scalar {
                kind,
                slot: usize::MAX,
            },
            optional,
            also: vec![],
        });
        id
    }

    fn rows(
        &mut self,
        parent: SNodeId,
        map: NodeId,
        columns: &[(String, String, CellKind, bool)],
    ) -> Result<(), SchemaError> {
        // A new table has no rows yet: extending it adds them all.
        self.extend_rows(parent, map, columns)
    }

    /// One row (or group of rows) of a table.
    fn row(
        &mut self,
        parent: SNodeId,
        e: &yaml::Entry,
        columns: &[(String, String, CellKind, bool)],
    ) -> Result<(), SchemaError> {
        let (label, optional, _) = self.head(&e.key, e.value)?;
        let id = if let Some(sub) = self.tree.get(e.value, "rows").map(|x| x.value) {
            let id = self.push(parent, &e.key, label, SKind::RowGroup, optional);
            self.rows(id, sub, columns)?;
            id
        } else {
            let id = self.push(parent, &e.key, label, SKind::Row, optional);
            for (key, label, kind, optional) in columns {
                self.scalar_node(id, key, label.clone(), *kind, *optional);
            }
            id
        };
        if let Some(also) = self.tree.get(e.value, "also") {
            self.nodes[id].also = self.texts(also.value)?;
        }
        Ok(())
    }
}

/// The schemas a run knows, chosen per document by their `select` field.
#[derive(Debug, Default)]
pub struct Registry {
    /// The built-in formats, parsed when first read (a run with `--schema` whose rules name
    /// no built-in format never parses them).
    pub schemas: Schemas,
    /// Used for every document, whatever it says (`--schema`).
    pub forced: Option<Arc<Schema>>,
}

/// The built-in formats, embedded in the binary.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/formats/2019.yaml",
        include_str!("../rules/formats/2019.yaml"),
    ),
    (
        "rules/formats/2021.yaml",
        include_str!("../rules/formats/2021.yaml"),
    ),
    (
        "rules/formats/2019.sample.yaml",
        include_str!("../rules/formats/2019.sample.yaml"),
    ),
    (
        "rules/formats/2021.sample.yaml",
        include_str!("../rules/formats/2021.sample.yaml"),
    ),
];

/// A list of schemas built when first read, shared by its clones (the built-in formats:
/// parsing them was a twentieth of the CPU time of checking a thousand small reports in
/// another format). Reads as a slice.
#[derive(Debug, Clone, Default)]
pub struct Schemas {
    list: Arc<std::sync::OnceLock<Vec<Arc<Schema>>>>,
    build: Option<fn() -> Vec<Arc<Schema>>>,
}

impl Schemas {
    /// Schemas built by `build` when first read.
    pub fn lazy(build: fn() -> Vec<Arc<Schema>>) -> Schemas {
        Schemas {
            list: Arc::default(),
            build: Some(build),
        }
    }

    /// Adds a schema after those there (building them first).
    pub fn push(&mut self, schema: Arc<Schema>) {
        let mut list = self.to_vec();
        list.push(schema);
        *self = Schemas::from(list);
    }
}

impl From<Vec<Arc<Schema>>> for Schemas {
    fn from(list: Vec<Arc<Schema>>) -> Schemas {
        Schemas {
            list: Arc::new(std::sync::OnceLock::from(list)),
            build: None,
        }
    }
}

impl std::ops::Deref for Schemas {
    type Target = [Arc<Schema>];
    fn deref(&self) -> &[Arc<Schema>] {
        self.list
            .get_or_init(|| self.build.map(|b| b()).unwrap_or_default())
    }
}

impl<'a> IntoIterator for &'a Schemas {
    type Item = &'a Arc<Schema>;
    type IntoIter = std::slice::Iter<'a, Arc<Schema>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The built-in formats, parsed.
fn builtin_schemas() -> Vec<Arc<Schema>> {
    let sample = |file: &str| {
        let path = format!("rules/formats/{file}");
        BUILTIN
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(p, t)| Arc::new(Source::new(*p, *t)))
    };
    BUILTIN
        .iter()
        .filter(|(p, _)| !p.ends_with(".sample.yaml"))
        .filter_map(|(p, t)| Schema::parse(Arc::new(Source::new(*p, *t)), &sample).ok())
        .map(Arc::new)
        .collect()
}

impl Registry {
    pub fn builtin() -> Registry {
        Registry {
            schemas: Schemas::lazy(builtin_schemas),
            forced: None,
        }
    }

    /// The forced schema when it has this name, else the built-in format of that name.
    pub fn by_name(&self, name: &str) -> Option<&Arc<Schema>> {
        let forced = self.forced.as_ref().filter(|s| s.name == name);
        forced.or_else(|| self.schemas.iter().find(|s| s.name == name))
    }

    /// Every schema: the forced one first, then the built-in formats (listed when first read).
    pub fn all(&self) -> AllSchemas {
        AllSchemas {
            forced: self.forced.clone(),
            builtin: self.schemas.clone(),
            list: std::sync::OnceLock::new(),
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.forced
            .iter()
            .chain(&self.schemas)
            .map(|s| s.name.as_str())
            .collect()
    }
}

/// Every schema of a registry, the forced one first, listed when first read: what
/// `prior(…)` resolves a cell in (last year's report may be in any format).
#[derive(Debug, Default)]
pub struct AllSchemas {
    forced: Option<Arc<Schema>>,
    builtin: Schemas,
    list: std::sync::OnceLock<Vec<Arc<Schema>>>,
}

impl std::ops::Deref for AllSchemas {
    type Target = [Arc<Schema>];
    fn deref(&self) -> &[Arc<Schema>] {
        self.list
            .get_or_init(|| self.forced.iter().chain(&self.builtin).cloned().collect())
    }
}

impl Schema {
    /// A JSON Schema (draft 2020-12) of documents in this format, for yaml-language-server.
    pub fn json_schema(&self) -> serde_json::Value {
        use serde_json::json;
        let mut root = self.json_node(ROOT);
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
        root["title"] = self.title.clone().into();
        // Value::from_scalar's blanks: null, or one of these spellings (trimmed).
        let blank = json!({"anyOf": [
            {"type": "null"},
            {"type": "string", "pattern": "^\\s*(~|null|Null|NULL|-|－|—|——|–|/|／)?\\s*$"}
        ]});
        root["$defs"] = json!({
            "blank": blank,
            "count": {"anyOf": [{"type": "integer", "minimum": 0}, {"$ref": "#/$defs/blank"}]},
            "integer": {"anyOf": [{"type": "integer"}, {"$ref": "#/$defs/blank"}]},
            "amount": {"anyOf": [{"type": "number"}, {"$ref": "#/$defs/blank"}]},
            // Any single value is read as text.
            "text": {"not": {"type": ["object", "array"]}},
        });
        root
    }

    /// A node's JSON Schema. It accepts exactly what the document binder accepts without a
    /// structural finding, plus the two shapes it keeps with only a warning (a template row
    /// split into sub-rows, a group of rows written as one row): every fixed mapping has
    /// `additionalProperties: false`, and optional additions (小计 rows and columns, 表头,
    /// 来源, 不完整, 推断, 正文) are properties that are not required. tests/schema_parity.rs holds
    /// the two to the same verdicts.
    fn json_node(&self, id: SNodeId) -> serde_json::Value {
        use serde_json::json;
        let node = &self.nodes[id];
        match &node.kind {
            SKind::Scalar { kind, .. } => {
                let def = match kind {
                    CellKind::Count => "count",
                    CellKind::Signed | CellKind::Integer => "integer",
                    CellKind::Amount => "amount",
                    CellKind::Text | CellKind::Date => "text",
                    CellKind::Any => return json!({"description": node.label}),
                };
                json!({"$ref": format!("#/$defs/{def}"), "description": node.label})
            }
            // Lists are read by rules, item by item; the binder does not check their shape.
            SKind::List { item } => {
                let fields: serde_json::Map<_, _> = self.nodes[*item]
                    .children
                    .iter()
                    .map(|&c| {
                        let n = &self.nodes[c];
                        (n.key.clone(), json!({"description": n.label}))
                    })
                    .collect();
                json!({"description": node.label, "items": {"properties": fields}})
            }
            _ => {
                let mut props = serde_json::Map::new();
                let mut required = Vec::new();
                for &c in &node.children {
                    props.insert(self.nodes[c].key.clone(), self.json_node(c));
                    if !self.nodes[c].optional {
                        required.push(self.nodes[c].key.clone());
                    }
                }
                if id == ROOT {
                    if let Some((key, value)) = &self.select {
                        props.insert(key.clone(), json!({"description": format!("年度报告格式：{value}"), "enum": [value, value.parse::<i64>().ok()]}));
                    }
                }
                let fixed = json!({
                    "type": "object",
                    "description": node.label,
                    "properties": props,
                    "required": required,
                    "additionalProperties": false,
                });
                match node.kind {
                    // Sub-rows the template does not have: kept, not checked (structure/split-row).
                    SKind::Row => json!({"description": node.label, "anyOf": [fixed, {
                        "type": "object",
                        "description": format!("「{}」拆分的子行", node.label),
                        "minProperties": 1,
                        "additionalProperties": {"type": "object"},
                    }]}),
                    // The group's rows written as one row (structure/merged-rows).
                    SKind::RowGroup => json!({"description": node.label, "anyOf": [fixed, {
                        "type": "object",
                        "description": format!("「{}」合并为一行", node.label),
                        "minProperties": 1,
                        "additionalProperties": {"not": {"type": "object"}},
                    }]}),
                    _ => fixed,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Schema, SchemaError> {
        Schema::parse(Arc::new(Source::new("t.yaml", text)), &|_| None)
    }

    const TABLE: &str = "name: t\nfields:\n  表:\n    label: 表\n    table:\n      columns: {甲: 甲, 乙: 乙, 合计: 合计}\n";

    #[test]
    fn import_hints_are_read_and_checked() {
        let text = format!(
            "import: {{fingerprints: [甲字, 乙字], years: {{from: 2019, to: 2020}}}}\n{TABLE}      total: 合计\n      relations:\n        - {{left: [总], right: [组]}}\n      rows:\n        总: 总\n        组:\n          label: 组\n          rows: {{一: {{label: 一行, also: [第一行, 首行]}}, 二: 二行}}\n"
        );
        let s = parse_text(&text).unwrap();
        assert_eq!(s.import.fingerprints, ["甲字", "乙字"]);
        assert_eq!(s.import.years, Some((2019, Some(2020))));
        let [h] = &s.import.tables[..] else { panic!() };
        assert_eq!(h.total.as_deref(), Some("合计"));
        assert_eq!(
            h.relations,
            [Relation {
                left: vec!["总".into()],
                right: vec!["组".into()]
            }]
        );
        let one = s.child(s.child(h.table, "组").unwrap(), "一").unwrap();
        assert_eq!(s.node(one).also, ["第一行", "首行"]);

        let bad_total = format!("{TABLE}      total: 丙\n      rows: {{总: 总}}\n");
        assert!(parse_text(&bad_total).unwrap_err().message.contains("丙"));
        let bad_row = format!(
            "{TABLE}      relations: [{{left: [总], right: [无]}}]\n      rows: {{总: 总}}\n"
        );
        assert!(parse_text(&bad_row).unwrap_err().message.contains("无"));
        let bad_year =
            format!("import: {{years: {{from: 明年}}}}\n{TABLE}      rows: {{总: 总}}\n");
        assert!(parse_text(&bad_year).unwrap_err().message.contains("明年"));
    }

    #[test]
    fn builtin_formats_have_the_national_rows() {
        let reg = Registry::builtin();
        assert_eq!(reg.names(), ["2019", "2021"]);
        for (name, leaves) in [("2019", 23), ("2021", 25)] {
            let s = reg.by_name(name).unwrap();
            let table = s.child(ROOT, "申请").unwrap();
            let mut rows = vec![];
            s.rows_below(table, &mut rows);
            assert_eq!(rows.len(), leaves, "{name}");
            let cell = s
                .child(
                    s.child(
                        s.child(s.child(table, "办理结果").unwrap(), "无法提供")
                            .unwrap(),
                        "不掌握",
                    )
                    .unwrap(),
                    "总计",
                )
                .unwrap();
            assert_eq!(s.path(cell), "申请.办理结果.无法提供.不掌握.总计");
            assert_eq!(
                s.label(cell),
                "三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息 / 总计"
            );
            assert!(s.sample.is_some());
        }
    }
}
