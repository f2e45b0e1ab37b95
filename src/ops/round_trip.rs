//! `conv_round_trip`: a conv followed by the transposed conv with the same weight and
//! arguments. The transposed conv restores the input's *shape* (with `output_padding` where
//! the conv's floor dropped rows), not its values: it is the conv's adjoint, not its inverse.
//! The facts state the adjoint identity ⟨conv(x), y⟩ = ⟨x, conv_transpose(y)⟩ for y = conv(x),
//! both sides summed from the picture's own grids.

use super::compose::{Composite, Conv, Names};
use super::conv2d::ConvArgs;
use super::{Editable, Edits, Operator, Run, check_taps, controls, input_tensor, weight_tensor};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::fmt_num;

static SCHEMA: &[ParamSpec] = &[
    controls::height(5),
    controls::width(5),
    ParamSpec::int("in_channels", "decoder-in-channels", 1, 3, 1, "round-trip-help-in-channels"),
    ParamSpec::int("out_channels", "decoder-out-channels", 1, 3, 1, "round-trip-help-out-channels"),
    ParamSpec::int("kernel_size", "decoder-kernel-size", 1, 5, 3, "round-trip-help-kernel-size"),
    controls::stride(2),
    ParamSpec::int("padding", "decoder-padding", 0, 3, 1, "round-trip-help-padding"),
    controls::VALUES[0],
    controls::VALUES[1],
    controls::VALUES[2],
];

pub static CONV_ROUND_TRIP: Operator = Operator {
    name: "conv_round_trip",
    title: "round-trip-title",
    summary: "round-trip-summary",
    schema: SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_round_trip,
};

/// The `output_padding` that gives the transposed conv the conv's input size back: the rows
/// the conv's floor dropped, (H + 2p − k) mod s.
pub fn restoring_output_padding(size: usize, k: usize, s: usize, p: usize) -> Option<usize> {
    (size + 2 * p).checked_sub(k).map(|span| span % s)
}

fn run_round_trip(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (c_in, c_out) = (params.usize("in_channels"), params.usize("out_channels"));
    let (k, s, p) = (params.usize("kernel_size"), params.usize("stride"), params.usize("padding"));
    let (h, w) = (params.usize("height"), params.usize("width"));
    let op = |size: usize, control: &str| {
        restoring_output_padding(size, k, s, p).ok_or_else(|| {
            ParamError::new(control, msg!("round-trip-kernel-too-big", k = k, size = size, p = p))
        })
    };
    let output_padding = [op(h, "height")?, op(w, "width")?];
    let x = input_tensor(params, "in_channels", edits);
    let weight = weight_tensor(params, [c_out, c_in, k, k], 0, &Edits::new());
    check_taps(2 * c_in * c_out * h * w * k * k)?;

    let mut comp = Composite::new(&x);
    let args = ConvArgs::square(s, p, 1, 1);
    let kernel = || msg!("round-trip-caption-kernel", sym = "w");
    let y = comp.conv(Conv::Plain, comp.input, &weight, args, 0, Names::new(("w", kernel()), ("y", "y = conv2d(x, w)")))?;
    let w_id = comp.weight_grid(0).expect("a conv pass has a kernel");
    let names = Names::new(("w", kernel()), ("r", msg!("round-trip-caption-back", sym = "r"))).sharing(w_id).last();
    let back = comp.conv(Conv::Transposed { output_padding }, y, &weight, args, 1, names)?;
    let (xv, yv, bv) = (comp.values(comp.input), comp.values(y), comp.values(back));
    let dot = |a: &ndarray::Array4<f32>, b: &ndarray::Array4<f32>| -> f64 {
        a.iter().zip(b.iter()).map(|(u, v)| f64::from(*u) * f64::from(*v)).sum()
    };
    let (lhs, rhs) = (dot(yv, yv), dot(xv, bv));
    let changed = xv.iter().zip(bv.iter()).filter(|(a, b)| a != b).count();
    let shape = |a: &ndarray::Array4<f32>| format!("{:?}", a.shape());
    let op_text = if output_padding == [0, 0] {
        String::new()
    } else {
        format!(", output_padding = {}", fmt_pair(output_padding))
    };
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            Msg::same(format!("y = conv2d(x, w, stride={s}, padding={p}): {} → {}", shape(xv), shape(yv))),
            Msg::same(format!("r = conv_transpose2d(y, w, stride={s}, padding={p}{op_text}): {} → {}", shape(yv), shape(bv))),
            msg!("round-trip-formula-adjoint"),
        ],
        facts: vec![
            msg!(
                "round-trip-fact-shape",
                shape = shape(bv),
                note = if output_padding == [0, 0] {
                    Msg::default()
                } else {
                    msg!("round-trip-fact-shape-note", op = fmt_pair(output_padding))
                }
            ),
            msg!("round-trip-fact-values", changed = changed, n = xv.len()),
            msg!(
                "round-trip-fact-adjoint",
                lhs = fmt_sum(lhs),
                rhs = fmt_sum(rhs),
                equal = if lhs == rhs {
                    msg!("round-trip-equal")
                } else {
                    msg!("round-trip-equal-rounding", difference = format!("{:.2e}", (lhs - rhs).abs()))
                }
            ),
        ],
        editable: Editable::input(comp.input),
        pick: None, pytorch: comp.program(),
        trace: comp.trace,
    })
}

fn fmt_pair([a, b]: [usize; 2]) -> String {
    if a == b { a.to_string() } else { format!("({a}, {b})") }
}

fn fmt_sum(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 { format!("{v:.0}") } else { fmt_num(v as f32) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::conv_transpose2d::{ConvTranspose2dGeometry, conv_transpose2d};
    use crate::ops::conv2d::{Conv2dGeometry, conv2d, shape4};
    use crate::params::Params;

    /// The picture's r equals the (golden-tested) eval conv2d then conv_transpose2d, its shape
    /// is x's, and the stated identity holds for the grids' values.
    #[test]
    fn round_trip_is_conv_then_its_transpose() {
        for query in ["", "stride=3&height=7&width=6&kernel_size=4&padding=0", "in_channels=2&out_channels=3&stride=1"] {
            let pairs = query.split('&').filter_map(|p| p.split_once('='));
            let (params, problems) = Params::from_pairs(SCHEMA, pairs, &[]);
            assert!(problems.is_empty(), "{problems:?}");
            let run = run_round_trip(&params, &Edits::new()).unwrap();
            let t = &run.trace;
            let grid = |symbol: &str| t.grids.iter().find(|g| g.symbol == symbol && g.written || symbol == "x" && g.symbol == "x").unwrap();
            let arr = |g: &crate::trace::Grid| ndarray::Array4::from_shape_vec(g.shape, g.values.clone()).unwrap();
            let (x, w) = (arr(grid("x")), arr(t.grids.iter().find(|g| g.symbol == "w").unwrap()));
            let (k, s, p) = (params.usize("kernel_size"), params.usize("stride"), params.usize("padding"));
            let args = ConvArgs::square(s, p, 1, 1);
            let g = Conv2dGeometry::new(shape4(&x), shape4(&w), None, args).unwrap();
            let y = conv2d(&x, &w, None, &g);
            let op = [2, 3].map(|a| restoring_output_padding(x.shape()[a], k, s, p).unwrap());
            let gt = ConvTranspose2dGeometry::new(shape4(&y), shape4(&w), None, args, op).unwrap();
            let back = conv_transpose2d(&y, &w, None, &gt);
            assert_eq!(back.shape(), x.shape(), "{query}");
            assert_eq!(grid("r").values, back.iter().copied().collect::<Vec<_>>(), "{query}");
            assert_eq!(grid("y").values, y.iter().copied().collect::<Vec<_>>(), "{query}");
            let facts: Vec<String> = run.facts.iter().map(|f| f.en()).collect();
            let adjoint = facts.iter().find(|f| f.starts_with("adjoint")).unwrap();
            assert!(adjoint.ends_with(", equal"), "{query}: {adjoint}");
            assert!(facts.iter().any(|f| f.starts_with("values not restored") && !f.starts_with("values not restored: 0 ")));
        }
    }
}
