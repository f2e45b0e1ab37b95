//! The compact, URL-safe form of a layer stack: comma-separated layers, each a kind letter
//! (`c` conv, `p` pool) and kernel size, then optional `s` stride, `p` padding, `d` dilation,
//! and `*n` to repeat: `c3p1*2,p2s2,c3p2d2` is two 3×3 convs (padding 1), a 2×2 pooling with
//! stride 2 and a 3×3 conv at rate 2.

use super::{Layer, MAX_LAYERS};
use crate::msg;
use crate::text::Msg;

/// A malformed stack, with the 0-based layer it is about when there is one.
#[derive(Clone, Debug, PartialEq)]
pub struct StackError {
    pub layer: Option<usize>,
    pub message: Msg,
}

impl StackError {
    /// The control to blame: `name.i` for layer `i`, else `name`.
    pub fn param(&self, name: &str) -> String {
        match self.layer {
            Some(i) => format!("{name}.{i}"),
            None => name.to_string(),
        }
    }
}

/// Longest stack text accepted.
const MAX_TEXT: usize = 4096;

pub fn parse(text: &str) -> Result<Vec<Layer>, StackError> {
    let text = text.trim();
    if text.len() > MAX_TEXT {
        return Err(StackError {
            layer: None,
            message: msg!("receptive-stack-text-too-long", max = MAX_TEXT.to_string()),
        });
    }
    let mut layers = Vec::new();
    for token in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let index = layers.len();
        let bad = |message: Msg| StackError { layer: Some(index), message };
        let (body, repeat) = match token.split_once('*') {
            Some((body, n)) => (
                body,
                n.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=MAX_LAYERS).contains(n))
                    .ok_or_else(|| bad(msg!("receptive-stack-bad-repeat", raw = n, max = MAX_LAYERS.to_string())))?,
            ),
            None => (token, 1),
        };
        let mut chars = body.chars().peekable();
        let pool = match chars.next() {
            Some('c') => false,
            Some('p') => true,
            _ => return Err(bad(msg!("receptive-stack-bad-kind", raw = clip(token)))),
        };
        let number = |chars: &mut std::iter::Peekable<std::str::Chars>| -> Option<usize> {
            let digits: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_digit)).collect();
            digits.parse().ok().filter(|v: &usize| *v <= 4096)
        };
        let kernel_size =
            number(&mut chars).ok_or_else(|| bad(msg!("receptive-stack-no-kernel", raw = clip(token))))?;
        let mut layer = if pool { Layer::pool(kernel_size, 1, 0) } else { Layer::conv(kernel_size, 1, 0, 1) };
        while let Some(key) = chars.next() {
            let value = number(&mut chars)
                .ok_or_else(|| bad(msg!("receptive-stack-no-number", key = key.to_string(), raw = clip(token))))?;
            match key {
                's' => layer.stride = value,
                'p' => layer.padding = value,
                'd' if !pool => layer.dilation = value,
                _ => {
                    return Err(bad(msg!(
                        "receptive-stack-unknown-field",
                        key = key.to_string(),
                        raw = clip(token),
                        keys = if pool { "s, p" } else { "s, p, d" }
                    )));
                }
            }
        }
        if layers.len() + repeat > MAX_LAYERS {
            return Err(StackError {
                layer: None,
                message: msg!("receptive-stack-at-most", max = MAX_LAYERS.to_string()),
            });
        }
        layers.extend(std::iter::repeat_n(layer, repeat));
    }
    super::validate(&layers).map_err(|e| StackError { layer: e.layer, message: e.message })?;
    Ok(layers)
}

/// The compact form, with runs of equal layers folded into `*n`.
pub fn format(layers: &[Layer]) -> String {
    let one = |l: &Layer| {
        let mut s = format!("{}{}", if l.pool { 'p' } else { 'c' }, l.kernel_size);
        if l.stride != 1 {
            s += &format!("s{}", l.stride);
        }
        if l.padding != 0 {
            s += &format!("p{}", l.padding);
        }
        if l.dilation != 1 {
            s += &format!("d{}", l.dilation);
        }
        s
    };
    layers
        .chunk_by(|a, b| a == b)
        .map(|run| if run.len() > 1 { format!("{}*{}", one(&run[0]), run.len()) } else { one(&run[0]) })
        .collect::<Vec<_>>()
        .join(",")
}

fn clip(text: &str) -> String {
    text.chars().take(24).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_folds_runs() {
        let layers = parse("c3p1, c3p1, p2s2, c3p2d2*3").unwrap();
        assert_eq!(layers.len(), 6);
        assert_eq!(layers[2], Layer::pool(2, 2, 0));
        assert_eq!(layers[5], Layer::conv(3, 1, 2, 2));
        assert_eq!(format(&layers), "c3p1*2,p2s2,c3p2d2*3");
        assert_eq!(parse(&format(&layers)).unwrap(), layers);
    }

    #[test]
    fn errors_name_the_layer() {
        let err = parse("c3p1,c3s0").unwrap_err();
        assert_eq!((err.layer, err.message.en().as_str()), (Some(1), "stride must be between 1 and 64, not 0"));
        assert_eq!(parse("c3,x3").unwrap_err().layer, Some(1));
        assert!(parse("c3q2").unwrap_err().message.en().contains("unknown field"));
        assert!(parse("p3d2").is_err());
        assert!(parse("c3*0").is_err());
        assert!(parse("").unwrap_err().message.en().contains("no layers"));
    }
}
