//! Laws checked on random cases: output sizes follow PyTorch's formulas, transposed conv is
//! the adjoint of conv, and gather equals scatter.

use convscope::ops::conv_transpose2d::{ConvTranspose2dGeometry, View, conv_transpose2d, conv_transpose2d_traced};
use convscope::ops::conv2d::{Conv2dGeometry, ConvArgs, conv2d};
use ndarray::Array4;
use proptest::prelude::*;

/// A tensor of small integers, so every sum below is exact in f32.
fn ints(shape: [usize; 4]) -> impl Strategy<Value = Array4<f32>> {
    proptest::collection::vec(-3i8..=3, shape.iter().product::<usize>())
        .prop_map(move |v| Array4::from_shape_vec(shape, v.into_iter().map(f32::from).collect()).unwrap())
}

fn dot(a: &Array4<f32>, b: &Array4<f32>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum()
}

#[derive(Debug, Clone)]
struct Case {
    n: usize,
    groups: usize,
    c_in: usize,
    c_out: usize,
    h: usize,
    w: usize,
    k: [usize; 2],
    args: ConvArgs,
}

fn case() -> impl Strategy<Value = Case> {
    let channels = [1usize..=2, 1..=2, 1..=2, 1..=2];
    let sizes = [1usize..=9, 1..=9, 1..=4, 1..=4];
    let steps = [1usize..=3, 1..=3, 0..=3, 1..=3];
    (channels, sizes, steps).prop_map(|([n, groups, cig, cog], [h, w, kh, kw], [sh, sw, p, d])| Case {
        n,
        groups,
        c_in: cig * groups,
        c_out: cog * groups,
        h,
        w,
        k: [kh, kw],
        args: ConvArgs::new([sh, sw], [p, p], [d, d], groups),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn conv_output_size_follows_the_formula(c in case()) {
        let g = Conv2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_out, c.c_in / c.groups, c.k[0], c.k[1]], None, c.args);
        for axis in 0..2 {
            let (i, k) = ([c.h, c.w][axis] as i64, c.k[axis] as i64);
            let (s, p, d) = (c.args.stride[axis] as i64, c.args.padding[axis] as i64, c.args.dilation[axis] as i64);
            let numerator = i + 2 * p - d * (k - 1) - 1;
            if let Ok(g) = &g { prop_assert_eq!(g.output[2 + axis] as i64, numerator.div_euclid(s) + 1) }
        }
        // Refused exactly when some axis has no room for the dilated kernel.
        let fits = (0..2).all(|a| [c.h, c.w][a] + 2 * c.args.padding[a] > c.args.dilation[a] * (c.k[a] - 1));
        prop_assert_eq!(g.is_ok(), fits);
    }

    #[test]
    fn transposed_conv_output_size_follows_the_formula(c in case(), op in 0usize..3) {
        let g = ConvTranspose2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_in, c.c_out / c.groups, c.k[0], c.k[1]], None, c.args, [op, op]);
        let mut ok = true;
        for axis in 0..2 {
            let (i, k) = ([c.h, c.w][axis] as i64, c.k[axis] as i64);
            let (s, p, d) = (c.args.stride[axis] as i64, c.args.padding[axis] as i64, c.args.dilation[axis] as i64);
            let expected = (i - 1) * s - 2 * p + d * (k - 1) + op as i64 + 1;
            ok &= expected >= 1 && ((op as i64) < s || (op as i64) < d);
            if let Ok(g) = &g {
                prop_assert_eq!(g.output[2 + axis] as i64, expected);
            }
        }
        prop_assert_eq!(g.is_ok(), ok);
    }

    /// ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩ with the same weight, for every stride, padding,
    /// dilation and grouping (output_padding recovers the input size).
    #[test]
    fn transposed_conv_is_the_adjoint_of_conv((c, x, w, y) in case().prop_flat_map(|c| {
        let g = Conv2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_out, c.c_in / c.groups, c.k[0], c.k[1]], None, c.args);
        let out = g.map(|g| g.output).unwrap_or([c.n, c.c_out, 1, 1]);
        (Just(c.clone()), ints([c.n, c.c_in, c.h, c.w]), ints([c.c_out, c.c_in / c.groups, c.k[0], c.k[1]]), ints(out))
    })) {
        let Ok(g) = Conv2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_out, c.c_in / c.groups, c.k[0], c.k[1]], None, c.args) else {
            return Ok(());
        };
        let output_padding = [0, 1].map(|a| {
            ([c.h, c.w][a] + 2 * c.args.padding[a] - c.args.dilation[a] * (c.k[a] - 1) - 1) % c.args.stride[a]
        });
        let gt = ConvTranspose2dGeometry::new(g.output, g.weight, None, c.args, output_padding).unwrap();
        prop_assert_eq!(gt.output, g.input);
        let conv_x = conv2d(&x, &w, None, &g);
        let convt_y = conv_transpose2d(&y, &w, None, &gt);
        prop_assert_eq!(dot(&conv_x, &y), dot(&x, &convt_y));
    }

    #[test]
    fn gather_equals_scatter((c, op, x, w, b) in (case(), 0usize..3).prop_flat_map(|(c, op)| {
        (Just(c.clone()), Just(op), ints([c.n, c.c_in, c.h, c.w]), ints([c.c_in, c.c_out / c.groups, c.k[0], c.k[1]]),
         proptest::collection::vec(-3i8..=3, c.c_out))
    })) {
        let Ok(g) = ConvTranspose2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_in, c.c_out / c.groups, c.k[0], c.k[1]], Some(c.c_out), c.args, [op, op]) else {
            return Ok(());
        };
        let b = ndarray::Array1::from_iter(b.into_iter().map(f32::from));
        let gather = conv_transpose2d_traced(View::Gather, &x, &w, Some(&b), &g, &mut Default::default()).0;
        prop_assert_eq!(&gather, &conv_transpose2d_traced(View::Scatter, &x, &w, Some(&b), &g, &mut Default::default()).0);
        prop_assert_eq!(&gather, &conv_transpose2d(&x, &w, Some(&b), &g));
    }
}

/// An independent, deliberately plain conv2d: explicit zero padding, then the definition.
fn reference_conv2d(x: &Array4<f32>, w: &Array4<f32>, args: ConvArgs) -> Array4<f32> {
    let (n, c_in, h, wd) = x.dim();
    let (c_out, cig, kh, kw) = w.dim();
    let [p0, p1] = args.padding;
    let mut padded = Array4::<f32>::zeros((n, c_in, h + 2 * p0, wd + 2 * p1));
    padded.slice_mut(ndarray::s![.., .., p0..p0 + h, p1..p1 + wd]).assign(x);
    let oh = (h + 2 * p0 - args.dilation[0] * (kh - 1) - 1) / args.stride[0] + 1;
    let ow = (wd + 2 * p1 - args.dilation[1] * (kw - 1) - 1) / args.stride[1] + 1;
    let cog = c_out / args.groups;
    Array4::from_shape_fn((n, c_out, oh, ow), |(i, o, r, c)| {
        let mut sum = 0.0;
        for j in 0..cig {
            for a in 0..kh {
                for b in 0..kw {
                    sum += padded[[
                        i,
                        (o / cog) * cig + j,
                        r * args.stride[0] + a * args.dilation[0],
                        c * args.stride[1] + b * args.dilation[1],
                    ]] * w[[o, j, a, b]];
                }
            }
        }
        sum
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn conv2d_equals_a_plain_reference((c, x, w) in case().prop_flat_map(|c| {
        (Just(c.clone()), ints([c.n, c.c_in, c.h, c.w]), ints([c.c_out, c.c_in / c.groups, c.k[0], c.k[1]]))
    })) {
        let Ok(g) = Conv2dGeometry::new([c.n, c.c_in, c.h, c.w], [c.c_out, c.c_in / c.groups, c.k[0], c.k[1]], None, c.args) else {
            return Ok(());
        };
        prop_assert_eq!(conv2d(&x, &w, None, &g), reference_conv2d(&x, &w, c.args));
    }
}

mod upsampling {
    //! Laws of the depth ↔ space rearrangements and of bilinear sampling.

    use super::ints;
    use convscope::ops::interpolate::{InterpolateGeometry, Mode, bilinear_sample};
    use convscope::ops::pixel_shuffle::{Order, ShuffleGeometry, rearrange};
    use ndarray::Array4;
    use proptest::prelude::*;

    fn shuffle_case() -> impl Strategy<Value = (usize, Array4<f32>)> {
        (1usize..=3, 1usize..=3, 1usize..=4, 1usize..=4)
            .prop_flat_map(|(r, c, h, w)| (Just(r), ints([1, c * r * r, h, w])))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        #[test]
        fn pixel_shuffle_then_unshuffle_is_the_identity_both_ways((r, x) in shuffle_case()) {
            let dims = x.shape().to_vec();
            let depth = ShuffleGeometry::from_depth([dims[0], dims[1], dims[2], dims[3]], r, Order::Crd, "upscale_factor").unwrap();
            let space = rearrange(&x, &depth, true);
            let s = space.shape().to_vec();
            let back = ShuffleGeometry::from_space([s[0], s[1], s[2], s[3]], r).unwrap();
            prop_assert_eq!(&rearrange(&space, &back, false), &x);
            // And the other way round, starting from the space side.
            prop_assert_eq!(rearrange(&rearrange(&space, &back, false), &depth, true), space);
        }

        /// DCR of x equals CRD of x with its channels permuted: channel (i·r + j)·C + c of
        /// x becomes channel c·r² + i·r + j.
        #[test]
        fn dcr_and_crd_differ_only_by_a_channel_permutation((r, x) in shuffle_case()) {
            let dims = x.shape().to_vec();
            let shape = [dims[0], dims[1], dims[2], dims[3]];
            let c = dims[1] / (r * r);
            let mut permuted = Array4::<f32>::zeros(shape);
            for ch in 0..c {
                for i in 0..r {
                    for j in 0..r {
                        let dcr = (i * r + j) * c + ch;
                        let crd = ch * r * r + i * r + j;
                        permuted.slice_mut(ndarray::s![.., crd, .., ..]).assign(&x.slice(ndarray::s![.., dcr, .., ..]));
                    }
                }
            }
            let dcr = ShuffleGeometry::from_depth(shape, r, Order::Dcr, "block_size").unwrap();
            let crd = ShuffleGeometry::from_depth(shape, r, Order::Crd, "block_size").unwrap();
            prop_assert_eq!(rearrange(&x, &dcr, true), rearrange(&permuted, &crd, true));
        }

        #[test]
        fn bilinear_weights_of_each_output_cell_sum_to_one(
            h in 1usize..=6, w in 1usize..=6, oh in 1usize..=13, ow in 1usize..=13, align in any::<bool>(),
        ) {
            let g = InterpolateGeometry::new([1, 1, h, w], Mode::Bilinear, Some([oh, ow]), None, align, false).unwrap();
            let x = Array4::<f32>::ones((1, 1, h, w));
            for r in 0..oh {
                for q in 0..ow {
                    let (row, col) = (g.source_index(0, r), g.source_index(1, q));
                    // Never before the first cell; past the last one only by less than a cell
                    // (align_corners=False at the far edge, where PyTorch clamps the corner).
                    prop_assert!(row >= 0.0 && row < h as f64 && col >= 0.0 && col < w as f64);
                    let (value, corners) = bilinear_sample(&x, 0, 0, row, col);
                    let total: f32 = corners.iter().map(|(_, weight)| weight).sum();
                    prop_assert!((total - 1.0).abs() < 1e-6, "weights sum to {total}");
                    prop_assert!((value - 1.0).abs() < 1e-6, "a constant map must stay constant, got {value}");
                }
            }
        }
    }
}

mod separable {
    //! Separable compositions equal the full operator with the outer-product kernel.

    use super::ints;
    use convscope::ops::conv_transpose2d::{ConvTranspose2dGeometry, View, conv_transpose2d_traced};
    use convscope::ops::conv2d::{Conv2dGeometry, ConvArgs, conv2d, shape4};
    use convscope::ops::separable::outer;
    use ndarray::Array4;
    use proptest::prelude::*;

    fn conv(x: &Array4<f32>, w: &Array4<f32>, args: ConvArgs) -> Option<Array4<f32>> {
        Conv2dGeometry::new(shape4(x), shape4(w), None, args).ok().map(|g| conv2d(x, w, None, &g))
    }

    fn convt(x: &Array4<f32>, w: &Array4<f32>, args: ConvArgs) -> Option<Array4<f32>> {
        ConvTranspose2dGeometry::new(shape4(x), shape4(w), None, args, [0, 0])
            .ok()
            .map(|g| conv_transpose2d_traced(View::Scatter, x, w, None, &g, &mut Default::default()).0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        /// conv(conv(x, a; k×1), b; 1×k) = conv(x, a·b; k×k), depthwise, for any stride and padding.
        #[test]
        fn spatially_separable_equals_its_outer_product(
            (c, _k, s, p, x, a, b) in (1usize..=2, 1usize..=4, 1usize..=3, 0usize..=2, 1usize..=7, 1usize..=7)
                .prop_flat_map(|(c, k, s, p, h, w)| (Just(c), Just(k), Just(s), Just(p), ints([1, c, h, w]), ints([c, 1, k, 1]), ints([c, 1, 1, k])))
        ) {
            let column = ConvArgs::new([s, 1], [p, 0], [1, 1], c);
            let row = ConvArgs::new([1, s], [0, p], [1, 1], c);
            let full = ConvArgs::new([s, s], [p, p], [1, 1], c);
            let separable = conv(&x, &a, column).and_then(|t| conv(&t, &b, row));
            prop_assert_eq!(separable, conv(&x, &outer(&a, &b), full));
        }

        /// convᵀ(convᵀ(x, a; k×1, stride (s,1)), b; 1×k depthwise, stride (1,s)) = convᵀ(x, W)
        /// with W[ci, co] = a[ci, co] ⊗ b[co]: the decomposition with a rank-1 kernel is exact.
        #[test]
        fn decomposed_transposed_conv_equals_the_full_one_for_rank_one_kernels(
            (ci, co, k, s, p, x, a, b) in (1usize..=2, 1usize..=2, 1usize..=4, 1usize..=3, 0usize..=2, 1usize..=5, 1usize..=5)
                .prop_flat_map(|(ci, co, k, s, p, h, w)| (Just(ci), Just(co), Just(k), Just(s), Just(p), ints([1, ci, h, w]), ints([ci, co, k, 1]), ints([co, 1, 1, k])))
        ) {
            let full_kernel = Array4::from_shape_fn((ci, co, k, k), |(i, o, r, q)| a[[i, o, r, 0]] * b[[o, 0, 0, q]]);
            let rows = ConvArgs::new([s, 1], [p, 0], [1, 1], 1);
            let cols = ConvArgs::new([1, s], [0, p], [1, 1], co);
            let both = ConvArgs::new([s, s], [p, p], [1, 1], 1);
            let decomposed = convt(&x, &a, rows).and_then(|t| convt(&t, &b, cols));
            prop_assert_eq!(decomposed, convt(&x, &full_kernel, both));
        }
    }
}

mod checkerboard {
    //! The overlap map of a transposed conv (all-ones input and kernel) is constant away from
    //! the borders exactly when the stride divides the kernel size and is coprime with the
    //! dilation (for dilation 1: when k is a multiple of s), or the stride is 1.

    use convscope::ops::checkerboard::{Setting, upsample};
    use ndarray::Array4;
    use proptest::prelude::*;

    fn gcd(a: usize, b: usize) -> usize {
        if b == 0 { a } else { gcd(b, a % b) }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        #[test]
        fn transposed_conv_overlap_is_even_exactly_when_the_stride_divides_the_kernel(
            k in 1usize..=7, s in 1usize..=4, d in 1usize..=3,
        ) {
            // Just large enough that the interior (a kernel span in from each side of the s·n
            // map) holds at least two full periods.
            let n = 2 * d * k / s + 4;
            let map = upsample(0, &Array4::ones((1, 1, n, n)), Setting { k, s, d }, 1, false).unwrap();
            let side = map.shape()[2];
            let margin = d * (k - 1);
            let inner = margin..side - margin;
            prop_assert!(inner.len() >= 2 * s);
            let interior: Vec<f32> =
                inner.clone().flat_map(|r| inner.clone().map(move |q| (r, q))).map(|(r, q)| map[[0, 0, r, q]]).collect();
            let even = interior.iter().all(|&v| v == interior[0]);
            prop_assert_eq!(even, s == 1 || (k % s == 0 && gcd(d, s) == 1), "k={} s={} d={} row={:?}", k, s, d, interior);
        }
    }

    #[test]
    fn the_other_four_methods_are_even_inside() {
        for (k, s) in [(3, 2), (4, 3), (5, 2)] {
            for method in 1..5 {
                let map = upsample(method, &Array4::ones((1, 1, 12, 12)), Setting { k, s, d: 1 }, 2, false).unwrap();
                let side = map.shape()[2];
                // The first layer's border is magnified by the second layer's stride.
                let margin = k * s * s;
                let row: Vec<f32> = (margin..side - margin).map(|q| map[[0, 0, side / 2, q]]).collect();
                assert!(
                    row.len() > 2 && row.iter().all(|&v| (v - row[0]).abs() < 1e-4),
                    "method {method}, k={k}, s={s}: {row:?}"
                );
            }
        }
    }
}

mod stacks {
    //! Receptive-field formula versus path counts, on random stacks.

    use convscope::analysis::{Layer, fields, path_counts, path_counts_1d};
    use proptest::prelude::*;

    fn layer() -> impl Strategy<Value = Layer> {
        (any::<bool>(), 1usize..=4, 1usize..=2, 0usize..=2, 1usize..=3)
            .prop_map(|(pool, k, s, p, d)| if pool { Layer::pool(k, s, p.min(k / 2)) } else { Layer::conv(k, s, p, d) })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(150))]

        /// On an input wide enough that nothing is clipped, the non-zero path counts of an
        /// output cell span exactly x·S − P … x·S − P + r − 1, and they sum to Π kₗ (1-D).
        #[test]
        fn formula_and_path_counts_agree(layers in proptest::collection::vec(layer(), 1..=5)) {
            let f = *fields(&layers).last().unwrap();
            // Room for the field on both sides of a middle output cell.
            let input = 4 * (f.size as usize + f.stride as usize + f.padding as usize) + 8;
            let out = {
                let mut n = input;
                for l in &layers { n = l.out_len(n).unwrap(); }
                n / 2
            };
            let counts = path_counts_1d(&layers, input, out).unwrap();
            let first = counts.iter().position(|&c| c > 0.0).unwrap() as f64;
            let last = counts.iter().rposition(|&c| c > 0.0).unwrap() as f64;
            let start = out as f64 * f.stride - f.padding;
            prop_assert_eq!((first, last), (start, start + f.size - 1.0));
            let taps: f64 = layers.iter().map(|l| l.kernel_size as f64).product();
            prop_assert_eq!(counts.iter().sum::<f64>(), taps);
            // In 2-D the map is the outer product, so it sums to (Π kₗ)².
            let (rows, cols) = path_counts(&layers, [input, input], [out, out]).unwrap();
            let total: f64 = rows.iter().map(|r| cols.iter().map(|c| r * c).sum::<f64>()).sum();
            prop_assert_eq!(total, taps * taps);
        }
    }

    #[test]
    fn hdc_verdicts_of_the_paper() {
        use convscope::analysis::hdc::rule;
        assert!(rule(&[1, 2, 5], 3).pass);
        for rates in [[1, 2, 9], [2, 2, 2], [2, 4, 8]] {
            assert!(!rule(&rates, 3).pass, "{rates:?}");
        }
    }
}

mod hdc {
    //! The gridding verdict the page shows is the path-count map's: checked against an
    //! independent count of the offsets a group of dilated taps can reach.

    use std::collections::BTreeSet;

    use convscope::analysis::hdc::{Report, suggest};
    use convscope::ops::{self, Edits};
    use convscope::params::Params;
    use proptest::prelude::*;

    /// The field and the holes of an interior pixel through stride-1 layers at `rates`:
    /// the offsets Σ tₗ·rₗ (0 ≤ tₗ < K) it reaches, across 0 … (K − 1)·Σ rₗ.
    fn reach(rates: &[u64], k: u64) -> (usize, usize) {
        let mut reached = BTreeSet::from([0u64]);
        for &r in rates {
            reached = reached.iter().flat_map(|a| (0..k).map(move |t| a + t * r)).collect();
        }
        let field = (k - 1) * rates.iter().sum::<u64>() + 1;
        (field as usize, field as usize - reached.len())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_verdict_is_the_maps_and_suggestions_have_no_holes(
            rates in proptest::collection::vec(1u64..=9, 1..=4),
            k in proptest::sample::select(vec![3u64, 5]),
        ) {
            let (field, holes) = reach(&rates, k);
            let report = Report::new(&rates, k).unwrap();
            prop_assert_eq!((report.map.field, report.map.holes), (field, holes));
            // eval's hdc op answers the map's verdict with the paper's M values.
            let request = serde_json::json!({"op": "hdc", "args": {"dilations": rates, "kernel_size": k}}).to_string();
            let (answer, ok) = convscope::eval::answer_line(&request);
            let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
            prop_assert!(ok);
            prop_assert_eq!(&answer["output"]["gridding"], &serde_json::json!(holes > 0));
            prop_assert_eq!(&answer["output"]["max_distance"], &serde_json::json!(report.rule.m));
            // A suggested schedule has the same field and no holes.
            if let Some(s) = suggest(&rates, k) {
                prop_assert_eq!(reach(&s, k), (field, 0));
            }
            // The page shows the map's verdict for a stack of these rates.
            let op = ops::find("receptive_field").unwrap();
            let layers: Vec<String> = rates.iter().map(|r| format!("c{k}p{}d{r}", r * (k - 1) / 2)).collect();
            let mut params = Params::defaults(op.schema);
            params.set("preset", "custom").unwrap();
            params.set("layers", &layers.join(",")).unwrap();
            params.set("hdc_group", &rates.len().to_string()).unwrap();
            params.set("input_size", "200").unwrap();
            let run = op.run(&params, &Edits::new()).unwrap();
            let verdict = if holes > 0 { "→ gridding" } else { "→ no gridding" };
            let facts: Vec<String> = run.facts.iter().map(|f| f.en()).collect();
            let line = facts.iter().find(|f| f.starts_with("map of one interior output pixel")).unwrap();
            prop_assert!(line.ends_with(verdict), "{line}, expected {verdict}");
            prop_assert!(line.contains(&format!(": {holes} of the {field} cells")), "{line}");
            // Where the rule disagrees with the map, the page says so.
            let disagree = report.rule.pass == (holes > 0) || (!report.rule.pass && holes == 0 && report.rule.common_factor.is_none());
            prop_assert_eq!(facts.iter().any(|f| f.contains(", yet the map has")), disagree, "{:?}", run.facts);
        }
    }
}

mod shift_and_stitch {
    //! FCN's shift-and-stitch equals the à trous filter.

    use super::ints;
    use convscope::ops::shift_and_stitch::{a_trous, shift_and_stitch};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        #[test]
        fn shift_and_stitch_equals_the_dilated_filter(
            (f, x, w) in (1usize..=3, 0usize..=2, 3usize..=9, 3usize..=9)
                .prop_flat_map(|(f, half, h, wd)| (Just(f), ints([1, 1, h.max(f), wd.max(f)]), ints([1, 1, 2 * half + 1, 2 * half + 1])))
        ) {
            prop_assert_eq!(shift_and_stitch(&x, &w, f).unwrap(), a_trous(&x, &w, f).unwrap());
        }
    }
}

mod deformable {
    //! Deformable conv and RoI pooling against their plain counterparts.

    use super::ints;
    use convscope::ops::conv2d::{Conv2dGeometry, ConvArgs, conv2d, shape4};
    use convscope::ops::deform::{DeformGeometry, DeformInputs, deform_conv2d, sample};
    use convscope::ops::roi::{Method, RoiArgs, roi_pooling};
    use ndarray::Array4;
    use proptest::prelude::*;

    fn case() -> impl Strategy<Value = (ConvArgs, Array4<f32>, Array4<f32>)> {
        (1usize..=2, 0usize..=2, 1usize..=2, 1usize..=3, 3usize..=7, 3usize..=7).prop_flat_map(|(s, p, d, k, h, w)| {
            (Just(ConvArgs::square(s, p, d, 1)), ints([1, 1, h, w]), ints([1, 1, k, k]))
        })
    }

    fn deform(
        x: &Array4<f32>,
        w: &Array4<f32>,
        args: ConvArgs,
        offset: impl Fn(usize, usize, usize) -> f32,
        mask: bool,
    ) -> Option<Array4<f32>> {
        let conv = Conv2dGeometry::new(shape4(x), shape4(w), None, args).ok()?;
        let [_, _, ho, wo] = conv.output;
        let taps = w.shape()[2] * w.shape()[3];
        let off = Array4::from_shape_fn((1, 2 * taps, ho, wo), |(_, ch, r, q)| offset(ch, r, q));
        let m = mask.then(|| Array4::<f32>::ones((1, taps, ho, wo)));
        let g = DeformGeometry::new(conv, shape4(&off), m.as_ref().map(shape4)).unwrap();
        Some(deform_conv2d(DeformInputs { x, offset: &off, mask: m.as_ref(), w, b: None }, &g))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        #[test]
        fn zero_offsets_and_a_ones_mask_give_conv2d((args, x, w) in case(), mask in any::<bool>()) {
            let Ok(g) = Conv2dGeometry::new(shape4(&x), shape4(&w), None, args) else { return Ok(()) };
            prop_assert_eq!(deform(&x, &w, args, |_, _, _| 0.0, mask).unwrap(), conv2d(&x, &w, None, &g));
        }

        /// A constant integer offset (dy, dx) on every tap reads x shifted by (dy, dx), zeros
        /// coming in from outside: a plain conv (no padding) of the padded input shifted so.
        #[test]
        fn integer_offsets_shift_the_input((args, x, w) in case(), dy in -2i32..=2, dx in -2i32..=2) {
            let Ok(g) = Conv2dGeometry::new(shape4(&x), shape4(&w), None, args) else { return Ok(()) };
            let (h, wd, p) = (x.shape()[2] as i32, x.shape()[3] as i32, args.padding[0] as i32);
            let shifted = Array4::from_shape_fn((1, 1, (h + 2 * p) as usize, (wd + 2 * p) as usize), |(i, c, r, q)| {
                let (rr, qq) = (r as i32 - p + dy, q as i32 - p + dx);
                if (0..h).contains(&rr) && (0..wd).contains(&qq) { x[[i, c, rr as usize, qq as usize]] } else { 0.0 }
            });
            let plain = ConvArgs { padding: [0, 0], ..args };
            let g_shifted = Conv2dGeometry::new(shape4(&shifted), shape4(&w), None, plain).unwrap();
            prop_assert_eq!(g_shifted.output, g.output);
            let got = deform(&x, &w, args, |ch, _, _| if ch % 2 == 0 { dy as f32 } else { dx as f32 }, false).unwrap();
            prop_assert_eq!(got, conv2d(&shifted, &w, None, &g_shifted));
        }

        #[test]
        fn zero_offsets_make_deform_roi_pool_equal_roi_align_aligned(
            x in ints([1, 2, 6, 7]),
            (x1, y1, bw, bh) in (0.0f64..5.0, 0.0f64..5.0, 0.5f64..6.0, 0.5f64..6.0),
            bins in 1usize..=3, ratio in 0i64..=3,
        ) {
            let roi = [0.0, x1, y1, x1 + bw, y1 + bh];
            let zero = Array4::<f32>::zeros((1, 2, bins, bins));
            let args = |method| RoiArgs { output_size: [bins, bins], spatial_scale: 1.0, sampling_ratio: ratio, method };
            let deformed = roi_pooling(&x, &[roi], Some(&zero), args(Method::Deform { gamma: 0.1 })).unwrap();
            let aligned = roi_pooling(&x, &[roi], None, args(Method::Align { aligned: true })).unwrap();
            prop_assert_eq!(deformed, aligned);
        }

        #[test]
        fn bilinear_weights_sum_to_one_inside_the_map(h in 1usize..=6, w in 1usize..=6, y in -0.99f32..6.0, x in -0.99f32..6.0) {
            let (_, corners) = sample(|_, _| 1.0, [h, w], [y, x]);
            let inside = y >= 0.0 && y <= (h - 1) as f32 && x >= 0.0 && x <= (w - 1) as f32;
            let total: f32 = corners.iter().flatten().map(|c| c.2).sum();
            if inside {
                prop_assert!((total - 1.0).abs() < 1e-5, "{total}");
                prop_assert!((sample(|_, _| 1.0, [h, w], [y, x]).0 - 1.0).abs() < 1e-5);
            }
        }
    }
}
