//! The arguments of a `convscope eval` request, checked against the operation's signature.
//!
//! A request's JSON is parsed into a compact form ([`Arg`]): rectangular nested lists of
//! numbers become one flat `f64` array with a shape, so a large tensor costs eight bytes per
//! number instead of a tree of JSON values. Each operation declares its arguments once, as a
//! [`Signature`] of [`ArgSpec`]s (PyTorch's names, kinds, defaults); [`Args::new`] refuses an
//! unknown name, a missing required argument or a `null` where PyTorch has no `None`, and the
//! typed accessors refuse a value of the wrong kind, naming the argument and what it accepts.
//! Defaults live only in the signature. This module is a leaf: it knows no operator.

mod answer;
mod spec;
mod value;

use ndarray::{Array1, Array4};

pub use answer::{Answer, MAX_OUTPUT_CELLS, MAX_WORK, check_cost, product};
pub use spec::{ArgSpec, Default, EvalOp, Kind, MAX_INT_ARG, Signature};
pub use value::{Arg, NumArray};
use value::{clip, number_text};

/// A request's `args` object, checked against a signature.
pub struct Args<'a> {
    values: &'a [(String, Arg)],
    signature: &'static Signature,
    /// Prefix of error messages, e.g. `layer 3: ` inside a layer list.
    context: String,
}

impl<'a> Args<'a> {
    /// Checks names: every key is in the signature, every required argument is present, and
    /// `null` is given only where PyTorch has `None`.
    pub fn new(object: &'a Arg, signature: &'static Signature) -> Result<Args<'a>, String> {
        Args::with_context(object, signature, String::new())
    }

    fn with_context(object: &'a Arg, signature: &'static Signature, context: String) -> Result<Args<'a>, String> {
        let Arg::Object(values) = object else {
            return Err(format!("{context}the arguments must be a JSON object, not {}", object.describe()));
        };
        for (key, value) in values {
            let Some(spec) = signature.iter().find(|s| s.name == key) else {
                let names: Vec<&str> = signature.iter().map(|s| s.name).collect();
                return Err(format!("{context}unknown argument \"{}\"; this op takes {}", clip(key), names.join(", ")));
            };
            if *value == Arg::Null && spec.default != Default::None {
                return Err(format!("{context}\"{}\" cannot be null; it takes {}", spec.name, spec.accepts()));
            }
        }
        for spec in signature.iter().filter(|s| s.default == Default::Required) {
            if !values.iter().any(|(k, _)| k == spec.name) {
                return Err(format!("{context}missing argument \"{}\" ({})", spec.name, spec.accepts()));
            }
        }
        Ok(Args { values, signature, context })
    }

    fn spec(&self, name: &str) -> &'static ArgSpec {
        // Asking for an argument the signature lacks is a bug in the operation, caught by the
        // tests that run every signature's defaults.
        self.signature
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no argument {name:?} in the signature"))
    }

    /// The value given for `name`, `None` when absent or `null`.
    fn given(&self, name: &str) -> Option<&'a Arg> {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v).filter(|v| **v != Arg::Null)
    }

    /// A free-text argument, or `None` when absent (its default is `None`).
    pub fn opt_text(&self, name: &str) -> Result<Option<&'a str>, String> {
        let spec = self.spec(name);
        let Kind::Text { max_len } = spec.kind else { panic!("{name:?} is not a text argument") };
        match self.given(name) {
            Some(Arg::Str(s)) if s.len() <= max_len => Ok(Some(s.as_str())),
            Some(value) => Err(self.wrong(spec, value)),
            None => Ok(None),
        }
    }

    /// Whether `name` was given (and not `null`).
    pub fn has(&self, name: &str) -> bool {
        let _ = self.spec(name);
        self.given(name).is_some()
    }

    fn wrong(&self, spec: &ArgSpec, value: &Arg) -> String {
        format!("{}\"{}\" must be {}, not {}", self.context, spec.name, spec.accepts_full(), value.describe())
    }

    fn int_in(&self, spec: &ArgSpec, value: &Arg, min: i64, max: i64) -> Result<i64, String> {
        match *value {
            Arg::Int(v) if v >= i128::from(min) && v <= i128::from(max) => Ok(v as i64),
            Arg::Int(v) if v > i128::from(max) && max == MAX_INT_ARG => Err(format!(
                "{}\"{}\" = {} is too large: convscope takes at most {max}",
                self.context,
                spec.name,
                clip(&v.to_string())
            )),
            _ => Err(self.wrong(spec, value)),
        }
    }

    /// An integer argument.
    pub fn int(&self, name: &str) -> Result<i64, String> {
        self.opt_int(name)?.ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))
    }

    /// An integer argument whose default is `None`.
    pub fn opt_int(&self, name: &str) -> Result<Option<i64>, String> {
        let spec = self.spec(name);
        let Kind::Int { min, max } = spec.kind else { panic!("{name:?} is not an integer argument") };
        match self.given(name) {
            Some(value) => self.int_in(spec, value, min, max).map(Some),
            None => Ok(match spec.default {
                Default::Int(v) => Some(v),
                _ => None,
            }),
        }
    }

    /// A non-negative integer argument.
    pub fn usize(&self, name: &str) -> Result<usize, String> {
        self.int(name).map(|v| v.max(0) as usize)
    }

    fn pair_of(&self, spec: &ArgSpec, value: &Arg, min: i64, max: i64) -> Result<[i64; 2], String> {
        let one = matches!(spec.kind, Kind::IntPair { one: true, .. } | Kind::Padding { .. });
        match value {
            Arg::Int(_) => self.int_in(spec, value, min, max).map(|v| [v, v]),
            Arg::Array(a) if one && a.shape == [1] && a.ints => {
                self.int_in(spec, &Arg::Int(a.data[0] as i128), min, max).map(|v| [v, v])
            }
            Arg::Array(a) if a.shape == [2] && a.ints => {
                let item = |i: usize| self.int_in(spec, &Arg::Int(a.data[i] as i128), min, max);
                Ok([item(0)?, item(1)?])
            }
            _ => Err(self.wrong(spec, value)),
        }
    }

    /// An integer-or-pair argument as `[h, w]`.
    pub fn pair(&self, name: &str) -> Result<[usize; 2], String> {
        let spec = self.spec(name);
        let Kind::IntPair { min, max, .. } = spec.kind else { panic!("{name:?} is not an integer-pair argument") };
        match (self.given(name), spec.default) {
            (Some(value), _) => self.pair_of(spec, value, min, max).map(|p| p.map(|v| v.max(0) as usize)),
            (None, Default::Int(v)) => Ok([v.max(0) as usize; 2]),
            (None, _) => Err(format!("{}missing argument \"{name}\"", self.context)),
        }
    }

    /// An integer-or-pair argument whose default is `None`; an empty list also means `None`
    /// (as for the pools' `stride`, where `[]` means "the kernel size").
    pub fn opt_pair(&self, name: &str) -> Result<Option<[usize; 2]>, String> {
        let spec = self.spec(name);
        let Kind::IntPair { min, max, .. } = spec.kind else { panic!("{name:?} is not an integer-pair argument") };
        match self.given(name) {
            None => Ok(None),
            Some(Arg::Array(a)) if a.shape == [0] => Ok(None),
            Some(value) => self.pair_of(spec, value, min, max).map(|p| Some(p.map(|v| v.max(0) as usize))),
        }
    }

    /// conv2d's `padding`.
    pub fn padding(&self, name: &str) -> Result<Padding, String> {
        let spec = self.spec(name);
        let Kind::Padding { max } = spec.kind else { panic!("{name:?} is not a padding argument") };
        match self.given(name) {
            None => Ok(Padding::Explicit([0, 0])),
            Some(Arg::Str(s)) if s == "same" => Ok(Padding::Same),
            Some(Arg::Str(s)) if s == "valid" => Ok(Padding::Valid),
            Some(value @ Arg::Str(_)) => Err(self.wrong(spec, value)),
            Some(value) => self.pair_of(spec, value, 0, max).map(|p| Padding::Explicit(p.map(|v| v as usize))),
        }
    }

    fn float_in(&self, spec: &ArgSpec, value: &Arg, min: f64, max: f64) -> Result<f64, String> {
        match value.as_number() {
            Some((v, _)) if v.is_finite() && v >= min && v <= max => Ok(v),
            _ => Err(self.wrong(spec, value)),
        }
    }

    /// A number argument (an integer token is a number too, as in Python).
    pub fn float(&self, name: &str) -> Result<f64, String> {
        let spec = self.spec(name);
        let Kind::Float { min, max } = spec.kind else { panic!("{name:?} is not a number argument") };
        match (self.given(name), spec.default) {
            (Some(value), _) => self.float_in(spec, value, min, max),
            (None, Default::Float(v)) => Ok(v),
            (None, _) => Err(format!("{}missing argument \"{name}\"", self.context)),
        }
    }

    /// An integer-or-list argument whose default is `None`, as `dims` integers: a single
    /// integer stands for every dimension, a list must have one entry per dimension.
    pub fn opt_int_list(&self, name: &str, dims: usize) -> Result<Option<Vec<i64>>, String> {
        let spec = self.spec(name);
        let Kind::IntOrList { min, max } = spec.kind else { panic!("{name:?} is not an integer-list argument") };
        match self.given(name) {
            None => Ok(None),
            Some(value @ Arg::Int(_)) => self.int_in(spec, value, min, max).map(|v| Some(vec![v; dims])),
            Some(Arg::Array(a)) if a.shape.len() == 1 && a.ints => {
                self.check_entries(name, a.shape[0], dims)?;
                a.data
                    .iter()
                    .map(|&v| self.int_in(spec, &Arg::Int(v as i128), min, max))
                    .collect::<Result<_, _>>()
                    .map(Some)
            }
            Some(value) => Err(self.wrong(spec, value)),
        }
    }

    /// A number-or-list argument whose default is `None`, as `dims` numbers (see
    /// [`Args::opt_int_list`]).
    pub fn opt_float_list(&self, name: &str, dims: usize) -> Result<Option<Vec<f64>>, String> {
        let spec = self.spec(name);
        let Kind::FloatOrList { min, max } = spec.kind else { panic!("{name:?} is not a number-list argument") };
        match self.given(name) {
            None => Ok(None),
            Some(value @ (Arg::Int(_) | Arg::Float(_))) => {
                self.float_in(spec, value, min, max).map(|v| Some(vec![v; dims]))
            }
            Some(Arg::Array(a)) if a.shape.len() == 1 => {
                self.check_entries(name, a.shape[0], dims)?;
                a.data
                    .iter()
                    .map(|&v| self.float_in(spec, &Arg::Float(v), min, max))
                    .collect::<Result<_, _>>()
                    .map(Some)
            }
            Some(value) => Err(self.wrong(spec, value)),
        }
    }

    fn check_entries(&self, name: &str, entries: usize, dims: usize) -> Result<(), String> {
        if entries == dims {
            return Ok(());
        }
        Err(format!(
            "{}\"{name}\" has {entries} entr{} but the input has {dims} spatial dimension{}",
            self.context,
            if entries == 1 { "y" } else { "ies" },
            if dims == 1 { "" } else { "s" }
        ))
    }

    /// A boolean argument whose default is `None`.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, String> {
        let spec = self.spec(name);
        assert_eq!(spec.kind, Kind::Bool, "{name:?} is not a boolean argument");
        match self.given(name) {
            Some(Arg::Bool(b)) => Ok(Some(*b)),
            Some(value) => Err(self.wrong(spec, value)),
            None => Ok(match spec.default {
                Default::Bool(b) => Some(b),
                _ => None,
            }),
        }
    }

    /// A boolean argument with a default.
    pub fn bool(&self, name: &str) -> Result<bool, String> {
        self.opt_bool(name)?.ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))
    }

    /// One of the words of a `Word` argument.
    pub fn word(&self, name: &str) -> Result<&'static str, String> {
        let spec = self.spec(name);
        let Kind::Word(words) = spec.kind else { panic!("{name:?} is not a word argument") };
        match (self.given(name), spec.default) {
            (Some(value @ Arg::Str(s)), _) => {
                words.iter().copied().find(|w| w == s).ok_or_else(|| self.wrong(spec, value))
            }
            (Some(value), _) => Err(self.wrong(spec, value)),
            (None, Default::Word(w)) => Ok(w),
            (None, _) => Err(format!("{}missing argument \"{name}\"", self.context)),
        }
    }

    /// A tensor argument (`None` when absent or `null`), checked for rectangular shape,
    /// dimensions and finite `f32` values.
    pub fn opt_tensor(&self, name: &str) -> Result<Option<Tensor>, String> {
        let spec = self.spec(name);
        let Kind::Tensor { min_dims, max_dims } = spec.kind else { panic!("{name:?} is not a tensor argument") };
        let Some(value) = self.given(name) else { return Ok(None) };
        let array = match value {
            Arg::Array(a) => a,
            Arg::List(items) => {
                return Err(format!(
                    "{}\"{name}\" must be {}: {}",
                    self.context,
                    spec.accepts(),
                    why_not_rectangular(items)
                ));
            }
            other => return Err(self.wrong(spec, other)),
        };
        let dims = array.shape.len();
        if dims < min_dims || dims > max_dims {
            return Err(format!(
                "{}\"{name}\" must be {}, got {dims} dimension{} (shape {:?})",
                self.context,
                spec.accepts(),
                if dims == 1 { "" } else { "s" },
                array.shape
            ));
        }
        if array.shape.contains(&0) {
            return Err(format!("{}\"{name}\" has an empty dimension (shape {:?})", self.context, array.shape));
        }
        let mut data = Vec::with_capacity(array.data.len());
        for (offset, &v) in array.data.iter().enumerate() {
            let v32 = v as f32;
            if !v32.is_finite() {
                return Err(format!(
                    "{}\"{name}\"{} = {} is not a finite 32-bit float",
                    self.context,
                    index_text(&unravel(&array.shape, offset)),
                    number_text(v)
                ));
            }
            data.push(v32);
        }
        Ok(Some(Tensor { shape: array.shape.clone(), data }))
    }

    /// A required tensor argument.
    pub fn tensor(&self, name: &str) -> Result<Tensor, String> {
        self.opt_tensor(name)?.ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))
    }

    /// Boxes as rows `[batch index, x1, y1, x2, y2]`, from either of torchvision's forms (one
    /// `[K, 5]` tensor, or a list with one `[L, 4]` tensor per image); coordinates stay `f64`.
    pub fn boxes(&self, name: &str) -> Result<Vec<[f64; 5]>, String> {
        let spec = self.spec(name);
        let value = self.given(name).ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))?;
        let rows_of = |image: Option<usize>, data: &[f64], width: usize| -> Vec<[f64; 5]> {
            data.chunks(width)
                .map(|row| match image {
                    Some(i) => [i as f64, row[0], row[1], row[2], row[3]],
                    None => [row[0], row[1], row[2], row[3], row[4]],
                })
                .collect()
        };
        match value {
            // K may be 0 (an empty list), giving an empty output.
            Arg::Array(a) if a.shape == [0] => Ok(Vec::new()),
            Arg::Array(a) if a.shape.len() == 2 && a.shape[1] == 5 => Ok(rows_of(None, &a.data, 5)),
            Arg::Array(a) if a.shape.len() == 3 && a.shape[2] == 4 => {
                let per_image = (a.shape[1] * 4).max(1);
                Ok(a.data.chunks(per_image).enumerate().flat_map(|(i, chunk)| rows_of(Some(i), chunk, 4)).collect())
            }
            Arg::List(images) => {
                let mut rows = Vec::new();
                for (image, item) in images.iter().enumerate() {
                    match item {
                        Arg::Array(a) if a.shape == [0] => {}
                        Arg::Array(a) if a.shape.len() == 2 && a.shape[1] == 4 => {
                            rows.extend(rows_of(Some(image), &a.data, 4))
                        }
                        _ => return Err(self.wrong(spec, value)),
                    }
                }
                Ok(rows)
            }
            other => Err(self.wrong(spec, other)),
        }
    }

    /// A list of layer objects, each checked against the layer signature; the closure reads
    /// one layer's arguments.
    pub fn layers<T>(&self, name: &str, mut read: impl FnMut(&Args) -> Result<T, String>) -> Result<Vec<T>, String> {
        let spec = self.spec(name);
        let Kind::Layers(layer_signature) = spec.kind else { panic!("{name:?} is not a layers argument") };
        let value = self.given(name).ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))?;
        let items: &[Arg] = match value {
            Arg::List(items) => items,
            Arg::Array(a) if a.shape == [0] => &[],
            other => return Err(self.wrong(spec, other)),
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let layer = Args::with_context(item, layer_signature, format!("{}layer {}: ", self.context, i + 1))?;
                read(&layer)
            })
            .collect()
    }

    /// A list of integers.
    pub fn int_list(&self, name: &str) -> Result<Vec<i64>, String> {
        let spec = self.spec(name);
        let Kind::IntList { min, max } = spec.kind else { panic!("{name:?} is not an integer-list argument") };
        let value = self.given(name).ok_or_else(|| format!("{}missing argument \"{name}\"", self.context))?;
        match value {
            Arg::Array(a) if a.shape.len() == 1 && a.ints => {
                a.data.iter().map(|&v| self.int_in(spec, &Arg::Int(v as i128), min, max)).collect()
            }
            other => Err(self.wrong(spec, other)),
        }
    }
}

fn why_not_rectangular(items: &[Arg]) -> String {
    if let Some(bad) = items.iter().find(|i| !matches!(i, Arg::Array(_) | Arg::Int(_) | Arg::Float(_) | Arg::List(_))) {
        return format!("it holds {}, which is not a number", bad.describe());
    }
    "it is ragged (its lists at one depth differ in length) or mixes numbers and lists".into()
}

pub(crate) fn unravel(shape: &[usize], mut offset: usize) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (axis, &len) in shape.iter().enumerate().rev() {
        index[axis] = offset % len.max(1);
        offset /= len.max(1);
    }
    index
}

pub(crate) fn index_text(index: &[usize]) -> String {
    let parts: Vec<String> = index.iter().map(|i| i.to_string()).collect();
    format!("[{}]", parts.join(", "))
}

/// conv2d's padding argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Padding {
    Explicit([usize; 2]),
    Same,
    Valid,
}

/// A checked tensor argument: any number of dimensions, finite `f32` values.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    pub shape: Vec<usize>,
    pub data: Vec<f32>,
}

impl Tensor {
    /// As a 4-D array; a 3-D tensor is unbatched (PyTorch's `(C, H, W)`) and gets `N = 1`.
    /// Returns the array and whether it was unbatched.
    pub fn batched4(self) -> (Array4<f32>, bool) {
        let unbatched = self.shape.len() == 3;
        let shape = match self.shape[..] {
            [c, h, w] => [1, c, h, w],
            [n, c, h, w] => [n, c, h, w],
            _ => panic!("batched4 needs a 3-D or 4-D tensor, got {:?}", self.shape),
        };
        (Array4::from_shape_vec(shape, self.data).expect("the shape matches the data"), unbatched)
    }

    /// A tensor of three or more dimensions as 4-D, every leading dimension folded into N;
    /// returns the array and the leading dimensions.
    pub fn fold_leading(self) -> (Array4<f32>, Vec<usize>) {
        let dims = self.shape.len();
        let lead = self.shape[..dims - 3].to_vec();
        let n = lead.iter().product::<usize>();
        let shape = [n, self.shape[dims - 3], self.shape[dims - 2], self.shape[dims - 1]];
        (Array4::from_shape_vec(shape, self.data).expect("the shape matches the data"), lead)
    }

    pub fn into_array1(self) -> Array1<f32> {
        Array1::from(self.data)
    }

    pub fn into_array4(self) -> Array4<f32> {
        self.batched4().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SIGNATURE: &Signature = &[
        ArgSpec::new("input", Kind::Tensor { min_dims: 3, max_dims: 4 }, Default::Required),
        ArgSpec::new("bias", Kind::Tensor { min_dims: 1, max_dims: 1 }, Default::None),
        ArgSpec::new("stride", Kind::IntPair { min: 1, max: MAX_INT_ARG, one: true }, Default::Int(1)),
        ArgSpec::new("padding", Kind::Padding { max: MAX_INT_ARG }, Default::Int(0)),
        ArgSpec::new("mode", Kind::Word(&["nearest", "bilinear"]), Default::Word("nearest")),
        ArgSpec::new("align_corners", Kind::Bool, Default::None),
        ArgSpec::new("scale_factor", Kind::FloatOrList { min: 1e-9, max: 1e9 }, Default::None),
    ];

    fn args(json: &str) -> Arg {
        Arg::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn names_types_and_nulls_are_checked() {
        let a = args(r#"{"input": [[[1]]], "paddin": 1}"#);
        let err = Args::new(&a, SIGNATURE).err().unwrap();
        assert!(err.contains("unknown argument \"paddin\""), "{err}");
        let a = args(r#"{"stride": 1}"#);
        assert!(Args::new(&a, SIGNATURE).err().unwrap().contains("missing argument \"input\""));
        let a = args(r#"{"input": [[[1]]], "stride": null}"#);
        assert!(Args::new(&a, SIGNATURE).err().unwrap().contains("\"stride\" cannot be null"));
        let a = args(r#"{"input": [[[1]]], "stride": 2.0, "mode": 5, "align_corners": 1, "bias": null}"#);
        let parsed = Args::new(&a, SIGNATURE).unwrap();
        assert!(parsed.pair("stride").unwrap_err().contains("\"stride\" must be an integer from 1"));
        assert!(parsed.word("mode").unwrap_err().contains("one of \"nearest\", \"bilinear\", not 5"));
        assert!(parsed.opt_bool("align_corners").unwrap_err().contains("true or false"));
        assert_eq!(parsed.opt_tensor("bias").unwrap(), None);
    }

    #[test]
    fn values_and_defaults() {
        let a = args(r#"{"input": [[[1, 2]]], "stride": [2, 3], "padding": "same", "scale_factor": 1.5}"#);
        let parsed = Args::new(&a, SIGNATURE).unwrap();
        assert_eq!(parsed.pair("stride").unwrap(), [2, 3]);
        assert_eq!(parsed.padding("padding").unwrap(), Padding::Same);
        assert_eq!(parsed.word("mode").unwrap(), "nearest");
        assert_eq!(parsed.opt_bool("align_corners").unwrap(), None);
        assert_eq!(parsed.opt_float_list("scale_factor", 2).unwrap(), Some(vec![1.5, 1.5]));
        let (x, unbatched) = parsed.tensor("input").unwrap().batched4();
        assert!(unbatched);
        assert_eq!(x.shape(), [1, 1, 1, 2]);
        let a = args(r#"{"input": [[[1e39]]], "stride": 1048577}"#);
        let parsed = Args::new(&a, SIGNATURE).unwrap();
        assert!(parsed.tensor("input").unwrap_err().contains("[0, 0, 0] = 1e39 is not a finite 32-bit float"));
        assert!(parsed.pair("stride").unwrap_err().contains("too large"));
    }
}
