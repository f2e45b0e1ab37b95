# deform_conv2d (src/ops/deform.rs) and deform_roi_pool (src/ops/roi/).

## deform_conv2d

deform-title = deform_conv2d (deformable conv, v1/v2)
deform-summary = Every tap of every output position samples the input at its own learned offset, by bilinear interpolation; v2 also scales each sample by a mask.
deform-offsets = Offsets
    .help = How the 2·k·k offsets of every output position are set.
deform-offsets-zero = zero (the regular conv)
deform-offsets-shift = constant shift
deform-offsets-zoom = zoom out (like dilation)
deform-offsets-rotate = rotation
deform-offsets-random = random
deform-offsets-attend = attend to the blob
deform-strength = Offset strength
    .help = Scales the offsets, in tenths (10 = 1.0).
deform-mask = Mask (DCNv2)
    .help = Modulation of each sample; all ones is DCNv1.
deform-mask-ones = all ones (v1)
deform-mask-random = random in 0…1
deform-mask-radial = radial: centre tap 1
deform-overview = All sampling points
    .help = Draw every output position's sampling points.
deform-overview-off = off
deform-overview-on = on
deform-kernel-size = Kernel size
    .help = Height and width of the kernel (k).
deform-padding = Padding
    .help = Zeros around the input (p), per axis; samples outside read zero.
deform-stage = deformable sweep
    .explain = Each tap samples the input at its regular position plus a learned offset, by bilinear interpolation; a mask (v2) scales each sample.
deform-stage-modulated = modulated deformable sweep
# $mask is “mₖ · ” or nothing.
deform-formula = y[p] = Σₖ w[k] · { $mask }x(p·s − p_pad + k·d + Δpₖ), x read by bilinear interpolation
deform-formula-offset = offset: [N, 2·kh·kw, H_out, W_out] = { $shape } — (dy, dx) per tap and output position
deform-fact-weights = weights: { $weights } (as a { $kernel } conv); offsets: { $offsets } numbers, largest |Δ| = { $largest }
deform-fact-work = multiply-adds: { $products } weight × sample products; the { $samples } bilinear samples each mix up to 4 corner cells (none for a sample a cell or more outside the map)
deform-offset-channels = offset has { $channels } channels; it needs 2·offset_groups·kh·kw = a multiple of { $multiple }
deform-offset-groups = in_channels ({ $channels }) must be divisible by offset_groups ({ $groups })
deform-offset-shape = offset must have shape { $want }, got { $got }
deform-mask-shape = mask must have shape { $want }, got { $got }

## deform_roi_pool

deform-roi-title = deformable RoI pooling (vs RoIAlign, RoI pooling)
deform-roi-summary = A RoI is divided into bins; each bin averages bilinear samples (RoIAlign), shifted by learned offsets (deformable), or keeps the max of whole cells (RoI pooling).
deform-roi-method = Method
    .help = The same RoI pooled three ways: deformable (Dai et al.), RoIAlign, quantised max pooling.
deform-roi-method-deform = deformable RoI pooling
deform-roi-method-align = RoIAlign (baseline)
deform-roi-method-pool = RoI pooling (baseline)
deform-roi-aligned = aligned (RoIAlign)
    .help = Shift the box by half a pixel (true, as deformable pooling does).
deform-roi-aligned-true = true
deform-roi-aligned-false = false
deform-roi-x1 = RoI x1
deform-roi-y1 = RoI y1
deform-roi-x2 = RoI x2
deform-roi-y2 = RoI y2
deform-roi-corner-help = A RoI corner, in half cells of the feature map.
deform-roi-output-size = Output size
    .help = Bins per side (pooled height and width).
deform-roi-sampling-ratio = Sampling ratio
    .help = Bilinear samples per bin side.
deform-roi-gamma = γ (tenths)
    .help = Scales the offsets by the RoI's size (1 = 0.1, mmcv's default).
deform-roi-offsets = Bin offsets
    .help = Learned per-bin offsets (x, y), normalised by the RoI size.
deform-roi-offsets-zero = zero (= RoIAlign, aligned)
deform-roi-offsets-shift = shift right
deform-roi-offsets-spread = spread outwards
deform-roi-offsets-random = random
deform-roi-strength = Offset strength
    .help = Scales the offset preset, in tenths.
deform-roi-input-values = Input values
    .help = Preset for the feature map.
deform-roi-inverted-x = the RoI is inverted: x2 ({ $x2 }) must be right of x1 ({ $x1 })
deform-roi-inverted-y = the RoI is inverted: y2 ({ $y2 }) must be below y1 ({ $y1 })
deform-roi-fact = RoI ({ $x1 }, { $y1 }) – ({ $x2 }, { $y2 }) on a { $size } map; { $bins } bins
deform-roi-pool-rounded = RoI rounded to cells: x { $x1 }…{ $x2 }, y { $y1 }…{ $y2 }; bins of { $bin } cells, rounded outwards
deform-roi-pool-max = each bin keeps its maximum; an empty bin gives 0
# $aligned is yes or no.
deform-roi-align-bins = RoI { $aligned ->
    [yes] shifted by −½
   *[no] as given (size at least 1)
} → bins of { $bin } cells, nothing rounded
deform-roi-align-samples = each bin averages { $ratio } bilinear samples
deform-roi-deform-move = bin (i, j) moves by γ·(w, h)·offset[i, j] = { $gamma }·({ $w }, { $h })·(Δx, Δy)
deform-roi-deform-samples = then averages { $ratio } bilinear samples like RoIAlign(aligned = true)
deform-roi-grid-input = feature map { $sym }
deform-roi-grid-output = pooled { $sym }
deform-roi-stage-align = RoIAlign bins
    .explain = Each bin averages a grid of bilinear samples; nothing is rounded.
deform-roi-stage-pool = RoI max pooling
    .explain = The RoI and its bins are rounded to whole cells; each bin keeps its maximum.
deform-roi-stage-deform = deformable RoI bins
    .explain = Each bin is shifted by γ·(RoI size)·offset, then averages its bilinear samples.
