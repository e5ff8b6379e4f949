//! Changing any one cell of table 三 or 四 of a balanced report is caught, and when the change
//! breaks two or more relations, the repair hint names that cell and its original value.

use gouji::engine::Engine;
use gouji::finding::Severity;
use gouji::source::Source;

/// Every number cell of tables 三 and 四 of a YAML text: (byte range, value).
fn table_cells(text: &str) -> Vec<(std::ops::Range<usize>, i64)> {
    let start = text.find("\n申请:").unwrap();
    let end = text.find("\n正文:").unwrap_or(text.len());
    let mut cells = Vec::new();
    let mut i = start;
    while let Some(off) = text[i..end].find(": ") {
        let s = i + off + 2;
        let len = text[s..end]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(0);
        if len > 0 && text[..s].ends_with(": ") {
            cells.push((s..s + len, text[s..s + len].parse().unwrap()));
        }
        i = s;
    }
    cells
}

#[test]
fn every_single_cell_change_is_caught_and_repaired() {
    let engine = Engine::builtin().unwrap_or_else(|_| panic!("built-in rules"));
    let mut with_fix = 0;
    for path in [
        "rules/formats/2019.sample.yaml",
        "rules/formats/2021.sample.yaml",
        "examples/balanced-2021.yaml",
    ] {
        let text = std::fs::read_to_string(path).unwrap();
        let cells = table_cells(&text);
        assert!(cells.len() > 150, "{path}: {} cells", cells.len());
        for (range, value) in cells {
            let changed = format!(
                "{}{}{}",
                &text[..range.start],
                value + 1,
                &text[range.end..]
            );
            let source = Source::new(path, changed);
            let findings = engine.check(&source, None);
            let errors: Vec<_> = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .collect();
            assert!(
                !errors.is_empty(),
                "{path}: {} → {} at byte {} is not caught",
                value,
                value + 1,
                range.start
            );
            if errors.len() >= 2 {
                // The hint, where there is one, must undo exactly this change.
                for f in errors.iter().filter_map(|f| f.fix.as_ref()) {
                    assert_eq!(
                        f.span.start, range.start,
                        "{path}: fix points elsewhere: {f:?}"
                    );
                    assert_eq!(f.to, value.to_string());
                }
                let fixed = errors.iter().filter(|f| f.fix.is_some()).count();
                assert_eq!(
                    fixed,
                    errors.len(),
                    "{path}: cell at byte {} breaks {} relations, but not all carry the repair",
                    range.start,
                    errors.len()
                );
                with_fix += 1;
            }
        }
    }
    assert!(with_fix > 300, "only {with_fix} changes got a repair hint");
}
