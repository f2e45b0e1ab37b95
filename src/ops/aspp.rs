//! `aspp`: DeepLab v2's atrous spatial pyramid pooling — parallel k×k convolutions at several
//! rates on one feature map, their score maps summed. Each step computes one output pixel:
//! every branch reads the one padded map at its own rate (their footprints overlaid), writes
//! its own score map, and the fused map adds them in branch order, as DeepLab v2's
//! `out = branch₀(x); out += branchᵢ(x)`. At rates near the map size a 3×3 branch sees only its
//! centre tap and degenerates to a 1×1 conv; the chart shows the share of valid taps against
//! the rate, with the branches' rates marked by their numbers.

use ndarray::{Array4, ArrayD, IxDyn};

use super::code::{self, Call, Program, PyArg};
use super::conv2d::{kernel_taps, padded_input_grid, symmetric};
use super::{Editable, Edits, Operator, Pick, Run, check_taps, controls, preset_tensor, Tensor};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{
    CellKind, CellRef, Chart, Grid, ParamMap, Role, Series, Source, Step, Tap, Trace, Write, fmt_num,
};

const PRESETS: &[(&str, &str)] = &[
    ("aspp_s", "aspp-preset-s"),
    ("aspp_l", "aspp-preset-l"),
    ("largefov", "aspp-preset-largefov"),
    ("custom", "aspp-preset-custom"),
];

const fn rate(name: &'static str, label: &'static str, default: i64) -> ParamSpec {
    ParamSpec::int(name, label, 0, 64, default, "aspp-rate-help")
}

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice("preset", "aspp-preset", PRESETS, "aspp_s", "aspp-preset-help"),
    rate("rate1", "aspp-rate-1", 2),
    rate("rate2", "aspp-rate-2", 4),
    rate("rate3", "aspp-rate-3", 8),
    rate("rate4", "aspp-rate-4", 12),
    ParamSpec::int("map_size", "aspp-map-size", 1, 65, 9, "aspp-map-size-help"),
    ParamSpec::int("kernel_size", "aspp-kernel-size", 1, 5, 3, "aspp-kernel-size-help"),
    ParamSpec::int("out_row", "aspp-out-row", -1, 64, -1, "aspp-out-row-help"),
    ParamSpec::int("out_col", "aspp-out-col", -1, 64, -1, "aspp-out-col-help"),
    controls::INPUT_VALUES,
    controls::WEIGHT_VALUES,
    controls::SEED,
];

fn preset_rates(name: &str) -> Option<[i64; 4]> {
    match name {
        "aspp_l" => Some([6, 12, 18, 24]),
        "aspp_s" => Some([2, 4, 8, 12]),
        "largefov" => Some([12, 0, 0, 0]),
        _ => None,
    }
}

/// Mean fraction, over all positions of an n-cell axis, of a k-tap kernel at rate r whose taps
/// land inside the axis; the 2-D fraction is its square.
pub fn valid_fraction_1d(n: usize, k: usize, r: usize) -> f64 {
    let c = (k / 2) as isize;
    let inside: usize = (0..n as isize)
        .map(|x| (0..k as isize).filter(|i| (0..n as isize).contains(&(x + (i - c) * r as isize))).count())
        .sum();
    inside as f64 / (n * k) as f64
}

pub static ASPP: Operator = Operator {
    name: "aspp",
    title: "aspp-title",
    summary: "aspp-summary",
    schema: SCHEMA,
    evals: &[],
    expand: expand_aspp,
    run: run_aspp,
};

fn expand_aspp(params: &mut Params) {
    if let Some(rates) = preset_rates(params.choice("preset")) {
        for (i, r) in rates.iter().enumerate() {
            // Preset rates are inside the sliders' range.
            let _ = params.set(&format!("rate{}", i + 1), &r.to_string());
        }
    }
}

fn run_aspp(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let rates: Vec<usize> = (1..=4).map(|i| params.usize(&format!("rate{i}"))).filter(|&r| r > 0).collect();
    if rates.is_empty() {
        return Err(ParamError::new("rate1", msg!("aspp-error-no-branch")));
    }
    let (m, k) = (params.usize("map_size"), params.usize("kernel_size"));
    if k % 2 == 0 {
        return Err(ParamError::new("kernel_size", msg!("aspp-error-even-kernel", k = k)));
    }
    let pick = |name: &str| -> Result<usize, ParamError> {
        match params.int(name) {
            -1 => Ok(m / 2),
            v if (v as usize) < m => Ok(v as usize),
            v => Err(ParamError::new(name, msg!("aspp-error-outside", m = m, position = v))),
        }
    };
    let (row, col) = (pick("out_row")?, pick("out_col")?);
    check_taps(m * m * rates.len() * (k * k + 1))?;
    let half = k / 2;
    let reach = half * rates.iter().max().copied().unwrap_or(1);
    let seed = params.int("seed") as u64;
    let x = preset_tensor(params.choice("input_values"), [1, 1, m, m], seed, Tensor::Input, edits);
    let mut trace = Trace::default();
    let caption = msg!("aspp-caption-input", reach = reach);
    let map = trace.add_grid(padded_input_grid(&x, symmetric([reach, reach]), "x", caption));
    // One kernel per branch, its own weights (the seed moved per branch); not editable here.
    let kernels: Vec<Array4<f32>> = rates
        .iter()
        .enumerate()
        .map(|(b, _)| preset_tensor(params.choice("weight_values"), [1, 1, k, k], seed + 101 * (b as u64 + 1), Tensor::Weight, &Edits::new()))
        .collect();
    let w_ids: Vec<usize> = rates
        .iter()
        .zip(&kernels)
        .zip(tags(&rates))
        .map(|((r, w), t)| trace.add_grid(Grid::from_array(&format!("w{t}"), rate_caption(&format!("w{t}"), *r), Role::Weight, w)))
        .collect();
    let mut fused = Grid::new("y", &format!("y = {}", branch_names(&rates, " + ")), Role::Output, [1, 1, m, m]);
    fused.lane = 0;
    let y = trace.add_grid(fused);
    let tags = tags(&rates);
    let b_ids: Vec<usize> = rates
        .iter()
        .enumerate()
        .map(|(b, r)| {
            let t = &tags[b];
            let mut g = Grid::new(&format!("y{t}"), rate_caption(&format!("y{t}"), *r), Role::Intermediate, [1, 1, m, m]);
            g.lane = 1;
            trace.add_grid(g)
        })
        .collect();
    let explain = msg!("aspp-explain", k = k, half = half);
    let stage = trace.add_stage(msg!("aspp-stage"), explain);
    let mut valid_at = vec![0usize; rates.len()];
    for (oy, ox) in (0..m).flat_map(|oy| (0..m).map(move |ox| (oy, ox))) {
        let mut writes = Vec::with_capacity(rates.len() + 1);
        for (b, &r) in rates.iter().enumerate() {
            // Tap (i, j) reads the padded map at the pixel plus ((i, j) − k/2)·r.
            let taps: Vec<Tap> = kernel_taps([1, k, k])
                .map(|(_, i, j)| {
                    let index = [0, 0, oy + reach + i * r - half * r, ox + reach + j * r - half * r];
                    let weight = CellRef { grid: w_ids[b], index: [0, 0, i, j] };
                    let source = CellRef { grid: map, index };
                    Tap::weighted(weight, kernels[b][[0, 0, i, j]], Source::Cell(source), trace.grids[map].value(index))
                })
                .collect();
            if (oy, ox) == (row, col) {
                valid_at[b] = taps
                    .iter()
                    .filter(|t| matches!(t.source, Source::Cell(c) if trace.grids[map].kind(c.index) == CellKind::Value))
                    .count();
            }
            writes.push(Write::set(CellRef { grid: b_ids[b], index: [0, 0, oy, ox] }, taps, None));
        }
        let parts: Vec<Tap> = rates
            .iter()
            .enumerate()
            .map(|(b, _)| Tap::copy(Source::Cell(CellRef { grid: b_ids[b], index: [0, 0, oy, ox] }), writes[b].value))
            .collect();
        writes.push(Write::set(CellRef { grid: y, index: [0, 0, oy, ox] }, parts, None));
        for write in &writes {
            let grid = &mut trace.grids[write.target.grid];
            let off = grid.offset(write.target.index);
            grid.values[off] = write.value;
        }
        trace.steps.push(Step { stage, writes: writes.into(), focus: Vec::new() });
    }
    let mut facts: Vec<Msg> = rates
        .iter()
        .zip(&valid_at)
        .map(|(&r, &valid)| {
            let whole = valid_fraction_1d(m, k, r).powi(2);
            let degenerate = if m <= r { msg!("aspp-fact-degenerate") } else { Msg::default() };
            msg!(
                "aspp-fact-rate",
                rate = r,
                valid = valid,
                taps = k * k,
                row = row,
                col = col,
                percent = format!("{:.0}", 100.0 * whole),
                degenerate = degenerate
            )
        })
        .collect();
    facts.push(msg!(
        "aspp-fact-fused",
        row = row,
        col = col,
        sum = branch_names(&rates, " + "),
        value = fmt_num(trace.grids[y].value([0, 0, row, col]))
    ));
    trace.charts.push(valid_taps_chart(m, k, &rates));
    let pytorch = aspp_program(&x, &kernels, &rates, &trace, (&b_ids, y));
    let pick = Pick {
        grid: y,
        map: ParamMap { params: ["out_row", "out_col"], offset: [0.0, 0.0], scale: 1.0, limits: Some([0, m as i64 - 1]) },
    };
    Ok(Run {
        quantities: Vec::new(),
        formula: vec![
            msg!("aspp-formula-branches", half = half, rates = list(&rates)),
            msg!(
                "aspp-formula-span",
                k = k,
                spans = rates.iter().map(|r| format!("{}", r * (k - 1) + 1)).collect::<Vec<_>>().join(", ")
            ),
            msg!("aspp-formula-sum", sum = branch_names(&rates, " + ")),
        ],
        facts,
        editable: Editable::input(map),
        pick: Some(pick),
        pytorch: Some(pytorch),
        trace,
    })
}

/// The PyTorch program: one `F.conv2d` per branch (padding = dilation = rate·k/2 … rate),
/// then the branches added in order, as DeepLab v2's `out += branch(x)`.
fn aspp_program(x: &Array4<f32>, kernels: &[Array4<f32>], rates: &[usize], trace: &Trace, (branches, y): (&[usize], usize)) -> Program {
    let grid = |id: usize| ArrayD::from_shape_vec(IxDyn(&trace.grids[id].shape), trace.grids[id].values.clone()).expect("a grid's values fit its shape");
    let mut steps = vec![Call::python("torch.clone", None, x.clone().into_dyn()).arg("input", code::tensor(x)).into("x")];
    let half = kernels[0].shape()[2] / 2;
    for ((w, &r), &id) in kernels.iter().zip(rates).zip(branches) {
        steps.push(
            Call::new("conv2d", "F.conv2d", grid(id))
                .arg("input", PyArg::Var("x".into()))
                .arg("weight", code::tensor(w))
                .arg("bias", PyArg::None)
                .arg("stride", code::pair([1, 1]))
                .arg("padding", code::pair([r * half; 2]))
                .arg("dilation", code::pair([r, r]))
                .arg("groups", PyArg::Int(1))
                .into(&trace.grids[id].symbol),
        );
    }
    // ((y₁ + y₂) + y₃) + y₄, the running sum's values computed as the fused map does.
    let mut sum = steps[1].output.clone();
    let mut name = steps[1].out.clone();
    for i in 1..rates.len() {
        sum += &steps[i + 1].output;
        let out = if i + 1 == rates.len() { "y".to_string() } else { format!("sum{i}") };
        let other = steps[i + 1].out.clone();
        let add = Call::python("torch.add", None, sum.clone()).arg("input", PyArg::Var(name)).arg("other", PyArg::Var(other));
        steps.push(add.into(&out));
        name = out;
    }
    if rates.len() == 1 {
        steps.push(Call::python("torch.clone", None, grid(y)).arg("input", PyArg::Var(name)).into("y"));
    }
    Program { steps }
}

fn list(rates: &[usize]) -> String {
    rates.iter().map(|r| r.to_string()).collect::<Vec<_>>().join(", ")
}

/// Each branch's tag in symbols: its rate (`y6`), or with its place when two branches share a
/// rate (`y6b1`, `y6b2`), so every grid and variable has a name of its own.
fn tags(rates: &[usize]) -> Vec<String> {
    rates
        .iter()
        .enumerate()
        .map(|(b, r)| if rates.iter().filter(|q| *q == r).count() > 1 { format!("{r}b{}", b + 1) } else { r.to_string() })
        .collect()
}

/// A branch's caption: its symbol and rate.
fn rate_caption(symbol: &str, rate: usize) -> Msg {
    msg!("aspp-caption-rate", sym = symbol, rate = rate)
}

fn branch_names(rates: &[usize], sep: &str) -> String {
    tags(rates).iter().map(|t| format!("y{t}")).collect::<Vec<_>>().join(sep)
}

/// The share of valid taps against the rate, the branches' rates labelled with their shares,
/// and the centre tap's share for reference.
fn valid_taps_chart(m: usize, k: usize, rates: &[usize]) -> Chart {
    let max_rate = (2 * m).max(*rates.iter().max().unwrap_or(&1) + 4);
    let share = |r: usize| valid_fraction_1d(m, k, r).powi(2) as f32;
    let percent = |v: f32| format!("{:.0}%", 100.0 * v);
    Chart {
        title: msg!("aspp-chart-title", k = k, m = m),
        x_label: msg!("aspp-chart-x"),
        y_label: msg!("aspp-chart-y"),
        series: vec![
            Series::line(msg!("aspp-series-mean"), (1..=max_rate).map(|r| (r as f32, share(r))).collect()),
            Series {
                name: msg!("aspp-series-branches"),
                points: rates.iter().map(|&r| (r as f32, share(r))).collect(),
                labels: rates.iter().map(|&r| percent(share(r))).collect(),
            },
            Series::line(
                msg!("aspp-series-centre", percent = percent(1.0 / (k * k) as f32)),
                vec![(1.0, 1.0 / (k * k) as f32), (max_rate as f32, 1.0 / (k * k) as f32)],
            ),
        ],
        lane: 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::conv2d::{ConvArgs, Conv2dGeometry, conv2d};

    #[test]
    fn valid_fraction_falls_to_the_centre_tap() {
        assert_eq!(valid_fraction_1d(41, 3, 1), (41.0 * 3.0 - 2.0) / (41.0 * 3.0));
        // At a rate as large as the map only the centre tap is ever inside.
        assert_eq!(valid_fraction_1d(41, 3, 41), 1.0 / 3.0);
        assert_eq!(valid_fraction_1d(1, 1, 7), 1.0);
    }

    /// The fused map equals the branches computed by the (golden-tested) conv2d, one call per
    /// branch with padding = dilation = rate, summed in branch order, to the bit.
    #[test]
    fn fused_map_is_the_sum_of_conv2d_branches() {
        for query in [
            "",
            "preset=aspp_l&map_size=13&kernel_size=5&seed=3",
            "rate1=1&rate2=0&rate3=3&rate4=7&map_size=6&input_values=blob",
        ] {
            let pairs = query.split('&').filter_map(|p| p.split_once('='));
            let (mut params, problems) = Params::from_pairs(SCHEMA, pairs, &[]);
            assert!(problems.is_empty(), "{problems:?}");
            expand_aspp(&mut params);
            let run = run_aspp(&params, &Edits::new()).unwrap();
            let t = &run.trace;
            let x_grid = &t.grids[0];
            let m = params.usize("map_size");
            let reach = -x_grid.origin[0] as usize;
            let x = Array4::from_shape_fn((1, 1, m, m), |(_, _, r, c)| x_grid.value([0, 0, r + reach, c + reach]));
            let mut expected = Array4::<f32>::zeros((1, 1, m, m));
            for w_grid in t.grids.iter().filter(|g| g.role == Role::Weight) {
                let r: usize = w_grid.symbol[1..].parse().unwrap();
                let k = w_grid.shape[2];
                let w = Array4::from_shape_vec((1, 1, k, k), w_grid.values.clone()).unwrap();
                let p = r * (k / 2);
                let g = Conv2dGeometry::new([1, 1, m, m], [1, 1, k, k], None, ConvArgs::new([1, 1], [p, p], [r, r], 1))
                    .unwrap();
                expected = expected + conv2d(&x, &w, None, &g);
            }
            let y = t.grids.iter().find(|g| g.symbol == "y").unwrap();
            assert_eq!(y.values, expected.iter().copied().collect::<Vec<_>>(), "{query}");
            let replay = t.replay(t.steps.len());
            let y_id = t.grids.iter().position(|g| g.symbol == "y").unwrap();
            assert_eq!(replay.values[y_id], y.values);
        }
    }
}
