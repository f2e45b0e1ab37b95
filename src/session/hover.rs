//! What the hovered (or keyboard-chosen) cell is, what it corresponds to, and that in words.

use super::Session;
use crate::msg;
use crate::text::Msg;
use crate::trace::{CellKind, CellRef};

/// "9 of x and 9 of w": how many of `cells` each grid holds, in order of first appearance.
pub(crate) fn count_per_grid(trace: &crate::trace::Trace, cells: &[CellRef]) -> Msg {
    let mut per_grid: Vec<(usize, usize)> = Vec::new();
    for c in cells {
        match per_grid.iter_mut().find(|(g, _)| *g == c.grid) {
            Some((_, n)) => *n += 1,
            None => per_grid.push((c.grid, 1)),
        }
    }
    let counts = per_grid.iter().map(|&(g, n)| msg!("hover-count", n = n, grid = &trace.grids[g].symbol));
    Msg::join(counts.collect(), "and-sep")
}

impl Session {
    /// Sets the hovered cell and computes what it corresponds to.
    pub fn set_hover(&mut self, cell: Option<CellRef>) {
        // A cell the current trace lacks (from an older frame) hovers nothing.
        let cell = cell.filter(|&c| self.run.trace.grid_of(c).is_some());
        // While a shape or field question is open, the computed grids are not on the picture,
        // and nothing hovered leads to them.
        let veiled = self.veiled_grids();
        let cell = cell.filter(|c| !veiled.contains(&c.grid));
        self.hover = cell;
        self.related = match cell {
            Some(_) if self.practice_quiet() => Vec::new(),
            Some(c) => self.correspondences(c),
            None => Vec::new(),
        };
    }

    /// What a hovered cell corresponds to: for a weight the current step multiplies by, only
    /// the cells of those products; else every cell it was computed from or feeds.
    fn correspondences(&self, cell: CellRef) -> Vec<CellRef> {
        let trace = &self.run.trace;
        let now = trace.products_at(self.step, cell);
        if now.is_empty() {
            return self.cell_index().related(trace, cell);
        }
        let mut out: Vec<CellRef> =
            now.into_iter().flat_map(|(data, target)| data.into_iter().chain([target])).collect();
        out.sort();
        out.dedup();
        out
    }

    pub fn hover(&self) -> Option<CellRef> {
        self.hover
    }

    /// Moves the hovered cell by keyboard: `grids` switches panels' grids, `rows`/`cols` move
    /// within the grid (clamped). With nothing hovered, starts at the first cell.
    pub fn move_hover(&mut self, grids: i32, rows: i32, cols: i32) {
        let trace = &self.run.trace;
        let Some(cell) = self.hover else {
            self.set_hover(Some(CellRef { grid: 0, index: [0; 4] }));
            return;
        };
        // Grids on the picture only (a shape question leaves the output out).
        let veiled = self.veiled_grids();
        let shown: Vec<usize> = (0..trace.grids.len()).filter(|g| !veiled.contains(g)).collect();
        let at = shown.iter().position(|&g| g == cell.grid).unwrap_or(0) as i64;
        let grid = shown[(at + i64::from(grids)).clamp(0, shown.len() as i64 - 1) as usize];
        let shape = trace.grids[grid].shape;
        let clamp = |v: i64, len: usize| v.clamp(0, len as i64 - 1) as usize;
        let index = [
            clamp(cell.index[0] as i64, shape[0]),
            clamp(cell.index[1] as i64, shape[1]),
            clamp(cell.index[2] as i64 + i64::from(rows), shape[2]),
            clamp(cell.index[3] as i64 + i64::from(cols), shape[3]),
        ];
        self.set_hover(Some(CellRef { grid, index }));
    }

    /// The hovered cell and what it corresponds to, in words.
    pub fn hover_text(&self) -> Option<String> {
        let cell = self.hover?;
        if self.hidden_cell() == Some(cell) {
            return Some(msg!("practice-hover-hidden").tr(self.lang));
        }
        let trace = &self.run.trace;
        let grid = trace.grid_of(cell)?;
        let kind = match grid.kind(cell.index) {
            CellKind::Value => Msg::default(),
            CellKind::Padding => msg!("hover-kind-padding"),
            CellKind::InsertedZero => msg!("hover-kind-inserted"),
            CellKind::Hole => msg!("hover-kind-hole"),
        };
        let value = crate::trace::fmt_num(grid.value(cell.index));
        if self.practice_quiet() {
            let name = grid.label(cell.index);
            return Some(msg!("practice-hover-concealed", name = name, value = value, kind = kind).tr(self.lang));
        }
        let label = |c: &CellRef| trace.grids[c.grid].label(c.index);
        let list = |cells: &[CellRef]| {
            let shown: Vec<String> = cells.iter().take(8).map(label).collect();
            let more = if cells.len() > shown.len() { ", …" } else { "" };
            msg!("hover-list", counts = count_per_grid(trace, cells), cells = format!("{}{more}", shown.join(", ")))
        };
        let mut parts = Vec::new();
        let now = trace.products_at(self.step, cell);
        if !now.is_empty() {
            let products: Vec<Msg> = now
                .iter()
                .take(4)
                .map(|(data, target)| {
                    let data: Vec<String> = data.iter().map(label).collect();
                    let data = if data.is_empty() { msg!("hover-nothing") } else { Msg::same(data.join(" + ")) };
                    msg!("hover-product", data = data, target = label(target))
                })
                .collect();
            let more = if now.len() > products.len() { ", …" } else { "" };
            let products = Msg::Seq(vec![Msg::join(products, "clause-sep"), Msg::same(more)]);
            parts.push(msg!("hover-multiplies", step = self.step, products = products));
        }
        let index = self.cell_index();
        let (sources, uses) = (index.sources(trace, cell), index.uses(trace, cell));
        if !sources.is_empty() {
            parts.push(msg!("hover-computed-from", list = list(&sources)));
        }
        if !uses.is_empty() {
            let id = if now.is_empty() { "hover-feeds" } else { "hover-feeds-over-all" };
            parts.push(Msg::id(id).with("list", list(&uses)));
        }
        let name = grid.label(cell.index);
        let written = index.written_at(trace, cell);
        Some(if let (true, Some(step)) = (parts.is_empty(), written) {
            // Written, but from no cell on the picture (a path count of a layer stack).
            msg!("hover-written-whole", name = name, value = value, kind = kind, step = step).tr(self.lang)
        } else if parts.is_empty() {
            msg!("hover-unused", name = name, value = value, kind = kind).tr(self.lang)
        } else {
            msg!("hover", name = name, value = value, kind = kind, parts = Msg::join(parts, "clause-sep")).tr(self.lang)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_written_from_no_cell_on_the_picture_says_when_it_was_written() {
        let mut s = Session::from_query("op=receptive_field");
        let map = s.run().trace.grids.len() - 1;
        s.set_hover(Some(CellRef { grid: map, index: [0, 0, 3, 3] }));
        let text = s.hover_text().unwrap();
        assert!(text.contains("written at step 1") && !text.contains("not used"), "{text}");
    }

    #[test]
    fn the_keyboard_cursor_moves_within_grids_and_describes_cells() {
        let mut s = Session::from_query("op=conv2d");
        s.move_hover(0, 0, 0);
        assert_eq!(s.hover(), Some(CellRef { grid: 0, index: [0; 4] }));
        s.move_hover(0, -5, 99);
        assert_eq!(s.hover(), Some(CellRef { grid: 0, index: [0, 0, 0, 4] }));
        assert_eq!(
            s.hover_text().unwrap(),
            format!(
                "x[0,0,0,4] = {}; feeds 1 of y: y[0,0,0,2]",
                crate::trace::fmt_num(s.run().trace.grids[0].value([0, 0, 0, 4]))
            )
        );
        s.move_hover(9, 9, 0); // to the output grid, clamped
        let cell = s.hover().unwrap();
        assert_eq!(s.run().trace.grids[cell.grid].symbol, "y");
        assert!(s.hover_text().unwrap().contains("computed from 9 of x and 9 of w"), "{:?}", s.hover_text());
    }

    #[test]
    fn a_kernel_tap_shows_its_product_at_this_step_and_an_intermediate_cell_both_directions() {
        let mut s = Session::from_query("op=conv2d&step=1");
        let trace = s.run().trace.clone();
        let w = trace.grids.iter().position(|g| g.symbol == "w").unwrap();
        s.set_hover(Some(CellRef { grid: w, index: [0, 0, 1, 1] }));
        // At step 1 (y[0,0,0,0]) the centre tap multiplies x[0,0,1,1]: only that product.
        let x = trace.grids.iter().position(|g| g.symbol == "x").unwrap();
        let y = trace.grids.iter().position(|g| g.symbol == "y").unwrap();
        assert_eq!(s.related, vec![CellRef { grid: x, index: [0, 0, 1, 1] }, CellRef { grid: y, index: [0; 4] }]);
        let text = s.hover_text().unwrap();
        assert!(text.contains("at step 1 it multiplies x[0,0,1,1] into y[0,0,0,0] (highlighted)"), "{text}");
        assert!(text.contains("over all steps it feeds 9 of y"), "{text}");
        // The gather view's zero-inserted grid is computed from x and feeds y.
        let mut s = Session::from_query("op=conv_transpose2d");
        let z = s.run().trace.grids.iter().position(|g| g.symbol == "z").unwrap();
        let cell = s.run().trace.grids[z].unravel(s.run().trace.grids[z].len() / 2);
        s.set_hover(Some(CellRef { grid: z, index: cell }));
        let text = s.hover_text().unwrap();
        assert!(text.contains("computed from 1 of x") && text.contains("feeds "), "{text}");
        assert!(!text.contains("computed from 1 of x and"), "{text}");
    }
}
