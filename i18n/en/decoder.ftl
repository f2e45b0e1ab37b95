# Decoder blocks (ops/decoder.rs), the conv round trip (ops/round_trip.rs) and FCN's skips (ops/fcn.rs).

## Shared controls

decoder-kernel-size = Kernel size
decoder-stride = Stride
decoder-padding = Padding
decoder-in-channels = In channels
decoder-out-channels = Out channels
decoder-channels = Channels
decoder-channel-group = Channel group
decoder-scale-factor = Scale factor
decoder-help-in-channels = Channels of the input (C_in).
decoder-help-out-channels = Channels of the output (C_out).

## decomposed_conv_transpose2d

decoder-decomposed-title = decomposed transposed conv (k×1 then 1×k)
decoder-decomposed-summary = A k×1 transposed conv upsamples the rows, a 1×k one the columns; beside them, the full k×k transposed conv with the outer-product kernel gives the same numbers.
decoder-decomposed-help-kernel-size = k: a k×1 column pass, then a 1×k row pass.
decoder-decomposed-help-stride = Upsampling factor s, applied to rows in the first pass and to columns in the second.
decoder-decomposed-help-padding = Rows (first pass) and columns (second pass) cropped from each side.
decoder-caption-column = column { $sym } (k×1)
decoder-caption-rows-upsampled = rows upsampled { $sym }
decoder-caption-row = row { $sym } (1×k)
decoder-caption-full = full { $sym } = { $equals }
decoder-decomposed-formula-size = H_out = (H − 1)·s − 2p + k = ({ $h } − 1)·{ $s } − 2·{ $p } + { $k } = { $oh } (first pass); W_out = { $ow } (second pass)
decoder-decomposed-formula-rank-one = W[ci, co, i, j] = a[ci, co, i] · b[co, j]: a rank-1 kernel per channel pair
decoder-decomposed-fact-weights = weights: C_in·C_out·k + C_out·k = { $split } + { $split2 } instead of C_in·C_out·k² = { $full }
decoder-decomposed-fact-products = multiply-adds: { $split } + { $split2 } decomposed vs { $full } full

## separable_conv_transpose2d

decoder-separable-title = separable transposed conv (depthwise then 1×1)
decoder-separable-summary = Each channel is upsampled by its own k×k transposed kernel (groups = C), then a 1×1 conv mixes the channels.
decoder-separable-help-in-channels = Channels of the input (C).
decoder-separable-help-kernel-size = k of the depthwise k×k transposed kernels.
decoder-separable-help-stride = Upsampling factor s.
decoder-separable-help-padding = Cropped from each side of the depthwise result.
decoder-caption-depthwise = depthwise { $sym }
decoder-caption-upsampled = upsampled { $sym }
decoder-caption-pointwise = pointwise { $sym } (1×1)
decoder-separable-formula-weights = weights: C·k² + C·C_out = { $depthwise } + { $pointwise } = { $sum }  vs  C·C_out·k² = { $full } for a full transposed conv
decoder-separable-fact-products = multiply-adds: { $depthwise } + { $pointwise } separable vs { $full } for a full transposed conv

## residual_upsample

decoder-residual-title = residual upsampling (Wojna et al.)
decoder-residual-summary = A learned transposed-conv branch plus a parameter-free bilinear additive skip, summed: the residual decoder block of “The Devil is in the Decoder”.
decoder-residual-help-channels = Channels of the input (C); must be divisible by N.
decoder-residual-help-channel-group = N: the block maps C channels to C / N.
decoder-residual-help-scale-factor = s: both branches upsample by s.
decoder-caption-transposed-kernel = transposed kernel { $sym }
decoder-caption-learned-branch = learned branch { $sym }
decoder-caption-skip = bilinear additive skip { $sym }
decoder-residual-fact-weights = weights: { $n } in the learned branch, none in the skip

## conv_round_trip

round-trip-title = conv → transposed conv (not an inverse)
round-trip-summary = A conv, then the transposed conv with the same weight: the shape comes back, the values do not — the transposed conv is the conv's adjoint.
round-trip-help-in-channels = Channels of x (C_in), and of the round trip's result.
round-trip-help-out-channels = Channels of the conv's output y (C_out).
round-trip-help-kernel-size = Height and width of the shared kernel (k).
round-trip-help-padding = Padding of both convs (p).
round-trip-kernel-too-big = a { $k }×{ $k } kernel does not fit in { $size } + 2·{ $p } cells
round-trip-caption-kernel = kernel { $sym }
round-trip-caption-back = { $sym } = conv_transpose2d(y, w), x's shape
round-trip-formula-adjoint = adjoint: ⟨conv2d(x, w), y⟩ = ⟨x, conv_transpose2d(y, w)⟩ for every x and y
round-trip-fact-shape = shape restored: r is { $shape } like x{ $note }
round-trip-fact-shape-note = {" "}(output_padding { $op } puts back the rows and columns the conv's floor dropped)
round-trip-fact-values = values not restored: { $changed } of { $n } cells of r differ from x — a transposed conv is not an inverse
round-trip-fact-adjoint = adjoint identity with y = conv2d(x, w): ⟨y, y⟩ = { $lhs } and ⟨x, r⟩ = { $rhs }{ $equal }
round-trip-equal = , equal
round-trip-equal-rounding = , equal up to rounding (difference { $difference })

## fcn_skips

fcn-title = FCN skips (FCN-32s, 16s, 8s)
fcn-summary = Score maps at strides 32, 16 and 8, fused coarse to fine: upsample ×2 by a transposed conv initialised to bilinear, add the finer map, and finally upsample to the image.
fcn-variant = Variant
fcn-variant-help = Which score maps are fused before the final upsampling.
fcn-variant-8s = FCN-8s: strides 32 + 16 + 8, then ×8
fcn-variant-16s = FCN-16s: strides 32 + 16, then ×16
fcn-variant-32s = FCN-32s: stride 32, then ×32
fcn-coarse-size = Stride-32 map size
fcn-coarse-size-help = Side of the stride-32 score map; the image is 32 times as large.
fcn-caption-scores = { $sym } = scores at stride { $stride } ({ $source })
fcn-caption-up = { $sym } = ×2 of { $source }
fcn-caption-b4 = b4 = bilinear 4×4 (×2)
fcn-caption-b = b = bilinear { $k }×{ $k } (×{ $s })
fcn-caption-y = y = ×{ $s } of { $source }, the image's size
fcn-formula-fuse = { $f } = conv_transpose2d({ $previous }, b4, stride=2, padding=1) + s{ $stride }: ×2, then add the { $source } scores
fcn-formula-final = y = conv_transpose2d({ $last }, b, stride={ $s }, padding={ $p }): { $k }×{ $k } bilinear kernel, { $coarse } → { $n }×{ $n }
fcn-fact-detail = { $variant }: the output's finest detail comes from stride { $stride }; each step of fusion halves the stride of the map that is upsampled last
fcn-fact-kernels = upsampling kernels initialised to bilinear (FCN's upsample_filt): the ×2 ones are learned in FCN, the last one is fixed
