//! Shared helpers: golden cases from `tests/golden/*.jsonl` and tolerant comparison.

use std::path::PathBuf;

use serde_json::Value;

pub struct Case {
    pub name: String,
    pub op: String,
    pub args: Value,
    pub expected: Value,
}

pub fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Every golden case, in file-name order, as the golden checker reads them.
pub fn golden_cases() -> Vec<Case> {
    let mut files: Vec<_> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "golden files missing: {files:?}");
    let mut cases = Vec::new();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(line).unwrap();
            cases.push(Case {
                name: v["name"].as_str().unwrap().to_string(),
                op: v["op"].as_str().unwrap().to_string(),
                args: v["args"].clone(),
                expected: v["expected"].clone(),
            });
        }
    }
    cases
}

/// The golden checker's rule: shapes exact, |got − expected| ≤ 1e-4 + 1e-4·|expected|.
pub fn mismatch(got: &Value, expected: &Value, path: &str) -> Option<String> {
    match expected {
        Value::Array(items) => {
            let Some(got_items) = got.as_array().filter(|g| g.len() == items.len()) else {
                return Some(format!("{path}: expected a list of {}, got {got}", items.len()));
            };
            items.iter().zip(got_items).enumerate().find_map(|(i, (e, g))| mismatch(g, e, &format!("{path}[{i}]")))
        }
        Value::Object(map) => map.iter().find_map(|(k, e)| match got.get(k) {
            Some(g) => mismatch(g, e, &format!("{path}.{k}")),
            None => Some(format!("{path}.{k}: missing")),
        }),
        Value::Number(e) => {
            let e = e.as_f64().unwrap();
            match got.as_f64() {
                Some(g) if (g - e).abs() <= 1e-4 + 1e-4 * e.abs() => None,
                _ => Some(format!("{path}: expected {e}, got {got}")),
            }
        }
        other => (got != other).then(|| format!("{path}: expected {other}, got {got}")),
    }
}
