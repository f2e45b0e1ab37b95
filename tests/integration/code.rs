//! "Copy as PyTorch": for every operator that has a PyTorch call, at its defaults and at one
//! other setting, the output embedded in the script equals what `convscope eval` answers for
//! the same call (the golden-tested path), and the script is valid Python; the views without
//! one say so. (The scripts were also run under torch 2.15 by `convscope code`; CI has no torch.)

use std::io::Write;
use std::process::{Command, Stdio};

use convscope::eval::answer_line;
use convscope::ops;
use convscope::ops::code::PyArg;
use convscope::session::Session;

/// Settings that have a PyTorch call (besides the defaults of the operators that have one).
const WITH_CODE: &[(&str, &str)] = &[
    ("conv2d", "stride=2&padding=1,0&dilation=2&bias=on&in_channels=2&groups=2&out_channels=2"),
    ("conv_transpose2d", "view=scatter&stride=3&padding=1&output_padding=2&bias=on"),
    ("interpolate", "mode=bicubic&align_corners=true&scale_factor=1.5"),
    ("max_pool2d", "kernel_size=3&stride=2&padding=1&dilation=2&ceil_mode=true"),
    ("avg_pool2d", "kernel_size=3&stride=2&padding=1&count_include_pad=false&ceil_mode=true"),
    ("pixel_shuffle", "upscale_factor=3&in_channels=9"),
    ("pixel_unshuffle", "downscale_factor=3&height=6&width=6"),
    ("depth_to_space", "mode=CRD&block_size=2&in_channels=8"),
    ("deform_conv2d", "offsets=rotate&strength=20&mask=radial&stride=2&padding=2"),
    ("checkerboard", "kernel_size=4&stride=2&layers=2"),
    ("checkerboard", "view=image&kernel_size=3&stride=3&dilation=2"),
    ("deform_roi_pool", "method=align&aligned=true&sampling_ratio=2"),
    ("deform_roi_pool", "method=pool&x1=1&y1=3&x2=11&y2=9&output_size=2"),
    ("deform_roi_pool", "method=deform&offsets=spread&strength=15&gamma=3&x1=1&y1=2&x2=12&y2=9&output_size=4"),
    ("decomposed_conv_transpose2d", "kernel_size=4&stride=3&padding=1&in_channels=2"),
    ("separable_conv_transpose2d", "kernel_size=4&stride=2&padding=1&out_channels=3"),
    ("residual_upsample", "scale_factor=3&channel_group=1&channels=2"),
    ("resize_conv2d", "mode=bilinear&align_corners=true&scale_factor=3&kernel_size=4&padding=0&out_channels=2"),
    ("spatially_separable_conv2d", "kernel_size=5&padding=2&stride=2&channels=2"),
    ("depthwise_separable_conv2d", "kernel_size=5&padding=2&stride=2&out_channels=4"),
    ("conv_round_trip", "stride=3&height=7&width=6&kernel_size=4&padding=0&in_channels=2"),
    ("fcn_skips", "variant=fcn16s&coarse_size=1"),
    ("aspp", "preset=aspp_l&map_size=13&kernel_size=5"),
    ("aspp", "preset=largefov"),
    ("shift_and_stitch", "factor=3&kernel_size=5&height=9&width=9"),
    ("receptive_field", "preset=deeplab_largefov&input_size=321&out_row=10&out_col=20"),
    // Two branches at one rate: every branch keeps a name of its own.
    ("aspp", "preset=custom&rate1=2&rate2=2&rate3=4&rate4=2"),
];

fn parses_as_python(script: &str) -> Option<bool> {
    let mut child = Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(sys.stdin.read())"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).ok()?;
    Some(child.wait().ok()?.success())
}

#[test]
fn scripts_embed_evals_numbers_and_parse() {
    let (mut parsed, mut with_code, mut checked_steps) = (0, 0, 0);
    // Every operator at its defaults (with a call or a clear refusal), and the settings above,
    // which must have one.
    let defaults = ops::OPERATORS.iter().map(|op| (format!("op={}", op.name), false));
    let others = WITH_CODE.iter().map(|(name, q)| (format!("op={name}&{q}"), true));
    for (query, required) in defaults.chain(others) {
        let session = Session::from_query(&query);
        assert!(session.warnings().is_empty(), "{query}: {:?}", session.warnings());
        let Some(program) = &session.run().pytorch else {
            assert!(!required, "{query}: no PyTorch call");
            let err = session.pytorch_script().unwrap_err();
            assert!(
                err.contains("not available") && err.contains(&convscope::text::Msg::id(session.operator().title).en()),
                "{err}"
            );
            continue;
        };
        with_code += 1;
        // Each step's numbers: eval's for the same call (earlier results filled in), or for a
        // sum, the sum of its two inputs.
        for (i, call) in program.steps.iter().enumerate() {
            let done = &program.steps[..i];
            let expected: Vec<f32> = match call.eval_request(done) {
                Some(request) => {
                    let (answer, ok) = answer_line(request.to_string());
                    assert!(ok, "{query}, step {i}: eval refused the call: {answer}");
                    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
                    flatten(&answer["output"]).iter().map(|v| v.as_f64().unwrap() as f32).collect()
                }
                None if call.function == "torch.clone" => {
                    let value = match &call.args[0].1 {
                        PyArg::Var(v) => done.iter().rev().find(|c| &c.out == v).unwrap().output.clone(),
                        PyArg::Tensor(t) => t.clone(),
                        other => panic!("{other:?}"),
                    };
                    value.iter().copied().collect()
                }
                // Shift-and-stitch equals the à trous conv: checked against eval's dilated conv.
                None if call.function == "shift_and_stitch" => {
                    let get = |name: &str| call.args.iter().find(|(n, _)| *n == name).unwrap().1.clone();
                    let x = match get("input") {
                        PyArg::Var(v) => done.iter().rev().find(|c| c.out == v).unwrap().output.clone(),
                        other => panic!("{other:?}"),
                    };
                    let (PyArg::Tensor(w), PyArg::Int(f)) = (get("weight"), get("factor")) else { panic!() };
                    let half = (w.shape()[3] / 2) as i64;
                    let request = serde_json::json!({"op": "conv2d", "args": {
                        "input": nested(&x), "weight": nested(&w), "padding": f * half, "dilation": f}});
                    let (answer, ok) = answer_line(request.to_string());
                    assert!(ok, "{answer}");
                    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
                    flatten(&answer["output"]).iter().map(|v| v.as_f64().unwrap() as f32).collect()
                }
                // The receptive field's map: eval's path counts, the window summed in blocks.
                None if call.function == "receptive_field_map" => {
                    let get = |name: &str| call.args.iter().find(|(n, _)| *n == name).unwrap().1.clone();
                    let (PyArg::Data(layers), PyArg::Pair(size), PyArg::Pair(out)) =
                        (get("layers"), get("input_size"), get("output_position"))
                    else {
                        panic!()
                    };
                    let (PyArg::Pair(rows), PyArg::Pair(cols), PyArg::Int(block)) =
                        (get("rows"), get("cols"), get("block"))
                    else {
                        panic!()
                    };
                    let request = serde_json::json!({"op": "path_counts", "args": {
                        "layers": layers, "input_size": size, "output_position": out}});
                    let (answer, ok) = answer_line(request.to_string());
                    assert!(ok, "{answer}");
                    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
                    let n: Vec<f64> = flatten(&answer["output"]).iter().map(|v| v.as_f64().unwrap()).collect();
                    let (w, f) = (size[1] as usize, block as usize);
                    let h_cells = ((rows[1] - rows[0] + 1) as usize).div_ceil(f);
                    let w_cells = ((cols[1] - cols[0] + 1) as usize).div_ceil(f);
                    let mut map = vec![0.0f64; h_cells * w_cells];
                    for r in rows[0] as usize..=rows[1] as usize {
                        for c in cols[0] as usize..=cols[1] as usize {
                            let cell = (r - rows[0] as usize) / f * w_cells + (c - cols[0] as usize) / f;
                            map[cell] += n[r * w + c];
                        }
                    }
                    let shown: Vec<f32> = call.output.iter().copied().collect();
                    for (a, b) in map.iter().zip(&shown) {
                        assert!((*a - f64::from(*b)).abs() <= 1e-6 * a.abs().max(1.0), "{query}: {a} vs {b}");
                    }
                    shown
                }
                None if call.function == "torch.add" => {
                    let var = |name: &str| match &call.args.iter().find(|(n, _)| *n == name).unwrap().1 {
                        PyArg::Var(v) => done.iter().rev().find(|c| &c.out == v).unwrap().output.clone(),
                        PyArg::Tensor(t) => t.clone(),
                        other => panic!("{other:?}"),
                    };
                    (var("input") + var("other")).iter().copied().collect()
                }
                None => panic!("{query}, step {i}: {} has no check", call.function),
            };
            let shown: Vec<f32> = call.output.iter().copied().collect();
            assert_eq!(expected, shown, "{query}, step {i} ({}): the page's numbers", call.function);
            checked_steps += 1;
        }
        let script = session.pytorch_script().unwrap();
        assert!(program.steps.iter().all(|c| script.contains(c.function)), "{script}");
        assert!(script.ends_with(".tolist()))\n"));
        match parses_as_python(&script) {
            Some(ok) => {
                assert!(ok, "{query}: the script is not valid Python:\n{script}");
                parsed += 1;
            }
            None => eprintln!("python3 not found: scripts not parsed"),
        }
    }
    // 21 operators have a script at their defaults.
    assert!(with_code >= WITH_CODE.len() + 21, "only {with_code} settings have a script");
    assert!(checked_steps > with_code, "{checked_steps} steps checked");
    assert!(parsed == 0 || parsed == with_code, "{parsed} of {with_code} scripts parsed");
}

/// A tensor as nested JSON lists.
fn nested(t: &ndarray::ArrayD<f32>) -> serde_json::Value {
    match t.ndim() {
        0 => serde_json::json!(t.iter().next().copied().unwrap_or(0.0)),
        _ => serde_json::Value::Array(t.outer_iter().map(|sub| nested(&sub.to_owned())).collect()),
    }
}

fn flatten(v: &serde_json::Value) -> Vec<serde_json::Value> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(flatten).collect(),
        other => vec![other.clone()],
    }
}
