//! Every operator's trace, replayed, gives its output bit for bit, and every tap reads what
//! its source cell holds; run over random settings drawn from each operator's own schema.

use convscope::analysis::{Layer, stack};
use convscope::counts::Work;
use convscope::ops::{self, Edits, Operator};
use convscope::params::{ParamKind, Params};
use convscope::trace::{CellIndex, CellRef, Source, Trace};
use proptest::prelude::*;

/// Checks the replay invariants of one trace.
pub fn check_trace(trace: &Trace) {
    let replay = trace.replay(trace.steps.len());
    for (id, grid) in trace.grids.iter().enumerate() {
        if grid.written {
            let got: Vec<u32> = replay.values[id].iter().map(|v| v.to_bits()).collect();
            let want: Vec<u32> = grid.values.iter().map(|v| v.to_bits()).collect();
            assert_eq!(got, want, "replay of grid {} ({}) differs from the output", id, grid.caption);
            assert!(replay.touched[id].iter().all(|&t| t), "grid {} has cells no step writes", grid.caption);
        }
    }
    // A replay moved forwards and backwards step by step (as playback, scrubbing and the
    // frame cache move it) equals a fresh replay of the same number of steps.
    let n = trace.steps.len();
    let mut moved = trace.replay(0);
    for to in [n / 2, n / 2 + 1, n, n.saturating_sub(1), 1, n + 3, 0, n / 3] {
        trace.replay_to(&mut moved, to);
        let fresh = trace.replay(to);
        let bits = |values: &Vec<Vec<f32>>| values.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&moved.values), bits(&fresh.values), "replay moved to step {to} differs");
        assert_eq!((&moved.writes, &moved.touched, moved.steps), (&fresh.writes, &fresh.touched, fresh.steps));
    }
    // The cell index answers what a scan of the trace answers, for cells spread over every
    // grid.
    let index = CellIndex::new(trace);
    for (id, grid) in trace.grids.iter().enumerate() {
        for offset in (0..grid.len()).step_by(grid.len().div_ceil(48).max(1)) {
            let cell = CellRef { grid: id, index: grid.unravel(offset) };
            assert_eq!(index.sources(trace, cell), trace.sources(cell), "sources of {cell:?}");
            assert_eq!(index.uses(trace, cell), trace.uses(cell), "uses of {cell:?}");
        }
    }
    // Stages follow each other: a stage's steps are one run (Trace::stage_steps finds it by
    // binary search).
    assert!(trace.steps.is_sorted_by_key(|step| step.stage), "steps of stages interleave");
    for stage in 0..trace.stages.len() {
        assert_eq!(Work::stage(trace, stage), Work::of(trace, |s, _| s == stage), "work of stage {stage}");
    }
    for step in &trace.steps {
        assert!(step.stage < trace.stages.len());
        for write in &step.writes {
            for tap in &write.taps {
                match &tap.source {
                    Source::Cell(cell) => {
                        let held = trace.grids[cell.grid].value(cell.index);
                        assert_eq!(
                            tap.value, held,
                            "tap of {:?} reads {} but the cell holds {held}",
                            write.target, tap.value
                        );
                    }
                    Source::Sample { grid, position, corners, mask, .. } => {
                        check_sample(trace, *grid, *position, corners, *mask, tap.value);
                    }
                }
                // The product is `value × weight_value` by definition (`Tap::product`); what can
                // go wrong is the coefficient: a weight cell's value, or 1 for a weightless read.
                match tap.weight {
                    Some(w) => assert_eq!(trace.grids[w.grid].value(w.index), tap.weight_value),
                    None => assert_eq!(tap.weight_value, 1.0),
                }
            }
        }
    }
}

/// A sample's corners lie in its grid around its position, and `mask · Σ weight · corner`
/// reproduces the sampled value (to rounding: the operators sum in their own order, e.g. a
/// bicubic kernel row by row, a RoI sample with border corners merged).
fn check_sample(
    trace: &Trace,
    grid: usize,
    position: [f32; 2],
    corners: &[(CellRef, f32)],
    mask: Option<f32>,
    value: f32,
) {
    let (mut sum, mut scale) = (0.0f64, 0.0f64);
    for &(cell, weight) in corners {
        assert_eq!(cell.grid, grid, "a corner of a sample on grid {grid} lies on grid {}", cell.grid);
        let held = f64::from(trace.grids[grid].value(cell.index));
        // Bilinear corners are the four cells around the point; bicubic reaches two further.
        for (axis, &p) in position.iter().enumerate() {
            let at = cell.index[2 + axis] as f32;
            assert!((at - p).abs() < 2.0 + 1e-3 || p < 0.0, "corner {cell:?} is far from the sample at {position:?}");
        }
        sum += f64::from(weight) * held;
        scale += (f64::from(weight) * held).abs();
    }
    let m = f64::from(mask.unwrap_or(1.0));
    let want = m * sum;
    let tolerance = 1e-5 * (m.abs() * scale).max(1.0);
    assert!(
        (f64::from(value) - want).abs() <= tolerance,
        "the sample at {position:?} reads {value}, but mask × Σ weight·corner = {want}"
    );
}

/// A strategy over an operator's settings, with sizes kept small so the suite stays fast.
pub fn settings(op: &'static Operator) -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let parts: Vec<BoxedStrategy<(&'static str, String)>> = op
        .schema
        .iter()
        .map(|spec| match spec.kind {
            ParamKind::Int { min, max, .. } => {
                let max = match spec.name {
                    "height" | "width" => max.min(7),
                    "in_channels" | "out_channels" | "groups" => max.min(3),
                    "kernel_size" => max.min(4),
                    "padding" | "output_padding" => max.min(3),
                    "dilation" | "stride" => max.min(3),
                    _ => max,
                };
                (min..=max).prop_map(move |v| (spec.name, v.to_string())).boxed()
            }
            ParamKind::Pair { min, max, words, .. } => {
                let max = match spec.name {
                    "kernel_size" => max.min(4),
                    _ => max.min(3),
                };
                let words: Vec<&'static str> = words.to_vec();
                let numbers = (min..=max, min..=max, 0..4u8)
                    .prop_map(|(a, b, same)| if same == 0 { format!("{a},{b}") } else { a.to_string() });
                if words.is_empty() {
                    numbers.prop_map(move |v| (spec.name, v)).boxed()
                } else {
                    prop_oneof![3 => numbers, 1 => proptest::sample::select(words).prop_map(|w| w.to_string())]
                        .prop_map(move |v| (spec.name, v))
                        .boxed()
                }
            }
            ParamKind::Choice { options, .. } => {
                proptest::sample::select(options.to_vec()).prop_map(move |(v, _)| (spec.name, v.to_string())).boxed()
            }
            ParamKind::Layers { .. } => {
                proptest::collection::vec((any::<bool>(), 1usize..=4, 1usize..=2, 0usize..=2, 1usize..=3), 1..=4)
                    .prop_map(move |rows| {
                        let layers: Vec<Layer> = rows
                            .into_iter()
                            .map(
                                |(pool, k, s, p, d)| {
                                    if pool { Layer::pool(k, s, p.min(k / 2)) } else { Layer::conv(k, s, p, d) }
                                },
                            )
                            .collect();
                        (spec.name, stack::format(&layers))
                    })
                    .boxed()
            }
        })
        .collect();
    parts
}

/// Any operator with settings drawn from its schema: the operator and its parameters.
pub fn any_setting() -> impl Strategy<Value = (&'static Operator, Params)> {
    (0..ops::OPERATORS.len()).prop_flat_map(|i| {
        let op = ops::OPERATORS[i];
        settings(op).prop_map(move |values| {
            let mut params = Params::defaults(op.schema);
            for (name, value) in &values {
                params.set(name, value).unwrap();
            }
            (op, params)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_operator_replays_exactly((op, params) in any_setting()) {
        match op.run(&params, &Edits::new()) {
            Ok(run) => check_trace(&run.trace),
            // A refused setting names the control to change and says why in words.
            Err(err) => {
                let control = err.param.as_deref().map(|p| p.split('.').next().unwrap_or(p));
                prop_assert!(control.is_some_and(|c| op.schema.iter().any(|s| s.name == c)), "{}: {err:?}", op.name);
                prop_assert!(err.message.en().split(' ').count() >= 5, "{err:?}");
                prop_assert!(!["Some(", "None", "{", "[,", "NaN", "inf"].iter().any(|t| err.message.en().contains(t)), "{err:?}");
            }
        }
    }
}

#[test]
fn defaults_of_every_operator_replay_exactly() {
    for op in ops::OPERATORS {
        let run = op.run(&Params::defaults(op.schema), &Edits::new()).unwrap();
        assert!(!run.trace.steps.is_empty(), "{}", op.name);
        check_trace(&run.trace);
    }
}
