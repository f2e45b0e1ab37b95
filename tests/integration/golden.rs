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
    use convscope::ops::conv_transpose2d::{
        ConvTranspose2dGeometry, conv_transpose2d_direct, conv_transpose2d_gather, conv_transpose2d_scatter,
    };
    use convscope::ops::conv2d::{ConvArgs, shape4};
    use convscope::trace::Trace;
    let signature = ops::find_eval("conv_transpose2d").unwrap().signature;
    for case in golden_cases().iter().filter(|c| c.op == "conv_transpose2d") {
        let raw = Arg::parse(case.args.to_string().as_bytes()).unwrap();
        let args = Args::new(&raw, signature).unwrap();
        let x = args.tensor("input").unwrap().into_array4();
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
            let y = if scatter {
                conv_transpose2d_scatter(&x, &w, b.as_ref(), &g, Some(&mut trace))
            } else {
                conv_transpose2d_gather(&x, &w, b.as_ref(), &g, Some(&mut trace))
            };
            let got = serde_json::to_value(convscope::args::Answer::tensor4(y.clone(), false)).unwrap();
            assert_eq!(mismatch(&got, &case.expected, "output"), None, "{} scatter={scatter}", case.name);
            let out = trace.grids.len() - 1;
            assert_eq!(trace.replay(trace.steps.len()).values[out], y.iter().copied().collect::<Vec<_>>());
            if !scatter {
                // eval's direct sum equals the gather sweep to the bit.
                assert_eq!(conv_transpose2d_direct(&x, &w, b.as_ref(), &g), y, "{}", case.name);
            }
        }
    }
}
