//! Tests of `gouji import` through its library API: every corpus file, every
//! text layout and encoding, HTML spans, DOCX merges, each problem kind, the
//! file handling of `run`, and no panics on mangled input.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gouji::import::{ImportError, ImportOptions, Imported, Severity};

/// Problems are asserted in English: every import of these tests is made with `--lang en`'s
/// setting (the Chinese default is checked through the CLI, in a child process).
fn import_bytes(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    gouji::messages::set_lang(gouji::messages::Lang::En);
    gouji::import::import_bytes(name, bytes)
}

fn run(opts: &ImportOptions) -> Result<gouji::import::ImportSummary, ImportError> {
    gouji::messages::set_lang(gouji::messages::Lang::En);
    gouji::import::run(opts)
}
use gouji::yaml::{parse, Limits};

#[path = "common/yaml_cells.rs"]
mod yaml_cells;
use yaml_cells::{docx_bytes, flatten};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn import_fixture(name: &str) -> Imported {
    let bytes = std::fs::read(fixture(name)).expect("fixture");
    import_bytes(name, &bytes).expect("import")
}

/// Every scalar of a YAML document by dotted path; panics if it does not parse
/// (the parser also rejects duplicate keys).
fn cells(yaml: &str) -> BTreeMap<String, String> {
    let tree = parse(yaml, Limits::default())
        .unwrap_or_else(|e| panic!("output does not parse: {e:?}\n{yaml}"));
    let mut out = BTreeMap::new();
    flatten(&tree, tree.root, "", &mut out);
    out
}

/// Only the table cells (sections 二, 三, 四).
/// The numbers of tables 二, 三 and 四 (printed headers under `表头` are text, not cells).
fn table_cells(yaml: &str) -> BTreeMap<String, String> {
    cells(yaml)
        .into_iter()
        .filter(|(k, _)| {
            k.starts_with("主动公开.") || k.starts_with("申请.") || k.starts_with("复议诉讼.")
        })
        .filter(|(k, _)| !k.contains(".表头."))
        .collect()
}

/// The template's column keys of a table, from the built-in schema (the same for both
/// formats), not from the importer's own copy of the template.
fn columns(table: &str) -> Vec<String> {
    let registry = gouji::schema::Registry::builtin();
    let schema = registry.by_name("2021").expect("built-in format");
    let node = schema
        .child(gouji::schema::ROOT, table)
        .expect("table in the schema");
    let gouji::schema::SKind::Table { columns } = &schema.node(node).kind else {
        panic!("{table} is not a table")
    };
    columns
        .iter()
        .filter(|&&c| !schema.node(c).optional)
        .map(|&c| schema.node(c).key.clone())
        .collect()
}

/// Assert one row: `row` is a dotted path under 申请 / 复议诉讼 / 主动公开, `vals`
/// the cells in column order ("" for blank). Returns the number of cells checked.
fn assert_row(
    c: &BTreeMap<String, String>,
    row: &str,
    columns: &[impl AsRef<str>],
    vals: &str,
) -> usize {
    let vals: Vec<&str> = vals.split(' ').collect();
    assert_eq!(vals.len(), columns.len(), "{row}: test data");
    for (col, v) in columns.iter().zip(&vals) {
        let key = format!("{row}.{}", col.as_ref());
        let want = if *v == "_" { "" } else { v };
        assert_eq!(c.get(&key).map(String::as_str), Some(want), "{key}");
    }
    vals.len()
}

fn req(c: &BTreeMap<String, String>, row: &str, vals: &str) -> usize {
    assert_row(c, &format!("申请.{row}"), &columns("申请"), vals)
}

fn appeals(c: &BTreeMap<String, String>, vals: &str) -> usize {
    let v: Vec<&str> = vals.split(' ').collect();
    assert_eq!(v.len(), 15);
    assert_row(
        c,
        "复议诉讼.行政复议",
        &columns("复议诉讼"),
        &v[0..5].join(" "),
    ) + assert_row(
        c,
        "复议诉讼.未经复议直接起诉",
        &columns("复议诉讼"),
        &v[5..10].join(" "),
    ) + assert_row(
        c,
        "复议诉讼.复议后起诉",
        &columns("复议诉讼"),
        &v[10..15].join(" "),
    )
}

/// Where a printed header of 采购总金额 is recorded (`rules/formats/2019.yaml`: `headers: 表头`).
const HEADER_KEY: &str = "主动公开.第九项.表头.采购总金额";

fn has_problem(imp: &Imported, needle: &str) -> bool {
    imp.problems.iter().any(|p| p.message.contains(needle))
}

// ---------------------------------------------------------------- the seed

#[test]
fn seed_yields_exactly_the_201_numbers_of_the_hand_typed_example() {
    let imp = import_fixture("seed-chaoyang-2020.txt");
    let got = table_cells(&imp.yaml);
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chaoyang-2020.yaml"),
    )
    .unwrap();
    let want = table_cells(&example);
    assert_eq!(want.len(), 201, "the example holds 201 table numbers");
    assert_eq!(got, want);
    let all = cells(&imp.yaml);
    assert_eq!(all["机关"], "北京市朝阳区政务服务管理局");
    assert_eq!(all["年度"], "2020");
    assert_eq!(all["格式"], "2019");
    assert_eq!(all["来源.文件"], "seed-chaoyang-2020.txt");
    assert_eq!(all["来源.sha256"].len(), 64);
    assert!(imp.complete(), "{:?}", imp.problems);
    assert!(!all.contains_key("不完整"));
    let ex = cells(&example);
    // the column header as printed, where it differs from the template's
    assert_eq!(
        all.get(HEADER_KEY),
        ex.get(HEADER_KEY),
        "{HEADER_KEY}: imported vs example"
    );
    assert_eq!(ex[HEADER_KEY], "采购总金额（万元，保留四位小数）");
    let headers: Vec<&String> = all.keys().filter(|k| k.contains(".表头.")).collect();
    assert_eq!(headers, [HEADER_KEY], "only the header that differs");
    // the prose of 一, 五, 六, paragraphs kept
    for k in ["正文.总体情况", "正文.问题改进", "正文.其他事项"] {
        assert_eq!(all[k], ex[k], "{k}");
    }
}

#[test]
fn seed_in_gbk_and_gb18030_and_with_bom() {
    let text = std::fs::read_to_string(fixture("seed-chaoyang-2020.txt")).unwrap();
    let want = table_cells(&import_fixture("seed-chaoyang-2020.txt").yaml);
    let (gbk, _, bad) = encoding_rs::GBK.encode(&text);
    assert!(!bad);
    let (gb18030, _, _) = encoding_rs::GB18030.encode(&text);
    let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (name, bytes) in [
        ("gbk.txt", gbk.to_vec()),
        ("gb18030.txt", gb18030.to_vec()),
        ("bom.txt", bom),
    ] {
        let imp = import_bytes(name, &bytes).unwrap();
        assert_eq!(table_cells(&imp.yaml), want, "{name}");
        assert_eq!(
            cells(&imp.yaml)[HEADER_KEY],
            "采购总金额（万元，保留四位小数）",
            "{name}"
        );
        assert_eq!(
            cells(&imp.yaml)["机关"],
            "北京市朝阳区政务服务管理局",
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- the corpus

/// Pingtan pages: labels followed by their digits run together. Each row is
/// split by the template's column count and the row's 总计; rows that split
/// more than one way are reported, not guessed.
#[test]
fn pingtan_2019_run_together_digits() {
    let imp = import_fixture("pingtan_2019_page-txt-tables.txt");
    let c = cells(&imp.yaml);
    let mut n = 0;
    n += req(&c, "新收", "23 0 0 0 0 0 23"); // "230 000023"
    n += req(&c, "办理结果.予以公开", "7 0 0 0 0 0 7");
    n += req(&c, "办理结果.无法提供.不掌握", "7 0 0 0 0 0 7"); // "70000072.没有…": the 2 is the next label's number
    n += req(&c, "办理结果.无法提供.补正后不明确", "5 0 0 0 0 0 5");
    n += req(&c, "办理结果.不予处理.重复申请", "3 0 0 0 0 0 3");
    n += req(&c, "办理结果.其他处理", "0 0 0 0 0 0 0");
    n += req(&c, "办理结果.总计", "23 0 0 0 0 0 23"); // "23 0 00 0 023"
    n += req(&c, "结转", "0 0 0 0 0 0 0"); // "0 0 00 00 0"
    n += appeals(&c, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0");
    assert_eq!(n, 71);
    assert_eq!(c["格式"], "2019");
    // section 二 has no sums: "898989" could be 8 9 8989 or 89 89 89
    assert!(has_problem(
        &imp,
        "主动公开.第一项.规范性文件: digits run together split more than one way"
    ));
    assert!(!c.contains_key("主动公开.第一项.规范性文件.本年新制作"));
    assert_eq!(c["不完整"], "true");
}

#[test]
fn pingtan_2020_to_2025() {
    // (file, rows of 三 to check, the 15 cells of 四)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case; 6] = [
        (
            "pingtan_2020_page-txt-tables.txt",
            &[
                ("新收", "20 0 0 0 0 1 21"),
                ("办理结果.予以公开", "6 0 0 0 0 1 7"),
                ("办理结果.其他处理", "4 0 0 0 0 0 4"),
                ("办理结果.总计", "20 0 0 0 0 1 21"),
            ],
            "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        ),
        (
            "pingtan_2021_page-txt-tables.txt",
            &[
                ("新收", "64 0 0 2 0 4 70"),
                ("办理结果.总计", "63 0 0 2 0 4 69"),
                ("结转", "1 0 0 0 0 0 1"),
                ("办理结果.其他处理.其他", "1 0 0 0 0 0 1"),
            ],
            "1 0 2 0 3 12 0 0 0 12 0 0 0 0 0",
        ),
        (
            "pingtan_2022_page-txt-tables.txt",
            &[
                ("新收", "71 3 0 0 0 0 74"),
                ("办理结果.部分公开", "8 1 0 0 0 0 9"),
                ("办理结果.其他处理.其他", "0 2 0 0 0 0 2"),
                ("办理结果.总计", "72 3 0 0 0 0 75"),
            ],
            "0 1 1 0 2 1 0 0 0 1 0 0 0 0 0",
        ),
        (
            "pingtan_2023_page-txt-tables.txt",
            &[
                ("新收", "80 1 0 0 0 0 81"),
                ("办理结果.不予公开.查询事项", "2 0 0 0 0 0 2"),
                ("办理结果.无法提供.不掌握", "31 0 0 0 0 0 31"),
                ("办理结果.总计", "80 1 0 0 0 0 81"),
            ],
            "1 1 0 0 2 4 0 0 1 5 1 0 1 0 2",
        ),
        (
            "pingtan_2024_page-txt-tables.txt",
            &[
                ("新收", "217 1 0 0 0 0 218"),
                ("办理结果.不予公开.内部事务", "32 0 0 0 0 0 32"),
                ("办理结果.其他处理.其他", "1 1 0 0 0 0 2"),
                ("办理结果.总计", "217 1 0 0 0 0 218"),
            ],
            "2 1 3 1 7 0 0 0 0 0 13 2 4 0 19",
        ),
        (
            "pingtan_2025_page-txt-tables.txt",
            &[
                ("新收", "151 3 0 0 0 0 154"),
                ("办理结果.部分公开", "38 0 0 0 0 0 38"),
                ("办理结果.无法提供.不掌握", "49 1 0 0 0 0 50"),
                ("办理结果.总计", "147 1 0 0 0 0 148"),
                ("结转", "4 2 0 0 0 0 6"),
            ],
            "25 3 8 0 36 3 3 0 0 6 3 0 0 0 3",
        ),
    ];
    // 2025 予以公开 "330000033" is 33 0 0 0 0 0 33 or 3 30 0 0 0 0 33 by its row sum; the
    // column sums (办理结果.总计 = the sum of the result rows) leave only the first
    let imp = import_fixture("pingtan_2025_page-txt-tables.txt");
    let settled = |imp: &Imported, row: &str| {
        imp.problems.iter().any(|p| {
            p.severity == Severity::Info
                && p.line == Some(1)
                && p.message
                    .starts_with(&format!("{row}: digits run together, read as"))
                && p.message.contains("column sums 办理结果.总计 = Σ 办理结果")
        })
    };
    assert!(
        settled(&imp, "申请.办理结果.予以公开"),
        "{:?}",
        imp.problems
    );
    req(&cells(&imp.yaml), "办理结果.予以公开", "33 0 0 0 0 0 33");
    // two ambiguous rows of one relation settled together (2021: 予以公开 and 不掌握;
    // 2023: 予以公开 and 部分公开)
    let imp = import_fixture("pingtan_2021_page-txt-tables.txt");
    assert!(
        settled(&imp, "申请.办理结果.予以公开") && settled(&imp, "申请.办理结果.无法提供.不掌握")
    );
    let c = cells(&imp.yaml);
    req(&c, "办理结果.予以公开", "27 0 0 2 0 1 30");
    req(&c, "办理结果.无法提供.不掌握", "22 0 0 0 0 3 25");
    let imp = import_fixture("pingtan_2023_page-txt-tables.txt");
    let c = cells(&imp.yaml);
    req(&c, "办理结果.予以公开", "22 0 0 0 0 0 22");
    req(&c, "办理结果.部分公开", "19 1 0 0 0 0 20");
    // section 二 has no sums: its ambiguous rows stay out, as errors at their place
    assert!(imp
        .problems
        .iter()
        .any(|p| p.line == Some(1) && p.column.is_some() && p.severity == Severity::Error));
    for (file, rows, four) in cases {
        let imp = import_fixture(file);
        let c = cells(&imp.yaml);
        assert_eq!(
            c["格式"],
            if file.contains("2020") {
                "2019"
            } else {
                "2021"
            },
            "{file}"
        );
        for (row, vals) in rows {
            req(&c, row, vals);
        }
        appeals(&c, four);
    }
}

/// `IMPORT_DUMP=path cargo test --test import dump -- --ignored --nocapture`
#[test]
#[ignore]
fn dump() {
    let Ok(p) = std::env::var("IMPORT_DUMP") else {
        return;
    };
    let bytes = std::fs::read(&p).unwrap();
    let name = Path::new(&p)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let imp = import_bytes(&name, &bytes).unwrap();
    println!("{}", imp.yaml);
    for pr in &imp.problems {
        println!("{:?} {}", pr.severity, pr);
    }
}

#[test]
fn markdown_tables_from_ocr_shuyang() {
    let imp = import_fixture("kiro_shuyang-county_2025_ocr-md-tables.txt");
    let c = cells(&imp.yaml);
    let mut n = 0;
    n += assert_row(
        &c,
        "主动公开.第一项.行政规范性文件",
        &["本年制发", "本年废止", "现行有效"],
        "6 1 32",
    );
    n += assert_row(&c, "主动公开.第五项.行政许可", &["处理决定数"], "517645");
    n += assert_row(
        &c,
        "主动公开.第八项.行政事业性收费",
        &["收费金额"],
        "4068.208",
    );
    n += req(&c, "新收", "705 3 0 0 5 0 713");
    n += req(&c, "办理结果.部分公开", "99 0 0 0 2 0 101");
    n += req(&c, "办理结果.不予处理.重复申请", "6 1 0 0 0 0 7");
    // these four rows sit under a wrong header row in the source
    n += req(&c, "办理结果.其他处理.逾期未缴费", "7 0 0 0 0 0 7");
    n += req(&c, "办理结果.其他处理.其他", "142 1 0 0 0 0 143");
    n += req(&c, "办理结果.总计", "710 3 0 0 5 0 718");
    n += req(&c, "结转", "31 0 0 0 0 0 31");
    n += appeals(&c, "27 10 9 15 61 3 0 0 0 3 8 0 1 1 10");
    assert_eq!(n, 69);
    // every row of 三 is there: 25 rows × 7
    assert_eq!(c.keys().filter(|k| k.starts_with("申请.")).count(), 25 * 7);
}

#[test]
fn markdown_from_pdf_with_lost_labels_stcsm() {
    let imp = import_fixture("kiro_shanghai-stcsm_2024_pdf-md-tables.txt");
    let c = cells(&imp.yaml);
    req(&c, "新收", "32 2 0 0 0 0 34");
    req(&c, "上年结转", "2 0 0 0 0 0 2");
    req(&c, "办理结果.不予公开.过程性信息", "1 0 0 0 0 0 1");
    req(&c, "办理结果.其他处理.其他", "4 0 0 0 0 0 4");
    req(&c, "办理结果.总计", "33 2 0 0 0 0 35");
    // the 总计 cell of 结转 is empty in the source: blank, never 0
    req(&c, "结转", "1 0 0 0 0 0 _");
    appeals(&c, "1 0 0 0 1 0 0 0 0 0 0 0 0 0 0");
    // rows whose labels floated away are placed by template order, and said so
    req(&c, "办理结果.无法提供.需另行制作", "6 0 0 0 0 0 6");
    assert!(has_problem(
        &imp,
        "placed in 申请.办理结果.无法提供.需另行制作 by row order"
    ));
    assert_eq!(c["不完整"], "true");
}

#[test]
fn markdown_from_pdf_with_split_rows_shanghai_office() {
    let imp = import_fixture("kiro_shanghai-office_2025_pdf-md-tables.txt");
    let c = cells(&imp.yaml);
    req(&c, "新收", "1259 36 0 0 0 0 1295");
    req(&c, "上年结转", "170 15 0 0 4 0 189");
    req(&c, "办理结果.部分公开", "2 0 0 0 0 0 2");
    req(&c, "办理结果.不予公开.内部事务", "8 0 0 0 1 0 9");
    req(&c, "办理结果.无法提供.不掌握", "484 28 0 0 1 0 513");
    req(&c, "办理结果.其他处理.逾期不补正", "40 1 0 0 2 0 43");
    req(&c, "办理结果.其他处理.其他", "264 12 0 0 0 0 276");
    req(&c, "办理结果.总计", "1139 48 0 0 4 0 1191");
    req(&c, "结转", "290 3 0 0 0 0 293");
    appeals(&c, "40 0 10 5 55 2 0 4 6 12 6 0 9 7 22");
    // "| 规章 | 22 | 235 |": three columns, two cells, no sums to choose by
    assert!(has_problem(
        &imp,
        "主动公开.第一项.规章: digits run together split more than one way"
    ));
    assert!(has_problem(
        &imp,
        "unrecognised row «第二十条第（一）项» with values 22"
    ));
}

#[test]
fn pdf_text_excerpt_huaian() {
    let imp = import_fixture("govnianbao_huaian-city_2024_section3-excerpt.txt");
    let c = cells(&imp.yaml);
    assert_row(&c, "主动公开.第六项.行政处罚", &["处理决定数"], "3985758");
    assert_row(
        &c,
        "主动公开.第八项.行政事业性收费",
        &["收费金额"],
        "96171.6",
    );
    req(&c, "新收", "3001 53 0 0 61 4 3119");
    // label wrapped around its numbers
    req(&c, "办理结果.部分公开", "447 7 0 0 0 0 454");
    req(&c, "办理结果.不予公开.查询事项", "105 0 0 0 0 0 105");
    req(&c, "办理结果.无法提供.不掌握", "746 12 0 0 10 1 769");
    // the excerpt ends there: the rest is reported missing
    assert!(has_problem(&imp, "row 申请.结转 not found"));
    assert!(has_problem(&imp, "table 复议诉讼 not found"));
}

fn pdftotext_available() -> bool {
    std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
}

#[test]
fn pdf_huaian_city_2024() {
    assert!(pdftotext_available(), "install poppler-utils (pdftotext)");
    let imp = import_fixture("govnianbao_huaian-city_2024.pdf");
    let c = cells(&imp.yaml);
    assert_eq!(c["机关"], "淮安市人民政府");
    assert_eq!(c["年度"], "2024");
    assert_eq!(c["格式"], "2021");
    assert_row(
        &c,
        "主动公开.第一项.行政规范性文件",
        &["本年制发", "本年废止", "现行有效"],
        "8 26 66",
    );
    assert_row(&c, "主动公开.第五项.行政许可", &["处理决定数"], "447228");
    req(&c, "新收", "3001 53 0 0 61 4 3119");
    req(&c, "办理结果.无法提供.需另行制作", "11 0 0 0 0 0 11"); // after the page break
    req(&c, "办理结果.不予处理.确认或重新出具", "1 0 0 0 0 0 1");
    req(&c, "办理结果.其他处理.逾期不补正", "67 3 0 0 1 0 71");
    req(&c, "办理结果.其他处理.其他", "108 2 0 0 0 0 110");
    req(&c, "办理结果.总计", "2932 53 0 0 61 4 3050");
    req(&c, "结转", "103 0 0 0 0 0 103");
    appeals(&c, "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20");
    assert!(c["正文.总体情况"].contains("政府信息公开行政复议"));
    assert!(c.contains_key("正文.问题改进") && c.contains_key("正文.其他事项"));
}

#[test]
fn pdf_hongze_2023_and_2024() {
    assert!(pdftotext_available(), "install poppler-utils (pdftotext)");
    let imp = import_fixture("kiro_hongze-district_2023.pdf");
    let c = cells(&imp.yaml);
    assert_eq!(c["年度"], "2023");
    req(&c, "新收", "21 0 0 0 0 0 21");
    // typo in the source label "2.其他法律行政止公开" still recognised
    req(&c, "办理结果.不予公开.法律法规禁止", "0 0 0 0 0 0 0");
    req(&c, "办理结果.无法提供.不掌握", "10 0 0 0 0 0 10");
    // （六）其他处理 printed as one row on a 2021 template (a known variant): kept on the
    // group exactly as printed, an info; the document is complete (the linter warns)
    req(&c, "办理结果.其他处理", "0 0 0 0 0 0 0");
    assert!(imp
        .problems
        .iter()
        .any(|p| p.severity == Severity::Info && p.message.contains("values on a group row")));
    assert!(imp.complete(), "{:?}", imp.problems);
    // table 4 totals printed 0 beside non-zero parts: imported as printed
    appeals(&c, "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0");

    let imp = import_fixture("kiro_hongze-district_2024.pdf");
    let c = cells(&imp.yaml);
    assert_eq!(c["机关"], "淮安市洪泽区人民政府");
    req(&c, "新收", "95 0 0 0 0 0 95");
    req(&c, "办理结果.予以公开", "50 0 0 0 0 0 50");
    req(&c, "办理结果.总计", "95 0 0 0 0 0 95");
    appeals(&c, "1 1 0 0 2 1 0 0 0 1 2 0 1 0 3");
}

#[test]
fn docx_blank_official_template_reads_blank_never_zero() {
    let imp = import_fixture("govnianbao_official-template-2021-format_blank.docx");
    let c = table_cells(&imp.yaml);
    // 2 + 1 + 2 + 1 rows of 二 (3+1+1+1+1+1 cells), 25 × 7 of 三, 15 of 四
    assert_eq!(c.len(), 3 + 3 + 1 + 1 + 1 + 1 + 25 * 7 + 15);
    assert!(c.values().all(String::is_empty), "every cell blank");
    assert_eq!(cells(&imp.yaml)["格式"], "2021");
}

#[test]
fn json_peer_parse_is_not_an_input() {
    let bytes = std::fs::read(fixture("kiro_jinhu-county_2023_llm-parse.json")).unwrap();
    let err = import_bytes("kiro_jinhu-county_2023_llm-parse.json", &bytes).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err}");
}

// ---------------------------------------------------------------- synthetic layouts

/// A 2021-format report's tables as (label, cells); numbers are made up and balance.
fn rows_2021() -> Vec<(&'static str, Vec<&'static str>)> {
    let z = || vec!["0"; 7];
    vec![
        ("规章", vec!["1", "0", "6"]),
        ("行政规范性文件", vec!["4", "2", "37"]),
        ("行政许可", vec!["1532"]),
        ("行政处罚", vec!["87"]),
        ("行政强制", vec!["—"]),
        ("行政事业性收费", vec!["333.45"]),
        (
            "一、本年新收政府信息公开申请数量",
            vec!["235", "25", "2", "2", "3", "1", "268"],
        ),
        (
            "二、上年结转政府信息公开申请数量",
            vec!["10", "2", "0", "0", "1", "0", "13"],
        ),
        (
            "（一）予以公开",
            vec!["120", "14", "2", "1", "3", "1", "141"],
        ),
        (
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            vec!["18", "3", "0", "0", "1", "0", "22"],
        ),
        ("1.属于国家秘密", z()),
        ("2.其他法律行政法规禁止公开", z()),
        ("3.危及“三安全一稳定”", z()),
        (
            "4.保护第三方合法权益",
            vec!["3", "1", "0", "0", "0", "0", "4"],
        ),
        (
            "5.属于三类内部事务信息",
            vec!["4", "0", "0", "0", "0", "0", "4"],
        ),
        (
            "6.属于四类过程性信息",
            vec!["6", "1", "0", "0", "0", "0", "7"],
        ),
        (
            "7.属于行政执法案卷",
            vec!["2", "0", "0", "0", "0", "0", "2"],
        ),
        ("8.属于行政查询事项", z()),
        (
            "1.本机关不掌握相关政府信息",
            vec!["41", "5", "0", "1", "0", "0", "47"],
        ),
        (
            "2.没有现成信息需要另行制作",
            vec!["7", "0", "0", "0", "0", "0", "7"],
        ),
        (
            "3.补正后申请内容仍不明确",
            vec!["2", "0", "0", "0", "0", "0", "2"],
        ),
        (
            "1.信访举报投诉类申请",
            vec!["11", "0", "0", "0", "0", "0", "11"],
        ),
        ("2.重复申请", vec!["9", "1", "0", "0", "0", "0", "10"]),
        ("3.要求提供公开出版物", z()),
        ("4.无正当理由大量反复申请", z()),
        ("5.要求行政机关确认或重新出具已获取信息", z()),
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            vec!["5", "0", "0", "0", "0", "0", "5"],
        ),
        (
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            vec!["1", "0", "0", "0", "0", "0", "1"],
        ),
        ("3.其他", vec!["2", "1", "0", "0", "0", "0", "3"]),
        ("（七）总计", vec!["231", "26", "2", "2", "4", "1", "266"]),
        (
            "四、结转下年度继续办理",
            vec!["14", "1", "0", "0", "0", "0", "15"],
        ),
    ]
}

const APPEALS: [&str; 15] = [
    "3", "1", "0", "1", "5", "2", "0", "1", "1", "4", "1", "1", "0", "0", "2",
];

/// Where the synthetic rows must land.
fn check_2021(imp: &Imported) {
    let c = cells(&imp.yaml);
    assert_eq!(c["机关"], "示例市自然资源和规划局", "{}", imp.yaml);
    assert_eq!(c["年度"], "2023");
    assert_eq!(c["格式"], "2021");
    assert_row(
        &c,
        "主动公开.第一项.行政规范性文件",
        &["本年制发", "本年废止", "现行有效"],
        "4 2 37",
    );
    assert_row(&c, "主动公开.第六项.行政强制", &["处理决定数"], "_");
    assert_row(
        &c,
        "主动公开.第八项.行政事业性收费",
        &["收费金额"],
        "333.45",
    );
    req(&c, "新收", "235 25 2 2 3 1 268");
    req(&c, "办理结果.部分公开", "18 3 0 0 1 0 22");
    req(&c, "办理结果.不予公开.过程性信息", "6 1 0 0 0 0 7");
    req(&c, "办理结果.无法提供.不掌握", "41 5 0 1 0 0 47");
    req(&c, "办理结果.其他处理.逾期未缴费", "1 0 0 0 0 0 1");
    req(&c, "办理结果.其他处理.其他", "2 1 0 0 0 0 3");
    req(&c, "结转", "14 1 0 0 0 0 15");
    appeals(&c, &APPEALS.join(" "));
    assert_eq!(
        table_cells(&imp.yaml).len(),
        3 + 3 + 1 + 2 + 1 + 25 * 7 + 15
    );
    assert!(imp.complete(), "{:?}", imp.problems);
}

fn heading(n: usize) -> &'static str {
    [
        "",
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ][n]
}

/// Render the synthetic report in a text layout: `row(label, cells)` gives the lines of one row.
fn render(row: &dyn Fn(&str, &[&str]) -> String) -> String {
    let mut s = String::from("示例市自然资源和规划局\n2023年政府信息公开工作年度报告\n\n");
    s += &format!(
        "{}\n本机关全年收到申请268件。\n\n{}\n",
        heading(1),
        heading(2)
    );
    s += &row(
        "信息内容",
        &["本年制发件数", "本年废止件数", "现行有效件数"],
    );
    let rows = rows_2021();
    for (i, (label, vals)) in rows.iter().enumerate() {
        if i == 6 {
            s += &format!("{}\n", heading(3));
            s += &row(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                &["申请人情况"],
            );
            s += &row(
                "自然人",
                &[
                    "商业 企业",
                    "科研机构",
                    "社会公益组织",
                    "法律服务机构",
                    "其他",
                    "总 计",
                ],
            );
        }
        s += &row(label, vals);
    }
    s += &format!("{}\n", heading(4));
    s += &row(
        "行政复议",
        &["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
    );
    s += &row("", &APPEALS);
    s += &format!("{}\n一是不足。\n{}\n无。\n", heading(5), heading(6));
    s
}

#[test]
fn layout_b_one_paragraph_per_cell() {
    let text = render(&|label, vals| {
        let mut s = format!("{label}\n\n");
        for v in vals {
            s += &format!(" {v}\n\n");
        }
        s
    });
    check_2021(&import_bytes("b.txt", text.as_bytes()).unwrap());
}

#[test]
fn layout_c_pipe_rows() {
    let text = render(&|label, vals| format!("{label} | {} | |\n", vals.join(" | ")));
    check_2021(&import_bytes("c.txt", text.as_bytes()).unwrap());
}

#[test]
fn layout_d_one_cell_per_line_with_bars() {
    let text = render(&|label, vals| {
        let mut s = if label.is_empty() {
            String::new()
        } else {
            format!("{label} |\n")
        };
        for v in vals {
            s += &format!("{v} |\n");
        }
        s + "||||\n"
    });
    check_2021(&import_bytes("d.txt", text.as_bytes()).unwrap());
}

#[test]
fn layout_f_pdf_rows_on_one_line_half_width_and_traditional() {
    let text = render(&|label, vals| {
        // half-width punctuation, "1、" numbering, Traditional characters
        let label = label
            .replace('（', "(")
            .replace('）', ")")
            .replace("1.", "1、")
            .replace("規", "规")
            .replace("总计", "總計");
        format!("{label}   {}\n", vals.join("  "))
    });
    check_2021(&import_bytes("f.txt", text.as_bytes()).unwrap());
}

#[test]
fn layout_g_markdown_and_signs_units() {
    let text = render(&|label, vals| {
        format!(
            "| {label} | {} |\n|---|{}\n",
            vals.join(" | "),
            "---|".repeat(vals.len())
        )
    });
    check_2021(&import_bytes("g.md", text.as_bytes()).unwrap());
    // 2019 items: "+8" is 8; "251000元" under the plain national header 采购总金额 (no unit)
    // cannot be placed: left out with a problem, never copied as 251000
    let t = "二、主动公开政府信息情况\n| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n| 行政许可 | 10 | +8 | 3 |\n| 行政处罚 | 5 | -3 | 2 |\n| 政府集中采购 | 13 | 251000元 |\n";
    let imp = import_bytes("g2019.md", t.as_bytes()).unwrap();
    let c = cells(&imp.yaml);
    assert_eq!(c["格式"], "2019");
    assert_row(
        &c,
        "主动公开.第五项.行政许可",
        &["上一年项目数", "本年增减", "处理决定数"],
        "10 8 3",
    );
    assert_row(
        &c,
        "主动公开.第六项.行政处罚",
        &["上一年项目数", "本年增减", "处理决定数"],
        "5 -3 2",
    );
    assert_eq!(c["主动公开.第九项.政府集中采购.采购项目数"], "13");
    assert!(!c.contains_key("主动公开.第九项.政府集中采购.采购总金额"));
    let p = imp
        .problems
        .iter()
        .find(|p| {
            p.message
                .contains("主动公开.第九项.政府集中采购.采购总金额")
        })
        .unwrap_or_else(|| panic!("{:?}", imp.problems));
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("251000元"), "{}", p.message);
    assert!(!imp.complete());
}

/// A number printed with a unit goes into a column whose header names a unit converted
/// exactly (the decimal point moved, every digit kept), with an info naming the cell.
#[test]
fn units_convert_exactly_into_the_columns_unit() {
    let t = "二、主动公开政府信息情况\n| 信息内容 | 采购项目数量 | 采购总金额（万元） |\n| 政府集中采购 | 13 | 251000元 |\n";
    let imp = import_bytes("u2019.md", t.as_bytes()).unwrap();
    let c = cells(&imp.yaml);
    assert_eq!(c["主动公开.第九项.政府集中采购.采购总金额"], "25.1000");
    assert_eq!(c["主动公开.第九项.表头.采购总金额"], "采购总金额（万元）");
    assert!(imp.problems.iter().any(|p| p.severity == Severity::Info
        && p.message
            .contains("主动公开.第九项.政府集中采购.采购总金额")
        && p.message.contains("25.1000")));
    // the same unit as the column's: the number as printed
    let t = t.replace("251000元", "79.1500万元");
    let c = cells(&import_bytes("u2019.md", t.as_bytes()).unwrap().yaml);
    assert_eq!(c["主动公开.第九项.政府集中采购.采购总金额"], "79.1500");
    // 2021: the template's own header says 万元
    let t = "二、主动公开政府信息情况\n| 第二十条第（八）项 |\n| 信息内容 | 本年收费金额（单位：万元） |\n| 行政事业性收费 | 2895.90元 |\n";
    let c = cells(&import_bytes("u2021.md", t.as_bytes()).unwrap().yaml);
    assert_eq!(c["主动公开.第八项.行政事业性收费.收费金额"], "0.289590");
    // a currency unit on a count column is left out
    let t = "二、主动公开政府信息情况\n| 第二十条第（五）项 |\n| 信息内容 | 本年处理决定数量 |\n| 行政许可 | 300元 |\n";
    let imp = import_bytes("u2021.md", t.as_bytes()).unwrap();
    assert!(!cells(&imp.yaml).contains_key("主动公开.第五项.行政许可.处理决定数"));
    assert!(!imp.complete());
}

/// Signed values as printed: `-15`, `−15` (typeset minus), `+8`, and a sign run together
/// with the number before it (`35-15`, the Pingtan pages).
#[test]
fn signed_values_keep_their_sign() {
    let c = cells(&import_fixture("pingtan_2020_page-txt-tables.txt").yaml);
    assert_eq!(c["主动公开.第八项.行政事业性收费.上一年项目数"], "35");
    assert_eq!(c["主动公开.第八项.行政事业性收费.本年增减"], "-15");
    let t = "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n行政许可 10 −15 3\n其他对外管理服务事项 4 +8 1\n第二十条第（八）项\n行政事业性收费 35-15\n";
    let c = cells(&import_bytes("s.txt", t.as_bytes()).unwrap().yaml);
    assert_eq!(c["主动公开.第五项.行政许可.本年增减"], "-15");
    assert_eq!(c["主动公开.第五项.其他对外管理服务事项.本年增减"], "8");
    assert_eq!(c["主动公开.第八项.行政事业性收费.上一年项目数"], "35");
    assert_eq!(c["主动公开.第八项.行政事业性收费.本年增减"], "-15");
}

// ---------------------------------------------------------------- HTML and DOCX

/// Section 三 as the national template lays it out: group labels with
/// rowspan, the note cell with rowspan/colspan, section 四 header spans.
fn html_report() -> String {
    let rows = rows_2021();
    let mut h = String::from("<html><head><title>示例市自然资源和规划局2023年政府信息公开工作年度报告</title></head><body>");
    h +=
        "<p>一、总体情况</p><p>本机关全年收到申请268件。</p><p>二、主动公开政府信息情况</p><table>";
    h +=
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>";
    for (label, vals) in &rows[..6] {
        h += &format!(
            "<tr><td>{label}</td>{}</tr>",
            vals.iter()
                .map(|v| format!("<td>{v}</td>"))
                .collect::<String>()
        );
    }
    h += "</table><p>三、收到和处理政府信息公开申请情况</p><table>";
    h += "<tr><td rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=\"7\">申请人情况</td></tr>";
    h += "<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>";
    h += "<tr><td>商业<br/>企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>";
    let groups: [(usize, usize, &str); 4] = [
        (10, 8, "（三）不予公开"),
        (18, 3, "（四）无法提供"),
        (21, 5, "（五）不予处理"),
        (26, 3, "（六）其他处理"),
    ];
    for (i, (label, vals)) in rows.iter().enumerate().skip(6) {
        let cells: String = vals.iter().map(|v| format!("<td>{v}</td>")).collect();
        let mut lead = String::new();
        if i == 8 {
            lead += "<td rowspan=\"22\">三、本年度办理结果</td>";
        }
        if let Some((_, n, g)) = groups.iter().find(|(s, _, _)| *s == i) {
            lead += &format!("<td rowspan=\"{n}\">{g}</td>");
        }
        let span = if i < 8 || i == 30 {
            3
        } else if (8..10).contains(&i) || i == 29 {
            2
        } else {
            1
        };
        h += &format!("<tr>{lead}<td colspan=\"{span}\">{label}</td>{cells}</tr>");
    }
    h += "</table><p>四、政府信息公开行政复议、行政诉讼情况</p><table>";
    h += "<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>";
    h += "<tr><td rowspan=\"2\">结果维持</td><td rowspan=\"2\">结果纠正</td><td rowspan=\"2\">其他结果</td><td rowspan=\"2\">尚未审结</td><td rowspan=\"2\">总计</td><td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>";
    h += "<tr>";
    for _ in 0..2 {
        h += "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>";
    }
    h += "</tr><tr>";
    h += &APPEALS
        .iter()
        .map(|v| format!("<td>{v}</td>"))
        .collect::<String>();
    h += "</tr></table><p>五、存在的主要问题及改进情况</p><p>一是不足。</p><p>六、其他需要报告的事项</p><p>无。</p></body></html>";
    h
}

#[test]
fn html_with_rowspan_and_colspan() {
    let imp = import_bytes("r.html", html_report().as_bytes()).unwrap();
    check_2021(&imp);
    assert_eq!(
        cells(&imp.yaml)["正文.总体情况"],
        "本机关全年收到申请268件。\n"
    );
}

/// A DOCX built here: the same tables, group labels merged with vMerge,
/// label cells widened with gridSpan.
fn docx_report() -> Vec<u8> {
    docx_bytes(&docx_report_body())
}

/// The `word/document.xml` body of [`docx_report`].
fn docx_report_body() -> String {
    let tc = |text: &str, span: usize, vmerge: Option<&str>| {
        let mut pr = String::new();
        if span > 1 {
            pr += &format!("<w:gridSpan w:val=\"{span}\"/>");
        }
        match vmerge {
            Some("restart") => pr += "<w:vMerge w:val=\"restart\"/>",
            Some(_) => pr += "<w:vMerge/>",
            None => {}
        }
        format!("<w:tc><w:tcPr>{pr}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
    };
    let p = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let rows = rows_2021();
    let mut body = p("示例市自然资源和规划局")
        + &p("2023年政府信息公开工作年度报告")
        + &p("一、总体情况")
        + &p("本机关全年收到申请268件。");
    body += &p("二、主动公开政府信息情况");
    body += "<w:tbl>";
    for (label, vals) in &rows[..6] {
        body += &format!(
            "<w:tr>{}{}</w:tr>",
            tc(label, 1, None),
            vals.iter().map(|v| tc(v, 1, None)).collect::<String>()
        );
    }
    body += "</w:tbl>";
    body += &p("三、收到和处理政府信息公开申请情况");
    body += "<w:tbl>";
    let groups = [
        (10usize, 18usize, "（三）不予公开"),
        (18, 21, "（四）无法提供"),
        (21, 26, "（五）不予处理"),
        (26, 29, "（六）其他处理"),
    ];
    for (i, (label, vals)) in rows.iter().enumerate().skip(6) {
        let mut r = String::new();
        if (8..30).contains(&i) {
            r += &tc(
                if i == 8 {
                    "三、本年度办理结果"
                } else {
                    ""
                },
                1,
                Some(if i == 8 { "restart" } else { "continue" }),
            );
        }
        if let Some((s, _, g)) = groups.iter().find(|(s, e, _)| (*s..*e).contains(&i)) {
            r += &tc(
                if *s == i { g } else { "" },
                1,
                Some(if *s == i { "restart" } else { "continue" }),
            );
            r += &tc(label, 1, None);
        } else {
            r += &tc(label, if (8..30).contains(&i) { 2 } else { 3 }, None);
        }
        r += &vals.iter().map(|v| tc(v, 1, None)).collect::<String>();
        body += &format!("<w:tr>{r}</w:tr>");
    }
    body += "</w:tbl>";
    body += &p("四、政府信息公开行政复议、行政诉讼情况");
    body += &format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        APPEALS.iter().map(|v| tc(v, 1, None)).collect::<String>()
    );
    for t in [
        "五、存在的主要问题及改进情况",
        "一是不足。",
        "六、其他需要报告的事项",
        "无。",
    ] {
        body += &p(t);
    }
    body
}

#[test]
fn docx_with_grid_span_and_vmerge() {
    check_2021(&import_bytes("r.docx", &docx_report()).unwrap());
}

// ---------------------------------------------------------------- printed column headers

const FOUR_PLACES: &str = "采购总金额（万元，保留四位小数）";

/// Section 二's last two tables of the 2019 format in a text layout, with the
/// purchase amount's header printed as `amount_header`.
fn purchases_2019(row: &dyn Fn(&str, &[&str]) -> String, amount_header: &str) -> String {
    let mut s = String::from(
        "示例区财政局\n2020年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n第二十条第（八）项\n",
    );
    s += &row("信息内容", &["上一年项目数量", "本年增/减"]);
    s += &row("行政事业性收费", &["0", "0"]);
    s += "第二十条第（九）项\n";
    s += &row("信息内容", &["采购项目数量", amount_header]);
    s += &row("政府集中采购", &["11", "79.1500"]);
    s += "三、收到和处理政府信息公开申请情况\n";
    s
}

/// The printed headers of an import, and that 第九项's numbers are unaffected.
fn printed_headers(imp: &Imported) -> BTreeMap<String, String> {
    let c = cells(&imp.yaml);
    assert_row(
        &c,
        "主动公开.第九项.政府集中采购",
        &["采购项目数", "采购总金额"],
        "11 79.1500",
    );
    c.into_iter()
        .filter(|(k, _)| k.contains(".表头."))
        .collect()
}

fn only_amount_header(text: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(HEADER_KEY.to_string(), text.to_string())])
}

/// Each text layout keeps the header as printed (TAB cells, paragraphs, pipe
/// rows, one cell per line, PDF rows on one line, markdown).
#[test]
fn printed_header_in_every_text_layout() {
    type Layout = Box<dyn Fn(&str, &[&str]) -> String>;
    let layouts: [(&str, Layout); 6] = [
        (
            "a.txt",
            Box::new(|l, v| {
                let mut s = format!("\t{l}\n");
                for x in v {
                    s += &format!("\t{x}\n");
                }
                s + "\n"
            }),
        ),
        (
            "b.txt",
            Box::new(|l, v| {
                let mut s = format!("{l}\n\n");
                for x in v {
                    s += &format!(" {x}\n\n");
                }
                s
            }),
        ),
        (
            "c.txt",
            Box::new(|l, v| format!("{l} | {} | |\n", v.join(" | "))),
        ),
        (
            "d.txt",
            Box::new(|l, v| {
                let mut s = format!("{l} |\n");
                for x in v {
                    s += &format!("{x} |\n");
                }
                s + "||||\n"
            }),
        ),
        (
            "f.txt",
            Box::new(|l, v| format!("{l}    {}\n", v.join("    "))),
        ),
        (
            "g.md",
            Box::new(|l, v| {
                format!(
                    "| {l} | {} |\n|---|{}\n",
                    v.join(" | "),
                    "---|".repeat(v.len())
                )
            }),
        ),
    ];
    for (name, row) in &layouts {
        let imp = import_bytes(name, purchases_2019(row, FOUR_PLACES).as_bytes()).unwrap();
        assert_eq!(imp.version.name(), "2019", "{name}");
        assert_eq!(
            printed_headers(&imp),
            only_amount_header(FOUR_PLACES),
            "{name}\n{}",
            imp.yaml
        );
        // the template's own header: nothing recorded
        let imp = import_bytes(name, purchases_2019(row, "采购总金额").as_bytes()).unwrap();
        assert_eq!(printed_headers(&imp), BTreeMap::new(), "{name}");
    }
    // as written: half-width parentheses and comma kept; the double space becomes one
    let f = &layouts[4].1;
    let imp = import_bytes(
        "f.txt",
        purchases_2019(f, "采购总金额  (万元,  保留四位小数)").as_bytes(),
    )
    .unwrap();
    assert_eq!(
        printed_headers(&imp),
        only_amount_header("采购总金额 (万元, 保留四位小数)")
    );
}

#[test]
fn printed_header_in_html_and_docx() {
    let html = purchases_2019(
        &|l, v| {
            format!(
                "<table><tr><td>{l}</td>{}</tr></table>\n",
                v.iter()
                    .map(|x| format!("<td>{x}</td>"))
                    .collect::<String>()
            )
        },
        "采购总金额<br/>（万元，保留四位小数）",
    );
    let html = format!("<html><body>{}</body></html>", html.replace('\n', "<br/>"));
    let imp = import_bytes("p.html", html.as_bytes()).unwrap();
    assert_eq!(
        printed_headers(&imp),
        only_amount_header(FOUR_PLACES),
        "{}",
        imp.yaml
    );

    let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
    let tr = |cells: &[&str]| {
        let tcs: String = cells
            .iter()
            .map(|c| format!("<w:tc><w:p><w:r><w:t>{c}</w:t></w:r></w:p></w:tc>"))
            .collect();
        format!("<w:tr>{tcs}</w:tr>")
    };
    let body = para("示例区财政局")
        + &para("2020年政府信息公开工作年度报告")
        + &para("二、主动公开政府信息情况")
        + &para("第二十条第（九）项")
        + "<w:tbl>"
        + &tr(&["信息内容", "采购项目数量", FOUR_PLACES])
        + &tr(&["政府集中采购", "11", "79.1500"])
        + "</w:tbl>"
        + &para("三、收到和处理政府信息公开申请情况");
    let imp = import_bytes("p.docx", &docx_bytes(&body)).unwrap();
    assert_eq!(
        printed_headers(&imp),
        only_amount_header(FOUR_PLACES),
        "{}",
        imp.yaml
    );
}

/// Where a layout loses part of the header, nothing is recorded.
#[test]
fn printed_header_cut_off_is_not_recorded() {
    // a PDF line wrap inside the note: the rest lands on the next line, after other text
    let text = purchases_2019(
        &|l, v| {
            if l == "信息内容" && v.len() == 2 && v[0] == "采购项目数量" {
                format!(
                    "{l}    {}    {}\n                 位小数）\n",
                    v[0], "采购总金额（万元，保留四"
                )
            } else {
                format!("{l}    {}\n", v.join("    "))
            }
        },
        "",
    );
    let imp = import_bytes("wrap.txt", text.as_bytes()).unwrap();
    assert_eq!(printed_headers(&imp), BTreeMap::new(), "{}", imp.yaml);
    // labels lost: the header printed without the template's words
    let text = purchases_2019(
        &|l, v| format!("{l}    {}\n", v.join("    ")),
        "金额（万元）",
    );
    let imp = import_bytes("lost.txt", text.as_bytes()).unwrap();
    assert_eq!(printed_headers(&imp), BTreeMap::new());
}

/// Only tables whose schema declares `headers:` get them (none in the 2021
/// format), and no corpus report but the seed prints a header that differs.
#[test]
fn printed_headers_only_where_the_schema_has_them() {
    // the 2021 fee column prints 万元 differently; 2021 has no `headers:`
    let text = render(&|label, vals| {
        let head = if label == "行政事业性收费" {
            "信息内容   本年收费金额（万元）\n"
        } else {
            ""
        };
        format!("{head}{label}   {}\n", vals.join("  "))
    });
    assert!(text.contains("本年收费金额（万元）"));
    let imp = import_bytes("f.txt", text.as_bytes()).unwrap();
    check_2021(&imp);
    assert!(!imp.yaml.contains("表头"), "{}", imp.yaml);

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let is_pdf = name.ends_with(".pdf");
        if !(name.ends_with(".txt") || (is_pdf && pdftotext_available())) {
            continue;
        }
        let imp = import_bytes(&name, &std::fs::read(&path).unwrap()).unwrap();
        let headers: Vec<String> = cells(&imp.yaml)
            .into_keys()
            .filter(|k| k.contains(".表头."))
            .collect();
        let want: &[&str] = if name.starts_with("seed-") {
            &[HEADER_KEY]
        } else {
            &[]
        };
        assert_eq!(headers, want, "{name}");
        seen += 1;
    }
    assert!(seen >= 12, "{seen} corpus files");
}

/// The rule that reads printed headers (`table2/amount-places`) sees the
/// importer's `表头`: four places as the header demands pass, two do not.
#[test]
fn imported_header_feeds_the_amount_places_rule() {
    use gouji::engine::Engine;
    use gouji::source::Source;
    let engine = Engine::builtin().expect("built-in rules");
    let rule_fires = |yaml: &str| {
        engine
            .check(&Source::new("imported.yaml", yaml), None)
            .iter()
            .any(|f| f.rule == "table2/amount-places")
    };
    let seed = std::fs::read_to_string(fixture("seed-chaoyang-2020.txt")).unwrap();
    assert!(!rule_fires(
        &import_bytes("seed.txt", seed.as_bytes()).unwrap().yaml
    ));
    assert_eq!(seed.matches("\t79.1500\n").count(), 1);
    let two_places = seed.replace("\t79.1500\n", "\t79.15\n");
    assert!(rule_fires(
        &import_bytes("seed.txt", two_places.as_bytes())
            .unwrap()
            .yaml
    ));
}

// ---------------------------------------------------------------- problems

#[test]
fn problems_unrecognised_row_missing_table_ambiguous_split() {
    let text = "示例局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n规章 1 0 6\n行政规范性文件 4 2 37\n行政许可 5\n行政处罚 1\n行政强制 1\n行政事业性收费 0\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n  奇怪的行 9 9 9\n二、上年结转政府信息公开申请数量 191000020\n";
    let imp = import_bytes("p.txt", text.as_bytes()).unwrap();
    let find = |needle: &str| {
        imp.problems
            .iter()
            .find(|p| p.message.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {:?}", imp.problems))
    };
    let p = find("unrecognised row «奇怪的行»");
    assert_eq!((p.line, p.column), (Some(11), Some(3)));
    let p = find("申请.上年结转: digits run together split more than one way");
    assert_eq!((p.line, p.severity), (Some(12), Severity::Error));
    find("table 复议诉讼 not found");
    find("row 申请.办理结果.总计 not found");
    let c = cells(&imp.yaml);
    assert_eq!(c["不完整"], "true");
    assert!(!c.contains_key("申请.上年结转.总计"));
    req(&c, "新收", "1 0 0 0 0 0 1");
    assert!(imp
        .yaml
        .contains("# 问题: line 11, column 3: unrecognised row"));
}

// ---------------------------------------------------------------- run()

#[test]
fn run_writes_atomically_and_never_overwrites_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let seed = fixture("seed-chaoyang-2020.txt");
    // one input, stdout
    let s = run(&ImportOptions {
        inputs: vec![seed.clone()],
        ..Default::default()
    })
    .unwrap();
    assert!(s
        .stdout
        .as_deref()
        .is_some_and(|y| y.contains("机关: 北京市朝阳区政务服务管理局")));
    // one input, -o FILE; again without --force fails, with --force works
    let out = dir.path().join("x.yaml");
    let opts = ImportOptions {
        inputs: vec![seed.clone()],
        output: Some(out.clone()),
        ..Default::default()
    };
    run(&opts).unwrap().files[0].result.as_ref().unwrap();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("格式: 2019"));
    std::fs::write(&out, "mine").unwrap();
    assert!(matches!(
        run(&opts).unwrap().files[0].result,
        Err(ImportError::Exists { .. })
    ));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    run(&ImportOptions {
        force: true,
        ..opts.clone()
    })
    .unwrap()
    .files[0]
        .result
        .as_ref()
        .unwrap();
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("格式: 2019"));
    // several inputs need -o DIR; names kept; --strict writes nothing for incomplete files
    let inputs = vec![seed.clone(), fixture("pingtan_2019_page-txt-tables.txt")];
    assert!(matches!(
        run(&ImportOptions {
            inputs: inputs.clone(),
            ..Default::default()
        }),
        Err(ImportError::Usage(_))
    ));
    let od = dir.path().join("out");
    let s = run(&ImportOptions {
        inputs,
        output: Some(od.clone()),
        strict: true,
        force: false,
    })
    .unwrap();
    assert!(od.join("seed-chaoyang-2020.yaml").exists());
    assert!(!od.join("pingtan_2019_page-txt-tables.yaml").exists());
    assert!(matches!(s.files[1].result, Err(ImportError::Strict { .. })));
    assert_eq!(s.failed(), 1);
    // no temporary files left behind
    assert_eq!(std::fs::read_dir(&od).unwrap().count(), 1);
    // the CLI with --strict says which problems kept the file from being written
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"))
        .args(["--lang", "en", "import", "--strict"])
        .arg(fixture("pingtan_2019_page-txt-tables.txt"))
        .arg("-o")
        .arg(od.join("strict.yaml"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(!od.join("strict.yaml").exists());
    assert!(
        err.contains("pingtan_2019_page-txt-tables.txt:1:")
            && err.contains("split more than one way"),
        "{err}"
    );
    assert!(
        err.contains("problem(s) and --strict is set; nothing written"),
        "{err}"
    );
}

// ---------------------------------------------------------------- robustness

#[test]
fn mangled_inputs_never_panic() {
    let mut inputs: Vec<Vec<u8>> = vec![
        std::fs::read(fixture("seed-chaoyang-2020.txt")).unwrap(),
        std::fs::read(fixture("pingtan_2021_page-txt-tables.txt")).unwrap(),
        html_report().into_bytes(),
        docx_report(),
        std::fs::read(fixture("kiro_shuyang-county_2025_ocr-md-tables.txt")).unwrap(),
    ];
    inputs.push(b"<table><tr><td rowspan=99999999 colspan=-1>x</td></tr></table>".to_vec());
    inputs.push("9".repeat(5000).into_bytes());
    let mut seed = 0x2545_f491_u64;
    for base in inputs {
        for round in 0..40 {
            let mut b = base.clone();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            match round % 3 {
                0 => b.truncate((seed as usize) % (b.len() + 1)),
                1 => {
                    for k in 0..8 {
                        if !b.is_empty() {
                            let i = (seed as usize).wrapping_add(k * 7919) % b.len();
                            b[i] = b[i].wrapping_add((seed >> 8) as u8 | 1);
                        }
                    }
                }
                _ => b.extend_from_slice(&base[..base.len().min(300)]),
            }
            for name in ["x.txt", "x.html", "x.docx"] {
                if let Ok(imp) = import_bytes(name, &b) {
                    cells(&imp.yaml);
                }
            }
        }
    }
}

proptest::proptest! {
    #[test]
    fn arbitrary_text_never_panics_and_yields_yaml_or_a_refusal(s in "[0-9 一二三四、（）.|\\t\\n规章行政许可总计其他-]{0,300}") {
        match import_bytes("p.txt", s.as_bytes()) {
            Ok(imp) => {
                cells(&imp.yaml);
            }
            Err(e) => proptest::prop_assert!(matches!(e, ImportError::Unsupported { .. }), "{e}"),
        }
    }
}

// ---------------------------------------------------------------- the template against the schemas

/// The schema node at a dotted key path.
fn schema_node(schema: &gouji::schema::Schema, path: &str) -> Option<usize> {
    path.split('.')
        .try_fold(gouji::schema::ROOT, |at, key| schema.child(at, key))
}

/// The tables of sections 二, 三 and 四 in a schema.
fn schema_tables(schema: &gouji::schema::Schema) -> Vec<usize> {
    use gouji::schema::SKind;
    let mut out = Vec::new();
    for top in ["主动公开", "申请", "复议诉讼"] {
        let id = schema_node(schema, top).unwrap_or_else(|| panic!("{top} in the schema"));
        match &schema.node(id).kind {
            SKind::Table { .. } => out.push(id),
            _ => out.extend(
                schema
                    .node(id)
                    .children
                    .iter()
                    .copied()
                    .filter(|&c| matches!(schema.node(c).kind, SKind::Table { .. })),
            ),
        }
    }
    out
}

/// The importer's template, built from the schemas (`src/import/template.rs`
/// reading `rules/formats/*.yaml`), covers them exactly: everything the importer
/// can write exists in the schema with the same label, and every non-optional row
/// and column of tables 二, 三 and 四 (and every printed-header key) is known to it.
#[test]
fn importer_template_matches_the_builtin_schemas() {
    use gouji::import::{template_labels, template_paths, Version};
    use gouji::schema::{Registry, SKind};
    use std::collections::BTreeSet;

    let registry = Registry::builtin();
    assert_eq!(Version::all(), [Version::V2019, Version::V2021]);
    for v in Version::all() {
        let schema = registry
            .by_name(v.name())
            .unwrap_or_else(|| panic!("built-in schema {}", v.name()));
        let paths = template_paths(v);
        let known: BTreeSet<&str> = paths.iter().map(String::as_str).collect();
        assert_eq!(known.len(), paths.len(), "{}: duplicate paths", v.name());

        // 1. everything the importer can write exists in the schema
        let missing: Vec<&str> = paths
            .iter()
            .map(String::as_str)
            .filter(|p| schema_node(schema, p).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "{}: importer paths not in the schema: {missing:?}",
            v.name()
        );
        // a cell sits in a row (or in a table's printed headers); a row the
        // importer writes values into has them all
        for p in &paths {
            let Some(id) = schema_node(schema, p) else {
                continue;
            };
            let node = schema.node(id);
            let parent = node.parent.map(|q| schema.node(q));
            match &node.kind {
                SKind::Scalar { .. } => {
                    let ok = match parent.map(|q| (&q.kind, q.parent)) {
                        Some((SKind::Row, _)) => true,
                        Some((SKind::Group, Some(t))) => {
                            matches!(schema.node(t).kind, SKind::Table { .. })
                        }
                        _ => false,
                    };
                    assert!(ok, "{}: {p} is not a table cell", v.name());
                }
                SKind::Row => {
                    for c in node.children.iter().map(|&c| schema.node(c)) {
                        let cell = format!("{p}.{}", c.key);
                        assert!(
                            c.optional || known.contains(cell.as_str()),
                            "{}: the importer writes row {p} without {cell}",
                            v.name()
                        );
                    }
                }
                SKind::RowGroup | SKind::Table { .. } => {}
                other => panic!("{}: {p} is a {other:?}", v.name()),
            }
        }

        // 2. the same official labels (rows, and columns via their cells)
        let wrong: Vec<String> = template_labels(v)
            .into_iter()
            .filter_map(|(p, label)| {
                let id = schema_node(schema, &p)?;
                let have = &schema.node(id).label;
                (have != label).then(|| format!("{p}: importer «{label}», schema «{have}»"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}: labels differ: {wrong:#?}", v.name());

        // 3. every non-optional template row / row group / column of 二, 三, 四 is known
        let mut unknown = Vec::new();
        let mut tables = 0;
        for t in schema_tables(schema) {
            tables += 1;
            let table_path = schema.path(t);
            if !known.contains(table_path.as_str()) {
                unknown.push(table_path.clone());
            }
            let SKind::Table { columns } = &schema.node(t).kind else {
                unreachable!("schema_tables returns tables");
            };
            let columns: Vec<&str> = columns
                .iter()
                .map(|&c| schema.node(c))
                .filter(|c| !c.optional)
                .map(|c| c.key.as_str())
                .collect();
            let mut stack: Vec<usize> = schema.node(t).children.clone();
            while let Some(id) = stack.pop() {
                let node = schema.node(id);
                let path = schema.path(id);
                match node.kind {
                    // printed headers: optional in a document, but the importer must know the key
                    SKind::Group => {
                        for &c in &node.children {
                            let p = schema.path(c);
                            if !known.contains(p.as_str()) {
                                unknown.push(p);
                            }
                        }
                    }
                    SKind::RowGroup | SKind::Row if node.optional => {}
                    SKind::RowGroup => {
                        if !known.contains(path.as_str()) {
                            unknown.push(path);
                        }
                        stack.extend(node.children.iter().copied());
                    }
                    SKind::Row => {
                        for col in &columns {
                            let p = format!("{path}.{col}");
                            if !known.contains(p.as_str()) {
                                unknown.push(p);
                            }
                        }
                        if !known.contains(path.as_str()) {
                            unknown.push(path);
                        }
                    }
                    _ => {}
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "{}: schema paths the importer does not know: {unknown:#?}",
            v.name()
        );
        assert_eq!(
            tables,
            if v == Version::V2019 { 7 } else { 6 },
            "{}: tables of 二, 三, 四",
            v.name()
        );
    }
}

// ---------------------------------------------------------------- bounded resources (issue 9 item 7)

/// Runs `gouji import FILE` in a child process held to 512 MiB of address space and 10 s of
/// CPU by the kernel (`ulimit -v`/`-t`): a case that needs more is killed, and its status
/// says so. Returns (exit code, stdout, stderr); the code is None when a signal ended it.
fn import_bounded(name: &str, bytes: &[u8]) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288 && ulimit -t 10 && exec \"$0\" --lang en import \"$1\"")
        .arg(env!("CARGO_BIN_EXE_gouji"))
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A 145 KB page whose cells all span 200 rows and 200 columns: laid out in full it takes
/// gigabytes of grid slots. It is read up to the slot limit and the table reported.
fn spans_bomb() -> String {
    let cell = r#"<td rowspan="200" colspan="200">1</td>"#;
    let row = format!("<tr>{}</tr>", cell.repeat(10));
    format!(
        "<html><head><title>某市2024年政府信息公开工作年度报告</title></head><body>\
         <p>二、主动公开政府信息情况</p><table>{}</table></body></html>",
        row.repeat(370)
    )
}

#[test]
fn huge_cell_spans_are_a_problem_not_gigabytes() {
    let page = spans_bomb();
    assert!((140_000..150_000).contains(&page.len()), "{}", page.len());
    // its only table is not read, so no report table is found: refused, saying why
    let err = import_bytes("bomb.html", page.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("1048576"), "{err}");
    let (code, out, err) = import_bounded("bomb.html", page.as_bytes());
    assert_eq!(code, Some(1), "ended within 512 MiB and 10 s: {err}");
    assert!(out.is_empty());
    assert!(err.contains("1048576 slots"), "{err}");
    // beside the report's own tables: those are read, the huge one is an error problem
    let both = html_report().replace(
        "</body>",
        &format!(
            "<table>{}</table></body>",
            r#"<tr><td rowspan="200" colspan="200">1</td></tr>"#.repeat(3000)
        ),
    );
    let imp = import_bytes("both.html", both.as_bytes()).unwrap();
    let p = imp
        .problems
        .iter()
        .find(|p| p.message.contains("1048576"))
        .unwrap_or_else(|| panic!("{:?}", imp.problems));
    assert_eq!(p.severity, Severity::Error);
    assert!(!imp.complete());
    assert_eq!(cells(&imp.yaml)["申请.新收.总计"], "268");
}

#[test]
fn a_docx_with_huge_spans_is_a_problem_too() {
    let cell = r#"<w:tc><w:tcPr><w:gridSpan w:val="200"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>"#;
    let cont = r#"<w:tc><w:tcPr><w:gridSpan w:val="200"/><w:vMerge/></w:tcPr><w:p/></w:tc>"#;
    let mut body = String::from("<w:tbl>");
    for r in 0..300 {
        body.push_str("<w:tr>");
        body.push_str(&(if r % 2 == 0 { cell } else { cont }).repeat(20));
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    let bytes = docx_bytes(&body);
    let err = import_bytes("bomb.docx", &bytes).unwrap_err();
    assert!(err.to_string().contains("1048576"), "{err}");
    let (code, _, err) = import_bounded("bomb.docx", &bytes);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("1048576 slots"), "{err}");
}

#[test]
fn deeply_nested_html_is_refused_before_parsing() {
    let page = format!(
        "<html><body>{}1{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let err = import_bytes("deep.html", page.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err}");
    assert!(err.to_string().contains("512"), "{err}");
    let (code, out, err) = import_bounded("deep.html", page.as_bytes());
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty(), "nothing written: {out}");
    assert!(err.contains("nested 513 deep"), "{err}");
    // unclosed <p>, <td>, <li> and void elements of a sloppy page are not nesting
    let sloppy = html_report().replace(
        "<body>",
        &format!(
            "<body>{}<table>{}</table>",
            "<p>text<br><img src=x>".repeat(5000),
            "<tr><td>1<td>2".repeat(3000)
        ),
    );
    check_2021(&import_bytes("sloppy.html", sloppy.as_bytes()).unwrap());
}

#[test]
fn oversized_inputs_are_refused_unread() {
    let text = "0 ".repeat(4 * 1024 * 1024 + 1);
    let err = import_bytes("big.txt", text.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }), "{err}");
    let (code, out, err) = import_bounded("big.txt", text.as_bytes());
    assert_eq!(code, Some(1), "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("8388610 bytes, over the limit of 8388608"),
        "{err}"
    );
    // a file larger than any input is refused from its size, before it is read
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(gouji::import::MAX_BINARY_INPUT + 1).unwrap();
    let s = run(&ImportOptions {
        inputs: vec![path],
        ..ImportOptions::default()
    })
    .unwrap();
    assert!(matches!(
        s.files[0].result,
        Err(ImportError::Unsupported { .. })
    ));
}

#[test]
fn images_and_binaries_are_refused() {
    for (name, bytes) in [
        ("scan.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("scan.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec()),
        ("report.txt", vec![0u8, 1, 2, 3, 200, 0, 7, 8]),
    ] {
        let err = import_bytes(name, &bytes).unwrap_err();
        assert!(
            matches!(err, ImportError::Unsupported { .. }),
            "{name}: {err}"
        );
        let (code, out, _) = import_bounded(name, &bytes);
        assert_eq!(code, Some(1), "{name}");
        assert!(out.is_empty(), "{name}");
    }
}

/// A crawled page keeps the crawler's header lines (`标题:`, `来源:`, `发布时间:`) and the
/// site's breadcrumbs above the report: none of it reaches 机关; the date is kept in 来源.
#[test]
fn crawler_header_stays_out_of_the_metadata() {
    let imp = import_fixture("crawler-header_pingtan_2020.txt");
    let c = cells(&imp.yaml);
    assert_eq!(c["机关"], "平潭综合实验区");
    assert_eq!(c["年度"], "2020");
    assert_eq!(c["来源.发布日期"], "2021-01-29");
    assert_eq!(c["格式"], "2019");
    // the tables read as without the header
    let bare = cells(&import_fixture("pingtan_2020_page-txt-tables.txt").yaml);
    let tables = |m: &BTreeMap<String, String>| -> BTreeMap<String, String> {
        m.iter()
            .filter(|(k, _)| {
                k.starts_with("主动公开") || k.starts_with("申请") || k.starts_with("复议诉讼")
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    assert_eq!(tables(&c), tables(&bare));
    assert!(
        !bare.contains_key("来源.发布日期"),
        "no date shown, none written"
    );
}

/// A heading is a line or cell that starts a section. An introduction naming the sections
/// in a sentence is not one, and numbers are taken from table cells only: prose in
/// section 二 of a page with tables ("本年制发规章9件") never fills a row.
#[test]
fn headings_in_prose_and_numbers_outside_tables_fill_nothing() {
    let page = html_report().replace(
        "<p>一、总体情况</p>",
        "<p>本报告由一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况等六部分组成，规章35件。</p><p>一、总体情况</p>",
    );
    let page = page.replace(
        "<p>二、主动公开政府信息情况</p>",
        "<p>二、主动公开政府信息情况</p><p>本年制发规章 9 件，行政规范性文件 8 件。</p>",
    );
    let imp = import_bytes("prose.html", page.as_bytes()).unwrap();
    check_2021(&imp);
    let c = cells(&imp.yaml);
    assert!(
        c["正文.总体情况"].starts_with("本机关全年收到申请268件"),
        "{}",
        c["正文.总体情况"]
    );
    // the same report as text: the intro sentence is prose, not headings
    let text = render(&|label, vals| format!("{label} {}\n", vals.join(" "))).replace(
        "一、总体情况\n",
        "本报告由一、总体情况，二、主动公开政府信息情况，三、收到和处理政府信息公开申请情况等六部分组成，规章35件。\n一、总体情况\n",
    );
    let imp = import_bytes("prose.txt", text.as_bytes()).unwrap();
    check_2021(&imp);
}

/// The format is decided by the tables. A word of the other format in prose changes
/// nothing; a report before 2019 (older tables) and a text without a report table are
/// refused, not written as an empty or coerced document.
#[test]
fn formats_from_tables_and_refusals() {
    // prose in section 一 naming 2019's 政府集中采购 and 本年新制作数量
    let text = render(&|label, vals| format!("{label} {}\n", vals.join(" "))).replace(
        "本机关全年收到申请268件。",
        "本机关全年收到申请268件。政府集中采购和本年新制作数量不再统计。",
    );
    let imp = import_bytes("prose-words.txt", text.as_bytes()).unwrap();
    check_2021(&imp);
    // a 2018 report: refused with the reason, nothing written
    let old = "某县人民政府2018年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n信息内容 本年新制作数量 本年新公开数量 对外公开总数量\n规章 1 1 3\n";
    let err = import_bytes("2018.txt", old.as_bytes()).unwrap_err();
    assert!(matches!(err, ImportError::Unsupported { .. }));
    assert!(err.to_string().contains("2018"), "{err}");
    let (code, out, err) = import_bounded("2018.txt", old.as_bytes());
    assert_eq!(code, Some(1));
    assert!(out.is_empty());
    assert!(err.contains("before 2019"), "{err}");
    // a text with no report table
    for (name, body) in [
        (
            "notice.txt",
            "关于做好2024年政务公开工作的通知\n各单位：请于3月31日前报送。\n",
        ),
        ("empty.html", "<html><body><p>页面不存在</p></body></html>"),
        ("blank.txt", ""),
    ] {
        let err = import_bytes(name, body.as_bytes()).unwrap_err();
        assert!(
            matches!(err, ImportError::Unsupported { .. }),
            "{name}: {err}"
        );
        let (code, out, err) = import_bounded(name, body.as_bytes());
        assert_eq!(code, Some(1), "{name}");
        assert!(out.is_empty(), "{name}");
        assert!(err.contains("no report table"), "{name}: {err}");
    }
    // a year that does not fit the tables' format: read as the tables say, with a warning
    let text =
        render(&|label, vals| format!("{label} {}\n", vals.join(" "))).replace("2023年", "2020年");
    let imp = import_bytes("y.txt", text.as_bytes()).unwrap();
    assert_eq!(cells(&imp.yaml)["格式"], "2021");
    assert!(has_problem(&imp, "should use the 2019 format"));
}

/// A folder import says which entries it skipped and why, and ends with a summary:
/// imported exactly / incomplete / refused.
#[test]
fn folder_import_summary_and_skipped_entries() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::copy(fixture("seed-chaoyang-2020.txt"), src.join("a-seed.txt")).unwrap();
    std::fs::copy(
        fixture("pingtan_2020_page-txt-tables.txt"),
        src.join("b-pingtan.txt"),
    )
    .unwrap();
    std::fs::write(src.join("c-notice.txt"), "关于报送材料的通知\n").unwrap();
    std::fs::copy(
        fixture("kiro_jinhu-county_2023_llm-parse.json"),
        src.join("d.json"),
    )
    .unwrap();
    std::fs::write(src.join(".hidden.txt"), "x").unwrap();
    let out = dir.path().join("out");
    let s = run(&ImportOptions {
        inputs: vec![src.clone()],
        output: Some(out.clone()),
        ..ImportOptions::default()
    })
    .unwrap();
    assert_eq!(s.files.len(), 3);
    assert_eq!((s.exact(), s.incomplete(), s.failed()), (1, 1, 1));
    let skipped: Vec<(String, gouji::import::SkipReason)> = s
        .skipped
        .iter()
        .map(|(p, r)| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                r.clone(),
            )
        })
        .collect();
    assert_eq!(
        skipped,
        vec![
            (".hidden.txt".into(), gouji::import::SkipReason::Hidden),
            (
                "d.json".into(),
                gouji::import::SkipReason::Extension("json".into())
            ),
            ("sub".into(), gouji::import::SkipReason::Directory),
        ]
    );
    assert!(
        !out.join("c-notice.yaml").exists(),
        "a refused file writes nothing"
    );
    // progress: told before each input, in order, with the count
    let mut seen = Vec::new();
    gouji::import::run_with_progress(
        &ImportOptions {
            inputs: vec![src.clone()],
            output: Some(dir.path().join("out3")),
            ..ImportOptions::default()
        },
        &mut |done, total, path| {
            seen.push((
                done,
                total,
                path.file_name().unwrap().to_string_lossy().into_owned(),
            ))
        },
    )
    .unwrap();
    assert_eq!(
        seen,
        vec![
            (0, 3, "a-seed.txt".to_string()),
            (1, 3, "b-pingtan.txt".to_string()),
            (2, 3, "c-notice.txt".to_string()),
        ]
    );
    // the CLI: skipped entries and the summary line, in English and (by default) Chinese
    let cli = |lang: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"))
            .args(lang)
            .arg("import")
            .arg(&src)
            .arg("-o")
            .arg(dir.path().join("out2"))
            .arg("--force")
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = cli(&["--lang", "en"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("skipped"), "{err}");
    assert!(
        err.contains("d.json: its extension «json» is not one imported"),
        "{err}"
    );
    assert!(
        err.contains("3 files: 1 imported exactly, 1 incomplete, 1 refused; 3 entries skipped"),
        "{err}"
    );
    let (_, err) = cli(&[]);
    assert!(
        err.contains("3 个文件：1 个完整导入，1 个不完整，1 个未导入；跳过 3 项"),
        "{err}"
    );
    // a refusal says the file once, then why; what was written says so, in Chinese
    assert!(
        err.lines().any(|l| l.ends_with(
            "c-notice.txt: 没有找到年度报告的表格（表二、表三、表四的行与列都没有找到），不予导入"
        )),
        "{err}"
    );
    assert!(
        err.contains("b-pingtan.yaml（导入不完整，文件中已写 不完整: true）"),
        "{err}"
    );
    // progress is for a terminal: none in a pipe (or a log)
    assert!(!err.contains("[1/3]"), "{err}");
    // a second run without --force replaces nothing and says so
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"))
        .arg("import")
        .arg(&src)
        .arg("-o")
        .arg(dir.path().join("out2"))
        .output()
        .unwrap();
    let again = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        again.contains("a-seed.yaml 已存在；要覆盖请加 --force"),
        "{again}"
    );
    // problems are in Chinese by default, at their line and column
    assert!(
        err.contains("b-pingtan.txt:1:948: 复议诉讼：数字连写，读作 0 0 0"),
        "{err}"
    );
    assert!(err.contains("跳过"), "{err}");
}

/// The 2021 （六）其他处理 printed as one row reads the same from one paragraph per cell
/// (blank lines between cells) as from one cell per line, and is exact (an info); a
/// group row given values beside its own sub-rows is a warning.
#[test]
fn one_row_six_in_a_2021_report_is_exact_in_every_text_layout() {
    let rows: Vec<(&str, Vec<&str>)> = rows_2021()
        .into_iter()
        .filter(|(l, _)| {
            !l.contains("申请人无正当理由") && !l.contains("申请人逾期") && *l != "3.其他"
        })
        .collect();
    let mut cells_out = vec![
        "示例市自然资源和规划局2023年政府信息公开工作年度报告".to_string(),
        heading(2).into(),
    ];
    for (i, (label, vals)) in rows.iter().enumerate() {
        if label.starts_with("（七）") {
            cells_out.push("（六）其他处理".into());
            cells_out.extend(["3", "1", "0", "0", "0", "0", "4"].map(String::from));
        }
        if i == 6 {
            cells_out.push(heading(3).into());
        }
        cells_out.push(label.to_string());
        cells_out.extend(vals.iter().map(|v| v.to_string()));
    }
    cells_out.push(heading(4).into());
    cells_out.extend(APPEALS.iter().map(|v| v.to_string()));
    for sep in ["\n", "\n\n"] {
        let text = cells_out.join(sep);
        let imp = import_bytes("six.txt", text.as_bytes()).unwrap();
        let c = cells(&imp.yaml);
        req(&c, "办理结果.其他处理", "3 1 0 0 0 0 4");
        for sub in ["逾期不补正", "逾期未缴费", "其他"] {
            assert!(
                !c.keys()
                    .any(|k| k.starts_with(&format!("申请.办理结果.其他处理.{sub}."))),
                "{:?}",
                c.keys()
                    .filter(|k| k.contains("其他处理"))
                    .collect::<Vec<_>>()
            );
        }
        assert!(imp.complete(), "{sep:?}: {:?}", imp.problems);
    }
}

/// A blank cell printed as `&nbsp;`, as an empty cell, as an empty paragraph in a cell
/// (HTML) or as a cell with an empty paragraph (DOCX) is a blank in its own column: never
/// 0, and the cells after it keep their places.
#[test]
fn blank_cells_in_html_and_docx_keep_their_places() {
    for blank in ["&nbsp;", "", "<p></p>", "<p>&nbsp;</p>", " \n "] {
        let page = html_report().replace("<td>—</td>", &format!("<td>{blank}</td>"));
        let imp = import_bytes("blank.html", page.as_bytes()).unwrap();
        check_2021(&imp);
        // a blank inside a section-三 row, between numbers
        let page = html_report().replacen(
            "<td>235</td><td>25</td>",
            &format!("<td>235</td><td>{blank}</td>"),
            1,
        );
        let imp = import_bytes("blank3.html", page.as_bytes()).unwrap();
        let c = cells(&imp.yaml);
        assert_eq!(c["申请.新收.商业企业"], "", "{blank:?}");
        assert_eq!(c["申请.新收.科研机构"], "2", "{blank:?}");
        assert_eq!(c["申请.新收.总计"], "268", "{blank:?}");
    }
    let docx = docx_report();
    let imp = import_bytes("r.docx", &docx).unwrap();
    check_2021(&imp);
    let body = "<w:p><w:r><w:t>示例市2023年政府信息公开工作年度报告</w:t></w:r></w:p><w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t> </w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>6</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
    let imp = import_bytes("b.docx", &docx_bytes(body)).unwrap();
    let c = cells(&imp.yaml);
    assert_eq!(c["主动公开.第一项.规章.本年制发"], "");
    assert_eq!(c["主动公开.第一项.规章.本年废止"], "");
    assert_eq!(c["主动公开.第一项.规章.现行有效"], "6");
}

/// Problems in an HTML or DOCX table are at their table, row and cell, counted as a person
/// counts (a cell merged down from the rows above is a cell of each row it covers), in
/// Chinese by default and in English with `--lang en`: an unrecognised row label (the 11th
/// row of the second table, whose third cell it is after 三、本年度办理结果 and （三）不予公开),
/// a row with eight values for seven columns, an amount in 元 converted into the column's 万元.
#[test]
fn problems_in_html_and_docx_are_at_their_table_row_and_cell() {
    let dir = tempfile::tempdir().unwrap();
    let html = html_report()
        .replace(">4.保护第三方合法权益</td>", ">4.奇怪的行</td>")
        .replace(
            "2.重复申请</td><td>9</td>",
            "2.重复申请</td><td>9</td><td>9</td>",
        )
        .replace("<td>333.45</td>", "<td>3334500元</td>");
    let docx = docx_bytes(
        &docx_report_body()
            .replace("<w:t>4.保护第三方合法权益</w:t>", "<w:t>4.奇怪的行</w:t>")
            .replace(
                "<w:t>2.重复申请</w:t></w:r></w:p></w:tc>",
                "<w:t>2.重复申请</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>9</w:t></w:r></w:p></w:tc>",
            )
            .replace("<w:t>333.45</w:t>", "<w:t>3334500元</w:t>"),
    );
    std::fs::write(dir.path().join("r.html"), html).unwrap();
    std::fs::write(dir.path().join("r.docx"), docx).unwrap();
    let mut shown = Vec::new();
    for name in ["r.html", "r.docx"] {
        for lang in ["zh", "en"] {
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_gouji"))
                .args(["--lang", lang, "import"])
                .arg(name)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(o.status.code(), Some(1), "incomplete: exit 1");
            let yaml = String::from_utf8_lossy(&o.stdout).into_owned();
            let comments: Vec<&str> = yaml.lines().filter(|l| l.starts_with("# 问题")).collect();
            shown.push(format!(
                "$ gouji --lang {lang} import {name}\n{}# in the YAML:\n{}\n",
                String::from_utf8_lossy(&o.stderr),
                comments.join("\n")
            ));
        }
    }
    insta::assert_snapshot!(shown.join("\n"));
    // the library gives the same places as numbers
    let imp = import_bytes("r.docx", &std::fs::read(dir.path().join("r.docx")).unwrap()).unwrap();
    let p = imp
        .problems
        .iter()
        .find(|p| p.message.contains("«4.奇怪的行»"))
        .unwrap_or_else(|| panic!("{:?}", imp.problems));
    assert_eq!(
        (p.line, p.column, p.cell),
        (
            None,
            None,
            Some(gouji::import::TableCell {
                table: 2,
                row: 8,
                cell: 3
            })
        )
    );
}

// ---------------------------------------------------------------- inferred cells (推断)

/// Cells cut from run-together digits by a relation are listed under `推断` with the
/// relation; cells printed whole are not; lint reports each row's relation as not
/// independently verifiable (info, `import/inferred`) for exactly those cells.
#[test]
fn inferred_cells_are_marked_and_lint_reports_their_relation() {
    use gouji::engine::Engine;
    use gouji::finding::Severity as FSeverity;
    use gouji::source::Source;
    const ROW: &str = "总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他";

    // "23 0 00 0 023": only the cells of "00" and "023" were cut
    let imp = import_fixture("pingtan_2019_page-txt-tables.txt");
    let c = cells(&imp.yaml);
    let marked = |c: &BTreeMap<String, String>, row: &str| -> Vec<String> {
        let prefix = format!("推断.申请.{row}.");
        c.iter()
            .filter(|(k, _)| k.starts_with(&prefix) && !k[prefix.len()..].contains('.'))
            .map(|(k, v)| {
                assert!(v.contains(ROW), "{k}: {v}");
                k[prefix.len()..].to_string()
            })
            .collect()
    };
    let mut total = marked(&c, "办理结果.总计");
    total.sort();
    assert_eq!(total, ["其他", "总计", "社会公益组织", "科研机构"]);
    assert_eq!(marked(&c, "新收").len(), 7); // "230 000023"
                                             // section 二 has no sums: nothing there is inferred by a relation
    assert!(!c.keys().any(|k| k.starts_with("推断.主动公开")));

    // settled by the column sums: both relations are named
    let imp = import_fixture("pingtan_2025_page-txt-tables.txt");
    let c = cells(&imp.yaml);
    assert_eq!(
        c["推断.申请.办理结果.予以公开.自然人"],
        format!("办理结果.总计 = Σ 办理结果; {ROW}")
    );
    let engine = Engine::builtin().expect("built-in rules");
    let findings = engine.check(&Source::new("p.yaml", imp.yaml.as_str()), None);
    let inferred: Vec<_> = findings
        .iter()
        .filter(|f| f.rule == "import/inferred")
        .collect();
    assert!(inferred.iter().all(|f| f.severity == FSeverity::Info));
    let settled = inferred
        .iter()
        .find(|f| f.cells.first().map(|c| c.path.as_str()) == Some("申请.办理结果.予以公开.自然人"))
        .expect("a finding for 予以公开");
    assert!(settled
        .message
        .contains("of 申请.办理结果.予以公开 were cut"));
    assert!(settled
        .message
        .contains("«办理结果.总计 = Σ 办理结果; 总计 = "));
    assert_eq!(settled.cells.len(), 7);
    // one finding per row and relation, every marked cell in one of them
    let marked = c.keys().filter(|k| k.starts_with("推断.")).count();
    assert_eq!(
        inferred.iter().map(|f| f.cells.len()).sum::<usize>(),
        marked
    );

    // a report typed by hand (the seed) and an import with nothing cut: no 推断, no finding
    let seed = import_fixture("seed-chaoyang-2020.txt");
    assert!(!seed.yaml.contains("推断"));
    let findings = engine.check(&Source::new("s.yaml", seed.yaml.as_str()), None);
    assert!(!findings.iter().any(|f| f.rule == "import/inferred"));

    // a path that is no cell is said, not ignored
    let text = format!(
        "{}推断:\n  申请.新收.无此列: \"{ROW}\"\n  申请.新收.自然人: \"{ROW}\"\n",
        std::fs::read_to_string("examples/chaoyang-2020.yaml").unwrap()
    );
    let findings = engine.check(&Source::new("h.yaml", text.as_str()), None);
    let msgs: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "import/inferred")
        .map(|f| f.message.as_str())
        .collect();
    insta::assert_snapshot!(msgs.join("\n"));
}
