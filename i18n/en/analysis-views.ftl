# Analysis views: the checkerboard analysis (ops/checkerboard.rs), ASPP (ops/aspp.rs) and
# shift-and-stitch (ops/shift_and_stitch.rs).

## checkerboard

checkerboard-title = checkerboard analysis (which upsampling is even?)
checkerboard-summary = How many kernel taps reach each output cell, for five ways to upsample: uneven counts are the checkerboard artifact of transposed convs.
checkerboard-view = View
checkerboard-view-overlap = overlap: taps reaching each cell
checkerboard-view-image = image: a picture upsampled
checkerboard-view-help = Overlap counts with all-ones weights, or a built-in picture upsampled by each method.
checkerboard-kernel-size = Kernel size
checkerboard-kernel-size-help = k of every method's kernel.
checkerboard-stride = Stride
checkerboard-stride-help = Upsampling factor s of every method.
checkerboard-dilation = Dilation
checkerboard-dilation-help = Spacing of the transposed conv's taps (d).
checkerboard-layers = Layers
checkerboard-layers-help = How many upsampling layers are stacked; artifacts compound.
checkerboard-size = Input size
checkerboard-size-help = Rows and columns of the input.
checkerboard-method-transposed = transposed conv
checkerboard-method-resize-nearest = resize-conv (nearest)
checkerboard-method-resize-bilinear = resize-conv (bilinear)
checkerboard-method-pixel-shuffle = conv + pixel shuffle
checkerboard-method-bilinear-additive = bilinear additive
checkerboard-too-large = { $layers ->
    [one] { $layers } layer makes maps of about { $side }×{ $side }; use fewer layers or a smaller input
   *[other] { $layers } layers make maps of about { $side }×{ $side }; use fewer layers or a smaller input
}
checkerboard-caption-picture = input picture { $sym }
checkerboard-caption-ones = input { $sym }: all ones
checkerboard-caption-map = { $sym } = { $method }
checkerboard-fact-overlap = { $method }: taps per cell { $taps } ({ $verdict })
checkerboard-fact-picture = { $method }: taps per cell { $taps } ({ $verdict }); the picture's values { $values }
checkerboard-range-interior = { $values } in the interior
checkerboard-range-whole = { $values } over the whole map
checkerboard-even = even
checkerboard-uneven = uneven
checkerboard-all-border = all border at this size: enlarge the input to judge
checkerboard-chart-title-overlap = middle row of each map, relative to its mean
checkerboard-chart-title-picture = middle row of each map
checkerboard-chart-x = output column
checkerboard-chart-y-overlap = taps ÷ mean
checkerboard-chart-y-picture = value
checkerboard-formula-residues = transposed conv, one axis: output positions ≡ 0…{ $last } (mod s) receive { $taps } taps → { $verdict }
checkerboard-formula-uneven = uneven (in 2-D a cell gets the product of its row's and column's counts)
checkerboard-formula-uneven-layers = uneven (in 2-D the products of the axes; { $layers } stacked layers compound it)
checkerboard-formula-law = even exactly when s divides k and gcd(d, s) = 1 (for d = 1: when the kernel size is a multiple of the stride)
checkerboard-explain-transposed = transposed conv, { $k }×{ $k } kernel, stride { $s }, dilation { $d }: stamps overlap unevenly unless s divides the tap pattern
checkerboard-explain-resize-nearest = nearest resize ×{ $s }, then a { $k }×{ $k } conv: every cell gets k² taps
checkerboard-explain-resize-bilinear = bilinear resize ×{ $s }, then a { $k }×{ $k } conv: smooth, even weights
checkerboard-explain-pixel-shuffle = a { $k }×{ $k } conv to s² = { $channels } channels, then pixel shuffle: every cell gets k² taps
checkerboard-explain-bilinear-additive = bilinear ×{ $s } of s² = { $channels } channels, summed in groups: no weights, even
checkerboard-explain = { $layers ->
    [one] { $what }.
   *[other] { $what }; { $layers } layers stacked.
}

## aspp

aspp-title = ASPP: branches and their sum (DeepLab v2)
aspp-summary = Parallel k×k convs at growing rates read one feature map and their score maps are summed; the larger the rate, the more taps fall on padding.
aspp-preset = Preset
aspp-preset-help = DeepLab v2's branch rates; moving a rate switches to custom.
aspp-preset-s = ASPP-S: rates 2, 4, 8, 12
aspp-preset-l = ASPP-L: rates 6, 12, 18, 24
aspp-preset-largefov = DeepLab-LargeFOV: rate 12
aspp-preset-custom = custom rates
aspp-rate-1 = Rate 1
aspp-rate-2 = Rate 2
aspp-rate-3 = Rate 3
aspp-rate-4 = Rate 4
aspp-rate-help = Dilation rate of a branch; 0 leaves the branch out.
aspp-map-size = Feature map size
aspp-map-size-help = Side of the feature map (DeepLab v2: 41 for a 321×321 image at output stride 8).
aspp-kernel-size = Kernel size
aspp-kernel-size-help = k of every branch (odd sizes keep the map's size).
aspp-out-row = Output row
aspp-out-row-help = Row of the pixel the facts describe; −1 = centre.
aspp-out-col = Output column
aspp-out-col-help = Column of the pixel; −1 = centre.
aspp-error-no-branch = give at least one branch a rate above 0
aspp-error-even-kernel = an even kernel ({ $k }×{ $k }) with padding = rate·(k − 1)/2 would change the map's size; ASPP uses odd kernels
aspp-error-outside = the map is { $m }×{ $m }, so position { $position } is outside it
aspp-caption-rate = { $sym } (rate { $rate })
aspp-stage = branches and their sum
aspp-explain = Each branch's { $k }×{ $k } kernel reads the one padded map with its taps r cells apart (padding r·{ $half } per branch; taps outside the map read zeros); the fused map adds the branches in order.
aspp-fact-rate = rate { $rate }: { $valid } of { $taps } taps on the map at ({ $row }, { $col }); { $percent }% valid over the whole map{ $degenerate }
aspp-fact-degenerate = {" "}— only the centre tap ever sees the map: a 1×1 conv
aspp-fact-fused = fused at ({ $row }, { $col }): y = { $sum } = { $value }
aspp-formula-branches = y{"{"}r{"}"} = conv2d(x, w{"{"}r{"}"}, padding = r·{ $half }, dilation = r) for r in { $rates }
aspp-formula-span = a { $k }×{ $k } branch at rate r spans r·({ $k } − 1) + 1 cells: { $spans }
aspp-formula-sum = y = { $sum } (DeepLab v2 sums the branch score maps; v3 concatenates them)
aspp-chart-title = share of a { $k }×{ $k } kernel's taps on a { $m }×{ $m } map, by rate
aspp-chart-x = rate
aspp-chart-y = valid taps
aspp-series-mean = mean over the map
aspp-series-branches = the branches
aspp-series-centre = centre tap only (1/k² = { $percent })

## shift_and_stitch

shift-stitch-title = FCN shift-and-stitch ≡ à trous (dilated) conv
shift-stitch-summary = Convolving f² shifted, decimated copies and interleaving the results gives exactly the dilated conv on the full input.
shift-stitch-factor = Factor
shift-stitch-factor-help = f: the input is split into f² shifted copies, each decimated by f.
shift-stitch-kernel-size = Kernel size
shift-stitch-kernel-size-help = k (odd): each copy gets a ‘same’ k×k conv.
shift-stitch-stage-decimate = decimate ({ $a }, { $b })
shift-stitch-explain-decimate = Every { $f }th cell of x from row { $a }, column { $b }: one of the f² = { $copies } shifted copies.
shift-stitch-stage-stitch = stitch ({ $a }, { $b })
shift-stitch-explain-stitch = The copy's result fills every { $f }th cell of y from row { $a }, column { $b }.
shift-stitch-caption-part = { $sym } = conv of { $source }
shift-stitch-caption-kernel = kernel { $sym }
shift-stitch-caption-shared-kernel = kernel { $sym } (shared)
shift-stitch-caption-stitched = stitched { $sym }
shift-stitch-caption-atrous = à trous: dilation f, y′ = y
shift-stitch-error-even-kernel = kernel_size must be odd for a ‘same’ conv, not { $k }
shift-stitch-error-empty = factor { $f } leaves some shifted copies of the { $h }×{ $w } input empty
shift-stitch-formula-shifts = y[a + f·i, b + f·j] = (x[a::f, b::f] ⋆ w)[i, j] for the f² = { $shifts } shifts (a, b)
shift-stitch-formula-atrous = {"="} (x ⋆_f w)[a + f·i, b + f·j]: a { $k }×{ $k } conv at dilation { $f }, padding { $p }
shift-stitch-fact-convs = shift-and-stitch: { $n } small convs plus decimation and interleaving; à trous: one conv, same numbers
shift-stitch-fact-products = multiply-adds: { $stitched } for the { $n } small convs, { $atrous } for the à trous conv
