//! `conv2d`: PyTorch's `torch.nn.functional.conv2d` (NCHW, stride, padding, dilation, groups,
//! bias), traced as one kernel sweep over the zero-padded input.

use super::Traced;
use ndarray::{Array1, Array4};

use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Measure, Operator, Quantity, Run, check_taps, controls, input_tensor, sig, weight_tensor};
use crate::args::{Answer, Args, EvalOp, Padding, Tensor as ArgTensor, check_cost, product};
use crate::counts::{Weights, Work, products_text};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params, schema};
use crate::text::Msg;
use crate::trace::{CellKind, CellRef, Combine, Constant, Grid, GridId, Operands, Role, Source, Tap, Trace};

/// Zeros around the input, or the keywords `same` and `valid`.
const PADDING: ParamSpec = ParamSpec::int("padding", "conv2d-padding", 0, 10, 0, "conv2d-padding.help")
    .per_axis()
    .with_words(&["same", "valid"]);

static SCHEMA: [ParamSpec; 13] = schema(&[
    &[
        controls::height(5),
        controls::width(5),
        controls::KERNEL_SIZE2,
        controls::stride2(1),
        PADDING,
        controls::DILATION2,
    ],
    &controls::CONV_CHANNELS,
    &controls::VALUES,
]);

/// Stride, padding, dilation and groups, as PyTorch takes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvArgs {
    pub stride: [usize; 2],
    /// Zeros before (top/left) and, unless `extra` says more, after each axis.
    pub padding: [usize; 2],
    pub dilation: [usize; 2],
    pub groups: usize,
    /// Extra zeros after (bottom/right) beyond `padding`: `padding="same"` with an odd total
    /// puts the odd one there, as PyTorch does.
    pub extra: [usize; 2],
}

impl ConvArgs {
    pub fn new(stride: [usize; 2], padding: [usize; 2], dilation: [usize; 2], groups: usize) -> ConvArgs {
        ConvArgs { stride, padding, dilation, groups, extra: [0, 0] }
    }

    pub fn square(stride: usize, padding: usize, dilation: usize, groups: usize) -> ConvArgs {
        ConvArgs::new([stride; 2], [padding; 2], [dilation; 2], groups)
    }

    /// `stride`, `padding` (numbers, `"same"` or `"valid"`), `dilation` and `groups` of an
    /// eval request for a kernel of `kernel` cells, as `F.conv2d` reads them.
    pub fn from_args(args: &Args, kernel: [usize; 2]) -> Result<ConvArgs, String> {
        let (stride, dilation, groups) = (args.pair("stride")?, args.pair("dilation")?, args.usize("groups")?);
        Ok(match args.padding("padding")? {
            Padding::Explicit(padding) => ConvArgs::new(stride, padding, dilation, groups),
            Padding::Valid => ConvArgs::new(stride, [0, 0], dilation, groups),
            Padding::Same => ConvArgs::same(stride, dilation, kernel, groups).map_err(|e| e.message)?,
        })
    }

    /// `padding="same"`: total `dilation·(kernel_size − 1)` per axis, the smaller half before
    /// (PyTorch's split); PyTorch refuses it for strided convolutions.
    pub fn same(
        stride: [usize; 2],
        dilation: [usize; 2],
        kernel: [usize; 2],
        groups: usize,
    ) -> Result<ConvArgs, ParamError> {
        if stride != [1, 1] {
            return Err(ParamError::new("padding", msg!("conv-same-strided")));
        }
        let total = [0, 1].map(|a| dilation[a] * kernel[a].saturating_sub(1));
        let before = total.map(|t| t / 2);
        // The odd zero of an odd total goes after.
        let extra = [total[0] - 2 * before[0], total[1] - 2 * before[1]];
        Ok(ConvArgs { stride, padding: before, dilation, groups, extra })
    }

    /// Zeros before and after each axis: `[[top, bottom], [left, right]]`.
    pub fn pads(&self) -> [[usize; 2]; 2] {
        [0, 1].map(|a| [self.padding[a], self.padding[a] + self.extra[a]])
    }
}

/// Checks shared by conv2d and conv_transpose2d: positive stride, dilation and groups, and
/// channel counts that the groups divide.
pub fn check_common(args: &ConvArgs, in_channels: usize, out_channels: usize) -> Result<(), ParamError> {
    if args.stride.contains(&0) {
        return Err(at_least_one("stride"));
    }
    if args.dilation.contains(&0) {
        return Err(at_least_one("dilation"));
    }
    if args.groups == 0 {
        return Err(at_least_one("groups"));
    }
    for (name, channels) in [("in_channels", in_channels), ("out_channels", out_channels)] {
        if !channels.is_multiple_of(args.groups) {
            let message = msg!("conv-groups-divide", name = name, channels = channels, groups = args.groups);
            return Err(ParamError::new("groups", message));
        }
    }
    Ok(())
}

/// `name must be at least 1`, refusing the control `name` (a PyTorch argument).
pub fn at_least_one(name: &str) -> ParamError {
    ParamError::new(name, msg!("conv-at-least-one", name = name))
}

/// The refusal of a bias whose length is not the number of output channels.
pub fn bias_length_error(len: usize, c_out: usize) -> ParamError {
    ParamError::new("bias", msg!("conv-bias-length", len = len, channels = c_out))
}

/// A checked conv2d: shapes that fit together and an output of at least one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2dGeometry {
    pub input: [usize; 4],
    /// `[C_out, C_in / groups, kh, kw]`.
    pub weight: [usize; 4],
    pub args: ConvArgs,
    pub output: [usize; 4],
}

impl Conv2dGeometry {
    /// The one validating constructor; `bias_len` is the bias length if there is a bias.
    pub fn new(
        input: [usize; 4],
        weight: [usize; 4],
        bias_len: Option<usize>,
        args: ConvArgs,
    ) -> Result<Self, ParamError> {
        let [n, c_in, h, w] = input;
        let [c_out, c_in_per_group, kh, kw] = weight;
        check_common(&args, c_in, c_out)?;
        crate::ops::nonempty("input", "height", input)?;
        crate::ops::nonempty("weight", "kernel_size", weight)?;
        if c_in_per_group * args.groups != c_in {
            let message = msg!(
                "conv2d-weight-channels",
                expected = c_in_per_group * args.groups,
                per_group = c_in_per_group,
                groups = args.groups,
                channels = c_in
            );
            return Err(ParamError::new("in_channels", message));
        }
        if let Some(len) = bias_len.filter(|&len| len != c_out) {
            return Err(bias_length_error(len, c_out));
        }
        let mut out = [0; 2];
        for (axis, (size, k)) in [(h, kh), (w, kw)].into_iter().enumerate() {
            let span = args.dilation[axis] * (k - 1) + 1;
            let [before, after] = args.pads()[axis];
            let padded = size + before + after;
            if span > padded {
                let pads = if before == after {
                    msg!("conv2d-pads-even", p = before)
                } else {
                    msg!("conv2d-pads-uneven", before = before, after = after)
                };
                let message = msg!(
                    "conv2d-span-too-wide",
                    axis = if axis == 0 { "rows" } else { "columns" },
                    span = span,
                    padded = padded,
                    size = size,
                    pads = pads
                );
                return Err(ParamError::new("kernel_size", message));
            }
            out[axis] = (padded - span) / args.stride[axis] + 1;
        }
        Ok(Conv2dGeometry { input, weight, args, output: [n, c_out, out[0], out[1]] })
    }

    /// Multiply-adds, i.e. taps of the sweep.
    pub fn n_taps(&self) -> usize {
        let [_, c_in_per_group, kh, kw] = self.weight;
        self.output.iter().product::<usize>() * c_in_per_group * kh * kw
    }
}

pub static CONV2D: Operator = Operator {
    name: "conv2d",
    title: "conv2d-title",
    summary: "conv2d-summary",
    schema: &SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_conv2d,
};

fn run_conv2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c_in, c_out, groups) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("groups"));
    let (k, stride, dilation) = (params.pair("kernel_size"), params.pair("stride"), params.pair("dilation"));
    let padding = params.pair_or_word("padding");
    let args = match padding {
        Ok(p) => ConvArgs::new(stride, p, dilation, groups),
        Err("same") => ConvArgs::same(stride, dilation, k, groups)?,
        Err(_) => ConvArgs::new(stride, [0, 0], dilation, groups),
    };
    let has_bias = params.choice("bias") == "on";
    let input_shape = [1, c_in, params.usize("height"), params.usize("width")];
    let weight_shape = [c_out, c_in / args.groups, k[0], k[1]];
    let geometry = Conv2dGeometry::new(input_shape, weight_shape, has_bias.then_some(c_out), args)?;
    check_taps(geometry.n_taps())?;

    let seed = params.int("seed") as u64;
    let x = input_tensor(params, "in_channels", edits);
    let w = weight_tensor(params, weight_shape, 0, edits);
    let b = has_bias.then(|| bias_preset(c_out, seed));
    let mut trace = Trace::default();
    let (y, ids) = conv2d_traced(&x, &w, b.as_ref(), &geometry, &mut trace);
    let pytorch = Call::new("conv2d", "F.conv2d", y.into_dyn())
        .arg("input", code::tensor(&x))
        .arg("weight", code::tensor(&w))
        .arg("bias", b.as_ref().map_or(PyArg::None, code::vector))
        .arg("stride", code::pair(stride))
        .arg("padding", match padding {
            Ok(p) => code::pair(p),
            Err(word) => PyArg::Str(word),
        })
        .arg("dilation", code::pair(dilation))
        .arg("groups", PyArg::Int(groups as i64));
    let quantities = output_size(&geometry);
    let mut formula: Vec<Msg> = quantities.iter().map(|q| q.line.clone()).collect();
    if let Err(word) = padding {
        let [[top, bottom], [left, right]] = args.pads();
        formula.push(match word {
            "same" => msg!(
                "conv2d-formula-same",
                d_rows = dilation[0],
                k_rows = k[0],
                rows = top + bottom,
                d_cols = dilation[1],
                k_cols = k[1],
                cols = left + right,
                top = top,
                bottom = bottom,
                left = left,
                right = right
            ),
            _ => msg!("conv2d-formula-valid"),
        });
    }
    let mut facts = conv_facts(weight_shape, &trace);
    let span = [0, 1].map(|a| dilation[a] * (k[a] - 1) + 1);
    let holes = span[0] * span[1] - k[0] * k[1];
    facts.push(msg!(
        "conv2d-fact-span",
        kernel = format!("{}×{}", k[0], k[1]),
        dilation = if dilation[0] == dilation[1] {
            dilation[0].to_string()
        } else {
            format!("{}×{}", dilation[0], dilation[1])
        },
        span = format!("{}×{}", span[0], span[1]),
        taps = k[0] * k[1],
        holes = holes
    ));
    Ok(Run {
        quantities,
        formula,
        facts,
        editable: Editable::operands(ids),
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

static EVALS: &[EvalOp] = &[EvalOp {
    name: "conv2d",
    signature: &[sig::INPUT, sig::WEIGHT, sig::BIAS, sig::STRIDE, sig::CONV_PADDING, sig::DILATION, sig::GROUPS],
    reference: "torch.nn.functional.conv2d",
    answer: eval_conv2d,
}];

fn eval_conv2d(args: &Args) -> Result<Answer, String> {
    let (x, unbatched) = args.tensor("input")?.batched4();
    let w = args.tensor("weight")?.into_array4();
    let b = args.opt_tensor("bias")?.map(ArgTensor::into_array1);
    let conv_args = ConvArgs::from_args(args, [w.shape()[2], w.shape()[3]])?;
    let g =
        Conv2dGeometry::new(shape4(&x), shape4(&w), b.as_ref().map(|b| b.len()), conv_args).map_err(|e| e.message)?;
    check_cost(product(&g.output), product(&g.output).saturating_mul(product(&g.weight[1..])))?;
    Ok(Answer::tensor4(conv2d(&x, &w, b.as_ref(), &g), unbatched))
}

/// The shape of a 4-D array as a fixed array.
pub fn shape4(array: &Array4<f32>) -> [usize; 4] {
    let s = array.shape();
    [s[0], s[1], s[2], s[3]]
}

/// Small random integer biases, one per output channel.
pub fn bias_preset(c_out: usize, seed: u64) -> Array1<f32> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0xB1A5);
    Array1::from_shape_fn(c_out, |_| rng.i32(-1..=1) as f32)
}

/// Weights (with the bias, if any) and multiply-adds, counted from the trace: `shape` is the
/// weight tensor's, for the product written out.
pub fn conv_facts(shape: [usize; 4], trace: &Trace) -> Vec<Msg> {
    let [a, b, kh, kw] = shape;
    let weights = Weights::lane(trace, 0);
    let product = format!("{a}·{b}·{kh}·{kw}");
    vec![
        msg!("conv-fact-weights", product = product, n = weights.weights, bias = weights.bias),
        msg!("conv-fact-multiply-adds", products = products_text(&Work::all(trace))),
    ]
}

/// The output size, one line per axis: symbols and PyTorch's names only.
fn output_size(g: &Conv2dGeometry) -> Vec<Quantity> {
    let line = |measure: Measure, name: &str, size: usize, k: usize, axis: usize| {
        let (s, d) = (g.args.stride[axis], g.args.dilation[axis]);
        let [before, after] = g.args.pads()[axis];
        let (pads, numbers) = if before == after {
            ("2·padding".to_string(), format!("2·{before}"))
        } else {
            ("padding_before + padding_after".to_string(), format!("{before} + {after}"))
        };
        Quantity::worked(
            measure,
            g.output[2 + axis],
            &format!("{name}_out = ⌊({name} + {pads} − dilation·(kernel_size − 1) − 1) / stride⌋ + 1"),
            &format!("⌊({size} + {numbers} − {d}·({k} − 1) − 1) / {s}⌋ + 1"),
        )
    };
    vec![
        line(Measure::Height, "H", g.input[2], g.weight[2], 0),
        line(Measure::Width, "W", g.input[3], g.weight[3], 1),
    ]
}

/// The input with its padding border, as the grid the sweep reads; `pads` is
/// `[[top, bottom], [left, right]]`, and `origin` keeps the input's own indices in labels
/// (padding rows are −1, −2, …).
pub fn padded_input_grid(x: &Array4<f32>, pads: [[usize; 2]; 2], symbol: &str, caption: Msg) -> Grid {
    let [n, c, h, w] = shape4(x);
    let ([top, bottom], [left, right]) = (pads[0], pads[1]);
    let mut grid = Grid::new(symbol, caption, Role::Input, [n, c, h + top + bottom, w + left + right]);
    grid.written = false;
    grid.origin = [-(top as isize), -(left as isize)];
    for off in 0..grid.len() {
        let [i, j, row, col] = grid.unravel(off);
        let inside = (top..top + h).contains(&row) && (left..left + w).contains(&col);
        if inside {
            grid.values[off] = x[[i, j, row - top, col - left]];
        } else {
            grid.kinds[off] = CellKind::Padding;
        }
    }
    grid
}

/// PyTorch's conv2d: the same sum in the same order as [`conv2d_traced`]'s sweep, skipping
/// only the taps that read padding (adding an exact zero to a sum that starts at +0 changes
/// no bit), over flat slices and without a padded copy.
pub fn conv2d(x: &Array4<f32>, w: &Array4<f32>, b: Option<&Array1<f32>>, g: &Conv2dGeometry) -> Array4<f32> {
    let [n, c_out, h_out, w_out] = g.output;
    let [_, c_in_per_group, kh, kw] = g.weight;
    let [_, c_in, h_in, w_in] = g.input;
    let c_out_per_group = c_out / g.args.groups;
    let [s, d, pad] = [g.args.stride, g.args.dilation, g.args.padding].map(|v| v.map(|a| a as isize));
    let (x, w) = (x.as_standard_layout(), w.as_standard_layout());
    let (xs, ws) = (x.as_slice().expect("standard layout"), w.as_slice().expect("standard layout"));
    let mut y = vec![0.0f32; n * c_out * h_out * w_out];
    let mut out = y.iter_mut();
    for i in 0..n {
        for co in 0..c_out {
            let group = co / c_out_per_group;
            for oy in 0..h_out as isize {
                for ox in 0..w_out as isize {
                    let mut acc = 0.0f32;
                    for ci_local in 0..c_in_per_group {
                        let plane = &xs[(i * c_in + group * c_in_per_group + ci_local) * h_in * w_in..][..h_in * w_in];
                        let kernel = &ws[(co * c_in_per_group + ci_local) * kh * kw..][..kh * kw];
                        for ky in 0..kh {
                            let row = oy * s[0] + ky as isize * d[0] - pad[0];
                            if row < 0 || row >= h_in as isize {
                                continue;
                            }
                            let line = &plane[row as usize * w_in..][..w_in];
                            for kx in 0..kw {
                                let col = ox * s[1] + kx as isize * d[1] - pad[1];
                                if col >= 0 && col < w_in as isize {
                                    acc += line[col as usize] * kernel[ky * kw + kx];
                                }
                            }
                        }
                    }
                    if let Some(b) = b {
                        acc += b[co];
                    }
                    *out.next().expect("one value per output cell") = acc;
                }
            }
        }
    }
    Array4::from_shape_vec(g.output, y).expect("the output's shape")
}

/// PyTorch's conv2d with a trace: one step per output cell over a padded-input grid, the
/// products accumulated in the order [`crate::trace::Write::apply`] replays them (padding
/// products included), so the output equals [`conv2d`]'s to the bit.
pub fn conv2d_traced(
    x: &Array4<f32>,
    w: &Array4<f32>,
    b: Option<&Array1<f32>>,
    g: &Conv2dGeometry,
    t: &mut Trace,
) -> Traced {
    let c_out = g.output[1];
    let [_, c_in_per_group, kh, kw] = g.weight;
    let c_out_per_group = c_out / g.args.groups;
    let [s, d] = [g.args.stride, g.args.dilation];
    let pads = g.args.pads();
    let input = t.add_grid(padded_input_grid(x, pads, "x", padding_caption(&msg!("grid-input", sym = "x"), pads)));
    let weight = t.add_grid(Grid::from_array("w", msg!("grid-weight", sym = "w"), Role::Weight, w));
    let bias = bias_grid(t, b);
    let output = t.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.output));
    let stage = t.add_stage(Msg::id("conv-stage-sweep"), Msg::id("conv2d-sweep-explain"));
    let mut y = Array4::<f32>::zeros(g.output);
    for ((i, co, oy, ox), out) in y.indexed_iter_mut() {
        let group = co / c_out_per_group;
        let mut taps = Vec::with_capacity(c_in_per_group * kh * kw);
        for (ci_local, ky, kx) in kernel_taps([c_in_per_group, kh, kw]) {
            // (row, col) index the padded input.
            let index = [i, group * c_in_per_group + ci_local, oy * s[0] + ky * d[0], ox * s[1] + kx * d[1]];
            let cell = CellRef { grid: input, index };
            let k = [co, ci_local, ky, kx];
            taps.push(Tap::weighted(
                CellRef { grid: weight, index: k },
                w[k],
                Source::Cell(cell),
                t.grids[input].value(index),
            ));
        }
        let target = CellRef { grid: output, index: [i, co, oy, ox] };
        *out = t.push_write(stage, target, Combine::Set, taps, bias_constant(b, bias, co), 0.0);
    }
    t.grids[output].values = y.iter().copied().collect();
    (y, Operands { input, weight: Some(weight), bias, output })
}

/// Every `(channel, row, column)` of a kernel block of shape `[channels, kh, kw]`, in
/// row-major order: the order in which every sweep sums its products.
pub fn kernel_taps([c, kh, kw]: [usize; 3]) -> impl Iterator<Item = (usize, usize, usize)> {
    (0..c).flat_map(move |ci| (0..kh).flat_map(move |ky| (0..kw).map(move |kx| (ci, ky, kx))))
}

/// The bias of output channel `co` as a write's constant, with its cell in `bias_grid`.
pub fn bias_constant(b: Option<&Array1<f32>>, bias_grid: Option<GridId>, co: usize) -> Option<Constant> {
    b.map(|b| Constant { value: b[co], cell: bias_grid.map(|grid| CellRef { grid, index: [0, co, 0, 0] }) })
}

/// Adds the bias as a `[1, C_out, 1, 1]` grid (one cell per output channel), if there is one.
pub fn bias_grid(trace: &mut Trace, b: Option<&Array1<f32>>) -> Option<crate::trace::GridId> {
    b.map(|b| {
        let b4 = Array4::from_shape_fn((1, b.len(), 1, 1), |(_, c, _, _)| b[c]);
        trace.add_grid(Grid::from_array("b", msg!("grid-bias", sym = "b"), Role::Weight, &b4))
    })
}

/// `input x (padding 1)`, `input x (padding 0 above, 1 below, …)` or just `input x`.
pub fn padding_caption(base: &Msg, pads: [[usize; 2]; 2]) -> Msg {
    match pads {
        [[0, 0], [0, 0]] => base.clone(),
        [[a, b], [c, d]] if a == b && c == d && a == c => msg!("caption-padded", base = base, p = a),
        [[a, b], [c, d]] if a == b && c == d => msg!("caption-padded-axes", base = base, rows = a, cols = c),
        [[a, b], [c, d]] => {
            msg!("caption-padded-sides", base = base, top = a, bottom = b, left = c, right = d)
        }
    }
}

/// A symmetric padding as `[[top, bottom], [left, right]]`.
pub fn symmetric(padding: [usize; 2]) -> [[usize; 2]; 2] {
    padding.map(|p| [p, p])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(h: usize, k: usize, args: ConvArgs) -> Result<Conv2dGeometry, ParamError> {
        Conv2dGeometry::new([1, 1, h, h], [1, 1, k, k], None, args)
    }

    #[test]
    fn output_size_follows_pytorch() {
        // o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1
        let g = geometry(7, 3, ConvArgs::square(2, 1, 2, 1)).unwrap();
        assert_eq!(g.output, [1, 1, 3, 3]);
        let g = geometry(5, 3, ConvArgs::square(1, 0, 1, 1)).unwrap();
        assert_eq!(g.output, [1, 1, 3, 3]);
    }

    #[test]
    fn kernel_wider_than_padded_input_is_explained() {
        let err = geometry(2, 3, ConvArgs::square(1, 0, 2, 1)).unwrap_err();
        assert_eq!(err.param.as_deref(), Some("kernel_size"));
        assert_eq!(err.message.en(), "the dilated kernel spans 5 rows but the padded input has 2 (height 2 + 2·padding 0)");
    }

    #[test]
    fn groups_must_divide_channels() {
        let err = Conv2dGeometry::new([1, 3, 4, 4], [2, 1, 1, 1], None, ConvArgs::square(1, 0, 1, 2)).unwrap_err();
        assert_eq!(err.message.en(), "in_channels (3) must be divisible by groups (2)");
    }

    #[test]
    fn the_plain_sweep_equals_the_traced_one_to_the_bit() {
        let x =
            Array4::from_shape_fn((2, 4, 6, 7), |(i, c, r, q)| ((i * 7 + c * 5 + r * 3 + q) % 11) as f32 / 3.0 - 1.5);
        let w = Array4::from_shape_fn((6, 2, 3, 2), |(o, c, r, q)| ((o + 2 * c + 3 * r + q) % 7) as f32 / 5.0 - 0.6);
        let b = Array1::from(vec![0.5, -1.0, 0.25, 2.0, 0.0, -0.125]);
        for args in [ConvArgs::new([1, 2], [1, 2], [2, 1], 2), ConvArgs::same([1, 1], [1, 2], [3, 2], 2).unwrap()] {
            let g = Conv2dGeometry::new([2, 4, 6, 7], [6, 2, 3, 2], Some(6), args).unwrap();
            let mut trace = Trace::default();
            let (traced, _) = conv2d_traced(&x, &w, Some(&b), &g, &mut trace);
            let plain = conv2d(&x, &w, Some(&b), &g);
            let bits = |a: &Array4<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&plain), bits(&traced));
        }
    }

    #[test]
    fn hand_computed_example() {
        // 3×3 input, 2×2 kernel of ones: each output is a 2×2 window sum.
        let x = Array4::from_shape_vec((1, 1, 3, 3), (1..=9).map(|v| v as f32).collect()).unwrap();
        let w = Array4::ones((1, 1, 2, 2));
        let g = Conv2dGeometry::new([1, 1, 3, 3], [1, 1, 2, 2], None, ConvArgs::square(1, 0, 1, 1)).unwrap();
        let y = conv2d(&x, &w, None, &g);
        assert_eq!(y.iter().copied().collect::<Vec<_>>(), [12.0, 16.0, 24.0, 28.0]);
    }
}
