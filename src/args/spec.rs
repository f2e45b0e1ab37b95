//! What an operation takes and answers: the [`Signature`] of [`ArgSpec`]s (PyTorch's names,
//! [`Kind`]s and [`Default`]s) and the [`EvalOp`] that binds a signature to its answer.

use super::{Answer, Args};

/// Largest integer argument (stride, padding, factors, sizes) accepted, so shape arithmetic
/// never overflows; real settings are many orders of magnitude smaller.
pub const MAX_INT_ARG: i64 = 1 << 20;

/// What kind of value an argument takes, for checking, error messages, the README's table
/// and the fuzz harness.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A tensor (nested lists of numbers) with `dims` dimensions, e.g. `3..=4` for a conv's
    /// input, which may be unbatched.
    Tensor {
        min_dims: usize,
        max_dims: usize,
    },
    /// An integer in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    /// An integer in `min..=max`, or a pair `[h, w]` of them; with `one`, a one-item list
    /// `[k]` also means `[k, k]` (PyTorch's `IntArrayRef[2]`; torchvision's `_pair` refuses it).
    IntPair {
        min: i64,
        max: i64,
        one: bool,
    },
    /// conv2d's `padding`: an integer, a pair, `"same"` or `"valid"`.
    Padding {
        max: i64,
    },
    /// A finite number in `min..=max`.
    Float {
        min: f64,
        max: f64,
    },
    /// An integer in `min..=max`, or a list of them with one entry per spatial dimension
    /// (interpolate's `size`).
    IntOrList {
        min: i64,
        max: i64,
    },
    /// A number in `min..=max`, or a list of them with one entry per spatial dimension
    /// (interpolate's `scale_factor`).
    FloatOrList {
        min: f64,
        max: f64,
    },
    Bool,
    /// One of these strings.
    Word(&'static [&'static str]),
    /// Boxes `[K, 5]` (batch index, x1, y1, x2, y2), or a list of `[L, 4]` per image.
    Boxes,
    /// A list of layers, each an object with its own signature.
    Layers(&'static Signature),
    /// A list of integers in `min..=max`.
    IntList {
        min: i64,
        max: i64,
    },
    /// Free text of at most `max_len` bytes (a model's printout).
    Text {
        max_len: usize,
    },
}

/// An argument's default: required, PyTorch's `None`, or a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Default {
    Required,
    /// Absent or `null` means PyTorch's `None`.
    None,
    Int(i64),
    Float(f64),
    Bool(bool),
    Word(&'static str),
}

/// One argument of an operation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArgSpec {
    pub name: &'static str,
    pub kind: Kind,
    pub default: Default,
}

impl ArgSpec {
    pub const fn new(name: &'static str, kind: Kind, default: Default) -> ArgSpec {
        ArgSpec { name, kind, default }
    }

    /// What the argument accepts, in words.
    pub fn accepts(&self) -> String {
        match self.kind {
            Kind::Tensor { min_dims, max_dims } if min_dims == max_dims => {
                format!("a {min_dims}-D tensor (nested lists)")
            }
            Kind::Tensor { min_dims, max_dims } if max_dims >= 8 => {
                format!("a tensor of {min_dims} or more dimensions (nested lists)")
            }
            Kind::Tensor { min_dims, max_dims } => {
                format!("a {min_dims}-D to {max_dims}-D tensor (nested lists)")
            }
            Kind::Int { min, max } => format!("an integer from {min} to {max}"),
            Kind::IntPair { min, max, .. } => format!("an integer from {min} to {max} or a pair [h, w] of them"),
            Kind::IntOrList { min, max } => {
                format!("an integer from {min} to {max} or a list of them, one per spatial dimension")
            }
            Kind::Padding { max } => {
                format!("an integer from 0 to {max}, a pair [h, w] of them, \"same\" or \"valid\"")
            }
            Kind::Float { min, max } => format!("a number from {min} to {max}"),
            Kind::FloatOrList { min, max } => {
                format!("a number from {min} to {max} or a list of them, one per spatial dimension")
            }
            Kind::Bool => "true or false".into(),
            Kind::Word(words) => {
                let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                format!("one of {}", quoted.join(", "))
            }
            Kind::Boxes => "a [K, 5] list (batch index, x1, y1, x2, y2) or a list of [L, 4] boxes per image".into(),
            Kind::Layers(_) => "a list of layer objects".into(),
            Kind::IntList { min, max } => format!("a list of integers from {min} to {max}"),
            Kind::Text { max_len } => format!("a string of at most {max_len} bytes"),
        }
    }

    /// `accepts`, plus "or null" where PyTorch takes `None`.
    pub(super) fn accepts_full(&self) -> String {
        match self.default {
            Default::None => format!("{}, or null", self.accepts()),
            _ => self.accepts(),
        }
    }

    /// The default as PyTorch writes it, for documentation.
    pub fn default_text(&self) -> String {
        match self.default {
            Default::Required => "required".into(),
            Default::None => "None".into(),
            Default::Int(v) => v.to_string(),
            Default::Float(v) => v.to_string(),
            Default::Bool(v) => if v { "True" } else { "False" }.into(),
            Default::Word(w) => format!("\"{w}\""),
        }
    }
}

/// The arguments of one operation, in PyTorch's order.
pub type Signature = [ArgSpec];

/// One operation `convscope eval` answers: its name and signature (PyTorch's), the reference
/// it must equal, and the function that answers it.
pub struct EvalOp {
    pub name: &'static str,
    pub signature: &'static Signature,
    /// What the answer equals, e.g. `torch.nn.functional.conv2d`.
    pub reference: &'static str,
    pub answer: fn(&Args) -> Result<Answer, String>,
}
