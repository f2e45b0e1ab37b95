//! Building blocks for composite operators (separable convolutions, decoder blocks): each
//! stage runs a traced operator on a grid already in the composite trace and is absorbed
//! into it (see [`Trace::absorb`]), so a composite is a few lines and its picture, steps and
//! replay come for free.

use ndarray::Array4;

use super::conv_transpose2d::{ConvTranspose2dGeometry, conv_transpose2d_scatter};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d, padding_caption, shape4};
use crate::counts::Work;
use crate::params::ParamError;
use crate::trace::{Grid, GridId, Role, Trace};

/// A composite trace under construction: the grids so far and the values of each.
pub struct Composite {
    pub trace: Trace,
    /// The stages each pass added, in order (its hand-over, if any, and its sweep), and its
    /// kernel's grid, so the facts can count each pass's work and weights from the trace.
    pub passes: Vec<(std::ops::Range<usize>, GridId)>,
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
    /// Starts with the input tensor `x` as grid 0.
    pub fn new(x: &Array4<f32>) -> Composite {
        let mut trace = Trace::default();
        trace.add_grid(Grid::from_array("x", "input x", Role::Input, x));
        Composite { trace, passes: Vec::new() }
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
        let y = conv2d(x, w, None, &g, Some(&mut sub));
        // conv2d's grids: the padded input, the weight, the output.
        let source_grid = &self.trace.grids[source];
        sub.grids[0].symbol = source_grid.symbol.clone();
        sub.grids[0].caption = padding_caption(&source_grid.caption, args.pads());
        Ok((self.absorb(sub, source, lane, names), y))
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
        let y = conv_transpose2d_scatter(x, w, None, &g, Some(&mut sub));
        Ok((self.absorb(sub, source, lane, names), y))
    }

    /// The work of pass `i` (in the order the passes were added).
    pub fn work(&self, i: usize) -> Work {
        let stages = self.passes[i].0.clone();
        Work::of(&self.trace, |s, _| stages.contains(&s))
    }

    /// The weight cells of pass `i` (its kernel grid's size).
    pub fn weights(&self, i: usize) -> usize {
        self.trace.grids[self.passes[i].1].len()
    }

    /// Absorbs a stage whose grids are (input, weight, output); returns the output's id.
    /// With `names.shared_weight`, the stage's weight grid is that existing grid.
    fn absorb(&mut self, mut sub: Trace, source: GridId, lane: usize, names: Names) -> GridId {
        let (weight, output) = (1, sub.grids.len() - 1);
        let mut links = vec![(0, source)];
        links.extend(names.shared_weight.map(|ours| (weight, ours)));
        sub.grids[weight].symbol = names.weight.0.to_string();
        sub.grids[weight].caption = names.weight.1.to_string();
        sub.grids[output].symbol = names.output.0.to_string();
        sub.grids[output].caption = names.output.1.to_string();
        if !names.last {
            sub.grids[output].role = Role::Intermediate;
        }
        let first = self.trace.stages.len();
        let map = self.trace.absorb(sub, &links, lane);
        self.passes.push((first..self.trace.stages.len(), map[weight]));
        map[output]
    }
}
