//! `cargo xtask build`: release wasm, JS bindings into www/pkg/, then wasm-opt.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result};

use crate::{WASM_TARGET, cargo, run_command, target_dir};

/// wasm-opt releases before this one miscompile wasm-bindgen's table setup (TOOLCHAIN.md, pitfall 2).
const MIN_WASM_OPT_VERSION: u32 = 116;
/// `-Oz` measured smaller than `-O`, `-O3` and `-Os` on this crate, and the page still runs.
/// `XTASK_WASM_OPT=-O3 cargo xtask build` tries another level; `XTASK_WASM_OPT=off` skips it.
const WASM_OPT_LEVEL: &str = "-Oz";

pub(crate) fn build(root: &Path) -> Result<()> {
    ensure_wasm_target()?;
    run_command(cargo().args(["build", "--profile", "wasm", "--lib", "--target", WASM_TARGET, "-p", "convscope"]))?;

    let wasm = target_dir(root).join(format!("{WASM_TARGET}/wasm/convscope.wasm"));
    let pkg = root.join("www/pkg");
    let bg_wasm = pkg.join("convscope_bg.wasm");
    let wasm_opt = find_wasm_opt(root)?;
    // Bindings and wasm-opt take seconds, so they are redone only when cargo's output or
    // the optimisation changed since the last build.
    let stamp_path = pkg.join(".xtask-stamp");
    let stamp = build_stamp(&wasm, wasm_opt.as_ref().map(|(_, level)| level.as_str()))?;
    let outputs_exist = bg_wasm.is_file() && pkg.join("convscope.js").is_file();
    write_catalogues(root, &pkg)?;
    if outputs_exist && fs::read_to_string(&stamp_path).is_ok_and(|old| old == stamp) {
        println!("xtask: {} is up to date ({})", pkg.display(), kib(file_len(&bg_wasm)?));
        return Ok(());
    }

    let started = Instant::now();
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .out_name("convscope")
        // The library leaves the default `init()` module path out unless told (the CLI
        // does not); without it `init()` fails with "Argument 0 must be a buffer source".
        .web(true)?
        .omit_default_module_path(false)
        .generate(&pkg)
        .with_context(|| format!("wasm-bindgen failed on {}", wasm.display()))?;
    let unoptimised = file_len(&bg_wasm)?;
    println!(
        "xtask: bindings written to {} in {:.1} s ({})",
        pkg.display(),
        started.elapsed().as_secs_f64(),
        kib(unoptimised)
    );

    if let Some((wasm_opt, level)) = wasm_opt {
        let started = Instant::now();
        let optimised = pkg.join("convscope_bg.opt.wasm");
        run_command(Command::new(&wasm_opt).arg(&level).arg(&bg_wasm).arg("-o").arg(&optimised))?;
        fs::rename(&optimised, &bg_wasm)?;
        println!(
            "xtask: wasm-opt {level}: {} -> {} in {:.1} s",
            kib(unoptimised),
            kib(file_len(&bg_wasm)?),
            started.elapsed().as_secs_f64()
        );
    }
    fs::write(&stamp_path, stamp)?;
    Ok(())
}

/// Writes the catalogues of the languages other than English (the wasm holds English only)
/// to `www/pkg/i18n/<lang>.ftl`, where the page fetches one when a reader asks for it.
fn write_catalogues(root: &Path, pkg: &Path) -> Result<()> {
    let dir = pkg.join("i18n");
    fs::create_dir_all(&dir)?;
    for lang in crate::join::LANGS.into_iter().filter(|lang| *lang != "en") {
        let (catalogue, _) = crate::join::catalogue(&root.join("i18n").join(lang))
            .with_context(|| format!("cannot read the {lang} catalogue"))?;
        let path = dir.join(format!("{lang}.ftl"));
        if fs::read_to_string(&path).ok().as_deref() != Some(catalogue.as_str()) {
            fs::write(&path, catalogue).with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    Ok(())
}

/// What the contents of www/pkg/ depend on: cargo's wasm (size and mtime) and the wasm-opt level.
fn build_stamp(wasm: &Path, wasm_opt_level: Option<&str>) -> Result<String> {
    let metadata = fs::metadata(wasm).with_context(|| format!("cannot stat {}", wasm.display()))?;
    let modified = metadata.modified()?.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Ok(format!(
        "wasm-bindgen 0.2.130\n{} bytes, modified {}.{:09}\nwasm-opt {}\n",
        metadata.len(),
        modified.as_secs(),
        modified.subsec_nanos(),
        wasm_opt_level.unwrap_or("skipped"),
    ))
}

/// The wasm-opt to run and its level, or `None` (with a note saying why) to skip it.
fn find_wasm_opt(root: &Path) -> Result<Option<(PathBuf, String)>> {
    let level = std::env::var("XTASK_WASM_OPT").unwrap_or_else(|_| WASM_OPT_LEVEL.to_owned());
    if level == "off" {
        println!("xtask: note: XTASK_WASM_OPT=off, the wasm is left unoptimised");
        return Ok(None);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        println!("xtask: note: npm not found, so there is no wasm-opt: the wasm is left unoptimised");
        return Ok(None);
    }
    ensure_node_modules(root)?;
    Ok(wasm_opt(root)?.map(|path| (path, level)))
}

fn ensure_wasm_target() -> Result<()> {
    let output = Command::new("rustup").args(["target", "list", "--installed"]).output();
    match output {
        Ok(output) if output.status.success() => {
            let installed = String::from_utf8_lossy(&output.stdout);
            if !installed.lines().any(|line| line.trim() == WASM_TARGET) {
                run_command(Command::new("rustup").args(["target", "add", WASM_TARGET]))?;
            }
        }
        // Without rustup the toolchain is whatever it is; cargo reports a missing target.
        _ => println!("xtask: note: rustup not usable, assuming {WASM_TARGET} is installed"),
    }
    Ok(())
}

/// Installs the locked npm packages (Playwright, binaryen) when they are missing.
pub(crate) fn ensure_node_modules(root: &Path) -> Result<()> {
    let modules = root.join("node_modules");
    let complete =
        ["playwright-core", "binaryen"].iter().all(|package| modules.join(package).join("package.json").is_file());
    if !complete {
        println!("xtask: node_modules is missing: running npm ci");
        run_command(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    }
    Ok(())
}

/// The npm binaryen's wasm-opt when its version is recent enough to trust.
fn wasm_opt(root: &Path) -> Result<Option<PathBuf>> {
    let path = root.join("node_modules/.bin/wasm-opt");
    let Ok(output) = Command::new(&path).arg("--version").output() else {
        println!("xtask: note: cannot run {}: the wasm is left unoptimised", path.display());
        return Ok(None);
    };
    // Prints e.g. "wasm-opt version 132 (version_132)".
    let text = String::from_utf8_lossy(&output.stdout);
    let version =
        text.split_whitespace().skip_while(|word| *word != "version").nth(1).and_then(|word| word.parse::<u32>().ok());
    match version {
        Some(version) if version >= MIN_WASM_OPT_VERSION => Ok(Some(path)),
        _ => {
            println!(
                "xtask: note: {} is not wasm-opt >= {MIN_WASM_OPT_VERSION} ({}): \
                 the wasm is left unoptimised",
                path.display(),
                text.trim()
            );
            Ok(None)
        }
    }
}

fn file_len(path: &Path) -> Result<u64> {
    Ok(fs::metadata(path).with_context(|| format!("cannot stat {}", path.display()))?.len())
}

pub(crate) fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}
