//! The ARCHITECTURE.md invariants that can be read off the source, enforced: layers import
//! downward only, only `src/web` touches the browser, the renderers and the page shell know no
//! operator by name, every operator file is registered and mapped, every module says what it
//! is in a `//!` line.

use std::path::{Path, PathBuf};

use convscope::ops;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// A file's code without its unit tests (the `#[cfg(test)]` module closes every file).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

/// The top-level module a file of `src/` belongs to (`ops` for `src/ops/roi/mod.rs`).
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(root().join("src")).unwrap();
    let first = rel.components().next().unwrap().as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The top-level modules a piece of code names as `crate::…`, including `use crate::{a, b}`.
fn crate_modules(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            names.extend(group.split(',').map(|item| item.trim().split("::").next().unwrap_or("").to_string()));
        } else {
            names.push(rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect());
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The layers of ARCHITECTURE.md, lowest first; a module may use only modules of lower layers.
const LAYERS: &[&[&str]] = &[
    &["text", "msg"],
    &["args", "analysis", "trace", "animation"],
    &["params", "counts"],
    &["ops"],
    &["eval", "scene"],
    &["paint"],
    &["session"],
    &["web"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn layers_import_downward_only() {
    let mut checked = 0;
    for file in rust_files(&root().join("src")) {
        let module = module_of(&file);
        let Some(own) = layer(&module) else {
            // Only the crate root and the binaries stand outside the layers.
            assert!(
                matches!(module.as_str(), "lib" | "bin" | "main"),
                "{}: module {module} is in no layer",
                relative(&file)
            );
            continue;
        };
        for used in crate_modules(&code(&file)) {
            let theirs = layer(&used).unwrap_or_else(|| panic!("{}: crate::{used} is in no layer", relative(&file)));
            assert!(
                used == module || theirs < own,
                "{} (layer {own}, {module}) uses crate::{used} (layer {theirs}): layers import downward only",
                relative(&file)
            );
        }
        checked += 1;
    }
    assert!(checked > 40, "only {checked} files checked");
}

#[test]
fn only_src_web_touches_the_browser() {
    for file in rust_files(&root().join("src")) {
        if module_of(&file) == "web" {
            continue;
        }
        let text = code(&file);
        for name in ["wasm_bindgen", "web_sys", "js_sys"] {
            assert!(!text.contains(name), "{} mentions {name}; only src/web may", relative(&file));
        }
    }
}

#[test]
fn the_core_does_no_io_and_no_drawing() {
    for file in rust_files(&root().join("src")) {
        let module = module_of(&file);
        if !["args", "analysis", "trace", "params", "counts", "ops", "eval"].contains(&module.as_str()) {
            continue;
        }
        let text = code(&file);
        for name in ["std::fs", "std::io", "std::net", "plotters", "println!", "eprintln!"] {
            assert!(!text.contains(name), "{} uses {name}; the core is pure", relative(&file));
        }
    }
}

/// Whether `text` holds `word` with no identifier character on either side.
fn has_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

#[test]
fn renderers_and_the_page_shell_know_no_operator() {
    let mut files: Vec<PathBuf> = rust_files(&root().join("src/scene"));
    files.push(root().join("src/paint.rs"));
    files.push(root().join("www/main.js"));
    let names: Vec<&str> = ops::OPERATORS.iter().map(|op| op.name).chain(ops::eval_ops().map(|op| op.name)).collect();
    for file in files {
        let text = code(&file);
        for name in &names {
            assert!(!has_word(&text, name), "{} names the operator {name}", relative(&file));
        }
    }
}

/// Files of `src/ops` that hold no operator: the registry, shared argument specs, composites,
/// the PyTorch scripts.
const HELPERS: &[&str] = &["mod.rs", "sig.rs", "compose.rs", "code.rs"];

#[test]
fn every_operator_file_is_registered_and_mapped() {
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut statics = 0;
    for entry in std::fs::read_dir(root().join("src/ops")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let mapped = if path.is_dir() { format!("`{name}/`") } else { format!("`{name}`") };
        assert!(architecture.contains(&mapped), "ARCHITECTURE.md does not map src/ops/{name} (as {mapped})");
        let files = if path.is_dir() { rust_files(&path) } else { vec![path.clone()] };
        let found: usize = files.iter().map(|f| code(f).matches(": Operator = Operator {").count()).sum();
        assert!(found > 0 || HELPERS.contains(&name.as_str()), "src/ops/{name} defines no operator");
        statics += found;
    }
    assert_eq!(statics, ops::OPERATORS.len(), "an operator static is missing from OPERATORS");
}

#[test]
fn every_module_says_what_it_is() {
    let mut files = rust_files(&root().join("src"));
    files.extend(rust_files(&root().join("xtask/src")));
    files.extend(rust_files(&root().join("tests")));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        assert!(first.starts_with("//!"), "{} does not start with a //! line", relative(&file));
    }
}
