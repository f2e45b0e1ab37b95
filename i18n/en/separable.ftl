# Separable convolutions (src/ops/separable.rs) and the composites' shared words
# (src/ops/compose.rs: the sum of two grids, the facts of a factorisation).

## spatially_separable_conv2d

separable-spatial = spatially separable conv (k×1 then 1×k)
    .summary = A k×1 conv then a 1×k conv equals one k×k conv whose kernel is their outer product, with 2k weights instead of k².
separable-preset-sobel = Sobel: binomial ⊗ difference
separable-preset-box = box blur (all ones)
separable-preset-random = random integers
separable-kernel-size = Kernel size
separable-spatial-kernel-help = k: a k×1 column, then a 1×k row.
separable-padding = Padding
    .help = Zeros around the input (p).
separable-spatial-padding-help = Zeros around the input (p), split between the two passes.
separable-stride = Stride
    .help = Step of the window (s).
separable-spatial-stride-help = Step of the window (s), split between the two passes.
separable-channels = Channels
    .help = Channels (C); each is filtered on its own (groups = C).
separable-kernel = Kernel
    .help = The column and row vectors.
separable-column-a = column a (k×1)
separable-column-pass-t = column pass t
separable-row-b = row b (1×k)
separable-outer-w = W = a·b (k×k)
separable-full-equal = full conv y′ = y
separable-spatial-passes = W[i, j] = a[i] · b[j]: the column pass (stride { $s }, padding { $p } on rows) then the row pass (on columns)
separable-note-column-row = {" "}(column a, row b)
separable-note-w = {" "}(W)
separable-kind-separable = separable

## depthwise_separable_conv2d

separable-depthwise = depthwise-separable conv (depthwise then 1×1)
    .summary = A depthwise k×k conv (one kernel per channel, groups = C) then a pointwise 1×1 conv mixing channels, beside the full conv it replaces.
separable-in-channels = In channels
    .help = Channels of the input (C).
separable-out-channels = Out channels
    .help = Channels of the output (C_out).
separable-depthwise-kernel-help = k of the depthwise k×k kernels.
separable-depthwise-d = depthwise d
separable-depthwise-t = depthwise t
separable-pointwise-q = pointwise q (1×1)
separable-full-kernel = full kernel W
separable-full-conv = full conv y′
separable-depthwise-weights = weights: C·k² + C·C_out = { $depthwise } + { $pointwise } = { $sum }  vs  C·C_out·k² = { $dense }
separable-depthwise-ratio = ratio 1/C_out + 1/k² = { $ratio } (e.g. 16 → 32 channels, 3×3: 16·9 + 16·32 = 656 vs 4608)
separable-depthwise-products = multiply-adds: { $depthwise } depthwise + { $pointwise } pointwise vs { $full } full (output { $size })

## Composites (compose.rs)

separable-sum-stage = sum
    .explain = Each output cell adds { $a } and { $b }.
# A two-pass factorisation beside the full operator: $split_note and $whole_note follow the
# counts (each starts with its own space, or is empty); $kind names the factorisation.
separable-fact-weights = weights: { $split } = { $a } + { $b }{ $split_note } instead of { $whole } = { $full }{ $whole_note }
separable-fact-products = multiply-adds: { $a } + { $b } { $kind } vs { $full } full
