//! The engines an editor's documents are checked with: one per `gouji.toml` (the nearest
//! one above the document, as `lint` finds it), built as `lint` builds it, and the reports
//! of last year found below that configuration's directory (or the workspace folder).
//! Everything is dropped when watched files change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use lsp_types::{Location, Uri};

use crate::engine::Engine;
use crate::lint::PriorFinder;
use crate::project::{self, RuleOptions, SetupError};
use crate::rules::Rule;
use crate::source::Source;

use super::documents::{path_to_uri, LineIndex};
use super::Encoding;

/// An engine for documents under one configuration.
pub struct Setup {
    pub engine: Engine,
    /// Why the configuration could not be used (the engine is then the built-in one).
    pub problem: Option<String>,
}

#[derive(Default)]
pub struct Workspace {
    pub roots: Vec<PathBuf>,
    setups: HashMap<Option<PathBuf>, Rc<Setup>>,
    priors: HashMap<(Option<PathBuf>, PathBuf), Option<Rc<PriorFinder>>>,
}

/// The nearest `gouji.toml` at or above `dir`.
fn config_file(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("gouji.toml"))
        .find(|p| p.is_file())
}

/// The sentence shown for a configuration that cannot be used.
pub fn describe(e: &SetupError) -> String {
    match e {
        SetupError::Usage(m) => m.clone(),
        SetupError::Config(c) => c.to_string(),
        SetupError::Schema(p, s) => format!("{}: {s}", p.display()),
        SetupError::Rules(errors) => errors
            .iter()
            .map(|e| format!("{}: {e}", e.location()))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

impl Workspace {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Workspace {
            roots,
            ..Workspace::default()
        }
    }

    /// Forget every engine and index (rules, config or reports changed on disk).
    pub fn reload(&mut self) {
        self.setups.clear();
        self.priors.clear();
    }

    /// The engine for a document at `path`.
    pub fn setup(&mut self, path: &Path) -> Rc<Setup> {
        let config = path.parent().and_then(config_file);
        if let Some(s) = self.setups.get(&config) {
            return s.clone();
        }
        let start = path.parent().unwrap_or(Path::new(""));
        let setup = Rc::new(
            match project::build_engine(&RuleOptions::default(), start) {
                Ok(engine) => Setup {
                    engine,
                    problem: None,
                },
                Err(e) => Setup {
                    engine: builtin_engine(),
                    problem: Some(describe(&e)),
                },
            },
        );
        self.setups.insert(config, setup.clone());
        setup
    }

    /// Last year's report for a report at `path`, searched where `lint` would find it:
    /// below the configuration's directory, else the workspace folder holding the file,
    /// else the file's own directory.
    pub fn prior(&mut self, setup: &Setup, path: &Path, source: &Source) -> Option<Source> {
        let config = path.parent().and_then(config_file);
        let dir = config
            .as_ref()
            .and_then(|c| c.parent().map(Path::to_path_buf))
            .or_else(|| self.roots.iter().find(|r| path.starts_with(r)).cloned())
            .or_else(|| path.parent().map(Path::to_path_buf))?;
        let finder = self
            .priors
            .entry((config, dir.clone()))
            .or_insert_with(|| PriorFinder::new(&setup.engine, &dir).map(Rc::new))
            .clone()?;
        let prior = finder.prior(&setup.engine, source)?;
        // Never pair a report with itself.
        (Path::new(&prior.name) != path).then_some(prior)
    }

    /// Where a rule is written. A shipped rule whose file is not in the workspace is
    /// written once to a read-only copy in the temporary directory, so editors can open it.
    pub fn rule_location(&self, rule: &Rule, enc: Encoding) -> Option<Location> {
        let name = Path::new(&rule.source.name);
        let same = |p: &PathBuf| std::fs::read_to_string(p).is_ok_and(|t| t == rule.source.text);
        let candidates: Vec<PathBuf> = name
            .is_absolute()
            .then(|| name.to_path_buf())
            .into_iter()
            .chain(self.roots.iter().map(|r| r.join(name)))
            .chain(std::env::current_dir().ok().map(|d| d.join(name)))
            .collect();
        let path = match candidates.iter().find(|p| same(p)) {
            Some(p) => p.clone(),
            // A rule file the user is editing: its place on disk, even if it changed since.
            None if name.is_absolute() && name.is_file() => name.to_path_buf(),
            None => shipped_copy(&rule.source)?,
        };
        let uri: Uri = path_to_uri(&path)?;
        let idx = LineIndex::new(&rule.source.text, enc);
        Some(Location::new(uri, idx.range(&rule.span)))
    }
}

/// The built-in formats and packs (always load: tests/packs.rs), or, failing that, none.
fn builtin_engine() -> Engine {
    Engine::builtin().unwrap_or_else(|_| {
        Engine::new(
            crate::schema::Registry::builtin(),
            crate::rules::RuleSet::default(),
        )
    })
}

/// A copy of a shipped rule file under the temporary directory.
fn shipped_copy(source: &Source) -> Option<PathBuf> {
    let dir = std::env::temp_dir().join(format!("gouji-{}", env!("CARGO_PKG_VERSION")));
    let path = dir.join(&source.name);
    if std::fs::read_to_string(&path).is_ok_and(|t| t == source.text) {
        return Some(path);
    }
    std::fs::create_dir_all(path.parent()?).ok()?;
    std::fs::write(&path, &source.text).ok()?;
    Some(path)
}
