//! Reading a report file: sizes, encodings, emptiness.

crate::catalogue! {
    /// Why a report's bytes could not be read as text.
    pub enum LoadMsg {
        Io { detail: String } =>
            "无法读取文件：{detail}",
            "cannot read the file: {detail}",
        TooLarge { size: u64, limit: u64 } =>
            "文件有 {size} 字节，超过 {limit} 字节的上限，不予读取",
            "the file has {size} bytes, over the limit of {limit} bytes; not read",
        NotUtf8 { line: usize, column: usize, byte: u8, guess: EncodingGuess } =>
            "文件不是 UTF-8 编码：第 {line} 行第 {column} 列有无效字节 0x{byte:02X}；{guess}",
            "the file is not UTF-8: invalid byte 0x{byte:02X} at line {line}, column {column}; {guess}",
        NotUtf8Help =>
            "请先转换为 UTF-8（如 `iconv -f GB18030 -t UTF-8`），或用 `gouji import` 导入所发布的报告（它能识别 GBK、GB18030）",
            "convert it to UTF-8 first (e.g. `iconv -f GB18030 -t UTF-8`), or import the published report with `gouji import` (it reads GBK and GB18030)",
        Syntax { detail: String } =>
            "YAML 语法错误：{detail}",
            "YAML syntax error: {detail}",
        DuplicateKey { key: String, line: usize, column: usize } =>
            "键 `{key}` 重复（第一次出现在第 {line} 行第 {column} 列）：同一映射中每个键只能出现一次",
            "the key `{key}` is repeated (first at line {line}, column {column}): a key appears once in a mapping",
        ComplexKey =>
            "映射的键必须是简单的名称，不能是列表或映射",
            "a key of a mapping is a plain name, not a list or a mapping",
        TooDeep { limit: usize } =>
            "嵌套超过 {limit} 层，不予读取",
            "nested deeper than {limit} levels; not read",
        TooManyNodes { limit: usize } =>
            "值超过 {limit} 个（含别名重复展开的部分），疑为别名炸弹，不予读取",
            "more than {limit} values (aliases expanded), likely an alias bomb; not read",
        UnknownAlias =>
            "别名引用了未定义的锚点",
            "an alias refers to an anchor that is not defined",
        NoDocument =>
            "文件中没有 YAML 文档",
            "the file holds no YAML document",
        SeveralDocuments =>
            "文件中有多个 YAML 文档：一个文件只放一份报告",
            "the file holds several YAML documents: one report per file",
        FullWidthColon { line: usize } =>
            "（第 {line} 行有全角冒号“：”：键与值之间须用半角冒号加空格“: ”）",
            " (line {line} has a full-width colon “：”: a key and its value are separated by an ASCII colon and a space, “: ”)",
        BomInside { line: usize, column: usize } =>
            "第 {line} 行第 {column} 列有字节顺序标记（BOM，U+FEFF）：它只能出现在文件开头，这里多半是拼接文件时带入的；请删去",
            "a byte-order mark (BOM, U+FEFF) at line {line}, column {column}: it belongs only at the start of a file, and here most likely comes from joining files; remove it",
        Empty =>
            "文件为空：其中没有报告",
            "the file is empty: there is no report in it",
    }
}

crate::catalogue! {
    /// What the bytes of a file that is not UTF-8 look like.
    pub enum EncodingGuess {
        Gbk =>
            "这些字节可按 GBK/GB18030 读出中文，文件很可能是用旧的中文编码（GBK）保存的",
            "the bytes read as Chinese in GBK/GB18030: the file was most likely saved in the old Chinese encoding (GBK)",
        Unknown =>
            "它既不是 UTF-8 文本，也不是 GBK 文本",
            "it is neither UTF-8 nor GBK text",
    }
}

crate::catalogue! {
    /// The titles of the `load/*` findings.
    pub enum LoadTitle {
        Io => "文件无法读取", "the file cannot be read",
        TooLarge => "文件过大", "the file is too large",
        Encoding => "文件不是 UTF-8 编码", "the file is not UTF-8",
        Syntax => "YAML 格式错误", "YAML syntax error",
        Empty => "文件为空", "the file is empty",
    }
}
