//! Where each output index of `F.interpolate` reads, per axis, in every mode: PyTorch's
//! source-index rules (`align_corners`, a given or recomputed `scale_factor`, the nearest
//! modes' shortcuts), the cubic coefficients, and the per-cell sums in PyTorch's order.

use ndarray::Array4;

use crate::args::{MAX_INT_ARG, product};
use crate::msg;
use crate::params::ParamError;
use crate::text::Msg;

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
    /// The name of a stage that resamples in this mode.
    pub fn stage_name(self) -> Msg {
        Msg::id(match self {
            Mode::Nearest => "resample-stage-nearest",
            Mode::Bilinear => "resample-stage-bilinear",
            Mode::Bicubic => "resample-stage-bicubic",
            Mode::NearestExact => "resample-stage-nearest-exact",
            Mode::Area => "resample-stage-area",
        })
    }

    /// What a step of that stage does, in one sentence.
    pub fn explain(self) -> Msg {
        Msg::id(match self {
            Mode::Nearest => "resample-stage-nearest.explain",
            Mode::Bilinear => "resample-stage-bilinear.explain",
            Mode::Bicubic => "resample-stage-bicubic.explain",
            Mode::NearestExact => "resample-stage-nearest-exact.explain",
            Mode::Area => "resample-stage-area.explain",
        })
    }

    /// Modes that interpolate and so accept `align_corners`.
    pub fn interpolates(self) -> bool {
        matches!(self, Mode::Bilinear | Mode::Bicubic)
    }

    /// PyTorch's name of the mode (`mode=` of `F.interpolate`, 2-D).
    pub fn name(self) -> &'static str {
        match self {
            Mode::Nearest => "nearest",
            Mode::NearestExact => "nearest-exact",
            Mode::Bilinear => "bilinear",
            Mode::Bicubic => "bicubic",
            Mode::Area => "area",
        }
    }

    pub fn from_name(name: &str) -> Option<Mode> {
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
    /// Exactly one of `size` and `scale_factor` must be given. `scale_factor` reaches the
    /// kernel as given, unless `recompute` (`recompute_scale_factor=True`): then the output
    /// size comes from `scale_factor` but the kernel maps indices with input/output sizes.
    pub fn new(
        input: [usize; 4],
        mode: Mode,
        size: Option<[usize; 2]>,
        scale_factor: Option<[f64; 2]>,
        align_corners: bool,
        recompute: bool,
    ) -> Result<Self, ParamError> {
        crate::ops::nonempty("input", "height", input)?;
        if align_corners && !mode.interpolates() {
            return Err(ParamError::new("align_corners", msg!("resample-align-corners-not-interpolating")));
        }
        let out = match (size, scale_factor) {
            (Some(_), Some(_)) => {
                return Err(ParamError::general(msg!("resample-size-and-scale")));
            }
            (None, None) => return Err(ParamError::general(msg!("resample-size-or-scale"))),
            (Some(size), None) => {
                if recompute {
                    return Err(ParamError::general(msg!("resample-recompute-with-size")));
                }
                size
            }
            (None, Some(scale)) => {
                if scale.iter().any(|s| !s.is_finite()) {
                    return Err(ParamError::new("scale_factor", msg!("resample-scale-not-finite")));
                }
                let out = [0, 1].map(|a| (input[2 + a] as f64 * scale[a]).floor());
                if out.iter().any(|&o| o > MAX_INT_ARG as f64) {
                    let (rows, cols) = (format!("{}", out[0]), format!("{}", out[1]));
                    return Err(ParamError::new("scale_factor", msg!("resample-output-too-large", rows = rows, cols = cols)));
                }
                out.map(|o| o.max(0.0) as usize)
            }
        };
        // Area mode is adaptive average pooling, which PyTorch lets shrink to nothing.
        if out.contains(&0) && mode != Mode::Area {
            return Err(ParamError::new(
                if size.is_some() { "out_height" } else { "scale_factor" },
                msg!(
                    "resample-output-empty",
                    in_rows = input[2].to_string(),
                    in_cols = input[3].to_string(),
                    out_rows = format!("{}", out[0]),
                    out_cols = format!("{}", out[1])
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
    pub(super) fn area_scale(&self, axis: usize) -> f64 {
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
    pub(super) fn nearest_scale(&self, axis: usize) -> f32 {
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
    pub(super) fn taps_per_cell(&self) -> u128 {
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
pub fn bilinear_sample(x: &Array4<f32>, n: usize, c: usize, row: f64, col: f64) -> (f32, Box<[([usize; 4], f32)]>) {
    let (h, w) = (x.shape()[2], x.shape()[3]);
    let axis = |real: f64, size: usize| {
        let (i0, lambda1) = guard_index_and_lambda(real, size);
        AxisTaps { position: real, taps: vec![(i0, 1.0 - lambda1), ((i0 + 1).min(size - 1), lambda1)] }
    };
    sample(x, n, c, &axis(row, h), &axis(col, w), |index| index)
}

/// One output cell from its row and column taps, nested as PyTorch's separable kernel:
/// `Σ_rows w_r · (Σ_cols w_c · x)`; returns the value and the merged corners.
/// Each corner is named by `cell` (its NCHW index, or that index as a cell of a grid).
pub(super) fn sample<T>(
    x: &Array4<f32>,
    n: usize,
    c: usize,
    rows: &AxisTaps,
    cols: &AxisTaps,
    cell: impl Fn([usize; 4]) -> T,
) -> (f32, Box<[(T, f32)]>) {
    // Away from the border a kernel's rows (and columns) are distinct: every (row, col) is a
    // corner of its own, listed straight into a slice of the exact size.
    let distinct = |taps: &[(usize, f64)]| taps.iter().enumerate().all(|(k, a)| taps[..k].iter().all(|b| b.0 != a.0));
    if distinct(&rows.taps) && distinct(&cols.taps) {
        let mut corners = Vec::with_capacity(rows.taps.len() * cols.taps.len());
        for &(r, wr) in &rows.taps {
            for &(q, wq) in &cols.taps {
                corners.push((cell([n, c, r, q]), (wr * wq) as f32));
            }
        }
        return (sample_value(x, n, c, rows, cols), corners.into_boxed_slice());
    }
    // Corners are merged by their (row, col) before they are named: comparing two indices
    // instead of two cells was half of building a 186,624-sample trace.
    let mut merged: smallvec::SmallVec<[([usize; 2], f32); 16]> = smallvec::SmallVec::new();
    for &(r, wr) in &rows.taps {
        for &(q, wq) in &cols.taps {
            let weight = (wr * wq) as f32;
            match merged.iter_mut().find(|(at, _)| *at == [r, q]) {
                Some((_, total)) => *total += weight,
                None => merged.push(([r, q], weight)),
            }
        }
    }
    let corners = merged.into_iter().map(|([r, q], weight)| (cell([n, c, r, q]), weight)).collect();
    (sample_value(x, n, c, rows, cols), corners)
}

/// [`sample`]'s value alone (what eval needs: nothing allocated per cell).
pub(super) fn sample_value(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> f32 {
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
pub(super) fn area_value(x: &Array4<f32>, n: usize, c: usize, rows: &AxisTaps, cols: &AxisTaps) -> f32 {
    let mut sum = 0.0f32;
    for &(r, _) in &rows.taps {
        for &(q, _) in &cols.taps {
            sum += x[[n, c, r, q]];
        }
    }
    sum / (rows.taps.len() * cols.taps.len()) as f32
}

/// One output cell of area mode: the window's sum divided once by its size.
pub(super) fn area_cell(
    x: &Array4<f32>,
    n: usize,
    c: usize,
    rows: &AxisTaps,
    cols: &AxisTaps,
) -> (f32, Vec<[usize; 4]>, f32) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn geometry(i: usize, o: usize, align: bool) -> InterpolateGeometry {
        InterpolateGeometry::new([1, 1, i, i], Mode::Bilinear, Some([o, o]), None, align, false).unwrap()
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
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Bilinear, None, Some([1.5, 1.5]), false, false).unwrap();
        assert_eq!(g.output, [1, 1, 4, 4]);
        assert!((g.source_index(0, 1) - (1.5 / 1.5 - 0.5)).abs() < 1e-12);
        // With recompute_scale_factor, the sizes' ratio 3/4 is used instead.
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Bilinear, None, Some([1.5, 1.5]), false, true).unwrap();
        assert!((g.source_index(0, 1) - (1.5 * 0.75 - 0.5)).abs() < 1e-12);
    }

    #[test]
    fn same_size_copies_and_double_size_halves_for_nearest() {
        // PyTorch copies when the output size equals the input's, whatever scale_factor says.
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Bilinear, None, Some([1.2, 1.2]), false, false).unwrap();
        assert_eq!(g.axis_taps(0, 1).taps[0], (1, 1.0));
        let g = InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([2.1, 2.1]), false, false).unwrap();
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
        let err =
            InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([2.0, 2.0]), true, false).unwrap_err();
        assert!(err.message.en().contains("align_corners can only be set"));
        let err =
            InterpolateGeometry::new([1, 1, 1, 1], Mode::Nearest, None, Some([0.5, 0.5]), false, false).unwrap_err();
        assert!(err.message.en().contains("greater than 0"), "{}", err.message);
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, None, Some([0.0, 1.0]), false, false).is_err());
        assert!(InterpolateGeometry::new([1, 1, 3, 3], Mode::Nearest, Some([0, 3]), None, false, false).is_err());
    }
}
