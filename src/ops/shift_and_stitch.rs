//! `shift_and_stitch`: FCN's shift-and-stitch equals the à trous (dilated) filter. The input
//! is split into f² shifted, decimated copies; each is convolved with the same k×k kernel; the
//! results are interleaved back. Beside it, one conv with dilation f on the whole input gives
//! the same numbers — dilation is shift-and-stitch without the bookkeeping.

use ndarray::Array4;

use super::code::{self, Call, Program, PyArg};
use super::compose::{Composite, Conv, Names};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d, shape4};
use super::{Editable, Edits, Operator, Run, Tensor, check_taps, controls, preset_tensor, weight_tensor};
use crate::counts::{Work, products_text};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Grid, GridId, Role};

static SCHEMA: &[ParamSpec] = &[
    controls::height(8),
    controls::width(8),
    ParamSpec::int("factor", "shift-stitch-factor", 1, 3, 2, "shift-stitch-factor-help"),
    ParamSpec::int("kernel_size", "shift-stitch-kernel-size", 1, 5, 3, "shift-stitch-kernel-size-help"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

/// The decimated copy of `x` starting at row `a`, column `b`: `x[a::f, b::f]`.
pub fn decimate(x: &Array4<f32>, a: usize, b: usize, f: usize) -> Array4<f32> {
    let (n, c, h, w) = x.dim();
    Array4::from_shape_fn((n, c, (h - a).div_ceil(f), (w - b).div_ceil(f)), |(i, j, r, q)| {
        x[[i, j, a + r * f, b + q * f]]
    })
}

/// Shift-and-stitch in PyTorch, for "Copy as PyTorch".
const SHIFT_AND_STITCH_PY: &str = r#"def shift_and_stitch(input, weight, factor):
    """FCN's shift-and-stitch: a 'same' conv of every shifted, decimated copy, stitched back."""
    y = torch.zeros_like(input)
    for a in range(factor):
        for b in range(factor):
            part = input[:, :, a::factor, b::factor]
            y[:, :, a::factor, b::factor] = F.conv2d(part, weight, padding=weight.shape[-1] // 2)
    return y"#;

fn same(k: usize) -> ConvArgs {
    ConvArgs::square(1, k / 2, 1, 1)
}

/// Shift-and-stitch: f² convs on decimated copies, interleaved.
pub fn shift_and_stitch(x: &Array4<f32>, w: &Array4<f32>, f: usize) -> Result<Array4<f32>, ParamError> {
    let mut y = Array4::<f32>::zeros(x.dim());
    for a in 0..f {
        for b in 0..f {
            let part = decimate(x, a, b, f);
            let g = Conv2dGeometry::new(shape4(&part), shape4(w), None, same(w.shape()[2]))?;
            for ((i, j, r, q), v) in conv2d(&part, w, None, &g).indexed_iter() {
                y[[i, j, a + r * f, b + q * f]] = *v;
            }
        }
    }
    Ok(y)
}

/// The à trous filter: one conv with dilation f and the padding that keeps the size.
pub fn a_trous(x: &Array4<f32>, w: &Array4<f32>, f: usize) -> Result<Array4<f32>, ParamError> {
    let k = w.shape()[2];
    let g = Conv2dGeometry::new(shape4(x), shape4(w), None, ConvArgs::square(1, f * (k / 2), f, 1))?;
    Ok(conv2d(x, w, None, &g))
}

pub static SHIFT_AND_STITCH: Operator = Operator {
    name: "shift_and_stitch",
    title: "shift-stitch-title",
    summary: "shift-stitch-summary",
    schema: SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_shift_and_stitch,
};

/// One shift `(a, b)`: decimate x from there (every f-th cell), convolve the copy with the
/// shared kernel, and stitch the result back into `y` at the same shift; in lane 1 + a.
fn traced_shift(
    comp: &mut Composite,
    x: &Array4<f32>,
    [a, b]: [usize; 2],
    f: usize,
    (w_id, w): (GridId, &Array4<f32>),
    y: GridId,
) -> Result<(), ParamError> {
    let lane = 1 + a;
    let part = decimate(x, a, b, f);
    let caption = format!("x{a}{b} = x[{a}::{f}, {b}::{f}]");
    let mut grid = Grid::new(&format!("x{a}{b}"), &caption, Role::Intermediate, shape4(&part));
    grid.lane = lane;
    let t = &mut comp.trace;
    let part_id = t.add_grid(grid);
    let explain = msg!("shift-stitch-explain-decimate", f = f, a = a, b = b, copies = f * f);
    let stage = t.add_stage(msg!("shift-stitch-stage-decimate", a = a, b = b), explain);
    let cells = part
        .indexed_iter()
        .map(|((i, j, r, q), _)| {
            ([i, j, r, q], Some(CellRef { grid: comp.input, index: [i, j, a + r * f, b + q * f] }))
        })
        .collect();
    let step = t.fill(part_id, stage, cells);
    t.steps.push(step);
    comp.record(part_id, part);
    let output = format!("y{a}{b}");
    let caption = msg!("shift-stitch-caption-part", sym = &output, source = format!("x{a}{b}"));
    let names = Names::new(("w", msg!("shift-stitch-caption-kernel", sym = "w")), (&output, caption)).sharing(w_id);
    let out_id = comp.conv(Conv::Plain, part_id, w, same(w.shape()[2]), lane, names)?;
    let out = comp.values(out_id).clone();
    let t = &mut comp.trace;
    let explain = msg!("shift-stitch-explain-stitch", f = f, a = a, b = b);
    let stage = t.add_stage(msg!("shift-stitch-stage-stitch", a = a, b = b), explain);
    let cells = out
        .indexed_iter()
        .map(|((i, j, r, q), _)| ([i, j, a + r * f, b + q * f], Some(CellRef { grid: out_id, index: [i, j, r, q] })))
        .collect();
    let step = t.fill(y, stage, cells);
    t.steps.push(step);
    Ok(())
}

fn run_shift_and_stitch(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let (f, k) = (params.usize("factor"), params.usize("kernel_size"));
    if k % 2 == 0 {
        return Err(ParamError::new("kernel_size", msg!("shift-stitch-error-even-kernel", k = k)));
    }
    let shape = [1, 1, params.usize("height"), params.usize("width")];
    let x = preset_tensor(params.choice("input_values"), shape, params.int("seed") as u64, Tensor::Input, edits);
    let w = weight_tensor(params, [1, 1, k, k], 0, &Edits::new());
    let (h, wd) = (x.shape()[2], x.shape()[3]);
    if f > h || f > wd {
        return Err(ParamError::new("factor", msg!("shift-stitch-error-empty", f = f, h = h, w = wd)));
    }
    check_taps(2 * h * wd * k * k)?;

    let mut comp = Composite::new(&x);
    let w_id = comp.trace.add_grid(Grid::from_array("w", msg!("shift-stitch-caption-shared-kernel", sym = "w"), Role::Weight, &w));
    let y_id = comp.trace.add_grid(Grid::new("y", msg!("shift-stitch-caption-stitched", sym = "y"), Role::Output, [1, 1, h, wd]));
    for a in 0..f {
        for b in 0..f {
            traced_shift(&mut comp, &x, [a, b], f, (w_id, &w), y_id)?;
        }
    }
    let atrous_args = ConvArgs::square(1, f * (k / 2), f, 1);
    let lane = 1 + f;
    let names = Names::new(("w", msg!("shift-stitch-caption-kernel", sym = "w")), ("y′", msg!("shift-stitch-caption-atrous")));
    let names = names.last().sharing(w_id);
    let atrous = comp.conv(Conv::Plain, comp.input, &w, atrous_args, lane, names)?;
    let stitched = shift_and_stitch(&x, &w, f)?;
    let pytorch = Program {
        steps: vec![
            Call::python("torch.clone", None, x.clone().into_dyn()).arg("input", code::tensor(&x)).into("x"),
            Call::python("shift_and_stitch", Some(SHIFT_AND_STITCH_PY), stitched.into_dyn())
                .arg("input", PyArg::Var("x".into()))
                .arg("weight", code::tensor(&w))
                .arg("factor", PyArg::Int(f as i64))
                .into("y"),
            Call::new("conv2d", "F.conv2d", comp.values(atrous).clone().into_dyn())
                .arg("input", PyArg::Var("x".into()))
                .arg("weight", code::tensor(&w))
                .arg("bias", PyArg::None)
                .arg("stride", code::pair([1, 1]))
                .arg("padding", code::pair([f * (k / 2); 2]))
                .arg("dilation", code::pair([f, f]))
                .arg("groups", PyArg::Int(1))
                .into("y_atrous"),
        ],
    };
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!("shift-stitch-formula-shifts", shifts = f * f),
            msg!("shift-stitch-formula-atrous", k = k, f = f, p = f * (k / 2)),
        ],
        facts: vec![
            msg!("shift-stitch-fact-convs", n = f * f),
            {
                // The small convs are the first f² passes; the à trous conv is the last.
                let stitched = (0..f * f).map(|i| comp.work(i)).fold(Work::default(), |a, b| a.plus(&b));
                let atrous = comp.work(f * f);
                msg!(
                    "shift-stitch-fact-products",
                    stitched = products_text(&stitched),
                    n = f * f,
                    atrous = products_text(&atrous)
                )
            },
        ],
        editable: Editable::input(comp.input),
        pick: None,
        pytorch: Some(pytorch),
        trace: comp.trace,
    })
}
