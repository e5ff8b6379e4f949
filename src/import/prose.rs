//! The prose of sections 一, 五 and 六.

use super::template::Section;
use super::tokens::{headings, is_page_furniture, Block};

/// The prose of sections 一, 五 and 六, one source line per line, blank lines
/// between paragraphs kept (runs of them collapsed).
pub fn prose(blocks: &[Block]) -> [Option<String>; 3] {
    let mut out: [Vec<String>; 3] = Default::default();
    let mut cur: Option<usize> = None;
    for b in blocks {
        let Block::Line { text, .. } = b else {
            continue;
        };
        if is_page_furniture(text) {
            continue;
        }
        let mut last = 0;
        let mut line = String::new();
        for (r, sec) in headings(text) {
            if let Some(i) = cur {
                line.push_str(&text[last..r.start]);
                if !line.trim().is_empty() {
                    out[i].push(line.trim().to_string());
                }
            }
            line.clear();
            cur = match sec {
                Section::Overview => Some(0),
                Section::Problems => Some(1),
                Section::Other => Some(2),
                _ => None,
            };
            last = r.end;
        }
        if let Some(i) = cur {
            line.push_str(&text[last..]);
            out[i].push(line.trim().to_string());
        }
    }
    out.map(|lines| {
        let mut text = String::new();
        let mut blank = false;
        for l in lines {
            let l: String = l
                .chars()
                .filter(|c| !c.is_control() && *c != '\u{FEFF}')
                .collect();
            if l.is_empty() {
                blank = !text.is_empty();
                continue;
            }
            if blank {
                text.push('\n');
                blank = false;
            }
            text.push_str(&l);
            text.push('\n');
        }
        (!text.is_empty()).then_some(text)
    })
}
