//! Which writes target and which read each cell, so [`Trace::sources`] and [`Trace::uses`]
//! are answered without a pass over the whole trace: a hover over a trace of 400,000 taps
//! asks both on every move of the pointer.

use super::{CellRef, Trace, Write};

/// A write by its place in the trace: `(step, write)`.
type WriteId = (u32, u32);

/// For every cell of every grid, the writes that target it and the writes that read it, as
/// compressed rows: the writes of cell `o` of grid `g` are `list[start[g][o]..start[g][o + 1]]`.
pub struct CellIndex {
    target_start: Vec<Vec<u32>>,
    targets: Vec<WriteId>,
    read_start: Vec<Vec<u32>>,
    reads: Vec<WriteId>,
}

/// The cells a write reads: its taps' weights and source cells, and its constant's cell.
fn read_cells(write: &Write) -> impl Iterator<Item = CellRef> + '_ {
    let taps = write.taps.iter().flat_map(|t| t.weight.into_iter().chain(t.source.cells()));
    write.constant().and_then(|c| c.cell).into_iter().chain(taps)
}

impl CellIndex {
    pub fn new(trace: &Trace) -> CellIndex {
        let writes = || {
            trace.steps.iter().enumerate().flat_map(|(s, step)| {
                step.writes.iter().enumerate().map(move |(w, write)| ((s as u32, w as u32), write))
            })
        };
        let (target_start, targets) = rows(trace, || writes().map(|(id, write)| (id, write.target)));
        let (read_start, reads) =
            rows(trace, || writes().flat_map(|(id, write)| read_cells(write).map(move |c| (id, c))));
        CellIndex { target_start, targets, read_start, reads }
    }

    /// What [`Trace::sources`] answers: the weights, data cells and bias of every write that
    /// set `cell`, sorted, each once.
    pub fn sources(&self, trace: &Trace, cell: CellRef) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = lookup(trace, &self.target_start, &self.targets, cell)
            .iter()
            .flat_map(|&(s, w)| read_cells(&trace.steps[s as usize].writes[w as usize]))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// What [`Trace::uses`] answers: the targets of every write that reads `cell` (other
    /// than `cell` itself), sorted, each once.
    pub fn uses(&self, trace: &Trace, cell: CellRef) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = lookup(trace, &self.read_start, &self.reads, cell)
            .iter()
            .map(|&(s, w)| trace.steps[s as usize].writes[w as usize].target)
            .filter(|&target| target != cell)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The step (counted from 1) of the first write that sets `cell`, if any does.
    pub fn written_at(&self, trace: &Trace, cell: CellRef) -> Option<usize> {
        lookup(trace, &self.target_start, &self.targets, cell).first().map(|&(s, _)| s as usize + 1)
    }

    /// [`CellIndex::sources`] and [`CellIndex::uses`] together, as [`Trace::related`].
    pub fn related(&self, trace: &Trace, cell: CellRef) -> Vec<CellRef> {
        let mut out = self.sources(trace, cell);
        out.extend(self.uses(trace, cell));
        out.sort();
        out.dedup();
        out
    }
}

/// Compressed rows of the `(write, cell)` pairs `pairs()` yields (twice: counting, then
/// placing), by cell, in trace order within a cell.
fn rows<I: Iterator<Item = (WriteId, CellRef)>>(trace: &Trace, pairs: impl Fn() -> I) -> (Vec<Vec<u32>>, Vec<WriteId>) {
    let mut start: Vec<Vec<u32>> = trace.grids.iter().map(|g| vec![0; g.len() + 1]).collect();
    let place = |cell: CellRef| trace.grid_of(cell).map(|g| (cell.grid, g.offset(cell.index)));
    for (_, cell) in pairs() {
        if let Some((g, o)) = place(cell) {
            start[g][o + 1] += 1;
        }
    }
    for row in &mut start {
        for o in 1..row.len() {
            row[o] += row[o - 1];
        }
    }
    let total: usize = start.iter().map(|row| row.last().copied().unwrap_or(0) as usize).sum();
    // Each grid's rows follow the previous grid's in one list.
    let mut base = 0u32;
    for row in &mut start {
        let len = row.last().copied().unwrap_or(0);
        for entry in row.iter_mut() {
            *entry += base;
        }
        base += len;
    }
    let mut list = vec![(0, 0); total];
    let mut next: Vec<Vec<u32>> = start.iter().map(|row| row[..row.len() - 1].to_vec()).collect();
    for (id, cell) in pairs() {
        if let Some((g, o)) = place(cell) {
            list[next[g][o] as usize] = id;
            next[g][o] += 1;
        }
    }
    (start, list)
}

fn lookup<'a>(trace: &Trace, start: &[Vec<u32>], list: &'a [WriteId], cell: CellRef) -> &'a [WriteId] {
    match trace.grid_of(cell) {
        Some(grid) => {
            let o = grid.offset(cell.index);
            &list[start[cell.grid][o] as usize..start[cell.grid][o + 1] as usize]
        }
        None => &[],
    }
}
