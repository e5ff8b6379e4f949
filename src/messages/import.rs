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
        SplitChosen { row: String, cells: String } =>
            "{row}：数字连写，读作 {cells}（本行合计唯一允许的拆分）",
            "{row}: digits run together, read as {cells} (the only split the row's sums allow)",
        SettledByColumns { row: String, cells: String, relation: String } =>
            "{row}：数字连写，读作 {cells}（各列合计「{relation}」唯一允许的拆分）",
            "{row}: digits run together, read as {cells} (the only split the column sums {relation} allow)",
        ApproxLabel { row: String, text: String } =>
            "{row}：行标签按近似匹配识别，原文为「{text}」",
            "{row}: label recognised approximately from «{text}»",
        GroupValues { row: String, format: String } =>
            "{row}：{format} 年格式中此行分为子行，数值却填在此行上",
            "{row}: values on a group row that has sub-rows in the {format} format",
        GroupAndSubRows { row: String } =>
            "{row}：此行与其子行都填有数值；请核对",
            "{row}: values on the group row and on its sub-rows; check which are right",
        Twice { row: String } =>
            "{row}：此行出现两次；保留第一次",
            "{row}: row appears twice; kept the first",
        Ambiguous { row: String, a: String, b: String } =>
            "{row}：连写的数字可有不止一种拆分（{a} 或 {b}）；这些单元格未填入",
            "{row}: digits run together split more than one way ({a} or {b}); cells left out",
        NoSplit { row: String, vals: String, width: usize } =>
            "{row}：{vals} 无法拆成合计相符的 {width} 个单元格；这些单元格未填入",
            "{row}: {vals} cannot be split into {width} cells that add up; cells left out",
        TooMany { row: String, n: usize, width: usize, vals: String } =>
            "{row}：{width} 列却有 {n} 个数值（{vals}）；这些单元格未填入",
            "{row}: {n} values for {width} columns ({vals}); cells left out",
        TooFew { row: String, n: usize, vals: String, width: usize } =>
            "{row}：{n} 个数值 {vals} 少于 {width} 列；已忽略",
            "{row}: {n} value(s) {vals} too few for {width} columns; ignored",
        ExtraRow { row: String, key: String } =>
            "{row}：保留了模板没有的子行「{key}」",
            "{row}: kept the extra sub-row «{key}»",
        ByOrder { vals: String, row: String } =>
            "数值 {vals} 没有可识别的行标签；按行序填入 {row}",
            "values {vals} have no recognisable row label; placed in {row} by row order",
        NoLabel { vals: String } =>
            "数值 {vals} 没有行标签；未填入",
            "values {vals} without a row label; not placed",
        Unrecognised { label: String, vals: String } =>
            "无法识别的行「{label}」，数值 {vals}；未填入",
            "unrecognised row «{label}» with values {vals}; not placed",
        AppealsSplit { cells: String } =>
            "复议诉讼：数字连写，读作 {cells}（各组合计唯一允许的拆分）",
            "复议诉讼: digits run together, read as {cells} (the only split the sums allow)",
        AppealsAmbiguous { a: String, b: String, rows: String } =>
            "复议诉讼：连写的数字可有不止一种拆分（{a} 或 {b}）；整表未填入（{rows}）",
            "复议诉讼: digits run together split more than one way ({a} or {b}); table left out ({rows})",
        AppealsCount { vals: String, width: usize, rows: String } =>
            "复议诉讼：找到数值 {vals}，而此表有 {width} 格；整表未填入（{rows}）",
            "复议诉讼: {vals} values found where the table has {width} cells; table left out ({rows})",
        NoTitle =>
            "没有找到「<机关><年度>年政府信息公开工作年度报告」形式的标题；机关或年度留空",
            "no title of the form «<机关><年度>年政府信息公开工作年度报告» found; 机关 or 年度 left empty",
        FormatTie =>
            "表格与两种全国格式同样相符，年度不明；按 2021 年格式读取",
            "the tables fit both national formats equally and the year is unknown; read as the 2021 format",
        FormatYear { year: u32, expected: String, found: String } =>
            "{year} 年度的报告应采用 {expected} 年格式，但其表格是 {found} 年格式",
            "a report on {year} should use the {expected} format, but its tables follow the {found} format",
        TableMissing { table: String } =>
            "没有找到表格 {table}",
            "table {table} not found",
        TableMissingNoHeading { table: String } =>
            "没有找到表格 {table}（没有第四部分的标题）",
            "table {table} not found (no section 四 heading)",
        RowMissing { row: String } =>
            "没有找到行 {row}",
            "row {row} not found",
        Lossy =>
            "文本既不是 UTF-8 也不是 GBK/GB18030；无法解码的字节已替换",
            "the text is neither UTF-8 nor GBK/GB18030; undecodable bytes replaced",
    }
}

crate::catalogue! {
    /// Reading inputs and writing the documents of `gouji import`.
    pub enum FileMsg {
        Read { path: String, error: String } =>
            "无法读取 {path}：{error}",
            "cannot read {path}: {error}",
        Write { path: String, error: String } =>
            "无法写入 {path}：{error}",
            "cannot write {path}: {error}",
        Exists { path: String } =>
            "{path} 已存在；要覆盖请加 --force",
            "{path} exists; use --force to overwrite it",
        Strict { count: usize } =>
            "有 {count} 个问题，且设置了 --strict：未写入",
            "{count} problem(s) and --strict is set; nothing written",
        NeedDir =>
            "多个输入（或一个目录）需要用 -o 指定输出目录",
            "several inputs (or a directory) need -o DIR",
        NotADir { path: String } =>
            "{path} 不是目录",
            "{path} is not a directory",
        SameTarget { path: String } =>
            "有两个输入都会写到 {path}",
            "two inputs would both be written to {path}",
    }
}

crate::catalogue! {
    /// Where in the source file an import problem is.
    pub enum PlaceMsg {
        LineColumn { line: usize, column: usize } =>
            "第 {line} 行第 {column} 列",
            "line {line}, column {column}",
        Line { line: usize } =>
            "第 {line} 行",
            "line {line}",
        Cell { table: usize, row: usize, cell: usize } =>
            "第 {table} 个表格第 {row} 行第 {cell} 格",
            "table {table}, row {row}, cell {cell}",
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

crate::catalogue! {
    /// Said by `gouji lint` about cells `gouji import` inferred (`推断`).
    pub enum InferredMsg {
        Cells { row: String, cells: String, relation: String } =>
            "{row} 的 {cells} 是导入时由连写的数字按关系「{relation}」切分得出的：该关系对这些单元格无法独立核对（核对通过不说明原文如此），请对照原文确认",
            "{cells} of {row} were cut from digits printed run together by the relation «{relation}» when imported: that relation cannot verify them independently (it holds by construction); check them against the original",
        UnknownCell { cell: String } =>
            "`推断` 中的 {cell} 不是本格式的单元格",
            "{cell} under `推断` is not a cell of this format",
    }
}
