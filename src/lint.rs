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
use crate::document::{choose_schema, Document};
use crate::engine::Engine;
use crate::finding::{Finding, Severity};
use crate::load;
use crate::render::stats::FileStats;
use crate::render::{Format, Meta, Renderer, Report, RuleInfo, Run, Settings, Summary};
use crate::source::Source;
use crate::yaml;

/// Reports checked ahead of the one being written, per worker thread.
const AHEAD: usize = 4;

pub struct Options {
    pub format: Format,
    pub settings: Settings,
    pub baseline: Option<Known>,
    pub write_baseline: Option<PathBuf>,
    pub progress: bool,
    /// `--stdin-filename`: standard input is checked as if it were the file at this path
    /// (its name in the output and the baseline, last year's report looked up around it).
    pub stdin_filename: Option<PathBuf>,
}

/// A report to check: a file, or standard input (`-`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    File(PathBuf),
    Stdin,
    /// A place the walk could not enter (permissions, a vanished directory): reported as a
    /// finding, so nothing is skipped silently.
    Unwalkable(PathBuf, String),
}

impl Input {
    /// The file's exact path (none for standard input).
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            Input::File(p) | Input::Unwalkable(p, _) => Some(p),
            Input::Stdin => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::File(p) | Input::Unwalkable(p, _) => p.display().to_string(),
            Input::Stdin => "<stdin>".into(),
        }
    }
}

/// The reports named on the command line: files as given, directories walked for `*.yaml`
/// and `*.yml` — honouring .gitignore, skipping hidden entries, never following symlinks —
/// and `-` for standard input. Each directory's reports are sorted by path, so output is
/// deterministic. The paths are kept in one buffer (about 50 bytes a report), not as a
/// list of `PathBuf`s, so even 100,000 reports cost a few megabytes.
pub struct Inputs {
    /// Directories walked (and "" for paths given as they are).
    roots: Vec<PathBuf>,
    /// Every path below its root, back to back.
    names: Vec<u8>,
    items: Vec<Item>,
    /// Why a place could not be walked, by item.
    errors: HashMap<usize, String>,
}

/// A path's bytes, exactly as the system names it (on Unix; elsewhere as Unicode text).
fn path_bytes(path: &std::path::Path) -> std::borrow::Cow<'_, [u8]> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(path.to_string_lossy().as_bytes().to_vec())
    }
}

/// The path [`path_bytes`] gave these bytes of.
fn bytes_path(bytes: &[u8]) -> std::borrow::Cow<'_, std::path::Path> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::borrow::Cow::Borrowed(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::borrow::Cow::Owned(String::from_utf8_lossy(bytes).into_owned().into())
    }
}

/// Whether a file name ends in `.yaml` or `.yml` (any case) after a stem: what
/// [`std::path::Path::extension`] reads, on the name's bytes.
fn yaml_name(name: &[u8]) -> bool {
    match name.iter().rposition(|&c| c == b'.') {
        Some(dot) if dot > 0 => {
            let ext = &name[dot + 1..];
            ext.eq_ignore_ascii_case(b"yaml") || ext.eq_ignore_ascii_case(b"yml")
        }
        _ => false,
    }
}

/// Whether a walked name is a plain relative path: names joined by single `/`, none of
/// them `.` or `..` (what a walk below a directory gives).
fn plain_name(name: &[u8]) -> bool {
    name.split(|&c| c == b'/')
        .all(|part| !part.is_empty() && part != b"." && part != b"..")
}

/// Two names in the order of their paths (component by component). For plain names
/// ([`plain_name`]) on Unix that is the order of their bytes with `/` first, compared
/// without splitting them into components (sorting a walk of a thousand files went from
/// 6.4 M instructions to a fraction of that).
fn name_order(a: &[u8], b: &[u8], plain: bool) -> std::cmp::Ordering {
    if cfg!(unix) && plain {
        let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
        // A name that ends first is a leading part of the other: it comes first.
        let next = |s: &[u8]| {
            s.get(same)
                .map(|&c| if c == b'/' { 0 } else { u16::from(c) + 1 })
        };
        return next(a).cmp(&next(b));
    }
    bytes_path(a).cmp(&bytes_path(b))
}

/// An input: `names[start..end]` below `roots[root]`; `root == STDIN` for standard input.
#[derive(Clone, Copy)]
struct Item {
    root: u32,
    start: u32,
    end: u32,
}

const STDIN: u32 = u32::MAX;

/// The files of a run given several paths: those named on the command line (checked under
/// that name) and those already found by a walk.
struct Dedupe {
    named: std::collections::HashSet<PathBuf>,
    walked: std::collections::HashSet<PathBuf>,
}

impl Dedupe {
    /// Whether a walked file is met for the first time and not named on the command line.
    fn first_time(&mut self, path: &std::path::Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(exact) => !self.named.contains(&exact) && self.walked.insert(exact),
            Err(_) => true,
        }
    }
}

impl Inputs {
    pub fn new(paths: &[PathBuf]) -> Result<Inputs, String> {
        let mut inputs = Inputs {
            roots: vec![PathBuf::new()],
            names: Vec::new(),
            items: Vec::new(),
            errors: HashMap::new(),
        };
        // A path given twice (or by two names) is checked once; so is a file given by name
        // and found again by walking a directory given too, or by two overlapping walks.
        // Only runs given several paths pay for resolving the walked names.
        let mut seen = std::collections::HashSet::new();
        let mut dedupe = (paths.len() > 1).then(|| Dedupe {
            named: paths
                .iter()
                .filter(|p| p.is_file())
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect(),
            walked: std::collections::HashSet::new(),
        });
        for path in paths {
            if let Ok(exact) = std::fs::canonicalize(path) {
                if !seen.insert(exact) {
                    continue;
                }
            }
            if path.as_os_str() == "-" {
                inputs.items.push(Item {
                    root: STDIN,
                    start: 0,
                    end: 0,
                });
            } else if path.is_file() {
                inputs.push(0, path);
            } else if path.is_dir() {
                inputs.walk(path, dedupe.as_mut());
            } else {
                return Err(crate::messages::render::RenderMsg::NoSuchPath {
                    path: path.display().to_string(),
                }
                .to_string());
            }
        }
        Ok(inputs)
    }

    fn push(&mut self, root: u32, path: &std::path::Path) -> usize {
        self.push_bytes(root, &path_bytes(path))
    }

    fn push_bytes(&mut self, root: u32, name: &[u8]) -> usize {
        let start = self.names.len() as u32;
        self.names.extend_from_slice(name);
        self.items.push(Item {
            root,
            start,
            end: self.names.len() as u32,
        });
        self.items.len() - 1
    }

    /// Adds a walked path under its root's index, as its name below the root `dir`: cut off
    /// as bytes when the path is the root's bytes, a `/` and a plain name (what a walk
    /// gives, and then what [`std::path::Path::strip_prefix`] gives, without comparing the
    /// paths component by component: that was a third of the walk's instructions).
    fn push_below(&mut self, root: u32, dir: &std::path::Path, path: &std::path::Path) -> usize {
        let bytes = path_bytes(path);
        let below = bytes
            .strip_prefix(&*path_bytes(dir))
            .and_then(|rest| rest.strip_prefix(b"/"))
            .filter(|rest| cfg!(unix) && plain_name(rest));
        match below {
            Some(name) => self.push_bytes(root, name),
            None => self.push(root, path.strip_prefix(dir).unwrap_or(path)),
        }
    }

    fn walk(&mut self, dir: &std::path::Path, mut dedupe: Option<&mut Dedupe>) {
        let root = self.roots.len() as u32;
        self.roots.push(dir.to_path_buf());
        let first = self.items.len();
        for entry in ignore::WalkBuilder::new(dir)
            .follow_links(false)
            .require_git(false)
            .build()
        {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if yaml_name(&path_bytes(std::path::Path::new(e.file_name())))
                        && e.file_type().is_some_and(|t| t.is_file())
                        && dedupe.as_deref_mut().is_none_or(|d| d.first_time(p))
                    {
                        self.push_below(root, dir, p);
                    }
                }
                Err(err) => {
                    let at = match &err {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => dir.to_path_buf(),
                    };
                    let i = self.push(root, at.strip_prefix(dir).unwrap_or(&at));
                    self.errors.insert(i, err.to_string());
                }
            }
        }
        let names = &self.names;
        let errors = std::mem::take(&mut self.errors);
        // Sort this walk's paths; errors travel with their items.
        let mut order: Vec<usize> = (first..self.items.len()).collect();
        let name = |i: usize| &names[self.items[i].start as usize..self.items[i].end as usize];
        let plain = order.iter().all(|&i| plain_name(name(i)));
        order.sort_by(|&x, &y| name_order(name(x), name(y), plain));
        let sorted: Vec<Item> = order.iter().map(|&i| self.items[i]).collect();
        self.errors = errors
            .into_iter()
            .map(|(i, e)| {
                if i < first {
                    (i, e)
                } else {
                    (first + order.iter().position(|&o| o == i).unwrap_or(0), e)
                }
            })
            .collect();
        self.items.truncate(first);
        self.items.extend(sorted);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The input at a position.
    pub fn get(&self, i: usize) -> Option<Input> {
        let item = self.items.get(i)?;
        if item.root == STDIN {
            return Some(Input::Stdin);
        }
        let path = self.roots.get(item.root as usize)?.join(bytes_path(
            &self.names[item.start as usize..item.end as usize],
        ));
        Some(match self.errors.get(&i) {
            Some(e) => Input::Unwalkable(path, e.clone()),
            None => Input::File(path),
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = Input> + '_ {
        (0..self.items.len()).filter_map(|i| self.get(i))
    }
}

/// Read one input as text (a file, or standard input up to the size limit).
pub fn read(input: &Input) -> Result<Source, load::Unreadable> {
    match input {
        Input::File(p) => load::read(p),
        Input::Unwalkable(p, e) => Err(Box::new((
            Source::new(p.display().to_string(), ""),
            load::LoadError::Io(e.clone()),
        ))),
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

/// Last year's report of each body: a hash of (identity, year) → its position among the
/// inputs (12 bytes a report). Built only when an enabled rule asks, in a first pass that
/// reads just the head of each file. A hash collision is caught when the pair is read.
type PriorIndex = HashMap<u64, u32>;

fn identity_key(body: &str, year: i64) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (body, year).hash(&mut h);
    h.finish()
}

fn index_prior(engine: &Engine, inputs: &Inputs) -> PriorIndex {
    (0..inputs.len())
        .into_par_iter()
        .filter_map(|i| {
            let Some(Input::File(path)) = inputs.get(i) else {
                return None;
            };
            // 机关 and 年度 open a report: the head of the file usually answers.
            let found = head(&path).and_then(|h| identity(engine, &h));
            let (body, year) = match found {
                Some(found) => found,
                None => identity(engine, &load::read(&path).ok()?)?,
            };
            Some((identity_key(&body, year), i as u32))
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

const HEAD: usize = 512;

struct Checked {
    text: Vec<u8>,
    counts: Summary,
    entries: Vec<Entry>,
    stats: FileStats,
}

/// The rules a run can report, for outputs that list them (SARIF).
pub fn rule_infos(engine: &Engine) -> Vec<RuleInfo> {
    crate::document::STRUCTURE_RULES
        .iter()
        .map(|(id, severity, title, why)| RuleInfo {
            id: id.to_string(),
            severity: *severity,
            title: title.to_string(),
            why: why.to_string(),
        })
        .chain(engine.rules.rules.iter().map(|r| RuleInfo {
            id: r.id.clone(),
            severity: r.severity,
            title: r.title.clone(),
            why: r.why.clone(),
        }))
        .chain(crate::engine::LOAD_RULES.iter().map(|id| RuleInfo {
            id: id.to_string(),
            severity: Severity::Error,
            title: load_title(id),
            why: String::new(),
        }))
        .chain(std::iter::once(RuleInfo {
            id: CRASH_RULE.into(),
            severity: Severity::Error,
            title: crate::messages::render::RenderMsg::CrashTitle.to_string(),
            why: String::new(),
        }))
        .collect()
}

/// The title of a `load/*` rule.
fn load_title(id: &str) -> String {
    use crate::messages::load::LoadTitle;
    match id {
        "load/io" => LoadTitle::Io,
        "load/too-large" => LoadTitle::TooLarge,
        "load/encoding" => LoadTitle::Encoding,
        "load/syntax" => LoadTitle::Syntax,
        _ => LoadTitle::Empty,
    }
    .to_string()
}

/// Items taken at once by a worker, at most.
const MAX_RUN: usize = 16;

/// The worker threads to check with: `RAYON_NUM_THREADS` when set, as rayon reads it, else
/// the cores — without starting rayon's own pool (two idle threads that spin before they
/// sleep), which only the cross-year index uses.
fn worker_threads() -> usize {
    std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
        .unwrap_or(1)
}

/// Runs `work` for `0..n` and hands the results to `emit` in order, each as soon as it and
/// all before it are done. Returns the most bytes (by `size`) that waited at once. An item
/// `work` gives `None` for is skipped.
///
/// The items are first checked on this thread, one after another: a run whose whole work
/// takes a few milliseconds is over before worker threads would pay for themselves (on a
/// thousand small files, two workers cost a quarter more CPU time than one thread, in
/// wake-ups and hand-offs, for a few milliseconds of wall time). Once the items done have
/// taken [`SAMPLE`] and the rest, at their pace, would take more than [`SERIAL_WORK`], the
/// rest goes to worker threads ([`in_parallel`]).
fn in_order<T: Send>(
    n: usize,
    work: impl Fn(usize) -> Option<T> + Sync,
    size: impl Fn(&T) -> usize,
    mut emit: impl FnMut(T) -> io::Result<()>,
) -> io::Result<usize> {
    let threads = worker_threads().clamp(1, n.max(1));
    let start = Instant::now();
    let mut peak = 0;
    for i in 0..n {
        if threads > 1 && i > 0 {
            let spent = start.elapsed();
            // What the rest would take at the pace so far (saturating: an estimate).
            let rest = spent.saturating_mul(u32::try_from(n - i).unwrap_or(u32::MAX))
                / u32::try_from(i).unwrap_or(u32::MAX);
            if spent >= SAMPLE && rest > SERIAL_WORK {
                let waited = in_parallel(i..n, threads, &work, &size, emit)?;
                return Ok(peak.max(waited));
            }
        }
        if let Some(t) = work(i) {
            peak = peak.max(size(&t));
            emit(t)?;
        }
    }
    Ok(peak)
}

/// How long the items checked on one thread must have taken before their pace is trusted
/// to estimate the rest (the first files pay for cold caches).
const SAMPLE: std::time::Duration = std::time::Duration::from_millis(2);

/// The most work, at the pace measured, left to one thread rather than shared with workers.
const SERIAL_WORK: std::time::Duration = std::time::Duration::from_millis(50);

/// [`in_order`] for `items` on `threads` worker threads. Workers take runs of up to
/// [`MAX_RUN`] consecutive items, so handing results to the writer costs a wake-up per run,
/// not per item (on a thousand small files, those wake-ups were most of the system time). A
/// worker starts a run only when fewer than [`AHEAD`] × threads runs are done but not yet
/// emitted, so what waits in memory is bounded whatever the number and size of the items.
fn in_parallel<T: Send>(
    items: std::ops::Range<usize>,
    threads: usize,
    work: &(impl Fn(usize) -> Option<T> + Sync),
    size: impl Fn(&T) -> usize,
    mut emit: impl FnMut(T) -> io::Result<()>,
) -> io::Result<usize> {
    use std::collections::BTreeMap;
    use std::sync::{mpsc, Condvar, Mutex};
    let (first, n) = (items.start, items.len());
    // Runs short enough that every thread gets many (the work stays balanced).
    let run = (n / (threads * 16)).clamp(1, MAX_RUN);
    let runs = n.div_ceil(run);
    let window = AHEAD * threads;
    let next = std::sync::atomic::AtomicUsize::new(0);
    // How many runs are emitted, whether to stop, and how many workers wait (waking none
    // costs a system call otherwise).
    let done = Mutex::new((0usize, false, 0usize));
    let moved = Condvar::new();
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<Option<T>>)>(window);
    std::thread::scope(|s| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, done, moved) = (&next, &done, &moved);
            s.spawn(move || loop {
                let r = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if r >= runs {
                    break;
                }
                {
                    let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
                    while !d.1 && r >= d.0 + window {
                        d.2 += 1;
                        d = moved.wait(d).unwrap_or_else(|e| e.into_inner());
                        d.2 -= 1;
                    }
                    if d.1 {
                        break;
                    }
                }
                let items = (first + r * run..first + ((r + 1) * run).min(n))
                    .map(work)
                    .collect();
                if tx.send((r, items)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let rx = rx;
        let mut waiting: BTreeMap<usize, Vec<Option<T>>> = BTreeMap::new();
        let (mut expect, mut held, mut peak) = (0, 0, 0);
        let mut result = Ok(());
        for (r, items) in rx.iter() {
            held += items.iter().flatten().map(&size).sum::<usize>();
            peak = peak.max(held);
            waiting.insert(r, items);
            while let Some(items) = waiting.remove(&expect) {
                expect += 1;
                for t in items.into_iter().flatten() {
                    held -= size(&t);
                    if result.is_ok() {
                        result = emit(t);
                    }
                }
            }
            let mut d = done.lock().unwrap_or_else(|e| e.into_inner());
            d.0 = expect;
            d.1 = result.is_err();
            if d.2 > 0 {
                moved.notify_all();
            }
            if d.1 {
                break;
            }
        }
        // Workers blocked on a full channel give up once it is gone.
        drop(rx);
        result.map(|()| peak)
    })
}

/// Lint every input, writing the output to `out` in the chosen format. Returns the summary.
pub fn run(
    engine: &Engine,
    inputs: &Inputs,
    opts: &Options,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let mut renderer = opts.format.renderer(&opts.settings);
    run_with(engine, inputs, opts, &mut *renderer, out)
}

/// Lint every input through a given renderer (`opts.format` is not used).
pub fn run_with(
    engine: &Engine,
    inputs: &Inputs,
    opts: &Options,
    renderer: &mut dyn Renderer,
    out: &mut dyn Write,
) -> io::Result<Summary> {
    let start = Instant::now();
    let uses_prior = engine
        .rules
        .rules
        .iter()
        .any(|r| engine.selection.enabled(&r.id) && r.uses_prior());
    let prior = Priors {
        index: if uses_prior && inputs.len() > 1 {
            index_prior(engine, inputs)
        } else {
            HashMap::new()
        },
        stdin: opts
            .stdin_filename
            .as_deref()
            .and_then(|p| PriorFinder::new(engine, &prior_root(p))),
    };
    let rules = rule_infos(engine);
    let run_info = Run { rules: &rules };
    // Drawn only once a run has lasted a second: short runs stay quiet.
    let bar = opts.progress.then(|| {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                &crate::messages::render::RenderMsg::Progress.to_string(),
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let mut summary = Summary::default();
    let mut entries = Vec::new();
    renderer.header(&run_info, out)?;
    let shared = &*renderer;
    let check = |i: usize| {
        let input = inputs.get(i)?;
        // The last line of defence: a bug that panics on one file costs that file, never
        // the run, the other files' output or the end of the JSON.
        let run = std::panic::AssertUnwindSafe(|| {
            check_one(engine, &input, inputs, &prior, opts, shared)
        });
        Some(
            std::panic::catch_unwind(run)
                .unwrap_or_else(|payload| crashed(&input, &*payload, shared)),
        )
    };
    let mut tally = |r: Checked, out: &mut dyn Write| -> io::Result<()> {
        shared.write(&r.text, out)?;
        summary.files += 1;
        summary.errors += r.counts.errors;
        summary.warnings += r.counts.warnings;
        summary.infos += r.counts.infos;
        summary.unreadable += r.counts.unreadable;
        summary.suppressed += r.counts.suppressed;
        summary.fully_checked += r.counts.fully_checked;
        summary.not_fully_checked += r.counts.not_fully_checked;
        entries.extend(r.entries);
        summary.stats.add(r.stats);
        if let Some(bar) = &bar {
            if bar.is_hidden() && start.elapsed().as_secs() >= 1 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(10));
            }
            bar.inc(1);
        }
        Ok(())
    };
    let peak = in_order(inputs.len(), check, |r| r.text.len(), |r| tally(r, out))?;
    summary.peak_buffered = peak;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summary.elapsed_ms = start.elapsed().as_millis();
    renderer.footer(&run_info, &summary, out)?;
    if let Some(path) = &opts.write_baseline {
        baseline::write(path, entries).map_err(io::Error::other)?;
    }
    Ok(summary)
}

fn check_one(
    engine: &Engine,
    input: &Input,
    inputs: &Inputs,
    prior: &Priors,
    opts: &Options,
    renderer: &dyn Renderer,
) -> Checked {
    let as_file = match input {
        Input::Stdin => opts.stdin_filename.as_deref(),
        _ => None,
    };
    let name = as_file.map_or_else(|| input.name(), |p| p.display().to_string());
    let (mut source, unreadable) = match read(input) {
        Ok(source) => (source, None),
        Err(bad) => {
            let (source, e) = *bad;
            (source, Some(e))
        }
    };
    if as_file.is_some() {
        source.name = name.clone();
    }
    let checked = match &unreadable {
        None => {
            let prior_source = match (as_file, &prior.stdin) {
                (Some(_), Some(finder)) => finder.prior(engine, &source),
                _ => prior_for(engine, &source, inputs, &prior.index),
            };
            engine.check_report(&source, prior_source.as_ref())
        }
        Some(e) => crate::engine::Checked {
            findings: vec![crate::engine::load_finding(e)],
            document: None,
            fully_checked: false,
            plan: None,
        },
    };
    let meta = meta(checked.document.as_ref(), checked.fully_checked);
    let mut counts = Summary::default();
    if checked.fully_checked {
        counts.fully_checked = 1;
    } else {
        counts.not_fully_checked = 1;
    }
    let mut entries = Vec::new();
    let mut kept: Vec<Finding> = Vec::new();
    // Baseline entries of this file that accepted nothing are reported with its findings.
    let mut findings = checked.findings;
    let stale = opts.baseline.as_ref().map(|b| {
        let before = findings.len();
        // A baseline cannot accept a finding that stops the report being fully checked.
        findings.retain(|f| {
            crate::document::stops_checking(&f.rule) || !b.accept(&Entry::of(&name, f))
        });
        counts.suppressed += before - findings.len();
        let ids = engine.known_rule_ids();
        b.unused(&name, |r| ids.iter().any(|id| id == r))
    });
    if let Some(stale) = stale {
        findings.splice(0..0, stale);
    }
    for f in findings {
        if f.rule.starts_with("load/") {
            counts.unreadable += 1;
        }
        match f.severity {
            Severity::Error => counts.errors += 1,
            Severity::Warning => counts.warnings += 1,
            Severity::Info => counts.infos += 1,
        }
        // Only what a baseline can accept is written to one.
        let acceptable =
            !f.rule.starts_with("suppress/") && !crate::document::stops_checking(&f.rule);
        if opts.write_baseline.is_some() && acceptable {
            entries.push(Entry::of(&name, &f));
        }
        kept.push(f);
    }
    let report = Report {
        name: &name,
        path: as_file.or(input.path()),
        source: &source,
        document: checked.document.as_ref(),
        findings: &kept,
        meta: &meta,
    };
    let mut text = Vec::new();
    renderer.report(&report, &mut text);
    Checked {
        text,
        counts,
        entries,
        stats: FileStats::new(&name, &meta, &kept),
    }
}

/// The id of the finding a file gets when checking or rendering it panicked.
pub const CRASH_RULE: &str = "internal/crash";

/// A file whose check or rendering panicked: one error finding, rendered if the renderer
/// can; counted as an error and as not fully checked either way.
fn crashed(
    input: &Input,
    payload: &(dyn std::any::Any + Send),
    renderer: &dyn Renderer,
) -> Checked {
    use crate::messages::render::RenderMsg;
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    let name = input.name();
    let source = Source::new(name.clone(), "");
    let finding = Finding::new(
        CRASH_RULE,
        Severity::Error,
        &RenderMsg::CrashTitle.to_string(),
        RenderMsg::Crash { detail }.to_string(),
        0..0,
    );
    let findings = [finding];
    let meta = Meta::default();
    let report = Report {
        name: &name,
        path: input.path(),
        source: &source,
        document: None,
        findings: &findings,
        meta: &meta,
    };
    let mut text = Vec::new();
    let render = std::panic::AssertUnwindSafe(|| renderer.report(&report, &mut text));
    if std::panic::catch_unwind(render).is_err() {
        text.clear();
    }
    Checked {
        text,
        counts: Summary {
            errors: 1,
            not_fully_checked: 1,
            ..Summary::default()
        },
        entries: Vec::new(),
        stats: FileStats::new(&name, &meta, &findings),
    }
}

/// A report's 机关, 年度 and format, and whether every relation could be checked (the
/// engine's [`crate::engine::Checked::fully_checked`]).
fn meta(document: Option<&Document>, fully_checked: bool) -> Meta {
    let Some(doc) = document else {
        return Meta::default();
    };
    let field = |key: &Option<String>| key.as_deref().and_then(|k| doc.field_text(k));
    Meta {
        agency: field(&doc.schema.identity),
        year: field(&doc.schema.period),
        format: Some(doc.schema.name.clone()),
        fully_checked,
    }
}

fn prior_for(
    engine: &Engine,
    source: &Source,
    inputs: &Inputs,
    prior: &PriorIndex,
) -> Option<Source> {
    if prior.is_empty() {
        return None;
    }
    let (body, year) = identity(engine, source)?;
    let Some(Input::File(path)) = inputs.get(*prior.get(&identity_key(&body, year - 1))? as usize)
    else {
        return None;
    };
    let found = load::read(&path).ok()?;
    // The index holds hashes: make sure this is the same body's report of last year.
    (identity(engine, &found)? == (body, year - 1)).then_some(found)
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

/// Where last year's reports are looked for, for a report that stands at `path` (read
/// from standard input or an editor): below the nearest `gouji.toml`'s directory, else
/// beside the file.
pub fn prior_root(path: &std::path::Path) -> PathBuf {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.ancestors()
        .find(|d| d.join("gouji.toml").is_file())
        .map_or(dir.clone(), std::path::Path::to_path_buf)
}

/// Last year's index for the named inputs, and for standard input read as a named file.
struct Priors {
    index: PriorIndex,
    stdin: Option<PriorFinder>,
}

/// The reports below a directory, indexed by body and year: what `gouji lint DIR` would
/// pair a report with. For a report read from elsewhere (`--stdin-filename`, an editor).
pub struct PriorFinder {
    inputs: Inputs,
    index: PriorIndex,
}

impl PriorFinder {
    /// `None` when no enabled rule reads last year's report (nothing is walked then).
    pub fn new(engine: &Engine, dir: &std::path::Path) -> Option<PriorFinder> {
        let uses_prior = engine
            .rules
            .rules
            .iter()
            .any(|r| engine.selection.enabled(&r.id) && r.uses_prior());
        if !uses_prior {
            return None;
        }
        let inputs = Inputs::new(&[dir.to_path_buf()]).ok()?;
        let index = index_prior(engine, &inputs);
        Some(PriorFinder { inputs, index })
    }

    /// Last year's report of the body `source` is about, read from disk.
    pub fn prior(&self, engine: &Engine, source: &Source) -> Option<Source> {
        prior_for(engine, source, &self.inputs, &self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Comparing plain names by their bytes orders them as their paths order.
    #[test]
    fn plain_names_sort_as_paths() {
        let names: Vec<&[u8]> = vec![
            b"a",
            b"a/b",
            b"a/b/c",
            b"a-b",
            b"a.b",
            b"ab",
            b"a/-b",
            b"a/.b",
            b"A",
            b"b.yaml",
            b"a/b.yaml",
            "机关/2020.yaml".as_bytes(),
            "机关-2020.yaml".as_bytes(),
            b"z",
            b"a/b-c/d",
            b"a/b/c-d",
            b"0",
            b"-",
            b"~",
        ];
        assert!(names.iter().all(|n| plain_name(n)));
        for a in &names {
            for b in &names {
                assert_eq!(
                    name_order(a, b, true),
                    bytes_path(a).cmp(&bytes_path(b)),
                    "{:?} {:?}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                );
            }
        }
        for odd in [&b"./a"[..], b"a//b", b"a/", b"/a", b"a/../b", b""] {
            assert!(!plain_name(odd), "{odd:?}");
        }
    }
}
