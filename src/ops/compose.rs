//! Building blocks for composite operators (separable convolutions, decoder blocks): each
//! stage runs a traced operator on a grid already in the composite trace and is absorbed
//! into it (see [`Trace::absorb`]), so a composite is a few lines and its picture, steps and
//! replay come for free.

use ndarray::Array4;

use super::bilinear_additive::bilinear_additive_traced;
use super::conv_transpose2d::{ConvTranspose2dGeometry, conv_transpose2d_scatter};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d_traced, padding_caption, shape4};
use super::interpolate::InterpolateGeometry;
use crate::counts::Work;
use crate::params::ParamError;
use crate::trace::{CellRef, Grid, GridId, Operands, Role, Source, Step, Tap, Trace, Write};

/// A composite trace under construction: the grids so far and the values of each.
pub struct Composite {
    pub trace: Trace,
    /// The input tensor's grid.
    pub input: GridId,
    /// The stages each pass added, in order (its hand-over, if any, and its sweep), and its
    /// kernel's grid (if it has one), so the facts can count each pass's work and weights
    /// from the trace.
    pub passes: Vec<(std::ops::Range<usize>, Option<GridId>)>,
}

/// Names for a stage's weight and output grids.
pub struct Names<'a> {
    pub weight: (&'a str, &'a str),
    pub output: (&'a str, &'a str),
    /// Whether the output is the composite's final output (else an intermediate).
    pub last: bool,
    /// An existing grid holding this stage's weight, to show one kernel used several times.
    pub shared_weight: Option<GridId>,
}

impl Composite {
    /// Starts with the input tensor `x`.
    pub fn new(x: &Array4<f32>) -> Composite {
        let mut trace = Trace::default();
        let input = trace.add_grid(Grid::from_array("x", "input x", Role::Input, x));
        Composite { trace, input, passes: Vec::new() }
    }

    /// Runs conv2d on grid `source` (holding `x`) in `lane`; returns the output grid and values.
    pub fn conv2d(
        &mut self,
        source: GridId,
        x: &Array4<f32>,
        w: &Array4<f32>,
        args: ConvArgs,
        lane: usize,
        names: Names,
    ) -> Result<(GridId, Array4<f32>), ParamError> {
        let g = Conv2dGeometry::new(shape4(x), shape4(w), None, args)?;
        let mut sub = Trace::default();
        let (y, ids) = conv2d_traced(x, w, None, &g, &mut sub);
        let source_grid = &self.trace.grids[source];
        sub.grids[ids.input].symbol = source_grid.symbol.clone();
        sub.grids[ids.input].caption = padding_caption(&source_grid.caption, args.pads());
        Ok((self.absorb(sub, ids, source, lane, names), y))
    }

    /// Runs conv_transpose2d (as a scatter) on grid `source` (holding `x`) in `lane`.
    #[allow(clippy::too_many_arguments)]
    pub fn conv_transpose2d(
        &mut self,
        source: GridId,
        x: &Array4<f32>,
        w: &Array4<f32>,
        args: ConvArgs,
        output_padding: [usize; 2],
        lane: usize,
        names: Names,
    ) -> Result<(GridId, Array4<f32>), ParamError> {
        let g = ConvTranspose2dGeometry::new(shape4(x), shape4(w), None, args, output_padding)?;
        let mut sub = Trace::default();
        let (y, ids) = conv_transpose2d_scatter(x, w, None, &g, &mut sub);
        Ok((self.absorb(sub, ids, source, lane, names), y))
    }

    /// Bilinear additive upsampling of grid `source` (holding `x`) in `lane`.
    pub fn bilinear_additive(
        &mut self,
        source: GridId,
        x: &Array4<f32>,
        g: &InterpolateGeometry,
        group: usize,
        lane: usize,
        names: Names,
    ) -> (GridId, Array4<f32>) {
        let mut sub = Trace::default();
        let (y, ids) = bilinear_additive_traced(x, g, group, &mut sub);
        (self.absorb(sub, ids, source, lane, names), y)
    }

    /// `a + b` cell by cell (grids of equal shape holding `values`), as a stage of its own,
    /// into a new grid named `names.output`.
    pub fn sum(
        &mut self,
        (a, b): (GridId, GridId),
        values: (&Array4<f32>, &Array4<f32>),
        names: Names,
    ) -> (GridId, Array4<f32>) {
        let t = &mut self.trace;
        let shape = t.grids[a].shape;
        let role = if names.last { Role::Output } else { Role::Intermediate };
        let out = t.add_grid(Grid::new(names.output.0, names.output.1, role, shape));
        let stage =
            t.add_stage("sum", &format!("Each output cell adds {} and {}.", t.grids[a].caption, t.grids[b].caption));
        let mut y = Array4::<f32>::zeros(shape);
        for ((i, ch, r, q), cell) in y.indexed_iter_mut() {
            let index = [i, ch, r, q];
            let taps = vec![
                Tap::copy(Source::Cell(CellRef { grid: a, index }), values.0[index]),
                Tap::copy(Source::Cell(CellRef { grid: b, index }), values.1[index]),
            ];
            let write = Write::set(CellRef { grid: out, index }, taps, None);
            *cell = write.value;
            t.steps.push(Step { stage, writes: vec![write], focus: Vec::new() });
        }
        t.grids[out].values = y.iter().copied().collect();
        (out, y)
    }

    /// The work of pass `i` (in the order the passes were added).
    pub fn work(&self, i: usize) -> Work {
        let stages = self.passes[i].0.clone();
        Work::of(&self.trace, |s, _| stages.contains(&s))
    }

    /// The weight cells of pass `i` (its kernel grid's size; none for a fixed resampling).
    pub fn weights(&self, i: usize) -> usize {
        self.passes[i].1.map_or(0, |w| self.trace.grids[w].len())
    }

    /// Absorbs a stage with grids `ids`, its input linked to our `source`; returns the output's
    /// id. With `names.shared_weight`, the stage's weight grid is that existing grid.
    fn absorb(&mut self, mut sub: Trace, ids: Operands, source: GridId, lane: usize, names: Names) -> GridId {
        let output = ids.output;
        let mut links = vec![(ids.input, source)];
        if let Some(weight) = ids.weight {
            links.extend(names.shared_weight.map(|ours| (weight, ours)));
            sub.grids[weight].symbol = names.weight.0.to_string();
            sub.grids[weight].caption = names.weight.1.to_string();
        }
        sub.grids[output].symbol = names.output.0.to_string();
        sub.grids[output].caption = names.output.1.to_string();
        if !names.last {
            sub.grids[output].role = Role::Intermediate;
        }
        let first = self.trace.stages.len();
        let map = self.trace.absorb(sub, &links, lane);
        self.passes.push((first..self.trace.stages.len(), ids.weight.map(|w| map[w])));
        map[output]
    }
}
