//! The two national templates as the importer sees them (row keys, official
//! labels, column keys), and tolerant label normalisation and matching.
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

/// Traditional → simplified for the characters that occur in labels and
/// headings (mirrors of reports are sometimes converted to Traditional).
const TRAD: &[(char, char)] = &[
    ('開', '开'),
    ('規', '规'),
    ('範', '范'),
    ('與', '与'),
    ('處', '处'),
    ('請', '请'),
    ('報', '报'),
    ('數', '数'),
    ('門', '门'),
    ('務', '务'),
    ('機', '机'),
    ('構', '构'),
    ('會', '会'),
    ('業', '业'),
    ('條', '条'),
    ('項', '项'),
    ('關', '关'),
    ('內', '内'),
    ('製', '制'),
    ('總', '总'),
    ('計', '计'),
    ('訴', '诉'),
    ('訟', '讼'),
    ('復', '复'),
    ('複', '复'),
    ('議', '议'),
    ('審', '审'),
    ('結', '结'),
    ('維', '维'),
    ('糾', '纠'),
    ('許', '许'),
    ('罰', '罚'),
    ('強', '强'),
    ('費', '费'),
    ('購', '购'),
    ('採', '采'),
    ('額', '额'),
    ('決', '决'),
    ('類', '类'),
    ('過', '过'),
    ('執', '执'),
    ('詢', '询'),
    ('無', '无'),
    ('現', '现'),
    ('補', '补'),
    ('後', '后'),
    ('確', '确'),
    ('認', '认'),
    ('獲', '获'),
    ('舉', '举'),
    ('訪', '访'),
    ('繳', '缴'),
    ('納', '纳'),
    ('對', '对'),
    ('發', '发'),
    ('廢', '废'),
    ('個', '个'),
    ('體', '体'),
    ('級', '级'),
    ('經', '经'),
    ('轉', '转'),
    ('續', '续'),
    ('辦', '办'),
    ('屬', '属'),
    ('國', '国'),
    ('險', '险'),
    ('穩', '稳'),
    ('護', '护'),
    ('權', '权'),
    ('資', '资'),
    ('檔', '档'),
    ('單', '单'),
    ('實', '实'),
    ('據', '据'),
    ('當', '当'),
    ('區', '区'),
    ('縣', '县'),
    ('鎮', '镇'),
    ('鄉', '乡'),
    ('廳', '厅'),
    ('問', '问'),
    ('題', '题'),
    ('進', '进'),
    ('況', '况'),
    ('況', '况'),
    ('務', '务'),
    ('獨', '独'),
    ('惟', '惟'),
    ('訊', '讯'),
    ('閱', '阅'),
    ('歸', '归'),
    ('環', '环'),
    ('態', '态'),
    ('產', '产'),
    ('應', '应'),
    ('這', '这'),
    ('種', '种'),
    ('擇', '择'),
    ('項', '项'),
    ('費', '费'),
    ('統', '统'),
    ('徵', '征'),
    ('號', '号'),
    ('來', '来'),
    ('層', '层'),
    ('際', '际'),
    ('義', '义'),
    ('紀', '纪'),
    ('們', '们'),
    ('電', '电'),
    ('網', '网'),
    ('頁', '页'),
    ('壹', '壹'),
    ('於', '于'),
    ('盡', '尽'),
    ('衛', '卫'),
    ('衆', '众'),
    ('眾', '众'),
    ('營', '营'),
    ('團', '团'),
    ('組', '组'),
    ('織', '织'),
    ('則', '则'),
    ('權', '权'),
    ('裡', '里'),
    ('級', '级'),
    ('證', '证'),
    ('書', '书'),
    ('設', '设'),
    ('備', '备'),
    ('價', '价'),
    ('務', '务'),
    ('華', '华'),
    ('為', '为'),
    ('並', '并'),
    ('責', '责'),
    ('錄', '录'),
    ('導', '导'),
    ('標', '标'),
    ('準', '准'),
];

/// Fold one character: full-width ASCII to half-width, Traditional to
/// simplified, compatibility forms to their plain form.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            // Keep full-width parentheses: they are the canonical form for labels.
            if c == '（' || c == '）' {
                c
            } else {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
        }
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => TRAD
            .iter()
            .find(|(t, _)| *t == c)
            .map(|(_, s)| *s)
            .unwrap_or(c),
    }
}

/// Normalise label text for matching: fold characters, drop whitespace and
/// punctuation, write numbering uniformly (`1、` `1．` `1. ` → `1.`, `(一)` →
/// `（一）`) and drop long parenthetical notes (`（区分处理的，…）`).
pub fn norm(s: &str) -> String {
    let chars: Vec<char> = s
        .chars()
        .map(fold_char)
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        })
        .filter(|c| !c.is_whitespace() && !is_invisible(*c))
        .collect();
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '（' {
            // Find the closing parenthesis (or the end, for a note cut off by a wrap).
            let close = chars[i + 1..]
                .iter()
                .position(|&d| d == '）' || d == '（')
                .map(|p| p + i + 1);
            let (end, closed) = match close {
                Some(e) if chars[e] == '）' => (e, true),
                Some(e) => (e, false),
                None => (chars.len(), false),
            };
            let inner = end - i - 1;
            if inner > 3 {
                i = if closed { end + 1 } else { end };
                continue;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if matches!(c, '.' | '、' | '．') {
            let prev_digit = out.last().is_some_and(|p| p.is_ascii_digit());
            let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if prev_digit && !next_digit {
                out.push('.');
            } else if c == '、' && out.last().is_some_and(|p| is_cn_numeral(*p)) {
                out.push('、');
            } else if next_digit && prev_digit {
                out.push('.');
            }
            i += 1;
            continue;
        }
        if is_punct(c) {
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out.into_iter().collect()
}

/// Zero-width marks, BOMs and control characters: never part of a label.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{FEFF}' | '\u{2060}') || c.is_control()
}

pub fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn is_punct(c: char) -> bool {
    matches!(
        c,
        ',' | '，'
            | ':'
            | '：'
            | ';'
            | '；'
            | '。'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '·'
            | '|'
            | '#'
            | '*'
            | '`'
            | '「'
            | '」'
            | '《'
            | '》'
            | '【'
            | '】'
            | '['
            | ']'
            | '<'
            | '>'
            | '!'
            | '?'
            | '_'
            | '、'
            | '.'
            | '．'
    )
}

/// The keys a row label can be recognised by: the normalised label, and
/// without its numbering when what is left is long enough to be unambiguous.
pub fn keys(label: &str) -> Vec<String> {
    let n = norm(label);
    let mut out = vec![n.clone()];
    let stripped = strip_numbering(&n);
    if stripped.chars().count() >= 4 && stripped != n {
        out.push(stripped.to_string());
    }
    out
}

/// `（三）不予公开` → `不予公开`, `1.属于…` → `属于…`, `一、本年…` → `本年…`.
pub fn strip_numbering(n: &str) -> &str {
    let mut chars = n.char_indices().peekable();
    match chars.peek().map(|&(_, c)| c) {
        Some('（') => {
            if let Some(close) = n.find('）') {
                let inner = &n['（'.len_utf8()..close];
                if !inner.is_empty()
                    && inner
                        .chars()
                        .all(|c| is_cn_numeral(c) || c.is_ascii_digit())
                {
                    return &n[close + '）'.len_utf8()..];
                }
            }
            n
        }
        Some(c) if c.is_ascii_digit() => {
            let end = n.find(|c: char| !c.is_ascii_digit()).unwrap_or(n.len());
            if n[end..].starts_with('.') {
                &n[end + 1..]
            } else {
                n
            }
        }
        Some(c) if is_cn_numeral(c) => {
            let end = n.find(|c: char| !is_cn_numeral(c)).unwrap_or(n.len());
            if n[end..].starts_with('、') {
                &n[end + '、'.len_utf8()..]
            } else {
                n
            }
        }
        _ => n,
    }
}

/// How a label text was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The text ends with the label.
    Exact,
    /// The text ends with the start of the label (a label wrapped around its numbers).
    Prefix,
    /// The text ends with something within a small edit distance of the label.
    Fuzzy,
}

/// Find which of `candidates` (row index, its keys) the end of `text` names.
/// Returns the row and how it matched; `None` when nothing or more than one
/// row fits equally well.
pub fn match_tail(
    text: &str,
    candidates: &[(usize, Vec<String>)],
) -> Option<(usize, MatchKind, usize)> {
    let t: Vec<char> = text.chars().collect();
    if t.is_empty() {
        return None;
    }
    // 1. exact suffix, longest wins
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kc: Vec<char> = k.chars().collect();
            if kc.len() <= t.len() && t[t.len() - kc.len()..] == kc[..] {
                match best {
                    Some((_, l)) if l > kc.len() => {}
                    Some((r, l)) if l == kc.len() => tie |= r != *row,
                    _ => {
                        best = Some((*row, kc.len()));
                        tie = false;
                    }
                }
            }
        }
    }
    if let Some((row, len)) = best {
        return (!tie).then_some((row, MatchKind::Exact, len));
    }
    // 2. the text ends with the first part of a label (≥ 6 characters of it)
    let mut best: Option<(usize, usize)> = None;
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kc: Vec<char> = k.chars().collect();
            for len in (6..kc.len()).rev() {
                if len <= t.len() && t[t.len() - len..] == kc[..len] {
                    match best {
                        Some((_, l)) if l > len => {}
                        Some((r, l)) if l == len => tie |= r != *row,
                        _ => {
                            best = Some((*row, len));
                            tie = false;
                        }
                    }
                    break;
                }
            }
        }
    }
    if let Some((row, len)) = best {
        return (!tie).then_some((row, MatchKind::Prefix, len));
    }
    // 3. a typo: small edit distance against a tail of about the same length
    let mut best: Option<(usize, usize, usize)> = None; // row, distance, tail length
    let mut tie = false;
    for (row, ks) in candidates {
        for k in ks {
            let kl = k.chars().count();
            if kl < 6 {
                continue;
            }
            let allowed = kl / 4;
            for len in kl.saturating_sub(allowed)..=kl + allowed {
                if len == 0 || len > t.len() {
                    continue;
                }
                let tail: String = t[t.len() - len..].iter().collect();
                let d = strsim::levenshtein(&tail, k);
                if d <= allowed {
                    match best {
                        Some((_, bd, _)) if bd < d => {}
                        Some((r, bd, _)) if bd == d => tie |= r != *row,
                        _ => {
                            best = Some((*row, d, len));
                            tie = false;
                        }
                    }
                }
            }
        }
    }
    match best {
        Some((row, _, len)) if !tie => Some((row, MatchKind::Fuzzy, len)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_folds_numbering_notes_and_width() {
        assert_eq!(
            norm("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            "（二）部分公开"
        );
        assert_eq!(
            norm("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)"),
            "（二）部分公开"
        );
        assert_eq!(norm("1、属于国家秘密"), "1.属于国家秘密");
        assert_eq!(norm("1. 属于国家秘密"), "1.属于国家秘密");
        assert_eq!(norm("總 計"), "总计");
        assert_eq!(norm("規範性檔案"), "规范性档案");
        // a note cut off by a line wrap
        assert_eq!(
            norm("（二）部分公开（区分处理的，只计这一情"),
            "（二）部分公开"
        );
    }

    #[test]
    fn tail_matching() {
        let cands: Vec<(usize, Vec<String>)> = vec![
            (0, keys("1.属于国家秘密")),
            (1, keys("2.其他法律行政法规禁止公开")),
            (2, keys("3.其他")),
        ];
        assert_eq!(
            match_tail(&norm("（三）不予公开1.属于国家秘密"), &cands).map(|m| m.0),
            Some(0)
        );
        assert_eq!(
            match_tail(&norm("2.其他法律行政止公开"), &cands).map(|m| (m.0, m.1)),
            Some((1, MatchKind::Fuzzy))
        );
        assert_eq!(match_tail(&norm("法律服务机构其他"), &cands), None);
        assert_eq!(
            match_tail(&norm("2.其他法律行政法规禁"), &cands).map(|m| (m.0, m.1)),
            Some((1, MatchKind::Prefix))
        );
    }
}
