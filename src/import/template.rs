//! The two national templates as the importer sees them (row keys, official
//! labels, column keys).
//!
//! Keys and labels mirror `rules/formats/2019.yaml` and `2021.yaml` (kept by
//! hand; `tests/import.rs` cross-checks every path and label against the
//! built-in schemas through [`super::template_paths`] and
//! [`super::template_labels`]). This is the importer's only copy of the
//! template: row labels, column keys and the column headers the template
//! prints (used to tell a printed header that differs, see `headers.rs`).

/// Which national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2019,
    V2021,
}

impl Version {
    pub fn name(self) -> &'static str {
        match self {
            Version::V2019 => "2019",
            Version::V2021 => "2021",
        }
    }
}

/// How the cells of one row relate; used to choose between splits of digits
/// that were run together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SumRule {
    /// No relation known (section 二).
    None,
    /// The last column is the sum of the others (section 三).
    LastIsSum,
    /// Groups of five, each fifth the sum of the four before it (section 四).
    Fives,
}

/// The report section a table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Active,
    Requests,
    Appeals,
    Problems,
    Other,
}

#[derive(Debug, Clone)]
pub struct RowSpec {
    /// Keys from the table down to this row, e.g. `["办理结果", "不予公开", "国家秘密"]`.
    pub path: Vec<&'static str>,
    /// Official label first, then accepted variants.
    pub labels: Vec<&'static str>,
    /// A group row (its cells normally live in its children).
    pub group: bool,
    pub optional: bool,
}

/// One column: its key in the document and the header the template prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnSpec {
    pub key: &'static str,
    pub label: &'static str,
}

#[derive(Debug, Clone)]
pub struct TableSpec {
    pub section: Section,
    /// Keys from the document root to the table.
    pub path: Vec<&'static str>,
    pub columns: Vec<ColumnSpec>,
    pub rows: Vec<RowSpec>,
    pub rule: SumRule,
    /// The key under which the document records printed column headers, for
    /// the tables whose schema declares `headers:` (2019 第九项: `表头`).
    pub headers: Option<&'static str>,
}

impl TableSpec {
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    pub fn column_keys(&self) -> Vec<&'static str> {
        self.columns.iter().map(|c| c.key).collect()
    }
}

/// Columns whose key is their printed label.
fn same(keys: &[&'static str]) -> Vec<ColumnSpec> {
    keys.iter()
        .map(|&k| ColumnSpec { key: k, label: k })
        .collect()
}

/// Columns from (key, printed label) pairs.
fn cols(pairs: &[(&'static str, &'static str)]) -> Vec<ColumnSpec> {
    pairs
        .iter()
        .map(|&(key, label)| ColumnSpec { key, label })
        .collect()
}

fn row(path: &[&'static str], labels: &[&'static str]) -> RowSpec {
    RowSpec {
        path: path.to_vec(),
        labels: labels.to_vec(),
        group: false,
        optional: false,
    }
}

fn group(path: &[&'static str], labels: &[&'static str]) -> RowSpec {
    RowSpec {
        group: true,
        ..row(path, labels)
    }
}

fn subtotal(path: &[&'static str]) -> RowSpec {
    RowSpec {
        optional: true,
        ..row(path, &["小计"])
    }
}

const APPLICANTS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
const OUTCOMES: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// Every table of one format, in document order.
pub fn tables(v: Version) -> Vec<TableSpec> {
    let mut t = Vec::new();
    let active = |key: &'static str, columns: Vec<ColumnSpec>, rows: Vec<RowSpec>| TableSpec {
        section: Section::Active,
        path: vec!["主动公开", key],
        columns,
        rows,
        rule: SumRule::None,
        headers: None,
    };
    match v {
        Version::V2019 => {
            let items = cols(&[
                ("上一年项目数", "上一年项目数量"),
                ("本年增减", "本年增/减"),
                ("处理决定数", "处理决定数量"),
            ]);
            t.push(active(
                "第一项",
                cols(&[
                    ("本年新制作", "本年新制作数量"),
                    ("本年新公开", "本年新公开数量"),
                    ("对外公开总数", "对外公开总数量"),
                ]),
                vec![
                    row(&["规章"], &["规章"]),
                    row(&["规范性文件"], &["规范性文件", "规范性档案"]),
                ],
            ));
            t.push(active(
                "第五项",
                items.clone(),
                vec![
                    row(&["行政许可"], &["行政许可"]),
                    row(&["其他对外管理服务事项"], &["其他对外管理服务事项"]),
                ],
            ));
            t.push(active(
                "第六项",
                items.clone(),
                vec![
                    row(&["行政处罚"], &["行政处罚"]),
                    row(&["行政强制"], &["行政强制"]),
                ],
            ));
            t.push(active(
                "第八项",
                items[..2].to_vec(),
                vec![row(&["行政事业性收费"], &["行政事业性收费"])],
            ));
            t.push(TableSpec {
                headers: Some("表头"),
                ..active(
                    "第九项",
                    cols(&[("采购项目数", "采购项目数量"), ("采购总金额", "采购总金额")]),
                    vec![row(&["政府集中采购"], &["政府集中采购"])],
                )
            });
        }
        Version::V2021 => {
            t.push(active(
                "第一项",
                cols(&[
                    ("本年制发", "本年制发件数"),
                    ("本年废止", "本年废止件数"),
                    ("现行有效", "现行有效件数"),
                ]),
                vec![
                    row(&["规章"], &["规章"]),
                    // Some reports keep the 2019 wording 规范性文件 on the 2021 template.
                    row(
                        &["行政规范性文件"],
                        &[
                            "行政规范性文件",
                            "规范性文件",
                            "行政规范性档案",
                            "规范性档案",
                        ],
                    ),
                ],
            ));
            let decisions = cols(&[("处理决定数", "本年处理决定数量")]);
            t.push(active(
                "第五项",
                decisions.clone(),
                vec![row(&["行政许可"], &["行政许可"])],
            ));
            t.push(active(
                "第六项",
                decisions,
                vec![
                    row(&["行政处罚"], &["行政处罚"]),
                    row(&["行政强制"], &["行政强制"]),
                ],
            ));
            t.push(active(
                "第八项",
                cols(&[("收费金额", "本年收费金额（单位：万元）")]),
                vec![row(&["行政事业性收费"], &["行政事业性收费"])],
            ));
        }
    }

    let r = "办理结果";
    let mut rows = vec![
        row(&["新收"], &["一、本年新收政府信息公开申请数量"]),
        row(&["上年结转"], &["二、上年结转政府信息公开申请数量"]),
        group(&[r], &["三、本年度办理结果"]),
        row(&[r, "予以公开"], &["（一）予以公开"]),
        row(
            &[r, "部分公开"],
            &["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"],
        ),
        group(&[r, "不予公开"], &["（三）不予公开"]),
        row(&[r, "不予公开", "国家秘密"], &["1.属于国家秘密"]),
        row(
            &[r, "不予公开", "法律法规禁止"],
            &["2.其他法律行政法规禁止公开"],
        ),
        row(&[r, "不予公开", "三安全一稳定"], &["3.危及“三安全一稳定”"]),
        row(&[r, "不予公开", "第三方权益"], &["4.保护第三方合法权益"]),
        row(&[r, "不予公开", "内部事务"], &["5.属于三类内部事务信息"]),
        row(&[r, "不予公开", "过程性信息"], &["6.属于四类过程性信息"]),
        row(&[r, "不予公开", "执法案卷"], &["7.属于行政执法案卷"]),
        row(&[r, "不予公开", "查询事项"], &["8.属于行政查询事项"]),
        subtotal(&[r, "不予公开", "小计"]),
        group(&[r, "无法提供"], &["（四）无法提供"]),
        row(&[r, "无法提供", "不掌握"], &["1.本机关不掌握相关政府信息"]),
        row(
            &[r, "无法提供", "需另行制作"],
            &["2.没有现成信息需要另行制作"],
        ),
        row(
            &[r, "无法提供", "补正后不明确"],
            &["3.补正后申请内容仍不明确"],
        ),
        subtotal(&[r, "无法提供", "小计"]),
        group(&[r, "不予处理"], &["（五）不予处理"]),
        row(&[r, "不予处理", "信访举报投诉"], &["1.信访举报投诉类申请"]),
        row(&[r, "不予处理", "重复申请"], &["2.重复申请"]),
        row(&[r, "不予处理", "公开出版物"], &["3.要求提供公开出版物"]),
        row(
            &[r, "不予处理", "大量反复申请"],
            &["4.无正当理由大量反复申请"],
        ),
        row(
            &[r, "不予处理", "确认或重新出具"],
            &["5.要求行政机关确认或重新出具已获取信息"],
        ),
        subtotal(&[r, "不予处理", "小计"]),
    ];
    match v {
        Version::V2019 => rows.push(row(&[r, "其他处理"], &["（六）其他处理"])),
        Version::V2021 => rows.extend([
            group(&[r, "其他处理"], &["（六）其他处理"]),
            row(
                &[r, "其他处理", "逾期不补正"],
                &["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
            ),
            row(
                &[r, "其他处理", "逾期未缴费"],
                &["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
            ),
            row(&[r, "其他处理", "其他"], &["3.其他"]),
            subtotal(&[r, "其他处理", "小计"]),
        ]),
    }
    rows.push(row(&[r, "总计"], &["（七）总计"]));
    rows.push(row(&["结转"], &["四、结转下年度继续办理"]));
    t.push(TableSpec {
        section: Section::Requests,
        path: vec!["申请"],
        columns: same(&APPLICANTS),
        rows,
        rule: SumRule::LastIsSum,
        headers: None,
    });
    t.push(TableSpec {
        section: Section::Appeals,
        path: vec!["复议诉讼"],
        columns: same(&OUTCOMES),
        rows: vec![
            row(&["行政复议"], &["行政复议"]),
            // Section 四 is read positionally; the labels are the template's own.
            row(
                &["未经复议直接起诉"],
                &["行政诉讼·未经复议直接起诉", "未经复议直接起诉"],
            ),
            row(&["复议后起诉"], &["行政诉讼·复议后起诉", "复议后起诉"]),
        ],
        rule: SumRule::Fives,
        headers: None,
    });
    t
}

/// Words that only one of the two formats prints (national-format.md §6).
pub const FINGERPRINTS_2019: [&str; 7] = [
    "本年新制作数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "其他对外管理服务事项",
    "第二十条第（九）项",
    "政府集中采购",
];
pub const FINGERPRINTS_2021: [&str; 6] = [
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "行政规范性文件",
];
