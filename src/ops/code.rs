//! "Copy as PyTorch": an operator's run describes the PyTorch call that gives its output
//! ([`Call`]: the function, PyTorch's arguments with the tensors the page shows, and the
//! output the page computed); [`script`] writes it as one self-contained Python script that
//! builds the tensors, makes the call, checks the result against the page's numbers with
//! `torch.testing.assert_close` and prints it as JSON on its last line.
//!
//! A call's arguments are those `convscope eval` takes under the same names, so the tests
//! check the embedded numbers against `eval` ([`Call::eval_request`]).

use ndarray::{ArrayD, IxDyn};
use serde_json::{Value, json};

/// One argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum PyArg {
    Tensor(ArrayD<f32>),
    Int(i64),
    Pair([i64; 2]),
    Float(f64),
    Bool(bool),
    Str(&'static str),
    None,
}

/// A PyTorch function call and the output the page shows for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The `convscope eval` operation with the same arguments (PyTorch's name, e.g.
    /// `conv_transpose2d`).
    pub op: &'static str,
    /// The Python expression of the function, e.g. `F.conv_transpose2d`.
    pub function: &'static str,
    /// Positional-or-keyword arguments in PyTorch's order, by PyTorch's names.
    pub args: Vec<(&'static str, PyArg)>,
    /// The page's output.
    pub output: ArrayD<f32>,
}

impl Call {
    pub fn new(op: &'static str, function: &'static str, output: ArrayD<f32>) -> Call {
        Call { op, function, args: Vec::new(), output }
    }

    pub fn arg(mut self, name: &'static str, value: PyArg) -> Call {
        self.args.push((name, value));
        self
    }

    /// The same call as a `convscope eval` request line.
    pub fn eval_request(&self) -> Value {
        let args: serde_json::Map<String, Value> =
            self.args.iter().map(|(name, value)| (name.to_string(), json_value(value))).collect();
        json!({ "op": self.op, "args": args })
    }
}

/// A tensor from a 4-D array.
pub fn tensor(a: &ndarray::Array4<f32>) -> PyArg {
    PyArg::Tensor(a.clone().into_dyn())
}

/// A 1-D tensor (a bias).
pub fn vector(v: &ndarray::Array1<f32>) -> PyArg {
    PyArg::Tensor(v.clone().into_dyn())
}

pub fn pair([a, b]: [usize; 2]) -> PyArg {
    PyArg::Pair([a as i64, b as i64])
}

fn json_value(value: &PyArg) -> Value {
    match value {
        PyArg::Tensor(t) => nested_json(t),
        PyArg::Int(v) => json!(v),
        PyArg::Pair(p) => json!(p),
        PyArg::Float(v) => json!(v),
        PyArg::Bool(b) => json!(b),
        PyArg::Str(s) => json!(s),
        PyArg::None => Value::Null,
    }
}

fn nested_json(t: &ArrayD<f32>) -> Value {
    fn go(t: &ArrayD<f32>, index: &mut Vec<usize>) -> Value {
        let depth = index.len();
        if depth == t.ndim() {
            return json!(f64::from(t[IxDyn(index)]));
        }
        let items = (0..t.shape()[depth])
            .map(|i| {
                index.push(i);
                let v = go(t, index);
                index.pop();
                v
            })
            .collect();
        Value::Array(items)
    }
    go(t, &mut Vec::new())
}

/// A number as Python reads it back to the same `float32`.
fn py_number(v: f32) -> String {
    if v.is_nan() {
        "float('nan')".into()
    } else if v.is_infinite() {
        if v > 0.0 { "float('inf')".into() } else { "-float('inf')".into() }
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        format!("{v:?}")
    }
}

fn py_tensor(t: &ArrayD<f32>, indent: usize) -> String {
    fn go(t: &ArrayD<f32>, index: &mut Vec<usize>, out: &mut String, indent: usize) {
        let depth = index.len();
        if depth + 1 == t.ndim() {
            let row: Vec<String> = (0..t.shape()[depth])
                .map(|i| {
                    index.push(i);
                    let s = py_number(t[IxDyn(index)]);
                    index.pop();
                    s
                })
                .collect();
            out.push('[');
            out.push_str(&row.join(", "));
            out.push(']');
            return;
        }
        out.push('[');
        for i in 0..t.shape()[depth] {
            if i > 0 {
                out.push_str(",\n");
                out.push_str(&" ".repeat(indent + depth + 1));
            }
            index.push(i);
            go(t, index, out, indent);
            index.pop();
        }
        out.push(']');
    }
    if t.ndim() == 0 {
        return py_number(t[IxDyn(&[])]);
    }
    let mut out = String::new();
    go(t, &mut Vec::new(), &mut out, indent);
    out
}

fn py_value(value: &PyArg) -> String {
    match value {
        PyArg::Tensor(_) => unreachable!("tensors are named variables"),
        PyArg::Int(v) => v.to_string(),
        PyArg::Pair([a, b]) => format!("({a}, {b})"),
        PyArg::Float(v) => format!("{v:?}"),
        PyArg::Bool(b) => if *b { "True" } else { "False" }.into(),
        PyArg::Str(s) => format!("{s:?}"),
        PyArg::None => "None".into(),
    }
}

/// The self-contained Python script of `call`, titled with `caption`.
pub fn script(call: &Call, caption: &str) -> String {
    let torchvision = call.function.starts_with("torchvision.");
    let mut out = String::new();
    out.push_str(&format!("# convscope: {}\n", caption.replace('\n', " ")));
    out.push_str("# The page's tensors and arguments in PyTorch; the check compares with the page's numbers.\n");
    out.push_str("import json\n\nimport torch\nimport torch.nn.functional as F\n");
    if torchvision {
        out.push_str("import torchvision\n");
    }
    out.push('\n');
    let mut call_args = Vec::new();
    for (name, value) in &call.args {
        match value {
            PyArg::Tensor(t) => {
                let prefix = format!("{name} = torch.tensor(");
                out.push_str(&format!("{prefix}{}, dtype=torch.float32)\n", py_tensor(t, prefix.len())));
                call_args.push(format!("{name}={name}"));
            }
            other => call_args.push(format!("{name}={}", py_value(other))),
        }
    }
    out.push_str(&format!("\ny = {}({})\n\n", call.function, call_args.join(", ")));
    let prefix = "expected = torch.tensor(";
    out.push_str(&format!("{prefix}{}, dtype=torch.float32)\n", py_tensor(&call.output, prefix.len())));
    out.push_str("torch.testing.assert_close(y, expected, rtol=1e-4, atol=1e-4)\n");
    out.push_str("print(json.dumps(y.tolist()))\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_the_script_has_its_parts() {
        assert_eq!(py_number(-2.0), "-2");
        assert_eq!(py_number(0.1), "0.1");
        assert_eq!(py_number(1.0 / 3.0).parse::<f32>().unwrap(), 1.0 / 3.0);
        let x = ndarray::Array4::from_shape_fn((1, 1, 2, 2), |(_, _, r, c)| (r * 2 + c) as f32 - 1.5);
        let call = Call::new("conv2d", "F.conv2d", x.clone().into_dyn())
            .arg("input", tensor(&x))
            .arg("stride", pair([1, 2]))
            .arg("bias", PyArg::None);
        let text = script(&call, "conv2d · stride=1,2");
        assert!(text.contains("input = torch.tensor([[[[-1.5, -0.5],\n"), "{text}");
        assert!(text.contains("y = F.conv2d(input=input, stride=(1, 2), bias=None)"), "{text}");
        assert!(text.ends_with("print(json.dumps(y.tolist()))\n"));
        assert_eq!(call.eval_request()["args"]["stride"], json!([1, 2]));
    }
}
