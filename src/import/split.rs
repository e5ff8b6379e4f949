//! Digits run together ("7000007" for 7 0 0 0 0 0 7): find every way to cut
//! them into the template's number of cells that the row's own sums allow.

use super::template::SumRule;
use super::tokens::{Unit, Val};

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
    let splittable = v.iter().any(|x| {
        matches!(x, Val::Num(s) if {
            let d = s.strip_prefix('-').unwrap_or(s);
            d.len() > 1 && d.bytes().all(|b| b.is_ascii_digit())
        })
    });
    if !splittable {
        return Fit::TooFew(v.len());
    }
    let mut search = Search {
        v: &v,
        width,
        rule,
        cur: Vec::new(),
        found: Vec::new(),
        steps: 0,
        max: 2,
    };
    search.token(0);
    let Search {
        mut found, steps, ..
    } = search;
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

/// Every split of a row's run-together values that its own sums allow, when there
/// are at most `max` (None: more, or the search ran out of steps). For settling a
/// row that splits more than one way by the sums of its column.
pub fn candidates(vals: &[Val], width: usize, rule: SumRule, max: usize) -> Option<Vec<Vec<Val>>> {
    let mut search = Search {
        v: vals,
        width,
        rule,
        cur: Vec::new(),
        found: Vec::new(),
        steps: 0,
        max: max + 1,
    };
    search.token(0);
    (search.steps <= BUDGET && search.found.len() <= max).then(|| {
        search
            .found
            .into_iter()
            .map(|c| c.into_iter().map(to_val).collect())
            .collect()
    })
}

/// Which of a row's `cells` (an [`Fit::Split`] or a candidate of `tokens`) come
/// from a token that was cut into several cells: the cells a split inferred.
pub fn cut_cells(tokens: &[Val], cells: &[Val]) -> Vec<usize> {
    let digits = |v: &Val| -> usize {
        match v {
            Val::Num(s) => s.bytes().filter(u8::is_ascii_digit).count(),
            _ => 0,
        }
    };
    let mut out = Vec::new();
    let mut at = 0;
    for tok in tokens {
        let want = digits(tok);
        let start = at;
        let mut got = 0;
        loop {
            let Some(cell) = cells.get(at) else {
                return out;
            };
            got += digits(cell);
            at += 1;
            if got >= want {
                break;
            }
        }
        if at - start > 1 {
            out.extend(start..at);
        }
    }
    out
}

fn to_val(s: String) -> Val {
    if s.is_empty() {
        Val::Blank
    } else if s == "?" {
        Val::Omitted
    } else if let Some(n) = s.strip_suffix("万元") {
        Val::Amount(n.to_string(), Unit::WanYuan)
    } else if let Some(n) = s.strip_suffix('元') {
        Val::Amount(n.to_string(), Unit::Yuan)
    } else {
        Val::Num(s)
    }
}

/// A depth-first search over a row's tokens; each token may be cut into several numbers
/// without leading zeros. Stops after two solutions or `BUDGET` steps.
struct Search<'v> {
    v: &'v [Val],
    width: usize,
    rule: SumRule,
    /// The cells placed so far.
    cur: Vec<String>,
    found: Vec<Vec<String>>,
    steps: usize,
    /// Stop after this many solutions.
    max: usize,
}

impl Search<'_> {
    fn done(&self) -> bool {
        self.found.len() >= self.max || self.steps > BUDGET
    }

    /// Place token `i` and everything after it.
    fn token(&mut self, i: usize) {
        self.steps += 1;
        if self.done() || self.cur.len() > self.width {
            return;
        }
        if i == self.v.len() {
            if self.cur.len() == self.width && satisfies(&self.cur, self.rule) {
                self.found.push(self.cur.clone());
            }
            return;
        }
        // tokens still to place need at least one cell each
        if self.cur.len() + (self.v.len() - i) > self.width {
            return;
        }
        match &self.v[i] {
            Val::Blank => self.whole(String::new(), i),
            // a number with its unit is one cell; it is converted when placed
            v @ Val::Amount(..) => self.whole(v.printed(), i),
            Val::Omitted => self.whole("?".into(), i),
            Val::Num(s) => {
                // a sign belongs to the first number of its run ("-18538": −185 and 38)
                let (neg, digits) = match s.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, s.as_str()),
                };
                // "13575394432.52": whole numbers may run into a decimal one, which comes last
                let (int, frac) = match digits.split_once('.') {
                    Some((i, f)) => (i, Some(f)),
                    None => (digits, None),
                };
                if int.is_empty() {
                    self.whole(s.clone(), i)
                } else {
                    self.cut(int, frac, i, neg)
                }
            }
        }
    }

    /// Token `i` as one cell, as written.
    fn whole(&mut self, cell: String, i: usize) {
        self.cur.push(cell);
        if partial_ok(&self.cur, self.rule) {
            self.token(i + 1);
        }
        self.cur.pop();
    }

    /// Cut the digits `rest` of token `i` into cells; `frac` goes with the last one,
    /// a minus sign (`neg`) with the first.
    fn cut(&mut self, rest: &str, frac: Option<&str>, i: usize, neg: bool) {
        self.steps += 1;
        if rest.is_empty() {
            self.token(i + 1);
            return;
        }
        if self.done() || self.cur.len() >= self.width {
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
            if neg {
                piece.insert(0, '-');
            }
            self.cur.push(piece);
            if partial_ok(&self.cur, self.rule) {
                self.cut(&rest[len..], frac, i, false);
            }
            self.cur.pop();
            if self.found.len() >= self.max {
                return;
            }
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
                    Val::Blank => String::new(),
                    other => other.printed(),
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

    #[test]
    fn cut_cells_are_those_of_tokens_cut_in_several() {
        let toks = nums(&["23", "0", "00", "0", "023"]);
        let Fit::Split(cells) = fit(&toks, 7, SumRule::LastIsSum) else {
            panic!()
        };
        assert_eq!(cut_cells(&toks, &cells), [2, 3, 5, 6]);
        let toks = nums(&["-352"]);
        let Fit::Split(cells) = fit(&toks, 3, SumRule::LastIsSum) else {
            panic!()
        };
        assert_eq!(cut_cells(&toks, &cells), [0, 1, 2]);
        assert!(cut_cells(&toks, &toks).is_empty());
    }

    #[test]
    fn a_sign_stays_with_the_first_number_of_its_run() {
        // "35-15" in a two-column row: exactly as printed
        assert_eq!(
            strs(fit(&nums(&["35", "-15"]), 2, SumRule::None)),
            ["35", "-15"]
        );
        // "10-52" in three columns: 1 0 −52 or 10 −5 2, never one of them silently
        assert!(matches!(
            fit(&nums(&["10", "-52"]), 3, SumRule::None),
            Fit::Ambiguous(..)
        ));
        // a sum settles a run holding a negative number: −3 + 5 = 2
        assert_eq!(
            strs(fit(&nums(&["-352"]), 3, SumRule::LastIsSum)),
            ["-3", "5", "2"]
        );
    }
}
