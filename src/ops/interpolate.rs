//! `interpolate`: PyTorch's `F.interpolate` in the modes `nearest`, `nearest-exact`,
//! `bilinear` (`linear` for 3-D input), `bicubic` and `area`, with `size` or `scale_factor`,
//! `align_corners` and `recompute_scale_factor`, reproducing PyTorch's CPU index rules
//! (`nearest_idx`, `area_pixel_compute_source_index`, `guard_index_and_lambda`, the cubic
//! kernel with A = −0.75 and border clamping, adaptive average windows). Each output cell is
//! one step: its source position and the cells it mixes, with their weights.

use ndarray::Array4;

use super::conv2d::shape4;
use super::{Editable, Edits, Meta, Operator, Run, Tensor, controls, input_tensor};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, check_cost, product};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Combine, Grid, GridId, Role, SampleKernel, Source, Step, Tap, Trace, Write, fmt_num};

pub struct Interpolate;

/// Largest output side the page animates.
const MAX_OUT: usize = 64;

const SCALES: &[(&str, &str)] = &[("0.5", "× 0.5"), ("1.5", "× 1.5"), ("2", "× 2"), ("3", "× 3"), ("4", "× 4")];

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "mode",
        "Mode",
        &[
            ("bilinear", "bilinear"),
            ("bicubic", "bicubic"),
            ("nearest", "nearest"),
            ("nearest-exact", "nearest-exact"),
            ("area", "area"),
        ],
        "bilinear",
        "bilinear mixes 4 cells, bicubic 16 (A = −0.75), nearest and nearest-exact copy one, area averages a window.",
    ),
    ParamSpec::choice(
        "align_corners",
        "align_corners",
        &[("false", "false"), ("true", "true")],
        "false",
        "bilinear and bicubic only. true: corner cells of input and output line up exactly; false: cell centres scale (PyTorch's default).",
    ),
    ParamSpec::choice(
        "resize_by",
        "Resize by",
        &[("scale_factor", "scale_factor"), ("size", "size")],
        "scale_factor",
        "Give a scale factor or the output size.",
    ),
    ParamSpec::choice("scale_factor", "Scale factor", SCALES, "2", "Output size is ⌊input size × scale_factor⌋."),
    ParamSpec::int("out_height", "Output height", 1, 48, 5, "Rows of the output when resizing by size."),
    ParamSpec::int("out_width", "Output width", 1, 48, 7, "Columns of the output when resizing by size."),
    ParamSpec::int("height", "Input height", 1, 16, 3, "Rows of the input (H)."),
    ParamSpec::int("width", "Input width", 1, 16, 3, "Columns of the input (W)."),
    ParamSpec::int("channels", "Channels", 1, 4, 1, "Channels (C); each is resized on its own."),
    controls::INPUT_VALUES,
    controls::SEED,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Nearest,
    NearestExact,
    /// `bilinear` for 4-D input, `linear` for 3-D.
    Bilinear,
    Bicubic,
    Area,
}

impl Mode {
    /// Modes that interpolate and so accept `align_corners`.
    pub fn interpolates(self) -> bool {
        matches!(self, Mode::Bilinear | Mode::Bicubic)
    }

    fn from_name(name: &str) -> Option<Mode> {
        Some(match name {
            "nearest" => Mode::Nearest,
            "nearest-exact" => Mode::NearestExact,
            "bilinear" | "linear" => Mode::Bilinear,
            "bicubic" => Mode::Bicubic,
            "area" => Mode::Area,
            _ => return None,
        })
    }
}

/// A checked interpolation: the output size and, per axis, the scale PyTorch's kernel is given.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InterpolateGeometry {
    pub input: [usize; 4],
    pub output: [usize; 4],
    pub mode: Mode,
    pub align_corners: bool,
    /// The `scale_factor` as given, if it was (for the formula).
    pub scale_factor: Option<[f64; 2]>,
    /// The scale the kernel maps indices with, per axis: the given `scale_factor` unless
    /// `recompute_scale_factor` (then input/output sizes are used, as with `size`).
    scales: [Option<f64>; 2],
    /// A 3-D input resized along its last axis: PyTorch's 1-D kernels index `nearest`
    /// without the 2-D kernel's same-size and double-size shortcuts.
    pub one_d: bool,
}

/// The cells one output index reads along one axis, with their weights, and the fractional
/// source position (for drawing).
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTaps {
    pub position: f64,
    pub taps: Vec<(usize, f64)>,
}

impl InterpolateGeometry {
    /// Exactly one of `size` and `scale_factor` must be given; `scale_factor` reaches the
    /// kernel as given (`recompute_scale_factor` unset).
    pub fn new(
        input: [usize; 4],
        mode: Mode,
        size: Option<[usize; 2]>,
        scale_factor: Option<[f64; 2]>,
        align_corners: bool,
    ) -> Result<Self, ParamError> {
        InterpolateGeometry::with_recompute(input, mode, size, scale_factor, align_corners, false)
    }

    /// As [`InterpolateGeometry::new`]; with `recompute`, the output size comes from
    /// `scale_factor` but the kernel maps indices with input/output sizes.
    pub fn with_recompute(
        input: [usize; 4],
        mode: Mode,
        size: Option<[usize; 2]>,
        scale_factor: Option<[f64; 2]>,
        align_corners: bool,
        recompute: bool,
    ) -> Result<Self, ParamError> {
        if input.contains(&0) {
            return Err(ParamError::new(
                "height",
                format!("the input must have at least one cell, got shape {input:?}"),
            ));
        }
        if align_corners && !mode.interpolates() {
            return Err(ParamError::new(
                "align_corners",
                "align_corners can only be set with the interpolating modes (bilinear, bicubic); nearest, nearest-exact and area have no corners to align",
            ));
        }
        let out = match (size, scale_factor) {
            (Some(_), Some(_)) => {
                return Err(ParamError::general("only one of size or scale_factor should be defined"));
            }
            (None, None) => return Err(ParamError::general("either size or scale_factor should be defined")),
            (Some(size), None) => {
                if recompute {
                    return Err(ParamError::general("recompute_scale_factor is not meaningful with an explicit size"));
                }
                size
            }
            (None, Some(scale)) => {
                if scale.iter().any(|s| !s.is_finite()) {
                    return Err(ParamError::new("scale_factor", "scale_factor must be a finite number"));
                }
                let out = [0, 1].map(|a| (input[2 + a] as f64 * scale[a]).floor());
                if out.iter().any(|&o| o > MAX_INT_ARG as f64) {
                    return Err(ParamError::new(
                        "scale_factor",
                        format!("an output of {}×{} is too large", out[0], out[1]),
                    ));
                }
                out.map(|o| o.max(0.0) as usize)
            }
        };
        // Area mode is adaptive average pooling, which PyTorch lets shrink to nothing.
        if out.contains(&0) && mode != Mode::Area {
            return Err(ParamError::new(
                if size.is_some() { "out_height" } else { "scale_factor" },
                format!(
                    "input and output sizes should be greater than 0, but the {}×{} input would give {}×{}",
                    input[2], input[3], out[0], out[1]
                ),
            ));
        }
        let scales = match scale_factor {
            Some(s) if !recompute => [Some(s[0]), Some(s[1])],
            _ => [None, None],
        };
        Ok(InterpolateGeometry {
            input,
            output: [input[0], input[1], out[0], out[1]],
            mode,
            align_corners,
            scale_factor,
            scales,
            one_d: false,
        })
    }

    /// PyTorch's `area_pixel_compute_scale` for one axis (f64, as for double tensors).
    fn area_scale(&self, axis: usize) -> f64 {
        let (input, output) = (self.input[2 + axis] as f64, self.output[2 + axis] as f64);
        if self.align_corners {
            if output > 1.0 { (input - 1.0) / (output - 1.0) } else { 0.0 }
        } else {
            match self.scales[axis] {
                Some(scale) if scale > 0.0 => 1.0 / scale,
                _ => input / output,
            }
        }
    }

    /// PyTorch's `compute_scales_value<float>` for the nearest modes (in `f32`, as PyTorch).
    fn nearest_scale(&self, axis: usize) -> f32 {
        match self.scales[axis] {
            Some(scale) if scale > 0.0 => (1.0 / scale) as f32,
            _ => self.input[2 + axis] as f32 / self.output[2 + axis] as f32,
        }
    }

    /// The fractional source index of output index `dst` along `axis` (bilinear, bicubic).
    pub fn source_index(&self, axis: usize, dst: usize) -> f64 {
        let scale = self.area_scale(axis);
        if self.align_corners {
            scale * dst as f64
        } else {
            let src = scale * (dst as f64 + 0.5) - 0.5;
            if self.mode == Mode::Bicubic { src } else { src.max(0.0) }
        }
    }

    /// The cells output index `dst` reads along `axis`, with weights, as PyTorch's kernel.
    pub fn axis_taps(&self, axis: usize, dst: usize) -> AxisTaps {
        let (size, out) = (self.input[2 + axis], self.output[2 + axis]);
        let last = size as i64 - 1;
        match self.mode {
            // The 1-D kernel: ⌊dst · scale⌋ with the scale in f64 (as for double tensors),
            // rounded to f32 before the floor, as PyTorch's floorf does.
            Mode::Nearest if self.one_d => {
                let real = self.area_scale(axis) * dst as f64;
                let src = ((real as f32).floor() as i64).min(last) as usize;
                AxisTaps { position: src as f64, taps: vec![(src, 1.0)] }
            }
            Mode::NearestExact if self.one_d => {
                let real = (self.area_scale(axis) * (dst as f64 + 0.5) - 0.5).max(0.0);
                let src = (((real + 0.5) as f32).floor() as i64).min(last) as usize;
                AxisTaps { position: src as f64, taps: vec![(src, 1.0)] }
            }
            Mode::Nearest => {
                let src = if out == size {
                    dst
                } else if out == 2 * size {
                    dst >> 1
                } else {
                    ((dst as f32 * self.nearest_scale(axis)).floor() as i64).min(last) as usize
                };
                AxisTaps { position: src as f64, taps: vec![(src, 1.0)] }
            }
            Mode::NearestExact => {
                let real = (dst as f64 + 0.5) * f64::from(self.nearest_scale(axis));
                let src = ((real as f32).floor() as i64).min(last) as usize;
                AxisTaps { position: src as f64, taps: vec![(src, 1.0)] }
            }
            Mode::Bilinear if out == size => AxisTaps { position: dst as f64, taps: vec![(dst, 1.0), (dst, 0.0)] },
            Mode::Bilinear => {
                let real = self.source_index(axis, dst);
                let (index0, lambda1) = guard_index_and_lambda(real, size);
                let index1 = if (index0 as i64) < last { index0 + 1 } else { index0 };
                AxisTaps { position: real, taps: vec![(index0, 1.0 - lambda1), (index1, lambda1)] }
            }
            Mode::Bicubic => {
                let real = self.source_index(axis, dst);
                let floor = ((real as f32).floor() as i64).min(last);
                let t = (real - floor as f64).clamp(0.0, 1.0);
                let weights = cubic_coefficients(t);
                let taps = (0..4).map(|j| ((floor - 1 + j as i64).clamp(0, last) as usize, weights[j])).collect();
                AxisTaps { position: real, taps }
            }
            Mode::Area => {
                // Adaptive average pooling's window: ⌊dst·in/out⌋ … ⌈(dst + 1)·in/out⌉.
                let start = dst * size / out;
                let end = ((dst + 1) * size).div_ceil(out);
                AxisTaps { position: (start + end - 1) as f64 / 2.0, taps: (start..end).map(|i| (i, 1.0)).collect() }
            }
        }
    }

    /// Input cells one output cell reads, at most (for the work cap).
    fn taps_per_cell(&self) -> u128 {
        match self.mode {
            Mode::Nearest | Mode::NearestExact => 1,
            Mode::Bilinear => 4,
            Mode::Bicubic => 16,
            Mode::Area => product(&[0, 1].map(|a| self.input[2 + a].div_ceil(self.output[2 + a].max(1)) + 1)),
        }
    }
}

/// PyTorch's `guard_index_and_lambda`: the lower index (⌊real⌋ in `f32`, at most the last
/// index) and the weight of the next one, clamped to 0…1.
fn guard_index_and_lambda(real: f64, size: usize) -> (usize, f64) {
    let index = ((real as f32).floor() as i64).clamp(0, size as i64 - 1);
    (index as usize, (real - index as f64).clamp(0.0, 1.0))
}

/// PyTorch's `get_cubic_upsample_coefficients` (Keys' cubic convolution with A = −0.75).
fn cubic_coefficients(t: f64) -> [f64; 4] {
    const A: f64 = -0.75;
    let near = |x: f64| ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    let far = |x: f64| ((A * x - 5.0 * A) * x + 8.0 * A) * x - 4.0 * A;
    [far(t + 1.0), near(t), near(1.0 - t), far(2.0 - t)]
}

/// Bilinear interpolation of channel `(n, c)` of `x` at fractional `(row, col)`, as PyTorch's
/// upsample_bilinear2d computes it; returns the value and the corners with their weights
/// (a corner counted twice at the border is merged).
pub fn bilinear_sample(x: &Array4<f32>, n: usize, c: usize, row: f64, col: f64) -> (f32, Vec<([usize; 4], f32)>) {
    let (h, w) = (x.shape()[2], x.shape()[3]);
    let axis = |real: f64, size: usize| {
        let (i0, lambda1) = guard_index_and_lambda(real, size);
        AxisTaps { position: real, taps: vec![(i0, 1.0 - lambda1), ((i0 + 1).min(size - 1), lambda1)] }
    };
    sample(x, n, c, &axis(row, h), &axis(col, w))
}

/// One output cell from its row and column taps, nested as PyTorch's separable kernel:
/// `Σ_rows w_r · (Σ_cols w_c · x)`; returns the value and the merged corners.
fn sample(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> (f32, Vec<([usize; 4], f32)>) {
    let mut corners: Vec<([usize; 4], f32)> = Vec::with_capacity(rows.taps.len() * cols.taps.len());
    for &(r, wr) in &rows.taps {
        for &(q, wq) in &cols.taps {
            let weight = (wr * wq) as f32;
            match corners.iter_mut().find(|(index, _)| *index == [n, c, r, q]) {
                Some((_, total)) => *total += weight,
                None => corners.push(([n, c, r, q], weight)),
            }
        }
    }
    (sample_value(x, n, c, rows, cols), corners)
}

/// [`sample`]'s value alone (what eval needs: nothing allocated per cell).
fn sample_value(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> f32 {
    let mut value = 0.0f32;
    for (j, &(r, wr)) in rows.taps.iter().enumerate() {
        let mut along = 0.0f32;
        for (i, &(q, wq)) in cols.taps.iter().enumerate() {
            let term = x[[n, c, r, q]] * wq as f32;
            along = if i == 0 { term } else { along + term };
        }
        let term = along * wr as f32;
        value = if j == 0 { term } else { value + term };
    }
    value
}

/// [`area_cell`]'s value alone.
fn area_value(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> f32 {
    let mut sum = 0.0f32;
    for &(r, _) in &rows.taps {
        for &(q, _) in &cols.taps {
            sum += x[[n, c, r, q]];
        }
    }
    sum / (rows.taps.len() * cols.taps.len()) as f32
}

/// One output cell of area mode: the window's sum divided once by its size.
fn area_cell(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> (f32, Vec<[usize; 4]>, f32) {
    let mut sum = 0.0f32;
    let mut cells = Vec::new();
    for &(r, _) in &rows.taps {
        for &(q, _) in &cols.taps {
            sum += x[[n, c, r, q]];
            cells.push([n, c, r, q]);
        }
    }
    let divisor = (rows.taps.len() * cols.taps.len()) as f32;
    (sum / divisor, cells, divisor)
}

/// PyTorch's interpolate; with a trace `(trace, input grid, output grid, stage)`, one step
/// per output cell whose replay gives the same bits.
pub fn interpolate(
    x: &Array4<f32>,
    g: &InterpolateGeometry,
    mut trace: Option<(&mut Trace, GridId, GridId, usize)>,
) -> Array4<f32> {
    let [n, c, oh, ow] = g.output;
    let rows: Vec<AxisTaps> = (0..oh).map(|r| g.axis_taps(0, r)).collect();
    let cols: Vec<AxisTaps> = (0..ow).map(|q| g.axis_taps(1, q)).collect();
    let mut y = Array4::<f32>::zeros(g.output);
    for i in 0..n {
        for j in 0..c {
            for (r, row) in rows.iter().enumerate() {
                for (q, col) in cols.iter().enumerate() {
                    let cell = |index: [usize; 4], grid: GridId| CellRef { grid, index };
                    let (value, write) = match g.mode {
                        Mode::Nearest | Mode::NearestExact => {
                            let index = [i, j, row.taps[0].0, col.taps[0].0];
                            // A write of one weightless tap replaces the cell with 0 + value.
                            let value = 0.0 + x[index];
                            let write = trace.as_ref().map(|(_, input, _, _)| {
                                let source = Source::Cell(cell(index, *input));
                                (Combine::Set, vec![Tap::copy(source, value)])
                            });
                            (value, write)
                        }
                        Mode::Bilinear | Mode::Bicubic if trace.is_none() => {
                            (0.0 + sample_value(x, i, j, row, col), None)
                        }
                        Mode::Bilinear | Mode::Bicubic => {
                            let (value, corners) = sample(x, i, j, row, col);
                            let value = 0.0 + value;
                            let write = trace.as_ref().map(|(_, input, _, _)| {
                                let source = Source::Sample {
                                    grid: *input,
                                    kernel: if g.mode == Mode::Bicubic {
                                        SampleKernel::Bicubic
                                    } else {
                                        SampleKernel::Bilinear
                                    },
                                    position: [row.position as f32, col.position as f32],
                                    corners: corners.into_iter().map(|(index, w)| (cell(index, *input), w)).collect(),
                                    mask: None,
                                    anchor: None,
                                    handle: None,
                                };
                                (Combine::Set, vec![Tap::copy(source, value)])
                            });
                            (value, write)
                        }
                        Mode::Area if trace.is_none() => (area_value(x, i, j, row, col), None),
                        Mode::Area => {
                            let (value, cells, divisor) = area_cell(x, i, j, row, col);
                            let write = trace.as_ref().map(|(_, input, _, _)| {
                                let taps = cells
                                    .into_iter()
                                    .map(|index| {
                                        let v = x[index];
                                        Tap::copy(Source::Cell(cell(index, *input)), v)
                                    })
                                    .collect();
                                (Combine::Mean { divisor }, taps)
                            });
                            (value, write)
                        }
                    };
                    y[[i, j, r, q]] = value;
                    if let (Some((t, _, output, stage)), Some((combine, taps))) = (trace.as_mut(), write) {
                        let target = CellRef { grid: *output, index: [i, j, r, q] };
                        t.steps.push(Step {
                            stage: *stage,
                            writes: vec![Write { target, combine, taps, constant: None, value }],
                            focus: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    if let Some((t, _, output, _)) = trace {
        t.grids[output].values = y.iter().copied().collect();
    }
    y
}

static INTERPOLATE_META: Meta = Meta {
    name: "interpolate",
    title: "interpolate (bilinear, bicubic, nearest, area)",
    summary: "Resizes each channel: every output cell maps back to a source position and mixes, copies or averages the cells there.",
    schema: SCHEMA,
    evals: EVALS,
};

impl Operator for Interpolate {
    fn meta(&self) -> &'static Meta {
        &INTERPOLATE_META
    }

    fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        let input_shape = [1, params.usize("channels"), params.usize("height"), params.usize("width")];
        let mode = Mode::from_name(params.choice("mode")).unwrap_or(Mode::Bilinear);
        let (size, scale) = if params.choice("resize_by") == "size" {
            (Some([params.usize("out_height"), params.usize("out_width")]), None)
        } else {
            let scale: f64 = params.choice("scale_factor").parse().unwrap_or(2.0);
            (None, Some([scale; 2]))
        };
        let g = InterpolateGeometry::new(input_shape, mode, size, scale, params.choice("align_corners") == "true")?;
        if g.output.contains(&0) {
            return Err(ParamError::new(
                "scale_factor",
                "this scale shrinks the input to nothing; the page shows outputs of at least 1×1",
            ));
        }
        if g.output[2] > MAX_OUT || g.output[3] > MAX_OUT {
            return Err(ParamError::new("out_height", format!("the page animates outputs up to {MAX_OUT}×{MAX_OUT}")));
        }
        let x = input_tensor(params, "channels", edits);
        let mut trace = Trace::default();
        let input = trace.add_grid(Grid::from_array("x", "input x", Role::Input, &x));
        let output = trace.add_grid(Grid::new("y", "output y", Role::Output, g.output));
        let (name, explain) = match mode {
            Mode::Bilinear => (
                "bilinear sampling",
                "Each output cell maps to a fractional position in the input and mixes the four cells around it (fewer at the border, where corners coincide).",
            ),
            Mode::Bicubic => (
                "bicubic sampling",
                "Each output cell maps to a fractional position and mixes the 4×4 cells around it with cubic weights (A = −0.75); rows and columns past the border repeat the edge.",
            ),
            Mode::Nearest => (
                "nearest sampling",
                "Each output cell copies the input cell at ⌊dst · scale⌋ (PyTorch's legacy nearest).",
            ),
            Mode::NearestExact => (
                "nearest-exact sampling",
                "Each output cell copies the input cell its centre falls in: ⌊(dst + ½) · scale⌋.",
            ),
            Mode::Area => (
                "area averaging",
                "Each output cell averages the input cells its area overlaps (adaptive average pooling).",
            ),
        };
        let stage = trace.add_stage(name, explain);
        interpolate(&x, &g, Some((&mut trace, input, output, stage)));
        let weights = match mode {
            Mode::Area => "weights: none (a fixed resampling); each output averages a window",
            _ => "weights: none (a fixed resampling)",
        };
        Ok(Run {
            formula: formula(&g),
            facts: vec![weights.into()],
            editable: vec![Editable { grid: input, tensor: Tensor::Input }],
            pick: None,
            trace,
        })
    }
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
    let mut g = InterpolateGeometry::with_recompute(
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
    let y = interpolate(&x, &g, None);
    if unbatched_height {
        let [n, c, _, w] = shape4(&y);
        return Ok(Answer::Tensor { shape: vec![n, c, w], data: y.into_iter().collect() });
    }
    Ok(Answer::tensor4(y, false))
}

fn formula(g: &InterpolateGeometry) -> Vec<String> {
    let mut lines = Vec::new();
    for (axis, name) in ["H", "W"].into_iter().enumerate() {
        let (i, o) = (g.input[2 + axis], g.output[2 + axis]);
        let size = match g.scale_factor {
            Some(s) => format!("{name}_out = ⌊{name} · scale_factor⌋ = ⌊{i} · {}⌋ = {o}", fmt_num(s[axis] as f32)),
            None => format!("{name}_out = size = {o}"),
        };
        let scale = fmt_num(g.nearest_scale(axis));
        let map = match (g.mode, g.align_corners) {
            (Mode::Nearest, _) if o == i => "src = dst (same size)".to_string(),
            (Mode::Nearest, _) if o == 2 * i => "src = ⌊dst / 2⌋ (exactly twice the size)".to_string(),
            (Mode::Nearest, _) => format!("src = min(⌊dst · {scale}⌋, {})", i - 1),
            (Mode::NearestExact, _) => format!("src = min(⌊(dst + ½) · {scale}⌋, {})", i - 1),
            (Mode::Area, _) => format!("window = ⌊dst · {i}/{o}⌋ … ⌈(dst + 1) · {i}/{o}⌉ − 1"),
            (Mode::Bilinear, _) if o == i => "src = dst (same size)".to_string(),
            (Mode::Bilinear | Mode::Bicubic, true) => {
                format!("src = dst · ({i} − 1)/({o} − 1) = dst · {}", fmt_num(g.area_scale(axis) as f32))
            }
            (Mode::Bilinear, false) => format!("src = max((dst + ½) · {} − ½, 0)", fmt_num(g.area_scale(axis) as f32)),
            (Mode::Bicubic, false) => format!(
                "src = (dst + ½) · {} − ½; taps ⌊src⌋ − 1 … ⌊src⌋ + 2, clamped to 0 … {}",
                fmt_num(g.area_scale(axis) as f32),
                i - 1
            ),
        };
        lines.push(format!("{size};  {map}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(i: usize, o: usize, align: bool) -> InterpolateGeometry {
        InterpolateGeometry::new([1, 1, i, i], Mode::Bilinear, Some([o, o]), None, align).unwrap()
    }

    #[test]
    fn source_indices_follow_pytorch() {
        // align_corners=False, 2 → 4: src = (dst + ½)/2 − ½, clamped at 0.
        let g = geometry(2, 4, false);
        let src: Vec<f64> = (0..4).map(|d| g.source_index(0, d)).collect();
        assert_eq!(src, [0.0, 0.25, 0.75, 1.25]);
        // align_corners=True, 3 → 5: src = dst · 2/4.
        let g = geometry(3, 5, true);
        assert_eq!((0..5).map(|d| g.source_index(0, d)).collect::<Vec<_>>(), [0.0, 0.5, 1.0, 1.5, 2.0]);
    }

    #[test]
    fn a_given_scale_factor_maps_with_its_reciprocal() {
        // 3 × 1.5 → 4 cells, mapped with 1/1.5 (PyTorch), not 3/4.
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Bilinear, None, Some([1.5, 1.5]), false).unwrap();
        assert_eq!(g.output, [1, 1, 4, 4]);
        assert!((g.source_index(0, 1) - (1.5 / 1.5 - 0.5)).abs() < 1e-12);
        // With recompute_scale_factor, the sizes' ratio 3/4 is used instead.
        let g = InterpolateGeometry::with_recompute([1, 1, 3, 3], Mode::Bilinear, None, Some([1.5, 1.5]), false, true)
            .unwrap();
        assert!((g.source_index(0, 1) - (1.5 * 0.75 - 0.5)).abs() < 1e-12);
    }

    #[test]
    fn same_size_copies_and_double_size_halves_for_nearest() {
        // PyTorch copies when the output size equals the input's, whatever scale_factor says.
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Bilinear, None, Some([1.2, 1.2]), false).unwrap();
        assert_eq!(g.axis_taps(0, 1).taps[0], (1, 1.0));
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([2.1, 2.1]), false).unwrap();
        assert_eq!((0..6).map(|d| g.axis_taps(0, d).taps[0].0).collect::<Vec<_>>(), [0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn cubic_weights_sum_to_one_and_interpolate() {
        for t in [0.0, 0.25, 0.5, 0.9] {
            let w = cubic_coefficients(t);
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{t}: {w:?}");
        }
        assert_eq!(cubic_coefficients(0.0), [0.0, 1.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_settings_are_explained() {
        let err = InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([2.0, 2.0]), true).unwrap_err();
        assert!(err.message.contains("align_corners can only be set"));
        let err = InterpolateGeometry::new([1, 1, 1, 1], Mode::Nearest, None, Some([0.5, 0.5]), false).unwrap_err();
        assert!(err.message.contains("greater than 0"), "{}", err.message);
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([0.0, 1.0]), false).is_err());
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, Some([0, 3]), None, false).is_err());
    }
}
