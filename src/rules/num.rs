//! Checked arithmetic on the numbers of reports and rules.
//!
//! Every operation on a number a user wrote — in evaluation, in the explanation of a
//! finding, in the repair search — goes through here. `rust_decimal` panics when a result
//! leaves its range (±79228162514264337593543950335); these functions return
//! [`NumError`] instead, which the evaluator turns into a finding on the cells involved.

use rust_decimal::Decimal;

use super::ast::CmpOp;

/// Why an operation on numbers has no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    /// The result is outside the range of exact decimals.
    Overflow,
    /// Division by zero; the dividend is kept for the message.
    DivByZero { dividend: Decimal },
}

pub type NumResult = Result<Decimal, NumError>;

pub fn add(a: Decimal, b: Decimal) -> NumResult {
    a.checked_add(b).ok_or(NumError::Overflow)
}

pub fn sub(a: Decimal, b: Decimal) -> NumResult {
    a.checked_sub(b).ok_or(NumError::Overflow)
}

pub fn mul(a: Decimal, b: Decimal) -> NumResult {
    a.checked_mul(b).ok_or(NumError::Overflow)
}

pub fn div(a: Decimal, b: Decimal) -> NumResult {
    if b.is_zero() {
        return Err(NumError::DivByZero { dividend: a });
    }
    a.checked_div(b).ok_or(NumError::Overflow)
}

/// `-a` never overflows: the range is symmetric.
pub fn neg(a: Decimal) -> Decimal {
    -a
}

/// The sum of some numbers, or the first overflow.
pub fn sum(items: impl IntoIterator<Item = Decimal>) -> NumResult {
    items.into_iter().try_fold(Decimal::ZERO, add)
}

/// Whether `a op b` holds, with an optional tolerance (`within`). Without a tolerance the
/// comparison is exact and never fails; with one, an overflow while widening either side
/// is an error (the numbers are beyond what can be compared meaningfully).
pub fn compare(op: CmpOp, a: Decimal, b: Decimal, tol: Option<Decimal>) -> Result<bool, NumError> {
    let tol = tol.unwrap_or(Decimal::ZERO).abs();
    if tol.is_zero() {
        return Ok(op.holds(&a, &b));
    }
    let close = || sub(a, b).map(|d| d.abs() <= tol);
    Ok(match op {
        CmpOp::Eq => close()?,
        CmpOp::Ne => !close()?,
        CmpOp::Lt => a < add(b, tol)?,
        CmpOp::Le => a <= add(b, tol)?,
        CmpOp::Gt => add(a, tol)? > b,
        CmpOp::Ge => add(a, tol)? >= b,
    })
}

/// `a − b` for a message, or `None` when it does not fit.
pub fn difference(a: Decimal, b: Decimal) -> Option<Decimal> {
    sub(a, b).ok()
}

/// A number as a message shows it, with at most `places` digits after the point. A
/// computed quotient (1/3) has up to 28; messages show it with the precision of the cells
/// it came from.
pub fn display(n: Decimal, places: u32) -> String {
    if n.scale() <= places {
        n.to_string()
    } else {
        n.round_dp(places).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = Decimal::MAX;
        assert_eq!(add(max, Decimal::ONE), Err(NumError::Overflow));
        assert_eq!(sub(-max, Decimal::ONE), Err(NumError::Overflow));
        assert_eq!(sub(max, -max), Err(NumError::Overflow));
        assert_eq!(mul(max, d("2")), Err(NumError::Overflow));
        assert_eq!(
            div(d("5"), Decimal::ZERO),
            Err(NumError::DivByZero { dividend: d("5") })
        );
        assert_eq!(sum([max, max]), Err(NumError::Overflow));
    }

    #[test]
    fn exact_comparisons_of_extremes_hold_without_arithmetic() {
        let max = Decimal::MAX;
        assert_eq!(compare(CmpOp::Eq, max, -max, None), Ok(false));
        assert_eq!(compare(CmpOp::Gt, max, -max, None), Ok(true));
        assert_eq!(
            compare(CmpOp::Eq, max, -max, Some(Decimal::ONE)),
            Err(NumError::Overflow)
        );
    }

    #[test]
    fn display_rounds_to_the_cells_precision() {
        let third = div(d("1"), d("3")).unwrap();
        assert_eq!(display(third, 1), "0.3");
        assert_eq!(display(d("12.5"), 1), "12.5");
        assert_eq!(display(d("12"), 1), "12");
        assert_eq!(display(d("28.57142857"), 2), "28.57");
    }

    proptest! {
        /// Checked operations agree with plain ones wherever plain ones have a result.
        #[test]
        fn agrees_with_unchecked(a in any::<i64>(), b in any::<i64>(), sa in 0u32..10, sb in 0u32..10) {
            let (x, y) = (Decimal::new(a, sa), Decimal::new(b, sb));
            prop_assert_eq!(add(x, y), Ok(x + y));
            prop_assert_eq!(sub(x, y), Ok(x - y));
            prop_assert_eq!(compare(CmpOp::Le, x, y, None), Ok(x <= y));
            prop_assert_eq!(compare(CmpOp::Eq, x, y, Some(Decimal::ONE)), Ok((x - y).abs() <= Decimal::ONE));
        }
    }
}
