//! Tolerant label normalisation: full-width and Traditional characters folded,
//! numbering written uniformly, notes and punctuation dropped.

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
}
