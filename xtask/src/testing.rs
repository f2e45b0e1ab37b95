//! `cargo xtask test` (every suite, phase by phase) and `cargo xtask bench`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::build::{build, ensure_node_modules, kib};
use crate::serve::serve_www;
use crate::{Phase, RUNNER_SUBCOMMAND, WASM_TARGET, cargo, run_command};

/// Runs named phases in order, stopping at the first failure, and reports their durations.
struct Phases {
    started: Instant,
    done: Vec<(&'static str, Duration)>,
}

impl Phases {
    fn new() -> Phases {
        Phases { started: Instant::now(), done: Vec::new() }
    }

    fn run(&mut self, name: &'static str, body: impl FnOnce() -> Result<()>) -> Result<()> {
        let number = self.done.len() + 1;
        println!("\n==== xtask test: phase {number}: {name} ====");
        let _ = std::io::stdout().flush();
        let started = Instant::now();
        let result = body();
        self.done.push((name, started.elapsed()));
        if result.is_err() {
            self.report();
        }
        result.with_context(|| format!("phase {number} ({name}) failed"))
    }

    fn report(&self) {
        println!("\n==== xtask test: durations ====");
        for (name, duration) in &self.done {
            println!("{:>8.1} s  {name}", duration.as_secs_f64());
        }
        println!("{:>8.1} s  total", self.started.elapsed().as_secs_f64());
    }
}

pub(crate) fn test(root: &Path, only: &[Phase]) -> Result<()> {
    let selected = |phase| only.is_empty() || only.contains(&phase);
    let mut phases = Phases::new();
    if selected(Phase::Native) {
        phases.run("native tests (cargo test --workspace)", || run_command(cargo().args(["test", "--workspace"])))?;
    }
    if selected(Phase::Fuzz) {
        phases.run("fuzz (20,000 cases)", || crate::fuzz::fuzz(root, 20_000, 1, 0))?;
    }
    // The browser tests need the bindings, so `test e2e` alone still builds.
    if selected(Phase::Build) || selected(Phase::E2e) {
        phases.run("wasm release build + bindings", || build(root))?;
    }
    if selected(Phase::Wasm) {
        phases.run("wasm-bindgen tests in Node", || {
            let mut command = cargo();
            command.args(["test", "--target", WASM_TARGET, "-p", "convscope", "--test", "wasm"]);
            // Point the runner straight at this binary instead of the `cargo xtask` alias in
            // .cargo/config.toml, which would start a second cargo per test binary.
            let exe = std::env::current_exe()?;
            if let Some(exe) = exe.to_str().filter(|exe| !exe.contains(char::is_whitespace)) {
                command.env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", format!("{exe} {RUNNER_SUBCOMMAND}"));
            }
            run_command(&mut command)
        })?;
    }
    if selected(Phase::E2e) {
        phases.run("browser tests (node --test tests/e2e/)", || {
            let chrome = find_chrome()?;
            ensure_node_modules(root)?;
            let server = serve_www(root, 0)?;
            println!("xtask: serving {} for {}", server.base_url(), chrome.display());
            run_command(
                Command::new("node")
                    .args(["--test", "--test-concurrency=1", "tests/e2e/"])
                    .env("BASE_URL", server.base_url())
                    .env("CHROME", &chrome),
            )
        })?;
    }
    phases.report();
    println!("xtask test: all {} phases passed", phases.done.len());
    Ok(())
}

fn find_chrome() -> Result<PathBuf> {
    if let Some(chrome) = std::env::var_os("CHROME").filter(|chrome| !chrome.is_empty()) {
        let chrome = PathBuf::from(chrome);
        if !chrome.is_file() {
            bail!("CHROME={} is not a file", chrome.display());
        }
        return Ok(chrome);
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
        .context(
            "no Chromium found: install it with 'apt-get install -y chromium' \
             or set CHROME=/path/to/chrome",
        )
}

pub(crate) fn bench(root: &Path, args: &[String]) -> Result<()> {
    build(root)?;
    let chrome = find_chrome()?;
    ensure_node_modules(root)?;
    {
        let server = serve_www(root, 0)?;
        run_command(
            Command::new("node")
                .arg("tests/e2e/bench.mjs")
                .args(args)
                .env("BASE_URL", server.base_url())
                .env("CHROME", &chrome),
        )?;
    }

    gif_bench(root)
}

/// The size and encode time of the whole run of conv_arithmetic's
/// `padding_strides_transposed` case as a GIF at 800×500 with values (theirs: 272 KB).
fn gif_bench(root: &Path) -> Result<()> {
    run_command(Command::new("cargo").args(["build", "--release", "--bin", "convscope"]).current_dir(root))?;
    let out = std::env::temp_dir().join(format!("convscope-bench-{}.gif", std::process::id()));
    let query = "op=conv_transpose2d&height=3&width=3&kernel_size=3&stride=2&padding=1";
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        run_command(
            Command::new(root.join("target/release/convscope"))
                .args(["render", "--query", query, "--format", "gif", "--width", "800", "--height", "500", "-o"])
                .arg(&out),
        )?;
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let size = fs::metadata(&out)?.len();
    let _ = fs::remove_file(&out);
    println!(
        "\nGIF of {query} at 800×500 (CLI, release): {} (conv_arithmetic's: 272 KB), render + encode median {:.0} ms",
        kib(size),
        times[times.len() / 2]
    );
    Ok(())
}
