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
    /// The result of an earlier step of the program, by its variable name.
    Var(String),
    /// Plain data written as a Python literal (lists, dicts with string keys, numbers).
    Data(Value),
}

/// A PyTorch function call and the output the page shows for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The `convscope eval` operation with the same arguments (PyTorch's name, e.g.
    /// `conv_transpose2d`), if there is one.
    pub op: Option<&'static str>,
    /// The Python expression of the function, e.g. `F.conv_transpose2d`.
    pub function: &'static str,
    /// Python source the function needs, defined once at the top (a helper for an operation
    /// PyTorch has no single function for).
    pub helper: Option<&'static str>,
    /// Positional-or-keyword arguments in PyTorch's order, by PyTorch's names.
    pub args: Vec<(&'static str, PyArg)>,
    /// The variable the result goes into.
    pub out: String,
    /// The page's output.
    pub output: ArrayD<f32>,
}

impl Call {
    pub fn new(op: &'static str, function: &'static str, output: ArrayD<f32>) -> Call {
        Call { op: Some(op), function, helper: None, args: Vec::new(), out: "y".into(), output }
    }

    /// A step without an `eval` twin (a sum, a helper).
    pub fn python(function: &'static str, helper: Option<&'static str>, output: ArrayD<f32>) -> Call {
        Call { op: None, function, helper, args: Vec::new(), out: "y".into(), output }
    }

    pub fn helper(mut self, source: &'static str) -> Call {
        self.helper = Some(source);
        self
    }

    pub fn arg(mut self, name: &'static str, value: PyArg) -> Call {
        self.args.push((name, value));
        self
    }

    pub fn into(mut self, out: &str) -> Call {
        self.out = python_name(out);
        self
    }

    /// The same call as a `convscope eval` request line, the results of earlier steps
    /// (`done`) filled in, if it has an `eval` twin.
    pub fn eval_request(&self, done: &[Call]) -> Option<Value> {
        let op = self.op?;
        let value = |v: &PyArg| match v {
            PyArg::Var(name) => done.iter().rev().find(|c| &c.out == name).map(|c| nested_json(&c.output)),
            other => Some(json_value(other)),
        };
        let args: Option<serde_json::Map<String, Value>> =
            self.args.iter().map(|(name, v)| value(v).map(|v| (name.to_string(), v))).collect();
        Some(json!({ "op": op, "args": args? }))
    }
}

/// The calls that give the page's output, in order; the last one's result is the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub steps: Vec<Call>,
}

impl Program {
    pub fn single(call: Call) -> Program {
        Program { steps: vec![call] }
    }

    pub fn last(&self) -> Option<&Call> {
        self.steps.last()
    }
}

/// A grid's symbol as a Python name: `w′` → `w_t`, `x̂` → `x_hat`, anything else not an
/// identifier character → `_`.
pub fn python_name(symbol: &str) -> String {
    let mut out = String::new();
    for c in symbol.chars() {
        match c {
            '′' => out.push_str("_t"),
            '\u{0302}' => out.push_str("_hat"),
            c if c.is_ascii_alphanumeric() || c == '_' => out.push(c),
            _ => out.push('_'),
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    // Names of the script itself stay free.
    if matches!(out.as_str(), "torch" | "F" | "json" | "torchvision" | "expected" | "input") {
        format!("{out}_")
    } else {
        out
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
        PyArg::Var(_) => unreachable!("variables are filled in by eval_request"),
        PyArg::Data(v) => v.clone(),
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
        PyArg::Var(name) => name.clone(),
        // JSON of numbers, lists and objects is a Python literal once true/false/null are not in it.
        PyArg::Data(v) => v.to_string().replace("true", "True").replace("false", "False").replace("null", "None"),
        PyArg::Int(v) => v.to_string(),
        PyArg::Pair([a, b]) => format!("({a}, {b})"),
        PyArg::Float(v) => format!("{v:?}"),
        PyArg::Bool(b) => if *b { "True" } else { "False" }.into(),
        PyArg::Str(s) => format!("{s:?}"),
        PyArg::None => "None".into(),
    }
}

/// The self-contained Python script of `program`, titled with `caption`.
pub fn script(program: &Program, caption: &str) -> String {
    let torchvision = program
        .steps
        .iter()
        .any(|c| c.function.starts_with("torchvision.") || c.helper.is_some_and(|h| h.contains("torchvision.")));
    let mut out = String::new();
    out.push_str(&format!("# convscope: {}\n", caption.replace('\n', " ")));
    out.push_str("# The page's tensors and arguments in PyTorch; the check compares with the page's numbers.\n");
    out.push_str("import json\n\nimport torch\nimport torch.nn.functional as F\n");
    if torchvision {
        out.push_str("import torchvision\n");
    }
    let mut helpers: Vec<&str> = program.steps.iter().filter_map(|c| c.helper).collect();
    helpers.dedup();
    for helper in helpers {
        out.push_str(&format!("\n\n{}\n", helper.trim_end()));
    }
    // A tensor argument is a variable named after the argument, or after the argument and
    // the step when several steps have one of that name.
    let count = |name: &str| {
        program.steps.iter().flat_map(|c| &c.args).filter(|(n, v)| *n == name && matches!(v, PyArg::Tensor(_))).count()
    };
    let single = program.steps.len() == 1;
    for call in &program.steps {
        out.push('\n');
        let mut call_args = Vec::new();
        for (name, value) in &call.args {
            match value {
                PyArg::Tensor(t) => {
                    let var = if count(name) == 1 { python_name(name) } else { format!("{name}_{}", call.out) };
                    let prefix = format!("{var} = torch.tensor(");
                    out.push_str(&format!("{prefix}{}, dtype=torch.float32)\n", py_tensor(t, prefix.len())));
                    call_args.push(format!("{name}={var}"));
                }
                other => call_args.push(format!("{name}={}", py_value(other))),
            }
        }
        let target = if single { "y".to_string() } else { call.out.clone() };
        out.push_str(&format!("{target} = {}({})\n", call.function, call_args.join(", ")));
    }
    let last = program.last().expect("a program has a step");
    let y = if single { "y".to_string() } else { last.out.clone() };
    let prefix = "expected = torch.tensor(";
    out.push_str(&format!("\n{prefix}{}, dtype=torch.float32)\n", py_tensor(&last.output, prefix.len())));
    out.push_str(&format!("torch.testing.assert_close({y}, expected, rtol=1e-4, atol=1e-4)\n"));
    out.push_str(&format!("print(json.dumps({y}.tolist()))\n"));
    out
}

/// The receptive field's path counts by autograd, and the window of them the page draws.
pub const PATH_COUNTS: &str = r#"def path_counts(layers, input_size, output_position):
    """Paths from one output pixel back to each input pixel: its gradient through the stack with
    all-ones kernels (a pool's window counts like a conv's), in float64."""
    x = torch.ones(1, 1, *input_size, dtype=torch.float64, requires_grad=True)
    y = x
    for layer in layers:
        k, s, p, d = (layer[key] for key in ("kernel_size", "stride", "padding", "dilation"))
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s, padding=p, dilation=d)
    y[0, 0, output_position[0], output_position[1]].backward()
    return x.grad[0, 0]


def receptive_field_map(layers, input_size, output_position, rows, cols, block):
    """The page's map: rows and columns (first, last) of the path counts, summed in blocks."""
    n = path_counts(layers, input_size, output_position)[rows[0]:rows[1] + 1, cols[0]:cols[1] + 1]
    h, w = -(-n.shape[0] // block), -(-n.shape[1] // block)
    n = F.pad(n, (0, w * block - n.shape[1], 0, h * block - n.shape[0]))
    return n.reshape(h, block, w, block).sum((1, 3)).float()[None, None]"#;

/// Wojna et al.'s bilinear additive upsampling, which PyTorch has no function for.
pub const BILINEAR_ADDITIVE: &str = r#"def bilinear_additive_upsample(input, scale_factor, channel_group):
    """Bilinear ×scale_factor of every channel, then sums of channel_group consecutive channels."""
    u = F.interpolate(input, scale_factor=scale_factor, mode="bilinear", align_corners=False)
    n, c, h, w = u.shape
    return u.reshape(n, c // channel_group, channel_group, h, w).sum(2)"#;

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
        let text = script(&Program::single(call.clone()), "conv2d · stride=1,2");
        assert!(text.contains("input_ = torch.tensor([[[[-1.5, -0.5],\n"), "{text}");
        assert!(text.contains("y = F.conv2d(input=input_, stride=(1, 2), bias=None)"), "{text}");
        assert!(text.ends_with("print(json.dumps(y.tolist()))\n"));
        assert_eq!(call.eval_request(&[]).unwrap()["args"]["stride"], json!([1, 2]));
        assert_eq!(python_name("w′"), "w_t");
        assert_eq!(python_name("x̂"), "x_hat");
    }
}
