//! Reading a report file: bytes → checked UTF-8 text → spanned YAML tree.

use std::path::Path;

use miette::Diagnostic;
use thiserror::Error;

use crate::messages::load::{EncodingGuess, LoadMsg};
use crate::source::{Source, Span};
use crate::yaml::{self, Limits, Tree, YamlError};

/// Reports are a few kilobytes; anything past this is refused before parsing.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a report could not be read. Each carries the span it concerns (empty when none).
/// The texts are in the message catalogue (`messages::load`).
#[derive(Debug, Error, Diagnostic, Clone, PartialEq)]
pub enum LoadError {
    #[error("{}", LoadMsg::Io { detail: _0.clone() })]
    #[diagnostic(code(load::io))]
    Io(String),
    #[error("{}", LoadMsg::TooLarge { size: *size, limit: *limit })]
    #[diagnostic(code(load::too_large))]
    TooLarge { size: u64, limit: u64 },
    #[error("{message}")]
    #[diagnostic(code(load::encoding))]
    Encoding { message: LoadMsg, at: Span },
    #[error("{message}")]
    #[diagnostic(code(load::syntax))]
    Syntax { message: String, at: Span },
    #[error("{}", LoadMsg::Empty)]
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
    use std::io::Read;
    let name = path.display().to_string();
    let fail = |e: LoadError| Box::new((Source::new(name.clone(), ""), e));
    let io = |e: std::io::Error| fail(LoadError::Io(e.to_string()));
    // Opened once, its size read from the open file: one `statx` a file, not two.
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    let too_large = |size| {
        fail(LoadError::TooLarge {
            size,
            limit: MAX_FILE_BYTES,
        })
    };
    if size > MAX_FILE_BYTES {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    // A file that grew since its size was read is still held to the limit.
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    drop(file);
    decode(name, bytes)
}

/// Bytes → text. A UTF-8 BOM is dropped; anything that is not UTF-8 is refused, naming
/// where it breaks and, when the bytes read cleanly as GB18030, saying so.
pub fn decode(name: String, bytes: Vec<u8>) -> Result<Source, Unreadable> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    // simdutf8 checks the common case (valid UTF-8) several times faster than std; copying
    // the checked text costs less than checking it again.
    if let Ok(text) = simdutf8::basic::from_utf8(&bytes) {
        return Ok(Source::new(name, text));
    }
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
                EncodingGuess::Gbk
            } else {
                EncodingGuess::Unknown
            };
            // Show the readable prefix so positions can be computed.
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let at = prefix.len();
            let source = Source::new(name, prefix);
            let pos = source.position(at);
            let message = LoadMsg::NotUtf8 {
                line: pos.line,
                column: pos.column,
                byte: bytes[valid],
                guess,
            };
            Err(Box::new((
                source,
                LoadError::Encoding {
                    message,
                    at: at..at,
                },
            )))
        }
    }
}

/// Text → YAML tree, with the limits for report documents.
pub fn parse(source: &Source) -> Result<Tree<'_>, LoadError> {
    if source.text.trim().is_empty() {
        return Err(LoadError::Empty);
    }
    // The fast builder refuses a byte-order mark anywhere in the text: the search for one
    // (another pass over the whole text) is needed only when it gives up.
    if let Some(tree) = yaml::parse_fast(&source.text, Limits::default()) {
        return Ok(tree);
    }
    // A byte-order mark past the start (the one at the start is dropped when decoding) is
    // what joining two files leaves; YAML parsers disagree about it, so it is refused.
    if let Some(at) = source.text.find('\u{FEFF}') {
        let pos = source.position(at);
        return Err(LoadError::Encoding {
            message: LoadMsg::BomInside {
                line: pos.line,
                column: pos.column,
            },
            at: at..at + '\u{FEFF}'.len_utf8(),
        });
    }
    yaml::parse_with_granit(&source.text, Limits::default()).map_err(|e| match e {
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
        YamlError::Syntax { message, at } => {
            let mut text = LoadMsg::Syntax {
                detail: message.clone(),
            }
            .to_string();
            // A full-width colon after a key is the commonest cause in Chinese text.
            let line = source.position(at.start).line;
            let full_width = source
                .text
                .lines()
                .nth(line.saturating_sub(1))
                .is_some_and(|l| l.contains('：'));
            if full_width {
                text.push_str(&LoadMsg::FullWidthColon { line }.to_string());
            }
            (text, at.clone())
        }
        YamlError::DuplicateKey { key, first, second } => {
            let at = source.position(first.start);
            let message = LoadMsg::DuplicateKey {
                key: key.clone(),
                line: at.line,
                column: at.column,
            };
            (message.to_string(), second.clone())
        }
        YamlError::ComplexKey { at } => (LoadMsg::ComplexKey.to_string(), at.clone()),
        YamlError::TooDeep { limit, at } => {
            let limit = *limit;
            (LoadMsg::TooDeep { limit }.to_string(), at.clone())
        }
        YamlError::TooManyNodes { limit, at } => {
            let limit = *limit;
            (LoadMsg::TooManyNodes { limit }.to_string(), at.clone())
        }
        YamlError::UnknownAlias { at } => (LoadMsg::UnknownAlias.to_string(), at.clone()),
        YamlError::Empty => (LoadMsg::NoDocument.to_string(), 0..0),
        YamlError::SeveralDocuments { at } => (LoadMsg::SeveralDocuments.to_string(), at.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_named() {
        let (bytes, _, _) = encoding_rs::GBK.encode("机关: 某局\n年度: 2020\n");
        let (source, err) = *decode("gbk.yaml".into(), bytes.into_owned()).unwrap_err();
        let LoadError::Encoding { message, at } = &err else {
            panic!("{err:?}")
        };
        let detail = message.to_string();
        assert!(detail.contains("GBK"), "{detail}");
        assert!(detail.contains("第 1 行第 1 列"), "{detail}");
        assert_eq!(at.start, 0);
        assert_eq!(source.text, "");
    }

    #[test]
    fn bom_is_dropped() {
        let src = decode("a".into(), b"\xEF\xBB\xBFa: 1\n".to_vec()).unwrap();
        assert_eq!(src.text, "a: 1\n");
    }
}
