//! What people new to the rule language type, and what to tell them.
//!
//! Full-width punctuation outside strings (what a Chinese input method produces) is accepted
//! where it can only mean one thing: `（）`、`，`、`：`、`；` are read as `( ) , : ;`. Everything
//! else a beginner writes that does not parse — `=` for `==`, `&&`, `!`, curly quotes, a string
//! left open, a rule without its `}` — gets an error that says exactly what to type instead of
//! the list of tokens the parser expected.

use pest::error::{ErrorVariant, InputLocation};

use super::error::RuleError;
use super::syntax::Rule;
use crate::messages::rules::{GrammarMsg, ParseMsg, SyntaxMsg};
use crate::source::{Source, Span};

/// The rule file with full-width `（），：；` outside strings, quoted names and comments
/// replaced by their ASCII forms, padded with spaces so every byte offset stays the same.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut state = State::Code;
    let mut escaped = false;
    for ch in text.chars() {
        let mut replaced = None;
        state = match (state, ch) {
            (State::Code, '"') => State::Str,
            (State::Code, '「') => State::Quoted('」'),
            (State::Code, '`') => State::Quoted('`'),
            (State::Code, '#') => State::Comment,
            (State::Code, c) => {
                replaced = ascii_for(c);
                State::Code
            }
            (State::Str, '\\') if !escaped => {
                escaped = true;
                out.push(ch);
                continue;
            }
            (State::Str, '"') if !escaped => State::Code,
            (State::Quoted(end), c) if c == end => State::Code,
            (State::Comment, '\n') => State::Code,
            (s, _) => s,
        };
        escaped = false;
        match replaced {
            Some(a) => {
                out.push(a);
                // Full-width forms are three bytes in UTF-8; the ASCII one is one.
                for _ in 1..ch.len_utf8() {
                    out.push(' ');
                }
            }
            None => out.push(ch),
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Code,
    Str,
    Quoted(char),
    Comment,
}

/// The unambiguous full-width punctuation and what it stands for.
fn ascii_for(c: char) -> Option<char> {
    Some(match c {
        '（' => '(',
        '）' => ')',
        '，' => ',',
        '：' => ':',
        '；' => ';',
        _ => return None,
    })
}

/// A parse error, in words a beginner can act on.
pub fn syntax_error(source: &Source, text: &str, e: pest::error::Error<Rule>) -> RuleError {
    let at = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((a, _)) => a,
    };
    if let Some(err) = unterminated_string(source, text) {
        return err;
    }
    if let Some(err) = targeted(source, text, at) {
        return err;
    }
    if let Some(err) = unclosed_rule(source, text, at) {
        return err;
    }
    let found = text
        .get(at..)
        .and_then(|t| t.split_whitespace().next())
        .map(|t| t.chars().take(20).collect::<String>());
    let message = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let mut names: Vec<String> =
                positives.iter().map(|r| describe(r).to_string()).collect();
            names.sort();
            names.dedup();
            let expected = names.join(crate::messages::list_sep());
            match found {
                Some(found) => SyntaxMsg::Expected { expected, found },
                None => SyntaxMsg::ExpectedAtEnd { expected },
            }
        }
        ErrorVariant::ParsingError { .. } => SyntaxMsg::Unexpected {
            found: found.unwrap_or_default(),
        },
        ErrorVariant::CustomError { message } => SyntaxMsg::Unexpected {
            found: message.clone(),
        },
    };
    RuleError::new(source, message.to_string(), at..at).with_label(SyntaxMsg::Here.to_string())
}

/// `=`, `&&`, `||`, `!`, curly quotes and other full-width characters where the parser stopped.
fn targeted(source: &Source, text: &str, at: usize) -> Option<RuleError> {
    let rest = text.get(at..)?;
    let before = text[..at].chars().next_back();
    let c = rest.chars().next()?;
    let (msg, help, len) = match c {
        '=' if !rest.starts_with("==") && !matches!(before, Some('=' | '!' | '<' | '>')) => {
            (SyntaxMsg::SingleEquals, SyntaxMsg::SingleEqualsHelp, 1)
        }
        '&' if rest.starts_with("&&") => (SyntaxMsg::AndAnd, SyntaxMsg::AndAndHelp, 2),
        '|' if rest.starts_with("||") => (SyntaxMsg::OrOr, SyntaxMsg::OrOrHelp, 2),
        '!' if !rest.starts_with("!=") => (SyntaxMsg::Bang, SyntaxMsg::BangHelp, 1),
        '“' | '”' | '‘' | '’' => (
            SyntaxMsg::CurlyQuote {
                found: c.to_string(),
            },
            SyntaxMsg::CurlyQuoteHelp,
            c.len_utf8(),
        ),
        '\u{FF01}'..='\u{FF5E}' => {
            // A full-width `＝` is meant as equality, which is `==`.
            let ascii = match c {
                '＝' => "==".to_string(),
                _ => char::from_u32(c as u32 - 0xFEE0)?.to_string(),
            };
            (
                SyntaxMsg::FullWidth {
                    found: c.to_string(),
                    ascii: ascii.clone(),
                },
                SyntaxMsg::FullWidthHelp { ascii },
                c.len_utf8(),
            )
        }
        _ => return None,
    };
    Some(
        RuleError::new(source, msg.to_string(), at..at + len)
            .with_label(SyntaxMsg::Here.to_string())
            .with_help(help.to_string()),
    )
}

/// Words that begin the items of a rule: a string that runs over a line starting with one
/// of them was almost certainly left open.
const ITEM_STARTS: &[&str] = &[
    "rule ",
    "title ",
    "severity ",
    "formats ",
    "years ",
    "why ",
    "help ",
    "message ",
    "check ",
    "pass ",
    "fail ",
    "pass{",
    "fail{",
    "}",
];

/// A string opened and never closed on its line, reported at its opening quote (the parser
/// would report the next quote, lines later).
fn unterminated_string(source: &Source, text: &str) -> Option<RuleError> {
    let mut state = State::Code;
    let mut escaped = false;
    let mut open = 0;
    let mut i = 0;
    for ch in text.chars() {
        match (state, ch) {
            (State::Code, '"') => {
                state = State::Str;
                open = i;
            }
            (State::Code, '#') => state = State::Comment,
            (State::Comment, '\n') => state = State::Code,
            (State::Str, '\\') if !escaped => {
                escaped = true;
                i += ch.len_utf8();
                continue;
            }
            (State::Str, '"') if !escaped => state = State::Code,
            (State::Str, '\n') => {
                let next = text[i + 1..].lines().next().unwrap_or("").trim_start();
                if ITEM_STARTS.iter().any(|k| next.starts_with(k)) {
                    return Some(unterminated(source, open));
                }
            }
            _ => {}
        }
        escaped = false;
        i += ch.len_utf8();
    }
    (state == State::Str).then(|| unterminated(source, open))
}

fn unterminated(source: &Source, open: usize) -> RuleError {
    RuleError::new(source, SyntaxMsg::Unterminated.to_string(), open..open + 1)
        .with_label(SyntaxMsg::UnterminatedLabel.to_string())
        .with_help(SyntaxMsg::UnterminatedHelp.to_string())
}

/// The parser stopped at the next `rule` or at the end of the file: the rule before it was
/// never closed. Name it, and point at it.
fn unclosed_rule(source: &Source, text: &str, at: usize) -> Option<RuleError> {
    let rest = text.get(at..)?;
    let at_next_rule = rest.starts_with("rule") && rest[4..].starts_with(char::is_whitespace);
    let at_end = rest.trim().is_empty();
    if !at_next_rule && !at_end {
        return None;
    }
    let (id, span) = last_rule_header(&text[..at])?;
    let next = if at_next_rule {
        let line = source.position(at).line;
        ParseMsg::BeforeNextRule { line }.to_string()
    } else {
        ParseMsg::AtEndOfFile.to_string()
    };
    Some(
        RuleError::new(
            source,
            SyntaxMsg::Unclosed { id: id.clone() }.to_string(),
            span,
        )
        .with_label(SyntaxMsg::UnclosedLabel.to_string())
        .with_help(SyntaxMsg::UnclosedHelp { id, next }.to_string()),
    )
}

/// The id and its span of the last `rule ID {` that starts a line before `end`.
fn last_rule_header(text: &str) -> Option<(String, Span)> {
    let mut offset = 0;
    let mut found = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(after) = trimmed.strip_prefix("rule") {
            if after.starts_with(char::is_whitespace) {
                let id = after
                    .trim_start()
                    .split(|c: char| c.is_whitespace() || c == '{')
                    .next();
                if let Some(id) = id.filter(|i| !i.is_empty()) {
                    let start = offset + line.len() - trimmed.len()
                        + 4
                        + (after.len() - after.trim_start().len());
                    found = Some((id.to_string(), start..start + id.len()));
                }
            }
        }
        offset += line.len();
    }
    found
}

/// Grammar rule names in words an author understands.
fn describe(r: &Rule) -> GrammarMsg {
    let kw = |kw: &str| GrammarMsg::Keyword { kw: kw.into() };
    match r {
        Rule::rule | Rule::EOI => GrammarMsg::RuleHeader,
        Rule::rule_end => GrammarMsg::RuleEnd,
        Rule::rule_id => GrammarMsg::RuleId,
        Rule::title | Rule::kw_title => kw("title"),
        Rule::severity | Rule::kw_severity => kw("severity"),
        Rule::level => GrammarMsg::Level,
        Rule::formats | Rule::kw_formats => kw("formats"),
        Rule::format_name => GrammarMsg::FormatName,
        Rule::years | Rule::kw_years => kw("years"),
        Rule::why | Rule::kw_why => kw("why"),
        Rule::help | Rule::kw_help => kw("help"),
        Rule::message | Rule::kw_message => kw("message"),
        Rule::check | Rule::kw_check => kw("check"),
        Rule::example | Rule::example_kind => GrammarMsg::Example,
        Rule::string => GrammarMsg::Str,
        Rule::expr
        | Rule::unary
        | Rule::path
        | Rule::number
        | Rule::call
        | Rule::paren
        | Rule::if_expr
        | Rule::let_expr => GrammarMsg::Expression,
        Rule::cmp_op => GrammarMsg::Comparison,
        Rule::add_op | Rule::mul_op => GrammarMsg::Operator,
        Rule::and_op | Rule::or_op => GrammarMsg::AndOr,
        Rule::ident => GrammarMsg::Name,
        Rule::index => GrammarMsg::Index,
        Rule::literal => GrammarMsg::Literal,
        _ => GrammarMsg::Other,
    }
}
