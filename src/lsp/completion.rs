//! Completion in rule files: paths from the formats' schemas (Chinese keys, 「」 quoting
//! where a key is not a plain name), function names, and message placeholders.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit,
};

use crate::messages::lsp::LspMsg;
use crate::rules::functions::{FUNCTIONS, SET_FUNCTIONS};
use crate::schema::{Registry, SNodeId, Schema, ROOT};

use super::documents::LineIndex;

/// Words that cannot be a name in a path (grammar/rules.pest's `keyword`).
const KEYWORDS: &[&str] = &[
    "and", "or", "not", "if", "then", "else", "let", "in", "for", "each", "within", "except",
    "blank", "true", "false",
];

/// What a message may show besides the `for each` variables and `let` names
/// (explain.rs fills them).
fn placeholders() -> [(&'static str, LspMsg); 5] {
    [
        ("lhs", LspMsg::PlaceholderLhs),
        ("rhs", LspMsg::PlaceholderRhs),
        ("diff", LspMsg::PlaceholderDiff),
        ("match", LspMsg::PlaceholderMatch),
        ("value", LspMsg::PlaceholderValue),
    ]
}

/// A key written as it is, or in 「」 when it is not a plain name.
pub fn quote(key: &str) -> String {
    let mut chars = key.chars();
    let plain = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&key);
    if plain {
        key.to_string()
    } else {
        format!("「{key}」")
    }
}

/// Whether `offset` is inside a string, and where that string's text starts.
fn string_start(text: &str, offset: usize) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut chars = text[..offset].char_indices();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(_), '"') => open = None,
            (None, '"') => open = Some(i + 1),
            (None, '#') => {
                // A comment runs to the line's end.
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    open
}

/// The `for each` variables and `let` names of the rule around `offset`.
fn rule_names(text: &str, offset: usize) -> Vec<String> {
    let start = text[..offset].rfind("rule ").unwrap_or(0);
    let end = text[offset..]
        .find("\nrule ")
        .map_or(text.len(), |e| offset + e);
    let body = &text[start..end];
    let mut names = Vec::new();
    for (kw, stop) in [("each ", " in"), ("let ", "=")] {
        for (i, _) in body.match_indices(kw) {
            let rest = &body[i + kw.len()..];
            if let Some(name) = rest.split(stop).next().map(str::trim) {
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    names.push(name.to_string());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The segments of the path being typed before `offset`: the complete ones, and the
/// start of the partial last one.
fn path_before(text: &str, offset: usize) -> (Vec<String>, usize) {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    // Walk back over names, dots, `*` and 「…」 segments.
    let mut start = line.len();
    let mut in_quote = false;
    for (i, c) in line.char_indices().rev() {
        if in_quote {
            if c == '「' {
                in_quote = false;
            }
            start = i;
            continue;
        }
        match c {
            '」' => in_quote = true,
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '*' || c == '「' => {}
            _ => break,
        }
        start = i;
    }
    // An unclosed 「 at the end belongs to the partial segment.
    let path = &line[start..];
    let mut segments = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut seg_start = start;
    for (i, c) in path.char_indices() {
        match c {
            '「' if !quoted => quoted = true,
            '」' if quoted => quoted = false,
            '.' if !quoted => {
                segments.push(std::mem::take(&mut cur));
                seg_start = start + i + 1;
            }
            c => cur.push(c),
        }
    }
    (segments, line_start + seg_start)
}

/// The node a path's complete segments lead to in a schema.
fn resolve(schema: &Schema, segments: &[String]) -> Option<SNodeId> {
    segments
        .iter()
        .try_fold(ROOT, |at, key| schema.child(at, key))
}

pub fn complete(
    registry: &Registry,
    text: &str,
    offset: usize,
    idx: &LineIndex,
) -> Vec<CompletionItem> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return vec![];
    }
    let mut items = Vec::new();
    if let Some(s) = string_start(text, offset) {
        // `{` opened and not closed before the cursor: a placeholder.
        let inside = &text[s..offset];
        let open = match (inside.rfind('{'), inside.rfind('}')) {
            (Some(o), Some(c)) => o > c,
            (o, _) => o.is_some(),
        };
        if open {
            let names = rule_names(text, offset);
            for (name, doc) in placeholders()
                .into_iter()
                .map(|(n, d)| (n.to_string(), Some(d.to_string())))
                .chain(names.into_iter().map(|n| (n, None)))
            {
                items.push(CompletionItem {
                    label: name,
                    kind: Some(CompletionItemKind::VARIABLE),
                    documentation: doc.map(Documentation::String),
                    ..CompletionItem::default()
                });
            }
        }
        return items;
    }
    let (segments, partial) = path_before(text, offset);
    let range = Range::new(idx.position(partial), idx.position(offset));
    let schemas: Vec<&Schema> = registry
        .forced
        .iter()
        .chain(&registry.schemas)
        .map(|s| &**s)
        .collect();
    let mut seen = std::collections::HashSet::new();
    for schema in schemas {
        let Some(at) = resolve(schema, &segments) else {
            continue;
        };
        for &c in &schema.node(at).children {
            let node = schema.node(c);
            if !seen.insert(node.key.clone()) {
                continue;
            }
            let insert = quote(&node.key);
            items.push(CompletionItem {
                label: node.key.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(node.label.clone()),
                documentation: Some(Documentation::String(format!(
                    "{} · {}",
                    schema.name,
                    schema.path(c)
                ))),
                filter_text: Some(insert.clone()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
                ..CompletionItem::default()
            });
        }
    }
    if segments.is_empty() {
        for name in FUNCTIONS
            .iter()
            .map(|f| f.name)
            .chain(SET_FUNCTIONS.iter().copied())
        {
            items.push(CompletionItem {
                label: name.to_string(),
                kind: Some(CompletionItemKind::FUNCTION),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                    range,
                    format!("{name}("),
                ))),
                ..CompletionItem::default()
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsp::Encoding;

    fn labels(text: &str) -> Vec<String> {
        let registry = Registry::builtin();
        let idx = LineIndex::new(text, Encoding::Utf16);
        complete(&registry, text, text.len(), &idx)
            .into_iter()
            .map(|i| match i.text_edit {
                Some(CompletionTextEdit::Edit(e)) => e.new_text,
                _ => i.label,
            })
            .collect()
    }

    #[test]
    fn paths_from_the_schema_with_quoting() {
        let got = labels("rule x {\n  check 申请.办理结果.");
        assert!(got.contains(&"无法提供".to_string()), "{got:?}");
        assert!(got.contains(&"总计".to_string()));
        // Quoted segments are read back when resolving the rest of the path.
        let got = labels("rule x {\n  check 申请.「办理结果」.无法提供.不");
        assert!(got.contains(&"不掌握".to_string()), "{got:?}");
        let top = labels("rule x {\n  check ");
        assert!(top.contains(&"申请".to_string()));
        assert!(top.contains(&"sum(".to_string()));
        assert!(top.contains(&"columns(".to_string()));
        assert_eq!(quote("（一）"), "「（一）」");
        assert_eq!(quote("1.不掌握"), "「1.不掌握」");
        assert_eq!(quote("in"), "「in」");
        assert_eq!(quote("不掌握"), "不掌握");
    }

    #[test]
    fn placeholders_inside_a_message() {
        let text = "rule x {\n  message \"{lhs} 与 {";
        let got = labels(text);
        assert!(got.contains(&"rhs".to_string()), "{got:?}");
        let with_var = "rule x {\n  check for each c in columns(申请): 1 == 1\n  message \"「{";
        let got = labels(with_var);
        assert!(got.contains(&"c".to_string()), "{got:?}");
        // A closed placeholder: nothing to complete.
        assert!(labels("rule x {\n  message \"{lhs} 与").is_empty());
    }
}
