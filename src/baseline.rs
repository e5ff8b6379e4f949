//! Reviewed findings an auditor has accepted: keyed by file, rule and the cells involved
//! (not line numbers, so edits elsewhere in the file do not revive them), and, since
//! version 2, the values of those cells, so a finding whose values changed is new.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Severity};
use crate::messages::suppress::SuppressMsg;

/// The version written; version 1 (without values) is still read.
pub const VERSION: u32 = 2;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub file: String,
    pub rule: String,
    /// Paths of the cells involved, sorted; when a finding has none, its message.
    pub cells: Vec<String>,
    /// The cells' values as written, in the order of `cells` (version 2; absent in version
    /// 1 entries, which then match whatever the values are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

impl Entry {
    pub fn of(file: &str, f: &Finding) -> Entry {
        // Last year's cells do not name this report's finding.
        let mut cells: Vec<(&str, &str)> = f
            .cells
            .iter()
            .filter(|c| c.is_local())
            .map(|c| (c.path.as_str(), c.value.as_str()))
            .collect();
        cells.sort();
        cells.dedup_by(|a, b| a.0 == b.0);
        let (cells, values) = if cells.is_empty() {
            (vec![f.message.clone()], None)
        } else {
            let values = cells.iter().map(|c| c.1.to_string()).collect();
            (
                cells.iter().map(|c| c.0.to_string()).collect(),
                Some(values),
            )
        };
        Entry {
            file: file.to_string(),
            rule: f.rule.clone(),
            cells,
            values,
        }
    }
}

/// A loaded baseline, for fast lookups; remembers which entries matched.
#[derive(Debug, Default)]
pub struct Known {
    entries: Vec<(Entry, AtomicBool)>,
    /// (file, rule, cells) → entries.
    by_key: HashMap<(String, String, Vec<String>), Vec<usize>>,
    by_file: HashMap<String, Vec<usize>>,
}

impl Known {
    pub fn load(path: &Path) -> Result<Known, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            SuppressMsg::BaselineUnreadable {
                path: path.display().to_string(),
                error: e.to_string(),
            }
            .to_string()
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| {
            SuppressMsg::BaselineNotOurs {
                path: path.display().to_string(),
                error: e.to_string(),
            }
            .to_string()
        })?;
        if b.version > VERSION {
            return Err(SuppressMsg::BaselineTooNew {
                path: path.display().to_string(),
                version: b.version,
                max: VERSION,
            }
            .to_string());
        }
        Ok(Known::new(b.findings))
    }

    pub fn new(entries: Vec<Entry>) -> Known {
        let mut known = Known::default();
        for (i, e) in entries.into_iter().enumerate() {
            known
                .by_key
                .entry((e.file.clone(), e.rule.clone(), e.cells.clone()))
                .or_default()
                .push(i);
            known.by_file.entry(e.file.clone()).or_default().push(i);
            known.entries.push((e, AtomicBool::new(false)));
        }
        known
    }

    /// Whether the baseline accepts this finding (same cells and, when the entry recorded
    /// them, the same values); an entry that accepts one is marked used.
    pub fn accept(&self, e: &Entry) -> bool {
        let key = (e.file.clone(), e.rule.clone(), e.cells.clone());
        let Some(ids) = self.by_key.get(&key) else {
            return false;
        };
        let found = ids.iter().find(|&&i| {
            let recorded = &self.entries[i].0.values;
            recorded.is_none() || *recorded == e.values
        });
        if let Some(&i) = found {
            self.entries[i].1.store(true, Ordering::Relaxed);
        }
        found.is_some()
    }

    /// The entries of `file` that accepted nothing, as warnings of that file: unknown rules
    /// (`known` says which are known) and entries that matched nothing.
    pub fn unused(&self, file: &str, known: impl Fn(&str) -> bool) -> Vec<Finding> {
        let Some(ids) = self.by_file.get(file) else {
            return Vec::new();
        };
        ids.iter()
            .filter(|&&i| !self.entries[i].1.load(Ordering::Relaxed))
            .map(|&i| {
                let e = &self.entries[i].0;
                let (rule, message) = if known(&e.rule) {
                    let cells = match &e.values {
                        Some(values) => e
                            .cells
                            .iter()
                            .zip(values)
                            .map(|(c, v)| format!("{c} = {v}"))
                            .collect::<Vec<_>>()
                            .join("，"),
                        None => e.cells.join("，"),
                    };
                    let rule = e.rule.clone();
                    (
                        "suppress/unused",
                        SuppressMsg::BaselineUnused { rule, cells },
                    )
                } else {
                    let rule = e.rule.clone();
                    (
                        "suppress/unknown-rule",
                        SuppressMsg::BaselineUnknownRule { rule },
                    )
                };
                let title = crate::document::STRUCTURE_RULES
                    .iter()
                    .find(|r| r.0 == rule)
                    .map_or(rule, |r| r.2);
                Finding::new(rule, Severity::Warning, title, message.to_string(), 0..0)
            })
            .collect()
    }
}

pub fn write(path: &Path, mut entries: Vec<Entry>) -> Result<(), String> {
    entries.sort_by(|a, b| {
        (&a.file, &a.rule, &a.cells, &a.values).cmp(&(&b.file, &b.rule, &b.cells, &b.values))
    });
    entries.dedup();
    let text = serde_json::to_string_pretty(&Baseline {
        version: VERSION,
        findings: entries,
    })
    .map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n").map_err(|e| {
        SuppressMsg::BaselineUnwritable {
            path: path.display().to_string(),
            error: e.to_string(),
        }
        .to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::CellRef;

    fn finding(total: &str) -> Finding {
        let mut f = Finding::new("t/r", Severity::Error, "t", "m".into(), 0..0);
        for (path, value) in [("a.总计", total), ("a.甲", "171")] {
            f.cells.push(CellRef {
                path: path.into(),
                label: path.into(),
                value: value.into(),
                span: 0..0,
                file: None,
            });
        }
        f
    }

    #[test]
    fn values_are_recorded_and_a_changed_value_is_new() {
        let known = Known::new(vec![Entry::of("r.yaml", &finding("183"))]);
        assert_eq!(
            Entry::of("r.yaml", &finding("183")).values,
            Some(vec!["183".to_string(), "171".to_string()])
        );
        assert!(known.accept(&Entry::of("r.yaml", &finding("183"))));
        assert!(!known.accept(&Entry::of("r.yaml", &finding("184"))));
        assert!(known.unused("r.yaml", |_| true).is_empty());
    }

    #[test]
    fn version_1_entries_match_whatever_the_values() {
        let text = r#"{"version": 1, "findings": [{"file": "r.yaml", "rule": "t/r", "cells": ["a.总计", "a.甲"]},
                       {"file": "r.yaml", "rule": "t/gone", "cells": ["a.乙"]}]}"#;
        let b: Baseline = serde_json::from_str(text).unwrap();
        let known = Known::new(b.findings);
        assert!(known.accept(&Entry::of("r.yaml", &finding("184"))));
        let unused = known.unused("r.yaml", |r| r == "t/r");
        assert_eq!(unused.len(), 1);
        assert_eq!(unused[0].rule, "suppress/unknown-rule");
        assert!(
            unused[0].message.contains("t/gone"),
            "{}",
            unused[0].message
        );
    }
}
