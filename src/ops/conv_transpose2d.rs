//! `conv_transpose2d`: PyTorch's `F.conv_transpose2d`, traced two ways with equal numbers:
//!
//! * **gather** (conv_arithmetic's picture): insert `stride − 1` zeros between input cells, pad
//!   `dilation·(k − 1) − padding` per side plus `output_padding` at the bottom/right, and sweep
//!   the flipped kernel with stride 1;
//! * **scatter**: each input cell stamps `value × kernel` onto the output, which accumulates.

use super::Traced;
use ndarray::{Array1, Array4};

use super::conv2d::{
    ConvArgs, bias_constant, bias_grid, bias_length_error, bias_preset, check_common, conv_facts, kernel_taps, shape4,
};
use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Measure, Operator, Quantity, Run, check_taps, controls, input_tensor, sig, weight_tensor};
use crate::args::{
    Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, Tensor as ArgTensor, check_cost, product,
};
use crate::counts::Work;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params, schema};
use crate::text::Msg;
use crate::trace::{
    CellKind, CellRef, Combine, Constant, Grid, GridId, Operands, Role, Source, StageKind, Step, Tap, Trace, Write,
};

const VIEW: ParamSpec = ParamSpec::choice(
    "view",
    "convt-view",
    &[("gather", "convt-view-gather"), ("scatter", "convt-view-scatter")],
    "gather",
    "convt-view.help",
);
const PADDING: ParamSpec = ParamSpec::int("padding", "convt-padding", 0, 10, 0, "convt-padding.help").per_axis();
const OUTPUT_PADDING: ParamSpec =
    ParamSpec::int("output_padding", "convt-output-padding", 0, 7, 0, "convt-output-padding.help").per_axis();

static SCHEMA: [ParamSpec; 15] = schema(&[
    &[VIEW, controls::height(3), controls::width(3), controls::KERNEL_SIZE2, controls::stride2(2)],
    &[PADDING, OUTPUT_PADDING, controls::DILATION2],
    &controls::CONV_CHANNELS,
    &controls::VALUES,
]);

/// A checked conv_transpose2d.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvTranspose2dGeometry {
    pub input: [usize; 4],
    /// `[C_in, C_out / groups, kh, kw]`, PyTorch's layout.
    pub weight: [usize; 4],
    pub args: ConvArgs,
    pub output_padding: [usize; 2],
    pub output: [usize; 4],
}

impl ConvTranspose2dGeometry {
    /// The one validating constructor. `channels` is the number of output channels the caller
    /// means, if it knows one: the bias's length in eval, the control on the page (where the
    /// weight's `C_out / groups` would hide an out_channels that groups does not divide).
    pub fn new(
        input: [usize; 4],
        weight: [usize; 4],
        channels: Option<usize>,
        args: ConvArgs,
        output_padding: [usize; 2],
    ) -> Result<Self, ParamError> {
        let [n, c_in, h, w] = input;
        let [w_in, c_out_per_group, kh, kw] = weight;
        let c_out = c_out_per_group * args.groups;
        check_common(&args, c_in, channels.unwrap_or(c_out))?;
        crate::ops::nonempty("input", "height", input)?;
        crate::ops::nonempty("weight", "kernel_size", weight)?;
        if w_in != c_in {
            return Err(ParamError::new("in_channels", msg!("convt-weight-channels", weight = w_in, channels = c_in)));
        }
        if let Some(len) = channels.filter(|&len| len != c_out) {
            return Err(bias_length_error(len, c_out));
        }
        let mut out = [0; 2];
        for (axis, (size, k)) in [(h, kh), (w, kw)].into_iter().enumerate() {
            let (s, p, d, op) = (args.stride[axis], args.padding[axis], args.dilation[axis], output_padding[axis]);
            if op >= s && op >= d {
                let message = msg!("convt-output-padding-too-large", output_padding = op, stride = s, dilation = d);
                return Err(ParamError::new("output_padding", message));
            }
            let size_out = (size as isize - 1) * s as isize - 2 * p as isize + (d * (k - 1)) as isize + op as isize + 1;
            if size_out < 1 {
                // The size is zero or negative: written with a plain hyphen, as before.
                let sum = format!("({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1 = {size_out}");
                return Err(ParamError::new("padding", msg!("convt-crops-everything", padding = p, sum = sum)));
            }
            out[axis] = size_out as usize;
        }
        Ok(ConvTranspose2dGeometry { input, weight, args, output_padding, output: [n, c_out, out[0], out[1]] })
    }

    /// Padding of the zero-inserted input in the gather view, per axis; negative means the
    /// padding crops that many rows or columns instead.
    pub fn gather_padding(&self) -> [isize; 2] {
        [0, 1].map(|axis| {
            (self.args.dilation[axis] * (self.weight[2 + axis] - 1)) as isize - self.args.padding[axis] as isize
        })
    }

    /// Products that reach the output (scatter's multiply-adds).
    pub fn n_scatter_taps(&self) -> usize {
        let [_, c_out_per_group, kh, kw] = self.weight;
        self.input.iter().product::<usize>() * c_out_per_group * kh * kw
    }

    /// Products of the gather sweep, counting those with inserted zeros and padding.
    pub fn n_gather_taps(&self) -> usize {
        let [_, _, kh, kw] = self.weight;
        self.output.iter().product::<usize>() * (self.input[1] / self.args.groups) * kh * kw
    }
}

pub static CONV_TRANSPOSE2D: Operator = Operator {
    name: "conv_transpose2d",
    title: "convt-title",
    summary: "convt-summary",
    schema: &SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_conv_transpose2d,
};

fn run_conv_transpose2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c_in, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.pair("kernel_size"));
    let args =
        ConvArgs::new(params.pair("stride"), params.pair("padding"), params.pair("dilation"), params.usize("groups"));
    let has_bias = params.choice("bias") == "on";
    let input_shape = [1, c_in, params.usize("height"), params.usize("width")];
    let weight_shape = [c_in, c_out / args.groups, k[0], k[1]];
    let output_padding = params.pair("output_padding");
    let geometry = ConvTranspose2dGeometry::new(input_shape, weight_shape, Some(c_out), args, output_padding)?;
    check_taps(geometry.n_gather_taps().max(geometry.n_scatter_taps()))?;

    let seed = params.int("seed") as u64;
    let x = input_tensor(params, "in_channels", edits);
    let w = weight_tensor(params, weight_shape, 0, edits);
    let b = has_bias.then(|| bias_preset(c_out, seed));
    let mut trace = Trace::default();
    let gather = params.choice("view") == "gather";
    let view = if gather { View::Gather } else { View::Scatter };
    let (y, ids) = conv_transpose2d_traced(view, &x, &w, b.as_ref(), &geometry, &mut trace);
    // PyTorch's order: input, weight, bias, stride, padding, output_padding, groups, dilation.
    let pytorch = Call::new("conv_transpose2d", "F.conv_transpose2d", y.into_dyn())
        .arg("input", code::tensor(&x))
        .arg("weight", code::tensor(&w))
        .arg("bias", b.as_ref().map_or(PyArg::None, code::vector))
        .arg("stride", code::pair(args.stride))
        .arg("padding", code::pair(args.padding))
        .arg("output_padding", code::pair(output_padding))
        .arg("groups", PyArg::Int(args.groups as i64))
        .arg("dilation", code::pair(args.dilation));
    let mut facts = conv_facts(weight_shape, &trace);
    if !gather {
        let work = Work::all(&trace);
        let stamped =
            geometry.input.iter().product::<usize>() * geometry.weight[1] * geometry.weight[2] * geometry.weight[3];
        if stamped > work.products {
            facts.push(msg!("convt-fact-cropped", n = stamped - work.products, stamped = stamped));
        }
    }
    Ok(Run {
        quantities: output_size(&geometry),
        formula: formula(&geometry, gather),
        facts,
        editable: Editable::operands(ids),
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

static EVALS: &[EvalOp] = &[EvalOp {
    name: "conv_transpose2d",
    signature: &[
        sig::INPUT,
        sig::WEIGHT,
        sig::BIAS,
        sig::STRIDE,
        sig::PADDING,
        ArgSpec::new("output_padding", Kind::IntPair { min: 0, max: MAX_INT_ARG, one: true }, Default::Int(0)),
        sig::GROUPS,
        sig::DILATION,
    ],
    reference: "torch.nn.functional.conv_transpose2d",
    answer: eval_conv_transpose2d,
}];

fn eval_conv_transpose2d(args: &Args) -> Result<Answer, String> {
    let (x, unbatched) = args.tensor("input")?.batched4();
    let w = args.tensor("weight")?.into_array4();
    let b = args.opt_tensor("bias")?.map(ArgTensor::into_array1);
    let conv_args =
        ConvArgs::new(args.pair("stride")?, args.pair("padding")?, args.pair("dilation")?, args.usize("groups")?);
    let g = ConvTranspose2dGeometry::new(
        shape4(&x),
        shape4(&w),
        b.as_ref().map(|b| b.len()),
        conv_args,
        args.pair("output_padding")?,
    )
    .map_err(|e| e.message)?;
    let c_in_per_group = g.input[1] / g.args.groups;
    check_cost(
        product(&g.output),
        product(&g.output).saturating_mul(product(&[c_in_per_group, g.weight[2], g.weight[3]])),
    )?;
    Ok(Answer::tensor4(conv_transpose2d(&x, &w, b.as_ref(), &g), unbatched))
}

/// `3`, or `3 (rows) and 1 (columns)` when the axes differ.
fn per_axis(v: [usize; 2]) -> Msg {
    if v[0] == v[1] { msg!("convt-count", n = v[0]) } else { msg!("convt-count-axes", rows = v[0], cols = v[1]) }
}

/// What the gather view's padding stage does along `axis` (`rows`, `columns` or `both`): `q`
/// zeros added per side, or cropped when negative.
fn padding_axis(q: isize, axis: &str) -> Msg {
    match q {
        0 => msg!("convt-pad-none", axis = axis),
        q if q > 0 => msg!("convt-pad-add", axis = axis, q = q),
        q => msg!("convt-pad-crop", axis = axis, q = -q),
    }
}

/// What the gather view's padding stage does, per axis (a negative padding crops).
fn padding_explained(q: [isize; 2]) -> Msg {
    if q[0] == q[1] {
        msg!("convt-padding-explain", what = padding_axis(q[0], "both"))
    } else {
        msg!("convt-padding-explain-axes", rows = padding_axis(q[0], "rows"), cols = padding_axis(q[1], "columns"))
    }
}

/// The output size, one quantity per axis.
fn output_size(g: &ConvTranspose2dGeometry) -> Vec<Quantity> {
    let mut lines = Vec::new();
    for (axis, name) in ["H", "W"].into_iter().enumerate() {
        let (s, p, d, op) = (g.args.stride[axis], g.args.padding[axis], g.args.dilation[axis], g.output_padding[axis]);
        let (size, k) = (g.input[2 + axis], g.weight[2 + axis]);
        lines.push(Quantity::worked(
            [Measure::Height, Measure::Width][axis],
            g.output[2 + axis],
            &format!("{name}_out = ({name} − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1"),
            &format!("({size} − 1)·{s} − 2·{p} + {d}·({k} − 1) + {op} + 1"),
        ));
    }
    lines
}

fn formula(g: &ConvTranspose2dGeometry, gather: bool) -> Vec<Msg> {
    let mut lines: Vec<Msg> = output_size(g).into_iter().map(|q| q.line).collect();
    if gather {
        let q = g.gather_padding();
        // One line when both axes agree, else one per axis.
        let same = q[0] == q[1] && g.args.stride[0] == g.args.stride[1] && g.output_padding[0] == g.output_padding[1];
        for (axis, name) in [(0, "rows"), (1, "columns")].into_iter().take(if same { 1 } else { 2 }) {
            let (s, p, d) = (g.args.stride[axis], g.args.padding[axis], g.args.dilation[axis]);
            let (k, op) = (g.weight[2 + axis], g.output_padding[axis]);
            let extra = match (op, axis) {
                (0, _) => Msg::default(),
                (_, 0) => msg!("convt-formula-output-padding-bottom", op = op),
                _ => msg!("convt-formula-output-padding-right", op = op),
            };
            lines.push(msg!(
                "convt-formula-gather",
                axis = if same { "both" } else { name },
                zeros = s - 1,
                d = d,
                k = k,
                p = p,
                // May be negative (the padding crops): written with a plain hyphen, as before.
                pad = q[axis].to_string(),
                extra = extra
            ));
        }
    }
    lines
}

/// What cell `(row, col)` of the zero-inserted, padded input holds along one axis.
enum AxisCell {
    Input(usize),
    Inserted,
    Padding,
}

fn axis_cell(r: usize, q: isize, size: usize, stride: usize) -> AxisCell {
    let u = r as isize - q;
    if u < 0 || u > ((size - 1) * stride) as isize {
        AxisCell::Padding
    } else if !(u as usize).is_multiple_of(stride) {
        AxisCell::Inserted
    } else {
        AxisCell::Input(u as usize / stride)
    }
}

/// The zero-inserted, padded input of the gather view, with each cell's kind and, for data
/// cells, the input index it copies.
fn zero_inserted_grid(x: &Array4<f32>, g: &ConvTranspose2dGeometry) -> (Grid, Vec<Option<[usize; 4]>>) {
    let [n, c, h, w] = g.input;
    let q = g.gather_padding();
    let rows = ((h - 1) * g.args.stride[0]) as isize + 1 + 2 * q[0] + g.output_padding[0] as isize;
    let cols = ((w - 1) * g.args.stride[1]) as isize + 1 + 2 * q[1] + g.output_padding[1] as isize;
    let mut grid = Grid::new("z", msg!("convt-caption-z"), Role::Intermediate, [n, c, rows as usize, cols as usize]);
    grid.origin = [-q[0], -q[1]];
    let mut sources = vec![None; grid.len()];
    for (off, source) in sources.iter_mut().enumerate() {
        let [i, j, r, col] = grid.unravel(off);
        let along_rows = axis_cell(r, q[0], h, g.args.stride[0]);
        let along_cols = axis_cell(col, q[1], w, g.args.stride[1]);
        grid.kinds[off] = match (along_rows, along_cols) {
            (AxisCell::Padding, _) | (_, AxisCell::Padding) => CellKind::Padding,
            (AxisCell::Inserted, _) | (_, AxisCell::Inserted) => CellKind::InsertedZero,
            (AxisCell::Input(a), AxisCell::Input(b)) => {
                grid.values[off] = x[[i, j, a, b]];
                *source = Some([i, j, a, b]);
                CellKind::Value
            }
        };
    }
    (grid, sources)
}

/// Adds the input, (intermediate,) weight, (flipped weight,) bias and output grids of a view.
fn add_operand_grids(
    trace: &mut Trace,
    x: &Array4<f32>,
    w: &Array4<f32>,
    b: Option<&Array1<f32>>,
    g: &ConvTranspose2dGeometry,
    intermediate: Option<Grid>,
) -> (Operands, Option<(GridId, GridId)>) {
    let input = trace.add_grid(Grid::from_array("x", msg!("grid-input", sym = "x"), Role::Input, x));
    let inter = intermediate.map(|grid| trace.add_grid(grid));
    let weight = trace.add_grid(Grid::from_array("w", msg!("grid-weight", sym = "w"), Role::Weight, w));
    // The gather view sweeps the kernel rotated 180°: shown as a grid of its own, filled from w.
    let inter = inter.map(|z| {
        let mut flipped = Grid::new("w′", msg!("convt-caption-flipped"), Role::Intermediate, g.weight);
        flipped.written = true;
        (z, trace.add_grid(flipped))
    });
    let bias = bias_grid(trace, b);
    let output = trace.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.output));
    (Operands { input, weight: Some(weight), bias, output }, inter)
}

/// How the page computes a transposed conv; the numbers are the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Zero insertion, padding and a stride-1 sweep of the flipped kernel; the output equals
    /// [`conv_transpose2d`]'s to the bit.
    Gather,
    /// Every output cell starts at its bias (or zero), then every input cell adds
    /// `value × kernel` onto the output.
    Scatter,
}

/// PyTorch's conv_transpose2d with a trace, computed as `view` says.
pub fn conv_transpose2d_traced(
    view: View,
    x: &Array4<f32>,
    w: &Array4<f32>,
    b: Option<&Array1<f32>>,
    g: &ConvTranspose2dGeometry,
    t: &mut Trace,
) -> Traced {
    let (y, ids) = match view {
        View::Gather => {
            let (z, sources) = zero_inserted_grid(x, g);
            let (ids, inter) = add_operand_grids(t, x, w, b, g, Some(z));
            (gather(t, ids, (inter.expect("gather has intermediate grids"), &sources), (w, b), g), ids)
        }
        View::Scatter => {
            let (ids, _) = add_operand_grids(t, x, w, b, g, None);
            (scatter(t, ids, x, (w, b), g), ids)
        }
    };
    t.grids[ids.output].values = y.iter().copied().collect();
    (y, ids)
}

/// The gather view's steps over grids `ids`, the intermediate `inter`, whose cells copy the
/// input cells `sources` names, and the rotated kernel `flipped`.
fn gather(
    t: &mut Trace,
    ids: Operands,
    ((inter, flipped), sources): ((GridId, GridId), &[Option<[usize; 4]>]),
    (w, b): (&Array4<f32>, Option<&Array1<f32>>),
    g: &ConvTranspose2dGeometry,
) -> Array4<f32> {
    let [_, c_out_per_group, kh, kw] = g.weight;
    let c_in_per_group = g.input[1] / g.args.groups;
    let d = g.args.dilation;
    let weight = ids.weight.expect("a weight grid");
    let s = g.args.stride;
    let inserted = per_axis([s[0] - 1, s[1] - 1]);
    let stages = [
        t.add_stage(Msg::id("convt-stage-insertion"), msg!("convt-stage-insertion.explain", zeros = inserted)),
        t.add_stage(Msg::id("convt-stage-padding"), padding_explained(g.gather_padding())),
    ];
    // The first two stages fill the intermediate grid: data and inserted zeros, then padding.
    for (stage, padding) in stages.into_iter().zip([false, true]) {
        let grid = &t.grids[inter];
        let cells = (0..grid.len())
            .filter(|&off| (grid.kinds[off] == CellKind::Padding) == padding)
            .map(|off| (grid.unravel(off), sources[off].map(|index| CellRef { grid: ids.input, index })))
            .collect::<Vec<_>>();
        let step = t.fill(inter, stage, cells);
        t.steps.push(step);
    }
    let flip = t.add_stage(Msg::id("convt-stage-rotation"), Msg::id("convt-stage-rotation.explain"));
    let cells = (0..t.grids[flipped].len())
        .map(|off| {
            let [ci, co, a, b] = t.grids[flipped].unravel(off);
            ([ci, co, a, b], Some(CellRef { grid: weight, index: [ci, co, kh - 1 - a, kw - 1 - b] }))
        })
        .collect();
    let step = t.fill(flipped, flip, cells);
    t.steps.push(step);
    let sweep = t.add_stage(Msg::id("conv-stage-sweep"), Msg::id("convt-sweep-explain"));
    let mut y = Array4::<f32>::zeros(g.output);
    for ((i, co, oy, ox), out) in y.indexed_iter_mut() {
        let (group, co_local) = (co / c_out_per_group, co % c_out_per_group);
        let mut taps = Vec::with_capacity(c_in_per_group * kh * kw);
        for (ci_local, ky, kx) in kernel_taps([c_in_per_group, kh, kw]) {
            let ci = group * c_in_per_group + ci_local;
            let cell = CellRef { grid: inter, index: [i, ci, oy + ky * d[0], ox + kx * d[1]] };
            let k = [ci, co_local, kh - 1 - ky, kw - 1 - kx];
            let value = t.grids[inter].value(cell.index);
            let tap = CellRef { grid: flipped, index: [ci, co_local, ky, kx] };
            taps.push(Tap::weighted(tap, w[k], Source::Cell(cell), value));
        }
        let target = CellRef { grid: ids.output, index: [i, co, oy, ox] };
        *out = t.push_write(sweep, target, Combine::Set, taps, bias_constant(b, ids.bias, co), 0.0);
    }
    y
}

/// PyTorch's conv_transpose2d: the gather sum without the zero-inserted, padded copy: the
/// same taps in the same order as
/// [`conv_transpose2d_gather`]'s sweep, skipping those that read an inserted or padding zero
/// (adding an exact zero to a sum that starts at +0 changes no bit), so the numbers equal the
/// page's to the bit while the memory is only the output's.
pub fn conv_transpose2d(
    x: &Array4<f32>,
    w: &Array4<f32>,
    b: Option<&Array1<f32>>,
    g: &ConvTranspose2dGeometry,
) -> Array4<f32> {
    let [n, c_out, h_out, w_out] = g.output;
    let [_, c_out_per_group, kh, kw] = g.weight;
    let [_, _, h, wd] = g.input;
    let c_in_per_group = g.input[1] / g.args.groups;
    let [s, d] = [g.args.stride, g.args.dilation];
    let q = g.gather_padding();
    // The input index a cell of the zero-inserted, padded input copies along one axis, if any.
    let source = |z: usize, axis: usize, size: usize| -> Option<usize> {
        let u = z as isize - q[axis];
        let stride = s[axis] as isize;
        (u >= 0 && u % stride == 0 && u / stride < size as isize).then(|| (u / stride) as usize)
    };
    let mut y = Array4::<f32>::zeros(g.output);
    for i in 0..n {
        for co in 0..c_out {
            let group = co / c_out_per_group;
            let co_local = co % c_out_per_group;
            for oy in 0..h_out {
                for ox in 0..w_out {
                    let mut acc = 0.0f32;
                    for ci_local in 0..c_in_per_group {
                        let ci = group * c_in_per_group + ci_local;
                        for ky in 0..kh {
                            let Some(row) = source(oy + ky * d[0], 0, h) else { continue };
                            for kx in 0..kw {
                                let Some(col) = source(ox + kx * d[1], 1, wd) else { continue };
                                acc += x[[i, ci, row, col]] * w[[ci, co_local, kh - 1 - ky, kw - 1 - kx]];
                            }
                        }
                    }
                    if let Some(b) = b {
                        acc += b[co];
                    }
                    y[[i, co, oy, ox]] = acc;
                }
            }
        }
    }
    y
}

/// The scatter view's steps over grids `ids`.
fn scatter(
    t: &mut Trace,
    ids: Operands,
    x: &Array4<f32>,
    (w, b): (&Array4<f32>, Option<&Array1<f32>>),
    g: &ConvTranspose2dGeometry,
) -> Array4<f32> {
    let [n, c_in, h, wd] = g.input;
    let [_, c_out_per_group, kh, kw] = g.weight;
    let [_, _, h_out, w_out] = g.output;
    let c_in_per_group = c_in / g.args.groups;
    let [s, p, d] = [g.args.stride, g.args.padding, g.args.dilation];
    let (input, weight, out) = (ids.input, ids.weight.expect("a weight grid"), ids.output);
    // Every output cell is set before stamping, so cells no stamp reaches show their value.
    let start = if b.is_some() { "convt-stage-start.explain-bias" } else { "convt-stage-start.explain" };
    let stage = t.add_stage(Msg::id("convt-stage-start"), Msg::id(start));
    let writes = (0..t.grids[out].len())
        .map(|off| {
            let index = t.grids[out].unravel(off);
            let constant = bias_constant(b, ids.bias, index[1]).or(Some(Constant { value: 0.0, cell: None }));
            Write::set(CellRef { grid: out, index }, Vec::new(), constant)
        })
        .collect::<Vec<_>>();
    let mut y = Array4::from_shape_vec(g.output, writes.iter().map(|w| w.value).collect()).expect("one per cell");
    t.steps.push(Step { stage, writes: writes.into(), focus: Vec::new() });
    let stage =
        t.add_stage_of(StageKind::Scatter, Msg::id("convt-stage-scatter"), Msg::id("convt-stage-scatter.explain"));
    for i in 0..n {
        for ci in 0..c_in {
            let group = ci / c_in_per_group;
            for iy in 0..h {
                for ix in 0..wd {
                    let source = CellRef { grid: input, index: [i, ci, iy, ix] };
                    let value = x[source.index];
                    let mut writes = Vec::new();
                    for co_local in 0..c_out_per_group {
                        let co = group * c_out_per_group + co_local;
                        for ky in 0..kh {
                            for kx in 0..kw {
                                let oy = (iy * s[0] + ky * d[0]) as isize - p[0] as isize;
                                let ox = (ix * s[1] + kx * d[1]) as isize - p[1] as isize;
                                if oy < 0 || ox < 0 || oy as usize >= h_out || ox as usize >= w_out {
                                    continue; // cropped away by padding
                                }
                                let target = CellRef { grid: out, index: [i, co, oy as usize, ox as usize] };
                                let k = [ci, co_local, ky, kx];
                                let tap = Tap::weighted(
                                    CellRef { grid: weight, index: k },
                                    w[k],
                                    Source::Cell(source),
                                    value,
                                );
                                let write = Write::new(target, Combine::Accumulate, vec![tap], None, y[target.index]);
                                y[target.index] = write.value;
                                writes.push(write);
                            }
                        }
                    }
                    t.steps.push(Step { stage, writes: writes.into(), focus: vec![source] });
                }
            }
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_size_follows_pytorch() {
        // o = (i − 1)s − 2p + d(k − 1) + output_padding + 1
        let g = ConvTranspose2dGeometry::new([1, 1, 3, 3], [1, 1, 3, 3], None, ConvArgs::square(2, 1, 1, 1), [1, 1])
            .unwrap();
        assert_eq!(g.output, [1, 1, 6, 6]);
        assert_eq!(g.gather_padding(), [1, 1]);
    }

    #[test]
    fn output_padding_must_be_smaller_than_stride_or_dilation() {
        let err = ConvTranspose2dGeometry::new([1, 1, 3, 3], [1, 1, 3, 3], None, ConvArgs::square(2, 0, 1, 1), [2, 2])
            .unwrap_err();
        assert_eq!(err.param.as_deref(), Some("output_padding"));
        assert_eq!(err.message.en(), "output_padding (2) must be smaller than either stride (2) or dilation (1)");
    }

    #[test]
    fn large_padding_crops_the_zero_inserted_input() {
        // k = 1, padding 1: gather padding is −1, so one row and column are cropped per side.
        let g = ConvTranspose2dGeometry::new([1, 1, 4, 4], [1, 1, 1, 1], None, ConvArgs::square(1, 1, 1, 1), [0, 0])
            .unwrap();
        assert_eq!(g.output, [1, 1, 2, 2]);
        let x = Array4::from_shape_vec((1, 1, 4, 4), (0..16).map(|v| v as f32).collect()).unwrap();
        let (y, _) =
            conv_transpose2d_traced(View::Gather, &x, &Array4::ones((1, 1, 1, 1)), None, &g, &mut Trace::default());
        assert_eq!(y.iter().copied().collect::<Vec<_>>(), [5.0, 6.0, 9.0, 10.0]);
    }

    #[test]
    fn stride_two_k_two_tiles_without_overlap() {
        // k = s = 2: every input cell owns its own 2×2 block of the output.
        let g = ConvTranspose2dGeometry::new([1, 1, 2, 2], [1, 1, 2, 2], None, ConvArgs::square(2, 0, 1, 1), [0, 0])
            .unwrap();
        let x = Array4::from_shape_vec((1, 1, 2, 2), vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let w = Array4::from_shape_vec((1, 1, 2, 2), vec![1.0, 10.0, 100.0, 1000.0]).unwrap();
        let (y, _) = conv_transpose2d_traced(View::Scatter, &x, &w, None, &g, &mut Trace::default());
        assert_eq!(y[[0, 0, 0, 1]], 10.0);
        assert_eq!(y[[0, 0, 3, 3]], 4000.0);
        assert_eq!(conv_transpose2d_traced(View::Gather, &x, &w, None, &g, &mut Trace::default()).0, y);
        assert_eq!(conv_transpose2d(&x, &w, None, &g), y);
    }
}
