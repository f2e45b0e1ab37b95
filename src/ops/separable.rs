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
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;

const KERNEL_PRESETS: &[(&str, &str)] = &[
    ("edge", "separable-preset-sobel"),
    ("ones", "separable-preset-box"),
    ("random", "separable-preset-random"),
];

static SPATIAL_SCHEMA: &[ParamSpec] = &[
    controls::height(5),
    controls::width(5),
    ParamSpec::int("kernel_size", "separable-kernel-size", 1, 7, 3, "separable-spatial-kernel-help"),
    ParamSpec::int("padding", "separable-padding", 0, 3, 1, "separable-spatial-padding-help"),
    ParamSpec::int("stride", "separable-stride", 1, 3, 1, "separable-spatial-stride-help"),
    ParamSpec::int("channels", "separable-channels", 1, 3, 1, "separable-channels.help"),
    ParamSpec::choice("weight_values", "separable-kernel", KERNEL_PRESETS, "edge", "separable-kernel.help"),
    controls::INPUT_VALUES,
    controls::SEED,
];

static DEPTHWISE_SCHEMA: &[ParamSpec] = &[
    controls::height(4),
    controls::width(4),
    ParamSpec::int("in_channels", "separable-in-channels", 1, 4, 2, "separable-in-channels.help"),
    ParamSpec::int("out_channels", "separable-out-channels", 1, 4, 3, "separable-out-channels.help"),
    ParamSpec::int("kernel_size", "separable-kernel-size", 1, 5, 3, "separable-depthwise-kernel-help"),
    ParamSpec::int("padding", "separable-padding", 0, 3, 1, "separable-padding.help"),
    ParamSpec::int("stride", "separable-stride", 1, 3, 1, "separable-stride.help"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

pub static SPATIALLY_SEPARABLE: Operator = Operator {
    name: "spatially_separable_conv2d",
    title: "separable-spatial",
    summary: "separable-spatial.summary",
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
        Names::new(("a", msg!("separable-column-a")), ("t", msg!("separable-column-pass-t"))),
    )?;
    let row_pass = ConvArgs::new([1, s], [0, p], [1, 1], c);
    let y = comp.conv(Conv::Plain, t, &row, row_pass, 0, Names::new(("b", msg!("separable-row-b")), ("y", msg!("grid-output", sym = "y"))).last())?;
    let full_pass = ConvArgs::new([s, s], [p, p], [1, 1], c);
    comp.conv(
        Conv::Plain,
        comp.input,
        &full,
        full_pass,
        1,
        Names::new(("W", msg!("separable-outer-w")), ("y′", msg!("separable-full-equal"))).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            Msg::same(format!(
                "H_out = ⌊(H + 2p − k)/s⌋ + 1 = ⌊({} + 2·{p} − {k})/{s}⌋ + 1 = {oh}; W_out = {ow}",
                input_shape[2]
            )),
            msg!("separable-spatial-passes", s = s, p = p),
        ],
        facts: comp.factorisation_facts(
            ["C·k + C·k", "C·k²"],
            [msg!("separable-note-column-row"), msg!("separable-note-w")],
            msg!("separable-kind-separable"),
        ),
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
    title: "separable-depthwise",
    summary: "separable-depthwise.summary",
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
        Names::new(("d", msg!("separable-depthwise-d")), ("t", msg!("separable-depthwise-t"))),
    )?;
    let pointwise_names = Names::new(("q", msg!("separable-pointwise-q")), ("y", msg!("grid-output", sym = "y"))).last();
    let y = comp.conv(Conv::Plain, t, &pointwise, ConvArgs::square(1, 0, 1, 1), 0, pointwise_names)?;
    let full_pass = ConvArgs::new([s, s], [p, p], [1, 1], 1);
    comp.conv(
        Conv::Plain,
        comp.input,
        &full,
        full_pass,
        1,
        Names::new(("W", msg!("separable-full-kernel")), ("y′", msg!("separable-full-conv"))).last(),
    )?;
    let [oh, ow] = [2, 3].map(|a| comp.values(y).shape()[a]);
    let (depthwise, pointwise, dense) = (comp.weights(0), comp.weights(1), comp.weights(2));
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!(
                "separable-depthwise-weights",
                depthwise = depthwise,
                pointwise = pointwise,
                sum = depthwise + pointwise,
                dense = dense
            ),
            msg!("separable-depthwise-ratio", ratio = format!("{:.3}", (depthwise + pointwise) as f64 / dense as f64)),
        ],
        facts: vec![msg!(
            "separable-depthwise-products",
            depthwise = products_text(&comp.work(0)),
            pointwise = products_text(&comp.work(1)),
            full = products_text(&comp.work(2)),
            size = format!("{oh}×{ow}")
        )],
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}
