//! Schema files (`--schema`): formats of one's own, and formats that extend a built-in one.

crate::catalogue! {
    /// Problems in a schema file.
    pub enum SchemaMsg {
        UnknownBase { base: String, names: String } =>
            "`extends: {base}`：没有名为 {base} 的内置格式（内置格式：{names}）",
            "`extends: {base}`: there is no built-in format {base} (built-in formats: {names})",
        ExtendsKeepsName { base: String } =>
            "扩展格式沿用所扩展格式的名称 {base}（内置规则按名称适用），请删去 `name` 或写作 `name: \"{base}\"`",
            "a schema that extends another keeps its name {base} (the built-in rules apply by name): remove `name` or write `name: \"{base}\"`",
        AlreadyInBase { key: String } =>
            "`{key}` 已在所扩展的格式中：扩展只能增加字段、行或列；要在表格或字段组里增加内容，请写在其 `table` 或 `fields` 下",
            "`{key}` is already in the format this extends: an extension only adds fields, rows or columns; to add inside a table or group, write under its `table` or `fields`",
        ExtendsImport { base: String, key: String } =>
            "扩展格式不能有 `{key}`：`gouji import` 只按内置格式 {base} 读取所发布的报告（导入的文件写 `格式: {base}`），其导入设置（`import`、表格的 `total`、`relations`、`print`、`headers`）原样沿用，扩展不能改动；请删去 `{key}`",
            "a schema that extends {base} cannot have `{key}`: `gouji import` reads published reports by the built-in format {base} only (and writes `格式: {base}`), whose import settings (`import`, a table's `total`, `relations`, `print`, `headers`) the extension keeps as they are; remove `{key}`",
        ExpectedTexts =>
            "应为一段文字或文字列表",
            "expected a text or a list of texts",
        BadYear { text: String } =>
            "`years` 需写作 `{{from: 年份}}` 或 `{{from: 年份, to: 年份}}`，「{text}」不是年份",
            "`years` is written `{{from: YEAR}}` or `{{from: YEAR, to: YEAR}}`; `{text}` is not a year",
        UnknownColumn { key: String } =>
            "`total: {key}`：此表没有列 {key}",
            "`total: {key}`: this table has no column {key}",
        ExpectedRelation =>
            "`relations` 是一个列表，每项写作 `{{left: [行, …], right: [行, …]}}`",
            "`relations` is a list of `{{left: [row, …], right: [row, …]}}`",
        UnknownRow { row: String } =>
            "此表没有行 {row}（行路径从表下写起，以 . 分隔）",
            "this table has no row {row} (row paths start below the table, separated by .)",
        Here => "这里", "here",
        NeedsName =>
            "格式文件须有 `name`（格式的名称，报告的 `格式:` 写的就是它），或用 `extends: 2021` 扩展一个内置格式",
            "a schema needs a `name`",
        NeedsFields =>
            "格式文件须有 `fields`：报告的各个字段、表格和字段组",
            "a schema needs `fields`",
        SampleNotFound { file: String } =>
            "找不到样例报告 `{file}`：`sample` 的路径相对于格式文件所在的目录",
            "sample document `{file}` not found",
        ExpectedFields =>
            "这里应是字段的映射，每项写作 `键: 名称` 或 `键: {{label: 名称, kind: count}}`",
            "expected a mapping of fields",
        ExpectedColumns =>
            "这里应是列的映射，每项写作 `键: 名称`",
            "expected a mapping of columns",
        ExpectedRows =>
            "这里应是行的映射，每项写作 `键: 名称`",
            "expected a mapping of rows",
        UnknownKind { kind: String } =>
            "没有 `{kind}` 这种 `kind`：应是 `count`、`signed`、`amount`、`integer`、`text`、`date` 或 `any`",
            "unknown kind `{kind}`: expected count, signed, amount, integer, text, date or any",
        FieldNeedsKind =>
            "字段须有 `kind`（单元格）、`fields`（字段组）、`table`（表格）或 `list`（列表）之一",
            "a field needs `kind`, `fields`, `table` or `list`",
        TableNeedsColumns =>
            "表格须有 `columns`",
            "a table needs `columns`",
        TableNeedsRows =>
            "表格须有 `rows`",
            "a table needs `rows`",
        Unusable { path: String } =>
            "{path}：格式文件无法使用",
            "{path}: not a usable schema",
    }
}

crate::catalogue! {
    /// Said about a report while it is checked.
    pub enum CoverageMsg {
        NoRuleTitle =>
            "没有适用于此格式的规则",
            "no rule applies to this format",
        NoRule { format: String } =>
            "报告的格式为 {format}，但已加载的规则没有一条适用于格式 {format}：只做了结构检查，表内关系均未核对",
            "the report's format is {format}, but no loaded rule applies to format {format}: only its structure was checked, none of its relations",
        NoRuleHelp =>
            "自定义格式若基于国家格式，请在格式文件中写 `extends: 2021`（或 2019），内置规则即可适用；或在规则的 `formats` 中加上此格式",
            "if your format is based on a national one, write `extends: 2021` (or 2019) in the schema file so the built-in rules apply; or add this format to your rules' `formats`",
    }
}
