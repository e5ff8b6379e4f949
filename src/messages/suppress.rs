//! Inline suppressions and the baseline: ignores that are refused, unknown or unused.

crate::catalogue! {
    /// The messages of the `suppress/*` findings.
    pub enum SuppressMsg {
        Bare { line: usize } =>
            "第 {line} 行的 `# gouji: ignore` 没有写明规则，不予采纳：请写成 `# gouji: ignore[规则] 原因`，只忽略该规则",
            "the `# gouji: ignore` on line {line} names no rule and is refused: write `# gouji: ignore[RULE] reason` to silence that rule only",
        UnknownRule { line: usize, rule: String, hint: String } =>
            "第 {line} 行：gouji: ignore[{rule}] 中的 `{rule}` 不是已知的规则{hint}",
            "line {line}: `{rule}` in gouji: ignore[{rule}] is not a known rule{hint}",
        DidYouMean { rule: String } =>
            "；是否应为 `{rule}`？",
            "; did you mean `{rule}`?",
        Unused { line: usize, rule: String } =>
            "第 {line} 行：gouji: ignore[{rule}] matched nothing（没有压制任何结果），可以删去",
            "line {line}: gouji: ignore[{rule}] matched nothing; it can be removed",
        CannotSilence { line: usize, rule: String } =>
            "第 {line} 行：gouji: ignore[{rule}] 不能压制使报告无法完整检查的结果",
            "line {line}: gouji: ignore[{rule}] cannot silence a finding that stops the report being fully checked",
        BaselineUnused { rule: String, cells: String } =>
            "基线中的条目 {rule}（{cells}）matched nothing（没有匹配任何结果）：问题已改正，或所涉数值已变化",
            "the baseline entry {rule} ({cells}) matched nothing: the problem was fixed, or the values involved changed",
        BaselineUnreadable { path: String, error: String } =>
            "无法读取基线文件 {path}：{error}",
            "cannot read baseline {path}: {error}",
        BaselineNotOurs { path: String, error: String } =>
            "{path} 不是 gouji 的基线文件：{error}",
            "baseline {path} is not a gouji baseline: {error}",
        BaselineTooNew { path: String, version: u32, max: u32 } =>
            "基线文件 {path} 是第 {version} 版，本版 gouji 只能读取第 {max} 版及以前的基线",
            "baseline {path} is version {version}; this gouji reads versions up to {max}",
        BaselineUnwritable { path: String, error: String } =>
            "无法写入基线文件 {path}：{error}",
            "cannot write baseline {path}: {error}",
        BaselineUnknownRule { rule: String } =>
            "基线中的条目名为 `{rule}`，它不是已知的规则",
            "the baseline has an entry for `{rule}`, which is not a known rule",
    }
}
