//! The national templates as the importer sees them, built from the built-in
//! schemas (`rules/formats/*.yaml`, through [`Registry`]): row keys and labels
//! (the official one first, then the schema's `also:`), column keys and the
//! headers the template prints, the sums a table keeps (`total:`,
//! `relations:`, `print: {across: true}`), and what tells the formats apart
//! (`import: {fingerprints, years}`). Nothing of the template is written here:
//! a new template variant is a change to the schema files.

use std::sync::LazyLock;

use crate::schema::{Registry, SKind, SNodeId, Schema, TableHints, ROOT};

/// The built-in schemas, loaded once.
static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::builtin);

/// Which format a report follows: the name of a built-in schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(&'static str);

impl Version {
    pub const V2019: Version = Version("2019");
    pub const V2021: Version = Version("2021");

    pub fn name(self) -> &'static str {
        self.0
    }

    /// Every format the importer reads against, in the registry's order.
    pub fn all() -> Vec<Version> {
        let reg: &'static Registry = &REGISTRY;
        reg.schemas
            .iter()
            .map(|s| Version(s.name.as_str()))
            .collect()
    }

    fn schema(self) -> Option<&'static Schema> {
        let reg: &'static Registry = &REGISTRY;
        reg.by_name(self.0).map(|s| &**s)
    }

    /// The format the schemas name for reports of `year` (`import: {years}`).
    pub fn for_year(year: u32) -> Option<Version> {
        let y = i64::from(year);
        Version::all().into_iter().find(|v| {
            v.schema()
                .and_then(|s| s.import.years)
                .is_some_and(|(from, to)| y >= from && to.is_none_or(|to| y <= to))
        })
    }

    /// The first year any format is for: earlier reports follow none of them.
    pub fn first_year() -> Option<i64> {
        Version::all()
            .into_iter()
            .filter_map(|v| Some(v.schema()?.import.years?.0))
            .min()
    }

    /// Words only this format's tables print (`import: {fingerprints}`).
    pub fn fingerprints(self) -> &'static [String] {
        self.schema()
            .map_or(&[][..], |s| s.import.fingerprints.as_slice())
    }
}

/// How the cells of one row relate; used to choose between splits of digits
/// that were run together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumRule {
    /// No relation known (section 二).
    None,
    /// The last column is the sum of the others (section 三).
    LastIsSum,
    /// Groups of five, each fifth the sum of the four before it (section 四).
    Fives,
}

/// The report section a table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Active,
    Requests,
    Appeals,
    Problems,
    Other,
}

#[derive(Debug, Clone)]
pub struct RowSpec {
    /// Keys from the table down to this row, e.g. `["办理结果", "不予公开", "国家秘密"]`.
    pub path: Vec<&'static str>,
    /// Official label first, then accepted variants.
    pub labels: Vec<&'static str>,
    /// A group row (its cells normally live in its children).
    pub group: bool,
    pub optional: bool,
}

/// One column: its key in the document and the header the template prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub label: &'static str,
}

/// A relation between rows, column by column, by row index: the rows of
/// `left` add up to those of `right`; `text` names it in problems.
#[derive(Debug, Clone)]
pub struct RowRelation {
    pub left: Vec<usize>,
    pub right: Vec<usize>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub section: Section,
    /// Keys from the document root to the table.
    pub path: Vec<&'static str>,
    pub columns: Vec<ColumnSpec>,
    pub rows: Vec<RowSpec>,
    pub rule: SumRule,
    /// The key under which the document records printed column headers, for
    /// the tables whose schema declares `headers:` (2019 第九项: `表头`).
    pub headers: Option<&'static str>,
    pub relations: Vec<RowRelation>,
}

impl TableSpec {
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    pub fn column_keys(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.key).collect()
    }
}

/// The section a top-level field's label starts (`三、收到和处理…` → requests),
/// recognised as a heading in a report is.
fn section_of(label: &str) -> Option<Section> {
    super::tokens::headings(label)
        .first()
        .filter(|(r, _)| r.start == 0)
        .map(|(_, s)| *s)
}

/// Every table of one format, in document order.
pub fn tables(v: Version) -> Vec<TableSpec> {
    let Some(schema) = v.schema() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &top in &schema.node(ROOT).children {
        let Some(section) = section_of(&schema.node(top).label) else {
            continue;
        };
        collect(schema, top, section, &mut out);
    }
    out
}

fn collect(schema: &'static Schema, id: SNodeId, section: Section, out: &mut Vec<TableSpec>) {
    let node = schema.node(id);
    match &node.kind {
        SKind::Group => {
            for &c in &node.children {
                collect(schema, c, section, out);
            }
        }
        SKind::Table { columns } => {
            let hints = schema.import.tables.iter().find(|h| h.table == id);
            out.push(table(schema, id, columns, section, hints));
        }
        _ => {}
    }
}

fn key_path(schema: &'static Schema, from: SNodeId, id: SNodeId) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let mut at = Some(id);
    while let Some(n) = at.filter(|&n| n != from) {
        keys.push(schema.node(n).key.as_str());
        at = schema.node(n).parent;
    }
    keys.reverse();
    keys
}

fn table(
    schema: &'static Schema,
    id: SNodeId,
    columns: &[SNodeId],
    section: Section,
    hints: Option<&TableHints>,
) -> TableSpec {
    let columns: Vec<ColumnSpec> = columns
        .iter()
        .map(|&c| schema.node(c))
        .filter(|c| !c.optional)
        .map(|c| ColumnSpec {
            key: c.key.as_str(),
            label: c.label.as_str(),
        })
        .collect();
    let mut rows = Vec::new();
    rows_of(schema, id, id, &mut rows);
    let headers = schema
        .node(id)
        .children
        .iter()
        .map(|&c| schema.node(c))
        .find(|c| c.kind == SKind::Group)
        .map(|c| c.key.as_str());
    let total_last = hints
        .and_then(|h| h.total.as_deref())
        .is_some_and(|t| columns.last().is_some_and(|c| c.key == t));
    let rule = match hints {
        Some(h) if total_last && h.across => SumRule::Fives,
        Some(_) if total_last => SumRule::LastIsSum,
        _ => SumRule::None,
    };
    let relations = hints
        .map(|h| {
            h.relations
                .iter()
                .map(|rel| relation(&rows, &rel.left, &rel.right))
                .collect()
        })
        .unwrap_or_default();
    TableSpec {
        section,
        path: key_path(schema, ROOT, id),
        columns,
        rows,
        rule,
        headers,
        relations,
    }
}

fn rows_of(schema: &'static Schema, table: SNodeId, id: SNodeId, out: &mut Vec<RowSpec>) {
    for &c in &schema.node(id).children {
        let n = schema.node(c);
        let group = match n.kind {
            SKind::Row => false,
            SKind::RowGroup => true,
            _ => continue,
        };
        let labels = std::iter::once(n.label.as_str())
            .chain(n.also.iter().map(String::as_str))
            .collect();
        out.push(RowSpec {
            path: key_path(schema, table, c),
            labels,
            group,
            optional: n.optional,
        });
        if group {
            rows_of(schema, table, c, out);
        }
    }
}

/// A relation's row paths as row indices: a row as itself, a group of rows as
/// its template rows (neither groups nor optional) that the other side does
/// not name. Printed as `办理结果.总计 = Σ 办理结果`.
fn relation(rows: &[RowSpec], left: &[String], right: &[String]) -> RowRelation {
    let index = |p: &str| rows.iter().position(|r| r.path.join(".") == p);
    let named: Vec<usize> = left.iter().chain(right).filter_map(|p| index(p)).collect();
    let side = |paths: &[String]| -> Vec<usize> {
        let mut out = Vec::new();
        for p in paths {
            let Some(i) = index(p) else { continue };
            if !rows[i].group {
                out.push(i);
                continue;
            }
            let prefix = &rows[i].path;
            out.extend((0..rows.len()).filter(|&o| {
                let r = &rows[o];
                r.path.len() > prefix.len()
                    && r.path.starts_with(prefix)
                    && !r.group
                    && !r.optional
                    && !named.contains(&o)
            }));
        }
        out
    };
    let show = |paths: &[String]| -> String {
        paths
            .iter()
            .map(|p| match index(p) {
                Some(i) if rows[i].group => format!("Σ {p}"),
                _ => p.clone(),
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    RowRelation {
        left: side(left),
        right: side(right),
        text: format!("{} = {}", show(left), show(right)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_expand_groups_to_their_template_rows() {
        let t = tables(Version::V2021);
        let req = t.iter().find(|t| t.path == ["申请"]).unwrap();
        let [results, balance] = &req.relations[..] else {
            panic!("two relations")
        };
        assert_eq!(results.text, "办理结果.总计 = Σ 办理结果");
        assert_eq!(balance.text, "新收 + 上年结转 = 办理结果.总计 + 结转");
        // 予以公开, 部分公开, 8 + 3 + 5 + 3 sub-rows; neither 小计 nor 总计
        assert_eq!(results.right.len(), 21);
        assert_eq!(results.left.len(), 1);
        assert_eq!(req.rule, SumRule::LastIsSum);
        let appeals = t.iter().find(|t| t.path == ["复议诉讼"]).unwrap();
        assert_eq!(appeals.rule, SumRule::Fives);
        assert_eq!(appeals.section, Section::Appeals);
        assert!(t
            .iter()
            .all(|t| t.path[0] != "主动公开" || t.rule == SumRule::None));
    }

    #[test]
    fn formats_by_year_from_the_schemas() {
        assert_eq!(Version::for_year(2018), None);
        assert_eq!(Version::for_year(2020), Some(Version::V2019));
        assert_eq!(Version::for_year(2024), Some(Version::V2021));
        assert_eq!(Version::first_year(), Some(2019));
        assert!(Version::V2019
            .fingerprints()
            .iter()
            .any(|f| f == "政府集中采购"));
    }
}
