//! `checkerboard`: the Odena–Dumoulin–Olah artifact. For each way a decoder can upsample —
//! transposed conv, resize-then-conv (nearest, bilinear), conv then pixel shuffle, bilinear
//! additive — the response to an all-ones input with all-ones weights counts how many kernel
//! taps reach each output cell; 1–3 stacked layers compound it. A 1-D profile of one row shows
//! which methods are even. In image mode a small built-in picture goes through each method
//! with constant (normalised) weights, so the artifacts show as pixels.
//!
//! Every map is computed by the same operator code the other views animate.

use ndarray::Array4;

use super::bilinear_additive::{self, bilinear_additive};
use super::conv_transpose2d::{ConvTranspose2dGeometry, conv_transpose2d};
use super::conv2d::{Conv2dGeometry, ConvArgs, conv2d, shape4};
use super::interpolate::Mode;
use super::resize_conv::{ResizeConvGeometry, resize_conv2d};
use super::pixel_shuffle::{Order, ShuffleGeometry, rearrange};
use super::code::{self, Call, Program, PyArg};
use super::interpolate::interpolate;
use super::{Edits, Operator, Run};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{CellRef, Chart, Constant, Grid, Role, Series, Step, Trace, Write, fmt_num};

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "view",
        "checkerboard-view",
        &[("overlap", "checkerboard-view-overlap"), ("image", "checkerboard-view-image")],
        "overlap",
        "checkerboard-view-help",
    ),
    ParamSpec::int("kernel_size", "checkerboard-kernel-size", 1, 7, 3, "checkerboard-kernel-size-help"),
    ParamSpec::int("stride", "checkerboard-stride", 1, 4, 2, "checkerboard-stride-help"),
    ParamSpec::int("dilation", "checkerboard-dilation", 1, 3, 1, "checkerboard-dilation-help"),
    ParamSpec::int("layers", "checkerboard-layers", 1, 3, 1, "checkerboard-layers-help"),
    ParamSpec::int("size", "checkerboard-size", 2, 12, 5, "checkerboard-size-help"),
];

/// The upsampling methods compared, in display order: their names' message ids.
pub const METHODS: [&str; 5] = [
    "checkerboard-method-transposed",
    "checkerboard-method-resize-nearest",
    "checkerboard-method-resize-bilinear",
    "checkerboard-method-pixel-shuffle",
    "checkerboard-method-bilinear-additive",
];

/// Settings shared by every method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setting {
    pub k: usize,
    pub s: usize,
    pub d: usize,
}

fn ones(shape: [usize; 4], value: f32) -> Array4<f32> {
    Array4::from_elem(shape, value)
}

/// `padding="same"` for a k×k stride-1 conv (an even k pads one more after), so every
/// method's map is s·n on a side.
fn same(k: usize) -> ConvArgs {
    ConvArgs::same([1, 1], [1, 1], [k, k], 1).expect("stride 1 allows padding='same'")
}

/// The transposed conv's `padding` and `output_padding` that make its map s·n like the other
/// methods': (n − 1)s − 2p + d(k − 1) + op + 1 = sn. PyTorch needs op < max(s, d); where that
/// fails (s = d = 1 with an even k) the map is one cell larger.
pub fn transposed_padding(set: Setting) -> (usize, usize) {
    let Setting { k, s, d } = set;
    let t = d as isize * (k as isize - 1) + 1 - s as isize;
    if t < 0 {
        return (0, t.unsigned_abs());
    }
    let p = (t as usize).div_ceil(2);
    let op = 2 * p - t as usize;
    if op < s.max(d) { (p, op) } else { (t as usize / 2, 0) }
}

/// One layer of `method` on a single-channel map; `normalise` scales the weights so a
/// constant input keeps its level on average (image mode), else all weights are 1.
pub fn upsample_once(method: usize, x: &Array4<f32>, set: Setting, normalise: bool) -> Result<Array4<f32>, ParamError> {
    Ok(upsample_once_calls(method, x, set, normalise, code::tensor(x), "m")?.0)
}

/// [`upsample_once`] with the PyTorch calls that give the same map ("Copy as PyTorch"),
/// reading `input` and naming their results after `name`.
fn upsample_once_calls(
    method: usize,
    x: &Array4<f32>,
    set: Setting,
    normalise: bool,
    input: PyArg,
    name: &str,
) -> Result<(Array4<f32>, Vec<Call>), ParamError> {
    let Setting { k, s, d } = set;
    let shape = shape4(x);
    let conv_call = |input: PyArg, w: &Array4<f32>, out: &Array4<f32>| {
        Call::new("conv2d", "F.conv2d", out.clone().into_dyn())
            .arg("input", input)
            .arg("weight", code::tensor(w))
            .arg("bias", PyArg::None)
            .arg("stride", PyArg::Int(1))
            .arg("padding", PyArg::Str("same"))
            .arg("dilation", PyArg::Int(1))
            .arg("groups", PyArg::Int(1))
    };
    let var = |suffix: &str| format!("{name}{suffix}");
    match method {
        0 => {
            let weight = if normalise { (s * s) as f32 / (k * k) as f32 } else { 1.0 };
            let w = ones([1, 1, k, k], weight);
            let (p, op) = transposed_padding(set);
            let g = ConvTranspose2dGeometry::new(shape, shape4(&w), None, ConvArgs::square(s, p, d, 1), [op, op])?;
            let y = conv_transpose2d(x, &w, None, &g);
            let call = Call::new("conv_transpose2d", "F.conv_transpose2d", y.clone().into_dyn())
                .arg("input", input)
                .arg("weight", code::tensor(&w))
                .arg("bias", PyArg::None)
                .arg("stride", PyArg::Int(s as i64))
                .arg("padding", PyArg::Int(p as i64))
                .arg("output_padding", PyArg::Int(op as i64))
                .arg("groups", PyArg::Int(1))
                .arg("dilation", PyArg::Int(d as i64))
                .into(name);
            Ok((y, vec![call]))
        }
        1 | 2 => {
            // Resize-convolution (see `resize_conv2d`): a 'same' k×k conv on the resized map.
            let mode = if method == 1 { Mode::Nearest } else { Mode::Bilinear };
            let w = ones([1, 1, k, k], if normalise { 1.0 / (k * k) as f32 } else { 1.0 });
            let args = same(k);
            let g = ResizeConvGeometry::new(shape, (mode, [s as f64; 2], false), shape4(&w), None, args)?;
            let y = resize_conv2d(x, &w, None, &g);
            let u = interpolate(x, &g.resize);
            let resize = Call::new("interpolate", "F.interpolate", u.into_dyn())
                .arg("input", input)
                .arg("size", PyArg::None)
                .arg("scale_factor", PyArg::Float(s as f64))
                .arg("mode", PyArg::Str(mode.name()))
                .arg("align_corners", if method == 2 { PyArg::Bool(false) } else { PyArg::None })
                .into(&var("u"));
            let conv = conv_call(PyArg::Var(var("u")), &w, &y).into(name);
            Ok((y, vec![resize, conv]))
        }
        3 => {
            let c = x.shape()[1];
            let w = ones([s * s, c, k, k], if normalise { 1.0 / (k * k) as f32 } else { 1.0 });
            let g = Conv2dGeometry::new(shape, shape4(&w), None, same(k))?;
            let sub = conv2d(x, &w, None, &g);
            let shuffle = ShuffleGeometry::from_depth(shape4(&sub), s, Order::Crd, "stride")?;
            let y = rearrange(&sub, &shuffle, true);
            let conv = conv_call(input, &w, &sub).into(&var("t"));
            let call = Call::new("pixel_shuffle", "F.pixel_shuffle", y.clone().into_dyn())
                .arg("input", PyArg::Var(var("t")))
                .arg("upscale_factor", PyArg::Int(s as i64))
                .into(name);
            Ok((y, vec![conv, call]))
        }
        _ => {
            // N = s² copies of the map (a 1×1 conv with N filters of the level), summed back
            // after bilinear ×s.
            let n = s * s;
            let level = if normalise { 1.0 / n as f32 } else { 1.0 };
            let w = ones([n, shape[1], 1, 1], level);
            let g = Conv2dGeometry::new(shape, shape4(&w), None, same(1))?;
            let copies = conv2d(x, &w, None, &g);
            let (g, group) = bilinear_additive::geometry(shape4(&copies), s as f64, n)?;
            let y = bilinear_additive(&copies, &g, group);
            let conv = conv_call(input, &w, &copies).into(&var("c"));
            let call = Call::new("bilinear_additive_upsample", "bilinear_additive_upsample", y.clone().into_dyn())
                .helper(code::BILINEAR_ADDITIVE)
                .arg("input", PyArg::Var(var("c")))
                .arg("scale_factor", PyArg::Float(s as f64))
                .arg("channel_group", PyArg::Int(group as i64))
                .into(name);
            Ok((y, vec![conv, call]))
        }
    }
}

/// The calls of every method's `layers` layers on `x`: method m's map is `m{m}_{layers}`.
fn program(x: &Array4<f32>, set: Setting, layers: usize, normalise: bool) -> Result<Program, ParamError> {
    let mut steps = Vec::new();
    for method in 0..METHODS.len() {
        let (mut map, mut input) = (x.clone(), code::tensor(x));
        for layer in 1..=layers {
            let name = format!("m{}_{layer}", method + 1);
            let (next, calls) = upsample_once_calls(method, &map, set, normalise, input, &name)?;
            steps.extend(calls);
            (map, input) = (next, PyArg::Var(name));
        }
    }
    Ok(Program { steps })
}

/// The map after `layers` layers of `method`.
pub fn upsample(
    method: usize,
    x: &Array4<f32>,
    set: Setting,
    layers: usize,
    normalise: bool,
) -> Result<Array4<f32>, ParamError> {
    (0..layers).try_fold(x.clone(), |map, _| upsample_once(method, &map, set, normalise))
}

/// Transposed conv's overlap count along one axis, away from the borders: how many of the
/// k taps (spaced d) land on output positions ≡ r (mod s), for r = 0..s.
pub fn overlap_residues(set: Setting) -> Vec<usize> {
    let mut counts = vec![0; set.s];
    for j in 0..set.k {
        counts[(j * set.d) % set.s] += 1;
    }
    counts
}

/// A built-in picture: a soft disc on a diagonal gradient, values in 0‥4.
fn picture(n: usize) -> Array4<f32> {
    let c = (n as f32 - 1.0) / 2.0;
    Array4::from_shape_fn((1, 1, n, n), |(_, _, r, q)| {
        let dist = ((r as f32 - c).powi(2) + (q as f32 - c).powi(2)).sqrt() / (n as f32 / 2.0);
        let disc = (1.0 - (dist - 0.55).max(0.0) * 5.0).clamp(0.0, 1.0);
        let gradient = (r + q) as f32 / (2 * n - 2).max(1) as f32;
        ((2.0 * disc + 2.0 * gradient) * 4.0).round() / 4.0
    })
}

/// Interior range of a map side (`margin` cells from each end left out), if any is left.
fn interior(len: usize, margin: usize) -> Option<std::ops::Range<usize>> {
    (len > 2 * margin).then(|| margin..len - margin)
}

pub static CHECKERBOARD: Operator = Operator {
    name: "checkerboard",
    title: "checkerboard-title",
    summary: "checkerboard-summary",
    schema: SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_checkerboard,
};

fn run_checkerboard(params: &Params, _edits: &Edits) -> Result<Run, ParamError> {
    let set = Setting { k: params.usize("kernel_size"), s: params.usize("stride"), d: params.usize("dilation") };
    let (layers, n) = (params.usize("layers"), params.usize("size"));
    let image = params.choice("view") == "image";
    let out_side = n * set.s.pow(layers as u32) + set.d * set.k * layers;
    if out_side > 160 {
        return Err(ParamError::new("layers", msg!("checkerboard-too-large", layers = layers, side = out_side)));
    }
    let x = if image { picture(n) } else { ones([1, 1, n, n], 1.0) };
    let mut trace = Trace::default();
    let caption = if image { msg!("checkerboard-caption-picture", sym = "x") } else { msg!("checkerboard-caption-ones", sym = "x") };
    trace.add_grid(Grid::from_array("x", caption, Role::Input, &x));
    let mut facts = Vec::new();
    let mut series = Vec::new();
    for (method, name) in METHODS.iter().enumerate() {
        let map = upsample(method, &x, set, layers, image)?;
        add_map(&mut trace, method, &map, explain(method, set, layers));
        // Each layer's border effects reach at most its kernel's span plus one stride in.
        let border = (set.d * (set.k - 1) + set.s) * layers;
        // The verdict is the overlap law's (all-ones input and weights) in both views: a
        // picture varies by itself, so its values cannot say whether the method is even.
        let law = if image { middle_row(&upsample(method, &ones([1, 1, n, n], 1.0), set, layers, false)?, border, false) } else { middle_row(&map, border, false) };
        let verdict = Msg::id(law.verdict);
        let row = middle_row(&map, border, image);
        let name = Msg::id(*name);
        facts.push(if image {
            msg!("checkerboard-fact-picture", method = &name, taps = law.range, verdict = verdict, values = row.range)
        } else {
            msg!("checkerboard-fact-overlap", method = &name, taps = law.range, verdict = verdict)
        });
        let points = row.points;
        series.push(Series::line(name, points));
    }
    trace.charts.push(Chart {
        title: if image { msg!("checkerboard-chart-title-picture") } else { msg!("checkerboard-chart-title-overlap") },
        x_label: msg!("checkerboard-chart-x"),
        y_label: if image { msg!("checkerboard-chart-y-picture") } else { msg!("checkerboard-chart-y-overlap") },
        series,
        lane: 0,
    });
    let residues = overlap_residues(set);
    let even = residues.iter().all(|&c| c == residues[0]);
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!(
                "checkerboard-formula-residues",
                last = set.s - 1,
                taps = format!("{residues:?}"),
                verdict = match (even, layers) {
                    (true, _) => msg!("checkerboard-even"),
                    (false, 1) => msg!("checkerboard-formula-uneven"),
                    (false, n) => msg!("checkerboard-formula-uneven-layers", layers = n),
                }
            ),
            msg!("checkerboard-formula-law"),
        ],
        facts,
        editable: Vec::new(),
        pick: None,
        pytorch: Some(program(&x, set, layers, image)?),
        trace,
    })
}

/// Adds method `method`'s map as a grid in its lane, filled in one step.
fn add_map(trace: &mut Trace, method: usize, map: &Array4<f32>, explain: Msg) {
    let name = Msg::id(METHODS[method]);
    let symbol = format!("m{}", method + 1);
    let caption = msg!("checkerboard-caption-map", sym = &symbol, method = &name);
    let mut grid = Grid::new(&symbol, caption, Role::Output, shape4(map));
    grid.lane = 1 + method / 3;
    let id = trace.add_grid(grid);
    let stage = trace.add_stage(name, explain);
    let writes = map
        .indexed_iter()
        .map(|((i, c, r, q), &value)| {
            Write::set(CellRef { grid: id, index: [i, c, r, q] }, Vec::new(), Some(Constant { value, cell: None }))
        })
        .collect::<Vec<_>>();
    trace.grids[id].values = writes.iter().map(|w| w.value).collect();
    trace.steps.push(Step { stage, writes: writes.into(), focus: Vec::new() });
}

/// A map's interior (`border` cells from each edge left out) and its middle row.
struct MiddleRow {
    /// The interior's values and where they were read: "4 in the interior", "1 … 4 over the
    /// whole map".
    range: Msg,
    /// The message id of "even", "uneven", or why the map cannot say.
    verdict: &'static str,
    /// The whole row, relative to the interior mean unless `image`, for the profile chart.
    points: Vec<(f32, f32)>,
}

fn middle_row(map: &Array4<f32>, border: usize, image: bool) -> MiddleRow {
    let side = map.shape()[2];
    let row = map.slice(ndarray::s![0, 0, side / 2, ..]).to_owned();
    let inner = interior(side, border).zip(interior(map.shape()[3], border));
    let inner = inner.map(|(rows, cols)| map.slice(ndarray::s![0, 0, rows, cols]));
    let values: Vec<f32> = inner.map_or_else(|| map.iter().copied().collect(), |v| v.iter().copied().collect());
    let mean = (values.iter().sum::<f32>() / values.len().max(1) as f32).max(f32::EPSILON);
    let (lo, hi) = values.iter().fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    MiddleRow {
        range: Msg::id(if inner.is_some() { "checkerboard-range-interior" } else { "checkerboard-range-whole" })
            .with("values", if (hi - lo).abs() < 1e-4 { fmt_num(lo) } else { format!("{} … {}", fmt_num(lo), fmt_num(hi)) }),
        verdict: match inner {
            None => "checkerboard-all-border",
            Some(_) if (hi - lo) <= 1e-4 * hi.abs().max(1.0) => "checkerboard-even",
            Some(_) => "checkerboard-uneven",
        },
        points: row.iter().enumerate().map(|(q, &v)| (q as f32, if image { v } else { v / mean })).collect(),
    }
}

fn explain(method: usize, set: Setting, layers: usize) -> Msg {
    let Setting { k, s, d } = set;
    let what = match method {
        0 => msg!("checkerboard-explain-transposed", k = k, s = s, d = d),
        1 => msg!("checkerboard-explain-resize-nearest", k = k, s = s),
        2 => msg!("checkerboard-explain-resize-bilinear", k = k, s = s),
        3 => msg!("checkerboard-explain-pixel-shuffle", k = k, channels = s * s),
        _ => msg!("checkerboard-explain-bilinear-additive", s = s, channels = s * s),
    };
    msg!("checkerboard-explain", what = what, layers = layers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_case_is_uneven_and_kernel_multiple_of_stride_is_even() {
        assert_eq!(overlap_residues(Setting { k: 3, s: 2, d: 1 }), vec![2, 1]);
        assert_eq!(overlap_residues(Setting { k: 4, s: 2, d: 1 }), vec![2, 2]);
        // Dilation 2 with stride 2 sends every tap to the same residue.
        assert_eq!(overlap_residues(Setting { k: 2, s: 2, d: 2 }), vec![2, 0]);
    }

    fn run(query: &str) -> Run {
        let (params, problems) = Params::from_pairs(SCHEMA, query.split('&').filter_map(|p| p.split_once('=')), &[]);
        assert!(problems.is_empty(), "{problems:?}");
        run_checkerboard(&params, &Edits::new()).unwrap()
    }

    fn verdicts(run: &Run) -> Vec<&str> {
        let word = |f: &str| ["(even)", "(uneven)", "(all border"].into_iter().find(|w| f.contains(w)).unwrap_or("none");
        run.facts.iter().map(|f| word(&f.en())).collect()
    }

    /// Both views give each method the overlap law's verdict (the picture does not decide it),
    /// the transposed conv's verdict is the law's (every residue mod s gets as many taps), and
    /// every method's map has the same size, s^layers·n.
    #[test]
    fn image_view_is_judged_by_the_overlap_law_and_maps_match_in_size() {
        let mut judged = 0;
        for (k, s, d, layers) in (1..=7usize).flat_map(|k| (1..=4usize).flat_map(move |s| (1..=3).flat_map(move |d| (1..=2).map(move |l| (k, s, d, l))))) {
            // The largest input the view accepts, so the interior is wider than the borders.
            let n = (2..=12).rev().find(|n| n * s.pow(layers as u32) + d * k * layers <= 160).unwrap();
            let query = format!("kernel_size={k}&stride={s}&dilation={d}&layers={layers}&size={n}");
            let Ok(overlap) = std::panic::catch_unwind(|| run(&query)) else { panic!("{query}") };
            let image = run(&format!("{query}&view=image"));
            assert_eq!(verdicts(&overlap), verdicts(&image), "{query}");
            let residues = overlap_residues(Setting { k, s, d });
            let law = residues.iter().all(|&c| c == residues[0]);
            if verdicts(&overlap)[0] != "(all border" {
                judged += 1;
                assert_eq!(verdicts(&overlap)[0] == "(even)", law, "{query}: {:?} vs {residues:?}", overlap.facts[0]);
            }
            let side = n * s.pow(layers as u32);
            let sizes: Vec<usize> = overlap.trace.grids[1..].iter().map(|g| g.shape[2]).collect();
            let odd_case = s == 1 && d == 1 && k % 2 == 0;
            assert!(sizes[1..].iter().all(|&n| n == side), "{query}: {sizes:?}");
            assert!(sizes[0] == side || odd_case && sizes[0] == side + layers, "{query}: {sizes:?}");
        }
        assert!(judged > 120, "only {judged} settings judged");
    }

    #[test]
    fn the_picture_is_deterministic_and_in_range() {
        let p = picture(8);
        assert_eq!(p, picture(8));
        assert!(p.iter().all(|v| (0.0..=4.0).contains(v)));
    }
}
