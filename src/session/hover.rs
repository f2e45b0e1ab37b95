//! What the hovered (or keyboard-chosen) cell is, what it corresponds to, and that in words.

use super::Session;
use crate::trace::{CellKind, CellRef};

impl Session {
    /// Sets the hovered cell and computes what it corresponds to.
    pub fn set_hover(&mut self, cell: Option<CellRef>) {
        // A cell the current trace lacks (from an older frame) hovers nothing.
        let cell = cell.filter(|&c| self.run.trace.grid_of(c).is_some());
        self.hover = cell;
        self.related = cell.map(|c| self.run.trace.related(c)).unwrap_or_default();
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
        let grid = (cell.grid as i64 + i64::from(grids)).clamp(0, trace.grids.len() as i64 - 1) as usize;
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
        let trace = &self.run.trace;
        let grid = trace.grid_of(cell)?;
        let kind = match grid.kind(cell.index) {
            CellKind::Value => "",
            CellKind::Padding => " (padding)",
            CellKind::InsertedZero => " (inserted zero)",
            CellKind::Hole => " (hole: no path reaches it)",
        };
        let labels: Vec<String> = self.related.iter().take(8).map(|c| trace.grids[c.grid].label(c.index)).collect();
        let more = if self.related.len() > labels.len() { ", …" } else { "" };
        let relation = if grid.written { "computed from" } else { "used by" };
        let value = crate::trace::fmt_num(grid.value(cell.index));
        let mut per_grid: Vec<(usize, usize)> = Vec::new();
        for c in &self.related {
            match per_grid.iter_mut().find(|(g, _)| *g == c.grid) {
                Some((_, n)) => *n += 1,
                None => per_grid.push((c.grid, 1)),
            }
        }
        let counts: Vec<String> = per_grid.iter().map(|(g, n)| format!("{n} of {}", trace.grids[*g].symbol)).collect();
        let name = grid.label(cell.index);
        Some(if labels.is_empty() {
            format!("{name} = {value}{kind}; not used by this operator")
        } else {
            format!("{name} = {value}{kind}; {relation} {}: {}{more}", counts.join(" and "), labels.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                "x[0,0,0,4] = {}; used by 1 of y: y[0,0,0,2]",
                crate::trace::fmt_num(s.run().trace.grids[0].value([0, 0, 0, 4]))
            )
        );
        s.move_hover(9, 9, 0); // to the output grid, clamped
        let cell = s.hover().unwrap();
        assert_eq!(s.run().trace.grids[cell.grid].symbol, "y");
        assert!(s.hover_text().unwrap().contains("computed from 9 of x and 9 of w"), "{:?}", s.hover_text());
    }
}
