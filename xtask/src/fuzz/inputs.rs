//! What the fuzzer sends: random page operations on a `Session`, values for every control and
//! argument kind (extremes, wrong types, garbage), layer stacks, requests at the caps, and the
//! request generator built from the operations' signatures and the golden cases.

/// What a user might do on the page: resize, step, hover, type values, change controls,
/// then draw the frame and export it.
use std::path::{Path, PathBuf};

use anyhow::Result;
use convscope::args::{ArgSpec, Default, Kind, Signature};
use convscope::params::ParamKind;
use convscope::scene::Viewport;
use convscope::session::Session;
use convscope::{ops, paint};
use serde_json::{Value, json};

use super::Case;

pub(super) fn exercise(session: &mut Session, rng: &mut fastrand::Rng) {
    let viewport = Viewport::new(rng.u32(1..2400), rng.u32(1..1600), [0.5, 1.0, 2.0, 3.0][rng.usize(..4)]);
    for _ in 0..rng.usize(0..6) {
        match rng.u8(0..6) {
            0 => session.seek(rng.usize(..=session.n_steps() + 2)),
            1 => session.move_hover(rng.i32(-3..=3), rng.i32(-40..=40), rng.i32(-40..=40)),
            2 => {
                let scene = session.scene(viewport, true);
                if let Some(cell) = scene.hit(rng.f32() * viewport.width as f32, rng.f32() * viewport.height as f32) {
                    let _ =
                        session.edit_cell(cell, ["7", "-0", "1e6", "1e7", "NaN", "−2.5", "", "abc"][rng.usize(..8)]);
                    let _ = session.pick(cell);
                }
            }
            3 => {
                let specs = session.params().schema();
                if !specs.is_empty() {
                    let spec = &specs[rng.usize(..specs.len())];
                    let _ = session.set_param(spec.name, &param_value(spec.kind, rng));
                }
            }
            4 => {
                let _ = session.hover_text();
            }
            _ => session.reset_edits(),
        }
    }
    let _ = session.describe();
    let scene = session.scene(viewport, true);
    let _ = paint::to_svg(&scene);
}

/// A value for a page control: usually valid, often out of range or garbage.
fn param_value(kind: ParamKind, rng: &mut fastrand::Rng) -> String {
    match (kind, rng.u8(0..10)) {
        (ParamKind::Int { min, max, .. }, 0..=5) => rng.i64(min..=max).to_string(),
        (ParamKind::Int { min, max, .. }, 6) => [min - 1, max + 1, i64::MAX, i64::MIN][rng.usize(..4)].to_string(),
        (ParamKind::Choice { options, .. }, 0..=6) => options[rng.usize(..options.len())].0.to_string(),
        (ParamKind::Pair { min, max, words, .. }, 0..=4) => {
            let mut value = rng.i64(min..=max).to_string();
            if rng.bool() {
                value = format!("{value},{}", rng.i64(min..=max));
            }
            if !words.is_empty() && rng.u8(0..3) == 0 {
                value = words[rng.usize(..words.len())].to_string();
            }
            value
        }
        (ParamKind::Pair { min, max, .. }, 5 | 6) => {
            [format!("{min},{}", max + 1), format!("{}", min - 1), "1,2,3".into(), ",".into(), "2,".into()]
                [rng.usize(..5)]
            .clone()
        }
        (ParamKind::Layers { .. }, 0..=6) => layer_stack(rng),
        _ => garbage(rng),
    }
}

fn layer_stack(rng: &mut fastrand::Rng) -> String {
    let parts: Vec<String> = (0..rng.usize(0..5))
        .map(|_| {
            let kind = ["c", "p", "x", ""][rng.usize(..4)];
            let mut part = format!("{kind}{}", [1, 3, 5, 0, 65, 999_999][rng.usize(..6)]);
            for key in ["s", "p", "d"] {
                if rng.bool() {
                    part.push_str(&format!("{key}{}", [0, 1, 2, 64, 513, 99_999_999_999u64][rng.usize(..6)]));
                }
            }
            if rng.u8(0..4) == 0 {
                part.push_str(&format!("*{}", [2, 0, 300, 4_000_000_000u64][rng.usize(..4)]));
            }
            part
        })
        .collect();
    parts.join([",", ";", ""][rng.usize(..3)])
}

fn garbage(rng: &mut fastrand::Rng) -> String {
    [
        "",
        " ",
        "-1",
        "1.5",
        "NaN",
        "1e999",
        "+3",
        "0x10",
        "99999999999999999999",
        "<script>alert(1)</script>",
        "\u{0}",
        "ﬀ",
        "true",
        "c3p1*2",
        "%FF",
    ][rng.usize(..15)]
    .to_string()
}

/// Requests at the caps (the largest work or output accepted) and just above them.
pub(super) fn heavy_requests() -> Vec<String> {
    let ones = |shape: &[usize]| -> Value {
        fn nest(shape: &[usize]) -> Value {
            match shape {
                [n] => Value::Array(vec![json!(1.0); *n]),
                [n, rest @ ..] => Value::Array(vec![nest(rest); *n]),
                [] => json!(1.0),
            }
        }
        nest(shape)
    };
    let request = |op: &str, args: Value| json!({ "op": op, "args": args }).to_string();
    vec![
        // 2²² outputs × 64 taps = 2²⁸ multiply-adds: the most conv2d work accepted.
        request("conv2d", json!({"input": ones(&[1, 1, 2055, 2055]), "weight": ones(&[1, 1, 8, 8])})),
        // Just above: refused before anything is allocated.
        request("conv2d", json!({"input": ones(&[1, 1, 2056, 2056]), "weight": ones(&[1, 1, 8, 8])})),
        request(
            "conv_transpose2d",
            json!({"input": ones(&[1, 1, 256, 256]), "weight": ones(&[1, 1, 8, 8]), "stride": 8}),
        ),
        request(
            "roi_align",
            json!({"input": ones(&[1, 1, 64, 64]), "boxes": vec![json!([0, 0, 0, 60, 60]); 16], "output_size": 256, "sampling_ratio": 8}),
        ),
        request("interpolate", json!({"input": ones(&[1, 1, 512, 512]), "scale_factor": 4, "mode": "bicubic"})),
        request("max_pool2d", json!({"input": ones(&[1, 1, 2055, 2055]), "kernel_size": 8, "stride": 1})),
        // The issue's aborts and hangs.
        request(
            "conv2d",
            json!({"input": [[[[1]]]], "weight": [[[[1, 1], [1, 1]]]], "dilation": 1048576, "padding": 524288}),
        ),
        request(
            "conv_transpose2d",
            json!({"input": [[[[1]]]], "weight": [[[[1, 1], [1, 1]]]], "dilation": 1048576, "padding": 524288}),
        ),
        request("avg_pool2d", json!({"input": [[[[1]]]], "kernel_size": 131072, "padding": 65536})),
        request("roi_pool", json!({"input": [[[[1]]]], "boxes": [[0, 0, 0, 1, 1]], "output_size": 8192})),
        request("roi_align", json!({"input": [[[[1]]]], "boxes": [[0, 0, 0, 1, 1]], "output_size": 8192})),
        request("receptive_field", json!({"layers": vec![json!({"kernel_size": 3, "stride": 64}); 171]})),
    ]
}

/// Generates cases from the signatures, the schemas and the golden vectors.
pub(super) struct Generator {
    pub(super) rng: fastrand::Rng,
    golden: Vec<(String, Value)>,
}

impl Generator {
    pub(super) fn new(root: &Path, seed: u64) -> Result<Generator> {
        let mut golden = Vec::new();
        let dir = root.join("tests/golden");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files.iter().filter(|p| p.extension().is_some_and(|e| e == "jsonl")) {
            for line in std::fs::read_to_string(file)?.lines().filter(|l| !l.trim().is_empty()) {
                let case: Value = serde_json::from_str(line)?;
                // Small cases only, so mutations stay cheap.
                if line.len() < 4000 {
                    golden.push((case["op"].as_str().unwrap_or("").to_string(), case["args"].clone()));
                }
            }
        }
        Ok(Generator { rng: fastrand::Rng::with_seed(seed), golden })
    }

    pub(super) fn case(&mut self) -> Case {
        match self.rng.u8(0..100) {
            0..=7 => Case::Query(self.query()),
            8..=39 => Case::Request(self.fresh().to_string().into_bytes()),
            40..=74 => Case::Request(self.mutated().to_string().into_bytes()),
            75..=92 => {
                let line = if self.rng.bool() { self.fresh() } else { self.mutated() }.to_string();
                Case::Request(self.garble(line.into_bytes()))
            }
            _ => Case::Request(self.odd_line()),
        }
    }

    /// A request built from an operation's signature.
    fn fresh(&mut self) -> Value {
        let ops: Vec<_> = ops::eval_ops().collect();
        let op = ops[self.rng.usize(..ops.len())];
        let args = self.args_for(op.signature);
        let name = if self.rng.u8(0..50) == 0 { "conv3d".to_string() } else { op.name.to_string() };
        json!({ "op": name, "args": args })
    }

    fn args_for(&mut self, signature: &Signature) -> Value {
        let mut args = serde_json::Map::new();
        for spec in signature {
            let give = spec.default == Default::Required || self.rng.u8(0..10) < 4;
            if give && self.rng.u8(0..40) != 0 {
                args.insert(spec.name.to_string(), self.value(spec));
            }
        }
        if self.rng.u8(0..20) == 0 {
            args.insert(["paddin", "stride_h", "", "input "][self.rng.usize(..4)].to_string(), json!(1));
        }
        Value::Object(args)
    }

    /// A golden request with one to three arguments changed, dropped or added.
    fn mutated(&mut self) -> Value {
        let (op, mut args) = self.golden[self.rng.usize(..self.golden.len())].clone();
        let signature = ops::find_eval(&op).map(|e| e.signature).unwrap_or(&[]);
        for _ in 0..self.rng.usize(1..=3) {
            if signature.is_empty() {
                break;
            }
            let spec = &signature[self.rng.usize(..signature.len())];
            match self.rng.u8(0..10) {
                0 => {
                    args.as_object_mut().map(|a| a.remove(spec.name));
                }
                1 => {
                    if let Some(value) = args.get_mut(spec.name) {
                        *value = self.extreme_numbers(value.clone());
                    }
                }
                _ => {
                    let value = self.value(spec);
                    args.as_object_mut().map(|a| a.insert(spec.name.to_string(), value));
                }
            }
        }
        json!({ "op": op, "args": args })
    }

    /// Numbers of a tensor swapped for float32's extremes.
    fn extreme_numbers(&mut self, value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.extreme_numbers(v)).collect()),
            Value::Number(_) if self.rng.u8(0..3) == 0 => {
                json!([3.0e38, -3.0e38, 1.0e-45, -0.0, 1.0e39, 0.1, 65504.0, 1.0e30][self.rng.usize(..8)])
            }
            other => other,
        }
    }

    /// A value for one argument: usually of its kind, often at an extreme or of another kind.
    fn value(&mut self, spec: &ArgSpec) -> Value {
        let rng = &mut self.rng;
        if rng.u8(0..8) == 0 {
            return self.wrong_type();
        }
        match spec.kind {
            Kind::Tensor { min_dims, max_dims } => {
                let dims = (rng.usize(min_dims.saturating_sub(1)..=max_dims + 1)).clamp(0, 7);
                let shape: Vec<usize> = (0..dims).map(|_| [1, 1, 2, 3, 4, 5, 0][rng.usize(..7)]).collect();
                self.tensor(&shape)
            }
            Kind::Int { min, max } => json!(self.int(min, max)),
            Kind::IntPair { min, max, .. } => match rng.u8(0..6) {
                0..=2 => json!(self.int(min, max)),
                3 => json!([self.int(min, max), self.int(min, max)]),
                4 => json!([self.int(min, max)]),
                _ => json!([self.int(min, max), self.int(min, max), 1]),
            },
            Kind::Padding { max } => match rng.u8(0..8) {
                0 => json!("same"),
                1 => json!("valid"),
                2 => json!(["SAME", "full", ""][rng.usize(..3)]),
                3 => json!([self.int(0, max)]),
                4 => json!([self.int(0, max), self.int(0, max)]),
                _ => json!(self.int(0, max)),
            },
            Kind::Float { min, max } => json!(self.float(min, max)),
            Kind::IntOrList { min, max } => match rng.u8(0..4) {
                0 | 1 => json!(self.int(min, max)),
                n => json!((0..n - 1).map(|_| self.int(min, max)).collect::<Vec<_>>()),
            },
            Kind::FloatOrList { min, max } => match rng.u8(0..4) {
                0 | 1 => json!(self.float(min, max)),
                n => json!((0..n - 1).map(|_| self.float(min, max)).collect::<Vec<_>>()),
            },
            Kind::Bool => json!(rng.bool()),
            Kind::Word(words) => match rng.u8(0..5) {
                0 => json!(words[rng.usize(..words.len())].to_uppercase()),
                _ => json!(words[rng.usize(..words.len())]),
            },
            Kind::Boxes => {
                let rows: Vec<Value> = (0..rng.usize(0..4))
                    .map(|_| {
                        let mut row: Vec<Value> = (0..5)
                            .map(|_| json!([0.0, 1.0, 2.5, -1.0, 1e30, -3e38, 0.7, 7.0][self.rng.usize(..8)]))
                            .collect();
                        if self.rng.u8(0..10) == 0 {
                            row.pop();
                        }
                        Value::Array(row)
                    })
                    .collect();
                if self.rng.u8(0..5) == 0 {
                    json!([rows.iter().map(|r| r.as_array().map(|a| a[1..].to_vec())).collect::<Vec<_>>()])
                } else {
                    Value::Array(rows)
                }
            }
            Kind::Layers(layer) => {
                let n = [0, 1, 2, 3, 5, 300][rng.usize(..6)];
                Value::Array((0..n).map(|_| self.args_for(layer)).collect())
            }
            Kind::IntList { min, max } => {
                let n = [0, 1, 2, 3, 6, 300][rng.usize(..6)];
                json!((0..n).map(|_| self.int(min, max)).collect::<Vec<_>>())
            }
            // Model printouts: well-formed lines, broken ones, unknown modules, huge numbers.
            Kind::Text { .. } => {
                const LINES: [&str; 10] = [
                    "  (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
                    "  (1): ReLU(inplace=True)",
                    "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                    "  (3): Conv2d(3, 8, kernel_size=(99999999999, 3), stride=(0, 0))",
                    "  (4): Linear(in_features=8, out_features=2, bias=True)",
                    "  (5): Conv2d(3, 8, kernel_size=(3, 3), dilation=(512, 512), padding=(1024, 1024))",
                    "  (features): Sequential(",
                    ")",
                    "  (6): AvgPool2d(kernel_size=3, stride=(2, 2)",
                    "garbage ((((",
                ];
                let n = [0, 1, 3, 8, 40][rng.usize(..5)];
                let mut text = String::from("Sequential(\n");
                for _ in 0..n {
                    text.push_str(LINES[rng.usize(..LINES.len())]);
                    text.push('\n');
                }
                json!(text)
            }
        }
    }

    fn tensor(&mut self, shape: &[usize]) -> Value {
        match shape {
            [] => json!([0.0, 1.0, -2.0, 0.5, 3.0e38, -0.0, 1.0e-45, 2.0][self.rng.usize(..8)]),
            [n, rest @ ..] => Value::Array((0..*n).map(|_| self.tensor(rest)).collect()),
        }
    }

    fn int(&mut self, min: i64, max: i64) -> i64 {
        match self.rng.u8(0..12) {
            0 => min - 1,
            1 => max,
            2 => max.saturating_add(1),
            3 => i64::MAX,
            4 => -1,
            _ => self.rng.i64(min..=min.saturating_add(4).min(max)),
        }
    }

    fn float(&mut self, min: f64, max: f64) -> f64 {
        [min, max, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, -1.0, 1e308, 1e-308, 2.1][self.rng.usize(..12)]
    }

    fn wrong_type(&mut self) -> Value {
        [
            json!(null),
            json!("2"),
            json!(true),
            json!(2.5),
            json!({}),
            json!([]),
            json!([[1, 2], [3]]),
            json!(["a"]),
            json!(-7),
        ][self.rng.usize(..9)]
        .clone()
    }

    /// Textual damage: truncation, stray bytes, NaN/Infinity tokens, huge numbers, nesting.
    pub(super) fn garble(&mut self, mut line: Vec<u8>) -> Vec<u8> {
        let at = |rng: &mut fastrand::Rng, len: usize| rng.usize(..=len);
        match self.rng.u8(0..7) {
            0 => line.truncate(at(&mut self.rng, line.len())),
            1 => {
                let byte = [0xFF, 0xC3, 0x00, b'"', b'{', b']', b',', b'\\'][self.rng.usize(..8)];
                let i = at(&mut self.rng, line.len());
                line.insert(i, byte);
            }
            2..=4 => {
                let token =
                    ["NaN", "Infinity", "-Infinity", "1e999", "99999999999999999999999", "-0", "1e-400", "0.1e-7"]
                        [self.rng.usize(..8)];
                if let Some(i) = line.iter().position(|b| b.is_ascii_digit()) {
                    let end = i + line[i..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
                    line.splice(i..end, token.bytes());
                }
            }
            5 => {
                let depth = [20, 127, 128, 129, 1000][self.rng.usize(..5)];
                let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
                line =
                    format!(r#"{{"op": "conv2d", "args": {{"input": {nested}, "weight": [[[[1]]]]}}}}"#).into_bytes();
            }
            _ => line.extend_from_slice(b" trailing"),
        }
        line
    }

    fn odd_line(&mut self) -> Vec<u8> {
        [
            "",
            "   ",
            "\t",
            "[]",
            "\"conv2d\"",
            "123",
            "null",
            r#"{"op": "conv2d"}"#,
            r#"{"op": 7, "args": {}}"#,
            r#"{"op": "conv2d", "args": []}"#,
            r#"{"op": "conv2d", "args": {}, "args": {}}"#,
            r#"{"op": "hdc", "args": {"dilations": [], "kernel_size": 3}}"#,
            "\u{feff}{}",
        ][self.rng.usize(..13)]
        .as_bytes()
        .to_vec()
    }

    /// A page URL: parameters in and out of range, unknown keys, garbage edits and stacks.
    fn query(&mut self) -> String {
        let rng = &mut self.rng;
        let op = if rng.u8(0..20) == 0 { "nosuchop" } else { ops::OPERATORS[rng.usize(..ops::OPERATORS.len())].name };
        let mut pairs: Vec<(String, String)> = vec![("op".into(), op.into())];
        if let Some(operator) = ops::find(op) {
            for spec in operator.schema {
                if rng.u8(0..10) < 4 {
                    pairs.push((spec.name.into(), param_value(spec.kind, rng)));
                }
            }
        }
        if rng.u8(0..4) == 0 {
            let tensor = ["x", "w", "o", "q", ""][rng.usize(..5)];
            let index: Vec<String> =
                (0..rng.usize(0..6)).map(|_| [0u64, 1, 3, 99, 4_000_000_000][rng.usize(..5)].to_string()).collect();
            pairs.push(("edits".into(), format!("{tensor}.{}:{}", index.join("."), garbage(rng))));
        }
        for key in ["step", "embed", "layers", "nonsense", "op"] {
            if rng.u8(0..8) == 0 {
                let value = if key == "layers" { layer_stack(rng) } else { garbage(rng) };
                pairs.push((key.into(), value));
            }
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            query.append_pair(k, v);
        }
        let mut text = query.finish();
        if rng.u8(0..10) == 0 {
            text.push_str("&%E0%A4%A=1&=&&");
        }
        text
    }
}
