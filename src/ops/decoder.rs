//! Decoder upsampling blocks built from transposed convolutions:
//!
//! * `decomposed_conv_transpose2d`: a k×1 transposed conv (stride s along rows), then a 1×k
//!   depthwise transposed conv (stride s along columns), beside the full k×k transposed conv
//!   with the outer-product kernel — the same numbers with 2k instead of k² weights per pair;
//! * `separable_conv_transpose2d`: a depthwise transposed conv (groups = C), then a 1×1 conv;
//! * `residual_upsample`: Wojna et al.'s residual decoder block: a transposed-conv branch plus
//!   a bilinear additive skip, summed.

use ndarray::Array4;

use super::bilinear_additive::{self};
use super::compose::{Composite, Conv, Names};
use super::conv2d::ConvArgs;
use super::{Editable, Edits, Operator, Run, check_taps, controls, input_tensor, weight_tensor};
use crate::counts::products_text;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;

static DECOMPOSED_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("kernel_size", "decoder-kernel-size", 1, 5, 3, "decoder-decomposed-help-kernel-size"),
    ParamSpec::int("stride", "decoder-stride", 1, 4, 2, "decoder-decomposed-help-stride"),
    ParamSpec::int("padding", "decoder-padding", 0, 2, 0, "decoder-decomposed-help-padding"),
    ParamSpec::int("in_channels", "decoder-in-channels", 1, 3, 1, "decoder-help-in-channels"),
    ParamSpec::int("out_channels", "decoder-out-channels", 1, 3, 1, "decoder-help-out-channels"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

static SEPARABLE_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("in_channels", "decoder-in-channels", 1, 4, 2, "decoder-separable-help-in-channels"),
    ParamSpec::int("out_channels", "decoder-out-channels", 1, 4, 2, "decoder-help-out-channels"),
    ParamSpec::int("kernel_size", "decoder-kernel-size", 1, 5, 3, "decoder-separable-help-kernel-size"),
    ParamSpec::int("stride", "decoder-stride", 1, 4, 2, "decoder-separable-help-stride"),
    ParamSpec::int("padding", "decoder-padding", 0, 2, 0, "decoder-separable-help-padding"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

static RESIDUAL_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("channels", "decoder-channels", 1, 8, 4, "decoder-residual-help-channels"),
    ParamSpec::int("channel_group", "decoder-channel-group", 1, 4, 2, "decoder-residual-help-channel-group"),
    ParamSpec::int("scale_factor", "decoder-scale-factor", 1, 3, 2, "decoder-residual-help-scale-factor"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

fn decomposed_weights(params: &Params) -> (Array4<f32>, Array4<f32>, Array4<f32>) {
    let (c_in, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("kernel_size"));
    let column = weight_tensor(params, [c_in, c_out, k, 1], 0, &Edits::new());
    let row = weight_tensor(params, [c_out, 1, 1, k], 7, &Edits::new());
    let full = Array4::from_shape_fn((c_in, c_out, k, k), |(ci, co, i, j)| column[[ci, co, i, 0]] * row[[co, 0, 0, j]]);
    (column, row, full)
}

pub static DECOMPOSED_CONV_TRANSPOSE: Operator = Operator {
    name: "decomposed_conv_transpose2d",
    title: "decoder-decomposed-title",
    summary: "decoder-decomposed-summary",
    schema: DECOMPOSED_SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_decomposed_conv_transpose,
};

fn run_decomposed_conv_transpose(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c_in, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("kernel_size"));
    let (s, p) = (params.usize("stride"), params.usize("padding"));
    let x = input_tensor(params, "in_channels", edits);
    let input_shape = [1, c_in, x.shape()[2], x.shape()[3]];
    let (column, row, full) = decomposed_weights(params);
    check_taps(3 * c_in * c_out * input_shape[2] * input_shape[3] * k * k * s)?;

    let mut comp = Composite::new(&x);
    let rows = ConvArgs::new([s, 1], [p, 0], [1, 1], 1);
    let t = comp.conv(
        Conv::TRANSPOSED,
        comp.input,
        &column,
        rows,
        0,
        Names::new(("a", msg!("decoder-caption-column", sym = "a")), ("t", msg!("decoder-caption-rows-upsampled", sym = "t"))),
    )?;
    let cols = ConvArgs::new([1, s], [0, p], [1, 1], c_out);
    let names = Names::new(("b", msg!("decoder-caption-row", sym = "b")), ("y", msg!("grid-output", sym = "y")));
    let y = comp.conv(Conv::TRANSPOSED, t, &row, cols, 0, names.last())?;
    let both = ConvArgs::new([s, s], [p, p], [1, 1], 1);
    comp.conv(
        Conv::TRANSPOSED,
        comp.input,
        &full,
        both,
        1,
        Names::new(("W", "W = a·b (k×k)"), ("y′", msg!("decoder-caption-full", sym = "y′", equals = "y"))).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!("decoder-decomposed-formula-size", h = input_shape[2], s = s, p = p, k = k, oh = oh, ow = ow),
            msg!("decoder-decomposed-formula-rank-one"),
        ],
        facts: vec![
            msg!("decoder-decomposed-fact-weights", split = comp.weights(0), split2 = comp.weights(1), full = comp.weights(2)),
            msg!(
                "decoder-decomposed-fact-products",
                split = products_text(&comp.work(0)),
                split2 = products_text(&comp.work(1)),
                full = products_text(&comp.work(2))
            ),
        ],
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

pub static SEPARABLE_CONV_TRANSPOSE: Operator = Operator {
    name: "separable_conv_transpose2d",
    title: "decoder-separable-title",
    summary: "decoder-separable-summary",
    schema: SEPARABLE_SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_separable_conv_transpose,
};

fn run_separable_conv_transpose(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("kernel_size"));
    let (s, p) = (params.usize("stride"), params.usize("padding"));
    let x = input_tensor(params, "in_channels", edits);
    let input_shape = [1, c, x.shape()[2], x.shape()[3]];
    let depthwise = weight_tensor(params, [c, 1, k, k], 0, &Edits::new());
    let pointwise = weight_tensor(params, [c_out, c, 1, 1], 7, &Edits::new());
    check_taps(c * c_out * input_shape[2] * input_shape[3] * k * k * s * s)?;

    let mut comp = Composite::new(&x);
    let dw = ConvArgs::new([s, s], [p, p], [1, 1], c);
    let t = comp.conv(
        Conv::TRANSPOSED,
        comp.input,
        &depthwise,
        dw,
        0,
        Names::new(("d", msg!("decoder-caption-depthwise", sym = "d")), ("t", msg!("decoder-caption-upsampled", sym = "t"))),
    )?;
    let pointwise_names =
        Names::new(("q", msg!("decoder-caption-pointwise", sym = "q")), ("y", msg!("grid-output", sym = "y"))).last();
    let y = comp.conv(Conv::Plain, t, &pointwise, ConvArgs::square(1, 0, 1, 1), 0, pointwise_names)?;
    let out_h = comp.values(y).shape()[2];
    let (depthwise, pointwise) = (comp.weights(0), comp.weights(1));
    // A full transposed conv from C to C_out channels stamps every depthwise product once
    // per output channel, and its kernel holds every depthwise weight C_out times.
    let (dw_work, pw_work) = (comp.work(0), comp.work(1));
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            Msg::same(format!("H_out = (H − 1)·s − 2p + k = ({} − 1)·{s} − 2·{p} + {k} = {out_h}", input_shape[2])),
            msg!(
                "decoder-separable-formula-weights",
                depthwise = depthwise,
                pointwise = pointwise,
                sum = depthwise + pointwise,
                full = depthwise * c_out
            ),
        ],
        facts: vec![msg!(
            "decoder-separable-fact-products",
            depthwise = products_text(&dw_work),
            pointwise = products_text(&pw_work),
            full = dw_work.products * c_out
        )],
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

pub static RESIDUAL_UPSAMPLE: Operator = Operator {
    name: "residual_upsample",
    title: "decoder-residual-title",
    summary: "decoder-residual-summary",
    schema: RESIDUAL_SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_residual_upsample,
};

fn run_residual_upsample(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c, n, s) = (params.usize("channels"), params.usize("channel_group"), params.usize("scale_factor"));
    let input_shape = [1, c, params.usize("height"), params.usize("width")];
    let (g, group) = bilinear_additive::geometry(input_shape, s as f64, n)?;
    let x = input_tensor(params, "channels", edits);
    // Kernel s + 2 with padding 1 upsamples by exactly s: (H − 1)s − 2 + (s + 1) + 1 = sH.
    let k = s + 2;
    let w = weight_tensor(params, [c, c / group, k, k], 0, &Edits::new());
    check_taps(2 * c * (c / group) * input_shape[2] * input_shape[3] * k * k)?;

    let mut comp = Composite::new(&x);
    let branch_names =
        Names::new(("w", msg!("decoder-caption-transposed-kernel", sym = "w")), ("r", msg!("decoder-caption-learned-branch", sym = "r")));
    let branch = comp.conv(Conv::TRANSPOSED, comp.input, &w, ConvArgs::square(s, 1, 1, 1), 0, branch_names)?;
    let skip = comp.bilinear_additive(comp.input, &g, group, 1, Names::output(("a", msg!("decoder-caption-skip", sym = "a"))));
    let y = comp.sum((branch, skip), Names::output(("y", msg!("grid-output", sym = "y = r + a"))).last());
    let out_shape = comp.values(y).shape().to_vec();
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![Msg::same(format!(
            "y = conv_transpose2d(x; k = s + 2 = {k}, stride {s}, padding 1) + bilinear_additive(x; ×{s}, N = {group}): [1, {c}, {}, {}] → {:?}",
            input_shape[2], input_shape[3], out_shape
        ))],
        facts: vec![msg!("decoder-residual-fact-weights", n = comp.weights(0))],
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}
