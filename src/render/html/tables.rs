//! The report's tables drawn as the official tables: labels from the schema, row groups as
//! merged label cells, the header from the table's `print:` block (corner note, a heading
//! over every column, column groups, rows printed across), and the cells of every finding
//! marked with the finding's number.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{clip, escape, M};
use crate::document::Document;
use crate::finding::{Finding, Severity};
use crate::schema::{SKind, SNodeId, Schema, ROOT};
use crate::yaml::{self, NodeId, NodeKind, Tree};

/// The printed layout of a table, from its `print:` block in the schema file.
#[derive(Debug, Clone, Default)]
pub(super) struct Print {
    /// The text of the top-left cell (a note, or the label column's heading).
    corner: Option<String>,
    /// A heading over every column.
    heading: Option<String>,
    /// Column groups: a label over these column keys.
    groups: Vec<(String, Vec<String>)>,
    /// Rows printed side by side as groups of columns, in one line of cells.
    across: bool,
}

pub(super) type Layouts = HashMap<String, Print>;

/// How the cells of one report are marked: by key path, the findings that name them.
#[derive(Default)]
struct Marks {
    cells: HashMap<String, Mark>,
}

#[derive(Default)]
struct Mark {
    /// Positions of the findings (in the report's list).
    findings: Vec<usize>,
    worst: Option<Severity>,
    /// The value the repair writes here.
    fix_to: Option<String>,
}

impl Mark {
    fn add(&mut self, i: usize, s: Severity) {
        if !self.findings.contains(&i) {
            self.findings.push(i);
        }
        self.worst = Some(self.worst.map_or(s, |w| w.max(s)));
    }
}

/// Every table the document has, in the schema's order; those with marked cells first
/// in view, the others folded.
pub(super) fn draw(
    o: &mut String,
    doc: &Document,
    findings: &[Finding],
    fid: &dyn Fn(usize) -> String,
    layouts: &Layouts,
) {
    let schema = &doc.schema;
    let mut marks = Marks::default();
    for (i, f) in findings.iter().enumerate() {
        // Last year's cells are not in these tables.
        for c in f.cells.iter().filter(|c| c.is_local()) {
            marks
                .cells
                .entry(c.path.to_string())
                .or_default()
                .add(i, f.severity);
        }
        for e in f.fix.iter().flat_map(|x| &x.edits) {
            let m = marks.cells.entry(e.path.to_string()).or_default();
            m.add(i, f.severity);
            m.fix_to = e.to.clone();
        }
    }
    // A finding without cells (a split row, an unknown key) marks the row it is on.
    let mut row_marks: HashMap<SNodeId, Vec<usize>> = HashMap::new();
    let mut tables = Vec::new();
    collect_tables(schema, ROOT, &mut tables);
    let tables: Vec<SNodeId> = tables
        .into_iter()
        .filter(|&t| doc.nodes[t].is_some())
        .collect();
    for (i, f) in findings.iter().enumerate() {
        if !f.cells.is_empty() {
            continue;
        }
        if let Some(row) = row_at(doc, &tables, f.span.start) {
            row_marks.entry(row).or_default().push(i);
        }
    }
    let (marked, plain): (Vec<SNodeId>, Vec<SNodeId>) = tables.iter().partition(|&&t| {
        let mut scalars = Vec::new();
        all_scalars(schema, t, &mut scalars);
        scalars
            .iter()
            .any(|&s| marks.cells.contains_key(&schema.path(s)))
            || row_marks.keys().any(|&r| schema.table_of(r) == Some(t))
    });
    let ctx = Ctx {
        doc,
        marks: &marks,
        rows: &row_marks,
        fid,
    };
    for &t in &marked {
        let print = layouts.get(&schema.path(t)).cloned().unwrap_or_default();
        draw_table(o, &ctx, t, &print);
    }
    if !plain.is_empty() {
        let _ = writeln!(
            o,
            "<details class=\"more\"><summary>{}</summary>",
            escape(&M::MoreTables { n: plain.len() }.to_string())
        );
        for &t in &plain {
            let print = layouts.get(&schema.path(t)).cloned().unwrap_or_default();
            draw_table(o, &ctx, t, &print);
        }
        o.push_str("</details>\n");
    }
}

/// The `print:` blocks of a schema file: `fields` → … → `table` → `print`, by dotted path.
pub(super) fn read_layouts(text: &str) -> Layouts {
    let mut out = Layouts::new();
    let Ok(tree) = yaml::parse(text, yaml::Limits::default()) else {
        return out;
    };
    if let Some(fields) = tree.get(tree.root, "fields") {
        walk_layouts(&tree, fields.value, "", &mut out);
    }
    out
}

fn walk_layouts(tree: &Tree, fields: NodeId, prefix: &str, out: &mut Layouts) {
    let Some(entries) = tree.entries(fields) else {
        return;
    };
    for e in entries {
        let path = if prefix.is_empty() {
            e.key.to_string()
        } else {
            format!("{prefix}.{}", e.key)
        };
        if let Some(sub) = tree.get(e.value, "fields") {
            walk_layouts(tree, sub.value, &path, out);
        }
        let Some(print) = tree
            .get(e.value, "table")
            .and_then(|t| tree.get(t.value, "print"))
        else {
            continue;
        };
        let p = print.value;
        let text = |key: &str| -> Option<String> {
            match &tree.node(tree.get(p, key)?.value).kind {
                NodeKind::Scalar { text, .. } => Some(text.trim().to_string()),
                _ => None,
            }
        };
        let mut groups = Vec::new();
        if let Some(g) = tree.get(p, "groups").and_then(|g| tree.entries(g.value)) {
            for ge in g {
                let keys = match &tree.node(ge.value).kind {
                    NodeKind::Seq(items) => items
                        .iter()
                        .filter_map(|&i| match &tree.node(i).kind {
                            NodeKind::Scalar { text, .. } => Some(text.trim().to_string()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                groups.push((ge.key.to_string(), keys));
            }
        }
        out.insert(
            path,
            Print {
                corner: text("corner"),
                heading: text("heading"),
                groups,
                across: text("across").as_deref() == Some("true"),
            },
        );
    }
}

fn collect_tables(schema: &Schema, id: SNodeId, out: &mut Vec<SNodeId>) {
    for &c in &schema.node(id).children {
        match schema.node(c).kind {
            SKind::Table { .. } => out.push(c),
            SKind::Group => collect_tables(schema, c, out),
            _ => {}
        }
    }
}

fn all_scalars(schema: &Schema, id: SNodeId, out: &mut Vec<SNodeId>) {
    for &c in &schema.node(id).children {
        match schema.node(c).kind {
            SKind::Scalar { .. } => out.push(c),
            SKind::Row | SKind::RowGroup => all_scalars(schema, c, out),
            _ => {}
        }
    }
}

/// The deepest drawn row whose written text holds a byte offset (from the start of its
/// key's line, so a finding at the key counts).
fn row_at(doc: &Document, tables: &[SNodeId], at: usize) -> Option<SNodeId> {
    let mut best: Option<(SNodeId, usize)> = None;
    for &t in tables {
        let mut stack = vec![t];
        while let Some(n) = stack.pop() {
            let node = doc.schema.node(n);
            if !matches!(
                node.kind,
                SKind::Row | SKind::RowGroup | SKind::Table { .. }
            ) {
                continue;
            }
            if let (Some(y), false) = (doc.nodes[n], matches!(node.kind, SKind::Table { .. })) {
                let span = &doc.tree.node(y).span;
                let from = line_start_of_key(&doc.source.text, span.start);
                if at >= from && at < span.end {
                    let width = span.end - from;
                    if best.is_none_or(|(_, w)| width < w) {
                        best = Some((n, width));
                    }
                }
            }
            stack.extend(node.children.iter().copied());
        }
    }
    best.map(|(n, _)| n)
}

/// Where the key of a value starting at `start` begins: its own line for `key: {…}`, the line
/// before for a block value (which starts on the line after its key).
fn line_start_of_key(text: &str, start: usize) -> usize {
    let before = text.get(..start).unwrap_or("");
    let line = before.rfind('\n').map_or(0, |p| p + 1);
    if before[line..].chars().all(|c| c == ' ') && line > 0 {
        before[..line - 1].rfind('\n').map_or(0, |p| p + 1)
    } else {
        line
    }
}

struct Ctx<'a, 'd> {
    doc: &'a Document<'d>,
    marks: &'a Marks,
    rows: &'a HashMap<SNodeId, Vec<usize>>,
    fid: &'a dyn Fn(usize) -> String,
}

/// A drawn row: the row, its row groups from the table down, and its printed label.
struct Line {
    row: SNodeId,
    groups: Vec<SNodeId>,
}

fn present(doc: &Document, id: SNodeId) -> bool {
    !doc.schema.node(id).optional || doc.nodes[id].is_some()
}

fn lines(doc: &Document, id: SNodeId, groups: &mut Vec<SNodeId>, out: &mut Vec<Line>) {
    for &c in &doc.schema.node(id).children {
        if !present(doc, c) {
            continue;
        }
        match doc.schema.node(c).kind {
            SKind::Row => out.push(Line {
                row: c,
                groups: groups.clone(),
            }),
            SKind::RowGroup => {
                groups.push(c);
                lines(doc, c, groups, out);
                groups.pop();
            }
            _ => {}
        }
    }
}

fn draw_table(o: &mut String, ctx: &Ctx, table: SNodeId, print: &Print) {
    let doc = ctx.doc;
    let schema = &doc.schema;
    let SKind::Table { columns } = &schema.node(table).kind else {
        return;
    };
    let mut rows = Vec::new();
    lines(doc, table, &mut Vec::new(), &mut rows);
    // Optional columns are drawn when the report fills them.
    let columns: Vec<SNodeId> = columns
        .iter()
        .copied()
        .filter(|&c| {
            let col = schema.node(c);
            !col.optional
                || rows.iter().any(|l| {
                    schema
                        .child(l.row, &col.key)
                        .and_then(|s| slot_of(schema, s))
                        .is_some_and(|slot| doc.cells[slot].written)
                })
        })
        .collect();
    // The caption: the labels of the groups above the table, and its own.
    let mut caption = Vec::new();
    let mut at = Some(table);
    while let Some(n) = at.filter(|&n| n != ROOT) {
        caption.push(schema.node(n).label.as_str());
        at = schema.node(n).parent;
    }
    caption.reverse();
    let _ = write!(
        o,
        "<div class=\"tw\"><table class=\"official{}\">\n<caption>{}</caption>\n",
        if print.across { " across" } else { "" },
        escape(&caption.join(" · "))
    );
    if print.across {
        draw_across(o, ctx, &rows, &columns);
    } else {
        draw_grid(o, ctx, &rows, &columns, print);
    }
    o.push_str("</table></div>\n");
}

fn slot_of(schema: &Schema, id: SNodeId) -> Option<usize> {
    match schema.node(id).kind {
        SKind::Scalar { slot, .. } => Some(slot),
        _ => None,
    }
}

/// Rows down, columns across, label columns as deep as the row groups; the header from the
/// column groups and heading of `print`.
fn draw_grid(o: &mut String, ctx: &Ctx, rows: &[Line], columns: &[SNodeId], print: &Print) {
    let schema = &ctx.doc.schema;
    let depth = rows.iter().map(|l| l.groups.len() + 1).max().unwrap_or(1);
    let group_of = |key: &str| {
        print
            .groups
            .iter()
            .position(|(_, keys)| keys.iter().any(|k| k == key))
    };
    let grouped = columns
        .iter()
        .any(|&c| group_of(&schema.node(c).key).is_some());
    let height = usize::from(print.heading.is_some()) + if grouped { 2 } else { 1 };
    o.push_str("<thead>\n<tr>");
    let _ = write!(
        o,
        "<td class=\"corner\" rowspan=\"{height}\" colspan=\"{depth}\">{}</td>",
        escape(print.corner.as_deref().unwrap_or(""))
    );
    if let Some(h) = &print.heading {
        let _ = write!(
            o,
            "<th scope=\"colgroup\" colspan=\"{}\">{}</th></tr>\n<tr>",
            columns.len(),
            escape(h)
        );
    }
    let mut second = String::new();
    let mut i = 0;
    while i < columns.len() {
        let col = schema.node(columns[i]);
        match group_of(&col.key).filter(|_| grouped) {
            Some(g) => {
                let n = columns[i..]
                    .iter()
                    .take_while(|&&c| group_of(&schema.node(c).key) == Some(g))
                    .count();
                let _ = write!(
                    o,
                    "<th scope=\"colgroup\" colspan=\"{n}\">{}</th>",
                    escape(&print.groups[g].0)
                );
                for &c in &columns[i..i + n] {
                    let _ = write!(
                        second,
                        "<th scope=\"col\">{}</th>",
                        escape(&schema.node(c).label)
                    );
                }
                i += n;
            }
            None => {
                let span = if grouped { " rowspan=\"2\"" } else { "" };
                let _ = write!(o, "<th scope=\"col\"{span}>{}</th>", escape(&col.label));
                i += 1;
            }
        }
    }
    o.push_str("</tr>\n");
    if grouped {
        let _ = writeln!(o, "<tr>{second}</tr>");
    }
    o.push_str("</thead>\n<tbody>\n");
    let mut opened: Vec<SNodeId> = Vec::new();
    for line in rows {
        o.push_str("<tr>");
        for (level, &g) in line.groups.iter().enumerate() {
            if opened.get(level) == Some(&g) {
                continue;
            }
            opened.truncate(level);
            opened.push(g);
            let n = rows.iter().filter(|l| l.groups.contains(&g)).count();
            let _ = write!(
                o,
                "<th scope=\"rowgroup\" rowspan=\"{n}\" class=\"rg\">{}</th>",
                escape(&schema.node(g).label)
            );
        }
        opened.truncate(line.groups.len());
        row_header(o, ctx, line.row, depth - line.groups.len());
        for &c in columns {
            cell(o, ctx, line.row, &schema.node(c).key);
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n");
}

fn row_header(o: &mut String, ctx: &Ctx, row: SNodeId, colspan: usize) {
    let label = escape(&ctx.doc.schema.node(row).label);
    let span = if colspan > 1 {
        format!(" colspan=\"{colspan}\"")
    } else {
        String::new()
    };
    match ctx.rows.get(&row) {
        Some(fs) => {
            let ids: Vec<String> = fs.iter().map(|&i| (ctx.fid)(i)).collect();
            let nums: Vec<String> = fs.iter().map(|i| (i + 1).to_string()).collect();
            let _ = write!(
                o,
                "<th scope=\"row\"{span} class=\"mk\" data-f=\"{}\">{label}<sup>{}</sup></th>",
                ids.join(" "),
                nums.join(",")
            );
        }
        None => {
            let _ = write!(o, "<th scope=\"row\"{span}>{label}</th>");
        }
    }
}

/// Each row a group of columns, side by side, in one line of cells; `·` in a row's label
/// nests it under the group before the dot.
fn draw_across(o: &mut String, ctx: &Ctx, rows: &[Line], columns: &[SNodeId]) {
    let schema = &ctx.doc.schema;
    let parts: Vec<Vec<&str>> = rows
        .iter()
        .map(|l| schema.node(l.row).label.split('·').collect())
        .collect();
    let levels = parts.iter().map(Vec::len).max().unwrap_or(1);
    let n = columns.len();
    o.push_str("<thead>\n");
    for level in 0..=levels {
        o.push_str("<tr>");
        let mut r = 0;
        while r < rows.len() {
            let p = &parts[r];
            if level < p.len() {
                let run = parts[r..]
                    .iter()
                    .take_while(|q| q.len() > level && q[..=level] == p[..=level])
                    .count();
                let _ = write!(
                    o,
                    "<th scope=\"colgroup\" colspan=\"{}\">{}</th>",
                    run * n,
                    escape(p[level])
                );
                r += run;
                continue;
            }
            if level == p.len() {
                let span = levels + 1 - level;
                for &c in columns {
                    let rs = if span > 1 {
                        format!(" rowspan=\"{span}\"")
                    } else {
                        String::new()
                    };
                    let _ = write!(
                        o,
                        "<th scope=\"col\"{rs}>{}</th>",
                        escape(&schema.node(c).label)
                    );
                }
            }
            r += 1;
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</thead>\n<tbody>\n<tr>");
    for line in rows {
        for &c in columns {
            cell(o, ctx, line.row, &schema.node(c).key);
        }
    }
    o.push_str("</tr>\n</tbody>\n");
}

/// One cell: the value as written, marked when findings name it.
fn cell(o: &mut String, ctx: &Ctx, row: SNodeId, key: &str) {
    let doc = ctx.doc;
    let schema = &doc.schema;
    let Some(id) = schema.child(row, key) else {
        o.push_str("<td></td>");
        return;
    };
    let Some(slot) = slot_of(schema, id) else {
        o.push_str("<td></td>");
        return;
    };
    let c = &doc.cells[slot];
    let text = if c.written {
        clip(doc.source.slice(&c.span).trim(), 24)
    } else {
        String::new()
    };
    let mark = if ctx.marks.cells.is_empty() {
        None
    } else {
        ctx.marks.cells.get(&schema.path(id))
    };
    let Some(m) = mark else {
        if c.written {
            let _ = write!(o, "<td>{}</td>", escape(&text));
        } else {
            let _ = write!(
                o,
                "<td class=\"missing\">{}</td>",
                escape(&M::Missing.to_string())
            );
        }
        return;
    };
    let sev = match m.worst {
        Some(Severity::Error) => "e",
        Some(Severity::Warning) => "w",
        _ => "i",
    };
    let ids: Vec<String> = m.findings.iter().map(|&i| (ctx.fid)(i)).collect();
    let nums: Vec<String> = m.findings.iter().map(|i| (i + 1).to_string()).collect();
    let fix = if m.fix_to.is_some() { " fix" } else { "" };
    let _ = write!(
        o,
        "<td class=\"mk {sev}{fix}\" data-f=\"{}\"><span class=\"v\">{}</span>",
        ids.join(" "),
        escape(&text)
    );
    if let Some(to) = &m.fix_to {
        let _ = write!(o, "<span class=\"to\">→{}</span>", escape(to));
    }
    let _ = write!(o, "<sup>{}</sup></td>", nums.join(","));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_print_layouts_from_the_builtin_schemas() {
        let formats = crate::schema::BUILTIN
            .iter()
            .filter(|(path, _)| !path.ends_with(".sample.yaml"));
        for (_, text) in formats {
            let l = read_layouts(text);
            let t3 = &l["申请"];
            assert_eq!(t3.heading.as_deref(), Some("申请人情况"));
            assert_eq!(t3.groups[0].0, "法人或其他组织");
            assert!(t3.groups[0].1.contains(&"商业企业".to_string()));
            assert!(l["复议诉讼"].across);
            assert_eq!(l["主动公开.第一项"].corner.as_deref(), Some("信息内容"));
        }
    }
}
