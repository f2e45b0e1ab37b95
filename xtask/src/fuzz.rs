//! `cargo xtask fuzz [--cases N] [--seed S] [--start K]`: hostile input for `convscope eval`,
//! `render` and the page's `Session`, generated from the operations' signatures and the
//! operators' schemas.
//!
//! Requests: values of every argument kind at their extremes and of the wrong type, ragged and
//! deep lists, NaN/Infinity tokens, huge integers, mutations of the golden cases, malformed
//! JSON and UTF-8, blank lines; plus a few requests at the caps. URL queries: out-of-range and
//! unknown values, garbage edits and layer stacks, followed by random page operations.
//! A case fails on a panic, on more than 2 s or 1 GiB (measured in-process, per case), on an
//! answer that is not one JSON line of `{"output"}` or `{"error"}`, or that holds a `null`;
//! batches go through the real `convscope eval` binary too, which must answer every non-blank
//! line. Failures are printed and written to `target/fuzz-failures.txt`; each one found is
//! kept as a regression case in `tests/fuzz/`.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use convscope::args::{ArgSpec, Default, Kind, Signature};
use convscope::params::ParamKind;
use convscope::scene::Viewport;
use convscope::session::Session;
use convscope::{eval, ops, paint};
use serde_json::{Value, json};

use crate::PEAK;

/// Per-case limits: what every accepted request must stay within.
const TIME_BUDGET: Duration = Duration::from_secs(2);
const MEMORY_BUDGET: usize = 1 << 30;
/// A case running this long is a hang: the watchdog prints it and stops the run.
const HANG: Duration = Duration::from_secs(30);
/// Eval cases sent through the binary at once.
const BATCH: usize = 1000;

/// One generated case.
enum Case {
    Request(Vec<u8>),
    Query(String),
}

impl Case {
    fn text(&self) -> String {
        match self {
            Case::Request(bytes) => {
                format!("eval line {}", String::from_utf8_lossy(bytes).chars().take(600).collect::<String>())
            }
            Case::Query(query) => format!("query {}", query.chars().take(600).collect::<String>()),
        }
    }
}

/// What a run found and measured.
#[derive(Default)]
struct Report {
    requests: usize,
    queries: usize,
    answered: usize,
    failures: Vec<String>,
    slowest: (Duration, String),
    largest: (usize, String),
}

impl Report {
    fn fail(&mut self, case: &Case, why: String) {
        let failure = format!("{why}\n    {}", case.text());
        // The first ones as they are found, so a long run shows them before it ends.
        if self.failures.len() < 20 {
            println!("FAIL {failure}");
        }
        if self.failures.len() < 200 {
            self.failures.push(failure);
        }
    }
}

pub(crate) fn fuzz(root: &Path, cases: usize, seed: u64, start: usize) -> Result<()> {
    let (cli, release) = (build_cli(root, false)?, build_cli(root, true)?);
    let started = Instant::now();
    let mut generator = Generator::new(root, seed)?;
    let current = Arc::new(AtomicU64::new(0));
    let case_started = Arc::new(AtomicU64::new(0));
    watchdog(current.clone(), case_started.clone(), started);
    let mut report = Report::default();
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let heavy = heavy_requests();
    for index in 0..cases + heavy.len() {
        let case =
            if index < heavy.len() { Case::Request(heavy[index].clone().into_bytes()) } else { generator.case() };
        if index < start {
            continue;
        }
        current.store(index as u64 + 1, Ordering::Relaxed);
        case_started.store(started.elapsed().as_millis() as u64, Ordering::Relaxed);
        match &case {
            // The requests at the caps are timed as users run them, in the release binary;
            // in-process (a dev build with overflow checks) they are checked for everything else.
            Case::Request(line) if index < heavy.len() => {
                let _ = check_request(line, &case, &mut report, false);
                check_release_time(&release, line, &case, &mut report)?;
            }
            Case::Request(line) => {
                // Over the budget in this dev build (with overflow checks, on a busy
                // machine)? The budget is for what users run: time it in the release binary.
                if check_request(line, &case, &mut report, false) > TIME_BUDGET {
                    check_release_time(&release, line, &case, &mut report)?;
                }
                batch.push(line.clone());
                if batch.len() == BATCH {
                    check_batch(&cli, &batch, &mut report)?;
                    batch.clear();
                }
            }
            Case::Query(query) => check_query(query, &case, &mut report, &mut generator.rng),
        }
        if (index + 1) % 100_000 == 0 {
            println!(
                "fuzz: {} cases, {:.0} s, {} failures",
                index + 1,
                started.elapsed().as_secs_f64(),
                report.failures.len()
            );
        }
    }
    if !batch.is_empty() {
        check_batch(&cli, &batch, &mut report)?;
    }
    // Index 0 tells the watchdog the run is over (`cargo xtask test` goes on to other phases).
    current.store(0, Ordering::Relaxed);
    println!(
        "fuzz: {} cases ({} eval requests, {} answered; {} URL queries) in {:.1} s, seed {seed}: {} failures",
        report.requests + report.queries,
        report.requests,
        report.answered,
        report.queries,
        started.elapsed().as_secs_f64(),
        report.failures.len()
    );
    println!("fuzz: slowest case {:.3} s: {}", report.slowest.0.as_secs_f64(), report.slowest.1);
    println!("fuzz: most memory {:.1} MiB: {}", report.largest.0 as f64 / (1 << 20) as f64, report.largest.1);
    if report.failures.is_empty() {
        return Ok(());
    }
    let path = crate::target_dir(root).join("fuzz-failures.txt");
    std::fs::write(&path, report.failures.join("\n"))?;
    bail!("{} fuzz cases failed (all of them in {})", report.failures.len(), path.display())
}

/// The CLI binary: the dev build (optimised, with overflow checks) for the batches, the
/// release build for timing the requests at the caps.
fn build_cli(root: &Path, release: bool) -> Result<PathBuf> {
    let mut command = crate::cargo();
    command.args(["build", "--quiet", "-p", "convscope", "--bin", "convscope"]);
    if release {
        command.arg("--release");
    }
    crate::run_command(&mut command)?;
    let exe = crate::target_dir(root).join(if release { "release" } else { "debug" }).join("convscope");
    if !exe.exists() {
        bail!("{} was not built", exe.display());
    }
    Ok(exe)
}

/// Stops the run when one case hangs, naming it by index (`--start` replays from there).
fn watchdog(current: Arc<AtomicU64>, case_started: Arc<AtomicU64>, started: Instant) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_secs(1));
            let index = current.load(Ordering::Relaxed);
            if index == 0 && started.elapsed() > Duration::from_secs(5) {
                return;
            }
            let since = started.elapsed().as_millis() as u64 - case_started.load(Ordering::Relaxed);
            if index > 0 && since > HANG.as_millis() as u64 {
                eprintln!(
                    "fuzz: case {} has run for {} s: a hang (replay with --start {})",
                    index - 1,
                    since / 1000,
                    index - 1
                );
                std::process::exit(3);
            }
        }
    });
}

/// Runs `work`, returning its result, its time and the most memory it held at once.
fn measured<T>(work: impl FnOnce() -> T) -> (std::thread::Result<T>, Duration, usize) {
    let base = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let started = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(work));
    (result, started.elapsed(), PEAK.peak_usage().saturating_sub(base))
}

/// Times one request in the release binary against the budget.
fn check_release_time(release: &Path, line: &[u8], case: &Case, report: &mut Report) -> Result<()> {
    let mut child = Command::new(release).arg("eval").stdin(Stdio::piped()).stdout(Stdio::null()).spawn()?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = [line, b"\n"].concat();
    let started = Instant::now();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    child.wait()?;
    let time = started.elapsed();
    let _ = writer.join();
    budgets(case, time, 0, report, true);
    Ok(())
}

fn budgets(case: &Case, time: Duration, memory: usize, report: &mut Report, timed: bool) {
    if timed && time > report.slowest.0 {
        report.slowest = (time, case.text().chars().take(1200).collect());
    }
    if memory > report.largest.0 {
        report.largest = (memory, case.text().chars().take(160).collect());
    }
    if timed && time > TIME_BUDGET {
        report.fail(case, format!("took {:.2} s (budget {} s)", time.as_secs_f64(), TIME_BUDGET.as_secs()));
    }
    if memory > MEMORY_BUDGET {
        report.fail(case, format!("held {} MiB at once (budget 1 GiB)", memory >> 20));
    }
}

/// Checks one request in-process; returns how long it took.
fn check_request(line: &[u8], case: &Case, report: &mut Report, timed: bool) -> Duration {
    report.requests += 1;
    let (result, time, memory) = measured(|| eval::answer_line(line));
    budgets(case, time, memory, report, timed);
    let Ok((answer, ok)) = result else {
        report.fail(case, "eval panicked".into());
        return time;
    };
    match convscope::eval::answer_problem(&answer) {
        Some(problem) => report.fail(case, problem),
        None => report.answered += usize::from(ok),
    }
    time
}

/// Sends a batch through the binary: one answer per non-blank line, in order, each sound.
fn check_batch(cli: &Path, batch: &[Vec<u8>], report: &mut Report) -> Result<()> {
    let mut input = Vec::new();
    for line in batch {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let expected = input.split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).count();
    let mut child = Command::new(cli)
        .arg("eval")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {}", cli.display()))?;
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    let _ = writer.join();
    let case = Case::Request(format!("a batch of {} lines", batch.len()).into_bytes());
    if output.status.code().is_none_or(|code| code > 2) {
        report.fail(
            &case,
            format!("convscope eval exited with {}: {}", output.status, String::from_utf8_lossy(&output.stderr)),
        );
    }
    let answers: Vec<&str> = std::str::from_utf8(&output.stdout).unwrap_or("").lines().collect();
    if answers.len() != expected {
        report.fail(&case, format!("convscope eval answered {} of {expected} lines", answers.len()));
    }
    for answer in answers {
        if let Some(problem) = convscope::eval::answer_problem(answer) {
            report.fail(&case, format!("the binary's answer: {problem}"));
        }
    }
    Ok(())
}

fn check_query(query: &str, case: &Case, report: &mut Report, rng: &mut fastrand::Rng) {
    report.queries += 1;
    let seed = rng.u64(..);
    let (result, time, memory) = measured(|| {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut session = Session::from_query(query);
        exercise(&mut session, &mut rng);
        // The URL the page shares must open the same page without complaints.
        let again = Session::from_query(&session.to_query());
        (again.warnings().to_vec(), session.to_query(), again.to_query())
    });
    budgets(case, time, memory, report, true);
    match result {
        Err(_) => report.fail(case, "the page session panicked".into()),
        Ok((warnings, first, second)) if !warnings.is_empty() || first != second => report
            .fail(case, format!("the page's own URL does not round-trip: {first} → {second}, warnings {warnings:?}")),
        Ok(_) => {}
    }
}

/// What a user might do on the page: resize, step, hover, type values, change controls,
/// then draw the frame and export it.
fn exercise(session: &mut Session, rng: &mut fastrand::Rng) {
    let viewport = Viewport::new(rng.u32(1..2400), rng.u32(1..1600), [0.5, 1.0, 2.0, 3.0][rng.usize(..4)]);
    for _ in 0..rng.usize(0..6) {
        match rng.u8(0..6) {
            0 => session.seek(rng.usize(..=session.n_steps() + 2)),
            1 => session.move_hover(rng.i32(-3..=3), rng.i32(-40..=40), rng.i32(-40..=40)),
            2 => {
                let scene = session.scene(viewport, true);
                if let Some(cell) = scene.hit(rng.f32() * viewport.width as f32, rng.f32() * viewport.height as f32) {
                    let _ =
                        session.edit_cell(cell, ["7", "-0", "1e6", "1e7", "NaN", "−2.5", "", "abc"][rng.usize(..8)]);
                    let _ = session.pick(cell);
                }
            }
            3 => {
                let specs = session.params().schema();
                if !specs.is_empty() {
                    let spec = &specs[rng.usize(..specs.len())];
                    let _ = session.set_param(spec.name, &param_value(spec.kind, rng));
                }
            }
            4 => {
                let _ = session.hover_text();
            }
            _ => session.reset_edits(),
        }
    }
    let _ = session.describe();
    let scene = session.scene(viewport, true);
    let _ = paint::to_svg(&scene);
}

/// A value for a page control: usually valid, often out of range or garbage.
fn param_value(kind: ParamKind, rng: &mut fastrand::Rng) -> String {
    match (kind, rng.u8(0..10)) {
        (ParamKind::Int { min, max, .. }, 0..=5) => rng.i64(min..=max).to_string(),
        (ParamKind::Int { min, max, .. }, 6) => [min - 1, max + 1, i64::MAX, i64::MIN][rng.usize(..4)].to_string(),
        (ParamKind::Choice { options, .. }, 0..=6) => options[rng.usize(..options.len())].0.to_string(),
        (ParamKind::Pair { min, max, words, .. }, 0..=4) => {
            let mut value = rng.i64(min..=max).to_string();
            if rng.bool() {
                value = format!("{value},{}", rng.i64(min..=max));
            }
            if !words.is_empty() && rng.u8(0..3) == 0 {
                value = words[rng.usize(..words.len())].to_string();
            }
            value
        }
        (ParamKind::Pair { min, max, .. }, 5 | 6) => {
            [format!("{min},{}", max + 1), format!("{}", min - 1), "1,2,3".into(), ",".into(), "2,".into()]
                [rng.usize(..5)]
            .clone()
        }
        (ParamKind::Layers { .. }, 0..=6) => layer_stack(rng),
        _ => garbage(rng),
    }
}

fn layer_stack(rng: &mut fastrand::Rng) -> String {
    let parts: Vec<String> = (0..rng.usize(0..5))
        .map(|_| {
            let kind = ["c", "p", "x", ""][rng.usize(..4)];
            let mut part = format!("{kind}{}", [1, 3, 5, 0, 65, 999_999][rng.usize(..6)]);
            for key in ["s", "p", "d"] {
                if rng.bool() {
                    part.push_str(&format!("{key}{}", [0, 1, 2, 64, 513, 99_999_999_999u64][rng.usize(..6)]));
                }
            }
            if rng.u8(0..4) == 0 {
                part.push_str(&format!("*{}", [2, 0, 300, 4_000_000_000u64][rng.usize(..4)]));
            }
            part
        })
        .collect();
    parts.join([",", ";", ""][rng.usize(..3)])
}

fn garbage(rng: &mut fastrand::Rng) -> String {
    [
        "",
        " ",
        "-1",
        "1.5",
        "NaN",
        "1e999",
        "+3",
        "0x10",
        "99999999999999999999",
        "<script>alert(1)</script>",
        "\u{0}",
        "ﬀ",
        "true",
        "c3p1*2",
        "%FF",
    ][rng.usize(..15)]
    .to_string()
}

/// Requests at the caps (the largest work or output accepted) and just above them.
fn heavy_requests() -> Vec<String> {
    let ones = |shape: &[usize]| -> Value {
        fn nest(shape: &[usize]) -> Value {
            match shape {
                [n] => Value::Array(vec![json!(1.0); *n]),
                [n, rest @ ..] => Value::Array(vec![nest(rest); *n]),
                [] => json!(1.0),
            }
        }
        nest(shape)
    };
    let request = |op: &str, args: Value| json!({ "op": op, "args": args }).to_string();
    vec![
        // 2²² outputs × 64 taps = 2²⁸ multiply-adds: the most conv2d work accepted.
        request("conv2d", json!({"input": ones(&[1, 1, 2055, 2055]), "weight": ones(&[1, 1, 8, 8])})),
        // Just above: refused before anything is allocated.
        request("conv2d", json!({"input": ones(&[1, 1, 2056, 2056]), "weight": ones(&[1, 1, 8, 8])})),
        request(
            "conv_transpose2d",
            json!({"input": ones(&[1, 1, 256, 256]), "weight": ones(&[1, 1, 8, 8]), "stride": 8}),
        ),
        request(
            "roi_align",
            json!({"input": ones(&[1, 1, 64, 64]), "boxes": vec![json!([0, 0, 0, 60, 60]); 16], "output_size": 256, "sampling_ratio": 8}),
        ),
        request("interpolate", json!({"input": ones(&[1, 1, 512, 512]), "scale_factor": 4, "mode": "bicubic"})),
        request("max_pool2d", json!({"input": ones(&[1, 1, 2055, 2055]), "kernel_size": 8, "stride": 1})),
        // The issue's aborts and hangs.
        request(
            "conv2d",
            json!({"input": [[[[1]]]], "weight": [[[[1, 1], [1, 1]]]], "dilation": 1048576, "padding": 524288}),
        ),
        request(
            "conv_transpose2d",
            json!({"input": [[[[1]]]], "weight": [[[[1, 1], [1, 1]]]], "dilation": 1048576, "padding": 524288}),
        ),
        request("avg_pool2d", json!({"input": [[[[1]]]], "kernel_size": 131072, "padding": 65536})),
        request("roi_pool", json!({"input": [[[[1]]]], "boxes": [[0, 0, 0, 1, 1]], "output_size": 8192})),
        request("roi_align", json!({"input": [[[[1]]]], "boxes": [[0, 0, 0, 1, 1]], "output_size": 8192})),
        request("receptive_field", json!({"layers": vec![json!({"kernel_size": 3, "stride": 64}); 171]})),
    ]
}

/// Generates cases from the signatures, the schemas and the golden vectors.
struct Generator {
    rng: fastrand::Rng,
    golden: Vec<(String, Value)>,
}

impl Generator {
    fn new(root: &Path, seed: u64) -> Result<Generator> {
        let mut golden = Vec::new();
        let dir = root.join("tests/golden");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for file in files.iter().filter(|p| p.extension().is_some_and(|e| e == "jsonl")) {
            for line in std::fs::read_to_string(file)?.lines().filter(|l| !l.trim().is_empty()) {
                let case: Value = serde_json::from_str(line)?;
                // Small cases only, so mutations stay cheap.
                if line.len() < 4000 {
                    golden.push((case["op"].as_str().unwrap_or("").to_string(), case["args"].clone()));
                }
            }
        }
        Ok(Generator { rng: fastrand::Rng::with_seed(seed), golden })
    }

    fn case(&mut self) -> Case {
        match self.rng.u8(0..100) {
            0..=7 => Case::Query(self.query()),
            8..=39 => Case::Request(self.fresh().to_string().into_bytes()),
            40..=74 => Case::Request(self.mutated().to_string().into_bytes()),
            75..=92 => {
                let line = if self.rng.bool() { self.fresh() } else { self.mutated() }.to_string();
                Case::Request(self.garble(line.into_bytes()))
            }
            _ => Case::Request(self.odd_line()),
        }
    }

    /// A request built from an operation's signature.
    fn fresh(&mut self) -> Value {
        let ops: Vec<_> = ops::eval_ops().collect();
        let op = ops[self.rng.usize(..ops.len())];
        let args = self.args_for(op.signature);
        let name = if self.rng.u8(0..50) == 0 { "conv3d".to_string() } else { op.name.to_string() };
        json!({ "op": name, "args": args })
    }

    fn args_for(&mut self, signature: &Signature) -> Value {
        let mut args = serde_json::Map::new();
        for spec in signature {
            let give = spec.default == Default::Required || self.rng.u8(0..10) < 4;
            if give && self.rng.u8(0..40) != 0 {
                args.insert(spec.name.to_string(), self.value(spec));
            }
        }
        if self.rng.u8(0..20) == 0 {
            args.insert(["paddin", "stride_h", "", "input "][self.rng.usize(..4)].to_string(), json!(1));
        }
        Value::Object(args)
    }

    /// A golden request with one to three arguments changed, dropped or added.
    fn mutated(&mut self) -> Value {
        let (op, mut args) = self.golden[self.rng.usize(..self.golden.len())].clone();
        let signature = ops::find_eval(&op).map(|e| e.signature).unwrap_or(&[]);
        for _ in 0..self.rng.usize(1..=3) {
            if signature.is_empty() {
                break;
            }
            let spec = &signature[self.rng.usize(..signature.len())];
            match self.rng.u8(0..10) {
                0 => {
                    args.as_object_mut().map(|a| a.remove(spec.name));
                }
                1 => {
                    if let Some(value) = args.get_mut(spec.name) {
                        *value = self.extreme_numbers(value.clone());
                    }
                }
                _ => {
                    let value = self.value(spec);
                    args.as_object_mut().map(|a| a.insert(spec.name.to_string(), value));
                }
            }
        }
        json!({ "op": op, "args": args })
    }

    /// Numbers of a tensor swapped for float32's extremes.
    fn extreme_numbers(&mut self, value: Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.extreme_numbers(v)).collect()),
            Value::Number(_) if self.rng.u8(0..3) == 0 => {
                json!([3.0e38, -3.0e38, 1.0e-45, -0.0, 1.0e39, 0.1, 65504.0, 1.0e30][self.rng.usize(..8)])
            }
            other => other,
        }
    }

    /// A value for one argument: usually of its kind, often at an extreme or of another kind.
    fn value(&mut self, spec: &ArgSpec) -> Value {
        let rng = &mut self.rng;
        if rng.u8(0..8) == 0 {
            return self.wrong_type();
        }
        match spec.kind {
            Kind::Tensor { min_dims, max_dims } => {
                let dims = (rng.usize(min_dims.saturating_sub(1)..=max_dims + 1)).clamp(0, 7);
                let shape: Vec<usize> = (0..dims).map(|_| [1, 1, 2, 3, 4, 5, 0][rng.usize(..7)]).collect();
                self.tensor(&shape)
            }
            Kind::Int { min, max } => json!(self.int(min, max)),
            Kind::IntPair { min, max, .. } => match rng.u8(0..6) {
                0..=2 => json!(self.int(min, max)),
                3 => json!([self.int(min, max), self.int(min, max)]),
                4 => json!([self.int(min, max)]),
                _ => json!([self.int(min, max), self.int(min, max), 1]),
            },
            Kind::Padding { max } => match rng.u8(0..8) {
                0 => json!("same"),
                1 => json!("valid"),
                2 => json!(["SAME", "full", ""][rng.usize(..3)]),
                3 => json!([self.int(0, max)]),
                4 => json!([self.int(0, max), self.int(0, max)]),
                _ => json!(self.int(0, max)),
            },
            Kind::Float { min, max } => json!(self.float(min, max)),
            Kind::IntOrList { min, max } => match rng.u8(0..4) {
                0 | 1 => json!(self.int(min, max)),
                n => json!((0..n - 1).map(|_| self.int(min, max)).collect::<Vec<_>>()),
            },
            Kind::FloatOrList { min, max } => match rng.u8(0..4) {
                0 | 1 => json!(self.float(min, max)),
                n => json!((0..n - 1).map(|_| self.float(min, max)).collect::<Vec<_>>()),
            },
            Kind::Bool => json!(rng.bool()),
            Kind::Word(words) => match rng.u8(0..5) {
                0 => json!(words[rng.usize(..words.len())].to_uppercase()),
                _ => json!(words[rng.usize(..words.len())]),
            },
            Kind::Boxes => {
                let rows: Vec<Value> = (0..rng.usize(0..4))
                    .map(|_| {
                        let mut row: Vec<Value> = (0..5)
                            .map(|_| json!([0.0, 1.0, 2.5, -1.0, 1e30, -3e38, 0.7, 7.0][self.rng.usize(..8)]))
                            .collect();
                        if self.rng.u8(0..10) == 0 {
                            row.pop();
                        }
                        Value::Array(row)
                    })
                    .collect();
                if self.rng.u8(0..5) == 0 {
                    json!([rows.iter().map(|r| r.as_array().map(|a| a[1..].to_vec())).collect::<Vec<_>>()])
                } else {
                    Value::Array(rows)
                }
            }
            Kind::Layers(layer) => {
                let n = [0, 1, 2, 3, 5, 300][rng.usize(..6)];
                Value::Array((0..n).map(|_| self.args_for(layer)).collect())
            }
            Kind::IntList { min, max } => {
                let n = [0, 1, 2, 3, 6, 300][rng.usize(..6)];
                json!((0..n).map(|_| self.int(min, max)).collect::<Vec<_>>())
            }
        }
    }

    fn tensor(&mut self, shape: &[usize]) -> Value {
        match shape {
            [] => json!([0.0, 1.0, -2.0, 0.5, 3.0e38, -0.0, 1.0e-45, 2.0][self.rng.usize(..8)]),
            [n, rest @ ..] => Value::Array((0..*n).map(|_| self.tensor(rest)).collect()),
        }
    }

    fn int(&mut self, min: i64, max: i64) -> i64 {
        match self.rng.u8(0..12) {
            0 => min - 1,
            1 => max,
            2 => max.saturating_add(1),
            3 => i64::MAX,
            4 => -1,
            _ => self.rng.i64(min..=min.saturating_add(4).min(max)),
        }
    }

    fn float(&mut self, min: f64, max: f64) -> f64 {
        [min, max, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, -1.0, 1e308, 1e-308, 2.1][self.rng.usize(..12)]
    }

    fn wrong_type(&mut self) -> Value {
        [
            json!(null),
            json!("2"),
            json!(true),
            json!(2.5),
            json!({}),
            json!([]),
            json!([[1, 2], [3]]),
            json!(["a"]),
            json!(-7),
        ][self.rng.usize(..9)]
        .clone()
    }

    /// Textual damage: truncation, stray bytes, NaN/Infinity tokens, huge numbers, nesting.
    fn garble(&mut self, mut line: Vec<u8>) -> Vec<u8> {
        let at = |rng: &mut fastrand::Rng, len: usize| rng.usize(..=len);
        match self.rng.u8(0..7) {
            0 => line.truncate(at(&mut self.rng, line.len())),
            1 => {
                let byte = [0xFF, 0xC3, 0x00, b'"', b'{', b']', b',', b'\\'][self.rng.usize(..8)];
                let i = at(&mut self.rng, line.len());
                line.insert(i, byte);
            }
            2..=4 => {
                let token =
                    ["NaN", "Infinity", "-Infinity", "1e999", "99999999999999999999999", "-0", "1e-400", "0.1e-7"]
                        [self.rng.usize(..8)];
                if let Some(i) = line.iter().position(|b| b.is_ascii_digit()) {
                    let end = i + line[i..].iter().take_while(|b| b.is_ascii_digit() || **b == b'.').count();
                    line.splice(i..end, token.bytes());
                }
            }
            5 => {
                let depth = [20, 127, 128, 129, 1000][self.rng.usize(..5)];
                let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
                line =
                    format!(r#"{{"op": "conv2d", "args": {{"input": {nested}, "weight": [[[[1]]]]}}}}"#).into_bytes();
            }
            _ => line.extend_from_slice(b" trailing"),
        }
        line
    }

    fn odd_line(&mut self) -> Vec<u8> {
        [
            "",
            "   ",
            "\t",
            "[]",
            "\"conv2d\"",
            "123",
            "null",
            r#"{"op": "conv2d"}"#,
            r#"{"op": 7, "args": {}}"#,
            r#"{"op": "conv2d", "args": []}"#,
            r#"{"op": "conv2d", "args": {}, "args": {}}"#,
            r#"{"op": "hdc", "args": {"dilations": [], "kernel_size": 3}}"#,
            "\u{feff}{}",
        ][self.rng.usize(..13)]
        .as_bytes()
        .to_vec()
    }

    /// A page URL: parameters in and out of range, unknown keys, garbage edits and stacks.
    fn query(&mut self) -> String {
        let rng = &mut self.rng;
        let op = if rng.u8(0..20) == 0 { "nosuchop" } else { ops::OPERATORS[rng.usize(..ops::OPERATORS.len())].name };
        let mut pairs: Vec<(String, String)> = vec![("op".into(), op.into())];
        if let Some(operator) = ops::find(op) {
            for spec in operator.schema {
                if rng.u8(0..10) < 4 {
                    pairs.push((spec.name.into(), param_value(spec.kind, rng)));
                }
            }
        }
        if rng.u8(0..4) == 0 {
            let tensor = ["x", "w", "o", "q", ""][rng.usize(..5)];
            let index: Vec<String> =
                (0..rng.usize(0..6)).map(|_| [0u64, 1, 3, 99, 4_000_000_000][rng.usize(..5)].to_string()).collect();
            pairs.push(("edits".into(), format!("{tensor}.{}:{}", index.join("."), garbage(rng))));
        }
        for key in ["step", "embed", "layers", "nonsense", "op"] {
            if rng.u8(0..8) == 0 {
                let value = if key == "layers" { layer_stack(rng) } else { garbage(rng) };
                pairs.push((key.into(), value));
            }
        }
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &pairs {
            query.append_pair(k, v);
        }
        let mut text = query.finish();
        if rng.u8(0..10) == 0 {
            text.push_str("&%E0%A4%A=1&=&&");
        }
        text
    }
}
