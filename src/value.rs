//! Cell values: an exact number, a blank, or text.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The value of one cell. A blank is never silently 0: rules decide what it means.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An exact decimal, with the places it was written with (`79.1500` keeps four).
    Number(Decimal),
    /// Written as empty, null, `~`, `-`, `—`, `/` or `／`.
    Blank,
    /// Anything else.
    Text(String),
    /// The document does not have this cell at all.
    Missing,
}

/// Spellings of an empty cell in published reports.
const BLANKS: &[&str] = &[
    "", "~", "null", "Null", "NULL", "-", "－", "—", "——", "–", "/", "／",
];

impl Value {
    /// Reads a YAML scalar. Only plain scalars can be numbers: a quoted `"183"` is text.
    pub fn from_scalar(text: &str, plain: bool) -> Value {
        let trimmed = text.trim();
        // Numbers first: they are nearly every cell of a report.
        if plain {
            if let Some(n) = parse_number(trimmed) {
                return Value::Number(n);
            }
        }
        if BLANKS.contains(&trimmed) {
            return Value::Blank;
        }
        Value::Text(text.to_string())
    }

    pub fn as_number(&self) -> Option<Decimal> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Value::Blank)
    }
}

/// A decimal number as people write it: optional sign, digits, optional fraction.
pub fn parse_number(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next()?;
    let frac = parts.next();
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    // Whole numbers of a few digits are nearly every cell: skip the general parser.
    if frac.is_none() && whole.len() <= 18 {
        let n = whole
            .bytes()
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        return Some(Decimal::from(if text.starts_with('-') { -n } else { n }));
    }
    Decimal::from_str_exact(text.strip_prefix('+').unwrap_or(text))
        .ok()
        .or_else(|| Decimal::from_str(text).ok())
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Blank => f.write_str("（空白）"),
            Value::Text(t) => write!(f, "“{t}”"),
            Value::Missing => f.write_str("（缺失）"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_places_and_blanks_are_not_zero() {
        assert_eq!(Value::from_scalar("79.1500", true).to_string(), "79.1500");
        assert_eq!(
            Value::from_scalar("+8", true),
            Value::Number(Decimal::from(8))
        );
        assert_eq!(
            Value::from_scalar("-3", true),
            Value::Number(Decimal::from(-3))
        );
        for blank in ["", "-", "—", "/", "／", "~"] {
            assert_eq!(Value::from_scalar(blank, true), Value::Blank, "{blank:?}");
        }
        assert_eq!(Value::from_scalar("183", false), Value::Text("183".into()));
        assert_eq!(
            Value::from_scalar("251000元", true),
            Value::Text("251000元".into())
        );
        assert_eq!(
            Value::from_scalar("３２８", true),
            Value::Text("３２８".into())
        );
        assert_eq!(Value::from_scalar("1e3", true), Value::Text("1e3".into()));
    }
}
