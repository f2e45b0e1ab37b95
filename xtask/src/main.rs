//! convscope's build tooling, run as `cargo xtask <command>` (matklad's xtask pattern).
//!
//! `build` compiles the crate to wasm and writes the JS bindings to `www/pkg/` with the
//! wasm-bindgen library (no `wasm-bindgen` binary to install), `serve` serves `www/`,
//! `test` runs every suite in order, `bench` prints page timings and download sizes, and
//! `wasm-bindgen-test-runner` is the runner that `.cargo/config.toml` gives the wasm32 target.

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

mod build;
mod fuzz;
#[path = "../../i18n/join.rs"]
mod join;
mod serve;
mod testing;

/// Counts the bytes held, so `fuzz` can hold every case to its memory budget.
#[global_allocator]
static PEAK: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

use build::build;
use serve::serve_www;
use testing::{bench, test};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const RUNNER_SUBCOMMAND: &str = "wasm-bindgen-test-runner";

#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about = "Build, serve, test and bench convscope")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Release wasm build, JS bindings into www/pkg/, then wasm-opt.
    Build,
    /// Build, then serve www/ on 127.0.0.1.
    Serve {
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Native tests, wasm build, wasm-bindgen tests in Node, browser (e2e) tests.
    Test {
        /// Run only these phases (default: all, in this order).
        #[arg(value_enum)]
        only: Vec<Phase>,
    },
    /// Hostile requests, URL queries and page operations; fails on a panic, a case over 2 s
    /// or 1 GiB, a wrong answer count or a null.
    Fuzz {
        #[arg(long, default_value_t = 20_000)]
        cases: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Skip the cases before this index (to replay one the watchdog named).
        #[arg(long, default_value_t = 0)]
        start: usize,
    },
    /// Build, then time the page in Chromium (the peer-comparable case, first paint, the
    /// heaviest settings) and print what it downloads, gzipped; then time the CLI's GIF.
    Bench {
        /// Passed on to tests/e2e/bench.mjs: `--peer URL` (and `--peer-slider CSS`) measures the
        /// peer's page in the same run, `--quick` only the first heavy setting at dpr 1.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run a wasm test binary (cargo calls this as the wasm32 target's runner).
    #[command(name = RUNNER_SUBCOMMAND, disable_help_flag = true)]
    WasmBindgenTestRunner {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<OsString>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Phase {
    /// `cargo test --workspace`
    Native,
    /// `cargo xtask fuzz` with 20,000 cases
    Fuzz,
    /// `cargo xtask build`
    Build,
    /// wasm-bindgen tests (tests/wasm.rs) in Node
    Wasm,
    /// browser tests (tests/e2e/*.test.mjs) in Chromium
    E2e,
}

/// A child process that exited unsuccessfully; `main` exits with the same status.
#[derive(Debug)]
struct CommandFailed {
    what: String,
    code: Option<i32>,
}

impl fmt::Display for CommandFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code {
            Some(code) => write!(f, "`{}` exited with status {code}", self.what),
            None => write!(f, "`{}` was killed by a signal", self.what),
        }
    }
}

impl std::error::Error for CommandFailed {}

fn main() {
    // The runner's arguments belong to wasm-bindgen-test-runner's own parser (`--nocapture`,
    // test filters, `--help`), so they are handed over before clap sees them.
    let mut args: Vec<OsString> = std::env::args_os().collect();
    let result = if args.get(1).is_some_and(|arg| arg == RUNNER_SUBCOMMAND) {
        args.remove(0);
        wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(args)
    } else {
        run(Cli::parse().command)
    };
    if let Err(err) = result {
        eprintln!("xtask: error: {err:#}");
        let code =
            err.downcast_ref::<CommandFailed>().and_then(|failed| failed.code).filter(|&code| code != 0).unwrap_or(1);
        std::process::exit(code);
    }
}

fn run(command: Cmd) -> Result<()> {
    let root = repo_root();
    std::env::set_current_dir(&root).with_context(|| format!("cannot enter the repository root {}", root.display()))?;
    match command {
        Cmd::Build => build(&root),
        Cmd::Serve { port } => {
            build(&root)?;
            let server = serve_www(&root, port)?;
            println!("convscope: serving http://{}/", server.addr);
            server.join();
            Ok(())
        }
        Cmd::Test { only } => test(&root, &only),
        Cmd::Bench { args } => bench(&root, &args),
        Cmd::Fuzz { cases, seed, start } => fuzz::fuzz(&root, cases, seed, start),
        Cmd::WasmBindgenTestRunner { .. } => unreachable!("dispatched in main"),
    }
}

fn repo_root() -> PathBuf {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too; prefer it to the compile-time
    // value, which goes stale when one target/ is shared by two checkouts.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.ends_with("xtask"))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().expect("xtask/ lives inside the repository").to_path_buf()
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `command` with inherited stdio and turns a non-zero exit into `CommandFailed`.
fn run_command(command: &mut Command) -> Result<()> {
    let what = describe(command);
    let status = command.status().with_context(|| format!("cannot run `{what}`"))?;
    if !status.success() {
        return Err(CommandFailed { what, code: status.code() }.into());
    }
    Ok(())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}
