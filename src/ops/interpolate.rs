//! `interpolate`: PyTorch's `F.interpolate` in `bilinear` and `nearest` modes, with `size` or
//! `scale_factor` and `align_corners`. Each output cell is one step: its fractional source
//! position, the (up to) four source cells and their weights.

use ndarray::Array4;
use serde_json::Value;

use super::conv2d::shape4;
use super::{Editable, Edits, Operator, Run, Tensor, controls, input_tensor};
use crate::eval::{Args, tensor_to_json};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Combine, Grid, GridId, Role, Source, Step, Tap, Trace, Write, fmt_num};

pub struct Interpolate;

/// Largest output side the page animates.
const MAX_OUT: usize = 64;

const SCALES: &[(&str, &str)] = &[("0.5", "× 0.5"), ("1.5", "× 1.5"), ("2", "× 2"), ("3", "× 3"), ("4", "× 4")];

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "mode",
        "Mode",
        &[("bilinear", "bilinear"), ("nearest", "nearest")],
        "bilinear",
        "bilinear weighs the four nearest cells; nearest copies one.",
    ),
    ParamSpec::choice(
        "align_corners",
        "align_corners",
        &[("false", "false"), ("true", "true")],
        "false",
        "true: corner cells of input and output line up exactly; false: cell centres scale (PyTorch's default).",
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

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mode {
    Bilinear,
    Nearest,
}

/// A checked interpolation: output size and, per axis, the scale PyTorch maps indices with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InterpolateGeometry {
    pub input: [usize; 4],
    pub output: [usize; 4],
    pub mode: Mode,
    pub align_corners: bool,
    /// The `scale_factor` per axis, if given (PyTorch then maps with 1/scale, not in/out).
    pub scale_factor: Option<[f64; 2]>,
}

impl InterpolateGeometry {
    /// Exactly one of `size` and `scale_factor` must be given.
    pub fn new(
        input: [usize; 4],
        mode: Mode,
        size: Option<[usize; 2]>,
        scale_factor: Option<[f64; 2]>,
        align_corners: bool,
    ) -> Result<Self, ParamError> {
        if input.contains(&0) {
            return Err(ParamError::new(
                "height",
                format!("the input must have at least one cell, got shape {input:?}"),
            ));
        }
        if mode == Mode::Nearest && align_corners {
            return Err(ParamError::new(
                "align_corners",
                "align_corners can only be set with an interpolating mode (bilinear); nearest has no corners to align",
            ));
        }
        let out = match (size, scale_factor) {
            (Some(_), Some(_)) => return Err(ParamError::general("give either size or scale_factor, not both")),
            (None, None) => return Err(ParamError::general("give size or scale_factor")),
            (Some(size), None) => {
                if size.contains(&0) {
                    return Err(ParamError::new("out_height", "the output size must be at least 1×1"));
                }
                size
            }
            (None, Some(scale)) => {
                if scale.iter().any(|s| !s.is_finite() || *s <= 0.0) {
                    return Err(ParamError::new("scale_factor", "scale_factor must be a positive number"));
                }
                let out = [0, 1].map(|a| (input[2 + a] as f64 * scale[a]).floor() as usize);
                if out.contains(&0) {
                    return Err(ParamError::new(
                        "scale_factor",
                        format!("scale_factor shrinks the {}×{} input to nothing", input[2], input[3]),
                    ));
                }
                out
            }
        };
        if out.iter().any(|&o| o > 4096) {
            return Err(ParamError::new("scale_factor", format!("an output of {}×{} is too large", out[0], out[1])));
        }
        Ok(InterpolateGeometry {
            input,
            output: [input[0], input[1], out[0], out[1]],
            mode,
            align_corners,
            scale_factor,
        })
    }

    /// PyTorch's `area_pixel_compute_scale` (bilinear) / nearest scale for one axis.
    fn scale(&self, axis: usize) -> f64 {
        let (input, output) = (self.input[2 + axis] as f64, self.output[2 + axis] as f64);
        if self.align_corners {
            if output > 1.0 { (input - 1.0) / (output - 1.0) } else { 0.0 }
        } else {
            match self.scale_factor {
                Some(scale) => 1.0 / scale[axis],
                None => input / output,
            }
        }
    }

    /// The fractional source index of output index `dst` along `axis`.
    pub fn source_index(&self, axis: usize, dst: usize) -> f64 {
        let scale = self.scale(axis);
        match self.mode {
            Mode::Nearest => ((dst as f64 * scale).floor()).min(self.input[2 + axis] as f64 - 1.0),
            Mode::Bilinear if self.align_corners => scale * dst as f64,
            Mode::Bilinear => (scale * (dst as f64 + 0.5) - 0.5).max(0.0),
        }
    }
}

/// Bilinear interpolation of channel `(n, c)` of `x` at fractional `(row, col)`, as PyTorch's
/// upsample_bilinear2d computes it; returns the value and the corners with their weights
/// (a corner counted twice at the border is merged).
pub fn bilinear_sample(x: &Array4<f32>, n: usize, c: usize, row: f64, col: f64) -> (f32, Vec<([usize; 4], f32)>) {
    let (h, w) = (x.shape()[2], x.shape()[3]);
    let (h0, w0) = (row as usize, col as usize);
    let (h1, w1) = ((h0 + 1).min(h - 1), (w0 + 1).min(w - 1));
    let (lh1, lw1) = ((row - h0 as f64) as f32, (col - w0 as f64) as f32);
    let (lh0, lw0) = (1.0 - lh1, 1.0 - lw1);
    let at = |r: usize, q: usize| x[[n, c, r, q]];
    let value = lh0 * (lw0 * at(h0, w0) + lw1 * at(h0, w1)) + lh1 * (lw0 * at(h1, w0) + lw1 * at(h1, w1));
    let mut corners: Vec<([usize; 4], f32)> = Vec::with_capacity(4);
    for (r, lr) in [(h0, lh0), (h1, lh1)] {
        for (q, lq) in [(w0, lw0), (w1, lw1)] {
            match corners.iter_mut().find(|(index, _)| *index == [n, c, r, q]) {
                Some((_, weight)) => *weight += lr * lq,
                None => corners.push(([n, c, r, q], lr * lq)),
            }
        }
    }
    (value, corners)
}

/// PyTorch's interpolate; with a trace, one step per output cell.
pub fn interpolate(
    x: &Array4<f32>,
    g: &InterpolateGeometry,
    trace: Option<(&mut Trace, GridId, GridId, usize)>,
) -> Array4<f32> {
    let [n, c, oh, ow] = g.output;
    let rows: Vec<f64> = (0..oh).map(|r| g.source_index(0, r)).collect();
    let cols: Vec<f64> = (0..ow).map(|q| g.source_index(1, q)).collect();
    let mut y = Array4::<f32>::zeros(g.output);
    let mut steps = Vec::new();
    for i in 0..n {
        for j in 0..c {
            for (r, &row) in rows.iter().enumerate() {
                for (q, &col) in cols.iter().enumerate() {
                    let (value, source) = match g.mode {
                        Mode::Nearest => {
                            let index = [i, j, row as usize, col as usize];
                            (x[index], SourceSpec::Cell(index))
                        }
                        Mode::Bilinear => {
                            let (value, corners) = bilinear_sample(x, i, j, row, col);
                            (value, SourceSpec::Bilinear([row as f32, col as f32], corners))
                        }
                    };
                    // A write of one weightless tap replaces the cell with 0 + value.
                    let value = 0.0 + value;
                    y[[i, j, r, q]] = value;
                    if trace.is_some() {
                        steps.push(([i, j, r, q], value, source));
                    }
                }
            }
        }
    }
    if let Some((t, input, output, stage)) = trace {
        for (target, value, source) in steps {
            let source = match source {
                SourceSpec::Cell(index) => Source::Cell(CellRef { grid: input, index }),
                SourceSpec::Bilinear(position, corners) => Source::Bilinear {
                    grid: input,
                    position,
                    corners: corners.into_iter().map(|(index, w)| (CellRef { grid: input, index }, w)).collect(),
                    mask: None,
                    anchor: None,
                    handle: None,
                },
            };
            let tap = Tap { weight: None, weight_value: 1.0, source, value, product: value };
            let target = CellRef { grid: output, index: target };
            t.steps.push(Step {
                stage,
                writes: vec![Write { target, combine: Combine::Set, taps: vec![tap], constant: None, value }],
                focus: Vec::new(),
            });
        }
        t.grids[output].values = y.iter().copied().collect();
    }
    y
}

enum SourceSpec {
    Cell([usize; 4]),
    Bilinear([f32; 2], Vec<([usize; 4], f32)>),
}

impl Operator for Interpolate {
    fn name(&self) -> &'static str {
        "interpolate"
    }

    fn title(&self) -> &'static str {
        "interpolate (bilinear, nearest)"
    }

    fn summary(&self) -> &'static str {
        "Resizes each channel: every output cell maps back to a fractional source position and mixes the nearest cells."
    }

    fn schema(&self) -> &'static [ParamSpec] {
        SCHEMA
    }

    fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        let input_shape = [1, params.usize("channels"), params.usize("height"), params.usize("width")];
        let mode = if params.choice("mode") == "nearest" { Mode::Nearest } else { Mode::Bilinear };
        let (size, scale) = if params.choice("resize_by") == "size" {
            (Some([params.usize("out_height"), params.usize("out_width")]), None)
        } else {
            let scale: f64 = params.choice("scale_factor").parse().unwrap_or(2.0);
            (None, Some([scale; 2]))
        };
        let g = InterpolateGeometry::new(input_shape, mode, size, scale, params.choice("align_corners") == "true")?;
        if g.output[2] > MAX_OUT || g.output[3] > MAX_OUT {
            return Err(ParamError::new("out_height", format!("the page animates outputs up to {MAX_OUT}×{MAX_OUT}")));
        }
        let x = input_tensor(params, "channels", edits);
        let mut trace = Trace::default();
        let input = trace.add_grid(Grid::from_array("x", "input x", Role::Input, &x));
        let output = trace.add_grid(Grid::new("y", "output y", Role::Output, g.output));
        let stage = trace.add_stage(
            match mode {
                Mode::Bilinear => "bilinear sampling",
                Mode::Nearest => "nearest sampling",
            },
            match mode {
                Mode::Bilinear => {
                    "Each output cell maps to a fractional position in the input and mixes the four cells around it."
                }
                Mode::Nearest => "Each output cell copies the input cell its position falls in.",
            },
        );
        interpolate(&x, &g, Some((&mut trace, input, output, stage)));
        Ok(Run {
            formula: formula(&g),
            facts: vec!["weights: none (a fixed resampling)".into()],
            editable: vec![Editable { grid: input, tensor: Tensor::Input }],
            pick: None,
            trace,
        })
    }

    fn eval(&self, _op: &str, args: &Args) -> Result<Value, String> {
        let x = args.tensor4("input")?;
        let mode = match args.0.get("mode").and_then(Value::as_str).unwrap_or("nearest") {
            "bilinear" => Mode::Bilinear,
            "nearest" => Mode::Nearest,
            other => return Err(format!("mode \"{other}\" is not supported; use \"bilinear\" or \"nearest\"")),
        };
        let size = match args.0.get("size") {
            None | Some(Value::Null) => None,
            Some(_) => Some(args.pair("size", 1)?),
        };
        let scale = match args.0.get("scale_factor") {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) if items.len() == 2 => {
                let f = |v: &Value| v.as_f64().ok_or("\"scale_factor\" must hold numbers".to_string());
                Some([f(&items[0])?, f(&items[1])?])
            }
            Some(v) => Some([v.as_f64().ok_or("\"scale_factor\" must be a number or a pair")?; 2]),
        };
        let align_corners = match args.0.get("align_corners") {
            None | Some(Value::Null) => false,
            Some(v) => v.as_bool().ok_or("\"align_corners\" must be true or false")?,
        };
        let g = InterpolateGeometry::new(shape4(&x), mode, size, scale, align_corners).map_err(|e| e.message)?;
        crate::eval::check_output(g.output)?;
        Ok(tensor_to_json(&interpolate(&x, &g, None)))
    }
}

fn formula(g: &InterpolateGeometry) -> Vec<String> {
    let mut lines = Vec::new();
    for (axis, name) in ["H", "W"].into_iter().enumerate() {
        let (i, o) = (g.input[2 + axis], g.output[2 + axis]);
        let size = match g.scale_factor {
            Some(s) => format!("{name}_out = ⌊{name} · scale_factor⌋ = ⌊{i} · {}⌋ = {o}", fmt_num(s[axis] as f32)),
            None => format!("{name}_out = size = {o}"),
        };
        let map = match (g.mode, g.align_corners) {
            (Mode::Nearest, _) => format!("src = min(⌊dst · {}⌋, {})", fmt_num(g.scale(axis) as f32), i - 1),
            (Mode::Bilinear, true) => {
                format!("src = dst · ({i} − 1)/({o} − 1) = dst · {}", fmt_num(g.scale(axis) as f32))
            }
            (Mode::Bilinear, false) => format!("src = max((dst + ½) · {} − ½, 0)", fmt_num(g.scale(axis) as f32)),
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
    }

    #[test]
    fn bad_settings_are_explained() {
        let err = InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([2.0, 2.0]), true).unwrap_err();
        assert!(err.message.contains("align_corners can only be set"));
        let err = InterpolateGeometry::new([1, 1, 1, 1], Mode::Nearest, None, Some([0.5, 0.5]), false).unwrap_err();
        assert!(err.message.contains("to nothing"), "{}", err.message);
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([0.0, 1.0]), false).is_err());
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, Some([0, 3]), None, false).is_err());
    }
}
