//! The RoI pooling algorithms on a feature map: torchvision's `roi_align` (`aligned` or not)
//! and `roi_pool`, mmcv's `deform_roi_pool`. RoI geometry is `f64`, as the libraries compute
//! it for double tensors, and is checked against the caps before any pooling.

use ndarray::Array4;

use crate::args::{check_cost, product};
use crate::ops::conv2d::shape4;
use crate::ops::deform::Corners;
use crate::trace::{
    BoxMark, CellRef, Combine, Constant, Grid, Operands, Role, SampleKernel, Source, Step, Tap, Trace, Write, fmt_num,
};

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
    [height, width]: [usize; 2],
    [y, x]: [f64; 2],
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

/// How a RoI op reads its RoIs: the bins per side, the scale from RoI to map coordinates,
/// samples per bin (≤ 0: adaptive), and the method.
#[derive(Clone, Copy, Debug)]
pub struct RoiArgs {
    pub output_size: [usize; 2],
    pub spatial_scale: f64,
    pub sampling_ratio: i64,
    pub method: Method,
}

/// Output `[K, C, ph, pw]`.
pub fn roi_pooling(
    x: &Array4<f32>,
    rois: &[Roi],
    offset: Option<&Array4<f32>>,
    args: RoiArgs,
) -> Result<Array4<f32>, String> {
    Ok(roi_impl(x, rois, offset, args, None)?.0)
}

/// [`roi_pooling`] with a trace: one step per bin, the RoI and the current bin drawn as boxes.
pub fn roi_pooling_traced(
    x: &Array4<f32>,
    rois: &[Roi],
    offset: Option<&Array4<f32>>,
    args: RoiArgs,
    t: &mut Trace,
) -> Result<(Array4<f32>, Operands), String> {
    let (y, ids) = roi_impl(x, rois, offset, args, Some(t))?;
    Ok((y, ids.expect("a traced run adds grids")))
}

fn roi_impl(
    x: &Array4<f32>,
    rois: &[Roi],
    offset: Option<&Array4<f32>>,
    RoiArgs { output_size, spatial_scale, sampling_ratio, method }: RoiArgs,
    mut trace: Option<&mut Trace>,
) -> Result<(Array4<f32>, Option<Operands>), String> {
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
        let input = t.add_grid(Grid::from_array("x", crate::msg!("deform-roi-grid-input", sym = "x"), Role::Input, x));
        let output =
            t.add_grid(Grid::new("y", crate::msg!("deform-roi-grid-output", sym = "y"), Role::Output, shape4(&y)));
        let (name, explain) = match method {
            Method::Align { .. } => ("deform-roi-stage-align", "deform-roi-stage-align.explain"),
            Method::Pool => ("deform-roi-stage-pool", "deform-roi-stage-pool.explain"),
            Method::Deform { .. } => ("deform-roi-stage-deform", "deform-roi-stage-deform.explain"),
        };
        t.add_stage(crate::text::Msg::id(name), crate::text::Msg::id(explain));
        Operands { input, weight: None, bias: None, output }
    });
    for (k, geometry) in geometries.iter().enumerate() {
        for ch in 0..c {
            for r in 0..output_size[0] {
                for q in 0..output_size[1] {
                    let target = [k, ch, r, q];
                    let bin = pool_bin(x, geometry, target, offset, method, ids.map(|ids| ids.input));
                    y[target] = bin.value;
                    let bin_box = bin.bin_box;
                    if let (Some(t), Some(ids)) = (trace.as_deref_mut(), ids) {
                        let write = bin.write(CellRef { grid: ids.output, index: target });
                        t.steps.push(Step { stage: 0, writes: smallvec::smallvec![write], focus: Vec::new() });
                        t.boxes.push(BoxMark {
                            grid: ids.input,
                            min: bin_box[0],
                            max: bin_box[1],
                            step: Some(t.steps.len()),
                        });
                    }
                }
            }
        }
        if let (Some(t), Some(Operands { input, .. })) = (trace.as_deref_mut(), ids) {
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
    if let (Some(t), Some(ids)) = (trace, ids) {
        t.grids[ids.output].values = y.iter().copied().collect();
    }
    Ok((y, ids))
}

/// One pooled bin: how its value is combined from its taps (taps only when traced), the
/// value, and the bin's box in cell-edge coordinates.
struct PooledBin {
    combine: Combine,
    taps: Vec<Tap>,
    constant: Option<Constant>,
    value: f32,
    bin_box: [[f32; 2]; 2],
}

impl PooledBin {
    fn write(self, target: CellRef) -> Write {
        let PooledBin { combine, taps, constant, value, bin_box: _ } = self;
        Write { target, combine, taps: taps.into(), constant: constant.map(Box::new), value }
    }
}

/// Bin `(r, q)` of channel `ch` of RoI `k`; taps only when `input` names the trace's input grid.
fn pool_bin(
    x: &Array4<f32>,
    geometry: &RoiGeometry,
    [k, ch, r, q]: [usize; 4],
    offset: Option<&Array4<f32>>,
    method: Method,
    input: Option<usize>,
) -> PooledBin {
    let [_, _, h, w] = shape4(x);
    let b = geometry.image;
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
                return PooledBin { combine: Combine::Set, taps, constant, value: 0.0, bin_box };
            }
            PooledBin { combine: Combine::Max, taps, constant: None, value: best, bin_box }
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
                    let (v, corners_in) = roi_sample(|a, e| x[[b, ch, a, e]], [h, w], [yy, xx]);
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
                            corners: corners.into_boxed_slice(),
                            mask: None,
                        };
                        taps.push(Tap::copy(source, v));
                    }
                }
            }
            // Sum first, divide once, as the libraries do (and as the trace replays).
            let value = sum / count;
            let (top, left) = ((sy + r as f64 * bin[0] + 0.5) as f32, (sx + q as f64 * bin[1] + 0.5) as f32);
            let bin_box = [[top, left], [top + bin[0] as f32, left + bin[1] as f32]];
            PooledBin { combine: Combine::Mean { divisor: count }, taps, constant: None, value, bin_box }
        }
    }
}
