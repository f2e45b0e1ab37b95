//! RoI pooling: `deform_roi_pool` (Dai et al. 2017, mmcv `DeformRoIPool`: bins shifted by
//! γ·(RoI size)·offset, each the average of sampling_ratio² bilinear samples) with its
//! baselines `roi_align` (torchvision, `aligned` true/false) and `roi_pool` (torchvision,
//! quantised max), on the same RoI. Answers `convscope eval` for all three.

use ndarray::Array4;
use serde_json::Value;

use super::conv2d::shape4;
use super::{Editable, Edits, Operator, Run, Tensor, controls, preset_tensor};
use crate::eval::{Args, tensor_to_json};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{
    BoxMark, CellRef, Combine, Constant, Grid, OffsetHandle, ParamHandle, Role, Source, Step, Tap, Trace, Write,
    fmt_num,
};

pub struct RoiPooling;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// torchvision roi_align; `aligned` shifts the box by half a pixel.
    Align { aligned: bool },
    /// torchvision roi_pool: quantised bins, max.
    Pool,
    /// mmcv deform_roi_pool: roi_align(aligned=True) with bins shifted by γ·size·offset.
    Deform { gamma: f32 },
}

/// Most bilinear samples one bin may take when the sampling ratio is adaptive.
const MAX_SAMPLES_PER_BIN: usize = 64 * 64;

/// One RoI, `[batch index, x1, y1, x2, y2]` in input-image coordinates.
pub type Roi = [f32; 5];

/// One axis of the RoI sampler: a coordinate at or before 0 reads the first cell, one at or
/// past the last cell reads only the last; returns the coordinate used and the two cells.
fn clamp_axis(v: f32, len: usize) -> (f32, usize, usize) {
    let v = v.max(0.0);
    let low = v as usize;
    if low >= len - 1 { ((len - 1) as f32, len - 1, len - 1) } else { (v, low, low + 1) }
}

/// torchvision/mmcv `bilinear_interpolate` for RoI ops: zero beyond a cell outside the map,
/// else clamped into it. Returns the value and the corners `(row, col, weight)`.
pub fn roi_sample(
    plane: impl Fn(usize, usize) -> f32,
    height: usize,
    width: usize,
    y: f32,
    x: f32,
) -> (f32, Vec<(usize, usize, f32)>) {
    if y < -1.0 || y > height as f32 || x < -1.0 || x > width as f32 {
        return (0.0, Vec::new());
    }
    let (y, y0, y1) = clamp_axis(y, height);
    let (x, x0, x1) = clamp_axis(x, width);
    let (ly, lx) = (y - y0 as f32, x - x0 as f32);
    let (hy, hx) = (1.0 - ly, 1.0 - lx);
    let value = hy * hx * plane(y0, x0) + hy * lx * plane(y0, x1) + ly * hx * plane(y1, x0) + ly * lx * plane(y1, x1);
    let mut corners: Vec<(usize, usize, f32)> = Vec::with_capacity(4);
    for (r, c, w) in [(y0, x0, hy * hx), (y0, x1, hy * lx), (y1, x0, ly * hx), (y1, x1, ly * lx)] {
        match corners.iter_mut().find(|(a, b, _)| (*a, *b) == (r, c)) {
            Some(corner) => corner.2 += w,
            None => corners.push((r, c, w)),
        }
    }
    (value, corners)
}

/// Output `[K, C, ph, pw]`; with a trace, one step per bin (first channel only shown
/// unless the trace wants all), the RoI and the current bin drawn as boxes.
#[allow(clippy::too_many_arguments)]
pub fn roi_pooling(
    x: &Array4<f32>,
    rois: &[Roi],
    offset: Option<&Array4<f32>>,
    output_size: [usize; 2],
    spatial_scale: f32,
    sampling_ratio: usize,
    method: Method,
    mut trace: Option<&mut Trace>,
) -> Result<Array4<f32>, String> {
    let (n, c, h, w) = x.dim();
    let [ph, pw] = output_size;
    let mut y = Array4::<f32>::zeros((rois.len(), c, ph, pw));
    let ids = trace.as_deref_mut().map(|t| {
        let input = t.add_grid(Grid::from_array("x", "feature map x", Role::Input, x));
        let output = t.add_grid(Grid::new("y", "pooled y", Role::Output, [rois.len(), c, ph, pw]));
        let (name, explain) = match method {
            Method::Align { .. } => {
                ("RoIAlign bins", "Each bin averages a grid of bilinear samples; nothing is rounded.")
            }
            Method::Pool => {
                ("RoI max pooling", "The RoI and its bins are rounded to whole cells; each bin keeps its maximum.")
            }
            Method::Deform { .. } => (
                "deformable RoI bins",
                "Each bin is shifted by γ·(RoI size)·offset, then averages its bilinear samples.",
            ),
        };
        t.add_stage(name, explain);
        (input, output)
    });
    for (k, roi) in rois.iter().enumerate() {
        if roi.iter().any(|v| !v.is_finite()) {
            return Err(format!("RoI {k} has a non-finite coordinate: {roi:?}"));
        }
        let b = roi[0];
        if b < 0.0 || b as usize >= n || b.fract() != 0.0 {
            return Err(format!("RoI {k} names batch index {b}, but the input has {n} images"));
        }
        let b = b as usize;
        // Boxes are drawn in cell-edge coordinates (cell r spans r…r + 1); the libraries'
        // continuous coordinates put cell centres at integers, hence the + ½ below.
        let roi_outline: [f32; 4];
        match method {
            Method::Pool => {
                // Rounded like C's round(), then kept far from overflow: a RoI is clamped
                // to a generous frame around the map.
                let limit = (4 * (h + w)) as f32;
                let round = |v: f32| (v * spatial_scale).round().clamp(-limit, limit) as isize;
                let (x1, y1, x2, y2) = (round(roi[1]), round(roi[2]), round(roi[3]), round(roi[4]));
                let roi_w = (x2 - x1 + 1).max(1) as f32;
                let roi_h = (y2 - y1 + 1).max(1) as f32;
                roi_outline = [y1 as f32, x1 as f32, y1 as f32 + roi_h, x1 as f32 + roi_w];
                let (bin_h, bin_w) = (roi_h / ph as f32, roi_w / pw as f32);
                for ch in 0..c {
                    for r in 0..ph {
                        for q in 0..pw {
                            let clamp = |v: isize, hi: usize| v.clamp(0, hi as isize) as usize;
                            let hs = clamp((r as f32 * bin_h).floor() as isize + y1, h);
                            let he = clamp(((r + 1) as f32 * bin_h).ceil() as isize + y1, h);
                            let ws = clamp((q as f32 * bin_w).floor() as isize + x1, w);
                            let we = clamp(((q + 1) as f32 * bin_w).ceil() as isize + x1, w);
                            let empty = he <= hs || we <= ws;
                            let mut best = if empty { 0.0 } else { f32::NEG_INFINITY };
                            let mut taps = Vec::new();
                            for yy in hs..he {
                                for xx in ws..we {
                                    let v = x[[b, ch, yy, xx]];
                                    best = best.max(v);
                                    if let Some((input, _)) = ids {
                                        taps.push(Tap {
                                            weight: None,
                                            weight_value: 1.0,
                                            source: Source::Cell(CellRef { grid: input, index: [b, ch, yy, xx] }),
                                            value: v,
                                            product: v,
                                        });
                                    }
                                }
                            }
                            y[[k, ch, r, q]] = best;
                            if let (Some(t), Some((input, output))) = (trace.as_deref_mut(), ids) {
                                let target = CellRef { grid: output, index: [k, ch, r, q] };
                                let write = if empty {
                                    Write {
                                        target,
                                        combine: Combine::Set,
                                        taps,
                                        constant: Some(Constant { value: 0.0, cell: None }),
                                        value: 0.0,
                                    }
                                } else {
                                    Write { target, combine: Combine::Max, taps, constant: None, value: best }
                                };
                                t.steps.push(Step { stage: 0, writes: vec![write], focus: Vec::new() });
                                t.boxes.push(BoxMark {
                                    grid: input,
                                    min: [hs as f32, ws as f32],
                                    max: [he as f32, we as f32],
                                    step: Some(t.steps.len()),
                                });
                            }
                        }
                    }
                }
            }
            Method::Align { .. } | Method::Deform { .. } => {
                let half = match method {
                    Method::Align { aligned: false } => 0.0,
                    _ => 0.5,
                };
                let x1 = roi[1] * spatial_scale - half;
                let y1 = roi[2] * spatial_scale - half;
                let (mut roi_w, mut roi_h) = (roi[3] * spatial_scale - half - x1, roi[4] * spatial_scale - half - y1);
                if method == (Method::Align { aligned: false }) {
                    roi_w = roi_w.max(1.0);
                    roi_h = roi_h.max(1.0);
                }
                roi_outline = [y1 + 0.5, x1 + 0.5, y1 + roi_h + 0.5, x1 + roi_w + 0.5];
                let (bin_h, bin_w) = (roi_h / ph as f32, roi_w / pw as f32);
                let grid_h =
                    if sampling_ratio > 0 { sampling_ratio } else { (roi_h / ph as f32).ceil().max(1.0) as usize };
                let grid_w =
                    if sampling_ratio > 0 { sampling_ratio } else { (roi_w / pw as f32).ceil().max(1.0) as usize };
                if grid_h.saturating_mul(grid_w) > MAX_SAMPLES_PER_BIN {
                    return Err(format!(
                        "RoI {k} is so large that adaptive sampling would take {grid_h}×{grid_w} samples per bin; give a sampling_ratio"
                    ));
                }
                let count = (grid_h * grid_w).max(1) as f32;
                for ch in 0..c {
                    for r in 0..ph {
                        for q in 0..pw {
                            let (mut sy, mut sx) = (y1, x1);
                            if let (Method::Deform { gamma }, Some(off)) = (method, offset) {
                                sx += gamma * roi_w * off[[k, 0, r, q]];
                                sy += gamma * roi_h * off[[k, 1, r, q]];
                            }
                            let mut acc = 0.0f32;
                            let mut taps = Vec::new();
                            for iy in 0..grid_h {
                                let yy = sy + r as f32 * bin_h + (iy as f32 + 0.5) * bin_h / grid_h as f32;
                                for ix in 0..grid_w {
                                    let xx = sx + q as f32 * bin_w + (ix as f32 + 0.5) * bin_w / grid_w as f32;
                                    let (v, corners) = roi_sample(|a, e| x[[b, ch, a, e]], h, w, yy, xx);
                                    acc += v;
                                    if let Some((input, _)) = ids {
                                        let corners = corners
                                            .into_iter()
                                            .map(|(a, e, wt)| (CellRef { grid: input, index: [b, ch, a, e] }, wt))
                                            .collect();
                                        taps.push(Tap {
                                            weight: None,
                                            weight_value: 1.0 / count,
                                            source: Source::Bilinear {
                                                grid: input,
                                                position: [yy, xx],
                                                corners,
                                                mask: None,
                                                anchor: None,
                                                handle: None,
                                            },
                                            value: v,
                                            product: v * (1.0 / count),
                                        });
                                    }
                                }
                            }
                            let value = acc / count;
                            y[[k, ch, r, q]] = value;
                            if let (Some(t), Some((input, output))) = (trace.as_deref_mut(), ids) {
                                // The write sums v/count; the eval path divides the sum once, as the libraries do.
                                let target = CellRef { grid: output, index: [k, ch, r, q] };
                                let replayed = taps.iter().fold(0.0f32, |a, tap: &Tap| a + tap.product);
                                let off = t.grids[output].offset(target.index);
                                t.grids[output].values[off] = replayed;
                                t.steps.push(Step {
                                    stage: 0,
                                    writes: vec![Write {
                                        target,
                                        combine: Combine::Set,
                                        taps,
                                        constant: None,
                                        value: replayed,
                                    }],
                                    focus: Vec::new(),
                                });
                                let (top, left) = (sy + r as f32 * bin_h + 0.5, sx + q as f32 * bin_w + 0.5);
                                t.boxes.push(BoxMark {
                                    grid: input,
                                    min: [top, left],
                                    max: [top + bin_h, left + bin_w],
                                    step: Some(t.steps.len()),
                                });
                            }
                        }
                    }
                }
            }
        }
        if let (Some(t), Some((input, _))) = (trace.as_deref_mut(), ids) {
            let [top, left, bottom, right] = roi_outline;
            t.boxes.push(BoxMark { grid: input, min: [top, left], max: [bottom, right], step: None });
        }
    }
    if let (Some(t), Some((_, output)), Method::Pool) = (trace, ids, method) {
        t.grids[output].values = y.iter().copied().collect();
    }
    Ok(y)
}

const OFFSET_PRESETS: &[(&str, &str)] = &[
    ("zero", "zero (= RoIAlign, aligned)"),
    ("shift", "shift right"),
    ("spread", "spread outwards"),
    ("random", "random"),
];

const fn half_cells(name: &'static str, label: &'static str, default: i64) -> ParamSpec {
    ParamSpec::int(name, label, 0, 32, default, "A RoI corner, in half cells of the feature map.")
}

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "method",
        "Method",
        &[("deform", "deformable RoI pooling"), ("align", "RoIAlign (baseline)"), ("pool", "RoI pooling (baseline)")],
        "deform",
        "The same RoI pooled three ways: deformable (Dai et al.), RoIAlign, quantised max pooling.",
    ),
    ParamSpec::choice(
        "aligned",
        "aligned (RoIAlign)",
        &[("true", "true"), ("false", "false")],
        "true",
        "Shift the box by half a pixel (true, as deformable pooling does).",
    ),
    half_cells("x1", "RoI x1", 2),
    half_cells("y1", "RoI y1", 3),
    half_cells("x2", "RoI x2", 13),
    half_cells("y2", "RoI y2", 12),
    ParamSpec::int("output_size", "Output size", 1, 4, 3, "Bins per side (pooled height and width)."),
    ParamSpec::int("sampling_ratio", "Sampling ratio", 1, 4, 2, "Bilinear samples per bin side."),
    ParamSpec::int("gamma", "γ (tenths)", 0, 10, 1, "Scales the offsets by the RoI's size (1 = 0.1, mmcv's default)."),
    ParamSpec::choice(
        "offsets",
        "Bin offsets",
        OFFSET_PRESETS,
        "spread",
        "Learned per-bin offsets (x, y), normalised by the RoI size.",
    ),
    ParamSpec::int("strength", "Offset strength", 0, 20, 10, "Scales the offset preset, in tenths."),
    controls::height(8),
    controls::width(8),
    ParamSpec::choice("input_values", "Input values", controls::VALUE_PRESETS, "blob", "Preset for the feature map."),
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

impl Operator for RoiPooling {
    fn name(&self) -> &'static str {
        "deform_roi_pool"
    }

    fn title(&self) -> &'static str {
        "deformable RoI pooling (vs RoIAlign, RoI pooling)"
    }

    fn summary(&self) -> &'static str {
        "A RoI is divided into bins; each bin averages bilinear samples (RoIAlign), shifted by learned offsets (deformable), or keeps the max of whole cells (RoI pooling)."
    }

    fn schema(&self) -> &'static [ParamSpec] {
        SCHEMA
    }

    fn also_answers(&self) -> &'static [&'static str] {
        &["roi_align", "roi_pool"]
    }

    fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        let half = |name: &str| params.int(name) as f32 / 2.0;
        let (x1, y1, x2, y2) = (half("x1"), half("y1"), half("x2"), half("y2"));
        if x2 <= x1 {
            return Err(ParamError::new("x2", format!("the RoI is inverted: x2 ({x2}) must be right of x1 ({x1})")));
        }
        if y2 <= y1 {
            return Err(ParamError::new("y2", format!("the RoI is inverted: y2 ({y2}) must be below y1 ({y1})")));
        }
        let (h, w) = (params.usize("height"), params.usize("width"));
        let x =
            preset_tensor(params.choice("input_values"), [1, 1, h, w], params.int("seed") as u64, Tensor::Input, edits);
        let bins = params.usize("output_size");
        let gamma = params.int("gamma") as f32 / 10.0;
        let method = match params.choice("method") {
            "align" => Method::Align { aligned: params.choice("aligned") == "true" },
            "pool" => Method::Pool,
            _ => Method::Deform { gamma },
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
        let roi = [0.0, x1, y1, x2, y2];
        roi_pooling(
            &x,
            &[roi],
            Some(&offset),
            [bins, bins],
            1.0,
            params.usize("sampling_ratio"),
            method,
            Some(&mut trace),
        )
        .map_err(ParamError::general)?;
        // Bin handles (deformable only): each bin's centre, moved by γ·(RoI size)·offset from
        // where it sits without one; dragging it sets that bin's offsets.
        if let (Method::Deform { gamma }, true) = (method, gamma > 0.0) {
            let (rh, rw) = (y2 - y1, x2 - x1);
            for r in 0..bins {
                for q in 0..bins {
                    let anchor = [
                        y1 - 0.5 + (r as f32 + 0.5) * rh / bins as f32,
                        x1 - 0.5 + (q as f32 + 0.5) * rw / bins as f32,
                    ];
                    let moved = [gamma * rh * offset[[0, 1, r, q]], gamma * rw * offset[[0, 0, r, q]]];
                    trace.offset_handles.push(OffsetHandle {
                        grid: 0,
                        position: [anchor[0] + moved[0], anchor[1] + moved[1]],
                        anchor,
                        rows: [0, 1, r, q],
                        cols: [0, 0, r, q],
                        scale: [1.0 / (gamma * rh), 1.0 / (gamma * rw)],
                    });
                }
            }
        }
        // Corner handles: dragging them resizes (or, corner by corner, moves) the RoI. Their
        // positions are where the corners are drawn, in cell-centre coordinates.
        let (lo, hi) = match method {
            Method::Pool => ([y1.round() - 0.5, x1.round() - 0.5], [y2.round() + 0.5, x2.round() + 0.5]),
            Method::Align { aligned: false } => ([y1, x1], [y2, x2]),
            _ => ([y1 - 0.5, x1 - 0.5], [y2 - 0.5, x2 - 0.5]),
        };
        // Where a corner is dropped, in cells, back to the corner coordinate: + ½ for the
        // half-pixel shift of aligned sampling and for the first rounded cell's edge.
        let (lo_offset, hi_offset) = match method {
            Method::Pool => (0.5, -0.5),
            Method::Align { aligned: false } => (0.0, 0.0),
            _ => (0.5, 0.5),
        };
        for (position, params, offset) in [(lo, ["y1", "x1"], lo_offset), (hi, ["y2", "x2"], hi_offset)] {
            trace.handles.push(ParamHandle { grid: 0, position, params, scale: 2.0, offset });
        }
        let formula = match method {
            Method::Pool => vec![
                format!(
                    "RoI rounded to cells: x {}…{}, y {}…{}; bins of {}×{} cells, rounded outwards",
                    x1.round(),
                    x2.round(),
                    y1.round(),
                    y2.round(),
                    fmt_num((y2.round() - y1.round() + 1.0) / bins as f32),
                    fmt_num((x2.round() - x1.round() + 1.0) / bins as f32)
                ),
                "each bin keeps its maximum; an empty bin gives 0".into(),
            ],
            Method::Align { aligned } => vec![
                format!(
                    "RoI {} → bins of {}×{} cells, nothing rounded",
                    if aligned { "shifted by −½" } else { "as given (size at least 1)" },
                    fmt_num((y2 - y1) / bins as f32),
                    fmt_num((x2 - x1) / bins as f32)
                ),
                format!("each bin averages {0}×{0} bilinear samples", params.usize("sampling_ratio")),
            ],
            Method::Deform { gamma } => vec![
                format!(
                    "bin (i, j) moves by γ·(w, h)·offset[i, j] = {}·({}, {})·(Δx, Δy)",
                    fmt_num(gamma),
                    fmt_num(x2 - x1),
                    fmt_num(y2 - y1)
                ),
                format!(
                    "then averages {0}×{0} bilinear samples like RoIAlign(aligned = true)",
                    params.usize("sampling_ratio")
                ),
            ],
        };
        Ok(Run {
            formula,
            facts: vec![format!(
                "RoI ({}, {}) – ({}, {}) on a {h}×{w} map; {bins}×{bins} bins",
                fmt_num(x1),
                fmt_num(y1),
                fmt_num(x2),
                fmt_num(y2)
            )],
            editable: vec![Editable { grid: 0, tensor: Tensor::Input }],
            pick: None,
            trace,
        })
    }

    fn eval(&self, op: &str, args: &Args) -> Result<Value, String> {
        let x = args.tensor4("input")?;
        let key = if op == "deform_roi_pool" { "rois" } else { "boxes" };
        let rois = args.rois(key)?;
        let output_size = args.pair("output_size", 1)?;
        let spatial_scale = args.float("spatial_scale", 1.0)?;
        let ratio = args.float("sampling_ratio", if op == "roi_align" { -1.0 } else { 0.0 })?;
        let sampling_ratio = if ratio > 0.0 { ratio as usize } else { 0 };
        let (method, offset) = match op {
            "roi_pool" => (Method::Pool, None),
            "roi_align" => {
                let aligned = match args.0.get("aligned") {
                    None | Some(Value::Null) => false,
                    Some(v) => v.as_bool().ok_or("\"aligned\" must be true or false")?,
                };
                (Method::Align { aligned }, None)
            }
            _ => {
                let offset = match args.0.get("offset") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(args.tensor4("offset")?),
                };
                if let Some(off) = &offset {
                    let want = [rois.len(), 2, output_size[0], output_size[1]];
                    if shape4(off) != want {
                        return Err(format!("offset must have shape {want:?}, got {:?}", shape4(off)));
                    }
                }
                (Method::Deform { gamma: args.float("gamma", 0.1)? }, offset)
            }
        };
        if output_size.contains(&0) {
            return Err("output_size must be at least 1".into());
        }
        crate::eval::check_output([rois.len(), x.shape()[1], output_size[0], output_size[1]])?;
        let y = roi_pooling(&x, &rois, offset.as_ref(), output_size, spatial_scale, sampling_ratio, method, None)?;
        Ok(tensor_to_json(&y))
    }
}
