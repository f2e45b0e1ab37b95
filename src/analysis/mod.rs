//! Analyses of layer stacks (no drawing, no I/O): receptive fields with dilation (Araujo et
//! al. 2019), path counts — the gridding map — and the HDC rule for dilation schedules (Wang et
//! al. 2018). Square kernels make every 2-D quantity an outer product of 1-D ones, so a
//! 101-layer stack on a 1024×1024 input costs a few 1-D passes.

pub mod hdc;
pub mod model;
pub mod stack;

use std::fmt;

use crate::msg;
use crate::text::Msg;

/// One layer of a stack: a convolution or a pooling (their geometry is the same here).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Layer {
    pub pool: bool,
    pub kernel_size: usize,
    pub stride: usize,
    pub padding: usize,
    pub dilation: usize,
}

impl Layer {
    pub const fn conv(kernel_size: usize, stride: usize, padding: usize, dilation: usize) -> Layer {
        Layer { pool: false, kernel_size, stride, padding, dilation }
    }

    pub const fn pool(kernel_size: usize, stride: usize, padding: usize) -> Layer {
        Layer { pool: true, kernel_size, stride, padding, dilation: 1 }
    }

    /// The field named as in [`LAYER_FIELDS`].
    pub fn field(&self, name: &str) -> usize {
        match name {
            "kernel_size" => self.kernel_size,
            "stride" => self.stride,
            "padding" => self.padding,
            "dilation" => self.dilation,
            _ => panic!("a layer has no field {name:?}"),
        }
    }

    /// Span of the dilated kernel: d(k − 1) + 1.
    pub fn span(&self) -> usize {
        self.dilation * (self.kernel_size - 1) + 1
    }

    /// Output length for an input of length `n`, or `None` if the kernel does not fit.
    pub fn out_len(&self, n: usize) -> Option<usize> {
        (n + 2 * self.padding).checked_sub(self.span()).map(|room| room / self.stride + 1)
    }
}

/// A problem with one layer of a stack, reported next to that layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerError {
    /// Index of the layer at fault; `None` for the stack as a whole.
    pub layer: Option<usize>,
    pub message: Msg,
}

impl LayerError {
    /// The error as a message, naming its layer (1-based) when there is one.
    pub fn msg(&self) -> Msg {
        match self.layer {
            Some(i) => msg!("receptive-layer-error", layer = i + 1, problem = &self.message),
            None => self.message.clone(),
        }
    }
}

/// English, for the `eval` protocol.
impl fmt::Display for LayerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().en())
    }
}

/// Most layers and largest input side the analyses accept.
pub const MAX_LAYERS: usize = 256;
pub const MAX_INPUT: usize = 4096;

/// One column of a layer editor: a field of [`Layer`], with its bounds.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct LayerField {
    pub name: &'static str,
    /// A message id.
    pub label: &'static str,
    pub min: i64,
    pub max: i64,
    /// Pooling layers have the field too (a pool's dilation is always 1).
    pub pools: bool,
}

/// The editable fields of a layer with the bounds [`validate`] holds them to.
pub const LAYER_FIELDS: &[LayerField] = &[
    LayerField { name: "kernel_size", label: "receptive-column-kernel", min: 1, max: 64, pools: true },
    LayerField { name: "stride", label: "receptive-column-stride", min: 1, max: 64, pools: true },
    LayerField { name: "padding", label: "receptive-column-padding", min: 0, max: 1024, pools: true },
    LayerField { name: "dilation", label: "receptive-column-dilation", min: 1, max: 512, pools: false },
];

/// Checks each layer's numbers; the error names the layer.
pub fn validate(layers: &[Layer]) -> Result<(), LayerError> {
    if layers.is_empty() {
        return Err(LayerError { layer: None, message: msg!("receptive-stack-empty") });
    }
    if layers.len() > MAX_LAYERS {
        return Err(LayerError {
            layer: None,
            message: msg!("receptive-stack-too-long", max = MAX_LAYERS.to_string(), n = layers.len()),
        });
    }
    for (i, l) in layers.iter().enumerate() {
        let bad = |message: Msg| Err(LayerError { layer: Some(i), message });
        if l.pool && l.dilation != 1 {
            return bad(msg!("receptive-pool-dilation"));
        }
        for field in LAYER_FIELDS {
            let value = l.field(field.name) as i64;
            if value < field.min || value > field.max {
                return bad(msg!(
                    "receptive-layer-out-of-range",
                    name = field.name,
                    min = field.min.to_string(),
                    max = field.max.to_string(),
                    value = value.to_string()
                ));
            }
        }
    }
    Ok(())
}

/// The field of the stack's output cells in input coordinates: output index x sees input
/// indices `x·stride − padding … + size − 1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Field {
    pub size: f64,
    pub stride: f64,
    pub padding: f64,
}

impl Field {
    /// Input coordinate of the centre of output cell 0's field.
    pub fn centre(&self) -> f64 {
        (self.size - 1.0) / 2.0 - self.padding
    }
}

/// The receptive field after each layer (Araujo et al.: r = Σ (span_l − 1)·S_{l−1} + 1,
/// S = Π s, P = Σ p_l·S_{l−1}). Floats, since products over a hundred layers exceed every
/// integer type; [`table`] refuses a stack whose numbers leave `f64`'s range.
pub fn fields(layers: &[Layer]) -> Vec<Field> {
    let mut field = Field { size: 1.0, stride: 1.0, padding: 0.0 };
    layers
        .iter()
        .map(|l| {
            field = Field {
                size: field.size + (l.span() - 1) as f64 * field.stride,
                padding: field.padding + l.padding as f64 * field.stride,
                stride: field.stride * l.stride as f64,
            };
            field
        })
        .collect()
}

/// The receptive field of the whole stack as exact integers `(size, stride, padding)`, or
/// the layer at which one of them leaves the 64-bit range.
pub fn exact_field(layers: &[Layer]) -> Result<(u64, u64, u64), LayerError> {
    validate(layers)?;
    let (mut size, mut stride, mut padding) = (1u64, 1u64, 0u64);
    for (i, l) in layers.iter().enumerate() {
        let overflow =
            |what: &'static str| LayerError { layer: Some(i), message: msg!("receptive-exact-overflow", what = what) };
        size = ((l.span() - 1) as u64)
            .checked_mul(stride)
            .and_then(|grow| size.checked_add(grow))
            .ok_or_else(|| overflow("size"))?;
        padding = (l.padding as u64)
            .checked_mul(stride)
            .and_then(|grow| padding.checked_add(grow))
            .ok_or_else(|| overflow("padding"))?;
        stride = stride.checked_mul(l.stride as u64).ok_or_else(|| overflow("stride"))?;
    }
    Ok((size, stride, padding))
}

/// One row of the per-layer table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub field: Field,
    /// Feature-map side after the layer, for the chosen input side.
    pub map_size: usize,
}

/// The table of a stack on a square input of side `input`; fails at the first layer whose
/// kernel no longer fits its input or whose field leaves `f64`'s range.
pub fn table(layers: &[Layer], input: usize) -> Result<Vec<Row>, LayerError> {
    validate(layers)?;
    if input == 0 || input > MAX_INPUT {
        return Err(LayerError { layer: None, message: msg!("receptive-input-range", max = MAX_INPUT.to_string()) });
    }
    rows(layers, input)
}

/// [`table`] without the input-size limit.
fn rows(layers: &[Layer], input: usize) -> Result<Vec<Row>, LayerError> {
    let mut n = input;
    let mut rows = Vec::with_capacity(layers.len());
    for (i, (l, field)) in layers.iter().zip(fields(layers)).enumerate() {
        n = l.out_len(n).ok_or_else(|| LayerError {
            layer: Some(i),
            message: msg!(
                "receptive-kernel-does-not-fit",
                span = l.span().to_string(),
                n = n.to_string(),
                padding = l.padding.to_string()
            ),
        })?;
        if !(field.size.is_finite() && field.stride.is_finite() && field.padding.is_finite()) {
            return Err(LayerError { layer: Some(i), message: msg!("receptive-field-overflow") });
        }
        rows.push(Row { field, map_size: n });
    }
    Ok(rows)
}

/// Paths from each input position to output position `out` along one axis, through the
/// stack with all-ones kernels (= the gradient of that output w.r.t. the input). Taps that
/// land in padding are dropped, as they are not connected to the input.
pub fn path_counts_1d(layers: &[Layer], input: usize, out: usize) -> Result<Vec<f64>, LayerError> {
    validate(layers)?;
    let rows = rows(layers, input)?;
    let last = rows.last().map_or(input, |r| r.map_size);
    if out >= last {
        return Err(LayerError {
            layer: None,
            message: msg!("receptive-position-outside", out = out.to_string(), last = last.to_string()),
        });
    }
    // The counts are sparse (a dilated stack reaches few positions of a map that grows by
    // its padding at every layer), so each layer visits only the positions it reached, in
    // ascending order: the sums are the dense loop's, added in the same order.
    let widest = rows.iter().map(|r| r.map_size).chain([input]).max().unwrap_or(input);
    let mut grad = vec![0.0f64; widest];
    let mut prev = vec![0.0f64; widest];
    let mut reached = vec![out];
    let mut next = Vec::new();
    grad[out] = 1.0;
    for (i, l) in layers.iter().enumerate().rev() {
        let n_in = if i == 0 { input } else { rows[i - 1].map_size };
        next.clear();
        for &o in &reached {
            let g = grad[o];
            if g == 0.0 {
                continue;
            }
            for t in 0..l.kernel_size {
                let j = (o * l.stride + t * l.dilation) as isize - l.padding as isize;
                if j >= 0 && (j as usize) < n_in {
                    let j = j as usize;
                    if prev[j] == 0.0 {
                        next.push(j);
                    }
                    prev[j] += g;
                }
            }
        }
        for &o in &reached {
            grad[o] = 0.0;
        }
        next.sort_unstable();
        next.dedup();
        if next.iter().any(|&j| !prev[j].is_finite()) {
            return Err(LayerError { layer: Some(i), message: msg!("receptive-paths-overflow") });
        }
        std::mem::swap(&mut grad, &mut prev);
        std::mem::swap(&mut reached, &mut next);
    }
    grad.truncate(input);
    Ok(grad)
}

/// The 2-D path-count map of a square-kernel stack: the outer product of the row and column
/// counts. `input` and `out` are `[rows, cols]`.
pub fn path_counts(layers: &[Layer], input: [usize; 2], out: [usize; 2]) -> Result<(Vec<f64>, Vec<f64>), LayerError> {
    Ok((path_counts_1d(layers, input[0], out[0])?, path_counts_1d(layers, input[1], out[1])?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn araujo_with_dilation() {
        // Three 3×3 convs at rates 1, 2, 3: 1 + 2 + 4 + 6 = 13.
        let layers = [Layer::conv(3, 1, 1, 1), Layer::conv(3, 1, 2, 2), Layer::conv(3, 1, 3, 3)];
        let f = fields(&layers)[2];
        assert_eq!((f.size, f.stride, f.padding), (13.0, 1.0, 6.0));
        assert_eq!(f.centre(), 0.0);
    }

    #[test]
    fn a_kernel_that_stops_fitting_names_its_layer() {
        let layers = [Layer::conv(3, 2, 0, 1), Layer::conv(3, 2, 0, 1), Layer::conv(3, 1, 0, 4)];
        let err = table(&layers, 9).unwrap_err();
        assert_eq!(err.layer, Some(2));
        assert!(err.message.en().contains("9-cell dilated kernel does not fit the 1-cell input"), "{}", err.message);
        let err = validate(&[Layer::conv(3, 0, 1, 1)]).unwrap_err();
        assert_eq!(err.to_string(), "layer 1: stride must be between 1 and 64, not 0");
    }

    #[test]
    fn path_counts_of_one_layer_are_its_taps() {
        let counts = path_counts_1d(&[Layer::conv(3, 1, 1, 2)], 7, 3).unwrap();
        // Output 3 reads inputs 3·1 + t·2 − 1 = 2, 4, 6.
        assert_eq!(counts, [0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
    }
}
