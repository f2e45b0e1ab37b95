//! `deform_conv2d`: torchvision's deformable convolution (v1 offsets, v2 mask). Offsets are
//! learned per output position and per kernel tap — 2·k·k numbers per position, laid out
//! `[N, 2·offset_groups·kh·kw, H_out, W_out]` as (dy, dx) per tap in row-major order — and
//! each sample is read by bilinear interpolation, zero outside the map.

use super::Traced;
use ndarray::{Array1, Array4};

use super::code::{self, Call, Program, PyArg};
use super::conv2d::{
    Conv2dGeometry, ConvArgs, bias_constant, bias_grid, padded_input_grid, padding_caption, shape4, symmetric,
};
use super::{Editable, Edits, Operator, Run, Tensor, check_taps, controls, preset_tensor, sig, weight_tensor};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, Tensor as ArgTensor, check_cost, product};
use crate::counts::{Weights, Work};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{
    CellRef, Grid, GridId, Handle, Mark, OffsetDrag, Operands, Role, SampleKernel, Setter, Source, Step, Tap, Trace,
    Write, fmt_num,
};

/// The four corners of a bilinear sample: `(row, col, weight)`.
pub type Corners<T> = [(T, T, f32); 4];

/// torchvision's `bilinear_interpolate` for deformable conv: zero when the point is a full
/// cell or more outside the map, else the in-map corners weighted (others read zero).
/// Returns the value and the four corners `(row, col, weight)` (some may lie outside), none
/// when the point reads zero; nothing is allocated.
pub fn sample(
    plane: impl Fn(usize, usize) -> f32,
    [height, width]: [usize; 2],
    [h, w]: [f32; 2],
) -> (f32, Option<Corners<isize>>) {
    // A full cell or more outside the map (NaN included) reads zero, before any index
    // arithmetic, so huge offsets cannot overflow.
    if !(h > -1.0 && h < height as f32 && w > -1.0 && w < width as f32) {
        return (0.0, None);
    }
    let (hl, wl) = (h.floor(), w.floor());
    let (lh, lw) = (h - hl, w - wl);
    let (hh, hw) = (1.0 - lh, 1.0 - lw);
    let (h0, w0) = (hl as isize, wl as isize);
    let corners = [(h0, w0, hh * hw), (h0, w0 + 1, hh * lw), (h0 + 1, w0, lh * hw), (h0 + 1, w0 + 1, lh * lw)];
    let read = |r: isize, c: isize| {
        if r >= 0 && c >= 0 && (r as usize) < height && (c as usize) < width {
            plane(r as usize, c as usize)
        } else {
            0.0
        }
    };
    let v = corners.map(|(r, c, weight)| weight * read(r, c));
    (v[0] + v[1] + v[2] + v[3], Some(corners))
}

/// A checked deformable conv: the conv geometry plus offset and mask layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeformGeometry {
    pub conv: Conv2dGeometry,
    pub offset_groups: usize,
    pub has_mask: bool,
}

impl DeformGeometry {
    pub fn new(conv: Conv2dGeometry, offset: [usize; 4], mask: Option<[usize; 4]>) -> Result<Self, ParamError> {
        let [n, c_in, _, _] = conv.input;
        let [_, _, kh, kw] = conv.weight;
        let [_, _, ho, wo] = conv.output;
        let taps = kh * kw;
        if offset[1] == 0 || !offset[1].is_multiple_of(2 * taps) {
            return Err(ParamError::general(msg!(
                "deform-offset-channels",
                channels = offset[1].to_string(),
                multiple = (2 * taps).to_string()
            )));
        }
        let offset_groups = offset[1] / (2 * taps);
        if !c_in.is_multiple_of(offset_groups) {
            return Err(ParamError::general(msg!(
                "deform-offset-groups",
                channels = c_in.to_string(),
                groups = offset_groups.to_string()
            )));
        }
        if offset != [n, offset[1], ho, wo] {
            return Err(ParamError::general(msg!(
                "deform-offset-shape",
                want = format!("[{n}, {}, {ho}, {wo}]", offset[1]),
                got = format!("{offset:?}")
            )));
        }
        if let Some(mask) = mask.filter(|m| *m != [n, offset_groups * taps, ho, wo]) {
            return Err(ParamError::general(msg!(
                "deform-mask-shape",
                want = format!("[{n}, {}, {ho}, {wo}]", offset_groups * taps),
                got = format!("{mask:?}")
            )));
        }
        Ok(DeformGeometry { conv, offset_groups, has_mask: mask.is_some() })
    }
}

/// The tensors of a deformable conv: input, offsets, mask (v2), weight and bias.
#[derive(Clone, Copy)]
pub struct DeformInputs<'a> {
    pub x: &'a Array4<f32>,
    pub offset: &'a Array4<f32>,
    pub mask: Option<&'a Array4<f32>>,
    pub w: &'a Array4<f32>,
    pub b: Option<&'a Array1<f32>>,
}

/// torchvision's deform_conv2d.
pub fn deform_conv2d(inputs: DeformInputs, g: &DeformGeometry) -> Array4<f32> {
    deform_impl(inputs, g, None).0
}

/// [`deform_conv2d`] with a trace: one step per output cell whose taps are the bilinear
/// samples (corners and mask), each sampling point a handle that drags its offset; with
/// `overview`, every output position's sampling points are marks.
pub fn deform_conv2d_traced(inputs: DeformInputs, g: &DeformGeometry, t: &mut Trace, overview: bool) -> Traced {
    let (y, ids) = deform_impl(inputs, g, Some((t, overview)));
    (y, ids.expect("a traced run adds grids"))
}

fn deform_impl(
    DeformInputs { x, offset, mask, w, b }: DeformInputs,
    g: &DeformGeometry,
    mut trace: Option<(&mut Trace, bool)>,
) -> (Array4<f32>, Option<Operands>) {
    let conv = &g.conv;
    let [_, c_in, h, wd] = conv.input;
    let [c_out, c_in_per_group, kh, kw] = conv.weight;
    let [s, p, d] = [conv.args.stride, conv.args.padding, conv.args.dilation];
    let c_out_per_group = c_out / (c_in / c_in_per_group);
    let channels_per_offset_group = c_in / g.offset_groups;
    let ids = trace.as_mut().map(|(t, _)| add_grids(t, x, w, b, g));
    let mut y = Array4::<f32>::zeros(conv.output);
    // Room for every step, handle and mark at once (a 64×64 map with a 5×5 kernel has 100,000).
    let per_cell = c_in_per_group * kh * kw;
    if let Some((t, overview)) = trace.as_mut() {
        t.steps.reserve(y.len());
        t.handles.reserve(y.len() * kh * kw * g.offset_groups.min(c_in_per_group));
        if *overview {
            t.marks.reserve(y.len() / c_out * per_cell);
        }
    }
    for ((i, co, oy, ox), out) in y.indexed_iter_mut() {
        let group = co / c_out_per_group;
        let mut acc = 0.0f32;
        let room = if ids.is_some() { per_cell } else { 0 };
        let (mut taps, mut points) = (Vec::with_capacity(room), Vec::with_capacity(room));
        for ci in group * c_in_per_group..(group + 1) * c_in_per_group {
            let og = ci / channels_per_offset_group;
            for (ky, kx) in (0..kh).flat_map(|ky| (0..kw).map(move |kx| (ky, kx))) {
                let tap = og * kh * kw + ky * kw + kx;
                let anchor =
                    [(oy * s[0] + ky * d[0]) as f32 - p[0] as f32, (ox * s[1] + kx * d[1]) as f32 - p[1] as f32];
                let at = [anchor[0] + offset[[i, 2 * tap, oy, ox]], anchor[1] + offset[[i, 2 * tap + 1, oy, ox]]];
                let (value, corners) = sample(|r, c| x[[i, ci, r, c]], [h, wd], at);
                let m = mask.map(|m| m[[i, tap, oy, ox]]);
                let masked = m.map_or(value, |m| m * value);
                let k = [co, ci - group * c_in_per_group, ky, kx];
                acc += masked * w[k];
                if let Some(ids) = ids {
                    // Grid coordinates are those of the padded input.
                    let shift = |v: [f32; 2]| [v[0] + p[0] as f32, v[1] + p[1] as f32];
                    let source = Source::Sample {
                        kernel: SampleKernel::Bilinear,
                        grid: ids.input,
                        position: shift(at),
                        corners: padded_corners(corners, ids.input, [i, ci], [h, wd], p),
                        mask: m,
                    };
                    let kernel = CellRef { grid: ids.weight.expect("a weight grid"), index: k };
                    taps.push(Tap::weighted(kernel, w[k], source, masked));
                    let entries = [[i, 2 * tap, oy, ox], [i, 2 * tap + 1, oy, ox]];
                    points.push((shift(at), OffsetDrag { anchor: shift(anchor), entries, scale: [1.0, 1.0] }));
                }
            }
        }
        if let Some(bias) = b {
            acc += bias[co];
        }
        *out = acc;
        if let (Some((t, overview)), Some(ids)) = (trace.as_mut(), ids) {
            let write =
                Write::set(CellRef { grid: ids.output, index: [i, co, oy, ox] }, taps, bias_constant(b, ids.bias, co));
            record_step(t, ids.input, write, points, *overview && co == 0);
        }
    }
    if let (Some((t, _)), Some(ids)) = (trace, ids) {
        t.grids[ids.output].values = y.iter().copied().collect();
    }
    (y, ids)
}

/// Pushes an output cell's step: its sampling points become handles of that step (input
/// channels of one offset group share theirs), and with `overview` marks as well.
fn record_step(t: &mut Trace, grid: GridId, write: Write, points: Vec<([f32; 2], OffsetDrag)>, overview: bool) {
    if overview {
        t.marks.extend(points.iter().map(|&(position, _)| Mark { grid, position }));
    }
    let step = Some(t.steps.len() + 1);
    // The points of one output cell differ in their offset channel alone (batch, row and
    // column are the cell's), so the first entry's channel tells them apart.
    let mut seen = Vec::with_capacity(points.len());
    for (position, drag) in points {
        let channel = drag.entries[0][1];
        if !seen.contains(&channel) {
            seen.push(channel);
            t.handles.push(Handle { grid, position, step, setter: Setter::Offsets(drag) });
        }
    }
    t.steps.push(Step { stage: 0, writes: smallvec::smallvec![write], focus: Vec::new() });
}

/// The padded input, weight, bias and output grids, and the stage.
fn add_grids(t: &mut Trace, x: &Array4<f32>, w: &Array4<f32>, b: Option<&Array1<f32>>, g: &DeformGeometry) -> Operands {
    let p = symmetric(g.conv.args.padding);
    let input = t.add_grid(padded_input_grid(x, p, "x", padding_caption(&crate::msg!("grid-input", sym = "x"), p)));
    let weight = t.add_grid(Grid::from_array("w", msg!("grid-weight", sym = "w"), Role::Weight, w));
    let bias = bias_grid(t, b);
    let output = t.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, g.conv.output));
    t.add_stage(
        if g.has_mask { msg!("deform-stage-modulated") } else { msg!("deform-stage") },
        msg!("deform-stage.explain"),
    );
    Operands { input, weight: Some(weight), bias, output }
}

/// A sample's corners as cells of the padded input grid: corners in the padding read its
/// zeros; those beyond it are left out.
fn padded_corners(
    corners: Option<Corners<isize>>,
    grid: GridId,
    [i, ci]: [usize; 2],
    [h, w]: [usize; 2],
    p: [usize; 2],
) -> Box<[(CellRef, f32)]> {
    let (sh, sw) = (p[0] as isize, p[1] as isize);
    let padded = [(h + 2 * p[0]) as isize, (w + 2 * p[1]) as isize];
    corners
        .iter()
        .flatten()
        .filter(|(r, c, _)| (0..padded[0]).contains(&(r + sh)) && (0..padded[1]).contains(&(c + sw)))
        .map(|&(r, c, weight)| (CellRef { grid, index: [i, ci, (r + sh) as usize, (c + sw) as usize] }, weight))
        .collect()
}

const OFFSET_PRESETS: &[(&str, &str)] = &[
    ("zero", "deform-offsets-zero"),
    ("shift", "deform-offsets-shift"),
    ("zoom", "deform-offsets-zoom"),
    ("rotate", "deform-offsets-rotate"),
    ("random", "deform-offsets-random"),
    ("attend", "deform-offsets-attend"),
];
const MASK_PRESETS: &[(&str, &str)] =
    &[("ones", "deform-mask-ones"), ("random", "deform-mask-random"), ("radial", "deform-mask-radial")];

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice("offsets", "deform-offsets", OFFSET_PRESETS, "zoom", "deform-offsets.help"),
    ParamSpec::int("strength", "deform-strength", 0, 30, 10, "deform-strength.help"),
    ParamSpec::choice("mask", "deform-mask", MASK_PRESETS, "ones", "deform-mask.help"),
    ParamSpec::choice(
        "overview",
        "deform-overview",
        &[("off", "deform-overview-off"), ("on", "deform-overview-on")],
        "off",
        "deform-overview.help",
    ),
    controls::height(7),
    controls::width(7),
    ParamSpec::int("kernel_size", "deform-kernel-size", 1, 5, 3, "deform-kernel-size.help").per_axis(),
    controls::stride2(1),
    ParamSpec::int("padding", "deform-padding", 0, 3, 1, "deform-padding.help").per_axis(),
    controls::DILATION2,
    ParamSpec::choice("input_values", "ops-input-values", controls::VALUE_PRESETS, "blob", "ops-input-values.help"),
    controls::WEIGHT_VALUES,
    controls::SEED,
];

/// The offset field of a preset: `[1, 2·k·k, H_out, W_out]`, (dy, dx) per tap.
pub fn offset_field(
    preset: &str,
    strength: f32,
    k: [usize; 2],
    d: [usize; 2],
    out: [usize; 2],
    input: [usize; 2],
    seed: u64,
) -> Array4<f32> {
    let c = k.map(|k| (k as f32 - 1.0) / 2.0);
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x0FF5E7);
    let angle = strength * std::f32::consts::FRAC_PI_4;
    // The blob of the "blob" input preset sits a third down and two thirds across.
    let blob = [input[0] as f32 / 3.0, input[1] as f32 * 2.0 / 3.0];
    let mut field = Array4::<f32>::zeros((1, 2 * k[0] * k[1], out[0], out[1]));
    for oy in 0..out[0] {
        for ox in 0..out[1] {
            for ky in 0..k[0] {
                for kx in 0..k[1] {
                    let (u, v) = ((ky as f32 - c[0]) * d[0] as f32, (kx as f32 - c[1]) * d[1] as f32);
                    let (dy, dx) = match preset {
                        "shift" => (strength, strength),
                        "zoom" => (u * strength, v * strength),
                        "rotate" => (u * angle.cos() - v * angle.sin() - u, u * angle.sin() + v * angle.cos() - v),
                        "random" => (strength * rng.f32() * 2.0 - strength, strength * rng.f32() * 2.0 - strength),
                        "attend" => {
                            let (py, px) = (oy as f32 + u, ox as f32 + v);
                            (0.5 * strength * (blob[0] - py), 0.5 * strength * (blob[1] - px))
                        }
                        _ => (0.0, 0.0),
                    };
                    let tap = ky * k[1] + kx;
                    // Two decimals, like values a student would type.
                    field[[0, 2 * tap, oy, ox]] = (dy * 100.0).round() / 100.0;
                    field[[0, 2 * tap + 1, oy, ox]] = (dx * 100.0).round() / 100.0;
                }
            }
        }
    }
    field
}

/// The mask of a preset: `[1, kh·kw, H_out, W_out]`, or `None` for all ones (DCNv1).
pub fn mask_field(preset: &str, k: [usize; 2], out: [usize; 2], seed: u64) -> Option<Array4<f32>> {
    let c = k.map(|k| (k as f32 - 1.0) / 2.0);
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x3A5C);
    let far = (c[0] * c[0] + c[1] * c[1]).sqrt().max(1.0);
    let taps = k[0] * k[1];
    match preset {
        "random" => Some(Array4::from_shape_fn((1, taps, out[0], out[1]), |_| (rng.f32() * 100.0).round() / 100.0)),
        "radial" => Some(Array4::from_shape_fn((1, taps, out[0], out[1]), |(_, t, _, _)| {
            let (u, v) = ((t / k[1]) as f32 - c[0], (t % k[1]) as f32 - c[1]);
            ((1.0 - 0.5 * (u * u + v * v).sqrt() / far) * 100.0).round() / 100.0
        })),
        _ => None,
    }
}

pub static DEFORM_CONV2D: Operator = Operator {
    name: "deform_conv2d",
    title: "deform-title",
    summary: "deform-summary",
    schema: SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_deform_conv2d,
};

fn run_deform_conv2d(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let k = params.pair("kernel_size");
    let x = preset_tensor(
        params.choice("input_values"),
        [1, 1, params.usize("height"), params.usize("width")],
        params.int("seed") as u64,
        Tensor::Input,
        edits,
    );
    let w = weight_tensor(params, [1, 1, k[0], k[1]], 0, edits);
    let args = ConvArgs::new(params.pair("stride"), params.pair("padding"), params.pair("dilation"), 1);
    let conv = Conv2dGeometry::new(shape4(&x), shape4(&w), None, args)?;
    check_taps(conv.n_taps())?;
    let out = [conv.output[2], conv.output[3]];
    let seed = params.int("seed") as u64;
    let strength = params.int("strength") as f32 / 10.0;
    let mut offset =
        offset_field(params.choice("offsets"), strength, k, args.dilation, out, [conv.input[2], conv.input[3]], seed);
    // Dragged sampling points override the preset, offset by offset.
    for (&(tensor, index), &value) in edits {
        if let (Tensor::Offset, Some(cell)) = (tensor, offset.get_mut(index)) {
            *cell = value;
        }
    }
    let mask = mask_field(params.choice("mask"), k, out, seed);
    let g = DeformGeometry::new(conv, shape4(&offset), mask.as_ref().map(shape4))?;
    let mut trace = Trace::default();
    let overview = params.choice("overview") == "on";
    let (y, ids) = deform_conv2d_traced(
        DeformInputs { x: &x, offset: &offset, mask: mask.as_ref(), w: &w, b: None },
        &g,
        &mut trace,
        overview,
    );
    let pytorch = Call::new("deform_conv2d", "torchvision.ops.deform_conv2d", y.into_dyn())
        .arg("input", code::tensor(&x))
        .arg("offset", code::tensor(&offset))
        .arg("weight", code::tensor(&w))
        .arg("bias", PyArg::None)
        .arg("stride", code::pair(args.stride))
        .arg("padding", code::pair(args.padding))
        .arg("dilation", code::pair(args.dilation))
        .arg("mask", mask.as_ref().map_or(PyArg::None, code::tensor));
    let max_offset = offset.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!("deform-formula", mask = if g.has_mask { "mₖ · " } else { "" }),
            msg!("deform-formula-offset", shape = format!("[1, {}, {}, {}]", 2 * k[0] * k[1], out[0], out[1])),
        ],
        facts: {
            let work = Work::all(&trace);
            vec![
                msg!(
                    "deform-fact-weights",
                    weights = Weights::lane(&trace, 0).total(),
                    kernel = format!("{}×{}", k[0], k[1]),
                    offsets = offset.len(),
                    largest = fmt_num(max_offset)
                ),
                msg!("deform-fact-work", products = work.products, samples = work.samples),
            ]
        },
        editable: Editable::operands(ids),
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

const TENSOR4: Kind = Kind::Tensor { min_dims: 4, max_dims: 4 };

static EVALS: &[EvalOp] = &[EvalOp {
    name: "deform_conv2d",
    signature: &[
        sig::INPUT4,
        ArgSpec::new("offset", TENSOR4, Default::Required),
        sig::WEIGHT,
        sig::BIAS,
        sig::strict_pair("stride", 1, 1),
        sig::strict_pair("padding", 0, 0),
        sig::strict_pair("dilation", 1, 1),
        ArgSpec::new("mask", TENSOR4, Default::None),
    ],
    reference: "torchvision.ops.deform_conv2d",
    answer: eval_deform_conv2d,
}];

fn eval_deform_conv2d(args: &Args) -> Result<Answer, String> {
    let x = args.tensor("input")?.into_array4();
    let w = args.tensor("weight")?.into_array4();
    let offset = args.tensor("offset")?.into_array4();
    let mask = args.opt_tensor("mask")?.map(ArgTensor::into_array4);
    let b = args.opt_tensor("bias")?.map(ArgTensor::into_array1);
    // torchvision infers the groups from the channel counts.
    let groups = (x.shape()[1] / w.shape()[1]).max(1);
    let conv_args = ConvArgs::new(args.pair("stride")?, args.pair("padding")?, args.pair("dilation")?, groups);
    let conv =
        Conv2dGeometry::new(shape4(&x), shape4(&w), b.as_ref().map(|b| b.len()), conv_args).map_err(|e| e.message)?;
    let g = DeformGeometry::new(conv, shape4(&offset), mask.as_ref().map(shape4)).map_err(|e| e.message)?;
    check_cost(
        product(&conv.output),
        product(&conv.output).saturating_mul(product(&conv.weight[1..])).saturating_mul(4),
    )?;
    Ok(Answer::tensor4(
        deform_conv2d(DeformInputs { x: &x, offset: &offset, mask: mask.as_ref(), w: &w, b: b.as_ref() }, &g),
        false,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_follows_torchvision_at_the_border() {
        let plane = |_: usize, _: usize| 1.0;
        // Half a cell above the map: half the weight reads zero.
        assert_eq!(sample(plane, [3, 3], [-0.5, 1.0]).0, 0.5);
        // A full cell outside reads zero entirely.
        assert_eq!(sample(plane, [3, 3], [-1.0, 1.0]).0, 0.0);
        assert_eq!(sample(plane, [3, 3], [1.25, 0.5]).0, 1.0);
        // Huge or undefined positions read zero without touching any index.
        assert_eq!(sample(plane, [3, 3], [1e30, 0.0]), (0.0, None));
        assert_eq!(sample(plane, [3, 3], [f32::NAN, 0.0]).0, 0.0);
    }

    #[test]
    fn each_step_has_one_handle_per_offset_pair_of_its_cell() {
        use crate::ops::conv2d::ConvArgs;
        // Four input channels: with one offset group all four share each tap's offset pair;
        // with two, channels 0–1 and 2–3 have their own.
        for (offset_groups, expected) in [(1, 9), (2, 18)] {
            let x = Array4::from_shape_fn([1, 4, 5, 5], |(_, c, r, q)| (c + r * q) as f32);
            let w = Array4::from_elem([2, 4, 3, 3], 0.5f32);
            let offset = Array4::from_shape_fn([1, 2 * 9 * offset_groups, 3, 3], |(_, c, r, q)| {
                0.1 * (c as f32) - 0.2 * (r as f32) + 0.3 * q as f32
            });
            let conv = Conv2dGeometry::new([1, 4, 5, 5], [2, 4, 3, 3], None, ConvArgs::square(1, 0, 1, 1)).unwrap();
            let g = DeformGeometry::new(conv, [1, 2 * 9 * offset_groups, 3, 3], None).unwrap();
            let mut t = Trace::default();
            let inputs = DeformInputs { x: &x, offset: &offset, mask: None, w: &w, b: None };
            deform_conv2d_traced(inputs, &g, &mut t, false);
            for step in 1..=t.steps.len() {
                let mut entries: Vec<_> = t
                    .handles
                    .iter()
                    .filter(|h| h.step == Some(step))
                    .map(|h| match &h.setter {
                        Setter::Offsets(drag) => drag.entries,
                        other => panic!("not an offset handle: {other:?}"),
                    })
                    .collect();
                assert_eq!(entries.len(), expected, "step {step}, {offset_groups} offset groups");
                let cell = t.steps[step - 1].writes[0].target.index;
                assert!(entries.iter().flatten().all(|e| [e[0], e[2], e[3]] == [cell[0], cell[2], cell[3]]));
                entries.sort();
                entries.dedup();
                assert_eq!(entries.len(), expected, "every pair once");
            }
        }
    }

    #[test]
    fn offset_presets_are_zero_at_zero_strength() {
        for (preset, _) in OFFSET_PRESETS {
            let f = offset_field(preset, 0.0, [3, 3], [1, 1], [4, 4], [6, 6], 1);
            assert!(f.iter().all(|v| *v == 0.0), "{preset}");
        }
    }
}
