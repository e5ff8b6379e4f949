//! `gouji.toml`: the same settings as the command line, found by walking up from the
//! working directory.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;
use crate::messages::config::ConfigMsg;
use crate::source::Source;

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
/// `message` is the problem alone (for an editor, which shows the place itself); `detail`
/// names the file, line and column too (for the command line).
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    pub span: Option<std::ops::Range<usize>>,
    /// The whole explanation: file, line, column and problem.
    pub detail: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

impl ConfigError {
    /// A problem at byte `span` of the file (or at its start).
    fn at(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, problem: String) -> Self {
        let start = span.as_ref().map_or(0, |s| s.start);
        let pos = Source::new(path.display().to_string(), text).position(start);
        let detail = ConfigMsg::At {
            path: path.display().to_string(),
            line: pos.line,
            column: pos.column,
            problem: problem.clone(),
        }
        .to_string();
        ConfigError {
            path: path.to_path_buf(),
            message: problem,
            span,
            detail,
        }
    }
}

/// The toml crate's explanation (English) in the current language: what kind of problem it
/// is, and the crate's own words as a note when gouji has none for it. In English the
/// crate's words are the problem.
fn toml_problem(message: &str) -> String {
    if crate::messages::lang() == crate::messages::Lang::En {
        return message.to_string();
    }
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_string);
    if let Some(key) = message.strip_prefix("unknown field ").and_then(quoted) {
        return ConfigMsg::UnknownKey { key }.to_string();
    }
    if message.starts_with("invalid type:") {
        let wanted = message.rsplit(", expected ").next().unwrap_or("");
        let expected = if wanted.contains("sequence") {
            Some(ConfigMsg::List)
        } else if wanted.contains("bool") {
            Some(ConfigMsg::Bool)
        } else if wanted.contains("string") || wanted.contains("path") {
            Some(ConfigMsg::Text)
        } else if wanted.contains("map") {
            Some(ConfigMsg::Table)
        } else {
            None
        };
        if let Some(expected) = expected {
            return ConfigMsg::WrongType {
                expected: expected.to_string(),
            }
            .to_string();
        }
    }
    let first = message.lines().next().unwrap_or("").trim();
    // Parser errors gouji has words for: their English text is the parser's.
    let known = [ConfigMsg::UnclosedArray, ConfigMsg::NoValue]
        .into_iter()
        .find(|m| first.starts_with(&m.text_in(crate::messages::Lang::En)));
    if first.starts_with("duplicate") {
        return ConfigMsg::Duplicate.to_string();
    }
    if let Some(known) = known {
        return known.to_string();
    }
    // The parser's own words, quoted, after what gouji can say of them.
    let detail = first.replace('`', "");
    format!("{}{}", ConfigMsg::Syntax, ConfigMsg::Detail { detail })
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
        let Some(path) = Config::locate(start) else {
            return Ok(None);
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let detail = ConfigMsg::Unreadable {
                path: path.display().to_string(),
                detail: e.to_string(),
            }
            .to_string();
            ConfigError {
                path: path.clone(),
                message: detail.clone(),
                span: None,
                detail,
            }
        })?;
        Config::parse(&text, &path).map(Some)
    }

    /// The text of the `gouji.toml` at `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text)
            .map_err(|e| ConfigError::at(path, text, e.span(), toml_problem(e.message())))?;
        config.dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        for (rule, sev) in &config.severity {
            if Severity::parse(sev).is_none() {
                // Point at the value: the first `"sev"` after the rule's key.
                let span = text.find(rule.as_str()).and_then(|k| {
                    let at = k + text[k..].find(sev.as_str())?;
                    Some(at..at + sev.len())
                });
                let problem = ConfigMsg::BadSeverity {
                    rule: rule.clone(),
                    sev: sev.clone(),
                }
                .to_string();
                return Err(ConfigError::at(path, text, span, problem));
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
