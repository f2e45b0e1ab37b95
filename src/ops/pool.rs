//! `max_pool2d` and `avg_pool2d`: PyTorch's pooling (kernel_size, stride, padding, dilation
//! for max, ceil_mode, count_include_pad and divisor_override for the average), animated like
//! the convolutions — FCN and DeepLab change pooling strides, so students need to see what a
//! pooling window covers.

use super::Traced;
use ndarray::Array4;

use super::conv2d::{at_least_one, padded_input_grid, padding_caption, shape4, symmetric};
use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Measure, Operator, Quantity, Run, check_taps, controls, input_tensor, sig};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, check_cost, product};
use crate::counts::Coverage;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{CellRef, Combine, Constant, Grid, Operands, Role, Source, Step, Tap, Trace, Write};

/// Which pooling, with the arguments only it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    Max,
    /// `count_include_pad`, `divisor_override`.
    Avg {
        count_include_pad: bool,
        divisor_override: Option<i64>,
    },
}

/// A checked pooling: PyTorch's `pool2d_shape_check` and `pooling_output_shape`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolGeometry {
    pub input: [usize; 4],
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
    pub dilation: [usize; 2],
    pub ceil_mode: bool,
    pub output: [usize; 4],
    /// Per axis, whether ceil_mode's rule dropped a last window that would start in the
    /// right padding (for the formula's words).
    pub dropped: [bool; 2],
}

/// Division rounding towards −∞, as PyTorch's `div_rtn`.
fn div_rtn(a: i64, b: i64) -> i64 {
    let q = a / b;
    if a % b != 0 && (a < 0) != (b < 0) { q - 1 } else { q }
}

impl PoolGeometry {
    pub fn new(
        input: [usize; 4],
        kernel: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        dilation: [usize; 2],
        ceil_mode: bool,
    ) -> Result<Self, ParamError> {
        crate::ops::nonempty("input", "height", input)?;
        if kernel.contains(&0) {
            return Err(at_least_one("kernel_size"));
        }
        if stride.contains(&0) {
            return Err(at_least_one("stride"));
        }
        if dilation.contains(&0) {
            return Err(at_least_one("dilation"));
        }
        let mut out = [0; 2];
        let mut dropped = [false; 2];
        for axis in 0..2 {
            let [i, k, s, p, d] =
                [input[2 + axis], kernel[axis], stride[axis], padding[axis], dilation[axis]].map(|v| v as i64);
            if p > k / 2 {
                return Err(ParamError::new("padding", msg!("pool2d-padding-too-large", padding = p, kernel_size = k)));
            }
            let mut o = div_rtn(i + 2 * p - d * (k - 1) - 1 + if ceil_mode { s - 1 } else { 0 }, s) + 1;
            // With ceil_mode the last window must start inside the input or the left padding.
            if ceil_mode && (o - 1) * s >= i + p {
                o -= 1;
                dropped[axis] = true;
            }
            if o < 1 {
                let message = msg!(
                    "pool2d-no-output",
                    axis = if axis == 0 { "rows" } else { "columns" },
                    // Zero or negative: written with a plain hyphen, as before.
                    out = o.to_string(),
                    window = d * (k - 1) + 1,
                    size = i,
                    padding = p
                );
                return Err(ParamError::new("kernel_size", message));
            }
            out[axis] = o as usize;
        }
        Ok(PoolGeometry {
            input,
            kernel,
            stride,
            padding,
            dilation,
            ceil_mode,
            output: [input[0], input[1], out[0], out[1]],
            dropped,
        })
    }

    /// Window cells inside the input that one output reads, at most (for the work cap).
    fn window_cells(&self) -> u128 {
        let along = |axis: usize| {
            let taps = self.kernel[axis];
            let reachable = self.input[2 + axis].div_ceil(self.dilation[axis]);
            taps.min(reachable.max(1))
        };
        product(&[along(0), along(1)])
    }
}

/// The window of output `(r, q)` along one axis: PyTorch's start and end (exclusive) in input
/// coordinates, before clipping.
fn window(o: usize, axis: usize, g: &PoolGeometry) -> (i64, i64) {
    let start = (o * g.stride[axis]) as i64 - g.padding[axis] as i64;
    (start, start + (g.kernel[axis] - 1) as i64 * g.dilation[axis] as i64 + 1)
}

/// One output cell: its value, the input cells it read (input coordinates), the flat index
/// of the maximum (max pooling), and the divisor (average pooling).
struct Cell {
    value: f32,
    reads: Vec<(usize, usize)>,
    argmax: i64,
    divisor: f32,
}

fn max_cell(x: &Array4<f32>, i: usize, ch: usize, r: usize, q: usize, g: &PoolGeometry, record: bool) -> Cell {
    let [_, _, ih, iw] = g.input;
    let [dh, dw] = g.dilation.map(|d| d as i64);
    let (mut h0, h1) = window(r, 0, g);
    let (mut w0, w1) = window(q, 1, g);
    let (h1, w1) = (h1.min(ih as i64), w1.min(iw as i64));
    // Skip the taps in the top/left padding: the first tap at or after 0.
    if h0 < 0 {
        h0 += (-h0 + dh - 1) / dh * dh;
    }
    if w0 < 0 {
        w0 += (-w0 + dw - 1) / dw * dw;
    }
    let mut best = f32::NEG_INFINITY;
    let mut argmax = h0 * iw as i64 + w0;
    let mut reads = Vec::new();
    let mut row = h0;
    while row < h1 {
        let mut col = w0;
        while col < w1 {
            let value = x[[i, ch, row as usize, col as usize]];
            if value > best {
                best = value;
                argmax = row * iw as i64 + col;
            }
            if record {
                reads.push((row as usize, col as usize));
            }
            col += dw;
        }
        row += dh;
    }
    Cell { value: best, reads, argmax, divisor: 1.0 }
}

fn avg_cell(x: &Array4<f32>, i: usize, ch: usize, r: usize, q: usize, g: &PoolGeometry, pool: Pool) -> Cell {
    let Pool::Avg { count_include_pad, divisor_override } = pool else { unreachable!("an average pooling") };
    let [_, _, ih, iw] = g.input;
    let [ph, pw] = g.padding.map(|p| p as i64);
    let (h0, h1) = window(r, 0, g);
    let (w0, w1) = window(q, 1, g);
    // The window clipped to the padded input (a ceil_mode window may overhang it).
    let (h1, w1) = (h1.min(ih as i64 + ph), w1.min(iw as i64 + pw));
    let pool_size = (h1 - h0) * (w1 - w0);
    let (h0, w0, h1, w1) = (h0.max(0), w0.max(0), h1.min(ih as i64), w1.min(iw as i64));
    let divisor = match divisor_override {
        Some(d) => d,
        None if count_include_pad => pool_size,
        None => (h1 - h0).max(0) * (w1 - w0).max(0),
    } as f32;
    let mut reads = Vec::new();
    let mut sum = 0.0f32;
    for row in h0..h1 {
        for col in w0..w1 {
            sum += x[[i, ch, row as usize, col as usize]];
            reads.push((row as usize, col as usize));
        }
    }
    // An empty window (all padding) leaves PyTorch's zero.
    let value = if reads.is_empty() { 0.0 } else { sum / divisor };
    Cell { value, reads, argmax: 0, divisor }
}

/// PyTorch's max or average pooling; returns the output and, for max pooling, the flat index
/// `row · W + col` of each maximum (`return_indices`). With a trace, one step per output cell
/// over the padded input: max pooling's taps are the window's input cells (padding never
/// wins); the average's are the cells it sums, with the padding cells it counts shown as zero
/// taps. The value written is the replayed one, so the page and eval agree to the bit.
pub fn pool(pool: Pool, x: &Array4<f32>, g: &PoolGeometry) -> (Array4<f32>, Vec<i64>) {
    let (y, indices, _) = pool_impl(pool, x, g, None);
    (y, indices)
}

/// [`pool`] with a trace; also returns the grids it added.
pub fn pool_traced(pool: Pool, x: &Array4<f32>, g: &PoolGeometry, t: &mut Trace) -> Traced {
    let (y, _, ids) = pool_impl(pool, x, g, Some(t));
    (y, ids.expect("a traced run adds grids"))
}

fn pool_impl(
    pool: Pool,
    x: &Array4<f32>,
    g: &PoolGeometry,
    mut trace: Option<&mut Trace>,
) -> (Array4<f32>, Vec<i64>, Option<Operands>) {
    let [n, c, oh, ow] = g.output;
    let p = g.padding;
    let (ids, stage) = trace.as_deref_mut().map(|t| add_pool_grids(pool, x, g, t)).unzip();
    let stage = stage.unwrap_or(0);
    let mut y = Array4::<f32>::zeros(g.output);
    let mut indices = Vec::new();
    for i in 0..n {
        for ch in 0..c {
            for r in 0..oh {
                for q in 0..ow {
                    let cell = match pool {
                        Pool::Max => max_cell(x, i, ch, r, q, g, ids.is_some()),
                        Pool::Avg { .. } => avg_cell(x, i, ch, r, q, g, pool),
                    };
                    if pool == Pool::Max {
                        indices.push(cell.argmax);
                    }
                    let (Some(t), Some(Operands { input, output, .. })) = (trace.as_deref_mut(), ids) else {
                        y[[i, ch, r, q]] = cell.value;
                        continue;
                    };
                    let tap = |row: usize, col: usize| {
                        let index = [i, ch, row, col];
                        let value = t.grids[input].value(index);
                        let source = Source::Cell(CellRef { grid: input, index });
                        Tap::copy(source, value)
                    };
                    let mut taps: Vec<Tap> = cell.reads.iter().map(|&(row, col)| tap(row + p[0], col + p[1])).collect();
                    if let Pool::Avg { count_include_pad: true, divisor_override: None } = pool {
                        taps.extend(counted_padding(g, r, q).map(|(row, col)| tap(row, col)));
                    }
                    let target = CellRef { grid: output, index: [i, ch, r, q] };
                    let write = match pool {
                        Pool::Max => Write::new(target, Combine::Max, taps, None, 0.0),
                        // A window of padding only: PyTorch leaves the output at zero.
                        Pool::Avg { .. } if cell.reads.is_empty() => {
                            Write::set(target, Vec::new(), Some(Constant { value: 0.0, cell: None }))
                        }
                        Pool::Avg { .. } => {
                            Write::new(target, Combine::Mean { divisor: cell.divisor }, taps, None, 0.0)
                        }
                    };
                    y[target.index] = write.value;
                    t.steps.push(Step { stage, writes: smallvec::smallvec![write], focus: Vec::new() });
                }
            }
        }
    }
    if let (Some(t), Some(ids)) = (trace, ids) {
        t.grids[ids.output].values = y.iter().copied().collect();
    }
    (y, indices, ids)
}

/// The padding cells (padded-grid coordinates) under output `(r, q)`'s window, which
/// `count_include_pad` counts in the divisor.
fn counted_padding(g: &PoolGeometry, r: usize, q: usize) -> impl Iterator<Item = (usize, usize)> {
    let (h0, h1) = window(r, 0, g);
    let (w0, w1) = window(q, 1, g);
    let [ph, pw] = g.padding.map(|p| p as i64);
    let [ih, iw] = [g.input[2] as i64, g.input[3] as i64];
    let rows = h0.max(-ph)..h1.min(ih + ph);
    rows.flat_map(move |row| (w0.max(-pw)..w1.min(iw + pw)).map(move |col| (row, col)))
        .filter(move |&(row, col)| !(0..ih).contains(&row) || !(0..iw).contains(&col))
        .map(move |(row, col)| ((row + ph) as usize, (col + pw) as usize))
}

/// The padded input and the output grid, and the stage, for a traced pooling.
fn add_pool_grids(pool: Pool, x: &Array4<f32>, g: &PoolGeometry, t: &mut Trace) -> (Operands, usize) {
    let p = symmetric(g.padding);
    let caption = match pool {
        Pool::Max if g.padding != [0, 0] => {
            msg!("pool-caption-max-padding", base = padding_caption(&msg!("grid-input", sym = "x"), p))
        }
        _ => padding_caption(&msg!("grid-input", sym = "x"), p),
    };
    let input = t.add_grid(padded_input_grid(x, p, "x", caption));
    let output = t.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.output));
    let (name, explain) = match pool {
        Pool::Max => ("pool2d-stage-max", "pool2d-stage-max.explain"),
        Pool::Avg { divisor_override: Some(_), .. } => ("pool2d-stage-avg", "pool2d-stage-avg.explain-override"),
        Pool::Avg { count_include_pad: true, .. } => ("pool2d-stage-avg", "pool2d-stage-avg.explain-pad"),
        Pool::Avg { count_include_pad: false, .. } => ("pool2d-stage-avg", "pool2d-stage-avg.explain"),
    };
    let stage = t.add_stage(Msg::id(name), Msg::id(explain));
    (Operands { input, weight: None, bias: None, output }, stage)
}

const fn schema_of(extra: ParamSpec) -> [ParamSpec; 10] {
    [
        controls::height(5),
        controls::width(5),
        ParamSpec::int("kernel_size", "pool2d-kernel-size", 1, 5, 3, "pool2d-kernel-size.help").per_axis(),
        ParamSpec::int("stride", "pool2d-stride", 1, 4, 2, "pool2d-stride.help").per_axis(),
        ParamSpec::int("padding", "pool2d-padding", 0, 2, 1, "pool2d-padding.help").per_axis(),
        extra,
        ParamSpec::choice("ceil_mode", "pool2d-ceil-mode", controls::FALSE_TRUE, "false", "pool2d-ceil-mode.help"),
        ParamSpec::int("channels", "pool2d-channels", 1, 3, 1, "pool2d-channels.help"),
        controls::INPUT_VALUES,
        controls::SEED,
    ]
}

static MAX_SCHEMA: [ParamSpec; 10] =
    schema_of(ParamSpec::int("dilation", "pool2d-dilation", 1, 3, 1, "pool2d-dilation.help").per_axis());
static AVG_SCHEMA: [ParamSpec; 10] = schema_of(ParamSpec::choice(
    "count_include_pad",
    "pool2d-count-include-pad",
    &[("true", "ops-true"), ("false", "ops-false")],
    "true",
    "pool2d-count-include-pad.help",
));

fn run_pool(pool: Pool, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let x = input_tensor(params, "channels", edits);
    let (kernel, stride, padding) = (params.pair("kernel_size"), params.pair("stride"), params.pair("padding"));
    let dilation = if pool == Pool::Max { params.pair("dilation") } else { [1, 1] };
    let g = PoolGeometry::new(shape4(&x), kernel, stride, padding, dilation, params.choice("ceil_mode") == "true")?;
    check_taps(g.output.iter().product::<usize>() * kernel[0] * kernel[1])?;
    let mut trace = Trace::default();
    let (y, ids) = pool_traced(pool, &x, &g, &mut trace);
    let ceil = PyArg::Bool(g.ceil_mode);
    let pytorch = match pool {
        Pool::Max => Call::new("max_pool2d", "F.max_pool2d", y.into_dyn())
            .arg("input", code::tensor(&x))
            .arg("kernel_size", code::pair(kernel))
            .arg("stride", code::pair(stride))
            .arg("padding", code::pair(padding))
            .arg("dilation", code::pair(dilation))
            .arg("ceil_mode", ceil),
        Pool::Avg { count_include_pad, divisor_override } => Call::new("avg_pool2d", "F.avg_pool2d", y.into_dyn())
            .arg("input", code::tensor(&x))
            .arg("kernel_size", code::pair(kernel))
            .arg("stride", code::pair(stride))
            .arg("padding", code::pair(padding))
            .arg("ceil_mode", ceil)
            .arg("count_include_pad", PyArg::Bool(count_include_pad))
            .arg("divisor_override", divisor_override.map_or(PyArg::None, PyArg::Int)),
    };
    let (open, close) = if g.ceil_mode { ("⌈", "⌉") } else { ("⌊", "⌋") };
    let quantities: Vec<Quantity> = (0..2)
        .map(|axis| {
            let name = ["H", "W"][axis];
            let (k, s, p, d) = (kernel[axis], stride[axis], padding[axis], dilation[axis]);
            let size = g.input[2 + axis];
            let rounded = g.output[2 + axis] + usize::from(g.dropped[axis]);
            let (rule, numbers) = if pool == Pool::Max {
                (
                    format!("{name}_out = {open}({name} + 2·padding − dilation·(kernel_size − 1) − 1) / stride{close} + 1"),
                    format!("{open}({size} + 2·{p} − {d}·({k} − 1) − 1) / {s}{close} + 1"),
                )
            } else {
                (
                    format!("{name}_out = {open}({name} + 2·padding − kernel_size) / stride{close} + 1"),
                    format!("{open}({size} + 2·{p} − {k}) / {s}{close} + 1"),
                )
            };
            let measure = [Measure::Height, Measure::Width][axis];
            let worked = Quantity::worked(measure, rounded, &rule, &numbers);
            if g.dropped[axis] {
                // ceil_mode's last window would start past the input and its left padding:
                // PyTorch drops it, so the answer is one less than the rounded formula.
                let line = msg!(
                    "pool2d-formula-dropped",
                    line = worked.line,
                    start = (rounded - 1) * s,
                    name = name,
                    limit = size + p,
                    out = g.output[2 + axis]
                );
                Quantity { measure, value: g.output[2 + axis], line, hint: msg!("pool2d-hint-ceil", line = worked.hint, name = name) }
            } else if g.ceil_mode {
                // The hint names the rule whether or not it drops a window here.
                Quantity { hint: msg!("pool2d-hint-ceil", line = worked.hint.clone(), name = name), ..worked }
            } else {
                worked
            }
        })
        .collect();
    let formula = quantities.iter().map(|q| q.line.clone()).collect();
    let span = [0, 1].map(|a| dilation[a] * (kernel[a] - 1) + 1);
    // How the windows cover the input, read off the trace (dilated windows can interleave
    // without sharing a cell, and skip cells even when they overlap).
    let cover = Coverage::of(&trace, ids.input);
    let spread = if span != kernel {
        msg!("pool2d-fact-spread", span = format!("{}×{}", span[0], span[1]))
    } else {
        Msg::default()
    };
    let mut facts = vec![
        msg!("pool2d-fact-no-weights"),
        msg!(
            "pool2d-fact-windows",
            kernel = format!("{}×{}", kernel[0], kernel[1]),
            taps = kernel[0] * kernel[1],
            spread = spread,
            stride =
                if stride[0] == stride[1] { stride[0].to_string() } else { format!("{}×{}", stride[0], stride[1]) },
            shared = cover.shared,
            unread = cover.unread
        ),
    ];
    if let Pool::Avg { count_include_pad, .. } = pool {
        facts.push(Msg::id(if count_include_pad { "pool2d-fact-pad-counted" } else { "pool2d-fact-pad-not-counted" }));
    }
    Ok(Run {
        quantities,
        formula,
        facts,
        editable: Editable::input(ids.input),
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

const POOL_PADDING: ArgSpec =
    ArgSpec::new("padding", Kind::IntPair { min: 0, max: MAX_INT_ARG, one: true }, Default::Int(0));

static MAX_EVALS: &[EvalOp] = &[EvalOp {
    name: "max_pool2d",
    signature: &[
        sig::INPUT,
        sig::KERNEL_SIZE,
        sig::POOL_STRIDE,
        POOL_PADDING,
        sig::DILATION,
        sig::CEIL_MODE,
        ArgSpec::new("return_indices", Kind::Bool, Default::Bool(false)),
    ],
    reference: "torch.nn.functional.max_pool2d",
    answer: |args| eval_pool(Pool::Max, args),
}];

static AVG_EVALS: &[EvalOp] = &[EvalOp {
    name: "avg_pool2d",
    signature: &[
        sig::INPUT,
        sig::KERNEL_SIZE,
        sig::POOL_STRIDE,
        POOL_PADDING,
        sig::CEIL_MODE,
        ArgSpec::new("count_include_pad", Kind::Bool, Default::Bool(true)),
        ArgSpec::new("divisor_override", Kind::Int { min: -MAX_INT_ARG, max: MAX_INT_ARG }, Default::None),
    ],
    reference: "torch.nn.functional.avg_pool2d",
    answer: |args| {
        let divisor_override = args.opt_int("divisor_override")?;
        if divisor_override == Some(0) {
            return Err("\"divisor_override\" must not be zero (PyTorch: divisor must be not zero)".into());
        }
        eval_pool(Pool::Avg { count_include_pad: args.bool("count_include_pad")?, divisor_override }, args)
    },
}];

fn eval_pool(pool: Pool, args: &Args) -> Result<Answer, String> {
    let (x, unbatched) = args.tensor("input")?.batched4();
    let kernel = args.pair("kernel_size")?;
    let stride = args.opt_pair("stride")?.unwrap_or(kernel);
    let dilation = if pool == Pool::Max { args.pair("dilation")? } else { [1, 1] };
    let g = PoolGeometry::new(shape4(&x), kernel, stride, args.pair("padding")?, dilation, args.bool("ceil_mode")?)
        .map_err(|e| e.message)?;
    check_cost(product(&g.output), product(&g.output).saturating_mul(g.window_cells()))?;
    let (y, indices) = self::pool(pool, &x, &g);
    let values = Answer::tensor4(y, unbatched);
    if pool == Pool::Max && args.bool("return_indices")? {
        let Answer::Tensor { shape, .. } = &values else { unreachable!("a tensor answer") };
        let indices = Answer::Indices { shape: shape.clone(), data: indices };
        return Ok(Answer::Tuple(vec![values, indices]));
    }
    Ok(values)
}

pub static MAX_POOL2D: Operator = Operator {
    name: "max_pool2d",
    title: "pool2d-max-title",
    summary: "pool2d-max-summary",
    schema: &MAX_SCHEMA,
    evals: MAX_EVALS,
    expand: super::keep,
    run: run_max_pool2d,
};

fn run_max_pool2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    run_pool(Pool::Max, params, edits)
}

pub static AVG_POOL2D: Operator = Operator {
    name: "avg_pool2d",
    title: "pool2d-avg-title",
    summary: "pool2d-avg-summary",
    schema: &AVG_SCHEMA,
    evals: AVG_EVALS,
    expand: super::keep,
    run: run_avg_pool2d,
};

fn run_avg_pool2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let count_include_pad = params.choice("count_include_pad") == "true";
    run_pool(Pool::Avg { count_include_pad, divisor_override: None }, params, edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(i: usize, k: usize, s: usize, p: usize, d: usize, ceil: bool) -> Result<PoolGeometry, ParamError> {
        PoolGeometry::new([1, 1, i, i], [k; 2], [s; 2], [p; 2], [d; 2], ceil)
    }

    #[test]
    fn ceil_mode_adds_a_last_window_only_if_it_starts_inside() {
        // 5 cells, k = 2, s = 2: floor gives 2 windows, ceil gives 3 (the last covers cell 4).
        assert_eq!(geometry(5, 2, 2, 0, 1, false).unwrap().output[2], 2);
        assert_eq!(geometry(5, 2, 2, 0, 1, true).unwrap().output[2], 3);
        // 5 cells, k = 2, s = 2, p = 1: ⌈5/2⌉ + 1 = 4 windows, but the fourth would start at
        // 6 = 5 + 1, in the right padding, so PyTorch keeps 3.
        let g = geometry(5, 2, 2, 1, 1, true).unwrap();
        assert_eq!((g.output[2], g.dropped[0]), (3, true));
        assert_eq!(geometry(4, 3, 3, 1, 1, true).unwrap().output[2], 2);
        // A window wider than the input is computed when ceil_mode lets it start inside:
        // PyTorch's max_pool2d(ones(1, 1, 1, 1), 3, 3, ceil_mode=True) is [[[[1.]]]].
        assert_eq!(geometry(1, 3, 3, 0, 1, true).unwrap().output[2], 1);
        assert!(geometry(1, 3, 2, 0, 1, true).is_err());
    }

    #[test]
    fn too_much_padding_is_refused_like_pytorch() {
        let err = geometry(5, 3, 1, 2, 1, false).unwrap_err();
        assert!(err.message.en().contains("at most half"), "{}", err.message);
        assert!(geometry(5, 2, 1, 1, 1, false).is_ok());
    }

    #[test]
    fn average_counts_padding_unless_told_not_to() {
        // A 1×1 input of 9 with k = 3, p = 1: the window holds eight padding zeros.
        let x = Array4::from_elem((1, 1, 1, 1), 9.0);
        let g = geometry(1, 3, 1, 1, 1, false).unwrap();
        let avg = |count_include_pad, divisor_override| Pool::Avg { count_include_pad, divisor_override };
        assert_eq!(pool(avg(true, None), &x, &g).0[[0, 0, 0, 0]], 1.0);
        assert_eq!(pool(avg(false, None), &x, &g).0[[0, 0, 0, 0]], 9.0);
        assert_eq!(pool(avg(true, Some(-3)), &x, &g).0[[0, 0, 0, 0]], -3.0);
        assert_eq!(pool(Pool::Max, &x, &g).0[[0, 0, 0, 0]], 9.0);
    }

    #[test]
    fn dilated_max_pooling_reads_spread_cells_and_reports_indices() {
        // 1×1×4×4 of 0…15, k = 2, d = 2, s = 1: window (0, 0) reads 0, 2, 8, 10.
        let x = Array4::from_shape_vec((1, 1, 4, 4), (0..16).map(|v| v as f32).collect()).unwrap();
        let g = geometry(4, 2, 1, 0, 2, false).unwrap();
        let (y, indices) = pool(Pool::Max, &x, &g);
        assert_eq!(y.iter().copied().collect::<Vec<_>>(), [10.0, 11.0, 14.0, 15.0]);
        assert_eq!(indices, [10, 11, 14, 15]);
    }

    #[test]
    fn the_traced_pooling_equals_the_plain_one_to_the_bit() {
        let x = Array4::from_shape_fn((1, 2, 5, 6), |(_, c, r, q)| (c as f32 + 1.0) / (r * 6 + q + 3) as f32);
        for (p, ceil, d) in [(0, false, 1), (1, true, 1), (1, false, 2)] {
            let g = PoolGeometry::new([1, 2, 5, 6], [3, 2], [2, 1], [p, 1], [d, 1], ceil).unwrap();
            for kind in [
                Pool::Max,
                Pool::Avg { count_include_pad: true, divisor_override: None },
                Pool::Avg { count_include_pad: false, divisor_override: None },
            ] {
                if kind != Pool::Max && d > 1 {
                    continue;
                }
                let mut trace = Trace::default();
                let traced = pool_traced(kind, &x, &g, &mut trace).0;
                assert_eq!(traced, pool(kind, &x, &g).0, "{kind:?}");
                assert_eq!(trace.replay(trace.steps.len()).values[1], traced.iter().copied().collect::<Vec<_>>());
            }
        }
    }
}
