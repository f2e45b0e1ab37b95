//! `receptive_field`: a layer stack's receptive field, layer by layer (size, effective stride,
//! effective padding, centre, feature-map size), its gridding map — how many paths reach each
//! input pixel from one output pixel, with holes marked — and the HDC check of its dilation
//! schedule. Answers `convscope eval` for `receptive_field` and `path_counts`.

use serde_json::json;

use super::code::{self, Call, Program, PyArg};
use super::{Measure, Quantity, Edits, Operator, Pick, Run};
use crate::analysis::{self, Layer, hdc, stack};
use crate::args::{Answer, ArgSpec, Args, Default, EvalOp, Kind, MAX_INT_ARG, Signature, check_cost, product};
use crate::msg;
use crate::params::{ParamError, ParamKind, ParamSpec, Params};
use crate::text::Msg;
use crate::trace::{
    CellKind, CellRef, Chart, Constant, Grid, GridId, ParamMap, Role, Series, Step, Trace, Write, fmt_num,
};

/// Largest side of the drawn map; larger fields are shown in blocks of f×f pixels.
const MAX_MAP: usize = 96;

const PRESETS: &[(&str, &str)] = &[
    ("custom", "receptive-preset-custom"),
    ("hdc_125", "receptive-preset-hdc-125"),
    ("hdc_123", "receptive-preset-hdc-123"),
    ("grid_222", "receptive-preset-grid-222"),
    ("grid_248", "receptive-preset-grid-248"),
    ("vgg16_fcn", "receptive-preset-vgg16-fcn"),
    ("deeplab_largefov", "receptive-preset-deeplab-largefov"),
    ("resnet101_aspp_l", "receptive-preset-resnet101-aspp-l"),
];

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice("preset", "receptive-preset", PRESETS, "hdc_125", "receptive-preset.help"),
    ParamSpec {
        name: "layers",
        label: "receptive-layers",
        help: "receptive-layers.help",
        kind: ParamKind::Layers {
            default: "c3p1,c3p2d2,c3p5d5",
            fields: analysis::LAYER_FIELDS,
            new_layer: Layer::conv(3, 1, 1, 1),
            from_model: true,
        },
        when: None,
    },
    ParamSpec::int("input_size", "receptive-input-size", 1, 1024, 33, "receptive-input-size.help"),
    ParamSpec::int("out_row", "receptive-out-row", -1, 1023, -1, "receptive-out-row.help"),
    ParamSpec::int("out_col", "receptive-out-col", -1, 1023, -1, "receptive-out-col.help"),
    ParamSpec::int("hdc_group", "receptive-hdc-group", 1, 8, 3, "receptive-hdc-group.help"),
];

/// The layers of a preset.
pub fn preset(name: &str) -> Option<Vec<Layer>> {
    let c = Layer::conv;
    let rate = |d: usize| Layer::conv(3, 1, d, d);
    let vgg = |pool: Layer, last_pools: [Layer; 2], conv5: Layer| {
        let mut v = vec![c(3, 1, 1, 1); 2];
        v.push(pool);
        v.extend([c(3, 1, 1, 1); 2]);
        v.push(pool);
        v.extend([c(3, 1, 1, 1); 3]);
        v.push(pool);
        v.extend([c(3, 1, 1, 1); 3]);
        v.push(last_pools[0]);
        v.extend([conv5; 3]);
        v.push(last_pools[1]);
        v
    };
    Some(match name {
        "hdc_125" => [1, 2, 5, 1, 2, 5].map(rate).to_vec(),
        "hdc_123" => [1, 2, 3].map(rate).to_vec(),
        "grid_222" => [2, 2, 2].map(rate).to_vec(),
        "grid_248" => [2, 4, 8].map(rate).to_vec(),
        "vgg16_fcn" => {
            let pool = Layer::pool(2, 2, 0);
            let mut v = vgg(pool, [pool, pool], c(3, 1, 1, 1));
            v.extend([c(7, 1, 3, 1), c(1, 1, 0, 1)]);
            v
        }
        "deeplab_largefov" => {
            let pool = Layer::pool(3, 2, 1);
            let keep = Layer::pool(3, 1, 1);
            let mut v = vgg(pool, [keep, keep], rate(2));
            v.extend([rate(12), c(1, 1, 0, 1), c(1, 1, 0, 1)]);
            v
        }
        "resnet101_aspp_l" => {
            // Output stride 8: layer3 at rate 2 and layer4 at rate 4 instead of striding.
            let mut v = vec![c(7, 2, 3, 1), Layer::pool(3, 2, 1)];
            for (blocks, stride, d) in [(3, 1, 1), (4, 2, 1), (23, 1, 2), (3, 1, 4)] {
                for b in 0..blocks {
                    let s = if b == 0 { stride } else { 1 };
                    v.extend([c(1, 1, 0, 1), Layer::conv(3, s, d, d), c(1, 1, 0, 1)]);
                }
            }
            v.push(rate(24));
            v
        }
        _ => return None,
    })
}

/// Layers of a preset worth pointing at (1-based), e.g. where FCN's skips tap VGG16, with a
/// message id.
fn preset_notes(name: &str) -> &'static [(usize, &'static str)] {
    match name {
        "vgg16_fcn" => &[(10, "receptive-note-pool3"), (14, "receptive-note-pool4"), (20, "receptive-note-fc7")],
        "deeplab_largefov" => &[
            (14, "receptive-note-pool4-stride1"),
            (18, "receptive-note-pool5-stride1"),
            (19, "receptive-note-fc6-rate12"),
        ],
        "resnet101_aspp_l" => &[(2, "receptive-note-max-pool"), (102, "receptive-note-aspp-l")],
        _ => &[],
    }
}

fn stack_error(e: analysis::LayerError) -> ParamError {
    match e.layer {
        Some(i) => ParamError::new(&format!("layers.{i}"), e.msg()),
        None => ParamError::new("layers", e.message),
    }
}

pub static RECEPTIVE_FIELD: Operator = Operator {
    name: "receptive_field",
    title: "receptive-title",
    summary: "receptive-summary",
    schema: SCHEMA,
    evals: EVALS,
    expand: expand_receptive_field,
    run: run_receptive_field,
};

fn expand_receptive_field(params: &mut Params) {
    if let Some(layers) = preset(params.choice("preset")) {
        // Presets are valid stacks, so setting them cannot fail.
        let _ = params.set("layers", &stack::format(&layers));
    }
}

fn run_receptive_field(params: &Params, _edits: &Edits) -> Result<Run, ParamError> {
    let layers = params.layers("layers");
    let input = params.usize("input_size");
    let rows = analysis::table(&layers, input).map_err(stack_error)?;
    let last = rows.last().map_or(input, |r| r.map_size);
    let pick = |name: &str| -> Result<usize, ParamError> {
        match params.int(name) {
            -1 => Ok(last / 2),
            v if (v as usize) < last => Ok(v as usize),
            v => Err(ParamError::new(
                name,
                msg!("receptive-pick-outside", size = format!("{last}×{last}"), position = v.to_string()),
            )),
        }
    };
    let out = [pick("out_row")?, pick("out_col")?];
    let counts = analysis::path_counts(&layers, [input, input], out).map_err(stack_error)?;
    let field = rows.last().expect("validated stacks have layers").field;
    let window = Window::new(field, input, out);
    let mut trace = Trace::default();
    let (map, coverage, holes) = window.path_map(&mut trace, &counts, out);
    let quantities = field_quantities(field, &layers, coverage.clone(), holes);
    let layer_data: Vec<serde_json::Value> = layers
        .iter()
        .map(
            |l| json!({"kernel_size": l.kernel_size, "stride": l.stride, "padding": l.padding, "dilation": l.dilation}),
        )
        .collect();
    let shown = &trace.grids[map];
    let map_values = ndarray::ArrayD::from_shape_vec(ndarray::IxDyn(&shown.shape), shown.values.clone())
        .expect("a grid's values fit its shape");
    let pytorch = Program::single(
        Call::python("receptive_field_map", Some(code::PATH_COUNTS), map_values)
            .arg("layers", PyArg::Data(serde_json::Value::Array(layer_data)))
            .arg("input_size", code::pair([input, input]))
            .arg("output_position", code::pair(out))
            .arg("rows", code::pair([window.rows.0, window.rows.1]))
            .arg("cols", code::pair([window.cols.0, window.cols.1]))
            .arg("block", PyArg::Int(window.block as i64)),
    );
    trace.charts.push(map_profile(&trace.grids[map], window.block));
    let mut facts = vec![coverage];
    // Counts past float32's largest number show ∞ (as the PyTorch code's final `.float()`
    // gives them): said, since every count of paths is finite.
    let overflowing = trace.grids[map].values.iter().filter(|v| v.is_infinite()).count();
    if overflowing > 0 {
        facts.push(msg!("receptive-counts-overflow", cells = overflowing));
    }
    facts.extend(hdc_lines(&layers, params.usize("hdc_group")));
    facts.push(msg!(
        "receptive-output-stride",
        stride = fmt_num(field.stride as f32),
        output = format!("{last}×{last}"),
        input = format!("{input}×{input}")
    ));
    facts.extend(layer_lines(&layers, &rows, params.choice("preset")));
    // Clicking the map chooses the output pixel whose field is centred nearest: cell i of
    // the map (f input pixels each, the first at `origin`) is centred on input pixel
    // y = origin + (i + ½)·f − ½, nearest to output pixel (y − centre)/S.
    let (cell, origin) = (window.block as f64, trace.grids[map].origin.map(|o| o as f64));
    let pick = Pick {
        grid: map,
        map: ParamMap {
            params: ["out_row", "out_col"],
            offset: [0, 1].map(|a| (field.centre() + 0.5 - origin[a]) / cell - 0.5),
            scale: cell / field.stride,
            limits: Some([0, last as i64 - 1]),
        },
    };
    Ok(Run {
        quantities,
        formula: formula(field, &layers),
        facts,
        editable: Vec::new(),
        pick: Some(pick),
        pytorch: Some(pytorch),
        trace,
    })
}

/// The chart of the map's own numbers: n along the row and the column of the map that hold
/// its largest count, against the input index of each cell's centre, so the chart and the
/// map's sentence use one quantity.
fn map_profile(map: &Grid, block: usize) -> Chart {
    let [_, _, h, w] = map.shape;
    let peak = (0..map.len()).fold(0, |best, off| if map.values[off] > map.values[best] { off } else { best });
    let [_, _, pr, pc] = map.unravel(peak);
    let centre = |origin: isize, i: usize| origin as f32 + (i * block) as f32 + (block as f32 - 1.0) / 2.0;
    let row = (0..w).map(|q| (centre(map.origin[1], q), map.value([0, 0, pr, q]))).collect();
    let col = (0..h).map(|r| (centre(map.origin[0], r), map.value([0, 0, r, pc]))).collect();
    let cells = if block > 1 { msg!("receptive-chart-block", block = block.to_string()) } else { Msg::default() };
    Chart {
        title: msg!("receptive-chart-title", cells = cells),
        x_label: msg!("receptive-chart-x"),
        y_label: msg!("receptive-chart-y"),
        series: vec![
            Series::line(msg!("receptive-chart-row", row = (map.origin[0] + (pr * block) as isize).to_string()), row),
            Series::line(msg!("receptive-chart-col", col = (map.origin[1] + (pc * block) as isize).to_string()), col),
        ],
        lane: 1,
    }
}

/// The drawn part of the input: the theoretical field of one output pixel (clipped to the
/// input) with a small margin, in blocks of `block`×`block` pixels when it is larger than
/// `MAX_MAP`.
struct Window {
    /// The field's first and last row and column.
    field: [(usize, usize); 2],
    /// The drawn rows and columns.
    rows: (usize, usize),
    cols: (usize, usize),
    block: usize,
}

impl Window {
    fn new(field: analysis::Field, input: usize, out: [usize; 2]) -> Window {
        let span = |x: usize| {
            let lo = x as f64 * field.stride - field.padding;
            let hi = lo + field.size - 1.0;
            (lo.max(0.0) as usize, (hi.min(input as f64 - 1.0)).max(0.0) as usize)
        };
        let spans = out.map(span);
        let margin = 2;
        let window = |(lo, hi): (usize, usize)| (lo.saturating_sub(margin), (hi + margin).min(input - 1));
        let (rows, cols) = (window(spans[0]), window(spans[1]));
        let extent = (rows.1 - rows.0 + 1).max(cols.1 - cols.0 + 1);
        Window { field: spans, rows, cols, block: extent.div_ceil(MAX_MAP).max(1) }
    }

    /// Adds the map of path counts (holes marked) as one step; returns its grid and the
    /// coverage sentence.
    fn path_map(
        &self,
        trace: &mut Trace,
        (row_counts, col_counts): &(Vec<f64>, Vec<f64>),
        out: [usize; 2],
    ) -> (GridId, Msg, usize) {
        let (f, wr, wc, [fr, fc]) = (self.block, self.rows, self.cols, self.field);
        let (h, w) = ((wr.1 - wr.0 + 1).div_ceil(f), (wc.1 - wc.0 + 1).div_ceil(f));
        let block = |counts: &[f64], start: usize, end: usize, b: usize| -> f64 {
            counts[start + b * f..(start + (b + 1) * f).min(end + 1)].iter().sum()
        };
        let per_cell = if f > 1 { msg!("receptive-map-per-cell", block = f.to_string()) } else { Msg::default() };
        let caption =
            msg!("receptive-map-caption", row = out[0].to_string(), col = out[1].to_string(), per_cell = per_cell);
        let mut grid = Grid::new("n", caption, Role::Output, [1, 1, h, w]);
        grid.origin = [wr.0 as isize, wc.0 as isize];
        let map = trace.add_grid(grid);
        let stage = trace.add_stage(msg!("receptive-stage"), msg!("receptive-stage.explain"));
        let (mut used, mut area, mut holes) = (0usize, 0usize, 0usize);
        let mut writes = Vec::with_capacity(h * w);
        for r in 0..h {
            for q in 0..w {
                let value = (block(row_counts, wr.0, wr.1, r) * block(col_counts, wc.0, wc.1, q)) as f32;
                let (y, x) = (wr.0 + r * f, wc.0 + q * f);
                let index = [0, 0, r, q];
                if (fr.0..=fr.1).contains(&y) && (fc.0..=fc.1).contains(&x) {
                    area += 1;
                    if value > 0.0 {
                        used += 1;
                    } else {
                        holes += 1;
                        let off = trace.grids[map].offset(index);
                        trace.grids[map].kinds[off] = CellKind::Hole;
                    }
                }
                let write = Write::set(CellRef { grid: map, index }, Vec::new(), Some(Constant { value, cell: None }));
                let off = trace.grids[map].offset(index);
                trace.grids[map].values[off] = write.value;
                writes.push(write);
            }
        }
        trace.steps.push(Step { stage, writes: writes.into(), focus: Vec::new() });
        (map, msg!("receptive-coverage", used = used, area = area, holes = holes), holes)
    }
}

/// The field's size and stride with the stack's numbers worked out, and whether the map
/// (`holes` cells no path reaches, stated by `coverage`) has holes. Sizes beyond what a
/// student types are not asked.
fn field_quantities(field: analysis::Field, layers: &[Layer], coverage: Msg, holes: usize) -> Vec<Quantity> {
    // Long stacks show their first and last terms.
    let join = |terms: Vec<String>, sep: &str| {
        if terms.len() <= 8 {
            terms.join(sep)
        } else {
            format!("{}{sep}…{sep}{}", terms[..4].join(sep), terms[terms.len() - 2..].join(sep))
        }
    };
    let mut before = 1.0f64;
    let mut terms = Vec::new();
    for l in layers {
        terms.push(format!("{}·({} − 1)·{}", if l.pool { 1 } else { l.dilation }, l.kernel_size, fmt_num(before as f32)));
        before *= l.stride as f64;
    }
    let strides = join(layers.iter().map(|l| l.stride.to_string()).collect(), "·");
    let rates: Vec<usize> = layers.iter().map(|l| if l.pool { 1 } else { l.dilation }).collect();
    let mut quantities = Vec::new();
    if field.size <= 1e9 {
        let size = field.size as usize;
        quantities.push(Quantity {
            measure: Measure::FieldSize,
            value: size,
            line: msg!("receptive-formula-size", size = fmt_num(field.size as f32)),
            hint: msg!("receptive-hint-size", terms = format!("{} + 1", join(terms, " + "))),
        });
    }
    if field.stride <= 1e9 {
        quantities.push(Quantity {
            measure: Measure::Stride,
            value: field.stride as usize,
            line: msg!(
                "receptive-formula-stride",
                stride = fmt_num(field.stride as f32),
                padding = fmt_num(field.padding as f32)
            ),
            hint: msg!("receptive-hint-stride", strides = strides),
        });
    }
    quantities.push(Quantity {
        measure: Measure::Holes,
        value: usize::from(holes > 0),
        line: coverage,
        hint: msg!("receptive-hint-holes", rates = format!("{rates:?}")),
    });
    quantities
}

/// The field's formulas with the stack's numbers.
fn formula(field: analysis::Field, layers: &[Layer]) -> Vec<Msg> {
    vec![
        msg!("receptive-formula-size", size = fmt_num(field.size as f32)),
        msg!(
            "receptive-formula-stride",
            stride = fmt_num(field.stride as f32),
            padding = fmt_num(field.padding as f32)
        ),
        msg!("receptive-formula-sees", centre = fmt_num(field.centre() as f32)),
        msg!("receptive-formula-compact", layers = stack::format(layers)),
    ]
}

/// One line per layer: its field, stride, padding, centre and map size, with the preset's
/// note where it has one.
fn layer_lines(layers: &[Layer], rows: &[analysis::Row], preset: &str) -> Vec<Msg> {
    let notes = preset_notes(preset);
    let mut lines = Vec::with_capacity(layers.len());
    for (i, (l, row)) in layers.iter().zip(rows).enumerate() {
        let note = notes
            .iter()
            .find(|(n, _)| *n == i + 1)
            .map_or(Msg::default(), |(_, id)| msg!("receptive-layer-note", note = Msg::id(id)));
        lines.push(msg!(
            "receptive-layer-line",
            layer = format!("{:>3}", i + 1),
            kind = if l.pool { "pool" } else { "conv" },
            numbers = format!("k{} s{} p{} d{}", l.kernel_size, l.stride, l.padding, l.dilation),
            field = fmt_num(row.field.size as f32),
            stride = fmt_num(row.field.stride as f32),
            padding = fmt_num(row.field.padding as f32),
            centre = fmt_num(row.field.centre() as f32),
            map = format!("{}×{}", row.map_size, row.map_size),
            note = note
        ));
    }
    lines
}

/// The lines of the HDC check of the last `group` layers' rates: the rule's numbers, the
/// map's verdict, why they differ where they do, and a schedule the map confirms.
fn hdc_lines(layers: &[Layer], group: usize) -> Vec<Msg> {
    let tail = &layers[layers.len().saturating_sub(group)..];
    let k = tail[0].kernel_size as u64;
    if tail.iter().any(|l| l.pool || l.stride != 1 || l.kernel_size as u64 != k) {
        return vec![msg!("receptive-hdc-not-a-group")];
    }
    let rates: Vec<u64> = tail.iter().map(|l| l.dilation as u64).collect();
    let Some(report) = hdc::Report::new(&rates, k) else {
        return vec![msg!("receptive-hdc-too-large", rates = format!("{rates:?}"))];
    };
    let rule = &report.rule;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut lines = vec![
        msg!(
            "receptive-hdc-rule",
            k = k.to_string(),
            rates = format!("{rates:?}"),
            m = format!("{:?}", rule.m),
            cmp = if rule.m2_ok { "≤" } else { ">" },
            factor = match rule.common_factor {
                Some(g) => msg!("receptive-hdc-factor", g = g.to_string()),
                None => msg!("receptive-hdc-no-factor"),
            },
            pass = yes_no(rule.pass)
        ),
        msg!(
            "receptive-hdc-map",
            n = rates.len().to_string(),
            holes = report.map.holes,
            field = report.map.field.to_string(),
            grids = yes_no(report.map.grids())
        ),
    ];
    lines.extend(report.disagreement());
    if report.map.grids() {
        if let Some(s) = hdc::suggest(&rates, k) {
            lines.push(msg!("receptive-hdc-suggest", rates = format!("{s:?}"), field = report.map.field.to_string()));
        } else if hdc::unavoidable(&rates, k) {
            lines.push(msg!(
                "receptive-hdc-unavoidable",
                n = rates.len().to_string(),
                field = report.map.field.to_string(),
                k = k.to_string(),
                reach = k.pow(rates.len() as u32).to_string()
            ));
        }
    }
    lines
}

const LAYERS: ArgSpec = ArgSpec::new("layers", Kind::Layers(LAYER), Default::Required);
static LAYER: &Signature = &[
    ArgSpec::new("kernel_size", Kind::IntPair { min: 1, max: 64, one: true }, Default::Required),
    ArgSpec::new("stride", Kind::IntPair { min: 1, max: 64, one: true }, Default::Int(1)),
    ArgSpec::new("padding", Kind::IntPair { min: 0, max: 1024, one: true }, Default::Int(0)),
    ArgSpec::new("dilation", Kind::IntPair { min: 1, max: 512, one: true }, Default::Int(1)),
];

static EVALS: &[EvalOp] = &[
    EvalOp {
        name: "receptive_field",
        signature: &[
            ArgSpec::new("layers", Kind::Layers(LAYER), Default::None),
            ArgSpec::new("model", Kind::Text { max_len: analysis::model::MAX_MODEL_TEXT }, Default::None),
        ],
        reference: "Araujo et al. 2019 with dilation: output x sees input x·stride − padding … + size − 1 (checked with autograd); `model` is what print(model) shows",
        answer: |args| {
            let layers = match (args.has("layers"), args.opt_text("model")?) {
                (true, None) => json_layers(args)?,
                (false, Some(text)) => model_layers(text)?,
                (true, Some(_)) => return Err("give \"layers\" or \"model\", not both".into()),
                (false, None) => return Err("missing argument \"layers\" (or \"model\", a print(model) text)".into()),
            };
            let (size, stride, padding) = analysis::exact_field(&layers).map_err(|e| e.to_string())?;
            Ok(Answer::Json(json!({ "size": size, "stride": stride, "padding": padding })))
        },
    },
    EvalOp {
        name: "path_counts",
        signature: &[
            LAYERS,
            ArgSpec::new(
                "input_size",
                Kind::IntPair { min: 1, max: analysis::MAX_INPUT as i64, one: false },
                Default::Required,
            ),
            ArgSpec::new("output_position", Kind::IntPair { min: 0, max: MAX_INT_ARG, one: false }, Default::Required),
        ],
        reference: "the gradient of one output pixel with respect to the input through the stack with all-ones kernels",
        answer: |args| {
            let layers = json_layers(args)?;
            let size = args.pair("input_size")?;
            check_cost(product(&size), product(&size).saturating_mul(layers.len() as u128))?;
            let (rows, cols) =
                analysis::path_counts(&layers, size, args.pair("output_position")?).map_err(|e| e.to_string())?;
            let data: Vec<f64> = rows.iter().flat_map(|r| cols.iter().map(move |c| r * c)).collect();
            Ok(Answer::Tensor64 { shape: size.to_vec(), data })
        },
    },
    EvalOp {
        name: "hdc",
        signature: &[
            ArgSpec::new("dilations", Kind::IntList { min: 1, max: 512 }, Default::Required),
            ArgSpec::new("kernel_size", Kind::Int { min: 1, max: 64 }, Default::Required),
        ],
        reference: "Wang et al. 2018's M recursion (M_n = r_n); gridding from the path-count map of one interior output pixel",
        answer: |args| {
            let rates: Vec<u64> = args.int_list("dilations")?.into_iter().map(|r| r as u64).collect();
            if rates.is_empty() || rates.len() > analysis::MAX_LAYERS {
                return Err(format!("\"dilations\" must hold 1 to {} rates", analysis::MAX_LAYERS));
            }
            let k = args.int("kernel_size")? as u64;
            let report = hdc::Report::new(&rates, k).ok_or_else(|| {
                format!(
                    "the group's field is too large to map (at most {} cells × taps × layers)",
                    hdc::MAX_COVERAGE_WORK
                )
            })?;
            Ok(Answer::Json(json!({ "max_distance": report.rule.m, "gridding": report.map.grids() })))
        },
    },
];

/// `layers` of a request: `[{kernel_size, stride?, padding?, dilation?}]`, square.
/// The layer stack of a `print(model)` text.
pub fn model_layers(text: &str) -> Result<Vec<Layer>, String> {
    let layers = analysis::model::parse_model(text).map_err(|e| format!("\"model\" {e}"))?;
    Ok(layers.into_iter().map(|l| l.layer).collect())
}

fn json_layers(args: &Args) -> Result<Vec<Layer>, String> {
    args.layers("layers", |layer| {
        let square = |name: &str| -> Result<usize, String> {
            let [a, b] = layer.pair(name)?;
            if a != b {
                return Err(format!("\"{name}\" must be the same for both axes, got [{a}, {b}]"));
            }
            Ok(a)
        };
        Ok(Layer::conv(square("kernel_size")?, square("stride")?, square("padding")?, square("dilation")?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The chart plots the map's own n: its peak is the largest count the map's step states
    /// ("from 1 to 2209"), and every point is a cell of the map.
    #[test]
    fn chart_and_map_show_one_quantity() {
        for preset in ["hdc_123", "deeplab_largefov", "grid_222"] {
            let mut params = Params::defaults(SCHEMA);
            params.set("preset", preset).unwrap();
            expand_receptive_field(&mut params);
            let run = run_receptive_field(&params, &Edits::new()).unwrap();
            let map = run.trace.grids.iter().find(|g| g.symbol == "n").unwrap();
            let max = map.values.iter().copied().fold(0.0f32, f32::max);
            let chart = &run.trace.charts[0];
            assert!(chart.y_label.en().contains('n') && chart.title.en().starts_with("n = paths"));
            let peak = chart.series.iter().flat_map(|s| &s.points).map(|p| p.1).fold(0.0f32, f32::max);
            assert_eq!(peak, max, "{preset}");
            for point in chart.series.iter().flat_map(|s| &s.points) {
                assert!(map.values.contains(&point.1), "{preset}: {point:?} is no cell of the map");
            }
        }
    }

    #[test]
    fn presets_are_valid_and_the_resnet_has_101_weight_layers() {
        for (name, _) in PRESETS.iter().filter(|(n, _)| *n != "custom") {
            let layers = preset(name).unwrap();
            assert!(analysis::table(&layers, 513).is_ok(), "{name}");
            assert_eq!(stack::parse(&stack::format(&layers)).unwrap(), layers, "{name}");
        }
        let resnet = preset("resnet101_aspp_l").unwrap();
        // conv1 + 3·(3 + 4 + 23 + 3) bottleneck convs + the ASPP branch, plus the max pool.
        assert_eq!(resnet.iter().filter(|l| !l.pool).count(), 101);
        let f = analysis::fields(&resnet).last().copied().unwrap();
        assert_eq!(f.stride, 8.0);
    }

    #[test]
    fn fcn_skip_notes_sit_at_strides_8_16_and_32() {
        let fields = analysis::fields(&preset("vgg16_fcn").unwrap());
        let stride_at = |layer: usize| fields[layer - 1].stride;
        let notes = preset_notes("vgg16_fcn");
        assert_eq!(notes.iter().map(|(n, _)| stride_at(*n)).collect::<Vec<_>>(), [8.0, 16.0, 32.0]);
        // VGG16's conv5_3 (layer 17) sees 196×196 pixels; after pool5 and the 7×7 fc6, 404.
        assert_eq!(fields[16].size, 196.0);
        assert_eq!(fields[18].size, 404.0);
    }

    #[test]
    fn largefov_keeps_output_stride_eight() {
        let f = analysis::fields(&preset("deeplab_largefov").unwrap()).last().copied().unwrap();
        assert_eq!(f.stride, 8.0);
    }
}
