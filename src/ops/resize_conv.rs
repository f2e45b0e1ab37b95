//! `resize_conv2d`: resize-convolution (Odena, Dumoulin & Olah, "Deconvolution and
//! Checkerboard Artifacts", Distill 2016) — upsample by nearest or bilinear interpolation,
//! then a stride-1 conv. Every output cell sums the same number of products, so none is
//! favoured: the standard cure for the checkerboard pattern of transposed convs. The page
//! shows the upsampled grid, then the sweep; `convscope eval` answers `resize_conv2d`, equal to
//! `F.conv2d(F.interpolate(input, scale_factor, mode, align_corners), weight, bias, …)`.

use ndarray::{Array1, Array4};

use super::compose::{Composite, Conv, Names};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d, shape4};
use super::interpolate::{InterpolateGeometry, MODE_BILINEAR, MODE_NEAREST, Mode, interpolate};
use super::{Editable, Edits, Operator, Run, Tensor, check_taps, controls, input_tensor, sig, weight_tensor};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, Tensor as ArgTensor, check_cost, product};
use crate::counts::products_text;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params, schema};
use crate::text::Msg;
use crate::trace::{CellKind, Source, Trace};

/// A checked resize-convolution: the resize, then the conv on the resized input.
#[derive(Clone, Debug)]
pub struct ResizeConvGeometry {
    pub resize: InterpolateGeometry,
    pub conv: Conv2dGeometry,
}

impl ResizeConvGeometry {
    /// `mode` is nearest or bilinear; `bias_len` the bias's length, if there is a bias.
    pub fn new(
        input: [usize; 4],
        (mode, scale, align_corners): (Mode, [f64; 2], bool),
        weight: [usize; 4],
        bias_len: Option<usize>,
        args: ConvArgs,
    ) -> Result<ResizeConvGeometry, ParamError> {
        let resize = InterpolateGeometry::new(input, mode, None, Some(scale), align_corners, false)?;
        let conv = Conv2dGeometry::new(resize.output, weight, bias_len, args)?;
        Ok(ResizeConvGeometry { resize, conv })
    }

    /// Multiply-adds of the conv plus the resize's reads.
    fn work(&self) -> u128 {
        let taps = if self.resize.mode == Mode::Bilinear { 4 } else { 1 };
        product(&self.resize.output).saturating_mul(taps).saturating_add(self.conv.n_taps() as u128)
    }
}

/// Resize, then convolve.
pub fn resize_conv2d(x: &Array4<f32>, w: &Array4<f32>, b: Option<&Array1<f32>>, g: &ResizeConvGeometry) -> Array4<f32> {
    conv2d(&interpolate(x, &g.resize), w, b, &g.conv)
}

const MODES: &[(&str, &str)] = &[MODE_NEAREST, MODE_BILINEAR];
const MODE: ParamSpec = ParamSpec::choice("mode", "resample-resize-mode", MODES, "nearest", "resample-resize-mode.help");
const SCALE: ParamSpec = ParamSpec::int("scale_factor", "resample-scale-factor", 1, 4, 2, "resample-resize-scale-help");
const ALIGN: ParamSpec = ParamSpec::choice(
    "align_corners",
    "resample-align-corners",
    controls::FALSE_TRUE,
    "false",
    "resample-resize-align-help",
);
const KERNEL: ParamSpec = ParamSpec::int("kernel_size", "resample-kernel-size", 1, 7, 3, "resample-resize-kernel-help");
const PADDING: ParamSpec = ParamSpec::int("padding", "resample-padding", 0, 3, 1, "resample-resize-padding-help");
const CHANNELS: [ParamSpec; 2] = [
    ParamSpec::int("in_channels", "resample-in-channels", 1, 3, 1, "resample-in-channels.help"),
    ParamSpec::int("out_channels", "resample-out-channels", 1, 3, 1, "resample-out-channels.help"),
];

static SCHEMA: [ParamSpec; 12] = schema(&[
    &[MODE, SCALE, ALIGN, controls::height(3), controls::width(3), KERNEL, PADDING],
    &CHANNELS,
    &controls::VALUES,
]);

pub static RESIZE_CONV2D: Operator = Operator {
    name: "resize_conv2d",
    title: "resample-resize-conv",
    summary: "resample-resize-conv.summary",
    schema: &SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_resize_conv2d,
};

fn run_resize_conv2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let mode = if params.choice("mode") == "bilinear" { Mode::Bilinear } else { Mode::Nearest };
    let s = params.usize("scale_factor");
    let (c_in, c_out, k) = (params.usize("in_channels"), params.usize("out_channels"), params.usize("kernel_size"));
    let weight_shape = [c_out, c_in, k, k];
    let args = ConvArgs::square(1, params.usize("padding"), 1, 1);
    let resize = (mode, [s as f64; 2], params.choice("align_corners") == "true");
    let g = ResizeConvGeometry::new(super::input_shape(params, "in_channels"), resize, weight_shape, None, args)
        .map_err(|e| if e.param.as_deref() == Some("height") { ParamError::new("scale_factor", e.message) } else { e })?;
    check_taps(usize::try_from(g.work()).unwrap_or(usize::MAX))?;
    let x = input_tensor(params, "in_channels", edits);
    let w = weight_tensor(params, weight_shape, 0, edits);

    let mut comp = Composite::new(&x);
    let up = comp.resize(comp.input, &g.resize, 0, Names::output(("u", msg!("resample-resize-upsampled"))));
    let out_names = Names::new(("w", msg!("grid-weight", sym = "w")), ("y", msg!("grid-output", sym = "y"))).last();
    comp.conv(Conv::Plain, up, &w, args, 0, out_names)?;
    let weight = comp.weight_grid(1).expect("the conv pass has a weight");
    let [_, _, h, wd] = g.resize.input;
    let [_, _, hu, wu] = g.resize.output;
    let [_, _, ho, wo] = g.conv.output;
    let p = args.padding[0];
    let align = if mode == Mode::Bilinear { format!(", align_corners={}", params.choice("align_corners")) } else { String::new() };
    let formula = vec![
        Msg::same(format!("u = interpolate(x, scale_factor={s}, mode='{}'{align}): {h}×{wd} → {hu}×{wu}", params.choice("mode"))),
        Msg::same(format!("y = conv2d(u, w, stride=1, padding={p}): H_out = H_u + 2·{p} − ({k} − 1) = {hu} + {} − {} = {ho}; W_out = {wo}", 2 * p, k - 1)),
    ];
    let resize_work = comp.work(0);
    let reads = if mode == Mode::Bilinear {
        msg!("resample-resize-samples", n = resize_work.samples, corners = resize_work.corners)
    } else {
        msg!("resample-resize-copies", n = resize_work.reads)
    };
    let facts = vec![
        msg!(
            "resample-resize-weights",
            formula = format!("C_out·C_in·k² = {c_out}·{c_in}·{k}²"),
            n = comp.weights(1)
        ),
        msg!("resample-resize-work", reads = reads, products = products_text(&comp.work(1))),
        evenness(&comp.trace, comp.stages(1)),
    ];
    Ok(Run {
        quantities: Vec::new(),
        formula,
        facts,
        editable: vec![Editable { grid: comp.input, tensor: Tensor::Input }, Editable { grid: weight, tensor: Tensor::Weight }],
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

/// The verdict on the checkerboard, read off the conv's sweep (the weighted writes of stages
/// `stages`): how many products of data (not padding) each output cell sums, over the cells
/// whose window stays inside the upsampled grid.
fn evenness(trace: &Trace, stages: std::ops::Range<usize>) -> Msg {
    let counts: Vec<(usize, bool)> = trace
        .steps
        .iter()
        .filter(|step| stages.contains(&step.stage))
        .flat_map(|step| &step.writes)
        .filter(|write| !write.taps.is_empty() && write.taps.iter().all(|t| t.weight.is_some()))
        .map(|write| {
            let data = write
                .taps
                .iter()
                .filter(|t| matches!(t.source, Source::Cell(c) if trace.grids[c.grid].kind(c.index) == CellKind::Value))
                .count();
            (data, data == write.taps.len())
        })
        .collect();
    let interior: Vec<usize> = counts.iter().filter(|(_, inside)| *inside).map(|(n, _)| *n).collect();
    match (interior.iter().min(), interior.iter().max()) {
        (Some(lo), Some(hi)) if lo == hi => {
            // Written as plain numbers (the facts test reads them back).
            msg!(
                "resample-resize-even",
                n = *lo,
                inside = interior.len().to_string(),
                all = counts.len().to_string()
            )
        }
        (Some(lo), Some(hi)) => msg!("resample-resize-uneven", lo = lo.to_string(), hi = hi.to_string()),
        _ => msg!("resample-resize-all-padding"),
    }
}

static EVALS: &[EvalOp] = &[EvalOp {
    name: "resize_conv2d",
    signature: &[
        sig::INPUT4,
        sig::WEIGHT,
        sig::BIAS,
        ArgSpec::new("scale_factor", Kind::FloatOrList { min: 0.0, max: 1.0e6 }, Default::Required),
        ArgSpec::new("mode", Kind::Word(&["nearest", "bilinear"]), Default::Word("nearest")),
        ArgSpec::new("align_corners", Kind::Bool, Default::None),
        sig::STRIDE,
        sig::CONV_PADDING,
        sig::DILATION,
        sig::GROUPS,
    ],
    reference: "torch.nn.functional.conv2d(torch.nn.functional.interpolate(input, scale_factor=scale_factor, mode=mode, align_corners=align_corners), weight, bias, stride, padding, dilation, groups)",
    answer: eval_resize_conv2d,
}];

fn eval_resize_conv2d(args: &Args) -> Result<Answer, String> {
    let x = args.tensor("input")?.into_array4();
    let w = args.tensor("weight")?.into_array4();
    let b = args.opt_tensor("bias")?.map(ArgTensor::into_array1);
    let mode = Mode::from_name(args.word("mode")?).expect("the signature lists only known modes");
    let align_corners = args.opt_bool("align_corners")?;
    if align_corners.is_some() && !mode.interpolates() {
        return Err("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear".into());
    }
    let scale = args.opt_float_list("scale_factor", 2)?.expect("scale_factor is required");
    let conv_args = ConvArgs::from_args(args, [w.shape()[2], w.shape()[3]])?;
    let resize = (mode, [scale[0], scale[1]], align_corners.unwrap_or(false));
    let g = ResizeConvGeometry::new(shape4(&x), resize, shape4(&w), b.as_ref().map(|b| b.len()), conv_args)
        .map_err(|e| e.message)?;
    check_cost(product(&g.resize.output).saturating_add(product(&g.conv.output)), g.work())?;
    Ok(Answer::tensor4(resize_conv2d(&x, &w, b.as_ref(), &g), false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_then_a_ones_kernel_sums_k_squared_copies() {
        // Nearest ×2 of a 1×1 input of 5, then a 3×3 ones conv without padding: 9·5.
        let g = ResizeConvGeometry::new([1, 1, 2, 2], (Mode::Nearest, [2.0; 2], false), [1, 1, 3, 3], None, ConvArgs::square(1, 0, 1, 1))
            .unwrap();
        let x = Array4::from_elem((1, 1, 2, 2), 5.0);
        let y = resize_conv2d(&x, &Array4::ones((1, 1, 3, 3)), None, &g);
        assert_eq!(y.shape(), [1, 1, 2, 2]);
        assert!(y.iter().all(|&v| v == 45.0));
    }

    #[test]
    fn the_page_states_evenness_from_its_trace() {
        let run = run_resize_conv2d(&Params::defaults(&SCHEMA), &Edits::new()).unwrap();
        assert!(run.facts[2].en().contains("sums 9 products of data"), "{:?}", run.facts);
    }
}
