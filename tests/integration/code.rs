//! "Copy as PyTorch": for every operator that has a PyTorch call, at its defaults and at one
//! other setting, the output embedded in the script equals what `convscope eval` answers for
//! the same call (the golden-tested path), and the script is valid Python; the views without
//! one say so. (The scripts were also run under torch 2.15 by `convscope code`; CI has no torch.)

use std::io::Write;
use std::process::{Command, Stdio};

use convscope::eval::answer_line;
use convscope::ops;
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
    ("deform_conv2d", "offsets=rotate&strength=20&mask=radial&stride=2&padding=2"),
    ("deform_roi_pool", "method=align&aligned=true&sampling_ratio=2"),
    ("deform_roi_pool", "method=pool&x1=1&y1=3&x2=11&y2=9&output_size=2"),
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
    let (mut parsed, mut with_code) = (0, 0);
    // Every operator at its defaults (with a call or a clear refusal), and the settings above,
    // which must have one.
    let defaults = ops::OPERATORS.iter().map(|op| (format!("op={}", op.name), false));
    let others = WITH_CODE.iter().map(|(name, q)| (format!("op={name}&{q}"), true));
    for (query, required) in defaults.chain(others) {
        let session = Session::from_query(&query);
        assert!(session.warnings().is_empty(), "{query}: {:?}", session.warnings());
        let Some(call) = &session.run().pytorch else {
            assert!(!required, "{query}: no PyTorch call");
            let err = session.pytorch_script().unwrap_err();
            assert!(err.contains("not available") && err.contains(session.operator().title), "{err}");
            continue;
        };
        with_code += 1;
        let (answer, ok) = answer_line(call.eval_request().to_string());
        assert!(ok, "{query}: eval refused the call: {answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        // Compared as the f32 both compute in (eval writes the shortest form of each f32).
        let embedded: Vec<f32> = call.output.iter().copied().collect();
        let answered: Vec<f32> = flatten(&answer["output"]).iter().map(|v| v.as_f64().unwrap() as f32).collect();
        assert_eq!(answered, embedded, "{query}: the page's numbers are eval's");
        let script = session.pytorch_script().unwrap();
        assert!(script.contains(call.function) && script.ends_with("print(json.dumps(y.tolist()))\n"));
        match parses_as_python(&script) {
            Some(ok) => {
                assert!(ok, "{query}: the script is not valid Python:\n{script}");
                parsed += 1;
            }
            None => eprintln!("python3 not found: scripts not parsed"),
        }
    }
    assert!(with_code >= 2 * WITH_CODE.len() - 2, "only {with_code} settings have a script");
    assert!(parsed == 0 || parsed == with_code, "{parsed} of {with_code} scripts parsed");
}

fn flatten(v: &serde_json::Value) -> Vec<serde_json::Value> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(flatten).collect(),
        other => vec![other.clone()],
    }
}
