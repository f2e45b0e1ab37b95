//! [`Trace::absorb`]: appending another operator's trace, so a composite is a few calls.
//! Every part of a trace that names a grid or a step implements [`Remap`] by destructuring
//! itself without `..`, so a field added later cannot be forgotten: the code stops compiling.

use super::{
    BoxMark, CellKind, CellRef, Chart, Constant, GridId, Handle, Mark, Msg, Role, Setter, Source, Step, Tap, Trace,
    Write,
};

/// Where an absorbed trace's grids, steps and stages went.
pub struct Shift<'a> {
    /// New id of each absorbed grid.
    pub grids: &'a [GridId],
    pub steps: usize,
    pub stages: usize,
    pub lane: usize,
}

/// Moves what a value of an absorbed trace names to where it went.
pub trait Remap {
    fn remap(&mut self, shift: &Shift);
}

impl Remap for CellRef {
    fn remap(&mut self, shift: &Shift) {
        let CellRef { grid, index: _ } = self;
        *grid = shift.grids[*grid];
    }
}

impl<T: Remap> Remap for Option<T> {
    fn remap(&mut self, shift: &Shift) {
        if let Some(value) = self {
            value.remap(shift);
        }
    }
}

impl<T: Remap> Remap for Box<T> {
    fn remap(&mut self, shift: &Shift) {
        (**self).remap(shift);
    }
}

impl<T: Remap> Remap for Vec<T> {
    fn remap(&mut self, shift: &Shift) {
        self.iter_mut().for_each(|value| value.remap(shift));
    }
}

impl<T: Remap, const N: usize> Remap for smallvec::SmallVec<[T; N]> {
    fn remap(&mut self, shift: &Shift) {
        self.iter_mut().for_each(|value| value.remap(shift));
    }
}

impl Remap for Source {
    fn remap(&mut self, shift: &Shift) {
        match self {
            Source::Cell(cell) => cell.remap(shift),
            Source::Sample { grid, kernel: _, position: _, corners, mask: _ } => {
                *grid = shift.grids[*grid];
                corners.iter_mut().for_each(|(cell, _)| cell.remap(shift));
            }
        }
    }
}

impl Remap for Tap {
    fn remap(&mut self, shift: &Shift) {
        let Tap { weight, weight_value: _, source, value: _ } = self;
        weight.remap(shift);
        source.remap(shift);
    }
}

impl Remap for Constant {
    fn remap(&mut self, shift: &Shift) {
        let Constant { value: _, cell } = self;
        cell.remap(shift);
    }
}

impl Remap for Write {
    fn remap(&mut self, shift: &Shift) {
        let Write { target, combine: _, taps, constant, value: _ } = self;
        target.remap(shift);
        taps.remap(shift);
        constant.remap(shift);
    }
}

impl Remap for Step {
    fn remap(&mut self, shift: &Shift) {
        let Step { stage, writes, focus } = self;
        *stage += shift.stages;
        writes.remap(shift);
        focus.remap(shift);
    }
}

impl Remap for Chart {
    fn remap(&mut self, shift: &Shift) {
        let Chart { title: _, x_label: _, y_label: _, series: _, lane } = self;
        *lane += shift.lane;
    }
}

impl Remap for Mark {
    fn remap(&mut self, shift: &Shift) {
        let Mark { grid, position: _ } = self;
        *grid = shift.grids[*grid];
    }
}

impl Remap for BoxMark {
    fn remap(&mut self, shift: &Shift) {
        let BoxMark { grid, min: _, max: _, step } = self;
        *grid = shift.grids[*grid];
        *step = step.map(|s| s + shift.steps);
    }
}

impl Remap for Handle {
    fn remap(&mut self, shift: &Shift) {
        let Handle { grid, position: _, step, setter } = self;
        *grid = shift.grids[*grid];
        *step = step.map(|s| s + shift.steps);
        // Neither setter names a grid: controls by name, offsets by tensor index.
        match setter {
            Setter::Params(_) | Setter::Offsets(_) => {}
        }
    }
}

impl Trace {
    /// Appends `other` (its grids, stages and steps, in that order after ours). Each pair
    /// `(theirs, ours)` in `links` says that `other`'s input grid `theirs` holds the values of
    /// our grid `ours`: with equal shapes `theirs` is dropped and every reference goes to
    /// `ours`; otherwise (`theirs` has a padding border) `theirs` becomes an intermediate grid
    /// filled by a hand-over step that copies `ours` into it and writes its padding.
    /// `other`'s grids go to lane `lane` plus their own lane. Returns where each of `other`'s
    /// grids ended up.
    pub fn absorb(&mut self, other: Trace, links: &[(GridId, GridId)], lane: usize) -> Vec<GridId> {
        let Trace { grids, mut stages, steps, charts, marks, boxes, handles } = other;
        let mut map = Vec::with_capacity(grids.len());
        let mut hand_overs = Vec::new();
        for (id, mut grid) in grids.into_iter().enumerate() {
            match links.iter().find(|(theirs, _)| *theirs == id) {
                Some(&(_, ours)) if grid.shape == self.grids[ours].shape => map.push(ours),
                Some(&(_, ours)) => {
                    grid.written = true;
                    grid.role = Role::Intermediate;
                    grid.lane += lane;
                    map.push(self.add_grid(grid));
                    hand_overs.push((ours, map[id]));
                }
                None => {
                    grid.lane += lane;
                    map.push(self.add_grid(grid));
                }
            }
        }
        for (ours, target) in hand_overs {
            let stage = self.add_stage(Msg::id("ops-hand-over"), Msg::id("ops-hand-over.explain"));
            let step = self.hand_over(ours, target, stage);
            self.steps.push(step);
        }
        let shift = Shift { grids: &map, steps: self.steps.len(), stages: self.stages.len(), lane };
        self.stages.append(&mut stages);
        extend(&mut self.charts, charts, &shift);
        extend(&mut self.marks, marks, &shift);
        extend(&mut self.boxes, boxes, &shift);
        extend(&mut self.handles, handles, &shift);
        extend(&mut self.steps, steps, &shift);
        map
    }

    /// One step that fills `target` (a padded copy of `source`) from `source`.
    fn hand_over(&mut self, source: GridId, target: GridId, stage: usize) -> Step {
        let dst = &self.grids[target];
        let cells = (0..dst.len())
            .map(|off| {
                let [i, j, r, c] = dst.unravel(off);
                let from = [i, j, (r as isize + dst.origin[0]) as usize, (c as isize + dst.origin[1]) as usize];
                ([i, j, r, c], (dst.kinds[off] == CellKind::Value).then_some(CellRef { grid: source, index: from }))
            })
            .collect::<Vec<_>>();
        self.fill(target, stage, cells)
    }

    /// One step that sets cells of `target`: each `(index, source)` copies `source`, or writes
    /// a constant zero (padding, an inserted zero) when it has none. The grid's final values
    /// are set too.
    pub fn fill(&mut self, target: GridId, stage: usize, cells: Vec<([usize; 4], Option<CellRef>)>) -> Step {
        let writes: Vec<Write> = cells
            .into_iter()
            .map(|(index, source)| {
                let cell = CellRef { grid: target, index };
                match source {
                    Some(from) => {
                        let value = self.grids[from.grid].value(from.index);
                        Write::set(cell, vec![Tap::copy(Source::Cell(from), value)], None)
                    }
                    None => Write::set(cell, Vec::new(), Some(Constant { value: 0.0, cell: None })),
                }
            })
            .collect();
        for write in &writes {
            let off = self.grids[target].offset(write.target.index);
            self.grids[target].values[off] = write.value;
        }
        Step { stage, writes: writes.into(), focus: Vec::new() }
    }
}

fn extend<T: Remap>(mine: &mut Vec<T>, mut theirs: Vec<T>, shift: &Shift) {
    theirs.remap(shift);
    mine.append(&mut theirs);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Grid;

    /// A trace that copies its 1×1×1×2 input `a` into output `b`.
    fn copy_trace(values: [f32; 2]) -> Trace {
        let mut t = Trace::default();
        let mut a = Grid::new("a", "a", Role::Input, [1, 1, 1, 2]);
        a.values = values.to_vec();
        a.written = false;
        let input = t.add_grid(a);
        let output = t.add_grid(Grid::new("b", "b", Role::Output, [1, 1, 1, 2]));
        t.add_stage("copy", "copy");
        let writes: crate::trace::Writes = (0..2)
            .map(|col| {
                let value = values[col];
                let tap = Tap::copy(Source::Cell(CellRef { grid: input, index: [0, 0, 0, col] }), value);
                Write::set(CellRef { grid: output, index: [0, 0, 0, col] }, vec![tap], None)
            })
            .collect();
        t.steps.push(Step { stage: 0, writes, focus: vec![] });
        t.grids[output].values = values.to_vec();
        t
    }

    #[test]
    fn absorbing_a_chained_trace_aliases_equal_grids() {
        let mut first = copy_trace([1.0, 2.0]);
        let map = first.absorb(copy_trace([1.0, 2.0]), &[(0, 1)], 1);
        assert_eq!(map, vec![1, 2]);
        assert_eq!(first.grids.len(), 3);
        assert_eq!(first.grids[2].lane, 1);
        assert_eq!(first.steps[1].stage, 1);
        assert_eq!(first.steps[1].writes[0].taps[0].source, Source::Cell(CellRef { grid: 1, index: [0, 0, 0, 0] }));
        assert_eq!(first.replay(2).values[2], vec![1.0, 2.0]);
    }

    #[test]
    fn absorbing_a_padded_input_adds_a_hand_over_step() {
        let mut first = copy_trace([3.0, 4.0]);
        let mut second = copy_trace([0.0, 3.0]);
        // The second trace reads a padded copy: one padding cell, then the first value.
        second.grids[0].shape = [1, 1, 1, 3];
        second.grids[0].values = vec![0.0, 3.0, 4.0];
        second.grids[0].kinds = vec![CellKind::Padding, CellKind::Value, CellKind::Value];
        second.grids[0].origin = [0, -1];
        second.steps[0].writes[0].taps[0].source = Source::Cell(CellRef { grid: 0, index: [0, 0, 0, 0] });
        second.steps[0].writes[1].taps[0].source = Source::Cell(CellRef { grid: 0, index: [0, 0, 0, 1] });
        let map = first.absorb(second, &[(0, 1)], 0);
        assert_eq!(map, vec![2, 3]);
        assert!(first.grids[2].written);
        assert_eq!(first.stages[1].name.en(), "hand-over");
        let replay = first.replay(first.steps.len());
        assert_eq!(replay.values[2], vec![0.0, 3.0, 4.0]);
        assert_eq!(replay.values[3], vec![0.0, 3.0]);
    }
}
