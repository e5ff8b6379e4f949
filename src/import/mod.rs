//! `gouji import`: published reports (plain text, HTML, DOCX, PDF) → report YAML.
//!
//! Every input kind is turned into blocks (lines, cells, table rows), the
//! blocks into a token stream, and the stream is matched against the national
//! template of the detected format version. Nothing is guessed: what cannot
//! be placed becomes a [`Problem`] and the document is marked `不完整: true`.
//! See docs/import.md.

mod assemble;
mod docx;
mod grid;
mod headers;
mod html;
mod matching;
mod meta;
mod normalise;
mod pdf;
mod prose;
mod rows;
mod split;
mod template;
mod text;
mod tokens;
mod write;

use std::fmt;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::messages::import::{FileMsg, RefuseMsg};

pub use template::Version;

/// What `gouji import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub inputs: Vec<PathBuf>,
    pub output: Option<PathBuf>,
    pub force: bool,
    pub strict: bool,
}

/// How serious a problem is. Only infos leave a document complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

/// Something the importer could not read with certainty, at a place in the
/// source file where known: a 1-based line and column (in characters) of text
/// and PDF text, or the table, row and cell of an HTML or DOCX table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Problem {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The table cell, for HTML and DOCX inputs.
    pub cell: Option<TableCell>,
    pub severity: Severity,
}

/// A cell of an HTML or DOCX table, counted from 1 as a person counts: the
/// table's place among the document's tables, the row's among the table's rows,
/// and the cell's among the cells one sees in that row, left to right (a cell
/// merged over several rows or columns is one cell, counted in each row it covers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableCell {
    pub table: usize,
    pub row: usize,
    pub cell: usize,
}

impl Problem {
    /// Where the problem is, in words (`第 11 行第 3 列`, `第 2 个表格第 5 行第 3 格`;
    /// English with `--lang en`), when known.
    pub fn place(&self) -> Option<String> {
        use crate::messages::import::PlaceMsg;
        let m = match (self.cell, self.line, self.column) {
            (Some(TableCell { table, row, cell }), _, _) => PlaceMsg::Cell { table, row, cell },
            (None, Some(line), Some(column)) => PlaceMsg::LineColumn { line, column },
            (None, Some(line), None) => PlaceMsg::Line { line },
            (None, None, _) => return None,
        };
        Some(m.to_string())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place() {
            Some(at) => write!(
                f,
                "{at}{}{}",
                crate::messages::pick("：", ": "),
                self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

impl miette::Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("gouji::import"))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Info => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }
}

/// Why an import (or one file of it) failed. Its text comes from the message
/// catalogue (`FileMsg`, `RefuseMsg`): Chinese by default, English with `--lang en`.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ImportError {
    #[error("{}", FileMsg::Read { path: shown(.path), error: ToString::to_string(.source) })]
    #[diagnostic(code(gouji::import::read))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", FileMsg::Write { path: shown(.path), error: ToString::to_string(.source) })]
    #[diagnostic(code(gouji::import::write))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", FileMsg::Exists { path: shown(.path) })]
    #[diagnostic(code(gouji::import::exists))]
    Exists { path: PathBuf },
    #[error("{file}: {reason}")]
    #[diagnostic(code(gouji::import::unsupported))]
    Unsupported { file: String, reason: String },
    #[error("{file}: {}", FileMsg::Strict { count: *count })]
    #[diagnostic(code(gouji::import::strict))]
    Strict {
        file: String,
        count: usize,
        problems: Vec<Problem>,
    },
    #[error("{0}")]
    #[diagnostic(code(gouji::import::usage))]
    Usage(String),
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// One imported document.
#[derive(Debug, Clone)]
pub struct Imported {
    pub yaml: String,
    pub problems: Vec<Problem>,
    pub version: Version,
}

impl Imported {
    /// Complete when every problem is only informational.
    pub fn complete(&self) -> bool {
        self.problems.iter().all(|p| p.severity == Severity::Info)
    }
}

/// What happened to one input of [`run`].
#[derive(Debug)]
pub struct FileOutcome {
    pub input: PathBuf,
    /// Where the YAML was written (None: stdout, or failed).
    pub output: Option<PathBuf>,
    pub result: Result<Imported, ImportError>,
}

/// The result of [`run`].
#[derive(Debug)]
pub struct ImportSummary {
    pub files: Vec<FileOutcome>,
    /// The YAML to print, when a single input goes to stdout.
    pub stdout: Option<String>,
    /// Entries of the directories given that were not imported, and why.
    pub skipped: Vec<(PathBuf, SkipReason)>,
}

/// Why an entry of a directory given to `gouji import` was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A directory inside it (directories are not walked recursively).
    Directory,
    /// A hidden file (its name starts with a dot).
    Hidden,
    /// Its extension is none of the importable kinds.
    Extension(String),
    /// Its name is not valid Unicode or it could not be inspected.
    Unreadable,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::messages::import::SkipMsg;
        let m = match self {
            SkipReason::Directory => SkipMsg::Directory,
            SkipReason::Hidden => SkipMsg::Hidden,
            SkipReason::Extension(e) => SkipMsg::Extension {
                ext: e.clone(),
                known: EXTENSIONS.join(" "),
            },
            SkipReason::Unreadable => SkipMsg::Unreadable,
        };
        write!(f, "{m}")
    }
}

impl ImportSummary {
    /// Inputs imported with every cell read (only infos).
    pub fn exact(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.result.as_ref().is_ok_and(Imported::complete))
            .count()
    }
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| f.result.is_err()).count()
    }
    pub fn incomplete(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.result.as_ref().is_ok_and(|i| !i.complete()))
            .count()
    }
}

/// The input kinds, told apart by content first and name second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    Docx,
    Pdf,
}

/// The largest PDF or DOCX file imported (a report with photographs stays well under it).
pub const MAX_BINARY_INPUT: u64 = 64 * 1024 * 1024;
/// The largest text or HTML input imported: a report page is well under 1 MiB.
pub const MAX_TEXT_INPUT: u64 = 8 * 1024 * 1024;

fn kind(file_name: &str, bytes: &[u8]) -> Result<Kind, RefuseMsg> {
    let lower = file_name.to_ascii_lowercase();
    if bytes.starts_with(b"%PDF") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Docx);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(RefuseMsg::LegacyWord);
    }
    if let Some(what) = image_kind(bytes) {
        return Err(RefuseMsg::Image { what: what.into() });
    }
    if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
        return Ok(Kind::Html);
    }
    if lower.ends_with(".json")
        || lower.ends_with(".yaml")
        || lower.ends_with(".yml")
        || lower.ends_with(".xlsx")
    {
        return Err(RefuseMsg::NotAReport);
    }
    if is_binary(bytes) {
        return Err(RefuseMsg::Binary);
    }
    Ok(Kind::Text)
}

/// Image formats a report is sometimes published as (a scan or a screenshot).
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    let riff_webp = bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP");
    [
        (&b"\x89PNG\r\n\x1a\n"[..], "PNG"),
        (&b"\xFF\xD8\xFF"[..], "JPEG"),
        (&b"GIF87a"[..], "GIF"),
        (&b"GIF89a"[..], "GIF"),
        (&b"BM"[..], "BMP"),
        (&b"II*\0"[..], "TIFF"),
        (&b"MM\0*"[..], "TIFF"),
    ]
    .iter()
    .find(|(magic, _)| bytes.starts_with(magic))
    .map(|(_, what)| *what)
    .or(riff_webp.then_some("WebP"))
}

/// Bytes no text encoding the importer reads would produce: NUL bytes (outside
/// UTF-16, which starts with its byte-order mark) or mostly control bytes.
fn is_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    head.contains(&0) || control * 10 > head.len()
}

/// Import one input held in memory. `file_name` decides nothing but the
/// kind when the content does not, and is recorded in `来源`.
pub fn import_bytes(file_name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    let unsupported = |reason: String| ImportError::Unsupported {
        file: file_name.to_string(),
        reason,
    };
    let refuse = |m: RefuseMsg| unsupported(m.to_string());
    let mut problems = Vec::new();
    let k = kind(file_name, bytes).map_err(refuse)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    let limit = match k {
        Kind::Pdf | Kind::Docx => MAX_BINARY_INPUT,
        Kind::Text | Kind::Html => MAX_TEXT_INPUT,
    };
    if size > limit {
        return Err(refuse(RefuseMsg::TooLarge { size, limit }));
    }
    let mut structured = matches!(k, Kind::Docx | Kind::Html);
    let blocks = match k {
        Kind::Docx => {
            let (blocks, found) = docx::blocks(bytes).map_err(unsupported)?;
            problems.extend(found);
            blocks
        }
        Kind::Pdf => text::blocks(&pdf::text(bytes).map_err(unsupported)?),
        Kind::Text | Kind::Html => {
            let (s, enc) = text::decode(bytes);
            if enc == text::Encoding::Lossy {
                problems.push(Problem {
                    message: crate::messages::import::ImportMsg::Lossy.to_string(),
                    line: None,
                    column: None,
                    cell: None,
                    severity: Severity::Warning,
                });
            }
            if k == Kind::Html || html::looks_like_html(&s) {
                let depth = html::nesting_depth(&s, html::MAX_DEPTH);
                if depth > html::MAX_DEPTH {
                    return Err(refuse(RefuseMsg::TooDeep {
                        depth,
                        limit: html::MAX_DEPTH,
                    }));
                }
                let (blocks, found) = html::blocks(&s);
                problems.extend(found);
                structured = true;
                blocks
            } else {
                structured = false;
                text::blocks(&s)
            }
        }
    };
    let report = match assemble::assemble(&blocks, structured) {
        Ok(r) => r,
        Err(m) => {
            // why the tables could not be read, when the front end knows (the grid limit)
            let mut reason = m.to_string();
            for p in problems.iter().filter(|p| p.severity == Severity::Error) {
                reason.push_str(crate::messages::pick("；", "; "));
                reason.push_str(&p.message);
            }
            return Err(unsupported(reason));
        }
    };
    problems.extend(report.problems.iter().cloned());
    let sha = hex(&Sha256::digest(bytes));
    let yaml = write::render(&report, file_name, &sha, &problems);
    Ok(Imported {
        yaml,
        problems,
        version: report.version,
    })
}

/// Every key path the importer can write from its copy of the national
/// template of format `v`, dotted (`申请.办理结果.不予公开.国家秘密.自然人`):
/// each table, each template row and row group, each cell (row × column) of a
/// row that takes values, and `<table>.表头.<column>` for each column of a table
/// whose schema declares printed headers. What depends on the input is not
/// listed: an extra sub-row kept under a section-二 row (an info), values on a
/// group row (a warning). `tests/import.rs` checks these paths against the
/// built-in schemas, both ways.
pub fn template_paths(v: Version) -> Vec<String> {
    let mut out = Vec::new();
    for spec in template::tables(v) {
        let table = spec.path.join(".");
        out.push(table.clone());
        if let Some(h) = spec.headers {
            for c in &spec.columns {
                out.push(format!("{table}.{h}.{}", c.key));
            }
        }
        for row in &spec.rows {
            let path = format!("{table}.{}", row.path.join("."));
            if !row.group {
                for c in &spec.columns {
                    out.push(format!("{path}.{}", c.key));
                }
            }
            out.push(path);
        }
    }
    out
}

/// The official label the importer holds for each template row and row group
/// (by its path, as in [`template_paths`]) and for each column (by the path of
/// its cells, one entry per row): the text a report prints, against which row
/// labels are matched and printed column headers compared.
pub fn template_labels(v: Version) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for spec in template::tables(v) {
        let table = spec.path.join(".");
        for row in &spec.rows {
            let path = format!("{table}.{}", row.path.join("."));
            if !row.group {
                for c in &spec.columns {
                    out.push((format!("{path}.{}", c.key), c.label));
                }
            }
            if let Some(label) = row.labels.first() {
                out.push((path, *label));
            }
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

const EXTENSIONS: &[&str] = &["txt", "md", "text", "html", "htm", "shtml", "docx", "pdf"];

/// The inputs of one run: the files named, directories expanded (sorted, not
/// recursive), and the directory entries skipped with the reason.
struct Expanded {
    files: Vec<PathBuf>,
    had_dir: bool,
    skipped: Vec<(PathBuf, SkipReason)>,
}

/// Why a directory entry is not imported, if it is not.
fn skip_reason(f: &Path) -> Option<SkipReason> {
    let Some(name) = f.file_name().and_then(|n| n.to_str()) else {
        return Some(SkipReason::Unreadable);
    };
    if name.starts_with('.') {
        return Some(SkipReason::Hidden);
    }
    if f.is_dir() {
        return Some(SkipReason::Directory);
    }
    if !f.is_file() {
        return Some(SkipReason::Unreadable);
    }
    let ext = f
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    (!EXTENSIONS.contains(&ext.as_str())).then_some(SkipReason::Extension(ext))
}

fn expand_inputs(inputs: &[PathBuf]) -> Result<Expanded, ImportError> {
    let mut out = Expanded {
        files: Vec::new(),
        had_dir: false,
        skipped: Vec::new(),
    };
    for p in inputs {
        if p.is_dir() {
            out.had_dir = true;
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| ImportError::Read {
                    path: p.clone(),
                    source: e,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for f in entries {
                match skip_reason(&f) {
                    Some(why) => out.skipped.push((f, why)),
                    None => out.files.push(f),
                }
            }
        } else {
            out.files.push(p.clone());
        }
    }
    Ok(out)
}

/// Write `text` to `path` through a temporary file in the same directory, so a
/// reader never sees half a file; without `force`, never replace an existing file.
fn write_atomic(path: &Path, text: &str, force: bool) -> Result<(), ImportError> {
    let werr = |source| ImportError::Write {
        path: path.to_path_buf(),
        source,
    };
    if !force && path.exists() {
        return Err(ImportError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let mut tmp = None;
    for n in 0..100u32 {
        let candidate = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(f) => {
                tmp = Some((candidate, f));
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(werr(e)),
        }
    }
    let Some((tmp_path, mut f)) = tmp else {
        return Err(werr(std::io::Error::other("no free temporary file name")));
    };
    let result = (|| {
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        if force {
            std::fs::rename(&tmp_path, path)
        } else {
            // hard_link fails if the target appeared meanwhile: no clobbering
            std::fs::hard_link(&tmp_path, path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Err(e)
                } else {
                    // file systems without hard links
                    if path.exists() {
                        Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
                    } else {
                        std::fs::rename(&tmp_path, path)
                    }
                }
            })
        }
    })();
    let _ = std::fs::remove_file(&tmp_path);
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(ImportError::Exists {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(werr(e)),
    }
}

fn import_file(path: &Path, strict: bool) -> Result<Imported, ImportError> {
    let read_err = |e| ImportError::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // never read more than the largest input of any kind (a huge file is refused unread)
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_BINARY_INPUT {
        return Err(ImportError::Unsupported {
            file: name,
            reason: RefuseMsg::TooLarge {
                size,
                limit: MAX_BINARY_INPUT,
            }
            .to_string(),
        });
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BINARY_INPUT + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    let imported = import_bytes(&name, &bytes)?;
    if strict && !imported.complete() {
        let problems: Vec<Problem> = imported
            .problems
            .iter()
            .filter(|p| p.severity != Severity::Info)
            .cloned()
            .collect();
        return Err(ImportError::Strict {
            file: name,
            count: problems.len(),
            problems,
        });
    }
    Ok(imported)
}

/// Do the whole `gouji import` job: one input to stdout (returned in the
/// summary) or to `-o FILE`; several inputs or a directory to `-o DIR`.
pub fn run(opts: &ImportOptions) -> Result<ImportSummary, ImportError> {
    run_with_progress(opts, &mut |_, _, _| {})
}

/// [`run`], calling `progress(done, total, input)` before each input is imported
/// (the CLI shows it on a terminal).
pub fn run_with_progress(
    opts: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize, &Path),
) -> Result<ImportSummary, ImportError> {
    let Expanded {
        files: inputs,
        had_dir,
        skipped,
    } = expand_inputs(&opts.inputs)?;
    if inputs.is_empty() {
        return Err(ImportError::Usage(
            crate::messages::import::SkipMsg::NoInputs {
                skipped: skipped.len(),
            }
            .to_string(),
        ));
    }
    let many = inputs.len() > 1 || had_dir;
    let total = inputs.len();
    let mut summary = ImportSummary {
        files: Vec::new(),
        stdout: None,
        skipped,
    };
    if !many {
        let input = inputs[0].clone();
        let result = import_file(&input, opts.strict);
        let mut output = None;
        let result = match (result, &opts.output) {
            (Ok(imp), None) => {
                summary.stdout = Some(imp.yaml.clone());
                Ok(imp)
            }
            (Ok(imp), Some(out)) => {
                let target = if out.is_dir() {
                    out.join(yaml_name(&input))
                } else {
                    out.clone()
                };
                write_atomic(&target, &imp.yaml, opts.force).map(|()| {
                    output = Some(target);
                    imp
                })
            }
            (Err(e), _) => Err(e),
        };
        summary.files.push(FileOutcome {
            input,
            output,
            result,
        });
        return Ok(summary);
    }
    let Some(dir) = &opts.output else {
        return Err(ImportError::Usage(FileMsg::NeedDir.to_string()));
    };
    if dir.exists() && !dir.is_dir() {
        let path = dir.display().to_string();
        return Err(ImportError::Usage(FileMsg::NotADir { path }.to_string()));
    }
    std::fs::create_dir_all(dir).map_err(|e| ImportError::Write {
        path: dir.clone(),
        source: e,
    })?;
    let mut seen = std::collections::HashSet::new();
    for (done, input) in inputs.into_iter().enumerate() {
        progress(done, total, &input);
        let target = dir.join(yaml_name(&input));
        if !seen.insert(target.clone()) {
            let path = target.display().to_string();
            let e = ImportError::Usage(FileMsg::SameTarget { path }.to_string());
            summary.files.push(FileOutcome {
                input,
                output: None,
                result: Err(e),
            });
            continue;
        }
        let result = import_file(&input, opts.strict)
            .and_then(|imp| write_atomic(&target, &imp.yaml, opts.force).map(|()| imp));
        let output = result.is_ok().then_some(target);
        summary.files.push(FileOutcome {
            input,
            output,
            result,
        });
    }
    Ok(summary)
}

fn yaml_name(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    PathBuf::from(format!("{stem}.yaml"))
}
