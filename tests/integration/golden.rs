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
    use convscope::eval::Args;
    use convscope::ops::conv_transpose2d::{
        ConvTranspose2dGeometry, conv_transpose2d_gather, conv_transpose2d_scatter,
    };
    use convscope::ops::conv2d::{ConvArgs, shape4};
    use convscope::trace::Trace;
    for case in golden_cases().iter().filter(|c| c.op == "conv_transpose2d") {
        let map = case.args.as_object().unwrap();
        let args = Args(map);
        let (x, w, b) =
            (args.tensor4("input").unwrap(), args.tensor4("weight").unwrap(), args.tensor1_opt("bias").unwrap());
        let conv = ConvArgs {
            stride: args.pair("stride", 1).unwrap(),
            padding: args.pair("padding", 0).unwrap(),
            dilation: args.pair("dilation", 1).unwrap(),
            groups: args.int("groups", 1).unwrap(),
        };
        let g = ConvTranspose2dGeometry::new(
            shape4(&x),
            shape4(&w),
            b.as_ref().map(|b| b.len()),
            conv,
            args.pair("output_padding", 0).unwrap(),
        )
        .unwrap();
        for scatter in [false, true] {
            let mut trace = Trace::default();
            let y = if scatter {
                conv_transpose2d_scatter(&x, &w, b.as_ref(), &g, Some(&mut trace))
            } else {
                conv_transpose2d_gather(&x, &w, b.as_ref(), &g, Some(&mut trace))
            };
            let got = convscope::eval::tensor_to_json(&y);
            assert_eq!(mismatch(&got, &case.expected, "output"), None, "{} scatter={scatter}", case.name);
            let out = trace.grids.len() - 1;
            assert_eq!(trace.replay(trace.steps.len()).values[out], y.iter().copied().collect::<Vec<_>>());
        }
    }
}
