# conv2d, conv_transpose2d, max_pool2d and avg_pool2d (src/ops/conv2d.rs,
# src/ops/conv_transpose2d.rs, src/ops/pool.rs). A control's message is its label, its
# `.help` attribute the help under it; a stage's message is its name, `.explain…` its line.

## Shared by the convolutions

conv-same-strided = padding='same' is not supported for strided convolutions (stride must be 1)
conv-at-least-one = { $name } must be at least 1
conv-groups-divide = { $name } ({ $channels }) must be divisible by groups ({ $groups })
conv-bias-length = bias has { $len } values but there are { $channels } output channels
conv-fact-weights = weights: { $product } = { $n }{ $bias ->
        [0] {""}
       *[other] {" + "}{ $bias } bias
    }
conv-fact-multiply-adds = multiply-adds: { $products }
conv-stage-sweep = kernel sweep

## conv2d

conv2d-title = conv2d (convolution)
conv2d-summary = The kernel slides over the zero-padded input; each output cell is the sum of kernel × window (plus bias).
conv2d-padding = Padding
    .help = Zeros around the input (p), per axis; “same” keeps the size (stride 1 only), “valid” adds none.
conv2d-weight-channels = the weight expects { $expected } input channels ({ $per_group } per group × { $groups } groups) but the input has { $channels }
conv2d-pads-even = 2·padding { $p }
conv2d-pads-uneven = padding { $before } + { $after }
conv2d-span-too-wide = the dilated kernel spans { $span } { $axis ->
        [rows] rows
       *[columns] columns
    } but the padded input has { $padded } ({ $axis ->
        [rows] height
       *[columns] width
    } { $size } + { $pads })
conv2d-formula-same = padding='same': dilation·(kernel_size − 1) = { $d_rows }·({ $k_rows } − 1) = { $rows } rows and { $d_cols }·({ $k_cols } − 1) = { $cols } columns of zeros, the smaller half before (PyTorch): { $top } above, { $bottom } below, { $left } left, { $right } right
conv2d-formula-valid = padding='valid': no padding
conv2d-fact-span = a { $kernel } kernel at dilation { $dilation } spans { $span } input cells with { $taps } taps{ $holes ->
        [0] {""}
       *[other] {" "}({ $holes } cells between taps are skipped)
    }
conv2d-sweep-explain = The kernel slides over the padded input; each output cell sums kernel × window.

## conv_transpose2d

convt-title = conv_transpose2d (transposed conv)
convt-summary = Upsamples: gather = zero insertion, padding and a stride-1 sweep of the flipped kernel; scatter = every input cell stamps value × kernel.
convt-view = View
    .help = Two equivalent ways to compute a transposed convolution; the numbers are the same.
convt-view-gather = gather: zero insertion → padding → sweep
convt-view-scatter = scatter: stamp each input cell
convt-padding = Padding
    .help = Cropped from each side of the output (p), per axis; in the gather view it lowers the zero padding to d(k − 1) − p.
convt-output-padding = Output padding
    .help = Extra rows and columns added at the bottom/right of the output; must be smaller than stride or dilation.
convt-weight-channels = the weight [C_in, C_out/groups, kh, kw] has C_in = { $weight } but the input has { $channels } channels
convt-output-padding-too-large = output_padding ({ $output_padding }) must be smaller than either stride ({ $stride }) or dilation ({ $dilation })
convt-crops-everything = padding { $padding } crops away the whole output: { $sum }
convt-fact-cropped = { $n } of the { $stamped } stamped products fall outside the output (cropped by padding) and are not added
convt-count = { $n }
convt-count-axes = { $rows } (rows) and { $cols } (columns)
convt-pad-none = { $axis ->
        [rows] no rows are added
        [columns] no columns are added
       *[both] no rows and columns are added
    }
convt-pad-add = { $q } { $axis ->
        [rows] rows
        [columns] columns
       *[both] rows and columns
    } of zeros are added on each side
convt-pad-crop = { $q } { $axis ->
        [rows] rows
        [columns] columns
       *[both] rows and columns
    } are cropped from each side (padding exceeds dilation·(kernel_size − 1))
convt-padding-explain = dilation·(kernel_size − 1) − padding: { $what }.
convt-padding-explain-axes = dilation·(kernel_size − 1) − padding: { $rows }; { $cols }.
convt-formula-output-padding-bottom = {" "}plus output_padding { $op } at the bottom
convt-formula-output-padding-right = {" "}plus output_padding { $op } at the right
convt-formula-gather = gather{ $axis ->
        [rows] {" "}(rows)
        [columns] {" "}(columns)
       *[both] {""}
    }: insert stride − 1 = { $zeros } zeros between cells, pad dilation·(kernel_size − 1) − padding = { $d }·({ $k } − 1) − { $p } = { $pad } per side{ $extra }, sweep w′ = w rotated 180° with stride 1
convt-caption-z = z = x zero-inserted, padded
convt-caption-flipped = w′ = w rotated 180°
convt-stage-insertion = zero insertion
    .explain = Input cells are spread out with stride − 1 = { $zeros } zeros between neighbours.
convt-stage-padding = padding
convt-stage-rotation = kernel rotation
    .explain = The kernel is rotated 180°: w′[c, o, a, b] = w[c, o, k_h − 1 − a, k_w − 1 − b], so the sweep multiplies each window by w′ cell by cell.
convt-sweep-explain = w′ (w rotated 180°) slides with stride 1; each output cell sums w′ × window, cell by cell.
convt-stage-start = start
    .explain = Every output cell starts at zero.
    .explain-bias = Every output cell starts at its channel's bias.
convt-stage-scatter = scatter
    .explain = Each input cell stamps value × kernel onto the output; overlapping stamps add up (the count shows how many).

## max_pool2d and avg_pool2d

pool2d-max-title = max_pool2d (max pooling)
pool2d-max-summary = Each output cell keeps the largest value under its window; with stride > 1 the map shrinks.
pool2d-avg-title = avg_pool2d (average pooling)
pool2d-avg-summary = Each output cell is the mean of its window; count_include_pad says whether padding zeros count.
pool2d-kernel-size = Kernel size
    .help = Height and width of the pooling window (k).
pool2d-stride = Stride
    .help = Step between windows (s); FCN and DeepLab set some pooling strides to 1.
pool2d-padding = Padding
    .help = Cells added before and after each axis (p ≤ k/2).
pool2d-dilation = Dilation
    .help = Spacing between the window's cells (d); the window spans d·(k − 1) + 1 cells.
pool2d-ceil-mode = ceil_mode
    .help = Round the output size up instead of down (the last window must still start inside the input or the left padding).
pool2d-channels = Channels
    .help = Channels (C); each is pooled on its own.
pool2d-count-include-pad = count_include_pad
    .help = true: padding zeros count towards the divisor (PyTorch's default); false: only input cells count.
pool2d-padding-too-large = padding ({ $padding }) must be at most half of kernel_size ({ $kernel_size }), rounded down, as PyTorch requires
pool2d-no-output = the output would have { $out } { $axis ->
        [rows] rows
       *[columns] columns
    }: a { $window }-cell window does not fit the { $size } { $axis ->
        [rows] rows
       *[columns] columns
    } plus 2·{ $padding } padding
pool2d-stage-max = max pooling
    .explain = Each output cell is the largest input value under its window (padding never wins).
pool2d-stage-avg = average pooling
    .explain = Each output cell is the mean of the input cells under its window; padding is not counted.
    .explain-pad = Each output cell is the mean of its window; padding zeros count towards the divisor.
    .explain-override = Each output cell is the sum of its window divided by divisor_override.
pool2d-formula-dropped = { $line }; the last window would start at { $start } ≥ { $name } + padding = { $limit }, in the right padding, so ceil_mode drops it: { $out }
pool2d-fact-no-weights = weights: none
pool2d-fact-spread = {" "}spread over { $span } cells
pool2d-fact-windows = a window has { $kernel } = { $taps } taps{ $spread }, windows { $stride } apart: { $shared ->
        [0] no input cell is read by two windows
       *[other] { $shared } input cells are read by two or more windows
    }; { $unread ->
        [0] every input cell is read
       *[other] { $unread } input cells are read by no window
    }
pool2d-fact-pad-counted = count_include_pad=True: padding zeros count towards each divisor
pool2d-fact-pad-not-counted = count_include_pad=False: each divisor counts only the input cells under the window
pool2d-hint-ceil = { $line }; with ceil_mode, a last window that would start in the right padding (at or past { $name } + padding) is dropped
