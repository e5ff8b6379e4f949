//! gouji's drawer against miette's, byte for byte: on generated findings over real
//! reports, whenever the drawer takes the shape; and the shapes it leaves to miette.

use std::cell::Cell;
use std::ops::Range;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::draw::{Level, KNOWN};
use super::{clean, columns, floor, needs_escape, Human, Lines, Via};
use crate::source::Source;

/// A finding's labels: (span in the file, label text, primary).
type Labels = Vec<(Range<usize>, Option<String>, bool)>;

const REPORTS: [(&str, &str); 3] = [
    (
        "examples/chaoyang-2020.yaml",
        include_str!("../../../examples/chaoyang-2020.yaml"),
    ),
    (
        "examples/balanced-2021.yaml",
        include_str!("../../../examples/balanced-2021.yaml"),
    ),
    // Tabs, CRLF and lone CR line ends, a control character, fullwidth and ASCII mixed,
    // a line far wider than any terminal.
    (
        "混合\t报告.yaml",
        "单位: 某某局\r\n年度:\t2020\r\n说明: \u{1}控制\t字符\rＡＢＣ全角 abc 半角\n表三:\n  新收: {自然人: 12, 商业企业: 3, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 15, 备注: 这一行很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长}\n  上年结转: {自然人: 1, 总计: 1}\n\n\n  办理结果:\n\t予以公开: {自然人: 7}\n",
    ),
];

const MESSAGES: [&str; 3] = [
    "表三各行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他\n「三、本年度办理结果 / （三）不予公开 / 2.其他法律行政法规禁止公开」：各类申请人之和为 171 + 11 = 182，但总计为 183",
    "正文称未收到申请，但表三有申请\n正文写“受理向区政务服务管理局提出的政府信息公开申请0件”，但表三本年新收总计为 271",
    "short title\na message in English that is long enough to wrap at forty columns or so",
];

/// A label's span: from a character boundary near `at`, `kind` decides how far.
fn span(text: &str, at: usize, kind: u8, n: usize) -> Range<usize> {
    let start = floor(text, at % (text.len() + 1));
    let forward = |k: usize| {
        text[start..]
            .char_indices()
            .nth(k)
            .map_or(text.len(), |(i, _)| start + i)
    };
    let end = match kind % 4 {
        0 => start,
        1 => forward(1 + n % 12),
        // Across 1 to 3 line ends.
        2 => {
            let mut end = start;
            for _ in 0..=(n % 3) {
                end = text[end..]
                    .find('\n')
                    .map_or(text.len(), |i| (end + i + 1).min(text.len()));
            }
            floor(text, end.saturating_sub(n % 5))
        }
        _ => forward(30 + n % 50),
    };
    start..end.max(start)
}

fn label(kind: u8, n: usize) -> Option<String> {
    match kind % 6 {
        0 => None,
        1 => Some(String::new()),
        2 => Some(format!("总计 {n}")),
        3 => Some(format!("新收·自然人 {}", n % 1000)),
        4 => Some("这句".to_string()),
        _ => Some(format!("a wider label, {n} in ASCII")),
    }
}

/// One drawing of a finding with these labels, by `via`.
fn draw(
    human: &Human,
    source: &Source,
    labels: &Labels,
    level: Level,
    message: &str,
    via: Via,
) -> (Result<bool, std::fmt::Error>, String) {
    let mut out = String::new();
    let drawn = human.drawing(
        source,
        &Lines::new(&source.text),
        labels.clone(),
        "table3/row-total",
        level,
        message.to_string(),
        via,
        &mut out,
    );
    (drawn, out)
}

/// gouji's drawing (whether it took the shape, and what it drew) and miette's.
fn both(
    human: &Human,
    source: &Source,
    labels: &Labels,
    level: Level,
    message: &str,
) -> (Result<bool, std::fmt::Error>, String, String) {
    let (reference, theirs) = draw(human, source, labels, level, message, Via::Miette);
    assert_eq!(reference, Ok(false), "miette draws every generated finding");
    let (own, ours) = draw(human, source, labels, level, message, Via::Own);
    (own, ours, theirs)
}

#[test]
fn own_drawing_is_miettes_byte_for_byte() {
    let taken = Cell::new(0usize);
    let cases = Cell::new(0usize);
    let mut runner = TestRunner::new(Config {
        cases: 768,
        failure_persistence: None,
        ..Config::default()
    });
    let finding = (
        0..REPORTS.len(),
        40usize..=200,
        any::<bool>(),
        0..3u8,
        0..MESSAGES.len(),
        prop::collection::vec(
            (
                any::<usize>(),
                any::<u8>(),
                any::<usize>(),
                any::<u8>(),
                any::<bool>(),
            ),
            1..7,
        ),
    );
    runner
        .run(&finding, |(report, width, color, level, message, marks)| {
            let (name, text) = REPORTS[report];
            let source = Source::new(name, text);
            let labels: Labels = marks
                .iter()
                .map(|&(at, kind, n, l, primary)| (span(text, at, kind, n), label(l, n), primary))
                .collect();
            let level = [Level::Error, Level::Warning, Level::Advice][level as usize];
            let human = Human::new(color, width);
            let (own, ours, theirs) = both(&human, &source, &labels, level, MESSAGES[message]);
            cases.set(cases.get() + 1);
            if own == Ok(true) {
                taken.set(taken.get() + 1);
                prop_assert_eq!(ours, theirs);
            } else {
                prop_assert_eq!(own, Ok(false));
                prop_assert!(ours.is_empty(), "a shape left to miette draws nothing");
            }
            Ok(())
        })
        .unwrap();
    // Labels at one offset are the only shape generated here that goes to miette.
    assert!(
        taken.get() * 10 >= cases.get() * 8,
        "the drawer took {} of {} findings",
        taken.get(),
        cases.get()
    );
}

#[test]
fn failing_report_findings_are_drawn_by_gouji() {
    // A table row with three cells, a sentence of prose, and a split row: the shapes of
    // benches/failing.py's reports.
    let text = REPORTS[0].1;
    let at = |needle: &str| {
        let i = text.find(needle).unwrap_or(0);
        i..i + needle.len()
    };
    let source = Source::new(REPORTS[0].0, text);
    // The n-th occurrence of `needle` after `from`.
    let after = |from: &str, needle: &str| {
        let base = text.find(from).unwrap_or(0);
        let i = base + text[base..].find(needle).unwrap_or(0);
        i..i + needle.len()
    };
    let cells: Labels = vec![
        (
            after("不掌握", "171"),
            Some("不掌握·自然人 171".into()),
            false,
        ),
        (
            after("不掌握", "11,"),
            Some("不掌握·商业企业 11".into()),
            false,
        ),
        (after("不掌握", "183"), Some("不掌握·总计 183".into()), true),
    ];
    let sentence: Labels = vec![(at("行政诉讼"), Some("这句".into()), true)];
    // Two sub-rows where the template has one row: a span over two lines, unlabelled.
    let rows = after("行政检查", "行政检查");
    let split: Labels = vec![(rows.start..after("行政确认", "}").end, None, true)];
    for labels in [cells, sentence, split] {
        for color in [false, true] {
            let human = Human::new(color, 100);
            let (own, ours, theirs) = both(&human, &source, &labels, Level::Error, MESSAGES[0]);
            assert_eq!(own, Ok(true));
            assert_eq!(ours, theirs);
        }
    }
}

#[test]
fn shapes_left_to_miette_are_drawn_by_miette() {
    let text = REPORTS[0].1;
    let source = Source::new(REPORTS[0].0, text);
    let row = text.find("总计").unwrap_or(0);
    let emoji = Source::new("emoji.yaml", "a: 1\nb: {x: 😀 2, y: 3}\nc: 4\n");
    let cases: [(&Source, Labels); 3] = [
        // Two labels at one offset: miette's unstable sort may order them either way.
        (
            &source,
            vec![
                (row..row + 6, Some("一".into()), false),
                (row..row + 3, Some("二".into()), true),
            ],
        ),
        // A label of two lines.
        (&source, vec![(row..row + 6, Some("上\n下".into()), true)]),
        // A character whose width gouji does not know to be miette's.
        (&emoji, vec![(19..20, Some("y 3".into()), true)]),
    ];
    for (source, labels) in cases {
        for color in [false, true] {
            let human = Human::new(color, 80);
            let (own, ours, theirs) = both(&human, source, &labels, Level::Warning, MESSAGES[1]);
            assert_eq!(own, Ok(false), "{labels:?}");
            assert!(ours.is_empty());
            // The renderer's own choice falls to miette and draws what miette draws.
            let (drawn, either) = draw(
                &human,
                source,
                &labels,
                Level::Warning,
                MESSAGES[1],
                Via::Either,
            );
            assert_eq!(drawn, Ok(false));
            assert_eq!(either, theirs);
            assert!(theirs.contains("╭─["), "{theirs}");
        }
    }
}

#[test]
fn known_widths_are_miettes() {
    // Each character the drawer measures, before a label: the label's underline starts
    // where miette's does only if both count the character alike.
    let human = Human::new(false, 200);
    let mut checked = 0;
    for &(a, b) in &KNOWN {
        for u in a..=b {
            let Some(c) = char::from_u32(u) else { continue };
            let text = format!("k: {c}{c}x\n");
            let at = text.len() - 2;
            let source = Source::new("w.yaml", text);
            let labels: Labels = vec![(at..at + 1, Some("x".into()), true)];
            let (own, ours, theirs) = both(&human, &source, &labels, Level::Error, "t\nm");
            assert_eq!(own, Ok(true), "U+{u:04X}");
            assert_eq!(ours, theirs, "U+{u:04X}");
            checked += 1;
        }
    }
    assert!(checked > 29_000);
}

#[test]
fn fill_is_textwraps() {
    const ATOMS: [&str; 30] = [
        "a",
        "bc",
        "word",
        "-",
        "x-y",
        "2019-2020",
        "--",
        " ",
        "  ",
        "，",
        "。",
        "：",
        "、",
        "）",
        "（",
        "+",
        "=",
        " + ",
        " = ",
        "1",
        "2.5",
        "%",
        "总计",
        "表三各行",
        "ＡＢ",
        "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
        "\n",
        "😀",
        "supercalifragilisticexpialidocious",
        "·",
    ];
    const INDENTS: [&str; 7] = [
        "  × ",
        "  │ ",
        "  \x1b[31m⚠\x1b[0m ",
        "",
        "    ",
        "> ",
        "      - ",
    ];
    let mut runner = TestRunner::new(Config {
        cases: 2000,
        failure_persistence: None,
        ..Config::default()
    });
    let case = (
        prop::collection::vec(prop::sample::select(&ATOMS[..]), 0..80),
        1usize..200,
        0..INDENTS.len(),
        0..INDENTS.len(),
    );
    runner
        .run(&case, |(atoms, width, first, rest)| {
            let text = atoms.concat();
            let (first, rest) = (INDENTS[first], INDENTS[rest]);
            let opts = textwrap::Options::new(width)
                .initial_indent(first)
                .subsequent_indent(rest)
                .break_words(true)
                .word_separator(textwrap::WordSeparator::Custom(super::words));
            let mut ours = String::new();
            super::wrap::fill(&text, width, first, rest, &mut ours);
            prop_assert_eq!(ours, textwrap::fill(&text, opts), "{:?} at {}", text, width);
            Ok(())
        })
        .unwrap();
}

#[test]
fn clean_is_needs_escape_read_from_bytes() {
    for u in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(u) else { continue };
        for s in [c.to_string(), format!("a{c}b"), format!("{c}\u{200B}")] {
            assert_eq!(
                clean(&s),
                !s.chars().any(needs_escape),
                "U+{u:04X} in {s:?}"
            );
        }
    }
}

#[test]
fn columns_is_unicode_width_or_one() {
    use unicode_width::UnicodeWidthChar;
    for u in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(u) else { continue };
        assert_eq!(columns(c), c.width().unwrap_or(1), "U+{u:04X}");
    }
}
