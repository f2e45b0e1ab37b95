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
    pub caption: String,
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
    pub fn new(symbol: &str, caption: &str, role: Role, shape: [usize; 4]) -> Grid {
        let len = shape.iter().product();
        Grid {
            symbol: symbol.to_string(),
            caption: caption.to_string(),
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
    pub fn from_array(symbol: &str, caption: &str, role: Role, values: &ndarray::Array4<f32>) -> Grid {
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

/// Where a tap's value comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Source {
    /// A cell of a grid; its [`CellKind`] says whether it is data, padding or an inserted zero.
    Cell(CellRef),
    /// A sample at a fractional position `(row, col)` of a grid, interpolated by `kernel`
    /// from corner cells with their weights (four for bilinear, up to sixteen for bicubic);
    /// corners outside the map read zero and are left out. The tap's value is
    /// `mask · Σ weight · corner` (the mask of a modulated deformable conv, else 1).
    /// `anchor` is where the sample would be without a learned offset (deformable conv), drawn
    /// as the start of the offset arrow; `handle` is the index of the offset's dy in the
    /// editable offset tensor (dx follows in the next channel), so the point can be dragged.
    Sample {
        grid: GridId,
        kernel: SampleKernel,
        position: [f32; 2],
        corners: Vec<(CellRef, f32)>,
        mask: Option<f32>,
        anchor: Option<[f32; 2]>,
        handle: Option<[usize; 4]>,
    },
}

/// How a sample mixes the cells around its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum SampleKernel {
    /// The four cells around the position, weighted by distance.
    Bilinear,
    /// The 4×4 cells around the position, with Keys' cubic weights (A = −0.75).
    Bicubic,
}

impl SampleKernel {
    pub fn name(self) -> &'static str {
        match self {
            SampleKernel::Bilinear => "bilinear",
            SampleKernel::Bicubic => "bicubic",
        }
    }
}

/// One product inside a write: `value × weight_value = product`. Without a weight cell,
/// `weight_value` is a fixed coefficient: 1 for a copy, 1/n for an average.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tap {
    /// The weight (kernel) cell, if the product has one; copies and pooling have none.
    pub weight: Option<CellRef>,
    pub weight_value: f32,
    pub source: Source,
    pub value: f32,
    pub product: f32,
}

impl Tap {
    /// A weightless tap reading `value` from `source`: a copy, a summand, a pooled cell.
    pub fn copy(source: Source, value: f32) -> Tap {
        Tap { weight: None, weight_value: 1.0, source, value, product: value * 1.0 }
    }

    /// `value × weight`, with the weight's cell.
    pub fn weighted(weight: CellRef, weight_value: f32, source: Source, value: f32) -> Tap {
        Tap { weight: Some(weight), weight_value, source, value, product: value * weight_value }
    }
}

/// How a write combines its taps into the target.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Combine {
    /// `target = Σ products + constant` (the old value is replaced).
    Set,
    /// `target = target + Σ products + constant` (accumulation, as in scatter).
    Accumulate,
    /// `target = max of the products` (the old value is replaced; max pooling): the first
    /// largest product wins, as in PyTorch, so `−0` before `+0` stays `−0`.
    Max,
    /// `target = (Σ products) / divisor`: an average that sums first and divides once, as
    /// PyTorch's pooling does (average pooling, area resampling, RoI bins).
    Mean { divisor: f32 },
}

/// One write of a step into one target cell.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Write {
    pub target: CellRef,
    pub combine: Combine,
    pub taps: Vec<Tap>,
    /// Added after the taps: the bias of a conv (with its cell), or the zero of a padding cell.
    pub constant: Option<Constant>,
    /// The target's value after this write.
    pub value: f32,
}

/// A value added after a write's taps.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Constant {
    pub value: f32,
    /// The cell holding it (a bias), if it has one.
    pub cell: Option<CellRef>,
}

impl Write {
    /// Applies the write to `current`, the target's value before it, with the same
    /// arithmetic in the same order as the operators use.
    pub fn apply(&self, current: f32) -> f32 {
        let constant = |acc: f32| self.constant.map_or(acc, |c| acc + c.value);
        match self.combine {
            Combine::Set => constant(sum_taps(0.0, &self.taps)),
            Combine::Accumulate => constant(sum_taps(current, &self.taps)),
            Combine::Max => max_of(self.taps.iter().map(|tap| tap.product)),
            Combine::Mean { divisor } => sum_taps(0.0, &self.taps) / divisor,
        }
    }
}

/// The first largest value (`−∞` for none), with PyTorch's `val > max` rule.
pub fn max_of(values: impl IntoIterator<Item = f32>) -> f32 {
    values.into_iter().fold(f32::NEG_INFINITY, |best, v| if v > best { v } else { best })
}

fn sum_taps(start: f32, taps: &[Tap]) -> f32 {
    taps.iter().fold(start, |acc, tap| acc + tap.product)
}

/// A named phase of the animation, e.g. "zero insertion" or "kernel sweep".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stage {
    pub name: String,
    /// One sentence telling the student what happens in this stage.
    pub explain: String,
}

/// One frame of the animation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step {
    pub stage: usize,
    pub writes: Vec<Write>,
    /// Cells to outline in this step besides the writes' targets and taps (e.g. the
    /// input cell that a scatter step stamps).
    pub focus: Vec<CellRef>,
}

/// A line chart beside the grids (e.g. one row of several overlap maps), shown whole.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// The row of the picture the chart is drawn in (see [`Grid::lane`]).
    pub lane: usize,
}

/// One named line of a chart.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f32, f32)>,
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
    /// Points that set controls when dragged (e.g. a RoI's corners).
    pub handles: Vec<ParamHandle>,
    /// Points that set offsets when dragged (e.g. deformable RoI bins), drawn at every step.
    pub offset_handles: Vec<OffsetHandle>,
}

/// A draggable point whose offset from `anchor` is stored in the editable offset tensor:
/// dragging it to `(row, col)` sets entry `rows` to `(row − anchor_row)·scale[0]` and entry
/// `cols` likewise (a deformable conv's (dy, dx) in cells; a RoI bin's offsets in RoI sizes).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OffsetHandle {
    pub grid: GridId,
    pub position: [f32; 2],
    pub anchor: [f32; 2],
    pub rows: [usize; 4],
    pub cols: [usize; 4],
    pub scale: [f32; 2],
}

/// A draggable point at a fractional `(row, col)` of a grid (cell centres at integers):
/// dragging it to `(row, col)` sets `params[0] = round((row + offset)·scale)` and
/// `params[1] = round((col + offset)·scale)`, clamped to their ranges.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamHandle {
    pub grid: GridId,
    pub position: [f32; 2],
    pub params: [&'static str; 2],
    pub scale: f32,
    pub offset: f32,
}

/// A rectangle on a grid; `step` shows it only during that step (1-based, as the scene's
/// step count), else always.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BoxMark {
    pub grid: GridId,
    pub min: [f32; 2],
    pub max: [f32; 2],
    pub step: Option<usize>,
}

/// A fractional `(row, col)` position on a grid, drawn as a small dot.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Mark {
    pub grid: GridId,
    pub position: [f32; 2],
}

impl Trace {
    pub fn add_grid(&mut self, grid: Grid) -> GridId {
        self.grids.push(grid);
        self.grids.len() - 1
    }

    pub fn add_stage(&mut self, name: &str, explain: &str) -> usize {
        self.stages.push(Stage { name: name.to_string(), explain: explain.to_string() });
        self.stages.len() - 1
    }

    /// Appends `other` (its grids, stages and steps, in that order after ours). Each pair
    /// `(theirs, ours)` in `links` says that `other`'s input grid `theirs` holds the values of
    /// our grid `ours`: with equal shapes `theirs` is dropped and every reference goes to
    /// `ours`; otherwise (`theirs` has a padding border) `theirs` becomes an intermediate grid
    /// filled by a hand-over step that copies `ours` into it and writes its padding.
    /// `other`'s grids go to lane `lane` plus their own lane. Returns where each of `other`'s
    /// grids ended up.
    pub fn absorb(&mut self, mut other: Trace, links: &[(GridId, GridId)], lane: usize) -> Vec<GridId> {
        let mut map = Vec::with_capacity(other.grids.len());
        let mut hand_overs = Vec::new();
        for (id, mut grid) in other.grids.drain(..).enumerate() {
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
            let stage = self.add_stage("hand-over", "The previous result is copied in, with zero padding around it.");
            let step = self.hand_over(ours, target, stage);
            self.steps.push(step);
        }
        let stage_offset = self.stages.len();
        self.stages.append(&mut other.stages);
        self.charts.extend(other.charts.into_iter().map(|chart| Chart { lane: chart.lane + lane, ..chart }));
        self.marks.extend(other.marks.into_iter().map(|mark| Mark { grid: map[mark.grid], ..mark }));
        self.handles.extend(other.handles.into_iter().map(|h| ParamHandle { grid: map[h.grid], ..h }));
        self.offset_handles.extend(other.offset_handles.into_iter().map(|h| OffsetHandle { grid: map[h.grid], ..h }));
        let step_offset = self.steps.len();
        self.boxes.extend(other.boxes.into_iter().map(|b| BoxMark {
            grid: map[b.grid],
            step: b.step.map(|s| s + step_offset),
            ..b
        }));
        let remap = |cell: &mut CellRef| cell.grid = map[cell.grid];
        for mut step in other.steps {
            step.stage += stage_offset;
            step.focus.iter_mut().for_each(remap);
            for write in &mut step.writes {
                remap(&mut write.target);
                if let Some(cell) = write.constant.as_mut().and_then(|c| c.cell.as_mut()) {
                    remap(cell);
                }
                for tap in &mut write.taps {
                    if let Some(cell) = tap.weight.as_mut() {
                        remap(cell);
                    }
                    match &mut tap.source {
                        Source::Cell(cell) => remap(cell),
                        Source::Sample { grid, corners, .. } => {
                            *grid = map[*grid];
                            corners.iter_mut().for_each(|(cell, _)| remap(cell));
                        }
                    }
                }
            }
            self.steps.push(step);
        }
        map
    }

    /// One step that fills `target` (a padded copy of `source`) from `source`.
    fn hand_over(&mut self, source: GridId, target: GridId, stage: usize) -> Step {
        let (src, dst) = (&self.grids[source], &self.grids[target]);
        let writes = (0..dst.len())
            .map(|off| {
                let index = dst.unravel(off);
                let cell = CellRef { grid: target, index };
                match dst.kinds[off] {
                    CellKind::Value => {
                        let from = [
                            index[0],
                            index[1],
                            (index[2] as isize + dst.origin[0]) as usize,
                            (index[3] as isize + dst.origin[1]) as usize,
                        ];
                        let value = src.value(from);
                        let tap = Tap::copy(Source::Cell(CellRef { grid: source, index: from }), value);
                        Write {
                            target: cell,
                            combine: Combine::Set,
                            taps: vec![tap],
                            constant: None,
                            value: 0.0 + value,
                        }
                    }
                    _ => Write {
                        target: cell,
                        combine: Combine::Set,
                        taps: Vec::new(),
                        constant: Some(Constant { value: 0.0, cell: None }),
                        value: 0.0,
                    },
                }
            })
            .collect();
        Step { stage, writes, focus: Vec::new() }
    }

    /// The grid of `cell`, if the cell lies in it: the one check before a cell that came from
    /// outside (a click, a keyboard cursor, an older frame) is read.
    pub fn grid_of(&self, cell: CellRef) -> Option<&Grid> {
        self.grids.get(cell.grid).filter(|g| cell.index.iter().zip(g.shape).all(|(&i, len)| i < len))
    }

    pub fn n_taps(&self) -> usize {
        self.steps.iter().flat_map(|s| &s.writes).map(|w| w.taps.len()).sum()
    }

    /// Values of every grid after the first `n_steps` steps: written grids start at zero
    /// and are filled by replaying writes; the others keep their values. Also returns which
    /// cells have been written and how many products reached each (the overlap count).
    pub fn replay(&self, n_steps: usize) -> Replay {
        let mut values: Vec<Vec<f32>> = Vec::with_capacity(self.grids.len());
        let mut writes: Vec<Vec<u32>> = Vec::with_capacity(self.grids.len());
        let mut touched: Vec<Vec<bool>> = Vec::with_capacity(self.grids.len());
        for grid in &self.grids {
            values.push(if grid.written { vec![0.0; grid.len()] } else { grid.values.clone() });
            writes.push(vec![0; if grid.written { grid.len() } else { 0 }]);
            touched.push(vec![false; if grid.written { grid.len() } else { 0 }]);
        }
        for step in self.steps.iter().take(n_steps) {
            for write in &step.writes {
                let grid = &self.grids[write.target.grid];
                let offset = grid.offset(write.target.index);
                let cell = &mut values[write.target.grid][offset];
                *cell = write.apply(*cell);
                if let Some(seen) = touched[write.target.grid].get_mut(offset) {
                    *seen = true;
                }
                if let Some(count) = writes[write.target.grid].get_mut(offset).filter(|_| !write.taps.is_empty()) {
                    *count += 1;
                }
            }
        }
        Replay { values, writes, touched }
    }

    /// The cells related to `cell` across the whole trace: for a written cell, the sources and
    /// weights that produced it; for a source or weight cell, the cells it was written into.
    pub fn related(&self, cell: CellRef) -> Vec<CellRef> {
        let mut out = Vec::new();
        for write in self.steps.iter().flat_map(|s| &s.writes) {
            if write.target == cell {
                for tap in &write.taps {
                    out.extend(tap.weight);
                    out.extend(tap.source.cells());
                }
                out.extend(write.constant.and_then(|c| c.cell));
            } else if write.constant.and_then(|c| c.cell) == Some(cell)
                || write.taps.iter().any(|t| t.weight == Some(cell) || t.source.cells().any(|c| c == cell))
            {
                out.push(write.target);
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

impl Source {
    /// The cells this source reads.
    pub fn cells(&self) -> impl Iterator<Item = CellRef> + '_ {
        let (single, corners) = match self {
            Source::Cell(cell) => (Some(*cell), &[][..]),
            Source::Sample { corners, .. } => (None, &corners[..]),
        };
        single.into_iter().chain(corners.iter().map(|(cell, _)| *cell))
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

    /// A trace that copies its 1×1×1×2 input `a` into output `b`.
    fn copy_trace(values: [f32; 2]) -> Trace {
        let mut t = Trace::default();
        let mut a = Grid::new("a", "a", Role::Input, [1, 1, 1, 2]);
        a.values = values.to_vec();
        a.written = false;
        let input = t.add_grid(a);
        let output = t.add_grid(Grid::new("b", "b", Role::Output, [1, 1, 1, 2]));
        t.add_stage("copy", "copy");
        let writes = (0..2)
            .map(|col| {
                let value = values[col];
                let tap = Tap::copy(Source::Cell(CellRef { grid: input, index: [0, 0, 0, col] }), value);
                Write {
                    target: CellRef { grid: output, index: [0, 0, 0, col] },
                    combine: Combine::Set,
                    taps: vec![tap],
                    constant: None,
                    value,
                }
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
        assert_eq!(first.stages[1].name, "hand-over");
        let replay = first.replay(first.steps.len());
        assert_eq!(replay.values[2], vec![0.0, 3.0, 4.0]);
        assert_eq!(replay.values[3], vec![0.0, 3.0]);
    }

    #[test]
    fn labels_use_the_users_indices() {
        let mut grid = Grid::new("x", "x", Role::Input, [1, 1, 4, 4]);
        grid.origin = [-1, -1];
        assert_eq!(grid.label([0, 0, 0, 2]), "x[0,0,−1,1]");
    }
}
