//! The report YAML: metadata, the three tables in template order (one row
//! per line, as a flow mapping), the prose as block scalars.

use std::fmt::Write as _;

use super::assemble::Report;
use super::tokens::Val;
use super::{Problem, Severity};

/// A key or a text as YAML: plain when that is safe, double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    let plain_safe = !s.is_empty()
        && s.chars().all(|c| {
            ('\u{4e00}'..='\u{9fff}').contains(&c)
                || c.is_ascii_alphanumeric()
                || "（）、·“”《》〔〕_".contains(c)
                || (!c.is_ascii()
                    && !c.is_whitespace()
                    && !c.is_control()
                    && !"，：；！？「」【】".contains(c))
        })
        && !s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain_safe {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{85}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A cell as written: a number, `~` for a blank; None for a cell left out (a
/// number still carrying a unit is never written: placing converts or omits it).
fn cell(v: &Val) -> Option<&str> {
    match v {
        Val::Num(s) => Some(s),
        Val::Blank => Some("~"),
        Val::Amount(..) | Val::Omitted => None,
    }
}

fn flow(columns: &[&str], vals: &[Val]) -> String {
    let parts: Vec<String> = columns
        .iter()
        .zip(vals)
        .filter_map(|(c, v)| Some(format!("{}: {}", c, cell(v)?)))
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// A nested mapping under construction, in insertion order.
enum Node {
    Map(Vec<(String, Node)>),
    Row(String),
}

fn insert(map: &mut Vec<(String, Node)>, path: &[String], row: String) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        if !map.iter().any(|(k, _)| k == first) {
            map.push((first.clone(), Node::Row(row)));
        }
        return;
    }
    let idx = match map.iter().position(|(k, _)| k == first) {
        Some(i) => i,
        None => {
            map.push((first.clone(), Node::Map(Vec::new())));
            map.len() - 1
        }
    };
    if let Node::Map(m) = &mut map[idx].1 {
        insert(m, rest, row);
    }
}

fn emit(out: &mut String, map: &[(String, Node)], indent: usize) {
    for (k, n) in map {
        match n {
            Node::Row(r) => {
                let _ = writeln!(out, "{}{}: {}", " ".repeat(indent), scalar(k), r);
            }
            Node::Map(m) => {
                let _ = writeln!(out, "{}{}:", " ".repeat(indent), scalar(k));
                emit(out, m, indent + 2);
            }
        }
    }
}

fn block(out: &mut String, key: &str, text: &str) {
    let _ = writeln!(out, "  {key}: |");
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let clean: String = line
                .chars()
                .filter(|c| {
                    let bad = (c.is_control() && *c != '\t')
                        || matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}' | '\u{85}');
                    !bad
                })
                .collect();
            let _ = writeln!(out, "    {}", clean.trim());
        }
    }
}

/// Render the report as YAML.
pub fn render(r: &Report, file_name: &str, sha256: &str, problems: &[Problem]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Imported by gouji import from {}.",
        file_name.replace('\n', " ")
    );
    let _ = writeln!(
        out,
        "机关: {}",
        r.agency.as_deref().map_or("~".to_string(), scalar)
    );
    let _ = writeln!(
        out,
        "年度: {}",
        r.year.map_or("~".to_string(), |y| y.to_string())
    );
    let _ = writeln!(out, "格式: {}", r.version.name());
    let published = r
        .published
        .as_deref()
        .map_or(String::new(), |d| format!(", 发布日期: \"{d}\""));
    let _ = writeln!(
        out,
        "来源: {{文件: {}, sha256: {}{published}}}",
        scalar(file_name),
        sha256
    );
    let serious: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity != Severity::Info)
        .collect();
    if !serious.is_empty() {
        out.push_str("不完整: true\n");
        for p in &serious {
            let _ = writeln!(out, "# 问题: {}", p.to_string().replace('\n', " "));
        }
    }

    inferred(&mut out, r);

    let mut root: Vec<(String, Node)> = Vec::new();
    for (t, spec) in r.tables.iter().enumerate() {
        // printed headers first, and only for a table that is written
        let written =
            r.placed.keys().any(|&(pt, _)| pt == t) || r.extra.iter().any(|e| e.table == t);
        if let (Some(key), Some(found), true) = (spec.headers, r.headers.get(&t), written) {
            let parts: Vec<String> = found
                .iter()
                .filter_map(|(c, text)| {
                    let col = spec.columns.get(*c)?;
                    Some(format!("{}: {}", col.key, scalar(text)))
                })
                .collect();
            if !parts.is_empty() {
                let mut path: Vec<String> = spec.path.iter().map(|s| s.to_string()).collect();
                path.push(key.to_string());
                insert(&mut root, &path, format!("{{{}}}", parts.join(", ")));
            }
        }
        for (ri, row) in spec.rows.iter().enumerate() {
            let mut path: Vec<String> = spec.path.iter().map(|s| s.to_string()).collect();
            path.extend(row.path.iter().map(|s| s.to_string()));
            if let Some(p) = r.placed.get(&(t, ri)) {
                insert(&mut root, &path, flow(&spec.column_keys(), &p.vals));
            }
            for e in r.extra.iter().filter(|e| e.table == t && e.parent == ri) {
                let mut sub = path.clone();
                sub.push(e.key.clone());
                insert(&mut root, &sub, flow(&spec.column_keys(), &e.vals));
            }
        }
    }
    for (k, n) in &root {
        out.push('\n');
        emit(
            &mut out,
            std::slice::from_ref(&(k.clone(), clone_node(n))),
            0,
        );
    }
    if r.prose.iter().any(Option::is_some) {
        out.push_str("\n正文:\n");
        for (key, text) in ["总体情况", "问题改进", "其他事项"].iter().zip(&r.prose) {
            if let Some(t) = text {
                block(&mut out, key, t);
            }
        }
    }
    out
}

/// `推断`: every written cell cut from run-together digits by a relation, with
/// that relation, in template order (docs/report-format.md). `gouji lint`
/// reports the relation as not independently verifiable for these cells.
fn inferred(out: &mut String, r: &Report) {
    let mut lines = Vec::new();
    for (t, spec) in r.tables.iter().enumerate() {
        for (ri, row) in spec.rows.iter().enumerate() {
            let Some(p) = r.placed.get(&(t, ri)) else {
                continue;
            };
            for (c, relation) in &p.inferred {
                let (Some(col), Some(Some(_))) = (spec.columns.get(*c), p.vals.get(*c).map(cell))
                else {
                    continue;
                };
                let path: Vec<&str> = spec
                    .path
                    .iter()
                    .chain(&row.path)
                    .chain(std::iter::once(&col.key))
                    .copied()
                    .collect();
                lines.push(format!(
                    "  {}: {}",
                    scalar(&path.join(".")),
                    scalar(relation)
                ));
            }
        }
    }
    if !lines.is_empty() {
        out.push_str("推断:\n");
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
}

fn clone_node(n: &Node) -> Node {
    match n {
        Node::Row(s) => Node::Row(s.clone()),
        Node::Map(m) => Node::Map(m.iter().map(|(k, v)| (k.clone(), clone_node(v))).collect()),
    }
}
