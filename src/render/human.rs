//! miette's graphical reports: one per finding, every cell labelled.
//!
//! miette draws the source lines it is given whole, and pads labels with `format!` widths
//! (a label past column 65,535 panics inside it). So it is never given the file: it gets a
//! [`Excerpt`] — only the lines near the labels, each clipped around its labels with `…`
//! to the terminal's width, long spans shortened in the middle, control characters made
//! visible — and labels moved into the excerpt's offsets. The header's line and column
//! are still the file's. Messages wrap only between words, never inside arithmetic.

use std::ops::Range;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, Severity as MSeverity, SourceCode, SourceSpan, SpanContents,
};
use unicode_width::UnicodeWidthChar;

use super::{cell_name, elsewhere_lines, FormatSpec, Renderer, Report, Settings, Summary};
use crate::finding::{Finding, Severity};
use crate::messages::render::RenderMsg;
use crate::source::Source;
use draw::{Drawer, Level};

mod draw;
#[cfg(test)]
mod tests;
mod wrap;

pub const FORMAT: FormatSpec = FormatSpec {
    name: "human",
    about: crate::messages::render::RenderMsg::FormatHuman,
    binary: false,
    make: |s: &Settings| Box::new(Human::with_settings(s)),
};

pub struct Human {
    handler: GraphicalReportHandler,
    /// gouji's own drawing of the shapes it produces, as the handler draws them.
    drawer: Drawer,
    /// `  提示：` (`  help: ` in English) in the theme's help style, before a repair hint.
    help_label: String,
    /// Columns the hint is wrapped to, as miette wraps its own footer.
    help_width: usize,
    /// Display columns a source line may take before it is clipped.
    budget: usize,
    quiet: bool,
    statistics: bool,
}

impl Renderer for Human {
    fn report(&self, report: &Report<'_>, out: &mut Vec<u8>) {
        if self.statistics {
            return;
        }
        let lines = Lines::new(&report.source.text);
        let mut text = String::new();
        let mut help = HelpCache::default();
        for f in report.findings {
            if self.quiet && f.severity != Severity::Error {
                continue;
            }
            self.render(report.source, &lines, f, &mut help, &mut text);
            // Written out finding by finding: a report's buffer holds its clipped output,
            // never a copy of its long lines.
            out.extend_from_slice(text.as_bytes());
            text.clear();
        }
    }
}

/// Characters of context kept on each side of a label on a clipped line.
const AROUND: usize = 10;
/// A label longer than this many characters is shown by its head and tail.
const LONG_SPAN: usize = 30;
const HEAD: usize = 16;
const TAIL: usize = 10;
/// A clipped line keeps its key when the key ends within this many characters.
const ROW_KEY: usize = 24;
/// A quotation in a message longer than this many characters is shortened in the middle
/// (the JSON keeps it whole).
const LONG_QUOTE: usize = 120;

impl Human {
    pub fn new(color: bool, width: usize) -> Human {
        Human::with_settings(&Settings {
            color,
            width,
            ..Settings::default()
        })
    }

    pub fn with_settings(s: &Settings) -> Human {
        let theme = if s.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let width = s.width.max(40);
        let help_label = theme
            .styles
            .help
            .style(RenderMsg::HelpLabel.to_string())
            .to_string();
        Human {
            help_label,
            help_width: width.saturating_sub(2),
            drawer: Drawer::new(&theme, width),
            handler: GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .with_links(false)
                .with_word_separator(textwrap::WordSeparator::Custom(words)),
            // The gutter (` 43 │ `) takes the rest.
            budget: width.saturating_sub(8),
            quiet: s.quiet,
            statistics: s.statistics,
        }
    }

    /// A repair hint or help line, where miette puts `help:`, under the catalogue's label
    /// (miette's own word is English only), wrapped as miette wraps it.
    fn push_help(&self, help: &str, out: &mut String) {
        let opts = textwrap::Options::new(self.help_width)
            .initial_indent(&self.help_label)
            .subsequent_indent("        ")
            .word_separator(textwrap::WordSeparator::Custom(words));
        out.push_str(&textwrap::fill(help, opts));
        out.push('\n');
    }

    /// A repair hint through [`Human::push_help`], wrapped once for the findings of a
    /// report that repeat it (every finding of a repair plan carries the same hint).
    fn push_help_cached(&self, help: &str, cache: &mut HelpCache, out: &mut String) {
        if cache.help != help || cache.wrapped.is_empty() {
            cache.help.clear();
            cache.help.push_str(help);
            cache.wrapped.clear();
            self.push_help(&escape(help), &mut cache.wrapped);
        }
        out.push_str(&cache.wrapped);
    }

    /// One finding, appended to `out`.
    pub fn finding(&self, source: &Source, f: &Finding, out: &mut String) {
        self.render(
            source,
            &Lines::new(&source.text),
            f,
            &mut HelpCache::default(),
            out,
        )
    }

    fn render(
        &self,
        source: &Source,
        lines: &Lines,
        f: &Finding,
        help: &mut HelpCache,
        out: &mut String,
    ) {
        let text = &source.text;
        let clamp = |s: &Range<usize>| {
            let a = floor(text, s.start.min(text.len()));
            a..floor(text, s.end.min(text.len())).max(a)
        };
        // (span in the file, label text, primary)
        let mut labels: Vec<(Range<usize>, Option<String>, bool)> = Vec::new();
        let primary_is_cell = f.cells.iter().any(|c| c.span == f.span);
        if !primary_is_cell && !text.is_empty() {
            labels.push((clamp(&f.span), None, true));
        }
        for c in f.cells.iter().filter(|c| c.is_local()) {
            // Zeros in a long sum add nothing to read; they stay in the JSON output.
            if f.cells.len() > 6 && c.value.trim() == "0" && c.span != f.span {
                continue;
            }
            let label = if c.path.starts_with("正文") {
                "这句".to_string()
            } else {
                escape(&format!("{} {}", cell_name(c), c.value))
            };
            labels.push((clamp(&c.span), Some(label), c.span == f.span));
        }
        let message = format!(
            "{}\n{}",
            escape(&f.title),
            escape(&shorten_quotes(&f.message))
        );
        let level = match f.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Advice,
        };
        let drawn = self.drawing(
            source,
            lines,
            labels,
            &escape(&f.rule),
            level,
            message,
            Via::Either,
            out,
        );
        match drawn {
            Ok(_) => {
                if let Some(h) = &f.help {
                    self.push_help_cached(h, help, out);
                }
                // Cells of last year's report: where they are, under the drawing.
                for at in elsewhere_lines(f) {
                    out.push_str(&format!("  = {}\n", escape(&at)));
                }
            }
            // miette could not draw it: the finding is still shown, on one line.
            Err(_) => {
                let p = source.position(f.span.start);
                out.push_str(&format!(
                    "{}:{}:{}: {} {} {}\n",
                    escape(&source.name),
                    p.line,
                    p.column,
                    f.severity.as_str(),
                    escape(&f.rule),
                    escape(&f.message)
                ));
            }
        }
        out.push('\n');
    }
}

/// Which drawer draws a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(test), allow(dead_code))]
enum Via {
    /// gouji's own when it takes the shape, else miette's.
    Either,
    /// miette's only (the reference, in tests).
    Miette,
    /// gouji's only: nothing is drawn when it does not take the shape (tests).
    Own,
}

/// The last repair hint wrapped in a report (as the finding has it, before escaping), and
/// its lines.
#[derive(Default)]
struct HelpCache {
    help: String,
    wrapped: String,
}

impl Human {
    /// A finding's header, message and labelled excerpt, appended to `out`: by gouji's
    /// drawer when it takes the shape (`Ok(true)`), else by miette (`Ok(false)`).
    /// `labels`: (span in the file, label text, primary).
    #[allow(clippy::too_many_arguments)]
    fn drawing(
        &self,
        source: &Source,
        lines: &Lines,
        labels: Vec<(Range<usize>, Option<String>, bool)>,
        code: &str,
        level: Level,
        message: String,
        via: Via,
        out: &mut String,
    ) -> Result<bool, std::fmt::Error> {
        let spans: Vec<Range<usize>> = labels.iter().map(|l| l.0.clone()).collect();
        let excerpt = Excerpt::new(source, lines, &spans, self.budget);
        let labels: Vec<LabeledSpan> = labels
            .into_iter()
            .map(|(span, label, primary)| {
                let (a, b) = (excerpt.local(span.start), excerpt.local(span.end));
                let at = SourceSpan::new(a.into(), b.saturating_sub(a));
                if primary {
                    LabeledSpan::new_primary_with_span(label, at)
                } else {
                    LabeledSpan::new_with_span(label, at)
                }
            })
            .collect();
        if via != Via::Miette {
            let mark = out.len();
            if self
                .drawer
                .draw(code, level, &message, &excerpt, &labels, out)
                .is_some()
            {
                return Ok(true);
            }
            out.truncate(mark);
            if via == Via::Own {
                return Ok(false);
            }
        }
        let diag = MietteDiagnostic::new(message)
            .with_code(code)
            .with_severity(match level {
                Level::Error => MSeverity::Error,
                Level::Warning => MSeverity::Warning,
                Level::Advice => MSeverity::Advice,
            })
            .with_labels(labels);
        let shown = WithExcerpt {
            diag: &diag,
            excerpt: &excerpt,
        };
        let mut rendered = String::new();
        self.handler.render_report(&mut rendered, &shown)?;
        out.push_str(&rendered);
        Ok(false)
    }
}

/// Where a report's lines start. A line ends at `\n`, `\r\n` or a lone `\r`.
pub struct Lines {
    starts: Vec<usize>,
    len: usize,
}

impl Lines {
    pub fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        if !bytes.contains(&b'\r') {
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        } else {
            for (i, &b) in bytes.iter().enumerate() {
                let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
                if b == b'\n' || lone_cr {
                    starts.push(i + 1);
                }
            }
        }
        Lines {
            starts,
            len: text.len(),
        }
    }

    /// The 0-based line holding a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// A line's bytes without its line end.
    fn span(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.starts[line];
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
        }
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        start..end
    }
}

/// The lines around a finding's labels, clipped and escaped, for miette to draw.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    /// (offset in the file, offset in `text`) at every kept character boundary, in order.
    map: Vec<(usize, usize)>,
    /// The file's 0-based line of the excerpt's first line.
    first_line: usize,
    /// The 1-based line and column, in the file, of each excerpt offset asked for by a
    /// header: (excerpt offset, line, column).
    positions: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    fn new(source: &Source, lines: &Lines, spans: &[Range<usize>], budget: usize) -> Excerpt {
        let text = &source.text;
        let mut label_lines: Vec<usize> = spans
            .iter()
            .flat_map(|s| [lines.line_of(s.start), lines.line_of(s.end)])
            .collect();
        label_lines.sort_unstable();
        label_lines.dedup();
        let first = label_lines.first().map_or(0, |l| l.saturating_sub(1));
        let last = label_lines
            .last()
            .map_or(0, |l| (l + 1).min(lines.starts.len() - 1));
        let mut ex = Excerpt {
            name: escape(&source.name),
            text: String::new(),
            map: Vec::new(),
            first_line: first,
            positions: Vec::new(),
        };
        for line in first..=last {
            if line > first {
                ex.text.push('\n');
            }
            // Only lines miette may show (a label's, one each side); the others stay empty.
            let near = label_lines.iter().any(|&l| l.abs_diff(line) <= 1);
            if !near {
                continue;
            }
            let range = lines.span(text, line);
            let keep = keep(text, range.clone(), spans, budget);
            let mut at = range.start;
            for k in keep {
                if k.start > at {
                    ex.text.push('…');
                }
                let part = &text[k.clone()];
                if clean(part) {
                    let base = ex.text.len();
                    ex.map
                        .extend(part.char_indices().map(|(i, _)| (k.start + i, base + i)));
                    ex.text.push_str(part);
                } else {
                    for (i, c) in part.char_indices() {
                        ex.map.push((k.start + i, ex.text.len()));
                        push_escaped(&mut ex.text, c);
                    }
                }
                ex.map.push((k.end, ex.text.len()));
                at = k.end;
            }
            if at < range.end {
                ex.text.push('…');
            }
            // The header's column counts characters from the line's start in the file.
            for s in spans {
                if lines.line_of(s.start) == line {
                    let column = text[range.start..s.start.clamp(range.start, range.end)]
                        .chars()
                        .count();
                    ex.positions.push((ex.local(s.start), line + 1, column + 1));
                }
            }
        }
        ex
    }

    /// A file offset → the excerpt's offset (a dropped character → the cut before it).
    fn local(&self, offset: usize) -> usize {
        let i = self.map.partition_point(|&(f, _)| f <= offset);
        match i {
            0 => 0,
            _ => self.map[i - 1].1,
        }
    }
}

/// The parts of a line to show: all of it when it fits, else each label's surroundings
/// (a long label by its head and tail), merged. Ranges are byte ranges of the file.
#[allow(clippy::single_range_in_vec_init)]
fn keep(
    text: &str,
    line: Range<usize>,
    spans: &[Range<usize>],
    budget: usize,
) -> Vec<Range<usize>> {
    let s = &text[line.clone()];
    let mut width = 0;
    let mut fits = true;
    for c in s.chars() {
        width += columns(c);
        if width > budget {
            fits = false;
            break;
        }
    }
    if fits {
        return vec![line];
    }
    // Character boundaries `n` characters before / after a byte offset, within the line.
    // Backwards, a cut moves on to the start of the item it falls in (`其他: 0`, not `他: 0`).
    let back = |at: usize, n: usize| {
        let before = &text[line.start..at];
        let cut = before
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(0, |(i, _)| i);
        let item = before[..cut]
            .char_indices()
            .rev()
            .take(8)
            .find(|&(_, c)| matches!(c, ' ' | '{' | ',' | '，' | '、'))
            .map(|(i, c)| i + c.len_utf8());
        line.start + item.unwrap_or(cut)
    };
    let forward = |at: usize, n: usize| {
        text[at..line.end]
            .char_indices()
            .nth(n)
            .map_or(line.end, |(i, _)| at + i)
    };
    let mut parts: Vec<Range<usize>> = Vec::new();
    for sp in spans {
        if sp.end < line.start || sp.start > line.end {
            continue;
        }
        let a = sp.start.clamp(line.start, line.end);
        let b = sp.end.clamp(line.start, line.end);
        if text[a..b].chars().nth(LONG_SPAN).is_some() {
            parts.push(back(a, AROUND)..forward(a, HEAD));
            parts.push(back(b, TAIL)..forward(b, AROUND));
        } else {
            parts.push(back(a, AROUND)..forward(b, AROUND));
        }
    }
    if parts.is_empty() {
        // A context line: its start, to the width.
        let mut end = line.start;
        let mut width = 0;
        for (i, c) in s.char_indices() {
            width += columns(c);
            if width > budget.saturating_sub(1) {
                break;
            }
            end = line.start + i + c.len_utf8();
        }
        return vec![line.start..end];
    }
    // A table row keeps its key (`  不掌握:`), so a clipped row still says which row it is.
    let key_end = s
        .char_indices()
        .take(ROW_KEY)
        .find(|&(_, c)| c == ':' || c == '：')
        .map(|(i, c)| line.start + i + c.len_utf8());
    if let Some(end) = key_end {
        parts.push(line.start..end);
    }
    parts.sort_by_key(|p| p.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for p in parts {
        match merged.last_mut() {
            Some(m) if p.start <= m.end => m.end = m.end.max(p.end),
            _ => merged.push(p),
        }
    }
    merged
}

/// Columns a character takes on a clipped line (`width().unwrap_or(1)`).
fn columns(c: char) -> usize {
    common_width(c).unwrap_or_else(|| c.width().unwrap_or(1))
}

/// The width of printable ASCII (1) and of the CJK Unified Ideographs (2), without
/// unicode-width's table look-up: the characters reports are mostly made of, on which
/// every measure the drawing imitates agrees (`tests` checks it); `None` for the others.
fn common_width(c: char) -> Option<usize> {
    match c as u32 {
        0x20..=0x7E => Some(1),
        0x4E00..=0x9FFF => Some(2),
        _ => None,
    }
}

/// Quotations (“…”) longer than [`LONG_QUOTE`] characters, shortened to their head and
/// tail: a prose finding quotes the sentence it read, which can be a whole paragraph.
fn shorten_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut rest = message;
    while let Some(open) = rest.find('“') {
        let body_start = open + '“'.len_utf8();
        let Some(len) = rest[body_start..].find('”') else {
            break;
        };
        let body = &rest[body_start..body_start + len];
        out.push_str(&rest[..body_start]);
        if body.chars().nth(LONG_QUOTE).is_some() {
            let head: String = body.chars().take(LONG_QUOTE / 2).collect();
            let tail: Vec<char> = body.chars().rev().take(LONG_QUOTE / 4).collect();
            out.push_str(&head);
            out.push('…');
            out.extend(tail.into_iter().rev());
        } else {
            out.push_str(body);
        }
        rest = &rest[body_start + len..];
    }
    out.push_str(rest);
    out
}

/// The nearest character boundary at or before `i`.
fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Report text made safe for a terminal: control characters become visible (C0 as their
/// Control Pictures, others and bidirectional controls as `\u{…}`); line breaks stay.
pub fn escape(s: &str) -> String {
    if clean(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// No character of `s` needs escaping: [`needs_escape`] read from the UTF-8 bytes (C1
/// controls are `C2 80..9F`; the invisible and bidirectional marks `E2 80 8B..8F`,
/// `E2 80 AA..AE`, `E2 81 A6..A9`; the BOM `EF BB BF`).
fn clean(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| SUSPECT[c as usize]) {
        let j = i + k;
        let bad = match b[j] {
            0xC2 => matches!(b.get(j + 1), Some(0x80..=0x9F)),
            0xE2 => matches!(
                (b.get(j + 1), b.get(j + 2)),
                (Some(0x80), Some(0x8B..=0x8F | 0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
            ),
            0xEF => matches!((b.get(j + 1), b.get(j + 2)), (Some(0xBB), Some(0xBF))),
            _ => true,
        };
        if bad {
            return false;
        }
        i = j + 1;
    }
    true
}

/// The bytes [`clean`] looks at: control bytes but `\n` and `\t`, and the lead bytes of
/// the characters [`needs_escape`] names above U+007F.
const SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = c != b'\n' as usize && c != b'\t' as usize;
        c += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t[0xEF] = true;
    t
};

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn push_escaped(out: &mut String, c: char) {
    if !needs_escape(c) {
        out.push(c);
    } else if (c as u32) < 0x20 {
        out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�'));
    } else if c == '\u{7F}' {
        out.push('␡');
    } else {
        out.push_str(&format!("\\u{{{:04X}}}", c as u32));
    }
}

/// Where a message may wrap: after a space, unless the space sits inside arithmetic
/// (next to an operator, or between two numbers), and after Chinese punctuation.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    Box::new(pieces(line).into_iter().map(textwrap::core::Word::from))
}

/// [`words`]' pieces of a line, each with the spaces after it.
fn pieces(line: &str) -> Vec<&str> {
    fn operator(c: char) -> bool {
        matches!(
            c,
            '+' | '-' | '−' | '=' | '≠' | '<' | '>' | '≤' | '≥' | '×' | '÷' | '*' | '/'
        )
    }
    fn numeric(c: char) -> bool {
        c.is_ascii_digit() || c == '.' || c == '%' || c == ')' || c == '('
    }
    let mut cuts = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|x| x.1);
        if c == ' ' {
            if next == Some(' ') {
                continue;
            }
            let before = line[..i].trim_end_matches(' ').chars().next_back();
            let inside = match (before, next) {
                (Some(b), Some(n)) => operator(b) || operator(n) || (numeric(b) && numeric(n)),
                _ => false,
            };
            if !inside {
                cuts.push(i + 1);
            }
        } else if matches!(c, '，' | '；' | '。' | '：' | '、' | '）') && next != Some(' ') {
            cuts.push(i + c.len_utf8());
        }
    }
    let mut start = 0;
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    for cut in cuts {
        pieces.push(&line[start..cut]);
        start = cut;
    }
    if start < line.len() {
        pieces.push(&line[start..]);
    }
    pieces
}

pub fn summary(s: &Summary) -> String {
    use crate::messages::render::TotalsMsg as T;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut parts = vec![
        T::Files {
            n: s.files,
            s: plural(s.files),
        },
        T::Errors {
            n: s.errors,
            s: plural(s.errors),
        },
        T::Warnings {
            n: s.warnings,
            s: plural(s.warnings),
        },
    ];
    if s.infos > 0 {
        parts.push(T::Infos { n: s.infos });
    }
    if s.unreadable > 0 {
        parts.push(T::Unreadable { n: s.unreadable });
    }
    if s.suppressed > 0 {
        parts.push(T::Baselined { n: s.suppressed });
    }
    let parts: Vec<String> = parts.iter().map(T::to_string).collect();
    let line = T::Line {
        parts: parts.join(&T::Separator.to_string()),
        secs: format!("{:.2}", s.elapsed_ms as f64 / 1000.0),
    };
    let checked = crate::messages::structure::CheckedMsg::Summary {
        files: s.files,
        checked: s.fully_checked,
        unchecked: s.not_fully_checked,
    };
    format!("{line}\n{checked}")
}

/// A diagnostic drawn with its excerpt. (Not a `miette::Report`: making one looks up the
/// terminal's colour support for every finding.)
#[derive(Debug)]
struct WithExcerpt<'a> {
    diag: &'a MietteDiagnostic,
    excerpt: &'a Excerpt,
}

impl std::fmt::Display for WithExcerpt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.diag, f)
    }
}

impl std::error::Error for WithExcerpt<'_> {}

impl Diagnostic for WithExcerpt<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.code()
    }

    fn severity(&self) -> Option<MSeverity> {
        self.diag.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.help()
    }

    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag.url()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.diag.labels()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.excerpt)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents = self.text.read_span(span, before, after)?;
        let mut line = contents.line() + self.first_line;
        let mut column = contents.column();
        if before == 0 && after == 0 {
            // The header: the file's line and column, in characters.
            if let Some(&(_, l, c)) = self.positions.iter().find(|p| p.0 == span.offset()) {
                line = l - 1;
                column = c - 1;
            }
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            line,
            column,
            contents.line_count(),
        )))
    }
}

/// A diagnostic that is not a finding — a rule file's or a schema's error, a failed rule
/// example, an import refusal — drawn for stderr as findings are: its hint under the
/// catalogue's label (建议：, `help:` in English) instead of miette's English-only word, and
/// no code line (`gouji::rules` names nothing a reader can act on).
pub fn diagnostic(d: &dyn Diagnostic, color: bool, width: usize) -> String {
    let human = Human::new(color, width);
    let mut out = String::new();
    if human.handler.render_report(&mut out, &Bare(d)).is_err() {
        out = format!("{d}\n");
    }
    if let Some(h) = d.help() {
        human.push_help(&h.to_string(), &mut out);
    }
    out
}

/// A diagnostic without its help and code, which [`diagnostic`] draws itself.
struct Bare<'a>(&'a dyn Diagnostic);

impl std::fmt::Debug for Bare<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for Bare<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for Bare<'_> {}

impl Diagnostic for Bare<'_> {
    fn severity(&self) -> Option<MSeverity> {
        self.0.severity()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        self.0.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}
