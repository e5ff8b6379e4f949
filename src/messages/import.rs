//! `gouji import`: why an input is refused, and what the importer could not read.

crate::catalogue! {
    /// Why an input is refused as a whole (exit 1, nothing written).
    pub enum RefuseMsg {
        TooLarge { size: u64, limit: u64 } =>
            "输入有 {size} 字节，超过此类输入 {limit} 字节的上限，不予导入",
            "the input has {size} bytes, over the limit of {limit} bytes for its kind; not imported",
        TooDeep { depth: usize, limit: usize } =>
            "HTML 元素嵌套达 {depth} 层，超过 {limit} 层的上限，不予解析（正常的网页不到 100 层）",
            "HTML elements are nested {depth} deep, over the limit of {limit}; not parsed (real pages stay under 100)",
        Image { what: String } =>
            "这是图片（{what}），不是文字版报告；请先做文字识别（OCR）",
            "this is an image ({what}), not a report in text; run OCR on it first",
        Binary =>
            "这是二进制文件，不是文字、HTML、DOCX 或 PDF 报告",
            "this is a binary file, not a report in text, HTML, DOCX or PDF",
        LegacyWord =>
            "不支持旧版 Word（.doc）文件；请另存为 .docx",
            "legacy Word (.doc) files are not supported; save as .docx",
        NotAReport =>
            "不是所发布的报告（应为纯文本、HTML、DOCX 或 PDF）",
            "not a published report (plain text, HTML, DOCX or PDF)",
        NoTable =>
            "没有找到年度报告的表格（表二、表三、表四的行与列都没有找到），不予导入",
            "no report table found (no row or column of tables 二, 三 or 四); not imported",
        PreTemplate { year: u32 } =>
            "这是 {year} 年度的报告：2019 年以前的报告采用旧表格，不属于 2019 或 2021 年格式，不予导入",
            "this is a report on {year}: reports before 2019 use older tables, neither the 2019 nor the 2021 format; not imported",
    }
}

crate::catalogue! {
    /// What the importer could not read with certainty (a problem, the document incomplete).
    pub enum ImportMsg {
        GridTooLarge { table: usize, limit: usize } =>
            "第 {table} 个表格合并单元格展开后超过 {limit} 格的上限，整个表格未读取",
            "table {table}: its merged cells would expand beyond the limit of {limit} slots; the table was not read",
        Converted { cell: String, printed: String, value: String, unit: String } =>
            "{cell}：所印的 {printed} 按本列单位换算为 {value}（{unit}）",
            "{cell}: {printed} as printed, converted exactly to {value} in the column's unit ({unit})",
        UnitMismatch { cell: String, printed: String } =>
            "{cell}：所印的 {printed} 带有单位，但本列没有可换算的单位；未填入",
            "{cell}: {printed} is printed with a unit the column does not take; cell left out",
    }
}

crate::catalogue! {
    /// A folder import: entries skipped, progress and the closing summary.
    pub enum SkipMsg {
        Directory =>
            "是子目录（不递归导入）",
            "a directory (not walked recursively)",
        Hidden =>
            "是隐藏文件",
            "a hidden file",
        Extension { ext: String, known: String } =>
            "扩展名「{ext}」不是可导入的类型（可导入：{known}）",
            "its extension «{ext}» is not one imported ({known})",
        Unreadable =>
            "文件名无法读取或不是普通文件",
            "its name cannot be read or it is not a regular file",
        NoInputs { skipped: usize } =>
            "没有可导入的文件（跳过 {skipped} 项）",
            "no input files ({skipped} entries skipped)",
        Skipped { path: String, reason: String } =>
            "跳过 {path}：{reason}",
            "skipped {path}: {reason}",
        Progress { done: usize, total: usize, path: String } =>
            "[{done}/{total}] {path}",
            "[{done}/{total}] {path}",
        Summary { total: usize, exact: usize, incomplete: usize, refused: usize, skipped: usize } =>
            "{total} 个文件：{exact} 个完整导入，{incomplete} 个不完整，{refused} 个未导入；跳过 {skipped} 项",
            "{total} files: {exact} imported exactly, {incomplete} incomplete, {refused} refused; {skipped} entries skipped",
    }
}
