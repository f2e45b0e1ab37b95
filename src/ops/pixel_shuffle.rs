//! The depth ↔ space rearrangements: `pixel_shuffle` (PyTorch, channel order CRD),
//! `depth_to_space` (ONNX/TensorFlow, DCR by default, CRD switchable) and their inverse
//! `pixel_unshuffle`. Nothing is computed, only moved: each step moves one channel's cells.

use super::Traced;
use ndarray::Array4;

use super::conv2d::shape4;
use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Measure, Operator, Quantity, Run, controls, input_tensor, sig};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, check_cost, product};
use crate::counts::Work;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{CellRef, Grid, Operands, Role, Trace};

/// How the r² sub-positions and the C output channels are packed into the C·r² input channels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Column, row, depth: channel `c·r² + i·r + j` (PyTorch `pixel_shuffle`, ONNX mode CRD).
    Crd,
    /// Depth, column, row: channel `(i·r + j)·C + c` (TensorFlow `depth_to_space`, ONNX default).
    Dcr,
}

impl Order {
    /// The input channel holding output channel `c`, sub-position `(i, j)`.
    pub fn channel(self, c: usize, i: usize, j: usize, r: usize, out_channels: usize) -> usize {
        match self {
            Order::Crd => c * r * r + i * r + j,
            Order::Dcr => (i * r + j) * out_channels + c,
        }
    }
}

/// A checked rearrangement between `depth` = `[N, C·r², H, W]` and `space` = `[N, C, rH, rW]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShuffleGeometry {
    pub depth: [usize; 4],
    pub space: [usize; 4],
    pub r: usize,
    pub order: Order,
}

impl ShuffleGeometry {
    /// From the depth side (pixel_shuffle, depth_to_space).
    pub fn from_depth(input: [usize; 4], r: usize, order: Order, factor: &str) -> Result<Self, ParamError> {
        let [n, c, h, w] = input;
        if r == 0 {
            return Err(ParamError::new(factor, msg!("resample-factor-at-least-one", factor = factor)));
        }
        crate::ops::nonempty("input", "height", input)?;
        if !c.is_multiple_of(r * r) {
            return Err(ParamError::new(
                "in_channels",
                msg!("resample-channels-indivisible-square", c = c.to_string(), factor = factor, r2 = (r * r).to_string()),
            ));
        }
        Ok(ShuffleGeometry { depth: input, space: [n, c / (r * r), h * r, w * r], r, order })
    }

    /// From the space side (pixel_unshuffle).
    pub fn from_space(input: [usize; 4], r: usize) -> Result<Self, ParamError> {
        let [n, c, h, w] = input;
        if r == 0 {
            return Err(ParamError::new(
                "downscale_factor",
                msg!("resample-factor-at-least-one", factor = "downscale_factor"),
            ));
        }
        crate::ops::nonempty("input", "height", input)?;
        for (size, name) in [(h, "height"), (w, "width")] {
            if !size.is_multiple_of(r) {
                return Err(ParamError::new(
                    name,
                    msg!("resample-unshuffle-indivisible", axis = name, size = size.to_string(), r = r.to_string()),
                ));
            }
        }
        Ok(ShuffleGeometry { depth: [n, c * r * r, h / r, w / r], space: input, r, order: Order::Crd })
    }

    /// Every (depth index, space index) pair, depth channel by depth channel.
    fn pairs(&self) -> impl Iterator<Item = ([usize; 4], [usize; 4])> + '_ {
        let [n, c, _, _] = self.space;
        let [_, _, h, w] = self.depth;
        let r = self.r;
        (0..n).flat_map(move |b| {
            (0..c).flat_map(move |ch| {
                (0..r).flat_map(move |i| {
                    (0..r).flat_map(move |j| {
                        let k = self.order.channel(ch, i, j, r, c);
                        (0..h).flat_map(move |y| (0..w).map(move |x| ([b, k, y, x], [b, ch, y * r + i, x * r + j])))
                    })
                })
            })
        })
    }
}

/// Depth → space (`to_space`) or space → depth: the cells moved straight across.
pub fn rearrange(x: &Array4<f32>, g: &ShuffleGeometry, to_space: bool) -> Array4<f32> {
    let mut y = Array4::<f32>::zeros(if to_space { g.space } else { g.depth });
    for (depth, space) in g.pairs() {
        let (from, to) = if to_space { (depth, space) } else { (space, depth) };
        y[to] = 0.0 + x[from];
    }
    y
}

/// [`rearrange`] with a trace: depth → space moves one whole input channel per step; space →
/// depth fills one whole output channel per step.
pub fn rearrange_traced(x: &Array4<f32>, g: &ShuffleGeometry, to_space: bool, t: &mut Trace) -> Traced {
    let input = t.add_grid(Grid::from_array("x", msg!("grid-input", sym = "x"), Role::Input, x));
    let output = t.add_grid(Grid::new(
        "y",
        msg!("grid-output", sym = "y"),
        Role::Output,
        if to_space { g.space } else { g.depth },
    ));
    let stage = if to_space {
        t.add_stage(msg!("resample-stage-depth-to-space"), msg!("resample-stage-depth-to-space.explain"))
    } else {
        t.add_stage(msg!("resample-stage-space-to-depth"), msg!("resample-stage-space-to-depth.explain"))
    };
    let mut moves: Vec<([usize; 4], [usize; 4])> =
        g.pairs().map(|(depth, space)| if to_space { (depth, space) } else { (space, depth) }).collect();
    let key = |(from, to): &([usize; 4], [usize; 4])| if to_space { [from[0], from[1]] } else { [to[0], to[1]] };
    moves.sort_by_key(key);
    for chunk in moves.chunk_by(|a, b| key(a) == key(b)) {
        let cells = chunk.iter().map(|&(from, to)| (to, Some(CellRef { grid: input, index: from }))).collect();
        let step = t.fill(output, stage, cells);
        t.steps.push(step);
    }
    let y = Array4::from_shape_vec(t.grids[output].shape, t.grids[output].values.clone()).expect("the output's shape");
    (y, Operands { input, weight: None, bias: None, output })
}

/// The facts of a rearrangement; `to_space` says which side is the input: the depth side
/// (pixel_shuffle, depth_to_space) or the space side (pixel_unshuffle).
fn facts(g: &ShuffleGeometry, to_space: bool, trace: &Trace) -> Vec<Msg> {
    let [_, c, _, _] = g.space;
    let (channel, position) = if g.order == Order::Crd {
        ("⌊k / r²⌋", "(⌊k / r⌋ mod r, k mod r)")
    } else {
        ("k mod C", "(⌊k / (C·r)⌋, ⌊k / C⌋ mod r)")
    };
    let holds = if to_space { "resample-shuffle-input-holds" } else { "resample-shuffle-output-holds" };
    let moved = Work::all(trace).reads;
    vec![
        Msg::same(format!("[N, C·r², H, W] = {:?} ↔ [N, C, r·H, r·W] = {:?}", g.depth, g.space)),
        Msg::id(holds).with("channel", channel).with("position", position),
        msg!("resample-shuffle-moved", moved = moved, c = c, r = g.r),
    ]
}

/// The output's height and width from the input's: `H · r` (`op` = `·`) or `H / r` (`/`).
fn output_size(input: [usize; 4], output: [usize; 4], (factor, r): (&str, usize), op: &str) -> Vec<Quantity> {
    (0..2)
        .map(|axis| {
            let name = ["H", "W"][axis];
            Quantity::worked(
                [Measure::Height, Measure::Width][axis],
                output[2 + axis],
                &format!("{name}_out = {name} {op} {factor}"),
                &format!("{} {op} {r}", input[2 + axis]),
            )
        })
        .collect()
}

/// ONNX's DepthToSpace in PyTorch: DCR reads the block position from the outer channel
/// index, CRD (= pixel_shuffle) from the inner one.
const DEPTH_TO_SPACE_PY: &str = r#"def depth_to_space(input, block_size, mode="DCR"):
    """ONNX DepthToSpace: [N, C·r², H, W] → [N, C, H·r, W·r]."""
    n, c, h, w = input.shape
    r = block_size
    if mode == "DCR":
        x = input.reshape(n, r, r, c // (r * r), h, w).permute(0, 3, 4, 1, 5, 2)
    else:
        x = input.reshape(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3)
    return x.reshape(n, c // (r * r), h * r, w * r)"#;

fn run_shuffle(params: &Params, edits: &Edits, factor: &'static str, order: Order) -> Result<Run, ParamError> {
    let input_shape = super::input_shape(params, "in_channels");
    let g = ShuffleGeometry::from_depth(input_shape, params.usize(factor), order, factor)?;
    let x = input_tensor(params, "in_channels", edits);
    let mut trace = Trace::default();
    let (y, ids) = rearrange_traced(&x, &g, true, &mut trace);
    // pixel_shuffle is PyTorch's; depth_to_space (ONNX) is a reshape and permute, as a helper.
    let pytorch = if factor == "upscale_factor" {
        Call::new("pixel_shuffle", "F.pixel_shuffle", y.into_dyn())
            .arg("input", code::tensor(&x))
            .arg("upscale_factor", PyArg::Int(g.r as i64))
    } else {
        Call::new("depth_to_space", "depth_to_space", y.into_dyn())
            .helper(DEPTH_TO_SPACE_PY)
            .arg("input", code::tensor(&x))
            .arg("block_size", PyArg::Int(g.r as i64))
            .arg("mode", PyArg::Str(if order == Order::Crd { "CRD" } else { "DCR" }))
    };
    let formula = vec![Msg::same(format!(
        "[1, {}, {}, {}] → [1, {} / {}², {}·{}, {}·{}] = {:?}",
        g.depth[1], g.depth[2], g.depth[3], g.depth[1], g.r, g.r, g.depth[2], g.r, g.depth[3], g.space
    ))];
    let quantities = output_size(g.depth, g.space, (factor, g.r), "·");
    Ok(Run { quantities, formula, facts: facts(&g, true, &trace), editable: Editable::input(ids.input), pick: None, pytorch: Some(Program::single(pytorch)), trace })
}

const fn factor_control(name: &'static str, label: &'static str) -> ParamSpec {
    ParamSpec::int(name, label, 1, 4, 2, "resample-block-side-help")
}

const IN_CHANNELS: ParamSpec =
    ParamSpec::int("in_channels", "resample-in-channels", 1, 16, 4, "resample-shuffle-in-channels-help");
const SHUFFLE_INPUT_VALUES: ParamSpec = ParamSpec::choice(
    "input_values",
    "resample-input-values",
    controls::VALUE_PRESETS,
    "channel",
    "resample-shuffle-input-values-help",
);

static SHUFFLE_SCHEMA: [ParamSpec; 6] = [
    factor_control("upscale_factor", "resample-upscale-factor"),
    IN_CHANNELS,
    controls::height(3),
    controls::width(3),
    SHUFFLE_INPUT_VALUES,
    controls::SEED,
];

static D2S_SCHEMA: [ParamSpec; 7] = [
    ParamSpec::choice(
        "mode",
        "resample-d2s-mode",
        &[("DCR", "resample-d2s-mode-dcr"), ("CRD", "resample-d2s-mode-crd")],
        "DCR",
        "resample-d2s-mode.help",
    ),
    factor_control("block_size", "resample-block-size"),
    ParamSpec::int("in_channels", "resample-in-channels", 1, 16, 8, "resample-shuffle-in-channels-help"),
    controls::height(2),
    controls::width(2),
    SHUFFLE_INPUT_VALUES,
    controls::SEED,
];

static UNSHUFFLE_SCHEMA: [ParamSpec; 6] = [
    factor_control("downscale_factor", "resample-downscale-factor"),
    ParamSpec::int("channels", "resample-channels", 1, 4, 1, "resample-channels-c-help"),
    controls::height(4),
    controls::width(4),
    ParamSpec::choice(
        "input_values",
        "resample-input-values",
        controls::VALUE_PRESETS,
        "random",
        "resample-input-values.help",
    ),
    controls::SEED,
];

pub static PIXEL_SHUFFLE: Operator = Operator {
    name: "pixel_shuffle",
    title: "resample-pixel-shuffle",
    summary: "resample-pixel-shuffle.summary",
    schema: &SHUFFLE_SCHEMA,
    evals: SHUFFLE_EVALS,
    expand: super::keep,
    run: run_pixel_shuffle,
};

fn run_pixel_shuffle(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    run_shuffle(params, edits, "upscale_factor", Order::Crd)
}

pub static DEPTH_TO_SPACE: Operator = Operator {
    name: "depth_to_space",
    title: "resample-depth-to-space",
    summary: "resample-depth-to-space.summary",
    schema: &D2S_SCHEMA,
    evals: D2S_EVALS,
    expand: super::keep,
    run: run_depth_to_space,
};

fn run_depth_to_space(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let order = if params.choice("mode") == "CRD" { Order::Crd } else { Order::Dcr };
    run_shuffle(params, edits, "block_size", order)
}

pub static PIXEL_UNSHUFFLE: Operator = Operator {
    name: "pixel_unshuffle",
    title: "resample-pixel-unshuffle",
    summary: "resample-pixel-unshuffle.summary",
    schema: &UNSHUFFLE_SCHEMA,
    evals: UNSHUFFLE_EVALS,
    expand: super::keep,
    run: run_pixel_unshuffle,
};

fn run_pixel_unshuffle(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let input_shape = super::input_shape(params, "channels");
    let g = ShuffleGeometry::from_space(input_shape, params.usize("downscale_factor"))?;
    let x = input_tensor(params, "channels", edits);
    let mut trace = Trace::default();
    let (y, ids) = rearrange_traced(&x, &g, false, &mut trace);
    let pytorch = Call::new("pixel_unshuffle", "F.pixel_unshuffle", y.into_dyn())
        .arg("input", code::tensor(&x))
        .arg("downscale_factor", PyArg::Int(g.r as i64));
    let formula = vec![Msg::same(format!(
        "[1, {}, {}, {}] → [1, {}·{}², {} / {}, {} / {}] = {:?}",
        g.space[1], g.space[2], g.space[3], g.space[1], g.r, g.space[2], g.r, g.space[3], g.r, g.depth
    ))];
    let quantities = output_size(g.space, g.depth, ("downscale_factor", g.r), "/");
    Ok(Run { quantities, formula, facts: facts(&g, false, &trace), editable: Editable::input(ids.input), pick: None, pytorch: Some(Program::single(pytorch)), trace })
}

/// Any number of leading batch dimensions, as PyTorch's shuffles take.
const SHUFFLE_INPUT: ArgSpec = ArgSpec::new("input", Kind::Tensor { min_dims: 3, max_dims: 8 }, Default::Required);
const fn factor(name: &'static str) -> ArgSpec {
    ArgSpec::new(name, Kind::Int { min: 1, max: MAX_INT_ARG }, Default::Required)
}

static SHUFFLE_EVALS: &[EvalOp] = &[EvalOp {
    name: "pixel_shuffle",
    signature: &[SHUFFLE_INPUT, factor("upscale_factor")],
    reference: "torch.nn.functional.pixel_shuffle",
    answer: |args| to_space(args, args.usize("upscale_factor")?, Order::Crd, "upscale_factor"),
}];

static D2S_EVALS: &[EvalOp] = &[EvalOp {
    name: "depth_to_space",
    signature: &[
        sig::INPUT4,
        factor("block_size"),
        ArgSpec::new("mode", Kind::Word(&["DCR", "CRD"]), Default::Word("DCR")),
    ],
    reference: "ONNX DepthToSpace",
    answer: |args| {
        let order = if args.word("mode")? == "CRD" { Order::Crd } else { Order::Dcr };
        to_space(args, args.usize("block_size")?, order, "block_size")
    },
}];

static UNSHUFFLE_EVALS: &[EvalOp] = &[EvalOp {
    name: "pixel_unshuffle",
    signature: &[SHUFFLE_INPUT, factor("downscale_factor")],
    reference: "torch.nn.functional.pixel_unshuffle",
    answer: |args| {
        let (x, lead) = args.tensor("input")?.fold_leading();
        let g = ShuffleGeometry::from_space(shape4(&x), args.usize("downscale_factor")?).map_err(|e| e.message)?;
        check_cost(product(&g.depth), product(&g.depth))?;
        Ok(Answer::unfold_leading(rearrange(&x, &g, false), &lead))
    },
}];

/// Depth → space for `convscope eval`.
fn to_space(args: &Args, r: usize, order: Order, factor_name: &str) -> Result<Answer, String> {
    let (x, lead) = args.tensor("input")?.fold_leading();
    let g = ShuffleGeometry::from_depth(shape4(&x), r, order, factor_name).map_err(|e| e.message)?;
    check_cost(product(&g.space), product(&g.space))?;
    Ok(Answer::unfold_leading(rearrange(&x, &g, true), &lead))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crd_and_dcr_pack_channels_differently() {
        // C = 2, r = 2: output channel 1, block position (0, 1).
        assert_eq!(Order::Crd.channel(1, 0, 1, 2, 2), 5);
        assert_eq!(Order::Dcr.channel(1, 0, 1, 2, 2), 3);
    }

    #[test]
    fn pixel_shuffle_moves_channels_into_blocks() {
        // Four 1×1 channels become one 2×2 block, row by row (PyTorch's documented order).
        let x = Array4::from_shape_vec((1, 4, 1, 1), vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let g = ShuffleGeometry::from_depth([1, 4, 1, 1], 2, Order::Crd, "upscale_factor").unwrap();
        let y = rearrange(&x, &g, true);
        assert_eq!(y.iter().copied().collect::<Vec<_>>(), [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(y.shape(), &[1, 1, 2, 2]);
    }

    #[test]
    fn indivisible_settings_are_explained() {
        let err = ShuffleGeometry::from_depth([1, 6, 2, 2], 2, Order::Crd, "upscale_factor").unwrap_err();
        assert_eq!(err.message.en(), "the input's 6 channels must be divisible by upscale_factor² = 4");
        let err = ShuffleGeometry::from_space([1, 1, 5, 4], 2).unwrap_err();
        assert_eq!(err.message.en(), "the input height 5 must be divisible by downscale_factor 2");
        assert!(ShuffleGeometry::from_depth([1, 4, 2, 2], 0, Order::Dcr, "block_size").is_err());
    }
}
