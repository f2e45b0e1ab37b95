//! What an operation answers ([`Answer`]), written straight from flat data as nested lists
//! exactly as `torch.Tensor.tolist()` gives them, refused when not finite; and the caps every
//! request is held to before anything is allocated ([`check_cost`]).

use ndarray::Array4;
use serde::ser::{Serialize, SerializeSeq, Serializer};

use super::{index_text, unravel};

/// What an operation answers: a tensor, integer indices, several of them, or a JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer {
    Tensor {
        shape: Vec<usize>,
        data: Vec<f32>,
    },
    /// A tensor of 64-bit floats (path counts, which outgrow `f32`'s exact integers).
    Tensor64 {
        shape: Vec<usize>,
        data: Vec<f64>,
    },
    Indices {
        shape: Vec<usize>,
        data: Vec<i64>,
    },
    Tuple(Vec<Answer>),
    Json(serde_json::Value),
}

impl Answer {
    /// A 4-D result, with `N` dropped when the input was unbatched.
    pub fn tensor4(array: Array4<f32>, unbatched: bool) -> Answer {
        let shape = array.shape().to_vec();
        let shape = if unbatched { shape[1..].to_vec() } else { shape };
        Answer::Tensor { shape, data: array.into_iter().collect() }
    }

    /// A 4-D result whose `N` unfolds into `lead` (see [`Tensor::fold_leading`]).
    pub fn unfold_leading(array: Array4<f32>, lead: &[usize]) -> Answer {
        let mut shape = lead.to_vec();
        shape.extend_from_slice(&array.shape()[1..]);
        Answer::Tensor { shape, data: array.into_iter().collect() }
    }

    /// Refuses a result that is not finite in `f32`, naming the first such element.
    pub fn check_finite(&self) -> Result<(), String> {
        match self {
            Answer::Tensor { shape, data } => check_all(shape, data.iter().map(|&v| f64::from(v)), "32-bit"),
            Answer::Tensor64 { shape, data } => check_all(shape, data.iter().copied(), "64-bit"),
            Answer::Tuple(items) => items.iter().try_for_each(Answer::check_finite),
            Answer::Indices { .. } | Answer::Json(_) => Ok(()),
        }
    }
}

fn check_all(shape: &[usize], values: impl Iterator<Item = f64>, bits: &str) -> Result<(), String> {
    for (offset, v) in values.enumerate() {
        if !v.is_finite() {
            return Err(format!(
                "output element {} is {}: the result is not a finite {bits} float, so convscope does not answer it",
                index_text(&unravel(shape, offset)),
                if v.is_nan() {
                    "NaN"
                } else if v > 0.0 {
                    "+∞ (it overflowed)"
                } else {
                    "−∞ (it overflowed, or its window holds no input cell)"
                }
            ));
        }
    }
    Ok(())
}

impl Serialize for Answer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Tensor { shape, data } => Nested { shape, data: &data[..] }.serialize(serializer),
            Answer::Tensor64 { shape, data } => Nested { shape, data: &data[..] }.serialize(serializer),
            Answer::Indices { shape, data } => Nested { shape, data: &data[..] }.serialize(serializer),
            Answer::Tuple(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Answer::Json(value) => value.serialize(serializer),
        }
    }
}

/// Nested lists exactly as `torch.Tensor.tolist()` gives them, written straight from the flat
/// data (no tree of JSON values in between).
struct Nested<'a, T> {
    shape: &'a [usize],
    data: &'a [T],
}

trait Number: Copy {
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl Number for f32 {
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(f64::from(self))
    }
}

impl Number for f64 {
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self)
    }
}

impl Number for i64 {
    fn write<S: Serializer>(self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self)
    }
}

struct Scalar<T>(T);

impl<T: Number> Serialize for Scalar<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.write(serializer)
    }
}

impl<T: Number> Serialize for Nested<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.shape {
            [] => self.data[0].write(serializer),
            [len] => {
                let mut seq = serializer.serialize_seq(Some(*len))?;
                for &v in &self.data[..*len] {
                    seq.serialize_element(&Scalar(v))?;
                }
                seq.end()
            }
            [len, rest @ ..] => {
                let size = rest.iter().product::<usize>();
                let mut seq = serializer.serialize_seq(Some(*len))?;
                for i in 0..*len {
                    seq.serialize_element(&Nested { shape: rest, data: &self.data[i * size..(i + 1) * size] })?;
                }
                seq.end()
            }
        }
    }
}

/// Most output numbers one request may ask for: its JSON answer stays under ~100 MB.
pub const MAX_OUTPUT_CELLS: u128 = 1 << 22;

/// Most elementary operations (multiply-adds, samples, window cells) one request may need,
/// chosen so that every accepted request answers in well under 2 s on one core.
pub const MAX_WORK: u128 = 1 << 28;

/// Refuses a request before anything is allocated when its output or its work is above the
/// caps; `output` and `work` are computed with saturating arithmetic by the caller.
pub fn check_cost(output: u128, work: u128) -> Result<(), String> {
    if output > MAX_OUTPUT_CELLS {
        return Err(format!(
            "the output would have {} numbers; convscope answers at most {}",
            big(output),
            big(MAX_OUTPUT_CELLS)
        ));
    }
    if work > MAX_WORK {
        return Err(format!(
            "this request needs {} multiply-adds or samples; convscope computes at most {} per request",
            big(work),
            big(MAX_WORK)
        ));
    }
    Ok(())
}

/// The product of sizes, saturating instead of overflowing.
pub fn product(sizes: &[usize]) -> u128 {
    sizes.iter().fold(1u128, |acc, &s| acc.saturating_mul(s as u128))
}

fn big(n: u128) -> String {
    if n == u128::MAX { "more than 10³⁸".into() } else { n.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_serialise_like_tolist_and_refuse_infinities() {
        let answer = Answer::Tensor { shape: vec![1, 2, 2], data: vec![1.0, 0.5, -2.0, 3.0] };
        assert_eq!(serde_json::to_string(&answer).unwrap(), "[[[1.0,0.5],[-2.0,3.0]]]");
        let indices = Answer::Indices { shape: vec![2], data: vec![3, 4] };
        assert_eq!(serde_json::to_string(&Answer::Tuple(vec![indices.clone()])).unwrap(), "[[3,4]]");
        let bad = Answer::Tensor { shape: vec![2, 2], data: vec![1.0, 2.0, f32::INFINITY, 0.0] };
        assert!(bad.check_finite().unwrap_err().contains("output element [1, 0] is +∞"));
    }
}
