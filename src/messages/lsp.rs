//! The language server (`gouji lsp`): code action titles, hovers, setup problems.

crate::catalogue! {
    /// What the language server says in an editor.
    pub enum LspMsg {
        FixTitle { label: String, from: String, to: String } =>
            "把「{label}」由 {from} 改为 {to}",
            "change 「{label}」 from {from} to {to}",
        IgnoreTitle { rule: String } =>
            "在此行忽略 {rule}",
            "ignore {rule} on this line",
        IgnoreReason =>
            "理由",
            "reason",
        Cell =>
            "单元格",
            "cell",
        Path =>
            "路径",
            "path",
        Value =>
            "值",
            "value",
        Blank =>
            "（空白）",
            "(blank)",
        RulesReading =>
            "读取此单元格的规则",
            "rules that read this cell",
        NoRuleReads =>
            "没有规则读取此单元格",
            "no rule reads this cell",
        Holds =>
            "成立",
            "holds",
        Fails { message: String } =>
            "不成立：{message}",
            "fails: {message}",
        Off =>
            "（未启用）",
            "(off)",
        PlaceholderLhs =>
            "比较式左边的值及其算式",
            "the left side of the comparison, with its arithmetic",
        PlaceholderRhs =>
            "比较式右边的值及其算式",
            "the right side of the comparison, with its arithmetic",
        PlaceholderDiff =>
            "两边之差",
            "the difference of the two sides",
        PlaceholderMatch =>
            "正文中与模式匹配的句子",
            "the sentence of the prose a pattern matched",
        PlaceholderValue =>
            "所核对的值",
            "the value checked",
        Examples =>
            "示例",
            "examples",
        SetupFailed { detail: String } =>
            "无法按项目配置加载规则，本文件改用内置规则核对：{detail}",
            "the project's configuration could not be loaded; this file is checked with the built-in rules: {detail}",
        UnsupportedRequest { method: String } =>
            "gouji 的语言服务器不支持请求 {method}",
            "unsupported request {method}",
        ConfigRules { count: usize } =>
            "此配置所列的规则文件有 {count} 处错误（打开规则文件可见）",
            "the rule files this configuration lists have {count} problem(s) (open them to see)",
    }
}
