//! The JSON of a request in compact form: [`Arg`], with rectangular nested lists of numbers
//! flattened into one `f64` array and a shape, parsed straight from the text (no tree of JSON
//! values in between) so a large tensor costs eight bytes a number.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A parsed JSON value in compact form.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    Null,
    Bool(bool),
    /// A JSON integer token (never a float token such as `2.0`).
    Int(i128),
    Float(f64),
    Str(String),
    /// A rectangular nested list of numbers, flattened row-major.
    Array(NumArray),
    /// Any other list (ragged, mixed, lists of objects).
    List(Vec<Arg>),
    /// An object, keys in order; duplicate keys are refused while parsing.
    Object(Vec<(String, Arg)>),
}

/// A rectangular nested list of numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct NumArray {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
    /// Every number was written as a JSON integer.
    pub ints: bool,
}

impl Arg {
    /// Parses one JSON document; the error is serde_json's, with line and column.
    pub fn parse(text: &[u8]) -> Result<Arg, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// A short description for error messages, never longer than about 40 characters.
    pub fn describe(&self) -> String {
        match self {
            Arg::Null => "null".into(),
            Arg::Bool(b) => b.to_string(),
            Arg::Int(v) => clip(&v.to_string()),
            Arg::Float(v) => number_text(*v),
            Arg::Str(s) => format!("\"{}\"", clip(s)),
            Arg::Array(a) if a.shape.len() == 1 && a.data.len() <= 4 => {
                let items: Vec<String> = a.data.iter().map(|v| v.to_string()).collect();
                clip(&format!("[{}]", items.join(", ")))
            }
            Arg::Array(a) => format!("a list of shape {:?}", a.shape),
            Arg::List(items) => format!("a list of {} items", items.len()),
            Arg::Object(_) => "an object".into(),
        }
    }

    pub(super) fn as_number(&self) -> Option<(f64, bool)> {
        match *self {
            Arg::Int(v) => Some((v as f64, true)),
            Arg::Float(v) => Some((v, false)),
            _ => None,
        }
    }
}

/// A number as people write it: `0.25`, `1e39`.
pub(super) fn number_text(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e16).contains(&v.abs()) { format!("{v:e}") } else { v.to_string() }
}

pub(super) fn clip(text: &str) -> String {
    let mut out: String = text.chars().take(32).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

impl<'de> Deserialize<'de> for Arg {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Arg, D::Error> {
        deserializer.deserialize_any(ArgVisitor)
    }
}

struct ArgVisitor;

impl<'de> Visitor<'de> for ArgVisitor {
    type Value = Arg;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Arg, E> {
        Ok(Arg::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Arg, E> {
        Ok(Arg::Int(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Arg, E> {
        Ok(Arg::Int(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Arg, E> {
        Ok(Arg::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Arg, E> {
        Ok(Arg::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Arg, E> {
        Ok(Arg::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }
    fn visit_none<E>(self) -> Result<Arg, E> {
        Ok(Arg::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Arg, A::Error> {
        let mut list = ListBuilder::Empty;
        while let Some(item) = seq.next_element::<Arg>()? {
            list.push(item);
        }
        Ok(list.finish())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Arg, A::Error> {
        let mut entries: Vec<(String, Arg)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!("the key \"{}\" appears twice", clip(&key))));
            }
            let value = map.next_value::<Arg>()?;
            entries.push((key, value));
        }
        Ok(Arg::Object(entries))
    }
}

/// Folds list items into a flat array while they stay rectangular and numeric.
enum ListBuilder {
    Empty,
    /// Items so far are arrays of shape `inner` (numbers: `inner` is empty).
    Numeric {
        inner: Vec<usize>,
        count: usize,
        data: Vec<f64>,
        ints: bool,
    },
    Mixed(Vec<Arg>),
}

impl ListBuilder {
    fn push(&mut self, item: Arg) {
        let (inner, data, ints) = match item {
            Arg::Int(v) => (Vec::new(), vec![v as f64], true),
            Arg::Float(v) => (Vec::new(), vec![v], false),
            Arg::Array(a) => (a.shape, a.data, a.ints),
            other => {
                self.make_mixed();
                if let ListBuilder::Mixed(items) = self {
                    items.push(other);
                }
                return;
            }
        };
        match self {
            ListBuilder::Empty => *self = ListBuilder::Numeric { inner, count: 1, data, ints },
            ListBuilder::Numeric { inner: shape, count, data: all, ints: all_ints } if *shape == inner => {
                all.extend_from_slice(&data);
                *count += 1;
                *all_ints &= ints;
            }
            ListBuilder::Numeric { .. } => {
                self.make_mixed();
                if let ListBuilder::Mixed(items) = self {
                    items.push(rebuild(inner, data, ints));
                }
            }
            ListBuilder::Mixed(items) => items.push(rebuild(inner, data, ints)),
        }
    }

    /// Turns the numeric items gathered so far back into separate items.
    fn make_mixed(&mut self) {
        let items = match std::mem::replace(self, ListBuilder::Empty) {
            ListBuilder::Empty => Vec::new(),
            ListBuilder::Numeric { inner, count, data, ints } => {
                let size = inner.iter().product::<usize>();
                (0..count).map(|i| rebuild(inner.clone(), data[i * size..(i + 1) * size].to_vec(), ints)).collect()
            }
            ListBuilder::Mixed(items) => items,
        };
        *self = ListBuilder::Mixed(items);
    }

    fn finish(self) -> Arg {
        match self {
            ListBuilder::Empty => Arg::Array(NumArray { shape: vec![0], data: Vec::new(), ints: true }),
            ListBuilder::Numeric { inner, count, data, ints } => {
                let mut shape = Vec::with_capacity(inner.len() + 1);
                shape.push(count);
                shape.extend(inner);
                Arg::Array(NumArray { shape, data, ints })
            }
            ListBuilder::Mixed(items) => Arg::List(items),
        }
    }
}

fn rebuild(inner: Vec<usize>, data: Vec<f64>, ints: bool) -> Arg {
    if inner.is_empty() {
        if ints { Arg::Int(data[0] as i128) } else { Arg::Float(data[0]) }
    } else {
        Arg::Array(NumArray { shape: inner, data, ints })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(json: &str) -> Arg {
        Arg::parse(json.as_bytes()).unwrap()
    }

    #[test]
    fn rectangular_lists_become_flat_arrays() {
        let Arg::Array(a) = args("[[[1, 2], [3, 4.5]]]") else { panic!() };
        assert_eq!(a.shape, [1, 2, 2]);
        assert_eq!(a.data, [1.0, 2.0, 3.0, 4.5]);
        assert!(!a.ints);
        assert!(matches!(args("[[1, 2], [3]]"), Arg::List(_)));
        assert!(matches!(args("[1, \"a\"]"), Arg::List(_)));
        assert_eq!(args("[]"), Arg::Array(NumArray { shape: vec![0], data: vec![], ints: true }));
    }

    #[test]
    fn duplicate_keys_are_refused() {
        assert!(Arg::parse(br#"{"a": 1, "a": 2}"#).unwrap_err().to_string().contains("appears twice"));
    }
}
