//! The lint run's own words: the summary tables, the formats' headers, file problems.

crate::catalogue! {
    /// Around a lint run.
    pub enum RenderMsg {
        ByRule => "按规则：", "By rule:",
        RuleLine { id: String, title: String, errors: usize, warnings: usize } =>
            "  {id}  {title}：错误 {errors}，警告 {warnings}",
            "  {id}  {title}: {errors} errors, {warnings} warnings",
        WorstFiles => "错误最多的文件：", "Files with the most errors:",
        FileLine { name: String, errors: usize } =>
            "  {name}：{errors} 个错误",
            "  {name}: {errors} errors",
        ByAgency => "按机关和年度：", "By agency and year:",
        AgencyLine { agency: String, year: String, files: usize, failing: usize, errors: usize } =>
            "  {agency} {year}：{files} 份报告，{failing} 份有错误，共 {errors} 个错误",
            "  {agency} {year}: {files} reports, {failing} with errors, {errors} errors",
        Unknown => "（未写明）", "(not given)",
        NoReports { paths: String } =>
            "{paths} 中没有报告（*.yaml、*.yml）",
            "no report (*.yaml, *.yml) in {paths}",
        ConfigUsed { path: String } =>
            "使用配置文件 {path}",
            "using configuration {path}",
        NeedsOutputFile { format: String } =>
            "--format {format} 写的是二进制文件，须用 -o/--output-file 指定文件",
            "--format {format} writes a binary file: give it one with -o/--output-file",
        OutputIsTerminal { format: String, path: String } =>
            "--format {format} 写的是二进制文件，不能写到终端（{path}）；请用 -o 指定一个文件",
            "--format {format} writes a binary file, not for a terminal ({path}): give -o a file",
        OutputFile { path: String, detail: String } =>
            "无法创建输出文件 {path}：{detail}",
            "cannot create the output file {path}: {detail}",
        NoSuchPath { path: String } =>
            "{path}：没有这个文件或目录",
            "{path}: no such file or directory",
        UnknownFormat { format: String } =>
            "未知的输出格式 `{format}`",
            "unknown format `{format}`",
        Progress =>
            "{{spinner}} 已检查 {{pos}} 个文件（{{per_sec}}）",
            "{{spinner}} {{pos}} files checked ({{per_sec}})",
        // What each `--format` writes (`FormatSpec::about`, shown by `--help`).
        FormatHuman => "给人看：每个问题连同其单元格在报告中的名称", "for people: each finding with its cells labelled in the report's text",
        FormatConcise => "每个问题一行：路径:行:列: 级别 规则 说明", "one line per finding: path:line:col: severity rule message",
        FormatJson => "给脚本用（docs/json-output.md）", "for scripts (docs/json-output.md)",
        FormatSarif => "给代码扫描用（SARIF 2.1.0）", "for code scanning (SARIF 2.1.0)",
        FormatGithub => "GitHub 工作流注解", "GitHub workflow annotations",
        FormatCsv => "每个问题一行，带 BOM 的 UTF-8（可用 Excel 打开）", "one row per finding, UTF-8 with BOM (opens in Excel)",
        FormatHtml =>
            "给人看的单个 HTML 页面：概览、官方表格、筛选（docs/html-report.md）",
            "one self-contained HTML page for people: overview, official tables, filters (docs/html-report.md)",
        FormatXlsx =>
            "Excel 工作簿：问题、汇总、报告（须用 -o FILE）",
            "an Excel workbook: findings, summary, reports (needs -o FILE)",
        /// Before a finding's repair hint under its drawing (miette's place for `help:`),
        /// 8 columns wide in both languages so that wrapped lines align.
        HelpLabel => "  建议：", "  help: ",
        PriorCell { file: String, line: usize, column: usize } =>
            "上年报告 {file}:{line}:{column}",
            "last year's report {file}:{line}:{column}",
        CrashTitle => "检查此文件时 gouji 内部出错", "gouji failed internally on this file",
        Crash { detail: String } =>
            "检查或输出此文件时 gouji 内部出错（{detail}）；其他文件不受影响。请报告此问题",
            "gouji failed internally while checking or writing this file ({detail}); other files are unaffected. Please report it",
    }
}

crate::catalogue! {
    /// Column names of the CSV and spreadsheet outputs.
    pub enum ColumnMsg {
        File => "文件", "file",
        Line => "行", "line",
        Column => "列", "column",
        EndLine => "结束行", "end line",
        EndColumn => "结束列", "end column",
        Severity => "级别", "severity",
        Rule => "规则", "rule",
        Title => "标题", "title",
        Message => "说明", "message",
        Agency => "机关", "agency",
        Year => "年度", "year",
        Cells => "单元格", "cells",
        Fix => "修改建议", "fix",
        Values => "数值", "values",
        Repair => "修正", "repair",
        Format => "格式", "format",
        Status => "状态", "status",
        Errors => "错误", "errors",
        Warnings => "警告", "warnings",
        Infos => "提示", "infos",
        Reports => "报告数", "reports",
        Failing => "有错误的报告", "reports with errors",
    }
}

crate::catalogue! {
    /// The spreadsheet (`--format xlsx`): sheet names, headings, statuses.
    pub enum XlsxMsg {
        FindingsSheet => "问题", "Findings",
        SummarySheet => "汇总", "Summary",
        ReportsSheet => "报告", "Reports",
        Totals => "合计", "Totals",
        Files => "文件", "files",
        FullyChecked => "已完整检查", "fully checked",
        NotChecked => "未能完整检查", "could not be checked",
        ByRule => "按规则", "By rule",
        ByAgency => "按机关和年度", "By agency and year",
        Grid => "机关 × 年度：错误数", "Agency × year: errors",
        Error => "错误", "error",
        Warning => "警告", "warning",
        Info => "提示", "info",
        Edit { label: String, from: String, to: String } =>
            "「{label}」：{from} → {to}", "「{label}」: {from} → {to}",
        Open => "（待定）", "(open)",
        RowsLeftOut { n: u64 } =>
            "表格行数已达 Excel 上限，其后 {n} 行未列出；完整结果请用 --format json 或 csv",
            "Excel's row limit is reached: {n} more rows are not listed; use --format json or csv for all of them",
        TempDir { detail: String } =>
            "无法在临时目录中创建表格的工作文件：{detail}",
            "cannot create the spreadsheet's working files in the temporary directory: {detail}",
        Failed { detail: String } =>
            "无法写出 xlsx 文件：{detail}",
            "cannot write the xlsx file: {detail}",
    }
}

crate::catalogue! {
    /// The closing totals of a human run, on stderr (`s` is the English plural ending).
    pub enum TotalsMsg {
        Files { n: usize, s: &'static str } => "{n} 个文件", "{n} file{s}",
        Errors { n: usize, s: &'static str } => "{n} 个错误", "{n} error{s}",
        Warnings { n: usize, s: &'static str } => "{n} 个警告", "{n} warning{s}",
        Infos { n: usize } => "{n} 条提示", "{n} info",
        Unreadable { n: usize } => "{n} 个无法读取", "{n} unreadable",
        Baselined { n: usize } => "{n} 条已列入基线", "{n} baselined",
        Separator => "，", ", ",
        Line { parts: String, secs: String } => "{parts}，用时 {secs} 秒", "{parts} in {secs}s",
    }
}
