//! Exact arithmetic for repair plans: rationals on `i128` (every operation checked: an
//! overflow makes the question undecided, never a wrong answer), and whether one set of
//! cells can take new values that satisfy every relation touching it.
//!
//! The equalities are solved by Gaussian elimination; what they leave free (rarely anything:
//! most cells sit in two or three relations) is searched over the cells' lattices (whole
//! numbers, or the places an amount is written with) within bounds found by
//! Fourier–Motzkin elimination, so "infeasible" is proved, not guessed. A search that would
//! take more than its budget says so ([`Verdict::Undecided`]).

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// An exact fraction `n / d`, `d > 0`, in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rat {
    n: i128,
    d: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rat {
    pub const ZERO: Rat = Rat { n: 0, d: 1 };
    pub const ONE: Rat = Rat { n: 1, d: 1 };

    pub fn int(n: i128) -> Rat {
        Rat { n, d: 1 }
    }

    pub fn new(n: i128, d: i128) -> Option<Rat> {
        if d == 1 {
            return Some(Rat { n, d });
        }
        if d == 0 {
            return None;
        }
        let g = gcd(n, d).max(1);
        let (mut n, mut d) = (n / g, d / g);
        if d < 0 {
            n = n.checked_neg()?;
            d = d.checked_neg()?;
        }
        Some(Rat { n, d })
    }

    pub fn from_decimal(x: Decimal) -> Option<Rat> {
        Rat::new(x.mantissa(), 10i128.checked_pow(x.scale())?)
    }

    /// `10^-places`: the step of a number written with `places` decimals.
    pub fn step(places: u32) -> Option<Rat> {
        Rat::new(1, 10i128.checked_pow(places)?)
    }

    pub fn checked_add(self, o: Rat) -> Option<Rat> {
        if self.d == 1 && o.d == 1 {
            return Some(Rat::int(self.n.checked_add(o.n)?));
        }
        let n = self
            .n
            .checked_mul(o.d)?
            .checked_add(o.n.checked_mul(self.d)?)?;
        Rat::new(n, self.d.checked_mul(o.d)?)
    }

    pub fn checked_sub(self, o: Rat) -> Option<Rat> {
        self.checked_add(o.checked_neg()?)
    }

    pub fn checked_mul(self, o: Rat) -> Option<Rat> {
        if self.d == 1 && o.d == 1 {
            return Some(Rat::int(self.n.checked_mul(o.n)?));
        }
        let g1 = gcd(self.n, o.d).max(1);
        let g2 = gcd(o.n, self.d).max(1);
        Rat::new(
            (self.n / g1).checked_mul(o.n / g2)?,
            (self.d / g2).checked_mul(o.d / g1)?,
        )
    }

    pub fn checked_div(self, o: Rat) -> Option<Rat> {
        if o.n == 0 {
            return None;
        }
        self.checked_mul(Rat::new(o.d, o.n)?)
    }

    pub fn checked_neg(self) -> Option<Rat> {
        Some(Rat {
            n: self.n.checked_neg()?,
            d: self.d,
        })
    }

    pub fn is_zero(self) -> bool {
        self.n == 0
    }

    pub fn signum(self) -> i128 {
        self.n.signum()
    }

    pub fn compare(self, o: Rat) -> Option<Ordering> {
        Some(self.checked_sub(o)?.n.cmp(&0))
    }

    pub fn floor(self) -> i128 {
        self.n.div_euclid(self.d)
    }

    pub fn ceil(self) -> i128 {
        -((-self.n).div_euclid(self.d))
    }

    pub fn is_integer(self) -> bool {
        self.d == 1
    }

    /// As a decimal with exactly `scale` places, when it has no more than that.
    pub fn to_decimal(self, scale: u32) -> Option<Decimal> {
        let p = 10i128.checked_pow(scale)?;
        let scaled = self.n.checked_mul(p)?;
        if scaled % self.d != 0 {
            return None;
        }
        Decimal::try_from_i128_with_scale(scaled / self.d, scale).ok()
    }
}

impl std::fmt::Display for Rat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.d == 1 {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

/// How a constraint compares `a·Δ` with `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Le,
    Lt,
}

/// `a·Δ (= | ≤ | <) b`, over the changes Δ of the cells of one set.
#[derive(Debug, Clone)]
pub struct Constraint {
    pub a: Vec<Rat>,
    pub cmp: Cmp,
    pub b: Rat,
}

/// A cell that may change: its value now, the lattice its values lie on, its lower bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Var {
    pub x0: Rat,
    pub step: Rat,
    pub lower: Option<Rat>,
}

/// A linear condition the new values must satisfy when they are not determined one by one:
/// `Σ coef·x (= | ≤ | <) rhs` over the set's cells (the equations first, then the
/// inequalities of the relations that bound an open value).
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub coefs: Vec<Rat>,
    pub cmp: Cmp,
    pub rhs: Rat,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Infeasible,
    /// New values exist. Each cell's value when the relations fix it, and the equations
    /// that tie the others together.
    /// `point` is the new value of every cell at the lattice point that was found: a witness
    /// that the rules themselves can check when some values are open.
    Feasible {
        values: Vec<Option<Rat>>,
        known: Vec<Known>,
        point: Vec<Rat>,
    },
    /// Overflow, or more candidate points than the budget: no claim either way.
    Undecided,
}

/// An inequality over the free variables: `a·t ≤ b` (or `<`).
#[derive(Debug, Clone)]
struct Ineq {
    a: Vec<Rat>,
    b: Rat,
    strict: bool,
}

/// Whether the cells `vars` can take values, on their lattices and above their bounds,
/// satisfying `cons`. `budget` counts the lattice points tried and is shared by a search.
pub fn solve(vars: &[Var], cons: &[Constraint], budget: &mut usize) -> Verdict {
    solve_inner(vars, cons, budget).unwrap_or(Verdict::Undecided)
}

fn solve_inner(vars: &[Var], cons: &[Constraint], budget: &mut usize) -> Option<Verdict> {
    let m = vars.len();
    // Gaussian elimination of the equalities, to reduced row echelon form.
    let mut rows: Vec<(Vec<Rat>, Rat)> = cons
        .iter()
        .filter(|c| c.cmp == Cmp::Eq)
        .map(|c| (c.a.clone(), c.b))
        .collect();
    let mut pivots: Vec<(usize, usize)> = Vec::new(); // (row, column)
    let mut r = 0;
    for col in 0..m {
        let Some(p) = (r..rows.len()).find(|&i| !rows[i].0[col].is_zero()) else {
            continue;
        };
        rows.swap(r, p);
        let inv = Rat::ONE.checked_div(rows[r].0[col])?;
        for j in 0..m {
            rows[r].0[j] = rows[r].0[j].checked_mul(inv)?;
        }
        rows[r].1 = rows[r].1.checked_mul(inv)?;
        for i in 0..rows.len() {
            let f = rows[i].0[col];
            if i == r || f.is_zero() {
                continue;
            }
            for j in 0..m {
                rows[i].0[j] = rows[i].0[j].checked_sub(f.checked_mul(rows[r].0[j])?)?;
            }
            rows[i].1 = rows[i].1.checked_sub(f.checked_mul(rows[r].1)?)?;
        }
        pivots.push((r, col));
        r += 1;
    }
    if rows[r..].iter().any(|(_, b)| !b.is_zero()) {
        return Some(Verdict::Infeasible);
    }
    let free: Vec<usize> = (0..m)
        .filter(|c| !pivots.iter().any(|&(_, p)| p == *c))
        .collect();
    let d = free.len();
    // Δ_j = c_j + e_j·t, t the changes of the free cells.
    let mut c = vec![Rat::ZERO; m];
    let mut e = vec![vec![Rat::ZERO; d]; m];
    for (k, &f) in free.iter().enumerate() {
        e[f][k] = Rat::ONE;
    }
    for &(row, col) in &pivots {
        c[col] = rows[row].1;
        for (k, &f) in free.iter().enumerate() {
            e[col][k] = rows[row].0[f].checked_neg()?;
        }
    }
    // Inequalities (relations and bounds) over t.
    let mut ineqs = Vec::new();
    for con in cons.iter().filter(|c| c.cmp != Cmp::Eq) {
        let mut a = vec![Rat::ZERO; d];
        let mut b = con.b;
        for j in 0..m {
            if con.a[j].is_zero() {
                continue;
            }
            b = b.checked_sub(con.a[j].checked_mul(c[j])?)?;
            for k in 0..d {
                a[k] = a[k].checked_add(con.a[j].checked_mul(e[j][k])?)?;
            }
        }
        ineqs.push(Ineq {
            a,
            b,
            strict: con.cmp == Cmp::Lt,
        });
    }
    for (j, v) in vars.iter().enumerate() {
        // x0 + c + e·t ≥ lower  ⇔  −e·t ≤ x0 + c − lower
        if let Some(lower) = v.lower {
            let mut a = vec![Rat::ZERO; d];
            for k in 0..d {
                a[k] = e[j][k].checked_neg()?;
            }
            ineqs.push(Ineq {
                a,
                b: v.x0.checked_add(c[j])?.checked_sub(lower)?,
                strict: false,
            });
        }
    }
    let mut t = Vec::with_capacity(d);
    let found = search(vars, &free, &c, &e, &ineqs, &mut t, budget)?;
    if !found {
        return Some(Verdict::Infeasible);
    }
    let values: Vec<Option<Rat>> = (0..m)
        .map(|j| {
            if e[j].iter().all(|x| x.is_zero()) {
                vars[j].x0.checked_add(c[j])
            } else {
                None
            }
        })
        .collect();
    let mut known = Vec::new();
    for &(row, col) in &pivots {
        if e[col].iter().all(|x| x.is_zero()) {
            continue;
        }
        // x_p − x0_p + Σ A[f](x_f − x0_f) = b
        let mut coefs = vec![Rat::ZERO; m];
        coefs[col] = Rat::ONE;
        let mut rhs = rows[row].1.checked_add(vars[col].x0)?;
        for &f in &free {
            let a = rows[row].0[f];
            coefs[f] = a;
            rhs = rhs.checked_add(a.checked_mul(vars[f].x0)?)?;
        }
        known.push(Known {
            coefs,
            cmp: Cmp::Eq,
            rhs,
        });
    }
    let mut point = Vec::with_capacity(m);
    for j in 0..m {
        let mut x = vars[j].x0.checked_add(c[j])?;
        for k in 0..d {
            x = x.checked_add(e[j][k].checked_mul(t[k])?)?;
        }
        point.push(x);
    }
    if d > 0 {
        bounds(vars, cons, &values, &mut known)?;
    }
    Some(Verdict::Feasible {
        values,
        known,
        point,
    })
}

/// The inequalities among `cons` that bound an open value, over the new values `x = x0 + Δ`
/// with the fixed values substituted: `a·Δ ≤ b` ⇔ `Σ a·x ≤ b + Σ a·x0`.
fn bounds(
    vars: &[Var],
    cons: &[Constraint],
    values: &[Option<Rat>],
    known: &mut Vec<Known>,
) -> Option<()> {
    for con in cons.iter().filter(|c| c.cmp != Cmp::Eq) {
        let mut coefs = vec![Rat::ZERO; vars.len()];
        let mut rhs = con.b;
        for (j, v) in vars.iter().enumerate() {
            let a = con.a[j];
            if a.is_zero() {
                continue;
            }
            rhs = rhs.checked_add(a.checked_mul(v.x0)?)?;
            match values[j] {
                Some(x) => rhs = rhs.checked_sub(a.checked_mul(x)?)?,
                None => coefs[j] = a,
            }
        }
        if coefs.iter().all(|a| a.is_zero()) {
            continue;
        }
        let k = Known {
            coefs,
            cmp: con.cmp,
            rhs,
        };
        if !known.contains(&k) {
            known.push(k);
        }
    }
    Some(())
}

/// Depth-first over the free variables: bounds for the next from the inequalities (the
/// others projected away), its lattice values nearest to no change first.
fn search(
    vars: &[Var],
    free: &[usize],
    c: &[Rat],
    e: &[Vec<Rat>],
    ineqs: &[Ineq],
    t: &mut Vec<Rat>,
    budget: &mut usize,
) -> Option<bool> {
    let level = t.len();
    let d = free.len();
    // Substitute what is fixed.
    let mut rest: Vec<Ineq> = Vec::with_capacity(ineqs.len());
    for q in ineqs {
        let mut b = q.b;
        for (k, tk) in t.iter().enumerate() {
            b = b.checked_sub(q.a[k].checked_mul(*tk)?)?;
        }
        rest.push(Ineq {
            a: q.a[level..].to_vec(),
            b,
            strict: q.strict,
        });
    }
    if level == d {
        // Every value is known: the lattice and the inequalities, exactly.
        for (j, v) in vars.iter().enumerate() {
            let mut delta = c[j];
            for k in 0..d {
                delta = delta.checked_add(e[j][k].checked_mul(t[k])?)?;
            }
            if !v.x0.checked_add(delta)?.checked_div(v.step)?.is_integer() {
                return Some(false);
            }
        }
        let ok = rest.iter().all(|q| match q.strict {
            true => q.b.signum() > 0,
            false => q.b.signum() >= 0,
        });
        return Some(ok);
    }
    // Project onto the next variable.
    let mut sys = rest;
    for v in (1..d - level).rev() {
        let (mut pos, mut neg, mut out) = (Vec::new(), Vec::new(), Vec::new());
        for q in sys {
            match q.a[v].signum() {
                1 => pos.push(q),
                -1 => neg.push(q),
                _ => out.push(q),
            }
        }
        for p in &pos {
            for n in &neg {
                let (fp, fn_) = (n.a[v].checked_neg()?, p.a[v]);
                let mut a = Vec::with_capacity(v);
                for k in 0..v {
                    a.push(
                        p.a[k]
                            .checked_mul(fp)?
                            .checked_add(n.a[k].checked_mul(fn_)?)?,
                    );
                }
                out.push(Ineq {
                    a,
                    b: p.b.checked_mul(fp)?.checked_add(n.b.checked_mul(fn_)?)?,
                    strict: false,
                });
            }
        }
        if out.len() > 4096 {
            return None;
        }
        sys = out
            .into_iter()
            .map(|mut q| {
                q.a.truncate(v);
                q
            })
            .collect();
    }
    let (mut lo, mut hi): (Option<Rat>, Option<Rat>) = (None, None);
    for q in &sys {
        let a = q.a[0];
        match a.signum() {
            0 => {
                if q.b.signum() < 0 {
                    return Some(false);
                }
            }
            s => {
                let bound = q.b.checked_div(a)?;
                if s > 0 {
                    hi = Some(match hi {
                        Some(h) if h.compare(bound)? != Ordering::Greater => h,
                        _ => bound,
                    });
                } else {
                    lo = Some(match lo {
                        Some(l) if l.compare(bound)? != Ordering::Less => l,
                        _ => bound,
                    });
                }
            }
        }
    }
    // t = Δ of the free cell: x0 + t = step·k.
    let var = vars[free[level]];
    let k_of = |delta: Rat| var.x0.checked_add(delta)?.checked_div(var.step);
    let k_lo = match lo {
        Some(l) => Some(k_of(l)?.ceil()),
        None => None,
    };
    let k_hi = match hi {
        Some(h) => Some(k_of(h)?.floor()),
        None => None,
    };
    if let (Some(l), Some(h)) = (k_lo, k_hi) {
        if l > h {
            return Some(false);
        }
    }
    let home = var.x0.checked_div(var.step)?.floor();
    let home = match (k_lo, k_hi) {
        (Some(l), _) if home < l => l,
        (_, Some(h)) if home > h => h,
        _ => home,
    };
    let inside = |k: i128| k_lo.is_none_or(|l| k >= l) && k_hi.is_none_or(|h| k <= h);
    let mut step = 0i128;
    loop {
        let candidates = if step == 0 {
            vec![home]
        } else {
            vec![home.checked_add(step)?, home.checked_sub(step)?]
        };
        let any_inside = candidates.iter().any(|&k| inside(k));
        if !any_inside {
            return Some(false);
        }
        for k in candidates.into_iter().filter(|&k| inside(k)) {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            let delta = Rat::int(k).checked_mul(var.step)?.checked_sub(var.x0)?;
            t.push(delta);
            // On success `t` keeps the point found.
            if search(vars, free, c, e, ineqs, t, budget)? {
                return Some(true);
            }
            t.pop();
        }
        step += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(x0: i128) -> Var {
        Var {
            x0: Rat::int(x0),
            step: Rat::ONE,
            lower: Some(Rat::ZERO),
        }
    }

    fn eq(a: &[i128], b: i128) -> Constraint {
        Constraint {
            a: a.iter().map(|&x| Rat::int(x)).collect(),
            cmp: Cmp::Eq,
            b: Rat::int(b),
        }
    }

    #[test]
    fn rationals_are_exact_and_checked() {
        let third = Rat::new(1, 3).unwrap();
        assert_eq!(
            third
                .checked_add(third)
                .unwrap()
                .checked_add(third)
                .unwrap(),
            Rat::ONE
        );
        assert_eq!(Rat::new(-7, 2).unwrap().floor(), -4);
        assert_eq!(Rat::new(-7, 2).unwrap().ceil(), -3);
        assert!(Rat::int(i128::MAX).checked_add(Rat::ONE).is_none());
        assert_eq!(
            Rat::from_decimal(Decimal::new(791500, 4)).unwrap(),
            Rat::new(1583, 20).unwrap()
        );
        assert_eq!(
            Rat::new(1583, 20)
                .unwrap()
                .to_decimal(4)
                .unwrap()
                .to_string(),
            "79.1500"
        );
        assert_eq!(Rat::new(1, 3).unwrap().to_decimal(4), None);
    }

    #[test]
    fn a_determined_change() {
        // One cell, two relations asking for Δ = −1.
        let v = solve(&[count(183)], &[eq(&[1], -1), eq(&[-1], 1)], &mut 100);
        assert_eq!(
            v,
            Verdict::Feasible {
                values: vec![Some(Rat::int(182))],
                known: vec![],
                point: vec![Rat::int(182)],
            }
        );
        // Asking for different changes: impossible.
        assert_eq!(
            solve(&[count(183)], &[eq(&[1], -1), eq(&[1], 2)], &mut 100),
            Verdict::Infeasible
        );
    }

    #[test]
    fn counts_stay_whole_and_non_negative() {
        assert_eq!(
            solve(&[count(0)], &[eq(&[1], -1)], &mut 100),
            Verdict::Infeasible
        );
        assert_eq!(
            solve(&[count(3)], &[eq(&[2], 1)], &mut 100),
            Verdict::Infeasible
        );
        // Two cells tied by one relation: a + b must grow by 1; many ways.
        let v = solve(&[count(0), count(0)], &[eq(&[1, 1], 1)], &mut 100);
        let Verdict::Feasible {
            values,
            known,
            point,
        } = v
        else {
            panic!("{v:?}")
        };
        assert_eq!(values, vec![None, None]);
        assert_eq!(known.len(), 1);
        assert_eq!((known[0].cmp, known[0].rhs), (Cmp::Eq, Rat::ONE));
        // The point found satisfies it, and stays whole and ≥ 0.
        assert_eq!(point[0].checked_add(point[1]), Some(Rat::ONE));
        assert!(point.iter().all(|x| x.is_integer() && x.signum() >= 0));
        // … but not shrink by 1 below zero.
        assert_eq!(
            solve(&[count(0), count(0)], &[eq(&[1, 1], -1)], &mut 100),
            Verdict::Infeasible
        );
        // Parity: 2a + 2b = 1 has no whole solution, and that is proved.
        assert_eq!(
            solve(&[count(5), count(5)], &[eq(&[2, 2], 1)], &mut 100),
            Verdict::Infeasible
        );
    }

    #[test]
    fn an_open_value_comes_with_its_bounds_and_a_point_inside_them() {
        // A cell written −2 that must be ≥ 0 (the relation x ≥ 0: −Δ ≤ −2), nothing else.
        let signed = Var {
            x0: Rat::int(-2),
            step: Rat::ONE,
            lower: None,
        };
        let ge = Constraint {
            a: vec![Rat::int(-1)],
            cmp: Cmp::Le,
            b: Rat::int(-2),
        };
        let v = solve(&[signed], &[ge], &mut 100);
        assert_eq!(
            v,
            Verdict::Feasible {
                values: vec![None],
                // −x ≤ 0
                known: vec![Known {
                    coefs: vec![Rat::int(-1)],
                    cmp: Cmp::Le,
                    rhs: Rat::ZERO
                }],
                // The nearest value allowed.
                point: vec![Rat::ZERO],
            }
        );
    }

    #[test]
    fn inequalities_and_budget() {
        let le = Constraint {
            a: vec![Rat::ONE],
            cmp: Cmp::Le,
            b: Rat::int(-5),
        };
        // 3 + Δ ≥ 0 and Δ ≤ −5: impossible.
        assert_eq!(
            solve(&[count(3)], std::slice::from_ref(&le), &mut 100),
            Verdict::Infeasible
        );
        let v = solve(&[count(9)], &[le], &mut 100);
        assert!(matches!(v, Verdict::Feasible { .. }), "{v:?}");
        // Unbounded with no lattice point: the budget runs out instead of looping.
        let signed = Var {
            x0: Rat::ZERO,
            step: Rat::ONE,
            lower: None,
        };
        let v = solve(&[signed, signed], &[eq(&[2, 4], 1)], &mut 50);
        assert_eq!(v, Verdict::Undecided);
    }
}
