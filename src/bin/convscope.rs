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
    use convscope::animation;
    use convscope::eval;
    use convscope::ops;
    use convscope::paint;
    use convscope::scene::{Camera, Viewport, palette};
    use convscope::session::Session;
    use convscope::text::Lang;

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
            /// The one-line caption under the picture (operator and the settings that differ
            /// from the defaults): on or off.
            #[arg(long, value_enum, default_value = "on")]
            caption: Switch,
            /// GIF: the first step of the animation (default 0, before the first step).
            #[arg(long)]
            from: Option<usize>,
            /// GIF: the last step (default: the last).
            #[arg(long)]
            to: Option<usize>,
            /// GIF: frames (steps) per second.
            #[arg(long, default_value_t = 2.0)]
            fps: f32,
            /// GIF: how many times to play (0 = loop forever).
            #[arg(long = "loop", default_value_t = 0)]
            loops: u16,
            /// The language of the words: en or zh-CN (overrides lang= in --query). PNG and GIF
            /// in Chinese need a CJK font on the system (e.g. Debian's fonts-noto-cjk).
            #[arg(long)]
            lang: Option<String>,
        },
        /// Print the page's setting as a self-contained PyTorch script ("Copy as PyTorch"): it
        /// builds the tensors, calls PyTorch, checks the page's numbers and prints the result.
        Code {
            /// The page's URL query, e.g. 'op=conv_transpose2d&stride=2&padding=1'.
            #[arg(long)]
            query: String,
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

    #[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
    enum Switch {
        On,
        Off,
    }

    /// What a GIF spans and how it plays.
    struct Animation {
        from: Option<usize>,
        to: Option<usize>,
        fps: f32,
        loops: u16,
    }

    /// Most frames one GIF may hold.
    const MAX_FRAMES: usize = 2000;

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Svg,
        Png,
        /// An animated GIF of a step range (--from, --to, --fps, --loop).
        Gif,
        /// The words beside the picture: step sentence, stage, formula and facts.
        Text,
    }

    pub fn main() -> ExitCode {
        match Cli::parse().command {
            Command::Eval => eval(),
            Command::Render {
                op,
                params,
                query,
                step,
                format,
                width,
                height,
                output,
                caption,
                from,
                to,
                fps,
                loops,
                lang,
            } => {
                let animation = Animation { from, to, fps, loops };
                let size = (width, height, caption == Switch::On);
                match render(&op, &params, query.as_deref(), step, format, size, &animation, &output, lang.as_deref()) {
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
            Command::Code { query } => {
                let session = Session::from_query(&query);
                for warning in session.warnings() {
                    eprintln!("convscope code: warning: {warning}");
                }
                match session.pytorch_script() {
                    Ok(script) => {
                        print!("{script}");
                        ExitCode::SUCCESS
                    }
                    Err(message) => {
                        eprintln!("convscope code: {message}");
                        ExitCode::from(2)
                    }
                }
            }
            Command::Ops => {
                let list: Vec<_> = ops::OPERATORS
                    .iter()
                    .map(|op| {
                        // The schema as the page gets it: labels, help and options in English.
                        let session = Session::from_query(&format!("op={}", op.name));
                        let title = convscope::text::Msg::id(op.title).en();
                        serde_json::json!({ "name": op.name, "title": title, "params": session.schema_json() })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list).expect("schemas serialise"));
                ExitCode::SUCCESS
            }
        }
    }

    /// Answers each request line as soon as it is read, flushed before the next is read, so a
    /// batch never loses the answers before a bad line; a panic (a bug) becomes an error line.
    fn eval() -> ExitCode {
        let mut input = io::stdin().lock();
        let mut output = io::stdout().lock();
        let mut all_ok = true;
        let mut line = Vec::new();
        loop {
            let (answer, ok) = match read_line(&mut input, &mut line, eval::MAX_LINE) {
                Ok(Line::End) => break,
                Ok(Line::Blank) => continue,
                Ok(Line::Text) => std::panic::catch_unwind(|| eval::answer_line(&line)).unwrap_or_else(|_| {
                    (
                        eval::error_line(
                            "internal error while answering this request (a bug in convscope; please report it)",
                        ),
                        false,
                    )
                }),
                Ok(Line::TooLong(len)) => (
                    eval::error_line(&format!(
                        "the request line is longer than {} bytes ({len} read); it was skipped",
                        eval::MAX_LINE
                    )),
                    false,
                ),
                Err(e) => {
                    // Nothing more can be read: say why and stop.
                    let _ = writeln!(output, "{}", eval::error_line(&format!("unreadable input: {e}")));
                    return ExitCode::from(2);
                }
            };
            all_ok &= ok;
            if writeln!(output, "{answer}").and_then(|()| output.flush()).is_err() {
                return ExitCode::from(2);
            }
        }
        if all_ok { ExitCode::SUCCESS } else { ExitCode::from(2) }
    }

    enum Line {
        End,
        Blank,
        Text,
        TooLong(usize),
    }

    /// Reads one line into `line` (without its newline), keeping at most `limit` bytes in
    /// memory: a longer line is read to its end and reported with its length.
    fn read_line(input: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> io::Result<Line> {
        line.clear();
        let (mut total, mut seen_any) = (0usize, false);
        loop {
            let buffer = input.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            seen_any = true;
            let (chunk, done) = match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => (&buffer[..at], Some(at + 1)),
                None => (buffer, None),
            };
            total += chunk.len();
            if total <= limit {
                line.extend_from_slice(chunk);
            }
            let used = done.unwrap_or(chunk.len());
            input.consume(used);
            if done.is_some() {
                break;
            }
        }
        Ok(if !seen_any {
            Line::End
        } else if total > limit {
            line.clear();
            Line::TooLong(total)
        } else if line.iter().all(u8::is_ascii_whitespace) {
            Line::Blank
        } else {
            Line::Text
        })
    }

    /// The animation of steps `from..=to`: a palette from the first and last frames, then
    /// every frame, differenced against the one before.
    fn gif(session: &mut Session, viewport: Viewport, caption: bool, a: &Animation) -> Result<Vec<u8>, String> {
        let n = session.n_steps();
        let (from, to) = (a.from.unwrap_or(0), a.to.unwrap_or(n));
        if from > to || to > n {
            return Err(format!("--from {from} --to {to}: the steps run from 0 to {n}, and from must not pass to"));
        }
        if to - from + 1 > MAX_FRAMES {
            return Err(format!(
                "{} frames: at most {MAX_FRAMES} a GIF; choose a shorter --from/--to range",
                to - from + 1
            ));
        }
        let mut frame = |step: usize| {
            session.seek(step);
            paint::to_rgb(&session.export_scene(viewport, caption))
        };
        let (first, last) = (frame(from)?, frame(to)?);
        let known: Vec<[u8; 3]> = palette::SOLID.iter().map(|c| [c.0, c.1, c.2]).collect();
        let size = (viewport.width, viewport.height);
        let mut encoder = animation::GifEncoder::new(size.0, size.1, (a.fps, a.loops), &known, (&[&first, &last], 3))?;
        encoder.add_frame(&first, 3)?;
        for step in from + 1..=to {
            let pixels = if step == to { last.clone() } else { frame(step)? };
            encoder.add_frame(&pixels, 3)?;
        }
        encoder.finish()
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        op: &str,
        params: &[String],
        query: Option<&str>,
        step: Option<usize>,
        format: Format,
        (width, height, caption): (u32, u32, bool),
        animation: &Animation,
        output: &PathBuf,
        lang: Option<&str>,
    ) -> Result<(), String> {
        let mut session = match query {
            Some(query) => Session::from_query(query),
            None => {
                let mut session = Session::default();
                session.set_operator(op).map_err(|e| e.en())?;
                session
            }
        };
        if let Some(tag) = lang {
            let lang = Lang::from_tag(tag).ok_or_else(|| format!("--lang must be en or zh-CN, not “{tag}”"))?;
            session.set_lang(lang);
        }
        if session.lang() != Lang::En && matches!(format, Format::Png | Format::Gif) {
            use_system_cjk_font()?;
        }
        for warning in session.warnings() {
            eprintln!("convscope render: warning: {warning}");
        }
        for pair in params {
            let (name, value) =
                pair.split_once('=').ok_or_else(|| format!("--param wants NAME=VALUE, got “{pair}”"))?;
            session.set_param(name, value).map_err(|e| session.tr(&e.message))?;
        }
        if query.is_none() || step.is_some() {
            session.seek(step.unwrap_or(usize::MAX));
        }
        // A file shows the whole picture, however small its cells.
        session.set_camera(Camera::Fit);
        if width == 0 || height == 0 || width > animation::MAX_SIDE || height > animation::MAX_SIDE {
            return Err(format!(
                "a picture of {width}×{height} pixels: each side must be 1 to {}",
                animation::MAX_SIDE
            ));
        }
        let viewport = Viewport::new(width, height, 1.0);
        let scene = session.export_scene(viewport, caption);
        let bytes = match format {
            Format::Svg => paint::to_svg(&scene).into_bytes(),
            Format::Png => paint::to_png(&scene)?,
            Format::Gif => gif(&mut session, viewport, caption, animation)?,
            Format::Text => {
                let mut lines = vec![session.describe()];
                lines.extend(session.stage_explanation());
                lines.extend(session.formula().iter().map(|l| format!("formula: {l}")));
                lines.extend(session.facts().iter().map(|l| format!("fact: {l}")));
                lines.extend(session.error_text().map(|e| format!("error: {e}")));
                (lines.join("\n") + "\n").into_bytes()
            }
        };
        if output.as_os_str() == "-" {
            io::stdout().write_all(&bytes).map_err(|e| e.to_string())
        } else {
            std::fs::write(output, bytes).map_err(|e| format!("cannot write {}: {e}", output.display()))
        }
    }

    /// Where Debian, Fedora and Arch put CJK fonts: a regular and a bold face.
    const CJK_FONTS: &[(&str, &str)] = &[
        (
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
        ),
        ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc"),
        (
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc",
        ),
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        ("/usr/share/fonts/truetype/arphic/uming.ttc", "/usr/share/fonts/truetype/arphic/uming.ttc"),
    ];

    /// Draws PNG and GIF text with a CJK font found on this system (the first of
    /// [`CJK_FONTS`] present, else one `fc-list :lang=zh` names), or says that there is none:
    /// DejaVu Sans has no Chinese glyphs and would draw empty boxes.
    fn use_system_cjk_font() -> Result<(), String> {
        let listed = std::process::Command::new("fc-list")
            .args([":lang=zh", "file"])
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).to_string())
            .unwrap_or_default();
        let from_fc = listed.lines().map(|l| l.trim().trim_end_matches(':').to_string()).find(|f| !f.is_empty());
        let found = CJK_FONTS
            .iter()
            .find(|(regular, _)| std::path::Path::new(regular).exists())
            .map(|(r, b)| (r.to_string(), if std::path::Path::new(b).exists() { b.to_string() } else { r.to_string() }))
            .or_else(|| from_fc.map(|f| (f.clone(), f)));
        let Some((regular, bold)) = found else {
            return Err("no CJK font was found on this system, so Chinese text cannot be drawn in a PNG or GIF \
                 (install one, e.g. `apt install fonts-noto-cjk`, or write --format svg, which the viewer's fonts draw)"
                .into());
        };
        let read = |path: &str| -> Result<&'static [u8], String> {
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read the CJK font {path}: {e}"))?;
            Ok(Box::leak(bytes.into_boxed_slice()))
        };
        paint::use_fonts(read(&regular)?, read(&bold)?).map_err(|e| format!("the CJK font {regular}: {e}"))
    }
}
