//! The rule language: evaluation errors (what a finding says when a check could not be
//! computed) and errors in rule files.

crate::catalogue! {
    /// Why a check could not be computed on a report.
    pub enum EvalMsg {
        Overflow =>
            "结果超出了数值范围（约 ±7.9×10²⁸）",
            "the result is out of the range of numbers (about ±7.9×10²⁸)",
        DivByZero { dividend: String } =>
            "除数为 0（被除数为 {dividend}）",
            "division by zero (the dividend is {dividend})",
        RoundPlaces =>
            "round(x, 位数)：位数须是 0 到 28 的整数",
            "round(x, places): places must be a whole number from 0 to 28",
        NoSuchDate { date: String } =>
            "没有 {date} 这一天（年、月、日须是存在的日期）",
            "there is no day {date} (year, month and day must make a real date)",
        CannotCheck { reason: String } =>
            "无法完成这项核对：{reason}",
            "this check could not be computed: {reason}",
    }
}

impl From<crate::rules::num::NumError> for EvalMsg {
    fn from(e: crate::rules::num::NumError) -> EvalMsg {
        match e {
            crate::rules::num::NumError::Overflow => EvalMsg::Overflow,
            crate::rules::num::NumError::DivByZero { dividend } => EvalMsg::DivByZero {
                dividend: dividend.to_string(),
            },
        }
    }
}

crate::catalogue! {
    /// Errors in rule files (they stop the run: exit code 2).
    pub enum RuleMsg {
        TooManyInstances { rule: String, format: String, limit: usize } =>
            "规则 `{rule}` 的 `for each` 在格式 {format} 上展开后超过 {limit} 个实例，不予加载",
            "the `for each` of rule `{rule}` unrolls into more than {limit} instances on format {format}; not loaded",
        Refused { n: usize } =>
            "规则文件中有 {n} 处问题，未检查任何报告",
            "{n} problem(s) in rule files; nothing was checked",
        NoSuchRule { id: String } =>
            "没有规则 `{id}`",
            "no rule `{id}`",
        TooManyInstancesHelp =>
            "减少嵌套的 `for each`，或用 rows(…)、columns(…)、groups(…) 只遍历需要的行或列",
            "nest fewer `for each`, or iterate only the rows or columns needed with rows(…), columns(…), groups(…)",
    }
}

crate::catalogue! {
    /// Rule files that do not parse: what is wrong, and what to type instead.
    pub enum SyntaxMsg {
        Here => "这里", "here",
        Expected { expected: String, found: String } =>
            "语法错误：这里应是 {expected}，却是 `{found}`",
            "syntax error: expected {expected}, found `{found}`",
        ExpectedAtEnd { expected: String } =>
            "语法错误：文件在此结束，但这里应是 {expected}",
            "syntax error: the file ends here, but {expected} is expected",
        Unexpected { found: String } =>
            "语法错误：意外的 {found}",
            "syntax error: unexpected {found}",
        SingleEquals =>
            "`=` 不是比较：判断相等要写 `==`",
            "`=` is not a comparison: equality is `==`",
        SingleEqualsHelp =>
            "把 `=` 改为 `==`，例如 check 申请.新收.总计 == 0（`=` 只用于 let x = … 和 pass/fail 示例中的赋值）",
            "write `==`, e.g. check 申请.新收.总计 == 0 (`=` is only for let x = … and the patches of pass/fail examples)",
        AndAnd =>
            "规则语言不用 `&&`：“并且”要写 `and`",
            "the rule language has no `&&`: write `and`",
        AndAndHelp =>
            "把 `&&` 改为 `and`，例如 a > 0 and b > 0",
            "replace `&&` with `and`, e.g. a > 0 and b > 0",
        OrOr =>
            "规则语言不用 `||`：“或者”要写 `or`",
            "the rule language has no `||`: write `or`",
        OrOrHelp =>
            "把 `||` 改为 `or`，例如 a == 0 or b == 0",
            "replace `||` with `or`, e.g. a == 0 or b == 0",
        Bang =>
            "规则语言不用 `!` 表示否定：要写 `not`",
            "the rule language has no `!` for negation: write `not`",
        BangHelp =>
            "把 `!` 改为 `not `，例如 not is_blank(申请.新收.总计)；“不等于”写 `!=`",
            "replace `!` with `not `, e.g. not is_blank(申请.新收.总计); “not equal” is `!=`",
        CurlyQuote { found: String } =>
            "中文引号 {found} 不能用来写字符串",
            "the curly quote {found} cannot delimit a string",
        CurlyQuoteHelp =>
            "字符串用半角双引号：\"…\"（切换到英文输入法输入）",
            "strings use straight double quotes: \"…\" (type them with an English keyboard layout)",
        FullWidth { found: String, ascii: String } =>
            "全角字符 `{found}`：规则里的符号要用半角 `{ascii}`",
            "full-width `{found}`: symbols in rules are half-width `{ascii}`",
        FullWidthHelp { ascii: String } =>
            "把它改为 `{ascii}`（全角的 （）、，、：、； 会自动识别，其他符号须用半角）",
            "replace it with `{ascii}` (full-width （）, ，, ：, ； are accepted; other symbols must be half-width)",
        Unterminated =>
            "字符串没有结束：这个 `\"` 开始的字符串在本行找不到结尾的 `\"`",
            "unterminated string: the string opened by this `\"` has no closing `\"`",
        UnterminatedLabel => "字符串从这里开始", "the string starts here",
        UnterminatedHelp =>
            "在字符串末尾加上 `\"`；字符串里要写引号时写作 `\\\"`",
            "add the closing `\"`; to put a quote inside a string write `\\\"`",
        Unclosed { id: String } =>
            "规则 `{id}` 没有用 `}}` 结束",
            "rule `{id}` is not closed with `}}`",
        UnclosedLabel => "这条规则没有结束", "this rule is not closed",
        UnclosedHelp { id: String, next: String } =>
            "在规则 `{id}` 的最后一项之后、{next}加上一行 `}}`",
            "add a line `}}` after the last item of rule `{id}`, {next}",
    }
}

crate::catalogue! {
    /// The `pass {{ … }}` / `fail {{ … }}` examples of a rule.
    pub enum ExampleMsg {
        UnknownPatch { key: String, format: String } =>
            "示例修改的 `{key}` 不在格式 {format} 中",
            "the example patches `{key}`, which is not in format {format}",
        UnknownLabel => "没有这一项", "no such name",
        DidYouMean { key: String } => "是不是 `{key}`？", "did you mean `{key}`?",
        Has { keys: String } => "这里有：{keys}", "here there is: {keys}",
        NotACell { label: String } =>
            "「{label}」不是一个单元格：示例只能修改单元格的值",
            "「{label}」 is not a cell: an example patches cell values",
        PatchNotAName =>
            "示例的路径只能由名称组成（不能有 *、** 或 […]）",
            "an example's path is made of names only (no *, ** or […])",
        NoExample { id: String, missing: String } =>
            "规则 `{id}` 没有{missing}",
            "rule `{id}` has no {missing}",
        NoFailing => "不通过的示例（`fail {{ … }}`）", "failing example (`fail {{ … }}`)",
        NoPassing => "通过的示例（`pass {{ … }}`）", "passing example (`pass {{ … }}`)",
        NoExamples =>
            "示例（`pass {{ … }}` 与 `fail {{ … }}`）",
            "examples (`pass {{ … }}` and `fail {{ … }}`)",
        NoExampleHelp =>
            "每条规则都要在其格式的样例报告上给出一个接受的情形和一个拒绝的情形",
            "every rule shows, on its format's reference report, a case it accepts and a case it rejects",
        OnFormat { format: String } => "格式 {format}", "format {format}",
        FormatNotLoaded { format: String } =>
            "格式 `{format}` 没有加载",
            "format `{format}` is not loaded",
        DoesNotCompile { format: String, error: String, at: String } =>
            "规则在格式 `{format}` 上无法编译：{error}（{at}）",
            "the rule does not compile for format `{format}`: {error} at {at}",
        NotForFormat { format: String } =>
            "规则不适用于格式 `{format}`",
            "the rule does not apply to format `{format}`",
        NoSample { format: String } =>
            "格式 `{format}` 没有可供修改的样例报告",
            "format `{format}` has no sample report to patch",
        NotACellOf { path: String, format: String } =>
            "`{path}` 不是格式 {format} 的单元格",
            "`{path}` is not a cell of format {format}",
        SampleDoesNotLoad { error: String } =>
            "样例报告无法读取：{error}",
            "the sample report does not load: {error}",
        FailAccepted =>
            "这个示例应当不通过，但规则接受了它",
            "expected this example to fail, but the rule accepts it",
        PassFound { n: usize, found: String } =>
            "这个示例应当通过，但规则发现了 {n} 处问题（样例报告中的位置）：{found}",
            "expected this example to pass, but the rule found {n} problem(s) (positions in the sample report): {found}",
    }
}

crate::catalogue! {
    /// The `{…}` placeholders of a rule's `message`.
    pub enum PlaceholderMsg {
        Unclosed =>
            "消息中的 `{{` 没有对应的 `}}`",
            "this `{{` in the message has no closing `}}`",
        UnclosedHelp =>
            "占位符写作 {{lhs}}、{{rhs}}、{{diff}}、{{match}}、{{value}}、{{变量}} 或 {{表达式}}，例如 {{申请.新收.总计}}、{{round(x, 1)}}",
            "a placeholder is {{lhs}}, {{rhs}}, {{diff}}, {{match}}, {{value}}, {{a variable}} or {{an expression}}, e.g. {{申请.新收.总计}}, {{round(x, 1)}}",
        Empty =>
            "空的占位符 `{{}}`",
            "empty placeholder `{{}}`",
        Unknown { name: String } =>
            "消息中的占位符 `{{{name}}}` 未知",
            "unknown placeholder `{{{name}}}` in the message",
        NotAnExpression { text: String } =>
            "占位符 `{{{text}}}` 既不是名称也不是表达式",
            "the placeholder `{{{text}}}` is neither a name nor an expression",
        UnknownLabel => "没有这个占位符", "no such placeholder",
        DidYouMean { name: String } => "是不是 `{{{name}}}`？", "did you mean `{{{name}}}`?",
        Known { names: String } =>
            "可用的占位符：{names}，或一个路径、表达式",
            "placeholders available: {names}, or a path or an expression",
    }
}

crate::catalogue! {
    /// The types of values in the rule language, as messages name them.
    pub enum TypeName {
        Num => "数字", "a number",
        Bool => "真假值", "true/false",
        Text => "文本", "text",
        Date => "日期", "a date",
        NumList => "数字列表", "a list of numbers",
    }
}

crate::catalogue! {
    /// A rule that parses but does not fit the format: paths, types, sets, calls.
    pub enum CompileMsg {
        ListPathNotNumber =>
            "列表中的路径须以数字字段结尾",
            "a path into a list must end at a number field",
        IsRow { label: String } =>
            "「{label}」是一行：须用一列来取它的单元格，例如 [c] 或 .总计，或用 .* 取整行",
            "「{label}」 is a row: index it with a column, e.g. [c] or .总计, or take every cell with .*",
        IsTable { label: String } =>
            "「{label}」是一张表或一组行：须选出它的行和一列",
            "「{label}」 is a table or a group of rows: choose its rows and a column",
        IsGroup { label: String } =>
            "「{label}」是一组字段，不是一个值",
            "「{label}」 is a group of fields, not a value",
        TextListArithmetic =>
            "文本列表不能用于计算",
            "a list of texts cannot be used in arithmetic",
        ListItemFields =>
            "列表的 `*` 之后须写出其各项的字段名",
            "after a list's `*`, name the fields of its items",
        VarIsColumn { name: String } =>
            "`{name}` 是一列：用它来取一行的单元格，例如 申请.新收[{name}]",
            "`{name}` is a column: index a row with it, e.g. 申请.新收[{name}]",
        VarIsValue { name: String } =>
            "`{name}` 是一个值，不是报告中的位置",
            "`{name}` is a value, not a place in the report",
        BadIndex =>
            "索引须指明一列：`for each` 的变量或一个 \"字符串\"",
            "an index names a column: a `for each` variable or a \"string\"",
        SelectsNothing =>
            "这个路径什么也没有选中",
            "this path selects nothing",
        ExceptWithoutWildcard =>
            "`except` 只能从通配符（`*` 或 `**`）选出的内容中排除名称；这个路径没有通配符",
            "`except` leaves names out of a wildcard (`*` or `**`); this path has none",
        ExceptNothing { name: String } =>
            "这里没有选中名为 `{name}` 的内容，无从排除",
            "nothing named `{name}` is selected here, so there is nothing to leave out",
        TheReport => "报告", "the report",
        NotInFormat { key: String, format: String, here: String } =>
            "`{key}` 不在格式 {format} 中：{here}没有 `{key}`",
            "`{key}` is not in format {format}: {here} has no `{key}`",
        UnknownName => "没有这一项", "unknown name",
        DidYouMean { name: String } => "是不是 `{name}`？", "did you mean `{name}`?",
        Has { here: String, keys: String } => "{here}有：{keys}", "{here} has: {keys}",
        ExceptOnDynamic =>
            "`except` 只能从模板的行、列或单元格中排除名称；这个集合来自文档本身",
            "`except` leaves names out of rows, columns or cells of the template; this set is the document's own",
        DynamicLast =>
            "遍历文档自身内容的 `for each` 须是最后一个",
            "a `for each` over the document's own content must be the last one",
        ForEachNeedsSet { ty: String } =>
            "`for each` 需要一组行、列或值，而这里是{ty}",
            "`for each` needs a set of rows, columns or values, not {ty}",
        TakesOneTable { func: String } =>
            "`{func}(…)` 须给出一张表",
            "`{func}` takes one table",
        TakesTablePath { func: String } =>
            "`{func}(…)` 的参数须是一张表的路径",
            "`{func}` takes a path to a table",
        SingleTable =>
            "这里须是一张表，这个路径却选中了不止一处",
            "expected a single table",
        NotATable { label: String } =>
            "「{label}」不是一张表：`columns(…)` 须给出一张表",
            "「{label}」 is not a table: columns() takes a table",
        NoRows { label: String } =>
            "「{label}」没有行",
            "「{label}」 has no rows",
        Expected { want: String, ty: String } =>
            "这里应是{want}，却是{ty}",
            "expected {want}, but this is {ty}",
        CannotCompare { lhs: String, rhs: String } =>
            "{lhs}不能与{rhs}比较",
            "cannot compare {lhs} with {rhs}",
        SumBeforeComparing =>
            "列表须先用 sum(…) 加总再比较，例如 sum(申请.新收.*) == 申请.新收.总计",
            "sum a list with sum(…) before comparing it",
        IfNeedsElse =>
            "给出一个值的 `if` 须有 `else`",
            "an `if` that gives a value needs an `else`",
        IfNeedsElseHelp =>
            "加上 `else` 及其值，例如 if a > 0 then a else 0",
            "add an `else` and its value, e.g. if a > 0 then a else 0",
        SetNotValue { func: String } =>
            "`{func}(…)` 是一个集合：须写作 `for each x in {func}(…):`",
            "`{func}(…)` is a set: use it as `for each x in {func}(…):`",
        UnknownFunction { name: String } =>
            "没有函数 `{name}`",
            "unknown function `{name}`",
        UnknownFunctionLabel => "未知的函数", "unknown",
        KnownFunctions { names: String } =>
            "可用的函数：{names}",
            "known functions: {names}",
        PriorOneCell =>
            "`prior(…)` 的参数须是一个单元格的路径",
            "`prior` takes the path of one cell",
    }
}

crate::catalogue! {
    /// Parts of a rule that parse as a whole but are not well formed.
    pub enum ParseMsg {
        EmptyFile => "规则文件是空的", "empty rule file",
        BracketsTooDeep { max: usize } =>
            "括号嵌套超过 {max} 层",
            "brackets nest deeper than {max} levels",
        ExprTooDeep { max: usize } =>
            "表达式嵌套超过 {max} 层",
            "the expression nests deeper than {max} levels",
        TooDeepLabel => "嵌套过深", "too deep",
        TooDeepHelp =>
            "用 `let 名称 = 值 in …` 把一部分拆出来，或减少括号",
            "split a part out with `let NAME = VALUE in …`, or use fewer brackets",
        GivenTwice { what: String } =>
            "这条规则写了两次 `{what}`",
            "`{what}` is given twice in this rule",
        GivenTwiceHelp { what: String } =>
            "每条规则只写一个 `{what}`：删去其中一个",
            "a rule has one `{what}`: remove one of them",
        BadSeverity =>
            "`severity` 须是 `error`、`warning` 或 `info`",
            "severity is error, warning or info",
        YearOutOfRange =>
            "年份超出范围",
            "year out of range",
        YearOutOfRangeHelp =>
            "写四位数的年份，例如 years 2023..",
            "write a four-digit year, e.g. years 2023..",
        CheckNeedsExpr =>
            "`check` 之后须有一个表达式",
            "`check` needs an expression",
        NumberTooLarge { text: String } =>
            "数字 `{text}` 太大",
            "`{text}` is too large a number",
        EmptyExpr => "表达式是空的", "empty expression",
        MissingRhs => "比较符右边缺少表达式", "missing right-hand side",
        IfNeedsCond => "`if` 之后须有条件", "`if` needs a condition",
        IfNeedsThen => "`if` 须有 `then`", "`if` needs `then`",
        LetForm =>
            "`let` 写作 `let 名称 = 值 in 表达式`",
            "`let NAME = VALUE in BODY`",
        EmptyCall => "函数调用是空的", "empty call",
        Unexpected { what: String } =>
            "意外的语法成分 `{what}`",
            "unexpected `{what}`",
        ChainTooLong { n: usize, max: usize } =>
            "一串运算有 {n} 个运算数，最多 {max} 个",
            "{n} operands in one chain; at most {max}",
        ChainTooLongLabel => "过长", "too long",
        ChainTooLongHelp =>
            "许多单元格相加请用 sum(…) 加一个路径，例如 sum(r.* except 总计)",
            "add many cells with sum(…) over a path, e.g. sum(r.* except 总计)",
        EmptyIndex => "索引 `[]` 是空的", "empty index",
        BeforeNextRule { line: usize } =>
            "第 {line} 行的下一条规则之前",
            "before the next rule on line {line}",
        AtEndOfFile => "文件末尾", "at the end of the file",
    }
}

crate::catalogue! {
    /// What the parser expected, in words an author understands (grammar rule names).
    pub enum GrammarMsg {
        RuleHeader => "`rule 编号 {{ … }}`", "`rule ID {{ … }}`",
        RuleEnd => "结束规则的 `}}`", "`}}` closing the rule",
        RuleId => "规则编号（字母、数字、- _ / .）", "a rule id (letters, digits, - _ / .)",
        Keyword { kw: String } => "`{kw}`", "`{kw}`",
        Level => "`error`、`warning` 或 `info`", "error, warning or info",
        FormatName => "格式名称", "a format name",
        Example => "`pass {{ … }}` 或 `fail {{ … }}`", "`pass {{ … }}` or `fail {{ … }}`",
        Str => "\"字符串\"", "a \"string\"",
        Expression => "表达式", "an expression",
        Comparison => "比较符（==、!=、<、<=、>、>=）", "a comparison (==, !=, <, <=, >, >=)",
        Operator => "运算符", "an operator",
        AndOr => "`and` / `or`", "`and` / `or`",
        Name => "名称", "a name",
        Index => "`[…]`", "`[…]`",
        Literal => "数字、字符串或 `blank`", "a number, a string or `blank`",
        Other => "其他内容", "something else",
    }
}

crate::catalogue! {
    /// A rule's declaration: its items, its formats, its id among the others.
    pub enum DeclMsg {
        DefinedTwice { id: String } =>
            "规则 `{id}` 定义了两次",
            "rule `{id}` is defined twice",
        OtherOneIn { file: String } =>
            "另一处在 {file}：请改用另一个编号，或删去其中一条",
            "the other one is in {file}",
        Missing { id: String, what: String } =>
            "规则 `{id}` 没有 `{what}`",
            "rule `{id}` has no `{what}`",
        ThisRule => "这条规则", "this rule",
        TitleHelp =>
            "用审核人员的话写一个标题，例如 title \"表三各列：本年新收 + 上年结转 = （七）总计 + 结转\"",
            "add a title in the auditor's words, e.g. title \"表三各列：本年新收 + 上年结转 = （七）总计 + 结转\"",
        WhyHelp =>
            "说明这一关系为什么必须成立，例如引用模板的原文",
            "say why the relation must hold, e.g. the template's own words",
        CheckHelp =>
            "写出要核对的关系，例如 check 申请.新收.总计 >= 0",
            "write the relation to check, e.g. check 申请.新收.总计 >= 0",
        KnownFormats { names: String } =>
            "已有的格式：{names}",
            "known formats: {names}",
        UnknownFormat { name: String } =>
            "没有格式 `{name}`",
            "unknown format `{name}`",
        UnknownFormatLabel => "未知的格式", "unknown format",
        NotForFormat { format: String } =>
            "这条规则不适用于格式 `{format}`",
            "this rule does not apply to format `{format}`",
        NotForFormatHelp { formats: String } =>
            "示例只能用于规则 `formats` 中的格式：{formats}",
            "an example runs on the rule's `formats`: {formats}",
    }
}

crate::catalogue! {
    /// The arguments of built-in functions.
    pub enum FuncMsg {
        Arity { func: String, want: usize, n: usize } =>
            "`{func}(…)` 需要 {want} 个参数，这里有 {n} 个",
            "`{func}` takes {want} argument(s), not {n}",
        ArityAtLeast { func: String, lo: usize, n: usize } =>
            "`{func}(…)` 至少需要 {lo} 个参数，这里有 {n} 个",
            "`{func}` takes at least {lo} argument(s), not {n}",
        ArityBetween { func: String, lo: usize, hi: usize, n: usize } =>
            "`{func}(…)` 需要 {lo} 到 {hi} 个参数，这里有 {n} 个",
            "`{func}` takes {lo} to {hi} argument(s), not {n}",
        AddsNumbers { func: String, ty: String } =>
            "`{func}(…)` 只加总数字，这里却是{ty}",
            "`{func}` adds up numbers, not {ty}",
        OneCell { func: String } =>
            "`{func}(…)` 的参数须是一个单元格的路径",
            "`{func}` takes the path of one cell",
        PatternNeedsGroup =>
            "模式须用括号 `(…)` 括住要取出的数字",
            "the pattern needs a group `(…)` around the number to capture",
        PatternLiteral =>
            "模式须是写在规则里的 \"字符串\"",
            "the pattern must be a \"string\" written in the rule",
        BadPattern { detail: String } =>
            "模式（正则表达式）有误：{detail}",
            "invalid pattern: {detail}",
        BadPatternNote { detail: String } =>
            "正则表达式库的原文：`{detail}`",
            "the regular-expression library says: {detail}",
        NotADate { text: String } =>
            "「{text}」不是日期：要写 date(\"2024-01-31\") 或 date(\"2024年1月31日\")",
            "`{text}` is not a date: write date(\"2024-01-31\") or date(\"2024年1月31日\")",
        DateArgs { ty: String } =>
            "`date(…)` 的参数须是文本、日期，或年、月、日三个数，这里却是{ty}",
            "`date` takes a text, a date, or a year, a month and a day; not {ty}",
    }
}

crate::catalogue! {
    /// What is wrong in a pattern, from the regular-expression library's own words.
    pub enum RegexMsg {
        UnclosedGroup => "括号 `(` 没有对应的 `)`", "unclosed group",
        UnopenedGroup => "`)` 没有对应的 `(`", "unopened group",
        UnclosedClass => "字符类 `[` 没有对应的 `]`", "unclosed character class",
        RepetitionMissing =>
            "重复符号（`*`、`+`、`?`、`{{…}}`）前面没有内容",
            "repetition operator missing expression",
        UnclosedRepetition => "计数重复 `{{…}}` 没有结束", "unclosed counted repetition",
        UnrecognizedEscape =>
            "无法识别的转义（`\\` 之后的字符）",
            "unrecognized escape sequence",
        Other => "写法不合正则表达式的规则", "the pattern is not a valid regular expression",
    }
}

impl RegexMsg {
    /// The message of the regular-expression library's error text, when it is one gouji
    /// knows (its last line: `error: unclosed group`).
    pub fn of(detail: &str) -> RegexMsg {
        [
            RegexMsg::UnclosedGroup,
            RegexMsg::UnopenedGroup,
            RegexMsg::UnclosedClass,
            RegexMsg::RepetitionMissing,
            RegexMsg::UnclosedRepetition,
            RegexMsg::UnrecognizedEscape,
        ]
        .into_iter()
        .find(|m| m.text_in(crate::messages::Lang::En) == detail)
        .unwrap_or(RegexMsg::Other)
    }
}
