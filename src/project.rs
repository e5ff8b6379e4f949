//! A project's settings — the command line's rule and schema options, then the nearest
//! `gouji.toml` — turned into an [`Engine`]. `gouji lint`, `gouji rules` and the language
//! server all build their engine here, so an editor checks a report exactly as `lint` does.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, ConfigError};
use crate::engine::{Engine, Selection};
use crate::messages::cli::SetupMsg;
use crate::rules::{self, RuleError, RuleSet};
use crate::schema::{Registry, Schema, SchemaError};
use crate::source::Source;

/// The rule and schema options of the command line.
#[derive(Debug, Default, Clone)]
pub struct RuleOptions {
    /// Rule files, directories of `*.gouji`, or `builtin:NAME`.
    pub rules: Vec<String>,
    pub no_default_rules: bool,
    pub schema: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

/// Why no engine could be built.
#[derive(Debug)]
pub enum SetupError {
    /// A usage or configuration problem, said in one sentence.
    Usage(String),
    /// `gouji.toml` is not valid.
    Config(ConfigError),
    /// A schema file that does not parse.
    Schema(PathBuf, Box<SchemaError>),
    /// Problems in rule files; nothing can be checked.
    Rules(Vec<RuleError>),
}

impl From<std::io::Error> for SetupError {
    fn from(e: std::io::Error) -> Self {
        SetupError::Usage(e.to_string())
    }
}

/// Rule files named by the user: files, directories of `*.gouji`, or `builtin:NAME`.
pub fn rule_sources(specs: &[String], base: &Path) -> Result<Vec<Arc<Source>>, SetupError> {
    let mut out = Vec::new();
    for spec in specs {
        if let Some(name) = spec.strip_prefix("builtin:") {
            let found = rules::OPTIONAL
                .iter()
                .find(|(p, _)| Path::new(p).file_stem().is_some_and(|s| s == name));
            let Some((path, text)) = found else {
                let names: Vec<_> = rules::OPTIONAL
                    .iter()
                    .filter_map(|(p, _)| Path::new(p).file_stem()?.to_str())
                    .collect();
                return Err(SetupError::Usage(
                    SetupMsg::NoBuiltinPack {
                        name: name.to_string(),
                        names: names.join(crate::messages::list_sep()),
                    }
                    .to_string(),
                ));
            };
            out.push(Arc::new(Source::new(*path, *text)));
            continue;
        }
        let path = base.join(spec);
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(&path)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "gouji"))
                .collect();
            v.sort();
            v
        } else {
            vec![path]
        };
        for file in files {
            let bytes = std::fs::read(&file)
                .map_err(|e| SetupError::Usage(format!("{}: {e}", file.display())))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                let path = file.display().to_string();
                SetupError::Usage(SetupMsg::NotUtf8 { path }.to_string())
            })?;
            out.push(Arc::new(Source::new(file.display().to_string(), text)));
        }
    }
    Ok(out)
}

/// A schema file, with the sample it names read from beside it.
pub fn load_schema(path: &Path) -> Result<Schema, SetupError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| SetupError::Usage(format!("{}: {e}", path.display())))?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let sample = move |file: &str| {
        std::fs::read_to_string(dir.join(file))
            .ok()
            .map(|t| Arc::new(Source::new(file, t)))
    };
    Schema::parse(
        Arc::new(Source::new(path.display().to_string(), text)),
        &sample,
    )
    .map_err(|e| SetupError::Schema(path.to_path_buf(), Box::new(e)))
}

/// Settings from the command line, then the `gouji.toml` nearest `start`, into an engine.
pub fn build_engine(opts: &RuleOptions, start: &Path) -> Result<Engine, SetupError> {
    let config = Config::find(start)
        .map_err(SetupError::Config)?
        .unwrap_or_default();
    engine_from(opts, &config)
}

/// An engine from command-line options and a loaded configuration.
pub fn engine_from(opts: &RuleOptions, config: &Config) -> Result<Engine, SetupError> {
    let mut registry = Registry::builtin();
    let schema = opts
        .schema
        .clone()
        .or_else(|| config.schema.as_ref().map(|s| config.dir.join(s)));
    if let Some(schema) = schema {
        registry.forced = Some(Arc::new(load_schema(&schema)?));
    }
    let mut sources = Vec::new();
    if !opts.no_default_rules && config.default_rules.unwrap_or(true) {
        sources.extend(RuleSet::builtin_sources());
    }
    let config_rules: Vec<String> = config
        .rules
        .iter()
        .map(|p| match p.to_str() {
            Some(b) if b.starts_with("builtin:") => b.to_string(),
            _ => config.dir.join(p).display().to_string(),
        })
        .collect();
    sources.extend(rule_sources(&config_rules, Path::new(""))?);
    sources.extend(rule_sources(&opts.rules, Path::new(""))?);
    let rules = RuleSet::load(&sources, &registry).map_err(SetupError::Rules)?;
    let mut engine = Engine::new(registry, rules);
    engine.selection = Selection {
        select: opts.select.iter().chain(&config.select).cloned().collect(),
        ignore: opts.ignore.iter().chain(&config.ignore).cloned().collect(),
        severity: config.severities(),
    };
    let known = engine.known_rule_ids();
    for pattern in engine
        .selection
        .select
        .iter()
        .chain(&engine.selection.ignore)
        .chain(engine.selection.severity.keys())
    {
        if !known
            .iter()
            .any(|id| crate::engine::matches_rule(pattern, id))
            && !pattern.starts_with("load")
        {
            let pattern = pattern.clone();
            return Err(SetupError::Usage(
                SetupMsg::NoRuleMatches { pattern }.to_string(),
            ));
        }
    }
    Ok(engine)
}
