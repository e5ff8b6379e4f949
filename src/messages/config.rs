//! `gouji.toml`: what is wrong in the project's configuration file, and where.

crate::catalogue! {
    /// Problems in `gouji.toml`.
    pub enum ConfigMsg {
        At { path: String, line: usize, column: usize, problem: String } =>
            "{path} 第 {line} 行第 {column} 列：{problem}",
            "{path}:{line}:{column}: {problem}",
        Unreadable { path: String, detail: String } =>
            "无法读取配置文件 {path}：{detail}",
            "cannot read {path}: {detail}",
        UnknownKey { key: String } =>
            "没有 `{key}` 这个设置项；可用的有 `rules`、`default-rules`、`schema`、`select`、`ignore` 和 `[severity]`",
            "unknown setting `{key}`; the settings are rules, default-rules, schema, select, ignore and [severity]",
        WrongType { expected: String } =>
            "值的类型不对：这里应是{expected}",
            "wrong type of value: expected {expected}",
        List => "一个列表，例如 [\"rules/本地.gouji\"]", "a list, e.g. [\"rules/local.gouji\"]",
        Bool => "真假值 `true` 或 `false`", "true or false",
        Text => "一个带引号的字符串", "a quoted string",
        Table => "一个表，例如 [severity] 之下的 \"table3\" = \"warning\"", "a table, e.g. \"table3\" = \"warning\" under [severity]",
        Duplicate =>
            "同一个设置项写了两次：删去其中一个",
            "a setting is given twice: remove one",
        UnclosedArray =>
            "列表缺少结尾的 `]`",
            "unclosed array, expected `]`",
        NoValue =>
            "设置项后缺少 `= 值`：设置写作 `名称 = 值`",
            "key with no value, expected `=`",
        Syntax =>
            "TOML 写法有误（设置写作 `名称 = 值`，字符串加双引号，列表写在 [ ] 中）",
            "invalid TOML",
        Detail { detail: String } =>
            "（TOML 解析器的原文：`{detail}`）",
            "",
        BadSeverity { rule: String, sev: String } =>
            "`{rule}` 的级别须是 `error`、`warning` 或 `info`，不能是 `{sev}`",
            "severity of `{rule}` must be error, warning or info, not `{sev}`",
    }
}
