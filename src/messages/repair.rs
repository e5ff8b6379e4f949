//! Repair plans: which cells to change so that every relation holds (`help` on the
//! findings a plan explains, the `repair/plan` record, and `gouji fix`).

crate::catalogue! {
    /// What a report's repair plan says.
    pub enum RepairMsg {
        /// One cell explains two or more failures (the seed's `183 → 182`).
        OneCellMany { n: usize, label: String, from: String, to: String } =>
            "同一个单元格可以解释这 {n} 处不平衡：把「{label}」由 {from} 改为 {to}，可同时满足",
            "one cell explains these {n} imbalances: changing 「{label}」 from {from} to {to} satisfies them all",
        /// One cell explains the report's single failure, and no other cell does.
        OneCellOne { label: String, from: String, to: String } =>
            "只有一个单元格能单独解释这处不平衡：把「{label}」由 {from} 改为 {to}",
            "only one cell explains this imbalance on its own: change 「{label}」 from {from} to {to}",
        /// The unique smallest plan changes several cells.
        Cells { k: usize, n: usize, edits: String } =>
            "改 {k} 个单元格可以同时解释这 {n} 处不平衡，且这是唯一的最小修改：{edits}",
            "changing {k} cells explains these {n} imbalances together, and no other change of {k} cells does: {edits}",
        /// One edit of a plan.
        Edit { label: String, from: String, to: String } =>
            "把「{label}」由 {from} 改为 {to}",
            "「{label}」 {from} → {to}",
        /// One cell of a plan whose new value the relations leave open.
        Open { label: String, from: String } =>
            "「{label}」（现为 {from}）",
            "「{label}」 (now {from})",
        /// The smallest set of cells is unique, but not all its new values are.
        Undetermined { k: usize, n: usize, cells: String, known: String } =>
            "改 {k} 个单元格可以解释这 {n} 处不平衡：{cells}；但核对关系不能唯一确定新值，只知道：{known}",
            "changing {k} cells explains these {n} imbalances: {cells}; but the relations do not fix the new values, only that {known}",
        /// A condition on one cell's open new value (`op` is =, ≤, <, ≥ or >).
        Bound { label: String, op: String, value: String } =>
            "「{label}」的新值需 {op} {value}",
            "the new 「{label}」 must be {op} {value}",
        /// Several smallest plans.
        Ambiguous { count: usize, k: usize, n: usize, plans: String } =>
            "{count} 个方案各改 {k} 个单元格，都能解释这 {n} 处不平衡：{plans}。无法判断是哪一种，请核对原始记录",
            "{count} plans of {k} cells each explain these {n} imbalances: {plans}. Which one is right cannot be told from the report; check the records",
        /// A tied plan with open new values, and what they must satisfy.
        OpenPlan { cells: String, known: String } =>
            "{cells}（只知道：{known}）",
            "{cells} (only that {known})",
        /// Between the conditions of one tied plan.
        Also => "，", ", ",
        /// More tied plans than are listed.
        More { rest: usize } =>
            "……等另 {rest} 个方案",
            "… and {rest} more",
        /// Between alternatives.
        Or => " 或 ", " or ",
        /// Between edits of one plan.
        And => "；", "; ",
        /// No plan within the bound.
        NoPlan { n: usize, max: usize } =>
            "改动不超过 {max} 个单元格，无法同时解释这 {n} 处不平衡：错误可能多于 {max} 处，或在表格之外",
            "no change of up to {max} cells explains these {n} imbalances together: there may be more than {max} errors, or the error is outside the tables",
        /// The relations allow a plan, but the rules evaluated on it did not confirm it.
        Unverified { n: usize } =>
            "按核对关系可以找到解释这 {n} 处不平衡的修改，但用规则本身复核时未能确认，因此不提出修正方案，也不断言不存在；请人工核对",
            "the relations allow a change that explains these {n} imbalances, but re-checked with the rules themselves it was not confirmed: no plan is suggested, and none is ruled out; check by hand",
        /// The search gave up.
        Limit { n: usize } =>
            "可能的修改组合太多，未能在限度内判断哪些单元格能解释这 {n} 处不平衡",
            "too many possible changes to decide, within the search's limit, which cells explain these {n} imbalances",
        /// The title of the `repair/plan` record.
        Title => "修正方案", "repair plan",
    }
}

crate::catalogue! {
    /// What `gouji fix` says about each report.
    pub enum FixMsg {
        Clean { file: String } =>
            "{file}：各项核对均成立，无需修改",
            "{file}: every relation holds; nothing to fix",
        Plan { file: String, plan: String } =>
            "{file}：{plan}",
            "{file}: {plan}",
        Written { file: String, k: usize } =>
            "{file}：已改写 {k} 个单元格",
            "{file}: {k} cell(s) rewritten",
        Untouched { file: String } =>
            "{file}：未改写（没有唯一、确定的修正方案）",
            "{file}: left as it is (no unique, determined plan)",
        Unreadable { file: String, reason: String } =>
            "{file}：无法检查：{reason}",
            "{file}: cannot be checked: {reason}",
        Unchecked { file: String, n: usize } =>
            "{file}：另有 {n} 处错误不在修正方案之内（见 gouji lint）",
            "{file}: {n} more errors are outside the plan (see gouji lint)",
        WriteFailed { file: String, reason: String } =>
            "{file}：写入失败：{reason}",
            "{file}: could not write: {reason}",
        Changed { file: String } =>
            "{file}：文件在检查后被改动，未写入",
            "{file}: the file changed after it was checked; not written",
    }
}
