//! Reviewed findings an auditor has accepted: keyed by file, rule and the cells involved
//! (not line numbers, so edits elsewhere in the file do not revive them).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

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
}

impl Entry {
    pub fn of(file: &str, f: &Finding) -> Entry {
        let mut cells: Vec<String> = f.cells.iter().map(|c| c.path.clone()).collect();
        cells.sort();
        cells.dedup();
        if cells.is_empty() {
            cells.push(f.message.clone());
        }
        Entry {
            file: file.to_string(),
            rule: f.rule.clone(),
            cells,
        }
    }
}

/// A loaded baseline, for fast lookups.
#[derive(Debug, Default)]
pub struct Known(HashSet<Entry>);

impl Known {
    pub fn load(path: &Path) -> Result<Known, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
        let b: Baseline = serde_json::from_str(&text)
            .map_err(|e| format!("baseline {} is not a gouji baseline: {e}", path.display()))?;
        Ok(Known(b.findings.into_iter().collect()))
    }

    pub fn contains(&self, e: &Entry) -> bool {
        self.0.contains(e)
    }
}

pub fn write(path: &Path, mut entries: Vec<Entry>) -> Result<(), String> {
    entries.sort_by(|a, b| (&a.file, &a.rule, &a.cells).cmp(&(&b.file, &b.rule, &b.cells)));
    entries.dedup();
    let text = serde_json::to_string_pretty(&Baseline {
        version: 1,
        findings: entries,
    })
    .map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n")
        .map_err(|e| format!("cannot write baseline {}: {e}", path.display()))
}
