//! Binding a report to its format: the structural findings, keys that only look like the
//! template's, and whether a report could be checked in full.

crate::catalogue! {
    /// The messages of the `structure/*` findings.
    pub enum StructureMsg {
        Root { format: String } =>
            "报告（格式 {format}）",
            "the report (format {format})",
        NoFormats =>
            "没有载入任何报告格式",
            "no report format is loaded",
        NoFormatField { key: String, known: String } =>
            "报告缺少 `{key}` 字段，无法确定格式；已知格式：{known}",
            "the report has no `{key}` field, so its format is unknown; known formats: {known}",
        FormatLookAlike { written: String, key: String, why: String } =>
            "；`{written}` 看来应为 `{key}`：{why}",
            "; `{written}` looks like `{key}`: {why}",
        UnknownFormat { key: String, written: String, known: String, hint: String } =>
            "`{key}: {written}` 不是已知的格式；已知格式：{known}{hint}",
            "`{key}: {written}` is not a known format; known formats: {known}{hint}",
        FormatValueLookAlike { meant: String, why: String } =>
            "；看来应为 {meant}：{why}",
            "; it looks like {meant}: {why}",
        NotAMapping { label: String, children: Children, found: Found } =>
            "「{label}」应按{children}逐项填写，这里却是{found}",
            "「{label}」must be written {children} by {children}, but here it is {found}",
        NotAScalar { label: String } =>
            "「{label}」应是单个值",
            "「{label}」must be a single value",
        SplitRow { label: String, rows: String } =>
            "「{label}」被拆成了子行 {rows}，模板中没有这些子行；已保留，但不参与核对",
            "「{label}」is split into sub-rows {rows} that the template does not have; they are kept but not checked",
        MergedRows { label: String, count: usize, rows: String } =>
            "「{label}」在这里是一行，但本格式把它分为 {count} 个子行：{rows}",
            "「{label}」is one row here, but this format splits it into {count} sub-rows: {rows}",
        Missing { label: String, children: Children, absent: String } =>
            "「{label}」缺少模板规定的{children}：{absent}；涉及它们的核对无法进行",
            "「{label}」lacks the template's {children}: {absent}; the checks that need them cannot run",
        UnknownKey { label: String, key: String } =>
            "「{label}」的模板中没有 `{key}`",
            "the template of 「{label}」has no `{key}`",
        DidYouMean { key: String } =>
            "；是否应为 `{key}`？",
            "; did you mean `{key}`?",
        LookAlikeKey { label: String, key: String, meant: String, why: String } =>
            "「{label}」中的 `{key}` 不是模板的键，看来应为 `{meant}`：{why}",
            "`{key}` in 「{label}」is not the template's key; it looks like `{meant}`: {why}",
        LookAlikeHelp { meant: String, value: String } =>
            "改为 `{meant}: {value}`",
            "write `{meant}: {value}`",
        LookAlikeKeyHelp { meant: String } =>
            "改为模板的键 `{meant}`",
            "write the template's key `{meant}`",
        NotANumber { label: String, text: String, hint: String } =>
            "「{label}」应填数字，却填了“{text}”{hint}",
            "「{label}」must hold a number, but holds “{text}”{hint}",
        NotADate { label: String, text: String } =>
            "「{label}」应填日期（如 2024年1月28日 或 2024-01-28），却填了“{text}”",
            "「{label}」must hold a date (such as 2024年1月28日 or 2024-01-28), but holds “{text}”",
        FractionalCount { label: String, value: String } =>
            "「{label}」是件数，应为整数，却填了 {value}",
            "「{label}」is a count and must be whole, but holds {value}",
        NegativeCount { label: String, value: String } =>
            "「{label}」是件数，不能为负数，却填了 {value}",
            "「{label}」is a count and cannot be negative, but holds {value}",
        HintFullWidth =>
            "（全角数字：请改为半角数字）",
            " (full-width digits: write ASCII digits)",
        HintUnit =>
            "（单元格内有单位或注释：只保留数字）",
            " (a unit or a note in the cell: keep only the number)",
        HintTooPrecise =>
            "（数字的小数位过多或数值过大，无法精确表示：gouji 不作舍入，请核对原文）",
            " (too many decimal places, or too large, to be held exactly: gouji does not round; check the original)",
        HintQuoted =>
            "（数字加了引号：请去掉引号）",
            " (the number is quoted: remove the quotes)",
        HintInvisible { why: String } =>
            "（{why}：请删去）",
            " ({why}: remove it)",
    }
}

crate::catalogue! {
    /// What a template node holds, for "written … by …" and "lacks the template's …".
    pub enum Children {
        Columns => "列", "column",
        Rows => "行", "row",
        Fields => "字段", "field",
    }
}

crate::catalogue! {
    /// What was written where a mapping belongs.
    pub enum Found {
        Single => "单个值", "a single value",
        Other => "其他内容", "something else",
    }
}

crate::catalogue! {
    /// Why a key only looks like the template's (see `keys::Cause`).
    pub enum LookAlike {
        FullWidth { chars: String } =>
            "`{chars}` 是全角字符",
            "`{chars}` is written in full-width characters",
        Compatibility { c: char, code: u32 } =>
            "`{c}`（U+{code:04X}）是兼容汉字或康熙部首，不是通常的汉字",
            "`{c}` (U+{code:04X}) is a compatibility ideograph or a Kangxi radical, not the ordinary character",
        Traditional { written: char, template: char } =>
            "`{written}` 是繁体字，模板用简体 `{template}`",
            "`{written}` is traditional; the template uses the simplified `{template}`",
        Invisible { code: u32 } =>
            "其中有不可见字符 U+{code:04X}",
            "it holds the invisible character U+{code:04X}",
        Bom =>
            "其中有字节顺序标记（BOM，U+FEFF），多半是拼接文件时带入的",
            "it holds a byte-order mark (BOM, U+FEFF), most likely from joining files",
        Space { code: u32 } =>
            "其中有空白字符 U+{code:04X}",
            "it holds the space character U+{code:04X}",
        FullWidthColon =>
            "键后用了全角冒号“：”，值被并进了键",
            "a full-width colon “：” follows the key, so the value became part of the key",
        ColonWithoutSpace =>
            "冒号后没有空格，值被并进了键",
            "no space follows the colon, so the value became part of the key",
    }
}

crate::catalogue! {
    /// How many reports could be checked in full (the human summary).
    pub enum CheckedMsg {
        Summary { files: usize, checked: usize, unchecked: usize } =>
            "{files} 个文件：{checked} 个已完整检查，{unchecked} 个无法完整检查",
            "{files} files: {checked} fully checked, {unchecked} could not be fully checked",
    }
}

impl LookAlike {
    /// The message for one cause.
    pub fn of(cause: &crate::keys::Cause) -> LookAlike {
        use crate::keys::Cause;
        match cause {
            Cause::FullWidth(chars) => LookAlike::FullWidth {
                chars: chars.clone(),
            },
            &Cause::Compatibility(c) => LookAlike::Compatibility { c, code: c as u32 },
            &Cause::Traditional { written, template } => {
                LookAlike::Traditional { written, template }
            }
            &Cause::Invisible(c) => LookAlike::Invisible { code: c as u32 },
            Cause::Bom => LookAlike::Bom,
            &Cause::Space(c) => LookAlike::Space { code: c as u32 },
            Cause::FullWidthColon => LookAlike::FullWidthColon,
            Cause::ColonWithoutSpace => LookAlike::ColonWithoutSpace,
        }
    }

    /// Every cause, joined as one clause.
    pub fn all(causes: &[crate::keys::Cause]) -> String {
        let sep = crate::messages::pick("；", "; ");
        causes
            .iter()
            .map(|c| LookAlike::of(c).to_string())
            .collect::<Vec<_>>()
            .join(sep)
    }
}
