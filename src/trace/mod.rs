//! What an operator emits besides its output: the grids it touches, its stages and its steps.
//!
//! A trace is a flat, replayable record, like a parser's event stream: the operator does not
//! know who consumes it (the scene, the step text, the hover correspondences, the tests).
//!
//! * A [`Grid`] is a named NCHW tensor that is drawn as a panel: the input (possibly with its
//!   padding border), the weight, an intermediate (zero-inserted and padded input), the output.
//!   Grids the trace never writes are shown whole from the start; grids it writes start blank.
//! * A [`Step`] is one frame of the animation. It performs one or more [`Write`]s; a write
//!   combines its [`Tap`]s into one target cell (sum, max or set).
//! * A [`Tap`] is one product: an optional weight cell times a [`Source`] value.
//!
//! Replaying all steps in order reproduces every written grid bit for bit
//! (see [`Trace::replay`]); that is how the scene shows partial results at any step.

use serde::Serialize;

pub use crate::text::Msg;

mod absorb;
mod index;
mod overlay;
mod write;

pub use absorb::{Remap, Shift};
pub use index::CellIndex;
pub use overlay::{BoxMark, Chart, Handle, Mark, OffsetDrag, ParamMap, Series, Setter};
pub use write::{Combine, Constant, SampleKernel, Source, Tap, Taps, Write, max_of};

/// A step's writes: one, for most steps, held inline.
pub type Writes = smallvec::SmallVec<[Write; 1]>;

/// Index of a grid in [`Trace::grids`].
pub type GridId = usize;

/// One cell of one grid: `(n, c, h, w)` in the grid's own index space (origin top-left).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CellRef {
    pub grid: GridId,
    pub index: [usize; 4],
}

/// What a grid holds, for layout and captions. The scene never asks for an operator's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    Input,
    Weight,
    Intermediate,
    Output,
}

/// Why a cell holds the value it holds; drawn with distinct patterns, not only colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CellKind {
    /// An ordinary value (input data, weight, or computed output).
    Value,
    /// Zero padding added around the input.
    Padding,
    /// A zero inserted between input cells by a fractional stride (transposed conv).
    InsertedZero,
    /// A cell inside a receptive field that no path reaches (the gridding effect).
    Hole,
}

/// A named NCHW tensor shown as a panel.
#[derive(Clone, Debug, Serialize)]
pub struct Grid {
    /// Short symbol used in step text, e.g. `x`, `w`, `x̂`, `y`.
    pub symbol: String,
    /// Caption shown above the panel, e.g. `input x (padded)`.
    pub caption: Msg,
    pub role: Role,
    pub shape: [usize; 4],
    /// Final values, row-major NCHW.
    pub values: Vec<f32>,
    /// Cell kinds, row-major NCHW.
    pub kinds: Vec<CellKind>,
    /// Index that cell `(h, w) = (0, 0)` has in the user's terms: a padded input starts at
    /// `(-padding, -padding)`, so captions and step text use the input's own indices.
    pub origin: [isize; 2],
    /// Whether the trace writes this grid (it then starts blank and fills as steps run).
    pub written: bool,
    /// The row of the picture the grid is drawn in: composite operators put a comparison
    /// (e.g. the full k×k conv beside its k×1, 1×k decomposition) in a lane of its own.
    pub lane: usize,
}

impl Grid {
    pub fn new(symbol: &str, caption: impl Into<Msg>, role: Role, shape: [usize; 4]) -> Grid {
        let len = shape.iter().product();
        Grid {
            symbol: symbol.to_string(),
            caption: caption.into(),
            role,
            shape,
            values: vec![0.0; len],
            kinds: vec![CellKind::Value; len],
            origin: [0, 0],
            written: matches!(role, Role::Intermediate | Role::Output),
            lane: 0,
        }
    }

    /// A grid holding `values` (shape from the array), shown whole from the start.
    pub fn from_array(symbol: &str, caption: impl Into<Msg>, role: Role, values: &ndarray::Array4<f32>) -> Grid {
        let shape = <[usize; 4]>::try_from(values.shape()).expect("Array4 has four axes");
        let mut grid = Grid::new(symbol, caption, role, shape);
        grid.values = values.iter().copied().collect();
        grid.written = false;
        grid
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Row-major offset of `index`.
    pub fn offset(&self, index: [usize; 4]) -> usize {
        let [_, c, h, w] = self.shape;
        ((index[0] * c + index[1]) * h + index[2]) * w + index[3]
    }

    /// Inverse of [`Grid::offset`].
    pub fn unravel(&self, offset: usize) -> [usize; 4] {
        let [_, c, h, w] = self.shape;
        [offset / (c * h * w), offset / (h * w) % c, offset / w % h, offset % w]
    }

    pub fn value(&self, index: [usize; 4]) -> f32 {
        self.values[self.offset(index)]
    }

    pub fn kind(&self, index: [usize; 4]) -> CellKind {
        self.kinds[self.offset(index)]
    }

    /// The cell's index in the user's terms, e.g. `0,0,-1,2` for a padding cell.
    pub fn label(&self, index: [usize; 4]) -> String {
        let row = index[2] as isize + self.origin[0];
        let col = index[3] as isize + self.origin[1];
        format!("{}[{},{},{},{}]", self.symbol, index[0], index[1], fmt_int(row), fmt_int(col))
    }
}

/// A named phase of the animation, e.g. "zero insertion" or "kernel sweep".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    pub name: Msg,
    /// One sentence telling the student what happens in this stage.
    pub explain: Msg,
    pub kind: StageKind,
}

/// What a stage's steps are, for the step sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum StageKind {
    /// Each write computes its target from its taps (a sweep, a copy, a fill).
    Compute,
    /// Each step stamps one source cell (its `focus`) times the kernel onto many targets:
    /// a transposed conv's scatter.
    Scatter,
}

/// One frame of the animation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub stage: usize,
    /// Most steps write one cell: held inline (see [`Taps`]).
    pub writes: Writes,
    /// Cells to outline in this step besides the writes' targets and taps: the input cell a
    /// scatter step stamps.
    pub focus: Vec<CellRef>,
}

/// The grids a traced operator added, by the part they play, so that callers name them
/// rather than count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operands {
    pub input: GridId,
    pub weight: Option<GridId>,
    pub bias: Option<GridId>,
    pub output: GridId,
}

/// An operator's full record.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Trace {
    pub grids: Vec<Grid>,
    pub stages: Vec<Stage>,
    pub steps: Vec<Step>,
    pub charts: Vec<Chart>,
    /// Points drawn on a grid at every step (e.g. all sampling points of a deformable conv).
    pub marks: Vec<Mark>,
    /// Rectangles drawn on a grid (a RoI and its bins), in fractional `(row, col)` cell
    /// coordinates where cell `(r, c)` spans `r…r + 1`.
    pub boxes: Vec<BoxMark>,
    /// Points that set controls or offsets when dragged (a RoI's corners, a deformable conv's
    /// sampling points).
    pub handles: Vec<Handle>,
}

impl Trace {
    pub fn add_grid(&mut self, grid: Grid) -> GridId {
        self.grids.push(grid);
        self.grids.len() - 1
    }

    /// Adds a [`StageKind::Compute`] stage; returns its index.
    pub fn add_stage(&mut self, name: impl Into<Msg>, explain: impl Into<Msg>) -> usize {
        self.add_stage_of(StageKind::Compute, name, explain)
    }

    pub fn add_stage_of(&mut self, kind: StageKind, name: impl Into<Msg>, explain: impl Into<Msg>) -> usize {
        self.stages.push(Stage { name: name.into(), explain: explain.into(), kind });
        self.stages.len() - 1
    }

    /// The grid of `cell`, if the cell lies in it: the one check before a cell that came from
    /// outside (a click, a keyboard cursor, an older frame) is read.
    pub fn grid_of(&self, cell: CellRef) -> Option<&Grid> {
        self.grids.get(cell.grid).filter(|g| cell.index.iter().zip(g.shape).all(|(&i, len)| i < len))
    }

    /// The steps of one stage. Stages follow each other: a stage's steps are one run, after
    /// the steps of every earlier stage (the tests check this of every operator), so the run
    /// is found by binary search instead of a walk of every step.
    pub fn stage_steps(&self, stage: usize) -> &[Step] {
        debug_assert!(self.steps.is_sorted_by_key(|step| step.stage), "steps of stages interleave");
        let start = self.steps.partition_point(|step| step.stage < stage);
        let end = start + self.steps[start..].partition_point(|step| step.stage == stage);
        &self.steps[start..end]
    }

    /// Appends a step of one write of `combine` into `target` (which held `current`), the
    /// write [`Write::new`] builds, and returns its value, computed where the step is stored.
    /// A large trace appends hundreds of thousands of steps at each change; a write built
    /// first and moved in is copied two or three times on the way (a `memory.copy` each in
    /// the wasm). Natively this took building the bilinear 27×27 trace from 38.7 to 28.4 ms;
    /// in the page the gain was smaller than the machine's noise.
    #[inline(always)]
    pub fn push_write(
        &mut self,
        stage: usize,
        target: CellRef,
        combine: Combine,
        taps: impl Into<Taps>,
        constant: Option<Constant>,
        current: f32,
    ) -> f32 {
        let write = Write { target, combine, taps: taps.into(), constant: constant.map(Box::new), value: 0.0 };
        self.steps.push(Step { stage, writes: Writes::from_buf([write]), focus: Vec::new() });
        let write = &mut self.steps.last_mut().expect("a step was just pushed").writes[0];
        write.value = write.apply(current);
        write.value
    }

    pub fn n_taps(&self) -> usize {
        self.steps.iter().flat_map(|s| &s.writes).map(|w| w.taps.len()).sum()
    }

    /// Values of every grid after the first `n_steps` steps: written grids start at zero
    /// and are filled by replaying writes; the others keep their values. Also returns which
    /// cells have been written and how many products reached each (the overlap count).
    pub fn replay(&self, n_steps: usize) -> Replay {
        let mut replay = self.replay_start();
        self.replay_to(&mut replay, n_steps);
        replay
    }

    /// Moves a replay of this trace to `n_steps` steps: forwards by replaying only the steps
    /// in between (playback costs one step a frame, not the whole run), backwards by
    /// starting over.
    pub fn replay_to(&self, replay: &mut Replay, n_steps: usize) {
        let n = n_steps.min(self.steps.len());
        if n < replay.steps {
            *replay = self.replay_start();
        }
        for step in &self.steps[replay.steps..n] {
            for write in &step.writes {
                let grid = &self.grids[write.target.grid];
                let offset = grid.offset(write.target.index);
                let cell = &mut replay.values[write.target.grid][offset];
                *cell = write.apply(*cell);
                if let Some(seen) = replay.touched[write.target.grid].get_mut(offset) {
                    *seen = true;
                }
                if let Some(count) = replay.writes[write.target.grid].get_mut(offset).filter(|_| !write.taps.is_empty())
                {
                    *count += 1;
                }
            }
        }
        replay.steps = n;
    }

    /// Every grid before the first step.
    fn replay_start(&self) -> Replay {
        let mut values: Vec<Vec<f32>> = Vec::with_capacity(self.grids.len());
        let mut writes: Vec<Vec<u32>> = Vec::with_capacity(self.grids.len());
        let mut touched: Vec<Vec<bool>> = Vec::with_capacity(self.grids.len());
        for grid in &self.grids {
            values.push(if grid.written { vec![0.0; grid.len()] } else { grid.values.clone() });
            writes.push(vec![0; if grid.written { grid.len() } else { 0 }]);
            touched.push(vec![false; if grid.written { grid.len() } else { 0 }]);
        }
        Replay { values, writes, touched, steps: 0 }
    }

    /// The cells related to `cell` across the whole trace: for a written cell, the sources and
    /// weights that produced it; for a source or weight cell, the cells it was written into.
    pub fn related(&self, cell: CellRef) -> Vec<CellRef> {
        let mut out = self.sources(cell);
        out.extend(self.uses(cell));
        out.sort();
        out.dedup();
        out
    }

    /// The cells `cell` was computed from: the weights, data cells and bias of every write
    /// that set it.
    pub fn sources(&self, cell: CellRef) -> Vec<CellRef> {
        let mut out = Vec::new();
        for write in self.steps.iter().flat_map(|s| &s.writes).filter(|w| w.target == cell) {
            for tap in &write.taps {
                out.extend(tap.weight);
                out.extend(tap.source.cells());
            }
            out.extend(write.constant().and_then(|c| c.cell));
        }
        out.sort();
        out.dedup();
        out
    }

    /// The cells `cell` feeds: the targets of every write that reads it (as a weight, a data
    /// cell or a bias).
    pub fn uses(&self, cell: CellRef) -> Vec<CellRef> {
        let mut out: Vec<CellRef> = self
            .steps
            .iter()
            .flat_map(|s| &s.writes)
            .filter(|w| w.target != cell && w.reads(cell))
            .map(|w| w.target)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// What a weight cell does at step `step` (1-based, as [`Trace::replay`] counts): for each
    /// write of that step that multiplies by it, the data cells it multiplies and the target.
    pub fn products_at(&self, step: usize, weight: CellRef) -> Vec<(Vec<CellRef>, CellRef)> {
        let Some(step) = step.checked_sub(1).and_then(|i| self.steps.get(i)) else { return Vec::new() };
        step.writes
            .iter()
            .flat_map(|w| {
                w.taps.iter().filter(|t| t.weight == Some(weight)).map(|t| (t.source.cells().collect(), w.target))
            })
            .collect()
    }
}

/// The state of every grid part-way through a trace (see [`Trace::replay`]).
#[derive(Clone, Debug)]
pub struct Replay {
    pub values: Vec<Vec<f32>>,
    /// Per written grid and cell, the number of writes with taps so far (the overlap count
    /// of scatter); empty for unwritten grids.
    pub writes: Vec<Vec<u32>>,
    /// Per written grid and cell, whether any write has reached it yet.
    pub touched: Vec<Vec<bool>>,
    /// How many steps have been replayed.
    pub steps: usize,
}

/// Formats a number the way the page does: integers without a fraction, others with up to
/// four significant decimals, a real minus sign.
pub fn fmt_num(v: f32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if v.abs() >= 1e7 {
        // Path counts of deep stacks reach 10²⁸: mantissa and exponent, e.g. 1.55e27.
        let s = format!("{v:.2e}");
        return s.replace('-', "−");
    }
    let text = if v == v.round() && v.abs() < 1e7 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{:.4}", v);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if text == "-0" { "0".into() } else { text.replace('-', "−") }
}

fn fmt_int(v: isize) -> String {
    if v < 0 { format!("−{}", -v) } else { v.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_round_trip() {
        let grid = Grid::new("x", "x", Role::Input, [2, 3, 4, 5]);
        for off in 0..grid.len() {
            assert_eq!(grid.offset(grid.unravel(off)), off);
        }
        assert_eq!(grid.offset([1, 2, 3, 4]), 119);
    }

    #[test]
    fn numbers_are_formatted_for_people() {
        assert_eq!(fmt_num(7.0), "7");
        assert_eq!(fmt_num(-3.0), "−3");
        assert_eq!(fmt_num(-0.0), "0");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(1.0 / 3.0), "0.3333");
        assert_eq!(fmt_num(1.55e27), "1.55e27");
        assert_eq!(fmt_num(f32::NEG_INFINITY), "−∞");
    }

    #[test]
    fn labels_use_the_users_indices() {
        let mut grid = Grid::new("x", "x", Role::Input, [1, 1, 4, 4]);
        grid.origin = [-1, -1];
        assert_eq!(grid.label([0, 0, 0, 2]), "x[0,0,−1,1]");
    }
}

// The page's budget for one step: a bilinear slider's trace writes 373,248 of them at every
// change, so a field added to a step, a write or a tap costs frame time. Box what is rare.
#[cfg(target_arch = "wasm32")]
const _: () = assert!(size_of::<Step>() <= 124, "a step grew past its 124 bytes on wasm32");
