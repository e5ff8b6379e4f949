//! A finding's title and message wrapped under its severity icon exactly as textwrap
//! 0.16's `fill` wraps them with the options miette gives it (`break_words`, our `words`
//! separator, textwrap's default hyphen splitter and first-fit algorithm) — without its
//! boxed iterators, its vectors of borrowed lines, and each word's width measured twice.
//! textwrap stays the reference (`tests::fill_is_textwraps` compares the two) and the
//! fallback for a text with escape codes or an empty indent.

use textwrap::core::display_width;
use textwrap::{Options, WordSeparator};
use unicode_width::UnicodeWidthChar;

/// A piece of a line as textwrap wraps it: its text without trailing spaces, their count,
/// and its display width.
struct Piece<'a> {
    word: &'a str,
    space: usize,
    width: usize,
}

/// `textwrap::fill(text, Options::new(width).initial_indent(initial)
/// .subsequent_indent(subsequent).break_words(true).word_separator(Custom(words)))`.
pub(super) fn fill(text: &str, width: usize, initial: &str, subsequent: &str, out: &mut String) {
    if initial.is_empty() || subsequent.is_empty() || text.contains('\x1b') {
        let opts = Options::new(width)
            .initial_indent(initial)
            .subsequent_indent(subsequent)
            .break_words(true)
            .word_separator(WordSeparator::Custom(super::words));
        out.push_str(&textwrap::fill(text, opts));
        return;
    }
    let widths = [
        width.saturating_sub(display_width(initial)),
        width.saturating_sub(display_width(subsequent)),
    ];
    let mut drawn = 0usize;
    let mut pieces: Vec<Piece> = Vec::new();
    for line in text.split('\n') {
        // The empty word textwrap puts first when there is an initial indent.
        pieces.clear();
        pieces.push(Piece {
            word: "",
            space: 0,
            width: 0,
        });
        for p in super::pieces(line) {
            let word = p.trim_end_matches(' ');
            let space = p.len() - word.len();
            // textwrap's HyphenSplitter: after a '-' between alphanumeric characters.
            let mut prev = 0;
            for (i, _) in word.match_indices('-') {
                let before = word[..i].chars().next_back();
                let after = word[i + 1..].chars().next();
                if before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric)
                {
                    push_broken(&mut pieces, &word[prev..i + 1], 0, widths[1]);
                    prev = i + 1;
                }
            }
            if prev < word.len() || prev == 0 {
                push_broken(&mut pieces, &word[prev..], space, widths[1]);
            }
        }
        // First fit: a piece goes to the next line when it does not fit on this one.
        let mut at = 0;
        let mut start = 0;
        let mut used = 0;
        let mut local = 0;
        for i in 0..=pieces.len() {
            let next = pieces.get(i);
            if let Some(p) = next {
                let room = widths[local.min(1)];
                if !(used + p.width > room && i > start) {
                    used += p.width + p.space;
                    continue;
                }
            }
            let words = &pieces[start..i];
            let len: usize = words.iter().map(|w| w.word.len() + w.space).sum();
            let last_space = words.last().map_or(0, |w| w.space);
            if drawn > 0 {
                out.push('\n');
            }
            out.push_str(if drawn == 0 { initial } else { subsequent });
            out.push_str(&line[at..at + len - last_space]);
            at += len;
            drawn += 1;
            local += 1;
            start = i;
            used = 0;
            if let Some(p) = next {
                used += p.width + p.space;
            }
        }
    }
}

/// A piece, broken into pieces no wider than `room` when it is wider (textwrap's
/// `break_words`): the spaces after it go with its last part.
fn push_broken<'a>(pieces: &mut Vec<Piece<'a>>, word: &'a str, space: usize, room: usize) {
    let width = width(word);
    if width <= room {
        pieces.push(Piece { word, space, width });
        return;
    }
    let mut offset = 0;
    let mut w = 0;
    for (i, c) in word.char_indices() {
        let cw = ch_width(c);
        if w > 0 && w + cw > room {
            pieces.push(Piece {
                word: &word[offset..i],
                space: 0,
                width: w,
            });
            offset = i;
            w = cw;
        } else {
            w += cw;
        }
    }
    if offset < word.len() {
        pieces.push(Piece {
            word: &word[offset..],
            space,
            width: w,
        });
    }
}

/// textwrap's display width of a text without escape codes.
fn width(s: &str) -> usize {
    if s.is_ascii() && s.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        return s.len();
    }
    s.chars().map(ch_width).sum()
}

fn ch_width(c: char) -> usize {
    super::common_width(c).unwrap_or_else(|| c.width().unwrap_or(0))
}
