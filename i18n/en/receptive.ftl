# receptive_field (src/ops/receptive_field.rs) and the layer-stack analyses (src/analysis/).

## The operator and its controls

receptive-title = receptive field, gridding and HDC (layer stack)
receptive-summary = Which input pixels an output pixel sees through a stack of convs and pools, how many paths reach each, and whether the dilation schedule leaves holes.
receptive-preset = Preset
    .help = A published stack; editing a layer switches to custom.
receptive-preset-custom = custom (edit the layers)
receptive-preset-hdc-125 = HDC block: rates 1, 2, 5 (twice)
receptive-preset-hdc-123 = HDC block: rates 1, 2, 3
receptive-preset-grid-222 = gridding: rates 2, 2, 2
receptive-preset-grid-248 = gridding: rates 2, 4, 8
receptive-preset-vgg16-fcn = VGG16 as in FCN-32s/16s/8s
receptive-preset-deeplab-largefov = DeepLab-LargeFOV (VGG16, fc6 at rate 12)
receptive-preset-resnet101-aspp-l = DeepLab v2 ResNet-101 + ASPP-L branch (rate 24)
receptive-layers = Layers
    .help = Conv or pool layers with kernel size, stride, padding and dilation, input first.
receptive-column-kernel = kernel
receptive-column-stride = stride
receptive-column-padding = padding
receptive-column-dilation = dilation
receptive-input-size = Input size
    .help = Side of the square input, in pixels.
receptive-out-row = Output row
    .help = Row of the output pixel whose field is mapped; −1 = centre.
receptive-out-col = Output column
    .help = Column of the output pixel; −1 = centre.
receptive-hdc-group = HDC group
    .help = How many of the last layers form the dilation group checked by the HDC rule.

## Notes on a preset's layers

receptive-note-pool3 = pool3: FCN-8s skip
receptive-note-pool4 = pool4: FCN-16s skip
receptive-note-fc7 = fc7: FCN-32s scores
receptive-note-pool4-stride1 = pool4 at stride 1
receptive-note-pool5-stride1 = pool5 at stride 1
receptive-note-fc6-rate12 = fc6: 3×3 at rate 12
receptive-note-max-pool = max pool
receptive-note-aspp-l = ASPP-L branch at rate 24

## Formula and facts

receptive-formula-size = field size r = Σ dₗ(kₗ − 1)·Sₗ₋₁ + 1 = { $size }
receptive-formula-stride = effective stride S = Π sₗ = { $stride };  effective padding P = Σ pₗ·Sₗ₋₁ = { $padding }
receptive-formula-sees = output x sees input x·S − P … x·S − P + r − 1; its centre is x·S + { $centre }
receptive-formula-compact = the layers in compact form: { $layers }
receptive-output-stride = output stride { $stride } · output { $output } for a { $input } input
receptive-counts-overflow = { $cells ->
    [one] { $cells } cell of the map counts
   *[other] { $cells } cells of the map count
} more paths than a float32 holds (above 3.4 × 10³⁸), so the map shows ∞ there, as the PyTorch code's final .float() gives; every true count is finite
receptive-coverage = coverage: { $used } of { $area } cells of the field are reached — { $holes ->
    [0] no holes
    [one] { $holes } hole (gridding)
   *[other] { $holes } holes (gridding)
}
# $kind is conv or pool; $numbers is like k3 s1 p1 d1; $layer is right-aligned.
receptive-layer-line = layer { $layer } { $kind } { $numbers }: field { $field } · stride { $stride } · padding { $padding } · centre { $centre } · map { $map }{ $note }
receptive-layer-note = {" "}← { $note }

## The HDC check (analysis/hdc.rs)

receptive-hdc-not-a-group = HDC: the last layers are not a group of stride-1 convs with one kernel size
receptive-hdc-too-large = HDC: the group { $rates } is too large to map here
# $pass and $grids are yes or no.
receptive-hdc-rule = HDC rule (Wang et al.; K = { $k }) on rates { $rates }: M = { $m }; M₂ { $cmp } K; { $factor } → the rule predicts { $pass ->
    [yes] no gridding
   *[no] gridding
}
receptive-hdc-factor = the rates share the factor { $g }
receptive-hdc-no-factor = no common factor
receptive-hdc-map = map of one interior output pixel through these { $n } layers: { $holes } of the { $field } cells across its field { $holes ->
    [one] is a hole
   *[other] are holes
} → { $grids ->
    [yes] gridding
   *[no] no gridding
}
receptive-hdc-holes-despite-rule = M₂ = { $m2 } ≤ K = { $k } and no common factor, yet the map has holes: the rule assumes the group starts at rate 1 (here r₁ = { $r1 })
receptive-hdc-no-holes-despite-rule = M₂ = { $m2 } > K = { $k }, yet the map has no holes: the rule is sufficient for groups that start at rate 1, not necessary — coverage depends only on which rates the group holds, not on their order
receptive-hdc-suggest = a schedule without holes, checked on its map: rates { $rates } (the same sum, so the same { $field }-cell field)
receptive-hdc-unavoidable = no group of { $n } rates with this { $field }-cell field can avoid holes: { $n } layers of { $k } taps reach at most { $reach } cells

## The map, its step and its chart

receptive-map-caption = n = paths to output ({ $row }, { $col }){ $per_cell }
receptive-map-per-cell = , { $block }×{ $block } pixels per cell
receptive-stage = path counts
    .explain = Every path from the output pixel back through the stack, with all-ones kernels, adds one to the input pixel it ends on.
receptive-chart-title = n = paths to each input pixel, along the map's peak row and column{ $cells }
receptive-chart-block = {" "}(each cell sums { $block }×{ $block } pixels)
receptive-chart-x = input index
receptive-chart-y = paths n
receptive-chart-row = n along row { $row }
receptive-chart-col = n along column { $col }

## What is wrong with a stack (analysis/mod.rs, analysis/stack.rs)

receptive-layer-error = layer { $layer }: { $problem }
receptive-pick-outside = the output is { $size }, so position { $position } is outside it
receptive-stack-empty = the stack has no layers
receptive-stack-too-long = at most { $max } layers, not { $n }
receptive-pool-dilation = a pooling layer has dilation 1
receptive-layer-out-of-range = { $name } must be between { $min } and { $max }, not { $value }
# $what is size, padding or stride.
receptive-exact-overflow = the receptive field's { $what } exceeds 2⁶⁴ here, too large to report exactly
receptive-input-range = the input side must be between 1 and { $max }
receptive-kernel-does-not-fit = its { $span }-cell dilated kernel does not fit the { $n }-cell input (+ 2·{ $padding } padding)
receptive-field-overflow = the receptive field's size or stride exceeds 10³⁰⁸ here, beyond what can be computed
receptive-position-outside = output position { $out } is outside the { $last }-cell output
receptive-paths-overflow = the number of paths exceeds 10³⁰⁸ here, beyond a 64-bit float
receptive-stack-text-too-long = the stack is longer than { $max } characters
receptive-stack-bad-repeat = “*{ $raw }” must repeat 1 to { $max } times
receptive-stack-bad-kind = “{ $raw }” must start with c (conv) or p (pool)
receptive-stack-no-kernel = “{ $raw }” needs a kernel size after its kind letter
receptive-stack-no-number = “{ $key }” in “{ $raw }” needs a number
receptive-stack-unknown-field = unknown field “{ $key }” in “{ $raw }” (use { $keys })
receptive-stack-at-most = at most { $max } layers

## What print(model) cannot be read for (analysis/model.rs)

receptive-model-linear = a Linear layer sees every input pixel: the field ends before it
receptive-model-flatten = Flatten turns the map into a vector: the field ends before it
receptive-model-upsample = upsampling changes the map's resolution by interpolation, which this field analysis does not model
receptive-model-transposed = a transposed conv upsamples; this field analysis covers convs and pools only
receptive-model-adaptive = adaptive pooling's window depends on the input size: the field ends before it
receptive-model-shuffle = a pixel shuffle rearranges positions, which this analysis does not model
receptive-model-too-long = the text is longer than { $max } characters
receptive-model-expected-child = expected “(name): Module(…)”
receptive-model-bad-count = cannot read the count “{ $raw }”
receptive-model-unreadable = cannot read “{ $raw }”
receptive-model-repeated-block = { $n } x { $module }: repeated blocks are not read; paste them unrolled
receptive-model-custom-block = { $module } is a custom block whose forward may not run its children in order (a residual connection, parallel branches); paste the Sequential parts of the network instead
receptive-model-not-closed = “{ $raw }” is not closed on its line
receptive-model-module-problem = { $module }: { $problem }
receptive-model-too-many = more than { $max } layers
receptive-model-unknown-module = { $module } is not a module the receptive field can pass through (convs, pools, activations, norms and dropout only)
receptive-model-no-module = no module found: paste what print(model) shows
receptive-model-no-layers = no Conv2d, MaxPool2d or AvgPool2d in the model
receptive-model-not-number = { $setting } is not a whole number or a pair
receptive-model-not-square = { $setting } differs between rows and columns; this view needs square layers
receptive-model-entries = { $setting } has { $n ->
    [one] { $n } entry
   *[other] { $n } entries
}, not 1 or 2
receptive-model-bad-argument = cannot read the argument “{ $raw }”
receptive-model-padding-word = { $setting } is not supported; give numbers
receptive-model-ceil-mode = ceil_mode=True changes the map sizes, which this view computes with floor
receptive-model-bad-bool = { $setting } is not True or False
receptive-model-unknown-argument = unknown argument “{ $name }”
receptive-model-no-kernel = no kernel_size
receptive-model-outside = { $setting } is outside { $min }…{ $max }
receptive-model-pool-padding = { $padding } is more than half of { $kernel }, which PyTorch's pools refuse
receptive-model-pool-dilation = { $setting } on a pool is not supported by this view
receptive-hint-size = field size r = Σ dₗ(kₗ − 1)·Sₗ₋₁ + 1 = { $terms } = ?  (Sₗ₋₁ is the product of the strides before layer l)
receptive-hint-stride = effective stride S = Π sₗ = { $strides } = ?
receptive-hint-holes = follow one output pixel's paths back through the layers: a layer with dilation d reads cells d apart (rates { $rates }). Is every cell inside its field reached by some path?
