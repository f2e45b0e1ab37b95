//! `convscope eval`: one JSON request `{"op", "args"}` in, one answer `{"output"}` or
//! `{"error"}` out, with PyTorch's argument names and `tolist()` nesting (see the golden
//! vectors' README). Pure: the CLI does the reading and writing.

use ndarray::{Array1, Array4};
use serde_json::{Map, Value, json};

use crate::ops;

/// Answers one request line; never panics, whatever the line holds.
pub fn answer_line(line: &str) -> (Value, bool) {
    match answer(line) {
        Ok(output) => (json!({ "output": output }), true),
        Err(message) => (json!({ "error": message }), false),
    }
}

fn answer(line: &str) -> Result<Value, String> {
    let request: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let request = request.as_object().ok_or("a request must be a JSON object {\"op\", \"args\"}")?;
    let name = request.get("op").and_then(Value::as_str).ok_or("the request has no \"op\" string")?;
    let args = match request.get("args") {
        Some(Value::Object(map)) => map,
        Some(_) => return Err("\"args\" must be a JSON object".into()),
        None => return Err("the request has no \"args\" object".into()),
    };
    let op = ops::find_eval(name).ok_or_else(|| {
        let known: Vec<&str> = ops::OPERATORS
            .iter()
            .flat_map(|op| std::iter::once(op.name()).chain(op.also_answers().iter().copied()))
            .collect();
        format!("unknown op \"{}\"; known ops: {}", name.chars().take(40).collect::<String>(), known.join(", "))
    })?;
    op.eval(name, &Args(args))
}

/// Nested lists exactly as `torch.Tensor.tolist()` gives them.
pub fn tensor_to_json(array: &Array4<f32>) -> Value {
    let [n, c, h, w] = <[usize; 4]>::try_from(array.shape()).expect("four axes");
    let number = |v: f32| serde_json::Number::from_f64(f64::from(v)).map_or(Value::Null, Value::Number);
    Value::Array(
        (0..n)
            .map(|i| {
                Value::Array(
                    (0..c)
                        .map(|j| {
                            Value::Array(
                                (0..h)
                                    .map(|k| Value::Array((0..w).map(|l| number(array[[i, j, k, l]])).collect()))
                                    .collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
    )
}

/// The `args` object of a request, with typed accessors whose errors name the argument.
pub struct Args<'a>(pub &'a Map<String, Value>);

impl Args<'_> {
    /// A 4-D tensor (nested lists, NCHW).
    pub fn tensor4(&self, name: &str) -> Result<Array4<f32>, String> {
        let value = self.0.get(name).ok_or_else(|| format!("missing argument \"{name}\""))?;
        let mut shape = Vec::new();
        let mut cursor = value;
        while let Value::Array(items) = cursor {
            shape.push(items.len());
            match items.first() {
                Some(first) => cursor = first,
                None => break,
            }
        }
        if shape.len() != 4 {
            return Err(format!("\"{name}\" must be a 4-D nested list (N, C, H, W), got {} dimensions", shape.len()));
        }
        let mut flat = Vec::with_capacity(shape.iter().product());
        flatten(value, &shape, 0, name, &mut flat)?;
        Array4::from_shape_vec((shape[0], shape[1], shape[2], shape[3]), flat).map_err(|e| format!("\"{name}\": {e}"))
    }

    /// An optional 1-D tensor (e.g. `bias`); `null` counts as absent.
    pub fn tensor1_opt(&self, name: &str) -> Result<Option<Array1<f32>>, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| number(v, name))
                .collect::<Result<Vec<f32>, String>>()
                .map(|v| Some(Array1::from(v))),
            Some(_) => Err(format!("\"{name}\" must be a list of numbers")),
        }
    }

    /// A pair like PyTorch's `_pair`: an integer `k` means `[k, k]`.
    pub fn pair(&self, name: &str, default: usize) -> Result<[usize; 2], String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok([default, default]),
            Some(Value::Array(items)) if items.len() == 2 => Ok([whole(&items[0], name)?, whole(&items[1], name)?]),
            Some(Value::Array(_)) => Err(format!("\"{name}\" must be an integer or a pair [h, w]")),
            Some(v) => whole(v, name).map(|k| [k, k]),
        }
    }

    /// A finite number (e.g. `spatial_scale`, `gamma`).
    pub fn float(&self, name: &str, default: f32) -> Result<f32, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => number(v, name),
        }
    }

    /// RoIs as rows `[batch index, x1, y1, x2, y2]` (a `[K, 5]` nested list).
    pub fn rois(&self, name: &str) -> Result<Vec<[f32; 5]>, String> {
        let rows =
            self.0.get(name).and_then(Value::as_array).ok_or_else(|| format!("\"{name}\" must be a [K, 5] list"))?;
        rows.iter()
            .map(|row| {
                let items = row
                    .as_array()
                    .filter(|r| r.len() == 5)
                    .ok_or_else(|| format!("each row of \"{name}\" must be [batch index, x1, y1, x2, y2]"))?;
                let mut out = [0.0; 5];
                for (o, v) in out.iter_mut().zip(items) {
                    *o = number(v, name)?;
                }
                Ok(out)
            })
            .collect()
    }

    pub fn int(&self, name: &str, default: usize) -> Result<usize, String> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => whole(v, name),
        }
    }
}

fn flatten(value: &Value, shape: &[usize], depth: usize, name: &str, out: &mut Vec<f32>) -> Result<(), String> {
    if depth == shape.len() {
        out.push(number(value, name)?);
        return Ok(());
    }
    match value {
        Value::Array(items) if items.len() == shape[depth] => {
            items.iter().try_for_each(|item| flatten(item, shape, depth + 1, name, out))
        }
        _ => Err(format!("\"{name}\" is ragged: every list at depth {depth} must have {} items", shape[depth])),
    }
}

fn number(value: &Value, name: &str) -> Result<f32, String> {
    let v = value.as_f64().ok_or_else(|| format!("\"{name}\" holds a non-number: {value}"))?;
    let v32 = v as f32;
    if !v32.is_finite() {
        return Err(format!("\"{name}\" holds {v}, which is not a finite 32-bit float"));
    }
    Ok(v32)
}

/// Largest integer argument (stride, padding, factors…) accepted, so shape arithmetic can
/// never overflow; real settings are many orders of magnitude smaller.
const MAX_INT_ARG: u64 = 1 << 20;

fn whole(value: &Value, name: &str) -> Result<usize, String> {
    let v = value.as_u64().ok_or_else(|| format!("\"{name}\" must be a non-negative integer, not {value}"))?;
    if v > MAX_INT_ARG {
        return Err(format!("\"{name}\" = {v} is too large (at most {MAX_INT_ARG})"));
    }
    Ok(v as usize)
}

/// Most output cells one request may ask for (256 MiB of f32).
pub const MAX_OUTPUT_CELLS: usize = 1 << 26;

/// Refuses an output shape larger than [`MAX_OUTPUT_CELLS`].
pub fn check_output(shape: [usize; 4]) -> Result<(), String> {
    let cells = shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).unwrap_or(usize::MAX);
    if cells > MAX_OUTPUT_CELLS {
        return Err(format!(
            "the output {shape:?} would have {cells} cells; convscope computes at most {MAX_OUTPUT_CELLS}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_requests_are_answered_with_errors() {
        for (line, needle) in [
            ("{", "malformed JSON"),
            ("[]", "JSON object"),
            (r#"{"args": {}}"#, "no \"op\""),
            (r#"{"op": "conv2d"}"#, "no \"args\""),
            (r#"{"op": "frobnicate", "args": {}}"#, "unknown op"),
            (r#"{"op": "conv2d", "args": {"input": [1, 2]}}"#, "4-D"),
            (r#"{"op": "conv2d", "args": {"input": [[[[1, 2], [3]]]], "weight": [[[[1]]]]}}"#, "ragged"),
        ] {
            let (answer, ok) = answer_line(line);
            assert!(!ok, "{line}");
            let message = answer["error"].as_str().unwrap();
            assert!(message.contains(needle), "{line}: {message}");
        }
    }

    #[test]
    fn pairs_accept_ints_and_lists() {
        let map: Map<String, Value> = serde_json::from_str(r#"{"a": 2, "b": [1, 3], "c": [1], "d": -1}"#).unwrap();
        let args = Args(&map);
        assert_eq!(args.pair("a", 1).unwrap(), [2, 2]);
        assert_eq!(args.pair("b", 1).unwrap(), [1, 3]);
        assert_eq!(args.pair("z", 1).unwrap(), [1, 1]);
        assert!(args.pair("c", 1).is_err());
        assert!(args.pair("d", 1).is_err());
    }
}
