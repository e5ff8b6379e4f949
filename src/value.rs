//! Cell values: an exact number, a blank, or text.

use std::fmt;

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
    // Whole numbers of a few digits are nearly every cell: skip the general parser.
    if !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n = digits
            .bytes()
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        return Some(Decimal::from(if text.starts_with('-') { -n } else { n }));
    }
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next()?;
    let frac = parts.next();
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return None;
    }
    // Exactly, or not at all: a number with more places than a Decimal holds (28), or too
    // large for one, is not rounded into another number; it stays text, and the cell's
    // finding says why (`too_precise`).
    Decimal::from_str_exact(text.strip_prefix('+').unwrap_or(text)).ok()
}

/// Written as a number, but one a `Decimal` cannot hold exactly: too many decimal places,
/// or too large.
pub fn too_precise(text: &str) -> bool {
    let digits = text.trim().strip_prefix(['+', '-']).unwrap_or(text.trim());
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    let syntax = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    syntax && parse_number(text.trim()).is_none()
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

    #[test]
    fn numbers_a_decimal_cannot_hold_are_never_rounded() {
        let long = "0.12345678901234567890123456789"; // 29 places
        assert_eq!(Value::from_scalar(long, true), Value::Text(long.into()));
        assert!(too_precise(long));
        let huge = "79228162514264337593543950336"; // Decimal::MAX + 1
        assert_eq!(Value::from_scalar(huge, true), Value::Text(huge.into()));
        assert!(too_precise(huge));
        let max = "79228162514264337593543950335";
        assert_eq!(
            Value::from_scalar(max, true),
            Value::Number(rust_decimal::Decimal::MAX)
        );
        assert!(!too_precise(max) && !too_precise("79.1500") && !too_precise("abc"));
    }
}

/// A calendar day. Ordered by time (year, then month, then day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// The day, if there is such a day (years 1 to 9999).
    pub fn new(year: i64, month: i64, day: i64) -> Option<Date> {
        let year = i32::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let day = u8::try_from(day).ok().filter(|d| (1..=days).contains(d))?;
        Some(Date { year, month, day })
    }

    /// The first date written in a text — `2024年1月28日` (spaces allowed, as typeset
    /// reports have them) or `2024-01-28` — with its byte range.
    pub fn find(text: &str) -> Option<(Date, std::ops::Range<usize>)> {
        use std::sync::OnceLock;
        static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
        let re = RE
            .get_or_init(|| {
                regex::Regex::new(
                    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|(\d{4})-(\d{1,2})-(\d{1,2})",
                )
                .ok()
            })
            .as_ref()?;
        re.captures_iter(text).find_map(|c| {
            let part = |a: usize, b: usize| {
                c.get(a)
                    .or_else(|| c.get(b))
                    .and_then(|m| m.as_str().parse::<i64>().ok())
            };
            let date = Date::new(part(1, 4)?, part(2, 5)?, part(3, 6)?)?;
            Some((date, c.get(0)?.range()))
        })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match crate::messages::lang() {
            crate::messages::Lang::Zh => write!(f, "{}年{}月{}日", self.year, self.month, self.day),
            crate::messages::Lang::En => {
                write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
            }
        }
    }
}
