//! The command line in the user's language: the language asked for before parsing
//! ([`lang_before_parsing`]), every help text from the catalogue ([`localise`]), the words
//! clap writes itself ([`clap_text`]), and its usage errors (an unknown option, a bad value,
//! a missing argument, …: [`render`]).
//!
//! clap writes them in English. [`render`] writes the same error again from its kind and
//! context, arranged exactly as clap's own formatter arranges it
//! (`clap_builder::error::format::RichFormatter`: the sentence, the tips, the usage line,
//! where to read more), each sentence from the catalogue ([`UsageMsg`]). Its English is
//! clap's text byte for byte (`tests/cli_language.rs` holds it to that), so the Chinese is
//! the same error in other words, never a different one. An error of a shape it does not
//! know is left as clap wrote it.

use std::fmt::Write as _;

use clap::builder::{StyledStr, Styles};
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::messages::cli::{ClapWord, HelpMsg, UsageMsg};
use crate::messages::Lang;

/// clap's indent for a list under a sentence.
const TAB: &str = "  ";

/// A usage error in the current language, styled with `styles` (the command's).
pub fn render(e: &clap::Error, styles: &Styles) -> StyledStr {
    render_in(e, styles, crate::messages::lang())
}

/// A usage error in `lang`; a help page, the version or an error of an unknown shape as
/// clap writes it.
pub fn render_in(e: &clap::Error, styles: &Styles, lang: Lang) -> StyledStr {
    Writer { styles, lang }
        .error(e)
        .unwrap_or_else(|| e.render())
}

struct Writer<'s> {
    styles: &'s Styles,
    lang: Lang,
}

/// `text` in `style`, as clap writes a styled piece (`{style}text{style:#}`).
fn paint(style: &clap::builder::styling::Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// A possible value as clap quotes it: as a Rust string when empty or with blanks.
fn escaped(value: &str) -> String {
    if value.is_empty() || value.contains(char::is_whitespace) {
        format!("{value:?}")
    } else {
        value.to_string()
    }
}

fn string(v: Option<&ContextValue>) -> Option<&String> {
    match v {
        Some(ContextValue::String(s)) => Some(s),
        _ => None,
    }
}

fn number(v: Option<&ContextValue>) -> Option<isize> {
    match v {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    }
}

impl Writer<'_> {
    fn text(&self, m: UsageMsg) -> String {
        m.text_in(self.lang)
    }

    fn error(&self, e: &clap::Error) -> Option<StyledStr> {
        if !e.use_stderr() {
            return None;
        }
        let sentence = self.sentence(e)?;
        let mut out = String::new();
        let word = paint(
            self.styles.get_error(),
            ClapWord::ErrorPrefix.text_in(self.lang),
        );
        out.push_str(&self.text(UsageMsg::Lead { word, sentence }));
        self.tips(e, &mut out);
        if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
            let _ = write!(out, "\n\n{}", usage.ansi());
        }
        // Where to read more: clap says it when the error knows its command's help flag.
        let plain = e.render().to_string();
        let lead = "\n\nFor more information, try '";
        match plain.rfind(lead).and_then(|i| {
            let rest = &plain[i + lead.len()..];
            rest.find("'.").map(|j| &rest[..j])
        }) {
            Some(flag) => {
                let flag = paint(self.styles.get_literal(), flag);
                let _ = write!(out, "\n\n{}\n", self.text(UsageMsg::MoreInfo { flag }));
            }
            None => out.push('\n'),
        }
        let mut styled = StyledStr::new();
        let _ = styled.write_str(&out);
        Some(styled)
    }

    /// The error's sentence (clap's `write_dynamic_context`); `None` for a shape clap
    /// itself would describe by its kind alone.
    fn sentence(&self, e: &clap::Error) -> Option<String> {
        let s = self.styles;
        let (valid, invalid, literal) = (s.get_valid(), s.get_invalid(), s.get_literal());
        let arg = string(e.get(ContextKind::InvalidArg));
        let value = string(e.get(ContextKind::InvalidValue));
        let list = |values: &[String], style| -> String {
            values
                .iter()
                .map(|v| format!("\n{TAB}{}", paint(style, v)))
                .collect()
        };
        let values = |kind: ContextKind| -> Option<String> {
            match e.get(kind) {
                Some(ContextValue::Strings(vs)) if !vs.is_empty() => Some(
                    vs.iter()
                        .map(|v| paint(valid, escaped(v)))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                _ => None,
            }
        };
        let m = match e.kind() {
            ErrorKind::ArgumentConflict => {
                let prior = e.get(ContextKind::PriorArg);
                let who = if let Some(a) = arg {
                    if prior == Some(&ContextValue::String(a.clone())) {
                        return Some(self.text(UsageMsg::Repeated {
                            arg: paint(invalid, a),
                        }));
                    }
                    self.text(UsageMsg::TheArgument {
                        name: paint(invalid, a),
                    })
                } else {
                    self.text(UsageMsg::TheSubcommand {
                        name: paint(invalid, string(e.get(ContextKind::InvalidSubcommand))?),
                    })
                };
                match prior? {
                    ContextValue::Strings(vs) => UsageMsg::ConflictMany {
                        who,
                        others: list(vs, invalid),
                    },
                    ContextValue::String(v) => UsageMsg::ConflictOne {
                        who,
                        other: paint(invalid, v),
                    },
                    _ => UsageMsg::ConflictAny { who },
                }
            }
            ErrorKind::NoEquals => UsageMsg::NoEquals {
                arg: paint(invalid, arg?),
            },
            ErrorKind::InvalidValue => {
                let (a, v) = (arg?, value?);
                let mut text = if v.is_empty() {
                    self.text(UsageMsg::ValueRequired {
                        arg: paint(invalid, a),
                    })
                } else {
                    self.text(UsageMsg::InvalidValue {
                        value: paint(invalid, v),
                        arg: paint(literal, a),
                    })
                };
                if let Some(values) = values(ContextKind::ValidValue) {
                    text.push_str(&self.text(UsageMsg::PossibleValues { values }));
                }
                return Some(text);
            }
            ErrorKind::InvalidSubcommand => UsageMsg::UnknownSubcommand {
                sub: paint(invalid, string(e.get(ContextKind::InvalidSubcommand))?),
            },
            ErrorKind::MissingRequiredArgument => match e.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(args)) => UsageMsg::MissingRequired {
                    args: list(args, valid),
                },
                _ => return None,
            },
            ErrorKind::MissingSubcommand => {
                let cmd = paint(invalid, string(e.get(ContextKind::InvalidSubcommand))?);
                let mut text = self.text(UsageMsg::MissingSubcommand { cmd });
                if let Some(values) = values(ContextKind::ValidSubcommand) {
                    text.push_str(&self.text(UsageMsg::Subcommands { values }));
                }
                return Some(text);
            }
            ErrorKind::InvalidUtf8 => UsageMsg::InvalidUtf8,
            ErrorKind::TooManyValues => UsageMsg::TooMany {
                value: paint(invalid, value?),
                arg: paint(literal, arg?),
            },
            ErrorKind::TooFewValues => {
                let actual = number(e.get(ContextKind::ActualNumValues))?;
                let (min, arg, n) = (
                    paint(valid, number(e.get(ContextKind::MinValues))?),
                    paint(literal, arg?),
                    paint(invalid, actual),
                );
                if actual > 1 {
                    UsageMsg::TooFew {
                        min,
                        arg,
                        actual: n,
                    }
                } else {
                    UsageMsg::TooFewOne {
                        min,
                        arg,
                        actual: n,
                    }
                }
            }
            ErrorKind::ValueValidation => {
                let mut text = self.text(UsageMsg::InvalidValue {
                    value: paint(invalid, value?),
                    arg: paint(literal, arg?),
                });
                if let Some(reason) = std::error::Error::source(e) {
                    text.push_str(&self.text(UsageMsg::Because {
                        reason: reason.to_string(),
                    }));
                }
                return Some(text);
            }
            ErrorKind::WrongNumberOfValues => {
                let actual = number(e.get(ContextKind::ActualNumValues))?;
                let (n, arg, got) = (
                    paint(valid, number(e.get(ContextKind::ExpectedNumValues))?),
                    paint(literal, arg?),
                    paint(invalid, actual),
                );
                if actual > 1 {
                    UsageMsg::WrongNumber {
                        n,
                        arg,
                        actual: got,
                    }
                } else {
                    UsageMsg::WrongNumberOne {
                        n,
                        arg,
                        actual: got,
                    }
                }
            }
            ErrorKind::UnknownArgument => UsageMsg::UnknownArgument {
                arg: paint(invalid, arg?),
            },
            _ => return None,
        };
        Some(self.text(m))
    }

    /// The tips under the sentence: similar names, then clap's own suggestions.
    fn tips(&self, e: &clap::Error, out: &mut String) {
        let valid = self.styles.get_valid();
        let word = || paint(valid, ClapWord::Tip.text_in(self.lang));
        let quoted = |v: &String| format!("'{}'", paint(valid, v));
        let mut suggested = false;
        type Similar = fn(String) -> UsageMsg;
        let kinds: [(ContextKind, Similar, Similar); 3] = [
            (
                ContextKind::SuggestedSubcommand,
                |list| UsageMsg::SimilarSubcommand { list },
                |list| UsageMsg::SimilarSubcommands { list },
            ),
            (
                ContextKind::SuggestedArg,
                |list| UsageMsg::SimilarArgument { list },
                |list| UsageMsg::SimilarArguments { list },
            ),
            (
                ContextKind::SuggestedValue,
                |list| UsageMsg::SimilarValue { list },
                |list| UsageMsg::SimilarValues { list },
            ),
        ];
        for (kind, one, many) in kinds {
            let Some(v) = e.get(kind) else { continue };
            out.push('\n');
            if !suggested {
                out.push('\n');
                suggested = true;
            }
            let sentence = match v {
                ContextValue::String(p) => Some(self.text(one(quoted(p)))),
                ContextValue::Strings(ps) => {
                    let list = ps.iter().map(quoted).collect::<Vec<_>>().join(", ");
                    Some(self.text(if ps.len() == 1 { one(list) } else { many(list) }))
                }
                _ => None,
            };
            match sentence {
                Some(sentence) => {
                    let tip = self.text(UsageMsg::Lead {
                        word: word(),
                        sentence,
                    });
                    let _ = write!(out, "{TAB}{tip}");
                }
                None => {
                    let _ = write!(out, "{TAB}{}", word());
                }
            }
        }
        if let Some(ContextValue::StyledStrs(suggestions)) = e.get(ContextKind::Suggested) {
            if !suggested {
                out.push('\n');
            }
            for s in suggestions {
                let sentence = self.suggestion(s);
                let tip = self.text(UsageMsg::Lead {
                    word: word(),
                    sentence,
                });
                let _ = write!(out, "\n{TAB}{tip}");
            }
        }
    }

    /// One of clap's ready-written suggestions, read back and written again; one it does
    /// not know stays as clap wrote it.
    fn suggestion(&self, s: &StyledStr) -> String {
        let (valid, invalid) = (self.styles.get_valid(), self.styles.get_invalid());
        let plain = s.to_string();
        if let Some((arg, written)) = plain
            .strip_prefix("to pass '")
            .and_then(|r| r.strip_suffix('\''))
            .and_then(|r| r.split_once("' as a value, use '"))
        {
            return self.text(UsageMsg::PassAsValue {
                arg: paint(invalid, arg),
                written: paint(valid, written),
            });
        }
        if let Some(sub) = plain
            .strip_prefix("subcommand '")
            .and_then(|r| r.strip_suffix("' exists; to use it, remove the '--' before it"))
        {
            return self.text(UsageMsg::DashBeforeSubcommand {
                sub: paint(valid, sub),
                dashes: paint(invalid, "--"),
            });
        }
        if let Some(written) = plain
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix("' exists"))
        {
            return self.text(UsageMsg::Exists {
                written: paint(valid, written),
            });
        }
        s.ansi().to_string()
    }
}

/// The language asked for before the arguments are parsed (so that `--help` and clap's
/// own errors are in it): `--lang X` or `--lang=X`, else GOUJI_LANG, else Chinese.
pub fn lang_before_parsing(args: &[std::ffi::OsString]) -> Lang {
    let mut asked = None;
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = it.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            asked = it.next().and_then(|v| Lang::parse(&v));
        } else if let Some(v) = arg.strip_prefix("--lang=") {
            asked = Lang::parse(v);
        }
    }
    asked
        .or_else(|| {
            std::env::var("GOUJI_LANG")
                .ok()
                .and_then(|v| Lang::parse(&v))
        })
        .unwrap_or_default()
}

/// The command line with every help text from the catalogue (`command_help` by command
/// name, `arg_help` by command and argument id): each command's about, each option's help, and `-h`/`--help`, `-V`/`--version` and the `help` command of its own
/// (clap's are English).
pub fn localise(
    cmd: clap::Command,
    command_help: fn(&str) -> Option<HelpMsg>,
    arg_help: fn(&str, &str) -> Option<HelpMsg>,
) -> clap::Command {
    use clap::{Arg, ArgAction};
    let name = cmd.get_name().to_string();
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help),
        );
    if let Some(about) = command_help(&name) {
        cmd = cmd.about(about.to_string());
    }
    if name == "gouji" {
        cmd = cmd
            .disable_version_flag(true)
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::Version),
            )
            .subcommand(
                clap::Command::new("help")
                    .about(HelpMsg::HelpCommand.to_string())
                    .arg(
                        Arg::new("command")
                            .num_args(..)
                            .help(HelpMsg::HelpCommandArg.to_string()),
                    ),
            );
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        if let Some(help) = arg_help(&name, &id) {
            cmd = cmd.mut_arg(&id, |a| a.help(help.to_string()));
        }
    }
    let subcommands: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .filter(|s| s != "help")
        .collect();
    for sub in subcommands {
        cmd = cmd.mut_subcommand(sub, |c| localise(c, command_help, arg_help));
    }
    cmd
}

/// A help page or clap's own message in the current language: the words clap writes itself
/// (headings, `[default: …]`) replaced by the catalogue's.
pub fn clap_text(text: String) -> String {
    if crate::messages::lang() == Lang::En {
        return text;
    }
    CLAP_WORDS
        .iter()
        .fold(text, |t, w| t.replace(&w.text_in(Lang::En), &w.to_string()))
}

const CLAP_WORDS: &[ClapWord] = &[
    ClapWord::Usage,
    ClapWord::Commands,
    ClapWord::Options,
    ClapWord::Arguments,
    ClapWord::OptionsPlaceholder,
    ClapWord::CommandPlaceholder,
    ClapWord::Default,
    ClapWord::PossibleValuesHeading,
    ClapWord::PossibleValues,
    ClapWord::Env,
    ClapWord::SeeMore,
    ClapWord::SeeSummary,
    ClapWord::ErrorPrefix,
    ClapWord::Tip,
    ClapWord::MoreInfo,
];

/// Clap's text with its colours when it goes to a terminal, plain otherwise.
pub fn styled(text: clap::builder::StyledStr, terminal: bool) -> String {
    if terminal {
        text.ansi().to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction, Command};

    /// A command with every kind of argument that can go wrong.
    fn command() -> Command {
        Command::new("gouji")
            .subcommand_required(false)
            .subcommand(
                Command::new("lint")
                    .arg(Arg::new("paths").num_args(0..))
                    .arg(Arg::new("format").long("format").value_parser([
                        "human",
                        "json",
                        "two words",
                    ]))
                    .arg(Arg::new("rules").long("rules").value_name("PATH"))
                    .arg(
                        Arg::new("write")
                            .long("write")
                            .action(ArgAction::SetTrue)
                            .conflicts_with("check"),
                    )
                    .arg(Arg::new("check").long("check").action(ArgAction::SetTrue))
                    .arg(
                        Arg::new("jobs")
                            .long("jobs")
                            .value_parser(clap::value_parser!(u8)),
                    )
                    .arg(Arg::new("eq").long("eq").require_equals(true))
                    .arg(Arg::new("pair").long("pair").num_args(2))
                    .arg(Arg::new("few").long("few").num_args(3..5))
                    .arg(Arg::new("once").long("once").action(ArgAction::Set)),
            )
            .subcommand(Command::new("import").arg(Arg::new("inputs").required(true)))
            .subcommand(
                Command::new("rules")
                    .subcommand_required(true)
                    .subcommand(Command::new("list"))
                    .subcommand(Command::new("show")),
            )
    }

    const BAD: &[&[&str]] = &[
        &["lint", "--bogus"],
        &["lint", "--formt", "json"],
        &["lint", "--format", "nope"],
        &["lint", "--format", "jsn"],
        &["lint", "--rules"],
        &["lint", "--write", "--check"],
        &["lint", "--once", "a", "--once", "b"],
        &["lint", "--jobs", "many"],
        &["lint", "--jobs", "300"],
        &["lint", "--eq", "x"],
        &["lint", "--pair", "a"],
        &["lint", "--few", "a", "b"],
        &["lnt"],
        &["zzzz"],
        &["import"],
        &["rules"],
        &["rules", "shw"],
        &["--", "lint"],
        &["lint", "-x"],
    ];

    fn error(args: &[&str]) -> clap::Error {
        let mut all = vec!["gouji"];
        all.extend_from_slice(args);
        match command().try_get_matches_from(all) {
            Err(e) => e,
            Ok(_) => panic!("{args:?} should not parse"),
        }
    }

    #[test]
    fn in_english_it_is_clap_word_for_word_with_its_colours() {
        let styles = Styles::styled();
        for args in BAD {
            let e = error(args);
            let ours = render_in(&e, &styles, Lang::En);
            let clap = e.render();
            assert_eq!(ours.ansi().to_string(), clap.ansi().to_string(), "{args:?}");
            assert_eq!(ours.to_string(), clap.to_string(), "{args:?}");
        }
    }

    #[test]
    fn in_chinese_every_shape_is_rewritten() {
        let styles = Styles::styled();
        for args in BAD {
            let e = error(args);
            let mut zh = render_in(&e, &styles, Lang::Zh).to_string();
            // A value parser's reason is its own words (gouji's parsers write the
            // catalogue's; this test's `u8` parser is the standard library's).
            if let Some(reason) = std::error::Error::source(&e) {
                zh = zh.replace(&reason.to_string(), "");
            }
            assert!(zh.starts_with("错误："), "{args:?}: {zh}");
            // Nothing of clap's English sentences is left (its own words for the usage line
            // are translated by the caller, like a help page's).
            for english in [
                "unexpected",
                "invalid",
                "required",
                "similar",
                "exists",
                "provided",
                "cannot",
                "For more",
                "to pass",
                "unrecognized",
                "equal sign",
            ] {
                assert!(!zh.contains(english), "{args:?}: {english:?} in {zh}");
            }
        }
    }

    /// In a terminal the Chinese keeps clap's colours on the same pieces, and the words
    /// clap styles inside a sentence ('--help') no longer keep it English.
    #[test]
    fn in_chinese_the_colours_stay() {
        let styles = Styles::styled();
        let e = error(&["lint", "--format", "nope"]);
        let zh = render_in(&e, &styles, Lang::Zh).ansi().to_string();
        let (error, invalid, literal) = (
            styles.get_error(),
            styles.get_invalid(),
            styles.get_literal(),
        );
        for piece in [
            format!("{error}错误：{error:#}"),
            format!("'{invalid}nope{invalid:#}'"),
            format!("'{literal}--format <format>{literal:#}'"),
            format!("更多信息请用 '{literal}--help{literal:#}' 查看。"),
        ] {
            assert!(zh.contains(&piece), "{piece:?} not in {zh:?}");
        }
    }

    #[test]
    fn help_and_version_are_clap_own() {
        let styles = Styles::styled();
        let e = error(&["--help"]);
        assert_eq!(
            render_in(&e, &styles, Lang::Zh).to_string(),
            e.render().to_string()
        );
    }
}
