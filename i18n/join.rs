//! Joins one language's message files (`i18n/<lang>/*.ftl`, in name order) into one
//! catalogue. Shared by `build.rs` (the catalogues compiled in) and the xtask (the
//! catalogues the page fetches: `www/pkg/i18n/<lang>.ftl`), so both are the same text.

use std::path::{Path, PathBuf};

/// The languages with a catalogue, as directory names under `i18n/`.
pub const LANGS: [&str; 2] = ["en", "zh-CN"];

/// The joined catalogue of the files in `dir`, and the files it was joined from.
pub fn catalogue(dir: &Path) -> std::io::Result<(String, Vec<PathBuf>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "ftl") {
            files.push(path);
        }
    }
    files.sort();
    let mut catalogue = String::new();
    for file in &files {
        let text = std::fs::read_to_string(file)?;
        // Paths with forward slashes, so the text is the same on every system.
        let name = file.to_string_lossy().replace('\\', "/");
        catalogue.push_str(&format!("\n### {name}\n\n"));
        catalogue.push_str(&text);
        catalogue.push('\n');
    }
    Ok((catalogue, files))
}
