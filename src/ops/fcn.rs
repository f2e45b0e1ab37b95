//! `fcn_skips`: FCN's skip fusion (Long et al. 2015). Class score maps at strides 32, 16 and 8
//! (from conv7, pool4 and pool3) are fused coarse to fine: the coarser map is upsampled ×2 by
//! a transposed conv initialised to bilinear interpolation and added to the next finer score
//! map; the last fused map is upsampled to the image by ×32 (FCN-32s), ×16 (FCN-16s) or ×8
//! (FCN-8s). The kernels are FCN's `upsample_filt` (k = 2s), with padding s/2 so every
//! upsampling is exact (the Caffe model's crops do the same alignment).

use ndarray::Array4;

use super::compose::{Composite, Conv, Names};
use super::conv2d::ConvArgs;
use super::{Editable, Edits, Operator, Run, Tensor, check_taps, controls, preset_tensor};
use crate::msg;
use crate::params::{ParamError, ParamSpec, Params};
use crate::trace::{Grid, Role};

const VARIANTS: &[(&str, &str)] =
    &[("fcn8s", "fcn-variant-8s"), ("fcn16s", "fcn-variant-16s"), ("fcn32s", "fcn-variant-32s")];

static SCHEMA: &[ParamSpec] = &[
    ParamSpec::choice("variant", "fcn-variant", VARIANTS, "fcn8s", "fcn-variant-help"),
    ParamSpec::int("coarse_size", "fcn-coarse-size", 1, 3, 2, "fcn-coarse-size-help"),
    controls::INPUT_VALUES,
    controls::SEED,
];

pub static FCN_SKIPS: Operator = Operator {
    name: "fcn_skips",
    title: "fcn-title",
    summary: "fcn-summary",
    schema: SCHEMA,
    evals: &[],
    expand: super::keep,
    run: run_fcn,
};

/// FCN's `upsample_filt`: the `k×k` bilinear kernel, (1 − |i − c|/f)(1 − |j − c|/f) with
/// f = ⌈k/2⌉ and c = f − 1 (k odd) or f − ½ (k even), as a `[1, 1, k, k]` transposed-conv weight.
pub fn bilinear_kernel(k: usize) -> Array4<f32> {
    let f = k.div_ceil(2) as f64;
    let c = if k % 2 == 1 { f - 1.0 } else { f - 0.5 };
    let tent = |i: usize| 1.0 - (i as f64 - c).abs() / f;
    Array4::from_shape_fn((1, 1, k, k), |(_, _, i, j)| (tent(i) * tent(j)) as f32)
}

/// The transposed conv that upsamples exactly ×s: kernel 2s, stride s, padding s/2 gives
/// (n − 1)s − s + 2s = sn.
fn upsampling(s: usize) -> (Array4<f32>, ConvArgs) {
    (bilinear_kernel(2 * s), ConvArgs::square(s, s / 2, 1, 1))
}

fn run_fcn(params: &Params, edits: &Edits) -> Result<Run, ParamError> {
    let n = 32 * params.usize("coarse_size");
    let variant = params.choice("variant");
    let seed = params.int("seed") as u64;
    let score = |stride: usize, salt: u64, edits: &Edits| {
        preset_tensor(params.choice("input_values"), [1, 1, n / stride, n / stride], seed + salt, Tensor::Input, edits)
    };
    let final_stride = match variant {
        "fcn32s" => 32,
        "fcn16s" => 16,
        _ => 8,
    };
    check_taps(4 * n * n * 4)?;
    let mut comp = Composite::new(&score(32, 0, edits));
    comp.trace.grids[comp.input].symbol = "s32".into();
    comp.trace.grids[comp.input].caption = msg!("fcn-caption-scores", sym = "s32", stride = 32, source = "conv7");
    let mut fused = comp.input;
    let mut formula = Vec::new();
    let mut b4 = None;
    for (stride, source, lane) in [(16, "pool4", 1), (8, "pool3", 2)].into_iter().take_while(|(s, ..)| *s >= final_stride) {
        let (kernel, args) = upsampling(2);
        let up = format!("u{stride}");
        let caption = msg!("fcn-caption-up", sym = &up, source = &comp.trace.grids[fused].symbol);
        let names = Names::new(("b4", msg!("fcn-caption-b4")), (&up, caption));
        let names = match b4 {
            Some(b4) => names.sharing(b4),
            None => names,
        };
        let upsampled = comp.conv(Conv::TRANSPOSED, fused, &kernel, args, lane, names)?;
        // The first ×2 pass (pass 0) adds the kernel the second one shares.
        b4 = b4.or(comp.weight_grid(0));
        let skip_values = score(stride, stride as u64, &Edits::new());
        let symbol = format!("s{stride}");
        let caption = msg!("fcn-caption-scores", sym = &symbol, stride = stride, source = source);
        let mut skip = Grid::from_array(&symbol, caption, Role::Input, &skip_values);
        skip.lane = lane;
        let skip = comp.trace.add_grid(skip);
        comp.record(skip, skip_values);
        let f = format!("f{stride}");
        let f_caption = format!("{f} = {up} + s{stride}");
        let previous = comp.trace.grids[fused].symbol.clone();
        fused = comp.sum((upsampled, skip), Names::output((&f, &f_caption)));
        comp.trace.grids[fused].lane = lane;
        formula.push(msg!("fcn-formula-fuse", f = f, previous = previous, stride = stride, source = source));
    }
    let (kernel, args) = upsampling(final_stride);
    let k = 2 * final_stride;
    let last = comp.trace.grids[fused].symbol.clone();
    let b_caption = msg!("fcn-caption-b", k = k, s = final_stride);
    let y_caption = msg!("fcn-caption-y", s = final_stride, source = &last);
    let names = Names::new(("b", b_caption), ("y", y_caption)).last();
    comp.conv(Conv::TRANSPOSED, fused, &kernel, args, 3, names)?;
    formula.push(msg!(
        "fcn-formula-final",
        last = last,
        s = final_stride,
        p = final_stride / 2,
        k = k,
        coarse = n / final_stride,
        n = n
    ));
    let facts = vec![
        msg!("fcn-fact-detail", variant = format!("FCN-{final_stride}s"), stride = final_stride),
        msg!("fcn-fact-kernels"),
    ];
    Ok(Run { quantities: Vec::new(), formula, facts, editable: Editable::input(comp.input), pick: None, pytorch: comp.program(), trace: comp.trace })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::conv_transpose2d::{ConvTranspose2dGeometry, conv_transpose2d};
    use crate::ops::conv2d::shape4;
    use crate::ops::interpolate::{InterpolateGeometry, Mode, interpolate};

    fn up(x: &Array4<f32>, s: usize) -> Array4<f32> {
        let (w, args) = upsampling(s);
        let g = ConvTranspose2dGeometry::new(shape4(x), shape4(&w), None, args, [0, 0]).unwrap();
        conv_transpose2d(x, &w, None, &g)
    }

    /// FCN-8s, 16s and 32s equal the (golden-tested) eval conv_transpose2d and sums applied to
    /// the picture's own score maps.
    #[test]
    fn fusion_is_upsample_and_add() {
        for variant in ["fcn8s", "fcn16s", "fcn32s"] {
            let mut params = Params::defaults(SCHEMA);
            params.set("variant", variant).unwrap();
            let run = run_fcn(&params, &Edits::new()).unwrap();
            let t = &run.trace;
            let grid = |symbol: &str| {
                let g = t.grids.iter().find(|g| g.symbol == symbol && g.role != Role::Weight).unwrap();
                Array4::from_shape_vec(g.shape, g.values.clone()).unwrap()
            };
            let mut fused = grid("s32");
            let last = match variant {
                "fcn32s" => 32,
                "fcn16s" => 16,
                _ => 8,
            };
            for stride in [16, 8].into_iter().filter(|s| *s >= last) {
                fused = up(&fused, 2) + grid(&format!("s{stride}"));
                assert_eq!(grid(&format!("f{stride}")), fused, "{variant}");
            }
            let y = up(&fused, last);
            assert_eq!(y.shape(), &[1, 1, 64, 64]);
            assert_eq!(grid("y"), y, "{variant}");
        }
    }

    /// The ×2 kernel is bilinear interpolation: away from the border, the transposed conv
    /// equals `F.interpolate(scale_factor=2, mode="bilinear", align_corners=False)`.
    #[test]
    fn the_x2_kernel_is_bilinear_interpolation() {
        assert_eq!(bilinear_kernel(4).iter().take(4).copied().collect::<Vec<_>>(), [0.0625, 0.1875, 0.1875, 0.0625]);
        let x = Array4::from_shape_fn((1, 1, 5, 6), |(_, _, r, c)| ((r * 7 + c * 3) % 5) as f32 - 2.0);
        let g = InterpolateGeometry::new([1, 1, 5, 6], Mode::Bilinear, None, Some([2.0, 2.0]), false, false).unwrap();
        let (a, b) = (up(&x, 2), interpolate(&x, &g));
        for r in 1..9 {
            for c in 1..11 {
                assert!((a[[0, 0, r, c]] - b[[0, 0, r, c]]).abs() < 1e-6, "({r}, {c}): {} vs {}", a[[0, 0, r, c]], b[[0, 0, r, c]]);
            }
        }
        assert_ne!(a[[0, 0, 0, 0]], b[[0, 0, 0, 0]], "the border differs: zero padding against clamping");
    }
}
