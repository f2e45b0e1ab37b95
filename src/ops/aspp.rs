//! `aspp`: the footprints of DeepLab's atrous spatial pyramid pooling branches — parallel k×k
//! convolutions at several rates — on one feature map, for one output pixel: which taps land on
//! the map and which on padding. At rates near the map size a 3×3 branch sees only its centre
//! tap and degenerates to a 1×1 conv; the chart shows that fraction against the rate.

use ndarray::Array4;

use super::conv2d::{padded_input_grid, symmetric};
use super::{Edits, Operator, Run};
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{CellRef, Chart, Grid, Role, Series, Source, Step, Tap, Trace, Write, fmt_num};

const PRESETS: &[(&str, &str)] = &[
    ("aspp_l", "ASPP-L: rates 6, 12, 18, 24"),
    ("aspp_s", "ASPP-S: rates 2, 4, 8, 12"),
    ("largefov", "DeepLab-LargeFOV: rate 12"),
    ("custom", "custom rates"),
];

const fn rate(name: &'static str, label: &'static str, default: i64) -> ParamSpec {
    ParamSpec::int(name, label, 0, 64, default, "Dilation rate of a branch; 0 leaves the branch out.")
}

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice(
        "preset",
        "Preset",
        PRESETS,
        "aspp_l",
        "DeepLab v2's branch rates; moving a rate switches to custom.",
    ),
    rate("rate1", "Rate 1", 6),
    rate("rate2", "Rate 2", 12),
    rate("rate3", "Rate 3", 18),
    rate("rate4", "Rate 4", 24),
    ParamSpec::int(
        "map_size",
        "Feature map size",
        1,
        97,
        41,
        "Side of the feature map (41 for a 321×321 image at output stride 8).",
    ),
    ParamSpec::int("kernel_size", "Kernel size", 1, 5, 3, "k of every branch."),
    ParamSpec::int("out_row", "Output row", -1, 96, -1, "Row of the pixel whose footprints are drawn; −1 = centre."),
    ParamSpec::int("out_col", "Output column", -1, 96, -1, "Column of the pixel; −1 = centre."),
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
    title: "ASPP footprints (DeepLab v2)",
    summary: "Parallel k×k branches at growing rates on one feature map: the larger the rate, the more taps fall on padding.",
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

fn run_aspp(params: &Params, _edits: &Edits) -> Result<Run, ParamError> {
    let rates: Vec<usize> = (1..=4).map(|i| params.usize(&format!("rate{i}"))).filter(|&r| r > 0).collect();
    if rates.is_empty() {
        return Err(ParamError::new("rate1", "give at least one branch a rate above 0"));
    }
    let (m, k) = (params.usize("map_size"), params.usize("kernel_size"));
    let pick = |name: &str| -> Result<usize, ParamError> {
        match params.int(name) {
            -1 => Ok(m / 2),
            v if (v as usize) < m => Ok(v as usize),
            v => Err(ParamError::new(name, format!("the map is {m}×{m}, so position {v} is outside it"))),
        }
    };
    let (row, col) = (pick("out_row")?, pick("out_col")?);
    let reach = (k / 2) * rates.iter().max().copied().unwrap_or(1);
    let mut trace = Trace::default();
    let ones = Array4::<f32>::ones((1, 1, m, m));
    let caption = format!("feature map {m}×{m}, padded by {reach}");
    let map = trace.add_grid(padded_input_grid(&ones, symmetric([reach, reach]), "f", &caption));
    let out = trace.add_grid(Grid::new("v", "valid taps per branch", Role::Output, [1, rates.len(), 1, 1]));
    let mut facts = Vec::new();
    for (b, &r) in rates.iter().enumerate() {
        let explain =
            format!("The {k}×{k} kernel at rate {r}: its taps are {r} cells apart; taps outside the map read padding.");
        let stage = trace.add_stage(&format!("branch at rate {r}"), &explain);
        // The padded map's cell of tap (i, j) at offset (i − k/2)·r from the chosen pixel.
        let at = |centre: usize, i: usize| (centre + reach + i * r) - (k / 2) * r;
        let taps = (0..k * k)
            .map(|t| {
                let index = [0, 0, at(row, t / k), at(col, t % k)];
                Tap::copy(Source::Cell(CellRef { grid: map, index }), trace.grids[map].value(index))
            })
            .collect();
        let write = Write::set(CellRef { grid: out, index: [0, b, 0, 0] }, taps, None);
        trace.grids[out].values[b] = write.value;
        let valid = write.value;
        trace.steps.push(Step { stage, writes: vec![write], focus: Vec::new() });
        let mean = valid_fraction_1d(m, k, r).powi(2);
        facts.push(format!(
            "rate {r}: {} of {} taps on the map at ({row}, {col}); {:.0}% valid over the whole map{}",
            fmt_num(valid),
            k * k,
            100.0 * mean,
            if r >= m { " — only the centre tap ever sees the map: a 1×1 conv" } else { "" }
        ));
    }
    trace.charts.push(valid_taps_chart(m, k, &rates));
    Ok(Run {
        formula: vec![
            format!(
                "a {k}×{k} branch at rate r spans r·({k} − 1) + 1 cells: {}",
                rates.iter().map(|r| format!("{}", r * (k - 1) + 1)).collect::<Vec<_>>().join(", ")
            ),
            "the branches' outputs are summed (DeepLab v2) or concatenated (v3)".into(),
        ],
        facts,
        editable: Vec::new(),
        pick: None,
        trace,
    })
}

/// The share of valid taps against the rate, with the centre tap's share for reference.
fn valid_taps_chart(m: usize, k: usize, rates: &[usize]) -> Chart {
    let max_rate = (2 * m).max(*rates.iter().max().unwrap_or(&1) + 4);
    Chart {
        title: format!("share of a {k}×{k} kernel's taps on a {m}×{m} map, by rate"),
        x_label: "rate".into(),
        y_label: "valid taps".into(),
        series: vec![
            Series {
                name: "mean over the map".into(),
                points: (1..=max_rate).map(|r| (r as f32, valid_fraction_1d(m, k, r).powi(2) as f32)).collect(),
            },
            Series {
                name: "centre tap only (1/k²)".into(),
                points: vec![(1.0, 1.0 / (k * k) as f32), (max_rate as f32, 1.0 / (k * k) as f32)],
            },
        ],
        lane: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_fraction_falls_to_the_centre_tap() {
        assert_eq!(valid_fraction_1d(41, 3, 1), (41.0 * 3.0 - 2.0) / (41.0 * 3.0));
        // At a rate as large as the map only the centre tap is ever inside.
        assert_eq!(valid_fraction_1d(41, 3, 41), 1.0 / 3.0);
        assert_eq!(valid_fraction_1d(1, 1, 7), 1.0);
    }
}
