//! Code actions on a finding: its repair as a quick fix (an edit of the changed cell), and
//! "ignore this finding here", which writes the inline `# gouji: ignore[RULE] 理由` comment.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, Uri, WorkspaceEdit};

use crate::finding::Finding;
use crate::messages::lsp::LspMsg;
use crate::source::Span;
use crate::yaml::{self, NodeKind};

use super::documents::LineIndex;

fn edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

fn overlaps(a: &Span, b: &Span) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The actions for the findings whose place overlaps `at`.
pub fn actions(
    uri: &Uri,
    text: &str,
    findings: &[Finding],
    at: &Span,
    idx: &LineIndex,
) -> Vec<CodeAction> {
    let mut out = Vec::new();
    for f in findings.iter().filter(|f| overlaps(&f.span, at)) {
        // A finding's edits of the report's plan, or on the plan record the whole plan.
        let plan_edits = f
            .fix
            .as_ref()
            .map(|x| &x.edits)
            .or_else(|| {
                f.plan
                    .as_ref()
                    .filter(|p| p.status == crate::finding::PlanStatus::Unique)
                    .and_then(|p| p.plans.first())
            })
            .filter(|e| !e.is_empty());
        if let Some((all, first)) = plan_edits.and_then(|x| Some((x, x.first()?))) {
            let edits: Option<Vec<TextEdit>> = all
                .iter()
                .map(|e| Some(TextEdit::new(idx.range(&e.span), e.to.clone()?)))
                .collect();
            if let Some(edits) = edits {
                out.push(CodeAction {
                    title: LspMsg::FixTitle {
                        label: first.label.to_string(),
                        from: first.from.clone(),
                        to: first.to.clone().unwrap_or_default(),
                    }
                    .to_string(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    is_preferred: Some(true),
                    edit: Some(edit(uri, edits)),
                    ..CodeAction::default()
                });
            }
        }
        if let Some(e) = ignore_edit(text, f, idx) {
            out.push(CodeAction {
                title: LspMsg::IgnoreTitle {
                    rule: f.rule.clone(),
                }
                .to_string(),
                kind: Some(CodeActionKind::QUICKFIX),
                edit: Some(edit(uri, vec![e])),
                ..CodeAction::default()
            });
        }
    }
    out
}

/// Lines where a comment would change a multi-line scalar (inside `|` prose): never there.
fn inside_scalar(text: &str, line: &Span) -> bool {
    let Ok(tree) = yaml::parse(text, yaml::Limits::default()) else {
        return false;
    };
    tree.nodes.iter().any(|n| {
        let written = text.get(n.span.clone()).unwrap_or("").trim_end();
        let end = n.span.start + written.len();
        // A block scalar's text begins its line; other scalars follow a key or `-`.
        let line_start = text[..n.span.start].rfind('\n').map_or(0, |i| i + 1);
        let begins_line = text[line_start..n.span.start].trim().is_empty();
        matches!(n.kind, NodeKind::Scalar { .. })
            && (written.contains('\n') || begins_line)
            && n.span.start < line.end
            && line.start < end
    })
}

/// The edit that suppresses `f` on a line it points at: the finding's own line, else the
/// line of one of its cells, never inside prose. An existing `gouji: ignore[…]` comment on
/// that line gets the rule added; another comment is kept after ours.
fn ignore_edit(text: &str, f: &Finding, idx: &LineIndex) -> Option<TextEdit> {
    let line = std::iter::once(&f.span)
        .chain(f.cells.iter().filter(|c| c.is_local()).map(|c| &c.span))
        .map(|s| idx.line_span(s.start))
        .find(|l| !inside_scalar(text, l))?;
    let body = &text[line.clone()];
    let reason = LspMsg::IgnoreReason.to_string();
    let comment = comment_start(body);
    let Some(hash) = comment else {
        let at = idx.position(line.end);
        return Some(TextEdit::new(
            Range::new(at, at),
            format!("  # gouji: ignore[{}] {reason}", f.rule),
        ));
    };
    let after = &body[hash + 1..];
    if let Some(list) = after
        .trim_start()
        .strip_prefix("gouji:")
        .map(str::trim_start)
        .and_then(|r| r.strip_prefix("ignore["))
    {
        // Add the rule before the list's closing bracket.
        let close = line.start + hash + 1 + (after.len() - list.len()) + list.find(']')?;
        let at = idx.position(close);
        return Some(TextEdit::new(Range::new(at, at), format!(", {}", f.rule)));
    }
    let at = idx.position(line.start + hash + 1);
    Some(TextEdit::new(
        Range::new(at, at),
        format!(" gouji: ignore[{}] {reason}；", f.rule),
    ))
}

/// Where a comment starts on a line of a report: a `#` at the start or after a blank,
/// outside quotes.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return Some(i),
            None => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::parse_ignore;
    use crate::finding::Severity;

    fn apply(text: &str, e: &TextEdit) -> String {
        let idx = LineIndex::new(text, super::super::Encoding::Utf16);
        let span = idx.span(e.range);
        let mut out = text.to_string();
        out.replace_range(span, &e.new_text);
        out
    }

    fn finding_at(text: &str, needle: &str) -> Finding {
        let at = text.find(needle).unwrap();
        Finding::new(
            "table3/row-total",
            Severity::Error,
            "t",
            "m".into(),
            at..at + needle.len(),
        )
    }

    #[test]
    fn ignore_comments_are_written_so_the_engine_reads_them() {
        let cases = [
            (
                "a: {总计: 183}\n",
                "a: {总计: 183}  # gouji: ignore[table3/row-total] 理由\n",
            ),
            (
                "a: {总计: 183} # gouji: ignore[prose]\n",
                "a: {总计: 183} # gouji: ignore[prose, table3/row-total]\n",
            ),
            (
                "a: {总计: 183}  # 原文如此\n",
                "a: {总计: 183}  # gouji: ignore[table3/row-total] 理由； 原文如此\n",
            ),
        ];
        for (before, after) in cases {
            let idx = LineIndex::new(before, super::super::Encoding::Utf16);
            let e = ignore_edit(before, &finding_at(before, "183"), &idx).unwrap();
            let got = apply(before, &e);
            assert_eq!(got, after);
            let comment = &got[comment_start(got.trim_end()).unwrap() + 1..];
            let pats = parse_ignore(comment).unwrap();
            assert!(pats.contains(&"table3/row-total".to_string()), "{pats:?}");
        }
    }

    #[test]
    fn never_inside_prose() {
        let text = "正文:\n  总体情况: |\n    未发生行政复议 # 不是注释\n表: {总计: 19}\n";
        let mut f = finding_at(text, "未发生");
        f.cells.push(crate::finding::CellRef {
            path: "表.总计".into(),
            label: "总计".into(),
            value: "19".into(),
            span: finding_at(text, "19").span,
            file: None,
        });
        let idx = LineIndex::new(text, super::super::Encoding::Utf16);
        let got = apply(text, &ignore_edit(text, &f, &idx).unwrap());
        assert!(
            got.ends_with("表: {总计: 19}  # gouji: ignore[table3/row-total] 理由\n"),
            "{got}"
        );
        assert!(got.contains("未发生行政复议 # 不是注释\n"));
    }
}
