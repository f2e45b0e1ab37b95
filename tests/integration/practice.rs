//! Practice mode's value questions, checked against the trace for every operator: the
//! question's answer is the value a replay of the trace holds in the cell after the step, the
//! page gives it away nowhere while the question is open, and the checks score as they say.

use convscope::ops;
use convscope::scene::{Shape, Viewport};
use convscope::session::Session;
use convscope::session::practice::{Outcome, Status, parse_answer, value_steps};
use convscope::trace::fmt_num;

#[test]
fn every_value_question_is_the_traced_value_and_is_hidden_until_answered() {
    let mut asked = 0;
    for op in ops::OPERATORS {
        for seed in [1, 7, 42] {
            let mut session = Session::from_query(&format!("op={}&practice=value&seed={seed}", op.name));
            let trace = session.run().trace.clone();
            let steps = value_steps(&trace);
            let practice = session.practice().expect("practising").clone();
            let Some(q) = practice.question else {
                assert!(steps.is_empty(), "{}: eligible steps but no question", op.name);
                continue;
            };
            asked += 1;
            assert!(steps.contains(&q.step), "{}: step {} is not a value step", op.name, q.step);
            // An independent reading: replay the trace to the step and read the cell.
            let replay = trace.replay(q.step);
            let grid = &trace.grids[q.target.grid];
            assert_eq!(replay.values[q.target.grid][grid.offset(q.target.index)], q.answer, "{}", op.name);
            assert_eq!(session.step(), q.step, "{}: the page shows the question's step", op.name);
            // Nothing on the page gives the answer away while the question is open, and the
            // reader cannot step past it.
            let label = grid.label(q.target.index);
            let written = format!("{label} = {}", fmt_num(q.answer));
            assert!(!states(&session.describe(), &written), "{}: {}", op.name, session.describe());
            assert!(session.describe().contains(&format!("{label} = ?")), "{}: {}", op.name, session.describe());
            session.seek(q.step + 1);
            assert_eq!(session.step(), q.step, "{}: stepped past the open question", op.name);
            let scene = session.scene(Viewport { width: 1600, height: 1000, dpr: 1.0 }, true);
            assert!(
                scene.shapes.iter().any(|s| matches!(s, Shape::Text { text, .. } if text == "?")),
                "{}: no ? drawn for the questioned cell",
                op.name
            );
            session.set_hover(Some(q.target));
            let hover = session.hover_text().unwrap_or_default();
            assert!(hover.contains("practice question"), "{}: {hover}", op.name);

            // A wrong answer says by how much and counts one attempt; the hint hides the result.
            let wrong = f64::from(q.answer) + 3.0;
            let (outcome, report) = session.practice_check(&wrong.to_string());
            assert_eq!(outcome, Outcome::Wrong { off: f64::from(q.answer) - wrong }, "{}", op.name);
            let report = report.expect("a wrong answer is reported");
            assert_eq!(report["correct"], false);
            assert_eq!(report["op"], op.name);
            assert_eq!(report["score"]["attempted"], 1);
            session.practice_hint();
            let json = session.practice_json();
            let hint = json["hint"].as_str().expect("a hint");
            assert!(hint.contains(&format!("{label} = ?")) || hint.contains("= ?"), "{}: {hint}", op.name);
            assert!(!states(hint, &written), "{}: {hint}", op.name);
            // Not a number: nothing counted.
            assert_eq!(session.practice_check("three").0, Outcome::NotANumber);
            assert_eq!(session.practice().unwrap().score.attempted, 1);
            // The answer as the page writes it is right, and the next question is asked.
            let (outcome, report) = session.practice_check(&fmt_num(q.answer));
            assert_eq!(outcome, Outcome::Right, "{}: {} for {}", op.name, fmt_num(q.answer), q.answer);
            let report = report.expect("reported");
            assert_eq!(report["correct"], true);
            assert_eq!(report["attempts"], 2);
            assert_eq!(report["score"]["right"], 1);
            let practice = session.practice().unwrap();
            assert_eq!(practice.number, 1, "{}: a right answer moves on", op.name);
            assert_eq!(practice.score.right, 1);
        }
    }
    assert!(asked >= 30, "only {asked} questions asked across the operators");
}

/// Whether `text` says `written` (`y[0,0,1,1] = 0.5`) as a whole, not as the start of a
/// longer number or of a sum (`y[0,0,1,1] = 0.5625·0 + …`, `f[0,0,4,1] = 0.1641 + 0 = ?`).
fn states(text: &str, written: &str) -> bool {
    text.match_indices(written).any(|(at, _)| {
        let rest = &text[at + written.len()..];
        let longer = rest.starts_with(|c: char| c.is_ascii_digit() || c == '·')
            || rest.strip_prefix('.').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        let term = [" + ", " − ", " - "].iter().any(|op| rest.starts_with(op));
        !longer && !term
    })
}

#[test]
fn a_seed_gives_the_same_sequence_and_a_revealed_question_counts_as_attempted() {
    let sequence = |seed: u64| {
        let mut session = Session::from_query(&format!("op=conv2d&height=8&width=8&practice=value&seed={seed}"));
        let mut cells = Vec::new();
        for _ in 0..6 {
            let q = session.practice().unwrap().question.unwrap();
            cells.push((q.step, q.target));
            session.practice_reveal();
            assert_eq!(session.practice().unwrap().status, Status::Revealed);
            // Revealed: the picture may go on, and checking counts nothing more.
            session.seek(q.step + 1);
            assert_eq!(session.step(), (q.step + 1).min(session.n_steps()));
            assert_eq!(session.practice_check("0").0, Outcome::Closed);
            session.practice_next();
        }
        let score = session.practice().unwrap().score;
        assert_eq!((score.right, score.attempted), (0, 6));
        cells
    };
    assert_eq!(sequence(5), sequence(5));
    assert_ne!(sequence(5), sequence(6));
}

#[test]
fn the_url_carries_the_practice_and_refuses_what_it_cannot_read() {
    let session = Session::from_query("op=conv2d&practice=value&seed=9&question=3&origin=https://course.example/");
    assert_eq!(session.practice().unwrap().number, 2);
    assert_eq!(session.practice().unwrap().origin.as_deref(), Some("https://course.example"));
    let query = session.to_query();
    // conv2d's own seed control seeds both its tensors and the questions.
    assert!(query.contains("seed=9"), "{query}");
    assert!(query.contains("practice=value&question=3&origin=https%3A%2F%2Fcourse.example"), "{query}");
    // A view without a seed control keeps practice's own.
    let session = Session::from_query("op=receptive_field&practice=value&seed=4");
    assert_eq!(session.practice().unwrap().seed, 4);
    assert!(session.to_query().contains("practice=value&seed=4"), "{}", session.to_query());
    assert!(session.warnings().is_empty(), "{:?}", session.warnings());
    for (query, expected) in [
        ("op=conv2d&practice=shapes", "practice must be one of value"),
        ("op=conv2d&practice=value&seed=x", "seed must be a whole number"),
        ("op=conv2d&practice=value&question=0", "question must be a whole number from 1"),
        ("op=conv2d&practice=value&origin=javascript:alert(1)", "origin must be a web origin"),
        ("op=receptive_field&seed=3", "seed is read only with practice"),
        ("op=conv2d&question=3", "question is read only with practice"),
    ] {
        let session = Session::from_query(query);
        let warnings = session.warnings().join(" | ");
        assert!(warnings.contains(expected), "{query}: {warnings}");
    }
}

#[test]
fn typed_answers_read_with_a_real_minus_and_a_decimal_comma() {
    assert_eq!(parse_answer("−2,5"), Some(-2.5));
    assert_eq!(parse_answer(""), None);
}
