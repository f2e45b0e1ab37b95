//! Every count the page states beside the picture (weights with their bias, multiply-adds,
//! products that read padding or inserted zeros, samples, cells moved, windows' coverage) is
//! counted from the trace by `convscope::counts`; here each is checked against an independent
//! count from the operator's parameters, for every operator that states one, at random
//! settings from its own schema.

use convscope::counts::{Work, group_digits, products_text};
use convscope::ops::{self, Edits};
use convscope::params::Params;
use proptest::prelude::*;

use crate::replay::any_setting;

/// Per axis: how many (output, tap) pairs of a sweep read the input, of `taps` in all:
/// output `o` reads position `o·s + t·d − p` for tap `t`.
fn sweep(size: usize, out: usize, k: usize, s: usize, p: usize, d: usize) -> (usize, usize) {
    let inside = (0..out)
        .flat_map(|o| (0..k).map(move |t| (o * s + t * d) as isize - p as isize))
        .filter(|&pos| pos >= 0 && (pos as usize) < size)
        .count();
    (inside, out * k)
}

fn conv_out(size: usize, k: usize, s: usize, p: usize, d: usize) -> usize {
    (size + 2 * p - d * (k - 1) - 1) / s + 1
}

/// The multiply-adds of a conv (products on data and on padding), as the facts write them.
#[allow(clippy::too_many_arguments)]
fn conv_work(hw: [usize; 2], k: [usize; 2], s: [usize; 2], p: [usize; 2], d: [usize; 2], factor: usize) -> Work {
    let out = [0, 1].map(|a| conv_out(hw[a], k[a], s[a], p[a], d[a]));
    let (rows, cols) = (sweep(hw[0], out[0], k[0], s[0], p[0], d[0]), sweep(hw[1], out[1], k[1], s[1], p[1], d[1]));
    let products = rows.0 * cols.0 * factor;
    Work { products, padding: rows.1 * cols.1 * factor - products, ..Work::default() }
}

/// Per axis of a transposed conv: how many (input, tap) stamps land inside the output.
fn landing(size: usize, k: usize, s: usize, p: usize, d: usize, out: usize) -> usize {
    (0..size)
        .flat_map(|i| (0..k).map(move |t| (i * s + t * d) as isize - p as isize))
        .filter(|&pos| pos >= 0 && (pos as usize) < out)
        .count()
}

fn t_out(size: usize, k: usize, s: usize, p: usize, d: usize, op: usize) -> usize {
    (size - 1) * s + d * (k - 1) + op + 1 - 2 * p
}

fn has(facts: &[String], text: &str) -> Result<(), TestCaseError> {
    prop_assert!(facts.iter().any(|f| f.contains(text)), "facts {facts:#?} do not state “{text}”");
    Ok(())
}

/// The independent counts of one operator's facts.
fn check(name: &str, params: &Params, facts: &[String]) -> Result<(), TestCaseError> {
    let v = |name: &str| {
        let name = match name {
            "in_channels_or_channels" if params.spec("in_channels").is_some() => "in_channels",
            "in_channels_or_channels" => "channels",
            other => other,
        };
        params.usize(name)
    };
    let v2 = |name: &str| params.pair(name);
    let choice = |name: &str| params.choice(name).to_string();
    match name {
        "conv2d" => {
            let (c_in, c_out, g, k) = (v("in_channels"), v("out_channels"), v("groups"), v2("kernel_size"));
            let bias = if choice("bias") == "on" { format!(" + {c_out} bias") } else { String::new() };
            let weights = group_digits(c_out * (c_in / g) * k[0] * k[1]);
            has(facts, &format!("weights: {c_out}·{}·{}·{} = {weights}{bias}", c_in / g, k[0], k[1]))?;
            let (s, d) = (v2("stride"), v2("dilation"));
            let hw = [v("height"), v("width")];
            let factor = c_out * (c_in / g);
            let work = match params.pair_or_word("padding") {
                Ok(p) => conv_work(hw, k, s, p, d, factor),
                Err("valid") => conv_work(hw, k, s, [0, 0], d, factor),
                // "same": the output has the input's size; of d(k − 1) zeros per axis the
                // smaller half comes first.
                Err(_) => {
                    let axis = |a: usize| {
                        let before = d[a] * (k[a] - 1) / 2;
                        (0..hw[a])
                            .flat_map(|o| (0..k[a]).map(move |t| (o + t * d[a]) as isize - before as isize))
                            .filter(|&pos| pos >= 0 && (pos as usize) < hw[a])
                            .count()
                    };
                    let products = axis(0) * axis(1) * factor;
                    Work { products, padding: hw[0] * hw[1] * k[0] * k[1] * factor - products, ..Work::default() }
                }
            };
            has(facts, &format!("multiply-adds: {}", products_text(&work)))
        }
        "resize_conv2d" => {
            let [c_in, c_out, k, p, s, h, w] =
                ["in_channels", "out_channels", "kernel_size", "padding", "scale_factor", "height", "width"].map(v);
            has(
                facts,
                &format!("weights: C_out·C_in·k² = {c_out}·{c_in}·{k}² = {}", group_digits(c_out * c_in * k * k)),
            )?;
            let (hu, wu) = (h * s, w * s);
            let resize = match choice("mode").as_str() {
                "bilinear" => format!("resize: {} bilinear samples (", group_digits(c_in * hu * wu)),
                _ => format!("resize: {} copies; ", group_digits(c_in * hu * wu)),
            };
            has(facts, &resize)?;
            let conv = conv_work([hu, wu], [k, k], [1, 1], [p, p], [1, 1], c_in * c_out);
            has(facts, &format!("conv multiply-adds: {}", products_text(&conv)))?;
            // Output cells whose k×k window lies inside the upsampled grid.
            let inside = |size: usize| (0..size + 2 * p + 1 - k).filter(|&o| o >= p && o + k <= size + p).count();
            let (interior, total) =
                (inside(hu) * inside(wu) * c_out, conv_out(hu, k, 1, p, 1) * conv_out(wu, k, 1, p, 1) * c_out);
            if interior > 0 {
                has(facts, &format!("sums {} products of data ({interior} of {total}): even", k * k * c_in))
            } else {
                has(facts, "every window reaches into the padding")
            }
        }
        "conv_transpose2d" => {
            let (c_in, c_out, g, k) = (v("in_channels"), v("out_channels"), v("groups"), v2("kernel_size"));
            let (s, p, d, op) = (v2("stride"), v2("padding"), v2("dilation"), v2("output_padding"));
            let hw = [v("height"), v("width")];
            let bias = if choice("bias") == "on" { format!(" + {c_out} bias") } else { String::new() };
            let weights = group_digits(c_in * (c_out / g) * k[0] * k[1]);
            has(facts, &format!("weights: {c_in}·{}·{}·{} = {weights}{bias}", c_out / g, k[0], k[1]))?;
            let out = [0, 1].map(|a| t_out(hw[a], k[a], s[a], p[a], d[a], op[a]));
            let factor = c_in * (c_out / g);
            let products = (0..2).map(|a| landing(hw[a], k[a], s[a], p[a], d[a], out[a])).product::<usize>() * factor;
            if choice("view") == "scatter" {
                has(facts, &format!("multiply-adds: {}", group_digits(products)))?;
                let stamped = hw[0] * hw[1] * k[0] * k[1] * factor;
                if stamped > products {
                    let cropped =
                        format!("{} of the {} stamped", group_digits(stamped - products), group_digits(stamped));
                    has(facts, &cropped)?;
                }
                return Ok(());
            }
            // Gather: the flipped kernel sweeps every output cell; per axis a tap reads the
            // zero-inserted input at z = o + t·d, padded by q = d(k − 1) − p.
            let axis = |a: usize| {
                let q = (d[a] * (k[a] - 1)) as isize - p[a] as isize;
                let (mut padding, mut inserted, mut data) = (0, 0, 0);
                for o in 0..out[a] {
                    for t in 0..k[a] {
                        let u = (o + t * d[a]) as isize - q;
                        if u < 0 || u > ((hw[a] - 1) * s[a]) as isize {
                            padding += 1;
                        } else if !(u as usize).is_multiple_of(s[a]) {
                            inserted += 1;
                        } else {
                            data += 1;
                        }
                    }
                }
                (padding, inserted, data, out[a] * k[a])
            };
            let (rows, cols) = (axis(0), axis(1));
            let not_padding = (rows.3 - rows.0) * (cols.3 - cols.0);
            let work = Work {
                products: rows.2 * cols.2 * factor,
                padding: (rows.3 * cols.3 - not_padding) * factor,
                inserted: (not_padding - rows.2 * cols.2) * factor,
                ..Work::default()
            };
            // The gather view performs exactly the scatter's landing products.
            prop_assert_eq!(work.products, products);
            has(facts, &format!("multiply-adds: {}", products_text(&work)))
        }
        "max_pool2d" | "avg_pool2d" => {
            let hw = [v("height"), v("width")];
            let (kk, ss, pp) = (v2("kernel_size"), v2("stride"), v2("padding"));
            let dd = if name == "max_pool2d" { v2("dilation") } else { [1, 1] };
            let ceil = choice("ceil_mode") == "true";
            // PyTorch's output size, then how many windows read each input cell.
            let out = |a: usize| {
                let [size, k, s, p, d] = [hw[a], kk[a], ss[a], pp[a], dd[a]].map(|v| v as isize);
                let mut o = (size + 2 * p - d * (k - 1) - 1 + if ceil { s - 1 } else { 0 }).div_euclid(s) + 1;
                if ceil && (o - 1) * s >= size + p {
                    o -= 1;
                }
                o as usize
            };
            let reads = |a: usize| -> Vec<usize> {
                let mut count = vec![0; hw[a]];
                for o in 0..out(a) {
                    for t in 0..kk[a] {
                        let pos = (o * ss[a] + t * dd[a]) as isize - pp[a] as isize;
                        if pos >= 0 && (pos as usize) < hw[a] {
                            count[pos as usize] += 1;
                        }
                    }
                }
                count
            };
            let (rows, cols) = (reads(0), reads(1));
            let c = v("channels");
            let shared = c * rows.iter().flat_map(|r| cols.iter().map(move |q| r * q)).filter(|&n| n > 1).count();
            let unread = c * rows.iter().flat_map(|r| cols.iter().map(move |q| r * q)).filter(|&n| n == 0).count();
            has(
                facts,
                &match shared {
                    0 => "no input cell is read by two windows".to_string(),
                    n => format!("{} input cells are read by two or more windows", group_digits(n)),
                },
            )?;
            has(
                facts,
                &match unread {
                    0 => "every input cell is read".to_string(),
                    n => format!("{} input cells are read by no window", group_digits(n)),
                },
            )
        }
        "spatially_separable_conv2d" => {
            let (c, k, p, s, h, w) =
                (v("channels"), v("kernel_size"), v("padding"), v("stride"), v("height"), v("width"));
            has(
                facts,
                &format!(
                    "weights: C·k + C·k = {} + {} (column a, row b) instead of C·k² = {} (W)",
                    c * k,
                    c * k,
                    c * k * k
                ),
            )?;
            let column = conv_work([h, w], [k, 1], [s, 1], [p, 0], [1, 1], c);
            let th = conv_out(h, k, s, p, 1);
            let row = conv_work([th, w], [1, k], [1, s], [0, p], [1, 1], c);
            let full = conv_work([h, w], [k, k], [s, s], [p, p], [1, 1], c);
            let [column, row, full] = [column, row, full].map(|w| products_text(&w));
            has(facts, &format!("multiply-adds: {column} + {row} separable vs {full} full"))
        }
        "depthwise_separable_conv2d" => {
            let [c, co, k, p, s, h, w] =
                ["in_channels", "out_channels", "kernel_size", "padding", "stride", "height", "width"].map(v);
            let depthwise = conv_work([h, w], [k, k], [s, s], [p, p], [1, 1], c);
            let (oh, ow) = (conv_out(h, k, s, p, 1), conv_out(w, k, s, p, 1));
            let pointwise = Work { products: oh * ow * c * co, ..Work::default() };
            let full = conv_work([h, w], [k, k], [s, s], [p, p], [1, 1], c * co);
            let [depthwise, pointwise, full] = [depthwise, pointwise, full].map(|w| products_text(&w));
            has(facts, &format!("multiply-adds: {depthwise} depthwise + {pointwise} pointwise vs {full} full"))
        }
        "decomposed_conv_transpose2d" => {
            let [ci, co, k, s, p, h, w] =
                ["in_channels", "out_channels", "kernel_size", "stride", "padding", "height", "width"].map(v);
            has(
                facts,
                &format!(
                    "weights: C_in·C_out·k + C_out·k = {} + {} instead of C_in·C_out·k² = {}",
                    ci * co * k,
                    co * k,
                    ci * co * k * k
                ),
            )?;
            let th = t_out(h, k, s, p, 1, 0);
            let tw = t_out(w, k, s, p, 1, 0);
            let first = landing(h, k, s, p, 1, th) * w * ci * co;
            let second = th * landing(w, k, s, p, 1, tw) * co;
            let full = landing(h, k, s, p, 1, th) * landing(w, k, s, p, 1, tw) * ci * co;
            has(
                facts,
                &format!(
                    "multiply-adds: {} + {} decomposed vs {} full",
                    group_digits(first),
                    group_digits(second),
                    group_digits(full)
                ),
            )
        }
        "separable_conv_transpose2d" => {
            let [c, co, k, s, p, h, w] =
                ["in_channels", "out_channels", "kernel_size", "stride", "padding", "height", "width"].map(v);
            let (th, tw) = (t_out(h, k, s, p, 1, 0), t_out(w, k, s, p, 1, 0));
            let depthwise = landing(h, k, s, p, 1, th) * landing(w, k, s, p, 1, tw) * c;
            has(
                facts,
                &format!(
                    "multiply-adds: {} + {} separable vs {} for a full transposed conv",
                    group_digits(depthwise),
                    group_digits(th * tw * c * co),
                    group_digits(depthwise * co)
                ),
            )
        }
        "residual_upsample" => {
            let (c, n, s) = (v("channels"), v("channel_group"), v("scale_factor"));
            has(facts, &format!("weights: {} in the learned branch", group_digits(c * (c / n) * (s + 2) * (s + 2))))
        }
        "bilinear_additive_upsample" => {
            let (c, n, s, h, w) = (v("channels"), v("channel_group"), v("scale_factor"), v("height"), v("width"));
            has(facts, &format!("additions: {} ", group_digits((n - 1) * (c / n) * h * s * w * s)))
        }
        "pixel_shuffle" | "depth_to_space" | "pixel_unshuffle" => {
            let cells = v("in_channels_or_channels") * v("height") * v("width");
            has(facts, &format!("cells moved: {}", group_digits(cells)))
        }
        "shift_and_stitch" => {
            let (f, k, h, w) = (v("factor"), v("kernel_size"), v("height"), v("width"));
            // Each shifted copy x[a::f, b::f] gets a 'same' conv (padding k/2).
            let pieces = (0..f)
                .flat_map(|a| (0..f).map(move |b| ((h - a).div_ceil(f), (w - b).div_ceil(f))))
                .map(|(ph, pw)| conv_work([ph, pw], [k; 2], [1; 2], [k / 2; 2], [1; 2], 1))
                .fold(Work::default(), |all, one| all.plus(&one));
            let atrous = conv_work([h, w], [k; 2], [1; 2], [f * (k / 2); 2], [f; 2], 1);
            // The same products either way (shift-and-stitch equals the dilated conv).
            prop_assert_eq!(pieces, atrous);
            has(
                facts,
                &format!(
                    "multiply-adds: {} for the {} small convs, {} for the à trous conv",
                    products_text(&pieces),
                    f * f,
                    products_text(&atrous)
                ),
            )
        }
        "deform_conv2d" => {
            let (k, s, p, d) = (v2("kernel_size"), v2("stride"), v2("padding"), v2("dilation"));
            let hw = [v("height"), v("width")];
            has(facts, &format!("weights: {} (as a {}×{} conv)", k[0] * k[1], k[0], k[1]))?;
            let taps = (0..2).map(|a| conv_out(hw[a], k[a], s[a], p[a], d[a]) * k[a]).product::<usize>();
            let text = format!(
                "multiply-adds: {} weight × sample products; the {} bilinear samples",
                group_digits(taps),
                group_digits(taps)
            );
            has(facts, &text)
        }
        _ => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn every_count_the_facts_state_is_counted_right((op, params) in any_setting()) {
        let Ok(run) = op.run(&params, &Edits::new()) else { return Ok(()) };
        check(op.name, &params, &run.facts.iter().map(|f| f.en()).collect::<Vec<_>>())?;
    }
}

#[test]
fn the_counts_at_every_operators_defaults() {
    let mut checked = 0;
    for op in ops::OPERATORS {
        let params = Params::defaults(op.schema);
        let run = op.run(&params, &Edits::new()).unwrap();
        check(op.name, &params, &run.facts.iter().map(|f| f.en()).collect::<Vec<_>>()).unwrap();
        // A count one off is caught: the facts must not state it.
        let off: Vec<String> =
            run.facts.iter().map(|f| f.en().replace("multiply-adds: ", "multiply-adds: 1")).collect();
        let counted = |f: &String| {
            f.split("multiply-adds: ").nth(1).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        };
        if run.facts.iter().map(|f| f.en()).any(|f| counted(&f)) {
            assert!(check(op.name, &params, &off).is_err(), "{}: a wrong count passes", op.name);
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} operators state multiply-adds");
}

#[test]
fn every_operator_that_states_a_count_is_checked() {
    // The operators whose facts state no count: analyses and resamplings.
    let without = ["interpolate", "checkerboard", "receptive_field", "aspp", "deform_roi_pool"];
    for op in ops::OPERATORS {
        let run = op.run(&Params::defaults(op.schema), &Edits::new()).unwrap();
        let states_a_count =
            run.facts.iter().map(|f| f.en()).any(|f| {
                f.contains("multiply-adds") || f.contains("weights: ") && f.chars().any(|c| c.is_ascii_digit())
            });
        assert!(
            !states_a_count || !without.contains(&op.name),
            "{} states a count the test does not check: {:?}",
            op.name,
            run.facts
        );
    }
}

/// Path counts past float32's largest number show ∞ on the receptive-field map (as the
/// PyTorch code's final `.float()` gives them); the facts say how many cells do, counted on
/// the map itself, and say nothing of it when every count fits.
#[test]
fn the_receptive_field_says_which_path_counts_overflow_float32() {
    use convscope::session::Session;
    let overflowing = |s: &Session| {
        let trace = &s.run().trace;
        let map = trace.grids.iter().find(|g| g.role == convscope::trace::Role::Output).expect("a map");
        map.values.iter().filter(|v| v.is_infinite()).count()
    };
    let deep = Session::from_query("op=receptive_field&preset=custom&layers=c3d512p1024*256&input_size=1024");
    assert!(deep.error().is_none());
    let cells = overflowing(&deep);
    assert!(cells > 0, "3×3 kernels 256 deep: 9^256 paths reach the centre");
    let said: Vec<String> = deep.facts().into_iter().filter(|f| f.contains("float32")).collect();
    assert_eq!(said.len(), 1, "{:?}", deep.facts());
    assert!(said[0].starts_with(&format!("{cells} cell")), "{}", said[0]);
    // 20 layers of 3×3: at most 9^20 ≈ 1.2·10¹⁹ paths to a pixel; 90: about (3^90 / 19)² ≈
    // 2·10⁸³ to the centre.
    for (layers, fits) in [("c3d1p1*20", true), ("c3d1p1*90", false)] {
        let s = Session::from_query(&format!("op=receptive_field&preset=custom&layers={layers}&input_size=64"));
        assert!(s.error().is_none(), "{layers}");
        assert_eq!(overflowing(&s) == 0, fits, "{layers}");
        assert_eq!(s.facts().iter().any(|f| f.contains("float32")), !fits, "{layers}");
    }
}
