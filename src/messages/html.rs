//! The HTML report (`gouji lint --format html`): every word of the page around the reports'
//! own labels and the findings' messages.

crate::catalogue! {
    /// Headings, labels and buttons of the HTML report.
    pub enum HtmlMsg {
        LangTag => "zh-CN", "en",
        PageTitle => "勾稽检查报告", "gouji report",
        Generator { version: String } =>
            "由 gouji {version} 生成：逐一核对政府信息公开工作年度报告的勾稽关系",
            "made by gouji {version}: the arithmetic of government information-disclosure annual reports, checked",
        Overview => "总览", "Overview",
        FilesChecked => "检查文件", "files checked",
        FullyChecked => "完整核对", "fully checked",
        FullyCheckedHelp =>
            "能读取、格式明确，且没有缺表缺行、文字占数、合并子行或导入不完整，所有规则都能核对到",
            "readable, of a known format, with no missing table or row, no text in a number cell, no merged rows and no incomplete import: every rule could check it",
        WithErrors => "有错误", "with errors",
        WithWarnings => "仅有警告", "warnings only",
        Clean => "无问题", "clean",
        Unreadable => "无法读取", "unreadable",
        ErrorsTotal => "错误", "errors",
        WarningsTotal => "警告", "warnings",
        ByRule => "按规则统计", "Findings by rule",
        Rule => "规则", "rule",
        Count => "处数", "count",
        Grid => "机关 × 年度", "Agency × year",
        GridHelp =>
            "每格为该机关该年度报告的核对结果；点击跳到报告",
            "each cell is the result of that agency's report for that year; click to go to the report",
        GridCell { status: String, errors: usize, warnings: usize } =>
            "{status}：{errors} 处错误，{warnings} 处警告",
            "{status}: {errors} errors, {warnings} warnings",
        Agency => "机关", "agency",
        Year => "年度", "year",
        UnknownAgency => "（未写机关）", "(no agency)",
        UnknownYear => "？", "?",
        NoneFound => "所有报告都已核对，没有发现问题。", "Every report was checked and nothing was found.",
        Reports => "有问题的报告", "Reports with findings",
        Filters => "筛选", "Filters",
        FilterRule => "规则", "Rule",
        FilterSeverity => "级别", "Severity",
        FilterAgency => "机关", "Agency",
        Search => "搜索", "Search",
        SearchPlaceholder => "文件名、机关、规则或说明中的文字", "text in a file name, agency, rule or message",
        All => "全部", "all",
        Shown { shown: String, total: usize } =>
            "显示 {shown} / {total} 份报告", "{shown} of {total} reports shown",
        NothingShown => "没有符合筛选条件的报告。", "No report matches the filters.",
        Error => "错误", "error",
        Warning => "警告", "warning",
        Info => "提示", "info",
        Findings => "发现的问题", "Findings",
        FindingCount { errors: usize, warnings: usize, infos: usize } =>
            "{errors} 处错误 · {warnings} 处警告 · {infos} 处提示",
            "{errors} errors · {warnings} warnings · {infos} notes",
        Repair => "修正", "Repair",
        RepairText { label: String, from: String, to: String } =>
            "把「{label}」由 {from} 改为 {to}",
            "change 「{label}」 from {from} to {to}",
        Resolves { n: usize } => "可同时解决 {n} 处问题", "resolves {n} findings at once",
        MoreTables { n: usize } => "本报告其余 {n} 张表（无问题）", "the report's other {n} tables (nothing found)",
        Cells => "涉及的单元格", "Cells",
        At { line: usize, column: usize } => "第 {line} 行第 {column} 列", "line {line}, column {column}",
        NoTables =>
            "这份文件没有能画出的表格（未能读取或格式不明）。",
            "There are no tables to draw for this file (it could not be read, or its format is unknown).",
        Missing => "缺", "missing",
        Legend => "图例", "Legend",
        LegendError => "错误所涉单元格", "cell of an error",
        LegendWarning => "警告所涉单元格", "cell of a warning",
        LegendFix => "建议修改的单元格", "cell to change",
        Format => "格式", "format",
        Back => "回到总览", "back to the overview",
        JsOff =>
            "脚本未运行：筛选与搜索不可用，其余内容完整。",
            "Scripts are off: filters and search do not work; everything else is here.",
    }
}
