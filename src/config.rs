//! `gouji.toml`: the same settings as the command line, found by walking up from the
//! working directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rule files or directories, relative to the config file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// Use the built-in rule packs (default true).
    pub default_rules: Option<bool>,
    /// A schema file every document is checked against.
    pub schema: Option<PathBuf>,
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule id or prefix → error | warning | info.
    #[serde(default)]
    pub severity: HashMap<String, String>,
    /// Where the file was found (set after loading).
    #[serde(skip)]
    pub dir: PathBuf,
}

impl Config {
    /// The nearest `gouji.toml` at or above `start`.
    pub fn find(start: &Path) -> Result<Option<Config>, String> {
        for dir in start.ancestors() {
            let path = dir.join("gouji.toml");
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let mut config: Config =
                    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                config.dir = dir.to_path_buf();
                for (rule, sev) in &config.severity {
                    if Severity::parse(sev).is_none() {
                        return Err(format!(
                            "{}: severity of `{rule}` must be error, warning or info, not `{sev}`",
                            path.display()
                        ));
                    }
                }
                return Ok(Some(config));
            }
        }
        Ok(None)
    }

    pub fn severities(&self) -> HashMap<String, Severity> {
        self.severity
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), Severity::parse(v)?)))
            .collect()
    }
}
