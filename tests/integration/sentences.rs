//! What a reader sees in words, pinned for every operator at its defaults and at one other
//! setting: the formula, the facts, the step sentences (first, middle, last) with their stage
//! explanations, and the hover sentences of an output cell and an input cell. A change to
//! any of them shows up as a reviewable text diff.
//! Update with `INSTA_UPDATE=always cargo test --test integration sentences`.

use std::fmt::Write;

use convscope::ops;
use convscope::session::Session;
use convscope::trace::{CellKind, CellRef, Role, Trace};

/// One setting besides the defaults for every operator, chosen to exercise what the defaults
/// leave out (strides, padding, bias, other modes and presets).
const OTHER_SETTINGS: &[(&str, &str)] = &[
    ("conv2d", "stride=2&padding=1,0&dilation=2&bias=on&in_channels=2&groups=2&out_channels=2"),
    ("conv_transpose2d", "view=scatter&stride=2&padding=1&output_padding=1&bias=on"),
    ("interpolate", "mode=bicubic&align_corners=true&scale_factor=1.5"),
    ("max_pool2d", "kernel_size=3&stride=2&padding=1&dilation=2&ceil_mode=true"),
    ("avg_pool2d", "kernel_size=3&stride=2&padding=1&count_include_pad=false&ceil_mode=true"),
    ("pixel_shuffle", "upscale_factor=3&in_channels=9"),
    ("depth_to_space", "mode=DCR&block_size=2&in_channels=8"),
    ("pixel_unshuffle", "downscale_factor=3&height=6&width=6"),
    ("bilinear_additive_upsample", "scale_factor=3&channel_group=4&channels=8"),
    ("decomposed_conv_transpose2d", "kernel_size=4&stride=3&padding=1&in_channels=2"),
    ("separable_conv_transpose2d", "kernel_size=4&stride=2&padding=1&out_channels=3"),
    ("residual_upsample", "scale_factor=3&channel_group=1&channels=2"),
    ("resize_conv2d", "mode=bilinear&align_corners=true&scale_factor=3&kernel_size=4&padding=0&out_channels=2"),
    ("checkerboard", "view=image&kernel_size=4&stride=2&layers=2"),
    ("receptive_field", "preset=deeplab_largefov&input_size=321&out_row=10&out_col=20"),
    ("aspp", "preset=aspp_s&kernel_size=5&out_row=0&out_col=3"),
    ("shift_and_stitch", "factor=3&kernel_size=5&height=9&width=9"),
    ("conv_round_trip", "stride=3&height=7&width=6&kernel_size=4&padding=0&in_channels=2"),
    ("fcn_skips", "variant=fcn16s&coarse_size=1"),
    ("deform_conv2d", "offsets=rotate&strength=20&mask=radial&stride=2&padding=2"),
    ("deform_roi_pool", "method=pool&x1=1&y1=3&x2=11&y2=9&output_size=2"),
    ("depthwise_separable_conv2d", "kernel_size=5&padding=2&stride=2&out_channels=4"),
    ("spatially_separable_conv2d", "kernel_size=5&padding=2&stride=2&channels=2"),
];

/// The cells whose hover sentences a reader is shown: a cell of the last written grid (an
/// output) and the first data cell of the first input.
pub fn probe_cells(trace: &Trace) -> [Option<CellRef>; 2] {
    let output = trace.grids.iter().rposition(|g| g.written).map(|grid| CellRef { grid, index: [0; 4] });
    let input = trace.grids.iter().position(|g| g.role == Role::Input).and_then(|grid| {
        let g = &trace.grids[grid];
        (0..g.len()).find(|&off| g.kinds[off] == CellKind::Value).map(|off| CellRef { grid, index: g.unravel(off) })
    });
    [output, input]
}

/// The steps whose sentences a reader is shown: before the first, the first, the middle, the last.
pub fn probe_steps(n: usize) -> Vec<usize> {
    let mut steps = vec![0, 1, n.div_ceil(2), n];
    steps.dedup();
    steps
}

/// The words of one setting, as a text block.
fn words(query: &str) -> String {
    let mut s = Session::from_query(query);
    let mut out = format!("query: {query}\n");
    if let Some(error) = s.error() {
        writeln!(out, "refused: {}", error.message).unwrap();
    }
    for warning in s.warnings() {
        writeln!(out, "warning: {warning}").unwrap();
    }
    let run = s.run();
    writeln!(out, "formula:").unwrap();
    run.formula.iter().for_each(|line| writeln!(out, "  {line}").unwrap());
    writeln!(out, "facts:").unwrap();
    run.facts.iter().for_each(|line| writeln!(out, "  {line}").unwrap());
    let [output, input] = probe_cells(&run.trace);
    for step in probe_steps(s.n_steps()) {
        s.seek(step);
        writeln!(out, "step {step}: {}", s.describe()).unwrap();
        if let Some(explain) = s.stage_explanation() {
            writeln!(out, "  stage: {explain}").unwrap();
        }
    }
    for (name, cell) in [("output", output), ("input", input)] {
        s.set_hover(cell);
        writeln!(out, "hover {name}: {}", s.hover_text().unwrap_or_else(|| "(none)".into())).unwrap();
    }
    out
}

#[test]
fn sentences_of_every_operator() {
    for op in ops::OPERATORS {
        let other = OTHER_SETTINGS.iter().find(|(name, _)| *name == op.name);
        let (_, other) = other.unwrap_or_else(|| panic!("{} has no other setting in OTHER_SETTINGS", op.name));
        let text = format!("{}\n{}", words(&format!("op={}", op.name)), words(&format!("op={}&{other}", op.name)));
        assert!(!text.contains("refused:"), "{}: a pinned setting is refused:\n{text}", op.name);
        assert!(!text.contains("warning:"), "{}: a pinned setting is not read as written:\n{text}", op.name);
        insta::with_settings!({ snapshot_path => "sentences", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(op.name, text);
        });
    }
}

/// The grid symbols a sentence names: a run of letters, digits, primes and combining marks
/// right before `[`.
fn named_symbols(sentence: &str) -> Vec<String> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '[' {
            continue;
        }
        let mut j = i;
        while j > 0 && (chars[j - 1].is_alphanumeric() || matches!(chars[j - 1], '′' | '_' | '\u{0302}' | '\u{0303}'))
        {
            j -= 1;
        }
        if j < i {
            out.push(chars[j..i].iter().collect());
        }
    }
    out
}

/// Whether `caption` shows `symbol` as a word of its own.
fn caption_shows(caption: &str, symbol: &str) -> bool {
    caption
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ':' | '=' | '·' | '+'))
        .any(|word| word == symbol)
}

/// Every grid a step or hover sentence names (`v[0,1,0,0]`) is named so in a caption of the
/// picture: a reader can find it.
#[test]
fn sentences_name_grids_the_picture_captions() {
    let mut problems = Vec::new();
    for op in ops::OPERATORS {
        let other = OTHER_SETTINGS.iter().find(|(name, _)| *name == op.name).map(|(_, q)| *q).unwrap_or("");
        for query in [format!("op={}", op.name), format!("op={}&{other}", op.name)] {
            let mut s = Session::from_query(&query);
            let n = s.n_steps();
            let trace = s.run().trace.clone();
            let mut sentences = Vec::new();
            for step in [1, n / 3, n.div_ceil(2), n] {
                s.seek(step);
                sentences.push(s.describe());
            }
            for (grid, g) in trace.grids.iter().enumerate() {
                let off = (0..g.len()).find(|&off| g.kinds[off] == CellKind::Value).unwrap_or(0);
                s.set_hover(Some(CellRef { grid, index: g.unravel(off) }));
                sentences.extend(s.hover_text());
            }
            for sentence in &sentences {
                for symbol in named_symbols(sentence) {
                    if !trace.grids.iter().any(|g| g.symbol == symbol && caption_shows(&g.caption.en(), &symbol)) {
                        problems.push(format!("{query}: `{symbol}` in “{sentence}” is in no caption"));
                    }
                }
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{} sentences name grids no caption shows:\n{}", problems.len(), problems.join("\n"));
}
