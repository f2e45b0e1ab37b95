//! Building blocks for composite operators (separable convolutions, decoder blocks): each
//! pass runs a traced operator on a grid already in the composite trace and is absorbed into
//! it (see [`Trace::absorb`]), so a composite is a few lines and its picture, steps and replay
//! come for free. The composite keeps the values of every grid a pass can read.

use std::collections::HashMap;

use ndarray::Array4;

use super::bilinear_additive::bilinear_additive_traced;
use super::code::{self, Call, Program, PyArg};
use super::conv_transpose2d::{ConvTranspose2dGeometry, View, conv_transpose2d_traced};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d_traced, padding_caption, shape4};
use super::interpolate::{InterpolateGeometry, interpolate_traced};
use crate::counts::{Work, products_text};
use crate::msg;
use crate::params::ParamError;
use crate::text::Msg;
use crate::trace::{CellRef, Combine, Grid, GridId, Operands, Role, Source, Tap, Trace};

/// A composite trace under construction.
pub struct Composite {
    pub trace: Trace,
    /// The input tensor's grid.
    pub input: GridId,
    /// The values of the grids passes have read or written.
    values: HashMap<GridId, Array4<f32>>,
    /// The stages each pass added, in order (its hand-over, if any, and its sweep), and its
    /// kernel's grid (if it has one), so the facts can count each pass's work and weights
    /// from the trace.
    passes: Vec<(std::ops::Range<usize>, Option<GridId>)>,
    /// The PyTorch program of the passes so far ("Copy as PyTorch"), and each grid's variable.
    steps: Vec<Call>,
    vars: HashMap<GridId, String>,
}

/// Which conv a pass runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    Plain,
    /// A transposed conv as a scatter, with PyTorch's `output_padding` (extra rows and
    /// columns at the bottom and right).
    Transposed {
        output_padding: [usize; 2],
    },
}

impl Conv {
    /// A transposed conv without output padding.
    pub const TRANSPOSED: Conv = Conv::Transposed { output_padding: [0, 0] };
}

/// Names for a pass's weight and output grids: `(symbol, caption)` each.
pub struct Names<'a> {
    weight: (&'a str, Msg),
    output: (&'a str, Msg),
    /// Whether the output is the composite's final output (else an intermediate).
    last: bool,
    /// An existing grid holding this pass's weight, to show one kernel used several times.
    shared_weight: Option<GridId>,
}

impl<'a> Names<'a> {
    pub fn new(weight: (&'a str, impl Into<Msg>), output: (&'a str, impl Into<Msg>)) -> Names<'a> {
        Names {
            weight: (weight.0, weight.1.into()),
            output: (output.0, output.1.into()),
            last: false,
            shared_weight: None,
        }
    }

    /// For a pass without a weight.
    pub fn output(output: (&'a str, impl Into<Msg>)) -> Names<'a> {
        Names::new(("", Msg::default()), output)
    }

    /// The pass writes a final output.
    pub fn last(self) -> Names<'a> {
        Names { last: true, ..self }
    }

    /// The pass's weight is the existing grid `weight`.
    pub fn sharing(self, weight: GridId) -> Names<'a> {
        Names { shared_weight: Some(weight), ..self }
    }
}

impl Composite {
    /// Starts with the input tensor `x`.
    pub fn new(x: &Array4<f32>) -> Composite {
        let mut trace = Trace::default();
        let input = trace.add_grid(Grid::from_array("x", crate::msg!("grid-input", sym = "x"), Role::Input, x));
        Composite {
            trace,
            input,
            values: HashMap::from([(input, x.clone())]),
            passes: Vec::new(),
            steps: Vec::new(),
            vars: HashMap::new(),
        }
    }

    /// The PyTorch program of the passes, ending with the last one.
    pub fn program(&self) -> Option<Program> {
        (!self.steps.is_empty()).then(|| Program { steps: self.steps.clone() })
    }

    /// The variable holding grid `id` in the program; a grid no pass wrote (the input, a map
    /// added by hand) is defined from its values first.
    fn var(&mut self, id: GridId) -> PyArg {
        if let Some(name) = self.vars.get(&id) {
            return PyArg::Var(name.clone());
        }
        let name = self.fresh_name(id);
        let values = self.values[&id].clone();
        self.steps.push(
            Call::python("torch.clone", None, values.clone().into_dyn())
                .arg("input", code::tensor(&values))
                .into(&name),
        );
        self.vars.insert(id, name.clone());
        PyArg::Var(name)
    }

    /// Adds a step whose result is grid `id`.
    fn step(&mut self, id: GridId, call: Call) {
        let name = self.fresh_name(id);
        self.steps.push(call.into(&name));
        self.vars.insert(id, name);
    }

    /// Grid `id`'s variable name: its symbol, numbered if another grid has that name already.
    fn fresh_name(&self, id: GridId) -> String {
        let base = code::python_name(&self.trace.grids[id].symbol);
        let taken = |name: &String| self.vars.iter().any(|(other, n)| *other != id && n == name);
        let mut name = base.clone();
        let mut k = 2;
        while taken(&name) {
            name = format!("{base}_{k}");
            k += 1;
        }
        name
    }

    /// The values of grid `id` (one the composite started with or a pass wrote).
    pub fn values(&self, id: GridId) -> &Array4<f32> {
        &self.values[&id]
    }

    /// Records the values of a grid added by hand, so passes can read it.
    pub fn record(&mut self, id: GridId, values: Array4<f32>) {
        self.values.insert(id, values);
    }

    /// Runs a conv (a transposed one as a scatter) on grid `source` with kernel `w`, in
    /// `lane`; returns the output grid.
    pub fn conv(
        &mut self,
        kind: Conv,
        source: GridId,
        w: &Array4<f32>,
        args: ConvArgs,
        lane: usize,
        names: Names,
    ) -> Result<GridId, ParamError> {
        let input = self.var(source);
        let (x, mut sub) = (&self.values[&source], Trace::default());
        let call = match kind {
            Conv::Plain => Call::new("conv2d", "F.conv2d", Default::default())
                .arg("input", input)
                .arg("weight", code::tensor(w))
                .arg("bias", PyArg::None)
                .arg("stride", code::pair(args.stride))
                // Only padding='same' pads more after than before.
                .arg("padding", if args.extra == [0, 0] { code::pair(args.padding) } else { PyArg::Str("same") })
                .arg("dilation", code::pair(args.dilation))
                .arg("groups", PyArg::Int(args.groups as i64)),
            Conv::Transposed { output_padding } => {
                Call::new("conv_transpose2d", "F.conv_transpose2d", Default::default())
                    .arg("input", input)
                    .arg("weight", code::tensor(w))
                    .arg("bias", PyArg::None)
                    .arg("stride", code::pair(args.stride))
                    .arg("padding", code::pair(args.padding))
                    .arg("output_padding", code::pair(output_padding))
                    .arg("groups", PyArg::Int(args.groups as i64))
                    .arg("dilation", code::pair(args.dilation))
            }
        };
        let (y, ids) = if let Conv::Transposed { output_padding } = kind {
            let g = ConvTranspose2dGeometry::new(shape4(x), shape4(w), None, args, output_padding)?;
            conv_transpose2d_traced(View::Scatter, x, w, None, &g, &mut sub)
        } else {
            let g = Conv2dGeometry::new(shape4(x), shape4(w), None, args)?;
            let (y, ids) = conv2d_traced(x, w, None, &g, &mut sub);
            // The padded copy is named after the grid it pads.
            let source_grid = &self.trace.grids[source];
            sub.grids[ids.input].symbol = source_grid.symbol.clone();
            sub.grids[ids.input].caption = padding_caption(&source_grid.caption, args.pads());
            (y, ids)
        };
        let output = y.clone().into_dyn();
        let out = self.absorb(sub, ids, y, source, lane, names);
        self.step(out, Call { output, ..call });
        Ok(out)
    }

    /// Resizes grid `source` by `g` (nearest, bilinear, …) in `lane`.
    pub fn resize(&mut self, source: GridId, g: &InterpolateGeometry, lane: usize, names: Names) -> GridId {
        let var = self.var(source);
        let mut sub = Trace::default();
        let x = &self.values[&source];
        let input = sub.add_grid(Grid::from_array("x", msg!("grid-input", sym = "x"), Role::Input, x));
        let output = sub.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.output));
        let stage = sub.add_stage(g.mode.stage_name(), g.mode.explain());
        let y = interpolate_traced(x, g, &mut sub, [input, output], stage);
        let call = Call::new("interpolate", "F.interpolate", y.clone().into_dyn())
            .arg("input", var)
            .arg("size", if g.scale_factor.is_none() { code::pair([g.output[2], g.output[3]]) } else { PyArg::None })
            .arg("scale_factor", g.scale_factor.map_or(PyArg::None, |[s, _]| PyArg::Float(s)))
            .arg("mode", PyArg::Str(g.mode.name()))
            .arg("align_corners", if g.mode.interpolates() { PyArg::Bool(g.align_corners) } else { PyArg::None });
        let ids = Operands { input, weight: None, bias: None, output };
        let out = self.absorb(sub, ids, y, source, lane, names);
        self.step(out, call);
        out
    }

    /// Bilinear additive upsampling of grid `source` in `lane`.
    pub fn bilinear_additive(
        &mut self,
        source: GridId,
        g: &InterpolateGeometry,
        group: usize,
        lane: usize,
        names: Names,
    ) -> GridId {
        let var = self.var(source);
        let mut sub = Trace::default();
        let (y, ids) = bilinear_additive_traced(&self.values[&source], g, group, &mut sub);
        let scale = g.scale_factor.map_or(1.0, |[s, _]| s);
        let call = Call::new("bilinear_additive_upsample", "bilinear_additive_upsample", y.clone().into_dyn())
            .helper(code::BILINEAR_ADDITIVE)
            .arg("input", var)
            .arg("scale_factor", PyArg::Float(scale))
            .arg("channel_group", PyArg::Int(group as i64));
        let out = self.absorb(sub, ids, y, source, lane, names);
        self.step(out, call);
        out
    }

    /// `a + b` cell by cell (grids of equal shape), as a stage of its own, into a new grid
    /// named `names.output`.
    pub fn sum(&mut self, (a, b): (GridId, GridId), names: Names) -> GridId {
        let (va, vb) = (self.var(a), self.var(b));
        let t = &mut self.trace;
        let shape = t.grids[a].shape;
        let role = if names.last { Role::Output } else { Role::Intermediate };
        let out = t.add_grid(Grid::new(names.output.0, names.output.1, role, shape));
        let explain = msg!("separable-sum-stage.explain", a = &t.grids[a].caption, b = &t.grids[b].caption);
        let stage = t.add_stage(msg!("separable-sum-stage"), explain);
        let mut y = Array4::<f32>::zeros(shape);
        for ((i, ch, r, q), cell) in y.indexed_iter_mut() {
            let index = [i, ch, r, q];
            let taps =
                [a, b].map(|grid| Tap::copy(Source::Cell(CellRef { grid, index }), self.values[&grid][index])).to_vec();
            *cell = t.push_write(stage, CellRef { grid: out, index }, Combine::Set, taps, None, 0.0);
        }
        t.grids[out].values = y.iter().copied().collect();
        let call = Call::python("torch.add", None, y.clone().into_dyn()).arg("input", va).arg("other", vb);
        self.values.insert(out, y);
        self.step(out, call);
        out
    }

    /// The work of pass `i` (in the order the passes were added).
    pub fn work(&self, i: usize) -> Work {
        let stages = self.stages(i);
        Work::of(&self.trace, |s, _| stages.contains(&s))
    }

    /// The stages pass `i` added (its hand-over, if any, and its steps).
    pub fn stages(&self, i: usize) -> std::ops::Range<usize> {
        self.passes[i].0.clone()
    }

    /// The kernel grid of pass `i`, if it has one.
    pub fn weight_grid(&self, i: usize) -> Option<GridId> {
        self.passes[i].1
    }

    /// The weight cells of pass `i` (its kernel grid's size; none for a fixed resampling).
    pub fn weights(&self, i: usize) -> usize {
        self.passes[i].1.map_or(0, |w| self.trace.grids[w].len())
    }

    /// The facts of a two-pass factorisation (passes 0 and 1) beside the full operator it
    /// replaces (pass 2): `weights` are the counts' formulas, e.g. `C·k + C·k` and `C·k²`,
    /// `notes` what follows each count (a message that starts with its own space, e.g.
    /// “ (W)”, or `""`), `kind` names the factorisation (“separable”).
    pub fn factorisation_facts(
        &self,
        weights: [&str; 2],
        notes: [impl Into<Msg>; 2],
        kind: impl Into<Msg>,
    ) -> Vec<Msg> {
        let [a, b, full] = [0, 1, 2].map(|i| self.weights(i));
        let [wa, wb, wf] = [0, 1, 2].map(|i| products_text(&self.work(i)));
        let ([split, whole], [split_note, whole_note]) = (weights, notes.map(Into::into));
        vec![
            msg!(
                "separable-fact-weights",
                split = split,
                a = a,
                b = b,
                split_note = split_note,
                whole = whole,
                full = full,
                whole_note = whole_note
            ),
            msg!("separable-fact-products", a = wa, b = wb, kind = kind.into(), full = wf),
        ]
    }

    /// Absorbs a pass with grids `ids` and output `y`, its input linked to our `source`;
    /// returns the output's id. With `names.shared_weight`, the pass's weight grid is that
    /// existing grid.
    fn absorb(
        &mut self,
        mut sub: Trace,
        ids: Operands,
        y: Array4<f32>,
        source: GridId,
        lane: usize,
        names: Names,
    ) -> GridId {
        let output = ids.output;
        let mut links = vec![(ids.input, source)];
        if let Some(weight) = ids.weight {
            links.extend(names.shared_weight.map(|ours| (weight, ours)));
            sub.grids[weight].symbol = names.weight.0.to_string();
            sub.grids[weight].caption = names.weight.1.clone();
        }
        sub.grids[output].symbol = names.output.0.to_string();
        sub.grids[output].caption = names.output.1.clone();
        if !names.last {
            sub.grids[output].role = Role::Intermediate;
        }
        let first = self.trace.stages.len();
        let map = self.trace.absorb(sub, &links, lane);
        self.passes.push((first..self.trace.stages.len(), ids.weight.map(|w| map[w])));
        self.values.insert(map[output], y);
        map[output]
    }
}
