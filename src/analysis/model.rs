//! A layer stack from what PyTorch prints for a model (`print(model)`): the model's children
//! and nested `Sequential`s are flattened in order (a custom block inside, such as ResNet's
//! `BasicBlock`, may have parallel branches and is refused); `Conv2d`, `MaxPool2d` and `AvgPool2d`
//! become layers with their `kernel_size`, `stride`, `padding`, `dilation` (int or tuple form)
//! and `ceil_mode`; activations, norms and dropout pass through. A module the field cannot
//! pass through (`Linear`, `Flatten`, `Upsample`, `ConvTranspose2d`, adaptive pooling, …) or a
//! line that cannot be read is an error naming its line.

use super::Layer;
use crate::msg;
use crate::text::Msg;

/// Modules that change no pixel's position: the field passes through them unchanged.
const PASS_THROUGH: &[&str] = &[
    "ReLU",
    "ReLU6",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "SELU",
    "CELU",
    "GELU",
    "SiLU",
    "Mish",
    "Hardswish",
    "Hardsigmoid",
    "Sigmoid",
    "Tanh",
    "Softplus",
    "Identity",
    "BatchNorm2d",
    "SyncBatchNorm",
    "GroupNorm",
    "InstanceNorm2d",
    "LayerNorm",
    "LocalResponseNorm",
    "Dropout",
    "Dropout2d",
    "AlphaDropout",
    "FrozenBatchNorm2d",
];

/// Containers whose forward runs their children in order (torchvision's conv-norm-activation
/// blocks are `Sequential`s too).
const SEQUENTIAL: &[&str] =
    &["Sequential", "Conv2dNormActivation", "ConvNormActivation", "ConvBNReLU", "ConvBNActivation"];

/// A module that has position-dependent effects the field analysis cannot follow, and why
/// (a message id).
fn blocked(name: &str) -> Option<&'static str> {
    Some(match name {
        "Linear" | "LazyLinear" => "receptive-model-linear",
        "Flatten" | "Unflatten" => "receptive-model-flatten",
        "Upsample" | "UpsamplingBilinear2d" | "UpsamplingNearest2d" => "receptive-model-upsample",
        "ConvTranspose2d" => "receptive-model-transposed",
        "AdaptiveAvgPool2d" | "AdaptiveMaxPool2d" => "receptive-model-adaptive",
        "PixelShuffle" | "PixelUnshuffle" => "receptive-model-shuffle",
        _ => return None,
    })
}

/// An error on line `line` (1-based) of the printout.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelError {
    pub line: usize,
    pub message: Msg,
}

impl ModelError {
    /// The error as a message, with its line.
    pub fn msg(&self) -> Msg {
        msg!("model-error", line = self.line, problem = &self.message)
    }
}

/// English, for the `eval` protocol.
impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().en())
    }
}

/// One layer read from the printout, with its line and module name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelLayer {
    pub line: usize,
    pub module: String,
    pub layer: Layer,
}

/// Most characters of a printout read (a ResNet-152's print is about 60 000).
pub const MAX_MODEL_TEXT: usize = 1 << 20;

/// Reads the layer stack out of `text`, what `print(model)` shows.
pub fn parse_model(text: &str) -> Result<Vec<ModelLayer>, ModelError> {
    if text.len() > MAX_MODEL_TEXT {
        return Err(ModelError {
            line: 0,
            message: msg!("receptive-model-too-long", max = MAX_MODEL_TEXT.to_string()),
        });
    }
    let mut layers = Vec::new();
    let mut seen_module = false;
    // Open containers; the outermost is the model itself, whose children run in order.
    let mut depth = 0usize;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut rest = raw.trim();
        if rest.is_empty() {
            continue;
        }
        if rest == ")" {
            depth = depth.saturating_sub(1);
            continue;
        }
        // `(name): Module(...)`, or a bare `Module(` (the top line).
        if let Some(stripped) = rest.strip_prefix('(') {
            let close = stripped.find("): ").ok_or_else(|| error(line, msg!("receptive-model-expected-child")))?;
            rest = &stripped[close + 3..];
        }
        // PyTorch 2.1+ condenses repeated children: `(0-2): 3 x Conv2d(...)`.
        let mut repeat = 1;
        if let Some((count, module)) = rest.split_once(" x ").filter(|(c, _)| c.chars().all(|ch| ch.is_ascii_digit())) {
            repeat = count
                .parse::<usize>()
                .map_err(|_| error(line, msg!("receptive-model-bad-count", raw = count)))?
                .min(super::MAX_LAYERS + 1);
            rest = module;
        }
        let open = rest.find('(').ok_or_else(|| error(line, msg!("receptive-model-unreadable", raw = clip(rest))))?;
        let module = &rest[..open];
        if module.is_empty() || !module.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return Err(error(line, msg!("receptive-model-unreadable", raw = clip(rest))));
        }
        seen_module = true;
        let inner = rest[open + 1..].trim_end();
        // A container opens a block whose children follow on their own lines. Inside the
        // model, only containers that run their children one after another are read: a
        // custom block (ResNet's BasicBlock, a residual branch) may add parallel paths.
        if inner.is_empty() {
            let short = module.rsplit('.').next().unwrap_or(module);
            if repeat > 1 {
                return Err(error(line, msg!("receptive-model-repeated-block", n = repeat, module = short)));
            }
            if depth > 0 && !SEQUENTIAL.contains(&short) {
                return Err(error(line, msg!("receptive-model-custom-block", module = short)));
            }
            depth += 1;
            continue;
        }
        let args = match matching_close(inner) {
            Some(end) if end == inner.len() - 1 => &inner[..end],
            Some(_) => return Err(error(line, msg!("receptive-model-unreadable", raw = clip(rest)))),
            None => return Err(error(line, msg!("receptive-model-not-closed", raw = clip(rest)))),
        };
        let short = module.rsplit('.').next().unwrap_or(module);
        match short {
            "Conv2d" | "MaxPool2d" | "AvgPool2d" => {
                let layer = read_layer(short, args)
                    .map_err(|m| error(line, msg!("receptive-model-module-problem", module = short, problem = m)))?;
                for _ in 0..repeat {
                    layers.push(ModelLayer { line, module: short.to_string(), layer });
                }
                if layers.len() > super::MAX_LAYERS {
                    return Err(error(line, msg!("receptive-model-too-many", max = super::MAX_LAYERS.to_string())));
                }
            }
            _ if PASS_THROUGH.contains(&short) => {}
            _ => {
                let why = blocked(short).map_or_else(
                    || msg!("receptive-model-unknown-module", module = short),
                    |why| msg!("receptive-model-module-problem", module = short, problem = Msg::id(why)),
                );
                return Err(error(line, why));
            }
        }
    }
    if !seen_module {
        return Err(error(1, msg!("receptive-model-no-module")));
    }
    if layers.is_empty() {
        return Err(error(1, msg!("receptive-model-no-layers")));
    }
    if layers.len() > super::MAX_LAYERS {
        let max = super::MAX_LAYERS.to_string();
        return Err(error(layers[super::MAX_LAYERS].line, msg!("receptive-model-too-many", max = max)));
    }
    Ok(layers)
}

fn error(line: usize, message: Msg) -> ModelError {
    ModelError { line, message: message.into() }
}

fn clip(text: &str) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The byte index of the `)` that closes a `(` just before `text`, if on this line.
fn matching_close(text: &str) -> Option<usize> {
    let mut depth = 1i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits `a, b=(1, 2), c=3` at the commas outside parentheses.
fn split_args(args: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, c) in args.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(args[start..].trim());
    out.into_iter().filter(|a| !a.is_empty()).collect()
}

/// An int or a square tuple `(3, 3)`; a non-square tuple is refused (the field analysis is per
/// axis with one size for both).
fn square(name: &str, value: &str) -> Result<usize, Msg> {
    let value = value.trim();
    let parts: Vec<&str> = match value.strip_prefix('(').and_then(|v| v.strip_suffix(')')) {
        Some(inner) => inner.split(',').map(str::trim).filter(|p| !p.is_empty()).collect(),
        None => vec![value],
    };
    let numbers: Vec<usize> = parts
        .iter()
        .map(|p| {
            p.parse::<usize>().map_err(|_| msg!("receptive-model-not-number", setting = format!("{name}={value}")))
        })
        .collect::<Result<_, _>>()?;
    match numbers.as_slice() {
        [n] => Ok(*n),
        [a, b] if a == b => Ok(*a),
        [a, b] => Err(msg!("receptive-model-not-square", setting = format!("{name}=({a}, {b})"))),
        _ => Err(msg!("receptive-model-entries", setting = format!("{name}={value}"), n = numbers.len())),
    }
}

fn read_layer(module: &str, args: &str) -> Result<Layer, Msg> {
    let conv = module == "Conv2d";
    let (mut kernel, mut stride, mut padding, mut dilation) = (None, None, 0, 1);
    let mut positional = 0;
    for arg in split_args(args) {
        let Some((name, value)) = arg.split_once('=') else {
            // Conv2d prints in_channels, out_channels and the kernel size positionally; a
            // pool prints everything by name.
            positional += 1;
            if conv && positional == 3 {
                kernel = Some(square("kernel_size", arg)?);
            } else if !conv || positional > 3 {
                return Err(msg!("receptive-model-bad-argument", raw = clip(arg)));
            }
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        match name {
            "kernel_size" => kernel = Some(square(name, value)?),
            "stride" => stride = Some(square(name, value)?),
            "padding" => {
                padding = square(name, value).map_err(|e| {
                    if value.starts_with(['\'', '"']) {
                        msg!("receptive-model-padding-word", setting = format!("padding={value}"))
                    } else {
                        e
                    }
                })?
            }
            "dilation" => dilation = square(name, value)?,
            "ceil_mode" => match value {
                "False" => {}
                "True" => {
                    return Err(msg!("receptive-model-ceil-mode"));
                }
                _ => return Err(msg!("receptive-model-bad-bool", setting = format!("ceil_mode={value}"))),
            },
            // Read and irrelevant to the field: channel counts, groups, bias, padding_mode
            // (any mode pads by the same amount), pooling's divisor and pad counting.
            "groups" | "bias" | "in_channels" | "out_channels" | "padding_mode" | "count_include_pad"
            | "divisor_override" | "return_indices" => {}
            _ => return Err(msg!("receptive-model-unknown-argument", name = name)),
        }
    }
    let kernel = kernel.ok_or_else(|| msg!("receptive-model-no-kernel"))?;
    // The bounds of the layer editor and of eval's layers.
    for (name, value, lo, hi) in
        [("kernel_size", kernel, 1, 64), ("padding", padding, 0, 1024), ("dilation", dilation, 1, 512)]
    {
        if !(lo..=hi).contains(&value) {
            return Err(msg!(
                "receptive-model-outside",
                setting = format!("{name}={value}"),
                min = lo.to_string(),
                max = hi.to_string()
            ));
        }
    }
    if stride.is_some_and(|s| !(1..=64).contains(&s)) {
        let setting = format!("stride={}", stride.unwrap_or(0));
        return Err(msg!("receptive-model-outside", setting = setting, min = "1", max = "64"));
    }
    // PyTorch's pools refuse padding over half the kernel.
    if !conv && 2 * padding > kernel {
        return Err(msg!(
            "receptive-model-pool-padding",
            padding = format!("padding={padding}"),
            kernel = format!("kernel_size={kernel}")
        ));
    }
    // PyTorch prints a pool's stride (its default is the kernel size); a conv's stride
    // defaults to 1 and is printed only when set.
    let stride = stride.unwrap_or(if conv { 1 } else { kernel });
    if !conv && dilation != 1 {
        return Err(msg!("receptive-model-pool-dilation", setting = format!("dilation={dilation}")));
    }
    Ok(if conv { Layer::conv(kernel, stride, padding, dilation) } else { Layer::pool(kernel, stride, padding) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_in_int_and_tuple_form() {
        let text = "Sequential(\n  (0): Conv2d(3, 64, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False)\n  (1): MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)\n  (2): AvgPool2d(kernel_size=2, stride=2, padding=0)\n  (3): Conv2d(64, 64, kernel_size=(1, 1), stride=(1, 1))\n)";
        let layers: Vec<Layer> = parse_model(text).unwrap().into_iter().map(|l| l.layer).collect();
        assert_eq!(
            layers,
            [Layer::conv(3, 2, 1, 2), Layer::pool(3, 2, 1), Layer::pool(2, 2, 0), Layer::conv(1, 1, 0, 1)]
        );
    }

    /// PyTorch 2.1+ prints repeated children once: `(0-2): 3 x Conv2d(…)`.
    #[test]
    fn condensed_repeats_are_unrolled() {
        let text = "Sequential(\n  (0-2): 3 x Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (3): ReLU()\n)";
        let layers: Vec<Layer> = parse_model(text).unwrap().into_iter().map(|l| l.layer).collect();
        assert_eq!(layers, [Layer::conv(3, 1, 1, 1); 3]);
    }

    #[test]
    fn what_cannot_be_passed_is_reported_with_its_line() {
        let text = "Net(\n  (features): Sequential(\n    (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))\n  )\n  (head): Linear(in_features=8, out_features=2, bias=True)\n)";
        let err = parse_model(text).unwrap_err();
        assert_eq!(err.line, 5, "{err}");
        assert!(err.message.en().starts_with("Linear"), "{err}");
        for (text, line, words) in [
            ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(1, 7), stride=(1, 1))\n)", 2, "rows and columns"),
            ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1)\n)", 2, "not closed"),
            (
                "Sequential(\n  (0): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)\n)",
                2,
                "ceil_mode=True",
            ),
            ("Sequential(\n  (0): Upsample(scale_factor=2.0, mode='nearest')\n)", 2, "upsampling"),
            ("Sequential(\n  (0): ConvTranspose2d(8, 8, kernel_size=(2, 2), stride=(2, 2))\n)", 2, "transposed"),
            ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)\n)", 2, "padding=same"),
            ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=(3, 3), wibble=2)\n)", 2, "unknown argument"),
            (
                "ResNet(\n  (conv1): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)\n  (layer1): Sequential(\n    (0): BasicBlock(\n      (conv1): Conv2d(64, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)\n    )\n  )\n)",
                4,
                "custom block",
            ),
            ("Sequential(\n  (0): Conv2d(3, 8, kernel_size=18446744073709551615, stride=(1, 1))\n)", 2, "outside 1…64"),
            (
                "Sequential(\n  (0): MaxPool2d(kernel_size=3, stride=2, padding=5, dilation=1, ceil_mode=False)\n)",
                2,
                "more than half",
            ),
            ("hello", 1, "cannot read"),
            ("", 1, "no module"),
            ("Sequential(\n  (0): ReLU()\n)", 1, "no Conv2d"),
        ] {
            let err = parse_model(text).unwrap_err();
            assert_eq!(err.line, line, "{text}: {err}");
            assert!(err.message.en().contains(words), "{text}: {err}");
        }
    }
}
