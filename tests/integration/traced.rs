//! The traced code path (the page's) and the plain one (`convscope eval`'s) give the same
//! output bit for bit, for every eval operation, on random non-integer inputs: the page's
//! numbers are eval's numbers, and eval's are PyTorch's (see `golden.rs`).

use convscope::ops;
use convscope::ops::bilinear_additive::{bilinear_additive, bilinear_additive_traced, geometry};
use convscope::ops::compose::{Composite, Conv, Names};
use convscope::ops::conv_transpose2d::{ConvTranspose2dGeometry, View, conv_transpose2d, conv_transpose2d_traced};
use convscope::ops::conv2d::{Conv2dGeometry, ConvArgs, conv2d, conv2d_traced};
use convscope::ops::deform::{DeformGeometry, DeformInputs, deform_conv2d, deform_conv2d_traced};
use convscope::ops::interpolate::{InterpolateGeometry, Mode, interpolate, interpolate_traced};
use convscope::ops::pixel_shuffle::{Order, ShuffleGeometry, rearrange, rearrange_traced};
use convscope::ops::pool::{Pool, PoolGeometry, pool, pool_traced};
use convscope::ops::resize_conv::{ResizeConvGeometry, resize_conv2d};
use convscope::ops::roi::{Method, RoiArgs, roi_pooling, roi_pooling_traced};
use convscope::trace::{Grid, Role, Trace};
use ndarray::Array4;
use proptest::prelude::*;

/// Eval operations whose answer is an analysis, not a tensor a trace computes.
const ANALYSES: &[&str] = &["receptive_field", "path_counts", "hdc"];
/// Eval operations this file checks.
const CHECKED: &[&str] = &[
    "conv2d",
    "conv_transpose2d",
    "max_pool2d",
    "avg_pool2d",
    "interpolate",
    "pixel_shuffle",
    "pixel_unshuffle",
    "depth_to_space",
    "bilinear_additive_upsample",
    "deform_conv2d",
    "roi_align",
    "roi_pool",
    "deform_roi_pool",
    "resize_conv2d",
];

#[test]
fn every_eval_operation_is_checked_here() {
    for op in ops::eval_ops() {
        assert!(
            CHECKED.contains(&op.name) || ANALYSES.contains(&op.name),
            "eval operation {} has no traced-equals-eval check in traced.rs",
            op.name
        );
    }
}

/// Random values with fractions, so sums round and their order shows.
fn values(shape: [usize; 4]) -> impl Strategy<Value = Array4<f32>> {
    proptest::collection::vec(-4.0f32..4.0, shape.iter().product::<usize>())
        .prop_map(move |v| Array4::from_shape_vec(shape, v).unwrap())
}

fn bits(a: &Array4<f32>) -> Vec<u32> {
    a.iter().map(|v| v.to_bits()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn conv2d_traced_equals_eval(
        (x, w, b, s, p, d) in (1usize..=3, 1usize..=3, 1usize..=3).prop_flat_map(|(c, o, k)| (
            values([1, c, 6, 5]), values([o, c, k, k]), proptest::collection::vec(-2.0f32..2.0, o),
            1usize..=2, 0usize..=2, 1usize..=2))
    ) {
        let b = ndarray::Array1::from(b);
        let Ok(g) = Conv2dGeometry::new(dims(&x), dims(&w), Some(b.len()), ConvArgs::square(s, p, d, 1)) else { return Ok(()) };
        let (traced, _) = conv2d_traced(&x, &w, Some(&b), &g, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&conv2d(&x, &w, Some(&b), &g)));
    }

    #[test]
    fn conv_transpose2d_traced_equals_eval(
        (x, w, s, p, d) in (1usize..=2, 1usize..=2, 1usize..=3).prop_flat_map(|(c, o, k)| (
            values([1, c, 4, 3]), values([c, o, k, k]), 1usize..=3, 0usize..=2, 1usize..=2))
    ) {
        let Ok(g) = ConvTranspose2dGeometry::new(dims(&x), dims(&w), None, ConvArgs::square(s, p, d, 1), [0, 0]) else { return Ok(()) };
        let (traced, _) = conv_transpose2d_traced(View::Gather, &x, &w, None, &g, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&conv_transpose2d(&x, &w, None, &g)));
    }

    #[test]
    fn pooling_traced_equals_eval(
        x in values([1, 2, 6, 7]), k in 1usize..=3, s in 1usize..=3, p in 0usize..=1, ceil in any::<bool>(),
        kind in 0usize..4,
    ) {
        let kind = [
            Pool::Max,
            Pool::Avg { count_include_pad: true, divisor_override: None },
            Pool::Avg { count_include_pad: false, divisor_override: None },
            Pool::Avg { count_include_pad: true, divisor_override: Some(3) },
        ][kind];
        let Ok(g) = PoolGeometry::new(dims(&x), [k, k], [s, s], [p.min(k / 2); 2], [1, 1], ceil) else { return Ok(()) };
        let (traced, _) = pool_traced(kind, &x, &g, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&pool(kind, &x, &g).0));
    }

    #[test]
    fn interpolate_traced_equals_eval(
        x in values([1, 2, 4, 5]), mode in 0usize..5, scale in prop_oneof![Just(0.5), Just(1.5), Just(2.0), Just(3.0)],
        align in any::<bool>(),
    ) {
        let mode = [Mode::Nearest, Mode::NearestExact, Mode::Bilinear, Mode::Bicubic, Mode::Area][mode];
        let align = align && mode.interpolates();
        let Ok(g) = InterpolateGeometry::new(dims(&x), mode, None, Some([scale; 2]), align, false) else { return Ok(()) };
        let mut t = Trace::default();
        let input = t.add_grid(Grid::from_array("x", "x", Role::Input, &x));
        let output = t.add_grid(Grid::new("y", "y", Role::Output, g.output));
        let stage = t.add_stage("s", "s");
        let traced = interpolate_traced(&x, &g, &mut t, [input, output], stage);
        prop_assert_eq!(bits(&traced), bits(&interpolate(&x, &g)));
    }

    #[test]
    fn rearrangements_traced_equal_eval(x in values([1, 8, 2, 4]), crd in any::<bool>()) {
        let order = if crd { Order::Crd } else { Order::Dcr };
        let g = ShuffleGeometry::from_depth(dims(&x), 2, order, "upscale_factor").unwrap();
        let (traced, _) = rearrange_traced(&x, &g, true, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&rearrange(&x, &g, true)));
        let g = ShuffleGeometry::from_space(dims(&x), 2).unwrap();
        let (traced, _) = rearrange_traced(&x, &g, false, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&rearrange(&x, &g, false)));
    }

    #[test]
    fn bilinear_additive_traced_equals_eval(x in values([1, 4, 3, 4]), scale in 1usize..=3, group in 1usize..=2) {
        let (g, group) = geometry(dims(&x), scale as f64, group * 2).unwrap();
        let (traced, _) = bilinear_additive_traced(&x, &g, group, &mut Trace::default());
        prop_assert_eq!(bits(&traced), bits(&bilinear_additive(&x, &g, group)));
    }

    #[test]
    fn resize_conv2d_traced_equals_eval(
        x in values([1, 2, 3, 4]), w in values([2, 2, 3, 3]), bilinear in any::<bool>(), align in any::<bool>(),
        scale in 1usize..=3, p in 0usize..=2,
    ) {
        let mode = if bilinear { Mode::Bilinear } else { Mode::Nearest };
        let args = ConvArgs::square(1, p, 1, 1);
        let g = ResizeConvGeometry::new(dims(&x), (mode, [scale as f64; 2], align && bilinear), dims(&w), None, args).unwrap();
        // The page's composite: the resize pass, then the conv pass.
        let mut comp = Composite::new(&x);
        let up = comp.resize(comp.input, &g.resize, 0, Names::output(("u", "u")));
        let y = comp.conv(Conv::Plain, up, &w, args, 0, Names::new(("w", "w"), ("y", "y")).last()).unwrap();
        prop_assert_eq!(bits(comp.values(y)), bits(&resize_conv2d(&x, &w, None, &g)));
    }

    #[test]
    fn deform_conv2d_traced_equals_eval(
        x in values([1, 2, 5, 5]), w in values([2, 2, 3, 3]), offset in values([1, 18, 3, 3]),
        mask in proptest::option::of(values([1, 9, 3, 3])),
    ) {
        let conv = Conv2dGeometry::new(dims(&x), dims(&w), None, ConvArgs::square(1, 0, 1, 1)).unwrap();
        let g = DeformGeometry::new(conv, dims(&offset), mask.as_ref().map(dims)).unwrap();
        let m = mask.as_ref();
        let inputs = DeformInputs { x: &x, offset: &offset, mask: m, w: &w, b: None };
        let (traced, _) = deform_conv2d_traced(inputs, &g, &mut Trace::default(), false);
        prop_assert_eq!(bits(&traced), bits(&deform_conv2d(inputs, &g)));
    }

    #[test]
    fn roi_ops_traced_equal_eval(
        x in values([1, 2, 6, 7]), offset in values([1, 2, 2, 2]),
        (x1, y1, bw, bh) in (-1.0f64..5.0, -1.0f64..4.0, 0.2f64..6.0, 0.2f64..6.0),
        method in 0usize..4, ratio in 0i64..=2,
    ) {
        let method = [
            Method::Align { aligned: true },
            Method::Align { aligned: false },
            Method::Pool,
            Method::Deform { gamma: 0.1 },
        ][method];
        let args = RoiArgs { output_size: [2, 2], spatial_scale: 1.0, sampling_ratio: ratio, method };
        let roi = [0.0, x1, y1, x1 + bw, y1 + bh];
        let offset = matches!(method, Method::Deform { .. }).then_some(&offset);
        let (traced, _) = roi_pooling_traced(&x, &[roi], offset, args, &mut Trace::default()).unwrap();
        prop_assert_eq!(bits(&traced), bits(&roi_pooling(&x, &[roi], offset, args).unwrap()));
    }
}

fn dims(a: &Array4<f32>) -> [usize; 4] {
    convscope::ops::conv2d::shape4(a)
}
