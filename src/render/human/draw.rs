//! A finding's drawing made by gouji itself, byte for byte as miette 7.6's
//! `GraphicalReportHandler` draws it (`handlers/graphical.rs`, `source_impls.rs`), for the
//! shapes gouji produces — without miette's rescans of the excerpt for every label (each
//! `read_span` walks the text from its start) and its strings made and dropped per piece.
//!
//! miette stays the reference and the fallback: [`Drawer::draw`] answers `None`, before
//! writing anything, for any shape it does not reproduce exactly — two labels at one
//! offset (miette's `sort_unstable` may order them either way), a label of several lines,
//! a label outside the text, a line end other than `\n`, or a character whose width this
//! module does not know to be the one miette measures (miette counts with unicode-width
//! 0.1, gouji with 0.2; [`width`] accepts only characters on which both agree).
//! `tests` in `human.rs` compare the two drawings on generated findings over real reports.

use std::fmt::Write as _;

use miette::{GraphicalTheme, LabeledSpan};
use unicode_width::UnicodeWidthChar;

use super::Excerpt;

/// A style's escape codes, as owo-colors writes them around styled text (empty when the
/// style is plain).
#[derive(Debug, Clone, Default)]
struct Pen {
    pre: String,
    post: String,
}

impl Pen {
    /// From `style.style('\0').to_string()`: what the style writes around a NUL.
    fn split(styled_nul: String) -> Pen {
        match styled_nul.split_once('\0') {
            Some((pre, post)) => Pen {
                pre: pre.to_string(),
                post: post.to_string(),
            },
            None => Pen::default(),
        }
    }

    fn put(&self, out: &mut String, s: &str) {
        out.push_str(&self.pre);
        out.push_str(s);
        out.push_str(&self.post);
    }

    fn put_char(&self, out: &mut String, c: char) {
        out.push_str(&self.pre);
        out.push(c);
        out.push_str(&self.post);
    }

    fn put_repeat(&self, out: &mut String, c: char, n: usize) {
        out.push_str(&self.pre);
        for _ in 0..n {
            out.push(c);
        }
        out.push_str(&self.post);
    }
}

/// The theme's characters gouji's drawings use.
#[derive(Debug, Clone)]
struct Chars {
    hbar: char,
    vbar: char,
    vbar_break: char,
    uarrow: char,
    rarrow: char,
    ltop: char,
    lbot: char,
    lcross: char,
    underbar: char,
    underline: char,
}

/// miette's tab width (`GraphicalReportHandler::tab_width`, never changed by gouji).
const TAB: usize = 4;

#[derive(Debug, Clone)]
pub(super) struct Drawer {
    chars: Chars,
    /// Error, warning and advice: the code line, the icon and the message's bar.
    severity: [Pen; 3],
    /// `  × `, `  ⚠ `, `  ☞ ` and `  │ ` in each severity's style.
    first_indent: [String; 3],
    rest_indent: [String; 3],
    link: Pen,
    linum: Pen,
    highlights: Vec<Pen>,
    /// The message's wrap width (miette's `termwidth - 2`).
    width: usize,
}

/// Which of miette's severities: error, warning, advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Error = 0,
    Warning = 1,
    Advice = 2,
}

/// A label as miette holds it once sorted (`FancySpan`).
struct Mark<'a> {
    offset: usize,
    len: usize,
    label: Option<&'a str>,
    pen: &'a Pen,
}

/// A line of a snippet (miette's `Line`): `length` counts its `\n`.
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.offset + self.length
    }
    fn only(&self, m: &Mark) -> bool {
        m.offset >= self.offset && m.offset + m.len <= self.end()
    }
    fn applies(&self, m: &Mark) -> bool {
        let len = m.len.max(1);
        (m.offset >= self.offset && m.offset < self.end())
            || (m.offset < self.offset && m.offset + len > self.end())
            || (m.offset + len > self.offset && m.offset + len <= self.end())
    }
    fn applies_gutter(&self, m: &Mark) -> bool {
        let len = m.len.max(1);
        self.applies(m)
            && !((m.offset >= self.offset && m.offset < self.end())
                && (m.offset + len > self.offset && m.offset + len <= self.end()))
    }
    fn flyby(&self, m: &Mark) -> bool {
        m.offset < self.offset && m.offset + m.len > self.end()
    }
    fn starts(&self, m: &Mark) -> bool {
        m.offset >= self.offset
    }
    fn ends(&self, m: &Mark) -> bool {
        m.offset + m.len >= self.offset && m.offset + m.len <= self.end()
    }
}

/// What miette's `read_span(span, 1, 1)` answers on an excerpt: where its bytes end (they
/// start where its first line does), the 0-based line it starts on, and its `line_count` (the newlines read, counted from the text's
/// start — miette compares `line + line_count` with the next span's line to merge).
#[derive(Debug, Clone, Copy)]
struct Read {
    end: usize,
    line: usize,
    line_count: usize,
}

/// The excerpt's line ends.
struct Newlines<'a> {
    text: &'a str,
    at: Vec<usize>,
}

impl Newlines<'_> {
    /// Newlines before `offset`: the 0-based line holding it.
    fn line_of(&self, offset: usize) -> usize {
        self.at.partition_point(|&n| n < offset)
    }

    fn line_start(&self, line: usize) -> usize {
        match line.checked_sub(1) {
            Some(k) => self.at.get(k).map_or(self.text.len(), |&n| n + 1),
            None => 0,
        }
    }

    /// miette's `context_info(text, span, 1, 1)` for a text whose only line end is `\n`:
    /// from the line before the span's to the line after the one holding its end (or to
    /// the text's end).
    fn read(&self, offset: usize, len: usize) -> Read {
        let line = self.line_of(offset).saturating_sub(1);
        // The newlines miette counts after the span: those at or past its end (at or past
        // its offset for an empty span), never the one at offset 0.
        let past = (offset + len).max(1);
        let j = self.at.partition_point(|&n| n < past);
        let (end, line_count) = match self.at.get(j + 1) {
            Some(&n) => (n + 1, j + 2),
            None => (self.text.len(), self.at.len()),
        };
        Read {
            end,
            line,
            line_count,
        }
    }
}

impl Drawer {
    pub(super) fn new(theme: &GraphicalTheme, termwidth: usize) -> Drawer {
        let c = &theme.characters;
        let s = &theme.styles;
        let severity = [
            Pen::split(s.error.style('\0').to_string()),
            Pen::split(s.warning.style('\0').to_string()),
            Pen::split(s.advice.style('\0').to_string()),
        ];
        let icons = [&c.error, &c.warning, &c.advice];
        let first_indent = [0, 1, 2].map(|i| {
            let mut out = String::from("  ");
            severity[i].put(&mut out, icons[i]);
            out.push(' ');
            out
        });
        let rest_indent = [0, 1, 2].map(|i| {
            let mut out = String::from("  ");
            severity[i].put_char(&mut out, c.vbar);
            out.push(' ');
            out
        });
        Drawer {
            chars: Chars {
                hbar: c.hbar,
                vbar: c.vbar,
                vbar_break: c.vbar_break,
                uarrow: c.uarrow,
                rarrow: c.rarrow,
                ltop: c.ltop,
                lbot: c.lbot,
                lcross: c.lcross,
                underbar: c.underbar,
                underline: c.underline,
            },
            first_indent,
            rest_indent,
            severity,
            link: Pen::split(s.link.style('\0').to_string()),
            linum: Pen::split(s.linum.style('\0').to_string()),
            highlights: s
                .highlights
                .iter()
                .map(|h| Pen::split(h.style('\0').to_string()))
                .collect(),
            width: termwidth.saturating_sub(2),
        }
    }

    /// The whole report miette would draw for a diagnostic with this code, severity and
    /// message (no help, no url, no cause) and these labels over `excerpt`; `None`, with
    /// nothing drawn, for a shape left to miette.
    pub(super) fn draw(
        &self,
        code: &str,
        level: Level,
        message: &str,
        excerpt: &Excerpt,
        labels: &[LabeledSpan],
        out: &mut String,
    ) -> Option<()> {
        let text = excerpt.text.as_str();
        if labels.is_empty() || text.is_empty() || self.highlights.is_empty() {
            return None;
        }
        let mut order: Vec<&LabeledSpan> = labels.iter().collect();
        order.sort_by_key(|l| l.offset());
        for (i, l) in order.iter().enumerate() {
            let end = l.offset().checked_add(l.len())?;
            if end > text.len()
                || !text.is_char_boundary(l.offset())
                || l.label().is_some_and(|s| s.contains('\n'))
                || (i > 0 && order[i - 1].offset() == l.offset())
            {
                return None;
            }
        }
        if text.as_bytes().contains(&b'\r') {
            return None;
        }
        let at: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        let nl = Newlines { text, at };
        let marks: Vec<Mark> = order
            .iter()
            .zip(self.highlights.iter().cycle())
            .map(|(l, pen)| Mark {
                offset: l.offset(),
                len: l.len(),
                label: l.label(),
                pen,
            })
            .collect();

        // miette's render_snippets: a context per label, merged with the one before when
        // their lines meet.
        let mut contexts: Vec<(usize, usize, Read)> = Vec::with_capacity(marks.len());
        for m in &marks {
            let right = nl.read(m.offset, m.len);
            if let Some(&(lo, ll, left)) = contexts.last() {
                if left.line + left.line_count >= right.line {
                    let new_end = (lo + ll).max(m.offset + m.len);
                    contexts.pop();
                    contexts.push((lo, new_end - lo, nl.read(lo, new_end - lo)));
                    continue;
                }
            }
            contexts.push((m.offset, m.len, right));
        }
        // Every line shown must be one whose widths are known.
        let mut drawn: Vec<Vec<Line>> = Vec::with_capacity(contexts.len());
        for &(_, _, r) in &contexts {
            let lines = lines(&nl, r, excerpt.first_line);
            if lines
                .iter()
                .any(|l| !l.text.chars().all(|c| width(c).is_some()))
            {
                return None;
            }
            drawn.push(lines);
        }

        // The header and the message, as render_header and render_causes write them.
        let pen = &self.severity[level as usize];
        pen.put(out, code);
        out.push_str("\n\n");
        super::wrap::fill(
            message,
            self.width,
            &self.first_indent[level as usize],
            &self.rest_indent[level as usize],
            out,
        );
        out.push('\n');

        for (&(co, cl, _), lines) in contexts.iter().zip(&drawn) {
            let inside = |m: &&Mark| co <= m.offset && m.offset + m.len <= co + cl;
            let primary = order
                .iter()
                .zip(&marks)
                .filter(|(_, m)| inside(m))
                .find(|(l, _)| l.primary())
                .or_else(|| order.iter().zip(&marks).find(|(_, m)| inside(m)))
                .map(|(_, m)| m.offset)?;
            let (pl, pc) = match excerpt.positions.iter().find(|p| p.0 == primary) {
                Some(&(_, l, c)) => (l, c),
                None => {
                    let line = nl.line_of(primary);
                    (
                        line + excerpt.first_line + 1,
                        primary - nl.line_start(line) + 1,
                    )
                }
            };
            self.context(out, &excerpt.name, (pl, pc), lines, &marks);
        }
        Some(())
    }

    /// miette's render_context.
    fn context(
        &self,
        out: &mut String,
        name: &str,
        (line, column): (usize, usize),
        lines: &[Line],
        marks: &[Mark],
    ) {
        let ch = &self.chars;
        let max_gutter = lines
            .iter()
            .map(|l| {
                marks
                    .iter()
                    .filter(|m| !l.only(m) && l.applies_gutter(m))
                    .count()
            })
            .max()
            .unwrap_or(0);
        let linum_width = digits(lines.last().map_or(0, |l| l.number));
        spaces(out, linum_width + 2);
        out.push(ch.ltop);
        out.push(ch.hbar);
        out.push('[');
        out.push_str(&self.link.pre);
        let _ = write!(out, "{name}:{line}:{column}");
        out.push_str(&self.link.post);
        out.push_str("]\n");

        for l in lines {
            out.push(' ');
            out.push_str(&self.linum.pre);
            let _ = write!(out, "{:>linum_width$}", l.number);
            out.push_str(&self.linum.post);
            out.push(' ');
            out.push(ch.vbar);
            out.push(' ');
            self.line_gutter(out, max_gutter, l, marks);
            line_text(out, l.text);

            let single: Vec<&Mark> = marks.iter().filter(|m| l.applies(m) && l.only(m)).collect();
            if !single.is_empty() {
                self.no_linum(out, linum_width);
                self.highlight_gutter(out, max_gutter, l, marks);
                self.single_line(out, l, linum_width, max_gutter, &single, marks);
            }
            for m in marks.iter().filter(|m| l.applies(m) && !l.only(m)) {
                if let Some(label) = m.label {
                    if l.ends(m) && !l.starts(m) {
                        self.no_linum(out, linum_width);
                        self.highlight_gutter(out, max_gutter, l, marks);
                        m.pen.put_char(out, ch.hbar);
                        out.push(' ');
                        m.pen.put(out, label);
                        out.push('\n');
                    }
                }
            }
        }
        spaces(out, linum_width + 2);
        out.push(ch.lbot);
        for _ in 0..4 {
            out.push(ch.hbar);
        }
        out.push('\n');
    }

    fn no_linum(&self, out: &mut String, linum_width: usize) {
        spaces(out, linum_width + 2);
        out.push(self.chars.vbar_break);
        out.push(' ');
    }

    /// miette's render_line_gutter. Its padding counts the gutter's characters, escape
    /// codes included.
    fn line_gutter(&self, out: &mut String, max_gutter: usize, l: &Line, marks: &[Mark]) {
        if max_gutter == 0 {
            return;
        }
        let ch = &self.chars;
        let mut gutter = String::new();
        let mut arrow = false;
        for (i, m) in marks.iter().filter(|m| l.applies_gutter(m)).enumerate() {
            if l.starts(m) || l.ends(m) {
                let corner = if l.starts(m) {
                    ch.ltop
                } else if m.label.is_some() {
                    ch.lcross
                } else {
                    ch.lbot
                };
                m.pen.put_char(&mut gutter, corner);
                m.pen
                    .put_repeat(&mut gutter, ch.hbar, max_gutter.saturating_sub(i));
                m.pen.put_char(&mut gutter, ch.rarrow);
                arrow = true;
                break;
            } else if l.flyby(m) {
                m.pen.put_char(&mut gutter, ch.vbar);
            } else {
                gutter.push(' ');
            }
        }
        out.push_str(&gutter);
        let pad = if arrow { 1 } else { 3 } + max_gutter.saturating_sub(gutter.chars().count());
        spaces(out, pad);
    }

    /// miette's render_highlight_gutter for a label of one line.
    fn highlight_gutter(&self, out: &mut String, max_gutter: usize, l: &Line, marks: &[Mark]) {
        if max_gutter == 0 {
            return;
        }
        let ch = &self.chars;
        let mut cols = 0;
        for (i, m) in marks.iter().filter(|m| l.applies_gutter(m)).enumerate() {
            if !l.only(m) && l.ends(m) {
                let n = max_gutter.saturating_sub(i) + 2;
                m.pen.put_char(out, ch.lbot);
                m.pen.put_repeat(out, ch.hbar, n);
                cols += n + 1;
                break;
            }
            m.pen.put_char(out, ch.vbar);
            cols += 1;
        }
        spaces(out, (max_gutter + 3).saturating_sub(cols));
    }

    /// miette's render_single_line_highlights and write_label_text.
    fn single_line(
        &self,
        out: &mut String,
        l: &Line,
        linum_width: usize,
        max_gutter: usize,
        single: &[&Mark],
        marks: &[Mark],
    ) {
        let ch = &self.chars;
        let mut highest = 0;
        let mut vbars: Vec<usize> = Vec::with_capacity(single.len());
        for m in single {
            let start = visual_offset(l, m.offset, true).max(highest);
            let end = if m.len == 0 {
                start + 1
            } else {
                visual_offset(l, m.offset + m.len, false).max(start + 1)
            };
            let vbar = (start + end) / 2;
            out.push_str(&m.pen.pre);
            spaces(out, start.saturating_sub(highest));
            for _ in start..vbar {
                out.push(ch.underline);
            }
            out.push(if m.len == 0 {
                ch.uarrow
            } else if m.label.is_some() {
                ch.underbar
            } else {
                ch.underline
            });
            for _ in vbar + 1..end {
                out.push(ch.underline);
            }
            out.push_str(&m.pen.post);
            highest = highest.max(end);
            vbars.push(vbar);
        }
        out.push('\n');
        for (k, m) in single.iter().enumerate().rev() {
            let Some(label) = m.label else { continue };
            self.no_linum(out, linum_width);
            self.highlight_gutter(out, max_gutter, l, marks);
            let mut curr = 1;
            for (j, (o, &vbar)) in single.iter().zip(&vbars).enumerate() {
                while curr < vbar + 1 {
                    out.push(' ');
                    curr += 1;
                }
                if j != k {
                    o.pen.put_char(out, ch.vbar);
                    curr += 1;
                } else {
                    out.push_str(&m.pen.pre);
                    out.push(ch.lbot);
                    out.push(ch.hbar);
                    out.push(ch.hbar);
                    out.push(' ');
                    m.pen.put(out, label);
                    out.push_str(&m.pen.post);
                    out.push('\n');
                    break;
                }
            }
        }
    }
}

/// miette's get_lines on a read: each line's 1-based number in the file.
fn lines<'a>(nl: &Newlines<'a>, r: Read, first_line: usize) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    let mut k = r.line;
    loop {
        let start = nl.line_start(k);
        if start >= r.end || (k > 0 && k > nl.at.len()) {
            break;
        }
        let (length, text_end) = match nl.at.get(k) {
            Some(&n) if n < r.end => (n + 1 - start, n),
            _ => (r.end - start, r.end),
        };
        out.push(Line {
            number: first_line + k + 1,
            offset: start,
            length,
            text: &nl.text[start..text_end],
        });
        k += 1;
    }
    out
}

/// Display width of a character as miette measures it (unicode-width 0.1), for the
/// characters on which unicode-width 0.2 agrees with it; `None` for the others and for
/// control characters other than the tab (which miette expands to the next stop).
fn width(c: char) -> Option<usize> {
    if let Some(w) = super::common_width(c) {
        return Some(w);
    }
    let u = c as u32;
    if !KNOWN.iter().any(|&(a, b)| (a..=b).contains(&u)) {
        return None;
    }
    if c == '\t' {
        return Some(0);
    }
    Some(c.width().unwrap_or(0))
}

/// The characters [`width`] knows (the tab, and ranges where unicode-width 0.1 and 0.2
/// agree; `tests::known_widths_are_miettes` checks each one against miette's drawing).
pub(super) const KNOWN: [(u32, u32); 18] = [
    (0x09, 0x09),
    (0x20, 0x7E),
    (0xA0, 0xAC),
    (0xAE, 0x2FF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x2400, 0x2426),
    (0x2500, 0x257F),
    (0x3000, 0x303E),
    (0x3041, 0x3096),
    (0x30A0, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
];

/// Columns each character takes from the line's start (tabs to the next stop).
fn columns(text: &str) -> impl Iterator<Item = (char, usize)> + '_ {
    let mut column = 0;
    text.chars().map(move |c| {
        let w = if c == '\t' {
            TAB - column % TAB
        } else {
            width(c).unwrap_or(0)
        };
        column += w;
        (c, w)
    })
}

/// miette's visual_offset.
fn visual_offset(l: &Line, offset: usize, start: bool) -> usize {
    let mut i = offset.saturating_sub(l.offset);
    while i <= l.text.len() && !l.text.is_char_boundary(i) {
        if start {
            i -= 1;
        } else {
            i += 1;
        }
    }
    let w: usize = columns(&l.text[..i.min(l.text.len())]).map(|x| x.1).sum();
    if i > l.text.len() {
        w + 1
    } else {
        w
    }
}

fn line_text(out: &mut String, text: &str) {
    if !text.contains('\t') {
        out.push_str(text);
    } else {
        for (c, w) in columns(text) {
            if c == '\t' {
                spaces(out, w);
            } else {
                out.push(c);
            }
        }
    }
    out.push('\n');
}

fn spaces(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}
