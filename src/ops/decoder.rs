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
use super::{Editable, Edits, Operator, Run, check_taps, controls, group_digits, input_tensor, weight_tensor};
use crate::counts::products_text;
use crate::params::{ParamError, ParamSpec, Params};

static DECOMPOSED_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("kernel_size", "Kernel size", 1, 5, 3, "k: a k×1 column pass, then a 1×k row pass."),
    ParamSpec::int(
        "stride",
        "Stride",
        1,
        4,
        2,
        "Upsampling factor s, applied to rows in the first pass and to columns in the second.",
    ),
    ParamSpec::int(
        "padding",
        "Padding",
        0,
        2,
        0,
        "Rows (first pass) and columns (second pass) cropped from each side.",
    ),
    ParamSpec::int("in_channels", "In channels", 1, 3, 1, "Channels of the input (C_in)."),
    ParamSpec::int("out_channels", "Out channels", 1, 3, 1, "Channels of the output (C_out)."),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

static SEPARABLE_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("in_channels", "In channels", 1, 4, 2, "Channels of the input (C)."),
    ParamSpec::int("out_channels", "Out channels", 1, 4, 2, "Channels of the output (C_out)."),
    ParamSpec::int("kernel_size", "Kernel size", 1, 5, 3, "k of the depthwise k×k transposed kernels."),
    ParamSpec::int("stride", "Stride", 1, 4, 2, "Upsampling factor s."),
    ParamSpec::int("padding", "Padding", 0, 2, 0, "Cropped from each side of the depthwise result."),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

static RESIDUAL_SCHEMA: &[ParamSpec] = &[
    controls::height(3),
    controls::width(3),
    ParamSpec::int("channels", "Channels", 1, 8, 4, "Channels of the input (C); must be divisible by N."),
    ParamSpec::int("channel_group", "Channel group", 1, 4, 2, "N: the block maps C channels to C / N."),
    ParamSpec::int("scale_factor", "Scale factor", 1, 3, 2, "s: both branches upsample by s."),
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
    title: "decomposed transposed conv (k×1 then 1×k)",
    summary: "A k×1 transposed conv upsamples the rows, a 1×k one the columns; beside them, the full k×k transposed conv with the outer-product kernel gives the same numbers.",
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
        Names::new(("a", "column a (k×1)"), ("t", "rows upsampled t")),
    )?;
    let cols = ConvArgs::new([1, s], [0, p], [1, 1], c_out);
    let y =
        comp.conv(Conv::TRANSPOSED, t, &row, cols, 0, Names::new(("b", "row b (1×k)"), ("y", "output y")).last())?;
    let both = ConvArgs::new([s, s], [p, p], [1, 1], 1);
    comp.conv(
        Conv::TRANSPOSED,
        comp.input,
        &full,
        both,
        1,
        Names::new(("W", "W = a·b (k×k)"), ("y′", "full y′ = y")).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    Ok(Run {
        formula: crate::text::same_all(vec![
            format!(
                "H_out = (H − 1)·s − 2p + k = ({} − 1)·{s} − 2·{p} + {k} = {oh} (first pass); W_out = {ow} (second pass)",
                input_shape[2]
            ),
            "W[ci, co, i, j] = a[ci, co, i] · b[co, j]: a rank-1 kernel per channel pair".to_string(),
        ]),
        facts: crate::text::same_all(comp.factorisation_facts(["C_in·C_out·k + C_out·k", "C_in·C_out·k²"], ["", ""], "decomposed")),
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

pub static SEPARABLE_CONV_TRANSPOSE: Operator = Operator {
    name: "separable_conv_transpose2d",
    title: "separable transposed conv (depthwise then 1×1)",
    summary: "Each channel is upsampled by its own k×k transposed kernel (groups = C), then a 1×1 conv mixes the channels.",
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
        Names::new(("d", "depthwise d"), ("t", "upsampled t")),
    )?;
    let pointwise_names = Names::new(("q", "pointwise q (1×1)"), ("y", "output y")).last();
    let y = comp.conv(Conv::Plain, t, &pointwise, ConvArgs::square(1, 0, 1, 1), 0, pointwise_names)?;
    let out_h = comp.values(y).shape()[2];
    let (depthwise, pointwise) = (comp.weights(0), comp.weights(1));
    // A full transposed conv from C to C_out channels stamps every depthwise product once
    // per output channel, and its kernel holds every depthwise weight C_out times.
    let (dw_work, pw_work) = (comp.work(0), comp.work(1));
    Ok(Run {
        formula: crate::text::same_all(vec![
            format!("H_out = (H − 1)·s − 2p + k = ({} − 1)·{s} − 2·{p} + {k} = {out_h}", input_shape[2]),
            format!(
                "weights: C·k² + C·C_out = {depthwise} + {pointwise} = {}  vs  C·C_out·k² = {} for a full transposed conv",
                depthwise + pointwise,
                depthwise * c_out
            ),
        ]),
        facts: crate::text::same_all(vec![format!(
            "multiply-adds: {} + {} separable vs {} for a full transposed conv",
            products_text(&dw_work),
            products_text(&pw_work),
            group_digits(dw_work.products * c_out)
        )]),
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

pub static RESIDUAL_UPSAMPLE: Operator = Operator {
    name: "residual_upsample",
    title: "residual upsampling (Wojna et al.)",
    summary: "A learned transposed-conv branch plus a parameter-free bilinear additive skip, summed: the residual decoder block of “The Devil is in the Decoder”.",
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
    let branch_names = Names::new(("w", "transposed kernel w"), ("r", "learned branch r"));
    let branch = comp.conv(Conv::TRANSPOSED, comp.input, &w, ConvArgs::square(s, 1, 1, 1), 0, branch_names)?;
    let skip = comp.bilinear_additive(comp.input, &g, group, 1, Names::output(("a", "bilinear additive skip a")));
    let y = comp.sum((branch, skip), Names::output(("y", "output y = r + a")).last());
    let out_shape = comp.values(y).shape().to_vec();
    Ok(Run {
        formula: crate::text::same_all(vec![format!(
            "y = conv_transpose2d(x; k = s + 2 = {k}, stride {s}, padding 1) + bilinear_additive(x; ×{s}, N = {group}): [1, {c}, {}, {}] → {:?}",
            input_shape[2], input_shape[3], out_shape
        )]),
        facts: crate::text::same_all(vec![format!("weights: {} in the learned branch, none in the skip", group_digits(comp.weights(0)))]),
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}
