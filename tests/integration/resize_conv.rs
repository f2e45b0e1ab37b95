//! `resize_conv2d` answers exactly what `conv2d` answers on `interpolate`'s answer: the new
//! operation against the composition of the two PyTorch-tested ones, refusals included.

use convscope::eval::answer_line;
use proptest::prelude::*;
use serde_json::{Value, json};

/// A nested list of `shape` from `values` in quarters.
fn tensor(shape: &[usize], values: &[i8]) -> Value {
    // Quarter steps make interpolation produce fractions, which sums then round.
    let flat: Vec<f32> = values.iter().map(|&v| f32::from(v) * 0.25).collect();
    let nest = |chunk: usize, items: Vec<Value>| -> Vec<Value> {
        items.chunks(chunk).map(|c| Value::Array(c.to_vec())).collect()
    };
    let mut items: Vec<Value> = flat.into_iter().map(|v| json!(v)).collect();
    for &dim in shape[1..].iter().rev() {
        items = nest(dim, items);
    }
    Value::Array(items)
}

fn ask(op: &str, args: &Value) -> Value {
    let (answer, _) = answer_line(json!({ "op": op, "args": args }).to_string());
    serde_json::from_str(&answer).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn resize_conv2d_is_interpolate_then_conv2d(
        (shape, weight_shape, values, weights, bias) in (1usize..=2, 1usize..=2, 1usize..=2, 1usize..=4, 1usize..=4, 1usize..=3, 1usize..=3, 1usize..=2)
            .prop_flat_map(|(n, groups, c, h, w, kh, kw, o)| {
                let (c_in, c_out) = (c * groups, o * groups);
                let shape = vec![n, c_in, h, w];
                let weight_shape = vec![c_out, c, kh, kw];
                (Just(shape.clone()), Just(weight_shape.clone()),
                 proptest::collection::vec(-8i8..8, n * c_in * h * w),
                 proptest::collection::vec(-8i8..8, c_out * c * kh * kw),
                 proptest::option::of(proptest::collection::vec(-8i8..8, c_out)))
            }),
        scale in prop_oneof![Just(json!(2)), Just(json!(1.5)), Just(json!([2, 3])), Just(json!(3)), Just(json!(0.5))],
        mode in prop_oneof![Just("nearest"), Just("bilinear")],
        align in proptest::option::of(any::<bool>()),
        stride in 1i64..=2, padding in prop_oneof![Just(json!(0)), Just(json!(1)), Just(json!([1, 2])), Just(json!("same")), Just(json!("valid"))],
        dilation in 1i64..=2,
    ) {
        let groups = shape[1] / weight_shape[1];
        let mut resize = json!({ "input": tensor(&shape, &values), "scale_factor": scale, "mode": mode });
        if let Some(a) = align {
            resize["align_corners"] = json!(a);
        }
        let mut conv = json!({ "weight": tensor(&weight_shape, &weights), "stride": stride, "padding": padding, "dilation": dilation, "groups": groups });
        if let Some(b) = &bias {
            conv["bias"] = Value::Array(b.iter().map(|&v| json!(f32::from(v) * 0.25)).collect());
        }
        let mut whole = resize.clone();
        whole.as_object_mut().unwrap().extend(conv.as_object().unwrap().clone());
        let direct = ask("resize_conv2d", &whole);
        let upsampled = ask("interpolate", &resize);
        let composed = match upsampled.get("output") {
            Some(u) => {
                conv["input"] = u.clone();
                ask("conv2d", &conv)
            }
            None => upsampled,
        };
        match (direct.get("output"), composed.get("output")) {
            (Some(a), Some(b)) => prop_assert_eq!(a, b),
            (None, None) => {}
            _ => prop_assert!(false, "one refuses, the other answers: {direct} vs {composed}"),
        }
    }
}
