//! `bilinear_additive_upsample` (Wojna et al. 2017, "The Devil is in the Decoder"): bilinear
//! upsampling by `scale_factor` (align_corners=False) on every channel, then the sum of every
//! `channel_group` consecutive channels, so C channels become C / N with no weights at all.

use super::Traced;
use ndarray::Array4;

use super::conv2d::shape4;
use super::interpolate::{InterpolateGeometry, Mode, interpolate, interpolate_traced};
use super::code::{self, Call, Program, PyArg};
use super::{Editable, Edits, Operator, Run, check_taps, controls, input_tensor, sig};
use crate::args::{Answer, ArgSpec, Default, EvalOp, Kind, MAX_INT_ARG, check_cost, product};
use crate::counts::Work;
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Combine, Grid, Operands, Role, Source, Tap, Trace};

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::int("scale_factor", "resample-scale-factor", 1, 4, 2, "resample-additive-scale-help"),
    ParamSpec::int("channel_group", "resample-channel-group", 1, 8, 4, "resample-channel-group.help"),
    ParamSpec::int("channels", "resample-channels", 1, 16, 4, "resample-additive-channels-help"),
    controls::height(3),
    controls::width(3),
    controls::INPUT_VALUES,
    controls::SEED,
];

/// Checks the group size and builds the bilinear geometry.
pub fn geometry(input: [usize; 4], scale: f64, group: usize) -> Result<(InterpolateGeometry, usize), ParamError> {
    geometry_pair(input, [scale; 2], group)
}

/// [`geometry`] with a scale per axis.
pub fn geometry_pair(
    input: [usize; 4],
    scale: [f64; 2],
    group: usize,
) -> Result<(InterpolateGeometry, usize), ParamError> {
    if group == 0 {
        return Err(ParamError::new("channel_group", msg!("resample-factor-at-least-one", factor = "channel_group")));
    }
    if !input[1].is_multiple_of(group) {
        return Err(ParamError::new(
            "channels",
            msg!("resample-channels-indivisible-group", c = input[1].to_string(), group = group.to_string()),
        ));
    }
    let g = InterpolateGeometry::new(input, Mode::Bilinear, None, Some(scale), false, false)?;
    Ok((g, group))
}

/// Upsamples, then sums every `group` consecutive channels.
pub fn bilinear_additive(x: &Array4<f32>, g: &InterpolateGeometry, group: usize) -> Array4<f32> {
    let up = interpolate(x, g);
    let [n, c, h, w] = g.output;
    Array4::from_shape_fn([n, c / group, h, w], |(i, k, r, q)| {
        (k * group..(k + 1) * group).fold(0.0f32, |acc, j| acc + up[[i, j, r, q]])
    })
}

/// [`bilinear_additive`] with a trace: an upsampling stage (one step per upsampled cell) and
/// a summing stage (one step per output cell).
pub fn bilinear_additive_traced(x: &Array4<f32>, g: &InterpolateGeometry, group: usize, t: &mut Trace) -> Traced {
    let [n, c, h, w] = g.output;
    let input = t.add_grid(Grid::from_array("x", msg!("grid-input", sym = "x"), Role::Input, x));
    let up_id = t.add_grid(Grid::new("u", msg!("resample-additive-upsampled"), Role::Intermediate, g.output));
    let output = t.add_grid(Grid::new("y", msg!("grid-output", sym = "y"), Role::Output, [n, c / group, h, w]));
    // Both stages' steps at once: growing a few hundred thousand steps by doubling would copy them.
    t.steps.reserve(g.output.iter().product::<usize>() + n * (c / group) * h * w);
    let stage = t.add_stage(msg!("resample-stage-upsampling"), msg!("resample-stage-upsampling.explain"));
    let up = interpolate_traced(x, g, t, [input, up_id], stage);
    let stage = t.add_stage(msg!("resample-stage-channel-sums"), msg!("resample-stage-channel-sums.explain"));
    let mut y = Array4::<f32>::zeros([n, c / group, h, w]);
    for ((i, k, r, q), cell) in y.indexed_iter_mut() {
        let taps: crate::trace::Taps = (k * group..(k + 1) * group)
            .map(|j| Tap::copy(Source::Cell(CellRef { grid: up_id, index: [i, j, r, q] }), up[[i, j, r, q]]))
            .collect();
        *cell = t.push_write(stage, CellRef { grid: output, index: [i, k, r, q] }, Combine::Set, taps, None, 0.0);
    }
    t.grids[output].values = y.iter().copied().collect();
    (y, Operands { input, weight: None, bias: None, output })
}

pub static BILINEAR_ADDITIVE: Operator = Operator {
    name: "bilinear_additive_upsample",
    title: "resample-bilinear-additive",
    summary: "resample-bilinear-additive.summary",
    schema: SCHEMA,
    evals: EVALS,
    expand: super::keep,
    run: run_bilinear_additive,
};

fn run_bilinear_additive(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let input_shape = super::input_shape(params, "channels");
    let scale = params.int("scale_factor") as f64;
    let (g, group) = geometry(input_shape, scale, params.usize("channel_group"))?;
    // One sample per upsampled cell, then one summand per upsampled cell: bounded like every
    // operator's animation before anything is allocated.
    check_taps(2 * g.output.iter().product::<usize>())?;
    let x = input_tensor(params, "channels", edits);
    let mut trace = Trace::default();
    let (y, ids) = bilinear_additive_traced(&x, &g, group, &mut trace);
    let pytorch = Call::new("bilinear_additive_upsample", "bilinear_additive_upsample", y.into_dyn())
        .helper(code::BILINEAR_ADDITIVE)
        .arg("input", code::tensor(&x))
        .arg("scale_factor", PyArg::Float(scale))
        .arg("channel_group", PyArg::Int(group as i64));
    let [_, c, h, w] = input_shape;
    let (oh, ow) = (g.output[2], g.output[3]);
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![msg!(
            "resample-additive-formula",
            input = format!("[1, {c}, {h}, {w}]"),
            scale = format!("{scale}"),
            upsampled = format!("[1, {c}, {oh}, {ow}]"),
            group = group,
            grouped = format!("[1, {c} / {group}, {oh}, {ow}] = [1, {}, {oh}, {ow}]", c / group)
        )],
        facts: {
            // The sums of stage 1: each write adds its taps, one addition fewer than taps.
            let sums = Work::stage(&trace, 1);
            let k = 2 * params.usize("scale_factor");
            vec![
                msg!("resample-additive-weights"),
                msg!(
                    "resample-additive-additions",
                    n = sums.reads - sums.writes,
                    c_in = c,
                    c_out = c / group,
                    k = k,
                    weights = c * (c / group) * k * k
                ),
            ]
        },
        editable: Editable::input(ids.input),
        pick: None,
        pytorch: Some(Program::single(pytorch)),
        trace,
    })
}

static EVALS: &[EvalOp] = &[EvalOp {
    name: "bilinear_additive_upsample",
    signature: &[
        sig::INPUT4,
        ArgSpec::new("scale_factor", Kind::FloatOrList { min: 0.0, max: 1.0e6 }, Default::Required),
        ArgSpec::new("channel_group", Kind::Int { min: 1, max: MAX_INT_ARG }, Default::Required),
    ],
    reference: "F.interpolate(input, scale_factor, mode=\"bilinear\", align_corners=False), then sums of channel_group consecutive channels",
    answer: |args| {
        let x = args.tensor("input")?.into_array4();
        let scale = args.opt_float_list("scale_factor", 2)?.expect("a required argument");
        let (g, group) =
            geometry_pair(shape4(&x), [scale[0], scale[1]], args.usize("channel_group")?).map_err(|e| e.message)?;
        check_cost(product(&g.output), product(&g.output).saturating_mul(4 + group as u128))?;
        Ok(Answer::tensor4(bilinear_additive(&x, &g, group), false))
    },
}];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_of_one_is_plain_bilinear() {
        let x = Array4::from_shape_vec((1, 2, 2, 2), (0..8).map(|v| v as f32).collect()).unwrap();
        let (g, group) = geometry([1, 2, 2, 2], 2.0, 1).unwrap();
        assert_eq!(bilinear_additive(&x, &g, group), interpolate(&x, &g));
    }

    #[test]
    fn the_cap_counts_the_taps_the_trace_holds() {
        let op = crate::ops::find("bilinear_additive_upsample").unwrap();
        let mut params = Params::defaults(op.schema);
        for (name, value) in [("scale_factor", "3"), ("channels", "4"), ("channel_group", "2"), ("height", "7")] {
            params.set(name, value).unwrap();
        }
        let run = op.run(&params, &Edits::new()).unwrap();
        let [_, c, h, w] = crate::ops::input_shape(&params, "channels");
        assert_eq!(run.trace.n_taps(), 2 * c * h * 3 * w * 3);
        // The largest setting the sliders reach takes 2,097,152 and is refused before it is built.
        for (name, value) in [("scale_factor", "4"), ("channels", "16"), ("channel_group", "1"), ("height", "64"), ("width", "64")] {
            params.set(name, value).unwrap();
        }
        let err = op.run(&params, &Edits::new()).err().expect("over the cap");
        assert!(err.message.en().contains("2,097,152"), "{}", err.message.en());
    }

    #[test]
    fn channels_must_divide_into_groups() {
        let err = geometry([1, 6, 2, 2], 2.0, 4).unwrap_err();
        assert_eq!(err.message.en(), "the input's 6 channels must be divisible by channel_group 4");
        assert!(geometry([1, 4, 2, 2], 0.0, 4).is_err());
    }
}
