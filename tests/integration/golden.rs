//! PyTorch golden vectors through the core: every case must match.

use convscope::eval::answer_line;
use convscope::ops;
use serde_json::json;

use crate::support::{golden_cases, mismatch};

#[test]
fn golden_vectors_match_pytorch() {
    let cases = golden_cases();
    let mut checked = 0;
    for case in &cases {
        let request = json!({ "op": case.op, "args": case.args }).to_string();
        let (answer, ok) = answer_line(&request);
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert!(ops::find_eval(&case.op).is_some(), "{}: no operator answers {}", case.name, case.op);
        assert!(ok, "{}: {answer}", case.name);
        if let Some(problem) = mismatch(&answer["output"], &case.expected, "output") {
            panic!("{}: {problem}", case.name);
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
    assert!(checked >= 44, "only {checked} golden cases");
}

#[test]
fn golden_inputs_replayed_through_traces_match_too() {
    // The traced code path (used by the page) must agree with PyTorch as well as eval does.
    use convscope::args::{Arg, Args};
    use convscope::ops::conv_transpose2d::{ConvTranspose2dGeometry, View, conv_transpose2d, conv_transpose2d_traced};
    use convscope::ops::conv2d::{ConvArgs, shape4};
    use convscope::trace::Trace;
    let signature = ops::find_eval("conv_transpose2d").unwrap().signature;
    for case in golden_cases().iter().filter(|c| c.op == "conv_transpose2d") {
        let raw = Arg::parse(case.args.to_string().as_bytes()).unwrap();
        let args = Args::new(&raw, signature).unwrap();
        let (x, unbatched) = args.tensor("input").unwrap().batched4();
        let w = args.tensor("weight").unwrap().into_array4();
        let b = args.opt_tensor("bias").unwrap().map(|b| b.into_array1());
        let conv = ConvArgs::new(
            args.pair("stride").unwrap(),
            args.pair("padding").unwrap(),
            args.pair("dilation").unwrap(),
            args.usize("groups").unwrap(),
        );
        let g = ConvTranspose2dGeometry::new(
            shape4(&x),
            shape4(&w),
            b.as_ref().map(|b| b.len()),
            conv,
            args.pair("output_padding").unwrap(),
        )
        .unwrap();
        for scatter in [false, true] {
            let mut trace = Trace::default();
            let view = if scatter { View::Scatter } else { View::Gather };
            let (y, ids) = conv_transpose2d_traced(view, &x, &w, b.as_ref(), &g, &mut trace);
            let got = serde_json::to_value(convscope::args::Answer::tensor4(y.clone(), unbatched)).unwrap();
            assert_eq!(mismatch(&got, &case.expected, "output"), None, "{} scatter={scatter}", case.name);
            assert_eq!(trace.replay(trace.steps.len()).values[ids.output], y.iter().copied().collect::<Vec<_>>());
            if !scatter {
                // eval's direct sum equals the gather sweep to the bit.
                assert_eq!(conv_transpose2d(&x, &w, b.as_ref(), &g), y, "{}", case.name);
            }
        }
    }
}

#[test]
fn requests_pytorch_refuses_are_refused() {
    let dir = crate::support::golden_dir().join("refused");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/golden/refused exists") {
        let path = entry.unwrap().path();
        for line in std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let request = json!({ "op": case["op"], "args": case["args"] }).to_string();
            let (answer, ok) = answer_line(&request);
            assert!(!ok, "{} was answered ({answer}), but PyTorch refuses it: {}", case["name"], case["pytorch_error"]);
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} refused cases");
}

/// The golden set exercises every argument the operations take from PyTorch, so a
/// regenerated set cannot silently drop one (tests/reference/pytorch.py writes it).
#[test]
fn the_golden_cases_cover_every_argument_form() {
    let cases = golden_cases();
    let has = |op: &str, test: &dyn Fn(&serde_json::Value) -> bool| cases.iter().any(|c| c.op == op && test(&c.args));
    let dims = |v: &serde_json::Value| {
        let mut d = 0;
        let mut cur = v;
        while let Some(first) = cur.as_array().and_then(|a| a.first()) {
            d += 1;
            cur = first;
        }
        d
    };
    type Check<'a> = Box<dyn Fn(&serde_json::Value) -> bool + 'a>;
    let checks: Vec<(&str, &str, Check)> = vec![
        ("conv2d", "padding same", Box::new(|a| a["padding"] == "same")),
        ("conv2d", "padding valid", Box::new(|a| a["padding"] == "valid")),
        ("conv2d", "unbatched input", Box::new(|a| dims(&a["input"]) == 3)),
        ("conv2d", "one-item list", Box::new(|a| a["stride"].as_array().is_some_and(|s| s.len() == 1))),
        ("conv_transpose2d", "unbatched input", Box::new(|a| dims(&a["input"]) == 3)),
        ("max_pool2d", "dilation", Box::new(|a| a.get("dilation").is_some_and(|d| d != 1))),
        ("max_pool2d", "return_indices", Box::new(|a| a["return_indices"] == true)),
        ("max_pool2d", "ceil_mode", Box::new(|a| a["ceil_mode"] == true)),
        ("max_pool2d", "unbatched input", Box::new(|a| dims(&a["input"]) == 3)),
        ("avg_pool2d", "count_include_pad=False", Box::new(|a| a["count_include_pad"] == false)),
        ("avg_pool2d", "divisor_override", Box::new(|a| a["divisor_override"].is_i64())),
        ("avg_pool2d", "ceil_mode", Box::new(|a| a["ceil_mode"] == true)),
        ("interpolate", "recompute_scale_factor", Box::new(|a| a["recompute_scale_factor"] == true)),
        ("interpolate", "scale_factor pair", Box::new(|a| a["scale_factor"].as_array().is_some_and(|s| s.len() == 2))),
        ("interpolate", "3-D input", Box::new(|a| dims(&a["input"]) == 3)),
        ("pixel_shuffle", "5-D input", Box::new(|a| dims(&a["input"]) == 5)),
        ("hdc", "the rule and the map disagree", Box::new(|a| a["dilations"] == json!([3, 3, 8]))),
    ];
    let mut missing: Vec<String> = checks
        .iter()
        .filter(|(op, _, test)| !has(op, test.as_ref()))
        .map(|(op, what, _)| format!("{op}: {what}"))
        .collect();
    for mode in ["nearest", "nearest-exact", "bilinear", "bicubic", "area", "linear"] {
        if !has("interpolate", &|a| a["mode"] == mode) {
            missing.push(format!("interpolate: mode {mode}"));
        }
    }
    assert!(missing.is_empty(), "golden cases missing: {missing:?}");
}

/// `receptive_field` reads what `print(model)` shows: torchvision's VGG-16, AlexNet and
/// VGG-11-BN feature stacks (printed by torchvision) give the fields PyTorch's autograd found
/// (VGG-16: 212, stride 32, padding 90, as published); the whole models stop at the module the
/// field cannot pass, named with its line.
#[test]
fn receptive_field_of_printed_torchvision_models() {
    let dir = crate::support::golden_dir().join("models");
    let fields: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("fields.json")).unwrap()).unwrap();
    assert_eq!(fields["vgg16"], json!({"size": 212, "stride": 32, "padding": 90}));
    for name in ["vgg16", "alexnet", "vgg11_bn"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}_features.txt"))).unwrap();
        let request = json!({"op": "receptive_field", "args": {"model": text}});
        let (answer, ok) = answer_line(request.to_string());
        assert!(ok, "{name}: {answer}");
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["output"], fields[name], "{name}");
        let whole = std::fs::read_to_string(dir.join(format!("{name}_full.txt"))).unwrap();
        let line = whole.lines().position(|l| l.contains("AdaptiveAvgPool2d")).unwrap() + 1;
        let (answer, ok) = answer_line(json!({"op": "receptive_field", "args": {"model": whole}}).to_string());
        assert!(!ok && answer.contains(&format!("line {line}: AdaptiveAvgPool2d")), "{name}: {answer}");
    }
    let (answer, ok) = answer_line(r#"{"op": "receptive_field", "args": {}}"#);
    assert!(!ok && answer.contains("print(model)"), "{answer}");
}
