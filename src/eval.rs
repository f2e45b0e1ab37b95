//! `convscope eval`: one JSON request `{"op", "args"}` in, one answer line `{"output"}` or
//! `{"error"}` out, with PyTorch's argument names and `tolist()` nesting (see the golden
//! vectors' README). This module only dispatches: [`crate::args`] parses and checks the
//! arguments against the operation's signature, the operation (found in the registry,
//! [`crate::ops::find_eval`]) computes. Pure: the CLI does the reading and writing.

use serde::Serialize;

use crate::args::{Answer, Arg, Args};
use crate::ops;

/// Longest request line read; longer lines are answered with an error, unread.
pub const MAX_LINE: usize = 32 << 20;

#[derive(Serialize)]
struct Output<'a> {
    output: &'a Answer,
}

#[derive(Serialize)]
struct Failure<'a> {
    error: &'a str,
}

/// Answers one request line with one line of JSON (no newline); never panics, whatever the
/// line holds. The flag says whether the request succeeded.
pub fn answer_line(line: impl AsRef<[u8]>) -> (String, bool) {
    match answer(line.as_ref()) {
        Ok(answer) => match serde_json::to_string(&Output { output: &answer }) {
            Ok(text) => (text, true),
            Err(e) => (error_line(&format!("the answer could not be written as JSON: {e}")), false),
        },
        Err(message) => (error_line(&message), false),
    }
}

/// `{"error": message}`.
pub fn error_line(message: &str) -> String {
    serde_json::to_string(&Failure { error: message }).unwrap_or_else(|_| r#"{"error":"unprintable error"}"#.into())
}

/// What is wrong with one answer line, if anything: the protocol's promises (one line of
/// JSON, `{"output"}` or `{"error": "…"}`, never a `null`) checked from outside, by the
/// fuzzer and the tests.
pub fn answer_problem(answer: &str) -> Option<String> {
    if answer.contains('\n') {
        return Some("the answer spans several lines".into());
    }
    let value: serde_json::Value = match serde_json::from_str(answer) {
        Ok(value) => value,
        Err(e) => {
            return Some(format!("the answer is not JSON ({e}): {}", answer.chars().take(200).collect::<String>()));
        }
    };
    let keys: Vec<&String> = value.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    match keys.as_slice() {
        [key] if *key == "output" || *key == "error" => {}
        _ => {
            return Some(format!(
                "the answer is not {{\"output\"}} or {{\"error\"}}: {}",
                answer.chars().take(200).collect::<String>()
            ));
        }
    }
    if value.get("error").is_some_and(|e| !e.is_string()) {
        return Some("the error is not a string".into());
    }
    has_null(&value).then(|| format!("the answer holds a null: {}", answer.chars().take(200).collect::<String>()))
}

fn has_null(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::Array(items) => items.iter().any(has_null),
        serde_json::Value::Object(map) => map.values().any(has_null),
        _ => false,
    }
}

fn answer(line: &[u8]) -> Result<Answer, String> {
    if line.len() > MAX_LINE {
        return Err(format!("the request is {} bytes long; convscope reads at most {MAX_LINE}", line.len()));
    }
    let request = Arg::parse(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let Arg::Object(fields) = &request else {
        return Err("a request must be a JSON object {\"op\", \"args\"}".into());
    };
    if let Some((key, _)) = fields.iter().find(|(key, _)| key != "op" && key != "args") {
        return Err(format!(
            "unknown key \"{}\" in the request; a request is {{\"op\", \"args\"}}",
            key.chars().take(40).collect::<String>()
        ));
    }
    let field = |name: &str| fields.iter().find(|(key, _)| key == name).map(|(_, value)| value);
    let name = match field("op") {
        Some(Arg::Str(name)) => name,
        Some(other) => return Err(format!("\"op\" must be a string, not {}", other.describe())),
        None => return Err("the request has no \"op\" string".into()),
    };
    let args = match field("args") {
        Some(args @ Arg::Object(_)) => args,
        Some(other) => return Err(format!("\"args\" must be a JSON object, not {}", other.describe())),
        None => return Err("the request has no \"args\" object".into()),
    };
    let op = ops::find_eval(name).ok_or_else(|| {
        let known: Vec<&str> = ops::eval_ops().map(|op| op.name).collect();
        format!("unknown op \"{}\"; known ops: {}", name.chars().take(40).collect::<String>(), known.join(", "))
    })?;
    let args = Args::new(args, op.signature)?;
    let answer = (op.answer)(&args)?;
    answer.check_finite()?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(line: &str) -> String {
        let (answer, ok) = answer_line(line);
        assert!(!ok, "{line} was accepted: {answer}");
        let value: serde_json::Value = serde_json::from_str(&answer).unwrap();
        value["error"].as_str().unwrap().to_string()
    }

    #[test]
    fn malformed_requests_are_answered_with_errors() {
        for (line, needle) in [
            ("{", "malformed JSON"),
            ("[]", "JSON object"),
            (r#"{"args": {}}"#, "no \"op\""),
            (r#"{"op": "conv2d"}"#, "no \"args\""),
            (r#"{"op": "conv2d", "args": {}, "expected": 1}"#, "unknown key \"expected\""),
            (r#"{"op": "frobnicate", "args": {}}"#, "unknown op"),
            (r#"{"op": "conv2d", "args": {"input": [1, 2], "weight": [[[[1]]]]}}"#, "3-D to 4-D"),
            (r#"{"op": "conv2d", "args": {"input": [[[[1, 2], [3]]]], "weight": [[[[1]]]]}}"#, "ragged"),
            (r#"{"op": "conv2d", "args": {"input": [[[[1]]]], "weight": [[[[1]]]], "paddin": 1}}"#, "unknown argument"),
            ("{\"op\": \"conv2d\", \"args\": {\"input\": NaN}}", "malformed JSON"),
            ("\u{0}\u{ff}", "malformed JSON"),
        ] {
            let message = error_of(line);
            assert!(message.contains(needle), "{line}: {message}");
        }
    }

    #[test]
    fn overflowing_results_are_errors_not_nulls() {
        let message = error_of(r#"{"op": "conv2d", "args": {"input": [[[[3e38, 3e38]]]], "weight": [[[[10, 10]]]]}}"#);
        assert!(message.contains("output element [0, 0, 0, 0] is +∞"), "{message}");
    }
}
