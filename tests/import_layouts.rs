//! Same answer in every layout (issue 13): the balanced sample of each built-in format
//! (`rules/formats/*.sample.yaml`), with blank-cell and one-row （六） variants, is printed
//! in every layout the importer reads — tab, pipe, one cell per line, one paragraph per
//! cell, markdown, HTML, DOCX, PDF text with digits run together, GBK — and each import
//! must give the source document back exactly: every table cell, and 机关, 年度, 格式.
//! Only where the printed text cannot determine a cell (a blank lost in a line of PDF text,
//! and what no sum settles without that row) are cells left out: exactly the rows of
//! [`PDF_BLANKS_LEFT_OUT`], each named by a problem. A wrong value is never allowed.
//!
//! The printed report is built from the schema (labels, order) and the document (values),
//! not from the importer's template.

use std::collections::BTreeMap;

use gouji::import::{Imported, Severity};
use gouji::schema::{Registry, SKind, SNodeId, Schema, ROOT};
use gouji::yaml::{parse, Limits};

#[path = "common/yaml_cells.rs"]
mod yaml_cells;
use yaml_cells::{docx_bytes, flatten};

/// The cells a comparison covers: the tables (with printed headers) and 机关, 年度, 格式.
fn cells(yaml: &str) -> BTreeMap<String, String> {
    let tree = parse(yaml, Limits::default()).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
    let mut out = BTreeMap::new();
    flatten(&tree, tree.root, "", &mut out);
    out.into_iter()
        .filter(|(k, _)| {
            ["主动公开.", "申请.", "复议诉讼."]
                .iter()
                .any(|p| k.starts_with(p))
                || ["机关", "年度", "格式"].contains(&k.as_str())
        })
        .collect()
}

/// One piece of a printed report: a line of text, or a table row (label and cells, `""` blank).
#[derive(Clone)]
enum Item {
    Line(String),
    /// A table starts (HTML and DOCX open a new table).
    Table,
    Row(String, Vec<String>),
}

/// The report `doc` (cells by path) printed as the schema lays it out.
fn printed(schema: &Schema, doc: &BTreeMap<String, String>) -> Vec<Item> {
    let mut items = vec![
        Item::Line(format!(
            "{}{}年政府信息公开工作年度报告",
            doc["机关"], doc["年度"]
        )),
        Item::Line("一、总体情况".into()),
        Item::Line("本机关依法主动公开政府信息，按时答复申请。".into()),
    ];
    for &top in &schema.node(ROOT).children {
        let node = schema.node(top);
        if node.optional || !matches!(node.kind, SKind::Group | SKind::Table { .. }) {
            continue;
        }
        items.push(Item::Line(node.label.clone()));
        let tables: Vec<SNodeId> = match node.kind {
            SKind::Table { .. } => vec![top],
            _ => node.children.clone(),
        };
        for t in tables {
            table(schema, t, doc, &mut items);
        }
    }
    for l in [
        "五、存在的主要问题及改进情况",
        "无。",
        "六、其他需要报告的事项",
        "无。",
    ] {
        items.push(Item::Line(l.into()));
    }
    items
}

fn table(schema: &Schema, t: SNodeId, doc: &BTreeMap<String, String>, items: &mut Vec<Item>) {
    let node = schema.node(t);
    let SKind::Table { columns } = &node.kind else {
        return;
    };
    let path = schema.path(t);
    let cols: Vec<(&str, String)> = columns
        .iter()
        .map(|&c| schema.node(c))
        .filter(|c| !c.optional)
        .map(|c| {
            let header = doc
                .get(&format!("{path}.表头.{}", c.key))
                .cloned()
                .unwrap_or_else(|| c.label.clone());
            (c.key.as_str(), header)
        })
        .collect();
    if path.starts_with("主动公开") {
        items.push(Item::Line(node.label.clone()));
    }
    items.push(Item::Table);
    let across = path == "复议诉讼";
    if across {
        let mut header = Vec::new();
        let mut values = Vec::new();
        for &r in &node.children {
            let row = schema.node(r);
            header.extend(cols.iter().map(|(_, h)| format!("{}{h}", row.key)));
            let rp = schema.path(r);
            values.extend(cols.iter().map(|(k, _)| doc[&format!("{rp}.{k}")].clone()));
        }
        items.push(Item::Row("复议诉讼".into(), header));
        items.push(Item::Row(String::new(), values));
        return;
    }
    let corner = if path == "申请" {
        "申请人情况"
    } else {
        "信息内容"
    };
    items.push(Item::Row(
        corner.into(),
        cols.iter().map(|(_, h)| h.clone()).collect(),
    ));
    rows(schema, t, doc, &cols, items);
}

fn rows(
    schema: &Schema,
    parent: SNodeId,
    doc: &BTreeMap<String, String>,
    cols: &[(&str, String)],
    items: &mut Vec<Item>,
) {
    for &r in &schema.node(parent).children {
        let row = schema.node(r);
        let rp = schema.path(r);
        let values: Option<Vec<String>> = cols
            .iter()
            .map(|(k, _)| doc.get(&format!("{rp}.{k}")).cloned())
            .collect();
        match (&row.kind, values) {
            (SKind::Row | SKind::RowGroup, Some(v)) => items.push(Item::Row(row.label.clone(), v)),
            (SKind::RowGroup, None) => {
                items.push(Item::Row(row.label.clone(), vec![]));
                rows(schema, r, doc, cols, items);
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------- layouts

type Layout = fn(&[Item]) -> Vec<u8>;

fn text_layout(items: &[Item], row: &dyn Fn(&str, &[String]) -> String) -> Vec<u8> {
    let mut s = String::new();
    for it in items {
        match it {
            Item::Line(l) => s += &format!("{l}\n"),
            Item::Table => {}
            Item::Row(label, cells) => s += &row(label, cells),
        }
    }
    s.into_bytes()
}

fn tab(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| format!("{l}\t{}\n", c.join("\t")))
}

fn pipe(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| format!("| {l} | {} |\n", c.join(" | ")))
}

fn markdown(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| {
        format!(
            "| {l} | {} |\n|---|{}\n",
            c.join(" | "),
            "---|".repeat(c.len())
        )
    })
}

/// One cell per line, a blank cell an empty line, a row ended by a line of bars.
fn cell_per_line(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| {
        let mut s = format!("{l}\n");
        for v in c {
            s += &format!("{v}\n");
        }
        s
    })
}

/// One paragraph per cell (as copied from a page): cells separated by blank lines, a
/// blank cell an empty paragraph (a line holding a no-break space).
fn paragraphs(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| {
        let mut s = format!("{l}\n\n");
        for v in c {
            let v = if v.is_empty() { "\u{a0}" } else { v };
            s += &format!("{v}\n\n");
        }
        s
    })
}

/// PDF text: a row on one line; the cells of section 三 printed two by two with no space
/// between them (as pdftotext joins narrow columns); a blank is nothing at all.
fn pdf_text(items: &[Item]) -> Vec<u8> {
    text_layout(items, &|l, c| {
        let glue = c.len() == 7 || c.len() == 8;
        let mut s = format!("{l}   ");
        for (i, v) in c.iter().enumerate() {
            s += v;
            if !(glue && i % 2 == 0) {
                s += "  ";
            }
        }
        s + "\n"
    })
}

fn gbk(items: &[Item]) -> Vec<u8> {
    let text = String::from_utf8(tab(items)).unwrap_or_default();
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}

fn html(items: &[Item]) -> Vec<u8> {
    let mut h = String::from("<html><body>");
    let mut open = false;
    for it in items {
        match it {
            Item::Line(l) => {
                if open {
                    h += "</table>";
                    open = false;
                }
                h += &format!("<p>{}</p>", esc(l));
            }
            Item::Table => {
                if open {
                    h += "</table>";
                }
                h += "<table>";
                open = true;
            }
            Item::Row(label, cells) => {
                h += &format!("<tr><td>{}</td>", esc(label));
                for c in cells {
                    let c = if c.is_empty() { "&nbsp;" } else { c };
                    h += &format!("<td>{c}</td>");
                }
                h += "</tr>";
            }
        }
    }
    if open {
        h += "</table>";
    }
    (h + "</body></html>").into_bytes()
}

fn docx(items: &[Item]) -> Vec<u8> {
    let p = |t: &str| format!("<w:p><w:r><w:t>{}</w:t></w:r></w:p>", esc(t));
    let mut body = String::new();
    let mut open = false;
    for it in items {
        match it {
            Item::Line(l) => {
                if open {
                    body += "</w:tbl>";
                    open = false;
                }
                body += &p(l);
            }
            Item::Table => {
                if open {
                    body += "</w:tbl>";
                }
                body += "<w:tbl>";
                open = true;
            }
            Item::Row(label, cells) => {
                body += "<w:tr>";
                for c in std::iter::once(label).chain(cells) {
                    if c.is_empty() {
                        body += "<w:tc><w:p/></w:tc>";
                    } else {
                        body += &format!("<w:tc>{}</w:tc>", p(c));
                    }
                }
                body += "</w:tr>";
            }
        }
    }
    if open {
        body += "</w:tbl>";
    }
    docx_bytes(&body)
}

const LAYOUTS: &[(&str, &str, Layout)] = &[
    ("tab", "txt", tab),
    ("pipe", "txt", pipe),
    ("cell-per-line", "txt", cell_per_line),
    ("paragraphs", "txt", paragraphs),
    ("markdown", "md", markdown),
    ("html", "html", html),
    ("docx", "docx", docx),
    ("pdf-text", "txt", pdf_text),
    ("gbk", "txt", gbk),
];

// ---------------------------------------------------------------- variants

/// The sample with some cells blank: a section-二 cell, a zero of section 三 and of 四.
fn blanks(doc: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut d = doc.clone();
    for k in [
        "主动公开.第六项.行政强制.处理决定数",
        "主动公开.第六项.行政强制.上一年项目数",
        "申请.上年结转.科研机构",
        "复议诉讼.行政复议.其他结果",
    ] {
        if let Some(v) = d.get_mut(k) {
            // a blank stands for nothing in the sums of 三 and 四 (二 has none)
            assert!(k.starts_with("主动公开") || v == "0", "{k}: {v}");
            v.clear();
        }
    }
    d
}

/// （六）其他处理 printed as one row: its sub-rows added up onto the group.
fn one_row_six(
    schema: &Schema,
    doc: &BTreeMap<String, String>,
) -> Option<BTreeMap<String, String>> {
    let six = "申请.办理结果.其他处理";
    if !doc.keys().any(|k| k.starts_with(&format!("{six}.其他."))) {
        return None;
    }
    let mut d: BTreeMap<String, String> = doc
        .iter()
        .filter(|(k, _)| !k.starts_with(&format!("{six}.")))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let table = schema.child(ROOT, "申请")?;
    let SKind::Table { columns } = &schema.node(table).kind else {
        return None;
    };
    for &c in columns {
        let col = &schema.node(c).key;
        let sum: i64 = doc
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{six}.")) && k.ends_with(&format!(".{col}")))
            .map(|(_, v)| v.parse::<i64>().unwrap_or(0))
            .sum();
        if !schema.node(c).optional {
            d.insert(format!("{six}.{col}"), sum.to_string());
        }
    }
    Some(d)
}

// ---------------------------------------------------------------- the comparison

/// The rows the printed text of the blanks variant in PDF text cannot determine, by format:
/// every other cell must be read exactly, and these must be left out, each named by a problem.
/// A blank printed as nothing on a line of PDF text leaves its row a number short: 行政强制
/// (section 二, no sums), 上年结转 (its digits run together, one number short of any split),
/// and the whole of 复议诉讼 (fourteen numbers for fifteen cells). The one sum that could
/// settle a row whose digits split two ways, 新收 + 上年结转 = 办理结果.总计 + 结转, needs
/// 上年结转: so 新收 (2021) and 结转 (2019) stay open too.
const PDF_BLANKS_LEFT_OUT: &[(&str, &[&str])] = &[
    (
        "2019",
        &[
            "主动公开.第六项.行政强制",
            "申请.上年结转",
            "申请.结转",
            "复议诉讼.行政复议",
            "复议诉讼.未经复议直接起诉",
            "复议诉讼.复议后起诉",
        ],
    ),
    (
        "2021",
        &[
            "主动公开.第六项.行政强制",
            "申请.新收",
            "申请.上年结转",
            "复议诉讼.行政复议",
            "复议诉讼.未经复议直接起诉",
            "复议诉讼.复议后起诉",
        ],
    ),
];

/// What an import got wrong, against `want`: cells differing, extra, or missing
/// without a problem naming their row; missing is allowed only in the rows `may_miss`,
/// and each of those must be left out.
fn compare(imp: &Imported, want: &BTreeMap<String, String>, may_miss: &[&str]) -> Vec<String> {
    let got = cells(&imp.yaml);
    let mut wrong = Vec::new();
    for (k, v) in &got {
        match want.get(k) {
            Some(w) if w == v => {}
            Some(w) => wrong.push(format!("{k}: {v:?}, source {w:?}")),
            None => wrong.push(format!("{k}: {v:?} is not in the source")),
        }
    }
    for (k, w) in want {
        if got.contains_key(k) {
            continue;
        }
        let row = k.rsplit_once('.').map_or(k.as_str(), |(r, _)| r);
        let named = imp
            .problems
            .iter()
            .any(|p| p.severity != Severity::Info && p.message.contains(row));
        if !(may_miss.contains(&row) && named) {
            wrong.push(format!(
                "{k}: {w:?} left out{}",
                if named {
                    ""
                } else {
                    " with no problem naming it"
                }
            ));
        }
    }
    for row in may_miss {
        if got.keys().any(|k| k.starts_with(&format!("{row}."))) {
            wrong.push(format!(
                "{row}: read, though the printed text cannot determine it"
            ));
        }
    }
    wrong
}

#[test]
fn balanced_samples_import_the_same_in_every_layout() {
    gouji::messages::set_lang(gouji::messages::Lang::En);
    let registry = Registry::builtin();
    let mut failures = Vec::new();
    let mut runs = 0;
    for schema in &registry.schemas {
        let sample = schema.sample.as_ref().expect("a sample");
        let doc = cells(&sample.text);
        let mut variants = vec![("sample", doc.clone()), ("blanks", blanks(&doc))];
        if let Some(six) = one_row_six(schema, &doc) {
            variants.push(("one-row-six", six));
        }
        for (variant, want) in &variants {
            let items = printed(schema, want);
            for (layout, ext, render) in LAYOUTS {
                runs += 1;
                let name = format!("{}-{variant}-{layout}.{ext}", schema.name);
                let imp = match gouji::import::import_bytes(&name, &render(&items)) {
                    Ok(imp) => imp,
                    Err(e) => {
                        failures.push(format!("{name}: refused: {e}"));
                        continue;
                    }
                };
                // only a blank printed as nothing in PDF text leaves a cell undetermined
                let may_miss = match (*layout, *variant) {
                    ("pdf-text", "blanks") => PDF_BLANKS_LEFT_OUT
                        .iter()
                        .find(|(f, _)| *f == schema.name)
                        .map_or(&[][..], |(_, rows)| rows),
                    _ => &[],
                };
                let wrong = compare(&imp, want, may_miss);
                if !wrong.is_empty() {
                    failures.push(format!("{name}:\n    {}", wrong.join("\n    ")));
                }
                // complete unless cells are left out; and never incomplete for nothing
                let missing = want.keys().any(|k| !cells(&imp.yaml).contains_key(k));
                if missing == imp.complete() {
                    let serious: Vec<String> = imp
                        .problems
                        .iter()
                        .filter(|p| p.severity != Severity::Info)
                        .map(|p| p.to_string())
                        .collect();
                    failures.push(format!(
                        "{name}: complete is {}, cells missing {missing}: {serious:?}",
                        imp.complete()
                    ));
                }
            }
        }
    }
    assert_eq!(runs, 2 * 2 * LAYOUTS.len() + LAYOUTS.len());
    assert!(
        failures.is_empty(),
        "{} of {runs}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
