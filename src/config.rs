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

/// A `gouji.toml` that cannot be used: the file, what is wrong, and where (bytes).
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
    /// The whole explanation, with the line, for the command line.
    pub detail: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.detail)
    }
}

impl Config {
    /// The path of the nearest `gouji.toml` at or above `start`.
    pub fn locate(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|dir| dir.join("gouji.toml"))
            .find(|path| path.is_file())
    }

    /// The nearest `gouji.toml` at or above `start`.
    pub fn find(start: &Path) -> Result<Option<Config>, ConfigError> {
        if let Some(path) = Config::locate(start) {
            {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                    path: path.clone(),
                    message: e.to_string(),
                    span: None,
                    detail: e.to_string(),
                })?;
                return Config::parse(&text, &path).map(Some);
            }
        }
        Ok(None)
    }

    /// The text of the `gouji.toml` at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            message: e.message().to_string(),
            span: e.span(),
            detail: e.to_string(),
        })?;
        config.dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        for (rule, sev) in &config.severity {
            if Severity::parse(sev).is_none() {
                // Point at the value: the first `"sev"` after the rule's key.
                let span = text.find(rule.as_str()).and_then(|k| {
                    let at = k + text[k..].find(sev.as_str())?;
                    Some(at..at + sev.len())
                });
                let message =
                    format!("severity of `{rule}` must be error, warning or info, not `{sev}`");
                return Err(ConfigError {
                    path: path.to_path_buf(),
                    detail: message.clone(),
                    message,
                    span,
                });
            }
        }
        Ok(config)
    }

    pub fn severities(&self) -> HashMap<String, Severity> {
        self.severity
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), Severity::parse(v)?)))
            .collect()
    }
}
