//! `max_pool2d` and `avg_pool2d`: PyTorch's pooling (kernel_size, stride, padding, ceil_mode;
//! average with count_include_pad=True), animated like the convolutions — FCN and DeepLab
//! change pooling strides, so students need to see what a pooling window covers.

use ndarray::Array4;
use serde_json::Value;

use super::conv2d::{padded_input_grid, padding_caption, shape4};
use super::{Editable, Edits, Operator, Run, Tensor, check_taps, controls, input_tensor};
use crate::eval::{Args, tensor_to_json};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Combine, Grid, Role, Source, Step, Tap, Trace, Write};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pool {
    Max,
    Avg,
}

/// A checked pooling: PyTorch's `pooling_output_shape`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolGeometry {
    pub input: [usize; 4],
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
    pub ceil_mode: bool,
    pub output: [usize; 4],
}

impl PoolGeometry {
    pub fn new(
        input: [usize; 4],
        kernel: [usize; 2],
        stride: [usize; 2],
        padding: [usize; 2],
        ceil_mode: bool,
    ) -> Result<Self, ParamError> {
        if input.contains(&0) {
            return Err(ParamError::new(
                "height",
                format!("the input must have at least one cell, got shape {input:?}"),
            ));
        }
        if kernel.contains(&0) {
            return Err(ParamError::new("kernel_size", "kernel_size must be at least 1"));
        }
        if stride.contains(&0) {
            return Err(ParamError::new("stride", "stride must be at least 1"));
        }
        let mut out = [0; 2];
        for axis in 0..2 {
            let (i, k, s, p) = (input[2 + axis], kernel[axis], stride[axis], padding[axis]);
            if 2 * p > k {
                return Err(ParamError::new(
                    "padding",
                    format!("padding ({p}) should be at most half of the kernel size ({k}), as PyTorch requires"),
                ));
            }
            let span = i + 2 * p;
            if span < k {
                let name = if axis == 0 { "rows" } else { "columns" };
                return Err(ParamError::new(
                    "kernel_size",
                    format!("the {k}-cell window is wider than the padded input's {span} {name}"),
                ));
            }
            let mut o = (span - k + if ceil_mode { s - 1 } else { 0 }) / s + 1;
            // With ceil_mode the last window must still start inside the input or left padding.
            if ceil_mode && (o - 1) * s >= i + p {
                o -= 1;
            }
            out[axis] = o;
        }
        Ok(PoolGeometry { input, kernel, stride, padding, ceil_mode, output: [input[0], input[1], out[0], out[1]] })
    }
}

/// PyTorch's max or average pooling; with a trace, one step per output cell.
pub fn pool(kind: Pool, x: &Array4<f32>, g: &PoolGeometry, trace: Option<&mut Trace>) -> Array4<f32> {
    let [n, c, oh, ow] = g.output;
    let [_, _, ih, iw] = g.input;
    let [kh, kw] = g.kernel;
    let (s, p) = (g.stride, g.padding);
    let mut y = Array4::<f32>::zeros(g.output);
    let mut trace = trace;
    let ids = trace.as_deref_mut().map(|t| {
        let caption = match kind {
            Pool::Max => padding_caption("input x", p) + if p[0] + p[1] > 0 { ", padding ignored by max" } else { "" },
            Pool::Avg => padding_caption("input x", p),
        };
        let input = t.add_grid(padded_input_grid(x, p, "x", &caption));
        let output = t.add_grid(Grid::new("y", "output y", Role::Output, g.output));
        t.add_stage(
            match kind {
                Pool::Max => "max pooling",
                Pool::Avg => "average pooling",
            },
            match kind {
                Pool::Max => "Each output cell is the largest input value under its window (padding never wins).",
                Pool::Avg => "Each output cell is the mean of its window; padding zeros count towards the divisor.",
            },
        );
        (input, output)
    });
    for i in 0..n {
        for ch in 0..c {
            for r in 0..oh {
                for q in 0..ow {
                    let (h0, w0) = ((r * s[0]) as isize - p[0] as isize, (q * s[1]) as isize - p[1] as isize);
                    // The window clipped to the padded input (ceil_mode windows may overhang it).
                    let (h1, w1) =
                        ((h0 + kh as isize).min((ih + p[0]) as isize), (w0 + kw as isize).min((iw + p[1]) as isize));
                    let divisor = ((h1 - h0) * (w1 - w0)) as f32;
                    let mut taps = Vec::new();
                    let mut acc = match kind {
                        Pool::Max => f32::NEG_INFINITY,
                        Pool::Avg => 0.0,
                    };
                    for row in h0..h1 {
                        for col in w0..w1 {
                            let inside = row >= 0 && col >= 0 && (row as usize) < ih && (col as usize) < iw;
                            if kind == Pool::Max && !inside {
                                continue;
                            }
                            let value = if inside { x[[i, ch, row as usize, col as usize]] } else { 0.0 };
                            let weight_value = match kind {
                                Pool::Max => 1.0,
                                Pool::Avg => 1.0 / divisor,
                            };
                            let product = value * weight_value;
                            acc = match kind {
                                Pool::Max => acc.max(product),
                                Pool::Avg => acc + product,
                            };
                            if ids.is_some() {
                                let index = [i, ch, (row + p[0] as isize) as usize, (col + p[1] as isize) as usize];
                                taps.push((index, value, weight_value, product));
                            }
                        }
                    }
                    y[[i, ch, r, q]] = acc;
                    if let (Some(t), Some((input, output))) = (trace.as_deref_mut(), ids) {
                        let taps = taps
                            .into_iter()
                            .map(|(index, value, weight_value, product)| Tap {
                                weight: None,
                                weight_value,
                                source: Source::Cell(CellRef { grid: input, index }),
                                value,
                                product,
                            })
                            .collect();
                        let combine = match kind {
                            Pool::Max => Combine::Max,
                            Pool::Avg => Combine::Set,
                        };
                        let target = CellRef { grid: output, index: [i, ch, r, q] };
                        t.steps.push(Step {
                            stage: 0,
                            writes: vec![Write { target, combine, taps, constant: None, value: acc }],
                            focus: Vec::new(),
                        });
                    }
                }
            }
        }
    }
    if let (Some(t), Some((_, output))) = (trace, ids) {
        t.grids[output].values = y.iter().copied().collect();
    }
    y
}

static SCHEMA: &[ParamSpec] = &[
    controls::height(5),
    controls::width(5),
    ParamSpec::int("kernel_size", "Kernel size", 1, 5, 3, "Height and width of the pooling window (k)."),
    ParamSpec::int(
        "stride",
        "Stride",
        1,
        4,
        2,
        "Step between windows (s); FCN and DeepLab set some pooling strides to 1.",
    ),
    ParamSpec::int("padding", "Padding", 0, 2, 1, "Cells added on every side (p ≤ k/2)."),
    ParamSpec::choice(
        "ceil_mode",
        "ceil_mode",
        &[("false", "false"), ("true", "true")],
        "false",
        "Round the output size up instead of down.",
    ),
    ParamSpec::int("channels", "Channels", 1, 3, 1, "Channels (C); each is pooled on its own."),
    controls::INPUT_VALUES,
    controls::SEED,
];

pub struct MaxPool2d;
pub struct AvgPool2d;

fn run_pool(kind: Pool, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let x = input_tensor(params, "channels", edits);
    let (k, s, p) = (params.usize("kernel_size"), params.usize("stride"), params.usize("padding"));
    let g = PoolGeometry::new(shape4(&x), [k; 2], [s; 2], [p; 2], params.choice("ceil_mode") == "true")?;
    check_taps(g.output.iter().product::<usize>() * k * k)?;
    let mut trace = Trace::default();
    pool(kind, &x, &g, Some(&mut trace));
    let round = if g.ceil_mode { ("⌈", "⌉") } else { ("⌊", "⌋") };
    let formula = (0..2)
        .map(|axis| {
            let name = ["H", "W"][axis];
            format!(
                "{name}_out = {}({name} + 2·padding − kernel_size) / stride{} + 1 = {}({} + 2·{p} − {k}) / {s}{} + 1 = {}",
                round.0, round.1, round.0, g.input[2 + axis], round.1, g.output[2 + axis]
            )
        })
        .collect();
    Ok(Run {
        formula,
        facts: vec![
            "weights: none".into(),
            format!(
                "each window covers {k}×{k} = {} cells, windows {s} apart: {}",
                k * k,
                if s < k {
                    "they overlap"
                } else if s == k {
                    "they tile"
                } else {
                    "cells between them are skipped"
                }
            ),
        ],
        editable: vec![Editable { grid: 0, tensor: Tensor::Input }],
        pick: None,
        trace,
    })
}

fn eval_pool(kind: Pool, args: &Args) -> Result<Value, String> {
    let x = args.tensor4("input")?;
    let kernel = args.pair("kernel_size", 0)?;
    let stride = match args.0.get("stride") {
        None | Some(Value::Null) => kernel,
        Some(Value::Array(items)) if items.is_empty() => kernel,
        Some(_) => args.pair("stride", 1)?,
    };
    let ceil_mode = match args.0.get("ceil_mode") {
        None | Some(Value::Null) => false,
        Some(v) => v.as_bool().ok_or("\"ceil_mode\" must be true or false")?,
    };
    let g =
        PoolGeometry::new(shape4(&x), kernel, stride, args.pair("padding", 0)?, ceil_mode).map_err(|e| e.message)?;
    crate::eval::check_output(g.output)?;
    Ok(tensor_to_json(&pool(kind, &x, &g, None)))
}

impl Operator for MaxPool2d {
    fn name(&self) -> &'static str {
        "max_pool2d"
    }
    fn title(&self) -> &'static str {
        "max_pool2d (max pooling)"
    }
    fn summary(&self) -> &'static str {
        "Each output cell keeps the largest value under its window; with stride > 1 the map shrinks."
    }
    fn schema(&self) -> &'static [ParamSpec] {
        SCHEMA
    }
    fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        run_pool(Pool::Max, params, edits)
    }
    fn eval(&self, _op: &str, args: &Args) -> Result<Value, String> {
        eval_pool(Pool::Max, args)
    }
}

impl Operator for AvgPool2d {
    fn name(&self) -> &'static str {
        "avg_pool2d"
    }
    fn title(&self) -> &'static str {
        "avg_pool2d (average pooling)"
    }
    fn summary(&self) -> &'static str {
        "Each output cell is the mean of its window, padding zeros included (count_include_pad=True)."
    }
    fn schema(&self) -> &'static [ParamSpec] {
        SCHEMA
    }
    fn run(&self, params: &Params, edits: &Edits) -> Result<Run, ParamError> {
        run_pool(Pool::Avg, params, edits)
    }
    fn eval(&self, _op: &str, args: &Args) -> Result<Value, String> {
        eval_pool(Pool::Avg, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_mode_adds_a_last_window_only_if_it_starts_inside() {
        // 5 cells, k = 2, s = 2: floor gives 2 windows, ceil gives 3 (the last covers cell 4).
        assert_eq!(PoolGeometry::new([1, 1, 5, 5], [2, 2], [2, 2], [0, 0], false).unwrap().output[2], 2);
        assert_eq!(PoolGeometry::new([1, 1, 5, 5], [2, 2], [2, 2], [0, 0], true).unwrap().output[2], 3);
        // 4 cells, k = 3, s = 3, p = 1: ceil would add a window starting in the right padding.
        assert_eq!(PoolGeometry::new([1, 1, 4, 4], [3, 3], [3, 3], [1, 1], true).unwrap().output[2], 2);
    }

    #[test]
    fn too_much_padding_is_refused_like_pytorch() {
        let err = PoolGeometry::new([1, 1, 5, 5], [3, 3], [1, 1], [2, 2], false).unwrap_err();
        assert!(err.message.contains("at most half"), "{}", err.message);
    }

    #[test]
    fn average_counts_padding_in_the_divisor() {
        // A 1×1 input of 9 with k = 3, p = 1: the window holds eight padding zeros.
        let x = Array4::from_elem((1, 1, 1, 1), 9.0);
        let g = PoolGeometry::new([1, 1, 1, 1], [3, 3], [1, 1], [1, 1], false).unwrap();
        assert_eq!(pool(Pool::Avg, &x, &g, None)[[0, 0, 0, 0]], 1.0);
        assert_eq!(pool(Pool::Max, &x, &g, None)[[0, 0, 0, 0]], 9.0);
    }
}
