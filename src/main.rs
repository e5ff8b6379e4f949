//! The `gouji` command: a thin shell over the library.

/// mimalloc: 18% less CPU than the system allocator when every report fails
/// (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use gouji::baseline::Known;
use gouji::engine::Engine;
use gouji::lint;
use gouji::messages::render::RenderMsg;
use gouji::messages::rules::RuleMsg;
use gouji::messages::suppress::SuppressMsg;
use gouji::project::{self, RuleOptions, SetupError};
use gouji::render::{self, human, Format};
use gouji::rules::{self, RuleError, RuleSet};
use gouji::schema::Registry;
use gouji::source::Source;

/// 勾稽 — checks that government information-disclosure annual reports balance.
#[derive(Parser)]
#[command(name = "gouji", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Language of messages: zh (中文, the default) or en. Also read from GOUJI_LANG.
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang, env = "GOUJI_LANG")]
    lang: Option<gouji::messages::Lang>,
}

#[derive(Subcommand)]
enum Command {
    /// Check reports: files, directories (walked for *.yaml, *.yml), or - for stdin.
    Lint(LintArgs),
    /// Show each report's repair plan: the fewest cells whose change makes every sum hold.
    /// Exits 0 when nothing needs fixing, 1 otherwise.
    Fix(FixArgs),
    /// List the loaded rules, or show one rule's documentation and examples.
    Rules {
        /// A rule id.
        rule: Option<String>,
        /// Print the reference of every rule as Markdown (docs/rules.md).
        #[arg(long)]
        markdown: bool,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run the pass/fail examples of rule files (default: the built-in packs).
    Test {
        /// Rule files or directories.
        files: Vec<PathBuf>,
        /// Also run the built-in packs' examples when files are given.
        #[arg(long)]
        with_default_rules: bool,
        /// A schema file the rules' formats may name (its `sample:` is what examples patch).
        #[arg(long, value_name = "FILE")]
        schema: Option<PathBuf>,
    },
    /// Print the JSON Schema of a report format (for yaml-language-server).
    Schema {
        /// 2019 or 2021.
        format: String,
    },
    /// Convert published reports (text, HTML, DOCX, PDF) to report YAML.
    Import(ImportArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Print the man page.
    Man,
}

#[derive(clap::Args)]
struct RuleArgs {
    /// Rule files or directories, added to the built-in packs; `builtin:review` adds a shipped optional pack.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
    /// Do not load the built-in rule packs.
    #[arg(long)]
    no_default_rules: bool,
    /// Check every document against this schema file, whatever format it names.
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
}

/// Which rules run: `--select` and `--ignore`, as `lint` and `fix` both take them.
#[derive(clap::Args, Default)]
struct SelectArgs {
    /// Only run these rules (ids or prefixes such as `table3`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Skip these rules (ids or prefixes).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

#[derive(clap::Args)]
struct LintArgs {
    /// Files or directories to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// How to write findings.
    #[arg(long, default_value = "human", value_parser = format_parser(), hide_possible_values = false)]
    format: String,
    /// When to colour human output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    selection: SelectArgs,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_name = "warnings")]
    deny: Option<Deny>,
    /// Keep findings recorded in this baseline file quiet.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings as the baseline.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    no_progress: bool,
    /// Check standard input as if it were the file at PATH: its name in the output and the
    /// baseline, the gouji.toml nearest it, and last year's report found around it (for
    /// editors and pre-commit hooks). Reads standard input when no other path is given.
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Show errors only (warnings and notes are still counted in the summary).
    #[arg(short, long)]
    quiet: bool,
    /// Print only the statistics: counts by rule, the files with the most errors, counts by
    /// agency and year (on stderr).
    #[arg(long)]
    statistics: bool,
    /// Write the output to FILE instead of standard output (the summary and progress stay on
    /// stderr).
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
}

#[derive(clap::Args)]
struct FixArgs {
    /// Files or directories to check (walked as `lint` walks them), or - for stdin.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Print each unique plan as a unified diff of the YAML.
    #[arg(long)]
    diff: bool,
    /// Apply unique plans in place: only the changed numbers are rewritten. Ambiguous
    /// reports and reports without a plan are left as they are.
    #[arg(long)]
    write: bool,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    selection: SelectArgs,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// Published reports, or directories of them.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (one input) or directory (several).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
    /// Write nothing for an input that could not be imported completely.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    Warnings,
}

/// Exit codes: 0 clean, 1 findings, 2 usage / configuration / rule-file errors.
const FINDINGS: u8 = 1;
const USAGE: u8 = 2;

/// `--format`'s values, from the renderers' table.
fn format_parser() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        render::FORMATS
            .iter()
            .map(|f| clap::builder::PossibleValue::new(f.name).help(f.about)),
    )
}

fn parse_lang(s: &str) -> Result<gouji::messages::Lang, String> {
    gouji::messages::Lang::parse(s).ok_or_else(|| format!("`{s}`: zh or en"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    gouji::messages::set_lang(cli.lang.unwrap_or_default());
    run(cli)
}

fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Lint(args) => cmd_lint(args),
        Command::Fix(args) => cmd_fix(args),
        Command::Rules {
            rule,
            markdown,
            rules,
        } => cmd_rules(rule, markdown, rules),
        Command::Test {
            files,
            with_default_rules,
            schema,
        } => cmd_test(files, with_default_rules, schema),
        Command::Schema { format } => cmd_schema(&format),
        Command::Import(args) => cmd_import(args),
        Command::Lsp => gouji::lsp::run().map(|_| 0).map_err(Failure::Usage),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "gouji", &mut io::stdout());
            Ok(0)
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut io::stdout())
            .map(|_| 0)
            .map_err(|e| Failure::Usage(e.to_string())),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(USAGE)
        }
        Err(Failure::Rules(errors)) => {
            let n = errors.len();
            for e in errors {
                eprintln!("{:?}", miette::Report::new(e));
            }
            eprintln!("error: {}", RuleMsg::Refused { n });
            ExitCode::from(USAGE)
        }
    }
}

enum Failure {
    Usage(String),
    Rules(Vec<RuleError>),
}

impl From<SetupError> for Failure {
    fn from(e: SetupError) -> Self {
        match e {
            SetupError::Usage(m) => Failure::Usage(m),
            SetupError::Config(e) => Failure::Usage(e.to_string()),
            SetupError::Schema(path, e) => {
                eprintln!("{:?}", miette::Report::new(*e));
                Failure::Usage(
                    gouji::messages::schema::SchemaMsg::Unusable {
                        path: path.display().to_string(),
                    }
                    .to_string(),
                )
            }
            SetupError::Rules(errors) => Failure::Rules(errors),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Usage(e.to_string())
    }
}

/// Settings from the command line, then gouji.toml, into an engine.
fn build_engine(args: &RuleArgs, selection: &SelectArgs) -> Result<Engine, Failure> {
    build_engine_at(args, selection, &std::env::current_dir()?)
}

/// As [`build_engine`], with gouji.toml looked for from `start` up.
fn build_engine_at(
    args: &RuleArgs,
    selection: &SelectArgs,
    start: &Path,
) -> Result<Engine, Failure> {
    let opts = RuleOptions {
        rules: args.rules.clone(),
        no_default_rules: args.no_default_rules,
        schema: args.schema.clone(),
        select: selection.select.clone(),
        ignore: selection.ignore.clone(),
    };
    Ok(project::build_engine(&opts, start)?)
}

fn use_color(color: Color) -> bool {
    match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn cmd_lint(mut args: LintArgs) -> Result<u8, Failure> {
    let cwd = std::env::current_dir()?;
    // The configuration nearest the file the text stands for.
    let start = match args.stdin_filename.as_deref().and_then(Path::parent) {
        Some(dir) => cwd.join(dir),
        None => cwd,
    };
    let engine = build_engine_at(&args.rules, &args.selection, &start)?;
    if let Some(config) = gouji::config::Config::locate(&start) {
        let path = config.display().to_string();
        eprintln!("{}", RenderMsg::ConfigUsed { path });
    }
    if args.stdin_filename.is_some() && args.paths == [PathBuf::from(".")] {
        args.paths = vec![PathBuf::from("-")];
    }
    let inputs = lint::Inputs::new(&args.paths).map_err(Failure::Usage)?;
    let baseline = match &args.baseline {
        Some(p) => Some(Known::load(p).map_err(Failure::Usage)?),
        None => None,
    };
    let format = Format::by_name(&args.format).ok_or_else(|| {
        Failure::Usage(
            RenderMsg::UnknownFormat {
                format: args.format.clone(),
            }
            .to_string(),
        )
    })?;
    if format.0.binary && args.output_file.is_none() {
        return Err(Failure::Usage(
            RenderMsg::NeedsOutputFile {
                format: args.format.clone(),
            }
            .to_string(),
        ));
    }
    let human = format.name() == "human";
    let opts = lint::Options {
        format,
        settings: render::Settings {
            color: use_color(args.color),
            width: terminal_width(),
            quiet: args.quiet,
            statistics: args.statistics,
        },
        baseline,
        write_baseline: args.write_baseline.clone(),
        progress: !args.no_progress && human && io::stderr().is_terminal(),
        stdin_filename: args.stdin_filename.clone(),
    };
    if inputs.is_empty() {
        let paths: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Failure::Usage(
            RenderMsg::NoReports {
                paths: paths.join(" "),
            }
            .to_string(),
        ));
    }
    let summary = match &args.output_file {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                Failure::Usage(
                    RenderMsg::OutputFile {
                        path: path.display().to_string(),
                        detail: e.to_string(),
                    }
                    .to_string(),
                )
            })?;
            if format.0.binary && file.is_terminal() {
                return Err(Failure::Usage(
                    RenderMsg::OutputIsTerminal {
                        format: args.format.clone(),
                        path: path.display().to_string(),
                    }
                    .to_string(),
                ));
            }
            let mut out = io::BufWriter::new(file);
            let written = lint::run(&engine, &inputs, &opts, &mut out)
                .and_then(|summary| out.flush().map(|()| summary));
            // A run that failed leaves no half-written file behind.
            if written.is_err() {
                drop(out);
                let _ = std::fs::remove_file(path);
            }
            written?
        }
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::new(stdout.lock());
            let summary = lint::run(&engine, &inputs, &opts, &mut out)?;
            out.flush()?;
            summary
        }
    };
    if human || args.statistics {
        eprint!("{}", summary.stats.text());
        eprintln!("{}", human::summary(&summary));
    }
    let failing = summary.errors > 0 || (args.deny.is_some() && summary.warnings > 0);
    Ok(if failing { FINDINGS } else { 0 })
}

fn cmd_fix(args: FixArgs) -> Result<u8, Failure> {
    let engine = build_engine(&args.rules, &args.selection)?;
    let inputs = lint::Inputs::new(&args.paths).map_err(Failure::Usage)?;
    let opts = gouji::fix::Options {
        diff: args.diff,
        write: args.write,
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let summary = gouji::fix::run(&engine, &inputs, opts, &mut out)?;
    out.flush()?;
    Ok(if summary.needs_fixing() { FINDINGS } else { 0 })
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

fn cmd_rules(rule: Option<String>, markdown: bool, args: RuleArgs) -> Result<u8, Failure> {
    let engine = build_engine(&args, &SelectArgs::default())?;
    let mut out = io::stdout().lock();
    if markdown {
        write!(out, "{}", rules::reference::markdown(&engine.rules))?;
        return Ok(0);
    }
    match rule {
        None => {
            for (id, sev, title, _) in gouji::document::STRUCTURE_RULES {
                writeln!(out, "{id:<32} {:<8} {title}", sev.as_str())?;
            }
            for r in &engine.rules.rules {
                writeln!(out, "{:<32} {:<8} {}", r.id, r.severity.as_str(), r.title)?;
            }
            Ok(0)
        }
        Some(id) => {
            if let Some(r) = engine.rules.get(&id) {
                writeln!(
                    out,
                    "{} ({})\n\n{}\n\nformats: {}\n\n{}\n\n{}",
                    r.id,
                    r.severity.as_str(),
                    r.title,
                    r.formats.join(", "),
                    r.why,
                    r.text()
                )?;
                return Ok(0);
            }
            if let Some((id, sev, title, why)) =
                gouji::document::STRUCTURE_RULES.iter().find(|r| r.0 == id)
            {
                writeln!(out, "{id} ({})\n\n{title}\n\n{why}\n\nA structural check, built into the engine: it compares the document with its format's schema.", sev.as_str())?;
                return Ok(0);
            }
            let ids = engine.rule_ids();
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let hint = gouji::document::did_you_mean(&id, &refs)
                .map(|rule| SuppressMsg::DidYouMean { rule: rule.into() }.to_string())
                .unwrap_or_default();
            Err(Failure::Usage(format!(
                "{}{hint}",
                RuleMsg::NoSuchRule { id }
            )))
        }
    }
}

fn cmd_test(
    files: Vec<PathBuf>,
    with_default: bool,
    schema: Option<PathBuf>,
) -> Result<u8, Failure> {
    let mut registry = Registry::builtin();
    if let Some(schema) = schema {
        registry.forced = Some(Arc::new(project::load_schema(&schema)?));
    }
    let mut sources = Vec::new();
    if files.is_empty() || with_default {
        sources.extend(RuleSet::builtin_sources());
        if files.is_empty() {
            sources.extend(
                rules::OPTIONAL
                    .iter()
                    .map(|(p, t)| Arc::new(Source::new(*p, *t))),
            );
        }
    }
    let specs: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    sources.extend(project::rule_sources(&specs, Path::new(""))?);
    let set = RuleSet::load(&sources, &registry).map_err(Failure::Rules)?;
    let outcomes = rules::examples::run(&set, &registry);
    let (mut passed, mut failed) = (0, 0);
    for o in outcomes {
        passed += o.passed;
        failed += o.failures.len();
        for f in o.failures {
            eprintln!("{:?}", miette::Report::new(f));
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed > 0 { FINDINGS } else { 0 })
}

fn cmd_schema(format: &str) -> Result<u8, Failure> {
    let registry = Registry::builtin();
    let schema = registry.by_name(format).ok_or_else(|| {
        Failure::Usage(format!(
            "unknown format `{format}`; known: {}",
            registry.names().join(", ")
        ))
    })?;
    let text = serde_json::to_string_pretty(&schema.json_schema())
        .map_err(|e| Failure::Usage(e.to_string()))?;
    // A closed pipe (`gouji schema 2019 | head`) is not an error.
    match writeln!(io::stdout().lock(), "{text}") {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(0),
    }
}

/// After a folder (or several files): the entries skipped and why, and one line of counts.
fn import_summary(summary: &gouji::import::ImportSummary) {
    use gouji::messages::import::SkipMsg;
    for (path, why) in &summary.skipped {
        let m = SkipMsg::Skipped {
            path: path.display().to_string(),
            reason: why.to_string(),
        };
        eprintln!("{m}");
    }
    if summary.files.len() > 1 || !summary.skipped.is_empty() {
        let m = SkipMsg::Summary {
            total: summary.files.len(),
            exact: summary.exact(),
            incomplete: summary.incomplete(),
            refused: summary.failed(),
            skipped: summary.skipped.len(),
        };
        eprintln!("{m}");
    }
}

/// Problems are printed per input as `file:line:column: message` (HTML, DOCX: `file: 第 2 个表格第 5 行第 3 格：message`); exit 1 when any input
/// failed or came out incomplete, 2 for usage errors.
fn cmd_import(args: ImportArgs) -> Result<u8, Failure> {
    use gouji::import::{self, ImportError, ImportOptions};
    let opts = ImportOptions {
        inputs: args.inputs,
        output: args.output,
        force: args.force,
        strict: args.strict,
    };
    let tty = io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize, path: &std::path::Path| {
        if tty {
            let m = gouji::messages::import::SkipMsg::Progress {
                done: done + 1,
                total,
                path: path.display().to_string(),
            };
            eprint!("\r\x1b[K{m}");
        }
    };
    let summary = import::run_with_progress(&opts, &mut progress);
    if tty {
        eprint!("\r\x1b[K");
    }
    let summary = match summary {
        Ok(s) => s,
        Err(ImportError::Usage(m)) => return Err(Failure::Usage(m)),
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(e));
            return Ok(FINDINGS);
        }
    };
    for file in &summary.files {
        let name = file.input.display();
        match &file.result {
            Ok(imported) => {
                for p in &imported.problems {
                    // a line and column as compilers print them; a table cell in words
                    match (p.line, p.column) {
                        (Some(l), Some(c)) => eprintln!("{name}:{l}:{c}: {}", p.message),
                        (Some(l), None) => eprintln!("{name}:{l}: {}", p.message),
                        _ => eprintln!("{name}: {p}"),
                    }
                }
                if let Some(out) = &file.output {
                    let state = if imported.complete() {
                        ""
                    } else {
                        " (incomplete: 不完整: true)"
                    };
                    eprintln!("{name} → {}{state}", out.display());
                }
            }
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    if let Some(yaml) = &summary.stdout {
        print!("{yaml}");
    }
    import_summary(&summary);
    Ok(if summary.failed() > 0 || summary.incomplete() > 0 {
        FINDINGS
    } else {
        0
    })
}
