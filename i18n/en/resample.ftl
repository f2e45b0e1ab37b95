# Resampling operators: interpolate, pixel_shuffle, depth_to_space, pixel_unshuffle,
# bilinear additive upsampling, resize-convolution (src/ops/interpolate, pixel_shuffle.rs,
# bilinear_additive.rs, resize_conv.rs).

## interpolate

resample-interpolate = interpolate (bilinear, bicubic, nearest, area)
    .summary = Resizes each channel: every output cell maps back to a source position and mixes, copies or averages the cells there.
resample-interp-mode = Mode
    .help = bilinear mixes 4 cells, bicubic 16 (A = −0.75), nearest and nearest-exact copy one, area averages a window.
resample-mode-bilinear = bilinear
resample-mode-bicubic = bicubic
resample-mode-nearest = nearest
resample-mode-nearest-exact = nearest-exact
resample-mode-area = area
resample-align-corners = align_corners
    .help = bilinear and bicubic only. true: corner cells of input and output line up exactly; false: cell centres scale (PyTorch's default).
resample-resize-by = Resize by
    .help = Give a scale factor or the output size.
resample-resize-by-scale = scale_factor
resample-resize-by-size = size
resample-scale-factor = Scale factor
    .help = Output size is ⌊input size × scale_factor⌋.
resample-scale-0_5 = × 0.5
resample-scale-1_5 = × 1.5
resample-scale-2 = × 2
resample-scale-3 = × 3
resample-scale-4 = × 4
resample-out-height = Output height
    .help = Rows of the output when resizing by size.
resample-out-width = Output width
    .help = Columns of the output when resizing by size.
resample-in-height = Input height
    .help = Rows of the input (H).
resample-in-width = Input width
    .help = Columns of the input (W).
resample-channels = Channels
resample-interp-channels-help = Channels (C); each is resized on its own.
resample-channels-c-help = Channels of the input (C).

resample-stage-nearest = nearest sampling
    .explain = Each output cell copies the input cell at ⌊dst · scale⌋ (PyTorch's legacy nearest).
resample-stage-bilinear = bilinear sampling
    .explain = Each output cell maps to a fractional position in the input and mixes the four cells around it (fewer at the border, where corners coincide).
resample-stage-bicubic = bicubic sampling
    .explain = Each output cell maps to a fractional position and mixes the 4×4 cells around it with cubic weights (A = −0.75); rows and columns past the border repeat the edge.
resample-stage-nearest-exact = nearest-exact sampling
    .explain = Each output cell copies the input cell its centre falls in: ⌊(dst + ½) · scale⌋.
resample-stage-area = area averaging
    .explain = Each output cell averages the input cells its area overlaps (adaptive average pooling).

# One line per axis: the output size, then where an output index reads.
resample-formula-axis = { $size };  { $map }
resample-map-same = src = dst (same size)
resample-map-double = src = ⌊dst / 2⌋ (exactly twice the size)
resample-map-nearest = src = min(⌊dst · { $scale }⌋, { $last })
resample-map-nearest-exact = src = min(⌊(dst + ½) · { $scale }⌋, { $last })
resample-map-area = window = ⌊dst · { $i }/{ $o }⌋ … ⌈(dst + 1) · { $i }/{ $o }⌉ − 1
resample-map-align-corners = src = dst · ({ $i } − 1)/({ $o } − 1) = dst · { $scale }
resample-map-bilinear = src = max((dst + ½) · { $scale } − ½, 0)
resample-map-bicubic = src = (dst + ½) · { $scale } − ½; taps ⌊src⌋ − 1 … ⌊src⌋ + 2, clamped to 0 … { $last }
resample-weights-none = weights: none (a fixed resampling)
resample-weights-none-area = weights: none (a fixed resampling); each output averages a window

resample-shrinks-to-nothing = this scale shrinks the input to nothing; the page shows outputs of at least 1×1
resample-output-too-big = the page animates outputs up to { $max }×{ $max }
resample-align-corners-not-interpolating = align_corners can only be set with the interpolating modes (bilinear, bicubic); nearest, nearest-exact and area have no corners to align
resample-size-and-scale = only one of size or scale_factor should be defined
resample-size-or-scale = either size or scale_factor should be defined
resample-recompute-with-size = recompute_scale_factor is not meaningful with an explicit size
resample-scale-not-finite = scale_factor must be a finite number
resample-output-too-large = an output of { $rows }×{ $cols } is too large
resample-output-empty = input and output sizes should be greater than 0, but the { $in_rows }×{ $in_cols } input would give { $out_rows }×{ $out_cols }

## pixel_shuffle, depth_to_space, pixel_unshuffle

resample-pixel-shuffle = pixel_shuffle (depth to space, CRD)
    .summary = Turns C·r² channels of H×W into C channels of rH×rW: each r×r output block gathers one cell from r² channels.
resample-depth-to-space = depth_to_space (DCR or CRD)
    .summary = The ONNX/TensorFlow depth-to-space: like pixel_shuffle, but by default (DCR) the block position is the outer channel index.
resample-pixel-unshuffle = pixel_unshuffle (space to depth)
    .summary = The inverse of pixel_shuffle: each r×r block of a channel is spread over r² channels.
resample-upscale-factor = Upscale factor
resample-block-size = Block size
resample-downscale-factor = Downscale factor
resample-block-side-help = The block side r: each output block is r×r cells.
resample-in-channels = In channels
    .help = Channels of the input (C_in).
resample-out-channels = Out channels
    .help = Channels of the output (C_out).
resample-shuffle-in-channels-help = Channels of the input (C·r²); must be divisible by r².
resample-input-values = Input values
    .help = Preset for the input's cells.
resample-shuffle-input-values-help = Preset for the input's cells; “channel number” shows where each channel lands.
resample-d2s-mode = Mode
    .help = How channels are packed: DCR puts the block position outermost, CRD the output channel.
resample-d2s-mode-dcr = DCR (TensorFlow, ONNX default)
resample-d2s-mode-crd = CRD (= PyTorch pixel_shuffle)

resample-stage-depth-to-space = depth to space
    .explain = Each step moves one input channel: its cells spread to one position of every r×r output block.
resample-stage-space-to-depth = space to depth
    .explain = Each step fills one output channel from one position of every r×r input block.
resample-shuffle-input-holds = input channel k holds output channel { $channel }, the cells at block position { $position } of each r×r block
resample-shuffle-output-holds = output channel k holds input channel { $channel }, the cells at block position { $position } of each r×r block
resample-shuffle-moved = weights: none; multiply-adds: none; cells moved: { $moved } (C = { $c }, r = { $r })

resample-factor-at-least-one = { $factor } must be at least 1
resample-channels-indivisible-square = the input's { $c } channels must be divisible by { $factor }² = { $r2 }
resample-unshuffle-indivisible = the input { $axis ->
    [height] height
   *[width] width
} { $size } must be divisible by downscale_factor { $r }

## bilinear additive upsampling

resample-bilinear-additive = bilinear additive upsampling
    .summary = Wojna et al.'s parameter-free decoder upsampling: bilinear ×s on every channel, then sum every N consecutive channels (C → C/N).
resample-additive-scale-help = Bilinear upsampling factor s (align_corners=False).
resample-channel-group = Channel group
    .help = N: every N consecutive upsampled channels are summed into one output channel.
resample-additive-channels-help = Channels of the input (C); must be divisible by N.
resample-channels-indivisible-group = the input's { $c } channels must be divisible by channel_group { $group }
resample-additive-upsampled = u = bilinear ×s of x
resample-stage-upsampling = bilinear upsampling
    .explain = Every channel is upsampled on its own by bilinear interpolation.
resample-stage-channel-sums = channel sums
    .explain = Each output channel is the sum of N consecutive upsampled channels.
resample-additive-formula = [1, C, H, W] = { $input } → bilinear ×{ $scale } → { $upsampled } → sum of { $group } channels → { $grouped }
resample-additive-weights = weights: none
resample-additive-additions = additions: { $n } (a transposed conv from { $c_in } to { $c_out } channels with a { $k }×{ $k } kernel would have { $weights } weights)

## resize-convolution

resample-resize-conv = resize-convolution (upsample, then conv)
    .summary = Upsample by nearest or bilinear interpolation, then a stride-1 conv: every output cell sums as many products as any other, so no checkerboard (Odena et al., Distill 2016).
resample-resize-mode = Resize mode
    .help = Copies (nearest) or mixes (bilinear).
resample-resize-scale-help = The upsampling factor s.
resample-resize-align-help = Bilinear only: align the corners.
resample-kernel-size = Kernel size
resample-resize-kernel-help = k of the stride-1 k×k conv.
resample-padding = Padding
resample-resize-padding-help = Zeros around the upsampled input (p); k/2 keeps its size.
resample-resize-upsampled = upsampled u
resample-resize-samples = { $n } bilinear samples ({ $corners } corner reads)
resample-resize-copies = { $n } copies
resample-resize-weights = weights: { $formula } = { $n }; the resize has none
resample-resize-work = resize: { $reads }; conv multiply-adds: { $products }
resample-resize-even = every output cell whose window stays inside u sums { $n } products of data ({ $inside } of { $all }): even, so no checkerboard
resample-resize-uneven = output cells inside u sum between { $lo } and { $hi } products of data: uneven
resample-resize-all-padding = every window reaches into the padding: no output cell sums only data
