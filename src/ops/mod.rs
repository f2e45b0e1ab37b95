//! The one registry of operators.
//!
//! Every operator is one file in this folder implementing [`Operator`], listed once in
//! [`OPERATORS`]. The page's operator menu and sliders, the URL, the CLI's op names and the
//! snapshot tests all come from that list; nothing else names an operator.

use std::collections::BTreeMap;

use ndarray::Array4;

use crate::args::EvalOp;
use crate::params::{ParamError, ParamSpec, Params};
pub use crate::text::Msg;
use crate::trace::{GridId, Operands, ParamMap, Trace};

pub mod code;
pub mod compose;
pub mod sig;

/// Declares each operator module and lists its operators in [`OPERATORS`], in menu order.
macro_rules! operators {
    ($($module:ident => [$($op:ident),+],)+) => {
        $(pub mod $module;)+
        /// Every operator, in menu order. Adding an operator is one file plus one line here.
        pub static OPERATORS: &[&Operator] = &[$($(&$module::$op),+),+];
    };
}

operators! {
    conv2d => [CONV2D],
    conv_transpose2d => [CONV_TRANSPOSE2D],
    interpolate => [INTERPOLATE],
    pool => [MAX_POOL2D, AVG_POOL2D],
    pixel_shuffle => [PIXEL_SHUFFLE, DEPTH_TO_SPACE, PIXEL_UNSHUFFLE],
    bilinear_additive => [BILINEAR_ADDITIVE],
    decoder => [DECOMPOSED_CONV_TRANSPOSE, SEPARABLE_CONV_TRANSPOSE, RESIDUAL_UPSAMPLE],
    resize_conv => [RESIZE_CONV2D],
    round_trip => [CONV_ROUND_TRIP],
    fcn => [FCN_SKIPS],
    checkerboard => [CHECKERBOARD],
    receptive_field => [RECEPTIVE_FIELD],
    aspp => [ASPP],
    shift_and_stitch => [SHIFT_AND_STITCH],
    deform => [DEFORM_CONV2D],
    roi => [ROI_POOLING],
    separable => [DEPTHWISE_SEPARABLE, SPATIALLY_SEPARABLE],
}

/// Looks an operator up by its PyTorch name.
pub fn find(name: &str) -> Option<&'static Operator> {
    OPERATORS.iter().copied().find(|op| op.name == name)
}

/// Every operation `convscope eval` answers, in menu order of the operators that own them.
pub fn eval_ops() -> impl Iterator<Item = &'static EvalOp> {
    OPERATORS.iter().flat_map(|op| op.evals.iter())
}

/// The operation `convscope eval` answers for `name`.
pub fn find_eval(name: &str) -> Option<&'static EvalOp> {
    eval_ops().find(|op| op.name == name)
}

/// Most multiply-adds (taps) one animation may hold; larger settings are refused with a
/// message instead of freezing the tab.
pub const MAX_TAPS: usize = 400_000;

/// One operator, as one static: what the page, the URL and the CLI know of it, and how it runs
/// for the page.
pub struct Operator {
    /// PyTorch's name, e.g. `conv_transpose2d`; also the `op` of the URL.
    pub name: &'static str,
    /// Menu label.
    pub title: &'static str,
    /// One sentence for the page.
    pub summary: &'static str,
    /// The controls, with ranges and defaults.
    pub schema: &'static [ParamSpec],
    /// The `convscope eval` operations it answers, with PyTorch's names and signatures (an
    /// analysis view may answer several, e.g. `receptive_field` and `path_counts`; a
    /// composite view none).
    pub evals: &'static [EvalOp],
    /// Derives controls from others before a run (e.g. a preset fills in its layers);
    /// [`keep`] for most.
    pub expand: fn(&mut Params),
    /// Builds the tensors the controls describe (with the user's cell edits), checks the
    /// geometry and runs the operator with a trace.
    pub run: fn(&Params, &Edits) -> Result<Run, ParamError>,
}

impl std::fmt::Debug for Operator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The `expand` of an operator whose controls derive nothing.
pub fn keep(_params: &mut Params) {}

impl Operator {
    pub fn expand(&self, params: &mut Params) {
        (self.expand)(params)
    }
    pub fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        (self.run)(params, edits)
    }
}

/// The result of running an operator for the page.
#[derive(Clone, Debug)]
pub struct Run {
    pub trace: Trace,
    /// The output size formula with the current numbers substituted, one line per axis.
    pub formula: Vec<Msg>,
    /// Short facts shown beside the formula (weights, multiply-adds).
    pub facts: Vec<Msg>,
    /// Grids whose cells the user may edit, with the tensor each one shows.
    pub editable: Vec<Editable>,
    /// Clicking a cell of this grid chooses something (e.g. the output pixel of a gridding
    /// map); `None` for most operators.
    pub pick: Option<Pick>,
    /// The PyTorch call that gives the same output ("Copy as PyTorch"); `None` for the
    /// views that do not have one yet.
    pub pytorch: Option<crate::ops::code::Program>,
    /// What the formula works out (the output's height and width, a stack's field), for
    /// practice mode to ask; each is computed where its formula line is.
    pub quantities: Vec<Quantity>,
}

/// What a [`Quantity`] measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// The output's height and width.
    Height,
    Width,
    /// A layer stack's receptive-field size, effective stride, and whether the map of one
    /// output pixel has holes (1) or not (0).
    FieldSize,
    Stride,
    Holes,
}

/// A number a formula works out: `line` states it (the page shows that line, or its
/// equivalent, among the formulas), `hint` is the same working with the result left as `?`.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    pub measure: Measure,
    pub value: usize,
    pub line: Msg,
    pub hint: Msg,
}

impl Quantity {
    /// A quantity whose line is `{lhs} = {rule} = {numbers} = {value}`.
    pub fn worked(measure: Measure, value: usize, lhs_rule: &str, numbers: &str) -> Quantity {
        Quantity {
            measure,
            value,
            line: Msg::same(format!("{lhs_rule} = {numbers} = {value}")),
            hint: Msg::same(format!("{lhs_rule} = {numbers} = ?")),
        }
    }
}

/// Clicking a cell of `grid` sets two controls from the cell's centre (see [`ParamMap`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pick {
    pub grid: GridId,
    pub map: ParamMap,
}

/// A grid that shows a tensor the user may edit (the input or the weight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Editable {
    pub grid: GridId,
    pub tensor: Tensor,
}

impl Editable {
    /// The input grid alone.
    pub fn input(grid: GridId) -> Vec<Editable> {
        vec![Editable { grid, tensor: Tensor::Input }]
    }

    /// A traced operator's input and weight grids.
    pub fn operands(ids: Operands) -> Vec<Editable> {
        let weight = ids.weight.map(|grid| Editable { grid, tensor: Tensor::Weight });
        Editable::input(ids.input).into_iter().chain(weight).collect()
    }
}

/// The tensors a user can edit cell by cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tensor {
    Input,
    Weight,
    /// The offsets of a deformable conv, edited by dragging sampling points.
    Offset,
}

impl Tensor {
    pub fn key(self) -> &'static str {
        match self {
            Tensor::Input => "x",
            Tensor::Weight => "w",
            Tensor::Offset => "o",
        }
    }

    /// What the tensor is, in words.
    pub fn name(self) -> &'static str {
        match self {
            Tensor::Input => "tensor-input",
            Tensor::Weight => "tensor-weight",
            Tensor::Offset => "tensor-offset",
        }
    }

    pub fn from_key(key: &str) -> Option<Tensor> {
        match key {
            "x" => Some(Tensor::Input),
            "w" => Some(Tensor::Weight),
            "o" => Some(Tensor::Offset),
            _ => None,
        }
    }
}

/// Cell values typed in by the user, by tensor and NCHW index; applied over the presets.
pub type Edits = BTreeMap<(Tensor, [usize; 4]), f32>;

/// Controls every convolution shares, in PyTorch's names. Labels and help are message ids of
/// `i18n/*/ops-common.ftl` (help as the `.help` attribute of the label's message).
pub mod controls {
    use crate::params::ParamSpec;

    pub const VALUE_PRESETS: &[(&str, &str)] = &[
        ("random", "ops-preset-random"),
        ("ones", "ops-preset-ones"),
        ("impulse", "ops-preset-impulse"),
        ("edge", "ops-preset-edge"),
        ("channel", "ops-preset-channel"),
        ("blob", "ops-preset-blob"),
    ];

    /// The options of a yes-or-no control, in PyTorch's words.
    pub const FALSE_TRUE: &[(&str, &str)] = &[("false", "ops-false"), ("true", "ops-true")];
    /// The channel controls of a conv: in, out, groups and bias.
    pub const CONV_CHANNELS: [ParamSpec; 4] = [IN_CHANNELS, OUT_CHANNELS, GROUPS, BIAS];
    /// The value presets of an operator with a kernel, and their seed.
    pub const VALUES: [ParamSpec; 3] = [INPUT_VALUES, WEIGHT_VALUES, SEED];

    pub const fn height(default: i64) -> ParamSpec {
        ParamSpec::int("height", "ops-height", 1, 64, default, "ops-height.help")
    }
    pub const fn width(default: i64) -> ParamSpec {
        ParamSpec::int("width", "ops-width", 1, 64, default, "ops-width.help")
    }
    pub const IN_CHANNELS: ParamSpec =
        ParamSpec::int("in_channels", "ops-in-channels", 1, 8, 1, "ops-in-channels.help");
    pub const OUT_CHANNELS: ParamSpec =
        ParamSpec::int("out_channels", "ops-out-channels", 1, 8, 1, "ops-out-channels.help");
    pub const GROUPS: ParamSpec = ParamSpec::int("groups", "ops-groups", 1, 8, 1, "ops-groups.help");
    pub const KERNEL_SIZE: ParamSpec =
        ParamSpec::int("kernel_size", "ops-kernel-size", 1, 11, 3, "ops-kernel-size.help");
    pub const fn stride(default: i64) -> ParamSpec {
        ParamSpec::int("stride", "ops-stride", 1, 8, default, "ops-stride.help")
    }
    pub const PADDING: ParamSpec = ParamSpec::int("padding", "ops-padding", 0, 10, 0, "ops-padding.help");
    pub const DILATION: ParamSpec = ParamSpec::int("dilation", "ops-dilation", 1, 6, 1, "ops-dilation.help");
    /// Per-axis versions (a slider, or one per axis), for the operators that take
    /// PyTorch's int-or-pair arguments on the page.
    pub const KERNEL_SIZE2: ParamSpec =
        ParamSpec::int("kernel_size", "ops-kernel-size", 1, 11, 3, "ops-kernel-size.help-axes").per_axis();
    pub const fn stride2(default: i64) -> ParamSpec {
        ParamSpec::int("stride", "ops-stride", 1, 8, default, "ops-stride.help-axes").per_axis()
    }
    pub const PADDING2: ParamSpec =
        ParamSpec::int("padding", "ops-padding", 0, 10, 0, "ops-padding.help-axes").per_axis();
    pub const DILATION2: ParamSpec =
        ParamSpec::int("dilation", "ops-dilation", 1, 6, 1, "ops-dilation.help-axes").per_axis();
    const BIAS_OPTIONS: &[(&str, &str)] = &[("off", "ops-bias-off"), ("on", "ops-bias-on")];
    pub const BIAS: ParamSpec = ParamSpec::choice("bias", "ops-bias", BIAS_OPTIONS, "off", "ops-bias.help");
    pub const INPUT_VALUES: ParamSpec =
        ParamSpec::choice("input_values", "ops-input-values", VALUE_PRESETS, "random", "ops-input-values.help");
    pub const WEIGHT_VALUES: ParamSpec =
        ParamSpec::choice("weight_values", "ops-weight-values", VALUE_PRESETS, "random", "ops-weight-values.help");
    pub const SEED: ParamSpec = ParamSpec::int("seed", "ops-seed", 0, 9999, 1, "ops-seed.help");
}

/// The input tensor the controls describe: shape `[1, params[channels], height, width]`, values
/// from the `input_values` preset and `seed`, then the user's edits.
pub fn input_tensor(params: &Params, channels: &str, edits: &Edits) -> Array4<f32> {
    let shape = input_shape(params, channels);
    preset_tensor(params.choice("input_values"), shape, params.int("seed") as u64, Tensor::Input, edits)
}

/// What a traced computation returns: its output and the grids it added.
pub type Traced = (Array4<f32>, Operands);

/// Refuses a tensor without cells: `what` is the tensor (`input`, `weight`), `control` the
/// control to name.
pub fn nonempty(what: &str, control: &str, shape: [usize; 4]) -> Result<(), ParamError> {
    if shape.contains(&0) {
        let shape = Msg::same(format!("{shape:?}"));
        let message = match what {
            "input" => crate::msg!("ops-nonempty-input", shape = shape),
            "weight" => crate::msg!("ops-nonempty-weight", shape = shape),
            _ => crate::msg!("ops-nonempty", what = what, shape = shape),
        };
        return Err(ParamError::new(control, message));
    }
    Ok(())
}

/// The input's shape `[1, C, H, W]` from the controls `channels`, `height` and `width`.
pub fn input_shape(params: &Params, channels: &str) -> [usize; 4] {
    [1, params.usize(channels), params.usize("height"), params.usize("width")]
}

/// A weight tensor from the `weight_values` preset; `salt` tells an operator's several weight
/// tensors apart (0 for the first), `edits` applies to editable ones.
pub fn weight_tensor(params: &Params, shape: [usize; 4], salt: u64, edits: &Edits) -> Array4<f32> {
    let seed = (params.int("seed") as u64).wrapping_add(salt);
    preset_tensor(params.choice("weight_values"), shape, seed, Tensor::Weight, edits)
}

/// Tensor values from a preset name (see [`controls::VALUE_PRESETS`]), then the user's edits.
pub fn preset_tensor(preset: &str, shape: [usize; 4], seed: u64, tensor: Tensor, edits: &Edits) -> Array4<f32> {
    let [_, _, h, w] = shape;
    let mut rng = fastrand::Rng::with_seed(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ tensor as u64);
    let (low, high) = match tensor {
        Tensor::Input => (-2, 2),
        Tensor::Weight | Tensor::Offset => (-1, 1),
    };
    let mut array = Array4::from_shape_fn(shape, |(_, channel, row, col)| match preset {
        "ones" => 1.0,
        "channel" => channel as f32,
        // A soft blob a third down and two thirds across: an "object" to attend to.
        "blob" => {
            let (cy, cx) = (h as f32 / 3.0, w as f32 * 2.0 / 3.0);
            let sigma = (h.max(w) as f32 / 5.0).max(0.8);
            let d2 = (row as f32 - cy).powi(2) + (col as f32 - cx).powi(2);
            (4.0 * (-d2 / (2.0 * sigma * sigma)).exp()).round()
        }
        "impulse" => f32::from(row == h / 2 && col == w / 2),
        "edge" => match tensor {
            // A vertical step: dark on the left, bright on the right.
            Tensor::Input => f32::from(2 * col >= w),
            // Sobel generalised to k: binomial smoothing down the rows times a sign across.
            Tensor::Weight | Tensor::Offset if w == 1 => binomial(h - 1, row) as f32,
            Tensor::Weight | Tensor::Offset => {
                binomial(h - 1, row) as f32 * (w as i64 - 1 - 2 * col as i64).signum() as f32
            }
        },
        _ => rng.i32(low..=high) as f32,
    });
    for (&(edit_tensor, index), &value) in edits {
        if edit_tensor == tensor
            && let Some(cell) = array.get_mut(index)
        {
            *cell = value;
        }
    }
    array
}

fn binomial(n: usize, k: usize) -> u64 {
    (0..k).fold(1u64, |acc, i| acc * (n - i) as u64 / (i as u64 + 1))
}

/// Refuses a setting whose animation would hold more than [`MAX_TAPS`] taps.
pub fn check_taps(n_taps: usize) -> Result<(), ParamError> {
    if n_taps > MAX_TAPS {
        return Err(ParamError::general(crate::msg!("ops-too-many-taps", n = n_taps, max = MAX_TAPS)));
    }
    Ok(())
}

pub use crate::counts::group_digits;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_schemas_have_sane_ranges() {
        let mut names: Vec<_> = OPERATORS.iter().map(|op| op.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), OPERATORS.len());
        for op in OPERATORS {
            for spec in op.schema {
                if let crate::params::ParamKind::Int { min, max, default, .. } = spec.kind {
                    assert!(min <= default && default <= max, "{}.{}", op.name, spec.name);
                }
            }
        }
    }

    #[test]
    fn every_operator_runs_at_its_defaults() {
        for op in OPERATORS {
            let run = op.run(&Params::defaults(op.schema), &Edits::new());
            assert!(run.is_ok(), "{}: {:?}", op.name, run.err());
        }
    }

    #[test]
    fn edge_kernel_is_sobel_at_three() {
        let k = preset_tensor("edge", [1, 1, 3, 3], 0, Tensor::Weight, &Edits::new());
        let flat: Vec<f32> = k.iter().copied().collect();
        assert_eq!(flat, [1.0, 0.0, -1.0, 2.0, 0.0, -2.0, 1.0, 0.0, -1.0]);
    }

    #[test]
    fn presets_are_reproducible_and_edits_apply() {
        let mut edits = Edits::new();
        edits.insert((Tensor::Input, [0, 0, 1, 1]), 9.0);
        let a = preset_tensor("random", [1, 2, 4, 4], 7, Tensor::Input, &edits);
        let b = preset_tensor("random", [1, 2, 4, 4], 7, Tensor::Input, &edits);
        assert_eq!(a, b);
        assert_eq!(a[[0, 0, 1, 1]], 9.0);
        assert!(a.iter().all(|v| (-2.0..=9.0).contains(v)));
        assert_eq!(group_digits(1_234_567), "1,234,567");
    }
}
