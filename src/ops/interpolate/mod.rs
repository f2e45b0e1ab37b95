//! `interpolate`: PyTorch's `F.interpolate` in the modes `nearest`, `nearest-exact`,
//! `bilinear` (`linear` for 3-D input), `bicubic` and `area`, with `size` or `scale_factor`,
//! `align_corners` and `recompute_scale_factor`, reproducing PyTorch's CPU index rules
//! (`nearest_idx`, `area_pixel_compute_source_index`, `guard_index_and_lambda`, the cubic
//! kernel with A = −0.75 and border clamping, adaptive average windows). Each output cell is
//! one step: its source position and the cells it mixes, with their weights.

mod geometry;

use ndarray::Array4;

pub use geometry::{AxisTaps, InterpolateGeometry, Mode, bilinear_sample};
use geometry::{area_cell, area_value, sample, sample_value};

use super::conv2d::shape4;
use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Measure, Operator, Quantity, Run, Tensor, controls, input_tensor};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, check_cost, product};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{CellRef, Combine, Grid, GridId, Role, SampleKernel, Source, Tap, Taps, Trace, fmt_num};

/// Largest output side the page animates.
const MAX_OUT: usize = 64;

const SCALES: &[(&str, &str)] = &[
    ("0.5", "resample-scale-0_5"),
    ("1.5", "resample-scale-1_5"),
    ("2", "resample-scale-2"),
    ("3", "resample-scale-3"),
    ("4", "resample-scale-4"),
];

/// The options of a resampling mode menu: PyTorch's values, labelled by the same names.
pub(super) const MODE_BILINEAR: (&str, &str) = ("bilinear", "resample-mode-bilinear");
pub(super) const MODE_NEAREST: (&str, &str) = ("nearest", "resample-mode-nearest");

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "mode",
        "resample-interp-mode",
        &[
            MODE_BILINEAR,
            ("bicubic", "resample-mode-bicubic"),
            MODE_NEAREST,
            ("nearest-exact", "resample-mode-nearest-exact"),
            ("area", "resample-mode-area"),
        ],
        "bilinear",
        "resample-interp-mode.help",
    ),
    ParamSpec::choice(
        "align_corners",
        "resample-align-corners",
        controls::FALSE_TRUE,
        "false",
        "resample-align-corners.help",
    )
    .when("mode", &["bilinear", "bicubic"]),
    ParamSpec::choice(
        "resize_by",
        "resample-resize-by",
        &[("scale_factor", "resample-resize-by-scale"), ("size", "resample-resize-by-size")],
        "scale_factor",
        "resample-resize-by.help",
    ),
    ParamSpec::choice("scale_factor", "resample-scale-factor", SCALES, "2", "resample-scale-factor.help")
        .when("resize_by", &["scale_factor"]),
    ParamSpec::int("out_height", "resample-out-height", 1, 48, 5, "resample-out-height.help")
        .when("resize_by", &["size"]),
    ParamSpec::int("out_width", "resample-out-width", 1, 48, 7, "resample-out-width.help")
        .when("resize_by", &["size"]),
    ParamSpec::int("height", "resample-in-height", 1, 16, 3, "resample-in-height.help"),
    ParamSpec::int("width", "resample-in-width", 1, 16, 3, "resample-in-width.help"),
    ParamSpec::int("channels", "resample-channels", 1, 4, 1, "resample-interp-channels-help"),
    controls::INPUT_VALUES,
    controls::SEED,
];

/// PyTorch's interpolate.
pub fn interpolate(x: &Array4<f32>, g: &InterpolateGeometry) -> Array4<f32> {
    let rows: Vec<AxisTaps> = (0..g.output[2]).map(|r| g.axis_taps(0, r)).collect();
    let cols: Vec<AxisTaps> = (0..g.output[3]).map(|q| g.axis_taps(1, q)).collect();
    Array4::from_shape_fn(g.output, |(i, j, r, q)| {
        let (row, col) = (&rows[r], &cols[q]);
        match g.mode {
            // A write of one weightless tap replaces the cell with 0 + value.
            Mode::Nearest | Mode::NearestExact => 0.0 + x[[i, j, row.taps[0].0, col.taps[0].0]],
            Mode::Bilinear | Mode::Bicubic => 0.0 + sample_value(x, i, j, row, col),
            Mode::Area => area_value(x, i, j, row, col),
        }
    })
}

/// [`interpolate`] with a trace: reads grid `input`, writes grid `output`, one step per output
/// cell in `stage` whose replay gives the same bits.
pub fn interpolate_traced(
    x: &Array4<f32>,
    g: &InterpolateGeometry,
    t: &mut Trace,
    [input, output]: [GridId; 2],
    stage: usize,
) -> Array4<f32> {
    let rows: Vec<AxisTaps> = (0..g.output[2]).map(|r| g.axis_taps(0, r)).collect();
    let cols: Vec<AxisTaps> = (0..g.output[3]).map(|q| g.axis_taps(1, q)).collect();
    let mut y = Array4::<f32>::zeros(g.output);
    t.steps.reserve(y.len());
    for ((i, j, r, q), cell) in y.indexed_iter_mut() {
        let (combine, taps) = cell_taps(x, g.mode, input, [i, j], &rows[r], &cols[q]);
        *cell = t.push_write(stage, CellRef { grid: output, index: [i, j, r, q] }, combine, taps, None, 0.0);
    }
    t.grids[output].values = y.iter().copied().collect();
    y
}

/// How output cell `(i, j, row, col)` is computed from grid `input`: a copy, one sample (its
/// value computed as [`interpolate`] does, its corners listed), or an area's mean.
fn cell_taps(
    x: &Array4<f32>,
    mode: Mode,
    input: GridId,
    [i, j]: [usize; 2],
    row: &AxisTaps,
    col: &AxisTaps,
) -> (Combine, Taps) {
    let cell = |index: [usize; 4]| CellRef { grid: input, index };
    match mode {
        Mode::Nearest | Mode::NearestExact => {
            let index = [i, j, row.taps[0].0, col.taps[0].0];
            (Combine::Set, smallvec::smallvec![Tap::copy(Source::Cell(cell(index)), x[index])])
        }
        Mode::Bilinear | Mode::Bicubic => {
            let (value, corners) = sample(x, i, j, row, col, cell);
            let source = Source::Sample {
                grid: input,
                kernel: if mode == Mode::Bicubic { SampleKernel::Bicubic } else { SampleKernel::Bilinear },
                position: [row.position as f32, col.position as f32],
                corners,
                mask: None,
            };
            (Combine::Set, Taps::from_buf([Tap::copy(source, value)]))
        }
        Mode::Area => {
            let (_, cells, divisor) = area_cell(x, i, j, row, col);
            let taps = cells.into_iter().map(|index| Tap::copy(Source::Cell(cell(index)), x[index])).collect();
            (Combine::Mean { divisor }, taps)
        }
    }
}

pub static INTERPOLATE: Operator = Operator {
    name: "interpolate",
    title: "resample-interpolate",
    summary: "resample-interpolate.summary",
    schema: SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_interpolate,
};

fn run_interpolate(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let input_shape = super::input_shape(params, "channels");
    let mode = Mode::from_name(params.choice("mode")).unwrap_or(Mode::Bilinear);
    let (size, scale) = if params.choice("resize_by") == "size" {
        (Some([params.usize("out_height"), params.usize("out_width")]), None)
    } else {
        let scale: f64 = params.choice("scale_factor").parse().unwrap_or(2.0);
        (None, Some([scale; 2]))
    };
    // align_corners is read for bilinear and bicubic only (the page disables it otherwise).
    let align = params.active("align_corners") && params.choice("align_corners") == "true";
    let g = InterpolateGeometry::new(input_shape, mode, size, scale, align, false)?;
    if g.output.contains(&0) {
        return Err(ParamError::new("scale_factor", msg!("resample-shrinks-to-nothing")));
    }
    if g.output[2] > MAX_OUT || g.output[3] > MAX_OUT {
        return Err(ParamError::new("out_height", msg!("resample-output-too-big", max = MAX_OUT.to_string())));
    }
    let x = input_tensor(params, "channels", edits);
    let mut trace = Trace::default();
    let input = trace.add_grid(Grid::from_array("x", msg!("grid-input", sym = "x"), Role::Input, &x));
    let output = trace.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.output));
    let (name, explain) = (mode.stage_name(), mode.explain());
    let stage = trace.add_stage(name, explain);
    let y = interpolate_traced(&x, &g, &mut trace, [input, output], stage);
    // align_corners is None outside bilinear and bicubic (PyTorch refuses a value there).
    let interpolates = matches!(mode, Mode::Bilinear | Mode::Bicubic);
    let pytorch = Call::new("interpolate", "F.interpolate", y.into_dyn())
        .arg("input", code::tensor(&x))
        .arg("size", size.map_or(PyArg::None, code::pair))
        .arg("scale_factor", scale.map_or(PyArg::None, |[s, _]| PyArg::Float(s)))
        .arg("mode", PyArg::Str(params.choice("mode")))
        .arg("align_corners", if interpolates { PyArg::Bool(align) } else { PyArg::None });
    let weights = match mode {
        Mode::Area => msg!("resample-weights-none-area"),
        _ => msg!("resample-weights-none"),
    };
    Ok(Run {
        quantities: output_size(&g),
        formula: formula(&g),
        facts: vec![weights],
        editable: vec![Editable { grid: input, tensor: Tensor::Input }],
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

static EVALS: &[EvalOp] = &[EvalOp {
    name: "interpolate",
    signature: &[
        ArgSpec::new("input", Kind::Tensor { min_dims: 3, max_dims: 5 }, Default::Required),
        ArgSpec::new("size", Kind::IntOrList { min: 0, max: MAX_INT_ARG }, Default::None),
        ArgSpec::new("scale_factor", Kind::FloatOrList { min: 0.0, max: 1.0e6 }, Default::None),
        ArgSpec::new(
            "mode",
            Kind::Word(&["nearest", "linear", "bilinear", "bicubic", "trilinear", "area", "nearest-exact"]),
            Default::Word("nearest"),
        ),
        ArgSpec::new("align_corners", Kind::Bool, Default::None),
        ArgSpec::new("recompute_scale_factor", Kind::Bool, Default::None),
        ArgSpec::new("antialias", Kind::Bool, Default::Bool(false)),
    ],
    reference: "torch.nn.functional.interpolate",
    answer: eval_interpolate,
}];

fn eval_interpolate(args: &Args) -> Result<Answer, String> {
    let tensor = args.tensor("input")?;
    let dims = tensor.shape.len();
    if dims == 5 {
        return Err(
            "convscope interpolates 3-D (N, C, W) and 4-D (N, C, H, W) inputs; 5-D (volumetric) input is not supported"
                .into(),
        );
    }
    let name = args.word("mode")?;
    let needs = match name {
        "linear" => Some(3),
        "bilinear" | "bicubic" => Some(4),
        "trilinear" => Some(5),
        _ => None,
    };
    if let Some(needed) = needs.filter(|&needed| needed != dims) {
        return Err(format!("got {dims}-D input, but {name} mode needs {needed}-D input"));
    }
    let mode = Mode::from_name(name).expect("the signature lists only known modes");
    if args.bool("antialias")? {
        return Err("antialias=True is not supported by convscope; use antialias=False".into());
    }
    let align_corners = args.opt_bool("align_corners")?;
    if align_corners.is_some() && !mode.interpolates() {
        return Err("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear".into());
    }
    let spatial = dims - 2;
    // A 3-D input is resized along its last axis only: as a 4-D one of height 1.
    let widen = |v: Vec<i64>| if spatial == 1 { [1, v[0]] } else { [v[0], v[1]] };
    let size = args.opt_int_list("size", spatial)?.map(|v| widen(v).map(|s| s as usize));
    let scale =
        args.opt_float_list("scale_factor", spatial)?.map(|v| if spatial == 1 { [1.0, v[0]] } else { [v[0], v[1]] });
    let (x, unbatched_height) = if spatial == 1 {
        let [n, c, w] = [tensor.shape[0], tensor.shape[1], tensor.shape[2]];
        (Array4::from_shape_vec([n, c, 1, w], tensor.data).expect("the shape matches the data"), true)
    } else {
        (tensor.into_array4(), false)
    };
    let mut g = InterpolateGeometry::new(
        shape4(&x),
        mode,
        size,
        scale,
        align_corners.unwrap_or(false),
        args.opt_bool("recompute_scale_factor")?.unwrap_or(false),
    )
    .map_err(|e| e.message)?;
    g.one_d = spatial == 1;
    check_cost(product(&g.output), product(&g.output).saturating_mul(g.taps_per_cell()))?;
    let y = interpolate(&x, &g);
    if unbatched_height {
        let [n, c, _, w] = shape4(&y);
        return Ok(Answer::Tensor { shape: vec![n, c, w], data: y.into_iter().collect() });
    }
    Ok(Answer::tensor4(y, false))
}

/// The output size when `scale_factor` sets it (a given `size` asks nothing).
fn output_size(g: &InterpolateGeometry) -> Vec<Quantity> {
    let Some(s) = g.scale_factor else { return Vec::new() };
    (0..2)
        .map(|axis| {
            let (name, i) = (["H", "W"][axis], g.input[2 + axis]);
            Quantity::worked(
                [Measure::Height, Measure::Width][axis],
                g.output[2 + axis],
                &format!("{name}_out = ⌊{name} · scale_factor⌋"),
                &format!("⌊{i} · {}⌋", fmt_num(s[axis] as f32)),
            )
        })
        .collect()
}

fn formula(g: &InterpolateGeometry) -> Vec<Msg> {
    let mut lines = Vec::new();
    let sizes = output_size(g);
    for (axis, name) in ["H", "W"].into_iter().enumerate() {
        let (i, o) = (g.input[2 + axis], g.output[2 + axis]);
        let size = match sizes.get(axis) {
            Some(q) => q.line.clone(),
            None => Msg::same(format!("{name}_out = size = {o}")),
        };
        let scale = fmt_num(g.nearest_scale(axis));
        let (i_text, o_text, last) = (i.to_string(), o.to_string(), (i - 1).to_string());
        let map = match (g.mode, g.align_corners) {
            (Mode::Nearest, _) if o == i => msg!("resample-map-same"),
            (Mode::Nearest, _) if o == 2 * i => msg!("resample-map-double"),
            (Mode::Nearest, _) => msg!("resample-map-nearest", scale = scale, last = last),
            (Mode::NearestExact, _) => msg!("resample-map-nearest-exact", scale = scale, last = last),
            (Mode::Area, _) => msg!("resample-map-area", i = i_text, o = o_text),
            (Mode::Bilinear, _) if o == i => msg!("resample-map-same"),
            (Mode::Bilinear | Mode::Bicubic, true) => msg!(
                "resample-map-align-corners",
                i = i_text,
                o = o_text,
                scale = fmt_num(g.area_scale(axis) as f32)
            ),
            (Mode::Bilinear, false) => msg!("resample-map-bilinear", scale = fmt_num(g.area_scale(axis) as f32)),
            (Mode::Bicubic, false) => {
                msg!("resample-map-bicubic", scale = fmt_num(g.area_scale(axis) as f32), last = last)
            }
        };
        lines.push(msg!("resample-formula-axis", size = size, map = map));
    }
    lines
}
