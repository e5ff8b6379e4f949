//! `gouji fix [PATH…]`: each report's repair plan; `--diff` shows a unique plan as a
//! unified diff of the YAML; `--write` applies it in place.
//!
//! Writing touches nothing but the changed numbers: each new value replaces exactly the
//! bytes of its scalar (the spans the loader gives), so formatting, comments, key order and
//! a byte-order mark stay as they are. The file is written to a temporary file next to it
//! and renamed over it, and only if its bytes are still those that were checked and the
//! patched report passes the check again. Ambiguous reports, plans whose values the
//! relations leave open, and reports without a plan are left untouched, saying why.

use std::io::{self, Write};
use std::path::Path;

use crate::engine::Engine;
use crate::finding::{Edit, PlanStatus, Severity};
use crate::lint::{Input, Inputs};
use crate::messages::repair::FixMsg;

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub diff: bool,
    pub write: bool,
}

/// What a run did, report by report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Reports where every relation holds.
    pub clean: usize,
    /// Reports rewritten with their unique plan.
    pub written: usize,
    /// Reports that still need fixing (no unique plan, not written, or errors the plan
    /// does not cover).
    pub pending: usize,
}

impl Summary {
    /// Whether anything still needs fixing (the exit code).
    pub fn needs_fixing(&self) -> bool {
        self.pending > 0
    }
}

/// Check every input and act on its plan; what is said goes to `out`.
pub fn run(
    engine: &Engine,
    inputs: &Inputs,
    opts: Options,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    for input in inputs.iter() {
        let name = input.name();
        let source = match crate::lint::read(&input) {
            Ok(s) => s,
            Err(bad) => {
                writeln!(
                    out,
                    "{}",
                    FixMsg::Unreadable {
                        file: name,
                        reason: bad.1.to_string()
                    }
                )?;
                summary.pending += 1;
                continue;
            }
        };
        let (findings, plan) = engine.check_with_plan(&source, None);
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        let Some(plan) = plan else {
            if errors == 0 {
                summary.clean += 1;
            } else {
                writeln!(
                    out,
                    "{}",
                    FixMsg::Unchecked {
                        file: name,
                        n: errors
                    }
                )?;
                summary.pending += 1;
            }
            continue;
        };
        writeln!(
            out,
            "{}",
            FixMsg::Plan {
                file: name.clone(),
                plan: plan.message.clone()
            }
        )?;
        let outside = errors.saturating_sub(plan.explains.len());
        if outside > 0 {
            writeln!(
                out,
                "{}",
                FixMsg::Unchecked {
                    file: name.clone(),
                    n: outside
                }
            )?;
        }
        let edits = match (plan.status, plan.plans.first()) {
            (PlanStatus::Unique, Some(edits)) => edits,
            _ => {
                if opts.write {
                    writeln!(out, "{}", FixMsg::Untouched { file: name })?;
                }
                summary.pending += 1;
                continue;
            }
        };
        let Some(patched) = apply(&source.text, edits) else {
            summary.pending += 1;
            continue;
        };
        if opts.diff {
            out.write_all(unified_diff(&name, &source.text, &patched).as_bytes())?;
        }
        if !opts.write {
            summary.pending += 1;
            continue;
        }
        let Input::File(path) = &input else {
            writeln!(out, "{}", FixMsg::Untouched { file: name })?;
            summary.pending += 1;
            continue;
        };
        // The patched report must pass: the plan's failures gone, nothing new broken.
        let after = engine.check(
            &crate::source::Source::new(name.clone(), patched.as_str()),
            None,
        );
        let errors_after = after
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        if errors_after != outside {
            writeln!(out, "{}", FixMsg::Untouched { file: name })?;
            summary.pending += 1;
            continue;
        }
        match write_in_place(path, &source.text, &patched) {
            Ok(()) => {
                writeln!(
                    out,
                    "{}",
                    FixMsg::Written {
                        file: name,
                        k: edits.len()
                    }
                )?;
                summary.written += 1;
                if outside > 0 {
                    summary.pending += 1;
                }
            }
            Err(WriteError::Changed) => {
                writeln!(out, "{}", FixMsg::Changed { file: name })?;
                summary.pending += 1;
            }
            Err(WriteError::Io(e)) => {
                writeln!(
                    out,
                    "{}",
                    FixMsg::WriteFailed {
                        file: name,
                        reason: e.to_string()
                    }
                )?;
                summary.pending += 1;
            }
        }
    }
    Ok(summary)
}

/// The text with each edit's scalar replaced by its new value. `None` if an edit has no
/// value, or spans overlap or fall outside the text.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for e in edits {
        let to = e.to.as_deref()?;
        if e.span.start < at || e.span.end > text.len() || e.span.start > e.span.end {
            return None;
        }
        out.push_str(text.get(at..e.span.start)?);
        out.push_str(to);
        at = e.span.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

enum WriteError {
    /// The file's bytes are no longer those that were checked.
    Changed,
    Io(io::Error),
}

/// Replace the file's text atomically: a temporary file in the same directory, renamed over
/// it. A byte-order mark the file started with is kept.
fn write_in_place(path: &Path, checked: &str, patched: &str) -> Result<(), WriteError> {
    let bytes = std::fs::read(path).map_err(WriteError::Io)?;
    let bom: &[u8] = b"\xEF\xBB\xBF";
    let prefix: &[u8] = if bytes.starts_with(bom) { bom } else { b"" };
    if &bytes[prefix.len()..] != checked.as_bytes() {
        return Err(WriteError::Changed);
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file}.gouji-fix-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(prefix)?;
        f.write_all(patched.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(WriteError::Io)
}

/// A unified diff (3 lines of context) between two texts with the same lines but for
/// some changed in place, as a plan's edits make them.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    if a.len() != b.len() {
        return String::new();
    }
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    let (a_name, b_name) = match name.starts_with('/') {
        true => (name.to_string(), name.to_string()),
        false => (format!("a/{name}"), format!("b/{name}")),
    };
    let mut out = format!("--- {a_name}\n+++ {b_name}\n");
    let mut i = 0;
    while i < changed.len() {
        // A hunk: changes less than 7 lines apart share their context.
        let mut j = i;
        while j + 1 < changed.len() && changed[j + 1] - changed[j] <= 6 {
            j += 1;
        }
        let lo = changed[i].saturating_sub(3);
        let hi = (changed[j] + 3).min(a.len() - 1);
        let n = hi - lo + 1;
        out.push_str(&format!("@@ -{},{n} +{},{n} @@\n", lo + 1, lo + 1));
        for k in lo..=hi {
            let line = |s: &str| {
                let mut s = s.to_string();
                if !s.ends_with('\n') {
                    s.push_str("\n\\ No newline at end of file\n");
                }
                s
            };
            if a[k] == b[k] {
                out.push(' ');
                out.push_str(&line(a[k]));
            } else {
                out.push('-');
                out.push_str(&line(a[k]));
                out.push('+');
                out.push_str(&line(b[k]));
            }
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, at: &str, to: &str) -> Edit {
        let start = text.find(at).unwrap();
        Edit {
            path: Default::default(),
            label: Default::default(),
            span: start..start + at.len(),
            from: at.into(),
            to: Some(to.into()),
        }
    }

    #[test]
    fn only_the_scalars_change() {
        let text = "a: {x: 183, y: 7}  # 注释\nb: 9\n";
        let edits = [edit(text, "183", "182"), edit(text, "9\n", "10\n")];
        assert_eq!(
            apply(text, &edits).unwrap(),
            "a: {x: 182, y: 7}  # 注释\nb: 10\n"
        );
        let mut open = edits[0].clone();
        open.to = None;
        assert_eq!(apply(text, &[open]), None);
    }

    #[test]
    fn a_diff_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
        let new = old.replace("5\n", "55\n");
        assert_eq!(
            unified_diff("r.yaml", old, &new),
            "--- a/r.yaml\n+++ b/r.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+55\n 6\n 7\n 8\n"
        );
    }
}
