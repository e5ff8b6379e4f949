//! The command line's own words: `--help` of every command and option, clap's headings,
//! and the sentences `gouji` prints around a run.

crate::catalogue! {
    /// `gouji --help` and the help of each command: what each command and option does.
    pub enum HelpMsg {
        About =>
            "勾稽 — 核对政府信息公开工作年度报告的表内、表间关系",
            "勾稽 — checks that government information-disclosure annual reports balance",
        Lang =>
            "消息的语言：zh（中文，默认）或 en；也可用环境变量 GOUJI_LANG 指定",
            "Language of messages: zh (中文, the default) or en. Also read from GOUJI_LANG",
        Help => "显示帮助", "Print help",
        Version => "显示版本", "Print version",
        HelpCommand => "显示本帮助或所给命令的帮助", "Print this message or the help of the given subcommand(s)",
        HelpCommandArg => "要显示其帮助的命令", "Print help for the subcommand(s)",
        Lint =>
            "核对报告：文件、目录（查找其中的 *.yaml、*.yml），或用 - 表示标准输入",
            "Check reports: files, directories (walked for *.yaml, *.yml), or - for stdin",
        Fix =>
            "给出每份报告的修正方案：改动最少的单元格，使所有合计成立。无需修正时退出码为 0，否则为 1",
            "Show each report's repair plan: the fewest cells whose change makes every sum hold. Exits 0 when nothing needs fixing, 1 otherwise",
        Rules =>
            "列出已加载的规则，或显示一条规则的说明和示例",
            "List the loaded rules, or show one rule's documentation and examples",
        Test =>
            "运行规则文件中的 pass/fail 示例（默认：内置规则包）",
            "Run the pass/fail examples of rule files (default: the built-in packs)",
        Schema =>
            "输出一种报告格式的 JSON Schema（供 yaml-language-server 使用）",
            "Print the JSON Schema of a report format (for yaml-language-server)",
        Import =>
            "把公开发布的报告（文本、HTML、DOCX、PDF）转换为报告 YAML",
            "Convert published reports (text, HTML, DOCX, PDF) to report YAML",
        Lsp =>
            "在标准输入输出上运行语言服务器（供编辑器使用）",
            "Run the language server on standard input and output (for editors)",
        Completions => "输出命令行补全脚本", "Print shell completions",
        Man => "输出 man 手册页", "Print the man page",
        LintPaths => "要核对的文件或目录", "Files or directories to check",
        Format => "输出的格式", "How to write findings",
        Color =>
            "何时给输出着色（auto：在终端上且未设置 NO_COLOR 时）",
            "When to colour human output (`auto`: on a terminal, unless NO_COLOR is set)",
        RulesArg =>
            "规则文件或目录，加在内置规则包之外；`builtin:review` 加上随附的可选规则包",
            "Rule files or directories, added to the built-in packs; `builtin:review` adds a shipped optional pack",
        NoDefaultRules => "不加载内置规则包", "Do not load the built-in rule packs",
        SchemaArg =>
            "不论报告写的是哪种格式，都按这个格式文件核对",
            "Check every document against this schema file, whatever format it names",
        Select =>
            "只运行这些规则（编号，或 table3 这样的前缀）",
            "Only run these rules (ids or prefixes such as `table3`)",
        Ignore => "跳过这些规则（编号或前缀）", "Skip these rules (ids or prefixes)",
        Deny => "退出码把警告也算作错误", "Treat warnings as errors for the exit code",
        Baseline =>
            "不再报告这个基线文件中记录的问题",
            "Keep findings recorded in this baseline file quiet",
        WriteBaseline => "把当前的问题记录为基线", "Record the current findings as the baseline",
        NoProgress => "不显示进度条", "No progress bar",
        StdinFilename =>
            "把标准输入当作位于 PATH 的文件核对：输出和基线中用这个名称，使用离它最近的 gouji.toml，并在它周围查找上一年度的报告（供编辑器和 pre-commit 钩子使用）。未给出其他路径时读取标准输入",
            "Check standard input as if it were the file at PATH: its name in the output and the baseline, the gouji.toml nearest it, and last year's report found around it (for editors and pre-commit hooks). Reads standard input when no other path is given",
        Quiet =>
            "只显示错误（警告和提示仍计入汇总）",
            "Show errors only (warnings and notes are still counted in the summary)",
        Statistics =>
            "只输出统计：按规则的计数、错误最多的文件、按机关和年度的计数（写到标准错误）",
            "Print only the statistics: counts by rule, the files with the most errors, counts by agency and year (on stderr)",
        OutputFile =>
            "把输出写入 FILE 而不是标准输出（汇总和进度仍写到标准错误）",
            "Write the output to FILE instead of standard output (the summary and progress stay on stderr)",
        FixPaths =>
            "要核对的文件或目录（与 lint 相同的查找方式），或用 - 表示标准输入",
            "Files or directories to check (walked as `lint` walks them), or - for stdin",
        Diff => "把每个唯一的修正方案显示为 YAML 的统一差异格式", "Print each unique plan as a unified diff of the YAML",
        Write =>
            "就地应用唯一的修正方案：只改写变动的数字。方案不唯一或没有方案的报告保持原样",
            "Apply unique plans in place: only the changed numbers are rewritten. Ambiguous reports and reports without a plan are left as they are",
        RuleId => "规则编号", "A rule id",
        Markdown =>
            "以 Markdown 输出全部规则的参考（docs/rules.md）",
            "Print the reference of every rule as Markdown (docs/rules.md)",
        TestFiles => "规则文件或目录", "Rule files or directories",
        WithDefaultRules =>
            "给出文件时，同时运行内置规则包的示例",
            "Also run the built-in packs' examples when files are given",
        TestSchema =>
            "规则的 formats 可以引用的格式文件（示例修改的是它的 sample）",
            "A schema file the rules' formats may name (its `sample:` is what examples patch)",
        SchemaFormat => "2019 或 2021", "2019 or 2021",
        ImportInputs => "公开发布的报告，或存放它们的目录", "Published reports, or directories of them",
        ImportOutput => "输出文件（一个输入时）或目录（多个输入时）", "Output file (one input) or directory (several)",
        Force => "覆盖已有的文件", "Overwrite existing files",
        Strict => "未能完整导入的输入不写出任何文件", "Write nothing for an input that could not be imported completely",
        Shell => "shell 的种类", "The shell",
    }
}

crate::catalogue! {
    /// Words clap writes itself in a help page, and what they are in Chinese (English: the
    /// same words, so a help page in English is clap's own).
    pub enum ClapWord {
        Usage => "用法：", "Usage:",
        Commands => "命令：", "Commands:",
        Options => "选项：", "Options:",
        Arguments => "参数：", "Arguments:",
        OptionsPlaceholder => "[选项]", "[OPTIONS]",
        CommandPlaceholder => "<命令>", "<COMMAND>",
        Default => "[默认：", "[default: ",
        PossibleValues => "[可选值：", "[possible values: ",
        PossibleValuesHeading => "可选值：", "Possible values:",
        Env => "[环境变量：", "[env: ",
        SeeMore => "（用 --help 查看详细说明）", "(see more with '--help')",
        SeeSummary => "（用 -h 查看摘要）", "(see a summary with '-h')",
        ErrorPrefix => "错误：", "error:",
        Tip => "提示：", "tip:",
        MoreInfo => "更多信息请用 '--help' 查看。", "For more information, try '--help'.",
    }
}

crate::catalogue! {
    /// What `gouji` prints around a run, outside any one area.
    pub enum CliMsg {
        Error { message: String } => "错误：{message}", "error: {message}",
        BadLang { value: String } => "`{value}`：语言须是 zh 或 en", "`{value}`: zh or en",
        UnknownSchema { format: String, names: String } =>
            "没有格式 `{format}`；已有的格式：{names}",
            "unknown format `{format}`; known: {names}",
        Formats { formats: String } => "适用格式：{formats}", "formats: {formats}",
        StructuralRule =>
            "结构检查，内置于检查引擎：把报告与其格式的结构逐项比对。",
            "A structural check, built into the engine: it compares the document with its format's schema.",
        TestSummary { passed: usize, failed: usize } =>
            "{passed} 个示例通过，{failed} 个未通过",
            "{passed} passed, {failed} failed",
        Incomplete => "（导入不完整，文件中已写 不完整: true）", " (incomplete: 不完整: true)",
    }
}

crate::catalogue! {
    /// Setting up a run: the rule files and rules the command line or gouji.toml names.
    pub enum SetupMsg {
        NoBuiltinPack { name: String, names: String } =>
            "没有内置规则包 `{name}`；可用的有：{names}",
            "no built-in pack `{name}`; available: {names}",
        NotUtf8 { path: String } =>
            "{path}：规则文件须是 UTF-8 编码",
            "{path}: rule files must be UTF-8",
        NoRuleMatches { pattern: String } =>
            "没有规则与 `{pattern}` 相符（用 `gouji rules` 查看全部规则）",
            "no rule matches `{pattern}` (see `gouji rules`)",
    }
}

crate::catalogue! {
    /// clap's usage errors (an unknown option, a bad value, a missing argument, …), sentence
    /// by sentence. The English texts are clap's own words, so `gouji::usage` writes in
    /// English exactly what clap writes (a test holds it to that); the arguments come
    /// already styled for the terminal.
    pub enum UsageMsg {
        /// `error: …`, `tip: …`: the styled word, then the sentence.
        Lead { word: String, sentence: String } => "{word}{sentence}", "{word} {sentence}",
        Repeated { arg: String } =>
            "参数 '{arg}' 不能重复使用",
            "the argument '{arg}' cannot be used multiple times",
        TheArgument { name: String } => "参数 '{name}'", "the argument '{name}'",
        TheSubcommand { name: String } => "子命令 '{name}'", "the subcommand '{name}'",
        ConflictOne { who: String, other: String } =>
            "{who} 不能与 '{other}' 同时使用",
            "{who} cannot be used with '{other}'",
        ConflictMany { who: String, others: String } =>
            "{who} 不能与下列参数同时使用：{others}",
            "{who} cannot be used with:{others}",
        ConflictAny { who: String } =>
            "{who} 不能与给出的其他参数同时使用",
            "{who} cannot be used with one or more of the other specified arguments",
        NoEquals { arg: String } =>
            "给 '{arg}' 赋值须用等号",
            "equal sign is needed when assigning values to '{arg}'",
        ValueRequired { arg: String } =>
            "'{arg}' 需要一个值，但没有给出",
            "a value is required for '{arg}' but none was supplied",
        InvalidValue { value: String, arg: String } =>
            "'{value}' 不是 '{arg}' 可用的值",
            "invalid value '{value}' for '{arg}'",
        Because { reason: String } => "：{reason}", ": {reason}",
        PossibleValues { values: String } => "\n  [可选值：{values}]", "\n  [possible values: {values}]",
        UnknownSubcommand { sub: String } =>
            "没有子命令 '{sub}'",
            "unrecognized subcommand '{sub}'",
        MissingRequired { args: String } =>
            "缺少必需的参数：{args}",
            "the following required arguments were not provided:{args}",
        MissingSubcommand { cmd: String } =>
            "'{cmd}' 需要一个子命令，但没有给出",
            "'{cmd}' requires a subcommand but one was not provided",
        Subcommands { values: String } => "\n  [子命令：{values}]", "\n  [subcommands: {values}]",
        TooMany { value: String, arg: String } =>
            "'{arg}' 不再接受值，却多给了 '{value}'",
            "unexpected value '{value}' for '{arg}' found; no more were expected",
        TooFewOne { min: String, arg: String, actual: String } =>
            "'{arg}' 至少需要 {min} 个值，只给出了 {actual} 个",
            "{min} values required by '{arg}'; only {actual} was provided",
        TooFew { min: String, arg: String, actual: String } =>
            "'{arg}' 至少需要 {min} 个值，只给出了 {actual} 个",
            "{min} values required by '{arg}'; only {actual} were provided",
        WrongNumberOne { n: String, arg: String, actual: String } =>
            "'{arg}' 需要 {n} 个值，却给出了 {actual} 个",
            "{n} values required for '{arg}' but {actual} was provided",
        WrongNumber { n: String, arg: String, actual: String } =>
            "'{arg}' 需要 {n} 个值，却给出了 {actual} 个",
            "{n} values required for '{arg}' but {actual} were provided",
        UnknownArgument { arg: String } =>
            "无法识别的参数 '{arg}'",
            "unexpected argument '{arg}' found",
        InvalidUtf8 =>
            "参数中有无效的 UTF-8",
            "invalid UTF-8 was detected in one or more arguments",
        SimilarSubcommand { list: String } => "有相近的子命令：{list}", "a similar subcommand exists: {list}",
        SimilarSubcommands { list: String } => "有相近的子命令：{list}", "some similar subcommands exist: {list}",
        SimilarArgument { list: String } => "有相近的参数：{list}", "a similar argument exists: {list}",
        SimilarArguments { list: String } => "有相近的参数：{list}", "some similar arguments exist: {list}",
        SimilarValue { list: String } => "有相近的值：{list}", "a similar value exists: {list}",
        SimilarValues { list: String } => "有相近的值：{list}", "some similar values exist: {list}",
        PassAsValue { arg: String, written: String } =>
            "要把 '{arg}' 当作值传入，请写成 '{written}'",
            "to pass '{arg}' as a value, use '{written}'",
        Exists { written: String } => "可以写 '{written}'", "'{written}' exists",
        DashBeforeSubcommand { sub: String, dashes: String } =>
            "有子命令 '{sub}'；要使用它，请去掉它前面的 '{dashes}'",
            "subcommand '{sub}' exists; to use it, remove the '{dashes}' before it",
        MoreInfo { flag: String } => "更多信息请用 '{flag}' 查看。", "For more information, try '{flag}'.",
    }
}
