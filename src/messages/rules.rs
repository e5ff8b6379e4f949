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
