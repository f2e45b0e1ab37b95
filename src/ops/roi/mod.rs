//! RoI pooling: `deform_roi_pool` (Dai et al. 2017, mmcv `DeformRoIPool`: bins shifted by
//! γ·(RoI size)·offset, each the average of sampling_ratio² bilinear samples) with its
//! baselines `roi_align` (torchvision, `aligned` true/false) and `roi_pool` (torchvision,
//! quantised max), on the same RoI. Answers `convscope eval` for all three.

mod pooling;

use ndarray::Array4;

pub use pooling::{Method, Roi, RoiArgs, roi_pooling, roi_pooling_traced, roi_sample};

use super::code::{self, Call, Program, PyArg};
use super::conv2d::shape4;
use super::{Editable, Edits, Operator, Run, Tensor, controls, preset_tensor, sig};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, Tensor as ArgTensor};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{GridId, Handle, OffsetDrag, ParamMap, Setter, Trace, fmt_num};

const OFFSET_PRESETS: &[(&str, &str)] = &[
    ("zero", "deform-roi-offsets-zero"),
    ("shift", "deform-roi-offsets-shift"),
    ("spread", "deform-roi-offsets-spread"),
    ("random", "deform-roi-offsets-random"),
];

const fn half_cells(name: &'static str, label: &'static str, default: i64) -> ParamSpec {
    ParamSpec::int(name, label, 0, 32, default, "deform-roi-corner-help")
}

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "method",
        "deform-roi-method",
        &[
            ("deform", "deform-roi-method-deform"),
            ("align", "deform-roi-method-align"),
            ("pool", "deform-roi-method-pool"),
        ],
        "deform",
        "deform-roi-method.help",
    ),
    ParamSpec::choice(
        "aligned",
        "deform-roi-aligned",
        &[("true", "deform-roi-aligned-true"), ("false", "deform-roi-aligned-false")],
        "true",
        "deform-roi-aligned.help",
    ),
    half_cells("x1", "deform-roi-x1", 2),
    half_cells("y1", "deform-roi-y1", 3),
    half_cells("x2", "deform-roi-x2", 13),
    half_cells("y2", "deform-roi-y2", 12),
    ParamSpec::int("output_size", "deform-roi-output-size", 1, 4, 3, "deform-roi-output-size.help"),
    ParamSpec::int("sampling_ratio", "deform-roi-sampling-ratio", 1, 4, 2, "deform-roi-sampling-ratio.help"),
    ParamSpec::int("gamma", "deform-roi-gamma", 0, 10, 1, "deform-roi-gamma.help"),
    ParamSpec::choice("offsets", "deform-roi-offsets", OFFSET_PRESETS, "spread", "deform-roi-offsets.help"),
    ParamSpec::int("strength", "deform-roi-strength", 0, 20, 10, "deform-roi-strength.help"),
    controls::height(8),
    controls::width(8),
    ParamSpec::choice(
        "input_values",
        "deform-roi-input-values",
        controls::VALUE_PRESETS,
        "blob",
        "deform-roi-input-values.help",
    ),
    controls::SEED,
];

/// Bin offsets `[1, 2, ph, pw]`, x then y, from a preset.
pub fn bin_offsets(preset: &str, strength: f32, bins: usize, seed: u64) -> Array4<f32> {
    let mut rng = fastrand::Rng::with_seed(seed ^ 0xB1);
    let c = (bins as f32 - 1.0) / 2.0;
    Array4::from_shape_fn((1, 2, bins, bins), |(_, axis, r, q)| {
        let v = match preset {
            "shift" => strength * f32::from(axis == 0),
            "spread" => strength * if axis == 0 { q as f32 - c } else { r as f32 - c },
            "random" => strength * (rng.f32() * 2.0 - 1.0),
            _ => 0.0,
        };
        (v * 100.0).round() / 100.0
    })
}

pub static ROI_POOLING: Operator = Operator {
    name: "deform_roi_pool",
    title: "deform-roi-title",
    summary: "deform-roi-summary",
    schema: SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_roi_pooling,
};

fn run_roi_pooling(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let half = |name: &str| params.int(name) as f32 / 2.0;
    let (x1, y1, x2, y2) = (half("x1"), half("y1"), half("x2"), half("y2"));
    if x2 <= x1 {
        return Err(ParamError::new("x2", msg!("deform-roi-inverted-x", x2 = x2.to_string(), x1 = x1.to_string())));
    }
    if y2 <= y1 {
        return Err(ParamError::new("y2", msg!("deform-roi-inverted-y", y2 = y2.to_string(), y1 = y1.to_string())));
    }
    let (h, w) = (params.usize("height"), params.usize("width"));
    let x = preset_tensor(params.choice("input_values"), [1, 1, h, w], params.int("seed") as u64, Tensor::Input, edits);
    let bins = params.usize("output_size");
    let gamma = params.int("gamma") as f32 / 10.0;
    let method = match params.choice("method") {
        "align" => Method::Align { aligned: params.choice("aligned") == "true" },
        "pool" => Method::Pool,
        _ => Method::Deform { gamma: params.int("gamma") as f64 / 10.0 },
    };
    let strength = params.int("strength") as f32 / 10.0;
    let mut offset = bin_offsets(params.choice("offsets"), strength, bins, params.int("seed") as u64);
    // Dragged bins override the preset, offset by offset.
    for (&(tensor, index), &value) in edits {
        if let (Tensor::Offset, Some(cell)) = (tensor, offset.get_mut(index)) {
            *cell = value;
        }
    }
    let mut trace = Trace::default();
    let roi = [x1, y1, x2, y2];
    let ratio = params.int("sampling_ratio");
    let args = RoiArgs { output_size: [bins, bins], spatial_scale: 1.0, sampling_ratio: ratio, method };
    let full = [0.0, x1, y1, x2, y2].map(f64::from);
    let (y, ids) = roi_pooling_traced(&x, &[full], Some(&offset), args, &mut trace).map_err(ParamError::general)?;
    // RoIAlign and RoI pooling are torchvision calls; mmcv's deformable RoI pooling is a helper
    // built on RoIAlign (each bin a one-bin RoIAlign of its shifted box).
    let boxes = PyArg::Tensor(ndarray::arr2(&[[0.0, x1, y1, x2, y2]]).into_dyn());
    let pytorch = match method {
        Method::Align { aligned } => Some(
            Call::new("roi_align", "torchvision.ops.roi_align", y.into_dyn())
                .arg("input", code::tensor(&x))
                .arg("boxes", boxes)
                .arg("output_size", code::pair([bins, bins]))
                .arg("spatial_scale", PyArg::Float(1.0))
                .arg("sampling_ratio", PyArg::Int(ratio))
                .arg("aligned", PyArg::Bool(aligned)),
        ),
        Method::Pool => Some(
            Call::new("roi_pool", "torchvision.ops.roi_pool", y.into_dyn())
                .arg("input", code::tensor(&x))
                .arg("boxes", boxes)
                .arg("output_size", code::pair([bins, bins]))
                .arg("spatial_scale", PyArg::Float(1.0)),
        ),
        Method::Deform { .. } => Some(
            Call::new("deform_roi_pool", "deform_roi_pool", y.into_dyn())
                .helper(DEFORM_ROI_POOL_PY)
                .arg("input", code::tensor(&x))
                .arg("rois", boxes)
                .arg("offset", code::tensor(&offset))
                .arg("output_size", code::pair([bins, bins]))
                .arg("spatial_scale", PyArg::Float(1.0))
                .arg("sampling_ratio", PyArg::Int(ratio))
                .arg("gamma", PyArg::Float(params.int("gamma") as f64 / 10.0)),
        ),
    };
    if let (Method::Deform { .. }, true) = (method, gamma > 0.0) {
        bin_handles(&mut trace, ids.input, roi, bins, gamma, &offset);
    }
    corner_handles(&mut trace, ids.input, roi, method);
    let [x1, y1, x2, y2] = roi.map(fmt_num);
    Ok(Run {
        quantities: Vec::new(),
        formula: formula(method, roi, bins, gamma, params.usize("sampling_ratio")),
        facts: vec![msg!(
            "deform-roi-fact",
            x1 = x1,
            y1 = y1,
            x2 = x2,
            y2 = y2,
            size = format!("{h}×{w}"),
            bins = format!("{bins}×{bins}")
        )],
        editable: Editable::input(ids.input),
        pick: None,
        pytorch: pytorch.map(Program::single),
        trace,
    })
}

/// Bin handles (deformable only): each bin's centre, moved by γ·(RoI size)·offset from where
/// it sits without one; dragging it sets that bin's offsets.
fn bin_handles(
    trace: &mut Trace,
    grid: GridId,
    [x1, y1, x2, y2]: [f32; 4],
    bins: usize,
    gamma: f32,
    offset: &Array4<f32>,
) {
    let (rh, rw) = (y2 - y1, x2 - x1);
    for r in 0..bins {
        for q in 0..bins {
            let anchor =
                [y1 - 0.5 + (r as f32 + 0.5) * rh / bins as f32, x1 - 0.5 + (q as f32 + 0.5) * rw / bins as f32];
            let moved = [gamma * rh * offset[[0, 1, r, q]], gamma * rw * offset[[0, 0, r, q]]];
            let drag = OffsetDrag {
                anchor,
                entries: [[0, 1, r, q], [0, 0, r, q]],
                scale: [1.0 / (gamma * rh), 1.0 / (gamma * rw)],
            };
            let position = [anchor[0] + moved[0], anchor[1] + moved[1]];
            trace.handles.push(Handle { grid, position, step: None, setter: Setter::Offsets(drag) });
        }
    }
}

/// Corner handles: dragging them resizes (or, corner by corner, moves) the RoI. Their
/// positions are where the corners are drawn, in cell-centre coordinates.
fn corner_handles(trace: &mut Trace, grid: GridId, [x1, y1, x2, y2]: [f32; 4], method: Method) {
    let (lo, hi) = match method {
        Method::Pool => ([y1.round() - 0.5, x1.round() - 0.5], [y2.round() + 0.5, x2.round() + 0.5]),
        Method::Align { aligned: false } => ([y1, x1], [y2, x2]),
        _ => ([y1 - 0.5, x1 - 0.5], [y2 - 0.5, x2 - 0.5]),
    };
    // Where a corner is dropped, in cells, back to the corner coordinate (controls are in half
    // cells): + ½ for the half-pixel shift of aligned sampling and for the first rounded
    // cell's edge.
    let (lo_offset, hi_offset) = match method {
        Method::Pool => (0.5, -0.5),
        Method::Align { aligned: false } => (0.0, 0.0),
        _ => (0.5, 0.5),
    };
    for (position, params, offset) in [(lo, ["y1", "x1"], lo_offset), (hi, ["y2", "x2"], hi_offset)] {
        let map = ParamMap { params, offset: [-offset; 2], scale: 2.0, limits: None };
        trace.handles.push(Handle { grid, position, step: None, setter: Setter::Params(map) });
    }
}

fn formula(method: Method, [x1, y1, x2, y2]: [f32; 4], bins: usize, gamma: f32, ratio: usize) -> Vec<Msg> {
    let per_bin = |extent: f32| fmt_num(extent / bins as f32);
    let ratio = format!("{ratio}×{ratio}");
    match method {
        Method::Pool => vec![
            msg!(
                "deform-roi-pool-rounded",
                x1 = x1.round().to_string(),
                x2 = x2.round().to_string(),
                y1 = y1.round().to_string(),
                y2 = y2.round().to_string(),
                bin = format!("{}×{}", per_bin(y2.round() - y1.round() + 1.0), per_bin(x2.round() - x1.round() + 1.0))
            ),
            msg!("deform-roi-pool-max"),
        ],
        Method::Align { aligned } => vec![
            msg!(
                "deform-roi-align-bins",
                aligned = if aligned { "yes" } else { "no" },
                bin = format!("{}×{}", per_bin(y2 - y1), per_bin(x2 - x1))
            ),
            msg!("deform-roi-align-samples", ratio = ratio),
        ],
        Method::Deform { .. } => vec![
            msg!("deform-roi-deform-move", gamma = fmt_num(gamma), w = fmt_num(x2 - x1), h = fmt_num(y2 - y1)),
            msg!("deform-roi-deform-samples", ratio = ratio),
        ],
    }
}

const BOXES: ArgSpec = ArgSpec::new("boxes", Kind::Boxes, Default::Required);
const SCALE: ArgSpec = ArgSpec::new("spatial_scale", Kind::Float { min: -1.0e30, max: 1.0e30 }, Default::Float(1.0));
const fn sampling_ratio(default: i64) -> ArgSpec {
    ArgSpec::new("sampling_ratio", Kind::Int { min: -MAX_INT_ARG, max: MAX_INT_ARG }, Default::Int(default))
}

/// mmcv's `deform_roi_pool` with torchvision alone: bin (i, j) of a RoI is the RoIAlign
/// (`aligned=True`, one bin, the same sampling grid) of that bin's box moved by
/// γ·(RoI width, height)·offset[k, :, i, j]: mmcv's rule, sample for sample.
const DEFORM_ROI_POOL_PY: &str = r#"def deform_roi_pool(input, rois, offset, output_size, spatial_scale=1.0, sampling_ratio=0, gamma=0.1):
    """mmcv.ops.deform_roi_pool: each bin's RoIAlign window shifted by gamma * (w, h) * offset."""
    ph, pw = output_size
    out = input.new_zeros(rois.shape[0], input.shape[1], ph, pw)
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        x1, y1, x2, y2 = (v * spatial_scale for v in (x1, y1, x2, y2))
        w, h = x2 - x1, y2 - y1
        for i in range(ph):
            for j in range(pw):
                dx = gamma * w * float(offset[k, 0, i, j]) if offset is not None else 0.0
                dy = gamma * h * float(offset[k, 1, i, j]) if offset is not None else 0.0
                bx, by = x1 + j * w / pw + dx, y1 + i * h / ph + dy
                box = torch.tensor([[b, bx, by, bx + w / pw, by + h / ph]], dtype=torch.float64)
                out[k, :, i, j] = torchvision.ops.roi_align(
                    input.double(), box, 1, spatial_scale=1.0, sampling_ratio=sampling_ratio, aligned=True
                )[0, :, 0, 0].to(input.dtype)
    return out"#;

static EVALS: &[EvalOp] = &[
    EvalOp {
        name: "deform_roi_pool",
        signature: &[
            sig::INPUT4,
            ArgSpec::new("rois", Kind::Boxes, Default::Required),
            ArgSpec::new("offset", Kind::Tensor { min_dims: 4, max_dims: 4 }, Default::None),
            sig::OUTPUT_SIZE,
            SCALE,
            sampling_ratio(0),
            ArgSpec::new("gamma", Kind::Float { min: -1.0e30, max: 1.0e30 }, Default::Float(0.1)),
        ],
        reference: "mmcv.ops.deform_roi_pool",
        answer: |args| {
            let rois = args.boxes("rois")?;
            let offset = args.opt_tensor("offset")?.map(ArgTensor::into_array4);
            let output_size = args.pair("output_size")?;
            if let Some(off) = &offset {
                let want = [rois.len(), 2, output_size[0], output_size[1]];
                if shape4(off) != want {
                    return Err(format!(
                        "\"offset\" must have shape {want:?} ([K, 2, ph, pw], x then y), got {:?}",
                        shape4(off)
                    ));
                }
            }
            eval_roi(args, rois, offset, Method::Deform { gamma: args.float("gamma")? })
        },
    },
    EvalOp {
        name: "roi_align",
        signature: &[
            sig::INPUT4,
            BOXES,
            sig::OUTPUT_SIZE,
            SCALE,
            sampling_ratio(-1),
            ArgSpec::new("aligned", Kind::Bool, Default::Bool(false)),
        ],
        reference: "torchvision.ops.roi_align",
        answer: |args| eval_roi(args, args.boxes("boxes")?, None, Method::Align { aligned: args.bool("aligned")? }),
    },
    EvalOp {
        name: "roi_pool",
        signature: &[sig::INPUT4, BOXES, sig::OUTPUT_SIZE, SCALE],
        reference: "torchvision.ops.roi_pool",
        answer: |args| eval_roi(args, args.boxes("boxes")?, None, Method::Pool),
    },
];

fn eval_roi(args: &Args, rois: Vec<Roi>, offset: Option<Array4<f32>>, method: Method) -> Result<Answer, String> {
    let x = args.tensor("input")?.into_array4();
    let ratio = if method == Method::Pool { 0 } else { args.int("sampling_ratio")? };
    let roi_args = RoiArgs {
        output_size: args.pair("output_size")?,
        spatial_scale: args.float("spatial_scale")?,
        sampling_ratio: ratio,
        method,
    };
    let y = roi_pooling(&x, &rois, offset.as_ref(), roi_args)?;
    Ok(Answer::tensor4(y, false))
}
