//! Separable convolutions, each beside the full convolution it stands for:
//!
//! * `spatially_separable_conv2d`: a k×1 conv then a 1×k conv equals one k×k conv with the
//!   outer-product kernel (the Sobel filter is [1, 2, 1]ᵀ·[1, 0, −1]: 6 weights instead of 9);
//! * `depthwise_separable_conv2d`: a depthwise k×k conv (groups = C) then a pointwise 1×1 conv,
//!   against the full k×k conv from C to C_out channels it replaces.

use ndarray::Array4;

use super::compose::{Composite, Conv, Names};
use super::conv2d::ConvArgs;
use super::{Editable, Edits, Operator, Run, check_taps, controls, input_tensor, weight_tensor};
use crate::counts::products_text;
use crate::params::{ParamError, ParamSpec, Params};

const KERNEL_PRESETS: &[(&str, &str)] =
    &[("edge", "Sobel: binomial ⊗ difference"), ("ones", "box blur (all ones)"), ("random", "random integers")];

static SPATIAL_SCHEMA: &[ParamSpec] = &[
    controls::height(5),
    controls::width(5),
    ParamSpec::int("kernel_size", "Kernel size", 1, 7, 3, "k: a k×1 column, then a 1×k row."),
    ParamSpec::int("padding", "Padding", 0, 3, 1, "Zeros around the input (p), split between the two passes."),
    ParamSpec::int("stride", "Stride", 1, 3, 1, "Step of the window (s), split between the two passes."),
    ParamSpec::int("channels", "Channels", 1, 3, 1, "Channels (C); each is filtered on its own (groups = C)."),
    ParamSpec::choice("weight_values", "Kernel", KERNEL_PRESETS, "edge", "The column and row vectors."),
    controls::INPUT_VALUES,
    controls::SEED,
];

static DEPTHWISE_SCHEMA: &[ParamSpec] = &[
    controls::height(4),
    controls::width(4),
    ParamSpec::int("in_channels", "In channels", 1, 4, 2, "Channels of the input (C)."),
    ParamSpec::int("out_channels", "Out channels", 1, 4, 3, "Channels of the output (C_out)."),
    ParamSpec::int("kernel_size", "Kernel size", 1, 5, 3, "k of the depthwise k×k kernels."),
    ParamSpec::int("padding", "Padding", 0, 3, 1, "Zeros around the input (p)."),
    ParamSpec::int("stride", "Stride", 1, 3, 1, "Step of the window (s)."),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

pub static SPATIALLY_SEPARABLE: Operator = Operator {
    name: "spatially_separable_conv2d",
    title: "spatially separable conv (k×1 then 1×k)",
    summary: "A k×1 conv then a 1×k conv equals one k×k conv whose kernel is their outer product, with 2k weights instead of k².",
    schema: SPATIAL_SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_spatially_separable,
};

fn run_spatially_separable(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c, k, p, s) =
        (params.usize("channels"), params.usize("kernel_size"), params.usize("padding"), params.usize("stride"));
    let x = input_tensor(params, "channels", edits);
    let input_shape = [1, c, x.shape()[2], x.shape()[3]];
    let column = weight_tensor(params, [c, 1, k, 1], 0, &Edits::new());
    let row = weight_tensor(params, [c, 1, 1, k], 7, &Edits::new());
    let full = outer(&column, &row);
    check_taps(3 * c * input_shape[2] * input_shape[3] * k * k)?;

    let mut comp = Composite::new(&x);
    let column_pass = ConvArgs::new([s, 1], [p, 0], [1, 1], c);
    let t = comp.conv(
        Conv::Plain,
        comp.input,
        &column,
        column_pass,
        0,
        Names::new(("a", "column a (k×1)"), ("t", "column pass t")),
    )?;
    let row_pass = ConvArgs::new([1, s], [0, p], [1, 1], c);
    let y = comp.conv(Conv::Plain, t, &row, row_pass, 0, Names::new(("b", "row b (1×k)"), ("y", "output y")).last())?;
    let full_pass = ConvArgs::new([s, s], [p, p], [1, 1], c);
    comp.conv(
        Conv::Plain,
        comp.input,
        &full,
        full_pass,
        1,
        Names::new(("W", "W = a·b (k×k)"), ("y′", "full conv y′ = y")).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    Ok(Run {
        formula: crate::text::same_all(vec![
            format!("H_out = ⌊(H + 2p − k)/s⌋ + 1 = ⌊({} + 2·{p} − {k})/{s}⌋ + 1 = {oh}; W_out = {ow}", input_shape[2]),
            format!(
                "W[i, j] = a[i] · b[j]: the column pass (stride {s}, padding {p} on rows) then the row pass (on columns)"
            ),
        ]),
        facts: crate::text::same_all(comp.factorisation_facts(["C·k + C·k", "C·k²"], [" (column a, row b)", " (W)"], "separable")),
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

/// `W[c, 0, i, j] = column[c, 0, i, 0] · row[c, 0, 0, j]`.
pub fn outer(column: &Array4<f32>, row: &Array4<f32>) -> Array4<f32> {
    let (c, _, k, _) = column.dim();
    let kw = row.shape()[3];
    Array4::from_shape_fn((c, 1, k, kw), |(ch, _, i, j)| column[[ch, 0, i, 0]] * row[[ch, 0, 0, j]])
}

pub static DEPTHWISE_SEPARABLE: Operator = Operator {
    name: "depthwise_separable_conv2d",
    title: "depthwise-separable conv (depthwise then 1×1)",
    summary: "A depthwise k×k conv (one kernel per channel, groups = C) then a pointwise 1×1 conv mixing channels, beside the full conv it replaces.",
    schema: DEPTHWISE_SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_depthwise_separable,
};

fn run_depthwise_separable(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("kernel_size"));
    let (p, s) = (params.usize("padding"), params.usize("stride"));
    let x = input_tensor(params, "in_channels", edits);
    let input_shape = [1, c, x.shape()[2], x.shape()[3]];
    let depthwise = weight_tensor(params, [c, 1, k, k], 0, &Edits::new());
    let pointwise = weight_tensor(params, [c_out, c, 1, 1], 7, &Edits::new());
    let full = weight_tensor(params, [c_out, c, k, k], 13, &Edits::new());
    check_taps(2 * c * c_out * input_shape[2] * input_shape[3] * k * k)?;

    let mut comp = Composite::new(&x);
    let depthwise_pass = ConvArgs::new([s, s], [p, p], [1, 1], c);
    let t = comp.conv(
        Conv::Plain,
        comp.input,
        &depthwise,
        depthwise_pass,
        0,
        Names::new(("d", "depthwise d"), ("t", "depthwise t")),
    )?;
    let pointwise_names = Names::new(("q", "pointwise q (1×1)"), ("y", "output y")).last();
    let y = comp.conv(Conv::Plain, t, &pointwise, ConvArgs::square(1, 0, 1, 1), 0, pointwise_names)?;
    let full_pass = ConvArgs::new([s, s], [p, p], [1, 1], 1);
    comp.conv(
        Conv::Plain,
        comp.input,
        &full,
        full_pass,
        1,
        Names::new(("W", "full kernel W"), ("y′", "full conv y′")).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    let (depthwise, pointwise, dense) = (comp.weights(0), comp.weights(1), comp.weights(2));
    Ok(Run {
        formula: crate::text::same_all(vec![
            format!(
                "weights: C·k² + C·C_out = {depthwise} + {pointwise} = {}  vs  C·C_out·k² = {dense}",
                depthwise + pointwise
            ),
            format!(
                "ratio 1/C_out + 1/k² = {:.3} (e.g. 16 → 32 channels, 3×3: 16·9 + 16·32 = 656 vs 4608)",
                (depthwise + pointwise) as f64 / dense as f64
            ),
        ]),
        facts: crate::text::same_all(vec![format!(
            "multiply-adds: {} depthwise + {} pointwise vs {} full (output {oh}×{ow})",
            products_text(&comp.work(0)),
            products_text(&comp.work(1)),
            products_text(&comp.work(2))
        )]),
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}
