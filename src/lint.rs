//! `gouji lint`: find the reports, check them in parallel, write the output in order.
//!
//! Files are taken in sorted chunks: each chunk is checked in parallel and rendered by
//! its workers, then written in order and dropped, so memory does not grow with the
//! number of files and the output is deterministic.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use crate::baseline::{self, Entry, Known};
use crate::document::choose_schema;
use crate::engine::Engine;
use crate::finding::{Finding, Severity};
use crate::load;
use crate::render::{self, Format, Summary};
use crate::source::Source;
use crate::yaml;

const CHUNK: usize = 256;

pub struct Options {
    pub format: Format,
    pub color: bool,
    pub width: usize,
    pub baseline: Option<Known>,
    pub write_baseline: Option<PathBuf>,
    pub progress: bool,
}

/// A report to check: a file, or standard input (`-`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "<stdin>".into(),
        }
    }
}

/// Expand paths: files as given, directories walked for `*.yaml` / `*.yml`, honouring
/// .gitignore and skipping hidden entries; symlinks are not followed, so no loops.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input::Stdin);
            continue;
        }
        if path.is_file() {
            out.push(Input::File(path.clone()));
            continue;
        }
        if !path.is_dir() {
            return Err(format!("{}: no such file or directory", path.display()));
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path)
            .follow_links(false)
            .require_git(false)
            .build()
        {
            let entry = entry.map_err(|e| e.to_string())?;
            let p = entry.path();
            let yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if yaml && entry.file_type().is_some_and(|t| t.is_file()) {
                found.push(Input::File(p.to_path_buf()));
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn read(input: &Input) -> Result<Source, load::Unreadable> {
    match input {
        Input::File(p) => load::read(p),
        Input::Stdin => {
            let mut bytes = Vec::new();
            let limit = load::MAX_FILE_BYTES;
            io::stdin()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    (
                        Source::new("<stdin>", ""),
                        load::LoadError::Io(e.to_string()),
                    )
                })?;
            if bytes.len() as u64 > limit {
                return Err(Box::new((
                    Source::new("<stdin>", ""),
                    load::LoadError::TooLarge {
                        size: bytes.len() as u64,
                        limit,
                    },
                )));
            }
            load::decode("<stdin>".into(), bytes)
        }
    }
}

/// Last year's report of each body: (identity, year) → the file's index in `inputs`.
/// Built only when an enabled rule asks.
fn index_prior(engine: &Engine, inputs: &[Input]) -> HashMap<(String, i64), usize> {
    inputs
        .par_iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let Input::File(path) = input else {
                return None;
            };
            // 机关 and 年度 open a report: the head of the file usually answers.
            let found = head(path).and_then(|h| identity(engine, &h));
            let (body, year) = match found {
                Some(found) => found,
                None => identity(engine, &load::read(path).ok()?)?,
            };
            Some(((body, year), i))
        })
        .collect()
}

/// The first few kilobytes of a file, cut at a line end.
fn head(path: &std::path::Path) -> Option<Source> {
    use std::io::Read as _;
    let mut bytes = Vec::with_capacity(HEAD);
    std::fs::File::open(path)
        .ok()?
        .take(HEAD as u64)
        .read_to_end(&mut bytes)
        .ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let end = bytes.iter().rposition(|&b| b == b'\n')? + 1;
    let text = std::str::from_utf8(&bytes[..end]).ok()?;
    Some(Source::new(path.display().to_string(), text))
}

const HEAD: usize = 2048;

struct Checked {
    text: String,
    counts: Summary,
    entries: Vec<Entry>,
}

/// Lint every input, writing the output to `out`. Returns the summary.
pub fn run(
    engine: &Engine,
    inputs: &[Input],
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let start = Instant::now();
    let uses_prior = engine
        .rules
        .rules
        .iter()
        .any(|r| engine.selection.enabled(&r.id) && r.uses_prior());
    let prior = if uses_prior {
        index_prior(engine, inputs)
    } else {
        HashMap::new()
    };
    let human = render::human::Human::new(opts.color, opts.width);
    let bar = opts.progress.then(|| {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let mut summary = Summary::default();
    let mut entries = Vec::new();
    let mut first = true;
    match opts.format {
        Format::Json => out.write_all(render::json::header().as_bytes())?,
        Format::Sarif => out.write_all(render::sarif::header().as_bytes())?,
        _ => {}
    }
    for chunk in inputs.chunks(CHUNK) {
        let results: Vec<Checked> = chunk
            .par_iter()
            .map(|input| check_one(engine, input, inputs, &prior, opts, &human))
            .collect();
        for r in results {
            if matches!(opts.format, Format::Json | Format::Sarif) && !r.text.is_empty() {
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
            }
            out.write_all(r.text.as_bytes())?;
            summary.files += 1;
            summary.errors += r.counts.errors;
            summary.warnings += r.counts.warnings;
            summary.infos += r.counts.infos;
            summary.unreadable += r.counts.unreadable;
            summary.suppressed += r.counts.suppressed;
            entries.extend(r.entries);
        }
        if let Some(bar) = &bar {
            bar.inc(chunk.len() as u64);
        }
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary.elapsed_ms = start.elapsed().as_millis();
    match opts.format {
        Format::Json => out.write_all(render::json::footer(&summary).as_bytes())?,
        Format::Sarif => {
            let mut rules: Vec<(String, String, String)> = crate::document::STRUCTURE_RULES
                .iter()
                .map(|(id, _, t, w)| (id.to_string(), t.to_string(), w.to_string()))
                .collect();
            rules.extend(
                engine
                    .rules
                    .rules
                    .iter()
                    .map(|r| (r.id.clone(), r.title.clone(), r.why.clone())),
            );
            out.write_all(render::sarif::footer(&rules).as_bytes())?
        }
        _ => {}
    }
    if let Some(path) = &opts.write_baseline {
        baseline::write(path, entries).map_err(io::Error::other)?;
    }
    Ok(summary)
}

fn check_one(
    engine: &Engine,
    input: &Input,
    inputs: &[Input],
    prior: &HashMap<(String, i64), usize>,
    opts: &Options,
    human: &render::human::Human,
) -> Checked {
    let name = input.name();
    let (source, findings) = match read(input) {
        Ok(source) => {
            let prior_source = prior_for(engine, &source, inputs, prior);
            let findings = engine.check(&source, prior_source.as_ref());
            (source, findings)
        }
        Err(bad) => {
            let (source, e) = *bad;
            (source, vec![crate::engine::load_finding(&e)])
        }
    };
    let mut counts = Summary::default();
    let mut entries = Vec::new();
    let mut kept: Vec<Finding> = Vec::new();
    for f in findings {
        let entry = Entry::of(&name, &f);
        if opts.baseline.as_ref().is_some_and(|b| b.contains(&entry)) {
            counts.suppressed += 1;
            continue;
        }
        if f.rule.starts_with("load/") {
            counts.unreadable += 1;
        }
        match f.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.infos += 1,
        }
        if opts.write_baseline.is_some() {
            entries.push(entry);
        }
        kept.push(f);
    }
    let mut text = String::new();
    for (i, f) in kept.iter().enumerate() {
        match opts.format {
            Format::Human => human.finding(&source, f, &mut text),
            Format::Json => {
                if i > 0 {
                    text.push(',');
                }
                text.push('\n');
                text.push_str(&render::json::finding(&name, &source, f).to_string());
            }
            Format::Sarif => {
                if i > 0 {
                    text.push(',');
                }
                text.push('\n');
                text.push_str(&render::sarif::result(&name, &source, f).to_string());
            }
            Format::Github => text.push_str(&render::github::finding(&name, &source, f)),
        }
    }
    Checked {
        text,
        counts,
        entries,
    }
}

fn prior_for(
    engine: &Engine,
    source: &Source,
    inputs: &[Input],
    prior: &HashMap<(String, i64), usize>,
) -> Option<Source> {
    if prior.is_empty() {
        return None;
    }
    let (body, year) = identity(engine, source)?;
    let Input::File(path) = &inputs[*prior.get(&(body, year - 1))?] else {
        return None;
    };
    load::read(path).ok()
}

/// Who a report is about and for which year, by the fields its schema names.
///
/// These are top-level fields near the start of a report, so they are read with
/// [`yaml::root_scalars`], which stops once it has them, instead of a full parse: this
/// runs for every file, before the file is checked. What that cheap read cannot settle
/// goes through the full parse.
fn identity(engine: &Engine, source: &Source) -> Option<(String, i64)> {
    let registry = &engine.registry;
    let mut keys: Vec<&str> = Vec::new();
    if registry.forced.is_none() {
        keys.extend(
            registry
                .schemas
                .iter()
                .find_map(|s| Some(s.select.as_ref()?.0.as_str())),
        );
    }
    for s in registry.forced.iter().chain(&registry.schemas) {
        keys.extend(s.identity.as_deref());
        keys.extend(s.period.as_deref());
    }
    keys.sort_unstable();
    keys.dedup();
    let tree = match yaml::root_scalars(&source.text, yaml::Limits::default(), &keys) {
        Some(tree) => tree,
        None => load::parse(source).ok()?,
    };
    let schema = choose_schema(&tree, registry).ok()?;
    let field = |key: &Option<String>| {
        let e = tree.get(tree.root, key.as_deref()?)?;
        match &tree.node(e.value).kind {
            crate::yaml::NodeKind::Scalar { text, .. } => Some(text.trim().to_string()),
            _ => None,
        }
    };
    Some((
        field(&schema.identity)?,
        field(&schema.period)?.parse().ok()?,
    ))
}
