//! The native command line: `convscope eval` answers PyTorch-compatible JSON requests,
//! `convscope render` writes the page's frame as SVG or PNG, `convscope ops` lists operators.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

/// Cargo builds binaries for integration tests of every target; the CLI is native only.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::{self, BufRead, Write};
    use std::path::PathBuf;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand, ValueEnum};
    use convscope::ops;
    use convscope::paint;
    use convscope::scene::Viewport;
    use convscope::session::Session;

    #[derive(Parser)]
    #[command(name = "convscope", version, about = "Step-by-step, numerically exact views of convolution operators")]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Read JSON Lines {"op", "args"} on stdin; answer {"output": …} or {"error": "…"} per line.
        /// Exits 0 when every request succeeded, 2 otherwise.
        Eval,
        /// Write the page's frame for an operator, its parameters and a step.
        Render {
            /// The operator (see `convscope ops`).
            #[arg(long, default_value = "conv2d")]
            op: String,
            /// A parameter as NAME=VALUE, repeatable (e.g. --param stride=2).
            #[arg(long = "param", value_name = "NAME=VALUE")]
            params: Vec<String>,
            /// Or the page's whole URL query (e.g. 'op=conv2d&stride=2&step=5'); overrides --op.
            #[arg(long)]
            query: Option<String>,
            /// Steps to run before drawing (0 = none; default: all).
            #[arg(long)]
            step: Option<usize>,
            #[arg(long, value_enum, default_value = "svg")]
            format: Format,
            #[arg(long, default_value_t = 1000)]
            width: u32,
            #[arg(long, default_value_t = 640)]
            height: u32,
            /// Output file; `-` writes to stdout.
            #[arg(short, long, default_value = "-")]
            output: PathBuf,
        },
        /// List the operators and their parameters as JSON.
        Ops,
        /// Time the page's work natively for a URL query: the operator run (parameters,
        /// analysis, trace) and the frame (scene), median and 95th percentile.
        Time {
            /// The page's URL query, e.g. 'op=receptive_field&preset=resnet101_aspp_l&input_size=1024'.
            #[arg(long)]
            query: String,
            #[arg(long, default_value_t = 30)]
            runs: usize,
        },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Svg,
        Png,
    }

    pub fn main() -> ExitCode {
        match Cli::parse().command {
            Command::Eval => eval(),
            Command::Render { op, params, query, step, format, width, height, output } => {
                match render(&op, &params, query.as_deref(), step, format, width, height, &output) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(message) => {
                        eprintln!("convscope render: {message}");
                        ExitCode::from(2)
                    }
                }
            }
            Command::Time { query, runs } => {
                let (mut run, mut frame) = (Vec::new(), Vec::new());
                for _ in 0..runs.max(1) {
                    let started = std::time::Instant::now();
                    let session = Session::from_query(&query);
                    run.push(started.elapsed().as_secs_f64() * 1e3);
                    let started = std::time::Instant::now();
                    let scene = session.scene(Viewport::new(1000, 640, 1.0), true);
                    frame.push(started.elapsed().as_secs_f64() * 1e3);
                    std::hint::black_box(scene);
                }
                for (name, mut times) in [("run (parameters, analysis, trace)", run), ("frame (scene)", frame)] {
                    times.sort_by(f64::total_cmp);
                    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
                    println!("{name:<36} median {:8.2} ms   p95 {:8.2} ms   ({} runs)", at(0.5), at(0.95), times.len());
                }
                ExitCode::SUCCESS
            }
            Command::Ops => {
                let list: Vec<_> = ops::OPERATORS
                    .iter()
                    .map(|op| serde_json::json!({ "name": op.name(), "title": op.title(), "params": op.schema() }))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list).expect("schemas serialise"));
                ExitCode::SUCCESS
            }
        }
    }

    fn eval() -> ExitCode {
        let stdin = io::stdin();
        let mut stdout = io::BufWriter::new(io::stdout().lock());
        let mut all_ok = true;
        for line in stdin.lock().lines() {
            let (answer, ok) = match line {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => convscope::eval::answer_line(&line),
                Err(e) => (serde_json::json!({ "error": format!("unreadable input line: {e}") }), false),
            };
            all_ok &= ok;
            if writeln!(stdout, "{answer}").is_err() {
                return ExitCode::from(2);
            }
        }
        if stdout.flush().is_err() || !all_ok { ExitCode::from(2) } else { ExitCode::SUCCESS }
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        op: &str,
        params: &[String],
        query: Option<&str>,
        step: Option<usize>,
        format: Format,
        width: u32,
        height: u32,
        output: &PathBuf,
    ) -> Result<(), String> {
        let mut session = match query {
            Some(query) => Session::from_query(query),
            None => {
                let mut session = Session::default();
                session.set_operator(op)?;
                session
            }
        };
        for warning in session.warnings() {
            eprintln!("convscope render: warning: {warning}");
        }
        for pair in params {
            let (name, value) =
                pair.split_once('=').ok_or_else(|| format!("--param wants NAME=VALUE, got “{pair}”"))?;
            session.set_param(name, value).map_err(|e| e.message)?;
        }
        if query.is_none() || step.is_some() {
            session.seek(step.unwrap_or(usize::MAX));
        }
        let scene = session.scene(Viewport::new(width, height, 1.0), true);
        let bytes = match format {
            Format::Svg => paint::to_svg(&scene).into_bytes(),
            Format::Png => paint::to_png(&scene)?,
        };
        if output.as_os_str() == "-" {
            io::stdout().write_all(&bytes).map_err(|e| e.to_string())
        } else {
            std::fs::write(output, bytes).map_err(|e| format!("cannot write {}: {e}", output.display()))
        }
    }
}
