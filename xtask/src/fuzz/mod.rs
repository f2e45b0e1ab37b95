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
use convscope::eval;
use convscope::session::Session;

use crate::PEAK;

mod inputs;

use inputs::{Generator, exercise, heavy_requests};

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
