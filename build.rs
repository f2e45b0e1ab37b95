//! Joins each language's message files into one catalogue, `$OUT_DIR/<lang>.ftl`, which
//! `src/text` includes (see `i18n/join.rs`).

use std::{env, fs, path::Path};

#[path = "i18n/join.rs"]
mod join;

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=i18n/join.rs");
    for lang in join::LANGS {
        let dir = Path::new("i18n").join(lang);
        println!("cargo::rerun-if-changed={}", dir.display());
        let (catalogue, files) = join::catalogue(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for file in &files {
            println!("cargo::rerun-if-changed={}", file.display());
        }
        fs::write(Path::new(&out).join(format!("{lang}.ftl")), catalogue).expect("writing the catalogue");
    }
}
