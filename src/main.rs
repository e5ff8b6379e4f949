//! The `gouji` command: a thin shell over the library.

/// mimalloc: 18% less CPU than the system allocator when every report fails
/// (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use gouji::baseline::Known;
use gouji::engine::Engine;
use gouji::lint;
use gouji::messages::cli::{CliMsg, HelpMsg};
use gouji::messages::render::RenderMsg;
use gouji::messages::rules::RuleMsg;
use gouji::messages::suppress::SuppressMsg;
use gouji::project::{self, RuleOptions, SetupError};
use gouji::render::{self, human, Format};
use gouji::rules::{self, RuleError, RuleSet};
use gouji::schema::Registry;
use gouji::source::Source;

// The command line. The help of every command and option comes from the catalogue
// (src/messages/cli.rs, `HelpMsg`) through `localise`, in the language of `--lang` or
// GOUJI_LANG, read before the arguments are parsed.
#[derive(Parser)]
#[command(name = "gouji", version, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang, env = "GOUJI_LANG", hide_env = true)]
    lang: Option<gouji::messages::Lang>,
}

#[derive(Subcommand)]
enum Command {
    Lint(LintArgs),
    Fix(FixArgs),
    Rules {
        rule: Option<String>,
        #[arg(long)]
        markdown: bool,
        #[command(flatten)]
        rules: RuleArgs,
    },
    Test {
        files: Vec<PathBuf>,
        #[arg(long)]
        with_default_rules: bool,
        #[arg(long, value_name = "FILE")]
        schema: Option<PathBuf>,
    },
    Schema {
        format: String,
    },
    Import(ImportArgs),
    Lsp,
    Completions {
        shell: clap_complete::Shell,
    },
    Man,
}

#[derive(clap::Args)]
struct RuleArgs {
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
    #[arg(long)]
    no_default_rules: bool,
    #[arg(long, value_name = "FILE")]
    schema: Option<PathBuf>,
}

/// Which rules run: `--select` and `--ignore`, as `lint` and `fix` both take them.
#[derive(clap::Args, Default)]
struct SelectArgs {
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
}

#[derive(clap::Args)]
struct LintArgs {
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long, default_value = "human", value_parser = format_parser(), hide_possible_values = false)]
    format: String,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    selection: SelectArgs,
    #[arg(long, value_name = "warnings")]
    deny: Option<Deny>,
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    #[arg(long)]
    no_progress: bool,
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    #[arg(short, long)]
    quiet: bool,
    #[arg(long)]
    statistics: bool,
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
}

#[derive(clap::Args)]
struct FixArgs {
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    #[arg(long)]
    diff: bool,
    #[arg(long)]
    write: bool,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    selection: SelectArgs,
}

#[derive(clap::Args)]
struct ImportArgs {
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    #[arg(short, long)]
    output: Option<PathBuf>,
    #[arg(long)]
    force: bool,
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

/// `--format`'s values, from the renderers' table, each with what it writes.
fn format_parser() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        render::FORMATS
            .iter()
            .map(|f| clap::builder::PossibleValue::new(f.name).help(f.about.to_string())),
    )
}

fn parse_lang(s: &str) -> Result<gouji::messages::Lang, String> {
    gouji::messages::Lang::parse(s).ok_or_else(|| {
        CliMsg::BadLang {
            value: s.to_string(),
        }
        .to_string()
    })
}

/// The help of each command (by name) in the current language.
fn command_help(name: &str) -> Option<HelpMsg> {
    Some(match name {
        "gouji" => HelpMsg::About,
        "lint" => HelpMsg::Lint,
        "fix" => HelpMsg::Fix,
        "rules" => HelpMsg::Rules,
        "test" => HelpMsg::Test,
        "schema" => HelpMsg::Schema,
        "import" => HelpMsg::Import,
        "lsp" => HelpMsg::Lsp,
        "completions" => HelpMsg::Completions,
        "man" => HelpMsg::Man,
        _ => return None,
    })
}

/// The help of each option or argument (by command and argument id).
fn arg_help(command: &str, arg: &str) -> Option<HelpMsg> {
    Some(match (command, arg) {
        (_, "lang") => HelpMsg::Lang,
        (_, "help") => HelpMsg::Help,
        (_, "version") => HelpMsg::Version,
        ("lint", "paths") => HelpMsg::LintPaths,
        ("fix", "paths") => HelpMsg::FixPaths,
        ("schema", "format") => HelpMsg::SchemaFormat,
        (_, "format") => HelpMsg::Format,
        (_, "color") => HelpMsg::Color,
        (_, "rules") => HelpMsg::RulesArg,
        (_, "no_default_rules") => HelpMsg::NoDefaultRules,
        ("test", "schema") => HelpMsg::TestSchema,
        (_, "schema") => HelpMsg::SchemaArg,
        (_, "select") => HelpMsg::Select,
        (_, "ignore") => HelpMsg::Ignore,
        (_, "deny") => HelpMsg::Deny,
        (_, "baseline") => HelpMsg::Baseline,
        (_, "write_baseline") => HelpMsg::WriteBaseline,
        (_, "no_progress") => HelpMsg::NoProgress,
        (_, "stdin_filename") => HelpMsg::StdinFilename,
        (_, "quiet") => HelpMsg::Quiet,
        (_, "statistics") => HelpMsg::Statistics,
        (_, "output_file") => HelpMsg::OutputFile,
        (_, "diff") => HelpMsg::Diff,
        (_, "write") => HelpMsg::Write,
        (_, "rule") => HelpMsg::RuleId,
        (_, "markdown") => HelpMsg::Markdown,
        (_, "files") => HelpMsg::TestFiles,
        (_, "with_default_rules") => HelpMsg::WithDefaultRules,
        (_, "inputs") => HelpMsg::ImportInputs,
        (_, "output") => HelpMsg::ImportOutput,
        (_, "force") => HelpMsg::Force,
        (_, "strict") => HelpMsg::Strict,
        (_, "shell") => HelpMsg::Shell,
        _ => return None,
    })
}

/// The command line as this process shows it.
fn cli_command() -> clap::Command {
    gouji::usage::localise(Cli::command(), command_help, arg_help)
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    gouji::messages::set_lang(gouji::usage::lang_before_parsing(&args));
    let cmd = cli_command();
    let matches = match cmd.clone().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => exit_with(e),
    };
    // `gouji help [COMMAND…]` is `gouji COMMAND… --help`.
    if let Some(("help", sub)) = matches.subcommand() {
        let mut again = vec![args[0].clone()];
        again.extend(
            sub.get_many::<String>("command")
                .into_iter()
                .flatten()
                .map(Into::into),
        );
        again.push("--help".into());
        if let Err(e) = cli_command().try_get_matches_from(again) {
            exit_with(e);
        }
        return ExitCode::SUCCESS;
    }
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => exit_with(e.with_cmd(&cmd)),
    };
    gouji::messages::set_lang(cli.lang.unwrap_or_default());
    run(cli)
}

/// Prints a help page, the version or a usage error as clap would, in the current
/// language, and exits: help and version on standard output with 0, the rest on standard
/// error with 2.
fn exit_with(e: clap::Error) -> ! {
    if e.use_stderr() {
        let text = gouji::usage::render(&e, cli_command().get_styles());
        let text = gouji::usage::clap_text(gouji::usage::styled(text, io::stderr().is_terminal()));
        eprint!("{text}");
        std::process::exit(e.exit_code())
    }
    let text =
        gouji::usage::clap_text(gouji::usage::styled(e.render(), io::stdout().is_terminal()));
    let mut out = io::stdout().lock();
    // A closed pipe (`gouji --help | head`) is not an error.
    let _ = write!(out, "{text}");
    let _ = out.flush();
    std::process::exit(e.exit_code())
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
            // Generated into memory first: clap_complete panics when stdout is a closed pipe.
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut cli_command(), "gouji", &mut text);
            print_stdout(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(cli_command()).render(&mut text) {
                Ok(()) => print_stdout(&text),
                Err(e) => Err(Failure::Usage(e.to_string())),
            }
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(Failure::Usage(message)) => {
            eprintln!("{}", CliMsg::Error { message });
            ExitCode::from(USAGE)
        }
        Err(Failure::Rules(errors)) => {
            let n = errors.len();
            for e in errors {
                eprint_diagnostic(&e);
            }
            let message = RuleMsg::Refused { n }.to_string();
            eprintln!("{}", CliMsg::Error { message });
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
                eprint_diagnostic(&*e);
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

/// A rule file's or schema's error, a failed example or an import refusal, on stderr, drawn
/// like a finding (render::human::diagnostic), in colour when stderr is a terminal.
fn eprint_diagnostic(d: &dyn miette::Diagnostic) {
    let color =
        io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    eprintln!("{}", human::diagnostic(d, color, terminal_width()));
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
        // Written through a buffer line by line, not built whole first (one line per
        // agency and year).
        let mut err = io::BufWriter::new(io::stderr().lock());
        let _ = summary
            .stats
            .write_text(&mut err)
            .and_then(|()| err.flush());
        drop(err);
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
                let formats = CliMsg::Formats {
                    formats: r.formats.join(gouji::messages::list_sep()),
                };
                writeln!(
                    out,
                    "{} ({})\n\n{}\n\n{formats}\n\n{}\n\n{}",
                    r.id,
                    r.severity.as_str(),
                    r.title,
                    r.why,
                    r.text()
                )?;
                return Ok(0);
            }
            if let Some((id, sev, title, why)) =
                gouji::document::STRUCTURE_RULES.iter().find(|r| r.0 == id)
            {
                let note = CliMsg::StructuralRule;
                writeln!(out, "{id} ({})\n\n{title}\n\n{why}\n\n{note}", sev.as_str())?;
                return Ok(0);
            }
            let ids = engine.known_rule_ids();
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
            eprint_diagnostic(&f);
        }
    }
    println!("{}", CliMsg::TestSummary { passed, failed });
    Ok(if failed > 0 { FINDINGS } else { 0 })
}

fn cmd_schema(format: &str) -> Result<u8, Failure> {
    let registry = Registry::builtin();
    let schema = registry.by_name(format).ok_or_else(|| {
        Failure::Usage(
            CliMsg::UnknownSchema {
                format: format.to_string(),
                names: registry.names().join(gouji::messages::list_sep()),
            }
            .to_string(),
        )
    })?;
    let text = serde_json::to_string_pretty(&schema.json_schema())
        .map_err(|e| Failure::Usage(e.to_string()))?;
    print_stdout(format!("{text}\n").as_bytes())
}

/// Write a command's whole output to stdout. A closed pipe (`gouji schema 2019 | head`,
/// `gouji completions bash | head`) is not an error.
fn print_stdout(bytes: &[u8]) -> Result<u8, Failure> {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
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
    use gouji::messages::import::FileMsg;
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
            eprint_diagnostic(&e);
            return Ok(FINDINGS);
        }
    };
    for file in &summary.files {
        let name = file.input.display();
        // a line and column as compilers print them; a table cell in words
        let show_problem = |p: &import::Problem| match (p.line, p.column) {
            (Some(l), Some(c)) => eprintln!("{name}:{l}:{c}: {}", p.message),
            (Some(l), None) => eprintln!("{name}:{l}: {}", p.message),
            _ => eprintln!("{name}: {p}"),
        };
        match &file.result {
            Ok(imported) => {
                for p in &imported.problems {
                    show_problem(p);
                }
                if let Some(out) = &file.output {
                    let state = if imported.complete() {
                        String::new()
                    } else {
                        CliMsg::Incomplete.to_string()
                    };
                    eprintln!("{name} → {}{state}", out.display());
                }
            }
            // the reason once, after the input's name (the error names the file too)
            Err(ImportError::Unsupported { reason, .. }) => eprintln!("{name}: {reason}"),
            Err(ImportError::Strict {
                problems, count, ..
            }) => {
                for p in problems {
                    show_problem(p);
                }
                eprintln!("{name}: {}", FileMsg::Strict { count: *count });
            }
            Err(e @ ImportError::Read { .. }) => eprintln!("{e}"),
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
