//! Reading a report file: bytes → checked UTF-8 text → spanned YAML tree.

use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

use crate::source::{Source, Span};
use crate::yaml::{self, Limits, Tree, YamlError};

/// Reports are a few kilobytes; anything past this is refused before parsing.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a report could not be read. Each carries the span it concerns (empty when none).
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum LoadError {
    #[error("cannot read the file: {0}")]
    #[diagnostic(code(load::io))]
    Io(String),
    #[error("the file is {size} bytes; reports larger than {limit} bytes are refused")]
    #[diagnostic(code(load::too_large))]
    TooLarge { size: u64, limit: u64 },
    #[error("the file is not UTF-8: {detail}")]
    #[diagnostic(code(load::encoding), help("convert it to UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`), or import the published report with `gouji import`, which detects GBK and GB18030"))]
    Encoding { detail: String, at: Span },
    #[error("{message}")]
    #[diagnostic(code(load::syntax))]
    Syntax { message: String, at: Span },
    #[error("the file is empty: there is no report in it")]
    #[diagnostic(code(load::empty))]
    Empty,
}

impl LoadError {
    pub fn span(&self) -> Span {
        match self {
            LoadError::Encoding { at, .. } | LoadError::Syntax { at, .. } => at.clone(),
            _ => 0..0,
        }
    }
}

/// Reads a file, refusing what is too large or not UTF-8.
/// A source that could not be read, with what there is of its text, and why.
pub type Unreadable = Box<(Source, LoadError)>;

pub fn read(path: &Path) -> Result<Source, Unreadable> {
    let name = path.display().to_string();
    let fail = |e: LoadError| Box::new((Source::new(name.clone(), ""), e));
    let size = std::fs::metadata(path)
        .map_err(|e| fail(LoadError::Io(e.to_string())))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(LoadError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        }));
    }
    let bytes = std::fs::read(path).map_err(|e| fail(LoadError::Io(e.to_string())))?;
    decode(name, bytes)
}

/// Bytes → text. A UTF-8 BOM is dropped; anything that is not UTF-8 is refused, naming
/// where it breaks and, when the bytes read cleanly as GB18030, saying so.
pub fn decode(name: String, bytes: Vec<u8>) -> Result<Source, Unreadable> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, text)),
        Err(e) => {
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes)
                .map_err(|u| u.valid_up_to())
                .err()
                .unwrap_or(0);
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(&bytes);
            let guess = if !had_errors
                && decoded
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
            {
                "it reads cleanly as GBK/GB18030 Chinese text, so it was probably saved in a legacy Chinese encoding"
            } else {
                "it is neither UTF-8 nor GBK text"
            };
            // Show the readable prefix so positions can be computed.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let at = prefix.len();
            let source = Source::new(name, prefix);
            let pos = source.position(at);
            let detail = format!(
                "invalid byte 0x{:02X} at line {}, column {}; {guess}",
                bytes[valid], pos.line, pos.column
            );
            Err(Box::new((
                source,
                LoadError::Encoding { detail, at: at..at },
            )))
        }
    }
}

/// Text → YAML tree, with the limits for report documents.
pub fn parse(source: &Source) -> Result<Tree<'_>, LoadError> {
    if source.text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    yaml::parse(&source.text, Limits::default()).map_err(|e| match e {
        YamlError::Empty => LoadError::Empty,
        other => {
            let (message, at) = describe_yaml_error(&other, source);
            LoadError::Syntax { message, at }
        }
    })
}

/// A sentence and a span for a YAML error.
pub fn describe_yaml_error(e: &YamlError, source: &Source) -> (String, Span) {
    match e {
        YamlError::Syntax { message, at } => (format!("YAML syntax error: {message}"), at.clone()),
        YamlError::DuplicateKey { key, first, second } => {
            let at = source.position(first.start);
            let message = format!("duplicate key `{key}` (first written at line {}, column {}): a key may appear only once", at.line, at.column);
            (message, second.clone())
        }
        YamlError::ComplexKey { at } => ("a mapping key must be a plain name, not a list or mapping".into(), at.clone()),
        YamlError::TooDeep { limit, at } => (format!("nesting deeper than {limit} levels is refused"), at.clone()),
        YamlError::TooManyNodes { limit, at } => {
            (format!("more than {limit} values (counting what aliases repeat): refused as a possible alias bomb"), at.clone())
        }
        YamlError::UnknownAlias { at } => ("alias to an anchor that is not defined".into(), at.clone()),
        YamlError::Empty => ("the file holds no YAML document".into(), 0..0),
        YamlError::SeveralDocuments { at } => ("more than one YAML document: a file holds one report".into(), at.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_named() {
        let (bytes, _, _) = encoding_rs::GBK.encode("机关: 某局\n年度: 2020\n");
        let (source, err) = *decode("gbk.yaml".into(), bytes.into_owned()).unwrap_err();
        let LoadError::Encoding { detail, at } = &err else {
            panic!("{err:?}")
        };
        assert!(detail.contains("GBK"), "{detail}");
        assert!(detail.contains("line 1, column 1"), "{detail}");
        assert_eq!(at.start, 0);
        assert_eq!(source.text, "");
    }

    #[test]
    fn bom_is_dropped() {
        let src = decode("a".into(), b"\xEF\xBB\xBFa: 1\n".to_vec()).unwrap();
        assert_eq!(src.text, "a: 1\n");
    }
}
