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
        TooManyInstancesHelp =>
            "减少嵌套的 `for each`，或用 rows(…)、columns(…)、groups(…) 只遍历需要的行或列",
            "nest fewer `for each`, or iterate only the rows or columns needed with rows(…), columns(…), groups(…)",
    }
}
