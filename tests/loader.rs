//! Issue 2: loading reports — exact cell positions, and a clear, placed diagnostic for
//! every kind of bad input.

use gouji::document::{choose_schema, Document};
use gouji::engine::Engine;
use gouji::finding::Finding;
use gouji::load::{self, decode, LoadError};
use gouji::schema::{Registry, SKind, ROOT};
use gouji::source::{Position, Source};
use gouji::value::Value;

const SEED: &str = include_str!("../examples/chaoyang-2020.yaml");
const SAMPLE_2019: &str = include_str!("../rules/formats/2019.sample.yaml");
const SAMPLE_2021: &str = include_str!("../rules/formats/2021.sample.yaml");

fn pos(line: usize, column: usize) -> Position {
    Position { line, column }
}

/// The cell at a key path: its value, raw text and position.
struct CellAt {
    value: Value,
    raw: String,
    at: Position,
}

fn cell(source: &Source, path: &str) -> CellAt {
    let registry = Registry::builtin();
    let tree = load::parse(source).unwrap_or_else(|e| panic!("{e}"));
    let schema = choose_schema(&tree, &registry).unwrap_or_else(|f| panic!("{f:?}"));
    let node = path
        .split('.')
        .try_fold(ROOT, |n, k| schema.child(n, k))
        .unwrap_or_else(|| panic!("{path} is not in the schema"));
    let SKind::Scalar { slot, .. } = schema.node(node).kind else {
        panic!("{path} is not a cell")
    };
    let doc = Document::bind(source, tree, schema.clone());
    let c = &doc.cells[slot];
    CellAt {
        value: c.value.clone(),
        raw: if c.written {
            source.slice(&c.span).to_string()
        } else {
            String::new()
        },
        at: source.position(c.span.start),
    }
}

/// The span of a key (the key itself, not its value), found by walking the tree.
fn key_position(source: &Source, path: &str) -> (Position, Position) {
    let tree = load::parse(source).unwrap();
    let mut node = tree.root;
    let mut span = 0..0;
    for k in path.split('.') {
        let e = tree
            .get(node, k)
            .unwrap_or_else(|| panic!("no key {k} in {path}"));
        span = e.key_span.clone();
        node = e.value;
    }
    (source.position(span.start), source.position(span.end))
}

fn check_all(source: &Source) -> Vec<Finding> {
    Engine::builtin().unwrap().check(source, None)
}

/// One line per finding: `file:line:column severity rule: message`.
fn render(source: &Source, findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let p = source.position(f.span.start);
            format!(
                "{}:{}:{} {} {}: {}",
                source.name,
                p.line,
                p.column,
                f.severity.as_str(),
                f.rule,
                f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Findings of a report, leaving out the ones the unchanged text already has.
fn new_findings(before: &str, after: &str, name: &str) -> String {
    let base = Source::new(name, before);
    let known: Vec<(String, String)> = check_all(&base)
        .into_iter()
        .map(|f| (f.rule, f.message))
        .collect();
    let src = Source::new(name, after);
    let found: Vec<Finding> = check_all(&src)
        .into_iter()
        .filter(|f| !known.contains(&(f.rule.clone(), f.message.clone())))
        .collect();
    render(&src, &found)
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once"
    );
    text.replacen(from, to, 1)
}

// ---------------------------------------------------------------- positions

fn assert_seed_positions(source: &Source) {
    let c = cell(source, "申请.办理结果.无法提供.不掌握.总计");
    assert_eq!(c.value, Value::Number(183.into()));
    assert_eq!(c.raw, "183");
    assert_eq!(c.at, pos(43, 84));

    let c = cell(source, "申请.办理结果.无法提供.不掌握.自然人");
    assert_eq!(c.raw, "171");
    assert_eq!(c.at, pos(43, 27));

    let c = cell(source, "主动公开.第九项.政府集中采购.采购总金额");
    assert_eq!(c.raw, "79.1500");
    assert_eq!(c.value.to_string(), "79.1500");
    assert_eq!(c.value.as_number().unwrap().scale(), 4);
    assert_eq!(c.at, pos(25, 32));

    let c = cell(source, "复议诉讼.复议后起诉.总计");
    assert_eq!(c.raw, "11");
    assert_eq!(c.at, pos(59, 58));

    let c = cell(source, "年度");
    assert_eq!(c.at, pos(5, 5));

    // A key's span covers the key itself.
    assert_eq!(
        key_position(source, "申请.办理结果.无法提供.不掌握"),
        (pos(43, 7), pos(43, 10))
    );
    assert_eq!(
        key_position(source, "主动公开.第五项.其他对外管理服务事项"),
        (pos(15, 5), pos(15, 15))
    );
}

#[test]
fn seed_cells_have_exact_positions() {
    let source = decode("chaoyang.yaml".into(), SEED.as_bytes().to_vec()).unwrap();
    assert_seed_positions(&source);
}

#[test]
fn crlf_and_bom_keep_the_same_positions() {
    assert!(!SEED.contains('\r'));
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(SEED.replace('\n', "\r\n").into_bytes());
    let source = decode("chaoyang-crlf.yaml".into(), bytes).unwrap();
    assert!(source.text.contains("\r\n"));
    assert!(!source.text.starts_with('\u{feff}'));
    assert_seed_positions(&source);
    // Values do not pick up the carriage return.
    let c = cell(&source, "机关");
    assert_eq!(c.value, Value::Text("北京市朝阳区政务服务管理局".into()));
    // And the findings are the same, at the same places.
    let plain = Source::new("chaoyang.yaml", SEED);
    let a = render(&plain, &check_all(&plain));
    let b = render(&source, &check_all(&source)).replace("chaoyang-crlf.yaml", "chaoyang.yaml");
    assert_eq!(a, b);
}

// ---------------------------------------------------------------- bytes

#[test]
fn invalid_utf8_is_placed() {
    let mut bytes = "机关: 某局\n年度: 20".as_bytes().to_vec();
    bytes.extend([0xFF, 0x30, b'\n']);
    let (source, err) = *decode("bad.yaml".into(), bytes).unwrap_err();
    assert_eq!(err.span(), 25..25);
    assert_eq!(source.position(err.span().start), pos(2, 7));
    insta::assert_snapshot!(err.to_string(), @"文件不是 UTF-8 编码：第 2 行第 7 列有无效字节 0xFF；它既不是 UTF-8 文本，也不是 GBK 文本");
    let f = gouji::engine::load_finding(&err);
    assert_eq!(f.rule, "load/encoding");
    assert!(f.help.unwrap().contains("iconv"));
}

#[test]
fn gbk_text_is_recognised() {
    let text = "机关: 某局\n年度: 2020\n格式: 2019\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    let (source, err) = *decode("gbk.yaml".into(), bytes.into_owned()).unwrap_err();
    assert!(matches!(err, LoadError::Encoding { .. }));
    assert_eq!(source.name, "gbk.yaml");
    assert_eq!(source.position(err.span().start), pos(1, 1));
    insta::assert_snapshot!(err.to_string(), @"文件不是 UTF-8 编码：第 1 行第 1 列有无效字节 0xBB；这些字节可按 GBK/GB18030 读出中文，文件很可能是用旧的中文编码（GBK）保存的");

    // GBK after a valid ASCII prefix: the position is where the first Chinese byte is.
    let (bytes, _, _) = encoding_rs::GBK.encode("格式: 2019\n机关: 某局\n");
    let (source, err) = *decode("gbk2.yaml".into(), bytes.into_owned()).unwrap_err();
    assert_eq!(source.position(err.span().start), pos(1, 1));
    // (局 is 0xBE 0xD6 in GBK: 0xBE cannot start a UTF-8 sequence.)
    let (bytes, _, _) = encoding_rs::GBK.encode("a: 1\nb: 局\n");
    let (source, err) = *decode("gbk3.yaml".into(), bytes.into_owned()).unwrap_err();
    assert_eq!(source.position(err.span().start), pos(2, 4));
    assert!(err.to_string().contains("第 2 行第 4 列"), "{err}");
    assert!(err.to_string().contains("GBK"), "{err}");
}

// ---------------------------------------------------------------- YAML

#[test]
fn malformed_yaml() {
    let src = Source::new("broken.yaml", "机关: 某局\n年度: [2020\n格式: 2019\n");
    insta::assert_snapshot!(render(&src, &check_all(&src)));
}

#[test]
fn duplicate_key_names_both_places() {
    let text = "机关: 某局\n年度: 2020\n格式: 2019\n年度: 2021\n";
    let src = Source::new("dup.yaml", text);
    let err = load::parse(&src).unwrap_err();
    let LoadError::Syntax { message, at } = &err else {
        panic!("{err:?}")
    };
    // The second place is the finding's span; the first is named in the message.
    assert_eq!(src.position(at.start), pos(4, 1));
    assert!(message.contains("第一次出现在第 2 行第 1 列"), "{message}");
    let f = check_all(&src);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].rule, "load/syntax");
    assert!(
        f[0].message.starts_with("键 `年度` 重复"),
        "{}",
        f[0].message
    );
}

/// The first place of a duplicate key is named by line and column.
#[test]
fn duplicate_key_names_the_first_place_as_line_and_column() {
    let src = Source::new(
        "dup.yaml",
        "机关: 某局\n年度: 2020\n格式: 2019\n年度: 2021\n",
    );
    let f = check_all(&src);
    assert!(f[0].message.contains("第 2 行第 1 列"), "{}", f[0].message);
}

/// Too-deep nesting is refused with the loader's own message, which names the limit.
#[test]
fn nesting_message_names_the_limit() {
    let mut text = String::new();
    let mut indent = String::new();
    for i in 0..40 {
        text.push_str(&format!("{indent}k{i}:\n"));
        indent.push_str("  ");
    }
    text.push_str(&format!("{indent}v: 1\n"));
    let src = Source::new("deep.yaml", text);
    let f = check_all(&src);
    assert_eq!(f[0].message, "嵌套超过 32 层，不予读取");
}

#[test]
fn duplicate_cell_in_a_row() {
    let text = replace_once(
        SAMPLE_2019,
        "{自然人: 9, 商业企业: 0,",
        "{自然人: 9, 自然人: 0,",
    );
    let src = Source::new("dup-cell.yaml", text);
    let f = check_all(&src);
    assert_eq!(f.len(), 1, "{}", render(&src, &f));
    assert_eq!(f[0].rule, "load/syntax");
    assert!(
        f[0].message.starts_with("键 `自然人` 重复"),
        "{}",
        f[0].message
    );
    // The second 自然人 (the value 0 follows it) is where the finding points.
    assert_eq!(src.position(f[0].span.start), pos(42, 27));
}

#[test]
fn empty_files() {
    for text in ["", "   \n\n", "# only a comment\n"] {
        let src = Source::new("empty.yaml", text);
        let f = check_all(&src);
        assert_eq!(f.len(), 1, "{text:?}: {f:?}");
        assert_eq!(f[0].rule, "load/empty", "{text:?}");
        assert_eq!(f[0].message, "文件为空：其中没有报告", "{text:?}");
        assert_eq!(src.position(f[0].span.start), pos(1, 1));
    }
}

#[test]
fn too_deep_nesting() {
    let mut text = String::from("机关: 某局\n格式: 2019\n");
    let mut indent = String::new();
    for i in 0..40 {
        text.push_str(&format!("{indent}k{i}:\n"));
        indent.push_str("  ");
    }
    text.push_str(&format!("{indent}v: 1\n"));
    let src = Source::new("deep.yaml", text.clone());
    insta::assert_snapshot!(render(&src, &check_all(&src)));

    let flow = format!("a: {}1{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let src = Source::new("deep-flow.yaml", flow);
    let f = check_all(&src);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].rule, "load/syntax");
    assert_eq!(f[0].message, "嵌套超过 32 层，不予读取");
    assert_eq!(src.position(f[0].span.start).line, 1);
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let src = Source::new("bomb.yaml", text);
    let start = std::time::Instant::now();
    let f = check_all(&src);
    assert!(start.elapsed().as_secs() < 5, "took {:?}", start.elapsed());
    insta::assert_snapshot!(render(&src, &f));
}

#[test]
fn several_documents() {
    let src = Source::new(
        "two.yaml",
        "机关: 某局\n年度: 2020\n格式: 2019\n---\n机关: 另一局\n",
    );
    insta::assert_snapshot!(render(&src, &check_all(&src)));
}

// ---------------------------------------------------------------- shape

#[test]
fn unknown_keys_suggest_the_template_key() {
    let text = replace_once(SAMPLE_2019, "  新收:  ", "  新收x:  ");
    let text = replace_once(
        &text,
        "法律法规禁止:    {自然人: 0,",
        "法律法规禁止:    {自然入: 0,",
    );
    insta::assert_snapshot!(new_findings(SAMPLE_2019, &text, "typo.yaml"));
}

#[test]
fn missing_table_row_and_column() {
    // A whole table.
    let cut = SAMPLE_2019.find("复议诉讼:").unwrap();
    let no_table = &SAMPLE_2019[..cut];
    insta::assert_snapshot!(
        "missing_table",
        new_findings(SAMPLE_2019, no_table, "t.yaml")
    );

    // A row.
    let row = SAMPLE_2019
        .lines()
        .find(|l| l.trim_start().starts_with("上年结转:"))
        .unwrap();
    let no_row = replace_once(SAMPLE_2019, &format!("{row}\n"), "");
    insta::assert_snapshot!("missing_row", new_findings(SAMPLE_2019, &no_row, "r.yaml"));

    // A column.
    let no_col = replace_once(
        SAMPLE_2019,
        "行政复议:         {结果维持: 17, 结果纠正: 0, 其他结果: 0, 尚未审结: 2, 总计: 19}",
        "行政复议:         {结果维持: 17, 其他结果: 0, 尚未审结: 2, 总计: 19}",
    );
    insta::assert_snapshot!(
        "missing_column",
        new_findings(SAMPLE_2019, &no_col, "c.yaml")
    );
}

#[test]
fn text_where_a_number_belongs() {
    let cases = [
        ("quoted", "总计: 182}", "总计: \"182\"}"),
        ("unit", "采购总金额: 79.1500", "采购总金额: 251000元"),
        ("full_width", "{自然人: 171,", "{自然人: １７１,"),
    ];
    for (name, from, to) in cases {
        let text = replace_once(SAMPLE_2019, from, to);
        let src = Source::new("n.yaml", text);
        let got: Vec<Finding> = check_all(&src)
            .into_iter()
            .filter(|f| f.rule.starts_with("structure/"))
            .collect();
        insta::assert_snapshot!(name, render(&src, &got));
    }
}

/// Text in a cell makes the sums it feeds unknown: only the structural finding is reported,
/// never a total computed with that cell silently left out.
#[test]
fn text_in_a_cell_does_not_cascade_into_wrong_sums() {
    for (from, to) in [
        ("总计: 182}", "总计: \"182\"}"),
        ("{自然人: 171,", "{自然人: １７１,"),
    ] {
        let text = replace_once(SAMPLE_2019, from, to);
        let src = Source::new("n.yaml", text);
        let f = check_all(&src);
        let rules: Vec<&str> = f.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["structure/not-a-number"], "{}", render(&src, &f));
    }
}

#[test]
fn negative_and_fractional_counts() {
    let text = replace_once(SAMPLE_2019, "{自然人: 171,", "{自然人: -171,");
    let text = replace_once(&text, "{自然人: 9,", "{自然人: 8.5,");
    let src = Source::new("neg.yaml", text.clone());
    let got: Vec<Finding> = check_all(&src)
        .into_iter()
        .filter(|f| f.rule.starts_with("structure/"))
        .collect();
    insta::assert_snapshot!(render(&src, &got));
    // 本年增减 is signed: a negative change is fine there.
    let signed = replace_once(
        SAMPLE_2019,
        "行政许可: {上一年项目数: 0, 本年增减: 0,",
        "行政许可: {上一年项目数: 5, 本年增减: -3,",
    );
    let src = Source::new("signed.yaml", signed);
    let f = check_all(&src);
    assert!(
        !f.iter().any(|f| f.rule == "structure/negative-count"),
        "{}",
        render(&src, &f)
    );
}

#[test]
fn unknown_format() {
    let text = replace_once(SAMPLE_2019, "格式: 2019", "格式: 2020");
    let src = Source::new("fmt.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @"fmt.yaml:4:5 error structure/unknown-format: `格式: 2020` 不是已知的格式；已知格式：2019、2021");
    let text = replace_once(SAMPLE_2019, "格式: 2019\n", "");
    let src = Source::new("nofmt.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @"nofmt.yaml:2:1 error structure/unknown-format: 报告缺少 `格式` 字段，无法确定格式；已知格式：2019、2021");
}

#[test]
fn report_of_2021_on_the_2019_template() {
    let text = replace_once(SAMPLE_2019, "年度: 2020", "年度: 2021");
    insta::assert_snapshot!(new_findings(SAMPLE_2019, &text, "late.yaml"), @"late.yaml:3:5 warning template/2019-format-year: 报告年度为 2021，却使用 2019 年格式");
}

/// The 2021 sample with （六）其他处理 written as one row instead of its three sub-rows.
fn merged_2021() -> String {
    let start = SAMPLE_2021.find("    其他处理:\n").unwrap();
    let end = SAMPLE_2021[start..].find("    总计:").unwrap() + start;
    let merged = format!(
        "{}    其他处理:          {{自然人: 8, 商业企业: 1, 科研机构: 0, 社会公益组织: 0, 法律服务机构: 0, 其他: 0, 总计: 9}}\n{}",
        &SAMPLE_2021[..start],
        &SAMPLE_2021[end..]
    );
    merged
}

#[test]
fn merged_rows_on_the_2021_template() {
    let src = Source::new("merged.yaml", merged_2021());
    let got: Vec<Finding> = check_all(&src)
        .into_iter()
        .filter(|f| f.rule.starts_with("structure/"))
        .collect();
    insta::assert_snapshot!(render(&src, &got), @"merged.yaml:45:20 warning structure/merged-rows: 「（六）其他处理」在这里是一行，但本格式把它分为 3 个子行：逾期不补正、逾期未缴费、其他");
}

/// With （六）其他处理 merged, its sub-rows are missing: the sums over them are unknown, so
/// table3/result-total does not report totals that leave 其他处理 out.
#[test]
fn merged_rows_do_not_cascade() {
    let src = Source::new("merged.yaml", merged_2021());
    let f = check_all(&src);
    assert!(
        f.iter()
            .all(|f| f.severity != gouji::finding::Severity::Error),
        "{}",
        render(&src, &f)
    );
}

#[test]
fn split_row_in_the_seed() {
    let src = Source::new("chaoyang.yaml", SEED);
    let f: Vec<Finding> = check_all(&src)
        .into_iter()
        .filter(|f| f.rule == "structure/split-row")
        .collect();
    insta::assert_snapshot!(render(&src, &f), @"chaoyang.yaml:16:7 warning structure/split-row: 「其他对外管理服务事项」被拆成了子行 行政检查、行政确认，模板中没有这些子行；已保留，但不参与核对");
}

#[test]
fn samples_load_clean() {
    for (name, text) in [("2019", SAMPLE_2019), ("2021", SAMPLE_2021)] {
        let src = Source::new(name, text);
        let f = check_all(&src);
        assert!(f.is_empty(), "{name}: {}", render(&src, &f));
    }
}

/// Issue 9: the format field, and numbers, hidden by look-alike characters are named.
#[test]
fn look_alikes_in_the_format_and_in_numbers_are_named() {
    let text = replace_once(SAMPLE_2019, "格式: 2019", "格式: ２０１９");
    let src = Source::new("fmt.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @"fmt.yaml:4:5 error structure/unknown-format: `格式: ２０１９` 不是已知的格式；已知格式：2019、2021；看来应为 2019：`２０１９` 是全角字符");

    let text = replace_once(SAMPLE_2019, "格式: 2019", "格式\u{200B}: 2019");
    let src = Source::new("fmt.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @r"fmt.yaml:4:1 error structure/unknown-format: 报告缺少 `格式` 字段，无法确定格式；已知格式：2019、2021；`格式\u{200B}` 看来应为 `格式`：其中有不可见字符 U+200B");

    let text = replace_once(SAMPLE_2019, "格式: 2019", "格式：2019");
    let src = Source::new("fmt.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @"fmt.yaml:4:1 error load/syntax: YAML 语法错误：simple key expected ':'（第 4 行有全角冒号“：”：键与值之间须用半角冒号加空格“: ”）");

    let text = replace_once(SAMPLE_2019, "总计: 182}", "总计: 18\u{200B}2}");
    let src = Source::new("n.yaml", text);
    insta::assert_snapshot!(render(&src, &check_all(&src)), @r"n.yaml:38:84 error structure/not-a-number: 「三、本年度办理结果 / （四）无法提供 / 1.本机关不掌握相关政府信息 / 总计」应填数字，却填了“18\u{200B}2”（其中有不可见字符 U+200B：请删去）");
}
