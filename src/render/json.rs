//! The JSON output (docs/json-output.md), version 1. Written as a stream: findings as
//! files finish, the summary last, so memory stays flat however many files there are.

use serde::Serialize;
use serde_json::{json, Value};

use super::range;
use crate::finding::Finding;
use crate::source::Source;

pub const VERSION: u32 = 1;

pub fn finding(file: &str, source: &Source, f: &Finding) -> Value {
    let (start, end) = range(source, f);
    let cells: Vec<Value> = f
        .cells
        .iter()
        .map(|c| {
            let p = source.position(c.span.start);
            json!({"path": c.path, "label": c.label, "value": c.value, "line": p.line, "column": p.column})
        })
        .collect();
    let fix = f.fix.as_ref().map(|x| {
        let p = source.position(x.span.start);
        json!({"path": x.path, "from": x.from, "to": x.to, "line": p.line, "column": p.column, "resolves": x.resolves})
    });
    json!({
        "file": file,
        "rule": f.rule,
        "severity": f.severity,
        "title": f.title,
        "message": f.message,
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "cells": cells,
        "fix": fix,
        "help": f.help,
    })
}

pub fn header() -> String {
    format!("{{\"version\": {VERSION},\n\"findings\": [")
}

pub fn footer<S: Serialize>(summary: &S) -> String {
    format!(
        "\n],\n\"summary\": {}\n}}\n",
        serde_json::to_string(summary).unwrap_or_else(|_| "{}".into())
    )
}
