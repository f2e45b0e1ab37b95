# The words every operator shares (src/ops/mod.rs) and the trace's own stages (src/trace).
# A control's message is its label; its `.help` attribute (`.help-axes` for the per-axis
# version) is the help under it.

## Shared controls

ops-height = Input height
    .help = Rows of the input (H).
ops-width = Input width
    .help = Columns of the input (W).
ops-in-channels = In channels
    .help = Channels of the input (C_in).
ops-out-channels = Out channels
    .help = Channels of the output (C_out).
ops-groups = Groups
    .help = Split channels into this many independent groups; must divide both channel counts.
ops-kernel-size = Kernel size
    .help = Height and width of the kernel (k).
    .help-axes = Height and width of the kernel (k); untick “same for both axes” for a k_h×k_w kernel.
ops-stride = Stride
    .help = Step between neighbouring windows (s).
    .help-axes = Step between neighbouring windows (s), per axis.
ops-padding = Padding
    .help = Zeros added on every side of the input (p).
    .help-axes = Zeros added before and after each axis of the input (p).
ops-dilation = Dilation
    .help = Spacing between kernel taps (d); 1 is a dense kernel.
    .help-axes = Spacing between kernel taps (d), per axis; 1 is a dense kernel.
ops-bias = Bias
    .help = Add a learned constant per output channel.
ops-bias-off = off
ops-bias-on = on
ops-input-values = Input values
    .help = Preset for the input's cells.
ops-weight-values = Kernel values
    .help = Preset for the kernel's cells.
ops-seed = Random seed
    .help = Seed of the random integer presets.

## Value presets

ops-preset-random = random integers
ops-preset-ones = all ones
ops-preset-impulse = centred impulse
ops-preset-edge = edge
ops-preset-channel = channel number
ops-preset-blob = a blob (object)

## A yes-or-no control's options, in PyTorch's words

ops-false = false
ops-true = true

## What the shared checks refuse

ops-nonempty-input = the input must have at least one cell, got shape { $shape }
ops-nonempty-weight = the weight must have at least one cell, got shape { $shape }
ops-nonempty = the { $what } must have at least one cell, got shape { $shape }
ops-too-many-taps = this setting takes { $n } multiply-adds; convscope animates at most { $max } — make the input, kernel or channel count smaller

## The trace's own stages

ops-hand-over = hand-over
    .explain = The previous result is copied in, with zero padding around it.
