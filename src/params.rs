//! Raw parameters (sliders, URL query, JSON) → checked values, or a [`ParamError`] that says
//! what is wrong in the user's terms.
//!
//! Each operator declares its controls as a `&'static [ParamSpec]` schema. The page builds its
//! sliders and menus from that schema, the URL round-trips through it, and [`Params`] holds
//! values that are known to be inside the schema's ranges. Checks that involve several
//! parameters (a kernel wider than the padded input) belong to each operator's geometry
//! constructor, which is the only other place that validates.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::analysis::{Layer, LayerField};
use crate::msg;
use crate::text::Msg;

/// One control of an operator.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ParamSpec {
    /// PyTorch's argument name where there is one (`stride`, `padding`, `output_padding`).
    pub name: &'static str,
    /// The visible label of the control.
    pub label: &'static str,
    /// One sentence shown as the control's description.
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: ParamKind,
    /// The control is read only while another control has one of these values (interpolate's
    /// output size only when resizing by size); the page disables it otherwise.
    pub when: Option<When>,
}

/// "Only while control `param` is one of `values`."
#[derive(Clone, Copy, Debug, Serialize)]
pub struct When {
    pub param: &'static str,
    pub values: &'static [&'static str],
}

/// The kind of a control and its range.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ParamKind {
    /// A slider over whole numbers.
    Int { min: i64, max: i64, default: i64, step: i64 },
    /// A menu of named options: `(value, label)`.
    Choice { options: &'static [(&'static str, &'static str)], default: &'static str },
    /// A whole number per axis, written `3` (both axes) or `3,1` (rows, columns), as
    /// PyTorch's int-or-pair arguments; with `words`, also one of those keywords (conv2d's
    /// padding `same` and `valid`). The page shows one slider, or one per axis.
    Pair { min: i64, max: i64, default: i64, step: i64, words: &'static [&'static str] },
    /// A stack of layers in the compact form of [`crate::analysis::stack`], e.g.
    /// `c3p1*2,p2s2`; the page shows a layer editor with a column per field (its bounds, and
    /// whether a pooling layer has it) and adds `new_layer` to an empty stack; with
    /// `from_model`, a box takes what `print(model)` shows instead.
    Layers { default: &'static str, fields: &'static [LayerField], new_layer: Layer, from_model: bool },
}

/// A schema put together from groups of controls at compile time, e.g. an operator's own
/// controls followed by a shared group; `N` must be their total (else it does not compile).
pub const fn schema<const N: usize>(groups: &[&[ParamSpec]]) -> [ParamSpec; N] {
    let mut out = [ParamSpec::int("", "", 0, 0, 0, ""); N];
    let (mut n, mut g) = (0, 0);
    while g < groups.len() {
        let mut i = 0;
        while i < groups[g].len() {
            assert!(n < N, "the schema has more controls than its length says");
            out[n] = groups[g][i];
            (n, i) = (n + 1, i + 1);
        }
        g += 1;
    }
    assert!(n == N, "the schema has fewer controls than its length says");
    out
}

impl ParamSpec {
    pub const fn int(
        name: &'static str,
        label: &'static str,
        min: i64,
        max: i64,
        default: i64,
        help: &'static str,
    ) -> ParamSpec {
        ParamSpec { name, label, help, kind: ParamKind::Int { min, max, default, step: 1 }, when: None }
    }

    /// The same number control, set per axis (see [`ParamKind::Pair`]).
    pub const fn per_axis(self) -> ParamSpec {
        match self.kind {
            ParamKind::Int { min, max, default, step } => {
                ParamSpec { kind: ParamKind::Pair { min, max, default, step, words: &[] }, ..self }
            }
            _ => self,
        }
    }

    /// The same control, read only while control `param` has one of `values`.
    pub const fn when(self, param: &'static str, values: &'static [&'static str]) -> ParamSpec {
        ParamSpec { when: Some(When { param, values }), ..self }
    }

    /// The same per-axis control with keywords besides numbers.
    pub const fn with_words(self, words: &'static [&'static str]) -> ParamSpec {
        match self.kind {
            ParamKind::Pair { min, max, default, step, .. } => {
                ParamSpec { kind: ParamKind::Pair { min, max, default, step, words }, ..self }
            }
            _ => self,
        }
    }

    pub const fn choice(
        name: &'static str,
        label: &'static str,
        options: &'static [(&'static str, &'static str)],
        default: &'static str,
        help: &'static str,
    ) -> ParamSpec {
        ParamSpec { name, label, help, kind: ParamKind::Choice { options, default }, when: None }
    }

    fn default_value(&self) -> Value {
        match self.kind {
            ParamKind::Int { default, .. } => Value::Int(default),
            ParamKind::Choice { default, .. } => Value::Choice(default),
            ParamKind::Pair { default, .. } => Value::Pair([default; 2]),
            ParamKind::Layers { default, .. } => Value::Text(default.to_string()),
        }
    }

    /// Parses and range-checks one raw value for this control. Whole numbers are written as
    /// the page writes them (digits, maybe a leading minus): `+3` or ` 3` is reported, not
    /// silently read as 3.
    pub fn parse(&self, raw: &str) -> Result<Value, ParamError> {
        match self.kind {
            ParamKind::Int { min, max, .. } => {
                let value: i64 = whole(raw).ok_or_else(|| {
                    ParamError::new(self.name, msg!("param-not-whole", label = Msg::id(self.label), raw = clip(raw)))
                })?;
                if value < min || value > max {
                    return Err(ParamError::new(
                        self.name,
                        msg!("param-out-of-range", label = Msg::id(self.label), min = min, max = max, value = value),
                    ));
                }
                Ok(Value::Int(value))
            }
            ParamKind::Choice { options, .. } => {
                options.iter().find(|(value, _)| *value == raw).map(|(value, _)| Value::Choice(value)).ok_or_else(
                    || {
                        let names: Vec<&str> = options.iter().map(|(v, _)| *v).collect();
                        ParamError::new(
                            self.name,
                            msg!(
                                "param-not-option",
                                label = Msg::id(self.label),
                                options = names.join(", "),
                                raw = clip(raw)
                            ),
                        )
                    },
                )
            }
            ParamKind::Pair { min, max, words, .. } => {
                if let Some(word) = words.iter().find(|w| **w == raw) {
                    return Ok(Value::Choice(word));
                }
                let numbers: Vec<Option<i64>> = raw.split(',').map(whole).collect();
                let value = match numbers[..] {
                    [Some(v)] => [v, v],
                    [Some(a), Some(b)] => [a, b],
                    _ => {
                        let words = if words.is_empty() { "none".to_string() } else { words.join(", ") };
                        return Err(ParamError::new(
                            self.name,
                            msg!("param-not-pair", label = Msg::id(self.label), words = words, raw = clip(raw)),
                        ));
                    }
                };
                if let Some(bad) = value.iter().find(|v| **v < min || **v > max) {
                    return Err(ParamError::new(
                        self.name,
                        msg!("param-out-of-range", label = Msg::id(self.label), min = min, max = max, value = *bad),
                    ));
                }
                Ok(Value::Pair(value))
            }
            ParamKind::Layers { .. } => crate::analysis::stack::parse(raw)
                .map(|layers| Value::Text(crate::analysis::stack::format(&layers)))
                .map_err(|e| ParamError::new(&e.param(self.name), e.message)),
        }
    }
}

/// A whole number as the page writes it: digits, maybe after a minus sign.
fn whole(raw: &str) -> Option<i64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| raw.parse().ok()).flatten()
}

fn clip(raw: &str) -> String {
    raw.chars().take(24).collect()
}

/// A checked value of one control.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Choice(&'static str),
    /// Rows and columns of a per-axis control.
    Pair([i64; 2]),
    /// A well-formed layer stack in compact form.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Choice(v) => f.write_str(v),
            Value::Pair([a, b]) if a == b => write!(f, "{a}"),
            Value::Pair([a, b]) => write!(f, "{a},{b}"),
            Value::Text(v) => f.write_str(v),
        }
    }
}

/// Values for every control of one operator, each inside its range.
#[derive(Clone, Debug)]
pub struct Params {
    schema: &'static [ParamSpec],
    values: BTreeMap<&'static str, Value>,
}

impl PartialEq for Params {
    fn eq(&self, other: &Params) -> bool {
        std::ptr::eq(self.schema, other.schema) && self.values == other.values
    }
}

impl Params {
    pub fn defaults(schema: &'static [ParamSpec]) -> Params {
        Params { schema, values: schema.iter().map(|spec| (spec.name, spec.default_value())).collect() }
    }

    /// Reads `(name, value)` pairs (a URL query), keeping defaults where a value is bad and
    /// returning one message per problem. Unknown names are reported unless listed in `ignore`.
    pub fn from_pairs<'a>(
        schema: &'static [ParamSpec],
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        ignore: &[&str],
    ) -> (Params, Vec<Msg>) {
        let mut params = Params::defaults(schema);
        let mut problems = Vec::new();
        for (name, raw) in pairs {
            if ignore.contains(&name) {
                continue;
            }
            match params.set(name, raw) {
                Ok(()) => {}
                Err(err) => problems.push(msg!("param-using-default", problem = err.message)),
            }
        }
        (params, problems)
    }

    pub fn schema(&self) -> &'static [ParamSpec] {
        self.schema
    }

    pub fn spec(&self, name: &str) -> Option<&'static ParamSpec> {
        self.schema.iter().find(|spec| spec.name == name)
    }

    /// Sets one control from its raw text, or says why not (the old value stays).
    pub fn set(&mut self, name: &str, raw: &str) -> Result<(), ParamError> {
        let spec = self.spec(name).ok_or_else(|| ParamError::general(msg!("param-unknown", name = clip(name))))?;
        let value = spec.parse(raw)?;
        self.values.insert(spec.name, value);
        Ok(())
    }

    /// The value of an integer control. Asking for a control the schema lacks is a bug in
    /// the operator, caught by the registry tests.
    /// Whether control `name` is read at the current values (see [`ParamSpec::when`]).
    pub fn active(&self, name: &str) -> bool {
        self.spec(name).and_then(|spec| spec.when).is_none_or(
            |When { param, values }| matches!(self.get(param), Some(Value::Choice(v)) if values.contains(&v)),
        )
    }

    pub fn int(&self, name: &str) -> i64 {
        match self.values.get(name) {
            Some(Value::Int(v)) => *v,
            _ => panic!("operator asked for integer parameter {name:?} that its schema lacks"),
        }
    }

    pub fn usize(&self, name: &str) -> usize {
        self.int(name).max(0) as usize
    }

    pub fn choice(&self, name: &str) -> &'static str {
        match self.values.get(name) {
            Some(Value::Choice(v)) => v,
            _ => panic!("operator asked for choice parameter {name:?} that its schema lacks"),
        }
    }

    /// The rows and columns of a per-axis control, or the keyword it holds.
    pub fn pair_or_word(&self, name: &str) -> Result<[usize; 2], &'static str> {
        match self.values.get(name) {
            Some(Value::Pair(v)) => Ok(v.map(|a| a.max(0) as usize)),
            Some(Value::Choice(word)) => Err(word),
            _ => panic!("operator asked for per-axis parameter {name:?} that its schema lacks"),
        }
    }

    /// The rows and columns of a per-axis control without keywords.
    pub fn pair(&self, name: &str) -> [usize; 2] {
        self.pair_or_word(name).unwrap_or_else(|word| panic!("{name:?} holds the keyword {word:?}"))
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        self.values.get(name).cloned()
    }

    /// The value of a layers control.
    pub fn layers(&self, name: &str) -> Vec<crate::analysis::Layer> {
        match self.values.get(name) {
            // Stored values were parsed when set, so they parse again.
            Some(Value::Text(v)) => crate::analysis::stack::parse(v).unwrap_or_default(),
            _ => panic!("operator asked for layers parameter {name:?} that its schema lacks"),
        }
    }

    /// `(name, value)` for every control, in schema order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.schema.iter().map(|spec| (spec.name, self.values[spec.name].to_string())).collect()
    }

    /// Only the controls that differ from their defaults, for short URLs.
    pub fn changed_pairs(&self) -> Vec<(&'static str, String)> {
        self.schema
            .iter()
            .filter(|spec| self.values[spec.name] != spec.default_value())
            .map(|spec| (spec.name, self.values[spec.name].to_string()))
            .collect()
    }
}

/// A setting with no valid result, told in the user's terms.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParamError {
    /// The control to show the message beside, when one is to blame.
    pub param: Option<String>,
    pub message: Msg,
}

impl ParamError {
    pub fn new(param: &str, message: impl Into<Msg>) -> ParamError {
        ParamError { param: Some(param.to_string()), message: message.into() }
    }

    pub fn general(message: impl Into<Msg>) -> ParamError {
        ParamError { param: None, message: message.into() }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message.en())
    }
}

impl std::error::Error for ParamError {}

#[cfg(test)]
mod tests {
    use super::*;

    static SCHEMA: &[ParamSpec] = &[
        ParamSpec::int("stride", "Stride", 1, 8, 1, "step of the window"),
        ParamSpec::choice("view", "View", &[("gather", "Gather"), ("scatter", "Scatter")], "gather", "how"),
    ];

    #[test]
    fn bad_url_values_are_reported_and_replaced_by_defaults() {
        let (params, problems) = Params::from_pairs(
            SCHEMA,
            [("stride", "abc"), ("view", "sideways"), ("color", "red"), ("op", "x")],
            &["op"],
        );
        assert_eq!(params, Params::defaults(SCHEMA));
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].en().contains("Stride must be a whole number"), "{problems:?}");
        assert!(problems[1].en().contains("one of gather, scatter"), "{problems:?}");
        assert!(problems[2].en().contains("unknown parameter"), "{problems:?}");
    }

    #[test]
    fn out_of_range_values_name_the_range() {
        let mut params = Params::defaults(SCHEMA);
        let err = params.set("stride", "99").unwrap_err();
        assert_eq!(err.param.as_deref(), Some("stride"));
        assert_eq!(err.message.en(), "Stride must be between 1 and 8, not 99");
        assert_eq!(params.int("stride"), 1);
        assert!(params.set("stride", " 3 ").is_err() && params.set("stride", "+3").is_err());
        params.set("stride", "3").unwrap();
        assert_eq!(params.changed_pairs(), vec![("stride", "3".to_string())]);
    }
}
