//! The fuzz harness's findings, kept as regression cases (see tests/fuzz/README.md).

use std::time::{Duration, Instant};

use convscope::eval::{answer_line, answer_problem};
use convscope::session::Session;

fn fuzz_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz")
}

#[test]
fn hostile_requests_are_answered_promptly_without_nulls() {
    let text = std::fs::read_to_string(fuzz_dir().join("requests.jsonl")).unwrap();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let started = Instant::now();
        let (answer, _) = answer_line(line);
        // Generous: a test machine is slower than the 2 s budget's reference, and these
        // regressions are about aborts and hangs, not speed.
        assert!(started.elapsed() < Duration::from_secs(10), "{line} took {:?}", started.elapsed());
        assert_eq!(answer_problem(&answer), None, "{line} → {answer}");
        n += 1;
    }
    assert!(n >= 15, "only {n} regression requests");
}

#[test]
fn shared_urls_reopen_the_same_page() {
    let text = std::fs::read_to_string(fuzz_dir().join("sessions.tsv")).unwrap();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (query, actions) = line.split_once('\t').unwrap();
        let mut session = Session::from_query(query);
        for action in actions.split(';') {
            let (name, value) = action.split_once('=').unwrap();
            if name == "seek" {
                session.seek(value.parse().unwrap());
            } else {
                let _ = session.set_param(name, value);
            }
        }
        let shared = session.to_query();
        let reopened = Session::from_query(&shared);
        assert!(reopened.warnings().is_empty(), "{line}: {shared} → {:?}", reopened.warnings());
        assert_eq!(reopened.to_query(), shared, "{line}");
        assert_eq!(reopened.step(), session.step(), "{line}");
    }
}
