//! Digits run together ("7000007" for 7 0 0 0 0 0 7): find every way to cut
//! them into the template's number of cells that the row's own sums allow.

use super::labels::SumRule;
use super::tokens::Val;

/// The outcome of fitting a row's values to its columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    /// As written, one value per column.
    Exact(Vec<Val>),
    /// Run-together digits with exactly one split the sums allow.
    Split(Vec<Val>),
    /// More than one split fits: two of them, to show.
    Ambiguous(Vec<String>, Vec<String>),
    /// No split fits the column count and sums.
    NoSplit,
    /// More values than columns.
    TooMany(usize),
    /// Too few values and nothing to split.
    TooFew(usize),
}

/// Most search steps spent on one row before giving up (reported as no split).
const BUDGET: usize = 200_000;

pub fn fit(vals: &[Val], width: usize, rule: SumRule) -> Fit {
    let mut v: Vec<Val> = vals.to_vec();
    // Blank placeholders of merged cells around the row.
    while v.len() > width && v.last() == Some(&Val::Blank) {
        v.pop();
    }
    while v.len() > width && v.first() == Some(&Val::Blank) {
        v.remove(0);
    }
    if v.len() == width {
        return Fit::Exact(v);
    }
    if v.len() > width {
        return Fit::TooMany(v.len());
    }
    let splittable = v
        .iter()
        .any(|x| matches!(x, Val::Num(s) if s.len() > 1 && s.bytes().all(|b| b.is_ascii_digit())));
    if !splittable {
        return Fit::TooFew(v.len());
    }
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    let mut steps = 0usize;
    search(&v, 0, width, rule, &mut cur, &mut found, &mut steps);
    if steps > BUDGET {
        return Fit::NoSplit;
    }
    match found.len() {
        0 => Fit::NoSplit,
        1 => Fit::Split(found.remove(0).into_iter().map(to_val).collect()),
        _ => {
            let b = found.remove(1);
            Fit::Ambiguous(found.remove(0), b)
        }
    }
}

fn to_val(s: String) -> Val {
    if s.is_empty() {
        Val::Blank
    } else {
        Val::Num(s)
    }
}

/// Depth-first over tokens; each token may be cut into several numbers
/// without leading zeros. Stops after two solutions.
fn search(
    v: &[Val],
    i: usize,
    width: usize,
    rule: SumRule,
    cur: &mut Vec<String>,
    found: &mut Vec<Vec<String>>,
    steps: &mut usize,
) {
    *steps += 1;
    if found.len() >= 2 || *steps > BUDGET || cur.len() > width {
        return;
    }
    if i == v.len() {
        if cur.len() == width && satisfies(cur, rule) {
            found.push(cur.clone());
        }
        return;
    }
    // tokens still to place need at least one cell each
    if cur.len() + (v.len() - i) > width {
        return;
    }
    match &v[i] {
        Val::Blank => {
            cur.push(String::new());
            if partial_ok(cur, rule) {
                search(v, i + 1, width, rule, cur, found, steps);
            }
            cur.pop();
        }
        Val::Num(s) => {
            // "13575394432.52": whole numbers may run into a decimal one, which comes last
            let (int, frac) = match s.split_once('.') {
                Some((i, f)) if !i.starts_with('-') => (i, Some(f)),
                _ if s.starts_with('-') => (s.as_str(), None),
                _ => (s.as_str(), None),
            };
            if int.starts_with('-') || int.is_empty() {
                cur.push(s.clone());
                if partial_ok(cur, rule) {
                    search(v, i + 1, width, rule, cur, found, steps);
                }
                cur.pop();
            } else {
                cut(int, frac, v, i, width, rule, cur, found, steps)
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn cut(
    rest: &str,
    frac: Option<&str>,
    v: &[Val],
    i: usize,
    width: usize,
    rule: SumRule,
    cur: &mut Vec<String>,
    found: &mut Vec<Vec<String>>,
    steps: &mut usize,
) {
    *steps += 1;
    if rest.is_empty() {
        search(v, i + 1, width, rule, cur, found, steps);
        return;
    }
    if found.len() >= 2 || *steps > BUDGET || cur.len() >= width {
        return;
    }
    // a number is "0" or starts with a non-zero digit; at most 15 digits
    let max = if rest.starts_with('0') {
        1
    } else {
        rest.len().min(15)
    };
    for len in 1..=max {
        let mut piece = rest[..len].to_string();
        if len == rest.len() {
            if let Some(f) = frac {
                piece = format!("{piece}.{f}");
            }
        }
        cur.push(piece);
        if partial_ok(cur, rule) {
            cut(&rest[len..], frac, v, i, width, rule, cur, found, steps);
        }
        cur.pop();
        if found.len() >= 2 {
            return;
        }
    }
}

fn num(s: &str) -> Option<i128> {
    if s.is_empty() {
        Some(0)
    } else {
        s.parse().ok()
    }
}

/// Check every completed sum group of a partial row.
fn partial_ok(cur: &[String], rule: SumRule) -> bool {
    match rule {
        SumRule::Fives if cur.len() % 5 == 0 => group_ok(&cur[cur.len() - 5..]),
        _ => true,
    }
}

fn group_ok(g: &[String]) -> bool {
    let n: Option<Vec<i128>> = g.iter().map(|s| num(s)).collect();
    match n {
        Some(n) if !n.is_empty() => {
            let (last, parts) = n.split_last().unwrap_or((&0, &[]));
            parts.iter().sum::<i128>() == *last
        }
        _ => false,
    }
}

fn satisfies(cur: &[String], rule: SumRule) -> bool {
    match rule {
        SumRule::None => true,
        SumRule::LastIsSum => group_ok(cur),
        SumRule::Fives => cur.chunks(5).all(group_ok),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nums(s: &[&str]) -> Vec<Val> {
        s.iter().map(|x| Val::Num(x.to_string())).collect()
    }

    fn strs(f: Fit) -> Vec<String> {
        match f {
            Fit::Split(v) | Fit::Exact(v) => v
                .into_iter()
                .map(|x| match x {
                    Val::Num(s) => s,
                    Val::Blank => String::new(),
                })
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn splits_by_row_sum() {
        assert_eq!(
            strs(fit(&nums(&["7000007"]), 7, SumRule::LastIsSum)),
            ["7", "0", "0", "0", "0", "0", "7"]
        );
        assert_eq!(
            strs(fit(&nums(&["640020470"]), 7, SumRule::LastIsSum)),
            ["64", "0", "0", "2", "0", "4", "70"]
        );
        assert_eq!(
            strs(fit(
                &nums(&["23", "0", "00", "0", "023"]),
                7,
                SumRule::LastIsSum
            )),
            ["23", "0", "0", "0", "0", "0", "23"]
        );
        assert_eq!(
            strs(fit(&nums(&["110024001510102"]), 15, SumRule::Fives)),
            ["1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2"]
        );
    }

    #[test]
    fn reports_ambiguity_and_impossibility() {
        assert!(matches!(
            fit(&nums(&["898989"]), 3, SumRule::None),
            Fit::Ambiguous(..)
        ));
        assert!(matches!(
            fit(&nums(&["12"]), 7, SumRule::LastIsSum),
            Fit::NoSplit
        ));
        assert!(matches!(
            fit(&nums(&["1", "2"]), 7, SumRule::LastIsSum),
            Fit::TooFew(2)
        ));
        assert!(matches!(
            fit(&nums(&["1", "2", "3"]), 2, SumRule::None),
            Fit::TooMany(3)
        ));
        assert_eq!(
            strs(fit(&nums(&["000"]), 3, SumRule::None)),
            ["0", "0", "0"]
        );
    }
}
