//! Expanding merged table cells (HTML rowspan/colspan, DOCX gridSpan/vMerge)
//! into a grid, so each cell knows its column and which cells are copies.

/// A cell as the source gives it.
#[derive(Debug, Clone)]
pub struct SrcCell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
}

/// One slot of the expanded grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// The top-left slot of a source cell: index into that row's cells.
    Origin(usize),
    /// Covered by a cell that starts above or to the left.
    Covered,
}

/// Spans beyond this are treated as this (a hostile `rowspan="100000"`).
pub const MAX_SPAN: usize = 200;

/// The most grid slots one input may lay out, over all its tables: the national
/// tables need a few hundred each; spans of 200×200 on every cell of a 145 KB page
/// would otherwise take gigabytes. A slot takes 16 bytes, so this is 16 MiB.
pub const MAX_SLOTS: usize = 1 << 20;

/// The grid would need more slots than the input's budget has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// Lay out rows of cells with spans; returns the slots of every row. `budget`
/// is the number of slots the input may still use; it is reduced by what this
/// table takes, and the table is refused when it would need more.
pub fn expand(rows: &[Vec<SrcCell>], budget: &mut usize) -> Result<Vec<Vec<Slot>>, TooLarge> {
    let mut grid: Vec<Vec<Option<Slot>>> = vec![Vec::new(); rows.len()];
    for (r, cells) in rows.iter().enumerate() {
        let mut col = 0;
        for (i, c) in cells.iter().enumerate() {
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let rs = c.rowspan.clamp(1, MAX_SPAN);
            let cs = c.colspan.clamp(1, MAX_SPAN);
            for (dr, row) in grid.iter_mut().skip(r).take(rs).enumerate() {
                if row.len() < col + cs {
                    let grow = col + cs - row.len();
                    *budget = budget.checked_sub(grow).ok_or(TooLarge)?;
                    row.resize(col + cs, None);
                }
                for (dc, slot) in row[col..col + cs].iter_mut().enumerate() {
                    if slot.is_none() {
                        *slot = Some(if dr == 0 && dc == 0 {
                            Slot::Origin(i)
                        } else {
                            Slot::Covered
                        });
                    }
                }
            }
            col += cs;
        }
    }
    Ok(grid
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|s| s.unwrap_or(Slot::Covered))
                .collect()
        })
        .collect())
}

/// The cells of each row that start there, in column order (copies left out).
pub fn origin_rows(
    rows: &[Vec<SrcCell>],
    budget: &mut usize,
) -> Result<Vec<Vec<String>>, TooLarge> {
    Ok(expand(rows, budget)?
        .into_iter()
        .zip(rows)
        .map(|(slots, cells)| {
            slots
                .into_iter()
                .filter_map(|s| match s {
                    Slot::Origin(i) => cells.get(i).map(|c| c.text.clone()),
                    Slot::Covered => None,
                })
                .collect()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str, rs: usize, cs: usize) -> SrcCell {
        SrcCell {
            text: t.into(),
            rowspan: rs,
            colspan: cs,
        }
    }

    #[test]
    fn rowspan_and_colspan() {
        let rows = vec![
            vec![c("A", 2, 1), c("B", 1, 2)],
            vec![c("x", 1, 1), c("y", 1, 1)],
        ];
        let mut budget = MAX_SLOTS;
        let g = expand(&rows, &mut budget).unwrap();
        assert_eq!(g[0], vec![Slot::Origin(0), Slot::Origin(1), Slot::Covered]);
        assert_eq!(g[1], vec![Slot::Covered, Slot::Origin(0), Slot::Origin(1)]);
        assert_eq!(budget, MAX_SLOTS - 6, "two rows of three slots");
        assert_eq!(
            origin_rows(&rows, &mut MAX_SLOTS.clone()).unwrap()[1],
            vec!["x".to_string(), "y".to_string()]
        );
    }

    #[test]
    fn the_slot_budget_is_shared_and_refuses_what_exceeds_it() {
        let row = vec![c("A", MAX_SPAN, MAX_SPAN), c("B", MAX_SPAN, MAX_SPAN)];
        let rows = vec![row; 3];
        // 200 rows are not there: only the 3 given rows take slots, 3 × 400 wide + shifts
        let mut budget = 10_000;
        assert!(expand(&rows, &mut budget).is_ok());
        let mut small = 1_000;
        assert_eq!(expand(&rows, &mut small), Err(TooLarge));
    }
}
