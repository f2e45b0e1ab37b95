//! Joins each language's message files (`i18n/<lang>/*.ftl`, in name order) into one
//! catalogue, `$OUT_DIR/<lang>.ftl`, which `src/text` includes.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for lang in ["en", "zh-CN"] {
        let dir = Path::new("i18n").join(lang);
        println!("cargo::rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        let mut catalogue = String::new();
        for file in &files {
            println!("cargo::rerun-if-changed={}", file.display());
            let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            catalogue.push_str(&format!("\n### {}\n\n", file.display()));
            catalogue.push_str(&text);
            catalogue.push('\n');
        }
        fs::write(Path::new(&out).join(format!("{lang}.ftl")), catalogue).expect("writing the catalogue");
    }
}
