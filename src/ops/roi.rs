//! RoI pooling: `deform_roi_pool` (Dai et al. 2017, mmcv `DeformRoIPool`: bins shifted by
//! γ·(RoI size)·offset, each the average of sampling_ratio² bilinear samples) with its
//! baselines `roi_align` (torchvision, `aligned` true/false) and `roi_pool` (torchvision,
//! quantised max), on the same RoI. Answers `convscope eval` for all three.

use ndarray::Array4;

use super::conv2d::shape4;
use super::deform::Corners;
use super::{Editable, Edits, Meta, Operator, Run, Tensor, controls, preset_tensor, sig};
use crate::args::{
    Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, Tensor as ArgTensor, check_cost, product,
};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{
    BoxMark, CellRef, Combine, Constant, Grid, OffsetHandle, ParamHandle, Role, SampleKernel, Source, Step, Tap, Trace,
    Write, fmt_num,
};

pub struct RoiPooling;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    /// torchvision roi_align; `aligned` shifts the box by half a pixel.
    Align { aligned: bool },
    /// torchvision roi_pool: quantised bins, max.
    Pool,
    /// mmcv deform_roi_pool: roi_align(aligned=True) with bins shifted by γ·size·offset.
    Deform { gamma: f64 },
}

/// Most bilinear samples one bin may take when the sampling ratio is adaptive.
const MAX_SAMPLES_PER_BIN: usize = 64 * 64;

/// One RoI, `[batch index, x1, y1, x2, y2]` in input-image coordinates.
pub type Roi = [f64; 5];

/// One axis of the RoI sampler: a coordinate at or before 0 reads the first cell, one at or
/// past the last cell reads only the last; returns the coordinate used and the two cells.
fn clamp_axis(v: f64, len: usize) -> (f64, usize, usize) {
    let v = v.max(0.0);
    let low = v as usize;
    if low >= len - 1 { ((len - 1) as f64, len - 1, len - 1) } else { (v, low, low + 1) }
}

/// torchvision/mmcv `bilinear_interpolate` for RoI ops: zero beyond a cell outside the map,
/// else clamped into it. Returns the value and the four corners `(row, col, weight)` (a cell
/// may appear twice at the border), none when the point reads zero; nothing is allocated.
pub fn roi_sample(
    plane: impl Fn(usize, usize) -> f32,
    height: usize,
    width: usize,
    y: f64,
    x: f64,
) -> (f32, Option<Corners<usize>>) {
    if !(y >= -1.0 && y <= height as f64 && x >= -1.0 && x <= width as f64) {
        return (0.0, None);
    }
    let (y, y0, y1) = clamp_axis(y, height);
    let (x, x0, x1) = clamp_axis(x, width);
    let (ly, lx) = (y - y0 as f64, x - x0 as f64);
    let (hy, hx) = (1.0 - ly, 1.0 - lx);
    let weights = [hy * hx, hy * lx, ly * hx, ly * lx].map(|w| w as f32);
    let cells = [(y0, x0), (y0, x1), (y1, x0), (y1, x1)];
    let value = weights[0] * plane(y0, x0)
        + weights[1] * plane(y0, x1)
        + weights[2] * plane(y1, x0)
        + weights[3] * plane(y1, x1);
    let corners = [0, 1, 2, 3].map(|i| (cells[i].0, cells[i].1, weights[i]));
    (value, Some(corners))
}

/// One RoI's bins, computed before anything is allocated (for the work cap) and then used
/// to pool. Coordinates are in `f64`, as the libraries compute them for double tensors.
#[derive(Clone, Debug, PartialEq)]
enum Bins {
    /// roi_pool: each bin is a window of whole cells `[start, end)` per axis (maybe empty).
    Quantised { rows: Vec<(usize, usize)>, cols: Vec<(usize, usize)>, outline: [f64; 4] },
    /// roi_align and deform_roi_pool: each bin averages a grid of bilinear samples.
    Sampled { start: [f64; 2], size: [f64; 2], bin: [f64; 2], grid: [usize; 2], outline: [f64; 4] },
}

/// What pooling one RoI needs: the image it reads and its bins.
struct RoiGeometry {
    image: usize,
    bins: Bins,
}

/// The checks and the geometry of RoI `k` (see [`Bins`]).
fn roi_geometry(
    k: usize,
    roi: &Roi,
    shape: [usize; 4],
    output_size: [usize; 2],
    spatial_scale: f64,
    sampling_ratio: i64,
    method: Method,
) -> Result<RoiGeometry, String> {
    let [n, _, h, w] = shape;
    let [ph, pw] = output_size;
    let b = roi[0];
    if !(b >= 0.0 && b < n as f64) {
        return Err(format!(
            "RoI {k}'s batch index {b} must be in [0, {n}): the input has {n} image{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    let bins = match method {
        Method::Pool => {
            // C's round(), kept inside the int range the libraries compute in.
            let round = |v: f64| (v * spatial_scale).round().clamp(i32::MIN as f64, i32::MAX as f64) as i64;
            let (x1, y1, x2, y2) = (round(roi[1]), round(roi[2]), round(roi[3]), round(roi[4]));
            let roi_w = (x2 - x1 + 1).max(1);
            let roi_h = (y2 - y1 + 1).max(1);
            let windows = |start: i64, size: i64, bins: usize, len: usize| -> Vec<(usize, usize)> {
                let bin = size as f64 / bins as f64;
                (0..bins)
                    .map(|i| {
                        let clamp = |v: i64| (v + start).clamp(0, len as i64) as usize;
                        (clamp((i as f64 * bin).floor() as i64), clamp(((i + 1) as f64 * bin).ceil() as i64))
                    })
                    .collect()
            };
            let outline = [y1 as f64, x1 as f64, (y1 + roi_h) as f64, (x1 + roi_w) as f64];
            Bins::Quantised { rows: windows(y1, roi_h, ph, h), cols: windows(x1, roi_w, pw, w), outline }
        }
        Method::Align { .. } | Method::Deform { .. } => {
            let half = if method == (Method::Align { aligned: false }) { 0.0 } else { 0.5 };
            let (x1, y1) = (roi[1] * spatial_scale - half, roi[2] * spatial_scale - half);
            let (mut roi_w, mut roi_h) = (roi[3] * spatial_scale - half - x1, roi[4] * spatial_scale - half - y1);
            if method == (Method::Align { aligned: false }) {
                roi_w = roi_w.max(1.0);
                roi_h = roi_h.max(1.0);
            }
            let bin = [roi_h / ph as f64, roi_w / pw as f64];
            // torchvision sizes a buffer by the product of the two adaptive grid sides: with
            // aligned=True an inverted side makes it negative and roi_align fails, so do we.
            if let (Method::Align { .. }, true) = (method, sampling_ratio <= 0) {
                let [gh, gw] = bin.map(|b| b.ceil() as i64);
                if gh.saturating_mul(gw) < 0 {
                    return Err(format!(
                        "RoI {k} is inverted along one axis only (size {} × {} after the half-pixel shift), so adaptive sampling gets a negative count; torchvision's roi_align fails on it, so convscope refuses it too (give a sampling_ratio, or a box with x2 ≥ x1 and y2 ≥ y1)",
                        fmt_num(roi_h as f32),
                        fmt_num(roi_w as f32)
                    ));
                }
            }
            // Adaptive sampling: ⌈bin size⌉ samples per side; none for an inverted RoI.
            let grid =
                bin.map(|b| if sampling_ratio > 0 { sampling_ratio as usize } else { b.ceil().max(0.0) as usize });
            if sampling_ratio <= 0 && grid[0].saturating_mul(grid[1]) > MAX_SAMPLES_PER_BIN {
                return Err(format!(
                    "RoI {k} is so large that adaptive sampling would take {}×{} samples per bin; give a sampling_ratio",
                    grid[0], grid[1]
                ));
            }
            // Boxes are drawn in cell-edge coordinates (cell r spans r…r + 1); the libraries'
            // continuous coordinates put cell centres at integers, hence the + ½.
            let outline = [y1 + 0.5, x1 + 0.5, y1 + roi_h + 0.5, x1 + roi_w + 0.5];
            Bins::Sampled { start: [y1, x1], size: [roi_h, roi_w], bin, grid, outline }
        }
    };
    Ok(RoiGeometry { image: b as usize, bins })
}

impl RoiGeometry {
    /// Cells read (RoI pooling) or the cost of the bilinear samples (the others) for one channel.
    fn work(&self, output_size: [usize; 2]) -> u128 {
        match &self.bins {
            Bins::Quantised { rows, cols, .. } => {
                let total = |windows: &[(usize, usize)]| {
                    windows.iter().map(|&(a, b)| b.saturating_sub(a) as u128).sum::<u128>()
                };
                total(rows).saturating_mul(total(cols)) + product(&output_size)
            }
            Bins::Sampled { grid, .. } => {
                product(&[output_size[0], output_size[1], grid[0], grid[1]]).max(product(&output_size))
            }
        }
    }
}

/// Output `[K, C, ph, pw]`; with a trace, one step per bin, the RoI and the current bin
/// drawn as boxes.
#[allow(clippy::too_many_arguments)]
pub fn roi_pooling(
    x: &Array4<f32>,
    rois: &[Roi],
    offset: Option<&Array4<f32>>,
    output_size: [usize; 2],
    spatial_scale: f64,
    sampling_ratio: i64,
    method: Method,
    mut trace: Option<&mut Trace>,
) -> Result<Array4<f32>, String> {
    let shape = shape4(x);
    let c = shape[1];
    let geometries = rois
        .iter()
        .enumerate()
        .map(|(k, roi)| roi_geometry(k, roi, shape, output_size, spatial_scale, sampling_ratio, method))
        .collect::<Result<Vec<_>, String>>()?;
    let work =
        geometries.iter().fold(0u128, |acc, g| acc.saturating_add(g.work(output_size))).saturating_mul(c as u128);
    check_cost(product(&[rois.len(), c, output_size[0], output_size[1]]), work)?;
    let mut y = Array4::<f32>::zeros((rois.len(), c, output_size[0], output_size[1]));
    let ids = trace.as_deref_mut().map(|t| {
        let input = t.add_grid(Grid::from_array("x", "feature map x", Role::Input, x));
        let output = t.add_grid(Grid::new("y", "pooled y", Role::Output, shape4(&y)));
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
    for (k, geometry) in geometries.iter().enumerate() {
        for ch in 0..c {
            for r in 0..output_size[0] {
                for q in 0..output_size[1] {
                    let target = [k, ch, r, q];
                    let (write, bin_box) = pool_bin(x, geometry, target, offset, method, ids.map(|(input, _)| input));
                    y[target] = write.value;
                    if let (Some(t), Some((input, output))) = (trace.as_deref_mut(), ids) {
                        let write = Write { target: CellRef { grid: output, index: target }, ..write };
                        t.steps.push(Step { stage: 0, writes: vec![write], focus: Vec::new() });
                        t.boxes.push(BoxMark {
                            grid: input,
                            min: bin_box[0],
                            max: bin_box[1],
                            step: Some(t.steps.len()),
                        });
                    }
                }
            }
        }
        if let (Some(t), Some((input, _))) = (trace.as_deref_mut(), ids) {
            let outline = match &geometry.bins {
                Bins::Quantised { outline, .. } | Bins::Sampled { outline, .. } => outline.map(|v| v as f32),
            };
            t.boxes.push(BoxMark {
                grid: input,
                min: [outline[0], outline[1]],
                max: [outline[2], outline[3]],
                step: None,
            });
        }
    }
    if let (Some(t), Some((_, output))) = (trace, ids) {
        t.grids[output].values = y.iter().copied().collect();
    }
    Ok(y)
}

/// One bin of one channel: the write that computes it (its target still to be set; taps only
/// when `input` names the trace's input grid) and the bin's box in cell-edge coordinates.
fn pool_bin(
    x: &Array4<f32>,
    geometry: &RoiGeometry,
    [k, ch, r, q]: [usize; 4],
    offset: Option<&Array4<f32>>,
    method: Method,
    input: Option<usize>,
) -> (Write, [[f32; 2]; 2]) {
    let [_, _, h, w] = shape4(x);
    let b = geometry.image;
    let placeholder = CellRef { grid: 0, index: [k, ch, r, q] };
    match &geometry.bins {
        Bins::Quantised { rows, cols, .. } => {
            let ((hs, he), (ws, we)) = (rows[r], cols[q]);
            let mut taps = Vec::new();
            let mut best = f32::NEG_INFINITY;
            for yy in hs..he {
                for xx in ws..we {
                    let v = x[[b, ch, yy, xx]];
                    if v > best {
                        best = v;
                    }
                    if let Some(grid) = input {
                        let source = Source::Cell(CellRef { grid, index: [b, ch, yy, xx] });
                        taps.push(Tap::copy(source, v));
                    }
                }
            }
            let bin_box = [[hs as f32, ws as f32], [he as f32, we as f32]];
            // An empty bin gives 0, as the libraries do.
            if he <= hs || we <= ws {
                let constant = Some(Constant { value: 0.0, cell: None });
                return (Write { target: placeholder, combine: Combine::Set, taps, constant, value: 0.0 }, bin_box);
            }
            (Write { target: placeholder, combine: Combine::Max, taps, constant: None, value: best }, bin_box)
        }
        Bins::Sampled { start, size, bin, grid, .. } => {
            let [mut sy, mut sx] = *start;
            if let (Method::Deform { gamma }, Some(off)) = (method, offset) {
                sx += gamma * size[1] * f64::from(off[[k, 0, r, q]]);
                sy += gamma * size[0] * f64::from(off[[k, 1, r, q]]);
            }
            let count = (grid[0] * grid[1]).max(1) as f32;
            let mut sum = 0.0f32;
            let mut taps = Vec::new();
            for iy in 0..grid[0] {
                let yy = sy + r as f64 * bin[0] + (iy as f64 + 0.5) * bin[0] / grid[0] as f64;
                for ix in 0..grid[1] {
                    let xx = sx + q as f64 * bin[1] + (ix as f64 + 0.5) * bin[1] / grid[1] as f64;
                    let (v, corners_in) = roi_sample(|a, e| x[[b, ch, a, e]], h, w, yy, xx);
                    sum += v;
                    if let Some(grid) = input {
                        // A cell counted twice at the clamped border is drawn once, weights added.
                        let mut corners: Vec<(CellRef, f32)> = Vec::with_capacity(4);
                        for (a, e, wt) in corners_in.into_iter().flatten() {
                            let cell = CellRef { grid, index: [b, ch, a, e] };
                            match corners.iter_mut().find(|(c, _)| *c == cell) {
                                Some((_, total)) => *total += wt,
                                None => corners.push((cell, wt)),
                            }
                        }
                        let source = Source::Sample {
                            grid,
                            kernel: SampleKernel::Bilinear,
                            position: [yy as f32, xx as f32],
                            corners,
                            mask: None,
                            anchor: None,
                            handle: None,
                        };
                        taps.push(Tap::copy(source, v));
                    }
                }
            }
            // Sum first, divide once, as the libraries do (and as the trace replays).
            let value = sum / count;
            let (top, left) = ((sy + r as f64 * bin[0] + 0.5) as f32, (sx + q as f64 * bin[1] + 0.5) as f32);
            let bin_box = [[top, left], [top + bin[0] as f32, left + bin[1] as f32]];
            (
                Write { target: placeholder, combine: Combine::Mean { divisor: count }, taps, constant: None, value },
                bin_box,
            )
        }
    }
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

static ROI_POOLING_META: Meta = Meta {
    name: "deform_roi_pool",
    title: "deformable RoI pooling (vs RoIAlign, RoI pooling)",
    summary: "A RoI is divided into bins; each bin averages bilinear samples (RoIAlign), shifted by learned offsets (deformable), or keeps the max of whole cells (RoI pooling).",
    schema: SCHEMA,
    evals: EVALS,
};

impl Operator for RoiPooling {
    fn meta(&self) -> &'static Meta {
        &ROI_POOLING_META
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
            _ => Method::Deform { gamma: f64::from(gamma) },
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
        let roi = [0.0, x1, y1, x2, y2].map(f64::from);
        roi_pooling(
            &x,
            &[roi],
            Some(&offset),
            [bins, bins],
            1.0,
            params.int("sampling_ratio"),
            method,
            Some(&mut trace),
        )
        .map_err(ParamError::general)?;
        // Bin handles (deformable only): each bin's centre, moved by γ·(RoI size)·offset from
        // where it sits without one; dragging it sets that bin's offsets.
        if let (Method::Deform { .. }, true) = (method, gamma > 0.0) {
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
            Method::Deform { .. } => vec![
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
}

const BOXES: ArgSpec = ArgSpec::new("boxes", Kind::Boxes, Default::Required);
const SCALE: ArgSpec = ArgSpec::new("spatial_scale", Kind::Float { min: -1.0e30, max: 1.0e30 }, Default::Float(1.0));
const fn sampling_ratio(default: i64) -> ArgSpec {
    ArgSpec::new("sampling_ratio", Kind::Int { min: -MAX_INT_ARG, max: MAX_INT_ARG }, Default::Int(default))
}

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
    let y = roi_pooling(
        &x,
        &rois,
        offset.as_ref(),
        args.pair("output_size")?,
        args.float("spatial_scale")?,
        ratio,
        method,
        None,
    )?;
    Ok(Answer::tensor4(y, false))
}
