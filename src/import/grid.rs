//! Expanding merged table cells (HTML rowspan/colspan, DOCX gridSpan/vMerge)
//! into a grid, so each cell knows its column and which cells are copies.

/// A cell as the source gives it.
#[derive(Debug, Clone)]
pub struct SrcCell {
    pub text: String,
    pub rowspan: usize,
    pub colspan: usize,
}

/// Spans beyond this are treated as this (a hostile `rowspan="100000"`).
pub const MAX_SPAN: usize = 200;

/// The most grid slots one input may lay out, over all its tables: the national
/// tables need a few hundred each; spans of 200×200 on every cell of a 145 KB page
/// would otherwise take gigabytes. A slot takes 24 bytes, so this is 24 MiB.
pub const MAX_SLOTS: usize = 1 << 20;

/// The grid would need more slots than the input's budget has left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// The source cell covering a grid slot: its row and its index in that row.
type Owner = (usize, usize);

/// Lay out rows of cells with spans: the source cell (its row, its index in
/// that row) covering each slot of the grid, `None` for a slot no cell reaches
/// (a short row). `budget` is the number of slots the input may still use; it
/// is reduced by what this table takes, and the table is refused when it would
/// need more.
fn owners(rows: &[Vec<SrcCell>], budget: &mut usize) -> Result<Vec<Vec<Option<Owner>>>, TooLarge> {
    let mut grid: Vec<Vec<Option<Owner>>> = vec![Vec::new(); rows.len()];
    for (r, cells) in rows.iter().enumerate() {
        let mut col = 0;
        for (i, c) in cells.iter().enumerate() {
            while grid[r].get(col).is_some_and(Option::is_some) {
                col += 1;
            }
            let rs = c.rowspan.clamp(1, MAX_SPAN);
            let cs = c.colspan.clamp(1, MAX_SPAN);
            for row in grid.iter_mut().skip(r).take(rs) {
                if row.len() < col + cs {
                    let grow = col + cs - row.len();
                    *budget = budget.checked_sub(grow).ok_or(TooLarge)?;
                    row.resize(col + cs, None);
                }
                for slot in &mut row[col..col + cs] {
                    if slot.is_none() {
                        *slot = Some((r, i));
                    }
                }
            }
            col += cs;
        }
    }
    Ok(grid)
}

/// The cells of each row that start there, in column order (copies left out),
/// each with its place among the cells one sees in that row, counted from 1:
/// a cell merged down from a row above, or across several columns, is one cell.
pub fn origin_rows(
    rows: &[Vec<SrcCell>],
    budget: &mut usize,
) -> Result<Vec<Vec<(String, usize)>>, TooLarge> {
    Ok(owners(rows, budget)?
        .into_iter()
        .enumerate()
        .map(|(r, slots)| {
            let mut out = Vec::new();
            let mut seen = 0;
            let mut prev = None;
            for owner in slots.into_iter().flatten() {
                if prev == Some(owner) {
                    continue;
                }
                prev = Some(owner);
                seen += 1;
                let (or, i) = owner;
                if or == r {
                    if let Some(c) = rows[r].get(i) {
                        out.push((c.text.clone(), seen));
                    }
                }
            }
            out
        })
        .collect())
}

/// The rows of the `table`-th table (from 1) as blocks, each cell at its place.
pub fn cell_rows(
    table: usize,
    rows: Vec<Vec<(String, usize)>>,
) -> impl Iterator<Item = super::tokens::Block> {
    use super::tokens::{Block, Pos};
    rows.into_iter().enumerate().map(move |(r, cells)| {
        Block::Row(
            cells
                .into_iter()
                .map(|(text, cell)| {
                    let at = Pos::Cell {
                        table,
                        row: r + 1,
                        cell,
                    };
                    (text, Some(at))
                })
                .collect(),
        )
    })
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
        let g = owners(&rows, &mut budget).unwrap();
        assert_eq!(g[0], vec![Some((0, 0)), Some((0, 1)), Some((0, 1))]);
        assert_eq!(g[1], vec![Some((0, 0)), Some((1, 0)), Some((1, 1))]);
        assert_eq!(budget, MAX_SLOTS - 6, "two rows of three slots");
        // x is the second cell one sees in its row: A, merged down, is the first
        assert_eq!(
            origin_rows(&rows, &mut MAX_SLOTS.clone()).unwrap()[1],
            vec![("x".to_string(), 2), ("y".to_string(), 3)]
        );
    }

    #[test]
    fn the_slot_budget_is_shared_and_refuses_what_exceeds_it() {
        let row = vec![c("A", MAX_SPAN, MAX_SPAN), c("B", MAX_SPAN, MAX_SPAN)];
        let rows = vec![row; 3];
        // 200 rows are not there: only the 3 given rows take slots, 3 × 400 wide + shifts
        let mut budget = 10_000;
        assert!(owners(&rows, &mut budget).is_ok());
        let mut small = 1_000;
        assert_eq!(owners(&rows, &mut small), Err(TooLarge));
    }
}
