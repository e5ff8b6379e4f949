//! One cell, many failures: when a single cell's change would repair several failing
//! equalities by the same amount, say so, and offer that value as a fix.
//!
//! Each failed equality is linear in its cells: `Σ kᵢ·xᵢ = residual ≠ 0`. Changing cell x
//! by δ repairs it when `k·δ = −residual`. A cell whose δ agrees across two or more
//! failures is a candidate; the engine then re-checks the document with the cell changed,
//! and only keeps the suggestion if those failures vanish and nothing new breaks.

use rust_decimal::Decimal;

use crate::explain::Linear;
use crate::schema::SlotId;

/// A candidate repair: set `slot` to its value + `delta`; it explains `findings`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub slot: SlotId,
    pub delta: Decimal,
    pub findings: Vec<usize>,
}

/// Candidates that explain at least two failures, the most explanatory first.
pub fn candidates(failures: &[(usize, Linear)]) -> Vec<Candidate> {
    let mut found: Vec<Candidate> = Vec::new();
    for (index, lin) in failures {
        for &(slot, coef) in &lin.terms {
            let Some(delta) = (-lin.residual).checked_div(coef) else {
                continue;
            };
            match found
                .iter_mut()
                .find(|c| c.slot == slot && c.delta == delta)
            {
                Some(c) => c.findings.push(*index),
                None => found.push(Candidate {
                    slot,
                    delta,
                    findings: vec![*index],
                }),
            }
        }
    }
    found.retain(|c| c.findings.len() >= 2);
    found.sort_by(|a, b| {
        b.findings
            .len()
            .cmp(&a.findings.len())
            .then(a.slot.cmp(&b.slot))
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_cell_explains_both_failures() {
        // Row total: 183 − (171 + 11) = +1; column total: 252 − (… + 183 + …) = −1.
        let row = Linear {
            residual: Decimal::ONE,
            terms: vec![
                (7, Decimal::ONE),
                (1, Decimal::NEGATIVE_ONE),
                (2, Decimal::NEGATIVE_ONE),
            ],
        };
        let col = Linear {
            residual: Decimal::NEGATIVE_ONE,
            terms: vec![
                (9, Decimal::ONE),
                (7, Decimal::NEGATIVE_ONE),
                (3, Decimal::NEGATIVE_ONE),
            ],
        };
        let c = candidates(&[(0, row), (1, col)]);
        assert_eq!(
            c,
            vec![Candidate {
                slot: 7,
                delta: Decimal::NEGATIVE_ONE,
                findings: vec![0, 1]
            }]
        );
    }
}
